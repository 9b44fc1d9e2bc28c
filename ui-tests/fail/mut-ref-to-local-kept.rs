use leibniz::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut y = x;
    let r = &mut y;
    *r = 2.0 * x;
    y
}

fn main() {}
