//! Self-test of the corpus helpers (`tests/common`): they accept hand-written
//! correct derivatives and reject wrong ones, so a passing corpus means
//! something.

#![allow(unexpected_cfgs)]

#[macro_use]
mod common;

use common::*;

// f(x, a) = sum_i sin(a x_i) x_i, written by hand with its derivatives.
fn f(x: &[f64], a: f64) -> f64 {
    x.iter().map(|&xi| (a * xi).sin() * xi).sum()
}

fn grad(x: &[f64], a: f64) -> (Vec<f64>, f64) {
    let gx = x
        .iter()
        .map(|&xi| a * (a * xi).cos() * xi + (a * xi).sin())
        .collect();
    let ga = x.iter().map(|&xi| (a * xi).cos() * xi * xi).sum();
    (gx, ga)
}

fn flat_check(bad: Option<usize>) {
    let n = 3;
    check_all(
        "hand",
        &points::<f64>(n + 1, 3, -2.0, 2.0, 1),
        |p| f(&p[..n], p[n]),
        |p| {
            let (gx, ga) = grad(&p[..n], p[n]);
            let mut g = cat(&[&gx, &[ga]]);
            if let Some(i) = bad {
                g[i] *= 1.001;
            }
            (f(&p[..n], p[n]), g)
        },
        |p, d| {
            let (gx, ga) = grad(&p[..n], p[n]);
            (f(&p[..n], p[n]), dot(&gx, &d[..n]) + ga * d[n])
        },
        |p, w| {
            let (gx, ga) = grad(&p[..n], p[n]);
            let g = cat(&[&gx, &[ga]]);
            (f(&p[..n], p[n]), g.iter().map(|v| v * w).collect())
        },
    );
}

#[test]
fn accepts_correct_derivatives() {
    flat_check(None);
}

#[test]
#[should_panic]
fn rejects_wrong_gradient() {
    flat_check(Some(2));
}

fn polar(p: &[f64]) -> Vec<f64> {
    vec![p[0] * p[1].cos(), p[0] * p[1].sin(), p[0] * p[0]]
}

fn jac(p: &[f64]) -> [[f64; 2]; 3] {
    let (r, t) = (p[0], p[1]);
    [
        [t.cos(), -r * t.sin()],
        [t.sin(), r * t.cos()],
        [2.0 * r, 0.0],
    ]
}

fn vector_check(transpose_bug: bool) {
    check_vector(
        "hand_polar",
        &points::<f64>(2, 3, 0.5, 2.0, 2),
        3,
        polar,
        |p, v| {
            let j = jac(p);
            (
                polar(p),
                (0..3).map(|i| j[i][0] * v[0] + j[i][1] * v[1]).collect(),
            )
        },
        |p, w| {
            let j = jac(p);
            let mut g = vec![0.0; 2];
            for i in 0..3 {
                for k in 0..2 {
                    g[k] += if transpose_bug && i < 2 {
                        j[k][i]
                    } else {
                        j[i][k]
                    } * w[i];
                }
            }
            (polar(p), g)
        },
    );
}

#[test]
fn accepts_correct_jacobian() {
    vector_check(false);
}

#[test]
#[should_panic]
fn rejects_transposed_vjp() {
    vector_check(true);
}

#[test]
fn f32_tolerances_accept_correct_derivatives() {
    let pts = points::<f32>(2, 3, -1.5, 1.5, 3);
    let f = |p: &[f32]| (p[0] * p[1]).sin() + p[0].exp();
    let g = |p: &[f32]| {
        vec![
            p[1] * (p[0] * p[1]).cos() + p[0].exp(),
            p[0] * (p[0] * p[1]).cos(),
        ]
    };
    check_all(
        "hand_f32",
        &pts,
        f,
        |p| (f(p), g(p)),
        |p, d| (f(p), dot(&g(p), d)),
        |p, w| (f(p), g(p).iter().map(|v| v * w).collect()),
    );
}
