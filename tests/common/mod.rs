//! Shared helpers of the correctness corpus (`tests/corpus_*.rs`).
//!
//! Every check compares derivatives the macro generated with something
//! independent of it: central finite differences of the primal
//! (`leibniz::check`), the other mode (JVP against gradient / VJP), or the
//! dot-product identity `<w, J v> = <Jᵀ w, v>`. No expected value is ever
//! copied from the implementation, and floats are only compared with a
//! tolerance that scales with `F::epsilon()` and the size of the terms.

#![allow(dead_code)]

use leibniz::check;
use leibniz::prelude::*;
use std::fmt::Debug;

/// Relative tolerance of AD-vs-AD comparisons, in units of `F::epsilon()`:
/// forward and reverse mode compute the same sums in different orders.
pub const AD_TOL_EPS: f64 = 1024.0;

/// Deterministic xorshift64* generator: the corpus must not depend on a
/// random seed that changes between runs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    pub fn vec<F: Float>(&mut self, n: usize, lo: f64, hi: f64) -> Vec<F> {
        (0..n).map(|_| c::<F>(self.uniform(lo, hi))).collect()
    }
}

/// An `f64` constant in any float type.
pub fn c<F: Float>(v: f64) -> F {
    F::from(v).unwrap()
}

/// `count` deterministic points of dimension `n`, each coordinate uniform in
/// `[lo, hi]`.
pub fn points<F: Float>(n: usize, count: usize, lo: f64, hi: f64, seed: u64) -> Vec<Vec<F>> {
    let mut rng = Rng::new(seed);
    (0..count).map(|_| rng.vec(n, lo, hi)).collect()
}

/// `count` deterministic points, coordinate `j` uniform in `ranges[j]`.
pub fn points_in<F: Float>(ranges: &[(f64, f64)], count: usize, seed: u64) -> Vec<Vec<F>> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            ranges
                .iter()
                .map(|&(lo, hi)| c::<F>(rng.uniform(lo, hi)))
                .collect()
        })
        .collect()
}

/// Points given explicitly (as f64) converted to `F`.
pub fn fixed<F: Float>(pts: &[&[f64]]) -> Vec<Vec<F>> {
    pts.iter()
        .map(|p| p.iter().map(|&v| c::<F>(v)).collect())
        .collect()
}

pub fn dot<F: Float>(a: &[F], b: &[F]) -> F {
    assert_eq!(a.len(), b.len(), "dot of slices of different lengths");
    a.iter().zip(b).fold(F::zero(), |s, (&x, &y)| s + x * y)
}

/// `|a·b|` summed term by term: the scale of rounding errors in `dot(a, b)`.
pub fn dot_scale<F: Float>(a: &[F], b: &[F]) -> F {
    a.iter()
        .zip(b)
        .fold(F::zero(), |s, (&x, &y)| s + (x * y).abs())
}

pub fn cat<F: Copy>(parts: &[&[F]]) -> Vec<F> {
    parts.iter().flat_map(|p| p.iter().copied()).collect()
}

/// `s` as a fixed-size array (for `[F; N]` and `&[F; N]` parameters).
pub fn arr<const N: usize, F: Copy + Debug>(s: &[F]) -> [F; N] {
    s.try_into()
        .unwrap_or_else(|_| panic!("expected {N} values, got {}", s.len()))
}

/// `e_i` in dimension `n`.
pub fn unit<F: Float>(n: usize, i: usize) -> Vec<F> {
    let mut v = vec![F::zero(); n];
    v[i] = F::one();
    v
}

/// Asserts `|got - want| <= AD_TOL_EPS * eps * (1 + scale)` where `scale`
/// is the size of the terms that were summed (so cancellation is allowed
/// for).
#[track_caller]
pub fn assert_close_scaled<F: Float + Debug>(got: F, want: F, scale: F, what: &str) {
    let tol = c::<F>(AD_TOL_EPS) * F::epsilon() * (F::one() + scale.abs() + want.abs());
    assert!(
        got.is_finite() && want.is_finite(),
        "{what}: non-finite value: got {got:?}, want {want:?}"
    );
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:?}, want {want:?} (|diff| = {:?} > tol {tol:?})",
        (got - want).abs()
    );
}

