//! Derivative bugs found by the property tests, each checked against
//! finite differences.

use leibniz::check;
use leibniz::prelude::*;

const C: f64 = 0.75;

/// A loop-carried variable that starts from a `const` item (whose type the
/// macro cannot see) and is reassigned a float in the loop.
#[differentiable]
fn const_carry(x: &[f64]) -> f64 {
    let mut s1 = 0.0;
    let mut s2 = C;
    for _i in 0..2 {
        s1 += s2 * s2;
        s2 = x[0];
    }
    s1
}

/// The same in nested loops and a `while`.
#[differentiable]
fn const_carry_nested(x: &[f64]) -> f64 {
    let mut s1 = 0.0;
    let mut s2 = C;
    for _i in 0..3 {
        for _j in 0..2 {
            s1 += s2 * s2;
            s2 = x[2];
        }
    }
    let mut k = 0;
    let mut s3 = C;
    while k < 3 {
        s1 += s3 * x[1];
        s3 = x[0] * s3;
        k += 1;
    }
    s1
}

#[test]
fn carried_from_const() {
    for x in [[0.5, 1.0, -0.5], [-1.2, 0.3, 0.8], [2.0, -0.7, 1.1]] {
        let (_, g) = const_carry_grad(&x);
        check::assert_gradient(|x| const_carry(x), &g, &x);
        let (_, g) = const_carry_nested_grad(&x);
        check::assert_gradient(|x| const_carry_nested(x), &g, &x);
        let v = [0.3, -0.2, 0.9];
        let (_, d) = const_carry_nested_jvp(&x, &v);
        let dir: f64 = g.iter().zip(&v).map(|(a, b)| a * b).sum();
        assert!((d - dir).abs() <= 1e-10 * (1.0 + dir.abs()), "jvp {d} vs <grad, v> {dir}");
    }
}

#[differentiable]
fn times(x: f64, c: f64) -> f64 {
    x * c.sin()
}

#[differentiable]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..a.len() {
        s += a[i] * b[i];
    }
    s
}

/// The same active value passed to two parameters of a call.
#[differentiable]
fn same_arg_twice(x: &[f64]) -> f64 {
    times(x[0], x[0]) + dot(x, x) * times(x[1], x[1])
}

#[test]
fn repeated_arguments() {
    for x in [[0.5, 1.0, -0.5], [-1.2, 0.3, 0.8]] {
        let (_, g) = same_arg_twice_grad(&x);
        check::assert_gradient(|x| same_arg_twice(x), &g, &x);
    }
}

// ----- found by review ---------------------------------------------------

const ZERO: f64 = 0.0;

/// Arrays filled from a constant of unknown type hold derivatives.
#[differentiable]
fn const_fill(x: &[f64]) -> f64 {
    let mut a = vec![ZERO; x.len()];
    for i in 0..x.len() {
        a[i] = x[i] * x[i];
    }
    let l = [ZERO, x[0], x[1]];
    let mut s = l[1] * l[2];
    for i in 0..x.len() {
        s += a[i];
    }
    s
}

struct Model {
    w: Vec<f64>,
    init: f64,
    k: f64,
}

impl Model {
    /// Methods of fields (`self.w.len()`), references to them, arrays filled
    /// from a field.
    #[differentiable]
    fn energy(#[no_grad] &self, x: &[f64]) -> f64 {
        let n = self.w.len();
        let w = &self.w;
        let mut a = vec![self.init; x.len()];
        let mut e = 0.0;
        for i in 0..n {
            a[i] = a[i] + x[i] * x[i];
            e += w[i] * a[i] * self.k;
        }
        e
    }
}

#[differentiable]
fn squares(x: &[f64], c: f64) -> Vec<f64> {
    let mut o = vec![0.0; x.len()];
    for i in 0..x.len() {
        o[i] = c * x[i] * x[i];
    }
    o
}

/// Local arrays (and array results of calls) created inside loops and
/// branches, and a call's array result returned directly.
#[differentiable]
fn arrays_in_regions(x: &[f64], n: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let t = vec![x[i] * s + 1.0; i + 1];
        s += t[i] * t[0];
        let r = squares(x, x[i]);
        s += r[i];
    }
    if s > 0.0 {
        let t = vec![x[1] * s; n * 2];
        s = t[0] * t[1];
    }
    s
}

#[differentiable]
fn squares_again(x: &[f64]) -> Vec<f64> {
    squares(x, 2.0)
}

/// An integer expression reading a `&mut` array.
#[differentiable]
fn scale_prefix(x: &mut [f64], k: usize, a: f64) {
    let m = k.min(x.len());
    for i in 0..m {
        x[i] = x[i] * a;
    }
}

/// Stepped ranges over `i64`, reversed without `ExactSizeIterator`.
#[differentiable]
fn stepped(x: &[f64], n: i64) -> f64 {
    let mut s = 0.0;
    for i in (0..n).step_by(2) {
        s += x[i as usize] * x[i as usize] * (i as f64 + 1.0);
    }
    for i in (1..=n).rev().step_by(3) {
        s = s * 0.5 + x[(i - 1) as usize].sin();
    }
    for i in (0..x.len()).step_by(2).rev() {
        s = s * x[i].cos();
    }
    s
}

/// A call hoisted out of a loop that runs zero times does not run.
#[differentiable]
fn first(x: &[f64]) -> f64 {
    x[0] * 2.0
}

#[differentiable]
fn uses_first(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * first(x);
    }
    s
}

/// A `const` item in a loop body that is lowered twice.
#[differentiable]
fn const_in_loop(x: &[f64]) -> f64 {
    let mut s = C;
    for _i in 0..2 {
        const K: f64 = 2.0;
        s = x[0] * K + s;
    }
    s
}

#[differentiable]
fn powf_zero(x: f64) -> f64 {
    x.powf(0.0) + x
}

thread_local! {
    static TICKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

fn tick() -> f64 {
    TICKS.with(|c| {
        c.set(c.get() + 1);
        c.get() as f64
    })
}

/// An impure call without arguments is neither hoisted nor recomputed.
#[differentiable]
fn noisy(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        let c = tick();
        s += x[i] * c;
    }
    s
}

