//! Recomputation of sum loops in the split sweeps (`_record` /
//! `_pullback`, and the forward and backward entries callers use).
//!
//! `_grad` and `_vjp` fuse a loop that only carries sums (`opt::fuse`):
//! nothing is recorded across its iterations. The split sweeps cannot fuse
//! (the backward sweep runs later, maybe many times), so they tape every
//! iteration: a loop over data points with a nested loop or a call records
//! its whole working set per point (the large GMM: 256 MiB). This pass
//! records nothing in the loop instead and re-runs each iteration in the
//! backward sweep, recording it into a tape of the backward sweep's own and
//! reversing it at once:
//!
//! * forward sweep: the loop without tape pushes, then, once, what its
//!   iterations read that the backward sweep does not have: the values
//!   defined before the loop, and copies of the arrays (locals and `&mut`
//!   parameters) it reads or writes;
//! * backward sweep: those popped, then the reversed loop, each iteration
//!   first running the forward body (recording into a local tape) on the
//!   copies, then its reversal.
//!
//! A loop qualifies when each of its iterations computes the same values
//! whatever the others did: every value it carries is a sum whose running
//! value the body uses only to add to it (so a re-run may start it from
//! zero), and every array it writes is private to each iteration (each
//! element it reads was written earlier in the same iteration). Policy:
//! applied automatically when the body holds a nested loop or a call (its
//! per-iteration tape grows with the data), or when the loop is marked
//! `#[checkpoint]`; `#[checkpoint(never)]` keeps the full tape. The cost is
//! one more forward run of the loop per backward sweep.

use std::collections::{HashMap, HashSet};

use super::checkpoint::{dce, no_effects, outer_vars, rename_block, untaped};
use super::fuse::{free_uses, iteration_private, writes_var};
use crate::ad::vjp::VjpOut;
use crate::ir::*;

/// Rewrites the split sweeps of `v` in place; `float_known`: the printer
/// can name the float type (popped floats need no annotation).
/// Returns the loops it rewrote (their index values).
pub fn apply(v: &mut VjpOut, float_known: bool) -> Vec<V> {
    let marked: HashSet<V> = v.fwd.ckpt.iter().filter(|c| !c.never).map(|c| c.idx).collect();
    let never: HashSet<V> = v.fwd.ckpt.iter().filter(|c| c.never).map(|c| c.idx).collect();
    let mut cands = Vec::new();
    loops(&v.fwd.body.stmts, &mut cands);
    let mut done: Vec<V> = Vec::new();
    for idx in cands {
        if never.contains(&idx) {
            continue;
        }
        // An enclosing loop already re-runs this one.
        if done.iter().any(|o| contains_loop(&v.fwd.body.stmts, *o, idx)) {
            continue;
        }
        if one(v, idx, marked.contains(&idx), float_known).is_some() {
            done.push(idx);
        }
    }
    done
}

/// Index values of every `For`, outer loops first.
fn loops(b: &[Stmt], out: &mut Vec<V>) {
    for s in b {
        if let Stmt::For { idx, .. } = s {
            out.push(*idx);
        }
        for c in s.blocks() {
            loops(&c.stmts, out);
        }
    }
}

fn contains_loop(b: &[Stmt], outer: V, inner: V) -> bool {
    let mut hit = false;
    Block { stmts: b.to_vec() }.walk(&mut |s| {
        if let Stmt::For { idx, body, .. } = s {
            if *idx == outer {
                body.walk(&mut |t| {
                    if let Stmt::For { idx: i, .. } = t {
                        hit |= *i == inner;
                    }
                });
            }
        }
    });
    hit
}

/// The statement list holding the `For` with index `idx`, by a path of
/// (statement, block) steps.
fn find(b: &[Stmt], idx: V, path: &mut Vec<(usize, usize)>) -> bool {
    for (i, s) in b.iter().enumerate() {
        if let Stmt::For { idx: k, .. } = s {
            if *k == idx {
                path.push((i, usize::MAX));
                return true;
            }
        }
        for (j, c) in s.blocks().into_iter().enumerate() {
            path.push((i, j));
            if find(&c.stmts, idx, path) {
                return true;
            }
            path.pop();
        }
    }
    false
}

