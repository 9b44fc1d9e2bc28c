//! nalgebra (feature `nalgebra`): matrices, vectors, points, rotations and
//! unit vectors as values that carry derivatives.
//!
//! * [`Differentiable`] and [`TapeValue`] for statically sized matrices
//!   (`Vector2<T>`, `Vector3<T>`, `Matrix3<T>`, any `SMatrix<T, R, C>`),
//!   heap-allocated ones (`DVector<T>`, `DMatrix<T>`, any matrix with
//!   `VecStorage`), `Point<T, D>`, `Rotation<T, D>`, `Quaternion<T>` and
//!   `Unit<T>` of those (`Unit<Vector3<T>>`, `UnitQuaternion<T>`). Their
//!   tangents have their own type: the tangent of a rotation is the tangent
//!   of its matrix, stored in a `Rotation`; that of a unit vector is a
//!   plain vector stored in a `Unit`.
//! * Operators: `+`, `-` (also unary), `*` and `/` by a scalar, and matrix
//!   products (static shapes, and `DMatrix` times `DMatrix` or `DVector`);
//!   `Point ± Vector`, `Point - Point`; `Rotation * Vector / Point /
//!   Matrix / Rotation`; `UnitQuaternion * Vector3 / Point3`; and their
//!   `+=`, `-=`, `*=`, `/=` forms.
//! * Methods: `dot`, `cross`, `norm`, `norm_squared`, `magnitude`,
//!   `magnitude_squared`, `normalize`, `transpose`, `sum`, `component_mul`,
//!   `metric_distance`; `Rotation::transform_vector`, `transform_point`,
//!   `inverse`, `transpose`, `Rotation2::angle`; `Point` fields through
//!   `.coords`, components through `.x`, `.y`, `.z`, `.w` and `[i]`.
//! * Constructors called by a type path, once `use leibniz::prelude::*` is
//!   in scope: `Vector1/2/3/4/5/6::new`, `Point2/3::new`,
//!   `Matrix2::new`, `Matrix3::new`, `Rotation2::new`,
//!   `Rotation3::from_axis_angle`, `Rotation3::from_euler_angles`,
//!   `UnitQuaternion::from_euler_angles`, `UnitQuaternion::from_axis_angle`.
//!
//! The scalar type is `f32` or `f64` (`T: leibniz::Float + RealField`).

#![allow(clippy::type_complexity)]

use nalgebra::{ArrayStorage, Const, DefaultAllocator, Dim, Dyn, Matrix, Point, Quaternion, RealField, Rotation, Scalar, Unit, UnitQuaternion, VecStorage, allocator::Allocator};

use crate::__private::ops::{AddRule, DivRule, MulRule, NegRule, SubRule};
use crate::__private::{ShadowOf, TanVal};
use crate::diff::Differentiable;
use crate::tape::{TapeBuf, TapeRead, TapeValue};

/// A statically sized matrix (`Vector3<T>`, `Matrix3<T>`, `SMatrix<T, R, C>`).
pub type SMat<T, const R: usize, const C: usize> = Matrix<T, Const<R>, Const<C>, ArrayStorage<T, R, C>>;
/// A matrix with heap storage (`DVector<T>`, `DMatrix<T>`).
pub type HMat<T, R, C> = Matrix<T, R, C, VecStorage<T, R, C>>;

/// The scalars of nalgebra values leibniz differentiates: `f32`, `f64`.
pub trait NaReal: crate::Float + RealField {}
impl<T: crate::Float + RealField> NaReal for T {}

// ----- Differentiable and TapeValue ------------------------------------------

macro_rules! elementwise_diff {
    () => {
        #[inline]
        fn add_assign_tangent(&mut self, other: &Self) {
            for (a, b) in self.iter_mut().zip(other.iter()) {
                a.add_assign_tangent(b);
            }
        }
        #[inline]
        fn scale_tangent(&mut self, s: f64) {
            for a in self.iter_mut() {
                a.scale_tangent(s);
            }
        }
        #[inline]
        fn dot_tangent(&self, other: &Self) -> f64 {
            self.iter().zip(other.iter()).map(|(a, b)| a.dot_tangent(b)).sum()
        }
        fn flatten_into(&self, out: &mut Vec<f64>) {
            for a in self.iter() {
                a.flatten_into(out);
            }
        }
        fn unflatten_from(&mut self, src: &[f64]) -> usize {
            let mut k = 0;
            for a in self.iter_mut() {
                k += a.unflatten_from(&src[k..]);
            }
            k
        }
    };
}

impl<T: Differentiable + Scalar, const R: usize, const C: usize> Differentiable for SMat<T, R, C> {
    #[inline]
    fn zero_like(&self) -> Self {
        Self::from_fn(|i, j| self[(i, j)].zero_like())
    }
    elementwise_diff!();
    #[inline]
    fn __dummy() -> Self {
        Self::from_fn(|_, _| T::__dummy())
    }
}

impl<T: TapeValue + Scalar, const R: usize, const C: usize> TapeValue for SMat<T, R, C> {
    #[inline]
    fn push_to(&self, t: &mut TapeBuf) {
        for a in self.iter() {
            a.push_to(t);
        }
    }
    #[inline]
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        // Pushed column-major: popped last-first.
        let mut v: Vec<T> = (0..R * C).map(|_| T::pop_from(r)).collect();
        v.reverse();
        Self::from_iterator(v)
    }
}

impl<T: Differentiable + Scalar, R: Dim, C: Dim> Differentiable for HMat<T, R, C> {
    #[inline]
    fn zero_like(&self) -> Self {
        let mut z = self.clone();
        for a in z.iter_mut() {
            *a = a.zero_like();
        }
        z
    }
    elementwise_diff!();
    fn __dummy() -> Self {
        let r = R::try_to_usize().unwrap_or(0);
        let c = C::try_to_usize().unwrap_or(0);
        Matrix::from_data(VecStorage::new(R::from_usize(r), C::from_usize(c), (0..r * c).map(|_| T::__dummy()).collect()))
    }
}

impl<T: TapeValue + Scalar, R: Dim, C: Dim> TapeValue for HMat<T, R, C> {
    fn push_to(&self, t: &mut TapeBuf) {
        for a in self.iter() {
            a.push_to(t);
        }
        t.push_word(self.nrows() as u64);
        t.push_word(self.ncols() as u64);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        let c = r.pop_word() as usize;
        let n = r.pop_word() as usize;
        let mut v: Vec<T> = (0..n * c).map(|_| T::pop_from(r)).collect();
        v.reverse();
        Matrix::from_data(VecStorage::new(R::from_usize(n), C::from_usize(c), v))
    }
}

