//! Correctness corpus, part 1: scalar code. `let` / `let mut`, reassignment
//! and compound assignment, every std float method of DESIGN §3 in method
//! and path form, constants, casts, tuple patterns, `wrt` / `#[no_grad]`,
//! `_derivative`, `f32`, and the documented conventions at kinks.
//!
//! Every function is checked at several points against central finite
//! differences, `_jvp` against `_grad`, `_vjp` against `_grad`, and the
//! dot-product test (see `common::check_all`).

#![allow(unexpected_cfgs)]

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;
use std::f64::consts::TAU;

// ---------------------------------------------------------------------------
// let, let mut, arithmetic, unary minus, compound assignment

#[differentiable]
pub fn compound(x: f64, y: f64) -> f64 {
    let a = x * y + 1.0;
    let mut s = a * x;
    s += y;
    s -= 0.5 * x * x;
    s *= y - 2.0;
    s /= 1.0 + a * a;
    let t: f64 = -s + x / (1.0 + y * y);
    t
}

#[test]
fn compound_assignment() {
    check_scalars!(points::<f64>(2, 4, -2.0, 2.0, 1), compound, compound_grad, compound_jvp, compound_vjp; 0, 1);
}

/// Every value is overwritten while the backward sweep still needs the old
/// one (`y = y.sin()` needs the old `y` for its cosine).
#[differentiable]
fn overwrite_chain(x: f64) -> f64 {
    let mut y = x;
    y = y.sin();
    y = y * y + x;
    y = y.exp();
    y *= x;
    y = y.sqrt();
    y /= 1.0 + x;
    y -= x * y;
    y
}

#[test]
fn overwrite_needed_values() {
    let xs = [0.2, 0.7, 1.3, 2.1];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, overwrite_chain, overwrite_chain_grad, overwrite_chain_jvp, overwrite_chain_vjp; 0);
    check_unary!(
        xs,
        overwrite_chain,
        overwrite_chain_derivative,
        overwrite_chain_jvp
    );
}

/// A variable that is reassigned from itself many times in a row.
#[differentiable]
pub fn reassign_self(x: f64, y: f64) -> f64 {
    let mut a = x;
    a = a * y;
    a = a * a;
    a = a + y;
    a = a.cos();
    let mut b = a;
    b = b * x - a;
    a = b / (1.0 + a * a);
    a
}

#[test]
fn reassignment() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 2), reassign_self, reassign_self_grad, reassign_self_jvp, reassign_self_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// trigonometric

#[differentiable]
fn trig_methods(x: f64) -> f64 {
    x.sin() * 2.0 + x.cos() * x + (0.5 * x).tan()
}

#[differentiable]
fn trig_paths(x: f64) -> f64 {
    f64::sin(x) * 2.0 + f64::cos(x) * x + f64::tan(0.5 * x)
}

#[test]
fn trigonometric() {
    let xs = [-1.4, -0.3, 0.6, 1.2];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, trig_methods, trig_methods_grad, trig_methods_jvp, trig_methods_vjp; 0);
    check_scalars!(pts, trig_paths, trig_paths_grad, trig_paths_jvp, trig_paths_vjp; 0);
    check_unary!(xs, trig_methods, trig_methods_derivative, trig_methods_jvp);
    check_unary!(xs, trig_paths, trig_paths_derivative, trig_paths_jvp);
}

#[differentiable]
fn inverse_trig(x: f64, y: f64) -> f64 {
    x.asin() + (0.5 * x).acos() * y + (x * y).atan() + y.atan2(x + 2.0)
}

#[differentiable]
fn inverse_trig_paths(x: f64, y: f64) -> f64 {
    f64::asin(x) + f64::acos(0.5 * x) * y + f64::atan(x * y) + f64::atan2(y, x + 2.0)
}

#[test]
fn inverse_trigonometric() {
    let pts = points_in::<f64>(&[(-0.9, 0.9), (-2.0, 2.0)], 4, 3);
    check_scalars!(pts, inverse_trig, inverse_trig_grad, inverse_trig_jvp, inverse_trig_vjp; 0, 1);
    check_scalars!(pts, inverse_trig_paths, inverse_trig_paths_grad, inverse_trig_paths_jvp, inverse_trig_paths_vjp; 0, 1);
}

/// `atan2` in all four quadrants (away from the branch cut on the negative
/// x axis).
#[differentiable]
pub fn angle(y: f64, x: f64) -> f64 {
    y.atan2(x)
}

