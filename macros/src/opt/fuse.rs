//! One sweep where one suffices: the fused reverse mode of `_grad` and
//! `_vjp`.
//!
//! Input: the tangent program and the two sweeps of reverse mode. Output:
//! one function, `f__lz_vjpc(params, shadows, dout) -> R`, that runs the
//! forward sweep and then the backward sweep, with a stack tape of its own
//! (`TapeBuf` used through `TapePop`: pops remove what they read), and in
//! which:
//!
//! * the values the top block stores for the backward sweep are not
//!   stored at all (the backward part sees them: same function);
//! * a loop that only carries sums, whose cotangent is known before it
//!   runs, is *fused*: each iteration runs its forward part and at once its
//!   backward part, so the loop records nothing across iterations (each
//!   iteration's own tape is pushed and popped before the next) and runs
//!   once instead of twice.
//!
//! A loop `L` (in the top block, or in the branches of `if`s there, such
//! as the guards loop-invariant code motion adds) is fused when:
//!
//! 1. every carried value with a tangent is a *sum*: the tangent of its
//!    next value is the tangent of its value at the start of the iteration
//!    plus terms that do not depend on it (through nested loops and
//!    branches too), so its adjoint is the same in every iteration;
//! 2. that adjoint is known before `L` runs: the result's tangent is the
//!    tangent of the loop's output through additions, and products and
//!    quotients by values that can be computed before `L` (`loss /
//!    batch as f64`), so the adjoint is `dout` times those factors;
//! 3. the iterations' backward parts commute: what they do to adjoints
//!    defined outside the loop is `+=`, except for arrays the loop writes,
//!    which must be private to each iteration: every element an iteration
//!    reads was written earlier in the same iteration (`for j in 0..d {
//!    h[j] = .. }` then reads `h[j]` for `j < d`), the array keeps its
//!    length, and nothing after the loop uses it;
//! 4. the backward sweep does nothing before the loop's reversal that
//!    reads or resets an adjoint the loop adds to (the reversal can move
//!    before it), and everything the reversal uses can be computed before
//!    the loop.
//!
//! The adjoints then get the same contributions, added in the order of the
//! iterations instead of the reverse order: equal up to rounding.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use crate::ad::jvp::JvpOut;
use crate::ad::vjp::VjpOut;
use crate::ir::*;

/// The fused sweep.
pub struct Combined {
    pub func: Func,
    /// Loops fused (their index values), for the dump.
    pub fused: Vec<V>,
    /// `#[checkpoint]` loops that could not be checkpointed.
    pub errors: Vec<(proc_macro2::TokenStream, String)>,
}

/// `np`: the number of parameters. Returns `None` when the sweeps do not
/// have the shape the fused sweep needs (no scalar `dout`).
pub fn combine(t: &JvpOut, v: &VjpOut, np: usize) -> Option<Combined> {
    let ret = v.fwd.ret?;
    t.ret_tan?;
    let Some(ParamSlot::Val(dout)) = v.bwd.params.get(2 * np).cloned() else { return None };
    if v.bwd.values[dout].ty != Ty::F {
        return None;
    }
    let mut c = Fuser { t, func: v.bwd.clone(), fwd: v.fwd.body.stmts.clone(), bwd: v.bwd.body.stmts.clone(), pre: Vec::new(), fused: Vec::new(), tried: HashSet::new(), dout };
    // dout is defined first.
    match c.bwd.first() {
        Some(Stmt::Let { v: d, op: Op::Param(k) }) if *d == dout && *k == 2 * np => {
            let s = c.bwd.remove(0);
            c.pre.push(s);
        }
        _ => return None,
    }
    // The top block's group: seen directly.
    if let (Some(Stmt::TapePush { vals: pv }), Some(Stmt::TapePop { vals: qv, .. })) = (c.fwd.last(), c.bwd.first()) {
        if pv == qv {
            c.fwd.pop();
            c.bwd.remove(0);
        }
    }
    while c.fuse_one() {}
    let errors = crate::opt::checkpoint::apply(&mut c.func, &mut c.pre, &mut c.fwd, &mut c.bwd, &c.fused);
    let mut body = std::mem::take(&mut c.pre);
    body.append(&mut c.fwd);
    body.append(&mut c.bwd);
    let mut func = c.func;
    func.body = Block { stmts: body };
    func.ret = Some(ret);
    crate::opt::carry::carry(&mut func, np);
    crate::opt::snapshot::elide(&mut func);
    crate::opt::reload::reload(&mut func);
    Some(Combined { func, fused: c.fused, errors })
}

struct Fuser<'a> {
    t: &'a JvpOut,
    /// Values and variables of the combined function.
    func: Func,
    fwd: Vec<Stmt>,
    bwd: Vec<Stmt>,
    /// Statements before the forward part (dout).
    pre: Vec<Stmt>,
    fused: Vec<V>,
    tried: HashSet<V>,
    dout: V,
}

/// A branch taken from a block: the statement index and (for an `if`) the
/// branch (0: then, 1: else).
type Path = Vec<(usize, usize)>;

fn block_at<'b>(stmts: &'b [Stmt], path: &[(usize, usize)]) -> Option<&'b [Stmt]> {
    let mut cur = stmts;
    for (i, br) in path {
        match cur.get(*i)? {
            Stmt::If { then, els, .. } => cur = if *br == 0 { &then.stmts } else { &els.stmts },
            _ => return None,
        }
    }
    Some(cur)
}

fn block_at_mut<'b>(stmts: &'b mut Vec<Stmt>, path: &[(usize, usize)]) -> Option<&'b mut Vec<Stmt>> {
    let mut cur = stmts;
    for (i, br) in path {
        match cur.get_mut(*i)? {
            Stmt::If { then, els, .. } => cur = if *br == 0 { &mut then.stmts } else { &mut els.stmts },
            _ => return None,
        }
    }
    Some(cur)
}

