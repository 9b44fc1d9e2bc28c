//! Special functions and their first and second derivatives, for the
//! derivative rules leibniz ships for functions outside `std` (feature
//! `special`).
//!
//! | function | value | d/dx | d²/dx² |
//! |---|---|---|---|
//! | [`lgamma`] `ln\|Γ(x)\|` | libm | [`lgamma_d1`] = ψ | [`lgamma_d2`] = ψ₁ |
//! | [`tgamma`] `Γ(x)` | libm | [`tgamma_d1`] = Γ ψ | [`tgamma_d2`] = Γ (ψ² + ψ₁) |
//! | [`digamma`] `ψ(x)` | here | [`digamma_d1`] = ψ₁ | [`digamma_d2`] = ψ₂ |
//! | [`trigamma`] `ψ₁(x)` | here | [`trigamma_d1`] = ψ₂ | — |
//! | [`tetragamma`] `ψ₂(x)` | here | — | — |
//! | [`erf`] | libm | [`erf_d1`] = 2/√π e^(−x²) | [`erf_d2`] = −2x erf′ |
//! | [`erfc`] | libm | [`erfc_d1`] = −erf′ | [`erfc_d2`] = 2x erf′ |
//!
//! Every function is generic: over [`SpecialFloat`] (implemented for `f32`
//! and `f64`) where the value comes from [libm], over [`Float`] otherwise,
//! with one implementation for both precisions. `lgamma`, `tgamma`, `erf`
//! and `erfc` are libm's (`lgamma` / `lgammaf`, ...: the musl/FreeBSD
//! implementations, accurate to a few ulp; note that `lgamma` loses
//! relative accuracy near its zeros at negative `x`, as every `lgamma`
//! computed from `ln|Γ|` does).
//!
//! The polygamma functions ψ = ψ₀, ψ₁, ψ₂ are computed here: the recurrence
//! `ψₙ(x) = ψₙ(x + 1) − (−1)ⁿ n! / x^(n+1)` up to `x ≥ 10`, then the
//! asymptotic (Stirling) series to the 18th Bernoulli number; the reflection
//! formula for negative `x`, with `sin(πx)`, `cot(πx)` evaluated on the
//! reduced argument `x − round(x)` (exact), so accuracy holds next to the
//! poles. ψ on [1, 2] is `(x − x₀) g(x)`, with x₀ ≈ 1.4616 its positive
//! zero (as a two-part constant) and `g` a Chebyshev series, so it keeps
//! full relative accuracy around x₀. In `f64` the relative error is below
//! 1e-15 for `x > 0`; for negative `x`, about 1e-15 relative to the larger
//! of the two reflection terms (so relative accuracy is lost only next to
//! the zeros of ψ and ψ₂ between the poles).
//!
//! Poles and special values follow the limits: ψ(±0) = ∓∞, ψ₁(±0) = +∞,
//! ψ₂(±0) = ∓∞; at negative integers ψ and ψ₂ (whose one-sided limits
//! differ) are NaN and ψ₁ is +∞; ψ(+∞) = +∞, ψ₁(+∞) = 0, ψ₂(+∞) = −0;
//! at −∞ and NaN, NaN. Nothing here panics.
//!
//! ```
//! # use leibniz_runtime as leibniz;
//! use leibniz::special::{digamma, lgamma, lgamma_d1, tgamma, erf_d1};
//!
//! let euler_gamma = 0.5772156649015329_f64;
//! assert!((digamma(1.0_f64) + euler_gamma).abs() < 1e-15);
//! assert_eq!(tgamma(5.0_f64), 24.0);
//! assert!((lgamma(10.0_f32) - 12.801827_f32).abs() < 1e-5);
//! // a JVP rule for lgamma: (lgamma(x), digamma(x) dx)
//! let (x, dx) = (3.5_f64, 0.25);
//! let (y, dy) = (lgamma(x), lgamma_d1(x) * dx);
//! # let _ = (y, dy);
//! assert!((erf_d1(0.0_f64) - 2.0 / std::f64::consts::PI.sqrt()).abs() < 1e-15);
//! ```

