//! The classes of silently wrong derivatives of issue 6, each against
//! central finite differences or a closed form evaluated independently.

#[macro_use]
mod common;

use common::*;
use leibniz::check;
use leibniz::prelude::*;

// ----- 1. a value used only on the branch not taken ----------------------------

#[differentiable]
fn acos_untaken(x: f64) -> f64 {
    let u = x.acos();
    if x < 1.0 { u } else { x * 2.0 }
}

#[differentiable]
fn safe_sqrt(x: f64) -> f64 {
    let r = x.sqrt();
    if x > 0.0 { r } else { 0.0 }
}

#[differentiable]
fn div_untaken(x: f64, y: f64) -> f64 {
    let q = y / (x - 1.0);
    if x == 1.0 { y * 3.0 } else { q }
}

#[differentiable]
fn untaken_in_loop(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let l = x[i].ln();
        let r = (1.0 - x[i]).sqrt();
        if x[i] > 0.0 {
            s += l;
        } else {
            s += x[i] * x[i];
        }
        if x[i] < 1.0 {
            s += r;
        }
    }
    s
}

#[differentiable]
fn untaken_array(x: &[f64]) -> f64 {
    let mut r = vec![0.0; x.len()];
    for i in 0..x.len() {
        r[i] = x[i].sqrt();
    }
    let mut s = 0.0;
    for i in 0..x.len() {
        if x[i] >= 0.0 {
            s += r[i];
        } else {
            s -= x[i];
        }
    }
    s
}

#[test]
fn untaken_branches_do_not_poison() {
    for (x, want) in [(2.0, 2.0), (0.5, -1.0 / (1.0f64 - 0.25).sqrt())] {
        let (_, g) = acos_untaken_grad(x);
        assert_close(g, want, "acos_untaken");
        let (_, d) = acos_untaken_jvp(x, 1.0);
        assert_close(d, want, "acos_untaken jvp");
    }
    let (_, g) = safe_sqrt_grad(-1.0);
    assert_eq!(g, 0.0, "safe sqrt at -1");
    let (_, g) = safe_sqrt_grad(4.0);
    assert_close(g, 0.25, "safe sqrt at 4");
    let (_, (gx, gy)) = div_untaken_grad(1.0, 2.0);
    assert_eq!((gx, gy), (0.0, 3.0), "division by zero on the untaken side");
    let x = [2.0, -1.0, 0.5];
    let (_, g) = untaken_in_loop_grad(&x);
    assert!(g.iter().all(|v| v.is_finite()), "untaken_in_loop: {g:?}");
    check::assert_gradient(|x: &[f64]| untaken_in_loop(x), &g, &x);
    let (_, g) = untaken_array_grad(&x);
    assert!(g.iter().all(|v| v.is_finite()), "untaken_array: {g:?}");
    check::assert_gradient(|x: &[f64]| untaken_array(x), &g, &x);
    // Tapes and vjp agree.
    let mut gx = vec![0.0; 3];
    untaken_array_vjp(&x, &mut gx, 1.0);
    assert_eq!(gx, g);
}

// ----- 2. work hoisted out of a loop that does not run ---------------------------

#[differentiable]
fn hoisted_zero_trip(x: f64, n: usize) -> f64 {
    let mut s = x;
    for _ in 0..n {
        s += x.acos();
    }
    s
}

#[derive(Clone, Debug, Differentiable)]
struct Weights {
    w: Vec<f64>,
}

impl Weights {
    #[differentiable]
    fn fifth(#[no_grad] &self, x: f64, n: usize) -> f64 {
        let mut s = x;
        for i in 0..n {
            s += self.w[5] * x * i as f64;
        }
        s
    }
}

#[test]
fn hoisting_out_of_empty_loops() {
    assert_eq!(hoisted_zero_trip_grad(2.0, 0), (2.0, 1.0));
    let (v, g) = hoisted_zero_trip_grad(0.5, 3);
    assert_close(v, 0.5 + 3.0 * 0.5f64.acos(), "value");
    assert_close(g, 1.0 - 3.0 / (1.0f64 - 0.25).sqrt(), "d/dx");
    let empty = Weights { w: Vec::new() };
    assert_eq!(empty.fifth_grad(1.5, 0), (1.5, 1.0), "self.w[5] with an empty w and no iteration");
    let full = Weights { w: vec![0.0, 0.0, 0.0, 0.0, 0.0, 2.0] };
    let (_, g) = full.fifth_grad(1.5, 3);
    assert_close(g, 1.0 + 2.0 * 3.0, "self.w[5] hoisted");
}

// ----- 3. rules at extreme magnitudes -------------------------------------------

#[differentiable]
fn atan2_xy(y: f64, x: f64) -> f64 {
    y.atan2(x)
}

#[differentiable]
fn unary(x: f64, k: usize) -> f64 {
    match k {
        0 => x.asinh(),
        1 => x.acosh(),
        2 => x.atan(),
        3 => x.sqrt(),
        4 => x.cbrt(),
        5 => x.ln(),
        6 => x.recip(),
        7 => x.tanh(),
        8 => x.powi(3),
        9 => x.asin(),
        10 => x.acos(),
        11 => x.atanh(),
        12 => x.exp(),
        13 => x.log10(),
        _ => x.powf(2.5),
    }
}

