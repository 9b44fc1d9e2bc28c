//! Correctness corpus, part 4: calls between `#[differentiable]` functions.
//! Same module, another module (`physics::spring(x, k)`, `crate::` paths,
//! nested modules), inherent methods (`self.energy(x)` from another
//! differentiable method, `model.energy_grad(&x)` from outside, a method on a
//! `&Model` parameter), calls inside loops and conditions, constant
//! arguments, array arguments (also the same array twice), a callee with a
//! `&mut [F]` output, callees returning tuples and `Vec`s. Also tape reuse
//! through calls and methods.

#![allow(unexpected_cfgs)]

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

// ---------------------------------------------------------------------------
// same module

#[differentiable]
fn sq(x: f64) -> f64 {
    x * x
}

#[differentiable]
pub fn cube_plus(x: f64, y: f64) -> f64 {
    x * sq(x) + y.sin()
}

#[differentiable]
fn calls_same_module(x: f64, y: f64) -> f64 {
    // nested calls, a call with a constant argument, a call of a 2-arg callee
    sq(x) + sq(x * y) * y + sq(sq(y)) + sq(1.5) * x + cube_plus(y, x * 0.5)
}

#[test]
fn same_module_calls() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 80), calls_same_module, calls_same_module_grad, calls_same_module_jvp, calls_same_module_vjp; 0, 1);
    // independent reference for the callee alone
    for x in [-1.0, 0.3, 2.0] {
        assert_close(sq_derivative(x), 2.0 * x, "sq'");
    }
}

/// A call in an `if` condition (only its value matters) and in both branches.
#[differentiable]
fn call_in_condition(x: f64, y: f64) -> f64 {
    if sq(x) > 1.0 {
        sq(y) * x
    } else {
        cube_plus(x, y)
    }
}

#[test]
fn calls_in_conditions_and_branches() {
    let pts = fixed::<f64>(&[&[1.5, 0.3], &[-1.2, 0.8], &[0.4, -0.9], &[-0.7, 1.4]]);
    check_scalars!(pts, call_in_condition, call_in_condition_grad, call_in_condition_jvp, call_in_condition_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// other modules

mod physics {
    use leibniz::prelude::*;

    #[differentiable]
    pub fn spring(x: f64, k: f64) -> f64 {
        0.5 * k * x * x
    }

    #[differentiable]
    pub fn pendulum(theta: f64, l: f64) -> f64 {
        9.81 * l * (1.0 - theta.cos())
    }

    pub mod drag {
        use leibniz::prelude::*;

        #[differentiable]
        pub fn quadratic(v: f64, c: f64) -> f64 {
            c * v * v.abs()
        }
    }
}

#[differentiable]
pub fn energy_total(x: f64, v: f64, k: f64) -> f64 {
    physics::spring(x, k)
        + 0.5 * v * v
        + physics::pendulum(x, 2.0)
        + crate::physics::drag::quadratic(v, k * 0.1)
}

#[test]
fn calls_across_modules() {
    let pts = points_in::<f64>(&[(-1.5, 1.5), (0.2, 2.0), (0.5, 3.0)], 4, 81);
    check_scalars!(pts, energy_total, energy_total_grad, energy_total_jvp, energy_total_vjp; 0, 1, 2);
    // the callee directly, through its module path, against its closed form
    for (x, k) in [(0.5, 2.0), (-1.2, 0.7), (2.0, 3.0)] {
        let (_, (gx, gk)) = physics::spring_grad(x, k);
        assert_close(gx, k * x, "d spring / dx");
        assert_close(gk, 0.5 * x * x, "d spring / dk");
    }
}

/// Calls inside a loop, with array elements and index arithmetic as
/// arguments.
#[differentiable]
pub fn spring_chain(x: &[f64], k: f64) -> f64 {
    let mut e = 0.0;
    for i in 0..x.len() - 1 {
        e += physics::spring(x[i + 1] - x[i], k);
        e += sq(x[i]) * 0.01;
    }
    e
}

#[test]
fn calls_inside_loops() {
    let n = 5;
    check_all(
        "spring_chain",
        &points::<f64>(n + 1, 3, -1.5, 1.5, 82),
        |p| spring_chain(&p[..n], p[n]),
        |p| {
            let (v, (gx, gk)) = spring_chain_grad(&p[..n], p[n]);
            (v, cat(&[&gx, &[gk]]))
        },
        |p, d| spring_chain_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, gk) = spring_chain_vjp(&p[..n], &mut gx, p[n], w);
            (v, cat(&[&gx, &[gk]]))
        },
    );
}

