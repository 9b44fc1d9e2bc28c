use leibniz::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut v = vec![0.0; 2];
    v.push(x);
    v[2] * x
}

fn main() {}
