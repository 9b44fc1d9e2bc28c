//! Dense Jacobians and Hessians assembled from directional derivatives.
//!
//! The generated `f_jacobian` and `f_hessian` functions call these drivers
//! with closures around the emitted `f_jvp`, `f_vjp` and `f_hvp`, so the
//! drivers know nothing about the macro and work for any function you can
//! write a directional derivative for.
//!
//! | driver | sweeps | each sweep |
//! |---|---|---|
//! | [`jacobian_forward`] | `n_in` | `J e_j`: column `j` |
//! | [`jacobian_reverse`] | `n_out` | `Jᵀ e_i`: row `i` |
//! | [`jacobian_auto`] | `min(n_in, n_out)` | whichever of the two needs fewer sweeps |
//! | [`hessian_from_hvp`] | `n` | `H e_j`, then symmetrised |
//!
//! The `_batched` variants ([`jacobian_forward_batched`],
//! [`jacobian_reverse_batched`], [`jacobian_auto_batched`],
//! [`hessian_from_hvp_batched`]) push up to `k` unit directions through one
//! call, for sweeps that carry several tangents at once.
//!
//! Every result is indexed `J[out][in]` (a `Vec` of rows), `H[i][j]`.
//!
//! # Parallelism
//!
//! Sweeps are independent, so the drivers may run them on several threads
//! with [rayon]. They do so only when it pays: when there are at least
//! [`PARALLEL_MIN_SWEEPS`] sweeps, *and* the first sweep (always run on the
//! calling thread and timed) says the remaining ones take longer than
//! [`PARALLEL_MIN_WORK`] in all. Otherwise, or when the driver is called from
//! a worker thread of some other rayon pool (your own outer `par_iter` already
//! keeps the cores busy), everything runs on the calling thread.
//!
//! Parallel sweeps run on a thread pool of leibniz's own, built on first use,
//! never on rayon's global pool, so your own rayon pools are unaffected. Its
//! size is fixed once, by the first of:
//!
//! 1. [`set_threads`]`(n)` called before the first parallel sweep;
//! 2. the environment variable `LEIBNIZ_THREADS` (a positive integer; other
//!    values are ignored), read once;
//! 3. one thread per available core.
//!
//! A count of 1 (`LEIBNIZ_THREADS=1`) is fully serial: no pool is built and
//! no thread is spawned. Should the pool fail to build, the drivers run
//! serially too.
//!
//! Results never depend on the thread count or on the schedule: each column
//! (or row) is computed by one call of your closure on its own, and put in its
//! place; nothing is summed across sweeps. The same inputs give bit-identical
//! results with 1 thread or 16.
//!
//! # Panics
//!
//! The drivers panic if a closure returns a vector of the wrong length (a
//! wrong `n_in` / `n_out` passed to the driver, or a buggy closure); a panic in
//! a closure propagates to the caller, from whichever thread it ran on.
//!
//! ```
//! # use leibniz_runtime as leibniz;
//! use leibniz::drivers::{jacobian_auto, hessian_from_hvp};
//!
//! // f(x) = [x0 x1, x0 + 2 x1, x1²] at x = (3, 2): J = [[2, 3], [1, 2], [0, 4]]
//! let x = [3.0_f64, 2.0];
//! let jvp = |v: &[f64]| vec![x[1] * v[0] + x[0] * v[1], v[0] + 2.0 * v[1], 2.0 * x[1] * v[1]];
//! let vjp = |w: &[f64]| vec![x[1] * w[0] + w[1], x[0] * w[0] + 2.0 * w[1] + 2.0 * x[1] * w[2]];
//! let j = jacobian_auto(2, 3, jvp, vjp);
//! assert_eq!(j, vec![vec![2.0, 3.0], vec![1.0, 2.0], vec![0.0, 4.0]]);
//!
//! // g(x) = x0² x1: H = [[2 x1, 2 x0], [2 x0, 0]]
//! let hvp = |v: &[f64]| vec![2.0 * x[1] * v[0] + 2.0 * x[0] * v[1], 2.0 * x[0] * v[0]];
//! assert_eq!(hessian_from_hvp(2, hvp), vec![vec![4.0, 6.0], vec![6.0, 0.0]]);
//! ```

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use num_traits::Float;
use rayon::ThreadPool;
use rayon::prelude::*;

// ---------------------------------------------------------------------------
// Thread count and pool
// ---------------------------------------------------------------------------

