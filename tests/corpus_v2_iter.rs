//! Correctness corpus, Rust v2 (DESIGN §3): iterators and closures.
//! `for x in xs`, `for &v in xs`, `iter_mut`, `zip`, `enumerate`, chains of
//! `map sum product fold filter rev skip take step_by collect count any
//! all`, chains ending in a `for` loop, local closures capturing active
//! values, closures in `map` / `fold`. Each function is checked against
//! central finite differences, `_jvp` against `_grad`, `_vjp` against
//! `_grad`, and the dot-product test.

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

// ----- for loops over slices ---------------------------------------------------

#[differentiable]
fn for_ref(xs: &[f64]) -> f64 {
    let mut s = 0.0;
    for x in xs {
        s += x * x + *x;
    }
    s
}

#[differentiable]
fn for_pat(xs: &[f64]) -> f64 {
    let mut s = 1.0;
    for &v in xs {
        s = s * 0.5 + v.sin();
    }
    s
}

#[differentiable]
fn for_iter(xs: &[f64]) -> f64 {
    let mut m = 0.0;
    for x in xs.iter() {
        m += x.exp();
    }
    m.ln()
}

#[differentiable]
fn scale_in_place(a: f64, xs: &mut [f64]) {
    for v in xs.iter_mut() {
        *v = *v * a + v.sin();
    }
}

#[differentiable]
fn scale_for_mut(a: f64, xs: &mut [f64]) {
    for v in xs {
        *v *= a;
    }
}

#[differentiable]
fn zip_dot(x: &[f64], y: &[f64]) -> f64 {
    let mut s = 0.0;
    for (a, b) in x.iter().zip(y) {
        s += a * b;
    }
    s
}

#[differentiable]
fn zip_pat(x: &[f64], y: &[f64]) -> f64 {
    let mut s = 0.0;
    for (&a, &b) in x.iter().zip(y.iter()) {
        s += (a - b) * (a - b);
    }
    s.sqrt()
}

#[differentiable]
fn enumerate_weighted(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, v) in x.iter().enumerate() {
        s += (i as f64 + 1.0) * v * v;
    }
    s
}

#[differentiable]
fn zip_mut(x: &[f64], out: &mut [f64]) {
    for (o, v) in out.iter_mut().zip(x) {
        *o = *o * v + v * v;
    }
}

// ----- adapters and consumers ---------------------------------------------------------

#[differentiable]
fn map_sum(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum()
}

#[differentiable]
fn map_sum_typed(x: &[f64]) -> f64 {
    let s: f64 = x.iter().map(|&v| (v * 0.5).exp()).sum::<f64>();
    s.ln()
}

#[differentiable]
fn prod(x: &[f64]) -> f64 {
    x.iter().product()
}

#[differentiable]
fn map_prod(x: &[f64]) -> f64 {
    x.iter().map(|v| 1.0 + v * v).product::<f64>()
}

#[differentiable]
fn fold_horner(x: &[f64], t: f64) -> f64 {
    x.iter().fold(0.0, |acc, &c| acc * t + c)
}

#[differentiable]
fn fold_max(x: &[f64]) -> f64 {
    x.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v))
}

#[differentiable]
fn filter_sum(x: &[f64]) -> f64 {
    x.iter().filter(|v| **v > 0.0).map(|v| v * v).sum()
}

#[differentiable]
fn rev_fold(x: &[f64]) -> f64 {
    x.iter().rev().fold(0.0, |acc, &v| acc * 0.5 + v)
}

#[differentiable]
fn skip_take(x: &[f64]) -> f64 {
    x.iter().skip(1).take(3).map(|v| v.sin()).sum()
}

#[differentiable]
fn step_by_sum(x: &[f64]) -> f64 {
    let even: f64 = x.iter().step_by(2).sum();
    let odd: f64 = x.iter().skip(1).step_by(2).map(|v| v * v).sum();
    even * odd
}

#[differentiable]
fn count_any_all(x: &[f64]) -> f64 {
    let n = x.iter().filter(|&&v| v > 0.0).count();
    let any_big = x.iter().any(|&v| v > 1.0);
    let all_pos = x.iter().all(|&v| v > -1.0);
    let mut s = x[0] * n as f64;
    if any_big {
        s += x[1] * x[1];
    }
    if all_pos {
        s *= x[2];
    }
    s
}

#[differentiable]
fn zip_map_sum(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y.iter()).map(|(a, b)| a * b.cos()).sum()
}