/// Loops of a block reachable through `if` branches only: (path, index).
fn candidates(stmts: &[Stmt], path: &mut Path, out: &mut Vec<(Path, usize)>) {
    for (i, s) in stmts.iter().enumerate() {
        match s {
            Stmt::For { .. } => out.push((path.clone(), i)),
            Stmt::If { then, els, .. } => {
                path.push((i, 0));
                candidates(&then.stmts, path, out);
                path.pop();
                path.push((i, 1));
                candidates(&els.stmts, path, out);
                path.pop();
            }
            _ => {}
        }
    }
}

/// Values a block uses that it does not define (nested blocks included).
pub fn free_uses(b: &[Stmt]) -> HashSet<V> {
    let mut used = HashSet::new();
    let mut def = HashSet::new();
    fn go(b: &[Stmt], used: &mut HashSet<V>, def: &mut HashSet<V>) {
        for s in b {
            used.extend(s.uses());
            def.extend(s.defs());
            if let Stmt::For { idx, carried, .. } = s {
                def.insert(*idx);
                def.extend(carried.iter().map(|c| c.phi));
            }
            if let Stmt::While { carried, .. } = s {
                def.extend(carried.iter().map(|c| c.phi));
            }
            for c in s.blocks() {
                go(&c.stmts, used, def);
            }
        }
    }
    go(b, &mut used, &mut def);
    used.retain(|u| !def.contains(u));
    used
}

/// Values a statement defines at its own level (visible after it).
pub(crate) fn level_defs(s: &Stmt) -> Vec<V> {
    match s {
        Stmt::For { carried, .. } | Stmt::While { carried, .. } => {
            let mut d: Vec<V> = carried.iter().map(|c| c.out).collect();
            if let Stmt::While { trips: Some(t), .. } = s {
                d.push(*t);
            }
            d
        }
        other => other.defs(),
    }
}

/// How a block accesses a storage variable.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct Access {
    /// `+=` (stores with `acc`, accumulations into enum fields, shadow slots
    /// of calls' backward entries).
    acc: bool,
    /// Anything else: reads, plain stores, declarations, resizing.
    other: bool,
}

pub(crate) fn accesses(b: &[Stmt], out: &mut HashMap<Var, Access>) {
    fn other(out: &mut HashMap<Var, Access>, x: Var) {
        out.entry(x).or_default().other = true;
    }
    fn acc(out: &mut HashMap<Var, Access>, x: Var) {
        out.entry(x).or_default().acc = true;
    }
    for s in b {
        match s {
            Stmt::Let { op, .. } => match op {
                Op::Read(p) | Op::Len(p) => other(out, p.var),
                Op::Opaque { deps, .. } => dep_vars(deps).into_iter().for_each(|x| other(out, x)),
                Op::Call(c) => {
                    for a in &c.args {
                        match a {
                            Arg::Mut(p) if matches!(c.entry, Entry::Bwd | Entry::BwdJvp) => acc(out, p.var),
                            Arg::Tokens(_, d) => dep_vars(d).into_iter().for_each(|x| other(out, x)),
                            a => {
                                if let Some(p) = a.place() {
                                    other(out, p.var);
                                }
                            }
                        }
                    }
                }
                _ => {}
            },
            Stmt::Store { place, acc: true, .. } if place.path.iter().all(|p| !matches!(p, Proj::Slice(..))) => acc(out, place.var),
            Stmt::Store { place, .. } => other(out, place.var),
            Stmt::AccPat { var, .. } => acc(out, *var),
            Stmt::Decl { var, init } => {
                other(out, *var);
                match init {
                    Init::CopyOf(p) | Init::ZeroOfPlace(p) => other(out, p.var),
                    Init::ZeroLike(y) => other(out, *y),
                    _ => {}
                }
            }
            Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::TapePopPlace { var, .. } => other(out, *var),
            Stmt::TapePushPlace { place } => other(out, place.var),
            Stmt::Effect { deps, .. } => dep_vars(deps).into_iter().for_each(|x| other(out, x)),
            _ => {}
        }
        // The `like` of a `TapePopPlace` only names the popped snapshot's
        // type (the printer reads no value through it), so it is no access.
        for c in s.blocks() {
            accesses(&c.stmts, out);
        }
    }
}

/// Variables a block declares (nested blocks included).
pub(crate) fn declared(b: &[Stmt], out: &mut HashSet<Var>) {
    for s in b {
        match s {
            Stmt::Decl { var, .. } | Stmt::TapePopPlace { var, .. } => {
                out.insert(*var);
            }
            _ => {}
        }
        for c in s.blocks() {
            declared(&c.stmts, out);
        }
    }
}

/// The definition of each value of a block (nested blocks included).
fn def_ops(b: &[Stmt], out: &mut HashMap<V, Op>) {
    for s in b {
        if let Stmt::Let { v, op } = s {
            out.insert(*v, op.clone());
        }
        for c in s.blocks() {
            def_ops(&c.stmts, out);
        }
    }
}

/// Ops that can be computed again anywhere their operands are available.
fn pure_cheap(f: &Func, op: &Op) -> bool {
    match op {
        Op::Lit(_) | Op::Param(_) | Op::Un(..) | Op::Bin(..) | Op::Cast(..) => true,
        Op::Prim(name, _) => crate::rules::rule(name).is_some(),
        Op::Read(p) | Op::Len(p) => crate::analyse::plan::read_only(f, p.var) && p.path.iter().all(|x| !matches!(x, Proj::Slice(..))),
        Op::ZeroLike(_) | Op::Get(..) | Op::Field(..) => true,
        _ => false,
    }
}

