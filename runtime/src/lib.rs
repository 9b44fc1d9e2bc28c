//! Run-time support of [leibniz](https://docs.rs/leibniz): what generated
//! derivative code calls, and what users call to check derivatives.
//!
//! * [`Tape`]: the value `f_record` returns; hold it to pull back several
//!   cotangents without rerunning the primal.
//! * [`check`]: central finite-difference gradient checks and the JVP/VJP
//!   dot-product test, for users' own functions.
//!
//! Everything under [`__private`] is for generated code only and may change
//! without notice.

pub mod check;
pub mod drivers;
#[cfg(feature = "special")]
pub mod special;
mod tape;

pub use num_traits::Float;
pub use tape::Tape;

#[doc(hidden)]
pub mod __private;
