//! Activity: a value gets a tangent or an adjoint only when it depends on an
//! active input through differentiable operations (varied) and reaches an
//! output (useful). Everything else is a symbolic zero and emits nothing.
//! Storage is tracked as a whole: a variable is varied when anything varied
//! is stored into it.

use crate::ir::*;

#[derive(Clone)]
pub struct Activity {
    pub varied: Vec<bool>,
    pub useful: Vec<bool>,
    pub var_varied: Vec<bool>,
    pub var_useful: Vec<bool>,
}

impl Activity {
    pub fn active(&self, v: V) -> bool {
        self.varied.get(v).copied().unwrap_or(false) && self.useful.get(v).copied().unwrap_or(false)
    }
}

/// The operands of an operation through which derivatives flow.
pub fn diff_deps(op: &Op) -> Vec<V> {
    match op {
        Op::Lit(_) | Op::Param(_) | Op::Len(_) | Op::Opaque { .. } | Op::ZeroLike(_) => Vec::new(),
        Op::Bin(b, x, y) => {
            if b.is_cmp() || matches!(b, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor | BinOp::Shl | BinOp::Shr) {
                Vec::new()
            } else {
                vec![*x, *y]
            }
        }
        Op::Un(UnOp::Neg, a) => vec![*a],
        Op::Un(UnOp::Not, _) => Vec::new(),
        Op::Prim(name, args) => match crate::rules::rule(name) {
            Some(r) if r.res == crate::rules::Res::F => args.iter().take(r.arity).copied().collect(),
            _ => Vec::new(),
        },
        Op::Cast(a, _) | Op::Get(a, _) | Op::Field(a, _) | Op::Copy(a) | Op::Extract { val: a, .. } => vec![*a],
        Op::Index(a, _) => vec![*a],
        Op::Read(_) => Vec::new(),
        Op::Call(c) => c.args.iter().filter_map(|a| if let Arg::Val(v) = a { Some(*v) } else { None }).collect(),
        Op::Tuple(xs) | Op::Array(xs) | Op::VecLit(xs) => xs.clone(),
        Op::Struct { fields, .. } => fields.iter().map(|f| f.1).collect(),
        Op::Repeat { val, .. } => vec![*val],
    }
}

/// Vars whose contents flow into an operation's result.
fn diff_vars(op: &Op) -> Vec<Var> {
    match op {
        Op::Read(p) => vec![p.var],
        Op::Call(c) => c.args.iter().filter_map(|a| a.place().map(|p| p.var)).collect(),
        _ => Vec::new(),
    }
}

/// `seeds[k]`: parameter `k` is active. `outputs`: the result and the
/// output variables are useful.
pub fn analyse(f: &Func, seeds: &[bool], out_vars: &[Var]) -> Activity {
    let nv = f.values.len();
    let nx = f.vars.len();
    let mut a = Activity { varied: vec![false; nv], useful: vec![false; nv], var_varied: vec![false; nx], var_useful: vec![false; nx] };
    for (k, p) in f.params.iter().enumerate() {
        if !seeds.get(k).copied().unwrap_or(false) {
            continue;
        }
        match p {
            ParamSlot::Val(v) => a.varied[*v] = true,
            ParamSlot::Var(x) => a.var_varied[*x] = true,
            ParamSlot::None => {}
        }
    }
    // Forward.
    loop {
        let mut changed = false;
        fwd_block(f, &f.body, &mut a, &mut changed);
        if !changed {
            break;
        }
    }
    // Backward.
    if let Some(r) = f.ret {
        a.useful[r] = true;
    }
    for x in out_vars {
        a.var_useful[*x] = true;
    }
    loop {
        let mut changed = false;
        bwd_block(f, &f.body, &mut a, &mut changed);
        if !changed {
            break;
        }
    }
    a
}

fn set(flag: &mut bool, changed: &mut bool) {
    if !*flag {
        *flag = true;
        *changed = true;
    }
}

fn carries_ty(f: &Func, v: V) -> bool {
    f.values[v].ty.carries()
}

fn fwd_block(f: &Func, b: &Block, a: &mut Activity, ch: &mut bool) {
    for s in &b.stmts {
        match s {
            Stmt::Let { v, op } => {
                if let Op::Param(_) = op {
                    continue;
                }
                let dv = diff_deps(op).iter().any(|d| a.varied[*d]) || diff_vars(op).iter().any(|x| a.var_varied[*x]);
                if dv && carries_ty(f, *v) {
                    set(&mut a.varied[*v], ch);
                }
                if let Op::Call(c) = op {
                    let any = c.args.iter().any(|arg| match arg {
                        Arg::Val(x) => a.varied[*x],
                        Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => a.var_varied[p.var],
                        _ => false,
                    });
                    if any {
                        for arg in &c.args {
                            if let Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) = arg {
                                if f.vars[p.var].shape.carries() {
                                    set(&mut a.var_varied[p.var], ch);
                                }
                            }
                        }
                    }
                }
            }
            Stmt::Store { place, val, .. } => {
                if a.varied[*val] {
                    set(&mut a.var_varied[place.var], ch);
                }
            }
            Stmt::Decl { var, init } => {
                let v = match init {
                    Init::Val(x) | Init::VecFill(x, _) | Init::ArrFill(x, _) => a.varied[*x],
                    Init::CopyOf(p) => a.var_varied[p.var],
                    Init::VecEmpty(_) | Init::ZeroLike(_) | Init::Zero | Init::ZeroOfPlace(_) => false,
                };
                if v {
                    set(&mut a.var_varied[*var], ch);
                }
            }
            Stmt::Push { var, val } => {
                if a.varied[*val] {
                    set(&mut a.var_varied[*var], ch);
                }
            }
            Stmt::PopVec { var, out: Some(v) } => {
                if a.var_varied[*var] && carries_ty(f, *v) {
                    set(&mut a.varied[*v], ch);
                }
            }
            Stmt::If { then, els, phis, .. } => {
                fwd_block(f, then, a, ch);
                fwd_block(f, els, a, ch);
                for p in phis {
                    if (a.varied[p.then] || a.varied[p.els]) && carries_ty(f, p.out) {
                        set(&mut a.varied[p.out], ch);
                    }
                }
            }
            Stmt::For { carried, body, .. } => {
                for c in carried {
                    if (a.varied[c.init] || a.varied[c.next]) && carries_ty(f, c.phi) {
                        set(&mut a.varied[c.phi], ch);
                        set(&mut a.varied[c.out], ch);
                    }
                }
                fwd_block(f, body, a, ch);
            }
            Stmt::While { head, carried, body, .. } => {
                for c in carried {
                    if (a.varied[c.init] || a.varied[c.next]) && carries_ty(f, c.phi) {
                        set(&mut a.varied[c.phi], ch);
                        set(&mut a.varied[c.out], ch);
                    }
                }
                fwd_block(f, head, a, ch);
                fwd_block(f, body, a, ch);
            }
            Stmt::TapePop { vals, .. } => {
                for v in vals {
                    if carries_ty(f, *v) {
                        set(&mut a.varied[*v], ch);
                    }
                }
            }
            _ => {}
        }
    }
}

