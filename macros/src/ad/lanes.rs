//! Vector-mode forward: `K` tangent programs through one primal sweep.
//!
//! Input: the output of the JVP pass, whose values and storage are marked
//! primal or linear (tangent). Output: one program that computes the
//! primal once and, beside every linear statement, `K - 1` more copies of
//! it, each on its own lane's tangent values and storage. Lane 0 is the
//! original tangent program; lane `l` reads the tangent parameters of slot
//! `np + l * np + k`. Every lane runs exactly the statements the single
//! JVP runs, so each lane's result is bit for bit the JVP along its
//! direction.
//!
//! A call to another differentiable function is a mixed statement: its
//! `jvp` entry returns `(y, dy)`. Lane 0 keeps the call; the other lanes
//! call the same entry again with their own tangents (the callee's primal
//! runs once per lane; its result is only read from lane 0). That is sound
//! only when the call does not mutate primal state, so a call with a
//! mutable primal argument (`&mut y` of a primal, a method on a mutable
//! receiver) makes the pass decline, and the public `_jvp_batch` falls back
//! to one JVP per direction.

use std::collections::HashMap;

use crate::ad::jvp::JvpOut;
use crate::ir::*;

/// Directions per sweep of the generated `_jvp_batch`: four `f64` lanes
/// fill one 256-bit vector register.
pub const LANES: usize = 4;

pub struct Lanes {
    pub func: Func,
    /// The tangent of the result, per lane.
    pub ret_tans: Vec<Option<V>>,
}

struct Ren {
    vals: HashMap<V, V>,
    vars: HashMap<Var, Var>,
    /// Added to the index of tangent parameters (`Op::Param(i)`, `i >= np`).
    shift: usize,
    np: usize,
}

impl Ren {
    fn v(&self, v: V) -> V {
        self.vals.get(&v).copied().unwrap_or(v)
    }

    fn x(&self, x: Var) -> Var {
        self.vars.get(&x).copied().unwrap_or(x)
    }

    fn place(&self, p: &Place) -> Place {
        let mut q = p.on(self.x(p.var));
        crate::ir::subst::place(&mut q, &self.vals);
        q
    }

    fn deps(&self, d: &[Dep]) -> Vec<Dep> {
        d.iter()
            .map(|d| match d {
                Dep::Val(v) => Dep::Val(self.v(*v)),
                Dep::Place(p) => Dep::Place(self.place(p)),
            })
            .collect()
    }

    fn arg(&self, a: &Arg) -> Arg {
        match a {
            Arg::Val(v) => Arg::Val(self.v(*v)),
            Arg::Ref(p) => Arg::Ref(self.place(p)),
            Arg::Mut(p) => Arg::Mut(self.place(p)),
            Arg::Reborrow(p) => Arg::Reborrow(self.place(p)),
            Arg::Recv(p) => Arg::Recv(self.place(p)),
            Arg::Zero => Arg::Zero,
            Arg::Tokens(t, d) => Arg::Tokens(t.clone(), self.deps(d)),
        }
    }

    fn op(&self, o: &Op) -> Op {
        let mut o = match o {
            Op::Param(i) if *i >= self.np => Op::Param(*i + self.shift),
            Op::Read(p) => Op::Read(self.place(p)),
            Op::Len(p) => Op::Len(self.place(p)),
            Op::Opaque { tokens, deps, pure, span } => Op::Opaque { tokens: tokens.clone(), deps: self.deps(deps), pure: *pure, span: *span },
            Op::Call(c) => Op::Call(Call { callee: c.callee.clone(), entry: c.entry, args: c.args.iter().map(|a| self.arg(a)).collect(), tape: c.tape, span: c.span }),
            o => o.clone(),
        };
        // Value uses of the remaining operations (places are done above).
        if !matches!(o, Op::Read(_) | Op::Len(_) | Op::Opaque { .. } | Op::Call(_)) {
            crate::ir::subst::op(&mut o, &self.vals);
        }
        o
    }

