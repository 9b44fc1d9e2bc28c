//! A custom JVP rule as a tangent program.
//!
//! A rule `fn g_jvp(x: f64, dx: f64) -> (f64, f64)` is lowered like any
//! differentiable body. Its tangent part (everything computed from the
//! tangent parameters) must be linear in the tangents: sums, negations,
//! products and quotients by values that do not depend on tangents, reads
//! and writes of tangent storage, no branch on a tangent. Checked here, it
//! is the same kind of program the JVP pass produces, so reverse mode is the
//! unzip + transpose of `ad::vjp` (the rule author never writes it), and
//! second order the JVP of both sweeps.

use std::collections::HashMap;

use proc_macro2::Span;

use super::jvp::JvpOut;
use crate::analyse::activity::{self, Activity};
use crate::diag::Diag;
use crate::ir::*;

/// `prim[k]`: rule parameter index of target parameter `k`; `tan[k]`: rule
/// parameter index of its tangent, if it has one.
pub struct Layout {
    pub prim: Vec<usize>,
    pub tan: Vec<Option<usize>>,
}

/// The rule's lowered body (`f`, parameters in the rule's order) as the
/// tangent program of the target: parameters permuted to the target's
/// primal slots then tangent slots, the result split into value and
/// tangent, linearity checked. `primal` is the target's primal program
/// (the body without the tangent part) for the unzip.
pub fn tangent_program(mut f: Func, layout: &Layout, diag: &mut Diag) -> Option<(JvpOut, Func)> {
    let np = layout.prim.len();
    let nrule = f.params.len();
    // Rule parameter index -> new slot index.
    let mut remap = vec![usize::MAX; nrule];
    for (k, &r) in layout.prim.iter().enumerate() {
        remap[r] = k;
    }
    for (k, t) in layout.tan.iter().enumerate() {
        if let Some(r) = t {
            remap[*r] = np + k;
        }
    }
    let mut params = vec![ParamSlot::None; 2 * np];
    for (r, slot) in f.params.iter().enumerate() {
        if remap[r] != usize::MAX {
            params[remap[r]] = slot.clone();
        }
    }
    f.params = params;
    for x in f.vars.iter_mut() {
        if let VarKind::Param { index, by } = x.kind {
            x.kind = VarKind::Param { index: remap.get(index).copied().unwrap_or(index), by };
        }
    }
    remap_params(&mut f.body, &remap);

    // The result `(value, tangent)`.
    let Some(r) = f.ret else {
        diag.at(Span::call_site(), "a JVP rule returns `(value, tangent)`");
        return None;
    };
    let mut body = std::mem::take(&mut f.body);
    let split = split_pair(&mut f, &mut body, r);
    f.body = body;
    let Some((y, dy)) = split else {
        diag.at(f.values[r].span, "end the body of a JVP rule with the pair `(value, tangent)` (as its last expression, or in each branch of a final `if`/`match`)");
        return None;
    };
    f.ret = Some(y);

    let seeds: Vec<bool> = (0..2 * np).map(|k| k >= np && !matches!(f.params[k], ParamSlot::None)).collect();
    let act = activity::analyse(&f, &seeds, &[]);
    // Arithmetic on values of types the macro does not see goes through
    // the runtime's operator traits; on tangents it is plain arithmetic.
    let mut body = std::mem::take(&mut f.body);
    let changed = plain_ops(&mut f, &mut body, &act);
    f.body = body;
    let act = if changed { activity::analyse(&f, &seeds, &[]) } else { act };
    let mut body = std::mem::take(&mut f.body);
    guard_factors(&mut f, &mut body, &act.varied);
    f.body = body;
    let act = activity::analyse(&f, &seeds, &[]);
    let before = diag.len();
    check_linear(&f, &act, diag);
    if act.varied[y] {
        diag.at(f.values[y].span, "the value of a JVP rule must not depend on the tangents");
    }
    if diag.len() > before {
        return None;
    }
    let mut lin = act.varied.clone();
    let lin_var = act.var_varied.clone();
    // Zero literals entering tangent phis and carries become tangent zeros.
    let mut body = std::mem::take(&mut f.body);
    fix_zeros(&mut f, &mut body, &mut lin, diag);
    f.body = body;
    if diag.len() > before {
        return None;
    }
    lin.resize(f.values.len(), false);

    let mut tan = HashMap::new();
    let mut tvar = HashMap::new();
    let mut tan_param = vec![None; np];
    for k in 0..np {
        let (p, t) = (&f.params[k], &f.params[np + k]);
        match (p, t) {
            (ParamSlot::Val(a), ParamSlot::Val(b)) => {
                tan.insert(*a, *b);
                tan_param[k] = Some(np + k);
            }
            (ParamSlot::Var(a), ParamSlot::Var(b)) => {
                tvar.insert(*a, *b);
                tan_param[k] = Some(np + k);
            }
            _ => {}
        }
    }
    let ret_tan = if lin[dy] { Some(dy) } else { None };
    let nv = f.values.len();
    let mut primal = f.clone();
    primal.params.truncate(np);
    let t = JvpOut { func: f, tan, tvar, lin, lin_var, mixed: vec![false; nv], ret_tan, tan_param, masks: HashMap::new(), like: HashMap::new() };
    Some((t, primal))
}

