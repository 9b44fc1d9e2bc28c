use leibniz::prelude::*;

#[kernel]
fn k(i: usize, x: &[f64], y: &mut [f64]) {
    println!("{}", x[i]);
    y[i] = x[i];
}

fn main() {}
