//! Realistic programs in the style of the ADBench objectives, written the
//! way a Rust user would write them (DESIGN §3 v2: "real code ... must
//! differentiate unchanged"): a Gaussian mixture objective with
//! log-sum-exp over iterator chains and sub-slices, bundle-adjustment
//! reprojection with a Rodrigues rotation into `&mut [f64]` outputs, an
//! LSTM step with `split_at_mut`, a recursive radix-2 FFT over `&mut [f64]`
//! with `split_at_mut` and `chunks`, the 2-D brusselator right-hand side,
//! and an RK4 integrator calling a differentiable right-hand side by name.
//!
//! Every objective is checked against central finite differences, forward
//! against reverse mode, and the dot-product test.

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

// ----- GMM ---------------------------------------------------------------------------

/// `log(sum(exp(x)))`, stabilised by the maximum.
#[differentiable]
fn log_sum_exp(x: &[f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    m + x.iter().map(|&v| (v - m).exp()).sum::<f64>().ln()
}

/// `||Q (x - mu)||²` with `Q` lower triangular: diagonal `exp(icf[..d])`,
/// below the diagonal `icf[d..]` column by column.
#[differentiable]
fn q_times_diff_sq(icf: &[f64], x: &[f64], mu: &[f64]) -> f64 {
    let d = x.len();
    let mut y = vec![0.0; d];
    for i in 0..d {
        y[i] = icf[i].exp() * (x[i] - mu[i]);
    }
    let mut k = d;
    for j in 0..d {
        for i in j + 1..d {
            y[i] += icf[k] * (x[j] - mu[j]);
            k += 1;
        }
    }
    y.iter().map(|v| v * v).sum()
}

/// The GMM negative log-likelihood with a Wishart prior, in the ADBench
/// parametrisation: `alphas` (k), `means` (k·d), `icf` (k·d(d+1)/2).
#[differentiable]
fn gmm_objective(alphas: &[f64], means: &[f64], icf: &[f64], x: &[f64], d: usize, #[no_grad] gamma: f64, m: i32) -> f64 {
    let k = alphas.len();
    let n = x.len() / d;
    let icf_sz = d * (d + 1) / 2;
    let mut main_term = vec![0.0; k];
    let mut total = 0.0;
    for i in 0..n {
        let xi = &x[i * d..(i + 1) * d];
        for c in 0..k {
            let q = &icf[c * icf_sz..(c + 1) * icf_sz];
            let sum_qs: f64 = q[..d].iter().sum();
            main_term[c] = alphas[c] + sum_qs - 0.5 * q_times_diff_sq(q, xi, &means[c * d..][..d]);
        }
        total += log_sum_exp(&main_term);
    }
    total -= n as f64 * log_sum_exp(alphas);
    // Wishart prior (constant terms left out)
    let mut prior = 0.0;
    for c in 0..k {
        let q = &icf[c * icf_sz..(c + 1) * icf_sz];
        let frob: f64 = q[..d].iter().map(|v| (2.0 * v).exp()).sum::<f64>() + q[d..].iter().map(|v| v * v).sum::<f64>();
        let sum_qs: f64 = q[..d].iter().sum();
        prior += 0.5 * gamma * gamma * frob - m as f64 * sum_qs;
    }
    total + prior
}

// ----- bundle adjustment -----------------------------------------------------------

/// Rotates `x` by the axis-angle vector `r` (Rodrigues), into `out`.
#[differentiable]
fn rodrigues_rotate(r: &[f64], x: &[f64], out: &mut [f64]) {
    let theta2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
    if theta2 > 1e-12 {
        let theta = theta2.sqrt();
        let (s, c) = theta.sin_cos();
        let w = [r[0] / theta, r[1] / theta, r[2] / theta];
        let w_cross_x = [w[1] * x[2] - w[2] * x[1], w[2] * x[0] - w[0] * x[2], w[0] * x[1] - w[1] * x[0]];
        let w_dot_x = w[0] * x[0] + w[1] * x[1] + w[2] * x[2];
        for i in 0..3 {
            out[i] = x[i] * c + w_cross_x[i] * s + w[i] * w_dot_x * (1.0 - c);
        }
    } else {
        out[0] = x[0] + r[1] * x[2] - r[2] * x[1];
        out[1] = x[1] + r[2] * x[0] - r[0] * x[2];
        out[2] = x[2] + r[0] * x[1] - r[1] * x[0];
    }
}

/// Radial distortion `1 + k1 r² + k2 r⁴` applied to `proj` in place.
#[differentiable]
fn radial_distort(k: &[f64], proj: &mut [f64]) {
    let r2 = proj[0] * proj[0] + proj[1] * proj[1];
    let l = 1.0 + k[0] * r2 + k[1] * r2 * r2;
    proj[0] *= l;
    proj[1] *= l;
}

/// One reprojection residual, as written naturally: the local array is
/// passed as `&shifted` (repros #10). `cam`: rotation (3), centre (3), focal (1),
/// principal point (2), distortion (2); `point` (3); `w` the weight;
/// `feat` the observed feature (constant); `err` (2) the output.
#[differentiable]
fn reproj_error_natural(cam: &[f64], point: &[f64], w: f64, #[no_grad] feat: &[f64], err: &mut [f64]) {
    let (rot, rest) = cam.split_at(3);
    let centre = &rest[..3];
    let mut xcam = [0.0; 3];
    let mut shifted = [0.0; 3];
    for i in 0..3 {
        shifted[i] = point[i] - centre[i];
    }
    rodrigues_rotate(rot, &shifted, &mut xcam);
    let mut proj = [xcam[0] / xcam[2], xcam[1] / xcam[2]];
    radial_distort(&cam[9..11], &mut proj);
    let f = cam[6];
    let pp = &cam[7..9];
    for i in 0..2 {
        err[i] = w * (f * proj[i] + pp[i] - feat[i]);
    }
}

/// One reprojection residual. `cam`: rotation (3), centre (3), focal (1),
/// principal point (2), distortion (2); `point` (3); `w` the weight;
/// `feat` the observed feature (constant); `err` (2) the output.
#[differentiable]
fn reproj_error(cam: &[f64], point: &[f64], w: f64, #[no_grad] feat: &[f64], err: &mut [f64]) {
    let (rot, rest) = cam.split_at(3);
    let centre = &rest[..3];
    let mut xcam = [0.0; 3];
    let mut shifted = [0.0; 3];
    for i in 0..3 {
        shifted[i] = point[i] - centre[i];
    }
    rodrigues_rotate(rot, &shifted[..], &mut xcam); // `[..]`: repros #10
    let mut proj = [xcam[0] / xcam[2], xcam[1] / xcam[2]];
    radial_distort(&cam[9..11], &mut proj);
    let f = cam[6];
    let pp = &cam[7..9];
    for i in 0..2 {
        err[i] = w * (f * proj[i] + pp[i] - feat[i]);
    }
}

/// The sum of squares of all residuals over several observations.
#[differentiable]
fn ba_objective(cams: &[f64], points: &[f64], weights: &[f64], #[no_grad] feats: &[f64], obs: &[(usize, usize)]) -> f64 {
    let mut total = 0.0;
    let mut err = [0.0; 2];
    for (j, &(c, p)) in obs.iter().enumerate() {
        reproj_error(&cams[c * 11..(c + 1) * 11], &points[p * 3..p * 3 + 3], weights[j], &feats[2 * j..2 * j + 2], &mut err);
        total += err[0] * err[0] + err[1] * err[1];
        let wr = 1.0 - weights[j] * weights[j];
        total += wr * wr;
    }
    total
}

// ----- LSTM --------------------------------------------------------------------------

#[differentiable]
fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// One step of a diagonal LSTM (ADBench's model): `w` and `b` hold the four
/// gates' weights and biases one after the other (`4 h` each), `hidden` and
/// `cell` (h) are updated in place.
#[differentiable]
fn lstm_step(w: &[f64], b: &[f64], input: &[f64], hidden: &mut [f64], cell: &mut [f64]) {
    let h = hidden.len();
    let mut gates = vec![0.0; 4 * h];
    for i in 0..4 * h {
        gates[i] = w[i] * input[i % h] + w[i] * hidden[i % h] * 0.5 + b[i];
    }
    let (forget, rest) = gates.split_at_mut(h);
    let (ingate, rest) = rest.split_at_mut(h);
    let (outgate, change) = rest.split_at_mut(h);
    for i in 0..h {
        forget[i] = sigmoid(forget[i]);
        ingate[i] = sigmoid(ingate[i]);
        outgate[i] = sigmoid(outgate[i]);
        change[i] = change[i].tanh();
        cell[i] = cell[i] * forget[i] + ingate[i] * change[i];
        hidden[i] = outgate[i] * cell[i].tanh();
    }
}

/// Runs the LSTM over a sequence and returns the squared prediction error
/// of the next input.
#[differentiable]
fn lstm_objective(w: &[f64], b: &[f64], seq: &[f64], h: usize) -> f64 {
    let mut hidden = vec![0.0; h];
    let mut cell = vec![0.0; h];
    let steps = seq.len() / h;
    let mut loss = 0.0;
    for t in 0..steps - 1 {
        lstm_step(w, b, &seq[t * h..(t + 1) * h], &mut hidden, &mut cell);
        let target = &seq[(t + 1) * h..(t + 2) * h];
        for (hv, tv) in hidden.iter().zip(target) {
            loss += (hv - tv) * (hv - tv);
        }
    }
    loss
}

// ----- recursive FFT -------------------------------------------------------------------

/// In-place radix-2 decimation-in-time FFT of `x` (interleaved re, im;
/// the number of complex values a power of two).
#[differentiable]
fn fft(x: &mut [f64]) {
    let n = x.len() / 2;
    if n <= 1 {
        return;
    }
    let mut buf = vec![0.0; 2 * n];
    {
        let (even, odd) = buf.split_at_mut(n);
        for (k, c) in x.chunks(4).enumerate() {
            even[2 * k] = c[0];
            even[2 * k + 1] = c[1];
            odd[2 * k] = c[2];
            odd[2 * k + 1] = c[3];
        }
        fft(even);
        fft(odd);
    }
    let (even, odd) = buf.split_at(n);
    for k in 0..n / 2 {
        let ang = -2.0 * std::f64::consts::PI * k as f64 / n as f64;
        let (s, c) = ang.sin_cos();
        let tr = c * odd[2 * k] - s * odd[2 * k + 1];
        let ti = s * odd[2 * k] + c * odd[2 * k + 1];
        x[2 * k] = even[2 * k] + tr;
        x[2 * k + 1] = even[2 * k + 1] + ti;
        x[2 * (k + n / 2)] = even[2 * k] - tr;
        x[2 * (k + n / 2) + 1] = even[2 * k + 1] - ti;
    }
}

/// A spectral loss: weighted power spectrum of the signal.
#[differentiable]
fn spectral_loss(signal: &[f64]) -> f64 {
    let mut z = vec![0.0; 2 * signal.len()];
    for i in 0..signal.len() {
        z[2 * i] = signal[i];
    }
    fft(&mut z);
    let mut loss = 0.0;
    for (k, c) in z.chunks(2).enumerate() {
        loss += (k as f64 + 1.0) * (c[0] * c[0] + c[1] * c[1]);
    }
    loss
}

// ----- brusselator -------------------------------------------------------------------

/// The right-hand side of the 2-D brusselator on an `n × n` periodic grid:
/// `u' = 1 + u²v - 4.4u + α Δu + f`, `v' = 3.4u - u²v + α Δv`, with the
/// forcing `f` switched on in a disc after `t = 1.1`.
#[differentiable]
fn brusselator_rhs(u: &[f64], v: &[f64], alpha: f64, t: f64, du: &mut [f64], dv: &mut [f64]) {
    let n = (u.len() as f64).sqrt() as usize;
    let dx = 1.0 / (n as f64 - 1.0);
    let a = alpha / (dx * dx);
    for i in 0..n {
        for j in 0..n {
            let ip = (i + 1) % n;
            let im = (i + n - 1) % n;
            let jp = (j + 1) % n;
            let jm = (j + n - 1) % n;
            let k = i * n + j;
            let x = i as f64 * dx;
            let y = j as f64 * dx;
            let forcing = if t >= 1.1 && (x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6) <= 0.01 { 5.0 } else { 0.0 };
            let uv = u[k] * u[k] * v[k];
            let lap_u = u[im * n + j] + u[ip * n + j] + u[i * n + jp] + u[i * n + jm] - 4.0 * u[k];
            let lap_v = v[im * n + j] + v[ip * n + j] + v[i * n + jp] + v[i * n + jm] - 4.0 * v[k];
            du[k] = 1.0 + uv - 4.4 * u[k] + a * lap_u + forcing;
            dv[k] = 3.4 * u[k] - uv + a * lap_v;
        }
    }
}

// ----- RK4 ---------------------------------------------------------------------------

/// A damped pendulum with a parameter vector `p = (g/l, damping)`.
#[differentiable]
fn pendulum(y: &[f64], p: &[f64], dy: &mut [f64]) {
    dy[0] = y[1];
    dy[1] = -p[0] * y[0].sin() - p[1] * y[1];
}

/// `steps` RK4 steps of the pendulum from `y`, in place, passing the `&mut`
/// state bare to a callee that takes `&[f64]` (repros #9, fixed).
#[differentiable]
fn rk4_natural(y: &mut [f64], p: &[f64], h: f64, steps: usize) {
    let n = y.len();
    let mut k1 = vec![0.0; n];
    let mut k2 = vec![0.0; n];
    let mut k3 = vec![0.0; n];
    let mut k4 = vec![0.0; n];
    let mut tmp = vec![0.0; n];
    for _ in 0..steps {
        pendulum(y, p, &mut k1);
        for i in 0..n {
            tmp[i] = y[i] + 0.5 * h * k1[i];
        }
        pendulum(&tmp, p, &mut k2);
        for i in 0..n {
            tmp[i] = y[i] + 0.5 * h * k2[i];
        }
        pendulum(&tmp, p, &mut k3);
        for i in 0..n {
            tmp[i] = y[i] + h * k3[i];
        }
        pendulum(&tmp, p, &mut k4);
        for i in 0..n {
            y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }
}

/// `steps` RK4 steps of the pendulum from `y`, in place.
#[differentiable]
fn rk4(y: &mut [f64], p: &[f64], h: f64, steps: usize) {
    let n = y.len();
    let mut k1 = vec![0.0; n];
    let mut k2 = vec![0.0; n];
    let mut k3 = vec![0.0; n];
    let mut k4 = vec![0.0; n];
    let mut tmp = vec![0.0; n];
    for _ in 0..steps {
        pendulum(&*y, p, &mut k1); // `&*y`: repros #9
        for i in 0..n {
            tmp[i] = y[i] + 0.5 * h * k1[i];
        }
        pendulum(&tmp, p, &mut k2);
        for i in 0..n {
            tmp[i] = y[i] + 0.5 * h * k2[i];
        }
        pendulum(&tmp, p, &mut k3);
        for i in 0..n {
            tmp[i] = y[i] + h * k3[i];
        }
        pendulum(&tmp, p, &mut k4);
        for i in 0..n {
            y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }
}

#[differentiable]
fn pendulum_loss_natural(y0: &[f64], p: &[f64], #[no_grad] target: &[f64]) -> f64 {
    let mut y = y0.to_vec();
    rk4_natural(&mut y, p, 0.05, 20);
    (y[0] - target[0]).powi(2) + (y[1] - target[1]).powi(2)
}

#[test]
fn rk4_with_a_bare_mut_state() {
    let target = [0.3, -0.1];
    for pt in points::<f64>(4, 4, -0.8, 0.8, 8080) {
        let (y0, p) = (&pt[..2], [1.0 + pt[2].abs(), 0.1 + 0.1 * pt[3].abs()]);
        let (v, (gy, gp)) = pendulum_loss_natural_grad(y0, &p, &target);
        let (v2, (gy2, gp2)) = pendulum_loss_grad(y0, &p, &target);
        assert_close(v, v2, "value");
        assert_close_slice(&gy, &gy2, "d/dy0");
        assert_close_slice(&gp, &gp2, "d/dp");
        leibniz::check::assert_gradient(|q: &[f64]| pendulum_loss_natural(&q[..2], &q[2..], &target), &cat(&[&gy, &gp]), &cat(&[y0, &p]));
        let (_, d) = pendulum_loss_natural_jvp(y0, &[1.0, 0.0], &p, &[0.0, 0.0], &target);
        assert_close(d, gy[0], "jvp vs grad");
        let (_, _, hv) = pendulum_loss_natural_hvp(y0, &[1.0, 0.0], &p, &[0.0, 0.0], &target);
        let (_, _, hv2) = pendulum_loss_hvp(y0, &[1.0, 0.0], &p, &[0.0, 0.0], &target);
        assert_close_slice(&hv.0, &hv2.0, "hvp");
    }
}

/// Fits the pendulum: squared distance of the end state to a target.
#[differentiable]
fn pendulum_loss(y0: &[f64], p: &[f64], #[no_grad] target: &[f64]) -> f64 {
    let mut y = y0.to_vec();
    rk4(&mut y, p, 0.05, 20);
    (y[0] - target[0]).powi(2) + (y[1] - target[1]).powi(2)
}

// ----- tests -------------------------------------------------------------------------

#[test]
fn gmm() {
    for n in [1, 3, 6] {
        let pts = points::<f64>(n, 4, -2.0, 2.0, 1000 + n as u64);
        check_slice_fn!(pts, log_sum_exp, log_sum_exp_grad, log_sum_exp_jvp, log_sum_exp_vjp);
    }
    // q_times_diff_sq: icf (d(d+1)/2 = 6), x (3), mu (3)
    let pts = points::<f64>(12, 4, -1.0, 1.0, 1010);
    check_all("q_times_diff_sq", &pts, |p| q_times_diff_sq(&p[..6], &p[6..9], &p[9..]), |p| {
        let (v, (a, b, c)) = q_times_diff_sq_grad(&p[..6], &p[6..9], &p[9..]);
        (v, cat(&[&a, &b, &c]))
    }, |p, d| q_times_diff_sq_jvp(&p[..6], &d[..6], &p[6..9], &d[6..9], &p[9..], &d[9..]), |p, w| {
        let (mut a, mut b, mut c) = (vec![0.0; 6], vec![0.0; 3], vec![0.0; 3]);
        let (v, ()) = q_times_diff_sq_vjp(&p[..6], &mut a, &p[6..9], &mut b, &p[9..], &mut c, w);
        (v, cat(&[&a, &b, &c]))
    });
    // full objective: d = 2, k = 3, n = 4: alphas 3, means 6, icf 9, x 8
    let (d, k, n) = (2usize, 3usize, 4usize);
    let (na, nm, ni, nx) = (k, k * d, k * d * (d + 1) / 2, n * d);
    let sp = [na, na + nm, na + nm + ni, na + nm + ni + nx];
    let pts = points::<f64>(sp[3], 4, -1.0, 1.0, 1011);
    let (gamma, m) = (1.3, 2);
    check_all("gmm_objective", &pts, |p| gmm_objective(&p[..sp[0]], &p[sp[0]..sp[1]], &p[sp[1]..sp[2]], &p[sp[2]..], d, gamma, m), |p| {
        let (v, (a, b, c, e)) = gmm_objective_grad(&p[..sp[0]], &p[sp[0]..sp[1]], &p[sp[1]..sp[2]], &p[sp[2]..], d, gamma, m);
        (v, cat(&[&a, &b, &c, &e]))
    }, |p, t| gmm_objective_jvp(&p[..sp[0]], &t[..sp[0]], &p[sp[0]..sp[1]], &t[sp[0]..sp[1]], &p[sp[1]..sp[2]], &t[sp[1]..sp[2]], &p[sp[2]..], &t[sp[2]..], d, gamma, m), |p, w| {
        let (mut a, mut b, mut c, mut e) = (vec![0.0; na], vec![0.0; nm], vec![0.0; ni], vec![0.0; nx]);
        let (v, ()) = gmm_objective_vjp(&p[..sp[0]], &mut a, &p[sp[0]..sp[1]], &mut b, &p[sp[1]..sp[2]], &mut c, &p[sp[2]..], &mut e, d, gamma, m, w);
        (v, cat(&[&a, &b, &c, &e]))
    });
    // tape reuse: record once, pull back several cotangents
    let p = &pts[0];
    let (v, tape) = gmm_objective_record(&p[..sp[0]], &p[sp[0]..sp[1]], &p[sp[1]..sp[2]], &p[sp[2]..], d, gamma, m);
    report_tape("gmm_objective", tape.bytes());
    let (_, (ga, gm, gi, gx)) = gmm_objective_grad(&p[..sp[0]], &p[sp[0]..sp[1]], &p[sp[1]..sp[2]], &p[sp[2]..], d, gamma, m);
    let g = cat(&[&ga, &gm, &gi, &gx]);
    assert_close(v, gmm_objective(&p[..sp[0]], &p[sp[0]..sp[1]], &p[sp[1]..sp[2]], &p[sp[2]..], d, gamma, m), "record value");
    for w in [1.0, -2.0] {
        let (mut a, mut b, mut c, mut e) = (vec![0.0; na], vec![0.0; nm], vec![0.0; ni], vec![0.0; nx]);
        let () = gmm_objective_pullback(&tape, &mut a, &mut b, &mut c, &mut e, w);
        let want: Vec<f64> = g.iter().map(|x| x * w).collect();
        assert_close_slice(&cat(&[&a, &b, &c, &e]), &want, "gmm pullback");
    }
}

/// A camera (11) whose rotation is scaled by `rot_scale` (0 exercises the
/// small-angle branch) and a point in front of it.
fn ba_point(seed: u64, rot_scale: f64, count: usize) -> Vec<Vec<f64>> {
    let mut ranges = vec![(-0.5 * rot_scale, 0.5 * rot_scale); 3];
    ranges.extend([(-0.3, 0.3), (-0.3, 0.3), (-0.3, 0.3)]); // centre
    ranges.push((0.8, 1.5)); // focal
    ranges.extend([(-0.1, 0.1), (-0.1, 0.1)]); // principal point
    ranges.extend([(-0.05, 0.05), (-0.05, 0.05)]); // distortion
    ranges.extend([(-1.0, 1.0), (-1.0, 1.0), (3.0, 5.0)]); // point
    ranges.push((0.5, 1.0)); // weight
    points_in(&ranges, count, seed)
}

#[test]
fn bundle_adjustment() {
    let feat = [0.1, -0.2];
    // one residual: cam 11, point 3, w 1, err0 2 -> err 2
    for (seed, rs) in [(1020, 1.0), (1021, 0.0)] {
        let pts: Vec<Vec<f64>> = ba_point(seed, rs, 4).into_iter().map(|mut p| {
            p.extend([0.3, -0.4]);
            p
        }).collect();
        check_vector("reproj_error", &pts, 2, |p| {
            let mut err = p[15..].to_vec();
            reproj_error(&p[..11], &p[11..14], p[14], &feat, &mut err);
            err
        }, |p, d| {
            let mut err = p[15..].to_vec();
            let mut derr = d[15..].to_vec();
            reproj_error_jvp(&p[..11], &d[..11], &p[11..14], &d[11..14], p[14], d[14], &feat, &mut err, &mut derr);
            (err, derr)
        }, |p, w| {
            let mut err = p[15..].to_vec();
            let (mut gc, mut gp) = (vec![0.0; 11], vec![0.0; 3]);
            let mut gerr = w.to_vec();
            let gw = reproj_error_vjp(&p[..11], &mut gc, &p[11..14], &mut gp, p[14], &feat, &mut err, &mut gerr);
            (err, cat(&[&gc, &gp, &[gw], &gerr]))
        });
        check_vector("reproj_error_natural", &pts, 2, |p| {
            let mut err = p[15..].to_vec();
            reproj_error_natural(&p[..11], &p[11..14], p[14], &feat, &mut err);
            err
        }, |p, d| {
            let mut err = p[15..].to_vec();
            let mut derr = d[15..].to_vec();
            reproj_error_natural_jvp(&p[..11], &d[..11], &p[11..14], &d[11..14], p[14], d[14], &feat, &mut err, &mut derr);
            (err, derr)
        }, |p, w| {
            let mut err = p[15..].to_vec();
            let (mut gc, mut gp) = (vec![0.0; 11], vec![0.0; 3]);
            let mut gerr = w.to_vec();
            let gw = reproj_error_natural_vjp(&p[..11], &mut gc, &p[11..14], &mut gp, p[14], &feat, &mut err, &mut gerr);
            (err, cat(&[&gc, &gp, &[gw], &gerr]))
        });
    }
    // the whole objective: 2 cameras, 3 points, 4 observations
    let obs = [(0usize, 0usize), (0, 1), (1, 1), (1, 2)];
    let feats = [0.1, -0.2, 0.0, 0.3, -0.1, 0.05, 0.2, 0.2];
    let pts: Vec<Vec<f64>> = (0..4)
        .map(|s| {
            let a = &ba_point(1030 + s, 1.0, 1)[0];
            let b = &ba_point(1040 + s, 1.0, 1)[0];
            let c = &ba_point(1050 + s, 1.0, 1)[0];
            // cams (22), points (9), weights (4)
            cat(&[&a[..11], &b[..11], &a[11..14], &b[11..14], &c[11..14], &[a[14], b[14], c[14], 0.7]])
        })
        .collect();
    check_all("ba_objective", &pts, |p| ba_objective(&p[..22], &p[22..31], &p[31..], &feats, &obs), |p| {
        let (v, (a, b, c)) = ba_objective_grad(&p[..22], &p[22..31], &p[31..], &feats, &obs);
        (v, cat(&[&a, &b, &c]))
    }, |p, d| ba_objective_jvp(&p[..22], &d[..22], &p[22..31], &d[22..31], &p[31..], &d[31..], &feats, &obs), |p, w| {
        let (mut a, mut b, mut c) = (vec![0.0; 22], vec![0.0; 9], vec![0.0; 4]);
        let (v, ()) = ba_objective_vjp(&p[..22], &mut a, &p[22..31], &mut b, &p[31..], &mut c, &feats, &obs, w);
        (v, cat(&[&a, &b, &c]))
    });
}

#[test]
fn lstm() {
    let h = 2;
    // one step: w 8, b 8, input 2, hidden0 2, cell0 2 -> hidden, cell
    let pts = points::<f64>(22, 4, -1.0, 1.0, 1060);
    check_vector("lstm_step", &pts, 4, |p| {
        let (mut hid, mut cell) = (p[18..20].to_vec(), p[20..22].to_vec());
        lstm_step(&p[..8], &p[8..16], &p[16..18], &mut hid, &mut cell);
        cat(&[&hid, &cell])
    }, |p, d| {
        let (mut hid, mut cell) = (p[18..20].to_vec(), p[20..22].to_vec());
        let (mut dh, mut dc) = (d[18..20].to_vec(), d[20..22].to_vec());
        lstm_step_jvp(&p[..8], &d[..8], &p[8..16], &d[8..16], &p[16..18], &d[16..18], &mut hid, &mut dh, &mut cell, &mut dc);
        (cat(&[&hid, &cell]), cat(&[&dh, &dc]))
    }, |p, w| {
        let (mut hid, mut cell) = (p[18..20].to_vec(), p[20..22].to_vec());
        let (mut gw, mut gb, mut gi) = (vec![0.0; 8], vec![0.0; 8], vec![0.0; 2]);
        let (mut gh, mut gc) = (w[..2].to_vec(), w[2..].to_vec());
        lstm_step_vjp(&p[..8], &mut gw, &p[8..16], &mut gb, &p[16..18], &mut gi, &mut hid, &mut gh, &mut cell, &mut gc);
        (cat(&[&hid, &cell]), cat(&[&gw, &gb, &gi, &gh, &gc]))
    });
    // a sequence of 4 steps: w 8, b 8, seq 8
    let pts = points::<f64>(24, 4, -1.0, 1.0, 1061);
    check_all("lstm_objective", &pts, |p| lstm_objective(&p[..8], &p[8..16], &p[16..], h), |p| {
        let (v, (a, b, c)) = lstm_objective_grad(&p[..8], &p[8..16], &p[16..], h);
        (v, cat(&[&a, &b, &c]))
    }, |p, d| lstm_objective_jvp(&p[..8], &d[..8], &p[8..16], &d[8..16], &p[16..], &d[16..], h), |p, w| {
        let (mut a, mut b, mut c) = (vec![0.0; 8], vec![0.0; 8], vec![0.0; 8]);
        let (v, ()) = lstm_objective_vjp(&p[..8], &mut a, &p[8..16], &mut b, &p[16..], &mut c, h, w);
        (v, cat(&[&a, &b, &c]))
    });
}

/// The DFT by its definition, to check the primal `fft`.
fn naive_dft(x: &[f64]) -> Vec<f64> {
    let n = x.len() / 2;
    let mut out = vec![0.0; 2 * n];
    for k in 0..n {
        for j in 0..n {
            let a = -2.0 * std::f64::consts::PI * (k * j) as f64 / n as f64;
            out[2 * k] += x[2 * j] * a.cos() - x[2 * j + 1] * a.sin();
            out[2 * k + 1] += x[2 * j] * a.sin() + x[2 * j + 1] * a.cos();
        }
    }
    out
}

#[test]
fn fft_recursive() {
    for n in [1usize, 2, 4, 8] {
        let pts = points::<f64>(2 * n, 3, -1.0, 1.0, 1070 + n as u64);
        let mut y = pts[0].clone();
        fft(&mut y);
        assert_close_slice(&y, &naive_dft(&pts[0]), "fft primal vs DFT");
        check_vector("fft", &pts, 2 * n, |p| {
            let mut x = p.to_vec();
            fft(&mut x);
            x
        }, |p, d| {
            let mut x = p.to_vec();
            let mut dx = d.to_vec();
            fft_jvp(&mut x, &mut dx);
            (x, dx)
        }, |p, w| {
            let mut x = p.to_vec();
            let mut g = w.to_vec();
            fft_vjp(&mut x, &mut g);
            (x, g)
        });
        let pts = points::<f64>(n, 3, -1.0, 1.0, 1080 + n as u64);
        check_slice_fn!(pts, spectral_loss, spectral_loss_grad, spectral_loss_jvp, spectral_loss_vjp);
    }
}

#[test]
fn brusselator() {
    let n = 4;
    let nn = n * n;
    for t in [0.5, 1.5] {
        let mut ranges = vec![(0.0, 2.0); 2 * nn];
        ranges.push((0.5, 2.0)); // alpha
        ranges.extend(vec![(-1.0, 1.0); 2 * nn]); // du0, dv0: overwritten
        let pts: Vec<Vec<f64>> = points_in(&ranges, 3, 1090).into_iter().collect();
        // inputs: u, v, alpha, du0, dv0 (t fixed: it only switches the forcing)
        check_vector("brusselator_rhs", &pts, 2 * nn, |p| {
            let (mut du, mut dv) = (p[2 * nn + 1..3 * nn + 1].to_vec(), p[3 * nn + 1..].to_vec());
            brusselator_rhs(&p[..nn], &p[nn..2 * nn], p[2 * nn], t, &mut du, &mut dv);
            cat(&[&du, &dv])
        }, |p, d| {
            let (mut du, mut dv) = (p[2 * nn + 1..3 * nn + 1].to_vec(), p[3 * nn + 1..].to_vec());
            let (mut ddu, mut ddv) = (d[2 * nn + 1..3 * nn + 1].to_vec(), d[3 * nn + 1..].to_vec());
            let dt = 0.0; // t only switches the forcing
            brusselator_rhs_jvp(&p[..nn], &d[..nn], &p[nn..2 * nn], &d[nn..2 * nn], p[2 * nn], d[2 * nn], t, dt, &mut du, &mut ddu, &mut dv, &mut ddv);
            (cat(&[&du, &dv]), cat(&[&ddu, &ddv]))
        }, |p, w| {
            let (mut du, mut dv) = (p[2 * nn + 1..3 * nn + 1].to_vec(), p[3 * nn + 1..].to_vec());
            let (mut gu, mut gv) = (vec![0.0; nn], vec![0.0; nn]);
            let (mut gdu, mut gdv) = (w[..nn].to_vec(), w[nn..].to_vec());
            let (ga, gt) = brusselator_rhs_vjp(&p[..nn], &mut gu, &p[nn..2 * nn], &mut gv, p[2 * nn], t, &mut du, &mut gdu, &mut dv, &mut gdv);
            assert_eq!(gt, 0.0, "t only switches the forcing");
            (cat(&[&du, &dv]), cat(&[&gu, &gv, &[ga], &gdu, &gdv]))
        });
    }
}

#[test]
fn rk4_pendulum() {
    // rk4 in place: y (2), p (2), h -> y
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (0.5, 2.0), (0.0, 0.5), (0.01, 0.1)], 3, 1100);
    check_vector("rk4", &pts, 2, |p| {
        let mut y = p[..2].to_vec();
        rk4(&mut y, &p[2..4], p[4], 5);
        y
    }, |p, d| {
        let mut y = p[..2].to_vec();
        let mut dy = d[..2].to_vec();
        rk4_jvp(&mut y, &mut dy, &p[2..4], &d[2..4], p[4], d[4], 5);
        (y, dy)
    }, |p, w| {
        let mut y = p[..2].to_vec();
        let mut gy = w.to_vec();
        let mut gp = vec![0.0; 2];
        let gh = rk4_vjp(&mut y, &mut gy, &p[2..4], &mut gp, p[4], 5);
        (y, cat(&[&gy, &gp, &[gh]]))
    });
    let target = [0.2, -0.1];
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (0.5, 2.0), (0.0, 0.5)], 4, 1101);
    check_all("pendulum_loss", &pts, |p| pendulum_loss(&p[..2], &p[2..], &target), |p| {
        let (v, (a, b)) = pendulum_loss_grad(&p[..2], &p[2..], &target);
        (v, cat(&[&a, &b]))
    }, |p, d| pendulum_loss_jvp(&p[..2], &d[..2], &p[2..], &d[2..], &target), |p, w| {
        let (mut a, mut b) = (vec![0.0; 2], vec![0.0; 2]);
        let (v, ()) = pendulum_loss_vjp(&p[..2], &mut a, &p[2..], &mut b, &target, w);
        (v, cat(&[&a, &b]))
    });
}

