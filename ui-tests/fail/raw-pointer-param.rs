use leibniz::prelude::*;

#[differentiable]
fn scaled(x: f64, p: *const f64) -> f64 {
    x * 2.0
}

fn main() {}
