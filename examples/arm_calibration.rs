//! Calibrating a planar robot arm with nalgebra: link lengths and joint
//! offsets fitted to measured tip positions by Newton's method.
//!
//! `cargo run --release --example arm_calibration --features nalgebra`
//!
//! The forward kinematics is written as a roboticist writes it with
//! nalgebra — `Rotation2::new`, `Vector2`, `+=`, `*` — and is
//! differentiated unchanged: the misfit's gradient comes from `misfit_grad`
//! and its Hessian from `misfit_hessian` (second derivatives through the
//! rotations). Exits nonzero if the calibration misses the arm the
//! measurements were made with.

use std::process::ExitCode;

use leibniz::prelude::*;
use nalgebra::{DMatrix, DVector, Rotation2, Vector2};

/// The tip of a 3-link arm: `p = [l₁, l₂, l₃, δ₁, δ₂, δ₃]` (lengths and
/// joint offsets), `q` the commanded joint angles.
#[differentiable]
fn tip(p: &[f64], #[no_grad] q: &[f64]) -> Vector2<f64> {
    let mut pos = Vector2::zeros();
    let mut theta = 0.0;
    for i in 0..3 {
        theta += q[i] + p[3 + i];
        pos += Rotation2::new(theta) * Vector2::new(p[i], 0.0);
    }
    pos
}

/// Sum of squared distances between predicted and measured tips.
#[differentiable]
fn misfit(p: &[f64], #[no_grad] qs: &[f64], #[no_grad] measured: &[Vector2<f64>]) -> f64 {
    let mut s = 0.0;
    for k in 0..measured.len() {
        let e = tip(p, &qs[3 * k..3 * k + 3]) - measured[k];
        s += e.norm_squared();
    }
    s
}

fn main() -> ExitCode {
    let truth = [1.02, 0.79, 0.46, 0.031, -0.024, 0.017];
    let nominal = [1.0, 0.8, 0.5, 0.0, 0.0, 0.0];
    // Twenty poses, measured on the true arm.
    let mut qs = Vec::new();
    for k in 0..20 {
        let a = k as f64 * 0.37;
        qs.extend([a.sin() * 1.2, (1.7 * a).cos() * 0.9, (0.6 * a + 1.0).sin() * 1.4]);
    }
    let measured: Vec<Vector2<f64>> = (0..20).map(|k| tip(&truth, &qs[3 * k..3 * k + 3])).collect();

    let mut p = nominal.to_vec();
    println!("iter   misfit        |gradient|");
    for it in 0..20 {
        let (f, g, h) = misfit_hessian(&p, &qs, &measured);
        let gnorm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        println!("{it:>4}   {f:.6e}  {gnorm:.3e}");
        if gnorm < 1e-12 {
            break;
        }
        // Newton step: H s = -g.
        let hm = DMatrix::from_fn(6, 6, |i, j| h[i][j]);
        let Some(s) = hm.lu().solve(&-DVector::from_vec(g)) else {
            eprintln!("singular Hessian");
            return ExitCode::FAILURE;
        };
        for (pi, si) in p.iter_mut().zip(s.iter()) {
            *pi += si;
        }
    }
    let names = ["l1", "l2", "l3", "d1", "d2", "d3"];
    let mut ok = true;
    for k in 0..6 {
        println!("  {} = {:+.6}   (true {:+.6})", names[k], p[k], truth[k]);
        ok &= (p[k] - truth[k]).abs() < 1e-8;
    }
    println!("{}", if ok { "PASS" } else { "FAIL" });
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
