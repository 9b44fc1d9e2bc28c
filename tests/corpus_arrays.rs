//! Correctness corpus, part 2: arrays. Index reads of `&[F]`, `&Vec<F>`,
//! `[F; N]` by value and `&[F; N]`; writes into `&mut [F]`, `&mut Vec<F>`,
//! `&mut [F; N]` (in/out arrays) and into local `vec![x; n]` / `[x; N]`;
//! `Vec<F>`, `[F; N]` and tuple results; index arithmetic and `.len()`;
//! realistic array code (Rosenbrock, softmax, log-sum-exp, cross-entropy,
//! MLP, GMM log-likelihood, Horner, normalised loss); tape reuse.

#![allow(unexpected_cfgs)]

#[macro_use]
mod common;

use common::*;
use leibniz::check;
use leibniz::prelude::*;

// ---------------------------------------------------------------------------
// reads of `&[F]`

#[differentiable]
pub fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = 1.0 - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + 100.0 * b * b;
    }
    s
}

#[test]
fn rosenbrock_gradient() {
    let mut pts = points::<f64>(5, 3, -1.5, 1.5, 11);
    pts.push(vec![1.0, 1.0, 1.0, 1.0, 1.0]); // the minimum: gradient 0
    pts.push(vec![-1.2, 1.0]);
    check_slice_fn!(
        pts,
        rosenbrock,
        rosenbrock_grad,
        rosenbrock_jvp,
        rosenbrock_vjp
    );
    let (_, g) = rosenbrock_grad(&[1.0, 1.0, 1.0]);
    assert!(
        g.iter().all(|v| v.abs() <= 1e-12),
        "gradient at the minimum: {g:?}"
    );
}

/// `_vjp` adds into the shadow (`+=`), it does not overwrite it.
#[test]
fn vjp_shadow_accumulates() {
    let x = [0.3, -0.8, 1.1, 0.5];
    let (_, g) = rosenbrock_grad(&x);
    let mut gx = vec![1.0, -2.0, 0.5, 4.0];
    let before = gx.clone();
    rosenbrock_vjp(&x, &mut gx, 2.0);
    let want: Vec<f64> = before.iter().zip(&g).map(|(b, g)| b + 2.0 * g).collect();
    assert_close_slice(&gx, &want, "rosenbrock_vjp accumulates into its shadow");
}

#[differentiable]
fn product(x: &[f64]) -> f64 {
    let mut p = 1.0;
    for i in 0..x.len() {
        p *= x[i];
    }
    p
}

#[test]
fn running_product_overwrites() {
    // includes an exact zero factor: the adjoint must not divide by x[i]
    let mut pts = points::<f64>(4, 3, -1.5, 1.5, 12);
    pts.push(vec![0.7, 0.0, -1.3, 2.0]);
    pts.push(vec![0.0, 0.0, 1.5]);
    check_slice_fn!(pts, product, product_grad, product_jvp, product_vjp);
}

/// Index arithmetic on integers: `x[2*i+1]`, `n / 2`, `%`.
#[differentiable]
fn pair_products(x: &[f64]) -> f64 {
    let n = x.len() / 2;
    let mut s = 0.0;
    for i in 0..n {
        s += x[2 * i + 1] * x[2 * i] - x[n + i % 2];
    }
    let mid = n / 2;
    s * x[mid]
}

#[test]
fn index_arithmetic() {
    check_slice_fn!(
        points::<f64>(6, 3, -2.0, 2.0, 13),
        pair_products,
        pair_products_grad,
        pair_products_jvp,
        pair_products_vjp
    );
    check_slice_fn!(
        points::<f64>(9, 3, -2.0, 2.0, 14),
        pair_products,
        pair_products_grad,
        pair_products_jvp,
        pair_products_vjp
    );
}

// ---------------------------------------------------------------------------
// `&Vec<F>`, `[F; N]` by value, `&[F; N]`, `.len()`

#[differentiable]
fn weighted_norm(x: &Vec<f64>) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i] * (i as f64 + 1.0);
    }
    s.sqrt()
}

#[test]
fn vec_ref_param() {
    let pts = points::<f64>(5, 3, -2.0, 2.0, 15);
    check_all(
        "weighted_norm",
        &pts,
        |p| weighted_norm(&p.to_vec()),
        |p| weighted_norm_grad(&p.to_vec()),
        |p, d| weighted_norm_jvp(&p.to_vec(), d),
        |p, w| {
            let mut g = zeros_like(p);
            let (v, ()) = weighted_norm_vjp(&p.to_vec(), &mut g, w);
            (v, g)
        },
    );
}

#[differentiable]
fn arr_by_value(x: [f64; 3]) -> f64 {
    x[0] * x[1] + x[2].sin() * x[0] + x.len() as f64 * x[2]
}