#[test]
fn review_findings() {
    let pts = [[0.7, -0.3, 1.2], [-0.4, 0.9, 0.5], [1.1, 0.2, -0.8]];
    let m = Model { w: vec![0.5, -1.0, 2.0], init: 0.3, k: 1.5 };
    for x in pts {
        let (_, g) = const_fill_grad(&x);
        check::assert_gradient(|x| const_fill(x), &g, &x);
        let (_, g) = m.energy_grad(&x);
        check::assert_gradient(|x| m.energy(x), &g, &x);
        let (_, g) = arrays_in_regions_grad(&x, 2);
        check::assert_gradient(|x| arrays_in_regions(x, 2), &g, &x);
        let (_, g) = stepped_grad(&x, 3);
        check::assert_gradient(|x| stepped(x, 3), &g, &x);
        let (_, g) = uses_first_grad(&x);
        check::assert_gradient(|x| uses_first(x), &g, &x);
        let (_, g) = const_in_loop_grad(&x);
        check::assert_gradient(|x| const_in_loop(x), &g, &x);
        check::assert_dot_product(
            |v: &[f64]| squares_again_jvp(&x, v).1,
            |w: &[f64]| {
                let mut g = vec![0.0; 3];
                squares_again_vjp(&x, &mut g, w.to_vec());
                g
            },
            3,
            3,
            7,
        );
        let jac = check::fd_jacobian(|z: &[f64]| squares_again(z), &x);
        let mut rows = Vec::new();
        for i in 0..3 {
            let mut g = vec![0.0; 3];
            let mut w = vec![0.0; 3];
            w[i] = 1.0;
            squares_again_vjp(&x, &mut g, w);
            rows.push(g);
        }
        check::check_jacobian(|z: &[f64]| squares_again(z), &rows, &x).unwrap();
        assert_eq!(jac.len(), 3);
        // in/out array with an integer bound read from it
        let scale = |z: &[f64]| {
            let mut y = z[..3].to_vec();
            scale_prefix(&mut y, 2, z[3]);
            y
        };
        let z = [x[0], x[1], x[2], 1.7];
        let mut rows = Vec::new();
        for i in 0..3 {
            let mut y = z[..3].to_vec();
            let mut gy = vec![0.0; 3];
            gy[i] = 1.0;
            let ga = scale_prefix_vjp(&mut y, &mut gy, 2, z[3]);
            gy.push(ga);
            rows.push(gy);
        }
        check::check_jacobian(scale, &rows, &z).unwrap();
        // the impure call: derivative with the same sequence of ticks
        TICKS.with(|c| c.set(0));
        let (v, g) = noisy_grad(&x);
        TICKS.with(|c| c.set(0));
        let expect = noisy(&x);
        assert!((v - expect).abs() < 1e-12, "value {v} vs primal {expect}");
        let fd = check::fd_gradient(
            |z: &[f64]| {
                TICKS.with(|c| c.set(0));
                noisy(z)
            },
            &x,
        );
        check::check_gradient(|z: &[f64]| z.iter().zip(&fd).map(|(a, b)| a * b).sum::<f64>(), &g, &x).unwrap();
    }
    // an empty input: the hoisted call must not run
    let (v, g) = uses_first_grad(&[]);
    assert!(v == 0.0 && g.is_empty());
    // a^0 has derivative 0 at a = 0
    let d = powf_zero_derivative(0.0);
    assert!((d - 1.0).abs() < 1e-15, "{d}");
}

// ----- `#[no_grad]` fields of derived structs (repros #8) -----------------
//
// No derivative flows through a `#[no_grad]` field, whatever the tangent or
// shadow holds there: each check is against finite differences of the
// function with the field's value frozen at the point, and between modes.

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Q8 {
    pub m: f64,
    #[no_grad]
    pub c: f64,
}

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct P2 {
    pub x: f64,
    pub y: f64,
}

/// A nested struct marked `#[no_grad]`, next to an active one.
#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Body8 {
    pub at: P2,
    #[no_grad]
    pub anchor: P2,
    pub w: f64,
}

