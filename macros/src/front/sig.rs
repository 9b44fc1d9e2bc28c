//! Reads the signature: the float type, the role of each parameter (read
//! from its type, DESIGN §2), which parameters are active, and the result.

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, Signature, Type};

use super::attr::Attr;
use crate::diag::Diag;
use crate::ir::{ArrKind, By, Shape, Ty};

/// The role of a parameter, read from its type.
#[derive(Clone, Debug)]
pub enum Role {
    /// `F` by value.
    Scalar,
    /// `&F` or `&mut F`.
    ScalarRef(By),
    /// An array of floats (possibly nested, possibly of structs): `&[F]`,
    /// `&mut Vec<F>`, `[F; N]`, `&[[F; 3]]`, `&[Particle]`.
    Array { by: By, shape: Shape },
    /// A value of a type the macro does not see (a struct, a tuple, an alias
    /// of a float): differentiated through `leibniz::Differentiable`.
    Val { by: By },
    /// Never differentiated: integers, `bool`, strings, integer arrays.
    Const { ty: Ty, by: By, shape: Option<Shape> },
    /// A function parameter (`F: Fn(..)`, `impl Fn(..)`, `fn(..)`).
    Func,
}

impl Role {
    pub fn by(&self) -> By {
        match self {
            Role::Scalar | Role::Func => By::Value,
            Role::ScalarRef(b) => *b,
            Role::Array { by, .. } | Role::Val { by } | Role::Const { by, .. } => *by,
        }
    }

    /// Whether the type may carry derivatives.
    pub fn carries(&self) -> bool {
        matches!(self, Role::Scalar | Role::ScalarRef(_) | Role::Array { .. } | Role::Val { .. })
    }
}

#[derive(Clone)]
pub struct Param {
    /// The name (`self` for the receiver).
    pub ident: Ident,
    pub mutable: bool,
    /// The declared type (`Self`, `&Self`, `&mut Self` for receivers).
    pub ty: Type,
    pub role: Role,
    /// Differentiated: carries derivatives, and not excluded by `#[no_grad]`
    /// or `wrt(..)`.
    pub active: bool,
    pub is_self: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ret {
    Unit,
    Scalar,
    Val,
}

#[derive(Clone)]
pub struct Sig {
    /// The float type `F`, when one is visible.
    pub float: Option<Type>,
    /// Generic type parameters that stand for floats.
    pub float_generics: Vec<Ident>,
    pub params: Vec<Param>,
    pub ret: Ret,
    pub ret_ty: Type,
    pub has_self: bool,
    pub associated: bool,
}

impl Sig {
    pub fn is_float(&self, id: &Ident) -> bool {
        if self.float_generics.iter().any(|g| g == id) {
            return true;
        }
        matches!(&self.float, Some(Type::Path(p)) if p.path.is_ident(id))
    }
}

const INTS: &[&str] = &["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"];
const FLOATS: &[&str] = &["f32", "f64"];
/// Trait names that make a generic parameter a float.
const FLOAT_BOUNDS: &[&str] = &["Float", "Real", "RealField", "FloatCore", "Scalar", "SimdRealField"];
/// Trait names that make a generic parameter a function.
const FN_BOUNDS: &[&str] = &["Fn", "FnMut", "FnOnce"];

fn last_ident(ty: &Type) -> Option<&Ident> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

/// `f64`, `core::primitive::f64`, `std::primitive::f32`.
fn prim_name(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    if !p.path.segments.iter().all(|s| matches!(s.arguments, PathArguments::None)) {
        return None;
    }
    let last = segs.last()?.clone();
    let ok = segs.len() == 1 || (segs.len() == 3 && (segs[0] == "core" || segs[0] == "std") && segs[1] == "primitive");
    ok.then_some(last)
}

fn strip(ty: &Type) -> &Type {
    match ty {
        Type::Paren(p) => strip(&p.elem),
        Type::Group(g) => strip(&g.elem),
        t => t,
    }
}

struct Classifier<'a> {
    float: Option<String>,
    float_generics: &'a [Ident],
    fn_generics: &'a [Ident],
    other_generics: &'a [Ident],
}

