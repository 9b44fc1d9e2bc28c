//! Run-time support of [leibniz](https://docs.rs/leibniz): what generated
//! derivative code calls, and what users call to check derivatives.
//!
//! * [`Tape`]: the value `f_record` returns; hold it to pull back several
//!   cotangents without rerunning the primal.
//! * [`check`]: central finite-difference gradient checks and the JVP/VJP
//!   dot-product test, for users' own functions.
//! * [`Differentiable`]: the types derivatives flow through; [`Float`]: the
//!   float types of generic differentiable code.
//! * [`drivers`]: dense Jacobians and Hessians from JVPs, VJPs and HVPs.
//!
//! Everything under [`__private`] is for generated code only and may change
//! without notice.

pub mod check;
mod diff;
pub mod drivers;
mod float;
#[cfg(any(feature = "nalgebra", feature = "glam", feature = "ndarray"))]
pub mod interop;
#[cfg(feature = "special")]
pub mod special;
mod tape;

pub use diff::Differentiable;
pub use float::Float;
pub use tape::{Tape, TapeBuf, TapeRead, TapeValue};

#[doc(hidden)]
pub mod __private;
