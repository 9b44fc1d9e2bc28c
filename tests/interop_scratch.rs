#![cfg(feature = "nalgebra")]
use leibniz::prelude::*;
use nalgebra::Vector2;

#[differentiable]
fn f(q: &Vector2<f64>, s: f64) -> f64 {
    q.x * s + q.y * q[0]
}

#[differentiable]
fn g(q: Vector2<f64>, s: f64) -> Vector2<f64> {
    let w = q * s;
    let mut u = w + q;
    u.x += s;
    u
}

#[differentiable]
fn h(x: Vec<f64>) -> f64 {
    x[0] * x[1]
}

#[test]
fn t() {
    let q = Vector2::new(1.0, 2.0);
    println!("{:?}", f_grad(&q, 3.0));
    println!("{:?}", g_jvp(q, Vector2::new(1.0, 0.0), 3.0, 0.0));
    println!("{:?}", h_grad(vec![1.0, 2.0]));
}
