//! Interop with the vector and matrix types of other crates (features
//! `nalgebra`, `glam`, `ndarray`, each off by default).
//!
//! For each crate this module implements [`Differentiable`] and
//! [`TapeValue`](crate::TapeValue) for its value types, so that they can be
//! parameters, locals and results of `#[differentiable]` functions (their
//! tangents and adjoints have their own type, as for every differentiable
//! value), the derivative rules of their arithmetic operators, and the
//! derivative rules of the methods and constructors numeric code calls
//! (`v.dot(&w)`, `v.norm()`, `Vector3::new(x, y, z)`, `Rotation2::new(a)`,
//! ..). The list per crate is in the facade's `leibniz::interop` docs.
//!
//! Method rules are registered by method name and receiver type in the
//! rule registry (`leibniz::__private::registry`), exactly like those
//! `#[leibniz::jvp_rule(method = name)]` declares, so a user's own rule for
//! a method of another type never conflicts with them. Constructors called
//! by a type path (`Vector3::new`) find their derivatives through traits
//! that `use leibniz::prelude::*` brings into scope.

use crate::diff::Differentiable;

#[cfg(feature = "glam")]
pub mod glam;
#[cfg(feature = "nalgebra")]
pub mod nalgebra;
#[cfg(feature = "ndarray")]
pub mod ndarray;

/// Derivatives of a method of one receiver, `a.m()`. Implemented by the
/// marker type of each rule; the registry implementations call it.
#[doc(hidden)]
pub trait Unary<A> {
    type Out: Differentiable;
    fn value(a: &A) -> Self::Out;
    fn jvp(a: &A, da: &A) -> (Self::Out, Self::Out);
    /// `ba += (∂m/∂a)ᵀ d`.
    fn vjp(a: &A, ba: &mut A, d: &Self::Out);
    /// `vjp` and its tangent along `(da, dd)`: `dba += d/dε (∂m/∂a)ᵀ d`.
    fn vjp_jvp(a: &A, da: &A, ba: &mut A, dba: &mut A, d: &Self::Out, dd: &Self::Out);
}

/// Derivatives of a method of a receiver and one argument, `a.m(b)`.
#[doc(hidden)]
pub trait Binary<A, B> {
    type Out: Differentiable;
    fn value(a: &A, b: &B) -> Self::Out;
    fn jvp(a: &A, da: &A, b: &B, db: &B) -> (Self::Out, Self::Out);
    fn vjp(a: &A, ba: &mut A, b: &B, bb: &mut B, d: &Self::Out);
    #[allow(clippy::too_many_arguments)]
    fn vjp_jvp(a: &A, da: &A, ba: &mut A, dba: &mut A, b: &B, db: &B, bb: &mut B, dbb: &mut B, d: &Self::Out, dd: &Self::Out);
}

