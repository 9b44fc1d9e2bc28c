//! Reads the signature: which parameters are active and in which role,
//! the float type, and the shape of the result (DESIGN §2).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, Signature, Token, Type};

use crate::v1::diag::Diag;

/// The role of a parameter, read from its type.
#[derive(Clone)]
pub enum Role {
    /// `f32`, `f64` or the generic float type.
    Scalar,
    /// `&[F]`, `&Vec<F>`, `&[F; N]`.
    ArrRef,
    /// `&mut [F]`, `&mut Vec<F>`, `&mut [F; N]`.
    ArrMut,
    /// `[F; N]` by value; holds `N`.
    ArrVal(TokenStream),
    /// Anything else: never differentiated. `int`/`bool` tell the lowering
    /// what kind of value it is.
    Const { int: bool, bool_: bool },
}

pub struct Param {
    pub ident: Ident,
    /// Declared `mut` (so the body may reassign it).
    pub mutable: bool,
    pub ty: Type,
    pub role: Role,
    pub active: bool,
}

/// The shape of the result type.
#[derive(Clone)]
pub enum RetShape {
    Unit,
    Scalar,
    Vec,
    Array,
    Tuple(Vec<RetShape>),
}

pub struct Sig {
    /// The float type `F` (`f64`, `f32` or a generic parameter).
    pub float: Type,
    pub params: Vec<Param>,
    /// `&self` receiver tokens, for methods.
    pub receiver: Option<TokenStream>,
    pub ret: RetShape,
    pub ret_ty: TokenStream,
    pub associated: bool,
}

/// Arguments of the attribute: `wrt(a, b)` and `float = T`.
#[derive(Default)]
pub struct Attr {
    pub wrt: Option<Vec<Ident>>,
    pub float: Option<Ident>,
    /// An associated function without `self` inside an `impl`: its
    /// generated siblings are called through `Self::`.
    pub associated: bool,
}

impl Parse for Attr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut attr = Attr::default();
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            if key == "wrt" {
                if !input.peek(syn::token::Paren) {
                    return Err(syn::Error::new(key.span(), "write `wrt(a, b)` with the names of the parameters to differentiate"));
                }
                let content;
                syn::parenthesized!(content in input);
                let names = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
                attr.wrt = Some(names.into_iter().collect());
            } else if key == "float" {
                if !input.peek(Token![=]) {
                    return Err(syn::Error::new(key.span(), "write `float = T` to name the float type"));
                }
                input.parse::<Token![=]>()?;
                attr.float = Some(input.parse()?);
            } else if key == "associated" {
                attr.associated = true;
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown option `{key}` of #[differentiable]; write `wrt(a, b)` to choose the active parameters, `float = T` to name the float type, or `associated` on a function without `self` inside an `impl`"
                    ),
                ));
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(attr)
    }
}

/// `f64`, `f32` or a name that stands for the float type.
fn float_name(ty: &Type, generics: &[Ident]) -> Option<Ident> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() || p.path.segments.len() != 1 {
        return None;
    }
    let seg = &p.path.segments[0];
    if !matches!(seg.arguments, PathArguments::None) {
        return None;
    }
    let id = &seg.ident;
    if id == "f64" || id == "f32" || generics.iter().any(|g| g == id) {
        return Some(id.clone());
    }
    None
}

/// Whether `f32` or `f64` appears in a type.
fn mentions_concrete_float(ty: &Type) -> bool {
    let s = ty.to_token_stream().to_string();
    s.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "f64" || w == "f32")
}

fn is_named(ty: &Type, names: &[&str]) -> bool {
    if let Type::Path(p) = ty {
        if let Some(id) = p.path.get_ident() {
            return names.iter().any(|n| id == n);
        }
    }
    false
}

const INTS: &[&str] = &["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"];

/// The element type of `[X]`, `Vec<X>` or `[X; N]` (with `N`).
fn array_elem(ty: &Type) -> Option<(&Type, Option<TokenStream>, bool)> {
    match ty {
        Type::Slice(s) => Some((&s.elem, None, false)),
        Type::Array(a) => Some((&a.elem, Some(a.len.to_token_stream()), true)),
        Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let seg = &p.path.segments[0];
            if seg.ident != "Vec" {
                return None;
            }
            if let PathArguments::AngleBracketed(args) = &seg.arguments {
                if args.args.len() == 1 {
                    if let GenericArgument::Type(t) = &args.args[0] {
                        return Some((t, None, false));
                    }
                }
            }
            None
        }
        _ => None,
    }
}

