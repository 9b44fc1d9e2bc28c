//! Differentiable functions passed to function parameters (`rhs: F` with
//! `F: Fn(..)`): an RK4 integrator taking its right-hand side, called by a
//! differentiable loss with the right-hand side's name, and the emitted API
//! of the integrator itself with `leibniz::diff_fn!(name)`. Checked against
//! finite differences in every mode, second order included.

#[macro_use]
mod common;

use common::*;
use leibniz::check;
use leibniz::prelude::*;

/// A damped oscillator, `p = [k, c]`.
#[differentiable]
pub fn oscillator(y: &[f64], p: &[f64], dy: &mut [f64]) {
    dy[0] = y[1];
    dy[1] = -p[0] * y[0] - p[1] * y[1];
}

/// One classical RK4 step, generic in its right-hand side.
#[differentiable]
pub fn rk4_step<F: Fn(&[f64], &[f64], &mut [f64])>(f: F, y: &mut [f64], p: &[f64], h: f64) {
    let n = y.len();
    let mut k1 = vec![0.0; n];
    let mut k2 = vec![0.0; n];
    let mut k3 = vec![0.0; n];
    let mut k4 = vec![0.0; n];
    let mut t = vec![0.0; n];
    f(&*y, p, &mut k1);
    for i in 0..n {
        t[i] = y[i] + 0.5 * h * k1[i];
    }
    f(&t, p, &mut k2);
    for i in 0..n {
        t[i] = y[i] + 0.5 * h * k2[i];
    }
    f(&t, p, &mut k3);
    for i in 0..n {
        t[i] = y[i] + h * k3[i];
    }
    f(&t, p, &mut k4);
    for i in 0..n {
        y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    }
}

/// Integrates and measures the final displacement against a target.
#[differentiable]
pub fn loss(p: &[f64], y0: &[f64], target: f64) -> f64 {
    let mut y = y0.to_vec();
    for _ in 0..20 {
        rk4_step(oscillator, &mut y, p, 0.05);
    }
    let e = y[0] - target;
    e * e
}

/// A generic scalar right-hand side, passed through two levels.
#[differentiable]
pub fn logistic_rate(x: f64, r: f64) -> f64 {
    r * x * (1.0 - x)
}

#[differentiable]
pub fn euler_scalar<F: Fn(f64, f64) -> f64>(f: F, x0: f64, r: f64, steps: usize) -> f64 {
    let mut x = x0;
    for _ in 0..steps {
        x = x + 0.1 * f(x, r);
    }
    x
}

#[differentiable]
pub fn twice<G: Fn(f64, f64) -> f64>(g: G, x0: f64, r: f64) -> f64 {
    euler_scalar(&g, x0, r, 5) + euler_scalar(&g, x0 * 0.5, r, 3)
}

#[differentiable]
pub fn growth(x0: f64, r: f64) -> f64 {
    twice(logistic_rate, x0, r)
}

#[test]
fn rk4_by_name_in_every_mode() {
    let y0 = [1.0, 0.0];
    let pts = points_in::<f64>(&[(1.0, 4.0), (0.05, 0.5)], 4, 1);
    check_all(
        "loss",
        &pts,
        |p| loss(p, &y0, 0.3),
        |p| {
            let (v, (g, _, _)) = loss_grad(p, &y0, 0.3);
            (v, g)
        },
        |p, d| loss_jvp(p, d, &y0, &[0.0, 0.0], 0.3, 0.0),
        |p, w| {
            let mut g = zeros(2);
            let (v, _) = loss_vjp(p, &mut g, &y0, &mut zeros(2), 0.3, w);
            (v, g)
        },
    );
}

