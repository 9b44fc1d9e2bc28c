use leibniz::prelude::*;

#[differentiable]
fn pick(x: &[f64], y: &[f64]) -> f64 {
    let mut v = x;
    let mut s = 0.0;
    for i in 0..3 {
        if i == 1 { v = y; }
        s += v[i] * v[i];
    }
    s
}

fn main() {}
