//! [`Float`]: the float types generic differentiable code is written over.

use crate::diff::Differentiable;
use crate::tape::TapeValue;

/// The float types of differentiable code: `f32` and `f64`.
///
/// It is `num_traits::Float` (every float method of std) plus what the
/// generated derivative code needs (storing values on a tape, zero tangents).
/// Write generic differentiable functions over it:
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::Float;
///
/// fn softplus<T: Float>(x: T) -> T {
///     (T::one() + x.exp()).ln()
/// }
/// assert!((softplus(0.0_f64) - 2.0_f64.ln()).abs() < 1e-15);
/// assert!((softplus(0.0_f32) - 2.0_f32.ln()).abs() < 1e-6);
/// ```
pub trait Float: num_traits::Float + Differentiable + TapeValue + Default + core::fmt::Debug + core::fmt::Display + Send + Sync + 'static + sealed::Sealed {
    /// The value as an `f64`.
    fn to_f64_lossless(self) -> f64;
    /// An `f64` in this type (rounded for `f32`).
    fn from_f64_lossy(x: f64) -> Self;
    /// `f32` or `f64`, for messages.
    const NAME: &'static str;
}

impl Float for f64 {
    #[inline(always)]
    fn to_f64_lossless(self) -> f64 {
        self
    }
    #[inline(always)]
    fn from_f64_lossy(x: f64) -> Self {
        x
    }
    const NAME: &'static str = "f64";
}

impl Float for f32 {
    #[inline(always)]
    fn to_f64_lossless(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn from_f64_lossy(x: f64) -> Self {
        x as f32
    }
    const NAME: &'static str = "f32";
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}
