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
