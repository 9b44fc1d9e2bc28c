//! Using leibniz with nalgebra, glam, ndarray and argmin (features
//! `nalgebra`, `glam`, `ndarray`, `argmin`; each off by default).
//!
//! ```toml
//! leibniz-ad = { version = "0.1", features = ["nalgebra", "argmin"] }
//! ```
//!
//! * [`nalgebra`](mod@nalgebra) and [`glam`](mod@glam): their vector,
//!   matrix, point, rotation and quaternion types are values that carry
//!   derivatives — parameters, locals and results of `#[differentiable]`
//!   functions, with tangents and adjoints of their own type — and their
//!   operators, the methods numeric code calls (`dot`, `cross`,
//!   `norm`/`length`, `norm_squared`/`length_squared`, `normalize`,
//!   products, rotations) and their constructors (`Vector3::new`,
//!   `Rotation2::new`, `DVec3::new`, `DMat2::from_angle`, ..) have
//!   derivative rules. Components are read and written as the crates
//!   allow (`v.x`, `v[0]`). `use leibniz::prelude::*` brings the
//!   constructors' rules into scope.
//! * [`ndarray`](mod@ndarray): `&Array1<F>`, `&mut Array1<F>`, `Array1<F>`
//!   (and arrays of other dimensions) carry derivatives like `&Vec<F>`.
//! * [`argmin`](mod@argmin): [`argmin::Scalar`] and [`argmin::LeastSquares`]
//!   turn the functions `#[differentiable]` emits into argmin problems
//!   (cost, gradient, Hessian; residuals and Jacobian).
//!
//! Without the feature of a crate, a parameter of one of its types is a
//! compile error at the parameter that names the feature to enable (it is
//! never silently treated as a constant).
//!
//! The versions are those of the features' dependencies: nalgebra 0.34,
//! glam 0.34, ndarray 0.17, argmin 0.11 (argmin-math 0.5); a program must
//! use the same versions for its types to be the ones leibniz knows.

#[cfg(feature = "argmin")]
pub mod argmin;
#[cfg(feature = "glam")]
pub mod glam;
#[cfg(feature = "nalgebra")]
pub mod nalgebra;
#[cfg(feature = "ndarray")]
pub mod ndarray;
