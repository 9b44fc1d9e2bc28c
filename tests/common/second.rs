//! Checkers of the second-order API (`f_hvp`, `f_hessian`,
//! `f_second_derivative`, `f_jacobian`), written over flattened inputs like
//! `common::check_all`.
//!
//! Every reference is independent of the second-order code: central finite
//! differences of `_grad` (for `H v`), second differences of the primal
//! (`leibniz::check::check_hessian`), the first-order API (`_grad`, `_jvp`,
//! `_vjp`) and closed forms derived by hand in the test file. AD-vs-AD
//! comparisons use `common::assert_close*` (a tolerance of `AD_TOL_EPS`
//! epsilons scaled by the size of the terms); finite-difference comparisons
//! use [`fd_rtol`] (1e-5 in `f64`, 5e-2 in `f32`), with the step scaled to
//! the point.
//!
//! Declared from a test file that also has `mod common;`:
//! `#[path = "common/second.rs"] mod second;`.

#![allow(dead_code)]

use crate::common::*;
use leibniz::check;
use leibniz::prelude::*;
use std::fmt::Debug;

pub fn to64<F: Float>(x: F) -> f64 {
    x.to_f64().unwrap()
}

pub fn f64s<F: Float>(x: &[F]) -> Vec<f64> {
    x.iter().map(|&v| to64(v)).collect()
}

/// Relative (norm-wise) tolerance of the finite-difference comparisons.
pub fn fd_rtol<F: Float>() -> f64 {
    if to64(F::epsilon()) > 1e-10 { 5e-2 } else { 1e-5 }
}

fn max_abs<F: Float>(v: &[F]) -> f64 {
    v.iter().fold(0.0, |m: f64, &x| m.max(to64(x).abs()))
}

/// Central finite difference of `grad` along `v` at `x`:
/// `(grad(x + t v) - grad(x - t v)) / 2t`, `t = cbrt(eps) max(1, |x|∞) / |v|∞`.
/// Returns `(fd, t, largest |grad| seen)`.
pub fn fd_hvp<F: Float>(grad: &dyn Fn(&[F]) -> Vec<F>, x: &[F], v: &[F]) -> (Vec<f64>, f64, f64) {
    let vmax = max_abs(v);
    if vmax == 0.0 {
        return (vec![0.0; x.len()], 0.0, 0.0);
    }
    let t = to64(F::epsilon()).cbrt() * max_abs(x).max(1.0) / vmax;
    let tf = c::<F>(t);
    let xp: Vec<F> = x.iter().zip(v).map(|(&a, &b)| a + tf * b).collect();
    let xm: Vec<F> = x.iter().zip(v).map(|(&a, &b)| a - tf * b).collect();
    // the step actually taken in the float type
    let (gp, gm) = (grad(&xp), grad(&xm));
    let gscale = max_abs(&gp).max(max_abs(&gm));
    let fd = gp
        .iter()
        .zip(&gm)
        .map(|(&a, &b)| (to64(a) - to64(b)) / (2.0 * t))
        .collect();
    (fd, t, gscale)
}

/// `hv` against [`fd_hvp`], norm-wise: every entry within
/// `rtol (1 + max(|hv|∞, |fd|∞)) + 8 eps |grad|∞ / t`.
#[track_caller]
pub fn assert_hvp_fd<F: Float + Debug>(
    ctx: &str,
    grad: &dyn Fn(&[F]) -> Vec<F>,
    x: &[F],
    v: &[F],
    hv: &[F],
) {
    let (fd, t, gscale) = fd_hvp(grad, x, v);
    let scale = max_abs(hv).max(fd.iter().fold(0.0, |m: f64, &a| m.max(a.abs())));
    let eps = to64(F::epsilon());
    let noise = if t > 0.0 { 8.0 * eps * gscale / t } else { 0.0 };
    let tol = fd_rtol::<F>() * (1.0 + scale) + noise;
    for i in 0..x.len() {
        let (a, b) = (to64(hv[i]), fd[i]);
        assert!(
            a.is_finite() && (a - b).abs() <= tol,
            "{ctx}: Hv[{i}] = {a:e} but central FD of _grad gives {b:e} (|diff| {:e} > tol {tol:e})\n  v  = {:?}\n  Hv = {:?}\n  fd = {fd:?}",
            (a - b).abs(),
            f64s(v),
            f64s(hv)
        );
    }
}

