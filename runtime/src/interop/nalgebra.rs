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

use nalgebra::{ArrayStorage, Const, Dim, Dyn, Matrix, Point, Quaternion, RealField, Rotation, Scalar, Unit, UnitQuaternion, VecStorage};

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

macro_rules! heap_diff {
    ([$($g:tt)*], $R:ty, $C:ty) => {
        impl<T: Differentiable + Scalar, $($g)*> Differentiable for HMat<T, $R, $C> {
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
                let r = <$R as Dim>::try_to_usize().unwrap_or(0);
                let c = <$C as Dim>::try_to_usize().unwrap_or(0);
                Matrix::from_data(VecStorage::new(<$R as Dim>::from_usize(r), <$C as Dim>::from_usize(c), (0..r * c).map(|_| T::__dummy()).collect()))
            }
        }

        impl<T: TapeValue + Scalar, $($g)*> TapeValue for HMat<T, $R, $C> {
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
                Matrix::from_data(VecStorage::new(<$R as Dim>::from_usize(n), <$C as Dim>::from_usize(c), v))
            }
        }
    };
}
heap_diff!([C: Dim], Dyn, C);
heap_diff!([const R: usize], Const<R>, Dyn);

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
                <Self as DivRule<$T>>::jvp(a, da, s, ds)
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

// Heap matrices: `DMatrix`, `DVector`, `RowDVector`.
type DM<T> = HMat<T, Dyn, Dyn>;
type DV<T> = HMat<T, Dyn, Const<1>>;
type DR<T> = HMat<T, Const<1>, Dyn>;
macro_rules! heap_ops {
    ($($M:ident),*) => {$(
        linear_rule!(AddRule, [T: NaReal], $M<T>, $M<T>, $M<T>, [], |x, y| x + y, |d| d.clone(), |d| d.clone());
        linear_rule!(SubRule, [T: NaReal], $M<T>, $M<T>, $M<T>, [], |x, y| x - y, |d| d.clone(), |d| -d);
        neg_rule!([T: NaReal], $M<T>, []);
        bilinear_rule!(MulRule, [T: NaReal], $M<T>, T, $M<T>, [], |x, y| x * *y, |d, b| d * *b, |a, d| a.dot(d));
        bilinear_rule!(MulRule, [T: NaReal], T, $M<T>, $M<T>, [], |x, y| y * *x, |d, b| b.dot(d), |a, d| d * *a);
        div_scalar_rule!([T: NaReal], $M<T>, T, [], |x, y| x.dot(y));
    )*};
}
heap_ops!(DM, DV, DR);
bilinear_rule!(MulRule, [T: NaReal], DM<T>, DM<T>, DM<T>, [], |x, y| x * y, |d, b| d * b.transpose(), |a, d| a.transpose() * d);
bilinear_rule!(MulRule, [T: NaReal], DM<T>, DV<T>, DV<T>, [], |x, y| x * y, |d, b| d * b.transpose(), |a, d| a.transpose() * d);
bilinear_rule!(MulRule, [T: NaReal], DR<T>, DM<T>, DR<T>, [], |x, y| x * y, |d, b| d * b.transpose(), |a, d| a.transpose() * d);

