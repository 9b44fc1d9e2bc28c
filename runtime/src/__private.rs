//! Items the code emitted by `#[differentiable]` refers to. Not public API.

pub use num_traits::{Float, NumCast, One, PrimInt, Zero};

pub use crate::diff::Differentiable;
pub use crate::tape::{Action, Revolve, Snapshot, TapeBuf, TapeMark, TapePop, TapeRead, TapeValue};

pub mod ops;
pub mod higher;
pub mod registry;
mod difffn;
pub use difffn::*;
mod slots;
mod unchecked;
pub use unchecked::*;
pub use slots::*;

/// A float constant in the function's float type (generic code cannot
/// write `2.0` for a `T: Float`).
#[inline(always)]
pub fn lit<F: Float>(v: f64) -> F {
    match F::from(v) {
        Some(x) => x,
        None => F::nan(),
    }
}

/// The zero tangent of a value.
#[inline(always)]
pub fn zero_like<T: Differentiable>(x: &T) -> T {
    x.zero_like()
}

/// `*dst += src` on derivative-carrying parts.
#[inline(always)]
pub fn acc<T: Accumulate + ?Sized>(dst: &mut T, src: &T) {
    dst.accumulate(src);
}

/// Accumulation into values and into slices of them.
pub trait Accumulate {
    fn accumulate(&mut self, src: &Self);
}

impl<T: Differentiable> Accumulate for T {
    #[inline(always)]
    fn accumulate(&mut self, src: &Self) {
        self.add_assign_tangent(src);
    }
}

impl<T: Differentiable> Accumulate for [T] {
    #[inline(always)]
    fn accumulate(&mut self, src: &Self) {
        assert_eq!(self.len(), src.len(), "leibniz: accumulating adjoints of different lengths");
        for (a, b) in self.iter_mut().zip(src) {
            a.add_assign_tangent(b);
        }
    }
}

/// A placeholder for slots assigned before they are read.
#[inline(always)]
pub fn dummy<T: Differentiable>() -> T {
    T::__dummy()
}

/// A slice copied into an array of its length `N` (panics on another
/// length, as `<[T; N]>::try_from(..).unwrap()` does).
#[inline(always)]
pub fn to_array<T: Clone, const N: usize>(x: &[T]) -> [T; N] {
    assert_eq!(x.len(), N, "leibniz: a slice of length {} converted to an array of length {N}", x.len());
    core::array::from_fn(|i| x[i].clone())
}

/// An owned copy of what a place holds (`Vec` for slices).
#[inline(always)]
pub fn to_owned<T: ToOwnedLz + ?Sized>(x: &T) -> T::Owned {
    x.to_owned_lz()
}

pub trait ToOwnedLz {
    type Owned;
    fn to_owned_lz(&self) -> Self::Owned;
}

impl<T: Clone> ToOwnedLz for T {
    type Owned = T;
    #[inline(always)]
    fn to_owned_lz(&self) -> T {
        self.clone()
    }
}

impl<T: Clone> ToOwnedLz for [T] {
    type Owned = Vec<T>;
    #[inline(always)]
    fn to_owned_lz(&self) -> Vec<T> {
        self.to_vec()
    }
}

/// A `&mut T` typed like an argument of a type witness (a closure that is
/// never called, only read for its result type): borrows `x` shared, so
/// that several such arguments of one call, or one kept across a loop, do
/// not conflict as `&mut` borrows would.
#[inline(always)]
pub fn witness_mut<T: ?Sized>(_x: &T) -> &mut T {
    unreachable!("leibniz: a type witness is never called")
}

