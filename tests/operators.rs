//! `#[differentiable]` on operator impls (`Add`, `Sub`, `Mul<F>`,
//! `Mul<Vec3>` as a dot product, `Neg`, scalar-times-vector `Mul<Vec3> for
//! f64`), used through `a + b * t` in differentiable code: values, JVP, VJP,
//! gradients and HVPs against finite differences, at f32 and f64 (generic
//! impls), including `+=` on structs and operators inside methods.

#[macro_use]
mod common;

use common::*;
use leibniz::check;
use leibniz::prelude::*;
use std::ops::{Add, Mul, Neg, Sub};

#[derive(Clone, Copy, Debug, PartialEq, leibniz::Differentiable)]
pub struct Vec3<T> {
    pub x: T,
    pub y: T,
    pub z: T,
}

#[differentiable]
impl<T: leibniz::Float> Add for Vec3<T> {
    type Output = Vec3<T>;
    fn add(self, o: Vec3<T>) -> Vec3<T> {
        Vec3 { x: self.x + o.x, y: self.y + o.y, z: self.z + o.z }
    }
}

#[differentiable]
impl<T: leibniz::Float> Sub for Vec3<T> {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        Vec3 { x: self.x - o.x, y: self.y - o.y, z: self.z - o.z }
    }
}

#[differentiable]
impl<T: leibniz::Float> Mul<T> for Vec3<T> {
    type Output = Vec3<T>;
    fn mul(self, s: T) -> Vec3<T> {
        Vec3 { x: self.x * s, y: self.y * s, z: self.z * s }
    }
}

/// `a * b` of two vectors: the dot product.
#[differentiable]
impl<T: leibniz::Float> Mul for Vec3<T> {
    type Output = T;
    fn mul(self, o: Vec3<T>) -> T {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
}

#[differentiable]
impl<T: leibniz::Float> Neg for Vec3<T> {
    type Output = Vec3<T>;
    fn neg(self) -> Vec3<T> {
        Vec3 { x: -self.x, y: -self.y, z: -self.z }
    }
}

/// Scalar on the left, for `f64` only (a generic `impl<T> Mul<Vec3<T>> for
/// T` is not allowed by Rust's orphan rules).
#[differentiable]
impl std::ops::Mul<Vec3<f64>> for f64 {
    type Output = Vec3<f64>;
    fn mul(self, v: Vec3<f64>) -> Vec3<f64> {
        Vec3 { x: self * v.x, y: self * v.y, z: self * v.z }
    }
}

#[differentiable]
impl<T: leibniz::Float> Vec3<T> {
    pub fn norm(&self) -> T {
        (*self * *self).sqrt()
    }