impl<T: Differentiable + Scalar, const D: usize> Differentiable for Point<T, D> {
    #[inline]
    fn zero_like(&self) -> Self {
        Point::from(self.coords.zero_like())
    }
    #[inline]
    fn add_assign_tangent(&mut self, other: &Self) {
        self.coords.add_assign_tangent(&other.coords);
    }
    #[inline]
    fn scale_tangent(&mut self, s: f64) {
        self.coords.scale_tangent(s);
    }
    #[inline]
    fn dot_tangent(&self, other: &Self) -> f64 {
        self.coords.dot_tangent(&other.coords)
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        self.coords.flatten_into(out);
    }
    fn unflatten_from(&mut self, src: &[f64]) -> usize {
        self.coords.unflatten_from(src)
    }
    fn __dummy() -> Self {
        Point::from(SMat::<T, D, 1>::__dummy())
    }
}

impl<T: TapeValue + Scalar, const D: usize> TapeValue for Point<T, D> {
    fn push_to(&self, t: &mut TapeBuf) {
        self.coords.push_to(t);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        Point::from(SMat::<T, D, 1>::pop_from(r))
    }
}

impl<T: Differentiable + Scalar, const D: usize> Differentiable for Rotation<T, D> {
    #[inline]
    fn zero_like(&self) -> Self {
        Rotation::from_matrix_unchecked(self.matrix().zero_like())
    }
    #[inline]
    fn add_assign_tangent(&mut self, other: &Self) {
        self.matrix_mut_unchecked().add_assign_tangent(other.matrix());
    }
    #[inline]
    fn scale_tangent(&mut self, s: f64) {
        self.matrix_mut_unchecked().scale_tangent(s);
    }
    #[inline]
    fn dot_tangent(&self, other: &Self) -> f64 {
        self.matrix().dot_tangent(other.matrix())
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        self.matrix().flatten_into(out);
    }
    fn unflatten_from(&mut self, src: &[f64]) -> usize {
        self.matrix_mut_unchecked().unflatten_from(src)
    }
    fn __dummy() -> Self {
        Rotation::from_matrix_unchecked(SMat::<T, D, D>::__dummy())
    }
}

impl<T: TapeValue + Scalar, const D: usize> TapeValue for Rotation<T, D> {
    fn push_to(&self, t: &mut TapeBuf) {
        self.matrix().push_to(t);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        Rotation::from_matrix_unchecked(SMat::<T, D, D>::pop_from(r))
    }
}

impl<T: Differentiable + Scalar> Differentiable for Quaternion<T> {
    #[inline]
    fn zero_like(&self) -> Self {
        Quaternion::from(self.coords.zero_like())
    }
    #[inline]
    fn add_assign_tangent(&mut self, other: &Self) {
        self.coords.add_assign_tangent(&other.coords);
    }
    #[inline]
    fn scale_tangent(&mut self, s: f64) {
        self.coords.scale_tangent(s);
    }
    #[inline]
    fn dot_tangent(&self, other: &Self) -> f64 {
        self.coords.dot_tangent(&other.coords)
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        self.coords.flatten_into(out);
    }
    fn unflatten_from(&mut self, src: &[f64]) -> usize {
        self.coords.unflatten_from(src)
    }
    fn __dummy() -> Self {
        Quaternion::from(SMat::<T, 4, 1>::__dummy())
    }
}

impl<T: TapeValue + Scalar> TapeValue for Quaternion<T> {
    fn push_to(&self, t: &mut TapeBuf) {
        self.coords.push_to(t);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        Quaternion::from(SMat::<T, 4, 1>::pop_from(r))
    }
}

/// The tangent of a unit value is a plain value (not of unit norm) stored
/// in a `Unit`.
impl<T: Differentiable> Differentiable for Unit<T> {
    #[inline]
    fn zero_like(&self) -> Self {
        Unit::new_unchecked(self.as_ref().zero_like())
    }
    #[inline]
    fn add_assign_tangent(&mut self, other: &Self) {
        self.as_mut_unchecked().add_assign_tangent(other.as_ref());
    }
    #[inline]
    fn scale_tangent(&mut self, s: f64) {
        self.as_mut_unchecked().scale_tangent(s);
    }
    #[inline]
    fn dot_tangent(&self, other: &Self) -> f64 {
        self.as_ref().dot_tangent(other.as_ref())
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        self.as_ref().flatten_into(out);
    }
    fn unflatten_from(&mut self, src: &[f64]) -> usize {
        self.as_mut_unchecked().unflatten_from(src)
    }
    fn __dummy() -> Self {
        Unit::new_unchecked(T::__dummy())
    }
}

impl<T: TapeValue> TapeValue for Unit<T> {
    fn push_to(&self, t: &mut TapeBuf) {
        self.as_ref().push_to(t);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        Unit::new_unchecked(T::pop_from(r))
    }
}

// ----- operator rules ---------------------------------------------------------

/// Adds `x` to a shadow.
#[inline(always)]
fn acc<A: Differentiable>(dst: &mut A, x: A) {
    dst.add_assign_tangent(&x);
}

/// A rule for a linear operator `f(a, b)`: its adjoints are `la(d)`, `lb(d)`.
macro_rules! linear_rule {
    ($Rule:ident, [$($g:tt)*], $A:ty, $B:ty, $O:ty, [$($w:tt)*], |$x:ident, $y:ident| $f:expr, |$d1:ident| $la:expr, |$d2:ident| $lb:expr) => {
        impl<$($g)*> $Rule<$B> for $A where $($w)* {
            type Out = $O;
            #[inline]
            fn jvp(a: $A, da: $A, b: $B, db: $B) -> ($O, $O) {
                let f = |$x: &$A, $y: &$B| -> $O { $f };
                (f(&a, &b), f(&da, &db))
            }
            #[inline]
            fn fwd(a: $A, b: $B, _: &mut TapeBuf) -> $O {
                let f = |$x: &$A, $y: &$B| -> $O { $f };
                f(&a, &b)
            }
            #[inline]
            fn bwd(_: $A, ba: &mut $A, _: $B, bb: &mut $B, d: $O, _: &mut TapeRead<'_>) {
                let la = |$d1: &$O| -> $A { $la };
                let lb = |$d2: &$O| -> $B { $lb };
                acc(ba, la(&d));
                acc(bb, lb(&d));
            }
            #[inline]
            fn fwd_jvp(a: $A, da: $A, b: $B, db: $B, _: &mut TapeBuf) -> ($O, $O) {
                let f = |$x: &$A, $y: &$B| -> $O { $f };
                (f(&a, &b), f(&da, &db))
            }
            #[inline]
            fn bwd_jvp(_: $A, _: $A, ba: &mut $A, dba: &mut $A, _: $B, _: $B, bb: &mut $B, dbb: &mut $B, d: $O, dd: $O, _: &mut TapeRead<'_>) {
                let la = |$d1: &$O| -> $A { $la };
                let lb = |$d2: &$O| -> $B { $lb };
                acc(ba, la(&d));
                acc(bb, lb(&d));
                acc(dba, la(&dd));
                acc(dbb, lb(&dd));
            }
        }
    };
}

