//! `#[kernel]`: one per-element Rust body, CPU twin and CUDA kernels for its
//! primal, tangent and adjoint.

pub mod pipeline;