#[track_caller]
pub fn assert_close<F: Float + Debug>(got: F, want: F, what: &str) {
    assert_close_scaled(got, want, want.abs(), what)
}

#[track_caller]
pub fn assert_close_slice<F: Float + Debug>(got: &[F], want: &[F], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: lengths differ");
    let scale = want.iter().fold(F::zero(), |m, &w| m.max(w.abs()));
    for (i, (&g, &w)) in got.iter().zip(want).enumerate() {
        assert_close_scaled(g, w, scale, &format!("{what}[{i}]"));
    }
}

fn directions<F: Float>(n: usize, seed: u64, count: usize) -> Vec<Vec<F>> {
    points(n, count, -1.0, 1.0, seed ^ 0x5EED)
}

/// Full check of a scalar-valued differentiable function, written in terms
/// of its flattened active inputs `p` (every active parameter's values one
/// after the other):
///
/// * `f(p)`: the primal;
/// * `grad(p) -> (value, flat gradient)`: from `f_grad`;
/// * `jvp(p, v) -> (value, directional derivative)`: from `f_jvp`;
/// * `vjp(p, dout) -> (value, flat adjoint)`: from `f_vjp` (fresh zero
///   shadows).
///
/// At every point: value consistency, gradient against central finite
/// differences, `jvp(v) = <grad, v>` for several `v`, `vjp(w) = w grad` for
/// several `w`, and the dot-product test between `jvp` and `vjp`.
#[track_caller]
pub fn check_all<F: Float + Debug>(
    name: &str,
    pts: &[Vec<F>],
    f: impl Fn(&[F]) -> F,
    grad: impl Fn(&[F]) -> (F, Vec<F>),
    jvp: impl Fn(&[F], &[F]) -> (F, F),
    vjp: impl Fn(&[F], F) -> (F, Vec<F>),
) {
    assert!(pts.len() >= 3, "{name}: check at 3 points at least");
    for (k, p) in pts.iter().enumerate() {
        let n = p.len();
        let ctx = format!("{name} at point {k} {p:?}");
        let value = f(p);
        assert!(value.is_finite(), "{ctx}: primal is not finite: {value:?}");

        // 1. gradient against central finite differences
        let (gv, g) = grad(p);
        assert_close(gv, value, &format!("{ctx}: value from _grad"));
        assert_eq!(g.len(), n, "{ctx}: gradient length");
        check::assert_gradient(&f, &g, p);

        // 2. forward mode against the gradient
        for (j, v) in directions::<F>(n, k as u64 + 17, 3).iter().enumerate() {
            let (jv, d) = jvp(p, v);
            assert_close(jv, value, &format!("{ctx}: value from _jvp"));
            assert_close_scaled(
                d,
                dot(&g, v),
                dot_scale(&g, v),
                &format!("{ctx}: jvp along v{j} vs <grad, v>"),
            );
        }

        // 3. reverse mode against the gradient, several cotangents
        for w in [1.0, -0.75, 2.5] {
            let w = c::<F>(w);
            let (vv, gw) = vjp(p, w);
            assert_close(vv, value, &format!("{ctx}: value from _vjp"));
            let want: Vec<F> = g.iter().map(|&gi| gi * w).collect();
            assert_close_slice(
                &gw,
                &want,
                &format!("{ctx}: vjp(dout = {w:?}) vs dout * grad"),
            );
        }

        // 4. dot-product test between the two modes
        check::assert_dot_product(
            |v: &[F]| vec![jvp(p, v).1],
            |w: &[F]| vjp(p, w[0]).1,
            n,
            1,
            1000 + k as u64,
        );
    }
}