#[differentiable]
fn enumerate_map_sum(x: &[f64]) -> f64 {
    x.iter().enumerate().map(|(i, &v)| v.powi(i as i32 + 1)).sum()
}

#[differentiable]
fn range_map_sum(x: &[f64]) -> f64 {
    (0..x.len() - 1).map(|i| (x[i + 1] - x[i]).powi(2)).sum()
}

#[differentiable]
fn collect_then_for(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for v in x.iter().map(|v| v.exp()).rev() {
        s = s * 0.5 + v;
    }
    s
}

#[differentiable]
fn chain_into_for(x: &[f64], y: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, (a, b)) in x.iter().zip(y).enumerate().skip(1) {
        s += (i as f64) * a * b;
    }
    s
}

#[differentiable]
fn windows_map(x: &[f64]) -> f64 {
    x.windows(2).map(|w| (w[1] - w[0]).powi(2)).sum()
}

#[differentiable]
fn chunks_map(x: &[f64]) -> f64 {
    x.chunks(2).map(|c| c.iter().product::<f64>()).sum()
}

#[differentiable]
fn into_iter_array(a: [f64; 4]) -> f64 {
    a.into_iter().map(|v| v * v).sum::<f64>().sqrt()
}

// ----- closures ------------------------------------------------------------------------

#[differentiable]
fn local_closure(x: f64, y: f64) -> f64 {
    let sq = |t: f64| t * t;
    sq(x) + sq(x * y)
}

#[differentiable]
fn capturing_closure(x: &[f64], k: f64) -> f64 {
    let damp = |t: f64| (-k * t * t).exp();
    let mut s = 0.0;
    for i in 0..x.len() {
        s += damp(x[i]);
    }
    s
}

#[differentiable]
fn closure_in_map(x: &[f64], mu: f64, sigma: f64) -> f64 {
    x.iter().map(|&v| ((v - mu) / sigma).powi(2)).sum::<f64>() * 0.5 + (x.len() as f64) * sigma.ln()
}

#[differentiable]
fn closure_in_fold(x: &[f64], a: f64) -> f64 {
    x.iter().fold(1.0, |acc, &v| acc * (1.0 + a * v))
}

#[differentiable]
fn closure_two_captures(x: &[f64], a: f64, b: f64) -> f64 {
    let f = |i: usize| a * x[i] + b;
    let mut s = 0.0;
    for i in 0..x.len() {
        s += f(i).tanh();
    }
    s
}

// ----- generic T: Float ----------------------------------------------------------------

#[differentiable]
fn g_norm<T: Float>(x: &[T]) -> T {
    x.iter().map(|&v| v * v).fold(T::zero(), |a, b| a + b).sqrt()
}

#[differentiable]
fn g_zip<T: Float>(x: &[T], y: &[T]) -> T {
    let mut s = T::zero();
    for (&a, &b) in x.iter().zip(y) {
        s = s + (a * b).sin();
    }
    s
}

// ----- harness glue --------------------------------------------------------

/// `f(x: &[f64], y: &[f64]) -> f64` over `p = [x; y]`, `x` of length `nx`.
#[track_caller]
fn check_two(
    name: &str,
    pts: &[Vec<f64>],
    nx: usize,
    f: impl Fn(&[f64], &[f64]) -> f64,
    grad: impl Fn(&[f64], &[f64]) -> (f64, (Vec<f64>, Vec<f64>)),
    jvp: impl Fn(&[f64], &[f64], &[f64], &[f64]) -> (f64, f64),
    vjp: impl Fn(&[f64], &mut [f64], &[f64], &mut [f64], f64) -> (f64, ()),
) {
    check_all(
        name,
        pts,
        |p| f(&p[..nx], &p[nx..]),
        |p| {
            let (v, (a, b)) = grad(&p[..nx], &p[nx..]);
            (v, cat(&[&a, &b]))
        },
        |p, d| jvp(&p[..nx], &d[..nx], &p[nx..], &d[nx..]),
        |p, w| {
            let mut a = vec![0.0; nx];
            let mut b = vec![0.0; p.len() - nx];
            let (v, ()) = vjp(&p[..nx], &mut a, &p[nx..], &mut b, w);
            (v, cat(&[&a, &b]))
        },
    );
}

