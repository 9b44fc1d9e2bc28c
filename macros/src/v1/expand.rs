//! Assembles the items `#[differentiable]` emits beside the primal:
//! `f_jvp`, `f_vjp`, `f_grad`, `f_derivative`, `f_record`, `f_pullback`, and
//! the hidden entry points `f__lz_jvp` / `f__lz_rec` that calls between
//! differentiable functions use.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Generics, Ident, Visibility};

use crate::v1::analyse::Info;
use crate::v1::emit::{Gen, Mode};
use crate::v1::ir::*;
use crate::v1::naming;
use crate::v1::sig::{RetShape, Role, Sig};

pub struct Parts<'a> {
    pub name: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub sig: &'a Sig,
    pub f: &'a Func,
    pub info: &'a Info,
    pub items: &'a [syn::Item],
}

/// The signature with every elided lifetime named, so that the tape types
/// can say exactly which borrows they hold (`impl Fn(..) + use<..>`).
struct Named {
    recv: TokenStream,
    params: Vec<TokenStream>,
    generics: Generics,
    /// Lifetimes appearing in each parameter's type.
    param_lts: Vec<Vec<syn::Lifetime>>,
    self_lt: Option<syn::Lifetime>,
}

struct NameLts {
    next: usize,
    found: Vec<syn::Lifetime>,
    fresh: Vec<syn::Lifetime>,
}

impl NameLts {
    fn fresh(&mut self) -> syn::Lifetime {
        let lt = syn::Lifetime::new(&format!("'__lz{}", self.next), proc_macro2::Span::call_site());
        self.next += 1;
        self.fresh.push(lt.clone());
        lt
    }
}

impl syn::visit_mut::VisitMut for NameLts {
    fn visit_type_reference_mut(&mut self, r: &mut syn::TypeReference) {
        if r.lifetime.is_none() {
            r.lifetime = Some(self.fresh());
        }
        syn::visit_mut::visit_type_reference_mut(self, r);
    }
    fn visit_lifetime_mut(&mut self, lt: &mut syn::Lifetime) {
        if lt.ident == "_" {
            *lt = self.fresh();
        }
        self.found.push(lt.clone());
    }
}

const ALLOW: &str = "#[allow(unused_variables, unused_mut, unused_assignments, unused_parens, unused_braces, non_snake_case, clippy::all)]";

fn allow() -> TokenStream {
    ALLOW.parse().unwrap_or_default()
}

