//! The kernels of the `stencil_bandwidth` benchmark (also compiled with
//! NVRTC by `tests/kernel_nvrtc.rs`): a bandwidth-bound 2-D five-point
//! stencil at both precisions, and a copy as the reference of what the
//! memory system delivers for one read and one write per element.

use leibniz::prelude::*;

/// `out = u + c·Δu` on an `nx`-wide grid, boundaries clamped.
#[kernel]
pub fn lap32(i: usize, u: &[f32], nx: usize, #[no_grad] c: f32, out: &mut [f32]) {
    let ny = u.len() / nx;
    let x = i % nx;
    let y = i / nx;
    let m = u[i];
    let w = if x > 0 { u[i - 1] } else { m };
    let e = if x + 1 < nx { u[i + 1] } else { m };
    let s = if y > 0 { u[i - nx] } else { m };
    let n = if y + 1 < ny { u[i + nx] } else { m };
    out[i] = m + c * (w + e + s + n - 4.0 * m);
}

/// [`lap32`] at `f64`.
#[kernel]
pub fn lap64(i: usize, u: &[f64], nx: usize, #[no_grad] c: f64, out: &mut [f64]) {
    let ny = u.len() / nx;
    let x = i % nx;
    let y = i / nx;
    let m = u[i];
    let w = if x > 0 { u[i - 1] } else { m };
    let e = if x + 1 < nx { u[i + 1] } else { m };
    let s = if y > 0 { u[i - nx] } else { m };
    let n = if y + 1 < ny { u[i + nx] } else { m };
    out[i] = m + c * (w + e + s + n - 4.0 * m);
}

/// `out = u`: one read, one write per element.
#[kernel]
pub fn copy32(i: usize, u: &[f32], out: &mut [f32]) {
    out[i] = u[i];
}

/// [`copy32`] at `f64`.
#[kernel]
pub fn copy64(i: usize, u: &[f64], out: &mut [f64]) {
    out[i] = u[i];
}

/// The CUDA modules of these kernels.
#[allow(dead_code)]
pub fn all_sources() -> Vec<(&'static str, &'static str)> {
    vec![
        ("lap32", lap32_cuda_source()),
        ("lap64", lap64_cuda_source()),
        ("copy32", copy32_cuda_source()),
        ("copy64", copy64_cuda_source()),
    ]
}
