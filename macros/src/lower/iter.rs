//! Iterator chains and `for` loops over them, lowered to index loops.
//!
//! A chain is a source (a range, the elements of a slice or array, its
//! chunks or windows, a zip of chains) followed by stages (`map`,
//! `enumerate`, `filter`, `rev`, `skip`, `take`, `step_by`, `copied`, ..)
//! and a sink (`sum`, `product`, `fold`, `collect`, `count`, `for_each`,
//! `any`, `all`, or the body of a `for`). Before any `filter`, every stage
//! maps the loop counter to the source index, so the whole chain is one
//! `for j in 0..n` loop whose body computes the item at `j`; closures of
//! `map`/`filter`/`fold` are inlined into it. Only plain ranges keep their
//! own index (`for i in a..b`).

use proc_macro2::Span;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::Expr;

use super::place::strip;
use super::{Binding, ClosureDef, Lower, Operand};
use crate::ir::*;

/// How the elements of a slice are produced.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ElemBy {
    /// By value (`into_iter` of an owned array, `copied`).
    Val,
    /// `&x[i]`.
    Ref,
    /// `&mut x[i]`.
    Mut,
}

#[derive(Clone)]
enum Source {
    Range { lo: V, hi: V, inclusive: bool },
    Elems { place: Place, by: ElemBy },
    Chunks { place: Place, size: V, exact: bool, by: ElemBy },
    Windows { place: Place, size: V },
}

#[derive(Clone)]
enum Stage {
    Map(std::rc::Rc<ClosureDef>),
    /// `map(f)` with a path to a function.
    MapFn(syn::Path),
    Enumerate,
    Filter(std::rc::Rc<ClosureDef>),
    Rev,
    Skip(V),
    Take(V),
    StepBy(V),
    Zip(Box<Chain>),
    /// `copied`/`cloned`: references become values.
    Copied,
}

#[derive(Clone)]
struct Chain {
    src: Source,
    stages: Vec<Stage>,
}

enum Sink {
    Sum { product: bool, ty: Option<syn::Type> },
    Fold { init: Expr, f: FoldFn },
    Collect,
    Count,
    ForEach(std::rc::Rc<ClosureDef>),
    AnyAll { any: bool, f: std::rc::Rc<ClosureDef> },
    /// `max`/`min` of floats through `fold(init, f64::max)` are folds; this
    /// is `.max()` / `.min()` of integers.
    Body { pat: syn::Pat, block: syn::Block, label: Option<syn::Label> },
}

enum FoldFn {
    Closure(std::rc::Rc<ClosureDef>),
    Path(syn::Path),
}