impl Fuser<'_> {
    fn lin(&self, v: V) -> bool {
        self.t.lin.get(v).copied().unwrap_or(false)
    }

    /// Tries the next candidate; `true` when one was fused.
    fn fuse_one(&mut self) -> bool {
        let mut cands = Vec::new();
        candidates(&self.fwd, &mut Vec::new(), &mut cands);
        for (path, j) in cands {
            let Some(Stmt::For { idx, .. }) = block_at(&self.fwd, &path).and_then(|b| b.get(j)) else { continue };
            let idx = *idx;
            if !self.tried.insert(idx) {
                continue;
            }
            if self.try_fuse(&path, j).is_some() {
                self.fused.push(idx);
                return true;
            }
        }
        false
    }

    fn try_fuse(&mut self, path: &Path, j: usize) -> Option<()> {
        let fblock = block_at(&self.fwd, path)?;
        let Stmt::For { idx, range, carried: fcarried, body: fbody } = fblock.get(j)?.clone() else { return None };
        // The loop in the tangent program, and the `if`s around it.
        let mut conds = Vec::new();
        let mut cur: &[Stmt] = &self.fwd;
        for (i, br) in path {
            let Stmt::If { cond, then, els, .. } = &cur[*i] else { return None };
            conds.push((*cond, *br));
            cur = if *br == 0 { &then.stmts } else { &els.stmts };
        }
        let (lt, tpath) = find_for(&self.t.func.body.stmts, idx, &mut Vec::new())?;
        let Stmt::For { carried: lt_carried, body: lt_body, .. } = &lt else { return None };
        let lin_c: Vec<Carry> = lt_carried.iter().filter(|c| self.lin(c.phi)).cloned().collect();
        // The reversal in the backward sweep, through the same branches.
        let mut bpath: Path = Vec::new();
        let mut bcur: &[Stmt] = &self.bwd;
        for (cond, br) in &conds {
            let k = bcur.iter().position(|s| matches!(s, Stmt::If { cond: c, .. } if c == cond))?;
            bpath.push((k, *br));
            let Stmt::If { then, els, .. } = &bcur[k] else { return None };
            bcur = if *br == 0 { &then.stmts } else { &els.stmts };
        }
        let jb = bcur.iter().position(|s| matches!(s, Stmt::For { idx: i, .. } if *i == idx))?;
        let Stmt::For { body: bbody, range: brange, .. } = bcur[jb].clone() else { return None };
        if brange.rev == range.rev || brange.lo != range.lo || brange.hi != range.hi {
            return None;
        }

        // 1. Sums only.
        for c in &lin_c {
            if self.t.func.values[c.phi].ty != Ty::F {
                return None;
            }
            if !sum_carry(self.t, &lt, c) {
                return None;
            }
        }
        // The carried adjoints: `r = read a; decl bc = r` before the
        // reversal, `q = read bc` at the start of its body.
        let mut bcs: Vec<(Var, usize)> = Vec::new();
        {
            let mut k = jb;
            while k >= 2 {
                match (&bcur[k - 2], &bcur[k - 1]) {
                    (Stmt::Let { v: r, op: Op::Read(p) }, Stmt::Decl { var, init: Init::Val(r2) }) if r == r2 && p.path.is_empty() => {
                        bcs.insert(0, (*var, k - 1));
                        k -= 2;
                    }
                    _ => break,
                }
            }
        }
        let mut nreads = 0;
        for s in &bbody.stmts {
            match s {
                Stmt::Let { op: Op::Read(p), .. } if p.path.is_empty() && bcs.iter().any(|b| b.0 == p.var) => nreads += 1,
                _ => break,
            }
        }
        if bcs.len() != lin_c.len() || nreads != bcs.len() {
            return None;
        }

        // 2. The carried adjoints from dout, computed before the top
        // statement holding the loop.
        let top = path.first().map(|p| p.0).unwrap_or(j);
        let mut avail_top: HashSet<V> = HashSet::new();
        for s in &self.pre {
            avail_top.extend(level_defs(s));
        }
        for s in &self.fwd[..top] {
            avail_top.extend(level_defs(s));
        }
        let path_conds: HashSet<V> = conds.iter().map(|c| c.0).collect();
        let mut tdefs = HashMap::new();
        def_ops(&self.t.func.body.stmts, &mut tdefs);
        let mut top_stmts: Vec<Stmt> = Vec::new();
        let mut bc_inits: Vec<V> = Vec::new();
        for c in &lin_c {
            let steps = chain(self.t, c.out, &path_conds, &tpath)?;
            let mut k = self.dout;
            for st in steps.iter().rev() {
                let (op, coef) = match *st {
                    Step::Id => continue,
                    Step::Neg => (Op::Un(UnOp::Neg, k), None),
                    Step::Mul(x) => (Op::Bin(BinOp::Mul, x, k), Some(x)),
                    Step::Div(x) => (Op::Bin(BinOp::Div, k, x), Some(x)),
                    Step::Lmul0(x) => (Op::Prim("lmul0", vec![x, k]), Some(x)),
                    Step::Ldiv0(x) => (Op::Prim("ldiv0", vec![k, x]), Some(x)),
                };
                let op = match coef {
                    Some(x) => {
                        let nx = self.materialize(x, &mut avail_top, &tdefs, &mut top_stmts, 0)?;
                        let mut op = op;
                        let m: HashMap<V, V> = [(x, nx)].into_iter().collect();
                        crate::ir::subst::op(&mut op, &m);
                        op
                    }
                    None => op,
                };
                let nv = self.func.new_value(Ty::F, Span::call_site());
                top_stmts.push(Stmt::Let { v: nv, op });
                avail_top.insert(nv);
                k = nv;
            }
            bc_inits.push(k);
        }

        // 3. Storage the loop writes: private to each iteration.
        let mut tacc = HashMap::new();
        accesses(&lt_body.stmts, &mut tacc);
        let mut tdecl = HashSet::new();
        declared(&lt_body.stmts, &mut tdecl);
        let primal_of: HashMap<Var, Var> = self.t.tvar.iter().map(|(p, tv)| (*tv, *p)).collect();
        let mut private: HashSet<Var> = HashSet::new();
        for (x, a) in &tacc {
            if tdecl.contains(x) || !self.t.lin_var.get(*x).copied().unwrap_or(false) {
                continue;
            }
            let p = primal_of.get(x).copied()?;
            let written = writes_var(&lt_body.stmts, p);
            if !written && !a.other {
                continue;
            }
            if !written {
                // Read only: its adjoint gets `+=`.
                continue;
            }
            if !iteration_private(&self.t.func, &lt, p) || used_after(&self.t.func.body.stmts, &tpath, p) || used_after(&self.t.func.body.stmts, &tpath, *x) {
                return None;
            }
            private.insert(*x);
        }
        // Calls handing outer storage to a callee that may change it.
        for x in mut_args(&lt_body.stmts) {
            if tdecl.contains(&x) {
                continue;
            }
            if let Some(tx) = self.t.tvar.get(&x) {
                if !private.contains(tx) {
                    return None;
                }
            }
        }

        // 4. The reversal's body without the group pop and the values the
        // forward part defines.
        let mut fdefs_top: HashSet<V> = HashSet::new();
        for s in &fbody.stmts {
            fdefs_top.extend(level_defs(s));
        }
        let mut fstmts = fbody.stmts.clone();
        let mut bstmts = bbody.stmts.clone();
        let group: Option<Vec<V>> = match fstmts.last() {
            Some(Stmt::TapePush { vals }) => Some(vals.clone()),
            _ => None,
        };
        if let Some(g) = &group {
            let k = bstmts.iter().position(|s| matches!(s, Stmt::TapePop { .. }))?;
            let Stmt::TapePop { vals, .. } = &bstmts[k] else { return None };
            if vals != g || k != nreads {
                return None;
            }
            bstmts.remove(k);
            fstmts.pop();
        }
        bstmts.retain(|s| !matches!(s, Stmt::Let { v, .. } if fdefs_top.contains(v)));
        // What the reversal needs from outside the loop.
        let bc_vars: HashSet<Var> = bcs.iter().map(|b| b.0).collect();
        let mut bacc = HashMap::new();
        accesses(&bstmts, &mut bacc);
        let mut bdecl = HashSet::new();
        declared(&bstmts, &mut bdecl);
        let outer: Vec<(Var, Access)> = bacc.iter().filter(|(x, _)| !bdecl.contains(x) && !bc_vars.contains(x)).map(|(x, a)| (*x, *a)).collect();
        for (x, a) in &outer {
            if a.other && !private.contains(x) && !self.readonly_primal(*x) {
                return None;
            }
        }
        // The backward statements that run before the reversal.
        let pre_b = self.pre_stmts(&bpath, jb);
        let mut pre_acc = HashMap::new();
        accesses(&pre_b.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(), &mut pre_acc);
        let mut decl_moves: Vec<Vec<(usize, usize)>> = Vec::new();
        for (x, _) in &outer {
            if self.readonly_primal(*x) {
                continue;
            }
            // Its declaration: moved up; any other access before: a conflict.
            let mut found_decl = None;
            for (s, loc) in &pre_b {
                if let Stmt::Decl { var, .. } = s {
                    if var == x && loc.iter().all(|l| l.0 != usize::MAX) {
                        found_decl = Some(loc.clone());
                    }
                }
            }
            if pre_acc.get(x).is_some_and(|a| a.other) {
                // A conflict unless the only access other than `+=` is the
                // declaration itself (earlier reversals that only add to
                // the adjoint commute with this one).
                let other_before = pre_b.iter().filter(|(s, _)| !matches!(s, Stmt::Decl { var, .. } if var == x)).any(|(s, _)| {
                    let mut m = HashMap::new();
                    accesses(std::slice::from_ref(s), &mut m);
                    m.get(x).is_some_and(|a| a.other)
                });
                if other_before || found_decl.is_none() {
                    return None;
                }
            }
            // A declaration an earlier fusion moved before the top
            // statement is in scope already.
            let moved_before = self.fwd[..top].iter().any(|s| matches!(s, Stmt::Decl { var, .. } if var == x));
            if let Some(loc) = found_decl {
                decl_moves.push(loc);
            } else if !matches!(self.func.vars[*x].kind, VarKind::Param { .. }) && !moved_before {
                return None;
            }
        }
        // Values the reversal (and the moved declarations) use.
        let mut avail_loop: HashSet<V> = avail_top.clone();
        {
            let mut cur: &[Stmt] = &self.fwd;
            for (i, br) in path {
                for s in &cur[..*i] {
                    avail_loop.extend(level_defs(s));
                }
                let Stmt::If { then, els, .. } = &cur[*i] else { return None };
                cur = if *br == 0 { &then.stmts } else { &els.stmts };
            }
            for s in &cur[..j] {
                avail_loop.extend(level_defs(s));
            }
            avail_loop.insert(idx);
            avail_loop.extend(fcarried.iter().map(|c| c.phi));
        }
        let mut bdefs = HashMap::new();
        def_ops(&pre_b.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>(), &mut bdefs);
        // Declarations first (to the top), then the loop's own needs.
        let mut moved_decls = Vec::new();
        for loc in &decl_moves {
            let s = stmt_at(&self.bwd, loc)?.clone();
            let Stmt::Decl { var, init } = &s else { return None };
            let mut ms = Vec::new();
            let mut m = HashMap::new();
            for u in s.uses() {
                let nu = self.hoist_val(u, &mut avail_top, &bdefs, &mut ms, 0)?;
                if nu != u {
                    m.insert(u, nu);
                }
            }
            let mut d = Stmt::Decl { var: *var, init: init.clone() };
            crate::ir::subst::stmt(&mut d, &m);
            top_stmts.extend(ms);
            moved_decls.push(d);
        }
        let mut loop_pre = Vec::new();
        let mut m = HashMap::new();
        for u in free_uses(&bstmts) {
            if fdefs_top.contains(&u) || avail_loop.contains(&u) || avail_top.contains(&u) {
                continue;
            }
            let mut avail = avail_loop.clone();
            avail.extend(avail_top.iter().copied());
            let nu = self.hoist_val(u, &mut avail, &bdefs, &mut loop_pre, 0)?;
            m.insert(u, nu);
        }
        let mut bb = Block { stmts: bstmts };
        crate::ir::subst::block(&mut bb, &m);

        // Apply: the carried adjoints and moved declarations before the top
        // statement, the fused loop in place of the forward loop, the
        // reversal removed.
        let mut fused_body = fstmts;
        fused_body.extend(bb.stmts);
        {
            let fb = block_at_mut(&mut self.fwd, path)?;
            let mut pre_loop = loop_pre;
            let k = pre_loop.len();
            pre_loop.push(Stmt::For { idx, range: range.clone(), carried: fcarried.clone(), body: Block { stmts: fused_body } });
            fb.splice(j..j + 1, pre_loop);
            let _ = k;
        }
        // Remove the reversal, the carried adjoints' declarations and the
        // moved declarations from the backward sweep, last first so that
        // indices stay valid.
        let mut rm: Vec<Vec<(usize, usize)>> = decl_moves.clone();
        let mut at = bpath.clone();
        at.push((jb, 0));
        rm.push(at);
        for b in &bcs {
            let mut at = bpath.clone();
            at.push((b.1, 0));
            rm.push(at);
        }
        rm.sort_by(|a, b| {
            let ka: Vec<usize> = a.iter().map(|x| x.0).collect();
            let kb: Vec<usize> = b.iter().map(|x| x.0).collect();
            kb.cmp(&ka)
        });
        for loc in rm {
            let (last, rest) = loc.split_last()?;
            let blk = block_at_mut(&mut self.bwd, rest)?;
            blk.remove(last.0);
        }
        for (c, (var, _)) in lin_c.iter().zip(&bcs) {
            let _ = c;
            let k = bc_inits[bcs.iter().position(|b| b.0 == *var)?];
            top_stmts.push(Stmt::Decl { var: *var, init: Init::Val(k) });
        }
        top_stmts.extend(moved_decls);
        self.fwd.splice(top..top, top_stmts);
        Some(())
    }

    /// Whether `x` is primal storage the backward sweep reads as it is
    /// (read-only parameters).
    fn readonly_primal(&self, x: Var) -> bool {
        crate::analyse::plan::read_only(&self.func, x) && !self.t.lin_var.get(x).copied().unwrap_or(false)
    }

    /// The backward statements that run before the statement at `bpath` /
    /// `jb`: with their locations (path of (index, branch) pairs, the last
    /// pair's branch unused).
    fn pre_stmts(&self, bpath: &Path, jb: usize) -> Vec<(Stmt, Vec<(usize, usize)>)> {
        let mut out = Vec::new();
        let mut cur: &[Stmt] = &self.bwd;
        let mut loc: Vec<(usize, usize)> = Vec::new();
        let push_block = |stmts: &[Stmt], upto: usize, loc: &Vec<(usize, usize)>, out: &mut Vec<(Stmt, Vec<(usize, usize)>)>| {
            for (k, s) in stmts[..upto].iter().enumerate() {
                let mut l = loc.clone();
                l.push((k, 0));
                out.push((s.clone(), l));
                // Nested statements count as running before too.
                let mut nested = Vec::new();
                flatten(s, &mut nested);
                for n in nested {
                    out.push((n, vec![(usize::MAX, 0)]));
                }
            }
        };
        for (i, br) in bpath {
            push_block(cur, *i, &loc, &mut out);
            loc.push((*i, *br));
            let Stmt::If { then, els, .. } = &cur[*i] else { return out };
            cur = if *br == 0 { &then.stmts } else { &els.stmts };
        }
        push_block(cur, jb, &loc, &mut out);
        out
    }

    /// A value of the backward sweep available before the loop: itself
    /// when available, else its definition (pure, from available operands)
    /// computed again.
    fn hoist_val(&mut self, u: V, avail: &mut HashSet<V>, defs: &HashMap<V, Op>, out: &mut Vec<Stmt>, depth: usize) -> Option<V> {
        if avail.contains(&u) {
            return Some(u);
        }
        if depth > 8 {
            return None;
        }
        let op = defs.get(&u)?.clone();
        if !pure_cheap(&self.func, &op) {
            return None;
        }
        let mut m = HashMap::new();
        for d in op.deps() {
            let nd = self.hoist_val(d, avail, defs, out, depth + 1)?;
            if nd != d {
                m.insert(d, nd);
            }
        }
        let mut op = op;
        crate::ir::subst::op(&mut op, &m);
        out.push(Stmt::Let { v: u, op });
        avail.insert(u);
        Some(u)
    }

    /// A primal value of the tangent program available at the top: itself,
    /// or its definition computed again.
    fn materialize(&mut self, x: V, avail: &mut HashSet<V>, defs: &HashMap<V, Op>, out: &mut Vec<Stmt>, depth: usize) -> Option<V> {
        if avail.contains(&x) {
            return Some(x);
        }
        if depth > 8 || self.lin(x) {
            return None;
        }
        let op = defs.get(&x)?.clone();
        if !pure_cheap(&self.t.func, &op) {
            return None;
        }
        let mut m = HashMap::new();
        for d in op.deps() {
            let nd = self.materialize(d, avail, defs, out, depth + 1)?;
            m.insert(d, nd);
        }
        let mut op = op;
        crate::ir::subst::op(&mut op, &m);
        let nv = self.func.new_value(self.t.func.values[x].ty, Span::call_site());
        self.func.values[nv].rty = self.t.func.values[x].rty.clone();
        out.push(Stmt::Let { v: nv, op });
        avail.insert(nv);
        Some(nv)
    }
}

