//! Reverse mode = unzip + transpose of the tangent program.
//!
//! Input: the primal function and its activity.
//! Output: the forward sweep (the primal, plus tape pushes of the residuals
//! the plan stores) and the backward sweep (pops, recomputation of the
//! residuals the plan recomputes, and the transpose of the linear part of
//! the JVP program, regions in reverse).
//!
//! The JVP pass produces a program whose tangent part is linear: sums,
//! negations, products by primal coefficients, reads and writes of tangent
//! storage, and calls of `jvp` entries. Unzipping keeps the primal part in
//! the forward sweep; transposing walks the linear part backwards with one
//! rule per linear operation (`t = a + b` ↦ `ā += t̄, b̄ += t̄`; `t = c·a` ↦
//! `ā += c·t̄`; `t = x[i]` ↦ `x̄[i] += t̄`; `x[i] = t` ↦ `t̄ += x̄[i],
//! x̄[i] = 0`; a `jvp` call ↦ its `fwd` entry in the forward sweep and its
//! `bwd` entry here). Rule authors never write reverse mode.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use quote::ToTokens;

use super::jvp::{JvpOut, jvp};
use crate::analyse::activity::Activity;
use crate::analyse::plan::{self, Defs, How};
use crate::diag::Diag;
use crate::ir::*;

pub struct VjpOut {
    pub fwd: Func,
    pub bwd: Func,
    /// Index of the shadow slot of each parameter in `bwd.params`.
    pub shadow_param: Vec<Option<usize>>,
    /// Index of `dout` in `bwd.params`.
    pub dout_param: usize,
}

pub fn vjp(primal: &Func, act: &Activity, seeds: &[bool], diag: &mut Diag) -> VjpOut {
    let t = jvp(primal, act, seeds, diag);
    unzip(&t, primal, diag)
}

/// Reverse mode from a tangent program (the JVP pass's, or a custom JVP
/// rule's): `primal.params` are the primal slots, tangent slot `k` of
/// `t.func.params` is at `np + k`.
pub fn unzip(t: &JvpOut, primal: &Func, diag: &mut Diag) -> VjpOut {
    let np = primal.params.len();
    let mut u = Unzip::new(t, np);
    u.find_needs(&t.func.body);
    let defs = plan::defs(&t.func);
    let plan = plan::plan(&t.func, &defs, &u.needed);
    u.plan = plan;
    u.defs = defs;

    // Forward sweep.
    let fwd_body = u.fwd_block(&t.func.body, 0, true);
    let mut fwd = t.func.clone();
    fwd.body = fwd_body;
    fwd.params = primal.params.clone();
    // Values created while building the forward sweep (trip counts,
    // lengths) live in `u.b`.
    fwd.values = u.b.values.clone();
    fwd.vars = u.b.vars.clone();

    // Backward sweep.
    let bwd = u.bwd(t, diag);
    VjpOut { fwd, bwd, shadow_param: t.tan_param.clone(), dout_param: 2 * np }
}

struct Unzip<'a> {
    t: &'a JvpOut,
    np: usize,
    /// Primal values the backward sweep reads.
    needed: HashSet<V>,
    plan: HashMap<V, How>,
    defs: Defs,
    /// Block counter while walking (matches `plan::defs` numbering).
    block_id: usize,
    /// Whiles whose trip count the backward sweep needs: new trips value.
    trips: HashMap<usize, V>,
    /// The backward sweep under construction.
    b: Func,
    cur: Vec<Stmt>,
    /// Adjoint accumulator of each linear value.
    adj: HashMap<V, Var>,
    /// Final lengths of pushed tangent vectors, by tangent var.
    final_len: HashMap<Var, V>,
    /// Zeros of the final contents of pushed vectors of structs, by tangent
    /// var.
    final_zero: HashMap<Var, V>,
    /// Call snapshots: for a call value, the args snapshotted.
    snapshots: HashMap<V, Vec<(usize, Var)>>,
    /// Primal var of each tangent var.
    primal_of: HashMap<Var, Var>,
    /// The function names no float type (no float parameter or result):
    /// popped floats need type witnesses.
    float_unknown: bool,
}

impl<'a> Unzip<'a> {
    fn new(t: &'a JvpOut, np: usize) -> Self {
        let primal_of = t.tvar.iter().map(|(p, tv)| (*tv, *p)).collect();
        let float_unknown = super::jvp::float_unknown(&t.func);

        Unzip {
            t,
            np,
            needed: HashSet::new(),
            plan: HashMap::new(),
            defs: Defs { block: HashMap::new(), op: HashMap::new(), loop_idx: HashSet::new(), merged: HashSet::new() },
            block_id: 0,
            trips: HashMap::new(),
            b: t.func.clone(),
            cur: Vec::new(),
            adj: HashMap::new(),
            final_len: HashMap::new(),
            final_zero: HashMap::new(),
            snapshots: HashMap::new(),
            primal_of,
            float_unknown,
        }
    }

    fn lin(&self, v: V) -> bool {
        self.t.lin.get(v).copied().unwrap_or(false)
    }

    fn lin_var(&self, x: Var) -> bool {
        self.t.lin_var.get(x).copied().unwrap_or(false)
    }

    fn need(&mut self, v: V) {
        if !self.lin(v) {
            self.needed.insert(v);
        }
    }

    fn need_place(&mut self, p: &Place) {
        for d in p.deps() {
            self.need(d);
        }
    }

    // ----- what the backward sweep reads ---------------------------------

    /// A linear value of unknown type gets a zero accumulator shaped like
    /// its primal counterpart: that value is a residual.
    fn need_shape(&mut self, v: V) {
        if self.lin(v) && self.t.func.values[v].ty == Ty::Val {
            if let Some(p) = self.typed_like(v) {
                self.need(p);
            }
        }
    }

    /// The primal value whose type linear value `t` has: the value it is
    /// the tangent of, or the field a masked read reads.
    fn typed_like(&self, t: V) -> Option<V> {
        self.t.tan.iter().find(|(_, tt)| **tt == t).map(|(p, _)| *p).or_else(|| self.t.like.get(&t).copied())
    }

    fn find_needs(&mut self, b: &Block) {
        for s in &b.stmts {
            match s {
                Stmt::Let { v, .. } => self.need_shape(*v),
                Stmt::If { phis, .. } => phis.iter().for_each(|p| self.need_shape(p.out)),
                Stmt::For { carried, .. } | Stmt::While { carried, .. } => carried.iter().for_each(|c| {
                    self.need_shape(c.phi);
                    self.need_shape(c.out);
                }),
                _ => {}
            }
            match s {
                Stmt::Let { v, op } if self.lin(*v) => match op {
                    Op::Bin(_, x, y) => {
                        self.need(*x);
                        self.need(*y);
                    }
                    Op::Prim(_, args) => args.iter().for_each(|a| self.need(*a)),
                    Op::Read(p) => self.need_place(p),
                    Op::Index(_, i) => self.need(*i),
                    Op::Repeat { len: RepLen::Dyn(n), .. } => self.need(*n),
                    Op::Get(pair, 1) if self.t.mixed[*pair] => {
                        // The call's primal arguments go to its `bwd` entry.
                        if let Some(Op::Call(c)) = self.def_op(*pair).cloned() {
                            for a in &c.args {
                                match a {
                                    Arg::Val(x) => self.need(*x),
                                    Arg::Ref(p) | Arg::Recv(p) => self.need_place(p),
                                    Arg::Mut(p) | Arg::Reborrow(p) => self.need_place(p),
                                    _ => {}
                                }
                            }
                        }
                    }
                    _ => {}
                },
                Stmt::Let { v, op: Op::Call(c) } if self.t.mixed[*v] => {
                    // The primal result may seed zero adjoints.
                    let _ = c;
                }
                Stmt::Store { place, .. } if self.lin_var(place.var) => self.need_place(place),
                Stmt::Decl { var, .. } if self.lin_var(*var) => {
                    if let Some(p) = self.primal_of.get(var).copied() {
                        self.need_decl_shape(p);
                    }
                }
                Stmt::Push { var, .. } | Stmt::PopVec { var, .. } if self.lin_var(*var) => {}
                Stmt::If { cond, then, els, phis } => {
                    if self.region_has_lin(then) || self.region_has_lin(els) || phis.iter().any(|p| self.lin(p.out)) {
                        self.need(*cond);
                    }
                    self.find_needs(then);
                    self.find_needs(els);
                }
                Stmt::For { range, body, carried, .. } => {
                    if self.region_has_lin(body) || carried.iter().any(|c| self.lin(c.phi)) {
                        self.need(range.lo);
                        self.need(range.hi);
                    }
                    self.find_needs(body);
                }
                Stmt::While { head, body, .. } => {
                    self.find_needs(head);
                    self.find_needs(body);
                }
                _ => {}
            }
        }
    }

