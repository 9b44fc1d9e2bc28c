use leibniz::prelude::*;

#[kernel]
fn k(i: usize, x: &[f64], y: &mut [f64]) {
    let buf = vec![0.0; 4];
    y[i] = x[i] + buf[0];
}

fn main() {}