/// A scalar function over flattened active inputs and its second-order API.
pub struct Second<'a, F> {
    name: String,
    f: Box<dyn Fn(&[F]) -> F + 'a>,
    grad: Box<dyn Fn(&[F]) -> (F, Vec<F>) + 'a>,
    hvp: Box<dyn Fn(&[F], &[F]) -> (F, Vec<F>, Vec<F>) + 'a>,
    hessian: Option<Box<dyn Fn(&[F]) -> (F, Vec<F>, Vec<Vec<F>>) + 'a>>,
    jacobian: Option<Box<dyn Fn(&[F]) -> (F, Vec<Vec<F>>) + 'a>>,
    fd_hessian_max_n: usize,
    directions: usize,
}

impl<'a, F: Float + Debug> Second<'a, F> {
    /// `f(p)`, `grad(p) -> (value, flat gradient)` from `_grad`,
    /// `hvp(p, v) -> (value, flat gradient, flat H v)` from `_hvp`.
    pub fn new(
        name: &str,
        f: impl Fn(&[F]) -> F + 'a,
        grad: impl Fn(&[F]) -> (F, Vec<F>) + 'a,
        hvp: impl Fn(&[F], &[F]) -> (F, Vec<F>, Vec<F>) + 'a,
    ) -> Self {
        Second {
            name: name.to_string(),
            f: Box::new(f),
            grad: Box::new(grad),
            hvp: Box::new(hvp),
            hessian: None,
            jacobian: None,
            fd_hessian_max_n: 12,
            directions: 3,
        }
    }

    /// `_hessian(p) -> (value, gradient, H)`.
    pub fn hessian(mut self, h: impl Fn(&[F]) -> (F, Vec<F>, Vec<Vec<F>>) + 'a) -> Self {
        self.hessian = Some(Box::new(h));
        self
    }

    /// `_jacobian(p) -> (value, J)` (one row: the gradient).
    pub fn jacobian(mut self, j: impl Fn(&[F]) -> (F, Vec<Vec<F>>) + 'a) -> Self {
        self.jacobian = Some(Box::new(j));
        self
    }

    /// Compare `H` with second differences of `f` only up to this size
    /// (`10 n² + 1` calls of `f`).
    pub fn fd_hessian_up_to(mut self, n: usize) -> Self {
        self.fd_hessian_max_n = n;
        self
    }

    pub fn directions(mut self, k: usize) -> Self {
        self.directions = k;
        self
    }

    #[track_caller]
    pub fn run(&self, pts: &[Vec<F>]) {
        assert!(pts.len() >= 2, "{}: check at 2 points at least", self.name);
        for (k, p) in pts.iter().enumerate() {
            self.at(k, p);
        }
    }