    /// Whether a region has linear statements (needs a reversal).
    fn region_has_lin(&self, b: &Block) -> bool {
        b.stmts.iter().any(|s| match s {
            Stmt::Let { v, .. } => self.lin(*v),
            Stmt::Store { place, .. } => self.lin_var(place.var),
            Stmt::Decl { var, .. } | Stmt::Push { var, .. } | Stmt::PopVec { var, .. } => self.lin_var(*var),
            Stmt::If { then, els, phis, .. } => self.region_has_lin(then) || self.region_has_lin(els) || phis.iter().any(|p| self.lin(p.out)),
            Stmt::For { body, carried, .. } => self.region_has_lin(body) || carried.iter().any(|c| self.lin(c.phi)),
            Stmt::While { head, body, carried, .. } => self.region_has_lin(head) || self.region_has_lin(body) || carried.iter().any(|c| self.lin(c.phi)),
            _ => false,
        })
    }

    fn def_op(&self, v: V) -> Option<&Op> {
        find_def(&self.t.func.body, v)
    }

    /// The primal values that give the shape of a tangent variable's adjoint.
    fn need_decl_shape(&mut self, primal_var: Var) {
        if let Some(init) = find_decl(&self.t.func.body, primal_var) {
            match init {
                Init::Val(v) => match self.def_op(v).cloned() {
                    Some(Op::Repeat { len: RepLen::Dyn(n), val, .. }) => {
                        self.need(n);
                        if self.t.func.values[val].ty != Ty::F {
                            self.need(val);
                        }
                    }
                    Some(Op::Repeat { val, .. }) if self.t.func.values[val].ty != Ty::F => self.need(val),
                    Some(Op::Repeat { .. }) | Some(Op::Array(_)) | Some(Op::VecLit(_)) => {
                        if let Some(Op::Array(xs) | Op::VecLit(xs)) = self.def_op(v).cloned() {
                            if let Some(x) = xs.first() {
                                if self.t.func.values[*x].ty != Ty::F {
                                    self.need(*x);
                                }
                            }
                        }
                    }
                    _ => self.need(v),
                },
                Init::VecFill(x, n) => {
                    self.need(n);
                    if self.t.func.values[x].ty != Ty::F {
                        self.need(x);
                    }
                }
                Init::ArrFill(x, _) => {
                    if self.t.func.values[x].ty != Ty::F {
                        self.need(x);
                    }
                }
                Init::CopyOf(p) => {
                    self.need_place(&p);
                }
                Init::VecEmpty(_) | Init::ZeroLike(_) | Init::Zero | Init::ZeroOfPlace(_) => {}
            }
        }
    }

    // ----- the forward sweep -------------------------------------------------

