//! nalgebra's types in differentiable code (feature `nalgebra`).
//!
//! Statically sized matrices and vectors (`Vector2<T>`, `Vector3<T>`,
//! `Matrix3<T>`, any `SMatrix<T, R, C>`), `DVector<T>`, `DMatrix<T>`,
//! `RowDVector<T>`, `Point<T, D>`, `Rotation<T, D>`, `Quaternion<T>`,
//! `Unit<..>` of these (`UnitQuaternion<T>`, `Unit<Vector3<T>>`), with
//! `T` = `f32` or `f64`, are parameters, locals and results of
//! `#[differentiable]` functions; a tangent or adjoint has the value's own
//! type (that of a rotation is the tangent of its matrix, stored in a
//! `Rotation`).
//!
//! | what | with derivatives |
//! |---|---|
//! | operators | `+`, `-`, unary `-`, `*` and `/` by a scalar, matrix products (static shapes; `DMatrix` by `DMatrix` or `DVector`), `Point ± Vector`, `Point - Point`, `Rotation * Vector / Point / Matrix / Rotation`, `UnitQuaternion * Vector3`, and `+=`, `-=`, `*=`, `/=` |
//! | methods | `dot`, `cross`, `norm`, `norm_squared`, `magnitude`, `magnitude_squared`, `normalize`, `transpose`, `sum`, `component_mul`, `metric_distance`; rotations: `transform_vector`, `transform_point`, `inverse`, `transpose`, `angle` (2-D) |
//! | constructors | `Vector1..6::new`, `Point2::new`, `Point3::new`, `Point::from(v)`, `Matrix2::new`, `Matrix3::new`, `Unit::new_normalize`, `Unit::new_unchecked`, `Rotation2::new`, `Rotation3::from_axis_angle`, `Rotation3::from_euler_angles`, `UnitQuaternion::from_euler_angles` (with `use leibniz::prelude::*`) |
//! | components | `v.x`, `v.y`, `v.z`, `v.w`, `v[i]`, `m[(i, j)]`, `p.coords` |
//!
//! Every rule has second derivatives (`_hvp`, `_hessian`). Calls whose
//! arguments carry no derivatives (`Vector3::zeros()`, `Vector2::new(1.0,
//! 0.0)`) are plain calls. A method or function of nalgebra outside this
//! list, called with an argument that carries derivatives, is a compile
//! error naming it; give it a rule with `#[leibniz::jvp_rule(method =
//! name)]`.
//!
//! ```
//! use leibniz::prelude::*;
//! use nalgebra::{Rotation2, Vector2};
//!
//! /// Squared distance from the tip of a planar arm to a target.
//! #[differentiable]
//! fn miss(angles: &[f64], #[no_grad] lengths: &[f64], #[no_grad] target: &Vector2<f64>) -> f64 {
//!     let mut tip = Vector2::zeros();
//!     let mut theta = 0.0;
//!     for i in 0..angles.len() {
//!         theta += angles[i];
//!         tip += Rotation2::new(theta) * Vector2::new(lengths[i], 0.0);
//!     }
//!     (tip - target).norm_squared()
//! }
//!
//! let (d, g) = miss_grad(&[0.3, 0.5], &[1.0, 0.8], &Vector2::new(1.2, 0.9));
//! leibniz::check::assert_gradient(|a: &[f64]| miss(a, &[1.0, 0.8], &Vector2::new(1.2, 0.9)), &g, &[0.3, 0.5]);
//! # let _ = d;
//! ```

pub use leibniz_runtime::interop::nalgebra::{HMat, NaReal, SMat};

/// The constructors' rules, as traits (`use leibniz::prelude::*` imports
/// them anonymously).
pub use leibniz_runtime::interop::nalgebra::{
    Matrix2New, Matrix3New, Point2New, Point3New, PointFrom, Rotation2New, Rotation3FromAxisAngle, Rotation3FromEuler, UnitNewNormalize, UnitNewUnchecked, UnitQuaternionFromEuler, Vector1New, Vector2New, Vector3New, Vector4New, Vector5New,
    Vector6New,
};

#[doc(hidden)]
pub mod traits {
    pub use leibniz_runtime::interop::nalgebra::{
        Matrix2New as _, Matrix3New as _, Point2New as _, Point3New as _, Rotation2New as _, Rotation3FromAxisAngle as _, Rotation3FromEuler as _, UnitQuaternionFromEuler as _, Vector1New as _, Vector2New as _, Vector3New as _,
        Vector4New as _, Vector5New as _, Vector6New as _, PointFrom as _, UnitNewNormalize as _, UnitNewUnchecked as _,
    };
}
