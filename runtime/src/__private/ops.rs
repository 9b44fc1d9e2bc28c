//! Operators on values whose type the macro does not see (`a * b` where `a`
//! is a struct field): the emitted code calls these entry points, and rustc
//! picks the rule by the operand types: the float rules below, zero
//! derivatives for integers, or the rules `#[differentiable]` emits for a
//! user's operator impl (`impl Mul<f64> for Vec3`).

#![allow(non_snake_case)]

use super::slots::{ShadowOf, TanVal};
use crate::diff::Differentiable;
use crate::tape::{TapeBuf, TapeRead};

macro_rules! rule_trait {
    ($Rule:ident, $Std:ident, $method:ident, $name:ident, $jvp:ident, $fwd:ident, $bwd:ident, $fwd_jvp:ident, $bwd_jvp:ident, $what:literal, $msg:literal, $note:literal) => {
        #[doc = concat!("Derivatives of `", $what, "` for values of these types.")]
        #[diagnostic::on_unimplemented(message = $msg, label = "this operation is differentiated", note = $note)]
        pub trait $Rule<Rhs>: Sized {
            type Out;
            fn jvp(a: Self, da: Self, b: Rhs, db: Rhs) -> (Self::Out, Self::Out);
            fn fwd(a: Self, b: Rhs, t: &mut TapeBuf) -> Self::Out;
            fn bwd(a: Self, ba: &mut Self, b: Rhs, bb: &mut Rhs, dout: Self::Out, t: &mut TapeRead<'_>);
            /// The forward sweep with tangents (second order).
            fn fwd_jvp(a: Self, da: Self, b: Rhs, db: Rhs, t: &mut TapeBuf) -> (Self::Out, Self::Out);
            /// The backward sweep with tangents (second order).
            #[allow(clippy::too_many_arguments)]
            fn bwd_jvp(a: Self, da: Self, ba: &mut Self, dba: &mut Self, b: Rhs, db: Rhs, bb: &mut Rhs, dbb: &mut Rhs, dout: Self::Out, ddout: Self::Out, t: &mut TapeRead<'_>);
        }

        #[inline(always)]
        pub fn $name<A: core::ops::$Std<B>, B>(a: A, b: B) -> A::Output {
            core::ops::$Std::$method(a, b)
        }

        #[inline(always)]
        pub fn $jvp<A: $Rule<B> + Clone, B: Clone>(a: A, da: impl TanVal<A>, b: B, db: impl TanVal<B>) -> (A::Out, A::Out) {
            let da = da.get(&a);
            let db = db.get(&b);
            A::jvp(a, da, b, db)
        }

        #[inline(always)]
        pub fn $fwd<A: $Rule<B>, B>(a: A, b: B, t: &mut TapeBuf) -> A::Out {
            A::fwd(a, b, t)
        }

        #[inline(always)]
        pub fn $bwd<A: $Rule<B> + Differentiable, B: Differentiable>(a: A, ba: impl ShadowOf<A>, b: B, bb: impl ShadowOf<B>, dout: A::Out, t: &mut TapeRead<'_>) {
            let mut ga = ba.get(Some(&a));
            let mut gb = bb.get(Some(&b));
            A::bwd(a, &mut ga, b, &mut gb, dout, t)
        }

        #[inline(always)]
        pub fn $fwd_jvp<A: $Rule<B> + Clone, B: Clone>(a: A, da: impl TanVal<A>, b: B, db: impl TanVal<B>, t: &mut TapeBuf) -> (A::Out, A::Out) {
            let da = da.get(&a);
            let db = db.get(&b);
            A::fwd_jvp(a, da, b, db, t)
        }

        #[inline(always)]
        #[allow(clippy::too_many_arguments)]
        pub fn $bwd_jvp<A: $Rule<B> + Differentiable, B: Differentiable>(a: A, da: impl TanVal<A>, ba: impl ShadowOf<A>, dba: impl ShadowOf<A>, b: B, db: impl TanVal<B>, bb: impl ShadowOf<B>, dbb: impl ShadowOf<B>, dout: A::Out, ddout: impl TanVal<A::Out>, t: &mut TapeRead<'_>) -> ((), ()) {
            let da = da.get(&a);
            let db = db.get(&b);
            let ddout = ddout.get(&dout);
            let mut ga = ba.get(Some(&a));
            let mut gda = dba.get(Some(&a));
            let mut gb = bb.get(Some(&b));
            let mut gdb = dbb.get(Some(&b));
            A::bwd_jvp(a, da, &mut ga, &mut gda, b, db, &mut gb, &mut gdb, dout, ddout, t);
            ((), ())
        }
    };
}

rule_trait!(AddRule, Add, add, add, add__lz_jvp, add__lz_fwd, add__lz_bwd, add__lz_fwd_jvp, add__lz_bwd_jvp, "+", "leibniz has no derivative for `{Self} + {Rhs}`", "put #[differentiable] on the `impl Add` of `{Self}` so that leibniz sees its derivative");
rule_trait!(SubRule, Sub, sub, sub, sub__lz_jvp, sub__lz_fwd, sub__lz_bwd, sub__lz_fwd_jvp, sub__lz_bwd_jvp, "-", "leibniz has no derivative for `{Self} - {Rhs}`", "put #[differentiable] on the `impl Sub` of `{Self}` so that leibniz sees its derivative");
rule_trait!(MulRule, Mul, mul, mul, mul__lz_jvp, mul__lz_fwd, mul__lz_bwd, mul__lz_fwd_jvp, mul__lz_bwd_jvp, "*", "leibniz has no derivative for `{Self} * {Rhs}`", "put #[differentiable] on the `impl Mul` of `{Self}` so that leibniz sees its derivative");
rule_trait!(DivRule, Div, div, div, div__lz_jvp, div__lz_fwd, div__lz_bwd, div__lz_fwd_jvp, div__lz_bwd_jvp, "/", "leibniz has no derivative for `{Self} / {Rhs}`", "put #[differentiable] on the `impl Div` of `{Self}` so that leibniz sees its derivative");
rule_trait!(RemRule, Rem, rem, rem, rem__lz_jvp, rem__lz_fwd, rem__lz_bwd, rem__lz_fwd_jvp, rem__lz_bwd_jvp, "%", "leibniz has no derivative for `{Self} % {Rhs}`", "put #[differentiable] on the `impl Rem` of `{Self}` so that leibniz sees its derivative");

/// Derivatives of unary `-`.
#[diagnostic::on_unimplemented(message = "leibniz has no derivative for `-{Self}`", note = "put #[differentiable] on the `impl Neg` of `{Self}`")]
pub trait NegRule: Sized {
    type Out;
    fn jvp(a: Self, da: Self) -> (Self::Out, Self::Out);
    fn fwd(a: Self, t: &mut TapeBuf) -> Self::Out;
    fn bwd(a: Self, ba: &mut Self, dout: Self::Out, t: &mut TapeRead<'_>);
    /// The forward sweep with tangents (second order).
    fn fwd_jvp(a: Self, da: Self, t: &mut TapeBuf) -> (Self::Out, Self::Out);
    /// The backward sweep with tangents (second order).
    fn bwd_jvp(a: Self, da: Self, ba: &mut Self, dba: &mut Self, dout: Self::Out, ddout: Self::Out, t: &mut TapeRead<'_>);
}

#[inline(always)]
pub fn neg<A: core::ops::Neg>(a: A) -> A::Output {
    -a
}

#[inline(always)]
pub fn neg__lz_jvp<A: NegRule + Clone>(a: A, da: impl TanVal<A>) -> (A::Out, A::Out) {
    let da = da.get(&a);
    A::jvp(a, da)
}

#[inline(always)]
pub fn neg__lz_fwd<A: NegRule>(a: A, t: &mut TapeBuf) -> A::Out {
    A::fwd(a, t)
}

#[inline(always)]
pub fn neg__lz_bwd<A: NegRule + Differentiable>(a: A, ba: impl ShadowOf<A>, dout: A::Out, t: &mut TapeRead<'_>) {
    let mut ga = ba.get(Some(&a));
    A::bwd(a, &mut ga, dout, t)
}

#[inline(always)]
pub fn neg__lz_fwd_jvp<A: NegRule + Clone>(a: A, da: impl TanVal<A>, t: &mut TapeBuf) -> (A::Out, A::Out) {
    let da = da.get(&a);
    A::fwd_jvp(a, da, t)
}

#[inline(always)]
pub fn neg__lz_bwd_jvp<A: NegRule + Differentiable>(a: A, da: impl TanVal<A>, ba: impl ShadowOf<A>, dba: impl ShadowOf<A>, dout: A::Out, ddout: impl TanVal<A::Out>, t: &mut TapeRead<'_>) -> ((), ()) {
    let da = da.get(&a);
    let ddout = ddout.get(&dout);
    let mut ga = ba.get(Some(&a));
    let mut gda = dba.get(Some(&a));
    A::bwd_jvp(a, da, &mut ga, &mut gda, dout, ddout, t);
    ((), ())
}

// Compound assignment on values of unknown type: `a op= b` is `a = a op b`.
macro_rules! assign_op {
    ($name:ident, $jvp:ident, $fwd:ident, $bwd:ident, $fwd_jvp:ident, $bwd_jvp:ident, $Rule:ident, $Std:ident, $method:ident) => {
        #[inline(always)]
        pub fn $name<A: core::ops::$Std<B>, B>(mut a: A, b: B) -> A {
            core::ops::$Std::$method(&mut a, b);
            a
        }
        #[inline(always)]
        pub fn $jvp<A: $Rule<B, Out = A> + Clone, B: Clone>(a: A, da: impl TanVal<A>, b: B, db: impl TanVal<B>) -> (A, A) {
            let da = da.get(&a);
            let db = db.get(&b);
            A::jvp(a, da, b, db)
        }
        #[inline(always)]
        pub fn $fwd<A: $Rule<B, Out = A>, B>(a: A, b: B, t: &mut TapeBuf) -> A {
            A::fwd(a, b, t)
        }
        #[inline(always)]
        pub fn $bwd<A: $Rule<B, Out = A> + Differentiable, B: Differentiable>(a: A, ba: impl ShadowOf<A>, b: B, bb: impl ShadowOf<B>, dout: A, t: &mut TapeRead<'_>) {
            let mut ga = ba.get(Some(&a));
            let mut gb = bb.get(Some(&b));
            A::bwd(a, &mut ga, b, &mut gb, dout, t)
        }
        #[inline(always)]
        pub fn $fwd_jvp<A: $Rule<B, Out = A> + Clone, B: Clone>(a: A, da: impl TanVal<A>, b: B, db: impl TanVal<B>, t: &mut TapeBuf) -> (A, A) {
            let da = da.get(&a);
            let db = db.get(&b);
            A::fwd_jvp(a, da, b, db, t)
        }
        #[inline(always)]
        #[allow(clippy::too_many_arguments)]
        pub fn $bwd_jvp<A: $Rule<B, Out = A> + Differentiable, B: Differentiable>(a: A, da: impl TanVal<A>, ba: impl ShadowOf<A>, dba: impl ShadowOf<A>, b: B, db: impl TanVal<B>, bb: impl ShadowOf<B>, dbb: impl ShadowOf<B>, dout: A, ddout: impl TanVal<A>, t: &mut TapeRead<'_>) -> ((), ()) {
            let da = da.get(&a);
            let db = db.get(&b);
            let ddout = ddout.get(&dout);
            let mut ga = ba.get(Some(&a));
            let mut gda = dba.get(Some(&a));
            let mut gb = bb.get(Some(&b));
            let mut gdb = dbb.get(Some(&b));
            A::bwd_jvp(a, da, &mut ga, &mut gda, b, db, &mut gb, &mut gdb, dout, ddout, t);
            ((), ())
        }
    };
}

assign_op!(add_assign, add_assign__lz_jvp, add_assign__lz_fwd, add_assign__lz_bwd, add_assign__lz_fwd_jvp, add_assign__lz_bwd_jvp, AddRule, AddAssign, add_assign);
assign_op!(sub_assign, sub_assign__lz_jvp, sub_assign__lz_fwd, sub_assign__lz_bwd, sub_assign__lz_fwd_jvp, sub_assign__lz_bwd_jvp, SubRule, SubAssign, sub_assign);
assign_op!(mul_assign, mul_assign__lz_jvp, mul_assign__lz_fwd, mul_assign__lz_bwd, mul_assign__lz_fwd_jvp, mul_assign__lz_bwd_jvp, MulRule, MulAssign, mul_assign);
assign_op!(div_assign, div_assign__lz_jvp, div_assign__lz_fwd, div_assign__lz_bwd, div_assign__lz_fwd_jvp, div_assign__lz_bwd_jvp, DivRule, DivAssign, div_assign);

// ----- floats -------------------------------------------------------------

impl<T: crate::Float> AddRule<T> for T {
    type Out = T;
    #[inline(always)]
    fn jvp(a: T, da: T, b: T, db: T) -> (T, T) {
        (a + b, da + db)
    }
    #[inline(always)]
    fn fwd(a: T, b: T, _: &mut TapeBuf) -> T {
        a + b
    }
    #[inline(always)]
    fn bwd(_: T, ba: &mut T, _: T, bb: &mut T, d: T, _: &mut TapeRead<'_>) {
        *ba = *ba + d;
        *bb = *bb + d;
    }
    #[inline(always)]
    fn fwd_jvp(a: T, da: T, b: T, db: T, _: &mut TapeBuf) -> (T, T) {
        (a + b, da + db)
    }
    #[inline(always)]
    fn bwd_jvp(_: T, _: T, ba: &mut T, dba: &mut T, _: T, _: T, bb: &mut T, dbb: &mut T, d: T, dd: T, _: &mut TapeRead<'_>) {
        *ba = *ba + d;
        *bb = *bb + d;
        *dba = *dba + dd;
        *dbb = *dbb + dd;
    }
}

impl<T: crate::Float> SubRule<T> for T {
    type Out = T;
    #[inline(always)]
    fn jvp(a: T, da: T, b: T, db: T) -> (T, T) {
        (a - b, da - db)
    }
    #[inline(always)]
    fn fwd(a: T, b: T, _: &mut TapeBuf) -> T {
        a - b
    }
    #[inline(always)]
    fn bwd(_: T, ba: &mut T, _: T, bb: &mut T, d: T, _: &mut TapeRead<'_>) {
        *ba = *ba + d;
        *bb = *bb - d;
    }
    #[inline(always)]
    fn fwd_jvp(a: T, da: T, b: T, db: T, _: &mut TapeBuf) -> (T, T) {
        (a - b, da - db)
    }
    #[inline(always)]
    fn bwd_jvp(_: T, _: T, ba: &mut T, dba: &mut T, _: T, _: T, bb: &mut T, dbb: &mut T, d: T, dd: T, _: &mut TapeRead<'_>) {
        *ba = *ba + d;
        *bb = *bb - d;
        *dba = *dba + dd;
        *dbb = *dbb - dd;
    }
}

impl<T: crate::Float> MulRule<T> for T {
    type Out = T;
    #[inline(always)]
    fn jvp(a: T, da: T, b: T, db: T) -> (T, T) {
        (a * b, da * b + a * db)
    }
    #[inline(always)]
    fn fwd(a: T, b: T, _: &mut TapeBuf) -> T {
        a * b
    }
    #[inline(always)]
    fn bwd(a: T, ba: &mut T, b: T, bb: &mut T, d: T, _: &mut TapeRead<'_>) {
        *ba = *ba + d * b;
        *bb = *bb + d * a;
    }
    #[inline(always)]
    fn fwd_jvp(a: T, da: T, b: T, db: T, _: &mut TapeBuf) -> (T, T) {
        (a * b, da * b + a * db)
    }
    #[inline(always)]
    fn bwd_jvp(a: T, da: T, ba: &mut T, dba: &mut T, b: T, db: T, bb: &mut T, dbb: &mut T, d: T, dd: T, _: &mut TapeRead<'_>) {
        *ba = *ba + d * b;
        *bb = *bb + d * a;
        *dba = *dba + dd * b + d * db;
        *dbb = *dbb + dd * a + d * da;
    }
}

impl<T: crate::Float> DivRule<T> for T {
    type Out = T;
    #[inline(always)]
    fn jvp(a: T, da: T, b: T, db: T) -> (T, T) {
        let y = a / b;
        (y, super::ldiv0(da, b) - super::lmul0(y / b, db))
    }
    #[inline(always)]
    fn fwd(a: T, b: T, _: &mut TapeBuf) -> T {
        a / b
    }
    #[inline(always)]
    fn bwd(a: T, ba: &mut T, b: T, bb: &mut T, d: T, _: &mut TapeRead<'_>) {
        let y = a / b;
        *ba = *ba + super::ldiv0(d, b);
        *bb = *bb - super::lmul0(y / b, d);
    }
    #[inline(always)]
    fn fwd_jvp(a: T, da: T, b: T, db: T, _: &mut TapeBuf) -> (T, T) {
        let y = a / b;
        (y, super::ldiv0(da, b) - super::lmul0(y / b, db))
    }
    #[inline(always)]
    fn bwd_jvp(a: T, da: T, ba: &mut T, dba: &mut T, b: T, db: T, bb: &mut T, dbb: &mut T, d: T, dd: T, _: &mut TapeRead<'_>) {
        // ba += d/b, bb -= (a/b²)·d and their tangents along (da, db, dd):
        // d(d/b) = dd/b - d·db/b², d(a/b²) = (da - 2(a/b)·db)/b².
        let y = a / b;
        let q = y / b;
        let two = T::one() + T::one();
        let dq = (da - two * y * db) / (b * b);
        *ba = *ba + super::ldiv0(d, b);
        *bb = *bb - super::lmul0(q, d);
        *dba = *dba + super::ldiv0(dd, b) - super::lmul0(db / (b * b), d);
        *dbb = *dbb - super::lmul0(q, dd) - super::lmul0(dq, d);
    }
}

impl<T: crate::Float> RemRule<T> for T {
    type Out = T;
    #[inline(always)]
    fn jvp(a: T, da: T, b: T, db: T) -> (T, T) {
        (a % b, da - (a / b).trunc() * db)
    }
    #[inline(always)]
    fn fwd(a: T, b: T, _: &mut TapeBuf) -> T {
        a % b
    }
    #[inline(always)]
    fn bwd(a: T, ba: &mut T, b: T, bb: &mut T, d: T, _: &mut TapeRead<'_>) {
        *ba = *ba + d;
        *bb = *bb - (a / b).trunc() * d;
    }
    #[inline(always)]
    fn fwd_jvp(a: T, da: T, b: T, db: T, _: &mut TapeBuf) -> (T, T) {
        (a % b, da - (a / b).trunc() * db)
    }
    #[inline(always)]
    fn bwd_jvp(a: T, _: T, ba: &mut T, dba: &mut T, b: T, _: T, bb: &mut T, dbb: &mut T, d: T, dd: T, _: &mut TapeRead<'_>) {
        let q = (a / b).trunc();
        *ba = *ba + d;
        *bb = *bb - q * d;
        *dba = *dba + dd;
        *dbb = *dbb - q * dd;
    }
}

impl<T: crate::Float> NegRule for T {
    type Out = T;
    #[inline(always)]
    fn jvp(a: T, da: T) -> (T, T) {
        (-a, -da)
    }
    #[inline(always)]
    fn fwd(a: T, _: &mut TapeBuf) -> T {
        -a
    }
    #[inline(always)]
    fn bwd(_: T, ba: &mut T, d: T, _: &mut TapeRead<'_>) {
        *ba = *ba - d;
    }
    #[inline(always)]
    fn fwd_jvp(a: T, da: T, _: &mut TapeBuf) -> (T, T) {
        (-a, -da)
    }
    #[inline(always)]
    fn bwd_jvp(_: T, _: T, ba: &mut T, dba: &mut T, d: T, dd: T, _: &mut TapeRead<'_>) {
        *ba = *ba - d;
        *dba = *dba - dd;
    }
}

// ----- integers: no derivatives -----------------------------------------

macro_rules! int_rules {
    ($($t:ty),*) => {$(
        impl AddRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a + b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a + b }
            #[inline(always)] fn fwd_jvp(a: $t, _: $t, b: $t, _: $t, _: &mut TapeBuf) -> ($t, $t) { (a + b, 0) }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
            #[inline(always)] fn bwd_jvp(_: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl SubRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a - b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a - b }
            #[inline(always)] fn fwd_jvp(a: $t, _: $t, b: $t, _: $t, _: &mut TapeBuf) -> ($t, $t) { (a - b, 0) }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
            #[inline(always)] fn bwd_jvp(_: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl MulRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a * b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a * b }
            #[inline(always)] fn fwd_jvp(a: $t, _: $t, b: $t, _: $t, _: &mut TapeBuf) -> ($t, $t) { (a * b, 0) }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
            #[inline(always)] fn bwd_jvp(_: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl DivRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a / b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a / b }
            #[inline(always)] fn fwd_jvp(a: $t, _: $t, b: $t, _: $t, _: &mut TapeBuf) -> ($t, $t) { (a / b, 0) }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
            #[inline(always)] fn bwd_jvp(_: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl RemRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a % b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a % b }
            #[inline(always)] fn fwd_jvp(a: $t, _: $t, b: $t, _: $t, _: &mut TapeBuf) -> ($t, $t) { (a % b, 0) }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
            #[inline(always)] fn bwd_jvp(_: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut TapeRead<'_>) {}
        }
    )*};
}
int_rules!(usize, isize, u8, u16, u32, u64, u128, i8, i16, i32, i64, i128);

macro_rules! int_neg {
    ($($t:ty),*) => {$(
        impl NegRule for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t) -> ($t, $t) { (-a, 0) }
            #[inline(always)] fn fwd(a: $t, _: &mut TapeBuf) -> $t { -a }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
            #[inline(always)] fn fwd_jvp(a: $t, _: $t, _: &mut TapeBuf) -> ($t, $t) { (-a, 0) }
            #[inline(always)] fn bwd_jvp(_: $t, _: $t, _: &mut $t, _: &mut $t, _: $t, _: $t, _: &mut TapeRead<'_>) {}
        }
    )*};
}
int_neg!(isize, i8, i16, i32, i64, i128);

