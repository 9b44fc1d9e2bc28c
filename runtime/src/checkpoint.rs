//! Binomial checkpointing of time-stepping loops.
//!
//! A `for` loop marked `#[checkpoint]` inside a `#[differentiable]` body is
//! not taped in full by `_grad` and `_vjp`: the forward sweep runs it
//! without recording, keeping copies of the loop's state (the arrays and
//! scalars its iterations change) at a few iterations, and the backward
//! sweep reverses it iteration by iteration, last first, re-running
//! iterations from the nearest copy and recording only the one being
//! reversed. The copies are placed by Griewank's binomial schedule
//! (*revolve*): with `s` copies, `n ≤ C(s + r, s)` iterations are reversed
//! running each one forward at most `r` more times, so memory is `s`
//! states instead of `n` iterations' tape and time grows like `log n`.
//!
//! The functions here compute what a schedule costs before running it.

use crate::tape::{Action, Revolve};

/// The number of state copies a `#[checkpoint]` loop of `steps` iterations
/// keeps when its attribute names none: `4 ⌈log₂ steps⌉` (at least 2), so
/// memory grows with the logarithm of the trip count and the backward
/// sweep re-runs each iteration about 3 times for 10⁵ steps.
pub fn default_snapshots(steps: usize) -> usize {
    let lg = usize::BITS - steps.saturating_sub(1).leading_zeros();
    (4 * lg as usize).max(2)
}

/// What reversing a loop under the binomial schedule costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cost {
    /// Iterations of the loop.
    pub steps: usize,
    /// State copies allowed.
    pub snapshots: usize,
    /// State copies held at once at the most (at most `snapshots`; the
    /// forward sweep holds one more, the state the backward sweep starts
    /// from).
    pub peak_snapshots: usize,
    /// Iterations re-run forward without recording, over the whole
    /// backward sweep: the recomputation overhead is `recomputed / steps`
    /// primal runs of the loop.
    pub recomputed: usize,
}

/// The cost of reversing `steps` iterations with at most `snapshots` state
/// copies (as `#[checkpoint(snapshots = ..)]` would), without running
/// anything.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// let c = leibniz::checkpoint::cost(100_000, 64);
/// assert!(c.peak_snapshots <= 64);
/// assert!(c.recomputed < 4 * 100_000);
/// ```
pub fn cost(steps: usize, snapshots: usize) -> Cost {
    let mut r = Revolve::new(steps, snapshots);
    while r.next() != Action::Done {}
    Cost { steps, snapshots: snapshots.max(1), peak_snapshots: r.peak_slots(), recomputed: r.advances() }
}
