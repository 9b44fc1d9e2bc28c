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

#[test]
fn nested_arrays() {
    let pts = points::<f64>(12, 4, -1.2, 1.2, 620);
    check_all("mat3_quad", &pts, |p| mat3_quad([arr(&p[0..3]), arr(&p[3..6]), arr(&p[6..9])], arr(&p[9..12])), |p| {
        let (v, (m, x)) = mat3_quad_grad([arr(&p[0..3]), arr(&p[3..6]), arr(&p[6..9])], arr(&p[9..12]));
        (v, cat(&[&m[0], &m[1], &m[2], &x]))
    }, |p, d| mat3_quad_jvp([arr(&p[0..3]), arr(&p[3..6]), arr(&p[6..9])], [arr(&d[0..3]), arr(&d[3..6]), arr(&d[6..9])], arr(&p[9..12]), arr(&d[9..12])), |p, w| {
        let (v, (m, x)) = mat3_quad_vjp([arr(&p[0..3]), arr(&p[3..6]), arr(&p[6..9])], arr(&p[9..12]), w);
        (v, cat(&[&m[0], &m[1], &m[2], &x]))
    });

    let to3 = |s: &[f64]| -> Vec<[f64; 3]> { s.chunks(3).map(|c| arr::<3, f64>(c)).collect() };
    let flat3 = |v: &[[f64; 3]]| -> Vec<f64> { v.iter().flat_map(|a| a.iter().copied()).collect() };
    // points_ref: 3 points (9) + 3 weights
    let pts = points::<f64>(12, 4, -1.2, 1.2, 621);
    check_all("points_ref", &pts, |p| points_ref(&to3(&p[..9]), &p[9..]), |p| {
        let (v, (gp, gw)) = points_ref_grad(&to3(&p[..9]), &p[9..]);
        (v, cat(&[&flat3(&gp), &gw]))
    }, |p, d| points_ref_jvp(&to3(&p[..9]), &to3(&d[..9]), &p[9..], &d[9..]), |p, w| {
        let mut gp = vec![[0.0; 3]; 3];
        let mut gw = vec![0.0; 3];
        let (v, ()) = points_ref_vjp(&to3(&p[..9]), &mut gp, &p[9..], &mut gw, w);
        (v, cat(&[&flat3(&gp), &gw]))
    });
    check_all("points_vec", &pts, |p| points_vec(&to3(p)), |p| {
        let (v, gp) = points_vec_grad(&to3(p));
        (v, flat3(&gp))
    }, |p, d| points_vec_jvp(&to3(p), &to3(d)), |p, w| {
        let mut gp = vec![[0.0; 3]; 4];
        let (v, ()) = points_vec_vjp(&to3(p), &mut gp, w);
        (v, flat3(&gp))
    });
    let to34 = |s: &[f64]| -> [[f64; 3]; 4] { arr::<4, [f64; 3]>(&to3(s)) };
    check_all("points_fixed", &pts, |p| points_fixed(&to34(p)), |p| {
        let (v, gp) = points_fixed_grad(&to34(p));
        (v, flat3(&gp))
    }, |p, d| points_fixed_jvp(&to34(p), &to34(d)), |p, w| {
        let mut gp = [[0.0; 3]; 4];
        let (v, ()) = points_fixed_vjp(&to34(p), &mut gp, w);
        (v, flat3(&gp))
    });
    // cross_rows: a (6), b (6), out0 (6)
    let pts = points::<f64>(18, 4, -1.2, 1.2, 622);
    check_vector("cross_rows", &pts, 6, |p| {
        let mut out = to3(&p[12..]);
        cross_rows(&to3(&p[..6]), &to3(&p[6..12]), &mut out);
        flat3(&out)
    }, |p, d| {
        let mut out = to3(&p[12..]);
        let mut dout = to3(&d[12..]);
        cross_rows_jvp(&to3(&p[..6]), &to3(&d[..6]), &to3(&p[6..12]), &to3(&d[6..12]), &mut out, &mut dout);
        (flat3(&out), flat3(&dout))
    }, |p, w| {
        let mut out = to3(&p[12..]);
        let mut ga = vec![[0.0; 3]; 2];
        let mut gb = vec![[0.0; 3]; 2];
        let mut gout = to3(w);
        cross_rows_vjp(&to3(&p[..6]), &mut ga, &to3(&p[6..12]), &mut gb, &mut out, &mut gout);
        (flat3(&out), cat(&[&flat3(&ga), &flat3(&gb), &flat3(&gout)]))
    });
    let pts = points::<f64>(3, 4, -1.2, 1.2, 623);
    check_vector("nested_result", &pts, 4, |p| flat3_2(nested_result(p)), |p, d| {
        let (y, dy) = nested_result_jvp(p, d);
        (flat3_2(y), flat3_2(dy))
    }, |p, w| {
        let mut g = zeros_like(p);
        let (y, ()) = nested_result_vjp(p, &mut g, [[w[0], w[1]], [w[2], w[3]]]);
        (flat3_2(y), g)
    });
}