#[derive(Debug)]
enum Owned {
    Float,
    Int,
    Bool,
    Const,
    Func,
    Array(Shape),
    Val,
    /// A generic parameter whose float-ness cannot be decided.
    Undecided(Ident),
    Bad(&'static str),
}

impl Classifier<'_> {
    fn owned(&self, ty: &Type) -> Owned {
        let ty = strip(ty);
        if let Some(n) = prim_name(ty) {
            if Some(&n) == self.float.as_ref() || self.float_generics.iter().any(|g| *g == n) {
                return Owned::Float;
            }
            if FLOATS.contains(&n.as_str()) {
                // Another float type than `F`: dispatched through traits.
                return Owned::Val;
            }
            if INTS.contains(&n.as_str()) {
                return Owned::Int;
            }
            if n == "bool" {
                return Owned::Bool;
            }
            if n == "char" || n == "str" || n == "String" {
                return Owned::Const;
            }
            if self.fn_generics.iter().any(|g| *g == n) {
                return Owned::Func;
            }
            if let Some(g) = self.other_generics.iter().find(|g| **g == n) {
                return Owned::Undecided(g.clone());
            }
            return Owned::Val;
        }
        match ty {
            Type::Slice(s) => self.array(&s.elem, ArrKind::Slice),
            Type::Array(a) => self.array(&a.elem, ArrKind::Fixed(a.len.to_token_stream())),
            Type::Path(p) if p.qself.is_none() => {
                let Some(seg) = p.path.segments.last() else { return Owned::Val };
                if seg.ident == "Vec" {
                    if let PathArguments::AngleBracketed(args) = &seg.arguments {
                        if let Some(GenericArgument::Type(t)) = args.args.first() {
                            return self.array(t, ArrKind::Vec);
                        }
                    }
                }
                // Std wrappers of constants (`Option<usize>`, `Box<bool>`,
                // `Range<usize>`) carry no derivatives.
                if ["Option", "Box", "Rc", "Arc", "Range", "RangeInclusive"].contains(&seg.ident.to_string().as_str()) {
                    if let PathArguments::AngleBracketed(args) = &seg.arguments {
                        let inner: Vec<Owned> = args.args.iter().filter_map(|a| if let GenericArgument::Type(t) = a { Some(self.owned(t)) } else { None }).collect();
                        if !inner.is_empty() && inner.iter().all(|o| matches!(o, Owned::Int | Owned::Bool | Owned::Const)) {
                            return Owned::Const;
                        }
                    }
                }
                Owned::Val
            }
            Type::Tuple(t) if t.elems.is_empty() => Owned::Const,
            Type::Tuple(t) => {
                let parts: Vec<Owned> = t.elems.iter().map(|e| self.owned(e)).collect();
                if let Some(u) = parts.iter().find_map(|p| if let Owned::Undecided(g) = p { Some(g.clone()) } else { None }) {
                    return Owned::Undecided(u);
                }
                if parts.iter().all(|p| matches!(p, Owned::Int | Owned::Bool | Owned::Const)) {
                    Owned::Const
                } else {
                    Owned::Val
                }
            }
            Type::ImplTrait(it) => {
                let is_fn = it.bounds.iter().any(|b| matches!(b, syn::TypeParamBound::Trait(t) if t.path.segments.last().is_some_and(|s| FN_BOUNDS.iter().any(|f| s.ident == f))));
                if is_fn { Owned::Func } else { Owned::Bad("`impl Trait` parameters are not supported unless they are `impl Fn(..)`; use a generic parameter or a concrete type") }
            }
            Type::BareFn(_) => Owned::Func,
            Type::TraitObject(t) => {
                let is_fn = t.bounds.iter().any(|b| matches!(b, syn::TypeParamBound::Trait(t) if t.path.segments.last().is_some_and(|s| FN_BOUNDS.iter().any(|f| s.ident == f))));
                if is_fn { Owned::Func } else { Owned::Bad("trait objects are not supported by #[differentiable]; use a generic parameter or a concrete type") }
            }
            Type::Ptr(_) => Owned::Bad("raw pointers are not supported by #[differentiable]; pass a slice `&[F]` or `&mut [F]`"),
            Type::Reference(_) => Owned::Bad("references to references are not supported; pass `&T` or `&mut T`"),
            Type::Never(_) => Owned::Const,
            _ => Owned::Bad("this parameter type is not supported by #[differentiable]"),
        }
    }

