//! Binomial checkpointing of time-stepping loops.
//!
//! A `for` loop marked `#[checkpoint]` inside a `#[differentiable]` body is
//! not taped in full by `_grad` and `_vjp`: the forward sweep runs it
//! without recording, keeping copies of the loop's state (the arrays and
//! scalars its iterations change) at a few iterations, and the backward
//! sweep reverses it chunk by chunk, last first: it re-runs iterations from
//! the nearest copy, records one chunk of iterations and reverses it. The
//! copies are placed by Griewank's binomial schedule (*revolve*) over the
//! chunks: with `s` copies, `m ≤ C(s + r, s)` chunks are reversed running
//! each one forward at most `r` more times.
//!
//! Defaults, for a loop of `n` iterations: chunks of `⌈n / 4096⌉`
//! iterations (one iteration each up to 4096 iterations), and `4 ⌈log₂ m⌉`
//! copies for `m` chunks. Memory is then those copies of the state plus
//! one chunk's tape (at most 1/4096 of the full tape), and the backward
//! sweep re-runs each iteration about 2 to 4 times. `#[checkpoint(snapshots
//! = S, chunk = C)]` sets either.
//!
//! The functions here compute what a schedule costs before running it.

use crate::tape::{Action, Revolve};

/// The most chunks a loop is split into by default.
pub const DEFAULT_CHUNKS: usize = 4096;

/// The iterations per chunk of a `#[checkpoint]` loop of `steps`
/// iterations when its attribute names none: `⌈steps / 4096⌉`.
pub fn default_chunk(steps: usize) -> usize {
    steps.div_ceil(DEFAULT_CHUNKS).max(1)
}

/// The number of state copies a `#[checkpoint]` loop of `chunks` chunks
/// keeps when its attribute names none: `4 ⌈log₂ chunks⌉` (at least 2), so
/// memory grows with the logarithm of the trip count.
pub fn default_snapshots(chunks: usize) -> usize {
    let lg = usize::BITS - chunks.saturating_sub(1).leading_zeros();
    (4 * lg as usize).max(2)
}

/// What reversing a loop under the binomial schedule costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    /// Iterations of the loop.
    pub steps: usize,
    /// Iterations per chunk (recorded and reversed together).
    pub chunk: usize,
    /// State copies allowed.
    pub snapshots: usize,
    /// State copies held at once at the most (at most `snapshots`; the
    /// forward sweep holds one more, the state the backward sweep starts
    /// from).
    pub peak_snapshots: usize,
    /// Iterations re-run forward without recording, over the whole
    /// backward sweep: the recomputation overhead is `recomputed / steps`
    /// primal runs of the loop (the forward sweep's own run not counted).
    pub recomputed: usize,
}

/// The cost of reversing `steps` iterations with `snapshots` state copies
/// and chunks of `chunk` iterations (`None`: the defaults, as
/// `#[checkpoint]` without options), without running anything.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// let c = leibniz::checkpoint::cost(100_000, None, None);
/// assert!(c.peak_snapshots <= c.snapshots);
/// assert!(c.recomputed < 4 * 100_000);
/// // One copy, one iteration per chunk: iteration i < 99 re-run from the
/// // start (the forward sweep's own run to the last one not counted).
/// assert_eq!(leibniz::checkpoint::cost(100, Some(1), Some(1)).recomputed, 98 * 99 / 2);
/// ```
pub fn cost(steps: usize, snapshots: Option<usize>, chunk: Option<usize>) -> Cost {
    let c = crate::__private::ck_chunk(steps, chunk);
    let m = crate::__private::ck_chunks(steps, c);
    let s = crate::__private::ck_slots(m, snapshots);
    let mut r = Revolve::new(m, s);
    let mut recomputed = 0;
    loop {
        match r.next() {
            Action::Advance(a, b) => recomputed += (b * c).min(steps) - a * c,
            Action::Done => break,
            _ => {}
        }
    }
    // The forward sweep runs the advances before the first reversal.
    let mut f = Revolve::new(m, s);
    loop {
        match f.next() {
            Action::Advance(a, b) => recomputed -= (b * c).min(steps) - a * c,
            Action::Reverse(_) | Action::Done => break,
            _ => {}
        }
    }
    Cost { steps, chunk: c, snapshots: s, peak_snapshots: r.peak_slots(), recomputed }
}
