//! Correctness corpus, part 3: control flow. `if` / `else if` / `else` as
//! statements and expressions (nested, inside loops), `for` over `a..b`,
//! `a..=b`, `.rev()`, `.step_by(k)`, `.rev().step_by(k)`, `while` with an
//! integer counter and with float conditions (Newton, fixed point), nested
//! loops, and simulations that overwrite their state every step (spring-mass
//! with explicit Euler, a chain of masses with `state = next;`, a projectile
//! with drag, in-place heat-equation steps). Also tape reuse.

#![allow(unexpected_cfgs)]

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

// ---------------------------------------------------------------------------
// if / else if / else

#[allow(unused_assignments)] // `y = 0.0` is overwritten in every branch
#[differentiable]
fn piecewise(x: f64) -> f64 {
    let mut y = 0.0;
    if x < -1.0 {
        y = -x * x;
    } else if x < 0.5 {
        y = x.sin() - 1.0;
    } else {
        y = x.sqrt() * 2.0;
        y += x;
    }
    y * x
}

#[test]
fn if_else_statements() {
    let xs = [-1.8, -1.2, -0.4, 0.2, 0.9, 2.5];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, piecewise, piecewise_grad, piecewise_jvp, piecewise_vjp; 0);
    check_unary!(xs, piecewise, piecewise_derivative, piecewise_jvp);
}

#[differentiable]
pub fn if_expr(x: f64, y: f64) -> f64 {
    let a = if x > y { x * y } else { x + y };
    let b = if a > 0.0 {
        if y > 0.0 { a.sqrt() * y } else { a * a }
    } else if x > 0.0 {
        a.exp()
    } else {
        -a * x
    };
    a + b
}

#[test]
fn if_else_expressions_nested() {
    // covers every branch: (x>y, a>0, y>0) combinations
    let pts = fixed::<f64>(&[
        &[1.5, 0.7],
        &[1.2, -0.6],
        &[-0.5, 0.9],
        &[0.4, -1.7],
        &[-1.3, -0.2],
        &[-1.1, -1.6],
        &[0.3, 1.4],
    ]);
    check_scalars!(pts, if_expr, if_expr_grad, if_expr_jvp, if_expr_vjp; 0, 1);
}

/// An `if` expression as the function's tail.
#[differentiable]
fn tail_if(x: f64) -> f64 {
    if x > 0.0 {
        x.ln_1p() * x
    } else {
        x.exp() - 1.0
    }
}

#[test]
fn if_as_tail_expression() {
    let xs = [-1.5, -0.2, 0.3, 2.0];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, tail_if, tail_if_grad, tail_if_jvp, tail_if_vjp; 0);
}

#[differentiable]
fn if_in_loop(x: &[f64]) -> f64 {
    let mut s = 1.0;
    for i in 0..x.len() {
        if x[i] > 0.0 {
            s += x[i] * x[i];
        } else if x[i] > -1.0 {
            s -= x[i].sin() * s;
        } else {
            s *= 0.5 - x[i];
        }
    }
    s
}

#[test]
fn if_statements_in_loop() {
    check_slice_fn!(
        points::<f64>(6, 4, -2.0, 2.0, 60),
        if_in_loop,
        if_in_loop_grad,
        if_in_loop_jvp,
        if_in_loop_vjp
    );
}

#[differentiable]
fn if_expr_in_loop(x: &[f64], t: f64) -> f64 {
    let mut acc = t;
    for i in 0..x.len() {
        let v = if i % 2 == 0 { x[i] * acc } else { x[i] + acc };
        acc = if v > 0.0 { v.tanh() + v } else { v * 0.5 };
    }
    acc
}

#[test]
fn if_expressions_in_loop() {
    let n = 5;
    check_all(
        "if_expr_in_loop",
        &points::<f64>(n + 1, 4, -2.0, 2.0, 61),
        |p| if_expr_in_loop(&p[..n], p[n]),
        |p| {
            let (v, (gx, gt)) = if_expr_in_loop_grad(&p[..n], p[n]);
            (v, cat(&[&gx, &[gt]]))
        },
        |p, d| if_expr_in_loop_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, gt) = if_expr_in_loop_vjp(&p[..n], &mut gx, p[n], w);
            (v, cat(&[&gx, &[gt]]))
        },
    );
}

