//! Correctness corpus, Rust v2 (DESIGN §3): early `return` anywhere,
//! `break` / `continue` (labeled too), `loop` with `break value`, `match`
//! (integers, ranges, tuples, enums with data, guards), `if let` /
//! `while let`, `let` without a value, float `%`, mixed float types.
//!
//! Each function is checked against central finite differences, `_jvp`
//! against `_grad`, `_vjp` against `_grad`, and the dot-product test.

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

// ----- early return ------------------------------------------------------

#[differentiable]
fn early_return(x: f64) -> f64 {
    if x < 0.0 {
        return x * 0.5;
    }
    x * x
}

#[differentiable]
fn return_in_loop(x: &[f64], t: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * t;
        if s > 2.0 {
            return s * s;
        }
    }
    s + t
}

#[differentiable]
fn return_in_nested_loops(x: &[f64], t: f64) -> f64 {
    let mut s = t;
    for i in 0..x.len() {
        for j in 0..x.len() {
            s = s * 0.9 + x[i] * x[j];
            if s > 3.0 && i > j {
                return s + x[i];
            }
        }
    }
    s
}

#[test]
fn returns() {
    check_scalars!(fixed::<f64>(&[&[-1.3], &[0.7], &[2.1], &[-0.2]]), early_return, early_return_grad, early_return_jvp, early_return_vjp; 0);
    let pts = points::<f64>(5, 6, -1.0, 1.5, 501);
    check_all("return_in_loop", &pts, |p| return_in_loop(&p[..4], p[4]), |p| {
        let (v, (g, gt)) = return_in_loop_grad(&p[..4], p[4]);
        (v, cat(&[&g, &[gt]]))
    }, |p, d| return_in_loop_jvp(&p[..4], &d[..4], p[4], d[4]), |p, w| {
        let mut g = vec![0.0; 4];
        let (v, gt) = return_in_loop_vjp(&p[..4], &mut g, p[4], w);
        (v, cat(&[&g, &[gt]]))
    });
    check_all("return_in_nested_loops", &pts, |p| return_in_nested_loops(&p[..4], p[4]), |p| {
        let (v, (g, gt)) = return_in_nested_loops_grad(&p[..4], p[4]);
        (v, cat(&[&g, &[gt]]))
    }, |p, d| return_in_nested_loops_jvp(&p[..4], &d[..4], p[4], d[4]), |p, w| {
        let mut g = vec![0.0; 4];
        let (v, gt) = return_in_nested_loops_vjp(&p[..4], &mut g, p[4], w);
        (v, cat(&[&g, &[gt]]))
    });
}

// ----- break, continue, labels, loop ----------------------------------------

#[differentiable]
fn break_when_large(x: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..10 {
        if s > 1.0 {
            break;
        }
        s += x * i as f64;
    }
    s
}

#[differentiable]
fn skip_three(x: f64) -> f64 {
    let mut s = 0.0;
    for i in 0..10 {
        if i == 3 {
            continue;
        }
        s += x * i as f64 + s * 0.01;
    }
    s
}

#[differentiable]
fn labeled(x: &[f64]) -> f64 {
    let mut s = 0.0;
    'outer: for i in 0..x.len() {
        for j in 0..x.len() {
            if j > i {
                continue 'outer;
            }
            s += x[i] * x[j];
            if s > 4.0 {
                break 'outer;
            }
        }
    }
    s
}

/// Newton's method for `y² = a` with `loop`, `break value`.
#[differentiable]
fn newton_loop(a: f64) -> f64 {
    let mut y = a + 1.0;
    let mut it = 0;
    loop {
        let next = 0.5 * (y + a / y);
        it += 1;
        if (next - y).abs() < 1e-12 || it > 50 {
            break next;
        }
        y = next;
    }
}

#[test]
fn loops() {
    check_scalars!(fixed::<f64>(&[&[0.05], &[0.3], &[-0.4], &[1.7]]), break_when_large, break_when_large_grad, break_when_large_jvp, break_when_large_vjp; 0);
    check_scalars!(fixed::<f64>(&[&[0.05], &[0.3], &[-0.4]]), skip_three, skip_three_grad, skip_three_jvp, skip_three_vjp; 0);
    check_all("labeled", &points::<f64>(4, 5, -1.2, 1.5, 502), |p| labeled(p), |p| labeled_grad(p), |p, d| labeled_jvp(p, d), |p, w| {
        let mut g = vec![0.0; p.len()];
        let (v, ()) = labeled_vjp(p, &mut g, w);
        (v, g)
    });
    let xs = [0.3, 2.0, 9.5];
    for a in xs {
        let d = newton_loop_derivative(a);
        assert_close(d, 0.5 / a.sqrt(), "d sqrt(a) by Newton");
    }
    check_scalars!(fixed::<f64>(&[&[0.3], &[2.0], &[9.5]]), newton_loop, newton_loop_grad, newton_loop_jvp, newton_loop_vjp; 0);
}

// ----- match, if let, while let ------------------------------------------------

