//! glam (feature `glam`): vectors, matrices and quaternions as values that
//! carry derivatives.
//!
//! * [`Differentiable`] and [`TapeValue`] for `Vec2`, `Vec3`, `Vec3A`,
//!   `Vec4`, `Mat2`, `Mat3`, `Mat4`, `Quat` and their `f64` twins `DVec2`,
//!   `DVec3`, `DVec4`, `DMat2`, `DMat3`, `DMat4`, `DQuat`. Tangents have
//!   the value's own type (that of a quaternion is any quaternion).
//! * Operators: vector `+`, `-` (also unary), `*` and `/` by a scalar (both
//!   sides for `*`), componentwise `*` of two vectors; matrix `+`, `-`,
//!   `*` by a scalar, matrix times vector and matrix times matrix;
//!   quaternion times vector (`q * v`, glam's `q v q*` formula); and their
//!   `+=`, `-=`, `*=`, `/=` forms.
//! * Methods (glam's take `self` by value): `dot`, `cross` (3-vectors),
//!   `length`, `length_squared`, `normalize`, `distance`,
//!   `distance_squared`, `element_sum`; matrices: `transpose`, `mul_vec2/3/4`.
//!   Components: `.x`, `.y`, `.z`, `.w`, `[i]`.
//! * Constructors called by a type path, once `use leibniz::prelude::*` is
//!   in scope: `DVec2/3/4::new`, `Vec2/3/3A/4::new`, `splat`,
//!   `DMat2::from_angle`, `DMat3::from_rotation_x/y/z`,
//!   `DQuat::from_rotation_x/y/z` (and the `f32` types'); the functions
//!   `glam::dvec2`, `dvec3`, `dvec4`, `vec2`, `vec3`, `vec4` are found by
//!   name.

use glam::{DMat2, DMat3, DMat4, DQuat, DVec2, DVec3, DVec4, Mat2, Mat3, Mat4, Quat, Vec2, Vec3, Vec3A, Vec4};

use crate::__private::ops::{AddRule, DivRule, MulRule, NegRule, SubRule};
use crate::__private::{ShadowOf, TanVal};
use crate::diff::Differentiable;
use crate::tape::{TapeBuf, TapeRead, TapeValue};

#[inline(always)]
fn acc<A: Differentiable>(dst: &mut A, x: A) {
    dst.add_assign_tangent(&x);
}

// ----- Differentiable and TapeValue ------------------------------------------

/// Values stored as a fixed array of scalars.
macro_rules! array_value {
    ($Ty:ty, $S:ty, $N:literal, |$v:ident| $to:expr, |$a:ident| $from:expr) => {
        impl Differentiable for $Ty {
            #[inline(always)]
            fn zero_like(&self) -> Self {
                let $a: [$S; $N] = [0.0; $N];
                $from
            }
            #[inline(always)]
            fn add_assign_tangent(&mut self, other: &Self) {
                let ($v, o) = (&*self, other);
                let mut $a: [$S; $N] = $to;
                let ob = {
                    let $v = o;
                    $to
                };
                for k in 0..$N {
                    $a[k] += ob[k];
                }
                *self = $from;
            }
            #[inline(always)]
            fn scale_tangent(&mut self, s: f64) {
                let $v = &*self;
                let mut $a: [$S; $N] = $to;
                for x in $a.iter_mut() {
                    *x = (*x as f64 * s) as $S;
                }
                *self = $from;
            }
            #[inline(always)]
            fn dot_tangent(&self, other: &Self) -> f64 {
                let a = {
                    let $v = self;
                    $to
                };
                let b = {
                    let $v = other;
                    $to
                };
                a.iter().zip(b.iter()).map(|(x, y)| *x as f64 * *y as f64).sum()
            }
            fn flatten_into(&self, out: &mut Vec<f64>) {
                let $v = self;
                let a: [$S; $N] = $to;
                out.extend(a.iter().map(|x| *x as f64));
            }
            fn unflatten_from(&mut self, src: &[f64]) -> usize {
                let mut $a: [$S; $N] = [0.0; $N];
                for k in 0..$N {
                    $a[k] = src[k] as $S;
                }
                *self = $from;
                $N
            }
            #[inline(always)]
            fn __dummy() -> Self {
                let $a: [$S; $N] = [0.0; $N];
                $from
            }
        }

        impl TapeValue for $Ty {
            #[inline(always)]
            fn push_to(&self, t: &mut TapeBuf) {
                let $v = self;
                let a: [$S; $N] = $to;
                for x in a {
                    x.push_to(t);
                }
            }
            #[inline(always)]
            fn pop_from(r: &mut TapeRead<'_>) -> Self {
                let mut $a: [$S; $N] = [0.0; $N];
                for k in (0..$N).rev() {
                    $a[k] = <$S as TapeValue>::pop_from(r);
                }
                $from
            }
        }
    };
}

array_value!(Vec2, f32, 2, |v| v.to_array(), |a| Vec2::from_array(a));
array_value!(Vec3, f32, 3, |v| v.to_array(), |a| Vec3::from_array(a));
array_value!(Vec3A, f32, 3, |v| v.to_array(), |a| Vec3A::from_array(a));
array_value!(Vec4, f32, 4, |v| v.to_array(), |a| Vec4::from_array(a));
array_value!(DVec2, f64, 2, |v| v.to_array(), |a| DVec2::from_array(a));
array_value!(DVec3, f64, 3, |v| v.to_array(), |a| DVec3::from_array(a));
array_value!(DVec4, f64, 4, |v| v.to_array(), |a| DVec4::from_array(a));
array_value!(Mat2, f32, 4, |v| v.to_cols_array(), |a| Mat2::from_cols_array(&a));
array_value!(Mat3, f32, 9, |v| v.to_cols_array(), |a| Mat3::from_cols_array(&a));
array_value!(Mat4, f32, 16, |v| v.to_cols_array(), |a| Mat4::from_cols_array(&a));
array_value!(DMat2, f64, 4, |v| v.to_cols_array(), |a| DMat2::from_cols_array(&a));
array_value!(DMat3, f64, 9, |v| v.to_cols_array(), |a| DMat3::from_cols_array(&a));
array_value!(DMat4, f64, 16, |v| v.to_cols_array(), |a| DMat4::from_cols_array(&a));
array_value!(Quat, f32, 4, |v| v.to_array(), |a| Quat::from_array(a));
array_value!(DQuat, f64, 4, |v| v.to_array(), |a| DQuat::from_array(a));

