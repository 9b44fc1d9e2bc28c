//! The passes `#[differentiable]` runs, for the CUDA printer: lower, verify,
//! hoist, activity, JVP, VJP. Used by `#[kernel]` (on the per-element
//! function) and by the device-function constants `#[differentiable]`
//! emits for kernels to call.

use crate::ad::{jvp::JvpOut, vjp::VjpOut};
use crate::diag::Diag;
use crate::front::attr::Attr;
use crate::front::sig::{self, Sig};
use crate::ir::*;

pub struct Pipeline {
    #[allow(dead_code)]
    pub sig: Sig,
    /// The primal after loop-invariant code motion.
    pub func: Func,
    pub jvp: JvpOut,
    pub vjp: VjpOut,
    #[allow(dead_code)]
    pub seeds: Vec<bool>,
    /// The `const` and `use` items of the body.
    pub items: Vec<syn::Item>,
}

/// Runs the passes on one function; `None` with errors in `diag`.
pub fn run(fsig: &syn::Signature, block: &syn::Block, attr: &Attr, diag: &mut Diag) -> Option<Pipeline> {
    let sig = sig::read(fsig, attr, diag)?;
    if !diag.is_empty() {
        return None;
    }
    run_sig(sig, fsig, block, diag)
}

/// [`run`] with the signature already read.
pub fn run_sig(sig: Sig, fsig: &syn::Signature, block: &syn::Block, diag: &mut Diag) -> Option<Pipeline> {
    let lowered = crate::lower::Lower::new(&sig, diag).lower_fn(block);
    if !diag.is_empty() {
        return None;
    }
    let lowered = lowered?;
    let items = lowered.items;
    let mut func = lowered.func;
    if let Err(e) = verify::check(&func) {
        diag.at(fsig.ident.span(), format!("internal error of leibniz (lowering): {e}"));
        return None;
    }
    crate::opt::licm::hoist(&mut func);
    if let Err(e) = verify::check(&func) {
        diag.at(fsig.ident.span(), format!("internal error of leibniz (hoisting): {e}"));
        return None;
    }
    retype_calls(&mut func);
    let (jvp, vjp) = ad(&func, &sig, diag)?;
    let seeds: Vec<bool> = sig.params.iter().map(|p| p.active).collect();
    Some(Pipeline { sig, func, jvp, vjp, seeds, items })
}

/// Activity, JVP and VJP of a primal.
pub fn ad(func: &Func, sig: &Sig, diag: &mut Diag) -> Option<(JvpOut, VjpOut)> {
    let seeds: Vec<bool> = sig.params.iter().map(|p| p.active).collect();
    let out_vars: Vec<Var> = func
        .params
        .iter()
        .zip(&sig.params)
        .filter_map(|(slot, p)| match slot {
            ParamSlot::Var(x) if p.active && p.role.by() == By::Mut => Some(*x),
            _ => None,
        })
        .collect();
    let act = crate::analyse::activity::analyse(func, &seeds, &out_vars);
    crate::analyse::activity::check_opaque(func, &act, diag);
    if !diag.is_empty() {
        return None;
    }
    let jvp = crate::ad::jvp::jvp(func, &act, &seeds, diag);
    let vjp = crate::ad::vjp::vjp(func, &act, &seeds, diag);
    if !diag.is_empty() {
        return None;
    }
    Some((jvp, vjp))
}

/// In device code every call returns a float (device functions return
/// one), so the results of calls the lowering could not type (`Ty::Val`)
/// are floats, and the trait-dispatched operations on them
/// (`ops::mul(a, b)`) are plain arithmetic. Returns whether anything
/// changed.
pub fn retype_calls(f: &mut Func) -> bool {
    let mut any = false;
    loop {
        let mut changed = false;
        let mut body = std::mem::take(&mut f.body);
        retype_block(f, &mut body, &mut changed);
        f.body = body;
        if !changed {
            return any;
        }
        any = true;
    }
}

fn set_f(f: &mut Func, v: V, ch: &mut bool) {
    if f.values[v].ty == Ty::Val {
        f.values[v].ty = Ty::F;
        *ch = true;
    }
}

