//! ndarray's arrays in differentiable code (feature `ndarray`).
//!
//! One-dimensional arrays carry derivatives like `Vec<F>`, with tangents,
//! shadows and adjoints that are arrays of the same shape:
//!
//! | parameter | role | tangent (`_jvp`) | adjoint (`_vjp`) |
//! |---|---|---|---|
//! | `&Array1<F>` | active input | `&Array1<F>` after it | shadow `&mut Array1<F>` after it, `+=` |
//! | `&mut Array1<F>` | active in/out | `&mut Array1<F>`: tangent in, tangent out | shadow `&mut Array1<F>`: cotangent in, adjoint out |
//! | `Array1<F>` by value | active value | `Array1<F>` | adjoint `Array1<F>` returned |
//!
//! Elements are read and written as `x[i]`; `x.len()` is the length. The
//! gradient of an `&Array1<F>` parameter in `_grad` is an `Array1<F>`.
//! Views (`ArrayView1`, `ArrayViewMut1`) are not differentiated: an active
//! view is a compile error saying to take `&Array1<F>` or a slice; a
//! `#[no_grad]` view is fine. Arrays of other dimensions (`Array2<F>`, ..)
//! implement [`Differentiable`](crate::Differentiable) too, and are
//! constants when marked `#[no_grad]`.
//!
//! ```
//! use leibniz::prelude::*;
//! use ndarray::{Array1, ArrayView1};
//!
//! #[differentiable]
//! fn energy(x: &Array1<f64>, k: f64, #[no_grad] w: ArrayView1<f64>) -> f64 {
//!     let mut e = 0.0;
//!     for i in 0..x.len() - 1 {
//!         let d = x[i + 1] - x[i];
//!         e += w[i] * k * d * d;
//!     }
//!     e
//! }
//!
//! let x = Array1::from(vec![0.0, 1.0, 3.0]);
//! let w = Array1::from(vec![1.0, 0.5]);
//! let (e, (gx, gk)) = energy_grad(&x, 2.0, w.view());
//! assert_eq!(e, 2.0 + 4.0);
//! assert_eq!(gx, Array1::from(vec![-4.0, 0.0, 4.0])); // an Array1, like x
//! assert_eq!(gk, 3.0);
//! ```
