//! Derivative checkers for your own functions: central finite differences,
//! gradient, Jacobian, Hessian and Hessian-vector-product checks, the JVP/VJP
//! dot-product test, and checks of custom derivative rules.
//!
//! Everything here is generic over [`Float`], and every tolerance is derived
//! from `F::epsilon()`, so the same call works for `f32` and `f64`.
//!
//! * [`fd_gradient`] / [`fd_jacobian`]: central finite differences with a
//!   step scaled per coordinate, `h_i = cbrt(eps) * max(1, |x_i|)`.
//! * [`check_gradient`] / [`assert_gradient`] and [`check_jacobian`]: compare
//!   derivatives you computed (by `#[differentiable]` or by hand) against
//!   finite differences, entry by entry, with a mixed absolute/relative
//!   criterion (see [`check_gradient`] for the exact tolerance).
//! * [`dot_product_test`] / [`assert_dot_product`]: tie a forward-mode
//!   product `v -> J v` to a reverse-mode product `w -> Jᵀ w` by checking
//!   `<w, J v> = <Jᵀ w, v>` for random `v`, `w`, to rounding error. No finite
//!   differences are involved, so this test is exact up to rounding and
//!   catches transposition bugs finite differences would hide in their noise.
//! * [`fd_hessian`] / [`check_hessian`]: second central differences, and a
//!   dense Hessian checked against them; [`check_hvp`]: a Hessian-vector
//!   product against finite differences of a gradient along the vector.
//! * [`check_jvp_rule`], [`check_vjp_rule`], [`check_rule`]: a custom
//!   derivative rule (written in the shape of an emitted `_jvp` / `_vjp`)
//!   at a list of points: its value against `f`, its tangents or
//!   cotangents against finite differences along random directions, its
//!   linearity in the direction, and, for a JVP/VJP pair, the dot-product
//!   test between them. In the manner of JAX's `check_grads` and
//!   EnzymeTestUtils' `test_forward` / `test_reverse`.
//!
//! ```
//! # use leibniz_runtime as leibniz;
//! use leibniz::check;
//!
//! // f(x) = x0² + 3 x1, gradient [2 x0, 3]
//! let f = |x: &[f64]| x[0] * x[0] + 3.0 * x[1];
//! let x = [1.5, -2.0];
//! check::assert_gradient(f, &[2.0 * x[0], 3.0], &x);
//! assert!(check::check_gradient(f, &[2.0 * x[0], 3.3], &x).is_err());
//! ```

use core::fmt;

use num_traits::Float;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Where a check found its worst disagreement.
///
/// For the custom-rule checks ([`check_jvp_rule`], [`check_vjp_rule`],
/// [`check_rule`]) `point` is the index into the `points` you passed and
/// `trial` the index of the random direction drawn at that point (directions
/// come from a fixed seed, so a failure reproduces).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Entry `i` of a gradient.
    Gradient(usize),
    /// Entry `(row, col)` = d out\[row\] / d x\[col\] of a Jacobian.
    Jacobian {
        /// The output.
        row: usize,
        /// The input.
        col: usize,
    },
    /// The scalar identity `<w, J v> = <Jᵀ w, v>` of the dot-product test,
    /// for the `trial`-th random pair drawn from `seed`.
    DotProduct {
        /// The seed passed to [`dot_product_test`].
        seed: u64,
        /// Which random pair.
        trial: usize,
    },
    /// Entry `(row, col)` = d² f / dx\[row\] dx\[col\] of a Hessian.
    Hessian {
        /// The first index.
        row: usize,
        /// The second index.
        col: usize,
    },
    /// Entry `i` of a Hessian-vector product.
    Hvp(usize),
    /// Output `output` of the value a rule returned, against `f`.
    Value {
        /// Which point.
        point: usize,
        /// Which output.
        output: usize,
    },
    /// Output `output` of the tangent a JVP rule returned along random
    /// direction `trial`, against central finite differences.
    Tangent {
        /// Which point.
        point: usize,
        /// Which random direction.
        trial: usize,
        /// Which output.
        output: usize,
    },
    /// Output `output` of `jvp(x, a v + b w)` against
    /// `a jvp(x, v) + b jvp(x, w)`: a JVP rule must be linear in its tangent.
    TangentLinearity {
        /// Which point.
        point: usize,
        /// Which output.
        output: usize,
    },
    /// Entry `input` of the cotangent `x̄ = Jᵀ w` a VJP rule returned for
    /// random output cotangent `trial`, against finite differences.
    Cotangent {
        /// Which point.
        point: usize,
        /// Which random cotangent.
        trial: usize,
        /// Which input.
        input: usize,
    },
    /// Entry `input` of `vjp(x, a u + b w)` against
    /// `a vjp(x, u) + b vjp(x, w)`: a VJP rule must be linear in its
    /// cotangent.
    CotangentLinearity {
        /// Which point.
        point: usize,
        /// Which input.
        input: usize,
    },
    /// The dot-product identity `<w, J v> = <Jᵀ w, v>` between a JVP rule
    /// and a VJP rule at one point.
    RuleDotProduct {
        /// Which point.
        point: usize,
        /// Which random pair.
        trial: usize,
    },
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Gradient(i) => write!(f, "gradient entry [{i}]"),
            Entry::Jacobian { row, col } => write!(f, "Jacobian entry [{row}][{col}]"),
            Entry::DotProduct { seed, trial } => {
                write!(f, "dot-product identity (seed {seed}, trial {trial})")
            }
            Entry::Hessian { row, col } => write!(f, "Hessian entry [{row}][{col}]"),
            Entry::Hvp(i) => write!(f, "Hessian-vector product entry [{i}]"),
            Entry::Value { point, output } => {
                write!(f, "value output [{output}] at point #{point}")
            }
            Entry::Tangent {
                point,
                trial,
                output,
            } => write!(
                f,
                "tangent output [{output}] at point #{point} along random direction #{trial}"
            ),
            Entry::TangentLinearity { point, output } => {
                write!(f, "tangent output [{output}] at point #{point}")
            }
            Entry::Cotangent {
                point,
                trial,
                input,
            } => write!(
                f,
                "cotangent x̄[{input}] at point #{point} for random output cotangent #{trial}"
            ),
            Entry::CotangentLinearity { point, input } => {
                write!(f, "cotangent x̄[{input}] at point #{point}")
            }
            Entry::RuleDotProduct { point, trial } => {
                write!(f, "dot-product identity at point #{point} (trial {trial})")
            }
        }
    }
}

/// Why a derivative check failed.
///
/// A mismatch names the worst entry: the one whose error is largest relative
/// to its tolerance (a NaN counts as worst). Values are converted to `f64`
/// for reporting, whatever the float type checked.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq)]
pub enum CheckError {
    /// The derivative disagrees with the reference.
    ///
    /// For gradient, Jacobian, Hessian and HVP checks, and for the tangents
    /// and cotangents of rules, `ad` is the derivative under test and `fd`
    /// the finite-difference reference. For the dot-product tests `ad` is
    /// `<w, J v>` (from `jvp`) and `fd` is `<Jᵀ w, v>` (from `vjp`). For
    /// [`Entry::Value`], `ad` is the rule's value and `fd` that of `f`; for
    /// the linearity entries, `ad` is the rule at the combined direction and
    /// `fd` the same combination of the rule at each direction.
    Mismatch {
        /// The worst entry.
        entry: Entry,
        /// The derivative under test at that entry.
        ad: f64,
        /// The reference value at that entry.
        fd: f64,
        /// `|ad - fd|`.
        error: f64,
        /// The largest error allowed at that entry.
        tolerance: f64,
        /// How many entries failed.
        failed: usize,
        /// How many entries were compared.
        total: usize,
    },
    /// A length does not match: a gradient shorter than `x`, a ragged
    /// Jacobian, a `jvp` returning the wrong number of outputs, ...
    Shape {
        /// What had the wrong length.
        what: &'static str,
        /// The length expected.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// The function itself is not finite at the point checked, so finite
    /// differences cannot say anything.
    NonFinite {
        /// Which output (0 for a scalar function).
        output: usize,
        /// The value found.
        value: f64,
    },
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Mismatch {
                entry: entry @ Entry::DotProduct { .. },
                ad,
                fd,
                error,
                tolerance,
                ..
            } => write!(
                f,
                "dot-product test failed at {entry}: <w, J v> = {ad:e} but <Jᵀ w, v> = {fd:e} \
                 (error {error:.3e} > tolerance {tolerance:.3e}): the JVP and the VJP are not transposes of each other"
            ),
            CheckError::Mismatch {
                entry: entry @ Entry::RuleDotProduct { .. },
                ad,
                fd,
                error,
                tolerance,
                ..
            } => write!(
                f,
                "custom rule check failed: {entry}: <w, J v> from the JVP rule = {ad:e} \
                 but <Jᵀ w, v> from the VJP rule = {fd:e} (error {error:.3e} > tolerance {tolerance:.3e}): \
                 the JVP and VJP rules are not transposes of each other"
            ),
            CheckError::Mismatch {
                entry: entry @ Entry::Value { .. },
                ad,
                fd,
                error,
                tolerance,
                failed,
                total,
            } => write!(
                f,
                "custom rule check failed: {failed} of {total} values returned by the rule differ from f's; \
                 worst is {entry}: rule = {ad:e}, f = {fd:e}, error = {error:.3e} > tolerance {tolerance:.3e}"
            ),
            CheckError::Mismatch {
                entry: entry @ (Entry::TangentLinearity { .. } | Entry::CotangentLinearity { .. }),
                ad,
                fd,
                error,
                tolerance,
                failed,
                total,
            } => {
                let (which, what, combo) = if matches!(entry, Entry::TangentLinearity { .. }) {
                    (
                        "JVP",
                        "tangent",
                        "jvp(x, a v + b w) vs a jvp(x, v) + b jvp(x, w)",
                    )
                } else {
                    (
                        "VJP",
                        "cotangent",
                        "vjp(x, a u + b w) vs a vjp(x, u) + b vjp(x, w)",
                    )
                };
                write!(
                    f,
                    "custom rule check failed: the {which} rule is not linear in its {what} \
                     ({failed} of {total} entries of {combo} differ); worst is {entry}: \
                     {ad:e} vs {fd:e}, error = {error:.3e} > tolerance {tolerance:.3e}"
                )
            }
            CheckError::Mismatch {
                entry,
                ad,
                fd,
                error,
                tolerance,
                failed,
                total,
            } => write!(
                f,
                "derivative check failed: {failed} of {total} entries differ from central finite differences; \
                 worst is {entry}: AD = {ad:e}, FD = {fd:e}, error = {error:.3e} > tolerance {tolerance:.3e}"
            ),
            CheckError::Shape {
                what,
                expected,
                found,
            } => {
                write!(
                    f,
                    "derivative check: {what} has length {found}, expected {expected}"
                )
            }
            CheckError::NonFinite { output, value } => write!(
                f,
                "derivative check: the function's output {output} is {value} at the point checked; \
                 finite differences need a finite value"
            ),
        }
    }
}

