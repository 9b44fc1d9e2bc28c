//! Second-order corpus: `f_hvp`, `f_hessian`, `f_second_derivative` and
//! `f_jacobian` over the constructs of the first-order corpus
//! (`tests/corpus_*.rs`): scalar arithmetic and every std float method with
//! a rule, loops, `while`, `loop`/`break value`, early `return`, `if`,
//! `match`, slices, arrays, local vectors, `&mut` parameters, calls (free,
//! in a module, methods), generic functions at `f32` and `f64`, iterator
//! chains and closures, differentiable structs, and realistic objectives
//! (Rosenbrock, logistic regression, an MLP, softmax cross-entropy, a
//! spring-mass chain).
//!
//! The checkers (`tests/common/second.rs`) compare `_hvp` with `_grad` and
//! with central differences of `_grad`, `_hessian` with `_hvp`, exact
//! symmetry and second differences of the primal, `_jacobian` with finite
//! differences and with `_jvp` / `_vjp`. Closed forms of second derivatives
//! and Hessians below are derived by hand.

#![allow(unexpected_cfgs, clippy::all)]

#[macro_use]
mod common;
#[path = "common/second.rs"]
#[macro_use]
mod second;

use common::*;
use leibniz::prelude::*;
use second::*;
use std::f64::consts::{LN_10, LN_2, PI};
use std::fmt::Debug;

/// `got` against `want` entry by entry, to `4096 eps (1 + max|want|)`.
#[track_caller]
fn assert_mat_close<F: Float + Debug>(got: &[Vec<F>], want: &[Vec<F>], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: rows");
    let scale = want.iter().fold(F::zero(), |m, r| r.iter().fold(m, |m, &x| m.max(x.abs())));
    let tol = c::<F>(4096.0) * F::epsilon() * (F::one() + scale);
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.len(), w.len(), "{what}: row {i} length");
        for (j, (&a, &b)) in g.iter().zip(w).enumerate() {
            assert!(
                a.is_finite() && (a - b).abs() <= tol,
                "{what}: H[{i}][{j}] = {a:?}, closed form {b:?} (|diff| {:?} > {tol:?})",
                (a - b).abs()
            );
        }
    }
}

fn pts1(xs: &[f64]) -> Vec<Vec<f64>> {
    xs.iter().map(|&x| vec![x]).collect()
}

/// Runs `Second` for a one-scalar function and checks `_second_derivative`
/// against the closed form `want`.
macro_rules! second_unary {
    ($xs:expr, $f:ident, $grad:ident, $hvp:ident, $hess:ident, $jac:ident, $d2:ident, $want:expr) => {{
        let xs: Vec<f64> = $xs.to_vec();
        second_scalars!(pts1(&xs), $f, $grad, $hvp, $hess, $jac; 0);
        check_second_derivative(stringify!($f), &xs, |x| $f(x), |x| $d2(x), |x| $hvp(x, 1.0).2, $want);
    }};
}

// ===========================================================================
// 1. scalar arithmetic and the std float methods
// ===========================================================================

#[differentiable]
fn arith(x: f64, y: f64) -> f64 {
    let a = x * y + 1.0;
    let mut s = a * x;
    s += y;
    s -= 0.5 * x * x;
    s *= y - 2.0;
    s /= 1.0 + a * a;
    let t: f64 = -s + x / (1.0 + y * y);
    t
}

/// `(x³ - 2x) / (1 + x²) + 1/x = x - 3x/(1+x²) + 1/x`.
#[differentiable]
fn rational(x: f64) -> f64 {
    let mut s = x * x * x;
    s -= 2.0 * x;
    s /= 1.0 + x * x;
    s + 1.0 / x
}

fn rational_d2(x: f64) -> f64 {
    let q = 1.0 + x * x;
    -3.0 * (2.0 * x * x * x - 6.0 * x) / (q * q * q) + 2.0 / (x * x * x)
}

#[test]
fn arithmetic() {
    second_scalars!(points::<f64>(2, 4, -1.5, 1.5, 1), arith, arith_grad, arith_hvp, arith_hessian, arith_jacobian; 0, 1);
    second_unary!([-1.7, -0.4, 0.3, 0.9, 2.2], rational, rational_grad, rational_hvp, rational_hessian, rational_jacobian, rational_second_derivative, rational_d2);
}

#[differentiable]
fn trig(x: f64) -> f64 {
    x.sin() + x.cos() * 2.0 + x.tan()
}

#[differentiable]
fn trig_paths(x: f64) -> f64 {
    f64::sin(x) + f64::cos(x) * 2.0 + f64::tan(x)
}

fn trig_d2(x: f64) -> f64 {
    let t = x.tan();
    -x.sin() - 2.0 * x.cos() + 2.0 * t * (1.0 + t * t)
}

#[differentiable]
fn inv_trig(x: f64) -> f64 {
    x.asin() + 2.0 * x.acos() + x.atan()
}

fn inv_trig_d2(x: f64) -> f64 {
    let q = 1.0 + x * x;
    -x * (1.0 - x * x).powf(-1.5) - 2.0 * x / (q * q)
}

#[differentiable]
fn atan2_yx(y: f64, x: f64) -> f64 {
    y.atan2(x)
}

#[differentiable]
fn atan2_paths(y: f64, x: f64) -> f64 {
    f64::atan2(y, x)
}

/// Hessian of `atan2(y, x)` in the order `(y, x)`.
fn atan2_h(y: f64, x: f64) -> Vec<Vec<f64>> {
    let r4 = (x * x + y * y).powi(2);
    vec![vec![-2.0 * x * y / r4, (y * y - x * x) / r4], vec![(y * y - x * x) / r4, 2.0 * x * y / r4]]
}

#[test]
fn trigonometric() {
    let xs = [-1.2, -0.5, 0.2, 0.8, 1.3];
    second_unary!(xs, trig, trig_grad, trig_hvp, trig_hessian, trig_jacobian, trig_second_derivative, trig_d2);
    second_unary!(xs, trig_paths, trig_paths_grad, trig_paths_hvp, trig_paths_hessian, trig_paths_jacobian, trig_paths_second_derivative, trig_d2);
    second_unary!([-0.85, -0.3, 0.1, 0.6, 0.9], inv_trig, inv_trig_grad, inv_trig_hvp, inv_trig_hessian, inv_trig_jacobian, inv_trig_second_derivative, inv_trig_d2);
    // all four quadrants, away from the cut on the negative x axis
    let pts = fixed::<f64>(&[&[0.8, 1.1], &[0.9, -1.3], &[-0.7, -0.4], &[-1.2, 0.5], &[2.0, -0.1]]);
    second_scalars!(pts, atan2_yx, atan2_yx_grad, atan2_yx_hvp, atan2_yx_hessian, atan2_yx_jacobian; 0, 1);
    second_scalars!(pts, atan2_paths, atan2_paths_grad, atan2_paths_hvp, atan2_paths_hessian, atan2_paths_jacobian; 0, 1);
    for p in &pts {
        assert_mat_close(&atan2_yx_hessian(p[0], p[1]).2, &atan2_h(p[0], p[1]), "atan2 Hessian");
        assert_mat_close(&atan2_paths_hessian(p[0], p[1]).2, &atan2_h(p[0], p[1]), "f64::atan2 Hessian");
    }
}

#[differentiable]
fn hyper(x: f64) -> f64 {
    x.sinh() + 0.5 * x.cosh() + x.tanh()
}

fn hyper_d2(x: f64) -> f64 {
    let t = x.tanh();
    x.sinh() + 0.5 * x.cosh() - 2.0 * t * (1.0 - t * t)
}

#[differentiable]
fn inv_hyper(x: f64) -> f64 {
    x.asinh() + (x + 2.0).acosh() + (0.5 * x).atanh()
}

#[differentiable]
fn inv_hyper_paths(x: f64) -> f64 {
    f64::asinh(x) + f64::acosh(x + 2.0) + f64::atanh(0.5 * x)
}

fn inv_hyper_d2(x: f64) -> f64 {
    let u = x + 2.0;
    let w = 0.5 * x;
    -x * (1.0 + x * x).powf(-1.5) - u * (u * u - 1.0).powf(-1.5) + 0.5 * w / ((1.0 - w * w) * (1.0 - w * w))
}

#[test]
fn hyperbolic() {
    let xs = [-0.9, -0.3, 0.25, 0.7, 1.5];
    second_unary!([-1.5, -0.4, 0.25, 1.1], hyper, hyper_grad, hyper_hvp, hyper_hessian, hyper_jacobian, hyper_second_derivative, hyper_d2);
    second_unary!(xs, inv_hyper, inv_hyper_grad, inv_hyper_hvp, inv_hyper_hessian, inv_hyper_jacobian, inv_hyper_second_derivative, inv_hyper_d2);
    second_unary!(xs, inv_hyper_paths, inv_hyper_paths_grad, inv_hyper_paths_hvp, inv_hyper_paths_hessian, inv_hyper_paths_jacobian, inv_hyper_paths_second_derivative, inv_hyper_d2);
}

#[differentiable]
fn exps(x: f64) -> f64 {
    x.exp() + x.exp2() + x.exp_m1() * 0.5
}

fn exps_d2(x: f64) -> f64 {
    1.5 * x.exp() + LN_2 * LN_2 * x.exp2()
}

#[differentiable]
fn logs(x: f64) -> f64 {
    x.ln() + x.ln_1p() + x.log2() + x.log10()
}

#[differentiable]
fn logs_paths(x: f64) -> f64 {
    f64::ln(x) + f64::ln_1p(x) + f64::log2(x) + f64::log10(x)
}

fn logs_d2(x: f64) -> f64 {
    -1.0 / (x * x) - 1.0 / ((1.0 + x) * (1.0 + x)) - 1.0 / (x * x * LN_2) - 1.0 / (x * x * LN_10)
}

/// `log_b(x)` with the base constant: `-1 / (x² ln b)`.
#[differentiable]
fn log_const_base(x: f64, #[no_grad] b: f64) -> f64 {
    x.log(b)
}

/// `log_b(x)` with both active.
#[differentiable]
fn log_base(x: f64, b: f64) -> f64 {
    x.log(b)
}

fn log_base_h(x: f64, b: f64) -> Vec<Vec<f64>> {
    let (lx, lb) = (x.ln(), b.ln());
    let xx = -1.0 / (x * x * lb);
    let xb = -1.0 / (x * b * lb * lb);
    let bb = lx * (lb + 2.0) / (b * b * lb * lb * lb);
    vec![vec![xx, xb], vec![xb, bb]]
}

#[test]
fn exponentials_and_logarithms() {
    let xs = [-1.3, -0.2, 0.4, 1.1, 2.0];
    second_unary!(xs, exps, exps_grad, exps_hvp, exps_hessian, exps_jacobian, exps_second_derivative, exps_d2);
    let xs = [0.3, 0.8, 1.7, 3.5];
    second_unary!(xs, logs, logs_grad, logs_hvp, logs_hessian, logs_jacobian, logs_second_derivative, logs_d2);
    second_unary!(xs, logs_paths, logs_paths_grad, logs_paths_hvp, logs_paths_hessian, logs_paths_jacobian, logs_paths_second_derivative, logs_d2);
    for b in [1.7, 3.0] {
        check_second_derivative("log_const_base", &xs, |x| log_const_base(x, b), |x| log_const_base_second_derivative(x, b), |x| log_const_base_hvp(x, 1.0, b).2, |x| -1.0 / (x * x * b.ln()));
    }
    let pts = points_in::<f64>(&[(0.3, 3.0), (1.5, 4.0)], 4, 4);
    second_scalars!(pts, log_base, log_base_grad, log_base_hvp, log_base_hessian, log_base_jacobian; 0, 1);
    for p in &pts {
        assert_mat_close(&log_base_hessian(p[0], p[1]).2, &log_base_h(p[0], p[1]), "log(x, b) Hessian");
    }
}

#[differentiable]
fn roots(x: f64) -> f64 {
    x.sqrt() + x.cbrt()
}

fn roots_d2(x: f64) -> f64 {
    -0.25 * x.powf(-1.5) - 2.0 / 9.0 * x.powf(-5.0 / 3.0)
}

#[differentiable]
fn powers(x: f64) -> f64 {
    x.powi(3) + x.powi(-2) + x.powf(2.5) + x.recip()
}

#[differentiable]
fn powers_paths(x: f64) -> f64 {
    f64::powi(x, 3) + f64::powi(x, -2) + f64::powf(x, 2.5) + f64::recip(x)
}

fn powers_d2(x: f64) -> f64 {
    6.0 * x + 6.0 * x.powi(-4) + 3.75 * x.sqrt() + 2.0 / (x * x * x)
}

#[differentiable]
fn powf_both(x: f64, y: f64) -> f64 {
    x.powf(y)
}

fn powf_h(x: f64, y: f64) -> Vec<Vec<f64>> {
    let l = x.ln();
    let xx = y * (y - 1.0) * x.powf(y - 2.0);
    let xy = x.powf(y - 1.0) * (1.0 + y * l);
    let yy = x.powf(y) * l * l;
    vec![vec![xx, xy], vec![xy, yy]]
}

#[differentiable]
fn hyp(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

fn hyp_h(x: f64, y: f64) -> Vec<Vec<f64>> {
    let r3 = (x * x + y * y).powf(1.5);
    vec![vec![y * y / r3, -x * y / r3], vec![-x * y / r3, x * x / r3]]
}

/// `(x y + z) z`.
#[differentiable]
fn fma(x: f64, y: f64, z: f64) -> f64 {
    x.mul_add(y, z) * z
}

#[differentiable]
fn fma_path(x: f64, y: f64, z: f64) -> f64 {
    f64::mul_add(x, y, z) * z
}

fn fma_h(x: f64, y: f64, z: f64) -> Vec<Vec<f64>> {
    vec![vec![0.0, z, y], vec![z, 0.0, x], vec![y, x, 2.0]]
}

#[test]
fn roots_and_powers() {
    let xs = [0.2, 0.7, 1.6, 3.1];
    second_unary!(xs, roots, roots_grad, roots_hvp, roots_hessian, roots_jacobian, roots_second_derivative, roots_d2);
    second_unary!(xs, powers, powers_grad, powers_hvp, powers_hessian, powers_jacobian, powers_second_derivative, powers_d2);
    second_unary!(xs, powers_paths, powers_paths_grad, powers_paths_hvp, powers_paths_hessian, powers_paths_jacobian, powers_paths_second_derivative, powers_d2);
    let pts = points_in::<f64>(&[(0.3, 2.5), (-1.5, 2.5)], 4, 5);
    second_scalars!(pts, powf_both, powf_both_grad, powf_both_hvp, powf_both_hessian, powf_both_jacobian; 0, 1);
    for p in &pts {
        assert_mat_close(&powf_both_hessian(p[0], p[1]).2, &powf_h(p[0], p[1]), "powf Hessian");
    }
    let pts = points::<f64>(2, 4, -2.0, 2.0, 6);
    second_scalars!(pts, hyp, hyp_grad, hyp_hvp, hyp_hessian, hyp_jacobian; 0, 1);
    for p in &pts {
        assert_mat_close(&hyp_hessian(p[0], p[1]).2, &hyp_h(p[0], p[1]), "hypot Hessian");
    }
    let pts = points::<f64>(3, 4, -2.0, 2.0, 7);
    second_scalars!(pts, fma, fma_grad, fma_hvp, fma_hessian, fma_jacobian; 0, 1, 2);
    second_scalars!(pts, fma_path, fma_path_grad, fma_path_hvp, fma_path_hessian, fma_path_jacobian; 0, 1, 2);
    for p in &pts {
        assert_mat_close(&fma_hessian(p[0], p[1], p[2]).2, &fma_h(p[0], p[1], p[2]), "mul_add Hessian");
    }
}

/// Kinks at 0, ±0.5, ±1; checked away from them.
#[differentiable]
fn kinks(x: f64) -> f64 {
    x.abs() * x + x.max(0.5) * x + x.min(-0.5) * x * x + x.clamp(-1.0, 1.0) * x.powi(2) + x.signum() * x * x
}

fn kinks_d2(x: f64) -> f64 {
    let s = if x > 0.0 { 1.0 } else { -1.0 };
    let mx = if x > 0.5 { 2.0 } else { 0.0 };
    let mn = if x < -0.5 { 6.0 * x } else { -1.0 };
    let cl = if x > 1.0 {
        2.0
    } else if x < -1.0 {
        -2.0
    } else {
        6.0 * x
    };
    2.0 * s + mx + mn + cl + 2.0 * s
}

/// `floor` and friends have derivative 0: only the smooth factors count.
#[differentiable]
fn rounding(x: f64) -> f64 {
    x.floor() * x * x + x.ceil() * x + x.round() * x * x * x + x.trunc() * x.sin() + x.fract() * x
}

fn rounding_d2(x: f64) -> f64 {
    2.0 * x.floor() + 6.0 * x.round() * x - x.trunc() * x.sin() + 2.0
}

/// `sin x cos x + sin x = sin(2x)/2 + sin x`.
#[differentiable]
fn sin_cos(x: f64) -> f64 {
    let (s, c) = x.sin_cos();
    s * c + s
}

/// `exp(x/2) + 2 ln x + sqrt x + x³ + atan x` in path form.
#[differentiable]
fn paths(x: f64) -> f64 {
    f64::exp(0.5 * x) + f64::ln(x) * 2.0 + f64::sqrt(x) + f64::powi(x, 3) + f64::atan(x)
}

fn paths_d2(x: f64) -> f64 {
    let q = 1.0 + x * x;
    0.25 * (0.5 * x).exp() - 2.0 / (x * x) - 0.25 * x.powf(-1.5) + 6.0 * x - 2.0 * x / (q * q)
}

const SCALE: f64 = 1.5;

/// Constants, casts of integers, `std::f64::consts`.
#[differentiable]
fn consts(x: f64, n: usize) -> f64 {
    let k = n as f64;
    (PI * x).sin() * k + std::f64::consts::E * x * x * SCALE
}

/// Float `%`: `(x % 2) x + 7.5 % x`.
#[differentiable]
fn float_rem(x: f64) -> f64 {
    (x % 2.0) * x + 7.5 % x
}

#[test]
fn kinks_rounding_and_small_forms() {
    let xs = [-1.7, -0.8, -0.3, 0.2, 0.7, 1.4];
    second_unary!(xs, kinks, kinks_grad, kinks_hvp, kinks_hessian, kinks_jacobian, kinks_second_derivative, kinks_d2);
    let xs = [0.3, 1.2, -0.6, 2.7, -1.3];
    second_unary!(xs, rounding, rounding_grad, rounding_hvp, rounding_hessian, rounding_jacobian, rounding_second_derivative, rounding_d2);
    let xs = [-1.1, 0.3, 0.9, 2.0];
    second_unary!(xs, sin_cos, sin_cos_grad, sin_cos_hvp, sin_cos_hessian, sin_cos_jacobian, sin_cos_second_derivative, |x: f64| -2.0 * (2.0 * x).sin() - x.sin());
    let xs = [0.3, 0.9, 1.8];
    second_unary!(xs, paths, paths_grad, paths_hvp, paths_hessian, paths_jacobian, paths_second_derivative, paths_d2);
    for n in [0usize, 1, 3] {
        let k = n as f64;
        check_second_derivative("consts", &[-0.7, 0.2, 1.1], |x| consts(x, n), |x| consts_second_derivative(x, n), |x| consts_hvp(x, 1.0, n).2, |x| {
            -PI * PI * (PI * x).sin() * k + 2.0 * std::f64::consts::E * SCALE
        });
    }
    // (x % 2) x = x² on (0, 2), (x - 2) x on (2, 4); 7.5 % x is linear in x between kinks
    let xs = [0.4, 1.3, 2.3, 3.7];
    second_unary!(xs, float_rem, float_rem_grad, float_rem_hvp, float_rem_hessian, float_rem_jacobian, float_rem_second_derivative, |_x: f64| 2.0);
}

/// Non-generic `f32`.
#[differentiable]
fn scalar_f32(x: f32, y: f32) -> f32 {
    (x * y).sin() + x.exp() * y * y
}

#[differentiable]
fn cubic_f32(x: f32) -> f32 {
    x.powi(3) + x.cos()
}

#[test]
fn f32_functions() {
    let pts = points::<f32>(2, 4, -1.5, 1.5, 8);
    second_scalars!(pts, scalar_f32, scalar_f32_grad, scalar_f32_hvp, scalar_f32_hessian, scalar_f32_jacobian; 0, 1);
    for p in &pts {
        let (x, y) = (p[0], p[1]);
        let (s, cc) = ((x * y).sin(), (x * y).cos());
        let want = vec![
            vec![-y * y * s + x.exp() * y * y, cc - x * y * s + 2.0 * y * x.exp()],
            vec![cc - x * y * s + 2.0 * y * x.exp(), -x * x * s + 2.0 * x.exp()],
        ];
        assert_mat_close(&scalar_f32_hessian(x, y).2, &want, "scalar_f32 Hessian");
    }
    let xs = [-1.2f32, 0.3, 0.8, 1.9];
    check_second_derivative("cubic_f32", &xs, cubic_f32, cubic_f32_second_derivative, |x| cubic_f32_hvp(x, 1.0).2, |x| 6.0 * x - x.cos());
}

// ===========================================================================
// 2. control flow
// ===========================================================================

/// `x^n` by a loop-carried product.
#[differentiable]
fn loop_pow(x: f64, n: usize) -> f64 {
    let mut p = 1.0;
    for _ in 0..n {
        p *= x;
    }
    p
}

/// `Σ_{i=1..=n} x^i / i` with an inclusive range and `powi`.
#[differentiable]
fn power_series(x: f64, n: usize) -> f64 {
    let mut s = 0.0;
    for i in 1..=n {
        s += x.powi(i as i32) / i as f64;
    }
    s
}

/// Reversed and strided ranges, Horner in reverse.
#[differentiable]
fn rev_step(x: &[f64], t: f64) -> f64 {
    let mut s = 0.0;
    for i in (0..x.len()).rev() {
        s = s * t + x[i];
    }
    for i in (0..x.len()).step_by(2) {
        s += x[i] * x[i] * t;
    }
    for i in (1..x.len()).rev().step_by(2) {
        s -= (x[i] * t).sin();
    }
    s
}

/// Nested loops: `xᵀ A x` with `A` active too.
#[differentiable]
fn quad_form(a: &[f64], x: &[f64]) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            s += x[i] * a[i * n + j] * x[j];
        }
    }
    s
}

