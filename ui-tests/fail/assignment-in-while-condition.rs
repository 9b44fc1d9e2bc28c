use leibniz::prelude::*;

#[differentiable]
fn grow(x: &[f64]) -> f64 {
    let mut s = x[0];
    while {
        s = s * 1.5;
        s < 10.0
    } {
        s = s + x[1];
    }
    s
}

fn main() {}
