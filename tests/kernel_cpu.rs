//! `#[kernel]` CPU twins against `#[differentiable]` of the same body over
//! every index (value, JVP, VJP), against central finite differences, and
//! the dot-product test tying the kernel's JVP to its VJP.

mod kernel_defs;

use kernel_defs::*;
use leibniz::check;

/// Deterministic inputs.
fn vals(n: usize, seed: u64, lo: f64, hi: f64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            lo + (hi - lo) * ((s >> 11) as f64 / (1u64 << 53) as f64)
        })
        .collect()
}

fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        let scale = 1.0 + x.abs().max(y.abs());
        assert!((x - y).abs() <= tol * scale, "{what}[{k}]: {x} vs {y}");
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

// ---- diffuse ---------------------------------------------------------------

#[test]
fn diffuse_matches_differentiable() {
    let n = 37;
    let u = vals(n, 1, -1.0, 1.0);
    let alpha = 0.3;
    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
    diffuse_cpu(&u, alpha, &mut a);
    diffuse_ref(&u, alpha, &mut b);
    close(&a, &b, 1e-15, "value");
    // the dispatching entry agrees (CPU twin here, GPU where there is one)
    let mut c = vec![0.0; n];
    diffuse(&u, alpha, &mut c);
    close(&a, &c, 1e-12, "dispatch");

    let du = vals(n, 2, -1.0, 1.0);
    let dalpha = 0.7;
    let (mut y1, mut dy1, mut y2, mut dy2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    diffuse_jvp_cpu(&u, &du, alpha, dalpha, &mut y1, &mut dy1);
    diffuse_ref_jvp(&u, &du, alpha, dalpha, &mut y2, &mut dy2);
    close(&y1, &y2, 1e-15, "jvp value");
    close(&dy1, &dy2, 1e-14, "jvp tangent");

    let w = vals(n, 3, -1.0, 1.0);
    let (mut ub1, mut ub2) = (vec![0.5; n], vec![0.5; n]);
    let (mut yb1, mut yb2) = (w.clone(), w.clone());
    let ab1 = diffuse_vjp_cpu(&u, &mut ub1, alpha, &mut y1, &mut yb1);
    let ab2 = diffuse_ref_vjp(&u, &mut ub2, alpha, &mut y2, &mut yb2);
    close(&ub1, &ub2, 1e-14, "vjp input adjoint (+= onto 0.5)");
    close(&[ab1], &[ab2], 1e-13, "vjp scalar adjoint");
    close(&yb1, &yb2, 0.0, "vjp output adjoint (0: write-only)");
    close(&y1, &a, 1e-15, "vjp writes the primal");

    // <w, J v> = <Jᵀ w, v>
    let jv = dot(&w, &dy1);
    let mut ub = vec![0.0; n];
    let mut yb = w.clone();
    let ab = diffuse_vjp_cpu(&u, &mut ub, alpha, &mut vec![0.0; n], &mut yb);
    let jtw = dot(&ub, &du) + ab * dalpha;
    assert!((jv - jtw).abs() <= 1e-12 * (1.0 + jv.abs()), "dot product: {jv} vs {jtw}");

    // finite differences of L(u, alpha) = <w, out>
    let mut x = u.clone();
    x.push(alpha);
    let loss = |x: &[f64]| {
        let mut y = vec![0.0; n];
        diffuse_cpu(&x[..n], x[n], &mut y);
        dot(&w, &y)
    };
    let mut grad = ub.clone();
    grad.push(ab);
    check::check_gradient(loss, &grad, &x).unwrap();
}

// ---- heat2d ------------------------------------------------------------------

#[test]
fn heat2d_matches_differentiable_and_fd() {
    let (nx, ny) = (7, 5);
    let n = nx * ny;
    let u = vals(n, 4, 0.0, 1.0);
    let src = vals(n, 5, -0.5, 0.5);
    let dt = 0.1;
    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
    heat2d_cpu(&u, &src, nx, dt, &mut a);
    heat2d_ref(&u, &src, nx, dt, &mut b);
    close(&a, &b, 1e-15, "value");

    let (du, ds) = (vals(n, 6, -1.0, 1.0), vals(n, 7, -1.0, 1.0));
    let (mut y1, mut dy1, mut y2, mut dy2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    heat2d_jvp_cpu(&u, &du, &src, &ds, nx, dt, 0.2, &mut y1, &mut dy1);
    heat2d_ref_jvp(&u, &du, &src, &ds, nx, dt, 0.2, &mut y2, &mut dy2);
    close(&dy1, &dy2, 1e-14, "jvp tangent");

    let w = vals(n, 8, -1.0, 1.0);
    let (mut ub1, mut sb1, mut ub2, mut sb2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let dtb1 = heat2d_vjp_cpu(&u, &mut ub1, &src, &mut sb1, nx, dt, &mut y1, &mut w.clone());
    let dtb2 = heat2d_ref_vjp(&u, &mut ub2, &src, &mut sb2, nx, dt, &mut y2, &mut w.clone());
    close(&ub1, &ub2, 1e-14, "u adjoint");
    close(&sb1, &sb2, 1e-14, "src adjoint");
    close(&[dtb1], &[dtb2], 1e-13, "dt adjoint");

    let jv = dot(&w, &dy1);
    let jtw = dot(&ub1, &du) + dot(&sb1, &ds) + dtb1 * 0.2;
    assert!((jv - jtw).abs() <= 1e-12 * (1.0 + jv.abs()), "dot product: {jv} vs {jtw}");

    let mut x = u.clone();
    x.extend(&src);
    let loss = |x: &[f64]| {
        let mut y = vec![0.0; n];
        heat2d_cpu(&x[..n], &x[n..], nx, dt, &mut y);
        dot(&w, &y)
    };
    let mut grad = ub1.clone();
    grad.extend(&sb1);
    check::check_gradient(loss, &grad, &x).unwrap();
}

// ---- taps32 (f32, device callee, loop with a tape) -----------------------

#[test]
fn taps32_matches_differentiable_and_fd() {
    let n = 50;
    let x: Vec<f32> = vals(n, 9, -1.5, 1.5).iter().map(|v| *v as f32).collect();
    let w: Vec<f32> = vals(TAPS, 10, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let k = 0.8f32;
    let (mut a, mut b) = (vec![0.0f32; n], vec![0.0f32; n]);
    taps32_cpu(&x, &w, k, &mut a);
    taps32_ref(&x, &w, k, &mut b);
    let f = |v: &[f32]| v.iter().map(|x| *x as f64).collect::<Vec<f64>>();
    close(&f(&a), &f(&b), 1e-6, "value");

    let dx: Vec<f32> = vals(n, 11, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let dw: Vec<f32> = vals(TAPS, 12, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let (mut y1, mut dy1, mut y2, mut dy2) = (vec![0.0f32; n], vec![0.0f32; n], vec![0.0f32; n], vec![0.0f32; n]);
    taps32_jvp_cpu(&x, &dx, &w, &dw, k, 0.3, &mut y1, &mut dy1);
    taps32_ref_jvp(&x, &dx, &w, &dw, k, 0.3, &mut y2, &mut dy2);
    close(&f(&dy1), &f(&dy2), 1e-5, "jvp tangent");

    let yb: Vec<f32> = vals(n, 13, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let (mut xb1, mut wb1, mut xb2, mut wb2) = (vec![0.0f32; n], vec![0.0f32; TAPS], vec![0.0f32; n], vec![0.0f32; TAPS]);
    let kb1 = taps32_vjp_cpu(&x, &mut xb1, &w, &mut wb1, k, &mut y1, &mut yb.clone());
    let kb2 = taps32_ref_vjp(&x, &mut xb2, &w, &mut wb2, k, &mut y2, &mut yb.clone());
    close(&f(&xb1), &f(&xb2), 1e-5, "x adjoint");
    close(&f(&wb1), &f(&wb2), 1e-4, "w adjoint");
    close(&[kb1 as f64], &[kb2 as f64], 1e-4, "k adjoint");

    let jv: f64 = yb.iter().zip(&dy1).map(|(a, b)| (*a as f64) * (*b as f64)).sum();
    let jtw: f64 = xb1.iter().zip(&dx).map(|(a, b)| (*a as f64) * (*b as f64)).sum::<f64>() + wb1.iter().zip(&dw).map(|(a, b)| (*a as f64) * (*b as f64)).sum::<f64>() + kb1 as f64 * 0.3;
    assert!((jv - jtw).abs() <= 1e-4 * (1.0 + jv.abs()), "dot product: {jv} vs {jtw}");

    // finite differences in f32, with the tolerance leibniz::check scales by ε
    let mut p: Vec<f32> = x.clone();
    p.extend(&w);
    p.push(k);
    let loss = |p: &[f32]| {
        let mut y = vec![0.0f32; n];
        taps32_cpu(&p[..n], &p[n..n + TAPS], p[n + TAPS], &mut y);
        y.iter().zip(&yb).map(|(a, b)| a * b).sum::<f32>()
    };
    let mut grad = xb1.clone();
    grad.extend(&wb1);
    grad.push(kb1);
    check::check_gradient(loss, &grad, &p).unwrap();
}

// ---- misfit (two outputs, a sum, #[no_grad]) -------------------------------

#[test]
fn misfit_matches_differentiable_and_fd() {
    let n = 300;
    let u = vals(n, 14, -1.0, 1.0);
    let obs = vals(n, 15, -1.0, 1.0);
    let wgt = 1.7;
    let (mut r1, mut r2) = (vec![0.0; n], vec![0.0; n]);
    let (mut t1, mut t2) = (0.25, 0.25);
    misfit_cpu(&u, &obs, wgt, &mut r1, &mut t1);
    misfit_ref(&u, &obs, wgt, &mut r2, &mut t2);
    close(&r1, &r2, 1e-15, "residual");
    close(&[t1], &[t2], 1e-12, "total (added to 0.25)");

    let (du, dobs) = (vals(n, 16, -1.0, 1.0), vals(n, 17, -1.0, 1.0));
    let (mut dr1, mut dr2) = (vec![0.0; n], vec![0.0; n]);
    let (mut dt1, mut dt2) = (0.0, 0.0);
    let (mut t1, mut t2) = (0.0, 0.0);
    misfit_jvp_cpu(&u, &du, &obs, &dobs, wgt, &mut r1, &mut dr1, &mut t1, &mut dt1);
    misfit_ref_jvp(&u, &du, &obs, &dobs, wgt, &mut r2, &mut dr2, &mut t2, &mut dt2);
    close(&dr1, &dr2, 1e-15, "residual tangent");
    close(&[dt1], &[dt2], 1e-12, "total tangent");

    let rb = vals(n, 18, -1.0, 1.0);
    let (mut ub1, mut ob1, mut ub2, mut ob2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let (mut rb1, mut rb2) = (rb.clone(), rb.clone());
    let (mut tb1, mut tb2) = (2.0, 2.0);
    let (mut t1, mut t2) = (0.0, 0.0);
    misfit_vjp_cpu(&u, &mut ub1, &obs, &mut ob1, wgt, &mut r1, &mut rb1, &mut t1, &mut tb1);
    misfit_ref_vjp(&u, &mut ub2, &obs, &mut ob2, wgt, &mut r2, &mut rb2, &mut t2, &mut tb2);
    close(&ub1, &ub2, 1e-14, "u adjoint");
    close(&ob1, &ob2, 1e-14, "obs adjoint");
    close(&rb1, &rb2, 0.0, "residual adjoint after");
    close(&[tb1], &[tb2], 0.0, "total adjoint after");
    close(&[t1], &[t2], 1e-12, "vjp computes the sum");

    let mut x = u.clone();
    x.extend(&obs);
    let loss = |x: &[f64]| {
        let mut r = vec![0.0; n];
        let mut t = 0.0;
        misfit_cpu(&x[..n], &x[n..], wgt, &mut r, &mut t);
        dot(&rb, &r) + 2.0 * t
    };
    let mut grad = ub1.clone();
    grad.extend(&ob1);
    check::check_gradient(loss, &grad, &x).unwrap();
}

// ---- gather (integer indices, scatter of adjoints) ------------------------

#[test]
fn gather_matches_differentiable_and_fd() {
    let n = 64;
    let x = vals(n, 19, -2.0, 2.0);
    let idx: Vec<u32> = (0..n as u32).map(|i| (i * 7 + 3) % n as u32).collect();
    for flip in [false, true] {
        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
        gather_cpu(&x, &idx, 1.3, flip, &mut a);
        gather_ref(&x, &idx, 1.3, flip, &mut b);
        close(&a, &b, 1e-15, "value");
        let dx = vals(n, 20, -1.0, 1.0);
        let (mut y1, mut dy1, mut y2, mut dy2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        gather_jvp_cpu(&x, &dx, &idx, 1.3, -0.4, flip, &mut y1, &mut dy1);
        gather_ref_jvp(&x, &dx, &idx, 1.3, -0.4, flip, &mut y2, &mut dy2);
        close(&dy1, &dy2, 1e-14, "tangent");
        let w = vals(n, 21, -1.0, 1.0);
        let (mut xb1, mut xb2) = (vec![0.0; n], vec![0.0; n]);
        let wb1 = gather_vjp_cpu(&x, &mut xb1, &idx, 1.3, flip, &mut y1, &mut w.clone());
        let wb2 = gather_ref_vjp(&x, &mut xb2, &idx, 1.3, flip, &mut y2, &mut w.clone());
        close(&xb1, &xb2, 1e-14, "x adjoint");
        close(&[wb1], &[wb2], 1e-13, "w adjoint");
        let loss = |p: &[f64]| {
            let mut y = vec![0.0; n];
            gather_cpu(&p[..n], &idx, p[n], flip, &mut y);
            dot(&w, &y)
        };
        let mut p = x.clone();
        p.push(1.3);
        let mut grad = xb1.clone();
        grad.push(wb1);
        check::check_gradient(loss, &grad, &p).unwrap();
    }
}

// ---- springs (generic device callees across modules) -----------------------

#[test]
fn springs_matches_differentiable_and_fd() {
    let n = 40;
    let pos: Vec<f64> = (0..n).map(|i| i as f64 + 0.3 * (i as f64).sin()).collect();
    let k = vals(n, 22, 0.5, 2.0);
    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
    springs_cpu(&pos, &k, 1.0, &mut a);
    springs_ref(&pos, &k, 1.0, &mut b);
    close(&a, &b, 1e-15, "value");
    let w = vals(n, 23, 0.0, 1.0);
    let (mut pb1, mut kb1, mut pb2, mut kb2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let rb1 = springs_vjp_cpu(&pos, &mut pb1, &k, &mut kb1, 1.0, &mut a, &mut w.clone());
    let rb2 = springs_ref_vjp(&pos, &mut pb2, &k, &mut kb2, 1.0, &mut b, &mut w.clone());
    close(&pb1, &pb2, 1e-14, "pos adjoint");
    close(&kb1, &kb2, 1e-14, "k adjoint");
    close(&[rb1], &[rb2], 1e-13, "rest adjoint");
    let (dp, dk) = (vals(n, 24, -1.0, 1.0), vals(n, 25, -1.0, 1.0));
    let (mut y1, mut dy1, mut y2, mut dy2) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    springs_jvp_cpu(&pos, &dp, &k, &dk, 1.0, 0.5, &mut y1, &mut dy1);
    springs_ref_jvp(&pos, &dp, &k, &dk, 1.0, 0.5, &mut y2, &mut dy2);
    close(&dy1, &dy2, 1e-14, "tangent");
    let loss = |p: &[f64]| {
        let mut y = vec![0.0; n];
        springs_cpu(&p[..n], &p[n..2 * n], p[2 * n], &mut y);
        dot(&w, &y)
    };
    let mut p = pos.clone();
    p.extend(&k);
    p.push(1.0);
    let mut grad = pb1.clone();
    grad.extend(&kb1);
    grad.push(rb1);
    check::check_gradient(loss, &grad, &p).unwrap();
}

// ---- relax (an output read and updated, while, powi) -----------------------

#[test]
fn relax_matches_differentiable_and_fd() {
    let n = 30;
    let x = vals(n, 26, -1.0, 1.0);
    let y0 = vals(n, 27, -1.0, 1.0);
    let (mut a, mut b) = (y0.clone(), y0.clone());
    relax_cpu(&x, 0.2, &mut a);
    relax_ref(&x, 0.2, &mut b);
    close(&a, &b, 1e-15, "value");
    let (dx, dy0) = (vals(n, 28, -1.0, 1.0), vals(n, 29, -1.0, 1.0));
    let (mut y1, mut y2) = (y0.clone(), y0.clone());
    let (mut dy1, mut dy2) = (dy0.clone(), dy0.clone());
    relax_jvp_cpu(&x, &dx, 0.2, 0.1, &mut y1, &mut dy1);
    relax_ref_jvp(&x, &dx, 0.2, 0.1, &mut y2, &mut dy2);
    close(&dy1, &dy2, 1e-14, "tangent (in: of the old value)");
    let w = vals(n, 30, -1.0, 1.0);
    let (mut xb1, mut xb2) = (vec![0.0; n], vec![0.0; n]);
    let (mut yy1, mut yy2) = (y0.clone(), y0.clone());
    let (mut yb1, mut yb2) = (w.clone(), w.clone());
    let rb1 = relax_vjp_cpu(&x, &mut xb1, 0.2, &mut yy1, &mut yb1);
    let rb2 = relax_ref_vjp(&x, &mut xb2, 0.2, &mut yy2, &mut yb2);
    close(&xb1, &xb2, 1e-14, "x adjoint");
    close(&yb1, &yb2, 1e-14, "adjoint of the old y");
    close(&[rb1], &[rb2], 1e-13, "rate adjoint");
    let loss = |p: &[f64]| {
        let mut y = p[n..2 * n].to_vec();
        relax_cpu(&p[..n], p[2 * n], &mut y);
        dot(&w, &y)
    };
    let mut p = x.clone();
    p.extend(&y0);
    p.push(0.2);
    let mut grad = xb1.clone();
    grad.extend(&yb1);
    grad.push(rb1);
    check::check_gradient(loss, &grad, &p).unwrap();
}

// ---- the emitted CUDA text ---------------------------------------------------

#[test]
fn cuda_text_is_inspectable() {
    assert!(DIFFUSE_CUDA.contains("extern \"C\" __global__ void diffuse_primal("));
    assert!(DIFFUSE_CUDA.contains("diffuse_tangent("));
    assert!(DIFFUSE_CUDA.contains("diffuse_adjoint("));
    // the stencil reads neighbours: its input adjoint is scattered atomically
    assert!(DIFFUSE_CUDA.contains("atomicAdd(&b_u["), "{DIFFUSE_CUDA}");
    // a per-element input adjoint (`u[i]` only) needs no atomics
    assert!(!MISFIT_CUDA.contains("atomicAdd(&b_u["), "{MISFIT_CUDA}");
    // a sum and a scalar adjoint are warp-reduced
    assert!(MISFIT_CUDA.contains("lz_reduce_add(a_total"));
    assert!(DIFFUSE_CUDA.contains("lz_reduce_add(b_alpha"));
    // callees are placeholders in the kernel's own text, device functions in the module
    assert!(TAPS32_CUDA.contains("@0@<float>("));
    let m = taps32_cuda_source();
    assert!(m.contains("__kernel_defs__soft<float>("), "{m}");
    assert!(m.contains("__device__ inline float lz_") || m.contains("template <typename LZF> __device__"));
    // `a::sq` and the callers of `sq` are emitted once
    let s = springs_cuda_source();
    assert_eq!(s.matches("__phys__sq(LZF a_x)").count(), 1, "{s}");
}