/// Nested loops whose inner bound depends on the outer index.
#[differentiable]
fn triangular(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let mut inner = 0.0;
        for j in 0..=i {
            inner += x[j] * (j as f64 + 1.0);
        }
        s += inner.sin() * x[i];
    }
    s
}

/// A loop-carried state: `steps` iterations of the logistic map.
#[differentiable]
fn logistic_map(r: f64, x0: f64, steps: usize) -> f64 {
    let mut x = x0;
    for _ in 0..steps {
        x = r * x * (1.0 - x);
    }
    x
}

/// `while` with an integer counter.
#[differentiable]
fn while_counter(x: f64, n: usize) -> f64 {
    let mut s = 0.0;
    let mut i = 0;
    while i < n {
        s = s * x + (i as f64 + 1.0);
        i += 1;
    }
    s
}

/// Newton's method for `sqrt(a)` with a float loop condition.
#[differentiable]
fn newton_sqrt(a: f64) -> f64 {
    let mut y = a + 1.0;
    let mut prev = y + 1.0;
    let mut it = 0;
    while y < prev && it < 100 {
        prev = y;
        y = 0.5 * (y + a / y);
        it += 1;
    }
    y
}

/// Newton with `loop` and `break value`.
#[differentiable]
fn newton_loop(a: f64) -> f64 {
    let mut y = a + 1.0;
    let mut it = 0;
    loop {
        let next = 0.5 * (y + a / y);
        it += 1;
        if (next - y).abs() < 1e-12 || it > 50 {
            break next;
        }
        y = next;
    }
}

/// `while` nested in `for`.
#[differentiable]
fn while_in_for(x: &[f64], c: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let mut k = 0;
        let mut t = x[i];
        while k < i + 1 {
            t = t * c + 0.1 * t * t;
            k += 1;
        }
        s += t;
    }
    s
}

#[test]
fn loops() {
    for n in [0usize, 1, 2, 3, 5] {
        let nf = n as f64;
        check_second_derivative("loop_pow", &[-1.3, 0.4, 1.2], |x| loop_pow(x, n), |x| loop_pow_second_derivative(x, n), |x| loop_pow_hvp(x, 1.0, n).2, |x| {
            if n < 2 { 0.0 } else { nf * (nf - 1.0) * x.powi(n as i32 - 2) }
        });
        // d²/dx² Σ x^i / i = Σ (i - 1) x^(i-2)
        check_second_derivative("power_series", &[-0.8, 0.5, 1.1], |x| power_series(x, n), |x| power_series_second_derivative(x, n), |x| power_series_hvp(x, 1.0, n).2, |x| {
            (2..=n).map(|i| (i as f64 - 1.0) * x.powi(i as i32 - 2)).sum()
        });
        second_scalars!(points::<f64>(2, 3, 0.2, 0.9, 20 + n as u64), logistic_map_n, logistic_map_grad_n, logistic_map_hvp_n, logistic_map_hessian_n, logistic_map_jacobian_n; 0, 1);
        check_second_derivative("while_counter", &[-0.7, 0.3, 1.2], |x| while_counter(x, n), |x| while_counter_second_derivative(x, n), |x| while_counter_hvp(x, 1.0, n).2, |x| {
            // s = Σ_{i<n} (i + 1) x^(n-1-i)
            (0..n).map(|i| {
                let p = (n - 1 - i) as f64;
                if p < 2.0 { 0.0 } else { (i as f64 + 1.0) * p * (p - 1.0) * x.powi(p as i32 - 2) }
            }).sum()
        });
    }
    for n in [1usize, 4, 7] {
        let pts = points::<f64>(n + 1, 3, -1.2, 1.2, 30 + n as u64);
        second_slice_scalar!(pts, rev_step, rev_step_grad, rev_step_hvp, rev_step_hessian, rev_step_jacobian);
        let pts = points::<f64>(n, 3, -1.2, 1.2, 40 + n as u64);
        second_slice!(pts, triangular, triangular_grad, triangular_hvp, triangular_hessian, triangular_jacobian);
        let pts = points::<f64>(n + 1, 3, -0.5, 0.5, 50 + n as u64);
        second_slice_scalar!(pts, while_in_for, while_in_for_grad, while_in_for_hvp, while_in_for_hessian, while_in_for_jacobian);
    }
    // xᵀ A x: the x-block of the Hessian is A + Aᵀ, the mixed block [x_j δ_ik + x_i δ_jk]
    for n in [1usize, 2, 3] {
        let pts = points::<f64>(n * n + n, 3, -1.5, 1.5, 60 + n as u64);
        second_two_slices!(pts, n * n, quad_form, quad_form_grad, quad_form_hvp, quad_form_hessian, quad_form_jacobian);
        for p in &pts {
            let (a, x) = (&p[..n * n], &p[n * n..]);
            let h = quad_form_hessian(a, x).2;
            let m = n * n;
            let mut want = vec![vec![0.0; m + n]; m + n];
            for i in 0..n {
                for j in 0..n {
                    want[m + i][m + j] = a[i * n + j] + a[j * n + i];
                    // d²/dA_ij dx_k = δ_ik x_j + x_i δ_jk
                    for k in 0..n {
                        let v = (if i == k { x[j] } else { 0.0 }) + (if j == k { x[i] } else { 0.0 });
                        want[i * n + j][m + k] = v;
                        want[m + k][i * n + j] = v;
                    }
                }
            }
            assert_mat_close(&h, &want, "quad_form Hessian");
        }
    }
    // d²/da² sqrt(a) = -a^(-3/2) / 4
    let xs = [0.3, 2.0, 9.5];
    second_unary!(xs, newton_sqrt, newton_sqrt_grad, newton_sqrt_hvp, newton_sqrt_hessian, newton_sqrt_jacobian, newton_sqrt_second_derivative, |a: f64| -0.25 * a.powf(-1.5));
    second_unary!(xs, newton_loop, newton_loop_grad, newton_loop_hvp, newton_loop_hessian, newton_loop_jacobian, newton_loop_second_derivative, |a: f64| -0.25 * a.powf(-1.5));
}

// `logistic_map` with its integer parameter fixed (for the macro above).
fn logistic_map_n(r: f64, x0: f64) -> f64 {
    logistic_map(r, x0, 4)
}
fn logistic_map_grad_n(r: f64, x0: f64) -> (f64, (f64, f64)) {
    logistic_map_grad(r, x0, 4)
}
fn logistic_map_hvp_n(r: f64, dr: f64, x0: f64, dx0: f64) -> (f64, (f64, f64), (f64, f64)) {
    logistic_map_hvp(r, dr, x0, dx0, 4)
}
fn logistic_map_hessian_n(r: f64, x0: f64) -> (f64, Vec<f64>, Vec<Vec<f64>>) {
    logistic_map_hessian(r, x0, 4)
}
fn logistic_map_jacobian_n(r: f64, x0: f64) -> (f64, Vec<Vec<f64>>) {
    logistic_map_jacobian(r, x0, 4)
}

#[differentiable]
fn early_return(x: f64) -> f64 {
    if x < 0.0 {
        return x * x * x;
    }
    x.exp() * x
}

#[differentiable]
fn return_in_loop(x: &[f64], t: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * t;
        if s > 2.0 {
            return s * s;
        }
    }
    s + t * t
}

#[differentiable]
fn if_expr(x: f64, y: f64) -> f64 {
    let a = if x > y { x * y } else { x + y * y };
    let b = if a > 0.5 {
        if x > 0.0 { a.sin() * x } else { a * a }
    } else {
        a.exp()
    };
    b * y
}

#[differentiable]
fn match_int(x: f64, n: usize) -> f64 {
    match n {
        0 => x,
        1 | 2 => x * x,
        3..=5 => x.sin() * n as f64,
        _ => x * x * x,
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Mode {
    Linear,
    Quadratic(f64),
    Shifted { shift: f64, scale: f64 },
}

#[differentiable]
fn match_enum(x: f64, #[no_grad] mode: Mode) -> f64 {
    match mode {
        Mode::Linear => 2.0 * x,
        Mode::Quadratic(c) => c * x * x,
        Mode::Shifted { shift, scale } if scale > 0.0 => scale * (x - shift).exp(),
        Mode::Shifted { shift, .. } => (x - shift).powi(3),
    }
}

#[differentiable]
fn labeled(x: &[f64]) -> f64 {
    let mut s = 0.0;
    'outer: for i in 0..x.len() {
        for j in 0..x.len() {
            if j > i {
                continue 'outer;
            }
            s += x[i] * x[j];
            if s > 4.0 {
                break 'outer;
            }
        }
    }
    s * s
}

#[differentiable]
fn if_let(x: f64, n: u32) -> f64 {
    if let Some(m) = n.checked_sub(2) { x.powi(m as i32 + 2) } else { x.sin() }
}

#[differentiable]
fn while_let(x: f64, n: usize) -> f64 {
    let mut k = n;
    let mut s = x;
    while let Some(j) = k.checked_sub(1) {
        s = s * x + 0.1;
        k = j;
    }
    s
}

#[test]
fn branches_and_early_exits() {
    let xs = [-1.3, -0.4, 0.3, 1.7];
    second_unary!(xs, early_return, early_return_grad, early_return_hvp, early_return_hessian, early_return_jacobian, early_return_second_derivative, |x: f64| {
        if x < 0.0 { 6.0 * x } else { (x + 2.0) * x.exp() }
    });
    let pts = points::<f64>(5, 6, -1.0, 1.5, 70);
    second_slice_scalar!(pts, return_in_loop, return_in_loop_grad, return_in_loop_hvp, return_in_loop_hessian, return_in_loop_jacobian);
    let pts = points::<f64>(2, 6, -1.5, 1.5, 71);
    second_scalars!(pts, if_expr, if_expr_grad, if_expr_hvp, if_expr_hessian, if_expr_jacobian; 0, 1);
    for n in 0..8usize {
        let nf = n as f64;
        check_second_derivative("match_int", &[0.4, -1.1, 1.9], |x| match_int(x, n), |x| match_int_second_derivative(x, n), |x| match_int_hvp(x, 1.0, n).2, |x| match n {
            0 => 0.0,
            1 | 2 => 2.0,
            3..=5 => -x.sin() * nf,
            _ => 6.0 * x,
        });
    }
    for mode in [Mode::Linear, Mode::Quadratic(1.5), Mode::Shifted { shift: 0.3, scale: 2.0 }, Mode::Shifted { shift: 0.3, scale: -1.0 }] {
        check_second_derivative("match_enum", &[0.4, -1.1, 1.9], |x| match_enum(x, mode), |x| match_enum_second_derivative(x, mode), |x| match_enum_hvp(x, 1.0, mode).2, |x| match mode {
            Mode::Linear => 0.0,
            Mode::Quadratic(c) => 2.0 * c,
            Mode::Shifted { shift, scale } if scale > 0.0 => scale * (x - shift).exp(),
            Mode::Shifted { shift, .. } => 6.0 * (x - shift),
        });
    }
    let pts = points::<f64>(4, 5, -1.2, 1.5, 72);
    second_slice!(pts, labeled, labeled_grad, labeled_hvp, labeled_hessian, labeled_jacobian);
    for n in 0..5u32 {
        let m = n as f64;
        check_second_derivative("if_let", &[0.4, -1.1, 1.3], |x| if_let(x, n), |x| if_let_second_derivative(x, n), |x| if_let_hvp(x, 1.0, n).2, |x| {
            if n >= 2 { m * (m - 1.0) * x.powi(n as i32 - 2) } else { -x.sin() }
        });
        let pts = pts1(&[0.4, -1.1, 1.3]);
        let k = n as usize;
        Second::new("while_let", |p| while_let(p[0], k), |p| {
            let (v, g) = while_let_grad(p[0], k);
            (v, vec![g])
        }, |p, d| {
            let (v, g, h) = while_let_hvp(p[0], d[0], k);
            (v, vec![g], vec![h])
        })
        .hessian(|p| while_let_hessian(p[0], k))
        .run(&pts);
    }
}

// ===========================================================================
// 3. slices, arrays, local vectors, `&mut` parameters
// ===========================================================================

#[differentiable]
pub fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = 1.0 - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + 100.0 * b * b;
    }
    s
}

fn rosenbrock_h(x: &[f64]) -> Vec<Vec<f64>> {
    let n = x.len();
    let mut h = vec![vec![0.0; n]; n];
    for i in 0..n - 1 {
        h[i][i] += 2.0 + 1200.0 * x[i] * x[i] - 400.0 * x[i + 1];
        h[i + 1][i + 1] += 200.0;
        h[i][i + 1] = -400.0 * x[i];
        h[i + 1][i] = -400.0 * x[i];
    }
    h
}

#[test]
fn rosenbrock_2_5_100() {
    for n in [2usize, 5, 100] {
        let pts = points::<f64>(n, 3, -1.5, 1.5, 100 + n as u64);
        Second::new("rosenbrock", |p| rosenbrock(p), |p| rosenbrock_grad(p), |p, d| rosenbrock_hvp(p, d))
            .hessian(|p| rosenbrock_hessian(p))
            .jacobian(|p| rosenbrock_jacobian(p))
            .directions(if n > 10 { 2 } else { 3 })
            .run(&pts);
        for p in &pts {
            assert_mat_close(&rosenbrock_hessian(p).2, &rosenbrock_h(p), &format!("rosenbrock({n}) Hessian"));
        }
    }
    // at the minimum: H = [[802, -400], [-400, 200]]
    let h = rosenbrock_hessian(&[1.0, 1.0]).2;
    assert_mat_close(&h, &[vec![802.0, -400.0], vec![-400.0, 200.0]], "rosenbrock Hessian at (1, 1)");
}

/// `log Σ exp(x_i)` with the max subtracted: `H = diag(p) - p pᵀ`.
#[differentiable]
pub fn logsumexp(x: &[f64]) -> f64 {
    let mut m = x[0];
    for i in 1..x.len() {
        m = m.max(x[i]);
    }
    let mut s = 0.0;
    for i in 0..x.len() {
        s += (x[i] - m).exp();
    }
    m + s.ln()
}

fn softmax_h<F: Float>(x: &[F]) -> Vec<Vec<F>> {
    let m = x.iter().fold(x[0], |a, &b| a.max(b));
    let e: Vec<F> = x.iter().map(|&v| (v - m).exp()).collect();
    let s = e.iter().fold(F::zero(), |a, &b| a + b);
    let p: Vec<F> = e.iter().map(|&v| v / s).collect();
    (0..x.len()).map(|i| (0..x.len()).map(|j| if i == j { p[i] - p[i] * p[j] } else { -p[i] * p[j] }).collect()).collect()
}

#[differentiable]
fn arr_by_value(x: [f64; 3]) -> f64 {
    x[0] * x[1] * x[2] + x[0].sin()
}

#[differentiable]
fn arr_ref(x: &[f64; 4], a: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..4 {
        s += (a * x[i]).sin() * x[i];
    }
    s * a
}

#[differentiable]
fn weighted_norm(x: &Vec<f64>) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += (i as f64 + 1.0) * x[i] * x[i];
    }
    s.sqrt()
}

