//! Expressions: literals, paths, operators, assignment, casts, aggregates.

use proc_macro2::Span;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{BinOp as SBin, Expr, UnOp as SUn};

use super::{Binding, ClosureDef, Lower, Operand};
use crate::ir::*;

const INTS: &[&str] = &["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"];

impl Lower<'_> {
    pub fn value(&mut self, e: &Expr) -> Option<V> {
        let o = self.expr(e);
        self.as_value(o, e.span())
    }

    pub fn expr(&mut self, e: &Expr) -> Operand {
        crate::stack::guard(|| self.expr_inner(e))
    }

    fn expr_inner(&mut self, e: &Expr) -> Operand {
        let span = e.span();
        match e {
            Expr::Lit(l) => self.lit(&l.lit),
            Expr::Path(p) => self.path_expr(p),
            Expr::Paren(p) => self.expr(&p.expr),
            Expr::Group(g) => self.expr(&g.expr),
            Expr::Unary(u) => self.unary(u),
            Expr::Binary(b) => self.binary(b),
            Expr::Assign(a) => self.assign(&a.left, &a.right, span),
            Expr::Cast(c) => self.cast(c),
            Expr::Index(i) => self.index_expr(i),
            Expr::Field(f) => self.field_expr(f),
            Expr::MethodCall(m) => self.method_call(m),
            Expr::Call(c) => self.call_expr(c),
            Expr::If(i) => self.if_expr(i),
            Expr::Block(b) => {
                if let Some(l) = &b.label {
                    return self.err(l, "labeled blocks are not supported in a #[differentiable] body; use a `loop` with `break`");
                }
                self.block_expr(&b.block)
            }
            Expr::While(w) => self.while_loop(w),
            Expr::ForLoop(f) => self.for_loop(f),
            Expr::Loop(l) => self.loop_expr(l),
            Expr::Match(m) => self.match_expr(m),
            Expr::Break(b) => self.break_expr(b),
            Expr::Continue(c) => self.continue_expr(c),
            Expr::Return(r) => self.return_expr(r),
            Expr::Reference(r) => self.reference(r),
            Expr::Tuple(t) => {
                if t.elems.is_empty() {
                    return Operand::Unit;
                }
                let mut parts = Vec::new();
                for x in &t.elems {
                    let o = self.expr(x);
                    if matches!(o, Operand::Never | Operand::Exit) {
                        return o;
                    }
                    parts.push(match o {
                        Operand::Place(p) => {
                            let ty = self.f.place_ty(&p);
                            Operand::Val(self.def(Op::Read(p), ty, x.span()))
                        }
                        o => o,
                    });
                }
                Operand::Tuple(parts)
            }
            Expr::Array(a) => {
                let mut vs = Vec::new();
                for x in &a.elems {
                    let Some(v) = self.value(x) else { return Operand::Never };
                    vs.push(v);
                }
                Operand::Val(self.def(Op::Array(vs), Ty::Val, span))
            }
            Expr::Repeat(r) => {
                let Some(v) = self.value(&r.expr) else { return Operand::Never };
                let len = r.len.to_token_stream();
                Operand::Val(self.def(Op::Repeat { val: v, len: RepLen::Const(len), vec: false }, Ty::Val, span))
            }
            Expr::Struct(s) => self.struct_lit(s),
            Expr::Closure(c) => self.closure(c),
            Expr::Macro(m) => self.macro_call(&m.mac, span, true),
            Expr::Range(r) => self.err(r, "a range can only be used in a `for` loop, an iterator chain (`(a..b).map(..)`) or a slice index (`x[a..b]`)"),
            Expr::Let(l) => self.err(l, "`let` is only allowed in `if let` and `while let` conditions"),
            Expr::Try(t) => self.err(&t.question_token, "the `?` operator is not supported in a #[differentiable] body; match on the value instead"),
            Expr::Unsafe(u) => self.err(&u.unsafe_token, "`unsafe` blocks are not supported in a #[differentiable] body: unsafe code has no derivative rules; use safe indexing and slices"),
            Expr::Async(a) => self.err(&a.async_token, "`async` blocks cannot be differentiated"),
            Expr::Await(a) => self.err(&a.await_token, "`.await` cannot be differentiated"),
            Expr::Const(c) => self.err(&c.const_token, "inline `const` blocks are not supported; define a `const` item"),
            Expr::RawAddr(r) => self.err(r, "raw pointers are not supported in a #[differentiable] body: they have no derivative rules; use references and slices"),
            other => self.err(other, "this expression is not supported in a #[differentiable] body"),
        }
    }

    fn lit(&mut self, l: &syn::Lit) -> Operand {
        let span = l.span();
        match l {
            syn::Lit::Float(f) => {
                let suffix = f.suffix();
                let x: f64 = f.base10_parse().unwrap_or(f64::NAN);
                if !suffix.is_empty() {
                    let ty: syn::Type = syn::parse_str(suffix).unwrap_or_else(|_| syn::parse_quote!(f64));
                    let cls = if self.float_is_named(suffix) { Ty::F } else { Ty::Val };
                    let v = self.def_rty(Op::Lit(Lit::Tokens(l.to_token_stream())), cls, Some(ty), span);
                    if cls == Ty::F {
                        self.f.values[v].rty = None;
                        self.cur.pop();
                        self.cur.push(Stmt::Let { v, op: Op::Lit(Lit::Float(x)) });
                    }
                    return Operand::Val(v);
                }
                Operand::Val(self.lit_f(x, span))
            }
            syn::Lit::Int(i) => {
                let suffix = i.suffix();
                if suffix == "f64" || suffix == "f32" {
                    let x: f64 = i.base10_parse().unwrap_or(f64::NAN);
                    let cls = if self.float_is_named(suffix) { Ty::F } else { Ty::Val };
                    if cls == Ty::F {
                        return Operand::Val(self.def(Op::Lit(Lit::Float(x)), Ty::F, span));
                    }
                    return Operand::Val(self.def(Op::Lit(Lit::Tokens(l.to_token_stream())), Ty::Val, span));
                }
                let v = self.lit_int(l.to_token_stream(), span);
                if !suffix.is_empty() {
                    self.f.values[v].rty = syn::parse_str(suffix).ok();
                }
                Operand::Val(v)
            }
            syn::Lit::Bool(b) => Operand::Val(self.lit_bool(b.value, span)),
            other => Operand::Val(self.def(Op::Lit(Lit::Tokens(other.to_token_stream())), Ty::Const, span)),
        }
    }

    /// Whether `name` is the function's float type.
    pub fn float_is_named(&self, name: &str) -> bool {
        match &self.float {
            Some(syn::Type::Path(p)) => p.path.is_ident(name),
            _ => false,
        }
    }

    fn path_expr(&mut self, p: &syn::ExprPath) -> Operand {
        let span = p.span();
        if p.qself.is_none() {
            if let Some(id) = p.path.get_ident() {
                let name = id.to_string();
                match self.lookup(&name).cloned() {
                    Some(Binding::Val { v, .. }) => return Operand::Val(v),
                    Some(Binding::Var { var }) => return Operand::Place(Place::root(var)),
                    Some(Binding::Ref { place, by, .. }) => return Operand::Ref(place, by),
                    Some(Binding::Closure(c)) => return Operand::Closure(c),
                    Some(Binding::Func { param }) => return Operand::Func(param),
                    Some(Binding::Uninit { .. }) => {
                        return self.err(id, format!("`{name}` is used before it is assigned"));
                    }
                    Some(Binding::Poison) => return Operand::Never,
                    None => {}
                }
                if name == "self" {
                    return self.err(id, "internal: `self` is not bound");
                }
            }
        }
        // A constant or a function used as a value.
        let last = p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let is_const = last.chars().next().is_some_and(|c| c.is_uppercase()) || p.path.segments.len() > 1 && is_float_const(&last);
        if !is_const && p.qself.is_none() && last.chars().next().is_some_and(|c| c.is_lowercase() || c == '_') {
            return Operand::FnPath(p.path.clone());
        }
        let cls = self.const_class(&p.path);
        Operand::Val(self.def(Op::Lit(Lit::Tokens(p.to_token_stream())), cls, span))
    }

    /// The class of a constant path (`f64::consts::PI`, `T::EPSILON`, `N`).
    fn const_class(&self, path: &syn::Path) -> Ty {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segs.len() >= 2 {
            let first = &segs[0];
            let owner = if first == "std" || first == "core" { segs.get(1).cloned().unwrap_or_default() } else { first.clone() };
            if self.float_is_named(&owner) || self.sig.float_generics.iter().any(|g| *g == owner) {
                return Ty::F;
            }
            if INTS.contains(&owner.as_str()) {
                return Ty::Int;
            }
        }
        Ty::Const
    }

    fn unary(&mut self, u: &syn::ExprUnary) -> Operand {
        let span = u.span();
        match u.op {
            SUn::Deref(_) => {
                let o = self.expr(&u.expr);
                match o {
                    Operand::Ref(p, _) => Operand::Place(p),
                    Operand::Place(p) => Operand::Place(p),
                    Operand::Val(v) => Operand::Val(v),
                    o => o,
                }
            }
            SUn::Neg(_) => {
                let Some(a) = self.value(&u.expr) else { return Operand::Never };
                match self.f.ty(a) {
                    Ty::Val => Operand::Val(self.op_call("neg", vec![a], span)),
                    t => Operand::Val(self.def(Op::Un(UnOp::Neg, a), t, span)),
                }
            }
            SUn::Not(_) => {
                let Some(a) = self.value(&u.expr) else { return Operand::Never };
                let t = self.f.ty(a);
                Operand::Val(self.def(Op::Un(UnOp::Not, a), if t == Ty::Val { Ty::Bool } else { t }, span))
            }
            _ => self.err(u, "this unary operator is not supported"),
        }
    }

    fn binary(&mut self, b: &syn::ExprBinary) -> Operand {
        let span = b.span();
        let op = match b.op {
            SBin::Add(_) => BinOp::Add,
            SBin::Sub(_) => BinOp::Sub,
            SBin::Mul(_) => BinOp::Mul,
            SBin::Div(_) => BinOp::Div,
            SBin::Rem(_) => BinOp::Rem,
            SBin::BitAnd(_) => BinOp::BitAnd,
            SBin::BitOr(_) => BinOp::BitOr,
            SBin::BitXor(_) => BinOp::BitXor,
            SBin::Shl(_) => BinOp::Shl,
            SBin::Shr(_) => BinOp::Shr,
            SBin::Eq(_) => BinOp::Eq,
            SBin::Ne(_) => BinOp::Ne,
            SBin::Lt(_) => BinOp::Lt,
            SBin::Le(_) => BinOp::Le,
            SBin::Gt(_) => BinOp::Gt,
            SBin::Ge(_) => BinOp::Ge,
            SBin::And(_) | SBin::Or(_) => return self.short_circuit(b),
            SBin::AddAssign(_) => return self.compound(&b.left, &b.right, BinOp::Add, span),
            SBin::SubAssign(_) => return self.compound(&b.left, &b.right, BinOp::Sub, span),
            SBin::MulAssign(_) => return self.compound(&b.left, &b.right, BinOp::Mul, span),
            SBin::DivAssign(_) => return self.compound(&b.left, &b.right, BinOp::Div, span),
            SBin::RemAssign(_) => return self.compound(&b.left, &b.right, BinOp::Rem, span),
            SBin::BitAndAssign(_) => return self.compound(&b.left, &b.right, BinOp::BitAnd, span),
            SBin::BitOrAssign(_) => return self.compound(&b.left, &b.right, BinOp::BitOr, span),
            SBin::BitXorAssign(_) => return self.compound(&b.left, &b.right, BinOp::BitXor, span),
            SBin::ShlAssign(_) => return self.compound(&b.left, &b.right, BinOp::Shl, span),
            SBin::ShrAssign(_) => return self.compound(&b.left, &b.right, BinOp::Shr, span),
            _ => return self.err(&b.op, "this operator is not supported"),
        };
        let Some(l) = self.value(&b.left) else { return Operand::Never };
        let Some(r) = self.value(&b.right) else { return Operand::Never };
        Operand::Val(self.bin(op, l, r, span))
    }

    /// A binary operation on two values, dispatched by their classes.
    pub fn bin(&mut self, op: BinOp, l: V, r: V, span: Span) -> V {
        let (tl, tr) = (self.f.ty(l), self.f.ty(r));
        if op.is_cmp() {
            return self.def(Op::Bin(op, l, r), Ty::Bool, span);
        }
        // `x + g(..)`, `s -= p.m`, `x / g(..)`: a value of unknown type
        // added to a float, or dividing one, is a float (Rust adds and
        // divides floats by floats); products, and quotients of a value of
        // unknown type (`v / 2.0`), may be vector scalings and stay
        // dispatched.
        if op == BinOp::Div && self.float.is_some() && tl == Ty::F && tr == Ty::Val {
            self.f.values[r].ty = Ty::F;
            return self.bin(op, l, r, span);
        }
        if matches!(op, BinOp::Add | BinOp::Sub) && self.float.is_some() {
            if tl == Ty::F && tr == Ty::Val {
                self.f.values[r].ty = Ty::F;
                return self.bin(op, l, r, span);
            }
            if tr == Ty::F && tl == Ty::Val {
                self.f.values[l].ty = Ty::F;
                return self.bin(op, l, r, span);
            }
        }
        if tl == Ty::Val || tr == Ty::Val {
            let name = match op {
                BinOp::Add => "add",
                BinOp::Sub => "sub",
                BinOp::Mul => "mul",
                BinOp::Div => "div",
                BinOp::Rem => "rem",
                _ => {
                    // Bit operations never carry derivatives.
                    return self.def(Op::Bin(op, l, r), Ty::Const, span);
                }
            };
            return self.op_call(name, vec![l, r], span);
        }
        let ty = if tl == Ty::F || tr == Ty::F {
            Ty::F
        } else if tl == Ty::Bool && tr == Ty::Bool {
            Ty::Bool
        } else if tl == Ty::Int || tr == Ty::Int {
            Ty::Int
        } else {
            Ty::Const
        };
        let v = self.def(Op::Bin(op, l, r), ty, span);
        if ty == Ty::Int {
            let rty = self.f.values[l].rty.clone().or_else(|| self.f.values[r].rty.clone());
            if !matches!(op, BinOp::Shl | BinOp::Shr) || self.f.values[l].rty.is_some() {
                self.f.values[v].rty = rty;
            }
        }
        v
    }

    /// A trait-dispatched operation of the runtime on values of unknown type.
    pub fn op_call(&mut self, name: &'static str, args: Vec<V>, span: Span) -> V {
        let call = Call { callee: Callee::Op(name), entry: Entry::Primal, args: args.into_iter().map(Arg::Val).collect(), tape: false, span };
        self.def(Op::Call(call), Ty::Val, span)
    }

    fn short_circuit(&mut self, b: &syn::ExprBinary) -> Operand {
        let span = b.span();
        let Some(l) = self.cond_value(&b.left) else { return Operand::Never };
        let is_and = matches!(b.op, SBin::And(_));
        let right = (*b.right).clone();
        let r = if is_and {
            self.if_arms(l, |lw| { let o = lw.expr(&right); lw.arm_of(o, span) }, |lw| super::control::ArmEnd::Value(Some(lw.lit_bool(false, span))), span)
        } else {
            self.if_arms(l, |lw| super::control::ArmEnd::Value(Some(lw.lit_bool(true, span))), |lw| { let o = lw.expr(&right); lw.arm_of(o, span) }, span)
        };
        if let Operand::Val(v) = r {
            self.f.values[v].ty = Ty::Bool;
        }
        r
    }

    /// `lhs = rhs`: the right side first, then the place (Rust's order).
    pub fn assign(&mut self, lhs: &Expr, rhs: &Expr, span: Span) -> Operand {
        // `_ = e`
        if let Expr::Infer(_) = lhs {
            let _ = self.expr(rhs);
            return Operand::Unit;
        }
        // Destructuring assignment `(a, b) = (b, a)`.
        if let Expr::Tuple(t) = lhs {
            let o = self.expr(rhs);
            let parts = match o {
                Operand::Tuple(p) => p,
                Operand::Val(v) => (0..t.elems.len()).map(|k| Operand::Val(self.def(Op::Get(v, k), Ty::Val, span))).collect(),
                o => return o,
            };
            if parts.len() != t.elems.len() {
                return self.err(t, "the tuple on the left has a different number of parts than the value");
            }
            for (x, p) in t.elems.iter().zip(parts) {
                self.assign_operand(x, p, span);
            }
            return Operand::Unit;
        }
        let o = self.expr(rhs);
        if matches!(o, Operand::Never | Operand::Exit) {
            return o;
        }
        self.assign_operand(lhs, o, span);
        Operand::Unit
    }

    fn assign_operand(&mut self, lhs: &Expr, o: Operand, span: Span) {
        // A name: rebinding of a scalar, a reference, or a store.
        if let Some(name) = simple_name(lhs) {
            match self.lookup(&name).cloned() {
                Some(Binding::Val { mutable, .. }) | Some(Binding::Uninit { mutable }) => {
                    let was_uninit = matches!(self.lookup(&name), Some(Binding::Uninit { .. }));
                    if !mutable && !was_uninit {
                        self.diag.spanned(lhs, format!("cannot assign twice to the immutable variable `{name}`"));
                        return;
                    }
                    match o {
                        Operand::Ref(p, by) => {
                            let place = if mutable { self.normalize_view(p) } else { p };
                            self.rebind(&name, Binding::Ref { place, by, mutable });
                        }
                        o => {
                            let Some(v) = self.as_value(o, span) else { return };
                            // A deferred `let x;` is assigned once per path:
                            // track it like a mutable binding.
                            self.rebind(&name, Binding::Val { v, mutable: mutable || was_uninit });
                        }
                    }
                    return;
                }
                Some(Binding::Ref { mutable: true, by, .. }) => {
                    let p = match &o {
                        Operand::Ref(p, _) => Some(p.clone()),
                        // `v = y` of a reference parameter.
                        Operand::Place(p) if p.path.is_empty() && matches!(self.f.vars[p.var].kind, VarKind::Param { by: By::Ref | By::Mut, .. }) && matches!(self.place_shape(p), Shape::Array(_, ArrKind::Slice)) => Some(p.clone()),
                        _ => None,
                    };
                    if let Some(p) = p {
                        let place = self.normalize_view(p);
                        self.rebind(&name, Binding::Ref { place, by, mutable: true });
                        return;
                    }
                }
                _ => {}
            }
        }
        let Some(place) = self.place_of(lhs) else {
            self.diag.spanned(lhs, "cannot assign to this expression in a #[differentiable] body; assign to a variable, an element `a[i]`, a field `s.f` or `*r`");
            return;
        };
        let Some(v) = self.as_value(o, span) else { return };
        self.store(place, v, lhs.span());
    }

    pub fn store(&mut self, place: Place, v: V, span: Span) {
        let var = place.var;
        match self.f.vars[var].kind {
            VarKind::Param { by: By::Ref, .. } => {
                self.diag.at(span, "cannot write through a shared reference: make the parameter `&mut`");
                return;
            }
            _ => {}
        }
        self.f.vars[var].written = true;
        self.push(Stmt::Store { place, val: v, acc: false });
    }

    /// `lhs op= rhs`: the right side first, then the place, then the update.
    fn compound(&mut self, lhs: &Expr, rhs: &Expr, op: BinOp, span: Span) -> Operand {
        let Some(r) = self.value(rhs) else { return Operand::Never };
        if let Some(name) = simple_name(lhs) {
            if let Some(Binding::Val { v, mutable }) = self.lookup(&name).cloned() {
                if !mutable {
                    return self.err(lhs, format!("cannot assign twice to the immutable variable `{name}`"));
                }
                let n = self.bin(op, v, r, span);
                if self.f.ty(v) == Ty::F && self.f.ty(n) == Ty::F {
                    self.f.values[n].rty = self.f.values[v].rty.clone();
                }
                self.rebind(&name, Binding::Val { v: n, mutable: true });
                return Operand::Unit;
            }
        }
        let Some(place) = self.place_of(lhs) else {
            return self.err(lhs, "cannot assign to this expression in a #[differentiable] body; assign to a variable, an element `a[i]`, a field `s.f` or `*r`");
        };
        let ty = self.f.place_ty(&place);
        if op == BinOp::Add && ty == Ty::F && self.f.ty(r) == Ty::F {
            if let VarKind::Param { by: By::Ref, .. } = self.f.vars[place.var].kind {
                return self.err(lhs, "cannot write through a shared reference: make the parameter `&mut`");
            }
            self.f.vars[place.var].written = true;
            self.push(Stmt::Store { place, val: r, acc: true });
            return Operand::Unit;
        }
        let old = self.def(Op::Read(place.clone()), ty, span);
        let n = if ty == Ty::Val {
            let name = match op {
                BinOp::Add => "add_assign",
                BinOp::Sub => "sub_assign",
                BinOp::Mul => "mul_assign",
                BinOp::Div => "div_assign",
                _ => return self.err(lhs, "this compound assignment is not supported on a value of this type"),
            };
            self.op_call(name, vec![old, r], span)
        } else {
            self.bin(op, old, r, span)
        };
        self.store(place, n, lhs.span());
        Operand::Unit
    }

    fn cast(&mut self, c: &syn::ExprCast) -> Operand {
        let span = c.span();
        let Some(a) = self.value(&c.expr) else { return Operand::Never };
        let target = &*c.ty;
        let cls = match target {
            syn::Type::Path(p) if p.path.get_ident().is_some() => {
                let n = p.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
                if self.float_is_named(&n) || self.sig.float_generics.iter().any(|g| *g == n) {
                    Ty::F
                } else if INTS.contains(&n.as_str()) {
                    Ty::Int
                } else if n == "f32" || n == "f64" {
                    Ty::Val
                } else if n == "bool" {
                    Ty::Bool
                } else {
                    Ty::Const
                }
            }
            _ => Ty::Const,
        };
        // `x as f64` where the type of `x` is not known (a field, a call
        // result): an integer or a float. rustc picks the derivative (none
        // for an integer) through `__private::num_cast`'s entry points.
        let float_target = matches!(cls, Ty::F) || matches!(target, syn::Type::Path(p) if p.path.is_ident("f32") || p.path.is_ident("f64"));
        if self.f.ty(a) == Ty::Val && float_target {
            let callee = Callee::Path(syn::parse_quote!(::leibniz::__private::num_cast));
            let to = Arg::Tokens(quote::quote!(::core::marker::PhantomData::<#target>), Vec::new());
            let call = Call { callee, entry: Entry::Primal, args: vec![Arg::Val(a), to], tape: false, span };
            return Operand::Val(self.def_rty(Op::Call(call), cls, Some(target.clone()), span));
        }
        let v = self.def_rty(Op::Cast(a, target.clone()), cls, Some(target.clone()), span);
        Operand::Val(v)
    }

    fn reference(&mut self, r: &syn::ExprReference) -> Operand {
        let by = if r.mutability.is_some() { By::Mut } else { By::Ref };
        let o = self.expr(&r.expr);
        match o {
            Operand::Place(p) => Operand::Ref(p, by),
            Operand::Ref(p, b2) => Operand::Ref(p, if by == By::Mut { b2 } else { By::Ref }),
            Operand::Val(v) => {
                // `&value`: a temporary in storage.
                let ty = self.f.ty(v);
                let shape = if ty == Ty::Val { Shape::Val } else { Shape::Scalar(ty) };
                let var = self.f.new_var(shape, VarKind::Local, "tmp".into());
                self.f.vars[var].rty = self.f.values[v].rty.clone();
                self.push(Stmt::Decl { var, init: Init::Val(v) });
                // `&mut y` of a `let mut y` held as an SSA value: the call
                // that receives it writes the temporary, and `y` is read
                // back from it after the call.
                if by == By::Mut {
                    if let Some(name) = simple_name(&r.expr) {
                        if matches!(self.lookup(&name), Some(Binding::Val { mutable: true, .. })) {
                            self.f.vars[var].written = true;
                            self.writeback.push((name, var, r.clone()));
                        }
                    }
                }
                Operand::Ref(Place::root(var), by)
            }
            o => o,
        }
    }

    fn struct_lit(&mut self, s: &syn::ExprStruct) -> Operand {
        let span = s.span();
        if let Some(r) = &s.rest {
            return self.err(r, "struct update syntax `..base` is not supported in a #[differentiable] body; write every field");
        }
        if s.qself.is_some() {
            return self.err(s, "qualified struct paths are not supported");
        }
        let mut fields = Vec::new();
        for fv in &s.fields {
            if let Some(true) = self.cfg_skip(&fv.attrs) {
                continue;
            }
            let Some(v) = self.value(&fv.expr) else { return Operand::Never };
            fields.push((fv.member.clone(), v));
        }
        let v = self.def(Op::Struct { path: s.path.clone(), fields }, Ty::Val, span);
        // The path of a literal of a generic struct (`Vec3 { .. }`) is not a
        // complete type: only a path with its generic arguments is kept as
        // the value's Rust type (else witnesses rebuild the literal).
        let complete = s.path.segments.iter().any(|seg| !matches!(seg.arguments, syn::PathArguments::None));
        if complete {
            let ty: syn::Type = syn::Type::Path(syn::TypePath { qself: None, path: s.path.clone() });
            self.f.values[v].rty = Some(ty);
        }
        Operand::Val(v)
    }

    fn closure(&mut self, c: &syn::ExprClosure) -> Operand {
        if c.asyncness.is_some() {
            return self.err(c, "async closures cannot be differentiated");
        }
        let captured = c.capture.is_some().then(|| self.scopes.clone());
        let def = ClosureDef { params: c.inputs.iter().cloned().collect(), body: (*c.body).clone(), captured, span: c.span() };
        Operand::Closure(std::rc::Rc::new(def))
    }
}

/// `x` as a bare name.
pub fn simple_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(|i| i.to_string()),
        Expr::Paren(p) => simple_name(&p.expr),
        Expr::Group(g) => simple_name(&g.expr),
        _ => None,
    }
}

fn is_float_const(name: &str) -> bool {
    name.chars().all(|c| c.is_uppercase() || c == '_' || c.is_ascii_digit())
}

#[allow(dead_code)]
fn _q() {
    let _ = quote!();
}