/// A rule for a bilinear operator `f(a, b)`: the adjoint of `a` is
/// `fa(d, b)`, that of `b` is `fb(a, d)` (both bilinear too).
macro_rules! bilinear_rule {
    ($Rule:ident, [$($g:tt)*], $A:ty, $B:ty, $O:ty, [$($w:tt)*], |$x:ident, $y:ident| $f:expr, |$d1:ident, $b1:ident| $fa:expr, |$a2:ident, $d2:ident| $fb:expr) => {
        impl<$($g)*> $Rule<$B> for $A where $($w)* {
            type Out = $O;
            #[inline]
            fn jvp(a: $A, da: $A, b: $B, db: $B) -> ($O, $O) {
                let f = |$x: &$A, $y: &$B| -> $O { $f };
                let mut t = f(&da, &b);
                t.add_assign_tangent(&f(&a, &db));
                (f(&a, &b), t)
            }
            #[inline]
            fn fwd(a: $A, b: $B, _: &mut TapeBuf) -> $O {
                let f = |$x: &$A, $y: &$B| -> $O { $f };
                f(&a, &b)
            }
            #[inline]
            fn bwd(a: $A, ba: &mut $A, b: $B, bb: &mut $B, d: $O, _: &mut TapeRead<'_>) {
                let fa = |$d1: &$O, $b1: &$B| -> $A { $fa };
                let fb = |$a2: &$A, $d2: &$O| -> $B { $fb };
                acc(ba, fa(&d, &b));
                acc(bb, fb(&a, &d));
            }
            #[inline]
            fn fwd_jvp(a: $A, da: $A, b: $B, db: $B, _: &mut TapeBuf) -> ($O, $O) {
                let f = |$x: &$A, $y: &$B| -> $O { $f };
                let mut t = f(&da, &b);
                t.add_assign_tangent(&f(&a, &db));
                (f(&a, &b), t)
            }
            #[inline]
            fn bwd_jvp(a: $A, da: $A, ba: &mut $A, dba: &mut $A, b: $B, db: $B, bb: &mut $B, dbb: &mut $B, d: $O, dd: $O, _: &mut TapeRead<'_>) {
                let fa = |$d1: &$O, $b1: &$B| -> $A { $fa };
                let fb = |$a2: &$A, $d2: &$O| -> $B { $fb };
                acc(ba, fa(&d, &b));
                acc(bb, fb(&a, &d));
                acc(dba, fa(&dd, &b));
                acc(dba, fa(&d, &db));
                acc(dbb, fb(&da, &d));
                acc(dbb, fb(&a, &dd));
            }
        }
    };
}

/// `-a` for a value whose negation has its own type.
macro_rules! neg_rule {
    ([$($g:tt)*], $A:ty, [$($w:tt)*]) => {
        impl<$($g)*> NegRule for $A where $($w)* {
            type Out = $A;
            #[inline]
            fn jvp(a: $A, da: $A) -> ($A, $A) {
                (-a, -da)
            }
            #[inline]
            fn fwd(a: $A, _: &mut TapeBuf) -> $A {
                -a
            }
            #[inline]
            fn bwd(_: $A, ba: &mut $A, d: $A, _: &mut TapeRead<'_>) {
                acc(ba, -d);
            }
            #[inline]
            fn fwd_jvp(a: $A, da: $A, _: &mut TapeBuf) -> ($A, $A) {
                (-a, -da)
            }
            #[inline]
            fn bwd_jvp(_: $A, _: $A, ba: &mut $A, dba: &mut $A, d: $A, dd: $A, _: &mut TapeRead<'_>) {
                acc(ba, -d);
                acc(dba, -dd);
            }
        }
    };
}

/// `a / s` for a value `a` and a scalar `s`; `dot(x, y)` is the scalar
/// product of two values of `a`'s type.
macro_rules! div_scalar_rule {
    ([$($g:tt)*], $A:ty, $T:ty, [$($w:tt)*], |$x:ident, $y:ident| $dot:expr) => {
        impl<$($g)*> DivRule<$T> for $A where $($w)* {
            type Out = $A;
            #[inline]
            fn jvp(a: $A, da: $A, s: $T, ds: $T) -> ($A, $A) {
                let y = &a / s;
                let t = (&da - &y * ds) / s;
                (y, t)
            }
            #[inline]
            fn fwd(a: $A, s: $T, _: &mut TapeBuf) -> $A {
                a / s
            }
            #[inline]
            fn bwd(a: $A, ba: &mut $A, s: $T, bs: &mut $T, d: $A, _: &mut TapeRead<'_>) {
                let dot = |$x: &$A, $y: &$A| -> $T { $dot };
                *bs -= dot(&d, &a) / (s * s);
                acc(ba, d / s);
            }
            #[inline]
            fn fwd_jvp(a: $A, da: $A, s: $T, ds: $T, _: &mut TapeBuf) -> ($A, $A) {
                Self::jvp(a, da, s, ds)
            }
            #[inline]
            fn bwd_jvp(a: $A, da: $A, ba: &mut $A, dba: &mut $A, s: $T, ds: $T, bs: &mut $T, dbs: &mut $T, d: $A, dd: $A, _: &mut TapeRead<'_>) {
                // ba += d/s, bs -= <d, a>/s², and their tangents.
                let dot = |$x: &$A, $y: &$A| -> $T { $dot };
                let s2 = s * s;
                let da_d = dot(&d, &a);
                *bs -= da_d / s2;
                *dbs -= (dot(&dd, &a) + dot(&d, &da)) / s2 - (da_d + da_d) * ds / (s2 * s);
                acc(dba, (&dd - &d * (ds / s)) / s);
                acc(ba, d / s);
            }
        }
    };
}

// Static matrices.
linear_rule!(AddRule, [T: NaReal, const R: usize, const C: usize], SMat<T, R, C>, SMat<T, R, C>, SMat<T, R, C>, [], |x, y| x + y, |d| d.clone(), |d| d.clone());
linear_rule!(SubRule, [T: NaReal, const R: usize, const C: usize], SMat<T, R, C>, SMat<T, R, C>, SMat<T, R, C>, [], |x, y| x - y, |d| d.clone(), |d| -d);
neg_rule!([T: NaReal, const R: usize, const C: usize], SMat<T, R, C>, []);
bilinear_rule!(MulRule, [T: NaReal, const R: usize, const C: usize], SMat<T, R, C>, T, SMat<T, R, C>, [], |x, y| x * *y, |d, b| d * *b, |a, d| a.dot(d));
bilinear_rule!(MulRule, [T: NaReal, const R: usize, const C: usize], T, SMat<T, R, C>, SMat<T, R, C>, [], |x, y| y * *x, |d, b| b.dot(d), |a, d| d * *a);
bilinear_rule!(MulRule, [T: NaReal, const R: usize, const K: usize, const C: usize], SMat<T, R, K>, SMat<T, K, C>, SMat<T, R, C>, [], |x, y| x * y, |d, b| d * b.transpose(), |a, d| a.transpose() * d);
div_scalar_rule!([T: NaReal, const R: usize, const C: usize], SMat<T, R, C>, T, [], |x, y| x.dot(y));

