//! `#[differentiable(fast_math)]`: the derivative programs multiply by
//! reciprocals of loop-invariant divisors. Every entry point must agree
//! with the IEEE-exact twin to a few roundings and with finite
//! differences, through calls, nested loops, divisors that change in the
//! loop (left alone), second order and vector-mode forward.

use leibniz::check;
use leibniz::prelude::*;

#[differentiable]
fn norm(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for v in x {
        s += v * v;
    }
    s.sqrt()
}

macro_rules! twins {
    ($exact:ident, $fast:ident, |$x:ident, $c:ident| $body:block) => {
        #[differentiable]
        fn $exact($x: &[f64], $c: f64) -> f64 $body
        #[differentiable(fast_math)]
        fn $fast($x: &[f64], $c: f64) -> f64 $body
    };
}

twins!(normalised, normalised_fast, |x, c| {
    let mut loss = 0.0;
    for i in 0..x.len() {
        loss += (i as f64 + c) * x[i] / norm(x);
    }
    loss
});

twins!(nested, nested_fast, |x, c| {
    let d = c * c + 1.0;
    let mut s = 0.0;
    for i in 0..x.len() {
        let e = x[i].exp() + 1.0;
        for j in 0..x.len() {
            s += x[j] / d + (x[i] * x[j]) / e;
        }
        s = s / (1.0 + s.abs());
    }
    s
});

fn close(a: f64, b: f64, tol: f64, ctx: &str) {
    assert!((a - b).abs() <= tol * (1.0 + a.abs().max(b.abs())), "{ctx}: {a} vs {b}");
}

fn check_pair(exact: impl Fn(&[f64], f64) -> (f64, Vec<f64>), fast: impl Fn(&[f64], f64) -> (f64, Vec<f64>), f: impl Fn(&[f64], f64) -> f64, name: &str) {
    for (k, x) in [vec![0.5, -1.25, 2.0, 0.75], vec![-0.3, 0.9, 1.4, -2.2, 0.1]].iter().enumerate() {
        let c = 0.6 + k as f64;
        let (ve, ge) = exact(x, c);
        let (vf, gf) = fast(x, c);
        close(vf, ve, 1e-13, &format!("{name} value"));
        let fd = check::fd_gradient(|x: &[f64]| f(x, c), x);
        for i in 0..x.len() {
            close(gf[i], ge[i], 1e-12, &format!("{name} grad[{i}] fast vs exact"));
            close(gf[i], fd[i], 1e-6, &format!("{name} grad[{i}] fast vs fd"));
        }
    }
}

#[test]
fn gradients_match_the_exact_twin_and_finite_differences() {
    check_pair(|x, c| normalised_grad(x, c).into_flat(), |x, c| normalised_fast_grad(x, c).into_flat(), normalised_fast, "normalised");
    check_pair(|x, c| nested_grad(x, c).into_flat(), |x, c| nested_fast_grad(x, c).into_flat(), nested_fast, "nested");
}

#[test]
fn forward_second_order_and_lanes() {
    let x = [0.5, -1.25, 2.0, 0.75];
    let dx = [1.0, 0.5, -0.25, 2.0];
    let (_, t) = nested_fast_jvp(&x, &dx, 0.6, 0.3);
    let (_, te) = nested_jvp(&x, &dx, 0.6, 0.3);
    close(t, te, 1e-12, "nested jvp");
    let (_, ts) = nested_fast_jvp_batch(&x, &[dx.to_vec(), vec![0.0; 4]], 0.6, &[0.3, 1.0]);
    assert_eq!(ts[0].to_bits(), t.to_bits());
    let (_, _, hv) = normalised_fast_hvp(&x, &dx, 0.6, 0.0);
    let (_, _, hve) = normalised_hvp(&x, &dx, 0.6, 0.0);
    for i in 0..4 {
        close(hv.0[i], hve.0[i], 1e-10, "normalised hvp");
    }
}

trait IntoFlat {
    fn into_flat(self) -> (f64, Vec<f64>);
}

impl IntoFlat for (f64, (Vec<f64>, f64)) {
    fn into_flat(self) -> (f64, Vec<f64>) {
        (self.0, self.1 .0)
    }
}
