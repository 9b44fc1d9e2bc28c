//! `#[derive(Differentiable)]`: implements `leibniz::Differentiable` (and
//! `leibniz::TapeValue`, so values can be kept for the backward sweep) for
//! a struct or an enum, field by field. Fields marked `#[no_grad]` carry no
//! derivatives: they are zero in zeros (their own zero when their type
//! carries derivatives, a copy otherwise), never added, and the generated
//! code reads and writes their tangents as zeros.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

pub fn derive(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    let mut generics = input.generics.clone();
    for tp in generics.type_params_mut() {
        tp.bounds.push(syn::parse_quote!(::leibniz::Differentiable));
        tp.bounds.push(syn::parse_quote!(::leibniz::TapeValue));
    }
    let (ig, tg, wc) = generics.split_impl_generics();
    let body = match &input.data {
        Data::Struct(s) => struct_impl(&s.fields),
        Data::Enum(e) => enum_impl(e),
        Data::Union(u) => return syn::Error::new(u.union_token.span(), "`Differentiable` cannot be derived for unions").to_compile_error(),
    };
    let Impls { zero, add, scale, dot, flat, unflat, dummy, push, pop } = body;
    // Which fields are `#[no_grad]` (structs: the generated code masks the
    // tangents of reads and writes of these fields).
    let no_grad_names: Vec<String> = match &input.data {
        Data::Struct(s) => bind(&s.fields, "__a").into_iter().filter(|f| f.2).map(|f| { let m = f.0; quote!(#m).to_string() }).collect(),
        _ => Vec::new(),
    };
    let no_grad_fn = if no_grad_names.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            #[inline(always)]
            fn __lz_no_grad(__f: &str) -> bool { ::core::matches!(__f, #(#no_grad_names)|*) }
        }
    };
    quote! {
        #[automatically_derived]
        #[allow(unused_variables, unused_mut, non_snake_case, clippy::all)]
        impl #ig ::leibniz::Differentiable for #name #tg #wc {
            fn zero_like(&self) -> Self { #zero }
            fn add_assign_tangent(&mut self, __other: &Self) { #add }
            fn scale_tangent(&mut self, __s: f64) { #scale }
            fn dot_tangent(&self, __other: &Self) -> f64 { #dot }
            fn flatten_into(&self, __out: &mut ::std::vec::Vec<f64>) { #flat }
            fn unflatten_from(&mut self, __src: &[f64]) -> usize { #unflat }
            fn __dummy() -> Self {
                #[allow(unused_imports)]
                use ::leibniz::__private::{DummyDiff as _, DummyDefault as _, DummyPanic as _};
                #dummy
            }
            #no_grad_fn
        }
        #[automatically_derived]
        #[allow(unused_variables, unused_mut, non_snake_case, clippy::all)]
        impl #ig ::leibniz::TapeValue for #name #tg #wc {
            fn push_to(&self, __t: &mut ::leibniz::TapeBuf) {
                #[allow(unused_imports)]
                use ::leibniz::__private::{PushTape as _, PushAny as _, PushNone as _};
                #push
            }
            fn pop_from(__r: &mut ::leibniz::TapeRead<'_>) -> Self {
                #[allow(unused_imports)]
                use ::leibniz::__private::{PopTape as _, PopAny as _, PopNone as _};
                #pop
            }
        }
    }
}

trait SplitImpl {
    fn split_impl_generics(&self) -> (syn::ImplGenerics<'_>, syn::TypeGenerics<'_>, Option<&syn::WhereClause>);
}

impl SplitImpl for syn::Generics {
    fn split_impl_generics(&self) -> (syn::ImplGenerics<'_>, syn::TypeGenerics<'_>, Option<&syn::WhereClause>) {
        self.split_for_impl()
    }
}

struct Impls {
    zero: TokenStream,
    add: TokenStream,
    scale: TokenStream,
    dot: TokenStream,
    flat: TokenStream,
    unflat: TokenStream,
    dummy: TokenStream,
    push: TokenStream,
    pop: TokenStream,
}

fn no_grad(f: &syn::Field) -> bool {
    f.attrs.iter().any(|a| a.path().is_ident("no_grad"))
}

/// Names bound to the fields in patterns, and the members.
fn bind(fields: &Fields, prefix: &str) -> Vec<(syn::Member, syn::Ident, bool, syn::Type)> {
    fields
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let m = match &f.ident {
                Some(i) => syn::Member::Named(i.clone()),
                None => syn::Member::Unnamed(syn::Index::from(k)),
            };
            (m, format_ident!("{}{}", prefix, k), no_grad(f), f.ty.clone())
        })
        .collect()
}

fn pattern(path: TokenStream, fields: &Fields, names: &[(syn::Member, syn::Ident, bool, syn::Type)]) -> TokenStream {
    let ps: Vec<TokenStream> = names.iter().map(|(m, n, _, _)| quote!(#m: #n)).collect();
    match fields {
        Fields::Unit => quote!(#path),
        _ => quote!(#path { #(#ps),* }),
    }
}

fn construct(path: TokenStream, fields: &Fields, parts: Vec<(syn::Member, TokenStream)>) -> TokenStream {
    let ps: Vec<TokenStream> = parts.iter().map(|(m, e)| quote!(#m: #e)).collect();
    match fields {
        Fields::Unit => quote!(#path),
        _ => quote!(#path { #(#ps),* }),
    }
}

fn dummy_of(ty: &syn::Type, ng: bool) -> TokenStream {
    if ng {
        quote!((&&&::leibniz::__private::DummyProbe::<#ty>::new()).__lz_dummy())
    } else {
        quote!(<#ty as ::leibniz::Differentiable>::__dummy())
    }
}

fn push_of(n: &syn::Ident, ty: &syn::Type, ng: bool) -> TokenStream {
    if ng {
        quote!((&&&::leibniz::__private::PushProbe::<#ty>::new(#n)).__lz_push(__t);)
    } else {
        quote!(::leibniz::TapeValue::push_to(#n, __t);)
    }
}

fn pop_of(ty: &syn::Type, ng: bool) -> TokenStream {
    if ng {
        quote!((&&&::leibniz::__private::PopProbe::<#ty>::new()).__lz_pop(__r))
    } else {
        quote!(<#ty as ::leibniz::TapeValue>::pop_from(__r))
    }
}

fn struct_impl(fields: &Fields) -> Impls {
    let a = bind(fields, "__a");
    let b = bind(fields, "__b");
    let pa = pattern(quote!(Self), fields, &a);
    let pb = pattern(quote!(Self), fields, &b);
    variant_impls(&pa, &pb, quote!(Self), fields, &a, &b, None)
}

#[allow(clippy::too_many_arguments)]
fn variant_impls(pa: &TokenStream, pb: &TokenStream, path: TokenStream, fields: &Fields, a: &[(syn::Member, syn::Ident, bool, syn::Type)], b: &[(syn::Member, syn::Ident, bool, syn::Type)], tag: Option<usize>) -> Impls {
    let zero_parts: Vec<(syn::Member, TokenStream)> = a
        .iter()
        .map(|(m, n, ng, _)| {
            let e = if *ng {
                quote!({
                    #[allow(unused_imports)]
                    use ::leibniz::__private::{ZeroDiff as _, ZeroClone as _};
                    (&&&::leibniz::__private::ZeroProbe(#n)).__lz_zero()
                })
            } else {
                quote!(::leibniz::Differentiable::zero_like(#n))
            };
            (m.clone(), e)
        })
        .collect();
    let zero = construct(path.clone(), fields, zero_parts);
    let mut add = TokenStream::new();
    let mut scale = TokenStream::new();
    let mut dot = quote!(0.0);
    let mut flat = TokenStream::new();
    let mut unflat = quote!(let mut __k = 0usize;);
    for ((_, na, ng, _), (_, nb, _, _)) in a.iter().zip(b) {
        if *ng {
            continue;
        }
        add.extend(quote!(::leibniz::Differentiable::add_assign_tangent(#na, #nb);));
        scale.extend(quote!(::leibniz::Differentiable::scale_tangent(#na, __s);));
        dot = quote!(#dot + ::leibniz::Differentiable::dot_tangent(#na, #nb));
        flat.extend(quote!(::leibniz::Differentiable::flatten_into(#na, __out);));
        unflat.extend(quote!(__k += ::leibniz::Differentiable::unflatten_from(#na, &__src[__k..]);));
    }
    unflat.extend(quote!(__k));
    let dummy_parts: Vec<(syn::Member, TokenStream)> = a.iter().map(|(m, _, ng, ty)| (m.clone(), dummy_of(ty, *ng))).collect();
    let dummy = construct(path.clone(), fields, dummy_parts);
    let mut push = TokenStream::new();
    for (_, n, ng, ty) in a {
        push.extend(push_of(n, ty, *ng));
    }
    if let Some(t) = tag {
        push.extend(quote!(__t.push_word(#t as u64);));
    }
    let mut pops = TokenStream::new();
    for (_, n, ng, ty) in a.iter().rev() {
        let p = pop_of(ty, *ng);
        pops.extend(quote!(let #n: #ty = #p;));
    }
    let pop_parts: Vec<(syn::Member, TokenStream)> = a.iter().map(|(m, n, _, _)| (m.clone(), quote!(#n))).collect();
    let built = construct(path, fields, pop_parts);
    let pop = quote!({ #pops #built });
    Impls {
        zero: quote!(match self { #pa => #zero }),
        add: quote!(match (self, __other) { (#pa, #pb) => { #add } }),
        scale: quote!(match self { #pa => { #scale } }),
        dot: quote!(match (self, __other) { (#pa, #pb) => { #dot } }),
        flat: quote!(match self { #pa => { #flat } }),
        unflat: quote!(match self { #pa => { #unflat } }),
        dummy,
        push: quote!(match self { #pa => { #push } }),
        pop,
    }
}

fn enum_impl(e: &syn::DataEnum) -> Impls {
    let mut zero = Vec::new();
    let mut add = Vec::new();
    let mut scale = Vec::new();
    let mut dot = Vec::new();
    let mut flat = Vec::new();
    let mut unflat = Vec::new();
    let mut push = Vec::new();
    let mut pop = Vec::new();
    let mut dummy = None;
    for (k, v) in e.variants.iter().enumerate() {
        let vn = &v.ident;
        let path = quote!(Self::#vn);
        let a = bind(&v.fields, "__a");
        let b = bind(&v.fields, "__b");
        let pa = pattern(path.clone(), &v.fields, &a);
        let pb = pattern(path.clone(), &v.fields, &b);
        let im = variant_impls(&pa, &pb, path, &v.fields, &a, &b, Some(k));
        // Each impl is a `match` with one arm: take the arm out.
        zero.push(arm(&im.zero));
        add.push(arm(&im.add));
        scale.push(arm(&im.scale));
        dot.push(arm(&im.dot));
        flat.push(arm(&im.flat));
        unflat.push(arm(&im.unflat));
        push.push(arm(&im.push));
        let p = im.pop;
        pop.push(quote!(#k => #p,));
        if dummy.is_none() {
            dummy = Some(im.dummy);
        }
    }
    let dummy = dummy.unwrap_or_else(|| quote!(::core::panic!("leibniz: an enum without variants has no values")));
    Impls {
        zero: quote!(match self { #(#zero)* }),
        add: quote!(match (self, __other) { #(#add)* _ => {} }),
        scale: quote!(match self { #(#scale)* }),
        dot: quote!(match (self, __other) { #(#dot)* _ => 0.0 }),
        flat: quote!(match self { #(#flat)* }),
        unflat: quote!(match self { #(#unflat)* }),
        dummy,
        push: quote!(match self { #(#push)* }),
        pop: quote!(match __r.pop_word() as usize { #(#pop)* _ => ::core::panic!("leibniz: the tape holds an unknown variant") }),
    }
}

/// The single arm of a generated one-arm `match`.
fn arm(m: &TokenStream) -> TokenStream {
    // `match scrutinee { arm }`: the last group holds the arms.
    let tts: Vec<proc_macro2::TokenTree> = m.clone().into_iter().collect();
    match tts.last() {
        Some(proc_macro2::TokenTree::Group(g)) => {
            let s = g.stream();
            quote!(#s ,)
        }
        _ => TokenStream::new(),
    }
}
