//! The constructs of Enzyme's Rust port of the ADBench LSTM objective, in
//! our own two-layer recurrent model: both halves of a `split_at_mut` passed
//! `&mut` to one differentiable callee (in reverse mode each half's adjoint
//! is replaced by the callee, not accumulated), a split of a sub-slice of a
//! sub-slice (`&mut s[a..]` then `split_at_mut` twice), an input view
//! reassigned to the next window in the loop, a `&mut f64` result, asserts
//! and `for &v in`. Checked against finite differences, forward against
//! reverse mode, and the dot-product test.

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

#[differentiable]
fn squash(x: f64) -> f64 {
    x / (1.0 + x.abs())
}

/// One cell: `state` and `memory` (`n` each) updated in place from `input`.
#[differentiable]
fn cell(n: usize, gain: &[f64], offset: &[f64], state: &mut [f64], memory: &mut [f64], input: &[f64]) {
    assert_eq!(gain.len(), 2 * n);
    assert!(memory.len() >= n && input.len() >= n);
    for i in 0..n {
        let keep = squash(state[i] * gain[i] + offset[i]);
        let write = (input[i] * gain[n + i] + offset[n + i]).tanh();
        memory[i] = memory[i] * keep + (1.0 - keep) * write;
        state[i] = memory[i].sin() * keep;
    }
}

/// `layers` stacked cells; `s` holds (state, memory) per layer, `p` the
/// parameters (4 n per layer), `y` the output of the last layer.
#[differentiable]
fn stack(layers: usize, n: usize, p: &[f64], s: &mut [f64], x: &[f64], y: &mut [f64]) {
    let (first, rest) = s.split_at_mut(n);
    cell(n, &p[..2 * n], &p[2 * n..4 * n], first, &mut rest[..n], x);
    for k in 1..layers {
        let at = 2 * n * k;
        let (below, st, mem) = {
            let tail = &mut s[at - 2 * n..];
            let (below, here) = tail.split_at_mut(2 * n);
            let (st, mem) = here.split_at_mut(n);
            (below, st, mem)
        };
        cell(n, &p[4 * n * k..4 * n * k + 2 * n], &p[4 * n * k + 2 * n..4 * n * (k + 1)], st, mem, below);
    }
    let last = &s[2 * n * (layers - 1)..];
    for i in 0..n {
        y[i] = last[i] * 2.0 - last[n + i];
    }
}

/// Runs the stack over a sequence of windows of `x`; the loss is written to
/// `loss`.
#[differentiable]
fn sequence_loss(layers: usize, n: usize, p: &[f64], s: &mut [f64], x: &[f64], loss: &mut f64) {
    let steps = x.len() / n;
    let mut window = &x[..n];
    let mut y = vec![0.0; n];
    let mut total = 0.0;
    for t in 0..steps - 1 {
        stack(layers, n, p, s, window, &mut y);
        let next = &x[(t + 1) * n..];
        let mut norm = 0.0;
        for &v in &y {
            norm += v * v;
        }
        for i in 0..n {
            total += (y[i] - next[i]) * (y[i] - next[i]) / (1.0 + norm);
        }
        window = next;
    }
    *loss = total / (steps - 1) as f64;
}

#[test]
fn both_halves_of_a_split_to_one_callee() {
    let n = 2;
    // gain 4, offset 4, state 2, memory 2, input 2 -> state, memory
    let pts = points::<f64>(14, 4, -1.0, 1.0, 2201);
    check_vector("cell through split halves", &pts, 4, |p| {
        let mut s = p[8..12].to_vec();
        let (a, b) = s.split_at_mut(n);
        cell(n, &p[..4], &p[4..8], a, b, &p[12..14]);
        s
    }, |p, d| {
        let (mut s, mut ds) = (p[8..12].to_vec(), d[8..12].to_vec());
        stack_cell_jvp(n, p, d, &mut s, &mut ds);
        (s, ds)
    }, |p, w| {
        let (mut s, mut bs) = (p[8..12].to_vec(), w.to_vec());
        let (mut bg, mut bo, mut bi) = (vec![0.0; 4], vec![0.0; 4], vec![0.0; 2]);
        {
            let (sa, sb) = s.split_at_mut(n);
            let (ba, bb) = bs.split_at_mut(n);
            cell_vjp(n, &p[..4], &mut bg, &p[4..8], &mut bo, sa, ba, sb, bb, &p[12..14], &mut bi);
        }
        (s, cat(&[&bg, &bo, &bs, &bi]))
    });
}

