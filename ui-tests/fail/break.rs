use leibniz::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..10 {
        if s > 1.0 {
            break;
        }
        s += x * i as f64;
    }
    s
}

fn main() {}
