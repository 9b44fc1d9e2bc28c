//! Recover spring stiffnesses from an observed trajectory.
//!
//! `cargo run --release --example spring_mass`
//!
//! A chain of masses hangs off a wall: spring 0 ties mass 0 to the wall,
//! spring i ties mass i to mass i - 1, the last mass is free. The springs
//! harden a little (tension `k s (1 + β s²)` for a stretch `s`). The chain
//! is released from rest, displaced, and integrated by semi-implicit Euler;
//! the positions of all masses were recorded at every step.
//!
//! `trajectory` is one `#[differentiable]` simulation, used both to make the
//! observations and to fit them. Each gradient-descent iteration records it
//! once (`trajectory_record`), forms the cotangent `dL/d(trajectory)` of the
//! misfit from the recorded positions, and pulls it back through the whole
//! simulation, including the calls to `physics::accelerations` and, from
//! there, `physics::tension` (`trajectory_pullback`). Exits nonzero if the
//! fit misses the truth.

use leibniz::check;
use leibniz::prelude::*;
use std::process::ExitCode;

/// Time step (s).
const DT: f64 = 0.01;

mod physics {
    use leibniz::prelude::*;

    /// Hardening of the springs (1/m²).
    const BETA: f64 = 0.5;

    /// Tension of a spring of stiffness `k` stretched by `stretch`.
    #[differentiable]
    pub fn tension(stretch: f64, k: f64) -> f64 {
        k * stretch * (1.0 + BETA * stretch * stretch)
    }

    /// Accelerations `a` of the masses at positions `x`. The result goes to
    /// an output slice: a called function returns arrays through `&mut [F]`,
    /// not as its result.
    #[differentiable]
    pub fn accelerations(x: &[f64], k: &[f64], #[no_grad] mass: &[f64], a: &mut [f64]) {
        for i in 0..x.len() {
            // Spring i pulls mass i back and mass i - 1 forward.
            let left = if i == 0 { 0.0 } else { x[i - 1] };
            let t = tension(x[i] - left, k[i]);
            a[i] = -t / mass[i];
            if i > 0 {
                a[i - 1] += t / mass[i - 1];
            }
        }
    }
}

/// Simulates `steps` steps from rest at `x0` (displacements from rest) and
/// returns the positions after every step: mass `i` after step `s` at
/// `s * n + i`. Only the stiffnesses `k` are differentiated; the masses and
/// the initial positions are known.
// `copy_from_slice` is outside the differentiable subset: copy by a loop.
#[allow(clippy::manual_memcpy)]
#[differentiable(wrt(k))]
fn trajectory(k: &[f64], mass: &[f64], x0: &[f64], steps: usize) -> Vec<f64> {
    let n = x0.len();
    let mut x = vec![0.0; n];
    let mut v = vec![0.0; n];
    let mut a = vec![0.0; n];
    for i in 0..n {
        x[i] = x0[i];
    }
    let mut out = vec![0.0; steps * n];
    for s in 0..steps {
        physics::accelerations(&x, k, mass, &mut a);
        for i in 0..n {
            v[i] += DT * a[i];
            x[i] += DT * v[i];
            out[s * n + i] = x[i];
        }
    }
    out
}

/// Mean squared distance between a simulated and the observed trajectory.
fn misfit(k: &[f64], mass: &[f64], x0: &[f64], observed: &[f64], steps: usize) -> f64 {
    let sim = trajectory(k, mass, x0, steps);
    sim.iter()
        .zip(observed)
        .map(|(s, o)| (s - o) * (s - o))
        .sum::<f64>()
        / steps as f64
}

/// The misfit and its gradient in `k`: one recorded simulation, one pullback
/// of the cotangent `dL/d(trajectory) = 2 (sim - observed) / steps`.
fn misfit_grad(
    k: &[f64],
    mass: &[f64],
    x0: &[f64],
    observed: &[f64],
    steps: usize,
) -> (f64, Vec<f64>) {
    let (sim, tape) = trajectory_record(k, mass, x0, steps);
    let residual: Vec<f64> = sim.iter().zip(observed).map(|(s, o)| s - o).collect();
    let loss = residual.iter().map(|r| r * r).sum::<f64>() / steps as f64;
    let dout: Vec<f64> = residual.iter().map(|r| 2.0 * r / steps as f64).collect();
    let mut grad = vec![0.0; k.len()];
    trajectory_pullback(&tape, &mut grad, dout);
    (loss, grad)
}

