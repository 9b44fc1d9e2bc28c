use leibniz::prelude::*;

#[differentiable]
fn total(v: &[f64], a: f64) -> f64 {
    let mut s = 0.0;
    for j in 0..v.len() {
        s += v[j] * a;
    }
    s
}

#[kernel]
fn k(i: usize, x: &[f64], a: f64, y: &mut [f64]) {
    y[i] = x[i] * total(x, a);
}

fn main() {}