fn stmt_at<'b>(stmts: &'b [Stmt], loc: &[(usize, usize)]) -> Option<&'b Stmt> {
    let (last, rest) = loc.split_last()?;
    let b = block_at(stmts, rest)?;
    b.get(last.0)
}

fn flatten(s: &Stmt, out: &mut Vec<Stmt>) {
    for b in s.blocks() {
        for x in &b.stmts {
            out.push(x.clone());
            flatten(x, out);
        }
    }
}

/// The `For` with index `idx` in the tangent program, and its location.
fn find_for<'b>(stmts: &'b [Stmt], idx: V, path: &mut Vec<(usize, usize)>) -> Option<(Stmt, Vec<(usize, usize)>)> {
    for (i, s) in stmts.iter().enumerate() {
        match s {
            Stmt::For { idx: k, .. } if *k == idx => {
                let mut p = path.clone();
                p.push((i, 0));
                return Some((s.clone(), p));
            }
            Stmt::If { then, els, .. } => {
                path.push((i, 0));
                if let Some(r) = find_for(&then.stmts, idx, path) {
                    return Some(r);
                }
                path.pop();
                path.push((i, 1));
                if let Some(r) = find_for(&els.stmts, idx, path) {
                    return Some(r);
                }
                path.pop();
            }
            _ => {}
        }
    }
    None
}