use num_traits::Float;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A float type with the special functions libm provides: `f32` and `f64`
/// (sealed: not meant to be implemented elsewhere).
///
/// The four required methods are libm's; the provided ones are the generic
/// polygamma functions of this module, as methods.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::SpecialFloat;
///
/// fn log_beta<F: SpecialFloat>(a: F, b: F) -> F {
///     a.lgamma() + b.lgamma() - (a + b).lgamma()
/// }
/// assert!((log_beta(2.0_f64, 3.0) - (1.0_f64 / 12.0).ln()).abs() < 1e-14);
/// assert!((log_beta(2.0_f32, 3.0) - (1.0_f32 / 12.0).ln()).abs() < 1e-5);
/// ```
pub trait SpecialFloat: Float + sealed::Sealed {
    /// `ln|Γ(self)|`; `+∞` at the poles (0 and the negative integers).
    fn lgamma(self) -> Self;
    /// `Γ(self)`; `±∞` at `±0`, NaN at the negative integers and `−∞`,
    /// `+∞` past the overflow (about 171.6 in `f64`, 35.04 in `f32`).
    fn tgamma(self) -> Self;
    /// The error function `erf(self) = 2/√π ∫₀^self e^(−t²) dt`.
    fn erf(self) -> Self;
    /// The complementary error function `1 − erf(self)`, accurate where it
    /// is small (large `self`).
    fn erfc(self) -> Self;
    /// [`digamma`] as a method.
    fn digamma(self) -> Self {
        digamma(self)
    }
    /// [`trigamma`] as a method.
    fn trigamma(self) -> Self {
        trigamma(self)
    }
    /// [`tetragamma`] as a method.
    fn tetragamma(self) -> Self {
        tetragamma(self)
    }
}

impl SpecialFloat for f64 {
    fn lgamma(self) -> f64 {
        libm::lgamma(self)
    }
    fn tgamma(self) -> f64 {
        libm::tgamma(self)
    }
    fn erf(self) -> f64 {
        libm::erf(self)
    }
    fn erfc(self) -> f64 {
        libm::erfc(self)
    }
}

impl SpecialFloat for f32 {
    fn lgamma(self) -> f32 {
        libm::lgammaf(self)
    }
    fn tgamma(self) -> f32 {
        libm::tgammaf(self)
    }
    fn erf(self) -> f32 {
        libm::erff(self)
    }
    fn erfc(self) -> f32 {
        libm::erfcf(self)
    }
}

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

#[inline]
fn k<F: Float>(v: f64) -> F {
    // exact or correctly rounded for f32 and f64: never None
    F::from(v).unwrap_or_else(F::nan)
}

/// From this `x` on, the asymptotic series alone.
const ASYMPTOTIC_FROM: f64 = 10.0;

/// `B_2k / (2k)`, k = 1..9: ψ(x) ~ ln x − 1/(2x) − Σ c_k / x^(2k).
const DIGAMMA_ASYM: [f64; 9] = [
    0.08333333333333333,
    -0.008333333333333333,
    0.003968253968253968,
    -0.004166666666666667,
    0.007575757575757576,
    -0.021092796092796094,
    0.08333333333333333,
    -0.4432598039215686,
    3.0539543302701198,
];

/// `B_2k`, k = 1..9: ψ₁(x) ~ 1/x + 1/(2x²) + Σ c_k / x^(2k+1).
const TRIGAMMA_ASYM: [f64; 9] = [
    0.16666666666666666,
    -0.03333333333333333,
    0.023809523809523808,
    -0.03333333333333333,
    0.07575757575757576,
    -0.2531135531135531,
    1.1666666666666667,
    -7.092156862745098,
    54.971177944862156,
];

/// `(2k + 1) B_2k`, k = 1..9: ψ₂(x) ~ −1/x² − 1/x³ − Σ c_k / x^(2k+2).
const TETRAGAMMA_ASYM: [f64; 9] = [
    0.5,
    -0.16666666666666666,
    0.16666666666666666,
    -0.3,
    0.8333333333333334,
    -3.2904761904761903,
    17.5,
    -120.56666666666666,
    1044.452380952381,
];

/// The positive zero of ψ, x₀ = 1.46163214496836234126..., as `HI + LO`.
const PSI_ZERO_HI: f64 = 1.4616321449683622;
const PSI_ZERO_LO: f64 = 9.549995429965697e-17;

