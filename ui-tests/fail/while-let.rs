use leibniz::prelude::*;

#[differentiable]
fn f(x: f64, n: usize) -> f64 {
    let mut k = n;
    let mut s = x;
    while let Some(j) = k.checked_sub(1) {
        s = s * x;
        k = j;
    }
    s
}

fn main() {}
