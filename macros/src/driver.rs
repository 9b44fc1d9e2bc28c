//! The pipeline of `#[differentiable]`: parse, validate, lower,
//! differentiate, print. On errors it emits them (each at the user's
//! tokens) together with the untouched primal, so uses of the primal do not
//! cascade.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::diag::Diag;
use crate::expand::Fun;
use crate::front::attr::{Attr, ImplCtx};
use crate::front::{cfg, sig};
use crate::ir::*;

pub fn differentiable(attr: TokenStream, item: TokenStream) -> TokenStream {
    let attr: Attr = match syn::parse2(attr) {
        Ok(a) => a,
        Err(e) => {
            let err = e.to_compile_error();
            return quote!(#err #item);
        }
    };
    match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Fn(f)) => expand_fn(&attr, &f.attrs, &f.vis, &f.sig, &f.block, false),
        Ok(syn::Item::Impl(i)) => expand_impl(&attr, i),
        Ok(syn::Item::Verbatim(_)) | Err(_) => {
            // A method inside an `impl` parses as an item function too; an
            // associated function with a receiver needs `ImplItemFn`.
            match syn::parse2::<syn::ImplItemFn>(item.clone()) {
                Ok(m) => {
                    let mut attr = attr.clone();
                    attr.lone_method = true;
                    expand_fn(&attr, &m.attrs, &m.vis, &m.sig, &m.block, true)
                }
                Err(e) => {
                    let err = syn::Error::new(e.span(), "#[differentiable] goes on a function, a method, or an `impl` block").to_compile_error();
                    quote!(#err #item)
                }
            }
        }
        Ok(other) => {
            let err = syn::Error::new_spanned(&other, "#[differentiable] goes on a function, a method, or an `impl` block (for a struct, write `#[derive(leibniz::Differentiable)]`)").to_compile_error();
            quote!(#err #other)
        }
    }
}

/// The primal as the user wrote it, without the attributes leibniz reads.
fn primal(attrs: &[syn::Attribute], vis: &syn::Visibility, sig: &syn::Signature, block: &syn::Block) -> TokenStream {
    let mut sig = sig.clone();
    for input in sig.inputs.iter_mut() {
        match input {
            syn::FnArg::Typed(pt) => pt.attrs.retain(|a| !a.path().is_ident("no_grad")),
            syn::FnArg::Receiver(r) => r.attrs.retain(|a| !a.path().is_ident("no_grad")),
        }
    }
    let attrs: Vec<&syn::Attribute> = attrs.iter().filter(|a| !is_differentiable_attr(a)).collect();
    // `#[checkpoint]` on loops is leibniz's: the primal runs them as written.
    let mut block = block.clone();
    struct Strip;
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_expr_for_loop_mut(&mut self, f: &mut syn::ExprForLoop) {
            f.attrs.retain(|a| !crate::lower::iter::is_checkpoint_attr(a));
            syn::visit_mut::visit_expr_for_loop_mut(self, f);
        }
        // Misplaced ones have their own error.
        fn visit_expr_while_mut(&mut self, f: &mut syn::ExprWhile) {
            f.attrs.retain(|a| !crate::lower::iter::is_checkpoint_attr(a));
            syn::visit_mut::visit_expr_while_mut(self, f);
        }
        fn visit_expr_loop_mut(&mut self, f: &mut syn::ExprLoop) {
            f.attrs.retain(|a| !crate::lower::iter::is_checkpoint_attr(a));
            syn::visit_mut::visit_expr_loop_mut(self, f);
        }
    }
    syn::visit_mut::VisitMut::visit_block_mut(&mut Strip, &mut block);
    quote!(#(#attrs)* #vis #sig #block)
}

fn is_differentiable_attr(a: &syn::Attribute) -> bool {
    a.path().segments.last().is_some_and(|s| s.ident == "differentiable")
}

pub fn expand_fn(attr: &Attr, attrs: &[syn::Attribute], vis: &syn::Visibility, fsig: &syn::Signature, block: &syn::Block, in_impl: bool) -> TokenStream {
    let start = std::time::Instant::now();
    let (errors, primal, generated) = expand_fn_parts(attr, attrs, vis, fsig, block, in_impl);
    record_timing(&fsig.ident, start.elapsed(), block, &generated);
    quote!(#errors #primal #generated)
}

/// With `LEIBNIZ_TIMINGS` set at build time, appends one line per expanded
/// function to `target/leibniz-dump/timings.tsv`: crate, function, expansion
/// time in ms, tokens in the body, tokens emitted. (Cargo does not track the
/// variable: build from clean to measure.)
fn record_timing(name: &syn::Ident, took: std::time::Duration, block: &syn::Block, out: &TokenStream) {
    if std::env::var_os("LEIBNIZ_TIMINGS").is_none() {
        return;
    }
    let Some(dir) = dump_dir() else { return };
    let count = count_tokens;
    let krate = std::env::var("CARGO_CRATE_NAME").unwrap_or_default();
    let line = format!("{krate}\t{name}\t{:.2}\t{}\t{}\n", took.as_secs_f64() * 1e3, count(block.to_token_stream()), count(out.clone()));
    use std::io::Write;
    if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(dir.join("timings.tsv")) {
        let _ = f.write_all(line.as_bytes());
    }
}

fn count_tokens(t: TokenStream) -> usize {
    t.into_iter()
        .map(|tt| match tt {
            proc_macro2::TokenTree::Group(g) => 2 + count_tokens(g.stream()),
            _ => 1,
        })
        .sum()
}

/// The errors, the primal and the generated items of one function.
pub fn expand_fn_parts(attr: &Attr, attrs: &[syn::Attribute], vis: &syn::Visibility, fsig: &syn::Signature, block: &syn::Block, in_impl: bool) -> (TokenStream, TokenStream, TokenStream) {
    let primal_tokens = primal(attrs, vis, fsig, block);
    let mut diag = Diag::default();
    if let Some(a) = attrs.iter().find(|a| is_differentiable_attr(a)) {
        diag.spanned(a, "#[differentiable] is applied twice to this function; remove one");
    }
    let sig = sig::read(fsig, attr, &mut diag);
    let Some(sig) = sig else { return (errors(diag), primal_tokens, TokenStream::new()) };
    if !diag.is_empty() {
        return (errors(diag), primal_tokens, TokenStream::new());
    }
    let preds = cfg::predicates(block);
    if preds.len() > cfg::MAX {
        diag.at(fsig.ident.span(), format!("this body has {} distinct `#[cfg(..)]` conditions; leibniz emits one variant per combination and supports at most {}: move some into helper functions", preds.len(), cfg::MAX));
        return (errors(diag), primal_tokens, TokenStream::new());
    }
    let method = in_impl || sig.has_self || attr.in_impl.is_some();
    let mut out = TokenStream::new();
    for (assign, cfg_attr) in cfg::variants(&preds) {
        let t = cfg::with(&assign, || generate(attr, vis, fsig, block, &sig, cfg_attr.clone(), method, &mut diag));
        out.extend(t);
    }
    if !diag.is_empty() {
        return (errors(diag), primal_tokens, TokenStream::new());
    }
    (TokenStream::new(), primal_tokens, out)
}

#[allow(clippy::too_many_arguments)]
fn generate(attr: &Attr, vis: &syn::Visibility, fsig: &syn::Signature, block: &syn::Block, sig: &sig::Sig, cfg: TokenStream, method: bool, diag: &mut Diag) -> TokenStream {
    let lowered = crate::lower::Lower::new(sig, diag).lower_fn(block);
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let Some(lowered) = lowered else { return TokenStream::new() };
    let mut func = lowered.func;
    if let Err(e) = verify::check(&func) {
        diag.at(fsig.ident.span(), format!("internal error of leibniz (lowering): {e}"));
        return TokenStream::new();
    }
    crate::opt::cse::cse(&mut func);
    crate::opt::licm::hoist(&mut func);
    crate::opt::cse::cse(&mut func);
    if let Err(e) = verify::check(&func) {
        diag.at(fsig.ident.span(), format!("internal error of leibniz (hoisting): {e}"));
        return TokenStream::new();
    }
    let seeds: Vec<bool> = sig.params.iter().map(|p| p.active).collect();
    let out_vars: Vec<Var> = func
        .params
        .iter()
        .zip(&sig.params)
        .filter_map(|(slot, p)| match slot {
            ParamSlot::Var(x) if p.active && p.role.by() == By::Mut => Some(*x),
            _ => None,
        })
        .collect();
    let act = crate::analyse::activity::analyse(&func, &seeds, &out_vars);
    crate::analyse::activity::check_opaque(&func, &act, diag);
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let t = crate::ad::jvp::jvp(&func, &act, &seeds, diag);
    let v = crate::ad::vjp::unzip(&t, &func, diag);
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let passed: Vec<bool> = sig.params.iter().map(|p| p.is_self || p.role.by() != By::Mut).collect();
    // Second order never blocks first order: should it fail (an internal
    // limit), the second-order entries are left out and a caller asking
    // for them gets rustc's error at its call.
    let second = crate::ad::hvp::second_order(&v, &seeds, &passed, &out_vars).ok();
    // `_grad` and `_vjp` in one fused sweep: scalar results, no `&mut`
    // parameters (their primal and shadow would both be needed), no
    // function parameters.
    let fusable = sig.ret == crate::front::sig::Ret::Scalar && sig.params.iter().all(|p| p.role.by() != By::Mut && !matches!(p.role, crate::front::sig::Role::Func));
    let mut combined = if fusable { crate::opt::fuse::combine(&t, &v, sig.params.len()) } else { None };
    // The split sweeps (`_record`, callers) re-run sum loops instead of
    // taping them.
    let mut split = crate::ad::vjp::VjpOut { fwd: v.fwd.clone(), bwd: v.bwd.clone(), shadow_param: v.shadow_param.clone(), dout_param: v.dout_param };
    let recomputed = crate::opt::recompute::apply(&mut split, !crate::ad::jvp::float_unknown(&t.func));
    crate::opt::snapshot::elide(&mut split.bwd);
    // `#[checkpoint]` time loops are checkpointed in the fused sweep.
    match &combined {
        Some(c) => {
            for (at, e) in &c.errors {
                diag.spanned(at, e.clone());
            }
        }
        None => {
            for ck in func.ckpt.iter().filter(|c| !c.never && !recomputed.contains(&c.idx)) {
                diag.spanned(&ck.attr, "`#[checkpoint]` is applied by `_grad` and `_vjp` when they run as one fused sweep: the function must return a value of its float type (not a value leibniz only knows by its type, such as a `const` of another crate's type or a struct) and take no `&mut` or function parameters. This one does not (return the result instead of writing it through `&mut`; annotate the float, `let mut s: f64 = C;`), so the loop would be taped in full: change that, or write `#[checkpoint(never)]` to tape it");
            }
        }
    }
    if !diag.is_empty() {
        return TokenStream::new();
    }
    let (mut t, mut v, mut second) = (t, v, second);
    if attr.fast_math {
        use crate::opt::fastmath::apply;
        apply(&mut t.func);
        apply(&mut v.fwd);
        apply(&mut v.bwd);
        apply(&mut split.fwd);
        apply(&mut split.bwd);
        if let Some(so) = &mut second {
            apply(&mut so.fwd.func);
            apply(&mut so.bwd.func);
        }
        if let Some(c) = &mut combined {
            apply(&mut c.func);
        }
    }
    if let Some(c) = &mut combined {
        if !attr.checked {
            crate::opt::bounds::elide(&mut c.func, sig.params.len());
        }
    }
    if attr.dump {
        dump(&fsig.ident, &func, &t.func, &v.fwd, &v.bwd, second.as_ref(), combined.as_ref());
    }
    let fn_sigs = crate::expand::difffn::fn_sigs(sig, &fsig.generics);
    let generics = crate::expand::difffn::without_fn_generics(&fsig.generics, sig, &fn_sigs);
    let fun = Fun {
        name: &fsig.ident,
        vis,
        generics: &generics,
        sig,
        items: &lowered.items,
        cfg,
        method,
        float: sig.float.clone(),
        entries: Default::default(),
        fn_sigs,
    };
    let mut out = TokenStream::new();
    out.extend(fun.jvp_entry(&t, &seeds));
    out.extend(fun.fwd_entry(&split));
    out.extend(fun.bwd_entry(&split, &seeds));
    match &second {
        Some(so) => {
            out.extend(fun.fwd_jvp_entry(&so.fwd, &seeds));
            out.extend(fun.bwd_jvp_entry(&so.bwd, &seeds));
        }
        None => out.extend(fun.no_second_order(&format!("leibniz: second derivatives through `{}` are not available (leibniz could not build them; please report this)", fsig.ident))),
    }
    if let Some(c) = &combined {
        out.extend(fun.vjpc_entry(&c.func, &seeds));
    }
    // Vector-mode forward for `_jvp_batch` and `_jacobian`.
    let lanes = if !attr.entries_only && fun.has_jvp_batch() { crate::ad::lanes::lanes(&t, sig.params.len(), crate::ad::lanes::LANES) } else { None };
    if let Some(l) = &lanes {
        out.extend(fun.jvpb_entry(l, &seeds));
    }
    if !attr.entries_only {
        out.extend(fun.public_fused(&seeds, second.is_some(), combined.is_some(), lanes.is_some()));
        out.extend(crate::kernel::device::device_const(vis, fsig, sig, &func, &t, &v, &lowered.items, &fun.cfg, method));
        out.extend(fun.registry());
    }
    if attr.dump {
        dump_rust(&fsig.ident, &out);
    }
    out
}

fn dump_dir() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("CARGO_TARGET_DIR").map(std::path::PathBuf::from).or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(|m| std::path::PathBuf::from(m).join("target")))?;
    let dir = base.join("leibniz-dump");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// `#[differentiable(dump)]`: the IR of every stage, under
/// `target/leibniz-dump/<name>.ir`.
fn dump(name: &syn::Ident, primal: &Func, jvp: &Func, fwd: &Func, bwd: &Func, second: Option<&crate::ad::hvp::SecondOut>, combined: Option<&crate::opt::fuse::Combined>) {
    let Some(dir) = dump_dir() else { return };
    let mut text = format!(
        "== primal\n{}\n== jvp\n{}\n== forward sweep\n{}\n== backward sweep\n{}",
        crate::ir::print::func(primal),
        crate::ir::print::func(jvp),
        crate::ir::print::func(fwd),
        crate::ir::print::func(bwd)
    );
    match second {
        Some(so) => text.push_str(&format!(
            "\n== forward sweep with tangents (second order)\n{}\n== backward sweep with tangents (second order)\n{}",
            crate::ir::print::func(&so.fwd.func),
            crate::ir::print::func(&so.bwd.func)
        )),
        None => text.push_str("\n== no second-order entries\n"),
    }
    if let Some(c) = combined {
        text.push_str(&format!("\n== fused reverse mode (_grad, _vjp; loops fused: {:?})\n{}", c.fused, crate::ir::print::func(&c.func)));
    }
    let _ = std::fs::write(dir.join(format!("{name}.ir")), text);
}

fn dump_rust(name: &syn::Ident, out: &TokenStream) {
    let Some(dir) = dump_dir() else { return };
    let text = match syn::parse2::<syn::File>(out.clone()) {
        Ok(f) => prettyplease_fallback(&f),
        Err(_) => out.to_string(),
    };
    let _ = std::fs::write(dir.join(format!("{name}.rs")), text);
}

fn prettyplease_fallback(f: &syn::File) -> String {
    f.to_token_stream().to_string()
}

/// All errors at once.
fn errors(diag: Diag) -> TokenStream {
    match diag.into_result() {
        Ok(()) => TokenStream::new(),
        Err(e) => e.to_compile_error(),
    }
}

/// `#[differentiable] impl ..`: every method is differentiated (a method
/// opts out with `#[no_grad]`). For a trait impl, the derivatives go into an
/// inherent impl of the type.
fn expand_impl(attr: &Attr, mut imp: syn::ItemImpl) -> TokenStream {
    let ctx = ImplCtx { generics: imp.generics.clone() };
    let mut generated = TokenStream::new();
    let mut errors = TokenStream::new();
    let mut rule_impls = TokenStream::new();
    for item in imp.items.iter_mut() {
        let syn::ImplItem::Fn(m) = item else { continue };
        if let Some(k) = m.attrs.iter().position(|a| a.path().is_ident("no_grad")) {
            m.attrs.remove(k);
            continue;
        }
        // Per-method options: `#[differentiable(wrt(x))]` inside the block.
        let mut a = attr.clone();
        if let Some(k) = m.attrs.iter().position(is_differentiable_attr) {
            let inner = m.attrs.remove(k);
            match inner.meta {
                syn::Meta::List(l) => match syn::parse2::<Attr>(l.tokens) {
                    Ok(x) => a = x,
                    Err(e) => {
                        errors.extend(e.to_compile_error());
                        continue;
                    }
                },
                _ => {}
            }
        }
        a.in_impl = Some(ctx.clone());
        let is_assoc = !m.sig.inputs.iter().any(|i| matches!(i, syn::FnArg::Receiver(_)));
        a.associated = a.associated || is_assoc;
        // Operator impls (`impl Mul<f64> for Vec3`, `impl Mul<Vec3> for
        // f64`): the method is differentiated as a free function of its
        // own name, reached through the runtime's operator rule traits.
        if let Some(o) = imp.trait_.as_ref().and_then(|t| operator(&t.1, &imp.self_ty, &m.sig.ident)) {
            let (fsig, block) = o.as_free_fn(&m.sig, &m.block, &imp.generics, &imp.self_ty, &imp.trait_.as_ref().map(|t| t.1.clone()));
            let mut fa = a.clone();
            fa.in_impl = None;
            fa.associated = false;
            fa.entries_only = true;
            let (errs, _primal, gen_items) = expand_fn_parts(&fa, &[], &syn::Visibility::Inherited, &fsig, &block, false);
            let ok = errs.is_empty();
            errors.extend(errs);
            if ok {
                rule_impls.extend(gen_items);
                rule_impls.extend(o.rule_impl(&imp.generics, &imp.self_ty));
            }
            m.attrs.retain(|x| !is_differentiable_attr(x));
            continue;
        }
        // Trait methods are as visible as their trait: the entry points are
        // public members of the type.
        let vis: syn::Visibility = if imp.trait_.is_some() { syn::parse_quote!(pub) } else { m.vis.clone() };
        let (errs, _primal, gen_items) = expand_fn_parts(&a, &[], &vis, &m.sig, &m.block, true);
        errors.extend(errs);
        generated.extend(gen_items);
        // Trait impls keep the visibility rules of the trait: generated
        // items are inherent.
        m.attrs.retain(|x| !is_differentiable_attr(x));
        for input in m.sig.inputs.iter_mut() {
            match input {
                syn::FnArg::Typed(pt) => pt.attrs.retain(|x| !x.path().is_ident("no_grad")),
                syn::FnArg::Receiver(r) => r.attrs.retain(|x| !x.path().is_ident("no_grad")),
            }
        }
    }
    let (ig, _, wc) = imp.generics.split_for_impl();
    let self_ty = &imp.self_ty;
    if imp.trait_.is_some() {
        let allow = crate::expand::allow();
        if generated.is_empty() {
            return quote!(#errors #imp #rule_impls);
        }
        quote! {
            #errors
            #imp
            #allow
            impl #ig #self_ty #wc {
                #generated
            }
            #rule_impls
        }
    } else {
        imp.items.push(syn::ImplItem::Verbatim(generated));
        quote!(#errors #imp)
    }
}


/// A `#[differentiable]` operator impl (`impl Add<Rhs> for T`).
struct Operator {
    /// `Add`, `Neg`, ..
    name: String,
    rhs: TokenStream,
    /// The name of its entry points.
    entry_name: syn::Ident,
}

/// The operator a trait impl's method implements, if it is one.
fn operator(trait_path: &syn::Path, self_ty: &syn::Type, method: &syn::Ident) -> Option<Operator> {
    let last = trait_path.segments.last()?;
    let name = last.ident.to_string();
    let expected = match name.as_str() {
        "Add" => "add",
        "Sub" => "sub",
        "Mul" => "mul",
        "Div" => "div",
        "Rem" => "rem",
        "Neg" => "neg",
        _ => return None,
    };
    if method != expected {
        return None;
    }
    let rhs = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first() {
            Some(syn::GenericArgument::Type(t)) => t.to_token_stream(),
            _ => quote!(Self),
        },
        _ => quote!(Self),
    };
    let rhs_text = if rhs.to_string() == "Self" { self_ty.to_token_stream().to_string() } else { rhs.to_string() };
    let tag: String = crate::naming::key(&format!("{} {}", self_ty.to_token_stream(), rhs_text)).to_string().chars().filter(|c| c.is_ascii_digit()).take(8).collect();
    let entry_name = quote::format_ident!("{}_lzop{}", method, tag, span = method.span());
    Some(Operator { name, rhs, entry_name })
}

/// `self` → `__lz_self`, `Self` → the implementing type.
fn replace_self(t: TokenStream, self_ty: &syn::Type) -> TokenStream {
    use proc_macro2::{Group, TokenTree};
    t.into_iter()
        .flat_map(|tt| -> Vec<TokenTree> {
            match tt {
                TokenTree::Ident(id) if id == "self" => vec![TokenTree::Ident(syn::Ident::new("__lz_self", id.span()))],
                TokenTree::Ident(id) if id == "Self" => {
                    let g = Group::new(proc_macro2::Delimiter::None, self_ty.to_token_stream());
                    vec![TokenTree::Group(g)]
                }
                TokenTree::Group(g) => {
                    let mut ng = Group::new(g.delimiter(), replace_self(g.stream(), self_ty));
                    ng.set_span(g.span());
                    vec![TokenTree::Group(ng)]
                }
                o => vec![o],
            }
        })
        .collect()
}

impl Operator {
    /// The operator method as a free function: `fn add_lzop..(__lz_self: T,
    /// o: Rhs) -> <T as Add<Rhs>>::Output`, with the impl's generics.
    fn as_free_fn(&self, sig: &syn::Signature, block: &syn::Block, generics: &syn::Generics, self_ty: &syn::Type, trait_path: &Option<syn::Path>) -> (syn::Signature, syn::Block) {
        let mut fsig = sig.clone();
        fsig.ident = self.entry_name.clone();
        let mut g = generics.clone();
        for p in &sig.generics.params {
            g.params.push(p.clone());
        }
        fsig.generics = g;
        let mut inputs = syn::punctuated::Punctuated::new();
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    let m = r.mutability;
                    let attrs = &r.attrs;
                    inputs.push(syn::parse_quote!(#(#attrs)* #m __lz_self: #self_ty));
                }
                syn::FnArg::Typed(pt) => {
                    let t = replace_self(pt.to_token_stream(), self_ty);
                    inputs.push(syn::parse2(t).unwrap_or_else(|_| syn::FnArg::Typed(pt.clone())));
                }
            }
        }
        fsig.inputs = inputs;
        let rhs = replace_self(self.rhs.clone(), self_ty);
        let tr = trait_path.clone().map(|p| p.segments.last().map(|s| s.ident.clone())).flatten();
        let out: syn::Type = match tr {
            Some(t) if self.name == "Neg" => syn::parse_quote!(<#self_ty as ::core::ops::#t>::Output),
            Some(t) => syn::parse_quote!(<#self_ty as ::core::ops::#t<#rhs>>::Output),
            None => syn::parse_quote!(#self_ty),
        };
        fsig.output = syn::ReturnType::Type(Default::default(), Box::new(out));
        let b = replace_self(block.to_token_stream(), self_ty);
        let block = syn::parse2(b).unwrap_or_else(|_| block.clone());
        (fsig, block)
    }

    /// `impl AddRule<Rhs> for T`, forwarding to the entry points.
    fn rule_impl(&self, generics: &syn::Generics, self_ty: &syn::Type) -> TokenStream {
        let (ig, _, wc) = generics.split_for_impl();
        let e = |x: Entry| crate::naming::entry(&self.entry_name, x);
        let (jvp, fwd, bwd, fj, bj) = (e(Entry::Jvp), e(Entry::Fwd), e(Entry::Bwd), e(Entry::FwdJvp), e(Entry::BwdJvp));
        let ops = quote!(::leibniz::__private::ops);
        let p = quote!(::leibniz::__private);
        let std_tr = syn::Ident::new(&self.name, proc_macro2::Span::call_site());
        let allow = crate::expand::allow();
        if self.name == "Neg" {
            return quote! {
                #allow
                impl #ig #ops::NegRule for #self_ty #wc {
                    type Out = <#self_ty as ::core::ops::Neg>::Output;
                    #[inline(always)]
                    fn jvp(a: Self, da: Self) -> (Self::Out, Self::Out) { #jvp(a, da) }
                    #[inline(always)]
                    fn fwd(a: Self, t: &mut #p::TapeBuf) -> Self::Out { #fwd(a, t) }
                    #[inline(always)]
                    fn bwd(a: Self, ba: &mut Self, d: Self::Out, t: &mut #p::TapeRead<'_>) { #bwd(a, ba, d, t) }
                    #[inline(always)]
                    fn fwd_jvp(a: Self, da: Self, t: &mut #p::TapeBuf) -> (Self::Out, Self::Out) { #fj(a, da, t) }
                    #[inline(always)]
                    fn bwd_jvp(a: Self, da: Self, ba: &mut Self, dba: &mut Self, d: Self::Out, dd: Self::Out, t: &mut #p::TapeRead<'_>) { let _ = #bj(a, da, ba, dba, d, dd, t); }
                }
            };
        }
        let rule = syn::Ident::new(&format!("{}Rule", self.name), proc_macro2::Span::call_site());
        let rhs = &self.rhs;
        quote! {
            #allow
            impl #ig #ops::#rule<#rhs> for #self_ty #wc {
                type Out = <#self_ty as ::core::ops::#std_tr<#rhs>>::Output;
                #[inline(always)]
                fn jvp(a: Self, da: Self, b: #rhs, db: #rhs) -> (Self::Out, Self::Out) { #jvp(a, da, b, db) }
                #[inline(always)]
                fn fwd(a: Self, b: #rhs, t: &mut #p::TapeBuf) -> Self::Out { #fwd(a, b, t) }
                #[inline(always)]
                fn bwd(a: Self, ba: &mut Self, b: #rhs, bb: &mut #rhs, d: Self::Out, t: &mut #p::TapeRead<'_>) { #bwd(a, ba, b, bb, d, t) }
                #[inline(always)]
                fn fwd_jvp(a: Self, da: Self, b: #rhs, db: #rhs, t: &mut #p::TapeBuf) -> (Self::Out, Self::Out) { #fj(a, da, b, db, t) }
                #[inline(always)]
                #[allow(clippy::too_many_arguments)]
                fn bwd_jvp(a: Self, da: Self, ba: &mut Self, dba: &mut Self, b: #rhs, db: #rhs, bb: &mut #rhs, dbb: &mut #rhs, d: Self::Out, dd: Self::Out, t: &mut #p::TapeRead<'_>) { let _ = #bj(a, da, ba, dba, b, db, bb, dbb, d, dd, t); }
            }
        }
    }
}
