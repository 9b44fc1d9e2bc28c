//! glam's types in differentiable code (feature `glam`).
//!
//! `Vec2`, `Vec3`, `Vec3A`, `Vec4`, `Mat2`, `Mat3`, `Mat4`, `Quat` and
//! their `f64` twins (`DVec2`, `DVec3`, `DVec4`, `DMat2`, `DMat3`,
//! `DMat4`, `DQuat`) are parameters, locals and results of
//! `#[differentiable]` functions; a tangent or adjoint has the value's own
//! type.
//!
//! | what | with derivatives |
//! |---|---|
//! | operators | vectors: `+`, `-`, unary `-`, `*` and `/` by a scalar, `*` componentwise; matrices: `+`, `-`, unary `-`, `*` by a scalar, matrix times vector, matrix times matrix; `Quat * Vec3`; and `+=`, `-=`, `*=`, `/=` |
//! | methods | `dot`, `cross`, `length`, `length_squared`, `normalize`, `distance`, `distance_squared`, `element_sum`; matrices: `transpose`, `mul_vec2`, `mul_vec3`, `mul_vec4` |
//! | constructors | `new` and `splat` of every vector type, `Mat2::from_angle`, `Mat3::from_angle`, `Mat3::from_rotation_x/y/z`, `Quat::from_rotation_x/y/z` and their `f64` twins (with `use leibniz::prelude::*`); write `DVec3::new(x, y, z)` rather than the free function `dvec3(x, y, z)`, which has no rule |
//! | components | `v.x`, `v.y`, `v.z`, `v.w`, `v[i]` |
//!
//! Every rule has second derivatives (`_hvp`, `_hessian`).
//!
//! ```
//! use glam::DVec3;
//! use leibniz::prelude::*;
//!
//! /// Distance along a ray to a sphere (the nearer hit).
//! #[differentiable]
//! fn hit(origin: DVec3, dir: DVec3, center: DVec3, radius: f64) -> f64 {
//!     let oc = origin - center;
//!     let b = oc.dot(dir);
//!     let c = oc.length_squared() - radius * radius;
//!     -b - (b * b - c).sqrt()
//! }
//!
//! let (o, d, c) = (DVec3::new(0.0, 0.0, -5.0), DVec3::new(0.0, 0.1, 1.0).normalize(), DVec3::ZERO);
//! let (t, (_, _, gc, gr)) = hit_grad(o, d, c, 1.0);
//! assert_eq!(t, hit(o, d, c, 1.0));
//! // Moving the sphere along the ray moves the hit by as much.
//! assert!((gc.dot(d) - 1.0).abs() < 1e-12);
//! let h = 1e-6;
//! let fd = (hit(o, d, c, 1.0 + h) - hit(o, d, c, 1.0 - h)) / (2.0 * h);
//! assert!((gr - fd).abs() < 1e-6);
//! ```

/// The constructors' rules, as traits (`use leibniz::prelude::*` imports
/// them anonymously).
pub use leibniz_runtime::interop::glam::{
    DMat2FromAngle, DMat3FromAngle, DMat3FromRotationX, DMat3FromRotationY, DMat3FromRotationZ, DQuatFromRotationX, DQuatFromRotationY, DQuatFromRotationZ, DVec2New, DVec2Splat, DVec3New, DVec3Splat, DVec4New, DVec4Splat, Mat2FromAngle,
    Mat3FromAngle, Mat3FromRotationX, Mat3FromRotationY, Mat3FromRotationZ, QuatFromRotationX, QuatFromRotationY, QuatFromRotationZ, Vec2New, Vec2Splat, Vec3ANew, Vec3ASplat, Vec3New, Vec3Splat, Vec4New, Vec4Splat,
};

#[doc(hidden)]
pub mod traits {
    pub use leibniz_runtime::interop::glam::{
        DMat2FromAngle as _, DMat3FromAngle as _, DMat3FromRotationX as _, DMat3FromRotationY as _, DMat3FromRotationZ as _, DQuatFromRotationX as _, DQuatFromRotationY as _, DQuatFromRotationZ as _, DVec2New as _, DVec2Splat as _,
        DVec3New as _, DVec3Splat as _, DVec4New as _, DVec4Splat as _, Mat2FromAngle as _, Mat3FromAngle as _, Mat3FromRotationX as _, Mat3FromRotationY as _, Mat3FromRotationZ as _, QuatFromRotationX as _, QuatFromRotationY as _,
        QuatFromRotationZ as _, Vec2New as _, Vec2Splat as _, Vec3ANew as _, Vec3ASplat as _, Vec3New as _, Vec3Splat as _, Vec4New as _, Vec4Splat as _,
    };
}