/// A tuple struct with a `#[no_grad]` field.
#[derive(Clone, Copy, Debug, Differentiable)]
pub struct W8(pub f64, #[no_grad] pub f64);

#[differentiable]
fn ng_by_value(q: Q8, t: f64) -> f64 {
    q.m * t * t + q.c * t + q.m * q.c
}

#[differentiable]
fn ng_by_ref(q: &Q8) -> f64 {
    q.m.sin() * q.c + q.c * q.c
}

/// Writes to the `#[no_grad]` field, then reads it.
#[differentiable]
fn ng_in_out(q: &mut Q8) {
    q.c = q.m * 3.0;
    q.m = q.m * q.c + q.c;
}

#[differentiable]
fn ng_slice(qs: &[Q8]) -> f64 {
    let mut s = 0.0;
    for i in 0..qs.len() {
        s += qs[i].m * qs[i].c;
    }
    for q in qs {
        s += q.c * q.c * q.m;
    }
    s
}

#[differentiable]
fn ng_nested(b: &Body8, s: f64) -> f64 {
    let d = b.at.x - b.anchor.x;
    let e = b.at.y * b.anchor.y;
    b.w * (d * d + e) * s
}

#[differentiable]
fn ng_tuple(w: W8, x: f64) -> W8 {
    let u = W8(w.0 * x, w.1 * x);
    W8(u.0 + u.1, u.1 * u.0)
}

/// A local built from active values, then its `#[no_grad]` field updated.
#[differentiable]
fn ng_local(x: &[f64]) -> f64 {
    let mut q = Q8 { m: x[0] * x[1], c: x[1] };
    q.c = q.c * x[0];
    let b = Body8 { at: P2 { x: x[0], y: q.c }, anchor: P2 { x: q.m, y: x[1] }, w: q.m };
    ng_nested(&b, q.c) + q.m * q.c
}

#[test]
fn no_grad_fields() {
    let pts = [[0.7, -0.3], [-0.4, 0.9], [1.1, 0.2]];
    for p in pts {
        let (m0, c0) = (p[0], p[1]);
        let t = 0.8;
        // by value: gradient against finite differences in (m, t), the
        // adjoint's `c` is zero, the tangent's `c` is ignored
        let (v, (gq, gt)) = ng_by_value_grad(Q8 { m: m0, c: c0 }, t);
        assert_eq!(v, ng_by_value(Q8 { m: m0, c: c0 }, t));
        assert_eq!(gq.c, 0.0);
        check::assert_gradient(|z: &[f64]| ng_by_value(Q8 { m: z[0], c: c0 }, z[1]), &[gq.m, gt], &[m0, t]);
        let (_, d) = ng_by_value_jvp(Q8 { m: m0, c: c0 }, Q8 { m: 0.5, c: 7.0 }, t, -0.25);
        assert!((d - (0.5 * gq.m - 0.25 * gt)).abs() < 1e-12, "{d}");
        let (_, (vq, vt)) = ng_by_value_vjp(Q8 { m: m0, c: c0 }, t, 2.0);
        assert!((vq.m - 2.0 * gq.m).abs() < 1e-12 && (vt - 2.0 * gt).abs() < 1e-12 && vq.c == 0.0);

        // by reference: a shadow holding a value in `c` keeps it unchanged
        let (_, g) = ng_by_ref_grad(&Q8 { m: m0, c: c0 });
        assert_eq!(g.c, 0.0);
        check::assert_gradient(|z: &[f64]| ng_by_ref(&Q8 { m: z[0], c: c0 }), &[g.m], &[m0]);
        let (_, d) = ng_by_ref_jvp(&Q8 { m: m0, c: c0 }, &Q8 { m: 1.0, c: 5.0 });
        assert!((d - g.m).abs() < 1e-12, "{d} vs {}", g.m);
        // second order: the Hessian-vector product against finite
        // differences of the gradient (`c` frozen, the direction's `c` ignored)
        let (_, _, hv) = ng_by_ref_hvp(&Q8 { m: m0, c: c0 }, &Q8 { m: 1.0, c: 2.0 });
        let h = 1e-5;
        let gm = |m: f64| ng_by_ref_grad(&Q8 { m, c: c0 }).1.m;
        let fd = (gm(m0 + h) - gm(m0 - h)) / (2.0 * h);
        assert!((hv.m - fd).abs() < 1e-6 && hv.c == 0.0, "{hv:?} vs {fd}");
        let mut sh = Q8 { m: 0.0, c: 4.0 };
        ng_by_ref_vjp(&Q8 { m: m0, c: c0 }, &mut sh, 1.0);
        assert!((sh.m - g.m).abs() < 1e-12 && sh.c == 4.0, "{sh:?}");

        // in/out: `c` is assigned from `m` but carries nothing
        let frozen = |z: &[f64]| {
            let c = m0 * 3.0;
            vec![z[0] * c + c]
        };
        let mut q = Q8 { m: m0, c: c0 };
        let mut dq = Q8 { m: 1.0, c: -3.0 };
        ng_in_out_jvp(&mut q, &mut dq);
        let fd = check::fd_jacobian(frozen, &[m0]);
        assert!((dq.m - fd[0][0]).abs() < 1e-6, "{} vs {}", dq.m, fd[0][0]);
        let mut q = Q8 { m: m0, c: c0 };
        let mut bq = Q8 { m: 1.0, c: 9.0 };
        ng_in_out_vjp(&mut q, &mut bq);
        assert!((bq.m - fd[0][0]).abs() < 1e-6, "{} vs {}", bq.m, fd[0][0]);

        // slices: tangent and shadow `c`s hold values
        let qs = |z: &[f64]| vec![Q8 { m: z[0], c: c0 }, Q8 { m: z[1], c: m0 }];
        let z = [m0, c0];
        let (_, g) = ng_slice_grad(&qs(&z));
        check::assert_gradient(|z: &[f64]| ng_slice(&qs(z)), &[g[0].m, g[1].m], &z);
        assert!(g.iter().all(|q| q.c == 0.0));
        let (_, d) = ng_slice_jvp(&qs(&z), &[Q8 { m: 1.0, c: 2.0 }, Q8 { m: -0.5, c: 3.0 }]);
        assert!((d - (g[0].m - 0.5 * g[1].m)).abs() < 1e-12);

        // nested `#[no_grad]` struct
        let body = |z: &[f64]| Body8 { at: P2 { x: z[0], y: z[1] }, anchor: P2 { x: c0, y: m0 }, w: z[2] };
        let z = [m0, c0, 1.3, 0.6];
        let (_, (gb, gs)) = ng_nested_grad(&body(&z), z[3]);
        assert!(gb.anchor.x == 0.0 && gb.anchor.y == 0.0);
        check::assert_gradient(|z: &[f64]| ng_nested(&body(z), z[3]), &[gb.at.x, gb.at.y, gb.w, gs], &z);
        let tb = Body8 { at: P2 { x: 0.3, y: -0.2 }, anchor: P2 { x: 5.0, y: 6.0 }, w: 0.1 };
        let (_, d) = ng_nested_jvp(&body(&z), &tb, z[3], 0.7);
        let want = 0.3 * gb.at.x - 0.2 * gb.at.y + 0.1 * gb.w + 0.7 * gs;
        assert!((d - want).abs() < 1e-12, "{d} vs {want}");

        // tuple struct result: its `#[no_grad]` field `.1` carries no
        // derivative (`u.1` is frozen too); finite differences of the frozen
        // first output
        let w = W8(m0, c0);
        let x = 0.9;
        let frozen = |z: &[f64]| vec![z[0] * z[1] + c0 * x];
        let fd = check::fd_jacobian(frozen, &[m0, x]);
        for (col, (dw, dx)) in [(1.0, 0.0), (0.0, 1.0)].into_iter().enumerate() {
            let (_, t) = ng_tuple_jvp(w, W8(dw, 11.0), x, dx);
            assert!((t.0 - fd[0][col]).abs() < 1e-6 && t.1 == 0.0, "{t:?} vs {fd:?}");
        }
        let (_, (gw, gx)) = ng_tuple_vjp(w, x, W8(1.0, 8.0));
        assert!((gw.0 - fd[0][0]).abs() < 1e-6 && (gx - fd[0][1]).abs() < 1e-6 && gw.1 == 0.0, "{gw:?} {gx} vs {fd:?}");
        let (_, (gw, gx)) = ng_tuple_vjp(w, x, W8(0.0, 1.0));
        assert!(gw.0 == 0.0 && gw.1 == 0.0 && gx == 0.0, "{gw:?} {gx}");

        // a local with a `#[no_grad]` field updated, passed on by reference:
        // both modes agree (the dot-product test)
        let z = [m0, c0];
        check::assert_dot_product(
            |v: &[f64]| vec![ng_local_jvp(&z, v).1],
            |w: &[f64]| {
                let mut g = vec![0.0; 2];
                ng_local_vjp(&z, &mut g, w[0]);
                g
            },
            2,
            1,
            11,
        );
        // and against the function with the `#[no_grad]` values frozen
        let frozen = |y: &[f64]| {
            let qm = y[0] * y[1];
            let qc = z[1] * z[0];
            let (bm, bc) = (z[0] * z[1], z[1] * z[0]);
            let d = y[0] - bm;
            let e = qc * z[1];
            qm * (d * d + e) * qc + qm * bc
        };
        let (_, g) = ng_local_grad(&z);
        check::assert_gradient(frozen, &g, &z);
    }
}

// ----- local fixed-size arrays passed by `&` to a differentiable callee ---
// (repros #10: the snapshot was pushed as one value and popped as a slice)

#[differentiable]
fn sum_sq(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() {
        s += x[i] * x[i];
    }
    s
}

#[differentiable]
fn prod2(x: &[f64; 2]) -> f64 {
    x[0] * x[1]
}

/// Array literal, `[0.0; N]` then writes, a row of a nested array, and the
/// array changed after the call (its snapshot is what the callee saw).
#[differentiable]
fn local_arrays_by_ref(p: &[f64]) -> f64 {
    let s = [p[0] * 2.0, p[1]];
    let mut t = [0.0; 2];
    t[0] = p[0] * p[1];
    t[1] = p[1].sin();
    let a = sum_sq(&s) + prod2(&t);
    t[0] = a;
    let mut m = [[0.0; 2]; 2];
    m[1][0] = p[0];
    m[1][1] = t[0] * p[1];
    let b = prod2(&m[1]) * sum_sq(&t);
    m[1][1] = b;
    a * b + sum_sq(&m[1])
}

#[test]
fn local_arrays_to_callees() {
    for x in [[0.3, 0.7], [-0.5, 1.1], [0.9, -0.4]] {
        let (v, g) = local_arrays_by_ref_grad(&x);
        assert_eq!(v, local_arrays_by_ref(&x));
        check::assert_gradient(|z: &[f64]| local_arrays_by_ref(z), &g, &x);
        check::assert_dot_product(
            |v: &[f64]| vec![local_arrays_by_ref_jvp(&x, v).1],
            |w: &[f64]| {
                let mut g = vec![0.0; 2];
                local_arrays_by_ref_vjp(&x, &mut g, w[0]);
                g
            },
            2,
            1,
            21,
        );
    }
}

// ----- local vectors grown by `push`, moved, cloned, collected -------------
// (repros #2: the adjoint was sized from the empty initial vector; #1: the
// adjoint of a copy was sized from a local the backward sweep lacks)

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Pt {
    pub x: f64,
    pub y: f64,
}

#[differentiable]
fn push_two(x: &[f64]) -> f64 {
    let mut v = Vec::new();
    v.push(x[0] * x[0]);
    v.push(x[1] * x[1]);
    v[0] + v[1]
}

/// `vec![..]` then pushes, in a branch and in a loop.
#[differentiable]
fn push_after_fill(x: &[f64]) -> f64 {
    let mut v = vec![x[0]; 2];
    for i in 1..x.len() {
        if x[i] > 0.0 {
            v.push(x[i] * v[i - 1]);
        } else {
            v.push(x[i].sin());
        }
    }
    let mut s = 0.0;
    for i in 0..v.len() {
        s += v[i] * (i as f64 + 1.0);
    }
    s
}

#[differentiable]
fn moved_and_cloned(x: &[f64]) -> f64 {
    let mut v = Vec::with_capacity(2);
    v.push(x[0] * x[1]);
    v.push(x[1]);
    let w = v;
    let mut u = w.clone();
    u.push(w[0] * x[0]);
    let c: Vec<f64> = u.iter().map(|a| a * a).collect();
    let d = x.iter().map(|a| a.exp()).collect::<Vec<f64>>();
    let e = d;
    c[0] * w[1] + u[2] + c[2] * e[1]
}

/// A vector of structs built by `push`, returned.
#[differentiable]
fn pushed_structs(x: &[f64]) -> Vec<Pt> {
    let mut v: Vec<Pt> = Vec::new();
    for i in 0..x.len() - 1 {
        v.push(Pt { x: x[i] * x[i + 1], y: x[i].cos() });
    }
    v
}

#[test]
fn pushed_and_copied_vectors() {
    for x in [[0.3, 0.7, -0.2], [-0.5, 1.1, 0.8], [0.9, -0.4, 0.6]] {
        for (name, f, g) in [
            ("push_two", push_two as fn(&[f64]) -> f64, push_two_grad as fn(&[f64]) -> (f64, Vec<f64>)),
            ("push_after_fill", push_after_fill, push_after_fill_grad),
            ("moved_and_cloned", moved_and_cloned, moved_and_cloned_grad),
        ] {
            let (v, grad) = g(&x);
            assert_eq!(v, f(&x), "{name}");
            check::assert_gradient(f, &grad, &x);
        }
        check::assert_dot_product(
            |v: &[f64]| vec![push_after_fill_jvp(&x, v).1],
            |w: &[f64]| {
                let mut g = vec![0.0; 3];
                push_after_fill_vjp(&x, &mut g, w[0]);
                g
            },
            3,
            1,
            31,
        );
        check::assert_dot_product(
            |v: &[f64]| vec![moved_and_cloned_jvp(&x, v).1],
            |w: &[f64]| {
                let mut g = vec![0.0; 3];
                moved_and_cloned_vjp(&x, &mut g, w[0]);
                g
            },
            3,
            1,
            32,
        );
        // a Vec of structs result: every row of the Jacobian against finite
        // differences, and the dot-product test
        let flat = |z: &[f64]| pushed_structs(z).iter().flat_map(|p| [p.x, p.y]).collect::<Vec<f64>>();
        let mut rows = Vec::new();
        for i in 0..4 {
            let mut w = vec![Pt { x: 0.0, y: 0.0 }; 2];
            if i % 2 == 0 { w[i / 2].x = 1.0 } else { w[i / 2].y = 1.0 }
            let mut g = vec![0.0; 3];
            pushed_structs_vjp(&x, &mut g, w);
            rows.push(g);
        }
        check::check_jacobian(flat, &rows, &x).unwrap();
        check::assert_dot_product(
            |v: &[f64]| pushed_structs_jvp(&x, v).1.iter().flat_map(|p| [p.x, p.y]).collect(),
            |w: &[f64]| {
                let mut g = vec![0.0; 3];
                pushed_structs_vjp(&x, &mut g, vec![Pt { x: w[0], y: w[1] }, Pt { x: w[2], y: w[3] }]);
                g
            },
            3,
            4,
            33,
        );
    }
}

// ----- `&self` methods called on struct values (repros #4) ---------------

#[differentiable]
impl Pt {
    fn n2(&self) -> f64 {
        self.x * self.x + self.y * self.y
    }
    fn scaled(self, s: f64) -> Pt {
        Pt { x: self.x * s, y: self.y * s }
    }
    fn dot(&self, o: &Pt) -> f64 {
        self.x * o.x + self.y * o.y
    }
}

/// A by-value parameter, a local, a temporary and a chain as receivers.
#[differentiable]
fn receivers(v: Pt, s: f64) -> f64 {
    let w = Pt { x: v.x * s, y: v.y + s };
    let a = v.n2() + w.n2() * s;
    let b = v.scaled(s).n2() + w.dot(&v.scaled(2.0));
    let c = w.scaled(0.5).scaled(s).dot(&w);
    a * b + c
}

#[test]
fn methods_on_values() {
    for p in [[0.3, -0.8, 1.3], [-0.5, 0.4, 0.7], [1.1, 0.9, -0.6]] {
        let f = |z: &[f64]| receivers(Pt { x: z[0], y: z[1] }, z[2]);
        let (v, (gv, gs)) = receivers_grad(Pt { x: p[0], y: p[1] }, p[2]);
        assert_eq!(v, f(&p));
        let g = [gv.x, gv.y, gs];
        check::assert_gradient(f, &g, &p);
        check::assert_dot_product(
            |d: &[f64]| vec![receivers_jvp(Pt { x: p[0], y: p[1] }, Pt { x: d[0], y: d[1] }, p[2], d[2]).1],
            |w: &[f64]| {
                let (_, (a, b)) = receivers_vjp(Pt { x: p[0], y: p[1] }, p[2], w[0]);
                vec![a.x, a.y, b]
            },
            3,
            1,
            41,
        );
    }
}

// ----- float methods where the signature names no float type (repros #5) --

#[differentiable]
impl Pt {
    /// A user method named like a float method: kept.
    fn abs(self) -> Pt {
        Pt { x: self.x.abs(), y: self.y.abs() }
    }
}

/// In place: `.sqrt()` of a sum of fields, of an annotated local, of a
/// field, and a user `abs` on a struct value.
#[differentiable]
fn unit_in_place(a: &mut Pt) {
    let n = (a.x * a.x + a.y * a.y).sqrt();
    a.x /= n;
    let s: f64 = a.y * a.y + 1.0;
    let b = a.abs();
    a.y = s.sqrt() * a.x.sin() + b.y.exp();
}

/// Struct to struct, in a loop (values popped from the tape have no named
/// type: reverse mode and second order need type witnesses).
#[differentiable]
fn struct_to_struct(a: Pt) -> Pt {
    let mut p = a;
    for _ in 0..3 {
        let r = (p.x * p.x + p.y * p.y).sqrt();
        p = Pt { x: p.x / r + p.y.cos(), y: p.y.tanh() * r.ln() };
    }
    p
}

#[test]
fn float_methods_without_float_type() {
    for z in [[0.3, 0.8], [-0.6, 0.45], [1.2, -0.7]] {
        let run = |z: &[f64]| {
            let mut a = Pt { x: z[0], y: z[1] };
            unit_in_place(&mut a);
            vec![a.x, a.y]
        };
        let run2 = |z: &[f64]| {
            let p = struct_to_struct(Pt { x: z[0], y: z[1] });
            vec![p.x, p.y]
        };
        let mut rows = Vec::new();
        let mut rows2 = Vec::new();
        for i in 0..2 {
            let mut a = Pt { x: z[0], y: z[1] };
            let mut g = Pt { x: (i == 0) as i32 as f64, y: (i == 1) as i32 as f64 };
            unit_in_place_vjp(&mut a, &mut g);
            rows.push(vec![g.x, g.y]);
            let (_, g) = struct_to_struct_vjp(Pt { x: z[0], y: z[1] }, Pt { x: (i == 0) as i32 as f64, y: (i == 1) as i32 as f64 });
            rows2.push(vec![g.x, g.y]);
        }
        check::check_jacobian(run, &rows, &z).unwrap();
        check::check_jacobian(run2, &rows2, &z).unwrap();
        // forward mode: columns of the same Jacobian
        for j in 0..2 {
            let mut a = Pt { x: z[0], y: z[1] };
            let mut d = Pt { x: (j == 0) as i32 as f64, y: (j == 1) as i32 as f64 };
            unit_in_place_jvp(&mut a, &mut d);
            assert!((d.x - rows[0][j]).abs() < 1e-9 && (d.y - rows[1][j]).abs() < 1e-9);
            let (_, t) = struct_to_struct_jvp(Pt { x: z[0], y: z[1] }, Pt { x: (j == 0) as i32 as f64, y: (j == 1) as i32 as f64 });
            assert!((t.x - rows2[0][j]).abs() < 1e-9 && (t.y - rows2[1][j]).abs() < 1e-9);
        }
    }
}

// ----- `as` casts to floats of values of unseen types (repros #6) ---------

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Counted {
    pub m: f64,
    pub w: f32,
    pub id: usize,
    pub k: i32,
}

#[differentiable]
fn count_of(c: &Counted) -> usize {
    c.id + 1
}

/// Integer fields (by reference and by value), a float field of another
/// float type, and a call result, cast with `as`.
#[differentiable]
fn casts(c: &Counted, d: Counted, x: f64) -> f64 {
    let a = c.m * c.id as f64 + d.k as f64 * x;
    let b = (d.w as f64) * x * x + c.w as f64;
    let n = count_of(c) as f64;
    a * b + n * d.m + (d.id as f64).sqrt() * x
}

#[test]
fn casts_of_unseen_types() {
    let mk = |z: &[f64], id: usize, k: i32| Counted { m: z[0], w: z[1] as f32, id, k };
    for z in [[0.3, 0.8, -0.4, 1.2, 0.7], [-0.6, 0.45, 0.9, -0.3, 1.1], [1.2, -0.7, 0.2, 0.5, -0.9]] {
        let (c, d) = (mk(&z[0..2], 3, -2), mk(&z[2..4], 5, 4));
        let x = z[4];
        // the gradient over the float fields (`w` as f32: the finite
        // differences go through f32, so only `m` and `x` are compared)
        let f = |y: &[f64]| casts(&Counted { m: y[0], ..c }, Counted { m: y[1], ..d }, y[2]);
        let (v, (gc, gd, gx)) = casts_grad(&c, d, x);
        assert_eq!(v, casts(&c, d, x));
        check::assert_gradient(f, &[gc.m, gd.m, gx], &[c.m, d.m, x]);
        // the f32 fields against the analytic derivative (`a`·d`b`/d`w`)
        let a = c.m * c.id as f64 + d.k as f64 * x;
        assert!((gd.w as f64 - a * x * x).abs() < 1e-4 * (1.0 + (a * x * x).abs()), "{} vs {}", gd.w, a * x * x);
        assert!((gc.w as f64 - a).abs() < 1e-4 * (1.0 + a.abs()), "{} vs {}", gc.w, a);
        // forward mode: tangents holding values in the integer fields
        // (the natural way to write them) carry nothing there
        let tc = Counted { m: 1.0, w: 0.5, id: 3, k: -2 };
        let td = Counted { m: -0.5, w: 0.25, id: 5, k: 4 };
        let (_, dv) = casts_jvp(&c, &tc, d, td, x, 0.3);
        let want = gc.m - 0.5 * gd.m + 0.3 * gx + 0.5 * gc.w as f64 + 0.25 * gd.w as f64;
        assert!((dv - want).abs() < 1e-5 * (1.0 + want.abs()), "{dv} vs {want}");
        // second order: the Hessian-vector product against finite
        // differences of the gradient
        let (_, _, hv) = casts_hvp(&c, &tc, d, td, x, 0.3);
        let h = 1e-5;
        let g = |s: f64| {
            let c2 = Counted { m: c.m + s, w: c.w + 0.5 * s as f32, ..c };
            let d2 = Counted { m: d.m - 0.5 * s, w: d.w + 0.25 * s as f32, ..d };
            let (_, (a, b, x)) = casts_grad(&c2, d2, x + 0.3 * s);
            [a.m, b.m, x]
        };
        let (p, m) = (g(h), g(-h));
        let fd = [(p[0] - m[0]) / (2.0 * h), (p[1] - m[1]) / (2.0 * h), (p[2] - m[2]) / (2.0 * h)];
        let got = [hv.0.m, hv.1.m, hv.2];
        for k in 0..3 {
            assert!((got[k] - fd[k]).abs() < 1e-2 * (1.0 + fd[k].abs()), "hvp {got:?} vs {fd:?}");
        }
    }
}

// ----- `chunks_mut` / `chunks_exact_mut` loops (repros #3) ----------------

/// Blocks of an output zipped with blocks of an input, the elements of a
/// block written through `iter_mut`, a local vector's blocks, `rev`.
#[differentiable]
fn blocks_mut(x: &[f64], out: &mut [f64]) {
    for (c, xs) in out.chunks_mut(2).zip(x.chunks(2)) {
        for (o, v) in c.iter_mut().zip(xs) {
            *o = *o * v + v.sin();
        }
    }
    let mut tmp = vec![0.0; x.len()];
    for (k, c) in tmp.chunks_exact_mut(2).enumerate() {
        c[0] = x[2 * k] * out[2 * k];
        c[1] = c[0] + x[2 * k + 1];
    }
    for c in out.chunks_exact_mut(2).rev() {
        c[1] *= tmp[0] + c[0];
    }
}

#[test]
fn chunks_mut_loops() {
    for z in [[0.3, 0.8, -0.4, 1.2, 0.5, -0.2, 0.9, 0.1], [-0.6, 0.45, 0.9, -0.3, 1.1, 0.7, -0.5, 0.3], [1.2, -0.7, 0.2, 0.5, -0.9, 0.4, 0.6, -1.0]] {
        let run = |z: &[f64]| {
            let mut out = z[4..].to_vec();
            blocks_mut(&z[..4], &mut out);
            out
        };
        let mut rows = Vec::new();
        for i in 0..4 {
            let mut out = z[4..].to_vec();
            let mut gx = vec![0.0; 4];
            let mut go = vec![0.0; 4];
            go[i] = 1.0;
            blocks_mut_vjp(&z[..4], &mut gx, &mut out, &mut go);
            rows.push(cat(&[&gx, &go]));
        }
        check::check_jacobian(run, &rows, &z).unwrap();
        check::assert_dot_product(
            |v: &[f64]| {
                let mut out = z[4..].to_vec();
                let mut dout = v[4..].to_vec();
                blocks_mut_jvp(&z[..4], &v[..4], &mut out, &mut dout);
                dout
            },
            |w: &[f64]| {
                let mut out = z[4..].to_vec();
                let mut gx = vec![0.0; 4];
                let mut go = w.to_vec();
                blocks_mut_vjp(&z[..4], &mut gx, &mut out, &mut go);
                cat(&[&gx, &go])
            },
            8,
            4,
            51,
        );
    }
}

fn cat(parts: &[&[f64]]) -> Vec<f64> {
    parts.concat()
}

// ----- second order through snapshots of locals passed by `&` -------------
// (found with repros #4/#10: the forward sweep with tangents pushed the
// snapshot's tangent, the backward sweep with tangents did not pop it)

/// A local `Vec`, a fixed array, a temporary of a by-value struct and a
/// sub-slice of a local, each passed by `&` to a differentiable callee.
#[differentiable]
fn snapshots(x: &[f64], p: Pt) -> f64 {
    let w = vec![x[0], x[1] * p.x];
    let a = [x[1], p.y];
    let b = sum_sq(&w) * x[0] + prod2(&a) * p.x;
    let c = Pt::n2(&p) * b + p.scaled(x[0]).n2();
    let v = vec![x[0] * x[1], c, p.y];
    c * sum_sq(&v[1..]) + sum_sq(&w)
}

#[test]
fn second_order_through_snapshots() {
    for z in [[0.3, -0.8, 0.5, 0.4], [-0.6, 0.45, 0.9, -0.3], [1.2, -0.7, 0.2, 0.5]] {
        let grad = |z: &[f64]| {
            let (_, (gx, gp)) = snapshots_grad(&z[..2], Pt { x: z[2], y: z[3] });
            vec![gx[0], gx[1], gp.x, gp.y]
        };
        let (v, _) = snapshots_grad(&z[..2], Pt { x: z[2], y: z[3] });
        assert_eq!(v, snapshots(&z[..2], Pt { x: z[2], y: z[3] }));
        check::assert_gradient(|z: &[f64]| snapshots(&z[..2], Pt { x: z[2], y: z[3] }), &grad(&z), &z);
        for j in 0..4 {
            let mut e = [0.0; 4];
            e[j] = 1.0;
            let (_, (gx, gp), (hx, hp)) = snapshots_hvp(&z[..2], &e[..2], Pt { x: z[2], y: z[3] }, Pt { x: e[2], y: e[3] });
            assert_eq!(vec![gx[0], gx[1], gp.x, gp.y], grad(&z));
            let h = 1e-5;
            let mut zp = z;
            let mut zm = z;
            zp[j] += h;
            zm[j] -= h;
            let (gp_, gm_) = (grad(&zp), grad(&zm));
            let hv = [hx[0], hx[1], hp.x, hp.y];
            for k in 0..4 {
                let fd = (gp_[k] - gm_[k]) / (2.0 * h);
                assert!((hv[k] - fd).abs() < 1e-5 * (1.0 + fd.abs()), "column {j}: {hv:?} vs finite differences ({k}: {fd})");
            }
        }
    }
}

// ---- `&mut y` of a local scalar passed to a `&mut f64` output ----------
// (Enzyme's ADBench ports write results through `&mut f64`.) The local is
// read back after the call in every mode; before, derivatives saw the
// value from before the call.

#[differentiable]
fn square_into(x: f64, out: &mut f64) {
    *out = x * x;
}

#[differentiable]
fn add_scaled_into(x: f64, k: f64, acc: &mut f64) {
    *acc += k * x.sin();
}

#[differentiable]
fn local_out(x: &[f64]) -> f64 {
    let mut y = 0.0;
    square_into(x[0], &mut y);
    let mut acc = x[1];
    for i in 0..x.len() {
        add_scaled_into(x[i], y, &mut acc);
        if x[i] > 0.0 {
            square_into(acc, &mut acc.clone());
            let mut t = acc;
            square_into(t * x[i], &mut t);
            acc = acc + t;
        }
    }
    y * 3.0 + acc
}

/// A method call receiving `&mut` of a local.
#[derive(Clone, leibniz::Differentiable)]
struct Scaler {
    k: f64,
}

impl Scaler {
    #[differentiable]
    fn apply(&self, x: f64, out: &mut f64) {
        *out = self.k * x.exp() + *out;
    }
}

#[differentiable]
fn method_out(s: &Scaler, x: f64) -> f64 {
    let mut y = x;
    s.apply(x * x, &mut y);
    y * y
}

#[test]
fn mut_local_outputs() {
    for x in [&[0.5, 1.0, -0.5][..], &[-1.2, 0.3, 0.8], &[0.9, -0.7, 1.1, 0.2]] {
        let x = x.to_vec();
        let (v, g) = local_out_grad(&x);
        assert_eq!(v, local_out(&x));
        check::assert_gradient(|x| local_out(x), &g, &x);
        let dir: Vec<f64> = (0..x.len()).map(|i| 0.3 - 0.2 * i as f64).collect();
        let (_, d) = local_out_jvp(&x, &dir);
        let want: f64 = g.iter().zip(&dir).map(|(a, b)| a * b).sum();
        assert!((d - want).abs() <= 1e-10 * (1.0 + want.abs()), "jvp {d} vs <grad, v> {want}");
    }
    let s = Scaler { k: 0.7 };
    for x in [0.3, -1.1, 0.8] {
        let (v, (gs, g)) = method_out_grad(&s, x);
        assert_eq!(v, method_out(&s, x));
        let fd = (method_out(&s, x + 1e-6) - method_out(&s, x - 1e-6)) / 2e-6;
        assert!((g - fd).abs() <= 1e-6 * (1.0 + fd.abs()), "grad {g} vs fd {fd}");
        let (sp, sm) = (Scaler { k: s.k + 1e-6 }, Scaler { k: s.k - 1e-6 });
        let fdk = (method_out(&sp, x) - method_out(&sm, x)) / 2e-6;
        assert!((gs.k - fdk).abs() <= 1e-6 * (1.0 + fdk.abs()), "d/dk {} vs fd {fdk}", gs.k);
        let zero = Scaler { k: 0.0 };
        let (_, d) = method_out_jvp(&s, &zero, x, 1.0);
        assert!((d - g).abs() <= 1e-12 * (1.0 + g.abs()));
    }
}

// ---- views reassigned in loops (`rest = &rest[1..]`) ----------------------
// A view of a view is one range of the storage, so a view a loop narrows
// keeps one shape; Rust's bound check of the inner range is kept.

#[differentiable]
fn shrinking_view(x: &[f64]) -> f64 {
    let mut s = 0.0;
    let mut rest = &x[..];
    while rest.len() > 1 {
        s += rest[0] * rest[1].sin();
        rest = &rest[1..];
    }
    s + rest[0]
}

#[differentiable]
fn strided_view(x: &[f64], d: usize) -> f64 {
    let mut s = 0.0;
    let mut v = &x[..d];
    for i in 0..x.len() / d {
        v = &x[i * d..(i + 1) * d];
        s += v[0] * v[d - 1];
    }
    let w = &x[1..][..2];
    s + v[0] * w[1]
}

#[differentiable]
fn view_of_view(x: &[f64], n: usize) -> f64 {
    let inner = &x[1..4];
    let part = &inner[1..n];
    part[0] * part[n - 2]
}

#[test]
fn views_in_loops() {
    for x in [&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0][..], &[0.3, -0.7, 1.2, 0.4, -1.1, 0.9, 2.0, 0.1]] {
        let (v, g) = shrinking_view_grad(x);
        assert_eq!(v, shrinking_view(x));
        check::assert_gradient(|x| shrinking_view(x), &g, x);
        let (v, g) = strided_view_grad(x, 2);
        assert_eq!(v, strided_view(x, 2));
        check::assert_gradient(|x| strided_view(x, 2), &g, x);
        let (v, g) = view_of_view_grad(x, 3);
        assert_eq!(v, view_of_view(x, 3));
        check::assert_gradient(|x| view_of_view(x, 3), &g, x);
    }
}