    pub fn normalized(self) -> Vec3<T> {
        let n = self.norm();
        self * (T::one() / n)
    }
}

/// Distance along the ray `o + t d` (unit `d`) to the sphere `(c, r)`, the
/// nearer hit (the ray is assumed to hit).
#[differentiable]
pub fn hit_distance<T: leibniz::Float>(o: Vec3<T>, d: Vec3<T>, c: Vec3<T>, r: T) -> T {
    let oc = o - c;
    let b = oc * d;
    let cc = oc * oc - r * r;
    let disc = b * b - cc;
    -b - disc.sqrt()
}

/// Compound assignment and a loop over a fixed set of points.
#[differentiable]
pub fn centroid_spread(p: &[f64], s: f64) -> f64 {
    let mut acc = Vec3 { x: 0.0, y: 0.0, z: 0.0 };
    let n = p.len() / 3;
    for i in 0..n {
        let q = Vec3 { x: p[3 * i], y: p[3 * i + 1], z: p[3 * i + 2] };
        acc += q * s;
    }
    let c = acc * (1.0 / n as f64);
    let mut spread = 0.0;
    for i in 0..n {
        let q = Vec3 { x: p[3 * i], y: p[3 * i + 1], z: p[3 * i + 2] };
        let e = q - c;
        spread += e * e;
    }
    spread + (2.0 * c).norm() - (-c).normalized().x
}

impl std::ops::AddAssign for Vec3<f64> {
    fn add_assign(&mut self, o: Vec3<f64>) {
        *self = *self + o;
    }
}

fn v3<T: Copy>(p: &[T]) -> Vec3<T> {
    Vec3 { x: p[0], y: p[1], z: p[2] }
}

fn flat<T: Copy>(v: Vec3<T>) -> [T; 3] {
    [v.x, v.y, v.z]
}

fn hit_check<T: leibniz::Float + std::fmt::Debug>(seed: u64) {
    // Rays from near the origin along a fixed unit direction towards a
    // sphere around (0, 0, 5): inputs o (3), c (3), r; the direction's own
    // derivative is checked through the JVP.
    let pts: Vec<Vec<T>> = points_in(&[(-0.2, 0.2), (-0.2, 0.2), (-0.1, 0.1), (-0.3, 0.3), (-0.3, 0.3), (4.5, 5.5), (1.0, 1.5)], 4, seed);
    let (a, b) = (c::<T>(0.05), c::<T>(-0.03));
    let n = (a * a + b * b + T::one()).sqrt();
    let d = Vec3 { x: a / n, y: b / n, z: T::one() / n };
    let z = Vec3 { x: T::zero(), y: T::zero(), z: T::zero() };
    let flat_g = |go: Vec3<T>, gc: Vec3<T>, gr: T| {
        let mut g = flat(go).to_vec();
        g.extend(flat(gc));
        g.push(gr);
        g
    };
    check_all(
        "hit_distance",
        &pts,
        |p| hit_distance(v3(&p[0..3]), d, v3(&p[3..6]), p[6]),
        |p| {
            let (v, (go, _gd, gc, gr)) = hit_distance_grad(v3(&p[0..3]), d, v3(&p[3..6]), p[6]);
            (v, flat_g(go, gc, gr))
        },
        |p, dp| hit_distance_jvp(v3(&p[0..3]), v3(&dp[0..3]), d, z, v3(&p[3..6]), v3(&dp[3..6]), p[6], dp[6]),
        |p, w| {
            let (v, (go, _gd, gc, gr)) = hit_distance_vjp(v3(&p[0..3]), d, v3(&p[3..6]), p[6], w);
            (v, flat_g(go, gc, gr))
        },
    );
    // The direction's derivative: JVP along a change of d against FD.
    for p in &pts {
        let dd = Vec3 { x: c::<T>(0.3), y: c::<T>(-0.2), z: c::<T>(0.1) };
        let (_, t) = hit_distance_jvp(v3(&p[0..3]), z, d, dd, v3(&p[3..6]), z, p[6], T::zero());
        let h = c::<T>(1e-3);
        let dp = Vec3 { x: d.x + h * dd.x, y: d.y + h * dd.y, z: d.z + h * dd.z };
        let dm = Vec3 { x: d.x - h * dd.x, y: d.y - h * dd.y, z: d.z - h * dd.z };
        let fd = (hit_distance(v3(&p[0..3]), dp, v3(&p[3..6]), p[6]) - hit_distance(v3(&p[0..3]), dm, v3(&p[3..6]), p[6])) / (h + h);
        assert!((t - fd).abs() <= c::<T>(1e-2) * (T::one() + fd.abs()), "d/dd: {t:?} vs {fd:?}");
    }
}

#[test]
fn ray_sphere_f64() {
    hit_check::<f64>(1);
}

#[test]
fn ray_sphere_f32() {
    hit_check::<f32>(2);
}

#[test]
fn compound_assignment_methods_and_scalar_left() {
    check_slice_fn!(points(9, 4, -1.0, 1.0, 3).into_iter().map(|mut p| {
        p.push(0.7);
        p
    }).map(|p| p[..9].to_vec()).collect::<Vec<_>>(), spread9, spread9_grad, spread9_jvp, spread9_vjp);
}

#[differentiable]
fn spread9(p: &[f64]) -> f64 {
    centroid_spread(p, 1.3)
}

#[test]
fn second_order_through_operators() {
    #[differentiable]
    fn f(p: &[f64]) -> f64 {
        let o = Vec3 { x: p[0], y: p[1], z: 0.0 };
        let c = Vec3 { x: 0.0, y: 0.0, z: p[2] };
        hit_distance(o, Vec3 { x: 0.0, y: 0.0, z: 1.0 }, c, p[3])
    }
    for p in points_in::<f64>(&[(-0.2, 0.2), (-0.2, 0.2), (4.0, 6.0), (1.0, 1.5)], 4, 4) {
        for v in points::<f64>(4, 2, -1.0, 1.0, 5) {
            let (_, _, hv) = f_hvp(&p, &v);
            check::check_hvp(|x| f_grad(x).1, &hv, &p, &v).unwrap_or_else(|e| panic!("{p:?} {v:?}: {e:?}"));
        }
    }
}
