use leibniz::prelude::*;

#[kernel]
fn k(i: usize, x: &[f64], y: &mut [f64], s: &mut f64) {
    if x[i] > 0.0 {
        y[i] = x[i];
    }
    *s = x[i];
}

fn main() {}
