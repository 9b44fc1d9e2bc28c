//! Control flow: `if`, `if let`, `match`, `for` over ranges, `while`,
//! `while let`, `loop`, and the exits `break`, `continue`, `return`.
//!
//! Exits become flags: `return x` sets the return flag and the return
//! slot, `break` and `continue` set their loop's flags; the statements after
//! a statement that may exit run under `if !flags { .. }`; a loop whose body
//! may exit tests its flags in its condition (a `for` becomes a `While`).
//! Flags and slots are ordinary mutable SSA bindings, merged by the phis
//! and carries like any other, so every later pass sees structured code.

use std::collections::HashMap;

use proc_macro2::Span;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{Expr, Stmt as SynStmt};

use super::{Binding, LoopCtx, Lower, Operand, StateSlot, merge_ty};
use crate::ir::*;

/// How a branch of an `if` ended.
pub enum ArmEnd {
    /// With this value (`None`: `()`).
    Value(Option<V>),
    /// It left through a flag (`return`, `break`, `continue`): its state
    /// counts, its value does not.
    Exit,
    /// It diverges (`panic!`).
    Never,
}

impl Lower<'_> {
    // ----- if -------------------------------------------------------------

    pub fn if_expr(&mut self, e: &syn::ExprIf) -> Operand {
        if let Expr::Let(l) = &*e.cond {
            return self.if_let(l, &e.then_branch, e.else_branch.as_ref().map(|(_, x)| &**x), e.span());
        }
        let Some(cond) = self.cond_value(&e.cond) else { return Operand::Never };
        let then_b = &e.then_branch;
        let else_e = e.else_branch.as_ref().map(|(_, x)| &**x);
        let span = e.span();
        self.if_arms(
            cond,
            |l| l.arm_block(then_b),
            |l| match else_e {
                Some(x) => l.arm_expr(x),
                None => ArmEnd::Value(None),
            },
            span,
        )
    }

    /// A condition: a `bool` value (`&&` and `||` short-circuit).
    pub fn cond_value(&mut self, e: &Expr) -> Option<V> {
        let o = self.expr(e);
        let v = self.as_value(o, e.span())?;
        Some(v)
    }

    fn arm_block(&mut self, b: &syn::Block) -> ArmEnd {
        let o = self.block_expr(b);
        self.arm_of(o, b.span())
    }

    fn arm_expr(&mut self, e: &Expr) -> ArmEnd {
        let o = self.expr(e);
        self.arm_of(o, e.span())
    }

    pub fn arm_of(&mut self, o: Operand, span: Span) -> ArmEnd {
        match o {
            Operand::Never => ArmEnd::Never,
            Operand::Unit => ArmEnd::Value(None),
            Operand::Exit => ArmEnd::Exit,
            o => ArmEnd::Value(self.as_value(o, span)),
        }
    }

    /// Lowers an `if` whose arms are produced by `then` and `els`, merging
    /// the mutable state and the arms' values.
    pub fn if_arms(&mut self, cond: V, then: impl FnOnce(&mut Self) -> ArmEnd, els: impl FnOnce(&mut Self) -> ArmEnd, span: Span) -> Operand {
        let before = self.mutable_state();
        let (tb, t_end) = self.nested(then);
        let t_state = self.mutable_state();
        self.restore(&before);
        let (eb, e_end) = self.nested(els);
        let e_state = self.mutable_state();
        self.restore(&before);

        let mut then_block = tb;
        let mut else_block = eb;
        let mut phis = Vec::new();
        let t_live = !matches!(t_end, ArmEnd::Never);
        let e_live = !matches!(e_end, ArmEnd::Never);
        // Merge the mutable state.
        for (k, (name, b)) in before.iter().enumerate() {
            let ts = &t_state[k].1;
            let es = &e_state[k].1;
            debug_assert_eq!(&t_state[k].0, name);
            let merged = match (t_live, e_live) {
                (true, false) => Some(ts.clone()),
                (false, true) => Some(es.clone()),
                (false, false) => None,
                (true, true) => self.merge_slot(b, ts, es, &mut phis, &mut then_block, &mut else_block, span),
            };
            if let Some(m) = merged {
                self.restore_one(name, &m);
            }
        }
        // Merge the values.
        let result = match (&t_end, &e_end) {
            (ArmEnd::Value(Some(a)), ArmEnd::Value(Some(b))) => {
                let ty = merge_ty(self.f.ty(*a), self.f.ty(*b));
                let out = self.f.new_value(ty, span);
                phis.push(Phi { out, then: *a, els: *b });
                Some(out)
            }
            (ArmEnd::Value(Some(a)), ArmEnd::Never | ArmEnd::Exit) => {
                let ty = self.f.ty(*a);
                let d = self.nested_push(&mut else_block, |l| l.dummy(ty, span));
                let out = self.f.new_value(ty, span);
                phis.push(Phi { out, then: *a, els: d });
                Some(out)
            }
            (ArmEnd::Never | ArmEnd::Exit, ArmEnd::Value(Some(b))) => {
                let ty = self.f.ty(*b);
                let d = self.nested_push(&mut then_block, |l| l.dummy(ty, span));
                let out = self.f.new_value(ty, span);
                phis.push(Phi { out, then: d, els: *b });
                Some(out)
            }
            _ => None,
        };
        self.push(Stmt::If { cond, then: then_block, els: else_block, phis });
        match (t_end, e_end, result) {
            (_, _, Some(v)) => Operand::Val(v),
            (ArmEnd::Never, ArmEnd::Never, _) => Operand::Never,
            (ArmEnd::Exit | ArmEnd::Never, ArmEnd::Exit | ArmEnd::Never, _) => Operand::Exit,
            _ => Operand::Unit,
        }
    }

    /// Appends to a block the statements `f` emits.
    pub fn nested_push<T>(&mut self, block: &mut Block, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.cur, std::mem::take(&mut block.stmts));
        let t = f(self);
        block.stmts = std::mem::replace(&mut self.cur, saved);
        t
    }

    #[allow(clippy::too_many_arguments)]
    fn merge_slot(&mut self, before: &StateSlot, t: &StateSlot, e: &StateSlot, phis: &mut Vec<Phi>, tb: &mut Block, eb: &mut Block, span: Span) -> Option<StateSlot> {
        match (t, e) {
            (StateSlot::Val(a), StateSlot::Val(b)) => {
                if a == b {
                    return Some(t.clone());
                }
                let ty = merge_ty(self.f.ty(*a), self.f.ty(*b));
                let out = self.f.new_value(ty, span);
                if let Some(r) = self.f.values[*a].rty.clone().or_else(|| self.f.values[*b].rty.clone()) {
                    self.f.values[out].rty = Some(r);
                }
                phis.push(Phi { out, then: *a, els: *b });
                Some(StateSlot::Val(out))
            }
            (StateSlot::Val(a), StateSlot::Uninit(_)) => {
                let ty = self.f.ty(*a);
                let d = self.nested_push(eb, |l| l.dummy(ty, span));
                let out = self.f.new_value(ty, span);
                phis.push(Phi { out, then: *a, els: d });
                Some(StateSlot::Val(out))
            }
            (StateSlot::Uninit(_), StateSlot::Val(b)) => {
                let ty = self.f.ty(*b);
                let d = self.nested_push(tb, |l| l.dummy(ty, span));
                let out = self.f.new_value(ty, span);
                phis.push(Phi { out, then: d, els: *b });
                Some(StateSlot::Val(out))
            }
            (StateSlot::Ref(pa), StateSlot::Ref(pb)) => match merge_places(pa, pb) {
                Some((mut p, pairs)) => {
                    for (slot, a, b) in pairs {
                        let out = self.f.new_value(Ty::Int, span);
                        phis.push(Phi { out, then: a, els: b });
                        set_place_value(&mut p, slot, out);
                    }
                    Some(StateSlot::Ref(p))
                }
                None => {
                    self.diag.at(span, "a reference variable is made to point into different arrays on the two branches; leibniz needs each reference to stay within one array: copy into a local array instead");
                    Some(before.clone())
                }
            },
            _ => Some(t.clone()),
        }
    }

    /// Rebinds every name of a state snapshot.
    pub fn restore(&mut self, state: &[(String, StateSlot)]) {
        for (name, s) in state {
            self.restore_one(name, s);
        }
    }

    pub fn restore_one(&mut self, name: &str, s: &StateSlot) {
        let b = match (self.lookup(name).cloned(), s) {
            (Some(Binding::Ref { by, .. }), StateSlot::Ref(p)) => Binding::Ref { place: p.clone(), by, mutable: true },
            (_, StateSlot::Val(v)) => Binding::Val { v: *v, mutable: true },
            (_, StateSlot::Ref(p)) => Binding::Ref { place: p.clone(), by: By::Ref, mutable: true },
            (_, StateSlot::Uninit(m)) => Binding::Uninit { mutable: *m },
        };
        self.rebind(name, b);
    }

    // ----- if let / match ---------------------------------------------------

    fn if_let(&mut self, l: &syn::ExprLet, then_b: &syn::Block, els: Option<&Expr>, span: Span) -> Operand {
        let scrut = self.expr(&l.expr);
        if matches!(scrut, Operand::Never) {
            return Operand::Never;
        }
        let Some(test) = self.pat_test(&l.pat, &scrut, l.pat.span()) else { return Operand::Never };
        let pat = (*l.pat).clone();
        self.if_arms(
            test,
            |lw| {
                lw.scopes.push(HashMap::new());
                lw.bind_pat_refutable(&pat, scrut.clone(), span);
                let o = lw.block_expr(then_b);
                let end = lw.arm_of(o, span);
                lw.scopes.pop();
                end
            },
            |lw| match els {
                Some(x) => lw.arm_expr(x),
                None => ArmEnd::Value(None),
            },
            span,
        )
    }

    /// `match`: a flat chain of guarded arms with a `matched` flag.
    pub fn match_expr(&mut self, m: &syn::ExprMatch) -> Operand {
        let span = m.span();
        let scrut = self.expr(&m.expr);
        if matches!(scrut, Operand::Never) {
            return Operand::Never;
        }
        // Reads of the scrutinee once: a place stays a place (arms may bind
        // references into it), a value stays a value.
        let scrut = match scrut {
            Operand::Ref(p, _) => Operand::Place(p),
            o => o,
        };
        let matched = self.fresh_name("matched");
        let result = self.fresh_name("match value");
        let f = self.lit_bool(false, span);
        self.bind(matched.clone(), Binding::Val { v: f, mutable: true });
        self.bind(result.clone(), Binding::Uninit { mutable: true });
        let mut any_value = false;
        let mut all_never = true;
        for arm in &m.arms {
            if let Some(true) = self.cfg_skip(&arm.attrs) {
                continue;
            }
            let arm_span = arm.span();
            let Some(test) = self.pat_test(&arm.pat, &scrut, arm.pat.span()) else { return Operand::Never };
            let Some(m_now) = self.current(&matched) else { return Operand::Never };
            let not_m = self.def(Op::Un(UnOp::Not, m_now), Ty::Bool, arm_span);
            let go = self.and(not_m, test, arm_span);
            let pat = arm.pat.clone();
            let guard = arm.guard.as_ref().map(|(_, g)| (**g).clone());
            let body = (*arm.body).clone();
            let scrut_c = scrut.clone();
            let (matched_c, result_c) = (matched.clone(), result.clone());
            let end = self.if_arms(
                go,
                move |lw| {
                    lw.scopes.push(HashMap::new());
                    lw.bind_pat_refutable(&pat, scrut_c, arm_span);
                    let r = match guard {
                        Some(g) => {
                            let Some(gv) = lw.cond_value(&g) else {
                                lw.scopes.pop();
                                return ArmEnd::Never;
                            };
                            let o = lw.if_arms(gv, |lw2| lw2.match_arm_body(&body, &matched_c, &result_c, arm_span), |_| ArmEnd::Value(None), arm_span);
                            match o {
                                Operand::Never => ArmEnd::Never,
                                _ => ArmEnd::Value(None),
                            }
                        }
                        None => lw.match_arm_body(&body, &matched_c, &result_c, arm_span),
                    };
                    lw.scopes.pop();
                    r
                },
                |_| ArmEnd::Value(None),
                arm_span,
            );
            if !matches!(end, Operand::Never) {
                all_never = false;
            }
            if matches!(self.lookup(&result), Some(Binding::Val { .. })) {
                any_value = true;
            }
        }
        if all_never && !m.arms.is_empty() {
            return Operand::Never;
        }
        if any_value {
            match self.current(&result) {
                Some(v) => Operand::Val(v),
                None => Operand::Unit,
            }
        } else {
            Operand::Unit
        }
    }

    fn match_arm_body(&mut self, body: &Expr, matched: &str, result: &str, span: Span) -> ArmEnd {
        let o = self.expr(body);
        let t = self.lit_bool(true, span);
        self.rebind(matched, Binding::Val { v: t, mutable: true });
        match o {
            Operand::Never => ArmEnd::Never,
            Operand::Exit => ArmEnd::Exit,
            Operand::Unit => ArmEnd::Value(None),
            o => {
                if let Some(v) = self.as_value(o, span) {
                    self.rebind(result, Binding::Val { v, mutable: true });
                }
                ArmEnd::Value(None)
            }
        }
    }

    pub fn and(&mut self, a: V, b: V, span: Span) -> V {
        self.def(Op::Bin(BinOp::BitAnd, a, b), Ty::Bool, span)
    }

    pub fn or(&mut self, a: V, b: V, span: Span) -> V {
        self.def(Op::Bin(BinOp::BitOr, a, b), Ty::Bool, span)
    }

    // ----- exits --------------------------------------------------------------

    pub fn return_expr(&mut self, r: &syn::ExprReturn) -> Operand {
        let span = r.span();
        let v = match &r.expr {
            Some(e) => {
                let o = self.expr(e);
                match o {
                    Operand::Never => return Operand::Never,
                    Operand::Unit => None,
                    o => self.as_value(o, e.span()),
                }
            }
            None => None,
        };
        let Some((flag, slot)) = self.ret.clone() else {
            self.diag.at(span, "internal: `return` without a return flag");
            return Operand::Never;
        };
        let t = self.lit_bool(true, span);
        self.rebind(&flag, Binding::Val { v: t, mutable: true });
        if let Some(v) = v {
            self.rebind(&slot, Binding::Val { v, mutable: true });
        }
        Operand::Exit
    }

    pub fn break_expr(&mut self, b: &syn::ExprBreak) -> Operand {
        let span = b.span();
        let label = b.label.as_ref().map(|l| l.ident.to_string());
        let Some(k) = self.loop_index(label.as_deref(), span) else { return Operand::Never };
        let value = match &b.expr {
            Some(e) => {
                let o = self.expr(e);
                match o {
                    Operand::Never => return Operand::Never,
                    o => self.as_value(o, e.span()),
                }
            }
            None => None,
        };
        let t = self.lit_bool(true, span);
        // Leaving loop k leaves every loop inside it too.
        for j in k..self.loops.len() {
            if let Some(f) = self.loops[j].broke.clone() {
                self.rebind(&f, Binding::Val { v: t, mutable: true });
            }
        }
        if let Some(v) = value {
            match self.loops[k].value.clone() {
                Some(slot) => {
                    self.rebind(&slot, Binding::Val { v, mutable: true });
                }
                None => {
                    self.diag.at(span, "`break` with a value is only allowed inside `loop`");
                }
            }
        }
        Operand::Exit
    }

    pub fn continue_expr(&mut self, c: &syn::ExprContinue) -> Operand {
        let span = c.span();
        let label = c.label.as_ref().map(|l| l.ident.to_string());
        let Some(k) = self.loop_index(label.as_deref(), span) else { return Operand::Never };
        let t = self.lit_bool(true, span);
        if let Some(f) = self.loops[k].continued.clone() {
            self.rebind(&f, Binding::Val { v: t, mutable: true });
        }
        // Inner loops are left.
        for j in k + 1..self.loops.len() {
            if let Some(f) = self.loops[j].broke.clone() {
                self.rebind(&f, Binding::Val { v: t, mutable: true });
            }
        }
        Operand::Exit
    }

    fn loop_index(&mut self, label: Option<&str>, span: Span) -> Option<usize> {
        if self.loops.is_empty() {
            self.diag.at(span, "`break` and `continue` must be inside a loop");
            return None;
        }
        match label {
            None => Some(self.loops.len() - 1),
            Some(l) => {
                let k = self.loops.iter().rposition(|c| c.label.as_deref() == Some(l));
                if k.is_none() {
                    self.diag.at(span, format!("no enclosing loop is labeled `'{l}`"));
                }
                k
            }
        }
    }

    /// `!(any exit flag)`, for the statements after one that may exit; `None`
    /// when no flag exists.
    pub fn continue_cond(&mut self, span: Span) -> Option<V> {
        let mut flags = Vec::new();
        if let Some((f, _)) = &self.ret {
            flags.push(f.clone());
        }
        for l in &self.loops {
            flags.extend(l.broke.iter().cloned());
            flags.extend(l.continued.iter().cloned());
        }
        let mut acc: Option<V> = None;
        for f in flags {
            let Some(v) = self.current(&f) else { continue };
            acc = Some(match acc {
                None => v,
                Some(a) => self.or(a, v, span),
            });
        }
        acc.map(|a| self.def(Op::Un(UnOp::Not, a), Ty::Bool, span))
    }

    /// The condition that keeps a loop running apart from its own bound:
    /// `!(broke || returned || outer flags)`.
    fn loop_go(&mut self, span: Span) -> Option<V> {
        let mut flags = Vec::new();
        if let Some((f, _)) = &self.ret {
            flags.push(f.clone());
        }
        for (j, l) in self.loops.iter().enumerate() {
            flags.extend(l.broke.iter().cloned());
            if j + 1 < self.loops.len() {
                flags.extend(l.continued.iter().cloned());
            }
        }
        let mut acc: Option<V> = None;
        for f in flags {
            let Some(v) = self.current(&f) else { continue };
            acc = Some(match acc {
                None => v,
                Some(a) => self.or(a, v, span),
            });
        }
        acc.map(|a| self.def(Op::Un(UnOp::Not, a), Ty::Bool, span))
    }

    // ----- loops ----------------------------------------------------------

    /// Sets up the flags of a loop from a scan of its body.
    fn enter_loop(&mut self, label: Option<&syn::Label>, body: &[SynStmt], with_value: bool, span: Span) {
        let label = label.map(|l| l.name.ident.to_string());
        let scan = scan_exits(body, label.as_deref());
        let broke = if scan.breaks || with_value {
            let n = self.fresh_name("broke");
            let f = self.lit_bool(false, span);
            self.bind(n.clone(), Binding::Val { v: f, mutable: true });
            Some(n)
        } else {
            None
        };
        let continued = if scan.continues { Some(self.fresh_name("continued")) } else { None };
        let value = if with_value {
            // A placeholder of the type the `break` values will give it.
            let n = self.fresh_name("loop value");
            let d = self.dummy(Ty::Const, span);
            self.bind(n.clone(), Binding::Val { v: d, mutable: true });
            Some(n)
        } else {
            None
        };
        self.loops.push(LoopCtx { label, broke, continued, value });
    }

    /// Whether the current loop can stop early (a flag exists that ends it).
    fn loop_can_exit(&self) -> bool {
        self.ret.is_some() || self.loops.iter().enumerate().any(|(j, l)| l.broke.is_some() || (j + 1 < self.loops.len() && l.continued.is_some()))
    }

    /// Starts an iteration body: resets the `continue` flag.
    fn begin_iteration(&mut self, span: Span) {
        if let Some(c) = self.loops.last().and_then(|l| l.continued.clone()) {
            let f = self.lit_bool(false, span);
            self.bind(c, Binding::Val { v: f, mutable: true });
        }
    }

    /// Creates the carries of a loop: each mutable binding gets a phi.
    fn open_carries(&mut self, span: Span) -> Vec<(String, StateSlot, StateSlot)> {
        let before = self.mutable_state();
        let mut out = Vec::new();
        for (name, slot) in before {
            match &slot {
                StateSlot::Val(v) => {
                    let ty = self.f.ty(*v);
                    let phi = self.f.new_value(ty, span);
                    self.f.values[phi].rty = self.f.values[*v].rty.clone();
                    self.restore_one(&name, &StateSlot::Val(phi));
                    out.push((name, slot.clone(), StateSlot::Val(phi)));
                }
                StateSlot::Ref(p) => {
                    let mut np = p.clone();
                    let n = place_values(p).len();
                    for k in 0..n {
                        let phi = self.f.new_value(Ty::Int, span);
                        set_place_value(&mut np, k, phi);
                    }
                    self.restore_one(&name, &StateSlot::Ref(np.clone()));
                    out.push((name, slot.clone(), StateSlot::Ref(np)));
                }
                StateSlot::Uninit(_) => {}
            }
        }
        out
    }

    /// Closes the carries after the body: returns them (pruned of those the
    /// body does not change) and rebinds the names to the loop's outputs.
    fn close_carries(&mut self, opened: Vec<(String, StateSlot, StateSlot)>, body: &mut Block, head: Option<&mut Block>, span: Span) -> Vec<Carry> {
        let end = self.mutable_state();
        let end: HashMap<String, StateSlot> = end.into_iter().collect();
        let mut carries = Vec::new();
        let mut subst: HashMap<V, V> = HashMap::new();
        for (name, init, phi) in opened {
            let next = end.get(&name).cloned().unwrap_or_else(|| phi.clone());
            match (&init, &phi, &next) {
                (StateSlot::Val(i), StateSlot::Val(p), StateSlot::Val(n)) => {
                    if n == p {
                        subst.insert(*p, *i);
                        self.restore_one(&name, &init);
                    } else {
                        let ty = merge_ty(self.f.ty(*i), self.f.ty(*n));
                        self.f.values[*p].ty = ty;
                        let out = self.f.new_value(ty, span);
                        self.f.values[out].rty = self.f.values[*i].rty.clone();
                        carries.push(Carry { init: *i, phi: *p, next: *n, out });
                        self.restore_one(&name, &StateSlot::Val(out));
                    }
                }
                (StateSlot::Ref(pi), StateSlot::Ref(pp), StateSlot::Ref(pn)) => {
                    if pi.var != pn.var || place_values(pi).len() != place_values(pn).len() {
                        self.diag.at(span, "a reference variable is made to point into a different array inside a loop; leibniz needs each reference to stay within one array: copy into a local array instead");
                        self.restore_one(&name, &init);
                        continue;
                    }
                    let (iv, pv, nv) = (place_values(pi), place_values(pp), place_values(pn));
                    let mut out_place = pn.clone();
                    for k in 0..iv.len() {
                        if nv[k] == pv[k] {
                            subst.insert(pv[k], iv[k]);
                            set_place_value(&mut out_place, k, iv[k]);
                        } else {
                            let out = self.f.new_value(Ty::Int, span);
                            carries.push(Carry { init: iv[k], phi: pv[k], next: nv[k], out });
                            set_place_value(&mut out_place, k, out);
                        }
                    }
                    self.restore_one(&name, &StateSlot::Ref(out_place));
                }
                _ => {
                    self.restore_one(&name, &init);
                }
            }
        }
        if !subst.is_empty() {
            // Resolve chains (a phi replaced by another replaced phi).
            let resolve = |mut v: V, m: &HashMap<V, V>| {
                while let Some(n) = m.get(&v) {
                    v = *n;
                }
                v
            };
            let m2: HashMap<V, V> = subst.keys().map(|k| (*k, resolve(*k, &subst))).collect();
            crate::ir::subst::block(body, &m2);
            if let Some(h) = head {
                crate::ir::subst::block(h, &m2);
            }
            for c in &mut carries {
                c.next = resolve(c.next, &m2);
                c.init = resolve(c.init, &m2);
            }
        }
        carries
    }

    /// A loop over `range`; `body` lowers one iteration given the index.
    /// `scan` is the user's loop body (for its `break`/`continue`), if any.
    pub fn for_range(&mut self, label: Option<&syn::Label>, range: Range, scan: &[SynStmt], body: &mut dyn FnMut(&mut Self, V) -> Operand, span: Span) -> Operand {
        self.enter_loop(label, scan, false, span);
        let o = if self.loop_can_exit() {
            self.for_as_while(range, body, span)
        } else {
            let opened = self.open_carries(span);
            let idx = self.f.new_value(Ty::Int, span);
            if let Some(r) = self.f.values[range.lo].rty.clone().or_else(|| self.f.values[range.hi].rty.clone()) {
                self.f.values[idx].rty = Some(r);
            }
            let (mut blk, _) = self.nested(|l| {
                l.begin_iteration(span);
                body(l, idx)
            });
            let carried = self.close_carries(opened, &mut blk, None, span);
            self.push(Stmt::For { idx, range, carried, body: blk });
            Operand::Unit
        };
        self.loops.pop();
        o
    }

    /// A `for` loop whose body may stop it: a counter and a `While`.
    fn for_as_while(&mut self, range: Range, body: &mut dyn FnMut(&mut Self, V) -> Operand, span: Span) -> Operand {
        let (start, n, _) = self.range_trip(&range, span);
        let counter = self.fresh_name("counter");
        let zero = self.lit_int(quote!(0usize), span);
        self.bind(counter.clone(), Binding::Val { v: zero, mutable: true });
        let opened = self.open_carries(span);
        let (mut head, cond) = self.nested(|l| {
            let j = l.current(&counter)?;
            let inb = l.def(Op::Bin(BinOp::Lt, j, n), Ty::Bool, span);
            match l.loop_go(span) {
                Some(g) => Some(l.and(g, inb, span)),
                None => Some(inb),
            }
        });
        let Some(cond) = cond else { return Operand::Never };
        let (mut blk, _) = self.nested(|l| {
            l.begin_iteration(span);
            let Some(j) = l.current(&counter) else { return Operand::Never };
            let one = l.lit_int(quote!(1usize), span);
            let j1 = l.def(Op::Bin(BinOp::Add, j, one), Ty::Int, span);
            l.rebind(&counter, Binding::Val { v: j1, mutable: true });
            let idx = if range.rev { l.def(Op::Prim("idx_sub", vec![start, j]), Ty::Int, span) } else { l.def(Op::Prim("idx_add", vec![start, j]), Ty::Int, span) };
            if let Some(r) = l.f.values[range.lo].rty.clone() {
                l.f.values[idx].rty = Some(r);
            }
            body(l, idx)
        });
        let carried = self.close_carries(opened, &mut blk, Some(&mut head), span);
        self.push(Stmt::While { head, cond, carried, body: blk, trips: None });
        Operand::Unit
    }

    /// For a range: its first index and its trip count (`usize`).
    pub fn range_trip(&mut self, r: &Range, span: Span) -> (V, V, Option<V>) {
        let (lo, hi) = (r.lo, r.hi);
        let prim = if r.inclusive { "trip_count_incl" } else { "trip_count" };
        let n = self.def(Op::Prim(prim, vec![lo, hi]), Ty::Int, span);
        self.f.values[n].rty = Some(syn::parse_quote!(usize));
        let start = if r.rev {
            if r.inclusive {
                hi
            } else {
                let one = self.lit_int(quote!(1), span);
                self.def(Op::Bin(BinOp::Sub, hi, one), Ty::Int, span)
            }
        } else {
            lo
        };
        (start, n, None)
    }

    /// `while cond { body }`.
    pub fn while_loop(&mut self, w: &syn::ExprWhile) -> Operand {
        let span = w.span();
        // `while let Some(p) = v.pop() { .. }` on a local `Vec`: `while
        // v.len() > 0 { let p = v.pop().unwrap(); .. }`, so that the pop is
        // a statement of the body (reversed with it).
        if let Expr::Let(l) = &*w.cond {
            if let (syn::Pat::TupleStruct(ts), Expr::MethodCall(m)) = (&*l.pat, super::place::strip(&l.expr)) {
                if ts.path.is_ident("Some") && ts.elems.len() == 1 && m.method == "pop" && m.args.is_empty() {
                    let (pat, v, body, label) = (&ts.elems[0], &m.receiver, &w.body, &w.label);
                    let stmts = &body.stmts;
                    let lp: syn::ExprWhile = syn::parse_quote!(#label while #v.len() > 0 { let #pat = #v.pop().unwrap(); #(#stmts)* });
                    return self.while_loop(&lp);
                }
            }
        }
        // A condition with statements (`while { s *= 2.0; s < 10.0 } {..}`)
        // runs as the first part of each iteration: `loop { if !cond {
        // break } body }`, so that its work is reversed like the body's.
        if cond_has_statements(&w.cond) {
            let cond = &w.cond;
            let body = &w.body;
            let label = &w.label;
            let lp: syn::ExprLoop = match &**cond {
                Expr::Let(l) => {
                    let (pat, e) = (&l.pat, &l.expr);
                    syn::parse_quote!(#label loop { if let #pat = #e #body else { break; } })
                }
                c => syn::parse_quote!(#label loop { if !(#c) { break; } #body }),
            };
            return self.loop_expr(&lp);
        }
        self.enter_loop(w.label.as_ref(), &w.body.stmts, false, span);
        let opened = self.open_carries(span);
        let let_cond = if let Expr::Let(l) = &*w.cond { Some(l.clone()) } else { None };
        let (mut head, cond_and_scrut) = self.nested(|l| {
            let (c, scrut) = match &let_cond {
                Some(lc) => {
                    let s = l.expr(&lc.expr);
                    let t = l.pat_test(&lc.pat, &s, lc.pat.span())?;
                    (t, Some(s))
                }
                None => (l.cond_value(&w.cond)?, None),
            };
            let c = match l.loop_go(span) {
                Some(g) => l.and(g, c, span),
                None => c,
            };
            Some((c, scrut))
        });
        let Some((cond, scrut)) = cond_and_scrut else {
            self.loops.pop();
            return Operand::Never;
        };
        let (mut body, _) = self.nested(|l| {
            l.begin_iteration(span);
            if let (Some(lc), Some(s)) = (&let_cond, scrut) {
                l.bind_pat_refutable(&lc.pat, s, span);
            }
            l.block_body(&w.body)
        });
        let carried = self.close_carries(opened, &mut body, Some(&mut head), span);
        self.push(Stmt::While { head, cond, carried, body, trips: None });
        self.loops.pop();
        Operand::Unit
    }

    /// `loop { body }`, possibly with `break value`.
    pub fn loop_expr(&mut self, l: &syn::ExprLoop) -> Operand {
        let span = l.span();
        let scan = scan_exits(&l.body.stmts, l.label.as_ref().map(|x| x.name.ident.to_string()).as_deref());
        let with_value = scan.break_value;
        let diverges = !scan.breaks;
        self.enter_loop(l.label.as_ref(), &l.body.stmts, with_value, span);
        let value_slot = self.loops.last().and_then(|c| c.value.clone());
        let opened = self.open_carries(span);
        let (mut head, cond) = self.nested(|lw| match lw.loop_go(span) {
            Some(g) => Some(g),
            None => Some(lw.lit_bool(true, span)),
        });
        let Some(cond) = cond else { return Operand::Never };
        let (mut body, _) = self.nested(|lw| {
            lw.begin_iteration(span);
            lw.block_body(&l.body)
        });
        let carried = self.close_carries(opened, &mut body, Some(&mut head), span);
        self.push(Stmt::While { head, cond, carried, body, trips: None });
        self.loops.pop();
        if diverges {
            // `loop` without `break` never completes.
            return Operand::Never;
        }
        if with_value {
            if let Some(s) = value_slot {
                if let Some(v) = self.current(&s) {
                    return Operand::Val(v);
                }
            }
        }
        Operand::Unit
    }

    /// Prepares the early-return flag when the body has a `return` that is
    /// not its tail.
    pub fn prepare_return(&mut self, body: &syn::Block) {
        if has_inner_return(&body.stmts) {
            let flag = self.fresh_name("returned");
            let slot = self.fresh_name("return value");
            let f = self.lit_bool(false, Span::call_site());
            self.bind(flag.clone(), Binding::Val { v: f, mutable: true });
            let ret_ty = match self.sig.ret {
                crate::front::sig::Ret::Scalar => Ty::F,
                crate::front::sig::Ret::Unit => Ty::Unit,
                crate::front::sig::Ret::Val => Ty::Val,
            };
            if ret_ty == Ty::Unit {
                self.bind(slot.clone(), Binding::Uninit { mutable: true });
            } else {
                let d = self.dummy(if ret_ty == Ty::F && self.float.is_none() { Ty::Val } else { ret_ty }, Span::call_site());
                self.bind(slot.clone(), Binding::Val { v: d, mutable: true });
            }
            self.ret = Some((flag, slot));
        }
    }
}

/// The slice bounds of a place, in order.
pub fn place_values(p: &Place) -> Vec<V> {
    let mut out = Vec::new();
    for pr in &p.path {
        match pr {
            Proj::Index(i) | Proj::At(i) => out.push(*i),
            Proj::Slice(a, b) => {
                out.extend(a.iter().copied());
                out.extend(b.iter().copied());
            }
            Proj::Field(_) => {}
        }
    }
    out
}

pub fn set_place_value(p: &mut Place, k: usize, v: V) {
    let mut n = 0;
    for pr in &mut p.path {
        match pr {
            Proj::Index(i) | Proj::At(i) => {
                if n == k {
                    *i = v;
                    return;
                }
                n += 1;
            }
            Proj::Slice(a, b) => {
                for x in [a, b] {
                    if let Some(y) = x {
                        if n == k {
                            *y = v;
                            return;
                        }
                        n += 1;
                    }
                }
            }
            Proj::Field(_) => {}
        }
    }
}

/// Two places that differ only in their index values: the merged place
/// and the (slot, a, b) pairs that differ.
fn merge_places(a: &Place, b: &Place) -> Option<(Place, Vec<(usize, V, V)>)> {
    if a.var != b.var || a.path.len() != b.path.len() {
        return None;
    }
    for (x, y) in a.path.iter().zip(&b.path) {
        let same_shape = match (x, y) {
            (Proj::Index(_), Proj::Index(_)) => true,
            (Proj::Field(f), Proj::Field(g)) => f == g,
            (Proj::Slice(a1, b1), Proj::Slice(a2, b2)) => a1.is_some() == a2.is_some() && b1.is_some() == b2.is_some(),
            _ => false,
        };
        if !same_shape {
            return None;
        }
    }
    let (va, vb) = (place_values(a), place_values(b));
    let pairs = va.iter().zip(&vb).enumerate().filter(|(_, (x, y))| x != y).map(|(k, (x, y))| (k, *x, *y)).collect();
    Some((a.clone(), pairs))
}

/// What a loop body may do to leave.
#[derive(Default, Debug)]
pub struct ExitScan {
    pub breaks: bool,
    pub continues: bool,
    pub break_value: bool,
}

/// Scans a loop body for `break`/`continue` aimed at this loop (unlabeled
/// at depth 0, or with its label), and `return`.
pub fn scan_exits(stmts: &[SynStmt], label: Option<&str>) -> ExitScan {
    struct S<'a> {
        depth: usize,
        label: Option<&'a str>,
        out: ExitScan,
    }
    impl<'ast> syn::visit::Visit<'ast> for S<'_> {
        fn visit_expr_break(&mut self, b: &'ast syn::ExprBreak) {
            let mine = match &b.label {
                None => self.depth == 0,
                Some(l) => Some(l.ident.to_string().as_str()) == self.label,
            };
            if mine {
                self.out.breaks = true;
                if b.expr.is_some() {
                    self.out.break_value = true;
                }
            } else if b.label.is_some() {
                // A break to an outer loop also leaves this one.
                self.out.breaks = true;
            }
            syn::visit::visit_expr_break(self, b);
        }
        fn visit_expr_continue(&mut self, c: &'ast syn::ExprContinue) {
            let mine = match &c.label {
                None => self.depth == 0,
                Some(l) => Some(l.ident.to_string().as_str()) == self.label,
            };
            if mine {
                self.out.continues = true;
            } else if c.label.is_some() {
                self.out.breaks = true;
            }
        }
        fn visit_expr_return(&mut self, r: &'ast syn::ExprReturn) {
            self.out.breaks = true;
            syn::visit::visit_expr_return(self, r);
        }
        fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
            self.visit_expr(&f.expr);
            self.depth += 1;
            self.visit_block(&f.body);
            self.depth -= 1;
        }
        fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
            self.depth += 1;
            self.visit_expr(&w.cond);
            self.visit_block(&w.body);
            self.depth -= 1;
        }
        fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
            self.depth += 1;
            self.visit_block(&l.body);
            self.depth -= 1;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut s = S { depth: 0, label, out: ExitScan::default() };
    for st in stmts {
        syn::visit::Visit::visit_stmt(&mut s, st);
    }
    s.out
}