/// `cell`'s JVP with the state split the same way.
fn stack_cell_jvp(n: usize, p: &[f64], d: &[f64], s: &mut [f64], ds: &mut [f64]) {
    let (sa, sb) = s.split_at_mut(n);
    let (da, db) = ds.split_at_mut(n);
    cell_jvp(n, &p[..4], &d[..4], &p[4..8], &d[4..8], sa, da, sb, db, &p[12..14], &d[12..14]);
}

#[test]
fn stacked_layers_and_sequence() {
    let (layers, n) = (3, 2);
    let np = 4 * n * layers;
    let ns = 2 * n * layers;
    let nx = 4 * n;
    let pts = points::<f64>(np + ns + nx, 3, -0.9, 0.9, 2202);
    let loss_of = |q: &[f64]| {
        let mut s = q[np..np + ns].to_vec();
        let mut l = 0.0;
        sequence_loss(layers, n, &q[..np], &mut s, &q[np + ns..], &mut l);
        l
    };
    check_all("sequence_loss", &pts, loss_of, |q| {
        let mut s = q[np..np + ns].to_vec();
        let (mut bp, mut bs, mut bx) = (vec![0.0; np], vec![0.0; ns], vec![0.0; nx]);
        let (mut l, mut bl) = (0.0, 1.0);
        sequence_loss_vjp(layers, n, &q[..np], &mut bp, &mut s, &mut bs, &q[np + ns..], &mut bx, &mut l, &mut bl);
        (l, cat(&[&bp, &bs, &bx]))
    }, |q, d| {
        let (mut s, mut ds) = (q[np..np + ns].to_vec(), d[np..np + ns].to_vec());
        let (mut l, mut dl) = (0.0, 0.0);
        sequence_loss_jvp(layers, n, &q[..np], &d[..np], &mut s, &mut ds, &q[np + ns..], &d[np + ns..], &mut l, &mut dl);
        (l, dl)
    }, |q, w| {
        let mut s = q[np..np + ns].to_vec();
        let (mut bp, mut bs, mut bx) = (vec![0.0; np], vec![0.0; ns], vec![0.0; nx]);
        let (mut l, mut bl) = (0.0, w);
        sequence_loss_vjp(layers, n, &q[..np], &mut bp, &mut s, &mut bs, &q[np + ns..], &mut bx, &mut l, &mut bl);
        (l, cat(&[&bp, &bs, &bx]))
    });
}

// ----- fixed-size views: `first_chunk::<N>()` and `try_into()` to `&[T; N]` ------

#[differentiable]
fn turn(axis: &[f64; 3], p: &[f64; 3]) -> [f64; 3] {
    let c = axis[0].cos();
    let s = axis[0].sin();
    [c * p[0] - s * p[1] + axis[1] * p[2], s * p[0] + c * p[1], p[2] * (1.0 + axis[2] * axis[2])]
}

/// A camera `[a0 a1 a2 t0 t1 t2 f]` seeing a point: the rotation part as
/// `first_chunk::<3>()`, passed to a `&[f64; 3]` parameter.
#[differentiable]
fn image_of(cam: &[f64; 7], pt: &[f64; 3]) -> [f64; 2] {
    let mut q = [0.0; 3];
    for i in 0..3 {
        q[i] = pt[i] - cam[3 + i];
    }
    let r = turn(cam.first_chunk::<3>().unwrap(), &q);
    [cam[6] * r[0] / r[2], cam[6] * r[1] / r[2]]
}

/// Cameras and points in flat slices, reinterpreted as `&[f64; N]`.
#[differentiable]
fn scene_error(cams: &[f64], pts: &[f64], #[no_grad] seen: &[(usize, usize)], #[no_grad] obs: &[f64]) -> f64 {
    let mut e = 0.0;
    for k in 0..seen.len() {
        let (ci, pi) = seen[k];
        let cam: &[f64; 7] = cams[7 * ci..7 * ci + 7].try_into().unwrap();
        let pt: &[f64; 3] = pts[3 * pi..3 * pi + 3].try_into().unwrap();
        let img = image_of(cam, pt);
        let dx = img[0] - obs[2 * k];
        let dy = img[1] - obs[2 * k + 1];
        e += dx * dx + dy * dy;
    }
    e
}

