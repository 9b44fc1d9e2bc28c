//! Binomial checkpointing of `#[checkpoint]` loops in the fused reverse
//! sweep of `_grad` and `_vjp`.
//!
//! Input: the forward and backward parts of the fused sweep (see
//! `opt::fuse`), in which a marked loop `L` is a `For` of the forward part
//! whose body records its iteration's tape, and its reversal `R` is the
//! `For` of the backward part with the same index, whose body pops that
//! tape and reverses the iteration. Fully taped, the tape holds every
//! iteration at once.
//!
//! Output: `L` and `R` replaced by the two parts of a *revolve* driver
//! ([`Stmt::Ckpt`], printed by the Rust backend; the schedule is the
//! runtime's `Revolve`):
//!
//! * the loop's **state** is what its iterations change and what the
//!   backward sweep needs them to see again: the storage the body writes
//!   (declared outside it), storage it reads that the forward part changes
//!   after the loop, and its carried values, which become storage here
//!   (read at the start of an iteration, written at its end);
//! * the forward part runs the iterations without recording, saving the
//!   state where the schedule says, keeps the state the first reversal
//!   starts from, and runs the rest of the iterations: what follows the
//!   loop sees the same values as before;
//! * the backward part works on a copy of that state (the function's own
//!   variables keep their final values): it restores saved states, re-runs
//!   iterations without recording, and reverses each iteration, last first,
//!   by running it once more recording its tape and at once its reversal.
//!
//! The tape then holds one iteration at a time; memory is the saved states
//! (`snapshots` of them, `4 ⌈log₂ n⌉` by default) and time is the fully
//! taped sweep plus the re-runs the schedule needs (`leibniz::checkpoint::
//! cost`). Iterations must compute the same values when re-run from the
//! same state: they do, as leibniz only sees pure operations and storage
//! it tracks; effects (`println!`, `assert!`) run in the forward part only.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::fuse::{accesses, declared, free_uses, level_defs, writes_var};
use crate::ir::*;

/// Applies every `#[checkpoint]` of `func.ckpt` found in the parts; returns
/// the errors (span, message) of the ones that cannot be applied.
pub fn apply(func: &mut Func, pre: &mut Vec<Stmt>, fwd: &mut Vec<Stmt>, bwd: &mut Vec<Stmt>, fused: &[V]) -> Vec<(TokenStream, String)> {
    let mut errs = Vec::new();
    let specs = func.ckpt.clone();
    for (id, spec) in specs.iter().enumerate() {
        if spec.never || fused.contains(&spec.idx) {
            // Fused: each iteration's tape is already used up at once.
            continue;
        }
        let Some(lpath) = find(fwd, spec.idx) else {
            if nested(fwd, spec.idx) {
                errs.push((spec.attr.clone(), "`#[checkpoint]` applies to a loop of the function body itself (or inside `if`s there), not to a loop nested in another loop: put it on the outer loop".to_string()));
            }
            continue;
        };
        // No reversal: the loop does nothing to derivatives.
        let Some(rpath) = find(bwd, spec.idx) else { continue };
        if let Err(e) = one(func, id, spec, pre, fwd, &lpath, bwd, &rpath) {
            errs.push((spec.attr.clone(), e));
        }
    }
    errs
}

type Path = Vec<usize>;

