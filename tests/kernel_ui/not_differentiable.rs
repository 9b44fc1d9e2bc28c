use leibniz::prelude::*;

/// Not #[differentiable]: the CPU twin may call it (its argument carries no
/// derivative), but it has no device version.
fn weight(k: usize) -> f64 {
    1.0 / (1.0 + k as f64)
}

#[kernel]
fn k(i: usize, x: &[f64], y: &mut [f64]) {
    y[i] = x[i] * weight(i);
}

fn main() {}
