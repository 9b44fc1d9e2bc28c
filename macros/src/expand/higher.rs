//! The higher-order public API (DESIGN §2): `f_hvp`, `f_hessian`,
//! `f_second_derivative` (forward over reverse, through the `fwd_jvp` and
//! `bwd_jvp` entries) and `f_jacobian` (columns from `f_jvp` or rows from
//! `f_vjp`, whichever needs fewer sweeps, in parallel when large).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::Fun;
use crate::front::sig::Param;
use crate::ir::*;
use crate::naming;

impl Fun<'_> {
    pub(super) fn has_mut_params(&self) -> bool {
        self.sig.params.iter().any(|p| p.role.by() == By::Mut)
    }

    /// The tuple of the parameters' types, for `SyncProbe`.
    fn probe(&self) -> TokenStream {
        let tys: Vec<TokenStream> = self
            .sig
            .params
            .iter()
            .map(|p| if p.is_self { match p.role.by() { By::Value => quote!(Self), _ => quote!(&Self) } } else { p.ty.to_token_stream() })
            .collect();
        quote!((#(#tys,)*))
    }

    /// The float type of dense matrices: the function's, else `f64`.
    fn mat_float(&self) -> TokenStream {
        match &self.float {
            Some(t) => t.to_token_stream(),
            None => quote!(f64),
        }
    }

    fn public_call(&self, what: &str, args: Vec<TokenStream>) -> TokenStream {
        let id = naming::public(self.name, what);
        let p = self.call_path(&id);
        quote!(#p(#(#args),*))
    }

    /// The zero adjoint (or direction) of an active parameter, owned:
    /// `zero_like(&x)` by value, `zero_owned(&*x)` by reference.
    fn owned_zero(&self, p: &Param) -> TokenStream {
        let n = self.param_name(p);
        match p.role.by() {
            By::Value => quote!(::leibniz::__private::zero_like(&#n)),
            _ => {
                let r = self.slot_referent(p);
                quote!(::leibniz::__private::zero_owned::<#r>(&*#n))
            }
        }
    }

    /// The type of an owned adjoint.
    fn owned_ty(&self, p: &Param) -> TokenStream {
        match p.role.by() {
            By::Value => self.adjoint_ty(p),
            _ => {
                let r = self.slot_referent(p);
                let _ = r;
                self.owned_adjoint_ty(p)
            }
        }
    }

    /// `f_hvp(p1, v1, p2, v2, ..) -> (F, G, Hv)`.
    pub(super) fn pub_hvp(&self) -> TokenStream {
        let mut decls = Vec::new();
        let mut fwd_args = Vec::new();
        let mut bwd_args = Vec::new();
        let mut zeros = TokenStream::new();
        let (mut gs, mut hs, mut tys) = (Vec::new(), Vec::new(), Vec::new());
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            fwd_args.push(self.pass_fwd(p));
            let passed = p.is_self || p.role.by() != By::Mut;
            if passed {
                if let Some(a) = self.pass_bwd(p) {
                    bwd_args.push(a);
                }
            } else {
                // The ignored primal slot of a `&mut` parameter and its tangent.
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
            }
            if !self.has_slot(p) {
                continue;
            }
            if !p.active {
                fwd_args.push(quote!(::leibniz::__private::ZeroTan));
                if passed {
                    bwd_args.push(quote!(::leibniz::__private::ZeroTan));
                }
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
                bwd_args.push(quote!(::leibniz::__private::ZeroTan));
                continue;
            }
            let d = self.tan_name(k);
            let ty = self.pub_tan_ty(p);
            decls.push(quote!(#d: #ty));
            match p.role.by() {
                By::Value => {
                    fwd_args.push(quote!(::core::clone::Clone::clone(&#d)));
                    bwd_args.push(quote!(#d));
                }
                By::Ref => {
                    fwd_args.push(quote!(&*#d));
                    bwd_args.push(quote!(&*#d));
                }
                By::Mut => {
                    fwd_args.push(quote!(&mut *#d));
                    if passed {
                        bwd_args.push(quote!(&*#d));
                    }
                }
            }
            let a = naming::indexed("__a", k);
            let h = naming::indexed("__h", k);
            let z = self.owned_zero(p);
            zeros.extend(quote!(let mut #a = #z; let mut #h = #z;));
            bwd_args.push(quote!(&mut #a));
            bwd_args.push(quote!(&mut #h));
            gs.push(quote!(#a));
            hs.push(quote!(#h));
            tys.push(self.owned_ty(p));
        }
        let one = self.one();
        bwd_args.push(one);
        bwd_args.push(quote!(::leibniz::__private::ZeroTan));
        let t = naming::named("__tape");
        fwd_args.push(quote!(&mut #t));
        bwd_args.push(quote!(&mut #t.reader()));
        let fwd = self.call_entry(Entry::FwdJvp, fwd_args);
        let bwd = self.call_entry(Entry::BwdJvp, bwd_args);
        let g = Self::tuple_or_bare(gs);
        let hv = Self::tuple_or_bare(hs);
        let gty = Self::tuple_or_bare(tys);
        let rty = self.ret_ty();
        let r = naming::named("__r");
        let body = quote! {
            let mut #t = ::leibniz::__private::TapeBuf::new();
            #zeros
            let (#r, _) = #fwd;
            let _ = #bwd;
            (#r, #g, #hv)
        };
        let name = naming::public(self.name, "hvp");
        self.wrap(&name, "The value, the gradient and the Hessian-vector product `H v` (forward over reverse), directions placed like `_jvp` tangents", self.gen_params(), decls, quote!((#rty, #gty, #gty)), body)
    }

    /// `f_second_derivative(p..) -> F` for one active scalar.
    pub(super) fn pub_second_derivative(&self) -> TokenStream {
        let mut decls = Vec::new();
        let mut args = Vec::new();
        for p in &self.sig.params {
            decls.push(self.decl(p));
            args.push(self.param_name(p).into_token_stream());
            if p.active {
                args.push(self.one());
            }
        }
        let call = self.public_call("hvp", args);
        let rty = self.ret_ty();
        let name = naming::public(self.name, "second_derivative");
        self.wrap(&name, "The second derivative with respect to the one active scalar", self.gen_params(), decls, rty, quote!(#call.2))
    }

    /// Arguments passing the parameters again (inside a sweep closure).
    fn pass_again(&self, p: &Param) -> TokenStream {
        let n = self.param_name(p);
        match p.role.by() {
            By::Value => quote!(::core::clone::Clone::clone(&#n)),
            By::Ref | By::Mut => quote!(&*#n),
        }
    }

    /// `f_hessian(p..) -> (F, Vec<F>, Vec<Vec<F>>)`: one HVP per flattened
    /// active input, columns in parallel when large.
    pub(super) fn pub_hessian(&self) -> TokenStream {
        let mut decls = Vec::new();
        let mut grad_args = Vec::new();
        let mut dirs = TokenStream::new();
        let mut hvp_args = Vec::new();
        let mut nact = 0usize;
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            grad_args.push(self.pass_again(p));
            hvp_args.push(self.pass_again(p));
            if !p.active || !self.has_slot(p) {
                continue;
            }
            nact += 1;
            let d = naming::indexed("__v", k);
            let z = self.owned_zero(p);
            dirs.extend(quote!(let mut #d = #z; ::leibniz::__private::higher::flat_read(&mut #d, __lz_v, &mut __lz_at);));
            hvp_args.push(match p.role.by() {
                By::Value => quote!(#d),
                _ => quote!(&#d),
            });
        }
        let flat = |x: TokenStream, out: TokenStream| -> TokenStream {
            let mut s = TokenStream::new();
            if nact == 1 {
                s.extend(quote!(::leibniz::__private::higher::flat_push(&mut #out, &#x);));
            } else {
                for i in 0..nact {
                    let i = syn::Index::from(i);
                    s.extend(quote!(::leibniz::__private::higher::flat_push(&mut #out, &#x.#i);));
                }
            }
            s
        };
        let push_g = flat(quote!(__lz_g), quote!(__lz_gf));
        let push_h = flat(quote!(__lz_hv), quote!(__lz_o));
        let grad = self.public_call("grad", grad_args);
        let fty = self.ret_ty();
        // One active `&[F]`: the driver's direction is passed as it is (no
        // copy for `f64`) and the result moved out.
        let fty_s = fty.to_string();
        let actives: Vec<(usize, &Param)> = self.sig.params.iter().enumerate().filter(|(_, p)| p.active && self.has_slot(p)).collect();
        let slice_of_f = |p: &Param| matches!(&p.ty, syn::Type::Reference(r) if r.mutability.is_none() && matches!(&*r.elem, syn::Type::Slice(s) if s.elem.to_token_stream().to_string() == fty_s));
        if let [(k, p)] = actives.as_slice() {
            if slice_of_f(p) {
                let d = naming::indexed("__v", *k);
                let pos = hvp_args.iter().position(|a| a.to_string() == quote!(&#d).to_string());
                if let Some(pos) = pos {
                    hvp_args[pos] = quote!(&*::leibniz::__private::higher::dir_as::<#fty>(__lz_v));
                    dirs = TokenStream::new();
                }
            }
        }
        let fast = dirs.is_empty() && nact == 1;
        let hvp = self.public_call("hvp", hvp_args);
        let hvp_body = if fast {
            quote! {
                let (_, _, __lz_hv) = #hvp;
                ::leibniz::__private::higher::into_f64::<#fty>(__lz_hv)
            }
        } else {
            quote! {
                let mut __lz_at = 0usize;
                #dirs
                let (_, _, __lz_hv) = #hvp;
                let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n);
                #push_h
                __lz_o
            }
        };
        let probe = self.probe();
        let body = quote! {
            #[allow(unused_imports)]
            use ::leibniz::__private::higher::{ParSweeps as _, SerSweeps as _};
            let (__lz_r, __lz_g) = #grad;
            let mut __lz_gf: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
            #push_g
            let __lz_n = __lz_gf.len();
            let __lz_hvp = |__lz_v: &[f64]| -> ::std::vec::Vec<f64> {
                #hvp_body
            };
            let __lz_h = (&::leibniz::__private::higher::SyncProbe::<#probe>::new()).hessian(__lz_n, __lz_hvp);
            (__lz_r, ::leibniz::__private::higher::vec_to::<#fty>(__lz_gf), ::leibniz::__private::higher::mat_to::<#fty>(__lz_h))
        };
        let name = naming::public(self.name, "hessian");
        self.wrap(
            &name,
            "The value, the gradient and the dense Hessian over the active inputs flattened in parameter order (one HVP per input, in parallel when large)",
            self.gen_params(),
            decls,
            quote!((#fty, ::std::vec::Vec<#fty>, ::std::vec::Vec<::std::vec::Vec<#fty>>)),
            body,
        )
    }

    /// `f_jacobian(p..) -> (R, Vec<Vec<F>>)`: `J[out][in]` over the
    /// flattened result and active `&mut` parameters (outputs) and the
    /// flattened active parameters (inputs).
    pub(super) fn pub_jacobian(&self, lanes: bool) -> TokenStream {
        let mut lane_slots: Vec<(usize, TokenStream)> = Vec::new();
        let mut decls = Vec::new();
        let mut primal_args = Vec::new();
        let mut snaps = TokenStream::new();
        let mut n_in = TokenStream::new();
        let mut n_out_mut = TokenStream::new();
        // JVP closure.
        let mut jdirs = TokenStream::new();
        let mut jargs = Vec::new();
        let mut jouts = TokenStream::new();
        // VJP closure.
        let mut vshadows = TokenStream::new();
        let mut vargs = Vec::new();
        let mut vouts = TokenStream::new();
        let nbyval = self.by_value_actives().len();
        let mut byval_i = 0usize;
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            let n = self.param_name(p);
            let by = p.role.by();
            let m = naming::indexed("__m", k);
            let mut_non_self = by == By::Mut && !p.is_self;
            if by == By::Mut {
                // The sweeps start from the initial value of `&mut`
                // parameters: active ones are differentiable (so `Clone`);
                // an inactive one is copied when its type is `Clone`, else
                // the sweeps panic saying so.
                if p.active {
                    let r = self.referent(p);
                    snaps.extend(quote!(let #m = ::leibniz::__private::to_owned::<#r>(&*#n);));
                } else {
                    snaps.extend(quote!(let #m = (&&::leibniz::__private::higher::SnapProbe(&*#n)).__lz_snap();));
                }
            }
            primal_args.push(match by {
                By::Value => quote!(::core::clone::Clone::clone(&#n)),
                By::Ref => quote!(&*#n),
                By::Mut => quote!(&mut *#n),
            });
            let again = |m: &syn::Ident| -> (TokenStream, TokenStream) {
                match by {
                    By::Value => (TokenStream::new(), quote!(::core::clone::Clone::clone(&#n))),
                    By::Ref => (TokenStream::new(), quote!(&*#n)),
                    By::Mut if p.active => {
                        let c = naming::indexed("__c", k);
                        (quote!(let mut #c = ::core::clone::Clone::clone(&#m);), quote!(&mut #c))
                    }
                    By::Mut => {
                        let c = naming::indexed("__c", k);
                        let pname = p.ident.to_string();
                        let fname = naming::public(self.name, "jacobian").to_string();
                        (quote!(let mut #c = #m.again(#pname, #fname);), quote!(&mut #c))
                    }
                }
            };
            let (pre, arg) = again(&m);
            jdirs.extend(pre.clone());
            jargs.push(arg.clone());
            vshadows.extend(pre);
            vargs.push(arg);
            if !p.active || !self.has_slot(p) {
                continue;
            }
            let like = if by == By::Mut { quote!(&#m) } else { quote!(&*#n) };
            let z = match by {
                By::Value => quote!(::leibniz::__private::zero_like(&#n)),
                _ => {
                    let r = self.slot_referent(p);
                    quote!(::leibniz::__private::zero_owned::<#r>(#like))
                }
            };
            n_in.extend(quote!(::leibniz::__private::higher::flat_push(&mut __lz_tmp, &#z);));
            lane_slots.push((k, z.clone()));
            let d = naming::indexed("__v", k);
            jdirs.extend(quote!(let mut #d = #z; ::leibniz::__private::higher::flat_read(&mut #d, __lz_v, &mut __lz_at);));
            jargs.push(match by {
                By::Value => quote!(#d),
                By::Ref => quote!(&#d),
                By::Mut => quote!(&mut #d),
            });
            if mut_non_self {
                jouts.extend(quote!(::leibniz::__private::higher::flat_push(&mut __lz_o, &#d);));
                n_out_mut.extend(quote!(::leibniz::__private::higher::flat_push(&mut __lz_tmp, &*#n);));
            }
            match by {
                By::Value => {
                    let a = if nbyval == 1 {
                        quote!(__lz_a)
                    } else {
                        let i = syn::Index::from(byval_i);
                        quote!(__lz_a.#i)
                    };
                    byval_i += 1;
                    vouts.extend(quote!(::leibniz::__private::higher::flat_push(&mut __lz_o, &#a);));
                }
                _ => {
                    let s = naming::indexed("__s", k);
                    if mut_non_self {
                        vshadows.extend(quote!(let mut #s = #z; ::leibniz::__private::higher::flat_read(&mut #s, __lz_w, &mut __lz_at);));
                    } else {
                        vshadows.extend(quote!(let mut #s = #z;));
                    }
                    vargs.push(quote!(&mut #s));
                    vouts.extend(quote!(::leibniz::__private::higher::flat_push(&mut __lz_o, &#s);));
                }
            }
        }
        let unit = self.is_unit();
        let primal = {
            let id = self.name;
            let p = self.call_path(id);
            quote!(#p(#(#primal_args),*))
        };
        let jvp = self.public_call("jvp", jargs);
        let jvp_call = if unit { quote!(#jvp; let __lz_dr = ();) } else { quote!(let (_, __lz_dr) = #jvp;) };
        if !unit {
            vargs.push(quote!(__lz_dout));
        }
        let vjp = self.public_call("vjp", vargs);
        let vjp_call = if unit { quote!(let __lz_a = #vjp;) } else { quote!(let (_, __lz_a) = #vjp;) };
        let fty = self.mat_float();
        let rty = self.ret_ty();
        let probe = self.probe();
        let jac = if lanes {
            // `LANES` columns per primal sweep (`f__lz_jvpb`); lanes past
            // the directions given repeat the last one and are dropped.
            let k = crate::ad::lanes::LANES;
            let mut dirs = TokenStream::new();
            let mut args = Vec::new();
            for (i, p) in self.sig.params.iter().enumerate() {
                args.push(self.pass_fwd(p));
                if !self.has_slot(p) {
                    continue;
                }
                let slot = lane_slots.iter().find(|(j, _)| *j == i);
                for l in 0..k {
                    match slot {
                        Some((_, z)) => {
                            let d = naming::named(&format!("__v{i}_{l}"));
                            dirs.extend(quote! {
                                let mut #d = #z;
                                ::leibniz::__private::higher::flat_read(&mut #d, &__lz_vs[#l.min(__lz_vs.len() - 1)], &mut __lz_at[#l]);
                            });
                            args.push(match p.role.by() {
                                By::Value => quote!(#d),
                                _ => quote!(&#d),
                            });
                        }
                        None => args.push(quote!(::leibniz::__private::ZeroTan)),
                    }
                }
            }
            let jvpb = {
                let id = self.jvpb_name();
                let p = self.call_path(&id);
                quote!(#p(#(#args),*))
            };
            quote! {
                let __lz_jvpk = |__lz_vs: &[::std::vec::Vec<f64>]| -> ::std::vec::Vec<::std::vec::Vec<f64>> {
                    let mut __lz_at = [0usize; #k];
                    #dirs
                    let (_, __lz_ds) = #jvpb;
                    let mut __lz_cols = ::std::vec::Vec::with_capacity(__lz_vs.len());
                    for __lz_d in ::core::iter::IntoIterator::into_iter(__lz_ds).take(__lz_vs.len()) {
                        let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n_out);
                        ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_d);
                        __lz_cols.push(__lz_o);
                    }
                    __lz_cols
                };
                let __lz_j = (&::leibniz::__private::higher::SyncProbe::<#probe>::new()).jacobian_k(__lz_n_in, __lz_n_out, #k, __lz_jvpk, __lz_vjp);
            }
        } else {
            quote!(let __lz_j = (&::leibniz::__private::higher::SyncProbe::<#probe>::new()).jacobian(__lz_n_in, __lz_n_out, __lz_jvp, __lz_vjp);)
        };
        let jvp_closure = if lanes {
            TokenStream::new()
        } else {
            quote! {
            let __lz_jvp = |__lz_v: &[f64]| -> ::std::vec::Vec<f64> {
                let mut __lz_at = 0usize;
                #jdirs
                #jvp_call
                let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n_out);
                ::leibniz::__private::higher::flat_push(&mut __lz_o, &__lz_dr);
                #jouts
                __lz_o
            };
            }
        };
        let body = quote! {
            #[allow(unused_imports)]
            use ::leibniz::__private::higher::{ParSweeps as _, SerSweeps as _, SnapClone as _, SnapNone as _};
            #snaps
            let __lz_r: #rty = #primal;
            let mut __lz_tmp: ::std::vec::Vec<f64> = ::std::vec::Vec::new();
            #n_in
            let __lz_n_in = __lz_tmp.len();
            __lz_tmp.clear();
            ::leibniz::__private::higher::flat_push(&mut __lz_tmp, &__lz_r);
            #n_out_mut
            let __lz_n_out = __lz_tmp.len();
            #jvp_closure
            let __lz_vjp = |__lz_w: &[f64]| -> ::std::vec::Vec<f64> {
                let mut __lz_at = 0usize;
                let mut __lz_dout: #rty = ::leibniz::__private::zero_like(&__lz_r);
                ::leibniz::__private::higher::flat_read(&mut __lz_dout, __lz_w, &mut __lz_at);
                #vshadows
                #vjp_call
                let mut __lz_o: ::std::vec::Vec<f64> = ::std::vec::Vec::with_capacity(__lz_n_in);
                #vouts
                __lz_o
            };
            #jac
            (__lz_r, ::leibniz::__private::higher::mat_to::<#fty>(__lz_j))
        };
        let name = naming::public(self.name, "jacobian");
        self.wrap(
            &name,
            "The value and the dense Jacobian `J[out][in]`: outputs are the flattened result then the active `&mut` parameters, inputs the active parameters flattened in order; forward or reverse mode by shape, sweeps in parallel when large",
            self.gen_params(),
            decls,
            quote!((#rty, ::std::vec::Vec<::std::vec::Vec<#fty>>)),
            body,
        )
    }
}
