//! `#[checkpoint]` loops: `_grad` and `_vjp` reverse them under the
//! binomial schedule instead of taping every iteration. Each function is
//! checked against central finite differences, against the fully taped
//! `_record` / `_pullback` (which does not checkpoint), with the JVP/VJP
//! dot-product test, on several trip counts and numbers of saved states;
//! and the memory the checkpointed gradient holds is measured against the
//! full tape.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use leibniz::check;
use leibniz::prelude::*;

// ----- workloads ---------------------------------------------------------------

/// A damped chain of nonlinear springs, symplectic Euler: array state
/// (`x`, `v`), a carried scalar (`t`), nested loops, branches.
#[differentiable]
fn springs(x0: &[f64], k: f64, steps: usize) -> f64 {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut v = vec![0.0; n];
    let dt = 0.01;
    let mut t = 0.0;
    #[checkpoint(snapshots = 3)]
    for _s in 0..steps {
        // Loop-invariant: hoisted out of the loop behind a guard.
        let kk = k.exp();
        for i in 0..n {
            let left = if i > 0 { x[i - 1] } else { 0.0 };
            let right = if i + 1 < n { x[i + 1] } else { 0.0 };
            let f = kk * (left + right - 2.0 * x[i]) - 0.1 * v[i] - x[i] * x[i] * x[i];
            v[i] += dt * f;
        }
        for i in 0..n {
            x[i] += dt * v[i];
        }
        t = t + dt * x[0] * x[n - 1];
    }
    let mut e = t;
    for i in 0..n {
        e += x[i] * x[i] + 0.5 * v[i] * v[i];
    }
    e
}

const SNAPS: usize = 2;

/// Scalar state only (two carried values), a reversed inclusive range
/// whose index enters the body, the number of saved states a `const`,
/// chunks of 3 iterations (trip counts that are not multiples of it).
#[differentiable]
fn ode(y0: f64, a: f64, steps: usize) -> f64 {
    let h = 0.05;
    let mut y = y0;
    let mut z = 0.0;
    #[checkpoint(snapshots = SNAPS, chunk = 3)]
    for i in (1..=steps).rev() {
        let t = i as f64 * h;
        let dy = -a * y + t.sin() * y.cos();
        y = y + h * dy;
        z = z + h * y * y;
    }
    z + y
}

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Body {
    pub p: f64,
    pub v: f64,
}

/// One step of a body under gravity towards the origin and drag: a callee
/// the loop calls, with a `&mut` output (its own tape in each iteration).
#[differentiable]
fn kick(b: &mut Body, g: f64, dt: f64) {
    let acc = -g * b.p / (1.0 + b.p * b.p) - 0.05 * b.v;
    b.v = b.v + dt * acc;
    b.p = b.p + dt * b.v;
}

/// A `Vec` of structs as state, iterated with `iter_mut`, the default
/// number of saved states.
#[differentiable]
fn orbit(p0: &[f64], g: f64, steps: usize) -> f64 {
    let mut bodies: Vec<Body> = Vec::new();
    for i in 0..p0.len() {
        bodies.push(Body { p: p0[i], v: 0.1 * i as f64 });
    }
    #[checkpoint]
    for _s in 0..steps {
        for b in bodies.iter_mut() {
            kick(b, g, 0.02);
        }
    }
    let mut e = 0.0;
    for b in &bodies {
        e += b.p * b.p + b.v;
    }
    e
}

/// The loop reads an array that the function changes after the loop: the
/// backward sweep must see it as the loop did.
#[differentiable]
fn reread(x: &[f64], steps: usize) -> f64 {
    let mut w = x.to_vec();
    let mut s = 1.0;
    #[checkpoint(snapshots = 2)]
    for j in 0..steps {
        s = s * 0.9 + w[j % w.len()] * s.sin();
    }
    for i in 0..w.len() {
        w[i] = w[i] * s;
    }
    let mut out = 0.0;
    for i in 0..w.len() {
        out += w[i] * w[i];
    }
    out
}

