//! The small IR the passes work on.
//!
//! Scalars are SSA values (`V`): every assignment of a user variable makes a
//! new value, and control flow merges values through the `Phi`s of `If` and
//! the `Carry`s of loops. Arrays are storage (`A`): writes mutate them in
//! place, reads produce SSA values. Regions are structured: a `Block` is a
//! list of statements; `If`, `For` and `While` own nested blocks.

use proc_macro2::TokenStream;
use syn::Ident;

pub type V = usize;
pub type A = usize;

/// What kind of value an SSA value holds. Only `F` values carry derivatives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Class {
    /// The function's float type.
    F,
    /// An integer (loop counters, indices, bookkeeping).
    Int,
    Bool,
    /// Anything else: a value whose type the macro does not know.
    Other,
}

pub struct ValueInfo {
    pub class: Class,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ArrKind {
    /// `&[F]`, `&Vec<F>`, `&[F; N]` parameter.
    ParamRef,
    /// `&mut [F]`, `&mut Vec<F>`, `&mut [F; N]` parameter.
    ParamMut,
    /// `[F; N]` parameter passed by value.
    ParamVal,
    /// A local `Vec`.
    LocalVec,
    /// A local fixed-size array.
    LocalArr,
}

/// The length of an array, as the backward sweep needs it to allocate an
/// adjoint.
#[derive(Clone)]
pub enum Len {
    /// A run-time length, an SSA integer.
    Dyn(V),
    /// A compile-time length (`N` in `[x; N]`, or a literal count).
    Const(TokenStream),
}

pub struct ArrayInfo {
    pub kind: ArrKind,
    /// The user's name for it: arrays keep their names in emitted code.
    pub name: Ident,
    /// Element class: `F` for float arrays, `Int`/`Bool` otherwise.
    pub elem: Class,
    pub len: Len,
    /// Index of the parameter for parameter arrays.
    pub param: Option<usize>,
    /// Whether anything writes to it (reads of never-written read-only
    /// arrays can be recomputed instead of taped).
    pub written: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bin {
    Add,
    Sub,
    Mul,
    Div,
}

/// How a composed call names its callee.
#[derive(Clone)]
pub enum Callee {
    /// `g(..)` or `path::g(..)`: the path tokens up to the last segment,
    /// and the last segment.
    Path { prefix: TokenStream, name: Ident },
    /// `recv.g(..)`: receiver tokens (already substituted) and method name.
    Method { recv: TokenStream, recv_deps: Vec<V>, name: Ident },
}

#[derive(Clone)]
pub enum Arg {
    Scalar(V),
    /// A read-only array argument by reference; `tokens` is how the primal
    /// passes it.
    ArrRef(A, TokenStream),
    /// A fixed-size array argument passed by value.
    ArrVal(A, TokenStream),
    /// A `&mut` array argument.
    ArrMut(A, TokenStream),
    /// Anything else, passed as written (inactive).
    Other(TokenStream, Vec<V>),
}

#[derive(Clone)]
pub enum Op {
    /// A by-value parameter (scalar or constant).
    Param(Ident),
    /// A constant: literal or path, referencing no local value.
    Lit(TokenStream),
    /// An inactive computation over other values (integers, comparisons,
    /// field reads of `self`..). `pure` ones may be recomputed.
    Opaque { tokens: TokenStream, deps: Vec<V>, pure: bool },
    Copy(V),
    Bin(Bin, V, V),
    Neg(V),
    /// A float method from the rule table: `args[0]` is the receiver.
    /// `int_arg` is the integer exponent of `powi`.
    Math { fun: &'static str, args: Vec<V>, int_arg: Option<V> },
    Read(A, V),
    Len(A),
    /// A call to another differentiable function. Its result is this value
    /// (a scalar) or, when `tuple` is `Some(k)`, a `k`-tuple read by `Proj`.
    Call { callee: Callee, args: Vec<Arg>, tuple: Option<usize> },
    Proj(V, usize),
}

pub struct Phi {
    pub out: V,
    pub a: V,
    pub b: V,
}

/// A scalar carried around a loop: `phi` is its value at the start of an
/// iteration, `next` at the end, `out` after the loop.
pub struct Carry {
    pub init: V,
    pub phi: V,
    pub next: V,
    pub out: V,
}

#[derive(Clone)]
pub enum ArrInit {
    Fill(V),
    List(Vec<V>),
    CopyOf(A),
    /// The array result of a differentiable call (the call's value).
    FromCall(V),
}

pub enum RangeAdapter {
    Rev,
    StepBy(V),
}

pub struct RangeSpec {
    pub lo: V,
    pub hi: V,
    pub inclusive: bool,
    pub adapters: Vec<RangeAdapter>,
}

pub enum Stmt {
    Def { v: V, op: Op },
    Store { arr: A, idx: V, val: V },
    ArrNew { arr: A, init: ArrInit },
    /// Whole reassignment `a = <array>`; the new content keeps the length.
    ArrAssign { arr: A, init: ArrInit, len: Len },
    If { cond: V, then: Block, els: Block, phis: Vec<Phi> },
    For { idx: V, range: RangeSpec, carried: Vec<Carry>, body: Block },
    While { cond_block: Block, cond: V, carried: Vec<Carry>, body: Block, trips: V },
}

#[derive(Default)]
pub struct Block {
    pub stmts: Vec<Stmt>,
}

/// One leaf of the result: a scalar or an array.
#[derive(Clone)]
pub enum Leaf {
    Scalar(V),
    Array(A),
}

#[derive(Clone)]
pub enum ResultShape {
    Unit,
    Leaf(Leaf),
    Tuple(Vec<Leaf>),
}

pub struct Func {
    pub values: Vec<ValueInfo>,
    pub arrays: Vec<ArrayInfo>,
    pub body: Block,
    pub result: ResultShape,
    /// SSA value of each by-value scalar parameter (None for arrays and
    /// constants that are not scalars).
    pub param_values: Vec<Option<V>>,
    /// Array of each array parameter.
    pub param_arrays: Vec<Option<A>>,
}

impl Func {
    pub fn class(&self, v: V) -> Class {
        self.values[v].class
    }
}


impl ResultShape {
    pub fn leaves(&self) -> Vec<Leaf> {
        match self {
            ResultShape::Unit => Vec::new(),
            ResultShape::Leaf(l) => vec![l.clone()],
            ResultShape::Tuple(ls) => ls.clone(),
        }
    }
}

impl Block {
    /// Calls `f` on every statement, nested ones included, in order.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Stmt)) {
        for s in &self.stmts {
            f(s);
            match s {
                Stmt::If { then, els, .. } => {
                    then.walk(f);
                    els.walk(f);
                }
                Stmt::For { body, .. } => body.walk(f),
                Stmt::While { cond_block, body, .. } => {
                    cond_block.walk(f);
                    body.walk(f);
                }
                _ => {}
            }
        }
    }
}

impl Op {
    /// The SSA values this operation reads.
    pub fn deps(&self) -> Vec<V> {
        match self {
            Op::Param(_) | Op::Lit(_) | Op::Len(_) => Vec::new(),
            Op::Opaque { deps, .. } => deps.clone(),
            Op::Copy(a) | Op::Neg(a) | Op::Proj(a, _) => vec![*a],
            Op::Bin(_, a, b) => vec![*a, *b],
            Op::Math { args, int_arg, .. } => {
                let mut d = args.clone();
                d.extend(int_arg.iter().copied());
                d
            }
            Op::Read(_, i) => vec![*i],
            Op::Call { callee, args, .. } => {
                let mut d = Vec::new();
                if let Callee::Method { recv_deps, .. } = callee {
                    d.extend(recv_deps.iter().copied());
                }
                for a in args {
                    match a {
                        Arg::Scalar(v) => d.push(*v),
                        Arg::Other(_, deps) => d.extend(deps.iter().copied()),
                        _ => {}
                    }
                }
                d
            }
        }
    }
}
