// `&ndarray::Array1<f64>` without the `ndarray` feature.
use leibniz::prelude::*;

#[differentiable]
fn total(x: &ndarray::Array1<f64>, w: f64) -> f64 {
    x[0] * w
}

fn main() {}