/// Local `vec![..]` and `[0.0; N]` buffers written and read back.
#[differentiable]
fn local_buffers(x: &[f64]) -> f64 {
    let n = x.len();
    let mut v = vec![0.0; n];
    for i in 0..n {
        v[i] = x[i] * x[i] + 1.0;
    }
    let mut acc = [0.0; 3];
    for i in 0..n {
        acc[i % 3] += v[i].ln() * x[(i + 1) % n];
    }
    acc[0] * acc[1] + acc[2]
}

/// Sub-slices, `split_at`, `windows`, `chunks`.
#[differentiable]
fn views(x: &[f64]) -> f64 {
    let a = &x[1..4];
    let (lo, hi) = x.split_at(2);
    let mut s = a[0] * a[2] + lo[1] * hi[0];
    for w in x.windows(2) {
        s += (w[1] - w[0]).powi(2);
    }
    for c in x.chunks(2) {
        s += c[0] * c[c.len() - 1];
    }
    s
}

#[differentiable]
fn mat3_quad(m: [[f64; 3]; 3], v: [f64; 3]) -> f64 {
    let mut s = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            s += v[i] * m[i][j] * v[j];
        }
    }
    s
}

#[differentiable]
fn points_ref(p: &[[f64; 3]], w: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..p.len() {
        s += w[i] * (p[i][0] * p[i][0] + p[i][1] * p[i][2]).sin();
    }
    s
}

#[test]
fn slices_and_arrays() {
    for n in [1usize, 3, 6] {
        let pts = points::<f64>(n, 3, -2.0, 2.0, 200 + n as u64);
        second_slice!(pts, logsumexp, logsumexp_grad, logsumexp_hvp, logsumexp_hessian, logsumexp_jacobian);
        for p in &pts {
            assert_mat_close(&logsumexp_hessian(p).2, &softmax_h(p), "logsumexp Hessian");
        }
    }
    let pts = points::<f64>(3, 4, -1.5, 1.5, 210);
    Second::new("arr_by_value", |p| arr_by_value(arr(p)), |p| {
        let (v, g) = arr_by_value_grad(arr(p));
        (v, g.to_vec())
    }, |p, d| {
        let (v, g, h) = arr_by_value_hvp(arr(p), arr(d));
        (v, g.to_vec(), h.to_vec())
    })
    .hessian(|p| arr_by_value_hessian(arr(p)))
    .jacobian(|p| arr_by_value_jacobian(arr(p)))
    .run(&pts);
    for p in &pts {
        let want = vec![vec![-p[0].sin(), p[2], p[1]], vec![p[2], 0.0, p[0]], vec![p[1], p[0], 0.0]];
        assert_mat_close(&arr_by_value_hessian(arr(p)).2, &want, "[f64; 3] Hessian");
    }
    let pts = points::<f64>(5, 4, -1.5, 1.5, 211);
    Second::new("arr_ref", |p| arr_ref(&arr(&p[..4]), p[4]), |p| {
        let (v, (g, ga)) = arr_ref_grad(&arr(&p[..4]), p[4]);
        (v, cat(&[&g, &[ga]]))
    }, |p, d| {
        let (v, (g, ga), (h, ha)) = arr_ref_hvp(&arr(&p[..4]), &arr::<4, f64>(&d[..4]), p[4], d[4]);
        (v, cat(&[&g, &[ga]]), cat(&[&h, &[ha]]))
    })
    .hessian(|p| arr_ref_hessian(&arr(&p[..4]), p[4]))
    .jacobian(|p| arr_ref_jacobian(&arr(&p[..4]), p[4]))
    .run(&pts);
    let pts = points::<f64>(4, 4, -1.5, 1.5, 212);
    Second::new("weighted_norm", |p| weighted_norm(&p.to_vec()), |p| weighted_norm_grad(&p.to_vec()), |p, d| weighted_norm_hvp(&p.to_vec(), &d.to_vec()))
        .hessian(|p| weighted_norm_hessian(&p.to_vec()))
        .jacobian(|p| weighted_norm_jacobian(&p.to_vec()))
        .run(&pts);
    for n in [2usize, 5] {
        let pts = points::<f64>(n, 3, -1.5, 1.5, 213 + n as u64);
        second_slice!(pts, local_buffers, local_buffers_grad, local_buffers_hvp, local_buffers_hessian, local_buffers_jacobian);
    }
    for n in [4usize, 5, 7] {
        let pts = points::<f64>(n, 3, -1.5, 1.5, 220 + n as u64);
        second_slice!(pts, views, views_grad, views_hvp, views_hessian, views_jacobian);
    }
    // nested arrays by value: flattened row by row
    let m3 = |s: &[f64]| -> [[f64; 3]; 3] { [arr(&s[0..3]), arr(&s[3..6]), arr(&s[6..9])] };
    let fm3 = |m: [[f64; 3]; 3]| -> Vec<f64> { m.concat() };
    let pts = points::<f64>(12, 3, -1.5, 1.5, 230);
    Second::new("mat3_quad", |p| mat3_quad(m3(&p[..9]), arr(&p[9..])), |p| {
        let (v, (gm, gv)) = mat3_quad_grad(m3(&p[..9]), arr(&p[9..]));
        (v, cat(&[&fm3(gm), &gv]))
    }, |p, d| {
        let (v, (gm, gv), (hm, hv)) = mat3_quad_hvp(m3(&p[..9]), m3(&d[..9]), arr(&p[9..]), arr(&d[9..]));
        (v, cat(&[&fm3(gm), &gv]), cat(&[&fm3(hm), &hv]))
    })
    .hessian(|p| mat3_quad_hessian(m3(&p[..9]), arr(&p[9..])))
    .jacobian(|p| mat3_quad_jacobian(m3(&p[..9]), arr(&p[9..])))
    .run(&pts);
    // &[[f64; 3]] and &[f64]
    let rows = |s: &[f64]| -> Vec<[f64; 3]> { s.chunks(3).map(arr).collect() };
    let frows = |r: &[[f64; 3]]| -> Vec<f64> { r.concat() };
    let pts = points::<f64>(8, 3, -1.2, 1.2, 231);
    Second::new("points_ref", |p| points_ref(&rows(&p[..6]), &p[6..]), |p| {
        let (v, (gp, gw)) = points_ref_grad(&rows(&p[..6]), &p[6..]);
        (v, cat(&[&frows(&gp), &gw]))
    }, |p, d| {
        let (v, (gp, gw), (hp, hw)) = points_ref_hvp(&rows(&p[..6]), &rows(&d[..6]), &p[6..], &d[6..]);
        (v, cat(&[&frows(&gp), &gw]), cat(&[&frows(&hp), &hw]))
    })
    .hessian(|p| points_ref_hessian(&rows(&p[..6]), &p[6..]))
    .jacobian(|p| points_ref_jacobian(&rows(&p[..6]), &p[6..]))
    .run(&pts);
}

/// `&mut` with a scalar result: `_hvp` (no `_hessian`), `_jacobian` with
/// the result and the final `x` as outputs.
#[differentiable]
fn write_then_read(x: &mut [f64], a: f64) -> f64 {
    for i in 0..x.len() {
        x[i] = x[i] * a + x[i].sin();
    }
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i] * a;
    }
    s
}

/// A `&mut f64` accumulator and a scalar result.
#[differentiable]
fn accumulate(x: &[f64], acc: &mut f64) -> f64 {
    for i in 0..x.len() {
        *acc += x[i] * x[i];
    }
    *acc * x[0]
}

#[test]
fn mut_params_hvp() {
    for n in [1usize, 3, 5] {
        let pts = points::<f64>(n + 1, 3, -1.2, 1.2, 300 + n as u64);
        Second::new("write_then_read", |p| write_then_read(&mut p[..n].to_vec(), p[n]), |p| {
            let (v, (g, ga)) = write_then_read_grad(&mut p[..n].to_vec(), p[n]);
            (v, cat(&[&g, &[ga]]))
        }, |p, d| {
            let mut x = p[..n].to_vec();
            let mut dx = d[..n].to_vec();
            let (v, (g, ga), (h, ha)) = write_then_read_hvp(&mut x, &mut dx, p[n], d[n]);
            let mut xf = p[..n].to_vec();
            write_then_read(&mut xf, p[n]);
            assert_close_slice(&x, &xf, "write_then_read_hvp leaves x at its final value");
            (v, cat(&[&g, &[ga]]), cat(&[&h, &[ha]]))
        })
        .jacobian(|p| {
            let (v, j) = write_then_read_jacobian(&mut p[..n].to_vec(), p[n]);
            (v, vec![j[0].clone()])
        })
        .run(&pts);
        let pts = points::<f64>(n + 1, 3, -1.2, 1.2, 310 + n as u64);
        Second::new("accumulate", |p| accumulate(&p[..n], &mut p[n].clone()), |p| {
            let (v, (g, ga)) = accumulate_grad(&p[..n], &mut p[n].clone());
            (v, cat(&[&g, &[ga]]))
        }, |p, d| {
            let (mut acc, mut dacc) = (p[n], d[n]);
            let (v, (g, ga), (h, ha)) = accumulate_hvp(&p[..n], &d[..n], &mut acc, &mut dacc);
            (v, cat(&[&g, &[ga]]), cat(&[&h, &[ha]]))
        })
        .run(&pts);
    }
}

// ===========================================================================
// 4. calls: free, in a module, methods
// ===========================================================================

#[differentiable]
fn sq(x: f64) -> f64 {
    x * x
}

#[differentiable]
fn cube_plus(x: f64, y: f64) -> f64 {
    x * x * x + sq(y) * x
}

/// `sq(sin x) + cube_plus(x, 2x) = sin² x + x³ + 4 x³`.
#[differentiable]
fn calls_free(x: f64) -> f64 {
    sq(x.sin()) + cube_plus(x, 2.0 * x)
}

mod physics {
    use leibniz::prelude::*;

    #[differentiable]
    pub fn spring(x: f64, k: f64) -> f64 {
        0.5 * k * x * x
    }

    #[differentiable]
    pub fn kinetic(v: f64, m: f64) -> f64 {
        0.5 * m * v * v
    }

    pub mod nested {
        use leibniz::prelude::*;

        #[differentiable]
        pub fn damping(v: f64, c: f64) -> f64 {
            (c * v).tanh() * v
        }
    }
}

#[differentiable]
fn energy_total(x: f64, v: f64, k: f64) -> f64 {
    physics::spring(x, k) + physics::kinetic(v, 2.0) + physics::nested::damping(v, k) * x
}

/// Calls in a loop, with a slice argument forwarded.
#[differentiable]
fn spring_chain(x: &[f64], k: f64) -> f64 {
    let mut e = 0.0;
    for i in 0..x.len() - 1 {
        e += physics::spring(x[i + 1] - x[i], k);
    }
    e + sum_sq(x) * k
}

#[differentiable]
fn sum_sq(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i];
    }
    s
}

#[differentiable]
fn squares_into(x: &[f64], out: &mut [f64]) {
    for i in 0..x.len() {
        out[i] = x[i] * x[i];
    }
}

/// A callee with a `&mut` output, and one with a tuple result.
#[differentiable]
fn via_out_param(x: &[f64]) -> f64 {
    let mut buf = vec![0.0; x.len()];
    squares_into(x, &mut buf);
    let (a, b) = polar(buf[0] + 1.0, x[x.len() - 1]);
    let mut s = a * b;
    for i in 0..buf.len() {
        s += buf[i].sqrt() * x[i];
    }
    s
}

#[differentiable]
pub fn polar(r: f64, th: f64) -> (f64, f64) {
    (r * th.cos(), r * th.sin())
}

pub struct Model {
    pub k: f64,
    pub rest: f64,
    pub weights: Vec<f64>,
}

impl Model {
    #[differentiable]
    pub fn energy(#[no_grad] &self, x: &[f64]) -> f64 {
        let mut e = 0.0;
        for i in 0..x.len() {
            let d = x[i] - self.rest;
            e += 0.5 * self.k * d * d * self.weights[i] * (1.0 + d * d);
        }
        e
    }

    #[differentiable]
    fn total(#[no_grad] &self, x: &[f64], s: f64) -> f64 {
        self.energy(x) * s + s * s + physics::spring(s, self.k)
    }
}

pub struct Spring1 {
    pub k: f64,
}

impl Spring1 {
    #[differentiable(associated)]
    pub fn potential(x: f64, k: f64) -> f64 {
        0.5 * k * x * x * x.cos()
    }

    #[differentiable]
    pub fn energy(#[no_grad] &self, x: f64, v: f64) -> f64 {
        Self::potential(x, self.k) + 0.5 * v * v * x
    }
}

#[test]
fn calls() {
    second_scalars!(points::<f64>(2, 4, -1.5, 1.5, 400), cube_plus, cube_plus_grad, cube_plus_hvp, cube_plus_hessian, cube_plus_jacobian; 0, 1);
    second_unary!([-1.1, 0.2, 0.9, 1.6], calls_free, calls_free_grad, calls_free_hvp, calls_free_hessian, calls_free_jacobian, calls_free_second_derivative, |x: f64| {
        2.0 * (2.0 * x).cos() + 30.0 * x
    });
    let pts = points::<f64>(3, 4, -1.5, 1.5, 401);
    second_scalars!(pts, energy_total, energy_total_grad, energy_total_hvp, energy_total_hessian, energy_total_jacobian; 0, 1, 2);
    for n in [2usize, 5] {
        let pts = points::<f64>(n + 1, 3, -1.5, 1.5, 402 + n as u64);
        second_slice_scalar!(pts, spring_chain, spring_chain_grad, spring_chain_hvp, spring_chain_hessian, spring_chain_jacobian);
        let pts = points::<f64>(n, 3, 0.3, 1.5, 404 + n as u64);
        second_slice!(pts, via_out_param, via_out_param_grad, via_out_param_hvp, via_out_param_hessian, via_out_param_jacobian);
    }
    // a method with a constant `&self` of a type that is not differentiable
    let model = Model { k: 1.7, rest: 0.3, weights: vec![1.0, 0.5, 2.0, 1.5] };
    let pts = points::<f64>(4, 3, -1.5, 1.5, 410);
    Second::new("Model::energy", |p| model.energy(p), |p| model.energy_grad(p), |p, d| model.energy_hvp(p, d))
        .hessian(|p| model.energy_hessian(p))
        .jacobian(|p| model.energy_jacobian(p))
        .run(&pts);
    // energy is separable: diagonal Hessian 0.5 k w_i (2 + 12 d²)
    for p in &pts {
        let h = model.energy_hessian(p).2;
        let want: Vec<Vec<f64>> = (0..4).map(|i| (0..4).map(|j| {
            let d = p[i] - model.rest;
            if i == j { 0.5 * model.k * model.weights[i] * (2.0 + 12.0 * d * d) } else { 0.0 }
        }).collect()).collect();
        assert_mat_close(&h, &want, "Model::energy Hessian");
    }
    let pts = points::<f64>(5, 3, -1.5, 1.5, 411);
    Second::new("Model::total", |p| model.total(&p[..4], p[4]), |p| {
        let (v, (g, gs)) = model.total_grad(&p[..4], p[4]);
        (v, cat(&[&g, &[gs]]))
    }, |p, d| {
        let (v, (g, gs), (h, hs)) = model.total_hvp(&p[..4], &d[..4], p[4], d[4]);
        (v, cat(&[&g, &[gs]]), cat(&[&h, &[hs]]))
    })
    .hessian(|p| model.total_hessian(&p[..4], p[4]))
    .jacobian(|p| model.total_jacobian(&p[..4], p[4]))
    .run(&pts);
    // an associated function called through `Self::`
    let s = Spring1 { k: 2.5 };
    let pts = points::<f64>(2, 4, -1.5, 1.5, 412);
    Second::new("Spring1::energy", |p| s.energy(p[0], p[1]), |p| {
        let (v, g) = s.energy_grad(p[0], p[1]);
        (v, g.flat())
    }, |p, d| {
        let (v, g, h) = s.energy_hvp(p[0], d[0], p[1], d[1]);
        (v, g.flat(), h.flat())
    })
    .hessian(|p| s.energy_hessian(p[0], p[1]))
    .jacobian(|p| s.energy_jacobian(p[0], p[1]))
    .run(&pts);
    second_scalars!(pts, Spring1::potential, Spring1::potential_grad, Spring1::potential_hvp, Spring1::potential_hessian, Spring1::potential_jacobian; 0, 1);
}

// ===========================================================================
// 5. differentiable structs: by value, by reference, methods on `&self`
// ===========================================================================

#[derive(Clone, Copy, Debug, PartialEq, Differentiable)]
pub struct Vec3 {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Particle {
    pub pos: Vec3,
    pub vel: Vec3,
    pub mass: f64,
    pub id: usize,
    #[no_grad]
    pub charge: f64,
}

#[derive(Clone, Debug, Differentiable)]
pub struct Spring {
    pub a: usize,
    pub b: usize,
    pub rest: f64,
    pub k: f64,
}

impl Flat<f64> for Vec3 {
    fn flat(self) -> Vec<f64> {
        vec![self.x, self.y, self.z]
    }
}

impl Flat<f64> for Particle {
    fn flat(self) -> Vec<f64> {
        cat(&[&self.pos.flat(), &self.vel.flat(), &[self.mass]])
    }
}

fn v3(s: &[f64]) -> Vec3 {
    Vec3 { x: s[0], y: s[1], z: s[2] }
}

fn part(s: &[f64], id: usize) -> Particle {
    Particle { pos: v3(&s[0..3]), vel: v3(&s[3..6]), mass: s[6], id, charge: 0.75 }
}

/// A tangent particle: `#[no_grad]` field 0.
fn tpart(s: &[f64], id: usize) -> Particle {
    Particle { charge: 0.0, ..part(s, id) }
}

#[differentiable]
fn dot3(a: Vec3, b: Vec3) -> f64 {
    a.x * b.x + a.y * b.y + a.z * b.z
}

#[differentiable]
fn norm_ref(a: &Vec3) -> f64 {
    (a.x * a.x + a.y * a.y + a.z * a.z).sqrt()
}

#[differentiable]
fn particle_value(p: Particle, t: f64) -> f64 {
    let x = p.pos.x + t * p.vel.x;
    let y = p.pos.y + t * p.vel.y;
    let w = if p.id == 0 { 0.5 } else { 1.5 };
    p.mass * (x * x + y * y) + p.charge * t * t + w * p.mass * p.vel.z * p.vel.z
}

#[differentiable]
impl Vec3 {
    fn dot(&self, o: &Vec3) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }

    fn norm2(&self) -> f64 {
        self.dot(self)
    }
}

