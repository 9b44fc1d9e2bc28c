//! Parameters whose types carry floats are differentiated, never silently
//! constant (issue: "Never silently constant"): a `Vec<f64>` by value is an
//! active array whose adjoint is returned. (Types of nalgebra, glam and
//! ndarray without their features are compile errors at the parameter:
//! `ui-tests/fail/interop-*.rs`.)

use leibniz::prelude::*;

#[differentiable]
fn prod(x: Vec<f64>, s: f64) -> f64 {
    x[0] * x[1] * s
}

#[test]
fn vec_by_value_is_active() {
    let (v, (gx, gs)) = prod_grad(vec![2.0, 3.0], 0.5);
    assert_eq!(v, 3.0);
    assert_eq!(gx, vec![1.5, 1.0]);
    assert_eq!(gs, 6.0);
    let (_, (ax, _)) = prod_vjp(vec![2.0, 3.0], 0.5, 2.0);
    assert_eq!(ax, vec![3.0, 2.0]);
}

/// A tape has a nameable type: its inputs, in parameter order.
struct Kept<'a> {
    tape: leibniz::Tape<(&'a [f64], f64)>,
}

#[differentiable]
fn weighted_sum(x: &[f64], w: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += w * x[i] * x[i];
    }
    s
}

#[test]
fn tapes_can_be_stored_in_struct_fields() {
    let x = [1.0, 2.0];
    let (_, tape) = weighted_sum_record(&x, 3.0);
    let kept = Kept { tape };
    let mut g = [0.0; 2];
    let gw = weighted_sum_pullback(&kept.tape, &mut g, 1.0);
    assert_eq!(g, [6.0, 12.0]);
    assert_eq!(gw, 5.0);
}