/// `f(x: &[f64], t: f64) -> f64` over `p = [x; t]`.
#[track_caller]
fn check_slice_scalar(
    name: &str,
    pts: &[Vec<f64>],
    f: impl Fn(&[f64], f64) -> f64,
    grad: impl Fn(&[f64], f64) -> (f64, (Vec<f64>, f64)),
    jvp: impl Fn(&[f64], &[f64], f64, f64) -> (f64, f64),
    vjp: impl Fn(&[f64], &mut [f64], f64, f64) -> (f64, f64),
) {
    let n = pts[0].len() - 1;
    check_all(
        name,
        pts,
        |p| f(&p[..n], p[n]),
        |p| {
            let (v, (g, gt)) = grad(&p[..n], p[n]);
            (v, cat(&[&g, &[gt]]))
        },
        |p, d| jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut g = vec![0.0; n];
            let (v, gt) = vjp(&p[..n], &mut g, p[n], w);
            (v, cat(&[&g, &[gt]]))
        },
    );
}

/// `f(a: f64, xs: &mut [f64])` over `p = [a; xs0]`, output `xs` after.
#[track_caller]
fn check_scale_mut(
    name: &str,
    pts: &[Vec<f64>],
    f: impl Fn(f64, &mut [f64]),
    jvp: impl Fn(f64, f64, &mut [f64], &mut [f64]),
    vjp: impl Fn(f64, &mut [f64], &mut [f64]) -> f64,
) {
    let m = pts[0].len() - 1;
    check_vector(
        name,
        pts,
        m,
        |p| {
            let mut x = p[1..].to_vec();
            f(p[0], &mut x);
            x
        },
        |p, d| {
            let mut x = p[1..].to_vec();
            let mut dx = d[1..].to_vec();
            jvp(p[0], d[0], &mut x, &mut dx);
            (x, dx)
        },
        |p, w| {
            let mut x = p[1..].to_vec();
            let mut gx = w.to_vec();
            let ga = vjp(p[0], &mut x, &mut gx);
            (x, cat(&[&[ga], &gx]))
        },
    );
}

#[test]
fn for_loops() {
    for n in [1, 4, 7] {
        let pts = points::<f64>(n, 4, -1.5, 1.5, 700 + n as u64);
        check_slice_fn!(pts, for_ref, for_ref_grad, for_ref_jvp, for_ref_vjp);
        check_slice_fn!(pts, for_pat, for_pat_grad, for_pat_jvp, for_pat_vjp);
        check_slice_fn!(pts, for_iter, for_iter_grad, for_iter_jvp, for_iter_vjp);
        check_slice_fn!(pts, enumerate_weighted, enumerate_weighted_grad, enumerate_weighted_jvp, enumerate_weighted_vjp);
        let pts = points::<f64>(n + 1, 4, -1.5, 1.5, 710 + n as u64);
        check_scale_mut("scale_in_place", &pts, scale_in_place, scale_in_place_jvp, scale_in_place_vjp);
        check_scale_mut("scale_for_mut", &pts, scale_for_mut, scale_for_mut_jvp, scale_for_mut_vjp);
        let pts = points::<f64>(2 * n, 4, -1.5, 1.5, 720 + n as u64);
        check_two("zip_dot", &pts, n, zip_dot, zip_dot_grad, zip_dot_jvp, zip_dot_vjp);
        check_two("zip_pat", &pts, n, zip_pat, zip_pat_grad, zip_pat_jvp, zip_pat_vjp);
        check_vector("zip_mut", &pts, n, |p| {
            let mut o = p[n..].to_vec();
            zip_mut(&p[..n], &mut o);
            o
        }, |p, d| {
            let mut o = p[n..].to_vec();
            let mut d_o = d[n..].to_vec();
            zip_mut_jvp(&p[..n], &d[..n], &mut o, &mut d_o);
            (o, d_o)
        }, |p, w| {
            let mut o = p[n..].to_vec();
            let mut gx = vec![0.0; n];
            let mut go = w.to_vec();
            zip_mut_vjp(&p[..n], &mut gx, &mut o, &mut go);
            (o, cat(&[&gx, &go]))
        });
    }
    // zip of different lengths stops at the shorter one
    let pts = points::<f64>(7, 4, -1.5, 1.5, 730);
    check_two("zip_dot short", &pts, 3, zip_dot, zip_dot_grad, zip_dot_jvp, zip_dot_vjp);
    check_two("zip_dot long", &pts, 4, zip_dot, zip_dot_grad, zip_dot_jvp, zip_dot_vjp);
}