/// `ops::mul(c, t)` on a tangent `t` as `c * t` (and `+`, `-`, `/`,
/// negation): the linear operations the transposer knows.
fn plain_ops(f: &mut Func, b: &mut Block, act: &Activity) -> bool {
    let varied = |x: V| act.varied.get(x).copied().unwrap_or(false);
    let mut changed = false;
    for s in b.stmts.iter_mut() {
        match s {
            Stmt::Let { v, op: Op::Call(c) } if varied(*v) && c.entry == Entry::Primal => {
                let Callee::Op(name) = c.callee else { continue };
                let vals: Vec<V> = c.args.iter().filter_map(|a| if let Arg::Val(x) = a { Some(*x) } else { None }).collect();
                if vals.len() != c.args.len() {
                    continue;
                }
                let new = match (name, vals.as_slice()) {
                    ("add", [a, b]) => Op::Bin(BinOp::Add, *a, *b),
                    ("sub", [a, b]) => Op::Bin(BinOp::Sub, *a, *b),
                    ("mul", [a, b]) => Op::Bin(BinOp::Mul, *a, *b),
                    ("div", [a, b]) => Op::Bin(BinOp::Div, *a, *b),
                    ("neg", [a]) => Op::Un(UnOp::Neg, *a),
                    _ => continue,
                };
                // The result has the type of the tangent operand.
                let lin_operand = vals.iter().copied().find(|x| varied(*x));
                if let Some(t) = lin_operand {
                    f.values[*v].ty = f.values[t].ty;
                    if f.values[*v].rty.is_none() {
                        f.values[*v].rty = f.values[t].rty.clone();
                    }
                }
                *s = Stmt::Let { v: *v, op: new };
                changed = true;
            }
            Stmt::If { then, els, .. } => {
                changed |= plain_ops(f, then, act);
                changed |= plain_ops(f, els, act);
            }
            Stmt::For { body, .. } => changed |= plain_ops(f, body, act),
            Stmt::While { head, body, .. } => {
                changed |= plain_ops(f, head, act);
                changed |= plain_ops(f, body, act);
            }
            _ => {}
        }
    }
    changed
}

fn remap_params(b: &mut Block, remap: &[usize]) {
    for s in b.stmts.iter_mut() {
        if let Stmt::Let { op: Op::Param(i), .. } = s {
            *i = remap.get(*i).copied().unwrap_or(*i);
        }
        match s {
            Stmt::If { then, els, .. } => {
                remap_params(then, remap);
                remap_params(els, remap);
            }
            Stmt::For { body, .. } => remap_params(body, remap),
            Stmt::While { head, body, .. } => {
                remap_params(head, remap);
                remap_params(body, remap);
            }
            _ => {}
        }
    }
}

/// Finds the definition of the pair `r` in `b` and returns its two halves:
/// a tuple literal, or a phi of pairs (split into two phis).
fn split_pair(f: &mut Func, b: &mut Block, r: V) -> Option<(V, V)> {
    for k in (0..b.stmts.len()).rev() {
        match &b.stmts[k] {
            Stmt::Let { v, op: Op::Tuple(xs) } if *v == r && xs.len() == 2 => {
                let pair = (xs[0], xs[1]);
                // The pair itself mixes a value and a tangent: it goes.
                b.stmts.remove(k);
                return Some(pair);
            }
            Stmt::Let { v, op: Op::Get(_, _) } if *v == r => return None,
            Stmt::If { phis, .. } if phis.iter().any(|p| p.out == r) => {
                let Stmt::If { then, els, phis, .. } = &mut b.stmts[k] else { return None };
                let p = phis.iter().find(|p| p.out == r)?.clone();
                let (t0, t1) = split_pair(f, then, p.then)?;
                let (e0, e1) = split_pair(f, els, p.els)?;
                let y = f.new_value(f.values[t0].ty, f.values[r].span);
                let dy = f.new_value(f.values[t1].ty, f.values[r].span);
                f.values[y].rty = f.values[t0].rty.clone();
                f.values[dy].rty = f.values[t1].rty.clone();
                phis.retain(|q| q.out != r);
                phis.push(Phi { out: y, then: t0, els: e0 });
                phis.push(Phi { out: dy, then: t1, els: e1 });
                return Some((y, dy));
            }
            _ => {}
        }
    }
    None
}