#[test]
fn array_by_value_param() {
    let pts = points::<f64>(3, 4, -2.0, 2.0, 16);
    check_all(
        "arr_by_value",
        &pts,
        |p| arr_by_value(arr(p)),
        |p| {
            let (v, g): (f64, [f64; 3]) = arr_by_value_grad(arr(p));
            (v, g.to_vec())
        },
        |p, d| arr_by_value_jvp(arr(p), arr(d)),
        |p, w| {
            let (v, g): (f64, [f64; 3]) = arr_by_value_vjp(arr(p), w);
            (v, g.to_vec())
        },
    );
}

#[differentiable]
fn arr_ref(x: &[f64; 4], a: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..4 {
        s += (a * x[i]).cos() * x[(i + 1) % 4];
    }
    s
}

#[test]
fn array_ref_param() {
    let pts = points::<f64>(5, 4, -2.0, 2.0, 17);
    check_all(
        "arr_ref",
        &pts,
        |p| arr_ref(&arr(&p[..4]), p[4]),
        |p| {
            let (v, (gx, ga)) = arr_ref_grad(&arr(&p[..4]), p[4]);
            (v, cat(&[&gx, &[ga]]))
        },
        |p, d| arr_ref_jvp(&arr(&p[..4]), &d[..4], p[4], d[4]),
        |p, w| {
            let mut gx = zeros(4);
            let (v, ga) = arr_ref_vjp(&arr(&p[..4]), &mut gx, p[4], w);
            (v, cat(&[&gx, &[ga]]))
        },
    );
}

#[differentiable]
fn lens(x: &[f64; 3], y: &Vec<f64>) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * y[i % y.len()];
    }
    s * (y.len() as f64) + x[x.len() - 1] * y[y.len() - 1]
}

#[test]
fn len_of_arrays() {
    for m in [2usize, 3, 5] {
        let pts = points::<f64>(3 + m, 3, -2.0, 2.0, 18 + m as u64);
        check_all(
            "lens",
            &pts,
            |p| lens(&arr(&p[..3]), &p[3..].to_vec()),
            |p| {
                let (v, (gx, gy)) = lens_grad(&arr(&p[..3]), &p[3..].to_vec());
                (v, cat(&[&gx, &gy]))
            },
            |p, d| lens_jvp(&arr(&p[..3]), &d[..3], &p[3..].to_vec(), &d[3..]),
            |p, w| {
                let mut gx = zeros(3);
                let mut gy = zeros(m);
                let (v, ()) = lens_vjp(&arr(&p[..3]), &mut gx, &p[3..].to_vec(), &mut gy, w);
                (v, cat(&[&gx, &gy]))
            },
        );
    }
}

#[differentiable(wrt(w))]
fn weighted(x: &[f64], w: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += w[i] * x[i].sin() * w[i];
    }
    s
}

#[test]
fn wrt_one_array() {
    let x = [0.3, -1.2, 2.0, 0.9];
    check_all(
        "weighted",
        &points::<f64>(4, 3, -2.0, 2.0, 19),
        |p| weighted(&x, p),
        |p| weighted_grad(&x, p),
        |p, d| weighted_jvp(&x, p, d),
        |p, w| {
            let mut gw = zeros(4);
            let (v, ()) = weighted_vjp(&x, p, &mut gw, w);
            (v, gw)
        },
    );
}

// ---------------------------------------------------------------------------
// in/out arrays: `&mut [F]`, `&mut Vec<F>`, `&mut [F; N]`

#[differentiable]
fn scale_inplace(x: &mut [f64], a: f64) {
    for i in 0..x.len() {
        x[i] = x[i] * a + x[i].sin();
    }
}

#[test]
fn inout_slice() {
    let n = 4;
    check_vector(
        "scale_inplace",
        &points::<f64>(n + 1, 3, -2.0, 2.0, 20),
        n,
        |p| {
            let mut x = p[..n].to_vec();
            scale_inplace(&mut x, p[n]);
            x
        },
        |p, d| {
            let mut x = p[..n].to_vec();
            let mut dx = d[..n].to_vec();
            scale_inplace_jvp(&mut x, &mut dx, p[n], d[n]);
            (x, dx)
        },
        |p, w| {
            let mut x = p[..n].to_vec();
            let mut gx = w.to_vec();
            let ga = scale_inplace_vjp(&mut x, &mut gx, p[n]);
            (x, cat(&[&gx, &[ga]]))
        },
    );
}

/// Compound assignment on array elements, reading elements that earlier
/// iterations overwrote.
#[differentiable]
fn smooth_inplace(x: &mut [f64], c: f64) {
    let n = x.len();
    for i in 1..n {
        x[i] += c * x[i - 1];
    }
    for i in 0..n {
        x[i] *= x[i];
    }
    x[0] -= c;
    x[n - 1] /= 1.0 + c * c;
}

