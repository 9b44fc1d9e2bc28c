//! Kernels compiled under `#![deny(warnings, unsafe_code, missing_docs)]`
//! by `tests/kernel_lints.rs` (and with NVRTC by `tests/kernel_nvrtc.rs`).

use leibniz::prelude::*;

/// A documented constant.
pub const K: usize = 3;

/// A device function.
#[differentiable]
pub fn bump(x: f32, a: f32) -> f32 {
    x + a * (x * x).sin()
}

/// Every kind of parameter.
#[kernel]
pub fn all_kinds(i: usize, x: &[f32], idx: &[u32], a: f32, #[no_grad] b: f32, n: usize, on: bool, y: &mut [f32], z: &mut [f32], s: &mut f32) {
    let j = idx[i] as usize % x.len();
    let mut t = 0.0;
    for k in 0..K {
        t += bump(x[(j + k) % x.len()], a);
    }
    y[i] = if on { t * b } else { t + (n as f32) };
    z[i] += t;
    *s += t * t;
}