/// `N` disjoint sub-slices `s[lo..hi]` of one slice, borrowed `&mut`
/// together (the `&mut` arguments of one call that a `split_at_mut` made
/// disjoint in the user's code); `hi == usize::MAX` is the end. Panics on
/// overlapping or out-of-range bounds, as slicing would.
pub fn disjoint_mut<'a, T, const N: usize>(s: &'a mut [T], ranges: [(usize, usize); N]) -> [&'a mut [T]; N] {
    let len = s.len();
    let ranges = ranges.map(|(lo, hi)| (lo, if hi == usize::MAX { len } else { hi }));
    let mut order: [usize; N] = core::array::from_fn(|k| k);
    order.sort_unstable_by_key(|&k| ranges[k]);
    let mut out: [Option<&'a mut [T]>; N] = core::array::from_fn(|_| None);
    let mut rest = s;
    let mut at = 0;
    for k in order {
        let (lo, hi) = ranges[k];
        assert!(at <= lo && lo <= hi && hi <= len, "leibniz: `&mut` sub-slices {:?} of one slice of length {len} overlap or are out of range", ranges);
        let tail = core::mem::take(&mut rest);
        let (_, tail) = tail.split_at_mut(lo - at);
        let (mid, tail) = tail.split_at_mut(hi - lo);
        out[k] = Some(mid);
        rest = tail;
        at = hi;
    }
    out.map(|o| o.unwrap_or_default())
}

/// Zeros shaped like what a place holds.
#[inline(always)]
pub fn zero_owned<T: ZeroOwned + ?Sized>(x: &T) -> T::Owned {
    x.zero_owned()
}

/// Removes and returns the last element (the transpose of `push`).
#[inline(always)]
#[track_caller]
pub fn pop_back<T>(v: &mut Vec<T>) -> T {
    match v.pop() {
        Some(x) => x,
        None => panic!("leibniz: an adjoint vector is shorter than its primal (internal error)"),
    }
}

// ----- derivative helpers (primitives of the rule registry) ---------------

/// Partial of `abs`: abs'(0) = 0.
#[inline(always)]
pub fn sign0<F: Float>(a: F) -> F {
    if a > F::zero() {
        F::one()
    } else if a < F::zero() {
        -F::one()
    } else {
        F::zero()
    }
}

/// 1 where `max(a, b)` picks `a` (ties and a NaN `b` pick `a`), else 0.
#[inline(always)]
pub fn pick_max<F: Float>(a: F, b: F) -> F {
    if a >= b || b.is_nan() { F::one() } else { F::zero() }
}

/// 1 where `min(a, b)` picks `a`, else 0.
#[inline(always)]
pub fn pick_min<F: Float>(a: F, b: F) -> F {
    if a <= b || b.is_nan() { F::one() } else { F::zero() }
}

#[inline(always)]
pub fn clamp_dx<F: Float>(a: F, lo: F, hi: F) -> F {
    if !(a < lo) && !(a > hi) { F::one() } else { F::zero() }
}

#[inline(always)]
pub fn clamp_dlo<F: Float>(a: F, lo: F, _hi: F) -> F {
    if a < lo { F::one() } else { F::zero() }
}

#[inline(always)]
pub fn clamp_dhi<F: Float>(a: F, lo: F, hi: F) -> F {
    if !(a < lo) && a > hi { F::one() } else { F::zero() }
}

/// `x / y`, but 0 where `y == 0`.
#[inline(always)]
pub fn div0<F: Float>(x: F, y: F) -> F {
    if y == F::zero() { F::zero() } else { x / y }
}

/// `x · y`, but 0 where either is 0.
#[inline(always)]
pub fn mul0<F: Float>(x: F, y: F) -> F {
    if x == F::zero() || y == F::zero() { F::zero() } else { x * y }
}

/// `ln a`, but 0 where `y == 0` (the partial of `powf` in the exponent
/// at a zero result).
#[inline(always)]
pub fn ln0<F: Float>(a: F, y: F) -> F {
    if y == F::zero() { F::zero() } else { a.ln() }
}

/// `∂(aⁿ)/∂a = n·a^(n-1)`.
#[inline(always)]
pub fn dpowi<F: Float>(a: F, n: i32) -> F {
    if n == 0 { F::zero() } else { lit::<F>(n as f64) * a.powi(n - 1) }
}

/// The smallest `|a|` for which [`dpowi_y`] reuses an underflowed `aⁿ`.
pub const POWI_REUSE_MIN: f64 = 1.0 / 65536.0;

/// `∂(aⁿ)/∂a` from the result `y = aⁿ`: `n·(y/a)`, which reuses the primal's
/// `powi` instead of computing `a^(n-1)` a second time, else `n·a^(n-1)`.
///
/// `n·(y/a)` is used where `a ≠ 0`, `y` is finite, and either `y` is a
/// normal number (then `y/a` is `a^(n-1)` to rounding) or `|a| ≥ 2⁻¹⁶`.
/// In the second case `aⁿ` underflowed (`|y|` below the smallest normal
/// number), so the true derivative is below `|n|·2¹⁶` smallest-normals
/// (< 2⁻⁹⁷⁵ in `f64`, < 2⁻⁷⁹ in `f32`) and `n·(y/a)` is within that of
/// it: a derivative that small is zero for every sum it enters. Where `a`
/// is tinier, or `y` overflowed, `n·a^(n-1)` is computed.
#[inline(always)]
pub fn dpowi_y<F: Float>(a: F, y: F, n: i32) -> F {
    let reuse = a != F::zero() && y.is_finite() && (y.is_normal() || a.abs() >= lit::<F>(POWI_REUSE_MIN));
    if reuse { lit::<F>(n as f64) * (y / a) } else { dpowi_cold(a, n) }
}

/// [`dpowi`] out of line: LLVM treats `powi` as free to speculate and
/// would otherwise compute it on both arms of [`dpowi_y`]'s branch.
#[cold]
#[inline(never)]
fn dpowi_cold<F: Float>(a: F, n: i32) -> F {
    dpowi(a, n)
}

/// `∂(a^b)/∂a = b·a^(b-1)`, 0 where `b == 0`.
#[inline(always)]
pub fn dpowf_base<F: Float>(a: F, b: F) -> F {
    if b == F::zero() { F::zero() } else { b * a.powf(b - F::one()) }
}

/// `∂(a^b)/∂b = a^b·ln a`, 0 where `a^b == 0`.
#[inline(always)]
pub fn dpowf_exp<F: Float>(a: F, y: F) -> F {
    if y == F::zero() { F::zero() } else { y * a.ln() }
}

/// `√((1-a)(1+a))`: no cancellation near |a| = 1.
#[inline(always)]
pub fn sqrt_one_minus_sq<F: Float>(a: F) -> F {
    ((F::one() - a) * (F::one() + a)).sqrt()
}

/// `√(a-1)·√(a+1)`: no overflow at large `a`.
#[inline(always)]
pub fn sqrt_sq_minus_one<F: Float>(a: F) -> F {
    (a - F::one()).sqrt() * (a + F::one()).sqrt()
}

/// `(1-a)(1+a)`.
#[inline(always)]
pub fn one_minus_sq<F: Float>(a: F) -> F {
    (F::one() - a) * (F::one() + a)
}

/// `1/(1+a²)` without overflow at large |a|.
#[inline(always)]
pub fn datan<F: Float>(a: F) -> F {
    if a.abs() > F::one() {
        let r = a.recip();
        r * r / (F::one() + r * r)
    } else {
        F::one() / (F::one() + a * a)
    }
}

/// Partial of `copysign(a, b)` in `a`.
#[inline(always)]
pub fn dcopysign<F: Float>(a: F, b: F) -> F {
    let s = |x: F| if x.is_sign_negative() { -F::one() } else { F::one() };
    s(a) * s(b)
}

/// Float remainder `a % b`.
#[inline(always)]
pub fn rem<F: Float>(a: F, b: F) -> F {
    a % b
}

/// `c · t`, 0 where `t == 0` (a zero tangent stays zero even where the
/// partial `c` is infinite or NaN).
#[inline(always)]
pub fn lmul0<F: Float>(c: F, t: F) -> F {
    if t == F::zero() { F::zero() } else { c * t }
}

/// `t / c`, 0 where `t == 0`.
#[inline(always)]
pub fn ldiv0<F: Float>(t: F, c: F) -> F {
    if t == F::zero() { F::zero() } else { t / c }
}

/// The tangent of a cast between float types.
#[inline(always)]
pub fn tan_cast<A: NumCast, B: NumCast + Float>(t: A) -> B {
    match B::from(t) {
        Some(b) => b,
        None => B::nan(),
    }
}

/// An integer as a float.
#[inline(always)]
pub fn int_to_f<I: NumCast, F: Float>(n: I) -> F {
    match F::from(n) {
        Some(x) => x,
        None => F::nan(),
    }
}

// ----- integer helpers ---------------------------------------------------

/// The number of elements of `lo..hi`.
#[inline(always)]
pub fn trip_count<T: PrimInt>(lo: T, hi: T) -> usize {
    if hi <= lo { 0 } else { (hi - lo).to_usize().unwrap_or(usize::MAX) }
}

/// The number of elements of `lo..=hi`.
#[inline(always)]
pub fn trip_count_incl<T: PrimInt>(lo: T, hi: T) -> usize {
    if hi < lo { 0 } else { (hi - lo).to_usize().map(|n| n + 1).unwrap_or(usize::MAX) }
}

#[inline(always)]
pub fn div_ceil(n: usize, k: usize) -> usize {
    if k == 0 {
        panic!("assertion failed: step != 0");
    }
    n.div_ceil(k)
}

#[inline(always)]
pub fn div_floor(n: usize, k: usize) -> usize {
    if k == 0 {
        panic!("chunk size must be non-zero");
    }
    n / k
}

#[inline(always)]
pub fn windows_count(n: usize, k: usize) -> usize {
    if k == 0 {
        panic!("window size must be non-zero");
    }
    if n < k { 0 } else { n - k + 1 }
}

#[inline(always)]
pub fn min_usize<A: PrimInt, B: PrimInt>(a: A, b: B) -> usize {
    let a = a.to_usize().unwrap_or(usize::MAX);
    let b = b.to_usize().unwrap_or(usize::MAX);
    a.min(b)
}

#[inline(always)]
pub fn sat_sub<A: PrimInt, B: PrimInt>(a: A, b: B) -> usize {
    let a = a.to_usize().unwrap_or(usize::MAX);
    let b = b.to_usize().unwrap_or(usize::MAX);
    a.saturating_sub(b)
}

/// Sum of the elements of an adjoint array (the adjoint of the fill value
/// of `vec![x; n]`).
#[inline(always)]
pub fn sum_elems<T: Differentiable>(v: &[T]) -> T {
    let mut it = v.iter();
    match it.next() {
        None => panic!("leibniz: sum of an empty adjoint array"),
        Some(first) => {
            let mut s = first.clone();
            for x in it {
                s.add_assign_tangent(x);
            }
            s
        }
    }
}

/// `T: Differentiable`, checked where a parameter's type is declared.
#[inline(always)]
pub fn assert_differentiable<T: Differentiable + ?Sized>() {}

// ----- probes for `#[no_grad]` fields of derived types ---------------------
//
// A `#[no_grad]` field may have any type. Its placeholder and its storage on
// the tape use the type's own `Differentiable` / `TapeValue` when it has
// them, `Default` / `Clone` otherwise (autoref specialization: the most
// specific impl is found first).

use core::marker::PhantomData;

pub struct DummyProbe<T>(PhantomData<T>);
impl<T> DummyProbe<T> {
    #[inline(always)]
    pub fn new() -> Self {
        DummyProbe(PhantomData)
    }
}
impl<T> Default for DummyProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}
pub trait DummyDiff<T> {
    fn __lz_dummy(&self) -> T;
}
impl<T: Differentiable> DummyDiff<T> for &&DummyProbe<T> {
    #[inline(always)]
    fn __lz_dummy(&self) -> T {
        T::__dummy()
    }
}
pub trait DummyDefault<T> {
    fn __lz_dummy(&self) -> T;
}
impl<T: Default> DummyDefault<T> for &DummyProbe<T> {
    #[inline(always)]
    fn __lz_dummy(&self) -> T {
        T::default()
    }
}
pub trait DummyPanic<T> {
    fn __lz_dummy(&self) -> T;
}
impl<T> DummyPanic<T> for DummyProbe<T> {
    fn __lz_dummy(&self) -> T {
        panic!("leibniz: a placeholder of a `#[no_grad]` field's type was needed (an early `return` of a struct whose `#[no_grad]` field type implements neither `Differentiable` nor `Default`)")
    }
}

