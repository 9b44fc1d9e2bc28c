use leibniz::prelude::*;

#[differentiable]
fn square(x: f64) -> f64 {
    x * x
}

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
fn taylor(x: f64, n: usize) -> f64 {
    let mut sum = 0.0;
    for i in 1..=n {
        sum += x.powi(i as i32) / i as f64;
    }
    sum
}

#[differentiable]
fn branchy(x: &[f64], a: f64) -> f64 {
    let mut p = 1.0;
    for i in 0..x.len() {
        if x[i] > 0.0 {
            p *= x[i].sin() + a;
        } else {
            p = p * a - x[i];
        }
    }
    let y = if p > 1.0 { p.ln() } else { p.exp() };
    y
}

#[test]
fn smoke() {
    let (v, d) = square_jvp(3.0, 1.0);
    assert!((v - 9.0).abs() < 1e-12 && (d - 6.0).abs() < 1e-12);
    assert!((square_derivative(2.0) - 4.0).abs() < 1e-12);
    let x = vec![0.5, -0.3, 1.2, 0.7];
    let (_, g) = rosen_grad(&x);
    let fd = leibniz::check::fd_gradient(|x| rosen(x), &x);
    for i in 0..4 { assert!((g[i] - fd[i]).abs() < 1e-5, "{g:?} {fd:?}"); }
    let (_, gt) = taylor_grad(0.5, 20);
    let fdt = leibniz::check::fd_gradient(|x| taylor(x[0], 20), &[0.5]);
    assert!((gt - fdt[0]).abs() < 1e-6);
    let (_, (gx, ga)) = branchy_grad(&x, 0.8);
    let fd = leibniz::check::fd_gradient(|z| branchy(&z[..4], z[4]), &[0.5, -0.3, 1.2, 0.7, 0.8]);
    for i in 0..4 { assert!((gx[i] - fd[i]).abs() < 1e-5, "{gx:?} {fd:?}"); }
    assert!((ga - fd[4]).abs() < 1e-5);
}
