/// A recorded reverse-mode tape: what the forward sweep of one call of a
/// `#[differentiable]` function saved for its backward sweep.
///
/// `f_record(args..)` returns `(value, tape)`; `f_pullback(&tape, shadows..,
/// dout)` runs the backward sweep for one cotangent `dout` and can be called
/// as often as needed (rows of a Jacobian, several losses) without rerunning
/// the primal. The tape borrows the read-only inputs of the call (`&[F]`
/// arguments, `&self`), so they cannot change while it is alive; the values
/// it saves are owned.
///
/// The tape is a closure over the saved values: one field per value saved
/// outside loops, one stack (a `Vec` of tuples) per loop body that has
/// values to save. [`Tape::bytes`] reports its size.
pub struct Tape<C> {
    bytes: usize,
    pullback: C,
}

impl<C> Tape<C> {
    #[doc(hidden)]
    #[inline(always)]
    pub fn __new(bytes: usize, pullback: C) -> Self {
        Tape { bytes, pullback }
    }

    /// Bytes held by the tape: the saved scalars and branch decisions
    /// outside loops plus the heap bytes of the per-loop stacks (their
    /// capacity, so it counts what was allocated, not only what was used).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn __pullback(&self) -> &C {
        &self.pullback
    }
}

impl<C> core::fmt::Debug for Tape<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tape").field("bytes", &self.bytes).finish_non_exhaustive()
    }
}