fn fmt(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| format!("{x:.6e}")).collect();
    format!("[{}]", items.join(", "))
}

fn main() -> ExitCode {
    let k_true = [14.0, 9.0, 5.0];
    let mass = [1.0, 0.8, 1.2];
    let x0 = [0.1, 0.25, 0.45];
    let steps = 400;
    let observed = trajectory(&k_true, &mass, &x0, steps);
    println!(
        "{} masses, {steps} steps of {DT} s, all positions observed",
        mass.len()
    );

    let mut k = vec![10.0, 12.0, 4.0];
    let loss_of = |k: &[f64]| misfit(k, &mass, &x0, &observed, steps);
    let (loss0, grad0) = misfit_grad(&k, &mass, &x0, &observed, steps);
    println!("start k = {}: loss = {loss0:.4e}", fmt(&k));
    println!("  gradient     = {}", fmt(&grad0));
    println!("  finite diffs = {}", fmt(&check::fd_gradient(loss_of, &k)));
    {
        // The tape borrows `k` (a read-only input): keep it in a scope.
        let (_, tape) = trajectory_record(&k, &mass, &x0, steps);
        println!("  the tape of one simulation holds {} bytes", tape.bytes());
    }
    if let Err(e) = check::check_gradient(loss_of, &grad0, &k) {
        println!("FAIL  gradient disagrees with finite differences\n{e}");
        return ExitCode::FAILURE;
    }

    // Gradient descent on log k (stiffnesses stay positive and their
    // relative changes are comparable) with a backtracking line search.
    let mut theta: Vec<f64> = k.iter().map(|v| v.ln()).collect();
    let mut step = 1.0;
    let mut loss = loss0;
    println!("\n iter         loss      k");
    for iter in 0..=2000 {
        let (l, grad) = misfit_grad(&k, &mass, &x0, &observed, steps);
        loss = l;
        // d loss / d log k = k * d loss / d k
        let g: Vec<f64> = grad.iter().zip(&k).map(|(g, k)| g * k).collect();
        let g2: f64 = g.iter().map(|v| v * v).sum();
        if iter % 100 == 0 {
            println!("{iter:5} {loss:12.4e}  {}", fmt(&k));
        }
        if loss < 1e-20 || g2.sqrt() < 1e-14 {
            println!("{iter:5} {loss:12.4e}  {}  (converged)", fmt(&k));
            break;
        }
        step *= 2.0;
        let mut moved = false;
        while step > 1e-12 {
            let trial: Vec<f64> = theta.iter().zip(&g).map(|(t, g)| t - step * g).collect();
            let k_trial: Vec<f64> = trial.iter().map(|t| t.exp()).collect();
            if loss_of(&k_trial) <= l - 0.5 * step * g2 {
                theta = trial;
                k = k_trial;
                moved = true;
                break;
            }
            step *= 0.5;
        }
        if !moved {
            println!("{iter:5} {loss:12.4e}  {}  (no further descent)", fmt(&k));
            break;
        }
    }

    println!("\nspring      fitted       truth    rel. error");
    let mut ok = true;
    for i in 0..k.len() {
        let err = (k[i] - k_true[i]).abs() / k_true[i];
        ok &= err < 1e-3;
        println!("k[{i}] {:13.6} {:11.6} {err:13.2e}", k[i], k_true[i]);
    }
    println!("final loss {loss:.3e}");
    if ok {
        println!("PASS  spring stiffnesses recovered from the trajectory");
        ExitCode::SUCCESS
    } else {
        println!("FAIL  spring stiffnesses not recovered");
        ExitCode::FAILURE
    }
}