impl Parts<'_> {
    fn float(&self) -> TokenStream {
        self.sig.float.to_token_stream()
    }

    fn zero(&self) -> TokenStream {
        let f = self.float();
        quote!(::leibniz::__private::zero::<#f>())
    }

    fn one(&self) -> TokenStream {
        let f = self.float();
        quote!(::leibniz::__private::lit::<#f>(1.0))
    }

    fn params_decl(&self) -> Vec<TokenStream> {
        self.sig
            .params
            .iter()
            .map(|p| {
                let (id, ty) = (&p.ident, &p.ty);
                if p.mutable { quote!(mut #id: #ty) } else { quote!(#id: #ty) }
            })
            .collect()
    }

    fn param_names(&self) -> Vec<TokenStream> {
        self.sig.params.iter().map(|p| p.ident.to_token_stream()).collect()
    }

    fn recv(&self) -> TokenStream {
        match &self.sig.receiver {
            Some(r) => quote!(#r,),
            None => TokenStream::new(),
        }
    }

    /// How to call a sibling item: `self.g(..)` or `g(..)`.
    fn call(&self, f: &Ident) -> TokenStream {
        if self.sig.receiver.is_some() {
            quote!(self.#f)
        } else if self.sig.associated {
            quote!(Self::#f)
        } else {
            quote!(#f)
        }
    }

    fn ret_ty(&self) -> TokenStream {
        self.sig.ret_ty.clone()
    }

    fn is_unit(&self) -> bool {
        matches!(self.sig.ret, RetShape::Unit)
    }

    fn np(&self) -> usize {
        self.sig.params.len()
    }

    fn items(&self) -> TokenStream {
        let items = self.items;
        quote!(#(#items)*)
    }

    fn named(&self) -> Named {
        use syn::visit_mut::VisitMut;
        let mut namer = NameLts { next: 0, found: Vec::new(), fresh: Vec::new() };
        let mut params = Vec::new();
        let mut param_lts = Vec::new();
        for p in &self.sig.params {
            let mut ty = p.ty.clone();
            namer.found.clear();
            namer.visit_type_mut(&mut ty);
            param_lts.push(namer.found.clone());
            let id = &p.ident;
            params.push(if p.mutable { quote!(mut #id: #ty) } else { quote!(#id: #ty) });
        }
        let (recv, self_lt) = match &self.sig.receiver {
            Some(_) => {
                let lt = namer.fresh();
                (quote!(&#lt self,), Some(lt))
            }
            None => (TokenStream::new(), None),
        };
        let mut generics = self.generics.clone();
        for lt in namer.fresh.iter().rev() {
            generics.params.insert(0, syn::GenericParam::Lifetime(syn::LifetimeParam::new(lt.clone())));
        }
        Named { recv, params, generics, param_lts, self_lt }
    }

    /// `+ use<..>`: every generic parameter but the lifetimes that only the
    /// excluded parameters' types mention. Methods get none (the impl's
    /// generics are not visible here; edition 2024 captures everything).
    fn use_bound(&self, n: &Named, exclude: &dyn Fn(usize) -> bool) -> TokenStream {
        if self.sig.receiver.is_some() || self.calls_methods() {
            return TokenStream::new();
        }
        let mut keep: Vec<syn::Lifetime> = Vec::new();
        for (k, lts) in n.param_lts.iter().enumerate() {
            if !exclude(k) {
                keep.extend(lts.iter().cloned());
            }
        }
        keep.extend(n.self_lt.iter().cloned());
        let mut items = Vec::new();
        for g in &n.generics.params {
            match g {
                syn::GenericParam::Lifetime(l) => {
                    if keep.iter().any(|k| k.ident == l.lifetime.ident) {
                        let lt = &l.lifetime;
                        items.push(quote!(#lt));
                    }
                }
                syn::GenericParam::Type(t) => {
                    let id = &t.ident;
                    items.push(quote!(#id));
                }
                syn::GenericParam::Const(c) => {
                    let id = &c.ident;
                    items.push(quote!(#id));
                }
            }
        }
        quote!(+ use<#(#items),*>)
    }

    /// Whether the body calls a differentiable method, whose tape may hold
    /// every borrow of its call.
    fn calls_methods(&self) -> bool {
        let mut found = false;
        self.f.body.walk(&mut |s| {
            if let Stmt::Def { op: Op::Call { callee: Callee::Method { .. }, .. }, .. } = s {
                found = true;
            }
        });
        found
    }

    // ----- hidden forward-mode entry -------------------------------------

    fn hidden_jvp(&self, g: &mut Gen) -> TokenStream {
        let name = naming::hidden(self.name, "jvp");
        let (vis, generics, wh) = (self.vis, &self.generics, &self.generics.where_clause);
        let (float, np, ret) = (self.float(), self.np(), self.ret_ty());
        let recv = self.recv();
        let params = self.params_decl();
        let tans = naming::named("__tans");
        let tan_names: Vec<Ident> = (0..np).map(|k| naming::indexed("__tan", k)).collect();
        let mut bind = TokenStream::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            let t = &tan_names[k];
            let scr = naming::indexed("__scr", k);
            let id = &p.ident;
            if let Some(v) = self.f.param_values[k] {
                if p.active && g.is_active(v) {
                    let d = naming::tan(v);
                    bind.extend(quote!(let #d = #t.scalar();));
                }
            }
            if let Some(a) = self.f.param_arrays[k] {
                if !g.is_arr_active(a) {
                    continue;
                }
                let da = naming::tan_arr(a);
                let z = self.zero();
                bind.extend(match (&p.role, p.active) {
                    // Resliced to the primal's length: LLVM then knows both
                    // have one length and drops redundant bounds checks.
                    (Role::ArrRef, true) => quote!(let mut #scr = ::std::vec::Vec::new(); let #da: &[#float] = &#t.slice(#id.len(), &mut #scr)[..#id.len()];),
                    (Role::ArrMut, true) => quote!(let mut #scr = ::std::vec::Vec::new(); let #da: &mut [#float] = &mut #t.slice_mut(#id.len(), &mut #scr)[..#id.len()];),
                    (Role::ArrVal(n), true) => quote!(
                        let mut #scr = ::std::vec::Vec::new();
                        let mut #da = [#z; #n];
                        #da.copy_from_slice(#t.slice(#n, &mut #scr));
                    ),
                    // A `#[no_grad]` array that active values are written to.
                    _ => quote!(let mut #da = ::std::vec![#z; #id.len()];),
                });
            }
        }
        let body = g.fwd_block(&self.f.body, Mode::Jvp);
        let (prim, tan) = self.result_pair(g);
        let items = self.items();
        let allow = allow();
        quote! {
            #[doc(hidden)]
            #[inline]
            #allow
            #vis fn #name #generics (#recv #(#params,)* #tans: [::leibniz::__private::Tan<'_, #float>; #np]) -> (#ret, #ret) #wh {
                #items
                let [#(mut #tan_names),*] = #tans;
                #bind
                #body
                let __tangent = #tan;
                (#prim, __tangent)
            }
        }
    }

    /// Primal and tangent result expressions.
    fn result_pair(&self, g: &mut Gen) -> (TokenStream, TokenStream) {
        let leaf = |g: &mut Gen, l: &Leaf| -> (TokenStream, TokenStream) {
            match l {
                Leaf::Scalar(v) => {
                    let p = g.val(*v);
                    let t = if g.is_active(*v) { naming::tan(*v).to_token_stream() } else { self.zero() };
                    (p, t)
                }
                Leaf::Array(a) => {
                    let p = g.arr_name(*a);
                    let t = if g.is_arr_active(*a) { naming::tan_arr(*a).to_token_stream() } else { g.zeros_array(*a, false) };
                    (p, t)
                }
            }
        };
        match &self.f.result {
            ResultShape::Unit => (quote!(()), quote!(())),
            ResultShape::Leaf(l) => leaf(g, l),
            ResultShape::Tuple(ls) => {
                let (ps, ts): (Vec<_>, Vec<_>) = ls.iter().map(|l| leaf(g, l)).unzip();
                (quote!((#(#ps,)*)), quote!((#(#ts,)*)))
            }
        }
    }

    // ----- hidden reverse-mode entry ---------------------------------------

    fn hidden_rec(&self, g: &mut Gen) -> TokenStream {
        let name = naming::hidden(self.name, "rec");
        let named = self.named();
        let (vis, generics, wh) = (self.vis, &named.generics, &self.generics.where_clause);
        let (float, np, ret) = (self.float(), self.np(), self.ret_ty());
        let recv = named.recv.clone();
        let params = named.params.clone();
        let capture = self.use_bound(&named, &|k| matches!(self.sig.params[k].role, Role::ArrRef | Role::ArrMut));
        let supply = naming::named("__supply");
        let arrs = naming::named("__arrs");
        // Read-only array parameters are handed back to the backward sweep
        // (so the tape does not borrow them); a copy is kept only when the
        // caller says it cannot hand one back.
        let mut own = TokenStream::new();
        let mut resupply = TokenStream::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            if let Role::ArrRef = p.role {
                let id = &p.ident;
                let o = naming::indexed("__own", k);
                let label = id.to_string();
                own.extend(quote!(let #o: ::core::option::Option<::std::vec::Vec<#float>> = if #supply[#k] { ::core::option::Option::None } else { ::core::option::Option::Some(#id.to_vec()) };));
                resupply.extend(quote!(let #id: &[#float] = ::leibniz::__private::resupplied(#arrs[#k], &#o, #label);));
            }
        }
        let (stack_decls, bytes, cursors) = g.tape_parts();
        let mut lens = TokenStream::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            if let Role::ArrMut = p.role {
                let l = naming::indexed("__len", k);
                let id = &p.ident;
                lens.extend(quote!(let #l = #id.len();));
            }
        }
        let hoisted = g.hoisted_decls(0);
        let fwd = g.fwd_block(&self.f.body, Mode::Record);
        let prim = self.result_pair_primal(g);

        // Backward.
        let sink_names: Vec<Ident> = (0..np).map(|k| naming::indexed("__sink", k)).collect();
        let mut shadows = TokenStream::new();
        let mut finish = TokenStream::new();
        let z = self.zero();
        for (k, p) in self.sig.params.iter().enumerate() {
            let s = &sink_names[k];
            let scr = naming::indexed("__scr", k);
            let id = &p.ident;
            if let Some(v) = self.f.param_values[k] {
                if p.active && g.is_active(v) {
                    let b = naming::adj(v);
                    finish.extend(quote!(#s.add(#b);));
                }
            }
            if let Some(a) = self.f.param_arrays[k] {
                if !g.is_arr_active(a) {
                    continue;
                }
                let ba = naming::adj_arr(a);
                let len = match p.role {
                    Role::ArrMut => naming::indexed("__len", k).to_token_stream(),
                    _ => quote!(#id.len()),
                };
                shadows.extend(match (&p.role, p.active) {
                    (Role::ArrRef | Role::ArrMut, true) => {
                        quote!(let mut #scr = ::std::vec::Vec::new(); let #ba: &mut [#float] = &mut #s.slice(#len, &mut #scr)[..#len];)
                    }
                    (Role::ArrVal(n), true) => {
                        finish.extend(quote!({
                            let mut #scr = ::std::vec::Vec::new();
                            let __s = #s.slice(#n, &mut #scr);
                            for __k in 0..#n { __s[__k] = __s[__k] + #ba[__k]; }
                        }));
                        quote!(let mut #ba = [#z; #n];)
                    }
                    _ => quote!(let mut #ba = ::std::vec![#z; #len];),
                });
            }
        }
        let dout = naming::named("__dout");
        let seed = self.seed(g, &dout);
        let back = g.top_backward(seed);
        let items = self.items();
        let allow = allow();
        let sinks = naming::named("__sinks");
        let bytes_name = naming::named("__bytes");
        quote! {
            #[doc(hidden)]
            #[inline]
            #allow
            #vis fn #name #generics (#recv #(#params,)* #supply: [bool; #np])
                -> (#ret, ::leibniz::Tape<impl Fn([::core::option::Option<&[#float]>; #np], [::leibniz::__private::Sink<'_, #float>; #np], ::core::option::Option<#ret>) #capture>) #wh
            {
                #items
                #stack_decls
                #lens
                #own
                #hoisted
                #fwd
                let #bytes_name = #bytes;
                let __primal = #prim;
                (__primal, ::leibniz::Tape::__new(#bytes_name, move |#arrs: [::core::option::Option<&[#float]>; #np], #sinks: [::leibniz::__private::Sink<'_, #float>; #np], #dout: ::core::option::Option<#ret>| {
                    #items
                    #resupply
                    let [#(mut #sink_names),*] = #sinks;
                    #cursors
                    #shadows
                    #back
                    #finish
                }))
            }
        }
    }

    fn result_pair_primal(&self, g: &mut Gen) -> TokenStream {
        let leaf = |g: &mut Gen, l: &Leaf| match l {
            Leaf::Scalar(v) => g.val(*v),
            Leaf::Array(a) => g.arr_name(*a),
        };
        match &self.f.result {
            ResultShape::Unit => quote!(()),
            ResultShape::Leaf(l) => leaf(g, l),
            ResultShape::Tuple(ls) => {
                let ps: Vec<_> = ls.iter().map(|l| leaf(g, l)).collect();
                quote!((#(#ps,)*))
            }
        }
    }

    /// Adds the result cotangent to the adjoints of the result leaves.
    fn seed(&self, g: &mut Gen, dout: &Ident) -> TokenStream {
        let leaves = self.f.result.leaves();
        let tuple = matches!(self.f.result, ResultShape::Tuple(_));
        let mut out = TokenStream::new();
        for (k, l) in leaves.iter().enumerate() {
            let part = if tuple {
                let k = syn::Index::from(k);
                quote!(__d.#k)
            } else {
                quote!(__d)
            };
            match l {
                Leaf::Scalar(v) => {
                    if g.is_active(*v) {
                        let b = naming::adj(*v);
                        out.extend(quote!(#b = #b + #part;));
                    }
                }
                Leaf::Array(a) => {
                    if g.is_arr_active(*a) {
                        let ba = naming::adj_arr(*a);
                        out.extend(quote!({
                            let __p = &#part;
                            ::leibniz::__private::check_len("result", "cotangent", __p.len(), #ba.len());
                            for __k in 0..#ba.len() { #ba[__k] = #ba[__k] + __p[__k]; }
                        }));
                    }
                }
            }
        }
        if out.is_empty() {
            return out;
        }
        quote!(if let ::core::option::Option::Some(__d) = #dout { #out })
    }

    // ----- public API --------------------------------------------------------

    fn public_jvp(&self) -> TokenStream {
        let name = naming::public(self.name, "jvp");
        let hidden = self.call(&naming::hidden(self.name, "jvp"));
        let (vis, generics, wh) = (self.vis, &self.generics, &self.generics.where_clause);
        let (float, ret) = (self.float(), self.ret_ty());
        let recv = self.recv();
        let mut params = Vec::new();
        let mut tans = Vec::new();
        let mut checks = TokenStream::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            let (id, ty) = (&p.ident, &p.ty);
            params.push(if p.mutable { quote!(mut #id: #ty) } else { quote!(#id: #ty) });
            if !p.active {
                tans.push(quote!(::leibniz::__private::Tan::Zero));
                continue;
            }
            let d = naming::indexed("__dp", k);
            let label = id.to_string();
            match &p.role {
                Role::Scalar => {
                    params.push(quote!(#d: #float));
                    tans.push(quote!(::leibniz::__private::Tan::Scalar(#d)));
                }
                Role::ArrRef => {
                    params.push(quote!(#d: &[#float]));
                    checks.extend(quote!(::leibniz::__private::check_len(#label, "tangent", #d.len(), #id.len());));
                    tans.push(quote!(::leibniz::__private::Tan::Slice(#d)));
                }
                Role::ArrMut => {
                    params.push(quote!(#d: &mut [#float]));
                    checks.extend(quote!(::leibniz::__private::check_len(#label, "tangent", #d.len(), #id.len());));
                    tans.push(quote!(::leibniz::__private::Tan::SliceMut(#d)));
                }
                Role::ArrVal(n) => {
                    params.push(quote!(#d: [#float; #n]));
                    tans.push(quote!(::leibniz::__private::Tan::Slice(&#d[..])));
                }
                Role::Const { .. } => tans.push(quote!(::leibniz::__private::Tan::Zero)),
            }
        }
        let args = self.param_names();
        let (out_ty, out) = if self.is_unit() { (quote!(()), quote!(())) } else { (quote!((#ret, #ret)), quote!((__r, __dr))) };
        let allow = allow();
        let doc = format!("Forward mode (JVP) of [`{}`]: each active parameter is followed by its tangent; returns the value and its tangent.", self.name);
        quote! {
            #[doc = #doc]
            #[inline]
            #allow
            #vis fn #name #generics (#recv #(#params),*) -> #out_ty #wh {
                #checks
                let (__r, __dr) = #hidden(#(#args,)* [#(#tans),*]);
                #out
            }
        }
    }

    /// By-value active parameters (their adjoints are returned), in order.
    fn byval_active(&self) -> Vec<usize> {
        self.sig
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.active && matches!(p.role, Role::Scalar | Role::ArrVal(_)))
            .map(|(k, _)| k)
            .collect()
    }

    fn adjoint_type(&self) -> TokenStream {
        let float = self.float();
        let tys: Vec<TokenStream> = self
            .byval_active()
            .into_iter()
            .map(|k| match &self.sig.params[k].role {
                Role::ArrVal(n) => quote!([#float; #n]),
                _ => float.clone(),
            })
            .collect();
        match tys.len() {
            1 => tys[0].clone(),
            _ => quote!((#(#tys),*)),
        }
    }

    /// Shadow parameters (`&mut [F]` after each active array by reference).
    fn shadow_params(&self) -> Vec<(usize, Ident)> {
        self.sig
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| p.active && matches!(p.role, Role::ArrRef | Role::ArrMut))
            .map(|(k, _)| (k, naming::indexed("__g", k)))
            .collect()
    }

    fn public_record(&self) -> TokenStream {
        let name = naming::public(self.name, "record");
        let hidden = self.call(&naming::hidden(self.name, "rec"));
        let named = self.named();
        let (vis, generics, wh) = (self.vis, &named.generics, &self.generics.where_clause);
        let (float, ret) = (self.float(), self.ret_ty());
        let recv = named.recv.clone();
        let params = named.params.clone();
        let capture = self.use_bound(&named, &|k| matches!(self.sig.params[k].role, Role::ArrMut));
        let supply: Vec<bool> = self.sig.params.iter().map(|p| matches!(p.role, Role::ArrRef)).collect();
        let arrs: Vec<TokenStream> = self
            .sig
            .params
            .iter()
            .map(|p| {
                let id = &p.ident;
                if let Role::ArrRef = p.role { quote!(::core::option::Option::Some(&#id[..])) } else { quote!(::core::option::Option::None) }
            })
            .collect();
        let args = self.param_names();
        let shadows = self.shadow_params();
        let mut lens = TokenStream::new();
        let mut checks = TokenStream::new();
        for (k, _) in &shadows {
            let p = &self.sig.params[*k];
            let (id, l, g) = (&p.ident, naming::indexed("__len", *k), naming::indexed("__g", *k));
            let label = id.to_string();
            lens.extend(quote!(let #l = #id.len();));
            checks.extend(quote!(::leibniz::__private::check_len(#label, "shadow", #g.len(), #l);));
        }
        let z = self.zero();
        let mut adj_decls = TokenStream::new();
        let byval = self.byval_active();
        let mut sinks = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            let a = naming::indexed("__adj", k);
            if !p.active {
                sinks.push(quote!(::leibniz::__private::Sink::Discard));
                continue;
            }
            match &p.role {
                Role::Scalar => {
                    adj_decls.extend(quote!(let mut #a = #z;));
                    sinks.push(quote!(::leibniz::__private::Sink::Scalar(&mut #a)));
                }
                Role::ArrVal(n) => {
                    adj_decls.extend(quote!(let mut #a = [#z; #n];));
                    sinks.push(quote!(::leibniz::__private::Sink::Slice(&mut #a[..])));
                }
                Role::ArrRef | Role::ArrMut => {
                    let g = naming::indexed("__g", k);
                    sinks.push(quote!(::leibniz::__private::Sink::Slice(&mut *#g)));
                }
                Role::Const { .. } => sinks.push(quote!(::leibniz::__private::Sink::Discard)),
            }
        }
        let adj_vals: Vec<Ident> = byval.iter().map(|k| naming::indexed("__adj", *k)).collect();
        let result = match adj_vals.len() {
            1 => adj_vals[0].to_token_stream(),
            _ => quote!((#(#adj_vals),*)),
        };
        let a_ty = self.adjoint_type();
        let shadow_decl: Vec<TokenStream> = shadows.iter().map(|(_, g)| quote!(#g: &mut [#float])).collect();
        let shadow_tys: Vec<TokenStream> = shadows.iter().map(|_| quote!(&mut [#float])).collect();
        let (fn_args, dout_arg, dout_val) = if self.is_unit() {
            (quote!(#(#shadow_tys),*), TokenStream::new(), quote!(::core::option::Option::Some(())))
        } else {
            (quote!(#(#shadow_tys,)* #ret), quote!(__dout: #ret), quote!(::core::option::Option::Some(__dout)))
        };
        let allow = allow();
        let doc = format!(
            "Records the forward sweep of [`{0}`] once: returns the value and a [`leibniz::Tape`] that `{0}_pullback` pulls cotangents back through, as often as needed.",
            self.name
        );
        quote! {
            #[doc = #doc]
            #[inline]
            #allow
            #vis fn #name #generics (#recv #(#params),*) -> (#ret, ::leibniz::Tape<impl Fn(#fn_args) -> #a_ty #capture>) #wh {
                #lens
                let (__r, __t) = #hidden(#(#args,)* [#(#supply),*]);
                let __bytes = __t.bytes();
                (__r, ::leibniz::Tape::__new(__bytes, move |#(#shadow_decl,)* #dout_arg| -> #a_ty {
                    #checks
                    #adj_decls
                    (__t.__pullback())([#(#arrs),*], [#(#sinks),*], #dout_val);
                    #result
                }))
            }
        }
    }

    fn public_pullback(&self) -> TokenStream {
        let name = naming::public(self.name, "pullback");
        let vis = self.vis;
        let float = self.float();
        let ret = self.ret_ty();
        let shadows = self.shadow_params();
        let a_ty = self.adjoint_type();
        let shadow_decl: Vec<TokenStream> = shadows.iter().map(|(_, g)| quote!(#g: &mut [#float])).collect();
        let shadow_names: Vec<&Ident> = shadows.iter().map(|(_, g)| g).collect();
        let shadow_tys: Vec<TokenStream> = shadows.iter().map(|_| quote!(&mut [#float])).collect();
        let (fn_args, dout_arg, dout_val) = if self.is_unit() {
            (quote!(#(#shadow_tys),*), TokenStream::new(), TokenStream::new())
        } else {
            (quote!(#(#shadow_tys,)* #ret), quote!(__dout: #ret), quote!(__dout))
        };
        let mut generics = self.generics.clone();
        let c: syn::GenericParam = syn::parse_quote!(__C: Fn(#fn_args) -> #a_ty);
        generics.params.push(c);
        let wh = &generics.where_clause;
        let allow = allow();
        let doc = format!(
            "Pulls one cotangent back through a tape recorded by `{}_record`: shadows of the array parameters (`+=`), then the cotangent of the result; returns the adjoints of the by-value parameters.",
            self.name
        );
        quote! {
            #[doc = #doc]
            #[inline]
            #allow
            #vis fn #name #generics (__tape: &::leibniz::Tape<__C>, #(#shadow_decl,)* #dout_arg) -> #a_ty #wh {
                (__tape.__pullback())(#(#shadow_names,)* #dout_val)
            }
        }
    }

    fn public_vjp(&self) -> TokenStream {
        let name = naming::public(self.name, "vjp");
        let record = self.call(&naming::public(self.name, "record"));
        let (vis, generics, wh) = (self.vis, &self.generics, &self.generics.where_clause);
        let (float, ret) = (self.float(), self.ret_ty());
        let recv = self.recv();
        let args = self.param_names();
        let mut params = Vec::new();
        let mut shadow_names = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            let (id, ty) = (&p.ident, &p.ty);
            params.push(if p.mutable { quote!(mut #id: #ty) } else { quote!(#id: #ty) });
            if p.active && matches!(p.role, Role::ArrRef | Role::ArrMut) {
                let g = naming::indexed("__g", k);
                params.push(quote!(#g: &mut [#float]));
                shadow_names.push(g);
            }
        }
        let a_ty = self.adjoint_type();
        let allow = allow();
        let doc = format!(
            "Reverse mode (VJP) of [`{}`]: each array parameter by reference is followed by its shadow (`+=` adjoint; for `&mut` arrays dL/d(out) in, dL/d(in) out), then the cotangent of the result; returns the value and the adjoints of the by-value parameters.",
            self.name
        );
        if self.is_unit() {
            quote! {
                #[doc = #doc]
                #[inline]
                #allow
                #vis fn #name #generics (#recv #(#params),*) -> #a_ty #wh {
                    let (_, __t) = #record(#(#args),*);
                    (__t.__pullback())(#(#shadow_names),*)
                }
            }
        } else {
            quote! {
                #[doc = #doc]
                #[inline]
                #allow
                #vis fn #name #generics (#recv #(#params,)* __dout: #ret) -> (#ret, #a_ty) #wh {
                    let (__r, __t) = #record(#(#args),*);
                    let __a = (__t.__pullback())(#(#shadow_names,)* __dout);
                    (__r, __a)
                }
            }
        }
    }

    fn public_grad(&self) -> TokenStream {
        if !matches!(self.sig.ret, RetShape::Scalar) {
            return TokenStream::new();
        }
        let name = naming::public(self.name, "grad");
        let vjp = self.call(&naming::public(self.name, "vjp"));
        let (vis, generics, wh) = (self.vis, &self.generics, &self.generics.where_clause);
        let float = self.float();
        let recv = self.recv();
        let params = self.params_decl();
        let z = self.zero();
        let one = self.one();
        let byval = self.byval_active();
        let mut decls = TokenStream::new();
        let mut args = Vec::new();
        let mut entries = Vec::new();
        let mut entry_tys = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            let id = &p.ident;
            args.push(id.to_token_stream());
            if !p.active {
                continue;
            }
            match &p.role {
                Role::ArrRef | Role::ArrMut => {
                    let g = naming::indexed("__g", k);
                    decls.extend(quote!(let mut #g = ::std::vec![#z; #id.len()];));
                    args.push(quote!(&mut #g));
                    entries.push(g.to_token_stream());
                    entry_tys.push(quote!(::std::vec::Vec<#float>));
                }
                Role::Scalar | Role::ArrVal(_) => {
                    let j = byval.iter().position(|x| *x == k).unwrap_or(0);
                    entries.push(if byval.len() == 1 {
                        quote!(__a)
                    } else {
                        let j = syn::Index::from(j);
                        quote!(__a.#j)
                    });
                    entry_tys.push(match &p.role {
                        Role::ArrVal(n) => quote!([#float; #n]),
                        _ => float.clone(),
                    });
                }
                Role::Const { .. } => {}
            }
        }
        let (g_ty, g_val) = if entries.len() == 1 {
            (entry_tys[0].clone(), entries[0].clone())
        } else {
            (quote!((#(#entry_tys),*)), quote!((#(#entries),*)))
        };
        let allow = allow();
        let doc = format!("Value and gradient of [`{}`] by reverse mode: one entry per active parameter (arrays by reference as `Vec`).", self.name);
        quote! {
            #[doc = #doc]
            #[inline]
            #allow
            #vis fn #name #generics (#recv #(#params),*) -> (#float, #g_ty) #wh {
                #decls
                let (__r, __a) = #vjp(#(#args,)* #one);
                (__r, #g_val)
            }
        }
    }

    fn public_derivative(&self) -> TokenStream {
        let active: Vec<usize> = self.sig.params.iter().enumerate().filter(|(_, p)| p.active).map(|(k, _)| k).collect();
        if active.len() != 1 || !matches!(self.sig.params[active[0]].role, Role::Scalar) || self.is_unit() {
            return TokenStream::new();
        }
        let name = naming::public(self.name, "derivative");
        let jvp = self.call(&naming::public(self.name, "jvp"));
        let (vis, generics, wh) = (self.vis, &self.generics, &self.generics.where_clause);
        let ret = self.ret_ty();
        let recv = self.recv();
        let params = self.params_decl();
        let one = self.one();
        let mut args = Vec::new();
        for (k, p) in self.sig.params.iter().enumerate() {
            args.push(p.ident.to_token_stream());
            if k == active[0] {
                args.push(one.clone());
            }
        }
        let allow = allow();
        let doc = format!("Derivative of [`{}`] with respect to its one active scalar parameter.", self.name);
        quote! {
            #[doc = #doc]
            #[inline]
            #allow
            #vis fn #name #generics (#recv #(#params),*) -> #ret #wh {
                #jvp(#(#args),*).1
            }
        }
    }

    pub fn expand(&self) -> TokenStream {
        let float = self.float();
        let mut jg = Gen::new(self.f, self.info, float.clone());
        let hidden_jvp = self.hidden_jvp(&mut jg);
        let mut rg = Gen::new(self.f, self.info, float);
        rg.plan(&[]);
        let hidden_rec = self.hidden_rec(&mut rg);
        let mut out = TokenStream::new();
        out.extend(hidden_jvp);
        out.extend(hidden_rec);
        out.extend(self.public_jvp());
        out.extend(self.public_record());
        out.extend(self.public_pullback());
        out.extend(self.public_vjp());
        out.extend(self.public_grad());
        out.extend(self.public_derivative());
        out
    }
}
