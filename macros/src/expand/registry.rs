//! Registration of a function's entry points in the rule registry
//! (`leibniz::__private::registry`): one implementation of the registry
//! trait of each entry point for `Key<hash(name)>`, with a marker type of
//! the function's own. Calls that do not see the function's entry points at
//! the path they use (`use m::g; g(x)`, a function declared inside another
//! function's body, a rule for a foreign function) find them through it.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;

use super::{EntrySig, Fun, allow};
use crate::ir::Entry;
use crate::naming;

/// Gives every elided lifetime (`&T`, `'_`) a fresh name.
pub(super) struct NameLifetimes {
    pub(super) fresh: Vec<syn::Lifetime>,
}

impl NameLifetimes {
    pub(super) fn next(&mut self) -> syn::Lifetime {
        let l = syn::Lifetime::new(&format!("'__lzl{}", self.fresh.len()), Span::mixed_site());
        self.fresh.push(l.clone());
        l
    }
}

impl VisitMut for NameLifetimes {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(self.next());
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, l: &mut syn::Lifetime) {
        if l.ident == "_" {
            *l = self.next();
        }
    }
    fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {}
}

/// The registry trait whose implementations give entry point `e`.
pub(crate) fn registry_trait(e: Entry) -> TokenStream {
    match e {
        Entry::Jvp => quote!(RuleJvp),
        Entry::Fwd => quote!(RuleFwd),
        Entry::Bwd => quote!(RuleBwd),
        Entry::FwdJvp => quote!(RuleFwdJvp),
        Entry::BwdJvp => quote!(RuleBwdJvp),
        Entry::Primal => quote!(RuleJvp),
    }
}

