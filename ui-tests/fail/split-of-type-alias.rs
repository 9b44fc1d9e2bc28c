use leibniz::prelude::*;

type State = [f64; 4];

#[differentiable]
fn halves(x: &State) -> f64 {
    let (a, b) = x.split_at(2);
    a[0] * b[1]
}

fn main() {}