// Heap matrices: elementwise operators for every shape, products of
// `DMatrix` by `DMatrix` or `DVector` (any matrix with `Dyn` rows and
// columns times one with `Dyn` rows).
linear_rule!(AddRule, [T: NaReal, R: Dim, C: Dim], HMat<T, R, C>, HMat<T, R, C>, HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>], |x, y| x + y, |d| d.clone(), |d| d.clone());
linear_rule!(SubRule, [T: NaReal, R: Dim, C: Dim], HMat<T, R, C>, HMat<T, R, C>, HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>], |x, y| x - y, |d| d.clone(), |d| -d);
neg_rule!([T: NaReal, R: Dim, C: Dim], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>]);
bilinear_rule!(MulRule, [T: NaReal, R: Dim, C: Dim], HMat<T, R, C>, T, HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>], |x, y| x * *y, |d, b| d * *b, |a, d| a.dot(d));
bilinear_rule!(MulRule, [T: NaReal, R: Dim, C: Dim], T, HMat<T, R, C>, HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>], |x, y| y * *x, |d, b| b.dot(d), |a, d| d * *a);
bilinear_rule!(MulRule, [T: NaReal, C: Dim], HMat<T, Dyn, Dyn>, HMat<T, Dyn, C>, HMat<T, Dyn, C>, [DefaultAllocator: Allocator<Dyn, C, Buffer<T> = VecStorage<T, Dyn, C>> + Allocator<C, Dyn, Buffer<T> = VecStorage<T, C, Dyn>>], |x, y| x * y, |d, b| d * b.transpose(), |a, d| a.transpose() * d);
div_scalar_rule!([T: NaReal, R: Dim, C: Dim], HMat<T, R, C>, T, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>], |x, y| x.dot(y));

// Points.
linear_rule!(AddRule, [T: NaReal, const D: usize], Point<T, D>, SMat<T, D, 1>, Point<T, D>, [], |x, y| x + y, |d| d.clone(), |d| d.coords);
linear_rule!(SubRule, [T: NaReal, const D: usize], Point<T, D>, SMat<T, D, 1>, Point<T, D>, [], |x, y| x - y, |d| d.clone(), |d| -d.coords);
linear_rule!(SubRule, [T: NaReal, const D: usize], Point<T, D>, Point<T, D>, SMat<T, D, 1>, [], |x, y| x - y, |d| Point::from(*d), |d| Point::from(-d));
neg_rule!([T: NaReal, const D: usize], Point<T, D>, []);
bilinear_rule!(MulRule, [T: NaReal, const D: usize], Point<T, D>, T, Point<T, D>, [], |x, y| x * *y, |d, b| d * *b, |a, d| a.coords.dot(&d.coords));
div_scalar_rule!([T: NaReal, const D: usize], Point<T, D>, T, [], |x, y| x.coords.dot(&y.coords));

// Rotations: the tangent of `R` is a matrix, stored in a `Rotation`.
bilinear_rule!(MulRule, [T: NaReal, const D: usize, const C: usize], Rotation<T, D>, SMat<T, D, C>, SMat<T, D, C>, [], |x, y| x * y, |d, b| Rotation::from_matrix_unchecked(d * b.transpose()), |a, d| a.matrix().transpose() * d);
bilinear_rule!(MulRule, [T: NaReal, const D: usize], Rotation<T, D>, Point<T, D>, Point<T, D>, [], |x, y| Point::from(x.matrix() * y.coords), |d, b| Rotation::from_matrix_unchecked(d.coords * b.coords.transpose()), |a, d| Point::from(a.matrix().transpose() * d.coords));
bilinear_rule!(MulRule, [T: NaReal, const D: usize], Rotation<T, D>, Rotation<T, D>, Rotation<T, D>, [], |x, y| Rotation::from_matrix_unchecked(x.matrix() * y.matrix()), |d, b| Rotation::from_matrix_unchecked(d.matrix() * b.matrix().transpose()), |a, d| Rotation::from_matrix_unchecked(a.matrix().transpose() * d.matrix()));

// Unit quaternions acting on vectors and points: `q v q*` written for
// any quaternion `q` (exact for unit ones), so the tangent of `q` is any
// quaternion.
fn quat_rotate<T: NaReal>(q: &Quaternion<T>, v: &SMat<T, 3, 1>) -> SMat<T, 3, 1> {
    // v + 2 w (u × v) + 2 u × (u × v), u = imaginary part.
    let u = q.vector().into_owned();
    let w = q.scalar();
    let uv = u.cross(v);
    let two = T::one() + T::one();
    v + uv * (two * w) + u.cross(&uv) * two
}

/// The adjoint of `q` in `q v q*` (treated as the polynomial above).
fn quat_rotate_adj_q<T: NaReal>(q: &Quaternion<T>, v: &SMat<T, 3, 1>, d: &SMat<T, 3, 1>) -> Quaternion<T> {
    let u = q.vector().into_owned();
    let w = q.scalar();
    let two = T::one() + T::one();
    let uv = u.cross(v);
    // f = v + 2w (u×v) + 2 u×(u×v)
    // ∂f/∂w · d = 2 <u×v, d>
    let bw = two * uv.dot(d);
    // ∂(2w u×v)/∂u ᵀ d = 2w (v × d)
    // ∂(2 u×(u×v))/∂u ᵀ d = 2 [ (u×v) × d + v × (d × u) ]
    let bu = v.cross(d) * (two * w) + (uv.cross(d) + v.cross(&d.cross(&u))) * two;
    Quaternion::from_parts(bw, bu)
}

/// `Rᵀ d` of `q v q*` in `v`: the rotation by `q*` (for any `q`, the
/// transpose of the linear map `v ↦ q v q*` as written above).
fn quat_rotate_adj_v<T: NaReal>(q: &Quaternion<T>, d: &SMat<T, 3, 1>) -> SMat<T, 3, 1> {
    // The map is v ↦ v + 2w [u]× v + 2 [u]×² v; its transpose is
    // d ↦ d - 2w [u]× d + 2 [u]×² d ([u]× is antisymmetric).
    let u = q.vector().into_owned();
    let w = q.scalar();
    let two = T::one() + T::one();
    let ud = u.cross(d);
    d - ud * (two * w) + u.cross(&ud) * two
}