    fn array(&self, elem: &Type, kind: ArrKind) -> Owned {
        match self.owned(elem) {
            Owned::Float => Owned::Array(Shape::Array(Box::new(Shape::Scalar(Ty::F)), kind)),
            Owned::Int => Owned::Array(Shape::Array(Box::new(Shape::Scalar(Ty::Int)), kind)),
            Owned::Bool => Owned::Array(Shape::Array(Box::new(Shape::Scalar(Ty::Bool)), kind)),
            Owned::Const => Owned::Array(Shape::Array(Box::new(Shape::Scalar(Ty::Const)), kind)),
            Owned::Array(inner) => Owned::Array(Shape::Array(Box::new(inner), kind)),
            Owned::Val => Owned::Array(Shape::Array(Box::new(Shape::Val), kind)),
            Owned::Func => Owned::Bad("arrays of functions are not supported by #[differentiable]"),
            other => other,
        }
    }
}

/// The float types named in a type (`f64`, or a float generic).
fn floats_in(ty: &Type, float_generics: &[Ident], out: &mut Vec<String>) {
    struct V<'a> {
        g: &'a [Ident],
        out: &'a mut Vec<String>,
    }
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_type_path(&mut self, p: &'ast syn::TypePath) {
            let ty = Type::Path(p.clone());
            if let Some(n) = prim_name(&ty) {
                if FLOATS.contains(&n.as_str()) || self.g.iter().any(|g| *g == n) {
                    self.out.push(n);
                }
            }
            syn::visit::visit_type_path(self, p);
        }
    }
    syn::visit::Visit::visit_type(&mut V { g: float_generics, out }, ty);
}

