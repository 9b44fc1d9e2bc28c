//! Recover the stiffnesses of a mass-spring chain from its final state.
//!
//! `cargo run --release --example nbody`
//!
//! Particles are structs (`#[derive(leibniz::Differentiable)]`, an integer
//! id that stays constant); the simulation steps a `&mut [Particle]` with
//! iterator code (`iter_mut`, `zip`, `windows`-style index pairs, `map` /
//! `sum` for the energy). The loss runs 200 symplectic-Euler steps and
//! compares the final positions with an observed final state; its gradient
//! with respect to the spring stiffnesses (reverse mode through the whole
//! simulation) drives a gradient descent with a backtracking line search.
//! The time loop is `#[checkpoint]`ed: `loss_grad` keeps a few copies of
//! the particles instead of a tape of every step, and gives the gradient
//! of the fully taped `loss_record` / `loss_pullback` (checked below).
//! Exits nonzero if a derivative check or the fit fails.

use leibniz::check;
use leibniz::prelude::*;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, leibniz::Differentiable)]
pub struct Particle {
    pub x: f64,
    pub y: f64,
    pub vx: f64,
    pub vy: f64,
    /// Not a quantity: constant.
    pub id: usize,
}

/// Forces of the springs between neighbours (rest length 1), gravity, and
/// damping, on every particle; the first particle is pinned.
#[differentiable]
pub fn step(ps: &mut [Particle], k: &[f64], dt: f64) {
    let n = ps.len();
    let mut fx = vec![0.0; n];
    let mut fy = vec![0.0; n];
    for i in 0..n - 1 {
        let dx = ps[i + 1].x - ps[i].x;
        let dy = ps[i + 1].y - ps[i].y;
        let len = (dx * dx + dy * dy).sqrt();
        let f = k[i] * (len - 1.0) / len;
        fx[i] += f * dx;
        fy[i] += f * dy;
        fx[i + 1] -= f * dx;
        fy[i + 1] -= f * dy;
    }
    for (p, (gx, gy)) in ps.iter_mut().zip(fx.iter().zip(fy.iter())) {
        if p.id == 0 {
            continue;
        }
        p.vx += dt * (gx - 0.05 * p.vx);
        p.vy += dt * (gy - 9.81 - 0.05 * p.vy);
        p.x += dt * p.vx;
        p.y += dt * p.vy;
    }
}

/// Kinetic energy, with an iterator chain.
#[differentiable]
pub fn kinetic(ps: &[Particle]) -> f64 {
    ps.iter().map(|p| 0.5 * (p.vx * p.vx + p.vy * p.vy)).sum()
}

/// Squared distance of the simulated final positions to the observed ones,
/// plus a tiny penalty on the final kinetic energy (an iterator chain).
#[differentiable]
pub fn loss(k: &[f64], #[no_grad] start: &[Particle], #[no_grad] observed: &[f64]) -> f64 {
    let mut ps = start.to_vec();
    #[checkpoint]
    for _ in 0..200 {
        step(&mut ps, k, 0.01);
    }
    let mut e = 0.0;
    for (i, p) in ps.iter().enumerate() {
        let ex = p.x - observed[2 * i];
        let ey = p.y - observed[2 * i + 1];
        e += ex * ex + ey * ey;
    }
    e + 1e-9 * kinetic(&ps)
}

fn chain(n: usize) -> Vec<Particle> {
    (0..n).map(|i| Particle { x: i as f64, y: 0.0, vx: 0.0, vy: 0.0, id: i }).collect()
}

fn simulate(k: &[f64], start: &[Particle]) -> Vec<f64> {
    let mut ps = start.to_vec();
    for _ in 0..200 {
        step(&mut ps, k, 0.01);
    }
    ps.iter().flat_map(|p| [p.x, p.y]).collect()
}

fn main() -> ExitCode {
    let start = chain(5);
    let truth = [60.0, 45.0, 35.0, 25.0];
    let observed = simulate(&truth, &start);

    let mut k = vec![40.0; 4];
    let (_, g) = loss_grad(&k, &start, &observed);
    if let Err(e) = check::check_gradient(|k: &[f64]| loss(k, &start, &observed), &g, &k) {
        println!("FAIL gradient check: {e}");
        return ExitCode::FAILURE;
    }
    println!("gradient of the loss through 200 steps agrees with finite differences");
    // The same gradient from the full tape (`_record` does not checkpoint).
    let (_, tape) = loss_record(&k, &start, &observed);
    let mut gt = vec![0.0; k.len()];
    loss_pullback(&tape, &mut gt, 1.0);
    let diff = g.iter().zip(&gt).map(|(a, b)| (a - b).abs() / b.abs().max(1e-300)).fold(0.0, f64::max);
    if diff > 1e-12 {
        println!("FAIL checkpointed gradient differs from the full tape by a relative {diff:.1e}");
        return ExitCode::FAILURE;
    }
    let c = leibniz::checkpoint::cost(200, None, None);
    println!(
        "checkpointed: {} saved states instead of a {}-byte tape, {} steps re-run (full tape agrees to {diff:.0e})",
        c.snapshots,
        tape.bytes(),
        c.recomputed
    );

    let mut rate = 10.0;
    for it in 0..400 {
        let (e, g) = loss_grad(&k, &start, &observed);
        if it % 25 == 0 {
            println!("iteration {it:3}: loss {e:.3e}, k = [{:.2}, {:.2}, {:.2}, {:.2}]", k[0], k[1], k[2], k[3]);
        }
        if e < 1e-14 {
            break;
        }
        // Backtracking line search along the negative gradient.
        loop {
            let trial: Vec<f64> = k.iter().zip(&g).map(|(a, b)| a - rate * b).collect();
            if loss(&trial, &start, &observed) < e {
                k = trial;
                rate *= 1.5;
                break;
            }
            rate *= 0.5;
            if rate < 1e-12 {
                break;
            }
        }
    }
    let err = k.iter().zip(&truth).map(|(a, b)| (a - b).abs() / b).fold(0.0, f64::max);
    if err < 1e-3 {
        println!("PASS: stiffnesses recovered to a relative {err:.1e}");
        ExitCode::SUCCESS
    } else {
        println!("FAIL: stiffnesses off by a relative {err:.1e}: {k:?}");
        ExitCode::FAILURE
    }
}
