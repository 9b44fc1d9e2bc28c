//! Device versions of `#[differentiable]` functions, for `#[kernel]` bodies
//! that call them.
//!
//! A proc macro cannot see another function's body, so a kernel cannot
//! print its callees. Instead every `#[differentiable]` free function also
//! emits, next to its derivatives, a hidden constant
//!
//! ```text
//! const g__lz_cuda: ::leibniz::gpu::DeviceFn = DeviceFn {
//!     name: "g", module: module_path!(),
//!     source: "<three templates: @SELF@, @SELF@__lz_jvp, @SELF@__lz_bwd>",
//!     deps: &[<the DeviceFn of each function g calls>],
//!     consts: <fn formatting the constants g uses>,
//!     unsupported: None,           // or Some(why g has no device version)
//! };
//! ```
//!
//! A kernel refers to the constants of the functions it calls by their call
//! paths (`g` → `g__lz_cuda`, `m::g` → `m::g__lz_cuda`), checks at compile
//! time that each has a device version (a `const` assertion at the call,
//! with the callee's reason when it has none), and assembles its CUDA
//! module at run time (`leibniz::gpu::assemble`): the prelude, every device
//! function reachable from the kernel once (named after its module path, so
//! `a::g` and `b::g` do not clash), then the kernels.
//!
//! The three device functions of `g(x: F, n: usize) -> F`:
//!
//! * `@SELF@<F>(x, n) -> F`: the primal;
//! * `@SELF@__lz_jvp<F>(x, dx, n, dn) -> lz_tup<F, F>`: value and tangent;
//! * `@SELF@__lz_bwd<F>(x, xbar*, n, nbar, dout)`: `*xbar += ∂g/∂x · dout`;
//!   it recomputes `g`'s forward sweep into a tape of its own, so the
//!   caller's forward sweep calls the primal and stores nothing for `g`.
//!
//! Device versions exist for free functions whose parameters are floats,
//! integers and booleans by value and whose result is a float, at `f32`,
//! `f64` or a generic float type (then printed as a template). Everything
//! else gets `unsupported: Some(reason)`, which only matters when a kernel
//! calls it.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};

use crate::backend::cuda::{Fty, Printer, Shared, VarRepr, ident, tape_bound};
use crate::front::sig::{Param, Ret, Role, Sig};
use crate::ir::*;

/// The IR of one function, as the pipeline produced it.
pub struct Parts<'a> {
    pub func: &'a Func,
    pub jvp: &'a crate::ad::jvp::JvpOut,
    pub vjp: &'a crate::ad::vjp::VjpOut,
}

/// The CUDA text of a device function and what it refers to.
pub struct DeviceSrc {
    pub source: String,
    pub deps: Vec<syn::Path>,
    pub consts: Vec<TokenStream>,
}

/// `g__lz_cuda`.
pub fn const_name(f: &syn::Ident) -> syn::Ident {
    syn::Ident::new(&format!("{f}{}cuda", crate::naming::RESERVED), f.span())
}

fn param_decl(p: &Param, fty: &Fty) -> Result<String, String> {
    match &p.role {
        Role::Scalar => Ok(format!("{} {}", fty.name(), ident("a", &p.ident.to_string()))),
        Role::Const { ty: Ty::Int | Ty::Bool, by: By::Value, shape: None } => {
            let t = crate::backend::cuda::int_type(&p.ty).ok_or_else(|| format!("its parameter `{}: {}` has no CUDA type", p.ident, p.ty.to_token_stream()))?;
            Ok(format!("{t} {}", ident("a", &p.ident.to_string())))
        }
        _ => Err(format!("its parameter `{}: {}` is not a float, integer or boolean passed by value (device functions take scalars)", p.ident, p.ty.to_token_stream())),
    }
}

