//! ndarray's arrays in differentiable code (feature `ndarray`): values and
//! gradients against the same function over slices and finite
//! differences.

#![cfg(feature = "ndarray")]

use leibniz::check;
use leibniz::prelude::*;
use ndarray::{Array1, Array2, ArrayView1};

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-10 * (1.0 + a.abs().max(b.abs())), "{what}: {a} vs {b}");
}

#[differentiable]
fn energy(x: &Array1<f64>, k: f64) -> f64 {
    let mut e = 0.0;
    for i in 0..x.len() - 1 {
        let d = x[i + 1] - x[i];
        e += k * d * d + x[i].sin();
    }
    e
}

#[differentiable]
fn energy_flat(x: &[f64], k: f64) -> f64 {
    let mut e = 0.0;
    for i in 0..x.len() - 1 {
        let d = x[i + 1] - x[i];
        e += k * d * d + x[i].sin();
    }
    e
}

#[test]
fn array1_by_reference_is_an_active_input() {
    let x = Array1::from(vec![0.3, -1.2, 0.8, 2.0]);
    let (v, (gx, gk)) = energy_grad(&x, 1.5);
    let (vf, (gxf, gkf)) = energy_flat_grad(x.as_slice().unwrap(), 1.5);
    close(v, vf, "value vs slices");
    for k in 0..4 {
        close(gx[k], gxf[k], "gradient vs slices");
    }
    close(gk, gkf, "gradient in k");
    let g: Vec<f64> = gx.iter().copied().chain([gk]).collect();
    let p: Vec<f64> = x.iter().copied().chain([1.5]).collect();
    check::check_gradient(|p: &[f64]| energy_flat(&p[..4], p[4]), &g, &p).unwrap();
    // Reverse mode: the shadow is an array of the same shape.
    let mut bx = Array1::zeros(4);
    let (_, bk) = energy_vjp(&x, &mut bx, 1.5, 1.0);
    assert_eq!(bx, gx);
    close(bk, gk, "vjp k");
    // Forward mode: the tangent is an array.
    let dx = Array1::from(vec![1.0, 0.0, -1.0, 0.5]);
    let (_, t) = energy_jvp(&x, &dx, 1.5, 0.0);
    close(t, gx.dot(&dx), "jvp");
    let (_, _, h) = energy_hessian(&x, 1.5);
    check::check_hessian(|p: &[f64]| energy_flat(&p[..4], p[4]), &h, &p).unwrap();
}

#[differentiable]
fn scale_in_place(x: &mut Array1<f64>, s: f64) {
    for i in 0..x.len() {
        x[i] = x[i] * s + s * s;
    }
}

#[test]
fn array1_by_mutable_reference_is_in_out() {
    let mut x = Array1::from(vec![1.0, 2.0, -0.5]);
    let mut dx = Array1::from(vec![0.0, 1.0, 0.0]);
    scale_in_place_jvp(&mut x, &mut dx, 2.0, 1.0);
    // out = x s + s²: d out = dx s + (x + 2s) ds
    assert_eq!(x, Array1::from(vec![6.0, 8.0, 3.0]));
    assert_eq!(dx, Array1::from(vec![1.0 + 4.0, 2.0 + 2.0 + 4.0, -0.5 + 4.0]));
}

#[differentiable]
fn by_value(v: Array1<f64>, #[no_grad] a: &Array2<f64>) -> f64 {
    let mut s = 0.0;
    for i in 0..v.len() {
        s += v[i] * v[i] * (i as f64 + 1.0);
    }
    s * a.len() as f64
}

#[test]
fn array1_by_value_and_a_constant_array2() {
    let a = Array2::from_shape_vec((2, 2), vec![1.0, 2.0, -1.0, 0.5]).unwrap();
    let v = Array1::from(vec![0.7, -0.4]);
    let (_, gv) = by_value_grad(v.clone(), &a);
    let f = |p: &[f64]| by_value(Array1::from(p.to_vec()), &a);
    check::check_gradient(f, gv.as_slice().unwrap(), v.as_slice().unwrap()).unwrap();
    let (_, back) = by_value_vjp(v.clone(), &a, 1.0);
    assert_eq!(back, gv);
}

/// A view that carries no derivatives may keep its elided lifetime.
#[differentiable]
fn weighted(#[no_grad] w: ArrayView1<f64>, x: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..w.len() {
        s += w[i] * x * x;
    }
    s
}

#[test]
fn constant_views_with_elided_lifetimes() {
    let w = Array1::from(vec![1.0, 2.0, 3.0]);
    let (v, g) = weighted_grad(w.view(), 0.5);
    close(v, 6.0 * 0.25, "value");
    close(g, 6.0, "gradient");
}
