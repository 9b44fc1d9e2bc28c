// ndarray views are not differentiated (with or without the feature): the
// error says what to write instead.
use leibniz::prelude::*;

#[differentiable]
fn dot(x: ndarray::ArrayView1<f64>, y: ndarray::ArrayViewMut1<f64>) -> f64 {
    x[0] * y[0]
}

fn main() {}