#[differentiable]
impl Particle {
    fn energy(&self, g: f64) -> f64 {
        0.5 * self.mass * self.vel.norm2() + self.mass * g * self.pos.z
    }
}

#[differentiable]
fn spring_energy(pos: &[Vec3], springs: &[Spring]) -> f64 {
    let mut e = 0.0;
    for s in springs {
        let dx = pos[s.a].x - pos[s.b].x;
        let dy = pos[s.a].y - pos[s.b].y;
        let dz = pos[s.a].z - pos[s.b].z;
        let l = (dx * dx + dy * dy + dz * dz).sqrt();
        e += 0.5 * s.k * (l - s.rest) * (l - s.rest);
    }
    e
}

#[test]
fn structs() {
    let pts = points::<f64>(6, 4, -1.5, 1.5, 500);
    Second::new("dot3", |p| dot3(v3(&p[..3]), v3(&p[3..])), |p| {
        let (v, g) = dot3_grad(v3(&p[..3]), v3(&p[3..]));
        (v, g.flat())
    }, |p, d| {
        let (v, g, h) = dot3_hvp(v3(&p[..3]), v3(&d[..3]), v3(&p[3..]), v3(&d[3..]));
        (v, g.flat(), h.flat())
    })
    .hessian(|p| dot3_hessian(v3(&p[..3]), v3(&p[3..])))
    .jacobian(|p| dot3_jacobian(v3(&p[..3]), v3(&p[3..])))
    .run(&pts);
    let want: Vec<Vec<f64>> = (0..6).map(|i| (0..6).map(|j| if (i + 3) % 6 == j { 1.0 } else { 0.0 }).collect()).collect();
    assert_mat_close(&dot3_hessian(v3(&pts[0][..3]), v3(&pts[0][3..])).2, &want, "dot3 Hessian");
    Second::new("Vec3::dot", |p| v3(&p[..3]).dot(&v3(&p[3..])), |p| {
        let (v, g) = v3(&p[..3]).dot_grad(&v3(&p[3..]));
        (v, g.flat())
    }, |p, d| {
        let (v, g, h) = v3(&p[..3]).dot_hvp(&v3(&d[..3]), &v3(&p[3..]), &v3(&d[3..]));
        (v, g.flat(), h.flat())
    })
    .hessian(|p| v3(&p[..3]).dot_hessian(&v3(&p[3..])))
    .jacobian(|p| v3(&p[..3]).dot_jacobian(&v3(&p[3..])))
    .run(&pts);
    // |a|: H = (I - u uᵀ) / r
    let pts3 = points::<f64>(3, 4, 0.3, 1.5, 501);
    Second::new("norm_ref", |p| norm_ref(&v3(p)), |p| {
        let (v, g) = norm_ref_grad(&v3(p));
        (v, g.flat())
    }, |p, d| {
        let (v, g, h) = norm_ref_hvp(&v3(p), &v3(d));
        (v, g.flat(), h.flat())
    })
    .hessian(|p| norm_ref_hessian(&v3(p)))
    .jacobian(|p| norm_ref_jacobian(&v3(p)))
    .run(&pts3);
    for p in &pts3 {
        let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
        let want: Vec<Vec<f64>> = (0..3).map(|i| (0..3).map(|j| ((if i == j { 1.0 } else { 0.0 }) - p[i] * p[j] / (r * r)) / r).collect()).collect();
        assert_mat_close(&norm_ref_hessian(&v3(p)).2, &want, "norm_ref Hessian");
    }
    Second::new("Vec3::norm2", |p| v3(p).norm2(), |p| {
        let (v, g) = v3(p).norm2_grad();
        (v, g.flat())
    }, |p, d| {
        let (v, g, h) = v3(p).norm2_hvp(&v3(d));
        (v, g.flat(), h.flat())
    })
    .hessian(|p| v3(p).norm2_hessian())
    .jacobian(|p| v3(p).norm2_jacobian())
    .run(&pts3);
    // by-value struct with integer and #[no_grad] fields: 7 active floats + t
    let mut ranges = vec![(-1.0, 1.0); 6];
    ranges.push((0.3, 2.0));
    ranges.push((-1.0, 1.0));
    let pts = points_in::<f64>(&ranges, 4, 502);
    for id in [0usize, 3] {
        Second::new("particle_value", |p| particle_value(part(&p[..7], id), p[7]), |p| {
            let (v, (gp, gt)) = particle_value_grad(part(&p[..7], id), p[7]);
            (v, cat(&[&gp.flat(), &[gt]]))
        }, |p, d| {
            let (v, (gp, gt), (hp, ht)) = particle_value_hvp(part(&p[..7], id), tpart(&d[..7], id), p[7], d[7]);
            (v, cat(&[&gp.flat(), &[gt]]), cat(&[&hp.flat(), &[ht]]))
        })
        .jacobian(|p| particle_value_jacobian(part(&p[..7], id), p[7]))
        .run(&pts);
        // method on an active `&self`
        Second::new("Particle::energy", |p| part(&p[..7], id).energy(p[7]), |p| {
            let (v, (gp, gg)) = part(&p[..7], id).energy_grad(p[7]);
            (v, cat(&[&gp.flat(), &[gg]]))
        }, |p, d| {
            let (v, (gp, gg), (hp, hg)) = part(&p[..7], id).energy_hvp(&tpart(&d[..7], id), p[7], d[7]);
            (v, cat(&[&gp.flat(), &[gg]]), cat(&[&hp.flat(), &[hg]]))
        })
        .hessian(|p| part(&p[..7], id).energy_hessian(p[7]))
        .jacobian(|p| part(&p[..7], id).energy_jacobian(p[7]))
        .run(&pts);
    }
    // slices of structs with integer fields: 3 positions + 2 springs (rest, k)
    let springs = |s: &[f64]| vec![Spring { a: 0, b: 1, rest: s[0], k: s[1] }, Spring { a: 2, b: 0, rest: s[2], k: s[3] }];
    let fsprings = |s: &[Spring]| -> Vec<f64> { s.iter().flat_map(|s| [s.rest, s.k]).collect() };
    let pos = |s: &[f64]| -> Vec<Vec3> { s.chunks(3).map(v3).collect() };
    let fpos = |s: &[Vec3]| -> Vec<f64> { s.iter().flat_map(|&v| v.flat()).collect() };
    let mut ranges = vec![(-1.0, 1.0); 9];
    ranges.extend([(0.2, 1.0), (0.5, 2.0), (0.2, 1.0), (0.5, 2.0)]);
    let pts = points_in::<f64>(&ranges, 3, 503);
    Second::new("spring_energy", |p| spring_energy(&pos(&p[..9]), &springs(&p[9..])), |p| {
        let (v, (gp, gs)) = spring_energy_grad(&pos(&p[..9]), &springs(&p[9..]));
        (v, cat(&[&fpos(&gp), &fsprings(&gs)]))
    }, |p, d| {
        let (v, (gp, gs), (hp, hs)) = spring_energy_hvp(&pos(&p[..9]), &pos(&d[..9]), &springs(&p[9..]), &springs(&d[9..]));
        (v, cat(&[&fpos(&gp), &fsprings(&gs)]), cat(&[&fpos(&hp), &fsprings(&hs)]))
    })
    .hessian(|p| spring_energy_hessian(&pos(&p[..9]), &springs(&p[9..])))
    .jacobian(|p| spring_energy_jacobian(&pos(&p[..9]), &springs(&p[9..])))
    .fd_hessian_up_to(13)
    .run(&pts);
}

/// Regression test: `_hessian` and forward-mode `_jacobian` build their own
/// directions; those must not carry the primal value of `#[no_grad]` float
/// fields (/tmp/second_order_bugs.md #1: wrong at 38634f7, right since
/// c2fa1e8).
#[test]
fn structs_no_grad_field_hessian() {
    let mut ranges = vec![(-1.0, 1.0); 6];
    ranges.push((0.3, 2.0));
    ranges.push((-1.0, 1.0));
    let pts = points_in::<f64>(&ranges, 4, 502);
    for id in [0usize, 3] {
        Second::new("particle_value", |p| particle_value(part(&p[..7], id), p[7]), |p| {
            let (v, (gp, gt)) = particle_value_grad(part(&p[..7], id), p[7]);
            (v, cat(&[&gp.flat(), &[gt]]))
        }, |p, d| {
            let (v, (gp, gt), (hp, ht)) = particle_value_hvp(part(&p[..7], id), tpart(&d[..7], id), p[7], d[7]);
            (v, cat(&[&gp.flat(), &[gt]]), cat(&[&hp.flat(), &[ht]]))
        })
        .hessian(|p| particle_value_hessian(part(&p[..7], id), p[7]))
        .run(&pts);
        // by hand: only the t-row/column and the diagonal blocks are non-zero;
        // d²/dt² = 2 m (vx² + vy²) + 2 charge (charge constant)
        for p in &pts {
            let h = particle_value_hessian(part(&p[..7], id), p[7]).2;
            let (vx, vy, m) = (p[3], p[4], p[6]);
            assert_close(h[7][7], 2.0 * m * (vx * vx + vy * vy) + 2.0 * 0.75, "particle_value d²/dt²");
        }
    }
}

/// Regression test: forward-mode `_jacobian` (more outputs than inputs) of
/// a struct with a `#[no_grad]` field (/tmp/second_order_bugs.md #1).
#[test]
fn structs_no_grad_field_jacobian() {
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.3, 2.0)], 3, 504);
    check_jacobian_fn("charge_field", &pts, 8, |p| charge_field(part(p, 1)).to_vec(), |p| {
        let (y, j) = charge_field_jacobian(part(p, 1));
        (y.to_vec(), j)
    }, |p, v| {
        let (y, dy) = charge_field_jvp(part(p, 1), tpart(v, 1));
        (y.to_vec(), dy.to_vec())
    }, |p, w| {
        let (y, g) = charge_field_vjp(part(p, 1), arr(w));
        (y.to_vec(), g.flat())
    });
}

/// Eight outputs from the seven floats of a particle (more outputs than
/// inputs: `_jacobian` runs forward mode).
#[differentiable]
fn charge_field(p: Particle) -> [f64; 8] {
    let mut out = [0.0; 8];
    out[0] = p.pos.x * p.charge;
    out[1] = p.pos.y * p.mass;
    out[2] = p.pos.z * p.vel.x;
    out[3] = p.vel.y * p.charge + p.vel.z;
    out[4] = p.mass * p.mass;
    out[5] = p.pos.x + p.vel.x;
    out[6] = p.pos.y * p.pos.z;
    out[7] = p.vel.z * p.charge * p.mass;
    out
}

/// The same without `#[no_grad]` fields: the forward-mode `_jacobian` of a
/// struct parameter is right.
#[differentiable]
fn vec3_field(v: Vec3, w: Vec3) -> [f64; 8] {
    let mut out = [0.0; 8];
    out[0] = v.x * w.x;
    out[1] = v.y * w.z + v.z;
    out[2] = (v.x * v.y).sin();
    out[3] = w.y * w.y;
    out[4] = v.z * w.x * w.y;
    out[5] = v.x + w.z;
    out[6] = w.x.exp();
    out[7] = v.y * v.z;
    out
}

#[test]
fn struct_jacobians() {
    // 6 inputs, 8 outputs: forward mode
    let pts = points::<f64>(6, 3, -1.2, 1.2, 505);
    check_jacobian_fn("vec3_field", &pts, 8, |p| vec3_field(v3(&p[..3]), v3(&p[3..])).to_vec(), |p| {
        let (y, j) = vec3_field_jacobian(v3(&p[..3]), v3(&p[3..]));
        (y.to_vec(), j)
    }, |p, v| {
        let (y, dy) = vec3_field_jvp(v3(&p[..3]), v3(&v[..3]), v3(&p[3..]), v3(&v[3..]));
        (y.to_vec(), dy.to_vec())
    }, |p, w| {
        let (y, g) = vec3_field_vjp(v3(&p[..3]), v3(&p[3..]), arr(w));
        (y.to_vec(), g.flat())
    });
}

// ===========================================================================
// 6. generic functions at f32 and f64
// ===========================================================================

#[differentiable]
pub fn gen_poly<T: Float>(x: T, y: T) -> T {
    let two = T::from(2.0).unwrap();
    let mut s = T::zero();
    s = s + x * x * y;
    s = s - two * x;
    s = s + T::one() / (T::one() + y * y);
    s * x.sin() + y.exp()
}

/// `sin x exp x + ln x + sqrt x`: `2 cos x exp x - 1/x² - x^(-3/2)/4`.
#[differentiable]
pub fn gen_trans<T: Float>(x: T) -> T {
    x.sin() * x.exp() + x.ln() + x.sqrt()
}

/// Many `Float` methods.
#[differentiable]
fn gen_methods<T: Float>(x: T) -> T {
    let half = T::from(0.5).unwrap();
    let (s, c) = x.sin_cos();
    s * c
        + x.sinh() * half
        + x.tanh()
        + x.asinh()
        + (x * half).atanh()
        + x.ln_1p()
        + x.exp_m1()
        + x.cbrt()
        + x.powf(T::from(1.5).unwrap())
        + x.mul_add(x, T::one()).recip()
        + x.abs() * x.atan()
        + x.exp2() * x.log2()
        + x.log10() * x.cosh()
        + x.log(T::from(3.0).unwrap())
        + x.asin() * x.acos()
        + x.tan()
        + (x + T::one()).acosh()
        + T::hypot(x, T::one())
        + T::powi(x, 3)
}

#[differentiable]
pub fn gen_logsumexp<T: Float>(x: &[T]) -> T {
    let mut m = x[0];
    for i in 1..x.len() {
        m = m.max(x[i]);
    }
    let mut s = T::zero();
    for i in 0..x.len() {
        s = s + (x[i] - m).exp();
    }
    m + s.ln()
}

#[differentiable]
pub fn gen_arr<T: Float, const N: usize>(x: [T; N]) -> T {
    let mut s = T::zero();
    for i in 0..N {
        s = s + x[i] * x[(i + 1) % N] * x[i];
    }
    s
}

#[differentiable]
pub fn gen_norm<T: Float>(x: &[T]) -> T {
    let mut s = T::zero();
    for i in 0..x.len() {
        s = s + x[i] * x[i];
    }
    s.sqrt()
}

#[differentiable]
pub fn gen_caller<T: Float>(x: &[T], a: T) -> T {
    let mut s = gen_norm(x) * a;
    for i in 0..x.len() {
        s = s + gen_poly(x[i], a) * T::from(i + 1).unwrap();
    }
    s
}

#[differentiable]
pub fn gen_newton_sqrt<T: Float>(a: T) -> T {
    let half = T::from(0.5).unwrap();
    let mut y = a + T::one();
    let mut prev = y + T::one();
    let mut it = 0;
    while y < prev && it < 100 {
        prev = y;
        y = half * (y + a / y);
        it += 1;
    }
    y
}

fn generic_case<F: Float + Debug + Flat<F>>() {
    second_scalars!(points::<F>(2, 4, -1.5, 1.5, 600), gen_poly, gen_poly_grad, gen_poly_hvp, gen_poly_hessian, gen_poly_jacobian; 0, 1);
    let xs: Vec<F> = [0.3, 0.8, 1.7].iter().map(|&v| c::<F>(v)).collect();
    check_second_derivative("gen_trans", &xs, gen_trans, gen_trans_second_derivative, |x| gen_trans_hvp(x, F::one()).2, |x| {
        c::<F>(2.0) * x.cos() * x.exp() - F::one() / (x * x) - c::<F>(0.25) * x.powf(c::<F>(-1.5))
    });
    // (not 0.9: in f32 the second differences of check::fd_hessian step past
    // asin's domain there and come out wrong, see /tmp/second_order_bugs.md)
    let pts: Vec<Vec<F>> = [0.15, 0.4, 0.65].iter().map(|&v| vec![c::<F>(v)]).collect();
    second_scalars!(pts, gen_methods, gen_methods_grad, gen_methods_hvp, gen_methods_hessian, gen_methods_jacobian; 0);
    for n in [1usize, 4] {
        let pts = points::<F>(n, 3, -2.0, 2.0, 601 + n as u64);
        second_slice!(pts, gen_logsumexp, gen_logsumexp_grad, gen_logsumexp_hvp, gen_logsumexp_hessian, gen_logsumexp_jacobian);
        for p in &pts {
            assert_mat_close(&gen_logsumexp_hessian(p).2, &softmax_h(p), "gen_logsumexp Hessian");
        }
    }
    let pts = points::<F>(4, 3, -1.5, 1.5, 610);
    Second::new("gen_arr", |p| gen_arr::<F, 4>(arr(p)), |p| {
        let (v, g) = gen_arr_grad::<F, 4>(arr(p));
        (v, g.to_vec())
    }, |p, d| {
        let (v, g, h) = gen_arr_hvp::<F, 4>(arr(p), arr(d));
        (v, g.to_vec(), h.to_vec())
    })
    .hessian(|p| gen_arr_hessian::<F, 4>(arr(p)))
    .jacobian(|p| gen_arr_jacobian::<F, 4>(arr(p)))
    .run(&pts);
    let pts = points::<F>(4, 3, 0.2, 1.2, 611);
    second_slice_scalar!(pts, gen_caller, gen_caller_grad, gen_caller_hvp, gen_caller_hessian, gen_caller_jacobian);
    let xs: Vec<F> = [0.3, 2.0, 9.5].iter().map(|&v| c::<F>(v)).collect();
    check_second_derivative("gen_newton_sqrt", &xs, gen_newton_sqrt, gen_newton_sqrt_second_derivative, |x| gen_newton_sqrt_hvp(x, F::one()).2, |a| {
        -c::<F>(0.25) * a.powf(c::<F>(-1.5))
    });
}

#[test]
fn generic_f64() {
    generic_case::<f64>();
}

#[test]
fn generic_f32() {
    generic_case::<f32>();
}

// ===========================================================================
// 7. iterator chains and closures
// ===========================================================================

#[differentiable]
fn map_sum(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v * v).sum()
}

#[differentiable]
fn map_sum_typed(x: &[f64]) -> f64 {
    let s: f64 = x.iter().map(|&v| (v * 0.5).exp()).sum::<f64>();
    s.ln()
}

#[differentiable]
fn prod(x: &[f64]) -> f64 {
    x.iter().product()
}

#[differentiable]
fn fold_horner(x: &[f64], t: f64) -> f64 {
    x.iter().fold(0.0, |acc, &c| acc * t + c * c)
}

#[differentiable]
fn zip_map_sum(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y.iter()).map(|(a, b)| a * b.cos()).sum()
}

#[differentiable]
fn zip_for(x: &[f64], y: &[f64]) -> f64 {
    let mut s = 0.0;
    for (&a, &b) in x.iter().zip(y.iter()) {
        s += (a - b) * (a - b) * a;
    }
    s
}