// ---------------------------------------------------------------------------
// array arguments, aliasing, `&mut` outputs, tuple and Vec results

#[differentiable]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..a.len() {
        s += a[i] * b[i];
    }
    s
}

/// `dot(a, a)`: the same array passed to two array parameters.
#[differentiable]
pub fn cosine_similarity(a: &[f64], b: &[f64]) -> f64 {
    dot(a, b) / (dot(a, a) * dot(b, b)).sqrt()
}

#[test]
fn array_arguments_and_aliasing() {
    let n = 4;
    check_all(
        "cosine_similarity",
        &points::<f64>(2 * n, 3, -2.0, 2.0, 83),
        |p| cosine_similarity(&p[..n], &p[n..]),
        |p| {
            let (v, (ga, gb)) = cosine_similarity_grad(&p[..n], &p[n..]);
            (v, cat(&[&ga, &gb]))
        },
        |p, d| cosine_similarity_jvp(&p[..n], &d[..n], &p[n..], &d[n..]),
        |p, w| {
            let mut ga = zeros(n);
            let mut gb = zeros(n);
            let (v, ()) = cosine_similarity_vjp(&p[..n], &mut ga, &p[n..], &mut gb, w);
            (v, cat(&[&ga, &gb]))
        },
    );
}

/// A callee that writes its result into a `&mut [F]` output.
#[differentiable]
fn squares_into(x: &[f64], out: &mut [f64]) {
    for i in 0..x.len() {
        out[i] = x[i] * x[i].sin();
    }
}

#[differentiable]
pub fn via_out_param(x: &[f64]) -> f64 {
    let mut tmp = vec![0.0; x.len()];
    squares_into(x, &mut tmp);
    let mut s = 0.0;
    for i in 0..tmp.len() {
        s += tmp[i] * x[i];
    }
    s
}

#[test]
fn callee_with_mut_output() {
    check_slice_fn!(
        points::<f64>(5, 3, -2.0, 2.0, 84),
        via_out_param,
        via_out_param_grad,
        via_out_param_jvp,
        via_out_param_vjp
    );
}

#[differentiable]
fn scale_in(x: &mut [f64], a: f64) {
    for i in 0..x.len() {
        x[i] = x[i] * a + x[i] * x[i] * 0.1;
    }
}

/// The caller's own in/out parameter handed to a callee twice.
#[differentiable]
fn scale_twice(x: &mut [f64], a: f64) {
    scale_in(x, a);
    scale_in(x, a * a);
    x[0] += a;
}

#[test]
fn inout_param_forwarded_to_callee() {
    let n = 3;
    check_vector(
        "scale_twice",
        &points::<f64>(n + 1, 3, -1.5, 1.5, 85),
        n,
        |p| {
            let mut x = p[..n].to_vec();
            scale_twice(&mut x, p[n]);
            x
        },
        |p, d| {
            let mut x = p[..n].to_vec();
            let mut dx = d[..n].to_vec();
            scale_twice_jvp(&mut x, &mut dx, p[n], d[n]);
            (x, dx)
        },
        |p, w| {
            let mut x = p[..n].to_vec();
            let mut gx = w.to_vec();
            let ga = scale_twice_vjp(&mut x, &mut gx, p[n]);
            (x, cat(&[&gx, &[ga]]))
        },
    );
}

