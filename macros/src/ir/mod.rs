//! The typed IR every pass reads and writes.
//!
//! * Scalars and values are SSA (`V`): each is defined once, by a
//!   [`Stmt::Let`]. Control flow merges them through the [`Phi`]s of
//!   [`Stmt::If`] and the [`Carry`]s of loops.
//! * Storage (`Var`) is mutable: arrays, `Vec`s, structs, `&mut` outputs and
//!   the accumulators the AD passes create. It is read and written through
//!   [`Place`]s (`x[i].pos[j]`, `x[a..b][i]`, `*err`).
//! * Regions are structured: a [`Block`] is a list of statements; `If`,
//!   `For` and `While` own nested blocks. `break`, `continue` and early
//!   `return` are desugared into these by the lowering.
//!
//! The same IR holds the primal, the tangent program of the JVP pass, and
//! the forward and backward sweeps of the VJP pass (with explicit tape
//! pushes and pops), so every transform maps IR to IR and composes:
//! the JVP of a backward sweep is a Hessian-vector product.

pub mod print;
pub mod subst;
pub mod verify;

use proc_macro2::{Span, TokenStream};

/// An SSA value.
pub type V = usize;
/// A storage location.
pub type Var = usize;

/// What the macro knows about a value's type.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Ty {
    /// The function's float type `F`: direct derivative rules.
    F,
    /// An integer: never differentiated.
    Int,
    Bool,
    Unit,
    /// A value whose type the macro does not see (a struct, a tuple, an
    /// array by value, the result of a call, a field read). It may carry
    /// derivatives: its tangent and adjoint have its own type, and every
    /// operation on it dispatches through traits that rustc resolves.
    Val,
    /// A value known to carry no derivatives (strings, closures, shared
    /// references to constant data).
    Const,
}

impl Ty {
    /// Whether values of this type may carry derivatives.
    pub fn carries(self) -> bool {
        matches!(self, Ty::F | Ty::Val)
    }
}

#[derive(Clone)]
pub struct ValueInfo {
    pub ty: Ty,
    /// The Rust type when the macro knows it (annotations, parameters,
    /// casts, `.len()`): printed where inference needs help.
    pub rty: Option<syn::Type>,
    /// Where the user wrote it, for diagnostics.
    pub span: Span,
}

/// The shape of what a storage location holds.
#[derive(Clone, Debug)]
pub enum Shape {
    /// A single scalar (`&mut f64`, an accumulator).
    Scalar(Ty),
    /// An array of elements: a slice, a `Vec`, `[T; N]`.
    Array(Box<Shape>, ArrKind),
    /// A value of unknown type (a struct, ..): fields and indices of it are
    /// `Ty::Val` unless the shape says more.
    Val,
}

#[derive(Clone, Debug)]
pub enum ArrKind {
    Slice,
    Vec,
    /// `[T; N]` with `N`.
    Fixed(TokenStream),
}

impl Shape {
    /// The class of what a place with `depth` index projections reads.
    pub fn elem(&self, path: &[Proj]) -> Ty {
        let mut s = self;
        for p in path {
            match (p, s) {
                (Proj::Index(_) | Proj::At(_), Shape::Array(e, _)) => s = e,
                (Proj::Slice(..), Shape::Array(..)) => {}
                _ => return Ty::Val,
            }
        }
        match s {
            Shape::Scalar(t) => *t,
            _ => Ty::Val,
        }
    }

    pub fn carries(&self) -> bool {
        match self {
            Shape::Scalar(t) => t.carries(),
            Shape::Array(e, _) => e.carries(),
            Shape::Val => true,
        }
    }
}

/// How a parameter is passed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum By {
    Value,
    Ref,
    Mut,
}

#[derive(Clone, Debug)]
pub enum VarKind {
    /// The storage of parameter `index` (a reference parameter, or a
    /// by-value aggregate the body mutates).
    Param { index: usize, by: By },
    /// A local the body declares.
    Local,
    /// Created by a transform (tangent, adjoint, accumulator).
    Derived,
}