// ----- operator rules -----------------------------------------------------------

/// A linear operator `f(a, b)` with adjoints `la(d)`, `lb(d)`.
macro_rules! linear_rule {
    ($Rule:ident, $A:ty, $B:ty, $O:ty, |$x:ident, $y:ident| $f:expr, |$d1:ident| $la:expr, |$d2:ident| $lb:expr) => {
        impl $Rule<$B> for $A {
            type Out = $O;
            #[inline(always)]
            fn jvp(a: $A, da: $A, b: $B, db: $B) -> ($O, $O) {
                let f = |$x: $A, $y: $B| -> $O { $f };
                (f(a, b), f(da, db))
            }
            #[inline(always)]
            fn fwd(a: $A, b: $B, _: &mut TapeBuf) -> $O {
                let f = |$x: $A, $y: $B| -> $O { $f };
                f(a, b)
            }
            #[inline(always)]
            fn bwd(_: $A, ba: &mut $A, _: $B, bb: &mut $B, d: $O, _: &mut TapeRead<'_>) {
                let la = |$d1: $O| -> $A { $la };
                let lb = |$d2: $O| -> $B { $lb };
                acc(ba, la(d));
                acc(bb, lb(d));
            }
            #[inline(always)]
            fn fwd_jvp(a: $A, da: $A, b: $B, db: $B, _: &mut TapeBuf) -> ($O, $O) {
                let f = |$x: $A, $y: $B| -> $O { $f };
                (f(a, b), f(da, db))
            }
            #[inline(always)]
            fn bwd_jvp(_: $A, _: $A, ba: &mut $A, dba: &mut $A, _: $B, _: $B, bb: &mut $B, dbb: &mut $B, d: $O, dd: $O, _: &mut TapeRead<'_>) {
                let la = |$d1: $O| -> $A { $la };
                let lb = |$d2: $O| -> $B { $lb };
                acc(ba, la(d));
                acc(bb, lb(d));
                acc(dba, la(dd));
                acc(dbb, lb(dd));
            }
        }
    };
}

/// A bilinear operator `f(a, b)`: adjoint of `a` `fa(d, b)`, of `b`
/// `fb(a, d)`.
macro_rules! bilinear_rule {
    ($Rule:ident, $A:ty, $B:ty, $O:ty, |$x:ident, $y:ident| $f:expr, |$d1:ident, $b1:ident| $fa:expr, |$a2:ident, $d2:ident| $fb:expr) => {
        impl $Rule<$B> for $A {
            type Out = $O;
            #[inline(always)]
            fn jvp(a: $A, da: $A, b: $B, db: $B) -> ($O, $O) {
                let f = |$x: $A, $y: $B| -> $O { $f };
                let mut t = f(da, b);
                t.add_assign_tangent(&f(a, db));
                (f(a, b), t)
            }
            #[inline(always)]
            fn fwd(a: $A, b: $B, _: &mut TapeBuf) -> $O {
                let f = |$x: $A, $y: $B| -> $O { $f };
                f(a, b)
            }
            #[inline(always)]
            fn bwd(a: $A, ba: &mut $A, b: $B, bb: &mut $B, d: $O, _: &mut TapeRead<'_>) {
                let fa = |$d1: $O, $b1: $B| -> $A { $fa };
                let fb = |$a2: $A, $d2: $O| -> $B { $fb };
                acc(ba, fa(d, b));
                acc(bb, fb(a, d));
            }
            #[inline(always)]
            fn fwd_jvp(a: $A, da: $A, b: $B, db: $B, t: &mut TapeBuf) -> ($O, $O) {
                let _ = t;
                <$A as $Rule<$B>>::jvp(a, da, b, db)
            }
            #[inline(always)]
            fn bwd_jvp(a: $A, da: $A, ba: &mut $A, dba: &mut $A, b: $B, db: $B, bb: &mut $B, dbb: &mut $B, d: $O, dd: $O, _: &mut TapeRead<'_>) {
                let fa = |$d1: $O, $b1: $B| -> $A { $fa };
                let fb = |$a2: $A, $d2: $O| -> $B { $fb };
                acc(ba, fa(d, b));
                acc(bb, fb(a, d));
                acc(dba, fa(dd, b));
                acc(dba, fa(d, db));
                acc(dbb, fb(da, d));
                acc(dbb, fb(a, dd));
            }
        }
    };
}

macro_rules! neg_rule {
    ($A:ty) => {
        impl NegRule for $A {
            type Out = $A;
            #[inline(always)]
            fn jvp(a: $A, da: $A) -> ($A, $A) {
                (-a, -da)
            }
            #[inline(always)]
            fn fwd(a: $A, _: &mut TapeBuf) -> $A {
                -a
            }
            #[inline(always)]
            fn bwd(_: $A, ba: &mut $A, d: $A, _: &mut TapeRead<'_>) {
                acc(ba, -d);
            }
            #[inline(always)]
            fn fwd_jvp(a: $A, da: $A, _: &mut TapeBuf) -> ($A, $A) {
                (-a, -da)
            }
            #[inline(always)]
            fn bwd_jvp(_: $A, _: $A, ba: &mut $A, dba: &mut $A, d: $A, dd: $A, _: &mut TapeRead<'_>) {
                acc(ba, -d);
                acc(dba, -dd);
            }
        }
    };
}

