//! Function parameters (`rhs: F` with `F: Fn(&[f64], &mut [f64])`): in the
//! entry points they are `impl` the runtime's `DiffFn*` traits, one per entry
//! point, with the argument tuples of the function's own entry points
//! (every slot of a concrete type read from the `Fn` bound), so that a
//! function passed by name (`leibniz::__private::FnRef`) reaches its
//! derivatives through the registry.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use crate::front::sig::Param;
use crate::ir::Entry;

/// The signature of a function parameter, from its `Fn` bound.
#[derive(Clone)]
pub struct FnSig {
    pub args: Vec<syn::Type>,
    pub ret: syn::Type,
}

/// How an argument of a function parameter is passed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// By value, carrying derivatives.
    Val,
    /// By value, an integer, `bool`, `char`: its slots are `ZeroTan`.
    Const,
    Ref,
    Mut,
}

pub fn kind(t: &syn::Type) -> ArgKind {
    match t {
        syn::Type::Reference(r) if r.mutability.is_some() => ArgKind::Mut,
        syn::Type::Reference(_) => ArgKind::Ref,
        syn::Type::Path(p) if p.path.get_ident().is_some_and(|i| ["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "bool", "char"].contains(&i.to_string().as_str())) => ArgKind::Const,
        _ => ArgKind::Val,
    }
}

fn fn_bound(b: &syn::TypeParamBound) -> Option<FnSig> {
    let syn::TypeParamBound::Trait(t) = b else { return None };
    let seg = t.path.segments.last()?;
    if !["Fn", "FnMut", "FnOnce"].contains(&seg.ident.to_string().as_str()) {
        return None;
    }
    let syn::PathArguments::Parenthesized(a) = &seg.arguments else { return None };
    let ret = match &a.output {
        syn::ReturnType::Default => syn::parse_quote!(()),
        syn::ReturnType::Type(_, t) => (**t).clone(),
    };
    Some(FnSig { args: a.inputs.iter().cloned().collect(), ret })
}

/// The `Fn` signature of a function parameter.
pub fn fn_sig(p: &Param, generics: &syn::Generics) -> Option<FnSig> {
    match &p.ty {
        syn::Type::ImplTrait(it) => it.bounds.iter().find_map(fn_bound),
        syn::Type::BareFn(bf) => {
            let ret = match &bf.output {
                syn::ReturnType::Default => syn::parse_quote!(()),
                syn::ReturnType::Type(_, t) => (**t).clone(),
            };
            Some(FnSig { args: bf.inputs.iter().map(|a| a.ty.clone()).collect(), ret })
        }
        syn::Type::Path(tp) => {
            let id = tp.path.get_ident()?;
            for gp in generics.type_params() {
                if gp.ident == *id {
                    if let Some(s) = gp.bounds.iter().find_map(fn_bound) {
                        return Some(s);
                    }
                }
            }
            for pred in generics.where_clause.iter().flat_map(|w| w.predicates.iter()) {
                if let syn::WherePredicate::Type(pt) = pred {
                    if let syn::Type::Path(bp) = &pt.bounded_ty {
                        if bp.path.get_ident() == Some(id) {
                            if let Some(s) = pt.bounds.iter().find_map(fn_bound) {
                                return Some(s);
                            }
                        }
                    }
                }
            }
            None
        }
        _ => None,
    }
}

/// Names the elided lifetimes of a type (`&[f64]` → `&'__lzf0 [f64]`).
fn named(t: &syn::Type, lts: &mut Vec<syn::Lifetime>) -> syn::Type {
    struct N<'a>(&'a mut Vec<syn::Lifetime>);
    impl syn::visit_mut::VisitMut for N<'_> {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            if r.lifetime.is_none() {
                let l = syn::Lifetime::new(&format!("'__lzf{}", self.0.len()), Span::mixed_site());
                self.0.push(l.clone());
                r.lifetime = Some(l);
            }
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
    }
    let mut t = t.clone();
    syn::visit_mut::VisitMut::visit_type_mut(&mut N(lts), &mut t);
    t
}

