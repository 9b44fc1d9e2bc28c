use leibniz::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    f64::abs_sub(x, 2.0)
}

fn main() {}
