//! Backends: IR printed as Rust and as CUDA C.

pub mod cuda;
pub mod rust;
