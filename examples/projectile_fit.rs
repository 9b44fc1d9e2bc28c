//! Fit a projectile model to observed landing points.
//!
//! `cargo run --release --example projectile_fit`
//!
//! A ball leaves the ground at speed `v0` and elevation `angle`, under gravity
//! and quadratic air drag (`a = -g ŷ - drag |v| v`). The flight is integrated by
//! explicit Euler in a `while` loop until the ball is back on the ground; the
//! landing point is interpolated between the last two steps so the range is a
//! continuous function of the parameters. The launcher was fired at several
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
#[differentiable]
fn landing_range(v0: f64, angle: f64, drag: f64) -> f64 {
    let mut x = 0.0;
    let mut y = 0.0;
    let mut vx = v0 * angle.cos();
    let mut vy = v0 * angle.sin();
    let mut x_prev = 0.0;
    let mut y_prev = 0.0;
    while y >= 0.0 {
        let speed = (vx * vx + vy * vy).sqrt();
        let ax = -drag * speed * vx;
        let ay = -G - drag * speed * vy;
        x_prev = x;
        y_prev = y;
        x += DT * vx;
        y += DT * vy;
        vx += DT * ax;
        vy += DT * ay;
    }
    // The ball crossed y = 0 between the last two steps.
    x_prev + (x - x_prev) * y_prev / (y_prev - y)
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
    *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
}

fn main() -> ExitCode {
    let (true_v0, true_drag) = (38.0, 0.0065);
    let angles: Vec<f64> = [15.0_f64, 25.0, 35.0, 45.0, 55.0, 65.0].iter().map(|d| d.to_radians()).collect();
    let mut seed = 2024;
    let observed: Vec<f64> = angles.iter().map(|&a| landing_range(true_v0, a, true_drag) + 0.05 * noise(&mut seed)).collect();
    println!("observed landing distances (m, +-5 cm noise):");
    for (a, r) in angles.iter().zip(&observed) {
        println!("  angle {:4.1} deg -> {r:7.3} m", a.to_degrees());
    }

    // Start from a poor guess and check the gradient there once.
    let (mut v0, mut drag) = (30.0, 0.002);
    let (loss0, (g_v0, g_drag)) = range_loss_grad(v0, drag, &angles, &observed);
    let loss_of = |p: &[f64]| range_loss(p[0], p[1], &angles, &observed);
    let fd = check::fd_gradient(loss_of, &[v0, drag]);
    println!("\nat the start v0 = {v0}, drag = {drag}: loss = {loss0:.3} m^2");
    println!("  gradient     = ({g_v0:+.6e}, {g_drag:+.6e})");
    println!("  finite diffs = ({:+.6e}, {:+.6e})", fd[0], fd[1]);
    if let Err(e) = check::check_gradient(loss_of, &[g_v0, g_drag], &[v0, drag]) {
        println!("FAIL: gradient disagrees with finite differences\n{e}");
        return ExitCode::FAILURE;
    }

    // Gradient descent on theta = (v0 / 10 m/s, ln drag): comparable units,
    // and the drag coefficient stays positive. Backtracking line search.
    let mut theta = [v0 / 10.0, drag.ln()];
    let mut step = 1.0;
    let mut loss = loss0;
    println!("\n iter      v0 (m/s)     drag (1/m)      loss (m^2)");
    for iter in 0..=1000 {
        let (l, (gv, gd)) = range_loss_grad(v0, drag, &angles, &observed);
        loss = l;
        let g = [gv * 10.0, gd * drag];
        let g2 = g[0] * g[0] + g[1] * g[1];
        if iter % 50 == 0 {
            println!("{iter:5} {v0:13.6} {drag:14.8} {loss:15.6e}");
        }
        if g2.sqrt() < 1e-8 {
            println!("{iter:5} {v0:13.6} {drag:14.8} {loss:15.6e}  (converged)");
            break;
        }
        step *= 2.0;
        let mut moved = false;
        while step > 1e-12 {
            let trial = [theta[0] - step * g[0], theta[1] - step * g[1]];
            let (v_try, d_try) = (10.0 * trial[0], trial[1].exp());
            if range_loss(v_try, d_try, &angles, &observed) <= l - 0.5 * step * g2 {
                theta = trial;
                v0 = v_try;
                drag = d_try;
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