#[test]
fn adapters() {
    for n in [2, 5, 8] {
        let pts = points::<f64>(n, 4, -1.5, 1.5, 740 + n as u64);
        check_slice_fn!(pts, map_sum, map_sum_grad, map_sum_jvp, map_sum_vjp);
        check_slice_fn!(pts, map_sum_typed, map_sum_typed_grad, map_sum_typed_jvp, map_sum_typed_vjp);
        check_slice_fn!(pts, prod, prod_grad, prod_jvp, prod_vjp);
        check_slice_fn!(pts, map_prod, map_prod_grad, map_prod_jvp, map_prod_vjp);
        check_slice_fn!(pts, fold_max, fold_max_grad, fold_max_jvp, fold_max_vjp);
        check_slice_fn!(pts, filter_sum, filter_sum_grad, filter_sum_jvp, filter_sum_vjp);
        check_slice_fn!(pts, rev_fold, rev_fold_grad, rev_fold_jvp, rev_fold_vjp);
        check_slice_fn!(pts, step_by_sum, step_by_sum_grad, step_by_sum_jvp, step_by_sum_vjp);
        check_slice_fn!(pts, enumerate_map_sum, enumerate_map_sum_grad, enumerate_map_sum_jvp, enumerate_map_sum_vjp);
        check_slice_fn!(pts, range_map_sum, range_map_sum_grad, range_map_sum_jvp, range_map_sum_vjp);
        check_slice_fn!(pts, collect_then_for, collect_then_for_grad, collect_then_for_jvp, collect_then_for_vjp);
        check_slice_fn!(pts, windows_map, windows_map_grad, windows_map_jvp, windows_map_vjp);
        check_slice_fn!(pts, chunks_map, chunks_map_grad, chunks_map_jvp, chunks_map_vjp);
        let pts = points::<f64>(n + 1, 4, -1.2, 1.2, 750 + n as u64);
        check_slice_scalar("fold_horner", &pts, fold_horner, fold_horner_grad, fold_horner_jvp, fold_horner_vjp);
        let pts = points::<f64>(2 * n, 4, -1.5, 1.5, 760 + n as u64);
        check_two("zip_map_sum", &pts, n, zip_map_sum, zip_map_sum_grad, zip_map_sum_jvp, zip_map_sum_vjp);
        check_two("chain_into_for", &pts, n, chain_into_for, chain_into_for_grad, chain_into_for_jvp, chain_into_for_vjp);
    }
    for n in [4, 6] {
        let pts = points::<f64>(n, 4, -1.5, 1.5, 770 + n as u64);
        check_slice_fn!(pts, skip_take, skip_take_grad, skip_take_jvp, skip_take_vjp);
    }
    // count/any/all: points chosen on both sides of each predicate
    let pts = fixed::<f64>(&[&[0.3, 1.4, -0.5, 0.2], &[-0.3, 0.4, 0.5, 0.9], &[0.7, -1.4, 0.5, 1.2], &[-0.6, -0.4, -0.2, -0.1]]);
    check_slice_fn!(pts, count_any_all, count_any_all_grad, count_any_all_jvp, count_any_all_vjp);
    check_all("into_iter_array", &points::<f64>(4, 4, -1.5, 1.5, 780), |p| into_iter_array(arr(p)), |p| {
        let (v, g) = into_iter_array_grad(arr(p));
        (v, g.to_vec())
    }, |p, d| into_iter_array_jvp(arr(p), arr(d)), |p, w| {
        let (v, g) = into_iter_array_vjp(arr(p), w);
        (v, g.to_vec())
    });
}

#[test]
fn closures() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 790), local_closure, local_closure_grad, local_closure_jvp, local_closure_vjp; 0, 1);
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.2, 2.0)], 4, 791);
    check_slice_scalar("capturing_closure", &pts, capturing_closure, capturing_closure_grad, capturing_closure_jvp, capturing_closure_vjp);
    check_slice_scalar("closure_in_fold", &pts, closure_in_fold, closure_in_fold_grad, closure_in_fold_jvp, closure_in_fold_vjp);
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-0.5, 0.5), (0.5, 2.0)], 4, 792);
    check_all("closure_in_map", &pts, |p| closure_in_map(&p[..3], p[3], p[4]), |p| {
        let (v, (g, gm, gs)) = closure_in_map_grad(&p[..3], p[3], p[4]);
        (v, cat(&[&g, &[gm, gs]]))
    }, |p, d| closure_in_map_jvp(&p[..3], &d[..3], p[3], d[3], p[4], d[4]), |p, w| {
        let mut g = vec![0.0; 3];
        let (v, (gm, gs)) = closure_in_map_vjp(&p[..3], &mut g, p[3], p[4], w);
        (v, cat(&[&g, &[gm, gs]]))
    });
    check_all("closure_two_captures", &pts, |p| closure_two_captures(&p[..3], p[3], p[4]), |p| {
        let (v, (g, ga, gb)) = closure_two_captures_grad(&p[..3], p[3], p[4]);
        (v, cat(&[&g, &[ga, gb]]))
    }, |p, d| closure_two_captures_jvp(&p[..3], &d[..3], p[3], d[3], p[4], d[4]), |p, w| {
        let mut g = vec![0.0; 3];
        let (v, (ga, gb)) = closure_two_captures_vjp(&p[..3], &mut g, p[3], p[4], w);
        (v, cat(&[&g, &[ga, gb]]))
    });
}