/// `a / s` for a vector or matrix `a` and a scalar `s`.
macro_rules! div_scalar_rule {
    ($A:ty, $S:ty) => {
        impl DivRule<$S> for $A {
            type Out = $A;
            #[inline(always)]
            fn jvp(a: $A, da: $A, s: $S, ds: $S) -> ($A, $A) {
                let y = a / s;
                (y, (da - y * ds) / s)
            }
            #[inline(always)]
            fn fwd(a: $A, s: $S, _: &mut TapeBuf) -> $A {
                a / s
            }
            #[inline(always)]
            fn bwd(a: $A, ba: &mut $A, s: $S, bs: &mut $S, d: $A, _: &mut TapeRead<'_>) {
                *bs -= d.dot_tangent(&a) as $S / (s * s);
                acc(ba, d / s);
            }
            #[inline(always)]
            fn fwd_jvp(a: $A, da: $A, s: $S, ds: $S, _: &mut TapeBuf) -> ($A, $A) {
                <$A as DivRule<$S>>::jvp(a, da, s, ds)
            }
            #[inline(always)]
            fn bwd_jvp(a: $A, da: $A, ba: &mut $A, dba: &mut $A, s: $S, ds: $S, bs: &mut $S, dbs: &mut $S, d: $A, dd: $A, _: &mut TapeRead<'_>) {
                let s2 = s * s;
                let da_d = d.dot_tangent(&a) as $S;
                *bs -= da_d / s2;
                *dbs -= (dd.dot_tangent(&a) as $S + d.dot_tangent(&da) as $S) / s2 - 2.0 * da_d * ds / (s2 * s);
                acc(dba, (dd - d * (ds / s)) / s);
                acc(ba, d / s);
            }
        }
    };
}

macro_rules! vector_ops {
    ($V:ty, $S:ty) => {
        linear_rule!(AddRule, $V, $V, $V, |x, y| x + y, |d| d, |d| d);
        linear_rule!(SubRule, $V, $V, $V, |x, y| x - y, |d| d, |d| -d);
        neg_rule!($V);
        bilinear_rule!(MulRule, $V, $S, $V, |x, y| x * y, |d, b| d * b, |a, d| a.dot(d));
        bilinear_rule!(MulRule, $S, $V, $V, |x, y| x * y, |d, b| b.dot(d), |a, d| d * a);
        bilinear_rule!(MulRule, $V, $V, $V, |x, y| x * y, |d, b| d * b, |a, d| d * a);
        div_scalar_rule!($V, $S);
    };
}
vector_ops!(Vec2, f32);
vector_ops!(Vec3, f32);
vector_ops!(Vec3A, f32);
vector_ops!(Vec4, f32);
vector_ops!(DVec2, f64);
vector_ops!(DVec3, f64);
vector_ops!(DVec4, f64);

macro_rules! matrix_ops {
    ($M:ty, $V:ty, $S:ty) => {
        linear_rule!(AddRule, $M, $M, $M, |x, y| x + y, |d| d, |d| d);
        linear_rule!(SubRule, $M, $M, $M, |x, y| x - y, |d| d, |d| -d);
        neg_rule!($M);
        bilinear_rule!(MulRule, $M, $S, $M, |x, y| x * y, |d, b| d * b, |a, d| a.dot_tangent(&d) as $S);
        bilinear_rule!(MulRule, $S, $M, $M, |x, y| x * y, |d, b| b.dot_tangent(&d) as $S, |a, d| d * a);
        bilinear_rule!(MulRule, $M, $V, $V, |x, y| x * y, |d, b| outer(d, b), |a, d| a.transpose() * d);
        bilinear_rule!(MulRule, $M, $M, $M, |x, y| x * y, |d, b| d * b.transpose(), |a, d| a.transpose() * d);
        div_scalar_rule!($M, $S);
    };
}

/// `d bᵀ`.
trait Outer<V> {
    fn outer_of(d: V, b: V) -> Self;
}
fn outer<M: Outer<V>, V>(d: V, b: V) -> M {
    M::outer_of(d, b)
}
macro_rules! outer_impl {
    ($M:ident, $V:ty, [$($c:ident),+]) => {
        impl Outer<$V> for $M {
            #[inline(always)]
            fn outer_of(d: $V, b: $V) -> $M {
                $M::from_cols($(d * b.$c),+)
            }
        }
    };
}
outer_impl!(Mat2, Vec2, [x, y]);
outer_impl!(Mat3, Vec3, [x, y, z]);
outer_impl!(Mat4, Vec4, [x, y, z, w]);
outer_impl!(DMat2, DVec2, [x, y]);
outer_impl!(DMat3, DVec3, [x, y, z]);
outer_impl!(DMat4, DVec4, [x, y, z, w]);
matrix_ops!(Mat2, Vec2, f32);
matrix_ops!(Mat3, Vec3, f32);
matrix_ops!(Mat4, Vec4, f32);
matrix_ops!(DMat2, DVec2, f64);
matrix_ops!(DMat3, DVec3, f64);
matrix_ops!(DMat4, DVec4, f64);

