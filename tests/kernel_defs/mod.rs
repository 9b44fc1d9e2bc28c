//! The `#[kernel]` corpus of the tests: each kernel with a
//! `#[differentiable]` reference that runs the same body over every index
//! (what the CPU twin must agree with), and a list of every kernel's CUDA
//! module (what the NVRTC test compiles).
//!
//! Shared by `tests/kernel_cpu.rs`, `tests/kernel_nvrtc.rs` and
//! `tests/kernel_gpu.rs`.

#![allow(dead_code)]

use leibniz::prelude::*;

pub mod strict;

// ---- 1. 1-D diffusion stencil with boundaries (f64, an active scalar) ----

#[kernel]
pub fn diffuse(i: usize, u: &[f64], alpha: f64, out: &mut [f64]) {
    let n = u.len();
    let l = if i > 0 { u[i - 1] } else { 0.0 };
    let r = if i + 1 < n { u[i + 1] } else { 0.0 };
    out[i] = u[i] + alpha * (l - 2.0 * u[i] + r);
}

#[differentiable]
pub fn diffuse_ref(u: &[f64], alpha: f64, out: &mut [f64]) {
    let n = u.len();
    for i in 0..out.len() {
        let l = if i > 0 { u[i - 1] } else { 0.0 };
        let r = if i + 1 < n { u[i + 1] } else { 0.0 };
        out[i] = u[i] + alpha * (l - 2.0 * u[i] + r);
    }
}

// ---- 2. 2-D heat step with a source term (f64, integer parameters) -----

#[kernel]
pub fn heat2d(i: usize, u: &[f64], src: &[f64], nx: usize, dt: f64, out: &mut [f64]) {
    let x = i % nx;
    let y = i / nx;
    let ny = u.len() / nx;
    let c = u[i];
    let mut lap = -4.0 * c;
    if x > 0 { lap += u[i - 1]; } else { lap += c; }
    if x + 1 < nx { lap += u[i + 1]; } else { lap += c; }
    if y > 0 { lap += u[i - nx]; } else { lap += c; }
    if y + 1 < ny { lap += u[i + nx]; } else { lap += c; }
    out[i] = c + dt * (lap + src[i] * src[i]);
}

#[differentiable]
pub fn heat2d_ref(u: &[f64], src: &[f64], nx: usize, dt: f64, out: &mut [f64]) {
    let ny = u.len() / nx;
    for i in 0..out.len() {
        let x = i % nx;
        let y = i / nx;
        let c = u[i];
        let mut lap = -4.0 * c;
        if x > 0 { lap += u[i - 1]; } else { lap += c; }
        if x + 1 < nx { lap += u[i + 1]; } else { lap += c; }
        if y > 0 { lap += u[i - nx]; } else { lap += c; }
        if y + 1 < ny { lap += u[i + nx]; } else { lap += c; }
        out[i] = c + dt * (lap + src[i] * src[i]);
    }
}

// ---- 3. f32, a device callee, a constant-bounded loop that stores -------

pub const TAPS: usize = 4;

#[differentiable]
pub fn soft(x: f32, k: f32) -> f32 {
    (k * x).tanh() * x + 0.1 * (x * x).sin()
}

#[kernel]
pub fn taps32(i: usize, x: &[f32], w: &[f32], k: f32, y: &mut [f32]) {
    let mut s = 0.0;
    for j in 0..TAPS {
        let t = x[(i + j) % x.len()];
        s += w[j] * soft(t, k);
    }
    y[i] = s;
}

#[differentiable]
pub fn taps32_ref(x: &[f32], w: &[f32], k: f32, y: &mut [f32]) {
    for i in 0..y.len() {
        let mut s = 0.0;
        for j in 0..TAPS {
            let t = x[(i + j) % x.len()];
            s += w[j] * soft(t, k);
        }
        y[i] = s;
    }
}

// ---- 4. two outputs and a sum (f64): residual and loss ------------------