/// Classifies a type; records the float name it uses in `floats`.
fn role_of(ty: &Type, generics: &[Ident], floats: &mut Vec<Ident>) -> Role {
    if let Some(f) = float_name(ty, generics) {
        floats.push(f);
        return Role::Scalar;
    }
    match ty {
        Type::Reference(r) => {
            if let Some((elem, _, _)) = array_elem(&r.elem) {
                if let Some(f) = float_name(elem, generics) {
                    floats.push(f);
                    return if r.mutability.is_some() { Role::ArrMut } else { Role::ArrRef };
                }
            }
            Role::Const { int: false, bool_: false }
        }
        Type::Array(a) => {
            if let Some(f) = float_name(&a.elem, generics) {
                floats.push(f);
                return Role::ArrVal(a.len.to_token_stream());
            }
            Role::Const { int: false, bool_: false }
        }
        Type::Paren(p) => role_of(&p.elem, generics, floats),
        _ => Role::Const { int: is_named(ty, INTS), bool_: is_named(ty, &["bool"]) },
    }
}

fn ret_shape(ty: &Type, generics: &[Ident], floats: &mut Vec<Ident>, diag: &mut Diag) -> RetShape {
    if let Some(f) = float_name(ty, generics) {
        floats.push(f);
        return RetShape::Scalar;
    }
    match ty {
        Type::Tuple(t) if t.elems.is_empty() => RetShape::Unit,
        Type::Tuple(t) => {
            let mut parts = Vec::new();
            for e in &t.elems {
                let s = ret_shape(e, generics, floats, diag);
                if matches!(s, RetShape::Tuple(_) | RetShape::Unit) {
                    diag.spanned(e, "nested tuples and `()` inside a result tuple are not supported; return a flat tuple of floats, arrays and Vecs");
                }
                parts.push(s);
            }
            RetShape::Tuple(parts)
        }
        Type::Reference(_) => {
            diag.spanned(ty, "returning a reference from a #[differentiable] function is not supported; return an owned value (`F`, `[F; N]` or `Vec<F>`)");
            RetShape::Unit
        }
        Type::Paren(p) => ret_shape(&p.elem, generics, floats, diag),
        _ => {
            if let Some((elem, _, fixed)) = array_elem(ty) {
                if let Some(f) = float_name(elem, generics) {
                    floats.push(f);
                    return if fixed { RetShape::Array } else { RetShape::Vec };
                }
            }
            diag.spanned(ty, "unsupported result type: a #[differentiable] function returns a float, `[F; N]`, `Vec<F>`, a tuple of these, or `()`");
            RetShape::Unit
        }
    }
}

