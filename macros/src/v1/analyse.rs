//! Analyses over the IR.
//!
//! * Activity: a value is active when it is *varied* (depends on an active
//!   input) and *useful* (reaches the result or an in/out array). Only
//!   active values get tangents and adjoints; everything else is a symbolic
//!   zero and emits nothing.
//! * Regions: which loop body each value belongs to (its tape region) and
//!   which block defines it.
//! * Recomputability: which values the backward sweep can recompute from
//!   what it already has (parameters, constants, loop indices, reads of
//!   read-only inputs, cheap arithmetic on those, values defined outside the
//!   current loop) instead of storing them on the tape.

use crate::v1::ir::*;
use crate::v1::rules;
use crate::v1::sig::{Role, Sig};

pub struct Info {
    pub varied: Vec<bool>,
    pub useful: Vec<bool>,
    pub arr_varied: Vec<bool>,
    pub arr_useful: Vec<bool>,
    /// Innermost loop (1-based id; 0 = not in a loop) defining each value.
    pub loop_of: Vec<usize>,
    /// Block defining each value (0 = the function body).
    pub block_of: Vec<usize>,
    /// Parent loop of each loop (index = loop id).
    pub loop_parent: Vec<usize>,
    pub n_loops: usize,
    /// Whether each value can be recomputed in the backward sweep.
    pub avail: Vec<bool>,
    /// Loop indices (bound by the backward loop itself).
    pub is_index: Vec<bool>,
    /// Block id of each loop's body (index 0: the function body).
    pub loop_block: Vec<usize>,
    /// Loop id of each loop, keyed by its index value (`for`) or trip
    /// count value (`while`).
    pub loop_id: std::collections::HashMap<V, usize>,
}

impl Info {
    pub fn active(&self, f: &Func, v: V) -> bool {
        self.varied[v] && self.useful[v] && f.class(v) == Class::F
    }

    pub fn arr_active(&self, a: A) -> bool {
        self.arr_varied[a] && self.arr_useful[a]
    }

    /// Whether a call has derivative work to do.
    pub fn call_active(&self, v: V, op: &Op) -> bool {
        let Op::Call { args, .. } = op else { return false };
        let out_useful = self.useful[v] || args.iter().any(|a| matches!(a, Arg::ArrMut(m, _) if self.arr_useful[*m]));
        self.varied[v] && out_useful
    }

    /// `outer` strictly encloses loop `inner` (0 encloses every loop).
    pub fn encloses(&self, outer: usize, inner: usize) -> bool {
        let mut l = inner;
        while l != 0 {
            l = self.loop_parent[l];
            if l == outer {
                return true;
            }
        }
        false
    }
}

pub fn analyse(f: &Func, sig: &Sig) -> Info {
    let nv = f.values.len();
    let na = f.arrays.len();
    let mut info = Info {
        varied: vec![false; nv],
        useful: vec![false; nv],
        arr_varied: vec![false; na],
        arr_useful: vec![false; na],
        loop_of: vec![0; nv],
        block_of: vec![0; nv],
        loop_parent: vec![0],
        n_loops: 0,
        avail: vec![false; nv],
        is_index: vec![false; nv],
        loop_block: vec![0],
        loop_id: std::collections::HashMap::new(),
    };
    for (k, p) in sig.params.iter().enumerate() {
        if !p.active {
            continue;
        }
        if let (Role::Scalar, Some(v)) = (&p.role, f.param_values[k]) {
            info.varied[v] = true;
        }
        if let Some(a) = f.param_arrays[k] {
            info.arr_varied[a] = true;
            if f.arrays[a].kind == ArrKind::ParamMut {
                info.arr_useful[a] = true;
            }
        }
    }
    for leaf in f.result.leaves() {
        match leaf {
            Leaf::Scalar(v) => info.useful[v] = true,
            Leaf::Array(a) => info.arr_useful[a] = true,
        }
    }
    loop {
        let mut changed = false;
        forward(&f.body, f, &mut info, &mut changed);
        backward(&f.body, &mut info, &mut changed);
        if !changed {
            break;
        }
    }
    let mut next_block = 1;
    regions(&f.body, 0, 0, &mut info, &mut next_block);
    availability(&f.body, f, &mut info);
    info
}

fn set(flag: &mut bool, v: bool, changed: &mut bool) {
    if v && !*flag {
        *flag = true;
        *changed = true;
    }
}

