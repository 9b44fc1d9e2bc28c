use leibniz::prelude::*;

#[differentiable]
fn write_pair(x: f64, out: &mut [f64; 2]) {
    out[0] = x * x;
    out[1] = x.sin();
}

#[differentiable]
fn fill(x: &[f64], out: &mut [f64]) {
    for i in 0..x.len() {
        let pair: &mut [f64; 2] = (&mut out[2 * i..2 * i + 2]).try_into().unwrap();
        write_pair(x[i], pair);
    }
}

fn main() {}