#[differentiable]
fn enumerate_map_sum(x: &[f64]) -> f64 {
    x.iter().enumerate().map(|(i, &v)| v.powi(i as i32 + 1)).sum()
}

#[differentiable]
fn for_enumerate(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, v) in x.iter().enumerate() {
        s += (i as f64 + 1.0) * v * v * v;
    }
    s
}

#[differentiable]
fn range_map_sum(x: &[f64]) -> f64 {
    (0..x.len() - 1).map(|i| (x[i + 1] - x[i]).powi(4)).sum()
}

#[differentiable]
fn windows_map(x: &[f64]) -> f64 {
    x.windows(2).map(|w| (w[1] * w[0]).sin()).sum()
}

#[differentiable]
fn chunks_map(x: &[f64]) -> f64 {
    x.chunks(2).map(|c| c.iter().product::<f64>()).sum()
}

#[differentiable]
fn into_iter_array(a: [f64; 4]) -> f64 {
    a.into_iter().map(|v| v * v).sum::<f64>().sqrt()
}

#[differentiable]
fn skip_take_rev(x: &[f64]) -> f64 {
    let a: f64 = x.iter().skip(1).take(3).map(|v| v.sin()).sum();
    let b = x.iter().rev().fold(0.0, |acc, &v| acc * 0.5 + v * v);
    a * b
}

#[differentiable]
fn local_closure(x: f64, y: f64) -> f64 {
    let sq = |t: f64| t * t;
    sq(x) + sq(x * y) * y
}

#[differentiable]
fn capturing_closure(x: &[f64], k: f64) -> f64 {
    let damp = |t: f64| (-k * t * t).exp();
    let mut s = 0.0;
    for i in 0..x.len() {
        s += damp(x[i]);
    }
    s
}

#[differentiable]
fn closure_in_fold(x: &[f64], a: f64) -> f64 {
    x.iter().fold(1.0, |acc, &v| acc * (1.0 + a * v))
}

#[differentiable]
fn closure_in_map(x: &[f64], mu: f64, sigma: f64) -> f64 {
    x.iter().map(|&v| ((v - mu) / sigma).powi(2)).sum::<f64>() * 0.5 + (x.len() as f64) * sigma.ln()
}

#[test]
fn iterators_and_closures() {
    for n in [2usize, 5] {
        let pts = points::<f64>(n, 3, 0.2, 1.5, 700 + n as u64);
        second_slice!(pts, map_sum, map_sum_grad, map_sum_hvp, map_sum_hessian, map_sum_jacobian);
        for p in &pts {
            let want: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| if i == j { 6.0 * p[i] } else { 0.0 }).collect()).collect();
            assert_mat_close(&map_sum_hessian(p).2, &want, "map_sum Hessian");
        }
        second_slice!(pts, map_sum_typed, map_sum_typed_grad, map_sum_typed_hvp, map_sum_typed_hessian, map_sum_typed_jacobian);
        second_slice!(pts, prod, prod_grad, prod_hvp, prod_hessian, prod_jacobian);
        for p in &pts {
            // d²/dx_i dx_j Π x = Π_{k ≠ i, j} x_k (i ≠ j), 0 on the diagonal
            let want: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| {
                if i == j { 0.0 } else { (0..n).filter(|&k| k != i && k != j).map(|k| p[k]).product() }
            }).collect()).collect();
            assert_mat_close(&prod_hessian(p).2, &want, "product Hessian");
        }
        second_slice!(pts, enumerate_map_sum, enumerate_map_sum_grad, enumerate_map_sum_hvp, enumerate_map_sum_hessian, enumerate_map_sum_jacobian);
        for p in &pts {
            let want: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| {
                let k = i as f64 + 1.0;
                if i == j && i >= 1 { k * (k - 1.0) * p[i].powi(i as i32 - 1) } else { 0.0 }
            }).collect()).collect();
            assert_mat_close(&enumerate_map_sum_hessian(p).2, &want, "enumerate Hessian");
        }
        second_slice!(pts, for_enumerate, for_enumerate_grad, for_enumerate_hvp, for_enumerate_hessian, for_enumerate_jacobian);
        second_slice!(pts, range_map_sum, range_map_sum_grad, range_map_sum_hvp, range_map_sum_hessian, range_map_sum_jacobian);
        second_slice!(pts, windows_map, windows_map_grad, windows_map_hvp, windows_map_hessian, windows_map_jacobian);
        second_slice!(pts, chunks_map, chunks_map_grad, chunks_map_hvp, chunks_map_hessian, chunks_map_jacobian);
        second_slice!(pts, skip_take_rev, skip_take_rev_grad, skip_take_rev_hvp, skip_take_rev_hessian, skip_take_rev_jacobian);
        let pts = points::<f64>(n + 1, 3, -1.2, 1.2, 710 + n as u64);
        second_slice_scalar!(pts, fold_horner, fold_horner_grad, fold_horner_hvp, fold_horner_hessian, fold_horner_jacobian);
        second_slice_scalar!(pts, capturing_closure, capturing_closure_grad, capturing_closure_hvp, capturing_closure_hessian, capturing_closure_jacobian);
        second_slice_scalar!(pts, closure_in_fold, closure_in_fold_grad, closure_in_fold_hvp, closure_in_fold_hessian, closure_in_fold_jacobian);
        let pts = points::<f64>(2 * n, 3, -1.2, 1.2, 720 + n as u64);
        second_two_slices!(pts, n, zip_map_sum, zip_map_sum_grad, zip_map_sum_hvp, zip_map_sum_hessian, zip_map_sum_jacobian);
        second_two_slices!(pts, n, zip_for, zip_for_grad, zip_for_hvp, zip_for_hessian, zip_for_jacobian);
        let mut ranges = vec![(-1.0, 1.0); n];
        ranges.extend([(-0.5, 0.5), (0.5, 1.5)]);
        let pts = points_in::<f64>(&ranges, 3, 730 + n as u64);
        Second::new("closure_in_map", |p| closure_in_map(&p[..n], p[n], p[n + 1]), |p| {
            let (v, (g, gm, gs)) = closure_in_map_grad(&p[..n], p[n], p[n + 1]);
            (v, cat(&[&g, &[gm, gs]]))
        }, |p, d| {
            let (v, (g, gm, gs), (h, hm, hs)) = closure_in_map_hvp(&p[..n], &d[..n], p[n], d[n], p[n + 1], d[n + 1]);
            (v, cat(&[&g, &[gm, gs]]), cat(&[&h, &[hm, hs]]))
        })
        .hessian(|p| closure_in_map_hessian(&p[..n], p[n], p[n + 1]))
        .jacobian(|p| closure_in_map_jacobian(&p[..n], p[n], p[n + 1]))
        .run(&pts);
    }
    let pts = points::<f64>(4, 3, -1.2, 1.2, 740);
    Second::new("into_iter_array", |p| into_iter_array(arr(p)), |p| {
        let (v, g) = into_iter_array_grad(arr(p));
        (v, g.to_vec())
    }, |p, d| {
        let (v, g, h) = into_iter_array_hvp(arr(p), arr(d));
        (v, g.to_vec(), h.to_vec())
    })
    .hessian(|p| into_iter_array_hessian(arr(p)))
    .jacobian(|p| into_iter_array_jacobian(arr(p)))
    .run(&pts);
    second_scalars!(points::<f64>(2, 4, -1.5, 1.5, 741), local_closure, local_closure_grad, local_closure_hvp, local_closure_hessian, local_closure_jacobian; 0, 1);
}

// ===========================================================================
// 8. realistic objectives
// ===========================================================================

/// Logistic regression, labels ±1, stable softplus, L2 penalty on `w`.
#[differentiable]
pub fn logreg(w: &[f64], b: f64, #[no_grad] xs: &[f64], #[no_grad] ys: &[f64], #[no_grad] lambda: f64) -> f64 {
    let d = w.len();
    let mut loss = 0.0;
    for i in 0..ys.len() {
        let mut z = b;
        for j in 0..d {
            z += w[j] * xs[i * d + j];
        }
        let t = -ys[i] * z;
        loss += t.max(0.0) + (-t.abs()).exp().ln_1p();
    }
    let mut r = 0.0;
    for j in 0..d {
        r += w[j] * w[j];
    }
    loss + 0.5 * lambda * r
}

/// `Σ σ(z)(1-σ(z)) [x; 1][x; 1]ᵀ + λ diag(1, .., 1, 0)`.
fn logreg_h(w: &[f64], b: f64, xs: &[f64], ys: &[f64], lambda: f64) -> Vec<Vec<f64>> {
    let d = w.len();
    let mut h = vec![vec![0.0; d + 1]; d + 1];
    for i in 0..ys.len() {
        let mut a: Vec<f64> = xs[i * d..(i + 1) * d].to_vec();
        a.push(1.0);
        let z: f64 = b + (0..d).map(|j| w[j] * xs[i * d + j]).sum::<f64>();
        let s = 1.0 / (1.0 + (-z).exp());
        for r in 0..=d {
            for q in 0..=d {
                h[r][q] += s * (1.0 - s) * a[r] * a[q];
            }
        }
    }
    for j in 0..d {
        h[j][j] += lambda;
    }
    h
}

/// One hidden `tanh` layer, squared error, averaged.
#[differentiable]
pub fn mlp_loss(w1: &[f64], b1: &[f64], w2: &[f64], b2: f64, #[no_grad] x: &[f64], #[no_grad] y: &[f64]) -> f64 {
    let h = b1.len();
    let d = w1.len() / h;
    let mut loss = 0.0;
    for s in 0..y.len() {
        let mut out = b2;
        for k in 0..h {
            let mut a = b1[k];
            for j in 0..d {
                a += w1[k * d + j] * x[s * d + j];
            }
            out += w2[k] * a.tanh();
        }
        let e = out - y[s];
        loss += 0.5 * e * e;
    }
    loss / y.len() as f64
}

/// Softmax cross-entropy with the max subtracted: `H = diag(p) - p pᵀ`.
#[differentiable]
pub fn softmax_xent(logits: &[f64], target: usize) -> f64 {
    let mut m = logits[0];
    for i in 1..logits.len() {
        m = m.max(logits[i]);
    }
    let mut s = 0.0;
    for i in 0..logits.len() {
        s += (logits[i] - m).exp();
    }
    m + s.ln() - logits[target]
}

/// The same with iterator chains.
#[differentiable]
pub fn softmax_xent_iter(logits: &[f64], target: usize) -> f64 {
    let m = logits.iter().fold(f64::NEG_INFINITY, |a, &v| a.max(v));
    let s: f64 = logits.iter().map(|&v| (v - m).exp()).sum();
    m + s.ln() - logits[target]
}

/// A planar chain of springs (positions interleaved x, y) under gravity;
/// the stiffness `k` is active too.
#[differentiable]
pub fn spring_mass(q: &[f64], k: f64, #[no_grad] rest: f64, #[no_grad] g: f64) -> f64 {
    let n = q.len() / 2;
    let mut e = 0.0;
    for i in 0..n - 1 {
        let dx = q[2 * i + 2] - q[2 * i];
        let dy = q[2 * i + 3] - q[2 * i + 1];
        let l = (dx * dx + dy * dy).sqrt();
        e += 0.5 * k * (l - rest) * (l - rest);
    }
    for i in 0..n {
        e += g * q[2 * i + 1];
    }
    e
}

/// The Hessian of `spring_mass` over `[q; k]`, by hand: per spring with
/// `d = q_j - q_i`, `l = |d|`, `u = d / l`, the block
/// `K = k ((L / l) u uᵀ + (1 - L / l) I)` enters `+K` at `(i, i)` and
/// `(j, j)`, `-K` at `(i, j)`; the column of `k` is `∇_q E_springs / k`.
fn spring_mass_h(q: &[f64], k: f64, rest: f64) -> Vec<Vec<f64>> {
    let n = q.len() / 2;
    let m = q.len();
    let mut h = vec![vec![0.0; m + 1]; m + 1];
    for i in 0..n - 1 {
        let d = [q[2 * i + 2] - q[2 * i], q[2 * i + 3] - q[2 * i + 1]];
        let l = (d[0] * d[0] + d[1] * d[1]).sqrt();
        let u = [d[0] / l, d[1] / l];
        for a in 0..2 {
            for b in 0..2 {
                let kab = k * (rest / l * u[a] * u[b] + (1.0 - rest / l) * if a == b { 1.0 } else { 0.0 });
                h[2 * i + a][2 * i + b] += kab;
                h[2 * i + 2 + a][2 * i + 2 + b] += kab;
                h[2 * i + a][2 * i + 2 + b] -= kab;
                h[2 * i + 2 + a][2 * i + b] -= kab;
            }
            // ∂/∂k of ∇_{q_j} = (l - L) u, of ∇_{q_i} = -(l - L) u
            let gj = (l - rest) * u[a];
            h[2 * i + 2 + a][m] += gj;
            h[m][2 * i + 2 + a] += gj;
            h[2 * i + a][m] -= gj;
            h[m][2 * i + a] -= gj;
        }
    }
    h
}

#[test]
fn realistic_logistic_regression() {
    let (d, samples) = (3usize, 8usize);
    let xs: Vec<f64> = points::<f64>(samples * d, 1, -2.0, 2.0, 800).remove(0);
    let ys: Vec<f64> = (0..samples).map(|i| if (i * 7 + 3) % 3 == 0 { 1.0 } else { -1.0 }).collect();
    let lambda = 0.1;
    let pts = points::<f64>(d + 1, 4, -1.0, 1.0, 801);
    Second::new("logreg", |p| logreg(&p[..d], p[d], &xs, &ys, lambda), |p| {
        let (v, (g, gb)) = logreg_grad(&p[..d], p[d], &xs, &ys, lambda);
        (v, cat(&[&g, &[gb]]))
    }, |p, v| {
        let (f, (g, gb), (h, hb)) = logreg_hvp(&p[..d], &v[..d], p[d], v[d], &xs, &ys, lambda);
        (f, cat(&[&g, &[gb]]), cat(&[&h, &[hb]]))
    })
    .hessian(|p| logreg_hessian(&p[..d], p[d], &xs, &ys, lambda))
    .jacobian(|p| logreg_jacobian(&p[..d], p[d], &xs, &ys, lambda))
    .run(&pts);
    for p in &pts {
        assert_mat_close(&logreg_hessian(&p[..d], p[d], &xs, &ys, lambda).2, &logreg_h(&p[..d], p[d], &xs, &ys, lambda), "logreg Hessian");
    }
}

#[test]
fn realistic_mlp() {
    let (d, h, samples) = (2usize, 3usize, 5usize);
    let x: Vec<f64> = points::<f64>(samples * d, 1, -1.5, 1.5, 810).remove(0);
    let y: Vec<f64> = points::<f64>(samples, 1, -1.0, 1.0, 811).remove(0);
    let np = h * d + h + h + 1;
    let split = |p: &[f64]| -> (Vec<f64>, Vec<f64>, Vec<f64>, f64) {
        (p[..h * d].to_vec(), p[h * d..h * d + h].to_vec(), p[h * d + h..h * d + 2 * h].to_vec(), p[np - 1])
    };
    let pts = points::<f64>(np, 3, -1.0, 1.0, 812);
    Second::new("mlp_loss", |p| {
        let (w1, b1, w2, b2) = split(p);
        mlp_loss(&w1, &b1, &w2, b2, &x, &y)
    }, |p| {
        let (w1, b1, w2, b2) = split(p);
        let (v, (g1, gb1, g2, gb2)) = mlp_loss_grad(&w1, &b1, &w2, b2, &x, &y);
        (v, cat(&[&g1, &gb1, &g2, &[gb2]]))
    }, |p, v| {
        let (w1, b1, w2, b2) = split(p);
        let (dw1, db1, dw2, db2) = split(v);
        let (f, (g1, gb1, g2, gb2), (h1, hb1, h2, hb2)) = mlp_loss_hvp(&w1, &dw1, &b1, &db1, &w2, &dw2, b2, db2, &x, &y);
        (f, cat(&[&g1, &gb1, &g2, &[gb2]]), cat(&[&h1, &hb1, &h2, &[hb2]]))
    })
    .hessian(|p| {
        let (w1, b1, w2, b2) = split(p);
        mlp_loss_hessian(&w1, &b1, &w2, b2, &x, &y)
    })
    .jacobian(|p| {
        let (w1, b1, w2, b2) = split(p);
        mlp_loss_jacobian(&w1, &b1, &w2, b2, &x, &y)
    })
    .fd_hessian_up_to(np)
    .run(&pts);
}

#[test]
fn realistic_softmax_cross_entropy() {
    for n in [2usize, 4, 10] {
        let pts = points::<f64>(n, 3, -3.0, 3.0, 820 + n as u64);
        for target in [0, n - 1] {
            for (name, f, g, hv, he, ja) in [
                ("softmax_xent", softmax_xent as fn(&[f64], usize) -> f64, softmax_xent_grad as fn(&[f64], usize) -> (f64, Vec<f64>), softmax_xent_hvp as fn(&[f64], &[f64], usize) -> (f64, Vec<f64>, Vec<f64>), softmax_xent_hessian as fn(&[f64], usize) -> (f64, Vec<f64>, Vec<Vec<f64>>), softmax_xent_jacobian as fn(&[f64], usize) -> (f64, Vec<Vec<f64>>)),
                ("softmax_xent_iter", softmax_xent_iter, softmax_xent_iter_grad, softmax_xent_iter_hvp, softmax_xent_iter_hessian, softmax_xent_iter_jacobian),
            ] {
                Second::new(name, |p| f(p, target), |p| g(p, target), |p, d| hv(p, d, target))
                    .hessian(|p| he(p, target))
                    .jacobian(|p| ja(p, target))
                    .run(&pts);
                for p in &pts {
                    assert_mat_close(&he(p, target).2, &softmax_h(p), &format!("{name} Hessian"));
                }
            }
        }
    }
}

#[test]
fn realistic_spring_mass() {
    let (rest, g) = (0.8, 9.81);
    for n in [2usize, 4] {
        // a chain roughly along x, so springs are never degenerate
        let mut ranges = Vec::new();
        for i in 0..n {
            ranges.push((i as f64 - 0.3, i as f64 + 0.3));
            ranges.push((-0.5, 0.5));
        }
        ranges.push((0.5, 3.0));
        let pts = points_in::<f64>(&ranges, 3, 830 + n as u64);
        let m = 2 * n;
        Second::new("spring_mass", |p| spring_mass(&p[..m], p[m], rest, g), |p| {
            let (v, (gq, gk)) = spring_mass_grad(&p[..m], p[m], rest, g);
            (v, cat(&[&gq, &[gk]]))
        }, |p, d| {
            let (v, (gq, gk), (hq, hk)) = spring_mass_hvp(&p[..m], &d[..m], p[m], d[m], rest, g);
            (v, cat(&[&gq, &[gk]]), cat(&[&hq, &[hk]]))
        })
        .hessian(|p| spring_mass_hessian(&p[..m], p[m], rest, g))
        .jacobian(|p| spring_mass_jacobian(&p[..m], p[m], rest, g))
        .run(&pts);
        for p in &pts {
            assert_mat_close(&spring_mass_hessian(&p[..m], p[m], rest, g).2, &spring_mass_h(&p[..m], p[m], rest), "spring_mass Hessian");
        }
    }
}