#[differentiable]
fn hypot_xy(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

/// Just below 1: `1 - X1` is exact, so the closed forms below are.
const X1: f64 = 1.0 - 1e-12;

fn rel(a: f64, b: f64) -> f64 {
    if a == b { 0.0 } else { ((a - b) / b).abs() }
}

#[test]
fn extreme_magnitudes() {
    for s in [1e-200, 1e-160, 1e-100, 1.0, 1e100, 1e160, 1e200] {
        let (y, x) = (0.6 * s, 0.8 * s);
        let (_, (gy, gx)) = atan2_xy_grad(y, x);
        // d/dy atan2 = x/(x²+y²) = 0.8/s, d/dx = -y/(x²+y²) = -0.6/s
        assert!(rel(gy, 0.8 / s) < 1e-14, "atan2 d/dy at {s}: {gy} vs {}", 0.8 / s);
        assert!(rel(gx, -0.6 / s) < 1e-14, "atan2 d/dx at {s}: {gx}");
        let (_, (hx, hy)) = hypot_xy_grad(0.8 * s, 0.6 * s);
        assert!(rel(hx, 0.8) < 1e-14 && rel(hy, 0.6) < 1e-14, "hypot at {s}: {hx} {hy}");
    }
    // (k, x, closed form of the derivative computed stably)
    let cases: &[(usize, f64, f64)] = &[
        (0, 1e160, 1e-160),
        (0, 1e300, 1e-300),
        (0, -1e200, 1e-200),
        (1, 1e160, 1e-160),
        (1, 1e300, 1e-300),
        (2, 1e100, 1e-200),
        (2, 1e160, 1e-320),
        (3, 1e-300, 0.5e150),
        (3, 1e300, 0.5e-150),
        (4, 1e-300, 1.0 / (3.0 * 1e-200)),
        (4, 1e300, 1.0 / (3.0 * 1e200)),
        (5, 1e-300, 1e300),
        (5, 1e300, 1e-300),
        (6, 1e-150, -1e300),
        (6, 1e150, -1e-300),
        (7, 30.0, 4.0 * (-60.0f64).exp()),
        (8, 1e-100, 3e-200),
        (8, 1e100, 3e200),
        (9, X1, 1.0 / ((1.0 - X1) * (1.0 + X1)).sqrt()),
        (10, -X1, -1.0 / ((1.0 - X1) * (1.0 + X1)).sqrt()),
        (11, X1, 1.0 / ((1.0 - X1) * (1.0 + X1))),
        (12, 700.0, 700.0f64.exp()),
        (12, -700.0, (-700.0f64).exp()),
        (13, 1e-300, 1e300 / std::f64::consts::LN_10),
        (14, 1e100, 2.5 * 1e150),
        (14, 1e-100, 2.5 * 1e-150),
    ];
    for &(k, x, want) in cases {
        let (_, g) = unary_grad(x, k);
        assert!(rel(g, want) < 1e-10, "rule {k} at x = {x:e}: {g:e} vs {want:e}");
        let (_, d) = unary_jvp(x, 1.0, k);
        assert!(rel(d, want) < 1e-10, "rule {k} (jvp) at x = {x:e}: {d:e} vs {want:e}");
    }
}

// ----- 4. #[cfg] on statements ----------------------------------------------------

#[differentiable]
fn cfg_statement(x: f64) -> f64 {
    #[cfg(not(debug_assertions))]
    let x = x * 2.0;
    #[cfg(debug_assertions)]
    let x = x * 3.0;
    x * x
}

#[test]
fn cfg_is_honoured() {
    let k = if cfg!(debug_assertions) { 3.0 } else { 2.0 };
    let (v, g) = cfg_statement_grad(1.5);
    assert_close(v, cfg_statement(1.5), "value");
    assert_close(g, 2.0 * k * k * 1.5, "d/dx");
    let (_, d) = cfg_statement_jvp(1.5, 1.0);
    assert_close(d, 2.0 * k * k * 1.5, "jvp");
}

// ----- 5. evaluation order ---------------------------------------------------------

#[differentiable]
#[allow(clippy::assign_op_pattern)]
fn order(x: f64) -> f64 {
    let mut s = x;
    s += {
        s *= 2.0;
        s
    };
    s * x
}

#[test]
fn rust_evaluation_order() {
    // Rust: the right side first (s = 2x, value 2x), then s += 2x: s = 4x.
    assert_close(order(1.5), 4.0 * 1.5 * 1.5, "primal");
    let (v, g) = order_grad(1.5);
    assert_close(v, order(1.5), "value");
    assert_close(g, 8.0 * 1.5, "d/dx of 4x²");
}

// ----- 6. parameters that are floats in disguise ---------------------------------

type Real = f64;

#[differentiable]
fn alias_param(x: Real, y: core::primitive::f64) -> f64 {
    x * y + x
}

#[differentiable]
fn ref_scalar(x: &f64, y: f64) -> f64 {
    *x * y
}

#[test]
fn no_silent_constants() {
    let (_, (gx, gy)) = alias_param_grad(2.0, 3.0);
    assert_eq!((gx, gy), (4.0, 2.0));
    let (_, (gx, gy)) = ref_scalar_grad(&2.0, 3.0);
    assert_eq!((gx, gy), (3.0, 2.0));
    let mut bx = 0.0;
    let (_, gy) = ref_scalar_vjp(&2.0, &mut bx, 3.0, 1.0);
    assert_eq!((bx, gy), (3.0, 2.0));
}