#[test]
fn inout_compound_assignment() {
    let n = 5;
    check_vector(
        "smooth_inplace",
        &points::<f64>(n + 1, 3, -1.5, 1.5, 21),
        n,
        |p| {
            let mut x = p[..n].to_vec();
            smooth_inplace(&mut x, p[n]);
            x
        },
        |p, d| {
            let mut x = p[..n].to_vec();
            let mut dx = d[..n].to_vec();
            smooth_inplace_jvp(&mut x, &mut dx, p[n], d[n]);
            (x, dx)
        },
        |p, w| {
            let mut x = p[..n].to_vec();
            let mut gx = w.to_vec();
            let ga = smooth_inplace_vjp(&mut x, &mut gx, p[n]);
            (x, cat(&[&gx, &[ga]]))
        },
    );
}

#[differentiable]
fn prefix_product(x: &mut Vec<f64>) {
    for i in 1..x.len() {
        x[i] = x[i] * x[i - 1];
    }
}

#[test]
fn inout_vec() {
    let n = 5;
    check_vector(
        "prefix_product",
        &points::<f64>(n, 3, -1.5, 1.5, 22),
        n,
        |p| {
            let mut x = p.to_vec();
            prefix_product(&mut x);
            x
        },
        |p, d| {
            let mut x = p.to_vec();
            let mut dx = d.to_vec();
            prefix_product_jvp(&mut x, &mut dx);
            (x, dx)
        },
        |p, w| {
            let mut x = p.to_vec();
            let mut gx = w.to_vec();
            let () = prefix_product_vjp(&mut x, &mut gx);
            (x, gx)
        },
    );
}

#[differentiable]
fn rotate_inplace(x: &mut [f64; 3], t: f64) {
    let (s, c) = t.sin_cos();
    let a = x[0];
    let b = x[1];
    x[0] = c * a - s * b;
    x[1] = s * a + c * b;
    x[2] = x[2] * t;
}

#[test]
fn inout_fixed_array() {
    check_vector(
        "rotate_inplace",
        &points::<f64>(4, 3, -2.0, 2.0, 23),
        3,
        |p| {
            let mut x: [f64; 3] = arr(&p[..3]);
            rotate_inplace(&mut x, p[3]);
            x.to_vec()
        },
        |p, d| {
            let mut x: [f64; 3] = arr(&p[..3]);
            let mut dx = d[..3].to_vec();
            rotate_inplace_jvp(&mut x, &mut dx, p[3], d[3]);
            (x.to_vec(), dx)
        },
        |p, w| {
            let mut x: [f64; 3] = arr(&p[..3]);
            let mut gx = w.to_vec();
            let gt = rotate_inplace_vjp(&mut x, &mut gx, p[3]);
            (x.to_vec(), cat(&[&gx, &[gt]]))
        },
    );
}

/// Read-only input and an in/out output that is read before it is written.
#[differentiable]
fn square_into(x: &[f64], out: &mut [f64]) {
    for i in 0..x.len() {
        out[i] = x[i] * x[i] + 0.5 * out[i].sin();
    }
}

#[test]
fn input_and_output_arrays() {
    let n = 4;
    check_vector(
        "square_into",
        &points::<f64>(2 * n, 3, -2.0, 2.0, 24),
        n,
        |p| {
            let mut out = p[n..].to_vec();
            square_into(&p[..n], &mut out);
            out
        },
        |p, d| {
            let mut out = p[n..].to_vec();
            let mut dout = d[n..].to_vec();
            square_into_jvp(&p[..n], &d[..n], &mut out, &mut dout);
            (out, dout)
        },
        |p, w| {
            let mut out = p[n..].to_vec();
            let mut gx = zeros(n);
            let mut gout = w.to_vec();
            let () = square_into_vjp(&p[..n], &mut gx, &mut out, &mut gout);
            (out, cat(&[&gx, &gout]))
        },
    );
}

// ---------------------------------------------------------------------------
// local arrays: `vec![x; n]`, `[x; N]`

#[differentiable]
fn local_vec(x: &[f64]) -> f64 {
    let n = x.len();
    let mut tmp = vec![0.0; n];
    for i in 0..n {
        tmp[i] = x[i] * x[i] + 1.0;
    }
    let mut acc = vec![x[0]; n]; // active fill value
    for i in 1..n {
        acc[i] = acc[i - 1] * tmp[i].ln() + acc[i];
    }
    let mut s = 0.0;
    for i in 0..n {
        s += acc[i] / tmp[i];
    }
    s
}