fn block_mut(s: &mut Stmt, j: usize) -> Option<&mut Block> {
    match s {
        Stmt::If { then, els, .. } => Some(if j == 0 { then } else { els }),
        Stmt::For { body, .. } => Some(body),
        Stmt::While { head, body, .. } => Some(if j == 0 { head } else { body }),
        Stmt::Ckpt(c) => Some(match j {
            0 => &mut c.advance,
            1 => &mut c.record,
            _ => &mut c.reverse,
        }),
        _ => None,
    }
}

fn list_at<'a>(b: &'a mut Vec<Stmt>, path: &[(usize, usize)]) -> Option<&'a mut Vec<Stmt>> {
    let mut cur = b;
    for (i, j) in &path[..path.len() - 1] {
        cur = &mut block_mut(cur.get_mut(*i)?, *j)?.stmts;
    }
    Some(cur)
}

fn prim_int(t: &Option<syn::Type>) -> bool {
    let Some(syn::Type::Path(p)) = t else { return false };
    p.path.get_ident().is_some_and(|i| matches!(i.to_string().as_str(), "usize" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128" | "i8" | "i16" | "i32" | "i64" | "i128"))
}

fn one(v: &mut VjpOut, idx: V, marked: bool, float_known: bool) -> Option<()> {
    let mut fpath = Vec::new();
    if !find(&v.fwd.body.stmts, idx, &mut fpath) {
        return None;
    }
    let mut bpath = Vec::new();
    if !find(&v.bwd.body.stmts, idx, &mut bpath) {
        return None;
    }
    let fi = fpath.last()?.0;
    let bi = bpath.last()?.0;
    let lst = list_at(&mut v.fwd.body.stmts, &fpath)?;
    let lstmt = lst.get(fi)?.clone();
    let Stmt::For { range, carried, body, .. } = &lstmt else { return None };

    // Worth it: a nested loop or a call per iteration, or asked for.
    let mut heavy = false;
    let mut impure = false;
    body.walk(&mut |s| match s {
        Stmt::For { .. } | Stmt::While { .. } => heavy = true,
        Stmt::Let { op: Op::Call(c), .. } if c.tape => heavy = true,
        Stmt::Let { op: Op::Opaque { pure: false, .. }, .. } => impure = true,
        Stmt::Ckpt(_) => impure = true,
        _ => {}
    });
    if impure || !(heavy || marked) {
        return None;
    }

    // Carried values: sums whose running value only feeds the addition.
    let mut uses: HashMap<V, usize> = HashMap::new();
    body.walk(&mut |s| {
        for u in s.uses() {
            *uses.entry(u).or_default() += 1;
        }
    });
    for c in carried {
        if v.fwd.values[c.phi].ty != Ty::F || uses.get(&c.phi).copied().unwrap_or(0) != 1 {
            return None;
        }
        let adds = body.stmts.iter().any(|s| match s {
            Stmt::Let { v: n, op: Op::Bin(BinOp::Add, a, b) } => *n == c.next && (*a == c.phi || *b == c.phi),
            Stmt::Let { v: n, op: Op::Bin(BinOp::Sub, a, _) } => *n == c.next && *a == c.phi,
            _ => false,
        });
        if !adds {
            return None;
        }
    }

    // Storage: read-only parameters are the backward sweep's too; other
    // arrays of floats are copied once after the loop (written ones must be
    // private to each iteration).
    let mut copies: Vec<Var> = Vec::new();
    for x in outer_vars(&body.stmts) {
        let info = &v.fwd.vars[x];
        let float_array = matches!(&info.shape, Shape::Array(e, _) if matches!(**e, Shape::Scalar(Ty::F)));
        if writes_var(&body.stmts, x) {
            if !float_array || !iteration_private(&v.fwd, &lstmt, x) {
                return None;
            }
            copies.push(x);
        } else if crate::analyse::plan::read_only(&v.fwd, x) {
            continue;
        } else if float_array {
            copies.push(x);
        } else {
            return None;
        }
    }

    // Values from before the loop.
    let mut free: Vec<V> = free_uses(&body.stmts).into_iter().filter(|u| *u != idx && !carried.iter().any(|c| c.phi == *u)).collect();
    free.push(range.lo);
    free.push(range.hi);
    free.sort_unstable();
    free.dedup();
    for u in &free {
        let info = &v.fwd.values[*u];
        let ok = match info.ty {
            Ty::F => float_known || info.rty.is_some(),
            Ty::Int => prim_int(&info.rty),
            Ty::Bool => true,
            _ => false,
        };
        if !ok {
            return None;
        }
    }

    // The backward sweep's reversal.
    let blst = list_at(&mut v.bwd.body.stmts, &bpath)?;
    let Some(Stmt::For { range: brange, body: rbody, carried: bcarried, .. }) = blst.get(bi).cloned() else { return None };
    if !bcarried.is_empty() {
        return None;
    }

    // Forward sweep: untaped loop, then the values and copies.
    let Stmt::For { idx: _, range: frange, carried: fcarried, body: fbody } = lstmt.clone() else { return None };
    // (Dead code goes with the pushes; the loop's carries keep their
    // next values alive.)
    let mut ul = Block { stmts: vec![Stmt::For { idx, range: frange, carried: fcarried.clone(), body: Block { stmts: untaped(&fbody.stmts) } }] };
    dce(&mut ul);
    let mut repl = ul.stmts;
    for x in &copies {
        repl.push(Stmt::TapePushPlace { place: Place::root(*x) });
    }
    repl.push(Stmt::TapePush { vals: free.clone() });
    let lst = list_at(&mut v.fwd.body.stmts, &fpath)?;
    lst.splice(fi..fi + 1, repl);

    // Backward sweep.
    let mut pre = vec![Stmt::TapePop { vals: free.clone(), wit: vec![None; free.len()] }];
    let mut m = HashMap::new();
    for x in copies.iter().rev() {
        let mut info = v.bwd.vars[*x].clone();
        info.kind = VarKind::Local;
        info.rty = None;
        info.name = format!("rc_{}", info.name);
        v.bwd.vars.push(info);
        let nx = v.bwd.vars.len() - 1;
        m.insert(*x, nx);
        pre.push(Stmt::TapePopPlace { var: nx, like: Place::root(*x), wit: None });
    }
    let mut it = Vec::new();
    for c in &fcarried {
        it.push(Stmt::Let { v: c.phi, op: Op::Lit(Lit::Zero) });
    }
    it.extend(no_effects(&fbody.stmts));
    let mut itb = Block { stmts: it };
    rename_block(&mut itb, &m);
    let mut stmts = itb.stmts;
    stmts.extend(rbody.stmts);
    let r = Stmt::For { idx, range: brange, carried: Vec::new(), body: Block { stmts } };
    let k = v.bwd.new_value(Ty::Int, proc_macro2::Span::call_site());
    pre.push(Stmt::Ckpt(Box::new(Ckpt {
        id: idx,
        part: CkptPart::Local,
        steps: None,
        slots: None,
        chunk: None,
        state: Vec::new(),
        vals: Vec::new(),
        k,
        advance: Block::default(),
        record: Block::default(),
        reverse: Block { stmts: vec![r] },
    })));
    let blst = list_at(&mut v.bwd.body.stmts, &bpath)?;
    blst.splice(bi..bi + 1, pre);
    // The fused sweep and the forward sweep share value numbers: the new
    // ones exist in both.
    let _ = range;
    Some(())
}
