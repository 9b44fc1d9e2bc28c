//! Correctness corpus, part 5: generic `T: Float` code, every function
//! instantiated and checked at both `f32` and `f64`. Constants through
//! `T::zero()`, `T::one()`, `T::from(2.0).unwrap()`, float methods in
//! `x.sin()` and `T::sin(x)` form, slices, in/out arrays, `Vec<T>` results,
//! const-generic arrays, `where` clauses, extra operator bounds, generic
//! callees, a Newton iteration.

#![allow(unexpected_cfgs)]

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;
use std::fmt::Debug;
use std::ops::{AddAssign, DivAssign, MulAssign, SubAssign};

#[differentiable]
pub fn gen_poly<T: Float>(x: T, y: T) -> T {
    let two = T::from(2.0).unwrap();
    let mut s = T::zero();
    s = s + x * x * y;
    s = s - two * x;
    s = s + T::one() / (T::one() + y * y);
    s * x.sin() + y.exp()
}

fn poly_case<F: Float + Debug + Flat<F>>() {
    check_scalars!(points::<F>(2, 4, -1.5, 1.5, 100), gen_poly, gen_poly_grad, gen_poly_jvp, gen_poly_vjp; 0, 1);
}

#[test]
fn generic_poly_f64() {
    poly_case::<f64>();
}

#[test]
fn generic_poly_f32() {
    poly_case::<f32>();
}

/// Float methods in path form on the type parameter.
#[differentiable]
fn gen_paths<T: Float>(x: T, y: T) -> T {
    T::sin(x) * T::exp(y) + T::powi(x, 2) + T::max(x, y) + T::sqrt(T::hypot(x, y)) + T::atan2(y, x)
}

fn paths_case<F: Float + Debug + Flat<F>>() {
    // x > 0 (atan2 away from its cut), x != y
    let pts = points_in::<F>(&[(0.3, 1.5), (-1.5, 0.2)], 4, 101);
    check_scalars!(pts, gen_paths, gen_paths_grad, gen_paths_jvp, gen_paths_vjp; 0, 1);
}

#[test]
fn generic_path_methods_f64() {
    paths_case::<f64>();
}

#[test]
fn generic_path_methods_f32() {
    paths_case::<f32>();
}

/// Many std float methods through the `Float` trait.
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
}

fn methods_case<F: Float + Debug + Flat<F>>() {
    let xs: Vec<F> = [0.15, 0.4, 0.65, 0.9].iter().map(|&v| c::<F>(v)).collect();
    let pts: Vec<Vec<F>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, gen_methods, gen_methods_grad, gen_methods_jvp, gen_methods_vjp; 0);
    check_unary!(xs, gen_methods, gen_methods_derivative, gen_methods_jvp);
}

#[test]
fn generic_float_methods_f64() {
    methods_case::<f64>();
}