#[test]
fn rk4_second_order() {
    let y0 = [1.0, 0.0];
    for p in points_in::<f64>(&[(1.0, 4.0), (0.05, 0.5)], 3, 2) {
        for v in points::<f64>(2, 2, -1.0, 1.0, 3) {
            let (_, _, hv) = loss_hvp(&p, &v, &y0, &[0.0, 0.0], 0.3, 0.0);
            check::check_hvp(|q| loss_grad(q, &y0, 0.3).1.0, &hv.0, &p, &v).unwrap_or_else(|e| panic!("{p:?} {v:?}: {e:?}"));
        }
    }
}

#[test]
fn scalar_right_hand_side_through_two_levels() {
    check_scalars!(points_in::<f64>(&[(0.1, 0.9), (0.5, 2.0)], 4, 4), growth, growth_grad, growth_jvp, growth_vjp; 0, 1);
    for (x, r) in [(0.3, 1.2), (0.6, 0.8)] {
        let d2 = growth_hvp(x, 1.0, r, 0.0).2;
        let h = 1e-5;
        let fd = (growth_grad(x + h, r).1.0 - growth_grad(x - h, r).1.0) / (2.0 * h);
        assert!((d2.0 - fd).abs() < 1e-6 * (1.0 + fd.abs()), "{d2:?} {fd}");
    }
}

#[test]
fn emitted_api_of_the_integrator_with_diff_fn() {
    // The derivative of one step with respect to the state, column by column.
    let p = [2.0, 0.3];
    let y0 = [0.7, -0.2];
    let step = |y: &[f64]| {
        let mut y = y.to_vec();
        rk4_step(oscillator, &mut y, &p, 0.1);
        y
    };
    let fd = check::fd_jacobian(step, &y0);
    for j in 0..2 {
        let mut y = y0.to_vec();
        let mut dy = unit::<f64>(2, j);
        rk4_step_jvp(leibniz::diff_fn!(oscillator), &mut y, &mut dy, &p, &[0.0, 0.0], 0.1, 0.0);
        for i in 0..2 {
            assert!((dy[i] - fd[i][j]).abs() < 1e-7, "J[{i}][{j}]: {} vs {}", dy[i], fd[i][j]);
        }
    }
    // Reverse mode: the adjoint of y0 and of p.
    let mut y = y0.to_vec();
    let mut by = vec![1.0, 0.0];
    let mut bp = vec![0.0, 0.0];
    let ((), bh) = ((), rk4_step_vjp(leibniz::diff_fn!(oscillator), &mut y, &mut by, &p, &mut bp, 0.1));
    let _ = bh;
    for j in 0..2 {
        assert!((by[j] - fd[0][j]).abs() < 1e-7, "row 0: {by:?} vs {:?}", fd[0]);
    }
}

/// A function-pointer parameter.
#[differentiable]
pub fn apply_twice(f: fn(f64, f64) -> f64, x: f64, r: f64) -> f64 {
    f(f(x, r), r)
}

#[differentiable]
pub fn twice_logistic(x: f64, r: f64) -> f64 {
    apply_twice(logistic_rate, x, r)
}

#[test]
fn function_pointer_parameters() {
    check_scalars!(points_in::<f64>(&[(0.1, 0.9), (0.5, 2.0)], 4, 9), twice_logistic, twice_logistic_grad, twice_logistic_jvp, twice_logistic_vjp; 0, 1);
}

/// An `Option<usize>` parameter is a constant (enzyme bugs #13).
#[differentiable]
pub fn pick_sq(x: &[f64], k: Option<usize>) -> f64 {
    match k {
        Some(i) => x[i] * x[i],
        None => 0.0,
    }
}

#[test]
fn option_of_integer_is_constant() {
    let x = [1.0, 2.0, 3.0];
    let (v, g) = pick_sq_grad(&x, Some(2));
    assert_eq!(v, 9.0);
    leibniz::check::assert_gradient(|x: &[f64]| pick_sq(x, Some(2)), &g, &x);
    let (_, d) = pick_sq_jvp(&x, &[0.0, 0.0, 1.0], Some(2));
    assert!((d - 6.0).abs() < 1e-12);
}
