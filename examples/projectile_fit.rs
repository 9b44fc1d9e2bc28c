//! Fit a projectile model to observed landing points.
//!
//! `cargo run --release --example projectile_fit`
//!
//! A ball leaves the ground at speed `v0` and elevation `angle`, under gravity
//! and quadratic air drag (`a = -g ŷ - drag |v| v`). The flight is integrated
//! by explicit steps in a `while` loop until the ball is back on the ground,
//! and the touchdown is located inside the last step, so the range is a
//! smooth function of the parameters. The launcher was fired at several
//! known angles and the landing distances were measured; gradient descent on
//! the squared range errors, with gradients from `range_loss_grad` (reverse
//! mode through thousands of Euler steps per shot), recovers the launch speed
//! and the drag coefficient. Exits nonzero if the fit misses the truth.

use leibniz::check;
use leibniz::prelude::*;
use std::process::ExitCode;

/// Gravity (m/s²).
const G: f64 = 9.81;
/// Euler time step (s).
const DT: f64 = 1e-3;

/// Horizontal distance at which a ball launched from the ground lands.
///
/// Each step is explicit: the velocity takes an Euler step with the
/// acceleration at the start of the step, and the position follows the
/// velocity exactly while it changes linearly over the step
/// (`x += dt v + dt²/2 a`). The trajectory is then smooth in time, so
/// solving the last step's quadratic for the touchdown gives a range that is
/// differentiable in the parameters even where the landing moves from one
/// step to the next.
#[differentiable]
fn landing_range(v0: f64, angle: f64, drag: f64) -> f64 {
    let mut x = 0.0;
    let mut y = 0.0;
    let mut vx = v0 * angle.cos();
    let mut vy = v0 * angle.sin();
    // The state at the start of the last step, and its acceleration.
    let mut x_last = 0.0;
    let mut y_last = 0.0;
    let mut vx_last = 0.0;
    let mut vy_last = 0.0;
    let mut ax_last = 0.0;
    let mut ay_last = 0.0;
    while y >= 0.0 {
        let speed = (vx * vx + vy * vy).sqrt();
        let ax = -drag * speed * vx;
        let ay = -G - drag * speed * vy;
        x_last = x;
        y_last = y;
        vx_last = vx;
        vy_last = vy;
        ax_last = ax;
        ay_last = ay;
        x += DT * vx + 0.5 * DT * DT * ax;
        y += DT * vy + 0.5 * DT * DT * ay;
        vx += DT * ax;
        vy += DT * ay;
    }
    // Touchdown within the last step: y_last + t vy_last + t²/2 ay_last = 0,
    // the root in [0, dt] in a form without cancellation (vy_last < 0).
    let disc = vy_last * vy_last - 2.0 * ay_last * y_last;
    let t = 2.0 * y_last / (disc.sqrt() - vy_last);
    x_last + t * vx_last + 0.5 * t * t * ax_last
}

/// Mean squared error of the predicted landing distances. Only the launch
/// speed and the drag coefficient are fitted: the angles and measurements
/// are data.
#[differentiable(wrt(v0, drag))]
fn range_loss(v0: f64, drag: f64, angles: &[f64], observed: &[f64]) -> f64 {
    let mut loss = 0.0;
    for i in 0..angles.len() {
        let e = landing_range(v0, angles[i], drag) - observed[i];
        loss += e * e;
    }
    loss / (angles.len() as f64)
}

/// Deterministic measurement noise, uniform in [-1, 1).
fn noise(state: &mut u64) -> f64 {
    *state = state
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
}