// ---------------------------------------------------------------------------
// for loops over every range form

/// `for i in 1..=n { s += x.powi(i) / i }` (DESIGN §5: needs no tape).
#[differentiable]
pub fn power_series(x: f64, n: usize) -> f64 {
    let mut s = 0.0;
    for i in 1..=n {
        s += x.powi(i as i32) / i as f64;
    }
    s
}

#[test]
fn inclusive_range_and_integer_powi() {
    for n in [0usize, 1, 4, 9] {
        let xs = [-0.9, 0.2, 0.7];
        check_derivative(
            "power_series",
            &xs,
            |x| power_series(x, n),
            |x| power_series_derivative(x, n),
            |x, d| power_series_jvp(x, d, n),
        );
        // independent reference: d/dx sum x^i / i = sum x^(i-1)
        for x in xs {
            let want: f64 = (1..=n).map(|i| x.powi(i as i32 - 1)).sum();
            assert_close_scaled(
                power_series_derivative(x, n),
                want,
                n as f64,
                "power_series' vs analytic",
            );
            let (_, a) = power_series_vjp(x, n, 1.0);
            assert_close_scaled(a, want, n as f64, "power_series_vjp vs analytic");
        }
    }
    let (_, tape) = power_series_record(0.5, 50);
    report_tape("power_series(n=50)", tape.bytes());
}

/// Order-dependent accumulation over every range form; a wrong iteration
/// order or a wrong reversal in the backward sweep changes the derivative.
#[differentiable]
fn ranges(x: &[f64], a: usize, b: usize) -> f64 {
    let mut s = 0.5;
    for i in a..b {
        s = s * 0.9 + x[i] * s.cos();
    }
    for i in a..=b {
        s = s * x[i] + 0.1;
    }
    for i in (a..b).rev() {
        s = (s + x[i]).sin();
    }
    for i in (a..=b).rev() {
        s = s * 0.8 + x[i] * x[i];
    }
    for i in (a..b).step_by(2) {
        s = s.tanh() + x[i];
    }
    for i in (a..b).rev().step_by(3) {
        s = s * x[i] + s;
    }
    for i in (0..x.len()).step_by(4) {
        s += x[i] * s;
    }
    s
}

#[test]
fn range_forms() {
    let n = 9;
    for (a, b) in [(0usize, 8usize), (2, 7), (3, 3), (1, 2), (0, 1)] {
        check_all(
            "ranges",
            &points::<f64>(n, 3, -1.0, 1.0, 62 + a as u64 * 10 + b as u64),
            |p| ranges(p, a, b),
            |p| ranges_grad(p, a, b),
            |p, d| ranges_jvp(p, d, a, b),
            |p, w| {
                let mut g = zeros_like(p);
                let (v, ()) = ranges_vjp(p, &mut g, a, b, w);
                (v, g)
            },
        );
    }
}

/// Suffix sums written in a reversed loop into a `Vec` result.
#[differentiable]
fn suffix_sums(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mut out = vec![0.0; n];
    let mut acc = 0.0;
    for i in (0..n).rev() {
        acc = acc * 0.5 + x[i] * x[i];
        out[i] = acc;
    }
    out
}

#[test]
fn reversed_loop_vec_result() {
    check_vector(
        "suffix_sums",
        &points::<f64>(5, 3, -2.0, 2.0, 70),
        5,
        |p| suffix_sums(p),
        |p, d| suffix_sums_jvp(p, d),
        |p, w| {
            let mut g = zeros_like(p);
            let (y, ()) = suffix_sums_vjp(p, &mut g, w.to_vec());
            (y, g)
        },
    );
}

// ---------------------------------------------------------------------------
// while loops

