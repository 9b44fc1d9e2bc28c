//! The fused sweep indexes without a second bounds check where the
//! forward sweep checked the same index (`opt::bounds`). These tests run
//! in debug builds, where the unchecked indexing still `debug_assert!`s
//! with a leibniz message: an index the pass wrongly trusted shows up as
//! that message instead of Rust's own out-of-bounds panic.

use leibniz::check;
use leibniz::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The same index read in a loop (that may not run) and then in a branch
/// on a condition from outside the loop: what the loop's branch learned
/// must not carry to the later branch.
#[differentiable(wrt(x))]
fn guarded(x: &[f64], n: usize, j: usize) -> f64 {
    let c = x.len() > 1;
    let mut s = 0.0;
    for _k in 0..n {
        if c {
            s += x[j].sin();
        }
    }
    if c {
        s += x[j] * x[j];
    }
    s
}

/// Triangular nest: the inner range depends on the outer index, and the
/// backward loops recompute `i * n + j`.
#[differentiable(wrt(a, x))]
fn triangular(a: &[f64], x: &[f64]) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        let mut r = 0.0;
        for j in 0..=i {
            r += a[i * n + j] * x[j];
        }
        s += r * r * x[i];
    }
    s
}

/// A local array resized in the loop: its indices stay checked.
#[differentiable]
fn growing(x: &[f64]) -> f64 {
    let mut v: Vec<f64> = Vec::new();
    let mut s = 0.0;
    for i in 0..x.len() {
        v.push(x[i] * x[i]);
        s += v[i] * x[i];
    }
    s
}

fn message(e: Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default()
}

#[test]
fn out_of_bounds_stays_an_ordinary_panic() {
    let x = [0.3, -0.8, 1.1];
    for n in [0usize, 1, 3] {
        let e = catch_unwind(|| guarded_grad(&x, n, 7)).expect_err("index 7 of 3 must panic");
        let m = message(e);
        assert!(m.contains("out of bounds") && !m.contains("leibniz"), "n = {n}: {m}");
    }
    for n in [0usize, 1, 3] {
        let (_, g) = guarded_grad(&x, n, 2);
        check::assert_gradient(|p: &[f64]| guarded(p, n, 2), &g, &x);
    }
}

#[test]
fn shadow_shorter_than_its_primal_is_refused_at_entry() {
    let x = [0.3, -0.8, 1.1];
    let mut short = vec![0.0; 2];
    let e = catch_unwind(AssertUnwindSafe(|| guarded_vjp(&x, &mut short, 1, 2, 1.0))).expect_err("short shadow");
    let m = message(e);
    assert!(m.contains("adjoint buffer for `x`"), "{m}");
    // Longer is accepted; the extra entries are untouched.
    let mut long = vec![5.0; 4];
    guarded_vjp(&x, &mut long, 1, 2, 1.0);
    assert_eq!(long[3], 5.0);
    let (_, g) = guarded_grad(&x, 1, 2);
    for i in 0..3 {
        assert!((long[i] - 5.0 - g[i]).abs() < 1e-14);
    }
}

#[test]
fn triangular_and_resized_arrays() {
    for n in [0usize, 1, 2, 5] {
        let a: Vec<f64> = (0..n * n).map(|k| (k as f64 * 0.37).cos()).collect();
        let x: Vec<f64> = (0..n).map(|k| (k as f64 * 0.91).sin()).collect();
        let (_, (ga, gx)) = triangular_grad(&a, &x);
        let mut p = a.clone();
        p.extend(&x);
        let mut g = ga.clone();
        g.extend(&gx);
        check::assert_gradient(|p: &[f64]| triangular(&p[..n * n], &p[n * n..]), &g, &p);
        let (_, tape) = triangular_record(&a, &x);
        let (mut ra, mut rx) = (vec![0.0; n * n], vec![0.0; n]);
        triangular_pullback(&tape, &mut ra, &mut rx, 1.0);
        for (u, v) in g.iter().zip(ra.iter().chain(&rx)) {
            assert!((u - v).abs() <= 1e-12 * (1.0 + v.abs()));
        }
        let (_, gg) = growing_grad(&x);
        check::assert_gradient(growing, &gg, &x);
    }
}