pub fn read(sig: &Signature, attr: &Attr, diag: &mut Diag) -> Option<Sig> {
    if let Some(a) = &sig.asyncness {
        diag.spanned(a, "`async fn` cannot be differentiated; write a plain `fn`");
    }
    if let Some(u) = &sig.unsafety {
        diag.spanned(u, "`unsafe fn` cannot be differentiated; write a safe `fn` (raw pointers and unsafe code have no derivative rules)");
    }
    if let Some(c) = &sig.constness {
        diag.spanned(c, "`const fn` cannot be differentiated; remove `const`");
    }
    if let Some(v) = &sig.variadic {
        diag.spanned(v, "variadic functions cannot be differentiated");
    }
    if let Some(abi) = &sig.abi {
        diag.spanned(abi, "`extern` functions cannot be differentiated; write a Rust `fn`");
    }

    let mut generics: Vec<Ident> = sig.generics.type_params().map(|t| t.ident.clone()).collect();
    if let Some(f) = &attr.float {
        generics.push(f.clone());
    }
    // Methods of generic impls: a one-letter type name (`T`) stands for the
    // float type (the macro cannot see the impl's generics; `float = T`
    // names it explicitly).
    let single_letter = |ty: &Type| -> Option<Ident> {
        if let Type::Path(p) = ty {
            if let Some(id) = p.path.get_ident() {
                let s = id.to_string();
                if s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase()) {
                    return Some(id.clone());
                }
            }
        }
        None
    };
    let concrete = sig.inputs.iter().any(|i| match i {
        FnArg::Typed(pt) => mentions_concrete_float(&pt.ty),
        _ => false,
    }) || matches!(&sig.output, ReturnType::Type(_, t) if mentions_concrete_float(t));
    let mut impl_generic = |ty: &Type| {
        if concrete || attr.float.is_some() {
            return;
        }
        let inner = match ty {
            Type::Reference(r) => array_elem(&r.elem).map(|(e, _, _)| e.clone()).unwrap_or((*r.elem).clone()),
            Type::Array(a) => (*a.elem).clone(),
            t => t.clone(),
        };
        if let Some(id) = single_letter(&inner) {
            if !generics.contains(&id) {
                generics.push(id);
            }
        }
    };
    for input in &sig.inputs {
        if let FnArg::Typed(pt) = input {
            impl_generic(&pt.ty);
        }
    }

    let mut receiver = None;
    let mut params = Vec::new();
    let mut floats = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(r) => {
                if r.reference.is_none() {
                    diag.spanned(r, "a #[differentiable] method takes `&self`; `self` by value is not supported");
                } else if r.mutability.is_some() {
                    diag.spanned(r, "a #[differentiable] method cannot take `&mut self`: `self` is a constant; take `&self` and pass what changes as a `&mut [F]` parameter");
                }
                receiver = Some(r.to_token_stream());
            }
            FnArg::Typed(pt) => {
                let (ident, mutable) = match &*pt.pat {
                    Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => (pi.ident.clone(), pi.mutability.is_some()),
                    other => {
                        diag.spanned(other, "parameter patterns are not supported by #[differentiable]; bind each parameter to a name (`p: (f64, f64)` then `p.0`)");
                        continue;
                    }
                };
                if let Type::ImplTrait(_) = &*pt.ty {
                    diag.spanned(&pt.ty, "`impl Trait` parameters are not supported; use a generic parameter `T: Float` or a concrete type");
                }
                let role = role_of(&pt.ty, &generics, &mut floats);
                if let Type::Ptr(_) = &*pt.ty {
                    diag.spanned(&pt.ty, "raw pointers are not supported by #[differentiable]; pass a slice `&[F]` or `&mut [F]`");
                    continue;
                }
                let mut active = matches!(role, Role::Scalar | Role::ArrRef | Role::ArrMut | Role::ArrVal(_));
                let no_grad = pt.attrs.iter().find(|a| a.path().is_ident("no_grad"));
                if let Some(attr) = no_grad {
                    if !active {
                        diag.spanned(attr, format!("`#[no_grad]` on `{ident}` has no effect: it is not a float parameter and is never differentiated; remove `#[no_grad]`"));
                    }
                    active = false;
                }
                for a in &pt.attrs {
                    if !a.path().is_ident("no_grad") {
                        diag.spanned(a, "only `#[no_grad]` is accepted on parameters of a #[differentiable] function");
                    }
                }
                params.push(Param { ident, mutable, ty: (*pt.ty).clone(), role, active });
            }
        }
    }

    if let Some(wrt) = &attr.wrt {
        for name in wrt {
            match params.iter().find(|p| &p.ident == name) {
                None => {
                    let names: Vec<String> = params.iter().map(|p| format!("`{}`", p.ident)).collect();
                    diag.spanned(name, format!("`wrt({name})`: no parameter named `{name}`; the parameters are {}", names.join(", ")));
                }
                Some(p) => {
                    if let Role::Const { int, .. } = p.role {
                        let what = if int { "an integer" } else { "a constant (non-float)" };
                        diag.spanned(name, format!("`wrt({name})`: `{name}` is {what} parameter and cannot be differentiated; only `f32`/`f64`/`T: Float` scalars and arrays of them can be active"));
                    }
                }
            }
        }
        for p in &mut params {
            if !wrt.contains(&p.ident) {
                p.active = false;
            }
        }
    }

    let (ret, ret_ty) = match &sig.output {
        ReturnType::Default => (RetShape::Unit, quote!(())),
        ReturnType::Type(_, ty) => (ret_shape(ty, &generics, &mut floats, diag), ty.to_token_stream()),
    };

    let float = match floats.first() {
        Some(f) => f.clone(),
        None => {
            diag.at(sig.ident.span(), "a #[differentiable] function needs a float parameter or result (`f32`, `f64`, or a generic `T: Float`)");
            return None;
        }
    };
    for f in &floats {
        if f != &float {
            diag.at(f.span(), format!("this function mixes float types `{float}` and `{f}`; a #[differentiable] function uses one float type: convert outside, or make it generic over `T: Float`"));
            break;
        }
    }
    Some(Sig { float: syn::parse_quote!(#float), params, receiver, ret, ret_ty, associated: attr.associated })
}
