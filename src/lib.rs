#![doc = include_str!("../README.md")]

pub use leibniz_macros::differentiable;
pub use leibniz_runtime::{Float, Tape, check};

#[doc(hidden)]
pub use leibniz_runtime::__private;

/// `use leibniz::prelude::*;` brings the attribute, the `Float` trait for
/// generic code, and the derivative checkers into scope.
pub mod prelude {
    pub use leibniz_macros::differentiable;
    pub use leibniz_runtime::Float;
    pub use leibniz_runtime::Tape;
    pub use leibniz_runtime::check;
}