// ===========================================================================
// 9. `_jacobian` of vector-valued functions and `&mut` outputs
// ===========================================================================

#[differentiable]
pub fn softmax(x: &[f64]) -> Vec<f64> {
    let mut m = x[0];
    for i in 1..x.len() {
        m = m.max(x[i]);
    }
    let mut e = vec![0.0; x.len()];
    let mut s = 0.0;
    for i in 0..x.len() {
        e[i] = (x[i] - m).exp();
        s += e[i];
    }
    for i in 0..x.len() {
        e[i] /= s;
    }
    e
}

#[differentiable]
fn arr_result(x: f64, y: f64) -> [f64; 3] {
    let mut out = [0.0; 3];
    out[0] = x * y;
    out[1] = x.sin() + y;
    out[2] = (x * x + y * y).sqrt();
    out
}

#[differentiable]
fn cross(a: Vec3, b: Vec3) -> Vec3 {
    Vec3 { x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x }
}

#[differentiable]
fn split_norm(v: Vec3) -> (Vec3, f64) {
    let n = norm_ref(&v);
    (Vec3 { x: v.x / n, y: v.y / n, z: v.z / n }, n)
}

#[differentiable]
fn scale_inplace(x: &mut [f64], a: f64) {
    for i in 0..x.len() {
        x[i] = x[i] * a + (x[i] * a).sin();
    }
}

#[differentiable]
pub fn gen_softmax<T: Float>(x: &[T]) -> Vec<T> {
    let mut m = x[0];
    for i in 1..x.len() {
        m = m.max(x[i]);
    }
    let mut e = vec![T::zero(); x.len()];
    let mut s = T::zero();
    for i in 0..x.len() {
        e[i] = (x[i] - m).exp();
        s = s + e[i];
    }
    for i in 0..x.len() {
        e[i] = e[i] / s;
    }
    e
}

/// Explicit Euler steps of a chain of masses: a `Vec` result.
#[differentiable]
pub fn chain_sim(x0: &[f64], v0: &[f64], k: f64, #[no_grad] dt: f64, steps: usize) -> Vec<f64> {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut v = v0.to_vec();
    for _ in 0..steps {
        for i in 0..n {
            let left = if i > 0 { x[i - 1] } else { 0.0 };
            let right = if i + 1 < n { x[i + 1] } else { 0.0 };
            v[i] += dt * k * (left + right - 2.0 * x[i]);
        }
        for i in 0..n {
            x[i] += dt * v[i];
        }
    }
    x
}

#[test]
fn jacobians_of_vector_functions() {
    for n in [1usize, 3, 6] {
        let pts = points::<f64>(n, 3, -2.0, 2.0, 900 + n as u64);
        check_jacobian_fn("softmax", &pts, n, |p| softmax(p), |p| softmax_jacobian(p), |p, v| softmax_jvp(p, v), |p, w| {
            let mut g = vec![0.0; p.len()];
            let (y, ()) = softmax_vjp(p, &mut g, w.to_vec());
            (y, g)
        });
        // closed form: diag(p) - p pᵀ
        for p in &pts {
            assert_mat_close(&softmax_jacobian(p).1, &softmax_h(p), "softmax Jacobian");
        }
    }
    let pts = points::<f64>(2, 4, -1.5, 1.5, 910);
    check_jacobian_fn("arr_result", &pts, 3, |p| arr_result(p[0], p[1]).to_vec(), |p| {
        let (y, j) = arr_result_jacobian(p[0], p[1]);
        (y.to_vec(), j)
    }, |p, v| {
        let (y, dy) = arr_result_jvp(p[0], v[0], p[1], v[1]);
        (y.to_vec(), dy.to_vec())
    }, |p, w| {
        let (y, (a, b)) = arr_result_vjp(p[0], p[1], arr(w));
        (y.to_vec(), vec![a, b])
    });
    check_jacobian_fn("polar", &pts, 2, |p| polar(p[0], p[1]).flat(), |p| {
        let (y, j) = polar_jacobian(p[0], p[1]);
        (y.flat(), j)
    }, |p, v| {
        let (y, dy) = polar_jvp(p[0], v[0], p[1], v[1]);
        (y.flat(), dy.flat())
    }, |p, w| {
        let (y, g) = polar_vjp(p[0], p[1], (w[0], w[1]));
        (y.flat(), g.flat())
    });
    let pts = points::<f64>(6, 3, -1.5, 1.5, 911);
    check_jacobian_fn("cross", &pts, 3, |p| cross(v3(&p[..3]), v3(&p[3..])).flat(), |p| {
        let (y, j) = cross_jacobian(v3(&p[..3]), v3(&p[3..]));
        (y.flat(), j)
    }, |p, v| {
        let (y, dy) = cross_jvp(v3(&p[..3]), v3(&v[..3]), v3(&p[3..]), v3(&v[3..]));
        (y.flat(), dy.flat())
    }, |p, w| {
        let (y, g) = cross_vjp(v3(&p[..3]), v3(&p[3..]), v3(w));
        (y.flat(), g.flat())
    });
    let pts = points::<f64>(3, 3, 0.3, 1.5, 912);
    check_jacobian_fn("split_norm", &pts, 4, |p| split_norm(v3(p)).flat(), |p| {
        let (y, j) = split_norm_jacobian(v3(p));
        (y.flat(), j)
    }, |p, v| {
        let (y, dy) = split_norm_jvp(v3(p), v3(v));
        (y.flat(), dy.flat())
    }, |p, w| {
        let (y, g) = split_norm_vjp(v3(p), (v3(&w[..3]), w[3]));
        (y.flat(), g.flat())
    });
    let (dt, steps) = (0.05, 6);
    for n in [2usize, 4] {
        let mut ranges = vec![(-1.0, 1.0); 2 * n];
        ranges.push((0.5, 2.0));
        let pts = points_in::<f64>(&ranges, 3, 913 + n as u64);
        check_jacobian_fn("chain_sim", &pts, n, |p| chain_sim(&p[..n], &p[n..2 * n], p[2 * n], dt, steps), |p| {
            chain_sim_jacobian(&p[..n], &p[n..2 * n], p[2 * n], dt, steps)
        }, |p, v| chain_sim_jvp(&p[..n], &v[..n], &p[n..2 * n], &v[n..2 * n], p[2 * n], v[2 * n], dt, steps), |p, w| {
            let (mut gx, mut gv) = (vec![0.0; n], vec![0.0; n]);
            let (y, gk) = chain_sim_vjp(&p[..n], &mut gx, &p[n..2 * n], &mut gv, p[2 * n], dt, steps, w.to_vec());
            (y, cat(&[&gx, &gv, &[gk]]))
        });
    }
}

#[test]
fn jacobians_with_mut_outputs() {
    for n in [1usize, 3] {
        // unit result: outputs = out on exit; inputs = x, out on entry
        let pts = points::<f64>(2 * n, 3, -1.5, 1.5, 920 + n as u64);
        check_jacobian_fn("squares_into", &pts, n, |p| {
            let mut o = p[n..].to_vec();
            squares_into(&p[..n], &mut o);
            o
        }, |p| {
            let mut o = p[n..].to_vec();
            let ((), j) = squares_into_jacobian(&p[..n], &mut o);
            (o, j)
        }, |p, v| {
            let mut o = p[n..].to_vec();
            let mut d = v[n..].to_vec();
            squares_into_jvp(&p[..n], &v[..n], &mut o, &mut d);
            (o, d)
        }, |p, w| {
            let mut o = p[n..].to_vec();
            let mut gx = vec![0.0; n];
            let mut go = w.to_vec();
            squares_into_vjp(&p[..n], &mut gx, &mut o, &mut go);
            (o, cat(&[&gx, &go]))
        });
        let pts = points::<f64>(n + 1, 3, -1.5, 1.5, 930 + n as u64);
        check_jacobian_fn("scale_inplace", &pts, n, |p| {
            let mut x = p[..n].to_vec();
            scale_inplace(&mut x, p[n]);
            x
        }, |p| {
            let mut x = p[..n].to_vec();
            let ((), j) = scale_inplace_jacobian(&mut x, p[n]);
            (x, j)
        }, |p, v| {
            let mut x = p[..n].to_vec();
            let mut d = v[..n].to_vec();
            scale_inplace_jvp(&mut x, &mut d, p[n], v[n]);
            (x, d)
        }, |p, w| {
            let mut x = p[..n].to_vec();
            let mut gx = w.to_vec();
            let ga = scale_inplace_vjp(&mut x, &mut gx, p[n]);
            (x, cat(&[&gx, &[ga]]))
        });
        // scalar result and `&mut`: outputs = [result, x on exit]
        check_jacobian_fn("write_then_read", &pts, n + 1, |p| {
            let mut x = p[..n].to_vec();
            let s = write_then_read(&mut x, p[n]);
            cat(&[&[s], &x])
        }, |p| {
            let mut x = p[..n].to_vec();
            let (s, j) = write_then_read_jacobian(&mut x, p[n]);
            (cat(&[&[s], &x]), j)
        }, |p, v| {
            let mut x = p[..n].to_vec();
            let mut d = v[..n].to_vec();
            let (s, ds) = write_then_read_jvp(&mut x, &mut d, p[n], v[n]);
            (cat(&[&[s], &x]), cat(&[&[ds], &d]))
        }, |p, w| {
            let mut x = p[..n].to_vec();
            let mut gx = w[1..].to_vec();
            let (s, ga) = write_then_read_vjp(&mut x, &mut gx, p[n], w[0]);
            (cat(&[&[s], &x]), cat(&[&gx, &[ga]]))
        });
    }
}

#[test]
fn generic_jacobians() {
    fn case<F: Float + Debug>() {
        for n in [1usize, 4] {
            let pts = points::<F>(n, 3, -2.0, 2.0, 940 + n as u64);
            check_jacobian_fn("gen_softmax", &pts, n, |p| gen_softmax(p), |p| gen_softmax_jacobian(p), |p, v| gen_softmax_jvp(p, v), |p, w| {
                let mut g = vec![F::zero(); p.len()];
                let (y, ()) = gen_softmax_vjp(p, &mut g, w.to_vec());
                (y, g)
            });
        }
    }
    case::<f64>();
    case::<f32>();
}

// ===========================================================================
// 10. the checkers catch wrong second derivatives
// ===========================================================================

/// `f(x, y) = x² y + sin(x y)` with a hand-written HVP that can be wrong.
fn hand_f(p: &[f64]) -> f64 {
    p[0] * p[0] * p[1] + (p[0] * p[1]).sin()
}

fn hand_grad(p: &[f64]) -> (f64, Vec<f64>) {
    let (x, y) = (p[0], p[1]);
    let cc = (x * y).cos();
    (hand_f(p), vec![2.0 * x * y + y * cc, x * x + x * cc])
}

fn hand_h(p: &[f64], bad: f64) -> Vec<Vec<f64>> {
    let (x, y) = (p[0], p[1]);
    let (s, cc) = ((x * y).sin(), (x * y).cos());
    let xy = 2.0 * x + cc - x * y * s;
    vec![vec![2.0 * y - y * y * s, xy * bad], vec![xy * bad, -x * x * s]]
}

fn hand_check(bad: f64) {
    let pts = points::<f64>(2, 3, -1.5, 1.5, 990);
    Second::new("hand", hand_f, hand_grad, move |p, v| {
        let h = hand_h(p, bad);
        let hv = (0..2).map(|i| h[i][0] * v[0] + h[i][1] * v[1]).collect();
        (hand_f(p), hand_grad(p).1, hv)
    })
    .hessian(move |p| (hand_f(p), hand_grad(p).1, hand_h(p, bad)))
    .run(&pts);
}

#[test]
fn checker_accepts_right_hvp() {
    hand_check(1.0);
}

#[test]
#[should_panic(expected = "central FD of _grad")]
fn checker_rejects_hvp_off_by_a_thousandth() {
    hand_check(1.001);
}

#[test]
#[should_panic(expected = "closed form")]
fn checker_rejects_wrong_closed_form() {
    check_second_derivative("x³", &[0.5, 1.0], |x: f64| x * x * x, |x| 6.0 * x, |x| 6.0 * x, |x| 6.0 * x + 1e-9 * (1.0 + x));
}

// ===========================================================================
// 11. more constructs: more float methods, `wrt`, recursion, trait impls,
//     `&mut` structs and `&mut self`, statements with effects, untaken
//     branches, data-dependent indices, large Jacobians
// ===========================================================================

/// `to_degrees`, `to_radians`, `copysign`, `rem_euclid`, `div_euclid`,
/// `round_ties_even`, `midpoint`.
#[differentiable]
fn misc_methods(x: f64) -> f64 {
    x.to_degrees() * x
        + x.to_radians().sin()
        + x.copysign(-1.0) * x * x
        + x.rem_euclid(2.0) * x
        + x.div_euclid(2.0) * x * x
        + x.round_ties_even() * x * x
        + x.midpoint(3.0) * x
}

fn misc_methods_d2(x: f64) -> f64 {
    let r = PI / 180.0;
    360.0 / PI - r * r * (x * r).sin() - 6.0 * x.abs() + 2.0 + 2.0 * (x / 2.0).floor() + 2.0 * x.round() + 1.0
}

/// Only `w` is active.
#[differentiable(wrt(w))]
fn weighted(x: &[f64], w: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += (w[i] * x[i]).sin() * w[i];
    }
    s
}

/// Recursion: `x^n`.
#[differentiable]
fn rpow(x: f64, n: usize) -> f64 {
    if n == 0 { 1.0 } else { x * rpow(x, n - 1) }
}

/// Recursion with a `u32` argument (its type witness is an unsuffixed
/// integer).
#[differentiable]
fn rpow_u32(x: f64, n: u32) -> f64 {
    if n == 0 { 1.0 } else { x * rpow_u32(x, n - 1) }
}

#[test]
fn recursion_with_u32() {
    for n in [0u32, 1, 2, 5] {
        let nf = n as f64;
        check_second_derivative("rpow_u32", &[-1.2, 0.4, 1.3], |x| rpow_u32(x, n), |x| rpow_u32_second_derivative(x, n), |x| rpow_u32_hvp(x, 1.0, n).2, |x| {
            if n < 2 { 0.0 } else { nf * (nf - 1.0) * x.powi(n as i32 - 2) }
        });
    }
}

impl Model {
    /// A method with one active scalar: `k x⁴ + rest x`.
    #[differentiable]
    pub fn pot(#[no_grad] &self, x: f64) -> f64 {
        self.k * x.powi(4) + self.rest * x
    }
}

pub trait Energy {
    fn energy(&self, x: &[f64]) -> f64;
}

pub struct Chain {
    pub k: f64,
}

#[differentiable]
impl Energy for Chain {
    fn energy(#[no_grad] &self, x: &[f64]) -> f64 {
        let mut e = 0.0;
        for i in 0..x.len() - 1 {
            let d = x[i + 1] - x[i];
            e += self.k * (d * d + 0.1 * d * d * d * d);
        }
        e
    }
}

/// A `&mut` struct parameter with a scalar result.
#[differentiable]
fn relax(p: &mut Vec3, s: f64) -> f64 {
    p.x = p.x * s + p.y;
    p.y = p.y * p.z;
    p.z *= s;
    p.x * p.y + p.z * p.z * s
}

#[differentiable]
impl Vec3 {
    /// `&mut self` and a scalar result.
    fn kick(&mut self, dt: f64) -> f64 {
        self.x += dt * self.y;
        self.y -= dt * self.z * self.x;
        self.x * self.x + dt * self.z * self.y
    }
}

/// Statements without derivatives in the body, `#[cfg]` on statements.
#[differentiable]
fn with_effects(x: &[f64]) -> f64 {
    assert!(!x.is_empty());
    assert_eq!(x.len(), x.len());
    debug_assert!(x.len() < 1000);
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i] * x[i];
        #[cfg(any())]
        {
            s += 1000.0;
        }
    }
    #[cfg(all())]
    {
        s *= 0.5;
    }
    if s > 1e300 {
        println!("large: {}", s);
    }
    s
}

/// The branch not taken holds a NaN (`sqrt` of a negative): it must not
/// poison the second derivative.
#[differentiable]
fn untaken(x: f64) -> f64 {
    if x > 0.0 { x.sqrt() * x } else { -x * x * x.exp() }
}

fn untaken_d2(x: f64) -> f64 {
    if x > 0.0 { 0.75 / x.sqrt() } else { -(x * x + 4.0 * x + 2.0) * x.exp() }
}

/// An index computed from an active value (piecewise: derivative through
/// the value, not the index).
#[differentiable]
fn data_index(x: &[f64], t: f64) -> f64 {
    let k = ((t.abs() * 3.0) as usize) % x.len();
    x[k] * x[k] * t + x[(k + 1) % x.len()] * t * t
}

/// A copy of a slice mutated in place.
#[differentiable]
fn copy_then_mutate(x: &[f64]) -> f64 {
    let mut y = x.to_vec();
    for i in 1..y.len() {
        y[i] = y[i] * y[i - 1] + 0.5;
    }
    y[y.len() - 1] * x[0]
}

#[differentiable]
fn sub_sum(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i] * x[i];
    }
    s
}

/// Sub-slices passed to a callee.
#[differentiable]
fn sub_call(x: &[f64], d: usize) -> f64 {
    sub_sum(&x[..d]) * sub_sum(&x[d..])
}

/// Callees returning a struct and a `Vec`; locals passed by reference
/// (regression test of /tmp/second_order_bugs.md #3).
#[differentiable]
fn uses_results(a: Vec3, b: Vec3) -> f64 {
    let c = cross(a, b);
    let n = norm_ref(&c);
    let x = [a.x, b.y, c.z];
    let p = softmax(&x);
    n * a.x + p[0] * b.z
}

/// `iter_mut` on a `&mut` slice (unit result: Jacobian only).
#[differentiable]
fn scale_iter_mut(a: f64, xs: &mut [f64]) {
    for v in xs.iter_mut() {
        *v = *v * a + v.sin();
    }
}

/// A `&mut [Vec3]` of a struct without `#[no_grad]` fields.
#[differentiable]
fn drift(ps: &mut [Vec3], dt: f64) {
    for i in 0..ps.len() {
        ps[i].x += dt * ps[i].y * ps[i].z;
        ps[i].z -= dt * ps[i].x;
    }
}

