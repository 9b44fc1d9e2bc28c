//! Representative `#[differentiable]` functions compiled with every warning
//! denied (and, in CI, `cargo clippy -p leibniz-lint -- -D warnings`): the
//! code the macros emit must not warn in users' crates.

#![deny(warnings)]
#![deny(missing_docs)]

use leibniz::prelude::*;
use std::ops::{Add, Mul};

/// Scalars, float methods, a branch.
#[differentiable]
pub fn scalar(x: f64, y: f64) -> f64 {
    let z = if x > y { (x * y).sin() } else { x.exp() / (1.0 + y * y) };
    z * z.tanh()
}

/// A loop over a slice, an early return, a `&mut` output.
#[differentiable]
pub fn residuals(x: &[f64], out: &mut [f64]) {
    for i in 0..out.len() {
        if x.is_empty() {
            return;
        }
        out[i] = x[i] * x[(i + 1) % x.len()] - 1.0;
    }
}

/// Iterator chains and a generic float.
#[differentiable]
pub fn norm<T: leibniz::Float>(x: &[T]) -> T {
    x.iter().fold(T::zero(), |s, v| s + *v * *v).sqrt()
}

/// A differentiable struct.
#[derive(Clone, Copy, Debug, leibniz::Differentiable)]
pub struct V2 {
    /// x
    pub x: f64,
    /// y
    pub y: f64,
}

#[differentiable]
impl Add for V2 {
    type Output = V2;
    fn add(self, o: V2) -> V2 {
        V2 { x: self.x + o.x, y: self.y + o.y }
    }
}

#[differentiable]
impl Mul<f64> for V2 {
    type Output = V2;
    fn mul(self, s: f64) -> V2 {
        V2 { x: self.x * s, y: self.y * s }
    }
}

#[differentiable]
impl V2 {
    /// The length.
    pub fn length(&self) -> f64 {
        self.x.hypot(self.y)
    }
}

/// Operators and methods on structs, a `match`, a call.
#[differentiable]
pub fn energy(a: V2, b: V2, k: f64, mode: u8) -> f64 {
    let c = (a + b) * k;
    let s = match mode {
        0 => c.length(),
        1 => scalar(c.x, c.y),
        _ => 0.0,
    };
    s * s
}

/// A function parameter.
#[differentiable]
pub fn euler<F: Fn(f64, f64) -> f64>(f: F, y0: f64, k: f64, steps: usize) -> f64 {
    let mut y = y0;
    for _ in 0..steps {
        y = y + 0.1 * f(y, k);
    }
    y
}

/// Its right-hand side.
#[differentiable]
pub fn decay(y: f64, k: f64) -> f64 {
    -k * y
}

/// A call passing a function by name.
#[differentiable]
pub fn decayed(y0: f64, k: f64) -> f64 {
    euler(decay, y0, k, 5)
}

/// A function leibniz cannot see into.
pub fn softplus(x: f64) -> f64 {
    x.exp().ln_1p()
}

/// Its rule.
#[leibniz::jvp_rule(softplus, order = 2)]
pub fn softplus_jvp(x: f64, dx: f64) -> (f64, f64) {
    (softplus(x), dx / (1.0 + (-x).exp()))
}

/// A call of a function with a rule, and a special function.
#[differentiable]
pub fn with_rules(x: f64) -> f64 {
    softplus(x) + leibniz::special::lgamma(x * x + 1.0)
}

/// A checkpointed time loop: array and scalar state, a loop inside an `if`
/// (the schedule's parts in two branches), the index used in the body.
#[differentiable]
pub fn checkpointed(x0: &[f64], k: f64, steps: usize) -> f64 {
    let mut x = x0.to_vec();
    let mut t = 0.0;
    if steps > 2 {
        #[checkpoint(snapshots = 4, chunk = 2)]
        for s in 0..steps {
            let w = (s as f64 * 0.1).cos();
            for v in x.iter_mut() {
                *v += 0.01 * (w - k * *v * *v);
            }
            t += x[0] * w;
        }
    }
    let mut e = t;
    for v in &x {
        e += v * v;
    }
    e
}