/// The type of an argument's tangent or shadow slot.
fn slot_ty(t: &syn::Type, k: ArgKind, shadow: bool, lts: &mut Vec<syn::Lifetime>) -> TokenStream {
    match (k, t) {
        (ArgKind::Const, _) => quote!(::leibniz::__private::ZeroTan),
        (ArgKind::Val, t) if shadow => {
            let l = syn::Lifetime::new(&format!("'__lzf{}", lts.len()), Span::mixed_site());
            lts.push(l.clone());
            quote!(&#l mut #t)
        }
        (ArgKind::Val, t) => t.to_token_stream(),
        (ArgKind::Ref, syn::Type::Reference(r)) if shadow => {
            let (l, e) = (&r.lifetime, &r.elem);
            quote!(&#l mut #e)
        }
        (_, t) => t.to_token_stream(),
    }
}

/// The argument tuple of entry point `e` of a function with this signature.
pub fn tuple(sig: &FnSig, e: Entry, lts: &mut Vec<syn::Lifetime>) -> (TokenStream, TokenStream) {
    let args: Vec<syn::Type> = sig.args.iter().map(|t| named(t, lts)).collect();
    let ret = named(&sig.ret, lts);
    let mut tys: Vec<TokenStream> = Vec::new();
    for a in &args {
        let k = kind(a);
        match e {
            Entry::Primal => tys.push(a.to_token_stream()),
            Entry::Jvp | Entry::FwdJvp => {
                tys.push(a.to_token_stream());
                tys.push(slot_ty(a, k, false, lts));
            }
            Entry::Fwd => tys.push(a.to_token_stream()),
            Entry::Bwd => {
                if k != ArgKind::Mut {
                    tys.push(a.to_token_stream());
                } else {
                    tys.push(quote!(::leibniz::__private::ZeroTan));
                }
                tys.push(slot_ty(a, k, true, lts));
            }
            Entry::BwdJvp => {
                if k != ArgKind::Mut {
                    tys.push(a.to_token_stream());
                    tys.push(slot_ty(a, k, false, lts));
                } else {
                    tys.push(quote!(::leibniz::__private::ZeroTan));
                    tys.push(quote!(::leibniz::__private::ZeroTan));
                }
                tys.push(slot_ty(a, k, true, lts));
                tys.push(slot_ty(a, k, true, lts));
            }
        }
    }
    let t1 = syn::Lifetime::new(&format!("'__lzf{}", lts.len()), Span::mixed_site());
    lts.push(t1.clone());
    let out = match e {
        Entry::Primal | Entry::Fwd => ret.to_token_stream(),
        Entry::Jvp | Entry::FwdJvp => quote!((#ret, #ret)),
        Entry::Bwd => quote!(()),
        Entry::BwdJvp => quote!(((), ())),
    };
    match e {
        Entry::Bwd => {
            tys.push(ret.to_token_stream());
        }
        Entry::BwdJvp => {
            tys.push(ret.to_token_stream());
            tys.push(ret.to_token_stream());
        }
        _ => {}
    }
    match e {
        Entry::Fwd | Entry::FwdJvp => tys.push(quote!(&#t1 mut ::leibniz::__private::TapeBuf)),
        Entry::Bwd | Entry::BwdJvp => {
            let t2 = syn::Lifetime::new(&format!("'__lzf{}", lts.len()), Span::mixed_site());
            lts.push(t2.clone());
            tys.push(quote!(&#t1 mut ::leibniz::__private::TapeRead<#t2>));
        }
        _ => {}
    }
    (quote!((#(#tys,)*)), out)
}

/// `impl DiffFnCall<..> + for<..> DiffFnJvp<.., Out = ..> + ..`: the type of
/// a function parameter in entry points and derivative wrappers.
pub fn bounds(sig: &FnSig) -> TokenStream {
    let mut parts = Vec::new();
    for (e, tr) in [
        (Entry::Primal, quote!(DiffFnCall)),
        (Entry::Jvp, quote!(DiffFnJvp)),
        (Entry::Fwd, quote!(DiffFnFwd)),
        (Entry::Bwd, quote!(DiffFnBwd)),
        (Entry::FwdJvp, quote!(DiffFnFwdJvp)),
        (Entry::BwdJvp, quote!(DiffFnBwdJvp)),
    ] {
        let mut lts = Vec::new();
        let (t, out) = tuple(sig, e, &mut lts);
        let hr = if lts.is_empty() { TokenStream::new() } else { quote!(for<#(#lts),*>) };
        if e == Entry::Primal {
            // The function itself, passed on to primal calls.
            let (args, ret) = (&sig.args, &sig.ret);
            parts.push(quote!(#hr ::leibniz::__private::#tr<#t, Out = #out, F: Fn(#(#args),*) -> #ret>));
        } else {
            parts.push(quote!(#hr ::leibniz::__private::#tr<#t, Out = #out>));
        }
    }
    quote!(impl #(#parts)+*)
}

/// The signatures of the function parameters of a signature.
pub fn fn_sigs(sig: &crate::front::sig::Sig, generics: &syn::Generics) -> Vec<(String, FnSig)> {
    sig.params.iter().filter(|p| matches!(p.role, crate::front::sig::Role::Func)).filter_map(|p| fn_sig(p, generics).map(|s| (p.ident.to_string(), s))).collect()
}

/// The generics of the generated items: type parameters that are the types
/// of function parameters (`F` of `rhs: F`) are replaced by `impl` types.
pub fn without_fn_generics(generics: &syn::Generics, sig: &crate::front::sig::Sig, sigs: &[(String, FnSig)]) -> syn::Generics {
    let drop: Vec<syn::Ident> = sig
        .params
        .iter()
        .filter(|p| matches!(p.role, crate::front::sig::Role::Func) && sigs.iter().any(|(n, _)| *n == p.ident.to_string()))
        .filter_map(|p| match &p.ty {
            syn::Type::Path(tp) => tp.path.get_ident().cloned(),
            _ => None,
        })
        .collect();
    if drop.is_empty() {
        return generics.clone();
    }
    let mut g = generics.clone();
    g.params = g.params.into_iter().filter(|p| !matches!(p, syn::GenericParam::Type(t) if drop.contains(&t.ident))).collect();
    if let Some(w) = &mut g.where_clause {
        w.predicates = w
            .predicates
            .clone()
            .into_iter()
            .filter(|pr| !matches!(pr, syn::WherePredicate::Type(pt) if matches!(&pt.bounded_ty, syn::Type::Path(bp) if bp.path.get_ident().is_some_and(|i| drop.contains(i)))))
            .collect();
    }
    g
}
