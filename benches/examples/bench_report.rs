//! One table, measured in one run: for each workload of
//! `benches/workloads`, the primal, leibniz's `_jvp` and `_grad`, a
//! hand-written gradient and num-dual's forward-mode gradient, the heap
//! allocated by leibniz's reverse pass, its tape size, and the target ratios.
//!
//! ```text
//! cargo run --release -p leibniz-bench --example bench_report
//! ```
//!
//! f64, single thread. Each time is the median over repeated samples (each
//! sample runs enough calls to last >= 1 ms; >= 5 samples, about 0.3 s per
//! cell; primal, `_jvp`, `_grad` and hand-written are sampled in turn).
//! Heap bytes come from a counting `#[global_allocator]` around `System`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

#[path = "../workloads/mod.rs"]
mod workloads;
use workloads::*;

// ---------------------------------------------------------------------------
// Counting allocator
// ---------------------------------------------------------------------------

struct Counting;

static BYTES: AtomicUsize = AtomicUsize::new(0);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
/// Bytes held now, and the most held since `peak_heap` reset it.
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn hold(n: usize) {
    let now = LIVE.fetch_add(n, Relaxed) + n;
    PEAK.fetch_max(now, Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size(), Relaxed);
        ALLOCS.fetch_add(1, Relaxed);
        hold(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        BYTES.fetch_add(layout.size(), Relaxed);
        ALLOCS.fetch_add(1, Relaxed);
        hold(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A reallocation counts as one allocation of its new size.
        BYTES.fetch_add(new_size, Relaxed);
        ALLOCS.fetch_add(1, Relaxed);
        if new_size > layout.size() {
            hold(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// The most heap `f` holds at once above what was held before it (one
/// thread runs while it is measured).
fn peak_heap<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let r = black_box(f());
    (PEAK.load(Relaxed) - base, r)
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap bytes and allocations made while `f` runs (what it returns is
/// dropped outside the counted region).
fn count_heap<R>(f: impl FnOnce() -> R) -> (usize, usize, R) {
    let (b0, a0) = (BYTES.load(Relaxed), ALLOCS.load(Relaxed));
    let r = black_box(f());
    let (b1, a1) = (BYTES.load(Relaxed), ALLOCS.load(Relaxed));
    (b1 - b0, a1 - a0, r)
}

// ---------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------

/// Seconds per call of `f`: a warm-up, then an estimate.
fn estimate(f: &mut dyn FnMut()) -> f64 {
    let t = Instant::now();
    f();
    let est = t.elapsed().as_secs_f64();
    if est >= 1e-3 {
        return est;
    }
    let reps = ((0.02 / est.max(1e-9)) as usize).clamp(1, 1_000_000);
    let t = Instant::now();
    for _ in 0..reps {
        f();
    }
    t.elapsed().as_secs_f64() / reps as f64
}

/// Seconds per call of each function: median over samples. Each sample runs
/// enough calls of a function to last about 1 ms; the functions are sampled
/// in turn (round-robin), so that a change of machine load during the
/// measurement hits all of them alike; at least 5 samples each, as many as
/// fit in `budget` seconds per function (at most 51).
fn median_times(fs: &mut [&mut dyn FnMut()], budget: f64) -> Vec<f64> {
    let est: Vec<f64> = fs.iter_mut().map(|f| estimate(&mut **f)).collect();
    let iters: Vec<usize> = est
        .iter()
        .map(|e| ((1e-3 / e.max(1e-9)).ceil() as usize).max(1))
        .collect();
    let round: f64 = est.iter().zip(&iters).map(|(e, &i)| e * i as f64).sum();
    let samples = ((budget * fs.len() as f64 / round) as usize).clamp(5, 51);
    let mut v = vec![Vec::with_capacity(samples); fs.len()];
    for _ in 0..samples {
        for (j, f) in fs.iter_mut().enumerate() {
            let t = Instant::now();
            for _ in 0..iters[j] {
                f();
            }
            v[j].push(t.elapsed().as_secs_f64() / iters[j] as f64);
        }
    }
    v.into_iter()
        .map(|mut s| {
            s.sort_by(|a, b| a.partial_cmp(b).unwrap());
            s[s.len() / 2]
        })
        .collect()
}

fn median_time(mut f: impl FnMut(), budget: f64) -> f64 {
    median_times(&mut [&mut f], budget)[0]
}

const BUDGET: f64 = 0.3;

// ---------------------------------------------------------------------------
// One workload = closures over its instance
// ---------------------------------------------------------------------------

struct Workload<'a> {
    name: String,
    /// Number of active inputs (entries of the gradient).
    inputs: usize,
    /// Targets on gradient ÷ primal: `Some(bound)` where the issue sets one.
    grad_target: Option<f64>,
    primal: Box<dyn FnMut() -> f64 + 'a>,
    jvp: Box<dyn FnMut() -> (f64, f64) + 'a>,
    /// leibniz `_grad`, flattened (only for the correctness check).
    grad_flat: Box<dyn FnMut() -> Vec<f64> + 'a>,
    /// leibniz `_grad`, timed (result black-boxed, not flattened).
    grad: Box<dyn FnMut() + 'a>,
    hand_flat: Box<dyn FnMut() -> Vec<f64> + 'a>,
    hand: Box<dyn FnMut() + 'a>,
    /// num-dual: the forward passes for the inputs in the range.
    nd: Box<dyn FnMut(Range<usize>) + 'a>,
    /// (bytes, allocations) of one `_vjp` into preallocated zeroed shadows.
    rev_heap: Box<dyn FnMut() -> (usize, usize) + 'a>,
    /// (bytes, allocations) of one `_grad` call, output vectors included.
    grad_heap: Box<dyn FnMut() -> (usize, usize) + 'a>,
    /// `_record(..)`'s `tape.bytes()`.
    tape_bytes: Box<dyn FnMut() -> usize + 'a>,
}

struct Row {
    name: String,
    inputs: usize,
    grad_target: Option<f64>,
    primal: f64,
    jvp: f64,
    grad: f64,
    hand: f64,
    /// num-dual full-gradient time (extrapolated when `nd_passes < inputs`).
    nd: f64,
    nd_passes: usize,
    rev_bytes: usize,
    rev_allocs: usize,
    grad_bytes: usize,
    grad_allocs: usize,
    tape_bytes: usize,
    /// max |leibniz - hand| / (1 + |hand|) over the gradient entries.
    max_rel_diff: f64,
}

fn measure(mut w: Workload<'_>) -> Row {
    eprintln!("measuring {} ...", w.name);
    let g = (w.grad_flat)();
    let h = (w.hand_flat)();
    assert_eq!(g.len(), h.len(), "{}: gradient lengths differ", w.name);
    let max_rel_diff = g
        .iter()
        .zip(&h)
        .map(|(a, b)| (a - b).abs() / (1.0 + b.abs()))
        .fold(0.0, f64::max);

    let (mut fp, mut fj) = (
        || {
            black_box((w.primal)());
        },
        || {
            black_box((w.jvp)());
        },
    );
    let t = median_times(&mut [&mut fp, &mut fj, &mut *w.grad, &mut *w.hand], BUDGET);
    let (primal, jvp, grad, hand) = (t[0], t[1], t[2], t[3]);

    // num-dual: one pass per input. Time a single pass first; if the full
    // gradient would take more than ~0.1 s, time a prefix of the passes
    // (about 0.05 s worth) and scale by inputs / passes.
    let t = Instant::now();
    (w.nd)(0..1);
    let one = t.elapsed().as_secs_f64();
    let n = w.inputs;
    let nd_passes = if one * n as f64 <= 0.1 {
        n
    } else {
        ((0.05 / one) as usize).clamp(1, n)
    };
    let nd_budget = if nd_passes == n { BUDGET } else { 0.0 };
    let nd = median_time(|| (w.nd)(0..nd_passes), nd_budget) * n as f64 / nd_passes as f64;

    let (rev_bytes, rev_allocs) = (w.rev_heap)();
    let (grad_bytes, grad_allocs) = (w.grad_heap)();
    let tape_bytes = (w.tape_bytes)();
    Row {
        name: w.name,
        inputs: w.inputs,
        grad_target: w.grad_target,
        primal,
        jvp,
        grad,
        hand,
        nd,
        nd_passes,
        rev_bytes,
        rev_allocs,
        grad_bytes,
        grad_allocs,
        tape_bytes,
        max_rel_diff,
    }
}

fn zeros(n: usize) -> Vec<f64> {
    vec![0.0; n]
}

fn cat(parts: &[&[f64]]) -> Vec<f64> {
    parts.iter().flat_map(|p| p.iter().copied()).collect()
}

// ---------------------------------------------------------------------------
// The workloads
// ---------------------------------------------------------------------------

fn taylor_row() -> Row {
    let (x, n) = (TAYLOR_X, TAYLOR_N);
    measure(Workload {
        name: format!("1. taylor, n = {n}"),
        inputs: 1,
        grad_target: Some(1.5),
        primal: Box::new(move || taylor(black_box(x), black_box(n))),
        jvp: Box::new(move || taylor_jvp(black_box(x), 1.0, black_box(n))),
        grad_flat: Box::new(move || vec![taylor_grad(x, n).1]),
        grad: Box::new(move || {
            black_box(taylor_grad(black_box(x), black_box(n)));
        }),
        hand_flat: Box::new(move || vec![taylor_grad_hand(x, n).1]),
        hand: Box::new(move || {
            black_box(taylor_grad_hand(black_box(x), black_box(n)));
        }),
        nd: Box::new(move |dirs| {
            for _ in dirs {
                black_box(taylor_grad_num_dual(black_box(x), black_box(n)));
            }
        }),
        rev_heap: Box::new(move || {
            let (b, a, _) = count_heap(|| taylor_vjp(black_box(x), black_box(n), 1.0));
            (b, a)
        }),
        grad_heap: Box::new(move || {
            let (b, a, _) = count_heap(|| taylor_grad(black_box(x), black_box(n)));
            (b, a)
        }),
        tape_bytes: Box::new(move || taylor_record(x, n).1.bytes()),
    })
}

fn rosenbrock_row() -> Row {
    let x = rosenbrock_input(ROSENBROCK_N);
    let dx = Rng::new(20).vec(x.len(), -1.0, 1.0);
    let n = x.len();
    let (x, dx) = (&x, &dx);
    let mut gnd = zeros(n);
    measure(Workload {
        name: format!("2. rosenbrock, n = {n}"),
        inputs: n,
        grad_target: Some(3.0),
        primal: Box::new(move || rosenbrock(black_box(x))),
        jvp: Box::new(move || rosenbrock_jvp(black_box(x), black_box(dx))),
        grad_flat: Box::new(move || rosenbrock_grad(x).1),
        grad: Box::new(move || {
            black_box(rosenbrock_grad(black_box(x)));
        }),
        hand_flat: Box::new(move || rosenbrock_grad_hand(x).1),
        hand: Box::new(move || {
            black_box(rosenbrock_grad_hand(black_box(x)));
        }),
        nd: Box::new(move |dirs| {
            black_box(num_dual_partial_grad(rosenbrock_nd, x, dirs, &mut gnd));
        }),
        rev_heap: Box::new(move || {
            let mut g = zeros(n);
            let (b, a, _) = count_heap(|| rosenbrock_vjp(black_box(x), &mut g, 1.0).0);
            (b, a)
        }),
        grad_heap: Box::new(move || {
            let (b, a, _) = count_heap(|| rosenbrock_grad(black_box(x)));
            (b, a)
        }),
        tape_bytes: Box::new(move || rosenbrock_record(x).1.bytes()),
    })
}

fn normalized_row(n: usize) -> Row {
    let (w, x) = normalized_input(n);
    let dx = Rng::new(30).vec(n, -1.0, 1.0);
    let (w, x, dx) = (&w, &x, &dx);
    let mut gnd = zeros(n);
    measure(Workload {
        name: format!("3. normalised loss, n = {n}"),
        inputs: n,
        grad_target: None,
        primal: Box::new(move || normalized_loss(black_box(w), black_box(x))),
        jvp: Box::new(move || normalized_loss_jvp(black_box(w), black_box(x), black_box(dx))),
        grad_flat: Box::new(move || normalized_loss_grad(w, x).1),
        grad: Box::new(move || {
            black_box(normalized_loss_grad(black_box(w), black_box(x)));
        }),
        hand_flat: Box::new(move || normalized_loss_grad_hand(w, x).1),
        hand: Box::new(move || {
            black_box(normalized_loss_grad_hand(black_box(w), black_box(x)));
        }),
        nd: Box::new(move |dirs| {
            black_box(num_dual_partial_grad(
                |p| normalized_loss_nd(w, p),
                x,
                dirs,
                &mut gnd,
            ));
        }),
        rev_heap: Box::new(move || {
            let mut g = zeros(n);
            let (b, a, _) =
                count_heap(|| normalized_loss_vjp(black_box(w), black_box(x), &mut g, 1.0).0);
            (b, a)
        }),
        grad_heap: Box::new(move || {
            let (b, a, _) = count_heap(|| normalized_loss_grad(black_box(w), black_box(x)));
            (b, a)
        }),
        tape_bytes: Box::new(move || normalized_loss_record(w, x).1.bytes()),
    })
}

fn particles_row() -> Row {
    let s = Particles::bench();
    let dv = Rng::new(40).vec(s.v0.len(), -1.0, 1.0);
    let n = s.v0.len();
    let (s, dv) = (&s, &dv);
    let mut gnd = zeros(n);
    measure(Workload {
        name: format!("4. particles, {} × {} steps", n / 2, s.steps),
        inputs: n,
        grad_target: Some(3.0),
        primal: Box::new(move || {
            particles(black_box(&s.p0), black_box(&s.v0), s.steps, s.dt, s.k, s.c)
        }),
        jvp: Box::new(move || {
            particles_jvp(
                black_box(&s.p0),
                black_box(&s.v0),
                black_box(dv),
                s.steps,
                s.dt,
                s.k,
                s.c,
            )
        }),
        grad_flat: Box::new(move || particles_grad(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c).1),
        grad: Box::new(move || {
            black_box(particles_grad(
                black_box(&s.p0),
                black_box(&s.v0),
                s.steps,
                s.dt,
                s.k,
                s.c,
            ));
        }),
        hand_flat: Box::new(move || particles_grad_hand(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c).1),
        hand: Box::new(move || {
            black_box(particles_grad_hand(
                black_box(&s.p0),
                black_box(&s.v0),
                s.steps,
                s.dt,
                s.k,
                s.c,
            ));
        }),
        nd: Box::new(move |dirs| {
            black_box(num_dual_partial_grad(
                |p| particles_nd(&s.p0, p, s.steps, s.dt, s.k, s.c),
                &s.v0,
                dirs,
                &mut gnd,
            ));
        }),
        rev_heap: Box::new(move || {
            let mut g = zeros(n);
            let (b, a, _) = count_heap(|| {
                particles_vjp(
                    black_box(&s.p0),
                    black_box(&s.v0),
                    &mut g,
                    s.steps,
                    s.dt,
                    s.k,
                    s.c,
                    1.0,
                )
                .0
            });
            (b, a)
        }),
        grad_heap: Box::new(move || {
            let (b, a, _) = count_heap(|| {
                particles_grad(black_box(&s.p0), black_box(&s.v0), s.steps, s.dt, s.k, s.c)
            });
            (b, a)
        }),
        tape_bytes: Box::new(move || {
            particles_record(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c)
                .1
                .bytes()
        }),
    })
}

fn gmm_row(d: usize, k: usize, n: usize) -> Row {
    let g = Gmm::new(d, k, n);
    let mut r = Rng::new(50);
    let (da, dm, di) = (
        r.vec(g.alphas.len(), -1.0, 1.0),
        r.vec(g.means.len(), -1.0, 1.0),
        r.vec(g.icf.len(), -1.0, 1.0),
    );
    let p = g.flat_params();
    let (g, da, dm, di, p) = (&g, &da, &dm, &di, &p);
    let mut gnd = zeros(p.len());
    measure(Workload {
        name: format!("5. GMM, d = {d}, k = {k}, n = {n}"),
        inputs: g.inputs(),
        grad_target: Some(3.0),
        primal: Box::new(move || {
            gmm_objective(
                black_box(&g.alphas),
                &g.means,
                &g.icf,
                &g.x,
                g.d,
                g.gamma,
                g.m,
                g.constant,
            )
        }),
        jvp: Box::new(move || {
            gmm_objective_jvp(
                black_box(&g.alphas),
                da,
                &g.means,
                dm,
                &g.icf,
                di,
                &g.x,
                g.d,
                g.gamma,
                g.m,
                g.constant,
            )
        }),
        grad_flat: Box::new(move || {
            let (_, (a, mu, q)) = gmm_objective_grad(
                &g.alphas, &g.means, &g.icf, &g.x, g.d, g.gamma, g.m, g.constant,
            );
            cat(&[&a, &mu, &q])
        }),
        grad: Box::new(move || {
            black_box(gmm_objective_grad(
                black_box(&g.alphas),
                &g.means,
                &g.icf,
                &g.x,
                g.d,
                g.gamma,
                g.m,
                g.constant,
            ));
        }),
        hand_flat: Box::new(move || {
            let (_, (a, mu, q)) = gmm_grad_hand(
                &g.alphas, &g.means, &g.icf, &g.x, g.d, g.gamma, g.m, g.constant,
            );
            cat(&[&a, &mu, &q])
        }),
        hand: Box::new(move || {
            black_box(gmm_grad_hand(
                black_box(&g.alphas),
                &g.means,
                &g.icf,
                &g.x,
                g.d,
                g.gamma,
                g.m,
                g.constant,
            ));
        }),
        nd: Box::new(move |dirs| {
            black_box(num_dual_partial_grad(
                |q| g.objective_nd(q),
                p,
                dirs,
                &mut gnd,
            ));
        }),
        rev_heap: Box::new(move || {
            let (mut ga, mut gm, mut gi) = (
                zeros(g.alphas.len()),
                zeros(g.means.len()),
                zeros(g.icf.len()),
            );
            let (b, a, _) = count_heap(|| {
                gmm_objective_vjp(
                    black_box(&g.alphas),
                    &mut ga,
                    &g.means,
                    &mut gm,
                    &g.icf,
                    &mut gi,
                    &g.x,
                    g.d,
                    g.gamma,
                    g.m,
                    g.constant,
                    1.0,
                )
                .0
            });
            (b, a)
        }),
        grad_heap: Box::new(move || {
            let (b, a, _) = count_heap(|| {
                gmm_objective_grad(
                    black_box(&g.alphas),
                    &g.means,
                    &g.icf,
                    &g.x,
                    g.d,
                    g.gamma,
                    g.m,
                    g.constant,
                )
            });
            (b, a)
        }),
        tape_bytes: Box::new(move || {
            gmm_objective_record(
                &g.alphas, &g.means, &g.icf, &g.x, g.d, g.gamma, g.m, g.constant,
            )
            .1
            .bytes()
        }),
    })
}

fn mlp_row() -> Row {
    let m = Mlp::bench();
    let mut r = Rng::new(60);
    let (d1, db1, d2, db2) = (
        r.vec(m.w1.len(), -1.0, 1.0),
        r.vec(m.b1.len(), -1.0, 1.0),
        r.vec(m.w2.len(), -1.0, 1.0),
        r.vec(m.b2.len(), -1.0, 1.0),
    );
    let p = m.flat_params();
    let (m, d1, db1, d2, db2, p) = (&m, &d1, &db1, &d2, &db2, &p);
    let mut gnd = zeros(p.len());
    measure(Workload {
        name: format!(
            "6. MLP {}→{}→{}, batch {}",
            m.n_in, m.n_hid, m.n_out, m.batch
        ),
        inputs: m.inputs(),
        grad_target: Some(3.0),
        primal: Box::new(move || mlp_loss(black_box(&m.w1), &m.b1, &m.w2, &m.b2, &m.xs, &m.ys)),
        jvp: Box::new(move || {
            mlp_loss_jvp(
                black_box(&m.w1),
                d1,
                &m.b1,
                db1,
                &m.w2,
                d2,
                &m.b2,
                db2,
                &m.xs,
                &m.ys,
            )
        }),
        grad_flat: Box::new(move || {
            let (_, (a, b, c, d)) = mlp_loss_grad(&m.w1, &m.b1, &m.w2, &m.b2, &m.xs, &m.ys);
            cat(&[&a, &b, &c, &d])
        }),
        grad: Box::new(move || {
            black_box(mlp_loss_grad(
                black_box(&m.w1),
                &m.b1,
                &m.w2,
                &m.b2,
                &m.xs,
                &m.ys,
            ));
        }),
        hand_flat: Box::new(move || {
            let (_, (a, b, c, d)) = mlp_grad_hand(&m.w1, &m.b1, &m.w2, &m.b2, &m.xs, &m.ys);
            cat(&[&a, &b, &c, &d])
        }),
        hand: Box::new(move || {
            black_box(mlp_grad_hand(
                black_box(&m.w1),
                &m.b1,
                &m.w2,
                &m.b2,
                &m.xs,
                &m.ys,
            ));
        }),
        nd: Box::new(move |dirs| {
            black_box(num_dual_partial_grad(|q| m.loss_nd(q), p, dirs, &mut gnd));
        }),
        rev_heap: Box::new(move || {
            let (mut g1, mut gb1, mut g2, mut gb2) = (
                zeros(m.w1.len()),
                zeros(m.b1.len()),
                zeros(m.w2.len()),
                zeros(m.b2.len()),
            );
            let (b, a, _) = count_heap(|| {
                mlp_loss_vjp(
                    black_box(&m.w1),
                    &mut g1,
                    &m.b1,
                    &mut gb1,
                    &m.w2,
                    &mut g2,
                    &m.b2,
                    &mut gb2,
                    &m.xs,
                    &m.ys,
                    1.0,
                )
                .0
            });
            (b, a)
        }),
        grad_heap: Box::new(move || {
            let (b, a, _) =
                count_heap(|| mlp_loss_grad(black_box(&m.w1), &m.b1, &m.w2, &m.b2, &m.xs, &m.ys));
            (b, a)
        }),
        tape_bytes: Box::new(move || {
            mlp_loss_record(&m.w1, &m.b1, &m.w2, &m.b2, &m.xs, &m.ys)
                .1
                .bytes()
        }),
    })
}

// ---------------------------------------------------------------------------
// Second order (issue 7): HVP ÷ gradient, the Rosenbrock Hessian
// ---------------------------------------------------------------------------

fn chains_section() -> String {
    let n = 10_000;
    let x = rosenbrock_input(n);
    let y: Vec<f64> = x.iter().map(|v| 0.5 * v - 0.1).collect();
    let (vc, gc) = chain_loss_grad(&x, &y);
    let (vl, gl) = loop_loss_grad(&x, &y);
    let diff = gc.0.iter().zip(&gl.0).map(|(a, b)| (a - b).abs() / (1.0 + b.abs())).fold((vc - vl).abs(), f64::max);
    let t = median_times(
        &mut [
            &mut || {
                black_box(chain_loss(black_box(&x), black_box(&y)));
            },
            &mut || {
                black_box(loop_loss(black_box(&x), black_box(&y)));
            },
            &mut || {
                black_box(chain_loss_grad(black_box(&x), black_box(&y)));
            },
            &mut || {
                black_box(loop_loss_grad(black_box(&x), black_box(&y)));
            },
        ],
        BUDGET,
    );
    let (rp, rg) = (t[0] / t[1], t[2] / t[3]);
    format!(
        "\n## Iterator chains (n = {n})\n\n\
         | | chains | loops | chains ÷ loops | target |\n|---|---:|---:|---:|---|\n\
         | primal | {} | {} | {rp:.2} | |\n\
         | `_grad` | {} | {} | {rg:.2} | ≤ 1.1: {} |\n\n\
         Same results (max rel. diff {diff:.1e}); the chains are `zip`/`map`/`sum`, `enumerate`, `step_by` and `fold`.\n",
        fmt_time(t[0]),
        fmt_time(t[1]),
        fmt_time(t[2]),
        fmt_time(t[3]),
        verdict(rg <= 1.1)
    )
}

/// Vector-mode forward: `_jvp_batch` with `m` directions against `m`
/// separate `_jvp` calls (same results bit for bit, checked here).
fn batch_section() -> String {
    let m = 8usize;
    let mut out = format!(
        "\n## Vector-mode forward ({m} directions)\n\n\
         | workload | {m} × `_jvp` | `_jvp_batch` | batch ÷ separate | bit-identical |\n|---|---:|---:|---:|---|\n"
    );
    let mut rng = 0x9E37_79B9_u64;
    let mut next = move || {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((rng >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    };
    {
        let n = 10_000;
        let x = rosenbrock_input(n);
        let dirs: Vec<Vec<f64>> = (0..m).map(|_| (0..n).map(|_| next()).collect()).collect();
        let same = rosenbrock_jvp_batch(&x, &dirs).1.iter().zip(&dirs).all(|(t, d)| t.to_bits() == rosenbrock_jvp(&x, d).1.to_bits());
        let t = median_times(
            &mut [
                &mut || {
                    for d in &dirs {
                        black_box(rosenbrock_jvp(black_box(&x), black_box(d)));
                    }
                },
                &mut || {
                    black_box(rosenbrock_jvp_batch(black_box(&x), black_box(&dirs)));
                },
            ],
            BUDGET,
        );
        out.push_str(&format!("| rosenbrock, n = {n} | {} | {} | {:.2} | {} |\n", fmt_time(t[0]), fmt_time(t[1]), t[1] / t[0], if same { "yes" } else { "**no**" }));
    }
    {
        let mm = Mlp::bench();
        let d = |k: usize, next: &mut dyn FnMut() -> f64| -> Vec<Vec<f64>> { (0..m).map(|_| (0..k).map(|_| next()).collect()).collect() };
        let (d1, db1, d2, db2) = (d(mm.w1.len(), &mut next), d(mm.b1.len(), &mut next), d(mm.w2.len(), &mut next), d(mm.b2.len(), &mut next));
        let one = |j: usize| mlp_loss_jvp(&mm.w1, &d1[j], &mm.b1, &db1[j], &mm.w2, &d2[j], &mm.b2, &db2[j], &mm.xs, &mm.ys).1;
        let batch = || mlp_loss_jvp_batch(&mm.w1, &d1, &mm.b1, &db1, &mm.w2, &d2, &mm.b2, &db2, &mm.xs, &mm.ys);
        let same = batch().1.iter().enumerate().all(|(j, t)| t.to_bits() == one(j).to_bits());
        let t = median_times(
            &mut [
                &mut || {
                    for j in 0..m {
                        black_box(one(black_box(j)));
                    }
                },
                &mut || {
                    black_box(batch());
                },
            ],
            BUDGET,
        );
        out.push_str(&format!("| MLP 32→64→10, batch 64 | {} | {} | {:.2} | {} |\n", fmt_time(t[0]), fmt_time(t[1]), t[1] / t[0], if same { "yes" } else { "**no**" }));
    }
    out.push_str(
        "\nFour directions share each primal sweep (`LANES` = 4); the other lanes repeat the tangent statements, \
         so the saving is the primal work and the loop overhead, not the tangent arithmetic.\n",
    );
    out
}

/// `fast_math` on the normalised loss: `_grad` against the IEEE-exact
/// one and the hand-written gradient, with the largest relative
/// difference of the gradients.
fn fast_math_section() -> String {
    let mut out = String::from(
        "\n## `fast_math` (normalised loss)\n\n\
         | n | exact `_grad` | `fast_math` `_grad` | hand-written | exact ÷ hand | fast ÷ hand | max rel. diff fast vs exact | target (fast ÷ hand ≤ 1.2) |\n\
         |---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for n in NORMALIZED_NS {
        let (w, x) = normalized_input(n);
        let (_, ge) = normalized_loss_grad(&w, &x);
        let (_, gf) = normalized_loss_fast_grad(&w, &x);
        let diff = ge.iter().zip(&gf).map(|(a, b)| (a - b).abs() / a.abs().max(1e-300)).fold(0.0, f64::max);
        let t = median_times(
            &mut [
                &mut || {
                    black_box(normalized_loss_grad(black_box(&w), black_box(&x)));
                },
                &mut || {
                    black_box(normalized_loss_fast_grad(black_box(&w), black_box(&x)));
                },
                &mut || {
                    black_box(normalized_loss_grad_hand(black_box(&w), black_box(&x)));
                },
            ],
            BUDGET,
        );
        let r = t[1] / t[2];
        out.push_str(&format!(
            "| {n} | {} | {} | {} | {:.2} | {r:.2} | {diff:.1e} | {} |\n",
            fmt_time(t[0]),
            fmt_time(t[1]),
            fmt_time(t[2]),
            t[0] / t[2],
            verdict(r <= 1.2)
        ));
    }
    out
}

/// `#[checkpoint]` on 10⁵-step time loops: the checkpointed `_grad`
/// against the same function taped in full, time and peak heap in one run,
/// and the recomputation the schedule costs.
fn checkpoint_section() -> String {
    let mut out = String::from(
        "\n## Checkpointing (10⁵-step time loops, `#[checkpoint]` with its defaults)\n\n\
         | workload | steps | chunk | snapshots | re-run iterations ÷ steps | full-tape `_grad` | checkpointed `_grad` | time ratio (≤ 3) | full peak heap | checkpointed peak heap | memory ratio (≤ 5 %) | max rel. diff |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let steps = 100_000;
    let cost = leibniz::checkpoint::cost(steps, None, None);
    let mut row = |name: &str, full: &mut dyn FnMut() -> Vec<f64>, ck: &mut dyn FnMut() -> Vec<f64>| {
        let (mf, gf) = peak_heap(&mut *full);
        let (mc, gc) = peak_heap(&mut *ck);
        let diff = gf.iter().zip(&gc).map(|(a, b)| (a - b).abs() / a.abs().max(1e-300)).fold(0.0, f64::max);
        let t = median_times(
            &mut [
                &mut || {
                    black_box(full());
                },
                &mut || {
                    black_box(ck());
                },
            ],
            1.0,
        );
        let (tr, mr) = (t[1] / t[0], mc as f64 / mf as f64);
        out.push_str(&format!(
            "| {name} | {steps} | {} | {} | {:.2} | {} | {} | {tr:.2} {} | {} | {} | {:.2} % {} | {diff:.1e} |\n",
            cost.chunk,
            cost.snapshots,
            cost.recomputed as f64 / steps as f64,
            fmt_time(t[0]),
            fmt_time(t[1]),
            verdict(tr <= 3.0),
            fmt_bytes(mf),
            fmt_bytes(mc),
            100.0 * mr,
            verdict(mr <= 0.05)
        ));
    };
    let s = Particles::new(16, steps);
    row(
        "particles, 16",
        &mut || particles_grad(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c).1,
        &mut || particles_ckpt_grad(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c).1,
    );
    row(
        "Van der Pol, RK4",
        &mut || {
            let g = van_der_pol_grad(0.5, -0.3, 1.2, 1e-3, steps).1;
            vec![g.0, g.1, g.2]
        },
        &mut || {
            let g = van_der_pol_ckpt_grad(0.5, -0.3, 1.2, 1e-3, steps).1;
            vec![g.0, g.1, g.2]
        },
    );
    out
}

fn second_order_section() -> String {
    let mut out = String::from(
        "\n## Second order (Rosenbrock)\n\n\
         | n | `_grad` | `_hvp` (one direction) | HVP ÷ grad | n serial HVPs | `_hessian` | Hessian ÷ n HVPs | threads |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let mut verdicts = Vec::new();
    for n in [100usize, 10_000] {
        let x = rosenbrock_input(n);
        let v: Vec<f64> = (0..n).map(|i| if i % 3 == 0 { 1.0 } else { -0.5 }).collect();
        let t = median_times(
            &mut [
                &mut || {
                    black_box(rosenbrock_grad(black_box(&x)));
                },
                &mut || {
                    black_box(rosenbrock_hvp(black_box(&x), black_box(&v)));
                },
            ],
            BUDGET,
        );
        let (tg, th) = (t[0], t[1]);
        let ratio = th / tg;
        verdicts.push((format!("HVP ÷ gradient ≤ 3 (n = {n})"), format!("{ratio:.2}"), ratio <= 3.0));
        if n <= 100 {
            let units: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect();
            let t = median_times(
                &mut [
                    &mut || {
                        for e in &units {
                            black_box(rosenbrock_hvp(black_box(&x), black_box(e)));
                        }
                    },
                    &mut || {
                        black_box(rosenbrock_hessian(black_box(&x)));
                    },
                ],
                BUDGET,
            );
            let (tn, thess) = (t[0], t[1]);
            let r = thess / tn;
            verdicts.push((format!("Hessian ≤ 1.2 × n serial HVPs (n = {n})"), format!("{r:.2}"), r <= 1.2));
            verdicts.push((format!("Hessian faster than n serial HVPs with {} threads (n = {n})", leibniz::drivers::threads()), format!("{r:.2}"), r < 1.0));
            out.push_str(&format!(
                "| {n} | {} | {} | {ratio:.2} | {} | {} | {r:.2} | {} |\n",
                fmt_time(tg),
                fmt_time(th),
                fmt_time(tn),
                fmt_time(thess),
                leibniz::drivers::threads()
            ));
        } else {
            out.push_str(&format!("| {n} | {} | {} | {ratio:.2} | | | | |\n", fmt_time(tg), fmt_time(th)));
        }
    }
    out.push_str("\n| target | measured | |\n|---|---:|---|\n");
    for (t, m, ok) in verdicts {
        out.push_str(&format!("| {t} | {m} | {} |\n", verdict(ok)));
    }
    out
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

fn fmt_time(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.3} s")
    } else if s >= 1e-3 {
        format!("{:.3} ms", s * 1e3)
    } else {
        format!("{:.2} µs", s * 1e6)
    }
}

fn fmt_bytes(b: usize) -> String {
    if b >= 10 * 1024 * 1024 {
        format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
    } else if b >= 10 * 1024 {
        format!("{:.1} KiB", b as f64 / 1024.0)
    } else {
        format!("{b} B")
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

fn machine() -> (String, String) {
    let arch = std::process::Command::new("uname")
        .arg("-m")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| std::env::consts::ARCH.to_string());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    (arch, cpu)
}

/// The commit measured, and whether the macro or runtime had uncommitted
/// changes (None outside a git checkout).
fn revision() -> Option<String> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
    };
    let head = git(&["rev-parse", "--short", "HEAD"])?;
    let dirty =
        git(&["status", "--porcelain", "--", "macros", "runtime", "src"]).unwrap_or_default();
    let state = if dirty.trim().is_empty() {
        "clean".to_string()
    } else {
        "with uncommitted changes in macros/, runtime/ or src/".to_string()
    };
    Some(format!("`{}` ({state})", head.trim()))
}

fn main() {
    let start = Instant::now();
    let mut rows = vec![taylor_row(), rosenbrock_row()];
    for n in NORMALIZED_NS {
        rows.push(normalized_row(n));
    }
    rows.push(particles_row());
    rows.push(gmm_row(2, 5, 1000));
    rows.push(gmm_row(10, 25, 10_000));
    rows.push(mlp_row());

    // Targets: (target, workload, measured, met)
    let mut targets: Vec<(String, String, String, bool)> = Vec::new();
    let mut missed_by_row: Vec<Vec<&'static str>> = vec![Vec::new(); rows.len()];
    for (i, r) in rows.iter().enumerate() {
        let gp = r.grad / r.primal;
        if let Some(bound) = r.grad_target {
            let ok = gp <= bound;
            targets.push((
                format!("reverse gradient ÷ primal ≤ {bound}"),
                r.name.clone(),
                format!("{gp:.2}"),
                ok,
            ));
            if !ok {
                missed_by_row[i].push("grad÷primal");
            }
        }
        if r.inputs == 1 {
            let ok = r.rev_bytes == 0;
            targets.push((
                "reverse pass allocates 0 bytes".into(),
                r.name.clone(),
                format!("{} B", r.rev_bytes),
                ok,
            ));
            if !ok {
                missed_by_row[i].push("0 bytes");
            }
        }
        let lh = r.grad / r.hand;
        let ok = lh <= 1.2;
        targets.push((
            "leibniz ÷ hand-written ≤ 1.2".into(),
            r.name.clone(),
            format!("{lh:.2}"),
            ok,
        ));
        if !ok {
            missed_by_row[i].push("leibniz÷hand");
        }
        let jp = r.jvp / r.primal;
        let ok = jp <= 1.5;
        targets.push((
            "JVP ÷ primal ≤ 1.5".into(),
            r.name.clone(),
            format!("{jp:.2}"),
            ok,
        ));
        if !ok {
            missed_by_row[i].push("jvp÷primal");
        }
        if r.inputs > 10 {
            let ok = r.grad < r.nd;
            targets.push((
                "faster than num-dual (> 10 inputs)".into(),
                r.name.clone(),
                format!("num-dual ÷ leibniz = {:.0}", r.nd / r.grad),
                ok,
            ));
            if !ok {
                missed_by_row[i].push("vs num-dual");
            }
        }
    }
    let n1000 = rows
        .iter()
        .position(|r| r.name == "3. normalised loss, n = 1000")
        .unwrap();
    let n8000 = rows
        .iter()
        .position(|r| r.name == "3. normalised loss, n = 8000")
        .unwrap();
    let growth = rows[n8000].grad / rows[n1000].grad;
    let ok = growth <= 10.0;
    targets.push((
        "gradient time n = 8000 ÷ n = 1000 ≤ 10".into(),
        "3. normalised loss".into(),
        format!("{growth:.1}"),
        ok,
    ));
    if !ok {
        missed_by_row[n8000].push("growth 8000÷1000");
    }

    let (arch, cpu) = machine();
    let mut out = String::new();
    out.push_str("# leibniz benchmark report\n\n");
    out.push_str("Command: `cargo run --release -p leibniz-bench --example bench_report`  \n");
    out.push_str(&format!("Machine: `{arch}`, {cpu}  \n"));
    if let Ok(l) = std::fs::read_to_string("/proc/loadavg") {
        let l: Vec<&str> = l.split_whitespace().take(3).collect();
        out.push_str(&format!(
            "Load average (1/5/15 min) at the end: {} on {} CPUs  \n",
            l.join(" "),
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        ));
    }
    if let Some(rev) = revision() {
        out.push_str(&format!("Revision: {rev}  \n"));
    }
    out.push_str("f64, single thread; times are medians of repeated samples (see the notes).\n\n");
    out.push_str(
        "| workload | inputs | primal | leibniz `_jvp` | leibniz `_grad` | hand-written grad | num-dual grad | \
         reverse-pass heap (`_vjp`) | `_grad` heap (incl. output) | tape | grad ÷ primal | jvp ÷ primal | \
         leibniz ÷ hand | num-dual ÷ leibniz | max rel. diff vs hand | targets |\n",
    );
    out.push_str(
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
    );
    for (i, r) in rows.iter().enumerate() {
        let nd = if r.nd_passes == r.inputs {
            fmt_time(r.nd)
        } else {
            format!("~{} †({}/{})", fmt_time(r.nd), r.nd_passes, r.inputs)
        };
        let missed = &missed_by_row[i];
        let tgt = if missed.is_empty() {
            "all met".to_string()
        } else {
            format!("missed: {}", missed.join(", "))
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} / {} allocs | {} / {} allocs | {} | {:.2} | {:.2} | {:.2} | {:.1} | {:.1e} | {} |\n",
            r.name,
            r.inputs,
            fmt_time(r.primal),
            fmt_time(r.jvp),
            fmt_time(r.grad),
            fmt_time(r.hand),
            nd,
            fmt_bytes(r.rev_bytes),
            r.rev_allocs,
            fmt_bytes(r.grad_bytes),
            r.grad_allocs,
            fmt_bytes(r.tape_bytes),
            r.grad / r.primal,
            r.jvp / r.primal,
            r.grad / r.hand,
            r.nd / r.grad,
            r.max_rel_diff,
            tgt,
        ));
    }

    out.push_str("\n## Targets\n\n| target | workload | measured | |\n|---|---|---:|---|\n");
    for (t, w, m, ok) in &targets {
        out.push_str(&format!("| {t} | {w} | {m} | {} |\n", verdict(*ok)));
    }
    let met = targets.iter().filter(|t| t.3).count();
    out.push_str(&format!("\n{met} of {} targets met.\n", targets.len()));

    out.push_str(&second_order_section());
    out.push_str(&batch_section());
    out.push_str(&fast_math_section());
    out.push_str(&checkpoint_section());
    out.push_str(&chains_section());

    out.push_str(
        "\n## Notes\n\n\
         * primal: the `#[differentiable]` function called as plain Rust. `_jvp`: one directional derivative \
         (random tangent). `_grad`: value and full gradient by reverse mode, output vectors allocated as \
         `_grad` returns them; the hand-written gradient allocates its output the same way.\n\
         * num-dual: the same code generic over `DualNum`, one `Dual64` forward pass per input \
         (`num_dual::DualVec` needs num-dual's `nalgebra` feature, which the dev-dependency leaves off). \
         † marks an extrapolation: the time of the first `p` of the `n` passes, scaled by `n / p` \
         (every pass does the same work whatever its seed); shown as `(p/n)`.\n\
         * reverse-pass heap: bytes and allocations during one `_vjp` call into preallocated, zeroed shadow \
         arrays, i.e. the reverse pass without its output gradient; `_grad` heap also counts the output \
         vectors. A reallocation counts as one allocation of its new size. tape: `_record(..)`'s `tape.bytes()`.\n\
         * max rel. diff: max |leibniz − hand| / (1 + |hand|) over the gradient entries, a check that the \
         timed gradients agree.\n\
         * workload 3 calls `mag(x)` inside its loop as written, so its primal (and num-dual's every pass) \
         is O(n²); the hand-written gradient computes the norm once (O(n)). It has no gradient ÷ primal target.\n\
         * workload 1 at x = 0.5: x^i underflows for i > ~1074, so most `powi` calls go through subnormal \
         intermediates (microcode assists); this slows primal, hand-written and leibniz alike.\n\
         * Each cell: median over samples of ≥ 1 ms each (≥ 5 samples, ~0.3 s per cell); primal, `_jvp`, \
         `_grad` and hand-written are sampled in turn (round-robin) so that load changes hit them alike; \
         workloads run one after another in one process.\n",
    );
    out.push_str(&format!(
        "\nTotal run time: {:.1} s.\n",
        start.elapsed().as_secs_f64()
    ));
    print!("{out}");
}