#[test]
fn local_vec_writes() {
    check_slice_fn!(
        points::<f64>(5, 4, -1.5, 1.5, 25),
        local_vec,
        local_vec_grad,
        local_vec_jvp,
        local_vec_vjp
    );
}

#[differentiable]
fn local_arr(x: f64, y: f64) -> f64 {
    let mut a = [0.0; 4];
    a[0] = x;
    a[1] = x * y;
    a[2] = a[1].sin() + a[0];
    a[3] = a[2] * a[2];
    let b = [y; 3];
    let mut s = 0.0;
    for i in 0..4 {
        s += a[i] * b[i % 3];
    }
    a[0] = s; // overwrite an element the backward sweep needs
    a[0] * a[3] + b[2]
}

#[test]
fn local_array_writes() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 26), local_arr, local_arr_grad, local_arr_jvp, local_arr_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// array and tuple results

#[differentiable]
pub fn softmax(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut m = x[0];
    for i in 1..n {
        if x[i] > m {
            m = x[i];
        }
    }
    let mut out = vec![0.0; n];
    let mut z = 0.0;
    for i in 0..n {
        out[i] = (x[i] - m).exp();
        z += out[i];
    }
    for i in 0..n {
        out[i] /= z;
    }
    out
}

fn check_softmax_at(pts: &[Vec<f64>]) {
    let n = pts[0].len();
    check_vector(
        "softmax",
        pts,
        n,
        |p| softmax(p),
        |p, d| softmax_jvp(p, d),
        |p, w| {
            let mut g = zeros_like(p);
            let (y, ()) = softmax_vjp(p, &mut g, w.to_vec());
            (y, g)
        },
    );
}

#[test]
fn softmax_vec_result() {
    check_softmax_at(&points::<f64>(4, 3, -3.0, 3.0, 27));
    // large logits: the max subtraction keeps it finite
    check_softmax_at(&points::<f64>(3, 3, 700.0, 705.0, 28));
}

#[differentiable]
fn normalize(x: &[f64]) -> Vec<f64> {
    let mut nn = 0.0;
    for i in 0..x.len() {
        nn += x[i] * x[i];
    }
    let mut out = vec![0.0; x.len()];
    for i in 0..x.len() {
        out[i] = x[i] / nn.sqrt(); // loop-invariant norm inside the loop
    }
    out
}

#[test]
fn normalize_vec_result() {
    check_vector(
        "normalize",
        &points::<f64>(5, 3, -2.0, 2.0, 29),
        5,
        |p| normalize(p),
        |p, d| normalize_jvp(p, d),
        |p, w| {
            let mut g = zeros_like(p);
            let (y, ()) = normalize_vjp(p, &mut g, w.to_vec());
            (y, g)
        },
    );
}

#[differentiable]
fn arr_result(x: f64, y: f64) -> [f64; 3] {
    let mut out = [0.0; 3];
    out[0] = x * y;
    out[1] = x.exp() - y;
    out[2] = (x + y).sin() * out[0];
    out
}

#[test]
fn fixed_array_result() {
    check_vector(
        "arr_result",
        &points::<f64>(2, 3, -1.5, 1.5, 30),
        3,
        |p| arr_result(p[0], p[1]).to_vec(),
        |p, d| {
            let (y, dy) = arr_result_jvp(p[0], d[0], p[1], d[1]);
            (y.to_vec(), dy.to_vec())
        },
        |p, w| {
            let (y, (ax, ay)) = arr_result_vjp(p[0], p[1], arr(w));
            (y.to_vec(), vec![ax, ay])
        },
    );
}

#[differentiable]
fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    let mut out = [0.0; 3];
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
    out
}

#[test]
fn arrays_by_value_in_and_out() {
    check_vector(
        "cross",
        &points::<f64>(6, 3, -2.0, 2.0, 31),
        3,
        |p| cross(arr(&p[..3]), arr(&p[3..])).to_vec(),
        |p, d| {
            let (y, dy) = cross_jvp(arr(&p[..3]), arr(&d[..3]), arr(&p[3..]), arr(&d[3..]));
            (y.to_vec(), dy.to_vec())
        },
        |p, w| {
            let (y, (ga, gb)) = cross_vjp(arr(&p[..3]), arr(&p[3..]), arr(w));
            (y.to_vec(), cat(&[&ga, &gb]))
        },
    );
}

#[differentiable]
pub fn polar(r: f64, th: f64) -> (f64, f64) {
    let (s, c) = th.sin_cos();
    (r * c, r * s)
}

#[test]
fn tuple_result() {
    check_vector(
        "polar",
        &points_in::<f64>(&[(0.5, 2.0), (-3.0, 3.0)], 4, 32),
        2,
        |p| {
            let (a, b) = polar(p[0], p[1]);
            vec![a, b]
        },
        |p, d| {
            let ((a, b), (da, db)) = polar_jvp(p[0], d[0], p[1], d[1]);
            (vec![a, b], vec![da, db])
        },
        |p, w| {
            let ((a, b), (gr, gt)) = polar_vjp(p[0], p[1], (w[0], w[1]));
            (vec![a, b], vec![gr, gt])
        },
    );
}

