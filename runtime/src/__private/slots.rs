//! The argument slots of the entry points differentiable functions call
//! each other through.
//!
//! A caller cannot see which of a callee's parameters are active, so every
//! parameter has a tangent (and a shadow) slot, typed by what the callee
//! expects; the caller passes its tangent, a reference to it, or the
//! symbolic zero [`ZeroTan`] for an argument that carries no derivative, and
//! these traits turn any of them into what the callee needs. `ZeroTan` costs
//! nothing for scalars; for arrays and structs the callee makes a zero of
//! the primal's shape.

use core::ops::{Deref, DerefMut};

use crate::diff::Differentiable;

/// A symbolic zero tangent or shadow.
#[derive(Clone, Copy, Debug, Default)]
pub struct ZeroTan;

/// Zeros shaped like a value, for sized types and slices.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not carry derivatives (it does not implement `leibniz::Differentiable`)",
    label = "leibniz differentiates values of this type",
    note = "derive it: `#[derive(Clone, leibniz::Differentiable)]` on the type; or mark the parameter `#[no_grad]` (or leave it out of `wrt(..)`) if it is a constant"
)]
pub trait ZeroOwned {
    type Owned: core::borrow::BorrowMut<Self>;
    fn zero_owned(&self) -> Self::Owned;
}

impl<T: Differentiable> ZeroOwned for T {
    type Owned = T;
    #[inline(always)]
    fn zero_owned(&self) -> T {
        self.zero_like()
    }
}

impl<T: Differentiable> ZeroOwned for [T] {
    type Owned = Vec<T>;
    #[inline(always)]
    fn zero_owned(&self) -> Vec<T> {
        self.iter().map(|x| x.zero_like()).collect()
    }
}

/// The tangent of a by-value parameter.
#[diagnostic::on_unimplemented(message = "leibniz: `{Self}` is not a tangent of a `{P}` argument", note = "a tangent has the type of its primal value")]
pub trait TanVal<P> {
    fn get(self, primal: &P) -> P;
}

impl<P> TanVal<P> for P {
    #[inline(always)]
    fn get(self, _: &P) -> P {
        self
    }
}

impl<P: Clone> TanVal<P> for &P {
    #[inline(always)]
    fn get(self, _: &P) -> P {
        self.clone()
    }
}

impl<P: Clone> TanVal<P> for &mut P {
    #[inline(always)]
    fn get(self, _: &P) -> P {
        self.clone()
    }
}

impl<P: Differentiable> TanVal<P> for ZeroTan {
    #[inline(always)]
    fn get(self, primal: &P) -> P {
        primal.zero_like()
    }
}

/// Either a borrowed tangent or a zero the callee made.
pub enum Guard<'a, P: ?Sized + ZeroOwned> {
    Borrowed(&'a P),
    BorrowedMut(&'a mut P),
    Owned(P::Owned),
}

impl<P: ?Sized + ZeroOwned> Deref for Guard<'_, P> {
    type Target = P;
    #[inline(always)]
    fn deref(&self) -> &P {
        match self {
            Guard::Borrowed(p) => p,
            Guard::BorrowedMut(p) => p,
            Guard::Owned(o) => core::borrow::Borrow::borrow(o),
        }
    }
}

impl<P: ?Sized + ZeroOwned> DerefMut for Guard<'_, P> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut P {
        match self {
            Guard::Borrowed(_) => panic!("leibniz: a read-only tangent was written (internal error)"),
            Guard::BorrowedMut(p) => p,
            Guard::Owned(o) => core::borrow::BorrowMut::borrow_mut(o),
        }
    }
}

/// The tangent of a `&P` parameter.
#[diagnostic::on_unimplemented(message = "leibniz: `{Self}` is not a tangent of a `&{P}` argument", note = "pass a reference to a tangent of the same shape")]
pub trait TanRef<P: ?Sized + ZeroOwned> {
    fn get<'s>(&'s self, primal: &P) -> Guard<'s, P>;
}

impl<P: ?Sized + ZeroOwned> TanRef<P> for &P {
    #[inline(always)]
    fn get<'s>(&'s self, _: &P) -> Guard<'s, P> {
        Guard::Borrowed(self)
    }
}

impl<P: ?Sized + ZeroOwned> TanRef<P> for &mut P {
    #[inline(always)]
    fn get<'s>(&'s self, _: &P) -> Guard<'s, P> {
        Guard::Borrowed(self)
    }
}

impl<T: Differentiable> TanRef<[T]> for &Vec<T> {
    #[inline(always)]
    fn get<'s>(&'s self, _: &[T]) -> Guard<'s, [T]> {
        Guard::Borrowed(self.as_slice())
    }
}

