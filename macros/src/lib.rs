//! The `#[differentiable]` attribute of leibniz. See the `leibniz` crate.
//!
//! Passes, one module each: `sig` (signature, activity of parameters) →
//! `lower` (body to IR, rejecting what is unsupported) → `opt` (hoisting of
//! loop-invariant work) → `analyse` (activity, regions, recomputability) →
//! `emit` (forward, tangent, record and backward sweeps, reading the rule
//! table in `rules`) → `expand` (the emitted items).

mod v1;
use v1::{analyse, diag, expand, lower, opt, sig};

use proc_macro::TokenStream;
use quote::quote;

/// Emits forward- and reverse-mode derivatives of a function: `f_jvp`,
/// `f_vjp`, `f_grad`, `f_derivative`, `f_record`, `f_pullback`. See the
/// `leibniz` crate for the contract.
#[proc_macro_attribute]
pub fn differentiable(attr: TokenStream, item: TokenStream) -> TokenStream {
    let attr = match syn::parse::<sig::Attr>(attr) {
        Ok(a) => a,
        Err(e) => {
            let err = e.to_compile_error();
            let item = proc_macro2::TokenStream::from(item);
            return quote!(#err #item).into();
        }
    };
    let item = match syn::parse::<syn::ItemFn>(item) {
        Ok(i) => i,
        Err(e) => {
            return syn::Error::new(e.span(), "#[differentiable] goes on a function or an inherent method").to_compile_error().into();
        }
    };
    expand_fn(attr, item).into()
}

fn expand_fn(attr: sig::Attr, item: syn::ItemFn) -> proc_macro2::TokenStream {
    let mut primal = item.clone();
    for input in primal.sig.inputs.iter_mut() {
        if let syn::FnArg::Typed(pt) = input {
            pt.attrs.retain(|a| !a.path().is_ident("no_grad"));
        }
    }
    let mut diag = diag::Diag::default();
    let Some(sig) = sig::read(&item.sig, &attr, &mut diag) else {
        return with_errors(diag, &primal);
    };
    let lowered = lower::Lower::new(&sig, &mut diag).lower_fn(&item.block);
    if !diag.is_empty() {
        return with_errors(diag, &primal);
    }
    let Some((mut func, items)) = lowered else {
        return with_errors(diag, &primal);
    };
    opt::hoist_invariants(&mut func);
    let info = analyse::analyse(&func, &sig);
    let parts = expand::Parts {
        name: &item.sig.ident,
        vis: &item.vis,
        generics: &item.sig.generics,
        sig: &sig,
        f: &func,
        info: &info,
        items: &items,
    };
    let derived = parts.expand();
    quote!(#primal #derived)
}

/// All errors at once, plus the primal so that uses of it do not cascade.
fn with_errors(diag: diag::Diag, primal: &syn::ItemFn) -> proc_macro2::TokenStream {
    let errs = match diag.into_result() {
        Ok(()) => proc_macro2::TokenStream::new(),
        Err(e) => e.to_compile_error(),
    };
    quote!(#errs #primal)
}