/// Checks `f_derivative` of a one-scalar function against finite
/// differences and against `f_jvp` with unit tangent.
#[track_caller]
pub fn check_derivative<F: Float + Debug>(
    name: &str,
    xs: &[F],
    f: impl Fn(F) -> F,
    derivative: impl Fn(F) -> F,
    jvp: impl Fn(F, F) -> (F, F),
) {
    assert!(xs.len() >= 3, "{name}: check at 3 points at least");
    for &x in xs {
        let d = derivative(x);
        check::assert_gradient(|p: &[F]| f(p[0]), &[d], &[x]);
        let (v, dj) = jvp(x, F::one());
        assert_close(v, f(x), &format!("{name}({x:?}): value from _jvp"));
        assert_close(dj, d, &format!("{name}({x:?}): _jvp(x, 1) vs _derivative"));
    }
}

/// Full check of a vector-valued function `R^n -> R^m` written over
/// flattened inputs / outputs:
///
/// * `f(p) -> outputs`;
/// * `jvp(p, v) -> (outputs, J v)`;
/// * `vjp(p, w) -> (outputs, Jᵀ w)` (fresh zero shadows).
///
/// The Jacobian is assembled column by column from `jvp` and checked
/// against central finite differences; the rows from `vjp` must agree with
/// it; and the dot-product test ties both modes together.
#[track_caller]
pub fn check_vector<F: Float + Debug>(
    name: &str,
    pts: &[Vec<F>],
    m: usize,
    f: impl Fn(&[F]) -> Vec<F>,
    jvp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    vjp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
) {
    assert!(pts.len() >= 3, "{name}: check at 3 points at least");
    for (k, p) in pts.iter().enumerate() {
        let n = p.len();
        let ctx = format!("{name} at point {k} {p:?}");
        let y = f(p);
        assert_eq!(y.len(), m, "{ctx}: output length");
        assert!(
            y.iter().all(|v| v.is_finite()),
            "{ctx}: primal is not finite: {y:?}"
        );

        // Jacobian columns from forward mode, checked against FD.
        let mut jac = vec![vec![F::zero(); n]; m];
        for j in 0..n {
            let (yj, col) = jvp(p, &unit::<F>(n, j));
            assert_close_slice(&yj, &y, &format!("{ctx}: value from _jvp"));
            assert_eq!(col.len(), m, "{ctx}: tangent length");
            for i in 0..m {
                jac[i][j] = col[i];
            }
        }
        if let Err(e) = check::check_jacobian(&f, &jac, p) {
            let fd = check::fd_jacobian(&f, p);
            panic!(
                "{ctx}: JVP Jacobian does not match finite differences: {e:?}\n jvp: {jac:?}\n fd:  {fd:?}"
            );
        }

        // Jacobian rows from reverse mode must equal the columns above.
        for i in 0..m {
            let (yi, row) = vjp(p, &unit::<F>(m, i));
            assert_close_slice(&yi, &y, &format!("{ctx}: value from _vjp"));
            assert_close_slice(
                &row,
                &jac[i],
                &format!("{ctx}: vjp row {i} vs jvp Jacobian"),
            );
        }

        // <w, J v> = <Jᵀ w, v>
        check::assert_dot_product(
            |v: &[F]| jvp(p, v).1,
            |w: &[F]| vjp(p, w).1,
            n,
            m,
            2000 + k as u64,
        );
    }
}

/// Reports a tape's size (visible with `cargo test -- --nocapture`).
pub fn report_tape(name: &str, bytes: usize) {
    println!("[tape] {name}: {bytes} bytes");
    assert!(
        bytes < (1 << 26),
        "{name}: tape of {bytes} bytes is implausibly large"
    );
}

/// The cotangents pulled back in the tape-reuse tests.
pub fn cotangents<F: Float>(m: usize, count: usize, seed: u64) -> Vec<Vec<F>> {
    points(m, count, -2.0, 2.0, seed ^ 0x7A9E)
}

/// Flattens what `_grad` / `_vjp` return (a scalar, a `Vec`, an array, `()`
/// or a tuple of these) into one `Vec`, in parameter order.
pub trait Flat<F> {
    fn flat(self) -> Vec<F>;
}

impl Flat<f64> for f64 {
    fn flat(self) -> Vec<f64> {
        vec![self]
    }
}