/// The fewest sweeps (columns, rows or batches) for which the drivers
/// consider running in parallel; below it they always run serially.
pub const PARALLEL_MIN_SWEEPS: usize = 8;

/// The least estimated work, for the sweeps after the first, for which the
/// drivers run in parallel: 200 µs. The estimate is the time the first sweep
/// took times the number of sweeps left. Below it the cost of waking the
/// pool's threads would eat the gain.
pub const PARALLEL_MIN_WORK: Duration = Duration::from_micros(200);

/// The environment variable read (once) for the thread count.
const THREADS_ENV: &str = "LEIBNIZ_THREADS";

/// The thread count, fixed on first use or by `set_threads`.
static THREADS: OnceLock<usize> = OnceLock::new();

/// The pool, built on the first parallel sweep; `None` when serial (one
/// thread, or the pool failed to build).
static POOL: OnceLock<Option<ThreadPool>> = OnceLock::new();

fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The thread count from `LEIBNIZ_THREADS`, or one per core.
fn default_threads() -> usize {
    std::env::var(THREADS_ENV)
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(available_cores)
}

/// Sets the number of threads the drivers may use, before their first use.
///
/// `n` threads, `n >= 1`; `n == 1` means fully serial (no pool is ever
/// built). `n == 0` means one thread per available core, ignoring
/// `LEIBNIZ_THREADS`. This call takes precedence over the environment
/// variable.
///
/// The count is fixed once per process: by the first call of `set_threads`,
/// or by the first call of [`threads`] or of a driver, whichever comes first
/// (a driver fixes it from `LEIBNIZ_THREADS` or the number of cores). Returns
/// `true` when this call fixed the count, `false` when it was already fixed,
/// in which case nothing changes. Call it early in `main`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::{set_threads, threads};
///
/// let fixed_here = set_threads(2);
/// // Now fixed, by this call or an earlier one: later calls change nothing.
/// assert!(!set_threads(3));
/// if fixed_here {
///     assert_eq!(threads(), 2);
/// }
/// ```
pub fn set_threads(n: usize) -> bool {
    let n = if n == 0 { available_cores() } else { n };
    THREADS.set(n).is_ok()
}

/// The number of threads the drivers use (1: serial).
///
/// Fixes the count if it is not fixed yet (see [`set_threads`]).
///
/// ```
/// # use leibniz_runtime as leibniz;
/// assert!(leibniz::drivers::threads() >= 1);
/// ```
pub fn threads() -> usize {
    *THREADS.get_or_init(default_threads)
}

