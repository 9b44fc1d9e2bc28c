//! Lowering: the body's syntax to the IR.
//!
//! Input: a parsed function body and its classified signature.
//! Output: a [`Func`] in which every construct of the accepted subset is
//! one of the core forms (SSA values, storage and places, `If`, `For`,
//! `While`, calls), or spanned errors for what is outside the subset.
//!
//! Desugarings done here (each in its module):
//! * `control`: `break`/`continue`/early `return` become flags and guarded
//!   statement groups, `loop` and `for`-with-`break` become `While`,
//!   `match` and `if let` become chains of `If`;
//! * `iter`: iterator chains and `for` over slices become index loops,
//!   closures passed to adapters are inlined;
//! * `place`: sub-slices and slice methods become places with `Slice`
//!   projections (views);
//! * `call`: float methods become registry primitives, calls to other
//!   functions become composition calls.
//!
//! Scalars follow SSA: assigning a `let mut` variable rebinds its name to a
//! new value; control flow merges the bindings through phis and carries.
//! Aggregates that are mutated live in storage.

mod call;
mod control;
mod expr;
mod infer;
pub mod iter;
mod pat;
mod place;
mod stmt;

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use syn::Expr;

use crate::diag::Diag;
use crate::front::sig::{Role, Sig};
use crate::ir::*;

/// What a name is bound to.
#[derive(Clone)]
pub enum Binding {
    /// An SSA value (scalars, immutable values).
    Val { v: V, mutable: bool },
    /// Storage (arrays, mutated structs, by-value parameters that are
    /// mutated, `&mut` parameters).
    Var { var: Var },
    /// A reference to a place: views (`let c = &x[3..6]`), element
    /// references of `for x in xs.iter_mut()`, `&mut` reborrows. `mutable`
    /// when the binding itself may be reassigned (`let mut input = &s[..b]`).
    Ref { place: Place, by: By, mutable: bool },
    /// A local closure, inlined where it is called.
    Closure(std::rc::Rc<ClosureDef>),
    /// A function parameter (`f: F` with `F: Fn(..)`).
    Func { param: usize },
    /// Declared with `let x;` and not yet assigned.
    Uninit { mutable: bool },
    /// Bound by a statement that had an error: its uses report nothing more.
    Poison,
}

pub struct ClosureDef {
    pub params: Vec<syn::Pat>,
    pub body: Expr,
    /// The bindings at the definition, for `move` closures.
    pub captured: Option<Vec<HashMap<String, Binding>>>,
    pub span: Span,
}

/// The lowered form of an expression.
#[derive(Clone)]
pub enum Operand {
    Val(V),
    /// A place: reading it gives its value, borrowing it gives a reference.
    Place(Place),
    /// `&place` or `&mut place`.
    Ref(Place, By),
    Unit,
    /// The expression diverges (`panic!`): nothing after it runs.
    Never,
    /// Control left through an exit flag (`return`, `break`, `continue`):
    /// the state counts, there is no value.
    Exit,
    /// A closure value (only as a call argument or `let` value).
    Closure(std::rc::Rc<ClosureDef>),
    /// A function parameter used as a value (passed on to a call).
    Func(usize),
    /// A path to a function used as a value (`rk4(rhs, ..)`).
    FnPath(syn::Path),
    /// A tuple whose parts are not all values (`x.split_at_mut(n)`).
    Tuple(Vec<Operand>),
}

/// What `break`/`continue` of a loop do.
pub struct LoopCtx {
    pub label: Option<String>,
    /// Name of the flag binding set by `break` (when the body breaks).
    pub broke: Option<String>,
    /// Name of the flag binding set by `continue`.
    pub continued: Option<String>,
    /// Name of the binding that receives `break value` of a `loop`.
    pub value: Option<String>,
}