// ----- accumulation helpers of the backward sweep --------------------------

/// `dst += Σ src[i]` (the adjoint of the fill value of `vec![x; n]`).
#[inline(always)]
pub fn acc_sum<T: Differentiable>(dst: &mut T, src: &[T]) {
    for x in src {
        dst.add_assign_tangent(x);
    }
}

/// The tangent of `acc_sum` (it is linear): `ddst += Σ dsrc[i]`.
#[inline(always)]
pub fn acc_sum__lz_jvp<T: Differentiable>(dst: &mut T, ddst: impl ShadowOf<T>, src: &[T], dsrc: impl super::TanRef<[T]>) -> ((), ()) {
    let mut g = ddst.get(Some(&*dst));
    let ds = super::TanRef::get(&dsrc, src);
    acc_sum(&mut *g, &ds);
    acc_sum(dst, src);
    ((), ())
}

// ----- scalar factors of custom rules ----------------------------------------

/// The types a tangent may be multiplied by in a custom JVP rule whose
/// reverse mode leibniz derives: scalars (the transpose of `c · t` is
/// `c · t̄` only when `c` is a scalar).
#[diagnostic::on_unimplemented(
    message = "in a custom JVP rule, a tangent is multiplied by a `{Self}`, which is not a scalar",
    label = "leibniz transposes `c * dt` as `c * adjoint`, which is right for scalars only",
    note = "write the product componentwise, or write a `#[leibniz::vjp_rule]` for this function"
)]
pub trait Scalar: Copy {}
impl<T: crate::Float> Scalar for T {}