#[differentiable]
fn to_cartesian(r: f64, th: f64) -> (f64, f64) {
    (r * th.cos(), r * th.sin())
}

#[differentiable]
fn softmax3(x: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; x.len()];
    let mut z = 0.0;
    for i in 0..x.len() {
        out[i] = x[i].exp();
        z += out[i];
    }
    for i in 0..x.len() {
        out[i] /= z;
    }
    out
}

/// Callees returning a tuple (destructured) and a `Vec` (indexed).
#[differentiable]
fn uses_tuple_and_vec_results(r: f64, th: f64, x: &[f64]) -> f64 {
    let (a, b) = to_cartesian(r, th);
    let p = softmax3(x);
    let mut s = a * b;
    for i in 0..p.len() {
        s += p[i] * x[i] * a;
    }
    s + b
}

#[test]
fn callees_with_tuple_and_vec_results() {
    let n = 3;
    check_all(
        "uses_tuple_and_vec_results",
        &points::<f64>(2 + n, 3, -1.5, 1.5, 86),
        |p| uses_tuple_and_vec_results(p[0], p[1], &p[2..]),
        |p| {
            let (v, (gr, gt, gx)) = uses_tuple_and_vec_results_grad(p[0], p[1], &p[2..]);
            (v, cat(&[&[gr, gt], &gx]))
        },
        |p, d| uses_tuple_and_vec_results_jvp(p[0], d[0], p[1], d[1], &p[2..], &d[2..]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, (gr, gt)) = uses_tuple_and_vec_results_vjp(p[0], p[1], &p[2..], &mut gx, w);
            (v, cat(&[&[gr, gt], &gx]))
        },
    );
}

/// A callee returning a tuple, destructured.
#[differentiable]
fn uses_tuple_result(r: f64, th: f64) -> f64 {
    let (a, b) = to_cartesian(r, th);
    let (c, d) = to_cartesian(a + b, r * th);
    a * b + c * d.sin()
}

#[test]
fn callee_with_tuple_result() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 140), uses_tuple_result, uses_tuple_result_grad, uses_tuple_result_jvp, uses_tuple_result_vjp; 0, 1);
}

/// A callee with an integer parameter.
#[differentiable]
fn nth_power_sum(x: f64, n: usize) -> f64 {
    let mut s = 0.0;
    for i in 1..=n {
        s += x.powi(i as i32);
    }
    s
}

#[differentiable]
fn calls_with_integer_args(x: f64, y: f64) -> f64 {
    let mut s = 0.0;
    for k in 0..3 {
        s += nth_power_sum(x * y, k + 1) * y;
    }
    s
}

#[test]
fn callee_with_integer_parameter() {
    check_scalars!(points::<f64>(2, 3, -1.2, 1.2, 87), calls_with_integer_args, calls_with_integer_args_grad, calls_with_integer_args_jvp, calls_with_integer_args_vjp; 0, 1);
}

// ---------------------------------------------------------------------------
// inherent methods

pub struct Model {
    pub k: f64,
    pub rest: f64,
    pub weights: Vec<f64>,
}

impl Model {
    #[differentiable]
    pub fn energy(#[no_grad] &self, x: &[f64]) -> f64 {
        let mut e = 0.0;
        for i in 0..x.len() {
            let d = x[i] - self.rest;
            e += 0.5 * self.k * d * d * self.weights[i];
        }
        e
    }

    /// Calls another differentiable method on `self`.
    #[differentiable]
    fn total(#[no_grad] &self, x: &[f64], s: f64) -> f64 {
        self.energy(x) * s + s * s + physics::spring(s, self.k)
    }
}

/// A method called on a `&Model` parameter from a free function.
#[differentiable]
fn energy_twice(#[no_grad] model: &Model, x: &[f64]) -> f64 {
    model.energy(x) * 2.0 + x[0]
}