// ---------------------------------------------------------------------------
// realistic array code

#[differentiable]
pub fn logsumexp(x: &[f64]) -> f64 {
    let mut m = x[0];
    for i in 1..x.len() {
        m = m.max(x[i]);
    }
    let mut s = 0.0;
    for i in 0..x.len() {
        s += (x[i] - m).exp();
    }
    m + s.ln()
}

#[test]
fn logsumexp_with_max_subtraction() {
    check_slice_fn!(
        points::<f64>(5, 3, -3.0, 3.0, 33),
        logsumexp,
        logsumexp_grad,
        logsumexp_jvp,
        logsumexp_vjp
    );
    check_slice_fn!(
        points::<f64>(4, 3, 600.0, 610.0, 34),
        logsumexp,
        logsumexp_grad,
        logsumexp_jvp,
        logsumexp_vjp
    );
    // the gradient of log-sum-exp is the softmax: two generated functions agree
    let x = [0.5, -1.0, 2.0, 0.1];
    let (_, g) = logsumexp_grad(&x);
    assert_close_slice(&g, &softmax(&x), "grad logsumexp = softmax");
}

#[differentiable]
fn softmax_xent(logits: &[f64], target: usize) -> f64 {
    let n = logits.len();
    let mut m = logits[0];
    for i in 1..n {
        if logits[i] > m {
            m = logits[i];
        }
    }
    let mut z = 0.0;
    for i in 0..n {
        z += (logits[i] - m).exp();
    }
    -(logits[target] - m - z.ln())
}

#[test]
fn softmax_cross_entropy() {
    for target in 0..4 {
        check_all(
            "softmax_xent",
            &points::<f64>(4, 3, -3.0, 3.0, 35 + target as u64),
            |p| softmax_xent(p, target),
            |p| softmax_xent_grad(p, target),
            |p, d| softmax_xent_jvp(p, d, target),
            |p, w| {
                let mut g = zeros_like(p);
                let (v, ()) = softmax_xent_vjp(p, &mut g, target, w);
                (v, g)
            },
        );
    }
}

#[differentiable]
pub fn normalized_loss(w: &[f64], x: &[f64]) -> f64 {
    let mut nn = 0.0;
    for i in 0..x.len() {
        nn += x[i] * x[i];
    }
    let mut s = 0.0;
    for i in 0..x.len() {
        s += w[i] * x[i] / nn.sqrt();
    }
    s
}

#[test]
fn normalised_vector_loss() {
    let n = 6;
    check_all(
        "normalized_loss",
        &points::<f64>(2 * n, 3, -2.0, 2.0, 40),
        |p| normalized_loss(&p[..n], &p[n..]),
        |p| {
            let (v, (gw, gx)) = normalized_loss_grad(&p[..n], &p[n..]);
            (v, cat(&[&gw, &gx]))
        },
        |p, d| normalized_loss_jvp(&p[..n], &d[..n], &p[n..], &d[n..]),
        |p, w| {
            let mut gw = zeros(n);
            let mut gx = zeros(n);
            let (v, ()) = normalized_loss_vjp(&p[..n], &mut gw, &p[n..], &mut gx, w);
            (v, cat(&[&gw, &gx]))
        },
    );
}

/// 2-layer perceptron: `b2 + sum_j w2[j] tanh(b1[j] + sum_k w1[j d + k] x[k])`.
#[differentiable]
pub fn mlp(x: &[f64], w1: &[f64], b1: &[f64], w2: &[f64], b2: f64) -> f64 {
    let d = x.len();
    let h = b1.len();
    let mut out = b2;
    for j in 0..h {
        let mut a = b1[j];
        for k in 0..d {
            a += w1[j * d + k] * x[k];
        }
        out += w2[j] * a.tanh();
    }
    out
}

const D: usize = 3;
const H: usize = 4;

fn mlp_split(p: &[f64]) -> (&[f64], &[f64], &[f64], &[f64], f64) {
    let (x, r) = p.split_at(D);
    let (w1, r) = r.split_at(D * H);
    let (b1, r) = r.split_at(H);
    let (w2, r) = r.split_at(H);
    (x, w1, b1, w2, r[0])
}

