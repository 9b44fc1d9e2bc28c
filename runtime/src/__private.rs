//! Items the code emitted by `#[differentiable]` refers to. Not public API.

pub use num_traits::{Float, NumCast, One, Zero};

/// A float constant in the function's float type `F` (generic code cannot
/// write `2.0` for a `T: Float`).
#[inline(always)]
pub fn lit<F: Float>(v: f64) -> F {
    match F::from(v) {
        Some(x) => x,
        None => F::nan(),
    }
}

#[inline(always)]
pub fn zero<F: Zero>() -> F {
    F::zero()
}

/// Heap bytes of one tape stack.
#[inline(always)]
pub fn vec_bytes<T>(v: &Vec<T>) -> usize {
    v.capacity() * core::mem::size_of::<T>()
}

/// Size of a saved value outside loops.
#[inline(always)]
pub fn val_bytes<T>(_: &T) -> usize {
    core::mem::size_of::<T>()
}

/// Tangent handed to a composed call, one per parameter of the callee
/// (the caller cannot see which of the callee's parameters are floats).
pub enum Tan<'a, F> {
    /// The argument is constant at the call site.
    Zero,
    Scalar(F),
    Slice(&'a [F]),
    SliceMut(&'a mut [F]),
}

impl<'a, F: Float> Tan<'a, F> {
    #[inline(always)]
    pub fn scalar(&self) -> F {
        match self {
            Tan::Scalar(d) => *d,
            _ => F::zero(),
        }
    }

    /// The tangent of a read-only array parameter of length `len`.
    #[inline(always)]
    pub fn slice<'s>(&'s self, len: usize, scratch: &'s mut Vec<F>) -> &'s [F] {
        match self {
            Tan::Slice(s) => s,
            Tan::SliceMut(s) => s,
            _ => {
                scratch.clear();
                scratch.resize(len, F::zero());
                scratch
            }
        }
    }

    /// The tangent of an in/out array parameter of length `len`.
    #[inline(always)]
    pub fn slice_mut<'s>(&'s mut self, len: usize, scratch: &'s mut Vec<F>) -> &'s mut [F] {
        match self {
            Tan::SliceMut(s) => s,
            _ => {
                scratch.clear();
                scratch.resize(len, F::zero());
                scratch
            }
        }
    }
}

/// Where a composed call's backward sweep delivers the adjoint of one
/// parameter.
pub enum Sink<'a, F> {
    /// The argument is constant at the call site: drop its adjoint.
    Discard,
    /// `+=` the adjoint of a scalar argument here.
    Scalar(&'a mut F),
    /// `+=` the adjoint of an array argument into this shadow.
    Slice(&'a mut [F]),
}

impl<'a, F: Float> Sink<'a, F> {
    #[inline(always)]
    pub fn add(&mut self, v: F) {
        if let Sink::Scalar(s) = self {
            **s = **s + v;
        }
    }

    #[inline(always)]
    pub fn slice<'s>(&'s mut self, len: usize, scratch: &'s mut Vec<F>) -> &'s mut [F] {
        match self {
            Sink::Slice(s) => s,
            _ => {
                scratch.clear();
                scratch.resize(len, F::zero());
                scratch
            }
        }
    }
}

/// Panics unless a shadow or tangent slice has the length of its primal.
#[inline(always)]
#[track_caller]
pub fn check_len(name: &str, what: &str, got: usize, want: usize) {
    if got != want {
        panic!("leibniz: {what} `{name}` has length {got}, but its primal argument has length {want}");
    }
}

/// Partial of `abs`: one-sided convention abs'(0) = 0.
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

/// `true` when the first argument of `max` is picked (ties pick the first).
#[inline(always)]
pub fn picks_first_max<F: Float>(a: F, b: F) -> bool {
    a >= b || b.is_nan()
}

#[inline(always)]
pub fn picks_first_min<F: Float>(a: F, b: F) -> bool {
    a <= b || b.is_nan()
}

/// `x / y` but 0 where `y == 0` (partials of `hypot` and `powf` at 0).
#[inline(always)]
pub fn div0<F: Float>(x: F, y: F) -> F {
    if y == F::zero() { F::zero() } else { x / y }
}

/// Sum of an adjoint array (adjoint of the fill value of `vec![x; n]`).
#[inline(always)]
pub fn sum<F: Float>(v: &[F]) -> F {
    let mut s = F::zero();
    for &x in v {
        s = s + x;
    }
    s
}

/// `∂(a^n)/∂a` for an integer exponent.
#[inline(always)]
pub fn dpowi<F: Float>(a: F, n: i32) -> F {
    if n == 0 {
        F::zero()
    } else {
        lit::<F>(n as f64) * a.powi(n - 1)
    }
}

/// `∂(a^b)/∂b = a^b ln a`, taken as 0 where `a^b == 0`.
#[inline(always)]
pub fn dpowf_exponent<F: Float>(a: F, y: F) -> F {
    if y == F::zero() { F::zero() } else { y * a.ln() }
}

/// 1 or 0.
#[inline(always)]
pub fn ind<F: Float>(c: bool) -> F {
    if c { F::one() } else { F::zero() }
}

/// The trip count of a `while` loop or the length of a recorded stack.
#[inline(always)]
pub fn next_rec<'a, T>(it: &mut core::iter::Rev<core::slice::Iter<'a, T>>) -> &'a T {
    match it.next() {
        Some(r) => r,
        None => panic!("leibniz: tape exhausted (a recorded loop ran a different number of times in the backward sweep)"),
    }
}

