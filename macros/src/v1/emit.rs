//! Emits Rust from the IR: the forward sweep (primal with tangents for the
//! JVP, or primal with tape recording for the VJP) and the backward sweep.
//!
//! The backward sweep is generated twice: a dry run collects which primal
//! values the adjoint rules read; then each such value is either recomputed
//! (cheap, and everything it needs is at hand) or stored on the tape (a
//! captured scalar outside loops, a slot in the loop's stack inside one);
//! the second run emits the sweep with the restores in place.

use std::collections::HashMap;

use proc_macro2::{Ident, TokenStream};
use quote::{ToTokens, quote};

use crate::v1::analyse::Info;
use crate::v1::ir::*;
use crate::v1::naming;
use crate::v1::rules::{self, Ctx, Partial};

#[derive(Clone, Copy, PartialEq)]
pub enum Mode {
    Jvp,
    Record,
}

/// What one loop's tape stack holds per iteration.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Val(V),
    Tape(V),
}

pub struct Gen<'a> {
    pub f: &'a Func,
    pub info: &'a Info,
    pub float: TokenStream,
    param_names: HashMap<V, Ident>,
    proj: HashMap<(V, usize), V>,
    /// Calls whose array result a local array takes over.
    from_call: HashMap<V, A>,
    /// Dry run of the backward sweep: only collect what it reads.
    dry: bool,
    needed: Vec<bool>,
    needed_tape: Vec<bool>,
    taped: Vec<bool>,
    recompute: Vec<bool>,
    tape_call: Vec<bool>,
    /// Slots of each loop's stack (index = loop id; 0 = captured).
    slots: Vec<Vec<Slot>>,
    /// Rules are evaluated in the forward sweep (JVP).
    fwd_rules: bool,
    /// Loops whose stack was reserved in full before an enclosing loop.
    reserved: Vec<bool>,
}

