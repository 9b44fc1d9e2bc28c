//! Custom derivative rules (`#[leibniz::jvp_rule]`, `#[leibniz::vjp_rule]`):
//! every kind of rule is checked through the functions that call it, in
//! every mode (`_jvp`, `_vjp`, `_grad`, tapes, second order where the rule
//! allows it), against central finite differences of the primal and the
//! dot-product test, and the rules themselves with `leibniz::check`.

#[macro_use]
mod common;

use common::*;
use leibniz::check;
use leibniz::prelude::*;

// ----- functions leibniz cannot see into -------------------------------------

/// Stands for another crate: nothing here is `#[differentiable]`.
mod foreign {
    pub fn sigmoid(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }

    /// Stable softplus: `ln(1 + e^x)` without overflow.
    pub fn softplus(x: f64) -> f64 {
        if x > 0.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() }
    }

    /// `Σ w xᵢ²`, with a branch and an iterator leibniz would not need to see.
    pub fn weighted_sq(x: &[f64], w: f64) -> f64 {
        x.iter().map(|v| v * v * w).sum()
    }

    pub fn logsumexp(x: &[f64]) -> f64 {
        let m = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        m + x.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
    }

    /// A vector type of another crate, with a method.
    #[derive(Clone, Copy, Debug, leibniz::Differentiable)]
    pub struct V2 {
        pub x: f64,
        pub y: f64,
    }

    impl V2 {
        pub fn norm(&self) -> f64 {
            self.x.hypot(self.y)
        }
        pub fn scaled_dot(self, o: V2, s: f64) -> f64 {
            s * (self.x * o.x + self.y * o.y)
        }
    }
}

/// A C function (libm's `erf`, linked by std on this platform) behind a safe
/// wrapper.
mod ffi {
    unsafe extern "C" {
        fn erf(x: f64) -> f64;
    }
    pub fn c_erf(x: f64) -> f64 {
        // SAFETY: `erf` is a pure C function of one double.
        unsafe { erf(x) }
    }
}

use foreign::V2;

// ----- rules -----------------------------------------------------------------

#[leibniz::jvp_rule(foreign::sigmoid, order = 2)]
fn sigmoid_jvp(x: f64, dx: f64) -> (f64, f64) {
    let s = foreign::sigmoid(x);
    (s, s * (1.0 - s) * dx)
}

#[leibniz::jvp_rule(foreign::softplus, order = 2)]
fn softplus_jvp(x: f64, dx: f64) -> (f64, f64) {
    (foreign::softplus(x), foreign::sigmoid(x) * dx)
}

/// A rule over a slice and a scalar: the tangent is a sum over a loop.
#[leibniz::jvp_rule(foreign::weighted_sq)]
fn weighted_sq_jvp(x: &[f64], dx: &[f64], w: f64, dw: f64) -> (f64, f64) {
    let mut s = 0.0;
    let mut ds = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i] * w;
        ds += 2.0 * x[i] * w * dx[i] + x[i] * x[i] * dw;
    }
    (s, ds)
}

/// A VJP rule only: reverse mode uses it; forward mode is one VJP per
/// element of the result.
#[leibniz::vjp_rule(foreign::logsumexp)]
fn logsumexp_vjp(x: &[f64], bx: &mut [f64], dout: f64) -> (f64, ()) {
    let y = foreign::logsumexp(x);
    for i in 0..x.len() {
        bx[i] += (x[i] - y).exp() * dout;
    }
    (y, ())
}

/// A rule for a method of a foreign type, receiver first.
#[leibniz::jvp_rule(method = norm)]
fn norm_jvp(v: &V2, dv: &V2) -> (f64, f64) {
    let n = v.norm();
    (n, (v.x * dv.x + v.y * dv.y) / n)
}

/// A method taking `self` by value, with an inactive-looking scalar.
#[leibniz::jvp_rule(method = scaled_dot)]
fn scaled_dot_jvp(a: V2, da: V2, b: V2, db: V2, s: f64, ds: f64) -> (f64, f64) {
    let d = a.x * b.x + a.y * b.y;
    let dd = da.x * b.x + a.x * db.x + da.y * b.y + a.y * db.y;
    (s * d, ds * d + s * dd)
}

#[leibniz::jvp_rule(ffi::c_erf, order = 2)]
fn c_erf_jvp(x: f64, dx: f64) -> (f64, f64) {
    (ffi::c_erf(x), std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp() * dx)
}

