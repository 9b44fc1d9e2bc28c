//! Bounds checked once: the backward sweep repeats the forward sweep's
//! indices (DESIGN §5).
//!
//! Reverse mode reads `x[i]` in the forward sweep and, in the backward
//! sweep, accumulates into `x̄[i]` (and reads `x[i]` again where it
//! recomputes) with the same index value: the backward loop runs the
//! forward loop's iterations in reverse and recomputes or pops each index
//! under the same name. The forward access checked `i` against `x`; so the
//! backward one needs no check where `x̄` has `x`'s length — true of
//! adjoints the function declares (`zero_like(x)`), and of shadow
//! parameters once the entry checks it (`same_len`). Without the check
//! LLVM keeps adjoints in registers and vectorises the backward loops.
//!
//! The pass runs last on the fused sweep, in program order, with the
//! facts "array class `c` was indexed by value `v`" of the accesses that
//! surely ran: those of enclosing blocks before this point, and — when a
//! loop (or an `if`) mirrors an earlier one, the same index and range (the
//! same condition) — those of the earlier body's top level, which ran for
//! every iteration the mirror runs. An access whose fact holds is printed
//! unchecked ([`Proj::At`]); `debug_assert!` still checks it in debug
//! builds. Only arrays whose length cannot change qualify: `&` parameters,
//! their shadows, and locals (and their adjoints) declared in the top
//! block that nothing resizes, replaces or hands out by `&mut`; arrays
//! built with the same length value share their facts.
//!
//! A loop whose every iteration (the top level of its body) indexes an
//! array at `i * m + k` (the loop index `i`; `m`, `k` from outside the
//! loop) gets one range check before it (`check_range`, Rust's
//! out-of-bounds message) and those indices become facts of its body.

use crate::ir::*;
use std::collections::{HashMap, HashSet};