// Quaternion times vector: y = (w² − |b|²) v + 2 (b·v) b + 2w (b × v), a
// polynomial in the quaternion `(b, w)`, linear in `v`.
macro_rules! quat_ops {
    ($Q:ident, $V:ident, $S:ty) => {
        impl MulRule<$V> for $Q {
            type Out = $V;
            #[inline]
            fn jvp(q: $Q, dq: $Q, v: $V, dv: $V) -> ($V, $V) {
                (qrot(q, v), qrot(q, dv) + qrot_dq(q, dq, v))
            }
            #[inline]
            fn fwd(q: $Q, v: $V, _: &mut TapeBuf) -> $V {
                qrot(q, v)
            }
            #[inline]
            fn bwd(q: $Q, bq: &mut $Q, v: $V, bv: &mut $V, d: $V, _: &mut TapeRead<'_>) {
                acc(bq, qrot_adj_q(q, v, d));
                acc(bv, qrot_adj_v(q, d));
            }
            #[inline]
            fn fwd_jvp(q: $Q, dq: $Q, v: $V, dv: $V, _: &mut TapeBuf) -> ($V, $V) {
                (qrot(q, v), qrot(q, dv) + qrot_dq(q, dq, v))
            }
            fn bwd_jvp(q: $Q, dq: $Q, bq: &mut $Q, dbq: &mut $Q, v: $V, dv: $V, bv: &mut $V, dbv: &mut $V, d: $V, dd: $V, _: &mut TapeRead<'_>) {
                acc(bq, qrot_adj_q(q, v, d));
                acc(bv, qrot_adj_v(q, d));
                // adj_q: quadratic... linear in q (degree 1) times (v, d):
                // its tangent along dq is adj_q(dq)-part, exact by
                // polarisation; plus the terms in dv and dd.
                let h = (qrot_adj_q(q + dq, v, d) - qrot_adj_q(q - dq, v, d)) * 0.5;
                acc(dbq, qrot_adj_q(q, dv, d) + qrot_adj_q(q, v, dd) + h);
                let g = (qrot_adj_v(q + dq, d) - qrot_adj_v(q - dq, d)) * 0.5;
                acc(dbv, qrot_adj_v(q, dd) + g);
            }
        }

        impl QRot for $Q {
            type V = $V;
            #[inline(always)]
            fn qrot(q: $Q, v: $V) -> $V {
                let w = q.w;
                let b = $V::new(q.x, q.y, q.z);
                v * (w * w - b.dot(b)) + b * (2.0 * v.dot(b)) + b.cross(v) * (2.0 * w)
            }
            #[inline(always)]
            fn qrot_dq(q: $Q, dq: $Q, v: $V) -> $V {
                let (w, dw) = (q.w, dq.w);
                let b = $V::new(q.x, q.y, q.z);
                let db = $V::new(dq.x, dq.y, dq.z);
                v * (2.0 * (w * dw - b.dot(db))) + db * (2.0 * v.dot(b)) + b * (2.0 * v.dot(db)) + db.cross(v) * (2.0 * w) + b.cross(v) * (2.0 * dw)
            }
            #[inline(always)]
            fn qrot_adj_q(q: $Q, v: $V, d: $V) -> $Q {
                let w = q.w;
                let b = $V::new(q.x, q.y, q.z);
                let bw = 2.0 * w * v.dot(d) + 2.0 * b.cross(v).dot(d);
                let bb = b * (-2.0 * v.dot(d)) + d * (2.0 * v.dot(b)) + v * (2.0 * d.dot(b)) + v.cross(d) * (2.0 * w);
                $Q::from_xyzw(bb.x, bb.y, bb.z, bw)
            }
            #[inline(always)]
            fn qrot_adj_v(q: $Q, d: $V) -> $V {
                let w = q.w;
                let b = $V::new(q.x, q.y, q.z);
                d * (w * w - b.dot(b)) + b * (2.0 * d.dot(b)) + d.cross(b) * (2.0 * w)
            }
        }
    };
}

trait QRot: Sized {
    type V;
    fn qrot(q: Self, v: Self::V) -> Self::V;
    fn qrot_dq(q: Self, dq: Self, v: Self::V) -> Self::V;
    fn qrot_adj_q(q: Self, v: Self::V, d: Self::V) -> Self;
    fn qrot_adj_v(q: Self, d: Self::V) -> Self::V;
}
fn qrot<Q: QRot>(q: Q, v: Q::V) -> Q::V {
    Q::qrot(q, v)
}
fn qrot_dq<Q: QRot>(q: Q, dq: Q, v: Q::V) -> Q::V {
    Q::qrot_dq(q, dq, v)
}
fn qrot_adj_q<Q: QRot>(q: Q, v: Q::V, d: Q::V) -> Q {
    Q::qrot_adj_q(q, v, d)
}
fn qrot_adj_v<Q: QRot>(q: Q, d: Q::V) -> Q::V {
    Q::qrot_adj_v(q, d)
}
quat_ops!(Quat, Vec3, f32);
quat_ops!(DQuat, DVec3, f64);

// ----- method rules ---------------------------------------------------------------