#[differentiable]
fn match_int(x: f64, n: usize) -> f64 {
    match n {
        0 => x,
        1 | 2 => x * x,
        3..=5 => x.sin() * n as f64,
        _ => x * x * x,
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Mode {
    Linear,
    Quadratic(f64),
    Shifted { shift: f64, scale: f64 },
}

/// A constant enum with data: bindings are constants.
#[differentiable]
fn match_enum(x: f64, #[no_grad] mode: Mode) -> f64 {
    match mode {
        Mode::Linear => 2.0 * x,
        Mode::Quadratic(c) => c * x * x,
        Mode::Shifted { shift, scale } if scale > 0.0 => scale * (x - shift).exp(),
        Mode::Shifted { shift, .. } => x - shift,
    }
}

#[differentiable]
fn match_tuple(x: f64, y: f64, k: i32) -> f64 {
    match (k % 3, k > 0) {
        (0, true) => x * y,
        (1, _) => x + y * y,
        (_, false) => x.cos() * y,
        _ => x,
    }
}

#[differentiable]
fn while_let(x: f64, n: usize) -> f64 {
    let mut k = n;
    let mut s = x;
    while let Some(j) = k.checked_sub(1) {
        s = s * x + 0.1;
        k = j;
    }
    s
}

#[differentiable]
fn if_let(x: f64, n: u32) -> f64 {
    if let Some(m) = n.checked_sub(2) {
        x.powi(m as i32 + 1)
    } else {
        x
    }
}

#[test]
fn matches() {
    for n in 0..8 {
        check_all("match_int", &fixed::<f64>(&[&[0.4], &[-1.1], &[1.9]]), |p| match_int(p[0], n), |p| {
            let (v, g) = match_int_grad(p[0], n);
            (v, vec![g])
        }, |p, d| match_int_jvp(p[0], d[0], n), |p, w| {
            let (v, g) = match_int_vjp(p[0], n, w);
            (v, vec![g])
        });
    }
    for mode in [Mode::Linear, Mode::Quadratic(1.5), Mode::Shifted { shift: 0.3, scale: 2.0 }, Mode::Shifted { shift: 0.3, scale: -1.0 }] {
        check_all("match_enum", &fixed::<f64>(&[&[0.4], &[-1.1], &[1.9]]), |p| match_enum(p[0], mode), |p| {
            let (v, g) = match_enum_grad(p[0], mode);
            (v, vec![g])
        }, |p, d| match_enum_jvp(p[0], d[0], mode), |p, w| {
            let (v, g) = match_enum_vjp(p[0], mode, w);
            (v, vec![g])
        });
    }
    for k in -3..4 {
        check_all("match_tuple", &points::<f64>(2, 3, -1.0, 1.0, 503), |p| match_tuple(p[0], p[1], k), |p| {
            let (v, (a, b)) = match_tuple_grad(p[0], p[1], k);
            (v, vec![a, b])
        }, |p, d| match_tuple_jvp(p[0], d[0], p[1], d[1], k), |p, w| {
            let (v, (a, b)) = match_tuple_vjp(p[0], p[1], k, w);
            (v, vec![a, b])
        });
    }
    for n in 0..4 {
        check_all("while_let", &fixed::<f64>(&[&[0.4], &[-1.1], &[1.3]]), |p| while_let(p[0], n), |p| {
            let (v, g) = while_let_grad(p[0], n);
            (v, vec![g])
        }, |p, d| while_let_jvp(p[0], d[0], n), |p, w| {
            let (v, g) = while_let_vjp(p[0], n, w);
            (v, vec![g])
        });
        check_all("if_let", &fixed::<f64>(&[&[0.4], &[-1.1], &[1.3]]), |p| if_let(p[0], n as u32), |p| {
            let (v, g) = if_let_grad(p[0], n as u32);
            (v, vec![g])
        }, |p, d| if_let_jvp(p[0], d[0], n as u32), |p, w| {
            let (v, g) = if_let_vjp(p[0], n as u32, w);
            (v, vec![g])
        });
    }
}

// ----- small forms -------------------------------------------------------------

#[differentiable]
fn late_init(x: f64) -> f64 {
    let y;
    if x > 0.0 {
        y = x * x;
    } else {
        y = -x;
    }
    y * 3.0
}

#[differentiable]
fn float_rem(x: f64) -> f64 {
    (x % 2.0) * x + 7.5 % x
}

#[differentiable]
fn mixed_floats(x: f64, y: f32) -> f64 {
    x * 2.0 + (y * y) as f64 * x
}

/// A `while` whose condition does work: it runs as the start of each
/// iteration, reversed with it.
#[differentiable]
fn while_cond_with_statements(x: &[f64]) -> f64 {
    let mut s = x[0];
    while {
        s = s * 1.5;
        s < 10.0
    } {
        s = s + x[1];
    }
    s
}

#[test]
fn small_forms() {
    check_all("while_cond_with_statements", &fixed::<f64>(&[&[0.4, 0.3], &[1.1, 0.9], &[2.3, -0.2]]), |p| while_cond_with_statements(p), |p| while_cond_with_statements_grad(p), |p, d| while_cond_with_statements_jvp(p, d), |p, w| {
        let mut g = vec![0.0; 2];
        let (v, ()) = while_cond_with_statements_vjp(p, &mut g, w);
        (v, g)
    });
    check_scalars!(fixed::<f64>(&[&[0.4], &[-1.1], &[1.3]]), late_init, late_init_grad, late_init_jvp, late_init_vjp; 0);
    check_scalars!(fixed::<f64>(&[&[0.4], &[-1.1], &[2.3], &[3.7]]), float_rem, float_rem_grad, float_rem_jvp, float_rem_vjp; 0);
    for (x, y) in [(0.5, 1.5f32), (-1.0, 0.25), (2.0, -0.5)] {
        let (_, (gx, gy)) = mixed_floats_grad(x, y);
        assert_close(gx, 2.0 + (y * y) as f64, "d/dx");
        assert!(((gy as f64) - 2.0 * y as f64 * x).abs() < 1e-5, "d/dy");
    }
}
