//! Accumulations into neighbouring elements carried in registers.
//!
//! A loop whose iterations add into `a[i]` and `a[i + 1]` (the adjoint of a
//! stencil: Rosenbrock's `x[i + 1] - x[i]²`, finite differences, chains)
//! makes each iteration load and store the element the previous one stored:
//! a dependency through memory on every iteration, and when the two
//! additions are vectorised together, a store that the next load cannot
//! forward. Hand-written gradients carry the pending contribution in a
//! register. This pass does the same: in a forward loop over `i` whose only
//! accesses to a float array `a` are unconditional `a[i + k] += ..` with
//! constant offsets `k` (at least two distinct ones), the contributions to
//! the elements ahead are summed in carried values, and each iteration adds
//! one finished sum, into `a[i + min k]`. After the loop, the sums still
//! pending are added where a contribution was made (a sum is pending when
//! it is not the `-0.0` it starts from, so the loop touches no element the
//! original did not).
//!
//! The additions into an element are regrouped (`a + (c₁ + c₀)` instead of
//! `(a + c₁) + c₀`): equal up to rounding. Used on the fused reverse mode,
//! where the cotangents are added anyway in an order of the macro's choice.

use std::collections::HashMap;

use proc_macro2::Span;
use quote::quote;

use crate::ir::*;

/// `np`: the number of parameters; only adjoints are rewritten (variables
/// the transforms created, and shadows: parameter slots from `np` on), so
/// that the primal's own additions keep their order.
pub fn carry(f: &mut Func, np: usize) {
    let mut body = std::mem::take(&mut f.body);
    let mut defs = HashMap::new();
    collect_defs(&body.stmts, &mut defs);
    NP.with(|n| n.set(np));
    block(f, &mut body, &defs);
    f.body = body;
}