/// Whether a statement may leave its block through `return`, `break` or
/// `continue` (not counting loops inside it that catch their own).
pub fn may_exit_stmt(s: &SynStmt) -> bool {
    struct S {
        depth: usize,
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for S {
        fn visit_expr_break(&mut self, b: &'ast syn::ExprBreak) {
            if self.depth == 0 || b.label.is_some() {
                self.found = true;
            }
        }
        fn visit_expr_continue(&mut self, c: &'ast syn::ExprContinue) {
            if self.depth == 0 || c.label.is_some() {
                self.found = true;
            }
        }
        fn visit_expr_return(&mut self, _: &'ast syn::ExprReturn) {
            self.found = true;
        }
        fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
            self.visit_expr(&f.expr);
            self.depth += 1;
            self.visit_block(&f.body);
            self.depth -= 1;
        }
        fn visit_expr_while(&mut self, w: &'ast syn::ExprWhile) {
            self.depth += 1;
            self.visit_expr(&w.cond);
            self.visit_block(&w.body);
            self.depth -= 1;
        }
        fn visit_expr_loop(&mut self, l: &'ast syn::ExprLoop) {
            self.depth += 1;
            self.visit_block(&l.body);
            self.depth -= 1;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut v = S { depth: 0, found: false };
    syn::visit::Visit::visit_stmt(&mut v, s);
    v.found
}

/// Whether a loop condition contains blocks or assignments.
fn cond_has_statements(e: &Expr) -> bool {
    struct S(bool);
    impl<'ast> syn::visit::Visit<'ast> for S {
        fn visit_expr_block(&mut self, _: &'ast syn::ExprBlock) {
            self.0 = true;
        }
        fn visit_expr_assign(&mut self, _: &'ast syn::ExprAssign) {
            self.0 = true;
        }
        fn visit_expr_binary(&mut self, b: &'ast syn::ExprBinary) {
            use syn::BinOp::*;
            if matches!(b.op, AddAssign(_) | SubAssign(_) | MulAssign(_) | DivAssign(_) | RemAssign(_)) {
                self.0 = true;
            }
            syn::visit::visit_expr_binary(self, b);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut s = S(false);
    syn::visit::Visit::visit_expr(&mut s, e);
    s.0
}

/// Whether the body has a `return` other than a final `return x`.
fn has_inner_return(stmts: &[SynStmt]) -> bool {
    struct S {
        found: bool,
    }
    impl<'ast> syn::visit::Visit<'ast> for S {
        fn visit_expr_return(&mut self, _: &'ast syn::ExprReturn) {
            self.found = true;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
        fn visit_item(&mut self, _: &'ast syn::Item) {}
    }
    let mut s = S { found: false };
    let n = stmts.len();
    for (k, st) in stmts.iter().enumerate() {
        if k + 1 == n {
            if let SynStmt::Expr(Expr::Return(r), _) = st {
                if let Some(e) = &r.expr {
                    syn::visit::Visit::visit_expr(&mut s, e);
                }
                continue;
            }
        }
        syn::visit::Visit::visit_stmt(&mut s, st);
    }
    s.found
}

#[allow(dead_code)]
fn _unused(_: &dyn ToTokens) {}
