//! Prints IR as CUDA C++ (what `#[kernel]` compiles with NVRTC).
//!
//! The same IR the Rust backend prints (a primal, its tangent program, the
//! forward and backward sweeps of reverse mode) is printed as the body of a
//! `__device__` function or of a `__global__` kernel:
//!
//! * every SSA value is a `const`-free local (`double v12 = ...;`), every
//!   region a C++ block; phis are declared before their `if`, loop carries
//!   are locals updated at the end of each iteration;
//! * primitives print from the rule registry ([`crate::rules`]):
//!   [`Print::Method`] as the CUDA math function (`sin`, `sinf` at `f32`,
//!   `log` for `ln`, `fabs` for `abs`, ..; overloaded `lz_sin` in generic
//!   device functions) and [`Print::Helper`] as `lz_name(..)` from the
//!   kernel prelude ([`prelude`]), which defines each helper as the runtime
//!   does (`leibniz::__private`);
//! * the tape of reverse mode is a per-thread stack in local memory
//!   (`lz_tf` for floats, `lz_ti` for integers and booleans) whose size the
//!   macro bounds statically ([`tape_bound`]);
//! * calls of differentiable functions print as calls of their device
//!   versions through placeholders (`@0@`, `@1@`, ..) that the run-time
//!   assembly (`leibniz::gpu::assemble`) replaces by the callees' mangled
//!   names; constants of the user's (`N`, `PI`) print as placeholders
//!   `@c0@`, .. whose values Rust formats at run time.
//!
//! What has no CUDA form (allocation, `Vec`, I/O and other macros, method
//! calls, structs, slices of slices, opaque expressions) is reported at the
//! user's tokens, never printed.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};

use crate::ir::*;
use crate::rules::{self, Print};

/// How a storage variable is printed.
#[derive(Clone, Debug)]
pub enum VarRepr {
    /// A global array: `name[i]`; `len` is its length expression;
    /// accumulations are `atomicAdd` when `atomic`.
    Ptr { name: String, len: String, atomic: bool },
    /// A scalar lvalue (a local accumulator).
    Local(String),
}

/// What several printers of one CUDA source share: the callees (device
/// functions, by path) and the run-time constants, numbered in order of
/// first use.
#[derive(Default)]
pub struct Shared {
    /// Callee paths as written (printed as `@k@`).
    pub deps: RefCell<Vec<syn::Path>>,
    /// Rust expressions whose values are printed at run time (`@ck@`).
    pub consts: RefCell<Vec<TokenStream>>,
    /// Errors: what cannot be emitted as CUDA.
    pub errors: RefCell<Vec<(Span, String)>>,
    /// Whether a constant needs run-time evaluation but must not get it
    /// (generic device functions): reported as an error instead.
    pub no_runtime_consts: Option<String>,
    /// Float generic names of a generic function (`T`): `T::zero()` etc.
    pub float_generics: Vec<String>,
}

impl Shared {
    pub fn error(&self, span: Span, msg: impl Into<String>) {
        let mut e = self.errors.borrow_mut();
        let msg = msg.into();
        if !e.iter().any(|(_, m)| *m == msg) {
            e.push((span, msg));
        }
    }

    fn dep(&self, p: &syn::Path) -> usize {
        let key = p.to_token_stream().to_string();
        let mut d = self.deps.borrow_mut();
        if let Some(k) = d.iter().position(|q| q.to_token_stream().to_string() == key) {
            return k;
        }
        d.push(p.clone());
        d.len() - 1
    }

    /// A placeholder for a Rust constant expression.
    pub fn konst(&self, t: TokenStream) -> usize {
        let key = t.to_string();
        let mut c = self.consts.borrow_mut();
        if let Some(k) = c.iter().position(|q| q.to_string() == key) {
            return k;
        }
        c.push(t);
        c.len() - 1
    }
}

/// The float type of printed code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fty {
    F32,
    F64,
    /// The template parameter `LZF` of a generic device function.
    Generic,
}

impl Fty {
    pub fn name(&self) -> &'static str {
        match self {
            Fty::F32 => "float",
            Fty::F64 => "double",
            Fty::Generic => "LZF",
        }
    }

    pub fn from_type(t: Option<&syn::Type>, generics: &[String]) -> Option<Fty> {
        let t = t?;
        let s = t.to_token_stream().to_string().replace(' ', "");
        match s.as_str() {
            "f32" | "core::primitive::f32" | "std::primitive::f32" => Some(Fty::F32),
            "f64" | "core::primitive::f64" | "std::primitive::f64" => Some(Fty::F64),
            s if generics.iter().any(|g| g == s) => Some(Fty::Generic),
            _ => None,
        }
    }
}

/// Prints one function of the IR.
pub struct Printer<'a> {
    pub f: &'a Func,
    pub fty: Fty,
    /// Expressions of the by-value parameter slots (`f.params`).
    pub params: Vec<Option<String>>,
    /// Representations of storage variables (parameters, overrides).
    pub vars: HashMap<Var, VarRepr>,
    pub shared: &'a Shared,
    /// Where errors without a better place go (the function's name).
    pub span: Span,
    defs: HashMap<V, Op>,
}

/// A C++ name for the user's identifier (never a keyword, never a name of
/// the printer's).
pub fn ident(prefix: &str, name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    format!("{prefix}_{clean}")
}

fn val(v: V) -> String {
    format!("v{v}")
}

impl<'a> Printer<'a> {
    pub fn new(f: &'a Func, fty: Fty, shared: &'a Shared, span: Span) -> Self {
        let mut defs = HashMap::new();
        collect_defs(&f.body, &mut defs);
        Printer { f, fty, params: vec![None; f.params.len()], vars: HashMap::new(), shared, span, defs }
    }

    fn err(&self, span: Span, msg: impl Into<String>) -> String {
        self.shared.error(span, msg);
        "/*error*/0".to_string()
    }

    fn vspan(&self, v: V) -> Span {
        self.f.values.get(v).map(|i| i.span).unwrap_or(self.span)
    }