impl Lower<'_> {
    /// Whether `e` is an iterator chain (ends in a method of one on a
    /// receiver that is a chain, a range or an iterable place).
    pub fn is_chain(&self, e: &Expr) -> bool {
        match strip(e) {
            Expr::MethodCall(m) => {
                let n = m.method.to_string();
                if !super::call::ITER_METHODS.contains(&n.as_str()) {
                    return false;
                }
                match n.as_str() {
                    "iter" | "iter_mut" | "into_iter" | "chunks" | "chunks_exact" | "chunks_mut" | "chunks_exact_mut" | "windows" => true,
                    "max" | "min" if m.args.len() == 1 => false,
                    _ => {
                        let r = strip(&m.receiver);
                        matches!(r, Expr::Range(_)) || self.is_chain(r)
                    }
                }
            }
            _ => false,
        }
    }

    /// A chain used as a value: ends in a sink.
    pub fn chain_expr(&mut self, e: &Expr) -> Operand {
        let span = e.span();
        let Expr::MethodCall(m) = strip(e) else { return self.err(e, "not an iterator chain") };
        let name = m.method.to_string();
        let sink = match name.as_str() {
            "sum" | "product" => Sink::Sum { product: name == "product", ty: m.turbofish.as_ref().and_then(|t| t.args.first()).and_then(|a| if let syn::GenericArgument::Type(t) = a { Some(t.clone()) } else { None }) },
            "fold" if m.args.len() == 2 => {
                let f = match strip(&m.args[1]) {
                    Expr::Closure(c) => match self.expr(&Expr::Closure(c.clone())) {
                        Operand::Closure(d) => FoldFn::Closure(d),
                        _ => return Operand::Never,
                    },
                    Expr::Path(p) => FoldFn::Path(p.path.clone()),
                    other => return self.err(other, "the function of `fold` must be a closure or a path (`f64::max`)"),
                };
                Sink::Fold { init: m.args[0].clone(), f }
            }
            "collect" => Sink::Collect,
            "count" => Sink::Count,
            "for_each" if m.args.len() == 1 => match self.closure_arg(&m.args[0]) {
                Some(c) => Sink::ForEach(c),
                None => return Operand::Never,
            },
            "any" | "all" if m.args.len() == 1 => match self.closure_arg(&m.args[0]) {
                Some(c) => Sink::AnyAll { any: name == "any", f: c },
                None => return Operand::Never,
            },
            "iter" | "iter_mut" | "into_iter" | "map" | "zip" | "enumerate" | "filter" | "rev" | "skip" | "take" | "step_by" | "chunks" | "chunks_exact" | "chunks_mut" | "chunks_exact_mut" | "windows" | "copied" | "cloned" => {
                return self.err(e, "an iterator chain must end in `sum`, `product`, `fold`, `collect`, `count`, `for_each`, `any`, `all` or a `for` loop in a #[differentiable] body");
            }
            other => {
                return self.err(&m.method, format!("`.{other}()` is not supported at the end of an iterator chain in a #[differentiable] body; use `sum`, `product`, `fold`, `collect`, `count`, `for_each`, `any`, `all` or a `for` loop"));
            }
        };
        let Some(chain) = self.chain_of(&m.receiver) else { return Operand::Never };
        self.run_chain(chain, sink, span)
    }

    fn closure_arg(&mut self, e: &Expr) -> Option<std::rc::Rc<ClosureDef>> {
        match self.expr(e) {
            Operand::Closure(c) => Some(c),
            _ => {
                self.diag.spanned(e, "expected a closure here");
                None
            }
        }
    }

    /// Parses the chain below a sink.
    fn chain_of(&mut self, e: &Expr) -> Option<Chain> {
        let e = strip(e);
        if let Expr::Range(r) = e {
            let lo = match &r.start {
                Some(s) => self.value(s)?,
                None => {
                    self.diag.spanned(r, "an iterated range needs a start (`a..b`)");
                    return None;
                }
            };
            let Some(end) = &r.end else {
                self.diag.spanned(r, "unbounded ranges (`a..`) are not supported as iterators; give an end, or use `loop`");
                return None;
            };
            let hi = self.value(end)?;
            let inclusive = matches!(r.limits, syn::RangeLimits::Closed(_));
            return Some(Chain { src: Source::Range { lo, hi, inclusive }, stages: Vec::new() });
        }
        let Expr::MethodCall(m) = e else {
            // An iterable place (`for x in xs`).
            return self.iterable(e);
        };
        let name = m.method.to_string();
        let span = m.span();
        match name.as_str() {
            "iter" | "iter_mut" | "into_iter" => {
                let r = strip(&m.receiver);
                if self.is_chain(r) || matches!(r, Expr::Range(_)) {
                    return self.chain_of(r);
                }
                let o = self.expr(r);
                let by = match name.as_str() {
                    "iter" => ElemBy::Ref,
                    "iter_mut" => ElemBy::Mut,
                    _ => match &o {
                        Operand::Ref(_, By::Mut) => ElemBy::Mut,
                        Operand::Ref(_, _) => ElemBy::Ref,
                        Operand::Place(p) if self.is_ref_param(p) => self.param_by(p),
                        _ => ElemBy::Val,
                    },
                };
                let place = self.iterable_place(o, r)?;
                Some(self.elems_or_chunks(place, by))
            }
            "chunks" | "chunks_exact" | "chunks_mut" | "chunks_exact_mut" | "windows" => {
                let o = self.expr(&m.receiver);
                let place = self.iterable_place(o, &m.receiver)?;
                let size = self.value(m.args.first()?)?;
                let by = if name.ends_with("_mut") { ElemBy::Mut } else { ElemBy::Ref };
                if name == "windows" {
                    Some(Chain { src: Source::Windows { place, size }, stages: Vec::new() })
                } else {
                    Some(Chain { src: Source::Chunks { place, size, exact: name.contains("exact"), by }, stages: Vec::new() })
                }
            }
            _ => {
                let mut base = self.chain_of(&m.receiver)?;
                let stage = match name.as_str() {
                    "map" => match strip(&m.args[0]) {
                        Expr::Path(p) => Stage::MapFn(p.path.clone()),
                        a => Stage::Map(self.closure_arg(a)?),
                    },
                    "filter" => Stage::Filter(self.closure_arg(&m.args[0])?),
                    "enumerate" => Stage::Enumerate,
                    "rev" => Stage::Rev,
                    "skip" => Stage::Skip(self.value(&m.args[0])?),
                    "take" => Stage::Take(self.value(&m.args[0])?),
                    "step_by" => Stage::StepBy(self.value(&m.args[0])?),
                    "copied" | "cloned" => Stage::Copied,
                    "zip" => {
                        let other = self.chain_of_iterable(&m.args[0])?;
                        Stage::Zip(Box::new(other))
                    }
                    other => {
                        self.diag.at(span, format!("`.{other}()` is not supported in an iterator chain in a #[differentiable] body; supported: map, zip, enumerate, filter, rev, skip, take, step_by, copied, cloned"));
                        return None;
                    }
                };
                base.stages.push(stage);
                Some(base)
            }
        }
    }

    /// The argument of `zip`: a chain, or an iterable place.
    fn chain_of_iterable(&mut self, e: &Expr) -> Option<Chain> {
        let s = strip(e);
        if matches!(s, Expr::Range(_)) || self.is_chain(s) {
            return self.chain_of(s);
        }
        if let Expr::MethodCall(m) = s {
            if ["iter", "iter_mut", "into_iter", "chunks", "chunks_exact", "windows", "chunks_mut", "chunks_exact_mut"].contains(&m.method.to_string().as_str()) {
                return self.chain_of(s);
            }
        }
        self.iterable(s)
    }

    /// `for x in xs`, `for x in &xs`, `for x in &mut xs`, `zip(ys)`.
    fn iterable(&mut self, e: &Expr) -> Option<Chain> {
        let o = self.expr(e);
        let by = match &o {
            Operand::Ref(_, By::Mut) => ElemBy::Mut,
            Operand::Ref(_, _) => ElemBy::Ref,
            Operand::Place(p) if self.is_ref_param(p) => self.param_by(p),
            _ => ElemBy::Val,
        };
        let place = self.iterable_place(o, e)?;
        Some(self.elems_or_chunks(place, by))
    }

    /// The elements of a place, or, for the chunks of `as_chunks::<N>()`,
    /// its `N`-element chunks.
    fn elems_or_chunks(&self, place: Place, by: ElemBy) -> Chain {
        let key = format!("{place:?}");
        match self.chunked.iter().find(|(k, _)| *k == key) {
            Some((_, size)) => Chain { src: Source::Chunks { place, size: *size, exact: true, by }, stages: Vec::new() },
            None => Chain { src: Source::Elems { place, by }, stages: Vec::new() },
        }
    }

    fn is_ref_param(&self, p: &Place) -> bool {
        p.path.is_empty() && matches!(self.f.vars[p.var].kind, VarKind::Param { by: By::Ref | By::Mut, .. })
    }

    fn param_by(&self, p: &Place) -> ElemBy {
        match self.f.vars[p.var].kind {
            VarKind::Param { by: By::Mut, .. } => ElemBy::Mut,
            _ => ElemBy::Ref,
        }
    }

    fn iterable_place(&mut self, o: Operand, e: &Expr) -> Option<Place> {
        match o {
            Operand::Place(p) | Operand::Ref(p, _) => Some(p),
            Operand::Val(v) => {
                // An owned value iterated by value: give it storage.
                let var = self.f.new_var(Shape::Array(Box::new(Shape::Val), ArrKind::Vec), VarKind::Local, "iterated".into());
                self.push(Stmt::Decl { var, init: Init::Val(v) });
                Some(Place::root(var))
            }
            Operand::Never | Operand::Exit => None,
            _ => {
                self.diag.spanned(e, "this cannot be iterated in a #[differentiable] body; iterate a range, a slice, an array or a `Vec`");
                None
            }
        }
    }

    /// The length of a chain's source.
    fn source_len(&mut self, src: &Source, span: Span) -> V {
        match src {
            Source::Range { lo, hi, inclusive } => {
                let prim = if *inclusive { "trip_count_incl" } else { "trip_count" };
                let v = self.def(Op::Prim(prim, vec![*lo, *hi]), Ty::Int, span);
                self.f.values[v].rty = Some(syn::parse_quote!(usize));
                v
            }
            Source::Elems { place, .. } => self.len_of(place.clone(), span),
            Source::Chunks { place, size, exact, .. } => {
                let n = self.len_of(place.clone(), span);
                let prim = if *exact { "div_floor" } else { "div_ceil" };
                let v = self.def(Op::Prim(if *exact { "div_floor" } else { prim }, vec![n, *size]), Ty::Int, span);
                self.f.values[v].rty = Some(syn::parse_quote!(usize));
                v
            }
            Source::Windows { place, size } => {
                let n = self.len_of(place.clone(), span);
                let v = self.def(Op::Prim("windows_count", vec![n, *size]), Ty::Int, span);
                self.f.values[v].rty = Some(syn::parse_quote!(usize));
                v
            }
        }
    }

    /// The lengths after each counter stage; `None` at and after a filter.
    fn chain_lengths(&mut self, c: &Chain, span: Span) -> Vec<V> {
        let mut n = self.source_len(&c.src, span);
        let mut out = vec![n];
        for st in &c.stages {
            n = match st {
                Stage::Skip(k) => self.def_usize(Op::Prim("sat_sub", vec![n, *k]), span),
                Stage::Take(k) => self.def_usize(Op::Prim("min_usize", vec![n, *k]), span),
                Stage::StepBy(k) => self.def_usize(Op::Prim("div_ceil", vec![n, *k]), span),
                Stage::Zip(other) => {
                    let on = self.chain_lengths(other, span);
                    let m = *on.last().unwrap_or(&n);
                    self.def_usize(Op::Prim("min_usize", vec![n, m]), span)
                }
                _ => n,
            };
            out.push(n);
        }
        out
    }

    fn def_usize(&mut self, op: Op, span: Span) -> V {
        let v = self.def(op, Ty::Int, span);
        self.f.values[v].rty = Some(syn::parse_quote!(usize));
        v
    }

    /// The item of a chain at counter `j` (counter-mapped stages only), and
    /// the filters to apply after (with the item at each).
    fn item_at(&mut self, c: &Chain, lens: &[V], j: V, upto: usize, span: Span) -> Option<Operand> {
        // Counters at each level, from the top (level `upto`) down to 0.
        let mut js = vec![j; upto + 1];
        for i in (0..upto).rev() {
            let jn = js[i + 1];
            js[i] = match &c.stages[i] {
                Stage::Rev => {
                    let one = self.lit_int(quote!(1usize), span);
                    let last = self.def_usize(Op::Bin(BinOp::Sub, lens[i], one), span);
                    self.def_usize(Op::Bin(BinOp::Sub, last, jn), span)
                }
                Stage::Skip(k) => self.def_usize(Op::Prim("idx_add", vec![jn, *k]), span),
                Stage::StepBy(k) => self.def_usize(Op::Bin(BinOp::Mul, jn, *k), span),
                _ => jn,
            };
        }
        let mut item = self.source_item(&c.src, js[0], span)?;
        for i in 0..upto {
            item = match &c.stages[i] {
                Stage::Map(f) => {
                    let f = f.clone();
                    self.inline_closure_ops(&f, vec![item], span)
                }
                Stage::MapFn(p) => {
                    let p = p.clone();
                    self.map_fn_item(&p, item, span)?
                }
                Stage::Enumerate => {
                    let jv = js[i];
                    Operand::Tuple(vec![Operand::Val(jv), item])
                }
                Stage::Zip(other) => {
                    let olens = self.chain_lengths(other, span);
                    let n = other.stages.len();
                    let oi = self.item_at(other, &olens, js[i + 1], n, span)?;
                    Operand::Tuple(vec![item, oi])
                }
                Stage::Copied => match item {
                    Operand::Ref(p, _) => {
                        let t = self.f.place_ty(&p);
                        Operand::Val(self.def(Op::Read(p), t, span))
                    }
                    o => o,
                },
                _ => item,
            };
            if matches!(item, Operand::Never | Operand::Exit) {
                return None;
            }
        }
        Some(item)
    }

    /// `map(f64::sqrt)`, `map(g)`: the function applied to the item.
    fn map_fn_item(&mut self, p: &syn::Path, item: Operand, span: Span) -> Option<Operand> {
        let x = self.item_value(item, span)?;
        let last = p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if p.segments.len() >= 2 {
            if let Some(rule) = crate::rules::float_method(&last) {
                if rule.arity == 1 && rule.ints == 0 {
                    return Some(Operand::Val(self.def(Op::Prim(rule.name, vec![x]), Ty::F, span)));
                }
            }
        }
        let call = Call { callee: Callee::Path(p.clone()), entry: Entry::Primal, args: vec![Arg::Val(x)], tape: false, span };
        Some(Operand::Val(self.def(Op::Call(call), Ty::Val, span)))
    }

    fn source_item(&mut self, src: &Source, i: V, span: Span) -> Option<Operand> {
        Some(match src {
            Source::Range { lo, .. } => {
                let v = self.def(Op::Prim("idx_add", vec![*lo, i]), Ty::Int, span);
                self.f.values[v].rty = self.f.values[*lo].rty.clone();
                Operand::Val(v)
            }
            Source::Elems { place, by } => {
                let p = place.with(Proj::Index(i));
                match by {
                    ElemBy::Val => Operand::Place(p),
                    ElemBy::Ref => Operand::Ref(p, By::Ref),
                    ElemBy::Mut => Operand::Ref(p, By::Mut),
                }
            }
            Source::Chunks { place, size, by, .. } => {
                let lo = self.def_usize(Op::Bin(BinOp::Mul, i, *size), span);
                let n = self.len_of(place.clone(), span);
                let end = self.def_usize(Op::Bin(BinOp::Add, lo, *size), span);
                let hi = self.def_usize(Op::Prim("min_usize", vec![end, n]), span);
                let b = if *by == ElemBy::Mut { By::Mut } else { By::Ref };
                Operand::Ref(place.with(Proj::Slice(Some(lo), Some(hi))), b)
            }
            Source::Windows { place, size } => {
                let hi = self.def_usize(Op::Bin(BinOp::Add, i, *size), span);
                Operand::Ref(place.with(Proj::Slice(Some(i), Some(hi))), By::Ref)
            }
        })
    }

    /// Runs a chain into a sink: one loop.
    fn run_chain(&mut self, chain: Chain, sink: Sink, span: Span) -> Operand {
        // Counter stages run up to the first filter.
        let cut = chain.stages.iter().position(|s| matches!(s, Stage::Filter(_))).unwrap_or(chain.stages.len());
        for st in &chain.stages[cut..] {
            if matches!(st, Stage::Rev | Stage::Skip(_) | Stage::Take(_) | Stage::StepBy(_) | Stage::Zip(_)) {
                self.diag.at(span, "after `filter`, only `map`, `enumerate`, `copied` and another `filter` are supported in a #[differentiable] body; move `rev`, `skip`, `take`, `step_by` and `zip` before the filter");
                return Operand::Never;
            }
        }
        let lens = self.chain_lengths(&chain, span);
        let n = lens[cut];

        // The accumulator of the sink.
        let acc = self.fresh_name("chain acc");
        let counter = self.fresh_name("chain count");
        match &sink {
            Sink::Sum { product, ty } => {
                let is_f = match ty {
                    Some(t) => self.class_of_type(t) == Some(Ty::F),
                    None => true,
                };
                let init = if is_f && self.float.is_some() {
                    self.def(Op::Lit(if *product { Lit::One } else { Lit::Zero }), Ty::F, span)
                } else {
                    let tokens = match (ty, *product) {
                        (Some(t), true) => quote!(<#t as ::core::iter::Product>::product(::core::iter::empty())),
                        (Some(t), false) => quote!(<#t as ::core::iter::Sum>::sum(::core::iter::empty())),
                        (None, true) => quote!(::core::iter::Iterator::product(::core::iter::empty())),
                        (None, false) => quote!(::core::iter::Iterator::sum(::core::iter::empty())),
                    };
                    self.def(Op::Lit(Lit::Tokens(tokens)), Ty::Val, span)
                };
                self.bind(acc.clone(), Binding::Val { v: init, mutable: true });
            }
            Sink::Fold { init, .. } => {
                let Some(v) = self.value(init) else { return Operand::Never };
                self.bind(acc.clone(), Binding::Val { v, mutable: true });
            }
            Sink::Count => {
                let z = self.lit_int(quote!(0usize), span);
                self.bind(acc.clone(), Binding::Val { v: z, mutable: true });
            }
            Sink::AnyAll { any, .. } => {
                let b = self.lit_bool(!*any, span);
                self.bind(acc.clone(), Binding::Val { v: b, mutable: true });
            }
            Sink::Collect => {
                let var = self.f.new_var(Shape::Array(Box::new(Shape::Val), ArrKind::Vec), VarKind::Local, "collected".into());
                self.push(Stmt::Decl { var, init: Init::VecEmpty(Some(n)) });
                self.bind(acc.clone(), Binding::Var { var });
            }
            Sink::ForEach(_) | Sink::Body { .. } => {}
        }
        let needs_count = chain.stages[cut..].iter().any(|s| matches!(s, Stage::Enumerate));
        if needs_count {
            let z = self.lit_int(quote!(0usize), span);
            self.bind(counter.clone(), Binding::Val { v: z, mutable: true });
        }

        // A plain range keeps its own index.
        let direct = match (&chain.src, chain.stages.as_slice()) {
            (Source::Range { .. }, []) => Some(false),
            (Source::Range { .. }, [Stage::Rev]) => Some(true),
            _ => None,
        };
        let (range, scan, label) = match (&chain.src, direct) {
            (Source::Range { lo, hi, inclusive }, Some(rev)) => (Range { lo: *lo, hi: *hi, inclusive: *inclusive, rev }, body_stmts(&sink), sink_label(&sink)),
            _ => {
                let z = self.lit_int(quote!(0usize), span);
                (Range { lo: z, hi: n, inclusive: false, rev: false }, body_stmts(&sink), sink_label(&sink))
            }
        };
        let chain_c = chain.clone();
        let lens_c = lens.clone();
        let mut body = |l: &mut Self, idx: V| -> Operand {
            let item = if direct.is_some() {
                Some(Operand::Val(idx))
            } else {
                l.item_at(&chain_c, &lens_c, idx, cut, span)
            };
            let Some(item) = item else { return Operand::Never };
            l.after_filter(&chain_c.stages[cut..], item, &sink, &acc, &counter, span)
        };
        let label_ref = label.as_ref();
        self.for_range(label_ref, range, &scan, &mut body, span);
        match &sink {
            Sink::Sum { .. } | Sink::Fold { .. } | Sink::Count | Sink::AnyAll { .. } => match self.current(&acc) {
                Some(v) => Operand::Val(v),
                None => Operand::Never,
            },
            Sink::Collect => match self.lookup(&acc).cloned() {
                Some(Binding::Var { var }) => Operand::Place(Place::root(var)),
                _ => Operand::Never,
            },
            _ => Operand::Unit,
        }
    }

    /// The stages after the first filter, then the sink, for one item.
    #[allow(clippy::too_many_arguments)]
    fn after_filter(&mut self, stages: &[Stage], item: Operand, sink: &Sink, acc: &str, counter: &str, span: Span) -> Operand {
        let Some((first, rest)) = stages.split_first() else {
            return self.sink_item(item, sink, acc, span);
        };
        match first {
            Stage::Filter(f) => {
                // The predicate takes `&item`.
                let arg = match &item {
                    Operand::Val(v) => {
                        let v = *v;
                        let var = self.f.new_var(if self.f.ty(v) == Ty::Val { Shape::Val } else { Shape::Scalar(self.f.ty(v)) }, VarKind::Local, "item".into());
                        self.push(Stmt::Decl { var, init: Init::Val(v) });
                        Operand::Ref(Place::root(var), By::Ref)
                    }
                    Operand::Place(p) => Operand::Ref(p.clone(), By::Ref),
                    o => o.clone(),
                };
                let f = f.clone();
                let t = self.inline_closure_ops(&f, vec![arg], span);
                let Some(c) = self.as_value(t, span) else { return Operand::Never };
                let rest = rest.to_vec();
                let item_c = item.clone();
                let (acc_c, counter_c) = (acc.to_string(), counter.to_string());
                let o = self.if_arms(
                    c,
                    move |l| {
                        let o = l.after_filter(&rest, item_c, sink, &acc_c, &counter_c, span);
                        l.arm_of(o, span)
                    },
                    |_| super::control::ArmEnd::Value(None),
                    span,
                );
                match o {
                    Operand::Never => Operand::Never,
                    _ => Operand::Unit,
                }
            }
            Stage::Map(f) => {
                let f = f.clone();
                let it = self.inline_closure_ops(&f, vec![item], span);
                self.after_filter(rest, it, sink, acc, counter, span)
            }
            Stage::Enumerate => {
                let Some(k) = self.current(counter) else { return Operand::Never };
                let one = self.lit_int(quote!(1usize), span);
                let k1 = self.def_usize(Op::Bin(BinOp::Add, k, one), span);
                self.rebind(counter, Binding::Val { v: k1, mutable: true });
                self.after_filter(rest, Operand::Tuple(vec![Operand::Val(k), item]), sink, acc, counter, span)
            }
            Stage::Copied => {
                let it = match item {
                    Operand::Ref(p, _) => {
                        let t = self.f.place_ty(&p);
                        Operand::Val(self.def(Op::Read(p), t, span))
                    }
                    o => o,
                };
                self.after_filter(rest, it, sink, acc, counter, span)
            }
            _ => Operand::Never,
        }
    }

    fn sink_item(&mut self, item: Operand, sink: &Sink, acc: &str, span: Span) -> Operand {
        match sink {
            Sink::Sum { product, .. } => {
                let Some(a) = self.current(acc) else { return Operand::Never };
                let Some(x) = self.item_value(item, span) else { return Operand::Never };
                let op = if *product { BinOp::Mul } else { BinOp::Add };
                let n = self.bin(op, a, x, span);
                self.rebind(acc, Binding::Val { v: n, mutable: true });
                Operand::Unit
            }
            Sink::Fold { f, .. } => {
                let Some(a) = self.current(acc) else { return Operand::Never };
                let n = match f {
                    FoldFn::Closure(c) => {
                        let c = c.clone();
                        let o = self.inline_closure_ops(&c, vec![Operand::Val(a), item], span);
                        self.as_value(o, span)
                    }
                    FoldFn::Path(p) => {
                        let Some(x) = self.item_value(item, span) else { return Operand::Never };
                        let last = p.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                        match crate::rules::float_method(&last) {
                            Some(rule) if rule.arity == 2 && rule.ints == 0 => Some(self.def(Op::Prim(rule.name, vec![a, x]), Ty::F, span)),
                            _ => {
                                let call = Call { callee: Callee::Path(p.clone()), entry: Entry::Primal, args: vec![Arg::Val(a), Arg::Val(x)], tape: false, span };
                                Some(self.def(Op::Call(call), Ty::Val, span))
                            }
                        }
                    }
                };
                let Some(n) = n else { return Operand::Never };
                self.rebind(acc, Binding::Val { v: n, mutable: true });
                Operand::Unit
            }
            Sink::Count => {
                let Some(a) = self.current(acc) else { return Operand::Never };
                let one = self.lit_int(quote!(1usize), span);
                let n = self.def_usize(Op::Bin(BinOp::Add, a, one), span);
                self.rebind(acc, Binding::Val { v: n, mutable: true });
                Operand::Unit
            }
            Sink::AnyAll { any, f } => {
                let Some(a) = self.current(acc) else { return Operand::Never };
                let f = f.clone();
                let t = self.inline_closure_ops(&f, vec![item], span);
                let Some(c) = self.as_value(t, span) else { return Operand::Never };
                let n = if *any { self.or(a, c, span) } else { self.and(a, c, span) };
                self.rebind(acc, Binding::Val { v: n, mutable: true });
                Operand::Unit
            }
            Sink::Collect => {
                let Some(Binding::Var { var }) = self.lookup(acc).cloned() else { return Operand::Never };
                let Some(x) = self.item_value(item, span) else { return Operand::Never };
                let t = self.f.ty(x);
                let cs = self.constructor_shape(x);
                if let Shape::Array(e, _) = &mut self.f.vars[var].shape {
                    if matches!(**e, Shape::Val) {
                        if matches!(t, Ty::F | Ty::Int | Ty::Bool) {
                            **e = Shape::Scalar(t);
                        } else if let Some(cs) = cs {
                            **e = cs;
                        }
                    }
                }
                self.push(Stmt::Push { var, val: x });
                Operand::Unit
            }
            Sink::ForEach(f) => {
                let f = f.clone();
                let o = self.inline_closure_ops(&f, vec![item], span);
                match o {
                    Operand::Never => Operand::Never,
                    _ => Operand::Unit,
                }
            }
            Sink::Body { pat, block, .. } => {
                self.scopes.push(Default::default());
                self.bind_pat(pat, item, None, span);
                let o = self.block_body(block);
                self.scopes.pop();
                match o {
                    Operand::Never | Operand::Exit => o,
                    _ => Operand::Unit,
                }
            }
        }
    }

    /// An item as a value (references read).
    fn item_value(&mut self, item: Operand, span: Span) -> Option<V> {
        match item {
            Operand::Ref(p, _) | Operand::Place(p) => {
                let t = self.f.place_ty(&p);
                Some(self.def(Op::Read(p), t, span))
            }
            o => self.as_value(o, span),
        }
    }

    /// `for pat in expr { body }`.
    pub fn for_loop(&mut self, f: &syn::ExprForLoop) -> Operand {
        let span = f.span();
        let ck = self.checkpoint_attr(&f.attrs);
        let mark = self.cur.len();
        let sink = Sink::Body { pat: (*f.pat).clone(), block: f.body.clone(), label: f.label.clone() };
        let e = strip(&f.expr);
        let chain = if matches!(e, Expr::Range(_)) || self.is_chain(e) { self.chain_of(e) } else { self.iterable(e) };
        let Some(chain) = chain else { return Operand::Never };
        let o = self.run_chain(chain, sink, span);
        if let Some(((snapshots, chunk, never), at)) = ck {
            // The loop is the last one this statement pushed.
            match self.cur[mark..].iter().rev().find(|s| matches!(s, Stmt::For { .. } | Stmt::While { .. })) {
                Some(Stmt::For { idx, .. }) => {
                    let idx = *idx;
                    self.f.ckpt.push(LoopCkpt { idx, snapshots, chunk, never, span: at.0, attr: at.1 });
                }
                Some(_) => {
                    self.diag.spanned(&at.1, "a `#[checkpoint]` loop must run all its iterations: its backward sweep re-runs them from saved states. Remove the `break` or early `return` (compute a flag and skip the rest of the body with `if`), or drop `#[checkpoint]`");
                }
                None => {}
            }
        }
        o
    }

    /// `#[checkpoint]`, `#[checkpoint(snapshots = N, chunk = M)]` on a `for`
    /// loop: `Some(((N, M) as written, (span, attribute)))`.
    #[allow(clippy::type_complexity)]
    fn checkpoint_attr(&mut self, attrs: &[syn::Attribute]) -> Option<((Option<proc_macro2::TokenStream>, Option<proc_macro2::TokenStream>, bool), (Span, proc_macro2::TokenStream))> {
        let a = attrs.iter().find(|a| is_checkpoint_attr(a))?;
        let span = a.span();
        const HOW: &str = "write `#[checkpoint]` (the binomial schedule with its defaults), set `snapshots = N` (saved states) and `chunk = M` (iterations taped together), each an integer literal or a `const` (`#[checkpoint(snapshots = 32, chunk = 8)]`), or write `#[checkpoint(never)]` to tape the loop in full";
        let mut snapshots = None;
        let mut chunk = None;
        let mut never = false;
        match &a.meta {
            syn::Meta::Path(_) => {}
            syn::Meta::List(l) => {
                let r = l.parse_nested_meta(|m| {
                    if m.path.is_ident("binomial") {
                        return Ok(());
                    }
                    if m.path.is_ident("never") {
                        never = true;
                        return Ok(());
                    }
                    let key = if m.path.is_ident("snapshots") {
                        Some(0)
                    } else if m.path.is_ident("chunk") {
                        Some(1)
                    } else {
                        None
                    };
                    if let Some(key) = key {
                        let name = if key == 0 { "snapshots" } else { "chunk" };
                        let e: Expr = m.value()?.parse()?;
                        match &e {
                            Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(_), .. }) => {}
                            Expr::Path(p) if p.qself.is_none() => {
                                if let Some(id) = p.path.get_ident() {
                                    if self.lookup(&id.to_string()).is_some() {
                                        return Err(m.error(format!("`{name}` must be a constant, not the local `{id}`: the schedule is fixed when the loop starts; {HOW}")));
                                    }
                                }
                            }
                            _ => return Err(m.error(format!("`{name}` must be an integer literal or a `const`; {HOW}"))),
                        }
                        if key == 0 {
                            snapshots = Some(e.to_token_stream());
                        } else {
                            chunk = Some(e.to_token_stream());
                        }
                        return Ok(());
                    }
                    Err(m.error(format!("unknown option of `#[checkpoint]`; {HOW}")))
                });
                if let Err(e) = r {
                    self.diag.at(e.span(), e.to_string());
                }
            }
            syn::Meta::NameValue(_) => self.diag.spanned(a, HOW),
        }
        Some(((snapshots, chunk, never), (span, a.to_token_stream())))
    }
}

/// `#[checkpoint(..)]` or `#[leibniz::checkpoint(..)]`.
pub fn is_checkpoint_attr(a: &syn::Attribute) -> bool {
    let segs: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
    matches!(segs.iter().map(String::as_str).collect::<Vec<_>>().as_slice(), ["checkpoint"] | ["leibniz", "checkpoint"])
}

fn body_stmts(s: &Sink) -> Vec<syn::Stmt> {
    match s {
        Sink::Body { block, .. } => block.stmts.clone(),
        _ => Vec::new(),
    }
}

fn sink_label(s: &Sink) -> Option<syn::Label> {
    match s {
        Sink::Body { label, .. } => label.clone(),
        _ => None,
    }
}