/// Chebyshev coefficients of `g(x) = ψ(x) / (x − x₀)` on [1, 2] in
/// `t = 2x − 3` (the first one already halved); |error| < 3e-18.
const PSI_12_CHEB: [f64; 24] = [
    0.983570260441567,
    -0.2270640863346444,
    0.03336889902393011,
    -0.005320077271596548,
    0.0008788656937820505,
    -0.00014773492650606044,
    2.5060543468359146e-05,
    -4.2721034029993324e-06,
    7.302769272465923e-07,
    -1.2502886813559594e-07,
    2.1425009322359472e-08,
    -3.673295918565179e-09,
    6.299717236108931e-10,
    -1.080593028883266e-10,
    1.853735192053638e-11,
    -3.18023536582553e-12,
    5.456147570322792e-13,
    -9.360993131036283e-14,
    1.6060646362941694e-14,
    -2.7555431376911e-15,
    4.727736175525581e-16,
    -8.11148402416338e-17,
    1.3917067244271837e-17,
    -2.3877291984159417e-18,
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// `Σ c_k y^(k-1)` for `k = 1..=9`, by Horner.
#[inline]
fn series<F: Float>(c: &[f64; 9], y: F) -> F {
    c.iter()
        .rev()
        .fold(F::zero(), |acc, &ck| acc * y + k::<F>(ck))
}

/// `(sin(π r), cos(π r))` of the reduced argument `r = x − round(x)`
/// (exact in floating point): `sin(πx) = ±sin(πr)` and `cos(πx) =
/// ±cos(πr)` with the same sign, so `cot(πx)`, `1/sin²(πx)` and
/// `cos(πx)/sin³(πx)` are the same functions of `r`, without the rounding
/// of `π x` near the poles.
///
/// `cos(πr)` is computed as `sin(π (1/2 − |r|))` (the subtraction is exact
/// for `|r|` near 1/2), so it is exactly 0 at the half-integers and
/// accurate relative to itself next to them.
#[inline]
fn sin_cos_pi_reduced<F: Float>(x: F) -> (F, F) {
    let r = x - x.round();
    let pi: F = k(core::f64::consts::PI);
    let half = F::one() / (F::one() + F::one());
    ((pi * r).sin(), (pi * (half - r.abs())).sin())
}

/// How the negative / pole cases of a polygamma function resolve.
enum Domain<F> {
    /// A final value (pole, infinity, NaN).
    Done(F),
    /// `x > 0`: compute directly.
    Positive,
    /// `x < 0`, not an integer: reflect.
    Negative,
}

/// Sorts `x` for a polygamma function: `zero` is the value at `+0` (its
/// sign flipped at `−0` when `odd_at_zero`), `pole` the value at the
/// negative integers, `at_inf` the value at `+∞`.
#[inline]
fn domain<F: Float>(x: F, zero: F, odd_at_zero: bool, pole: F, at_inf: F) -> Domain<F> {
    if x.is_nan() {
        Domain::Done(x)
    } else if x.is_zero() {
        Domain::Done(if odd_at_zero && x.is_sign_negative() {
            -zero
        } else {
            zero
        })
    } else if x == F::infinity() {
        Domain::Done(at_inf)
    } else if x > F::zero() {
        Domain::Positive
    } else if x == F::neg_infinity() {
        Domain::Done(F::nan())
    } else if x == x.floor() {
        Domain::Done(pole)
    } else {
        Domain::Negative
    }
}

// ---------------------------------------------------------------------------
// Polygamma functions
// ---------------------------------------------------------------------------

/// ψ on [1, 2]: `(x − x₀) g(x)`, `g` by Clenshaw's recurrence.
fn digamma_1_2<F: Float>(x: F) -> F {
    let two = F::one() + F::one();
    let t = two * x - k::<F>(3.0);
    let t2 = t + t;
    let (mut b1, mut b2) = (F::zero(), F::zero());
    for &c in PSI_12_CHEB[1..].iter().rev() {
        let b0 = t2 * b1 - b2 + k::<F>(c);
        b2 = b1;
        b1 = b0;
    }
    let g = t * b1 - b2 + k::<F>(PSI_12_CHEB[0]);
    // x − x₀: x − HI is exact in [1, 2] (Sterbenz), for f32 too.
    let hi: F = k(PSI_ZERO_HI);
    let lo: F = k((PSI_ZERO_HI - hi.to_f64().unwrap_or(f64::NAN)) + PSI_ZERO_LO);
    ((x - hi) - lo) * g
}

/// ψ(x) for `x > 0`, finite.
fn digamma_pos<F: Float>(x: F) -> F {
    let one = F::one();
    let two = one + one;
    if x < one {
        // ψ(x) = ψ(x + 1) − 1/x, x + 1 in [1, 2)
        return digamma_1_2(x + one) - one / x;
    }
    if x <= two {
        return digamma_1_2(x);
    }
    let from: F = k(ASYMPTOTIC_FROM);
    let (mut x, mut acc) = (x, F::zero());
    while x < from {
        acc = acc + one / x;
        x = x + one;
    }
    let r = one / x;
    let y = r * r;
    x.ln() - r / two - y * series(&DIGAMMA_ASYM, y) - acc
}

/// ψ₁(x) for `x > 0`, finite.
fn trigamma_pos<F: Float>(x: F) -> F {
    let one = F::one();
    let from: F = k(ASYMPTOTIC_FROM);
    let (mut x, mut acc) = (x, F::zero());
    while x < from {
        acc = acc + one / (x * x);
        x = x + one;
    }
    let r = one / x;
    let y = r * r;
    let half = one / (one + one);
    acc + r * (one + r * half + y * series(&TRIGAMMA_ASYM, y))
}

/// ψ₂(x) for `x > 0`, finite.
fn tetragamma_pos<F: Float>(x: F) -> F {
    let one = F::one();
    let two = one + one;
    let from: F = k(ASYMPTOTIC_FROM);
    let (mut x, mut acc) = (x, F::zero());
    while x < from {
        acc = acc + two / (x * x * x);
        x = x + one;
    }
    let r = one / x;
    let y = r * r;
    -(acc + y * (one + r + y * series(&TETRAGAMMA_ASYM, y)))
}

/// The digamma function ψ(x) = Γ′(x)/Γ(x) = d/dx ln|Γ(x)|.
///
/// See the [module docs](self) for the method, accuracy and values at the
/// poles (NaN at negative integers, `∓∞` at `±0`).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::digamma;
///
/// let g = 0.5772156649015329_f64; // Euler's γ
/// assert!((digamma(1.0_f64) + g).abs() < 1e-15);
/// assert!((digamma(0.5_f64) + g + 2.0 * 2f64.ln()).abs() < 1e-15);
/// // reflection: ψ(1 − x) − ψ(x) = π cot(πx)
/// let x = -0.3_f64;
/// let pc = std::f64::consts::PI / (std::f64::consts::PI * x).tan();
/// assert!((digamma(1.0 - x) - digamma(x) - pc).abs() < 1e-13);
/// assert!(digamma(-2.0_f64).is_nan());
/// assert!((digamma(1.0_f32) + 0.5772157).abs() < 1e-6);
/// ```
pub fn digamma<F: Float>(x: F) -> F {
    match domain(x, F::neg_infinity(), true, F::nan(), F::infinity()) {
        Domain::Done(v) => v,
        Domain::Positive => digamma_pos(x),
        Domain::Negative => {
            // ψ(x) = ψ(1 − x) − π cot(πx)
            let (s, c) = sin_cos_pi_reduced(x);
            digamma_pos(F::one() - x) - k::<F>(core::f64::consts::PI) * c / s
        }
    }
}

/// The trigamma function ψ₁(x) = ψ′(x) = Σₖ 1/(x + k)², positive
/// everywhere it is defined.
///
/// `+∞` at 0 and the negative integers; see the [module docs](self).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::trigamma;
///
/// let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
/// assert!((trigamma(1.0_f64) - pi2_6).abs() < 1e-15);
/// assert!((trigamma(0.5_f64) - 3.0 * pi2_6).abs() < 1e-14); // π²/2
/// // reflection: ψ₁(1 − x) + ψ₁(x) = π² / sin²(πx)
/// let x = -1.5_f64;
/// assert!((trigamma(1.0 - x) + trigamma(x) - std::f64::consts::PI.powi(2)).abs() < 1e-13);
/// assert_eq!(trigamma(-3.0_f64), f64::INFINITY);
/// ```
pub fn trigamma<F: Float>(x: F) -> F {
    match domain(x, F::infinity(), false, F::infinity(), F::zero()) {
        Domain::Done(v) => v,
        Domain::Positive => trigamma_pos(x),
        Domain::Negative => {
            // ψ₁(x) = π² / sin²(πx) − ψ₁(1 − x)
            let (s, _) = sin_cos_pi_reduced(x);
            let pi: F = k(core::f64::consts::PI);
            let q = pi / s;
            q * q - trigamma_pos(F::one() - x)
        }
    }
}

/// The tetragamma function ψ₂(x) = ψ″(x) = −2 Σₖ 1/(x + k)³.
///
/// NaN at the negative integers, `∓∞` at `±0`; see the [module docs](self).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::tetragamma;
///
/// // ψ₂(1) = −2 ζ(3)
/// let zeta3 = 1.2020569031595942_f64;
/// assert!((tetragamma(1.0_f64) + 2.0 * zeta3).abs() < 1e-14);
/// assert!(tetragamma(-1.0_f64).is_nan());
/// ```
pub fn tetragamma<F: Float>(x: F) -> F {
    match domain(x, F::neg_infinity(), true, F::nan(), -F::zero()) {
        Domain::Done(v) => v,
        Domain::Positive => tetragamma_pos(x),
        Domain::Negative => {
            // ψ₂(x) = ψ₂(1 − x) − 2π³ cos(πx) / sin³(πx)
            let (s, c) = sin_cos_pi_reduced(x);
            let pi: F = k(core::f64::consts::PI);
            let two = F::one() + F::one();
            let q = pi / s;
            tetragamma_pos(F::one() - x) - two * q * q * q * c
        }
    }
}

// ---------------------------------------------------------------------------
// libm values
// ---------------------------------------------------------------------------

/// `ln|Γ(x)|` (libm's `lgamma`): finite for large `x` where `Γ` overflows.
/// `+∞` at the poles (0 and the negative integers).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::lgamma;
///
/// assert!((lgamma(0.5_f64) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-15);
/// assert!(lgamma(1e6_f64) > 1.2e7);
/// assert!((lgamma(-0.5_f64) - (2.0 * std::f64::consts::PI.sqrt()).ln()).abs() < 1e-14);
/// ```
pub fn lgamma<F: SpecialFloat>(x: F) -> F {
    x.lgamma()
}

/// `Γ(x)` (libm's `tgamma`).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::tgamma;
///
/// assert_eq!(tgamma(5.0_f64), 24.0);
/// assert!((tgamma(0.5_f32) - std::f32::consts::PI.sqrt()).abs() < 1e-6);
/// assert!((tgamma(-0.5_f64) + 2.0 * std::f64::consts::PI.sqrt()).abs() < 1e-14);
/// ```
pub fn tgamma<F: SpecialFloat>(x: F) -> F {
    x.tgamma()
}

/// The error function (libm's `erf`).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::erf;
///
/// assert!((erf(1.0_f64) - 0.8427007929497149).abs() < 1e-16);
/// assert_eq!(erf(-0.0_f64), 0.0);
/// ```
pub fn erf<F: SpecialFloat>(x: F) -> F {
    x.erf()
}

/// The complementary error function `1 − erf(x)` (libm's `erfc`), without
/// the cancellation of `1 − erf(x)` for large `x`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::erfc;
///
/// assert!((erfc(5.0_f64) / 1.5374597944280349e-12 - 1.0).abs() < 1e-14);
/// assert!((erfc(0.0_f32) - 1.0).abs() < 1e-7);
/// ```
pub fn erfc<F: SpecialFloat>(x: F) -> F {
    x.erfc()
}

// ---------------------------------------------------------------------------
// Derivatives
// ---------------------------------------------------------------------------

/// d/dx lgamma(x) = ψ(x) (for negative `x` too: d/dx ln|Γ| = Γ′/Γ).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{lgamma_d1, digamma};
/// assert_eq!(lgamma_d1(2.5_f64), digamma(2.5));
/// ```
pub fn lgamma_d1<F: Float>(x: F) -> F {
    digamma(x)
}

/// d²/dx² lgamma(x) = ψ₁(x).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{lgamma_d2, trigamma};
/// assert_eq!(lgamma_d2(-0.5_f32), trigamma(-0.5));
/// ```
pub fn lgamma_d2<F: Float>(x: F) -> F {
    trigamma(x)
}

/// d/dx Γ(x) = Γ(x) ψ(x).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::tgamma_d1;
/// // Γ′(1) = −γ
/// assert!((tgamma_d1(1.0_f64) + 0.5772156649015329).abs() < 1e-15);
/// ```
pub fn tgamma_d1<F: SpecialFloat>(x: F) -> F {
    x.tgamma() * digamma(x)
}

/// d²/dx² Γ(x) = Γ(x) (ψ(x)² + ψ₁(x)).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::tgamma_d2;
/// // Γ″(1) = γ² + π²/6
/// let g = 0.5772156649015329_f64;
/// assert!((tgamma_d2(1.0_f64) - (g * g + std::f64::consts::PI.powi(2) / 6.0)).abs() < 1e-14);
/// ```
pub fn tgamma_d2<F: SpecialFloat>(x: F) -> F {
    let p = digamma(x);
    x.tgamma() * (p * p + trigamma(x))
}

/// d/dx ψ(x) = ψ₁(x).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{digamma_d1, trigamma};
/// assert_eq!(digamma_d1(7.0_f64), trigamma(7.0));
/// ```
pub fn digamma_d1<F: Float>(x: F) -> F {
    trigamma(x)
}

/// d²/dx² ψ(x) = ψ₂(x).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{digamma_d2, tetragamma};
/// assert_eq!(digamma_d2(7.0_f64), tetragamma(7.0));
/// ```
pub fn digamma_d2<F: Float>(x: F) -> F {
    tetragamma(x)
}

/// d/dx ψ₁(x) = ψ₂(x).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{trigamma_d1, tetragamma};
/// assert_eq!(trigamma_d1(0.3_f64), tetragamma(0.3));
/// ```
pub fn trigamma_d1<F: Float>(x: F) -> F {
    tetragamma(x)
}

/// d/dx erf(x) = 2/√π e^(−x²).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::erf_d1;
/// assert!((erf_d1(1.0_f64) - 2.0 / std::f64::consts::PI.sqrt() / std::f64::consts::E).abs() < 1e-16);
/// ```
pub fn erf_d1<F: Float>(x: F) -> F {
    k::<F>(core::f64::consts::FRAC_2_SQRT_PI) * (-(x * x)).exp()
}

/// d²/dx² erf(x) = −2x · 2/√π e^(−x²).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{erf_d1, erf_d2};
/// assert_eq!(erf_d2(0.5_f64), -2.0 * 0.5 * erf_d1(0.5));
/// ```
pub fn erf_d2<F: Float>(x: F) -> F {
    -(x + x) * erf_d1(x)
}

/// d/dx erfc(x) = −2/√π e^(−x²).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{erf_d1, erfc_d1};
/// assert_eq!(erfc_d1(0.5_f64), -erf_d1(0.5));
/// ```
pub fn erfc_d1<F: Float>(x: F) -> F {
    -erf_d1(x)
}

/// d²/dx² erfc(x) = 2x · 2/√π e^(−x²).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::special::{erf_d2, erfc_d2};
/// assert_eq!(erfc_d2(0.5_f64), -erf_d2(0.5));
/// ```
pub fn erfc_d2<F: Float>(x: F) -> F {
    (x + x) * erf_d1(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chebyshev_join_is_continuous() {
        // the three branches of ψ for x > 0 meet smoothly
        for x in [1.0_f64, 2.0] {
            let below = digamma_pos(x - 1e-12);
            let above = digamma_pos(x + 1e-12);
            assert!((below - above).abs() < 1e-11, "{x}: {below} {above}");
        }
        // the branch for x < 1 at its end agrees with the [1, 2] branch
        let a = digamma_1_2(1.0_f64);
        let b = digamma_pos(1.0 - 1e-15);
        assert!((a - b).abs() < 1e-13, "{a} {b}");
    }

    #[test]
    fn psi_zero_split() {
        // x₀ = HI + LO to ~1e-32, so ψ(HI) ≈ −ψ₁(x₀) LO is found to full
        // relative accuracy (reference from mpmath at 50 digits)
        let v = digamma(PSI_ZERO_HI);
        assert!((v / -9.241265521729427e-17 - 1.0).abs() < 1e-14, "{v}");
        let v32 = digamma(PSI_ZERO_HI as f32);
        assert!(v32.abs() < 1e-7, "{v32}");
    }
}
