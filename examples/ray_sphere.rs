//! Fit a sphere to ray-hit distances with a small differentiable ray tracer.
//!
//! `cargo run --release --example ray_sphere`
//!
//! A `Vec3` type with operator overloading (`+`, `-`, `*` by a scalar, `*`
//! of two vectors as the dot product, unary `-`), each operator impl marked
//! `#[differentiable]`, and a ray-sphere intersection written with them. A
//! camera shoots a fan of rays at an unknown sphere and measures the hit
//! distances; Newton's method on the squared distance errors, with the
//! gradient and the Hessian of the misfit from `misfit_grad` and
//! `misfit_hessian` (second order through the operators), recovers the
//! sphere's centre and radius. Exits nonzero if the fit misses the truth or
//! a derivative check fails.

use leibniz::check;
use leibniz::prelude::*;
use std::ops::{Add, Mul, Neg, Sub};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, leibniz::Differentiable)]
pub struct Vec3 {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

impl Vec3 {
    pub const fn new(x: f64, y: f64, z: f64) -> Vec3 {
        Vec3 { x, y, z }
    }
}

#[differentiable]
impl Add for Vec3 {
    type Output = Vec3;
    fn add(self, o: Vec3) -> Vec3 {
        Vec3 { x: self.x + o.x, y: self.y + o.y, z: self.z + o.z }
    }
}

#[differentiable]
impl Sub for Vec3 {
    type Output = Vec3;
    fn sub(self, o: Vec3) -> Vec3 {
        Vec3 { x: self.x - o.x, y: self.y - o.y, z: self.z - o.z }
    }
}

#[differentiable]
impl Mul<f64> for Vec3 {
    type Output = Vec3;
    fn mul(self, s: f64) -> Vec3 {
        Vec3 { x: self.x * s, y: self.y * s, z: self.z * s }
    }
}

/// The dot product.
#[differentiable]
impl Mul for Vec3 {
    type Output = f64;
    fn mul(self, o: Vec3) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }
}

#[differentiable]
impl Neg for Vec3 {
    type Output = Vec3;
    fn neg(self) -> Vec3 {
        Vec3 { x: -self.x, y: -self.y, z: -self.z }
    }
}

#[differentiable]
impl Vec3 {
    pub fn norm(&self) -> f64 {
        (*self * *self).sqrt()
    }

    pub fn normalized(self) -> Vec3 {
        let n = self.norm();
        self * (1.0 / n)
    }
}

/// Distance along the ray `origin + t dir` to the nearer intersection with
/// the sphere `(centre, radius)`; a miss gives a large distance so that the
/// fit pushes the sphere back onto the ray.
#[differentiable]
pub fn hit_distance(origin: Vec3, dir: Vec3, centre: Vec3, radius: f64) -> f64 {
    let d = dir.normalized();
    let oc = origin - centre;
    let b = oc * d;
    let c = oc * oc - radius * radius;
    let disc = b * b - c;
    if disc < 0.0 {
        return 100.0 + (-disc).sqrt();
    }
    -b - disc.sqrt()
}

/// Three cameras, each shooting a 4 × 4 fan of rays towards `(0, 0, 5)`:
/// `(origin, direction)` pairs.
fn rays() -> Vec<(Vec3, Vec3)> {
    let mut r = Vec::new();
    for cam in [Vec3::new(0.0, 0.0, 0.0), Vec3::new(4.0, 0.5, 2.0), Vec3::new(-3.0, 3.0, 1.0)] {
        let aim = Vec3::new(0.0, 0.0, 5.0) - cam;
        for i in 0..4 {
            for j in 0..4 {
                let jitter = Vec3::new((i as f64 - 1.5) * 0.05, (j as f64 - 1.5) * 0.05, 0.02 * (i + j) as f64);
                r.push((cam, aim.normalized() + jitter));
            }
        }
    }
    r
}