#[test]
fn generic_f32_f64() {
    let pts = points::<f64>(5, 4, -1.5, 1.5, 800);
    check_slice_fn!(pts, g_norm, g_norm_grad, g_norm_jvp, g_norm_vjp);
    let pts = points::<f32>(5, 4, -1.5, 1.5, 801);
    check_slice_fn!(pts, g_norm, g_norm_grad, g_norm_jvp, g_norm_vjp);
    for pts32 in [points::<f32>(6, 4, -1.5, 1.5, 802)] {
        check_all("g_zip f32", &pts32, |p| g_zip(&p[..3], &p[3..]), |p| {
            let (v, (a, b)) = g_zip_grad(&p[..3], &p[3..]);
            (v, cat(&[&a, &b]))
        }, |p, d| g_zip_jvp(&p[..3], &d[..3], &p[3..], &d[3..]), |p, w| {
            let mut a = vec![0.0f32; 3];
            let mut b = vec![0.0f32; 3];
            let (v, ()) = g_zip_vjp(&p[..3], &mut a, &p[3..], &mut b, w);
            (v, cat(&[&a, &b]))
        });
    }
    let pts = points::<f64>(6, 4, -1.5, 1.5, 803);
    check_two("g_zip f64", &pts, 3, g_zip, g_zip_grad, g_zip_jvp, g_zip_vjp);
}

// ----- more realistic chains ----------------------------------------------------------

#[differentiable]
fn zip3(x: &[f64], y: &[f64], z: &[f64]) -> f64 {
    x.iter().zip(y).zip(z).map(|((a, b), c)| a * b + c * c).sum()
}

#[differentiable]
fn copied_cloned(x: &[f64]) -> f64 {
    let a: f64 = x.iter().copied().map(|v| v.sin()).sum();
    let b: f64 = x.iter().cloned().fold(0.0, |s, v| s + v * v);
    a * b
}

#[differentiable]
fn enumerate_mut(xs: &mut [f64]) {
    for (i, v) in xs.iter_mut().enumerate() {
        *v = v.powi(2) * (i as f64 + 0.5);
    }
}

#[differentiable]
fn zip_into_mut(x: &[f64], out: &mut [f64]) {
    for (a, o) in x.iter().zip(out.iter_mut()) {
        *o += a.exp();
    }
}

#[differentiable]
fn closure_fnmut(x: &[f64]) -> f64 {
    let mut acc = 0.0;
    let mut add = |v: f64| acc += v * v;
    for i in 0..x.len() {
        add(x[i]);
    }
    acc
}

#[differentiable]
fn closure_over_slice(x: &[f64], w: &[f64]) -> f64 {
    let term = |i: usize| w[i] * x[i].sin();
    let mut s = 0.0;
    for i in 0..x.len() {
        s += term(i) * term(i);
    }
    s
}

#[differentiable]
fn closure_tuple(x: f64, y: f64) -> f64 {
    let polar = |a: f64, b: f64| ((a * a + b * b).sqrt(), b.atan2(a));
    let (r, th) = polar(x, y);
    r * th.cos() + r * r
}

#[differentiable]
fn nested_closure(x: &[f64], k: f64) -> f64 {
    let inner = |t: f64| (t * k).tanh();
    let outer = |t: f64| inner(t) * inner(t + 1.0);
    x.iter().map(|&v| outer(v)).sum()
}

#[differentiable]
fn map_then_fold_closure(x: &[f64], y: &[f64]) -> f64 {
    let d2 = x
        .iter()
        .zip(y.iter())
        .map(|(a, b)| a - b)
        .fold(0.0, |acc, d| acc + d * d);
    d2.sqrt()
}