// Points.
linear_rule!(AddRule, [T: NaReal, const D: usize], Point<T, D>, SMat<T, D, 1>, Point<T, D>, [], |x, y| x + y, |d| d.clone(), |d| d.coords);
linear_rule!(SubRule, [T: NaReal, const D: usize], Point<T, D>, SMat<T, D, 1>, Point<T, D>, [], |x, y| x - y, |d| d.clone(), |d| -d.coords);
linear_rule!(SubRule, [T: NaReal, const D: usize], Point<T, D>, Point<T, D>, SMat<T, D, 1>, [], |x, y| x - y, |d| Point::from(*d), |d| Point::from(-d));
neg_rule!([T: NaReal, const D: usize], Point<T, D>, []);
bilinear_rule!(MulRule, [T: NaReal, const D: usize], Point<T, D>, T, Point<T, D>, [], |x, y| x * *y, |d, b| d * *b, |a, d| a.coords.dot(&d.coords));

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
    norm_rules!(HNorm, HNormSq, HNormalize, [T: NaReal], DM<T>, []);
    norm_rules!(HNorm, HNormSq, HNormalize, [T: NaReal], DV<T>, []);
    norm_rules!(HNorm, HNormSq, HNormalize, [T: NaReal], DR<T>, []);
    crate::__lz_method_rule!(ref1 "norm", SNorm, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "magnitude", SNorm, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "norm_squared", SNormSq, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "magnitude_squared", SNormSq, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "normalize", SNormalize, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "norm", HNorm, [T: NaReal,], DM<T>, []);
    crate::__lz_method_rule!(ref1 "norm", HNorm, [T: NaReal,], DV<T>, []);
    crate::__lz_method_rule!(ref1 "norm", HNorm, [T: NaReal,], DR<T>, []);
    crate::__lz_method_rule!(ref1 "magnitude", HNorm, [T: NaReal,], DM<T>, []);
    crate::__lz_method_rule!(ref1 "magnitude", HNorm, [T: NaReal,], DV<T>, []);
    crate::__lz_method_rule!(ref1 "magnitude", HNorm, [T: NaReal,], DR<T>, []);
    crate::__lz_method_rule!(ref1 "norm_squared", HNormSq, [T: NaReal,], DM<T>, []);
    crate::__lz_method_rule!(ref1 "norm_squared", HNormSq, [T: NaReal,], DV<T>, []);
    crate::__lz_method_rule!(ref1 "norm_squared", HNormSq, [T: NaReal,], DR<T>, []);
    crate::__lz_method_rule!(ref1 "magnitude_squared", HNormSq, [T: NaReal,], DM<T>, []);
    crate::__lz_method_rule!(ref1 "magnitude_squared", HNormSq, [T: NaReal,], DV<T>, []);
    crate::__lz_method_rule!(ref1 "magnitude_squared", HNormSq, [T: NaReal,], DR<T>, []);
    crate::__lz_method_rule!(ref1 "normalize", HNormalize, [T: NaReal,], DM<T>, []);
    crate::__lz_method_rule!(ref1 "normalize", HNormalize, [T: NaReal,], DV<T>, []);
    crate::__lz_method_rule!(ref1 "normalize", HNormalize, [T: NaReal,], DR<T>, []);

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
    linear_methods!(HDot, HTranspose, HSum, HCompMul, [T: NaReal], DM<T>, DM<T>, []);
    linear_methods!(HDot, HTranspose, HSum, HCompMul, [T: NaReal], DV<T>, DR<T>, []);
    linear_methods!(HDot, HTranspose, HSum, HCompMul, [T: NaReal], DR<T>, DV<T>, []);
    crate::__lz_method_rule!(ref2 "dot", SDot, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "transpose", STranspose, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref1 "sum", SSum, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref2 "component_mul", SCompMul, [T: NaReal, const R: usize, const C: usize,], SMat<T, R, C>, SMat<T, R, C>, []);
    crate::__lz_method_rule!(ref2 "dot", HDot, [T: NaReal,], DM<T>, DM<T>, []);
    crate::__lz_method_rule!(ref2 "dot", HDot, [T: NaReal,], DV<T>, DV<T>, []);
    crate::__lz_method_rule!(ref2 "dot", HDot, [T: NaReal,], DR<T>, DR<T>, []);
    crate::__lz_method_rule!(ref1 "transpose", HTranspose, [T: NaReal,], DM<T>, []);
    crate::__lz_method_rule!(ref1 "transpose", HTranspose, [T: NaReal,], DV<T>, []);
    crate::__lz_method_rule!(ref1 "transpose", HTranspose, [T: NaReal,], DR<T>, []);
    crate::__lz_method_rule!(ref1 "sum", HSum, [T: NaReal,], DM<T>, []);
    crate::__lz_method_rule!(ref1 "sum", HSum, [T: NaReal,], DV<T>, []);
    crate::__lz_method_rule!(ref1 "sum", HSum, [T: NaReal,], DR<T>, []);
    crate::__lz_method_rule!(ref2 "component_mul", HCompMul, [T: NaReal,], DM<T>, DM<T>, []);
    crate::__lz_method_rule!(ref2 "component_mul", HCompMul, [T: NaReal,], DV<T>, DV<T>, []);
    crate::__lz_method_rule!(ref2 "component_mul", HCompMul, [T: NaReal,], DR<T>, DR<T>, []);

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

/// Constructors called by a type path (`Vector3::new(x, y, z)`,
/// `Rotation2::new(angle)`): generated code calls their entry points at
/// that path (`Vector3::new__lz_jvp`, ..), which these traits provide.
/// `use leibniz::prelude::*` (or `use leibniz::interop::nalgebra::*`)
/// brings them into scope.
#[allow(non_snake_case)]
pub mod constructors {
    use super::*;

    /// A constructor from `N` scalars, by its value and partials.
    #[doc(hidden)]
    pub trait Ctor<T: NaReal, const N: usize>: Differentiable + Sized {
        fn make(x: [T; N]) -> Self;
        /// `Σ ∂f/∂x_i t_i`.
        fn tangent(x: [T; N], t: [T; N]) -> Self;
        /// `(∂f/∂x)ᵀ d`.
        fn adjoint(x: [T; N], d: &Self) -> [T; N];
        /// The tangent of `adjoint` along `t` (in `x`) and `dd` (in `d`).
        fn adjoint_tangent(x: [T; N], t: [T; N], d: &Self, dd: &Self) -> [T; N];
    }

    #[inline(always)]
    pub(super) fn put<T: NaReal>(s: impl ShadowOf<T>, x: &T, v: T) {
        let mut g = ShadowOf::get(s, Some(x));
        *g += v;
    }