/// Half the sum of squared errors of the predicted hit distances; `s` holds
/// the sphere as `[cx, cy, cz, r]`, `rays` the rays as six numbers each
/// (origin, direction).
#[differentiable]
pub fn misfit(s: &[f64], #[no_grad] rays: &[f64], #[no_grad] observed: &[f64]) -> f64 {
    let centre = Vec3 { x: s[0], y: s[1], z: s[2] };
    let mut e = 0.0;
    for k in 0..observed.len() {
        let o = Vec3 { x: rays[6 * k], y: rays[6 * k + 1], z: rays[6 * k + 2] };
        let d = Vec3 { x: rays[6 * k + 3], y: rays[6 * k + 4], z: rays[6 * k + 5] };
        let r = hit_distance(o, d, centre, s[3]) - observed[k];
        e += 0.5 * r * r;
    }
    e
}

/// Solves the 4 × 4 system `h x = g` by Gaussian elimination with partial
/// pivoting.
fn solve(mut h: Vec<Vec<f64>>, mut g: Vec<f64>) -> Vec<f64> {
    let n = g.len();
    for c in 0..n {
        let p = (c..n).max_by(|&a, &b| h[a][c].abs().total_cmp(&h[b][c].abs())).unwrap_or(c);
        h.swap(c, p);
        g.swap(c, p);
        for r in c + 1..n {
            let f = h[r][c] / h[c][c];
            for k in c..n {
                h[r][k] -= f * h[c][k];
            }
            g[r] -= f * g[c];
        }
    }
    let mut x = vec![0.0; n];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| h[c][k] * x[k]).sum();
        x[c] = (g[c] - s) / h[c][c];
    }
    x
}

fn main() -> ExitCode {
    let truth = [0.15, -0.1, 5.0, 1.2];
    let dirs: Vec<f64> = rays().iter().flat_map(|(o, d)| [o.x, o.y, o.z, d.x, d.y, d.z]).collect();
    let observed: Vec<f64> = rays().iter().map(|&(o, d)| hit_distance(o, d, Vec3::new(truth[0], truth[1], truth[2]), truth[3])).collect();

    // The derivatives, checked before they are used.
    let mut s = vec![0.05, 0.05, 4.8, 1.1];
    let (_, g) = misfit_grad(&s, &dirs, &observed);
    if let Err(e) = check::check_gradient(|x: &[f64]| misfit(x, &dirs, &observed), &g, &s) {
        println!("FAIL gradient check: {e}");
        return ExitCode::FAILURE;
    }
    let (_, _, h) = misfit_hessian(&s, &dirs, &observed);
    if let Err(e) = check::check_hessian(|x: &[f64]| misfit(x, &dirs, &observed), &h, &s) {
        println!("FAIL Hessian check: {e}");
        return ExitCode::FAILURE;
    }
    println!("gradient and Hessian of the misfit agree with finite differences");

    // Newton with Levenberg-Marquardt damping: a step is taken only if it
    // lowers the misfit, else the damping grows.
    let mut lambda = 1e-3;
    for it in 0..60 {
        let (e, g, h) = misfit_hessian(&s, &dirs, &observed);
        println!("iteration {it:2}: misfit {e:.3e}, centre ({:.5}, {:.5}, {:.5}), radius {:.5}", s[0], s[1], s[2], s[3]);
        if e < 1e-24 {
            break;
        }
        loop {
            let mut hd = h.clone();
            for (i, row) in hd.iter_mut().enumerate() {
                row[i] += lambda * (1.0 + h[i][i].abs());
            }
            let step = solve(hd, g.clone());
            let trial: Vec<f64> = s.iter().zip(&step).map(|(a, b)| a - b).collect();
            if misfit(&trial, &dirs, &observed) < e {
                s = trial;
                lambda = (lambda * 0.3).max(1e-12);
                break;
            }
            lambda *= 10.0;
            if lambda > 1e12 {
                break;
            }
        }
    }
    let err = s.iter().zip(&truth).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    if err < 1e-6 {
        println!("PASS: sphere recovered to {err:.1e}");
        ExitCode::SUCCESS
    } else {
        println!("FAIL: sphere off by {err:.1e}");
        ExitCode::FAILURE
    }
}