impl std::error::Error for CheckError {}

// ---------------------------------------------------------------------------
// Finite differences
// ---------------------------------------------------------------------------

#[inline]
fn to64<F: Float>(v: F) -> f64 {
    v.to_f64().unwrap_or(f64::NAN)
}

#[inline]
fn from64<F: Float>(v: f64) -> F {
    F::from(v).unwrap_or_else(F::nan)
}

/// The finite-difference step of coordinate `xi`: `cbrt(eps) * max(1, |xi|)`,
/// the step that balances truncation (O(h²)) and rounding (O(eps/h)) errors
/// of a central difference.
#[inline]
fn step<F: Float>(xi: F) -> F {
    F::epsilon().cbrt() * F::one().max(xi.abs())
}

/// Central difference of a scalar function along `i`:
/// `(D, f(x+h), f(x-h))`.
fn central_scalar<F: Float>(f: &impl Fn(&[F]) -> F, work: &mut [F], i: usize, h: F) -> (F, F, F) {
    let xi = work[i];
    let xp = xi + h;
    let xm = xi - h;
    work[i] = xp;
    let fp = f(work);
    work[i] = xm;
    let fm = f(work);
    work[i] = xi;
    ((fp - fm) / (xp - xm), fp, fm)
}

/// Central difference of a vector function along `i`:
/// `(column D, f(x+h), f(x-h))`.
fn central_vector<F: Float>(
    f: &impl Fn(&[F]) -> Vec<F>,
    work: &mut [F],
    i: usize,
    h: F,
) -> (Vec<F>, Vec<F>, Vec<F>) {
    let xi = work[i];
    let xp = xi + h;
    let xm = xi - h;
    work[i] = xp;
    let fp = f(work);
    work[i] = xm;
    let fm = f(work);
    work[i] = xi;
    let denom = xp - xm;
    let d = fp.iter().zip(&fm).map(|(&a, &b)| (a - b) / denom).collect();
    (d, fp, fm)
}

/// The gradient of a scalar function `f` at `x` by central finite
/// differences: entry `i` is `(f(x + h e_i) - f(x - h e_i)) / 2h` with
/// `h = cbrt(eps) * max(1, |x_i|)`.
///
/// It costs `2 n` calls of `f`. Expect about `eps^(2/3)` relative accuracy for
/// a well-scaled smooth function: some 1e-10 in `f64`, 1e-4 in `f32`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::fd_gradient;
///
/// // f(x) = x0² + 3 x1, gradient [2 x0, 3]
/// let g = fd_gradient(|x: &[f64]| x[0] * x[0] + 3.0 * x[1], &[1.5, -2.0]);
/// assert!((g[0] - 3.0).abs() < 1e-8);
/// assert!((g[1] - 3.0).abs() < 1e-8);
/// ```
pub fn fd_gradient<F: Float>(f: impl Fn(&[F]) -> F, x: &[F]) -> Vec<F> {
    let mut work = x.to_vec();
    (0..x.len())
        .map(|i| central_scalar(&f, &mut work, i, step(x[i])).0)
        .collect()
}

/// The Jacobian of a vector function `f` at `x` by central finite
/// differences, as rows: `jac[out][in]` = d f(x)\[out\] / d x\[in\].
///
/// Column `i` comes from `f(x ± h e_i)` with `h = cbrt(eps) * max(1, |x_i|)`;
/// it costs `2 n` calls of `f`.
///
/// # Panics
///
/// If `f` does not return vectors of one length.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::fd_jacobian;
///
/// // f(x) = [x0 x1, 2 x1], Jacobian [[x1, x0], [0, 2]]
/// let j = fd_jacobian(|x: &[f64]| vec![x[0] * x[1], 2.0 * x[1]], &[3.0, 0.5]);
/// assert_eq!(j.len(), 2);
/// assert!((j[0][0] - 0.5).abs() < 1e-8 && (j[0][1] - 3.0).abs() < 1e-8);
/// assert!(j[1][0].abs() < 1e-8 && (j[1][1] - 2.0).abs() < 1e-8);
/// ```
pub fn fd_jacobian<F: Float>(f: impl Fn(&[F]) -> Vec<F>, x: &[F]) -> Vec<Vec<F>> {
    let m = f(x).len();
    let n = x.len();
    let mut jac = vec![vec![F::zero(); n]; m];
    let mut work = x.to_vec();
    for i in 0..n {
        let (col, _, _) = central_vector(&f, &mut work, i, step(x[i]));
        assert_eq!(
            col.len(),
            m,
            "fd_jacobian: f returned outputs of different lengths"
        );
        for (row, d) in jac.iter_mut().zip(col) {
            row[i] = d;
        }
    }
    jac
}

// ---------------------------------------------------------------------------
// Gradient / Jacobian checks
// ---------------------------------------------------------------------------

/// Relative tolerance of finite-difference comparisons:
/// `64 eps^(2/3)`, about 2.3e-9 for `f64` and 1.6e-3 for `f32`.
fn fd_rtol<F: Float>() -> f64 {
    let eps = to64(F::epsilon());
    64.0 * eps.powf(2.0 / 3.0)
}

/// One compared entry.
#[derive(Debug, Clone, Copy)]
struct Row {
    entry: Entry,
    x: f64,
    ad: f64,
    fd: f64,
    error: f64,
    tolerance: f64,
}

impl Row {
    fn ok(&self) -> bool {
        // false for NaN
        self.error <= self.tolerance
    }

    /// How bad: error / tolerance, with NaN worst of all.
    fn badness(&self) -> f64 {
        let r = self.error / self.tolerance;
        if r.is_nan() { f64::INFINITY } else { r }
    }
}

/// What three central differences of one coordinate (steps h, 2h, 4h) say
/// about one derivative entry.
#[derive(Debug, Clone, Copy)]
struct Probe {
    /// Central differences with steps h, 2h, 4h.
    d: [f64; 3],
    /// Largest |f| seen (at x and all shifted points), of this output.
    fmax: f64,
    /// The step h; for second differences, the product `h_i h_j` of the
    /// two steps.
    h: f64,
}

impl Probe {
    /// The reference value and its tolerance, for a derivative `ad` under test.
    ///
    /// The reference is the Richardson extrapolation `R(h) = D(h) + (D(h) -
    /// D(2h)) / 3` of the central differences, which cancels their O(h²)
    /// truncation error. The tolerance adds up
    ///
    /// * `rtol (1 + max(|ad|, |fd|))`: the mixed absolute/relative criterion;
    /// * `|R(h) - R(2h)|`: an estimate of the remaining truncation and noise
    ///   of the reference (it grows where the function is badly scaled or
    ///   its higher derivatives are large);
    /// * `4 eps max|f| / h`: the rounding error of the function values
    ///   divided by the step.
    ///
    /// Where the wider steps give non-finite values (a domain boundary
    /// nearby) it falls back to `D(h)` and `|D(h) - D(2h)|`, or `D(h)` alone.
    fn reference(&self, rtol: f64, eps: f64, ad: f64) -> (f64, f64) {
        let (fd, noise) = self.estimate(eps);
        (fd, rtol * (1.0 + ad.abs().max(fd.abs())) + noise)
    }

    /// The reference value and its error estimate: the last two terms of
    /// the tolerance of [`Probe::reference`].
    fn estimate(&self, eps: f64) -> (f64, f64) {
        let [d1, d2, d4] = self.d;
        let (fd, est) = if d1.is_finite() && d2.is_finite() && d4.is_finite() {
            let r1 = d1 + (d1 - d2) / 3.0;
            let r2 = d2 + (d2 - d4) / 3.0;
            (r1, (r1 - r2).abs())
        } else if d1.is_finite() && d2.is_finite() {
            (d1, (d1 - d2).abs())
        } else {
            (d1, 0.0)
        };
        let mut noise = est;
        let round = 4.0 * eps * self.fmax / self.h;
        if round.is_finite() {
            noise += round;
        }
        (fd, noise)
    }
}

fn gradient_rows<F: Float>(
    f: &impl Fn(&[F]) -> F,
    grad: &[F],
    x: &[F],
) -> Result<Vec<Row>, CheckError> {
    if grad.len() != x.len() {
        return Err(CheckError::Shape {
            what: "gradient",
            expected: x.len(),
            found: grad.len(),
        });
    }
    let f0 = f(x);
    if !f0.is_finite() {
        return Err(CheckError::NonFinite {
            output: 0,
            value: to64(f0),
        });
    }
    let rtol = fd_rtol::<F>();
    let eps = to64(F::epsilon());
    let mut work = x.to_vec();
    let mut rows = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let h = step(x[i]);
        let mut probe = Probe {
            d: [0.0; 3],
            fmax: to64(f0.abs()),
            h: to64(h),
        };
        let mut hk = h;
        for d in &mut probe.d {
            let (dk, fp, fm) = central_scalar(f, &mut work, i, hk);
            *d = to64(dk);
            for v in [fp, fm] {
                if v.is_finite() {
                    probe.fmax = probe.fmax.max(to64(v.abs()));
                }
            }
            hk = hk + hk;
        }
        let ad = to64(grad[i]);
        let (fd, tolerance) = probe.reference(rtol, eps, ad);
        rows.push(Row {
            entry: Entry::Gradient(i),
            x: to64(x[i]),
            ad,
            fd,
            error: (ad - fd).abs(),
            tolerance,
        });
    }
    Ok(rows)
}

