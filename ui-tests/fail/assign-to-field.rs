use leibniz::prelude::*;

struct Model {
    k: f64,
}

#[differentiable]
fn f(x: f64, mut m: Model) -> f64 {
    m.k = 2.0;
    m.k * x
}

fn main() {}
