//! Second order by composition: the JVP pass applied to the two sweeps of
//! reverse mode.
//!
//! * `fwd_jvp` = JVP of the forward sweep: the primal and its tangent, with
//!   every tape push carrying the tangent of what it pushes.
//! * `bwd_jvp` = JVP of the backward sweep, with tangents for the primal
//!   inputs, the shadows and `dout`: popping a residual pops its tangent,
//!   and the tangents of the adjoints it accumulates are the
//!   Hessian-vector product (forward-over-reverse).
//!
//! Calls compose: a callee's `fwd` entry becomes its `fwd_jvp`, its `bwd`
//! entry its `bwd_jvp`, so second derivatives go through calls, methods and
//! operators like first ones.

use super::jvp::{JvpOut, jvp};
use super::vjp::VjpOut;
use crate::analyse::activity;
use crate::diag::Diag;
use crate::ir::*;

pub struct SecondOut {
    pub fwd: JvpOut,
    pub bwd: JvpOut,
}

/// `seeds[k]`: parameter `k` is active; `passed[k]`: the backward sweep
/// receives its primal value (everything but `&mut` parameters);
/// `out_vars`: the primal's active `&mut` parameters.
pub fn second_order(v: &VjpOut, seeds: &[bool], passed: &[bool], out_vars: &[Var]) -> Result<SecondOut, Diag> {
    let mut diag = Diag::default();
    let np = seeds.len();

    let act_f = activity::analyse(&v.fwd, seeds, out_vars);
    let fwd = jvp(&v.fwd, &act_f, seeds, &mut diag);

    let mut bseeds = vec![false; 2 * np + 1];
    for k in 0..np {
        bseeds[k] = seeds[k] && passed[k];
        bseeds[np + k] = seeds[k];
    }
    bseeds[2 * np] = matches!(v.bwd.params.get(2 * np), Some(ParamSlot::Val(_)));
    let shadows: Vec<Var> = v.bwd.params[np..2 * np]
        .iter()
        .filter_map(|p| match p {
            ParamSlot::Var(x) => Some(*x),
            _ => None,
        })
        .collect();
    let act_b = activity::analyse(&v.bwd, &bseeds, &shadows);
    let bwd = jvp(&v.bwd, &act_b, &bseeds, &mut diag);
    if !diag.is_empty() {
        return Err(diag);
    }
    for (what, f) in [("forward", &fwd.func), ("backward", &bwd.func)] {
        if let Err(e) = verify::check(f) {
            let mut d = Diag::default();
            d.at(proc_macro2::Span::call_site(), format!("internal error of leibniz (second order, {what} sweep): {e}"));
            return Err(d);
        }
    }
    Ok(SecondOut { fwd, bwd })
}
