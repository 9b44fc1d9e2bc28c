use leibniz::prelude::*;

#[differentiable]
fn f(x: f64, n: usize) -> f64 {
    let sq = |v: f64| v * v;
    let r = x % 2.0;
    let mut v = vec![0.0; n];
    v.push(r);
    match n {
        0 => r,
        _ => sq(v[0]),
    }
}

fn main() {}
