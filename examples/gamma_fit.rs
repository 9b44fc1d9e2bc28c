//! Maximum-likelihood fits with special functions and a custom rule.
//!
//! `cargo run --release --example gamma_fit`
//!
//! Two fits by Newton's method, gradients and Hessians from leibniz:
//!
//! * a Gamma(shape k, scale θ) distribution fitted to samples: the
//!   log-likelihood calls `leibniz::special::lgamma`, whose derivative
//!   (digamma) and second derivative (trigamma) come from the rules leibniz
//!   ships (feature `special`);
//! * a Student-t location/scale fit, whose log-density uses a function of its
//!   own, `log1p_sq(u) = ln(1 + u²)`, given a derivative rule for stability:
//!   the rule's derivative `2u / (1 + u²)` stays accurate for huge `|u|`
//!   where the naive form overflows (`u² = inf`), and `order = 2` lets the
//!   Hessian go through it.
//!
//! Each rule and derivative is checked against finite differences first.
//! Exits nonzero if a check or a fit fails.

use leibniz::check;
use leibniz::prelude::*;
use std::process::ExitCode;

/// `ln(1 + u²)`, written so that it does not overflow for large `|u|`.
pub fn log1p_sq(u: f64) -> f64 {
    let a = u.abs();
    if a > 1e150 { 2.0 * a.ln() } else { (u * u).ln_1p() }
}

/// Its derivative, `2u / (1 + u²)`, as `2 / (u + 1/u)` for large `|u|`.
#[leibniz::jvp_rule(log1p_sq, order = 2)]
pub fn log1p_sq_jvp(u: f64, du: f64) -> (f64, f64) {
    let d = if u.abs() > 1.0 { 2.0 / (u + 1.0 / u) } else { 2.0 * u / (1.0 + u * u) };
    (log1p_sq(u), d * du)
}

/// Negative log-likelihood of Gamma(k, θ) samples, parametrised by
/// `p = [ln k, ln θ]` so both stay positive.
#[differentiable]
pub fn gamma_nll(p: &[f64], #[no_grad] xs: &[f64]) -> f64 {
    let k = p[0].exp();
    let theta = p[1].exp();
    let mut s = 0.0;
    for &x in xs {
        s += leibniz::special::lgamma(k) + k * theta.ln() - (k - 1.0) * x.ln() + x / theta;
    }
    s / xs.len() as f64
}

/// Negative log-likelihood of Student-t(ν = 3) samples with location `p[0]`
/// and log-scale `p[1]`.
#[differentiable]
pub fn student_nll(p: &[f64], #[no_grad] xs: &[f64]) -> f64 {
    let nu = 3.0;
    let mu = p[0];
    let sigma = p[1].exp();
    let mut s = 0.0;
    for &x in xs {
        let u = (x - mu) / (sigma * nu.sqrt());
        s += sigma.ln() + 0.5 * (nu + 1.0) * log1p_sq(u);
    }
    s / xs.len() as f64
}

/// Deterministic pseudo-random samples.
struct Rng(u64);
impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        (-2.0 * self.unit().ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos()
    }
    /// Gamma(k, 1) for integer-plus-fraction k by Marsaglia–Tsang.
    fn gamma(&mut self, k: f64) -> f64 {
        let d = k - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let z = self.normal();
            let v = (1.0 + c * z).powi(3);
            if v > 0.0 && self.unit().ln() < 0.5 * z * z + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }
}

/// Newton's method on a 2-parameter negative log-likelihood, damped
/// (Levenberg–Marquardt) so that every step lowers it.
fn newton(name: &str, p: &mut [f64], f: impl Fn(&[f64]) -> f64, hess: impl Fn(&[f64]) -> (f64, Vec<f64>, Vec<Vec<f64>>)) -> bool {
    let mut lambda = 1e-3;
    for it in 0..60 {
        let (v, g, h) = hess(p);
        println!("{name} iteration {it:2}: nll {v:.10}, |grad| {:.2e}", g[0].hypot(g[1]));
        if g[0].hypot(g[1]) < 1e-9 {
            return true;
        }
        loop {
            let (a, b, c, d) = (h[0][0] + lambda, h[0][1], h[1][0], h[1][1] + lambda);
            let det = a * d - b * c;
            let step = [(d * g[0] - b * g[1]) / det, (a * g[1] - c * g[0]) / det];
            let trial = [p[0] - step[0], p[1] - step[1]];
            if det > 0.0 && f(&trial) <= v {
                p.copy_from_slice(&trial);
                lambda = (lambda * 0.1).max(1e-12);
                break;
            }
            lambda *= 10.0;
            if lambda > 1e15 {
                return false;
            }
        }
    }
    false
}