#[differentiable]
fn logsumexp(x: &[f64]) -> f64 {
    let m = x.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let s: f64 = x.iter().map(|&v| (v - m).exp()).sum();
    m + s.ln()
}

#[differentiable]
fn rev_enumerate_for(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for (i, &v) in x.iter().enumerate().rev() {
        s = s * v + i as f64;
    }
    s
}

#[differentiable]
fn take_while_like(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for &v in x.iter().skip(1).step_by(2).take(2) {
        s += v.exp();
    }
    s
}

#[test]
fn realistic_chains() {
    for n in [2, 5] {
        let pts = points::<f64>(3 * n, 4, -1.5, 1.5, 810 + n as u64);
        check_all("zip3", &pts, |p| zip3(&p[..n], &p[n..2 * n], &p[2 * n..]), |p| {
            let (v, (a, b, c)) = zip3_grad(&p[..n], &p[n..2 * n], &p[2 * n..]);
            (v, cat(&[&a, &b, &c]))
        }, |p, d| zip3_jvp(&p[..n], &d[..n], &p[n..2 * n], &d[n..2 * n], &p[2 * n..], &d[2 * n..]), |p, w| {
            let mut a = vec![0.0; n];
            let mut b = vec![0.0; n];
            let mut c = vec![0.0; n];
            let (v, ()) = zip3_vjp(&p[..n], &mut a, &p[n..2 * n], &mut b, &p[2 * n..], &mut c, w);
            (v, cat(&[&a, &b, &c]))
        });
        let pts = points::<f64>(n, 4, -1.5, 1.5, 820 + n as u64);
        check_slice_fn!(pts, copied_cloned, copied_cloned_grad, copied_cloned_jvp, copied_cloned_vjp);
        check_slice_fn!(pts, closure_fnmut, closure_fnmut_grad, closure_fnmut_jvp, closure_fnmut_vjp);
        check_slice_fn!(pts, logsumexp, logsumexp_grad, logsumexp_jvp, logsumexp_vjp);
        check_slice_fn!(pts, rev_enumerate_for, rev_enumerate_for_grad, rev_enumerate_for_jvp, rev_enumerate_for_vjp);
        check_slice_fn!(pts, take_while_like, take_while_like_grad, take_while_like_jvp, take_while_like_vjp);
        check_vector("enumerate_mut", &pts, n, |p| {
            let mut x = p.to_vec();
            enumerate_mut(&mut x);
            x
        }, |p, d| {
            let mut x = p.to_vec();
            let mut dx = d.to_vec();
            enumerate_mut_jvp(&mut x, &mut dx);
            (x, dx)
        }, |p, w| {
            let mut x = p.to_vec();
            let mut g = w.to_vec();
            enumerate_mut_vjp(&mut x, &mut g);
            (x, g)
        });
        let pts = points::<f64>(2 * n, 4, -1.5, 1.5, 830 + n as u64);
        check_two("closure_over_slice", &pts, n, closure_over_slice, closure_over_slice_grad, closure_over_slice_jvp, closure_over_slice_vjp);
        check_two("map_then_fold_closure", &pts, n, map_then_fold_closure, map_then_fold_closure_grad, map_then_fold_closure_jvp, map_then_fold_closure_vjp);
        check_vector("zip_into_mut", &pts, n, |p| {
            let mut o = p[n..].to_vec();
            zip_into_mut(&p[..n], &mut o);
            o
        }, |p, d| {
            let mut o = p[n..].to_vec();
            let mut d_o = d[n..].to_vec();
            zip_into_mut_jvp(&p[..n], &d[..n], &mut o, &mut d_o);
            (o, d_o)
        }, |p, w| {
            let mut o = p[n..].to_vec();
            let mut gx = vec![0.0; n];
            let mut go = w.to_vec();
            zip_into_mut_vjp(&p[..n], &mut gx, &mut o, &mut go);
            (o, cat(&[&gx, &go]))
        });
        let pts = points::<f64>(n + 1, 4, -1.5, 1.5, 840 + n as u64);
        check_slice_scalar("nested_closure", &pts, nested_closure, nested_closure_grad, nested_closure_jvp, nested_closure_vjp);
    }
    check_scalars!(points::<f64>(2, 4, 0.2, 1.5, 850), closure_tuple, closure_tuple_grad, closure_tuple_jvp, closure_tuple_vjp; 0, 1);
}