    pub fn ft(&self) -> &'static str {
        self.fty.name()
    }

    /// The C++ type of a value.
    pub fn ty_of(&self, v: V) -> String {
        let info = &self.f.values[v];
        match info.ty {
            Ty::F => self.ft().to_string(),
            Ty::Bool => "bool".to_string(),
            Ty::Int => info.rty.as_ref().and_then(int_type).unwrap_or("long long").to_string(),
            Ty::Unit => "void".to_string(),
            Ty::Val | Ty::Const => "auto".to_string(),
        }
    }

    fn fixed_len(&self, x: Var) -> Option<String> {
        match &self.f.vars[x].shape {
            Shape::Array(_, ArrKind::Fixed(n)) => Some(self.len_tokens(n)),
            _ => None,
        }
    }

    /// An array length written as Rust tokens (`3`, `N`).
    fn len_tokens(&self, n: &TokenStream) -> String {
        match syn::parse2::<syn::LitInt>(n.clone()) {
            Ok(l) => l.base10_digits().to_string(),
            Err(_) => self.runtime_const(n.clone(), quote!(usize), self.span),
        }
    }

    fn runtime_const(&self, t: TokenStream, as_ty: TokenStream, span: Span) -> String {
        if let Some(why) = &self.shared.no_runtime_consts {
            return self.err(span, format!("the constant `{t}` cannot be emitted as CUDA here: {why}"));
        }
        if !const_expr_ok(&t) {
            return self.err(span, format!("`{t}` cannot be emitted as CUDA: a #[kernel] body may use literals and constants (`N`, `PI`, `N as f64`); compute other values in Rust and pass them as parameters"));
        }
        let k = self.shared.konst(if as_ty.is_empty() { t } else { quote!((#t) as #as_ty) });
        format!("@c{k}@")
    }

    fn var_repr(&self, x: Var) -> VarRepr {
        if let Some(r) = self.vars.get(&x) {
            return r.clone();
        }
        VarRepr::Local(format!("x{x}"))
    }

    // ----- places -------------------------------------------------------

    fn place(&self, p: &Place) -> String {
        let base = match self.var_repr(p.var) {
            VarRepr::Ptr { name, .. } => name,
            VarRepr::Local(n) => n,
        };
        let mut e = base;
        for pr in &p.path {
            match pr {
                Proj::Index(i) | Proj::At(i) => {
                    let _ = write!(e, "[{}]", val(*i));
                }
                Proj::Field(_) => {
                    return self.err(self.span, "struct fields are not supported in a #[kernel] body; pass the fields as separate parameters");
                }
                Proj::Slice(..) => {
                    return self.err(self.span, "sub-slices (`&x[a..b]`) are not supported in a #[kernel] body; index the whole slice with an offset");
                }
            }
        }
        e
    }

    fn len(&self, p: &Place) -> String {
        if !p.path.is_empty() {
            return self.err(self.span, "`.len()` of a part of an array is not supported in a #[kernel] body");
        }
        match self.var_repr(p.var) {
            VarRepr::Ptr { len, .. } => len,
            VarRepr::Local(_) => match self.fixed_len(p.var) {
                Some(n) => format!("(unsigned long long)({n})"),
                None => self.err(self.span, "`.len()` of this value is not supported in a #[kernel] body"),
            },
        }
    }

    // ----- expressions ----------------------------------------------------

    fn lit_f(&self, x: f64) -> String {
        match self.fty {
            Fty::F64 => f64_lit(x),
            Fty::F32 => f32_lit(x as f32),
            Fty::Generic => format!("((LZF){})", f64_lit(x)),
        }
    }

    fn op(&self, v: V, o: &Op) -> String {
        let sp = self.vspan(v);
        match o {
            Op::Lit(l) => match l {
                Lit::Float(x) => self.lit_f(*x),
                Lit::Zero => self.lit_f(0.0),
                Lit::One => self.lit_f(1.0),
                Lit::Int(t) => int_lit(t).unwrap_or_else(|| self.err(sp, format!("the integer literal `{t}` cannot be emitted as CUDA"))),
                Lit::Bool(b) => b.to_string(),
                Lit::Tokens(t) => self.tokens_const(v, t, sp),
                Lit::Unit => String::new(),
            },
            Op::Param(k) => match self.params.get(*k).cloned().flatten() {
                Some(n) => n,
                None => self.err(sp, "internal: a parameter without a CUDA name"),
            },
            Op::Un(UnOp::Neg, a) => format!("-{}", val(*a)),
            Op::Un(UnOp::Not, a) => {
                if self.f.ty(*a) == Ty::Bool {
                    format!("!{}", val(*a))
                } else {
                    format!("~{}", val(*a))
                }
            }
            Op::Bin(b, x, y) => {
                if *b == BinOp::Rem && (self.f.ty(*x) == Ty::F || self.f.ty(*y) == Ty::F) {
                    return format!("lz_rem({}, {})", val(*x), val(*y));
                }
                format!("{} {} {}", val(*x), bin_str(*b), val(*y))
            }
            Op::Prim(name, args) => self.prim(name, args, sp),
            Op::Cast(a, t) => {
                let cty = if self.f.ty(v) == Ty::F {
                    Some(self.ft())
                } else {
                    cast_type(t)
                };
                match cty {
                    Some(c) => format!("({c})({})", val(*a)),
                    None => self.err(sp, format!("the cast to `{}` cannot be emitted as CUDA", t.to_token_stream())),
                }
            }
            Op::Read(p) => self.place(p),
            Op::Len(p) => self.len(p),
            Op::Opaque { tokens, span, .. } => self.err(*span, format!("`{tokens}` cannot be emitted as CUDA: a #[kernel] body may use arithmetic, comparisons, float methods, casts, indexing of its slices and calls of #[differentiable] functions")),
            Op::Extract { .. } => self.err(sp, "enum patterns are not supported in a #[kernel] body"),
            Op::Call(c) => self.call(c),
            Op::Tuple(xs) => {
                let xs: Vec<String> = xs.iter().map(|x| val(*x)).collect();
                format!("lz_mk({})", xs.join(", "))
            }
            Op::Get(a, k) => format!("lz_get<{k}>({})", val(*a)),
            Op::Field(..) | Op::Struct { .. } => self.err(sp, "structs are not supported in a #[kernel] body; pass their fields as separate parameters"),
            Op::Index(a, i) => format!("{}[{}]", val(*a), val(*i)),
            Op::Array(_) => self.err(sp, "an array value is only supported as the initial value of a local array (`let mut a = [x, y, z];`) in a #[kernel] body"),
            Op::VecLit(_) | Op::Repeat { vec: true, .. } => self.err(sp, ALLOC),
            Op::Repeat { .. } => self.err(sp, "an array value is only supported as the initial value of a local array (`let mut a = [0.0; N];`) in a #[kernel] body"),
            Op::ZeroLike(a) => format!("lz_zero_like({})", val(*a)),
            Op::Copy(a) => val(*a),
        }
    }

    /// A constant the lowering kept as tokens: `T::zero()` in generic code,
    /// else a run-time constant.
    fn tokens_const(&self, v: V, t: &TokenStream, sp: Span) -> String {
        let s = t.to_string().replace(' ', "");
        if s.contains("__private::dummy") {
            return self.err(sp, "this control flow (a value assigned on some paths only: `break` with a value, an early `return`) is not supported in a #[kernel] body; assign every variable before branching");
        }
        for g in &self.shared.float_generics {
            for (m, cu) in [("zero()", "(LZF)0"), ("one()", "(LZF)1"), ("epsilon()", "lz_eps<LZF>()"), ("infinity()", "lz_inf<LZF>()"), ("neg_infinity()", "(-lz_inf<LZF>())"), ("nan()", "lz_nan<LZF>()")] {
                if s == format!("{g}::{m}") {
                    return cu.to_string();
                }
            }
        }
        let as_ty = match self.f.ty(v) {
            Ty::F => match self.fty {
                Fty::F32 => quote!(f32),
                Fty::F64 => quote!(f64),
                Fty::Generic => TokenStream::new(),
            },
            _ => TokenStream::new(),
        };
        self.runtime_const(t.clone(), as_ty, sp)
    }

    fn prim(&self, name: &str, args: &[V], sp: Span) -> String {
        let Some(rule) = rules::rule(name) else {
            return self.err(sp, format!("internal: unknown primitive `{name}`"));
        };
        let xs: Vec<String> = args.iter().map(|a| val(*a)).collect();
        let xs = xs.join(", ");
        match rule.print {
            Print::Method(m) => match self.fty {
                Fty::Generic => format!("lz_{m}({xs})"),
                _ => match method_cuda(m) {
                    MethodCuda::Math(c) => {
                        if self.fty == Fty::F32 {
                            format!("{c}f({xs})")
                        } else {
                            format!("{c}({xs})")
                        }
                    }
                    MethodCuda::Helper => format!("lz_{m}({xs})"),
                },
            },
            Print::Helper(h) => match h {
                "int_to_f" | "tan_cast" => format!("({})({xs})", self.ft()),
                _ => format!("lz_{h}({xs})"),
            },
        }
    }

    fn arg(&self, a: &Arg, span: Span) -> String {
        match a {
            Arg::Val(v) => val(*v),
            Arg::Zero => "lz_zero_t()".to_string(),
            Arg::Mut(p) if p.path.is_empty() => match self.var_repr(p.var) {
                VarRepr::Local(n) => format!("&{n}"),
                VarRepr::Ptr { .. } => self.err(span, SLICE_ARG),
            },
            Arg::Mut(p) | Arg::Reborrow(p) => format!("&{}", self.place(p)),
            Arg::Ref(_) | Arg::Recv(_) => self.err(span, SLICE_ARG),
            Arg::Tokens(t, _) => self.err(span, format!("the argument `{t}` cannot be emitted as CUDA")),
        }
    }

    fn call(&self, c: &Call) -> String {
        let span = c.span;
        let p = match &c.callee {
            Callee::Path(p) => p,
            Callee::Method(m) => return self.err(span, format!("the method call `.{m}(..)` cannot be emitted as CUDA: a #[kernel] body calls free #[differentiable] functions (`g(x)`, `m::g(x)`)")),
            Callee::Op(_) => return self.err(span, "operators on structs are not supported in a #[kernel] body"),
            Callee::Param(_) => return self.err(span, "calling a function parameter is not supported in a #[kernel] body"),
        };
        if p.segments.first().is_some_and(|s| s.ident == "Self") || p.segments.iter().any(|s| !matches!(s.arguments, syn::PathArguments::None)) {
            return self.err(span, format!("`{}` cannot be called from a #[kernel] body: call free #[differentiable] functions by their path (`g(x)`, `m::g(x)`)", p.to_token_stream()));
        }
        let k = self.shared.dep(p);
        let suffix = match c.entry {
            Entry::Primal | Entry::Fwd => "",
            Entry::Jvp => "__lz_jvp",
            Entry::Bwd => "__lz_bwd",
            e => return self.err(span, format!("internal: `{e:?}` calls are not supported in CUDA")),
        };
        let args: Vec<String> = match c.entry {
            // The device forward sweep of a callee is its primal: its
            // backward entry recomputes what it needs.
            Entry::Fwd => c.args.iter().map(|a| self.arg(a, span)).collect(),
            _ => c.args.iter().map(|a| self.arg(a, span)).collect(),
        };
        format!("@{k}@{suffix}<{}>({})", self.ft(), args.join(", "))
    }

    // ----- statements ----------------------------------------------------

    pub fn body(&self, out: &mut String, ind: usize) {
        self.block(&self.f.body, out, ind);
    }

    pub fn block(&self, b: &Block, out: &mut String, ind: usize) {
        for s in &b.stmts {
            crate::stack::guard(|| self.stmt(s, out, ind));
        }
    }

    fn line(out: &mut String, ind: usize, s: &str) {
        for _ in 0..ind {
            out.push_str("  ");
        }
        out.push_str(s);
        out.push('\n');
    }

    fn decl_val(&self, v: V, e: &str) -> String {
        let t = self.ty_of(v);
        if t == "void" {
            if e.is_empty() {
                return String::new();
            }
            return format!("{e};");
        }
        format!("{t} {} = {e};", val(v))
    }

    fn stmt(&self, s: &Stmt, out: &mut String, ind: usize) {
        match s {
            Stmt::Let { v, op } => {
                if matches!(op, Op::Lit(Lit::Unit)) {
                    return;
                }
                let e = self.op(*v, op);
                let l = self.decl_val(*v, &e);
                if !l.is_empty() {
                    Self::line(out, ind, &l);
                }
            }
            Stmt::Store { place, val: x, acc } => {
                let sp = self.vspan(*x);
                let repr = self.var_repr(place.var);
                let e = self.place(place);
                let ty = self.f.place_ty(place);
                match (acc, ty, repr) {
                    (false, _, _) => Self::line(out, ind, &format!("{e} = {};", val(*x))),
                    (true, Ty::F, VarRepr::Ptr { atomic: true, .. }) => Self::line(out, ind, &format!("atomicAdd(&{e}, {});", val(*x))),
                    (true, Ty::F, _) => Self::line(out, ind, &format!("{e} += {};", val(*x))),
                    (true, Ty::Val, _) => Self::line(out, ind, &format!("lz_acc({e}, {});", val(*x))),
                    (true, _, _) => {
                        self.err(sp, "internal: accumulation into a non-float in CUDA");
                    }
                }
            }
            Stmt::Decl { var, init } => self.decl(*var, init, out, ind),
            Stmt::Push { .. } | Stmt::PopVec { .. } => {
                self.err(self.span, "`Vec` (`push`, `pop`) is not supported in a #[kernel] body: use a fixed-size array");
            }
            Stmt::Effect { tokens, .. } => {
                let span = tokens.clone().into_iter().next().map(|t| t.span()).unwrap_or(self.span);
                self.err(span, "this cannot run on a GPU: I/O and macros (`println!`, `assert!`, ..) are not supported in a #[kernel] body");
            }
            Stmt::If { cond, then, els, phis } => {
                for p in phis {
                    let t = self.ty_of(p.out);
                    if t == "auto" {
                        self.err(self.vspan(p.out), "an `if` whose value is a tuple or a struct is not supported in a #[kernel] body; bind each component in its own `if`");
                        continue;
                    }
                    Self::line(out, ind, &format!("{t} {};", val(p.out)));
                }
                Self::line(out, ind, &format!("if ({}) {{", val(*cond)));
                self.block(then, out, ind + 1);
                for p in phis {
                    Self::line(out, ind + 1, &format!("{} = {};", val(p.out), val(p.then)));
                }
                if els.stmts.is_empty() && phis.is_empty() {
                    Self::line(out, ind, "}");
                    return;
                }
                Self::line(out, ind, "} else {");
                self.block(els, out, ind + 1);
                for p in phis {
                    Self::line(out, ind + 1, &format!("{} = {};", val(p.out), val(p.els)));
                }
                Self::line(out, ind, "}");
            }
            Stmt::For { idx, range, carried, body } => {
                let (pre, open, close, post) = self.carries(carried);
                for l in &pre {
                    Self::line(out, ind, l);
                }
                let it = self.ty_of(*idx);
                let it = if it == "auto" { "long long".to_string() } else { it };
                let i = val(*idx);
                let (lo, hi) = (val(range.lo), val(range.hi));
                let (head, tail) = match (range.inclusive, range.rev) {
                    (false, false) => (format!("for ({it} {i} = {lo}; {i} < {hi}; ++{i}) {{"), None),
                    (true, false) => (format!("for ({it} {i} = {lo}; {i} <= {hi}; ++{i}) {{"), Some(format!("if ({i} == {hi}) break;"))),
                    (false, true) => (format!("for ({it} lz_k{idx} = {hi}; lz_k{idx} > {lo}; ) {{"), None),
                    (true, true) => (format!("for ({it} {i} = {hi}; {i} >= {lo}; --{i}) {{"), Some(format!("if ({i} == {lo}) break;"))),
                };
                Self::line(out, ind, &head);
                if !range.inclusive && range.rev {
                    Self::line(out, ind + 1, &format!("--lz_k{idx};"));
                    Self::line(out, ind + 1, &format!("const {it} {i} = lz_k{idx};"));
                }
                for l in &open {
                    Self::line(out, ind + 1, l);
                }
                self.block(body, out, ind + 1);
                for l in &close {
                    Self::line(out, ind + 1, l);
                }
                if let Some(t) = tail {
                    Self::line(out, ind + 1, &t);
                }
                Self::line(out, ind, "}");
                for l in &post {
                    Self::line(out, ind, l);
                }
            }
            Stmt::While { head, cond, carried, body, trips } => {
                let (pre, open, close, post) = self.carries(carried);
                for l in &pre {
                    Self::line(out, ind, l);
                }
                if let Some(t) = trips {
                    Self::line(out, ind, &format!("unsigned long long {} = 0;", val(*t)));
                }
                Self::line(out, ind, "while (true) {");
                for l in &open {
                    Self::line(out, ind + 1, l);
                }
                self.block(head, out, ind + 1);
                Self::line(out, ind + 1, &format!("if (!{}) break;", val(*cond)));
                self.block(body, out, ind + 1);
                if let Some(t) = trips {
                    Self::line(out, ind + 1, &format!("{} += 1;", val(*t)));
                }
                for l in &close {
                    Self::line(out, ind + 1, l);
                }
                Self::line(out, ind, "}");
                for l in &post {
                    Self::line(out, ind, l);
                }
            }
            Stmt::TapePush { vals } => {
                for v in vals {
                    match self.f.ty(*v) {
                        Ty::F => Self::line(out, ind, &format!("lz_tf[lz_nf++] = {};", val(*v))),
                        Ty::Int | Ty::Bool => Self::line(out, ind, &format!("lz_ti[lz_ni++] = (long long)({});", val(*v))),
                        _ => {
                            self.err(self.vspan(*v), "the adjoint kernel would store a tuple or struct value; this is not supported in a #[kernel] body");
                        }
                    }
                }
            }
            Stmt::TapePop { vals, .. } => {
                for v in vals.iter().rev() {
                    let t = self.ty_of(*v);
                    match self.f.ty(*v) {
                        Ty::F => Self::line(out, ind, &format!("const {t} {} = lz_tf[--lz_nf];", val(*v))),
                        Ty::Bool => Self::line(out, ind, &format!("const bool {} = lz_ti[--lz_ni] != 0;", val(*v))),
                        Ty::Int => Self::line(out, ind, &format!("const {t} {} = ({t})lz_ti[--lz_ni];", val(*v))),
                        _ => {
                            self.err(self.vspan(*v), "the adjoint kernel would store a tuple or struct value; this is not supported in a #[kernel] body");
                        }
                    }
                }
            }
            Stmt::TapePushPlace { .. } | Stmt::TapePopPlace { .. } => {
                self.err(self.span, "the adjoint kernel would store a copy of an array; arrays passed to functions are not supported in a #[kernel] body");
            }
            Stmt::AccPat { .. } => {
                self.err(self.span, "enums are not supported in a #[kernel] body");
            }
            Stmt::Ckpt(_) => {
                self.err(self.span, "`#[checkpoint]` loops are not supported in a #[kernel] body");
            }
        }
    }

    fn decl(&self, x: Var, init: &Init, out: &mut String, ind: usize) {
        let info = &self.f.vars[x];
        let n = format!("x{x}");
        let elem_ty = |s: &Shape| -> Option<String> {
            match s {
                Shape::Scalar(Ty::F) => Some(self.ft().to_string()),
                Shape::Scalar(Ty::Int) => Some("long long".to_string()),
                Shape::Scalar(Ty::Bool) => Some("bool".to_string()),
                _ => None,
            }
        };
        match (&info.shape, init) {
            (Shape::Scalar(Ty::F), Init::Zero | Init::ZeroLike(_)) => Self::line(out, ind, &format!("{} {n} = {};", self.ft(), self.lit_f(0.0))),
            (Shape::Scalar(t), Init::Val(v)) => {
                let ct = match t {
                    Ty::F => self.ft().to_string(),
                    Ty::Int => self.ty_of(*v),
                    Ty::Bool => "bool".to_string(),
                    _ => "auto".to_string(),
                };
                Self::line(out, ind, &format!("{ct} {n} = {};", val(*v)));
            }
            (Shape::Val, Init::Val(v)) => Self::line(out, ind, &format!("auto {n} = {};", val(*v))),
            (Shape::Val, Init::ZeroLike(y)) => {
                let e = self.place(&Place::root(*y));
                Self::line(out, ind, &format!("auto {n} = lz_zero_like({e});"));
            }
            (Shape::Array(e, ArrKind::Fixed(len)), init) => {
                let Some(et) = elem_ty(e) else {
                    self.err(self.span, "local arrays of arrays or structs are not supported in a #[kernel] body");
                    return;
                };
                let len = self.len_tokens(len);
                match init {
                    Init::ArrFill(v, _) => {
                        Self::line(out, ind, &format!("{et} {n}[{len}];"));
                        Self::line(out, ind, &format!("for (unsigned long long lz_j = 0; lz_j < (unsigned long long)({len}); ++lz_j) {n}[lz_j] = {};", val(*v)));
                    }
                    Init::ZeroLike(_) | Init::Zero => Self::line(out, ind, &format!("{et} {n}[{len}] = {{}};")),
                    Init::Val(v) => match self.defs.get(v) {
                        Some(Op::Array(xs)) => {
                            let xs: Vec<String> = xs.iter().map(|x| val(*x)).collect();
                            Self::line(out, ind, &format!("{et} {n}[{len}] = {{{}}};", xs.join(", ")));
                        }
                        Some(Op::Repeat { val: f, vec: false, .. }) => {
                            Self::line(out, ind, &format!("{et} {n}[{len}];"));
                            Self::line(out, ind, &format!("for (unsigned long long lz_j = 0; lz_j < (unsigned long long)({len}); ++lz_j) {n}[lz_j] = {};", val(*f)));
                        }
                        _ => {
                            self.err(self.vspan(*v), "a local array in a #[kernel] body starts from `[x; N]` or `[a, b, c]`");
                        }
                    },
                    Init::CopyOf(p) if p.path.is_empty() => {
                        let src = self.place(p);
                        Self::line(out, ind, &format!("{et} {n}[{len}];"));
                        Self::line(out, ind, &format!("for (unsigned long long lz_j = 0; lz_j < (unsigned long long)({len}); ++lz_j) {n}[lz_j] = {src}[lz_j];"));
                    }
                    _ => {
                        self.err(self.span, "this local array cannot be emitted as CUDA: start it from `[x; N]` or `[a, b, c]`");
                    }
                }
            }
            (Shape::Array(..), Init::VecFill(..) | Init::VecEmpty(_)) | (_, Init::VecFill(..) | Init::VecEmpty(_)) => {
                self.err(self.span, "allocation (`vec![..]`, `Vec::new()`) is not supported in a #[kernel] body: use a fixed-size array `[0.0; N]`");
            }
            (Shape::Array(..), Init::Val(v)) => {
                // `let v = vec![..]`: reported at the allocation.
                self.err(self.vspan(*v), ALLOC);
            }
            (Shape::Array(..), _) => {
                self.err(self.span, "a local `Vec` or slice is not supported in a #[kernel] body: use a fixed-size array `[0.0; N]`");
            }
            (Shape::Scalar(t), Init::Zero | Init::ZeroLike(_)) => {
                let ct = elem_ty(&Shape::Scalar(*t)).unwrap_or_else(|| "long long".to_string());
                Self::line(out, ind, &format!("{ct} {n} = 0;"));
            }
            (Shape::Scalar(_), Init::CopyOf(p)) => {
                let e = self.place(p);
                Self::line(out, ind, &format!("auto {n} = {e};"));
            }
            _ => {
                self.err(self.span, "this local variable cannot be emitted as CUDA");
            }
        }
    }

    fn carries(&self, carried: &[Carry]) -> (Vec<String>, Vec<String>, Vec<String>, Vec<String>) {
        let mut pre = Vec::new();
        let mut open = Vec::new();
        let mut close = Vec::new();
        let mut post = Vec::new();
        for c in carried {
            let t = self.ty_of(c.phi);
            let slot = format!("c{}", c.phi);
            pre.push(format!("{t} {slot} = {};", val(c.init)));
            open.push(format!("{t} {} = {slot};", val(c.phi)));
            close.push(format!("{slot} = {};", val(c.next)));
            post.push(format!("{t} {} = {slot};", val(c.out)));
        }
        (pre, open, close, post)
    }

    /// Component `k` of `n` of a result value (a tuple when `n > 1`).
    pub fn component(&self, v: V, k: usize, n: usize) -> String {
        if n == 1 {
            return val(v);
        }
        match self.defs.get(&v) {
            Some(Op::Tuple(xs)) if xs.len() == n => val(xs[k]),
            _ => format!("lz_get<{k}>({})", val(v)),
        }
    }
}

const ALLOC: &str = "allocation (`vec![..]`, `Vec`) is not supported in a #[kernel] body: use a fixed-size array `[0.0; N]`";
const SLICE_ARG: &str = "a slice or a reference passed to a function from a #[kernel] body is not supported: device functions take scalars (`f(x[i], a)`)";

fn collect_defs(b: &Block, out: &mut HashMap<V, Op>) {
    b.walk(&mut |s| {
        if let Stmt::Let { v, op } = s {
            out.insert(*v, op.clone());
        }
    });
}

/// Whether tokens kept as a constant are an expression that Rust can
/// evaluate outside the function (`N`, `m::K`, `N as f64`, `-PI`, `2.5`).
fn const_expr_ok(t: &TokenStream) -> bool {
    fn ok(e: &syn::Expr) -> bool {
        match e {
            syn::Expr::Path(p) => p.qself.is_none() && p.path.segments.first().is_none_or(|s| s.ident != "Self") && p.path.segments.iter().all(|s| matches!(s.arguments, syn::PathArguments::None)),
            syn::Expr::Lit(_) => true,
            syn::Expr::Cast(c) => ok(&c.expr) && cast_type(&c.ty).is_some(),
            syn::Expr::Paren(p) => ok(&p.expr),
            syn::Expr::Group(g) => ok(&g.expr),
            syn::Expr::Unary(u) => matches!(u.op, syn::UnOp::Neg(_)) && ok(&u.expr),
            syn::Expr::Binary(b) => ok(&b.left) && ok(&b.right),
            syn::Expr::Call(c) => c.args.is_empty() && matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.len() == 2 && ["f32", "f64"].contains(&p.path.segments[0].ident.to_string().as_str())),
            _ => false,
        }
    }
    syn::parse2::<syn::Expr>(t.clone()).is_ok_and(|e| ok(&e))
}

/// The CUDA type of a Rust integer type.
pub fn int_type(t: &syn::Type) -> Option<&'static str> {
    let s = t.to_token_stream().to_string().replace(' ', "");
    Some(match s.as_str() {
        "usize" | "u64" => "unsigned long long",
        "isize" | "i64" => "long long",
        "u32" => "unsigned int",
        "i32" => "int",
        "u16" => "unsigned short",
        "i16" => "short",
        "u8" => "unsigned char",
        "i8" => "signed char",
        "bool" => "bool",
        _ => return None,
    })
}

fn cast_type(t: &syn::Type) -> Option<&'static str> {
    let s = t.to_token_stream().to_string().replace(' ', "");
    match s.as_str() {
        "f64" => Some("double"),
        "f32" => Some("float"),
        _ => int_type(t),
    }
}

