use leibniz::prelude::*;

#[kernel]
fn k(i: usize, x: &[f64], y: &mut [f64]) {
    let mut s = 0.0;
    for j in 0..x.len() {
        s += (x[j] * x[i]).sin();
    }
    y[i] = s;
}

fn main() {}
