//! Forward mode as an IR → IR pass.
//!
//! Input: a function and which of its parameters carry tangents.
//! Output: the same function (same value and storage numbers) with, after
//! every active operation, its tangent: for a primitive `y = p(a..)` the
//! partials from the rule registry (primal values) and the linear
//! combination `dy = Σ ∂p/∂aₖ · daₖ`. Tangent values are marked linear
//! (`lin`) so that the VJP pass can unzip and transpose the program; a call
//! is replaced by its callee's `jvp` entry, `fwd` and `bwd` entries by
//! `fwd_jvp` and `bwd_jvp`, and tape pushes and pops carry tangents too, so
//! the pass applies to the sweeps of reverse mode as well (second order).
//!
//! Partials that can be infinite where the primal is finite (1/b, 1/√a, ..)
//! scale tangents zero-safely (`0` when the tangent is `0`), so a value used
//! only on a branch not taken never poisons a derivative with `0 · ∞`.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use crate::analyse::activity::Activity;
use crate::diag::Diag;
use crate::ir::*;
use crate::rules::{self, Build, Partial};

/// Primitives whose partials are finite wherever they are: tangents are
/// scaled by them plainly.
const SMOOTH: &[&str] = &[
    "sin", "cos", "tanh", "dtanh", "atan", "abs", "signum", "floor", "ceil", "round", "trunc", "fract", "max", "min", "clamp", "mul_add", "to_degrees", "to_radians", "copysign", "sign0", "pick_max", "pick_min",
    "clamp_dx", "clamp_dlo", "clamp_dhi", "one_minus_sq", "datan", "dcopysign",
];

pub struct JvpOut {
    pub func: Func,
    pub tan: HashMap<V, V>,
    pub tvar: HashMap<Var, Var>,
    /// Per value of `func`: a tangent (linear) value.
    pub lin: Vec<bool>,
    /// Per storage variable of `func`: a tangent variable.
    pub lin_var: Vec<bool>,
    /// Values that hold the tuple `(y, dy)` of a `jvp` call.
    pub mixed: Vec<bool>,
    /// The tangent of the result.
    pub ret_tan: Option<V>,
    /// Index of the tangent slot of each parameter (in `func.params`).
    pub tan_param: Vec<Option<usize>>,
    /// The conditions of the masks of `#[no_grad]` fields (see
    /// [`Jvp::mask`]): linear `Opaque` values over containers whose only
    /// use is their type. Reverse mode recomputes them in the backward
    /// sweep from the adjoints of the containers (a `Dep::Val` of a linear
    /// value stands for its adjoint accumulator, of a primal value for the
    /// adjoint of its tangent; a `Dep::Place` on tangent storage for the
    /// adjoint storage of the same number). Empty for programs without
    /// masks (custom rules).
    pub masks: HashMap<V, MaskCond>,
    /// Linear values that are not the tangent of a primal value but have
    /// the type of one (both values of a mask): that primal value.
    pub like: HashMap<V, V>,
}

/// The condition of a mask: `tokens` over `deps` (as in the program).
#[derive(Clone)]
pub struct MaskCond {
    pub tokens: TokenStream,
    pub deps: Vec<Dep>,
}

pub struct Jvp<'a> {
    act: &'a Activity,
    f: Func,
    tan: HashMap<V, V>,
    tvar: HashMap<Var, Var>,
    lin: Vec<bool>,
    lin_var: Vec<bool>,
    mixed: Vec<bool>,
    cur: Vec<Stmt>,
    diag: &'a mut Diag,
    masks: HashMap<V, MaskCond>,
    like: HashMap<V, V>,
    /// The function names no float type (no float parameter or result).
    float_unknown: bool,
    /// A float operand of the primitive whose partials are being built.
    like_f: Option<V>,
}

