use leibniz::prelude::*;

#[differentiable]
fn f<'a>(x: f64, k: &'a f64) -> &'a f64 {
    let _ = x;
    k
}

fn main() {}