impl<T: NaReal> MulRule<SMat<T, 3, 1>> for UnitQuaternion<T> {
    type Out = SMat<T, 3, 1>;
    #[inline]
    fn jvp(a: Self, da: Self, b: SMat<T, 3, 1>, db: SMat<T, 3, 1>) -> (Self::Out, Self::Out) {
        let y = quat_rotate(a.as_ref(), &b);
        // Tangent: linear in v, and the derivative in q along dq.
        let t = quat_rotate(a.as_ref(), &db) + quat_rotate_dq(a.as_ref(), da.as_ref(), &b);
        (y, t)
    }
    #[inline]
    fn fwd(a: Self, b: SMat<T, 3, 1>, _: &mut TapeBuf) -> Self::Out {
        quat_rotate(a.as_ref(), &b)
    }
    #[inline]
    fn bwd(a: Self, ba: &mut Self, b: SMat<T, 3, 1>, bb: &mut SMat<T, 3, 1>, d: Self::Out, _: &mut TapeRead<'_>) {
        acc(ba, Unit::new_unchecked(quat_rotate_adj_q(a.as_ref(), &b, &d)));
        acc(bb, quat_rotate_adj_v(a.as_ref(), &d));
    }
    #[inline]
    fn fwd_jvp(a: Self, da: Self, b: SMat<T, 3, 1>, db: SMat<T, 3, 1>, t: &mut TapeBuf) -> (Self::Out, Self::Out) {
        let _ = t;
        Self::jvp(a, da, b, db)
    }
    #[inline]
    fn bwd_jvp(a: Self, da: Self, ba: &mut Self, dba: &mut Self, b: SMat<T, 3, 1>, db: SMat<T, 3, 1>, bb: &mut SMat<T, 3, 1>, dbb: &mut SMat<T, 3, 1>, d: Self::Out, dd: Self::Out, _: &mut TapeRead<'_>) {
        let (q, dq) = (a.as_ref(), da.as_ref());
        acc(ba, Unit::new_unchecked(quat_rotate_adj_q(q, &b, &d)));
        acc(bb, quat_rotate_adj_v(q, &d));
        // adj_q is linear in v and d and quadratic in q: its tangent.
        let h = num_dq(|qq| quat_rotate_adj_q(qq, &b, &d), q, dq);
        acc(dba, Unit::new_unchecked(quat_rotate_adj_q(q, &db, &d) + quat_rotate_adj_q(q, &b, &dd) + h));
        let g = num_dq_v(|qq| quat_rotate_adj_v(qq, &d), q, dq);
        acc(dbb, quat_rotate_adj_v(q, &dd) + g);
    }
}

/// The derivative of `q v q*` in `q` along `dq` (polynomial in `q`).
fn quat_rotate_dq<T: NaReal>(q: &Quaternion<T>, dq: &Quaternion<T>, v: &SMat<T, 3, 1>) -> SMat<T, 3, 1> {
    let u = q.vector().into_owned();
    let du = dq.vector().into_owned();
    let (w, dw) = (q.scalar(), dq.scalar());
    let two = T::one() + T::one();
    let uv = u.cross(v);
    let duv = du.cross(v);
    (uv * dw + duv * w) * two + (du.cross(&uv) + u.cross(&duv)) * two
}

/// The exact directional derivative along `dq` of a function quadratic in
/// the quaternion: the polarisation `f(q + dq) - f(q - dq)` over 2 (exact
/// for polynomials of degree two).
fn num_dq<T: NaReal>(f: impl Fn(&Quaternion<T>) -> Quaternion<T>, q: &Quaternion<T>, dq: &Quaternion<T>) -> Quaternion<T> {
    let half = T::one() / (T::one() + T::one());
    (f(&(q + dq)) - f(&(q - dq))) * half
}

fn num_dq_v<T: NaReal>(f: impl Fn(&Quaternion<T>) -> SMat<T, 3, 1>, q: &Quaternion<T>, dq: &Quaternion<T>) -> SMat<T, 3, 1> {
    let half = T::one() / (T::one() + T::one());
    (f(&(q + dq)) - f(&(q - dq))) * half
}

// ----- method rules -------------------------------------------------------------

/// Marker types of the method rules (one per method and receiver family).
#[doc(hidden)]
pub mod rules {
    use super::*;
    use crate::interop::{Binary, Unary};

    macro_rules! marker {
        ($($m:ident),* $(,)?) => {$(
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            pub struct $m;
        )*};
    }
    marker!(SNorm, SNormSq, SDot, SCross, SNormalize, STranspose, SSum, SCompMul, SMetric, HNorm, HNormSq, HDot, HNormalize, HTranspose, HSum, HCompMul, RotVec, RotPoint, RotInv, Rot2Angle);