impl Build for Jvp<'_> {
    fn lit(&mut self, x: f64) -> V {
        self.emit(Op::Lit(Lit::Float(x)), Ty::F, false)
    }
    fn bin(&mut self, op: BinOp, a: V, b: V) -> V {
        self.emit(Op::Bin(op, a, b), Ty::F, false)
    }
    fn neg(&mut self, a: V) -> V {
        self.emit(Op::Un(UnOp::Neg, a), Ty::F, false)
    }
    fn prim(&mut self, name: &'static str, args: &[V]) -> V {
        self.emit(Op::Prim(name, args.to_vec()), Ty::F, false)
    }
    fn int_dec(&mut self, n: V) -> V {
        let one = self.emit(Op::Lit(Lit::Int(quote::quote!(1))), Ty::Int, false);
        let v = self.emit(Op::Bin(BinOp::Sub, n, one), Ty::Int, false);
        self.f.values[v].rty = self.f.values[n].rty.clone();
        v
    }
    fn int_to_f(&mut self, n: V) -> V {
        // Without a named float type, the conversion takes its type from a
        // float operand of the primitive being differentiated.
        if let (true, Some(x)) = (self.float_unknown, self.like_f) {
            let (d0, d1) = (crate::naming::dep(0), crate::naming::dep(1));
            let span = self.f.values[x].span;
            return self.emit(Op::Opaque { tokens: quote!(::leibniz::__private::int_to_f_like(#d0, &#d1)), deps: vec![Dep::Val(n), Dep::Val(x)], pure: true, span }, Ty::F, false);
        }
        self.emit(Op::Prim("int_to_f", vec![n]), Ty::F, false)
    }
}

/// Whether a function names no float type: no parameter holds floats and
/// the result is not one (the printer cannot annotate its floats).
pub fn float_unknown(f: &Func) -> bool {
    let float_shape = |s: &Shape| -> bool {
        let mut s = s;
        while let Shape::Array(e, _) = s {
            s = e;
        }
        matches!(s, Shape::Scalar(Ty::F))
    };
    !f.params.iter().any(|p| match p {
        ParamSlot::Val(v) => f.values[*v].ty == Ty::F,
        ParamSlot::Var(x) => float_shape(&f.vars[*x].shape),
        ParamSlot::None => false,
    }) && !f.ret.is_some_and(|r| f.values[r].ty == Ty::F)
}

/// `seeds[k]`: parameter `k` gets a tangent slot.
pub fn jvp(src: &Func, act: &Activity, seeds: &[bool], diag: &mut Diag) -> JvpOut {
    let mut f = src.clone();
    f.body = Block::default();
    let nv = f.values.len();
    let nx = f.vars.len();
    let mut j = Jvp { act, f, tan: HashMap::new(), tvar: HashMap::new(), lin: vec![false; nv], lin_var: vec![false; nx], mixed: vec![false; nv], cur: Vec::new(), diag, masks: HashMap::new(), like: HashMap::new(), float_unknown: float_unknown(src), like_f: None };

    // Tangent slots of the parameters.
    let np = src.params.len();
    let mut tan_param = vec![None; np];
    for (k, p) in src.params.iter().enumerate() {
        if !seeds.get(k).copied().unwrap_or(false) {
            j.f.params.push(ParamSlot::None);
            continue;
        }
        let idx = np + k;
        tan_param[k] = Some(idx);
        match p {
            ParamSlot::Val(v) => {
                let ty = src.values[*v].ty;
                let dv = j.emit(Op::Param(idx), ty, true);
                j.f.values[dv].rty = src.values[*v].rty.clone();
                j.tan.insert(*v, dv);
                j.f.params.push(ParamSlot::Val(dv));
            }
            ParamSlot::Var(x) => {
                let info = src.vars[*x].clone();
                let by = match info.kind {
                    VarKind::Param { by, .. } => by,
                    _ => By::Ref,
                };
                let tx = j.f.new_var(info.shape.clone(), VarKind::Param { index: idx, by }, format!("d{}", info.name));
                j.f.vars[tx].rty = info.rty.clone();
                j.f.vars[tx].written = info.written;
                j.lin_var.push(true);
                j.tvar.insert(*x, tx);
                j.f.params.push(ParamSlot::Var(tx));
            }
            ParamSlot::None => j.f.params.push(ParamSlot::None),
        }
    }
    // Parameter values are defined by `Op::Param` statements of the body.
    let body = j.block(&src.body);
    let mut stmts = std::mem::take(&mut j.cur);
    stmts.extend(body.stmts);
    j.cur = stmts;
    let ret_tan = src.ret.map(|r| j.tan_or_zero(r));
    j.f.body = Block { stmts: std::mem::take(&mut j.cur) };
    JvpOut { func: j.f, tan: j.tan, tvar: j.tvar, lin: j.lin, lin_var: j.lin_var, mixed: j.mixed, ret_tan, tan_param, masks: j.masks, like: j.like }
}

impl Jvp<'_> {
    fn emit(&mut self, op: Op, ty: Ty, lin: bool) -> V {
        let v = self.f.new_value(ty, Span::call_site());
        self.lin.push(lin);
        self.mixed.push(false);
        self.cur.push(Stmt::Let { v, op });
        v
    }

    fn new_var_like(&mut self, x: Var) -> Var {
        let info = self.f.vars[x].clone();
        let tx = self.f.new_var(info.shape.clone(), VarKind::Derived, format!("d{}", info.name));
        self.f.vars[tx].rty = info.rty.clone();
        self.lin_var.push(true);
        tx
    }

    fn block(&mut self, b: &Block) -> Block {
        let saved = std::mem::take(&mut self.cur);
        for s in &b.stmts {
            crate::stack::guard(|| self.stmt(s));
        }
        Block { stmts: std::mem::replace(&mut self.cur, saved) }
    }

    fn active(&self, v: V) -> bool {
        self.act.active(v)
    }

    fn tan_of(&self, v: V) -> Option<V> {
        self.tan.get(&v).copied()
    }

    /// The tangent of `v`, a zero of its type when it has none.
    pub fn tan_or_zero(&mut self, v: V) -> V {
        if let Some(t) = self.tan_of(v) {
            return t;
        }
        self.zero_of(v)
    }

    fn zero_of(&mut self, v: V) -> V {
        match self.f.values[v].ty {
            Ty::F => self.emit(Op::Lit(Lit::Zero), Ty::F, true),
            Ty::Unit => self.emit(Op::Lit(Lit::Unit), Ty::Unit, true),
            // Tangents of integers and booleans are never read.
            Ty::Int | Ty::Bool => v,
            // A constant of unknown type may be a float: a real zero.
            Ty::Val | Ty::Const => {
                let z = self.emit(Op::ZeroLike(v), Ty::Val, true);
                self.f.values[z].rty = self.f.values[v].rty.clone();
                z
            }
        }
    }

    fn place_tan(&self, p: &Place) -> Option<Place> {
        self.tvar.get(&p.var).map(|t| p.on(*t))
    }

    fn place_mutable(&self, p: &Place) -> bool {
        !matches!(self.f.vars[p.var].kind, VarKind::Param { by: By::Ref, .. })
    }

    /// The containers of the fields a place goes through (`dq.pos.z`:
    /// `dq` for `pos`, `dq.pos` for `z`).
    fn field_containers(p: &Place) -> Vec<(Dep, syn::Member)> {
        p.path
            .iter()
            .enumerate()
            .filter_map(|(k, pr)| match pr {
                Proj::Field(m) => Some((Dep::Place(Place { var: p.var, path: p.path[..k].to_vec() }), m.clone())),
                _ => None,
            })
            .collect()
    }

    /// The tangent `raw` of a field (read from, or written to, a field of
    /// each of `conts`), masked: zero when one of the fields is
    /// `#[no_grad]`. The macro cannot see the fields of a struct, so the
    /// condition asks the struct's `Differentiable` impl (a constant that
    /// rustc folds); it only depends on the containers' types, so reverse
    /// mode recomputes it from the adjoints instead of taping it (see
    /// [`JvpOut::masks`]). `like`: a primal value of the field's type.
    fn mask(&mut self, raw: V, like: V, conts: Vec<(Dep, syn::Member)>) -> V {
        let mut tokens = TokenStream::new();
        let mut deps = Vec::new();
        for (k, (d, m)) in conts.into_iter().enumerate() {
            let dk = crate::naming::dep(k);
            let name = m.to_token_stream().to_string();
            if k > 0 {
                tokens.extend(quote!(||));
            }
            tokens.extend(quote!(::leibniz::__private::no_grad_field(&#dk, #name)));
            deps.push(d);
        }
        let span = self.f.values[like].span;
        let cond = self.emit(Op::Opaque { tokens: tokens.clone(), deps: deps.clone(), pure: true, span }, Ty::Bool, true);
        self.masks.insert(cond, MaskCond { tokens, deps });
        let ty = self.f.values[raw].ty;
        let rty = self.f.values[like].rty.clone();
        if self.f.values[raw].rty.is_none() && self.f.values[like].ty == ty {
            self.f.values[raw].rty = rty.clone();
        }
        let saved = std::mem::take(&mut self.cur);
        let z = match ty {
            Ty::F => self.emit(Op::Lit(Lit::Zero), Ty::F, true),
            _ => {
                let z = self.emit(Op::ZeroLike(raw), ty, true);
                self.f.values[z].rty = self.f.values[raw].rty.clone();
                z
            }
        };
        let then = Block { stmts: std::mem::replace(&mut self.cur, saved) };
        let out = self.f.new_value(ty, span);
        self.f.values[out].rty = self.f.values[raw].rty.clone();
        self.lin.push(true);
        self.mixed.push(false);
        self.like.insert(raw, like);
        self.like.insert(out, like);
        self.cur.push(Stmt::If { cond, then, els: Block::default(), phis: vec![Phi { out, then: z, els: raw }] });
        out
    }

    /// `Σ partialₖ · tₖ` over the terms with a tangent.
    fn combine(&mut self, terms: Vec<(Partial, Option<V>)>, smooth: bool) -> Option<V> {
        let mut acc: Option<V> = None;
        for (p, t) in terms {
            let Some(t) = t else { continue };
            let term = match p {
                Partial::Zero => continue,
                Partial::One => t,
                Partial::NegOne => self.emit(Op::Un(UnOp::Neg, t), Ty::F, true),
                Partial::Mul(c) => {
                    if smooth {
                        self.emit(Op::Bin(BinOp::Mul, c, t), Ty::F, true)
                    } else {
                        self.emit(Op::Prim("lmul0", vec![c, t]), Ty::F, true)
                    }
                }
                Partial::Div(c) => {
                    if smooth {
                        self.emit(Op::Bin(BinOp::Div, t, c), Ty::F, true)
                    } else {
                        self.emit(Op::Prim("ldiv0", vec![t, c]), Ty::F, true)
                    }
                }
            };
            acc = Some(match acc {
                None => term,
                Some(a) => self.emit(Op::Bin(BinOp::Add, a, term), Ty::F, true),
            });
        }
        acc
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Let { v, op } => self.let_(*v, op),
            Stmt::Store { place, val, acc } => {
                self.cur.push(s.clone());
                if let Some(tp) = self.place_tan(place) {
                    match (self.tan_of(*val), acc) {
                        (Some(t), _) => {
                            // A write to a field: masked like a read.
                            let conts = Self::field_containers(&tp);
                            let t = if conts.is_empty() { t } else { self.mask(t, *val, conts) };
                            self.cur.push(Stmt::Store { place: tp, val: t, acc: *acc })
                        }
                        (None, true) => {}
                        (None, false) => {
                            let z = self.zero_of(*val);
                            self.cur.push(Stmt::Store { place: tp, val: z, acc: false });
                        }
                    }
                }
            }
            Stmt::Decl { var, init } => {
                self.cur.push(s.clone());
                if self.act.var_varied[*var] && self.act.var_useful[*var] {
                    let tx = self.new_var_like(*var);
                    let tinit = match init {
                        Init::Val(v) => Init::Val(self.tan_or_zero(*v)),
                        Init::VecFill(x, n) => Init::VecFill(self.tan_or_zero(*x), *n),
                        Init::ArrFill(x, n) => Init::ArrFill(self.tan_or_zero(*x), n.clone()),
                        Init::VecEmpty(n) => Init::VecEmpty(*n),
                        Init::CopyOf(p) => match self.place_tan(p) {
                            Some(tp) => Init::CopyOf(tp),
                            None => Init::ZeroLike(*var),
                        },
                        Init::ZeroLike(x) => Init::ZeroLike(*x),
                        Init::Zero => Init::Zero,
                        Init::ZeroOfPlace(p) => Init::ZeroOfPlace(p.clone()),
                    };
                    self.cur.push(Stmt::Decl { var: tx, init: tinit });
                    self.tvar.insert(*var, tx);
                }
            }
            Stmt::Push { var, val } => {
                self.cur.push(s.clone());
                if let Some(tx) = self.tvar.get(var).copied() {
                    let t = self.tan_or_zero(*val);
                    self.cur.push(Stmt::Push { var: tx, val: t });
                }
            }
            Stmt::PopVec { var, out } => {
                self.cur.push(s.clone());
                if let Some(tx) = self.tvar.get(var).copied() {
                    let o = out.map(|v| {
                        let ty = self.f.values[v].ty;
                        let t = self.f.new_value(ty, Span::call_site());
                        self.lin.push(true);
                        self.mixed.push(false);
                        self.tan.insert(v, t);
                        t
                    });
                    self.cur.push(Stmt::PopVec { var: tx, out: o });
                }
            }
            Stmt::Effect { .. } => self.cur.push(s.clone()),
            Stmt::If { cond, then, els, phis } => {
                let mut tb = self.block(then);
                let mut eb = self.block(els);
                let mut nphis = phis.clone();
                for p in phis {
                    if !self.active(p.out) {
                        continue;
                    }
                    let tt = self.in_block(&mut tb, |j| j.tan_or_zero(p.then));
                    let te = self.in_block(&mut eb, |j| j.tan_or_zero(p.els));
                    let ty = self.f.values[p.out].ty;
                    let out = self.f.new_value(ty, Span::call_site());
                    self.lin.push(true);
                    self.mixed.push(false);
                    self.tan.insert(p.out, out);
                    nphis.push(Phi { out, then: tt, els: te });
                }
                self.cur.push(Stmt::If { cond: *cond, then: tb, els: eb, phis: nphis });
            }
            Stmt::For { idx, range, carried, body } => {
                let (mut nc, tans) = self.open_carries(carried);
                let mut b = self.block(body);
                self.close_carries(&mut nc, &tans, &mut b);
                self.cur.push(Stmt::For { idx: *idx, range: range.clone(), carried: nc, body: b });
            }
            Stmt::While { head, cond, carried, body, trips } => {
                let (mut nc, tans) = self.open_carries(carried);
                let h = self.block(head);
                let mut b = self.block(body);
                self.close_carries(&mut nc, &tans, &mut b);
                self.cur.push(Stmt::While { head: h, cond: *cond, carried: nc, body: b, trips: *trips });
            }
            // Tangents are pushed before the values, so that they pop after
            // them: a tangent whose type the macro cannot name takes it from
            // its value (`zero_like(&v)` as its witness).
            Stmt::TapePush { vals } => {
                let mut all = Vec::new();
                for v in vals {
                    if self.f.values[*v].ty.carries() {
                        let t = self.tan_or_zero(*v);
                        all.push(t);
                    }
                }
                all.extend(vals.iter().copied());
                self.cur.push(Stmt::TapePush { vals: all });
            }
            Stmt::TapePop { vals, wit } => {
                let mut all = Vec::new();
                let mut wits = Vec::new();
                for (k, v) in vals.iter().enumerate() {
                    if self.f.values[*v].ty.carries() {
                        let ty = self.f.values[*v].ty;
                        // A float popped through a witness (the float type
                        // is not named): its tangent too.
                        let witnessed = ty == Ty::Val || wit.get(k).is_some_and(|w| w.is_some());
                        let t = self.f.new_value(ty, Span::call_site());
                        self.f.values[t].rty = self.f.values[*v].rty.clone();
                        self.lin.push(true);
                        self.mixed.push(false);
                        self.tan.insert(*v, t);
                        all.push(t);
                        wits.push(if witnessed {
                            let w = self.f.new_value(ty, Span::call_site());
                            self.lin.push(true);
                            self.mixed.push(false);
                            Some(Wit { block: Block { stmts: vec![Stmt::Let { v: w, op: Op::ZeroLike(*v) }] }, val: w })
                        } else {
                            None
                        });
                    }
                }
                all.extend(vals.iter().copied());
                wits.extend(wit.iter().cloned());
                self.cur.push(Stmt::TapePop { vals: all, wit: wits });
            }
            // A snapshot of an array that carries derivatives is pushed with
            // its tangent (zeros when the array has none here: the
            // backward sweep, a separate program, cannot tell), the tangent
            // first so that it pops after the snapshot, like values.
            Stmt::TapePushPlace { place } => {
                if self.f.place_shape_of(place).carries() {
                    let tp = match self.place_tan(place) {
                        Some(tp) => tp,
                        None => {
                            let shape = match self.f.place_shape_of(place) {
                                Shape::Array(e, ArrKind::Slice) => Shape::Array(e, ArrKind::Vec),
                                s => s,
                            };
                            let z = self.f.new_var(shape, VarKind::Derived, format!("dz{}", self.f.vars[place.var].name));
                            self.lin_var.push(true);
                            self.cur.push(Stmt::Decl { var: z, init: Init::ZeroOfPlace(place.clone()) });
                            Place::root(z)
                        }
                    };
                    self.cur.push(Stmt::TapePushPlace { place: tp });
                }
                self.cur.push(s.clone());
            }
            Stmt::TapePopPlace { var, like, wit } => {
                self.cur.push(s.clone());
                if self.f.place_shape_of(like).carries() {
                    let tl = self.place_tan(like).unwrap_or_else(|| like.clone());
                    let tx = self.new_var_like(*var);
                    self.tvar.insert(*var, tx);
                    self.cur.push(Stmt::TapePopPlace { var: tx, like: tl, wit: wit.clone() });
                }
            }
            Stmt::AccPat { var, pat, val } => {
                self.cur.push(s.clone());
                if let (Some(tx), Some(t)) = (self.tvar.get(var).copied(), self.tan_of(*val)) {
                    self.cur.push(Stmt::AccPat { var: tx, pat: pat.clone(), val: t });
                }
            }
            // Made from the sweeps of reverse mode, after every JVP.
            Stmt::Ckpt(_) => self.cur.push(s.clone()),
        }
    }

    fn in_block<T>(&mut self, b: &mut Block, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.cur, std::mem::take(&mut b.stmts));
        let t = f(self);
        b.stmts = std::mem::replace(&mut self.cur, saved);
        t
    }

    /// Tangent carries for the active carries; their initial tangents are
    /// materialised before the loop.
    fn open_carries(&mut self, carried: &[Carry]) -> (Vec<Carry>, Vec<(usize, V, V)>) {
        let mut nc = carried.to_vec();
        let mut tans = Vec::new();
        for (k, c) in carried.iter().enumerate() {
            if !(self.act.active(c.phi) || self.act.active(c.out)) {
                continue;
            }
            let ti = self.tan_or_zero(c.init);
            let ty = self.f.values[c.phi].ty;
            let tp = self.f.new_value(ty, Span::call_site());
            let to = self.f.new_value(ty, Span::call_site());
            self.f.values[tp].rty = self.f.values[c.phi].rty.clone();
            self.f.values[to].rty = self.f.values[c.phi].rty.clone();
            self.lin.extend([true, true]);
            self.mixed.extend([false, false]);
            self.tan.insert(c.phi, tp);
            self.tan.insert(c.out, to);
            tans.push((k, ti, tp));
        }
        (std::mem::take(&mut nc), tans)
    }

    fn close_carries(&mut self, nc: &mut Vec<Carry>, tans: &[(usize, V, V)], body: &mut Block) {
        for (k, ti, tp) in tans {
            let c = nc[*k].clone();
            let tn = self.in_block(body, |j| j.tan_or_zero(c.next));
            let to = self.tan[&c.out];
            nc.push(Carry { init: *ti, phi: *tp, next: tn, out: to });
        }
    }

    fn let_(&mut self, v: V, op: &Op) {
        let active = self.active(v);
        // Calls change entry point when they are active.
        if let Op::Call(c) = op {
            if self.call_active(c) {
                self.call(v, c);
                return;
            }
        }
        self.cur.push(Stmt::Let { v, op: op.clone() });
        if !active {
            return;
        }
        let t = crate::stack::guard(|| self.tangent(v, op));
        if let Some(t) = t {
            if self.f.values[t].rty.is_none() && self.f.values[v].ty == self.f.values[t].ty {
                self.f.values[t].rty = self.f.values[v].rty.clone();
            }
            self.tan.insert(v, t);
        }
    }

    fn call_active(&self, c: &Call) -> bool {
        c.args.iter().any(|a| match a {
            Arg::Val(x) => self.tan.contains_key(x),
            Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => self.tvar.contains_key(&p.var),
            _ => false,
        })
    }

    /// The tangent of `v = op`.
    fn tangent(&mut self, v: V, op: &Op) -> Option<V> {
        let ty = self.f.values[v].ty;
        match op {
            Op::Lit(_) | Op::Param(_) | Op::Len(_) | Op::Opaque { .. } | Op::ZeroLike(_) => None,
            Op::Un(UnOp::Neg, a) => {
                let ta = self.tan_of(*a)?;
                Some(self.emit(Op::Un(UnOp::Neg, ta), ty, true))
            }
            Op::Un(UnOp::Not, _) => None,
            Op::Bin(b, x, y) => {
                if b.is_cmp() || ty != Ty::F {
                    return None;
                }
                let (tx, ty_) = (self.tan_of(*x), self.tan_of(*y));
                let terms = match b {
                    BinOp::Add => vec![(Partial::One, tx), (Partial::One, ty_)],
                    BinOp::Sub => vec![(Partial::One, tx), (Partial::NegOne, ty_)],
                    BinOp::Mul => vec![(Partial::Mul(*y), tx), (Partial::Mul(*x), ty_)],
                    BinOp::Div => {
                        // d(x/y) = dx/y - (v/y)·dy
                        let q = if ty_.is_some() {
                            let q = self.emit(Op::Bin(BinOp::Div, v, *y), Ty::F, false);
                            Some(self.emit(Op::Un(UnOp::Neg, q), Ty::F, false))
                        } else {
                            None
                        };
                        let mut t = vec![(Partial::Div(*y), tx)];
                        if let Some(q) = q {
                            t.push((Partial::Mul(q), ty_));
                        }
                        return self.combine(t, false);
                    }
                    BinOp::Rem => {
                        // `rem` is a primitive of the table with partials;
                        // without them the operation has no derivative.
                        let partials = rules::rule("rem").and_then(|r| r.partials)?;
                        let parts = partials(self, &[*x, *y], v);
                        vec![(parts[0], tx), (parts[1], ty_)]
                    }
                    _ => return None,
                };
                self.combine(terms, true)
            }
            Op::Prim(name, args) => {
                let Some(rule) = rules::rule(name) else {
                    self.diag.at(self.f.values[v].span, format!("internal: no primitive `{name}`"));
                    return None;
                };
                if rule.res == rules::Res::Int {
                    return None;
                }
                let float_args = &args[..rule.arity.min(args.len())];
                let tans: Vec<Option<V>> = float_args.iter().map(|a| self.tan_of(*a)).collect();
                if tans.iter().all(|t| t.is_none()) {
                    return None;
                }
                let Some(partials) = rule.partials else {
                    self.diag.at(self.f.values[v].span, format!("`{name}` has no derivative rule at this order; leibniz differentiates it once but not twice"));
                    return None;
                };
                // Linear primitives of transformed programs.
                if *name == "lmul0" || *name == "ldiv0" {
                    return self.linear_prim(name, args, &tans);
                }
                // A conversion between float types: its tangent converts too.
                if *name == "tan_cast" {
                    let t = tans[0]?;
                    return Some(self.emit(Op::Prim("tan_cast", vec![t]), ty, true));
                }
                self.like_f = args.iter().copied().find(|a| self.f.values[*a].ty == Ty::F);
                let parts = partials(self, args, v);
                self.like_f = None;
                let smooth = SMOOTH.contains(name);
                let terms = parts.into_iter().zip(tans).collect();
                self.combine(terms, smooth)
            }
            Op::Cast(a, t) => {
                let ta = self.tan_of(*a)?;
                match ty {
                    Ty::F => {
                        if self.f.values[*a].ty == Ty::F {
                            Some(ta)
                        } else {
                            Some(self.emit(Op::Prim("tan_cast", vec![ta]), Ty::F, true)).inspect(|_| {
                                let _ = t;
                            })
                        }
                    }
                    Ty::Val => {
                        let x = self.emit(Op::Cast(ta, t.clone()), Ty::Val, true);
                        Some(x)
                    }
                    _ => None,
                }
            }
            Op::Read(p) => {
                let tp = self.place_tan(p)?;
                let conts = Self::field_containers(&tp);
                let raw = self.emit(Op::Read(tp), ty, true);
                if conts.is_empty() { Some(raw) } else { Some(self.mask(raw, v, conts)) }
            }
            Op::Get(a, k) => {
                let ta = self.tan_of(*a)?;
                Some(self.emit(Op::Get(ta, *k), ty, true))
            }
            Op::Field(a, m) => {
                let ta = self.tan_of(*a)?;
                let raw = self.emit(Op::Field(ta, m.clone()), ty, true);
                Some(self.mask(raw, v, vec![(Dep::Val(ta), m.clone())]))
            }
            Op::Index(a, i) => {
                let ta = self.tan_of(*a)?;
                Some(self.emit(Op::Index(ta, *i), ty, true))
            }
            Op::Extract { val, pat } => {
                let ta = self.tan_of(*val)?;
                Some(self.emit(Op::Extract { val: ta, pat: pat.clone() }, ty, true))
            }
            Op::Copy(a) => {
                let ta = self.tan_of(*a)?;
                Some(self.emit(Op::Copy(ta), ty, true))
            }
            Op::Tuple(xs) => {
                let ts: Vec<V> = xs.iter().map(|x| self.tan_or_zero(*x)).collect();
                Some(self.emit(Op::Tuple(ts), ty, true))
            }
            Op::Array(xs) => {
                let ts: Vec<V> = xs.iter().map(|x| self.tan_or_zero(*x)).collect();
                Some(self.emit(Op::Array(ts), ty, true))
            }
            Op::VecLit(xs) => {
                let ts: Vec<V> = xs.iter().map(|x| self.tan_or_zero(*x)).collect();
                Some(self.emit(Op::VecLit(ts), ty, true))
            }
            Op::Struct { path, fields } => {
                // The tangents of `#[no_grad]` fields are masked (the
                // condition from the primal struct here, from the adjoint
                // of the tangent struct in reverse mode).
                let mut fs: Vec<(syn::Member, V)> = Vec::new();
                for (m, x) in fields {
                    let t = match self.tan_of(*x) {
                        Some(tx) => self.mask(tx, *x, vec![(Dep::Val(v), m.clone())]),
                        None => self.tan_or_zero(*x),
                    };
                    fs.push((m.clone(), t));
                }
                let t = self.emit(Op::Struct { path: path.clone(), fields: fs }, ty, true);
                self.f.values[t].rty = self.f.values[v].rty.clone();
                Some(t)
            }
            Op::Repeat { val, len, vec } => {
                let tv = self.tan_or_zero(*val);
                Some(self.emit(Op::Repeat { val: tv, len: len.clone(), vec: *vec }, ty, true))
            }
            Op::Call(_) => None,
        }
    }

    /// The tangent of a linear primitive `lmul0(c, t)` / `ldiv0(t, c)` of a
    /// transformed program (product rule, zero-safe).
    fn linear_prim(&mut self, name: &str, args: &[V], tans: &[Option<V>]) -> Option<V> {
        let (c, t) = if name == "lmul0" { (args[0], args[1]) } else { (args[1], args[0]) };
        let (tc, tt) = if name == "lmul0" { (tans[0], tans[1]) } else { (tans[1], tans[0]) };
        let mut acc: Option<V> = None;
        if let Some(tt) = tt {
            let x = if name == "lmul0" { self.emit(Op::Prim("lmul0", vec![c, tt]), Ty::F, true) } else { self.emit(Op::Prim("ldiv0", vec![tt, c]), Ty::F, true) };
            acc = Some(x);
        }
        if let Some(tc) = tc {
            // d(c·t) = dc·t ; d(t/c) = -(t/c)·dc/c
            let x = if name == "lmul0" {
                self.emit(Op::Prim("lmul0", vec![t, tc]), Ty::F, true)
            } else {
                let q = self.emit(Op::Prim("ldiv0", vec![t, c]), Ty::F, true);
                let q2 = self.emit(Op::Prim("ldiv0", vec![q, c]), Ty::F, true);
                let nq = self.emit(Op::Un(UnOp::Neg, q2), Ty::F, true);
                self.emit(Op::Prim("lmul0", vec![tc, nq]), Ty::F, true)
            };
            acc = Some(match acc {
                None => x,
                Some(a) => self.emit(Op::Bin(BinOp::Add, a, x), Ty::F, true),
            });
        }
        acc
    }

    /// An active call: the callee's tangent entry, which returns `(y, dy)`.
    fn call(&mut self, v: V, c: &Call) {
        let entry = match c.entry {
            Entry::Primal => Entry::Jvp,
            Entry::Fwd => Entry::FwdJvp,
            Entry::Bwd => Entry::BwdJvp,
            e => {
                self.diag.at(c.span, format!("internal: a `{e:?}` call cannot be differentiated again"));
                Entry::Jvp
            }
        };
        let mut args = Vec::new();
        for a in &c.args {
            args.push(a.clone());
            match a {
                Arg::Val(x) => args.push(match self.tan_of(*x) {
                    Some(t) => Arg::Val(t),
                    None => Arg::Zero,
                }),
                Arg::Ref(p) => args.push(match self.place_tan(p) {
                    Some(tp) => Arg::Ref(tp),
                    None => Arg::Zero,
                }),
                Arg::Mut(p) | Arg::Reborrow(p) => args.push(match self.place_tan(p) {
                    Some(tp) => Arg::Mut(tp),
                    None => Arg::Zero,
                }),
                Arg::Recv(p) => args.push(match self.place_tan(p) {
                    Some(tp) => {
                        if self.place_mutable(p) {
                            Arg::Mut(tp)
                        } else {
                            Arg::Ref(tp)
                        }
                    }
                    None => Arg::Zero,
                }),
                Arg::Zero => args.push(Arg::Zero),
                Arg::Tokens(..) => {}
            }
        }
        let call = Call { callee: c.callee.clone(), entry, args, tape: c.tape, span: c.span };
        let pair = self.emit(Op::Call(call), Ty::Val, false);
        self.mixed[pair] = true;
        self.cur.push(Stmt::Let { v, op: Op::Get(pair, 0) });
        let ty = self.f.values[v].ty;
        let t = self.emit(Op::Get(pair, 1), ty, true);
        self.f.values[t].rty = self.f.values[v].rty.clone();
        self.tan.insert(v, t);
    }
}
