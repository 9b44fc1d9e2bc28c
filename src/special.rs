//! Special functions with derivative rules (feature `special`).
//!
//! The functions are [`leibniz_runtime::special`]'s (values from
//! [libm](https://docs.rs/libm), polygamma functions computed by leibniz),
//! re-exported here, and this module registers a derivative rule for each
//! name, so a `#[differentiable]` body may call any function of that name:
//! `leibniz::special::lgamma(x)`, `libm::lgamma(x)`, `libm::lgammaf(x)`, or
//! statrs' `ln_gamma` / `gamma` / `digamma` / `erf` / `erfc`:
//!
//! | names | derivative | second derivative |
//! |---|---|---|
//! | `lgamma`, `lgammaf`, `ln_gamma` | ψ | yes |
//! | `tgamma`, `tgammaf`, `gamma` | Γ ψ | yes |
//! | `digamma` | ψ₁ | yes |
//! | `trigamma` | ψ₂ | no |
//! | `erf`, `erff` | 2/√π e^(−x²) | yes |
//! | `erfc`, `erfcf` | −2/√π e^(−x²) | yes |
//!
//! Rules are found by the name of the function called (see the crate docs,
//! "Custom derivative rules"), for the argument types shown: the generic
//! rules take `f32` or `f64`, `lgammaf`, `tgammaf`, `erff` and `erfcf` take
//! `f32`, `ln_gamma` and `gamma` take `f64`. Near poles the derivatives follow
//! the functions' limits (±∞, NaN at the poles themselves).
//!
//! ```
//! use leibniz::prelude::*;
//!
//! /// Negative log-likelihood of a Gamma(shape k, scale θ) sample.
//! #[differentiable]
//! fn gamma_nll(k: f64, theta: f64, #[no_grad] xs: &[f64]) -> f64 {
//!     let mut s = 0.0;
//!     for i in 0..xs.len() {
//!         s += leibniz::special::lgamma(k) + k * theta.ln() - (k - 1.0) * xs[i].ln() + xs[i] / theta;
//!     }
//!     s
//! }
//!
//! let xs = [1.2, 0.7, 3.1];
//! let (_, (dk, _dtheta)) = gamma_nll_grad(2.0, 1.5, &xs);
//! let want = 3.0 * (leibniz::special::digamma(2.0) + 1.5_f64.ln()) - xs.iter().map(|x| x.ln()).sum::<f64>();
//! assert!((dk - want).abs() < 1e-12);
//! ```

pub use leibniz_runtime::special::*;

use crate as leibniz;
use leibniz_runtime::special as sp;

const FRAC_2_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// `d lgamma = ψ dx`.
#[leibniz::jvp_rule(lgamma, order = 2)]
pub fn lgamma_jvp<T: leibniz::Float + SpecialFloat>(x: T, dx: T) -> (T, T) {
    (sp::lgamma(x), sp::digamma(x) * dx)
}

/// `d Γ = Γ ψ dx`.
#[leibniz::jvp_rule(tgamma, order = 2)]
pub fn tgamma_jvp<T: leibniz::Float + SpecialFloat>(x: T, dx: T) -> (T, T) {
    let g = sp::tgamma(x);
    (g, g * sp::digamma(x) * dx)
}

/// `d ψ = ψ₁ dx`.
#[leibniz::jvp_rule(digamma, order = 2)]
pub fn digamma_jvp<T: leibniz::Float>(x: T, dx: T) -> (T, T) {
    (sp::digamma(x), sp::trigamma(x) * dx)
}

/// `d ψ₁ = ψ₂ dx` (first order: ψ₂ has no rule).
#[leibniz::jvp_rule(trigamma)]
pub fn trigamma_jvp<T: leibniz::Float>(x: T, dx: T) -> (T, T) {
    (sp::trigamma(x), sp::tetragamma(x) * dx)
}

/// `d erf = 2/√π e^(−x²) dx`.
#[leibniz::jvp_rule(erf, order = 2)]
pub fn erf_jvp<T: leibniz::Float + SpecialFloat>(x: T, dx: T) -> (T, T) {
    let c: T = leibniz::__private::lit(FRAC_2_SQRT_PI);
    (sp::erf(x), c * (-(x * x)).exp() * dx)
}

/// `d erfc = −2/√π e^(−x²) dx`.
#[leibniz::jvp_rule(erfc, order = 2)]
pub fn erfc_jvp<T: leibniz::Float + SpecialFloat>(x: T, dx: T) -> (T, T) {
    let c: T = leibniz::__private::lit(FRAC_2_SQRT_PI);
    (sp::erfc(x), -(c * (-(x * x)).exp()) * dx)
}

/// The rules for libm's `f32` names (`lgammaf`, `tgammaf`, `erff`,
/// `erfcf`) and statrs' names (`ln_gamma`, `gamma`). They are found by
/// name: call `libm::lgammaf(x)` or `statrs::function::gamma::ln_gamma(x)`
/// in a `#[differentiable]` body; these functions are the rules, not
/// something to call.
pub mod aliases {
    use super::{FRAC_2_SQRT_PI, sp};
    use crate as leibniz;

    /// `d lgammaf = ψ dx` (libm's `f32` name).
    #[leibniz::jvp_rule(lgammaf, order = 2)]
    pub fn lgammaf_jvp(x: f32, dx: f32) -> (f32, f32) {
        (sp::lgamma(x), sp::digamma(x) * dx)
    }

    /// `d tgammaf = Γ ψ dx` (libm's `f32` name).
    #[leibniz::jvp_rule(tgammaf, order = 2)]
    pub fn tgammaf_jvp(x: f32, dx: f32) -> (f32, f32) {
        let g = sp::tgamma(x);
        (g, g * sp::digamma(x) * dx)
    }

    /// `d erff = 2/√π e^(−x²) dx` (libm's `f32` name).
    #[leibniz::jvp_rule(erff, order = 2)]
    pub fn erff_jvp(x: f32, dx: f32) -> (f32, f32) {
        (sp::erf(x), FRAC_2_SQRT_PI as f32 * (-(x * x)).exp() * dx)
    }

    /// `d erfcf = −2/√π e^(−x²) dx` (libm's `f32` name).
    #[leibniz::jvp_rule(erfcf, order = 2)]
    pub fn erfcf_jvp(x: f32, dx: f32) -> (f32, f32) {
        (sp::erfc(x), -(FRAC_2_SQRT_PI as f32 * (-(x * x)).exp()) * dx)
    }

    /// `d ln_gamma = ψ dx` (statrs' name of `lgamma`, `f64`).
    #[leibniz::jvp_rule(ln_gamma, order = 2)]
    pub fn ln_gamma_jvp(x: f64, dx: f64) -> (f64, f64) {
        (sp::lgamma(x), sp::digamma(x) * dx)
    }

    /// `d gamma = Γ ψ dx` (statrs' name of `tgamma`, `f64`).
    #[leibniz::jvp_rule(gamma, order = 2)]
    pub fn gamma_jvp(x: f64, dx: f64) -> (f64, f64) {
        let g = sp::tgamma(x);
        (g, g * sp::digamma(x) * dx)
    }
}
