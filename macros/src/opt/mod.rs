//! Optimisations: before differentiating (loop-invariant code motion,
//! common subexpressions) and of the sweeps of reverse mode (fusion).

pub mod bounds;
pub mod carry;
pub mod checkpoint;
pub mod cse;
pub mod fastmath;
pub mod fuse;
pub mod licm;
pub mod recompute;
pub mod reload;
pub mod snapshot;