/// Marks the repeated accesses of the fused sweep `f` (parameters `0..np`,
/// shadows `np..2np`), adds the loops' range checks, and, at the top of
/// the body, the length check of each shadow parameter indexed unchecked.
pub fn elide(f: &mut Func, np: usize) {
    let classes = classes(f, np);
    if classes.is_empty() {
        return;
    }
    let mut st = State { classes: &classes, loops: HashMap::new(), used: HashSet::new() };
    let mut body = std::mem::take(&mut f.body);
    st.block(&mut body.stmts, &mut Scope::default());
    // Entry checks for the shadow parameters whose indices went unchecked.
    let mut checks = Vec::new();
    for k in 0..np {
        let (Some(ParamSlot::Var(p)), Some(ParamSlot::Var(s))) = (f.params.get(k), f.params.get(np + k)) else { continue };
        if !st.used.contains(s) {
            continue;
        }
        let name = f.vars[*p].name.clone();
        let (d0, d1) = (crate::naming::dep(0), crate::naming::dep(1));
        let tokens = quote::quote!(::leibniz::__private::same_len(&(#d0)[..], &(#d1)[..], #name););
        checks.push(Stmt::Effect { tokens, deps: vec![Dep::Place(Place::root(*s)), Dep::Place(Place::root(*p))] });
    }
    // After `dout`'s definition (the first statement).
    let at = usize::from(matches!(body.stmts.first(), Some(Stmt::Let { op: Op::Param(_), .. })));
    body.stmts.splice(at..at, checks);
    f.body = body;
}

/// Whether a statement (not its nested blocks) has an unchecked index.
pub fn has_unchecked(s: &Stmt) -> bool {
    let at = |p: &Place| p.path.iter().any(|x| matches!(x, Proj::At(_)));
    match s {
        Stmt::Let { op: Op::Read(p), .. } => at(p),
        Stmt::Store { place, .. } => at(place),
        _ => false,
    }
}

/// What makes two arrays the same length: one variable (and the shadows
/// and copies of it), or arrays built with the same length value.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Class {
    Var(Var),
    Len(V),
}

/// The array variables of a stable length, each mapped to its class.
fn classes(f: &Func, np: usize) -> HashMap<Var, Class> {
    let mut out = HashMap::new();
    let unstable = unstable(f);
    let is_array = |x: Var| matches!(f.vars[x].shape, Shape::Array(..));
    for k in 0..np {
        let Some(ParamSlot::Var(p)) = f.params.get(k) else { continue };
        if !matches!(f.vars[*p].kind, VarKind::Param { by: By::Ref, .. }) || unstable.contains(p) {
            continue;
        }
        if !matches!(f.vars[*p].shape, Shape::Array(_, ArrKind::Slice)) {
            continue;
        }
        out.insert(*p, Class::Var(*p));
        // The shadow of a slice is a `&mut [T]`: handing it to a callee by
        // `&mut` cannot change its length.
        if let Some(ParamSlot::Var(s)) = f.params.get(np + k) {
            if is_array(*s) {
                out.insert(*s, Class::Var(*p));
            }
        }
    }
    let mut defs: HashMap<V, &Op> = HashMap::new();
    f.body.walk(&mut |s| {
        if let Stmt::Let { v, op } = s {
            defs.entry(*v).or_insert(op);
        }
    });
    // A length value: the length of a variable of a class is that class.
    let len_class = |n: V, out: &HashMap<Var, Class>| match defs.get(&n) {
        Some(Op::Len(p)) if p.path.is_empty() => out.get(&p.var).copied().unwrap_or(Class::Len(n)),
        _ => Class::Len(n),
    };
    // Locals of the top block, and adjoints declared like them.
    for s in &f.body.stmts {
        if let Stmt::Decl { var, init } = s {
            if unstable.contains(var) || !matches!(f.vars[*var].shape, Shape::Array(_, ArrKind::Vec | ArrKind::Fixed(_))) {
                continue;
            }
            let c = match init {
                Init::ZeroLike(x) => out.get(x).copied(),
                Init::CopyOf(p) if p.path.is_empty() => out.get(&p.var).copied(),
                Init::VecFill(_, n) => Some(len_class(*n, &out)),
                Init::Val(v) => match defs.get(v) {
                    Some(Op::Repeat { len: RepLen::Dyn(n), vec: true, .. }) => Some(len_class(*n, &out)),
                    _ => None,
                },
                _ => None,
            };
            out.insert(*var, c.unwrap_or(Class::Var(*var)));
        }
    }
    out
}

/// Variables whose length may change, or that are declared more than once
/// or below the top block.
fn unstable(f: &Func) -> HashSet<Var> {
    let mut out = HashSet::new();
    let mut decls: HashMap<Var, usize> = HashMap::new();
    for s in &f.body.stmts {
        if let Stmt::Decl { var, .. } = s {
            *decls.entry(*var).or_default() += 1;
        }
    }
    let top: HashSet<*const Stmt> = f.body.stmts.iter().map(|s| s as *const Stmt).collect();
    f.body.walk(&mut |s| {
        let place_args = |args: &[Arg], out: &mut HashSet<Var>| {
            for a in args {
                match a {
                    Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => {
                        out.insert(p.var);
                    }
                    Arg::Tokens(_, deps) => dep_vars(deps, out),
                    _ => {}
                }
            }
        };
        match s {
            Stmt::Decl { var, .. } => {
                if !top.contains(&(s as *const Stmt)) {
                    out.insert(*var);
                }
            }
            Stmt::Store { place, .. } if place.path.is_empty() => {
                out.insert(place.var);
            }
            Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::AccPat { var, .. } | Stmt::TapePopPlace { var, .. } => {
                out.insert(*var);
            }
            Stmt::Let { op: Op::Call(c), .. } => place_args(&c.args, &mut out),
            Stmt::Let { op: Op::Opaque { deps, .. }, .. } | Stmt::Effect { deps, .. } => dep_vars(deps, &mut out),
            // A checkpointed loop saves and restores its state wholesale.
            Stmt::Ckpt(c) => out.extend(c.state.iter().copied()),
            _ => {}
        }
    });
    for (x, n) in decls {
        if n > 1 {
            out.insert(x);
        }
    }
    out
}

fn dep_vars(deps: &[Dep], out: &mut HashSet<Var>) {
    for d in deps {
        if let Dep::Place(p) = d {
            out.insert(p.var);
        }
    }
}

type Facts = HashSet<(Class, V)>;

/// What surely ran at a point: accesses, and the top-level accesses of
/// earlier branches by condition (a later `if` on the same condition in
/// the same scope runs its branch exactly when they did).
#[derive(Clone, Default)]
struct Scope {
    facts: Facts,
    ifs: HashMap<(V, usize), Facts>,
}

impl Scope {
    /// What `self` knows beyond `outer`.
    fn own(&self, outer: &Scope) -> Scope {
        let facts = self.facts.difference(&outer.facts).copied().collect();
        let mut ifs = HashMap::new();
        for (k, f) in &self.ifs {
            let o: Facts = match outer.ifs.get(k) {
                Some(g) => f.difference(g).copied().collect(),
                None => f.clone(),
            };
            if !o.is_empty() {
                ifs.insert(*k, o);
            }
        }
        Scope { facts, ifs }
    }

    fn extend(&mut self, other: &Scope) {
        self.facts.extend(other.facts.iter().copied());
        for (k, f) in &other.ifs {
            self.ifs.entry(*k).or_default().extend(f.iter().copied());
        }
    }
}

struct State<'a> {
    classes: &'a HashMap<Var, Class>,
    /// What the top level of each loop body knows, by the loop's index,
    /// with its range: the loop mirroring it runs the same iterations.
    loops: HashMap<V, (V, V, bool, Scope)>,
    /// Shadow variables indexed without a check.
    used: HashSet<Var>,
}

impl State<'_> {
    fn block(&mut self, stmts: &mut Vec<Stmt>, sc: &mut Scope) {
        let mut i = 0;
        while i < stmts.len() {
            let pre = self.stmt(&mut stmts[i], sc);
            let n = pre.len();
            stmts.splice(i..i, pre);
            i += n + 1;
        }
    }

    fn place(&mut self, p: &mut Place, sc: &mut Scope) {
        let Some(&c) = self.classes.get(&p.var) else { return };
        let Some(Proj::Index(i)) = p.path.first().cloned() else { return };
        if sc.facts.contains(&(c, i)) {
            p.path[0] = Proj::At(i);
            self.used.insert(p.var);
        } else {
            sc.facts.insert((c, i));
        }
    }

    /// Handles `s`; returns statements to run before it (a loop's range
    /// checks).
    fn stmt(&mut self, s: &mut Stmt, sc: &mut Scope) -> Vec<Stmt> {
        match s {
            Stmt::Let { op: Op::Read(p), .. } => self.place(p, sc),
            Stmt::Store { place, .. } => self.place(place, sc),
            Stmt::If { cond, then, els, .. } => {
                let cond = *cond;
                let mut learned = Vec::new();
                for (k, b) in [then, els].into_iter().enumerate() {
                    let mut inner = sc.clone();
                    if let Some(prev) = sc.ifs.get(&(cond, k)) {
                        inner.facts.extend(prev.iter().copied());
                    }
                    self.block(&mut b.stmts, &mut inner);
                    learned.push(inner.facts.difference(&sc.facts).copied().collect::<Facts>());
                }
                for (k, f) in learned.into_iter().enumerate() {
                    sc.ifs.entry((cond, k)).or_default().extend(f);
                }
            }
            Stmt::For { idx, range, body, .. } => {
                let idx = *idx;
                let mut inner = sc.clone();
                if let Some((lo, hi, incl, prev)) = self.loops.get(&idx) {
                    if (*lo, *hi, *incl) == (range.lo, range.hi, range.inclusive) {
                        inner.extend(prev);
                    }
                }
                let pre = self.range_checks(idx, range, &body.stmts, &mut inner);
                self.block(&mut body.stmts, &mut inner);
                let own = inner.own(sc);
                self.loops.entry(idx).or_insert((range.lo, range.hi, range.inclusive, Scope::default())).3.extend(&own);
                return pre;
            }
            Stmt::While { head, body, .. } => {
                // Iterations are not mirrored by index: what they learn
                // stays inside.
                let mut inner = sc.clone();
                self.block(&mut head.stmts, &mut inner);
                self.block(&mut body.stmts, &mut inner);
            }
            // Checkpointed loops run their parts out of order: left checked.
            Stmt::Ckpt(_) => {}
            _ => {}
        }
        Vec::new()
    }

    /// Lengths checked once at the loop's entry: an access at the top level
    /// of the body (so in every iteration) whose index is `i * m + k` for
    /// the loop index `i` and `m`, `k` from outside the loop (either may be
    /// absent), is checked for the
    /// whole range before the loop starts (`check_range`, panicking as the
    /// first failing iteration would, only earlier), and is a fact in the
    /// body.
    fn range_checks(&mut self, idx: V, range: &Range, body: &[Stmt], inner: &mut Scope) -> Vec<Stmt> {
        let mut defined = HashSet::new();
        Block { stmts: body.to_vec() }.walk(&mut |s| defined.extend(s.defs()));
        // Index values `idx * m + k` (`m`, `k` from outside the loop).
        let mut affine: HashMap<V, (Option<V>, Option<V>)> = HashMap::new();
        affine.insert(idx, (None, None));
        let outside = |x: &V| !defined.contains(x);
        let mut out = Vec::new();
        for s in body {
            let p = match s {
                Stmt::Let { v, op: Op::Bin(op @ (BinOp::Add | BinOp::Mul), a, b) } => {
                    let (a, b) = if affine.contains_key(a) && outside(b) { (a, b) } else if affine.contains_key(b) && outside(a) { (b, a) } else { continue };
                    match (op, affine[a]) {
                        (BinOp::Mul, (None, None)) => {
                            affine.insert(*v, (Some(*b), None));
                        }
                        (BinOp::Add, (m, None)) => {
                            affine.insert(*v, (m, Some(*b)));
                        }
                        _ => {}
                    }
                    continue;
                }
                Stmt::Let { op: Op::Read(p), .. } => p,
                Stmt::Store { place, .. } => place,
                _ => continue,
            };
            let Some(&c) = self.classes.get(&p.var) else { continue };
            let Some(Proj::Index(i)) = p.path.first() else { continue };
            let Some((mul, off)) = affine.get(i).copied() else { continue };
            if inner.facts.contains(&(c, *i)) {
                continue;
            }
            inner.facts.insert((c, *i));
            let incl = range.inclusive;
            let mut deps = vec![Dep::Place(Place::root(p.var)), Dep::Val(range.lo), Dep::Val(range.hi)];
            let mut arg = |x: Option<V>, absent: proc_macro2::TokenStream| match x {
                Some(x) => {
                    let d = crate::naming::dep(deps.len());
                    deps.push(Dep::Val(x));
                    quote::quote!(#d)
                }
                None => absent,
            };
            let m = arg(mul, quote::quote!(1usize));
            let k = arg(off, quote::quote!(0usize));
            let (d0, d1, d2) = (crate::naming::dep(0), crate::naming::dep(1), crate::naming::dep(2));
            let tokens = quote::quote!(::leibniz::__private::check_range(&(#d0)[..], #d1, #d2, #incl, #m, #k););
            out.push(Stmt::Effect { tokens, deps });
        }
        out
    }
}