    /// The primal part of a block, with the block's stored residuals pushed
    /// at its end.
    fn fwd_block(&mut self, b: &Block, _depth: usize, top: bool) -> Block {
        let id = self.block_id;
        self.block_id += 1;
        let mut out = Vec::new();
        let mut k = 0;
        while k < b.stmts.len() {
            let s = &b.stmts[k];
            k += 1;
            match s {
                Stmt::Let { v, op } => {
                    if self.lin(*v) {
                        continue;
                    }
                    if self.t.mixed[*v] {
                        // `pair = call jvp(..)`; `y = pair.0`; `dy = pair.1`.
                        let Op::Call(c) = op else { continue };
                        let y = match b.stmts.get(k) {
                            Some(Stmt::Let { v: y, op: Op::Get(p, 0) }) if p == v => *y,
                            _ => continue,
                        };
                        k += 1;
                        let entry = match c.entry {
                            Entry::Jvp => Entry::Fwd,
                            Entry::FwdJvp => Entry::Fwd,
                            e => e,
                        };
                        let args: Vec<Arg> = primal_args(&c.args);
                        out.push(Stmt::Let { v: y, op: Op::Call(Call { callee: c.callee.clone(), entry, args: args.clone(), tape: true, span: c.span }) });
                        // Snapshots of read-only arguments that change later.
                        let mut snaps = Vec::new();
                        for (ai, a) in args.iter().enumerate() {
                            // A reborrowed `&mut` binding: what a `&` callee
                            // read, for its backward sweep.
                            if let Arg::Reborrow(p) = a {
                                out.push(Stmt::TapePushPlace { place: p.clone() });
                                let snap = self.b.new_var(snap_shape(&self.t.func, p), VarKind::Local, format!("snap_{}", self.t.func.vars[p.var].name));
                                snaps.push((ai, snap));
                                continue;
                            }
                            if let Arg::Ref(p) | Arg::Recv(p) = a {
                                if !plan::read_only(&self.t.func, p.var) {
                                    out.push(Stmt::TapePushPlace { place: p.clone() });
                                    let snap = self.b.new_var(snap_shape(&self.t.func, p), VarKind::Local, format!("snap_{}", self.t.func.vars[p.var].name));
                                    snaps.push((ai, snap));
                                }
                            }
                        }
                        if !snaps.is_empty() {
                            self.snapshots.insert(*v, snaps);
                        }
                        continue;
                    }
                    out.push(s.clone());
                }
                Stmt::Store { place, .. } => {
                    if !self.lin_var(place.var) {
                        out.push(s.clone());
                    }
                }
                Stmt::Decl { var, .. } | Stmt::Push { var, .. } | Stmt::PopVec { var, .. } => {
                    if !self.lin_var(*var) {
                        out.push(s.clone());
                    }
                }
                Stmt::Effect { .. } => out.push(s.clone()),
                Stmt::If { cond, then, els, phis } => {
                    let tb = self.fwd_block(then, 0, false);
                    let eb = self.fwd_block(els, 0, false);
                    // The mask of a `#[no_grad]` field is all linear.
                    if self.t.masks.contains_key(cond) {
                        continue;
                    }
                    let phis: Vec<Phi> = phis.iter().filter(|p| !self.lin(p.out)).cloned().collect();
                    out.push(Stmt::If { cond: *cond, then: tb, els: eb, phis });
                }
                Stmt::For { idx, range, carried, body } => {
                    let bb = self.fwd_block(body, 0, false);
                    let carried: Vec<Carry> = carried.iter().filter(|c| !self.lin(c.phi)).cloned().collect();
                    out.push(Stmt::For { idx: *idx, range: range.clone(), carried, body: bb });
                }
                Stmt::While { head, cond, carried, body, .. } => {
                    let wid = self.block_id;
                    let hb = self.fwd_head(head);
                    // The body's group is pushed at the end of the body.
                    let bb = self.fwd_block(body, 0, false);
                    let needs_trips = self.region_has_lin(head) || self.region_has_lin(body) || carried.iter().any(|c| self.lin(c.phi));
                    let carried: Vec<Carry> = carried.iter().filter(|c| !self.lin(c.phi)).cloned().collect();
                    let trips = if needs_trips {
                        let tv = self.b.new_value(Ty::Int, Span::call_site());
                        self.b.values[tv].rty = Some(syn::parse_quote!(usize));
                        self.trips.insert(wid, tv);
                        self.needed.insert(tv);
                        self.plan.insert(tv, How::Store);
                        self.defs.block.insert(tv, id);
                        Some(tv)
                    } else {
                        None
                    };
                    out.push(Stmt::While { head: hb, cond: *cond, carried, body: bb, trips });
                }
                _ => out.push(s.clone()),
            }
        }
        // Final lengths of the local vectors the block declares whose
        // length changes (`push`) or is not known in the backward sweep
        // (copies of other locals): their adjoints need them. A vector of
        // elements whose zero the macro cannot build (structs) keeps its
        // zero instead.
        for s in &b.stmts {
            let Stmt::Decl { var, init } = s else { continue };
            let Some(tv) = self.t.tvar.get(var).copied() else { continue };
            if !self.needs_final(*var, init) {
                continue;
            }
            let Shape::Array(e, _) = self.t.func.vars[*var].shape.clone() else { continue };
            let v = if float_elems(&e) {
                let n = self.b.new_value(Ty::Int, Span::call_site());
                self.b.values[n].rty = Some(syn::parse_quote!(usize));
                out.push(Stmt::Let { v: n, op: Op::Len(Place::root(*var)) });
                self.final_len.insert(tv, n);
                n
            } else {
                let z = self.b.new_value(Ty::Val, Span::call_site());
                self.b.values[z].rty = self.t.func.vars[*var].rty.clone().filter(|t| !matches!(t, syn::Type::Reference(_)));
                let d = crate::naming::dep(0);
                let op = Op::Opaque { tokens: quote::quote!(::leibniz::__private::zero_like(&#d)), deps: vec![Dep::Place(Place::root(*var))], pure: true, span: Span::call_site() };
                out.push(Stmt::Let { v: z, op: op.clone() });
                self.defs.op.insert(z, op);
                self.final_zero.insert(tv, z);
                z
            };
            self.needed.insert(v);
            self.plan.insert(v, How::Store);
            self.defs.block.insert(v, id);
        }
        let stored = self.stored_in(id, b, top);
        if !stored.is_empty() {
            out.push(Stmt::TapePush { vals: stored });
        }
        Block { stmts: out }
    }

    /// Whether the adjoint of local vector `var` is sized from its final
    /// length (or zero) stored by the forward sweep.
    fn needs_final(&self, var: Var, init: &Init) -> bool {
        if !matches!(self.t.func.vars[var].shape, Shape::Array(_, ArrKind::Vec)) {
            return false;
        }
        let mut resized = false;
        self.t.func.body.walk(&mut |s| {
            if let Stmt::Push { var: x, .. } | Stmt::PopVec { var: x, .. } = s {
                resized |= *x == var;
            }
        });
        match init {
            Init::VecEmpty(_) => true,
            Init::CopyOf(p) => resized || !plan::read_only(&self.t.func, p.var),
            _ => resized,
        }
    }

    /// The head of a `While`: its stored values are pushed with the body's.
    fn fwd_head(&mut self, head: &Block) -> Block {
        let saved = std::mem::take(&mut self.plan);
        // No pushes in the head: its residuals belong to the body's group.
        let mut tmp = saved.clone();
        tmp.retain(|_, h| *h != How::Store);
        self.plan = tmp;
        let b = self.fwd_block(head, 0, false);
        self.plan = saved;
        b
    }

    /// The residuals a block stores, in definition order.
    fn stored_in(&self, id: usize, _b: &Block, _top: bool) -> Vec<V> {
        let mut vs: Vec<V> = self.plan.iter().filter(|(v, h)| **h == How::Store && self.defs.block.get(v) == Some(&id)).map(|(v, _)| *v).collect();
        vs.sort_unstable();
        vs
    }

    // ----- the backward sweep ------------------------------------------------

    fn bwd(&mut self, t: &JvpOut, diag: &mut Diag) -> Func {
        let np = self.np;
        let mut b = std::mem::replace(&mut self.b, empty_func());
        b.body = Block::default();
        // Parameters: the primal ones, the shadows, dout.
        let mut params = t.func.params[..np].to_vec();
        params.resize(2 * np + 1, ParamSlot::None);
        self.b = b;
        for (k, p) in t.func.params.iter().enumerate().skip(np).take(np) {
            match p {
                ParamSlot::Val(tv) => {
                    // The adjoint of a by-value parameter is its shadow slot.
                    let ty = t.func.values[*tv].ty;
                    let shape = if ty == Ty::Val { Shape::Val } else { Shape::Scalar(ty) };
                    let x = self.b.new_var(shape, VarKind::Param { index: k, by: By::Mut }, format!("b{}", k - np));
                    self.b.vars[x].rty = t.func.values[*tv].rty.clone();
                    self.adj.insert(*tv, x);
                    params[k] = ParamSlot::Var(x);
                }
                ParamSlot::Var(tx) => {
                    if let VarKind::Param { index, .. } = self.b.vars[*tx].kind {
                        self.b.vars[*tx].kind = VarKind::Param { index, by: By::Mut };
                    }
                    params[k] = ParamSlot::Var(*tx);
                }
                ParamSlot::None => {}
            }
        }
        // dout
        let dout = t.ret_tan.map(|rt| {
            let ty = t.func.values[rt].ty;
            let d = self.b.new_value(ty, Span::call_site());
            self.b.values[d].rty = t.func.values[rt].rty.clone();
            d
        });
        if let Some(d) = dout {
            params[2 * np] = ParamSlot::Val(d);
        }
        self.b.params = params;

        let saved = std::mem::take(&mut self.cur);
        if let Some(d) = dout {
            self.cur.push(Stmt::Let { v: d, op: Op::Param(2 * np) });
        }
        self.block_id = 0;
        // The body, reversed, seeded with dout.
        let seed = match (t.ret_tan, dout) {
            (Some(rt), Some(d)) if self.lin(rt) => vec![(rt, d)],
            _ => Vec::new(),
        };
        let body = self.rev_block(&t.func.body, &seed, &[], diag);
        self.cur.extend(body.stmts);
        let stmts = std::mem::replace(&mut self.cur, saved);
        let mut out = std::mem::replace(&mut self.b, empty_func());
        out.body = Block { stmts };
        out.ret = None;
        out
    }

    /// The reversal of one block: pops, recomputations, adjoint
    /// accumulators, then the statements transposed in reverse order.
    /// `seed`: linear values of the block whose adjoints start with a
    /// contribution; `tail`: statements to run after the reversal.
    fn rev_block(&mut self, b: &Block, seed: &[(V, V)], tail_contribs: &[(V, V)], diag: &mut Diag) -> Block {
        self.rev_block_with(b, seed, tail_contribs, &[], diag)
    }

    fn rev_block_with(&mut self, b: &Block, seed: &[(V, V)], tail_contribs: &[(V, V)], extra_adj: &[V], diag: &mut Diag) -> Block {
        let id = self.block_id;
        self.block_id += 1;
        let saved = std::mem::take(&mut self.cur);
        // Child blocks get their ids in forward order: number them now.
        let child_ids = self.child_ids(b);

        // Pops of the stored group.
        let stored = self.stored_in(id, b, false);
        if !stored.is_empty() {
            let wit = stored.iter().map(|v| self.witness_of(*v)).collect();
            self.cur.push(Stmt::TapePop { vals: stored.clone(), wit });
        }
        // Recomputed residuals of this block, in forward order.
        self.recompute(b);
        // Adjoint accumulators of this block's linear values and tangent
        // variables (and of loop phis, which live for one iteration).
        for v in extra_adj {
            self.new_adj(*v);
        }
        self.declare_adjoints(b);
        for (v, c) in seed {
            self.accumulate(*v, *c);
        }
        for (v, c) in tail_contribs {
            self.accumulate(*v, *c);
        }
        let mut ci = child_ids.into_iter().rev();
        let stmts: Vec<&Stmt> = b.stmts.iter().collect();
        let mut k = stmts.len();
        while k > 0 {
            k -= 1;
            let s = stmts[k];
            self.transpose(s, &stmts, k, &mut ci, diag);
        }
        let out = std::mem::replace(&mut self.cur, saved);
        Block { stmts: out }
    }

    /// Ids of the child blocks of `b` in forward order, one entry per
    /// region statement (If: then and else; For: body; While: head+body).
    fn child_ids(&mut self, b: &Block) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        for s in &b.stmts {
            match s {
                Stmt::If { then, els, .. } => {
                    let t = self.block_id;
                    self.skip_ids(then);
                    let e = self.block_id;
                    self.skip_ids(els);
                    out.push(vec![t, e]);
                }
                Stmt::For { body, .. } => {
                    let t = self.block_id;
                    self.skip_ids(body);
                    out.push(vec![t]);
                }
                Stmt::While { head, body, .. } => {
                    let h = self.block_id;
                    self.skip_ids(head);
                    let bo = self.block_id;
                    self.skip_ids(body);
                    out.push(vec![h, bo]);
                }
                _ => {}
            }
        }
        out
    }

    fn skip_ids(&mut self, b: &Block) {
        self.block_id += 1;
        for s in &b.stmts {
            for c in s.blocks() {
                self.skip_ids(c);
            }
        }
    }

    fn recompute(&mut self, b: &Block) {
        for s in &b.stmts {
            if let Stmt::Let { v, op } = s {
                if self.plan.get(v) == Some(&How::Recompute) {
                    let op = match op {
                        Op::Param(k) => Op::Param(*k),
                        o => o.clone(),
                    };
                    self.cur.push(Stmt::Let { v: *v, op });
                }
            }
        }
    }

    fn declare_adjoints(&mut self, b: &Block) {
        for s in &b.stmts {
            match s {
                Stmt::Let { v, op } if self.lin(*v) && !self.adj.contains_key(v) => {
                    // Parameters have their shadows; zeros propagate nothing;
                    // masks' conditions are recomputed where they are used.
                    if let Op::Param(_) | Op::ZeroLike(_) | Op::Lit(_) = op {
                        continue;
                    }
                    if self.t.masks.contains_key(v) {
                        continue;
                    }
                    self.new_adj(*v);
                }
                Stmt::Let { v, .. } if self.t.mixed[*v] => {}
                Stmt::Decl { var, init } if self.lin_var(*var) => {
                    let init = self.adj_init(*var, init);
                    self.cur.push(Stmt::Decl { var: *var, init });
                }
                Stmt::If { phis, .. } => {
                    for p in phis {
                        if self.lin(p.out) && !self.adj.contains_key(&p.out) {
                            self.new_adj(p.out);
                        }
                    }
                }
                Stmt::For { carried, .. } | Stmt::While { carried, .. } => {
                    for c in carried {
                        if self.lin(c.out) && !self.adj.contains_key(&c.out) {
                            self.new_adj(c.out);
                        }
                    }
                }
                Stmt::PopVec { out: Some(v), .. } if self.lin(*v) => {
                    self.new_adj(*v);
                }
                _ => {}
            }
        }
    }

    /// A zero accumulator for the adjoint of linear value `v`.
    fn new_adj(&mut self, v: V) -> Var {
        let ty = self.t.func.values[v].ty;
        let (shape, init) = match ty {
            Ty::F => (Shape::Scalar(Ty::F), Init::Zero),
            _ => {
                // A zero of the value's type from its primal counterpart.
                let primal = self.primal_value(v);
                match primal {
                    Some(p) => (Shape::Val, Init::Val(self.zero_like(p))),
                    None => (Shape::Val, Init::Zero),
                }
            }
        };
        let x = self.b.new_var(shape, VarKind::Derived, format!("b{v}"));
        self.b.vars[x].rty = self.t.func.values[v].rty.clone();
        self.cur.push(Stmt::Decl { var: x, init });
        self.adj.insert(v, x);
        x
    }

    fn zero_like(&mut self, p: V) -> V {
        let z = self.b.new_value(Ty::Val, Span::call_site());
        self.b.values[z].rty = self.t.func.values[p].rty.clone();
        self.cur.push(Stmt::Let { v: z, op: Op::ZeroLike(p) });
        z
    }

    /// The primal value whose tangent is `t`.
    fn primal_value(&self, t: V) -> Option<V> {
        self.typed_like(t).filter(|p| self.plan.contains_key(p) || self.needed.contains(p))
    }

    /// The initial contents of a tangent variable's adjoint: zeros shaped
    /// like the primal variable.
    fn adj_init(&mut self, tv: Var, tinit: &Init) -> Init {
        if let Some(n) = self.final_len.get(&tv).copied() {
            let e = match &self.b.vars[tv].shape {
                Shape::Array(e, _) => (**e).clone(),
                _ => Shape::Scalar(Ty::F),
            };
            let z = self.zero_of_shape(&e);
            return Init::VecFill(z, n);
        }
        if let Some(z) = self.final_zero.get(&tv).copied() {
            return Init::Val(z);
        }
        let primal = self.primal_of.get(&tv).copied();
        let pinit = primal.and_then(|p| find_decl(&self.t.func.body, p));
        match pinit {
            Some(Init::Val(v)) => match find_def(&self.t.func.body, v).cloned() {
                Some(Op::Repeat { val, len: RepLen::Dyn(n), .. }) => {
                    let z = self.zero_elem(val);
                    Init::VecFill(z, n)
                }
                Some(Op::Repeat { val, len: RepLen::Const(n), .. }) => {
                    let z = self.zero_elem(val);
                    Init::ArrFill(z, n)
                }
                Some(Op::Array(xs)) if !xs.is_empty() => {
                    let z = self.zero_elem(xs[0]);
                    let n = xs.len();
                    Init::ArrFill(z, quote::quote!(#n))
                }
                Some(Op::VecLit(xs)) if !xs.is_empty() => {
                    let z = self.zero_elem(xs[0]);
                    let n = xs.len();
                    let nv = self.b.new_value(Ty::Int, Span::call_site());
                    self.cur.push(Stmt::Let { v: nv, op: Op::Lit(Lit::Int(quote::quote!(#n))) });
                    Init::VecFill(z, nv)
                }
                _ => Init::Val(self.zero_like(v)),
            },
            Some(Init::VecFill(x, n)) => {
                let z = self.zero_elem(x);
                Init::VecFill(z, n)
            }
            Some(Init::ArrFill(x, n)) => {
                let z = self.zero_elem(x);
                Init::ArrFill(z, n)
            }
            Some(Init::CopyOf(p)) => {
                // A copy into a `[F; N]` (`try_into`, `first_chunk`): a
                // `[F; N]` of zeros.
                if let Shape::Array(e, ArrKind::Fixed(n)) = self.b.vars[tv].shape.clone() {
                    if matches!(*e, Shape::Scalar(Ty::F)) {
                        let z = self.b.new_value(Ty::F, Span::call_site());
                        self.cur.push(Stmt::Let { v: z, op: Op::Lit(Lit::Zero) });
                        return Init::ArrFill(z, n);
                    }
                }
                // The adjoint of a copy is shaped like its source.
                match &self.t.func.vars[p.var].shape.clone() {
                    Shape::Array(e, _) if matches!(**e, Shape::Scalar(Ty::F)) => {
                        let n = self.b.new_value(Ty::Int, Span::call_site());
                        self.b.values[n].rty = Some(syn::parse_quote!(usize));
                        self.cur.push(Stmt::Let { v: n, op: Op::Len(p.clone()) });
                        let z = self.zero_f(n);
                        Init::VecFill(z, n)
                    }
                    _ => Init::CopyOf(p.clone()).zeroed(),
                }
            }
            _ => match tinit {
                Init::Zero => Init::Zero,
                other => other.clone(),
            },
        }
    }

    fn zero_f(&mut self, _like: V) -> V {
        let z = self.b.new_value(Ty::F, Span::call_site());
        self.cur.push(Stmt::Let { v: z, op: Op::Lit(Lit::Zero) });
        z
    }

    /// A zero element of a float (or fixed array of floats) shape.
    fn zero_of_shape(&mut self, s: &Shape) -> V {
        match s {
            Shape::Array(e, ArrKind::Fixed(n)) => {
                let z = self.zero_of_shape(e);
                let w = self.b.new_value(Ty::Val, Span::call_site());
                self.cur.push(Stmt::Let { v: w, op: Op::Repeat { val: z, len: RepLen::Const(n.clone()), vec: false } });
                w
            }
            _ => self.zero_f(0),
        }
    }

    fn zero_elem(&mut self, x: V) -> V {
        match self.t.func.values[x].ty {
            Ty::F => self.zero_f(x),
            Ty::Val | Ty::Const => self.zero_like(x),
            _ => x,
        }
    }

    /// `adj(v) += c`.
    fn accumulate(&mut self, v: V, c: V) {
        if !self.lin(v) {
            return;
        }
        let x = match self.adj.get(&v) {
            Some(x) => *x,
            None => return,
        };
        self.cur.push(Stmt::Store { place: Place::root(x), val: c, acc: true });
    }

    /// The current adjoint of `v`, read (`None` when it has no accumulator).
    fn read_adj(&mut self, v: V) -> Option<V> {
        let x = *self.adj.get(&v)?;
        let ty = self.t.func.values[v].ty;
        let r = self.b.new_value(ty, Span::call_site());
        self.b.values[r].rty = self.t.func.values[v].rty.clone();
        self.cur.push(Stmt::Let { v: r, op: Op::Read(Place::root(x)) });
        Some(r)
    }

    fn emit(&mut self, op: Op, ty: Ty) -> V {
        let v = self.b.new_value(ty, Span::call_site());
        self.cur.push(Stmt::Let { v, op });
        v
    }

    fn transpose(&mut self, s: &Stmt, stmts: &[&Stmt], k: usize, children: &mut dyn Iterator<Item = Vec<usize>>, diag: &mut Diag) {
        match s {
            Stmt::Let { v, op } if self.lin(*v) => self.transpose_let(*v, op, stmts, k, diag),
            Stmt::Store { place, val, acc } if self.lin_var(place.var) => {
                let ty = self.b.place_ty(place);
                if !ty.carries() {
                    return;
                }
                let r = self.emit(Op::Read(place.clone()), ty);
                if !*acc {
                    let z = match ty {
                        Ty::F => self.emit(Op::Lit(Lit::Zero), Ty::F),
                        _ => self.emit(Op::ZeroLike(r), Ty::Val),
                    };
                    self.cur.push(Stmt::Store { place: place.clone(), val: z, acc: false });
                }
                self.accumulate(*val, r);
            }
            Stmt::Decl { var, init } if self.lin_var(*var) => match init {
                Init::Val(t) => {
                    let ty = if self.t.func.values[*t].ty == Ty::F && matches!(self.b.vars[*var].shape, Shape::Scalar(_)) { Ty::F } else { Ty::Val };
                    let r = self.emit(Op::Read(Place::root(*var)), ty);
                    self.accumulate(*t, r);
                }
                Init::VecFill(t, _) | Init::ArrFill(t, _) => {
                    if self.lin(*t) {
                        if let Some(x) = self.adj.get(t).copied() {
                            let u = self.emit(Op::Call(Call { callee: Callee::Op("acc_sum"), entry: Entry::Primal, args: vec![Arg::Mut(Place::root(x)), Arg::Ref(Place::root(*var))], tape: false, span: Span::call_site() }), Ty::Unit);
                            let _ = u;
                        }
                    }
                }
                Init::CopyOf(tp) => {
                    if let Some(_x) = self.t.tvar.values().find(|x| **x == tp.var) {
                        let r = self.emit(Op::Read(Place::root(*var)), Ty::Val);
                        self.cur.push(Stmt::Store { place: tp.clone(), val: r, acc: true });
                    }
                }
                _ => {}
            },
            Stmt::Push { var, val } if self.lin_var(*var) => {
                let ty = self.t.func.values[*val].ty;
                let r = self.b.new_value(ty, Span::call_site());
                self.cur.push(Stmt::PopVec { var: *var, out: Some(r) });
                self.accumulate(*val, r);
            }
            // `x = v.pop()`: the adjoint of `x` goes back on top of `v`'s.
            Stmt::PopVec { var, out: Some(o) } if self.lin_var(*var) => {
                let r = match self.read_adj(*o) {
                    Some(r) => r,
                    None if self.t.func.values[*o].ty == Ty::F => {
                        let z = self.b.new_value(Ty::F, Span::call_site());
                        self.cur.push(Stmt::Let { v: z, op: Op::Lit(Lit::Zero) });
                        z
                    }
                    None => match self.primal_value(*o) {
                        Some(p) => self.zero_like(p),
                        None => {
                            diag.at(self.t.func.values[*o].span, "internal: no zero for the adjoint of a popped element; pop floats, or index the vector instead");
                            return;
                        }
                    },
                };
                self.cur.push(Stmt::Push { var: *var, val: r });
            }
            Stmt::If { cond, then, els, phis } => {
                let ids = children.next().unwrap_or_default();
                let lin_phis: Vec<&Phi> = phis.iter().filter(|p| self.lin(p.out)).collect();
                if !(self.region_has_lin(then) || self.region_has_lin(els) || !lin_phis.is_empty()) {
                    return;
                }
                let mut tc = Vec::new();
                let mut ec = Vec::new();
                for p in &lin_phis {
                    if let Some(r) = self.read_adj(p.out) {
                        tc.push((p.then, r));
                        ec.push((p.els, r));
                    }
                }
                // Contributions to values defined outside the branch are
                // added inside it (only on the path taken).
                let saved_id = self.block_id;
                self.block_id = ids.first().copied().unwrap_or(0);
                let tb = self.rev_block_split(then, &tc, diag);
                self.block_id = ids.get(1).copied().unwrap_or(0);
                let eb = self.rev_block_split(els, &ec, diag);
                self.block_id = saved_id;
                self.mask_cond(*cond);
                self.cur.push(Stmt::If { cond: *cond, then: tb, els: eb, phis: Vec::new() });
            }
            Stmt::For { idx, range, carried, body } => {
                let ids = children.next().unwrap_or_default();
                let lin_c: Vec<&Carry> = carried.iter().filter(|c| self.lin(c.phi)).collect();
                if !(self.region_has_lin(body) || !lin_c.is_empty()) {
                    return;
                }
                let bcs = self.open_rev_carries(&lin_c);
                let saved_id = self.block_id;
                self.block_id = ids.first().copied().unwrap_or(0);
                let rb = self.rev_loop_body(body, None, &lin_c, &bcs, diag);
                self.block_id = saved_id;
                let mut r = range.clone();
                r.rev = !r.rev;
                self.cur.push(Stmt::For { idx: *idx, range: r, carried: Vec::new(), body: rb });
                self.close_rev_carries(&lin_c, &bcs);
            }
            Stmt::While { head, body, carried, cond, .. } => {
                let ids = children.next().unwrap_or_default();
                let lin_c: Vec<&Carry> = carried.iter().filter(|c| self.lin(c.phi)).collect();
                if !(self.region_has_lin(head) || self.region_has_lin(body) || !lin_c.is_empty()) {
                    return;
                }
                let trips = ids.first().and_then(|h| self.trips.get(h)).copied();
                let Some(trips) = trips else {
                    diag.at(Span::call_site(), "internal: a loop's trip count was not recorded");
                    return;
                };
                let bcs = self.open_rev_carries(&lin_c);
                let saved_id = self.block_id;
                self.block_id = ids.first().copied().unwrap_or(0);
                if self.region_has_lin(head) {
                    let at = self.t.func.values.get(*cond).map(|v| v.span).unwrap_or_else(Span::call_site);
                    diag.at(at, "reverse mode of a `while` (or `while let`) whose condition computes values that carry derivatives is not supported; compute them in the body (`while !st.is_empty() { let top = st.pop().unwrap(); .. }`) or iterate with `for`");
                    return;
                }
                self.block_id = ids.get(1).copied().unwrap_or(0);
                let rb = self.rev_loop_body(body, None, &lin_c, &bcs, diag);
                self.block_id = saved_id;
                let zero = self.emit(Op::Lit(Lit::Int(quote::quote!(0usize))), Ty::Int);
                let idx = self.b.new_value(Ty::Int, Span::call_site());
                self.cur.push(Stmt::For { idx, range: Range { lo: zero, hi: trips, inclusive: false, rev: true }, carried: Vec::new(), body: rb });
                self.close_rev_carries(&lin_c, &bcs);
            }
            _ => {}
        }
    }

    /// The condition of the mask of a `#[no_grad]` field, recomputed in the
    /// backward sweep from adjoints of the containers' types (no tape).
    fn mask_cond(&mut self, cond: V) {
        let Some(mc) = self.t.masks.get(&cond).cloned() else { return };
        let (tokens, jdeps, span) = (mc.tokens, mc.deps, self.t.func.values[cond].span);
        let mut deps = Vec::new();
        let mut ok = true;
        for d in jdeps {
            match d {
                Dep::Val(x) => {
                    let t = if self.lin(x) { Some(x) } else { self.t.tan.get(&x).copied() };
                    match t.and_then(|t| self.adj.get(&t)) {
                        Some(ax) => deps.push(Dep::Place(Place::root(*ax))),
                        // No adjoint: nothing flows through the mask.
                        None => ok = false,
                    }
                }
                Dep::Place(p) => deps.push(Dep::Place(p)),
            }
        }
        let op = if ok { Op::Opaque { tokens, deps, pure: true, span } } else { Op::Lit(Lit::Bool(true)) };
        self.cur.push(Stmt::Let { v: cond, op });
    }

    /// A reversed branch: its contributions first.
    fn rev_block_split(&mut self, b: &Block, contribs: &[(V, V)], diag: &mut Diag) -> Block {
        self.rev_block_at(b, contribs, diag)
    }

    fn rev_block_at(&mut self, b: &Block, contribs: &[(V, V)], diag: &mut Diag) -> Block {
        // Values defined in the block get their contributions after their
        // accumulators exist; others (defined outside) right away: both are
        // handled by `rev_block`, which declares then seeds.
        self.rev_block(b, contribs, &[], diag)
    }

    /// Accumulators of the carried adjoints, seeded with the adjoints of
    /// the loop's outputs.
    fn open_rev_carries(&mut self, lin_c: &[&Carry]) -> Vec<Option<Var>> {
        let mut out = Vec::new();
        for c in lin_c {
            let ty = self.t.func.values[c.phi].ty;
            let r = self.read_adj(c.out);
            let x = match (ty, r) {
                (Ty::F, Some(r)) => {
                    let x = self.b.new_var(Shape::Scalar(Ty::F), VarKind::Derived, format!("bc{}", c.phi));
                    self.cur.push(Stmt::Decl { var: x, init: Init::Val(r) });
                    Some(x)
                }
                (_, Some(r)) => {
                    let x = self.b.new_var(Shape::Val, VarKind::Derived, format!("bc{}", c.phi));
                    self.cur.push(Stmt::Decl { var: x, init: Init::Val(r) });
                    Some(x)
                }
                (_, None) => None,
            };
            out.push(x);
        }
        out
    }

    fn close_rev_carries(&mut self, lin_c: &[&Carry], bcs: &[Option<Var>]) {
        for (c, x) in lin_c.iter().zip(bcs) {
            if let Some(x) = x {
                let ty = self.t.func.values[c.init].ty;
                let r = self.emit(Op::Read(Place::root(*x)), ty);
                self.accumulate(c.init, r);
            }
        }
    }

    /// One reversed iteration: `next` gets the carried adjoint, the body is
    /// reversed, the carried adjoint becomes the adjoint of `phi`.
    fn rev_loop_body(&mut self, body: &Block, second: Option<usize>, lin_c: &[&Carry], bcs: &[Option<Var>], diag: &mut Diag) -> Block {
        let _ = second;
        let saved = std::mem::take(&mut self.cur);
        let mut contribs = Vec::new();
        for (c, x) in lin_c.iter().zip(bcs) {
            if let Some(x) = x {
                let ty = self.t.func.values[c.next].ty;
                let r = self.emit(Op::Read(Place::root(*x)), ty);
                contribs.push((c.next, r));
            }
        }
        // Adjoint accumulators of the phis live for the iteration.
        let phis: Vec<V> = lin_c.iter().map(|c| c.phi).collect();
        let pre = std::mem::replace(&mut self.cur, saved);
        let mut inner = self.rev_block_with(body, &contribs, &[], &phis, diag);
        let mut stmts = pre;
        // The reads of the carried adjoints must come before the body's
        // reversal but after its pops: put the pre-statements first (they
        // only read accumulators of the enclosing block).
        stmts.append(&mut inner.stmts);
        let saved = std::mem::replace(&mut self.cur, stmts);
        for (c, x) in lin_c.iter().zip(bcs) {
            if let Some(x) = x {
                if let Some(r) = self.read_adj(c.phi) {
                    self.cur.push(Stmt::Store { place: Place::root(*x), val: r, acc: false });
                }
                // The phi's accumulator restarts every iteration.
                if let Some(px) = self.adj.get(&c.phi).copied() {
                    let ty = self.t.func.values[c.phi].ty;
                    if ty == Ty::F {
                        let z = self.emit(Op::Lit(Lit::Zero), Ty::F);
                        self.cur.push(Stmt::Store { place: Place::root(px), val: z, acc: false });
                    }
                }
            }
        }
        let out = std::mem::replace(&mut self.cur, saved);
        Block { stmts: out }
    }

    fn transpose_let(&mut self, v: V, op: &Op, stmts: &[&Stmt], k: usize, diag: &mut Diag) {
        // The pair's tangent: the callee's backward entry.
        if let Op::Get(pair, 1) = op {
            if self.t.mixed[*pair] {
                self.transpose_call(v, *pair, stmts, k, diag);
                return;
            }
        }
        let Some(bt) = self.read_adj(v) else { return };
        let ty = self.t.func.values[v].ty;
        match op {
            Op::Bin(BinOp::Add, a, b) => {
                self.accumulate(*a, bt);
                self.accumulate(*b, bt);
            }
            Op::Bin(BinOp::Sub, a, b) => {
                self.accumulate(*a, bt);
                if self.lin(*b) {
                    let n = self.emit(Op::Un(UnOp::Neg, bt), ty);
                    self.accumulate(*b, n);
                }
            }
            Op::Bin(BinOp::Mul, a, b) => {
                let (l, c) = if self.lin(*a) { (*a, *b) } else { (*b, *a) };
                let x = self.emit(Op::Bin(BinOp::Mul, c, bt), ty);
                self.accumulate(l, x);
            }
            Op::Bin(BinOp::Div, a, c) => {
                let x = self.emit(Op::Bin(BinOp::Div, bt, *c), ty);
                self.accumulate(*a, x);
            }
            Op::Un(UnOp::Neg, a) => {
                let x = self.emit(Op::Un(UnOp::Neg, bt), ty);
                self.accumulate(*a, x);
            }
            Op::Prim("lmul0", args) => {
                let (c, l) = if self.lin(args[1]) { (args[0], args[1]) } else { (args[1], args[0]) };
                let x = self.emit(Op::Prim("lmul0", vec![c, bt]), ty);
                self.accumulate(l, x);
            }
            Op::Prim("ldiv0", args) => {
                let x = self.emit(Op::Prim("ldiv0", vec![bt, args[1]]), ty);
                self.accumulate(args[0], x);
            }
            Op::Prim("tan_cast", args) => {
                // Back to the operand's float type.
                let oty = self.t.func.values[args[0]].ty;
                let x = self.emit(Op::Prim("tan_cast", vec![bt]), oty);
                self.accumulate(args[0], x);
            }
            Op::Read(p) => {
                self.cur.push(Stmt::Store { place: p.clone(), val: bt, acc: true });
            }
            Op::Get(a, i) => {
                if let Some(x) = self.adj.get(a).copied() {
                    let m = syn::Member::Unnamed(syn::Index { index: *i as u32, span: Span::call_site() });
                    self.cur.push(Stmt::Store { place: Place::root(x).with(Proj::Field(m)), val: bt, acc: true });
                }
            }
            Op::Field(a, m) => {
                if let Some(x) = self.adj.get(a).copied() {
                    self.cur.push(Stmt::Store { place: Place::root(x).with(Proj::Field(m.clone())), val: bt, acc: true });
                }
            }
            Op::Index(a, i) => {
                if let Some(x) = self.adj.get(a).copied() {
                    self.cur.push(Stmt::Store { place: Place::root(x).with(Proj::Index(*i)), val: bt, acc: true });
                }
            }
            Op::Copy(a) => self.accumulate(*a, bt),
            Op::Tuple(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    if self.lin(*x) {
                        let ty = self.t.func.values[*x].ty;
                        let g = self.emit(Op::Get(bt, i), ty);
                        self.accumulate(*x, g);
                    }
                }
            }
            Op::Struct { fields, .. } => {
                for (m, x) in fields {
                    if self.lin(*x) {
                        let ty = self.t.func.values[*x].ty;
                        let g = self.emit(Op::Field(bt, m.clone()), ty);
                        self.accumulate(*x, g);
                    }
                }
            }
            Op::Array(xs) | Op::VecLit(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    if self.lin(*x) {
                        let ty = self.t.func.values[*x].ty;
                        let iv = self.emit(Op::Lit(Lit::Int(quote::quote!(#i))), Ty::Int);
                        let g = self.emit(Op::Index(bt, iv), ty);
                        self.accumulate(*x, g);
                    }
                }
            }
            Op::Repeat { val, .. } => {
                if self.lin(*val) {
                    if let Some(ax) = self.adj.get(val).copied() {
                        let x = self.b.new_var(Shape::Val, VarKind::Derived, "brep".into());
                        self.cur.push(Stmt::Decl { var: x, init: Init::Val(bt) });
                        self.emit(Op::Call(Call { callee: Callee::Op("acc_sum"), entry: Entry::Primal, args: vec![Arg::Mut(Place::root(ax)), Arg::Ref(Place::root(x))], tape: false, span: Span::call_site() }), Ty::Unit);
                    }
                }
            }
            Op::Extract { val, pat } => {
                if let Some(x) = self.adj.get(val).copied() {
                    self.cur.push(Stmt::AccPat { var: x, pat: pat.clone(), val: bt });
                }
            }
            Op::Cast(a, t) => {
                let x = self.emit(Op::Cast(bt, t.clone()), self.t.func.values[*a].ty);
                let _ = x;
                diag.at(Span::call_site(), "reverse mode through `as` casts between different float types is not supported; compute in one float type");
            }
            Op::Lit(_) | Op::ZeroLike(_) | Op::Param(_) => {}
            Op::Prim(name, _) => {
                diag.at(Span::call_site(), format!("internal: `{name}` is not linear"));
            }
            _ => {}
        }
    }

    /// The backward entry of a composed call: its primal arguments (handed
    /// back, or their snapshots), the shadows of its tangent arguments, and
    /// the adjoint of its result.
    fn transpose_call(&mut self, dt: V, pair: V, stmts: &[&Stmt], k: usize, diag: &mut Diag) {
        let _ = (stmts, k);
        let Some(Op::Call(c)) = find_def(&self.t.func.body, pair).cloned() else { return };
        let entry = match c.entry {
            Entry::Jvp => Entry::Bwd,
            e => {
                diag.at(c.span, format!("internal: cannot transpose a `{e:?}` call"));
                return;
            }
        };
        let snaps = self.snapshots.get(&pair).cloned().unwrap_or_default();
        if !snaps.is_empty() {
            // Popped in reverse push order.
            for (ai, x) in snaps.iter().rev() {
                let like = match &primal_args(&c.args)[*ai] {
                    Arg::Ref(p) | Arg::Recv(p) | Arg::Reborrow(p) => p.clone(),
                    _ => continue,
                };
                let wit = self.snapshot_witness(&like);
                self.cur.push(Stmt::TapePopPlace { var: *x, like, wit });
            }
        }
        let mut args = Vec::new();
        let mut in_out: Vec<usize> = Vec::new();
        let mut it = c.args.iter().peekable();
        let mut pi = 0usize;
        while let Some(a) = it.next() {
            let tangent = match a {
                Arg::Tokens(..) => None,
                _ => it.next(),
            };
            // The primal argument.
            match a {
                Arg::Val(x) => args.push(Arg::Val(*x)),
                Arg::Ref(p) | Arg::Recv(p) => match snaps.iter().find(|(ai, _)| *ai == pi) {
                    Some((_, x)) => args.push(if matches!(a, Arg::Recv(_)) { Arg::Recv(Place::root(*x)) } else { Arg::Ref(Place::root(*x)) }),
                    None => args.push(if matches!(a, Arg::Recv(_)) { Arg::Recv(p.clone()) } else { Arg::Ref(p.clone()) }),
                },
                // The primal slot of a `&mut` parameter (ignored by the
                // callee); a reborrow's snapshot for a callee that takes `&`.
                Arg::Mut(_) => args.push(Arg::Zero),
                Arg::Reborrow(_) => match snaps.iter().find(|(ai, _)| *ai == pi) {
                    Some((_, x)) => args.push(Arg::Ref(Place::root(*x))),
                    None => args.push(Arg::Zero),
                },
                Arg::Tokens(t, d) => args.push(Arg::Tokens(t.clone(), d.clone())),
                Arg::Zero => args.push(Arg::Zero),
            }
            pi += 1;
            // Its shadow.
            match tangent {
                Some(Arg::Val(tv)) => match self.adj.get(tv).copied() {
                    Some(x) => args.push(Arg::Mut(Place::root(x))),
                    None => args.push(Arg::Zero),
                },
                Some(Arg::Ref(tp)) | Some(Arg::Mut(tp)) => args.push(Arg::Mut(tp.clone())),
                Some(Arg::Zero) | None => {
                    if !matches!(a, Arg::Tokens(..)) {
                        args.push(Arg::Zero);
                    }
                }
                Some(_) => args.push(Arg::Zero),
            }
            if matches!(a, Arg::Mut(_) | Arg::Reborrow(_)) {
                in_out.push(args.len() - 1);
            }
        }
        // The same storage handed to two shadow slots (`dot(x, x)`): the
        // second gets a zero temporary, added back after the call. Not for
        // the shadow of a `&mut` argument: the callee replaces it (the
        // adjoint of the result in, of the argument out), so it must be the
        // storage itself; two such shadows of one array are the disjoint
        // halves of a `split_at_mut`, borrowed together by the printer.
        let mut seen: Vec<Var> = Vec::new();
        let mut add_back: Vec<(Place, Var)> = Vec::new();
        for (k, a) in args.iter_mut().enumerate() {
            if let Arg::Mut(p) = a {
                if in_out.contains(&k) {
                    seen.push(p.var);
                } else if seen.contains(&p.var) {
                    let ty = self.b.place_ty(p);
                    let shape = if ty == Ty::F && p.path.iter().all(|x| !matches!(x, Proj::Slice(..))) && matches!(self.b.vars[p.var].shape, Shape::Scalar(_) | Shape::Array(..)) && !matches!(self.b.place_shape_of(p), Shape::Array(..)) {
                        Shape::Scalar(Ty::F)
                    } else {
                        self.b.place_shape_of(p)
                    };
                    let init = if matches!(shape, Shape::Scalar(Ty::F)) { Init::Zero } else { Init::ZeroOfPlace(p.clone()) };
                    let tmp = self.b.new_var(shape, VarKind::Derived, "dup".into());
                    self.cur.push(Stmt::Decl { var: tmp, init });
                    add_back.push((p.clone(), tmp));
                    *p = Place::root(tmp);
                } else {
                    seen.push(p.var);
                }
            }
        }
        // dout
        match self.read_adj(dt) {
            Some(r) => args.push(Arg::Val(r)),
            None => args.push(Arg::Zero),
        }
        let unit = self.b.new_value(Ty::Unit, c.span);
        self.cur.push(Stmt::Let { v: unit, op: Op::Call(Call { callee: c.callee.clone(), entry, args, tape: true, span: c.span }) });
        for (p, tmp) in add_back {
            let ty = self.b.place_ty(&p);
            let r = self.emit(Op::Read(Place::root(tmp)), if ty == Ty::F { Ty::F } else { Ty::Val });
            self.cur.push(Stmt::Store { place: p, val: r, acc: true });
        }
    }
}

impl Unzip<'_> {
    /// A witness of the type of a stored value whose Rust type the macro
    /// cannot name: its definition rebuilt from witnesses of its operands
    /// (parameters stand for themselves), printed in a closure that is never
    /// called.
    fn witness_of(&mut self, v: V) -> Option<Wit> {
        let info = &self.b.values[v];
        // Floats are annotated with the float type, unless the function
        // names none (`fn f(a: &mut V)`): then they need witnesses too.
        if !(matches!(info.ty, Ty::Val | Ty::Const) || info.ty == Ty::F && self.float_unknown && info.rty.is_none()) {
            return None;
        }
        if let Some(r) = &info.rty {
            if !r.to_token_stream().to_string().contains('&') {
                return None;
            }
        }
        let saved = std::mem::take(&mut self.cur);
        let mut memo = HashMap::new();
        let w = self.wit(v, &mut memo, 0);
        let stmts = std::mem::replace(&mut self.cur, saved);
        w.map(|val| Wit { block: Block { stmts }, val })
    }

    /// The type of a snapshot: float arrays pop as `Vec<F>`; anything else
    /// through a witness of the place.
    fn snapshot_witness(&mut self, like: &Place) -> Option<Wit> {
        if let Shape::Array(e, kind) = self.t.func.place_shape_of(like) {
            if matches!(*e, Shape::Scalar(Ty::F)) {
                // A fixed-size array is pushed as one value (not in the
                // slice form, length first, that pops as `Vec<F>`): it pops
                // as `[F; N]`, what a callee taking `&[F; N]` needs too.
                let ArrKind::Fixed(n) = kind else { return None };
                let z = self.b.new_value(Ty::F, Span::call_site());
                let w = self.b.new_value(Ty::Val, Span::call_site());
                let stmts = vec![Stmt::Let { v: z, op: Op::Lit(Lit::Zero) }, Stmt::Let { v: w, op: Op::Repeat { val: z, len: RepLen::Const(n), vec: false } }];
                return Some(Wit { block: Block { stmts }, val: w });
            }
        }
        let saved = std::mem::take(&mut self.cur);
        let mut memo = HashMap::new();
        let w = self.wit_place(like, &mut memo, 0).map(|p| {
            let v = self.b.new_value(Ty::Val, Span::call_site());
            let sliced = matches!(p.path.last(), Some(Proj::Slice(..))) || matches!(self.b.place_shape_of(&p), Shape::Array(_, ArrKind::Slice));
            let op = if sliced { Op::Opaque { tokens: { let d = crate::naming::dep(0); quote::quote!(::leibniz::__private::to_owned(&#d)) }, deps: vec![Dep::Place(p)], pure: true, span: Span::call_site() } } else { Op::Read(p) };
            self.cur.push(Stmt::Let { v, op });
            v
        });
        let stmts = std::mem::replace(&mut self.cur, saved);
        w.map(|val| Wit { block: Block { stmts }, val })
    }

    fn merged_source(&self, v: V) -> Option<V> {
        let mut found = None;
        self.t.func.body.walk(&mut |s| match s {
            Stmt::If { phis, .. } => {
                for p in phis {
                    if p.out == v {
                        found = Some(p.then);
                    }
                }
            }
            Stmt::For { carried, .. } | Stmt::While { carried, .. } => {
                for c in carried {
                    if c.phi == v || c.out == v {
                        found = Some(c.init);
                    }
                }
            }
            _ => {}
        });
        found
    }

    fn wemit(&mut self, op: Op, like: V) -> V {
        let ty = self.b.values.get(like).map(|i| i.ty).unwrap_or(Ty::Val);
        let w = self.b.new_value(ty, Span::call_site());
        self.b.values[w].rty = self.b.values.get(like).and_then(|i| i.rty.clone());
        self.cur.push(Stmt::Let { v: w, op });
        w
    }

    /// An integer of whatever type its use needs (an unsuffixed `0`).
    fn wit_int(&mut self) -> V {
        let w = self.b.new_value(Ty::Int, Span::call_site());
        self.cur.push(Stmt::Let { v: w, op: Op::Lit(Lit::Int(quote::quote!(0))) });
        w
    }

    fn wit(&mut self, v: V, memo: &mut HashMap<V, V>, depth: usize) -> Option<V> {
        if let Some(w) = memo.get(&v) {
            return Some(*w);
        }
        if depth > 48 {
            return None;
        }
        let ty = self.b.values[v].ty;
        let w = match ty {
            Ty::F if !self.float_unknown => self.wemit(Op::Lit(Lit::Zero), v),
            Ty::Bool => self.wemit(Op::Lit(Lit::Bool(false)), v),
            Ty::Unit => self.wemit(Op::Lit(Lit::Unit), v),
            _ => {
                if let Some(src) = self.merged_source(v) {
                    let w = self.wit(src, memo, depth + 1)?;
                    memo.insert(v, w);
                    return Some(w);
                }
                let op = self.defs.op.get(&v).cloned()?;
                let d = depth + 1;
                let nop = match op {
                    Op::Param(k) => Op::Param(k),
                    Op::Lit(l) => Op::Lit(l),
                    Op::Get(pair, 0) if self.t.mixed[pair] => {
                        let Some(Op::Call(c)) = self.defs.op.get(&pair).cloned() else { return None };
                        let args = self.wit_args(&primal_args(&c.args), memo, d)?;
                        Op::Call(Call { callee: c.callee.clone(), entry: Entry::Primal, args, tape: false, span: c.span })
                    }
                    Op::Call(c) => {
                        let args = self.wit_args(&c.args, memo, d)?;
                        Op::Call(Call { callee: c.callee.clone(), entry: Entry::Primal, args, tape: false, span: c.span })
                    }
                    Op::Get(a, k) => Op::Get(self.wit(a, memo, d)?, k),
                    Op::Field(a, m) => Op::Field(self.wit(a, memo, d)?, m),
                    Op::Index(a, _) => {
                        let a = self.wit(a, memo, d)?;
                        Op::Index(a, self.wit_int())
                    }
                    Op::Extract { val, pat } => Op::Extract { val: self.wit(val, memo, d)?, pat },
                    Op::Cast(a, t) => Op::Cast(self.wit(a, memo, d)?, t),
                    Op::Copy(a) | Op::ZeroLike(a) => Op::Copy(self.wit(a, memo, d)?),
                    Op::Tuple(xs) => Op::Tuple(xs.iter().map(|x| self.wit(*x, memo, d)).collect::<Option<_>>()?),
                    Op::Array(xs) => Op::Array(xs.iter().map(|x| self.wit(*x, memo, d)).collect::<Option<_>>()?),
                    Op::VecLit(xs) => Op::VecLit(xs.iter().map(|x| self.wit(*x, memo, d)).collect::<Option<_>>()?),
                    Op::Struct { path, fields } => Op::Struct { path, fields: fields.iter().map(|(m, x)| Some((m.clone(), self.wit(*x, memo, d)?))).collect::<Option<_>>()? },
                    Op::Repeat { val, len, vec } => {
                        let val = self.wit(val, memo, d)?;
                        let len = match len {
                            RepLen::Dyn(_) => RepLen::Dyn(self.wit_int()),
                            l => l,
                        };
                        Op::Repeat { val, len, vec }
                    }
                    Op::Read(p) => Op::Read(self.wit_place(&p, memo, d)?),
                    Op::Opaque { tokens, deps, pure, span } => {
                        let mut nd = Vec::new();
                        for x in deps {
                            nd.push(match x {
                                Dep::Val(u) => Dep::Val(self.wit(u, memo, d)?),
                                Dep::Place(p) => Dep::Place(self.wit_place(&p, memo, d)?),
                            });
                        }
                        Op::Opaque { tokens, deps: nd, pure, span }
                    }
                    Op::Len(_) => return Some(self.wit_int()),
                    Op::Un(..) | Op::Bin(..) | Op::Prim(..) => match ty {
                        Ty::Int => return Some(self.wit_int()),
                        // A float of a type the function does not name: the
                        // type of its float operands.
                        Ty::F => {
                            let a = op.deps().into_iter().find(|a| matches!(self.b.values[*a].ty, Ty::F | Ty::Val))?;
                            let w = self.wit(a, memo, d)?;
                            memo.insert(v, w);
                            return Some(w);
                        }
                        // A value the macro knows only by its type (a
                        // `const` of another item, `-C`): the same operation
                        // on witnesses of its operands has its type.
                        _ => match op {
                            Op::Un(u, a) => Op::Un(u, self.wit(a, memo, d)?),
                            Op::Bin(b, x, y) => Op::Bin(b, self.wit(x, memo, d)?, self.wit(y, memo, d)?),
                            Op::Prim(name, args) => Op::Prim(name, args.iter().map(|x| self.wit(*x, memo, d)).collect::<Option<_>>()?),
                            _ => return None,
                        },
                    },
                };
                self.wemit(nop, v)
            }
        };
        memo.insert(v, w);
        Some(w)
    }

    fn wit_args(&mut self, args: &[Arg], memo: &mut HashMap<V, V>, d: usize) -> Option<Vec<Arg>> {
        let mut out = Vec::new();
        for a in args {
            out.push(match a {
                Arg::Val(x) => Arg::Val(self.wit(*x, memo, d)?),
                Arg::Ref(p) => Arg::Ref(self.wit_place(p, memo, d)?),
                Arg::Mut(p) => Arg::Mut(self.wit_place(p, memo, d)?),
                Arg::Reborrow(p) => Arg::Reborrow(self.wit_place(p, memo, d)?),
                Arg::Recv(p) => Arg::Recv(self.wit_place(p, memo, d)?),
                Arg::Zero => Arg::Zero,
                Arg::Tokens(t, deps) => Arg::Tokens(t.clone(), deps.clone()),
            });
        }
        Some(out)
    }

    /// A place of the same type in the witness: parameters stand for
    /// themselves (`&mut` ones by their shadow), locals are rebuilt.
    fn wit_place(&mut self, p: &Place, memo: &mut HashMap<V, V>, d: usize) -> Option<Place> {
        let root = match self.t.func.vars[p.var].kind {
            VarKind::Param { by: By::Mut, .. } => *self.t.tvar.get(&p.var)?,
            VarKind::Param { .. } => p.var,
            _ => {
                let init = find_decl(&self.t.func.body, p.var)?;
                let winit = match init {
                    Init::Val(x) => Init::Val(self.wit(x, memo, d)?),
                    Init::VecFill(x, _) => Init::VecFill(self.wit(x, memo, d)?, self.wit_int()),
                    Init::ArrFill(x, n) => Init::ArrFill(self.wit(x, memo, d)?, n),
                    Init::CopyOf(q) => Init::CopyOf(self.wit_place(&q, memo, d)?),
                    Init::VecEmpty(_) => {
                        // The element type from a push into it.
                        let mut pushed = None;
                        self.t.func.body.walk(&mut |s| {
                            if let Stmt::Push { var, val } = s {
                                if *var == p.var {
                                    pushed = Some(*val);
                                }
                            }
                        });
                        match pushed {
                            Some(x) => {
                                let wx = self.wit(x, memo, d)?;
                                let vv = self.wemit(Op::VecLit(vec![wx]), x);
                                self.b.values[vv].ty = Ty::Val;
                                self.b.values[vv].rty = None;
                                Init::Val(vv)
                            }
                            None => Init::VecEmpty(None),
                        }
                    }
                    _ => return None,
                };
                let info = self.t.func.vars[p.var].clone();
                let wx = self.b.new_var(info.shape.clone(), VarKind::Local, format!("w{}", info.name));
                self.b.vars[wx].rty = info.rty.clone();
                self.cur.push(Stmt::Decl { var: wx, init: winit });
                wx
            }
        };
        let mut path = Vec::new();
        for pr in &p.path {
            path.push(match pr {
                Proj::Index(_) | Proj::At(_) => Proj::Index(self.wit_int()),
                Proj::Slice(..) => Proj::Slice(None, None),
                Proj::Field(m) => Proj::Field(m.clone()),
            });
        }
        Some(Place { var: root, path })
    }
}

fn empty_func() -> Func {
    Func { values: Vec::new(), vars: Vec::new(), params: Vec::new(), body: Block::default(), ret: None, ckpt: Vec::new() }
}

/// The primal arguments of a `jvp` call (its tangent arguments dropped).
fn primal_args(args: &[Arg]) -> Vec<Arg> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        out.push(a.clone());
        if !matches!(a, Arg::Tokens(..)) {
            it.next();
        }
    }
    out
}

/// Whether a shape holds floats only (a float, or fixed arrays of them):
/// zeros of it can be built from the float type alone.
fn float_elems(s: &Shape) -> bool {
    match s {
        Shape::Scalar(Ty::F) => true,
        Shape::Array(e, ArrKind::Fixed(_)) => float_elems(e),
        _ => false,
    }
}

fn snap_shape(f: &Func, p: &Place) -> Shape {
    let mut s = f.vars[p.var].shape.clone();
    for pr in &p.path {
        match (pr, s.clone()) {
            (Proj::Index(_), Shape::Array(e, _)) => s = *e,
            (Proj::Slice(..), Shape::Array(e, _)) => s = Shape::Array(e, ArrKind::Vec),
            _ => return Shape::Val,
        }
    }
    match s {
        Shape::Array(e, ArrKind::Slice) => Shape::Array(e, ArrKind::Vec),
        s => s,
    }
}

pub fn find_def(b: &Block, v: V) -> Option<&Op> {
    for s in &b.stmts {
        if let Stmt::Let { v: w, op } = s {
            if *w == v {
                return Some(op);
            }
        }
        for c in s.blocks() {
            if let Some(o) = find_def(c, v) {
                return Some(o);
            }
        }
    }
    None
}

pub fn find_decl(b: &Block, x: Var) -> Option<Init> {
    for s in &b.stmts {
        if let Stmt::Decl { var, init } = s {
            if *var == x {
                return Some(init.clone());
            }
        }
        for c in s.blocks() {
            if let Some(o) = find_decl(c, x) {
                return Some(o);
            }
        }
    }
    None
}

impl Init {
    fn zeroed(self) -> Init {
        match self {
            Init::CopyOf(p) => Init::ZeroOfPlace(p),
            o => o,
        }
    }
}
