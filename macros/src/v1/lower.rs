//! Lowers the body of a `#[differentiable]` function to the IR, and rejects
//! what is outside the accepted subset (DESIGN §3), each error at the span of
//! the offending code.
//!
//! Input: the user's `syn::Block`. Output: a `Func` whose scalars are SSA
//! values (one per assignment) and whose arrays are named storage.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{BinOp, Expr, ExprLit, Lit, Pat, Stmt as SynStmt, UnOp};

use crate::v1::diag::Diag;
use crate::v1::ir::*;
use crate::v1::naming;
use crate::v1::rules;
use crate::v1::sig::{RetShape, Role, Sig};

#[derive(Clone)]
enum Binding {
    Val { v: V, mutable: bool },
    Arr(A),
    Tuple(Vec<Operand>),
}

/// What an expression denotes.
#[derive(Clone)]
pub enum Operand {
    Val(V),
    Arr(A),
    Tuple(Vec<Operand>),
    Unit,
}

pub struct Lower<'a> {
    sig: &'a Sig,
    diag: &'a mut Diag,
    values: Vec<ValueInfo>,
    arrays: Vec<ArrayInfo>,
    scopes: Vec<Vec<(String, Binding)>>,
    cur: Vec<Stmt>,
    /// `const`/`use` items of the body, repeated in every generated body.
    pub items: Vec<syn::Item>,
    /// By-value parameters keep their own names in emitted code.
    param_names: std::collections::HashMap<V, syn::Ident>,
    /// Results of differentiable calls.
    call_values: std::collections::HashSet<V>,
    /// Names the body indexes or takes `.len()` of: a call bound to one of
    /// them returns an array.
    indexed_names: std::collections::HashSet<String>,
}

const FLOAT_BOOL_METHODS: &[&str] = &[
    "is_nan", "is_finite", "is_infinite", "is_normal", "is_sign_negative", "is_sign_positive", "is_subnormal",
];
const CONST_FNS: &[&str] = &[
    "zero", "one", "nan", "infinity", "neg_infinity", "epsilon", "max_value", "min_value", "min_positive_value",
    "neg_zero",
];

/// The messages for constructs outside the subset.
fn unsupported(e: &Expr) -> Option<&'static str> {
    Some(match e {
        Expr::Closure(_) => "closures are not supported in a #[differentiable] body; write the computation inline or as a separate #[differentiable] function",
        Expr::Loop(_) => "`loop` is not supported; write `while cond { .. }` or `for i in 0..n { .. }` with an explicit bound",
        Expr::Match(_) => "`match` is not supported yet; write `if`/`else if`/`else`",
        Expr::Return(_) => "early `return` is not supported; let the function end in its result expression (a final `return x;` is accepted)",
        Expr::Break(_) => "`break` is not supported; put the exit condition in a `while` loop's condition",
        Expr::Continue(_) => "`continue` is not supported; wrap the rest of the loop body in `if`",
        Expr::Unsafe(_) => "`unsafe` blocks cannot be differentiated; write safe code",
        Expr::Async(_) | Expr::Await(_) => "async code cannot be differentiated",
        Expr::Try(_) => "the `?` operator is not supported in a #[differentiable] body",
        Expr::Yield(_) => "`yield` is not supported",
        Expr::Let(_) => "`if let`/`while let` are not supported; compare values with `if a < b`",
        Expr::Range(_) => "ranges are only supported as the iterator of a `for` loop",
        Expr::RawAddr(_) => "raw pointers are not supported in a #[differentiable] body",
        Expr::Struct(_) => "struct literals are not supported in a #[differentiable] body; build the value outside",
        Expr::TryBlock(_) => "`try` blocks are not supported",
        Expr::Const(_) => "`const` blocks are not supported; use a `const` item",
        Expr::Infer(_) => "`_` is not an expression",
        Expr::Verbatim(_) => "this expression is not supported",
        _ => return None,
    })
}

fn lit_class(l: &Lit) -> Class {
    match l {
        Lit::Float(_) => Class::F,
        Lit::Int(i) => match i.suffix() {
            "f32" | "f64" => Class::F,
            _ => Class::Int,
        },
        Lit::Bool(_) => Class::Bool,
        _ => Class::Other,
    }
}

fn path_last(e: &Expr) -> Option<(&syn::Path, String)> {
    if let Expr::Path(p) = e {
        if p.qself.is_none() {
            let last = p.path.segments.last()?.ident.to_string();
            return Some((&p.path, last));
        }
    }
    None
}

fn single_ident(e: &Expr) -> Option<String> {
    if let Expr::Path(p) = e {
        if p.qself.is_none() {
            if let Some(id) = p.path.get_ident() {
                return Some(id.to_string());
            }
        }
    }
    None
}

fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        _ => e,
    }
}

/// The type names that stand for the float type in `f64::sin(x)`-style paths.
fn is_float_type_path(path: &syn::Path, sig: &Sig) -> bool {
    if path.segments.len() < 2 {
        return false;
    }
    let prefix = &path.segments[path.segments.len() - 2].ident;
    let float = sig.float.to_token_stream().to_string();
    prefix == "f64" || prefix == "f32" || prefix == "Float" || *prefix == float
}

impl<'a> Lower<'a> {
    pub fn new(sig: &'a Sig, diag: &'a mut Diag) -> Self {
        Lower { sig, diag, values: Vec::new(), arrays: Vec::new(), scopes: vec![Vec::new()], cur: Vec::new(), items: Vec::new(), param_names: Default::default(), call_values: Default::default(), indexed_names: Default::default() }
    }

    // ----- values, arrays, bindings -------------------------------------

    fn new_val(&mut self, class: Class, _span: Span) -> V {
        self.values.push(ValueInfo { class });
        self.values.len() - 1
    }

    fn def(&mut self, op: Op, class: Class, span: Span) -> V {
        let v = self.new_val(class, span);
        self.cur.push(Stmt::Def { v, op });
        v
    }

    fn class(&self, v: V) -> Class {
        self.values[v].class
    }

    /// How emitted code names a value.
    fn vt(&self, v: V) -> TokenStream {
        match self.param_names.get(&v) {
            Some(id) => id.to_token_stream(),
            None => naming::val(v).to_token_stream(),
        }
    }

    /// A value of unknown type used where a float is: it is a float.
    fn unify_f(&mut self, v: V) {
        if self.values[v].class == Class::Other {
            self.values[v].class = Class::F;
        }
    }

    fn new_array(&mut self, kind: ArrKind, name: syn::Ident, elem: Class, len: Len, param: Option<usize>) -> A {
        self.arrays.push(ArrayInfo { kind, name, elem, len, param, written: false });
        self.arrays.len() - 1
    }

