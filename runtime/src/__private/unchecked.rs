//! Indices the backward sweep repeats: the forward sweep checked them
//! against the same array (or its shadow, whose length the entry checks
//! equal), so the backward sweep indexes without a second check. LLVM can
//! then keep adjoints in registers and vectorise the backward loops.

use core::ops::{Index, IndexMut};

/// An index already checked against the array it indexes. Made only by
/// the unsafe [`Unchecked::new`]; indexing a slice (`&[T]`, `Vec<T>`,
/// `[T; N]` through auto-deref) with it skips the bounds check, which
/// `debug_assert!` still makes in debug builds.
#[derive(Clone, Copy)]
pub struct Unchecked(usize);

impl Unchecked {
    /// # Safety
    /// `i` must be below the length of every slice the result indexes.
    #[inline(always)]
    pub const unsafe fn new(i: usize) -> Self {
        Unchecked(i)
    }
}

impl<T> Index<Unchecked> for [T] {
    type Output = T;
    #[inline(always)]
    fn index(&self, i: Unchecked) -> &T {
        debug_assert!(i.0 < self.len(), "leibniz: index {} out of bounds of {} (please report this)", i.0, self.len());
        // SAFETY: `Unchecked::new`'s contract.
        unsafe { self.get_unchecked(i.0) }
    }
}

impl<T> IndexMut<Unchecked> for [T] {
    #[inline(always)]
    fn index_mut(&mut self, i: Unchecked) -> &mut T {
        debug_assert!(i.0 < self.len(), "leibniz: index {} out of bounds of {} (please report this)", i.0, self.len());
        // SAFETY: `Unchecked::new`'s contract.
        unsafe { self.get_unchecked_mut(i.0) }
    }
}

/// The entry check that makes a shadow's indices the primal's: a shadow
/// handed to `_vjp` must be at least as long as its primal (the entries
/// past the primal's length are left alone, as without the check).
#[inline(always)]
#[track_caller]
pub fn same_len<T, U>(shadow: &[T], primal: &[U], name: &str) {
    if shadow.len() < primal.len() {
        len_mismatch(shadow.len(), primal.len(), name);
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn len_mismatch(s: usize, p: usize, name: &str) -> ! {
    panic!("leibniz: the adjoint buffer for `{name}` has length {s}, shorter than `{name}` (length {p}): pass a buffer of the same length")
}

/// The entry check of a loop whose every iteration indexes `a` by
/// `i * mul + off` for the loop index `i`: the largest such index, for the
/// range `lo..hi` (`lo..=hi` when `incl`), must be in bounds. Panics with Rust's
/// out-of-bounds message, before the loop instead of in its last
/// iterations; an empty range checks nothing.
#[inline(always)]
#[track_caller]
pub fn check_range<T>(a: &[T], lo: usize, hi: usize, incl: bool, mul: usize, off: usize) {
    let last = if incl {
        if lo > hi {
            return;
        }
        hi
    } else {
        if lo >= hi {
            return;
        }
        hi - 1
    };
    match last.checked_mul(mul).and_then(|x| x.checked_add(off)) {
        Some(i) if i < a.len() => {}
        i => range_fail(a.len(), i),
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn range_fail(len: usize, i: Option<usize>) -> ! {
    match i {
        Some(i) => panic!("index out of bounds: the len is {len} but the index is {i}"),
        None => panic!("index out of bounds: the len is {len} but the index overflows usize"),
    }
}