    fn init(&self, i: &Init) -> Init {
        match i {
            Init::Val(v) => Init::Val(self.v(*v)),
            Init::VecFill(a, n) => Init::VecFill(self.v(*a), self.v(*n)),
            Init::ArrFill(a, n) => Init::ArrFill(self.v(*a), n.clone()),
            Init::VecEmpty(n) => Init::VecEmpty(n.map(|n| self.v(n))),
            Init::CopyOf(p) => Init::CopyOf(self.place(p)),
            Init::ZeroLike(x) => Init::ZeroLike(self.x(*x)),
            Init::Zero => Init::Zero,
            Init::ZeroOfPlace(p) => Init::ZeroOfPlace(self.place(p)),
        }
    }

    /// A lane's copy of a straight-line linear statement.
    fn leaf(&self, s: &Stmt) -> Option<Stmt> {
        Some(match s {
            Stmt::Let { v, op } => Stmt::Let { v: self.v(*v), op: self.op(op) },
            Stmt::Store { place, val, acc } => Stmt::Store { place: self.place(place), val: self.v(*val), acc: *acc },
            Stmt::Decl { var, init } => Stmt::Decl { var: self.x(*var), init: self.init(init) },
            Stmt::Push { var, val } => Stmt::Push { var: self.x(*var), val: self.v(*val) },
            Stmt::PopVec { var, out } => Stmt::PopVec { var: self.x(*var), out: out.map(|o| self.v(o)) },
            Stmt::AccPat { var, pat, val } => Stmt::AccPat { var: self.x(*var), pat: pat.clone(), val: self.v(*val) },
            _ => return None,
        })
    }
}

struct Pass<'a> {
    t: &'a JvpOut,
    lanes: Vec<Ren>,
}

impl Pass<'_> {
    fn lin(&self, v: V) -> bool {
        self.t.lin.get(v).copied().unwrap_or(false) || self.t.mixed.get(v).copied().unwrap_or(false)
    }

    fn lin_var(&self, x: Var) -> bool {
        self.t.lin_var.get(x).copied().unwrap_or(false)
    }

    /// Whether a mixed call may run once more per lane: it must not write
    /// primal state (each lane would write it again).
    fn call_replayable(&self, c: &Call) -> bool {
        c.args.iter().all(|a| match a {
            Arg::Mut(p) | Arg::Reborrow(p) => self.lin_var(p.var),
            Arg::Recv(p) => self.lin_var(p.var) || matches!(self.t.func.vars[p.var].kind, VarKind::Param { by: By::Ref, .. }),
            _ => true,
        })
    }

    fn block(&self, b: &Block) -> Option<Block> {
        let mut out = Vec::with_capacity(b.stmts.len());
        for s in &b.stmts {
            self.stmt(s, &mut out)?;
        }
        Some(Block { stmts: out })
    }

    fn replicate(&self, s: &Stmt, out: &mut Vec<Stmt>) -> Option<()> {
        out.push(s.clone());
        for r in &self.lanes {
            out.push(r.leaf(s)?);
        }
        Some(())
    }

    fn stmt(&self, s: &Stmt, out: &mut Vec<Stmt>) -> Option<()> {
        match s {
            Stmt::Let { v, op } => {
                if !self.lin(*v) {
                    out.push(s.clone());
                    return Some(());
                }
                match op {
                    Op::Call(c) if !self.call_replayable(c) => return None,
                    Op::Opaque { pure: false, .. } => return None,
                    _ => {}
                }
                self.replicate(s, out)
            }
            Stmt::Store { place: Place { var, .. }, .. } | Stmt::Decl { var, .. } | Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::AccPat { var, .. } => {
                if self.lin_var(*var) {
                    self.replicate(s, out)
                } else {
                    out.push(s.clone());
                    Some(())
                }
            }
            Stmt::Effect { .. } => {
                out.push(s.clone());
                Some(())
            }
            // Only in the fused reverse sweep: never in a tangent program.
            Stmt::Ckpt(_) => None,
            Stmt::If { cond, then, els, phis } => {
                let then = self.block(then)?;
                let els = self.block(els)?;
                let mut nphis = phis.clone();
                for p in phis.iter().filter(|p| self.lin(p.out)) {
                    for r in &self.lanes {
                        nphis.push(Phi { out: r.v(p.out), then: r.v(p.then), els: r.v(p.els) });
                    }
                }
                out.push(Stmt::If { cond: *cond, then, els, phis: nphis });
                Some(())
            }
            Stmt::For { idx, range, carried, body } => {
                let body = self.block(body)?;
                out.push(Stmt::For { idx: *idx, range: range.clone(), carried: self.carries(carried), body });
                Some(())
            }
            Stmt::While { head, cond, carried, body, trips } => {
                let head = self.block(head)?;
                let body = self.block(body)?;
                out.push(Stmt::While { head, cond: *cond, carried: self.carries(carried), body, trips: *trips });
                Some(())
            }
            // Tapes belong to reverse mode; the JVP of a primal has none.
            Stmt::TapePush { .. } | Stmt::TapePop { .. } | Stmt::TapePushPlace { .. } | Stmt::TapePopPlace { .. } => None,
        }
    }

    fn carries(&self, carried: &[Carry]) -> Vec<Carry> {
        let mut nc = carried.to_vec();
        for c in carried.iter().filter(|c| self.lin(c.phi)) {
            for r in &self.lanes {
                nc.push(Carry { init: r.v(c.init), phi: r.v(c.phi), next: r.v(c.next), out: r.v(c.out) });
            }
        }
        nc
    }
}