thread_local! {
    static NP: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn adjoint(f: &Func, x: Var) -> bool {
    match f.vars[x].kind {
        VarKind::Derived => true,
        VarKind::Param { index, .. } => index >= NP.with(|n| n.get()),
        VarKind::Local => false,
    }
}

fn collect_defs(b: &[Stmt], out: &mut HashMap<V, Op>) {
    for s in b {
        if let Stmt::Let { v, op } = s {
            out.insert(*v, op.clone());
        }
        for c in s.blocks() {
            collect_defs(&c.stmts, out);
        }
    }
}

fn block(f: &mut Func, b: &mut Block, defs: &HashMap<V, Op>) {
    let mut out = Vec::with_capacity(b.stmts.len());
    for mut s in std::mem::take(&mut b.stmts) {
        match &mut s {
            Stmt::If { then, els, .. } => {
                block(f, then, defs);
                block(f, els, defs);
                out.push(s);
            }
            Stmt::While { head, body, .. } => {
                block(f, head, defs);
                block(f, body, defs);
                out.push(s);
            }
            Stmt::For { body, .. } => {
                block(f, body, defs);
                let (pre, after) = rewrite(f, &mut s, defs);
                out.extend(pre);
                out.push(s);
                out.extend(after);
            }
            _ => out.push(s),
        }
    }
    b.stmts = out;
}

fn lit_usize(defs: &HashMap<V, Op>, v: V) -> Option<usize> {
    match defs.get(&v)? {
        Op::Lit(Lit::Int(t)) => {
            let s = t.to_string().replace([' ', '_'], "");
            let s = s.trim_end_matches("usize");
            s.parse().ok()
        }
        _ => None,
    }
}

/// The offset `k` of an index `i + k` of loop index `i`.
fn offset(defs: &HashMap<V, Op>, idx: V, j: V) -> Option<usize> {
    if j == idx {
        return Some(0);
    }
    match defs.get(&j)? {
        Op::Bin(BinOp::Add, a, b) if *a == idx => lit_usize(defs, *b),
        Op::Bin(BinOp::Add, a, b) if *b == idx => lit_usize(defs, *a),
        _ => None,
    }
}

fn touches(s: &Stmt, x: Var) -> bool {
    let mut hit = false;
    let mut f = |s: &Stmt| {
        let h = match s {
            Stmt::Let { op, .. } => op.reads().contains(&x) || matches!(op, Op::Call(c) if c.args.iter().any(|a| a.place().is_some_and(|p| p.var == x))),
            Stmt::Store { place, .. } => place.var == x,
            Stmt::Decl { var, init } => *var == x || matches!(init, Init::CopyOf(p) | Init::ZeroOfPlace(p) if p.var == x) || matches!(init, Init::ZeroLike(y) if *y == x),
            Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::TapePopPlace { var, .. } | Stmt::AccPat { var, .. } => *var == x,
            Stmt::TapePushPlace { place } => place.var == x,
            Stmt::Effect { deps, .. } => dep_vars(deps).contains(&x),
            _ => false,
        };
        hit |= h;
    };
    f(s);
    for b in s.blocks() {
        b.walk(&mut f);
    }
    hit
}

/// Rewrites one loop; returns the statements to run before and after it.
fn rewrite(f: &mut Func, s: &mut Stmt, defs: &HashMap<V, Op>) -> (Vec<Stmt>, Vec<Stmt>) {
    let Stmt::For { idx, range, carried, body } = s else { return (Vec::new(), Vec::new()) };
    if range.rev || range.inclusive {
        return (Vec::new(), Vec::new());
    }
    let mut pre = Vec::new();
    // Candidate arrays: unconditional `a[i + k] += v` at the top of the body.
    let mut cand: HashMap<Var, Vec<(usize, usize)>> = HashMap::new();
    for (n, st) in body.stmts.iter().enumerate() {
        if let Stmt::Store { place, acc: true, .. } = st {
            if let [Proj::Index(j)] = place.path.as_slice() {
                if let (Some(k), Shape::Array(e, _)) = (offset(defs, *idx, *j), &f.vars[place.var].shape) {
                    if matches!(**e, Shape::Scalar(Ty::F)) && adjoint(f, place.var) {
                        cand.entry(place.var).or_default().push((n, k));
                    }
                }
            }
        }
    }
    let mut after = Vec::new();
    let mut vars: Vec<Var> = cand.keys().copied().collect();
    vars.sort_unstable();
    for x in vars {
        let stores = cand[&x].clone();
        let mut offs: Vec<usize> = stores.iter().map(|s| s.1).collect();
        offs.sort_unstable();
        offs.dedup();
        if offs.len() < 2 || offs[offs.len() - 1] - offs[0] > 4 {
            continue;
        }
        // No other access to the array in the loop.
        let store_at: Vec<usize> = stores.iter().map(|s| s.0).collect();
        if body.stmts.iter().enumerate().any(|(n, st)| !store_at.contains(&n) && touches(st, x)) {
            continue;
        }
        let m = offs[0];
        let kk = offs[offs.len() - 1] - m;
        // The index value of `a[i + m]`, flushed into each iteration.
        let Some(im) = stores.iter().find(|s| s.1 == m).and_then(|s| match &body.stmts[s.0] {
            Stmt::Store { place, .. } => match place.path.as_slice() {
                [Proj::Index(i)] => Some(*i),
                _ => None,
            },
            _ => None,
        }) else {
            continue;
        };
        // Carried pending sums: slot j is element i + m + j.
        let nz = {
            let z = f.new_value(Ty::F, Span::call_site());
            after_zero(f, z)
        };
        let (zero_stmts, z) = nz;
        let mut slots: Vec<V> = Vec::new();
        let mut new_carries = Vec::new();
        for _ in 0..kk {
            let phi = f.new_value(Ty::F, Span::call_site());
            slots.push(phi);
            new_carries.push(phi);
        }
        // The body with the stores turned into sums.
        let mut cur: Vec<Option<V>> = slots.iter().map(|p| Some(*p)).collect();
        cur.push(None);
        let mut nb = Vec::with_capacity(body.stmts.len());
        for (n, st) in std::mem::take(&mut body.stmts).into_iter().enumerate() {
            if let Some((_, k)) = stores.iter().find(|s| s.0 == n) {
                let Stmt::Store { val, .. } = &st else {
                    nb.push(st);
                    continue;
                };
                let j = k - m;
                let nv = match cur[j] {
                    Some(c) => {
                        let nv = f.new_value(Ty::F, Span::call_site());
                        nb.push(Stmt::Let { v: nv, op: Op::Bin(BinOp::Add, c, *val) });
                        nv
                    }
                    None => *val,
                };
                cur[j] = Some(nv);
                continue;
            }
            nb.push(st);
        }
        // Flush slot 0 into a[i + m], shift the others.
        nb.push(Stmt::Store { place: Place::root(x).with(Proj::Index(im)), val: cur[0].unwrap_or(z), acc: true });
        body.stmts = nb;
        let mut outs = Vec::new();
        for j in 0..kk {
            let next = cur[j + 1].unwrap_or(z);
            let out = f.new_value(Ty::F, Span::call_site());
            carried.push(Carry { init: z, phi: slots[j], next, out });
            outs.push(out);
        }
        pre.extend(zero_stmts);
        // After the loop: what is still pending, where it is pending.
        for (j, out) in outs.into_iter().enumerate() {
            let cond = f.new_value(Ty::Bool, Span::call_site());
            let d = crate::naming::dep(0);
            after.push(Stmt::Let { v: cond, op: Op::Opaque { tokens: quote!(::leibniz::__private::pending(#d)), deps: vec![Dep::Val(out)], pure: true, span: Span::call_site() } });
            let off = f.new_value(Ty::Int, Span::call_site());
            f.values[off].rty = Some(syn::parse_quote!(usize));
            let n = m + j;
            let e = f.new_value(Ty::Int, Span::call_site());
            f.values[e].rty = Some(syn::parse_quote!(usize));
            let then = vec![
                Stmt::Let { v: off, op: Op::Lit(Lit::Int(quote!(#n))) },
                Stmt::Let { v: e, op: Op::Bin(BinOp::Add, range.hi, off) },
                Stmt::Store { place: Place::root(x).with(Proj::Index(e)), val: out, acc: true },
            ];
            after.push(Stmt::If { cond, then: Block { stmts: then }, els: Block::default(), phis: Vec::new() });
        }
    }
    (pre, after)
}

fn after_zero(f: &mut Func, z: V) -> (Vec<Stmt>, V) {
    let zero = f.new_value(Ty::F, Span::call_site());
    (vec![Stmt::Let { v: zero, op: Op::Lit(Lit::Zero) }, Stmt::Let { v: z, op: Op::Un(UnOp::Neg, zero) }], z)
}