fn model() -> Model {
    Model {
        k: 1.7,
        rest: 0.3,
        weights: vec![1.0, 0.5, 2.0, 1.5],
    }
}

#[test]
fn methods_from_outside() {
    let m = model();
    check_all(
        "Model::energy",
        &points::<f64>(4, 3, -2.0, 2.0, 88),
        |p| m.energy(p),
        |p| m.energy_grad(p),
        |p, d| m.energy_jvp(p, d),
        |p, w| {
            let mut g = zeros_like(p);
            let (v, ()) = m.energy_vjp(p, &mut g, w);
            (v, g)
        },
    );
    // closed form: dE/dx_i = k (x_i - rest) w_i
    let x = [0.5, -1.0, 1.2, 0.0];
    let (_, g) = m.energy_grad(&x);
    let want: Vec<f64> = (0..4)
        .map(|i| m.k * (x[i] - m.rest) * m.weights[i])
        .collect();
    assert_close_slice(&g, &want, "Model::energy gradient vs closed form");
}

#[test]
fn method_calling_method() {
    let m = model();
    let n = 4;
    check_all(
        "Model::total",
        &points::<f64>(n + 1, 3, -2.0, 2.0, 89),
        |p| m.total(&p[..n], p[n]),
        |p| {
            let (v, (gx, gs)) = m.total_grad(&p[..n], p[n]);
            (v, cat(&[&gx, &[gs]]))
        },
        |p, d| m.total_jvp(&p[..n], &d[..n], p[n], d[n]),
        |p, w| {
            let mut gx = zeros(n);
            let (v, gs) = m.total_vjp(&p[..n], &mut gx, p[n], w);
            (v, cat(&[&gx, &[gs]]))
        },
    );
}

#[test]
fn method_on_parameter() {
    let m = model();
    check_all(
        "energy_twice",
        &points::<f64>(4, 3, -2.0, 2.0, 90),
        |p| energy_twice(&m, p),
        |p| energy_twice_grad(&m, p),
        |p, d| energy_twice_jvp(&m, p, d),
        |p, w| {
            let mut g = zeros_like(p);
            let (v, ()) = energy_twice_vjp(&m, p, &mut g, w);
            (v, g)
        },
    );
}

// ---------------------------------------------------------------------------
// tape reuse through calls and methods

#[test]
fn tape_reuse_method() {
    let m = model();
    for x in points::<f64>(4, 3, -2.0, 2.0, 91) {
        let (v, tape) = m.energy_record(&x);
        assert_close(v, m.energy(&x), "energy_record value");
        report_tape("Model::energy(n=4)", tape.bytes());
        for w in [1.0, -0.5, 3.0] {
            let mut g1 = zeros(4);
            let () = Model::energy_pullback(&tape, &mut g1, w);
            let mut g2 = zeros(4);
            m.energy_vjp(&x, &mut g2, w);
            assert_close_slice(&g1, &g2, "Model::energy_pullback vs energy_vjp");
        }
    }
    let x = [0.1, 0.2, -0.3, 0.4];
    let (_, tape) = m.total_record(&x, 0.7);
    report_tape("Model::total(n=4)", tape.bytes());
    for w in [1.0, 2.0] {
        let mut g1 = zeros(4);
        let s1 = Model::total_pullback(&tape, &mut g1, w);
        let mut g2 = zeros(4);
        let (_, s2) = m.total_vjp(&x, &mut g2, 0.7, w);
        assert_close_slice(
            &cat(&[&g1, &[s1]]),
            &cat(&[&g2, &[s2]]),
            "Model::total_pullback vs total_vjp",
        );
    }
}

