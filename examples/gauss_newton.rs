//! Michaelis-Menten kinetics fitted by argmin's Gauss-Newton, the Jacobian
//! of the residuals from leibniz.
//!
//! `cargo run --release --example gauss_newton --features argmin,nalgebra`
//!
//! The residuals `v(s) - v_obs` of the rate law `v = V s / (K + s)` are a
//! vector-valued `#[differentiable]` function of `p = [V, K]`;
//! `leibniz::interop::argmin::LeastSquares` makes it and its emitted
//! `residuals_jacobian` (forward or reverse mode by shape) an argmin
//! problem over `DVector<f64>` parameters, which argmin's Gauss-Newton
//! needs for its linear solves. Exits nonzero if the fit misses.

use std::process::ExitCode;

use argmin::core::{Executor, State};
use argmin::solver::gaussnewton::GaussNewton;
use leibniz::interop::argmin::LeastSquares;
use leibniz::prelude::*;
use nalgebra::DVector;

/// `V s / (K + s) - v` at every substrate concentration.
#[differentiable]
fn residuals(p: &[f64], #[no_grad] s: &[f64], #[no_grad] v: &[f64]) -> Vec<f64> {
    let mut r = vec![0.0; s.len()];
    for i in 0..s.len() {
        r[i] = p[0] * s[i] / (p[1] + s[i]) - v[i];
    }
    r
}

fn main() -> ExitCode {
    // Puromycin-like data: concentrations and rates with small deterministic noise.
    let (vmax, km) = (212.7, 0.0641);
    let s = [0.02, 0.02, 0.06, 0.06, 0.11, 0.11, 0.22, 0.22, 0.56, 0.56, 1.10, 1.10];
    let wiggle = [1.3, -2.1, 0.8, -0.4, 2.2, -1.7, 0.3, 1.1, -0.9, 1.8, -1.2, 0.5];
    let v: Vec<f64> = s.iter().zip(wiggle).map(|(s, e)| vmax * s / (km + s) + e).collect();

    let problem = LeastSquares::new(|p: &[f64]| residuals(p, &s, &v), |p: &[f64]| residuals_jacobian(p, &s, &v)).with_param::<DVector<f64>>();
    let res = match Executor::new(problem, GaussNewton::<f64>::new()).configure(|st| st.param(DVector::from_vec(vec![150.0, 0.1])).max_iters(50)).run() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("argmin failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let st = res.state();
    let p = st.get_best_param().cloned().unwrap_or_else(|| DVector::zeros(2));
    println!("Gauss-Newton: {} iterations, |r| = {:.4}", st.get_iter(), st.get_best_cost());
    println!("  V = {:.3}   (data made with {vmax})", p[0]);
    println!("  K = {:.5} (data made with {km})", p[1]);
    // At a least-squares optimum Jᵀ r = 0.
    let (r, j) = residuals_jacobian(p.as_slice(), &s, &v);
    let jtr: Vec<f64> = (0..2).map(|k| (0..r.len()).map(|i| j[i][k] * r[i]).sum()).collect();
    println!("  Jᵀr at the optimum: [{:.2e}, {:.2e}]", jtr[0], jtr[1]);
    let ok = (p[0] - vmax).abs() < 5.0 && (p[1] - km).abs() < 0.01 && jtr[0].abs() < 1e-6 && jtr[1].abs() < 1e-3;
    println!("{}", if ok { "PASS" } else { "FAIL" });
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