/// Prints the three device functions of a `#[differentiable]` function.
pub fn device_source(name: &syn::Ident, sig: &Sig, p: &Parts<'_>, method: bool, generics: &syn::Generics) -> Result<DeviceSrc, String> {
    if method || sig.has_self || sig.associated {
        return Err("it is a method or an associated function (device functions are free functions)".into());
    }
    if sig.ret != Ret::Scalar {
        return Err("its result is not a float (device functions return one float)".into());
    }
    for g in &generics.params {
        match g {
            syn::GenericParam::Type(t) if sig.float_generics.contains(&t.ident) => {}
            syn::GenericParam::Lifetime(_) => {}
            other => return Err(format!("it has the generic parameter `{}` (device functions may only be generic over their float type)", other.to_token_stream())),
        }
    }
    let generic_names: Vec<String> = sig.float_generics.iter().map(|g| g.to_string()).collect();
    let fty = Fty::from_type(sig.float.as_ref(), &generic_names).ok_or_else(|| "its float type is not `f32`, `f64` or a generic float parameter".to_string())?;
    let mut shared = Shared::default();
    if fty == Fty::Generic {
        shared.no_runtime_consts = Some("constants other than literals, `T::zero()`, `T::one()`, `T::epsilon()` are not supported in generic device functions".into());
        shared.float_generics = generic_names;
    }
    // Direct recursion has no device version (the constant would refer to itself).
    let mut recursive = false;
    p.func.body.walk(&mut |s| {
        if let Stmt::Let { op: Op::Call(c), .. } = s {
            if let Callee::Path(path) = &c.callee {
                if path.segments.len() == 1 && path.segments[0].ident == *name {
                    recursive = true;
                }
            }
        }
    });
    if recursive {
        return Err("it calls itself (recursion has no device version)".into());
    }

    let ft = fty.name();
    let np = sig.params.len();
    let mut decls = Vec::new();
    for prm in &sig.params {
        decls.push(param_decl(prm, &fty)?);
    }
    let pname = |k: usize| ident("a", &sig.params[k].ident.to_string());
    let span = name.span();
    let mut out = String::new();

    // Primal.
    {
        let mut pr = Printer::new(p.func, fty.clone(), &shared, span);
        for k in 0..np {
            pr.params[k] = Some(pname(k));
        }
        out.push_str(&format!("template <typename LZF> __device__ inline {ft} @SELF@({}) {{\n", decls.join(", ")));
        pr.body(&mut out, 1);
        let r = p.func.ret.map(|r| format!("v{r}")).unwrap_or_else(|| "0".into());
        out.push_str(&format!("  return {r};\n}}\n"));
    }

    // Tangent.
    {
        let f = &p.jvp.func;
        let mut pr = Printer::new(f, fty.clone(), &shared, span);
        let mut tmpl = vec!["typename LZF".to_string()];
        let mut ds = Vec::new();
        for (k, prm) in sig.params.iter().enumerate() {
            pr.params[k] = Some(pname(k));
            ds.push(decls[k].clone());
            let dn = ident("d", &prm.ident.to_string());
            match p.jvp.tan_param[k] {
                Some(slot) => {
                    ds.push(format!("{ft} {dn}"));
                    if let Some(s) = pr.params.get_mut(slot) {
                        *s = Some(dn);
                    }
                }
                None => {
                    tmpl.push(format!("typename LZS{k}"));
                    ds.push(format!("LZS{k} {dn}"));
                }
            }
        }
        out.push_str(&format!("template <{}> __device__ inline lz_tup<{ft}, {ft}> @SELF@__lz_jvp({}) {{\n", tmpl.join(", "), ds.join(", ")));
        pr.body(&mut out, 1);
        let r = f.ret.map(|r| format!("v{r}")).unwrap_or_else(|| "0".into());
        let dr = p.jvp.ret_tan.map(|r| format!("v{r}")).unwrap_or_else(|| "0".into());
        out.push_str(&format!("  return lz_mk(({ft})({r}), ({ft})({dr}));\n}}\n"));
    }

    // Adjoint: the forward sweep into a local tape, then the backward sweep.
    {
        let (nf, ni) = tape_bound(&p.vjp.fwd, span).map_err(|(_, m)| m)?;
        let mut tmpl = vec!["typename LZF".to_string()];
        let mut ds = Vec::new();
        let mut accs = Vec::new();
        let mut fwd = Printer::new(&p.vjp.fwd, fty.clone(), &shared, span);
        let mut bwd = Printer::new(&p.vjp.bwd, fty.clone(), &shared, span);
        for (k, prm) in sig.params.iter().enumerate() {
            fwd.params[k] = Some(pname(k));
            bwd.params[k] = Some(pname(k));
            ds.push(decls[k].clone());
            let bn = ident("b", &prm.ident.to_string());
            match p.vjp.shadow_param[k] {
                Some(slot) => {
                    ds.push(format!("{ft}* {bn}"));
                    if let Some(ParamSlot::Var(x)) = p.vjp.bwd.params.get(slot) {
                        let local = format!("lz_{bn}");
                        bwd.vars.insert(*x, VarRepr::Local(local.clone()));
                        accs.push((bn, local));
                    }
                }
                None => {
                    tmpl.push(format!("typename LZS{k}"));
                    ds.push(format!("LZS{k} {bn}"));
                }
            }
        }
        if let Some(ParamSlot::Val(_)) = p.vjp.bwd.params.get(p.vjp.dout_param) {
            bwd.params[p.vjp.dout_param] = Some("lz_dout".into());
        }
        ds.push(format!("{ft} lz_dout"));
        out.push_str(&format!("template <{}> __device__ inline void @SELF@__lz_bwd({}) {{\n", tmpl.join(", "), ds.join(", ")));
        for (_, local) in &accs {
            out.push_str(&format!("  {ft} {local} = ({ft})0;\n"));
        }
        if !nf.is_zero() {
            out.push_str(&format!("  {ft} lz_tf[{}]; int lz_nf = 0;\n", nf.cuda(&shared)));
        }
        if !ni.is_zero() {
            out.push_str(&format!("  long long lz_ti[{}]; int lz_ni = 0;\n", ni.cuda(&shared)));
        }
        out.push_str("  {\n");
        fwd.body(&mut out, 2);
        out.push_str("  }\n  {\n");
        bwd.body(&mut out, 2);
        out.push_str("  }\n");
        for (bn, local) in &accs {
            out.push_str(&format!("  if ({bn}) *{bn} += {local};\n"));
        }
        out.push_str("}\n");
    }

    let errors = shared.errors.borrow();
    if let Some((_, m)) = errors.first() {
        return Err(format!("its body cannot be emitted as CUDA: {m}"));
    }
    drop(errors);
    Ok(DeviceSrc { source: out, deps: shared.deps.into_inner(), consts: shared.consts.into_inner() })
}