    // ‖a‖ (Frobenius): ∂ = a/‖a‖; second: (I - n nᵀ)/‖a‖.
    macro_rules! norm_rules {
        ($Norm:ident, $NormSq:ident, $Normalize:ident, [$($g:tt)*], $A:ty, [$($w:tt)*]) => {
            impl<$($g)*> Unary<$A> for $Norm where $($w)* {
                type Out = T;
                #[inline]
                fn value(a: &$A) -> T {
                    a.norm()
                }
                #[inline]
                fn jvp(a: &$A, da: &$A) -> (T, T) {
                    let n = a.norm();
                    (n, if n == T::zero() { T::zero() } else { a.dot(da) / n })
                }
                #[inline]
                fn vjp(a: &$A, ba: &mut $A, d: &T) {
                    let n = a.norm();
                    if n != T::zero() {
                        acc(ba, a * (*d / n));
                    }
                }
                fn vjp_jvp(a: &$A, da: &$A, ba: &mut $A, dba: &mut $A, d: &T, dd: &T) {
                    let n = a.norm();
                    if n == T::zero() {
                        return;
                    }
                    acc(ba, a * (*d / n));
                    // d/dε [a d / n] = da d/n + a dd/n - a d <a,da>/n³
                    let ada = a.dot(da);
                    acc(dba, da * (*d / n) + a * (*dd / n) - a * (*d * ada / (n * n * n)));
                }
            }
            impl<$($g)*> Unary<$A> for $NormSq where $($w)* {
                type Out = T;
                #[inline]
                fn value(a: &$A) -> T {
                    a.norm_squared()
                }
                #[inline]
                fn jvp(a: &$A, da: &$A) -> (T, T) {
                    let two = T::one() + T::one();
                    (a.norm_squared(), two * a.dot(da))
                }
                #[inline]
                fn vjp(a: &$A, ba: &mut $A, d: &T) {
                    let two = T::one() + T::one();
                    acc(ba, a * (two * *d));
                }
                fn vjp_jvp(a: &$A, da: &$A, ba: &mut $A, dba: &mut $A, d: &T, dd: &T) {
                    let two = T::one() + T::one();
                    acc(ba, a * (two * *d));
                    acc(dba, da * (two * *d) + a * (two * *dd));
                }
            }
            // n = a/‖a‖: ∂n·t = (t - n <n,t>)/‖a‖ (symmetric).
            impl<$($g)*> Unary<$A> for $Normalize where $($w)* {
                type Out = $A;
                #[inline]
                fn value(a: &$A) -> $A {
                    a.normalize()
                }
                fn jvp(a: &$A, da: &$A) -> ($A, $A) {
                    let r = a.norm();
                    let n = a / r;
                    let t = (da - &n * n.dot(da)) / r;
                    (n, t)
                }
                fn vjp(a: &$A, ba: &mut $A, d: &$A) {
                    let r = a.norm();
                    let n = a / r;
                    acc(ba, (d - &n * n.dot(d)) / r);
                }
                fn vjp_jvp(a: &$A, da: &$A, ba: &mut $A, dba: &mut $A, d: &$A, dd: &$A) {
                    let r = a.norm();
                    let n = a / r;
                    let g = (d - &n * n.dot(d)) / r;
                    acc(ba, g.clone());
                    // Tangent of g = (d - n <n,d>)/r along (da, dd):
                    // dn = (da - n <n,da>)/r, dr = <n, da>.
                    let dr = n.dot(da);
                    let dn = (da - &n * dr) / r;
                    let dg = (dd - &dn * n.dot(d) - &n * (dn.dot(d) + n.dot(dd))) / r - &g * (dr / r);
                    acc(dba, dg);
                }
            }
        };
    }
    norm_rules!(SNorm, SNormSq, SNormalize, [T: NaReal, const R: usize, const C: usize], SMat<T, R, C>, []);
    norm_rules!(HNorm, HNormSq, HNormalize, [T: NaReal, R: Dim, C: Dim], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>]);
    crate::__lz_method_rule!(ref1 "norm", SNorm, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "magnitude", SNorm, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "norm_squared", SNormSq, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "magnitude_squared", SNormSq, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "normalize", SNormalize, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "norm", HNorm, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>]);
    crate::__lz_method_rule!(ref1 "magnitude", HNorm, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>]);
    crate::__lz_method_rule!(ref1 "norm_squared", HNormSq, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>]);
    crate::__lz_method_rule!(ref1 "magnitude_squared", HNormSq, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>]);
    crate::__lz_method_rule!(ref1 "normalize", HNormalize, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>>]);

    // <a, b>, transpose, sum, component_mul.
    macro_rules! linear_methods {
        ($Dot:ident, $Tr:ident, $Sum:ident, $Cm:ident, [$($g:tt)*], $A:ty, $At:ty, [$($w:tt)*]) => {
            impl<$($g)*> Binary<$A, $A> for $Dot where $($w)* {
                type Out = T;
                #[inline]
                fn value(a: &$A, b: &$A) -> T {
                    a.dot(b)
                }
                #[inline]
                fn jvp(a: &$A, da: &$A, b: &$A, db: &$A) -> (T, T) {
                    (a.dot(b), da.dot(b) + a.dot(db))
                }
                #[inline]
                fn vjp(a: &$A, ba: &mut $A, b: &$A, bb: &mut $A, d: &T) {
                    acc(ba, b * *d);
                    acc(bb, a * *d);
                }
                fn vjp_jvp(a: &$A, da: &$A, ba: &mut $A, dba: &mut $A, b: &$A, db: &$A, bb: &mut $A, dbb: &mut $A, d: &T, dd: &T) {
                    acc(ba, b * *d);
                    acc(bb, a * *d);
                    acc(dba, db * *d + b * *dd);
                    acc(dbb, da * *d + a * *dd);
                }
            }
            impl<$($g)*> Unary<$A> for $Tr where $($w)* {
                type Out = $At;
                #[inline]
                fn value(a: &$A) -> $At {
                    a.transpose()
                }
                #[inline]
                fn jvp(a: &$A, da: &$A) -> ($At, $At) {
                    (a.transpose(), da.transpose())
                }
                #[inline]
                fn vjp(_: &$A, ba: &mut $A, d: &$At) {
                    acc(ba, d.transpose());
                }
                fn vjp_jvp(_: &$A, _: &$A, ba: &mut $A, dba: &mut $A, d: &$At, dd: &$At) {
                    acc(ba, d.transpose());
                    acc(dba, dd.transpose());
                }
            }
            impl<$($g)*> Unary<$A> for $Sum where $($w)* {
                type Out = T;
                #[inline]
                fn value(a: &$A) -> T {
                    a.sum()
                }
                #[inline]
                fn jvp(a: &$A, da: &$A) -> (T, T) {
                    (a.sum(), da.sum())
                }
                #[inline]
                fn vjp(_: &$A, ba: &mut $A, d: &T) {
                    for x in ba.iter_mut() {
                        *x += *d;
                    }
                }
                fn vjp_jvp(_: &$A, _: &$A, ba: &mut $A, dba: &mut $A, d: &T, dd: &T) {
                    for x in ba.iter_mut() {
                        *x += *d;
                    }
                    for x in dba.iter_mut() {
                        *x += *dd;
                    }
                }
            }
            impl<$($g)*> Binary<$A, $A> for $Cm where $($w)* {
                type Out = $A;
                #[inline]
                fn value(a: &$A, b: &$A) -> $A {
                    a.component_mul(b)
                }
                #[inline]
                fn jvp(a: &$A, da: &$A, b: &$A, db: &$A) -> ($A, $A) {
                    (a.component_mul(b), da.component_mul(b) + a.component_mul(db))
                }
                #[inline]
                fn vjp(a: &$A, ba: &mut $A, b: &$A, bb: &mut $A, d: &$A) {
                    acc(ba, d.component_mul(b));
                    acc(bb, d.component_mul(a));
                }
                fn vjp_jvp(a: &$A, da: &$A, ba: &mut $A, dba: &mut $A, b: &$A, db: &$A, bb: &mut $A, dbb: &mut $A, d: &$A, dd: &$A) {
                    acc(ba, d.component_mul(b));
                    acc(bb, d.component_mul(a));
                    acc(dba, dd.component_mul(b) + d.component_mul(db));
                    acc(dbb, dd.component_mul(a) + d.component_mul(da));
                }
            }
        };
    }
    linear_methods!(SDot, STranspose, SSum, SCompMul, [T: NaReal, const R: usize, const C: usize], SMat<T, R, C>, SMat<T, C, R>, []);
    linear_methods!(HDot, HTranspose, HSum, HCompMul, [T: NaReal, R: Dim, C: Dim], HMat<T, R, C>, HMat<T, C, R>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>> + Allocator<C, R, Buffer<T> = VecStorage<T, C, R>>]);
    crate::__lz_method_rule!(ref2 "dot", SDot, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "transpose", STranspose, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "sum", SSum, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref2 "component_mul", SCompMul, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref2 "dot", HDot, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>> + Allocator<C, R, Buffer<T> = VecStorage<T, C, R>>]);
    crate::__lz_method_rule!(ref1 "transpose", HTranspose, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>> + Allocator<C, R, Buffer<T> = VecStorage<T, C, R>>]);
    crate::__lz_method_rule!(ref1 "sum", HSum, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>> + Allocator<C, R, Buffer<T> = VecStorage<T, C, R>>]);
    crate::__lz_method_rule!(ref2 "component_mul", HCompMul, [T: NaReal, R: Dim, C: Dim,], HMat<T, R, C>, HMat<T, R, C>, [DefaultAllocator: Allocator<R, C, Buffer<T> = VecStorage<T, R, C>> + Allocator<C, R, Buffer<T> = VecStorage<T, C, R>>]);

    // a × b (3-vectors): bilinear, da × b + a × db; adjoints b × d, d × a.
    impl<T: NaReal> Binary<SMat<T, 3, 1>, SMat<T, 3, 1>> for SCross {
        type Out = SMat<T, 3, 1>;
        #[inline]
        fn value(a: &SMat<T, 3, 1>, b: &SMat<T, 3, 1>) -> SMat<T, 3, 1> {
            a.cross(b)
        }
        #[inline]
        fn jvp(a: &SMat<T, 3, 1>, da: &SMat<T, 3, 1>, b: &SMat<T, 3, 1>, db: &SMat<T, 3, 1>) -> (SMat<T, 3, 1>, SMat<T, 3, 1>) {
            (a.cross(b), da.cross(b) + a.cross(db))
        }
        #[inline]
        fn vjp(a: &SMat<T, 3, 1>, ba: &mut SMat<T, 3, 1>, b: &SMat<T, 3, 1>, bb: &mut SMat<T, 3, 1>, d: &SMat<T, 3, 1>) {
            acc(ba, b.cross(d));
            acc(bb, d.cross(a));
        }
        fn vjp_jvp(a: &SMat<T, 3, 1>, da: &SMat<T, 3, 1>, ba: &mut SMat<T, 3, 1>, dba: &mut SMat<T, 3, 1>, b: &SMat<T, 3, 1>, db: &SMat<T, 3, 1>, bb: &mut SMat<T, 3, 1>, dbb: &mut SMat<T, 3, 1>, d: &SMat<T, 3, 1>, dd: &SMat<T, 3, 1>) {
            acc(ba, b.cross(d));
            acc(bb, d.cross(a));
            acc(dba, db.cross(d) + b.cross(dd));
            acc(dbb, dd.cross(a) + d.cross(da));
        }
    }
    crate::__lz_method_rule!(ref2 "cross", SCross, [T: NaReal,], SMat<T, 3, 1>, SMat<T, 3, 1>, []);

    // ‖a - b‖ (`metric_distance`).
    impl<T: NaReal, const R: usize, const C: usize> Binary<SMat<T, R, C>, SMat<T, R, C>> for SMetric {
        type Out = T;
        #[inline]
        fn value(a: &SMat<T, R, C>, b: &SMat<T, R, C>) -> T {
            a.metric_distance(b)
        }
        fn jvp(a: &SMat<T, R, C>, da: &SMat<T, R, C>, b: &SMat<T, R, C>, db: &SMat<T, R, C>) -> (T, T) {
            <SNorm as Unary<SMat<T, R, C>>>::jvp(&(a - b), &(da - db))
        }
        fn vjp(a: &SMat<T, R, C>, ba: &mut SMat<T, R, C>, b: &SMat<T, R, C>, bb: &mut SMat<T, R, C>, d: &T) {
            let mut g = SMat::<T, R, C>::zeros();
            <SNorm as Unary<SMat<T, R, C>>>::vjp(&(a - b), &mut g, d);
            acc(bb, -g);
            acc(ba, g);
        }
        fn vjp_jvp(a: &SMat<T, R, C>, da: &SMat<T, R, C>, ba: &mut SMat<T, R, C>, dba: &mut SMat<T, R, C>, b: &SMat<T, R, C>, db: &SMat<T, R, C>, bb: &mut SMat<T, R, C>, dbb: &mut SMat<T, R, C>, d: &T, dd: &T) {
            let (mut g, mut dg) = (SMat::<T, R, C>::zeros(), SMat::<T, R, C>::zeros());
            <SNorm as Unary<SMat<T, R, C>>>::vjp_jvp(&(a - b), &(da - db), &mut g, &mut dg, d, dd);
            acc(bb, -g);
            acc(ba, g);
            acc(dbb, -dg);
            acc(dba, dg);
        }
    }
    crate::__lz_method_rule!(ref2 "metric_distance", SMetric, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, SMat<T, R, C>, []);

    // Rotations.
    impl<T: NaReal, const D: usize> Binary<Rotation<T, D>, SMat<T, D, 1>> for RotVec {
        type Out = SMat<T, D, 1>;
        #[inline]
        fn value(r: &Rotation<T, D>, v: &SMat<T, D, 1>) -> SMat<T, D, 1> {
            r * v
        }
        #[inline]
        fn jvp(r: &Rotation<T, D>, dr: &Rotation<T, D>, v: &SMat<T, D, 1>, dv: &SMat<T, D, 1>) -> (SMat<T, D, 1>, SMat<T, D, 1>) {
            (r * v, dr.matrix() * v + r * dv)
        }
        #[inline]
        fn vjp(r: &Rotation<T, D>, br: &mut Rotation<T, D>, v: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, d: &SMat<T, D, 1>) {
            acc(br, Rotation::from_matrix_unchecked(d * v.transpose()));
            acc(bv, r.matrix().transpose() * d);
        }
        fn vjp_jvp(r: &Rotation<T, D>, dr: &Rotation<T, D>, br: &mut Rotation<T, D>, dbr: &mut Rotation<T, D>, v: &SMat<T, D, 1>, dv: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, dbv: &mut SMat<T, D, 1>, d: &SMat<T, D, 1>, dd: &SMat<T, D, 1>) {
            acc(br, Rotation::from_matrix_unchecked(d * v.transpose()));
            acc(bv, r.matrix().transpose() * d);
            acc(dbr, Rotation::from_matrix_unchecked(dd * v.transpose() + d * dv.transpose()));
            acc(dbv, dr.matrix().transpose() * d + r.matrix().transpose() * dd);
        }
    }
    impl<T: NaReal, const D: usize> Binary<Rotation<T, D>, Point<T, D>> for RotPoint {
        type Out = Point<T, D>;
        #[inline]
        fn value(r: &Rotation<T, D>, p: &Point<T, D>) -> Point<T, D> {
            r * p
        }
        #[inline]
        fn jvp(r: &Rotation<T, D>, dr: &Rotation<T, D>, p: &Point<T, D>, dp: &Point<T, D>) -> (Point<T, D>, Point<T, D>) {
            (r * p, Point::from(dr.matrix() * p.coords + r.matrix() * dp.coords))
        }
        #[inline]
        fn vjp(r: &Rotation<T, D>, br: &mut Rotation<T, D>, p: &Point<T, D>, bp: &mut Point<T, D>, d: &Point<T, D>) {
            acc(br, Rotation::from_matrix_unchecked(d.coords * p.coords.transpose()));
            acc(bp, Point::from(r.matrix().transpose() * d.coords));
        }
        fn vjp_jvp(r: &Rotation<T, D>, dr: &Rotation<T, D>, br: &mut Rotation<T, D>, dbr: &mut Rotation<T, D>, p: &Point<T, D>, dp: &Point<T, D>, bp: &mut Point<T, D>, dbp: &mut Point<T, D>, d: &Point<T, D>, dd: &Point<T, D>) {
            acc(br, Rotation::from_matrix_unchecked(d.coords * p.coords.transpose()));
            acc(bp, Point::from(r.matrix().transpose() * d.coords));
            acc(dbr, Rotation::from_matrix_unchecked(dd.coords * p.coords.transpose() + d.coords * dp.coords.transpose()));
            acc(dbp, Point::from(dr.matrix().transpose() * d.coords + r.matrix().transpose() * dd.coords));
        }
    }
    crate::__lz_method_rule!(ref2 "transform_vector", RotVec, [T: NaReal, const D: usize,], Rotation<T, D>, SMat<T, D, 1>, []);
    crate::__lz_method_rule!(ref2 "transform_point", RotPoint, [T: NaReal, const D: usize,], Rotation<T, D>, Point<T, D>, []);

    // R⁻¹ = Rᵀ (linear in the matrix entries).
    impl<T: NaReal, const D: usize> Unary<Rotation<T, D>> for RotInv {
        type Out = Rotation<T, D>;
        #[inline]
        fn value(r: &Rotation<T, D>) -> Rotation<T, D> {
            Rotation::from_matrix_unchecked(r.matrix().transpose())
        }
        #[inline]
        fn jvp(r: &Rotation<T, D>, dr: &Rotation<T, D>) -> (Rotation<T, D>, Rotation<T, D>) {
            (Self::value(r), Self::value(dr))
        }
        #[inline]
        fn vjp(_: &Rotation<T, D>, br: &mut Rotation<T, D>, d: &Rotation<T, D>) {
            acc(br, Self::value(d));
        }
        fn vjp_jvp(_: &Rotation<T, D>, _: &Rotation<T, D>, br: &mut Rotation<T, D>, dbr: &mut Rotation<T, D>, d: &Rotation<T, D>, dd: &Rotation<T, D>) {
            acc(br, Self::value(d));
            acc(dbr, Self::value(dd));
        }
    }
    crate::__lz_method_rule!(ref1 "inverse", RotInv, [T: NaReal, const D: usize,], Rotation<T, D>, []);
    crate::__lz_method_rule!(ref1 "transpose", RotInv, [T: NaReal, const D: usize,], Rotation<T, D>, []);

    // Rotation2::angle = atan2(m10, m00).
    impl<T: NaReal> Unary<Rotation<T, 2>> for Rot2Angle {
        type Out = T;
        #[inline]
        fn value(r: &Rotation<T, 2>) -> T {
            num_traits::Float::atan2(r.matrix()[(1, 0)], r.matrix()[(0, 0)])
        }
        fn jvp(r: &Rotation<T, 2>, dr: &Rotation<T, 2>) -> (T, T) {
            let (c, s) = (r.matrix()[(0, 0)], r.matrix()[(1, 0)]);
            let q = c * c + s * s;
            (Self::value(r), (c * dr.matrix()[(1, 0)] - s * dr.matrix()[(0, 0)]) / q)
        }
        fn vjp(r: &Rotation<T, 2>, br: &mut Rotation<T, 2>, d: &T) {
            let (c, s) = (r.matrix()[(0, 0)], r.matrix()[(1, 0)]);
            let q = c * c + s * s;
            let m = br.matrix_mut_unchecked();
            m[(1, 0)] += c * *d / q;
            m[(0, 0)] -= s * *d / q;
        }
        fn vjp_jvp(r: &Rotation<T, 2>, dr: &Rotation<T, 2>, br: &mut Rotation<T, 2>, dbr: &mut Rotation<T, 2>, d: &T, dd: &T) {
            let (c, s) = (r.matrix()[(0, 0)], r.matrix()[(1, 0)]);
            let (dc, ds) = (dr.matrix()[(0, 0)], dr.matrix()[(1, 0)]);
            let q = c * c + s * s;
            let two = T::one() + T::one();
            let dq = two * (c * dc + s * ds);
            Self::vjp(r, br, d);
            let m = dbr.matrix_mut_unchecked();
            // d(c d/q) and d(-s d/q).
            m[(1, 0)] += (dc * *d + c * *dd) / q - c * *d * dq / (q * q);
            m[(0, 0)] -= (ds * *d + s * *dd) / q - s * *d * dq / (q * q);
        }
    }
    crate::__lz_method_rule!(ref1 "angle", Rot2Angle, [T: NaReal,], Rotation<T, 2>, []);
}

