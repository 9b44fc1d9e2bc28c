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

// ----- found by review ---------------------------------------------------

const ZERO: f64 = 0.0;

/// Arrays filled from a constant of unknown type hold derivatives.
#[differentiable]
fn const_fill(x: &[f64]) -> f64 {
    let mut a = vec![ZERO; x.len()];
    for i in 0..x.len() {
        a[i] = x[i] * x[i];
    }
    let l = [ZERO, x[0], x[1]];
    let mut s = l[1] * l[2];
    for i in 0..x.len() {
        s += a[i];
    }
    s
}

struct Model {
    w: Vec<f64>,
    init: f64,
    k: f64,
}

impl Model {
    /// Methods of fields (`self.w.len()`), references to them, arrays filled
    /// from a field.
    #[differentiable]
    fn energy(#[no_grad] &self, x: &[f64]) -> f64 {
        let n = self.w.len();
        let w = &self.w;
        let mut a = vec![self.init; x.len()];
        let mut e = 0.0;
        for i in 0..n {
            a[i] = a[i] + x[i] * x[i];
            e += w[i] * a[i] * self.k;
        }
        e
    }
}

#[differentiable]
fn squares(x: &[f64], c: f64) -> Vec<f64> {
    let mut o = vec![0.0; x.len()];
    for i in 0..x.len() {
        o[i] = c * x[i] * x[i];
    }
    o
}

/// Local arrays (and array results of calls) created inside loops and
/// branches, and a call's array result returned directly.
#[differentiable]
fn arrays_in_regions(x: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let t = vec![x[i] * s + 1.0; i + 1];
        s += t[i] * t[0];
        let r = squares(x, x[i]);
        s += r[i];
    }
    if s > 0.0 {
        let t = vec![x[1] * s; n * 2];
        s = t[0] * t[1];
    }
    s
}

#[differentiable]
fn squares_again(x: &[f64]) -> Vec<f64> {
    squares(x, 2.0)
}

/// An integer expression reading a `&mut` array.
#[differentiable]
fn scale_prefix(x: &mut [f64], k: usize, a: f64) {
    let m = k.min(x.len());
    for i in 0..m {
        x[i] = x[i] * a;
    }
}

/// Stepped ranges over `i64`, reversed without `ExactSizeIterator`.
#[differentiable]
fn stepped(x: &[f64], n: i64) -> f64 {
    let mut s = 0.0;
    for i in (0..n).step_by(2) {
        s += x[i as usize] * x[i as usize] * (i as f64 + 1.0);
    }
    for i in (1..=n).rev().step_by(3) {
        s = s * 0.5 + x[(i - 1) as usize].sin();
    }
    for i in (0..x.len()).step_by(2).rev() {
        s = s * x[i].cos();
    }
    s
}

/// A call hoisted out of a loop that runs zero times does not run.
#[differentiable]
fn first(x: &[f64]) -> f64 {
    x[0] * 2.0
}

#[differentiable]
fn uses_first(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * first(x);
    }
    s
}

/// A `const` item in a loop body that is lowered twice.
#[differentiable]
fn const_in_loop(x: &[f64]) -> f64 {
    let mut s = C;
    for _i in 0..2 {
        const K: f64 = 2.0;
        s = x[0] * K + s;
    }
    s
}

#[differentiable]
fn powf_zero(x: f64) -> f64 {
    x.powf(0.0) + x
}

thread_local! {
    static TICKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn tick() -> f64 {
    TICKS.with(|c| {
        c.set(c.get() + 1);
        c.get() as f64
    })
}

/// An impure call without arguments is neither hoisted nor recomputed.
#[differentiable]
fn noisy(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let c = tick();
        s += x[i] * c;
    }
    s
}

#[test]
fn review_findings() {
    let pts = [[0.7, -0.3, 1.2], [-0.4, 0.9, 0.5], [1.1, 0.2, -0.8]];
    let m = Model { w: vec![0.5, -1.0, 2.0], init: 0.3, k: 1.5 };
    for x in pts {
        let (_, g) = const_fill_grad(&x);
        check::assert_gradient(|x| const_fill(x), &g, &x);
        let (_, g) = m.energy_grad(&x);
        check::assert_gradient(|x| m.energy(x), &g, &x);
        let (_, g) = arrays_in_regions_grad(&x, 2);
        check::assert_gradient(|x| arrays_in_regions(x, 2), &g, &x);
        let (_, g) = stepped_grad(&x, 3);
        check::assert_gradient(|x| stepped(x, 3), &g, &x);
        let (_, g) = uses_first_grad(&x);
        check::assert_gradient(|x| uses_first(x), &g, &x);
        let (_, g) = const_in_loop_grad(&x);
        check::assert_gradient(|x| const_in_loop(x), &g, &x);
        check::assert_dot_product(
            |v: &[f64]| squares_again_jvp(&x, v).1,
            |w: &[f64]| {
                let mut g = vec![0.0; 3];
                squares_again_vjp(&x, &mut g, w.to_vec());
                g
            },
            3,
            3,
            7,
        );
        let jac = check::fd_jacobian(|z: &[f64]| squares_again(z), &x);
        let mut rows = Vec::new();
        for i in 0..3 {
            let mut g = vec![0.0; 3];
            let mut w = vec![0.0; 3];
            w[i] = 1.0;
            squares_again_vjp(&x, &mut g, w);
            rows.push(g);
        }
        check::check_jacobian(|z: &[f64]| squares_again(z), &rows, &x).unwrap();
        assert_eq!(jac.len(), 3);
        // in/out array with an integer bound read from it
        let scale = |z: &[f64]| {
            let mut y = z[..3].to_vec();
            scale_prefix(&mut y, 2, z[3]);
            y
        };
        let z = [x[0], x[1], x[2], 1.7];
        let mut rows = Vec::new();
        for i in 0..3 {
            let mut y = z[..3].to_vec();
            let mut gy = vec![0.0; 3];
            gy[i] = 1.0;
            let ga = scale_prefix_vjp(&mut y, &mut gy, 2, z[3]);
            gy.push(ga);
            rows.push(gy);
        }
        check::check_jacobian(scale, &rows, &z).unwrap();
        // the impure call: derivative with the same sequence of ticks
        TICKS.with(|c| c.set(0));
        let (v, g) = noisy_grad(&x);
        TICKS.with(|c| c.set(0));
        let expect = noisy(&x);
        assert!((v - expect).abs() < 1e-12, "value {v} vs primal {expect}");
        let fd = check::fd_gradient(
            |z: &[f64]| {
                TICKS.with(|c| c.set(0));
                noisy(z)
            },
            &x,
        );
        check::check_gradient(|z: &[f64]| z.iter().zip(&fd).map(|(a, b)| a * b).sum::<f64>(), &g, &x).unwrap();
    }
    // an empty input: the hoisted call must not run
    let (v, g) = uses_first_grad(&[]);
    assert!(v == 0.0 && g.is_empty());
    // a^0 has derivative 0 at a = 0
    let d = powf_zero_derivative(0.0);
    assert!((d - 1.0).abs() < 1e-15, "{d}");
}
