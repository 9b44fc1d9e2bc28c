// `&DVector<f64>` without the `nalgebra` feature, the only parameter.
use leibniz::prelude::*;

#[differentiable]
fn norm2(x: &DVector<f64>) -> f64 {
    x.norm_squared()
}

fn main() {}