fn verdict(rows: &[Row]) -> Result<(), CheckError> {
    let failed = rows.iter().filter(|r| !r.ok()).count();
    if failed == 0 {
        return Ok(());
    }
    let worst = rows
        .iter()
        .max_by(|a, b| a.badness().total_cmp(&b.badness()))
        .expect("a failed row exists");
    Err(CheckError::Mismatch {
        entry: worst.entry,
        ad: worst.ad,
        fd: worst.fd,
        error: worst.error,
        tolerance: worst.tolerance,
        failed,
        total: rows.len(),
    })
}

/// Checks a gradient `grad` of the scalar function `f` at `x` against
/// central finite differences (see [`fd_gradient`]).
///
/// The reference `fd[i]` is the Richardson extrapolation
/// `R(h) = D(h) + (D(h) - D(2h)) / 3` of the central differences `D` with
/// steps `h_i` and `2 h_i` (it cancels their O(h²) error, so large third
/// derivatives do not hide bugs). Entry `i` passes when
/// `|grad[i] - fd[i]| <= tol_i` with
///
/// ```text
/// tol_i = 64 eps^(2/3) (1 + max(|grad[i]|, |fd[i]|))   mixed abs/rel criterion
///       + |R(h_i) - R(2 h_i)|                            estimated error of fd[i]
///       + 4 eps max|f| / h_i                             rounding of f over the step
/// ```
///
/// It costs `6 n + 1` calls of `f`.
///
/// so about 2.3e-9 relative in `f64` and 1.6e-3 in `f32`: a gradient off by
/// 1% fails in either precision, while finite-difference noise on a smooth,
/// reasonably scaled function passes. Near a kink (`abs`, `max`, `floor`,
/// branches) finite differences are meaningless; check away from them.
///
/// Returns the worst entry on failure; [`assert_gradient`] prints them all.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::{check_gradient, CheckError};
///
/// // f(x) = x0² + 3 x1, gradient [2 x0, 3]
/// let f = |x: &[f32]| x[0] * x[0] + 3.0 * x[1];
/// let x = [1.5f32, -2.0];
/// assert!(check_gradient(f, &[3.0, 3.0], &x).is_ok());
///
/// // a gradient off by 1% is caught, even in f32
/// let err = check_gradient(f, &[3.0, 3.03], &x).unwrap_err();
/// assert!(matches!(err, CheckError::Mismatch { .. }));
/// println!("{err}");
/// ```
pub fn check_gradient<F: Float>(
    f: impl Fn(&[F]) -> F,
    grad: &[F],
    x: &[F],
) -> Result<(), CheckError> {
    verdict(&gradient_rows(&f, grad, x)?)
}

fn table(rows: &[Row], jacobian: bool) -> String {
    use fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "  {:>9} {:>14} {:>16} {:>16} {:>11} {:>11}",
        "entry",
        if jacobian { "" } else { "x" },
        "AD",
        "FD",
        "|AD - FD|",
        "tolerance"
    );
    for r in rows {
        let idx = match r.entry {
            Entry::Gradient(i) => format!("[{i}]"),
            Entry::Jacobian { row, col } | Entry::Hessian { row, col } => {
                format!("[{row}][{col}]")
            }
            _ => String::new(),
        };
        let x = if jacobian {
            String::new()
        } else {
            format!("{:.6e}", r.x)
        };
        let _ = writeln!(
            s,
            "  {:>9} {:>14} {:>16.9e} {:>16.9e} {:>11.3e} {:>11.3e}{}",
            idx,
            x,
            r.ad,
            r.fd,
            r.error,
            r.tolerance,
            if r.ok() { "" } else { "  <-- FAIL" }
        );
    }
    s
}

/// Like [`check_gradient`], but panics on failure with a table of every
/// entry (index, `x_i`, AD, FD, error, tolerance), failures marked.
///
/// # Panics
///
/// If the gradient disagrees with finite differences, has the wrong length,
/// or `f(x)` is not finite.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::assert_gradient;
///
/// // f(x) = x0² + 3 x1, gradient [2 x0, 3]
/// let x = [1.5, -2.0];
/// assert_gradient(|x: &[f64]| x[0] * x[0] + 3.0 * x[1], &[2.0 * x[0], 3.0], &x);
/// ```
///
/// ```should_panic
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::assert_gradient;
///
/// // wrong: d/dx1 is 3, not 2
/// assert_gradient(|x: &[f64]| x[0] * x[0] + 3.0 * x[1], &[3.0, 2.0], &[1.5, -2.0]);
/// ```
#[track_caller]
pub fn assert_gradient<F: Float>(f: impl Fn(&[F]) -> F, grad: &[F], x: &[F]) {
    match gradient_rows(&f, grad, x) {
        Err(e) => panic!("{e}"),
        Ok(rows) => {
            if let Err(e) = verdict(&rows) {
                panic!("{e}\n{}", table(&rows, false));
            }
        }
    }
}

/// The three central differences (steps h, 2h, 4h) of every entry of the
/// Jacobian of `f` at `x`, where `f(x) = f0`: `probes[in][out]`.
fn jacobian_probes<F: Float>(
    f: &impl Fn(&[F]) -> Vec<F>,
    x: &[F],
    f0: &[F],
) -> Result<Vec<Vec<Probe>>, CheckError> {
    let m = f0.len();
    let mut work = x.to_vec();
    let mut all = Vec::with_capacity(x.len());
    for (i, &xi) in x.iter().enumerate() {
        let h = step(xi);
        let mut probes: Vec<Probe> = f0
            .iter()
            .map(|v| Probe {
                d: [0.0; 3],
                fmax: to64(v.abs()),
                h: to64(h),
            })
            .collect();
        let mut hk = h;
        for s in 0..3 {
            let (dk, fp, fm) = central_vector(f, &mut work, i, hk);
            if dk.len() != m {
                return Err(CheckError::Shape {
                    what: "output of f",
                    expected: m,
                    found: dk.len(),
                });
            }
            for (k, p) in probes.iter_mut().enumerate() {
                p.d[s] = to64(dk[k]);
                for v in [fp[k], fm[k]] {
                    if v.is_finite() {
                        p.fmax = p.fmax.max(to64(v.abs()));
                    }
                }
            }
            hk = hk + hk;
        }
        all.push(probes);
    }
    Ok(all)
}

/// Checks a Jacobian `jac` (rows: `jac[out][in]`) of the vector function `f`
/// at `x` against central finite differences (see [`fd_jacobian`]), entry by
/// entry, with the tolerance of [`check_gradient`] (the rounding term uses the
/// magnitude of that entry's output).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::check_jacobian;
///
/// // f(x) = [x0 x1, 2 x1], Jacobian [[x1, x0], [0, 2]]
/// let f = |x: &[f64]| vec![x[0] * x[1], 2.0 * x[1]];
/// let x = [3.0, 0.5];
/// assert!(check_jacobian(f, &[vec![0.5, 3.0], vec![0.0, 2.0]], &x).is_ok());
/// // transposed by mistake
/// assert!(check_jacobian(f, &[vec![0.5, 0.0], vec![3.0, 2.0]], &x).is_err());
/// ```
pub fn check_jacobian<F: Float>(
    f: impl Fn(&[F]) -> Vec<F>,
    jac: &[Vec<F>],
    x: &[F],
) -> Result<(), CheckError> {
    let f0 = f(x);
    let (m, n) = (f0.len(), x.len());
    if jac.len() != m {
        return Err(CheckError::Shape {
            what: "Jacobian (number of rows)",
            expected: m,
            found: jac.len(),
        });
    }
    if let Some(bad) = jac.iter().find(|r| r.len() != n) {
        return Err(CheckError::Shape {
            what: "Jacobian row",
            expected: n,
            found: bad.len(),
        });
    }
    if let Some((k, v)) = f0.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(CheckError::NonFinite {
            output: k,
            value: to64(*v),
        });
    }
    let rtol = fd_rtol::<F>();
    let eps = to64(F::epsilon());
    let probes = jacobian_probes(&f, x, &f0)?;
    let mut rows = Vec::with_capacity(m * n);
    for (i, col) in probes.iter().enumerate() {
        for (k, p) in col.iter().enumerate() {
            let ad = to64(jac[k][i]);
            let (fd, tolerance) = p.reference(rtol, eps, ad);
            rows.push(Row {
                entry: Entry::Jacobian { row: k, col: i },
                x: to64(x[i]),
                ad,
                fd,
                error: (ad - fd).abs(),
                tolerance,
            });
        }
    }
    verdict(&rows)
}

// ---------------------------------------------------------------------------
// Hessians and Hessian-vector products
// ---------------------------------------------------------------------------

/// The smallest step of second differences in coordinate `xi`:
/// `eps^(1/6) max(1, |xi|) / 4`. The Hessian reference tries steps `h`,
/// `2h` and `4h` as the base of its Richardson extrapolation; with it the
/// truncation error is O(h⁴) and the rounding error O(eps / h²), and the
/// largest base, `eps^(1/6) max(1, |xi|)`, balances the two.
#[inline]
fn step2<F: Float>(xi: F) -> F {
    let quarter = F::one() / (F::one() + F::one() + F::one() + F::one());
    F::epsilon().powf(from64(1.0 / 6.0)) * F::one().max(xi.abs()) * quarter
}

/// How many steps (`h`, `2h`, ..., `16h`) the Hessian reference evaluates.
const HESSIAN_LEVELS: usize = 5;

/// The largest `|v|` of the finite values among `vs`, and `m`.
fn max_finite_abs<F: Float>(m: F, vs: &[F]) -> F {
    vs.iter()
        .filter(|v| v.is_finite())
        .fold(m, |a, v| a.max(v.abs()))
}