/// A stability rule for a function of one's own: `log(1 + e^x) - x/2`
/// written naively overflows; its rule uses the stable forms, and the
/// function itself is not `#[differentiable]`.
fn log1pexp_half(x: f64) -> f64 {
    (1.0 + x.exp()).ln() - 0.5 * x
}

#[leibniz::jvp_rule(log1pexp_half)]
fn log1pexp_half_jvp(x: f64, dx: f64) -> (f64, f64) {
    (foreign::softplus(x) - 0.5 * x, (foreign::sigmoid(x) - 0.5) * dx)
}

/// A JVP rule with branches: the tangent of each branch is linear.
fn relu6(x: f64) -> f64 {
    x.clamp(0.0, 6.0)
}

#[leibniz::jvp_rule(relu6)]
fn relu6_jvp(x: f64, dx: f64) -> (f64, f64) {
    if x <= 0.0 {
        (0.0, 0.0)
    } else if x >= 6.0 {
        (6.0, 0.0)
    } else {
        (x, dx)
    }
}

// ----- differentiable callers ------------------------------------------------

mod model {
    use super::{V2, ffi, foreign};
    use leibniz::prelude::*;

    #[differentiable]
    pub fn logistic_loss(w: &[f64], xs: &[f64], ys: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..ys.len() {
            let z = w[0] * xs[i] + w[1];
            s += foreign::softplus(z) - ys[i] * z;
        }
        s / ys.len() as f64
    }

    #[differentiable]
    pub fn weighted(x: &[f64], w: f64) -> f64 {
        let v = vec![x[0] * 2.0, x[1] + x[2], x[2]];
        foreign::weighted_sq(&v, w).sqrt() + foreign::weighted_sq(x, 1.0)
    }

    #[differentiable]
    pub fn lse(x: &[f64]) -> f64 {
        let mut y = vec![0.0; x.len()];
        for i in 0..x.len() {
            y[i] = 2.0 * x[i];
        }
        foreign::logsumexp(&y) + x[0]
    }

    #[differentiable]
    pub fn radial(a: f64, b: f64) -> f64 {
        let v = V2 { x: a * b, y: a - b };
        let u = V2 { x: b, y: 1.0 };
        v.norm() * a + v.scaled_dot(u, b)
    }

    #[differentiable]
    pub fn probit_like(x: f64, y: f64) -> f64 {
        ffi::c_erf(x * y) + super::log1pexp_half(x) + super::relu6(3.0 * y)
    }
}

fn pts(n: usize, seed: u64) -> Vec<Vec<f64>> {
    points(n, 4, -1.5, 1.5, seed)
}

#[test]
fn jvp_rule_of_a_foreign_function_in_every_mode() {
    let xs = [0.3, -1.2, 2.0, 0.7];
    let ys = [1.0, 0.0, 1.0, 0.0];
    check_all(
        "logistic_loss",
        &pts(2, 1),
        |w| model::logistic_loss(w, &xs, &ys),
        |w| {
            let (v, (g, _, _)) = model::logistic_loss_grad(w, &xs, &ys);
            (v, g)
        },
        |w, d| model::logistic_loss_jvp(w, d, &xs, &zeros(4), &ys, &zeros(4)),
        |w, dout| {
            let mut g = zeros(2);
            let (v, ()) = model::logistic_loss_vjp(w, &mut g, &xs, &mut zeros(4), &ys, &mut zeros(4), dout);
            (v, g)
        },
    );
}

#[test]
fn rule_over_slices_accepts_vec_arguments() {
    check_all(
        "weighted",
        &points(4, 4, 0.2, 1.5, 2),
        |p| model::weighted(&p[..3], p[3]),
        |p| {
            let (v, (g, gw)) = model::weighted_grad(&p[..3], p[3]);
            (v, cat(&[&g, &[gw]]))
        },
        |p, d| model::weighted_jvp(&p[..3], &d[..3], p[3], d[3]),
        |p, dout| {
            let mut g = zeros(3);
            let (v, gw) = model::weighted_vjp(&p[..3], &mut g, p[3], dout);
            (v, cat(&[&g, &[gw]]))
        },
    );
}

#[test]
fn vjp_rule_serves_reverse_and_forward_mode() {
    check_slice_fn!(pts(3, 3), model::lse, model::lse_grad, model::lse_jvp, model::lse_vjp);
}

#[test]
fn method_rules_by_reference_and_by_value() {
    check_scalars!(points(2, 4, 0.3, 2.0, 4), model::radial, model::radial_grad, model::radial_jvp, model::radial_vjp; 0, 1);
}

