//! Calls: float methods (registry primitives), methods of slices and
//! `Vec`s, integer methods, local closures, and calls to other functions
//! (composition through their entry points).

use proc_macro2::Span;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::Expr;

use super::{Binding, ClosureDef, Lower, Operand};
use crate::ir::*;
use crate::rules;

/// Methods of iterators and slices that start or continue a chain.
pub const ITER_METHODS: &[&str] = &[
    "iter", "iter_mut", "into_iter", "map", "zip", "enumerate", "filter", "rev", "skip", "take", "step_by", "chunks", "chunks_exact", "chunks_mut", "chunks_exact_mut", "windows", "copied", "cloned",
    "sum", "product", "fold", "collect", "count", "for_each", "max", "min", "any", "all", "last", "reduce", "max_by", "min_by", "filter_map", "chain", "flat_map", "position", "find",
];

/// Integer and boolean methods: never differentiated, printed as written.
const INT_METHODS: &[&str] = &[
    "pow", "abs", "min", "max", "saturating_sub", "saturating_add", "wrapping_sub", "wrapping_add", "checked_sub", "checked_add", "rem_euclid", "div_euclid", "signum",
    "is_power_of_two", "next_power_of_two", "trailing_zeros", "leading_zeros", "count_ones", "clamp", "abs_diff", "isqrt", "ilog2", "div_ceil", "to_string", "is_positive", "is_negative",
];

/// Float methods that return a `bool` or an integer: no derivatives.
const FLOAT_QUERIES: &[(&str, Ty)] = &[
    ("is_nan", Ty::Bool),
    ("is_finite", Ty::Bool),
    ("is_infinite", Ty::Bool),
    ("is_normal", Ty::Bool),
    ("is_sign_negative", Ty::Bool),
    ("is_sign_positive", Ty::Bool),
    ("is_subnormal", Ty::Bool),
    ("to_bits", Ty::Int),
    ("total_cmp", Ty::Const),
    ("partial_cmp", Ty::Const),
    ("classify", Ty::Const),
];