/// The second central difference of `f` in coordinates `i`, `j` with steps
/// `hi`, `hj`, where `f(x) = f0`: `(D, largest finite |f| at the points
/// used)`. Diagonal: the three-point formula with the steps actually taken;
/// off the diagonal: the central difference in `j` of the central
/// difference in `i` (four points).
#[allow(clippy::too_many_arguments)]
fn second_diff<F: Float>(
    f: &impl Fn(&[F]) -> F,
    work: &mut [F],
    i: usize,
    j: usize,
    hi: F,
    hj: F,
    f0: F,
) -> (F, F) {
    let two = F::one() + F::one();
    if i == j {
        let xi = work[i];
        let (xp, xm) = (xi + hi, xi - hi);
        work[i] = xp;
        let fp = f(work);
        work[i] = xm;
        let fm = f(work);
        work[i] = xi;
        let (hp, hm) = (xp - xi, xi - xm);
        let d = two * (fp * hm + fm * hp - f0 * (hp + hm)) / (hp * hm * (hp + hm));
        (d, max_finite_abs(f0.abs(), &[fp, fm]))
    } else {
        let (xi, xj) = (work[i], work[j]);
        let (xip, xim, xjp, xjm) = (xi + hi, xi - hi, xj + hj, xj - hj);
        let mut corner = |a: F, b: F| {
            work[i] = a;
            work[j] = b;
            f(work)
        };
        let fpp = corner(xip, xjp);
        let fpm = corner(xip, xjm);
        let fmp = corner(xim, xjp);
        let fmm = corner(xim, xjm);
        work[i] = xi;
        work[j] = xj;
        let d = ((fpp - fpm) - (fmp - fmm)) / ((xip - xim) * (xjp - xjm));
        (d, max_finite_abs(f0.abs(), &[fpp, fpm, fmp, fmm]))
    }
}

/// The reference of every Hessian entry and its error estimate,
/// `(fd, noise)`, filled symmetrically.
///
/// For each pair `i <= j` it takes second differences with steps
/// `2^k (h_i, h_j)`, `k = 0..5`, forms the three candidates of
/// [`Probe::estimate`] with bases `h`, `2h`, `4h` (Richardson extrapolation
/// with its error estimate and rounding term) and keeps the one with the
/// smallest error estimate, as Ridders' method does: large steps for
/// smooth, slowly varying functions, small ones where higher derivatives
/// are large. It costs `10 n² + 1` calls of `f` (including `f(x) = f0`).
fn hessian_reference<F: Float>(f: &impl Fn(&[F]) -> F, x: &[F], f0: F) -> Vec<Vec<(f64, f64)>> {
    let n = x.len();
    let eps = to64(F::epsilon());
    let mut work = x.to_vec();
    let mut out = vec![vec![(f64::NAN, f64::NAN); n]; n];
    for i in 0..n {
        for j in i..n {
            let (mut hi, mut hj) = (step2(x[i]), step2(x[j]));
            let hh = to64(hi * hj);
            let mut d = [0.0; HESSIAN_LEVELS];
            let mut fmax = f0.abs();
            for dk in &mut d {
                let (v, m) = second_diff(f, &mut work, i, j, hi, hj, f0);
                *dk = to64(v);
                fmax = fmax.max(m);
                hi = hi + hi;
                hj = hj + hj;
            }
            let best = (0..HESSIAN_LEVELS - 2)
                .map(|k| {
                    Probe {
                        d: [d[k], d[k + 1], d[k + 2]],
                        fmax: to64(fmax),
                        h: hh * 4f64.powi(k as i32),
                    }
                    .estimate(eps)
                })
                .filter(|(fd, noise)| fd.is_finite() && noise.is_finite())
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((d[0], 0.0));
            out[i][j] = best;
            out[j][i] = best;
        }
    }
    out
}

/// The Hessian of a scalar function `f` at `x` by central second
/// differences: `hess[i][j]` = d² f / dx\[i\] dx\[j\], symmetric.
///
/// Second differences `D` (three points on the diagonal; off it, four: the
/// central difference in `x_j` of the central difference in `x_i`) with
/// steps `h_i = 2^k eps^(1/6) max(1, |x_i|) / 4`, `k = 0..5`, are combined
/// by Richardson extrapolation `R = D(h) + (D(h) - D(2h)) / 3` over three
/// choices of base step; each entry keeps the choice whose error estimate is
/// smallest (the step adapts to the function, as in Ridders' method). This
/// is the reference [`check_hessian`] compares against. It costs `10 n² + 1`
/// calls of `f`. Expect about `eps^(2/3)` relative accuracy for a
/// well-scaled smooth function: some 1e-10 in `f64`, 1e-4 in `f32`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::fd_hessian;
///
/// // f(x) = x0² x1 + x1³, Hessian [[2 x1, 2 x0], [2 x0, 6 x1]]
/// let h = fd_hessian(|x: &[f64]| x[0] * x[0] * x[1] + x[1].powi(3), &[1.0, 2.0]);
/// let exact = [[4.0, 2.0], [2.0, 12.0]];
/// for i in 0..2 {
///     for j in 0..2 {
///         assert!((h[i][j] - exact[i][j]).abs() < 1e-8);
///     }
/// }
/// ```
pub fn fd_hessian<F: Float>(f: impl Fn(&[F]) -> F, x: &[F]) -> Vec<Vec<F>> {
    let f0 = f(x);
    hessian_reference(&f, x, f0)
        .into_iter()
        .map(|row| row.into_iter().map(|(fd, _)| from64(fd)).collect())
        .collect()
}

/// Checks a Hessian `hess` (`hess[i][j]` = d² f / dx\[i\] dx\[j\]) of the
/// scalar function `f` at `x` against central second differences (see
/// [`fd_hessian`]), entry by entry: all `n²` entries, so an asymmetric
/// `hess` fails on one side.
///
/// The reference is [`fd_hessian`]'s; the tolerance is built as in
/// [`check_gradient`]:
/// `64 eps^(2/3) (1 + max(|H|, |fd|)) + |R(h) - R(2h)| + 4 eps max|f| / (h_i h_j)`,
/// for the base step `h` chosen. A Hessian off by 1% fails in `f64` and in
/// `f32`. It costs `10 n² + 1` calls of `f`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::{check_hessian, CheckError, Entry};
///
/// // f(x) = x0² x1 + x1³ at (1, 2): H = [[4, 2], [2, 12]]
/// let f = |x: &[f32]| x[0] * x[0] * x[1] + x[1].powi(3);
/// let x = [1.0f32, 2.0];
/// assert!(check_hessian(f, &[vec![4.0, 2.0], vec![2.0, 12.0]], &x).is_ok());
///
/// let err = check_hessian(f, &[vec![4.0, 2.0], vec![2.0, 12.2]], &x).unwrap_err();
/// assert!(matches!(err, CheckError::Mismatch { entry: Entry::Hessian { row: 1, col: 1 }, .. }));
/// ```
pub fn check_hessian<F: Float>(
    f: impl Fn(&[F]) -> F,
    hess: &[Vec<F>],
    x: &[F],
) -> Result<(), CheckError> {
    let n = x.len();
    if hess.len() != n {
        return Err(CheckError::Shape {
            what: "Hessian (number of rows)",
            expected: n,
            found: hess.len(),
        });
    }
    if let Some(bad) = hess.iter().find(|r| r.len() != n) {
        return Err(CheckError::Shape {
            what: "Hessian row",
            expected: n,
            found: bad.len(),
        });
    }
    let f0 = f(x);
    if !f0.is_finite() {
        return Err(CheckError::NonFinite {
            output: 0,
            value: to64(f0),
        });
    }
    let rtol = fd_rtol::<F>();
    let reference = hessian_reference(&f, x, f0);
    let mut rows = Vec::with_capacity(n * n);
    for (i, (rrow, hrow)) in reference.iter().zip(hess).enumerate() {
        for (j, (&(fd, noise), &ad)) in rrow.iter().zip(hrow).enumerate() {
            let ad = to64(ad);
            rows.push(Row {
                entry: Entry::Hessian { row: i, col: j },
                x: to64(x[i]),
                ad,
                fd,
                error: (ad - fd).abs(),
                tolerance: rtol * (1.0 + ad.abs().max(fd.abs())) + noise,
            });
        }
    }
    verdict(&rows)
}

/// The three central differences (steps `t`, `2t`, `4t`) of the vector
/// function `f` along `u` at `x`, where `f(x) = f0`, one probe per output.
fn directional_probes<F: Float>(
    f: &impl Fn(&[F]) -> Vec<F>,
    x: &[F],
    u: &[F],
    t: F,
    f0: &[F],
) -> Result<Vec<Probe>, CheckError> {
    let m = f0.len();
    let mut probes: Vec<Probe> = f0
        .iter()
        .map(|v| Probe {
            d: [0.0; 3],
            fmax: to64(v.abs()),
            h: to64(t),
        })
        .collect();
    let mut tk = t;
    for s in 0..3 {
        let xp: Vec<F> = x.iter().zip(u).map(|(&a, &b)| a + tk * b).collect();
        let xm: Vec<F> = x.iter().zip(u).map(|(&a, &b)| a - tk * b).collect();
        let (fp, fm) = (f(&xp), f(&xm));
        for got in [fp.len(), fm.len()] {
            if got != m {
                return Err(CheckError::Shape {
                    what: "output of f",
                    expected: m,
                    found: got,
                });
            }
        }
        let denom = tk + tk;
        for (k, p) in probes.iter_mut().enumerate() {
            p.d[s] = to64((fp[k] - fm[k]) / denom);
            for v in [fp[k], fm[k]] {
                if v.is_finite() {
                    p.fmax = p.fmax.max(to64(v.abs()));
                }
            }
        }
        tk = tk + tk;
    }
    Ok(probes)
}

/// The first non-finite entry of `y`, as an error.
fn non_finite<F: Float>(y: &[F]) -> Result<(), CheckError> {
    match y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        Some((k, v)) => Err(CheckError::NonFinite {
            output: k,
            value: to64(*v),
        }),
        None => Ok(()),
    }
}

