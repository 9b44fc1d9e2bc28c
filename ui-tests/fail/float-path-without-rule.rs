use leibniz::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    f64::rem_euclid(x, 2.0)
}

fn main() {}
