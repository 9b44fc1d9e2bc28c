use leibniz::prelude::*;

#[differentiable]
fn late(x: f64) -> f64 {
    let y;
    y = x * x;
    y
}

fn main() {}
