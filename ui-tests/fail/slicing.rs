use leibniz::prelude::*;

#[differentiable]
fn tail_sum(x: &[f64]) -> f64 {
    let rest = &x[1..];
    x[0]
}

fn main() {}
