//! Prints IR as Rust.
//!
//! Every SSA value is a `let`, every region one block: the emitted code is
//! flat (a 1000-statement body is 1000 `let`s in one block) whatever the
//! nesting of the user's expressions. Values of types the macro does not
//! see are cloned where they are used by value (SSA values may be used
//! several times; for `Copy` types the clone is a copy).

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};

use crate::ir::*;
use crate::naming;
use crate::rules::{self, Print};

/// How the printer names what the function receives.
pub struct Env<'a> {
    pub f: &'a Func,
    /// The float type `F`, when known.
    pub float: Option<syn::Type>,
    /// Names of the parameter slots (by index of `f.params`).
    pub param_names: Vec<Option<TokenStream>>,
    /// The tape argument's name (forward and backward sweeps).
    pub tape: Option<syn::Ident>,
    /// The function parameters and their `Fn` signatures.
    pub fn_params: Vec<(String, crate::expand::difffn::FnSig)>,
}

impl Env<'_> {
    pub fn body(&self) -> TokenStream {
        let b = self.block(&self.f.body);
        let ret = match self.f.ret {
            Some(r) => self.use_val(r),
            None => TokenStream::new(),
        };
        quote!(#b #ret)
    }

    pub fn block(&self, b: &Block) -> TokenStream {
        let mut out = TokenStream::new();
        for s in &b.stmts {
            out.extend(crate::stack::guard(|| self.stmt(s)));
        }
        out
    }

    /// Whether the float type is `f32` or `f64` (not a generic).
    fn float_is_prim(&self) -> bool {
        match &self.float {
            Some(syn::Type::Path(p)) => p.path.is_ident("f64") || p.path.is_ident("f32"),
            _ => true,
        }
    }

    #[allow(dead_code)]
    fn fty(&self) -> TokenStream {
        match &self.float {
            Some(t) => t.to_token_stream(),
            None => quote!(f64),
        }
    }

    pub fn val(&self, v: V) -> syn::Ident {
        naming::val(v)
    }

    /// A value used by value.
    pub fn use_val(&self, v: V) -> TokenStream {
        let id = self.val(v);
        match self.f.values[v].ty {
            Ty::Val => quote!(::core::clone::Clone::clone(&#id)),
            _ => quote!(#id),
        }
    }

    fn var_name(&self, x: Var) -> TokenStream {
        let info = &self.f.vars[x];
        match info.kind {
            VarKind::Param { index, .. } => match self.param_names.get(index).and_then(|n| n.clone()) {
                Some(n) => n,
                None => naming::var(x, &info.name).to_token_stream(),
            },
            _ => naming::var(x, &info.name).to_token_stream(),
        }
    }

    /// Whether a variable's name denotes a reference (parameters by `&`,
    /// `&mut`).
    fn is_ref(&self, x: Var) -> bool {
        matches!(self.f.vars[x].kind, VarKind::Param { by: By::Ref | By::Mut, .. })
    }

    /// The place as an expression denoting the location.
    pub fn place(&self, p: &Place) -> TokenStream {
        let name = self.var_name(p.var);
        let mut e = if p.path.is_empty() && self.is_ref(p.var) { quote!((*#name)) } else { name };
        for pr in &p.path {
            e = match pr {
                Proj::Index(i) => {
                    let i = self.val(*i);
                    quote!(#e[#i])
                }
                // Only ever the first projection of an array variable
                // (`opt::bounds`): a `Vec` or slice is indexed through its
                // deref, `[T]`, which `Unchecked` indexes.
                Proj::At(i) => {
                    let i = self.val(*i);
                    let ix = quote!(unsafe { ::leibniz::__private::Unchecked::new(#i) });
                    match &self.f.vars[p.var].shape {
                        Shape::Array(_, ArrKind::Fixed(_)) => quote!(#e[#ix]),
                        _ => quote!((*#e)[#ix]),
                    }
                }
                Proj::Field(m) => quote!(#e.#m),
                Proj::Slice(a, b) => {
                    let a = a.map(|v| self.val(v));
                    let b = b.map(|v| self.val(v));
                    quote!(#e[#a..#b])
                }
            };
        }
        e
    }

    fn read(&self, p: &Place) -> TokenStream {
        let e = self.place(p);
        match self.f.place_ty(p) {
            Ty::Val | Ty::Const => {
                if ends_in_slice(p) {
                    quote!(::leibniz::__private::to_owned(&#e))
                } else {
                    quote!(::core::clone::Clone::clone(&#e))
                }
            }
            _ => e,
        }
    }

    fn lit_f(&self, x: f64) -> TokenStream {
        match &self.float {
            Some(syn::Type::Path(p)) if p.path.is_ident("f64") => {
                let l = proc_macro2::Literal::f64_suffixed(x);
                fix_lit(l, x, "f64")
            }
            Some(syn::Type::Path(p)) if p.path.is_ident("f32") => {
                let l = proc_macro2::Literal::f32_suffixed(x as f32);
                fix_lit(l, x, "f32")
            }
            Some(t) => {
                let l = proc_macro2::Literal::f64_suffixed(x);
                let l = fix_lit(l, x, "f64");
                quote!(::leibniz::__private::lit::<#t>(#l))
            }
            None => {
                let l = proc_macro2::Literal::f64_unsuffixed(x);
                fix_lit(l, x, "")
            }
        }
    }

    fn op(&self, v: V, o: &Op) -> TokenStream {
        match o {
            Op::Lit(l) => match l {
                Lit::Float(x) => self.lit_f(*x),
                Lit::Zero => match &self.float {
                    Some(t) => quote!(<#t as ::leibniz::__private::Zero>::zero()),
                    None => quote!(0.0),
                },
                Lit::One => match &self.float {
                    Some(t) => quote!(<#t as ::leibniz::__private::One>::one()),
                    None => quote!(1.0),
                },
                Lit::Int(t) | Lit::Tokens(t) => t.clone(),
                Lit::Bool(b) => quote!(#b),
                Lit::Unit => quote!(()),
            },
            Op::Param(k) => match self.param_names.get(*k).and_then(|n| n.clone()) {
                Some(n) => match self.f.values[v].ty {
                    Ty::Val => quote!(::core::clone::Clone::clone(&#n)),
                    _ => n,
                },
                None => quote!(::core::compile_error!("internal: unnamed parameter")),
            },
            Op::Un(UnOp::Neg, a) => {
                let a = self.val(*a);
                quote!(-#a)
            }
            Op::Un(UnOp::Not, a) => {
                let a = self.val(*a);
                quote!(!#a)
            }
            Op::Bin(b, x, y) => {
                let (x, y) = (self.val(*x), self.val(*y));
                let op = bin_tok(*b);
                quote!(#x #op #y)
            }
            Op::Prim(name, args) => self.prim(name, args),
            Op::Cast(a, t) => {
                let src_generic = self.f.values[*a].ty == Ty::F && !self.float_is_prim();
                let dst_generic = self.f.values[v].ty == Ty::F && !self.float_is_prim();
                let a = self.val(*a);
                if src_generic || dst_generic {
                    // Generic floats cast through `NumCast`.
                    quote!(::leibniz::__private::cast_to::<#t, _>(#a))
                } else {
                    quote!((#a as #t))
                }
            }
            Op::Read(p) => self.read(p),
            Op::Len(p) => {
                let e = self.place(p);
                quote!(#e.len())
            }
            Op::Opaque { tokens, deps, .. } => self.subst(tokens, deps),
            Op::Extract { val, pat } => {
                let x = self.val(*val);
                let b = naming::named("__lz_bind");
                quote!(match &#x { #pat => ::core::clone::Clone::clone(#b), _ => ::core::unreachable!() })
            }
            Op::Call(c) => self.call(c),
            Op::Tuple(xs) => {
                let xs: Vec<TokenStream> = xs.iter().map(|x| self.use_val(*x)).collect();
                quote!((#(#xs,)*))
            }
            Op::Get(a, k) => {
                let a = self.val(*a);
                let k = syn::Index::from(*k);
                quote!(::core::clone::Clone::clone(&#a.#k))
            }
            Op::Field(a, m) => {
                let a = self.val(*a);
                quote!(::core::clone::Clone::clone(&#a.#m))
            }
            Op::Index(a, i) => {
                let (a, i) = (self.val(*a), self.val(*i));
                quote!(::core::clone::Clone::clone(&#a[#i]))
            }
            Op::Struct { path, fields } => {
                let fs: Vec<TokenStream> = fields
                    .iter()
                    .map(|(m, x)| {
                        let x = self.use_val(*x);
                        quote!(#m: #x)
                    })
                    .collect();
                quote!(#path { #(#fs),* })
            }
            Op::Array(xs) => {
                let xs: Vec<TokenStream> = xs.iter().map(|x| self.use_val(*x)).collect();
                quote!([#(#xs),*])
            }
            Op::VecLit(xs) => {
                let xs: Vec<TokenStream> = xs.iter().map(|x| self.use_val(*x)).collect();
                quote!(::std::vec![#(#xs),*])
            }
            Op::Repeat { val, len, vec } => {
                let x = self.use_val(*val);
                let n = match len {
                    RepLen::Dyn(n) => self.val(*n).to_token_stream(),
                    RepLen::Const(t) => t.clone(),
                };
                if *vec { quote!(::std::vec![#x; #n]) } else { quote!([#x; #n]) }
            }
            Op::ZeroLike(a) => {
                let a = self.val(*a);
                quote!(::leibniz::__private::zero_like(&#a))
            }
            Op::Copy(a) => self.use_val(*a),
        }
    }

    fn prim(&self, name: &str, args: &[V]) -> TokenStream {
        let Some(rule) = rules::rule(name) else {
            let msg = format!("internal: unknown primitive `{name}`");
            return quote!(::core::compile_error!(#msg));
        };
        let xs: Vec<syn::Ident> = args.iter().map(|a| self.val(*a)).collect();
        match rule.print {
            Print::Method(m) => {
                let m = format_ident!("{}", m);
                quote!(::leibniz::__private::Float::#m(#(#xs),*))
            }
            Print::Helper(h) => {
                let h = format_ident!("{}", h);
                quote!(::leibniz::__private::#h(#(#xs),*))
            }
        }
    }

    /// Substitutes the dependencies of opaque tokens.
    pub fn subst(&self, tokens: &TokenStream, deps: &[Dep]) -> TokenStream {
        use proc_macro2::TokenTree;
        tokens
            .clone()
            .into_iter()
            .map(|tt| match tt {
                TokenTree::Ident(id) => match naming::dep_index(&id).and_then(|k| deps.get(k)) {
                    Some(Dep::Val(v)) => {
                        let mut n = self.val(*v);
                        n.set_span(n.span().located_at(id.span()));
                        quote!(#n)
                    }
                    Some(Dep::Place(p)) => {
                        let e = self.place(p);
                        quote!((#e))
                    }
                    None => quote!(#id),
                },
                TokenTree::Group(g) => {
                    let mut ng = proc_macro2::Group::new(g.delimiter(), self.subst(&g.stream(), deps));
                    ng.set_span(g.span());
                    quote!(#ng)
                }
                other => quote!(#other),
            })
            .collect()
    }

    fn arg(&self, a: &Arg) -> TokenStream {
        match a {
            Arg::Val(v) => self.use_val(*v),
            Arg::Ref(p) => {
                let e = self.place(p);
                quote!(&#e)
            }
            Arg::Mut(p) | Arg::Reborrow(p) => {
                let e = self.place(p);
                quote!(&mut #e)
            }
            Arg::Recv(p) => self.place(p),
            Arg::Zero => quote!(::leibniz::__private::ZeroTan),
            Arg::Tokens(t, d) => self.subst(t, d),
        }
    }

    /// A function argument: marked by the lowering (`__lz_fn_path g` for a
    /// function passed by name, `__lz_fn_param f` for a function parameter
    /// passed on). Primal calls get the function itself, entry points its
    /// `FnRef` (the function and the key of its derivatives).
    fn fn_arg(&self, t: &TokenStream, entry: Entry) -> Option<TokenStream> {
        let mut it = t.clone().into_iter();
        let first = match it.next() {
            Some(proc_macro2::TokenTree::Ident(i)) => i,
            _ => return None,
        };
        let rest: TokenStream = it.collect();
        if first == "__lz_fn_path" {
            if entry == Entry::Primal {
                return Some(rest);
            }
            let path: syn::Path = syn::parse2(rest.clone()).ok()?;
            let name = path.segments.last()?.ident.to_string();
            let key = naming::key(&name);
            let sp = path.segments.last().map(|s| s.ident.span()).unwrap_or_else(Span::call_site);
            return Some(quote_spanned!(sp=> ::leibniz::__private::fn_ref::<::leibniz::__private::registry::Key<#key>, _, _>(#rest)));
        }
        if first == "__lz_fn_param" {
            return Some(if entry == Entry::Primal { quote!(::leibniz::__private::DiffFnCall::inner(&#rest)) } else { quote!(&#rest) });
        }
        None
    }

    /// A call of a function parameter through its `DiffFn*` trait, every
    /// slot converted to the concrete type of its bound.
    fn param_call(&self, p: &syn::Path, c: &Call, args: Vec<TokenStream>, span: Span) -> TokenStream {
        use crate::expand::difffn::{ArgKind, kind};
        let name = p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        let (tr, m) = match c.entry {
            Entry::Primal => (quote!(DiffFnCall), quote!(call)),
            Entry::Jvp => (quote!(DiffFnJvp), quote!(jvp)),
            Entry::Fwd => (quote!(DiffFnFwd), quote!(fwd)),
            Entry::Bwd => (quote!(DiffFnBwd), quote!(bwd)),
            Entry::FwdJvp => (quote!(DiffFnFwdJvp), quote!(fwd_jvp)),
            Entry::BwdJvp => (quote!(DiffFnBwdJvp), quote!(bwd_jvp)),
        };
        let Some((_, sig)) = self.fn_params.iter().find(|(n, _)| *n == name) else {
            return quote_spanned!(span=> ::leibniz::__private::#tr::#m(&#p, (#(#args,)*)));
        };
        let zero = quote!(::leibniz::__private::ZeroTan);
        let p_ = quote!(::leibniz::__private);
        // The arguments without the tape (printed last by `call`).
        let n = if c.tape { args.len().saturating_sub(1) } else { args.len() };
        let mut it = args[..n].iter().cloned();
        let mut out: Vec<TokenStream> = Vec::new();
        // Tangents of `&mut` arguments are made before the call: their
        // shape comes from the primal, which the call borrows mutably.
        let mut pre = TokenStream::new();
        let mut guards = 0usize;
        let mut tan = |k: ArgKind, t: TokenStream, a: &TokenStream| -> TokenStream {
            match k {
                ArgKind::Const => zero.clone(),
                ArgKind::Val => quote!(#p_::TanVal::get(#t, &#a)),
                ArgKind::Ref => quote!(&*#p_::TanRef::get(&#t, #a)),
                ArgKind::Mut => {
                    let g = naming::indexed("__lzg", guards);
                    guards += 1;
                    let mut toks = a.clone().into_iter().peekable();
                    let mut place = TokenStream::new();
                    if matches!(toks.peek(), Some(proc_macro2::TokenTree::Punct(x)) if x.as_char() == '&') {
                        toks.next();
                        if matches!(toks.peek(), Some(proc_macro2::TokenTree::Ident(i)) if i == "mut") {
                            toks.next();
                        }
                        place.extend(toks);
                    } else {
                        place = quote!(*#a);
                    }
                    pre.extend(quote!(let mut #g = #p_::ShadowOf::get(#t, ::core::option::Option::Some(&#place));));
                    quote!(&mut *#g)
                }
            }
        };
        let shadow = |k: ArgKind, b: TokenStream, a: Option<&TokenStream>| -> TokenStream {
            match (k, a) {
                (ArgKind::Const, _) => zero.clone(),
                (ArgKind::Val, Some(a)) => quote!(&mut *#p_::ShadowOf::get(#b, ::core::option::Option::Some(&#a))),
                (_, Some(a)) => quote!(&mut *#p_::ShadowOf::get(#b, ::core::option::Option::Some(&*#a))),
                (_, None) => quote!(&mut *#p_::ShadowOf::get(#b, ::core::option::Option::None)),
            }
        };
        for t in &sig.args {
            let k = kind(t);
            match c.entry {
                Entry::Primal | Entry::Fwd => out.extend(it.next()),
                Entry::Jvp | Entry::FwdJvp => {
                    let a = it.next().unwrap_or_default();
                    let d = it.next().unwrap_or_default();
                    out.push(a.clone());
                    out.push(tan(k, d, &a));
                }
                Entry::Bwd => {
                    let a = if k != ArgKind::Mut {
                        it.next()
                    } else {
                        // The ignored primal slot of a `&mut` argument.
                        let _ = it.next();
                        out.push(zero.clone());
                        None
                    };
                    let b = it.next().unwrap_or_default();
                    if let Some(a) = &a {
                        out.push(a.clone());
                    }
                    out.push(shadow(k, b, a.as_ref()));
                }
                Entry::BwdJvp => {
                    let a = if k != ArgKind::Mut {
                        let a = it.next().unwrap_or_default();
                        let d = it.next().unwrap_or_default();
                        out.push(a.clone());
                        out.push(tan(k, d, &a));
                        Some(a)
                    } else {
                        let _ = (it.next(), it.next());
                        out.push(zero.clone());
                        out.push(zero.clone());
                        None
                    };
                    let b = it.next().unwrap_or_default();
                    let db = it.next().unwrap_or_default();
                    out.push(shadow(k, b, a.as_ref()));
                    out.push(shadow(k, db, a.as_ref()));
                }
            }
        }
        let ret = &sig.ret;
        let dval = |d: TokenStream| -> TokenStream {
            if d.to_string().contains("ZeroTan") { quote!(#p_::dummy::<#ret>()) } else { d }
        };
        match c.entry {
            Entry::Bwd => {
                let d = it.next().unwrap_or_default();
                out.push(dval(d));
            }
            Entry::BwdJvp => {
                let d = it.next().unwrap_or_default();
                let dd = it.next().unwrap_or_default();
                out.push(dval(d));
                out.push(dval(dd));
            }
            _ => {}
        }
        if c.tape {
            out.extend(args.last().cloned());
        }
        if pre.is_empty() {
            quote_spanned!(span=> #p_::#tr::#m(&#p, (#(#out,)*)))
        } else {
            quote_spanned!(span=> { #pre #p_::#tr::#m(&#p, (#(#out,)*)) })
        }
    }

    /// `&mut` arguments of one call that are sub-slices of the same
    /// storage (the halves of a `split_at_mut`, or their shadows): borrowed
    /// together through `__private::disjoint_mut`, since two `&mut x[..]`
    /// of one `x` do not borrow-check. Returns the statements that bind
    /// them and, per argument index, the name bound.
    fn disjoint_args(&self, c: &Call) -> (TokenStream, HashMap<usize, syn::Ident>) {
        let mut groups: Vec<(Place, Vec<(usize, Option<V>, Option<V>)>)> = Vec::new();
        for (k, a) in c.args.iter().enumerate() {
            let (Arg::Mut(p) | Arg::Reborrow(p)) = a else { continue };
            let Some(Proj::Slice(lo, hi)) = p.path.last() else { continue };
            let mut base = p.clone();
            base.path.pop();
            let key = self.place(&base).to_string();
            match groups.iter_mut().find(|(b, _)| self.place(b).to_string() == key) {
                Some((_, m)) => m.push((k, *lo, *hi)),
                None => groups.push((base, vec![(k, *lo, *hi)])),
            }
        }
        let mut pre = TokenStream::new();
        let mut names = HashMap::new();
        for (g, (base, members)) in groups.iter().enumerate() {
            if members.len() < 2 {
                continue;
            }
            let root = self.place(base);
            let ranges = members.iter().map(|(_, lo, hi)| {
                let lo = lo.map(|v| self.val(v).to_token_stream()).unwrap_or_else(|| quote!(0usize));
                let hi = hi.map(|v| self.val(v).to_token_stream()).unwrap_or_else(|| quote!(::core::primitive::usize::MAX));
                quote!((#lo, #hi))
            });
            let ids: Vec<syn::Ident> = (0..members.len()).map(|j| format_ident!("__lzdj{}_{}", g, j, span = Span::mixed_site())).collect();
            let r = format_ident!("__lzdjr{}", g, span = Span::mixed_site());
            pre.extend(quote!(let #r = [#(#ranges),*]; let [#(#ids),*] = ::leibniz::__private::disjoint_mut(&mut #root, #r);));
            for ((k, _, _), id) in members.iter().zip(ids) {
                names.insert(*k, id);
            }
        }
        (pre, names)
    }

    fn call(&self, c: &Call) -> TokenStream {
        let (pre, disjoint) = self.disjoint_args(c);
        let call = self.call_args(c, &disjoint);
        if pre.is_empty() {
            call
        } else {
            quote!({ #pre #call })
        }
    }

    fn call_args(&self, c: &Call, disjoint: &HashMap<usize, syn::Ident>) -> TokenStream {
        let span = c.span;
        let mut args: Vec<TokenStream> = Vec::new();
        let mut recv: Option<TokenStream> = None;
        for (k, a) in c.args.iter().enumerate() {
            if let Some(id) = disjoint.get(&k) {
                args.push(quote!(#id));
                continue;
            }
            if let Arg::Tokens(t, d) = a {
                if d.is_empty() {
                    if let Some(x) = self.fn_arg(t, c.entry) {
                        args.push(x);
                        continue;
                    }
                }
            }
            if k == 0 && matches!(c.callee, Callee::Method(_)) {
                recv = Some(match a {
                    Arg::Val(v) => {
                        let x = self.use_val(*v);
                        quote!((#x))
                    }
                    a => self.arg(a),
                });
                continue;
            }
            // The tangent of a receiver passed by value goes by reference:
            // a `&self` method takes `impl TanRef<Self>`, a `self` method
            // `impl TanVal<Self>`, and both accept `&T`.
            if k == 1 && matches!(c.callee, Callee::Method(_)) && matches!(c.entry, Entry::Jvp | Entry::FwdJvp | Entry::BwdJvp) && matches!(c.args.first(), Some(Arg::Val(_))) {
                if let Arg::Val(v) = a {
                    let x = self.val(*v);
                    args.push(quote!(&#x));
                    continue;
                }
            }
            args.push(self.arg(a));
        }
        // A backward entry reads its part of the tape through a cursor: the
        // tape of the backward sweep itself, or, where the sweep pops from a
        // stack (`TapeBuf`, fused and recomputed loops), a cursor whose reads
        // are then popped.
        let reader = c.tape && matches!(c.entry, Entry::Bwd | Entry::BwdJvp);
        if c.tape {
            if reader {
                let r = naming::named("__lz_rd");
                args.push(quote!(&mut *#r));
            } else {
                let t = self.tape.clone().unwrap_or_else(naming::tape);
                args.push(quote!(&mut *#t));
            }
        }
        let call = self.call_inner(c, args, recv, span);
        if reader {
            let t = self.tape.clone().unwrap_or_else(naming::tape);
            let r = naming::named("__lz_rd");
            return quote_spanned!(span=> ::leibniz::__private::TapePop::with_reader(&mut *#t, |#r| #call));
        }
        call
    }

    fn call_inner(&self, c: &Call, args: Vec<TokenStream>, recv: Option<TokenStream>, span: Span) -> TokenStream {
        match &c.callee {
            Callee::Path(p) => {
                if c.entry != Entry::Primal {
                    if let Some(prefix) = fallback_prefix(p) {
                        return path_fallback(p, prefix, c.entry, &args, span);
                    }
                }
                let p = entry_path(p, c.entry, span);
                quote_spanned!(span=> #p(#(#args),*))
            }
            Callee::Method(m) => {
                let r = recv.unwrap_or_default();
                if c.entry != Entry::Primal && self.method_fallback_ok(c) {
                    return method_fallback(m, c.entry, &r, &args, span);
                }
                let m = naming::entry_at(m, c.entry, m.span());
                quote_spanned!(span=> #r.#m(#(#args),*))
            }
            Callee::Op(name) => {
                let id = naming::entry_at(&syn::Ident::new(name, Span::call_site()), c.entry, Span::call_site());
                quote_spanned!(span=> ::leibniz::__private::ops::#id(#(#args),*))
            }
            Callee::Param(p) => self.param_call(p, c, args, span),
        }
    }

    fn init(&self, x: Var, i: &Init) -> TokenStream {
        match i {
            Init::Val(v) => self.use_val(*v),
            Init::VecFill(a, n) => {
                let (a, n) = (self.use_val(*a), self.val(*n));
                quote!(::std::vec![#a; #n])
            }
            Init::ArrFill(a, n) => {
                let a = self.use_val(*a);
                quote!([#a; #n])
            }
            Init::VecEmpty(Some(n)) => {
                let n = self.val(*n);
                quote!(::std::vec::Vec::with_capacity(#n))
            }
            Init::VecEmpty(None) => quote!(::std::vec::Vec::new()),
            // A view copied into a `[T; N]` (`first_chunk::<N>()`, a
            // `try_into()` to `&[T; N]`).
            Init::CopyOf(p) => {
                let e = self.place(p);
                match &self.f.vars[x].shape {
                    Shape::Array(_, ArrKind::Fixed(n)) if ends_in_slice(p) => quote!(::leibniz::__private::to_array::<_, { #n }>(&#e)),
                    _ => quote!(::leibniz::__private::to_owned(&#e)),
                }
            }
            Init::ZeroLike(y) => {
                let n = self.var_name(*y);
                quote!(::leibniz::__private::zero_like(&#n))
            }
            Init::ZeroOfPlace(p) => {
                let e = self.place(p);
                quote!(::leibniz::__private::zero_owned(&#e))
            }
            // Accumulators the transforms create start at -0.0, the neutral
            // element of IEEE addition (`-0.0 + x == x` for every x, `+0.0 +
            // x` is not `x` at x = -0.0), so that LLVM folds the first `+=`
            // into a plain copy.
            Init::Zero if matches!(self.f.vars[x].kind, VarKind::Derived) && matches!(self.f.vars[x].shape, Shape::Scalar(Ty::F)) => match &self.float {
                Some(t) => quote!(-<#t as ::leibniz::__private::Zero>::zero()),
                None => quote!(-0.0),
            },
            Init::Zero => match &self.float {
                Some(t) if matches!(self.f.vars[x].shape, Shape::Scalar(Ty::F)) => quote!(<#t as ::leibniz::__private::Zero>::zero()),
                _ => quote!(0.0),
            },
        }
    }

    fn let_(&self, v: V, e: TokenStream) -> TokenStream {
        let id = self.val(v);
        match self.annot(v) {
            Some(t) => quote!(let #id: #t = #e;),
            None => quote!(let #id = #e;),
        }
    }

    /// A type annotation that is safe to print.
    /// The driver of a checkpointed loop's part: a `Revolve` schedule over
    /// chunks of iterations whose actions run on the live state (see
    /// `opt::checkpoint`).
    fn ckpt(&self, c: &Ckpt) -> TokenStream {
        let ck = naming::named(&format!("__lz_ck{}", c.id));
        let cks = naming::named(&format!("__lz_cks{}", c.id));
        let ckl = naming::named(&format!("__lz_ckl{}", c.id));
        let ckv = naming::named(&format!("__lz_ckv{}", c.id));
        // (iterations, iterations per chunk)
        let ckn = naming::named(&format!("__lz_ckn{}", c.id));
        let vals: Vec<syn::Ident> = c.vals.iter().map(|v| self.val(*v)).collect();
        let p = quote!(::leibniz::__private);
        let act = quote!(#p::Action);
        let k = self.val(c.k);
        let live: Vec<TokenStream> = c.state.iter().map(|x| self.place(&Place::root(*x))).collect();
        let fields: Vec<syn::Index> = (0..live.len()).map(syn::Index::from).collect();
        let save = quote!((#(#p::ck_save(&#live),)*));
        let restore = quote!(#(#p::ck_restore(&mut #live, &#cks[__lz_s].#fields);)*);
        let adv = self.block(&c.advance);
        // Chunks `a..b` as iterations.
        let span_of = quote!((__lz_a * #ckn.1)..::core::cmp::min(__lz_b * #ckn.1, #ckn.0));
        // The actions both sweeps perform the same way on their live state.
        let common = quote!(
            #act::Save(__lz_s) => #p::ck_put(&mut #cks, __lz_s, #save),
            #act::Restore(__lz_s) => { #restore }
            #act::Advance(__lz_a, __lz_b) => {
                for #k in #span_of { #adv }
            }
        );
        let opt = |t: &Option<TokenStream>| match t {
            Some(t) => quote!(::std::option::Option::Some((#t) as usize)),
            None => quote!(::std::option::Option::None),
        };
        match c.part {
            CkptPart::Local => {
                let t = self.tape.clone().unwrap_or_else(naming::tape);
                let b = self.block(&c.reverse);
                quote!({
                    let mut __lz_lt = #p::TapeBuf::new();
                    let #t = &mut __lz_lt;
                    #b
                })
            }
            CkptPart::Decl => quote!(
                #[allow(unused_assignments)]
                let mut #ck = #p::Revolve::new(0, 1);
                let mut #cks = ::std::vec::Vec::new();
                let mut #ckl = ::std::option::Option::None;
                let mut #ckv = ::std::option::Option::None;
                #[allow(unused_assignments)]
                let mut #ckn = (0usize, 1usize);
            ),
            CkptPart::Fwd => {
                let steps = c.steps.map(|v| self.use_val(v)).unwrap_or_else(|| quote!(0usize));
                let (slots, chunk) = (opt(&c.slots), opt(&c.chunk));
                quote!({
                    #ckv = ::std::option::Option::Some((#(::core::clone::Clone::clone(&#vals),)*));
                    let __lz_n: usize = #steps;
                    let __lz_c = #p::ck_chunk(__lz_n, #chunk);
                    #ckn = (__lz_n, __lz_c);
                    let __lz_m = #p::ck_chunks(__lz_n, __lz_c);
                    #ck = #p::Revolve::new(__lz_m, #p::ck_slots(__lz_m, #slots));
                    // Where the iterations left after the schedule's first
                    // reversal start.
                    let mut __lz_from = __lz_n;
                    loop {
                        match #ck.next() {
                            #common
                            #act::Reverse(__lz_i) => {
                                #ck.defer(#act::Reverse(__lz_i));
                                #ckl = ::std::option::Option::Some(#save);
                                __lz_from = __lz_i * __lz_c;
                                break;
                            }
                            #act::Done => break,
                        }
                    }
                    for #k in __lz_from..__lz_n { #adv }
                })
            }
            CkptPart::Bwd => {
                let pats: Vec<syn::Ident> = c.state.iter().map(|x| naming::var(*x, &self.f.vars[*x].name)).collect();
                let rec = self.block(&c.record);
                let rev = self.block(&c.reverse);
                quote!(if let (::std::option::Option::Some((#(mut #pats,)*)), ::std::option::Option::Some((#(#vals,)*))) = (#ckl.take(), #ckv.take()) {
                    loop {
                        match #ck.next() {
                            #common
                            #act::Reverse(__lz_i) => {
                                let (__lz_a, __lz_b) = (__lz_i, __lz_i + 1);
                                for #k in #span_of { #rec }
                                for #k in (#span_of).rev() { #rev }
                            }
                            #act::Done => break,
                        }
                    }
                })
            }
        }
    }

    fn annot(&self, v: V) -> Option<TokenStream> {
        match self.f.values[v].ty {
            Ty::F => self.float.as_ref().map(|t| t.to_token_stream()),
            Ty::Bool => Some(quote!(bool)),
            Ty::Int => self.f.values[v].rty.as_ref().filter(|t| is_prim_int(t)).map(|t| t.to_token_stream()),
            _ => None,
        }
    }

    fn stmt(&self, s: &Stmt) -> TokenStream {
        match s {
            Stmt::Let { v, op } => {
                let e = self.op(*v, op);
                self.let_(*v, e)
            }
            Stmt::Store { place, val, acc } => {
                let e = self.place(place);
                let x = self.use_val(*val);
                match (acc, self.f.place_ty(place)) {
                    (false, _) => quote!(#e = #x;),
                    (true, Ty::F) => quote!(#e = #e + #x;),
                    (true, _) => quote!(::leibniz::__private::acc(&mut #e, &#x);),
                }
            }
            Stmt::Decl { var, init } => {
                let n = naming::var(*var, &self.f.vars[*var].name);
                let i = self.init(*var, init);
                match (&self.f.vars[*var].rty, &self.f.vars[*var].kind) {
                    (Some(t), VarKind::Local) if !is_ref_type(t) => quote!(let mut #n: #t = #i;),
                    _ => match (&self.f.vars[*var].shape, &self.float) {
                        (Shape::Scalar(Ty::F), Some(ft)) => quote!(let mut #n: #ft = #i;),
                        _ => quote!(let mut #n = #i;),
                    },
                }
            }
            Stmt::Push { var, val } => {
                let n = self.var_name(*var);
                let x = self.use_val(*val);
                quote!(#n.push(#x);)
            }
            Stmt::PopVec { var, out } => {
                let n = self.var_name(*var);
                match out {
                    Some(o) => self.let_(*o, quote!(::leibniz::__private::pop_back(&mut #n))),
                    None => quote!(let _ = #n.pop();),
                }
            }
            Stmt::Effect { tokens, deps } => self.subst(tokens, deps),
            Stmt::If { cond, then, els, phis } => {
                let c = self.val(*cond);
                let tb = self.block(then);
                let eb = self.block(els);
                match phis.len() {
                    0 => quote!(if #c { #tb } else { #eb }),
                    1 => {
                        let (t, e) = (self.use_val(phis[0].then), self.use_val(phis[0].els));
                        self.let_(phis[0].out, quote!(if #c { #tb #t } else { #eb #e }))
                    }
                    _ => {
                        let outs: Vec<syn::Ident> = phis.iter().map(|p| self.val(p.out)).collect();
                        let ts: Vec<TokenStream> = phis.iter().map(|p| self.use_val(p.then)).collect();
                        let es: Vec<TokenStream> = phis.iter().map(|p| self.use_val(p.els)).collect();
                        quote!(let (#(#outs,)*) = if #c { #tb (#(#ts,)*) } else { #eb (#(#es,)*) };)
                    }
                }
            }
            Stmt::For { idx, range, carried, body } => {
                let (pre, open, close, post) = self.carries(carried);
                let i = self.val(*idx);
                let (lo, hi) = (self.val(range.lo), self.val(range.hi));
                let r = match (range.inclusive, range.rev) {
                    (false, false) => quote!(#lo..#hi),
                    (true, false) => quote!(#lo..=#hi),
                    (false, true) => quote!((#lo..#hi).rev()),
                    (true, true) => quote!((#lo..=#hi).rev()),
                };
                let b = self.block(body);
                let annot = self.annot(*idx).map(|t| quote!(: #t)).unwrap_or_default();
                quote!(#pre for #i in #r { let #i #annot = #i; #open #b #close } #post)
            }
            Stmt::While { head, cond, carried, body, trips } => {
                let (pre, open, close, post) = self.carries(carried);
                let h = self.block(head);
                let c = self.val(*cond);
                let b = self.block(body);
                match trips {
                    Some(t) => {
                        let t = self.val(*t);
                        quote!(#pre let mut #t: usize = 0; loop { #open #h if !#c { break; } #b #t += 1; #close } #post)
                    }
                    None => quote!(#pre loop { #open #h if !#c { break; } #b #close } #post),
                }
            }
            Stmt::TapePush { vals } => {
                let t = self.tape.clone().unwrap_or_else(naming::tape);
                let xs: Vec<TokenStream> = vals.iter().map(|v| self.use_val(*v)).collect();
                quote!(#(::leibniz::__private::TapeBuf::push(#t, #xs);)*)
            }
            Stmt::TapePop { vals, wit } => {
                let t = self.tape.clone().unwrap_or_else(naming::tape);
                let mut out = TokenStream::new();
                for (k, v) in vals.iter().enumerate().rev() {
                    let id = self.val(*v);
                    if let Some(Some(w)) = wit.get(k) {
                        let b = self.block(&witness_block(&w.block));
                        let wv = self.val(w.val);
                        out.extend(quote!(let #id = ::leibniz::__private::TapePop::pop_like(#t, #[allow(unreachable_code, unused_variables, unused_mut)] || { #b #wv });));
                        continue;
                    }
                    let e = quote!(::leibniz::__private::TapePop::pop(#t));
                    out.extend(match (self.annot(*v), self.f.values[*v].ty) {
                        (Some(a), _) => quote!(let #id: #a = #e;),
                        // An integer nothing constrains is Rust's default.
                        (None, Ty::Int) => quote!(let #id: i32 = #e;),
                        (None, _) => match &self.f.values[*v].rty {
                            Some(r) if !r.to_token_stream().to_string().contains('&') => quote!(let #id: #r = #e;),
                            _ => quote!(let #id = #e;),
                        },
                    });
                }
                out
            }
            Stmt::TapePushPlace { place } => {
                let t = self.tape.clone().unwrap_or_else(naming::tape);
                let e = self.place(place);
                quote!(::leibniz::__private::TapeBuf::push_snapshot(#t, &#e);)
            }
            Stmt::TapePopPlace { var, wit, .. } => {
                let t = self.tape.clone().unwrap_or_else(naming::tape);
                let n = naming::var(*var, &self.f.vars[*var].name);
                match wit {
                    Some(w) => {
                        let b = self.block(&witness_block(&w.block));
                        let wv = self.val(w.val);
                        quote!(let mut #n = ::leibniz::__private::TapePop::pop_like(#t, #[allow(unreachable_code, unused_variables, unused_mut)] || { #b #wv });)
                    }
                    None => {
                        let f = self.float.clone().map(|t| t.to_token_stream()).unwrap_or_else(|| quote!(f64));
                        quote!(let mut #n: ::std::vec::Vec<#f> = ::leibniz::__private::TapePop::pop(#t);)
                    }
                }
            }
            Stmt::AccPat { var, pat, val } => {
                let n = self.var_name(*var);
                let x = self.use_val(*val);
                let b = naming::named("__lz_bind");
                quote!(if let #pat = &mut #n { ::leibniz::__private::acc(#b, &#x); })
            }
            Stmt::Ckpt(c) => self.ckpt(c),
        }
    }

    /// Carried values as mutable variables: declared before the loop, read
    /// into the phis at the start of an iteration, assigned at its end, read
    /// into the outputs after.
    fn carries(&self, carried: &[Carry]) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
        let mut pre = TokenStream::new();
        let mut open = TokenStream::new();
        let mut close = TokenStream::new();
        let mut post = TokenStream::new();
        for c in carried {
            let slot = naming::indexed("__c", c.phi);
            let init = self.use_val(c.init);
            let annot = self.annot(c.phi).map(|t| quote!(: #t)).unwrap_or_default();
            pre.extend(quote!(let mut #slot #annot = #init;));
            let phi = self.val(c.phi);
            let rd = match self.f.values[c.phi].ty {
                Ty::Val => quote!(::core::clone::Clone::clone(&#slot)),
                _ => quote!(#slot),
            };
            open.extend(quote!(let #phi #annot = #rd;));
            let next = self.use_val(c.next);
            close.extend(quote!(#slot = #next;));
            let out = self.val(c.out);
            post.extend(quote!(let #out #annot = #slot;));
        }
        (pre, open, close, post)
    }
}

fn ends_in_slice(p: &Place) -> bool {
    matches!(p.path.last(), Some(Proj::Slice(..)))
}

fn bin_tok(b: BinOp) -> TokenStream {
    match b {
        BinOp::Add => quote!(+),
        BinOp::Sub => quote!(-),
        BinOp::Mul => quote!(*),
        BinOp::Div => quote!(/),
        BinOp::Rem => quote!(%),
        BinOp::BitAnd => quote!(&),
        BinOp::BitOr => quote!(|),
        BinOp::BitXor => quote!(^),
        BinOp::Shl => quote!(<<),
        BinOp::Shr => quote!(>>),
        BinOp::Eq => quote!(==),
        BinOp::Ne => quote!(!=),
        BinOp::Lt => quote!(<),
        BinOp::Le => quote!(<=),
        BinOp::Gt => quote!(>),
        BinOp::Ge => quote!(>=),
    }
}

/// `path::name` with the entry's suffix on the last segment.
impl Env<'_> {
    /// A method call may fall back on a rule registered for the method's
    /// name when its receiver cannot be the receiver of a `&mut self`
    /// method (a value, or a place behind a shared reference): a fallback
    /// taking `&self` would otherwise be found before a real `&mut self`
    /// entry point by method resolution.
    fn method_fallback_ok(&self, c: &Call) -> bool {
        match c.args.first() {
            Some(Arg::Val(_)) => true,
            Some(Arg::Recv(p)) | Some(Arg::Ref(p)) => matches!(self.f.vars[p.var].kind, VarKind::Param { by: By::Ref, .. }),
            _ => false,
        }
    }
}

/// The module whose items a call `p::g(..)` may find `g`'s entry points in
/// (`self` for a bare `g`), or `None` when the call is type-relative
/// (`Self::g`, `Vec3::new`, `T::g`) or has generic arguments: those call the
/// entry points at the path directly.
fn fallback_prefix(p: &syn::Path) -> Option<TokenStream> {
    if p.segments.iter().any(|s| !matches!(s.arguments, syn::PathArguments::None)) {
        return None;
    }
    let n = p.segments.len();
    if n == 1 {
        if p.leading_colon.is_some() {
            return None;
        }
        let sp = p.segments[0].ident.span();
        return Some(quote_spanned!(sp=> self));
    }
    for s in p.segments.iter().take(n - 1) {
        let id = s.ident.to_string();
        let first = id.chars().next().unwrap_or('_');
        if first.is_uppercase() || PRIMITIVES.contains(&id.as_str()) {
            return None;
        }
    }
    let segs: Vec<&syn::Ident> = p.segments.iter().take(n - 1).map(|s| &s.ident).collect();
    let lead = p.leading_colon.map(|_| quote!(::));
    Some(quote!(#lead #(#segs)::*))
}

const PRIMITIVES: &[&str] = &["f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "bool", "char", "str"];

use crate::expand::registry::registry_trait;

/// `g(..)` through a rule when `g` has no entry points of its own: the
/// fallback entry is an item of an outer block, the module of `g` is
/// glob-imported in an inner block, so that `g`'s own entry point, when it
/// exists, shadows the fallback.
fn path_fallback(p: &syn::Path, prefix: TokenStream, e: Entry, args: &[TokenStream], span: Span) -> TokenStream {
    let Some(last) = p.segments.last() else { return TokenStream::new() };
    let name = &last.ident;
    let entry = naming::entry_at(name, e, span);
    let key = naming::key(&name.to_string());
    let tr = registry_trait(e);
    let tys: Vec<syn::Ident> = (0..args.len()).map(|k| naming::indexed("__LzA", k)).collect();
    let xs: Vec<syn::Ident> = (0..args.len()).map(|k| naming::indexed("__lza", k)).collect();
    // Temporaries located at their argument, so that errors about an
    // argument point at the user's tokens.
    let ts: Vec<syn::Ident> = args
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let at = a.clone().into_iter().last().map(|t| t.span()).unwrap_or_else(Span::call_site);
            syn::Ident::new(&format!("__lzt{k}"), Span::mixed_site().located_at(at))
        })
        .collect();
    let m = naming::named("__LzM");
    let allow = crate::expand::allow();
    let reg = quote!(::leibniz::__private::registry);
    let n = syn::Ident::new(&name.to_string(), name.span());
    quote_spanned! {span=>
        {
            #[allow(non_camel_case_types, dead_code)]
            struct #n {}
            #allow
            #[inline(always)]
            fn #entry<#m, #(#tys),*>(#(#xs: #tys),*) -> <#reg::Key<#key> as #reg::#tr<#m, (#(#tys,)*), #n>>::Out
            where #reg::Key<#key>: #reg::#tr<#m, (#(#tys,)*), #n>
            {
                <#reg::Key<#key> as #reg::#tr<#m, (#(#tys,)*), #n>>::call((#(#xs,)*))
            }
            // The arguments are evaluated here: in the inner block, the glob
            // import could shadow the user's names they mention.
            #(let #ts = #args;)*
            {
                #[allow(unused_imports)]
                use #prefix::*;
                #entry(#(#ts),*)
            }
        }
    }
}

/// `recv.g(..)` through a rule registered for the method name: a trait of
/// the block, implemented for every type, whose method inherent entry
/// points shadow.
fn method_fallback(m: &syn::Ident, e: Entry, recv: &TokenStream, args: &[TokenStream], span: Span) -> TokenStream {
    let entry = naming::entry_at(m, e, span);
    let key = naming::key(&m.to_string());
    let tr = registry_trait(e);
    let tys: Vec<syn::Ident> = (0..args.len()).map(|k| naming::indexed("__LzA", k)).collect();
    let xs: Vec<syn::Ident> = (0..args.len()).map(|k| naming::indexed("__lza", k)).collect();
    let mk = naming::named("__LzM");
    let lt = syn::Lifetime::new("'__lzs", Span::mixed_site());
    let allow = crate::expand::allow();
    let reg = quote!(::leibniz::__private::registry);
    let n = syn::Ident::new(&m.to_string(), m.span());
    let trait_name = format_ident!("__LzMethodRule_{}", m);
    let t = naming::named("__LzT");
    quote_spanned! {span=>
        {
            #[allow(non_camel_case_types, dead_code)]
            struct #n {}
            #allow
            trait #trait_name {
                fn #entry<#lt, #mk, #(#tys),*>(&#lt self, #(#xs: #tys),*) -> <#reg::MethodKey<#key> as #reg::#tr<#mk, (&#lt Self, #(#tys,)*), #n>>::Out
                where #reg::MethodKey<#key>: #reg::#tr<#mk, (&#lt Self, #(#tys,)*), #n>;
            }
            #allow
            impl<#t: ?Sized> #trait_name for #t {
                #[inline(always)]
                fn #entry<#lt, #mk, #(#tys),*>(&#lt self, #(#xs: #tys),*) -> <#reg::MethodKey<#key> as #reg::#tr<#mk, (&#lt Self, #(#tys,)*), #n>>::Out
                where #reg::MethodKey<#key>: #reg::#tr<#mk, (&#lt Self, #(#tys,)*), #n>
                {
                    <#reg::MethodKey<#key> as #reg::#tr<#mk, (&#lt Self, #(#tys,)*), #n>>::call((self, #(#xs,)*))
                }
            }
            #recv.#entry(#(#args),*)
        }
    }
}

pub fn entry_path(p: &syn::Path, e: Entry, span: Span) -> syn::Path {
    let mut p = p.clone();
    if let Some(last) = p.segments.last_mut() {
        last.ident = naming::entry_at(&last.ident, e, span);
    }
    p
}

fn is_prim_int(t: &syn::Type) -> bool {
    match t {
        syn::Type::Path(p) => p.path.get_ident().is_some_and(|i| ["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"].contains(&i.to_string().as_str())),
        _ => false,
    }
}

fn is_ref_type(t: &syn::Type) -> bool {
    matches!(t, syn::Type::Reference(_))
}

/// Float literals: `inf`/`NaN` are not literals.
fn fix_lit(l: proc_macro2::Literal, x: f64, suffix: &str) -> TokenStream {
    if x.is_finite() {
        return quote!(#l);
    }
    let ty = if suffix.is_empty() { quote!(f64) } else { syn::Ident::new(suffix, Span::call_site()).to_token_stream() };
    if x.is_nan() {
        quote!(#ty::NAN)
    } else if x > 0.0 {
        quote!(#ty::INFINITY)
    } else {
        quote!(#ty::NEG_INFINITY)
    }
}

/// A type witness's block with its `&mut` call arguments borrowed shared
/// (`__private::witness_mut(&x)`): the witness is never called, and two
/// `&mut` of one place in a call (`split_at_mut` halves replaced by their
/// shadow) or a `&mut` captured across loop iterations would not borrow-check.
fn witness_block(b: &Block) -> Block {
    let mut b = b.clone();
    fn go(b: &mut Block) {
        for s in &mut b.stmts {
            match s {
                Stmt::Let { op: Op::Call(c), .. } => {
                    for a in &mut c.args {
                        if let Arg::Mut(p) | Arg::Reborrow(p) = a {
                            let d = naming::dep(0);
                            *a = Arg::Tokens(quote!(::leibniz::__private::witness_mut(&#d)), vec![Dep::Place(p.clone())]);
                        }
                    }
                }
                Stmt::If { then, els, .. } => {
                    go(then);
                    go(els);
                }
                Stmt::For { body, .. } => go(body),
                Stmt::While { head, body, .. } => {
                    go(head);
                    go(body);
                }
                _ => {}
            }
        }
    }
    go(&mut b);
    b
}