#[test]
fn view_of_view_keeps_the_bound_check() {
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    // `&inner[1..4]` with `inner = &x[1..4]` (3 long) panics in Rust, though
    // `x` itself is long enough: the derivatives panic too.
    assert!(std::panic::catch_unwind(|| view_of_view(&x, 4)).is_err());
    assert!(std::panic::catch_unwind(|| view_of_view_grad(&x, 4)).is_err());
    assert!(std::panic::catch_unwind(|| view_of_view_jvp(&x, &[0.0; 6], 4)).is_err());
}

// ---- `Vec::pop` and a mutable copy of a struct's field ---------------------

#[differentiable]
fn drain_stack(x: &[f64], k: f64) -> f64 {
    let mut st = x.to_vec();
    let mut s = 0.0;
    while let Some(top) = st.pop() {
        s = s * k + top * top;
    }
    let mut q = Vec::new();
    q.push(s);
    q.push(s.sin() * k);
    let a = q.pop().unwrap();
    let b = q.pop().expect("two pushed");
    a * b + s
}

#[derive(Clone, Debug, leibniz::Differentiable)]
struct Tally {
    total: f64,
    count: usize,
}

impl Tally {
    #[differentiable]
    fn add(&mut self, v: f64) {
        self.total += v * v;
        self.count += 1;
    }
}

