//! Loop-invariant code motion, before differentiating.
//!
//! Input: a function. Output: the same function where the pure operations
//! of a `for` body that depend only on values from outside the loop run
//! once, before it: `for i in 0..n { s += w[i] * x[i] / mag(x) }` calls
//! `mag(x)` once, so its gradient is O(n) and the tape keeps one value
//! instead of one per iteration.
//!
//! Hoisted work must not change what is evaluated: the loop and the work
//! moved out of it run under `if lo < hi` (the loop runs at least once), so
//! a value computed only for a loop that does not run (`x.acos()` out of
//! range, `self.w[5]` of an empty `w`) is never computed. Only the
//! unconditional part of a body moves, and only operations without effects:
//! arithmetic, primitives, reads of storage the loop does not write, and
//! calls with arguments (calls without arguments may depend on state).

use std::collections::HashSet;

use proc_macro2::Span;

use crate::ir::*;

pub fn hoist(f: &mut Func) {
    let mut body = std::mem::take(&mut f.body);
    block(f, &mut body);
    f.body = body;
}

fn block(f: &mut Func, b: &mut Block) {
    let mut out: Vec<Stmt> = Vec::with_capacity(b.stmts.len());
    for s in std::mem::take(&mut b.stmts) {
        match s {
            Stmt::For { idx, range, carried, mut body } => {
                // Inner loops first.
                block(f, &mut body);
                let (hoisted, rest) = split_invariant(f, idx, &carried, &body);
                if hoisted.is_empty() {
                    out.push(Stmt::For { idx, range, carried, body });
                    continue;
                }
                body.stmts = rest;
                out.extend(guarded(f, hoisted, Stmt::For { idx, range: range.clone(), carried: carried.clone(), body }, &range, &carried));
            }
            Stmt::If { cond, mut then, mut els, phis } => {
                block(f, &mut then);
                block(f, &mut els);
                out.push(Stmt::If { cond, then, els, phis });
            }
            Stmt::While { mut head, cond, carried, mut body, trips } => {
                block(f, &mut head);
                block(f, &mut body);
                out.push(Stmt::While { head, cond, carried, body, trips });
            }
            s => out.push(s),
        }
    }
    b.stmts = out;
}

/// Storage the loop body writes (stores, pushes, `&mut` arguments).
fn written_vars(b: &Block) -> HashSet<Var> {
    let mut w = HashSet::new();
    b.walk(&mut |s| match s {
        Stmt::Store { place, .. } => {
            w.insert(place.var);
        }
        Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::Decl { var, .. } => {
            w.insert(*var);
        }
        Stmt::Let { op: Op::Call(c), .. } => {
            for a in &c.args {
                if let Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) = a {
                    w.insert(p.var);
                }
            }
        }
        Stmt::Let { op: Op::Opaque { deps, .. }, .. } => {
            // Opaque method calls on storage may mutate it.
            for d in deps {
                if let Dep::Place(p) = d {
                    w.insert(p.var);
                }
            }
        }
        _ => {}
    });
    w
}

/// Values defined anywhere in the body.
fn defined(b: &Block) -> HashSet<V> {
    let mut d = HashSet::new();
    b.walk(&mut |s| {
        for v in s.defs() {
            d.insert(v);
        }
    });
    d
}