    /// The five entry points of a constructor `name(x1, .., xn)` from
    /// scalars, as a trait implemented for the constructed type.
    macro_rules! ctor_entries {
        ($(#[$doc:meta])* $Trait:ident, [$($g:tt)*], $Ty:ty, $T:ty, $N:literal, $jvp:ident, $fwd:ident, $bwd:ident, $fj:ident, $bj:ident, [$($x:ident $d:ident $b:ident $e:ident $f:ident $k:literal),+]) => {
            $(#[$doc])*
            pub trait $Trait: Sized {
                /// The scalar type.
                type Scalar: NaReal;
                #[doc(hidden)]
                fn $jvp($($x: Self::Scalar, $d: impl TanVal<Self::Scalar>),+) -> (Self, Self);
                #[doc(hidden)]
                fn $fwd($($x: Self::Scalar,)+ t: &mut TapeBuf) -> Self;
                #[doc(hidden)]
                fn $bwd($($x: Self::Scalar, $b: impl ShadowOf<Self::Scalar>,)+ dout: Self, t: &mut TapeRead<'_>);
                #[doc(hidden)]
                fn $fj($($x: Self::Scalar, $d: impl TanVal<Self::Scalar>,)+ t: &mut TapeBuf) -> (Self, Self);
                #[doc(hidden)]
                #[allow(clippy::too_many_arguments)]
                fn $bj($($x: Self::Scalar, $e: impl TanVal<Self::Scalar>, $b: impl ShadowOf<Self::Scalar>, $f: impl ShadowOf<Self::Scalar>,)+ dout: Self, ddout: impl TanVal<Self>, t: &mut TapeRead<'_>) -> ((), ());
            }
            impl<$($g)*> $Trait for $Ty {
                type Scalar = $T;
                #[inline]
                fn $jvp($($x: $T, $d: impl TanVal<$T>),+) -> (Self, Self) {
                    $(let $d = TanVal::get($d, &$x);)+
                    (<Self as Ctor<$T, $N>>::make([$($x),+]), <Self as Ctor<$T, $N>>::tangent([$($x),+], [$($d),+]))
                }
                #[inline]
                fn $fwd($($x: $T,)+ _t: &mut TapeBuf) -> Self {
                    <Self as Ctor<$T, $N>>::make([$($x),+])
                }
                #[inline]
                fn $bwd($($x: $T, $b: impl ShadowOf<$T>,)+ dout: Self, _t: &mut TapeRead<'_>) {
                    let a = <Self as Ctor<$T, $N>>::adjoint([$($x),+], &dout);
                    $(put($b, &$x, a[$k]);)+
                }
                #[inline]
                fn $fj($($x: $T, $d: impl TanVal<$T>,)+ _t: &mut TapeBuf) -> (Self, Self) {
                    Self::$jvp($($x, $d),+)
                }
                #[inline]
                fn $bj($($x: $T, $e: impl TanVal<$T>, $b: impl ShadowOf<$T>, $f: impl ShadowOf<$T>,)+ dout: Self, ddout: impl TanVal<Self>, _t: &mut TapeRead<'_>) -> ((), ()) {
                    $(let $e = TanVal::get($e, &$x);)+
                    let ddout = TanVal::get(ddout, &dout);
                    let a = <Self as Ctor<$T, $N>>::adjoint([$($x),+], &dout);
                    let da = <Self as Ctor<$T, $N>>::adjoint_tangent([$($x),+], [$($e),+], &dout, &ddout);
                    $(put($b, &$x, a[$k]);)+
                    $(put($f, &$x, da[$k]);)+
                    ((), ())
                }
            }
        };
    }

    /// Constructors linear in their arguments: the matrix of the entries
    /// in the argument order (row-major for `Matrix2::new`, ..).
    macro_rules! linear_ctor {
        ([$($g:tt)*], $Ty:ty, $N:literal, |$a:ident| $make:expr, |$m:ident| $parts:expr) => {
            impl<$($g)*> Ctor<T, $N> for $Ty {
                #[inline]
                fn make($a: [T; $N]) -> Self {
                    $make
                }
                #[inline]
                fn tangent(_: [T; $N], $a: [T; $N]) -> Self {
                    $make
                }
                #[inline]
                fn adjoint(_: [T; $N], $m: &Self) -> [T; $N] {
                    $parts
                }
                #[inline]
                fn adjoint_tangent(_: [T; $N], _: [T; $N], _: &Self, $m: &Self) -> [T; $N] {
                    $parts
                }
            }
        };
    }

    linear_ctor!([T: NaReal], SMat<T, 1, 1>, 1, |a| SMat::<T, 1, 1>::new(a[0]), |m| [m[0]]);
    linear_ctor!([T: NaReal], SMat<T, 2, 1>, 2, |a| SMat::<T, 2, 1>::new(a[0], a[1]), |m| [m[0], m[1]]);
    linear_ctor!([T: NaReal], SMat<T, 3, 1>, 3, |a| SMat::<T, 3, 1>::new(a[0], a[1], a[2]), |m| [m[0], m[1], m[2]]);
    linear_ctor!([T: NaReal], SMat<T, 4, 1>, 4, |a| SMat::<T, 4, 1>::new(a[0], a[1], a[2], a[3]), |m| [m[0], m[1], m[2], m[3]]);
    linear_ctor!([T: NaReal], SMat<T, 5, 1>, 5, |a| SMat::<T, 5, 1>::from_column_slice(&a), |m| [m[0], m[1], m[2], m[3], m[4]]);
    linear_ctor!([T: NaReal], SMat<T, 6, 1>, 6, |a| SMat::<T, 6, 1>::from_column_slice(&a), |m| [m[0], m[1], m[2], m[3], m[4], m[5]]);
    linear_ctor!([T: NaReal], Point<T, 2>, 2, |a| Point::<T, 2>::new(a[0], a[1]), |m| [m.x, m.y]);
    linear_ctor!([T: NaReal], Point<T, 3>, 3, |a| Point::<T, 3>::new(a[0], a[1], a[2]), |m| [m.x, m.y, m.z]);
    linear_ctor!([T: NaReal], SMat<T, 2, 2>, 4, |a| SMat::<T, 2, 2>::from_row_slice(&a), |m| [m[(0, 0)], m[(0, 1)], m[(1, 0)], m[(1, 1)]]);
    linear_ctor!([T: NaReal], SMat<T, 3, 3>, 9, |a| SMat::<T, 3, 3>::from_row_slice(&a), |m| [m[(0, 0)], m[(0, 1)], m[(0, 2)], m[(1, 0)], m[(1, 1)], m[(1, 2)], m[(2, 0)], m[(2, 1)], m[(2, 2)]]);

    ctor_entries!(
        /// `Vector1::new` (and `SVector<T, 1>`).
        Vector1New, [T: NaReal], SMat<T, 1, 1>, T, 1, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0]);
    ctor_entries!(
        /// `Vector2::new`.
        Vector2New, [T: NaReal], SMat<T, 2, 1>, T, 2, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1]);
    ctor_entries!(
        /// `Vector3::new`.
        Vector3New, [T: NaReal], SMat<T, 3, 1>, T, 3, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2]);
    ctor_entries!(
        /// `Vector4::new`.
        Vector4New, [T: NaReal], SMat<T, 4, 1>, T, 4, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2, x3 d3 b3 e3 f3 3]);
    ctor_entries!(
        /// `Vector5::new`.
        Vector5New, [T: NaReal], SMat<T, 5, 1>, T, 5, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2, x3 d3 b3 e3 f3 3, x4 d4 b4 e4 f4 4]);
    ctor_entries!(
        /// `Vector6::new`.
        Vector6New, [T: NaReal], SMat<T, 6, 1>, T, 6, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2, x3 d3 b3 e3 f3 3, x4 d4 b4 e4 f4 4, x5 d5 b5 e5 f5 5]);
    ctor_entries!(
        /// `Point2::new`.
        Point2New, [T: NaReal], Point<T, 2>, T, 2, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1]);
    ctor_entries!(
        /// `Point3::new`.
        Point3New, [T: NaReal], Point<T, 3>, T, 3, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2]);
    ctor_entries!(
        /// `Matrix2::new` (entries row by row).
        Matrix2New, [T: NaReal], SMat<T, 2, 2>, T, 4, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2, x3 d3 b3 e3 f3 3]);
    ctor_entries!(
        /// `Matrix3::new` (entries row by row).
        Matrix3New, [T: NaReal], SMat<T, 3, 3>, T, 9, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2, x3 d3 b3 e3 f3 3, x4 d4 b4 e4 f4 4, x5 d5 b5 e5 f5 5, x6 d6 b6 e6 f6 6, x7 d7 b7 e7 f7 7, x8 d8 b8 e8 f8 8]);

    // ----- rotations: products of one-angle factors -----------------------------

    /// The elementary rotation about axis `k` (0 = x, 1 = y, 2 = z; `k = 3`
    /// for the plane) by `a`, differentiated `order` times in `a`.
    fn elem3<T: NaReal>(k: usize, a: T, order: u8) -> SMat<T, 3, 3> {
        let (s, c) = num_traits::Float::sin_cos(a);
        let (s, c) = match order % 4 {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        };
        // Derivatives of the constant 1 on the axis are 0.
        let one = if order == 0 { T::one() } else { T::zero() };
        let z = T::zero();
        match k {
            0 => SMat::<T, 3, 3>::new(one, z, z, z, c, -s, z, s, c),
            1 => SMat::<T, 3, 3>::new(c, z, s, z, one, z, -s, z, c),
            _ => SMat::<T, 3, 3>::new(c, -s, z, s, c, z, z, z, one),
        }
    }

    fn elem2<T: NaReal>(a: T, order: u8) -> SMat<T, 2, 2> {
        let (s, c) = num_traits::Float::sin_cos(a);
        let (s, c) = match order % 4 {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        };
        SMat::<T, 2, 2>::new(c, -s, s, c)
    }

    /// `Rz(yaw) Ry(pitch) Rx(roll)` with the given derivative orders.
    fn euler3<T: NaReal>(x: [T; 3], o: [u8; 3]) -> SMat<T, 3, 3> {
        elem3(2, x[2], o[2]) * elem3(1, x[1], o[1]) * elem3(0, x[0], o[0])
    }

    impl<T: NaReal> Ctor<T, 1> for Rotation<T, 2> {
        fn make(x: [T; 1]) -> Self {
            Rotation::<T, 2>::new(x[0])
        }
        fn tangent(x: [T; 1], t: [T; 1]) -> Self {
            Rotation::from_matrix_unchecked(elem2(x[0], 1) * t[0])
        }
        fn adjoint(x: [T; 1], d: &Self) -> [T; 1] {
            [elem2(x[0], 1).dot(d.matrix())]
        }
        fn adjoint_tangent(x: [T; 1], t: [T; 1], d: &Self, dd: &Self) -> [T; 1] {
            [elem2(x[0], 2).dot(d.matrix()) * t[0] + elem2(x[0], 1).dot(dd.matrix())]
        }
    }

    impl<T: NaReal> Ctor<T, 3> for Rotation<T, 3> {
        fn make(x: [T; 3]) -> Self {
            Rotation::<T, 3>::from_euler_angles(x[0], x[1], x[2])
        }
        fn tangent(x: [T; 3], t: [T; 3]) -> Self {
            let m = euler3(x, [1, 0, 0]) * t[0] + euler3(x, [0, 1, 0]) * t[1] + euler3(x, [0, 0, 1]) * t[2];
            Rotation::from_matrix_unchecked(m)
        }
        fn adjoint(x: [T; 3], d: &Self) -> [T; 3] {
            let d = d.matrix();
            [euler3(x, [1, 0, 0]).dot(d), euler3(x, [0, 1, 0]).dot(d), euler3(x, [0, 0, 1]).dot(d)]
        }
        fn adjoint_tangent(x: [T; 3], t: [T; 3], d: &Self, dd: &Self) -> [T; 3] {
            let (d, dd) = (d.matrix(), dd.matrix());
            let mut out = [T::zero(); 3];
            for (i, o) in out.iter_mut().enumerate() {
                let mut oi = [0u8; 3];
                oi[i] = 1;
                let mut acc = euler3(x, oi).dot(dd);
                for (j, tj) in t.iter().enumerate() {
                    let mut oj = oi;
                    oj[j] += 1;
                    acc += euler3(x, oj).dot(d) * *tj;
                }
                *o = acc;
            }
            out
        }
    }

    /// `q(yaw) q(pitch) q(roll)`, each `(cos a/2, sin a/2 e_k)`, with the
    /// given derivative orders.
    fn euler_q<T: NaReal>(x: [T; 3], o: [u8; 3]) -> Quaternion<T> {
        let half = T::one() / (T::one() + T::one());
        let f = |k: usize, a: T, order: u8| -> Quaternion<T> {
            let (s, c) = num_traits::Float::sin_cos(a * half);
            let (s, c) = match order % 4 {
                0 => (s, c),
                1 => (c, -s),
                2 => (-s, -c),
                _ => (-c, s),
            };
            let sc = num_traits::Float::powi(half, order as i32);
            let (s, c) = (s * sc, c * sc);
            let z = T::zero();
            match k {
                0 => Quaternion::new(c, s, z, z),
                1 => Quaternion::new(c, z, s, z),
                _ => Quaternion::new(c, z, z, s),
            }
        };
        f(2, x[2], o[2]) * f(1, x[1], o[1]) * f(0, x[0], o[0])
    }

    impl<T: NaReal> Ctor<T, 3> for UnitQuaternion<T> {
        fn make(x: [T; 3]) -> Self {
            UnitQuaternion::from_euler_angles(x[0], x[1], x[2])
        }
        fn tangent(x: [T; 3], t: [T; 3]) -> Self {
            Unit::new_unchecked(euler_q(x, [1, 0, 0]) * t[0] + euler_q(x, [0, 1, 0]) * t[1] + euler_q(x, [0, 0, 1]) * t[2])
        }
        fn adjoint(x: [T; 3], d: &Self) -> [T; 3] {
            let d = &d.as_ref().coords;
            [euler_q(x, [1, 0, 0]).coords.dot(d), euler_q(x, [0, 1, 0]).coords.dot(d), euler_q(x, [0, 0, 1]).coords.dot(d)]
        }
        fn adjoint_tangent(x: [T; 3], t: [T; 3], d: &Self, dd: &Self) -> [T; 3] {
            let (d, dd) = (&d.as_ref().coords, &dd.as_ref().coords);
            let mut out = [T::zero(); 3];
            for (i, o) in out.iter_mut().enumerate() {
                let mut oi = [0u8; 3];
                oi[i] = 1;
                let mut acc = euler_q(x, oi).coords.dot(dd);
                for (j, tj) in t.iter().enumerate() {
                    let mut oj = oi;
                    oj[j] += 1;
                    acc += euler_q(x, oj).coords.dot(d) * *tj;
                }
                *o = acc;
            }
            out
        }
    }

    ctor_entries!(
        /// `Rotation2::new(angle)`.
        Rotation2New, [T: NaReal], Rotation<T, 2>, T, 1, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [x0 d0 b0 e0 f0 0]);
    ctor_entries!(
        /// `Rotation3::from_euler_angles(roll, pitch, yaw)`.
        Rotation3FromEuler, [T: NaReal], Rotation<T, 3>, T, 3, from_euler_angles__lz_jvp, from_euler_angles__lz_fwd, from_euler_angles__lz_bwd, from_euler_angles__lz_fwd_jvp, from_euler_angles__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2]);
    ctor_entries!(
        /// `UnitQuaternion::from_euler_angles(roll, pitch, yaw)`.
        UnitQuaternionFromEuler, [T: NaReal], UnitQuaternion<T>, T, 3, from_euler_angles__lz_jvp, from_euler_angles__lz_fwd, from_euler_angles__lz_bwd, from_euler_angles__lz_fwd_jvp, from_euler_angles__lz_bwd_jvp, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2]);

    // ----- Rotation3::from_axis_angle(&axis, angle) -----------------------------
    //
    // R(a, θ) = cos θ I + sin θ [a]× + (1 - cos θ) a aᵀ (nalgebra's formula,
    // a polynomial in the axis `a`: its derivatives in `a` are those of the
    // polynomial, exact along tangents of the unit sphere).

    type V3<T> = SMat<T, 3, 1>;
    type M3<T> = SMat<T, 3, 3>;

    fn skew<T: NaReal>(u: &V3<T>) -> M3<T> {
        let z = T::zero();
        M3::new(z, -u.z, u.y, u.z, z, -u.x, -u.y, u.x, z)
    }

    /// `∂<D, [u]×>/∂u`.
    fn unskew<T: NaReal>(d: &M3<T>) -> V3<T> {
        V3::new(d[(2, 1)] - d[(1, 2)], d[(0, 2)] - d[(2, 0)], d[(1, 0)] - d[(0, 1)])
    }

    fn r_theta<T: NaReal>(a: &V3<T>, th: T, order: u8) -> M3<T> {
        let (s, c) = num_traits::Float::sin_cos(th);
        let (s1, c1) = match order % 4 {
            1 => (c, -s),
            2 => (-s, -c),
            3 => (-c, s),
            _ => (s, c),
        };
        let aat = a * a.transpose();
        // d^k/dθ^k of (1 - cos θ) is -d^k cos θ for k ≥ 1.
        let one_minus = if order == 0 { T::one() - c } else { -c1 };
        M3::identity() * c1 + skew(a) * s1 + aat * one_minus
    }

    /// The entry points of `Rotation3::from_axis_angle(&axis, angle)`.
    pub trait Rotation3FromAxisAngle: Sized {
        /// The scalar type.
        type Scalar: NaReal;
        #[doc(hidden)]
        fn from_axis_angle__lz_jvp(axis: &Unit<V3<Self::Scalar>>, daxis: impl crate::__private::TanRef<Unit<V3<Self::Scalar>>>, angle: Self::Scalar, dangle: impl TanVal<Self::Scalar>) -> (Self, Self);
        #[doc(hidden)]
        fn from_axis_angle__lz_fwd(axis: &Unit<V3<Self::Scalar>>, angle: Self::Scalar, t: &mut TapeBuf) -> Self;
        #[doc(hidden)]
        fn from_axis_angle__lz_bwd(axis: &Unit<V3<Self::Scalar>>, baxis: impl ShadowOf<Unit<V3<Self::Scalar>>>, angle: Self::Scalar, bangle: impl ShadowOf<Self::Scalar>, dout: Self, t: &mut TapeRead<'_>);
        #[doc(hidden)]
        fn from_axis_angle__lz_fwd_jvp(axis: &Unit<V3<Self::Scalar>>, daxis: impl crate::__private::TanRef<Unit<V3<Self::Scalar>>>, angle: Self::Scalar, dangle: impl TanVal<Self::Scalar>, t: &mut TapeBuf) -> (Self, Self);
        #[doc(hidden)]
        #[allow(clippy::too_many_arguments)]
        fn from_axis_angle__lz_bwd_jvp(
            axis: &Unit<V3<Self::Scalar>>,
            eaxis: impl crate::__private::TanRef<Unit<V3<Self::Scalar>>>,
            baxis: impl ShadowOf<Unit<V3<Self::Scalar>>>,
            faxis: impl ShadowOf<Unit<V3<Self::Scalar>>>,
            angle: Self::Scalar,
            eangle: impl TanVal<Self::Scalar>,
            bangle: impl ShadowOf<Self::Scalar>,
            fangle: impl ShadowOf<Self::Scalar>,
            dout: Self,
            ddout: impl TanVal<Self>,
            t: &mut TapeRead<'_>,
        ) -> ((), ());
    }

    impl<T: NaReal> Rotation3FromAxisAngle for Rotation<T, 3> {
        type Scalar = T;
        fn from_axis_angle__lz_jvp(axis: &Unit<V3<T>>, daxis: impl crate::__private::TanRef<Unit<V3<T>>>, angle: T, dangle: impl TanVal<T>) -> (Self, Self) {
            let g = crate::__private::TanRef::get(&daxis, axis);
            let u: &V3<T> = g.as_ref();
            let dth = TanVal::get(dangle, &angle);
            let a: &V3<T> = axis.as_ref();
            let (s, c) = num_traits::Float::sin_cos(angle);
            let dm = r_theta(a, angle, 1) * dth + skew(u) * s + (u * a.transpose() + a * u.transpose()) * (T::one() - c);
            (Rotation::from_axis_angle(axis, angle), Rotation::from_matrix_unchecked(dm))
        }
        fn from_axis_angle__lz_fwd(axis: &Unit<V3<T>>, angle: T, _t: &mut TapeBuf) -> Self {
            Rotation::from_axis_angle(axis, angle)
        }
        fn from_axis_angle__lz_bwd(axis: &Unit<V3<T>>, baxis: impl ShadowOf<Unit<V3<T>>>, angle: T, bangle: impl ShadowOf<T>, dout: Self, _t: &mut TapeRead<'_>) {
            let a: &V3<T> = axis.as_ref();
            let d = dout.matrix();
            let (s, c) = num_traits::Float::sin_cos(angle);
            put(bangle, &angle, r_theta(a, angle, 1).dot(d));
            let mut g = ShadowOf::get(baxis, Some(axis));
            *g.as_mut_unchecked() += unskew(d) * s + (d + d.transpose()) * a * (T::one() - c);
        }
        fn from_axis_angle__lz_fwd_jvp(axis: &Unit<V3<T>>, daxis: impl crate::__private::TanRef<Unit<V3<T>>>, angle: T, dangle: impl TanVal<T>, _t: &mut TapeBuf) -> (Self, Self) {
            Self::from_axis_angle__lz_jvp(axis, daxis, angle, dangle)
        }
        fn from_axis_angle__lz_bwd_jvp(
            axis: &Unit<V3<T>>,
            eaxis: impl crate::__private::TanRef<Unit<V3<T>>>,
            baxis: impl ShadowOf<Unit<V3<T>>>,
            faxis: impl ShadowOf<Unit<V3<T>>>,
            angle: T,
            eangle: impl TanVal<T>,
            bangle: impl ShadowOf<T>,
            fangle: impl ShadowOf<T>,
            dout: Self,
            ddout: impl TanVal<Self>,
            _t: &mut TapeRead<'_>,
        ) -> ((), ()) {
            let ge = crate::__private::TanRef::get(&eaxis, axis);
            let u: &V3<T> = ge.as_ref();
            let tth = TanVal::get(eangle, &angle);
            let ddout = TanVal::get(ddout, &dout);
            let a: &V3<T> = axis.as_ref();
            let (d, dd) = (dout.matrix(), ddout.matrix());
            let (s, c) = num_traits::Float::sin_cos(angle);
            let sym = |m: &M3<T>| m + m.transpose();
            let uat = u * a.transpose() + a * u.transpose();
            // θ adjoint and its tangent.
            let r1 = r_theta(a, angle, 1);
            let bth = r1.dot(d);
            let dbth = r1.dot(dd) + r_theta(a, angle, 2).dot(d) * tth + (skew(u) * c + uat * s).dot(d);
            put(bangle, &angle, bth);
            put(fangle, &angle, dbth);
            // Axis adjoint and its tangent.
            let ba = unskew(d) * s + sym(d) * a * (T::one() - c);
            let dba = unskew(dd) * s + sym(dd) * a * (T::one() - c) + (unskew(d) * c + sym(d) * a * s) * tth + sym(d) * u * (T::one() - c);
            let mut g = ShadowOf::get(baxis, Some(axis));
            *g.as_mut_unchecked() += ba;
            let mut h = ShadowOf::get(faxis, Some(axis));
            *h.as_mut_unchecked() += dba;
            ((), ())
        }
    }
}