#[derive(Clone)]
pub struct VarInfo {
    pub shape: Shape,
    pub kind: VarKind,
    /// The user's name, kept in emitted code for readability.
    pub name: String,
    pub rty: Option<syn::Type>,
    /// Whether the body writes to it (parameters) or writes to it after its
    /// declaration (locals).
    pub written: bool,
}

/// A location inside a storage variable.
#[derive(Clone, Debug)]
pub struct Place {
    pub var: Var,
    pub path: Vec<Proj>,
}

#[derive(Clone, Debug)]
pub enum Proj {
    Index(V),
    /// An index the forward sweep already checked against this array (or
    /// the primal of this shadow): printed without a bounds check
    /// (`opt::bounds`, the last pass on the fused sweep).
    At(V),
    Field(syn::Member),
    /// A sub-slice `[lo..hi]` (either bound may be open); indices after it
    /// are relative to `lo`.
    Slice(Option<V>, Option<V>),
}

impl Place {
    pub fn root(var: Var) -> Place {
        Place { var, path: Vec::new() }
    }

    pub fn with(&self, p: Proj) -> Place {
        let mut path = self.path.clone();
        path.push(p);
        Place { var: self.var, path }
    }

    /// The SSA values the place reads (indices, slice bounds).
    pub fn deps(&self) -> impl Iterator<Item = V> + '_ {
        self.path.iter().flat_map(|p| match p {
            Proj::Index(i) | Proj::At(i) => vec![*i],
            Proj::Slice(a, b) => a.iter().chain(b.iter()).copied().collect(),
            Proj::Field(_) => Vec::new(),
        })
    }

    pub fn on(&self, var: Var) -> Place {
        Place { var, path: self.path.clone() }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinOp {
    pub fn is_cmp(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum UnOp {
    Neg,
    Not,
}

/// A literal or constant.
#[derive(Clone)]
pub enum Lit {
    /// A float literal in the function's float type.
    Float(f64),
    /// Zero and one of the float type.
    Zero,
    One,
    Int(TokenStream),
    Bool(bool),
    /// A constant path or expression of the user's (`PI`, `T::zero()`,
    /// `N as f64`), printed as written.
    Tokens(TokenStream),
    /// `()`.
    Unit,
}

/// Which entry point of a differentiable callee a call uses. Every
/// differentiable function (and every rule) provides all of them; the AD
/// passes map one to the other: JVP maps `Primal → Jvp`, `Fwd → FwdJvp`,
/// `Bwd → BwdJvp`; the VJP pass unzips `Jvp` into `Fwd` + `Bwd`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Entry {
    Primal,
    Jvp,
    Fwd,
    Bwd,
    FwdJvp,
    BwdJvp,
}

impl Entry {
    pub fn suffix(self) -> &'static str {
        match self {
            Entry::Primal => "",
            Entry::Jvp => "jvp",
            Entry::Fwd => "fwd",
            Entry::Bwd => "bwd",
            Entry::FwdJvp => "fwd_jvp",
            Entry::BwdJvp => "bwd_jvp",
        }
    }
}

/// What a call calls.
#[derive(Clone)]
pub enum Callee {
    /// `g(..)`, `m::g(..)`, `Self::g(..)`: the path as written.
    Path(syn::Path),
    /// `recv.g(..)`: the receiver is the call's first argument.
    Method(syn::Ident),
    /// A trait-dispatched operation of the runtime on values whose type the
    /// macro does not see (`a * b` on structs): `::leibniz::__private::ops::<name>`.
    Op(&'static str),
    /// A function parameter (`f: F` with `F: Fn(..)`), called through
    /// `leibniz::DiffFn`.
    Param(syn::Path),
}

/// An argument of a call.
#[derive(Clone)]
pub enum Arg {
    /// By value.
    Val(V),
    /// `&place`.
    Ref(Place),
    /// `&mut place`.
    Mut(Place),
    /// A `&mut` binding passed bare (`g(y)` with `y: &mut [F]`): Rust
    /// reborrows it as `&mut` or `&` as the callee takes it. Printed as
    /// `&mut place` (which coerces); the backward sweep passes the callee a
    /// snapshot of it in the primal slot (read by a `&` callee, ignored by a
    /// `&mut` one).
    Reborrow(Place),
    /// The place itself, for a method receiver (auto-referenced by Rust).
    Recv(Place),
    /// A symbolic zero tangent or shadow: `::leibniz::__private::Zero`.
    Zero,
    /// Printed as written (an inactive argument the macro does not model,
    /// such as a closure).
    Tokens(TokenStream, Vec<Dep>),
}

#[derive(Clone)]
pub struct Call {
    pub callee: Callee,
    pub entry: Entry,
    pub args: Vec<Arg>,
    /// The tape argument of `Fwd`/`Bwd` entries, appended last.
    pub tape: bool,
    /// Where the user wrote the call.
    pub span: Span,
}

/// What an opaque expression refers to.
#[derive(Clone)]
pub enum Dep {
    Val(V),
    Place(Place),
}

#[derive(Clone)]
pub enum Op {
    Lit(Lit),
    /// A by-value parameter (its value at entry).
    Param(usize),
    Un(UnOp, V),
    Bin(BinOp, V, V),
    /// A primitive of the rule registry (`sin`, `powi`, derivative helpers).
    Prim(&'static str, Vec<V>),
    /// `v as T`.
    Cast(V, syn::Type),
    /// Load from storage.
    Read(Place),
    /// `place.len()`.
    Len(Place),
    /// An expression the macro does not model, printed as written with its
    /// dependencies substituted: `tokens` refer to `deps[k]` as the
    /// identifier `naming::dep(k)`. Never differentiated.
    Opaque { tokens: TokenStream, deps: Vec<Dep>, pure: bool, span: Span },
    /// The binding `__lz_bind` of a refutable pattern (an enum variant's
    /// field), read from `val`: `match val { pat => __lz_bind, _ => .. }`.
    Extract { val: V, pat: TokenStream },
    Call(Call),
    Tuple(Vec<V>),
    /// Element of a tuple value.
    Get(V, usize),
    /// Field of a value.
    Field(V, syn::Member),
    /// Element of an array value.
    Index(V, V),
    /// A struct literal `Path { f: v, .. }`.
    Struct { path: syn::Path, fields: Vec<(syn::Member, V)> },
    /// `[a, b, c]`.
    Array(Vec<V>),
    /// `vec![a, b]`.
    VecLit(Vec<V>),
    /// `[v; n]` (`vec: false`) or `vec![v; n]` (`vec: true`); `n` is a
    /// value (vec) or tokens (array length).
    Repeat { val: V, len: RepLen, vec: bool },
    /// The zero tangent of a value of any type: `zero_like(&v)`.
    ZeroLike(V),
    /// The zero of an accumulator that will hold the tangent of `v` when `v`
    /// is only known by its type at run time.
    Copy(V),
}

#[derive(Clone)]
pub enum RepLen {
    Dyn(V),
    Const(TokenStream),
}

/// How a local storage variable starts.
#[derive(Clone)]
pub enum Init {
    /// From a value (an array literal, a struct, a call result, a copy).
    Val(V),
    /// `vec![v; n]`.
    VecFill(V, V),
    /// `[v; N]`.
    ArrFill(V, TokenStream),
    /// `Vec::new()` / `Vec::with_capacity(n)`.
    VecEmpty(Option<V>),
    /// A copy of a place (`let a = x.to_vec()`, `let mut s = *r`).
    CopyOf(Place),
    /// The zero tangent / adjoint of another storage variable.
    ZeroLike(Var),
    /// The float zero (scalar accumulators).
    Zero,
    /// Zeros shaped like what a place holds.
    ZeroOfPlace(Place),
}

#[derive(Clone)]
pub struct Phi {
    pub out: V,
    pub then: V,
    pub els: V,
}

/// A value carried around a loop: `phi` is its value at the start of an
/// iteration, `next` at the end, `out` after the loop.
#[derive(Clone)]
pub struct Carry {
    pub init: V,
    pub phi: V,
    pub next: V,
    pub out: V,
}

/// `lo..hi` or `lo..=hi`, possibly reversed. Stepped ranges are lowered
/// to a counter over `0..n`.
#[derive(Clone)]
pub struct Range {
    pub lo: V,
    pub hi: V,
    pub inclusive: bool,
    pub rev: bool,
}

#[derive(Clone)]
pub enum Stmt {
    Let { v: V, op: Op },
    /// `place = val`, or `place += val` when `acc`.
    Store { place: Place, val: V, acc: bool },
    /// Declares local storage.
    Decl { var: Var, init: Init },
    /// `vec.push(val)`.
    Push { var: Var, val: V },
    /// `vec.pop()` discarding the value, used by transposed pushes; with
    /// `out` it defines the popped value.
    PopVec { var: Var, out: Option<V> },
    /// A statement with effects that do not touch derivatives (`assert!`,
    /// `println!`), printed as written with its deps substituted.
    Effect { tokens: TokenStream, deps: Vec<Dep> },
    If { cond: V, then: Block, els: Block, phis: Vec<Phi> },
    For { idx: V, range: Range, carried: Vec<Carry>, body: Block },
    /// `head` computes `cond` before each iteration; `trips`, when set,
    /// receives the number of iterations run.
    While { head: Block, cond: V, carried: Vec<Carry>, body: Block, trips: Option<V> },
    /// Pushes values on the tape (the forward sweep of reverse mode).
    TapePush { vals: Vec<V> },
    /// Pops values off the tape, last pushed first: `vals` are defined
    /// here, in push order.
    TapePop { vals: Vec<V>, wit: Vec<Option<Wit>> },
    /// Pushes the contents of a place (a snapshot of an array handed to a
    /// call that changes later).
    TapePushPlace { place: Place },
    /// Pops a snapshot into a new local `var`, shaped like `like`.
    TapePopPlace { var: Var, like: Place, wit: Option<Wit> },
    /// `if let pat = &mut var { acc(__lz_bind, val) }`: accumulates into the
    /// field of an enum variant.
    AccPat { var: Var, pat: TokenStream, val: V },
    /// A part of a loop reversed under a binomial checkpoint schedule (see
    /// `opt::checkpoint`).
    Ckpt(Box<Ckpt>),
}

/// Which part of a checkpointed loop a [`Stmt::Ckpt`] is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CkptPart {
    /// The schedule and its saved states, declared at the top of the
    /// function (the two sweeps may sit in different branches).
    Decl,
    /// The forward sweep: runs the schedule's first actions (saves and
    /// advances) on the live state, keeps the state the first reversal
    /// starts from, then runs the remaining iterations.
    Fwd,
    /// The backward sweep: on a copy of that state, runs the rest of the
    /// schedule (restores, saves, advances, and reversals).
    Bwd,
    /// `reverse` run with a tape of its own (`opt::recompute`: iterations
    /// re-run and recorded in the backward sweep of the split sweeps).
    Local,
}

/// A checkpointed loop's part. `advance` runs iteration `k` (a `usize`
/// the printed driver defines; the block computes the loop index from it)
/// recording nothing; `record` runs it recording its tape; `reverse` is
/// its reversal (the schedule's steps are chunks of iterations: recorded
/// in order, then reversed last first). `state` holds what the iterations
/// change (the live state: the loop's own variables in `Fwd`, copies in
/// `Bwd`).
#[derive(Clone)]
pub struct Ckpt {
    pub id: usize,
    pub part: CkptPart,
    /// The trip count (`Fwd`).
    pub steps: Option<V>,
    /// The number of saved states, as written (`Fwd`; `None`: the default
    /// for the trip count).
    pub slots: Option<TokenStream>,
    /// Iterations per step of the schedule, as written (`Fwd`).
    pub chunk: Option<TokenStream>,
    pub state: Vec<Var>,
    /// Values the iterations use that the backward part does not see (the
    /// loop sits in a branch): `Fwd` keeps them, `Bwd` defines them again.
    pub vals: Vec<V>,
    pub k: V,
    pub advance: Block,
    pub record: Block,
    pub reverse: Block,
}

/// A `#[checkpoint]` attribute on a `for` loop of the primal.
#[derive(Clone)]
pub struct LoopCkpt {
    /// The loop's index value.
    pub idx: V,
    /// `snapshots = N` as written.
    pub snapshots: Option<TokenStream>,
    /// `chunk = M` as written.
    pub chunk: Option<TokenStream>,
    /// `#[checkpoint(never)]`: taped in full.
    pub never: bool,
    /// Where the attribute starts (values it creates).
    pub span: Span,
    /// The attribute, for diagnostics.
    pub attr: TokenStream,
}

/// A type witness: a block (never run) whose value has the type of a
/// popped value, for values whose Rust type the macro cannot name.
#[derive(Clone)]
pub struct Wit {
    pub block: Block,
    pub val: V,
}

#[derive(Clone, Default)]
pub struct Block {
    pub stmts: Vec<Stmt>,
}

/// How a parameter enters the body.
#[derive(Clone)]
pub enum ParamSlot {
    /// A by-value scalar or value: an SSA value.
    Val(V),
    /// A reference parameter or a mutated by-value aggregate: storage.
    Var(Var),
    /// Not used by the body in a way the IR tracks (closures, ..).
    None,
}

#[derive(Clone)]
pub struct Func {
    pub values: Vec<ValueInfo>,
    pub vars: Vec<VarInfo>,
    pub params: Vec<ParamSlot>,
    pub body: Block,
    /// The result value (`None` for `()`).
    pub ret: Option<V>,
    /// Loops marked `#[checkpoint]`.
    pub ckpt: Vec<LoopCkpt>,
}

impl Func {
    pub fn ty(&self, v: V) -> Ty {
        self.values[v].ty
    }

    pub fn new_value(&mut self, ty: Ty, span: Span) -> V {
        self.values.push(ValueInfo { ty, rty: None, span });
        self.values.len() - 1
    }

    pub fn new_var(&mut self, shape: Shape, kind: VarKind, name: String) -> Var {
        self.vars.push(VarInfo { shape, kind, name, rty: None, written: true });
        self.vars.len() - 1
    }

    pub fn place_ty(&self, p: &Place) -> Ty {
        self.vars[p.var].shape.elem(&p.path)
    }

    /// The shape of what a place holds.
    pub fn place_shape_of(&self, p: &Place) -> Shape {
        let mut s = self.vars[p.var].shape.clone();
        for pr in &p.path {
            match (pr, s.clone()) {
                (Proj::Index(_) | Proj::At(_), Shape::Array(e, _)) => s = *e,
                (Proj::Slice(..), Shape::Array(e, _)) => s = Shape::Array(e, ArrKind::Slice),
                _ => return Shape::Val,
            }
        }
        s
    }
}

impl Block {
    /// Calls `f` on every statement, nested ones included, in order.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Stmt)) {
        for s in &self.stmts {
            f(s);
            for b in s.blocks() {
                b.walk(f);
            }
        }
    }
}

impl Stmt {
    pub fn blocks(&self) -> Vec<&Block> {
        match self {
            Stmt::If { then, els, .. } => vec![then, els],
            Stmt::For { body, .. } => vec![body],
            Stmt::While { head, body, .. } => vec![head, body],
            Stmt::Ckpt(c) => vec![&c.advance, &c.record, &c.reverse],
            _ => Vec::new(),
        }
    }

    /// Values this statement defines directly (not in nested blocks).
    pub fn defs(&self) -> Vec<V> {
        match self {
            Stmt::Let { v, .. } => vec![*v],
            Stmt::PopVec { out: Some(v), .. } => vec![*v],
            Stmt::If { phis, .. } => phis.iter().map(|p| p.out).collect(),
            Stmt::For { idx, carried, .. } => {
                let mut d = vec![*idx];
                d.extend(carried.iter().flat_map(|c| [c.phi, c.out]));
                d
            }
            Stmt::While { carried, trips, .. } => {
                let mut d: Vec<V> = carried.iter().flat_map(|c| [c.phi, c.out]).collect();
                d.extend(trips.iter().copied());
                d
            }
            Stmt::TapePop { vals, .. } => vals.clone(),
            _ => Vec::new(),
        }
    }
}

impl Op {
    /// The SSA values the operation reads.
    pub fn deps(&self) -> Vec<V> {
        match self {
            Op::Lit(_) | Op::Param(_) => Vec::new(),
            Op::Un(_, a) | Op::Cast(a, _) | Op::Get(a, _) | Op::Field(a, _) | Op::ZeroLike(a) | Op::Copy(a) | Op::Extract { val: a, .. } => vec![*a],
            Op::Bin(_, a, b) | Op::Index(a, b) => vec![*a, *b],
            Op::Prim(_, args) | Op::Tuple(args) | Op::Array(args) | Op::VecLit(args) => args.clone(),
            Op::Read(p) | Op::Len(p) => p.deps().collect(),
            Op::Opaque { deps, .. } => dep_values(deps),
            Op::Call(c) => c.args.iter().flat_map(|a| a.deps()).collect(),
            Op::Struct { fields, .. } => fields.iter().map(|f| f.1).collect(),
            Op::Repeat { val, len, .. } => {
                let mut d = vec![*val];
                if let RepLen::Dyn(n) = len {
                    d.push(*n);
                }
                d
            }
        }
    }

    /// The storage variables the operation reads.
    pub fn reads(&self) -> Vec<Var> {
        match self {
            Op::Read(p) | Op::Len(p) => vec![p.var],
            Op::Opaque { deps, .. } => dep_vars(deps),
            Op::Call(c) => c.args.iter().filter_map(|a| a.place().map(|p| p.var)).collect(),
            _ => Vec::new(),
        }
    }
}

impl Arg {
    pub fn deps(&self) -> Vec<V> {
        match self {
            Arg::Val(v) => vec![*v],
            Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => p.deps().collect(),
            Arg::Zero => Vec::new(),
            Arg::Tokens(_, deps) => dep_values(deps),
        }
    }

    pub fn place(&self) -> Option<&Place> {
        match self {
            Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => Some(p),
            _ => None,
        }
    }
}

pub fn dep_values(deps: &[Dep]) -> Vec<V> {
    let mut out = Vec::new();
    for d in deps {
        match d {
            Dep::Val(v) => out.push(*v),
            Dep::Place(p) => out.extend(p.deps()),
        }
    }
    out
}

pub fn dep_vars(deps: &[Dep]) -> Vec<Var> {
    deps.iter()
        .filter_map(|d| match d {
            Dep::Place(p) => Some(p.var),
            Dep::Val(_) => None,
        })
        .collect()
}

impl Stmt {
    /// SSA values read directly by this statement (not by nested blocks,
    /// but including the operands of its phis and carries).
    pub fn uses(&self) -> Vec<V> {
        match self {
            Stmt::Let { op, .. } => op.deps(),
            Stmt::Store { place, val, .. } => {
                let mut d: Vec<V> = place.deps().collect();
                d.push(*val);
                d
            }
            Stmt::Decl { init, .. } => match init {
                Init::Val(v) => vec![*v],
                Init::VecFill(a, b) => vec![*a, *b],
                Init::ArrFill(a, _) => vec![*a],
                Init::VecEmpty(n) => n.iter().copied().collect(),
                Init::CopyOf(p) | Init::ZeroOfPlace(p) => p.deps().collect(),
                Init::ZeroLike(_) | Init::Zero => Vec::new(),
            },
            Stmt::Push { val, .. } => vec![*val],
            Stmt::PopVec { .. } => Vec::new(),
            Stmt::Effect { deps, .. } => dep_values(deps),
            Stmt::If { cond, phis, .. } => {
                let mut d = vec![*cond];
                for p in phis {
                    d.push(p.then);
                    d.push(p.els);
                }
                d
            }
            Stmt::For { range, carried, .. } => {
                let mut d = vec![range.lo, range.hi];
                for c in carried {
                    d.push(c.init);
                    d.push(c.next);
                }
                d
            }
            Stmt::While { cond, carried, .. } => {
                let mut d = vec![*cond];
                for c in carried {
                    d.push(c.init);
                    d.push(c.next);
                }
                d
            }
            Stmt::TapePush { vals } => vals.clone(),
            Stmt::TapePop { .. } => Vec::new(),
            Stmt::TapePushPlace { place } | Stmt::TapePopPlace { like: place, .. } => place.deps().collect(),
            Stmt::AccPat { val, .. } => vec![*val],
            Stmt::Ckpt(c) => {
                let mut d: Vec<V> = c.steps.iter().copied().collect();
                if c.part == CkptPart::Fwd {
                    d.extend(c.vals.iter().copied());
                }
                d
            }
        }
    }
}
