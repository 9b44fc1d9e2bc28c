//! The proc macros of leibniz: `#[differentiable]` and
//! `#[derive(Differentiable)]`. See the `leibniz` crate for the contract.
//!
//! The pipeline, one module per pass: `front` (attribute, signature,
//! `#[cfg]` variants) → `lower` (the body to IR, rejecting what is outside
//! the subset) → `analyse` (activity, tape plan) → `ad` (JVP as IR → IR;
//! VJP as unzip + transpose) → `backend` (IR printed as Rust) → `expand`
//! (entry points and public API). `rules` is the registry of primitives
//! every pass reads.

mod ad;
mod analyse;
mod backend;
mod diag;
mod driver;
mod expand;
mod front;
mod ir;
mod kernel;
mod lower;
mod naming;
mod opt;
mod rule;
mod rules;
mod stack;

use proc_macro::TokenStream;

/// Emits forward- and reverse-mode derivatives of a function, a method, or
/// every method of an `impl` block: `f_jvp`, `f_vjp`, `f_grad`,
/// `f_derivative`, `f_record`, `f_pullback`. See the `leibniz` crate.
#[proc_macro_attribute]
pub fn differentiable(attr: TokenStream, item: TokenStream) -> TokenStream {
    stack::guard(|| driver::differentiable(attr.into(), item.into())).into()
}

/// Implements `leibniz::Differentiable` and `leibniz::TapeValue` for a
/// struct or an enum. Fields marked `#[no_grad]` carry no derivatives.
#[proc_macro_derive(Differentiable, attributes(no_grad))]
pub fn derive_differentiable(item: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(item) {
        Ok(input) => expand::derive::derive(&input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// A custom forward-mode rule for a function (`#[leibniz::jvp_rule(path::g)]`)
/// or a method (`#[leibniz::jvp_rule(method = norm)]`), written in the shape
/// of an emitted `g_jvp`. Reverse mode is derived from it; `order = 2` also
/// differentiates its body again for second derivatives. See the `leibniz`
/// crate.
#[proc_macro_attribute]
pub fn jvp_rule(attr: TokenStream, item: TokenStream) -> TokenStream {
    stack::guard(|| rule::rule(rule::Kind::Jvp, attr.into(), item.into())).into()
}

/// A custom reverse-mode rule for a function or a method, written in the
/// shape of an emitted `g_vjp`. See the `leibniz` crate.
#[proc_macro_attribute]
pub fn vjp_rule(attr: TokenStream, item: TokenStream) -> TokenStream {
    stack::guard(|| rule::rule(rule::Kind::Vjp, attr.into(), item.into())).into()
}
