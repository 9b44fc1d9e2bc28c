// A nalgebra vector without the `nalgebra` feature would carry no
// derivatives: an error at the parameter, not a silent constant.
use leibniz::prelude::*;

#[differentiable]
fn f(q: &nalgebra::Vector2<f64>, s: f64) -> f64 {
    q.x * s
}

fn main() {}
