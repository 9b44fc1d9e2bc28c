#![doc = include_str!("../README.md")]

// The code the macros emit names `::leibniz::..`, also inside this crate.
extern crate self as leibniz;

#[cfg(feature = "special")]
pub mod special;

pub use leibniz_macros::{Differentiable, differentiable, jvp_rule, vjp_rule};
pub use leibniz_runtime::{Differentiable, Float, Tape, TapeBuf, TapeRead, TapeValue, check, drivers};

#[doc(hidden)]
pub use leibniz_runtime::__private;

/// `use leibniz::prelude::*;` brings the attribute, the derive, the traits
/// generic code needs, and the derivative checkers into scope.
pub mod prelude {
    pub use leibniz_macros::{Differentiable, differentiable, jvp_rule, vjp_rule};
    pub use leibniz_runtime::{Differentiable, Float, Tape, check};
    /// The float methods (`x.sin()`, ..) on float literals and variables of
    /// not yet known type.
    pub use leibniz_runtime::__private::Float as _;
}