fn forward(b: &Block, f: &Func, info: &mut Info, ch: &mut bool) {
    for s in &b.stmts {
        match s {
            Stmt::Def { v, op } => {
                let x = match op {
                    Op::Copy(a) | Op::Neg(a) | Op::Proj(a, _) => info.varied[*a],
                    Op::Bin(_, a, b) => info.varied[*a] || info.varied[*b],
                    Op::Math { args, .. } => args.iter().any(|a| info.varied[*a]),
                    Op::Read(a, _) => info.arr_varied[*a] && f.arrays[*a].elem == Class::F,
                    Op::Call { args, .. } => {
                        let any = args.iter().any(|a| match a {
                            Arg::Scalar(v) => info.varied[*v],
                            Arg::ArrRef(a, _) | Arg::ArrVal(a, _) | Arg::ArrMut(a, _) => info.arr_varied[*a],
                            Arg::Other(..) => false,
                        });
                        if any {
                            for a in args {
                                if let Arg::ArrMut(m, _) = a {
                                    let mut flag = info.arr_varied[*m];
                                    set(&mut flag, true, ch);
                                    info.arr_varied[*m] = flag;
                                }
                            }
                        }
                        any
                    }
                    _ => false,
                };
                let mut flag = info.varied[*v];
                set(&mut flag, x, ch);
                info.varied[*v] = flag;
            }
            Stmt::Store { arr, val, .. } => {
                let mut flag = info.arr_varied[*arr];
                set(&mut flag, info.varied[*val], ch);
                info.arr_varied[*arr] = flag;
            }
            Stmt::ArrNew { arr, init } | Stmt::ArrAssign { arr, init, .. } => {
                let x = match init {
                    ArrInit::Fill(v) | ArrInit::FromCall(v) => info.varied[*v],
                    ArrInit::List(vs) => vs.iter().any(|v| info.varied[*v]),
                    ArrInit::CopyOf(src) => info.arr_varied[*src],
                };
                let mut flag = info.arr_varied[*arr];
                set(&mut flag, x, ch);
                info.arr_varied[*arr] = flag;
            }
            Stmt::If { then, els, phis, .. } => {
                forward(then, f, info, ch);
                forward(els, f, info, ch);
                for p in phis {
                    let x = info.varied[p.a] || info.varied[p.b];
                    let mut flag = info.varied[p.out];
                    set(&mut flag, x, ch);
                    info.varied[p.out] = flag;
                }
            }
            Stmt::For { carried, body, .. } | Stmt::While { carried, body, .. } => {
                if let Stmt::While { cond_block, .. } = s {
                    forward(cond_block, f, info, ch);
                }
                forward(body, f, info, ch);
                for c in carried {
                    let x = info.varied[c.init] || info.varied[c.next] || info.varied[c.phi];
                    for t in [c.phi, c.out] {
                        let mut flag = info.varied[t];
                        set(&mut flag, x, ch);
                        info.varied[t] = flag;
                    }
                }
            }
        }
    }
}

fn mark(info: &mut Info, v: V, ch: &mut bool) {
    let mut flag = info.useful[v];
    set(&mut flag, true, ch);
    info.useful[v] = flag;
}

fn mark_arr(info: &mut Info, a: A, ch: &mut bool) {
    let mut flag = info.arr_useful[a];
    set(&mut flag, true, ch);
    info.arr_useful[a] = flag;
}