fn is_zero_lit(f: &Func, b: &Block, v: V) -> bool {
    let mut found = false;
    b.walk(&mut |s| {
        if let Stmt::Let { v: x, op: Op::Lit(l) } = s {
            if *x == v {
                found = matches!(l, Lit::Zero) || matches!(l, Lit::Float(z) if *z == 0.0);
            }
        }
    });
    found && f.values[v].ty == Ty::F
}

/// Tangent phis and carries fed by a literal `0.0` on one side get a
/// tangent zero of their own; anything else not depending on tangents
/// there would make the rule affine, not linear.
fn fix_zeros(f: &mut Func, b: &mut Block, lin: &mut Vec<bool>, diag: &mut Diag) {
    let whole = b.clone();
    let mut out = Vec::new();
    for mut s in std::mem::take(&mut b.stmts) {
        match &mut s {
            Stmt::If { then, els, phis, .. } => {
                fix_zeros(f, then, lin, diag);
                fix_zeros(f, els, lin, diag);
                for p in phis.iter_mut() {
                    if !lin.get(p.out).copied().unwrap_or(false) {
                        continue;
                    }
                    for (side, blk) in [(&mut p.then, &mut *then), (&mut p.els, &mut *els)] {
                        if lin.get(*side).copied().unwrap_or(false) {
                            continue;
                        }
                        if is_zero_lit(f, &whole, *side) || is_zero_lit(f, blk, *side) {
                            let z = f.new_value(Ty::F, f.values[*side].span);
                            lin.resize(f.values.len(), false);
                            lin[z] = true;
                            blk.stmts.push(Stmt::Let { v: z, op: Op::Lit(Lit::Zero) });
                            *side = z;
                        } else {
                            diag.at(f.values[*side].span, "this branch gives the tangent a value that does not depend on the tangents, so the rule is not linear in them; a branch without a tangent contribution returns `0.0` as its tangent");
                        }
                    }
                }
            }
            Stmt::For { body, carried, .. } | Stmt::While { body, carried, .. } => {
                fix_zeros(f, body, lin, diag);
                for c in carried.iter_mut() {
                    if !lin.get(c.phi).copied().unwrap_or(false) || lin.get(c.init).copied().unwrap_or(false) {
                        continue;
                    }
                    if is_zero_lit(f, &whole, c.init) {
                        let z = f.new_value(Ty::F, f.values[c.init].span);
                        lin.resize(f.values.len(), false);
                        lin[z] = true;
                        out.push(Stmt::Let { v: z, op: Op::Lit(Lit::Zero) });
                        c.init = z;
                    } else {
                        diag.at(f.values[c.init].span, "a tangent accumulated in this loop must start from `0.0` (or from other tangents) for the rule to be linear in the tangents");
                    }
                }
            }
            _ => {}
        }
        out.push(s);
    }
    b.stmts = out;
}

/// Values computed from the tangents in any way (comparisons included).
fn tainted(f: &Func, act: &Activity) -> Vec<bool> {
    let mut t = act.varied.clone();
    t.resize(f.values.len(), false);
    let mut tv = act.var_varied.clone();
    tv.resize(f.vars.len(), false);
    loop {
        let mut changed = false;
        f.body.walk(&mut |s| {
            let mut mark = |x: V, t: &mut Vec<bool>| {
                if !t[x] {
                    t[x] = true;
                    changed = true;
                }
            };
            match s {
                Stmt::Let { v, op } => {
                    if op.deps().iter().any(|d| t[*d]) || op.reads().iter().any(|x| tv[*x]) {
                        mark(*v, &mut t);
                    }
                }
                Stmt::If { phis, .. } => {
                    for p in phis {
                        if t[p.then] || t[p.els] {
                            mark(p.out, &mut t);
                        }
                    }
                }
                Stmt::For { carried, .. } | Stmt::While { carried, .. } => {
                    for c in carried {
                        if t[c.init] || t[c.next] {
                            mark(c.phi, &mut t);
                            mark(c.out, &mut t);
                        }
                    }
                }
                Stmt::Store { place, val, .. } => {
                    if t[*val] && !tv[place.var] {
                        tv[place.var] = true;
                        changed = true;
                    }
                }
                _ => {}
            }
        });
        if !changed {
            return t;
        }
    }
}