/// The `k`-lane tangent program of `t` (`np`: the primal's parameter
/// count), or `None` when a lane cannot replay a statement (see the module
/// docs) or the result does not verify.
pub fn lanes(t: &JvpOut, np: usize, k: usize) -> Option<Lanes> {
    let mut f = t.func.clone();
    let nv = f.values.len();
    let nx = f.vars.len();
    let mut lanes = Vec::new();
    for l in 1..k {
        let mut r = Ren { vals: HashMap::new(), vars: HashMap::new(), shift: l * np, np };
        for v in 0..nv {
            if t.lin.get(v).copied().unwrap_or(false) || t.mixed.get(v).copied().unwrap_or(false) {
                let info = f.values[v].clone();
                f.values.push(info);
                r.vals.insert(v, f.values.len() - 1);
            }
        }
        for x in 0..nx {
            if t.lin_var.get(x).copied().unwrap_or(false) {
                let mut info = f.vars[x].clone();
                info.name = format!("{}_{l}", info.name);
                if let VarKind::Param { index, by } = info.kind {
                    info.kind = VarKind::Param { index: index + l * np, by };
                }
                f.vars.push(info);
                r.vars.insert(x, f.vars.len() - 1);
            }
        }
        lanes.push(r);
    }
    let pass = Pass { t, lanes };
    let body = pass.block(&t.func.body)?;
    // Tangent parameter slots of lanes 1.. (slots `np..2 np` are lane 0's).
    for r in &pass.lanes {
        for k2 in 0..np {
            let slot = match t.func.params.get(np + k2) {
                Some(ParamSlot::Val(v)) => ParamSlot::Val(r.v(*v)),
                Some(ParamSlot::Var(x)) => ParamSlot::Var(r.x(*x)),
                _ => ParamSlot::None,
            };
            f.params.push(slot);
        }
    }
    let mut ret_tans = vec![t.ret_tan];
    ret_tans.extend(pass.lanes.iter().map(|r| t.ret_tan.map(|v| r.v(v))));
    f.body = body;
    crate::ir::verify::check(&f).ok()?;
    Some(Lanes { func: f, ret_tans })
}
