//! The AD transforms: forward mode (JVP) and reverse mode (unzip + transpose).

pub mod jvp;
pub mod vjp;
