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

    /// Bytes in use (the length of every stack).
    pub fn used_bytes(&self) -> usize {
        self.f64s.len() * 8 + self.f32s.len() * 4 + self.words.len() * 8 + self.anys.len() * core::mem::size_of::<AnyBox>()
    }

    /// Room for exactly `f64s`, `f32s` and `words` more values of each
    /// kind (the stacks grow to the sum once, without doubling).
    #[doc(hidden)]
    #[inline]
    pub fn reserve_exact(&mut self, f64s: usize, f32s: usize, words: usize) {
        if f64s > 0 {
            self.f64s.reserve_exact(f64s);
        }
        if f32s > 0 {
            self.f32s.reserve_exact(f32s);
        }
        if words > 0 {
            self.words.reserve_exact(words);
        }
    }

    /// Room for `n` more `f64` values: grows to exactly what is needed when
    /// the request is at least as large as what is held (a first, exact
    /// reservation), by doubling otherwise.
    #[doc(hidden)]
    #[inline]
    pub fn reserve_f64(&mut self, n: usize) {
        let free = self.f64s.capacity() - self.f64s.len();
        if n > free {
            if n >= self.f64s.len() {
                self.f64s.reserve_exact(n);
            } else {
                self.f64s.reserve(n);
            }
        }
    }

    /// The current position of every stack (see [`TapeBuf::truncate`]).
    #[doc(hidden)]
    #[inline(always)]
    pub fn mark(&self) -> TapeMark {
        TapeMark { f64s: self.f64s.len(), f32s: self.f32s.len(), words: self.words.len(), anys: self.anys.len() }
    }

    /// Drops everything pushed after `m`.
    #[doc(hidden)]
    #[inline(always)]
    pub fn truncate(&mut self, m: TapeMark) {
        self.f64s.truncate(m.f64s);
        self.f32s.truncate(m.f32s);
        self.words.truncate(m.words);
        if m.anys < self.anys.len() {
            self.anys.truncate(m.anys);
        }
    }

    /// Empties the tape, keeping its storage.
    #[doc(hidden)]
    pub fn clear(&mut self) {
        self.f64s.clear();
        self.f32s.clear();
        self.words.clear();
        self.anys.clear();
    }
}

/// A position on a tape: the length of each of its stacks.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TapeMark {
    f64s: usize,
    f32s: usize,
    words: usize,
    anys: usize,
}

