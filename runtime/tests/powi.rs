//! `dpowi_y` (the `powi` partial that reuses the primal's result) against
//! `n·a^(n-1)` computed directly, across the normal, underflow and overflow
//! ranges of `aⁿ`, in f64 and f32.

use leibniz_runtime::Float;
use leibniz_runtime::__private::{POWI_REUSE_MIN, dpowi, dpowi_y};

/// `|got - want|` within `rel·|want|` or below the bound the rustdoc of
/// `dpowi_y` promises where `aⁿ` underflowed (`|n|·2¹⁶` smallest normals).
fn check<F: Float + std::fmt::Debug>(a: F, n: i32, rel: f64) {
    let y = a.powi(n);
    let got = dpowi_y(a, y, n).to_f64().unwrap();
    let want = dpowi(a, n).to_f64().unwrap();
    let tiny = (n as f64).abs() * F::min_positive_value().to_f64().unwrap() / POWI_REUSE_MIN;
    if want.is_infinite() {
        assert_eq!(got, want, "a = {a:?}, n = {n}");
        return;
    }
    let err = (got - want).abs();
    assert!(
        err <= rel * want.abs() + if y.is_normal() { 0.0 } else { tiny },
        "a = {a:?}, n = {n}: dpowi_y {got:e}, n·a^(n-1) {want:e}"
    );
}

#[test]
fn reuse_matches_direct_power_f64() {
    let bases = [0.5, -0.7, 0.999, 1.001, 3.0, -2.5, 1e-5, 2e-5, 1e154, 1e-154];
    let exps = [-3000, -1100, -1075, -10, -1, 0, 1, 2, 7, 100, 1074, 1075, 1076, 2000, 1_000_000];
    for &a in &bases {
        for &n in &exps {
            check::<f64>(a, n, 1e-12);
        }
    }
}

#[test]
fn reuse_matches_direct_power_f32() {
    let bases = [0.5f32, -0.7, 0.999, 3.0, 1e-5, 2e-5, 1e19];
    let exps = [-200, -150, -1, 0, 1, 2, 7, 126, 149, 150, 151, 400, 100_000];
    for &a in &bases {
        for &n in &exps {
            check::<f32>(a, n, 1e-4);
        }
    }
}

/// Where `aⁿ` overflows the partial is computed from `a^(n-1)`, which may
/// still be finite: `(1e154)²` overflows, `2·1e154` does not.
#[test]
fn overflowed_power_keeps_a_finite_partial() {
    let d = dpowi_y(1e154f64, 1e154f64.powi(2), 2);
    assert!((d - 2e154).abs() <= 1e140, "{d:e}");
    let d = dpowi_y(1e300f64, 1e300f64, 1);
    assert_eq!(d, 1.0);
}