fn bound_names<'a>(bounds: impl Iterator<Item = &'a syn::TypeParamBound>) -> Vec<String> {
    bounds
        .filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => t.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Generic type parameters split into floats, functions and others.
fn split_generics(generics: &syn::Generics, attr: &Attr) -> (Vec<Ident>, Vec<Ident>, Vec<Ident>) {
    let mut floats = Vec::new();
    let mut fns = Vec::new();
    let mut others = Vec::new();
    let named_float = attr.float.as_ref().and_then(last_ident).cloned();
    for tp in generics.type_params() {
        let mut names = bound_names(tp.bounds.iter());
        if let Some(wc) = &generics.where_clause {
            for pred in &wc.predicates {
                if let syn::WherePredicate::Type(pt) = pred {
                    if last_ident(&pt.bounded_ty) == Some(&tp.ident) {
                        names.extend(bound_names(pt.bounds.iter()));
                    }
                }
            }
        }
        if named_float.as_ref() == Some(&tp.ident) || names.iter().any(|n| FLOAT_BOUNDS.contains(&n.as_str())) {
            floats.push(tp.ident.clone());
        } else if names.iter().any(|n| FN_BOUNDS.contains(&n.as_str())) {
            fns.push(tp.ident.clone());
        } else {
            others.push(tp.ident.clone());
        }
    }
    if let Some(f) = named_float {
        if !floats.contains(&f) && !FLOATS.contains(&f.to_string().as_str()) {
            floats.push(f);
        }
    }
    (floats, fns, others)
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
    if sig.ident.to_string().contains(crate::naming::RESERVED) {
        diag.spanned(&sig.ident, format!("names containing `{}` are reserved for the functions #[differentiable] emits; rename this function", crate::naming::RESERVED));
    }

    let mut all_generics = sig.generics.clone();
    if let Some(ctx) = &attr.in_impl {
        for p in &ctx.generics.params {
            all_generics.params.push(p.clone());
        }
        if let Some(wc) = &ctx.generics.where_clause {
            let mine = all_generics.make_where_clause();
            mine.predicates.extend(wc.predicates.iter().cloned());
        }
    }
    let (mut float_generics, fn_generics, mut other_generics) = split_generics(&all_generics, attr);

    // Methods of generic impls seen without their impl: a one-letter type
    // parameter name (`T`) that the signature uses where a float would be
    // stands for the float type (`float = T` names it explicitly).
    let lone_method = attr.lone_method || sig.inputs.iter().any(|i| matches!(i, FnArg::Receiver(_)));
    if attr.in_impl.is_none() && attr.float.is_none() && lone_method {
        let mut mentioned = Vec::new();
        for input in &sig.inputs {
            if let FnArg::Typed(pt) = input {
                floats_in(&pt.ty, &[], &mut mentioned);
            }
        }
        if let ReturnType::Type(_, t) = &sig.output {
            floats_in(t, &[], &mut mentioned);
        }
        if mentioned.is_empty() {
            let mut singles = Vec::new();
            let mut visit = |ty: &Type| {
                struct S<'a>(&'a mut Vec<Ident>);
                impl<'ast> syn::visit::Visit<'ast> for S<'_> {
                    fn visit_type_path(&mut self, p: &'ast syn::TypePath) {
                        if let Some(id) = p.path.get_ident() {
                            let s = id.to_string();
                            if s.len() == 1 && s.chars().all(|c| c.is_ascii_uppercase()) && !self.0.contains(id) {
                                self.0.push(id.clone());
                            }
                        }
                        syn::visit::visit_type_path(self, p);
                    }
                }
                syn::visit::Visit::visit_type(&mut S(&mut singles), ty);
            };
            for input in &sig.inputs {
                if let FnArg::Typed(pt) = input {
                    visit(&pt.ty);
                }
            }
            if let ReturnType::Type(_, t) = &sig.output {
                visit(t);
            }
            for s in singles {
                let declared = all_generics.type_params().any(|tp| tp.ident == s);
                if !declared && !float_generics.contains(&s) {
                    float_generics.push(s);
                }
            }
        }
    }
    other_generics.retain(|g| !float_generics.contains(g));

    // The float type: `float = T`, else the first one named.
    let mut named = Vec::new();
    for input in &sig.inputs {
        if let FnArg::Typed(pt) = input {
            floats_in(&pt.ty, &float_generics, &mut named);
        }
    }
    if let ReturnType::Type(_, t) = &sig.output {
        floats_in(t, &float_generics, &mut named);
    }
    let float: Option<Type> = match &attr.float {
        Some(t) => Some(t.clone()),
        None => {
            let first_generic = named.iter().find(|n| float_generics.iter().any(|g| g == *n));
            first_generic.or(named.first()).map(|n| {
                let id = Ident::new(n, Span::call_site());
                syn::parse_quote!(#id)
            })
        }
    };
    let float_name = float.as_ref().and_then(last_ident).map(|i| i.to_string());
    let cls = Classifier { float: float_name, float_generics: &float_generics, fn_generics: &fn_generics, other_generics: &other_generics };

    let mut params = Vec::new();
    let mut has_self = false;
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(r) => {
                has_self = true;
                let by = match (&r.reference, r.mutability) {
                    (None, _) => By::Value,
                    (Some(_), None) => By::Ref,
                    (Some(_), Some(_)) => By::Mut,
                };
                if r.colon_token.is_some() {
                    diag.spanned(r, "typed receivers (`self: Box<Self>`, ..) are not supported; write `self`, `&self` or `&mut self`");
                }
                let no_grad = r.attrs.iter().any(|a| a.path().is_ident("no_grad"));
                for a in &r.attrs {
                    if !a.path().is_ident("no_grad") {
                        diag.spanned(a, "only `#[no_grad]` is accepted on parameters of a #[differentiable] function");
                    }
                }
                let ty: Type = match by {
                    By::Value => syn::parse_quote!(Self),
                    By::Ref => syn::parse_quote!(&Self),
                    By::Mut => syn::parse_quote!(&mut Self),
                };
                params.push(Param {
                    ident: Ident::new("self", r.self_token.span),
                    mutable: r.mutability.is_some() && r.reference.is_none(),
                    ty,
                    role: Role::Val { by },
                    active: !no_grad,
                    is_self: true,
                    span: r.span(),
                });
            }
            FnArg::Typed(pt) => {
                let (ident, mutable) = match &*pt.pat {
                    Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => (pi.ident.clone(), pi.mutability.is_some()),
                    other => {
                        diag.spanned(other, "parameter patterns are not supported by #[differentiable]; bind each parameter to a name (`p: (f64, f64)` then `p.0`)");
                        continue;
                    }
                };
                let ty = strip(&pt.ty);
                let (role, bad) = match ty {
                    Type::Reference(r) => {
                        let by = if r.mutability.is_some() { By::Mut } else { By::Ref };
                        match cls.owned(&r.elem) {
                            Owned::Float => (Role::ScalarRef(by), None),
                            Owned::Int => (Role::Const { ty: Ty::Int, by, shape: None }, None),
                            Owned::Bool => (Role::Const { ty: Ty::Bool, by, shape: None }, None),
                            Owned::Const => (Role::Const { ty: Ty::Const, by, shape: None }, None),
                            Owned::Func => (Role::Func, None),
                            Owned::Array(shape) if shape.carries() => (Role::Array { by, shape }, None),
                            Owned::Array(shape) => (Role::Const { ty: Ty::Const, by, shape: Some(shape) }, None),
                            Owned::Val => (Role::Val { by }, None),
                            Owned::Undecided(g) => (Role::Const { ty: Ty::Const, by, shape: None }, Some(undecided(&g))),
                            Owned::Bad(m) => (Role::Const { ty: Ty::Const, by, shape: None }, Some(m.to_string())),
                        }
                    }
                    t => match cls.owned(t) {
                        Owned::Float => (Role::Scalar, None),
                        Owned::Int => (Role::Const { ty: Ty::Int, by: By::Value, shape: None }, None),
                        Owned::Bool => (Role::Const { ty: Ty::Bool, by: By::Value, shape: None }, None),
                        Owned::Const => (Role::Const { ty: Ty::Const, by: By::Value, shape: None }, None),
                        Owned::Func => (Role::Func, None),
                        Owned::Array(shape) if shape.carries() => (Role::Array { by: By::Value, shape }, None),
                        Owned::Array(shape) => (Role::Const { ty: Ty::Const, by: By::Value, shape: Some(shape) }, None),
                        Owned::Val => (Role::Val { by: By::Value }, None),
                        Owned::Undecided(g) => (Role::Const { ty: Ty::Const, by: By::Value, shape: None }, Some(undecided(&g))),
                        Owned::Bad(m) => (Role::Const { ty: Ty::Const, by: By::Value, shape: None }, Some(m.to_string())),
                    },
                };
                let no_grad = pt.attrs.iter().find(|a| a.path().is_ident("no_grad"));
                for a in &pt.attrs {
                    if !a.path().is_ident("no_grad") {
                        diag.spanned(a, "only `#[no_grad]` is accepted on parameters of a #[differentiable] function");
                    }
                }
                if let Some(msg) = bad {
                    if no_grad.is_none() {
                        diag.spanned(&pt.ty, msg);
                    }
                }
                // Types of nalgebra, glam and ndarray: derivatives only with
                // the feature of that crate, never silently constant.
                if no_grad.is_none() && role.carries() && attr.wrt.as_ref().is_none_or(|w| w.contains(&ident)) {
                    if let Some(msg) = foreign_constant(ty, &ident) {
                        diag.spanned(&pt.ty, msg);
                    }
                }
                let mut active = role.carries();
                if let Some(a) = no_grad {
                    if !role.carries() && matches!(role, Role::Const { ty: Ty::Int | Ty::Bool, .. }) {
                        diag.spanned(a, format!("`#[no_grad]` on `{ident}` has no effect: it is not a float parameter and is never differentiated; remove `#[no_grad]`"));
                    }
                    active = false;
                }
                let mut decl_ty = (*pt.ty).clone();
                name_view_lifetimes(&mut decl_ty);
                params.push(Param { ident, mutable, ty: decl_ty, role, active, is_self: false, span: pt.span() });
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
                Some(p) if !p.role.carries() => {
                    let what = match p.role {
                        Role::Const { ty: Ty::Int, .. } => "an integer",
                        Role::Func => "a function",
                        _ => "a constant (non-float)",
                    };
                    diag.spanned(name, format!("`wrt({name})`: `{name}` is {what} parameter and cannot be differentiated; only floats, arrays and differentiable structs can be active"));
                }
                Some(_) => {}
            }
        }
        for p in &mut params {
            if !wrt.contains(&p.ident) {
                p.active = false;
            }
        }
    }

    let (ret, ret_ty) = match &sig.output {
        ReturnType::Default => (Ret::Unit, syn::parse_quote!(())),
        ReturnType::Type(_, ty) => {
            let t = strip(ty);
            let r = match t {
                Type::Tuple(tu) if tu.elems.is_empty() => Ret::Unit,
                Type::Reference(_) => {
                    diag.spanned(ty, "returning a reference from a #[differentiable] function is not supported; return an owned value (`F`, `[F; N]`, `Vec<F>`, a struct)");
                    Ret::Unit
                }
                Type::ImplTrait(_) => {
                    diag.spanned(ty, "returning `impl Trait` from a #[differentiable] function is not supported; return a concrete type");
                    Ret::Unit
                }
                t => match cls.owned(t) {
                    Owned::Float => Ret::Scalar,
                    _ => Ret::Val,
                },
            };
            (r, (**ty).clone())
        }
    };

    let carrying_param = params.iter().any(|p| p.role.carries());
    if !params.iter().any(|p| p.active) && diag.is_empty() {
        if carrying_param {
            diag.at(sig.ident.span(), format!("no parameter of `{}` is differentiated (every float parameter is excluded by `#[no_grad]` or `wrt(..)`); remove `#[differentiable]` or make one parameter active", sig.ident));
        } else {
            diag.at(sig.ident.span(), format!("`{}` has no parameter to differentiate: a #[differentiable] function takes a float, an array of floats or a differentiable struct (`f64`, `&[f64]`, `&mut [f64]`, `T: Float`, `Vec3`, ..)", sig.ident));
        }
    }

    Some(Sig { float, float_generics, params, ret, ret_ty, has_self, associated: attr.associated })
}