#[differentiable]
fn while_counter(x: f64, n: usize) -> f64 {
    let mut y = x;
    let mut i = 0;
    while i < n {
        y = y.sin() + x * 0.5;
        i += 1;
    }
    y
}

#[test]
fn while_with_integer_counter() {
    for n in [0usize, 1, 3, 10] {
        let xs = [-1.2, 0.4, 1.9];
        let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
        check_all(
            "while_counter",
            &pts,
            |p| while_counter(p[0], n),
            |p| {
                let (v, g) = while_counter_grad(p[0], n);
                (v, vec![g])
            },
            |p, d| while_counter_jvp(p[0], d[0], n),
            |p, w| {
                let (v, a) = while_counter_vjp(p[0], n, w);
                (v, vec![a])
            },
        );
    }
}

/// Newton iteration for `sqrt(a)`, stopped by a float condition (the
/// iterates decrease until they converge) with an iteration cap.
#[differentiable]
pub fn newton_sqrt(a: f64) -> f64 {
    let mut y = a + 1.0;
    let mut prev = y + 1.0;
    let mut it = 0;
    while y < prev && it < 100 {
        prev = y;
        y = 0.5 * (y + a / y);
        it += 1;
    }
    y
}

#[test]
fn newton_iteration() {
    let xs = [0.3, 2.0, 9.5, 150.0];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, newton_sqrt, newton_sqrt_grad, newton_sqrt_jvp, newton_sqrt_vjp; 0);
    check_unary!(xs, newton_sqrt, newton_sqrt_derivative, newton_sqrt_jvp);
    for a in xs {
        assert_close(newton_sqrt(a), a.sqrt(), "newton_sqrt converged");
        assert_close(
            newton_sqrt_derivative(a),
            0.5 / a.sqrt(),
            "newton_sqrt' vs 1/(2 sqrt a)",
        );
    }
}

/// Fixed-point iteration `y <- c cos(y) + x` (a contraction for |c| < 1),
/// stopped when the step is tiny, with a cap.
#[differentiable]
pub fn fixed_point(x: f64, c: f64) -> f64 {
    let mut y = x;
    let mut prev = y + 1.0;
    let mut it = 0;
    while (y - prev).abs() > 1e-15 && it < 200 {
        prev = y;
        y = c * y.cos() + x;
        it += 1;
    }
    y
}

#[test]
fn fixed_point_iteration() {
    let pts = points_in::<f64>(&[(-1.5, 1.5), (-0.6, 0.6)], 4, 71);
    check_scalars!(pts, fixed_point, fixed_point_grad, fixed_point_jvp, fixed_point_vjp; 0, 1);
    // implicit function theorem: y = c cos y + x
    for p in &pts {
        let (x, c) = (p[0], p[1]);
        let y = fixed_point(x, c);
        let den = 1.0 + c * y.sin();
        let (_, (gx, gc)) = fixed_point_grad(x, c);
        assert!(
            (gx - 1.0 / den).abs() <= 1e-10,
            "dy/dx = {gx}, implicit {}",
            1.0 / den
        );
        assert!(
            (gc - y.cos() / den).abs() <= 1e-10,
            "dy/dc = {gc}, implicit {}",
            y.cos() / den
        );
    }
}

/// A float loop condition on an active value: the trip count depends on
/// the input (piecewise smooth; checked away from the switch points).
#[differentiable]
fn grow_until(x: f64) -> f64 {
    let mut y = x * x + 0.1;
    while y < 10.0 {
        y = y * 1.5 + x;
    }
    y
}

#[test]
fn while_with_float_condition() {
    let xs = [0.55, 0.8, 1.3, 2.2, 3.5];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, grow_until, grow_until_grad, grow_until_jvp, grow_until_vjp; 0);
}

// ---------------------------------------------------------------------------
// nested loops

#[differentiable]
pub fn quad_form(a: &[f64], x: &[f64]) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            s += x[i] * a[i * n + j] * x[j];
        }
    }
    s
}