pub struct PushProbe<'a, T>(&'a T);
impl<'a, T> PushProbe<'a, T> {
    #[inline(always)]
    pub fn new(t: &'a T) -> Self {
        PushProbe(t)
    }
}
pub trait PushTape {
    fn __lz_push(&self, t: &mut TapeBuf);
}
impl<T: TapeValue> PushTape for &&PushProbe<'_, T> {
    #[inline(always)]
    fn __lz_push(&self, t: &mut TapeBuf) {
        self.0.push_to(t);
    }
}
pub trait PushAny {
    fn __lz_push(&self, t: &mut TapeBuf);
}
impl<T: core::any::Any + Clone + Send + Sync> PushAny for &PushProbe<'_, T> {
    #[inline(always)]
    fn __lz_push(&self, t: &mut TapeBuf) {
        t.push_any(self.0.clone());
    }
}
pub trait PushNone {
    fn __lz_push(&self, t: &mut TapeBuf);
}
impl<T> PushNone for PushProbe<'_, T> {
    fn __lz_push(&self, _: &mut TapeBuf) {
        panic!("leibniz: a value with a `#[no_grad]` field that is neither `TapeValue` nor `Clone + Send + Sync + 'static` must be kept for the backward sweep")
    }
}

pub struct PopProbe<T>(PhantomData<T>);
impl<T> PopProbe<T> {
    #[inline(always)]
    pub fn new() -> Self {
        PopProbe(PhantomData)
    }
}
impl<T> Default for PopProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}
pub trait PopTape<T> {
    fn __lz_pop(&self, r: &mut TapeRead<'_>) -> T;
}
impl<T: TapeValue> PopTape<T> for &&PopProbe<T> {
    #[inline(always)]
    fn __lz_pop(&self, r: &mut TapeRead<'_>) -> T {
        T::pop_from(r)
    }
}
pub trait PopAny<T> {
    fn __lz_pop(&self, r: &mut TapeRead<'_>) -> T;
}
impl<T: core::any::Any + Clone + Send + Sync> PopAny<T> for &PopProbe<T> {
    #[inline(always)]
    fn __lz_pop(&self, r: &mut TapeRead<'_>) -> T {
        r.pop_any()
    }
}
pub trait PopNone<T> {
    fn __lz_pop(&self, r: &mut TapeRead<'_>) -> T;
}
impl<T> PopNone<T> for PopProbe<T> {
    fn __lz_pop(&self, _: &mut TapeRead<'_>) -> T {
        panic!("leibniz: a value with a `#[no_grad]` field that cannot be stored was read from the tape")
    }
}

/// `lo + j` in the type of `lo` (loop counters over ranges of any integer type).
#[inline(always)]
pub fn idx_add<T: PrimInt, J: PrimInt>(lo: T, j: J) -> T {
    match T::from(j) {
        Some(j) => lo + j,
        None => panic!("leibniz: a loop counter does not fit the range's integer type"),
    }
}

/// `lo - j` in the type of `lo`.
#[inline(always)]
pub fn idx_sub<T: PrimInt, J: PrimInt>(lo: T, j: J) -> T {
    match T::from(j) {
        Some(j) => lo - j,
        None => panic!("leibniz: a loop counter does not fit the range's integer type"),
    }
}

/// `a as F` for generic numeric types.
#[inline(always)]
#[track_caller]
pub fn cast_to<F: NumCast, A: NumCast + Copy>(a: A) -> F {
    match F::from(a) {
        Some(x) => x,
        None => panic!("leibniz: a numeric conversion failed"),
    }
}

/// `a.rem_euclid(b)` for any float type.
#[inline(always)]
pub fn rem_euclid<F: Float>(a: F, b: F) -> F {
    let r = a % b;
    if r < F::zero() { r + b.abs() } else { r }
}

/// `a.div_euclid(b)` for any float type.
#[inline(always)]
pub fn div_euclid<F: Float>(a: F, b: F) -> F {
    let q = (a / b).trunc();
    if a % b < F::zero() {
        if b > F::zero() { q - F::one() } else { q + F::one() }
    } else {
        q
    }
}

/// `x.round_ties_even()` for any float type.
#[inline(always)]
pub fn round_ties_even<F: Float>(x: F) -> F {
    let half = lit::<F>(0.5);
    if (x - x.trunc()).abs() == half {
        let (f, c) = (x.floor(), x.ceil());
        if (f * half).fract() == F::zero() { f } else { c }
    } else {
        x.round()
    }
}

/// `a.midpoint(b)` for any float type.
#[inline(always)]
pub fn midpoint<F: Float>(a: F, b: F) -> F {
    let h = lit::<F>(0.5);
    let m = (a + b) * h;
    if m.is_finite() { m } else { a * h + b * h }
}

/// NaN-propagating maximum.
#[inline(always)]
pub fn maximum<F: Float>(a: F, b: F) -> F {
    if a.is_nan() || b.is_nan() { F::nan() } else { a.max(b) }
}

/// NaN-propagating minimum.
#[inline(always)]
pub fn minimum<F: Float>(a: F, b: F) -> F {
    if a.is_nan() || b.is_nan() { F::nan() } else { a.min(b) }
}

/// `1 - tanh²(a)` as `4e/(1+e)²`, `e = exp(-2|a|)`: accurate for every `a`.
#[inline(always)]
pub fn dtanh<F: Float>(a: F) -> F {
    let e = (lit::<F>(-2.0) * a.abs()).exp();
    let d = F::one() + e;
    lit::<F>(4.0) * e / (d * d)
}

/// Whether a sum that starts at `-0.0` received a contribution (the fused
/// reverse mode's carried accumulations, `opt::carry`): anything but
/// `-0.0` itself.
#[inline(always)]
pub fn pending<F: Float>(x: F) -> bool {
    !(x == F::zero() && x.is_sign_negative())
}

// ----- checkpointed loops (`#[checkpoint]`, see `crate::checkpoint`) --------

/// An owned copy of a loop's state part (an array, a value).
#[inline(always)]
pub fn ck_save<T: ToOwned + ?Sized>(x: &T) -> T::Owned {
    x.to_owned()
}

/// Puts a saved state into slot `s` (slots are filled in order).
#[inline(always)]
pub fn ck_put<T>(slots: &mut Vec<T>, s: usize, v: T) {
    if s < slots.len() {
        slots[s] = v;
    } else {
        debug_assert_eq!(s, slots.len(), "leibniz: checkpoint slots are filled in order");
        slots.push(v);
    }
}

/// Copies a saved state part back into the live one.
#[inline(always)]
pub fn ck_restore<T: Clone>(dst: &mut T, src: &T) {
    dst.clone_from(src);
}

/// The number of slots of a checkpointed loop of `chunks` chunks
/// (`snapshots` when given).
#[inline(always)]
pub fn ck_slots(chunks: usize, snapshots: Option<usize>) -> usize {
    match snapshots {
        Some(s) => s.max(1),
        None => crate::checkpoint::default_snapshots(chunks),
    }
}

/// Iterations per chunk of a checkpointed loop (`chunk` when given).
#[inline(always)]
pub fn ck_chunk(steps: usize, chunk: Option<usize>) -> usize {
    match chunk {
        Some(c) => c.max(1),
        None => crate::checkpoint::default_chunk(steps),
    }
}

/// The number of chunks of `steps` iterations.
#[inline(always)]
pub fn ck_chunks(steps: usize, chunk: usize) -> usize {
    steps.div_ceil(chunk)
}

/// Loop indices of checkpointed `for` loops: the trip count of `lo..hi`
/// (or `lo..=hi`) and its `k`-th index (counted from `hi` when reversed).
pub trait CkIdx: Copy {
    fn ck_trips(self, hi: Self, incl: bool) -> usize;
    fn ck_nth(self, hi: Self, k: usize, rev: bool, incl: bool) -> Self;
}

macro_rules! ck_idx {
    ($($t:ty)*) => {$(
        impl CkIdx for $t {
            #[inline(always)]
            fn ck_trips(self, hi: Self, incl: bool) -> usize {
                let (lo, hi) = (self as i128, hi as i128);
                let n = if incl { hi - lo + 1 } else { hi - lo };
                if n > 0 { n as usize } else { 0 }
            }
            #[inline(always)]
            fn ck_nth(self, hi: Self, k: usize, rev: bool, incl: bool) -> Self {
                let (lo, hi) = (self as i128, hi as i128);
                let last = if incl { hi } else { hi - 1 };
                (if rev { last - k as i128 } else { lo + k as i128 }) as $t
            }
        }
    )*};
}
ck_idx!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

/// The trip count of a checkpointed loop.
#[inline(always)]
pub fn ck_trips<I: CkIdx>(lo: I, hi: I, incl: bool) -> usize {
    lo.ck_trips(hi, incl)
}

/// The index of iteration `k` of a checkpointed loop.
#[inline(always)]
pub fn ck_nth<I: CkIdx>(lo: I, hi: I, k: usize, rev: bool, incl: bool) -> I {
    lo.ck_nth(hi, k, rev, incl)
}
