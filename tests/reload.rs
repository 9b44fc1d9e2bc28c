//! Values the fused sweep reads again instead of taping (`opt::reload`):
//! reads of local arrays inside loops nested in a fused iteration, where
//! nothing writes the array between the forward and the backward loop —
//! and the shapes where something does, which must keep the tape. Each
//! `_grad` against central finite differences, the split sweeps
//! (`_record` / `_pullback`, which tape every read) and the dot-product
//! test, in f64 and f32.

use leibniz::check;
use leibniz::prelude::*;

/// A two-layer network's loss: per sample, `h` is written by one loop
/// nest and read by the next (`w2[o * nh + j] * h[j]`): the read of `h[j]`
/// is read again in the backward half of the `j` loop.
#[differentiable(wrt(w1, w2))]
fn two_layer(w1: &[f64], w2: &[f64], xs: &[f64], nh: usize) -> f64 {
    let ni = w1.len() / nh;
    let no = w2.len() / nh;
    let batch = xs.len() / ni;
    let mut h = vec![0.0; nh];
    let mut loss = 0.0;
    for b in 0..batch {
        for j in 0..nh {
            let mut a = 0.0;
            for i in 0..ni {
                a += w1[j * ni + i] * xs[b * ni + i];
            }
            h[j] = a.tanh();
        }
        for o in 0..no {
            let mut z = 0.0;
            for j in 0..nh {
                z += w2[o * nh + j] * h[j] * h[j];
            }
            loss += (z - 0.5).powi(2);
        }
    }
    loss
}

/// `h` written after the read in the same forward iteration: the value
/// read is gone by the backward loop and must come from the tape.
#[differentiable(wrt(w))]
fn overwritten_after_read(w: &[f64], xs: &[f64]) -> f64 {
    let n = w.len();
    let mut h = vec![0.0; n];
    let mut loss = 0.0;
    for b in 0..xs.len() {
        for j in 0..n {
            h[j] = (w[j] * xs[b]).sin();
        }
        let mut z = 0.0;
        for j in 0..n {
            z += h[j] * h[j] * w[j];
            h[j] = 2.0 * z;
        }
        loss += z;
    }
    loss
}

/// `h` written between the forward and the backward loop (after the
/// nested loop, in the same iteration): taped.
#[differentiable(wrt(w))]
fn overwritten_between(w: &[f64], xs: &[f64]) -> f64 {
    let n = w.len();
    let mut h = vec![0.0; n];
    let mut loss = 0.0;
    for b in 0..xs.len() {
        for j in 0..n {
            h[j] = (w[j] + xs[b]).cos();
        }
        let mut z = 0.0;
        for j in 0..n {
            z += h[j] * h[(j + 1) % n] * w[j];
        }
        h[0] = z;
        h[n - 1] = 3.0 * z;
        loss += z * z + h[0];
    }
    loss
}

#[differentiable(wrt(w1, w2))]
fn two_layer_f32(w1: &[f32], w2: &[f32], xs: &[f32], nh: usize) -> f32 {
    let ni = w1.len() / nh;
    let no = w2.len() / nh;
    let batch = xs.len() / ni;
    let mut h = vec![0.0f32; nh];
    let mut loss = 0.0f32;
    for b in 0..batch {
        for j in 0..nh {
            let mut a = 0.0f32;
            for i in 0..ni {
                a += w1[j * ni + i] * xs[b * ni + i];
            }
            h[j] = a.tanh();
        }
        for o in 0..no {
            let mut z = 0.0f32;
            for j in 0..nh {
                z += w2[o * nh + j] * h[j] * h[j];
            }
            loss += (z - 0.5) * (z - 0.5);
        }
    }
    loss
}

fn vals(n: usize, seed: f64) -> Vec<f64> {
    (0..n).map(|i| ((i as f64 + 1.0) * seed).sin() * 0.8).collect()
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol * (1.0 + b.abs()), "{what}: {a} vs {b}");
}