pub struct Lower<'a> {
    pub f: Func,
    pub sig: &'a Sig,
    pub diag: &'a mut Diag,
    pub cur: Vec<Stmt>,
    pub scopes: Vec<HashMap<String, Binding>>,
    pub loops: Vec<LoopCtx>,
    /// Flag and value bindings of an early `return`.
    pub ret: Option<(String, String)>,
    /// `const` and `use` items of the body, re-emitted in every function.
    pub items: Vec<syn::Item>,
    /// Counter for internal binding names (flags): never valid Rust
    /// identifiers of the user's.
    pub fresh: usize,
    /// The float type, when known.
    pub float: Option<syn::Type>,
    /// `&mut name` of SSA locals taken for the call being lowered: the
    /// name, its temporary storage, and the reference's span. After the call
    /// the name is rebound to what the storage holds (`g(x, &mut y)` writes
    /// `y`); one left when the statement ends was not a call argument.
    pub writeback: Vec<(String, Var, syn::ExprReference)>,
    /// Views made by `as_chunks::<N>()` (their place, printed) with `N`:
    /// iterating one yields its `N`-element chunks.
    pub chunked: Vec<(String, V)>,
}

pub struct Lowered {
    pub func: Func,
    pub items: Vec<syn::Item>,
}

impl<'a> Lower<'a> {
    pub fn new(sig: &'a Sig, diag: &'a mut Diag) -> Self {
        Lower {
            f: Func { values: Vec::new(), vars: Vec::new(), params: Vec::new(), body: Block::default(), ret: None, ckpt: Vec::new() },
            sig,
            diag,
            cur: Vec::new(),
            scopes: vec![HashMap::new()],
            loops: Vec::new(),
            ret: None,
            items: Vec::new(),
            fresh: 0,
            float: sig.float.clone(),
            writeback: Vec::new(),
            chunked: Vec::new(),
        }
    }

    // ----- values and statements ---------------------------------------

    /// Defines a call and rebinds the SSA locals it received as `&mut` to
    /// what their storage holds after it.
    pub fn def_call(&mut self, call: Call, ty: Ty, span: Span) -> V {
        let v = self.def(Op::Call(call), ty, span);
        for (name, var, _) in std::mem::take(&mut self.writeback) {
            let t = self.f.place_ty(&Place::root(var));
            let now = self.def(Op::Read(Place::root(var)), t, span);
            self.f.values[now].rty = self.f.vars[var].rty.clone();
            self.rebind(&name, Binding::Val { v: now, mutable: true });
        }
        v
    }

    /// Ends a statement: a `&mut` of an SSA local that no call received is
    /// an error (writes through it would not reach the local).
    pub fn end_stmt(&mut self) {
        for (name, _, r) in std::mem::take(&mut self.writeback) {
            self.diag.spanned(&r, format!("leibniz: `&mut {name}` is supported as an argument of a call (`g(&mut {name})`); to write `{name}` through a reference kept in a variable, assign `{name}` directly instead"));
        }
    }

    pub fn def(&mut self, op: Op, ty: Ty, span: Span) -> V {
        let v = self.f.new_value(ty, span);
        self.cur.push(Stmt::Let { v, op });
        v
    }

    pub fn def_rty(&mut self, op: Op, ty: Ty, rty: Option<syn::Type>, span: Span) -> V {
        let v = self.def(op, ty, span);
        self.f.values[v].rty = rty;
        v
    }

    pub fn lit_f(&mut self, x: f64, span: Span) -> V {
        let ty = if self.float.is_some() { Ty::F } else { Ty::Val };
        self.def(Op::Lit(Lit::Float(x)), ty, span)
    }

    pub fn lit_int(&mut self, tokens: TokenStream, span: Span) -> V {
        self.def(Op::Lit(Lit::Int(tokens)), Ty::Int, span)
    }

    pub fn lit_bool(&mut self, b: bool, span: Span) -> V {
        self.def(Op::Lit(Lit::Bool(b)), Ty::Bool, span)
    }

    /// A placeholder of any type (`dummy()`), for slots that are only read
    /// on paths that assigned them (early returns, `break` values).
    pub fn dummy(&mut self, ty: Ty, span: Span) -> V {
        match ty {
            Ty::F => self.def(Op::Lit(Lit::Zero), Ty::F, span),
            Ty::Int => self.lit_int(quote::quote!(0), span),
            Ty::Bool => self.lit_bool(false, span),
            Ty::Unit => self.def(Op::Lit(Lit::Unit), Ty::Unit, span),
            _ => self.def(Op::Lit(Lit::Tokens(quote::quote!(::leibniz::__private::dummy()))), if ty == Ty::Const { Ty::Const } else { ty }, span),
        }
    }