/// Panics unless a whole reassignment of a local array keeps its length.
#[inline(always)]
#[track_caller]
pub fn check_reassign(name: &str, len: usize, new: usize) {
    if len != new {
        panic!("leibniz: the array `{name}` (length {len}) is reassigned a value of length {new}; a #[differentiable] body keeps array lengths fixed");
    }
}

/// A read-only array argument handed back to a backward sweep, or the copy
/// kept when the caller could not hand it back.
#[inline(always)]
pub fn resupplied<'a, F>(given: Option<&'a [F]>, own: &'a Option<Vec<F>>, name: &str) -> &'a [F] {
    match (given, own) {
        (Some(s), _) => s,
        (None, Some(v)) => v,
        (None, None) => panic!("leibniz: the backward sweep needs the array argument `{name}` and it was not handed back"),
    }
}

/// `∂(a^n)/∂a = n a^n / a` from the result, where `a != 0`.
#[inline(always)]
pub fn dpowi_from_result<F: Float>(a: F, y: F, n: i32) -> F {
    if a == F::zero() { dpowi(a, n) } else { lit::<F>(n as f64) * y / a }
}

/// Builds a call's array-valued cotangent (`Vec<F>` or `[F; N]`) from the
/// caller's adjoint array.
pub trait FromSlice<F> {
    fn from_slice(s: &[F]) -> Self;
}

impl<F: Copy> FromSlice<F> for Vec<F> {
    #[inline(always)]
    fn from_slice(s: &[F]) -> Self {
        s.to_vec()
    }
}

impl<F: Copy + Zero, const N: usize> FromSlice<F> for [F; N] {
    #[inline(always)]
    fn from_slice(s: &[F]) -> Self {
        let mut a = [F::zero(); N];
        a.copy_from_slice(s);
        a
    }
}

/// `∂(a^b)/∂a = b a^(b-1)`, taken as 0 where `b == 0` (a^0 is constant,
/// even at a = 0 where `a^(b-1)` is infinite).
#[inline(always)]
pub fn dpowf_base<F: Float>(a: F, b: F) -> F {
    if b == F::zero() { F::zero() } else { b * a.powf(b - F::one()) }
}

pub use num_traits::PrimInt;

/// The largest element of `lo..hi` (or `lo..=hi`) stepped by `k`, if any.
#[inline(always)]
pub fn stepped_last<T: PrimInt>(lo: T, hi: T, inclusive: bool, k: usize) -> Option<T> {
    let top = top_of(lo, hi, inclusive)?;
    let k = T::from(k)?;
    Some(lo + ((top - lo) / k) * k)
}

/// For `(lo..hi).rev().step_by(k)`: its smallest element and its first.
#[inline(always)]
pub fn stepped_first<T: PrimInt>(lo: T, hi: T, inclusive: bool, k: usize) -> Option<(T, T)> {
    let top = top_of(lo, hi, inclusive)?;
    let k = T::from(k)?;
    Some((top - ((top - lo) / k) * k, top))
}

#[inline(always)]
fn top_of<T: PrimInt>(lo: T, hi: T, inclusive: bool) -> Option<T> {
    if inclusive {
        if hi < lo { None } else { Some(hi) }
    } else if hi <= lo {
        None
    } else {
        Some(hi - T::one())
    }
}

/// A call's tape recorded inside a branch: the backward sweep takes the same
/// branch, so it is there.
#[inline(always)]
pub fn recorded<T>(t: &Option<T>) -> &T {
    match t {
        Some(t) => t,
        None => panic!("leibniz: a call's tape is missing (the backward sweep took a branch the forward sweep did not)"),
    }
}