// ----- constructors by type path ----------------------------------------------

/// The entry points of constructors called by a type path
/// (`Vector3::new(x, y, z)`): `use leibniz::prelude::*` (or
/// `use leibniz::interop::nalgebra::*`) brings these traits into scope.
/// Every constructor is linear in its scalar arguments except the
/// rotations, whose rules are written out.
pub mod constructors {
    use super::*;

    /// A constructor `f(x1, .., xn)` from scalars, with its partials.
    trait Ctor<T: NaReal, const N: usize>: Differentiable + Sized {
        fn make(x: [T; N]) -> Self;
        /// `Σ ∂f/∂x_i t_i`.
        fn tangent(x: [T; N], t: [T; N]) -> Self;
        /// `(∂f/∂x_i)ᵀ d`.
        fn adjoint(x: [T; N], d: &Self) -> [T; N];
        /// The tangent of `adjoint` along `t`, `dd`.
        fn adjoint_tangent(x: [T; N], t: [T; N], d: &Self, dd: &Self) -> [T; N];
    }

    macro_rules! ctor_trait {
        ($(#[$doc:meta])* $Trait:ident, $Ty:ty, $n:literal, $f:ident, $( $x:ident $dx:ident $bx:ident $ex:ident $fx:ident ),+) => {
            $(#[$doc])*
            #[allow(non_snake_case)]
            pub trait $Trait<T>: Sized {
                #[doc(hidden)]
                fn ${concat($f, __lz_jvp)}() {}
            }
        };
    }
    let _ = ();
}
