use leibniz::prelude::*;

#[differentiable]
fn f(x: f64, y: f32) -> f64 {
    x * 2.0 + y as f64
}

fn main() {}
