//! The entry points of a custom rule's target (see `crate::rule`).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};

use super::{EntrySig, Fun, allow};
use crate::ir::*;
use crate::naming;

/// What the entry points of a VJP rule need.
pub struct VjpRule<'a> {
    pub rule_fn: &'a syn::Ident,
    /// The target, called in the forward sweep: a path, or a method name.
    pub target: TokenStream,
    pub method: bool,
    /// Per target parameter: the rule parameter of its shadow.
    pub shadow: &'a [Option<usize>],
    /// Target parameters whose adjoints the rule returns, in order.
    pub byval: &'a [usize],
}

impl Fun<'_> {
    /// `g__lz_jvp`: the rule itself, its tangent slots converted.
    pub fn rule_jvp_entry(&self, rule_fn: &syn::Ident, rule_args: &[(usize, bool)]) -> TokenStream {
        let name = self.entry(Entry::Jvp);
        let mut decls = Vec::new();
        let mut prelude = TokenStream::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            if !self.has_slot(p) {
                continue;
            }
            let d = self.tan_name(k);
            if !p.active {
                decls.push(quote!(#d: impl ::core::marker::Sized));
                continue;
            }
            let pn = self.param_name(p);
            let (slot, conv) = self.tan_slot(p, &d, &pn);
            decls.push(quote!(#d: #slot));
            prelude.extend(conv);
        }
        let args: Vec<TokenStream> = rule_args
            .iter()
            .map(|&(k, is_tan)| if is_tan { self.tan_name(k).to_token_stream() } else { self.param_name(&self.sig.params[k]) })
            .collect();
        let rty = self.ret_ty();
        self.emit_fn(&name, decls, quote!((#rty, #rty)), quote!(#prelude #rule_fn(#(#args),*)))
    }

    /// Second-order entry points that cannot be built: any use of them
    /// (by `_hvp` or `_hessian` of a caller) is a compile-time error with
    /// `msg`, raised when the use is compiled (a constant evaluated at
    /// monomorphisation), so first-order callers are not affected.
    pub fn no_second_order(&self, msg: &str) -> TokenStream {
        let mut out = TokenStream::new();
        let rty = self.ret_ty();
        for e in [Entry::FwdJvp, Entry::BwdJvp] {
            // Primal parameters keep their types (they fix the generics);
            // every slot is a type parameter.
            let mut decls: Vec<TokenStream> = Vec::new();
            let mut gs: Vec<syn::Ident> = Vec::new();
            let mut slot = |decls: &mut Vec<TokenStream>| {
                let k = gs.len();
                let g = naming::indexed("__LzS", k);
                let x = naming::indexed("__lzs", k);
                decls.push(quote!(#x: #g));
                gs.push(g);
            };
            for p in &self.sig.params {
                let passed = p.is_self || p.role.by() != By::Mut;
                let (id, ty) = (&p.ident, &p.ty);
                match e {
                    Entry::FwdJvp => {
                        decls.push(quote!(#id: #ty));
                        if self.has_slot(p) {
                            slot(&mut decls);
                        }
                    }
                    _ => {
                        if passed {
                            decls.push(quote!(#id: #ty));
                            if self.has_slot(p) {
                                slot(&mut decls);
                            }
                        } else {
                            slot(&mut decls);
                            slot(&mut decls);
                        }
                        if self.has_slot(p) {
                            slot(&mut decls);
                            slot(&mut decls);
                        }
                    }
                }
            }
            let tp = naming::tape();
            let (ret, tape) = match e {
                Entry::FwdJvp => (quote!((#rty, #rty)), quote!(&mut ::leibniz::__private::TapeBuf)),
                _ => {
                    let d = naming::named("__dout");
                    decls.push(quote!(#d: #rty));
                    slot(&mut decls);
                    (quote!(((), ())), quote!(&mut ::leibniz::__private::TapeRead<'_>))
                }
            };
            let Some(first) = gs.first().cloned() else { continue };
            // For the registry: slots as `impl Sized`.
            let mut reg_decls: Vec<TokenStream> = decls
                .iter()
                .map(|d| match syn::parse2::<syn::PatType>(d.clone()) {
                    Ok(x) if d.to_string().starts_with("__lzs") => {
                        let p = &x.pat;
                        quote!(#p: impl ::core::marker::Sized)
                    }
                    _ => d.clone(),
                })
                .collect();
            reg_decls.push(quote!(#tp: #tape));
            self.entries.borrow_mut().push(EntrySig { entry: e, decls: reg_decls, ret: ret.clone() });
            let name = self.entry(e);
            let vis = self.vis;
            let own = self.generics.params.iter().map(|p| p.to_token_stream());
            let wc = self.where_clause();
            let allow = allow();
            let cfg = &self.cfg;
            out.extend(quote! {
                #cfg
                #[doc(hidden)]
                #allow
                #vis fn #name<#(#own,)* #(#gs),*>(#(#decls,)* #tp: #tape) -> #ret #wc {
                    const {
                        if ::core::mem::size_of::<#first>() < usize::MAX {
                            ::core::panic!(#msg)
                        }
                    }
                    ::core::unreachable!()
                }
            });
        }
        out
    }

    /// `const g__lz_one_jvp_rule_per_function`: a second rule for the same
    /// function in the same module is a name defined twice (rules for one
    /// name in different modules are ambiguous where they are used).
    pub fn one_rule(&self, jvp: bool) -> TokenStream {
        let what = if jvp { "jvp" } else { "vjp" };
        let c = format_ident!("{}__lz_one_{}_rule_per_function", self.name, what, span = self.name.span());
        let cfg = &self.cfg;
        quote! {
            #cfg
            #[doc(hidden)]
            #[allow(non_upper_case_globals, dead_code)]
            const #c: () = ();
        }
    }

    /// The first-order entry points of a VJP rule.
    pub fn vjp_rule_entries(&self, r: &VjpRule) -> TokenStream {
        let mut out = TokenStream::new();
        let rule_fn = r.rule_fn;
        let np = self.np();
        let rty = self.ret_ty();
        let names: Vec<TokenStream> = self.sig.params.iter().map(|p| self.param_name(p)).collect();
        let target_call = |args: Vec<TokenStream>| -> TokenStream {
            let t = &r.target;
            if r.method {
                let recv = &args[0];
                let rest = &args[1..];
                quote!(#recv.#t(#(#rest),*))
            } else {
                quote!(#t(#(#args),*))
            }
        };
        let again = |k: usize| -> TokenStream {
            let n = &names[k];
            match self.sig.params[k].role.by() {
                By::Value => quote!(::core::clone::Clone::clone(&#n)),
                _ => quote!(#n),
            }
        };

        // Forward sweep: the function itself.
        {
            let mut decls: Vec<TokenStream> = self.sig.params.iter().map(|p| self.decl(p)).collect();
            let t = naming::tape();
            decls.push(quote!(#t: &mut ::leibniz::__private::TapeBuf));
            let call = target_call(names.clone());
            out.extend(self.emit_fn(&self.entry(Entry::Fwd), decls, rty.clone(), call));
        }

        // Backward sweep: the rule, its adjoints added to the shadows.
        {
            let mut decls = Vec::new();
            let mut prelude = TokenStream::new();
            for (k, p) in self.sig.params.iter().enumerate() {
                let pn = &names[k];
                let id = &p.ident;
                let ty = &p.ty;
                decls.push(quote!(#id: #ty));
                if !self.has_slot(p) {
                    continue;
                }
                let b = self.shadow_name(k);
                if !p.active {
                    decls.push(quote!(#b: impl ::core::marker::Sized));
                    continue;
                }
                let primal = match p.role.by() {
                    By::Value => quote!(::core::option::Option::Some(&#pn)),
                    _ => quote!(::core::option::Option::Some(&*#pn)),
                };
                let (d, c) = self.shadow_slot(p, &b, primal);
                decls.push(d);
                prelude.extend(c);
            }
            let dout = naming::named("__dout");
            decls.push(quote!(#dout: #rty));
            let t = naming::tape();
            decls.push(quote!(#t: &mut ::leibniz::__private::TapeRead<'_>));
            let mut args = Vec::new();
            for k in 0..np {
                args.push(names[k].clone());
                if r.shadow[k].is_some() {
                    let b = self.shadow_name(k);
                    args.push(quote!(&mut *#b));
                }
            }
            args.push(dout.to_token_stream());
            let a = naming::named("__lz_a");
            let mut adds = TokenStream::new();
            for (i, &k) in r.byval.iter().enumerate() {
                let b = self.shadow_name(k);
                let ai = if r.byval.len() == 1 {
                    a.to_token_stream()
                } else {
                    let i = syn::Index::from(i);
                    quote!(#a.#i)
                };
                adds.extend(quote!(::leibniz::__private::registry::add_adjoint(&mut *#b, &#ai);));
            }
            let body = quote! {
                #prelude
                let (_, #a) = #rule_fn(#(#args),*);
                #adds
            };
            out.extend(self.emit_fn(&self.entry(Entry::Bwd), decls, quote!(()), body));
        }

        // Forward mode from the VJP: one reverse call per element of the
        // result, `dy_i = <VJP(e_i), d>`.
        {
            let mut decls = Vec::new();
            let mut prelude = TokenStream::new();
            for (k, p) in self.sig.params.iter().enumerate() {
                decls.push(self.decl(p));
                if !self.has_slot(p) {
                    continue;
                }
                let d = self.tan_name(k);
                if !p.active {
                    decls.push(quote!(#d: impl ::core::marker::Sized));
                    continue;
                }
                let (slot, conv) = self.tan_slot(p, &d, &names[k]);
                decls.push(quote!(#d: #slot));
                prelude.extend(conv);
            }
            let y = naming::named("__lz_y");
            let first: Vec<TokenStream> = (0..np).map(again).collect();
            let primal = target_call(first);
            let mut shadows = TokenStream::new();
            let mut args = Vec::new();
            let mut dots = TokenStream::new();
            let a = naming::named("__lz_a");
            let acc = naming::named("__lz_acc");
            for k in 0..np {
                args.push(again(k));
                if r.shadow[k].is_some() {
                    let s = naming::indexed("__lz_s", k);
                    let p = &self.sig.params[k];
                    let rr = self.slot_referent(p);
                    let n = &names[k];
                    shadows.extend(quote!(let mut #s = ::leibniz::__private::zero_owned::<#rr>(&*#n);));
                    args.push(quote!(&mut #s));
                    if p.active {
                        let d = self.tan_name(k);
                        dots.extend(quote!(#acc += ::leibniz::__private::higher::dot_flat(&#s, &*#d);));
                    }
                }
            }
            for (i, &k) in r.byval.iter().enumerate() {
                let d = self.tan_name(k);
                let ai = if r.byval.len() == 1 {
                    a.to_token_stream()
                } else {
                    let i = syn::Index::from(i);
                    quote!(#a.#i)
                };
                dots.extend(quote!(#acc += ::leibniz::__private::higher::dot_flat(&#ai, &#d);));
            }
            let dout = naming::named("__lz_dout");
            args.push(dout.to_token_stream());
            let body = quote! {
                #prelude
                let #y: #rty = #primal;
                let mut __lz_flat: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
                ::leibniz::__private::higher::flat_push(&mut __lz_flat, &#y);
                let __lz_m = __lz_flat.len();
                let mut __lz_e = ::std::vec![0.0f64; __lz_m];
                let mut __lz_dyf = ::std::vec![0.0f64; __lz_m];
                for __lz_i in 0..__lz_m {
                    __lz_e[__lz_i] = 1.0;
                    let mut #dout: #rty = ::leibniz::__private::zero_like(&#y);
                    ::leibniz::__private::higher::flat_read(&mut #dout, &__lz_e, &mut 0usize);
                    __lz_e[__lz_i] = 0.0;
                    #shadows
                    let (_, #a) = #rule_fn(#(#args),*);
                    let mut #acc = 0.0f64;
                    #dots
                    __lz_dyf[__lz_i] = #acc;
                }
                let mut __lz_dy: #rty = ::leibniz::__private::zero_like(&#y);
                ::leibniz::__private::higher::flat_read(&mut __lz_dy, &__lz_dyf, &mut 0usize);
                (#y, __lz_dy)
            };
            out.extend(self.emit_fn(&self.entry(Entry::Jvp), decls, quote!((#rty, #rty)), body));
        }
        let _ = Span::call_site();
        let _ = format_ident!("x");
        out
    }
}