// ----- 1. sums ---------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tag {
    /// Exactly the carried value at the start of the iteration.
    One,
    /// Depends on it otherwise.
    Other,
}

/// Whether carried tangent `c` of loop `lt` is a sum: its next value is its
/// value at the start of the iteration plus terms independent of it, and
/// nothing else in the body depends on it.
fn sum_carry(t: &JvpOut, lt: &Stmt, c: &Carry) -> bool {
    let Stmt::For { body, .. } = lt else { return false };
    let mut tags: HashMap<V, Tag> = HashMap::new();
    tags.insert(c.phi, Tag::One);
    if !tag_block(t, &body.stmts, &mut tags) {
        return false;
    }
    if tags.get(&c.next) != Some(&Tag::One) {
        return false;
    }
    // No other carry of the loop depends on it.
    if let Stmt::For { carried, .. } = lt {
        for o in carried {
            if o.phi != c.phi && tags.contains_key(&o.next) {
                return false;
            }
        }
    }
    true
}

/// Propagates tags through a block; `false` when a tagged value escapes
/// (stored, passed to a call, scaled into something that is not a sum).
fn tag_block(t: &JvpOut, b: &[Stmt], tags: &mut HashMap<V, Tag>) -> bool {
    for s in b {
        match s {
            Stmt::Let { v, op } => {
                let deps = op.deps();
                if !deps.iter().any(|d| tags.contains_key(d)) {
                    continue;
                }
                let tg = |x: &V| tags.get(x).copied();
                let r = match op {
                    Op::Bin(BinOp::Add, a, b2) => match (tg(a), tg(b2)) {
                        (Some(Tag::One), None) | (None, Some(Tag::One)) => Tag::One,
                        _ => Tag::Other,
                    },
                    Op::Bin(BinOp::Sub, a, b2) => match (tg(a), tg(b2)) {
                        (Some(Tag::One), None) => Tag::One,
                        _ => Tag::Other,
                    },
                    Op::Copy(_) => tg(&deps[0]).unwrap_or(Tag::Other),
                    Op::Bin(BinOp::Mul | BinOp::Div, ..) | Op::Un(UnOp::Neg, _) | Op::Prim("lmul0" | "ldiv0", _) => Tag::Other,
                    // Anything else (a read index, a call, a tuple): escapes.
                    _ => return false,
                };
                tags.insert(*v, r);
            }
            Stmt::If { cond, then, els, phis } => {
                if tags.contains_key(cond) {
                    return false;
                }
                let mut tt = tags.clone();
                if !tag_block(t, &then.stmts, &mut tt) {
                    return false;
                }
                let mut te = tags.clone();
                if !tag_block(t, &els.stmts, &mut te) {
                    return false;
                }
                for p in phis {
                    let (a, b2) = (tt.get(&p.then).copied(), te.get(&p.els).copied());
                    match (a, b2) {
                        (None, None) => {}
                        (Some(Tag::One), Some(Tag::One)) => {
                            tags.insert(p.out, Tag::One);
                        }
                        _ => {
                            tags.insert(p.out, Tag::Other);
                        }
                    }
                }
                // Values tagged inside the branches do not escape them (the
                // phis were the only way out).
            }
            Stmt::For { range, carried, body, .. } => {
                if tags.contains_key(&range.lo) || tags.contains_key(&range.hi) {
                    return false;
                }
                let mut inner = tags.clone();
                for c in carried {
                    if let Some(tg) = tags.get(&c.init).copied() {
                        inner.insert(c.phi, tg);
                    }
                }
                if !tag_block(t, &body.stmts, &mut inner) {
                    return false;
                }
                for c in carried {
                    let init = tags.get(&c.init).copied();
                    let next = inner.get(&c.next).copied();
                    match (init, next) {
                        (None, None) => {}
                        // A nested sum: its value at the end is the value it
                        // started with plus independent terms.
                        (Some(Tag::One), Some(Tag::One)) if inner.get(&c.phi) == Some(&Tag::One) => {
                            tags.insert(c.out, Tag::One);
                        }
                        _ => return false,
                    }
                }
            }
            Stmt::While { .. } => {
                let u = free_uses(std::slice::from_ref(s));
                if u.iter().any(|x| tags.contains_key(x)) {
                    return false;
                }
            }
            other => {
                if other.uses().iter().any(|x| tags.contains_key(x)) {
                    return false;
                }
            }
        }
    }
    true
}