#[differentiable]
fn tally(x: &[f64]) -> f64 {
    let mut t = Tally { total: 0.0, count: 0 };
    for &v in x {
        t.add(v.sin());
    }
    let mut s = t.total;
    s *= 1.0 + t.count as f64;
    s
}

#[test]
fn pop_and_field_copies() {
    for x in [&[0.5, 1.0, -0.5][..], &[-1.2, 0.3, 0.8, 0.1], &[2.0]] {
        for k in [0.7, -1.3] {
            let (v, (g, gk)) = drain_stack_grad(x, k);
            assert_eq!(v, drain_stack(x, k));
            let mut all = g.clone();
            all.push(gk);
            let mut xk = x.to_vec();
            xk.push(k);
            check::assert_gradient(|p: &[f64]| drain_stack(&p[..p.len() - 1], p[p.len() - 1]), &all, &xk);
            let d: Vec<f64> = (0..x.len()).map(|i| 0.4 - 0.3 * i as f64).collect();
            let (_, jv) = drain_stack_jvp(x, &d, k, 0.5);
            let want: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum::<f64>() + 0.5 * gk;
            assert!((jv - want).abs() <= 1e-10 * (1.0 + want.abs()), "jvp {jv} vs {want}");
        }
        let (v, g) = tally_grad(x);
        assert_eq!(v, tally(x));
        check::assert_gradient(|p: &[f64]| tally(p), &g, x);
    }
}