fn retype_block(f: &mut Func, b: &mut Block, ch: &mut bool) {
    for s in &mut b.stmts {
        match s {
            Stmt::Let { v, op } => {
                let v = *v;
                let is_f = |f: &Func, a: &Arg| matches!(a, Arg::Val(x) if f.values[*x].ty == Ty::F);
                match op {
                    Op::Call(c) if matches!(c.callee, Callee::Path(_)) && c.entry == Entry::Primal => set_f(f, v, ch),
                    Op::Call(c) if c.entry == Entry::Primal => {
                        let Callee::Op(name) = c.callee else { continue };
                        let bin = match name {
                            "add" => Some(BinOp::Add),
                            "sub" => Some(BinOp::Sub),
                            "mul" => Some(BinOp::Mul),
                            "div" => Some(BinOp::Div),
                            _ => None,
                        };
                        match (bin, c.args.as_slice()) {
                            (Some(bop), [a, b2]) if is_f(f, a) && is_f(f, b2) => {
                                let (Arg::Val(x), Arg::Val(y)) = (a, b2) else { continue };
                                *op = Op::Bin(bop, *x, *y);
                                set_f(f, v, ch);
                                *ch = true;
                            }
                            (None, [a]) if name == "neg" && is_f(f, a) => {
                                let Arg::Val(x) = a else { continue };
                                *op = Op::Un(UnOp::Neg, *x);
                                set_f(f, v, ch);
                                *ch = true;
                            }
                            _ => {}
                        }
                    }
                    Op::Copy(a) if f.values[*a].ty == Ty::F => set_f(f, v, ch),
                    _ => {}
                }
            }
            Stmt::If { then, els, phis, .. } => {
                retype_block(f, then, ch);
                retype_block(f, els, ch);
                for p in phis.iter() {
                    let (a, b2) = (f.values[p.then].ty, f.values[p.els].ty);
                    if matches!((a, b2), (Ty::F, Ty::F) | (Ty::F, Ty::Val) | (Ty::Val, Ty::F)) {
                        set_f(f, p.out, ch);
                        set_f(f, p.then, ch);
                        set_f(f, p.els, ch);
                    }
                }
            }
            Stmt::For { body, carried, .. } => {
                retype_block(f, body, ch);
                carry(f, carried, ch);
            }
            Stmt::While { head, body, carried, .. } => {
                retype_block(f, head, ch);
                retype_block(f, body, ch);
                carry(f, carried, ch);
            }
            _ => {}
        }
    }
}

fn carry(f: &mut Func, carried: &[Carry], ch: &mut bool) {
    for c in carried {
        let tys = [f.values[c.init].ty, f.values[c.next].ty, f.values[c.phi].ty];
        if tys.contains(&Ty::F) && tys.iter().all(|t| matches!(t, Ty::F | Ty::Val)) {
            for v in [c.init, c.next, c.phi, c.out] {
                set_f(f, v, ch);
            }
        }
    }
}

#[cfg(test)]
pub(crate) fn parse_fn(src: &str) -> syn::ItemFn {
    syn::parse_str(src).expect("test source parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(src: &str) -> String {
        let f = parse_fn(src);
        let mut diag = Diag::default();
        let p = run(&f.sig, &f.block, &Attr::default(), &mut diag);
        let Some(p) = p else {
            return format!("errors: {:?}", diag.into_result().err().map(|e| e.to_string()));
        };
        format!(
            "== primal\n{}\n== jvp\n{}\n== fwd\n{}\n== bwd\n{}",
            print::func(&p.func),
            print::func(&p.jvp.func),
            print::func(&p.vjp.fwd),
            print::func(&p.vjp.bwd)
        )
    }

    #[test]
    #[ignore]
    fn dump_samples() {
        for src in [
            "fn stencil(i: usize, u: &[f64], nx: usize, alpha: f64) -> f64 { let l = if i > 0 { u[i - 1] } else { 0.0 }; let r = if i + 1 < u.len() { u[i + 1] } else { 0.0 }; u[i] + alpha * (l - 2.0 * u[i] + r) }",
            "fn lp(i: usize, w: &[f32], x: &[f32]) -> (f32, f32) { let mut s = 0.0; for k in 0..4 { s += (w[k] * x[i]).sin(); } (s, s * PI) }",
            "fn cl(i: usize, x: &[f64], k: f64) -> f64 { let y = g(x[i], k); y.powi(3) + (N as f64) }",
            "fn cm(i: usize, x: &[f32], w: &[f32], k: f32) -> f32 { let mut s = 0.0; for j in 0..4 { s += w[j] * { let c: f32 = soft(x[i], k); c }; } s }",
        ] {
            println!("{}\n\n", dump(src));
        }
    }
}
