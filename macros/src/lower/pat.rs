//! Patterns: bindings of `let`, closure parameters, `match` arms and
//! `if let`, and the tests of refutable patterns.

use proc_macro2::Span;
use quote::{ToTokens, quote};
use syn::Pat;
use syn::spanned::Spanned;

use super::{Binding, Lower, Operand};
use crate::ir::*;

impl Lower<'_> {
    /// Binds an irrefutable pattern to an operand.
    pub fn bind_pat(&mut self, pat: &Pat, o: Operand, ty: Option<&syn::Type>, span: Span) {
        match pat {
            Pat::Ident(pi) => {
                if let Some((_, sub)) = &pi.subpat {
                    self.diag.spanned(sub, "`name @ pattern` bindings are not supported in a #[differentiable] body");
                    return;
                }
                let name = pi.ident.to_string();
                let mutable = pi.mutability.is_some();
                if pi.by_ref.is_some() {
                    // `ref x` / `ref mut x`: a reference to the place.
                    let by = if pi.mutability.is_some() { By::Mut } else { By::Ref };
                    match o {
                        Operand::Place(p) | Operand::Ref(p, _) => self.bind(name, Binding::Ref { place: p, by, mutable: false }),
                        Operand::Val(v) => self.bind(name, Binding::Val { v, mutable: false }),
                        _ => self.diag.spanned(pi, "cannot bind this by reference"),
                    }
                    return;
                }
                self.bind_name(name, mutable, o, ty, span);
            }
            Pat::Type(pt) => self.bind_pat(&pt.pat, o, Some(&pt.ty), span),
            Pat::Wild(_) => {}
            Pat::Paren(p) => self.bind_pat(&p.pat, o, ty, span),
            Pat::Reference(r) => {
                // `&x` of a reference: the value it points to.
                let o = match o {
                    Operand::Ref(p, _) => Operand::Place(p),
                    o => o,
                };
                self.bind_pat(&r.pat, o, None, span);
            }
            Pat::Tuple(t) => {
                let n = t.elems.len();
                let parts = self.tuple_parts(o, n, span);
                let Some(parts) = parts else {
                    self.diag.spanned(t, "this tuple pattern does not match the value");
                    return;
                };
                let tys: Vec<Option<syn::Type>> = match ty {
                    Some(syn::Type::Tuple(tt)) => tt.elems.iter().map(|e| Some(e.clone())).collect(),
                    _ => vec![None; n],
                };
                for (k, (p, part)) in t.elems.iter().zip(parts).enumerate() {
                    self.bind_pat(p, part, tys.get(k).and_then(|t| t.as_ref()), span);
                }
            }
            Pat::Slice(s) => {
                // `[a, b, c]` of an array value or place.
                for (k, p) in s.elems.iter().enumerate() {
                    if let Pat::Rest(_) = p {
                        self.diag.spanned(p, "`..` in slice patterns is not supported; bind each element");
                        return;
                    }
                    let idx = self.lit_int(quote!(#k), span);
                    let part = match &o {
                        Operand::Place(pl) | Operand::Ref(pl, _) => {
                            let by = if let Operand::Ref(_, b) = &o { Some(*b) } else { None };
                            let pl = pl.with(Proj::Index(idx));
                            match by {
                                Some(b) => Operand::Ref(pl, b),
                                None => Operand::Place(pl),
                            }
                        }
                        Operand::Val(v) => Operand::Val(self.def(Op::Index(*v, idx), Ty::Val, span)),
                        _ => return,
                    };
                    self.bind_pat(p, part, None, span);
                }
            }
            Pat::Struct(ps) => {
                if ps.rest.is_none() && ps.qself.is_none() && self.is_plain_struct(&ps.path) {
                    for fp in &ps.fields {
                        let part = self.project(&o, Proj::Field(fp.member.clone()), span);
                        self.bind_pat(&fp.pat, part, None, span);
                    }
                } else if ps.qself.is_none() && self.is_plain_struct(&ps.path) {
                    for fp in &ps.fields {
                        let part = self.project(&o, Proj::Field(fp.member.clone()), span);
                        self.bind_pat(&fp.pat, part, None, span);
                    }
                } else {
                    self.bind_pat_refutable(pat, o, span);
                }
            }
            Pat::TupleStruct(ts) if self.is_plain_struct(&ts.path) => {
                for (k, p) in ts.elems.iter().enumerate() {
                    let m = syn::Member::Unnamed(syn::Index { index: k as u32, span });
                    let part = self.project(&o, Proj::Field(m), span);
                    self.bind_pat(p, part, None, span);
                }
            }
            Pat::TupleStruct(_) => self.bind_pat_refutable(pat, o, span),
            other => {
                self.diag.spanned(other, "this pattern is not supported here; bind a name, a tuple `(a, b)`, a struct `S { x, y }` or an array `[a, b]`");
            }
        }
    }

    /// Whether a path names a struct (not an enum variant): a single
    /// capitalised segment, or `Self`.
    fn is_plain_struct(&self, p: &syn::Path) -> bool {
        p.segments.len() == 1
    }

    fn project(&mut self, o: &Operand, pr: Proj, span: Span) -> Operand {
        match o {
            Operand::Place(p) => Operand::Place(p.with(pr)),
            Operand::Ref(p, b) => Operand::Ref(p.with(pr), *b),
            Operand::Val(v) => match pr {
                Proj::Field(m) => Operand::Val(self.def(Op::Field(*v, m), Ty::Val, span)),
                Proj::Index(i) | Proj::At(i) => Operand::Val(self.def(Op::Index(*v, i), Ty::Val, span)),
                Proj::Slice(..) => Operand::Never,
            },
            _ => Operand::Never,
        }
    }

    pub fn tuple_parts(&mut self, o: Operand, n: usize, span: Span) -> Option<Vec<Operand>> {
        match o {
            Operand::Tuple(parts) if parts.len() == n => Some(parts),
            Operand::Val(v) => Some((0..n).map(|k| Operand::Val(self.def(Op::Get(v, k), Ty::Val, span))).collect()),
            Operand::Place(p) => Some((0..n).map(|k| Operand::Place(p.with(Proj::Field(syn::Member::Unnamed(syn::Index { index: k as u32, span }))))).collect()),
            Operand::Ref(p, b) => Some((0..n).map(|k| Operand::Ref(p.with(Proj::Field(syn::Member::Unnamed(syn::Index { index: k as u32, span }))), b)).collect()),
            _ => None,
        }
    }

    /// Binds a name: values stay SSA; arrays and mutable aggregates get
    /// storage.
    pub fn bind_name(&mut self, name: String, mutable: bool, o: Operand, ty: Option<&syn::Type>, span: Span) {
        match o {
            Operand::Val(v) => {
                let shape = self.constructor_shape(v);
                if let Some(shape) = shape {
                    let var = self.f.new_var(shape, VarKind::Local, name.clone());
                    self.f.vars[var].rty = ty.cloned();
                    let init = self.init_of(v);
                    self.push(Stmt::Decl { var, init });
                    self.f.vars[var].written = mutable;
                    self.bind(name, Binding::Var { var });
                } else if mutable && self.f.ty(v) == Ty::Val {
                    let var = self.f.new_var(Shape::Val, VarKind::Local, name.clone());
                    self.f.vars[var].rty = ty.cloned().or_else(|| self.f.values[v].rty.clone());
                    self.push(Stmt::Decl { var, init: Init::Val(v) });
                    self.bind(name, Binding::Var { var });
                } else {
                    if let Some(t) = ty {
                        if self.f.values[v].rty.is_none() {
                            self.f.values[v].rty = Some(t.clone());
                        }
                    }
                    self.bind(name, Binding::Val { v, mutable });
                }
            }
            Operand::Place(p) => {
                // `let c: &[T; N] = x[a..b].try_into().unwrap()`: a
                // read-only `&[T; N]`.
                if let Some(syn::Type::Reference(r)) = ty {
                    if r.mutability.is_some() && matches!(self.place_shape(&p), Shape::Array(..)) {
                        self.diag.at(span, format!("`{name}`: a `&mut` reference bound to a copy of an array would not write the array; bind the place itself (`let {name} = &mut x[a..b];`)"));
                        return;
                    }
                    if let (None, syn::Type::Array(a)) = (&r.mutability, &*r.elem) {
                        if matches!(self.place_shape(&p), Shape::Array(..)) {
                            let len = a.len.to_token_stream();
                            let o = self.fixed_copy(p, len, span);
                            return self.bind_name(name, mutable, o, None, span);
                        }
                    }
                }
                // A copy of what the place holds.
                let shape = self.place_shape(&p);
                if matches!(shape, Shape::Array(..)) {
                    // `let a: [T; N] = x[..N].try_into().unwrap()`: a `[T; N]`.
                    let shape = match (shape, ty) {
                        (Shape::Array(e, _), Some(syn::Type::Array(a))) => Shape::Array(e, ArrKind::Fixed(a.len.to_token_stream())),
                        (s, _) => copy_shape(s),
                    };
                    let var = self.f.new_var(shape, VarKind::Local, name.clone());
                    self.f.vars[var].rty = ty.cloned();
                    self.push(Stmt::Decl { var, init: Init::CopyOf(p) });
                    self.f.vars[var].written = mutable;
                    self.bind(name, Binding::Var { var });
                } else {
                    let t = self.f.place_ty(&p);
                    let v = self.def(Op::Read(p), t, span);
                    if let Some(t) = ty {
                        self.f.values[v].rty = Some(t.clone());
                        if self.f.values[v].ty == Ty::Val {
                            if let Some(c) = self.class_of_type(t) {
                                self.f.values[v].ty = c;
                            }
                        }
                    }
                    if mutable && self.f.ty(v) == Ty::Val {
                        // A mutable copy of an aggregate (`let mut s =
                        // a.part`): storage initialised from the value read,
                        // so that its adjoint is shaped like that value.
                        return self.bind_name(name, mutable, Operand::Val(v), None, span);
                    }
                    self.bind(name, Binding::Val { v, mutable });
                }
            }
            Operand::Ref(p, by) => {
                let place = if mutable { self.normalize_view(p) } else { p };
                self.bind(name, Binding::Ref { place, by, mutable })
            }
            Operand::Closure(c) => self.bind(name, Binding::Closure(c)),
            Operand::Func(k) => self.bind(name, Binding::Func { param: k }),
            Operand::Tuple(parts) => {
                let mut vs = Vec::new();
                for p in parts {
                    match self.as_value(p, span) {
                        Some(v) => vs.push(v),
                        None => return,
                    }
                }
                let v = self.def(Op::Tuple(vs), Ty::Val, span);
                self.bind_name(name, mutable, Operand::Val(v), ty, span);
            }
            Operand::Unit => {
                let v = self.def(Op::Lit(Lit::Unit), Ty::Unit, span);
                self.bind(name, Binding::Val { v, mutable });
            }
            Operand::FnPath(p) => {
                self.diag.spanned(&p, "binding a function to a variable is not supported; call it directly");
            }
            Operand::Never | Operand::Exit => {}
        }
    }

    /// The storage shape of an array constructor value.
    pub(super) fn constructor_shape(&self, v: V) -> Option<Shape> {
        let op = self.def_of(v)?;
        // The element class; a constant of unknown type (`ZERO`) may be a
        // float that later elements or stores make active: `Val` (traits
        // decide), never a constant.
        let elem_of = |e: V| -> Shape {
            match self.f.ty(e) {
                Ty::F => Shape::Scalar(Ty::F),
                Ty::Int => Shape::Scalar(Ty::Int),
                Ty::Bool => Shape::Scalar(Ty::Bool),
                _ => match self.def_of(e).and_then(|_| self.constructor_shape(e)) {
                    Some(s) => s,
                    None => Shape::Val,
                },
            }
        };
        let merged = |items: &[V]| -> Shape {
            let shapes: Vec<Shape> = items.iter().map(|x| elem_of(*x)).collect();
            // Arrays are homogeneous: one float element makes them all floats.
            if shapes.iter().any(|s| matches!(s, Shape::Scalar(Ty::F))) {
                Shape::Scalar(Ty::F)
            } else {
                shapes.into_iter().next().unwrap_or(Shape::Val)
            }
        };
        match op {
            Op::Repeat { val, len, vec } => {
                let kind = match (vec, len) {
                    (true, _) => ArrKind::Vec,
                    (false, RepLen::Const(n)) => ArrKind::Fixed(n.clone()),
                    (false, RepLen::Dyn(_)) => ArrKind::Vec,
                };
                Some(Shape::Array(Box::new(elem_of(*val)), kind))
            }
            Op::Array(items) => {
                let n = items.len();
                Some(Shape::Array(Box::new(merged(items)), ArrKind::Fixed(quote!(#n))))
            }
            Op::VecLit(items) => Some(Shape::Array(Box::new(merged(items)), ArrKind::Vec)),
            Op::Call(c) if matches!(&c.callee, Callee::Path(p) if is_vec_new(p)) => Some(Shape::Array(Box::new(Shape::Val), ArrKind::Vec)),
            _ => None,
        }
    }

    fn init_of(&mut self, v: V) -> Init {
        // `Vec::new()` / `Vec::with_capacity(n)`: an empty vector (its
        // element type comes from the pushes, its derivatives' length from
        // its final length).
        if let Some(Stmt::Let { v: w, op: Op::Call(c) }) = self.cur.last() {
            if *w == v && matches!(&c.callee, Callee::Path(p) if is_vec_new(p)) {
                let cap = match c.args.as_slice() {
                    [] => Some(None),
                    [Arg::Val(n)] => Some(Some(*n)),
                    _ => None,
                };
                if let Some(cap) = cap {
                    self.cur.pop();
                    return Init::VecEmpty(cap);
                }
            }
        }
        Init::Val(v)
    }

    /// The operation that defines `v` in the current statement list.
    pub fn def_of(&self, v: V) -> Option<&Op> {
        self.cur.iter().rev().find_map(|s| match s {
            Stmt::Let { v: w, op } if *w == v => Some(op),
            _ => None,
        })
    }

    /// Binds a refutable pattern once its test has passed.
    pub fn bind_pat_refutable(&mut self, pat: &Pat, o: Operand, span: Span) {
        match pat {
            Pat::Tuple(t) => {
                let Some(parts) = self.tuple_parts(o, t.elems.len(), span) else { return };
                for (p, part) in t.elems.iter().zip(parts) {
                    self.bind_pat_refutable(p, part, span);
                }
            }
            Pat::Reference(r) => {
                let o = match o {
                    Operand::Ref(p, _) => Operand::Place(p),
                    o => o,
                };
                self.bind_pat_refutable(&r.pat, o, span);
            }
            Pat::Paren(p) => self.bind_pat_refutable(&p.pat, o, span),
            Pat::Ident(_) | Pat::Wild(_) | Pat::Type(_) | Pat::Slice(_) => self.bind_pat(pat, o, None, span),
            Pat::Lit(_) | Pat::Range(_) | Pat::Path(_) | Pat::Rest(_) => {}
            Pat::Or(or) => {
                // Bindings in or-patterns must agree: bind from the first
                // alternative whose shape allows it.
                if or.cases.iter().any(pat_binds) {
                    self.diag.spanned(or, "or-patterns with bindings are not supported in a #[differentiable] body; write one arm per alternative");
                }
            }
            Pat::TupleStruct(_) | Pat::Struct(_) => {
                // Enum variants: each binding is extracted from the value.
                let names = binding_names(pat);
                if names.is_empty() {
                    return;
                }
                let Some(v) = self.as_value(o, span) else { return };
                for (name, mutable) in names {
                    let renamed = rename_binding(pat, &name);
                    let (tokens, _) = (quote!(#renamed), ());
                    let x = self.def(Op::Extract { val: v, pat: tokens }, if self.f.ty(v).carries() { Ty::Val } else { Ty::Const }, span);
                    self.bind(name, Binding::Val { v: x, mutable });
                }
            }
            other => {
                self.diag.spanned(other, "this pattern is not supported in a #[differentiable] body");
            }
        }
    }

    /// The condition under which a pattern matches an operand.
    pub fn pat_test(&mut self, pat: &Pat, o: &Operand, span: Span) -> Option<V> {
        match pat {
            Pat::Ident(pi) if pi.subpat.is_none() => Some(self.lit_bool(true, span)),
            Pat::Wild(_) | Pat::Rest(_) => Some(self.lit_bool(true, span)),
            Pat::Type(pt) => self.pat_test(&pt.pat, o, span),
            Pat::Paren(p) => self.pat_test(&p.pat, o, span),
            Pat::Reference(r) => {
                let inner = match o {
                    Operand::Ref(p, _) => Operand::Place(p.clone()),
                    o => o.clone(),
                };
                self.pat_test(&r.pat, &inner, span)
            }
            Pat::Lit(l) => {
                let v = self.as_value(o.clone(), span)?;
                let lit = self.expr(&syn::Expr::Lit(l.clone()));
                let lv = self.as_value(lit, span)?;
                Some(self.def(Op::Bin(BinOp::Eq, v, lv), Ty::Bool, span))
            }
            Pat::Range(r) => {
                let v = self.as_value(o.clone(), span)?;
                let mut c: Option<V> = None;
                if let Some(lo) = &r.start {
                    let lv = self.value(lo)?;
                    let t = self.def(Op::Bin(BinOp::Ge, v, lv), Ty::Bool, span);
                    c = Some(t);
                }
                if let Some(hi) = &r.end {
                    let hv = self.value(hi)?;
                    let op = if matches!(r.limits, syn::RangeLimits::Closed(_)) { BinOp::Le } else { BinOp::Lt };
                    let t = self.def(Op::Bin(op, v, hv), Ty::Bool, span);
                    c = Some(match c {
                        Some(a) => self.and(a, t, span),
                        None => t,
                    });
                }
                Some(c.unwrap_or_else(|| self.lit_bool(true, span)))
            }
            Pat::Or(or) => {
                let mut acc: Option<V> = None;
                for case in &or.cases {
                    let t = self.pat_test(case, o, span)?;
                    acc = Some(match acc {
                        Some(a) => self.or(a, t, span),
                        None => t,
                    });
                }
                acc
            }
            Pat::Tuple(t) => {
                let parts = self.tuple_parts(o.clone(), t.elems.len(), span)?;
                let mut acc: Option<V> = None;
                for (p, part) in t.elems.iter().zip(parts) {
                    if matches!(p, Pat::Wild(_) | Pat::Ident(_)) {
                        continue;
                    }
                    let c = self.pat_test(p, &part, span)?;
                    acc = Some(match acc {
                        Some(a) => self.and(a, c, span),
                        None => c,
                    });
                }
                Some(acc.unwrap_or_else(|| self.lit_bool(true, span)))
            }
            Pat::Path(_) | Pat::TupleStruct(_) | Pat::Struct(_) | Pat::Slice(_) => {
                // Enum variants and the like: `matches!(value, pattern)` with
                // the bindings replaced by `_`.
                let v = match o {
                    Operand::Place(p) | Operand::Ref(p, _) => {
                        let t = self.f.place_ty(p);
                        self.def(Op::Read(p.clone()), t, span)
                    }
                    o => self.as_value(o.clone(), span)?,
                };
                let wild = wildcard_bindings(pat);
                let x = crate::naming::dep(0);
                Some(self.def(Op::Opaque { tokens: quote!(::core::matches!(#x, #wild)), deps: vec![Dep::Val(v)], pure: true, span }, Ty::Bool, span))
            }
            other => {
                self.diag.spanned(other, "this pattern is not supported in a #[differentiable] body");
                None
            }
        }
    }
}

fn is_vec_new(p: &syn::Path) -> bool {
    let s: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
    s.len() >= 2 && s[s.len() - 2] == "Vec" && (s[s.len() - 1] == "new" || s[s.len() - 1] == "with_capacity")
}

fn copy_shape(s: Shape) -> Shape {
    match s {
        Shape::Array(e, ArrKind::Slice) => Shape::Array(e, ArrKind::Vec),
        s => s,
    }
}

/// Whether a pattern binds names.
fn pat_binds(p: &Pat) -> bool {
    !binding_names(p).is_empty()
}

/// The names a pattern binds, with their mutability.
pub fn binding_names(p: &Pat) -> Vec<(String, bool)> {
    struct S(Vec<(String, bool)>);
    impl<'ast> syn::visit::Visit<'ast> for S {
        fn visit_pat_ident(&mut self, pi: &'ast syn::PatIdent) {
            let s = pi.ident.to_string();
            // Capitalised single names are unit variants or constants.
            if !s.chars().next().is_some_and(|c| c.is_uppercase()) {
                self.0.push((s, pi.mutability.is_some()));
            }
            syn::visit::visit_pat_ident(self, pi);
        }
    }
    let mut s = S(Vec::new());
    syn::visit::Visit::visit_pat(&mut s, p);
    s.0
}

/// The pattern with every binding replaced by `_`.
fn wildcard_bindings(p: &Pat) -> Pat {
    struct W;
    impl syn::visit_mut::VisitMut for W {
        fn visit_field_pat_mut(&mut self, fp: &mut syn::FieldPat) {
            // `S { x }` is `S { x: x }`: make the binding explicit before
            // replacing it.
            if fp.colon_token.is_none() {
                fp.colon_token = Some(Default::default());
            }
            syn::visit_mut::visit_field_pat_mut(self, fp);
        }
        fn visit_pat_mut(&mut self, p: &mut Pat) {
            if let Pat::Ident(pi) = p {
                let s = pi.ident.to_string();
                if !s.chars().next().is_some_and(|c| c.is_uppercase()) && pi.subpat.is_none() {
                    *p = Pat::Wild(syn::PatWild { attrs: Vec::new(), underscore_token: Default::default() });
                    return;
                }
            }
            syn::visit_mut::visit_pat_mut(self, p);
        }
    }
    let mut p = p.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut W, &mut p);
    p
}

/// The pattern keeping only the binding `name` (as `__lz_bind`), others `_`.
fn rename_binding(p: &Pat, name: &str) -> Pat {
    struct R<'a>(&'a str);
    impl syn::visit_mut::VisitMut for R<'_> {
        fn visit_field_pat_mut(&mut self, fp: &mut syn::FieldPat) {
            // `S { x }` is `S { x: x }`: make the binding explicit before
            // replacing it.
            if fp.colon_token.is_none() {
                fp.colon_token = Some(Default::default());
            }
            syn::visit_mut::visit_field_pat_mut(self, fp);
        }
        fn visit_pat_mut(&mut self, p: &mut Pat) {
            if let Pat::Ident(pi) = p {
                let s = pi.ident.to_string();
                if !s.chars().next().is_some_and(|c| c.is_uppercase()) && pi.subpat.is_none() {
                    if s == self.0 {
                        let id = crate::naming::named("__lz_bind");
                        *p = syn::parse_quote!(#id);
                    } else {
                        *p = Pat::Wild(syn::PatWild { attrs: Vec::new(), underscore_token: Default::default() });
                    }
                    return;
                }
            }
            syn::visit_mut::visit_pat_mut(self, p);
        }
    }
    let mut p = p.clone();
    syn::visit_mut::VisitMut::visit_pat_mut(&mut R(name), &mut p);
    p
}

#[allow(dead_code)]
fn _u(_: &dyn ToTokens, _: &dyn Spanned) {}