/// A scalar factor, checked to be one.
#[inline(always)]
pub fn scalar<T: Scalar>(x: T) -> T {
    x
}
#[inline(always)]
pub fn scalar__lz_jvp<T: Scalar + Differentiable>(x: T, dx: impl TanVal<T>) -> (T, T) {
    let d = dx.get(&x);
    (x, d)
}
#[inline(always)]
pub fn scalar__lz_fwd<T: Scalar>(x: T, _: &mut TapeBuf) -> T {
    x
}
#[inline(always)]
pub fn scalar__lz_bwd<T: Scalar + Differentiable>(x: T, bx: impl ShadowOf<T>, d: T, _: &mut TapeRead<'_>) {
    let mut g = bx.get(Some(&x));
    g.add_assign_tangent(&d);
}
#[inline(always)]
pub fn scalar__lz_fwd_jvp<T: Scalar + Differentiable>(x: T, dx: impl TanVal<T>, _: &mut TapeBuf) -> (T, T) {
    let d = dx.get(&x);
    (x, d)
}
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub fn scalar__lz_bwd_jvp<T: Scalar + Differentiable>(x: T, _dx: impl TanVal<T>, bx: impl ShadowOf<T>, dbx: impl ShadowOf<T>, d: T, dd: impl TanVal<T>, _: &mut TapeRead<'_>) -> ((), ()) {
    let dd = dd.get(&d);
    let mut g = bx.get(Some(&x));
    g.add_assign_tangent(&d);
    let mut dg = dbx.get(Some(&x));
    dg.add_assign_tangent(&dd);
    ((), ())
}