    pub fn push(&mut self, s: Stmt) {
        self.cur.push(s);
    }

    /// Runs `f` with a fresh statement list and scope; returns the block.
    pub fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (Block, T) {
        let saved = std::mem::take(&mut self.cur);
        self.scopes.push(HashMap::new());
        let t = f(self);
        self.scopes.pop();
        let stmts = std::mem::replace(&mut self.cur, saved);
        (Block { stmts }, t)
    }

    pub fn fresh_name(&mut self, what: &str) -> String {
        self.fresh += 1;
        // A space makes it impossible to write in Rust source.
        format!("{what} {}", self.fresh)
    }

    // ----- bindings -------------------------------------------------------

    pub fn bind(&mut self, name: String, b: Binding) {
        if let Some(s) = self.scopes.last_mut() {
            s.insert(name, b);
        }
    }

    pub fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    /// Rebinds the innermost binding of `name` (assignment to a `let mut`).
    pub fn rebind(&mut self, name: &str, b: Binding) -> bool {
        for s in self.scopes.iter_mut().rev() {
            if let Some(old) = s.get_mut(name) {
                *old = b;
                return true;
            }
        }
        false
    }

    pub fn current(&self, name: &str) -> Option<V> {
        match self.lookup(name) {
            Some(Binding::Val { v, .. }) => Some(*v),
            _ => None,
        }
    }

