//! Tapes: what the forward sweep of reverse mode stores for the backward
//! sweep.
//!
//! One [`TapeBuf`] per top-level call holds typed stacks (`f64`, `f32`,
//! words for integers and booleans, and a stack of boxed values for the rare
//! types that are none of these). Each block of the differentiated code
//! pushes the values it stores at its end; the backward sweep reads them
//! back last-first through a [`TapeRead`] cursor, which leaves the tape
//! intact so that it can be pulled back several times. Calls between
//! differentiable functions share the caller's tape (no allocation per
//! call), and recursion needs nothing special.

use std::any::Any;

/// The storage of a tape.
#[derive(Default, Clone, Debug)]
pub struct TapeBuf {
    f64s: Vec<f64>,
    f32s: Vec<f32>,
    words: Vec<u64>,
    anys: Vec<AnyBox>,
}

struct AnyBox(Box<dyn Any + Send + Sync>, fn(&(dyn Any + Send + Sync)) -> Box<dyn Any + Send + Sync>);

impl Clone for AnyBox {
    fn clone(&self) -> Self {
        AnyBox((self.1)(&*self.0), self.1)
    }
}

impl core::fmt::Debug for AnyBox {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<value>")
    }
}

impl TapeBuf {
    /// An empty tape.
    pub fn new() -> Self {
        Self::default()
    }

    /// Pushes a value.
    #[inline(always)]
    pub fn push<T: TapeValue>(&mut self, v: T) {
        v.push_to(self);
    }