/// Marker types of the method rules.
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
    marker!(GDotR, GCross, GLength, GLengthSq, GNormalize, GDistance, GDistanceSq, GSum, GTranspose, GMulVec);

    macro_rules! vector_methods {
        ($V:ty, $S:ty) => {
            impl Binary<$V, $V> for GDotR {
                type Out = $S;
                #[inline(always)]
                fn value(a: &$V, b: &$V) -> $S {
                    a.dot(*b)
                }
                #[inline(always)]
                fn jvp(a: &$V, da: &$V, b: &$V, db: &$V) -> ($S, $S) {
                    (a.dot(*b), da.dot(*b) + a.dot(*db))
                }
                #[inline(always)]
                fn vjp(a: &$V, ba: &mut $V, b: &$V, bb: &mut $V, d: &$S) {
                    *ba += *b * *d;
                    *bb += *a * *d;
                }
                fn vjp_jvp(a: &$V, da: &$V, ba: &mut $V, dba: &mut $V, b: &$V, db: &$V, bb: &mut $V, dbb: &mut $V, d: &$S, dd: &$S) {
                    *ba += *b * *d;
                    *bb += *a * *d;
                    *dba += *db * *d + *b * *dd;
                    *dbb += *da * *d + *a * *dd;
                }
            }
            impl Unary<$V> for GLength {
                type Out = $S;
                #[inline(always)]
                fn value(a: &$V) -> $S {
                    a.length()
                }
                #[inline(always)]
                fn jvp(a: &$V, da: &$V) -> ($S, $S) {
                    let n = a.length();
                    (n, if n == 0.0 { 0.0 } else { a.dot(*da) / n })
                }
                #[inline(always)]
                fn vjp(a: &$V, ba: &mut $V, d: &$S) {
                    let n = a.length();
                    if n != 0.0 {
                        *ba += *a * (*d / n);
                    }
                }
                fn vjp_jvp(a: &$V, da: &$V, ba: &mut $V, dba: &mut $V, d: &$S, dd: &$S) {
                    let n = a.length();
                    if n == 0.0 {
                        return;
                    }
                    *ba += *a * (*d / n);
                    let ada = a.dot(*da);
                    *dba += *da * (*d / n) + *a * (*dd / n) - *a * (*d * ada / (n * n * n));
                }
            }
            impl Unary<$V> for GLengthSq {
                type Out = $S;
                #[inline(always)]
                fn value(a: &$V) -> $S {
                    a.length_squared()
                }
                #[inline(always)]
                fn jvp(a: &$V, da: &$V) -> ($S, $S) {
                    (a.length_squared(), 2.0 * a.dot(*da))
                }
                #[inline(always)]
                fn vjp(a: &$V, ba: &mut $V, d: &$S) {
                    *ba += *a * (2.0 * *d);
                }
                fn vjp_jvp(a: &$V, da: &$V, ba: &mut $V, dba: &mut $V, d: &$S, dd: &$S) {
                    *ba += *a * (2.0 * *d);
                    *dba += *da * (2.0 * *d) + *a * (2.0 * *dd);
                }
            }
            impl Unary<$V> for GNormalize {
                type Out = $V;
                #[inline(always)]
                fn value(a: &$V) -> $V {
                    a.normalize()
                }
                fn jvp(a: &$V, da: &$V) -> ($V, $V) {
                    let r = a.length();
                    let n = *a / r;
                    (n, (*da - n * n.dot(*da)) / r)
                }
                fn vjp(a: &$V, ba: &mut $V, d: &$V) {
                    let r = a.length();
                    let n = *a / r;
                    *ba += (*d - n * n.dot(*d)) / r;
                }
                fn vjp_jvp(a: &$V, da: &$V, ba: &mut $V, dba: &mut $V, d: &$V, dd: &$V) {
                    let r = a.length();
                    let n = *a / r;
                    let g = (*d - n * n.dot(*d)) / r;
                    *ba += g;
                    let dr = n.dot(*da);
                    let dn = (*da - n * dr) / r;
                    *dba += (*dd - dn * n.dot(*d) - n * (dn.dot(*d) + n.dot(*dd))) / r - g * (dr / r);
                }
            }
            impl Binary<$V, $V> for GDistance {
                type Out = $S;
                #[inline(always)]
                fn value(a: &$V, b: &$V) -> $S {
                    a.distance(*b)
                }
                fn jvp(a: &$V, da: &$V, b: &$V, db: &$V) -> ($S, $S) {
                    <GLength as Unary<$V>>::jvp(&(*a - *b), &(*da - *db))
                }
                fn vjp(a: &$V, ba: &mut $V, b: &$V, bb: &mut $V, d: &$S) {
                    let mut g = <$V>::ZERO;
                    <GLength as Unary<$V>>::vjp(&(*a - *b), &mut g, d);
                    *ba += g;
                    *bb -= g;
                }
                fn vjp_jvp(a: &$V, da: &$V, ba: &mut $V, dba: &mut $V, b: &$V, db: &$V, bb: &mut $V, dbb: &mut $V, d: &$S, dd: &$S) {
                    let (mut g, mut dg) = (<$V>::ZERO, <$V>::ZERO);
                    <GLength as Unary<$V>>::vjp_jvp(&(*a - *b), &(*da - *db), &mut g, &mut dg, d, dd);
                    *ba += g;
                    *bb -= g;
                    *dba += dg;
                    *dbb -= dg;
                }
            }
            impl Binary<$V, $V> for GDistanceSq {
                type Out = $S;
                #[inline(always)]
                fn value(a: &$V, b: &$V) -> $S {
                    a.distance_squared(*b)
                }
                fn jvp(a: &$V, da: &$V, b: &$V, db: &$V) -> ($S, $S) {
                    <GLengthSq as Unary<$V>>::jvp(&(*a - *b), &(*da - *db))
                }
                fn vjp(a: &$V, ba: &mut $V, b: &$V, bb: &mut $V, d: &$S) {
                    let g = (*a - *b) * (2.0 * *d);
                    *ba += g;
                    *bb -= g;
                }
                fn vjp_jvp(a: &$V, da: &$V, ba: &mut $V, dba: &mut $V, b: &$V, db: &$V, bb: &mut $V, dbb: &mut $V, d: &$S, dd: &$S) {
                    let g = (*a - *b) * (2.0 * *d);
                    let dg = (*da - *db) * (2.0 * *d) + (*a - *b) * (2.0 * *dd);
                    *ba += g;
                    *bb -= g;
                    *dba += dg;
                    *dbb -= dg;
                }
            }
            impl Unary<$V> for GSum {
                type Out = $S;
                #[inline(always)]
                fn value(a: &$V) -> $S {
                    a.element_sum()
                }
                #[inline(always)]
                fn jvp(a: &$V, da: &$V) -> ($S, $S) {
                    (a.element_sum(), da.element_sum())
                }
                #[inline(always)]
                fn vjp(_: &$V, ba: &mut $V, d: &$S) {
                    *ba += <$V>::splat(*d);
                }
                fn vjp_jvp(_: &$V, _: &$V, ba: &mut $V, dba: &mut $V, d: &$S, dd: &$S) {
                    *ba += <$V>::splat(*d);
                    *dba += <$V>::splat(*dd);
                }
            }
            crate::__lz_method_rule!(val2 "dot", GDotR, [], $V, $V, []);
            crate::__lz_method_rule!(val1 "length", GLength, [], $V, []);
            crate::__lz_method_rule!(val1 "length_squared", GLengthSq, [], $V, []);
            crate::__lz_method_rule!(val1 "normalize", GNormalize, [], $V, []);
            crate::__lz_method_rule!(val2 "distance", GDistance, [], $V, $V, []);
            crate::__lz_method_rule!(val2 "distance_squared", GDistanceSq, [], $V, $V, []);
            crate::__lz_method_rule!(val1 "element_sum", GSum, [], $V, []);
        };
    }
    vector_methods!(Vec2, f32);
    vector_methods!(Vec3, f32);
    vector_methods!(Vec3A, f32);
    vector_methods!(Vec4, f32);
    vector_methods!(DVec2, f64);
    vector_methods!(DVec3, f64);
    vector_methods!(DVec4, f64);

    macro_rules! cross_rule {
        ($V:ty) => {
            impl Binary<$V, $V> for GCross {
                type Out = $V;
                #[inline(always)]
                fn value(a: &$V, b: &$V) -> $V {
                    a.cross(*b)
                }
                #[inline(always)]
                fn jvp(a: &$V, da: &$V, b: &$V, db: &$V) -> ($V, $V) {
                    (a.cross(*b), da.cross(*b) + a.cross(*db))
                }
                #[inline(always)]
                fn vjp(a: &$V, ba: &mut $V, b: &$V, bb: &mut $V, d: &$V) {
                    *ba += b.cross(*d);
                    *bb += d.cross(*a);
                }
                fn vjp_jvp(a: &$V, da: &$V, ba: &mut $V, dba: &mut $V, b: &$V, db: &$V, bb: &mut $V, dbb: &mut $V, d: &$V, dd: &$V) {
                    *ba += b.cross(*d);
                    *bb += d.cross(*a);
                    *dba += db.cross(*d) + b.cross(*dd);
                    *dbb += dd.cross(*a) + d.cross(*da);
                }
            }
            crate::__lz_method_rule!(val2 "cross", GCross, [], $V, $V, []);
        };
    }
    cross_rule!(Vec3);
    cross_rule!(Vec3A);
    cross_rule!(DVec3);

    // Matrices: `transpose(&self)`, `mul_vecN(&self, v)`.
    macro_rules! matrix_methods {
        ($M:ty, $V:ty, $mul:literal) => {
            impl Unary<$M> for GTranspose {
                type Out = $M;
                #[inline(always)]
                fn value(a: &$M) -> $M {
                    a.transpose()
                }
                #[inline(always)]
                fn jvp(a: &$M, da: &$M) -> ($M, $M) {
                    (a.transpose(), da.transpose())
                }
                #[inline(always)]
                fn vjp(_: &$M, ba: &mut $M, d: &$M) {
                    acc(ba, d.transpose());
                }
                fn vjp_jvp(_: &$M, _: &$M, ba: &mut $M, dba: &mut $M, d: &$M, dd: &$M) {
                    acc(ba, d.transpose());
                    acc(dba, dd.transpose());
                }
            }
            impl Binary<$M, $V> for GMulVec {
                type Out = $V;
                #[inline(always)]
                fn value(a: &$M, v: &$V) -> $V {
                    *a * *v
                }
                #[inline(always)]
                fn jvp(a: &$M, da: &$M, v: &$V, dv: &$V) -> ($V, $V) {
                    (*a * *v, *da * *v + *a * *dv)
                }
                #[inline(always)]
                fn vjp(a: &$M, ba: &mut $M, v: &$V, bv: &mut $V, d: &$V) {
                    acc(ba, outer(*d, *v));
                    *bv += a.transpose() * *d;
                }
                fn vjp_jvp(a: &$M, da: &$M, ba: &mut $M, dba: &mut $M, v: &$V, dv: &$V, bv: &mut $V, dbv: &mut $V, d: &$V, dd: &$V) {
                    acc(ba, outer(*d, *v));
                    *bv += a.transpose() * *d;
                    acc(dba, outer::<$M, $V>(*dd, *v) + outer::<$M, $V>(*d, *dv));
                    *dbv += da.transpose() * *d + a.transpose() * *dd;
                }
            }
            crate::__lz_method_rule!(ref1 "transpose", GTranspose, [], $M, []);
            crate::__lz_method_rule!(refval2 $mul, GMulVec, [], $M, $V, []);
        };
    }
    matrix_methods!(Mat2, Vec2, "mul_vec2");
    matrix_methods!(Mat3, Vec3, "mul_vec3");
    matrix_methods!(Mat4, Vec4, "mul_vec4");
    matrix_methods!(DMat2, DVec2, "mul_vec2");
    matrix_methods!(DMat3, DVec3, "mul_vec3");
    matrix_methods!(DMat4, DVec4, "mul_vec4");
}

