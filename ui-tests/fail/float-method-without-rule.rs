use leibniz::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    x.abs_sub(2.0) * x
}

fn main() {}