fn backward(b: &Block, info: &mut Info, ch: &mut bool) {
    for s in b.stmts.iter().rev() {
        match s {
            Stmt::Def { v, op } => {
                let is_useful = match op {
                    Op::Call { args, .. } => {
                        info.useful[*v] || args.iter().any(|a| matches!(a, Arg::ArrMut(m, _) if info.arr_useful[*m]))
                    }
                    _ => info.useful[*v],
                };
                if !is_useful {
                    continue;
                }
                match op {
                    Op::Copy(a) | Op::Neg(a) | Op::Proj(a, _) => mark(info, *a, ch),
                    Op::Bin(_, a, b) => {
                        mark(info, *a, ch);
                        mark(info, *b, ch);
                    }
                    Op::Math { args, .. } => {
                        for a in args {
                            mark(info, *a, ch);
                        }
                    }
                    Op::Read(a, _) => mark_arr(info, *a, ch),
                    Op::Call { args, .. } => {
                        for a in args {
                            match a {
                                Arg::Scalar(x) => mark(info, *x, ch),
                                Arg::ArrRef(a, _) | Arg::ArrVal(a, _) | Arg::ArrMut(a, _) => mark_arr(info, *a, ch),
                                Arg::Other(..) => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            Stmt::Store { arr, val, .. } => {
                if info.arr_useful[*arr] {
                    mark(info, *val, ch);
                }
            }
            Stmt::ArrNew { arr, init } | Stmt::ArrAssign { arr, init, .. } => {
                if info.arr_useful[*arr] {
                    match init {
                        ArrInit::Fill(v) => mark(info, *v, ch),
                        ArrInit::List(vs) => {
                            for v in vs {
                                mark(info, *v, ch);
                            }
                        }
                        ArrInit::CopyOf(src) => mark_arr(info, *src, ch),
                        ArrInit::FromCall(v) => mark(info, *v, ch),
                    }
                }
            }
            Stmt::If { then, els, phis, .. } => {
                for p in phis {
                    if info.useful[p.out] {
                        mark(info, p.a, ch);
                        mark(info, p.b, ch);
                    }
                }
                backward(then, info, ch);
                backward(els, info, ch);
            }
            Stmt::For { carried, body, .. } | Stmt::While { carried, body, .. } => {
                for c in carried {
                    if info.useful[c.out] || info.useful[c.phi] {
                        for t in [c.init, c.next, c.phi, c.out] {
                            mark(info, t, ch);
                        }
                    }
                }
                backward(body, info, ch);
                if let Stmt::While { cond_block, .. } = s {
                    backward(cond_block, info, ch);
                }
            }
        }
    }
}

fn regions(b: &Block, lp: usize, blk: usize, info: &mut Info, next_block: &mut usize) {
    let at = |v: V, info: &mut Info| {
        info.loop_of[v] = lp;
        info.block_of[v] = blk;
    };
    for s in &b.stmts {
        match s {
            Stmt::Def { v, .. } => at(*v, info),
            Stmt::If { then, els, phis, .. } => {
                for p in phis {
                    at(p.out, info);
                }
                for arm in [then, els] {
                    let id = *next_block;
                    *next_block += 1;
                    regions(arm, lp, id, info, next_block);
                }
            }
            Stmt::For { idx, carried, body, .. } | Stmt::While { carried, body, trips: idx, .. } => {
                info.n_loops += 1;
                let l = info.n_loops;
                info.loop_parent.push(lp);
                let id = *next_block;
                *next_block += 1;
                info.loop_block.push(id);
                info.loop_id.insert(*idx, l);
                for c in carried {
                    at(c.out, info);
                    info.loop_of[c.phi] = l;
                    info.block_of[c.phi] = id;
                }
                if let Stmt::For { .. } = s {
                    info.loop_of[*idx] = l;
                    info.block_of[*idx] = id;
                    info.is_index[*idx] = true;
                    info.avail[*idx] = true;
                } else {
                    // `trips` of a while loop belongs to the enclosing block.
                    at(*idx, info);
                }
                if let Stmt::While { cond_block, .. } = s {
                    regions(cond_block, l, id, info, next_block);
                }
                regions(body, l, id, info, next_block);
            }
            _ => {}
        }
    }
}

fn availability(b: &Block, f: &Func, info: &mut Info) {
    for s in &b.stmts {
        match s {
            Stmt::Def { v, op } => {
                let lp = info.loop_of[*v];
                let ok = |d: V, info: &Info| info.avail[d] || (lp != 0 && info.loop_of[d] != lp && info.encloses(info.loop_of[d], lp));
                let deps_ok = op.deps().iter().all(|d| ok(*d, info));
                info.avail[*v] = match op {
                    Op::Param(_) | Op::Lit(_) => true,
                    Op::Opaque { pure, .. } => *pure && deps_ok,
                    Op::Copy(_) | Op::Bin(..) | Op::Neg(_) => deps_ok,
                    Op::Math { fun, .. } => rules::rule(fun).is_some_and(|r| r.cheap) && deps_ok,
                    Op::Read(a, _) => {
                        let info_a = &f.arrays[*a];
                        let ro = info_a.kind == ArrKind::ParamRef || (info_a.kind == ArrKind::ParamVal && !info_a.written);
                        ro && deps_ok
                    }
                    Op::Len(a) => matches!(f.arrays[*a].kind, ArrKind::ParamRef | ArrKind::ParamVal),
                    Op::Call { .. } | Op::Proj(..) => false,
                };
            }
            Stmt::If { then, els, .. } => {
                availability(then, f, info);
                availability(els, f, info);
            }
            Stmt::For { body, .. } => availability(body, f, info),
            Stmt::While { cond_block, body, .. } => {
                availability(cond_block, f, info);
                availability(body, f, info);
            }
            _ => {}
        }
    }
}