/// The location of the `For` with index `idx` (through `if` branches:
/// statement index, branch, statement index, ..).
fn find(stmts: &[Stmt], idx: V) -> Option<Path> {
    for (i, s) in stmts.iter().enumerate() {
        match s {
            Stmt::For { idx: k, .. } if *k == idx => return Some(vec![i]),
            Stmt::If { then, els, .. } => {
                for (br, b) in [then, els].into_iter().enumerate() {
                    if let Some(mut p) = find(&b.stmts, idx) {
                        p.insert(0, br);
                        p.insert(0, i);
                        return Some(p);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn nested(stmts: &[Stmt], idx: V) -> bool {
    let mut hit = false;
    Block { stmts: stmts.to_vec() }.walk(&mut |s| {
        if let Stmt::For { idx: k, .. } = s {
            hit |= *k == idx;
        }
    });
    hit
}

/// The statement list holding the statement at `path`, and its index.
fn list_mut<'a>(stmts: &'a mut Vec<Stmt>, path: &[usize]) -> Result<(&'a mut Vec<Stmt>, usize), String> {
    if path.len() == 1 {
        return Ok((stmts, path[0]));
    }
    match stmts.get_mut(path[0]) {
        Some(Stmt::If { then, els, .. }) => {
            let b = if path[1] == 0 { then } else { els };
            list_mut(&mut b.stmts, &path[2..])
        }
        _ => Err(INTERNAL.into()),
    }
}

const INTERNAL: &str = "internal error of leibniz: the sweeps of this `#[checkpoint]` loop do not have the shape checkpointing expects; please report it, and write `#[checkpoint(never)]` meanwhile";

/// The statements after `path` at every level (program order).
fn after(stmts: &[Stmt], path: &[usize]) -> Vec<Stmt> {
    let mut out = stmts[path[0] + 1..].to_vec();
    if path.len() > 1 {
        if let Stmt::If { then, els, .. } = &stmts[path[0]] {
            let b = if path[1] == 0 { then } else { els };
            let mut inner = after(&b.stmts, &path[2..]);
            inner.append(&mut out);
            out = inner;
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn one(func: &mut Func, id: usize, spec: &LoopCkpt, pre: &mut Vec<Stmt>, fwd: &mut Vec<Stmt>, lpath: &[usize], bwd: &mut Vec<Stmt>, rpath: &[usize]) -> Result<(), String> {
    let rest = after(fwd, lpath);
    let (lst, li) = list_mut(fwd, lpath)?;
    let Some(Stmt::For { idx, range, carried, body }) = lst.get(li).cloned() else { return Err(INTERNAL.into()) };
    let mut impure = false;
    body.walk(&mut |s| {
        if let Stmt::Let { op: Op::Opaque { pure: false, .. }, .. } = s {
            impure = true;
        }
    });
    if impure {
        return Err("a `#[checkpoint]` loop is re-run from saved states by the backward sweep, and this one's body has an operation leibniz cannot re-run safely; remove `#[checkpoint]`".into());
    }

    // The state.
    let mut state = Vec::new();
    for x in outer_vars(&body.stmts) {
        if writes_var(&body.stmts, x) || writes_var(&rest, x) {
            if matches!(func.vars[x].kind, VarKind::Param { by: By::Ref, .. }) {
                return Err(format!("`#[checkpoint]`: the loop changes `{}` through a shared reference, which leibniz cannot save and restore; copy it into a local first", func.vars[x].name));
            }
            state.push(x);
        }
    }

    // Carried values become storage.
    let mut before = Vec::new();
    let mut prologue = Vec::new();
    let mut epilogue = Vec::new();
    let mut outs = Vec::new();
    for c in &carried {
        let ty = func.values[c.phi].ty;
        let shape = match ty {
            Ty::Val | Ty::Const => Shape::Val,
            t => Shape::Scalar(t),
        };
        let x = func.new_var(shape, VarKind::Local, format!("ckc{}", c.phi));
        func.vars[x].rty = func.values[c.phi].rty.clone().or_else(|| func.values[c.init].rty.clone()).filter(|t| !matches!(t, syn::Type::Reference(_)));
        before.push(Stmt::Decl { var: x, init: Init::Val(c.init) });
        prologue.push(Stmt::Let { v: c.phi, op: Op::Read(Place::root(x)) });
        epilogue.push(Stmt::Store { place: Place::root(x), val: c.next, acc: false });
        outs.push(Stmt::Let { v: c.out, op: Op::Read(Place::root(x)) });
        state.push(x);
    }

    // The iteration number and the loop index computed from it.
    let k = func.new_value(Ty::Int, spec.span);
    func.values[k].rty = Some(syn::parse_quote!(usize));
    let (rev, incl) = (range.rev, range.inclusive);
    let d = |i: usize| crate::naming::dep(i);
    let (d0, d1, d2) = (d(0), d(1), d(2));
    let idx_def = Stmt::Let {
        v: idx,
        op: Op::Opaque { tokens: quote!(::leibniz::__private::ck_nth(#d0, #d1, #d2, #rev, #incl)), deps: vec![Dep::Val(range.lo), Dep::Val(range.hi), Dep::Val(k)], pure: true, span: spec.span },
    };
    let steps = func.new_value(Ty::Int, spec.span);
    func.values[steps].rty = Some(syn::parse_quote!(usize));
    before.push(Stmt::Let { v: steps, op: Op::Opaque { tokens: quote!(::leibniz::__private::ck_trips(#d0, #d1, #incl)), deps: vec![Dep::Val(range.lo), Dep::Val(range.hi)], pure: true, span: spec.span } });

    // Forward part.
    let mut adv = vec![idx_def.clone()];
    adv.extend(prologue.iter().cloned());
    adv.extend(untaped(&body.stmts));
    adv.extend(epilogue.iter().cloned());
    let mut adv = Block { stmts: adv };
    dce(&mut adv);
    let fpart = Stmt::Ckpt(Box::new(Ckpt { id, part: CkptPart::Fwd, steps: Some(steps), slots: spec.snapshots.clone(), chunk: spec.chunk.clone(), state: state.clone(), vals: Vec::new(), k, advance: adv.clone(), record: Block::default(), reverse: Block::default() }));
    let mut repl = before;
    repl.push(fpart);
    repl.extend(outs);
    lst.splice(li..li + 1, repl);

    // Backward part, on copies of the state.
    let (blst, bi) = list_mut(bwd, rpath)?;
    let Some(Stmt::For { body: rbody, .. }) = blst.get(bi).cloned() else { return Err(INTERNAL.into()) };
    let mut copy = HashMap::new();
    for x in &state {
        let mut info = func.vars[*x].clone();
        info.kind = VarKind::Local;
        info.rty = None;
        info.name = format!("ck_{}", info.name);
        func.vars.push(info);
        copy.insert(*x, func.vars.len() - 1);
    }
    let mut badv = Block { stmts: no_effects(&adv.stmts) };
    rename_block(&mut badv, &copy);
    let mut rec = vec![idx_def.clone()];
    rec.extend(prologue);
    rec.extend(no_effects(&body.stmts));
    rec.extend(epilogue);
    let mut brec = Block { stmts: rec };
    rename_block(&mut brec, &copy);
    let mut rev_stmts = vec![idx_def];
    rev_stmts.extend(rbody.stmts);
    let mut brev = Block { stmts: rev_stmts };
    rename_block(&mut brev, &copy);
    let bstate: Vec<Var> = state.iter().map(|x| copy[x]).collect();
    blst[bi] = Stmt::Ckpt(Box::new(Ckpt { id, part: CkptPart::Bwd, steps: None, slots: None, chunk: None, state: bstate, vals: Vec::new(), k, advance: badv, record: brec, reverse: brev }));

    // What the iterations use that the backward part does not see: values
    // of the branches around the loop in the forward part.
    let mut visible: HashSet<V> = HashSet::new();
    for s in pre.iter().chain(fwd.iter()) {
        visible.extend(level_defs(s));
    }
    let mut cur: &[Stmt] = bwd;
    let mut p = rpath;
    loop {
        for s in &cur[..p[0]] {
            visible.extend(level_defs(s));
        }
        if p.len() == 1 {
            break;
        }
        match &cur[p[0]] {
            Stmt::If { then, els, .. } => cur = if p[1] == 0 { &then.stmts } else { &els.stmts },
            _ => break,
        }
        p = &p[2..];
    }
    let (blst, bi) = list_mut(bwd, rpath)?;
    let mut vals: Vec<V> = match &blst[bi] {
        Stmt::Ckpt(c) => free_uses(&c.advance.stmts).into_iter().chain(free_uses(&c.record.stmts)).chain(free_uses(&c.reverse.stmts)).filter(|v| *v != k && !visible.contains(v)).collect(),
        _ => Vec::new(),
    };
    vals.sort_unstable();
    vals.dedup();
    if let Stmt::Ckpt(c) = &mut blst[bi] {
        c.vals = vals.clone();
    }
    let (lst, _) = list_mut(fwd, lpath)?;
    for s in lst.iter_mut() {
        if let Stmt::Ckpt(c) = s {
            if c.id == id && c.part == CkptPart::Fwd {
                c.vals = vals.clone();
            }
        }
    }

    pre.push(Stmt::Ckpt(Box::new(Ckpt { id, part: CkptPart::Decl, steps: None, slots: None, chunk: None, state: Vec::new(), vals: Vec::new(), k, advance: Block::default(), record: Block::default(), reverse: Block::default() })));
    Ok(())
}

/// The storage a loop body touches that is declared outside it, in order.
pub(crate) fn outer_vars(body: &[Stmt]) -> Vec<Var> {
    let mut inner = HashSet::new();
    declared(body, &mut inner);
    let mut acc = HashMap::new();
    accesses(body, &mut acc);
    let mut touched: Vec<Var> = acc.keys().copied().filter(|x| !inner.contains(x)).collect();
    touched.sort_unstable();
    touched
}

/// An iteration of the forward sweep recording nothing: no tape pushes,
/// callees' primal entries instead of their forward sweeps.
pub(crate) fn untaped(stmts: &[Stmt]) -> Vec<Stmt> {
    let mut out = Vec::new();
    for s in stmts {
        match s {
            Stmt::TapePush { .. } | Stmt::TapePushPlace { .. } => {}
            Stmt::Let { v, op: Op::Call(c) } if c.tape && c.entry == Entry::Fwd => {
                let mut c = c.clone();
                c.entry = Entry::Primal;
                c.tape = false;
                out.push(Stmt::Let { v: *v, op: Op::Call(c) });
            }
            other => {
                let mut s = other.clone();
                map_blocks(&mut s, &mut |b| b.stmts = untaped(&b.stmts));
                out.push(s);
            }
        }
    }
    out
}

/// The statements without their effects (`println!`, `assert!`): re-runs
/// of an iteration do not repeat them.
pub(crate) fn no_effects(stmts: &[Stmt]) -> Vec<Stmt> {
    let mut out = Vec::new();
    for s in stmts {
        if let Stmt::Effect { .. } = s {
            continue;
        }
        let mut s = s.clone();
        map_blocks(&mut s, &mut |b| b.stmts = no_effects(&b.stmts));
        out.push(s);
    }
    out
}

pub(crate) fn map_blocks(s: &mut Stmt, f: &mut dyn FnMut(&mut Block)) {
    match s {
        Stmt::If { then, els, .. } => {
            f(then);
            f(els);
        }
        Stmt::For { body, .. } => f(body),
        Stmt::While { head, body, .. } => {
            f(head);
            f(body);
        }
        Stmt::Ckpt(c) => {
            f(&mut c.advance);
            f(&mut c.record);
            f(&mut c.reverse);
        }
        _ => {}
    }
}

/// Removes definitions nothing uses (what fed the removed pushes).
pub(crate) fn dce(b: &mut Block) {
    loop {
        let mut used = HashSet::new();
        b.walk(&mut |s| used.extend(s.uses()));
        let mut changed = false;
        prune(b, &used, &mut changed);
        if !changed {
            return;
        }
    }
}

fn prune(b: &mut Block, used: &HashSet<V>, changed: &mut bool) {
    b.stmts.retain(|s| match s {
        Stmt::Let { v, op } if !used.contains(v) && removable(op) => {
            *changed = true;
            false
        }
        _ => true,
    });
    for s in &mut b.stmts {
        map_blocks(s, &mut |x| prune(x, used, changed));
    }
}

fn removable(op: &Op) -> bool {
    match op {
        Op::Call(_) => false,
        Op::Opaque { pure, .. } => *pure,
        _ => true,
    }
}

// ----- renaming storage -------------------------------------------------------

pub(crate) fn rename_block(b: &mut Block, m: &HashMap<Var, Var>) {
    for s in &mut b.stmts {
        rename_stmt(s, m);
    }
}

fn rv(x: &mut Var, m: &HashMap<Var, Var>) {
    if let Some(n) = m.get(x) {
        *x = *n;
    }
}

fn rplace(p: &mut Place, m: &HashMap<Var, Var>) {
    rv(&mut p.var, m);
}

fn rdeps(d: &mut [Dep], m: &HashMap<Var, Var>) {
    for x in d {
        if let Dep::Place(p) = x {
            rplace(p, m);
        }
    }
}

fn rop(o: &mut Op, m: &HashMap<Var, Var>) {
    match o {
        Op::Read(p) | Op::Len(p) => rplace(p, m),
        Op::Opaque { deps, .. } => rdeps(deps, m),
        Op::Call(c) => {
            for a in &mut c.args {
                match a {
                    Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => rplace(p, m),
                    Arg::Tokens(_, d) => rdeps(d, m),
                    Arg::Val(_) | Arg::Zero => {}
                }
            }
        }
        _ => {}
    }
}

fn rename_stmt(s: &mut Stmt, m: &HashMap<Var, Var>) {
    match s {
        Stmt::Let { op, .. } => rop(op, m),
        Stmt::Store { place, .. } => rplace(place, m),
        Stmt::Decl { var, init } => {
            rv(var, m);
            match init {
                Init::CopyOf(p) | Init::ZeroOfPlace(p) => rplace(p, m),
                Init::ZeroLike(x) => rv(x, m),
                _ => {}
            }
        }
        Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::AccPat { var, .. } => rv(var, m),
        Stmt::Effect { deps, .. } => rdeps(deps, m),
        Stmt::TapePushPlace { place } => rplace(place, m),
        Stmt::TapePopPlace { like, wit, .. } => {
            rplace(like, m);
            if let Some(w) = wit {
                rename_block(&mut w.block, m);
            }
        }
        Stmt::TapePop { wit, .. } => {
            for w in wit.iter_mut().flatten() {
                rename_block(&mut w.block, m);
            }
        }
        _ => {}
    }
    map_blocks(s, &mut |b| rename_block(b, m));
}
