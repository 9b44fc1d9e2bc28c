#![doc = include_str!("../README.md")]

pub use leibniz_macros::{Differentiable, differentiable};
pub use leibniz_runtime::{Differentiable, Float, Tape, TapeBuf, TapeRead, TapeValue, check, drivers};

#[doc(hidden)]
pub use leibniz_runtime::__private;

/// `use leibniz::prelude::*;` brings the attribute, the derive, the traits
/// generic code needs, and the derivative checkers into scope.
pub mod prelude {
    pub use leibniz_macros::{Differentiable, differentiable};
    pub use leibniz_runtime::{Differentiable, Float, Tape, check};
    /// The float methods (`x.sin()`, ..) on float literals and variables of
    /// not yet known type.
    pub use leibniz_runtime::__private::Float as _;
}
