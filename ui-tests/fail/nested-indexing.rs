use leibniz::prelude::*;

#[differentiable]
fn f(a: &[[f64; 3]], i: usize, j: usize) -> f64 {
    a[i][j] * 2.0
}

fn main() {}
