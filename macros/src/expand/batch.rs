//! `f_jvp_batch`: many directional derivatives, `LANES` of them per primal
//! sweep (vector-mode forward, `ad::lanes`), or one `f_jvp` per direction
//! where the body does not allow lanes.

use proc_macro2::TokenStream;
use quote::quote;

use super::Fun;
use crate::ad::lanes::LANES;
use crate::front::sig::{Param, Role};
use crate::ir::{By, Entry};
use crate::naming;

impl Fun<'_> {
    /// Whether `f_jvp_batch` is emitted: a result to differentiate, no
    /// `&mut` parameters (each sweep would write them again), no function
    /// parameters.
    pub fn has_jvp_batch(&self) -> bool {
        !self.is_unit() && !self.has_mut_params() && !self.sig.params.iter().any(|p| matches!(p.role, Role::Func)) && self.sig.params.iter().any(|p| p.active)
    }

    /// The public type of parameter `p`'s directions.
    fn dirs_ty(&self, p: &Param) -> TokenStream {
        match p.role.by() {
            By::Ref | By::Mut => {
                let r = self.slot_referent(p);
                quote!(&[impl ::core::borrow::Borrow<#r>])
            }
            By::Value => {
                let t = self.adjoint_ty(p);
                quote!(&[#t])
            }
        }
    }

    /// Direction `j` of parameter `p` (held in `d`) as its tangent slot
    /// takes it.
    fn dir_arg(&self, p: &Param, d: &syn::Ident, j: TokenStream) -> TokenStream {
        match p.role.by() {
            By::Ref | By::Mut => {
                let r = self.slot_referent(p);
                quote!(::core::borrow::Borrow::<#r>::borrow(&#d[#j]))
            }
            By::Value => quote!(::core::clone::Clone::clone(&#d[#j])),
        }
    }

    /// `f_jvp_batch(p1, dp1s, p2, dp2s, ..) -> (R, Vec<R>)`: the value and
    /// its tangent along each of `m` directions (`dpks[j]` is direction
    /// `j` of parameter `k`).
    pub(super) fn pub_jvp_batch(&self, lanes: bool) -> TokenStream {
        let mut decls = Vec::new();
        let mut primal_args = Vec::new();
        let mut lens = Vec::new();
        let actives: Vec<usize> = self.sig.params.iter().enumerate().filter(|(_, p)| p.active && self.has_slot(p)).map(|(k, _)| k).collect();
        for (k, p) in self.sig.params.iter().enumerate() {
            decls.push(self.decl(p));
            primal_args.push(self.pass_fwd(p));
            if p.active && self.has_slot(p) {
                let d = self.tan_name(k);
                let ty = self.dirs_ty(p);
                decls.push(quote!(#d: #ty));
                lens.push(quote!(#d.len()));
            }
        }
        // Arguments of one call: lane `l` (of `nl`) takes direction
        // `at(l)`.
        let call_args = |nl: usize, at: &dyn Fn(usize) -> TokenStream| -> Vec<TokenStream> {
            let mut args = Vec::new();
            for (k, p) in self.sig.params.iter().enumerate() {
                args.push(self.pass_fwd(p));
                if !self.has_slot(p) {
                    continue;
                }
                for l in 0..nl {
                    if actives.contains(&k) {
                        args.push(self.dir_arg(p, &self.tan_name(k), at(l)));
                    } else {
                        args.push(quote!(::leibniz::__private::ZeroTan));
                    }
                }
            }
            args
        };
        let first = &lens[0];
        let names: Vec<String> = actives.iter().map(|k| self.sig.params[*k].ident.to_string()).collect();
        let first_name = &names[0];
        let fname = naming::public(self.name, "jvp_batch").to_string();
        let rest: Vec<TokenStream> = lens[1..]
            .iter()
            .zip(&names[1..])
            .map(|(l, n)| {
                quote! {
                    assert!(#l == __lz_m, "leibniz: {}: {} directions for `{}` but {} for `{}`", #fname, #l, #n, __lz_m, #first_name);
                }
            })
            .collect();
        let primal = {
            let p = self.call_path(self.name);
            quote!(#p(#(#primal_args),*))
        };
        let rty = self.ret_ty();
        let sweeps = if lanes {
            let k = LANES;
            let args = call_args(k, &|l| quote!((__lz_c + #l).min(__lz_m - 1)));
            let p = self.call_path(&self.jvpb_name());
            quote! {
                let mut __lz_c = 0usize;
                while __lz_c < __lz_m {
                    let (__lz_y, __lz_ds) = #p(#(#args),*);
                    for (__lz_l, __lz_d) in ::core::iter::IntoIterator::into_iter(__lz_ds).enumerate() {
                        if __lz_c + __lz_l < __lz_m {
                            __lz_out.push(__lz_d);
                        }
                    }
                    __lz_r = ::core::option::Option::Some(__lz_y);
                    __lz_c += #k;
                }
            }
        } else {
            let args = call_args(1, &|_| quote!(__lz_c));
            let p = self.call_path(&self.entry(Entry::Jvp));
            quote! {
                for __lz_c in 0..__lz_m {
                    let (__lz_y, __lz_d) = #p(#(#args),*);
                    __lz_out.push(__lz_d);
                    __lz_r = ::core::option::Option::Some(__lz_y);
                }
            }
        };
        let body = quote! {
            let __lz_m = #first;
            #(#rest)*
            let mut __lz_out: ::std::vec::Vec<#rty> = ::std::vec::Vec::with_capacity(__lz_m);
            let mut __lz_r: ::core::option::Option<#rty> = ::core::option::Option::None;
            #sweeps
            let __lz_r = match __lz_r {
                ::core::option::Option::Some(r) => r,
                ::core::option::Option::None => #primal,
            };
            (__lz_r, __lz_out)
        };
        let doc = if lanes {
            format!("Vector-mode forward: the value and its tangent along each of `m` directions (`dxs[j]` is direction `j` of parameter `x`; every active parameter gets `m`), {LANES} directions per primal sweep")
        } else {
            "Many directional derivatives: the value and its tangent along each of `m` directions (`dxs[j]` is direction `j` of parameter `x`; every active parameter gets `m`), one JVP per direction (this body calls a function that mutates its arguments, so lanes cannot share its primal sweep)".to_string()
        };
        let name = naming::public(self.name, "jvp_batch");
        self.wrap(&name, &doc, self.gen_params(), decls, quote!((#rty, ::std::vec::Vec<#rty>)), body)
    }
}