// An inactive `&mut` parameter whose type is not `Clone` (a counter, a
// workspace): every entry point type-checks; `f_jacobian`, which must
// restart each sweep from the entry state, says why it cannot when called.
pub struct CallCounter {
    pub calls: usize,
}

#[differentiable]
fn counted_square(x: f64, #[no_grad] c: &mut CallCounter) -> f64 {
    c.calls += 1;
    x * x * (c.calls as f64).min(1.0)
}

#[differentiable]
fn with_scratch(x: &[f64], #[no_grad] w: &mut Vec<usize>, out: &mut [f64]) -> f64 {
    w.push(1);
    for i in 0..x.len() {
        out[i] = x[i] * x[i] * w.len() as f64;
    }
    x[0]
}

#[test]
fn inactive_mut_params_without_clone() {
    let mut c = CallCounter { calls: 0 };
    let (v, g) = counted_square_grad(3.0, &mut c);
    assert_eq!((v, g, c.calls), (9.0, 6.0, 1));
    let (_, d) = counted_square_jvp(3.0, 1.0, &mut c);
    assert_eq!(d, 6.0);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| counted_square_jacobian(3.0, &mut c)));
    let msg = r.err().and_then(|e| e.downcast_ref::<String>().cloned()).unwrap_or_default();
    assert!(msg.contains("`c`") && msg.contains("Clone"), "{msg}");

    // A `Clone` one restarts every sweep from its entry value: each sweep
    // sees `w.len() == 1`, like the primal call, which pushes once.
    let x = [1.5, -2.0];
    let mut w = Vec::new();
    let mut out = vec![0.0; 2];
    let (_, j) = with_scratch_jacobian(&x, &mut w, &mut out);
    assert_eq!(w.len(), 1);
    let fd = check::fd_jacobian(
        |v: &[f64]| {
            let mut w = Vec::new();
            let mut o = v[2..].to_vec();
            let r = with_scratch(&v[..2], &mut w, &mut o);
            let mut all = vec![r];
            all.extend(o);
            all
        },
        &[x[0], x[1], 0.0, 0.0],
    );
    for (a, b) in j.iter().flatten().zip(fd.iter().flatten()) {
        assert!((a - b).abs() < 1e-6, "{j:?} vs {fd:?}");
    }
}

