//! The tape plan: for every primal value the backward sweep needs (a
//! residual), whether the forward sweep stores it on the tape or the
//! backward sweep recomputes it, and in which block.
//!
//! A residual is recomputed when its operation is pure and cheap and all
//! its operands are themselves recomputable: literals, parameters, loop
//! indices, reads of read-only inputs, integer and float arithmetic, cheap
//! primitives. Everything else is stored, once, in the group of the block
//! that defines it: the forward sweep pushes the group at the end of the
//! block (once per loop iteration for loop bodies) and the backward sweep
//! pops it at the start of the block's reversal.

use std::collections::{HashMap, HashSet};

use crate::ir::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum How {
    Store,
    Recompute,
    /// Available in the backward sweep without work: parameters by value
    /// (handed to it again) and loop indices (the reversed loop has them).
    Given,
}

/// Where each value is defined: the block (by id) and its op.
pub struct Defs {
    /// Block id of each value's definition.
    pub block: HashMap<V, usize>,
    pub op: HashMap<V, Op>,
    /// Values defined as loop indices.
    pub loop_idx: HashSet<V>,
    /// Values that are phis, carries, pops or trips (not recomputable).
    pub merged: HashSet<V>,
}

pub fn defs(f: &Func) -> Defs {
    let mut d = Defs { block: HashMap::new(), op: HashMap::new(), loop_idx: HashSet::new(), merged: HashSet::new() };
    let mut next = 0usize;
    walk(&f.body, &mut next, &mut d);
    d
}

fn walk(b: &Block, next: &mut usize, d: &mut Defs) {
    let id = *next;
    *next += 1;
    for s in &b.stmts {
        match s {
            Stmt::Let { v, op } => {
                d.block.insert(*v, id);
                d.op.insert(*v, op.clone());
            }
            Stmt::If { then, els, phis, .. } => {
                walk(then, next, d);
                walk(els, next, d);
                for p in phis {
                    d.block.insert(p.out, id);
                    d.merged.insert(p.out);
                }
            }
            Stmt::For { idx, carried, body, .. } => {
                let body_id = *next;
                walk(body, next, d);
                d.block.insert(*idx, body_id);
                d.loop_idx.insert(*idx);
                for c in carried {
                    d.block.insert(c.phi, body_id);
                    d.block.insert(c.out, id);
                    d.merged.insert(c.phi);
                    d.merged.insert(c.out);
                }
            }
            Stmt::While { head, carried, body, trips, .. } => {
                // The head's values belong to the body's group: they are
                // pushed once per iteration that runs the body.
                let head_id = *next;
                walk(head, next, d);
                let body_id = *next;
                walk(body, next, d);
                for bv in d.block.values_mut() {
                    if *bv == head_id {
                        *bv = body_id;
                    }
                }
                for c in carried {
                    d.block.insert(c.phi, body_id);
                    d.block.insert(c.out, id);
                    d.merged.insert(c.phi);
                    d.merged.insert(c.out);
                }
                if let Some(t) = trips {
                    d.block.insert(*t, id);
                    d.merged.insert(*t);
                }
            }
            Stmt::PopVec { out: Some(v), .. } => {
                d.block.insert(*v, id);
                d.merged.insert(*v);
            }
            Stmt::TapePop { vals, .. } => {
                for v in vals {
                    d.block.insert(*v, id);
                    d.merged.insert(*v);
                }
            }
            _ => {}
        }
    }
}

/// Decides how each needed value reaches the backward sweep; adds the
/// operands of recomputed values to the needed set.
///
/// First every needed value is stored unless it is recomputable from
/// literals, parameters, loop indices and read-only inputs. Then, until
/// nothing changes: a stored value whose operation is cheap arithmetic on
/// values that are kept anyway (stored or recomputable) is recomputed
/// instead (`c·speed` from a stored `speed`); and where several stored
/// values are cheap arithmetic on one value that is not kept (`c·speed` and
/// `2·speed`, both from `speed = sqrt(..)`), that one value is stored and
/// they are recomputed from it. Each stored value is stored once, in the
/// group of the block that defines it.
pub fn plan(f: &Func, d: &Defs, needed: &HashSet<V>) -> HashMap<V, How> {
    let mut out: HashMap<V, How> = HashMap::new();
    let mut todo: Vec<V> = needed.iter().copied().collect();
    todo.sort_unstable();
    close(f, d, &mut out, todo);
    loop {
        let mut stored: Vec<V> = out.iter().filter(|(_, h)| **h == How::Store).map(|(v, _)| *v).collect();
        stored.sort_unstable();
        let avail = |out: &HashMap<V, How>, u: V| -> bool { d.loop_idx.contains(&u) || out.contains_key(&u) || d.op.get(&u).is_some_and(|o| recomputable(f, d, o, 0)) };
        let mut groups: HashMap<V, Vec<V>> = HashMap::new();
        let mut again: Vec<V> = Vec::new();
        for v in stored {
            if d.merged.contains(&v) {
                continue;
            }
            let Some(op) = d.op.get(&v) else { continue };
            if !cheap_arith(op) {
                continue;
            }
            let missing: Vec<V> = op.deps().into_iter().filter(|u| !avail(&out, *u)).collect();
            match missing.as_slice() {
                [] => {
                    out.insert(v, How::Recompute);
                    again.extend(op.deps());
                }
                [u] if storable(f, d, *u) => groups.entry(*u).or_default().push(v),
                _ => {}
            }
        }
        let mut gs: Vec<(V, Vec<V>)> = groups.into_iter().filter(|(_, vs)| vs.len() >= 2).collect();
        gs.sort_unstable_by_key(|g| g.0);
        for (u, vs) in gs {
            if out.contains_key(&u) {
                continue;
            }
            out.insert(u, How::Store);
            for v in vs {
                out.insert(v, How::Recompute);
                if let Some(op) = d.op.get(&v) {
                    again.extend(op.deps());
                }
            }
        }
        if again.is_empty() {
            break;
        }
        close(f, d, &mut out, again);
    }
    out
}

