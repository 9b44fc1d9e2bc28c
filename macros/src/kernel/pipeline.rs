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
    pub sig: Sig,
    /// The primal after loop-invariant code motion.
    pub func: Func,
    pub jvp: JvpOut,
    pub vjp: VjpOut,
    pub seeds: Vec<bool>,
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
    let mut func = lowered?.func;
    if let Err(e) = verify::check(&func) {
        diag.at(fsig.ident.span(), format!("internal error of leibniz (lowering): {e}"));
        return None;
    }
    crate::opt::licm::hoist(&mut func);
    if let Err(e) = verify::check(&func) {
        diag.at(fsig.ident.span(), format!("internal error of leibniz (hoisting): {e}"));
        return None;
    }
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
    let act = crate::analyse::activity::analyse(&func, &seeds, &out_vars);
    crate::analyse::activity::check_opaque(&func, &act, diag);
    if !diag.is_empty() {
        return None;
    }
    let jvp = crate::ad::jvp::jvp(&func, &act, &seeds, diag);
    let vjp = crate::ad::vjp::vjp(&func, &act, &seeds, diag);
    if !diag.is_empty() {
        return None;
    }
    Some(Pipeline { sig, func, jvp, vjp, seeds })
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
        ] {
            println!("{}\n\n", dump(src));
        }
    }
}