/// The registry implementation of one entry point with the signature
/// `sig`, calling `callee`. `key` is `Key<..>` or `MethodKey<..>`;
/// `generics` the function's own.
/// `recv_by_value`: the first argument is a method receiver the method
/// takes by value; method fallbacks pass receivers by reference, so the
/// implementation takes a reference and clones.
#[allow(clippy::too_many_arguments)]
pub fn entry_impl(sig: &EntrySig, callee: &TokenStream, key: &TokenStream, marker: &TokenStream, generics: &syn::Generics, where_clause: &TokenStream, cfg: &TokenStream, recv_by_value: bool) -> Option<TokenStream> {
    let mut lts = NameLifetimes { fresh: Vec::new() };
    let mut extra: Vec<TokenStream> = Vec::new();
    let mut pats = Vec::new();
    let mut tys = Vec::new();
    let mut args = Vec::new();
    for (k, d) in sig.decls.iter().enumerate() {
        let pt: syn::PatType = syn::parse2(d.clone()).ok()?;
        let syn::Pat::Ident(pi) = &*pt.pat else { return None };
        let id = pi.ident.clone();
        let g = format_ident!("__LzS{}", k, span = Span::mixed_site());
        match &*pt.ty {
            syn::Type::ImplTrait(it) => {
                let b = &it.bounds;
                extra.push(quote!(#g: #b));
                tys.push(quote!(#g));
                pats.push(quote!(#id));
                args.push(quote!(#id));
            }
            // Slices accept `&Vec<T>` and `&[T; N]` too, unless the element
            // names a generic parameter (it must appear in the arguments).
            syn::Type::Reference(r) if matches!(&*r.elem, syn::Type::Slice(_)) && !mentions_generic(&r.elem, generics) => {
                let elem = &r.elem;
                if r.mutability.is_some() {
                    extra.push(quote!(#g: ::core::convert::AsMut<#elem>));
                    pats.push(quote!(mut #id));
                    args.push(quote!(::core::convert::AsMut::<#elem>::as_mut(&mut #id)));
                } else {
                    extra.push(quote!(#g: ::core::convert::AsRef<#elem>));
                    pats.push(quote!(#id));
                    args.push(quote!(::core::convert::AsRef::<#elem>::as_ref(&#id)));
                }
                tys.push(quote!(#g));
            }
            t if recv_by_value && k == 0 => {
                let mut t = t.clone();
                lts.visit_type_mut(&mut t);
                let l = lts.next();
                tys.push(quote!(&#l #t));
                pats.push(quote!(#id));
                args.push(quote!(::core::clone::Clone::clone(#id)));
            }
            t => {
                let mut t = t.clone();
                lts.visit_type_mut(&mut t);
                tys.push(t.to_token_stream());
                let m = pi.mutability;
                pats.push(quote!(#m #id));
                args.push(quote!(#id));
            }
        }
    }
    let mut ret: syn::Type = syn::parse2(sig.ret.clone()).ok()?;
    let before = lts.fresh.len();
    lts.visit_type_mut(&mut ret);
    if lts.fresh.len() != before {
        // A result borrowing from an argument: not through the registry.
        return None;
    }
    let tr = registry_trait(sig.entry);
    let reg = quote!(::leibniz::__private::registry);
    let n = naming::named("__LzN");
    let lt = &lts.fresh;
    let gp = generics.params.iter().map(|p| p.to_token_stream());
    let allow = allow();
    Some(quote! {
        #cfg
        #allow
        #[allow(non_local_definitions)]
        #[doc(hidden)]
        #[diagnostic::do_not_recommend]
        impl<#(#lt,)* #(#gp,)* #(#extra,)* #n> #reg::#tr<#marker, (#(#tys,)*), #n> for #reg::#key #where_clause {
            type Out = #ret;
            #[inline(always)]
            fn call((#(#pats,)*): (#(#tys,)*)) -> #ret {
                #callee(#(#args),*)
            }
        }
    })
}

fn mentions_generic(t: &syn::Type, generics: &syn::Generics) -> bool {
    let text = t.to_token_stream().to_string();
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric() && c != '_').collect();
    generics.params.iter().any(|p| match p {
        syn::GenericParam::Type(t) => words.contains(&t.ident.to_string().as_str()),
        syn::GenericParam::Const(c) => words.contains(&c.ident.to_string().as_str()),
        syn::GenericParam::Lifetime(_) => false,
    })
}

/// Whether every generic parameter of the function appears in the types
/// of its parameters (else an implementation could not name it).
pub fn generics_constrained(generics: &syn::Generics, params: &[TokenStream]) -> bool {
    let text: Vec<String> = params.iter().map(|t| t.to_string()).collect();
    generics.params.iter().all(|p| match p {
        syn::GenericParam::Lifetime(_) => false,
        syn::GenericParam::Type(t) => {
            let id = t.ident.to_string();
            text.iter().any(|s| s.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == id))
        }
        syn::GenericParam::Const(c) => {
            let id = c.ident.to_string();
            text.iter().any(|s| s.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == id))
        }
    })
}

impl Fun<'_> {
    /// The registry implementations of this function's entry points, for
    /// free functions (methods are found by method resolution).
    pub fn registry(&self) -> TokenStream {
        if self.method || self.sig.associated {
            return TokenStream::new();
        }
        let key = naming::key(&self.name.to_string());
        self.registry_as(quote!(Key<#key>), &format_ident!("{}__lz_marker", self.name), false)
    }

    /// The registry implementations under `key` (`Key<..>` or
    /// `MethodKey<..>`) with a marker type of this name.
    pub fn registry_as(&self, key: TokenStream, marker: &syn::Ident, recv_by_value: bool) -> TokenStream {
        let decl_tys: Vec<TokenStream> = self.sig.params.iter().map(|p| p.ty.to_token_stream()).collect();
        if !generics_constrained(self.generics, &decl_tys) {
            return TokenStream::new();
        }
        let vis = self.vis;
        let cfg = &self.cfg;
        let wc = self.where_clause();
        let mut out = quote! {
            #cfg
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            #vis struct #marker;
        };
        let marker = marker.to_token_stream();
        for sig in self.entries.borrow().iter() {
            let id = self.entry(sig.entry);
            if let Some(t) = entry_impl(sig, &id.to_token_stream(), &key, &marker, self.generics, &wc, cfg, recv_by_value) {
                out.extend(t);
            }
        }
        out
    }
}
