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
    ($Rule:ident, $Std:ident, $method:ident, $name:ident, $jvp:ident, $fwd:ident, $bwd:ident, $what:literal, $msg:literal, $note:literal) => {
        #[doc = concat!("Derivatives of `", $what, "` for values of these types.")]
        #[diagnostic::on_unimplemented(message = $msg, label = "this operation is differentiated", note = $note)]
        pub trait $Rule<Rhs>: Sized {
            type Out;
            fn jvp(a: Self, da: Self, b: Rhs, db: Rhs) -> (Self::Out, Self::Out);
            fn fwd(a: Self, b: Rhs, t: &mut TapeBuf) -> Self::Out;
            fn bwd(a: Self, ba: &mut Self, b: Rhs, bb: &mut Rhs, dout: Self::Out, t: &mut TapeRead<'_>);
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
    };
}

rule_trait!(AddRule, Add, add, add, add__lz_jvp, add__lz_fwd, add__lz_bwd, "+", "leibniz has no derivative for `{Self} + {Rhs}`", "put #[differentiable] on the `impl Add` of `{Self}` so that leibniz sees its derivative");
rule_trait!(SubRule, Sub, sub, sub, sub__lz_jvp, sub__lz_fwd, sub__lz_bwd, "-", "leibniz has no derivative for `{Self} - {Rhs}`", "put #[differentiable] on the `impl Sub` of `{Self}` so that leibniz sees its derivative");
rule_trait!(MulRule, Mul, mul, mul, mul__lz_jvp, mul__lz_fwd, mul__lz_bwd, "*", "leibniz has no derivative for `{Self} * {Rhs}`", "put #[differentiable] on the `impl Mul` of `{Self}` so that leibniz sees its derivative");
rule_trait!(DivRule, Div, div, div, div__lz_jvp, div__lz_fwd, div__lz_bwd, "/", "leibniz has no derivative for `{Self} / {Rhs}`", "put #[differentiable] on the `impl Div` of `{Self}` so that leibniz sees its derivative");
rule_trait!(RemRule, Rem, rem, rem, rem__lz_jvp, rem__lz_fwd, rem__lz_bwd, "%", "leibniz has no derivative for `{Self} % {Rhs}`", "put #[differentiable] on the `impl Rem` of `{Self}` so that leibniz sees its derivative");

/// Derivatives of unary `-`.
#[diagnostic::on_unimplemented(message = "leibniz has no derivative for `-{Self}`", note = "put #[differentiable] on the `impl Neg` of `{Self}`")]
pub trait NegRule: Sized {
    type Out;
    fn jvp(a: Self, da: Self) -> (Self::Out, Self::Out);
    fn fwd(a: Self, t: &mut TapeBuf) -> Self::Out;
    fn bwd(a: Self, ba: &mut Self, dout: Self::Out, t: &mut TapeRead<'_>);
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

// Compound assignment on values of unknown type: `a op= b` is `a = a op b`.
macro_rules! assign_op {
    ($name:ident, $jvp:ident, $fwd:ident, $bwd:ident, $Rule:ident, $Std:ident, $method:ident) => {
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
    };
}

assign_op!(add_assign, add_assign__lz_jvp, add_assign__lz_fwd, add_assign__lz_bwd, AddRule, AddAssign, add_assign);
assign_op!(sub_assign, sub_assign__lz_jvp, sub_assign__lz_fwd, sub_assign__lz_bwd, SubRule, SubAssign, sub_assign);
assign_op!(mul_assign, mul_assign__lz_jvp, mul_assign__lz_fwd, mul_assign__lz_bwd, MulRule, MulAssign, mul_assign);
assign_op!(div_assign, div_assign__lz_jvp, div_assign__lz_fwd, div_assign__lz_bwd, DivRule, DivAssign, div_assign);

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
}

// ----- integers: no derivatives -----------------------------------------

macro_rules! int_rules {
    ($($t:ty),*) => {$(
        impl AddRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a + b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a + b }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl SubRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a - b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a - b }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl MulRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a * b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a * b }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl DivRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a / b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a / b }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
        }
        impl RemRule<$t> for $t {
            type Out = $t;
            #[inline(always)] fn jvp(a: $t, _: $t, b: $t, _: $t) -> ($t, $t) { (a % b, 0) }
            #[inline(always)] fn fwd(a: $t, b: $t, _: &mut TapeBuf) -> $t { a % b }
            #[inline(always)] fn bwd(_: $t, _: &mut $t, _: $t, _: &mut $t, _: $t, _: &mut TapeRead<'_>) {}
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
