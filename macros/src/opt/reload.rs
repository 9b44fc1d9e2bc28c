//! Values read again instead of taped.
//!
//! In the fused sweep (`_grad`, `_vjp`) the backward half of a loop often
//! runs in the same block as its forward half: the two halves of a loop
//! nested in a fused iteration (`for j { z += w[o][j] * h[j] }` inside the
//! per-sample loop of an MLP), or loops of the top block. The forward loop
//! pushes, per iteration, the values its backward loop needs; where such a
//! value is a read of storage (`h[j]`) that nothing writes between the two
//! loops (the forward loop, what runs between them, and the backward loop
//! itself), the backward loop reads it again at the same place instead:
//! one load instead of a push, a pop and the tape's traffic per iteration.
//!
//! The pair is the forward loop and its reversal (the same index value,
//! each possibly inside the guards loop-invariant code motion adds), or
//! such a pair nested in the bodies of a pair (the same iteration of each
//! enclosing loop: what was pushed at `(o, j)` is popped at `(o, j)`); the
//! k-th push from the end of the forward body is the k-th pop of the
//! backward body, checked by their values being the same. The place's
//! index values must be visible where the pop was: the loop index, values
//! from outside the forward loop, or values the backward body recomputes
//! before the pop.

use super::checkpoint::map_blocks;
use super::fuse::{declared, writes_var};
use crate::ir::*;
use std::collections::{HashMap, HashSet};

pub fn reload(f: &mut Func) {
    let mut body = std::mem::take(&mut f.body);
    block(&mut body);
    f.body = body;
}

/// A statement reached from a block: `(n, k)` steps take statement `n`
/// of the current block, then (except for the last step) its `k`-th block
/// (`if`: then, else; `for`: body).
type Path = Vec<(usize, usize)>;

fn block(b: &mut Block) {
    let loops: Vec<Vec<(V, Path)>> = b.stmts.iter().enumerate().map(|(n, s)| guarded_loops(s, n)).collect();
    let mut plans = Vec::new();
    for i in 0..b.stmts.len() {
        for (idx, fpath) in &loops[i] {
            for (j, later) in loops.iter().enumerate().skip(i + 1) {
                if let Some((_, bpath)) = later.iter().find(|(x, _)| x == idx) {
                    let span = &b.stmts[i..=j];
                    let mut ckpt = false;
                    Block { stmts: span.to_vec() }.walk(&mut |s| ckpt |= matches!(s, Stmt::Ckpt(_)));
                    if ckpt {
                        continue;
                    }
                    let mut outside = HashSet::new();
                    Block { stmts: vec![b.stmts[i].clone()] }.walk(&mut |s| outside.extend(s.defs()));
                    let mut seen = HashSet::new();
                    for s in &b.stmts[i + 1..j] {
                        seen.extend(s.defs());
                    }
                    let mut decl = HashSet::new();
                    declared(span, &mut decl);
                    let cx = Cx { span, defined_in_fwd: &outside, decl: &decl };
                    pair(&cx, b, fpath, bpath, vec![*idx], seen, &mut plans);
                }
            }
        }
    }
    for (fpath, bpath, plan) in plans {
        apply(b, &fpath, &bpath, &plan);
    }
    for s in &mut b.stmts {
        map_blocks(s, &mut block);
    }
}

struct Cx<'a> {
    /// The statements from the outermost forward loop's to the outermost
    /// backward loop's: nothing in them may write what is read again.
    span: &'a [Stmt],
    /// Values defined in the outermost forward statement.
    defined_in_fwd: &'a HashSet<V>,
    /// Storage declared in `span`.
    decl: &'a HashSet<Var>,
}

