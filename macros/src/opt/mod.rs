//! Optimisations before differentiating.

pub mod licm;
