//! Derivative bugs found by the property tests, each checked against
//! finite differences.

use leibniz::check;
use leibniz::prelude::*;

const C: f64 = 0.75;

/// A loop-carried variable that starts from a `const` item (whose type the
/// macro cannot see) and is reassigned a float in the loop.
#[differentiable]
fn const_carry(x: &[f64]) -> f64 {
    let mut s1 = 0.0;
    let mut s2 = C;
    for _i in 0..2 {
        s1 += s2 * s2;
        s2 = x[0];
    }
    s1
}

/// The same in nested loops and a `while`.
#[differentiable]
fn const_carry_nested(x: &[f64]) -> f64 {
    let mut s1 = 0.0;
    let mut s2 = C;
    for _i in 0..3 {
        for _j in 0..2 {
            s1 += s2 * s2;
            s2 = x[2];
        }
    }
    let mut k = 0;
    let mut s3 = C;
    while k < 3 {
        s1 += s3 * x[1];
        s3 = x[0] * s3;
        k += 1;
    }
    s1
}

#[test]
fn carried_from_const() {
    for x in [[0.5, 1.0, -0.5], [-1.2, 0.3, 0.8], [2.0, -0.7, 1.1]] {
        let (_, g) = const_carry_grad(&x);
        check::assert_gradient(|x| const_carry(x), &g, &x);
        let (_, g) = const_carry_nested_grad(&x);
        check::assert_gradient(|x| const_carry_nested(x), &g, &x);
        let v = [0.3, -0.2, 0.9];
        let (_, d) = const_carry_nested_jvp(&x, &v);
        let dir: f64 = g.iter().zip(&v).map(|(a, b)| a * b).sum();
        assert!((d - dir).abs() <= 1e-10 * (1.0 + dir.abs()), "jvp {d} vs <grad, v> {dir}");
    }
}

#[differentiable]
fn times(x: f64, c: f64) -> f64 {
    x * c.sin()
}

#[differentiable]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..a.len() {
        s += a[i] * b[i];
    }
    s
}

/// The same active value passed to two parameters of a call.
#[differentiable]
fn same_arg_twice(x: &[f64]) -> f64 {
    times(x[0], x[0]) + dot(x, x) * times(x[1], x[1])
}

#[test]
fn repeated_arguments() {
    for x in [[0.5, 1.0, -0.5], [-1.2, 0.3, 0.8]] {
        let (_, g) = same_arg_twice_grad(&x);
        check::assert_gradient(|x| same_arg_twice(x), &g, &x);
    }
}