impl<T: Differentiable> TanRef<[T]> for &mut Vec<T> {
    #[inline(always)]
    fn get<'s>(&'s self, _: &[T]) -> Guard<'s, [T]> {
        Guard::Borrowed(self.as_slice())
    }
}

impl<T: Differentiable, const N: usize> TanRef<[T]> for &[T; N] {
    #[inline(always)]
    fn get<'s>(&'s self, _: &[T]) -> Guard<'s, [T]> {
        Guard::Borrowed(self.as_slice())
    }
}

impl<T: Differentiable, const N: usize> TanRef<[T]> for &mut [T; N] {
    #[inline(always)]
    fn get<'s>(&'s self, _: &[T]) -> Guard<'s, [T]> {
        Guard::Borrowed(self.as_slice())
    }
}

impl<P: ?Sized + ZeroOwned> TanRef<P> for ZeroTan {
    #[inline(always)]
    fn get<'s>(&'s self, primal: &P) -> Guard<'s, P> {
        Guard::Owned(primal.zero_owned())
    }
}

/// The tangent of a `&mut P` parameter, and the shadow of any parameter.
#[diagnostic::on_unimplemented(message = "leibniz: `{Self}` is not a shadow of a `{P}` argument", note = "pass `&mut` a value of the same shape")]
pub trait ShadowOf<P: ?Sized + ZeroOwned> {
    fn get<'s>(self, primal: Option<&P>) -> Guard<'s, P>
    where
        Self: 's;
}

impl<'a, P: ?Sized + ZeroOwned> ShadowOf<P> for &'a mut P {
    #[inline(always)]
    fn get<'s>(self, _: Option<&P>) -> Guard<'s, P>
    where
        Self: 's,
    {
        Guard::BorrowedMut(self)
    }
}

impl<'a, T: Differentiable> ShadowOf<[T]> for &'a mut Vec<T> {
    #[inline(always)]
    fn get<'s>(self, _: Option<&[T]>) -> Guard<'s, [T]>
    where
        Self: 's,
    {
        Guard::BorrowedMut(self.as_mut_slice())
    }
}

impl<'a, T: Differentiable, const N: usize> ShadowOf<[T]> for &'a mut [T; N] {
    #[inline(always)]
    fn get<'s>(self, _: Option<&[T]>) -> Guard<'s, [T]>
    where
        Self: 's,
    {
        Guard::BorrowedMut(self.as_mut_slice())
    }
}

impl<P: ?Sized + ZeroOwned> ShadowOf<P> for ZeroTan {
    #[inline(always)]
    fn get<'s>(self, primal: Option<&P>) -> Guard<'s, P> {
        match primal {
            Some(p) => Guard::Owned(p.zero_owned()),
            None => panic!("leibniz: no shadow was given for an in/out argument (internal error)"),
        }
    }
}

/// Junk slots of parameters that carry no derivatives accept anything.
pub trait AnySlot {}
impl<T> AnySlot for T {}

/// Whether field `field` of `T` is `#[no_grad]` (the value only gives the
/// type): masks of the tangents and adjoints of such fields.
#[inline(always)]
pub fn no_grad_field<T: Differentiable>(_like: &T, field: &str) -> bool {
    T::__lz_no_grad(field)
}

/// The zero of a `#[no_grad]` field in `zero_like` of a derived type: the
/// field's own zero when its type carries derivatives (a float marked
/// `#[no_grad]` is `0`, never its primal value), a copy otherwise.
pub struct ZeroProbe<'a, T>(pub &'a T);

pub trait ZeroDiff<T> {
    fn __lz_zero(&self) -> T;
}

impl<T: Differentiable> ZeroDiff<T> for &&ZeroProbe<'_, T> {
    #[inline(always)]
    fn __lz_zero(&self) -> T {
        self.0.zero_like()
    }
}

pub trait ZeroClone<T> {
    fn __lz_zero(&self) -> T;
}

impl<T: Clone> ZeroClone<T> for &ZeroProbe<'_, T> {
    #[inline(always)]
    fn __lz_zero(&self) -> T {
        self.0.clone()
    }
}

/// An integer as a float of the type of `like` (derivative rules of a
/// function that names no float type).
#[inline(always)]
pub fn int_to_f_like<I: num_traits::NumCast, F: num_traits::Float>(n: I, _like: &F) -> F {
    match F::from(n) {
        Some(x) => x,
        None => F::nan(),
    }
}