#[test]
fn ffi_and_own_stability_rules() {
    check_scalars!(points_in(&[(-1.5, 1.5), (0.1, 1.5)], 4, 5), model::probit_like, model::probit_like_grad, model::probit_like_jvp, model::probit_like_vjp; 0, 1);
    // The rule keeps the derivative finite where the naive form overflows.
    let big = 800.0;
    assert!(log1pexp_half(big).is_infinite());
    let (v, d) = model::probit_like_jvp(big, 1.0, 0.1, 0.0);
    assert!(v.is_finite() && d.is_finite(), "{v} {d}");
    assert_close(d, 0.5 + std::f64::consts::FRAC_2_SQRT_PI * (-(big * 0.1) * (big * 0.1)).exp() * 0.1, "d/dx at x = 800");
}

#[test]
fn rules_through_tapes() {
    let xs = [0.3, -1.2, 2.0];
    let ys = [1.0, 0.0, 1.0];
    let w = [0.4, -0.2];
    let (v, tape) = model::logistic_loss_record(&w, &xs, &ys);
    for dout in [1.0, -2.0, 0.5] {
        let mut g = zeros(2);
        model::logistic_loss_pullback(&tape, &mut g, &mut zeros(3), &mut zeros(3), dout);
        let (v2, (g2, _, _)) = model::logistic_loss_grad(&w, &xs, &ys);
        assert_eq!(v, v2);
        assert_close_slice(&g, &g2.iter().map(|x| x * dout).collect::<Vec<_>>(), "pullback vs grad");
    }
}

#[test]
fn second_order_through_rules_of_order_two() {
    #[differentiable]
    fn f(x: &[f64]) -> f64 {
        foreign::softplus(x[0] * x[1]) + ffi::c_erf(x[1]) * x[0]
    }
    for p in pts(2, 6) {
        for v in points(2, 3, -1.0, 1.0, 7) {
            let (val, g, hv) = f_hvp(&p, &v);
            let (val2, g2) = f_grad(&p);
            assert_eq!(val, val2);
            assert_close_slice(&g, &g2, "gradient from _hvp");
            check::check_hvp(|x| f_grad(x).1, &hv, &p, &v).unwrap_or_else(|e| panic!("hvp at {p:?} along {v:?}: {e:?}"));
        }
        let (_, _, h) = f_hessian(&p);
        check::check_hessian(f, &h, &p).unwrap_or_else(|e| panic!("hessian at {p:?}: {e:?}"));
    }
}

#[test]
fn the_rules_themselves_pass_the_rule_checker() {
    let xs: Vec<Vec<f64>> = points(1, 6, -3.0, 3.0, 8);
    check::check_jvp_rule(
        |x| vec![foreign::softplus(x[0])],
        |x, d| {
            let (y, dy) = softplus_jvp(x[0], d[0]);
            (vec![y], vec![dy])
        },
        &xs,
    )
    .unwrap();
    let vs: Vec<Vec<f64>> = points(3, 4, -2.0, 2.0, 9);
    check::check_vjp_rule(
        |x| vec![foreign::logsumexp(x)],
        |x, w| {
            let mut b = vec![0.0; x.len()];
            let _ = logsumexp_vjp(x, &mut b, w[0]);
            (vec![foreign::logsumexp(x)], b)
        },
        &vs,
    )
    .unwrap();
    // The reverse mode leibniz derives from a JVP rule, through a wrapper.
    #[differentiable]
    fn wrap(x: &[f64]) -> f64 {
        foreign::weighted_sq(x, 2.0)
    }
    check::check_rule(
        |x| vec![wrap(x)],
        |x, d| {
            let (y, dy) = wrap_jvp(x, d);
            (vec![y], vec![dy])
        },
        |x, w| {
            let mut b = vec![0.0; x.len()];
            let (y, ()) = wrap_vjp(x, &mut b, w[0]);
            (vec![y], b)
        },
        &vs,
    )
    .unwrap();
}

#[test]
fn rule_checker_rejects_a_wrong_rule() {
    let xs: Vec<Vec<f64>> = points(1, 4, 0.5, 2.0, 10);
    let bad = check::check_jvp_rule(|x| vec![x[0].ln()], |x, d| (vec![x[0].ln()], vec![d[0] / (2.0 * x[0])]), &xs);
    assert!(bad.is_err());
}