/// The loop inside an `if` (the forward and backward parts of the schedule
/// in two branches), chunks of 2, `iter_mut`, the index in the body.
#[differentiable]
fn in_branch(x0: &[f64], k: f64, steps: usize) -> f64 {
    let mut x = x0.to_vec();
    let mut t = 0.0;
    if steps > 2 {
        #[checkpoint(snapshots = 4, chunk = 2)]
        for s in 0..steps {
            let w = (s as f64 * 0.1).cos();
            for v in x.iter_mut() {
                *v += 0.01 * (w - k * *v * *v);
            }
            t += x[0] * w;
        }
    }
    let mut e = t;
    for v in &x {
        e += v * v;
    }
    e
}

/// A loop that only carries a sum: `_grad` fuses it (nothing to save), the
/// attribute changes nothing.
#[differentiable]
fn summed(x: &[f64]) -> f64 {
    let mut s = 0.0;
    #[checkpoint]
    for i in 0..x.len() {
        s += x[i].sin() * x[i];
    }
    s
}

// ----- checks --------------------------------------------------------------------

fn close(a: f64, b: f64, tol: f64, ctx: &str) {
    assert!((a - b).abs() <= tol * (1.0 + a.abs().max(b.abs())), "{ctx}: {a} vs {b}");
}

fn x0(n: usize, phase: f64) -> Vec<f64> {
    (0..n).map(|i| 0.6 * ((i as f64 + phase) * 0.9).sin()).collect()
}

#[test]
fn springs_match_the_full_tape_and_finite_differences() {
    for steps in [0usize, 1, 2, 3, 4, 7, 31, 120] {
        for (n, phase) in [(3usize, 0.3), (6, 1.1)] {
            let x = x0(n, phase);
            let k = 0.4;
            let (y, (gx, gk)) = springs_grad(&x, k, steps);
            close(y, springs(&x, k, steps), 1e-14, "value");
            // The full tape.
            let (yr, tape) = springs_record(&x, k, steps);
            close(yr, y, 1e-14, "record value");
            let mut gxr = vec![0.0; n];
            let gkr = springs_pullback(&tape, &mut gxr, 1.0);
            for i in 0..n {
                close(gx[i], gxr[i], 1e-12, &format!("steps {steps}: dx[{i}] vs full tape"));
            }
            close(gk, gkr, 1e-12, &format!("steps {steps}: dk vs full tape"));
            // Finite differences over (x, k).
            let mut p = x.clone();
            p.push(k);
            let mut g = gx.clone();
            g.push(gk);
            check::assert_gradient(|p: &[f64]| springs(&p[..n], p[n], steps), &g, &p);
            // _vjp (checkpointed too) against _jvp.
            let jvp = |d: &[f64]| vec![springs_jvp(&x, &d[..n], k, d[n], steps).1];
            let vjp = |w: &[f64]| {
                let mut gx = vec![0.0; n];
                let (_, gk) = springs_vjp(&x, &mut gx, k, steps, w[0]);
                gx.push(gk);
                gx
            };
            check::assert_dot_product(jvp, vjp, n + 1, 1, 7 + steps as u64);
        }
    }
}

#[test]
fn scalar_state_reversed_inclusive_range() {
    for steps in [0usize, 1, 2, 5, 16, 100] {
        for (y0, a) in [(0.7, 0.3), (-1.2, 1.5)] {
            let (y, (gy, ga)) = ode_grad(y0, a, steps);
            close(y, ode(y0, a, steps), 1e-14, "value");
            let (_, tape) = ode_record(y0, a, steps);
            let (gyr, gar) = ode_pullback(&tape, 1.0);
            close(gy, gyr, 1e-12, &format!("steps {steps}: dy0"));
            close(ga, gar, 1e-12, &format!("steps {steps}: da"));
            check::assert_gradient(|p: &[f64]| ode(p[0], p[1], steps), &[gy, ga], &[y0, a]);
        }
    }
}

#[test]
fn structs_and_callees_in_the_loop() {
    for steps in [0usize, 1, 3, 40, 300] {
        let p = x0(4, 0.2);
        let g = 1.7;
        let (y, (gp, gg)) = orbit_grad(&p, g, steps);
        close(y, orbit(&p, g, steps), 1e-14, "value");
        let (_, tape) = orbit_record(&p, g, steps);
        let mut gpr = vec![0.0; 4];
        let ggr = orbit_pullback(&tape, &mut gpr, 1.0);
        for i in 0..4 {
            close(gp[i], gpr[i], 1e-12, &format!("steps {steps}: dp[{i}]"));
        }
        close(gg, ggr, 1e-12, "dg");
        let mut q = p.clone();
        q.push(g);
        let mut gq = gp.clone();
        gq.push(gg);
        check::assert_gradient(|q: &[f64]| orbit(&q[..4], q[4], steps), &gq, &q);
    }
}