#[test]
fn atan2_quadrants() {
    let pts = fixed::<f64>(&[
        &[0.8, 1.1],
        &[0.9, -1.3],
        &[-0.7, -0.4],
        &[-1.2, 0.5],
        &[2.0, -0.1],
    ]);
    check_scalars!(pts, angle, angle_grad, angle_jvp, angle_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// hyperbolic

#[differentiable]
fn hyperbolic(x: f64) -> f64 {
    x.sinh()
        + x.cosh() * 0.5
        + (2.0 * x).tanh()
        + x.asinh()
        + (x * x + 1.5).acosh()
        + (0.5 * x).atanh()
}

#[differentiable]
fn hyperbolic_paths(x: f64) -> f64 {
    f64::sinh(x)
        + f64::cosh(x) * 0.5
        + f64::tanh(2.0 * x)
        + f64::asinh(x)
        + f64::acosh(x * x + 1.5)
        + f64::atanh(0.5 * x)
}

#[test]
fn hyperbolic_functions() {
    let xs = [-1.5, -0.4, 0.25, 1.1];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, hyperbolic, hyperbolic_grad, hyperbolic_jvp, hyperbolic_vjp; 0);
    check_scalars!(pts, hyperbolic_paths, hyperbolic_paths_grad, hyperbolic_paths_jvp, hyperbolic_paths_vjp; 0);
    check_unary!(xs, hyperbolic, hyperbolic_derivative, hyperbolic_jvp);
}

// ---------------------------------------------------------------------------
// exponentials and logarithms (the base of `log` is active too)

#[differentiable]
fn exp_log(x: f64, b: f64) -> f64 {
    x.exp() + x.exp2() * 0.5 + x.exp_m1() + x.ln() * x + x.ln_1p() + x.log(b) + x.log2() + x.log10()
}

#[differentiable]
fn exp_log_paths(x: f64, b: f64) -> f64 {
    f64::exp(x)
        + f64::exp2(x) * 0.5
        + f64::exp_m1(x)
        + f64::ln(x) * x
        + f64::ln_1p(x)
        + f64::log(x, b)
        + f64::log2(x)
        + f64::log10(x)
}

#[test]
fn exponentials_and_logarithms() {
    let pts = points_in::<f64>(&[(0.3, 3.0), (1.5, 4.0)], 4, 4);
    check_scalars!(pts, exp_log, exp_log_grad, exp_log_jvp, exp_log_vjp; 0, 1);
    check_scalars!(pts, exp_log_paths, exp_log_paths_grad, exp_log_paths_jvp, exp_log_paths_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// roots and powers

#[differentiable]
fn roots_powers(x: f64, y: f64) -> f64 {
    x.sqrt() + x.cbrt() * y + x.powi(3) - y.powi(-2)
        + x.powf(y)
        + x.hypot(y)
        + (x + y * y).recip()
        + (-x).cbrt()
}

#[differentiable]
fn roots_powers_paths(x: f64, y: f64) -> f64 {
    f64::sqrt(x) + f64::cbrt(x) * y + f64::powi(x, 3) - f64::powi(y, -2)
        + f64::powf(x, y)
        + f64::hypot(x, y)
        + f64::recip(x + y * y)
        + f64::cbrt(-x)
}

#[test]
fn roots_and_powers() {
    let pts = points_in::<f64>(&[(0.3, 3.0), (0.5, 2.0)], 4, 5);
    check_scalars!(pts, roots_powers, roots_powers_grad, roots_powers_jvp, roots_powers_vjp; 0, 1);
    check_scalars!(pts, roots_powers_paths, roots_powers_paths_grad, roots_powers_paths_jvp, roots_powers_paths_vjp; 0, 1);
}

/// `powf` with a constant exponent and a constant base; `powi` with a
/// negative base.
#[differentiable]
fn powers_mixed(x: f64, y: f64) -> f64 {
    x.powf(2.5) + 2.0f64.powf(y) + (x - 5.0).powi(3) + f64::powf(1.5, x * y)
}

#[test]
fn powers_with_constant_parts() {
    let pts = points_in::<f64>(&[(0.3, 2.5), (-1.0, 1.5)], 4, 6);
    check_scalars!(pts, powers_mixed, powers_mixed_grad, powers_mixed_jvp, powers_mixed_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// non-smooth functions, away from their kinks

#[differentiable]
fn nonsmooth(x: f64, y: f64) -> f64 {
    x.abs() * y + x.signum() * y * y + x.min(y) * 2.0 + x.max(y) * x + (x * y).clamp(-0.5, 0.5)
}

#[differentiable]
fn nonsmooth_paths(x: f64, y: f64) -> f64 {
    f64::abs(x) * y
        + f64::signum(x) * y * y
        + f64::min(x, y) * 2.0
        + f64::max(x, y) * x
        + f64::clamp(x * y, -0.5, 0.5)
}

/// `clamp` whose bounds are active too.
#[differentiable]
fn clamp_active_bounds(x: f64, lo: f64, hi: f64) -> f64 {
    x.clamp(lo, hi) * (1.0 + x * x)
}

#[test]
fn nonsmooth_away_from_kinks() {
    // x != 0, x != y, |x y| != 0.5; both the clamped and the inner branch.
    let pts = fixed::<f64>(&[
        &[0.7, -1.3],
        &[-1.1, 0.4],
        &[1.6, 2.2],
        &[-0.3, -2.0],
        &[0.9, 0.2],
    ]);
    check_scalars!(pts, nonsmooth, nonsmooth_grad, nonsmooth_jvp, nonsmooth_vjp; 0, 1);
    check_scalars!(pts, nonsmooth_paths, nonsmooth_paths_grad, nonsmooth_paths_jvp, nonsmooth_paths_vjp; 0, 1);
    // below, inside and above the interval
    let pts = fixed::<f64>(&[
        &[-2.0, -1.0, 1.0],
        &[0.3, -1.0, 1.0],
        &[1.7, -1.0, 1.2],
        &[0.1, -0.5, 0.5],
    ]);
    check_scalars!(pts, clamp_active_bounds, clamp_active_bounds_grad, clamp_active_bounds_jvp, clamp_active_bounds_vjp; 0, 1, 2);
}

#[differentiable]
pub fn abs_of(x: f64) -> f64 {
    x.abs()
}

#[differentiable]
pub fn max_of(x: f64, y: f64) -> f64 {
    x.max(y)
}

#[differentiable]
pub fn floor_of(x: f64) -> f64 {
    x.floor() + x.ceil() + x.round() + x.trunc() + x.signum()
}

/// The documented one-sided conventions at kinks (DESIGN §3): `abs'(0) = 0`,
/// `max` passes the derivative to its first argument on ties, `floor`,
/// `ceil`, `round`, `trunc`, `signum` have derivative 0 (also at integers).
#[test]
fn conventions_at_kinks() {
    let tiny = 4.0 * f64::EPSILON;
    assert!(abs_of_derivative(0.0).abs() <= tiny, "abs'(0) must be 0");
    assert!(
        (abs_of_derivative(-0.0)).abs() <= tiny,
        "abs'(-0) must be 0"
    );
    let (_, (gx, gy)) = max_of_grad(1.25, 1.25);
    assert!(
        (gx - 1.0).abs() <= tiny && gy.abs() <= tiny,
        "max on a tie picks the first argument: {gx} {gy}"
    );
    let (_, (gx, gy)) = max_of_vjp(-0.5, -0.5, 3.0);
    assert!(
        (gx - 3.0).abs() <= tiny && gy.abs() <= tiny,
        "max_vjp on a tie: {gx} {gy}"
    );
    let (_, t) = max_of_jvp(2.0, 0.25, 2.0, 7.0);
    assert!(
        (t - 0.25).abs() <= tiny,
        "max_jvp on a tie follows the first argument: {t}"
    );
    for x in [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, 2.7] {
        assert!(
            floor_of_derivative(x).abs() <= tiny,
            "floor/ceil/round/trunc/signum' must be 0 at {x}"
        );
    }
}

// ---------------------------------------------------------------------------
// mul_add, rounding, fract

#[differentiable]
fn fused(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c) * f64::mul_add(b, c, a) + c.mul_add(c, -a)
}

#[test]
fn mul_add_both_forms() {
    check_scalars!(points::<f64>(3, 4, -2.0, 2.0, 7), fused, fused_grad, fused_jvp, fused_vjp; 0, 1, 2);
}

#[differentiable]
fn rounding(x: f64) -> f64 {
    x * x.floor() + x.ceil() * x.sin() + x.round() * x + x.trunc() - x.fract() * x
}

#[differentiable]
fn rounding_paths(x: f64) -> f64 {
    x * f64::floor(x) + f64::ceil(x) * f64::sin(x) + f64::round(x) * x + f64::trunc(x)
        - f64::fract(x) * x
}

#[test]
fn rounding_away_from_jumps() {
    // at least 0.2 away from integers and half-integers
    let xs = [0.3, 1.7, -2.2, 3.2, -0.8];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, rounding, rounding_grad, rounding_jvp, rounding_vjp; 0);
    check_scalars!(pts, rounding_paths, rounding_paths_grad, rounding_paths_jvp, rounding_paths_vjp; 0);
    check_unary!(xs, rounding, rounding_derivative, rounding_jvp);
}

// ---------------------------------------------------------------------------
// tuple let patterns

#[differentiable]
fn sincos(x: f64, y: f64) -> f64 {
    let (s, c) = x.sin_cos();
    let (s2, c2) = f64::sin_cos(x * y);
    s * c2 + c * s2 * y
}

#[test]
fn sin_cos_tuple_pattern() {
    check_scalars!(points::<f64>(2, 4, -2.0, 2.0, 8), sincos, sincos_grad, sincos_jvp, sincos_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// constants

const STIFFNESS: f64 = 2.5;
const DAMPING: f64 = 0.125;

#[differentiable]
pub fn with_consts(x: f64) -> f64 {
    STIFFNESS * x * x + std::f64::consts::PI * (x / std::f64::consts::E).sin() - DAMPING * x
        + TAU.sqrt() * x
}

#[test]
fn constants() {
    let xs = [-1.0, 0.4, 2.0];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, with_consts, with_consts_grad, with_consts_jvp, with_consts_vjp; 0);
    check_unary!(xs, with_consts, with_consts_derivative, with_consts_jvp);
}

// ---------------------------------------------------------------------------
// `as` casts and integer bookkeeping

#[differentiable]
fn casts(x: f64, n: usize, k: i32) -> f64 {
    let nf = n as f64;
    let mut s = x * nf;
    s += (k as f64) * x.sin();
    let half = (n / 2) as f64;
    s += half * x * x;
    // float -> int -> float: piecewise constant, derivative 0 away from jumps
    let m = (x * 3.0) as i64;
    s += (m as f64) * x;
    s
}

#[test]
fn as_casts() {
    // x * 3 well away from integers
    for (n, k) in [(3usize, 2i32), (6, -1), (1, 0)] {
        let xs = [0.2, 0.9, -1.1, 1.45];
        let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
        check_all(
            "casts",
            &pts,
            |p| casts(p[0], n, k),
            |p| {
                let (v, g) = casts_grad(p[0], n, k);
                (v, vec![g])
            },
            |p, d| casts_jvp(p[0], d[0], n, k),
            |p, w| {
                let (v, a) = casts_vjp(p[0], n, k, w);
                (v, vec![a])
            },
        );
        check_derivative(
            "casts",
            &xs,
            |x| casts(x, n, k),
            |x| casts_derivative(x, n, k),
            |x, d| casts_jvp(x, d, n, k),
        );
    }
}

/// A float cast to its own type is the identity.
#[differentiable]
fn identity_cast(x: f64) -> f64 {
    let y = x as f64;
    y * y.sin()
}

#[test]
fn float_to_float_cast() {
    let xs = [-1.0, 0.5, 1.5];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, identity_cast, identity_cast_grad, identity_cast_jvp, identity_cast_vjp; 0);
}

// ---------------------------------------------------------------------------
// narrowing the active set: wrt(..) and #[no_grad]

#[differentiable(wrt(a))]
fn wrt_a(a: f64, b: f64) -> f64 {
    a * a * b + b.sin() * a.exp()
}

#[differentiable]
fn no_grad_param(x: f64, #[no_grad] k: f64) -> f64 {
    (k * x).sin() + k * x * x
}

#[differentiable(wrt(x, z))]
pub fn wrt_two(x: f64, y: f64, z: f64) -> f64 {
    x * y * z + (x - z).sin() * y * y
}

#[test]
fn wrt_and_no_grad() {
    for b in [-1.5, 0.3, 2.0] {
        let xs = [-0.8, 0.1, 1.3];
        let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
        // gradient with respect to `a` only: `b` is a constant
        check_all(
            "wrt_a",
            &pts,
            |p| wrt_a(p[0], b),
            |p| {
                let (v, g) = wrt_a_grad(p[0], b);
                (v, vec![g])
            },
            |p, d| wrt_a_jvp(p[0], d[0], b),
            |p, w| {
                let (v, a) = wrt_a_vjp(p[0], b, w);
                (v, vec![a])
            },
        );
        check_derivative(
            "wrt_a",
            &xs,
            |a| wrt_a(a, b),
            |a| wrt_a_derivative(a, b),
            |a, da| wrt_a_jvp(a, da, b),
        );
        check_all(
            "no_grad_param",
            &pts,
            |p| no_grad_param(p[0], b),
            |p| {
                let (v, g) = no_grad_param_grad(p[0], b);
                (v, vec![g])
            },
            |p, d| no_grad_param_jvp(p[0], d[0], b),
            |p, w| {
                let (v, a) = no_grad_param_vjp(p[0], b, w);
                (v, vec![a])
            },
        );
        check_derivative(
            "no_grad_param",
            &xs,
            |x| no_grad_param(x, b),
            |x| no_grad_param_derivative(x, b),
            |x, dx| no_grad_param_jvp(x, dx, b),
        );
        let pts2 = points::<f64>(2, 3, -1.5, 1.5, 9);
        check_all(
            "wrt_two",
            &pts2,
            |p| wrt_two(p[0], b, p[1]),
            |p| {
                let (v, (gx, gz)) = wrt_two_grad(p[0], b, p[1]);
                (v, vec![gx, gz])
            },
            |p, d| wrt_two_jvp(p[0], d[0], b, p[1], d[1]),
            |p, w| {
                let (v, (ax, az)) = wrt_two_vjp(p[0], b, p[1], w);
                (v, vec![ax, az])
            },
        );
    }
}

// ---------------------------------------------------------------------------
// f32 (non-generic)

#[differentiable]
pub fn single_precision(x: f32, y: f32) -> f32 {
    let mut s = (x * y).sin() + x.exp() / (1.0 + y * y);
    s *= 0.5;
    s += x.hypot(y) + f32::tanh(x - y);
    s
}

#[test]
fn f32_function() {
    check_scalars!(points::<f32>(2, 4, -1.5, 1.5, 10), single_precision, single_precision_grad, single_precision_jvp, single_precision_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// tape reuse for scalar functions

#[test]
fn tape_reuse_scalar() {
    for &(x, y) in &[(0.4, -1.2), (1.3, 0.7), (-0.6, 1.9)] {
        let (v, tape) = compound_record(x, y);
        assert_close(v, compound(x, y), "compound_record value");
        report_tape("compound", tape.bytes());
        for w in [1.0, -3.0, 0.25, 0.0] {
            let a = compound_pullback(&tape, w);
            let (_, b) = compound_vjp(x, y, w);
            assert_close_slice(
                &Flat::flat(a),
                &Flat::flat(b),
                "compound_pullback vs compound_vjp",
            );
        }
    }
    for x in [0.3, 1.1, 2.4] {
        let (v, tape) = overwrite_chain_record(x);
        assert_close(v, overwrite_chain(x), "overwrite_chain_record value");
        report_tape("overwrite_chain", tape.bytes());
        for w in [1.0, 2.0, -0.5] {
            let a = overwrite_chain_pullback(&tape, w);
            let (_, b) = overwrite_chain_vjp(x, w);
            assert_close(a, b, "overwrite_chain_pullback vs overwrite_chain_vjp");
        }
    }
}

// ---------------------------------------------------------------------------
// everyday Rust: shadowing, blocks, `mut` parameters, a final `return`,
// boolean locals and `&&` / `||` / `!`

#[differentiable]
fn shadowing(x: f64, y: f64) -> f64 {
    let x = x * y + 1.0; // shadows the parameter
    let t = {
        let u = x * x;
        let x = u.sin(); // shadows inside a block only
        x + u
    };
    let y = y - t * 0.5;
    x * y + t
}

#[test]
fn shadowing_and_blocks() {
    check_scalars!(points::<f64>(2, 4, -1.2, 1.2, 110), shadowing, shadowing_grad, shadowing_jvp, shadowing_vjp; 0, 1);
}

#[differentiable]
fn mut_param(mut x: f64, y: f64) -> f64 {
    x *= y;
    x = x.exp() - x;
    x += y * y;
    return x * 0.5;
}

#[test]
fn mut_parameter_and_final_return() {
    check_scalars!(points::<f64>(2, 4, -1.2, 1.2, 111), mut_param, mut_param_grad, mut_param_jvp, mut_param_vjp; 0, 1);
}

#[differentiable]
fn bool_logic(x: f64, y: f64) -> f64 {
    let pos = x > 0.0;
    let big = y.abs() > 1.0;
    let mut s = x * y;
    if pos && !big {
        s += x.sqrt();
    } else if !pos || y < -1.5 {
        s -= y.exp();
    } else {
        s *= y;
    }
    let both = pos && big;
    if both { s * x } else { s + x }
}

#[test]
fn boolean_locals() {
    let pts = fixed::<f64>(&[
        &[0.6, 0.4],
        &[0.8, 1.7],
        &[-0.5, 0.2],
        &[0.3, -1.8],
        &[1.2, -1.2],
        &[-1.0, -1.1],
    ]);
    check_scalars!(pts, bool_logic, bool_logic_grad, bool_logic_jvp, bool_logic_vjp; 0, 1);
}
