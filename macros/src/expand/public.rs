//! The public API (DESIGN §2): `f_jvp`, `f_vjp`, `f_grad`, `f_derivative`,
//! `f_record`, `f_pullback`, thin wrappers over the entry points.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use super::{Fun, allow};
use crate::front::sig::{Param, Ret, Role};
use crate::ir::*;
use crate::naming;

impl Fun<'_> {
    pub(super) fn doc(&self, what: &str) -> TokenStream {
        let s = format!(" {what} of [`{}`]. Emitted by `#[differentiable]`.", self.name);
        quote!(#[doc = #s])
    }

    pub(super) fn wrap(&self, name: &syn::Ident, doc: &str, gp: TokenStream, decls: Vec<TokenStream>, ret: TokenStream, body: TokenStream) -> TokenStream {
        let vis = self.vis;
        let wc = self.where_clause();
        let allow = allow();
        let cfg = &self.cfg;
        let doc = self.doc(doc);
        quote! {
            #cfg
            #doc
            #allow
            #[inline]
            #vis fn #name #gp (#(#decls),*) -> #ret #wc {
                #body
            }
        }
    }

    pub(super) fn one(&self) -> TokenStream {
        match &self.float {
            Some(t) => quote!(<#t as ::leibniz::__private::One>::one()),
            None => quote!(1.0),
        }
    }

    /// The argument passing a parameter to a forward entry (`fwd`, `jvp`):
    /// by value a clone, by reference a reborrow.
    pub(super) fn pass_fwd(&self, p: &Param) -> TokenStream {
        let n = self.param_name(p);
        if matches!(p.role, Role::Func) {
            return quote!(&#n);
        }
        match p.role.by() {
            By::Value => quote!(::core::clone::Clone::clone(&#n)),
            By::Ref => quote!(&*#n),
            By::Mut => quote!(&mut *#n),
        }
    }

    /// The argument passing a parameter to the backward entry (moved).
    pub(super) fn pass_bwd(&self, p: &Param) -> Option<TokenStream> {
        let n = self.param_name(p);
        if matches!(p.role, Role::Func) {
            return Some(quote!(&#n));
        }
        match p.role.by() {
            By::Value => Some(quote!(#n)),
            By::Ref => Some(quote!(&*#n)),
            By::Mut if p.is_self => Some(quote!(&*#n)),
            By::Mut => Some(quote!(::leibniz::__private::ZeroTan)),
        }
    }

    pub(super) fn call_entry(&self, e: Entry, args: Vec<TokenStream>) -> TokenStream {
        let id = self.entry(e);
        let p = self.call_path(&id);
        quote!(#p(#(#args),*))
    }

    /// The by-value active parameters (their adjoints are returned).
    pub(super) fn by_value_actives(&self) -> Vec<usize> {
        self.sig.params.iter().enumerate().filter(|(_, p)| p.active && p.role.by() == By::Value).map(|(k, _)| k).collect()
    }

    pub(super) fn tuple_or_bare(xs: Vec<TokenStream>) -> TokenStream {
        match xs.len() {
            0 => quote!(()),
            1 => xs[0].clone(),
            _ => quote!((#(#xs),*)),
        }
    }

    /// The public tangent type of a parameter: its own type, arrays by
    /// reference as slices.
    pub(super) fn pub_tan_ty(&self, p: &Param) -> TokenStream {
        match p.role.by() {
            By::Value => self.adjoint_ty(p),
            By::Ref => {
                let r = self.slot_referent(p);
                quote!(&#r)
            }
            By::Mut => {
                let r = self.slot_referent(p);
                quote!(&mut #r)
            }
        }
    }

    pub(super) fn adjoint_ty(&self, p: &Param) -> TokenStream {
        if p.is_self { quote!(Self) } else { p.ty.to_token_stream() }
    }

    /// The public API; `fused`: `_grad` and `_vjp` call the fused reverse
    /// mode `f__lz_vjpc` (emitted beside) instead of the two sweeps.
    pub fn public_fused(&self, seeds: &[bool], second: bool, fused: bool, lanes: bool) -> TokenStream {
        let mut out = TokenStream::new();
        out.extend(self.pub_jvp(seeds));
        if self.has_jvp_batch() {
            out.extend(self.pub_jvp_batch(lanes));
        }
        out.extend(self.pub_vjp(seeds, fused));
        if self.sig.ret == Ret::Scalar {
            out.extend(self.pub_grad(seeds, fused));
        }
        let actives: Vec<&Param> = self.sig.params.iter().filter(|p| p.active).collect();
        if actives.len() == 1 && matches!(actives[0].role, Role::Scalar) {
            out.extend(self.pub_derivative(seeds));
        }
        // Functions with function parameters: no tapes or dense matrices
        // (their wrappers would store or call the function itself).
        let has_fn = self.sig.params.iter().any(|p| matches!(p.role, Role::Func));
        if !has_fn {
            out.extend(self.pub_record());
            out.extend(self.pub_pullback(seeds));
            out.extend(self.pub_jacobian(lanes));
        }
        if second && self.sig.ret == Ret::Scalar {
            out.extend(self.pub_hvp());
            if !self.has_mut_params() && !has_fn {
                out.extend(self.pub_hessian());
                if actives.len() == 1 && matches!(actives[0].role, Role::Scalar) {
                    out.extend(self.pub_second_derivative());
                }
            }
        }
        out
    }

    fn pub_jvp(&self, seeds: &[bool]) -> TokenStream {
        let mut decls = Vec::new();
        let mut args = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            let n = self.param_name(p);
            args.push(match p.role.by() {
                By::Value => quote!(#n),
                By::Ref => quote!(&*#n),
                By::Mut => quote!(&mut *#n),
            });
            if !self.has_slot(p) {
                continue;
            }
            if p.active {
                let d = self.tan_name(k);
                let ty = self.pub_tan_ty(p);
                decls.push(quote!(#d: #ty));
                args.push(quote!(#d));
            } else {
                args.push(quote!(::leibniz::__private::ZeroTan));
            }
        }
        let _ = seeds;
        let call = self.call_entry(Entry::Jvp, args);
        let name = naming::public(self.name, "jvp");
        let rty = self.ret_ty();
        if self.is_unit() {
            self.wrap(&name, "Forward mode (JVP): the tangents of the `&mut` parameters are the output", self.gen_params(), decls, quote!(()), quote!(let _ = #call;))
        } else {
            self.wrap(&name, "Forward mode (JVP): the value and its tangent", self.gen_params(), decls, quote!((#rty, #rty)), call)
        }
    }

    fn pub_vjp(&self, _seeds: &[bool], fused: bool) -> TokenStream {
        let mut decls = Vec::new();
        let mut fwd_args = Vec::new();
        let mut bwd_args = Vec::new();
        let mut zeros = TokenStream::new();
        let mut rets = Vec::new();
        let mut ret_tys = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            fwd_args.push(self.pass_fwd(p));
            if let Some(a) = self.pass_bwd(p) {
                bwd_args.push(a);
            }
            if !self.has_slot(p) {
                continue;
            }
            if !p.active {
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
                continue;
            }
            match p.role.by() {
                By::Value => {
                    let a = naming::indexed("__a", k);
                    let n = self.param_name(p);
                    zeros.extend(quote!(let mut #a = ::leibniz::__private::zero_like(&#n);));
                    bwd_args.push(quote!(&mut #a));
                    rets.push(quote!(#a));
                    ret_tys.push(self.adjoint_ty(p));
                }
                _ => {
                    let b = self.shadow_name(k);
                    let r = self.slot_referent(p);
                    decls.push(quote!(#b: &mut #r));
                    bwd_args.push(quote!(&mut *#b));
                }
            }
        }
        let rty = self.ret_ty();
        let dout = naming::named("__dout");
        if self.is_unit() {
            bwd_args.push(quote!(()));
        } else {
            decls.push(quote!(#dout: #rty));
            bwd_args.push(quote!(#dout));
        }
        let t = naming::named("__tape");
        fwd_args.push(quote!(&mut #t));
        bwd_args.push(quote!(&mut #t.reader()));
        let a = Self::tuple_or_bare(rets);
        let aty = Self::tuple_or_bare(ret_tys);
        let name = naming::public(self.name, "vjp");
        let (ret, result) = if self.is_unit() { (aty, a) } else { (quote!((#rty, #aty)), quote!((__r, #a))) };
        let r = naming::named("__r");
        let result = if self.is_unit() { result } else { replace_r(result, &r) };
        let body = if fused && !self.is_unit() {
            bwd_args.pop();
            let id = self.vjpc_name();
            let p = self.call_path(&id);
            quote! {
                #zeros
                let #r = #p(#(#bwd_args),*);
                #result
            }
        } else {
            let fwd = self.call_entry(Entry::Fwd, fwd_args);
            let bwd = self.call_entry(Entry::Bwd, bwd_args);
            quote! {
                let mut #t = ::leibniz::__private::TapeBuf::new();
                #zeros
                let #r = #fwd;
                #bwd;
                #result
            }
        };
        self.wrap(&name, "Reverse mode (VJP): the value, shadows receive `+=` the adjoints of the by-reference parameters, the adjoints of the by-value ones are returned", self.gen_params(), decls, ret, body)
    }

    fn pub_grad(&self, _seeds: &[bool], fused: bool) -> TokenStream {
        let mut decls = Vec::new();
        let mut fwd_args = Vec::new();
        let mut bwd_args = Vec::new();
        let mut zeros = TokenStream::new();
        let mut rets = Vec::new();
        let mut ret_tys = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            fwd_args.push(self.pass_fwd(p));
            if let Some(a) = self.pass_bwd(p) {
                bwd_args.push(a);
            }
            if !self.has_slot(p) {
                continue;
            }
            if !p.active {
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
                continue;
            }
            let a = naming::indexed("__a", k);
            let n = self.param_name(p);
            match p.role.by() {
                By::Value => {
                    zeros.extend(quote!(let mut #a = ::leibniz::__private::zero_like(&#n);));
                    ret_tys.push(self.adjoint_ty(p));
                }
                _ => {
                    let r = self.slot_referent(p);
                    zeros.extend(quote!(let mut #a = ::leibniz::__private::zero_owned::<#r>(&*#n);));
                    let _ = &r;
                    ret_tys.push(self.owned_adjoint_ty(p));
                }
            }
            bwd_args.push(quote!(&mut #a));
            rets.push(quote!(#a));
        }
        let one = self.one();
        bwd_args.push(one);
        let t = naming::named("__tape");
        fwd_args.push(quote!(&mut #t));
        bwd_args.push(quote!(&mut #t.reader()));
        let g = Self::tuple_or_bare(rets);
        let gty = Self::tuple_or_bare(ret_tys);
        let rty = self.ret_ty();
        let r = naming::named("__r");
        let body = if fused {
            bwd_args.pop();
            let id = self.vjpc_name();
            let p = self.call_path(&id);
            quote! {
                #zeros
                let #r = #p(#(#bwd_args),*);
                (#r, #g)
            }
        } else {
            let fwd = self.call_entry(Entry::Fwd, fwd_args);
            let bwd = self.call_entry(Entry::Bwd, bwd_args);
            quote! {
                let mut #t = ::leibniz::__private::TapeBuf::new();
                #zeros
                let #r = #fwd;
                #bwd;
                (#r, #g)
            }
        };
        let name = naming::public(self.name, "grad");
        self.wrap(&name, "The value and the gradient (reverse mode), one entry per active parameter", self.gen_params(), decls, quote!((#rty, #gty)), body)
    }

    fn pub_derivative(&self, _seeds: &[bool]) -> TokenStream {
        let mut decls = Vec::new();
        let mut args = Vec::new();
        for p in &self.sig.params {
            decls.push(self.decl(p));
            let n = self.param_name(p);
            args.push(match p.role.by() {
                By::Value => quote!(#n),
                By::Ref => quote!(&*#n),
                By::Mut => quote!(&mut *#n),
            });
            if !self.has_slot(p) {
                continue;
            }
            if p.active {
                args.push(self.one());
            } else {
                args.push(quote!(::leibniz::__private::ZeroTan));
            }
        }
        let call = self.call_entry(Entry::Jvp, args);
        let rty = self.ret_ty();
        let name = naming::public(self.name, "derivative");
        self.wrap(&name, "The derivative with respect to the one active scalar", self.gen_params(), decls, rty, quote!(#call.1))
    }

    /// The inputs the backward sweep needs, as they are kept in a tape:
    /// (type, expression in `f_record`) per parameter.
    fn tape_inputs(&self, lts: &[Option<syn::Lifetime>]) -> Vec<(usize, TokenStream, TokenStream)> {
        let mut out = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            let n = self.param_name(p);
            match p.role.by() {
                By::Value => {
                    let ty = match &lts[k] {
                        Some(l) if !p.is_self => name_elided(&p.ty, l).to_token_stream(),
                        _ => self.adjoint_ty(p),
                    };
                    out.push((k, ty, quote!(#n)));
                }
                By::Ref | By::Mut if p.is_self => {
                    let lt = lts[k].clone();
                    out.push((k, quote!(&#lt Self), quote!(&*#n)));
                }
                By::Ref => {
                    let lt = lts[k].clone();
                    let r = named_referent(p);
                    out.push((k, quote!(&#lt #r), quote!(&*#n)));
                }
                By::Mut => {}
            }
        }
        out
    }

    /// Named lifetimes for the references of the parameters.
    fn param_lifetimes(&self) -> (Vec<Option<syn::Lifetime>>, Vec<syn::Lifetime>) {
        let mut per = Vec::new();
        let mut all = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            match p.role.by() {
                By::Ref | By::Mut => {
                    let existing = match &p.ty {
                        syn::Type::Reference(r) => r.lifetime.clone(),
                        _ => None,
                    };
                    match existing {
                        Some(l) => per.push(Some(l)),
                        None => {
                            let l = syn::Lifetime::new(&format!("'__lz{k}"), Span::call_site());
                            all.push(l.clone());
                            per.push(Some(l));
                        }
                    }
                }
                // A value whose type has an elided lifetime
                // (`ArrayView1<'_, f64>`): named, since the tape's type
                // holds it.
                By::Value if !p.is_self && has_elided(&p.ty) => {
                    let l = syn::Lifetime::new(&format!("'__lz{k}"), Span::call_site());
                    all.push(l.clone());
                    per.push(Some(l));
                }
                By::Value => per.push(None),
            }
        }
        (per, all)
    }

    fn lt_decl(&self, p: &Param, lt: &Option<syn::Lifetime>) -> TokenStream {
        let n = &p.ident;
        match (p.is_self, p.role.by(), lt) {
            (true, By::Ref, Some(l)) => quote!(&#l self),
            (true, By::Mut, Some(l)) => quote!(&#l mut self),
            (false, By::Ref, Some(l)) => {
                let r = named_referent(p);
                quote!(#n: &#l #r)
            }
            (false, By::Mut, Some(l)) => {
                let r = named_referent(p);
                quote!(#n: &#l mut #r)
            }
            (false, By::Value, Some(l)) => {
                let t = name_elided(&p.ty, l);
                let m = p.mutable.then(|| quote!(mut));
                quote!(#m #n: #t)
            }
            _ => self.decl(p),
        }
    }

    fn lt_generics(&self, lts: &[syn::Lifetime]) -> TokenStream {
        let mut g = self.generics.clone();
        for l in lts.iter().rev() {
            g.params.insert(0, syn::GenericParam::Lifetime(syn::LifetimeParam::new(l.clone())));
        }
        let p = &g.params;
        if p.is_empty() { TokenStream::new() } else { quote!(<#p>) }
    }

    fn pub_record(&self) -> TokenStream {
        let (per, all) = self.param_lifetimes();
        let mut decls = Vec::new();
        let mut fwd_args = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.lt_decl(p, &per[k]));
            fwd_args.push(self.pass_fwd(p));
        }
        let inputs = self.tape_inputs(&per);
        let tys: Vec<&TokenStream> = inputs.iter().map(|i| &i.1).collect();
        let exprs: Vec<&TokenStream> = inputs.iter().map(|i| &i.2).collect();
        let t = naming::named("__tape");
        fwd_args.push(quote!(&mut #t));
        let fwd = self.call_entry(Entry::Fwd, fwd_args);
        let rty = self.ret_ty();
        let r = naming::named("__r");
        let body = quote! {
            let mut #t = ::leibniz::__private::TapeBuf::new();
            let #r = #fwd;
            (#r, ::leibniz::Tape::__new(#t, (#(#exprs,)*)))
        };
        let name = naming::public(self.name, "record");
        self.wrap(&name, "Runs the forward sweep once and keeps the tape; pull back cotangents with `_pullback`", self.lt_generics(&all), decls, quote!((#rty, ::leibniz::Tape<(#(#tys,)*)>)), body)
    }

    fn pub_pullback(&self, _seeds: &[bool]) -> TokenStream {
        let (per, all) = self.param_lifetimes();
        let inputs = self.tape_inputs(&per);
        let tys: Vec<&TokenStream> = inputs.iter().map(|i| &i.1).collect();
        let tape = naming::named("__tape_in");
        let mut decls = vec![quote!(#tape: &::leibniz::Tape<(#(#tys,)*)>)];
        let ins: Vec<syn::Ident> = inputs.iter().map(|i| naming::indexed("__in", i.0)).collect();
        let mut bwd_args = Vec::new();
        let mut zeros = TokenStream::new();
        let mut rets = Vec::new();
        let mut ret_tys = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            let pos = inputs.iter().position(|i| i.0 == k);
            if let Some(pos) = pos {
                let i = &ins[pos];
                bwd_args.push(match p.role.by() {
                    By::Value => quote!(::core::clone::Clone::clone(#i)),
                    _ => quote!(*#i),
                });
            } else if p.role.by() == By::Mut && !p.is_self {
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
            }
            if !self.has_slot(p) {
                continue;
            }
            if !p.active {
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
                continue;
            }
            match p.role.by() {
                By::Value => {
                    let a = naming::indexed("__a", k);
                    let i = pos.map(|x| ins[x].clone());
                    zeros.extend(quote!(let mut #a = ::leibniz::__private::zero_like(#i);));
                    bwd_args.push(quote!(&mut #a));
                    rets.push(quote!(#a));
                    ret_tys.push(self.adjoint_ty(p));
                }
                _ => {
                    let b = self.shadow_name(k);
                    let r = self.slot_referent(p);
                    decls.push(quote!(#b: &mut #r));
                    bwd_args.push(quote!(&mut *#b));
                }
            }
        }
        let rty = self.ret_ty();
        let dout = naming::named("__dout");
        if self.is_unit() {
            bwd_args.push(quote!(()));
        } else {
            decls.push(quote!(#dout: #rty));
            bwd_args.push(quote!(#dout));
        }
        let buf = naming::named("__buf");
        bwd_args.push(quote!(&mut #buf.reader()));
        let bwd = self.call_entry(Entry::Bwd, bwd_args);
        let a = Self::tuple_or_bare(rets);
        let aty = Self::tuple_or_bare(ret_tys);
        let parts = naming::named("__inputs");
        let body = quote! {
            let (#buf, #parts) = #tape.__parts();
            let (#(#ins,)*) = #parts;
            #zeros
            #bwd;
            #a
        };
        let name = naming::public(self.name, "pullback");
        let vis = self.vis;
        let wc = self.where_clause();
        let allow = allow();
        let cfg = &self.cfg;
        let doc = self.doc("One backward sweep over a tape recorded by `_record`");
        let gp = self.lt_generics(&all);
        let _ = vis;
        quote! {
            #cfg
            #doc
            #allow
            #[inline]
            #vis fn #name #gp (#(#decls),*) -> #aty #wc {
                #body
            }
        }
    }
}

/// The referent type of a reference parameter, its elided lifetimes kept.
fn named_referent(p: &Param) -> TokenStream {
    match &p.ty {
        syn::Type::Reference(r) => r.elem.to_token_stream(),
        t => t.to_token_stream(),
    }
}

fn replace_r(t: TokenStream, r: &syn::Ident) -> TokenStream {
    use proc_macro2::TokenTree;
    t.into_iter()
        .map(|tt| match tt {
            TokenTree::Ident(id) if id == "__r" => TokenTree::Ident(r.clone()),
            TokenTree::Group(g) => {
                let mut ng = proc_macro2::Group::new(g.delimiter(), replace_r(g.stream(), r));
                ng.set_span(g.span());
                TokenTree::Group(ng)
            }
            o => o,
        })
        .collect()
}

/// Whether a type has an elided lifetime `'_`.
fn has_elided(ty: &syn::Type) -> bool {
    struct Find(bool);
    impl<'a> syn::visit::Visit<'a> for Find {
        fn visit_lifetime(&mut self, l: &'a syn::Lifetime) {
            self.0 |= l.ident == "_";
        }
    }
    let mut f = Find(false);
    syn::visit::Visit::visit_type(&mut f, ty);
    f.0
}

/// The type with its elided lifetimes `'_` named `l`.
fn name_elided(ty: &syn::Type, l: &syn::Lifetime) -> syn::Type {
    struct Name<'l>(&'l syn::Lifetime);
    impl syn::visit_mut::VisitMut for Name<'_> {
        fn visit_lifetime_mut(&mut self, x: &mut syn::Lifetime) {
            if x.ident == "_" {
                *x = self.0.clone();
            }
        }
    }
    let mut t = ty.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut Name(l), &mut t);
    t
}
