//! The signature of a `#[kernel]`: what each parameter is.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;

use crate::diag::Diag;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Float {
    F32,
    F64,
}

impl Float {
    pub fn tokens(self) -> TokenStream {
        match self {
            Float::F32 => quote!(f32),
            Float::F64 => quote!(f64),
        }
    }

    pub fn fty(self) -> crate::backend::cuda::Fty {
        match self {
            Float::F32 => crate::backend::cuda::Fty::F32,
            Float::F64 => crate::backend::cuda::Fty::F64,
        }
    }

    pub fn cuda(self) -> &'static str {
        match self {
            Float::F32 => "float",
            Float::F64 => "double",
        }
    }
}

/// An integer or boolean type of a parameter: its CUDA type and how a
/// value is passed to a launch (`KernelArg` takes i32, u32, i64, u64, usize).
#[derive(Clone, Debug)]
pub struct IntTy {
    pub cuda: &'static str,
    /// The Rust type it is converted to for the launch.
    pub pass: TokenStream,
    pub is_bool: bool,
}

#[derive(Clone, Debug)]
pub enum Kind {
    /// The element index `i: usize`.
    Index,
    /// `x: &[F]`, read at any index.
    In { active: bool },
    /// `idx: &[u32]` (and `i32`, `u64`, `i64`): read at any index, constant.
    IntIn { elem: IntTy },
    /// `a: F`.
    Scalar { active: bool },
    /// An integer or a boolean.
    Int { ty: IntTy },
    /// `y: &mut [F]`, written (and read) at the thread's index only.
    Out,
    /// `total: &mut F`, only accumulated (`*total += ..`): a sum over the
    /// elements.
    Sum,
}

#[derive(Clone, Debug)]
pub struct KParam {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    pub kind: Kind,
    pub span: Span,
    /// The `#[no_grad]` attribute, kept for the per-element function.
    pub attrs: Vec<syn::Attribute>,
}

pub struct KSig {
    pub name: syn::Ident,
    pub float: Float,
    pub params: Vec<KParam>,
}

impl KSig {
    pub fn index(&self) -> &KParam {
        &self.params[0]
    }

    /// The parameter whose length is the launch size: the first output
    /// slice, else the first input slice.
    pub fn len_param(&self) -> Option<&KParam> {
        self.params.iter().find(|p| matches!(p.kind, Kind::Out)).or_else(|| self.params.iter().find(|p| matches!(p.kind, Kind::In { .. } | Kind::IntIn { .. })))
    }
}

fn prim(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
            if p.path.segments.iter().any(|s| !matches!(s.arguments, syn::PathArguments::None)) {
                return None;
            }
            let ok = segs.len() == 1 || (segs.len() == 3 && (segs[0] == "core" || segs[0] == "std") && segs[1] == "primitive");
            ok.then(|| segs.last().cloned().unwrap_or_default())
        }
        syn::Type::Paren(p) => prim(&p.elem),
        syn::Type::Group(g) => prim(&g.elem),
        _ => None,
    }
}

fn int_ty(ty: &syn::Type) -> Option<IntTy> {
    let n = prim(ty)?;
    let (cuda, pass, is_bool) = match n.as_str() {
        "usize" => ("unsigned long long", quote!(usize), false),
        "u64" => ("unsigned long long", quote!(u64), false),
        "u32" => ("unsigned int", quote!(u32), false),
        "u16" => ("unsigned int", quote!(u32), false),
        "u8" => ("unsigned int", quote!(u32), false),
        "i64" => ("long long", quote!(i64), false),
        "isize" => ("long long", quote!(i64), false),
        "i32" => ("int", quote!(i32), false),
        "i16" => ("int", quote!(i32), false),
        "i8" => ("int", quote!(i32), false),
        "bool" => ("int", quote!(i32), true),
        _ => return None,
    };
    Some(IntTy { cuda, pass, is_bool })
}

/// Integer element types of input slices (those a device buffer can hold).
fn int_elem(ty: &syn::Type) -> Option<IntTy> {
    let n = prim(ty)?;
    let cuda = match n.as_str() {
        "u32" => "unsigned int",
        "i32" => "int",
        "u64" => "unsigned long long",
        "i64" => "long long",
        _ => return None,
    };
    Some(IntTy { cuda, pass: ty.to_token_stream(), is_bool: false })
}

const WHAT: &str = "a #[kernel] takes the element index `i: usize` first, then input slices `&[F]` (and `&[u32]`, `&[i32]`, `&[u64]`, `&[i64]`), scalars `F`, integers and booleans, output slices `&mut [F]` (written at `[i]`) and sums `&mut F` (`*s += ..`), with `F` one of `f32`, `f64`";