#[test]
fn two_layer_mlp() {
    let n = D + D * H + H + H + 1;
    check_all(
        "mlp",
        &points::<f64>(n, 3, -1.0, 1.0, 41),
        |p| {
            let (x, w1, b1, w2, b2) = mlp_split(p);
            mlp(x, w1, b1, w2, b2)
        },
        |p| {
            let (x, w1, b1, w2, b2) = mlp_split(p);
            let (v, g) = mlp_grad(x, w1, b1, w2, b2);
            (v, Flat::flat(g))
        },
        |p, d| {
            let (x, w1, b1, w2, b2) = mlp_split(p);
            let (dx, dw1, db1, dw2, db2) = mlp_split(d);
            mlp_jvp(x, dx, w1, dw1, b1, db1, w2, dw2, b2, db2)
        },
        |p, w| {
            let (x, w1, b1, w2, b2) = mlp_split(p);
            let (mut gx, mut gw1, mut gb1, mut gw2) = (zeros(D), zeros(D * H), zeros(H), zeros(H));
            let (v, gb2) = mlp_vjp(x, &mut gx, w1, &mut gw1, b1, &mut gb1, w2, &mut gw2, b2, w);
            (v, cat(&[&gx, &gw1, &gb1, &gw2, &[gb2]]))
        },
    );
}

/// Log-likelihood of 1-D data under a Gaussian mixture with `K` components,
/// parameterised by means, log standard deviations and weight logits.
#[differentiable]
pub fn gmm_loglik(#[no_grad] data: &[f64], mu: &[f64], log_sigma: &[f64], logit_w: &[f64]) -> f64 {
    let k = mu.len();
    let mut mw = logit_w[0];
    for j in 1..k {
        mw = mw.max(logit_w[j]);
    }
    let mut zw = 0.0;
    for j in 0..k {
        zw += (logit_w[j] - mw).exp();
    }
    let lse_w = mw + zw.ln();
    let half_log_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
    let mut total = 0.0;
    let mut comp = vec![0.0; k];
    for i in 0..data.len() {
        for j in 0..k {
            let z = (data[i] - mu[j]) / log_sigma[j].exp();
            comp[j] = logit_w[j] - lse_w - log_sigma[j] - half_log_2pi - 0.5 * z * z;
        }
        let mut m = comp[0];
        for j in 1..k {
            if comp[j] > m {
                m = comp[j];
            }
        }
        let mut s = 0.0;
        for j in 0..k {
            s += (comp[j] - m).exp();
        }
        total += m + s.ln();
    }
    total
}

#[test]
fn gmm_log_likelihood() {
    let data = [-1.3, 0.2, 0.25, 2.1, 3.4, -0.7, 1.0];
    let k = 3;
    check_all(
        "gmm_loglik",
        &points::<f64>(3 * k, 3, -1.0, 1.0, 42),
        |p| gmm_loglik(&data, &p[..k], &p[k..2 * k], &p[2 * k..]),
        |p| {
            let (v, g) = gmm_loglik_grad(&data, &p[..k], &p[k..2 * k], &p[2 * k..]);
            (v, Flat::flat(g))
        },
        |p, d| {
            gmm_loglik_jvp(
                &data,
                &p[..k],
                &d[..k],
                &p[k..2 * k],
                &d[k..2 * k],
                &p[2 * k..],
                &d[2 * k..],
            )
        },
        |p, w| {
            let (mut gm, mut gs, mut gw) = (zeros(k), zeros(k), zeros(k));
            let (v, ()) = gmm_loglik_vjp(
                &data,
                &p[..k],
                &mut gm,
                &p[k..2 * k],
                &mut gs,
                &p[2 * k..],
                &mut gw,
                w,
            );
            (v, cat(&[&gm, &gs, &gw]))
        },
    );
}

/// Horner evaluation of `sum_i c[i] x^i`, a reversed loop.
#[differentiable]
pub fn horner(c: &[f64], x: f64) -> f64 {
    let mut acc = 0.0;
    for i in (0..c.len()).rev() {
        acc = acc * x + c[i];
    }
    acc
}

#[test]
fn horner_polynomial() {
    let n = 5;
    check_all(
        "horner",
        &points::<f64>(n + 1, 4, -1.5, 1.5, 43),
        |p| horner(&p[..n], p[n]),
        |p| {
            let (v, (gc, gx)) = horner_grad(&p[..n], p[n]);
            (v, cat(&[&gc, &[gx]]))
        },
        |p, d| horner_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gc = zeros(n);
            let (v, gx) = horner_vjp(&p[..n], &mut gc, p[n], w);
            (v, cat(&[&gc, &[gx]]))
        },
    );
    // independent reference: d/dx sum c_i x^i = sum i c_i x^(i-1)
    let c = [0.5, -1.0, 2.0, 0.25];
    for x in [-1.2, 0.3, 1.7] {
        let (_, (gc, gx)) = horner_grad(&c, x);
        let want: f64 = (1..c.len())
            .map(|i| i as f64 * c[i] * x.powi(i as i32 - 1))
            .sum();
        assert_close_scaled(gx, want, 20.0, "horner d/dx vs analytic");
        let want_c: Vec<f64> = (0..c.len()).map(|i| x.powi(i as i32)).collect();
        assert_close_slice(&gc, &want_c, "horner d/dc vs analytic");
    }
}

