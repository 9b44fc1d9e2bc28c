//! CPU twin helpers: what the emitted CPU kernels use in place of CUDA's
//! one-thread-per-index launch and `atomicAdd`.

use rayon::prelude::*;
use std::marker::PhantomData;
use std::ops::AddAssign;

/// Number of threads the CPU twin uses (rayon's current pool).
pub fn cpu_threads() -> usize {
    rayon::current_num_threads()
}

/// Calls `f(i)` for every `i` in `0..n`, in parallel (rayon), in no
/// particular order: the CPU twin of a 1-D launch over `n` elements.
///
/// `f` only gets `&` access to what it captures; per-index writes go through
/// [`UnsafeSlice`] (or use [`par_map_into`]).
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// let count = AtomicUsize::new(0);
/// leibniz_gpu::par_for(1000, |i| { count.fetch_add(i, Ordering::Relaxed); });
/// assert_eq!(count.into_inner(), 999 * 1000 / 2);
/// ```
pub fn par_for<F>(n: usize, f: F)
where
    F: Fn(usize) + Sync + Send,
{
    (0..n).into_par_iter().for_each(f);
}

/// `out[i] = f(i)` for every index, in parallel.
///
/// ```
/// let x = [1.0f32, 2.0, 3.0];
/// let mut y = [0.0f32; 3];
/// leibniz_gpu::par_map_into(&mut y, |i| x[i] * x[i]);
/// assert_eq!(y, [1.0, 4.0, 9.0]);
/// ```
pub fn par_map_into<T, F>(out: &mut [T], f: F)
where
    T: Send,
    F: Fn(usize) -> T + Sync + Send,
{
    out.par_iter_mut().enumerate().for_each(|(i, o)| *o = f(i));
}

/// A mutable slice that the threads of a CPU twin share, written by index
/// like a CUDA buffer: each index `i` of [`par_for`] writes (and reads) its
/// own elements, which the macro arranges and the borrow checker cannot see.
///
/// Indices are bounds-checked (a panic, as with slice indexing); data races
/// are the caller's to exclude, hence the `unsafe` accessors.
///
/// ```
/// let mut y = vec![1.0f64; 4];
/// let x = [1.0f64, 2.0, 3.0, 4.0];
/// let ys = leibniz_gpu::UnsafeSlice::new(&mut y);
/// // SAFETY: index i touches y[i] only.
/// leibniz_gpu::par_for(4, |i| unsafe { ys.set(i, ys.get(i) + x[i]) });
/// assert_eq!(y, [2.0, 3.0, 4.0, 5.0]);
/// ```
pub struct UnsafeSlice<'a, T> {
    ptr: *mut T,
    len: usize,
    _borrow: PhantomData<&'a mut [T]>,
}

impl<T> Clone for UnsafeSlice<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for UnsafeSlice<'_, T> {}

// SAFETY: an `UnsafeSlice` is a `&mut [T]` handed to several threads; moving
// `T`s between threads needs `T: Send`, reading them from several needs
// `T: Sync`. Exclusive access per element is the contract of the unsafe
// accessors.
unsafe impl<T: Send> Send for UnsafeSlice<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for UnsafeSlice<'_, T> {}

impl<T> std::fmt::Debug for UnsafeSlice<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnsafeSlice")
            .field("len", &self.len)
            .finish()
    }
}

