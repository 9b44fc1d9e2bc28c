//! `#[kernel]`: one per-element Rust body; a CPU twin and CUDA kernels for
//! its primal, its tangent and its adjoint.
//!
//! The pipeline:
//!
//! 1. [`sig`] reads what each parameter is (the index, input slices,
//!    scalars, integers, output slices, sums);
//! 2. [`rewrite`] turns the body into a per-element function `k_elem`
//!    whose outputs are its results, and `#[differentiable]`'s own pipeline
//!    ([`crate::driver::expand_fn`]) emits it with `k_elem_jvp`,
//!    `k_elem_vjp`, .. (the CPU twins call those per element);
//! 3. [`pipeline`] runs the same passes again for the IR, and [`gpu_src`]
//!    prints the three CUDA kernels from it ([`crate::backend::cuda`]);
//! 4. [`host`] emits the CPU twins, the GPU launchers and the dispatching
//!    functions; [`device`] is what `#[differentiable]` adds so that
//!    kernels can call it.

pub mod device;
pub mod gpu_src;
pub mod host;
pub mod pipeline;
pub mod rewrite;
pub mod sig;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

use crate::diag::Diag;
use crate::front::attr::Attr;

fn errors(diag: Diag) -> TokenStream {
    match diag.into_result() {
        Ok(()) => TokenStream::new(),
        Err(e) => e.to_compile_error(),
    }
}

pub fn kernel(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut diag = Diag::default();
    if !attr.is_empty() {
        diag.spanned(&attr, "#[kernel] takes no options");
    }
    let f: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let e = syn::Error::new(e.span(), "#[kernel] goes on a free function: `fn name(i: usize, x: &[f64], .., out: &mut [f64]) { out[i] = ..; }`").to_compile_error();
            return quote!(#e);
        }
    };
    let mut docs = Vec::new();
    for a in &f.attrs {
        if a.path().is_ident("doc") {
            docs.push(a.clone());
        } else if a.path().segments.last().is_some_and(|s| s.ident == "kernel") {
            diag.spanned(a, "#[kernel] is applied twice to this function; remove one");
        } else {
            diag.spanned(a, "this attribute is not supported on a #[kernel] (only doc comments; for `#[cfg(..)]`, put the kernel in a module under it)");
        }
    }
    let Some(ks) = sig::read(&f.sig, &mut diag) else { return errors(diag) };
    if !crate::front::cfg::predicates(&f.block).is_empty() {
        diag.spanned(&f.block, "`#[cfg(..)]` inside a #[kernel] body is not supported: put the kernel itself under `#[cfg(..)]`");
    }
    if !diag.is_empty() {
        return errors(diag);
    }
    let (esig, eblock, outs) = rewrite::elem_fn(&ks, &f.block, &mut diag);
    let has_active = ks.params.iter().enumerate().any(|(k, p)| matches!(p.kind, sig::Kind::In { active: true } | sig::Kind::Scalar { active: true }) || outs.read[k]);
    if !has_active {
        diag.at(ks.name.span(), "a #[kernel] differentiates with respect to its float inputs, and every one of them is `#[no_grad]`: make one active (remove `#[no_grad]`)");
    }
    if !diag.is_empty() {
        return errors(diag);
    }
    let vis = &f.vis;
    let kname = ks.name.to_string();
    let elem_doc = format!(" The per-element function of the kernel [`{kname}`]: its body for one index, the outputs returned. `#[differentiable]` emits its derivatives (`{kname}_elem_jvp`, `{kname}_elem_vjp`, ..), which the CPU twins call for every index.");
    let elem_attrs: Vec<syn::Attribute> = vec![syn::parse_quote!(#[doc = #elem_doc]), syn::parse_quote!(#[allow(unused_assignments, clippy::let_and_return, clippy::too_many_arguments)])];
    let elem_tokens = crate::driver::expand_fn(&Attr::default(), &elem_attrs, vis, &esig, &eblock, false);

    let mut d2 = Diag::default();
    let Some(p) = pipeline::run(&esig, &eblock, &Attr::default(), &mut d2) else {
        // `expand_fn` reported the same errors.
        return elem_tokens;
    };
    let eps = gpu_src::elem_params(&ks, &outs.read);
    let span = ks.name.span();
    let ksrc = gpu_src::kernel_source(&ks, &eps, &p, span);
    if !ksrc.errors.is_empty() {
        let mut d = Diag::default();
        for (sp, m) in &ksrc.errors {
            d.at(*sp, format!("{m} (in the CUDA kernel of `{kname}`)"));
        }
        let e = errors(d);
        return quote!(#e #elem_tokens);
    }

    let upper = kname.to_uppercase();
    let cuda_const = format_ident!("{}_CUDA", upper, span = span);
    let root = format_ident!("{}{}kernel", kname, crate::naming::RESERVED, span = span);
    let source_fn = format_ident!("{}_cuda_source", kname, span = span);
    // The user's documentation goes on the dispatching primal.
    let host = host::Host { ks: &ks, vis, eps: &eps, elem: rewrite::elem_name(&ks.name), source_fn: source_fn.clone(), docs };
    let host_tokens = host.emit();

    let deps: Vec<TokenStream> = ksrc.deps.iter().map(device::dep_ref).collect();
    let requires: Vec<TokenStream> = ksrc.deps.iter().zip(&deps).map(|(p, r)| host::require(p, r.clone())).collect();
    let consts = device::consts_fn(&ksrc.consts, &p.items);
    let source = ksrc.source;
    let prelude = crate::backend::cuda::prelude();
    let cuda_doc = format!(" The CUDA C++ of the kernel `{kname}`: its primal, tangent and adjoint `__global__` functions (`{kname}_primal`, `{kname}_tangent`, `{kname}_adjoint`). Placeholders `@k@` stand for the device functions it calls and `@ck@` for constants; [`{kname}_cuda_source`] returns the whole module NVRTC compiles.");
    let src_doc = format!(" The CUDA module of the kernel `{kname}` as NVRTC compiles it: the prelude, the device functions it calls, and [`{upper}_CUDA`] with its placeholders filled in. Assembled once per process.");
    let sp = Span::mixed_site();
    let cell = syn::Ident::new("__LZ_SOURCE", sp);
    let pre = syn::Ident::new("__LZ_PRELUDE", sp);
    let out = quote! {
        #elem_tokens
        #[doc = #cuda_doc]
        #vis const #cuda_const: &str = #source;
        #[doc(hidden)]
        #[allow(non_upper_case_globals, dead_code)]
        #vis const #root: ::leibniz::gpu::DeviceFn = ::leibniz::gpu::DeviceFn {
            name: #kname,
            module: ::core::module_path!(),
            source: #cuda_const,
            deps: &[#(#deps),*],
            consts: #consts,
            unsupported: ::core::option::Option::None,
        };
        #(#requires)*
        #[doc = #src_doc]
        #vis fn #source_fn() -> &'static str {
            const #pre: &str = #prelude;
            static #cell: ::std::sync::OnceLock<::std::string::String> = ::std::sync::OnceLock::new();
            #cell.get_or_init(|| match ::leibniz::gpu::assemble(#pre, &#root) {
                ::core::result::Result::Ok(s) => s,
                ::core::result::Result::Err(e) => ::std::format!("#error \"{}\"\n", e.replace('"', "'")),
            })
        }
        #host_tokens
    };
    out
}
