//! Functions passed as arguments (`rk4(rhs, ..)` with `rhs: F`, `F: Fn(..)`).
//!
//! Inside the entry points of a function with a function parameter, the
//! parameter is a [`FnRef`]: the function itself and the registry key of
//! its name, through which its derivatives are found
//! (see [`registry`](super::registry)). A caller passing a function by name
//! wraps it (`fn_ref::<Key<hash("decay")>, _, _>(decay)`); users calling the
//! emitted `_jvp`/`_grad`/.. of such a function write
//! `leibniz::diff_fn!(decay)`.

use super::registry::{RuleBwd, RuleBwdJvp, RuleFwd, RuleFwdJvp, RuleJvp};
use core::marker::PhantomData;

/// A differentiable function passed as an argument: the function and the
/// key of its derivatives. `M` is inferred: the marker of the one rule or
/// `#[differentiable]` function registered under that name.
pub struct FnRef<K, M, F> {
    f: F,
    _k: PhantomData<fn() -> (K, M)>,
}

impl<K, M, F: Clone> Clone for FnRef<K, M, F> {
    fn clone(&self) -> Self {
        FnRef { f: self.f.clone(), _k: PhantomData }
    }
}

impl<K, M, F: Copy> Copy for FnRef<K, M, F> {}

/// Wraps a function for the entry points of a function taking it.
#[inline(always)]
pub fn fn_ref<K, M, F>(f: F) -> FnRef<K, M, F> {
    FnRef { f, _k: PhantomData }
}

/// The type named in messages about a function passed as an argument.
pub struct FunctionArgument;

/// Calling the function itself.
pub trait DiffFnCall<A> {
    type Out;
    fn call(&self, a: A) -> Self::Out;
    /// The function (to pass it on to primal calls).
    fn inner(&self) -> &Self::F;
    type F;
}

macro_rules! call_impls {
    ($( ($($a:ident),*) ),*) => {$(
        #[allow(non_snake_case)]
        impl<K, M, F: Fn($($a),*) -> R, R, $($a),*> DiffFnCall<($($a,)*)> for FnRef<K, M, F> {
            type Out = R;
            type F = F;
            #[inline(always)]
            fn call(&self, a: ($($a,)*)) -> R {
                let ($($a,)*) = a;
                (self.f)($($a),*)
            }
            #[inline(always)]
            fn inner(&self) -> &F {
                &self.f
            }
        }
    )*};
}
impl<T: DiffFnCall<A> + ?Sized, A> DiffFnCall<A> for &T {
    type Out = T::Out;
    type F = T::F;
    #[inline(always)]
    fn call(&self, a: A) -> Self::Out {
        (**self).call(a)
    }
    #[inline(always)]
    fn inner(&self) -> &Self::F {
        (**self).inner()
    }
}

call_impls!((), (A0), (A0, A1), (A0, A1, A2), (A0, A1, A2, A3), (A0, A1, A2, A3, A4), (A0, A1, A2, A3, A4, A5), (A0, A1, A2, A3, A4, A5, A6), (A0, A1, A2, A3, A4, A5, A6, A7));

macro_rules! mode {
    ($Tr:ident, $Rule:ident, $m:ident) => {
        /// One entry point of a function passed as an argument, its
        /// arguments as one tuple in the entry point's order.
        #[diagnostic::on_unimplemented(
            message = "the function passed here has no derivatives",
            label = "this function is passed to a parameter that is differentiated",
            note = "pass a #[differentiable] function (or one with a derivative rule), by name: `leibniz::diff_fn!(name)`"
        )]
        pub trait $Tr<A> {
            type Out;
            fn $m(&self, a: A) -> Self::Out;
        }

        #[diagnostic::do_not_recommend]
        impl<T: $Tr<A> + ?Sized, A> $Tr<A> for &T {
            type Out = T::Out;
            #[inline(always)]
            fn $m(&self, a: A) -> Self::Out {
                (**self).$m(a)
            }
        }

        #[diagnostic::do_not_recommend]
        impl<K: $Rule<M, A, FunctionArgument>, M, F, A> $Tr<A> for FnRef<K, M, F> {
            type Out = <K as $Rule<M, A, FunctionArgument>>::Out;
            #[inline(always)]
            fn $m(&self, a: A) -> Self::Out {
                <K as $Rule<M, A, FunctionArgument>>::call(a)
            }
        }
    };
}

mode!(DiffFnJvp, RuleJvp, jvp);
mode!(DiffFnFwd, RuleFwd, fwd);
mode!(DiffFnBwd, RuleBwd, bwd);
mode!(DiffFnFwdJvp, RuleFwdJvp, fwd_jvp);
mode!(DiffFnBwdJvp, RuleBwdJvp, bwd_jvp);