fn flat3_2(m: [[f64; 2]; 2]) -> Vec<f64> {
    vec![m[0][0], m[0][1], m[1][0], m[1][1]]
}

#[test]
fn local_vecs() {
    for n in [3, 6, 7] {
        let pts = points::<f64>(n, 4, -1.2, 1.2, 630 + n as u64);
        check_slice_fn!(pts, vec_macro, vec_macro_grad, vec_macro_jvp, vec_macro_vjp);
        check_slice_fn!(pts, vec_push, vec_push_grad, vec_push_jvp, vec_push_vjp);
        check_slice_fn!(pts, vec_collect, vec_collect_grad, vec_collect_jvp, vec_collect_vjp);
        check_slice_fn!(pts, vec_of_arrays, vec_of_arrays_grad, vec_of_arrays_jvp, vec_of_arrays_vjp);
        check_vector("vec_result", &pts, n, |p| vec_result(p), |p, d| vec_result_jvp(p, d), |p, w| {
            let mut g = zeros_like(p);
            let (y, ()) = vec_result_vjp(p, &mut g, w.to_vec());
            (y, g)
        });
    }
}

#[test]
fn scalar_refs() {
    let pts = points::<f64>(4, 4, -1.2, 1.2, 640);
    check_all("ref_scalar", &pts, |p| ref_scalar(&p[0], &p[1..]), |p| {
        let (v, (ga, gx)) = ref_scalar_grad(&p[0], &p[1..]);
        (v, cat(&[&[ga], &gx]))
    }, |p, d| ref_scalar_jvp(&p[0], &d[0], &p[1..], &d[1..]), |p, w| {
        let mut ga = 0.0;
        let mut gx = vec![0.0; 3];
        let (v, ()) = ref_scalar_vjp(&p[0], &mut ga, &p[1..], &mut gx, w);
        (v, cat(&[&[ga], &gx]))
    });
    // residual: x (3), target, err0
    let pts = points::<f64>(5, 4, -1.2, 1.2, 641);
    check_vector("residual", &pts, 1, |p| {
        let mut e = p[4];
        residual(&p[..3], &p[3], &mut e);
        vec![e]
    }, |p, d| {
        let mut e = p[4];
        let mut de = d[4];
        residual_jvp(&p[..3], &d[..3], &p[3], &d[3], &mut e, &mut de);
        (vec![e], vec![de])
    }, |p, w| {
        let mut e = p[4];
        let mut gx = vec![0.0; 3];
        let mut gt = 0.0;
        let mut ge = w[0];
        residual_vjp(&p[..3], &mut gx, &p[3], &mut gt, &mut e, &mut ge);
        (vec![e], cat(&[&gx, &[gt, ge]]))
    });
    check_vector("accumulate", &points::<f64>(2, 4, -1.2, 1.2, 642), 1, |p| {
        let mut a = p[1];
        accumulate(p[0], &mut a);
        vec![a]
    }, |p, d| {
        let mut a = p[1];
        let mut da = d[1];
        accumulate_jvp(p[0], d[0], &mut a, &mut da);
        (vec![a], vec![da])
    }, |p, w| {
        let mut a = p[1];
        let mut ga = w[0];
        let gx = accumulate_vjp(p[0], &mut a, &mut ga);
        (vec![a], vec![gx, ga])
    });
}

// ----- views passed on, local buffers ---------------------------------------

/// `out[..] = a * x + y` on a slice, called on each half of a split output.
#[differentiable]
fn axpy_into(a: f64, x: &[f64], out: &mut [f64]) {
    for i in 0..out.len() {
        out[i] = a * x[i] + out[i];
    }
}