#[test]
fn nested_loops_quadratic_form() {
    let n = 3;
    check_all(
        "quad_form",
        &points::<f64>(n * n + n, 3, -2.0, 2.0, 72),
        |p| quad_form(&p[..n * n], &p[n * n..]),
        |p| {
            let (v, (ga, gx)) = quad_form_grad(&p[..n * n], &p[n * n..]);
            (v, cat(&[&ga, &gx]))
        },
        |p, d| quad_form_jvp(&p[..n * n], &d[..n * n], &p[n * n..], &d[n * n..]),
        |p, w| {
            let mut ga = zeros(n * n);
            let mut gx = zeros(n);
            let (v, ()) = quad_form_vjp(&p[..n * n], &mut ga, &p[n * n..], &mut gx, w);
            (v, cat(&[&ga, &gx]))
        },
    );
}

/// Triangular nest whose inner bound depends on the outer index, with a
/// `while` inside a `for` and carried state across both.
#[differentiable]
fn triangular(x: &[f64]) -> f64 {
    let n = x.len();
    let mut s = 0.0;
    for i in 0..n {
        let mut row = x[i];
        for j in 0..i {
            row = row * x[j] + (x[i] - x[j]).sin();
        }
        let mut k = 0;
        while k < i {
            row = row * 0.5 + s;
            k += 1;
        }
        s += row;
    }
    s
}

#[test]
fn nested_dependent_loops() {
    check_slice_fn!(
        points::<f64>(5, 3, -1.0, 1.0, 73),
        triangular,
        triangular_grad,
        triangular_jvp,
        triangular_vjp
    );
}

// ---------------------------------------------------------------------------
// simulations

/// Damped spring-mass, explicit Euler.
#[differentiable]
pub fn spring_mass(
    x0: f64,
    v0: f64,
    k: f64,
    c: f64,
    #[no_grad] dt: f64,
    steps: usize,
) -> (f64, f64) {
    let mut x = x0;
    let mut v = v0;
    for _ in 0..steps {
        let a = -k * x - c * v;
        x += dt * v;
        v += dt * a;
    }
    (x, v)
}

#[test]
fn spring_mass_euler() {
    let (dt, steps) = (0.01, 200);
    check_vector(
        "spring_mass",
        &points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (0.5, 4.0), (0.0, 0.5)], 3, 74),
        2,
        |p| {
            let (x, v) = spring_mass(p[0], p[1], p[2], p[3], dt, steps);
            vec![x, v]
        },
        |p, d| {
            let ((x, v), (dx, dv)) =
                spring_mass_jvp(p[0], d[0], p[1], d[1], p[2], d[2], p[3], d[3], dt, steps);
            (vec![x, v], vec![dx, dv])
        },
        |p, w| {
            let ((x, v), g) = spring_mass_vjp(p[0], p[1], p[2], p[3], dt, steps, (w[0], w[1]));
            (vec![x, v], Flat::flat(g))
        },
    );
}

/// A chain of masses: whole local `Vec`s are replaced every step
/// (`pos = next_pos;`), boundary handled by `if` expressions.
#[differentiable]
pub fn chain_sim(x0: &[f64], v0: &[f64], k: f64, #[no_grad] dt: f64, steps: usize) -> Vec<f64> {
    let n = x0.len();
    let mut pos = vec![0.0; n];
    let mut vel = vec![0.0; n];
    for i in 0..n {
        pos[i] = x0[i];
        vel[i] = v0[i];
    }
    for _s in 0..steps {
        let mut next_pos = vec![0.0; n];
        let mut next_vel = vec![0.0; n];
        for i in 0..n {
            let left = if i > 0 { pos[i - 1] } else { 0.0 };
            let right = if i + 1 < n { pos[i + 1] } else { 0.0 };
            let f = k * (left - 2.0 * pos[i] + right) - 0.1 * vel[i] * vel[i].abs();
            next_vel[i] = vel[i] + dt * f;
            next_pos[i] = pos[i] + dt * next_vel[i];
        }
        pos = next_pos;
        vel = next_vel;
    }
    pos
}