#[test]
fn nested_reads_of_a_local_array() {
    for (ni, nh, no, batch) in [(3usize, 4usize, 2usize, 3usize), (2, 5, 3, 1), (1, 1, 1, 4), (2, 3, 2, 0)] {
        let w1 = vals(ni * nh, 0.7);
        let w2 = vals(no * nh, 1.3);
        let xs = vals(ni * batch, 2.1);
        let (y, (g1, g2)) = two_layer_grad(&w1, &w2, &xs, nh);
        close(y, two_layer(&w1, &w2, &xs, nh), 1e-14, "value");
        let (_, tape) = two_layer_record(&w1, &w2, &xs, nh);
        let (mut r1, mut r2) = (vec![0.0; w1.len()], vec![0.0; w2.len()]);
        two_layer_pullback(&tape, &mut r1, &mut r2, 1.0);
        for (a, b) in g1.iter().chain(&g2).zip(r1.iter().chain(&r2)) {
            close(*a, *b, 1e-12, "vs the taped sweeps");
        }
        let mut p = w1.clone();
        p.extend(&w2);
        let mut g = g1.clone();
        g.extend(&g2);
        let k = w1.len();
        check::assert_gradient(|p: &[f64]| two_layer(&p[..k], &p[k..], &xs, nh), &g, &p);
        let jvp = |d: &[f64]| vec![two_layer_jvp(&w1, &d[..k], &w2, &d[k..], &xs, nh).1];
        let vjp = |w: &[f64]| {
            let (mut a, mut b) = (vec![0.0; k], vec![0.0; w2.len()]);
            two_layer_vjp(&w1, &mut a, &w2, &mut b, &xs, nh, w[0]);
            a.extend(b);
            a
        };
        check::assert_dot_product(jvp, vjp, p.len(), 1, 3 + nh as u64);
    }
}

#[test]
fn arrays_written_before_the_backward_loop_stay_taped() {
    for (n, batch) in [(4usize, 3usize), (1, 2), (6, 1)] {
        let w = vals(n, 0.9);
        let xs = vals(batch, 1.7);
        for (f, grad, rec) in [
            (
                overwritten_after_read as fn(&[f64], &[f64]) -> f64,
                overwritten_after_read_grad as fn(&[f64], &[f64]) -> (f64, Vec<f64>),
                (|w: &[f64], xs: &[f64]| {
                    let (_, t) = overwritten_after_read_record(w, xs);
                    let mut g = vec![0.0; w.len()];
                    overwritten_after_read_pullback(&t, &mut g, 1.0);
                    g
                }) as fn(&[f64], &[f64]) -> Vec<f64>,
            ),
            (overwritten_between, overwritten_between_grad, |w: &[f64], xs: &[f64]| {
                let (_, t) = overwritten_between_record(w, xs);
                let mut g = vec![0.0; w.len()];
                overwritten_between_pullback(&t, &mut g, 1.0);
                g
            }),
        ] {
            let (y, g) = grad(&w, &xs);
            close(y, f(&w, &xs), 1e-14, "value");
            for (a, b) in g.iter().zip(&rec(&w, &xs)) {
                close(*a, *b, 1e-12, "vs the taped sweeps");
            }
            check::assert_gradient(|p: &[f64]| f(p, &xs), &g, &w);
        }
    }
}

#[test]
fn nested_reads_f32() {
    let (ni, nh, no, batch) = (3usize, 4usize, 2usize, 3usize);
    let w1: Vec<f32> = vals(ni * nh, 0.7).iter().map(|&v| v as f32).collect();
    let w2: Vec<f32> = vals(no * nh, 1.3).iter().map(|&v| v as f32).collect();
    let xs: Vec<f32> = vals(ni * batch, 2.1).iter().map(|&v| v as f32).collect();
    let (_, (g1, g2)) = two_layer_f32_grad(&w1, &w2, &xs, nh);
    let mut p = w1.clone();
    p.extend(&w2);
    let mut g = g1.clone();
    g.extend(&g2);
    let k = w1.len();
    check::assert_gradient(|p: &[f32]| two_layer_f32(&p[..k], &p[k..], &xs, nh), &g, &p);
    let (_, tape) = two_layer_f32_record(&w1, &w2, &xs, nh);
    let (mut r1, mut r2) = (vec![0.0f32; w1.len()], vec![0.0f32; w2.len()]);
    two_layer_f32_pullback(&tape, &mut r1, &mut r2, 1.0);
    for (a, b) in g.iter().zip(r1.iter().chain(&r2)) {
        assert!((a - b).abs() <= 1e-5 * (1.0 + b.abs()), "{a} vs {b}");
    }
}
