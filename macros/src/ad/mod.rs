//! The AD transforms: forward mode (JVP), reverse mode (unzip +
//! transpose), and second order (JVP of both sweeps of reverse mode).

pub mod hvp;
pub mod jvp;
pub mod lanes;
pub mod rule;
pub mod vjp;