    /// Room for `n` more values of each kind that is already in use.
    pub fn reserve(&mut self, n: usize) {
        self.f64s.reserve(n);
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn push_f64(&mut self, v: f64) {
        self.f64s.push(v);
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn push_f32(&mut self, v: f32) {
        self.f32s.push(v);
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn push_word(&mut self, v: u64) {
        self.words.push(v);
    }

    #[doc(hidden)]
    pub fn push_any<T: Any + Send + Sync + Clone>(&mut self, v: T) {
        fn cl<T: Any + Send + Sync + Clone>(a: &(dyn Any + Send + Sync)) -> Box<dyn Any + Send + Sync> {
            match a.downcast_ref::<T>() {
                Some(t) => Box::new(t.clone()),
                None => Box::new(()),
            }
        }
        self.anys.push(AnyBox(Box::new(v), cl::<T>));
    }

    /// Pushes the contents of an array or a value (a snapshot).
    #[inline]
    pub fn push_snapshot<P: Snapshot + ?Sized>(&mut self, p: &P) {
        p.push_snapshot(self);
    }

    /// A cursor reading the tape from its end.
    pub fn reader(&self) -> TapeRead<'_> {
        TapeRead { buf: self, f64s: self.f64s.len(), f32s: self.f32s.len(), words: self.words.len(), anys: self.anys.len() }
    }

    /// Bytes held (the capacity of every stack).
    pub fn bytes(&self) -> usize {
        self.f64s.capacity() * 8 + self.f32s.capacity() * 4 + self.words.capacity() * 8 + self.anys.capacity() * core::mem::size_of::<AnyBox>()
    }
}

/// Reads a tape backwards, last pushed first.
pub struct TapeRead<'a> {
    buf: &'a TapeBuf,
    f64s: usize,
    f32s: usize,
    words: usize,
    anys: usize,
}

impl<'a> TapeRead<'a> {
    /// Pops a value (reads it and moves the cursor before it).
    #[inline(always)]
    pub fn pop<T: TapeValue>(&mut self) -> T {
        T::pop_from(self)
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn pop_f64(&mut self) -> f64 {
        self.f64s = self.f64s.checked_sub(1).unwrap_or_else(|| exhausted());
        self.buf.f64s[self.f64s]
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn pop_f32(&mut self) -> f32 {
        self.f32s = self.f32s.checked_sub(1).unwrap_or_else(|| exhausted());
        self.buf.f32s[self.f32s]
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn pop_word(&mut self) -> u64 {
        self.words = self.words.checked_sub(1).unwrap_or_else(|| exhausted());
        self.buf.words[self.words]
    }

    #[doc(hidden)]
    pub fn pop_any<T: Any + Clone>(&mut self) -> T {
        self.anys = self.anys.checked_sub(1).unwrap_or_else(|| exhausted());
        match self.buf.anys[self.anys].0.downcast_ref::<T>() {
            Some(t) => t.clone(),
            None => panic!("leibniz: the tape holds a different type here (a tape was read by a function it was not recorded by)"),
        }
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn pop_f64_slice(&mut self, n: usize) -> &'a [f64] {
        self.f64s = self.f64s.checked_sub(n).unwrap_or_else(|| exhausted());
        &self.buf.f64s[self.f64s..self.f64s + n]
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn pop_f32_slice(&mut self, n: usize) -> &'a [f32] {
        self.f32s = self.f32s.checked_sub(n).unwrap_or_else(|| exhausted());
        &self.buf.f32s[self.f32s..self.f32s + n]
    }

    /// Pops a snapshot pushed by [`TapeBuf::push_snapshot`], shaped like
    /// `like`.
    #[inline]
    pub fn pop_snapshot_like<P: Snapshot + ?Sized>(&mut self, _like: &P) -> P::Owned {
        P::pop_snapshot(self)
    }
}

#[cold]
#[inline(never)]
fn exhausted() -> ! {
    panic!("leibniz: the tape is exhausted (a backward sweep read more than its forward sweep stored)")
}

/// Values a tape can hold.
#[diagnostic::on_unimplemented(
    message = "leibniz must keep a value of type `{Self}` for the backward sweep, and cannot store it",
    note = "derive `leibniz::Differentiable` on the type (it makes it storable), or restructure so the value is recomputed from floats, integers and inputs"
)]
pub trait TapeValue: Sized {
    /// Pushes the value.
    fn push_to(&self, t: &mut TapeBuf);
    /// Pops a value pushed by `push_to` (parts last-first).
    fn pop_from(r: &mut TapeRead<'_>) -> Self;
}

impl TapeValue for f64 {
    #[inline(always)]
    fn push_to(&self, t: &mut TapeBuf) {
        t.push_f64(*self);
    }
    #[inline(always)]
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        r.pop_f64()
    }
}

impl TapeValue for f32 {
    #[inline(always)]
    fn push_to(&self, t: &mut TapeBuf) {
        t.push_f32(*self);
    }
    #[inline(always)]
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        r.pop_f32()
    }
}

macro_rules! word_tape {
    ($($t:ty),*) => {$(
        impl TapeValue for $t {
            #[inline(always)]
            fn push_to(&self, t: &mut TapeBuf) { t.push_word(*self as u64); }
            #[inline(always)]
            fn pop_from(r: &mut TapeRead<'_>) -> Self { r.pop_word() as $t }
        }
    )*};
}
word_tape!(usize, isize, u8, u16, u32, u64, i8, i16, i32, i64);

impl TapeValue for bool {
    #[inline(always)]
    fn push_to(&self, t: &mut TapeBuf) {
        t.push_word(*self as u64);
    }
    #[inline(always)]
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        r.pop_word() != 0
    }
}

impl TapeValue for char {
    fn push_to(&self, t: &mut TapeBuf) {
        t.push_word(*self as u64);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        char::from_u32(r.pop_word() as u32).unwrap_or('\0')
    }
}

impl TapeValue for () {
    #[inline(always)]
    fn push_to(&self, _: &mut TapeBuf) {}
    #[inline(always)]
    fn pop_from(_: &mut TapeRead<'_>) -> Self {}
}

impl<T: TapeValue, const N: usize> TapeValue for [T; N] {
    fn push_to(&self, t: &mut TapeBuf) {
        for x in self {
            x.push_to(t);
        }
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        let mut v: Vec<T> = (0..N).map(|_| T::pop_from(r)).collect();
        v.reverse();
        match v.try_into() {
            Ok(a) => a,
            Err(_) => unreachable!("N elements were read"),
        }
    }
}

impl<T: TapeValue> TapeValue for Vec<T> {
    fn push_to(&self, t: &mut TapeBuf) {
        for x in self {
            x.push_to(t);
        }
        t.push_word(self.len() as u64);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        let n = r.pop_word() as usize;
        let mut v: Vec<T> = (0..n).map(|_| T::pop_from(r)).collect();
        v.reverse();
        v
    }
}

impl<T: TapeValue> TapeValue for Option<T> {
    fn push_to(&self, t: &mut TapeBuf) {
        if let Some(x) = self {
            x.push_to(t);
        }
        t.push_word(self.is_some() as u64);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        if r.pop_word() != 0 { Some(T::pop_from(r)) } else { None }
    }
}

impl<T: TapeValue> TapeValue for Box<T> {
    fn push_to(&self, t: &mut TapeBuf) {
        (**self).push_to(t);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        Box::new(T::pop_from(r))
    }
}

impl TapeValue for String {
    fn push_to(&self, t: &mut TapeBuf) {
        t.push_any(self.clone());
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        r.pop_any()
    }
}

macro_rules! tuple_tape {
    ($($n:tt $t:ident),+ ; $($r:tt)+) => {
        impl<$($t: TapeValue),+> TapeValue for ($($t,)+) {
            fn push_to(&self, t: &mut TapeBuf) { $(self.$n.push_to(t);)+ }
            fn pop_from(r: &mut TapeRead<'_>) -> Self {
                tuple_tape!(@pop r; $($r)+);
                ($($t,)+)
            }
        }
    };
    (@pop $r:ident; $($t:ident)+) => {
        $( #[allow(non_snake_case)] let $t = TapeValue::pop_from($r); )+
    };
}

#[allow(non_snake_case)]
mod tuples {
    use super::*;
    tuple_tape!(0 A; A);
    tuple_tape!(0 A, 1 B; B A);
    tuple_tape!(0 A, 1 B, 2 C; C B A);
    tuple_tape!(0 A, 1 B, 2 C, 3 D; D C B A);
    tuple_tape!(0 A, 1 B, 2 C, 3 D, 4 E; E D C B A);
    tuple_tape!(0 A, 1 B, 2 C, 3 D, 4 E, 5 G; G E D C B A);
}

/// What can be snapshotted onto a tape: arrays (slices) and values.
pub trait Snapshot {
    /// What a snapshot pops as.
    type Owned;
    #[doc(hidden)]
    fn push_snapshot(&self, t: &mut TapeBuf);
    #[doc(hidden)]
    fn pop_snapshot(r: &mut TapeRead<'_>) -> Self::Owned;
}

impl<T: TapeValue + Clone> Snapshot for [T] {
    type Owned = Vec<T>;
    fn push_snapshot(&self, t: &mut TapeBuf) {
        for x in self {
            x.push_to(t);
        }
        t.push_word(self.len() as u64);
    }
    fn pop_snapshot(r: &mut TapeRead<'_>) -> Vec<T> {
        let n = r.pop_word() as usize;
        let mut v: Vec<T> = (0..n).map(|_| T::pop_from(r)).collect();
        v.reverse();
        v
    }
}

impl<T: TapeValue + Clone> Snapshot for T {
    type Owned = T;
    fn push_snapshot(&self, t: &mut TapeBuf) {
        self.push_to(t);
    }
    fn pop_snapshot(r: &mut TapeRead<'_>) -> T {
        T::pop_from(r)
    }
}

/// A recorded reverse-mode tape: what the forward sweep of one call of a
/// `#[differentiable]` function saved for its backward sweep.
///
/// `f_record(args..)` returns `(value, tape)`; `f_pullback(&tape, shadows..,
/// dout)` runs the backward sweep for one cotangent `dout` and can be called
/// as often as needed (rows of a Jacobian, several losses) without rerunning
/// the primal.
///
/// `I` holds what the backward sweep needs of the call's arguments: the
/// by-value arguments (owned) and references to the read-only ones, in
/// parameter order. A tape of `fn f(x: &[f64], k: f64)` is a
/// `Tape<(&[f64], f64)>`: a plain type that can be stored in a struct
/// field (with the lifetime of the borrowed inputs). It is `Send` and `Sync`
/// when its inputs are.
#[derive(Clone, Debug)]
pub struct Tape<I = ()> {
    buf: TapeBuf,
    inputs: I,
}

impl<I> Tape<I> {
    #[doc(hidden)]
    pub fn __new(buf: TapeBuf, inputs: I) -> Self {
        Tape { buf, inputs }
    }

    #[doc(hidden)]
    pub fn __parts(&self) -> (&TapeBuf, &I) {
        (&self.buf, &self.inputs)
    }

    /// Bytes held by the tape: the capacity of its stacks (what was
    /// allocated, not only what was used). The inputs it borrows are not
    /// counted.
    pub fn bytes(&self) -> usize {
        self.buf.bytes()
    }
}

impl TapeRead<'_> {
    /// Pops a value of the type the (never called) witness returns.
    #[inline(always)]
    pub fn pop_like<T: TapeValue>(&mut self, _witness: impl FnOnce() -> T) -> T {
        T::pop_from(self)
    }
}