#[test]
fn fixed_size_views_to_array_parameters() {
    let seen = [(0usize, 0usize), (1, 1), (0, 2), (1, 0)];
    let obs = [0.1, -0.2, 0.3, 0.05, -0.4, 0.2, 0.0, 0.1];
    let mut pts = points::<f64>(14 + 9, 3, -0.5, 0.5, 2203);
    for p in &mut pts {
        for z in [16, 19, 22] {
            p[z] += 3.0; // points in front of the cameras
        }
        p[6] += 1.5;
        p[13] += 1.5; // focal lengths
    }
    check_all("scene_error", &pts, |q| scene_error(&q[..14], &q[14..], &seen, &obs), |q| {
        let (v, (gc, gp)) = scene_error_grad(&q[..14], &q[14..], &seen, &obs);
        (v, cat(&[&gc, &gp]))
    }, |q, d| scene_error_jvp(&q[..14], &d[..14], &q[14..], &d[14..], &seen, &obs), |q, w| {
        let (mut gc, mut gp) = (vec![0.0; 14], vec![0.0; 9]);
        let (v, ()) = scene_error_vjp(&q[..14], &mut gc, &q[14..], &mut gp, &seen, &obs, w);
        (v, cat(&[&gc, &gp]))
    });
    // the conversion panics where `try_into().unwrap()` would
    assert!(std::panic::catch_unwind(|| scene_error(&[0.0; 10], &[1.0; 9], &[(1, 0)], &[0.0; 2])).is_err());
    assert!(std::panic::catch_unwind(|| scene_error_grad(&[0.0; 10], &[1.0; 9], &[(1, 0)], &[0.0; 2])).is_err());
}

// ----- halves copied into `[F; N]` locals (Enzyme's ODE port) ------------------

const M: usize = 3;

#[differentiable]
fn reaction(du: &mut [f64; M], dv: &mut [f64; M], u: &[f64; M], v: &[f64; M], k: &[f64; 2]) {
    for i in 0..M {
        let u2v = u[i] * u[i] * v[i];
        du[i] = k[0] + u2v - (k[1] + 1.0) * u[i];
        dv[i] = k[1] * u[i] - u2v;
    }
}

/// The state `[u; v]` split, copied into arrays, passed on, copied back.
#[differentiable]
fn rhs(x: &[f64], dxdt: &mut [f64], k: &[f64; 2]) {
    let (a, b) = x.split_at(M);
    let u: [f64; M] = a.try_into().unwrap();
    let v: [f64; M] = b.try_into().unwrap();
    let (da, db) = dxdt.split_at_mut(M);
    let mut du: [f64; M] = da.try_into().unwrap();
    let mut dv: [f64; M] = db.try_into().unwrap();
    reaction(&mut du, &mut dv, &u, &v, k);
    da.copy_from_slice(&du);
    db.copy_from_slice(&dv);
}

#[test]
fn halves_copied_into_arrays() {
    let pts = points::<f64>(2 * M + 2, 3, -1.0, 1.0, 2204);
    check_vector("rhs", &pts, 2 * M, |p| {
        let mut d = vec![0.0; 2 * M];
        rhs(&p[..2 * M], &mut d, &[p[2 * M], p[2 * M + 1]]);
        d
    }, |p, t| {
        let (mut d, mut dd) = (vec![0.0; 2 * M], vec![0.0; 2 * M]);
        rhs_jvp(&p[..2 * M], &t[..2 * M], &mut d, &mut dd, &[p[2 * M], p[2 * M + 1]], &[t[2 * M], t[2 * M + 1]]);
        (d, dd)
    }, |p, w| {
        let (mut d, mut bd) = (vec![0.0; 2 * M], w.to_vec());
        let (mut bx, mut bk) = (vec![0.0; 2 * M], [0.0; 2]);
        rhs_vjp(&p[..2 * M], &mut bx, &mut d, &mut bd, &[p[2 * M], p[2 * M + 1]], &mut bk);
        (d, cat(&[&bx, &bk]))
    });
}

// ----- `as_chunks::<N>()` with array patterns (Enzyme's FFT port) ---------------

