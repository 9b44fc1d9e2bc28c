//! Optimisation on the IR before differentiation: loop-invariant code
//! motion.
//!
//! Input: a `Func`. Output: the same `Func` where pure work inside a loop
//! body whose inputs do not change in the loop (float arithmetic, float
//! methods, constants, calls to `#[differentiable]` functions whose
//! arguments the loop neither defines nor writes) runs once before the loop.
//!
//! Why before differentiating: in `for i in 0..n { loss += w[i] * x[i] /
//! mag(x) }` the adjoint of `mag(x)` would otherwise run n times, making the
//! gradient O(n²); hoisted, the adjoints of the n uses are summed and pulled
//! back through `mag` once.
//!
//! Only statements that run unconditionally in the body are moved, and only
//! operations that cannot panic or have side effects (no indexing, no
//! integer arithmetic), so moving them in front of a loop that runs zero
//! times changes nothing observable.

use std::collections::HashSet;

use crate::ir::*;

pub fn hoist_invariants(f: &mut Func) {
    hoist_block(&mut f.body);
}

fn hoist_block(b: &mut Block) {
    let stmts = std::mem::take(&mut b.stmts);
    for s in stmts {
        match s {
            Stmt::For { idx, range, carried, mut body } => {
                hoist_block(&mut body);
                let mut defined = HashSet::new();
                defined.insert(idx);
                let hoisted = extract(&mut body, &carried, &mut defined);
                b.stmts.extend(hoisted);
                b.stmts.push(Stmt::For { idx, range, carried, body });
            }
            Stmt::While { mut cond_block, cond, carried, mut body, trips } => {
                hoist_block(&mut body);
                let mut defined = HashSet::new();
                defined_in(&cond_block, &mut defined);
                let hoisted = extract(&mut body, &carried, &mut defined);
                b.stmts.extend(hoisted);
                hoist_block(&mut cond_block);
                b.stmts.push(Stmt::While { cond_block, cond, carried, body, trips });
            }
            Stmt::If { cond, mut then, mut els, phis } => {
                hoist_block(&mut then);
                hoist_block(&mut els);
                b.stmts.push(Stmt::If { cond, then, els, phis });
            }
            other => b.stmts.push(other),
        }
    }
}

/// Every value defined anywhere in `b`.
fn defined_in(b: &Block, out: &mut HashSet<V>) {
    b.walk(&mut |s| match s {
        Stmt::Def { v, .. } => {
            out.insert(*v);
        }
        Stmt::If { phis, .. } => out.extend(phis.iter().map(|p| p.out)),
        Stmt::For { idx, carried, .. } => {
            out.insert(*idx);
            for c in carried {
                out.insert(c.phi);
                out.insert(c.out);
            }
        }
        Stmt::While { carried, trips, .. } => {
            out.insert(*trips);
            for c in carried {
                out.insert(c.phi);
                out.insert(c.out);
            }
        }
        _ => {}
    });
}

/// Arrays written anywhere in `b`, or created in it.
fn arrays_touched(b: &Block) -> HashSet<A> {
    let mut out = HashSet::new();
    b.walk(&mut |s| match s {
        Stmt::Store { arr, .. } | Stmt::ArrAssign { arr, .. } | Stmt::ArrNew { arr, .. } => {
            out.insert(*arr);
        }
        Stmt::Def { op: Op::Call { args, .. }, .. } => {
            for a in args {
                if let Arg::ArrMut(m, _) = a {
                    out.insert(*m);
                }
            }
        }
        _ => {}
    });
    out
}

fn hoistable(op: &Op, touched: &HashSet<A>) -> bool {
    match op {
        Op::Lit(_) | Op::Copy(_) | Op::Bin(..) | Op::Neg(_) | Op::Math { .. } | Op::Proj(..) => true,
        Op::Call { args, .. } => args.iter().all(|a| match a {
            Arg::Scalar(_) | Arg::Other(..) => true,
            Arg::ArrRef(arr, _) | Arg::ArrVal(arr, _) => !touched.contains(arr),
            Arg::ArrMut(..) => false,
        }),
        _ => false,
    }
}

/// Removes the invariant statements from the top level of a loop body and
/// returns them, in order.
fn extract(body: &mut Block, carried: &[Carry], defined: &mut HashSet<V>) -> Vec<Stmt> {
    for c in carried {
        defined.insert(c.phi);
    }
    defined_in(body, defined);
    let touched = arrays_touched(body);
    // A call whose array result a local takes over is moved by it: it
    // stays where it is.
    let mut moved = HashSet::new();
    body.walk(&mut |s| {
        if let Stmt::ArrNew { init: ArrInit::FromCall(v), .. } = s {
            moved.insert(*v);
        }
    });
    let mut hoisted = Vec::new();
    let stmts = std::mem::take(&mut body.stmts);
    for s in stmts {
        let invariant = match &s {
            Stmt::Def { v, op } => !moved.contains(v) && hoistable(op, &touched) && op.deps().iter().all(|d| !defined.contains(d)),
            _ => false,
        };
        if invariant {
            if let Stmt::Def { v, .. } = &s {
                defined.remove(v);
            }
            hoisted.push(s);
        } else {
            body.stmts.push(s);
        }
    }
    hoisted
}