/// The registry implementations of a method rule (see
/// `leibniz::__private::registry`): the five entry points of a method
/// whose receiver (and argument) are taken by reference (`ref`, nalgebra's
/// `&self` methods) or by value (`val`, glam's `self` methods), in the
/// argument layout `#[leibniz::jvp_rule(method = ..)]` registers.
#[doc(hidden)]
#[macro_export]
macro_rules! __lz_method_rule {
    (ref1 $name:literal, $R:ty, [$($g:tt)*], $A:ty, [$($w:tt)*]) => {
        $crate::__lz_method_rule!(@one $name, $R, [$($g)*], $A, [$($w)*], TanRef, &'__lza $A, a, a);
    };
    (val1 $name:literal, $R:ty, [$($g:tt)*], $A:ty, [$($w:tt)*]) => {
        $crate::__lz_method_rule!(@one $name, $R, [$($g)*], $A, [$($w)*], TanVal, &'__lza $A, a, a);
    };
    (ref2 $name:literal, $R:ty, [$($g:tt)*], $A:ty, $B:ty, [$($w:tt)*]) => {
        $crate::__lz_method_rule!(@two $name, $R, [$($g)*], $A, $B, [$($w)*], TanRef, TanRef, &'__lzb $B, b, b);
    };
    (val2 $name:literal, $R:ty, [$($g:tt)*], $A:ty, $B:ty, [$($w:tt)*]) => {
        $crate::__lz_method_rule!(@two $name, $R, [$($g)*], $A, $B, [$($w)*], TanVal, TanVal, $B, b, &b);
    };
    // Receiver by reference, argument by value (`m.mul_vec3(v)`).
    (refval2 $name:literal, $R:ty, [$($g:tt)*], $A:ty, $B:ty, [$($w:tt)*]) => {
        $crate::__lz_method_rule!(@two $name, $R, [$($g)*], $A, $B, [$($w)*], TanRef, TanVal, $B, b, &b);
    };

    (@one $name:literal, $R:ty, [$($g:tt)*], $A:ty, [$($w:tt)*], $Tan:ident, $AT:ty, $a:ident, $ar:expr) => {
        #[diagnostic::do_not_recommend]
        impl<'__lza, $($g)* __G1, __N> $crate::__private::registry::RuleJvp<$R, ($AT, __G1), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __G1: $crate::__private::$Tan<$A>, $($w)*
        {
            type Out = (<$R as $crate::interop::Unary<$A>>::Out, <$R as $crate::interop::Unary<$A>>::Out);
            #[inline(always)]
            fn call(($a, d): ($AT, __G1)) -> Self::Out {
                $crate::__lz_method_rule!(@tan $Tan, d, $ar);
                <$R as $crate::interop::Unary<$A>>::jvp($ar, &d)
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzt, $($g)* __N> $crate::__private::registry::RuleFwd<$R, ($AT, &'__lzt mut $crate::TapeBuf), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where $($w)*
        {
            type Out = <$R as $crate::interop::Unary<$A>>::Out;
            #[inline(always)]
            fn call(($a, _t): ($AT, &'__lzt mut $crate::TapeBuf)) -> Self::Out {
                <$R as $crate::interop::Unary<$A>>::value($ar)
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzt, '__lzr, $($g)* __S1, __N> $crate::__private::registry::RuleBwd<$R, ($AT, __S1, <$R as $crate::interop::Unary<$A>>::Out, &'__lzt mut $crate::TapeRead<'__lzr>), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __S1: $crate::__private::ShadowOf<$A>, $($w)*
        {
            type Out = ();
            #[inline(always)]
            fn call(($a, s, d, _t): ($AT, __S1, <$R as $crate::interop::Unary<$A>>::Out, &'__lzt mut $crate::TapeRead<'__lzr>)) {
                let mut g = $crate::__private::ShadowOf::get(s, ::core::option::Option::Some($ar));
                <$R as $crate::interop::Unary<$A>>::vjp($ar, &mut *g, &d);
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzt, $($g)* __G1, __N> $crate::__private::registry::RuleFwdJvp<$R, ($AT, __G1, &'__lzt mut $crate::TapeBuf), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __G1: $crate::__private::$Tan<$A>, $($w)*
        {
            type Out = (<$R as $crate::interop::Unary<$A>>::Out, <$R as $crate::interop::Unary<$A>>::Out);
            #[inline(always)]
            fn call(($a, d, _t): ($AT, __G1, &'__lzt mut $crate::TapeBuf)) -> Self::Out {
                $crate::__lz_method_rule!(@tan $Tan, d, $ar);
                <$R as $crate::interop::Unary<$A>>::jvp($ar, &d)
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzt, '__lzr, $($g)* __E1, __S1, __F1, __DD, __N> $crate::__private::registry::RuleBwdJvp<$R, ($AT, __E1, __S1, __F1, <$R as $crate::interop::Unary<$A>>::Out, __DD, &'__lzt mut $crate::TapeRead<'__lzr>), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __E1: $crate::__private::$Tan<$A>, __S1: $crate::__private::ShadowOf<$A>, __F1: $crate::__private::ShadowOf<$A>, __DD: $crate::__private::TanVal<<$R as $crate::interop::Unary<$A>>::Out>, $($w)*
        {
            type Out = ((), ());
            #[inline(always)]
            fn call(($a, e, s, f, d, dd, _t): ($AT, __E1, __S1, __F1, <$R as $crate::interop::Unary<$A>>::Out, __DD, &'__lzt mut $crate::TapeRead<'__lzr>)) -> ((), ()) {
                $crate::__lz_method_rule!(@tan $Tan, e, $ar);
                let dd = $crate::__private::TanVal::get(dd, &d);
                let mut g = $crate::__private::ShadowOf::get(s, ::core::option::Option::Some($ar));
                let mut h = $crate::__private::ShadowOf::get(f, ::core::option::Option::Some($ar));
                <$R as $crate::interop::Unary<$A>>::vjp_jvp($ar, &e, &mut *g, &mut *h, &d, &dd);
                ((), ())
            }
        }
    };

    (@two $name:literal, $R:ty, [$($g:tt)*], $A:ty, $B:ty, [$($w:tt)*], $Tan:ident, $TanB:ident, $BT:ty, $b:ident, $br:expr) => {
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzb, $($g)* __G1, __G3, __N> $crate::__private::registry::RuleJvp<$R, (&'__lza $A, __G1, $BT, __G3), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __G1: $crate::__private::$Tan<$A>, __G3: $crate::__private::$TanB<$B>, $($w)*
        {
            type Out = (<$R as $crate::interop::Binary<$A, $B>>::Out, <$R as $crate::interop::Binary<$A, $B>>::Out);
            #[inline(always)]
            fn call((a, da, $b, db): (&'__lza $A, __G1, $BT, __G3)) -> Self::Out {
                $crate::__lz_method_rule!(@tan $Tan, da, a);
                $crate::__lz_method_rule!(@tan $TanB, db, $br);
                <$R as $crate::interop::Binary<$A, $B>>::jvp(a, &da, $br, &db)
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzb, '__lzt, $($g)* __N> $crate::__private::registry::RuleFwd<$R, (&'__lza $A, $BT, &'__lzt mut $crate::TapeBuf), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where $($w)*
        {
            type Out = <$R as $crate::interop::Binary<$A, $B>>::Out;
            #[inline(always)]
            fn call((a, $b, _t): (&'__lza $A, $BT, &'__lzt mut $crate::TapeBuf)) -> Self::Out {
                <$R as $crate::interop::Binary<$A, $B>>::value(a, $br)
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzb, '__lzt, '__lzr, $($g)* __S1, __S3, __N> $crate::__private::registry::RuleBwd<$R, (&'__lza $A, __S1, $BT, __S3, <$R as $crate::interop::Binary<$A, $B>>::Out, &'__lzt mut $crate::TapeRead<'__lzr>), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __S1: $crate::__private::ShadowOf<$A>, __S3: $crate::__private::ShadowOf<$B>, $($w)*
        {
            type Out = ();
            #[inline(always)]
            fn call((a, sa, $b, sb, d, _t): (&'__lza $A, __S1, $BT, __S3, <$R as $crate::interop::Binary<$A, $B>>::Out, &'__lzt mut $crate::TapeRead<'__lzr>)) {
                let mut ga = $crate::__private::ShadowOf::get(sa, ::core::option::Option::Some(a));
                let mut gb = $crate::__private::ShadowOf::get(sb, ::core::option::Option::Some($br));
                <$R as $crate::interop::Binary<$A, $B>>::vjp(a, &mut *ga, $br, &mut *gb, &d);
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzb, '__lzt, $($g)* __G1, __G3, __N> $crate::__private::registry::RuleFwdJvp<$R, (&'__lza $A, __G1, $BT, __G3, &'__lzt mut $crate::TapeBuf), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __G1: $crate::__private::$Tan<$A>, __G3: $crate::__private::$TanB<$B>, $($w)*
        {
            type Out = (<$R as $crate::interop::Binary<$A, $B>>::Out, <$R as $crate::interop::Binary<$A, $B>>::Out);
            #[inline(always)]
            fn call((a, da, $b, db, _t): (&'__lza $A, __G1, $BT, __G3, &'__lzt mut $crate::TapeBuf)) -> Self::Out {
                $crate::__lz_method_rule!(@tan $Tan, da, a);
                $crate::__lz_method_rule!(@tan $TanB, db, $br);
                <$R as $crate::interop::Binary<$A, $B>>::jvp(a, &da, $br, &db)
            }
        }
        #[diagnostic::do_not_recommend]
        impl<'__lza, '__lzb, '__lzt, '__lzr, $($g)* __E1, __S1, __F1, __E3, __S3, __F3, __DD, __N> $crate::__private::registry::RuleBwdJvp<$R, (&'__lza $A, __E1, __S1, __F1, $BT, __E3, __S3, __F3, <$R as $crate::interop::Binary<$A, $B>>::Out, __DD, &'__lzt mut $crate::TapeRead<'__lzr>), __N> for $crate::__private::registry::MethodKey<{ $crate::__private::registry::key($name) }>
        where __E1: $crate::__private::$Tan<$A>, __S1: $crate::__private::ShadowOf<$A>, __F1: $crate::__private::ShadowOf<$A>,
              __E3: $crate::__private::$TanB<$B>, __S3: $crate::__private::ShadowOf<$B>, __F3: $crate::__private::ShadowOf<$B>,
              __DD: $crate::__private::TanVal<<$R as $crate::interop::Binary<$A, $B>>::Out>, $($w)*
        {
            type Out = ((), ());
            #[inline(always)]
            #[allow(clippy::too_many_arguments)]
            fn call((a, ea, sa, fa, $b, eb, sb, fb, d, dd, _t): (&'__lza $A, __E1, __S1, __F1, $BT, __E3, __S3, __F3, <$R as $crate::interop::Binary<$A, $B>>::Out, __DD, &'__lzt mut $crate::TapeRead<'__lzr>)) -> ((), ()) {
                $crate::__lz_method_rule!(@tan $Tan, ea, a);
                $crate::__lz_method_rule!(@tan $TanB, eb, $br);
                let dd = $crate::__private::TanVal::get(dd, &d);
                let mut ga = $crate::__private::ShadowOf::get(sa, ::core::option::Option::Some(a));
                let mut ha = $crate::__private::ShadowOf::get(fa, ::core::option::Option::Some(a));
                let mut gb = $crate::__private::ShadowOf::get(sb, ::core::option::Option::Some($br));
                let mut hb = $crate::__private::ShadowOf::get(fb, ::core::option::Option::Some($br));
                <$R as $crate::interop::Binary<$A, $B>>::vjp_jvp(a, &ea, &mut *ga, &mut *ha, $br, &eb, &mut *gb, &mut *hb, &d, &dd);
                ((), ())
            }
        }
    };

    // A tangent slot as a value of the primal's type.
    (@tan TanRef, $d:ident, $p:expr) => {
        let $d = $crate::__private::TanRef::get(&$d, $p);
        let $d = &*$d;
    };
    (@tan TanVal, $d:ident, $p:expr) => {
        let $d = $crate::__private::TanVal::get($d, $p);
        let $d = &$d;
    };
}