// ----- 2. the carried adjoint from dout ----------------------------------

#[derive(Clone, Copy, Debug)]
enum Step {
    Id,
    Neg,
    Mul(V),
    Div(V),
    Lmul0(V),
    Ldiv0(V),
}

/// The linear steps from tangent `start` to the result's tangent, each
/// value used once; `None` when there is no such chain.
fn chain(t: &JvpOut, start: V, path_conds: &HashSet<V>, tpath: &[(usize, usize)]) -> Option<Vec<Step>> {
    let rt = t.ret_tan?;
    let _ = tpath;
    let mut uses: HashMap<V, Vec<Stmt>> = HashMap::new();
    fn collect(b: &[Stmt], uses: &mut HashMap<V, Vec<Stmt>>) {
        for s in b {
            for u in s.uses() {
                uses.entry(u).or_default().push(s.clone());
            }
            for c in s.blocks() {
                collect(&c.stmts, uses);
            }
        }
    }
    collect(&t.func.body.stmts, &mut uses);
    let lin = |x: V| t.lin.get(x).copied().unwrap_or(false);
    let mut cur = start;
    let mut steps = Vec::new();
    for _ in 0..10_000 {
        if cur == rt {
            return Some(steps);
        }
        let us = uses.get(&cur)?;
        if us.len() != 1 {
            return None;
        }
        match &us[0] {
            Stmt::Let { v, op } => {
                let st = match op {
                    Op::Bin(BinOp::Add, a, b) if a != b => Step::Id,
                    Op::Bin(BinOp::Sub, a, b) if a != b => {
                        if *a == cur {
                            Step::Id
                        } else {
                            Step::Neg
                        }
                    }
                    Op::Bin(BinOp::Mul, a, b) => {
                        let c = if *a == cur { *b } else { *a };
                        if lin(c) {
                            return None;
                        }
                        Step::Mul(c)
                    }
                    Op::Bin(BinOp::Div, a, c) if *a == cur && !lin(*c) => Step::Div(*c),
                    Op::Un(UnOp::Neg, _) => Step::Neg,
                    Op::Prim("lmul0", xs) if xs.len() == 2 => {
                        let c = if xs[1] == cur { xs[0] } else { xs[1] };
                        if lin(c) {
                            return None;
                        }
                        Step::Lmul0(c)
                    }
                    Op::Prim("ldiv0", xs) if xs.len() == 2 && xs[0] == cur && !lin(xs[1]) => Step::Ldiv0(xs[1]),
                    Op::Copy(_) => Step::Id,
                    _ => return None,
                };
                steps.push(st);
                cur = *v;
            }
            Stmt::If { cond, phis, .. } if path_conds.contains(cond) => {
                let p = phis.iter().find(|p| p.then == cur || p.els == cur)?;
                if p.then == cur && p.els == cur {
                    return None;
                }
                steps.push(Step::Id);
                cur = p.out;
            }
            _ => return None,
        }
    }
    None
}