impl Lower<'_> {
    pub fn method_call(&mut self, m: &syn::ExprMethodCall) -> Operand {
        let span = m.span();
        let name = m.method.to_string();

        // Iterator chains are lowered as a whole.
        if ITER_METHODS.contains(&name.as_str()) && self.is_chain(&Expr::MethodCall(m.clone())) {
            return self.chain_expr(&Expr::MethodCall(m.clone()));
        }

        // `T::from(x).unwrap()` and `x.first_chunk::<N>().unwrap()`.
        if name == "unwrap" || name == "expect" {
            if let Expr::Call(c) = &*m.receiver {
                if let Some(o) = self.float_from(c) {
                    return o;
                }
            }
            if let Expr::MethodCall(inner) = &*m.receiver {
                let iname = inner.method.to_string();
                if iname == "first_chunk" || iname == "first_chunk_mut" || iname == "last_chunk" || iname == "last_chunk_mut" {
                    return self.chunk_view(inner, span);
                }
                if iname == "pop" && inner.args.is_empty() {
                    return self.vec_pop(&inner.receiver, true, span);
                }
                if iname == "try_into" {
                    if let Expr::Reference(r) = super::place::strip(&inner.receiver) {
                        if r.mutability.is_some() {
                            return self.err(&inner.receiver, "a `&mut` sub-slice converted to `&mut [T; N]` is not supported in a #[differentiable] body; pass the sub-slice itself (`&mut x[a..b]`) to a parameter `&mut [T]`, or write into a local array and copy it back");
                        }
                    }
                    // `slice.try_into().unwrap()` to an array: a copy.
                    let o = self.expr(&inner.receiver);
                    return match o {
                        Operand::Place(p) | Operand::Ref(p, _) => Operand::Place(p),
                        o => o,
                    };
                }
            }
        }

        let recv = self.expr(&m.receiver);
        if matches!(recv, Operand::Never | Operand::Exit) {
            return recv;
        }

        match name.as_str() {
            // A struct's own `len` method (a struct literal, a struct
            // variable or parameter) is the user's; anything else is std's.
            "len" if m.args.is_empty() && (!self.struct_operand(&recv) || self.counts_elements(&recv)) => {
                if let Some(p) = self.operand_place(&recv) {
                    return Operand::Val(self.len_of(p, span));
                }
                let Some(v) = self.as_value(recv, span) else { return Operand::Never };
                let x = crate::naming::dep(0);
                return Operand::Val(self.def_rty(Op::Opaque { tokens: quote!(#x.len()), deps: vec![Dep::Val(v)], pure: true, span }, Ty::Int, Some(syn::parse_quote!(usize)), span));
            }
            "is_empty" if m.args.is_empty() => {
                if let Some(p) = self.operand_place(&recv) {
                    let n = self.len_of(p, span);
                    let z = self.lit_int(quote!(0), span);
                    return Operand::Val(self.def(Op::Bin(BinOp::Eq, n, z), Ty::Bool, span));
                }
            }
            "clone" | "to_owned" | "to_vec" if m.args.is_empty() => {
                return match recv {
                    Operand::Place(p) | Operand::Ref(p, _) => Operand::Place(p),
                    o => o,
                };
            }
            "as_slice" | "as_mut_slice" | "as_ref" | "as_mut" | "borrow" | "borrow_mut" if m.args.is_empty() => return recv,
            // `(chunks, rest) = x.as_chunks::<N>()`: `chunks` is the view
            // of the whole chunks, iterated `N` elements at a time.
            "as_chunks" | "as_chunks_mut" | "as_rchunks" | "as_rchunks_mut" if m.args.is_empty() => {
                let Some(tf) = &m.turbofish else {
                    return self.err(m, "write the chunk length explicitly: `x.as_chunks::<N>()`");
                };
                let Some(p) = self.array_place(&recv, &m.receiver, "as_chunks") else { return Operand::Never };
                let n = tf.args.to_token_stream();
                let nv = self.lit_int(quote!(#n), span);
                self.f.values[nv].rty = Some(syn::parse_quote!(usize));
                let len = self.len_of(p.clone(), span);
                let q = self.def_rty(Op::Bin(BinOp::Div, len, nv), Ty::Int, Some(syn::parse_quote!(usize)), span);
                let whole = self.def_rty(Op::Bin(BinOp::Mul, q, nv), Ty::Int, Some(syn::parse_quote!(usize)), span);
                let by = if name.ends_with("_mut") { By::Mut } else { By::Ref };
                let (chunks, rest) = if name.starts_with("as_r") {
                    let split = self.def_rty(Op::Bin(BinOp::Sub, len, whole), Ty::Int, Some(syn::parse_quote!(usize)), span);
                    let chunks = self.subview(&p, Some(split), Some(len));
                    (chunks, self.subview(&p, None, Some(split)))
                } else {
                    let chunks = self.subview(&p, None, Some(whole));
                    (chunks, self.subview(&p, Some(whole), Some(len)))
                };
                self.chunked.push((format!("{chunks:?}"), nv));
                let pair = vec![Operand::Ref(chunks, by), Operand::Ref(rest, by)];
                return if name.starts_with("as_r") { Operand::Tuple(pair.into_iter().rev().collect()) } else { Operand::Tuple(pair) };
            }
            "split_at" | "split_at_mut" if m.args.len() == 1 => {
                let Some(p) = self.array_place(&recv, &m.receiver, "split_at") else { return Operand::Never };
                let Some(k) = self.value(&m.args[0]) else { return Operand::Never };
                let by = if name == "split_at_mut" { By::Mut } else { By::Ref };
                let n = self.len_of(p.clone(), span);
                // Rust panics when k > len: so do we (the slice `[..k]` checks).
                let a = self.subview(&p, None, Some(k));
                let b = self.subview(&p, Some(k), Some(n));
                return Operand::Tuple(vec![Operand::Ref(a, by), Operand::Ref(b, by)]);
            }
            "swap" if m.args.len() == 2 => {
                let Some(p) = self.operand_place(&recv) else {
                    return self.err(&m.receiver, "`swap` is supported on arrays and slices");
                };
                let Some(i) = self.value(&m.args[0]) else { return Operand::Never };
                let Some(j) = self.value(&m.args[1]) else { return Operand::Never };
                let (pi, pj) = (p.with(Proj::Index(i)), p.with(Proj::Index(j)));
                let t = self.f.place_ty(&pi);
                let a = self.def(Op::Read(pi.clone()), t, span);
                let b = self.def(Op::Read(pj.clone()), t, span);
                self.store(pi, b, span);
                self.store(pj, a, span);
                return Operand::Unit;
            }
            "fill" if m.args.len() == 1 => {
                let Some(p) = self.operand_place(&recv) else {
                    return self.err(&m.receiver, "`fill` is supported on arrays and slices");
                };
                let Some(v) = self.value(&m.args[0]) else { return Operand::Never };
                return self.fill_loop(p, FillSrc::Val(v), span);
            }
            "copy_from_slice" | "clone_from_slice" if m.args.len() == 1 => {
                let Some(p) = self.operand_place(&recv) else {
                    return self.err(&m.receiver, "`copy_from_slice` is supported on arrays and slices");
                };
                let src = self.expr(&m.args[0]);
                let Some(sp) = self.operand_place(&src) else {
                    return self.err(&m.args[0], "`copy_from_slice` needs a slice or array argument");
                };
                let n1 = self.len_of(p.clone(), span);
                let n2 = self.len_of(sp.clone(), span);
                let same = self.def(Op::Bin(BinOp::Eq, n1, n2), Ty::Bool, span);
                let x = crate::naming::dep(0);
                self.push(Stmt::Effect { tokens: quote!(::core::assert!(#x, "source slice length does not match destination slice length");), deps: vec![Dep::Val(same)] });
                return self.fill_loop(p, FillSrc::Place(sp), span);
            }
            "pop" if m.args.is_empty() => {
                // `v.pop()` whose `Option` is used otherwise than by
                // `unwrap`/`expect` (or `while let Some(..)`).
                let _ = recv;
                return self.vec_pop(&m.receiver, false, span);
            }
            "push" if m.args.len() == 1 => {
                let Some(p) = self.operand_place(&recv) else {
                    return self.err(&m.receiver, "`push` is supported on a local `Vec`");
                };
                if !p.path.is_empty() {
                    return self.err(&m.receiver, "`push` is supported on a local `Vec` variable, not on a part of a value");
                }
                let Some(v) = self.value(&m.args[0]) else { return Operand::Never };
                // The element class is learned from the first push.
                let t = self.f.ty(v);
                let cs = self.constructor_shape(v);
                if let Shape::Array(e, _) = &mut self.f.vars[p.var].shape {
                    if matches!(**e, Shape::Val) {
                        if matches!(t, Ty::F | Ty::Int | Ty::Bool) {
                            **e = Shape::Scalar(t);
                        } else if let Some(cs) = cs {
                            // `v.push([a, b, c])`: a `Vec<[F; 3]>`.
                            **e = cs;
                        }
                    }
                }
                self.f.vars[p.var].written = true;
                self.push(Stmt::Push { var: p.var, val: v });
                return Operand::Unit;
            }
            "sin_cos" if m.args.is_empty() => {
                let Some(a) = self.as_value(recv, span) else { return Operand::Never };
                if self.f.ty(a) == Ty::Val && self.float.is_some() {
                    self.f.values[a].ty = Ty::F;
                }
                if self.f.ty(a) == Ty::F || self.f.ty(a) == Ty::Const {
                    let s = self.def(Op::Prim("sin", vec![a]), Ty::F, span);
                    let c = self.def(Op::Prim("cos", vec![a]), Ty::F, span);
                    return Operand::Tuple(vec![Operand::Val(s), Operand::Val(c)]);
                }
                let s = self.method_composed(&m.method, Operand::Val(a), &[], span, m);
                return s;
            }
            _ => {}
        }

        // Float methods.
        if let Some(rule) = rules::float_method(&name) {
            let recv_ty = match &recv {
                Operand::Val(v) => self.f.ty(*v),
                Operand::Place(p) | Operand::Ref(p, _) => self.f.place_ty(p),
                _ => Ty::Val,
            };
            // A float method on a value of unknown type: the value is a float
            // (the method names of std's floats).
            if m.args.len() + 1 == rule.arity + rule.ints && matches!(recv_ty, Ty::F | Ty::Const | Ty::Val) {
                let struct_recv = matches!(recv_ty, Ty::Val) && self.struct_operand(&recv);
                let Some(a) = self.as_value(recv, span) else { return Operand::Never };
                // Without a float type in the signature (`fn f(a: &mut V)`),
                // a float method on a field, a sum of fields, a call result,
                // .. is still std's: only a receiver that is visibly a value
                // of another type (a by-value parameter of a named type, a
                // struct literal, a struct variable) keeps the user's method.
                if self.f.ty(a) == Ty::Val && (self.float.is_some() || !(struct_recv || self.struct_value(a))) {
                    self.f.values[a].ty = Ty::F;
                }
                if self.f.ty(a) != Ty::Val {
                    return self.float_prim(rule, a, m.args.iter().collect(), span);
                }
                let args: Vec<&Expr> = m.args.iter().collect();
                return self.method_composed(&m.method, Operand::Val(a), &args, span, m);
            }
            if recv_ty == Ty::Int && INT_METHODS.contains(&name.as_str()) {
                return self.int_method(m, recv, span);
            }
        }
        if rules::FLOAT_WITHOUT_RULE.contains(&name.as_str()) {
            let recv_ty = match &recv {
                Operand::Val(v) => self.f.ty(*v),
                Operand::Place(p) | Operand::Ref(p, _) => self.f.place_ty(p),
                _ => Ty::Val,
            };
            if matches!(recv_ty, Ty::F | Ty::Const) {
                return self.err(&m.method, format!("the float method `{name}` has no derivative rule in leibniz; write it with operations that have one (DESIGN §3 lists them), or call a function of yours that carries a rule"));
            }
        }
        if let Some((_, ty)) = FLOAT_QUERIES.iter().find(|(n, _)| *n == name) {
            let Some(a) = self.as_value(recv, span) else { return Operand::Never };
            return self.opaque_method(m, vec![Dep::Val(a)], *ty, span);
        }
        let recv_ty = match &recv {
            Operand::Val(v) => self.f.ty(*v),
            Operand::Place(p) | Operand::Ref(p, _) => self.f.place_ty(p),
            _ => Ty::Val,
        };
        if matches!(recv_ty, Ty::Int | Ty::Bool) {
            return self.int_method(m, recv, span);
        }
        if recv_ty == Ty::Const && m.args.is_empty() {
            let deps = match &recv {
                Operand::Val(v) => vec![Dep::Val(*v)],
                Operand::Place(p) | Operand::Ref(p, _) => vec![Dep::Place(p.clone())],
                _ => Vec::new(),
            };
            return self.opaque_method(m, deps, Ty::Const, span);
        }
        let args: Vec<&Expr> = m.args.iter().collect();
        self.method_composed(&m.method, recv, &args, span, m)
    }

    /// Whether an operand is visibly a value of a type other than a float:
    /// a whole struct variable (no projection).
    /// A `Vec` or a container of nalgebra, glam or ndarray: its `len()` is
    /// its number of elements.
    fn counts_elements(&self, o: &Operand) -> bool {
        match o {
            Operand::Place(p) | Operand::Ref(p, _) => p.path.is_empty() && self.f.vars[p.var].rty.as_ref().is_some_and(crate::front::sig::counts_elements),
            Operand::Val(v) => self.f.values[*v].rty.as_ref().is_some_and(crate::front::sig::counts_elements),
            _ => false,
        }
    }

    fn struct_operand(&self, o: &Operand) -> bool {
        match o {
            Operand::Place(p) | Operand::Ref(p, _) => p.path.is_empty() && matches!(self.f.vars[p.var].shape, Shape::Val) && self.f.vars[p.var].rty.as_ref().is_none_or(|t| !self.float_type(t)),
            Operand::Val(v) => self.struct_value(*v),
            _ => false,
        }
    }

    /// Whether a value is visibly of a type other than a float: a by-value
    /// parameter (or an annotated local) of a named non-float type, a
    /// struct literal.
    fn struct_value(&self, v: V) -> bool {
        if let Some(t) = &self.f.values[v].rty {
            if let syn::Type::Path(_) = t {
                if !self.float_type(t) && self.class_of_type(t).is_none() {
                    return true;
                }
            }
        }
        matches!(self.def_of(v), Some(Op::Struct { .. }))
    }

    /// `f32`, `f64` or the function's float type.
    fn float_type(&self, t: &syn::Type) -> bool {
        match t {
            syn::Type::Path(p) => p.path.get_ident().is_some_and(|i| i == "f32" || i == "f64" || self.sig.is_float(i)),
            _ => false,
        }
    }

    /// A call of a method of the user's or of another crate's: composition.
    fn method_composed(&mut self, method: &syn::Ident, recv: Operand, args: &[&Expr], span: Span, m: &syn::ExprMethodCall) -> Operand {
        if let Some(t) = &m.turbofish {
            return self.err(t, "method calls with turbofish (`::<..>`) are not supported on differentiated values; annotate the result type instead");
        }
        let recv_arg = match recv {
            Operand::Place(p) | Operand::Ref(p, _) => Arg::Recv(p),
            Operand::Val(v) => Arg::Val(v),
            _ => return self.err(&m.receiver, "cannot call a method on this"),
        };
        let mut cargs = vec![recv_arg];
        for a in args {
            match self.call_arg(a) {
                Some(x) => cargs.push(x),
                None => return Operand::Never,
            }
        }
        let call = Call { callee: Callee::Method(method.clone()), entry: Entry::Primal, args: cargs, tape: false, span };
        Operand::Val(self.def_call(call, Ty::Val, span))
    }

    fn opaque_method(&mut self, m: &syn::ExprMethodCall, mut deps: Vec<Dep>, ty: Ty, span: Span) -> Operand {
        let x = crate::naming::dep(0);
        let method = &m.method;
        let mut args = Vec::new();
        for a in &m.args {
            let (t, d) = self.capture_expr(a);
            // Re-index the arg's deps after the receiver's.
            let t = shift_deps(t, deps.len());
            deps.extend(d);
            args.push(t);
        }
        let turbofish = m.turbofish.as_ref().map(|t| t.to_token_stream());
        let v = self.def(Op::Opaque { tokens: quote!(#x.#method #turbofish (#(#args),*)), deps, pure: true, span }, ty, span);
        Operand::Val(v)
    }

    /// An integer or boolean method: printed as written, never differentiated.
    fn int_method(&mut self, m: &syn::ExprMethodCall, recv: Operand, span: Span) -> Operand {
        let deps = match &recv {
            Operand::Val(v) => vec![Dep::Val(*v)],
            Operand::Place(p) | Operand::Ref(p, _) => vec![Dep::Place(p.clone())],
            _ => return Operand::Never,
        };
        let ty = match m.method.to_string().as_str() {
            "is_power_of_two" | "is_positive" | "is_negative" => Ty::Bool,
            "checked_sub" | "checked_add" | "to_string" => Ty::Const,
            _ => Ty::Int,
        };
        let o = self.opaque_method(m, deps, ty, span);
        if let (Operand::Val(v), Operand::Val(r)) = (&o, &recv) {
            self.f.values[*v].rty = self.f.values[*r].rty.clone();
        }
        o
    }

    /// Captures an expression as tokens with its variables as deps (for
    /// inactive expressions printed as written).
    pub fn capture_expr(&mut self, e: &Expr) -> (proc_macro2::TokenStream, Vec<Dep>) {
        self.capture_tokens(e.to_token_stream(), e.span())
    }

    /// `x.sin()`, `x.powi(n)`, `x.atan2(y)`, .. on a float.
    fn float_prim(&mut self, rule: &'static rules::Rule, a: V, rest: Vec<&Expr>, span: Span) -> Operand {
        let mut args = vec![a];
        for (k, e) in rest.iter().enumerate() {
            let Some(v) = self.value(e) else { return Operand::Never };
            if k + 1 < rule.arity && self.f.ty(v) == Ty::Val {
                // A value of unknown type as a float argument: it is the
                // float type (Rust's float methods take `Self`).
                self.f.values[v].ty = Ty::F;
            }
            args.push(v);
        }
        let ty = if rule.res == rules::Res::Int { Ty::Int } else { Ty::F };
        Operand::Val(self.def(Op::Prim(rule.name, args), ty, span))
    }

    /// `T::from(2.0).unwrap()`, `T::from(n).unwrap()`, `F::from(i)`.
    fn float_from(&mut self, c: &syn::ExprCall) -> Option<Operand> {
        let Expr::Path(p) = &*c.func else { return None };
        let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segs.len() != 2 || !(segs[1] == "from" || segs[1] == "from_f64" || segs[1] == "from_usize" || segs[1] == "from_i32") || c.args.len() != 1 {
            return None;
        }
        if !self.float_is_named(&segs[0]) && !self.sig.float_generics.iter().any(|g| *g == segs[0]) {
            return None;
        }
        let span = c.span();
        let arg = &c.args[0];
        let v = self.value(arg)?;
        let fty = self.float_ty().unwrap_or_else(|| syn::parse_quote!(f64));
        match self.f.ty(v) {
            Ty::F => Some(Operand::Val(v)),
            _ => Some(Operand::Val(self.def_rty(Op::Cast(v, fty.clone()), Ty::F, Some(fty), span))),
        }
    }

    /// `x.first_chunk::<N>().unwrap()` and friends: a view of `N` elements.
    fn chunk_view(&mut self, inner: &syn::ExprMethodCall, span: Span) -> Operand {
        let Some(tf) = &inner.turbofish else {
            return self.err(inner, "write the chunk length explicitly: `x.first_chunk::<N>().unwrap()`");
        };
        let n = tf.args.to_token_stream();
        let recv = self.expr(&inner.receiver);
        let Some(p) = self.operand_place(&recv) else {
            return self.err(&inner.receiver, "`first_chunk` is supported on arrays and slices");
        };
        let by = if inner.method.to_string().ends_with("_mut") { By::Mut } else { By::Ref };
        let nv = self.lit_int(quote!(#n), span);
        let view = if inner.method.to_string().starts_with("first") {
            self.subview(&p, None, Some(nv))
        } else {
            let len = self.len_of(p.clone(), span);
            let lo = self.def(Op::Bin(BinOp::Sub, len, nv), Ty::Int, span);
            self.subview(&p, Some(lo), None)
        };
        if by == By::Ref {
            // A `&[T; N]` (what a callee taking `&[T; N]` needs): a copy
            // in a local array, read-only like the chunk.
            return self.fixed_copy(view, n, span);
        }
        Operand::Ref(view, by)
    }

    /// The place of an array or slice receiver of `method`; an error at
    /// `e` otherwise (also when its type is an alias the macro cannot see
    /// through).
    fn array_place(&mut self, recv: &Operand, e: &Expr, method: &str) -> Option<Place> {
        let Some(p) = self.operand_place(recv) else {
            self.diag.spanned(e, format!("`{method}` is supported on arrays and slices"));
            return None;
        };
        if !matches!(self.place_shape(&p), Shape::Array(..)) {
            self.diag.spanned(e, "leibniz cannot see that this is an array or a slice (is its type an alias?); write the type out (`&[f64; N]`, `&mut [f64]`) in the signature or the `let`");
            return None;
        }
        Some(p)
    }

    /// `v.pop().unwrap()` (`value`) on a local `Vec`: the last element, or,
    /// as a statement, `v.pop();` (the `Option` used otherwise is an error).
    fn vec_pop(&mut self, recv: &Expr, value: bool, span: Span) -> Operand {
        let o = self.expr(recv);
        let Some(p) = self.operand_place(&o) else {
            return self.err(recv, "`pop` is supported on a local `Vec`");
        };
        if !p.path.is_empty() || !matches!(self.f.vars[p.var].shape, Shape::Array(_, ArrKind::Vec)) || !matches!(self.f.vars[p.var].kind, VarKind::Local) {
            return self.err(recv, "`pop` is supported on a local `Vec` variable (`let mut v = Vec::new();`, `x.to_vec()`), not on a parameter or a part of a value");
        }
        if !value {
            return self.err(recv, "use the popped value as `v.pop().unwrap()` (or `while let Some(x) = v.pop()`); other uses of the `Option` are not supported in a #[differentiable] body");
        }
        let t = self.f.vars[p.var].shape.elem(&[Proj::Index(0)]);
        let v = self.f.new_value(t, span);
        self.f.vars[p.var].written = true;
        self.push(Stmt::PopVec { var: p.var, out: Some(v) });
        Operand::Val(v)
    }

    /// A read-only view of `n` elements as `&[T; n]`: copied into a local
    /// `[T; n]` (derivatives flow through the copy), referenced.
    pub fn fixed_copy(&mut self, view: Place, n: proc_macro2::TokenStream, span: Span) -> Operand {
        let _ = span;
        let Shape::Array(elem, _) = self.place_shape(&view) else { return Operand::Ref(view, By::Ref) };
        let var = self.f.new_var(Shape::Array(elem, ArrKind::Fixed(n)), VarKind::Local, "chunk".into());
        self.push(Stmt::Decl { var, init: Init::CopyOf(view) });
        Operand::Ref(Place::root(var), By::Ref)
    }

    /// Stores into every element of a place from a value or another place.
    fn fill_loop(&mut self, dst: Place, src: FillSrc, span: Span) -> Operand {
        let n = self.len_of(dst.clone(), span);
        let zero = self.lit_int(quote!(0usize), span);
        let idx = self.f.new_value(Ty::Int, span);
        self.f.values[idx].rty = Some(syn::parse_quote!(usize));
        let (body, _) = self.nested(|l| {
            let v = match &src {
                FillSrc::Val(v) => *v,
                FillSrc::Place(sp) => {
                    let sp = sp.with(Proj::Index(idx));
                    let t = l.f.place_ty(&sp);
                    l.def(Op::Read(sp), t, span)
                }
            };
            l.store(dst.with(Proj::Index(idx)), v, span);
        });
        self.push(Stmt::For { idx, range: Range { lo: zero, hi: n, inclusive: false, rev: false }, carried: Vec::new(), body });
        Operand::Unit
    }

    /// `f(args)`.
    pub fn call_expr(&mut self, c: &syn::ExprCall) -> Operand {
        let span = c.span();
        let Expr::Path(p) = &*c.func else {
            if let Expr::Paren(inner) = &*c.func {
                if let Expr::Closure(cl) = &*inner.expr {
                    let o = self.expr(&Expr::Closure(cl.clone()));
                    if let Operand::Closure(def) = o {
                        return self.inline_closure(&def, &c.args.iter().collect::<Vec<_>>(), span);
                    }
                }
            }
            return self.err(&c.func, "only calls of named functions and local closures are supported in a #[differentiable] body");
        };
        // A local closure or a function parameter.
        if let Some(id) = p.path.get_ident() {
            match self.lookup(&id.to_string()).cloned() {
                Some(Binding::Closure(def)) => return self.inline_closure(&def, &c.args.iter().collect::<Vec<_>>(), span),
                Some(Binding::Func { param }) => return self.call_fn_param(param, c, span),
                Some(Binding::Val { .. }) | Some(Binding::Var { .. }) | Some(Binding::Ref { .. }) => {
                    return self.err(&c.func, "calling a value is not supported; call a function or a local closure");
                }
                _ => {}
            }
        }
        let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let last = segs.last().cloned().unwrap_or_default();
        // `f64::sin(x)`, `T::max(a, b)`, `Float::sqrt(x)`.
        if segs.len() >= 2 {
            let owner = &segs[segs.len() - 2];
            let float_owner = owner == "f64" || owner == "f32" || owner == "Float" || owner == "Real" || self.float_is_named(owner) || self.sig.float_generics.iter().any(|g| g == owner);
            if float_owner {
                if rules::FLOAT_WITHOUT_RULE.contains(&last.as_str()) {
                    let at: &dyn ToTokens = match p.path.segments.last() {
                        Some(seg) => &seg.ident,
                        None => &p.path,
                    };
                    return self.err(at, format!("the float method `{last}` has no derivative rule in leibniz; write it with operations that have one (DESIGN §3 lists them), or call a function of yours that carries a rule"));
                }
                if last == "sin_cos" && c.args.len() == 1 {
                    let Some(a) = self.value(&c.args[0]) else { return Operand::Never };
                    if self.f.ty(a) == Ty::Val {
                        self.f.values[a].ty = Ty::F;
                    }
                    let s = self.def(Op::Prim("sin", vec![a]), Ty::F, span);
                    let co = self.def(Op::Prim("cos", vec![a]), Ty::F, span);
                    return Operand::Tuple(vec![Operand::Val(s), Operand::Val(co)]);
                }
                if let Some(rule) = rules::float_method(&last) {
                    if c.args.len() == rule.arity + rule.ints {
                        let Some(a) = self.value(&c.args[0]) else { return Operand::Never };
                        if self.f.ty(a) == Ty::Val {
                            self.f.values[a].ty = Ty::F;
                        }
                        return self.float_prim(rule, a, c.args.iter().skip(1).collect(), span);
                    }
                }
                // Constants: `T::zero()`, `T::one()`, `T::epsilon()`, `f64::from(..)`.
                if c.args.is_empty() {
                    let cls = if owner == "f64" || owner == "f32" { if self.float_is_named(owner) { Ty::F } else { Ty::Val } } else { Ty::F };
                    let cls = if self.float.is_none() { Ty::Val } else { cls };
                    return Operand::Val(self.def(Op::Lit(Lit::Tokens(c.to_token_stream())), cls, span));
                }
                if last == "from" && c.args.len() == 1 {
                    let Some(v) = self.value(&c.args[0]) else { return Operand::Never };
                    let fty: syn::Type = syn::parse_str(owner).unwrap_or_else(|_| syn::parse_quote!(f64));
                    let cls = if self.float_is_named(owner) { Ty::F } else { Ty::Val };
                    if self.f.ty(v) == Ty::F {
                        return Operand::Val(v);
                    }
                    return Operand::Val(self.def_rty(Op::Cast(v, fty.clone()), cls, Some(fty), span));
                }
            }
            // `usize::max(a, b)`, `i32::pow(..)`, `std::cmp::max(..)`.
            let int_owner = ["usize", "isize", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "cmp"].contains(&owner.as_str());
            if int_owner {
                let (t, deps) = self.capture_expr(&Expr::Call(c.clone()));
                let v = self.def(Op::Opaque { tokens: t, deps, pure: true, span }, Ty::Int, span);
                return Operand::Val(v);
            }
        }
        // Tuple struct constructors: `Point(a, b)`.
        let is_ctor = last.chars().next().is_some_and(|ch| ch.is_uppercase());
        if is_ctor {
            let mut fields = Vec::new();
            for (k, a) in c.args.iter().enumerate() {
                let Some(v) = self.value(a) else { return Operand::Never };
                fields.push((syn::Member::Unnamed(syn::Index { index: k as u32, span }), v));
            }
            let v = self.def(Op::Struct { path: p.path.clone(), fields }, Ty::Val, span);
            return Operand::Val(v);
        }
        // `Vec::new()`, `Vec::with_capacity(n)`.
        if segs.len() >= 2 && segs[segs.len() - 2] == "Vec" && (last == "new" || last == "with_capacity") {
            let mut args = Vec::new();
            for a in &c.args {
                let Some(v) = self.value(a) else { return Operand::Never };
                args.push(Arg::Val(v));
            }
            let call = Call { callee: Callee::Path(p.path.clone()), entry: Entry::Primal, args, tape: false, span };
            return Operand::Val(self.def(Op::Call(call), Ty::Val, span));
        }
        // A function of the user's or another crate's.
        let mut args = Vec::new();
        for a in &c.args {
            match self.call_arg(a) {
                Some(x) => args.push(x),
                None => return Operand::Never,
            }
        }
        let call = Call { callee: Callee::Path(p.path.clone()), entry: Entry::Primal, args, tape: false, span };
        Operand::Val(self.def_call(call, Ty::Val, span))
    }

    /// An argument of a composed call.
    pub fn call_arg(&mut self, a: &Expr) -> Option<Arg> {
        let o = self.expr(a);
        // `&mut x` written out is a `&mut` argument; a `&mut` binding passed
        // bare is reborrowed as the callee takes it.
        let explicit = matches!(a, Expr::Reference(r) if r.mutability.is_some());
        match o {
            Operand::Ref(p, By::Mut) if !explicit && matches!(a, Expr::Path(_)) => Some(Arg::Reborrow(p)),
            Operand::Ref(p, By::Mut) => Some(Arg::Mut(p)),
            Operand::Ref(p, _) => Some(Arg::Ref(p)),
            Operand::Place(p) => {
                // A reference parameter passed on (`g(x)` with `x: &[F]`) or a
                // value read from a place.
                if p.path.is_empty() {
                    if let VarKind::Param { by, .. } = self.f.vars[p.var].kind {
                        match by {
                            By::Ref => return Some(Arg::Ref(p)),
                            By::Mut => return Some(Arg::Reborrow(p)),
                            By::Value => {}
                        }
                    }
                }
                let t = self.f.place_ty(&p);
                Some(Arg::Val(self.def(Op::Read(p), t, a.span())))
            }
            Operand::Val(v) => Some(Arg::Val(v)),
            Operand::Unit => Some(Arg::Val(self.def(Op::Lit(Lit::Unit), Ty::Unit, a.span()))),
            // A function passed by name: the entry points pass it with the
            // key of its derivatives (see `backend::rust`, `FN_PATH`).
            Operand::FnPath(p) => Some(Arg::Tokens(quote::quote!(__lz_fn_path #p), Vec::new())),
            Operand::Closure(_) => {
                self.diag.spanned(a, "passing a closure to a function is not supported in a #[differentiable] body; pass a #[differentiable] function, or call the closure here");
                None
            }
            Operand::Func(k) => {
                let id = &self.sig.params[k].ident;
                Some(Arg::Tokens(quote::quote!(__lz_fn_param #id), Vec::new()))
            }
            Operand::Tuple(parts) => {
                let mut vs = Vec::new();
                for p in parts {
                    vs.push(self.as_value(p, a.span())?);
                }
                Some(Arg::Val(self.def(Op::Tuple(vs), Ty::Val, a.span())))
            }
            Operand::Never | Operand::Exit => None,
        }
    }

    /// Calls a function parameter `f(args)`.
    fn call_fn_param(&mut self, param: usize, c: &syn::ExprCall, span: Span) -> Operand {
        let id = self.sig.params[param].ident.clone();
        let mut args = Vec::new();
        for a in &c.args {
            match self.call_arg(a) {
                Some(x) => args.push(x),
                None => return Operand::Never,
            }
        }
        let path: syn::Path = syn::parse_quote!(#id);
        let call = Call { callee: Callee::Param(path), entry: Entry::Primal, args, tape: false, span };
        Operand::Val(self.def_call(call, Ty::Val, span))
    }

    /// Inlines a local closure at a call: its parameters bound to the
    /// arguments, its body lowered in place.
    pub fn inline_closure(&mut self, def: &ClosureDef, args: &[&Expr], span: Span) -> Operand {
        let mut ops = Vec::new();
        for a in args {
            let o = self.expr(a);
            if matches!(o, Operand::Never | Operand::Exit) {
                return o;
            }
            ops.push(o);
        }
        self.inline_closure_ops(def, ops, span)
    }

    pub fn inline_closure_ops(&mut self, def: &ClosureDef, args: Vec<Operand>, span: Span) -> Operand {
        if def.params.len() != args.len() {
            self.diag.at(span, format!("this closure takes {} arguments but is called with {}", def.params.len(), args.len()));
            return Operand::Never;
        }
        // A `move` closure sees the bindings of its definition.
        let saved = def.captured.as_ref().map(|c| std::mem::replace(&mut self.scopes, c.clone()));
        self.scopes.push(Default::default());
        for (p, o) in def.params.iter().zip(args) {
            self.bind_pat(p, o, None, span);
        }
        // `return` inside a closure returns from the closure: not supported.
        let body = def.body.clone();
        if contains_return(&body) {
            self.scopes.pop();
            if let Some(s) = saved {
                self.scopes = s;
            }
            self.diag.at(def.span, "`return` inside a closure is not supported in a #[differentiable] body; write the closure as an expression");
            return Operand::Never;
        }
        let o = self.expr(&body);
        let o = match o {
            Operand::Place(p) => {
                let t = self.f.place_ty(&p);
                Operand::Val(self.def(Op::Read(p), t, span))
            }
            o => o,
        };
        self.scopes.pop();
        if let Some(s) = saved {
            // Writes to captured mutable variables of a `move` closure stay
            // inside it (Rust copies them), so the outer bindings return.
            self.scopes = s;
        }
        o
    }
}

enum FillSrc {
    Val(V),
    Place(Place),
}

fn contains_return(e: &Expr) -> bool {
    struct S(bool);
    impl<'ast> syn::visit::Visit<'ast> for S {
        fn visit_expr_return(&mut self, _: &'ast syn::ExprReturn) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut s = S(false);
    syn::visit::Visit::visit_expr(&mut s, e);
    s.0
}

/// Renumbers the dependency placeholders of captured tokens by `by`.
pub fn shift_deps(t: proc_macro2::TokenStream, by: usize) -> proc_macro2::TokenStream {
    use proc_macro2::TokenTree;
    t.into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(id) => match crate::naming::dep_index(&id) {
                Some(k) => {
                    let mut n = crate::naming::dep(k + by);
                    n.set_span(id.span());
                    TokenTree::Ident(n)
                }
                None => TokenTree::Ident(id),
            },
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), shift_deps(g.stream(), by));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            o => o,
        })
        .collect()
}