// ---------------------------------------------------------------------------
// tape reuse: record once, pull back several cotangents

#[test]
fn tape_reuse_rosenbrock() {
    for x in points::<f64>(6, 3, -1.5, 1.5, 50) {
        let (v, tape) = rosenbrock_record(&x);
        assert_close(v, rosenbrock(&x), "rosenbrock_record value");
        report_tape("rosenbrock(n=6)", tape.bytes());
        for w in [1.0, -2.0, 0.5] {
            let mut g1 = zeros(6);
            let () = rosenbrock_pullback(&tape, &mut g1, w);
            let mut g2 = zeros(6);
            rosenbrock_vjp(&x, &mut g2, w);
            assert_close_slice(&g1, &g2, "rosenbrock_pullback vs rosenbrock_vjp");
        }
    }
}

#[test]
fn tape_reuse_softmax_jacobian() {
    let n = 5;
    for x in points::<f64>(n, 3, -2.0, 2.0, 51) {
        let (y, tape) = softmax_record(&x);
        assert_close_slice(&y, &softmax(&x), "softmax_record value");
        report_tape("softmax(n=5)", tape.bytes());
        // rows of the Jacobian from one tape
        let mut jac = Vec::new();
        for i in 0..n {
            let mut g = zeros(n);
            softmax_pullback(&tape, &mut g, unit(n, i));
            jac.push(g);
        }
        check::check_jacobian(|p: &[f64]| softmax(p), &jac, &x)
            .unwrap_or_else(|e| panic!("softmax Jacobian from tape: {e:?}"));
        for w in cotangents::<f64>(n, 3, 52) {
            let mut g1 = zeros(n);
            softmax_pullback(&tape, &mut g1, w.clone());
            let mut g2 = zeros(n);
            softmax_vjp(&x, &mut g2, w);
            assert_close_slice(&g1, &g2, "softmax_pullback vs softmax_vjp");
        }
    }
}

#[test]
fn tape_reuse_mlp() {
    let n = D + D * H + H + H + 1;
    for p in points::<f64>(n, 3, -1.0, 1.0, 53) {
        let (x, w1, b1, w2, b2) = mlp_split(&p);
        let (v, tape) = mlp_record(x, w1, b1, w2, b2);
        assert_close(v, mlp(x, w1, b1, w2, b2), "mlp_record value");
        report_tape("mlp(d=3,h=4)", tape.bytes());
        for w in [1.0, 0.3, -4.0] {
            let (mut gx, mut gw1, mut gb1, mut gw2) = (zeros(D), zeros(D * H), zeros(H), zeros(H));
            let gb2 = mlp_pullback(&tape, &mut gx, &mut gw1, &mut gb1, &mut gw2, w);
            let (mut hx, mut hw1, mut hb1, mut hw2) = (zeros(D), zeros(D * H), zeros(H), zeros(H));
            let (_, hb2) = mlp_vjp(x, &mut hx, w1, &mut hw1, b1, &mut hb1, w2, &mut hw2, b2, w);
            assert_close_slice(
                &cat(&[&gx, &gw1, &gb1, &gw2, &[gb2]]),
                &cat(&[&hx, &hw1, &hb1, &hw2, &[hb2]]),
                "mlp_pullback vs mlp_vjp",
            );
        }
    }
}

#[test]
fn tape_reuse_inout() {
    let n = 4;
    for p in points::<f64>(n + 1, 3, -1.5, 1.5, 54) {
        let mut x = p[..n].to_vec();
        let ((), tape) = smooth_inplace_record(&mut x, p[n]);
        report_tape("smooth_inplace(n=4)", tape.bytes());
        for w in cotangents::<f64>(n, 3, 55) {
            let mut g1 = w.clone();
            let a1 = smooth_inplace_pullback(&tape, &mut g1);
            let mut x2 = p[..n].to_vec();
            let mut g2 = w.clone();
            let a2 = smooth_inplace_vjp(&mut x2, &mut g2, p[n]);
            assert_close_slice(
                &cat(&[&g1, &[a1]]),
                &cat(&[&g2, &[a2]]),
                "smooth_inplace_pullback vs _vjp",
            );
        }
    }
}

// ---------------------------------------------------------------------------
// more array idioms

/// An array literal as the result.
#[differentiable]
fn literal_result(x: f64, y: f64) -> [f64; 3] {
    [x * y, x + y.sin(), -x / (1.0 + y * y)]
}