// ----- 3. iteration-private storage ----------------------------------------

/// Whether a block writes primal storage `x` (stores, resizing, `&mut`
/// arguments).
pub(crate) fn writes_var(b: &[Stmt], x: Var) -> bool {
    let mut w = false;
    for s in b {
        match s {
            Stmt::Store { place, .. } if place.var == x => w = true,
            Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::AccPat { var, .. } if *var == x => w = true,
            Stmt::Let { op: Op::Call(c), .. } => {
                if c.args.iter().any(|a| matches!(a, Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) if p.var == x)) {
                    w = true;
                }
            }
            Stmt::Let { op: Op::Opaque { deps, .. }, .. } | Stmt::Effect { deps, .. } => {
                if dep_vars(deps).contains(&x) {
                    w = true;
                }
            }
            _ => {}
        }
        for c in s.blocks() {
            w |= writes_var(&c.stmts, x);
        }
    }
    w
}

/// Storage passed to calls by `&mut` (or as a receiver) in a block.
fn mut_args(b: &[Stmt]) -> Vec<Var> {
    let mut out = Vec::new();
    for s in b {
        if let Stmt::Let { op: Op::Call(c), .. } = s {
            for a in &c.args {
                if let Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) = a {
                    out.push(p.var);
                }
            }
        }
        for c in s.blocks() {
            out.extend(mut_args(&c.stmts));
        }
    }
    out
}

/// Whether anything after the statement at `tpath` (in program order, at
/// every level of the path) touches storage `x`.
fn used_after(stmts: &[Stmt], tpath: &[(usize, usize)], x: Var) -> bool {
    let mut cur = stmts;
    let mut levels: Vec<(&[Stmt], usize)> = Vec::new();
    for (i, br) in tpath {
        levels.push((cur, *i));
        match &cur[*i] {
            Stmt::If { then, els, .. } => cur = if *br == 0 { &then.stmts } else { &els.stmts },
            _ => break,
        }
    }
    for (b, i) in levels {
        for s in &b[i + 1..] {
            if touches_deep(s, x) {
                return true;
            }
        }
    }
    false
}

fn touches_deep(s: &Stmt, x: Var) -> bool {
    let mut a = HashMap::new();
    accesses(std::slice::from_ref(s), &mut a);
    a.contains_key(&x)
}

fn is_zero_lit(f: &Func, defs: &HashMap<V, Op>, v: V) -> bool {
    let _ = f;
    match defs.get(&v) {
        Some(Op::Lit(Lit::Int(t))) => {
            let s = t.to_string().replace([' ', '_'], "");
            s == "0" || s.starts_with("0u") || s.starts_with("0i")
        }
        _ => false,
    }
}

/// The length of a local array as an SSA value, when declared from one.
fn decl_len(f: &Func, defs: &HashMap<V, Op>, x: Var) -> Option<V> {
    match crate::ad::vjp::find_decl(&f.body, x)? {
        Init::VecFill(_, n) => Some(n),
        Init::Val(v) => match defs.get(&v)? {
            Op::Repeat { len: RepLen::Dyn(n), .. } => Some(*n),
            _ => None,
        },
        _ => None,
    }
}

