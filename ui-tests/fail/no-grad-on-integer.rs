use leibniz::prelude::*;

#[differentiable]
fn f(x: f64, #[no_grad] n: usize) -> f64 {
    x * n as f64
}

fn main() {}
