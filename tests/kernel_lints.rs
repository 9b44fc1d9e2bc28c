//! What `#[kernel]` emits compiles without warnings in a crate that denies
//! them, `unsafe_code` and missing docs included.

#![deny(warnings, unsafe_code, missing_docs)]

/// Kernels under strict lints.
#[path = "kernel_defs/strict.rs"]
pub mod strict;

#[test]
fn strict_kernels_run() {
    let n = 10;
    let x: Vec<f32> = (0..n).map(|i| i as f32 * 0.1).collect();
    let idx: Vec<u32> = (0..n as u32).rev().collect();
    let (mut y, mut z, mut s) = (vec![0.0; n], vec![1.0; n], 0.0);
    strict::all_kinds(&x, &idx, 0.5, 2.0, 7, true, &mut y, &mut z, &mut s);
    let (mut y2, mut z2, mut s2) = (vec![0.0; n], vec![1.0; n], 0.0);
    strict::all_kinds_cpu(&x, &idx, 0.5, 2.0, 7, true, &mut y2, &mut z2, &mut s2);
    assert_eq!((y, z, s), (y2, z2, s2));
    let mut xb = vec![0.0; n];
    let ab = strict::all_kinds_vjp_cpu(&x, &mut xb, &idx, 0.5, 2.0, 7, true, &mut vec![0.0; n], &mut vec![1.0; n], &mut vec![1.0; n], &mut vec![1.0; n], &mut 0.0, &mut 1.0);
    assert!(ab.is_finite() && xb.iter().all(|v| v.is_finite()));
}