fn int_lit(t: &TokenStream) -> Option<String> {
    let l = syn::parse2::<syn::LitInt>(t.clone()).ok()?;
    let digits = l.base10_digits().to_string();
    let suffix = match l.suffix() {
        "usize" | "u64" => "ULL",
        "isize" | "i64" => "LL",
        "u32" | "u16" | "u8" => "U",
        _ => "",
    };
    Some(format!("{digits}{suffix}"))
}

/// A `double` literal that reads back to `x`.
pub fn f64_lit(x: f64) -> String {
    if x.is_nan() {
        return "__longlong_as_double(0x7ff8000000000000LL)".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "__longlong_as_double(0x7ff0000000000000LL)".into() } else { "__longlong_as_double((long long)0xfff0000000000000ULL)".into() };
    }
    let s = format!("{x:?}");
    let s = if s.contains('.') || s.contains('e') || s.contains("inf") { s } else { format!("{s}.0") };
    if x.is_sign_negative() { format!("({s})") } else { s }
}

/// A `float` literal that reads back to `x`.
pub fn f32_lit(x: f32) -> String {
    if x.is_nan() {
        return "__int_as_float(0x7fc00000)".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "__int_as_float(0x7f800000)".into() } else { "__int_as_float((int)0xff800000u)".into() };
    }
    let s = format!("{x:?}");
    let s = if s.contains('.') || s.contains('e') { s } else { format!("{s}.0") };
    if x.is_sign_negative() { format!("({s}f)") } else { format!("{s}f") }
}