impl Flat<f32> for f32 {
    fn flat(self) -> Vec<f32> {
        vec![self]
    }
}

impl<F> Flat<F> for () {
    fn flat(self) -> Vec<F> {
        Vec::new()
    }
}

impl<F> Flat<F> for Vec<F> {
    fn flat(self) -> Vec<F> {
        self
    }
}

impl<F: Copy, const N: usize> Flat<F> for [F; N] {
    fn flat(self) -> Vec<F> {
        self.to_vec()
    }
}

impl<F, A: Flat<F>, B: Flat<F>> Flat<F> for (A, B) {
    fn flat(self) -> Vec<F> {
        let mut v = self.0.flat();
        v.extend(self.1.flat());
        v
    }
}

impl<F, A: Flat<F>, B: Flat<F>, C: Flat<F>> Flat<F> for (A, B, C) {
    fn flat(self) -> Vec<F> {
        let mut v = self.0.flat();
        v.extend(self.1.flat());
        v.extend(self.2.flat());
        v
    }
}

impl<F, A: Flat<F>, B: Flat<F>, C: Flat<F>, D: Flat<F>> Flat<F> for (A, B, C, D) {
    fn flat(self) -> Vec<F> {
        let mut v = self.0.flat();
        v.extend(self.1.flat());
        v.extend(self.2.flat());
        v.extend(self.3.flat());
        v
    }
}

/// `check_all` for a function whose parameters are all active scalars:
/// `check_scalars!(name, points, f, f_grad, f_jvp, f_vjp; 0, 1, 2)` where the
/// trailing list is the parameter indices.
#[allow(unused_macros)]
macro_rules! check_scalars {
    ($pts:expr, $f:path, $grad:path, $jvp:path, $vjp:path; $($i:tt),+) => {
        $crate::common::check_all(
            stringify!($f),
            &$pts,
            |p| $f($(p[$i]),+),
            |p| {
                let (v, g) = $grad($(p[$i]),+);
                (v, $crate::common::Flat::flat(g))
            },
            |p, d| $jvp($(p[$i], d[$i]),+),
            |p, w| {
                let (v, a) = $vjp($(p[$i]),+, w);
                (v, $crate::common::Flat::flat(a))
            },
        )
    };
}

/// `check_derivative` for a one-scalar function: `check_unary!(xs, f,
/// f_derivative, f_jvp)`.
#[allow(unused_macros)]
macro_rules! check_unary {
    ($xs:expr, $f:path, $der:path, $jvp:path) => {
        $crate::common::check_derivative(
            stringify!($f),
            &$xs,
            |x| $f(x),
            |x| $der(x),
            |x, d| $jvp(x, d),
        )
    };
}

impl<F, A: Flat<F>, B: Flat<F>, C: Flat<F>, D: Flat<F>, E: Flat<F>> Flat<F> for (A, B, C, D, E) {
    fn flat(self) -> Vec<F> {
        let mut v = self.0.flat();
        v.extend(self.1.flat());
        v.extend(self.2.flat());
        v.extend(self.3.flat());
        v.extend(self.4.flat());
        v
    }
}

/// A zero vector of the length and type of `p`.
pub fn zeros_like<F: Float>(p: &[F]) -> Vec<F> {
    vec![F::zero(); p.len()]
}

pub fn zeros<F: Float>(n: usize) -> Vec<F> {
    vec![F::zero(); n]
}

/// `check_all` for `fn f(x: &[F]) -> F` (one active slice parameter).
#[allow(unused_macros)]
macro_rules! check_slice_fn {
    ($pts:expr, $f:path, $grad:path, $jvp:path, $vjp:path) => {
        $crate::common::check_all(
            stringify!($f),
            &$pts,
            |p| $f(p),
            |p| $grad(p),
            |p, d| $jvp(p, d),
            |p, w| {
                let mut g = $crate::common::zeros_like(p);
                let (v, ()) = $vjp(p, &mut g, w);
                (v, g)
            },
        )
    };
}