// BUG: see repros #11 (a differentiable function passed to `F: Fn(..)`)
#[cfg(any())]
mod generic_rhs {
    use super::*;

    #[differentiable]
    pub fn rk4_generic<F: Fn(&[f64], &[f64], &mut [f64])>(rhs: F, y: &mut [f64], p: &[f64], h: f64) {
        let n = y.len();
        let (mut k1, mut k2, mut k3, mut k4) = (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let mut tmp = vec![0.0; n];
        rhs(&*y, p, &mut k1);
        for i in 0..n {
            tmp[i] = y[i] + 0.5 * h * k1[i];
        }
        rhs(&tmp, p, &mut k2);
        for i in 0..n {
            tmp[i] = y[i] + 0.5 * h * k2[i];
        }
        rhs(&tmp, p, &mut k3);
        for i in 0..n {
            tmp[i] = y[i] + h * k3[i];
        }
        rhs(&tmp, p, &mut k4);
        for i in 0..n {
            y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
    }

    #[differentiable]
    pub fn pendulum_loss_generic(y0: &[f64], p: &[f64]) -> f64 {
        let mut y = y0.to_vec();
        for _ in 0..10 {
            rk4_generic(pendulum, &mut y, p, 0.05);
        }
        y[0] * y[0] + y[1] * y[1]
    }
}