/// leibniz's own pool, built on first use; `None` means run serially.
fn pool() -> Option<&'static ThreadPool> {
    POOL.get_or_init(|| {
        let n = threads();
        if n <= 1 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .thread_name(|i| format!("leibniz-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Where the sweeps after the first run.
#[derive(Clone, Copy)]
enum Exec<'p> {
    /// On the calling thread.
    Serial,
    /// On this pool, when the work is large enough.
    Pool(&'p ThreadPool),
}

fn exec() -> Exec<'static> {
    match pool() {
        Some(p) => Exec::Pool(p),
        None => Exec::Serial,
    }
}

/// Runs `sweep(state, s)` for `s` in `0..count` and returns the results in
/// order. `init` makes one scratch state per thread.
///
/// Sweep 0 runs on the calling thread and is timed; the rest run in parallel
/// on `exec`'s pool only if the work estimate passes the thresholds.
fn run_sweeps<S, T, I, W>(exec: Exec<'_>, count: usize, init: I, sweep: W) -> Vec<T>
where
    T: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, usize) -> T + Sync,
{
    let mut out = Vec::with_capacity(count);
    if count == 0 {
        return out;
    }
    let mut state = init();
    let start = Instant::now();
    out.push(sweep(&mut state, 0));
    let first = start.elapsed();

    let rest = count - 1;
    let parallel = match exec {
        Exec::Pool(p) if count >= PARALLEL_MIN_SWEEPS => {
            // Inside another rayon pool: that pool's parallelism suffices.
            let foreign =
                rayon::current_thread_index().is_some() && p.current_thread_index().is_none();
            let work = first.saturating_mul(u32::try_from(rest).unwrap_or(u32::MAX));
            (!foreign && work >= PARALLEL_MIN_WORK).then_some(p)
        }
        _ => None,
    };
    match parallel {
        Some(p) => {
            let tail: Vec<T> = p.install(|| {
                (1..count)
                    .into_par_iter()
                    .map_init(&init, |s, j| sweep(s, j))
                    .collect()
            });
            out.extend(tail);
        }
        None => out.extend((1..count).map(|j| sweep(&mut state, j))),
    }
    out
}

// ---------------------------------------------------------------------------
// Shape checks and assembly
// ---------------------------------------------------------------------------

#[track_caller]
fn expect_len(what: &str, index: usize, found: usize, expected: usize) {
    assert!(
        found == expected,
        "leibniz drivers: {what} {index} has length {found}, expected {expected}"
    );
}

/// `cols[j][i]` (each of length `m`) to rows `J[i][j]`.
fn transpose<F: Float>(cols: &[Vec<F>], m: usize) -> Vec<Vec<F>> {
    (0..m)
        .map(|i| cols.iter().map(|c| c[i]).collect())
        .collect()
}

/// Splits `n` unit directions into batches of at most `k` (`k = 0` counts as
/// 1): the number of batches and their sizes.
fn batches(n: usize, k: usize) -> (usize, usize) {
    let k = k.max(1);
    (n.div_ceil(k), k)
}

/// One batched sweep: sets unit vectors `e_{start..start+kb}` in `buf`
/// (`k` zero vectors of length `n`), calls `dir_k`, resets `buf`, and checks
/// the shape of what came back.
#[track_caller]
#[allow(clippy::too_many_arguments)]
fn batched_sweep<F: Float>(
    buf: &mut [Vec<F>],
    b: usize,
    k: usize,
    n: usize,
    m: usize,
    what: &str,
    dir_k: &(impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync),
) -> Vec<Vec<F>> {
    let start = b * k;
    let kb = k.min(n - start);
    for (t, d) in buf.iter_mut().take(kb).enumerate() {
        d[start + t] = F::one();
    }
    let got = dir_k(&buf[..kb]);
    for (t, d) in buf.iter_mut().take(kb).enumerate() {
        d[start + t] = F::zero();
    }
    assert!(
        got.len() == kb,
        "leibniz drivers: batch {b} of {kb} directions returned {} results",
        got.len()
    );
    for (t, g) in got.iter().enumerate() {
        expect_len(what, start + t, g.len(), m);
    }
    got
}

// ---------------------------------------------------------------------------
// Jacobians
// ---------------------------------------------------------------------------

fn forward_on<F: Float + Send + Sync>(
    exec: Exec<'_>,
    n_in: usize,
    jvp: &(impl Fn(&[F]) -> Vec<F> + Sync),
) -> Vec<Vec<F>> {
    if n_in == 0 {
        // No columns, but the number of rows is still J's: ask the JVP.
        return vec![Vec::new(); jvp(&[]).len()];
    }
    let cols = run_sweeps(
        exec,
        n_in,
        || vec![F::zero(); n_in],
        |e, j| {
            e[j] = F::one();
            let c = jvp(e);
            e[j] = F::zero();
            c
        },
    );
    let m = cols[0].len();
    for (j, c) in cols.iter().enumerate() {
        expect_len("Jacobian column J e_j, j =", j, c.len(), m);
    }
    transpose(&cols, m)
}

fn reverse_on<F: Float + Send + Sync>(
    exec: Exec<'_>,
    n_out: usize,
    n_in: usize,
    vjp: &(impl Fn(&[F]) -> Vec<F> + Sync),
) -> Vec<Vec<F>> {
    run_sweeps(
        exec,
        n_out,
        || vec![F::zero(); n_out],
        |e, i| {
            e[i] = F::one();
            let r = vjp(e);
            e[i] = F::zero();
            expect_len("Jacobian row Jᵀ e_i, i =", i, r.len(), n_in);
            r
        },
    )
}

/// The Jacobian `J[out][in]` of a function with `n_in` inputs, column by
/// column from forward-mode products: column `j` is `jvp(e_j) = J e_j`.
///
/// `n_in` calls of `jvp` (one when `n_in == 0`, to learn the number of
/// outputs); columns in parallel when large (see the [module
/// docs](self#parallelism)).
///
/// # Panics
///
/// If `jvp` returns vectors of different lengths.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::jacobian_forward;
///
/// // f(x) = [x0 x1, sin x0] at x = (0, 3): J = [[3, 0], [1, 0]]
/// let x = [0.0_f64, 3.0];
/// let jvp = |v: &[f64]| vec![x[1] * v[0] + x[0] * v[1], x[0].cos() * v[0]];
/// assert_eq!(jacobian_forward(2, jvp), vec![vec![3.0, 0.0], vec![1.0, 0.0]]);
/// ```
pub fn jacobian_forward<F: Float + Send + Sync>(
    n_in: usize,
    jvp: impl Fn(&[F]) -> Vec<F> + Sync,
) -> Vec<Vec<F>> {
    forward_on(exec(), n_in, &jvp)
}

/// The Jacobian `J[out][in]` (`n_out` × `n_in`), row by row from
/// reverse-mode products: row `i` is `vjp(e_i) = Jᵀ e_i`.
///
/// `n_out` calls of `vjp`; rows in parallel when large (see the [module
/// docs](self#parallelism)). `vjp` must return `Jᵀ w` itself on each call
/// (not add into a buffer shared between calls).
///
/// # Panics
///
/// If `vjp` returns a vector whose length is not `n_in`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::jacobian_reverse;
///
/// // f(x) = [x0 x1, sin x0] at x = (0, 3): J = [[3, 0], [1, 0]]
/// let x = [0.0_f32, 3.0];
/// let vjp = |w: &[f32]| vec![x[1] * w[0] + x[0].cos() * w[1], x[0] * w[0]];
/// assert_eq!(jacobian_reverse(2, 2, vjp), vec![vec![3.0, 0.0], vec![1.0, 0.0]]);
/// ```
pub fn jacobian_reverse<F: Float + Send + Sync>(
    n_out: usize,
    n_in: usize,
    vjp: impl Fn(&[F]) -> Vec<F> + Sync,
) -> Vec<Vec<F>> {
    reverse_on(exec(), n_out, n_in, &vjp)
}

/// The Jacobian `J[out][in]` (`n_out` × `n_in`) by whichever mode needs
/// fewer sweeps: forward ([`jacobian_forward`], `n_in` calls of `jvp`) when
/// `n_in <= n_out`, reverse ([`jacobian_reverse`], `n_out` calls of `vjp`)
/// otherwise. Ties go to forward mode, whose sweeps are cheaper (no tape).
///
/// # Panics
///
/// As [`jacobian_forward`] or [`jacobian_reverse`], and if the mode chosen
/// finds a number of outputs other than `n_out`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::jacobian_auto;
///
/// // f(x) = x0 + 2 x1 + 3 x2: one output, so one reverse sweep
/// let calls = std::sync::atomic::AtomicUsize::new(0);
/// let jvp = |v: &[f64]| { calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed); vec![v[0] + 2.0 * v[1] + 3.0 * v[2]] };
/// let vjp = |w: &[f64]| vec![w[0], 2.0 * w[0], 3.0 * w[0]];
/// assert_eq!(jacobian_auto(3, 1, &jvp, vjp), vec![vec![1.0, 2.0, 3.0]]);
/// assert_eq!(calls.into_inner(), 0); // the JVP was not used
/// ```
pub fn jacobian_auto<F: Float + Send + Sync>(
    n_in: usize,
    n_out: usize,
    jvp: impl Fn(&[F]) -> Vec<F> + Sync,
    vjp: impl Fn(&[F]) -> Vec<F> + Sync,
) -> Vec<Vec<F>> {
    if n_in <= n_out {
        let j = forward_on(exec(), n_in, &jvp);
        assert!(
            j.len() == n_out,
            "leibniz drivers: jacobian_auto: the JVP has {} outputs, expected {n_out}",
            j.len()
        );
        j
    } else {
        reverse_on(exec(), n_out, n_in, &vjp)
    }
}

fn forward_batched_on<F: Float + Send + Sync>(
    exec: Exec<'_>,
    n_in: usize,
    n_out: usize,
    k: usize,
    jvp_k: &(impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync),
) -> Vec<Vec<F>> {
    let (nb, k) = batches(n_in, k);
    let kk = k.min(n_in);
    let groups = run_sweeps(
        exec,
        nb,
        || vec![vec![F::zero(); n_in]; kk],
        |buf, b| batched_sweep(buf, b, k, n_in, n_out, "Jacobian column J e_j, j =", jvp_k),
    );
    let cols: Vec<Vec<F>> = groups.into_iter().flatten().collect();
    transpose(&cols, n_out)
}

fn reverse_batched_on<F: Float + Send + Sync>(
    exec: Exec<'_>,
    n_out: usize,
    n_in: usize,
    k: usize,
    vjp_k: &(impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync),
) -> Vec<Vec<F>> {
    let (nb, k) = batches(n_out, k);
    let kk = k.min(n_out);
    let groups = run_sweeps(
        exec,
        nb,
        || vec![vec![F::zero(); n_out]; kk],
        |buf, b| batched_sweep(buf, b, k, n_out, n_in, "Jacobian row Jᵀ e_i, i =", vjp_k),
    );
    groups.into_iter().flatten().collect()
}

/// [`jacobian_forward`] with `k` tangent directions per call: `jvp_k(vs)`
/// gets a slice of unit vectors `e_j, e_{j+1}, ...` (each of length `n_in`)
/// and returns `J v` for each, in order (each of length `n_out`).
///
/// Calls `jvp_k` `ceil(n_in / k)` times; every batch holds `k` directions
/// except the last, which holds the `n_in % k` left over (when not zero): a
/// sweep that needs exactly `k` lanes pads with zero directions itself.
/// `k = 0` counts as 1. Batches run in parallel when large (see the [module
/// docs](self#parallelism)).
///
/// # Panics
///
/// If `jvp_k` returns a number of results other than the number of
/// directions it got, or one whose length is not `n_out`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::jacobian_forward_batched;
///
/// // f(x) = [x0 + x1 + x2, x0 x2] at x = (2, 5, 3): J = [[1, 1, 1], [3, 0, 2]]
/// let x = [2.0_f64, 5.0, 3.0];
/// let jvp_k = |vs: &[Vec<f64>]| {
///     vs.iter().map(|v| vec![v[0] + v[1] + v[2], x[2] * v[0] + x[0] * v[2]]).collect()
/// };
/// let j = jacobian_forward_batched(3, 2, 2, jvp_k); // batches of 2 and 1
/// assert_eq!(j, vec![vec![1.0, 1.0, 1.0], vec![3.0, 0.0, 2.0]]);
/// ```
pub fn jacobian_forward_batched<F: Float + Send + Sync>(
    n_in: usize,
    n_out: usize,
    k: usize,
    jvp_k: impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync,
) -> Vec<Vec<F>> {
    forward_batched_on(exec(), n_in, n_out, k, &jvp_k)
}

/// [`jacobian_reverse`] with `k` cotangent directions per call: `vjp_k(ws)`
/// gets a slice of unit vectors `e_i, e_{i+1}, ...` (each of length `n_out`)
/// and returns `Jᵀ w` for each, in order (each of length `n_in`).
///
/// Batches as in [`jacobian_forward_batched`]: `ceil(n_out / k)` calls, the
/// last one possibly with fewer than `k` directions; `k = 0` counts as 1.
///
/// # Panics
///
/// If `vjp_k` returns a number of results other than the number of
/// directions it got, or one whose length is not `n_in`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::jacobian_reverse_batched;
///
/// // J = [[1, 1, 1], [3, 0, 2]]
/// let vjp_k = |ws: &[Vec<f64>]| {
///     ws.iter().map(|w| vec![w[0] + 3.0 * w[1], w[0], w[0] + 2.0 * w[1]]).collect()
/// };
/// let j = jacobian_reverse_batched(2, 3, 4, vjp_k); // one batch of 2
/// assert_eq!(j, vec![vec![1.0, 1.0, 1.0], vec![3.0, 0.0, 2.0]]);
/// ```
pub fn jacobian_reverse_batched<F: Float + Send + Sync>(
    n_out: usize,
    n_in: usize,
    k: usize,
    vjp_k: impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync,
) -> Vec<Vec<F>> {
    reverse_batched_on(exec(), n_out, n_in, k, &vjp_k)
}

/// [`jacobian_auto`] with `k` directions per call: forward
/// ([`jacobian_forward_batched`]) when `n_in <= n_out`, reverse
/// ([`jacobian_reverse_batched`]) otherwise.
///
/// # Panics
///
/// As the batched driver chosen.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::jacobian_auto_batched;
///
/// // f(x) = [x0 - x1, 2 x1, x0 + x1]: 2 inputs < 3 outputs, forward mode
/// let jvp_k = |vs: &[Vec<f64>]| vs.iter().map(|v| vec![v[0] - v[1], 2.0 * v[1], v[0] + v[1]]).collect();
/// let vjp_k = |ws: &[Vec<f64>]| ws.iter().map(|w| vec![w[0] + w[2], -w[0] + 2.0 * w[1] + w[2]]).collect();
/// let j = jacobian_auto_batched(2, 3, 8, jvp_k, vjp_k);
/// assert_eq!(j, vec![vec![1.0, -1.0], vec![0.0, 2.0], vec![1.0, 1.0]]);
/// ```
pub fn jacobian_auto_batched<F: Float + Send + Sync>(
    n_in: usize,
    n_out: usize,
    k: usize,
    jvp_k: impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync,
    vjp_k: impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync,
) -> Vec<Vec<F>> {
    if n_in <= n_out {
        forward_batched_on(exec(), n_in, n_out, k, &jvp_k)
    } else {
        reverse_batched_on(exec(), n_out, n_in, k, &vjp_k)
    }
}

// ---------------------------------------------------------------------------
// Hessians
// ---------------------------------------------------------------------------

/// `(a + b) / 2`, exact when `a == b`, without overflow for huge entries.
#[inline]
fn mean<F: Float>(a: F, b: F) -> F {
    if a == b {
        return a;
    }
    let half = F::one() / (F::one() + F::one());
    let s = (a + b) * half;
    if s.is_finite() {
        s
    } else {
        a * half + b * half
    }
}

/// Symmetrises columns `cols[j] = H e_j` into `(H + Hᵀ) / 2`, in place
/// (the result is symmetric, so its rows are its columns).
fn symmetrise<F: Float>(mut cols: Vec<Vec<F>>) -> Vec<Vec<F>> {
    let n = cols.len();
    for i in 0..n {
        for j in i + 1..n {
            let m = mean(cols[j][i], cols[i][j]);
            cols[i][j] = m;
            cols[j][i] = m;
        }
    }
    cols
}

fn hessian_on<F: Float + Send + Sync>(
    exec: Exec<'_>,
    n: usize,
    hvp: &(impl Fn(&[F]) -> Vec<F> + Sync),
) -> Vec<Vec<F>> {
    let cols = run_sweeps(
        exec,
        n,
        || vec![F::zero(); n],
        |e, j| {
            e[j] = F::one();
            let c = hvp(e);
            e[j] = F::zero();
            expect_len("Hessian column H e_j, j =", j, c.len(), n);
            c
        },
    );
    symmetrise(cols)
}

fn hessian_batched_on<F: Float + Send + Sync>(
    exec: Exec<'_>,
    n: usize,
    k: usize,
    hvp_k: &(impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync),
) -> Vec<Vec<F>> {
    let (nb, k) = batches(n, k);
    let kk = k.min(n);
    let groups = run_sweeps(
        exec,
        nb,
        || vec![vec![F::zero(); n]; kk],
        |buf, b| batched_sweep(buf, b, k, n, n, "Hessian column H e_j, j =", hvp_k),
    );
    let cols: Vec<Vec<F>> = groups.into_iter().flatten().collect();
    symmetrise(cols)
}

/// The dense Hessian `H[i][j]` (`n` × `n`) of a scalar function from
/// Hessian-vector products: column `j` is `hvp(e_j) = H e_j`; the result is
/// then **symmetrised**, `(H + Hᵀ) / 2`.
///
/// A Hessian is symmetric, but columns from `n` separate HVP sweeps round
/// differently, so `H[i][j]` and `H[j][i]` may differ in their last bits.
/// The result is their mean (the nearest symmetric matrix), exactly
/// symmetric, and equal to the raw columns wherever they already agree. A
/// large asymmetry is a bug in the HVP, which this hides: to see the raw
/// columns, call [`jacobian_forward`]`(n, hvp)` (the Jacobian of the
/// gradient), or check the HVP with [`check_hvp`](crate::check::check_hvp).
///
/// `n` calls of `hvp`; columns in parallel when large (see the [module
/// docs](self#parallelism)).
///
/// # Panics
///
/// If `hvp` returns a vector whose length is not `n`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::hessian_from_hvp;
///
/// // f(x) = x0² x1 + x1³ at x = (1, 2): H = [[2 x1, 2 x0], [2 x0, 6 x1]]
/// let x = [1.0_f64, 2.0];
/// let hvp = |v: &[f64]| vec![
///     2.0 * x[1] * v[0] + 2.0 * x[0] * v[1],
///     2.0 * x[0] * v[0] + 6.0 * x[1] * v[1],
/// ];
/// assert_eq!(hessian_from_hvp(2, hvp), vec![vec![4.0, 2.0], vec![2.0, 12.0]]);
///
/// // slightly asymmetric columns are averaged
/// let skew = |v: &[f64]| vec![v[1] * 1.5, v[0] * 0.5];
/// assert_eq!(hessian_from_hvp(2, skew), vec![vec![0.0, 1.0], vec![1.0, 0.0]]);
/// ```
pub fn hessian_from_hvp<F: Float + Send + Sync>(
    n: usize,
    hvp: impl Fn(&[F]) -> Vec<F> + Sync,
) -> Vec<Vec<F>> {
    hessian_on(exec(), n, &hvp)
}

/// [`hessian_from_hvp`] with `k` directions per call: `hvp_k(vs)` gets a
/// slice of unit vectors and returns `H v` for each, in order. Batches as in
/// [`jacobian_forward_batched`]; the result is symmetrised the same way.
///
/// # Panics
///
/// If `hvp_k` returns a number of results other than the number of
/// directions it got, or one whose length is not `n`.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::drivers::hessian_from_hvp_batched;
///
/// // f(x) = x0 x1 x2 at x = (1, 2, 3): H = [[0, 3, 2], [3, 0, 1], [2, 1, 0]]
/// let x = [1.0_f32, 2.0, 3.0];
/// let hvp_k = |vs: &[Vec<f32>]| vs.iter().map(|v| vec![
///     x[2] * v[1] + x[1] * v[2],
///     x[2] * v[0] + x[0] * v[2],
///     x[1] * v[0] + x[0] * v[1],
/// ]).collect();
/// let h = hessian_from_hvp_batched(3, 2, hvp_k);
/// assert_eq!(h, vec![vec![0.0, 3.0, 2.0], vec![3.0, 0.0, 1.0], vec![2.0, 1.0, 0.0]]);
/// ```
pub fn hessian_from_hvp_batched<F: Float + Send + Sync>(
    n: usize,
    k: usize,
    hvp_k: impl Fn(&[Vec<F>]) -> Vec<Vec<F>> + Sync,
) -> Vec<Vec<F>> {
    hessian_batched_on(exec(), n, k, &hvp_k)
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::Mutex;

    /// A fixed, dense, non-symmetric n_out × n_in matrix.
    fn matrix(n_out: usize, n_in: usize) -> Vec<Vec<f64>> {
        (0..n_out)
            .map(|i| {
                (0..n_in)
                    .map(|j| {
                        ((i * 7 + j * 3) % 11) as f64 * 0.25 - 1.0
                            + (i as f64 + 1.0).sin() * j as f64
                    })
                    .collect()
            })
            .collect()
    }

    fn mv(a: &[Vec<f64>], v: &[f64]) -> Vec<f64> {
        a.iter()
            .map(|r| r.iter().zip(v).map(|(p, q)| p * q).sum())
            .collect()
    }

    fn mtv(a: &[Vec<f64>], w: &[f64]) -> Vec<f64> {
        let n = a.first().map_or(0, Vec::len);
        (0..n)
            .map(|j| a.iter().zip(w).map(|(r, q)| r[j] * q).sum())
            .collect()
    }

    /// A JVP that takes a while, so that the work estimate goes parallel.
    fn slow_mv(a: &[Vec<f64>], v: &[f64]) -> Vec<f64> {
        std::thread::sleep(Duration::from_micros(300));
        mv(a, v)
    }

    fn pools() -> Vec<ThreadPool> {
        [1, 2, 3, 4]
            .iter()
            .map(|&n| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn sweeps_in_order_serial_and_parallel() {
        let serial = run_sweeps(Exec::Serial, 50, || (), |_, j| j * j);
        assert_eq!(serial, (0..50).map(|j| j * j).collect::<Vec<_>>());
        for p in pools() {
            let seen = Mutex::new(HashSet::new());
            let par = run_sweeps(
                Exec::Pool(&p),
                40,
                || (),
                |_, j| {
                    std::thread::sleep(Duration::from_micros(200));
                    seen.lock().unwrap().insert(std::thread::current().id());
                    j * j
                },
            );
            assert_eq!(par, (0..40).map(|j| j * j).collect::<Vec<_>>());
            // sweep 0 on this thread, the rest on the pool's threads
            let seen = seen.into_inner().unwrap();
            assert!(seen.len() >= 2);
        }
        assert!(run_sweeps(Exec::Serial, 0, || (), |_, j| j).is_empty());
    }

    #[test]
    fn small_or_cheap_work_stays_serial() {
        let p = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let me = std::thread::current().id();
        // cheap sweeps: the estimate is far below PARALLEL_MIN_WORK (unless
        // the timed first sweep was preempted: allow a few tries)
        let serial = (0..5).any(|_| {
            let ids = run_sweeps(
                Exec::Pool(&p),
                100,
                || (),
                |_, _| std::thread::current().id(),
            );
            ids.iter().all(|&t| t == me)
        });
        assert!(serial);
        // few sweeps, however slow
        let ids = run_sweeps(
            Exec::Pool(&p),
            PARALLEL_MIN_SWEEPS - 1,
            || (),
            |_, _| {
                std::thread::sleep(Duration::from_millis(1));
                std::thread::current().id()
            },
        );
        assert!(ids.iter().all(|&t| t == me));
        // called from a worker of another pool: serial on that worker
        let other = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        other.install(|| {
            let me = std::thread::current().id();
            let ids = run_sweeps(
                Exec::Pool(&p),
                20,
                || (),
                |_, _| {
                    std::thread::sleep(Duration::from_micros(300));
                    std::thread::current().id()
                },
            );
            assert!(ids.iter().all(|&t| t == me));
        });
    }

    #[test]
    fn deterministic_across_thread_counts() {
        let (m, n) = (13, 37);
        let a = matrix(m, n);
        let reference_f = forward_on(Exec::Serial, n, &|v: &[f64]| slow_mv(&a, v));
        let reference_r = reverse_on(Exec::Serial, m, n, &|w: &[f64]| mtv(&a, w));
        assert_eq!(reference_f, a);
        assert_eq!(reference_r, a);
        for p in pools() {
            let e = Exec::Pool(&p);
            assert_eq!(forward_on(e, n, &|v: &[f64]| slow_mv(&a, v)), reference_f);
            assert_eq!(reverse_on(e, m, n, &|w: &[f64]| mtv(&a, w)), reference_r);
            for k in [1, 2, 5, 37, 64] {
                let jk = |vs: &[Vec<f64>]| {
                    std::thread::sleep(Duration::from_micros(300));
                    vs.iter().map(|v| mv(&a, v)).collect()
                };
                assert_eq!(forward_batched_on(e, n, m, k, &jk), reference_f);
                let rk = |ws: &[Vec<f64>]| ws.iter().map(|w| mtv(&a, w)).collect();
                assert_eq!(reverse_batched_on(e, m, n, k, &rk), reference_r);
            }
        }
    }

    #[test]
    fn hessian_symmetrised_on_any_pool() {
        let n = 20;
        // skewed "HVP": S = A + small antisymmetric part
        let a = matrix(n, n);
        let sym: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| 0.5 * (a[i][j] + a[j][i])).collect())
            .collect();
        let h = hessian_on(Exec::Serial, n, &|v: &[f64]| mv(&a, v));
        for i in 0..n {
            for j in 0..n {
                assert_eq!(h[i][j], h[j][i]);
                assert!((h[i][j] - sym[i][j]).abs() < 1e-14);
            }
        }
        for p in pools() {
            let e = Exec::Pool(&p);
            assert_eq!(hessian_on(e, n, &|v: &[f64]| slow_mv(&a, v)), h);
            for k in [1, 3, 20] {
                let hk = |vs: &[Vec<f64>]| vs.iter().map(|v| slow_mv(&a, v)).collect();
                assert_eq!(hessian_batched_on(e, n, k, &hk), h);
            }
        }
    }

    #[test]
    fn mean_is_exact_and_safe() {
        assert_eq!(mean(0.1_f64, 0.1), 0.1);
        assert_eq!(mean(1.0_f64, 3.0), 2.0);
        assert_eq!(mean(f64::MAX, f64::MAX * 0.5), f64::MAX * 0.75);
        assert!(mean(f64::NAN, 1.0).is_nan());
        assert_eq!(mean(1.0_f32, 2.0), 1.5);
    }

    #[test]
    fn batches_split() {
        assert_eq!(batches(7, 3), (3, 3));
        assert_eq!(batches(6, 3), (2, 3));
        assert_eq!(batches(5, 0), (5, 1));
        assert_eq!(batches(0, 4), (0, 4));
    }
}
