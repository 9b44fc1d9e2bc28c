//! The front end: attribute options, the signature, `#[cfg]` splitting.

pub mod attr;
pub mod cfg;
pub mod sig;