    #[track_caller]
    fn at(&self, k: usize, p: &[F]) {
        let n = p.len();
        let ctx = format!("{} at point {k} {:?}", self.name, f64s(p));
        let value = (self.f)(p);
        assert!(value.is_finite(), "{ctx}: primal is not finite: {value:?}");
        let (gv, g) = (self.grad)(p);
        assert_close(gv, value, &format!("{ctx}: value from _grad"));
        assert_eq!(g.len(), n, "{ctx}: gradient length");
        // the first-order reference itself (so a failure below is second order)
        if let Err(e) = check::check_gradient(&*self.f, &g, p) {
            panic!("{ctx}: _grad (first order) disagrees with finite differences: {e}");
        }
        let grad_only = |x: &[F]| (self.grad)(x).1;

        // directions: random ones, a unit vector, a scaled one
        let mut dirs: Vec<Vec<F>> = points(n, self.directions, -1.0, 1.0, 0x5EC0 + 31 * k as u64 + n as u64);
        dirs.push(unit(n, k % n));
        dirs.push(dirs[0].iter().map(|&x| x * c::<F>(3.5)).collect());
        let mut hvs = Vec::new();
        for (j, v) in dirs.iter().enumerate() {
            let c2 = format!("{ctx}, direction {j}");
            let (hv_val, hg, hv) = (self.hvp)(p, v);
            assert_close(hv_val, value, &format!("{c2}: value from _hvp vs primal"));
            assert_close_slice(&hg, &g, &format!("{c2}: gradient from _hvp vs _grad"));
            assert_eq!(hv.len(), n, "{c2}: Hv length");
            assert!(hv.iter().all(|x| x.is_finite()), "{c2}: Hv not finite: {hv:?}");
            assert_hvp_fd(&c2, &grad_only, p, v, &hv);
            if let Err(e) = check::check_hvp(grad_only, &hv, p, v) {
                panic!("{c2}: check::check_hvp failed: {e}\n  Hv = {:?}", f64s(&hv));
            }
            hvs.push(hv);
        }

        // H v is linear in v: H(3.5 v0) = 3.5 H v0, H(a v0 + b v1) = a H v0 + b H v1
        let last = hvs.len() - 1;
        let scaled: Vec<F> = hvs[0].iter().map(|&x| x * c::<F>(3.5)).collect();
        assert_close_slice(&hvs[last], &scaled, &format!("{ctx}: H(3.5 v) vs 3.5 H v"));
        if dirs.len() > 2 {
            let (a, b) = (c::<F>(0.75), c::<F>(-1.25));
            let comb: Vec<F> = dirs[0].iter().zip(&dirs[1]).map(|(&x, &y)| a * x + b * y).collect();
            let (_, _, hc) = (self.hvp)(p, &comb);
            for i in 0..n {
                let want = a * hvs[0][i] + b * hvs[1][i];
                let scale = (a * hvs[0][i]).abs() + (b * hvs[1][i]).abs();
                assert_close_scaled(hc[i], want, scale, &format!("{ctx}: linearity of _hvp in v, entry {i}"));
            }
            // symmetry: <v1, H v0> = <v0, H v1>
            let l = dot(&dirs[1], &hvs[0]);
            let r = dot(&dirs[0], &hvs[1]);
            let s = dot_scale(&dirs[1], &hvs[0]) + dot_scale(&dirs[0], &hvs[1]);
            assert_close_scaled(l, r, s, &format!("{ctx}: <v1, H v0> vs <v0, H v1>"));
        }
        // zero direction: H 0 = 0
        let (_, _, h0) = (self.hvp)(p, &vec![F::zero(); n]);
        assert!(h0.iter().all(|x| x.is_zero()), "{ctx}: H 0 = {h0:?}, not 0");

        if let Some(hess) = &self.hessian {
            let (hval, hg, h) = hess(p);
            assert_close(hval, value, &format!("{ctx}: value from _hessian"));
            assert_close_slice(&hg, &g, &format!("{ctx}: gradient from _hessian vs _grad"));
            assert_eq!(h.len(), n, "{ctx}: Hessian rows");
            for i in 0..n {
                assert_eq!(h[i].len(), n, "{ctx}: Hessian row {i} length");
                for j in 0..n {
                    assert!(
                        h[i][j] == h[j][i],
                        "{ctx}: Hessian not exactly symmetric: H[{i}][{j}] = {:?}, H[{j}][{i}] = {:?}",
                        h[i][j],
                        h[j][i]
                    );
                }
            }
            // columns against _hvp of unit vectors
            let scale = h.iter().fold(F::zero(), |m, r| r.iter().fold(m, |m, &x| m.max(x.abs())));
            for j in 0..n {
                let (_, _, col) = (self.hvp)(p, &unit(n, j));
                for i in 0..n {
                    assert_close_scaled(h[i][j], col[i], scale, &format!("{ctx}: H[{i}][{j}] vs _hvp(e_{j})[{i}]"));
                }
            }
            // H v against _hvp
            for (j, v) in dirs.iter().enumerate() {
                for i in 0..n {
                    let hv_i = dot(&h[i], v);
                    assert_close_scaled(hv_i, hvs[j][i], dot_scale(&h[i], v), &format!("{ctx}: (H v{j})[{i}] vs _hvp"));
                }
            }
            if n <= self.fd_hessian_max_n {
                if let Err(e) = check::check_hessian(&*self.f, &h, p) {
                    let fd = check::fd_hessian(&*self.f, p);
                    panic!("{ctx}: _hessian vs second differences of f: {e}\n  H  = {h:?}\n  fd = {fd:?}");
                }
                let fd = check::fd_hessian(&*self.f, p);
                let sc = scale.max(c::<F>(max_abs(&fd.concat())));
                for i in 0..n {
                    for j in 0..n {
                        let d = to64(h[i][j] - fd[i][j]).abs();
                        assert!(
                            d <= fd_rtol::<F>() * (1.0 + to64(sc)),
                            "{ctx}: H[{i}][{j}] = {:?} vs fd_hessian {:?}",
                            h[i][j],
                            fd[i][j]
                        );
                    }
                }
            }
        }

        if let Some(jac) = &self.jacobian {
            let (jval, j) = jac(p);
            assert_close(jval, value, &format!("{ctx}: value from _jacobian"));
            assert_eq!(j.len(), 1, "{ctx}: Jacobian of a scalar function has one row");
            assert_close_slice(&j[0], &g, &format!("{ctx}: _jacobian row vs _grad"));
        }
    }
}

