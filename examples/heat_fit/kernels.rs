//! The kernels of the `heat_fit` example (also compiled with NVRTC by
//! `tests/kernel_nvrtc.rs`).

use leibniz::prelude::*;

/// One explicit step of the heat equation `∂u/∂t = κ Δu + s` on an
/// `nx × ny` grid (row-major, `ny = u.len() / nx`), with insulated
/// (zero-flux) boundaries: `out = u + κ·dt·Δu + dt·s`.
#[kernel]
pub fn heat_step(i: usize, u: &[f64], src: &[f64], nx: usize, #[no_grad] kappa_dt: f64, #[no_grad] dt: f64, out: &mut [f64]) {
    let ny = u.len() / nx;
    let x = i % nx;
    let y = i / nx;
    let c = u[i];
    let w = if x > 0 { u[i - 1] } else { c };
    let e = if x + 1 < nx { u[i + 1] } else { c };
    let s = if y > 0 { u[i - nx] } else { c };
    let n = if y + 1 < ny { u[i + nx] } else { c };
    out[i] = c + kappa_dt * (w + e + s + n - 4.0 * c) + dt * src[i];
}

/// Half the squared misfit to an observed field, summed over the grid.
#[kernel]
pub fn misfit(i: usize, u: &[f64], #[no_grad] obs: &[f64], loss: &mut f64) {
    let e = u[i] - obs[i];
    *loss += 0.5 * e * e;
}

/// The CUDA modules of these kernels.
#[allow(dead_code)]
pub fn all_sources() -> Vec<(&'static str, &'static str)> {
    vec![("heat_step", heat_step_cuda_source()), ("misfit", misfit_cuda_source())]
}