    /// The mutable SSA bindings visible here (innermost of each name), with
    /// their values; view bindings contribute their slice bounds.
    pub fn mutable_state(&self) -> Vec<(String, StateSlot)> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for scope in self.scopes.iter().rev() {
            let mut names: Vec<&String> = scope.keys().collect();
            names.sort();
            for n in names {
                if seen.contains(&n.as_str()) {
                    continue;
                }
                seen.push(n);
                match &scope[n] {
                    Binding::Val { v, mutable: true } => out.push((n.clone(), StateSlot::Val(*v))),
                    Binding::Ref { place, mutable: true, .. } => out.push((n.clone(), StateSlot::Ref(place.clone()))),
                    Binding::Uninit { mutable } => out.push((n.clone(), StateSlot::Uninit(*mutable))),
                    _ => {}
                }
            }
        }
        out
    }

    pub fn float_ty(&self) -> Option<syn::Type> {
        self.float.clone()
    }

    pub fn err(&mut self, tokens: &dyn quote::ToTokens, msg: impl std::fmt::Display) -> Operand {
        self.diag.spanned(tokens, msg);
        Operand::Never
    }

    // ----- entry ------------------------------------------------------------

    pub fn lower_fn(mut self, body: &syn::Block) -> Option<Lowered> {
        let sig = self.sig;
        for (k, p) in sig.params.iter().enumerate() {
            let name = p.ident.to_string();
            let slot = match &p.role {
                Role::Scalar => {
                    let v = self.def_rty(Op::Param(k), Ty::F, Some(p.ty.clone()), p.span);
                    self.bind(name, Binding::Val { v, mutable: p.mutable });
                    ParamSlot::Val(v)
                }
                Role::Const { ty, by: By::Value, shape: None } => {
                    let v = self.def_rty(Op::Param(k), *ty, Some(p.ty.clone()), p.span);
                    self.bind(name, Binding::Val { v, mutable: p.mutable });
                    ParamSlot::Val(v)
                }
                Role::Func => {
                    self.bind(name, Binding::Func { param: k });
                    ParamSlot::None
                }
                Role::Val { by: By::Value } if !p.mutable => {
                    let v = self.def_rty(Op::Param(k), Ty::Val, Some(p.ty.clone()), p.span);
                    self.bind(name, Binding::Val { v, mutable: false });
                    ParamSlot::Val(v)
                }
                role => {
                    let by = role.by();
                    let shape = match role {
                        Role::ScalarRef(_) => Shape::Scalar(Ty::F),
                        Role::Array { shape, .. } => shape.clone(),
                        Role::Const { shape: Some(s), .. } => s.clone(),
                        Role::Const { ty, shape: None, .. } if matches!(ty, Ty::Int | Ty::Bool) => Shape::Scalar(*ty),
                        Role::Const { .. } => Shape::Scalar(Ty::Const),
                        _ => Shape::Val,
                    };
                    let var = self.f.new_var(shape, VarKind::Param { index: k, by }, name.clone());
                    self.f.vars[var].rty = Some(p.ty.clone());
                    self.f.vars[var].written = false;
                    self.bind(name, Binding::Var { var });
                    ParamSlot::Var(var)
                }
            };
            self.f.params.push(slot);
        }

        // A final `return x;` is the tail value.
        let mut body = body.clone();
        if let Some(syn::Stmt::Expr(Expr::Return(r), _)) = body.stmts.last().cloned() {
            let n = body.stmts.len();
            body.stmts[n - 1] = match r.expr {
                Some(e) => syn::Stmt::Expr(*e, None),
                None => syn::Stmt::Expr(syn::parse_quote!(()), None),
            };
        }
        let body = &body;
        self.prepare_return(body);
        let tail = self.block_body(body);
        let ret = self.finish_result(tail, body);
        let Lower { mut f, cur, items, .. } = self;
        f.body = Block { stmts: cur };
        f.ret = ret;
        infer::retype(&mut f);
        infer::infer_ints(&mut f);
        Some(Lowered { func: f, items })
    }

    /// The body's value, merged with early returns.
    fn finish_result(&mut self, tail: Operand, body: &syn::Block) -> Option<V> {
        let span = body.stmts.last().map(|s| syn::spanned::Spanned::span(s)).unwrap_or_else(|| body.brace_token.span.join());
        let unit = matches!(self.sig.ret, crate::front::sig::Ret::Unit);
        let tail_v = if unit {
            None
        } else {
            match tail {
                Operand::Never | Operand::Exit => None,
                Operand::Unit => {
                    if self.ret.is_none() && self.diag.is_empty() {
                        self.diag.at(span, "this function has a result, so its body must end in an expression (or `return x;`)");
                    }
                    None
                }
                o => self.as_value(o, span),
            }
        };
        if let Some((flag, val)) = self.ret.clone() {
            if unit {
                return None;
            }
            let flag_v = self.current(&flag)?;
            let ret_v = self.current(&val)?;
            let tail_v = match tail_v {
                Some(t) => t,
                None => return Some(ret_v),
            };
            // result = if returned { ret } else { tail }
            let ty = merge_ty(self.f.ty(ret_v), self.f.ty(tail_v));
            let out = self.f.new_value(ty, span);
            self.push(Stmt::If { cond: flag_v, then: Block::default(), els: Block::default(), phis: vec![Phi { out, then: ret_v, els: tail_v }] });
            return Some(out);
        }
        tail_v
    }

    /// Forces an operand to a value.
    pub fn as_value(&mut self, o: Operand, span: Span) -> Option<V> {
        match o {
            Operand::Val(v) => Some(v),
            Operand::Place(p) => {
                let ty = self.f.place_ty(&p);
                Some(self.def(Op::Read(p), ty, span))
            }
            Operand::Ref(p, _) => {
                // A reference used as a value: the value it points to.
                let ty = self.f.place_ty(&p);
                Some(self.def(Op::Read(p), ty, span))
            }
            Operand::Unit => Some(self.def(Op::Lit(Lit::Unit), Ty::Unit, span)),
            Operand::Never | Operand::Exit => None,
            Operand::Tuple(parts) => {
                let mut vs = Vec::new();
                for p in parts {
                    vs.push(self.as_value(p, span)?);
                }
                Some(self.def(Op::Tuple(vs), Ty::Val, span))
            }
            Operand::Closure(_) | Operand::Func(_) | Operand::FnPath(_) => {
                self.diag.at(span, "a closure or function cannot be used as a value here; call it, or pass it to a function");
                None
            }
        }
    }
}

/// The mutable state tracked across control flow.
#[derive(Clone)]
pub enum StateSlot {
    Val(V),
    Ref(Place),
    Uninit(bool),
}

pub fn merge_ty(a: Ty, b: Ty) -> Ty {
    if a == b {
        a
    } else if a == Ty::Unit || b == Ty::Unit {
        if a == Ty::Unit { b } else { a }
    } else if a.carries() || b.carries() {
        if a == Ty::F && b == Ty::F { Ty::F } else { Ty::Val }
    } else {
        a
    }
}