/// A stepped range whose lower bound is an untyped counter (`let mut k = 0`)
/// and whose upper bound is a `usize`: the counter's type reaches the tape
/// pops of the backward sweep (it was popped as `i32`: generated code that
/// did not type-check).
#[differentiable]
fn stepped_from_counter(x: &[f64], a: f64) -> f64 {
    let mut s = a;
    let mut k = 0;
    while k < 3 {
        for i in (k..x.len()).step_by(2) {
            s = s / ((i as f64 * 0.25).sin().exp() + x[0] * x[0] + 1.0);
        }
        k += 1;
    }
    for _ in 0..x.len() {
        for _ in 0..k {
            s = s * 0.9 + x[0];
        }
    }
    s
}

#[test]
fn stepped_range_bounds_share_a_type() {
    let x = [0.3, -0.7, 1.1, 0.4, -0.2];
    let (_, (gx, ga)) = stepped_from_counter_grad(&x, 0.8);
    let mut p = x.to_vec();
    p.push(0.8);
    let mut g = gx.clone();
    g.push(ga);
    check::assert_gradient(|p: &[f64]| stepped_from_counter(&p[..5], p[5]), &g, &p);
    let (_, tape) = stepped_from_counter_record(&x, 0.8);
    let mut gr = vec![0.0; 5];
    let gar = stepped_from_counter_pullback(&tape, &mut gr, 1.0);
    for i in 0..5 {
        assert!((gr[i] - gx[i]).abs() <= 1e-12 * (1.0 + gx[i].abs()));
    }
    assert!((gar - ga).abs() <= 1e-12 * (1.0 + ga.abs()));
}

