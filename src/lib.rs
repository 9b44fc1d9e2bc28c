#![doc = include_str!("../README.md")]

// The code the macros emit names `::leibniz::..`, also inside this crate.
extern crate self as leibniz;

#[cfg(feature = "special")]
pub mod special;

#[cfg(any(feature = "nalgebra", feature = "glam", feature = "ndarray", feature = "argmin"))]
pub mod interop;

pub use leibniz_macros::{Differentiable, diff_fn, differentiable, jvp_rule, vjp_rule};
pub use leibniz_runtime::{Differentiable, Float, Tape, TapeBuf, TapeRead, TapeValue, check, drivers};

#[doc(hidden)]
pub use leibniz_runtime::__private;

/// Data-parallel kernels written per element, differentiated, and run on a
/// GPU or their CPU twin.
///
/// ```
/// use leibniz::kernel;
///
/// /// y[i] = a·x[i]² + y[i]
/// #[kernel]
/// fn axpy2(i: usize, x: &[f64], a: f64, y: &mut [f64]) {
///     y[i] += a * x[i] * x[i];
/// }
///
/// let x = [1.0, 2.0, 3.0];
/// let mut y = [1.0, 1.0, 1.0];
/// axpy2(&x, 2.0, &mut y);                      // GPU if usable, else the CPU twin
/// assert_eq!(y, [3.0, 9.0, 19.0]);
///
/// // reverse mode: ybar in, x_bar += ∂/∂x, a's adjoint returned
/// let (mut x_bar, mut y_bar) = ([0.0; 3], [1.0; 3]);
/// let a_bar = axpy2_vjp(&x, &mut x_bar, 2.0, &mut y, &mut y_bar);
/// assert_eq!(x_bar, [4.0, 8.0, 12.0]);         // 2·a·x[i]
/// assert_eq!(a_bar, 14.0);                     // Σ x[i]²
/// assert!(AXPY2_CUDA.contains("axpy2_adjoint"));   // the CUDA text
/// ```
///
/// What it emits, the parameters it accepts and how callees get device
/// versions: README section "GPU kernels (`#[kernel]`)".
pub use leibniz_macros::kernel;

/// The GPU runtime of `#[kernel]` (package `leibniz-ad-gpu`): backend
/// selection with a CPU fallback, device buffers, NVRTC compilation and
/// launches. The CUDA path needs the feature `cuda` of `leibniz-ad`;
/// without it [`gpu::Backend::detect`] always picks the CPU twin and
/// nothing CUDA is built.
pub use leibniz_gpu as gpu;

/// `use leibniz::prelude::*;` brings the attribute, the derive, the traits
/// generic code needs, and the derivative checkers into scope.
pub mod prelude {
    pub use leibniz_macros::{Differentiable, differentiable, jvp_rule, vjp_rule};
    pub use leibniz_macros::kernel;
    pub use leibniz_runtime::{Differentiable, Float, Tape, check};
    /// The float methods (`x.sin()`, ..) on float literals and variables of
    /// not yet known type.
    pub use leibniz_runtime::__private::Float as _;
    #[cfg(feature = "nalgebra")]
    #[doc(no_inline)]
    pub use crate::interop::nalgebra::traits::*;
    #[cfg(feature = "glam")]
    #[doc(no_inline)]
    pub use crate::interop::glam::traits::*;
}
