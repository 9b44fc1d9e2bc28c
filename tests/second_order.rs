//! Second derivatives by composition (forward over reverse): `f_hvp`,
//! `f_hessian`, `f_second_derivative`, and `f_jacobian`, checked against
//! finite differences of the first-order API.

use leibniz::prelude::*;

#[differentiable]
fn rosen(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = 1.0 - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + 100.0 * b * b;
    }
    s
}

#[differentiable]
fn scalar2(x: f64, y: f64) -> f64 {
    (x * y).sin() + x.exp() * y * y
}

#[differentiable]
fn cube(x: f64) -> f64 {
    x * x * x + x.ln()
}

fn fd_hvp(grad: impl Fn(&[f64]) -> Vec<f64>, x: &[f64], v: &[f64]) -> Vec<f64> {
    let h = 1e-5;
    let xp: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + h * b).collect();
    let xm: Vec<f64> = x.iter().zip(v).map(|(a, b)| a - h * b).collect();
    let gp = grad(&xp);
    let gm = grad(&xm);
    gp.iter().zip(&gm).map(|(a, b)| (a - b) / (2.0 * h)).collect()
}

fn close(a: &[f64], b: &[f64], tol: f64) {
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tol * (1.0 + x.abs().max(y.abs())), "{a:?} vs {b:?}");
    }
}

#[test]
fn rosen_hvp_matches_fd() {
    let x = [0.3, -0.7, 1.2, 0.5];
    let v = [1.0, 0.5, -0.25, 2.0];
    let (val, g, hv) = rosen_hvp(&x, &v);
    let (val2, g2) = rosen_grad(&x);
    assert_eq!(val, val2);
    close(&g, &g2, 1e-12);
    let fd = fd_hvp(|x| rosen_grad(x).1, &x, &v);
    close(&hv, &fd, 1e-6);
}

#[test]
fn scalar_hvp_and_hessian() {
    let (x, y) = (0.4, -1.3);
    let (_, (gx, gy), (hx, hy)) = scalar2_hvp(x, 1.0, y, 0.0);
    let h = 1e-5;
    let (_, (gxp, gyp)) = scalar2_grad(x + h, y);
    let (_, (gxm, gym)) = scalar2_grad(x - h, y);
    close(&[hx, hy], &[(gxp - gxm) / (2.0 * h), (gyp - gym) / (2.0 * h)], 1e-6);
    let (_, g, hm) = scalar2_hessian(x, y);
    close(&g, &[gx, gy], 1e-12);
    assert_eq!(hm[0][1], hm[1][0]);
    close(&[hm[0][0], hm[1][0]], &[hx, hy], 1e-12);
}

#[test]
fn second_derivative_closed_form() {
    for x in [0.5, 1.0, 2.5] {
        let d2 = cube_second_derivative(x);
        close(&[d2], &[6.0 * x - 1.0 / (x * x)], 1e-12);
    }
}

#[test]
fn jacobian_of_vector_function() {
    #[differentiable]
    fn f(x: &[f64], out: &mut [f64]) {
        for i in 0..out.len() {
            out[i] = x[i] * x[(i + 1) % x.len()];
        }
    }
    let x = [1.0, 2.0, 3.0];
    let mut out = [0.0; 3];
    let ((), j) = f_jacobian(&x, &mut out);
    assert_eq!(out, [2.0, 6.0, 3.0]);
    let want = [[2.0, 1.0, 0.0], [0.0, 3.0, 2.0], [3.0, 0.0, 1.0]];
    for i in 0..3 {
        close(&j[i], &want[i], 1e-12);
    }
}