const OFFSET: f64 = 0.57;

/// A value computed from a `const` the macro knows only by its type
/// (`-OFFSET`), carried through a loop and read back by the backward
/// sweep: its tape pop needs a type witness (`-OFFSET` again); without one
/// the generated code did not type-check (found by random programs).
#[differentiable]
fn const_carried(x: &[f64], out: &mut [f64]) {
    let mut s = -OFFSET;
    for i in (1..x.len()).step_by(2) {
        s += (i as f64) * 0.25;
        let j = (i + 1) % out.len();
        out[j] += 1.0 / ((out[j] + x[i - 1]) * (out[j] + x[i - 1]) + 1.0);
    }
    s *= 1.0 + 0.3 * out[0].cos();
    out[1] += s * x[0];
}

#[test]
fn const_valued_carries_pop_with_a_witness() {
    let x = [0.4, -0.3, 0.9, 0.2, -0.6];
    let mut out = vec![0.1, -0.2, 0.3];
    let (_, j) = const_carried_jacobian(&x, &mut out);
    let fd = check::fd_jacobian(
        |v: &[f64]| {
            let mut o = v[5..].to_vec();
            const_carried(&v[..5], &mut o);
            o
        },
        &[x[0], x[1], x[2], x[3], x[4], 0.1, -0.2, 0.3],
    );
    for (a, b) in j.iter().flatten().zip(fd.iter().flatten()) {
        assert!((a - b).abs() < 1e-6, "{j:?} vs {fd:?}");
    }
}

/// A power series long enough that `x^i` underflows: the `powi` partial
/// reuses the primal's power there (one `powi` per term, not two), and the
/// derivative must still equal the analytic `sum x^(i-1)` (f64 and f32).
#[differentiable]
fn long_series(x: f64, n: usize) -> f64 {
    let mut s = 0.0;
    for i in 1..=n {
        s += x.powi(i as i32) / i as f64;
    }
    s
}

#[differentiable]
fn long_series_f32(x: f32, n: usize) -> f32 {
    let mut s = 0.0f32;
    for i in 1..=n {
        s += x.powi(i as i32) / i as f32;
    }
    s
}

#[test]
fn underflowed_powers_keep_the_derivative() {
    for x in [0.5, -0.7, 0.9, 1e-3] {
        let n = 3000;
        let want: f64 = (1..=n).map(|i| x.powi(i as i32 - 1)).sum();
        let (_, g) = long_series_grad(x, n);
        assert!((g - want).abs() <= 1e-13 * want.abs().max(1.0), "x = {x}: {g} vs {want}");
        assert!((long_series_derivative(x, n) - want).abs() <= 1e-13 * want.abs().max(1.0));
        let h = 1e-6;
        let fd = (long_series(x + h, n) - long_series(x - h, n)) / (2.0 * h);
        assert!((g - fd).abs() <= 1e-6 * want.abs().max(1.0), "x = {x}: {g} vs fd {fd}");
    }
    for x in [0.5f32, -0.7, 1e-3] {
        let n = 400;
        let want: f32 = (1..=n).map(|i| x.powi(i as i32 - 1)).sum();
        let (_, g) = long_series_f32_grad(x, n);
        assert!((g - want).abs() <= 1e-5 * want.abs().max(1.0), "x = {x}: {g} vs {want}");
        let h = 1e-2f32;
        let fd = (long_series_f32(x + h, n) - long_series_f32(x - h, n)) / (2.0 * h);
        assert!((g - fd).abs() <= 5e-2 * want.abs().max(1.0), "x = {x}: {g} vs fd {fd}");
    }
}
