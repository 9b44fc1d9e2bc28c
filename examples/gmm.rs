//! The ADBench Gaussian mixture objective, written as idiomatic Rust.
//!
//! `cargo run --release --example gmm`
//!
//! The negative log-likelihood of `n` points in `d` dimensions under a
//! mixture of `k` Gaussians, parametrised like ADBench (log-weights,
//! means, and each component's inverse Cholesky factor as log-diagonal plus
//! lower triangle), with a Wishart prior. Written with sub-slices, iterator
//! chains (`iter().map().sum()`, `fold` for the max), a log-sum-exp helper,
//! a struct of constants built in the body, and `lgamma` from
//! `leibniz::special` (its rule is shipped with leibniz). The gradient with
//! respect to all parameters comes from one reverse sweep; it is checked
//! against finite differences and against forward mode. Exits nonzero if a
//! check fails.

use leibniz::check;
use leibniz::prelude::*;
use std::process::ExitCode;

/// The Wishart prior's constants.
#[derive(Clone, Copy)]
pub struct Wishart {
    pub gamma: f64,
    pub m: i32,
}

#[differentiable]
fn arr_max(x: &[f64]) -> f64 {
    x.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v))
}

#[differentiable]
fn logsumexp(x: &[f64]) -> f64 {
    let m = arr_max(x);
    let s: f64 = x.iter().map(|&v| (v - m).exp()).sum();
    s.ln() + m
}

#[differentiable]
fn sqnorm(x: &[f64]) -> f64 {
    x.iter().map(|&v| v * v).sum()
}

/// `ln Γ_d(a)`, the log multivariate gamma function.
#[differentiable]
fn log_gamma_distrib(a: f64, d: usize) -> f64 {
    let mut out = 0.25 * (d * (d - 1)) as f64 * std::f64::consts::PI.ln();
    for j in 1..=d {
        out += leibniz::special::lgamma(a + 0.5 * (1.0 - j as f64));
    }
    out
}

/// `Q x` where `Q` is lower triangular with diagonal `q_diag` and strict
/// lower triangle `l` (column-major), as in ADBench.
#[differentiable]
fn q_times_x(q_diag: &[f64], l: &[f64], x: &[f64], out: &mut [f64]) {
    let d = x.len();
    for i in 0..d {
        out[i] = q_diag[i] * x[i];
    }
    let mut lparamsidx = 0;
    for i in 0..d {
        for j in i + 1..d {
            out[j] += l[lparamsidx] * x[i];
            lparamsidx += 1;
        }
    }
}

#[differentiable]
fn log_wishart_prior(d: usize, k: usize, sum_qs: &[f64], qdiags: &[f64], icf: &[f64]) -> f64 {
    let w = Wishart { gamma: 1.0, m: 0 };
    let n = d as i32 + w.m + 1;
    let icf_sz = d * (d + 1) / 2;
    let c = n as f64 * d as f64 * (w.gamma.ln() - 0.5 * 2.0_f64.ln()) - log_gamma_distrib(0.5 * n as f64, d);
    let mut out = 0.0;
    for ik in 0..k {
        let frobenius = sqnorm(&qdiags[ik * d..(ik + 1) * d]) + sqnorm(&icf[ik * icf_sz + d..(ik + 1) * icf_sz]);
        out += 0.5 * w.gamma * w.gamma * frobenius - w.m as f64 * sum_qs[ik];
    }
    out - k as f64 * c
}

/// The objective of ADBench's GMM: `alphas` (k), `means` (k·d), `icf`
/// (k·d(d+1)/2), points `x` (n·d).
#[differentiable]
pub fn gmm_objective(d: usize, k: usize, alphas: &[f64], means: &[f64], icf: &[f64], #[no_grad] x: &[f64]) -> f64 {
    let n = x.len() / d;
    let icf_sz = d * (d + 1) / 2;
    let mut qdiags = vec![0.0; k * d];
    let mut sum_qs = vec![0.0; k];
    for ik in 0..k {
        for id in 0..d {
            let q = icf[ik * icf_sz + id];
            sum_qs[ik] += q;
            qdiags[ik * d + id] = q.exp();
        }
    }
    let mut main_term = vec![0.0; k];
    let mut xcentered = vec![0.0; d];
    let mut qxcentered = vec![0.0; d];
    let mut slse = 0.0;
    for ix in 0..n {
        for ik in 0..k {
            for id in 0..d {
                xcentered[id] = x[ix * d + id] - means[ik * d + id];
            }
            q_times_x(&qdiags[ik * d..(ik + 1) * d], &icf[ik * icf_sz + d..(ik + 1) * icf_sz], &xcentered, &mut qxcentered);
            main_term[ik] = alphas[ik] + sum_qs[ik] - 0.5 * sqnorm(&qxcentered);
        }
        slse += logsumexp(&main_term);
    }
    let constant = -(n as f64) * d as f64 * 0.5 * (2.0 * std::f64::consts::PI).ln();
    let lse_alphas = logsumexp(alphas);
    constant + slse - n as f64 * lse_alphas + log_wishart_prior(d, k, &sum_qs, &qdiags, icf)
}

fn main() -> ExitCode {
    let (d, k, n) = (3, 4, 60);
    let icf_sz = d * (d + 1) / 2;
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    };
    let x: Vec<f64> = (0..n * d).map(|_| next() * 2.0).collect();
    let params: Vec<f64> = (0..k + k * d + k * icf_sz).map(|_| 0.3 * next()).collect();
    let split = |p: &[f64]| -> (Vec<f64>, Vec<f64>, Vec<f64>) { (p[..k].to_vec(), p[k..k + k * d].to_vec(), p[k + k * d..].to_vec()) };
    let objective = |p: &[f64]| {
        let (a, m, q) = split(p);
        gmm_objective(d, k, &a, &m, &q, &x)
    };
    let gradient = |p: &[f64]| {
        let (a, m, q) = split(p);
        let (v, (ga, gm, gq)) = gmm_objective_grad(d, k, &a, &m, &q, &x);
        (v, [ga, gm, gq].concat::<f64>())
    };

    let (v0, g) = gradient(&params);
    if let Err(e) = check::check_gradient(objective, &g, &params) {
        println!("FAIL gradient check: {e}");
        return ExitCode::FAILURE;
    }
    println!("objective {v0:.6}; its gradient ({} entries) agrees with finite differences", g.len());

    // Forward mode along random directions agrees with the gradient.
    let (a, m, q) = split(&params);
    for t in 0..3 {
        let dir: Vec<f64> = (0..params.len()).map(|_| next()).collect();
        let (da, dm, dq) = split(&dir);
        let (_, slope) = gmm_objective_jvp(d, k, &a, &da, &m, &dm, &q, &dq, &x);
        let want: f64 = g.iter().zip(&dir).map(|(g, v)| g * v).sum();
        if (slope - want).abs() > 1e-9 * (1.0 + want.abs()) {
            println!("FAIL: JVP {slope} vs <grad, v> {want} (direction {t})");
            return ExitCode::FAILURE;
        }
    }
    let (_, tape) = gmm_objective_record(d, k, &a, &m, &q, &x);
    println!("forward mode agrees with the gradient; the tape holds {} bytes for n = {n}", tape.bytes());
    println!("PASS");
    ExitCode::SUCCESS
}