fn split_invariant(f: &Func, idx: V, carried: &[Carry], body: &Block) -> (Vec<Stmt>, Vec<Stmt>) {
    let written = written_vars(body);
    let inside = defined(body);
    let mut variant: HashSet<V> = inside.clone();
    variant.insert(idx);
    for c in carried {
        variant.insert(c.phi);
    }
    let mut hoisted = Vec::new();
    let mut rest = Vec::new();
    for s in &body.stmts {
        if let Stmt::Let { v, op } = s {
            if movable(f, op, &written) && op.deps().iter().all(|d| !variant.contains(d)) && worth(op) {
                hoisted.push(s.clone());
                variant.remove(v);
                continue;
            }
            // Cheap invariant operands of hoisted work move with it.
            if movable(f, op, &written) && op.deps().iter().all(|d| !variant.contains(d)) && matches!(op, Op::Lit(_)) {
                hoisted.push(s.clone());
                variant.remove(v);
                continue;
            }
        }
        rest.push(s.clone());
    }
    // Literals moved but not needed by any hoisted op are put back.
    let used: HashSet<V> = hoisted.iter().flat_map(|s| s.uses()).collect();
    let mut keep = Vec::new();
    let mut back = Vec::new();
    for s in hoisted {
        if let Stmt::Let { v, op: Op::Lit(_) } = &s {
            if !used.contains(v) {
                back.push(s);
                continue;
            }
        }
        keep.push(s);
    }
    if keep.iter().all(|s| matches!(s, Stmt::Let { op: Op::Lit(_), .. })) {
        return (Vec::new(), body.stmts.clone());
    }
    let mut rest2 = back;
    rest2.extend(rest);
    (keep, rest2)
}

/// Operations that can run outside the loop without changing what happens.
fn movable(f: &Func, op: &Op, written: &HashSet<Var>) -> bool {
    match op {
        Op::Lit(_) | Op::Un(..) | Op::Bin(..) | Op::Cast(..) | Op::Prim(..) | Op::Get(..) | Op::Field(..) | Op::Index(..) | Op::Tuple(_) | Op::Struct { .. } | Op::Array(_) | Op::ZeroLike(_) | Op::Copy(_) => true,
        Op::Read(p) | Op::Len(p) => !written.contains(&p.var),
        Op::Opaque { pure, deps, .. } => *pure && deps.iter().all(|d| !matches!(d, Dep::Place(p) if written.contains(&p.var))),
        Op::Call(c) => {
            !c.args.is_empty()
                && c.args.iter().all(|a| match a {
                    Arg::Val(_) => true,
                    Arg::Ref(p) => !written.contains(&p.var),
                    Arg::Recv(p) => !written.contains(&p.var) && !matches!(f.vars[p.var].kind, VarKind::Param { by: By::Mut, .. }),
                    Arg::Mut(_) | Arg::Reborrow(_) | Arg::Zero => false,
                    Arg::Tokens(_, deps) => deps.is_empty(),
                })
        }
        _ => false,
    }
}

/// Moving cheap arithmetic gains nothing (LLVM does it); calls, primitives
/// and reads are worth it (they also stay off the tape's per-iteration
/// groups).
fn worth(op: &Op) -> bool {
    !matches!(op, Op::Lit(_))
}

/// `if lo < hi { hoisted; loop } else {}`, the loop's outputs merged with
/// their initial values.
fn guarded(f: &mut Func, hoisted: Vec<Stmt>, lp: Stmt, range: &Range, carried: &[Carry]) -> Vec<Stmt> {
    let cond = f.new_value(Ty::Bool, Span::call_site());
    let op = if range.inclusive { BinOp::Le } else { BinOp::Lt };
    let mut out = vec![Stmt::Let { v: cond, op: Op::Bin(op, range.lo, range.hi) }];
    // The loop's outputs are defined inside the guard; the names the rest of
    // the function uses become the guard's phis.
    let mut phis = Vec::new();
    let mut lp = lp;
    if let Stmt::For { carried: cs, .. } = &mut lp {
        for c in cs.iter_mut() {
            let inner = f.new_value(f.values[c.out].ty, Span::call_site());
            f.values[inner].rty = f.values[c.out].rty.clone();
            phis.push(Phi { out: c.out, then: inner, els: c.init });
            c.out = inner;
        }
    }
    let _ = carried;
    let mut then = hoisted;
    then.push(lp);
    out.push(Stmt::If { cond, then: Block { stmts: then }, els: Block::default(), phis });
    out
}
