//! Fit the source term of a 2-D heat equation to an observed temperature
//! field, with gradients from the adjoint of a `#[kernel]`.
//!
//! The forward model runs `STEPS` explicit steps of `∂u/∂t = κ Δu + s`
//! from `u = 0` (kernel `heat_step`, one GPU thread per grid point); the
//! observed field is what a hidden source (two Gaussian blobs, one hot,
//! one cold) produces. The unknown source `s` is recovered by minimising
//! `½‖u_T(s) − u_obs‖² + ½λ‖s‖²` with gradient descent (Nesterov momentum).
//! Each gradient is one forward sweep that keeps every step's field and one
//! backward sweep through `heat_step_vjp`, step by step in reverse: the
//! adjoint of the whole simulation.
//!
//! Runs on the GPU with `--features cuda` where there is one, else on the
//! CPU twins (it says which). Exits nonzero if the gradient disagrees with
//! finite differences or the fit fails.
//!
//! ```sh
//! cargo run --release --example heat_fit
//! ```

#[path = "heat_fit/kernels.rs"]
mod kernels;

use kernels::*;

const NX: usize = 32;
const NY: usize = 32;
const STEPS: usize = 40;
const KAPPA_DT: f64 = 0.2; // stable for κ·dt ≤ 0.25
const DT: f64 = 0.05;
const LAMBDA: f64 = 1e-5;

fn simulate(src: &[f64], keep: bool) -> Vec<Vec<f64>> {
    let n = NX * NY;
    let mut fields = vec![vec![0.0; n]];
    let mut u = vec![0.0; n];
    let mut next = vec![0.0; n];
    for _ in 0..STEPS {
        heat_step(&u, src, NX, KAPPA_DT, DT, &mut next);
        std::mem::swap(&mut u, &mut next);
        if keep {
            fields.push(u.clone());
        }
    }
    if !keep {
        fields.push(u);
    }
    fields
}

fn loss(src: &[f64], obs: &[f64]) -> f64 {
    let fields = simulate(src, false);
    let mut l = 0.0;
    misfit(fields.last().unwrap(), obs, &mut l);
    l + 0.5 * LAMBDA * src.iter().map(|s| s * s).sum::<f64>()
}

/// Loss and gradient: forward sweep keeping every field, then the adjoint
/// of each step in reverse.
fn loss_and_grad(src: &[f64], obs: &[f64]) -> (f64, Vec<f64>) {
    let n = NX * NY;
    let fields = simulate(src, true);
    let u_t = fields.last().unwrap();
    let mut l = 0.0;
    let mut ubar = vec![0.0; n];
    // dL/du_T from the misfit kernel's adjoint (cotangent 1 for the sum)
    misfit_vjp(u_t, &mut ubar, obs, &mut l, &mut 1.0);
    l += 0.5 * LAMBDA * src.iter().map(|s| s * s).sum::<f64>();
    let mut sbar: Vec<f64> = src.iter().map(|s| LAMBDA * s).collect();
    let mut scratch = vec![0.0; n];
    for t in (0..STEPS).rev() {
        let mut ubar_prev = vec![0.0; n];
        heat_step_vjp(&fields[t], &mut ubar_prev, src, &mut sbar, NX, KAPPA_DT, DT, &mut scratch, &mut ubar);
        ubar = ubar_prev;
    }
    (l, sbar)
}

fn blob(x: f64, y: f64, cx: f64, cy: f64, r: f64) -> f64 {
    (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * r * r)).exp()
}

fn main() {
    let n = NX * NY;
    match leibniz::gpu::Backend::detect() {
        leibniz::gpu::Backend::Cuda(g) => println!("heat_fit: running the kernels on {}", g.name()),
        leibniz::gpu::Backend::Cpu { reason } => println!("heat_fit: running the CPU twins ({reason})"),
    }
    let truth: Vec<f64> = (0..n)
        .map(|i| {
            let (x, y) = ((i % NX) as f64, (i / NX) as f64);
            2.0 * blob(x, y, 10.0, 12.0, 3.0) - 1.5 * blob(x, y, 22.0, 20.0, 4.0)
        })
        .collect();
    let obs = simulate(&truth, false).pop().unwrap();

    // The adjoint gradient against central finite differences.
    let probe: Vec<f64> = (0..n).map(|i| 0.1 * ((i * 37 % 11) as f64 - 5.0)).collect();
    let (_, g) = loss_and_grad(&probe, &obs);
    let mut worst: f64 = 0.0;
    for &k in &[0usize, 5 * NX + 7, 12 * NX + 10, n - 1] {
        let h = 1e-5;
        let (mut p, mut m) = (probe.clone(), probe.clone());
        p[k] += h;
        m[k] -= h;
        let fd = (loss(&p, &obs) - loss(&m, &obs)) / (2.0 * h);
        let rel = (fd - g[k]).abs() / (1e-12 + fd.abs().max(g[k].abs()));
        println!("  dL/ds[{k:4}]: adjoint {:+.8e}  finite differences {:+.8e}  (rel. diff {rel:.1e})", g[k], fd);
        worst = worst.max(rel);
    }
    if worst > 1e-5 {
        eprintln!("heat_fit: FAIL: the adjoint disagrees with finite differences ({worst:.1e})");
        std::process::exit(1);
    }

    // Gradient descent with Nesterov momentum (the loss is quadratic in s).
    let mut s = vec![0.0; n];
    let mut v = vec![0.0; n];
    let (lr, mu) = (0.2, 0.9);
    let l0 = loss(&s, &obs);
    let mut l = l0;
    for it in 0..=300 {
        let look: Vec<f64> = s.iter().zip(&v).map(|(s, v)| s + mu * v).collect();
        let (lk, gk) = loss_and_grad(&look, &obs);
        for k in 0..n {
            v[k] = mu * v[k] - lr * gk[k];
            s[k] += v[k];
        }
        if it % 50 == 0 {
            println!("  iteration {it:3}: loss {lk:.6e}");
        }
        l = lk;
    }
    let fit = simulate(&s, false).pop().unwrap();
    let rel_field = (fit.iter().zip(&obs).map(|(a, b)| (a - b).powi(2)).sum::<f64>() / obs.iter().map(|b| b * b).sum::<f64>()).sqrt();
    let (argmax, argmin) = extremes(&s);
    println!("heat_fit: loss {l0:.4e} -> {l:.4e}; relative misfit of the field {rel_field:.2e}");
    println!("heat_fit: fitted source peaks at ({}, {}) (true 10, 12), dips at ({}, {}) (true 22, 20)", argmax % NX, argmax / NX, argmin % NX, argmin / NX);
    let near = |k: usize, x: usize, y: usize| ((k % NX) as i64 - x as i64).abs() <= 2 && ((k / NX) as i64 - y as i64).abs() <= 2;
    if l > 1e-3 * l0 || rel_field > 0.05 || !near(argmax, 10, 12) || !near(argmin, 22, 20) {
        eprintln!("heat_fit: FAIL: the fit did not converge");
        std::process::exit(1);
    }
    println!("heat_fit: PASS");
}

fn extremes(s: &[f64]) -> (usize, usize) {
    let mut hi = 0;
    let mut lo = 0;
    for k in 0..s.len() {
        if s[k] > s[hi] {
            hi = k;
        }
        if s[k] < s[lo] {
            lo = k;
        }
    }
    (hi, lo)
}