#[test]
fn storage_changed_after_the_loop_is_saved() {
    for steps in [1usize, 2, 9, 50] {
        let x = x0(5, 0.7);
        let (_, gx) = reread_grad(&x, steps);
        check::assert_gradient(|x: &[f64]| reread(x, steps), &gx, &x);
        let (_, tape) = reread_record(&x, steps);
        let mut gr = vec![0.0; 5];
        reread_pullback(&tape, &mut gr, 1.0);
        for i in 0..5 {
            close(gx[i], gr[i], 1e-12, "reread vs full tape");
        }
    }
}

#[test]
fn loops_in_branches() {
    for steps in [0usize, 2, 3, 4, 9, 77] {
        let x = x0(4, 0.4);
        let (_, (gx, gk)) = in_branch_grad(&x, 0.8, steps);
        let (_, tape) = in_branch_record(&x, 0.8, steps);
        let mut gr = vec![0.0; 4];
        let gkr = in_branch_pullback(&tape, &mut gr, 1.0);
        for i in 0..4 {
            close(gx[i], gr[i], 1e-12, "in_branch vs full tape");
        }
        close(gk, gkr, 1e-12, "in_branch dk");
        let mut p = x.clone();
        p.push(0.8);
        let mut g = gx.clone();
        g.push(gk);
        check::assert_gradient(|p: &[f64]| in_branch(&p[..4], p[4], steps), &g, &p);
    }
}

#[test]
fn fused_sum_loops_are_unaffected() {
    let x = x0(7, 0.1);
    let (_, g) = summed_grad(&x);
    check::assert_gradient(summed, &g, &x);
}

// ----- memory --------------------------------------------------------------------

/// Counts the heap each thread holds (tests run in parallel threads).
struct Counting;