/// `f_second_derivative` against a closed form `want(x)` derived by hand,
/// against `_hvp(x, 1)` and against second differences of `f`.
#[track_caller]
pub fn check_second_derivative<F: Float + Debug>(
    name: &str,
    xs: &[F],
    f: impl Fn(F) -> F,
    second: impl Fn(F) -> F,
    hvp1: impl Fn(F) -> F,
    want: impl Fn(F) -> F,
) {
    assert!(xs.len() >= 2, "{name}: check at 2 points at least");
    for &x in xs {
        let ctx = format!("{name}''({x:?})");
        let d2 = second(x);
        let w = want(x);
        let tol = c::<F>(4096.0) * F::epsilon() * (F::one() + w.abs());
        assert!(
            d2.is_finite() && (d2 - w).abs() <= tol,
            "{ctx}: _second_derivative = {d2:?} but the closed form gives {w:?} (|diff| {:?} > {tol:?})",
            (d2 - w).abs()
        );
        assert_close(hvp1(x), d2, &format!("{ctx}: _hvp(x, 1) vs _second_derivative"));
        let fd = check::fd_hessian(|p: &[F]| f(p[0]), &[x]);
        let d = to64(fd[0][0] - d2).abs();
        assert!(
            d <= fd_rtol::<F>() * (1.0 + to64(d2).abs()),
            "{ctx}: _second_derivative = {d2:?} vs fd_hessian {:?}",
            fd[0][0]
        );
    }
}

/// Checks of `f_jacobian` for a function over flattened inputs and outputs:
///
/// * `f(p) -> y` (the primal, outputs flattened: result then `&mut` finals);
/// * `jac(p) -> (y, J)` from `_jacobian` (`y` flattened the same way);
/// * `jvp(p, v) -> (y, J v)`, `vjp(p, w) -> (y, Jᵀ w)` from the first-order
///   API (fresh zero shadows).
///
/// `J` against `check::check_jacobian` and `check::fd_jacobian`, columns
/// and rows against `_jvp` / `_vjp` of unit vectors, `J v` / `wᵀ J` along
/// random directions, and the dot-product test of `_jvp` and `_vjp`.
#[track_caller]
pub fn check_jacobian_fn<F: Float + Debug>(
    name: &str,
    pts: &[Vec<F>],
    m: usize,
    f: impl Fn(&[F]) -> Vec<F>,
    jac: impl Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>),
    jvp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    vjp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
) {
    assert!(pts.len() >= 2, "{name}: check at 2 points at least");
    for (k, p) in pts.iter().enumerate() {
        let n = p.len();
        let ctx = format!("{name} at point {k} {:?}", f64s(p));
        let y = f(p);
        assert_eq!(y.len(), m, "{ctx}: output length");
        assert!(y.iter().all(|v| v.is_finite()), "{ctx}: primal not finite: {y:?}");
        let (yj, j) = jac(p);
        assert_close_slice(&yj, &y, &format!("{ctx}: result of _jacobian vs primal"));
        assert_eq!(j.len(), m, "{ctx}: Jacobian rows");
        for (i, r) in j.iter().enumerate() {
            assert_eq!(r.len(), n, "{ctx}: Jacobian row {i} length");
            assert!(r.iter().all(|v| v.is_finite()), "{ctx}: Jacobian row {i} not finite: {r:?}");
        }
        if let Err(e) = check::check_jacobian(&f, &j, p) {
            let fd = check::fd_jacobian(&f, p);
            panic!("{ctx}: _jacobian vs finite differences: {e}\n  J  = {j:?}\n  fd = {fd:?}");
        }
        let fd = check::fd_jacobian(&f, p);
        let sc = j.iter().chain(&fd).fold(0.0f64, |m, r| m.max(max_abs(r)));
        for a in 0..m {
            for b in 0..n {
                let d = to64(j[a][b] - fd[a][b]).abs();
                assert!(d <= fd_rtol::<F>() * (1.0 + sc), "{ctx}: J[{a}][{b}] = {:?} vs fd_jacobian {:?}", j[a][b], fd[a][b]);
            }
        }
        let scale = j.iter().fold(F::zero(), |mx, r| r.iter().fold(mx, |mx, &x| mx.max(x.abs())));
        for b in 0..n {
            let (yv, col) = jvp(p, &unit(n, b));
            assert_close_slice(&yv, &y, &format!("{ctx}: value from _jvp"));
            for a in 0..m {
                assert_close_scaled(j[a][b], col[a], scale, &format!("{ctx}: J[{a}][{b}] vs _jvp(e_{b})"));
            }
        }
        for a in 0..m {
            let (yv, row) = vjp(p, &unit(m, a));
            assert_close_slice(&yv, &y, &format!("{ctx}: value from _vjp"));
            for b in 0..n {
                assert_close_scaled(j[a][b], row[b], scale, &format!("{ctx}: J[{a}][{b}] vs _vjp(e_{a})"));
            }
        }
        for (t, v) in points::<F>(n, 2, -1.0, 1.0, 0x1AC0 + k as u64).iter().enumerate() {
            let (_, jv) = jvp(p, v);
            for a in 0..m {
                assert_close_scaled(dot(&j[a], v), jv[a], dot_scale(&j[a], v), &format!("{ctx}: (J v{t})[{a}] vs _jvp"));
            }
        }
        check::assert_dot_product(|v: &[F]| jvp(p, v).1, |w: &[F]| vjp(p, w).1, n, m, 0xD07 + k as u64);
    }
}

