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
//! integer arithmetic). A moved call (which may panic, e.g. on an empty
//! array) runs under `if lo < hi`, so a loop that runs zero times still runs
//! none of it; calls are not moved out of `while` loops.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::v1::ir::*;
use crate::v1::naming;

pub fn hoist_invariants(f: &mut Func) {
    let mut names = HashMap::new();
    f.body.walk(&mut |s| {
        if let Stmt::Def { v, op: Op::Param(id) } = s {
            names.insert(*v, id.to_token_stream());
        }
    });
    let mut cx = Cx { values: &mut f.values, names };
    cx.hoist_block(&mut f.body);
}

struct Cx<'a> {
    values: &'a mut Vec<ValueInfo>,
    names: HashMap<V, TokenStream>,
}

impl Cx<'_> {
    fn new_val(&mut self, class: Class) -> V {
        self.values.push(ValueInfo { class });
        self.values.len() - 1
    }

    fn name(&self, v: V) -> TokenStream {
        self.names.get(&v).cloned().unwrap_or_else(|| naming::val(v).to_token_stream())
    }

    fn hoist_block(&mut self, b: &mut Block) {
        let stmts = std::mem::take(&mut b.stmts);
        for s in stmts {
            match s {
                Stmt::For { idx, range, carried, mut body } => {
                    self.hoist_block(&mut body);
                    let mut defined = HashSet::new();
                    defined.insert(idx);
                    let hoisted = extract(&mut body, &carried, &mut defined, true);
                    self.guard_calls(hoisted, &range, &mut b.stmts);
                    b.stmts.push(Stmt::For { idx, range, carried, body });
                }
                Stmt::While { mut cond_block, cond, carried, mut body, trips } => {
                    self.hoist_block(&mut body);
                    let mut defined = HashSet::new();
                    defined_in(&cond_block, &mut defined);
                    let hoisted = extract(&mut body, &carried, &mut defined, false);
                    b.stmts.extend(hoisted);
                    self.hoist_block(&mut cond_block);
                    b.stmts.push(Stmt::While { cond_block, cond, carried, body, trips });
                }
                Stmt::If { cond, mut then, mut els, phis } => {
                    self.hoist_block(&mut then);
                    self.hoist_block(&mut els);
                    b.stmts.push(Stmt::If { cond, then, els, phis });
                }
                other => b.stmts.push(other),
            }
        }
    }

    /// Appends hoisted statements to `out`, each call under `if` the loop
    /// runs at least once: `v = call` becomes `v = if lo < hi { call } else
    /// { 0 }` (the value is unused when the loop does not run).
    fn guard_calls(&mut self, hoisted: Vec<Stmt>, range: &RangeSpec, out: &mut Vec<Stmt>) {
        let mut cond = None;
        for s in hoisted {
            let Stmt::Def { v, op: op @ Op::Call { .. } } = s else {
                out.push(s);
                continue;
            };
            let c = match cond {
                Some(c) => c,
                None => {
                    let c = self.new_val(Class::Bool);
                    let (lo, hi) = (self.name(range.lo), self.name(range.hi));
                    let tokens = if range.inclusive { quote!((#lo <= #hi)) } else { quote!((#lo < #hi)) };
                    out.push(Stmt::Def { v: c, op: Op::Opaque { tokens, deps: vec![range.lo, range.hi], pure: true } });
                    cond = Some(c);
                    c
                }
            };
            let class = self.values[v].class;
            let (tmp, z) = (self.new_val(class), self.new_val(class));
            let then = Block { stmts: vec![Stmt::Def { v: tmp, op }] };
            let els = Block { stmts: vec![Stmt::Def { v: z, op: Op::Lit(quote!(::leibniz::__private::Zero::zero())) }] };
            out.push(Stmt::If { cond: c, then, els, phis: vec![Phi { out: v, a: tmp, b: z }] });
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

fn hoistable(op: &Op, touched: &HashSet<A>, calls: bool) -> bool {
    match op {
        Op::Lit(_) | Op::Copy(_) | Op::Bin(..) | Op::Neg(_) | Op::Math { .. } => true,
        // Tuple results are read by `Proj`s; only scalar results are moved.
        Op::Call { args, tuple: None, .. } if calls => args.iter().all(|a| match a {
            Arg::Scalar(_) | Arg::Other(..) => true,
            Arg::ArrRef(arr, _) | Arg::ArrVal(arr, _) => !touched.contains(arr),
            Arg::ArrMut(..) => false,
        }),
        _ => false,
    }
}

/// Removes the invariant statements from the top level of a loop body and
/// returns them, in order.
fn extract(body: &mut Block, carried: &[Carry], defined: &mut HashSet<V>, calls: bool) -> Vec<Stmt> {
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
            Stmt::Def { v, op } => !moved.contains(v) && hoistable(op, &touched, calls) && op.deps().iter().all(|d| !defined.contains(d)),
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