fn undecided(g: &Ident) -> String {
    format!("leibniz cannot tell whether the generic type `{g}` is a float: bound it by `Float` (`{g}: Float`) to differentiate it, name it with `#[differentiable(float = {g})]`, or mark the parameter `#[no_grad]` if it is constant")
}

/// Whether `len()` on a value of this type is its number of elements: a
/// `Vec`, `VecDeque` or a container of nalgebra, glam or ndarray (a user's
/// own type may have a `len` of its own, a float).
pub fn counts_elements(ty: &Type) -> bool {
    let inner = match strip(ty) {
        Type::Reference(r) => strip(&r.elem),
        t => t,
    };
    let std_container = matches!(inner, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Vec" || s.ident == "VecDeque"));
    std_container || foreign_crate(ty).is_some()
}

/// The crate of a type of nalgebra, glam or ndarray, when the path names
/// the crate (`nalgebra::Vector3<f64>`, `na::..`) or a type name a user's
/// own type is unlikely to have (`DVector`, `UnitQuaternion`, `DVec3`,
/// `Array1`, ..; not `Vector3` or `Vec3`, which a user's differentiable
/// struct may be called: those get the `Differentiable` error at the
/// parameter, whose note names the features), with the type's name.
fn foreign_crate(ty: &Type) -> Option<(&'static str, String)> {
    const NALGEBRA: &[&str] = &[
        "SVector", "DVector", "SMatrix", "DMatrix", "OMatrix", "OVector", "RowDVector", "RowSVector", "UnitQuaternion", "UnitComplex", "UnitVector2", "UnitVector3", "Rotation2", "Rotation3", "Isometry2", "Isometry3", "Similarity2", "Similarity3",
        "Translation2", "Translation3", "DualQuaternion",
    ];
    const GLAM: &[&str] = &["DVec2", "DVec3", "DVec4", "DMat2", "DMat3", "DMat4", "DQuat", "DAffine2", "DAffine3", "Vec3A", "Mat3A", "Affine2", "Affine3A"];
    const NDARRAY: &[&str] = &["Array0", "Array1", "Array2", "Array3", "Array4", "Array5", "Array6", "ArrayD", "ArcArray", "ArcArray1", "ArcArray2", "CowArray"];
    let ty = strip(ty);
    let ty = match ty {
        Type::Reference(r) => strip(&r.elem),
        t => t,
    };
    let Type::Path(p) = ty else { return None };
    let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
    let last = segs.last()?.clone();
    if let Some(first) = segs.first().filter(|_| segs.len() > 1) {
        match first.as_str() {
            "nalgebra" | "na" => return Some(("nalgebra", last)),
            "glam" => return Some(("glam", last)),
            "ndarray" => return Some(("ndarray", last)),
            _ => {}
        }
    }
    if NALGEBRA.contains(&last.as_str()) {
        return Some(("nalgebra", last));
    }
    if GLAM.contains(&last.as_str()) {
        return Some(("glam", last));
    }
    if NDARRAY.contains(&last.as_str()) || is_view(&last) {
        return Some(("ndarray", last));
    }
    None
}

/// `ArrayView1`, `ArrayViewMut`, `ArrayViewD`, ..
fn is_view(name: &str) -> bool {
    name.starts_with("ArrayView")
}

/// Why a parameter of a type of nalgebra, glam or ndarray would carry no
/// derivatives: its crate's feature is off (then it would be constant), or
/// it is an ndarray view (not differentiated: it is neither a value nor a
/// slice leibniz can shadow).
fn foreign_constant(ty: &Type, ident: &Ident) -> Option<String> {
    let (krate, name) = foreign_crate(ty)?;
    if krate == "ndarray" && is_view(&name) {
        return Some(format!(
            "`{ident}: {name}<..>`: leibniz does not differentiate ndarray views; take the array as `&Array1<F>` (an active input, like `&Vec<F>`) or `&mut Array1<F>` (active in/out) with the `ndarray` feature, or as a slice `&[F]` (pass `view.as_slice().unwrap()`), or mark the parameter `#[no_grad]` if it is a constant"
        ));
    }
    let enabled = match krate {
        "nalgebra" => cfg!(feature = "nalgebra"),
        "glam" => cfg!(feature = "glam"),
        _ => cfg!(feature = "ndarray"),
    };
    if enabled {
        return None;
    }
    Some(format!(
        "`{ident}` has {krate}'s type `{name}`, which carries no derivatives without the `{krate}` feature of leibniz (it would be a constant): enable it (`leibniz-ad = {{ version = \"0.1\", features = [\"{krate}\"] }}`), or mark the parameter `#[no_grad]` if it is a constant, or pass its components as a slice `&[f64]`"
    ))
}

/// Gives ndarray views written without their lifetime (`ArrayView1<f64>`)
/// the anonymous one (`ArrayView1<'_, f64>`), which the emitted code
/// needs where elided lifetimes are not allowed (trait implementations).
fn name_view_lifetimes(ty: &mut Type) {
    struct V;
    impl syn::visit_mut::VisitMut for V {
        fn visit_path_segment_mut(&mut self, s: &mut syn::PathSegment) {
            if is_view(&s.ident.to_string()) {
                if let PathArguments::AngleBracketed(a) = &mut s.arguments {
                    if !a.args.iter().any(|g| matches!(g, GenericArgument::Lifetime(_))) {
                        a.args.insert(0, GenericArgument::Lifetime(syn::Lifetime::new("'_", Span::call_site())));
                    }
                }
            }
            syn::visit_mut::visit_path_segment_mut(self, s);
        }
    }
    syn::visit_mut::VisitMut::visit_type_mut(&mut V, ty);
}