/// Checks a Hessian-vector product `hv = H v` at `x` against central finite
/// differences of the gradient `grad` along `v`:
/// `(grad(x + t v) - grad(x - t v)) / 2t`.
///
/// The step `t = cbrt(eps) min_i max(1, |x_i|) / |v_i|` (over `v_i ≠ 0`)
/// moves no coordinate further than [`check_gradient`]'s step for it; the
/// reference, its Richardson extrapolation and the tolerance are those of
/// [`check_gradient`], entry by entry ([`Entry::Hvp`]). `grad` can be an
/// exact gradient (`f_grad`, or one you trust) or any gradient you want to
/// tie the HVP to. A zero `v` needs `hv = 0`. It costs 7 calls of `grad`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::check_hvp;
///
/// // f(x) = x0² x1 + x1³: grad = [2 x0 x1, x0² + 3 x1²], H = [[2 x1, 2 x0], [2 x0, 6 x1]]
/// let grad = |x: &[f64]| vec![2.0 * x[0] * x[1], x[0] * x[0] + 3.0 * x[1] * x[1]];
/// let (x, v) = ([1.0, 2.0], [0.5, -1.0]);
/// let hv = [4.0 * 0.5 + 2.0 * -1.0, 2.0 * 0.5 + 12.0 * -1.0];
/// assert!(check_hvp(grad, &hv, &x, &v).is_ok());
/// assert!(check_hvp(grad, &[hv[0], hv[1] * 1.01], &x, &v).is_err());
/// ```
pub fn check_hvp<F: Float>(
    grad: impl Fn(&[F]) -> Vec<F>,
    hv: &[F],
    x: &[F],
    v: &[F],
) -> Result<(), CheckError> {
    let n = x.len();
    for (what, len) in [
        ("Hessian-vector product", hv.len()),
        ("direction v", v.len()),
    ] {
        if len != n {
            return Err(CheckError::Shape {
                what,
                expected: n,
                found: len,
            });
        }
    }
    let g0 = grad(x);
    if g0.len() != n {
        return Err(CheckError::Shape {
            what: "gradient",
            expected: n,
            found: g0.len(),
        });
    }
    non_finite(&g0)?;
    let rtol = fd_rtol::<F>();
    let eps = to64(F::epsilon());
    let t = x
        .iter()
        .zip(v)
        .filter(|(_, vi)| !vi.is_zero())
        .map(|(&xi, &vi)| F::one().max(xi.abs()) / vi.abs())
        .fold(None, |m: Option<F>, s| Some(m.map_or(s, |m| m.min(s))));
    let rows: Vec<Row> = match t {
        None => hv
            .iter()
            .enumerate()
            .map(|(i, &a)| {
                let ad = to64(a);
                Row {
                    entry: Entry::Hvp(i),
                    x: to64(x[i]),
                    ad,
                    fd: 0.0,
                    error: ad.abs(),
                    tolerance: rtol,
                }
            })
            .collect(),
        Some(t) => {
            let t = F::epsilon().cbrt() * t;
            let probes = directional_probes(&grad, x, v, t, &g0)?;
            probes
                .iter()
                .zip(hv)
                .enumerate()
                .map(|(i, (p, &a))| {
                    let ad = to64(a);
                    let (fd, tolerance) = p.reference(rtol, eps, ad);
                    Row {
                        entry: Entry::Hvp(i),
                        x: to64(x[i]),
                        ad,
                        fd,
                        error: (ad - fd).abs(),
                        tolerance,
                    }
                })
                .collect()
        }
    };
    verdict(&rows)
}

// ---------------------------------------------------------------------------
// Dot-product test
// ---------------------------------------------------------------------------

/// splitmix64 (Steele, Lea, Flood 2014): a tiny, good, deterministic PRNG.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    fn next_sym(&mut self) -> f64 {
        let u = (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        2.0 * u - 1.0
    }

    fn vector<F: Float>(&mut self, n: usize) -> Vec<F> {
        (0..n).map(|_| from64(self.next_sym())).collect()
    }
}

/// How many random `(v, w)` pairs one dot-product test draws.
const DOT_TRIALS: usize = 3;

fn dot<F: Float>(a: &[F], b: &[F]) -> f64 {
    a.iter().zip(b).map(|(&x, &y)| to64(x) * to64(y)).sum()
}

fn norm<F: Float>(a: &[F]) -> f64 {
    a.iter().map(|&x| to64(x) * to64(x)).sum::<f64>().sqrt()
}

/// The dot-product test of a forward-mode product `jvp(v) = J v` (length
/// `n_out`) against a reverse-mode product `vjp(w) = Jᵀ w` (length `n_in`)
/// of the same function at the same point.
///
/// Draws random `v` (length `n_in`) and `w` (length `n_out`), uniform in
/// [-1, 1), from a deterministic PRNG (splitmix64) seeded by `seed`, and
/// checks `<w, J v> = <Jᵀ w, v>` up to
/// `4 eps^(3/4) (|w| |J v| + |Jᵀ w| |v|)`, i.e. rounding error (about 7e-12
/// relative in `f64`, 3e-5 in `f32`). It does this for 3 pairs drawn from
/// the one seed. The same seed always gives the same vectors.
///
/// `vjp` must return `Jᵀ w` itself, not add it into something that is reused
/// between calls: start from zeroed shadows on each call.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::dot_product_test;
///
/// // f(x) = [x0 x1, 2 x1] at x = (3, 0.5): J = [[0.5, 3], [0, 2]]
/// let x = [3.0f64, 0.5];
/// let jvp = |v: &[f64]| vec![x[1] * v[0] + x[0] * v[1], 2.0 * v[1]];
/// let vjp = |w: &[f64]| vec![x[1] * w[0], x[0] * w[0] + 2.0 * w[1]];
/// assert!(dot_product_test(jvp, vjp, 2, 2, 7).is_ok());
///
/// // a reverse mode that forgot the transpose fails
/// let bad = |w: &[f64]| vec![x[1] * w[0] + x[0] * w[1], 2.0 * w[1]];
/// assert!(dot_product_test(jvp, bad, 2, 2, 7).is_err());
/// ```
pub fn dot_product_test<F: Float>(
    jvp: impl Fn(&[F]) -> Vec<F>,
    vjp: impl Fn(&[F]) -> Vec<F>,
    n_in: usize,
    n_out: usize,
    seed: u64,
) -> Result<(), CheckError> {
    let mut rng = SplitMix64(seed);
    let rows = dot_rows(&jvp, &vjp, n_in, n_out, &mut rng, |trial| {
        Entry::DotProduct { seed, trial }
    })?;
    verdict(&rows)
}

/// Relative tolerance of the dot-product identity and other checks exact
/// up to rounding: `4 eps^(3/4)`, about 7e-12 in `f64`, 3e-5 in `f32`.
fn rounding_rtol<F: Float>() -> f64 {
    4.0 * to64(F::epsilon()).powf(0.75)
}

/// The rows of [`DOT_TRIALS`] dot-product identities with pairs from `rng`.
fn dot_rows<F: Float>(
    jvp: &impl Fn(&[F]) -> Vec<F>,
    vjp: &impl Fn(&[F]) -> Vec<F>,
    n_in: usize,
    n_out: usize,
    rng: &mut SplitMix64,
    entry: impl Fn(usize) -> Entry,
) -> Result<Vec<Row>, CheckError> {
    let rtol = rounding_rtol::<F>();
    let mut rows = Vec::with_capacity(DOT_TRIALS);
    for trial in 0..DOT_TRIALS {
        let v: Vec<F> = rng.vector(n_in);
        let w: Vec<F> = rng.vector(n_out);
        let jv = jvp(&v);
        if jv.len() != n_out {
            return Err(CheckError::Shape {
                what: "jvp(v) = J v",
                expected: n_out,
                found: jv.len(),
            });
        }
        let jtw = vjp(&w);
        if jtw.len() != n_in {
            return Err(CheckError::Shape {
                what: "vjp(w) = Jᵀ w",
                expected: n_in,
                found: jtw.len(),
            });
        }
        let lhs = dot(&w, &jv);
        let rhs = dot(&jtw, &v);
        let scale = norm(&w) * norm(&jv) + norm(&jtw) * norm(&v);
        rows.push(Row {
            entry: entry(trial),
            x: f64::NAN,
            ad: lhs,
            fd: rhs,
            error: (lhs - rhs).abs(),
            tolerance: rtol * scale + f64::MIN_POSITIVE,
        });
    }
    Ok(rows)
}

