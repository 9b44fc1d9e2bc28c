//! Correctness corpus, Rust v2 (DESIGN §3), slices and views.
#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

/// `&x[a..b]` passed to a helper.
#[differentiable]
fn sum_sq(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i];
    }
    s
}

#[differentiable]
fn sub_range(x: &[f64]) -> f64 {
    let a = &x[1..4];
    let b = &x[2..];
    a[0] * b[1] + a[2].sin() + b[b.len() - 1]
}

#[differentiable]
fn sub_call(x: &[f64], d: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() / d {
        s += sum_sq(&x[i * d..(i + 1) * d]).sqrt();
    }
    s + sum_sq(&x[d..])
}

#[differentiable]
fn write_prefix(x: &[f64], out: &mut [f64]) {
    let k = 2;
    let head = &mut out[..k];
    head[0] = x[0] * x[1];
    head[1] = x[1].exp();
    out[k] = x[2] * out[0];
}

#[differentiable]
fn double_slice(x: &[f64], i: usize, p: usize) -> f64 {
    let w = &x[i..][..p];
    let mut s = 0.0;
    for j in 0..w.len() {
        s += w[j] * (j as f64 + 1.0);
    }
    s * s
}

#[differentiable]
fn split_read(x: &[f64]) -> f64 {
    let (a, b) = x.split_at(2);
    a[0] * b[0] + a[1] * b[b.len() - 1]
}

#[differentiable]
fn split_write(x: &[f64], out: &mut [f64]) {
    let (lo, hi) = out.split_at_mut(2);
    lo[0] = x[0] * x[1];
    lo[1] = x[2].sin();
    hi[0] = lo[0] * x[2];
    hi[1] = lo[1] + x[0];
}

#[differentiable]
fn chunk_norms(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for c in x.chunks(3) {
        let mut t = 0.0;
        for i in 0..c.len() {
            t += c[i] * c[i];
        }
        s += t.sqrt();
    }
    s
}

#[differentiable]
fn chunk_exact_dot(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for c in x.chunks_exact(2) {
        s += c[0] * c[1];
    }
    s
}

#[differentiable]
fn window_diffs(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for w in x.windows(2) {
        let d = w[1] - w[0];
        s += d * d;
    }
    s
}

#[differentiable]
fn first3(x: &[f64]) -> f64 {
    let h: &[f64; 3] = x.first_chunk::<3>().unwrap();
    h[0] * h[1] + h[2]
}

#[differentiable]
fn swap_fill(x: &[f64], out: &mut [f64]) {
    out.fill(0.5);
    out[0] = x[0] * x[1];
    out[1] = x[1] + x[2];
    out.swap(0, 2);
    out[1] = out[1] * out[2];
}

#[differentiable]
fn copy_from(x: &[f64], out: &mut [f64]) {
    out[..3].copy_from_slice(&x[..3]);
    out[3] = out[0] * out[2];
}

// ----- harness glue --------------------------------------------------------

/// Checks `f(x: &[f64], out: &mut [f64])` with the initial `out` counted as
/// an input too: the flat input is `[x; out0]`, the output is `out` after.
#[track_caller]
fn check_io(
    name: &str,
    pts: &[Vec<f64>],
    nx: usize,
    f: impl Fn(&[f64], &mut [f64]),
    jvp: impl Fn(&[f64], &[f64], &mut [f64], &mut [f64]),
    vjp: impl Fn(&[f64], &mut [f64], &mut [f64], &mut [f64]),
) {
    let m = pts[0].len() - nx;
    check_vector(
        name,
        pts,
        m,
        |p| {
            let mut out = p[nx..].to_vec();
            f(&p[..nx], &mut out);
            out
        },
        |p, v| {
            let mut out = p[nx..].to_vec();
            let mut dout = v[nx..].to_vec();
            jvp(&p[..nx], &v[..nx], &mut out, &mut dout);
            (out, dout)
        },
        |p, w| {
            let mut out = p[nx..].to_vec();
            let mut gx = vec![0.0; nx];
            let mut gout = w.to_vec();
            vjp(&p[..nx], &mut gx, &mut out, &mut gout);
            (out, cat(&[&gx, &gout]))
        },
    );
}

#[test]
fn ranges() {
    let pts = points::<f64>(6, 4, -1.5, 1.5, 601);
    check_slice_fn!(pts, sub_range, sub_range_grad, sub_range_jvp, sub_range_vjp);
    check_slice_fn!(pts, split_read, split_read_grad, split_read_jvp, split_read_vjp);
    for d in [1, 2, 3] {
        check_all("sub_call", &pts, |p| sub_call(p, d), |p| sub_call_grad(p, d), |p, v| sub_call_jvp(p, v, d), |p, w| {
            let mut g = zeros_like(p);
            let (v, ()) = sub_call_vjp(p, &mut g, d, w);
            (v, g)
        });
    }
    for (i, q) in [(0, 6), (1, 3), (2, 4), (5, 1)] {
        check_all("double_slice", &pts, |p| double_slice(p, i, q), |p| double_slice_grad(p, i, q), |p, v| double_slice_jvp(p, v, i, q), |p, w| {
            let mut g = zeros_like(p);
            let (v, ()) = double_slice_vjp(p, &mut g, i, q, w);
            (v, g)
        });
    }
    check_io("write_prefix", &points(3 + 3, 4, -1.0, 1.0, 602), 3, write_prefix, write_prefix_jvp, write_prefix_vjp);
    check_io("write_prefix long", &points(3 + 5, 4, -1.0, 1.0, 603), 3, write_prefix, write_prefix_jvp, write_prefix_vjp);
    check_io("split_write", &points(3 + 4, 4, -1.0, 1.0, 604), 3, split_write, split_write_jvp, split_write_vjp);
    check_io("swap_fill", &points(3 + 4, 4, -1.0, 1.0, 605), 3, swap_fill, swap_fill_jvp, swap_fill_vjp);
    check_io("copy_from", &points(4 + 5, 4, -1.0, 1.0, 606), 4, copy_from, copy_from_jvp, copy_from_vjp);
}

