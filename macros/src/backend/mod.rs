//! Backends: IR printed as Rust and as CUDA C.

pub mod rust;