/// One butterfly stage over pairs (re, im) of the two halves.
#[differentiable]
fn butterflies(z: &mut [f64], twist: f64) {
    let half = z.len() / 2;
    let (lo, hi) = z.split_at_mut(half);
    let (lc, _) = lo.as_chunks_mut::<2>();
    let (hc, _) = hi.as_chunks_mut::<2>();
    let mut c = 1.0;
    for ([ar, ai], [br, bi]) in lc.iter_mut().zip(hc.iter_mut()) {
        let tr = *br * c - *bi * twist;
        let ti = *br * twist + *bi * c;
        *br = *ar - tr;
        *bi = *ai - ti;
        *ar += tr;
        *ai += ti;
        c *= 0.9;
    }
}

/// Power of the pairs plus the tail `as_chunks` leaves over.
#[differentiable]
fn pair_power(z: &[f64]) -> f64 {
    let (pairs, tail) = z.as_chunks::<2>();
    let mut s = 0.0;
    for [re, im] in pairs {
        s += re * re + im * im.sin();
    }
    for t in tail {
        s += 3.0 * t;
    }
    s
}

#[differentiable]
fn spectrum_power(z: &[f64], twist: f64) -> f64 {
    let mut w = z.to_vec();
    butterflies(&mut w, twist);
    pair_power(&w)
}

#[test]
fn as_chunks_with_array_patterns() {
    let pts = points::<f64>(8 + 1, 3, -1.0, 1.0, 2205);
    check_all("spectrum_power", &pts, |p| spectrum_power(&p[..8], p[8]), |p| {
        let (v, (g, gt)) = spectrum_power_grad(&p[..8], p[8]);
        (v, cat(&[&g, &[gt]]))
    }, |p, d| spectrum_power_jvp(&p[..8], &d[..8], p[8], d[8]), |p, w| {
        let mut g = vec![0.0; 8];
        let (v, gt) = spectrum_power_vjp(&p[..8], &mut g, p[8], w);
        (v, cat(&[&g, &[gt]]))
    });
    // an odd length leaves a tail
    let pts = points::<f64>(5, 3, -1.0, 1.0, 2206);
    check_all("pair_power (odd)", &pts, |p| pair_power(p), |p| pair_power_grad(p), |p, d| pair_power_jvp(p, d), |p, w| {
        let mut g = vec![0.0; 5];
        let (v, ()) = pair_power_vjp(p, &mut g, w);
        (v, g)
    });
}

// ----- the same constructs generic over the float type, at f32 and f64 ---------

#[differentiable]
fn scale_into<T: Float>(x: T, k: T, out: &mut T) {
    *out = k * x.sin() + *out;
}

/// `as_chunks`, a narrowing view in a loop, both halves of a split to one
/// callee and `&mut` of a local scalar, in one generic function.
#[differentiable]
fn mixed<T: Float>(z: &[T], k: T) -> T {
    let mut w = z.to_vec();
    let (lo, hi) = w.split_at_mut(2);
    swap_scale(lo, hi, k);
    let (pairs, _) = w.as_chunks::<2>();
    let mut s = T::zero();
    for [a, b] in pairs {
        s = s + *a * *b;
    }
    let mut rest = &w[..];
    while rest.len() > 1 {
        s = s + rest[0] * rest[1].cos();
        rest = &rest[1..];
    }
    let mut acc = s;
    scale_into(k, s, &mut acc);
    acc
}

#[differentiable]
fn swap_scale<T: Float>(a: &mut [T], b: &mut [T], k: T) {
    for i in 0..a.len() {
        let t = a[i];
        a[i] = b[i] * k;
        b[i] = t + b[i];
    }
}

fn check_mixed<F: Float + std::fmt::Debug>(seed: u64) {
    let pts = points::<F>(4 + 1, 3, -1.0, 1.0, seed);
    check_all("mixed", &pts, |p| mixed(&p[..4], p[4]), |p| {
        let (v, (g, gk)) = mixed_grad(&p[..4], p[4]);
        (v, cat(&[&g, &[gk]]))
    }, |p, d| mixed_jvp(&p[..4], &d[..4], p[4], d[4]), |p, w| {
        let mut g = vec![F::zero(); 4];
        let (v, gk) = mixed_vjp(&p[..4], &mut g, p[4], w);
        (v, cat(&[&g, &[gk]]))
    });
}

#[test]
fn generic_constructs_at_f32_and_f64() {
    check_mixed::<f64>(2207);
    check_mixed::<f32>(2208);
}
