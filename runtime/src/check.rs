//! Derivative checkers for your own functions: central finite differences,
//! gradient and Jacobian checks, and the JVP/VJP dot-product test.
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
//!
//! ```
//! use leibniz_runtime::check;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Entry `i` of a gradient.
    Gradient(usize),
    /// Entry `(row, col)` = d out\[row\] / d x\[col\] of a Jacobian.
    Jacobian { row: usize, col: usize },
    /// The scalar identity `<w, J v> = <Jᵀ w, v>` of the dot-product test,
    /// for the `trial`-th random pair drawn from `seed`.
    DotProduct { seed: u64, trial: usize },
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Gradient(i) => write!(f, "gradient entry [{i}]"),
            Entry::Jacobian { row, col } => write!(f, "Jacobian entry [{row}][{col}]"),
            Entry::DotProduct { seed, trial } => {
                write!(f, "dot-product identity (seed {seed}, trial {trial})")
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
    /// For gradient and Jacobian checks `ad` is the value you passed and `fd`
    /// the central finite difference. For the dot-product test `ad` is
    /// `<w, J v>` (from `jvp`) and `fd` is `<Jᵀ w, v>` (from `vjp`).
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
/// use leibniz_runtime::check::fd_gradient;
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
/// use leibniz_runtime::check::fd_jacobian;
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
    /// The step h.
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
        let mut tol = rtol * (1.0 + ad.abs().max(fd.abs())) + est;
        let round = 4.0 * eps * self.fmax / self.h;
        if round.is_finite() {
            tol += round;
        }
        (fd, tol)
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
/// use leibniz_runtime::check::{check_gradient, CheckError};
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
            Entry::Jacobian { row, col } => format!("[{row}][{col}]"),
            Entry::DotProduct { .. } => String::new(),
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
/// use leibniz_runtime::check::assert_gradient;
///
/// // f(x) = x0² + 3 x1, gradient [2 x0, 3]
/// let x = [1.5, -2.0];
/// assert_gradient(|x: &[f64]| x[0] * x[0] + 3.0 * x[1], &[2.0 * x[0], 3.0], &x);
/// ```
///
/// ```should_panic
/// use leibniz_runtime::check::assert_gradient;
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

/// Checks a Jacobian `jac` (rows: `jac[out][in]`) of the vector function `f`
/// at `x` against central finite differences (see [`fd_jacobian`]), entry by
/// entry, with the tolerance of [`check_gradient`] (the rounding term uses the
/// magnitude of that entry's output).
///
/// ```
/// use leibniz_runtime::check::check_jacobian;
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
    let mut work = x.to_vec();
    let mut rows = Vec::with_capacity(m * n);
    for i in 0..n {
        let h = step(x[i]);
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
            let (dk, fp, fm) = central_vector(&f, &mut work, i, hk);
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
        for (k, p) in probes.iter().enumerate() {
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
/// use leibniz_runtime::check::dot_product_test;
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
    let eps = to64(F::epsilon());
    let rtol = 4.0 * eps.powf(0.75);
    let mut rng = SplitMix64(seed);
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
            entry: Entry::DotProduct { seed, trial },
            x: f64::NAN,
            ad: lhs,
            fd: rhs,
            error: (lhs - rhs).abs(),
            tolerance: rtol * scale + f64::MIN_POSITIVE,
        });
    }
    verdict(&rows)
}

/// Like [`dot_product_test`], but panics with the failure.
///
/// # Panics
///
/// If `<w, J v> ≠ <Jᵀ w, v>` beyond rounding error, or a length is wrong.
///
/// ```
/// use leibniz_runtime::check::assert_dot_product;
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