#[test]
fn generic_float_methods_f32() {
    methods_case::<f32>();
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

fn slices_case<F: Float + Debug + Flat<F>>() {
    check_slice_fn!(
        points::<F>(5, 3, -2.0, 2.0, 102),
        gen_norm,
        gen_norm_grad,
        gen_norm_jvp,
        gen_norm_vjp
    );
    check_slice_fn!(
        points::<F>(5, 3, -3.0, 3.0, 103),
        gen_logsumexp,
        gen_logsumexp_grad,
        gen_logsumexp_jvp,
        gen_logsumexp_vjp
    );
}

#[test]
fn generic_slices_f64() {
    slices_case::<f64>();
}

#[test]
fn generic_slices_f32() {
    slices_case::<f32>();
}

#[differentiable]
pub fn gen_softmax<T: Float>(x: &[T]) -> Vec<T> {
    let n = x.len();
    let mut m = x[0];
    for i in 1..n {
        if x[i] > m {
            m = x[i];
        }
    }
    let mut out = vec![T::zero(); n];
    let mut z = T::zero();
    for i in 0..n {
        out[i] = (x[i] - m).exp();
        z = z + out[i];
    }
    for i in 0..n {
        out[i] = out[i] / z;
    }
    out
}

fn softmax_case<F: Float + Debug + Flat<F>>() {
    check_vector(
        "gen_softmax",
        &points::<F>(4, 3, -2.0, 2.0, 104),
        4,
        |p| gen_softmax(p),
        |p, d| gen_softmax_jvp(p, d),
        |p, w| {
            let mut g = zeros_like(p);
            let (y, ()) = gen_softmax_vjp(p, &mut g, w.to_vec());
            (y, g)
        },
    );
}

#[test]
fn generic_vec_result_f64() {
    softmax_case::<f64>();
}

#[test]
fn generic_vec_result_f32() {
    softmax_case::<f32>();
}

/// Leapfrog-like in-place step on an in/out slice.
#[differentiable]
pub fn gen_step<T: Float>(x: &mut [T], dt: T) {
    let n = x.len();
    let half = T::from(0.5).unwrap();
    for i in 0..n {
        let left = if i > 0 { x[i - 1] } else { T::zero() };
        x[i] = x[i] + dt * (left - x[i] * x[i] * half).sin();
    }
}

fn step_case<F: Float + Debug + Flat<F>>() {
    let n = 4;
    check_vector(
        "gen_step",
        &points::<F>(n + 1, 3, -1.0, 1.0, 105),
        n,
        |p| {
            let mut x = p[..n].to_vec();
            gen_step(&mut x, p[n]);
            x
        },
        |p, d| {
            let mut x = p[..n].to_vec();
            let mut dx = d[..n].to_vec();
            gen_step_jvp(&mut x, &mut dx, p[n], d[n]);
            (x, dx)
        },
        |p, w| {
            let mut x = p[..n].to_vec();
            let mut gx = w.to_vec();
            let gdt = gen_step_vjp(&mut x, &mut gx, p[n]);
            (x, cat(&[&gx, &[gdt]]))
        },
    );
}

#[test]
fn generic_inout_f64() {
    step_case::<f64>();
}

#[test]
fn generic_inout_f32() {
    step_case::<f32>();
}

/// Const-generic array by value.
#[differentiable]
pub fn gen_arr<T: Float, const N: usize>(x: [T; N]) -> T {
    let mut s = T::zero();
    for i in 0..N {
        s = s + x[i] * x[(i + 1) % N].cos();
    }
    s * T::from(N).unwrap()
}

fn arr_case<F: Float + Debug + Flat<F>>() {
    check_all(
        "gen_arr",
        &points::<F>(3, 3, -2.0, 2.0, 106),
        |p| {
            let a: [F; 3] = arr(p);
            gen_arr(a)
        },
        |p| {
            let a: [F; 3] = arr(p);
            let (v, g): (F, [F; 3]) = gen_arr_grad(a);
            (v, g.to_vec())
        },
        |p, d| {
            let a: [F; 3] = arr(p);
            let da: [F; 3] = arr(d);
            gen_arr_jvp(a, da)
        },
        |p, w| {
            let a: [F; 3] = arr(p);
            let (v, g): (F, [F; 3]) = gen_arr_vjp(a, w);
            (v, g.to_vec())
        },
    );
}

#[test]
fn generic_const_array_f64() {
    arr_case::<f64>();
}

#[test]
fn generic_const_array_f32() {
    arr_case::<f32>();
}

/// A generic caller of generic callees.
#[differentiable]
pub fn gen_caller<T: Float>(x: &[T], a: T) -> T {
    let mut s = gen_norm(x) * a;
    for i in 0..x.len() {
        s = s + gen_poly(x[i], a) * T::from(i + 1).unwrap();
    }
    s
}

fn caller_case<F: Float + Debug + Flat<F>>() {
    let n = 3;
    check_all(
        "gen_caller",
        &points::<F>(n + 1, 3, -1.2, 1.2, 107),
        |p| gen_caller(&p[..n], p[n]),
        |p| {
            let (v, (gx, ga)) = gen_caller_grad(&p[..n], p[n]);
            (v, cat(&[&gx, &[ga]]))
        },
        |p, d| gen_caller_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, ga) = gen_caller_vjp(&p[..n], &mut gx, p[n], w);
            (v, cat(&[&gx, &[ga]]))
        },
    );
}

#[test]
fn generic_calls_f64() {
    caller_case::<f64>();
}

#[test]
fn generic_calls_f32() {
    caller_case::<f32>();
}

/// `where` clause, casts of loop counters through `T::from`, integer param.
#[differentiable]
pub fn gen_where<T>(x: T, n: usize) -> T
where
    T: Float,
{
    let mut s = T::zero();
    let mut p = T::one();
    for i in 0..n {
        p = p * x;
        s = s + p / T::from(i + 1).unwrap() + T::from(std::f64::consts::PI).unwrap() * x;
    }
    s
}

fn where_case<F: Float + Debug + Flat<F>>() {
    for n in [1usize, 4] {
        let xs: Vec<F> = [-0.8, 0.3, 0.9].iter().map(|&v| c::<F>(v)).collect();
        check_derivative(
            "gen_where",
            &xs,
            |x| gen_where(x, n),
            |x| gen_where_derivative(x, n),
            |x, d| gen_where_jvp(x, d, n),
        );
        let pts: Vec<Vec<F>> = xs.iter().map(|&x| vec![x]).collect();
        check_all(
            "gen_where",
            &pts,
            |p| gen_where(p[0], n),
            |p| {
                let (v, g) = gen_where_grad(p[0], n);
                (v, vec![g])
            },
            |p, d| gen_where_jvp(p[0], d[0], n),
            |p, w| {
                let (v, a) = gen_where_vjp(p[0], n, w);
                (v, vec![a])
            },
        );
    }
}