#[test]
fn chunk_views() {
    for n in [6, 7, 8] {
        let pts = points::<f64>(n, 4, -1.5, 1.5, 610 + n as u64);
        check_slice_fn!(pts, chunk_norms, chunk_norms_grad, chunk_norms_jvp, chunk_norms_vjp);
        check_slice_fn!(pts, chunk_exact_dot, chunk_exact_dot_grad, chunk_exact_dot_jvp, chunk_exact_dot_vjp);
        check_slice_fn!(pts, window_diffs, window_diffs_grad, window_diffs_jvp, window_diffs_vjp);
        check_slice_fn!(pts, first3, first3_grad, first3_jvp, first3_vjp);
    }
}

// ----- nested arrays ---------------------------------------------------------

#[differentiable]
fn mat3_quad(m: [[f64; 3]; 3], v: [f64; 3]) -> f64 {
    let mut s = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            s += v[i] * m[i][j] * v[j];
        }
    }
    s
}

#[differentiable]
fn points_ref(p: &[[f64; 3]], w: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..p.len() {
        let r2 = p[i][0] * p[i][0] + p[i][1] * p[i][1] + p[i][2] * p[i][2];
        s += w[i] * r2.sqrt();
    }
    s
}

#[differentiable]
fn points_vec(p: &Vec<[f64; 3]>) -> f64 {
    let mut s = 0.0;
    for i in 1..p.len() {
        let mut d2 = 0.0;
        for k in 0..3 {
            let d = p[i][k] - p[i - 1][k];
            d2 += d * d;
        }
        s += d2;
    }
    s
}

#[differentiable]
fn points_fixed(p: &[[f64; 3]; 4]) -> f64 {
    let mut c = [0.0; 3];
    for i in 0..4 {
        for k in 0..3 {
            c[k] += p[i][k] * 0.25;
        }
    }
    let mut s = 0.0;
    for i in 0..4 {
        for k in 0..3 {
            s += (p[i][k] - c[k]) * (p[i][k] - c[k]);
        }
    }
    s
}

/// Writes into a nested local array and into a `&mut [[f64; 3]]` output.
#[differentiable]
fn cross_rows(a: &[[f64; 3]], b: &[[f64; 3]], out: &mut [[f64; 3]]) {
    for i in 0..a.len() {
        let mut t = [[0.0; 3]; 1];
        t[0][0] = a[i][1] * b[i][2] - a[i][2] * b[i][1];
        t[0][1] = a[i][2] * b[i][0] - a[i][0] * b[i][2];
        t[0][2] = a[i][0] * b[i][1] - a[i][1] * b[i][0];
        out[i][0] = t[0][0];
        out[i][1] = t[0][1];
        out[i][2] = t[0][2] + out[i][2] * 0.5;
    }
}

#[differentiable]
fn nested_result(x: &[f64]) -> [[f64; 2]; 2] {
    let mut m = [[0.0; 2]; 2];
    m[0][0] = x[0] * x[1];
    m[0][1] = x[1].sin();
    m[1][0] = m[0][0] + x[2];
    m[1][1] = m[0][1] * m[1][0];
    m
}

// ----- local Vec ---------------------------------------------------------------

#[differentiable]
fn vec_push(x: &[f64]) -> f64 {
    let mut v = Vec::new();
    for i in 0..x.len() {
        v.push(x[i] * x[i]);
    }
    let mut w: Vec<f64> = Vec::with_capacity(x.len());
    for i in 0..v.len() {
        w.push(v[i].sqrt() + 1.0);
    }
    let mut s = 0.0;
    for i in 0..w.len() {
        s += w[i] * v[v.len() - 1 - i];
    }
    s
}

#[differentiable]
fn vec_collect(x: &[f64]) -> f64 {
    let sq: Vec<f64> = x.iter().map(|v| v * v).collect();
    let ex: Vec<f64> = (0..x.len()).map(|i| (x[i] * 0.5).exp()).collect();
    let mut s = 0.0;
    for i in 0..sq.len() {
        s += sq[i] * ex[i];
    }
    s
}

#[differentiable]
fn vec_macro(x: &[f64]) -> f64 {
    let mut acc = vec![0.0; 3];
    for i in 0..x.len() {
        acc[i % 3] += x[i] * (i as f64 + 1.0);
    }
    acc[0] * acc[1] + acc[2].tanh()
}

#[differentiable]
fn vec_result(x: &[f64]) -> Vec<f64> {
    let mut v = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        v.push(x[i] * x[(i + 1) % x.len()]);
    }
    v
}

#[differentiable]
fn vec_of_arrays(x: &[f64]) -> f64 {
    let mut pts: Vec<[f64; 3]> = Vec::new();
    for i in 0..x.len() / 3 {
        pts.push([x[3 * i], x[3 * i + 1], x[3 * i + 2]]);
    }
    let mut s = 0.0;
    for i in 0..pts.len() {
        s += pts[i][0] * pts[i][1] - pts[i][2];
    }
    s
}

// ----- &f64 and &mut f64 ---------------------------------------------------------

#[differentiable]
fn ref_scalar(a: &f64, x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += (*a * x[i]).sin();
    }
    s * *a
}

#[differentiable]
fn residual(x: &[f64], target: &f64, err: &mut f64) {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i];
    }
    *err = (s - *target) * (s - *target);
}

#[differentiable]
fn accumulate(x: f64, acc: &mut f64) {
    *acc += x * x;
    *acc = *acc * 0.5;
}