#[test]
fn tape_reuse_through_calls() {
    let n = 5;
    for p in points::<f64>(n + 1, 3, -1.5, 1.5, 92) {
        let (v, tape) = spring_chain_record(&p[..n], p[n]);
        assert_close(v, spring_chain(&p[..n], p[n]), "spring_chain_record value");
        report_tape("spring_chain(n=5)", tape.bytes());
        for w in [1.0, -1.5, 0.2] {
            let mut g1 = zeros(n);
            let k1 = spring_chain_pullback(&tape, &mut g1, w);
            let mut g2 = zeros(n);
            let (_, k2) = spring_chain_vjp(&p[..n], &mut g2, p[n], w);
            assert_close_slice(
                &cat(&[&g1, &[k1]]),
                &cat(&[&g2, &[k2]]),
                "spring_chain_pullback vs _vjp",
            );
        }
    }
}

// ---------------------------------------------------------------------------
// more call shapes: associated functions via `Self::`, `pub(crate)`,
// by-value array arguments and results, a callee defined after its caller

mod geometry {
    use leibniz::prelude::*;

    #[differentiable]
    pub(crate) fn norm3(v: [f64; 3]) -> f64 {
        (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt()
    }

    #[differentiable]
    pub(crate) fn scale3(v: [f64; 3], s: f64) -> [f64; 3] {
        let mut out = [0.0; 3];
        for i in 0..3 {
            out[i] = v[i] * s;
        }
        out
    }
}

/// A by-value array argument built locally.
#[differentiable]
fn uses_array_by_value(x: f64, y: f64) -> f64 {
    let mut v = [0.0; 3];
    v[0] = x;
    v[1] = y * x;
    v[2] = y.sin();
    geometry::norm3(v) * x + later_defined(y)
}

#[differentiable]
fn later_defined(y: f64) -> f64 {
    y.exp() * 0.25
}

#[test]
fn by_value_array_argument() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 130), uses_array_by_value, uses_array_by_value_grad, uses_array_by_value_jvp, uses_array_by_value_vjp; 0, 1);
}

/// A `[F; N]` result of a call, indexed.
#[differentiable]
fn uses_array_result(x: f64, s: f64) -> f64 {
    let mut v = [0.0; 3];
    v[0] = x;
    v[1] = x * x;
    v[2] = s;
    let w = geometry::scale3(v, s);
    w[0] + w[1] * w[2]
}

#[test]
fn array_result_of_call() {
    check_scalars!(points::<f64>(2, 4, -1.5, 1.5, 131), uses_array_result, uses_array_result_grad, uses_array_result_jvp, uses_array_result_vjp; 0, 1);
}

pub struct Spring {
    pub k: f64,
}

impl Spring {
    /// An associated function (no `self`): `associated` makes the generated
    /// functions call each other through `Self::`.
    #[differentiable(associated)]
    pub fn potential(x: f64, k: f64) -> f64 {
        0.5 * k * x * x
    }

    /// Calls it as `Self::potential`.
    #[differentiable]
    pub fn energy(#[no_grad] &self, x: f64, v: f64) -> f64 {
        Self::potential(x, self.k) + 0.5 * v * v
    }
}

#[test]
fn associated_function_via_self_path() {
    let s = Spring { k: 2.5 };
    check_all(
        "Spring::energy",
        &points::<f64>(2, 3, -1.5, 1.5, 132),
        |p| s.energy(p[0], p[1]),
        |p| {
            let (v, (gx, gv)) = s.energy_grad(p[0], p[1]);
            (v, vec![gx, gv])
        },
        |p, d| s.energy_jvp(p[0], d[0], p[1], d[1]),
        |p, w| {
            let (v, (gx, gv)) = s.energy_vjp(p[0], p[1], w);
            (v, vec![gx, gv])
        },
    );
    for x in [-1.0, 0.5, 2.0] {
        let (_, (gx, gk)) = Spring::potential_grad(x, 2.5);
        assert_close(gx, 2.5 * x, "Spring::potential d/dx");
        assert_close(gk, 0.5 * x * x, "Spring::potential d/dk");
    }
}