fn chain_check(n: usize, steps: usize) {
    let dt = 0.05;
    check_vector(
        "chain_sim",
        &points::<f64>(2 * n + 1, 3, 0.2, 1.0, 75 + n as u64),
        n,
        |p| chain_sim(&p[..n], &p[n..2 * n], p[2 * n], dt, steps),
        |p, d| {
            chain_sim_jvp(
                &p[..n],
                &d[..n],
                &p[n..2 * n],
                &d[n..2 * n],
                p[2 * n],
                d[2 * n],
                dt,
                steps,
            )
        },
        |p, w| {
            let mut gx = zeros(n);
            let mut gv = zeros(n);
            let (y, gk) = chain_sim_vjp(
                &p[..n],
                &mut gx,
                &p[n..2 * n],
                &mut gv,
                p[2 * n],
                dt,
                steps,
                w.to_vec(),
            );
            (y, cat(&[&gx, &gv, &[gk]]))
        },
    );
}

#[test]
fn chain_time_stepping() {
    chain_check(4, 30);
    chain_check(1, 5);
}

#[test]
fn tape_reuse_chain() {
    let (n, dt, steps) = (4, 0.05, 30);
    let p = points::<f64>(2 * n + 1, 1, 0.2, 1.0, 76).remove(0);
    let (y, tape) = chain_sim_record(&p[..n], &p[n..2 * n], p[2 * n], dt, steps);
    assert_close_slice(
        &y,
        &chain_sim(&p[..n], &p[n..2 * n], p[2 * n], dt, steps),
        "chain_sim_record value",
    );
    report_tape("chain_sim(n=4, steps=30)", tape.bytes());
    for w in cotangents::<f64>(n, 4, 77) {
        let (mut g1x, mut g1v) = (zeros(n), zeros(n));
        let g1k = chain_sim_pullback(&tape, &mut g1x, &mut g1v, w.clone());
        let (mut g2x, mut g2v) = (zeros(n), zeros(n));
        let (_, g2k) = chain_sim_vjp(
            &p[..n],
            &mut g2x,
            &p[n..2 * n],
            &mut g2v,
            p[2 * n],
            dt,
            steps,
            w,
        );
        assert_close_slice(
            &cat(&[&g1x, &g1v, &[g1k]]),
            &cat(&[&g2x, &g2v, &[g2k]]),
            "chain_sim_pullback vs _vjp",
        );
    }
}

/// Projectile with quadratic drag, explicit Euler until a fixed time (the
/// loop condition is a float that does not depend on the inputs).
#[differentiable]
pub fn projectile(v0: f64, angle: f64, drag: f64, #[no_grad] dt: f64) -> (f64, f64) {
    let (s, c) = angle.sin_cos();
    let mut vx = v0 * c;
    let mut vy = v0 * s;
    let mut x = 0.0;
    let mut y = 0.0;
    let mut t = 0.0;
    let g = 9.81;
    while t < 1.0 {
        let speed = (vx * vx + vy * vy).sqrt();
        let ax = -drag * speed * vx;
        let ay = -g - drag * speed * vy;
        x += dt * vx;
        y += dt * vy;
        vx += dt * ax;
        vy += dt * ay;
        t += dt;
    }
    (x, y)
}

#[test]
fn projectile_with_drag() {
    check_vector(
        "projectile",
        &points_in::<f64>(&[(5.0, 20.0), (0.2, 1.3), (0.0, 0.2)], 3, 78),
        2,
        |p| {
            let (x, y) = projectile(p[0], p[1], p[2], 0.01);
            vec![x, y]
        },
        |p, d| {
            let ((x, y), (dx, dy)) = projectile_jvp(p[0], d[0], p[1], d[1], p[2], d[2], 0.01);
            (vec![x, y], vec![dx, dy])
        },
        |p, w| {
            let ((x, y), g) = projectile_vjp(p[0], p[1], p[2], 0.01, (w[0], w[1]));
            (vec![x, y], Flat::flat(g))
        },
    );
}