/// The `for` loops of statement `n` reached through the branches of `if`s
/// (not through loop bodies): their index and the path to them.
fn guarded_loops(s: &Stmt, n: usize) -> Vec<(V, Path)> {
    fn go(s: &Stmt, path: &mut Path, out: &mut Vec<(V, Path)>) {
        match s {
            Stmt::For { idx, .. } => out.push((*idx, path.clone())),
            Stmt::If { then, els, .. } => {
                for (k, br) in [then, els].into_iter().enumerate() {
                    for (m, t) in br.stmts.iter().enumerate() {
                        if let Some(last) = path.last_mut() {
                            last.1 = k;
                        }
                        path.push((m, 0));
                        go(t, path, out);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(s, &mut vec![(n, 0)], &mut out);
    out
}

fn nth_block(s: &Stmt, k: usize) -> Option<&Block> {
    match s {
        Stmt::If { then, els, .. } => Some(if k == 0 { then } else { els }),
        Stmt::For { body, .. } => Some(body),
        _ => None,
    }
}

fn nth_block_mut(s: &mut Stmt, k: usize) -> Option<&mut Block> {
    match s {
        Stmt::If { then, els, .. } => Some(if k == 0 { then } else { els }),
        Stmt::For { body, .. } => Some(body),
        _ => None,
    }
}

fn at<'s>(b: &'s Block, path: &[(usize, usize)]) -> Option<&'s Stmt> {
    let ((n, k), rest) = path.split_first()?;
    let s = b.stmts.get(*n)?;
    if rest.is_empty() { Some(s) } else { at(nth_block(s, *k)?, rest) }
}

fn at_mut<'s>(b: &'s mut Block, path: &[(usize, usize)]) -> Option<&'s mut Stmt> {
    let ((n, k), rest) = path.split_first()?;
    let s = b.stmts.get_mut(*n)?;
    if rest.is_empty() { Some(s) } else { at_mut(nth_block_mut(s, *k)?, rest) }
}

/// Definitions the backward path passes before reaching its loop.
fn path_defs(b: &Block, path: &[(usize, usize)], seen: &mut HashSet<V>) -> Option<()> {
    let ((n, k), rest) = path.split_first()?;
    for s in b.stmts.get(..*n)? {
        seen.extend(s.defs());
    }
    if rest.is_empty() {
        return Some(());
    }
    path_defs(nth_block(b.stmts.get(*n)?, *k)?, rest, seen)
}

fn top_positions(stmts: &[Stmt], pred: impl Fn(&Stmt) -> bool) -> Vec<usize> {
    stmts.iter().enumerate().filter(|(_, s)| pred(s)).map(|(n, _)| n).collect()
}

type Plan = Vec<(usize, V, Place)>;

/// Plans the pair at `fpath` / `bpath` (paths from `root`), then the pairs
/// nested in their bodies. `idxs`: the indices of the pairs entered.
fn pair(cx: &Cx, root: &Block, fpath: &Path, bpath: &Path, idxs: Vec<V>, mut seen: HashSet<V>, out: &mut Vec<(Path, Path, Plan)>) -> Option<()> {
    let fb = match at(root, fpath)? {
        Stmt::For { body, .. } => body,
        _ => return None,
    };
    // The backward path's own statements before its loop (the first step
    // is in the block `seen` already covers).
    if bpath.len() > 1 {
        let (n, k) = bpath[0];
        path_defs(nth_block(root.stmts.get(n)?, k)?, &bpath[1..], &mut seen)?;
    }
    let rb = match at(root, bpath)? {
        Stmt::For { body, .. } => body,
        _ => return None,
    };
    if let Some(plan) = plan(cx, fb, rb, &idxs, &seen) {
        if !plan.is_empty() {
            out.push((fpath.clone(), bpath.clone(), plan));
        }
    }
    // Pairs nested in the two bodies.
    let floops: Vec<Vec<(V, Path)>> = fb.stmts.iter().enumerate().map(|(n, s)| guarded_loops(s, n)).collect();
    let rloops: Vec<Vec<(V, Path)>> = rb.stmts.iter().enumerate().map(|(n, s)| guarded_loops(s, n)).collect();
    for (idx, fp) in floops.iter().flatten() {
        for (ridx, rp) in rloops.iter().flatten() {
            if ridx != idx {
                continue;
            }
            let mut inner_seen = seen.clone();
            let first = rp[0].0;
            for s in &rb.stmts[..first] {
                inner_seen.extend(s.defs());
            }
            let mut f2 = fpath.clone();
            f2.last_mut()?.1 = 0;
            f2.extend(fp.iter().copied());
            let mut b2 = bpath.clone();
            b2.last_mut()?.1 = 0;
            b2.extend(rp.iter().copied());
            let mut ix = idxs.clone();
            ix.push(*idx);
            pair(cx, root, &f2, &b2, ix, inner_seen, out);
        }
    }
    Some(())
}

/// The values to read again: `(k, v, place)` with `k` the pop's rank in
/// the backward body, in the order of the pops and of their values.
fn plan(cx: &Cx, fb: &Block, rb: &Block, idxs: &[V], seen: &HashSet<V>) -> Option<Plan> {
    let pushes = top_positions(&fb.stmts, |s| matches!(s, Stmt::TapePush { .. }));
    let pops = top_positions(&rb.stmts, |s| matches!(s, Stmt::TapePop { .. }));
    if pushes.len() != pops.len() || pushes.is_empty() {
        return None;
    }
    let reads: HashMap<V, &Place> = fb
        .stmts
        .iter()
        .filter_map(|s| match s {
            Stmt::Let { v, op: Op::Read(p) } => Some((*v, p)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (k, &q) in pops.iter().enumerate() {
        let p = pushes[pushes.len() - 1 - k];
        let (Stmt::TapePush { vals: pv }, Stmt::TapePop { vals: qv, .. }) = (&fb.stmts[p], &rb.stmts[q]) else { return None };
        if pv != qv {
            return None;
        }
        let mut before = seen.clone();
        for s in &rb.stmts[..q] {
            before.extend(s.defs());
        }
        for v in pv {
            let Some(place) = reads.get(v) else { continue };
            let x = place.var;
            if cx.decl.contains(&x) || writes_var(cx.span, x) {
                continue;
            }
            let visible = place.deps().all(|d| idxs.contains(&d) || !cx.defined_in_fwd.contains(&d) || before.contains(&d));
            if visible {
                out.push((k, *v, (*place).clone()));
            }
        }
    }
    Some(out)
}

fn apply(root: &mut Block, fpath: &Path, bpath: &Path, plan: &Plan) {
    // Backward body: the pops lose the values, which are read instead.
    if let Some(Stmt::For { body: rb, .. }) = at_mut(root, bpath) {
        let pops = top_positions(&rb.stmts, |s| matches!(s, Stmt::TapePop { .. }));
        for (k, v, place) in plan.iter().rev() {
            let q = pops[*k];
            if let Stmt::TapePop { vals, wit } = &mut rb.stmts[q] {
                if let Some(p) = vals.iter().position(|x| x == v) {
                    vals.remove(p);
                    if p < wit.len() {
                        wit.remove(p);
                    }
                }
            }
            rb.stmts.insert(q + 1, Stmt::Let { v: *v, op: Op::Read(place.clone()) });
        }
        rb.stmts.retain(|s| !matches!(s, Stmt::TapePop { vals, .. } if vals.is_empty()));
    }
    // Forward body: the pushes lose them.
    if let Some(Stmt::For { body: fb, .. }) = at_mut(root, fpath) {
        let gone: HashSet<V> = plan.iter().map(|(_, v, _)| *v).collect();
        for s in &mut fb.stmts {
            if let Stmt::TapePush { vals } = s {
                vals.retain(|x| !gone.contains(x));
            }
        }
        fb.stmts.retain(|s| !matches!(s, Stmt::TapePush { vals } if vals.is_empty()));
    }
}
