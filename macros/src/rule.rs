//! `#[leibniz::jvp_rule(g)]` and `#[leibniz::vjp_rule(g)]`: custom
//! derivative rules.
//!
//! A JVP rule has the shape of an emitted `g_jvp`: each parameter of `g`
//! that carries derivatives is followed by its tangent, and it returns
//! `(value, tangent)`. Its body is lowered to the IR; the tangent part is
//! checked to be linear in the tangents, and reverse mode is its transpose
//! (`ad::rule`, `ad::vjp::unzip`). A VJP rule has the shape of an emitted
//! `g_vjp`: shadows after the by-reference parameters, `dout` last, and it
//! returns `(value, adjoints of the by-value parameters)`.
//!
//! Either emits `g`'s entry points (`g__lz_jvp`, `g__lz_fwd`, ..) next to the
//! rule, so calls of `g` in this module use them, and registers them under
//! the name `g` in the registry, so calls from any module and downstream
//! crates find them (see `leibniz::__private::registry`).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;

use crate::diag::Diag;
use crate::front::attr::Attr;
use crate::front::sig::{self, Role};

pub enum Target {
    /// A function, by the path calls use (`libm::lgamma`, `lgamma`).
    Path(syn::Path),
    /// A method, by name (`v.norm()`).
    Method(syn::Ident),
}

pub struct RuleAttr {
    pub target: Target,
    pub order: u8,
}

impl Parse for RuleAttr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(input.error("name the function the rule is for: `#[leibniz::jvp_rule(path::to::g)]`, or a method: `#[leibniz::jvp_rule(method = norm)]`"));
        }
        let target = if input.peek(syn::Ident) && input.peek2(syn::Token![=]) {
            let k: syn::Ident = input.parse()?;
            if k != "method" {
                return Err(syn::Error::new(k.span(), "expected the function's path, or `method = name`"));
            }
            let _: syn::Token![=] = input.parse()?;
            Target::Method(input.parse()?)
        } else {
            Target::Path(input.parse()?)
        };
        let mut order = 1;
        while !input.is_empty() {
            let _: syn::Token![,] = input.parse()?;
            if input.is_empty() {
                break;
            }
            let k: syn::Ident = input.parse()?;
            if k != "order" {
                return Err(syn::Error::new(k.span(), "unknown option; the options are `order = 2` (the rule's body is differentiated again for second derivatives)"));
            }
            let _: syn::Token![=] = input.parse()?;
            let n: syn::LitInt = input.parse()?;
            order = match n.base10_parse::<u8>()? {
                1 => 1,
                2 => 2,
                _ => return Err(syn::Error::new(n.span(), "`order` is 1 (first derivatives) or 2 (also second derivatives)")),
            };
        }
        Ok(RuleAttr { target, order })
    }
}

impl RuleAttr {
    /// The name the registry knows the target by.
    pub fn name(&self) -> syn::Ident {
        match &self.target {
            Target::Path(p) => p.segments.last().map(|s| s.ident.clone()).unwrap_or_else(|| syn::Ident::new("_", Span::call_site())),
            Target::Method(m) => m.clone(),
        }
    }

    pub fn is_method(&self) -> bool {
        matches!(self.target, Target::Method(_))
    }

