//! The README's main job: `cargo run --release --example quickstart`.
//!
//! Differentiates a few ordinary functions with `#[differentiable]`, prints
//! their values and derivatives, and checks every derivative against central
//! finite differences with `leibniz::check`. One PASS/FAIL line per function;
//! the process exits nonzero if any check fails.

use leibniz::check;
use leibniz::prelude::*;
use std::process::ExitCode;

/// Rosenbrock's banana function over a slice of any length.
#[differentiable]
fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = 1.0 - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + 100.0 * b * b;
    }
    s
}

/// A generic function: one body, used below at `f32` and at `f64`.
#[differentiable]
fn bump<T: Float>(x: T, y: T) -> T {
    let half = T::from(0.5).unwrap();
    let r2 = x * x + y * y;
    let (s, c) = (x * y).sin_cos();
    (-half * r2).exp() * s + c.atan2(T::one() + r2) + (T::one() + x.powi(2)).ln() * y.tanh()
}

/// A loop with a branch, then a `while` loop whose trip count depends on the
/// input: `n` terms of an alternating series, then Newton's method for the
/// cube root of `1 + s²`. `n` is an integer, so `x` is the only active
/// parameter and `series_root_derivative` exists.
#[differentiable]
fn series_root(x: f64, n: usize) -> f64 {
    let mut s = 0.0;
    for i in 1..=n {
        let term = x.powi(i as i32) / (i as f64);
        if i % 2 == 0 {
            s += term;
        } else {
            s -= 0.5 * term;
        }
    }
    let c = 1.0 + s * s;
    let mut r = 1.0;
    while (r * r * r - c).abs() > 1e-13 * c {
        r = r - (r * r * r - c) / (3.0 * r * r);
    }
    r
}

/// A vector-valued function: the tip of a planar robot arm (x, y, heading)
/// from its joint angles `q`. The link lengths are data, not parameters:
/// `#[no_grad]` makes them constants (no tangent, no shadow).
#[differentiable]
fn arm_tip(q: &[f64], #[no_grad] links: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; 3];
    let mut angle = 0.0;
    for j in 0..q.len() {
        angle += q[j];
        out[0] += links[j] * angle.cos();
        out[1] += links[j] * angle.sin();
    }
    out[2] = angle;
    out
}

/// Prints one PASS/FAIL line and returns whether the check passed.
/// A function another crate might provide, not `#[differentiable]`...
fn softplus(x: f64) -> f64 {
    if x > 0.0 { x + (-x).exp().ln_1p() } else { x.exp().ln_1p() }
}

/// ...given a derivative rule (`order = 2`: second derivatives go through it).
#[leibniz::jvp_rule(softplus, order = 2)]
fn softplus_jvp(x: f64, dx: f64) -> (f64, f64) {
    (softplus(x), dx / (1.0 + (-x).exp()))
}

/// A differentiable struct with a differentiable operator and method.
#[derive(Clone, Copy, Debug, leibniz::Differentiable)]
struct V2 {
    x: f64,
    y: f64,
}

#[differentiable]
impl std::ops::Sub for V2 {
    type Output = V2;
    fn sub(self, o: V2) -> V2 {
        V2 { x: self.x - o.x, y: self.y - o.y }
    }
}

#[differentiable]
impl V2 {
    fn norm(&self) -> f64 {
        self.x.hypot(self.y)
    }
}

/// Structs, operators, iterator chains, early return, a rule, a special
/// function: a soft nearest-anchor loss.
#[differentiable]
fn anchors(p: &[f64], #[no_grad] targets: &[f64]) -> f64 {
    let me = V2 { x: p[0], y: p[1] };
    if targets.is_empty() {
        return 0.0;
    }
    let d: f64 = targets.chunks(2).map(|t| (me - V2 { x: t[0], y: t[1] }).norm()).sum();
    softplus(d - 2.0) + leibniz::special::lgamma(1.0 + p[0] * p[0])
}