fn main() -> ExitCode {
    let (true_v0, true_drag) = (38.0, 0.0065);
    let angles: Vec<f64> = [15.0_f64, 25.0, 35.0, 45.0, 55.0, 65.0]
        .iter()
        .map(|d| d.to_radians())
        .collect();
    let mut seed = 2024;
    let observed: Vec<f64> = angles
        .iter()
        .map(|&a| landing_range(true_v0, a, true_drag) + 0.05 * noise(&mut seed))
        .collect();
    println!("observed landing distances (m, +-5 cm noise):");
    for (a, r) in angles.iter().zip(&observed) {
        println!("  angle {:4.1} deg -> {r:7.3} m", a.to_degrees());
    }

    // The fit works in theta = (v0 / 10 m/s, ln drag): comparable units, and
    // the drag coefficient stays positive. `grad_theta` applies the chain
    // rule to the gradient `range_loss_grad` gives in (v0, drag).
    let physical = |theta: &[f64]| (10.0 * theta[0], theta[1].exp());
    let loss_theta = |theta: &[f64]| {
        let (v0, drag) = physical(theta);
        range_loss(v0, drag, &angles, &observed)
    };
    let grad_theta = |theta: &[f64]| {
        let (v0, drag) = physical(theta);
        let (loss, (g_v0, g_drag)) = range_loss_grad(v0, drag, &angles, &observed);
        (loss, [10.0 * g_v0, drag * g_drag])
    };

    // Start from a poor guess and check the gradient there once.
    let mut theta = [3.0, 0.002_f64.ln()];
    let (loss0, g) = grad_theta(&theta);
    let fd = check::fd_gradient(loss_theta, &theta);
    let (v0, drag) = physical(&theta);
    println!("\nat the start v0 = {v0:.1}, drag = {drag:.4}: loss = {loss0:.3} m^2");
    println!("  gradient in theta = ({:+.9e}, {:+.9e})", g[0], g[1]);
    println!("  finite diffs      = ({:+.9e}, {:+.9e})", fd[0], fd[1]);
    if let Err(e) = check::check_gradient(loss_theta, &g, &theta) {
        println!("FAIL: gradient disagrees with finite differences\n{e}");
        return ExitCode::FAILURE;
    }

    let mut step = 1.0;
    let mut loss = loss0;
    let mut previous = f64::INFINITY;
    println!("\n iter      v0 (m/s)     drag (1/m)      loss (m^2)");
    for iter in 0..=1000 {
        let (l, g) = grad_theta(&theta);
        loss = l;
        let g2 = g[0] * g[0] + g[1] * g[1];
        let (v0, drag) = physical(&theta);
        if iter % 50 == 0 {
            println!("{iter:5} {v0:13.6} {drag:14.8} {loss:15.6e}");
        }
        // Stop when the loss no longer drops (relative to its size).
        if g2.sqrt() < 1e-8 || previous - l <= 1e-12 * l {
            println!("{iter:5} {v0:13.6} {drag:14.8} {loss:15.6e}  (converged)");
            break;
        }
        previous = l;
        // Armijo backtracking: halve the step until the loss drops enough.
        step *= 2.0;
        let mut moved = false;
        while step > 1e-12 {
            let trial = [theta[0] - step * g[0], theta[1] - step * g[1]];
            if loss_theta(&trial) <= l - 0.5 * step * g2 {
                theta = trial;
                moved = true;
                break;
            }
            step *= 0.5;
        }
        if !moved {
            println!("{iter:5} {v0:13.6} {drag:14.8} {loss:15.6e}  (no further descent)");
            break;
        }
    }

    let (v0, drag) = physical(&theta);
    let err_v0 = (v0 - true_v0).abs() / true_v0;
    let err_drag = (drag - true_drag).abs() / true_drag;
    println!("\n            fitted        truth    rel. error");
    println!("v0   {v0:13.6} {true_v0:12.6} {err_v0:13.2e}");
    println!("drag {drag:13.8} {true_drag:12.8} {err_drag:13.2e}");
    println!("rms range error: {:.4} m", loss.sqrt());
    if err_v0 < 5e-3 && err_drag < 3e-2 {
        println!("PASS  projectile fit recovered the launch speed and the drag coefficient");
        ExitCode::SUCCESS
    } else {
        println!("FAIL  projectile fit did not recover the parameters");
        ExitCode::FAILURE
    }
}