#[test]
fn generic_where_clause_f64() {
    where_case::<f64>();
}

#[test]
fn generic_where_clause_f32() {
    where_case::<f32>();
}

/// Compound assignment in generic code needs the operator-assign bounds.
#[differentiable]
pub fn gen_compound<T: Float + AddAssign + SubAssign + MulAssign + DivAssign>(x: T, y: T) -> T {
    let mut s = x;
    s += y * y;
    s *= x;
    s -= y.sin();
    s /= T::one() + x * x;
    s
}

fn compound_case<F: Float + Debug + Flat<F> + AddAssign + SubAssign + MulAssign + DivAssign>() {
    check_scalars!(points::<F>(2, 4, -1.5, 1.5, 108), gen_compound, gen_compound_grad, gen_compound_jvp, gen_compound_vjp; 0, 1);
}

#[test]
fn generic_compound_assignment_f64() {
    compound_case::<f64>();
}

#[test]
fn generic_compound_assignment_f32() {
    compound_case::<f32>();
}

/// Newton iteration for `sqrt(a)` in generic code (float loop condition).
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

fn newton_case<F: Float + Debug + Flat<F>>() {
    let xs: Vec<F> = [0.3, 2.0, 9.5].iter().map(|&v| c::<F>(v)).collect();
    check_unary!(
        xs,
        gen_newton_sqrt,
        gen_newton_sqrt_derivative,
        gen_newton_sqrt_jvp
    );
    for &a in &xs {
        // independent reference: d sqrt(a) / da = 1 / (2 sqrt(a))
        assert_close(
            gen_newton_sqrt_derivative(a),
            c::<F>(0.5) / a.sqrt(),
            "gen_newton_sqrt'",
        );
        let (_, g) = gen_newton_sqrt_vjp(a, F::one());
        assert_close(g, c::<F>(0.5) / a.sqrt(), "gen_newton_sqrt_vjp");
    }
}

#[test]
fn generic_newton_f64() {
    newton_case::<f64>();
}

#[test]
fn generic_newton_f32() {
    newton_case::<f32>();
}

#[test]
fn generic_tape_reuse_f32() {
    let x: Vec<f32> = vec![0.5, -1.0, 2.0, 0.25];
    let (y, tape) = gen_softmax_record(&x);
    assert_close_slice(&y, &gen_softmax(&x), "gen_softmax_record value (f32)");
    report_tape("gen_softmax::<f32>(n=4)", tape.bytes());
    for w in cotangents::<f32>(4, 3, 109) {
        let mut g1 = zeros(4);
        gen_softmax_pullback(&tape, &mut g1, w.clone());
        let mut g2 = zeros(4);
        gen_softmax_vjp(&x, &mut g2, w);
        assert_close_slice(&g1, &g2, "gen_softmax_pullback vs _vjp (f32)");
    }
}

/// A generic struct with a differentiable method calling another one.
pub struct Chain<T> {
    pub k: T,
    pub rest: T,
}

impl<T: Float> Chain<T> {
    #[differentiable]
    pub fn energy(#[no_grad] &self, x: &[T]) -> T {
        let half = T::from(0.5).unwrap();
        let mut e = T::zero();
        for i in 0..x.len() - 1 {
            let d = x[i + 1] - x[i] - self.rest;
            e = e + half * self.k * d * d;
        }
        e
    }

    #[differentiable]
    pub fn scaled(#[no_grad] &self, x: &[T], s: T) -> T {
        self.energy(x) * s.exp()
    }
}

fn chain_case<F: Float + Debug + Flat<F>>() {
    let m = Chain {
        k: c::<F>(1.5),
        rest: c::<F>(0.25),
    };
    let n = 4;
    check_all(
        "Chain::scaled",
        &points::<F>(n + 1, 3, -1.0, 1.0, 133),
        |p| m.scaled(&p[..n], p[n]),
        |p| {
            let (v, (gx, gs)) = m.scaled_grad(&p[..n], p[n]);
            (v, cat(&[&gx, &[gs]]))
        },
        |p, d| m.scaled_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, gs) = m.scaled_vjp(&p[..n], &mut gx, p[n], w);
            (v, cat(&[&gx, &[gs]]))
        },
    );
}

#[test]
fn generic_methods_f64() {
    chain_case::<f64>();
}

#[test]
fn generic_methods_f32() {
    chain_case::<f32>();
}