/// Plans `todo` and, transitively, the operands of what is recomputed.
fn close(f: &Func, d: &Defs, out: &mut HashMap<V, How>, mut todo: Vec<V>) {
    while let Some(v) = todo.pop() {
        if out.contains_key(&v) {
            continue;
        }
        let how = how(f, d, v);
        out.insert(v, how);
        if how == How::Recompute {
            if let Some(op) = d.op.get(&v) {
                for u in op.deps() {
                    if !out.contains_key(&u) {
                        todo.push(u);
                    }
                }
            }
        }
    }
}

/// Arithmetic that costs less than a store and a load.
fn cheap_arith(op: &Op) -> bool {
    match op {
        Op::Lit(_) | Op::Un(..) | Op::Bin(..) | Op::Cast(..) => true,
        Op::Prim(name, _) => crate::rules::rule(name).is_some_and(|r| r.cheap),
        _ => false,
    }
}

/// Whether a value can be stored in place of what is computed from it: a
/// float, integer or boolean with a definition the backward sweep can pop.
fn storable(f: &Func, d: &Defs, u: V) -> bool {
    matches!(f.values[u].ty, Ty::F | Ty::Int | Ty::Bool) && (d.op.contains_key(&u) || d.merged.contains(&u)) && !d.loop_idx.contains(&u)
}

fn how(f: &Func, d: &Defs, v: V) -> How {
    if d.loop_idx.contains(&v) {
        return How::Given;
    }
    if d.merged.contains(&v) {
        return How::Store;
    }
    let Some(op) = d.op.get(&v) else { return How::Store };
    if recomputable(f, d, op, 0) { How::Recompute } else { How::Store }
}

/// Whether an operation can be replayed in the backward sweep, looking
/// `depth` levels into its operands.
fn recomputable(f: &Func, d: &Defs, op: &Op, depth: usize) -> bool {
    if depth > 6 {
        return false;
    }
    let operand_ok = |u: V| -> bool {
        if d.loop_idx.contains(&u) {
            return true;
        }
        if d.merged.contains(&u) {
            // Stored values are available; recomputing from them is fine.
            return true;
        }
        match d.op.get(&u) {
            Some(o) => recomputable(f, d, o, depth + 1) || cheap_to_store(f, u),
            None => true,
        }
    };
    match op {
        Op::Lit(_) | Op::Param(_) => true,
        Op::Un(_, a) => operand_ok(*a),
        Op::Bin(_, a, b) => operand_ok(*a) && operand_ok(*b),
        Op::Cast(a, _) => operand_ok(*a),
        Op::Prim(name, args) => {
            let cheap = crate::rules::rule(name).is_some_and(|r| r.cheap);
            cheap && args.iter().all(|a| operand_ok(*a))
        }
        Op::Read(p) => read_only(f, p.var) && p.deps().all(operand_ok),
        Op::Len(p) => read_only(f, p.var) && p.deps().all(operand_ok),
        Op::Opaque { deps, pure, .. } => {
            *pure
                && deps.iter().all(|x| match x {
                    Dep::Val(u) => operand_ok(*u),
                    Dep::Place(p) => read_only(f, p.var) && p.deps().all(operand_ok),
                })
        }
        Op::Get(a, _) | Op::Field(a, _) | Op::Index(a, _) => operand_ok(*a) && op.deps().into_iter().all(operand_ok),
        Op::Tuple(xs) => xs.iter().all(|x| operand_ok(*x)),
        Op::Struct { fields, .. } => fields.iter().all(|(_, x)| operand_ok(*x)),
        Op::ZeroLike(a) => operand_ok(*a),
        _ => false,
    }
}

/// Values whose storing is as good as recomputing their operands.
fn cheap_to_store(_f: &Func, _v: V) -> bool {
    false
}

/// Parameters the body never writes: their contents are the same in the
/// backward sweep.
pub fn read_only(f: &Func, x: Var) -> bool {
    matches!(f.vars[x].kind, VarKind::Param { by: By::Ref | By::Value, .. }) && !f.vars[x].written
}
