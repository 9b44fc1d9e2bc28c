use leibniz::prelude::*;

// `#[checkpoint]` on a `while` loop, on a loop nested in another, and on a
// loop that can stop early.
#[differentiable]
fn on_while(x: f64) -> f64 {
    let mut y = x;
    let mut i = 0;
    #[checkpoint]
    while i < 10 {
        y = y * 0.9 + 0.1 * y.sin();
        i += 1;
    }
    y
}

#[differentiable]
fn nested(x: &[f64]) -> f64 {
    let mut y = x.to_vec();
    for _ in 0..3 {
        #[checkpoint]
        for _ in 0..10 {
            for i in 0..y.len() {
                y[i] = y[i] * y[i].cos();
            }
        }
    }
    y[0]
}

#[differentiable]
fn early(x: f64) -> f64 {
    let mut y = x;
    #[checkpoint]
    for _ in 0..100 {
        y = y * 0.9;
        if y < 0.01 {
            break;
        }
    }
    y
}

#[differentiable]
fn through_mut(x: &[f64], out: &mut f64) {
    let mut y = x.to_vec();
    #[checkpoint]
    for _ in 0..10 {
        for i in 0..y.len() {
            y[i] = y[i].sin();
        }
    }
    *out = y[0];
}

#[differentiable]
fn bad_option(x: f64) -> f64 {
    let mut y = x;
    let n = 4;
    #[checkpoint(slots = 4)]
    for _ in 0..10 {
        y = y.sin();
    }
    #[checkpoint(snapshots = n)]
    for _ in 0..10 {
        y = y.sin();
    }
    y
}

fn main() {}