/// `x as F` where the macro does not see the type of `x` (a field, a call
/// result): a float converts and carries its derivative, an integer
/// converts and carries none. rustc picks the rule by the type of `x`.
#[diagnostic::on_unimplemented(message = "leibniz cannot convert `{Self}` to a float with `as`", note = "`as` converts numbers (integers and floats) only")]
pub trait NumCastLz: Copy + Differentiable {
    /// `self as B`.
    fn lz_cast<B: num_traits::Float>(self) -> B;
    /// The tangent of `x as B` from the tangent `t` of `x`.
    fn lz_tan<B: num_traits::Float>(t: Self) -> B;
    /// The transpose: the adjoint of `x` from the adjoint `b` of `x as B`.
    fn lz_back<B: num_traits::Float>(b: B) -> Self;
}

macro_rules! num_cast_float {
    ($($t:ty),*) => {$(
        impl NumCastLz for $t {
            #[inline(always)]
            fn lz_cast<B: num_traits::Float>(self) -> B {
                B::from(self).unwrap_or_else(B::nan)
            }
            #[inline(always)]
            fn lz_tan<B: num_traits::Float>(t: Self) -> B {
                B::from(t).unwrap_or_else(B::nan)
            }
            #[inline(always)]
            fn lz_back<B: num_traits::Float>(b: B) -> Self {
                <$t as num_traits::NumCast>::from(b).unwrap_or(<$t>::NAN)
            }
        }
    )*};
}
num_cast_float!(f32, f64);

macro_rules! num_cast_int {
    ($($t:ty),*) => {$(
        impl NumCastLz for $t {
            #[inline(always)]
            fn lz_cast<B: num_traits::Float>(self) -> B {
                B::from(self).unwrap_or_else(B::nan)
            }
            #[inline(always)]
            fn lz_tan<B: num_traits::Float>(_: Self) -> B {
                B::zero()
            }
            #[inline(always)]
            fn lz_back<B: num_traits::Float>(_: B) -> Self {
                0
            }
        }
    )*};
}
num_cast_int!(usize, isize, u8, u16, u32, u64, u128, i8, i16, i32, i64, i128);

/// The entry points of `x as B` for a `x` of a type the macro does not see
/// (called like a differentiable function; `_to` names `B`).
#[inline(always)]
pub fn num_cast<A: NumCastLz, B: num_traits::Float>(a: A, _to: core::marker::PhantomData<B>) -> B {
    a.lz_cast()
}

#[inline(always)]
#[allow(non_snake_case)]
pub fn num_cast__lz_jvp<A: NumCastLz, B: num_traits::Float>(a: A, da: impl TanVal<A>, _to: core::marker::PhantomData<B>) -> (B, B) {
    let da = da.get(&a);
    (a.lz_cast(), A::lz_tan(da))
}

#[inline(always)]
#[allow(non_snake_case)]
pub fn num_cast__lz_fwd<A: NumCastLz, B: num_traits::Float>(a: A, _to: core::marker::PhantomData<B>, _t: &mut crate::tape::TapeBuf) -> B {
    a.lz_cast()
}

#[inline(always)]
#[allow(non_snake_case)]
pub fn num_cast__lz_bwd<A: NumCastLz, B: num_traits::Float + Differentiable>(a: A, ba: impl ShadowOf<A>, _to: core::marker::PhantomData<B>, dout: impl TanVal<B>, _t: &mut crate::tape::TapeRead<'_>) {
    let dout = dout.get(&B::zero());
    let mut g = ba.get(Some(&a));
    g.add_assign_tangent(&A::lz_back(dout));
}

#[inline(always)]
#[allow(non_snake_case)]
pub fn num_cast__lz_fwd_jvp<A: NumCastLz, B: num_traits::Float>(a: A, da: impl TanVal<A>, _to: core::marker::PhantomData<B>, _t: &mut crate::tape::TapeBuf) -> (B, B) {
    let da = da.get(&a);
    (a.lz_cast(), A::lz_tan(da))
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
#[allow(non_snake_case)]
pub fn num_cast__lz_bwd_jvp<A: NumCastLz, B: num_traits::Float + Differentiable>(
    a: A,
    _da: impl TanVal<A>,
    ba: impl ShadowOf<A>,
    dba: impl ShadowOf<A>,
    _to: core::marker::PhantomData<B>,
    dout: impl TanVal<B>,
    ddout: impl TanVal<B>,
    _t: &mut crate::tape::TapeRead<'_>,
) -> ((), ()) {
    let dout = dout.get(&B::zero());
    let ddout = ddout.get(&B::zero());
    let mut g = ba.get(Some(&a));
    g.add_assign_tangent(&A::lz_back(dout));
    let mut dg = dba.get(Some(&a));
    dg.add_assign_tangent(&A::lz_back(ddout));
    ((), ())
}
