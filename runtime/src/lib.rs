//! Run-time support of [leibniz-ad](https://docs.rs/leibniz-ad): what the
//! code `#[differentiable]` emits calls, and what users call around it.
//!
//! Use it through `leibniz-ad` (import path `leibniz`), which re-exports
//! all of it: `leibniz::check`, `leibniz::Tape`, `leibniz::drivers`, ..;
//! the examples here are written that way. Depend on this crate directly
//! only to use the checkers without the macros (its library is
//! `leibniz_runtime`).
//!
//! * [`Tape`]: the value `f_record` returns; hold it to pull back several
//!   cotangents without rerunning the primal.
//! * [`check`]: central finite-difference checks of gradients, Jacobians,
//!   Hessians and custom rules, and the JVP/VJP dot-product test, for any
//!   derivative (differentiated by leibniz or by hand).
//! * [`Differentiable`]: the types derivatives flow through; [`Float`]: the
//!   float types of generic differentiable code.
//! * [`drivers`]: dense Jacobians and Hessians from JVPs, VJPs and HVPs.
//! * `special` (feature `special`): special functions and their
//!   derivatives.
//! * [`TapeBuf`], [`TapeRead`], [`TapeValue`]: the storage the emitted code
//!   records into.
//!
//! Everything under `__private` is for generated code only and may change
//! without notice.

#![warn(missing_docs)]

pub mod check;
pub mod checkpoint;
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
