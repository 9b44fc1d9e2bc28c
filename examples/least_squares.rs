//! Nonlinear least squares: fit a damped oscillation to noisy samples.
//!
//! `cargo run --release --example least_squares`
//!
//! Model: `y(t) = A exp(-λ t) sin(ω t + φ)` with parameters `p = [A, λ, ω, φ]`.
//! `residuals(p, t, y)` is a vector-valued `#[differentiable]` function. Each
//! Levenberg–Marquardt iteration builds the Jacobian column by column with
//! `residuals_jvp` (forward mode: one sweep per parameter) and the gradient
//! `Jᵀ r` with one reverse sweep of `residuals_vjp`, then solves the damped
//! normal equations. Exits nonzero if the fit misses the truth.

use leibniz::check;
use leibniz::prelude::*;
use std::process::ExitCode;

/// `model(p, t) - y` at every sample. Only `p` is differentiated.
#[differentiable(wrt(p))]
fn residuals(p: &[f64], t: &[f64], y: &[f64]) -> Vec<f64> {
    let mut r = vec![0.0; t.len()];
    for i in 0..t.len() {
        let envelope = p[0] * (-p[1] * t[i]).exp();
        r[i] = envelope * (p[2] * t[i] + p[3]).sin() - y[i];
    }
    r
}

const NAMES: [&str; 4] = ["A", "lambda", "omega", "phi"];

/// Deterministic measurement noise, approximately standard normal.
fn noise(state: &mut u64) -> f64 {
    let mut s = 0.0;
    for _ in 0..12 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s += (*state >> 11) as f64 / (1u64 << 53) as f64;
    }
    s - 6.0
}

fn cost(r: &[f64]) -> f64 {
    0.5 * r.iter().map(|v| v * v).sum::<f64>()
}

/// Solves the symmetric positive definite system `a x = b` by Cholesky.
fn solve_spd(a: &[[f64; 4]; 4], b: &[f64; 4]) -> Option<[f64; 4]> {
    let mut l = [[0.0; 4]; 4];
    for i in 0..4 {
        for j in 0..=i {
            let s: f64 = a[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if s <= 0.0 {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    let mut z = [0.0; 4];
    for i in 0..4 {
        z[i] = (b[i] - (0..i).map(|k| l[i][k] * z[k]).sum::<f64>()) / l[i][i];
    }
    let mut x = [0.0; 4];
    for i in (0..4).rev() {
        x[i] = (z[i] - (i + 1..4).map(|k| l[k][i] * x[k]).sum::<f64>()) / l[i][i];
    }
    Some(x)
}

/// Jacobian `[sample][parameter]` by one forward-mode sweep per parameter.
fn jacobian(p: &[f64], t: &[f64], y: &[f64]) -> Vec<Vec<f64>> {
    let mut jac = vec![vec![0.0; p.len()]; t.len()];
    for j in 0..p.len() {
        let mut dp = vec![0.0; p.len()];
        dp[j] = 1.0;
        let (_, column) = residuals_jvp(p, &dp, t, y);
        for i in 0..t.len() {
            jac[i][j] = column[i];
        }
    }
    jac
}

fn main() -> ExitCode {
    let truth = [2.0, 0.3, 2.5, 0.4];
    let sigma = 0.02;
    let t: Vec<f64> = (0..120).map(|i| i as f64 * 0.1).collect();
    let mut seed = 7;
    let zero = vec![0.0; t.len()];
    let clean: Vec<f64> = residuals(&truth, &t, &zero);
    let y: Vec<f64> = clean.iter().map(|v| v + sigma * noise(&mut seed)).collect();
    println!(
        "{} samples of A exp(-lambda t) sin(omega t + phi), noise sigma = {sigma}",
        t.len()
    );

    let mut p = vec![1.0, 0.5, 2.3, 0.0];

    // The Jacobian from forward mode against finite differences, and forward
    // against reverse mode (dot-product test), once at the starting point.
    let jac = jacobian(&p, &t, &y);
    let f = |q: &[f64]| residuals(q, &t, &y);
    if let Err(e) = check::check_jacobian(f, &jac, &p) {
        println!("FAIL  Jacobian disagrees with finite differences\n{e}");
        return ExitCode::FAILURE;
    }
    let jvp = |v: &[f64]| residuals_jvp(&p, v, &t, &y).1;
    let vjp = |w: &[f64]| {
        let mut g = vec![0.0; 4];
        let (_, ()) = residuals_vjp(&p, &mut g, &t, &y, w.to_vec());
        g
    };
    if let Err(e) = check::dot_product_test(jvp, vjp, 4, t.len(), 11) {
        println!("FAIL  dot-product test of residuals_jvp / residuals_vjp\n{e}");
        return ExitCode::FAILURE;
    }
    println!("Jacobian checked against finite differences and the dot-product test");

    // Levenberg–Marquardt.
    let mut mu = 1e-3;
    let mut r = residuals(&p, &t, &y);
    println!("\n iter        cost          mu       A      lambda     omega       phi");
    for iter in 0..200 {
        let c = cost(&r);
        println!(
            "{iter:5} {c:13.6e} {mu:10.1e} {:9.5} {:9.5} {:9.5} {:9.5}",
            p[0], p[1], p[2], p[3]
        );
        let jac = jacobian(&p, &t, &y);
        // g = Jᵀ r by one reverse sweep (the VJP of the residuals with cotangent r).
        let mut g = vec![0.0; 4];
        let (_, ()) = residuals_vjp(&p, &mut g, &t, &y, r.clone());
        let mut jtj = [[0.0; 4]; 4];
        for row in &jac {
            for a in 0..4 {
                for b in 0..4 {
                    jtj[a][b] += row[a] * row[b];
                }
            }
        }
        // Raise the damping until a step lowers the cost.
        let mut step_size = None;
        while mu < 1e10 {
            let mut damped = jtj;
            for a in 0..4 {
                damped[a][a] += mu * jtj[a][a];
            }
            let rhs = [-g[0], -g[1], -g[2], -g[3]];
            let Some(delta) = solve_spd(&damped, &rhs) else {
                mu *= 4.0;
                continue;
            };
            let trial: Vec<f64> = p.iter().zip(&delta).map(|(a, d)| a + d).collect();
            let r_trial = residuals(&trial, &t, &y);
            if cost(&r_trial) < c {
                step_size = Some(delta.iter().map(|d| d * d).sum::<f64>().sqrt());
                p = trial;
                r = r_trial;
                mu = (mu / 3.0).max(1e-12);
                break;
            }
            mu *= 4.0;
        }
        match step_size {
            Some(size) if size > 1e-10 => {}
            _ => break,
        }
    }

    let rms = (2.0 * cost(&r) / t.len() as f64).sqrt();
    println!("\nparameter      fitted       truth    rel. error");
    let mut ok = true;
    for k in 0..4 {
        let err = (p[k] - truth[k]).abs() / truth[k].abs();
        ok &= err < 0.03;
        println!(
            "{:9} {:11.6} {:11.6} {:13.2e}",
            NAMES[k], p[k], truth[k], err
        );
    }
    println!("rms residual {rms:.5} (noise sigma {sigma})");
    ok &= rms < 1.2 * sigma;
    if ok {
        println!("PASS  least-squares fit recovered the parameters");
        ExitCode::SUCCESS
    } else {
        println!("FAIL  least-squares fit did not recover the parameters");
        ExitCode::FAILURE
    }
}