/// The module prefix under which a callee's device constant is looked up
/// with a glob import (`self` for `g`, `m` for `m::g`); `None` for paths a
/// kernel cannot call.
fn glob_prefix(p: &syn::Path) -> Option<TokenStream> {
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
        if id.chars().next().is_some_and(|c| c.is_uppercase()) || !matches!(s.arguments, syn::PathArguments::None) {
            return None;
        }
    }
    let segs: Vec<&syn::Ident> = p.segments.iter().take(n - 1).map(|s| &s.ident).collect();
    let lead = p.leading_colon.map(|_| quote!(::));
    Some(quote!(#lead #(#segs)::*))
}

/// `&path::g__lz_cuda`, or a stand-in saying that `g` has no device
/// version when nothing of that name exists at the path (a function that
/// is not `#[differentiable]`): the stand-in is an item of an outer block
/// that the glob import of the inner block shadows.
pub fn dep_ref(p: &syn::Path) -> TokenStream {
    let span = p.segments.last().map(|s| s.ident.span()).unwrap_or_else(Span::call_site);
    let Some(last) = p.segments.last() else { return quote!(&::leibniz::gpu::DeviceFn::MISSING) };
    let fname = last.ident.to_string();
    let cname = const_name(&last.ident);
    let path = p.to_token_stream().to_string().replace(' ', "");
    let missing = format!("`{path}` has no CUDA device version: put #[differentiable] on `{fname}`, and call it by the path where it is defined (`{fname}(..)` in its module, `m::{fname}(..)` from elsewhere; a `use m::{fname};` import does not bring its device version along)");
    let Some(prefix) = glob_prefix(p) else {
        let why = format!("`{}` cannot be called from a #[kernel]: call a free #[differentiable] function by its path", p.to_token_stream());
        return quote_spanned!(span=> &::leibniz::gpu::DeviceFn::unsupported(#fname, #why));
    };
    quote_spanned! {span=>
        {
            #[allow(non_upper_case_globals, dead_code)]
            const #cname: ::leibniz::gpu::DeviceFn = ::leibniz::gpu::DeviceFn::unsupported(#fname, #missing);
            {
                #[allow(unused_imports)]
                use #prefix::*;
                &#cname
            }
        }
    }
}

/// The `consts` function of a `DeviceFn`: formats each constant at run
/// time; `items` are the `const`/`use` items of the body they may refer to.
pub fn consts_fn(consts: &[TokenStream], items: &[syn::Item]) -> TokenStream {
    if consts.is_empty() {
        return quote!(::leibniz::gpu::DeviceFn::NO_CONSTS);
    }
    let f = crate::naming::named("__lz_consts");
    quote! {
        {
            #[allow(unused_imports, non_upper_case_globals, dead_code, clippy::unnecessary_cast)]
            fn #f() -> ::std::vec::Vec<::std::string::String> {
                #(#items)*
                ::std::vec![#(::leibniz::gpu::cuda_lit(&(#consts))),*]
            }
            #f
        }
    }
}

/// What `#[differentiable]` adds for kernels: the device-function constant
/// of a free function (nothing for methods). Never fails: a function
/// without a device version gets a constant that says why.
#[allow(clippy::too_many_arguments)]
pub fn device_const(vis: &syn::Visibility, fsig: &syn::Signature, sig: &Sig, func: &Func, jvp: &crate::ad::jvp::JvpOut, vjp: &crate::ad::vjp::VjpOut, items: &[syn::Item], cfg: &TokenStream, method: bool) -> TokenStream {
    if method || sig.has_self || sig.associated {
        return TokenStream::new();
    }
    let name = &fsig.ident;
    let cname = const_name(name);
    let fname = name.to_string();
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // Calls of other device functions return floats: retyped, and
        // differentiated again when that changed anything.
        let mut f2 = func.clone();
        if super::pipeline::retype_calls(&mut f2) {
            let mut d = crate::diag::Diag::default();
            let Some((j2, v2)) = super::pipeline::ad(&f2, sig, &mut d) else {
                return Err("its body cannot be differentiated as device code".to_string());
            };
            device_source(name, sig, &Parts { func: &f2, jvp: &j2, vjp: &v2 }, method, &fsig.generics)
        } else {
            device_source(name, sig, &Parts { func, jvp, vjp }, method, &fsig.generics)
        }
    }));
    let body = match built {
        Ok(Ok(src)) => {
            let source = src.source;
            let deps: Vec<TokenStream> = src.deps.iter().map(dep_ref).collect();
            let consts = consts_fn(&src.consts, items);
            quote! {
                ::leibniz::gpu::DeviceFn {
                    name: #fname,
                    module: ::core::module_path!(),
                    source: #source,
                    deps: &[#(#deps),*],
                    consts: #consts,
                    unsupported: ::core::option::Option::None,
                }
            }
        }
        Ok(Err(why)) => {
            let why = format!("`{fname}` has no CUDA device version: {why}");
            quote!(::leibniz::gpu::DeviceFn::unsupported(#fname, #why))
        }
        Err(_) => {
            let why = format!("`{fname}` has no CUDA device version (internal error of leibniz while printing it)");
            quote!(::leibniz::gpu::DeviceFn::unsupported(#fname, #why))
        }
    };
    quote! {
        #cfg
        #[doc(hidden)]
        #[allow(non_upper_case_globals, dead_code)]
        #vis const #cname: ::leibniz::gpu::DeviceFn = #body;
    }
}