/// `checked` keeps every check and emits no `unsafe`: it compiles in a
/// module that forbids `unsafe_code`.
#[forbid(unsafe_code)]
mod no_unsafe {
    use leibniz::prelude::*;

    #[differentiable(checked)]
    pub fn energy(x: &[f64]) -> f64 {
        let mut s = 0.0;
        for i in 0..x.len() - 1 {
            let d = x[i + 1] - x[i];
            s += d * d * d * d;
        }
        s
    }
}

#[test]
fn checked_option_keeps_every_check() {
    let x = [0.3, -0.2, 0.9, 1.4];
    let (_, g) = no_unsafe::energy_grad(&x);
    check::assert_gradient(no_unsafe::energy, &g, &x);
    let mut short = vec![0.0; 3];
    let e = catch_unwind(AssertUnwindSafe(|| no_unsafe::energy_vjp(&x, &mut short, 1.0))).expect_err("short shadow");
    assert!(message(e).contains("out of bounds"));
}

/// A loop that runs past the array's end but leaves it by `break` first:
/// the entry range check must not fire where the primal does not panic.
#[differentiable(wrt(x))]
fn until_large(x: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..n {
        let v = x[i];
        if v > 0.5 {
            break;
        }
        s += v * v;
    }
    s
}

/// Every iteration reads `x[i + k]`: checked once before the loop, with
/// Rust's message, and the gradient right where it is in bounds.
#[differentiable(wrt(x))]
fn shifted(x: &[f64], k: usize, n: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..n {
        s += x[i + k].sin() * x[i];
    }
    s
}

#[test]
fn entry_range_checks_match_the_primal() {
    let x = [0.1, -0.2, 0.9, 0.3];
    for n in [0usize, 2, 3, 10] {
        let (v, g) = until_large_grad(&x, n);
        assert_eq!(v, until_large(&x, n));
        check::assert_gradient(|p: &[f64]| until_large(p, n), &g, &x);
    }
    for (k, n) in [(0usize, 4usize), (1, 3), (2, 2), (0, 0), (9, 0)] {
        let (_, g) = shifted_grad(&x, k, n);
        check::assert_gradient(|p: &[f64]| shifted(p, k, n), &g, &x);
    }
    for (k, n) in [(1usize, 4usize), (0, 5), (4, 1), (usize::MAX, 1)] {
        let primal = catch_unwind(|| shifted(&x, k, n));
        assert!(primal.is_err(), "the primal panics for k = {k}, n = {n}");
        let e = catch_unwind(|| shifted_grad(&x, k, n)).expect_err("out of bounds");
        let m = message(e);
        assert!(m.contains("out of bounds") && !m.contains("leibniz"), "k = {k}, n = {n}: {m}");
    }
}

/// Interleaved pairs `x[2 * i]`, `x[2 * i + 1]` (and a stride from outside
/// the loop): checked once before the loop.
#[differentiable(wrt(x))]
fn strided(x: &[f64], stride: usize, n: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..n {
        let a = x[2 * i];
        let b = x[2 * i + 1];
        s += a * b.cos() + x[i * stride] * a;
    }
    s
}

#[test]
fn strided_range_checks() {
    let x = [0.1, -0.2, 0.9, 0.3, 0.7, -0.4];
    for (stride, n) in [(1usize, 3usize), (2, 3), (0, 2), (5, 1), (9, 0)] {
        let (_, g) = strided_grad(&x, stride, n);
        check::assert_gradient(|p: &[f64]| strided(p, stride, n), &g, &x);
    }
    for (stride, n) in [(1usize, 4usize), (3, 3), (6, 2), (usize::MAX, 2)] {
        assert!(catch_unwind(|| strided(&x, stride, n)).is_err());
        let m = message(catch_unwind(|| strided_grad(&x, stride, n)).expect_err("out of bounds"));
        assert!(m.contains("out of bounds") && !m.contains("leibniz"), "stride {stride}, n {n}: {m}");
    }
}