/// `Second` for a function whose parameters are all active scalars:
/// `second_scalars!(pts, f, f_grad, f_hvp, f_hessian, f_jacobian; 0, 1)`.
#[allow(unused_macros)]
macro_rules! second_scalars {
    ($pts:expr, $f:path, $grad:path, $hvp:path, $hess:path, $jac:path; $($i:tt),+) => {
        $crate::second::Second::new(
            stringify!($f),
            |p| $f($(p[$i]),+),
            |p| {
                let (v, g) = $grad($(p[$i]),+);
                (v, $crate::common::Flat::flat(g))
            },
            |p, d| {
                let (v, g, h) = $hvp($(p[$i], d[$i]),+);
                (v, $crate::common::Flat::flat(g), $crate::common::Flat::flat(h))
            },
        )
        .hessian(|p| $hess($(p[$i]),+))
        .jacobian(|p| $jac($(p[$i]),+))
        .run(&$pts)
    };
}

/// `Second` for `fn f(x: &[F]) -> F` (one active slice):
/// `second_slice!(pts, f, f_grad, f_hvp, f_hessian, f_jacobian)`.
#[allow(unused_macros)]
macro_rules! second_slice {
    ($pts:expr, $f:path, $grad:path, $hvp:path, $hess:path, $jac:path) => {
        $crate::second::Second::new(stringify!($f), |p| $f(p), |p| $grad(p), |p, d| $hvp(p, d))
            .hessian(|p| $hess(p))
            .jacobian(|p| $jac(p))
            .run(&$pts)
    };
}

/// `Second` for `fn f(x: &[F], t: F) -> F` over `p = [x; t]`.
#[allow(unused_macros)]
macro_rules! second_slice_scalar {
    ($pts:expr, $f:path, $grad:path, $hvp:path, $hess:path, $jac:path) => {{
        let n = $pts[0].len() - 1;
        $crate::second::Second::new(
            stringify!($f),
            |p| $f(&p[..n], p[n]),
            |p| {
                let (v, g) = $grad(&p[..n], p[n]);
                (v, $crate::common::Flat::flat(g))
            },
            |p, d| {
                let (v, g, h) = $hvp(&p[..n], &d[..n], p[n], d[n]);
                (v, $crate::common::Flat::flat(g), $crate::common::Flat::flat(h))
            },
        )
        .hessian(|p| $hess(&p[..n], p[n]))
        .jacobian(|p| $jac(&p[..n], p[n]))
        .run(&$pts)
    }};
}

/// `Second` for `fn f(x: &[F], y: &[F]) -> F` over `p = [x; y]`, `x` of
/// length `nx`.
#[allow(unused_macros)]
macro_rules! second_two_slices {
    ($pts:expr, $nx:expr, $f:path, $grad:path, $hvp:path, $hess:path, $jac:path) => {{
        let nx: usize = $nx;
        $crate::second::Second::new(
            stringify!($f),
            |p| $f(&p[..nx], &p[nx..]),
            |p| {
                let (v, g) = $grad(&p[..nx], &p[nx..]);
                (v, $crate::common::Flat::flat(g))
            },
            |p, d| {
                let (v, g, h) = $hvp(&p[..nx], &d[..nx], &p[nx..], &d[nx..]);
                (v, $crate::common::Flat::flat(g), $crate::common::Flat::flat(h))
            },
        )
        .hessian(|p| $hess(&p[..nx], &p[nx..]))
        .jacobian(|p| $jac(&p[..nx], &p[nx..]))
        .run(&$pts)
    }};
}
