use leibniz::prelude::*;

#[differentiable]
fn f(x: f64, n: usize) -> f64 {
    let y = unsafe { core::ptr::read(&x) };
    let z = 'b: {
        if n > 2 {
            break 'b x;
        }
        x * 2.0
    };
    let Some(w) = Some(x) else { return 0.0 };
    y * z + w.abs_sub(1.0)
}

fn main() {}
