//! Integer types: the backward sweep pops integers from the tape, so their
//! Rust type must be known there. Rust infers it in the primal; here the
//! integer values connected by arithmetic, comparisons, phis and carries
//! share one type, which comes from a parameter, a suffix, a cast, `.len()`
//! or an index position (`usize`), and is `i32` (Rust's default) when
//! nothing fixes it.

use crate::ir::*;

struct Uf {
    parent: Vec<usize>,
}

impl Uf {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.parent[r] != r {
            r = self.parent[r];
        }
        let mut c = x;
        while self.parent[c] != r {
            let n = self.parent[c];
            self.parent[c] = r;
            c = n;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra] = rb;
        }
    }
}

pub fn infer_ints(f: &mut Func) {
    let n = f.values.len();
    let mut uf = Uf { parent: (0..n).collect() };
    let mut usize_vals: Vec<V> = Vec::new();
    let is_int = |f: &Func, v: V| f.values[v].ty == Ty::Int;
    let mut links: Vec<(V, V)> = Vec::new();
    f.body.walk(&mut |s| {
        let place_idx = |p: &Place, out: &mut Vec<V>| {
            for pr in &p.path {
                match pr {
                    Proj::Index(i) | Proj::At(i) => out.push(*i),
                    Proj::Slice(a, b) => {
                        out.extend(a.iter().copied());
                        out.extend(b.iter().copied());
                    }
                    Proj::Field(_) => {}
                }
            }
        };
        match s {
            Stmt::Let { v, op } => {
                match op {
                    Op::Bin(b, x, y) => {
                        if b.is_cmp() {
                            links.push((*x, *y));
                        } else if matches!(b, BinOp::Shl | BinOp::Shr) {
                            links.push((*v, *x));
                        } else {
                            links.push((*v, *x));
                            links.push((*v, *y));
                        }
                    }
                    Op::Un(_, a) => links.push((*v, *a)),
                    Op::Prim("idx_add" | "idx_sub", args) => links.push((*v, args[0])),
                    // The bounds of a stepped range share a type (the
                    // trip count itself is a `usize`).
                    Op::Prim("trip_count" | "trip_count_incl", args) if args.len() == 2 => links.push((args[0], args[1])),
                    Op::Opaque { deps, .. } => {
                        if let Some(Dep::Val(r)) = deps.first() {
                            links.push((*v, *r));
                        }
                    }
                    Op::Read(p) | Op::Len(p) => place_idx(p, &mut usize_vals),
                    Op::Index(_, i) => usize_vals.push(*i),
                    _ => {}
                }
                if let Op::Call(c) = op {
                    for a in &c.args {
                        if let Some(p) = a.place() {
                            place_idx(p, &mut usize_vals);
                        }
                    }
                }
            }
            Stmt::Store { place, .. } => place_idx(place, &mut usize_vals),
            Stmt::If { phis, .. } => {
                for p in phis {
                    links.push((p.out, p.then));
                    links.push((p.out, p.els));
                }
            }
            Stmt::For { idx, range, carried, .. } => {
                links.push((*idx, range.lo));
                links.push((*idx, range.hi));
                for c in carried {
                    links.push((c.phi, c.init));
                    links.push((c.phi, c.next));
                    links.push((c.phi, c.out));
                }
            }
            Stmt::While { carried, .. } => {
                for c in carried {
                    links.push((c.phi, c.init));
                    links.push((c.phi, c.next));
                    links.push((c.phi, c.out));
                }
            }
            _ => {}
        }
    });
    for (a, b) in links {
        if is_int(f, a) && is_int(f, b) {
            uf.union(a, b);
        }
    }
    // The type of each class: the first member that has one.
    let mut class_ty: Vec<Option<syn::Type>> = vec![None; n];
    for v in usize_vals {
        if is_int(f, v) && f.values[v].rty.is_none() {
            let r = uf.find(v);
            if class_ty[r].is_none() {
                class_ty[r] = Some(syn::parse_quote!(usize));
            }
        }
    }
    for v in 0..n {
        if !is_int(f, v) {
            continue;
        }
        if let Some(t) = &f.values[v].rty {
            if is_prim_int(t) {
                let r = uf.find(v);
                if class_ty[r].is_none() {
                    class_ty[r] = Some(t.clone());
                }
            }
        }
    }
    for v in 0..n {
        if !is_int(f, v) || f.values[v].rty.is_some() {
            continue;
        }
        let r = uf.find(v);
        // Unconstrained classes keep no type (Rust's default, `i32`, is
        // used where one must be printed).
        f.values[v].rty = class_ty[r].clone();
    }
}