/// What the backward sweep pops from: a [`TapeRead`] cursor (the tape stays
/// intact, so that it can be pulled back several times), or a [`TapeBuf`]
/// used as a stack (pops remove what they read). The latter serves sweeps
/// that run forward and backward parts in one function: fused loops and
/// loops recomputed iteration by iteration, where each iteration pushes and
/// then pops its own values, so the tape holds one iteration at a time.
#[doc(hidden)]
pub trait TapePop {
    /// Pops a value.
    fn pop<T: TapeValue>(&mut self) -> T;
    /// Pops a value of the type the (never called) witness returns.
    fn pop_like<T: TapeValue>(&mut self, witness: impl FnOnce() -> T) -> T;
    /// Runs `f` (a callee's backward sweep) on a cursor over this tape; what
    /// `f` reads is popped.
    fn with_reader<R>(&mut self, f: impl FnOnce(&mut TapeRead<'_>) -> R) -> R;
}

impl TapePop for TapeRead<'_> {
    #[inline(always)]
    fn pop<T: TapeValue>(&mut self) -> T {
        T::pop_from(self)
    }
    #[inline(always)]
    fn pop_like<T: TapeValue>(&mut self, _witness: impl FnOnce() -> T) -> T {
        T::pop_from(self)
    }
    #[inline(always)]
    fn with_reader<R>(&mut self, f: impl FnOnce(&mut TapeRead<'_>) -> R) -> R {
        f(self)
    }
}

impl TapePop for TapeBuf {
    #[inline(always)]
    fn pop<T: TapeValue>(&mut self) -> T {
        self.with_reader(|r| T::pop_from(r))
    }
    #[inline(always)]
    fn pop_like<T: TapeValue>(&mut self, _witness: impl FnOnce() -> T) -> T {
        self.with_reader(|r| T::pop_from(r))
    }
    #[inline(always)]
    fn with_reader<R>(&mut self, f: impl FnOnce(&mut TapeRead<'_>) -> R) -> R {
        let (x, m) = {
            let mut r = self.reader();
            let x = f(&mut r);
            (x, r.mark())
        };
        self.truncate(m);
        x
    }
}

/// Binomial checkpointing (Griewank's *revolve*): the schedule that
/// reverses a loop of `steps` iterations keeping at most `slots` saved
/// states.
///
/// [`Revolve::next`] returns the actions one by one; the generated code
/// performs them on the loop's state (its arrays and carried values):
///
/// * [`Action::Save`]`(slot)`: copy the live state into `slot`;
/// * [`Action::Restore`]`(slot)`: copy `slot` into the live state (the slot
///   keeps it);
/// * [`Action::Advance`]`(from, to)`: run iterations `from..to` of the
///   primal loop on the live state, recording nothing;
/// * [`Action::Reverse`]`(i)`: with the live state the state before
///   iteration `i`, run iteration `i` recording its tape, then its backward
///   sweep (the live state is then undefined); iterations are reversed last
///   first, each once;
/// * [`Action::Done`].
///
/// Segments are split binomially: with `c` free slots a segment of `n ≤
/// C(c + r, c)` iterations runs each iteration forward at most `r` more
/// times. [`Revolve::advances`] counts the iterations run by `Advance`
/// actions (the recomputation overhead).
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Revolve {
    tasks: Vec<Task>,
    queue: std::collections::VecDeque<Action>,
    slots: usize,
    used: usize,
    peak: usize,
    /// The iteration whose start state is live.
    cur: Option<usize>,
    advances: usize,
}

#[derive(Clone, Copy, Debug)]
enum Task {
    /// Reverse iterations `lo..hi`, the state before `lo` in the top slot.
    Rev(usize, usize),
    /// Release the top slot.
    Free,
}

/// One action of a [`Revolve`] schedule.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Save(usize),
    Restore(usize),
    Advance(usize, usize),
    Reverse(usize),
    Done,
}

impl Revolve {
    /// The schedule of `steps` iterations with `slots` saved states (at
    /// least one); the state before iteration 0 is live at the start.
    pub fn new(steps: usize, slots: usize) -> Self {
        let mut r = Revolve { tasks: Vec::new(), queue: Default::default(), slots: slots.max(1), used: 0, peak: 0, cur: Some(0), advances: 0 };
        if steps > 0 {
            r.save();
            r.tasks.push(Task::Rev(0, steps));
        }
        r
    }

    /// Iterations run by `Advance` actions so far (recomputations).
    pub fn advances(&self) -> usize {
        self.advances
    }

    /// Puts `a` back: [`Revolve::next`] returns it next (the forward sweep
    /// stops at the first reversal and leaves it to the backward sweep).
    pub fn defer(&mut self, a: Action) {
        self.queue.push_front(a);
    }

    /// The most slots held at once so far.
    pub fn peak_slots(&self) -> usize {
        self.peak
    }

    fn save(&mut self) {
        self.queue.push_back(Action::Save(self.used));
        self.used += 1;
        self.peak = self.peak.max(self.used);
    }

    fn live(&mut self, lo: usize) {
        if self.cur != Some(lo) {
            self.queue.push_back(Action::Restore(self.used - 1));
            self.cur = Some(lo);
        }
    }

    fn advance(&mut self, lo: usize, to: usize) {
        if to > lo {
            self.queue.push_back(Action::Advance(lo, to));
            self.advances += to - lo;
            self.cur = Some(to);
        }
    }

    /// The next action.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Action {
        loop {
            if let Some(a) = self.queue.pop_front() {
                return a;
            }
            match self.tasks.pop() {
                None => return Action::Done,
                Some(Task::Free) => self.used -= 1,
                Some(Task::Rev(lo, hi)) => {
                    let n = hi - lo;
                    let free = self.slots - self.used;
                    if n == 1 || free == 0 {
                        // Reverse the last iteration from the saved state,
                        // then the rest of the segment.
                        let i = hi - 1;
                        self.live(lo);
                        self.advance(lo, i);
                        self.queue.push_back(Action::Reverse(i));
                        self.cur = None;
                        if i > lo {
                            self.tasks.push(Task::Rev(lo, i));
                        } else {
                            self.tasks.push(Task::Free);
                        }
                    } else {
                        // Split at m: save the state at m, reverse [m, hi)
                        // with one slot fewer, release it, reverse [lo, m).
                        let m = lo + split(n, free);
                        self.live(lo);
                        self.advance(lo, m);
                        self.save();
                        self.tasks.push(Task::Rev(lo, m));
                        self.tasks.push(Task::Rev(m, hi));
                    }
                }
            }
        }
    }
}

/// Where to split a segment of `n > 1` iterations with `c > 0` free slots
/// (`r`: the fewest re-runs with which `c` slots reverse `n`, `n ≤ C(c + r,
/// c)`): the left part gets the most iterations it can reverse with one
/// re-run fewer.
fn split(n: usize, c: usize) -> usize {
    let mut r = 0usize;
    while binom(c + r, c) < n {
        r += 1;
    }
    // The left part is re-run once more than the right (to reach `m`):
    // it may hold up to C(c + r - 1, c) iterations, the right up to
    // C(c - 1 + r, c - 1), and the two sum to C(c + r, c) ≥ n. Taking the
    // left as long as that allows re-runs the fewest iterations.
    if r == 0 {
        return 1;
    }
    binom(c + r - 1, c).clamp(1, n - 1)
}

fn binom(n: usize, k: usize) -> usize {
    // C(n, i) grows with i up to min(k, n - k): an intermediate past
    // `usize::MAX` means the result is too.
    let k = k.min(n - k);
    let mut b: u128 = 1;
    for i in 0..k as u128 {
        b = b * (n as u128 - i) / (i + 1);
        if b > usize::MAX as u128 {
            return usize::MAX;
        }
    }
    b as usize
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
        // The cursor starts at the stack's length and only decreases, and the
        // stack cannot change while it is borrowed: in bounds.
        debug_assert!(self.f64s < self.buf.f64s.len());
        unsafe { *self.buf.f64s.get_unchecked(self.f64s) }
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn pop_f32(&mut self) -> f32 {
        self.f32s = self.f32s.checked_sub(1).unwrap_or_else(|| exhausted());
        debug_assert!(self.f32s < self.buf.f32s.len());
        unsafe { *self.buf.f32s.get_unchecked(self.f32s) }
    }

    #[doc(hidden)]
    #[inline(always)]
    pub fn pop_word(&mut self) -> u64 {
        self.words = self.words.checked_sub(1).unwrap_or_else(|| exhausted());
        debug_assert!(self.words < self.buf.words.len());
        unsafe { *self.buf.words.get_unchecked(self.words) }
    }

    /// The position of the cursor.
    #[doc(hidden)]
    #[inline(always)]
    pub fn mark(&self) -> TapeMark {
        TapeMark { f64s: self.f64s, f32s: self.f32s, words: self.words, anys: self.anys }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a schedule on a simulated state (the number of iterations
    /// applied) and checks it: each iteration reversed once, last first,
    /// from the right state, with at most `slots` saved states.
    fn simulate(steps: usize, slots: usize) -> usize {
        let mut r = Revolve::new(steps, slots);
        let mut live: Option<usize> = Some(0);
        let mut saved: Vec<Option<usize>> = vec![None; slots];
        let mut next_rev = steps;
        loop {
            match r.next() {
                Action::Save(s) => {
                    assert!(s < slots, "slot {s} of {slots}");
                    saved[s] = Some(live.expect("save of an undefined state"));
                }
                Action::Restore(s) => live = Some(saved[s].expect("restore of an empty slot")),
                Action::Advance(a, b) => {
                    assert_eq!(live, Some(a));
                    assert!(b > a);
                    live = Some(b);
                }
                Action::Reverse(i) => {
                    assert_eq!(live, Some(i), "reverse {i} from the wrong state");
                    assert_eq!(i + 1, next_rev);
                    next_rev = i;
                    live = None;
                }
                Action::Done => break,
            }
        }
        assert_eq!(next_rev, 0, "every iteration reversed");
        assert!(r.peak_slots() <= slots);
        r.advances()
    }

    #[test]
    fn revolve_schedules_are_valid() {
        for steps in 0..60 {
            for slots in 1..7 {
                simulate(steps, slots);
            }
        }
        // Binomial bound: 100 000 iterations with 20 slots need few
        // recomputations per iteration.
        let adv = simulate(100_000, 20);
        assert!(adv <= 6 * 100_000, "{adv} advances");
        let adv = simulate(1000, 1);
        assert_eq!(adv, 999 * 1000 / 2);
        // Many slots: few recomputations (C(c + r, c) computed without
        // overflowing for large c).
        for slots in [40, 68, 100, 400] {
            let adv = simulate(100_000, slots);
            assert!(adv <= 4 * 100_000, "{slots} slots: {adv} advances");
        }
        assert_eq!(binom(101, 98), 166_650);
    }

    #[test]
    fn tape_buf_pops_like_a_stack() {
        let mut t = TapeBuf::new();
        t.push(1.0f64);
        t.push(2usize);
        let m = t.mark();
        t.push(3.0f64);
        assert_eq!(TapePop::pop::<f64>(&mut t), 3.0);
        assert_eq!(t.mark(), m);
        t.push(4.0f64);
        t.push(5.0f64);
        let x = t.with_reader(|r| r.pop_f64());
        assert_eq!(x, 5.0);
        assert_eq!(TapePop::pop::<f64>(&mut t), 4.0);
        assert_eq!(TapePop::pop::<usize>(&mut t), 2);
        assert_eq!(TapePop::pop::<f64>(&mut t), 1.0);
        assert_eq!(t.used_bytes(), 0);
    }
}