fn bwd_block(f: &Func, b: &Block, a: &mut Activity, ch: &mut bool) {
    for s in b.stmts.iter().rev() {
        match s {
            Stmt::Let { v, op } => {
                let mut use_all = a.useful[*v];
                if let Op::Call(c) = op {
                    if c.args.iter().any(|arg| matches!(arg, Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) if a.var_useful[p.var])) {
                        use_all = true;
                    }
                    // A varied `&mut` argument nothing reads afterwards (`g(x,
                    // &mut tmp)` with `tmp` dropped) still gets a shadow: the
                    // callee's derivatives write one.
                    for arg in &c.args {
                        if let Arg::Mut(p) | Arg::Reborrow(p) = arg {
                            if a.var_varied[p.var] && f.vars[p.var].shape.carries() {
                                set(&mut a.var_useful[p.var], ch);
                            }
                        }
                    }
                    if use_all {
                        for arg in &c.args {
                            match arg {
                                Arg::Val(x) => set(&mut a.useful[*x], ch),
                                Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => set(&mut a.var_useful[p.var], ch),
                                _ => {}
                            }
                        }
                    }
                    continue;
                }
                if use_all {
                    for d in diff_deps(op) {
                        set(&mut a.useful[d], ch);
                    }
                    for x in diff_vars(op) {
                        set(&mut a.var_useful[x], ch);
                    }
                }
            }
            Stmt::Store { place, val, .. } => {
                if a.var_useful[place.var] {
                    set(&mut a.useful[*val], ch);
                }
            }
            Stmt::Decl { var, init } => {
                if a.var_useful[*var] {
                    match init {
                        Init::Val(x) | Init::VecFill(x, _) | Init::ArrFill(x, _) => set(&mut a.useful[*x], ch),
                        Init::CopyOf(p) => set(&mut a.var_useful[p.var], ch),
                        _ => {}
                    }
                }
            }
            Stmt::Push { var, val } => {
                if a.var_useful[*var] {
                    set(&mut a.useful[*val], ch);
                }
            }
            Stmt::PopVec { var, out: Some(v) } => {
                if a.useful[*v] {
                    set(&mut a.var_useful[*var], ch);
                }
            }
            Stmt::If { then, els, phis, .. } => {
                for p in phis {
                    if a.useful[p.out] {
                        set(&mut a.useful[p.then], ch);
                        set(&mut a.useful[p.els], ch);
                    }
                }
                bwd_block(f, then, a, ch);
                bwd_block(f, els, a, ch);
            }
            Stmt::For { carried, body, .. } => {
                for c in carried {
                    if a.useful[c.out] || a.useful[c.phi] {
                        set(&mut a.useful[c.phi], ch);
                        set(&mut a.useful[c.next], ch);
                        set(&mut a.useful[c.init], ch);
                    }
                }
                bwd_block(f, body, a, ch);
            }
            Stmt::While { head, carried, body, .. } => {
                for c in carried {
                    if a.useful[c.out] || a.useful[c.phi] {
                        set(&mut a.useful[c.phi], ch);
                        set(&mut a.useful[c.next], ch);
                        set(&mut a.useful[c.init], ch);
                    }
                }
                bwd_block(f, body, a, ch);
                bwd_block(f, head, a, ch);
            }
            Stmt::TapePush { vals } => {
                for v in vals {
                    if carries_ty(f, *v) {
                        set(&mut a.useful[*v], ch);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Opaque expressions that would drop derivatives: an expression the macro
/// does not model that produces a float or a value from a varied operand.
pub fn check_opaque(f: &Func, a: &Activity, diag: &mut crate::diag::Diag) {
    f.body.walk(&mut |s| {
        if let Stmt::Let { v, op: Op::Opaque { deps, span, .. } } = s {
            if !f.values[*v].ty.carries() {
                return;
            }
            let varied = deps.iter().any(|d| match d {
                Dep::Val(x) => a.varied[*x],
                Dep::Place(p) => a.var_varied[p.var],
            });
            if varied && a.useful[*v] {
                diag.at(*span, "leibniz cannot differentiate this expression: it computes a value from operands that carry derivatives in a way the macro does not model; write it with arithmetic, float methods and calls of #[differentiable] functions");
            }
        }
    });
}
