use leibniz::prelude::*;

#[kernel]
fn k(i: usize, x: &[f64], y: &mut [f64]) {
    y[i + 1] = x[i];
}

fn main() {}
