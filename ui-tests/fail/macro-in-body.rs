use leibniz::prelude::*;

macro_rules! square {
    ($e:expr) => {
        $e * $e
    };
}

#[differentiable]
fn f(x: f64) -> f64 {
    square!(x) + 1.0
}

fn main() {}
