//! Assembles what `#[differentiable]` emits beside the primal: the hidden
//! entry points other differentiable code calls (`f__lz_jvp`, `f__lz_fwd`,
//! `f__lz_bwd`) and the public API (`f_jvp`, `f_vjp`, `f_grad`,
//! `f_derivative`, `f_record`, `f_pullback`, and the higher-order ones).
//!
//! The entry points have one slot per parameter (a tangent, or a shadow),
//! typed through the runtime's slot traits so that a caller that cannot see
//! this function's signature can always fill them (see
//! `leibniz_runtime::__private::slots`).

mod batch;
pub mod derive;
pub mod difffn;
mod higher;
mod public;
pub(crate) mod registry;
mod rule;

pub use rule::VjpRule;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};

use crate::ad::{jvp::JvpOut, vjp::VjpOut};
use crate::backend::rust::Env;
use crate::front::sig::{Param, Ret, Role, Sig};
use crate::ir::*;
use crate::naming;

pub const ALLOW: &str = "#[allow(unused_variables, unused_mut, unused_assignments, unused_parens, unused_braces, unused_imports, unused_unsafe, unreachable_code, non_snake_case, non_camel_case_types, dead_code, clippy::all, clippy::pedantic, clippy::nursery)]";

pub fn allow() -> TokenStream {
    ALLOW.parse().unwrap_or_default()
}

/// Everything the emitters need about one function.
pub struct Fun<'a> {
    pub name: &'a syn::Ident,
    pub vis: &'a syn::Visibility,
    pub generics: &'a syn::Generics,
    pub sig: &'a Sig,
    pub items: &'a [syn::Item],
    /// The `#[cfg(..)]` of this variant (empty when the body has none).
    pub cfg: TokenStream,
    /// Inside an `impl`: emitted items are associated items.
    pub method: bool,
    pub float: Option<syn::Type>,
    /// The entry points emitted so far (for the registry).
    pub entries: std::cell::RefCell<Vec<EntrySig>>,
    /// The `Fn` signatures of the function parameters.
    pub fn_sigs: Vec<(String, difffn::FnSig)>,
}

/// The signature of an emitted entry point.
pub struct EntrySig {
    pub entry: Entry,
    pub decls: Vec<TokenStream>,
    pub ret: TokenStream,
}