/// In-place explicit heat-equation steps on an in/out array, with a local
/// copy of the previous state.
#[differentiable]
fn heat_steps(u: &mut [f64], alpha: f64, steps: usize) {
    let n = u.len();
    let mut old = vec![0.0; n];
    for _s in 0..steps {
        for i in 0..n {
            old[i] = u[i];
        }
        for i in 1..n - 1 {
            u[i] = old[i] + alpha * (old[i - 1] - 2.0 * old[i] + old[i + 1]);
        }
        u[0] = old[0] * (1.0 - alpha);
        u[n - 1] = old[n - 1] * (1.0 - alpha);
    }
}

#[test]
fn inout_time_stepping() {
    let n = 6;
    for steps in [1usize, 7] {
        check_vector(
            "heat_steps",
            &points_in::<f64>(
                &[
                    (-1.0, 1.0),
                    (-1.0, 1.0),
                    (-1.0, 1.0),
                    (-1.0, 1.0),
                    (-1.0, 1.0),
                    (-1.0, 1.0),
                    (0.05, 0.3),
                ],
                3,
                79,
            ),
            n,
            |p| {
                let mut u = p[..n].to_vec();
                heat_steps(&mut u, p[n], steps);
                u
            },
            |p, d| {
                let mut u = p[..n].to_vec();
                let mut du = d[..n].to_vec();
                heat_steps_jvp(&mut u, &mut du, p[n], d[n], steps);
                (u, du)
            },
            |p, w| {
                let mut u = p[..n].to_vec();
                let mut gu = w.to_vec();
                let ga = heat_steps_vjp(&mut u, &mut gu, p[n], steps);
                (u, cat(&[&gu, &[ga]]))
            },
        );
    }
}

/// Bisection with a fixed iteration cap brackets `sqrt(a)`, then Newton
/// steps polish it. (The derivative flows through the Newton steps; the
/// bisection only picks the starting point.)
#[differentiable]
pub fn bisect_then_newton(a: f64) -> f64 {
    let mut lo = 0.0;
    let mut hi = if a > 1.0 { a } else { 1.0 };
    let mut it = 0;
    while it < 20 && hi - lo > 1e-3 {
        let mid = 0.5 * (lo + hi);
        if mid * mid > a {
            hi = mid;
        } else {
            lo = mid;
        }
        it += 1;
    }
    let mut y = hi;
    for _ in 0..6 {
        y = 0.5 * (y + a / y);
    }
    y
}

#[test]
fn bisection_then_newton() {
    let xs = [0.3, 2.0, 7.5, 40.0];
    let pts: Vec<Vec<f64>> = xs.iter().map(|&x| vec![x]).collect();
    check_scalars!(pts, bisect_then_newton, bisect_then_newton_grad, bisect_then_newton_jvp, bisect_then_newton_vjp; 0);
    for a in xs {
        assert_close(
            bisect_then_newton_derivative(a),
            0.5 / a.sqrt(),
            "bisect_then_newton' vs 1/(2 sqrt a)",
        );
    }
}

/// A `while` with a float condition nested in a `for`: per element, halve
/// until below a threshold that depends on the running state.
#[differentiable]
fn while_in_for(x: &[f64], c: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let mut v = x[i] * x[i] * 10.0 + 1.0;
        let mut n = 0;
        while v > c && n < 30 {
            v = v * 0.5 + s * 0.01;
            n += 1;
        }
        s += v * (n as f64 + 1.0);
    }
    s
}

#[test]
fn while_nested_in_for() {
    let n = 4;
    check_all(
        "while_in_for",
        &points_in::<f64>(
            &[
                (-1.0, 1.0),
                (-1.0, 1.0),
                (-1.0, 1.0),
                (-1.0, 1.0),
                (0.7, 1.9),
            ],
            4,
            124,
        ),
        |p| while_in_for(&p[..n], p[n]),
        |p| {
            let (v, (gx, gc)) = while_in_for_grad(&p[..n], p[n]);
            (v, cat(&[&gx, &[gc]]))
        },
        |p, d| while_in_for_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, gc) = while_in_for_vjp(&p[..n], &mut gx, p[n], w);
            (v, cat(&[&gx, &[gc]]))
        },
    );
}
