use leibniz::prelude::*;

#[differentiable]
fn f(x: f64) -> f64 {
    let sq = |v: f64| v * v;
    sq(x) + 1.0
}

fn main() {}
