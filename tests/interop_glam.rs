//! glam's types in differentiable code (feature `glam`): values and
//! gradients against the same function over slices and against finite
//! differences, Hessians against finite differences, forward against
//! reverse mode.

#![cfg(feature = "glam")]

use glam::{DMat2, DMat3, DQuat, DVec2, DVec3, Vec3};
use leibniz::check;
use leibniz::prelude::*;

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-10 * (1.0 + a.abs().max(b.abs())), "{what}: {a} vs {b}");
}

fn dv3(p: &[f64]) -> DVec3 {
    DVec3::new(p[0], p[1], p[2])
}

// ----- ray-sphere intersection over three DVec3 and a radius -----------------

#[differentiable]
fn hit(origin: DVec3, dir: DVec3, center: DVec3, radius: f64) -> f64 {
    let d = dir.normalize();
    let oc = origin - center;
    let b = oc.dot(d);
    let c = oc.length_squared() - radius * radius;
    -b - (b * b - c).sqrt()
}

/// The same over slices.
#[differentiable]
fn hit_flat(p: &[f64]) -> f64 {
    let n = (p[3] * p[3] + p[4] * p[4] + p[5] * p[5]).sqrt();
    let (dx, dy, dz) = (p[3] / n, p[4] / n, p[5] / n);
    let (ox, oy, oz) = (p[0] - p[6], p[1] - p[7], p[2] - p[8]);
    let b = ox * dx + oy * dy + oz * dz;
    let c = ox * ox + oy * oy + oz * oz - p[9] * p[9];
    -b - (b * b - c).sqrt()
}

#[test]
fn ray_sphere_with_dvec3_differentiates_every_parameter() {
    for p in [[0.0, 0.1, -5.0, 0.05, -0.02, 1.0, 0.2, 0.0, 0.3, 1.0], [1.0, -0.5, -4.0, -0.1, 0.1, 1.0, 0.5, -0.2, 0.0, 1.5]] {
        let (o, d, c, r) = (dv3(&p[0..3]), dv3(&p[3..6]), dv3(&p[6..9]), p[9]);
        let (t, (go, gd, gc, gr)) = hit_grad(o, d, c, r);
        let (tf, gf) = hit_flat_grad(&p);
        close(t, tf, "value vs slices");
        let g: Vec<f64> = [go.to_array(), gd.to_array(), gc.to_array()].concat().into_iter().chain([gr]).collect();
        for k in 0..10 {
            close(g[k], gf[k], &format!("gradient[{k}] vs slices"));
        }
        check::check_gradient(hit_flat, &g, &p).unwrap();
        // Every parameter carries a derivative (none is silently constant).
        assert!(go.length() > 0.0 && gd.length() > 0.0 && gc.length() > 0.0 && gr != 0.0);
        let (_, _, h) = hit_hessian(o, d, c, r);
        check::check_hessian(hit_flat, &h, &p).unwrap();
        // JVP along a direction equals the gradient's projection.
        let (_, dt) = hit_jvp(o, DVec3::X, d, DVec3::Y, c, DVec3::ZERO, r, 0.5);
        close(dt, go.x + gd.y + 0.5 * gr, "jvp");
        // VJP with a cotangent of 2.
        let (_, (vo, _, _, vr)) = hit_vjp(o, d, c, r, 2.0);
        close(vo.z, 2.0 * go.z, "vjp origin");
        close(vr, 2.0 * gr, "vjp radius");
    }
}

// ----- vectors: methods, operators, components, constructors ------------------

#[differentiable]
fn vecs(a: DVec3, b: DVec3, s: f64) -> f64 {
    let c = a.cross(b);
    let m = (a * s - b / s + c * 0.5) * b;
    let u = DVec3::new(a.x * s, b.y, 1.0) + DVec3::splat(s);
    let w = DVec2::new(a.z, b.x);
    c.length() + m.element_sum() + a.distance(b) + u.distance_squared(c) + w.length_squared() + (-u).dot(a) + a[1] * b[2]
}

fn vecs_flat(p: &[f64]) -> f64 {
    let (a, b, s) = (dv3(&p[0..3]), dv3(&p[3..6]), p[6]);
    let c = a.cross(b);
    let m = (a * s - b / s + c * 0.5) * b;
    let u = DVec3::new(a.x * s, b.y, 1.0) + DVec3::splat(s);
    let w = DVec2::new(a.z, b.x);
    c.length() + m.element_sum() + a.distance(b) + u.distance_squared(c) + w.length_squared() + (-u).dot(a) + a[1] * b[2]
}