/// Like [`dot_product_test`], but panics with the failure.
///
/// # Panics
///
/// If `<w, J v> ≠ <Jᵀ w, v>` beyond rounding error, or a length is wrong.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::assert_dot_product;
///
/// // f(x) = [x0², 3 x1, x0 x1] at x = (1, 2): J = [[2, 0], [0, 3], [2, 1]]
/// let jvp = |v: &[f32]| vec![2.0 * v[0], 3.0 * v[1], 2.0 * v[0] + v[1]];
/// let vjp = |w: &[f32]| vec![2.0 * w[0] + 2.0 * w[2], 3.0 * w[1] + w[2]];
/// assert_dot_product(jvp, vjp, 2, 3, 42);
/// ```
#[track_caller]
pub fn assert_dot_product<F: Float>(
    jvp: impl Fn(&[F]) -> Vec<F>,
    vjp: impl Fn(&[F]) -> Vec<F>,
    n_in: usize,
    n_out: usize,
    seed: u64,
) {
    if let Err(e) = dot_product_test(jvp, vjp, n_in, n_out, seed) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------
// Custom-rule checks
// ---------------------------------------------------------------------------

/// How many random directions a rule check draws at each point.
const RULE_TRIALS: usize = 3;

/// The seed of the rule checks' directions at point `point`.
fn rule_rng(point: usize, salt: u64) -> SplitMix64 {
    SplitMix64(0x1E1B_412C_0FF1_CE00 ^ salt ^ (point as u64).wrapping_mul(0xD1B5_4A32_D192_ED03))
}

/// `points` must not be empty: a check of no point would pass vacuously.
fn some_points<F>(points: &[Vec<F>]) -> Result<(), CheckError> {
    if points.is_empty() {
        return Err(CheckError::Shape {
            what: "points (at least one is needed)",
            expected: 1,
            found: 0,
        });
    }
    Ok(())
}

/// `f(x)`, finite.
fn finite_value<F: Float>(f: &impl Fn(&[F]) -> Vec<F>, x: &[F]) -> Result<Vec<F>, CheckError> {
    let f0 = f(x);
    non_finite(&f0)?;
    Ok(f0)
}

/// Rows comparing a value `y` returned by a rule with `f(x) = f0`, to
/// rounding error.
fn value_rows<F: Float>(
    point: usize,
    y: &[F],
    f0: &[F],
    what: &'static str,
    rows: &mut Vec<Row>,
) -> Result<(), CheckError> {
    if y.len() != f0.len() {
        return Err(CheckError::Shape {
            what,
            expected: f0.len(),
            found: y.len(),
        });
    }
    let rtol = rounding_rtol::<F>();
    for (output, (&a, &b)) in y.iter().zip(f0).enumerate() {
        let (ad, fd) = (to64(a), to64(b));
        rows.push(Row {
            entry: Entry::Value { point, output },
            x: f64::NAN,
            ad,
            fd,
            error: (ad - fd).abs(),
            tolerance: rtol * (1.0 + ad.abs().max(fd.abs())),
        });
    }
    Ok(())
}

/// Rows of the linearity identity `r(a p + b q) = a r(p) + b r(q)` of a
/// rule's outputs `rp = r(p)`, `rq = r(q)`, `rc = r(a p + b q)`. Entry `k`
/// may differ by `4 eps^(3/4) (s_k + max_j s_j)` with
/// `s_k = |a rp_k| + |b rq_k| + |rc_k|`.
fn linearity_rows<F: Float>(
    (a, b): (f64, f64),
    rp: &[F],
    rq: &[F],
    rc: &[F],
    entry: impl Fn(usize) -> Entry,
) -> Vec<Row> {
    let rtol = rounding_rtol::<F>();
    let parts: Vec<(f64, f64, f64)> = rp
        .iter()
        .zip(rq)
        .zip(rc)
        .map(|((&p, &q), &c)| {
            let (p, q, c) = (to64(p), to64(q), to64(c));
            (c, a * p + b * q, (a * p).abs() + (b * q).abs() + c.abs())
        })
        .collect();
    let largest = parts.iter().fold(0.0_f64, |m, p| m.max(p.2));
    parts
        .into_iter()
        .enumerate()
        .map(|(k, (ad, fd, scale))| Row {
            entry: entry(k),
            x: f64::NAN,
            ad,
            fd,
            error: (ad - fd).abs(),
            tolerance: rtol * (scale + largest) + f64::MIN_POSITIVE,
        })
        .collect()
}

/// Two coefficients `a` in [0.5, 1.5) and `b` in (-1.5, -0.5], as `F` and
/// as `f64`.
fn coefficients<F: Float>(rng: &mut SplitMix64) -> ((F, F), (f64, f64)) {
    let (a, b): (F, F) = (
        from64(1.0 + 0.5 * rng.next_sym()),
        from64(-1.0 - 0.5 * rng.next_sym()),
    );
    ((a, b), (to64(a), to64(b)))
}

/// `a p + b q`.
fn combine<F: Float>(a: F, p: &[F], b: F, q: &[F]) -> Vec<F> {
    p.iter().zip(q).map(|(&p, &q)| a * p + b * q).collect()
}

/// The JVP-rule checks at one point (see [`check_jvp_rule`]).
fn jvp_rule_at<F: Float>(
    f: &impl Fn(&[F]) -> Vec<F>,
    jvp: &impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    point: usize,
    x: &[F],
) -> Result<(), CheckError> {
    let f0 = finite_value(f, x)?;
    let m = f0.len();
    let rtol = fd_rtol::<F>();
    let eps = to64(F::epsilon());
    let mut rng = rule_rng(point, 1);
    let (mut values, mut tangents) = (Vec::new(), Vec::new());
    let mut dirs: Vec<(Vec<F>, Vec<F>)> = Vec::with_capacity(RULE_TRIALS);
    for trial in 0..RULE_TRIALS {
        // a random direction scaled per coordinate, so that the step
        // cbrt(eps) moves x_j by at most cbrt(eps) max(1, |x_j|)
        let u: Vec<F> = x
            .iter()
            .map(|&xj| from64::<F>(rng.next_sym()) * F::one().max(xj.abs()))
            .collect();
        let (y, dy) = jvp(x, &u);
        value_rows(point, &y, &f0, "value returned by jvp", &mut values)?;
        if dy.len() != m {
            return Err(CheckError::Shape {
                what: "tangent returned by jvp",
                expected: m,
                found: dy.len(),
            });
        }
        let probes = directional_probes(f, x, &u, F::epsilon().cbrt(), &f0)?;
        for (output, (p, &d)) in probes.iter().zip(&dy).enumerate() {
            let ad = to64(d);
            let (fd, tolerance) = p.reference(rtol, eps, ad);
            tangents.push(Row {
                entry: Entry::Tangent {
                    point,
                    trial,
                    output,
                },
                x: f64::NAN,
                ad,
                fd,
                error: (ad - fd).abs(),
                tolerance,
            });
        }
        dirs.push((u, dy));
    }
    let ((a, b), ab) = coefficients::<F>(&mut rng);
    let uc = combine(a, &dirs[0].0, b, &dirs[1].0);
    let (y, dc) = jvp(x, &uc);
    value_rows(point, &y, &f0, "value returned by jvp", &mut values)?;
    if dc.len() != m {
        return Err(CheckError::Shape {
            what: "tangent returned by jvp",
            expected: m,
            found: dc.len(),
        });
    }
    let linear = linearity_rows(ab, &dirs[0].1, &dirs[1].1, &dc, |output| {
        Entry::TangentLinearity { point, output }
    });
    verdict(&values)?;
    verdict(&tangents)?;
    verdict(&linear)
}

/// The VJP-rule checks at one point (see [`check_vjp_rule`]).
fn vjp_rule_at<F: Float>(
    f: &impl Fn(&[F]) -> Vec<F>,
    vjp: &impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    point: usize,
    x: &[F],
) -> Result<(), CheckError> {
    let f0 = finite_value(f, x)?;
    let (n, m) = (x.len(), f0.len());
    let rtol = fd_rtol::<F>();
    let eps = to64(F::epsilon());
    // probes[input][output], with their references and error estimates
    let jac: Vec<Vec<(f64, f64)>> = jacobian_probes(f, x, &f0)?
        .iter()
        .map(|col| col.iter().map(|p| p.estimate(eps)).collect())
        .collect();
    let mut rng = rule_rng(point, 2);
    let (mut values, mut cotangents) = (Vec::new(), Vec::new());
    let mut dirs: Vec<(Vec<F>, Vec<F>)> = Vec::with_capacity(RULE_TRIALS);
    let call = |w: &[F], values: &mut Vec<Row>| -> Result<Vec<F>, CheckError> {
        let (y, xbar) = vjp(x, w);
        value_rows(point, &y, &f0, "value returned by vjp", values)?;
        if xbar.len() != n {
            return Err(CheckError::Shape {
                what: "cotangent x̄ returned by vjp",
                expected: n,
                found: xbar.len(),
            });
        }
        Ok(xbar)
    };
    for trial in 0..RULE_TRIALS {
        let w: Vec<F> = rng.vector(m);
        let xbar = call(&w, &mut values)?;
        for (input, (col, &g)) in jac.iter().zip(&xbar).enumerate() {
            // x̄_i against Σ_k w_k J[k][i]
            let (mut fd, mut noise, mut mag) = (0.0, 0.0, 0.0);
            for (&(jki, nki), &wk) in col.iter().zip(&w) {
                let wk = to64(wk);
                fd += wk * jki;
                noise += wk.abs() * nki;
                mag += (wk * jki).abs();
            }
            let ad = to64(g);
            cotangents.push(Row {
                entry: Entry::Cotangent {
                    point,
                    trial,
                    input,
                },
                x: to64(x[input]),
                ad,
                fd,
                error: (ad - fd).abs(),
                tolerance: rtol * (1.0 + ad.abs().max(fd.abs()).max(mag)) + noise,
            });
        }
        dirs.push((w, xbar));
    }
    let ((a, b), ab) = coefficients::<F>(&mut rng);
    let wc = combine(a, &dirs[0].0, b, &dirs[1].0);
    let xc = call(&wc, &mut values)?;
    let linear = linearity_rows(ab, &dirs[0].1, &dirs[1].1, &xc, |input| {
        Entry::CotangentLinearity { point, input }
    });
    verdict(&values)?;
    verdict(&cotangents)?;
    verdict(&linear)
}

/// Checks a custom forward-mode (JVP) rule for `f` at each of `points`, in
/// the manner of JAX's `check_grads` and EnzymeTestUtils' `test_forward`.
///
/// `jvp(x, v)` must return `(f(x), J(x) v)`, the shape of an emitted
/// `_jvp`. At each point `x` (each of its own length), in this order:
///
/// 1. **value**: every value returned equals `f(x)` up to rounding,
///    `4 eps^(3/4) (1 + |f(x)|)` ([`Entry::Value`]);
/// 2. **tangent**: for 3 random directions `u` (uniform in [-1, 1),
///    scaled per coordinate by `max(1, |x_j|)`), each output of the tangent
///    against central finite differences of `f` along `u`, with the
///    reference and tolerance of [`check_gradient`] ([`Entry::Tangent`]);
/// 3. **linearity**: `jvp(x, a u + b w) = a jvp(x, u) + b jvp(x, w)` for
///    random `a`, `b`, up to rounding, `4 eps^(3/4)` relative to the
///    magnitudes involved ([`Entry::TangentLinearity`]): a rule that adds a
///    constant, or squares its tangent, fails here.
///
/// The first failing check is returned, naming its worst entry, its point
/// (an index into `points`) and its direction. Directions come from a fixed
/// seed per point, so a failure reproduces. `f` must be finite at each point
/// ([`CheckError::NonFinite`] otherwise) and `points` must not be empty.
/// Cost per point: 19 calls of `f`, 4 of `jvp`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::{check_jvp_rule, CheckError, Entry};
///
/// // softplus(x) = ln(1 + eˣ), written stably; its derivative is the logistic function
/// let softplus = |x: &[f64]| vec![x[0].max(0.0) + (-x[0].abs()).exp().ln_1p()];
/// let jvp = |x: &[f64], v: &[f64]| (softplus(x), vec![v[0] / (1.0 + (-x[0]).exp())]);
/// let points = [vec![-3.0], vec![0.5], vec![20.0]];
/// assert!(check_jvp_rule(softplus, jvp, &points).is_ok());
///
/// // a rule with the wrong sign in the exponent
/// let wrong = |x: &[f64], v: &[f64]| (softplus(x), vec![v[0] / (1.0 + x[0].exp())]);
/// let err = check_jvp_rule(softplus, wrong, &points).unwrap_err();
/// assert!(matches!(err, CheckError::Mismatch { entry: Entry::Tangent { point: 0, .. }, .. }));
/// println!("{err}");
/// ```
pub fn check_jvp_rule<F: Float>(
    f: impl Fn(&[F]) -> Vec<F>,
    jvp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    points: &[Vec<F>],
) -> Result<(), CheckError> {
    some_points(points)?;
    for (p, x) in points.iter().enumerate() {
        jvp_rule_at(&f, &jvp, p, x)?;
    }
    Ok(())
}

/// Checks a custom reverse-mode (VJP) rule for `f` at each of `points`, in
/// the manner of JAX's `check_grads` and EnzymeTestUtils' `test_reverse`.
///
/// `vjp(x, w)` must return `(f(x), J(x)ᵀ w)`: the value and the cotangent
/// `x̄` of the inputs for the output cotangent `w` (returned, not added into
/// anything kept between calls). At each point `x`, in this order:
///
/// 1. **value**: every value returned equals `f(x)` up to rounding
///    ([`Entry::Value`]);
/// 2. **cotangent**: for 3 random `w` (uniform in [-1, 1)), each entry of
///    `x̄` against `Σ_k w_k J[k][i]` with `J` from central finite differences
///    (as [`check_jacobian`]; the tolerances of the entries summed with
///    weights `|w_k|`) ([`Entry::Cotangent`]);
/// 3. **linearity**: `vjp(x, a u + b w) = a vjp(x, u) + b vjp(x, w)` up to
///    rounding ([`Entry::CotangentLinearity`]): a rule that accumulates into
///    a buffer it reuses fails here.
///
/// Errors, determinism and `points` as in [`check_jvp_rule`]. Cost per point:
/// `6 n + 1` calls of `f` for `n` inputs, 4 of `vjp`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::check_vjp_rule;
///
/// // hypot(x0, x1) = √(x0² + x1²): x̄ = w (x0, x1) / r
/// let hypot = |x: &[f32]| vec![x[0].hypot(x[1])];
/// let vjp = |x: &[f32], w: &[f32]| {
///     let r = x[0].hypot(x[1]);
///     (vec![r], vec![w[0] * x[0] / r, w[0] * x[1] / r])
/// };
/// let points = [vec![3.0f32, 4.0], vec![-1e-3, 2.0], vec![1e3, -1e3]];
/// assert!(check_vjp_rule(hypot, vjp, &points).is_ok());
///
/// // swapped components
/// let swapped = |x: &[f32], w: &[f32]| {
///     let r = x[0].hypot(x[1]);
///     (vec![r], vec![w[0] * x[1] / r, w[0] * x[0] / r])
/// };
/// assert!(check_vjp_rule(hypot, swapped, &points).is_err());
/// ```
pub fn check_vjp_rule<F: Float>(
    f: impl Fn(&[F]) -> Vec<F>,
    vjp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    points: &[Vec<F>],
) -> Result<(), CheckError> {
    some_points(points)?;
    for (p, x) in points.iter().enumerate() {
        vjp_rule_at(&f, &vjp, p, x)?;
    }
    Ok(())
}

/// Checks a pair of custom rules, a JVP rule and a VJP rule for `f`, at
/// each of `points`: everything [`check_jvp_rule`] and [`check_vjp_rule`]
/// check, then the dot-product test `<w, J v> = <Jᵀ w, v>` between the two
/// rules for 3 random pairs (as [`dot_product_test`], to rounding error;
/// [`Entry::RuleDotProduct`]), which ties them together far more tightly
/// than finite differences can.
///
/// At each point the JVP checks come first, then the VJP checks, then the
/// dot-product test; the first failure is returned.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::check::{check_rule, CheckError, Entry};
///
/// // f(x) = [x0 x1, sin x0]: J = [[x1, x0], [cos x0, 0]]
/// let f = |x: &[f64]| vec![x[0] * x[1], x[0].sin()];
/// let jvp = |x: &[f64], v: &[f64]| (f(x), vec![x[1] * v[0] + x[0] * v[1], x[0].cos() * v[0]]);
/// let vjp = |x: &[f64], w: &[f64]| (f(x), vec![x[1] * w[0] + x[0].cos() * w[1], x[0] * w[0]]);
/// let points = [vec![0.3, -2.0], vec![4.0, 1.5]];
/// assert!(check_rule(f, jvp, vjp, &points).is_ok());
///
/// // a VJP off by 1e-9 relative: below what finite differences can see, caught by the dot-product test
/// let vjp_off = |x: &[f64], w: &[f64]| {
///     let (y, mut g) = vjp(x, w);
///     g[1] *= 1.0 + 1e-9;
///     (y, g)
/// };
/// let err = check_rule(f, jvp, vjp_off, &points).unwrap_err();
/// assert!(matches!(err, CheckError::Mismatch { entry: Entry::RuleDotProduct { point: 0, .. }, .. }));
/// ```
pub fn check_rule<F: Float>(
    f: impl Fn(&[F]) -> Vec<F>,
    jvp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    vjp: impl Fn(&[F], &[F]) -> (Vec<F>, Vec<F>),
    points: &[Vec<F>],
) -> Result<(), CheckError> {
    some_points(points)?;
    for (point, x) in points.iter().enumerate() {
        jvp_rule_at(&f, &jvp, point, x)?;
        vjp_rule_at(&f, &vjp, point, x)?;
        let m = finite_value(&f, x)?.len();
        let mut rng = rule_rng(point, 3);
        let rows = dot_rows(
            &|v: &[F]| jvp(x, v).1,
            &|w: &[F]| vjp(x, w).1,
            x.len(),
            m,
            &mut rng,
            |trial| Entry::RuleDotProduct { point, trial },
        )?;
        verdict(&rows)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    // f(x) = x0² + 3 x1 + sin(x0 x2) + exp(x1/4)
    fn f<F: Float>(x: &[F]) -> F {
        let c = |v: f64| from64::<F>(v);
        x[0] * x[0] + c(3.0) * x[1] + (x[0] * x[2]).sin() + (x[1] / c(4.0)).exp()
    }

    fn grad<F: Float>(x: &[F]) -> Vec<F> {
        let c = |v: f64| from64::<F>(v);
        let cs = (x[0] * x[2]).cos();
        vec![
            c(2.0) * x[0] + x[2] * cs,
            c(3.0) + (x[1] / c(4.0)).exp() / c(4.0),
            x[0] * cs,
        ]
    }

    // g(x) = [x0 x1, sin(x1) + x2², x0 / (1 + x2²)]
    fn g<F: Float>(x: &[F]) -> Vec<F> {
        let one = F::one();
        vec![
            x[0] * x[1],
            x[1].sin() + x[2] * x[2],
            x[0] / (one + x[2] * x[2]),
        ]
    }

    fn jac<F: Float>(x: &[F]) -> Vec<Vec<F>> {
        let (z, one, two) = (F::zero(), F::one(), F::one() + F::one());
        let d = one + x[2] * x[2];
        vec![
            vec![x[1], x[0], z],
            vec![z, x[1].cos(), two * x[2]],
            vec![one / d, z, -x[0] * two * x[2] / (d * d)],
        ]
    }

    fn matvec<F: Float>(a: &[Vec<F>], v: &[F]) -> Vec<F> {
        a.iter()
            .map(|r| r.iter().zip(v).fold(F::zero(), |s, (&p, &q)| s + p * q))
            .collect()
    }

    fn matvec_t<F: Float>(a: &[Vec<F>], w: &[F]) -> Vec<F> {
        let n = a[0].len();
        (0..n)
            .map(|j| a.iter().zip(w).fold(F::zero(), |s, (r, &q)| s + r[j] * q))
            .collect()
    }

    fn points<F: Float>() -> Vec<Vec<F>> {
        [
            [0.3, -1.2, 0.7],
            [1.5, 2.0, -0.4],
            [-25.0, 3.5, 0.02],
            [0.0, 0.0, 0.0],
        ]
        .iter()
        .map(|p| p.iter().map(|&v| from64(v)).collect())
        .collect()
    }

    /// Scales entry `i` of a gradient by `1 + rel`.
    fn perturb<F: Float>(mut v: Vec<F>, i: usize, rel: f64) -> Vec<F> {
        v[i] = v[i] * from64(1.0 + rel);
        v
    }

    fn gradient_cases<F: Float>() {
        for x in points::<F>() {
            let gr = grad(&x);
            // right derivative: passes, and fd_gradient is close
            check_gradient(f::<F>, &gr, &x).unwrap_or_else(|e| panic!("at {:?}: {e}", to_f64s(&x)));
            assert_gradient(f::<F>, &gr, &x);
            let fd = fd_gradient(f::<F>, &x);
            for (a, b) in fd.iter().zip(&gr) {
                let (a, b) = (to64(*a), to64(*b));
                assert!((a - b).abs() <= 1e-2 * (1.0 + b.abs()), "fd {a} vs {b}");
            }
            // off by 1% in any entry: fails, naming that entry
            for i in 0..x.len() {
                if to64(gr[i]).abs() < 0.5 {
                    continue; // 1% of a tiny entry is below the absolute floor
                }
                let bad = perturb(gr.clone(), i, 0.01);
                match check_gradient(f::<F>, &bad, &x) {
                    Err(CheckError::Mismatch {
                        entry,
                        failed,
                        total,
                        ..
                    }) => {
                        assert_eq!(entry, Entry::Gradient(i));
                        assert_eq!((failed, total), (1, 3));
                    }
                    other => panic!(
                        "1% error in entry {i} at {:?} not caught: {other:?}",
                        to_f64s(&x)
                    ),
                }
            }
            // a sign error is always caught
            let mut bad = gr.clone();
            bad[1] = -bad[1];
            assert!(check_gradient(f::<F>, &bad, &x).is_err());
        }
    }

    fn to_f64s<F: Float>(x: &[F]) -> Vec<f64> {
        x.iter().map(|&v| to64(v)).collect()
    }

    #[test]
    fn gradient_f64() {
        gradient_cases::<f64>();
    }

    #[test]
    fn gradient_f32() {
        gradient_cases::<f32>();
    }

    #[test]
    fn gradient_shape_and_nonfinite() {
        let e = check_gradient(f::<f64>, &[1.0, 2.0], &[0.0, 0.0, 0.0]).unwrap_err();
        assert_eq!(
            e,
            CheckError::Shape {
                what: "gradient",
                expected: 3,
                found: 2
            }
        );
        let e = check_gradient(|x: &[f64]| x[0].ln(), &[1.0], &[-1.0]).unwrap_err();
        assert!(matches!(e, CheckError::NonFinite { output: 0, .. }));
        // NaN in the gradient under test fails
        assert!(check_gradient(f::<f64>, &[f64::NAN, 3.0, 0.0], &[0.0, 0.0, 0.0]).is_err());
    }

    #[test]
    fn large_values_and_offsets() {
        // f = 1e6 + 1e-3 x0 + x1^3 at large x1: relative criterion and step scaling
        let f = |x: &[f64]| 1.0e6 + 1.0e-3 * x[0] + x[1] * x[1] * x[1];
        let x = [0.5, 300.0];
        let gr = [1.0e-3, 3.0 * 300.0 * 300.0];
        check_gradient(f, &gr, &x).unwrap();
        assert!(check_gradient(f, &[1.0e-3, 1.01 * gr[1]], &x).is_err());
        // same in f32 with moderate values
        let f32f = |x: &[f32]| 100.0 + x[0] * x[1] * x[1];
        let x32 = [2.0f32, 30.0];
        check_gradient(f32f, &[900.0, 120.0], &x32).unwrap();
        assert!(check_gradient(f32f, &[909.0, 120.0], &x32).is_err());
        assert!(check_gradient(f32f, &[900.0, 121.2], &x32).is_err());
    }

    #[test]
    #[should_panic(expected = "<-- FAIL")]
    fn assert_gradient_panics_with_table() {
        let x = [0.3, -1.2, 0.7];
        assert_gradient(f::<f64>, &perturb(grad(&x), 2, 0.01), &x);
    }

    #[test]
    #[should_panic(expected = "gradient entry [0]")]
    fn assert_gradient_f32_panics() {
        let x = [1.5f32, 2.0, -0.4];
        assert_gradient(f::<f32>, &perturb(grad(&x), 0, 0.01), &x);
    }

    #[test]
    fn display_names_worst_entry() {
        let x = [1.5, 2.0, -0.4];
        let mut bad = grad(&x);
        bad[2] += 0.5;
        bad[0] += 1e-3;
        let e = check_gradient(f::<f64>, &bad, &x).unwrap_err();
        let s = e.to_string();
        assert!(s.contains("2 of 3"), "{s}");
        assert!(s.contains("gradient entry [2]"), "{s}");
        assert!(
            s.contains("AD = ") && s.contains("FD = ") && s.contains("error = "),
            "{s}"
        );
        let _: &dyn std::error::Error = &e;
    }

    fn jacobian_cases<F: Float>() {
        for x in points::<F>() {
            let j = jac(&x);
            check_jacobian(g::<F>, &j, &x).unwrap_or_else(|e| panic!("at {:?}: {e}", to_f64s(&x)));
            let fd = fd_jacobian(g::<F>, &x);
            assert_eq!((fd.len(), fd[0].len()), (3, 3));
            for (r, s) in fd.iter().zip(&j) {
                for (a, b) in r.iter().zip(s) {
                    let (a, b) = (to64(*a), to64(*b));
                    assert!((a - b).abs() <= 1e-2 * (1.0 + b.abs()), "fd {a} vs {b}");
                }
            }
            for row in 0..3 {
                for col in 0..3 {
                    if to64(j[row][col]).abs() < 0.5 {
                        continue;
                    }
                    let mut bad = j.clone();
                    bad[row][col] = bad[row][col] * from64(1.01);
                    match check_jacobian(g::<F>, &bad, &x) {
                        Err(CheckError::Mismatch { entry, .. }) => {
                            assert_eq!(entry, Entry::Jacobian { row, col })
                        }
                        other => panic!("1% error at [{row}][{col}] not caught: {other:?}"),
                    }
                }
            }
            // transposed Jacobian fails (it is not symmetric at these points)
            if x.iter().any(|v| !v.is_zero()) {
                let t: Vec<Vec<F>> = (0..3).map(|c| (0..3).map(|r| j[r][c]).collect()).collect();
                assert!(check_jacobian(g::<F>, &t, &x).is_err());
            }
        }
        // shapes
        let x: Vec<F> = points::<F>().remove(0);
        let mut j = jac(&x);
        j.pop();
        assert!(matches!(
            check_jacobian(g::<F>, &j, &x),
            Err(CheckError::Shape { .. })
        ));
        let mut j = jac(&x);
        j[1].pop();
        assert!(matches!(
            check_jacobian(g::<F>, &j, &x),
            Err(CheckError::Shape { .. })
        ));
    }

    #[test]
    fn jacobian_f64() {
        jacobian_cases::<f64>();
    }

    #[test]
    fn jacobian_f32() {
        jacobian_cases::<f32>();
    }

    fn dot_cases<F: Float>() {
        for x in points::<F>() {
            let j = jac(&x);
            for seed in [0u64, 1, 2, 12345] {
                dot_product_test(
                    |v: &[F]| matvec(&j, v),
                    |w: &[F]| matvec_t(&j, w),
                    3,
                    3,
                    seed,
                )
                .unwrap_or_else(|e| panic!("{e}"));
                assert_dot_product(
                    |v: &[F]| matvec(&j, v),
                    |w: &[F]| matvec_t(&j, w),
                    3,
                    3,
                    seed,
                );
                // one entry of the transpose off by 1%: fails
                let mut bad = j.clone();
                let (r, c) = (0..9)
                    .map(|k| (k / 3, k % 3))
                    .max_by(|a, b| to64(j[a.0][a.1].abs()).total_cmp(&to64(j[b.0][b.1].abs())))
                    .unwrap();
                bad[r][c] = bad[r][c] * from64(1.01);
                let e = dot_product_test(
                    |v: &[F]| matvec(&j, v),
                    |w: &[F]| matvec_t(&bad, w),
                    3,
                    3,
                    seed,
                )
                .unwrap_err();
                assert!(matches!(
                    e,
                    CheckError::Mismatch {
                        entry: Entry::DotProduct { .. },
                        ..
                    }
                ));
                // forgot to transpose (Jacobian not symmetric)
                if x.iter().any(|v| !v.is_zero()) {
                    assert!(
                        dot_product_test(
                            |v: &[F]| matvec(&j, v),
                            |w: &[F]| matvec(&j, w),
                            3,
                            3,
                            seed
                        )
                        .is_err()
                    );
                }
            }
        }
        // rectangular: 2 inputs, 3 outputs
        let a: Vec<Vec<F>> = [[1.0, -2.0], [0.5, 3.0], [4.0, 0.25]]
            .iter()
            .map(|r| r.iter().map(|&v| from64(v)).collect())
            .collect();
        assert_dot_product(|v: &[F]| matvec(&a, v), |w: &[F]| matvec_t(&a, w), 2, 3, 9);
        let e = dot_product_test(|v: &[F]| matvec(&a, v), |w: &[F]| matvec_t(&a, w), 3, 2, 9);
        assert!(matches!(e, Err(CheckError::Shape { .. })));
    }

    #[test]
    fn dot_product_f64() {
        dot_cases::<f64>();
    }

    #[test]
    fn dot_product_f32() {
        dot_cases::<f32>();
    }

    #[test]
    #[should_panic(expected = "dot-product test failed")]
    fn assert_dot_product_panics() {
        let jvp = |v: &[f64]| vec![2.0 * v[0] + v[1]];
        let vjp = |w: &[f64]| vec![2.0 * w[0], 1.001 * w[0]];
        assert_dot_product(jvp, vjp, 2, 1, 3);
    }

    // h(x) = sum_i tanh(x_i) x_{i+1} + exp(sin(x_i) / 2) + sqrt(x_i² + 1) + ln(1 + x_i²)
    fn h<F: Float>(x: &[F]) -> F {
        let (one, two) = (F::one(), F::one() + F::one());
        let n = x.len();
        (0..n).fold(F::zero(), |s, i| {
            let xi = x[i];
            s + xi.tanh() * x[(i + 1) % n]
                + (xi.sin() / two).exp()
                + (xi * xi + one).sqrt()
                + (one + xi * xi).ln()
        })
    }

    fn h_grad<F: Float>(x: &[F]) -> Vec<F> {
        let (one, two) = (F::one(), F::one() + F::one());
        let n = x.len();
        (0..n)
            .map(|i| {
                let xi = x[i];
                let prev = (i + n - 1) % n;
                let t = xi.tanh();
                (one - t * t) * x[(i + 1) % n]
                    + x[prev].tanh()
                    + (xi.sin() / two).exp() * xi.cos() / two
                    + xi / (xi * xi + one).sqrt()
                    + two * xi / (one + xi * xi)
            })
            .collect()
    }

    fn no_false_alarms<F: Float>() {
        let mut rng = SplitMix64(2024);
        let mut caught = 0;
        let trials = 200;
        for _ in 0..trials {
            let x: Vec<F> = (0..5).map(|_| from64(3.0 * rng.next_sym())).collect();
            let gr = h_grad(&x);
            check_gradient(h::<F>, &gr, &x)
                .unwrap_or_else(|e| panic!("false alarm at {:?}: {e}", to_f64s(&x)));
            // the largest entry off by 1%
            let i = (0..5)
                .max_by(|&a, &b| to64(gr[a].abs()).total_cmp(&to64(gr[b].abs())))
                .unwrap();
            if check_gradient(h::<F>, &perturb(gr, i, 0.01), &x).is_err() {
                caught += 1;
            }
        }
        assert_eq!(
            caught, trials,
            "a 1% error in the largest entry must always be caught"
        );
    }

    #[test]
    fn no_false_alarms_f64() {
        no_false_alarms::<f64>();
    }

    #[test]
    fn no_false_alarms_f32() {
        no_false_alarms::<f32>();
    }

    #[test]
    fn prng_is_deterministic_and_spread() {
        let a: Vec<f64> = SplitMix64(5).vector(1000);
        let b: Vec<f64> = SplitMix64(5).vector(1000);
        let c: Vec<f64> = SplitMix64(6).vector(1000);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.iter().all(|v| (-1.0..1.0).contains(v)));
        let mean = a.iter().sum::<f64>() / 1000.0;
        assert!(mean.abs() < 0.1);
        assert!(a.iter().any(|&v| v > 0.9) && a.iter().any(|&v| v < -0.9));
    }
}