fn main() -> ExitCode {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);

    // Checks: the custom rule, then the fits' derivatives.
    let pts: Vec<Vec<f64>> = [-1e3, -2.0, -0.3, 0.0, 0.7, 5.0, 1e3].iter().map(|&u| vec![u]).collect();
    if let Err(e) = check::check_jvp_rule(|u| vec![log1p_sq(u[0])], |u, d| {
        let (y, dy) = log1p_sq_jvp(u[0], d[0]);
        (vec![y], vec![dy])
    }, &pts) {
        println!("FAIL rule check: {e}");
        return ExitCode::FAILURE;
    }
    let (_, d) = log1p_sq_jvp(1e200, 1.0);
    if !(d.is_finite() && (d - 2e-200).abs() < 1e-214) {
        println!("FAIL: the stable derivative at 1e200 is {d}");
        return ExitCode::FAILURE;
    }
    println!("the log1p_sq rule agrees with finite differences and is right at 1e200 (the naive 2u/(1+u²) gives {})", 2.0 * 1e200 / (1.0 + 1e200 * 1e200));

    let (k, theta) = (2.5, 1.7);
    let xs: Vec<f64> = (0..4000).map(|_| theta * rng.gamma(k)).collect();
    let ts: Vec<f64> = (0..4000).map(|_| {
        let z = rng.normal();
        let chi2: f64 = (0..3).map(|_| rng.normal().powi(2)).sum();
        1.5 + 0.8 * z / (chi2 / 3.0).sqrt()
    }).collect();

    let p0 = [0.5, 0.2];
    for (name, f, h) in [
        ("gamma", &(|p: &[f64]| gamma_nll(p, &xs)) as &dyn Fn(&[f64]) -> f64, &(|p: &[f64]| gamma_nll_hessian(p, &xs)) as &dyn Fn(&[f64]) -> (f64, Vec<f64>, Vec<Vec<f64>>)),
        ("student", &(|p: &[f64]| student_nll(p, &ts)) as &dyn Fn(&[f64]) -> f64, &(|p: &[f64]| student_nll_hessian(p, &ts)) as &dyn Fn(&[f64]) -> (f64, Vec<f64>, Vec<Vec<f64>>)),
    ] {
        let (_, g, hm) = h(&p0);
        if let Err(e) = check::check_gradient(f, &g, &p0) {
            println!("FAIL {name} gradient: {e}");
            return ExitCode::FAILURE;
        }
        if let Err(e) = check::check_hessian(f, &hm, &p0) {
            println!("FAIL {name} Hessian: {e}");
            return ExitCode::FAILURE;
        }
    }
    println!("gradients and Hessians of both likelihoods agree with finite differences");

    let mut pg = p0;
    let mut ps = [1.0, 0.0];
    let ok = newton("gamma", &mut pg, |p| gamma_nll(p, &xs), |p| gamma_nll_hessian(p, &xs)) & newton("student", &mut ps, |p| student_nll(p, &ts), |p| student_nll_hessian(p, &ts));
    let (kf, tf) = (pg[0].exp(), pg[1].exp());
    let (mf, sf) = (ps[0], ps[1].exp());
    println!("gamma fit: k = {kf:.4} (true {k}), theta = {tf:.4} (true {theta})");
    println!("student-t fit: mu = {mf:.4} (true 1.5), sigma = {sf:.4} (true 0.8)");
    let close = (kf - k).abs() < 0.15 && (tf - theta).abs() < 0.15 && (mf - 1.5).abs() < 0.08 && (sf - 0.8).abs() < 0.08;
    if ok && close {
        println!("PASS");
        ExitCode::SUCCESS
    } else {
        println!("FAIL: the fits did not converge to the truth (converged: {ok})");
        ExitCode::FAILURE
    }
}