#[test]
fn vector_methods_operators_and_constructors() {
    for p in [[0.3, -1.2, 0.8, 1.1, 0.4, -0.6, 1.3], [2.0, 0.5, -0.7, -0.3, 1.5, 0.9, -0.8]] {
        let (a, b, s) = (dv3(&p[0..3]), dv3(&p[3..6]), p[6]);
        let (v, (ga, gb, gs)) = vecs_grad(a, b, s);
        close(v, vecs_flat(&p), "value");
        let g: Vec<f64> = [ga.to_array(), gb.to_array()].concat().into_iter().chain([gs]).collect();
        check::check_gradient(vecs_flat, &g, &p).unwrap();
        let (_, _, h) = vecs_hessian(a, b, s);
        check::check_hessian(vecs_flat, &h, &p).unwrap();
    }
}

// ----- matrices and quaternions ---------------------------------------------------

#[differentiable]
fn frames(angles: &[f64], #[no_grad] p: DVec3) -> f64 {
    let m = DMat3::from_rotation_z(angles[0]) * DMat3::from_rotation_x(angles[1]);
    let q = DQuat::from_rotation_y(angles[2]) ;
    let r = DMat2::from_angle(angles[0] - angles[2]);
    let u = m * p;
    let w = q * u;
    let z = r * DVec2::new(w.x, w.z);
    let t = m.transpose() * (m * 2.0 - m) * w;
    u.dot(w) + z.y + t.x + m.mul_vec3(p).z
}

fn frames_flat(a: &[f64], p: DVec3) -> f64 {
    let m = DMat3::from_rotation_z(a[0]) * DMat3::from_rotation_x(a[1]);
    let q = DQuat::from_rotation_y(a[2]);
    let r = DMat2::from_angle(a[0] - a[2]);
    let u = m * p;
    let w = q * u;
    let z = r * DVec2::new(w.x, w.z);
    let t = m.transpose() * (m * 2.0 - m) * w;
    u.dot(w) + z.y + t.x + m.mul_vec3(p).z
}

#[test]
fn rotation_matrices_and_quaternions() {
    let p = DVec3::new(0.3, -1.0, 0.7);
    for a in [[0.2, -0.4, 1.1], [1.3, 0.6, -0.8]] {
        let (v, g) = frames_grad(&a, p);
        close(v, frames_flat(&a, p), "value");
        check::check_gradient(|x: &[f64]| frames_flat(x, p), &g, &a).unwrap();
        let (_, _, h) = frames_hessian(&a, p);
        check::check_hessian(|x: &[f64]| frames_flat(x, p), &h, &a).unwrap();
    }
}

#[differentiable]
fn quat_active(q: DQuat, v: DVec3) -> f64 {
    let w = q * v;
    w.x + 2.0 * w.y * w.z
}

#[test]
fn quaternion_as_an_active_value() {
    // The tangent of a quaternion is any quaternion: glam's formula is a
    // polynomial in its four entries.
    let q = DQuat::from_rotation_y(0.4) * DQuat::from_rotation_x(-0.3);
    let v = DVec3::new(0.5, 1.0, -0.2);
    let (_, (gq, gv)) = quat_active_grad(q, v);
    let f = |x: &[f64]| quat_active(DQuat::from_xyzw(x[0], x[1], x[2], x[3]), dv3(&x[4..7]));
    let x: Vec<f64> = q.to_array().into_iter().chain(v.to_array()).collect();
    let g: Vec<f64> = gq.to_array().into_iter().chain(gv.to_array()).collect();
    check::check_gradient(f, &g, &x).unwrap();
    let (_, _, h) = quat_active_hessian(q, v);
    check::check_hessian(f, &h, &x).unwrap();
}

// ----- f32 types ---------------------------------------------------------------

#[differentiable]
fn f32_vecs(a: Vec3, s: f32) -> f32 {
    (a * s).length() + a.normalize().y + Vec3::new(s, 1.0, a.x).dot(a)
}

#[test]
fn f32_vectors() {
    let (a, s) = (Vec3::new(0.5, -1.0, 2.0), 1.5f32);
    let (_, (ga, gs)) = f32_vecs_grad(a, s);
    let f = |x: &[f32]| f32_vecs(Vec3::new(x[0], x[1], x[2]), x[3]);
    check::check_gradient(f, &[ga.x, ga.y, ga.z, gs], &[a.x, a.y, a.z, s]).unwrap();
}