/// Two statistics of a long vector: reverse-mode `_jacobian`.
#[differentiable]
fn two_stats(x: &[f64]) -> [f64; 2] {
    let mut m = 0.0;
    for i in 0..x.len() {
        m += x[i];
    }
    m /= x.len() as f64;
    let mut v = 0.0;
    for i in 0..x.len() {
        v += (x[i] - m) * (x[i] - m);
    }
    [m, v / x.len() as f64]
}

/// Generic Rosenbrock (f32 and f64).
#[differentiable]
pub fn gen_rosen<T: Float>(x: &[T]) -> T {
    let hundred = T::from(100.0).unwrap();
    let mut s = T::zero();
    for i in 0..x.len() - 1 {
        let a = T::one() - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s = s + a * a + hundred * b * b;
    }
    s
}

#[test]
fn more_float_methods() {
    let xs = [-1.3, -0.6, 0.3, 1.2, 2.7];
    second_unary!(xs, misc_methods, misc_methods_grad, misc_methods_hvp, misc_methods_hessian, misc_methods_jacobian, misc_methods_second_derivative, misc_methods_d2);
    let xs = [-1.3, -0.4, 0.3, 1.7];
    second_unary!(xs, untaken, untaken_grad, untaken_hvp, untaken_hessian, untaken_jacobian, untaken_second_derivative, untaken_d2);
}

#[test]
fn wrt_recursion_methods_traits() {
    for n in [1usize, 4] {
        let x = points::<f64>(n, 1, -1.5, 1.5, 1000 + n as u64).remove(0);
        let pts = points::<f64>(n, 3, -1.5, 1.5, 1010 + n as u64);
        Second::new("weighted (wrt w)", |w| weighted(&x, w), |w| weighted_grad(&x, w), |w, d| weighted_hvp(&x, w, d))
            .hessian(|w| weighted_hessian(&x, w))
            .jacobian(|w| weighted_jacobian(&x, w))
            .run(&pts);
        // separable in w: diagonal 2 x cos(w x) - x² w sin(w x)
        for w in &pts {
            let want: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| {
                if i == j { 2.0 * x[i] * (w[i] * x[i]).cos() - x[i] * x[i] * w[i] * (w[i] * x[i]).sin() } else { 0.0 }
            }).collect()).collect();
            assert_mat_close(&weighted_hessian(&x, w).2, &want, "weighted Hessian");
        }
    }
    for n in [0usize, 1, 2, 5] {
        let nf = n as f64;
        check_second_derivative("rpow", &[-1.2, 0.4, 1.3], |x| rpow(x, n), |x| rpow_second_derivative(x, n), |x| rpow_hvp(x, 1.0, n).2, |x| {
            if n < 2 { 0.0 } else { nf * (nf - 1.0) * x.powi(n as i32 - 2) }
        });
    }
    let model = Model { k: 1.7, rest: 0.3, weights: vec![] };
    check_second_derivative("Model::pot", &[-1.2, 0.4, 1.3], |x| model.pot(x), |x| model.pot_second_derivative(x), |x| model.pot_hvp(x, 1.0).2, |x| 12.0 * model.k * x * x);
    let chain = Chain { k: 0.7 };
    for n in [2usize, 5] {
        let pts = points::<f64>(n, 3, -1.5, 1.5, 1020 + n as u64);
        Second::new("Chain::energy (trait impl)", |p| chain.energy(p), |p| chain.energy_grad(p), |p, d| chain.energy_hvp(p, d))
            .hessian(|p| chain.energy_hessian(p))
            .jacobian(|p| chain.energy_jacobian(p))
            .run(&pts);
    }
}

#[test]
fn mut_structs_and_mut_self() {
    let pts = points::<f64>(4, 4, -1.2, 1.2, 1030);
    Second::new("relax", |p| relax(&mut v3(p), p[3]), |p| {
        let (v, (g, gs)) = relax_grad(&mut v3(p), p[3]);
        (v, cat(&[&g.flat(), &[gs]]))
    }, |p, d| {
        let (mut a, mut da) = (v3(p), v3(d));
        let (v, (g, gs), (h, hs)) = relax_hvp(&mut a, &mut da, p[3], d[3]);
        (v, cat(&[&g.flat(), &[gs]]), cat(&[&h.flat(), &[hs]]))
    })
    .jacobian(|p| {
        let (v, j) = relax_jacobian(&mut v3(p), p[3]);
        (v, vec![j[0].clone()])
    })
    .run(&pts);
    Second::new("Vec3::kick (&mut self)", |p| v3(p).kick(p[3]), |p| {
        let (v, (g, gs)) = v3(p).kick_grad(p[3]);
        (v, cat(&[&g.flat(), &[gs]]))
    }, |p, d| {
        let mut a = v3(p);
        let mut da = v3(d);
        let (v, (g, gs), (h, hs)) = a.kick_hvp(&mut da, p[3], d[3]);
        (v, cat(&[&g.flat(), &[gs]]), cat(&[&h.flat(), &[hs]]))
    })
    .run(&pts);
    // the Jacobian of `relax`: outputs [result, p on exit]
    check_jacobian_fn("relax", &pts, 4, |p| {
        let mut a = v3(p);
        let r = relax(&mut a, p[3]);
        cat(&[&[r], &a.flat()])
    }, |p| {
        let mut a = v3(p);
        let (r, j) = relax_jacobian(&mut a, p[3]);
        (cat(&[&[r], &a.flat()]), j)
    }, |p, v| {
        let (mut a, mut da) = (v3(p), v3(v));
        let (r, dr) = relax_jvp(&mut a, &mut da, p[3], v[3]);
        (cat(&[&[r], &a.flat()]), cat(&[&[dr], &da.flat()]))
    }, |p, w| {
        let mut a = v3(p);
        let mut ga = v3(&w[1..]);
        let (r, gs) = relax_vjp(&mut a, &mut ga, p[3], w[0]);
        (cat(&[&[r], &a.flat()]), cat(&[&ga.flat(), &[gs]]))
    });
    // &mut [Vec3]
    for n in [1usize, 3] {
        let pts = points::<f64>(3 * n + 1, 3, -1.2, 1.2, 1040 + n as u64);
        let vs = |s: &[f64]| -> Vec<Vec3> { s.chunks(3).map(v3).collect() };
        let fvs = |s: &[Vec3]| -> Vec<f64> { s.iter().flat_map(|&v| v.flat()).collect() };
        let m = 3 * n;
        check_jacobian_fn("drift", &pts, m, |p| {
            let mut ps = vs(&p[..m]);
            drift(&mut ps, p[m]);
            fvs(&ps)
        }, |p| {
            let mut ps = vs(&p[..m]);
            let ((), j) = drift_jacobian(&mut ps, p[m]);
            (fvs(&ps), j)
        }, |p, v| {
            let mut ps = vs(&p[..m]);
            let mut dps = vs(&v[..m]);
            drift_jvp(&mut ps, &mut dps, p[m], v[m]);
            (fvs(&ps), fvs(&dps))
        }, |p, w| {
            let mut ps = vs(&p[..m]);
            let mut g = vs(w);
            let gdt = drift_vjp(&mut ps, &mut g, p[m]);
            (fvs(&ps), cat(&[&fvs(&g), &[gdt]]))
        });
    }
}

#[test]
fn effects_indices_copies_subslices() {
    for n in [1usize, 4] {
        let pts = points::<f64>(n, 3, -1.5, 1.5, 1050 + n as u64);
        second_slice!(pts, with_effects, with_effects_grad, with_effects_hvp, with_effects_hessian, with_effects_jacobian);
        second_slice!(pts, copy_then_mutate, copy_then_mutate_grad, copy_then_mutate_hvp, copy_then_mutate_hessian, copy_then_mutate_jacobian);
    }
    // t away from the jumps of the index at |t| = k/3
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.4, 0.6)], 3, 1060);
    second_slice_scalar!(pts, data_index, data_index_grad, data_index_hvp, data_index_hessian, data_index_jacobian);
    for d in [1usize, 3] {
        let pts = points::<f64>(5, 3, -1.5, 1.5, 1070 + d as u64);
        Second::new("sub_call", |p| sub_call(p, d), |p| sub_call_grad(p, d), |p, v| sub_call_hvp(p, v, d))
            .hessian(|p| sub_call_hessian(p, d))
            .jacobian(|p| sub_call_jacobian(p, d))
            .run(&pts);
    }
    let pts = points::<f64>(9, 3, -1.2, 1.2, 1080);
    Second::new("uses_results_val", |p| uses_results_val(v3(&p[..3]), v3(&p[3..6]), &p[6..]), |p| {
        let (v, (ga, gb, gx)) = uses_results_val_grad(v3(&p[..3]), v3(&p[3..6]), &p[6..]);
        (v, cat(&[&ga.flat(), &gb.flat(), &gx]))
    }, |p, d| {
        let (v, (ga, gb, gx), (ha, hb, hx)) = uses_results_val_hvp(v3(&p[..3]), v3(&d[..3]), v3(&p[3..6]), v3(&d[3..6]), &p[6..], &d[6..]);
        (v, cat(&[&ga.flat(), &gb.flat(), &gx]), cat(&[&ha.flat(), &hb.flat(), &hx]))
    })
    .hessian(|p| uses_results_val_hessian(v3(&p[..3]), v3(&p[3..6]), &p[6..]))
    .jacobian(|p| uses_results_val_jacobian(v3(&p[..3]), v3(&p[3..6]), &p[6..]))
    .run(&pts);
}

/// Callees returning a struct and a `Vec`, arguments passed by value or
/// forwarded parameters.
#[differentiable]
fn uses_results_val(a: Vec3, b: Vec3, x: &[f64]) -> f64 {
    let c = cross(a, b);
    let n = norm_val(c);
    let p = softmax(x);
    n * a.x + p[0] * b.z * x[1]
}

#[differentiable]
fn norm_val(a: Vec3) -> f64 {
    (a.x * a.x + a.y * a.y + a.z * a.z).sqrt()
}

/// `(a b)²` through a local struct passed by `&` to a callee (regression
/// test of /tmp/second_order_bugs.md #3: the gradient from `_hvp` came out
/// doubled and `H v` wrong).
#[differentiable]
fn local_struct_by_ref(a: f64, b: f64) -> f64 {
    let c = Vec3 { x: a * b, y: 0.0, z: 0.0 };
    norm2_ref(&c)
}

/// `(a b)²` through a local `vec!` passed by `&` to a callee.
#[differentiable]
fn local_vec_by_ref(a: f64, b: f64) -> f64 {
    let c = vec![a * b, 0.0];
    sum_sq(&c)
}

#[differentiable]
fn norm2_ref(a: &Vec3) -> f64 {
    a.x * a.x + a.y * a.y + a.z * a.z
}

/// The same by value.
#[differentiable]
fn local_struct_by_value(a: f64, b: f64) -> f64 {
    let c = Vec3 { x: a * b, y: 0.0, z: 0.0 };
    norm_val(c) * norm_val(c)
}

/// `H` of `(a b)²` = `[[2b², 4ab], [4ab, 2a²]]`.
fn ab2_h(a: f64, b: f64) -> Vec<Vec<f64>> {
    vec![vec![2.0 * b * b, 4.0 * a * b], vec![4.0 * a * b, 2.0 * a * a]]
}

#[test]
fn locals_passed_to_callees() {
    let pts = points::<f64>(2, 3, -1.5, 1.5, 1085);
    second_scalars!(pts, local_struct_by_value, local_struct_by_value_grad, local_struct_by_value_hvp, local_struct_by_value_hessian, local_struct_by_value_jacobian; 0, 1);
    for p in &pts {
        assert_mat_close(&local_struct_by_value_hessian(p[0], p[1]).2, &ab2_h(p[0], p[1]), "local_struct_by_value Hessian");
    }
}

/// Regression test of /tmp/second_order_bugs.md #3: at (a, b) = (0.5, 2),
/// `_grad` gave (4, 1) but `_hvp(e_a)` gradient (8, 2) and `H v` (0, 4)
/// instead of (8, 4) (wrong at 38634f7 and c2fa1e8, right since 2a7e0b5).
#[test]
fn locals_passed_by_ref_to_callees() {
    let pts = points::<f64>(2, 3, -1.5, 1.5, 1086);
    second_scalars!(pts, local_struct_by_ref, local_struct_by_ref_grad, local_struct_by_ref_hvp, local_struct_by_ref_hessian, local_struct_by_ref_jacobian; 0, 1);
    second_scalars!(pts, local_vec_by_ref, local_vec_by_ref_grad, local_vec_by_ref_hvp, local_vec_by_ref_hessian, local_vec_by_ref_jacobian; 0, 1);
    for p in &pts {
        assert_mat_close(&local_struct_by_ref_hessian(p[0], p[1]).2, &ab2_h(p[0], p[1]), "local_struct_by_ref Hessian");
        assert_mat_close(&local_vec_by_ref_hessian(p[0], p[1]).2, &ab2_h(p[0], p[1]), "local_vec_by_ref Hessian");
    }
    // where it was found: at point 0, gradient from _hvp 0.45088 vs _grad 0.54533
    let pts = points::<f64>(6, 3, -1.2, 1.2, 1080);
    Second::new("uses_results", |p| uses_results(v3(&p[..3]), v3(&p[3..])), |p| {
        let (v, g) = uses_results_grad(v3(&p[..3]), v3(&p[3..]));
        (v, g.flat())
    }, |p, d| {
        let (v, g, h) = uses_results_hvp(v3(&p[..3]), v3(&d[..3]), v3(&p[3..]), v3(&d[3..]));
        (v, g.flat(), h.flat())
    })
    .hessian(|p| uses_results_hessian(v3(&p[..3]), v3(&p[3..])))
    .jacobian(|p| uses_results_jacobian(v3(&p[..3]), v3(&p[3..])))
    .run(&pts);
}

#[test]
fn large_jacobians_and_hessians() {
    // square (forward mode, columns in parallel when large)
    let n = 80;
    let pts = points::<f64>(n, 2, -2.0, 2.0, 1090);
    check_jacobian_fn("softmax (80)", &pts, n, |p| softmax(p), |p| softmax_jacobian(p), |p, v| softmax_jvp(p, v), |p, w| {
        let mut g = vec![0.0; p.len()];
        let (y, ()) = softmax_vjp(p, &mut g, w.to_vec());
        (y, g)
    });
    for p in &pts {
        assert_mat_close(&softmax_jacobian(p).1, &softmax_h(p), "softmax (80) Jacobian");
    }
    // wide (reverse mode)
    let n = 150;
    let pts = points::<f64>(n, 2, -2.0, 2.0, 1091);
    check_jacobian_fn("two_stats (150)", &pts, 2, |p| two_stats(p).to_vec(), |p| {
        let (y, j) = two_stats_jacobian(p);
        (y.to_vec(), j)
    }, |p, v| {
        let (y, dy) = two_stats_jvp(p, v);
        (y.to_vec(), dy.to_vec())
    }, |p, w| {
        let mut g = vec![0.0; p.len()];
        let (y, ()) = two_stats_vjp(p, &mut g, arr(w));
        (y.to_vec(), g)
    });
    // tall, from a scalar: 1 input, many outputs
    let pts = points::<f64>(4, 3, -1.0, 1.0, 1092);
    check_jacobian_fn("scale_iter_mut", &pts, 3, |p| {
        let mut x = p[1..].to_vec();
        scale_iter_mut(p[0], &mut x);
        x
    }, |p| {
        let mut x = p[1..].to_vec();
        let ((), j) = scale_iter_mut_jacobian(p[0], &mut x);
        (x, j)
    }, |p, v| {
        let mut x = p[1..].to_vec();
        let mut d = v[1..].to_vec();
        scale_iter_mut_jvp(p[0], v[0], &mut x, &mut d);
        (x, d)
    }, |p, w| {
        let mut x = p[1..].to_vec();
        let mut g = w.to_vec();
        let ga = scale_iter_mut_vjp(p[0], &mut x, &mut g);
        (x, cat(&[&[ga], &g]))
    });
    // a large Hessian at f32 and f64 (columns in parallel)
    fn rosen_case<F: Float + Debug>() {
        for n in [3usize, 60] {
            let pts = points::<F>(n, 2, -1.2, 1.2, 1093 + n as u64);
            Second::new("gen_rosen", |p| gen_rosen(p), |p| gen_rosen_grad(p), |p, d| gen_rosen_hvp(p, d))
                .hessian(|p| gen_rosen_hessian(p))
                .jacobian(|p| gen_rosen_jacobian(p))
                .directions(2)
                .run(&pts);
            for p in &pts {
                let p64: Vec<f64> = p.iter().map(|&v| v.to_f64().unwrap()).collect();
                let want: Vec<Vec<F>> = rosenbrock_h(&p64).iter().map(|r| r.iter().map(|&v| c::<F>(v)).collect()).collect();
                assert_mat_close(&gen_rosen_hessian(p).2, &want, "gen_rosen Hessian");
            }
        }
    }
    rosen_case::<f64>();
    rosen_case::<f32>();
}

// ===========================================================================
// 12. still more shapes: `self` by value, mixed float types, constant
//     receivers, `Rc` parameters (serial sweeps), long time loops, deep
//     call chains, `let` without a value, `for x in xs`
// ===========================================================================

#[differentiable]
impl Vec3 {
    /// `self` by value with a scalar result.
    fn spread(self, s: f64) -> f64 {
        (self.x * s).sin() + self.y * self.z * s * s
    }
}

/// An `f32` parameter in an `f64` function: `2x + y² x`.
#[differentiable]
fn mixed_floats(x: f64, y: f32) -> f64 {
    x * 2.0 + (y * y) as f64 * x
}

/// Constant receivers and literal bases: `2^x + x^x + ln 3 · x + max(0, x) x`.
#[differentiable]
fn const_receivers(x: f64) -> f64 {
    2.0f64.powf(x) + x.powf(x) + 3.0f64.ln() * x + f64::max(0.0, x) * x
}

fn const_receivers_d2(x: f64) -> f64 {
    let l = x.ln();
    LN_2 * LN_2 * 2.0f64.powf(x) + x.powf(x) * ((l + 1.0) * (l + 1.0) + 1.0 / x) + 2.0
}

/// A model behind an `Rc` (not `Sync`): `_hessian` / `_jacobian` should
/// take the serial path.
pub struct RcModel {
    pub w: std::rc::Rc<Vec<f64>>,
}

impl RcModel {
    #[differentiable]
    pub fn loss(#[no_grad] &self, x: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() {
            s += self.w[i] * (x[i] * x[i]).cos();
        }
        s
    }
}