    /// The identifier of the target's entry points (`g__lz_jvp`, ..).
    pub fn entry_ident(&self) -> syn::Ident {
        self.name()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jvp,
    Vjp,
}

pub fn rule(kind: Kind, attr: TokenStream, item: TokenStream) -> TokenStream {
    let ra: RuleAttr = match syn::parse2(attr) {
        Ok(a) => a,
        Err(e) => {
            let err = e.to_compile_error();
            return quote!(#err #item);
        }
    };
    let f: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(_) => {
            let what = if kind == Kind::Jvp { "jvp_rule" } else { "vjp_rule" };
            let example = if kind == Kind::Jvp { "fn g_jvp(x: f64, dx: f64) -> (f64, f64) { .. }" } else { "fn g_vjp(x: f64, dout: f64) -> (f64, f64) { .. }" };
            let err = syn::Error::new(Span::call_site(), format!("#[leibniz::{what}] goes on a function written like the `_{}` leibniz emits: `#[leibniz::{what}(g)] {example}`", if kind == Kind::Jvp { "jvp" } else { "vjp" })).to_compile_error();
            return quote!(#err #item);
        }
    };
    let mut diag = Diag::default();
    let out = match kind {
        Kind::Jvp => jvp_rule(&ra, &f, &mut diag),
        Kind::Vjp => vjp_rule(&ra, &f, &mut diag),
    };
    let errors = match diag.into_result() {
        Ok(()) => TokenStream::new(),
        Err(e) => e.to_compile_error(),
    };
    let mut clean = f.clone();
    clean.attrs.retain(|a| !a.path().segments.last().is_some_and(|s| s.ident == "jvp_rule" || s.ident == "vjp_rule"));
    for input in clean.sig.inputs.iter_mut() {
        if let syn::FnArg::Typed(pt) = input {
            pt.attrs.retain(|a| !a.path().is_ident("no_grad"));
        }
    }
    if !errors.is_empty() {
        return quote!(#errors #clean);
    }
    quote!(#clean #out)
}

/// Parameters of the rule: (pattern-type, is it a tangent/shadow of the one before).
fn typed_inputs(f: &syn::ItemFn, diag: &mut Diag) -> Vec<syn::PatType> {
    let mut out = Vec::new();
    for input in &f.sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => diag.spanned(r, "a rule is a free function: for a method, write `#[leibniz::jvp_rule(method = name)]` and take the receiver as the first parameter (`v: &Vector3<f64>, dv: &Vector3<f64>`)"),
            syn::FnArg::Typed(pt) => {
                if !matches!(&*pt.pat, syn::Pat::Ident(_)) {
                    diag.spanned(&pt.pat, "name each parameter of a rule with an identifier");
                }
                out.push(pt.clone());
            }
        }
    }
    out
}

fn ty_key(t: &syn::Type) -> String {
    let mut t = t.clone();
    strip_lifetimes(&mut t);
    t.to_token_stream().to_string()
}

fn strip_lifetimes(t: &mut syn::Type) {
    struct S;
    impl syn::visit_mut::VisitMut for S {
        fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
            r.lifetime = None;
            syn::visit_mut::visit_type_reference_mut(self, r);
        }
    }
    syn::visit_mut::VisitMut::visit_type_mut(&mut S, t);
}

fn ident_of(pt: &syn::PatType) -> syn::Ident {
    match &*pt.pat {
        syn::Pat::Ident(pi) => pi.ident.clone(),
        p => syn::Ident::new("_", p.span()),
    }
}

/// `(T, T)`: the element type.
fn pair_of(ret: &syn::ReturnType) -> Option<(syn::Type, syn::Type)> {
    let syn::ReturnType::Type(_, t) = ret else { return None };
    let syn::Type::Tuple(tt) = &**t else { return None };
    if tt.elems.len() != 2 {
        return None;
    }
    Some((tt.elems[0].clone(), tt.elems[1].clone()))
}

/// The role of a parameter type as leibniz reads it.
fn role_of(pt: &syn::PatType, f: &syn::ItemFn) -> Option<Role> {
    let mut sig = f.sig.clone();
    sig.inputs = syn::punctuated::Punctuated::new();
    sig.inputs.push(syn::FnArg::Typed(pt.clone()));
    sig.output = syn::ReturnType::Default;
    let mut d = Diag::default();
    let s = sig::read(&sig, &Attr::default(), &mut d)?;
    s.params.first().map(|p| p.role.clone())
}

/// A synthetic signature of the target.
fn target_sig(f: &syn::ItemFn, name: &syn::Ident, params: &[syn::PatType], ret: &syn::Type) -> syn::Signature {
    let mut sig = f.sig.clone();
    sig.ident = name.clone();
    sig.inputs = params.iter().cloned().map(syn::FnArg::Typed).collect();
    sig.output = syn::ReturnType::Type(Default::default(), Box::new(ret.clone()));
    sig
}

fn jvp_rule(ra: &RuleAttr, f: &syn::ItemFn, diag: &mut Diag) -> TokenStream {
    let inputs = typed_inputs(f, diag);
    let Some((r0, r1)) = pair_of(&f.sig.output) else {
        diag.spanned(&f.sig.output, "a JVP rule returns `(value, tangent)` of the same type, like the `_jvp` leibniz emits: `-> (f64, f64)`");
        return TokenStream::new();
    };
    if ty_key(&r0) != ty_key(&r1) {
        diag.spanned(&f.sig.output, "a JVP rule returns `(value, tangent)`: both of the result's type");
        return TokenStream::new();
    }
    if !diag.is_empty() {
        return TokenStream::new();
    }
    // Pair each parameter with its tangent: the next parameter, of the same
    // type, for parameters that carry derivatives.
    let mut prim = Vec::new();
    let mut tan = Vec::new();
    let mut k = 0;
    while k < inputs.len() {
        let p = &inputs[k];
        let carries = role_of(p, f).is_some_and(|r| r.carries()) && !p.attrs.iter().any(|a| a.path().is_ident("no_grad"));
        let next_same = inputs.get(k + 1).is_some_and(|q| ty_key(&q.ty) == ty_key(&p.ty));
        prim.push(k);
        if carries && next_same {
            tan.push(Some(k + 1));
            k += 2;
        } else {
            tan.push(None);
            k += 1;
        }
    }
    if tan.iter().all(|t| t.is_none()) {
        diag.spanned(&f.sig.inputs, "a JVP rule takes each parameter that carries derivatives followed by its tangent, of the same type: `fn g_jvp(x: f64, dx: f64, n: i32) -> (f64, f64)`");
        return TokenStream::new();
    }
    if ra.is_method() && tan.first().is_some_and(|t| t.is_none()) && role_of(&inputs[0], f).is_some_and(|r| r.carries()) {
        diag.spanned(&inputs[0], "the receiver of a method rule is its first parameter, followed by its tangent");
    }
    let name = ra.entry_ident();
    let target_params: Vec<syn::PatType> = prim.iter().map(|&k| inputs[k].clone()).collect();
    let tsig = target_sig(f, &name, &target_params, &r0);
    let wrt: Vec<syn::Ident> = prim.iter().zip(&tan).filter(|(_, t)| t.is_some()).map(|(&k, _)| ident_of(&inputs[k])).collect();
    let tattr = Attr { wrt: Some(wrt), ..Attr::default() };
    let Some(target) = sig::read(&tsig, &tattr, diag) else { return TokenStream::new() };
    // The rule's own signature, every tangent active, for lowering.
    let rule_wrt: Vec<syn::Ident> = tan.iter().flatten().map(|&k| ident_of(&inputs[k])).collect();
    let rattr = Attr { wrt: Some(rule_wrt), ..Attr::default() };
    let mut rsig_syn = f.sig.clone();
    for input in rsig_syn.inputs.iter_mut() {
        if let syn::FnArg::Typed(pt) = input {
            pt.attrs.retain(|a| !a.path().is_ident("no_grad"));
        }
    }
    let Some(rsig) = sig::read(&rsig_syn, &rattr, diag) else { return TokenStream::new() };
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let Some(lowered) = crate::lower::Lower::new(&rsig, diag).lower_fn(&f.block) else { return TokenStream::new() };
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let layout = crate::ad::rule::Layout { prim: prim.clone(), tan: tan.clone() };
    let Some((t, primal)) = crate::ad::rule::tangent_program(lowered.func.clone(), &layout, diag) else { return TokenStream::new() };
    if let Err(e) = crate::ir::verify::check(&t.func) {
        diag.at(f.sig.ident.span(), format!("internal error of leibniz (rule): {e}"));
        return TokenStream::new();
    }
    let v = crate::ad::vjp::unzip(&t, &primal, diag);
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let seeds: Vec<bool> = target.params.iter().map(|p| p.active).collect();
    let out_vars: Vec<crate::ir::Var> = primal
        .params
        .iter()
        .zip(&target.params)
        .filter_map(|(slot, p)| match slot {
            crate::ir::ParamSlot::Var(x) if p.active && p.role.by() == crate::ir::By::Mut => Some(*x),
            _ => None,
        })
        .collect();
    let passed: Vec<bool> = target.params.iter().map(|p| p.role.by() != crate::ir::By::Mut).collect();
    let second = if ra.order >= 2 {
        match crate::ad::hvp::second_order(&v, &seeds, &passed, &out_vars) {
            Ok(s) => Some(s),
            Err(e) => {
                if let Err(e) = e.into_result() {
                    diag.at(f.sig.ident.span(), format!("this rule cannot be differentiated again (`order = 2`): {e}"));
                }
                return TokenStream::new();
            }
        }
    } else {
        None
    };
    let rule_args: Vec<(usize, bool)> = {
        // For each rule parameter: (target parameter index, is tangent).
        let mut a = vec![(0, false); inputs.len()];
        for (k, &p) in prim.iter().enumerate() {
            a[p] = (k, false);
            if let Some(t) = tan[k] {
                a[t] = (k, true);
            }
        }
        a
    };
    let fun = crate::expand::Fun {
        name: &name,
        vis: &f.vis,
        generics: &f.sig.generics,
        sig: &target,
        items: &lowered.items,
        cfg: TokenStream::new(),
        method: false,
        float: target.float.clone(),
        entries: Default::default(),
        fn_sigs: Vec::new(),
    };
    let rule_fn = &f.sig.ident;
    let mut out = fun.one_rule(true);
    out.extend(fun.rule_jvp_entry(rule_fn, &rule_args));
    out.extend(fun.fwd_entry(&v));
    out.extend(fun.bwd_entry(&v, &seeds));
    let display = display_name(ra);
    match &second {
        Some(so) => {
            out.extend(fun.fwd_jvp_entry(&so.fwd, &seeds));
            out.extend(fun.bwd_jvp_entry(&so.bwd, &seeds));
        }
        None => out.extend(fun.no_second_order(&format!(
            "leibniz: `{display}` has a custom rule for first derivatives only, so second derivatives (`_hvp`, `_hessian`) of functions calling it cannot be built: declare the rule with `#[leibniz::jvp_rule({display}, order = 2)]` (its body is then differentiated again)"
        ))),
    }
    out.extend(registration(ra, &fun, rule_fn, Kind::Jvp));
    out
}

fn display_name(ra: &RuleAttr) -> String {
    match &ra.target {
        Target::Path(p) => p.to_token_stream().to_string().replace(' ', ""),
        Target::Method(m) => format!("method = {m}"),
    }
}

/// The registry implementations of the target's entry points and the
/// one-rule-per-function marker.
fn registration(ra: &RuleAttr, fun: &crate::expand::Fun, rule_fn: &syn::Ident, kind: Kind) -> TokenStream {
    let key = crate::naming::key(&ra.name().to_string());
    let key = if ra.is_method() { quote!(MethodKey<#key>) } else { quote!(Key<#key>) };
    let marker = format_ident!("{}__lz_marker", rule_fn);
    let recv_by_value = ra.is_method() && fun.sig.params.first().is_some_and(|p| p.role.by() == crate::ir::By::Value);
    let _ = kind;
    fun.registry_as(key, &marker, recv_by_value)
}

fn vjp_rule(ra: &RuleAttr, f: &syn::ItemFn, diag: &mut Diag) -> TokenStream {
    let inputs = typed_inputs(f, diag);
    let Some((r0, adj)) = pair_of(&f.sig.output) else {
        diag.spanned(&f.sig.output, "a VJP rule returns `(value, adjoints)` like the `_vjp` leibniz emits: the adjoints of the by-value parameters, bare when there is one, a tuple when several, `()` when none: `-> (f64, f64)`");
        return TokenStream::new();
    };
    if inputs.len() < 2 {
        diag.spanned(&f.sig.inputs, "a VJP rule takes the function's parameters, a shadow `&mut` after each by-reference one, and `dout` last: `fn g_vjp(x: f64, v: &[f64], bv: &mut [f64], dout: f64) -> (f64, f64)`");
        return TokenStream::new();
    }
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let dout = inputs.len() - 1;
    if ty_key(&inputs[dout].ty) != ty_key(&r0) {
        diag.spanned(&inputs[dout].ty, format!("the last parameter of a VJP rule is `dout`, of the result's type `{}`", r0.to_token_stream()));
        return TokenStream::new();
    }
    // Pair by-reference parameters with their shadows.
    let mut prim = Vec::new();
    let mut shadow = Vec::new();
    let mut k = 0;
    while k < dout {
        let p = &inputs[k];
        prim.push(k);
        let is_shadow_of = |q: &syn::PatType| match (&*p.ty, &*q.ty) {
            (syn::Type::Reference(a), syn::Type::Reference(b)) => a.mutability.is_none() && b.mutability.is_some() && ty_key(&a.elem) == ty_key(&b.elem),
            _ => false,
        };
        if k + 1 < dout && is_shadow_of(&inputs[k + 1]) {
            shadow.push(Some(k + 1));
            k += 2;
        } else {
            if let syn::Type::Reference(r) = &*p.ty {
                if r.mutability.is_some() {
                    diag.spanned(&p.ty, "a VJP rule for a function with `&mut` parameters is not supported: write a JVP rule (`#[leibniz::jvp_rule]`), whose reverse mode leibniz derives");
                }
            }
            shadow.push(None);
            k += 1;
        }
    }
    // By-value parameters that carry derivatives: their adjoints are returned.
    let byval: Vec<usize> = prim
        .iter()
        .enumerate()
        .filter(|(j, p)| shadow[*j].is_none() && !matches!(&*inputs[**p].ty, syn::Type::Reference(_)) && role_of(&inputs[**p], f).is_some_and(|r| r.carries()) && !inputs[**p].attrs.iter().any(|a| a.path().is_ident("no_grad")))
        .map(|(j, _)| j)
        .collect();
    let adj_count = match &adj {
        syn::Type::Tuple(t) if t.elems.is_empty() => 0,
        syn::Type::Tuple(t) if byval.len() != 1 => t.elems.len(),
        _ => 1,
    };
    if adj_count != byval.len() {
        diag.spanned(&adj, format!("a VJP rule returns the adjoints of its {} by-value parameter(s) that carry derivatives ({}), in order: bare when there is one, a tuple when several, `()` when none", byval.len(), byval.iter().map(|&j| ident_of(&inputs[prim[j]]).to_string()).collect::<Vec<_>>().join(", ")));
        return TokenStream::new();
    }
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let name = ra.entry_ident();
    let target_params: Vec<syn::PatType> = prim.iter().map(|&k| inputs[k].clone()).collect();
    let tsig = target_sig(f, &name, &target_params, &r0);
    let wrt: Vec<syn::Ident> = prim.iter().enumerate().filter(|(j, _)| shadow[*j].is_some() || byval.contains(j)).map(|(_, &k)| ident_of(&inputs[k])).collect();
    let tattr = Attr { wrt: Some(wrt), ..Attr::default() };
    let Some(target) = sig::read(&tsig, &tattr, diag) else { return TokenStream::new() };
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let fun = crate::expand::Fun {
        name: &name,
        vis: &f.vis,
        generics: &f.sig.generics,
        sig: &target,
        items: &[],
        cfg: TokenStream::new(),
        method: false,
        float: target.float.clone(),
        entries: Default::default(),
        fn_sigs: Vec::new(),
    };
    let call = match &ra.target {
        Target::Path(p) => quote!(#p),
        Target::Method(m) => quote!(#m),
    };
    let rule_fn = &f.sig.ident;
    let info = crate::expand::VjpRule { rule_fn, target: call, method: ra.is_method(), shadow: &shadow, byval: &byval };
    let mut out = fun.one_rule(false);
    out.extend(fun.vjp_rule_entries(&info));
    let display = display_name(ra);
    out.extend(fun.no_second_order(&format!(
        "leibniz: `{display}` has a VJP rule only, so second derivatives (`_hvp`, `_hessian`) of functions calling it cannot be built: write a JVP rule with `#[leibniz::jvp_rule({display}, order = 2)]` instead"
    )));
    out.extend(registration(ra, &fun, rule_fn, Kind::Vjp));
    out
}
