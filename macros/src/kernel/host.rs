//! The Rust a kernel emits: CPU twins (rayon over the elements, through the
//! per-element function's `#[differentiable]` derivatives), GPU launchers
//! on device buffers, and the functions that pick one of the two.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use super::gpu_src::{EParam, Which, kernel_name, outputs};
use super::sig::{KSig, Kind};

pub struct Host<'a> {
    pub ks: &'a KSig,
    pub vis: &'a syn::Visibility,
    pub eps: &'a [EParam],
    pub elem: syn::Ident,
    /// The function returning the assembled CUDA module.
    pub source_fn: syn::Ident,
    /// The user's doc comments (on the dispatching primal).
    pub docs: Vec<syn::Attribute>,
}

fn h(s: &str) -> syn::Ident {
    syn::Ident::new(s, Span::mixed_site())
}

impl Host<'_> {
    fn f(&self) -> TokenStream {
        self.ks.float.tokens()
    }

    fn pub_name(&self, suffix: &str) -> syn::Ident {
        let n = &self.ks.name;
        if suffix.is_empty() { n.clone() } else { format_ident!("{}_{}", n, suffix, span = n.span()) }
    }

    fn tan(&self, k: usize) -> syn::Ident {
        format_ident!("d{}", self.ks.params[k].ident, span = Span::mixed_site())
    }

    fn bar(&self, k: usize) -> syn::Ident {
        format_ident!("{}_bar", self.ks.params[k].ident, span = Span::mixed_site())
    }

    fn slice(&self, k: usize, what: &str) -> syn::Ident {
        format_ident!("__lz_{}_{}", what, self.ks.params[k].ident, span = Span::mixed_site())
    }

    fn outs(&self) -> Vec<usize> {
        outputs(self.ks)
    }

    fn sums(&self) -> Vec<usize> {
        self.outs().into_iter().filter(|k| matches!(self.ks.params[*k].kind, Kind::Sum)).collect()
    }

    fn active_scalars(&self) -> Vec<usize> {
        (0..self.ks.params.len()).filter(|k| matches!(self.ks.params[*k].kind, Kind::Scalar { active: true })).collect()
    }

    fn comp(&self, r: &syn::Ident, i: usize) -> TokenStream {
        if self.outs().len() == 1 {
            quote!(#r)
        } else {
            let i = syn::Index::from(i);
            quote!(#r.#i)
        }
    }

    fn len_expr(&self) -> TokenStream {
        match self.ks.len_param() {
            Some(p) => {
                let id = &p.ident;
                quote!(#id.len())
            }
            None => quote!(0usize),
        }
    }

    // ----- declarations ------------------------------------------------------

    fn decls(&self, which: Which) -> Vec<TokenStream> {
        let f = self.f();
        let mut d = Vec::new();
        for (k, p) in self.ks.params.iter().enumerate() {
            let id = &p.ident;
            let ty = &p.ty;
            if matches!(p.kind, Kind::Index) {
                continue;
            }
            d.push(quote!(#id: #ty));
            let (t, b) = (self.tan(k), self.bar(k));
            match (&p.kind, which) {
                (Kind::In { active: true }, Which::Tangent) => d.push(quote!(#t: &[#f])),
                (Kind::In { active: true }, Which::Adjoint) => d.push(quote!(#b: &mut [#f])),
                (Kind::Scalar { active: true }, Which::Tangent) => d.push(quote!(#t: #f)),
                (Kind::Out, Which::Tangent) => d.push(quote!(#t: &mut [#f])),
                (Kind::Out, Which::Adjoint) => d.push(quote!(#b: &mut [#f])),
                (Kind::Sum, Which::Tangent) => d.push(quote!(#t: &mut #f)),
                (Kind::Sum, Which::Adjoint) => d.push(quote!(#b: &mut #f)),
                _ => {}
            }
        }
        d
    }

    fn gpu_decls(&self, which: Which) -> Vec<TokenStream> {
        let f = self.f();
        let buf = |t: TokenStream| quote!(::leibniz::gpu::DeviceBuffer<#t>);
        let fb = buf(f.clone());
        let mut d = Vec::new();
        for (k, p) in self.ks.params.iter().enumerate() {
            let id = &p.ident;
            let (t, b) = (self.tan(k), self.bar(k));
            match &p.kind {
                Kind::Index => continue,
                Kind::In { active } => {
                    d.push(quote!(#id: &#fb));
                    match (which, active) {
                        (Which::Tangent, true) => d.push(quote!(#t: &#fb)),
                        (Which::Adjoint, true) => d.push(quote!(#b: &mut #fb)),
                        _ => {}
                    }
                }
                Kind::IntIn { elem } => {
                    let e = buf(elem.pass.clone());
                    d.push(quote!(#id: &#e));
                }
                Kind::Scalar { active } => {
                    d.push(quote!(#id: #f));
                    match (which, active) {
                        (Which::Tangent, true) => d.push(quote!(#t: #f)),
                        (Which::Adjoint, true) => d.push(quote!(#b: &mut #fb)),
                        _ => {}
                    }
                }
                Kind::Int { .. } => {
                    let ty = &p.ty;
                    d.push(quote!(#id: #ty));
                }
                Kind::Out => {
                    d.push(quote!(#id: &mut #fb));
                    match which {
                        Which::Tangent => d.push(quote!(#t: &mut #fb)),
                        Which::Adjoint => d.push(quote!(#b: &mut #fb)),
                        Which::Primal => {}
                    }
                }
                Kind::Sum => {
                    d.push(quote!(#id: &mut #fb));
                    match which {
                        Which::Tangent => d.push(quote!(#t: &mut #fb)),
                        Which::Adjoint => d.push(quote!(#b: &#fb)),
                        Which::Primal => {}
                    }
                }
            }
        }
        d
    }

    /// The adjoint type of `_vjp`: the active scalars, bare, a tuple or `()`.
    fn adj_ty(&self) -> TokenStream {
        let f = self.f();
        let n = self.active_scalars().len();
        match n {
            0 => quote!(()),
            1 => f,
            _ => {
                let fs = (0..n).map(|_| f.clone());
                quote!((#(#fs),*))
            }
        }
    }

    // ----- CPU twins -----------------------------------------------------------

    fn cpu_len_checks(&self, which: Which) -> TokenStream {
        let n = h("__lz_n");
        let kname = self.ks.name.to_string();
        let mut out = TokenStream::new();
        for (k, p) in self.ks.params.iter().enumerate() {
            let id = &p.ident;
            let sid = id.to_string();
            let (t, b) = (self.tan(k), self.bar(k));
            if let Kind::Out = p.kind {
                let msg = format!("{kname}: the output `{sid}` has {{}} elements, the launch {{}}");
                out.extend(quote!(::core::assert_eq!(#id.len(), #n, #msg, #id.len(), #n);));
            }
            let msg = format!("{kname}: the tangent or adjoint of `{sid}` has {{}} elements, `{sid}` {{}}");
            match (&p.kind, which) {
                (Kind::In { active: true }, Which::Tangent) | (Kind::Out, Which::Tangent) => out.extend(quote!(::core::assert_eq!(#t.len(), #id.len(), #msg, #t.len(), #id.len());)),
                (Kind::In { active: true }, Which::Adjoint) | (Kind::Out, Which::Adjoint) => out.extend(quote!(::core::assert_eq!(#b.len(), #id.len(), #msg, #b.len(), #id.len());)),
                _ => {}
            }
        }
        out
    }

    /// The per-element argument list of the primal (and, with tangents,
    /// of `_jvp`).
    fn elem_args(&self, i: &syn::Ident, which: Which) -> Vec<TokenStream> {
        let mut a = Vec::new();
        for ep in self.eps {
            match ep {
                EParam::Index => a.push(quote!(#i)),
                EParam::Param(k) => {
                    let p = &self.ks.params[*k];
                    let id = &p.ident;
                    a.push(quote!(#id));
                    let t = self.tan(*k);
                    match (&p.kind, which) {
                        (Kind::In { active: true }, Which::Tangent) | (Kind::Scalar { active: true }, Which::Tangent) => a.push(quote!(#t)),
                        _ => {}
                    }
                }
                EParam::OutIn(k) => {
                    let s = self.slice(*k, "o");
                    a.push(quote!(unsafe { #s.get(#i) }));
                    if which == Which::Tangent {
                        let ds = self.slice(*k, "do");
                        a.push(quote!(unsafe { #ds.get(#i) }));
                    }
                }
            }
        }
        a
    }

    fn cpu_primal(&self) -> TokenStream {
        let f = self.f();
        let name = self.pub_name("cpu");
        let decls = self.decls(Which::Primal);
        let n = h("__lz_n");
        let i = h("__lz_i");
        let r = h("__lz_r");
        let acc = h("__lz_acc");
        let len = self.len_expr();
        let checks = self.cpu_len_checks(Which::Primal);
        let elem = &self.elem;
        let args = self.elem_args(&i, Which::Primal);
        let mut setup = TokenStream::new();
        let mut writes = TokenStream::new();
        let mut accs = Vec::new();
        for (ri, k) in self.outs().iter().enumerate() {
            let id = &self.ks.params[*k].ident;
            let c = self.comp(&r, ri);
            match self.ks.params[*k].kind {
                Kind::Out => {
                    let s = self.slice(*k, "o");
                    setup.extend(quote!(let #s = ::leibniz::gpu::UnsafeSlice::new(#id);));
                    writes.extend(quote!(unsafe { #s.set(#i, #c) };));
                }
                _ => {
                    let j = accs.len();
                    accs.push(quote!(::core::slice::from_mut(#id)));
                    writes.extend(quote!(#acc[#j][0] += #c;));
                }
            }
        }
        let run = if accs.is_empty() {
            quote!(::leibniz::gpu::par_for(#n, |#i| { let #r = #elem(#(#args),*); #writes });)
        } else {
            quote!(::leibniz::gpu::par_accumulate_many::<#f, _>(#n, &mut [#(#accs),*], |#i, #acc| { let #r = #elem(#(#args),*); #writes });)
        };
        let vis = self.vis;
        let doc = format!("CPU twin of the kernel `{}`: the per-element body run for every index in parallel (rayon); sums are accumulated per chunk, in a fixed order.", self.ks.name);
        quote! {
            #[doc = #doc]
            #[allow(unsafe_code, clippy::too_many_arguments, unused_unsafe)]
            #vis fn #name(#(#decls),*) {
                let #n: usize = #len;
                #checks
                #setup
                #run
            }
        }
    }

    fn cpu_jvp(&self) -> TokenStream {
        let f = self.f();
        let name = self.pub_name("jvp_cpu");
        let decls = self.decls(Which::Tangent);
        let n = h("__lz_n");
        let i = h("__lz_i");
        let r = h("__lz_r");
        let dr = h("__lz_dr");
        let acc = h("__lz_acc");
        let len = self.len_expr();
        let checks = self.cpu_len_checks(Which::Tangent);
        let elem = format_ident!("{}_jvp", self.elem);
        let args = self.elem_args(&i, Which::Tangent);
        let mut setup = TokenStream::new();
        let mut writes = TokenStream::new();
        let mut accs = Vec::new();
        for (ri, k) in self.outs().iter().enumerate() {
            let id = &self.ks.params[*k].ident;
            let t = self.tan(*k);
            let c = self.comp(&r, ri);
            let dc = self.comp(&dr, ri);
            match self.ks.params[*k].kind {
                Kind::Out => {
                    let s = self.slice(*k, "o");
                    let ds = self.slice(*k, "do");
                    setup.extend(quote!(let #s = ::leibniz::gpu::UnsafeSlice::new(#id); let #ds = ::leibniz::gpu::UnsafeSlice::new(#t);));
                    writes.extend(quote!(unsafe { #s.set(#i, #c); #ds.set(#i, #dc) };));
                }
                _ => {
                    let j = accs.len();
                    accs.push(quote!(::core::slice::from_mut(#id)));
                    accs.push(quote!(::core::slice::from_mut(#t)));
                    let j1 = j + 1;
                    writes.extend(quote!(#acc[#j][0] += #c; #acc[#j1][0] += #dc;));
                }
            }
        }
        let run = if accs.is_empty() {
            quote!(::leibniz::gpu::par_for(#n, |#i| { let (#r, #dr) = #elem(#(#args),*); #writes });)
        } else {
            quote!(::leibniz::gpu::par_accumulate_many::<#f, _>(#n, &mut [#(#accs),*], |#i, #acc| { let (#r, #dr) = #elem(#(#args),*); #writes });)
        };
        let vis = self.vis;
        let doc = format!("CPU twin of the tangent (JVP) of the kernel `{}`: each active input is followed by its tangent; each output by its tangent (in: the tangent of its old value where the body reads it; out: the tangent of the result).", self.ks.name);
        quote! {
            #[doc = #doc]
            #[allow(unsafe_code, clippy::too_many_arguments, unused_unsafe)]
            #vis fn #name(#(#decls),*) {
                let #n: usize = #len;
                #checks
                #setup
                #run
            }
        }
    }

    fn cpu_vjp(&self) -> TokenStream {
        let f = self.f();
        let name = self.pub_name("vjp_cpu");
        let decls = self.decls(Which::Adjoint);
        let n = h("__lz_n");
        let i = h("__lz_i");
        let r = h("__lz_r");
        let adj = h("__lz_adj");
        let acc = h("__lz_acc");
        let sa = h("__lz_sa");
        let len = self.len_expr();
        let checks = self.cpu_len_checks(Which::Adjoint);
        let elem = format_ident!("{}_vjp", self.elem);
        let outs = self.outs();
        let scalars = self.active_scalars();
        let zero = match self.ks.float {
            super::sig::Float::F32 => quote!(0.0f32),
            super::sig::Float::F64 => quote!(0.0f64),
        };
        // Accumulators: shadows of active inputs, the scalar adjoints, the
        // primal sums.
        let mut accs: Vec<TokenStream> = Vec::new();
        let mut acc_of: std::collections::HashMap<usize, usize> = Default::default();
        for (k, p) in self.ks.params.iter().enumerate() {
            if let Kind::In { active: true } = p.kind {
                let b = self.bar(k);
                acc_of.insert(k, accs.len());
                accs.push(quote!(&mut #b[..]));
            }
        }
        let sa_acc = if scalars.is_empty() {
            None
        } else {
            accs.push(quote!(&mut #sa[..]));
            Some(accs.len() - 1)
        };
        let mut sum_acc: std::collections::HashMap<usize, usize> = Default::default();
        for k in self.sums() {
            let id = &self.ks.params[k].ident;
            sum_acc.insert(k, accs.len());
            accs.push(quote!(::core::slice::from_mut(#id)));
        }
        let names: Vec<syn::Ident> = (0..accs.len()).map(|j| format_ident!("__lz_a{}", j, span = Span::mixed_site())).collect();
        // Arguments of the per-element `_vjp`.
        let mut args = Vec::new();
        for ep in self.eps {
            match ep {
                EParam::Index => args.push(quote!(#i)),
                EParam::Param(k) => {
                    let id = &self.ks.params[*k].ident;
                    args.push(quote!(#id));
                    if let Some(j) = acc_of.get(k) {
                        let a = &names[*j];
                        args.push(quote!(&mut **#a));
                    }
                }
                EParam::OutIn(k) => {
                    let s = self.slice(*k, "o");
                    args.push(quote!(unsafe { #s.get(#i) }));
                }
            }
        }
        let mut setup = TokenStream::new();
        let mut douts = Vec::new();
        for k in &outs {
            let id = &self.ks.params[*k].ident;
            let b = self.bar(*k);
            match self.ks.params[*k].kind {
                Kind::Out => {
                    let s = self.slice(*k, "o");
                    let bs = self.slice(*k, "bo");
                    setup.extend(quote!(let #s = ::leibniz::gpu::UnsafeSlice::new(#id); let #bs = ::leibniz::gpu::UnsafeSlice::new(#b);));
                    douts.push(quote!(unsafe { #bs.get(#i) }));
                }
                _ => {
                    let v = self.slice(*k, "sb");
                    setup.extend(quote!(let #v: #f = *#b;));
                    douts.push(quote!(#v));
                }
            }
        }
        let dout = if douts.len() == 1 { douts[0].clone() } else { quote!((#(#douts),*)) };
        // The by-value active parameters of the per-element function, in
        // order: the scalars, then the old values of read outputs; their
        // adjoints come back in this order.
        let mut byval: Vec<EParam> = Vec::new();
        for ep in self.eps {
            match ep {
                EParam::Param(k) if matches!(self.ks.params[*k].kind, Kind::Scalar { active: true }) => byval.push(ep.clone()),
                EParam::OutIn(_) => byval.push(ep.clone()),
                _ => {}
            }
        }
        let adj_c = |j: usize| -> TokenStream {
            if byval.len() == 1 {
                quote!(#adj)
            } else {
                let j = syn::Index::from(j);
                quote!(#adj.#j)
            }
        };
        let mut writes = TokenStream::new();
        for (ri, k) in outs.iter().enumerate() {
            let c = self.comp(&r, ri);
            match self.ks.params[*k].kind {
                Kind::Out => {
                    let s = self.slice(*k, "o");
                    let bs = self.slice(*k, "bo");
                    writes.extend(quote!(unsafe { #s.set(#i, #c) };));
                    let j = byval.iter().position(|e| matches!(e, EParam::OutIn(o) if o == k));
                    match j {
                        Some(j) => {
                            let a = adj_c(j);
                            writes.extend(quote!(unsafe { #bs.set(#i, #a) };));
                        }
                        None => writes.extend(quote!(unsafe { #bs.set(#i, #zero) };)),
                    }
                }
                _ => {
                    let a = &names[sum_acc[k]];
                    writes.extend(quote!(#a[0] += #c;));
                }
            }
        }
        if let Some(sj) = sa_acc {
            let a = &names[sj];
            for (si, k) in scalars.iter().enumerate() {
                let j = byval.iter().position(|e| matches!(e, EParam::Param(p) if p == k)).unwrap_or(0);
                let c = adj_c(j);
                writes.extend(quote!(#a[#si] += #c;));
            }
        }
        let nsa = scalars.len();
        let ret = match nsa {
            0 => quote!(()),
            1 => quote!(#sa[0]),
            _ => {
                let xs = (0..nsa).map(|j| quote!(#sa[#j]));
                quote!((#(#xs),*))
            }
        };
        let adj_ty = self.adj_ty();
        let vis = self.vis;
        let body_call = quote! {
            let (#r, #adj) = #elem(#(#args,)* #dout);
            #writes
        };
        let run = quote! {
            ::leibniz::gpu::par_accumulate_many::<#f, _>(#n, &mut [#(#accs),*], |#i, #acc| {
                #[allow(irrefutable_let_patterns)]
                let [#(#names),*] = #acc else { ::core::unreachable!() };
                #body_call
            });
        };
        let doc = format!("CPU twin of the adjoint (VJP) of the kernel `{}`: runs the primal (outputs are written) and accumulates adjoints: each active input slice is followed by its adjoint (`+=`); each output by its cotangent (in; out: the adjoint of its old value, 0 for outputs the body only writes); a sum by its cotangent (unchanged). Returns the adjoints of the active scalars (bare if one, a tuple if several, `()` if none).", self.ks.name);
        quote! {
            #[doc = #doc]
            #[allow(unsafe_code, clippy::too_many_arguments, unused_unsafe, unused_mut, clippy::unused_unit)]
            #vis fn #name(#(#decls),*) -> #adj_ty {
                let #n: usize = #len;
                #checks
                let mut #sa = [#zero; #nsa];
                #setup
                #run
                #ret
            }
        }
    }

    // ----- GPU launchers ---------------------------------------------------------

    fn gpu_checks(&self, which: Which) -> TokenStream {
        let n = h("__lz_n");
        let kname = self.ks.name.to_string();
        let mut out = TokenStream::new();
        let err = |msg: String| quote!(return ::core::result::Result::Err(::leibniz::gpu::GpuError::InvalidArgument(#msg.to_string())));
        for (k, p) in self.ks.params.iter().enumerate() {
            let id = &p.ident;
            let sid = id.to_string();
            let (t, b) = (self.tan(k), self.bar(k));
            let same = |other: &syn::Ident| {
                let e = err(format!("{kname}: the tangent or adjoint buffer of `{sid}` has another length than `{sid}`"));
                quote!(if #other.len() != #id.len() { #e; })
            };
            let one = |x: &syn::Ident, what: &str| {
                let e = err(format!("{kname}: `{what}` is a device buffer of one element"));
                quote!(if #x.len() != 1 { #e; })
            };
            match &p.kind {
                Kind::Out => {
                    let e = err(format!("{kname}: the output `{sid}` has another length than the launch"));
                    out.extend(quote!(if #id.len() != #n { #e; }));
                    match which {
                        Which::Tangent => out.extend(same(&t)),
                        Which::Adjoint => out.extend(same(&b)),
                        Which::Primal => {}
                    }
                }
                Kind::Sum => {
                    out.extend(one(id, &sid));
                    match which {
                        Which::Tangent => out.extend(one(&t, &t.to_string())),
                        Which::Adjoint => out.extend(one(&b, &b.to_string())),
                        Which::Primal => {}
                    }
                }
                Kind::In { active: true } => match which {
                    Which::Tangent => out.extend(same(&t)),
                    Which::Adjoint => out.extend(same(&b)),
                    Which::Primal => {}
                },
                Kind::Scalar { active: true } if which == Which::Adjoint => out.extend(one(&b, &b.to_string())),
                _ => {}
            }
        }
        out
    }

    pub fn launch_args(&self, which: Which) -> Vec<TokenStream> {
        let ka = quote!(::leibniz::gpu::KernelArg::from);
        let mut a = Vec::new();
        for (k, p) in self.ks.params.iter().enumerate() {
            let id = &p.ident;
            let (t, b) = (self.tan(k), self.bar(k));
            match &p.kind {
                Kind::Index => {}
                Kind::In { active } => {
                    a.push(quote!(#id.arg()));
                    a.push(quote!(#ka(#id.len())));
                    match (which, active) {
                        (Which::Tangent, true) => a.push(quote!(#t.arg())),
                        (Which::Adjoint, true) => a.push(quote!(#b.arg_mut())),
                        _ => {}
                    }
                }
                Kind::IntIn { .. } => {
                    a.push(quote!(#id.arg()));
                    a.push(quote!(#ka(#id.len())));
                }
                Kind::Scalar { active } => {
                    a.push(quote!(#ka(#id)));
                    match (which, active) {
                        (Which::Tangent, true) => a.push(quote!(#ka(#t))),
                        (Which::Adjoint, true) => a.push(quote!(#b.arg_mut())),
                        _ => {}
                    }
                }
                Kind::Int { ty } => {
                    let pass = &ty.pass;
                    a.push(quote!(#ka(#id as #pass)));
                }
                Kind::Out => {
                    a.push(quote!(#id.arg_mut()));
                    match which {
                        Which::Tangent => a.push(quote!(#t.arg_mut())),
                        Which::Adjoint => a.push(quote!(#b.arg_mut())),
                        Which::Primal => {}
                    }
                }
                Kind::Sum => {
                    a.push(quote!(#id.arg_mut()));
                    match which {
                        Which::Tangent => a.push(quote!(#t.arg_mut())),
                        Which::Adjoint => a.push(quote!(#b.arg())),
                        Which::Primal => {}
                    }
                }
            }
        }
        let n = h("__lz_n");
        a.push(quote!(#ka(#n)));
        a
    }

    fn gpu_launcher(&self, which: Which) -> TokenStream {
        let suffix = match which {
            Which::Primal => "gpu",
            Which::Tangent => "jvp_gpu",
            Which::Adjoint => "vjp_gpu",
        };
        let name = self.pub_name(suffix);
        let decls = self.gpu_decls(which);
        let gpu = h("__lz_gpu");
        let n = h("__lz_n");
        let m = h("__lz_m");
        let len = self.len_expr();
        let checks = self.gpu_checks(which);
        let args = self.launch_args(which);
        let kname = kernel_name(self.ks, which);
        let source_fn = &self.source_fn;
        let vis = self.vis;
        let what = match which {
            Which::Primal => "the kernel",
            Which::Tangent => "the tangent (JVP) kernel",
            Which::Adjoint => "the adjoint (VJP) kernel",
        };
        let doc = format!("Launches {what} of `{}` on `gpu`, on device buffers (parameters as in `{}`, buffers in place of slices; active scalars' adjoints accumulate into one-element buffers). Compiles the CUDA module with NVRTC on first use (cached per process). Errors: NVRTC's log, driver errors, buffer lengths; never panics.", self.ks.name, self.pub_name(match which { Which::Primal => "cpu", Which::Tangent => "jvp_cpu", Which::Adjoint => "vjp_cpu" }));
        quote! {
            #[doc = #doc]
            #[allow(unsafe_code, clippy::too_many_arguments, clippy::unnecessary_cast)]
            #vis fn #name(#gpu: &::leibniz::gpu::Gpu, #(#decls),*) -> ::core::result::Result<(), ::leibniz::gpu::GpuError> {
                let #n: usize = #len;
                #checks
                let #m = #gpu.compile(#source_fn(), &::leibniz::gpu::CompileOptions::default())?;
                // SAFETY: the arguments follow the kernel's parameters in
                // number, order and type (both are generated from the same
                // signature); every thread checks its index against the
                // number of elements, and reads input slices at indices the
                // CPU twin would bound-check.
                unsafe {
                    #m.launch(#kname, ::leibniz::gpu::LaunchConfig::for_n(#n), &[#(#args),*])?;
                }
                ::core::result::Result::Ok(())
            }
        }
    }

    // ----- dispatch --------------------------------------------------------------

    fn auto(&self, which: Which) -> TokenStream {
        let (suffix, cpu, gpu_name) = match which {
            Which::Primal => ("", "cpu", "gpu"),
            Which::Tangent => ("jvp", "jvp_cpu", "jvp_gpu"),
            Which::Adjoint => ("vjp", "vjp_cpu", "vjp_gpu"),
        };
        let name = self.pub_name(suffix);
        let cpu = self.pub_name(cpu);
        let gpu_fn = self.pub_name(gpu_name);
        let decls = self.decls(which);
        let f = self.f();
        let gpu = h("__lz_gpu");
        let res = h("__lz_res");
        // Upload, launch, download; results are copied back only when all
        // steps succeeded, so the CPU twin can run on untouched outputs.
        let mut uploads = TokenStream::new();
        let mut gargs = Vec::new();
        let mut downloads = Vec::new();
        let mut copies = TokenStream::new();
        let mut cpu_args = Vec::new();
        let scalars = self.active_scalars();
        let up = |x: TokenStream| quote!(#gpu.upload(#x)?);
        for (k, p) in self.ks.params.iter().enumerate() {
            let id = &p.ident;
            let (t, b) = (self.tan(k), self.bar(k));
            let dv = self.slice(k, "dev");
            let dt = self.slice(k, "devt");
            let db = self.slice(k, "devb");
            if matches!(p.kind, Kind::Index) {
                continue;
            }
            cpu_args.push(quote!(#id));
            match &p.kind {
                Kind::Index => {}
                Kind::In { active } => {
                    let u = up(quote!(#id));
                    uploads.extend(quote!(let #dv = #u;));
                    gargs.push(quote!(&#dv));
                    match (which, active) {
                        (Which::Tangent, true) => {
                            let u = up(quote!(#t));
                            uploads.extend(quote!(let #dt = #u;));
                            gargs.push(quote!(&#dt));
                            cpu_args.push(quote!(#t));
                        }
                        (Which::Adjoint, true) => {
                            let u = up(quote!(&*#b));
                            uploads.extend(quote!(let mut #db = #u;));
                            gargs.push(quote!(&mut #db));
                            let j = downloads.len();
                            downloads.push(quote!(#db.download()?));
                            let ji = syn::Index::from(j);
                            copies.extend(quote!(#b.copy_from_slice(&#res.#ji);));
                            cpu_args.push(quote!(#b));
                        }
                        _ => {}
                    }
                }
                Kind::IntIn { .. } => {
                    let u = up(quote!(#id));
                    uploads.extend(quote!(let #dv = #u;));
                    gargs.push(quote!(&#dv));
                }
                Kind::Scalar { active } => {
                    gargs.push(quote!(#id));
                    match (which, active) {
                        (Which::Tangent, true) => {
                            gargs.push(quote!(#t));
                            cpu_args.push(quote!(#t));
                        }
                        (Which::Adjoint, true) => {
                            uploads.extend(quote!(let mut #db = #gpu.zeros::<#f>(1)?;));
                            gargs.push(quote!(&mut #db));
                            downloads.push(quote!(#db.download()?));
                        }
                        _ => {}
                    }
                }
                Kind::Int { .. } => gargs.push(quote!(#id)),
                Kind::Out | Kind::Sum => {
                    let is_sum = matches!(p.kind, Kind::Sum);
                    let host = |x: &syn::Ident| if is_sum { quote!(::core::slice::from_ref(&*#x)) } else { quote!(&*#x) };
                    let u = up(host(id));
                    uploads.extend(quote!(let mut #dv = #u;));
                    gargs.push(quote!(&mut #dv));
                    let j = downloads.len();
                    downloads.push(quote!(#dv.download()?));
                    let ji = syn::Index::from(j);
                    copies.extend(if is_sum { quote!(*#id = #res.#ji[0];) } else { quote!(#id.copy_from_slice(&#res.#ji);) });
                    match which {
                        Which::Tangent => {
                            let u = up(host(&t));
                            uploads.extend(quote!(let mut #dt = #u;));
                            gargs.push(quote!(&mut #dt));
                            let j = downloads.len();
                            downloads.push(quote!(#dt.download()?));
                            let ji = syn::Index::from(j);
                            copies.extend(if is_sum { quote!(*#t = #res.#ji[0];) } else { quote!(#t.copy_from_slice(&#res.#ji);) });
                            cpu_args.push(quote!(#t));
                        }
                        Which::Adjoint => {
                            let u = up(host(&b));
                            if is_sum {
                                uploads.extend(quote!(let #db = #u;));
                                gargs.push(quote!(&#db));
                            } else {
                                uploads.extend(quote!(let mut #db = #u;));
                                gargs.push(quote!(&mut #db));
                                let j = downloads.len();
                                downloads.push(quote!(#db.download()?));
                                let ji = syn::Index::from(j);
                                copies.extend(quote!(#b.copy_from_slice(&#res.#ji);));
                            }
                            cpu_args.push(quote!(#b));
                        }
                        Which::Primal => {}
                    }
                }
            }
        }
        // Scalar adjoints: the downloads after the slices, in order.
        let ret = if which == Which::Adjoint {
            let mut xs = Vec::new();
            let mut j = 0usize;
            for (k, p) in self.ks.params.iter().enumerate() {
                let _ = k;
                match &p.kind {
                    Kind::In { active: true } => j += 1,
                    Kind::Scalar { active: true } => {
                        let ji = syn::Index::from(j);
                        xs.push(quote!(#res.#ji[0]));
                        j += 1;
                    }
                    Kind::Out => j += 2,
                    Kind::Sum => j += 1,
                    _ => {}
                }
            }
            match xs.len() {
                0 => quote!(()),
                1 => xs[0].clone(),
                _ => quote!((#(#xs),*)),
            }
        } else {
            quote!(())
        };
        let _ = scalars;
        let kname = self.ks.name.to_string();
        let vis = self.vis;
        let ret_ty = if which == Which::Adjoint { self.adj_ty() } else { quote!(()) };
        let user_docs = if which == Which::Primal { self.docs.clone() } else { Vec::new() };
        let doc = match which {
            Which::Primal => format!("Runs the kernel `{kname}` over every element: on the GPU when one is usable (feature `cuda`, an NVIDIA driver, NVRTC), else on its CPU twin `{kname}_cpu`, saying so once on stderr. Host slices are uploaded and the outputs downloaded on each call; keep data on the device with `{kname}_gpu`."),
            Which::Tangent => format!("The tangent (JVP) of the kernel `{kname}`, on the GPU or its CPU twin `{kname}_jvp_cpu` (same parameters)."),
            Which::Adjoint => format!("The adjoint (VJP) of the kernel `{kname}`, on the GPU or its CPU twin `{kname}_vjp_cpu` (same parameters and result)."),
        };
        let sep = if user_docs.is_empty() { TokenStream::new() } else { quote!(#[doc = ""]) };
        quote! {
            #(#user_docs)*
            #sep
            #[doc = #doc]
            #[allow(unsafe_code, clippy::too_many_arguments, unused_mut, clippy::unused_unit)]
            #vis fn #name(#(#decls),*) -> #ret_ty {
                if let ::core::option::Option::Some(#gpu) = ::leibniz::gpu::Backend::detect().gpu() {
                    let #res = (|| -> ::core::result::Result<_, ::leibniz::gpu::GpuError> {
                        #uploads
                        #gpu_fn(#gpu, #(#gargs),*)?;
                        ::core::result::Result::Ok((#(#downloads,)*))
                    })();
                    match #res {
                        ::core::result::Result::Ok(#res) => {
                            #copies
                            return #ret;
                        }
                        ::core::result::Result::Err(e) => ::leibniz::gpu::fallback_warning(#kname, &e),
                    }
                }
                #cpu(#(#cpu_args),*)
            }
        }
    }

    pub fn emit(&self) -> TokenStream {
        let mut out = TokenStream::new();
        out.extend(self.cpu_primal());
        out.extend(self.cpu_jvp());
        out.extend(self.cpu_vjp());
        for w in [Which::Primal, Which::Tangent, Which::Adjoint] {
            out.extend(self.gpu_launcher(w));
            out.extend(self.auto(w));
        }
        out
    }
}

/// The const assertion that a callee has a device version, at the call.
pub fn require(dep: &syn::Path, dep_ref: TokenStream) -> TokenStream {
    let span = dep.segments.last().map(|s| s.ident.span()).unwrap_or_else(Span::call_site);
    quote_spanned!(span=> const _: () = ::leibniz::gpu::DeviceFn::require(#dep_ref);)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diag;

    /// The CUDA parameter a launch argument fills, named like the
    /// declaration (`a_x`, `a_x_len`, `d_x`, `b_x`, `lz_n`).
    fn arg_name(t: &TokenStream) -> String {
        let raw = t.to_string();
        let raw = raw.trim_start_matches(":: leibniz :: gpu :: KernelArg :: from (").trim_start();
        let v: String = raw.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let s = raw.replace(' ', "");
        if v == "__lz_n" {
            return "lz_n".into();
        }
        if s[v.len()..].starts_with(".len(") {
            return format!("a_{v}_len");
        }
        if let Some(x) = v.strip_suffix("_bar") {
            return format!("b_{x}");
        }
        if let Some(x) = v.strip_prefix('d') {
            if TAN.with(|t| t.borrow().iter().any(|p| p == x)) {
                return format!("d_{x}");
            }
        }
        format!("a_{v}")
    }

    thread_local! {
        static TAN: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn decl_name(d: &str) -> String {
        d.split_whitespace().last().unwrap_or("").to_string()
    }

    #[test]
    fn launch_arguments_follow_the_cuda_parameters() {
        for src in [
            "fn k(i: usize, u: &[f64], idx: &[u32], a: f64, #[no_grad] b: f64, n: usize, on: bool, y: &mut [f64], z: &mut [f64], s: &mut f64) { y[i] = u[i] * a; z[i] += b; *s += u[idx[i] as usize]; }",
            "fn m(i: usize, #[no_grad] x: &[f32], w: &[f32], k: f32, s: &mut f32) { *s += x[i] * w[i] * k; }",
        ] {
            let f: syn::ItemFn = syn::parse_str(src).unwrap();
            let mut diag = Diag::default();
            let ks = crate::kernel::sig::read(&f.sig, &mut diag).unwrap();
            TAN.with(|t| *t.borrow_mut() = ks.params.iter().map(|p| p.ident.to_string()).collect());
            let vis: syn::Visibility = syn::parse_quote!(pub);
            let eps = crate::kernel::gpu_src::elem_params(&ks, &vec![false; ks.params.len()]);
            let h = Host { ks: &ks, vis: &vis, eps: &eps, elem: syn::parse_quote!(k_elem), source_fn: syn::parse_quote!(k_cuda_source), docs: Vec::new() };
            for w in [Which::Primal, Which::Tangent, Which::Adjoint] {
                let decls: Vec<String> = crate::kernel::gpu_src::decls(&ks, w).iter().map(|d| decl_name(d)).collect();
                let args: Vec<String> = h.launch_args(w).iter().map(arg_name).collect();
                assert_eq!(decls, args, "{w:?} of `{}`", ks.name);
            }
        }
    }
}