fn bin_str(b: BinOp) -> &'static str {
    match b {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Rem => "%",
        BinOp::BitAnd => "&",
        BinOp::BitOr => "|",
        BinOp::BitXor => "^",
        BinOp::Shl => "<<",
        BinOp::Shr => ">>",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
    }
}

/// How a float method of std is spelled in CUDA.
enum MethodCuda {
    /// A CUDA math function: `name` at `double`, `namef` at `float`.
    Math(&'static str),
    /// A prelude helper `lz_<method>`.
    Helper,
}

fn method_cuda(m: &str) -> MethodCuda {
    use MethodCuda::*;
    match m {
        "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "atan2" | "sinh" | "cosh" | "tanh" | "asinh" | "acosh" | "atanh" | "exp" | "exp2" | "log2" | "log10" | "sqrt" | "cbrt" | "hypot" | "floor" | "ceil" | "round" | "trunc" | "copysign" => Math(static_name(m)),
        "exp_m1" => Math("expm1"),
        "ln" => Math("log"),
        "ln_1p" => Math("log1p"),
        "powf" => Math("pow"),
        "abs" => Math("fabs"),
        "max" => Math("fmax"),
        "min" => Math("fmin"),
        "mul_add" => Math("fma"),
        _ => Helper,
    }
}

fn static_name(m: &str) -> &'static str {
    rules::RULES.iter().find(|r| r.name == m).map(|r| r.name).unwrap_or("sin")
}

