use leibniz::prelude::*;

#[differentiable]
fn f(n: usize, flag: bool) {
    let _ = n;
    let _ = flag;
}

fn main() {}