/// One-argument constructors from a vector: `Point::from(v)`,
/// `Unit::new_normalize(v)`, `Unit::new_unchecked(v)`.
#[allow(non_snake_case)]
pub mod from_vector {
    use super::*;
    use crate::interop::Unary;

    macro_rules! vec_ctor {
        ($(#[$doc:meta])* $Trait:ident, [$($g:tt)*], $Self_:ty, $Arg:ty, $Rule:ty, $jvp:ident, $fwd:ident, $bwd:ident, $fj:ident, $bj:ident) => {
            $(#[$doc])*
            pub trait $Trait: Sized {
                /// The argument's type.
                type Arg: Differentiable;
                #[doc(hidden)]
                fn $jvp(v: Self::Arg, dv: impl TanVal<Self::Arg>) -> (Self, Self);
                #[doc(hidden)]
                fn $fwd(v: Self::Arg, t: &mut TapeBuf) -> Self;
                #[doc(hidden)]
                fn $bwd(v: Self::Arg, bv: impl ShadowOf<Self::Arg>, dout: Self, t: &mut TapeRead<'_>);
                #[doc(hidden)]
                fn $fj(v: Self::Arg, dv: impl TanVal<Self::Arg>, t: &mut TapeBuf) -> (Self, Self);
                #[doc(hidden)]
                fn $bj(v: Self::Arg, ev: impl TanVal<Self::Arg>, bv: impl ShadowOf<Self::Arg>, fv: impl ShadowOf<Self::Arg>, dout: Self, ddout: impl TanVal<Self>, t: &mut TapeRead<'_>) -> ((), ());
            }
            impl<$($g)*> $Trait for $Self_ {
                type Arg = $Arg;
                #[inline]
                fn $jvp(v: $Arg, dv: impl TanVal<$Arg>) -> (Self, Self) {
                    let dv = TanVal::get(dv, &v);
                    <$Rule as Unary<$Arg>>::jvp(&v, &dv)
                }
                #[inline]
                fn $fwd(v: $Arg, _t: &mut TapeBuf) -> Self {
                    <$Rule as Unary<$Arg>>::value(&v)
                }
                #[inline]
                fn $bwd(v: $Arg, bv: impl ShadowOf<$Arg>, dout: Self, _t: &mut TapeRead<'_>) {
                    let mut g = ShadowOf::get(bv, Some(&v));
                    <$Rule as Unary<$Arg>>::vjp(&v, &mut *g, &dout);
                }
                #[inline]
                fn $fj(v: $Arg, dv: impl TanVal<$Arg>, _t: &mut TapeBuf) -> (Self, Self) {
                    Self::$jvp(v, dv)
                }
                #[inline]
                fn $bj(v: $Arg, ev: impl TanVal<$Arg>, bv: impl ShadowOf<$Arg>, fv: impl ShadowOf<$Arg>, dout: Self, ddout: impl TanVal<Self>, _t: &mut TapeRead<'_>) -> ((), ()) {
                    let ev = TanVal::get(ev, &v);
                    let ddout = TanVal::get(ddout, &dout);
                    let mut g = ShadowOf::get(bv, Some(&v));
                    let mut h = ShadowOf::get(fv, Some(&v));
                    <$Rule as Unary<$Arg>>::vjp_jvp(&v, &ev, &mut *g, &mut *h, &dout, &ddout);
                    ((), ())
                }
            }
        };
    }

    /// `Point::from(v)`: the identity on the coordinates.
    #[doc(hidden)]
    pub struct PointOf;
    impl<T: NaReal, const D: usize> Unary<SMat<T, D, 1>> for PointOf {
        type Out = Point<T, D>;
        fn value(v: &SMat<T, D, 1>) -> Point<T, D> {
            Point::from(*v)
        }
        fn jvp(v: &SMat<T, D, 1>, dv: &SMat<T, D, 1>) -> (Point<T, D>, Point<T, D>) {
            (Point::from(*v), Point::from(*dv))
        }
        fn vjp(_: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, d: &Point<T, D>) {
            *bv += d.coords;
        }
        fn vjp_jvp(_: &SMat<T, D, 1>, _: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, dbv: &mut SMat<T, D, 1>, d: &Point<T, D>, dd: &Point<T, D>) {
            *bv += d.coords;
            *dbv += dd.coords;
        }
    }

    /// `Unit::new_unchecked(v)`: the identity.
    #[doc(hidden)]
    pub struct UnitOf;
    impl<T: NaReal, const D: usize> Unary<SMat<T, D, 1>> for UnitOf {
        type Out = Unit<SMat<T, D, 1>>;
        fn value(v: &SMat<T, D, 1>) -> Self::Out {
            Unit::new_unchecked(*v)
        }
        fn jvp(v: &SMat<T, D, 1>, dv: &SMat<T, D, 1>) -> (Self::Out, Self::Out) {
            (Unit::new_unchecked(*v), Unit::new_unchecked(*dv))
        }
        fn vjp(_: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, d: &Self::Out) {
            *bv += d.as_ref();
        }
        fn vjp_jvp(_: &SMat<T, D, 1>, _: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, dbv: &mut SMat<T, D, 1>, d: &Self::Out, dd: &Self::Out) {
            *bv += d.as_ref();
            *dbv += dd.as_ref();
        }
    }

    /// `Unit::new_normalize(v)`: `v / ‖v‖` (the rule of `normalize`).
    #[doc(hidden)]
    pub struct UnitNormalized;
    impl<T: NaReal, const D: usize> Unary<SMat<T, D, 1>> for UnitNormalized {
        type Out = Unit<SMat<T, D, 1>>;
        fn value(v: &SMat<T, D, 1>) -> Self::Out {
            Unit::new_normalize(*v)
        }
        fn jvp(v: &SMat<T, D, 1>, dv: &SMat<T, D, 1>) -> (Self::Out, Self::Out) {
            let (n, t) = <super::rules::SNormalize as Unary<SMat<T, D, 1>>>::jvp(v, dv);
            (Unit::new_unchecked(n), Unit::new_unchecked(t))
        }
        fn vjp(v: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, d: &Self::Out) {
            <super::rules::SNormalize as Unary<SMat<T, D, 1>>>::vjp(v, bv, d.as_ref());
        }
        fn vjp_jvp(v: &SMat<T, D, 1>, dv: &SMat<T, D, 1>, bv: &mut SMat<T, D, 1>, dbv: &mut SMat<T, D, 1>, d: &Self::Out, dd: &Self::Out) {
            <super::rules::SNormalize as Unary<SMat<T, D, 1>>>::vjp_jvp(v, dv, bv, dbv, d.as_ref(), dd.as_ref());
        }
    }

    vec_ctor!(
        /// `Point::from(v)`.
        PointFrom, [T: NaReal, const D: usize], Point<T, D>, SMat<T, D, 1>, PointOf, from__lz_jvp, from__lz_fwd, from__lz_bwd, from__lz_fwd_jvp, from__lz_bwd_jvp);
    vec_ctor!(
        /// `Unit::new_unchecked(v)`.
        UnitNewUnchecked, [T: NaReal, const D: usize], Unit<SMat<T, D, 1>>, SMat<T, D, 1>, UnitOf, new_unchecked__lz_jvp, new_unchecked__lz_fwd, new_unchecked__lz_bwd, new_unchecked__lz_fwd_jvp, new_unchecked__lz_bwd_jvp);
    vec_ctor!(
        /// `Unit::new_normalize(v)`.
        UnitNewNormalize, [T: NaReal, const D: usize], Unit<SMat<T, D, 1>>, SMat<T, D, 1>, UnitNormalized, new_normalize__lz_jvp, new_normalize__lz_fwd, new_normalize__lz_bwd, new_normalize__lz_fwd_jvp, new_normalize__lz_bwd_jvp);
}

pub use from_vector::{PointFrom, UnitNewNormalize, UnitNewUnchecked};

pub use constructors::{
    Matrix2New, Matrix3New, Point2New, Point3New, Rotation2New, Rotation3FromAxisAngle, Rotation3FromEuler, UnitQuaternionFromEuler, Vector1New, Vector2New, Vector3New, Vector4New, Vector5New, Vector6New,
};