// ----- tape bounds ------------------------------------------------------------

/// A count known when Rust compiles: a number, or a constant expression.
#[derive(Clone, Debug)]
pub enum Count {
    Num(u128),
    Expr(TokenStream),
}

impl Count {
    fn tokens(&self) -> TokenStream {
        match self {
            Count::Num(n) => {
                let l = proc_macro2::Literal::u128_unsuffixed(*n);
                quote!((#l as usize))
            }
            Count::Expr(t) => t.clone(),
        }
    }

    fn add(self, o: Count) -> Count {
        match (self, o) {
            (Count::Num(a), Count::Num(b)) => Count::Num(a.saturating_add(b)),
            (a, b) => {
                let (a, b) = (a.tokens(), b.tokens());
                Count::Expr(quote!((#a + #b)))
            }
        }
    }

    fn mul(self, o: Count) -> Count {
        match (self, o) {
            (Count::Num(a), Count::Num(b)) => Count::Num(a.saturating_mul(b)),
            (Count::Num(0), _) | (_, Count::Num(0)) => Count::Num(0),
            (a, b) => {
                let (a, b) = (a.tokens(), b.tokens());
                Count::Expr(quote!((#a * #b)))
            }
        }
    }

    fn max(self, o: Count) -> Count {
        match (self, o) {
            (Count::Num(a), Count::Num(b)) => Count::Num(a.max(b)),
            (a, b) => {
                let (a, b) = (a.tokens(), b.tokens());
                Count::Expr(quote!({ let (a, b) = (#a, #b); if a > b { a } else { b } }))
            }
        }
    }

    pub fn is_zero(&self) -> bool {
        matches!(self, Count::Num(0))
    }

    /// As CUDA text: a number, or a run-time constant placeholder.
    pub fn cuda(&self, shared: &Shared) -> String {
        match self {
            Count::Num(n) => format!("{}", n.max(&1)),
            Count::Expr(t) => {
                let k = shared.konst(quote!({ let n: usize = #t; if n == 0 { 1 } else { n } }));
                format!("@c{k}@")
            }
        }
    }
}

/// Per-thread tape sizes of a forward sweep: (floats, integers and
/// booleans). Each push counts once per iteration of the loops around it;
/// loops must have a trip count Rust knows at compile time when they push.
pub fn tape_bound(f: &Func, span: Span) -> Result<(Count, Count), (Span, String)> {
    let mut defs = HashMap::new();
    collect_defs(&f.body, &mut defs);
    block_bound(f, &defs, &f.body, span)
}

fn block_bound(f: &Func, defs: &HashMap<V, Op>, b: &Block, span: Span) -> Result<(Count, Count), (Span, String)> {
    let mut nf = Count::Num(0);
    let mut ni = Count::Num(0);
    for s in &b.stmts {
        match s {
            Stmt::TapePush { vals } => {
                for v in vals {
                    match f.ty(*v) {
                        Ty::F => nf = nf.add(Count::Num(1)),
                        _ => ni = ni.add(Count::Num(1)),
                    }
                }
            }
            Stmt::If { then, els, .. } => {
                let (a, b2) = block_bound(f, defs, then, span)?;
                let (c, d) = block_bound(f, defs, els, span)?;
                nf = nf.add(a.max(c));
                ni = ni.add(b2.max(d));
            }
            Stmt::For { idx, range, body, .. } => {
                let (a, b2) = block_bound(f, defs, body, span)?;
                if a.is_zero() && b2.is_zero() {
                    continue;
                }
                let sp = f.values.get(*idx).map(|i| i.span).unwrap_or(span);
                let trips = trip_count(defs, range).ok_or_else(|| (sp, "the adjoint kernel stores values in every iteration of this loop, and its number of iterations is not known when Rust compiles: CUDA needs a fixed-size per-thread tape; give the loop constant bounds (`for k in 0..8`, `0..N` with a `const N`)".to_string()))?;
                nf = nf.add(a.mul(trips.clone()));
                ni = ni.add(b2.mul(trips));
            }
            Stmt::While { head, body, cond, .. } => {
                let (a, b2) = block_bound(f, defs, body, span)?;
                let (c, d) = block_bound(f, defs, head, span)?;
                if !(a.is_zero() && b2.is_zero() && c.is_zero() && d.is_zero()) {
                    let sp = f.values.get(*cond).map(|i| i.span).unwrap_or(span);
                    return Err((sp, "the adjoint kernel stores values in every iteration of this `while` loop, whose number of iterations is not known when Rust compiles: CUDA needs a fixed-size per-thread tape; write it as a `for` loop with constant bounds".to_string()));
                }
            }
            _ => {}
        }
    }
    Ok((nf, ni))
}

fn const_int(defs: &HashMap<V, Op>, v: V, depth: usize) -> Option<Count> {
    if depth > 32 {
        return None;
    }
    match defs.get(&v)? {
        Op::Lit(Lit::Int(t)) => {
            let l = syn::parse2::<syn::LitInt>(t.clone()).ok()?;
            l.base10_parse::<u128>().ok().map(Count::Num)
        }
        Op::Lit(Lit::Tokens(t)) if const_expr_ok(t) => Some(Count::Expr(quote!(((#t) as usize)))),
        Op::Cast(a, _) => const_int(defs, *a, depth + 1),
        Op::Bin(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), a, b) => {
            let (a, b) = (const_int(defs, *a, depth + 1)?, const_int(defs, *b, depth + 1)?);
            match (op, &a, &b) {
                (BinOp::Add, _, _) => Some(a.add(b)),
                (BinOp::Mul, _, _) => Some(a.mul(b)),
                (BinOp::Sub, Count::Num(x), Count::Num(y)) => Some(Count::Num(x.saturating_sub(*y))),
                (BinOp::Div, Count::Num(x), Count::Num(y)) if *y != 0 => Some(Count::Num(x / y)),
                _ => {
                    let (a, b) = (a.tokens(), b.tokens());
                    let o = if *op == BinOp::Sub { quote!(-) } else { quote!(/) };
                    Some(Count::Expr(quote!((#a #o #b))))
                }
            }
        }
        _ => None,
    }
}

fn trip_count(defs: &HashMap<V, Op>, r: &Range) -> Option<Count> {
    let lo = const_int(defs, r.lo, 0)?;
    let hi = const_int(defs, r.hi, 0)?;
    let extra: u128 = if r.inclusive { 1 } else { 0 };
    Some(match (lo, hi) {
        (Count::Num(a), Count::Num(b)) => Count::Num((b + extra).saturating_sub(a)),
        (a, b) => {
            let (a, b) = (a.tokens(), b.tokens());
            let e = proc_macro2::Literal::u128_unsuffixed(extra);
            Count::Expr(quote!(((#b + #e).saturating_sub(#a))))
        }
    })
}

// ----- the prelude -------------------------------------------------------------

/// The float methods of std printed as prelude helpers at both precisions
/// (and the overloads generic device functions call).
const HELPER_METHODS: &[(&str, &str, &str)] = &[
    // (method, float body, double body), `a`, `b`, `c` the arguments
    ("log", "logf(a) / logf(b)", "log(a) / log(b)"),
    ("powi", "", ""),
    ("recip", "1.0f / a", "1.0 / a"),
    ("signum", "isnan(a) ? a : copysignf(1.0f, a)", "isnan(a) ? a : copysign(1.0, a)"),
    ("fract", "a - truncf(a)", "a - trunc(a)"),
    ("clamp", "a < b ? b : (a > c ? c : a)", "a < b ? b : (a > c ? c : a)"),
    ("to_degrees", "a * 57.2957795130823208767981548141051703f", "a * (180.0 / 3.14159265358979323846264338327950288)"),
    ("to_radians", "a * (3.14159265358979323846264338327950288f / 180.0f)", "a * (3.14159265358979323846264338327950288 / 180.0)"),
];

/// The kernel prelude: the types and helpers printed code uses, emitted
/// once at the top of every CUDA module `#[kernel]` assembles.
pub fn prelude() -> String {
    let mut s = String::new();
    s.push_str(PRELUDE_HEAD);
    // Overloads of the float methods, for generic device functions.
    for r in rules::RULES.iter() {
        let Print::Method(m) = r.print else { continue };
        if HELPER_METHODS.iter().any(|h| h.0 == m) {
            continue;
        }
        let MethodCuda::Math(c) = method_cuda(m) else { continue };
        let params = ["a", "b", "c"];
        for (ty, suffix) in [("float", "f"), ("double", "")] {
            let ps: Vec<String> = params[..r.arity].iter().map(|p| format!("{ty} {p}")).collect();
            let args = params[..r.arity].join(", ");
            let _ = writeln!(s, "__device__ inline {ty} lz_{m}({}) {{ return {c}{suffix}({args}); }}", ps.join(", "));
        }
    }
    for (m, fb, db) in HELPER_METHODS {
        if *m == "powi" {
            continue;
        }
        let arity = rules::rule(m).map(|r| r.arity).unwrap_or(1);
        let params = ["a", "b", "c"];
        for (ty, body) in [("float", fb), ("double", db)] {
            let ps: Vec<String> = params[..arity].iter().map(|p| format!("{ty} {p}")).collect();
            let _ = writeln!(s, "__device__ inline {ty} lz_{m}({}) {{ return {body}; }}", ps.join(", "));
        }
    }
    s.push_str(PRELUDE_HELPERS);
    s.push_str("#endif // LZ_PRELUDE\n");
    s
}

const PRELUDE_HEAD: &str = r#"// ---- leibniz kernel prelude (generated by leibniz-ad-macros; do not edit) ----
#ifndef LZ_PRELUDE
#define LZ_PRELUDE
#pragma nv_diag_suppress 177
#pragma nv_diag_suppress 550
#pragma nv_diag_suppress 549
// A symbolic zero: a zero tangent, or a null shadow pointer.
struct lz_zero_t {
  __device__ operator float() const { return 0.0f; }
  __device__ operator double() const { return 0.0; }
  template <typename T> __device__ operator T*() const { return (T*)0; }
};
// Tuples (results of several outputs, (value, tangent) pairs).
template <typename... T> struct lz_tup;
template <> struct lz_tup<> {};
template <typename H, typename... T> struct lz_tup<H, T...> { H h; lz_tup<T...> t; };
__device__ inline lz_tup<> lz_mk() { return lz_tup<>(); }
template <typename H, typename... T> __device__ inline lz_tup<H, T...> lz_mk(H h, T... t) {
  lz_tup<H, T...> r; r.h = h; r.t = lz_mk(t...); return r;
}
template <int K> struct lz_at {
  template <typename U> __device__ static auto get(const U& x) { return lz_at<K - 1>::get(x.t); }
};
template <> struct lz_at<0> {
  template <typename U> __device__ static auto get(const U& x) { return x.h; }
};
template <int K, typename U> __device__ inline auto lz_get(const U& x) { return lz_at<K>::get(x); }
__device__ inline float lz_zero_like(float) { return 0.0f; }
__device__ inline double lz_zero_like(double) { return 0.0; }
__device__ inline lz_tup<> lz_zero_like(const lz_tup<>&) { return lz_tup<>(); }
template <typename H, typename... T> __device__ inline lz_tup<H, T...> lz_zero_like(const lz_tup<H, T...>& x) {
  lz_tup<H, T...> r; r.h = lz_zero_like(x.h); r.t = lz_zero_like(x.t); return r;
}
__device__ inline void lz_acc(float& a, float b) { a += b; }
__device__ inline void lz_acc(double& a, double b) { a += b; }
__device__ inline void lz_acc(lz_tup<>&, const lz_tup<>&) {}
template <typename H, typename... T> __device__ inline void lz_acc(lz_tup<H, T...>& a, const lz_tup<H, T...>& b) {
  lz_acc(a.h, b.h); lz_acc(a.t, b.t);
}
// Adds `v` of every thread of a warp into `*dst` (one atomicAdd per warp).
// Every thread of the warp calls it (launches use blocks of 256 threads).
#ifndef LZ_HOST_EMULATION
template <typename F> __device__ inline void lz_reduce_add(F* dst, F v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
  if ((threadIdx.x & 31u) == 0u && v != (F)0) atomicAdd(dst, v);
}
#else
// Threads run one after the other (tests/kernel_emulate.rs): no warps.
template <typename F> __device__ inline void lz_reduce_add(F* dst, F v) {
  if (v != (F)0) atomicAdd(dst, v);
}
#endif
template <typename F> __device__ inline F lz_eps();
template <> __device__ inline float lz_eps<float>() { return 1.1920929e-7f; }
template <> __device__ inline double lz_eps<double>() { return 2.220446049250313e-16; }
template <typename F> __device__ inline F lz_inf();
template <> __device__ inline float lz_inf<float>() { return __int_as_float(0x7f800000); }
template <> __device__ inline double lz_inf<double>() { return __longlong_as_double(0x7ff0000000000000LL); }
template <typename F> __device__ inline F lz_nan();
template <> __device__ inline float lz_nan<float>() { return __int_as_float(0x7fc00000); }
template <> __device__ inline double lz_nan<double>() { return __longlong_as_double(0x7ff8000000000000LL); }
__device__ inline bool lz_is_normal(float y) { return isfinite(y) && fabsf(y) >= 1.17549435e-38f; }
__device__ inline bool lz_is_normal(double y) { return isfinite(y) && fabs(y) >= 2.2250738585072014e-308; }
// ---- float methods of std (`x.sin()`, ..) at both precisions ----
"#;

const PRELUDE_HELPERS: &str = r#"// `x.powi(n)` by repeated squaring.
template <typename F> __device__ inline F lz_powi(F a, int n) {
  unsigned int m = n < 0 ? 0u - (unsigned int)n : (unsigned int)n;
  F r = (F)1, b = a;
  while (m) { if (m & 1u) r *= b; m >>= 1; if (m) b *= b; }
  return n < 0 ? (F)1 / r : r;
}
// ---- helpers of the rule registry (as leibniz::__private defines them) ----
template <typename F> __device__ inline F lz_rem(F a, F b) { return fmod(a, b); }
__device__ inline float lz_rem(float a, float b) { return fmodf(a, b); }
template <typename F> __device__ inline F lz_rem_euclid(F a, F b) { F r = lz_rem(a, b); return r < (F)0 ? r + (b < (F)0 ? -b : b) : r; }
template <typename F> __device__ inline F lz_div_euclid(F a, F b) {
  F q = lz_trunc(a / b);
  if (lz_rem(a, b) < (F)0) return b > (F)0 ? q - (F)1 : q + (F)1;
  return q;
}
__device__ inline float lz_round_ties_even(float x) { return rintf(x); }
__device__ inline double lz_round_ties_even(double x) { return rint(x); }
template <typename F> __device__ inline F lz_midpoint(F a, F b) { F m = (a + b) * (F)0.5; return isfinite(m) ? m : a * (F)0.5 + b * (F)0.5; }
template <typename F> __device__ inline F lz_maximum(F a, F b) { return (isnan(a) || isnan(b)) ? lz_nan<F>() : lz_max(a, b); }
template <typename F> __device__ inline F lz_minimum(F a, F b) { return (isnan(a) || isnan(b)) ? lz_nan<F>() : lz_min(a, b); }
template <typename F> __device__ inline F lz_sign0(F a) { return a > (F)0 ? (F)1 : (a < (F)0 ? (F)-1 : (F)0); }
template <typename F> __device__ inline F lz_pick_max(F a, F b) { return (a >= b || isnan(b)) ? (F)1 : (F)0; }
template <typename F> __device__ inline F lz_pick_min(F a, F b) { return (a <= b || isnan(b)) ? (F)1 : (F)0; }
template <typename F> __device__ inline F lz_clamp_dx(F a, F lo, F hi) { return (!(a < lo) && !(a > hi)) ? (F)1 : (F)0; }
template <typename F> __device__ inline F lz_clamp_dlo(F a, F lo, F hi) { return a < lo ? (F)1 : (F)0; }
template <typename F> __device__ inline F lz_clamp_dhi(F a, F lo, F hi) { return (!(a < lo) && a > hi) ? (F)1 : (F)0; }
template <typename F> __device__ inline F lz_div0(F x, F y) { return y == (F)0 ? (F)0 : x / y; }
template <typename F> __device__ inline F lz_mul0(F x, F y) { return (x == (F)0 || y == (F)0) ? (F)0 : x * y; }
template <typename F> __device__ inline F lz_ln0(F a, F y) { return y == (F)0 ? (F)0 : lz_ln(a); }
template <typename F> __device__ inline F lz_dpowi(F a, int n) { return n == 0 ? (F)0 : (F)n * lz_powi(a, n - 1); }
template <typename F> __device__ inline F lz_dpowi_y(F a, F y, int n) { return (a != (F)0 && isfinite(y) && (lz_is_normal(y) || fabs((double)a) >= 1.0 / 65536.0)) ? (F)n * (y / a) : lz_dpowi(a, n); }
template <typename F> __device__ inline F lz_dpowf_base(F a, F b) { return b == (F)0 ? (F)0 : b * lz_powf(a, b - (F)1); }
template <typename F> __device__ inline F lz_dpowf_exp(F a, F y) { return y == (F)0 ? (F)0 : y * lz_ln(a); }
template <typename F> __device__ inline F lz_sqrt_one_minus_sq(F a) { return lz_sqrt(((F)1 - a) * ((F)1 + a)); }
template <typename F> __device__ inline F lz_sqrt_sq_minus_one(F a) { return lz_sqrt(a - (F)1) * lz_sqrt(a + (F)1); }
template <typename F> __device__ inline F lz_one_minus_sq(F a) { return ((F)1 - a) * ((F)1 + a); }
template <typename F> __device__ inline F lz_datan(F a) {
  if (lz_abs(a) > (F)1) { F r = (F)1 / a; return r * r / ((F)1 + r * r); }
  return (F)1 / ((F)1 + a * a);
}
template <typename F> __device__ inline F lz_dcopysign(F a, F b) { return (signbit(a) ? (F)-1 : (F)1) * (signbit(b) ? (F)-1 : (F)1); }
template <typename F> __device__ inline F lz_lmul0(F c, F t) { return t == (F)0 ? (F)0 : c * t; }
template <typename F> __device__ inline F lz_ldiv0(F t, F c) { return t == (F)0 ? (F)0 : t / c; }
template <typename F> __device__ inline F lz_dtanh(F a) { F e = lz_exp((F)-2 * lz_abs(a)); F d = (F)1 + e; return (F)4 * e / (d * d); }
// ---- integer helpers ----
template <typename T> __device__ inline unsigned long long lz_trip_count(T lo, T hi) { return hi <= lo ? 0ULL : (unsigned long long)(hi - lo); }
template <typename T> __device__ inline unsigned long long lz_trip_count_incl(T lo, T hi) { return hi < lo ? 0ULL : (unsigned long long)(hi - lo) + 1ULL; }
__device__ inline unsigned long long lz_div_ceil(unsigned long long n, unsigned long long k) { return (n + k - 1ULL) / k; }
__device__ inline unsigned long long lz_div_floor(unsigned long long n, unsigned long long k) { return n / k; }
__device__ inline unsigned long long lz_windows_count(unsigned long long n, unsigned long long k) { return n < k ? 0ULL : n - k + 1ULL; }
template <typename A, typename B> __device__ inline unsigned long long lz_min_usize(A a, B b) { unsigned long long x = (unsigned long long)a, y = (unsigned long long)b; return x < y ? x : y; }
template <typename A, typename B> __device__ inline unsigned long long lz_sat_sub(A a, B b) { unsigned long long x = (unsigned long long)a, y = (unsigned long long)b; return x > y ? x - y : 0ULL; }
template <typename T, typename J> __device__ inline T lz_idx_add(T lo, J j) { return lo + (T)j; }
template <typename T, typename J> __device__ inline T lz_idx_sub(T lo, J j) { return lo - (T)j; }
"#;

#[cfg(test)]
#[path = "cuda_tests.rs"]
mod tests;