/// Factors of tangents whose type the macro does not see go through
/// `ops::scalar`, which only scalars pass: the transpose of `c · t` is
/// `c · t̄` for a scalar `c` only (for a matrix it would be `cᵀ t̄`), so a
/// non-scalar factor is a compile error, never a wrong derivative.
fn guard_factors(f: &mut Func, b: &mut Block, varied: &[bool]) {
    let v = |x: V| varied.get(x).copied().unwrap_or(false);
    let mut out = Vec::new();
    for mut st in std::mem::take(&mut b.stmts) {
        match &mut st {
            Stmt::Let { v: x, op: Op::Bin(op @ (BinOp::Mul | BinOp::Div), l, r) } if v(*x) => {
                let factor = match op {
                    BinOp::Mul if v(*l) && !v(*r) => Some(r),
                    BinOp::Mul if v(*r) && !v(*l) => Some(l),
                    BinOp::Div if !v(*r) => Some(r),
                    _ => None,
                };
                if let Some(c) = factor {
                    if f.values[*c].ty == Ty::Val {
                        let span = f.values[*c].span;
                        let g = f.new_value(Ty::Val, span);
                        f.values[g].rty = f.values[*c].rty.clone();
                        out.push(Stmt::Let { v: g, op: Op::Call(Call { callee: Callee::Op("scalar"), entry: Entry::Primal, args: vec![Arg::Val(*c)], tape: false, span }) });
                        *c = g;
                    }
                }
            }
            Stmt::If { then, els, .. } => {
                guard_factors(f, then, varied);
                guard_factors(f, els, varied);
            }
            Stmt::For { body, .. } => guard_factors(f, body, varied),
            Stmt::While { head, body, .. } => {
                guard_factors(f, head, varied);
                guard_factors(f, body, varied);
            }
            _ => {}
        }
        out.push(st);
    }
    b.stmts = out;
}

/// Every operation on tangents is linear in them.
fn check_linear(f: &Func, act: &Activity, diag: &mut Diag) {
    let taint = tainted(f, act);
    let dep = |x: V| taint.get(x).copied().unwrap_or(false);
    let v = |x: V| act.varied.get(x).copied().unwrap_or(false);
    let not_linear = "the tangent part of a JVP rule must be linear in the tangents";
    f.body.walk(&mut |s| match s {
        Stmt::Let { v: x, op } if v(*x) => {
            let span = f.values[*x].span;
            match op {
                Op::Bin(BinOp::Add | BinOp::Sub, a, b) if v(*a) != v(*b) && !is_zero_lit(f, &f.body, if v(*a) { *b } else { *a }) => {
                    diag.at(span, format!("{not_linear}: this adds a value that does not depend on the tangents"))
                }
                Op::Bin(BinOp::Add | BinOp::Sub, ..) | Op::Un(UnOp::Neg, _) | Op::Cast(..) | Op::Read(_) | Op::Get(..) | Op::Field(..) | Op::Copy(_) | Op::Tuple(_) | Op::Array(_) | Op::VecLit(_) | Op::Struct { .. } | Op::Repeat { .. } | Op::Extract { .. } | Op::Param(_) => {}
                Op::Index(_, i) if !v(*i) => {}
                Op::Bin(BinOp::Mul, a, b) if !(v(*a) && v(*b)) => {}
                Op::Bin(BinOp::Div, _, b) if !v(*b) => {}
                Op::Prim("tan_cast", _) => {}
                Op::Prim("lmul0", a) if !(v(a[0]) && v(a[1])) => {}
                Op::Prim("ldiv0", a) if !v(a[1]) => {}
                Op::Bin(BinOp::Mul, ..) => diag.at(span, format!("{not_linear}: this multiplies two tangents")),
                Op::Bin(BinOp::Div, ..) => diag.at(span, format!("{not_linear}: this divides by a tangent")),
                Op::Prim(name, _) => diag.at(span, format!("{not_linear}: `{name}` of a tangent is not linear (compute partial derivatives from the values, then multiply the tangents by them)")),
                Op::Call(c) => diag.at(c.span, format!("{not_linear}: a rule's tangent part cannot pass tangents to other functions; call them on the values and combine the tangents with + - * /")),
                _ => diag.at(span, format!("{not_linear}: this operation on a tangent is not linear")),
            }
        }
        Stmt::If { cond, .. } if dep(*cond) => diag.at(f.values[*cond].span, format!("{not_linear}: branch on the values, not on the tangents")),
        Stmt::While { cond, .. } if dep(*cond) => diag.at(f.values[*cond].span, format!("{not_linear}: loop conditions may not depend on the tangents")),
        Stmt::Store { place, val, .. } if act.var_varied[place.var] && !v(*val) && !is_zero_lit(f, &f.body, *val) => {
            diag.at(f.values[*val].span, "this stores a value into storage that also holds tangents; keep values and tangents in separate variables")
        }
        Stmt::Effect { deps, tokens } if deps.iter().any(|d| matches!(d, Dep::Val(x) if v(*x))) => {
            let _ = tokens;
        }
        _ => {}
    });
}