fn report<E: std::fmt::Display>(name: &str, result: Result<(), E>) -> bool {
    match result {
        Ok(()) => {
            println!("PASS  {name}");
            true
        }
        Err(e) => {
            println!("FAIL  {name}\n{e}");
            false
        }
    }
}

fn fmt(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| format!("{x:+.6}")).collect();
    format!("[{}]", items.join(", "))
}

fn main() -> ExitCode {
    let mut ok = true;

    // 1. Rosenbrock over a slice: `_grad` gives the value and the whole
    //    gradient in one reverse sweep; `_jvp` gives a directional derivative.
    println!("== rosenbrock(x: &[f64]) -> f64");
    let x = [-1.2, 1.0, 0.7, -0.3, 1.5];
    let (value, grad) = rosenbrock_grad(&x);
    let fd = check::fd_gradient(|x: &[f64]| rosenbrock(x), &x);
    println!("  x           = {}", fmt(&x));
    println!("  value       = {value:.6}");
    println!("  gradient    = {}", fmt(&grad));
    println!("  finite diff = {}", fmt(&fd));
    let dx = [1.0, -0.5, 0.25, 0.0, 2.0];
    let (_, slope) = rosenbrock_jvp(&x, &dx);
    let expected: f64 = grad.iter().zip(&dx).map(|(g, d)| g * d).sum();
    println!("  jvp along dx = {slope:.6} (gradient . dx = {expected:.6})");
    ok &= report(
        "rosenbrock: gradient vs finite differences",
        check::check_gradient(|x: &[f64]| rosenbrock(x), &grad, &x),
    );
    let jvp_ok = (slope - expected).abs() <= 1e-12 * (1.0 + expected.abs());
    ok &= report(
        "rosenbrock: jvp along dx equals gradient . dx",
        if jvp_ok {
            Ok(())
        } else {
            Err(format!("  jvp {slope} != {expected}"))
        },
    );

    // 2. One generic body at two float types.
    println!("\n== bump<T: Float>(x: T, y: T) -> T at f64 and f32");
    let (v64, (dx64, dy64)) = bump_grad(0.3_f64, -0.7_f64);
    println!("  f64: value = {v64:.12}, gradient = ({dx64:.12}, {dy64:.12})");
    ok &= report(
        "bump<f64>: gradient vs finite differences",
        check::check_gradient(|p: &[f64]| bump(p[0], p[1]), &[dx64, dy64], &[0.3, -0.7]),
    );
    let (v32, (dx32, dy32)) = bump_grad(0.3_f32, -0.7_f32);
    println!("  f32: value = {v32:.6}, gradient = ({dx32:.6}, {dy32:.6})");
    ok &= report(
        "bump<f32>: gradient vs finite differences",
        check::check_gradient(
            |p: &[f32]| bump(p[0], p[1]),
            &[dx32, dy32],
            &[0.3_f32, -0.7_f32],
        ),
    );

    // 3. Loops and branches: the derivative follows the branches and trip
    //    counts that the primal run took.
    println!("\n== series_root(x: f64, n: usize) -> f64 (for + if/else + while)");
    for &x in &[0.4, 0.9, -1.3] {
        let value = series_root(x, 7);
        let slope = series_root_derivative(x, 7);
        let fd = check::fd_gradient(|p: &[f64]| series_root(p[0], 7), &[x]);
        println!(
            "  x = {x:+.2}: value = {value:.9}, derivative = {slope:+.9}, finite diff = {:+.9}",
            fd[0]
        );
        ok &= report(
            &format!("series_root: derivative at x = {x:+.2}"),
            check::check_gradient(|p: &[f64]| series_root(p[0], 7), &[slope], &[x]),
        );
    }

    // 4. A vector-valued function: JVP gives columns of the Jacobian, VJP
    //    gives rows. A tape keeps the forward sweep: record once, then pull
    //    back as many cotangents as there are rows.
    println!("\n== arm_tip(q: &[f64], #[no_grad] links: &[f64]) -> Vec<f64>");
    let q = [0.3, -0.6, 1.1];
    let links = [1.0, 0.8, 0.5];
    let tip = arm_tip(&q, &links);
    println!("  q = {}  ->  tip (x, y, heading) = {}", fmt(&q), fmt(&tip));

    let n_in = q.len();
    let n_out = tip.len();
    // Columns by forward mode: J e_j.
    let mut jac_fwd = vec![vec![0.0; n_in]; n_out];
    for j in 0..n_in {
        let mut dq = vec![0.0; n_in];
        dq[j] = 1.0;
        let (_, column) = arm_tip_jvp(&q, &dq, &links);
        for i in 0..n_out {
            jac_fwd[i][j] = column[i];
        }
    }
    // Rows by reverse mode from one tape: e_iᵀ J.
    let (_, tape) = arm_tip_record(&q, &links);
    println!("  tape: {} bytes for {} joints", tape.bytes(), n_in);
    let mut jac_rev = Vec::with_capacity(n_out);
    for i in 0..n_out {
        let mut w = vec![0.0; n_out];
        w[i] = 1.0;
        let mut row = vec![0.0; n_in];
        arm_tip_pullback(&tape, &mut row, w);
        jac_rev.push(row);
    }
    for i in 0..n_out {
        println!(
            "  J[{i}] forward = {}  reverse = {}",
            fmt(&jac_fwd[i]),
            fmt(&jac_rev[i])
        );
    }
    let f = |q: &[f64]| arm_tip(q, &links);
    ok &= report(
        "arm_tip: forward-mode Jacobian vs finite differences",
        check::check_jacobian(f, &jac_fwd, &q),
    );
    ok &= report(
        "arm_tip: tape pullbacks vs finite differences",
        check::check_jacobian(f, &jac_rev, &q),
    );
    let jvp = |v: &[f64]| arm_tip_jvp(&q, v, &links).1;
    let vjp = |w: &[f64]| {
        let mut gq = vec![0.0; n_in];
        let (_, ()) = arm_tip_vjp(&q, &mut gq, &links, w.to_vec());
        gq
    };
    ok &= report(
        "arm_tip: dot-product test <w, J v> = <J^T w, v>",
        check::dot_product_test(jvp, vjp, n_in, n_out, 7),
    );

    // 5. Second derivatives: Hessian-vector products and dense Hessians.
    println!("\n== second derivatives of rosenbrock and anchors");
    let (_, _, h) = rosenbrock_hessian(&x);
    let (_, _, hv) = rosenbrock_hvp(&x, &dx);
    let h_dx: Vec<f64> = h.iter().map(|row| row.iter().zip(&dx).map(|(a, b)| a * b).sum()).collect();
    println!("  H dx (hvp)     = {}", fmt(&hv));
    println!("  H dx (hessian) = {}", fmt(&h_dx));
    ok &= report("rosenbrock: Hessian vs finite differences", check::check_hessian(|x: &[f64]| rosenbrock(x), &h, &x));
    ok &= report("rosenbrock: hvp vs finite differences of the gradient", check::check_hvp(|x: &[f64]| rosenbrock_grad(x).1, &hv, &x, &dx));
    let targets = [1.0, 0.5, -0.5, 2.0, 0.3, -1.0];
    let p = [0.4, 0.2];
    let (value, g) = anchors_grad(&p, &targets);
    let (_, _, ha) = anchors_hessian(&p, &targets);
    println!("  anchors: value = {value:.6}, gradient = {}, hessian = [{}, {}]", fmt(&g), fmt(&ha[0]), fmt(&ha[1]));
    ok &= report("anchors (structs, operators, iterators, a rule, lgamma): gradient vs finite differences", check::check_gradient(|p: &[f64]| anchors(p, &targets), &g, &p));
    ok &= report("anchors: Hessian vs finite differences", check::check_hessian(|p: &[f64]| anchors(p, &targets), &ha, &p));

    println!();
    if ok {
        println!("all checks passed");
        ExitCode::SUCCESS
    } else {
        println!("SOME CHECKS FAILED");
        ExitCode::FAILURE
    }
}