#[differentiable]
fn split_calls(a: f64, x: &[f64], out: &mut [f64]) {
    let mid = out.len() / 2;
    let (lo, hi) = out.split_at_mut(mid);
    axpy_into(a, &x[..mid], lo);
    axpy_into(a * a, &x[mid..], hi);
}

#[differentiable]
fn local_buffer(x: &[f64]) -> f64 {
    let mut buf = [0.0; 3];
    buf.copy_from_slice(&x[1..4]);
    buf.swap(0, 2);
    let mut tmp = vec![0.0; 4];
    tmp.fill(x[0]);
    tmp[1] = buf[0] * buf[1];
    tmp[2] = buf[2].exp();
    tmp[0] * tmp[1] + tmp[2] * tmp[3]
}

#[differentiable]
fn first_chunk_call(x: &[f64]) -> f64 {
    let h = x.first_chunk::<2>().unwrap();
    let t = &x[2..];
    (h[0] - t[0]).powi(2) + (h[1] * t[t.len() - 1]).sin()
}

#[differentiable]
fn chunks_out(x: &[f64], out: &mut [f64]) {
    for (k, c) in out.chunks_mut(2).enumerate() {
        c[0] = x[k] * x[k];
        if c.len() > 1 {
            c[1] = c[1] * x[k];
        }
    }
}

#[differentiable]
fn chunks_exact_out(x: &[f64], out: &mut [f64]) {
    for c in out.chunks_exact_mut(3) {
        let s = c[0] + c[1] + c[2];
        c[0] = s * x[0];
        c[1] = s * x[1];
        c[2] = c[2] * c[2];
    }
}

#[differentiable]
fn iter_over_subslice(x: &[f64]) -> f64 {
    let s: f64 = x[1..].iter().sum();
    let p: f64 = x[..3].iter().map(|v| v * v).sum();
    s * p
}

#[test]
fn views_passed_on() {
    // split_calls: a, x (5), out0 (5)
    for n in [4usize, 5] {
        let pts = points::<f64>(1 + 2 * n, 4, -1.2, 1.2, 650 + n as u64);
        check_vector("split_calls", &pts, n, |p| {
            let mut out = p[1 + n..].to_vec();
            split_calls(p[0], &p[1..1 + n], &mut out);
            out
        }, |p, d| {
            let mut out = p[1 + n..].to_vec();
            let mut dout = d[1 + n..].to_vec();
            split_calls_jvp(p[0], d[0], &p[1..1 + n], &d[1..1 + n], &mut out, &mut dout);
            (out, dout)
        }, |p, w| {
            let mut out = p[1 + n..].to_vec();
            let mut gx = vec![0.0; n];
            let mut gout = w.to_vec();
            let ga = split_calls_vjp(p[0], &p[1..1 + n], &mut gx, &mut out, &mut gout);
            (out, cat(&[&[ga], &gx, &gout]))
        });
    }
    let pts = points::<f64>(5, 4, -1.2, 1.2, 656);
    check_slice_fn!(pts, local_buffer, local_buffer_grad, local_buffer_jvp, local_buffer_vjp);
    check_slice_fn!(pts, first_chunk_call, first_chunk_call_grad, first_chunk_call_jvp, first_chunk_call_vjp);
    check_slice_fn!(pts, iter_over_subslice, iter_over_subslice_grad, iter_over_subslice_jvp, iter_over_subslice_vjp);
    check_io("chunks_out", &points(3 + 5, 4, -1.0, 1.0, 657), 3, chunks_out, chunks_out_jvp, chunks_out_vjp);
    check_io("chunks_out even", &points(3 + 6, 4, -1.0, 1.0, 658), 3, chunks_out, chunks_out_jvp, chunks_out_vjp);
    check_io("chunks_exact_out", &points(2 + 7, 4, -1.0, 1.0, 659), 2, chunks_exact_out, chunks_exact_out_jvp, chunks_exact_out_vjp);
}

/// Blocks of the output by index range (what `chunks_mut` does).
#[differentiable]
fn blocks_out(x: &[f64], out: &mut [f64]) {
    let d = 2;
    for k in 0..out.len() / d {
        let c = &mut out[k * d..(k + 1) * d];
        c[0] = x[k] * x[k];
        c[1] = c[1] * x[k];
    }
}

#[test]
fn blocks_by_range() {
    check_io("blocks_out", &points(3 + 6, 4, -1.0, 1.0, 660), 3, blocks_out, blocks_out_jvp, blocks_out_vjp);
}