#[test]
fn array_literal_result() {
    check_vector(
        "literal_result",
        &points::<f64>(2, 3, -1.5, 1.5, 120),
        3,
        |p| literal_result(p[0], p[1]).to_vec(),
        |p, d| {
            let (y, dy) = literal_result_jvp(p[0], d[0], p[1], d[1]);
            (y.to_vec(), dy.to_vec())
        },
        |p, w| {
            let (y, g) = literal_result_vjp(p[0], p[1], arr(w));
            (y.to_vec(), Flat::flat(g))
        },
    );
}

/// `let y = x.to_vec();` then writes into the copy.
#[differentiable]
fn copy_then_mutate(x: &[f64]) -> f64 {
    let mut y = x.to_vec();
    for i in 1..y.len() {
        y[i] = y[i] * y[i - 1] + x[i];
    }
    let mut s = 0.0;
    for i in 0..y.len() {
        s += y[i] * x[i];
    }
    s
}

#[test]
fn to_vec_copy() {
    check_slice_fn!(
        points::<f64>(5, 3, -1.2, 1.2, 121),
        copy_then_mutate,
        copy_then_mutate_grad,
        copy_then_mutate_jvp,
        copy_then_mutate_vjp
    );
}

/// Indices that depend on the data: an integer counter bumped inside an `if`
/// on floats, an index computed from a float, integer `min`.
#[differentiable]
fn data_dependent_index(x: &[f64], t: f64) -> f64 {
    let n = x.len();
    let mut k = 0;
    for i in 0..n {
        if x[i] > t {
            k += 1;
        }
    }
    let j = ((t + 2.0) * 1.5).floor() as usize;
    let j = j.min(n - 1);
    let mut s = x[k.min(n - 1)] * t + x[j] * x[j];
    for i in 0..n {
        s += x[(i + k) % n] * x[i];
    }
    s
}

#[test]
fn data_dependent_indices() {
    // t away from the x values and from the floor jumps of (t + 2) * 1.5
    let pts = fixed::<f64>(&[
        &[0.9, -1.1, 0.3, 1.7, -0.2, 0.1],
        &[-0.4, 1.3, 0.8, -1.6, 0.2, -0.5],
        &[1.5, 0.7, -0.9, 0.4, -1.2, 1.1],
    ]);
    let n = 5;
    check_all(
        "data_dependent_index",
        &pts,
        |p| data_dependent_index(&p[..n], p[n]),
        |p| {
            let (v, (gx, gt)) = data_dependent_index_grad(&p[..n], p[n]);
            (v, cat(&[&gx, &[gt]]))
        },
        |p, d| data_dependent_index_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, gt) = data_dependent_index_vjp(&p[..n], &mut gx, p[n], w);
            (v, cat(&[&gx, &[gt]]))
        },
    );
}

/// Reads of an in/out element right after writing it, unary minus on
/// elements, a scalar result next to an in/out array.
#[differentiable]
fn write_then_read(x: &mut [f64], a: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        x[i] = -x[i] * a + 1.0;
        s += x[i] * x[i];
        x[i] = x[i].sin();
        s -= -x[i];
    }
    s
}

#[test]
fn inout_with_scalar_result() {
    let n = 4;
    check_vector(
        "write_then_read",
        &points::<f64>(n + 1, 3, -1.5, 1.5, 122),
        n + 1,
        |p| {
            let mut x = p[..n].to_vec();
            let s = write_then_read(&mut x, p[n]);
            cat(&[&x, &[s]])
        },
        |p, d| {
            let mut x = p[..n].to_vec();
            let mut dx = d[..n].to_vec();
            let (s, ds) = write_then_read_jvp(&mut x, &mut dx, p[n], d[n]);
            (cat(&[&x, &[s]]), cat(&[&dx, &[ds]]))
        },
        |p, w| {
            let mut x = p[..n].to_vec();
            let mut gx = w[..n].to_vec();
            let (s, ga) = write_then_read_vjp(&mut x, &mut gx, p[n], w[n]);
            (cat(&[&x, &[s]]), cat(&[&gx, &[ga]]))
        },
    );
}

/// A local fixed array filled with an active value, updated in place with
/// compound assignment, indexed by a loop counter.
#[differentiable]
fn local_fixed_compound(x: f64, y: f64) -> f64 {
    let mut a = [x; 4];
    for i in 0..4 {
        a[i] *= y + i as f64;
        a[i] += x * x;
        if i > 0 {
            a[i] -= a[i - 1] * 0.5;
        }
        a[i] /= 1.0 + y * y;
    }
    a[3] + a[1] * a[2]
}

#[test]
fn local_fixed_array_compound() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 123), local_fixed_compound, local_fixed_compound_grad, local_fixed_compound_jvp, local_fixed_compound_vjp; 0, 1);
}