    fn bind(&mut self, name: String, b: Binding) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name, b));
        }
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        for scope in self.scopes.iter().rev() {
            for (n, b) in scope.iter().rev() {
                if n == name {
                    return Some(b);
                }
            }
        }
        None
    }

    fn set_val(&mut self, name: &str, v: V) {
        for scope in self.scopes.iter_mut().rev() {
            for (n, b) in scope.iter_mut().rev() {
                if n == name {
                    if let Binding::Val { v: old, .. } = b {
                        *old = v;
                    }
                    return;
                }
            }
        }
    }

    /// The mutable scalars visible here, with their current values.
    fn visible_mut(&self) -> Vec<(String, V)> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for scope in self.scopes.iter().rev() {
            for (n, b) in scope.iter().rev() {
                if seen.contains(&n.as_str()) {
                    continue;
                }
                seen.push(n);
                if let Binding::Val { v, mutable: true } = b {
                    out.push((n.clone(), *v));
                }
            }
        }
        out
    }

    fn current(&self, name: &str) -> Option<V> {
        match self.lookup(name) {
            Some(Binding::Val { v, .. }) => Some(*v),
            _ => None,
        }
    }

    fn arr_tokens(&self, a: A) -> TokenStream {
        let info = &self.arrays[a];
        if info.param.is_some() { info.name.to_token_stream() } else { naming::local_arr(a).to_token_stream() }
    }

    /// Runs `f` with a fresh statement list and scope; returns the block.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (Block, T) {
        let saved = std::mem::take(&mut self.cur);
        self.scopes.push(Vec::new());
        let t = f(self);
        self.scopes.pop();
        let stmts = std::mem::replace(&mut self.cur, saved);
        (Block { stmts }, t)
    }

    // ----- entry --------------------------------------------------------

    pub fn lower_fn(mut self, body: &syn::Block) -> Option<(Func, Vec<syn::Item>)> {
        let sig = self.sig;
        let mut param_values = Vec::new();
        let mut param_arrays = Vec::new();
        for (k, p) in sig.params.iter().enumerate() {
            let name = p.ident.to_string();
            match &p.role {
                Role::Scalar | Role::Const { .. } => {
                    let class = match p.role {
                        Role::Scalar => Class::F,
                        Role::Const { int: true, .. } => Class::Int,
                        Role::Const { bool_: true, .. } => Class::Bool,
                        _ => Class::Other,
                    };
                    let v = self.def(Op::Param(p.ident.clone()), class, p.ident.span());
                    self.param_names.insert(v, p.ident.clone());
                    param_values.push(Some(v));
                    param_arrays.push(None);
                    self.bind(name, Binding::Val { v, mutable: p.mutable });
                }
                Role::ArrRef | Role::ArrMut | Role::ArrVal(_) => {
                    let (kind, len) = match &p.role {
                        Role::ArrRef => (ArrKind::ParamRef, None),
                        Role::ArrMut => (ArrKind::ParamMut, None),
                        Role::ArrVal(n) => (ArrKind::ParamVal, Some(Len::Const(n.clone()))),
                        _ => (ArrKind::ParamRef, None),
                    };
                    let a = self.new_array(kind, p.ident.clone(), Class::F, Len::Const(quote!(0)), Some(k));
                    let len = match len {
                        Some(l) => l,
                        None => Len::Dyn(self.def(Op::Len(a), Class::Int, p.ident.span())),
                    };
                    self.arrays[a].len = len;
                    param_values.push(None);
                    param_arrays.push(Some(a));
                    self.bind(name, Binding::Arr(a));
                }
            }
        }

        self.indexed_names = indexed_names(body);
        let tail = self.lower_block_stmts(&body.stmts, true);
        let result = self.result_shape(tail, body);
        let Lower { values, arrays, cur, items, .. } = self;
        Some((Func { values, arrays, body: Block { stmts: cur }, result, param_values, param_arrays }, items))
    }

    fn result_shape(&mut self, tail: Operand, body: &syn::Block) -> ResultShape {
        let span = body.stmts.last().map(|s| s.span()).unwrap_or_else(|| body.span());
        let ret = self.sig.ret.clone();
        match (&ret, tail) {
            (RetShape::Unit, _) => ResultShape::Unit,
            (RetShape::Tuple(shapes), Operand::Val(v)) if self.is_call(v) => {
                let ops = self.as_tuple(v, shapes.len(), span).unwrap_or_default();
                let mut leaves = Vec::new();
                for (s, o) in shapes.iter().zip(ops) {
                    leaves.push(self.leaf(s, o, span));
                }
                ResultShape::Tuple(leaves)
            }
            (RetShape::Tuple(shapes), Operand::Tuple(ops)) if shapes.len() == ops.len() => {
                let mut leaves = Vec::new();
                for (s, o) in shapes.iter().zip(ops) {
                    leaves.push(self.leaf(s, o, span));
                }
                ResultShape::Tuple(leaves)
            }
            (RetShape::Tuple(_), _) => {
                self.diag.at(span, "the result must be written as a tuple expression `(a, b)` matching the declared result type");
                ResultShape::Unit
            }
            (s, o) => ResultShape::Leaf(self.leaf(s, o, span)),
        }
    }

    fn leaf(&mut self, shape: &RetShape, o: Operand, span: Span) -> Leaf {
        match (shape, o) {
            (RetShape::Scalar, Operand::Val(v)) => {
                self.unify_f(v);
                Leaf::Scalar(v)
            }
            (RetShape::Vec | RetShape::Array, Operand::Val(v)) if self.is_call(v) => {
                self.values[v].class = Class::Other;
                let name = syn::Ident::new("__result", Span::call_site());
                let a = self.new_array(ArrKind::LocalVec, name, Class::F, Len::Const(quote!(0)), None);
                self.cur.push(Stmt::ArrNew { arr: a, init: ArrInit::FromCall(v) });
                let len = self.def(Op::Len(a), Class::Int, span);
                self.arrays[a].len = Len::Dyn(len);
                Leaf::Array(a)
            }
            (RetShape::Vec | RetShape::Array, Operand::Arr(a)) => {
                if self.arrays[a].param.is_some() {
                    // Returning a parameter array: copy it into a local.
                    let kind = if matches!(shape, RetShape::Vec) { ArrKind::LocalVec } else { ArrKind::LocalArr };
                    let len = self.arrays[a].len.clone();
                    let name = self.arrays[a].name.clone();
                    let b = self.new_array(kind, name, Class::F, len, None);
                    self.cur.push(Stmt::ArrNew { arr: b, init: ArrInit::CopyOf(a) });
                    Leaf::Array(b)
                } else {
                    Leaf::Array(a)
                }
            }
            _ if !self.diag.is_empty() => Leaf::Scalar(0),
            (_, Operand::Unit) => {
                self.diag.at(span, "this function has a result, so its body must end in an expression (or `return x;`)");
                Leaf::Scalar(0)
            }
            _ => {
                self.diag.at(span, "the final expression does not match the declared result type (a scalar for `F`, an array for `Vec<F>`/`[F; N]`)");
                Leaf::Scalar(0)
            }
        }
    }

    // ----- statements -----------------------------------------------------

    /// Lowers statements; returns the operand of the tail expression.
    fn lower_block_stmts(&mut self, stmts: &[SynStmt], fn_body: bool) -> Operand {
        let mut tail = Operand::Unit;
        for (k, s) in stmts.iter().enumerate() {
            let last = k + 1 == stmts.len();
            match s {
                SynStmt::Local(l) => self.lower_local(l),
                SynStmt::Expr(e, semi) => {
                    if let Expr::Return(r) = e {
                        if fn_body && last {
                            tail = match &r.expr {
                                Some(x) => self.lower_value_or_array(x),
                                None => Operand::Unit,
                            };
                            continue;
                        }
                    }
                    if semi.is_none() && last {
                        tail = self.lower_value_or_array(e);
                    } else {
                        self.lower_stmt_expr(e);
                    }
                }
                SynStmt::Item(item) => match item {
                    syn::Item::Const(_) | syn::Item::Use(_) => self.items.push(item.clone()),
                    syn::Item::Fn(f) => self.diag.spanned(&f.sig, "nested functions are not supported in a #[differentiable] body; move it out and mark it #[differentiable] to call it"),
                    other => self.diag.spanned(other, "items other than `const` and `use` are not supported inside a #[differentiable] body; move it out"),
                },
                SynStmt::Macro(m) => {
                    let name = m.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                    self.diag.spanned(&m.mac, format!("`{name}!` is not supported in a #[differentiable] body (macros cannot be differentiated); move it out of the function"));
                }
            }
        }
        tail
    }

    fn lower_local(&mut self, l: &syn::Local) {
        let Some(init) = &l.init else {
            self.diag.spanned(&l.pat, "a `let` without a value is not supported; initialise it (`let mut x = 0.0;`)");
            let inner = match &l.pat {
                Pat::Type(pt) => &*pt.pat,
                p => p,
            };
            if let Pat::Ident(pi) = inner {
                let v = self.def(Op::Lit(quote!(0.0)), Class::Other, pi.ident.span());
                self.bind(pi.ident.to_string(), Binding::Val { v, mutable: true });
            }
            return;
        };
        if let Some((_, diverge)) = &init.diverge {
            self.diag.spanned(diverge, "`let .. else` is not supported");
            return;
        }
        let (pat, hint) = match &l.pat {
            Pat::Type(pt) => (&*pt.pat, Some(&*pt.ty)),
            p => (p, None),
        };
        match pat {
            Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                let name = pi.ident.to_string();
                let mutable = pi.mutability.is_some();
                if let Some(a) = self.try_array_init(&init.expr, &pi.ident) {
                    self.bind(name, Binding::Arr(a));
                    return;
                }
                if self.indexed_names.contains(&name) && matches!(strip(&init.expr), Expr::Call(_) | Expr::MethodCall(_)) {
                    if let Operand::Val(v) = self.lower_value_or_array(&init.expr) {
                        if self.is_call(v) {
                            self.values[v].class = Class::Other;
                            let a = self.new_array(ArrKind::LocalVec, pi.ident.clone(), Class::F, Len::Const(quote!(0)), None);
                            self.cur.push(Stmt::ArrNew { arr: a, init: ArrInit::FromCall(v) });
                            let len = self.def(Op::Len(a), Class::Int, pi.ident.span());
                            self.arrays[a].len = Len::Dyn(len);
                            self.bind(name, Binding::Arr(a));
                        } else {
                            self.bind(name, Binding::Val { v, mutable });
                        }
                    }
                    return;
                }
                match self.lower_value_or_array(&init.expr) {
                    Operand::Val(v) => {
                        if let Some(ty) = hint {
                            self.hint_class(v, ty);
                        }
                        // A `let mut` copy gets its own value so that later
                        // assignments never alias the source's.
                        self.bind(name, Binding::Val { v, mutable });
                    }
                    Operand::Arr(a) => {
                        let kind = self.arrays[a].kind;
                        if matches!(kind, ArrKind::ParamVal | ArrKind::LocalArr) {
                            // Fixed arrays are `Copy`: a new array.
                            let len = self.arrays[a].len.clone();
                            let b = self.new_array(ArrKind::LocalArr, pi.ident.clone(), Class::F, len, None);
                            self.cur.push(Stmt::ArrNew { arr: b, init: ArrInit::CopyOf(a) });
                            self.bind(name, Binding::Arr(b));
                        } else {
                            // A `Vec` moves, a reference is copied: same storage.
                            self.bind(name, Binding::Arr(a));
                        }
                    }
                    Operand::Tuple(ops) => self.bind(name, Binding::Tuple(ops)),
                    Operand::Unit => self.diag.spanned(&init.expr, "this expression has no value to bind"),
                }
            }
            Pat::Tuple(pt) => {
                let op = self.lower_value_or_array(&init.expr);
                let op = match op {
                    Operand::Val(v) => match self.as_tuple(v, pt.elems.len(), init.expr.span()) {
                        Some(ops) => Operand::Tuple(ops),
                        None => Operand::Val(v),
                    },
                    o => o,
                };
                let Operand::Tuple(ops) = op else {
                    self.diag.spanned(&init.expr, "a tuple pattern needs a tuple value here (`let (s, c) = x.sin_cos();` or a call returning a tuple)");
                    return;
                };
                if ops.len() != pt.elems.len() {
                    self.diag.spanned(pt, format!("the pattern has {} elements but the value has {}", pt.elems.len(), ops.len()));
                    return;
                }
                for (p, o) in pt.elems.iter().zip(ops) {
                    match p {
                        Pat::Wild(_) => {}
                        Pat::Ident(pi) if pi.subpat.is_none() && pi.by_ref.is_none() => {
                            let b = match o {
                                Operand::Val(v) => Binding::Val { v, mutable: pi.mutability.is_some() },
                                Operand::Arr(a) => Binding::Arr(a),
                                Operand::Tuple(t) => Binding::Tuple(t),
                                Operand::Unit => continue,
                            };
                            self.bind(pi.ident.to_string(), b);
                        }
                        other => self.diag.spanned(other, "only names and `_` are supported inside a tuple pattern"),
                    }
                }
            }
            Pat::Wild(_) => {
                self.lower_value_or_array(&init.expr);
            }
            other => self.diag.spanned(other, "this pattern is not supported in a #[differentiable] body; bind a name (`let x = ..`) or a tuple of names (`let (a, b) = ..`)"),
        }
    }

    fn hint_class(&mut self, v: V, ty: &syn::Type) {
        let s = ty.to_token_stream().to_string();
        let float = self.sig.float.to_token_stream().to_string();
        if self.values[v].class == Class::Other {
            if s == float || s == "f64" || s == "f32" {
                self.values[v].class = Class::F;
            } else if ["usize", "isize", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"].contains(&s.as_str()) {
                self.values[v].class = Class::Int;
            } else if s == "bool" {
                self.values[v].class = Class::Bool;
            }
        }
    }

    /// `vec![x; n]`, `vec![a, b]`, `[x; N]`, `[a, b]`, `x.to_vec()`,
    /// `x.clone()`, `*x`: a new local array, or `None` if `e` is not one.
    fn try_array_init(&mut self, e: &Expr, name: &syn::Ident) -> Option<A> {
        let (kind, init, len, elem) = self.array_init(e)?;
        let a = self.new_array(kind, name.clone(), elem, len, None);
        self.cur.push(Stmt::ArrNew { arr: a, init });
        Some(a)
    }

    fn array_init(&mut self, e: &Expr) -> Option<(ArrKind, ArrInit, Len, Class)> {
        let e = strip(e);
        match e {
            Expr::Macro(m) if m.mac.path.is_ident("vec") => {
                let parsed = self.parse_vec_macro(&m.mac)?;
                match parsed {
                    VecMacro::Repeat(x, n) => {
                        let val = self.lower_val(&x);
                        let nv = self.lower_val(&n);
                        let elem = self.elem_class(&[val]);
                        Some((ArrKind::LocalVec, ArrInit::Fill(val), Len::Dyn(nv), elem))
                    }
                    VecMacro::List(items) => {
                        let vals: Vec<V> = items.iter().map(|x| self.lower_val(x)).collect();
                        let elem = self.elem_class(&vals);
                        let n = vals.len();
                        Some((ArrKind::LocalVec, ArrInit::List(vals), Len::Const(quote!(#n)), elem))
                    }
                }
            }
            Expr::Repeat(r) => {
                let val = self.lower_val(&r.expr);
                let elem = self.elem_class(&[val]);
                Some((ArrKind::LocalArr, ArrInit::Fill(val), Len::Const(r.len.to_token_stream()), elem))
            }
            Expr::Array(arr) => {
                let vals: Vec<V> = arr.elems.iter().map(|x| self.lower_val(x)).collect();
                let elem = self.elem_class(&vals);
                let n = vals.len();
                Some((ArrKind::LocalArr, ArrInit::List(vals), Len::Const(quote!(#n)), elem))
            }
            Expr::MethodCall(mc) if (mc.method == "to_vec" || mc.method == "clone") && mc.args.is_empty() => {
                let name = single_ident(strip(&mc.receiver))?;
                let Some(Binding::Arr(src)) = self.lookup(&name).cloned() else { return None };
                let info = &self.arrays[src];
                let kind = if mc.method == "to_vec" || matches!(info.kind, ArrKind::ParamRef | ArrKind::ParamMut | ArrKind::LocalVec) {
                    ArrKind::LocalVec
                } else {
                    ArrKind::LocalArr
                };
                let (len, elem) = (info.len.clone(), info.elem);
                Some((kind, ArrInit::CopyOf(src), len, elem))
            }
            Expr::Unary(u) if matches!(u.op, UnOp::Deref(_)) => {
                let name = single_ident(strip(&u.expr))?;
                let Some(Binding::Arr(src)) = self.lookup(&name).cloned() else { return None };
                let info = &self.arrays[src];
                Some((ArrKind::LocalArr, ArrInit::CopyOf(src), info.len.clone(), info.elem))
            }
            _ => None,
        }
    }

    /// The element class of a new array: integer or boolean when its
    /// elements are, else float (a constant of unknown type such as a
    /// `const` item or `self.field` fills a float array: the array may hold
    /// derivatives later).
    fn elem_class(&mut self, vals: &[V]) -> Class {
        let classes: Vec<Class> = vals.iter().map(|v| self.class(*v)).collect();
        if classes.iter().any(|c| *c == Class::F) || classes.iter().all(|c| *c == Class::Other) {
            for v in vals {
                self.unify_f(*v);
            }
            Class::F
        } else if classes.contains(&Class::Int) {
            Class::Int
        } else {
            Class::Bool
        }
    }

    fn parse_vec_macro(&mut self, mac: &syn::Macro) -> Option<VecMacro> {
        if let Ok(r) = mac.parse_body::<VecRepeat>() {
            return Some(VecMacro::Repeat(r.0, r.1));
        }
        match mac.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated) {
            Ok(items) => Some(VecMacro::List(items.into_iter().collect())),
            Err(_) => {
                self.diag.spanned(mac, "could not read this `vec!`; write `vec![x; n]` or `vec![a, b, c]`");
                None
            }
        }
    }

    fn lower_stmt_expr(&mut self, e: &Expr) {
        match e {
            Expr::Assign(a) => self.lower_assign(&a.left, &a.right, None, a.span()),
            Expr::Binary(b) if is_compound(&b.op) => {
                let op = compound_base(&b.op);
                self.lower_assign(&b.left, &b.right, op, b.span())
            }
            Expr::If(_) | Expr::ForLoop(_) | Expr::While(_) | Expr::Block(_) => {
                self.lower_value_or_array(e);
            }
            _ => {
                self.lower_value_or_array(e);
            }
        }
    }

    /// `place = rhs`, or `place op= rhs` when `op` is given.
    fn lower_assign(&mut self, place: &Expr, rhs: &Expr, op: Option<BinOp>, span: Span) {
        let place = strip(place);
        match place {
            Expr::Path(_) => {
                let Some(name) = single_ident(place) else {
                    self.diag.spanned(place, "only local variables, array elements `a[i]` and whole local arrays can be assigned");
                    return;
                };
                match self.lookup(&name).cloned() {
                    Some(Binding::Val { v: old, .. }) => {
                        let new = match op {
                            None => match self.lower_value_or_array(rhs) {
                                Operand::Val(v) => v,
                                _ => {
                                    self.diag.spanned(rhs, "a scalar variable can only be assigned a scalar");
                                    return;
                                }
                            },
                            Some(op) => {
                                let r = self.lower_val(rhs);
                                self.binary(&op, old, r, span)
                            }
                        };
                        if let Some(ty_class) = Some(self.class(old)) {
                            if ty_class == Class::F {
                                self.unify_f(new);
                            }
                        }
                        self.set_val(&name, new);
                    }
                    Some(Binding::Arr(a)) => {
                        if op.is_some() {
                            self.diag.spanned(place, "compound assignment to a whole array is not supported; loop over its elements");
                            return;
                        }
                        if self.arrays[a].param.is_some() {
                            self.diag.spanned(place, "a parameter array cannot be reassigned as a whole; write its elements (`out[i] = ..`)");
                            return;
                        }
                        let init = if let Some((_, init, len, _)) = self.array_init(rhs) {
                            Some((init, len))
                        } else {
                            match self.lower_value_or_array(rhs) {
                                Operand::Arr(src) => Some((ArrInit::CopyOf(src), self.arrays[src].len.clone())),
                                _ => None,
                            }
                        };
                        match init {
                            Some((init, len)) => {
                                self.arrays[a].written = true;
                                self.cur.push(Stmt::ArrAssign { arr: a, init, len });
                            }
                            None => self.diag.spanned(rhs, "an array variable can only be assigned another array of the same length (`state = next;`, `v = vec![0.0; n];`)"),
                        }
                    }
                    Some(Binding::Tuple(_)) => self.diag.spanned(place, "assigning to a tuple variable is not supported; bind its elements with `let (a, b) = ..`"),
                    None => self.diag.spanned(place, format!("`{name}` is not a local variable of this function; only locals and `&mut` array parameters can be assigned")),
                }
            }
            Expr::Index(ix) => {
                let base = strip(&ix.expr);
                let Some(name) = single_ident(base) else {
                    self.diag.spanned(base, "only writes `a[i] = ..` into a local array or a `&mut` array parameter are supported (no nested indexing: flatten to `a[i * m + j]`)");
                    return;
                };
                let Some(Binding::Arr(a)) = self.lookup(&name).cloned() else {
                    self.diag.spanned(base, format!("`{name}` is not an array of this function: only local arrays and `&mut` array parameters can be written"));
                    return;
                };
                if self.arrays[a].kind == ArrKind::ParamRef {
                    self.diag.spanned(base, format!("`{name}` is a read-only array parameter; take it as `&mut [F]` to write it"));
                    return;
                }
                let idx = self.lower_val(&ix.index);
                self.check_index(idx, &ix.index);
                let val = match op {
                    None => self.lower_val(rhs),
                    Some(op) => {
                        let elem = self.arrays[a].elem;
                        let old = self.def(Op::Read(a, idx), elem, ix.span());
                        let r = self.lower_val(rhs);
                        self.binary(&op, old, r, span)
                    }
                };
                if self.arrays[a].elem == Class::F {
                    self.unify_f(val);
                }
                self.arrays[a].written = true;
                self.cur.push(Stmt::Store { arr: a, idx, val });
            }
            Expr::Field(f) => self.diag.spanned(f, "assigning to a field is not supported: `self` and other structs are constants in a #[differentiable] body"),
            Expr::Unary(u) if matches!(u.op, UnOp::Deref(_)) => self.diag.spanned(u, "writing through a reference is not supported; write into a `&mut [F]` array parameter by index"),
            other => self.diag.spanned(other, "this assignment target is not supported"),
        }
    }

    fn check_index(&mut self, idx: V, e: &Expr) {
        if self.class(idx) == Class::F {
            self.diag.spanned(e, "an index must be an integer; convert with `as usize`");
        }
    }

    // ----- expressions ----------------------------------------------------

    /// Lowers an expression that must be a scalar value.
    fn lower_val(&mut self, e: &Expr) -> V {
        match self.lower_value_or_array(e) {
            Operand::Val(v) => v,
            Operand::Arr(_) => {
                self.diag.spanned(e, "an array is used where a scalar is expected");
                self.dummy(e)
            }
            Operand::Tuple(_) => {
                self.diag.spanned(e, "a tuple is used where a scalar is expected; destructure it with `let (a, b) = ..`");
                self.dummy(e)
            }
            Operand::Unit => {
                self.diag.spanned(e, "this expression has no value");
                self.dummy(e)
            }
        }
    }

    fn dummy(&mut self, e: &Expr) -> V {
        self.def(Op::Lit(quote!(0.0)), Class::Other, e.span())
    }

    fn lower_value_or_array(&mut self, e: &Expr) -> Operand {
        if let Some(msg) = unsupported(e) {
            self.diag.spanned(e, msg);
            return Operand::Val(self.dummy(e));
        }
        let span = e.span();
        match e {
            Expr::Paren(p) => self.lower_value_or_array(&p.expr),
            Expr::Group(g) => self.lower_value_or_array(&g.expr),
            Expr::Lit(ExprLit { lit, .. }) => {
                let class = lit_class(lit);
                Operand::Val(self.def(Op::Lit(lit.to_token_stream()), class, span))
            }
            Expr::Path(p) => {
                if let Some(name) = single_ident(e) {
                    match self.lookup(&name).cloned() {
                        Some(Binding::Val { v, .. }) => return Operand::Val(v),
                        Some(Binding::Arr(a)) => return Operand::Arr(a),
                        Some(Binding::Tuple(t)) => return Operand::Tuple(t),
                        None => {}
                    }
                    if name == "self" {
                        return Operand::Val(self.def(Op::Lit(e.to_token_stream()), Class::Other, span));
                    }
                }
                // A constant: `PI`, `std::f64::consts::PI`, `f64::EPSILON`,
                // a `const` item.
                let float_path = p.path.segments.iter().any(|s| s.ident == "consts")
                    || is_float_type_path(&p.path, self.sig);
                let class = if float_path { Class::F } else { Class::Other };
                Operand::Val(self.def(Op::Lit(e.to_token_stream()), class, span))
            }
            Expr::Unary(u) => match u.op {
                UnOp::Neg(_) => {
                    let a = self.lower_val(&u.expr);
                    match self.class(a) {
                        Class::F => Operand::Val(self.def(Op::Neg(a), Class::F, span)),
                        c => Operand::Val(self.opaque_from({ let t = self.vt(a); quote!((-#t)) }, vec![a], c, true, e)),
                    }
                }
                UnOp::Not(_) => {
                    let a = self.lower_val(&u.expr);
                    let c = self.class(a);
                    Operand::Val(self.opaque_from({ let t = self.vt(a); quote!((!#t)) }, vec![a], c, true, e))
                }
                UnOp::Deref(_) => {
                    let inner = self.lower_value_or_array(&u.expr);
                    match inner {
                        Operand::Val(v) if self.class(v) == Class::Other => {
                            Operand::Val(self.opaque_from({ let t = self.vt(v); quote!((*#t)) }, vec![v], Class::Other, true, e))
                        }
                        other => other,
                    }
                }
                _ => {
                    self.diag.spanned(e, "this unary operator is not supported");
                    Operand::Val(self.dummy(e))
                }
            },
            Expr::Binary(b) => {
                if is_compound(&b.op) {
                    self.diag.spanned(e, "compound assignment is a statement, not a value");
                    return Operand::Val(self.dummy(e));
                }
                match b.op {
                    BinOp::And(_) | BinOp::Or(_) => Operand::Val(self.short_circuit(b)),
                    _ => {
                        let l = self.lower_val(&b.left);
                        let r = self.lower_val(&b.right);
                        Operand::Val(self.binary(&b.op, l, r, span))
                    }
                }
            }
            Expr::Cast(c) => {
                let v = self.lower_val(&c.expr);
                let target = c.ty.to_token_stream().to_string();
                let float = self.sig.float.to_token_stream().to_string();
                let is_float_target = target == "f64" || target == "f32";
                match self.class(v) {
                    Class::F if is_float_target && target == float => Operand::Val(v),
                    Class::F if is_float_target => {
                        self.diag.spanned(c, format!("casting between float types (`{float}` to `{target}`) is not supported in a #[differentiable] body: a function uses one float type"));
                        Operand::Val(v)
                    }
                    _ => {
                        let class = if is_float_target { Class::F } else if target == "bool" { Class::Bool } else { Class::Int };
                        let ty = &c.ty;
                        let vi = self.vt(v);
                        Operand::Val(self.opaque_from(quote!((#vi as #ty)), vec![v], class, true, e))
                    }
                }
            }
            Expr::Index(ix) => {
                let base = strip(&ix.expr);
                if let Expr::Range(_) = strip(&ix.index) {
                    self.diag.spanned(e, "slicing `a[i..j]` is not supported; index single elements `a[i]` (or pass the whole array and the bounds)");
                    return Operand::Val(self.dummy(e));
                }
                if let Expr::Index(inner) = base {
                    if let Expr::Range(_) = strip(&inner.index) {
                        self.diag.spanned(inner, "slicing `a[i..j]` is not supported; index single elements `a[i]`");
                        return Operand::Val(self.dummy(e));
                    }
                }
                if let Some(name) = single_ident(base) {
                    if let Some(Binding::Val { v, .. }) = self.lookup(&name).cloned() {
                        if self.call_values.contains(&v) {
                            self.diag.spanned(e, "indexing the result of a differentiable call is not supported: a call's result can be a scalar or a tuple of scalars; write the callee with a `&mut [F]` output parameter instead");
                            return Operand::Val(self.dummy(e));
                        }
                    }
                    if let Some(Binding::Arr(a)) = self.lookup(&name).cloned() {
                        let idx = self.lower_val(&ix.index);
                        self.check_index(idx, &ix.index);
                        let elem = self.arrays[a].elem;
                        return Operand::Val(self.def(Op::Read(a, idx), elem, span));
                    }
                }
                if let Expr::Index(_) = base {
                    self.diag.spanned(e, "nested indexing `a[i][j]` is not supported; flatten the array and write `a[i * m + j]`");
                    return Operand::Val(self.dummy(e));
                }
                if let Expr::Range(_) = strip(&ix.index) {
                    self.diag.spanned(&ix.index, "slicing `a[i..j]` is not supported; index single elements");
                    return Operand::Val(self.dummy(e));
                }
                Operand::Val(self.opaque(e, Class::Other, true))
            }
            Expr::Field(f) => {
                if let syn::Member::Unnamed(idx) = &f.member {
                    if let Some(name) = single_ident(strip(&f.base)) {
                        if let Some(Binding::Tuple(t)) = self.lookup(&name).cloned() {
                            return match t.get(idx.index as usize) {
                                Some(o) => o.clone(),
                                None => {
                                    self.diag.spanned(f, "tuple index out of range");
                                    Operand::Val(self.dummy(e))
                                }
                            };
                        }
                    }
                }
                Operand::Val(self.opaque(e, Class::Other, true))
            }
            Expr::Tuple(t) => {
                if t.elems.is_empty() {
                    return Operand::Unit;
                }
                Operand::Tuple(t.elems.iter().map(|x| self.lower_value_or_array(x)).collect())
            }
            Expr::Block(b) => {
                if let Some(l) = &b.label {
                    self.diag.spanned(l, "labels are not supported");
                }
                let saved_scope_len = self.scopes.len();
                self.scopes.push(Vec::new());
                let t = self.lower_block_stmts(&b.block.stmts, false);
                self.scopes.truncate(saved_scope_len);
                t
            }
            Expr::If(i) => self.lower_if(i),
            Expr::ForLoop(f) => {
                self.lower_for(f);
                Operand::Unit
            }
            Expr::While(w) => {
                self.lower_while(w);
                Operand::Unit
            }
            Expr::MethodCall(mc) => self.lower_method_call(mc),
            Expr::Call(c) => self.lower_call(c),
            Expr::Reference(r) if self.is_foreign_place(strip(&r.expr)) => Operand::Val(self.opaque(e, Class::Other, true)),
            Expr::Reference(r) => {
                let inner = self.lower_value_or_array(&r.expr);
                match inner {
                    Operand::Arr(a) => Operand::Arr(a),
                    Operand::Val(v) => {
                        let m = r.mutability;
                        Operand::Val(self.opaque_from({ let t = self.vt(v); quote!((&#m #t)) }, vec![v], Class::Other, true, e))
                    }
                    other => other,
                }
            }
            Expr::Macro(m) => {
                let name = m.mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                if name == "vec" {
                    self.diag.spanned(e, "`vec![..]` is only supported as the value of a `let`, of an array assignment, or as the result");
                } else {
                    self.diag.spanned(&m.mac, format!("`{name}!` is not supported in a #[differentiable] body (macros cannot be differentiated); move it out of the function"));
                }
                Operand::Val(self.dummy(e))
            }
            Expr::Array(_) | Expr::Repeat(_) => {
                let Some((kind, init, len, elem)) = self.array_init(e) else { return Operand::Val(self.dummy(e)) };
                let a = self.new_array(kind, syn::Ident::new("__lit", Span::call_site()), elem, len, None);
                self.cur.push(Stmt::ArrNew { arr: a, init });
                Operand::Arr(a)
            }
            Expr::Assign(_) => {
                self.diag.spanned(e, "an assignment is a statement, not a value");
                Operand::Val(self.dummy(e))
            }
            _ => {
                self.diag.spanned(e, "this expression is not supported in a #[differentiable] body");
                Operand::Val(self.dummy(e))
            }
        }
    }

    /// An array result expression like `vec![a, b]` in tail position.
    fn binary(&mut self, op: &BinOp, l: V, r: V, span: Span) -> V {
        let (cl, cr) = (self.class(l), self.class(r));
        let float = cl == Class::F || cr == Class::F;
        let arith = match op {
            BinOp::Add(_) => Some(Bin::Add),
            BinOp::Sub(_) => Some(Bin::Sub),
            BinOp::Mul(_) => Some(Bin::Mul),
            BinOp::Div(_) => Some(Bin::Div),
            _ => None,
        };
        if float {
            if let Some(b) = arith {
                self.unify_f(l);
                self.unify_f(r);
                return self.def(Op::Bin(b, l, r), Class::F, span);
            }
        }
        let (li, ri) = (self.vt(l), self.vt(r));
        let class = match op {
            BinOp::Eq(_) | BinOp::Ne(_) | BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_) => Class::Bool,
            BinOp::Rem(_) if float => {
                self.diag.at(span, "the float remainder `%` has no derivative rule; write `x - (x / m).floor() * m`");
                Class::F
            }
            _ if cl == Class::Int || cr == Class::Int => Class::Int,
            _ if cl == Class::Bool && cr == Class::Bool => Class::Bool,
            _ => Class::Other,
        };
        let tokens = quote!((#li #op #ri));
        let v = self.new_val(class, span);
        self.cur.push(Stmt::Def { v, op: Op::Opaque { tokens, deps: vec![l, r], pure: true } });
        v
    }

    /// `a && b`, `a || b`: keeps short-circuit evaluation.
    fn short_circuit(&mut self, b: &syn::ExprBinary) -> V {
        let l = self.lower_val(&b.left);
        let is_and = matches!(b.op, BinOp::And(_));
        let names: Vec<String> = self.visible_mut().into_iter().map(|(n, _)| n).collect();
        let before: Vec<V> = names.iter().map(|n| self.current(n).unwrap_or(0)).collect();
        let (then, r) = self.nested(|s| s.lower_val(&b.right));
        self.reject_assignments(&names, &before, &b.right, "the right operand of `&&` / `||`");
        let short = !is_and;
        let (els, k) = self.nested(|s| s.def(Op::Lit(quote!(#short)), Class::Bool, b.span()));
        let out = self.new_val(Class::Bool, b.span());
        let (then, els, a, bb) = if is_and { (then, els, r, k) } else { (els, then, k, r) };
        self.cur.push(Stmt::If { cond: l, then, els, phis: vec![Phi { out, a, b: bb }] });
        out
    }

    fn lower_if(&mut self, i: &syn::ExprIf) -> Operand {
        let cond = self.lower_val(&i.cond);
        if self.class(cond) == Class::F {
            self.diag.spanned(&i.cond, "an `if` condition must be a `bool` (compare values with `<`, `>`, ..)");
        }
        let before = self.visible_mut();
        let (then, tv) = self.nested(|s| s.lower_block_stmts(&i.then_branch.stmts, false));
        let after_then: Vec<V> = before.iter().map(|(n, _)| self.current(n).unwrap_or(0)).collect();
        for (n, v) in &before {
            self.set_val(n, *v);
        }
        let (els, ev) = match &i.else_branch {
            Some((_, e)) => self.nested(|s| s.lower_value_or_array(e)),
            None => (Block::default(), Operand::Unit),
        };
        let after_else: Vec<V> = before.iter().map(|(n, _)| self.current(n).unwrap_or(0)).collect();
        let mut phis = Vec::new();
        for (k, (n, _)) in before.iter().enumerate() {
            let (a, b) = (after_then[k], after_else[k]);
            if a == b {
                self.set_val(n, a);
            } else {
                let class = self.merge_class(a, b);
                let out = self.new_val(class, i.span());
                phis.push(Phi { out, a, b });
                self.set_val(n, out);
            }
        }
        let result = match (tv, ev) {
            (Operand::Unit, _) | (_, Operand::Unit) => Operand::Unit,
            (Operand::Val(a), Operand::Val(b)) => Operand::Val(self.phi_val(a, b, &mut phis, i.span())),
            (Operand::Tuple(ta), Operand::Tuple(tb)) if ta.len() == tb.len() => {
                let mut out = Vec::new();
                for (x, y) in ta.into_iter().zip(tb) {
                    match (x, y) {
                        (Operand::Val(a), Operand::Val(b)) => out.push(Operand::Val(self.phi_val(a, b, &mut phis, i.span()))),
                        _ => {
                            self.diag.spanned(i, "an `if` expression can yield scalars or tuples of scalars, not arrays");
                        }
                    }
                }
                Operand::Tuple(out)
            }
            _ => {
                self.diag.spanned(i, "an `if` expression can yield scalars or tuples of scalars, not arrays; assign array elements in each branch instead");
                Operand::Unit
            }
        };
        self.cur.push(Stmt::If { cond, then, els, phis });
        result
    }

    fn merge_class(&mut self, a: V, b: V) -> Class {
        let (ca, cb) = (self.class(a), self.class(b));
        if ca == Class::F || cb == Class::F {
            self.unify_f(a);
            self.unify_f(b);
            Class::F
        } else if ca == Class::Other {
            cb
        } else {
            ca
        }
    }

    fn phi_val(&mut self, a: V, b: V, phis: &mut Vec<Phi>, span: Span) -> V {
        if a == b {
            return a;
        }
        let class = self.merge_class(a, b);
        let out = self.new_val(class, span);
        phis.push(Phi { out, a, b });
        out
    }

    /// Conditions must not assign: an assignment there would run a
    /// different number of times than the code around it assumes.
    fn reject_assignments(&mut self, names: &[String], before: &[V], e: &Expr, what: &str) {
        let changed = names.iter().zip(before).any(|(n, b)| self.current(n) != Some(*b));
        if changed {
            self.diag.spanned(e, format!("assignments inside {what} are not supported; compute the value before (or in the loop body) and test a variable"));
        }
    }

    /// State to return to when a loop is lowered again.
    fn mark(&self) -> Mark {
        Mark { values: self.values.len(), arrays: self.arrays.len(), cur: self.cur.len(), diag: self.diag.len(), scopes: self.scopes.clone(), items: self.items.len() }
    }

    fn rewind(&mut self, m: &Mark) {
        self.values.truncate(m.values);
        self.arrays.truncate(m.arrays);
        self.cur.truncate(m.cur);
        self.diag.truncate(m.diag);
        self.scopes = m.scopes.clone();
        self.call_values.retain(|v| *v < m.values);
        self.items.truncate(m.items);
    }

    /// Carried scalars whose class only the body revealed to be float (a
    /// `let mut s = C;` from a constant of unknown type, reassigned a float
    /// in the loop): the body must be lowered again knowing it.
    fn late_floats(&self, opened: &[(String, V, V)]) -> Vec<String> {
        opened
            .iter()
            .filter(|(n, _, phi)| self.class(*phi) != Class::F && self.current(n).is_some_and(|next| self.class(next) == Class::F))
            .map(|(n, _, _)| n.clone())
            .collect()
    }

    /// Loop-carried scalars: every visible `let mut` scalar gets a phi; after
    /// the body, carries whose value did not change are turned into copies
    /// of their initial value.
    fn open_carries(&mut self, span: Span, floats: &[String]) -> Vec<(String, V, V)> {
        let vis = self.visible_mut();
        let mut out = Vec::new();
        for (n, init) in vis {
            let class = if floats.contains(&n) { Class::F } else { self.class(init) };
            let phi = self.new_val(class, span);
            self.set_val(&n, phi);
            out.push((n, init, phi));
        }
        out
    }

    fn close_carries(&mut self, opened: Vec<(String, V, V)>, body: &mut Block, span: Span) -> Vec<Carry> {
        let mut carried = Vec::new();
        let mut copies = Vec::new();
        for (n, init, phi) in opened {
            let next = self.current(&n).unwrap_or(phi);
            if next == phi {
                copies.push(Stmt::Def { v: phi, op: Op::Copy(init) });
                self.set_val(&n, init);
            } else {
                let class = self.merge_class(init, next);
                self.values[phi].class = class;
                let out = self.new_val(class, span);
                self.set_val(&n, out);
                carried.push(Carry { init, phi, next, out });
            }
        }
        copies.append(&mut body.stmts);
        body.stmts = copies;
        carried
    }

    fn lower_for(&mut self, f: &syn::ExprForLoop) {
        if let Some(l) = &f.label {
            self.diag.spanned(l, "loop labels are not supported");
        }
        let Some(range) = self.lower_range(&f.expr) else { return };
        let idx = self.new_val(Class::Int, f.pat.span());
        let start = self.mark();
        let mut floats = Vec::new();
        let (opened, mut body) = loop {
            let opened = self.open_carries(f.span(), &floats);
            let (body, ()) = self.nested(|s| {
                match &*f.pat {
                    Pat::Ident(pi) if pi.subpat.is_none() => s.bind(pi.ident.to_string(), Binding::Val { v: idx, mutable: false }),
                    Pat::Wild(_) => {}
                    other => s.diag.spanned(other, "the loop variable must be a name or `_`"),
                }
                s.lower_block_stmts(&f.body.stmts, false);
            });
            let late = self.late_floats(&opened);
            if late.is_empty() {
                break (opened, body);
            }
            self.rewind(&start);
            floats.extend(late);
        };
        let carried = self.close_carries(opened, &mut body, f.span());
        self.cur.push(Stmt::For { idx, range, carried, body });
    }

    fn lower_range(&mut self, e: &Expr) -> Option<RangeSpec> {
        let mut adapters_rev = Vec::new();
        let mut cur = strip(e);
        loop {
            match cur {
                Expr::MethodCall(mc) if mc.method == "rev" && mc.args.is_empty() => {
                    adapters_rev.push((None, mc));
                    cur = strip(&mc.receiver);
                }
                Expr::MethodCall(mc) if mc.method == "step_by" && mc.args.len() == 1 => {
                    adapters_rev.push((Some(&mc.args[0]), mc));
                    cur = strip(&mc.receiver);
                }
                _ => break,
            }
        }
        let Expr::Range(r) = cur else {
            let hint = match cur {
                Expr::MethodCall(mc) if ["iter", "iter_mut", "into_iter", "enumerate", "zip"].contains(&mc.method.to_string().as_str()) => {
                    "iterating over an array is not supported yet; loop over indices: `for i in 0..x.len() { .. x[i] .. }`"
                }
                _ => "a `for` loop must iterate over a range: `a..b`, `a..=b`, optionally with `.rev()` and `.step_by(k)`",
            };
            self.diag.spanned(e, hint);
            return None;
        };
        let (Some(lo), Some(hi)) = (&r.start, &r.end) else {
            self.diag.spanned(r, "the range of a `for` loop needs both bounds (`a..b`)");
            return None;
        };
        let lo = self.lower_val(lo);
        let hi = self.lower_val(hi);
        for v in [lo, hi] {
            if self.class(v) == Class::F {
                self.diag.spanned(r, "loop bounds must be integers; convert with `as usize`");
            }
        }
        let inclusive = matches!(r.limits, syn::RangeLimits::Closed(_));
        let mut adapters = Vec::new();
        for (step, _) in adapters_rev.into_iter().rev() {
            match step {
                None => adapters.push(RangeAdapter::Rev),
                Some(k) => {
                    let kv = self.lower_val(k);
                    adapters.push(RangeAdapter::StepBy(kv));
                }
            }
        }
        Some(RangeSpec { lo, hi, inclusive, adapters })
    }

    fn lower_while(&mut self, w: &syn::ExprWhile) {
        if let Some(l) = &w.label {
            self.diag.spanned(l, "loop labels are not supported");
        }
        if let Expr::Let(_) = strip(&w.cond) {
            self.diag.spanned(&w.cond, "`while let` is not supported; write `while cond { .. }`");
            return;
        }
        let start = self.mark();
        let mut floats = Vec::new();
        let (opened, mut cond_block, cond, body) = loop {
            let opened = self.open_carries(w.span(), &floats);
            let before: Vec<V> = opened.iter().map(|(n, _, _)| self.current(n).unwrap_or(0)).collect();
            let (cond_block, cond) = self.nested(|s| s.lower_val(&w.cond));
            self.reject_assignments(&opened.iter().map(|(n, _, _)| n.clone()).collect::<Vec<_>>(), &before, &w.cond, "a `while` condition");
            let (body, ()) = self.nested(|s| {
                s.lower_block_stmts(&w.body.stmts, false);
            });
            let late = self.late_floats(&opened);
            if late.is_empty() {
                break (opened, cond_block, cond, body);
            }
            self.rewind(&start);
            floats.extend(late);
        };
        if self.class(cond) == Class::F {
            self.diag.spanned(&w.cond, "a `while` condition must be a `bool`");
        }
        let carried = self.close_carries(opened, &mut cond_block, w.span());
        let trips = self.new_val(Class::Int, w.span());
        self.cur.push(Stmt::While { cond_block, cond, carried, body, trips });
    }

    // ----- calls ----------------------------------------------------------

    fn lower_method_call(&mut self, mc: &syn::ExprMethodCall) -> Operand {
        let e_span = mc.span();
        let method = mc.method.to_string();
        let recv_e = strip(&mc.receiver);
        // `T::from(2.0)` unwrapped, and friends: a constant.
        if method == "unwrap" || method == "expect" {
            if let Expr::Call(c) = recv_e {
                if let Some((path, last)) = path_last(&c.func) {
                    if last == "from" && is_float_type_path(path, self.sig) {
                        let e = Expr::MethodCall(mc.clone());
                        return Operand::Val(self.opaque(&e, Class::F, true));
                    }
                }
            }
        }
        if method == "sin_cos" && mc.args.is_empty() {
            let a = self.lower_val(&mc.receiver);
            self.unify_f(a);
            let s = self.def(Op::Math { fun: "sin", args: vec![a], int_arg: None }, Class::F, e_span);
            let c = self.def(Op::Math { fun: "cos", args: vec![a], int_arg: None }, Class::F, e_span);
            return Operand::Tuple(vec![Operand::Val(s), Operand::Val(c)]);
        }
        // Receiver first.
        // A method of a field or static (`self.w.len()`, `self.inner.g(x)`):
        // the receiver stays a place, it is not copied out.
        if self.is_foreign_place(recv_e) && rules::rule(&method).is_none() {
            if self.any_active_arg(&mc.args) {
                return self.composed_method(mc, None);
            }
            let e = Expr::MethodCall(mc.clone());
            let pure = matches!(method.as_str(), "len" | "is_empty");
            let cls = if pure { if method == "len" { Class::Int } else { Class::Bool } } else { Class::Other };
            return Operand::Val(self.opaque(&e, cls, pure));
        }
        let is_self = single_ident(recv_e).as_deref() == Some("self");
        if let Some(name) = single_ident(recv_e) {
            if let Some(Binding::Val { v, .. }) = self.lookup(&name) {
                if self.call_values.contains(v) {
                    self.diag.spanned(mc, "the result of a differentiable call is a scalar or a tuple of scalars; to get an array from a call, write the callee with a `&mut [F]` output parameter");
                    return Operand::Val(self.dummy(&mc.receiver));
                }
            }
        }
        let recv = if is_self { None } else { Some(self.lower_value_or_array(&mc.receiver)) };
        match &recv {
            Some(Operand::Arr(a)) => {
                let a = *a;
                if method == "len" && mc.args.is_empty() {
                    return Operand::Val(match self.arrays[a].len.clone() {
                        Len::Dyn(v) => v,
                        Len::Const(t) => self.def(Op::Lit(t), Class::Int, e_span),
                    });
                }
                let msg = match method.as_str() {
                    "iter" | "iter_mut" | "into_iter" | "sum" | "map" | "fold" | "zip" | "product" => {
                        "iterator chains are not supported yet; write a `for i in 0..x.len()` loop"
                    }
                    "to_vec" | "clone" => "a copy of an array can only be bound with `let` (`let y = x.to_vec();`) or assigned to an array variable",
                    "push" | "pop" | "insert" | "remove" | "extend" | "resize" | "truncate" | "clear" => {
                        "changing the length of an array is not supported; allocate it with its final length (`vec![0.0; n]`) and write by index"
                    }
                    _ => "this array method is not supported in a #[differentiable] body; supported: indexing and `.len()`",
                };
                self.diag.spanned(&mc.method, msg);
                return Operand::Val(self.dummy(&mc.receiver));
            }
            Some(Operand::Val(r)) => {
                let r = *r;
                let class = self.class(r);
                if let Some(rule) = rules::rule(&method) {
                    if matches!(class, Class::F | Class::Other) {
                        return Operand::Val(self.math(rule, r, &mc.args, e_span, &mc.method));
                    }
                }
                if class == Class::F {
                    if FLOAT_BOOL_METHODS.contains(&method.as_str()) {
                        let e = Expr::MethodCall(mc.clone());
                        return Operand::Val(self.opaque(&e, Class::Bool, true));
                    }
                    if method == "clone" {
                        return Operand::Val(r);
                    }
                    self.diag.spanned(&mc.method, format!("the float method `{method}` has no derivative rule; supported: {}", rule_names()));
                    return Operand::Val(self.dummy(&mc.receiver));
                }
                if class == Class::Other && self.any_active_arg(&mc.args) {
                    return self.composed_method(mc, Some(r));
                }
                let e = Expr::MethodCall(mc.clone());
                let pure = matches!(method.as_str(), "len" | "min" | "max" | "abs" | "pow" | "clone" | "is_empty");
                let cls = if class == Class::Int && pure { Class::Int } else { Class::Other };
                return Operand::Val(self.opaque(&e, cls, pure));
            }
            Some(_) => {
                self.diag.spanned(&mc.receiver, "a method call on a tuple is not supported");
                return Operand::Val(self.dummy(&mc.receiver));
            }
            None => {}
        }
        // `self.method(..)`.
        if self.any_active_arg(&mc.args) {
            return self.composed_method(mc, None);
        }
        let e = Expr::MethodCall(mc.clone());
        Operand::Val(self.opaque(&e, Class::Other, false))
    }

    /// Whether some argument is a float value or an array (so the call
    /// needs a derivative).
    fn any_active_arg(&self, args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>) -> bool {
        args.iter().any(|a| self.maybe_float(a))
    }

    /// A syntactic look: does this expression mention a float local or an
    /// array?
    fn maybe_float(&self, e: &Expr) -> bool {
        struct Finder<'b, 'c> {
            l: &'b Lower<'c>,
            found: bool,
        }
        impl<'ast> syn::visit::Visit<'ast> for Finder<'_, '_> {
            fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
                if let Some(id) = p.path.get_ident() {
                    match self.l.lookup(&id.to_string()) {
                        Some(Binding::Val { v, .. }) if self.l.values[*v].class == Class::F => self.found = true,
                        Some(Binding::Arr(a)) if self.l.arrays[*a].elem == Class::F => self.found = true,
                        Some(Binding::Tuple(_)) => self.found = true,
                        _ => {}
                    }
                }
            }
            fn visit_expr_lit(&mut self, l: &'ast ExprLit) {
                if matches!(l.lit, Lit::Float(_)) {
                    self.found = true;
                }
            }
        }
        let mut f = Finder { l: self, found: false };
        syn::visit::Visit::visit_expr(&mut f, e);
        f.found
    }

    fn math(&mut self, rule: &'static rules::Rule, recv: V, args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>, span: Span, m: &dyn ToTokens) -> V {
        self.unify_f(recv);
        let mut vals = vec![recv];
        let mut int_arg = None;
        if rule.name == "powi" {
            if args.len() != 1 {
                self.diag.spanned(m, "`powi` takes one integer exponent");
            } else {
                let n = self.lower_val(&args[0]);
                if self.class(n) == Class::F {
                    self.diag.spanned(&args[0], "the exponent of `powi` is an integer; use `powf` for a float exponent");
                }
                int_arg = Some(n);
            }
        } else {
            if args.len() + 1 != rule.arity {
                self.diag.spanned(m, format!("`{}` takes {} argument(s)", rule.name, rule.arity - 1));
            }
            for a in args {
                let v = self.lower_val(a);
                self.unify_f(v);
                vals.push(v);
            }
        }
        self.def(Op::Math { fun: rule.name, args: vals, int_arg }, Class::F, span)
    }

    fn lower_call(&mut self, c: &syn::ExprCall) -> Operand {
        let span = c.span();
        let Some((path, last)) = path_last(strip(&c.func)) else {
            self.diag.spanned(&c.func, "only calls of functions by path (`g(..)`, `module::g(..)`) are supported");
            return Operand::Val(self.def(Op::Lit(quote!(0.0)), Class::Other, span));
        };
        // `f64::sin(x)`, `T::max(a, b)`, `Float::sqrt(x)`.
        if is_float_type_path(path, self.sig) {
            if let Some(rule) = rules::rule(&last) {
                if c.args.is_empty() {
                    self.diag.spanned(c, format!("`{last}` needs its argument"));
                    return Operand::Val(self.dummy(&c.func));
                }
                let recv = self.lower_val(&c.args[0]);
                let rest: syn::punctuated::Punctuated<Expr, syn::Token![,]> = c.args.iter().skip(1).cloned().collect();
                return Operand::Val(self.math(rule, recv, &rest, span, &c.func));
            }
            if last == "sin_cos" && c.args.len() == 1 {
                let a = self.lower_val(&c.args[0]);
                self.unify_f(a);
                let s = self.def(Op::Math { fun: "sin", args: vec![a], int_arg: None }, Class::F, span);
                let co = self.def(Op::Math { fun: "cos", args: vec![a], int_arg: None }, Class::F, span);
                return Operand::Tuple(vec![Operand::Val(s), Operand::Val(co)]);
            }
            if CONST_FNS.contains(&last.as_str()) && c.args.is_empty() {
                return Operand::Val(self.def(Op::Lit(c.to_token_stream()), Class::F, span));
            }
            if last == "from" {
                let e = Expr::Call(c.clone());
                return Operand::Val(self.opaque(&e, Class::Other, true));
            }
            if self.any_active_arg(&c.args) {
                self.diag.spanned(&c.func, format!("the float function `{last}` has no derivative rule; supported: {}", rule_names()));
                return Operand::Val(self.dummy(&c.func));
            }
        }
        let deny = path.segments.iter().any(|s| s.ident == "mem" || s.ident == "ptr" || s.ident == "transmute");
        if deny {
            self.diag.spanned(c, "this std function is not supported in a #[differentiable] body");
            return Operand::Val(self.dummy(&c.func));
        }
        if self.any_active_arg(&c.args) {
            let mut prefix = TokenStream::new();
            let segs: Vec<_> = path.segments.iter().collect();
            if path.leading_colon.is_some() {
                prefix.extend(quote!(::));
            }
            for s in &segs[..segs.len() - 1] {
                prefix.extend(quote!(#s ::));
            }
            let name = segs[segs.len() - 1].ident.clone();
            if !matches!(segs[segs.len() - 1].arguments, syn::PathArguments::None) {
                self.diag.spanned(&c.func, "turbofish arguments on a differentiable call are not supported");
            }
            let args = self.call_args(&c.args);
            return self.call_result(Callee::Path { prefix, name }, args, span);
        }
        let e = Expr::Call(c.clone());
        Operand::Val(self.opaque(&e, Class::Other, false))
    }

    fn composed_method(&mut self, mc: &syn::ExprMethodCall, recv: Option<V>) -> Operand {
        if mc.turbofish.is_some() {
            self.diag.spanned(mc, "turbofish arguments on a differentiable call are not supported");
        }
        let (recv_tokens, recv_deps) = match recv {
            None => self.subst(&mc.receiver),
            Some(v) => (self.vt(v), vec![v]),
        };
        let args = self.call_args(&mc.args);
        self.call_result(Callee::Method { recv: recv_tokens, recv_deps, name: mc.method.clone() }, args, mc.span())
    }

    fn call_args(&mut self, args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>) -> Vec<Arg> {
        let mut out = Vec::new();
        for a in args {
            let inner = strip(a);
            let (is_mut, target) = match inner {
                Expr::Reference(r) => (r.mutability.is_some(), strip(&r.expr)),
                _ => (false, inner),
            };
            if let Some(name) = single_ident(target) {
                if let Some(Binding::Arr(arr)) = self.lookup(&name).cloned() {
                    let toks = self.arr_tokens(arr);
                    let kind = self.arrays[arr].kind;
                    let param = self.arrays[arr].param.is_some();
                    let is_ref = matches!(inner, Expr::Reference(_));
                    if is_mut || (!is_ref && kind == ArrKind::ParamMut) {
                        if kind == ArrKind::ParamRef {
                            self.diag.spanned(a, format!("`{name}` is read-only; take it as `&mut [F]` to pass it mutably"));
                        }
                        self.arrays[arr].written = true;
                        let t = if param { quote!(&mut *#toks) } else { quote!(&mut #toks) };
                        out.push(Arg::ArrMut(arr, t));
                    } else if is_ref {
                        let t = if param { quote!(&*#toks) } else { quote!(&#toks) };
                        out.push(Arg::ArrRef(arr, t));
                    } else if kind == ArrKind::LocalVec {
                        self.diag.spanned(a, format!("pass the local `Vec` by reference: `&{name}`"));
                    } else if kind == ArrKind::ParamRef {
                        out.push(Arg::ArrRef(arr, toks));
                    } else {
                        out.push(Arg::ArrVal(arr, toks));
                    }
                    continue;
                }
            }
            match self.lower_value_or_array(a) {
                Operand::Val(v) => {
                    if self.class(v) == Class::F {
                        out.push(Arg::Scalar(v));
                    } else {
                        out.push(Arg::Other(self.vt(v), vec![v]));
                    }
                }
                Operand::Arr(arr) => {
                    let toks = self.arr_tokens(arr);
                    out.push(Arg::ArrRef(arr, quote!(&#toks)));
                }
                _ => self.diag.spanned(a, "a tuple cannot be passed to a differentiable call; pass its elements"),
            }
        }
        out
    }

    fn call_result(&mut self, callee: Callee, args: Vec<Arg>, span: Span) -> Operand {
        // The result shape is read from how it is used: `let (a, b) = g(..)`
        // destructures a tuple; anything else is a scalar.
        let v = self.new_val(Class::F, span);
        self.cur.push(Stmt::Def { v, op: Op::Call { callee, args, tuple: None } });
        self.call_values.insert(v);
        Operand::Val(v)
    }

    fn is_call(&self, v: V) -> bool {
        matches!(self.cur.last(), Some(Stmt::Def { v: dv, op: Op::Call { .. } }) if *dv == v)
    }

    /// Turns a call result that is destructured into a tuple.
    pub fn as_tuple(&mut self, v: V, k: usize, span: Span) -> Option<Vec<Operand>> {
        let last = self.cur.last_mut()?;
        if let Stmt::Def { v: dv, op: Op::Call { tuple, .. } } = last {
            if *dv == v {
                *tuple = Some(k);
                self.values[v].class = Class::Other;
                let mut out = Vec::new();
                for i in 0..k {
                    out.push(Operand::Val(self.def(Op::Proj(v, i), Class::F, span)));
                }
                return Some(out);
            }
        }
        None
    }

    // ----- opaque expressions ----------------------------------------------

    /// A place that is not a local of the function: a field (`self.w`), a
    /// static or constant path, an element of one.
    fn is_foreign_place(&self, e: &Expr) -> bool {
        match strip(e) {
            Expr::Field(_) => true,
            Expr::Path(p) => match p.path.get_ident() {
                Some(id) => id != "self" && self.lookup(&id.to_string()).is_none(),
                None => true,
            },
            Expr::Index(ix) => self.is_foreign_place(&ix.expr),
            _ => false,
        }
    }

    /// Tokens of an expression with local names replaced, and its deps.
    fn subst(&mut self, e: &Expr) -> (TokenStream, Vec<V>) {
        let mut e2 = e.clone();
        let mut sub = Subst { l: self, deps: Vec::new(), errors: Vec::new(), mutable_array: false };
        sub.visit_expr_mut(&mut e2);
        let Subst { deps, errors, .. } = sub;
        for (span, msg) in errors {
            self.diag.at(span, msg);
        }
        (e2.to_token_stream(), deps)
    }

    /// An inactive expression, with local names replaced by their values.
    fn opaque(&mut self, e: &Expr, class: Class, pure: bool) -> V {
        let mut e2 = e.clone();
        let mut sub = Subst { l: self, deps: Vec::new(), errors: Vec::new(), mutable_array: false };
        sub.visit_expr_mut(&mut e2);
        let Subst { deps, errors, mutable_array, .. } = sub;
        // Recomputing it in the backward sweep would read the array's final
        // contents (and capture it): it is stored instead.
        let pure = pure && !mutable_array;
        for (span, msg) in errors {
            self.diag.at(span, msg);
        }
        self.opaque_from(e2.to_token_stream(), deps, class, pure, e)
    }

    fn opaque_from(&mut self, tokens: TokenStream, deps: Vec<V>, class: Class, pure: bool, e: &dyn ToTokens) -> V {
        if matches!(class, Class::F | Class::Other) && deps.iter().any(|d| self.class(*d) == Class::F) {
            self.diag.spanned(e, "this expression has no derivative rule but uses a float value that may carry a derivative; supported are arithmetic, the float methods of std, and calls to #[differentiable] functions");
        }
        let span = e.to_token_stream().into_iter().next().map(|t| t.span()).unwrap_or_else(Span::call_site);
        let v = self.new_val(class, span);
        if deps.is_empty() && pure {
            self.cur.push(Stmt::Def { v, op: Op::Lit(tokens) });
        } else {
            self.cur.push(Stmt::Def { v, op: Op::Opaque { tokens, deps, pure } });
        }
        v
    }
}

/// Replaces names of locals in an opaque expression by their SSA values.
struct Subst<'b, 'c> {
    l: &'b Lower<'c>,
    deps: Vec<V>,
    errors: Vec<(Span, String)>,
    /// It reads an array that is not a read-only parameter.
    mutable_array: bool,
}

impl VisitMut for Subst<'_, '_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        if let Some(msg) = unsupported(e) {
            self.errors.push((e.span(), msg.to_string()));
            return;
        }
        match e {
            Expr::Path(p) => {
                if let Some(id) = p.path.get_ident() {
                    match self.l.lookup(&id.to_string()) {
                        Some(Binding::Val { v, .. }) => {
                            let name = self.l.vt(*v);
                            self.deps.push(*v);
                            *e = syn::parse_quote!(#name);
                        }
                        Some(Binding::Arr(a)) => {
                            let toks = self.l.arr_tokens(*a);
                            if self.l.arrays[*a].kind != ArrKind::ParamRef {
                                self.mutable_array = true;
                            }
                            *e = syn::parse_quote!(#toks);
                        }
                        Some(Binding::Tuple(_)) => {
                            self.errors.push((id.span(), "a tuple variable can only be used through its elements here".into()));
                        }
                        None => {}
                    }
                }
            }
            Expr::Macro(m) => {
                self.errors.push((m.span(), "macros are not supported in a #[differentiable] body".into()));
            }
            Expr::Block(_) | Expr::If(_) | Expr::ForLoop(_) | Expr::While(_) | Expr::Assign(_) => {
                self.errors.push((e.span(), "this expression is not supported in this position of a #[differentiable] body".into()));
            }
            _ => syn::visit_mut::visit_expr_mut(self, e),
        }
    }
}

/// Names used as `name[..]` or `name.len()` anywhere in the body.
fn indexed_names(body: &syn::Block) -> std::collections::HashSet<String> {
    struct V(std::collections::HashSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for V {
        fn visit_expr_index(&mut self, e: &'ast syn::ExprIndex) {
            if let Some(n) = single_ident(strip(&e.expr)) {
                self.0.insert(n);
            }
            syn::visit::visit_expr_index(self, e);
        }
        fn visit_expr_method_call(&mut self, e: &'ast syn::ExprMethodCall) {
            if e.method == "len" {
                if let Some(n) = single_ident(strip(&e.receiver)) {
                    self.0.insert(n);
                }
            }
            syn::visit::visit_expr_method_call(self, e);
        }
    }
    let mut v = V(Default::default());
    syn::visit::Visit::visit_block(&mut v, body);
    v.0
}

struct Mark {
    values: usize,
    arrays: usize,
    cur: usize,
    diag: usize,
    scopes: Vec<Vec<(String, Binding)>>,
    items: usize,
}

enum VecMacro {
    Repeat(Expr, Expr),
    List(Vec<Expr>),
}

struct VecRepeat(Expr, Expr);

impl syn::parse::Parse for VecRepeat {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let x: Expr = input.parse()?;
        input.parse::<syn::Token![;]>()?;
        let n: Expr = input.parse()?;
        Ok(VecRepeat(x, n))
    }
}

fn is_compound(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_) | BinOp::SubAssign(_) | BinOp::MulAssign(_) | BinOp::DivAssign(_) | BinOp::RemAssign(_)
            | BinOp::BitAndAssign(_) | BinOp::BitOrAssign(_) | BinOp::BitXorAssign(_) | BinOp::ShlAssign(_) | BinOp::ShrAssign(_)
    )
}

fn compound_base(op: &BinOp) -> Option<BinOp> {
    Some(match op {
        BinOp::AddAssign(_) => BinOp::Add(Default::default()),
        BinOp::SubAssign(_) => BinOp::Sub(Default::default()),
        BinOp::MulAssign(_) => BinOp::Mul(Default::default()),
        BinOp::DivAssign(_) => BinOp::Div(Default::default()),
        BinOp::RemAssign(_) => BinOp::Rem(Default::default()),
        BinOp::BitAndAssign(_) => BinOp::BitAnd(Default::default()),
        BinOp::BitOrAssign(_) => BinOp::BitOr(Default::default()),
        BinOp::BitXorAssign(_) => BinOp::BitXor(Default::default()),
        BinOp::ShlAssign(_) => BinOp::Shl(Default::default()),
        BinOp::ShrAssign(_) => BinOp::Shr(Default::default()),
        _ => return None,
    })
}

fn rule_names() -> String {
    rules::RULES.iter().map(|r| r.name).collect::<Vec<_>>().join(" ")
}