impl Fun<'_> {
    pub fn np(&self) -> usize {
        self.sig.params.len()
    }

    pub fn entry(&self, e: crate::ir::Entry) -> syn::Ident {
        naming::entry(self.name, e)
    }

    /// How to call a sibling: `f(..)` or `Self::f(..)`.
    pub fn call_path(&self, id: &syn::Ident) -> TokenStream {
        if self.method || self.sig.associated {
            quote!(Self::#id)
        } else {
            quote!(#id)
        }
    }

    /// The where-clause with the float bound for float generics.
    pub fn where_clause(&self) -> TokenStream {
        let mut preds: Vec<TokenStream> = Vec::new();
        if let Some(w) = &self.generics.where_clause {
            for p in &w.predicates {
                preds.push(p.to_token_stream());
            }
        }
        for g in &self.sig.float_generics {
            let declared = self.generics.type_params().any(|t| t.ident == *g);
            if declared {
                preds.push(quote!(#g: ::leibniz::Float));
            }
        }
        if preds.is_empty() { TokenStream::new() } else { quote!(where #(#preds),*) }
    }

    pub fn gen_params(&self) -> TokenStream {
        let p = &self.generics.params;
        if p.is_empty() { TokenStream::new() } else { quote!(<#p>) }
    }

    pub fn ret_ty(&self) -> TokenStream {
        self.sig.ret_ty.to_token_stream()
    }

    pub fn is_unit(&self) -> bool {
        self.sig.ret == Ret::Unit
    }

    /// The declaration of parameter `k` in the entry points and derivative
    /// wrappers: as the primal has it, except function parameters, which
    /// are `impl` the `DiffFn*` traits of their `Fn` bound.
    pub fn decl(&self, p: &Param) -> TokenStream {
        if matches!(p.role, Role::Func) {
            if let Some((_, s)) = self.fn_sigs.iter().find(|(n, _)| *n == p.ident.to_string()) {
                let id = &p.ident;
                let b = difffn::bounds(&s);
                return quote!(#id: #b);
            }
        }
        self.primal_decl(p)
    }

    /// The declaration of parameter `k` as the primal has it.
    pub fn primal_decl(&self, p: &Param) -> TokenStream {
        let id = &p.ident;
        let ty = &p.ty;
        if p.is_self {
            return match p.role.by() {
                By::Value => {
                    if p.mutable {
                        quote!(mut self)
                    } else {
                        quote!(self)
                    }
                }
                By::Ref => quote!(&self),
                By::Mut => quote!(&mut self),
            };
        }
        // By-value aggregates the body mutates stay `mut`.
        if p.mutable { quote!(mut #id: #ty) } else { quote!(#id: #ty) }
    }

    /// The type a reference parameter points to (`[f64]` for `&[f64]`).
    pub fn referent(&self, p: &Param) -> TokenStream {
        if p.is_self {
            return quote!(Self);
        }
        match &p.ty {
            syn::Type::Reference(r) => r.elem.to_token_stream(),
            t => t.to_token_stream(),
        }
    }

    /// The type a tangent or shadow slot of a reference parameter holds:
    /// arrays as slices (`[F]` for `&Vec<F>`, `&[F; N]`, `&[F]`), so any of
    /// them can be passed.
    pub fn slot_referent(&self, p: &Param) -> TokenStream {
        if let Role::Array { .. } = p.role {
            if let syn::Type::Reference(r) = &p.ty {
                if let Some(e) = array_elem_ty(&r.elem) {
                    return quote!([#e]);
                }
            }
        }
        self.referent(p)
    }

    /// The owned type of the adjoint of a by-reference parameter, as users
    /// see it: `Vec<F>` for slices, the referent itself otherwise (never
    /// leibniz's private `ZeroOwned::Owned`).
    pub fn owned_adjoint_ty(&self, p: &Param) -> TokenStream {
        let r = self.slot_referent(p);
        if let Ok(syn::Type::Slice(sl)) = syn::parse2::<syn::Type>(r.clone()) {
            let e = &sl.elem;
            return quote!(::std::vec::Vec<#e>);
        }
        r
    }

    /// Whether parameter `k` has a tangent and a shadow slot in the entry
    /// points (function parameters have none).
    pub fn has_slot(&self, p: &Param) -> bool {
        !matches!(p.role, Role::Func)
    }

    pub fn param_name(&self, p: &Param) -> TokenStream {
        if p.is_self { quote!(self) } else { p.ident.to_token_stream() }
    }

    pub fn tan_name(&self, k: usize) -> syn::Ident {
        naming::indexed("__d", k)
    }

    pub fn shadow_name(&self, k: usize) -> syn::Ident {
        naming::indexed("__b", k)
    }

    fn env<'b>(&'b self, f: &'b Func, names: Vec<Option<TokenStream>>, tape: bool) -> Env<'b> {
        let fn_params = self.fn_sigs.clone();
        Env { f, float: self.float.clone(), param_names: names, tape: tape.then(naming::tape), fn_params }
    }

    fn items(&self) -> TokenStream {
        let it = self.items;
        quote!(#(#it)*)
    }

    /// `T: Differentiable` checks on the declared types of active
    /// parameters, spanned at the type (the error lands on the user's
    /// tokens).
    fn checks(&self) -> TokenStream {
        let mut out = TokenStream::new();
        for p in &self.sig.params {
            if !p.active {
                continue;
            }
            let owned = match (&p.role, p.is_self) {
                (_, true) => quote!(Self),
                (Role::Val { .. }, _) => self.referent(p),
                _ => continue,
            };
            let span = p.span;
            out.extend(quote_spanned!(span=> ::leibniz::__private::assert_differentiable::<#owned>();));
        }
        out
    }

    // ----- entry points ---------------------------------------------------------

    /// `f__lz_jvp(p0, d0, p1, d1, ..) -> (R, R)`.
    pub fn jvp_entry(&self, t: &JvpOut, seeds: &[bool]) -> TokenStream {
        self.tangent_entry(Entry::Jvp, t, seeds)
    }

    /// `f__lz_fwd_jvp(p0, d0, p1, d1, .., tape) -> (R, R)`: the forward sweep
    /// with tangents, pushing each residual with its tangent.
    pub fn fwd_jvp_entry(&self, t: &JvpOut, seeds: &[bool]) -> TokenStream {
        self.tangent_entry(Entry::FwdJvp, t, seeds)
    }

    fn tangent_entry(&self, entry: Entry, t: &JvpOut, seeds: &[bool]) -> TokenStream {
        let name = self.entry(entry);
        let tape = entry == Entry::FwdJvp;
        let np = self.np();
        let mut decls = Vec::new();
        let mut prelude = TokenStream::new();
        let mut names: Vec<Option<TokenStream>> = vec![None; 2 * np];
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            names[k] = Some(self.param_name(p));
            if !self.has_slot(p) {
                continue;
            }
            let d = self.tan_name(k);
            names[np + k] = Some(d.to_token_stream());
            if !seeds[k] {
                decls.push(quote!(#d: impl ::core::marker::Sized));
                continue;
            }
            let pn = self.param_name(p);
            let (slot, conv) = self.tan_slot(p, &d, &pn);
            decls.push(quote!(#d: #slot));
            prelude.extend(conv);
        }
        if tape {
            let tp = naming::tape();
            decls.push(quote!(#tp: &mut ::leibniz::__private::TapeBuf));
        }
        let env = self.env(&t.func, names, tape);
        let body = env.block(&t.func.body);
        let ret = match (t.func.ret, t.ret_tan) {
            (Some(r), Some(rt)) => {
                let (r, rt) = (env.use_val(r), env.use_val(rt));
                quote!((#r, #rt))
            }
            _ => quote!(((), ())),
        };
        let rty = self.ret_ty();
        self.emit_fn(&name, decls, quote!((#rty, #rty)), quote!(#prelude #body #ret))
    }

    pub fn jvpb_name(&self) -> syn::Ident {
        format_ident!("{}{}jvpb", self.name, naming::RESERVED, span = self.name.span())
    }

    /// The tangent slot of parameter `k` in lane `l` of `f__lz_jvpb`.
    pub fn lane_tan_name(&self, k: usize, l: usize) -> syn::Ident {
        naming::named(&format!("__d{k}_{l}"))
    }

    /// `f__lz_jvpb(p0, d0_0, .., d0_{K-1}, p1, ..) -> (R, [R; K])`: `K`
    /// JVPs through one primal sweep (see `ad::lanes`).
    pub fn jvpb_entry(&self, l: &crate::ad::lanes::Lanes, seeds: &[bool]) -> TokenStream {
        let name = self.jvpb_name();
        let np = self.np();
        let k = l.ret_tans.len();
        let mut decls = Vec::new();
        let mut prelude = TokenStream::new();
        let mut names: Vec<Option<TokenStream>> = vec![None; (1 + k) * np];
        for (i, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            names[i] = Some(self.param_name(p));
            if !self.has_slot(p) {
                continue;
            }
            for lane in 0..k {
                let d = self.lane_tan_name(i, lane);
                names[np + lane * np + i] = Some(d.to_token_stream());
                if !seeds[i] {
                    decls.push(quote!(#d: impl ::core::marker::Sized));
                    continue;
                }
                let pn = self.param_name(p);
                let (slot, conv) = self.tan_slot(p, &d, &pn);
                decls.push(quote!(#d: #slot));
                prelude.extend(conv);
            }
        }
        let env = self.env(&l.func, names, false);
        let body = env.block(&l.func.body);
        let rty = self.ret_ty();
        let (ret, rt) = match (l.func.ret, l.ret_tans.iter().copied().collect::<Option<Vec<V>>>()) {
            (Some(r), Some(rts)) => {
                let r = env.use_val(r);
                let rts: Vec<TokenStream> = rts.into_iter().map(|v| env.use_val(v)).collect();
                (quote!((#r, [#(#rts),*])), quote!((#rty, [#rty; #k])))
            }
            _ => (quote!(((), ())), quote!(((), ()))),
        };
        self.emit_fn(&name, decls, rt, quote!(#prelude #body #ret))
    }

    /// A tangent slot's type and its conversion at the top of the body.
    fn tan_slot(&self, p: &Param, d: &syn::Ident, pn: &TokenStream) -> (TokenStream, TokenStream) {
        self.tan_slot_by(p, p.role.by(), d, pn)
    }

    fn tan_slot_by(&self, p: &Param, by: By, d: &syn::Ident, pn: &TokenStream) -> (TokenStream, TokenStream) {
        let g = format_ident!("{}_g", d);
        match by {
            By::Value => {
                let ty = if p.is_self { quote!(Self) } else { p.ty.to_token_stream() };
                (quote!(impl ::leibniz::__private::TanVal<#ty>), quote!(let #d = ::leibniz::__private::TanVal::get(#d, &#pn);))
            }
            By::Ref => {
                let r = self.slot_referent(p);
                let sp = p.span;
                (quote_spanned!(sp=> impl ::leibniz::__private::TanRef<#r>), quote!(let #g = ::leibniz::__private::TanRef::get(&#d, &*#pn); let #d = &*#g;))
            }
            By::Mut => {
                let r = self.slot_referent(p);
                let sp = p.span;
                (quote_spanned!(sp=> impl ::leibniz::__private::ShadowOf<#r>), quote!(let mut #g = ::leibniz::__private::ShadowOf::get(#d, ::core::option::Option::Some(&*#pn)); let #d = &mut *#g;))
            }
        }
    }

    /// `f__lz_fwd(p.., tape) -> R`.
    pub fn fwd_entry(&self, v: &VjpOut) -> TokenStream {
        let name = self.entry(Entry::Fwd);
        let np = self.np();
        let mut decls = Vec::new();
        let mut names: Vec<Option<TokenStream>> = vec![None; np];
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            names[k] = Some(self.param_name(p));
        }
        let t = naming::tape();
        decls.push(quote!(#t: &mut ::leibniz::__private::TapeBuf));
        let env = self.env(&v.fwd, names, true);
        let body = env.body();
        self.emit_fn(&name, decls, self.ret_ty(), body)
    }

    /// `f__lz_bwd(p0, b0, p1, b1, .., dout, tape)`: `&mut` parameters have
    /// only their shadow.
    pub fn bwd_entry(&self, v: &VjpOut, seeds: &[bool]) -> TokenStream {
        let name = self.entry(Entry::Bwd);
        let np = self.np();
        let mut decls = Vec::new();
        let mut prelude = TokenStream::new();
        let mut names: Vec<Option<TokenStream>> = vec![None; 2 * np + 1];
        for (k, p) in self.sig.params.iter().enumerate() {
            let pn = self.param_name(p);
            let by = p.role.by();
            if p.is_self {
                decls.push(if by == By::Value { quote!(self) } else { quote!(&self) });
                names[k] = Some(pn.clone());
            } else if by != By::Mut {
                decls.push(self.decl(p));
                names[k] = Some(pn.clone());
            } else {
                // The primal slot of a `&mut` parameter: ignored (a caller
                // passing a reborrow cannot know whether it is `&` or `&mut`).
                let x = naming::indexed("__p", k);
                decls.push(quote!(#x: impl ::core::marker::Sized));
            }
            if !self.has_slot(p) {
                continue;
            }
            let b = self.shadow_name(k);
            names[np + k] = Some(b.to_token_stream());
            if !seeds[k] {
                decls.push(quote!(#b: impl ::core::marker::Sized));
                continue;
            }
            let primal = match (by, p.is_self) {
                (By::Mut, false) => quote!(::core::option::Option::None),
                (By::Value, _) => quote!(::core::option::Option::Some(&#pn)),
                _ => quote!(::core::option::Option::Some(&*#pn)),
            };
            let (d, c) = self.shadow_slot(p, &b, primal);
            decls.push(d);
            prelude.extend(c);
        }
        let dout = naming::named("__dout");
        let rty = self.ret_ty();
        decls.push(quote!(#dout: #rty));
        names[2 * np] = Some(dout.to_token_stream());
        let t = naming::tape();
        decls.push(quote!(#t: &mut ::leibniz::__private::TapeRead<'_>));
        let env = self.env(&v.bwd, names, true);
        let body = env.block(&v.bwd.body);
        self.emit_fn(&name, decls, quote!(()), quote!(#prelude #body))
    }

    /// The name of the fused reverse mode (`f__lz_vjpc`).
    pub fn vjpc_name(&self) -> syn::Ident {
        format_ident!("{}{}vjpc", self.name, naming::RESERVED, span = self.name.span())
    }

    /// `f__lz_vjpc(p0, b0, p1, b1, .., dout) -> R`: the forward and the
    /// backward sweep in one function with a tape of its own, loops that
    /// only carry sums fused (see `opt::fuse`). Used by `_grad` and `_vjp`;
    /// functions without `&mut` parameters and with a scalar result only.
    pub fn vjpc_entry(&self, c: &Func, seeds: &[bool]) -> TokenStream {
        let name = self.vjpc_name();
        let np = self.np();
        let mut decls = Vec::new();
        let mut prelude = TokenStream::new();
        let mut names: Vec<Option<TokenStream>> = vec![None; 2 * np + 1];
        for (k, p) in self.sig.params.iter().enumerate() {
            let pn = self.param_name(p);
            let by = p.role.by();
            if p.is_self {
                decls.push(if by == By::Value { quote!(self) } else { quote!(&self) });
            } else {
                decls.push(self.decl(p));
            }
            names[k] = Some(pn.clone());
            if !self.has_slot(p) {
                continue;
            }
            let b = self.shadow_name(k);
            names[np + k] = Some(b.to_token_stream());
            if !seeds[k] {
                decls.push(quote!(#b: impl ::core::marker::Sized));
                continue;
            }
            let primal = match (by, p.is_self) {
                (By::Value, _) => quote!(::core::option::Option::Some(&#pn)),
                _ => quote!(::core::option::Option::Some(&*#pn)),
            };
            let (d, cv) = self.shadow_slot(p, &b, primal);
            decls.push(d);
            prelude.extend(cv);
        }
        let dout = naming::named("__dout");
        let rty = self.ret_ty();
        decls.push(quote!(#dout: #rty));
        names[2 * np] = Some(dout.to_token_stream());
        let env = self.env(c, names, true);
        let body = env.body();
        let t = naming::tape();
        let buf = naming::named("__tape_buf");
        // Indices `opt::bounds` left unchecked are printed through an
        // `unsafe` index: allowed on the statement holding the body only,
        // so `#[differentiable(checked)]` emits nothing a
        // `#![forbid(unsafe_code)]` refuses.
        let mut unchecked = false;
        c.body.walk(&mut |s| unchecked |= crate::opt::bounds::has_unchecked(s));
        let body = if unchecked {
            let r = naming::named("__lz_r");
            quote!(#[allow(unsafe_code)] let #r = { #body }; #r)
        } else {
            body
        };
        self.emit_fn(&name, decls, rty, quote!(#prelude let mut #buf = ::leibniz::__private::TapeBuf::new(); let #t = &mut #buf; #body))
    }

    /// A shadow slot's declaration and its conversion at the top of the
    /// body; `primal` is an `Option<&_>` giving the shape of a zero shadow.
    fn shadow_slot(&self, p: &Param, b: &syn::Ident, primal: TokenStream) -> (TokenStream, TokenStream) {
        let r = match p.role.by() {
            By::Value => {
                if p.is_self {
                    quote!(Self)
                } else {
                    p.ty.to_token_stream()
                }
            }
            _ => self.slot_referent(p),
        };
        let g = format_ident!("{}_g", b);
        let sp = p.span;
        (quote_spanned!(sp=> #b: impl ::leibniz::__private::ShadowOf<#r>), quote!(let mut #g = ::leibniz::__private::ShadowOf::get(#b, #primal); let #b = &mut *#g;))
    }

    /// `f__lz_bwd_jvp(p0, d0, b0, db0, .., dout, ddout, tape) -> ((), ())`:
    /// the backward sweep with tangents. `db_k` receives (`+=`) the tangent
    /// of the adjoint of parameter `k`: with `dout = 1`, `ddout = 0` and the
    /// tape of `fwd_jvp` along `d`, that is the Hessian-vector product `H d`.
    pub fn bwd_jvp_entry(&self, t: &JvpOut, seeds: &[bool]) -> TokenStream {
        let name = self.entry(Entry::BwdJvp);
        let np = self.np();
        let nb = 2 * np + 1;
        let mut decls = Vec::new();
        let mut prelude = TokenStream::new();
        let mut names: Vec<Option<TokenStream>> = vec![None; 2 * nb];
        for (k, p) in self.sig.params.iter().enumerate() {
            let pn = self.param_name(p);
            let by = p.role.by();
            let passed = p.is_self || by != By::Mut;
            if !passed {
                let x = naming::indexed("__p", k);
                let e = naming::indexed("__e", k);
                decls.push(quote!(#x: impl ::core::marker::Sized));
                decls.push(quote!(#e: impl ::core::marker::Sized));
            }
            if passed {
                if p.is_self {
                    decls.push(if by == By::Value { quote!(self) } else { quote!(&self) });
                } else {
                    decls.push(self.decl(p));
                }
                names[k] = Some(pn.clone());
                if self.has_slot(p) {
                    let d = naming::indexed("__e", k);
                    names[nb + k] = Some(d.to_token_stream());
                    if seeds[k] {
                        let tby = if by == By::Mut { By::Ref } else { by };
                        let (slot, conv) = self.tan_slot_by(p, tby, &d, &pn);
                        decls.push(quote!(#d: #slot));
                        prelude.extend(conv);
                    } else {
                        decls.push(quote!(#d: impl ::core::marker::Sized));
                    }
                }
            }
            if !self.has_slot(p) {
                continue;
            }
            let b = self.shadow_name(k);
            let db = naming::indexed("__f", k);
            names[np + k] = Some(b.to_token_stream());
            names[nb + np + k] = Some(db.to_token_stream());
            if !seeds[k] {
                decls.push(quote!(#b: impl ::core::marker::Sized));
                decls.push(quote!(#db: impl ::core::marker::Sized));
                continue;
            }
            let primal = match (by, p.is_self) {
                (By::Mut, false) => quote!(::core::option::Option::None),
                (By::Value, _) => quote!(::core::option::Option::Some(&#pn)),
                _ => quote!(::core::option::Option::Some(&*#pn)),
            };
            let (d, c) = self.shadow_slot(p, &b, primal);
            decls.push(d);
            prelude.extend(c);
            let (d, c) = self.shadow_slot(p, &db, quote!(::core::option::Option::Some(&*#b)));
            decls.push(d);
            prelude.extend(c);
        }
        let dout = naming::named("__dout");
        let ddout = naming::named("__ddout");
        let rty = self.ret_ty();
        decls.push(quote!(#dout: #rty));
        decls.push(quote!(#ddout: impl ::leibniz::__private::TanVal<#rty>));
        prelude.extend(quote!(let #ddout = ::leibniz::__private::TanVal::get(#ddout, &#dout);));
        names[2 * np] = Some(dout.to_token_stream());
        names[nb + 2 * np] = Some(ddout.to_token_stream());
        let tp = naming::tape();
        decls.push(quote!(#tp: &mut ::leibniz::__private::TapeRead<'_>));
        let env = self.env(&t.func, names, true);
        let body = env.block(&t.func.body);
        self.emit_fn(&name, decls, quote!(((), ())), quote!(#prelude #body ((), ())))
    }

    /// A hidden function (or method) with the function's generics.
    fn emit_fn(&self, name: &syn::Ident, decls: Vec<TokenStream>, ret: TokenStream, body: TokenStream) -> TokenStream {
        if let Some(e) = [Entry::Jvp, Entry::Fwd, Entry::Bwd, Entry::FwdJvp, Entry::BwdJvp].into_iter().find(|e| self.entry(*e) == *name) {
            self.entries.borrow_mut().push(EntrySig { entry: e, decls: decls.clone(), ret: ret.clone() });
        }
        let vis = self.vis;
        let gp = self.gen_params();
        let wc = self.where_clause();
        let allow = allow();
        let cfg = &self.cfg;
        let items = self.items();
        let checks = self.checks();
        quote! {
            #cfg
            #[doc(hidden)]
            #[inline]
            #allow
            #vis fn #name #gp (#(#decls),*) -> #ret #wc {
                #items
                #checks
                #body
            }
        }
    }
}

/// The element type of `[T]`, `[T; N]`, `Vec<T>`.
pub fn array_elem_ty(t: &syn::Type) -> Option<&syn::Type> {
    match t {
        syn::Type::Slice(s) => Some(&s.elem),
        syn::Type::Array(a) => Some(&a.elem),
        syn::Type::Paren(p) => array_elem_ty(&p.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let seg = p.path.segments.last()?;
            if seg.ident != "Vec" {
                return None;
            }
            match &seg.arguments {
                syn::PathArguments::AngleBracketed(a) => match a.args.first() {
                    Some(syn::GenericArgument::Type(t)) => Some(t),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}