thread_local! {
    static CUR: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grow(n: usize) {
    let _ = CUR.try_with(|c| {
        c.set(c.get() + n);
        let _ = PEAK.try_with(|p| p.set(p.get().max(c.get())));
    });
}

fn shrink(n: usize) {
    let _ = CUR.try_with(|c| c.set(c.get().saturating_sub(n)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        grow(l.size());
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        shrink(l.size());
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        if n > l.size() {
            grow(n - l.size());
        } else {
            shrink(l.size() - n);
        }
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Heap this thread holds at the peak of `f` above what it held before.
fn peak_heap<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let base = CUR.with(|c| c.get());
    PEAK.with(|p| p.set(base));
    let r = f();
    (r, PEAK.with(|p| p.get()).saturating_sub(base))
}

#[test]
fn checkpointed_gradients_hold_a_fraction_of_the_tape() {
    let x = x0(16, 0.5);
    let steps = 4000;
    let (_, full) = peak_heap(|| springs_record(&x, 0.4, steps));
    let (_, ck) = peak_heap(|| springs_grad(&x, 0.4, steps));
    // 3 saved states of 2 arrays of 16 and the carried scalar, one
    // iteration's tape, the function's own arrays: far below 4000
    // iterations' tape.
    assert!(ck * 50 < full, "checkpointed _grad peak {ck} B, full tape {full} B");
    // With the defaults, memory grows far slower than the trip count
    // (saved states: logarithmically; the chunk's tape: 1/4096 of it).
    let (_, ck1) = peak_heap(|| orbit_grad(&x, 1.0, 1000));
    let (_, ck2) = peak_heap(|| orbit_grad(&x, 1.0, 100_000));
    assert!(ck2 < 8 * ck1, "orbit peaks {ck1} B (10^3 steps), {ck2} B (10^5 steps)");
}

#[test]
fn cost_reports_the_recomputation() {
    let c = leibniz::checkpoint::cost(100_000, None, None);
    assert_eq!(c.chunk, 25);
    assert!(c.peak_snapshots <= c.snapshots);
    assert!(c.recomputed <= 4 * c.steps, "{c:?}");
    // One saved state: iteration i < 99 re-run from the start (i
    // iterations; the forward sweep's own run to the last one not counted).
    assert_eq!(leibniz::checkpoint::cost(100, Some(1), Some(1)).recomputed, 98 * 99 / 2);
    assert_eq!(leibniz::checkpoint::cost(0, None, None).recomputed, 0);
    // Chunks of 10 with one state: chunk j < 9 re-runs the 10 j
    // iterations before it.
    assert_eq!(leibniz::checkpoint::cost(100, Some(1), Some(10)).recomputed, 10 * (8 * 9 / 2));
}

// ----- split sweeps: sum loops re-run instead of taped -------------------------

#[differentiable]
fn lse(v: &[f64]) -> f64 {
    let mut m = v[0];
    for x in v {
        m = m.max(*x);
    }
    let mut s = 0.0;
    for x in v {
        s += (x - m).exp();
    }
    m + s.ln()
}

/// A mixture-like loss: a loop over points that only carries a sum, with
/// a nested loop filling a private array and a call per point.
#[differentiable]
fn mixture(data: &[f64], mu: &[f64], w: f64) -> f64 {
    let k = mu.len();
    let mut comp = vec![0.0; k];
    let mut total = 0.0;
    for i in 0..data.len() {
        for j in 0..k {
            let z = (data[i] - mu[j]) * w;
            comp[j] = -0.5 * z * z + (j as f64) * 0.1;
        }
        total += lse(&comp);
    }
    total
}

/// The same loop taped in full.
#[differentiable]
fn mixture_taped(data: &[f64], mu: &[f64], w: f64) -> f64 {
    let k = mu.len();
    let mut comp = vec![0.0; k];
    let mut total = 0.0;
    #[checkpoint(never)]
    for i in 0..data.len() {
        for j in 0..k {
            let z = (data[i] - mu[j]) * w;
            comp[j] = -0.5 * z * z + (j as f64) * 0.1;
        }
        total += lse(&comp);
    }
    total
}

/// The loop in a function with a `&mut` output (no fused sweep: `_vjp`
/// runs the split sweeps), called by another function.
#[differentiable]
fn mixture_into(data: &[f64], mu: &[f64], w: f64, out: &mut f64) {
    *out = mixture(data, mu, w) * 0.5;
}

#[differentiable]
fn caller(data: &[f64], mu: &[f64], w: f64) -> f64 {
    let mut o = 0.0;
    mixture_into(data, mu, w, &mut o);
    o * o + mixture(data, mu, w)
}

#[test]
fn split_sweeps_rerun_sum_loops() {
    let data: Vec<f64> = (0..40).map(|i| ((i as f64) * 0.37).sin() * 2.0).collect();
    let mu = [-1.0, 0.2, 0.9];
    let w = 0.8;
    let (v, tape) = mixture_record(&data, &mu, w);
    let (_, taped) = mixture_taped_record(&data, &mu, w);
    // The re-run loop keeps a copy of `comp` and a few values, not 40
    // points' worth of tape.
    assert!(tape.bytes() * 10 < taped.bytes(), "re-run tape {} B, full tape {} B", tape.bytes(), taped.bytes());
    let (mut gd, mut gmu) = (vec![0.0; data.len()], vec![0.0; 3]);
    let gw = mixture_pullback(&tape, &mut gd, &mut gmu, 1.0);
    let (mut gd2, mut gmu2) = (vec![0.0; data.len()], vec![0.0; 3]);
    let gw2 = mixture_pullback(&tape, &mut gd2, &mut gmu2, 2.0);
    let (v2, (gd_t, gmu_t, gw_t)) = mixture_taped_grad(&data, &mu, w);
    for i in 0..data.len() {
        close(gd[i], gd_t[i], 1e-12, "ddata vs full tape");
        close(gd2[i], 2.0 * gd_t[i], 1e-12, "ddata second pullback");
    }
    close(v, v2, 1e-14, "value");
    for j in 0..3 {
        close(gmu[j], gmu_t[j], 1e-12, "dmu vs full tape");
        close(gmu2[j], 2.0 * gmu_t[j], 1e-12, "second pullback");
    }
    close(gw, gw_t, 1e-12, "dw");
    close(gw2, 2.0 * gw_t, 1e-12, "dw second pullback");
    let mut p = mu.to_vec();
    p.push(w);
    let mut g = gmu.clone();
    g.push(gw);
    check::assert_gradient(|p: &[f64]| mixture(&data, &p[..3], p[3]), &g, &p);

    // Through a `&mut` output and a caller's split sweeps.
    let (_, (_, gm, gww)) = caller_grad(&data, &mu, w);
    let mut g = gm.clone();
    g.push(gww);
    check::assert_gradient(|p: &[f64]| caller(&data, &p[..3], p[3]), &g, &p);
    let mut o = 0.0;
    let mut bo = 1.0;
    let (mut bd, mut bm) = (vec![0.0; data.len()], vec![0.0; 3]);
    let bw = mixture_into_vjp(&data, &mut bd, &mu, &mut bm, w, &mut o, &mut bo);
    for j in 0..3 {
        close(bm[j], 0.5 * gmu_t[j], 1e-12, "mixture_into dmu");
    }
    close(bw, 0.5 * gw_t, 1e-12, "mixture_into dw");
}

// ----- f32 -------------------------------------------------------------------

/// The spring chain in `f32`: checkpointed `_grad` (binomial schedule) and
/// the re-run sum loop of `_record` / `_pullback`.
#[differentiable]
fn springs32(x0: &[f32], k: f32, steps: usize) -> f32 {
    let mut x = x0.to_vec();
    let mut v = vec![0.0f32; x.len()];
    #[checkpoint(snapshots = 2, chunk = 2)]
    for _ in 0..steps {
        for i in 0..x.len() {
            v[i] += 0.05 * (-k * x[i] - x[i] * x[i] * x[i]);
        }
        for i in 0..x.len() {
            x[i] += 0.05 * v[i];
        }
    }
    let mut e = 0.0f32;
    for i in 0..x.len() {
        e += x[i] * x[i] + v[i] * v[i];
    }
    e
}

#[differentiable]
fn mixture32(data: &[f32], mu: &[f32]) -> f32 {
    let mut comp = vec![0.0f32; mu.len()];
    let mut total = 0.0f32;
    for i in 0..data.len() {
        for j in 0..mu.len() {
            let z = data[i] - mu[j];
            comp[j] = -0.5 * z * z;
        }
        let mut s = 0.0f32;
        for j in 0..mu.len() {
            s += comp[j].exp();
        }
        total += s.ln();
    }
    total
}

#[test]
fn f32_checkpointed_and_rerun() {
    for steps in [1usize, 5, 30] {
        let x: Vec<f32> = vec![0.4, -0.3, 0.6];
        let (_, (gx, gk)) = springs32_grad(&x, 0.7, steps);
        let mut p = x.clone();
        p.push(0.7);
        let mut g = gx.clone();
        g.push(gk);
        check::assert_gradient(|p: &[f32]| springs32(&p[..3], p[3], steps), &g, &p);
        let (_, tape) = springs32_record(&x, 0.7, steps);
        let mut gr = vec![0.0f32; 3];
        let gkr = springs32_pullback(&tape, &mut gr, 1.0);
        for i in 0..3 {
            assert!((gr[i] - gx[i]).abs() <= 1e-5 * (1.0 + gx[i].abs()));
        }
        assert!((gkr - gk).abs() <= 1e-5 * (1.0 + gk.abs()));
    }
    let data: Vec<f32> = (0..12).map(|i| (i as f32 * 0.41).sin()).collect();
    let mu = [-0.5f32, 0.3];
    let (_, tape) = mixture32_record(&data, &mu);
    let (mut gd, mut gm) = (vec![0.0f32; 12], vec![0.0f32; 2]);
    mixture32_pullback(&tape, &mut gd, &mut gm, 1.0);
    check::assert_gradient(|m: &[f32]| mixture32(&data, m), &gm, &mu);
    let (_, (_, gmg)) = mixture32_grad(&data, &mu);
    for j in 0..2 {
        assert!((gm[j] - gmg[j]).abs() <= 1e-5 * (1.0 + gmg[j].abs()));
    }
}
