use leibniz::prelude::*;

#[differentiable(checkpoint = 8)]
fn steps(x: f64) -> f64 {
    let mut y = x;
    for _ in 0..100 {
        y = y * 0.99 + 0.01;
    }
    y
}

fn main() {}