/// Coverage facts: ranges `[lo, hi)` of indices written (`lo` `None`: 0).
#[derive(Clone, Default)]
struct Facts {
    ranges: Vec<(Option<V>, V)>,
    whole: bool,
}

struct Cov<'a> {
    f: &'a Func,
    defs: HashMap<V, Op>,
    x: Var,
    len: Option<V>,
    /// Enclosing loops inside the iteration: (index, lo, hi).
    loops: Vec<(V, V, V)>,
}

/// Whether every read of primal storage `x` in an iteration of loop `lt`
/// reads an element written earlier in the same iteration.
pub(crate) fn iteration_private(f: &Func, lt: &Stmt, x: Var) -> bool {
    let Stmt::For { body, .. } = lt else { return false };
    if !matches!(f.vars[x].kind, VarKind::Local) || !matches!(f.vars[x].shape, Shape::Array(..)) {
        return false;
    }
    let mut defs = HashMap::new();
    def_ops(&f.body.stmts, &mut defs);
    let len = decl_len(f, &defs, x);
    let mut c = Cov { f, defs, x, len, loops: Vec::new() };
    let mut facts = Facts::default();
    c.block(&body.stmts, &mut facts).is_some()
}

impl Cov<'_> {
    fn covered(&self, facts: &Facts, p: &Place) -> bool {
        if facts.whole {
            return true;
        }
        let Some(Proj::Index(i)) = p.path.first() else { return false };
        let Some((_, lo, hi)) = self.loops.iter().rev().find(|l| l.0 == *i).copied() else { return false };
        facts.ranges.iter().any(|(flo, fhi)| *fhi == hi && (flo.is_none() || *flo == Some(lo) || is_zero_lit(self.f, &self.defs, flo.unwrap_or(lo))))
    }

    fn add(&self, facts: &mut Facts, lo: V, hi: V) {
        let lo = if is_zero_lit(self.f, &self.defs, lo) { None } else { Some(lo) };
        if lo.is_none() && self.len == Some(hi) {
            facts.whole = true;
        }
        facts.ranges.push((lo, hi));
    }

    /// Checks a block; `None` when a read is not covered.
    fn block(&mut self, b: &[Stmt], facts: &mut Facts) -> Option<()> {
        for s in b {
            self.stmt(s, facts)?;
        }
        Some(())
    }

    fn stmt(&mut self, s: &Stmt, facts: &mut Facts) -> Option<()> {
        let x = self.x;
        match s {
            Stmt::Let { op, .. } => match op {
                Op::Read(p) if p.var == x => {
                    if !self.covered(facts, p) {
                        return None;
                    }
                }
                Op::Opaque { deps, .. } if dep_vars(deps).contains(&x) => {
                    if !facts.whole {
                        return None;
                    }
                }
                Op::Call(c) if c.args.iter().any(|a| a.place().is_some_and(|p| p.var == x) || matches!(a, Arg::Tokens(_, d) if dep_vars(d).contains(&x))) => {
                    if !facts.whole {
                        return None;
                    }
                }
                _ => {}
            },
            Stmt::Store { place, acc, .. } if place.var == x => {
                if place.path.is_empty() {
                    facts.whole = true;
                } else if *acc && !self.covered(facts, place) {
                    return None;
                }
            }
            Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::AccPat { var, .. } if *var == x => return None,
            Stmt::Effect { deps, .. } if dep_vars(deps).contains(&x) => {
                if !facts.whole {
                    return None;
                }
            }
            Stmt::If { cond, then, els, .. } => {
                let mut ft = facts.clone();
                self.block(&then.stmts, &mut ft)?;
                let mut fe = facts.clone();
                self.block(&els.stmts, &mut fe)?;
                // A guard `if lo < hi { .. for j in lo..hi .. }` with an empty
                // `else`: what the loop writes holds after it either way.
                let guard = match self.defs.get(cond) {
                    Some(Op::Bin(BinOp::Lt, lo, hi)) if els.stmts.is_empty() => Some((*lo, *hi)),
                    _ => None,
                };
                if fe.whole && ft.whole {
                    facts.whole = true;
                }
                for r in &ft.ranges {
                    let in_else = fe.ranges.contains(r);
                    let vacuous = guard.is_some_and(|(glo, ghi)| r.1 == ghi && (r.0 == Some(glo) || (r.0.is_none() && is_zero_lit(self.f, &self.defs, glo))));
                    if (in_else || vacuous) && !facts.ranges.contains(r) {
                        facts.ranges.push(*r);
                    }
                }
                if ft.whole && guard.is_some() && !facts.whole {
                    // A whole write inside a guard: only when the guard's
                    // range is the whole array.
                    if let Some((glo, ghi)) = guard {
                        if is_zero_lit(self.f, &self.defs, glo) && self.len == Some(ghi) {
                            facts.whole = true;
                        }
                    }
                }
            }
            Stmt::For { idx, range, body, .. } => {
                if range.inclusive {
                    // Reads inside are checked against outer facts only.
                    self.loops.push((*idx, range.lo, range.hi));
                    let mut fb = facts.clone();
                    self.block(&body.stmts, &mut fb)?;
                    self.loops.pop();
                    return Some(());
                }
                self.loops.push((*idx, range.lo, range.hi));
                let mut fb = facts.clone();
                let mut writes_idx = false;
                for st in &body.stmts {
                    self.stmt(st, &mut fb)?;
                    if let Stmt::Store { place, acc, .. } = st {
                        if place.var == x && matches!(place.path.as_slice(), [Proj::Index(i)] if i == idx) && (!acc || self.covered(&fb, place)) {
                            writes_idx = true;
                        }
                    }
                }
                self.loops.pop();
                if writes_idx {
                    self.add(facts, range.lo, range.hi);
                }
            }
            Stmt::While { head, body, .. } => {
                let mut fh = facts.clone();
                self.block(&head.stmts, &mut fh)?;
                self.block(&body.stmts, &mut fh)?;
            }
            _ => {}
        }
        Some(())
    }
}