#[kernel]
pub fn misfit(i: usize, u: &[f64], obs: &[f64], #[no_grad] weight: f64, r: &mut [f64], total: &mut f64) {
    let e = u[i] - obs[i];
    r[i] = e;
    *total += 0.5 * weight * e * e;
}

#[differentiable]
pub fn misfit_ref(u: &[f64], obs: &[f64], #[no_grad] weight: f64, r: &mut [f64], total: &mut f64) {
    for i in 0..r.len() {
        let e = u[i] - obs[i];
        r[i] = e;
        *total += 0.5 * weight * e * e;
    }
}

// ---- 5. a gather through integer indices (atomics in the adjoint) -------

#[kernel]
pub fn gather(i: usize, x: &[f64], idx: &[u32], w: f64, flip: bool, y: &mut [f64]) {
    // a constant declared in the body
    const SQ: f64 = 1.0;
    let j = idx[i] as usize;
    let v = w * x[j].sin() + SQ * x[i] * x[i];
    y[i] = if flip { -v } else { v };
}

#[differentiable]
pub fn gather_ref(x: &[f64], idx: &[u32], w: f64, flip: bool, y: &mut [f64]) {
    for i in 0..y.len() {
        let j = idx[i] as usize;
        let v = w * x[j].sin() + x[i] * x[i];
        y[i] = if flip { -v } else { v };
    }
}

// ---- 6. generic device callees in a module, calling each other ---------

pub mod phys {
    use leibniz::prelude::*;

    #[differentiable]
    pub fn sq<T: Float>(x: T) -> T {
        x * x
    }

    /// Energy of a spring of stiffness `k` stretched by `d`, smoothed.
    #[differentiable]
    pub fn spring<T: Float>(d: T, k: T) -> T {
        let e = k * sq(d);
        e / (T::one() + e)
    }
}

#[kernel]
pub fn springs(i: usize, pos: &[f64], k: &[f64], rest: f64, energy: &mut [f64]) {
    let n = pos.len();
    let j = if i + 1 < n { i + 1 } else { 0 };
    let d = pos[j] - pos[i] - rest;
    energy[i] = phys::spring(d, k[i]);
}

#[differentiable]
pub fn springs_ref(pos: &[f64], k: &[f64], rest: f64, energy: &mut [f64]) {
    let n = pos.len();
    for i in 0..energy.len() {
        let j = if i + 1 < n { i + 1 } else { 0 };
        let d = pos[j] - pos[i] - rest;
        energy[i] = phys::spring(d, k[i]);
    }
}

// ---- 7. an output read and updated, a `while` loop, powi, constants ----

#[kernel]
pub fn relax(i: usize, x: &[f64], rate: f64, y: &mut [f64]) {
    let mut v = y[i];
    for _ in 0..3 {
        v = v + rate * (x[i] - v).powi(3) * std::f64::consts::FRAC_1_PI;
    }
    // integer square root of the index, by a `while` loop
    let mut m = 0usize;
    while (m + 1) * (m + 1) <= i {
        m += 1;
    }
    y[i] = v.max(-10.0) + 1e-3 * (m as f64);
}

#[differentiable]
pub fn relax_ref(x: &[f64], rate: f64, y: &mut [f64]) {
    for i in 0..y.len() {
        let mut v = y[i];
        for _ in 0..3 {
            v = v + rate * (x[i] - v).powi(3) * std::f64::consts::FRAC_1_PI;
        }
        let mut m = 0usize;
        while (m + 1) * (m + 1) <= i {
            m += 1;
        }
        y[i] = v.max(-10.0) + 1e-3 * (m as f64);
    }
}

/// Every kernel of the corpus, with its assembled CUDA module.
pub fn all_sources() -> Vec<(&'static str, &'static str)> {
    vec![
        ("diffuse", diffuse_cuda_source()),
        ("heat2d", heat2d_cuda_source()),
        ("taps32", taps32_cuda_source()),
        ("misfit", misfit_cuda_source()),
        ("gather", gather_cuda_source()),
        ("springs", springs_cuda_source()),
        ("relax", relax_cuda_source()),
        ("all_kinds", strict::all_kinds_cuda_source()),
    ]
}
