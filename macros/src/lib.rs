//! The proc macros of [leibniz-ad](https://docs.rs/leibniz-ad) (import path
//! `leibniz`): `#[differentiable]`, `#[derive(Differentiable)]`,
//! `#[jvp_rule]`, `#[vjp_rule]`, `diff_fn!` and `#[kernel]`.
//!
//! Depend on `leibniz-ad`, not on this crate: the code these macros emit
//! refers to `::leibniz`, and the macros are documented, with examples, as
//! re-exported there:
//! [`leibniz::differentiable`](https://docs.rs/leibniz-ad/latest/leibniz/attr.differentiable.html),
//! [`leibniz::Differentiable`](https://docs.rs/leibniz-ad/latest/leibniz/derive.Differentiable.html),
//! [`leibniz::jvp_rule`](https://docs.rs/leibniz-ad/latest/leibniz/attr.jvp_rule.html),
//! [`leibniz::vjp_rule`](https://docs.rs/leibniz-ad/latest/leibniz/attr.vjp_rule.html),
//! [`leibniz::diff_fn!`](https://docs.rs/leibniz-ad/latest/leibniz/macro.diff_fn.html),
//! [`leibniz::kernel`](https://docs.rs/leibniz-ad/latest/leibniz/attr.kernel.html).
//!
//! # Inside
//!
//! The pipeline, one module per pass: `front` (attribute, signature,
//! `#[cfg]` variants) → `lower` (the body to IR, rejecting what is outside
//! the subset) → `analyse` (activity, tape plan) → `ad` (JVP as IR → IR;
//! VJP as unzip + transpose) → `backend` (IR printed as Rust) → `expand`
//! (entry points and public API). `rules` is the registry of primitives
//! every pass reads.
//!
//! `#[kernel]` (`kernel`) reuses that pipeline on a per-element function and
//! prints its IR as CUDA C++ too (`backend::cuda`); `kernel::device` is what
//! `#[differentiable]` adds so that kernels can call it on the GPU.

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
#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// The attribute `#[differentiable]` of `leibniz-ad`: emits the derivatives
/// of a function, a method, an `impl` block or an operator impl (`f_jvp`,
/// `f_vjp`, `f_grad`, `f_derivative`, `f_record`, `f_pullback`, `f_hvp`,
/// `f_hessian`, `f_second_derivative`, `f_jacobian`). Every emitted function
/// and option is documented, with examples, at
/// [`leibniz::differentiable`](https://docs.rs/leibniz-ad/latest/leibniz/attr.differentiable.html).
#[proc_macro_attribute]
pub fn differentiable(attr: TokenStream, item: TokenStream) -> TokenStream {
    stack::guard(|| driver::differentiable(attr.into(), item.into())).into()
}

/// The derive `#[derive(leibniz::Differentiable)]` of `leibniz-ad`:
/// implements `leibniz::Differentiable` and `leibniz::TapeValue` for a
/// struct or an enum; fields marked `#[no_grad]` carry no derivatives.
/// Documented at
/// [`leibniz::Differentiable`](https://docs.rs/leibniz-ad/latest/leibniz/derive.Differentiable.html).
#[proc_macro_derive(Differentiable, attributes(no_grad))]
pub fn derive_differentiable(item: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(item) {
        Ok(input) => expand::derive::derive(&input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// The attribute `#[kernel]` of `leibniz-ad`: a data-parallel kernel
/// written per element, with its CPU twin and CUDA kernels for the primal,
/// the tangent and the adjoint. Documented at
/// [`leibniz::kernel`](https://docs.rs/leibniz-ad/latest/leibniz/attr.kernel.html).
#[proc_macro_attribute]
pub fn kernel(attr: TokenStream, item: TokenStream) -> TokenStream {
    stack::guard(|| kernel::kernel(attr.into(), item.into())).into()
}

/// The attribute `#[leibniz::jvp_rule]` of `leibniz-ad`: a custom
/// forward-mode rule for a function (`#[leibniz::jvp_rule(path::g)]`) or a
/// method (`#[leibniz::jvp_rule(method = norm)]`), written in the shape of an
/// emitted `g_jvp`. Reverse mode is derived from it; `order = 2` also
/// differentiates its body again for second derivatives. Documented at
/// [`leibniz::jvp_rule`](https://docs.rs/leibniz-ad/latest/leibniz/attr.jvp_rule.html).
#[proc_macro_attribute]
pub fn jvp_rule(attr: TokenStream, item: TokenStream) -> TokenStream {
    stack::guard(|| rule::rule(rule::Kind::Jvp, attr.into(), item.into())).into()
}

/// The attribute `#[leibniz::vjp_rule]` of `leibniz-ad`: a custom
/// reverse-mode rule for a function or a method, written in the shape of an
/// emitted `g_vjp`. Documented at
/// [`leibniz::vjp_rule`](https://docs.rs/leibniz-ad/latest/leibniz/attr.vjp_rule.html).
#[proc_macro_attribute]
pub fn vjp_rule(attr: TokenStream, item: TokenStream) -> TokenStream {
    stack::guard(|| rule::rule(rule::Kind::Vjp, attr.into(), item.into())).into()
}

/// The macro `leibniz::diff_fn!` of `leibniz-ad`: a `#[differentiable]`
/// function (or one with a derivative rule) passed by name to the emitted
/// `_jvp`, `_vjp`, `_grad`, .. of a function that takes a function
/// parameter: `rk4_grad(leibniz::diff_fn!(decay), &y0, h)`. Inside
/// `#[differentiable]` bodies a function is passed by its plain name.
/// Documented at
/// [`leibniz::diff_fn!`](https://docs.rs/leibniz-ad/latest/leibniz/macro.diff_fn.html).
#[proc_macro]
pub fn diff_fn(input: TokenStream) -> TokenStream {
    let input: proc_macro2::TokenStream = input.into();
    match syn::parse2::<syn::Path>(input.clone()) {
        Ok(p) => {
            let name = p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            let key = naming::key(&name);
            quote::quote!(::leibniz::__private::fn_ref::<::leibniz::__private::registry::Key<#key>, _, _>(#p)).into()
        }
        Err(_) => syn::Error::new(proc_macro2::Span::call_site(), "write `leibniz::diff_fn!(path::to::function)` with the name of a #[differentiable] function").to_compile_error().into(),
    }
}
