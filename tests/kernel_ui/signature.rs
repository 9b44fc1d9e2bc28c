use leibniz::prelude::*;

#[kernel]
fn generic<T: Float>(i: usize, x: &[T], y: &mut [T]) {
    y[i] = x[i];
}

#[kernel]
fn no_index(x: &[f64], y: &mut [f64]) {
    y[0] = x[0];
}

#[kernel]
fn returns(i: usize, x: &[f64]) -> f64 {
    x[i]
}

#[kernel]
fn mixed(i: usize, x: &[f32], y: &mut [f64]) {
    y[i] = x[i] as f64;
}

#[kernel]
fn vec_input(i: usize, x: &Vec<f64>, y: &mut [f64]) {
    y[i] = x[i];
}

fn main() {}