fn is_prim_int(t: &syn::Type) -> bool {
    match t {
        syn::Type::Path(p) => p.path.get_ident().is_some_and(|i| ["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"].contains(&i.to_string().as_str())),
        _ => false,
    }
}

/// Float classes to a fixpoint: a value first seen as a constant of
/// unknown type (`let mut s = C;`) may be reassigned a float in a loop, and
/// everything computed from it is then a float too. Classes only rise
/// (constant → float → value of unknown type); an operation that meets a
/// value of unknown type becomes the trait-dispatched call.
pub fn retype(f: &mut Func) {
    loop {
        let mut changed = false;
        let mut body = std::mem::take(&mut f.body);
        retype_block(f, &mut body, &mut changed);
        f.body = body;
        if !changed {
            break;
        }
    }
}

fn raise(f: &mut Func, v: V, to: Ty, changed: &mut bool) {
    let cur = f.values[v].ty;
    let new = match (cur, to) {
        (a, b) if a == b => a,
        (Ty::Const, Ty::F) => Ty::F,
        (Ty::Const, Ty::Val) | (Ty::F, Ty::Val) => Ty::Val,
        (a, _) => a,
    };
    if new != cur {
        f.values[v].ty = new;
        *changed = true;
    }
}

fn retype_block(f: &mut Func, b: &mut Block, ch: &mut bool) {
    for s in &mut b.stmts {
        match s {
            Stmt::Let { v, op } => {
                let v = *v;
                match op {
                    Op::Bin(bop, x, y) if !bop.is_cmp() && matches!(bop, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem) => {
                        let (tx, ty) = (f.values[*x].ty, f.values[*y].ty);
                        if tx == Ty::Val || ty == Ty::Val {
                            let name = match bop {
                                BinOp::Add => "add",
                                BinOp::Sub => "sub",
                                BinOp::Mul => "mul",
                                BinOp::Div => "div",
                                _ => "rem",
                            };
                            let span = f.values[v].span;
                            *op = Op::Call(Call { callee: Callee::Op(name), entry: Entry::Primal, args: vec![Arg::Val(*x), Arg::Val(*y)], tape: false, span });
                            raise(f, v, Ty::Val, ch);
                        } else if tx == Ty::F || ty == Ty::F {
                            // Operands of a float operation are floats.
                            raise(f, *x, Ty::F, ch);
                            raise(f, *y, Ty::F, ch);
                            raise(f, v, Ty::F, ch);
                        }
                    }
                    Op::Un(UnOp::Neg, a) => {
                        let t = f.values[*a].ty;
                        if t == Ty::Val {
                            let span = f.values[v].span;
                            *op = Op::Call(Call { callee: Callee::Op("neg"), entry: Entry::Primal, args: vec![Arg::Val(*a)], tape: false, span });
                        }
                        raise(f, v, t, ch);
                    }
                    Op::Prim(name, args) => {
                        // Float arguments of float primitives are floats.
                        if let Some(r) = crate::rules::rule(name) {
                            for a in args.iter().take(r.arity) {
                                raise(f, *a, Ty::F, ch);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Stmt::If { then, els, phis, .. } => {
                retype_block(f, then, ch);
                retype_block(f, els, ch);
                for p in phis.iter() {
                    let (a, b) = (f.values[p.then].ty, f.values[p.els].ty);
                    raise(f, p.out, a, ch);
                    raise(f, p.out, b, ch);
                }
            }
            Stmt::For { carried, body, .. } | Stmt::While { carried, body, .. } => {
                for c in carried.iter() {
                    for src in [c.init, c.next] {
                        let t = f.values[src].ty;
                        raise(f, c.phi, t, ch);
                        raise(f, c.out, t, ch);
                    }
                }
                retype_block(f, body, ch);
            }
            _ => {}
        }
        if let Stmt::While { head, .. } = s {
            retype_block(f, head, ch);
        }
    }
}
