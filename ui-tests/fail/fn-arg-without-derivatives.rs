// A function passed to a function parameter must have derivatives.
use leibniz::prelude::*;

fn rate(x: f64) -> f64 {
    -x
}

#[differentiable]
fn step<F: Fn(f64) -> f64>(f: F, x: f64) -> f64 {
    x + 0.1 * f(x)
}

#[differentiable]
fn run(x: f64) -> f64 {
    step(rate, x)
}

fn main() {}