impl<'a, T> UnsafeSlice<'a, T> {
    /// Shares `slice` for the lifetime `'a`.
    pub fn new(slice: &'a mut [T]) -> Self {
        UnsafeSlice {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _borrow: PhantomData,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    #[track_caller]
    fn check(&self, i: usize) {
        assert!(
            i < self.len,
            "index {i} out of bounds for length {}",
            self.len
        );
    }

    /// Reads element `i`.
    ///
    /// # Safety
    ///
    /// No other thread writes element `i` concurrently.
    #[inline]
    #[track_caller]
    pub unsafe fn get(&self, i: usize) -> T
    where
        T: Copy,
    {
        self.check(i);
        // SAFETY: in bounds; no concurrent writer (caller).
        unsafe { *self.ptr.add(i) }
    }

    /// Writes element `i`.
    ///
    /// # Safety
    ///
    /// No other thread reads or writes element `i` concurrently.
    #[inline]
    #[track_caller]
    pub unsafe fn set(&self, i: usize, value: T) {
        self.check(i);
        // SAFETY: in bounds; exclusive access (caller).
        unsafe { *self.ptr.add(i) = value }
    }

    /// `element[i] += value`, not atomically: for elements owned by one
    /// thread. (Shared accumulation goes through [`par_accumulate`].)
    ///
    /// # Safety
    ///
    /// No other thread reads or writes element `i` concurrently.
    #[inline]
    #[track_caller]
    pub unsafe fn add(&self, i: usize, value: T)
    where
        T: AddAssign,
    {
        self.check(i);
        // SAFETY: in bounds; exclusive access (caller).
        unsafe { *self.ptr.add(i) += value }
    }

    /// A mutable reference to element `i`.
    ///
    /// # Safety
    ///
    /// No other reference to element `i` exists or is used while this one is.
    #[inline]
    #[track_caller]
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn get_mut(&self, i: usize) -> &mut T {
        self.check(i);
        // SAFETY: in bounds; exclusive access (caller).
        unsafe { &mut *self.ptr.add(i) }
    }
}

/// Fewest indices a chunk of [`par_accumulate_many`] gets.
const MIN_CHUNK_LEN: usize = 64;
/// Most memory all private accumulators of one call may take together.
const ACC_BUDGET_BYTES: usize = 256 << 20;

/// How many chunks (each with its own accumulators) to split `0..n` into.
/// Depends only on its arguments, which makes the sums reproducible.
fn chunk_count(n: usize, m: usize, elem_size: usize, threads: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let by_threads = threads.max(1) * 4;
    let by_work = n.div_ceil(MIN_CHUNK_LEN);
    let bytes = m.saturating_mul(elem_size).max(1);
    let by_memory = (ACC_BUDGET_BYTES / bytes).max(1);
    // Zeroing and summing the accumulators costs `chunks * m`; keep it within
    // a few times the `n` calls of the body.
    let by_ratio = n
        .saturating_mul(4)
        .checked_div(m)
        .unwrap_or(usize::MAX)
        .max(1);
    by_threads.min(by_work).min(by_memory).min(by_ratio).max(1)
}

/// The CPU twin of an adjoint kernel that `atomicAdd`s into shared outputs.
///
/// Calls `f(i, acc)` for every `i` in `0..n`; `acc[k]` is a private
/// accumulator as long as `outs[k]`, starting at zero, into which `f` adds
/// its contributions (`acc[k][j] += v` where the GPU does
/// `atomicAdd(&outs_k[j], v)`). At the end each `outs[k][j]` gets the sum of
/// all accumulators added to it (`+=`, like `atomicAdd` into an existing
/// gradient buffer).
///
/// Indices are split into contiguous chunks, each run in index order on one
/// thread with its own accumulators; the chunks' sums are combined in chunk
/// order. The split depends only on `n`, the output lengths and
/// [`cpu_threads`], so for a fixed thread count the result is bit-for-bit
/// reproducible (unlike `atomicAdd`). Memory: at most `4 * cpu_threads()`
/// copies of the outputs, and at most 256 MiB of them.
///
/// `f` may also write per-index outputs through an [`UnsafeSlice`].
///
/// ```
/// // y[i] = a[i % 2] * x[i] + b ;  abar[k] = sum over i with i % 2 == k of ybar[i] * x[i],
/// //                               bbar[0] = sum of ybar
/// let x: Vec<f64> = (0..100).map(f64::from).collect();
/// let ybar = vec![1.0f64; 100];
/// let (mut abar, mut bbar) = (vec![0.0f64; 2], vec![0.0f64; 1]);
/// leibniz_gpu::par_accumulate_many(100, &mut [&mut abar[..], &mut bbar[..]], |i, acc| {
///     acc[0][i % 2] += ybar[i] * x[i];
///     acc[1][0] += ybar[i];
/// });
/// assert_eq!(abar, [2450.0, 2500.0]);
/// assert_eq!(bbar, [100.0]);
/// ```
pub fn par_accumulate_many<T, F>(n: usize, outs: &mut [&mut [T]], f: F)
where
    T: Copy + Default + AddAssign + Send + Sync,
    F: Fn(usize, &mut [&mut [T]]) + Sync + Send,
{
    let lens: Vec<usize> = outs.iter().map(|o| o.len()).collect();
    let m: usize = lens.iter().sum();
    let chunks = chunk_count(n, m, std::mem::size_of::<T>(), cpu_threads());
    if chunks == 0 {
        return;
    }
    let chunk_len = n.div_ceil(chunks);
    let run_chunk = |c: usize| -> Vec<T> {
        let mut buf = vec![T::default(); m];
        {
            let mut views: Vec<&mut [T]> = Vec::with_capacity(lens.len());
            let mut rest: &mut [T] = &mut buf;
            for &l in &lens {
                let (head, tail) = std::mem::take(&mut rest).split_at_mut(l);
                views.push(head);
                rest = tail;
            }
            let end = ((c + 1) * chunk_len).min(n);
            for i in c * chunk_len..end {
                f(i, &mut views);
            }
        }
        buf
    };
    let partials: Vec<Vec<T>> = if chunks == 1 {
        vec![run_chunk(0)]
    } else {
        (0..chunks).into_par_iter().map(run_chunk).collect()
    };
    let mut offset = 0;
    for out in outs.iter_mut() {
        let base = offset;
        let partials = &partials;
        out.par_iter_mut().enumerate().for_each(|(j, o)| {
            let mut s = T::default();
            for p in partials {
                s += p[base + j];
            }
            *o += s;
        });
        offset += out.len();
    }
}

/// [`par_accumulate_many`] with one shared output: calls `f(i, acc)` for
/// `i` in `0..n`, then adds the accumulated `acc` into `out`.
///
/// ```
/// let x: Vec<f32> = (0..1000).map(|i| i as f32).collect();
/// let mut hist = [0.0f32; 10];
/// leibniz_gpu::par_accumulate(x.len(), &mut hist, |i, acc| acc[i % 10] += 1.0);
/// assert_eq!(hist, [100.0; 10]);
/// ```
pub fn par_accumulate<T, F>(n: usize, out: &mut [T], f: F)
where
    T: Copy + Default + AddAssign + Send + Sync,
    F: Fn(usize, &mut [T]) + Sync + Send,
{
    par_accumulate_many(n, &mut [out], |i, acc| f(i, acc[0]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_count_limits() {
        assert_eq!(chunk_count(0, 10, 8, 8), 0);
        assert_eq!(chunk_count(1, 10, 8, 8), 1);
        assert_eq!(chunk_count(1_000_000, 1, 8, 2), 8);
        assert_eq!(chunk_count(1_000_000, 0, 8, 2), 8);
        // few indices, big outputs: one chunk
        assert_eq!(chunk_count(1000, 1_000_000, 8, 16), 1);
        // memory budget: 64 MiB per copy -> at most 4 copies
        assert_eq!(chunk_count(usize::MAX / 8, 8 << 20, 8, 64), 4);
    }

    #[test]
    fn accumulate_matches_sequential_and_is_reproducible() {
        let n = 100_000;
        let x: Vec<f64> = (0..n)
            .map(|i| ((i * 7919) % 1000) as f64 * 1e-3 + 0.1)
            .collect();
        let run = || {
            let mut out = vec![1.0f64; 37];
            par_accumulate(n, &mut out, |i, acc| acc[i % 37] += x[i].sin());
            out
        };
        let a = run();
        let b = run();
        assert_eq!(a, b, "bitwise reproducible for a fixed thread count");
        let mut seq = vec![1.0f64; 37];
        for i in 0..n {
            seq[i % 37] += x[i].sin();
        }
        for (p, s) in a.iter().zip(&seq) {
            assert!((p - s).abs() <= 1e-9 * s.abs().max(1.0), "{p} vs {s}");
        }
    }

    #[test]
    fn accumulate_with_zero_length_outputs_still_runs_body() {
        let mut y = vec![0u64; 500];
        let ys = UnsafeSlice::new(&mut y);
        let mut empty: [u64; 0] = [];
        par_accumulate(500, &mut empty, |i, _acc| unsafe {
            ys.set(i, i as u64 * 2)
        });
        assert!(y.iter().enumerate().all(|(i, &v)| v == i as u64 * 2));
    }

    #[test]
    fn accumulate_many_mixed_lengths() {
        let n = 10_000;
        let mut a = vec![0i64; 3];
        let mut b: [i64; 0] = [];
        let mut c = vec![5i64; 2];
        par_accumulate_many(n, &mut [&mut a[..], &mut b[..], &mut c[..]], |i, acc| {
            acc[0][i % 3] += 1;
            acc[2][i % 2] += i as i64;
        });
        assert_eq!(a, [3334, 3333, 3333]);
        let evens: i64 = (0..n as i64).filter(|i| i % 2 == 0).sum();
        let odds: i64 = (0..n as i64).filter(|i| i % 2 == 1).sum();
        assert_eq!(c, [5 + evens, 5 + odds]);
    }

    #[test]
    fn par_for_visits_each_index_once() {
        let mut hits = vec![0u32; 12345];
        let h = UnsafeSlice::new(&mut hits);
        par_for(12345, |i| unsafe { h.add(i, 1) });
        assert!(hits.iter().all(|&v| v == 1));
        par_for(0, |_| unreachable!());
    }

    #[test]
    #[should_panic(expected = "out of bounds")]
    fn unsafe_slice_is_bounds_checked() {
        let mut v = [0.0f32; 2];
        let s = UnsafeSlice::new(&mut v);
        unsafe { s.set(2, 1.0) };
    }
}
