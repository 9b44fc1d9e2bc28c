use leibniz::prelude::*;

#[differentiable]
fn squares(x: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; x.len()];
    for i in 0..x.len() {
        out[i] = x[i] * x[i];
    }
    out
}

#[differentiable]
fn first_square(x: &[f64]) -> f64 {
    let s = squares(x);
    s[0]
}

fn main() {}