fn zero_of(float: &TokenStream) -> TokenStream {
    quote!(::leibniz::__private::zero::<#float>())
}

impl<'a> Gen<'a> {
    pub fn new(f: &'a Func, info: &'a Info, float: TokenStream) -> Self {
        let mut param_names = HashMap::new();
        let mut proj = HashMap::new();
        let mut from_call = HashMap::new();
        f.body.walk(&mut |s| {
            if let Stmt::ArrNew { arr, init: ArrInit::FromCall(v) } = s {
                from_call.insert(*v, *arr);
            }
            if let Stmt::Def { v, op } = s {
                match op {
                    Op::Param(id) => {
                        param_names.insert(*v, id.clone());
                    }
                    Op::Proj(c, k) => {
                        proj.insert((*c, *k), *v);
                    }
                    _ => {}
                }
            }
        });
        let n = f.values.len();
        Gen {
            f,
            info,
            float,
            param_names,
            proj,
            from_call,
            dry: false,
            needed: vec![false; n],
            needed_tape: vec![false; n],
            taped: vec![false; n],
            recompute: vec![false; n],
            tape_call: vec![false; n],
            slots: vec![Vec::new(); info.n_loops + 1],
            fwd_rules: false,
            reserved: vec![false; info.n_loops + 1],
        }
    }

    fn zero(&self) -> TokenStream {
        zero_of(&self.float)
    }

    /// The primal value `v` as emitted code names it.
    fn v(&self, v: V) -> TokenStream {
        match self.param_names.get(&v) {
            Some(id) => id.to_token_stream(),
            None => naming::val(v).to_token_stream(),
        }
    }

    /// Reads the primal value `v` from the backward sweep.
    fn need(&mut self, v: V) -> TokenStream {
        self.needed[v] = true;
        self.v(v)
    }

    fn active(&self, v: V) -> bool {
        self.info.active(self.f, v)
    }

    fn arr_active(&self, a: A) -> bool {
        self.info.arr_active(a)
    }

    fn arr(&self, a: A) -> TokenStream {
        let info = &self.f.arrays[a];
        if info.param.is_some() { info.name.to_token_stream() } else { naming::local_arr(a).to_token_stream() }
    }

    fn len_tokens(&mut self, a: A, in_bwd: bool) -> TokenStream {
        match self.f.arrays[a].len.clone() {
            Len::Dyn(v) => {
                if in_bwd {
                    self.need(v)
                } else {
                    self.v(v)
                }
            }
            Len::Const(t) => t,
        }
    }

    /// Whether tangent/adjoint arrays of `a` are fixed-size arrays.
    fn fixed(&self, a: A) -> bool {
        let i = &self.f.arrays[a];
        matches!(i.kind, ArrKind::LocalArr | ArrKind::ParamVal) && matches!(i.len, Len::Const(_))
    }

    /// A zeroed tangent or adjoint array for `a`.
    fn zeros_arr(&mut self, a: A, in_bwd: bool) -> TokenStream {
        let z = self.zero();
        let n = self.len_tokens(a, in_bwd);
        if self.fixed(a) { quote!([#z; #n]) } else { quote!(::std::vec![#z; #n]) }
    }

    // ----- primal expressions ------------------------------------------

    fn primal(&self, op: &Op) -> TokenStream {
        match op {
            Op::Param(id) => id.to_token_stream(),
            Op::Lit(t) => t.clone(),
            Op::Opaque { tokens, .. } => tokens.clone(),
            Op::Copy(a) => self.v(*a),
            Op::Bin(b, x, y) => {
                let (x, y) = (self.v(*x), self.v(*y));
                match b {
                    Bin::Add => quote!(#x + #y),
                    Bin::Sub => quote!(#x - #y),
                    Bin::Mul => quote!(#x * #y),
                    Bin::Div => quote!(#x / #y),
                }
            }
            Op::Neg(a) => {
                let a = self.v(*a);
                quote!(-#a)
            }
            Op::Math { fun, args, int_arg } => {
                let args: Vec<_> = args.iter().map(|a| self.v(*a)).collect();
                let n = int_arg.map(|n| self.v(n));
                rules::math_primal(fun, &args, n.as_ref())
            }
            Op::Read(a, i) => {
                let (arr, i) = (self.arr(*a), self.v(*i));
                quote!(#arr[#i])
            }
            Op::Len(a) => {
                let arr = self.arr(*a);
                quote!(#arr.len())
            }
            Op::Proj(c, k) => {
                let c = self.v(*c);
                let k = syn::Index::from(*k);
                quote!(#c.#k)
            }
            Op::Call { callee, args, .. } => {
                let args: Vec<_> = args.iter().map(|a| self.arg_tokens(a)).collect();
                match callee {
                    Callee::Path { prefix, name } => quote!(#prefix #name(#(#args),*)),
                    Callee::Method { recv, name, .. } => quote!(#recv.#name(#(#args),*)),
                }
            }
        }
    }

    fn arg_tokens(&self, a: &Arg) -> TokenStream {
        match a {
            Arg::Scalar(v) => self.v(*v),
            Arg::ArrRef(_, t) | Arg::ArrVal(_, t) | Arg::ArrMut(_, t) | Arg::Other(t, _) => t.clone(),
        }
    }

    fn callee_path(callee: &Callee, suffix: &str) -> TokenStream {
        match callee {
            Callee::Path { prefix, name } => {
                let h = naming::hidden(name, suffix);
                quote!(#prefix #h)
            }
            Callee::Method { recv, name, .. } => {
                let h = naming::hidden(name, suffix);
                quote!(#recv.#h)
            }
        }
    }

    fn range_fwd(&self, r: &RangeSpec) -> TokenStream {
        let (lo, hi) = (self.v(r.lo), self.v(r.hi));
        let mut t = if r.inclusive { quote!((#lo..=#hi)) } else { quote!((#lo..#hi)) };
        for ad in &r.adapters {
            t = match ad {
                RangeAdapter::Rev => quote!(#t.rev()),
                RangeAdapter::StepBy(k) => {
                    let k = self.v(*k);
                    quote!(#t.step_by(#k))
                }
            };
        }
        t
    }

    /// The iterations of a `for` loop in reverse order. Stepped ranges are
    /// reversed from their last element (computed, not iterated), which
    /// works for every integer type (`StepBy::rev` needs exact-size ranges,
    /// which `i64`/`u64` ranges are not).
    fn range_bwd(&mut self, r: &RangeSpec) -> TokenStream {
        let (lo, hi) = (self.need(r.lo), self.need(r.hi));
        let incl = r.inclusive;
        match r.adapters.as_slice() {
            [] => {
                return if incl { quote!((#lo..=#hi).rev()) } else { quote!((#lo..#hi).rev()) };
            }
            [RangeAdapter::Rev] => {
                return if incl { quote!((#lo..=#hi)) } else { quote!((#lo..#hi)) };
            }
            [RangeAdapter::StepBy(k)] => {
                let k = self.need(*k);
                return quote!(::leibniz::__private::stepped_last(#lo, #hi, #incl, #k)
                    .into_iter()
                    .flat_map(move |__last| (#lo..=__last).rev().step_by(#k)));
            }
            [RangeAdapter::Rev, RangeAdapter::StepBy(k)] => {
                let k = self.need(*k);
                return quote!(::leibniz::__private::stepped_first(#lo, #hi, #incl, #k)
                    .into_iter()
                    .flat_map(move |(__first, __top)| (__first..=__top).step_by(#k)));
            }
            [RangeAdapter::StepBy(k), RangeAdapter::Rev] => {
                let k = self.need(*k);
                return if incl { quote!((#lo..=#hi).step_by(#k)) } else { quote!((#lo..#hi).step_by(#k)) };
            }
            _ => {}
        }
        let stepped = r.adapters.iter().any(|a| matches!(a, RangeAdapter::StepBy(_)));
        // `StepBy` reverses only over exact-size ranges: `a..=b` becomes
        // `a..b + 1` there.
        let mut t = match (r.inclusive, stepped) {
            (true, false) => quote!((#lo..=#hi)),
            (true, true) => quote!((#lo..(#hi + 1))),
            (false, _) => quote!((#lo..#hi)),
        };
        for ad in &r.adapters {
            t = match ad {
                RangeAdapter::Rev => quote!(#t.rev()),
                RangeAdapter::StepBy(k) => {
                    let k = self.need(*k);
                    quote!(#t.step_by(#k))
                }
            };
        }
        quote!(#t.rev())
    }

    // ----- forward sweep ------------------------------------------------

    /// Is `v` declared before its region (so its definition assigns)?
    fn hoisted(&self, v: V) -> bool {
        self.taped[v] && self.info.block_of[v] != self.info.loop_block[self.info.loop_of[v]]
    }

    fn bind(&self, v: V, rhs: TokenStream) -> TokenStream {
        let name = self.v(v);
        if self.hoisted(v) { quote!(#name = #rhs;) } else { quote!(let #name = #rhs;) }
    }

    /// Declarations, at the start of region `l`, of the stored values that
    /// are defined in nested blocks.
    pub fn hoisted_decls(&self, l: usize) -> TokenStream {
        let mut out = TokenStream::new();
        for slot in &self.slots[l] {
            match *slot {
                Slot::Val(v) if self.hoisted(v) => {
                    let name = self.v(v);
                    let init = if self.f.class(v) == Class::F { self.zero() } else { quote!(::core::default::Default::default()) };
                    out.extend(quote!(let mut #name = #init;));
                }
                Slot::Tape(v) if self.tape_hoisted(v) => {
                    let t = naming::indexed("__t", v);
                    out.extend(quote!(let mut #t = ::core::option::Option::None;));
                }
                _ => {}
            }
        }
        out
    }

    fn tape_hoisted(&self, v: V) -> bool {
        self.tape_call[v] && self.info.block_of[v] != self.info.loop_block[self.info.loop_of[v]]
    }

    /// The record pushed at the end of each iteration of loop `l`.
    fn push_record(&self, l: usize) -> TokenStream {
        if self.slots[l].is_empty() {
            return TokenStream::new();
        }
        let s = naming::stack(l);
        let items: Vec<TokenStream> = self
            .slots[l]
            .iter()
            .map(|slot| match *slot {
                Slot::Val(v) => self.v(v),
                Slot::Tape(v) => naming::indexed("__t", v).to_token_stream(),
            })
            .collect();
        quote!(#s.push((#(#items,)*));)
    }

    pub fn fwd_block(&mut self, b: &Block, mode: Mode) -> TokenStream {
        let mut out = TokenStream::new();
        for s in &b.stmts {
            out.extend(self.fwd_stmt(s, mode));
        }
        out
    }

    fn tangent_of(&self, v: V) -> Option<TokenStream> {
        if self.active(v) { Some(naming::tan(v).to_token_stream()) } else { None }
    }

    fn fwd_stmt(&mut self, s: &Stmt, mode: Mode) -> TokenStream {
        match s {
            Stmt::Def { v, op } => self.fwd_def(*v, op, mode),
            Stmt::Store { arr, idx, val } => {
                let (a, i, x) = (self.arr(*arr), self.v(*idx), self.v(*val));
                let mut out = quote!(#a[#i] = #x;);
                if mode == Mode::Jvp && self.arr_active(*arr) {
                    let da = naming::tan_arr(*arr);
                    let dx = self.tangent_of(*val).unwrap_or_else(|| self.zero());
                    out.extend(quote!(#da[#i] = #dx;));
                }
                out
            }
            Stmt::ArrNew { arr, init } => self.fwd_arr_new(*arr, init, mode),
            Stmt::ArrAssign { arr, init, len } => self.fwd_arr_assign(*arr, init, len, mode),
            Stmt::If { cond, then, els, phis } => {
                let c = self.v(*cond);
                let mut decl = TokenStream::new();
                let mut set_then = TokenStream::new();
                let mut set_else = TokenStream::new();
                for p in phis {
                    let out = self.v(p.out);
                    if !self.hoisted(p.out) {
                        decl.extend(quote!(let #out;));
                    }
                    let (a, b) = (self.v(p.a), self.v(p.b));
                    set_then.extend(quote!(#out = #a;));
                    set_else.extend(quote!(#out = #b;));
                    if mode == Mode::Jvp && self.active(p.out) {
                        let d = naming::tan(p.out);
                        decl.extend(quote!(let #d;));
                        let da = self.tangent_of(p.a).unwrap_or_else(|| self.zero());
                        let db = self.tangent_of(p.b).unwrap_or_else(|| self.zero());
                        set_then.extend(quote!(#d = #da;));
                        set_else.extend(quote!(#d = #db;));
                    }
                }
                let t = self.fwd_block(then, mode);
                let e = self.fwd_block(els, mode);
                quote! {
                    #decl
                    if #c { #t #set_then } else { #e #set_else }
                }
            }
            Stmt::For { idx, range, carried, body } => {
                let l = self.info.loop_id[idx];
                let nested = if mode == Mode::Record { self.nested_reserve(l, range, body) } else { TokenStream::new() };
                let (pre, head, tail, post) = self.carries(carried, mode);
                let i = self.v(*idx);
                let it = self.range_fwd(range);
                let inner = self.fwd_block(body, mode);
                let (reserve, decls, push) = self.loop_record(l, mode);
                let it_name = naming::indexed("__range", l);
                quote! {
                    #pre
                    #nested
                    let #it_name = #it;
                    #reserve
                    for #i in #it_name {
                        #decls
                        #head
                        #inner
                        #tail
                        #push
                    }
                    #post
                }
            }
            Stmt::While { cond_block, cond, carried, body, trips } => {
                let l = self.info.loop_id[trips];
                let (pre, head, tail, post) = self.carries(carried, mode);
                let cb = self.fwd_block(cond_block, mode);
                let c = self.v(*cond);
                let inner = self.fwd_block(body, mode);
                let (_, decls, push) = self.loop_record(l, mode);
                let n = naming::indexed("__trips", l);
                let (count_decl, count, trips_bind) = if mode == Mode::Record {
                    let bind = self.bind(*trips, n.to_token_stream());
                    (quote!(let mut #n: usize = 0;), quote!(#n += 1;), bind)
                } else {
                    (TokenStream::new(), TokenStream::new(), TokenStream::new())
                };
                quote! {
                    #pre
                    #count_decl
                    loop {
                        #decls
                        #head
                        #cb
                        if !#c { break; }
                        #inner
                        #tail
                        #count
                        #push
                    }
                    #post
                    #trips_bind
                }
            }
        }
    }

    /// Code around a loop for its carried scalars: before, at the start of
    /// an iteration, at its end, after.
    fn carries(&self, carried: &[Carry], mode: Mode) -> (TokenStream, TokenStream, TokenStream, TokenStream) {
        let (mut pre, mut head, mut tail, post) = (TokenStream::new(), TokenStream::new(), TokenStream::new(), TokenStream::new());
        for c in carried {
            let (out, init, phi, next) = (self.v(c.out), self.v(c.init), self.v(c.phi), self.v(c.next));
            if self.hoisted(c.out) {
                pre.extend(quote!(#out = #init;));
            } else {
                pre.extend(quote!(let mut #out = #init;));
            }
            head.extend(quote!(let #phi = #out;));
            tail.extend(quote!(#out = #next;));
            if mode == Mode::Jvp && self.active(c.out) {
                let (dout, dphi) = (naming::tan(c.out), naming::tan(c.phi));
                let dinit = self.tangent_of(c.init).unwrap_or_else(|| self.zero());
                let dnext = self.tangent_of(c.next).unwrap_or_else(|| self.zero());
                pre.extend(quote!(let mut #dout = #dinit;));
                head.extend(quote!(let #dphi = #dout;));
                tail.extend(quote!(#dout = #dnext;));
            }
        }
        (pre, head, tail, post)
    }

    fn loop_record(&self, l: usize, mode: Mode) -> (TokenStream, TokenStream, TokenStream) {
        if mode != Mode::Record || self.slots[l].is_empty() {
            return (TokenStream::new(), TokenStream::new(), TokenStream::new());
        }
        let s = naming::stack(l);
        let it = naming::indexed("__range", l);
        let reserve = if self.reserved[l] {
            TokenStream::new()
        } else {
            quote!(#s.reserve(::core::iter::Iterator::size_hint(&#it).0);)
        };
        (reserve, self.hoisted_decls(l), self.push_record(l))
    }

    /// Before loop `top`: reserves in one go the stacks of the `for` loops
    /// nested in it whose bounds are all known before it (trip counts
    /// multiply), so those stacks never grow.
    fn nested_reserve(&mut self, top: usize, range: &RangeSpec, body: &Block) -> TokenStream {
        let mut out = TokenStream::new();
        let outside = |g: &Self, v: V| {
            let l = g.info.loop_of[v];
            !(l == top || g.info.encloses(top, l))
        };
        let bounds_outside = |g: &Self, r: &RangeSpec| {
            let mut vs = vec![r.lo, r.hi];
            for a in &r.adapters {
                if let RangeAdapter::StepBy(k) = a {
                    vs.push(*k);
                }
            }
            vs.into_iter().all(|v| outside(g, v))
        };
        if !bounds_outside(self, range) {
            return out;
        }
        let mut stack: Vec<(&Block, Vec<TokenStream>)> = vec![(body, vec![self.range_fwd(range)])];
        while let Some((b, chain)) = stack.pop() {
            for s in &b.stmts {
                let nested_blocks: Vec<&Block> = match s {
                    Stmt::If { then, els, .. } => vec![then, els],
                    _ => Vec::new(),
                };
                for nb in nested_blocks {
                    stack.push((nb, chain.clone()));
                }
                if let Stmt::For { idx, range: r, body: inner, .. } = s {
                    if !bounds_outside(self, r) {
                        continue;
                    }
                    let l = self.info.loop_id[idx];
                    let mut c = chain.clone();
                    c.push(self.range_fwd(r));
                    if !self.slots[l].is_empty() && !self.reserved[l] {
                        let st = naming::stack(l);
                        let hints: Vec<TokenStream> = c.iter().map(|it| quote!(::core::iter::Iterator::size_hint(&#it).0)).collect();
                        out.extend(quote!(#st.reserve(1usize #(.saturating_mul(#hints))*);));
                        self.reserved[l] = true;
                    }
                    stack.push((inner, c));
                }
            }
        }
        out
    }

    fn fwd_def(&mut self, v: V, op: &Op, mode: Mode) -> TokenStream {
        if let Op::Param(_) = op {
            return TokenStream::new();
        }
        if let Op::Call { callee, args, .. } = op {
            if self.info.call_active(v, op) {
                return self.fwd_call(v, callee, args, mode);
            }
        }
        let rhs = self.primal(op);
        let mut out = self.bind(v, rhs);
        if mode == Mode::Jvp && self.active(v) {
            let d = naming::tan(v);
            let t = self.tangent_expr(v, op);
            out.extend(quote!(let #d = #t;));
        }
        out
    }

    fn tangent_expr(&mut self, v: V, op: &Op) -> TokenStream {
        self.fwd_rules = true;
        let t = self.tangent_expr_inner(v, op);
        self.fwd_rules = false;
        t
    }

    fn tangent_expr_inner(&self, v: V, op: &Op) -> TokenStream {
        let mut terms: Vec<TokenStream> = Vec::new();
        match op {
            Op::Copy(a) => terms.extend(self.tangent_of(*a)),
            Op::Neg(a) => terms.extend(self.tangent_of(*a).map(|d| quote!((-#d)))),
            Op::Proj(c, k) => {
                let k = syn::Index::from(*k);
                let d = naming::tan(*c);
                terms.push(quote!(#d.#k));
            }
            Op::Read(a, i) => {
                if self.arr_active(*a) {
                    let (da, i) = (naming::tan_arr(*a), self.v(*i));
                    terms.push(quote!(#da[#i]));
                }
            }
            Op::Bin(..) | Op::Math { .. } => {
                let (ts, _) = self.rule_terms(v, op, &|a| self.tangent_of(a));
                terms.extend(ts.into_iter().map(|(_, t)| t));
            }
            _ => {}
        }
        if terms.is_empty() {
            return self.zero();
        }
        let first = &terms[0];
        let rest = &terms[1..];
        quote!(#first #(+ #rest)*)
    }

    fn fwd_call(&mut self, v: V, callee: &Callee, args: &[Arg], mode: Mode) -> TokenStream {
        let argt: Vec<_> = args.iter().map(|a| self.arg_tokens(a)).collect();
        let name = self.v(v);
        match mode {
            Mode::Jvp => {
                let path = Self::callee_path(callee, "jvp");
                let tans: Vec<TokenStream> = args
                    .iter()
                    .map(|a| match a {
                        Arg::Scalar(x) if self.active(*x) => {
                            let d = naming::tan(*x);
                            quote!(::leibniz::__private::Tan::Scalar(#d))
                        }
                        Arg::ArrRef(x, _) | Arg::ArrVal(x, _) if self.arr_active(*x) => {
                            let d = naming::tan_arr(*x);
                            quote!(::leibniz::__private::Tan::Slice(&#d[..]))
                        }
                        Arg::ArrMut(x, _) if self.arr_active(*x) => {
                            let d = naming::tan_arr(*x);
                            quote!(::leibniz::__private::Tan::SliceMut(&mut #d[..]))
                        }
                        _ => quote!(::leibniz::__private::Tan::Zero),
                    })
                    .collect();
                let d = naming::tan(v);
                quote!(let (#name, #d) = #path(#(#argt,)* [#(#tans),*]);)
            }
            Mode::Record => {
                let path = Self::callee_path(callee, "rec");
                let r = naming::indexed("__call", v);
                let t = naming::indexed("__t", v);
                // Read-only arrays the callee's backward sweep reads are
                // handed back to it then; the caller's own read-only
                // parameters are at hand, anything else is snapshot.
                let supply: Vec<bool> = args.iter().map(|a| matches!(a, Arg::ArrRef(..))).collect();
                let mut out = quote!(let #r = #path(#(#argt,)* [#(#supply),*]););
                out.extend(self.bind(v, quote!(#r.0)));
                if self.tape_call[v] {
                    let extra = naming::named("__extra");
                    let mut parts = vec![quote!(#r.1)];
                    out.extend(quote!(#extra += #r.1.bytes();));
                    for a in args {
                        if let Arg::ArrRef(x, _) = a {
                            if self.f.arrays[*x].kind != ArrKind::ParamRef {
                                let name = self.arr(*x);
                                parts.push(quote!(#name.to_vec()));
                            }
                        }
                    }
                    let n_snap = parts.len() - 1;
                    let snaps: Vec<TokenStream> = (1..=n_snap)
                        .map(|k| {
                            let k = syn::Index::from(k);
                            quote!(::leibniz::__private::vec_bytes(&#t.#k))
                        })
                        .collect();
                    if self.tape_hoisted(v) {
                        out.extend(quote!(#t = ::core::option::Option::Some((#(#parts,)*));));
                        if n_snap > 0 {
                            out.extend(quote!(if let ::core::option::Option::Some(#t) = &#t { #extra += 0 #(+ #snaps)*; }));
                        }
                    } else {
                        out.extend(quote!(let #t = (#(#parts,)*);));
                        if n_snap > 0 {
                            out.extend(quote!(#extra += 0 #(+ #snaps)*;));
                        }
                    }
                }
                out
            }
        }
    }

    fn fwd_arr_new(&mut self, a: A, init: &ArrInit, mode: Mode) -> TokenStream {
        let name = self.arr(a);
        let kind = self.f.arrays[a].kind;
        let fixed_kind = kind == ArrKind::LocalArr;
        let n = self.len_tokens(a, false);
        let rhs = match init {
            ArrInit::Fill(x) => {
                let x = self.v(*x);
                if fixed_kind { quote!([#x; #n]) } else { quote!(::std::vec![#x; #n]) }
            }
            ArrInit::List(xs) => {
                let xs: Vec<_> = xs.iter().map(|x| self.v(*x)).collect();
                if fixed_kind { quote!([#(#xs),*]) } else { quote!(::std::vec![#(#xs),*]) }
            }
            ArrInit::FromCall(v) => self.v(*v),
            ArrInit::CopyOf(src) => {
                let s = self.arr(*src);
                let skind = self.f.arrays[*src].kind;
                if !fixed_kind {
                    quote!(#s.to_vec())
                } else if matches!(skind, ArrKind::ParamRef | ArrKind::ParamMut) {
                    quote!(*#s)
                } else {
                    quote!(#s)
                }
            }
        };
        let mut out = quote!(let mut #name = #rhs;);
        if mode == Mode::Jvp && self.arr_active(a) {
            let da = naming::tan_arr(a);
            let fixed = self.fixed(a);
            let z = self.zero();
            let t = match init {
                ArrInit::Fill(x) => {
                    let d = self.tangent_of(*x).unwrap_or_else(|| z.clone());
                    if fixed { quote!([#d; #n]) } else { quote!(::std::vec![#d; #n]) }
                }
                ArrInit::List(xs) => {
                    let ds: Vec<_> = xs.iter().map(|x| self.tangent_of(*x).unwrap_or_else(|| z.clone())).collect();
                    if fixed { quote!([#(#ds),*]) } else { quote!(::std::vec![#(#ds),*]) }
                }
                ArrInit::FromCall(v) => {
                    let op = self.def_op(*v);
                    if op.is_some_and(|op| self.info.call_active(*v, op)) {
                        naming::tan(*v).to_token_stream()
                    } else {
                        self.zeros_arr(a, false)
                    }
                }
                ArrInit::CopyOf(src) => {
                    if self.arr_active(*src) {
                        let ds = naming::tan_arr(*src);
                        if fixed {
                            let zs = self.zeros_arr(a, false);
                            quote!({ let mut __z = #zs; __z.copy_from_slice(&#ds[..]); __z })
                        } else {
                            quote!(#ds.to_vec())
                        }
                    } else {
                        self.zeros_arr(a, false)
                    }
                }
            };
            out.extend(quote!(let mut #da = #t;));
        }
        out
    }

    fn fwd_arr_assign(&mut self, a: A, init: &ArrInit, len: &Len, mode: Mode) -> TokenStream {
        let name = self.arr(a);
        let label = self.f.arrays[a].name.to_string();
        let n = match len {
            Len::Dyn(v) => self.v(*v),
            Len::Const(t) => t.clone(),
        };
        let mut out = quote!(::leibniz::__private::check_reassign(#label, #name.len(), #n););
        match init {
            ArrInit::Fill(x) => {
                let x = self.v(*x);
                out.extend(quote!(for __e in #name.iter_mut() { *__e = #x; }));
            }
            ArrInit::List(xs) => {
                for (k, x) in xs.iter().enumerate() {
                    let x = self.v(*x);
                    out.extend(quote!(#name[#k] = #x;));
                }
            }
            ArrInit::CopyOf(src) => {
                let s = self.arr(*src);
                out.extend(quote!(#name.copy_from_slice(&#s[..]);));
            }
            ArrInit::FromCall(v) => {
                let x = self.v(*v);
                out.extend(quote!(#name.copy_from_slice(&#x[..]);));
            }
        }
        if mode == Mode::Jvp && self.arr_active(a) {
            let da = naming::tan_arr(a);
            let z = self.zero();
            match init {
                ArrInit::Fill(x) => {
                    let d = self.tangent_of(*x).unwrap_or(z);
                    out.extend(quote!(for __e in #da.iter_mut() { *__e = #d; }));
                }
                ArrInit::List(xs) => {
                    for (k, x) in xs.iter().enumerate() {
                        let d = self.tangent_of(*x).unwrap_or_else(|| z.clone());
                        out.extend(quote!(#da[#k] = #d;));
                    }
                }
                ArrInit::FromCall(v) => {
                    let d = naming::tan(*v);
                    out.extend(quote!(#da.copy_from_slice(&#d[..]);));
                }
                ArrInit::CopyOf(src) => {
                    if self.arr_active(*src) {
                        let ds = naming::tan_arr(*src);
                        out.extend(quote!(#da.copy_from_slice(&#ds[..]);));
                    } else {
                        out.extend(quote!(for __e in #da.iter_mut() { *__e = #z; }));
                    }
                }
            }
        }
        out
    }

    // ----- backward sweep -------------------------------------------------

    fn adj(&self, v: V) -> TokenStream {
        naming::adj(v).to_token_stream()
    }

    fn acc(&self, v: V, x: TokenStream) -> TokenStream {
        let b = self.adj(v);
        quote!(#b = #b + #x;)
    }

    /// Runs the backward sweep generation once without keeping the code, to
    /// learn what it reads; then decides what to tape and what to recompute.
    pub fn plan(&mut self, top_seed_reads: &[V]) {
        self.dry = true;
        for v in top_seed_reads {
            self.needed[*v] = true;
        }
        let _ = self.top_backward(TokenStream::new());
        self.dry = false;
        // Close over recomputation: a recomputed value needs its inputs.
        let mut work: Vec<V> = (0..self.needed.len()).filter(|v| self.needed[*v]).collect();
        while let Some(v) = work.pop() {
            if self.info.is_index[v] {
                continue;
            }
            if self.info.avail[v] {
                if !self.recompute[v] {
                    self.recompute[v] = true;
                    let deps = self.def_op(v).map(|op| op.deps()).unwrap_or_default();
                    for d in deps {
                        if !self.needed[d] {
                            self.needed[d] = true;
                        }
                        if !self.recompute[d] && !self.taped[d] {
                            work.push(d);
                        }
                    }
                }
            } else {
                self.taped[v] = true;
            }
        }
        for v in 0..self.needed_tape.len() {
            if self.needed_tape[v] {
                self.tape_call[v] = true;
            }
        }
        // Slots: stored values by region, in definition order.
        for v in 0..self.taped.len() {
            if self.taped[v] {
                let l = self.info.loop_of[v];
                self.slots[l].push(Slot::Val(v));
            }
            if self.tape_call[v] {
                let l = self.info.loop_of[v];
                self.slots[l].push(Slot::Tape(v));
            }
        }
    }

    fn def_op(&self, v: V) -> Option<&'a Op> {
        let mut found = None;
        self.f.body.walk(&mut |s| {
            if let Stmt::Def { v: dv, op } = s {
                if *dv == v {
                    found = Some(op);
                }
            }
        });
        found
    }

    /// Values defined directly in `b` (and, for a `while`, its condition
    /// block), in definition order.
    fn defs_in(b: &Block, out: &mut Vec<(V, Op)>) {
        for s in &b.stmts {
            if let Stmt::Def { v, op } = s {
                out.push((*v, op.clone()));
            }
        }
    }

    /// Start of a block of the backward sweep: restore the values stored
    /// for this region (loop bodies), recompute the cheap ones, declare the
    /// adjoints of this block's values.
    fn prologue(&mut self, blocks: &[&Block], block_id: usize, l: Option<usize>, carries: &[Carry]) -> TokenStream {
        let mut out = TokenStream::new();
        if self.dry {
            // The adjoint arrays allocated here read their lengths.
            for b in blocks {
                for s in &b.stmts {
                    if let Stmt::ArrNew { arr, .. } = s {
                        if self.arr_active(*arr) {
                            let _ = self.len_tokens(*arr, true);
                        }
                    }
                }
            }
            return out;
        }
        if let Some(l) = l {
            if !self.slots[l].is_empty() {
                let it = naming::cursor(l);
                let rec = naming::named("__rec");
                out.extend(quote!(let #rec = ::leibniz::__private::next_rec(&mut #it);));
                for (k, slot) in self.slots[l].clone().into_iter().enumerate() {
                    let k = syn::Index::from(k);
                    match slot {
                        Slot::Val(v) => {
                            let name = self.v(v);
                            if matches!(self.f.class(v), Class::F | Class::Int | Class::Bool) {
                                out.extend(quote!(let #name = #rec.#k;));
                            } else {
                                out.extend(quote!(let #name = ::core::clone::Clone::clone(&#rec.#k);));
                            }
                        }
                        Slot::Tape(v) => {
                            let t = naming::indexed("__t", v);
                            out.extend(quote!(let #t = &#rec.#k;));
                        }
                    }
                }
            }
        }
        let mut defs = Vec::new();
        for b in blocks {
            Self::defs_in(b, &mut defs);
        }
        for (v, op) in &defs {
            if self.recompute[*v] && !matches!(op, Op::Param(_)) && self.info.block_of[*v] == block_id {
                let rhs = self.primal(op);
                let name = self.v(*v);
                out.extend(quote!(let #name = #rhs;));
            }
        }
        // Adjoint declarations.
        let z = self.zero();
        let mut declared = Vec::new();
        for c in carries {
            declared.push(c.phi);
        }
        for b in blocks {
            for s in &b.stmts {
                match s {
                    Stmt::Def { v, .. } => declared.push(*v),
                    Stmt::If { phis, .. } => declared.extend(phis.iter().map(|p| p.out)),
                    Stmt::For { carried, .. } | Stmt::While { carried, .. } => declared.extend(carried.iter().map(|c| c.out)),
                    _ => {}
                }
            }
        }
        for v in declared {
            if self.active(v) {
                let b = self.adj(v);
                out.extend(quote!(let mut #b = #z;));
            }
        }
        for b in blocks {
            for s in &b.stmts {
                if let Stmt::ArrNew { arr, .. } = s {
                    if self.arr_active(*arr) {
                        let ba = naming::adj_arr(*arr);
                        let zs = self.zeros_arr(*arr, true);
                        out.extend(quote!(let mut #ba = #zs;));
                    }
                }
            }
        }
        out
    }


    fn bwd_stmt(&mut self, s: &Stmt) -> TokenStream {
        match s {
            Stmt::Def { v, op } => self.bwd_def(*v, op),
            Stmt::Store { arr, idx, val } => {
                if !self.arr_active(*arr) {
                    return TokenStream::new();
                }
                let ba = naming::adj_arr(*arr);
                let i = self.need(*idx);
                let z = self.zero();
                let mut out = TokenStream::new();
                if self.active(*val) {
                    out.extend(self.acc(*val, quote!(#ba[#i])));
                }
                out.extend(quote!(#ba[#i] = #z;));
                out
            }
            Stmt::ArrNew { arr, init } => self.bwd_arr_init(*arr, init, false),
            Stmt::ArrAssign { arr, init, .. } => self.bwd_arr_init(*arr, init, true),
            Stmt::If { cond, then, els, phis } => {
                let mut seed_t = TokenStream::new();
                let mut seed_e = TokenStream::new();
                for p in phis {
                    if !self.active(p.out) {
                        continue;
                    }
                    let bo = self.adj(p.out);
                    if self.active(p.a) {
                        seed_t.extend(self.acc(p.a, bo.clone()));
                    }
                    if self.active(p.b) {
                        seed_e.extend(self.acc(p.b, bo));
                    }
                }
                let then_id = self.block_id_of(then);
                let els_id = self.block_id_of(els);
                let t = self.bwd_arm(then, then_id, seed_t);
                let e = self.bwd_arm(els, els_id, seed_e);
                if t.is_empty() && e.is_empty() {
                    return TokenStream::new();
                }
                let c = self.need(*cond);
                quote!(if #c { #t } else { #e })
            }
            Stmt::For { idx, range, carried, body } => {
                let l = self.info.loop_id[idx];
                let code = self.bwd_loop_body(&[body], l, carried);
                if code.is_empty() {
                    return TokenStream::new();
                }
                let i = self.v(*idx);
                let it = self.range_bwd(range);
                let post = self.after_loop(carried);
                quote! {
                    for #i in #it { #code }
                    #post
                }
            }
            Stmt::While { cond_block, carried, body, trips, .. } => {
                let l = self.info.loop_id[trips];
                let code = self.bwd_loop_body(&[cond_block, body], l, carried);
                if code.is_empty() {
                    return TokenStream::new();
                }
                let n = self.need(*trips);
                let post = self.after_loop(carried);
                quote! {
                    for _ in 0..#n { #code }
                    #post
                }
            }
        }
    }

    fn block_id_of(&self, b: &Block) -> usize {
        // The id of a block is the block of any value defined in it; empty
        // blocks define nothing, so any id works for them.
        for s in &b.stmts {
            match s {
                Stmt::Def { v, .. } => return self.info.block_of[*v],
                Stmt::If { phis, .. } if !phis.is_empty() => return self.info.block_of[phis[0].out],
                Stmt::For { carried, .. } | Stmt::While { carried, .. } if !carried.is_empty() => {
                    return self.info.block_of[carried[0].out];
                }
                Stmt::While { trips, .. } => return self.info.block_of[*trips],
                _ => {}
            }
        }
        usize::MAX
    }

    fn bwd_arm(&mut self, b: &Block, id: usize, seed: TokenStream) -> TokenStream {
        let mut body = TokenStream::new();
        for s in b.stmts.iter().rev() {
            body.extend(self.bwd_stmt(s));
        }
        if body.is_empty() && seed.is_empty() {
            return TokenStream::new();
        }
        let pro = self.prologue(&[b], id, None, &[]);
        quote!(#pro #seed #body)
    }

    fn bwd_loop_body(&mut self, blocks: &[&Block], l: usize, carried: &[Carry]) -> TokenStream {
        let mut body = TokenStream::new();
        for b in blocks.iter().rev() {
            for s in b.stmts.iter().rev() {
                body.extend(self.bwd_stmt(s));
            }
        }
        let mut seed = TokenStream::new();
        let mut post = TokenStream::new();
        let mut any_carry = false;
        for c in carried {
            if !self.active(c.out) {
                continue;
            }
            any_carry = true;
            let bo = self.adj(c.out);
            if self.active(c.next) {
                seed.extend(self.acc(c.next, bo.clone()));
            }
            let bp = self.adj(c.phi);
            post.extend(quote!(#bo = #bp;));
        }
        if body.is_empty() && !any_carry {
            return TokenStream::new();
        }
        let id = self.info.loop_block[l];
        let pro = self.prologue(blocks, id, Some(l), carried);
        quote!(#pro #seed #body #post)
    }

    fn after_loop(&self, carried: &[Carry]) -> TokenStream {
        let mut out = TokenStream::new();
        for c in carried {
            if self.active(c.out) && self.active(c.init) {
                out.extend(self.acc(c.init, self.adj(c.out)));
            }
        }
        out
    }

    fn bwd_def(&mut self, v: V, op: &Op) -> TokenStream {
        if let Op::Call { callee: _, args, .. } = op {
            if self.info.call_active(v, op) {
                return self.bwd_call(v, args);
            }
            return TokenStream::new();
        }
        if !self.active(v) {
            return TokenStream::new();
        }
        let bv = self.adj(v);
        match op {
            Op::Copy(a) => {
                if self.active(*a) {
                    return self.acc(*a, bv);
                }
                TokenStream::new()
            }
            Op::Neg(a) => {
                if self.active(*a) {
                    return self.acc(*a, quote!((-#bv)));
                }
                TokenStream::new()
            }
            Op::Read(a, i) => {
                if !self.arr_active(*a) {
                    return TokenStream::new();
                }
                let ba = naming::adj_arr(*a);
                let i = self.need(*i);
                quote!(#ba[#i] = #ba[#i] + #bv;)
            }
            Op::Bin(..) | Op::Math { .. } => {
                let (ts, reads) = self.rule_terms(v, op, &|a| if self.active(a) { Some(bv.clone()) } else { None });
                for r in reads {
                    self.needed[r] = true;
                }
                let mut out = TokenStream::new();
                for (a, t) in ts {
                    out.extend(self.acc(a, t));
                }
                out
            }
            _ => TokenStream::new(),
        }
    }

    /// The terms `∂v/∂a · m(a)` of a rule, for each argument `a` where
    /// `m(a)` is given, and the primal values those partials read.
    fn rule_terms(&self, v: V, op: &Op, m: &dyn Fn(V) -> Option<TokenStream>) -> (Vec<(V, TokenStream)>, Vec<V>) {
        let float = self.float.clone();
        let res = self.v(v);
        let (args, int_arg): (Vec<V>, Option<V>) = match op {
            Op::Bin(_, x, y) => (vec![*x, *y], None),
            Op::Math { args, int_arg, .. } => (args.clone(), *int_arg),
            _ => return (Vec::new(), Vec::new()),
        };
        let targs: Vec<TokenStream> = args.iter().map(|a| self.v(*a)).collect();
        let n = int_arg.map(|n| self.v(n));
        let mut terms = Vec::new();
        let mut reads = Vec::new();
        for (k, a) in args.iter().enumerate() {
            let Some(mult) = m(*a) else { continue };
            let mut ctx = Ctx::new(&targs, &res, n.as_ref(), &float);
            ctx.result_free = self.fwd_rules;
            let partial = match op {
                Op::Bin(b, ..) => rules::bin_partial(*b, k, &ctx),
                Op::Math { fun, .. } => rules::math_partial(fun, k, &ctx),
                _ => Partial::Zero,
            };
            if let Some(t) = partial.apply(&mult) {
                terms.push((*a, t));
                let (ua, ur) = ctx.used();
                for (j, used) in ua.iter().enumerate() {
                    if *used {
                        reads.push(args[j]);
                    }
                }
                if ur {
                    reads.push(v);
                }
                if let Some(n) = int_arg {
                    reads.push(n);
                }
            }
        }
        (terms, reads)
    }

    fn bwd_call(&mut self, v: V, args: &[Arg]) -> TokenStream {
        self.needed_tape[v] = true;
        let t = naming::indexed("__t", v);
        let access = if self.tape_hoisted_plan(v) {
            quote!(::leibniz::__private::recorded(&#t))
        } else {
            quote!((&#t))
        };
        let z = self.zero();
        let tt = naming::named("__tt");
        let mut snap = 0;
        let arrs: Vec<TokenStream> = args
            .iter()
            .map(|a| match a {
                Arg::ArrRef(x, _) if self.f.arrays[*x].kind == ArrKind::ParamRef => {
                    let name = self.arr(*x);
                    quote!(::core::option::Option::Some(&#name[..]))
                }
                Arg::ArrRef(..) => {
                    snap += 1;
                    let k = syn::Index::from(snap);
                    quote!(::core::option::Option::Some(&#tt.#k[..]))
                }
                _ => quote!(::core::option::Option::None),
            })
            .collect();
        // The same array passed twice: the second shadow is a scratch added
        // in afterwards (two `&mut` borrows of one shadow cannot coexist).
        let mut seen: Vec<A> = Vec::new();
        let mut seen_scalars: Vec<V> = Vec::new();
        let mut pre = TokenStream::new();
        let mut post = TokenStream::new();
        let mut sinks = Vec::new();
        for (k, a) in args.iter().enumerate() {
            sinks.push(match a {
                Arg::Scalar(x) if self.active(*x) => {
                    let b = self.adj(*x);
                    if seen_scalars.contains(x) {
                        let d = naming::indexed("__dup", k);
                        pre.extend(quote!(let mut #d = #z;));
                        post.extend(quote!(#b = #b + #d;));
                        quote!(::leibniz::__private::Sink::Scalar(&mut #d))
                    } else {
                        seen_scalars.push(*x);
                        quote!(::leibniz::__private::Sink::Scalar(&mut #b))
                    }
                }
                Arg::ArrRef(x, _) | Arg::ArrVal(x, _) | Arg::ArrMut(x, _) if self.arr_active(*x) => {
                    let b = naming::adj_arr(*x);
                    if seen.contains(x) {
                        let d = naming::indexed("__dup", k);
                        pre.extend(quote!(let mut #d = ::std::vec![#z; #b.len()];));
                        post.extend(quote!(for __k in 0..#d.len() { #b[__k] = #b[__k] + #d[__k]; }));
                        quote!(::leibniz::__private::Sink::Slice(&mut #d[..]))
                    } else {
                        seen.push(*x);
                        quote!(::leibniz::__private::Sink::Slice(&mut #b[..]))
                    }
                }
                _ => quote!(::leibniz::__private::Sink::Discard),
            });
        }
        let dout = match self.tuple_of(v) {
            Some(k) => {
                let parts: Vec<TokenStream> = (0..k)
                    .map(|i| match self.proj.get(&(v, i)) {
                        Some(p) if self.active(*p) => self.adj(*p),
                        _ => z.clone(),
                    })
                    .collect();
                quote!(::core::option::Option::Some((#(#parts,)*)))
            }
            None => match self.from_call.get(&v) {
                Some(a) if self.arr_active(*a) => {
                    let ba = naming::adj_arr(*a);
                    quote!(::core::option::Option::Some(::leibniz::__private::FromSlice::from_slice(&#ba[..])))
                }
                Some(_) => quote!(::core::option::Option::None),
                None if self.active(v) => {
                    let b = self.adj(v);
                    quote!(::core::option::Option::Some(#b))
                }
                None => quote!(::core::option::Option::None),
            },
        };
        quote!({
            let #tt = #access;
            #pre
            (#tt.0.__pullback())([#(#arrs),*], [#(#sinks),*], #dout);
            #post
        })
    }

    fn tape_hoisted_plan(&self, v: V) -> bool {
        self.info.block_of[v] != self.info.loop_block[self.info.loop_of[v]]
    }

    fn tuple_of(&self, v: V) -> Option<usize> {
        match self.def_op(v) {
            Some(Op::Call { tuple, .. }) => *tuple,
            _ => None,
        }
    }

    fn bwd_arr_init(&mut self, a: A, init: &ArrInit, reset: bool) -> TokenStream {
        if !self.arr_active(a) {
            return TokenStream::new();
        }
        let ba = naming::adj_arr(a);
        let mut out = TokenStream::new();
        match init {
            ArrInit::Fill(x) => {
                if self.active(*x) {
                    out.extend(self.acc(*x, quote!(::leibniz::__private::sum(&#ba[..]))));
                }
            }
            ArrInit::List(xs) => {
                for (k, x) in xs.iter().enumerate() {
                    if self.active(*x) {
                        out.extend(self.acc(*x, quote!(#ba[#k])));
                    }
                }
            }
            ArrInit::FromCall(_) => {}
            ArrInit::CopyOf(src) => {
                if self.arr_active(*src) {
                    let bs = naming::adj_arr(*src);
                    out.extend(quote!(for __k in 0..#ba.len() { #bs[__k] = #bs[__k] + #ba[__k]; }));
                }
            }
        }
        if reset {
            let z = self.zero();
            out.extend(quote!(for __e in #ba.iter_mut() { *__e = #z; }));
        }
        out
    }

    // ----- whole functions -------------------------------------------------

    /// Stack declarations and the byte count of the tape.
    pub fn tape_parts(&self) -> (TokenStream, TokenStream, TokenStream) {
        let mut decls = TokenStream::new();
        let mut bytes = Vec::new();
        let mut cursors = TokenStream::new();
        for l in 1..self.slots.len() {
            if self.slots[l].is_empty() {
                continue;
            }
            let s = naming::stack(l);
            let it = naming::cursor(l);
            decls.extend(quote!(let mut #s = ::std::vec::Vec::new();));
            bytes.push(quote!(::leibniz::__private::vec_bytes(&#s)));
            cursors.extend(quote!(let mut #it = #s.iter().rev();));
        }
        for slot in &self.slots[0] {
            match *slot {
                Slot::Val(v) => {
                    let name = self.v(v);
                    bytes.push(quote!(::leibniz::__private::val_bytes(&#name)));
                }
                Slot::Tape(_) => {}
            }
        }
        let extra = naming::named("__extra");
        decls.extend(quote!(let mut #extra: usize = 0;));
        bytes.push(quote!(#extra));
        (decls, quote!(0usize #(+ #bytes)*), cursors)
    }

    /// Emits the top-level backward sweep, given the result seeding code.
    pub fn top_backward(&mut self, seed: TokenStream) -> TokenStream {
        let body = &self.f.body;
        let mut code = TokenStream::new();
        for s in body.stmts.iter().rev() {
            code.extend(self.bwd_stmt(s));
        }
        let pro = self.prologue(&[body], 0, None, &[]);
        quote!(#pro #seed #code)
    }



    pub fn is_active(&self, v: V) -> bool {
        self.active(v)
    }

    pub fn is_arr_active(&self, a: A) -> bool {
        self.arr_active(a)
    }

    pub fn val(&self, v: V) -> TokenStream {
        self.v(v)
    }

    pub fn arr_name(&self, a: A) -> TokenStream {
        self.arr(a)
    }

    pub fn zeros_array(&mut self, a: A, in_bwd: bool) -> TokenStream {
        self.zeros_arr(a, in_bwd)
    }

}