#[test]
fn rc_model() {
    let m = RcModel { w: std::rc::Rc::new(vec![1.0, -0.5, 2.0, 0.25]) };
    let pts = points::<f64>(4, 3, -1.2, 1.2, 1101);
    Second::new("RcModel::loss (serial sweeps)", |p| m.loss(p), |p| m.loss_grad(p), |p, d| m.loss_hvp(p, d))
        .hessian(|p| m.loss_hessian(p))
        .jacobian(|p| m.loss_jacobian(p))
        .run(&pts);
    for p in &pts {
        // d²/dx² w cos(x²) = -w (2 sin(x²) + 4 x² cos(x²))
        let want: Vec<Vec<f64>> = (0..4).map(|i| (0..4).map(|j| {
            if i == j { -m.w[i] * (2.0 * (p[i] * p[i]).sin() + 4.0 * p[i] * p[i] * (p[i] * p[i]).cos()) } else { 0.0 }
        }).collect()).collect();
        assert_mat_close(&m.loss_hessian(p).2, &want, "RcModel::loss Hessian");
    }
}

/// A long explicit time loop, energy at the end.
#[differentiable]
pub fn sim_energy(x0: &[f64], v0: &[f64], k: f64, #[no_grad] dt: f64, steps: usize) -> f64 {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut v = v0.to_vec();
    for _ in 0..steps {
        for i in 0..n {
            let left = if i > 0 { x[i - 1] } else { 0.0 };
            let right = if i + 1 < n { x[i + 1] } else { 0.0 };
            v[i] += dt * (k * (left + right - 2.0 * x[i]) - 0.1 * x[i] * x[i] * x[i]);
        }
        for i in 0..n {
            x[i] += dt * v[i];
        }
    }
    let mut e = 0.0;
    for i in 0..n {
        e += 0.5 * v[i] * v[i] + 0.5 * k * x[i] * x[i];
    }
    e
}

#[differentiable]
fn deep_c(x: &[f64], t: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += (x[i] * t).sin();
    }
    s
}

#[differentiable]
fn deep_b(x: &[f64], t: f64) -> f64 {
    deep_c(x, t) * deep_c(x, t * 0.5) + t * t
}

#[differentiable]
fn deep_a(x: &[f64], t: f64) -> f64 {
    let mut s = 0.0;
    for k in 0..3 {
        s += deep_b(x, t + k as f64 * 0.1);
    }
    s.exp()
}

#[differentiable]
fn late_init(x: f64) -> f64 {
    let y;
    if x > 0.0 {
        y = x * x * x;
    } else {
        y = -x * x;
    }
    y * 3.0
}

#[differentiable]
fn for_refs(xs: &[f64]) -> f64 {
    let mut s = 1.0;
    for x in xs {
        s = s * 0.5 + x * x * *x;
    }
    for &v in xs {
        s += v.sin() * v;
    }
    s
}

/// Generic with a constant generic parameter: `a x³ + sin(a x)`.
#[differentiable]
fn gen_scaled<T: Float>(x: T, #[no_grad] a: T) -> T {
    a * x * x * x + (a * x).sin()
}

#[test]
fn more_shapes() {
    let pts = points::<f64>(4, 3, -1.2, 1.2, 1100);
    Second::new("Vec3::spread (self by value)", |p| v3(p).spread(p[3]), |p| {
        let (v, (g, gs)) = v3(p).spread_grad(p[3]);
        (v, cat(&[&g.flat(), &[gs]]))
    }, |p, d| {
        let (v, (g, gs), (h, hs)) = v3(p).spread_hvp(v3(d), p[3], d[3]);
        (v, cat(&[&g.flat(), &[gs]]), cat(&[&h.flat(), &[hs]]))
    })
    .hessian(|p| v3(p).spread_hessian(p[3]))
    .jacobian(|p| v3(p).spread_jacobian(p[3]))
    .run(&pts);
    // mixed f64 / f32: H = [[0, 2y], [2y, 0]]
    for (x, y) in [(0.5, 1.5f32), (-1.0, 0.25), (2.0, -0.5)] {
        let (v, g, h) = mixed_floats_hessian(x, y);
        assert_close(v, mixed_floats(x, y), "mixed_floats value");
        let (_, (gx, gy)) = mixed_floats_grad(x, y);
        assert_eq!(g.len(), 2, "mixed_floats gradient over (x, y)");
        assert_close(g[0], gx, "mixed_floats d/dx");
        assert!((g[1] - gy as f64).abs() < 1e-6, "mixed_floats d/dy");
        let y64 = y as f64;
        assert!((h[0][0]).abs() < 1e-12 && (h[1][1] - 2.0 * x).abs() < 1e-5, "mixed_floats H diagonal {h:?}");
        assert!((h[0][1] - 2.0 * y64).abs() < 1e-5 && h[0][1] == h[1][0], "mixed_floats H off-diagonal {h:?}");
        let (_, _, (hx, hy)) = mixed_floats_hvp(x, 1.0, y, 0.0);
        assert!(hx.abs() < 1e-12 && ((hy as f64) - 2.0 * y64).abs() < 1e-5, "mixed_floats_hvp(e_x) = ({hx}, {hy})");
    }
    second_unary!([0.4, 0.9, 1.7], const_receivers, const_receivers_grad, const_receivers_hvp, const_receivers_hessian, const_receivers_jacobian, const_receivers_second_derivative, const_receivers_d2);
    #[cfg(any())]
    rc_model();
    let (dt, steps) = (0.01, 300);
    for n in [2usize, 3] {
        let mut ranges = vec![(-1.0, 1.0); 2 * n];
        ranges.push((0.5, 2.0));
        let pts = points_in::<f64>(&ranges, 2, 1102 + n as u64);
        Second::new("sim_energy (300 steps)", |p| sim_energy(&p[..n], &p[n..2 * n], p[2 * n], dt, steps), |p| {
            let (v, (gx, gv, gk)) = sim_energy_grad(&p[..n], &p[n..2 * n], p[2 * n], dt, steps);
            (v, cat(&[&gx, &gv, &[gk]]))
        }, |p, d| {
            let (v, (gx, gv, gk), (hx, hv, hk)) = sim_energy_hvp(&p[..n], &d[..n], &p[n..2 * n], &d[n..2 * n], p[2 * n], d[2 * n], dt, steps);
            (v, cat(&[&gx, &gv, &[gk]]), cat(&[&hx, &hv, &[hk]]))
        })
        .hessian(|p| sim_energy_hessian(&p[..n], &p[n..2 * n], p[2 * n], dt, steps))
        .jacobian(|p| sim_energy_jacobian(&p[..n], &p[n..2 * n], p[2 * n], dt, steps))
        .run(&pts);
    }
    let pts = points::<f64>(4, 3, -1.0, 1.0, 1104);
    second_slice_scalar!(pts, deep_a, deep_a_grad, deep_a_hvp, deep_a_hessian, deep_a_jacobian);
    second_unary!([-1.3, -0.4, 0.3, 1.7], late_init, late_init_grad, late_init_hvp, late_init_hessian, late_init_jacobian, late_init_second_derivative, |x: f64| {
        if x > 0.0 { 18.0 * x } else { -6.0 }
    });
    for n in [1usize, 4] {
        let pts = points::<f64>(n, 3, -1.2, 1.2, 1105 + n as u64);
        second_slice!(pts, for_refs, for_refs_grad, for_refs_hvp, for_refs_hessian, for_refs_jacobian);
    }
    fn scaled_case<F: Float + Debug>() {
        let xs: Vec<F> = [-0.9, 0.2, 1.1].iter().map(|&v| c::<F>(v)).collect();
        for a in [0.5, 2.0] {
            let a = c::<F>(a);
            check_second_derivative("gen_scaled", &xs, |x| gen_scaled(x, a), |x| gen_scaled_second_derivative(x, a), |x| gen_scaled_hvp(x, F::one(), a).2, |x| {
                c::<F>(6.0) * a * x - a * a * (a * x).sin()
            });
        }
    }
    scaled_case::<f64>();
    scaled_case::<f32>();
}

// ===========================================================================
// 13. edge cases: unused and constant inputs, empty slices, the active
//     scalar not first, `&f64`, nested arrays and array fields
// ===========================================================================

/// `y` is active but unused.
#[differentiable]
fn unused_input(x: f64, _y: f64) -> f64 {
    x * x * x + 0.0 * 1.0
}

#[differentiable]
fn constant_fn(x: f64) -> f64 {
    let _ = x;
    3.0
}

#[differentiable]
fn linear_fn(x: &[f64], t: f64) -> f64 {
    let mut s = 2.0 * t;
    for i in 0..x.len() {
        s += (i as f64 - 1.5) * x[i];
    }
    s
}

/// The one active scalar comes second.
#[differentiable]
fn second_arg(#[no_grad] a: f64, x: f64) -> f64 {
    a * x.exp() * x
}

/// `&f64` is an active input.
#[differentiable]
fn ref_scalar(a: &f64, x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += (*a * x[i]).sin() * *a;
    }
    s
}

#[differentiable]
fn points_vec(p: &Vec<[f64; 3]>) -> f64 {
    let mut s = 0.0;
    for i in 0..p.len() {
        s += p[i][0] * p[i][1] * p[i][2] + p[i][0].powi(3);
    }
    s
}

#[differentiable]
fn points_fixed(p: &[[f64; 3]; 4]) -> f64 {
    let mut c = [0.0; 3];
    for i in 0..4 {
        for k in 0..3 {
            c[k] += p[i][k] * 0.25;
        }
    }
    let mut s = 0.0;
    for i in 0..4 {
        for k in 0..3 {
            s += (p[i][k] - c[k]).powi(2) * p[i][(k + 1) % 3];
        }
    }
    s
}

#[differentiable]
fn nested_result(x: &[f64]) -> [[f64; 2]; 2] {
    let mut m = [[0.0; 2]; 2];
    m[0][0] = x[0] * x[1];
    m[0][1] = x[1].sin();
    m[1][0] = x[0] + x[1] * x[1];
    m[1][1] = (x[0] * x[1]).exp();
    m
}

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Body {
    pub p: [f64; 3],
    pub m: f64,
    pub tag: usize,
}

/// A struct with an array field and an integer field, by value and by `&`.
#[differentiable]
fn body_energy(b: Body, o: &Body) -> f64 {
    let mut r2 = 0.0;
    for k in 0..3 {
        let d = b.p[k] - o.p[k];
        r2 += d * d;
    }
    let w = if b.tag == 1 { 2.0 } else { 1.0 };
    -w * b.m * o.m / (r2 + 0.5).sqrt()
}

#[test]
fn edge_cases() {
    let pts = points::<f64>(2, 3, -1.5, 1.5, 1200);
    second_scalars!(pts, unused_input, unused_input_grad, unused_input_hvp, unused_input_hessian, unused_input_jacobian; 0, 1);
    for p in &pts {
        assert_mat_close(&unused_input_hessian(p[0], p[1]).2, &[vec![6.0 * p[0], 0.0], vec![0.0, 0.0]], "unused input Hessian");
    }
    second_unary!([-1.0, 0.5, 2.0], constant_fn, constant_fn_grad, constant_fn_hvp, constant_fn_hessian, constant_fn_jacobian, constant_fn_second_derivative, |_x: f64| 0.0);
    for n in [0usize, 3] {
        let pts = points::<f64>(n + 1, 3, -1.5, 1.5, 1201 + n as u64);
        second_slice_scalar!(pts, linear_fn, linear_fn_grad, linear_fn_hvp, linear_fn_hessian, linear_fn_jacobian);
        for p in &pts {
            let h = linear_fn_hessian(&p[..n], p[n]).2;
            assert!(h.iter().flatten().all(|&v| v == 0.0), "linear function: H = {h:?}, want exactly 0");
        }
    }
    // an empty slice: 0 x 0 Hessian
    let (v, g, h) = sum_sq_hessian(&[]);
    assert_eq!((v, g.len(), h.len()), (0.0, 0, 0), "sum_sq_hessian(&[])");
    let (v, g, hv) = sum_sq_hvp(&[], &[]);
    assert_eq!((v, g.len(), hv.len()), (0.0, 0, 0), "sum_sq_hvp(&[], &[])");
    for a in [0.5, -1.5] {
        check_second_derivative("second_arg", &[-0.8, 0.3, 1.2], |x| second_arg(a, x), |x| second_arg_second_derivative(a, x), |x| second_arg_hvp(a, x, 1.0).2, |x| {
            a * (x + 2.0) * x.exp()
        });
    }
    let pts = points::<f64>(4, 3, -1.2, 1.2, 1210);
    Second::new("ref_scalar", |p| ref_scalar(&p[0], &p[1..]), |p| {
        let (v, (ga, gx)) = ref_scalar_grad(&p[0], &p[1..]);
        (v, cat(&[&[ga], &gx]))
    }, |p, d| {
        let (v, (ga, gx), (ha, hx)) = ref_scalar_hvp(&p[0], &d[0], &p[1..], &d[1..]);
        (v, cat(&[&[ga], &gx]), cat(&[&[ha], &hx]))
    })
    .hessian(|p| ref_scalar_hessian(&p[0], &p[1..]))
    .jacobian(|p| ref_scalar_jacobian(&p[0], &p[1..]))
    .run(&pts);
    let rows = |s: &[f64]| -> Vec<[f64; 3]> { s.chunks(3).map(arr).collect() };
    let frows = |r: &[[f64; 3]]| -> Vec<f64> { r.concat() };
    let pts = points::<f64>(6, 3, -1.2, 1.2, 1211);
    Second::new("points_vec", |p| points_vec(&rows(p)), |p| {
        let (v, g) = points_vec_grad(&rows(p));
        (v, frows(&g))
    }, |p, d| {
        let (v, g, h) = points_vec_hvp(&rows(p), &rows(d));
        (v, frows(&g), frows(&h))
    })
    .hessian(|p| points_vec_hessian(&rows(p)))
    .jacobian(|p| points_vec_jacobian(&rows(p)))
    .run(&pts);
    let fixed4 = |s: &[f64]| -> [[f64; 3]; 4] { [arr(&s[0..3]), arr(&s[3..6]), arr(&s[6..9]), arr(&s[9..12])] };
    let pts = points::<f64>(12, 3, -1.2, 1.2, 1212);
    Second::new("points_fixed", |p| points_fixed(&fixed4(p)), |p| {
        let (v, g) = points_fixed_grad(&fixed4(p));
        (v, g.concat())
    }, |p, d| {
        let (v, g, h) = points_fixed_hvp(&fixed4(p), &fixed4(d));
        (v, g.concat(), h.concat())
    })
    .hessian(|p| points_fixed_hessian(&fixed4(p)))
    .jacobian(|p| points_fixed_jacobian(&fixed4(p)))
    .run(&pts);
    let pts = points::<f64>(2, 3, -1.2, 1.2, 1213);
    check_jacobian_fn("nested_result", &pts, 4, |p| nested_result(p).concat(), |p| {
        let (y, j) = nested_result_jacobian(p);
        (y.concat(), j)
    }, |p, v| {
        let (y, dy) = nested_result_jvp(p, v);
        (y.concat(), dy.concat())
    }, |p, w| {
        let mut g = vec![0.0; 2];
        let (y, ()) = nested_result_vjp(p, &mut g, [arr(&w[..2]), arr(&w[2..])]);
        (y.concat(), g)
    });
    let body = |s: &[f64], tag: usize| Body { p: arr(&s[..3]), m: s[3], tag };
    let fbody = |b: Body| -> Vec<f64> { cat(&[&b.p, &[b.m]]) };
    let mut ranges = vec![(-1.0, 1.0); 3];
    ranges.push((0.5, 2.0));
    let ranges = ranges.repeat(2);
    let pts = points_in::<f64>(&ranges, 3, 1214);
    for tag in [0usize, 1] {
        Second::new("body_energy", |p| body_energy(body(&p[..4], tag), &body(&p[4..], 0)), |p| {
            let (v, (gb, go)) = body_energy_grad(body(&p[..4], tag), &body(&p[4..], 0));
            (v, cat(&[&fbody(gb), &fbody(go)]))
        }, |p, d| {
            let (v, (gb, go), (hb, ho)) = body_energy_hvp(body(&p[..4], tag), body(&d[..4], tag), &body(&p[4..], 0), &body(&d[4..], 0));
            (v, cat(&[&fbody(gb), &fbody(go)]), cat(&[&fbody(hb), &fbody(ho)]))
        })
        .hessian(|p| body_energy_hessian(body(&p[..4], tag), &body(&p[4..], 0)))
        .jacobian(|p| body_energy_jacobian(body(&p[..4], tag), &body(&p[4..], 0)))
        .run(&pts);
    }
}

// ===========================================================================
// 14. attributes: `float = T`
// ===========================================================================

#[differentiable]
fn rosen_fast(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = 1.0 - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + 100.0 * b * b;
    }
    s
}

/// Only struct parameters and no result: the float type is named.
#[differentiable(float = f64)]
fn normalize_mut_f(a: &mut Vec3) {
    let n = (a.x * a.x + a.y * a.y + a.z * a.z).sqrt();
    a.x /= n;
    a.y = a.y / n;
    a.z *= 1.0 / n;
}

#[test]
fn attributes() {
    for n in [2usize, 6] {
        let pts = points::<f64>(n, 3, -1.5, 1.5, 1300 + n as u64);
        second_slice!(pts, rosen_fast, rosen_fast_grad, rosen_fast_hvp, rosen_fast_hessian, rosen_fast_jacobian);
        for p in &pts {
            assert_mat_close(&rosen_fast_hessian(p).2, &rosenbrock_h(p), "rosen_fast Hessian");
        }
    }
    let pts = points::<f64>(3, 3, 0.3, 1.5, 1310);
    check_jacobian_fn("normalize_mut_f", &pts, 3, |p| {
        let mut a = v3(p);
        normalize_mut_f(&mut a);
        a.flat()
    }, |p| {
        let mut a = v3(p);
        let ((), j) = normalize_mut_f_jacobian(&mut a);
        (a.flat(), j)
    }, |p, v| {
        let (mut a, mut da) = (v3(p), v3(v));
        normalize_mut_f_jvp(&mut a, &mut da);
        (a.flat(), da.flat())
    }, |p, w| {
        let (mut a, mut ga) = (v3(p), v3(w));
        normalize_mut_f_vjp(&mut a, &mut ga);
        (a.flat(), ga.flat())
    });
    // closed form: (I - u uᵀ) / r
    for p in &pts {
        let r = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
        let want: Vec<Vec<f64>> = (0..3).map(|i| (0..3).map(|j| ((if i == j { 1.0 } else { 0.0 }) - p[i] * p[j] / (r * r)) / r).collect()).collect();
        assert_mat_close(&normalize_mut_f_jacobian(&mut v3(p)).1, &want, "normalize Jacobian");
    }
}