// ----- constructors by type path --------------------------------------------------

/// Constructors called by a type path (`DVec3::new(x, y, z)`,
/// `DMat2::from_angle(a)`): generated code calls their entry points at
/// that path, which these traits provide. `use leibniz::prelude::*` (or
/// `use leibniz::interop::glam::*`) brings them into scope.
#[allow(non_snake_case)]
pub mod constructors {
    use super::*;

    #[inline(always)]
    fn put<S: crate::Float>(s: impl ShadowOf<S>, x: &S, v: S) {
        let mut g = ShadowOf::get(s, Some(x));
        *g = *g + v;
    }

    /// A constructor of `Self` from `N` scalars: its value, tangent, the
    /// adjoint of its arguments and that adjoint's tangent.
    #[doc(hidden)]
    pub trait GCtor<S, const N: usize, const K: u8>: Differentiable + Sized {
        fn make(x: [S; N]) -> Self;
        fn tangent(x: [S; N], t: [S; N]) -> Self;
        fn adjoint(x: [S; N], d: &Self) -> [S; N];
        fn adjoint_tangent(x: [S; N], t: [S; N], d: &Self, dd: &Self) -> [S; N];
    }

    macro_rules! ctor_entries {
        ($(#[$doc:meta])* $Trait:ident, $Ty:ty, $S:ty, $N:literal, $K:literal, $jvp:ident, $fwd:ident, $bwd:ident, $fj:ident, $bj:ident, [$($x:ident $d:ident $b:ident $e:ident $f:ident $k:literal),+]) => {
            $(#[$doc])*
            pub trait $Trait: Sized {
                #[doc(hidden)]
                fn $jvp($($x: $S, $d: impl TanVal<$S>),+) -> (Self, Self);
                #[doc(hidden)]
                fn $fwd($($x: $S,)+ t: &mut TapeBuf) -> Self;
                #[doc(hidden)]
                fn $bwd($($x: $S, $b: impl ShadowOf<$S>,)+ dout: Self, t: &mut TapeRead<'_>);
                #[doc(hidden)]
                fn $fj($($x: $S, $d: impl TanVal<$S>,)+ t: &mut TapeBuf) -> (Self, Self);
                #[doc(hidden)]
                #[allow(clippy::too_many_arguments)]
                fn $bj($($x: $S, $e: impl TanVal<$S>, $b: impl ShadowOf<$S>, $f: impl ShadowOf<$S>,)+ dout: Self, ddout: impl TanVal<Self>, t: &mut TapeRead<'_>) -> ((), ());
            }
            impl $Trait for $Ty {
                #[inline(always)]
                fn $jvp($($x: $S, $d: impl TanVal<$S>),+) -> (Self, Self) {
                    $(let $d = TanVal::get($d, &$x);)+
                    (<Self as GCtor<$S, $N, $K>>::make([$($x),+]), <Self as GCtor<$S, $N, $K>>::tangent([$($x),+], [$($d),+]))
                }
                #[inline(always)]
                fn $fwd($($x: $S,)+ _t: &mut TapeBuf) -> Self {
                    <Self as GCtor<$S, $N, $K>>::make([$($x),+])
                }
                #[inline(always)]
                fn $bwd($($x: $S, $b: impl ShadowOf<$S>,)+ dout: Self, _t: &mut TapeRead<'_>) {
                    let a = <Self as GCtor<$S, $N, $K>>::adjoint([$($x),+], &dout);
                    $(put($b, &$x, a[$k]);)+
                }
                #[inline(always)]
                fn $fj($($x: $S, $d: impl TanVal<$S>,)+ _t: &mut TapeBuf) -> (Self, Self) {
                    Self::$jvp($($x, $d),+)
                }
                #[inline(always)]
                fn $bj($($x: $S, $e: impl TanVal<$S>, $b: impl ShadowOf<$S>, $f: impl ShadowOf<$S>,)+ dout: Self, ddout: impl TanVal<Self>, _t: &mut TapeRead<'_>) -> ((), ()) {
                    $(let $e = TanVal::get($e, &$x);)+
                    let ddout = TanVal::get(ddout, &dout);
                    let a = <Self as GCtor<$S, $N, $K>>::adjoint([$($x),+], &dout);
                    let da = <Self as GCtor<$S, $N, $K>>::adjoint_tangent([$($x),+], [$($e),+], &dout, &ddout);
                    $(put($b, &$x, a[$k]);)+
                    $(put($f, &$x, da[$k]);)+
                    ((), ())
                }
            }
        };
    }

    // `new`: linear, the components in order (K = 0); `splat` (K = 1).
    macro_rules! vec_ctors {
        ($V:ident, $S:ty, $N:literal, $New:ident, $Splat:ident, [$($x:ident $d:ident $b:ident $e:ident $f:ident $k:literal),+]) => {
            impl GCtor<$S, $N, 0> for $V {
                #[inline(always)]
                fn make(x: [$S; $N]) -> Self {
                    $V::from_array(x)
                }
                #[inline(always)]
                fn tangent(_: [$S; $N], t: [$S; $N]) -> Self {
                    $V::from_array(t)
                }
                #[inline(always)]
                fn adjoint(_: [$S; $N], d: &Self) -> [$S; $N] {
                    d.to_array()
                }
                #[inline(always)]
                fn adjoint_tangent(_: [$S; $N], _: [$S; $N], _: &Self, dd: &Self) -> [$S; $N] {
                    dd.to_array()
                }
            }
            impl GCtor<$S, 1, 1> for $V {
                #[inline(always)]
                fn make(x: [$S; 1]) -> Self {
                    $V::splat(x[0])
                }
                #[inline(always)]
                fn tangent(_: [$S; 1], t: [$S; 1]) -> Self {
                    $V::splat(t[0])
                }
                #[inline(always)]
                fn adjoint(_: [$S; 1], d: &Self) -> [$S; 1] {
                    [d.element_sum()]
                }
                #[inline(always)]
                fn adjoint_tangent(_: [$S; 1], _: [$S; 1], _: &Self, dd: &Self) -> [$S; 1] {
                    [dd.element_sum()]
                }
            }
            ctor_entries!(
                #[doc = concat!("`", stringify!($V), "::new`.")]
                $New, $V, $S, $N, 0, new__lz_jvp, new__lz_fwd, new__lz_bwd, new__lz_fwd_jvp, new__lz_bwd_jvp, [$($x $d $b $e $f $k),+]);
            ctor_entries!(
                #[doc = concat!("`", stringify!($V), "::splat`.")]
                $Splat, $V, $S, 1, 1, splat__lz_jvp, splat__lz_fwd, splat__lz_bwd, splat__lz_fwd_jvp, splat__lz_bwd_jvp, [x0 d0 b0 e0 f0 0]);
        };
    }
    vec_ctors!(Vec2, f32, 2, Vec2New, Vec2Splat, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1]);
    vec_ctors!(Vec3, f32, 3, Vec3New, Vec3Splat, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2]);
    vec_ctors!(Vec3A, f32, 3, Vec3ANew, Vec3ASplat, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2]);
    vec_ctors!(Vec4, f32, 4, Vec4New, Vec4Splat, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2, x3 d3 b3 e3 f3 3]);
    vec_ctors!(DVec2, f64, 2, DVec2New, DVec2Splat, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1]);
    vec_ctors!(DVec3, f64, 3, DVec3New, DVec3Splat, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2]);
    vec_ctors!(DVec4, f64, 4, DVec4New, DVec4Splat, [x0 d0 b0 e0 f0 0, x1 d1 b1 e1 f1 1, x2 d2 b2 e2 f2 2, x3 d3 b3 e3 f3 3]);

    // One-angle rotations: `M(a)` with `M' `, `M''` (K = 2 + axis).
    macro_rules! angle_ctor {
        ($Ty:ident, $S:ty, $K:literal, $make:ident, $Trait:ident, $jvp:ident, $fwd:ident, $bwd:ident, $fj:ident, $bj:ident, |$a:ident, $o:ident| $deriv:expr) => {
            impl GCtor<$S, 1, $K> for $Ty {
                #[inline(always)]
                fn make(x: [$S; 1]) -> Self {
                    $Ty::$make(x[0])
                }
                #[inline(always)]
                fn tangent(x: [$S; 1], t: [$S; 1]) -> Self {
                    let d = |$a: $S, $o: u8| -> $Ty { $deriv };
                    d(x[0], 1) * t[0]
                }
                #[inline(always)]
                fn adjoint(x: [$S; 1], dd: &Self) -> [$S; 1] {
                    let d = |$a: $S, $o: u8| -> $Ty { $deriv };
                    [d(x[0], 1).dot_tangent(dd) as $S]
                }
                #[inline(always)]
                fn adjoint_tangent(x: [$S; 1], t: [$S; 1], dout: &Self, ddout: &Self) -> [$S; 1] {
                    let d = |$a: $S, $o: u8| -> $Ty { $deriv };
                    [d(x[0], 2).dot_tangent(dout) as $S * t[0] + d(x[0], 1).dot_tangent(ddout) as $S]
                }
            }
            ctor_entries!(
                #[doc = concat!("`", stringify!($Ty), "::", stringify!($make), "`.")]
                $Trait, $Ty, $S, 1, $K, $jvp, $fwd, $bwd, $fj, $bj, [x0 d0 b0 e0 f0 0]);
        };
    }

    /// `(sin, cos)` of `a` differentiated `o` times.
    macro_rules! sc {
        ($a:expr, $o:expr) => {{
            let (s, c) = $a.sin_cos();
            match $o % 4 {
                0 => (s, c),
                1 => (c, -s),
                2 => (-s, -c),
                _ => (-c, s),
            }
        }};
    }

    // Angles: the matrices of glam's `from_angle` / `from_rotation_*` and the
    // quaternions of `from_rotation_*`, differentiated `o` times.
    macro_rules! rotation_ctors {
        ($S:ty, $M2:ident, $M3:ident, $Q:ident, [$M2A:ident, $M3X:ident, $M3Y:ident, $M3Z:ident, $M3A:ident, $QX:ident, $QY:ident, $QZ:ident]) => {
            angle_ctor!($M2, $S, 2, from_angle, $M2A, from_angle__lz_jvp, from_angle__lz_fwd, from_angle__lz_bwd, from_angle__lz_fwd_jvp, from_angle__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a, o);
                $M2::from_cols_array(&[c, s, -s, c])
            });
            angle_ctor!($M3, $S, 2, from_rotation_x, $M3X, from_rotation_x__lz_jvp, from_rotation_x__lz_fwd, from_rotation_x__lz_bwd, from_rotation_x__lz_fwd_jvp, from_rotation_x__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a, o);
                let one = if o == 0 { 1.0 } else { 0.0 };
                $M3::from_cols_array(&[one, 0.0, 0.0, 0.0, c, s, 0.0, -s, c])
            });
            angle_ctor!($M3, $S, 3, from_rotation_y, $M3Y, from_rotation_y__lz_jvp, from_rotation_y__lz_fwd, from_rotation_y__lz_bwd, from_rotation_y__lz_fwd_jvp, from_rotation_y__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a, o);
                let one = if o == 0 { 1.0 } else { 0.0 };
                $M3::from_cols_array(&[c, 0.0, -s, 0.0, one, 0.0, s, 0.0, c])
            });
            angle_ctor!($M3, $S, 4, from_rotation_z, $M3Z, from_rotation_z__lz_jvp, from_rotation_z__lz_fwd, from_rotation_z__lz_bwd, from_rotation_z__lz_fwd_jvp, from_rotation_z__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a, o);
                let one = if o == 0 { 1.0 } else { 0.0 };
                $M3::from_cols_array(&[c, s, 0.0, -s, c, 0.0, 0.0, 0.0, one])
            });
            angle_ctor!($M3, $S, 5, from_angle, $M3A, from_angle__lz_jvp, from_angle__lz_fwd, from_angle__lz_bwd, from_angle__lz_fwd_jvp, from_angle__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a, o);
                let one = if o == 0 { 1.0 } else { 0.0 };
                $M3::from_cols_array(&[c, s, 0.0, -s, c, 0.0, 0.0, 0.0, one])
            });
            // (sin a/2 e_k, cos a/2): each derivative brings a factor 1/2.
            angle_ctor!($Q, $S, 2, from_rotation_x, $QX, from_rotation_x__lz_jvp, from_rotation_x__lz_fwd, from_rotation_x__lz_bwd, from_rotation_x__lz_fwd_jvp, from_rotation_x__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a * 0.5, o);
                let h = (0.5 as $S).powi(o as i32);
                $Q::from_xyzw(s * h, 0.0, 0.0, c * h)
            });
            angle_ctor!($Q, $S, 3, from_rotation_y, $QY, from_rotation_y__lz_jvp, from_rotation_y__lz_fwd, from_rotation_y__lz_bwd, from_rotation_y__lz_fwd_jvp, from_rotation_y__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a * 0.5, o);
                let h = (0.5 as $S).powi(o as i32);
                $Q::from_xyzw(0.0, s * h, 0.0, c * h)
            });
            angle_ctor!($Q, $S, 4, from_rotation_z, $QZ, from_rotation_z__lz_jvp, from_rotation_z__lz_fwd, from_rotation_z__lz_bwd, from_rotation_z__lz_fwd_jvp, from_rotation_z__lz_bwd_jvp, |a, o| {
                let (s, c) = sc!(a * 0.5, o);
                let h = (0.5 as $S).powi(o as i32);
                $Q::from_xyzw(0.0, 0.0, s * h, c * h)
            });
        };
    }
    rotation_ctors!(f32, Mat2, Mat3, Quat, [Mat2FromAngle, Mat3FromRotationX, Mat3FromRotationY, Mat3FromRotationZ, Mat3FromAngle, QuatFromRotationX, QuatFromRotationY, QuatFromRotationZ]);
    rotation_ctors!(f64, DMat2, DMat3, DQuat, [DMat2FromAngle, DMat3FromRotationX, DMat3FromRotationY, DMat3FromRotationZ, DMat3FromAngle, DQuatFromRotationX, DQuatFromRotationY, DQuatFromRotationZ]);
}

pub use constructors::{
    DMat2FromAngle, DMat3FromAngle, DMat3FromRotationX, DMat3FromRotationY, DMat3FromRotationZ, DQuatFromRotationX, DQuatFromRotationY, DQuatFromRotationZ, DVec2New, DVec2Splat, DVec3New, DVec3Splat, DVec4New, DVec4Splat, Mat2FromAngle,
    Mat3FromAngle, Mat3FromRotationX, Mat3FromRotationY, Mat3FromRotationZ, QuatFromRotationX, QuatFromRotationY, QuatFromRotationZ, Vec2New, Vec2Splat, Vec3ANew, Vec3ASplat, Vec3New, Vec3Splat, Vec4New, Vec4Splat,
};