pub fn read(sig: &syn::Signature, diag: &mut Diag) -> Option<KSig> {
    if let Some(a) = &sig.asyncness {
        diag.spanned(a, "a #[kernel] cannot be `async`");
    }
    if let Some(u) = &sig.unsafety {
        diag.spanned(u, "a #[kernel] cannot be `unsafe`");
    }
    if let Some(c) = &sig.constness {
        diag.spanned(c, "a #[kernel] cannot be `const`");
    }
    if let Some(abi) = &sig.abi {
        diag.spanned(abi, "a #[kernel] is a Rust `fn`; remove `extern`");
    }
    if let Some(v) = &sig.variadic {
        diag.spanned(v, "a #[kernel] cannot be variadic");
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        diag.spanned(&sig.generics, "a #[kernel] is not generic: write it at `f32` or `f64` (it is compiled to one CUDA kernel per precision)");
        return None;
    }
    if sig.ident.to_string().contains(crate::naming::RESERVED) {
        diag.spanned(&sig.ident, format!("names containing `{}` are reserved for what leibniz emits; rename this kernel", crate::naming::RESERVED));
    }
    match &sig.output {
        syn::ReturnType::Default => {}
        syn::ReturnType::Type(_, t) if matches!(&**t, syn::Type::Tuple(tu) if tu.elems.is_empty()) => {}
        syn::ReturnType::Type(_, t) => {
            diag.spanned(t, "a #[kernel] returns nothing: write its results into output slices `out: &mut [F]` (`out[i] = ..`) or sums `total: &mut F` (`*total += ..`)");
        }
    }
    let mut float: Option<(Float, Span)> = None;
    let mut params = Vec::new();
    for (k, input) in sig.inputs.iter().enumerate() {
        let pt = match input {
            syn::FnArg::Receiver(r) => {
                diag.spanned(r, "a #[kernel] is a free function, not a method");
                continue;
            }
            syn::FnArg::Typed(pt) => pt,
        };
        let ident = match &*pt.pat {
            syn::Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                if let Some(m) = &pi.mutability {
                    diag.spanned(m, "parameters of a #[kernel] cannot be `mut`; copy it into a local (`let mut x = x;`)");
                }
                pi.ident.clone()
            }
            other => {
                diag.spanned(other, "bind each parameter of a #[kernel] to a name");
                continue;
            }
        };
        let mut no_grad = None;
        for a in &pt.attrs {
            if a.path().is_ident("no_grad") {
                no_grad = Some(a.clone());
            } else {
                diag.spanned(a, "only `#[no_grad]` is accepted on parameters of a #[kernel]");
            }
        }
        let mut see_float = |f: Float, span: Span, diag: &mut Diag| match float {
            None => float = Some((f, span)),
            Some((g, _)) if g != f => diag.at(span, "a #[kernel] uses one float type: every float of its parameters is `f32`, or every one is `f64`"),
            _ => {}
        };
        let fl = |t: &syn::Type| match prim(t).as_deref() {
            Some("f32") => Some(Float::F32),
            Some("f64") => Some(Float::F64),
            _ => None,
        };
        let ty = &*pt.ty;
        let kind = if k == 0 {
            if prim(ty).as_deref() != Some("usize") {
                diag.spanned(ty, "the first parameter of a #[kernel] is the index of the element its body computes: `i: usize`");
            }
            Kind::Index
        } else {
            match ty {
                syn::Type::Reference(r) => match (&*r.elem, r.mutability.is_some()) {
                    (syn::Type::Slice(s), false) => {
                        if let Some(f) = fl(&s.elem) {
                            see_float(f, s.elem.span(), diag);
                            Kind::In { active: no_grad.is_none() }
                        } else if let Some(e) = int_elem(&s.elem) {
                            Kind::IntIn { elem: e }
                        } else {
                            diag.spanned(ty, WHAT);
                            continue;
                        }
                    }
                    (syn::Type::Slice(s), true) => {
                        if let Some(f) = fl(&s.elem) {
                            see_float(f, s.elem.span(), diag);
                            Kind::Out
                        } else {
                            diag.spanned(ty, "an output slice of a #[kernel] holds floats: `&mut [f32]` or `&mut [f64]`");
                            continue;
                        }
                    }
                    (t, true) if fl(t).is_some() => {
                        see_float(fl(t).unwrap_or(Float::F64), t.span(), diag);
                        Kind::Sum
                    }
                    _ => {
                        diag.spanned(ty, WHAT);
                        continue;
                    }
                },
                t => {
                    if let Some(f) = fl(t) {
                        see_float(f, t.span(), diag);
                        Kind::Scalar { active: no_grad.is_none() }
                    } else if let Some(it) = int_ty(t) {
                        Kind::Int { ty: it }
                    } else {
                        diag.spanned(ty, WHAT);
                        continue;
                    }
                }
            }
        };
        if let Some(a) = &no_grad {
            if !matches!(kind, Kind::In { .. } | Kind::Scalar { .. }) {
                diag.spanned(a, "`#[no_grad]` goes on float inputs of a #[kernel] (`&[F]`, `F`); outputs always carry derivatives and integers never do");
            }
        }
        let attrs = no_grad.into_iter().collect();
        params.push(KParam { ident, ty: ty.clone(), kind, span: pt.span(), attrs });
    }
    if params.is_empty() {
        diag.at(sig.ident.span(), "the first parameter of a #[kernel] is the index of the element its body computes: `i: usize`");
        return None;
    }
    if !params.iter().any(|p| matches!(p.kind, Kind::Out | Kind::Sum)) {
        diag.at(sig.ident.span(), "a #[kernel] writes at least one output: an output slice `out: &mut [F]` (`out[i] = ..`) or a sum `total: &mut F` (`*total += ..`)");
    }
    if !params.iter().any(|p| matches!(p.kind, Kind::Out)) && !params.iter().any(|p| matches!(p.kind, Kind::In { .. } | Kind::IntIn { .. })) {
        diag.at(sig.ident.span(), "a #[kernel] runs once per element of its first output slice, or, without output slices, of its first input slice: give it a slice parameter");
    }
    let Some((float, _)) = float else {
        diag.at(sig.ident.span(), "a #[kernel] computes floats: give it `f32` or `f64` inputs and outputs");
        return None;
    };
    Some(KSig { name: sig.ident.clone(), float, params })
}
