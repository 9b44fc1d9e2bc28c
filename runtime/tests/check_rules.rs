//! The Hessian / HVP checks and the custom-rule checkers of
//! `leibniz_runtime::check`, at f32 and f64: right derivatives pass (no
//! false alarms on many random points), wrong ones fail naming the entry.

use std::cell::RefCell;

use leibniz_runtime::Float;
use leibniz_runtime::check::*;

fn c<F: Float>(v: f64) -> F {
    F::from(v).unwrap()
}

fn to64<F: Float>(v: F) -> f64 {
    v.to_f64().unwrap()
}

/// A tiny deterministic generator for the test points (uniform in [-1, 1)).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    fn point<F: Float>(&mut self, n: usize, scale: f64) -> Vec<F> {
        (0..n).map(|_| c(scale * self.next())).collect()
    }
}

// ---------------------------------------------------------------------------
// Hessians
// ---------------------------------------------------------------------------

// s(x) = x0² x1 + sin(x1 x2) + exp(x0 / 3) + x2⁴ / 12
fn s<F: Float>(x: &[F]) -> F {
    x[0] * x[0] * x[1] + (x[1] * x[2]).sin() + (x[0] / c(3.0)).exp() + x[2].powi(4) / c(12.0)
}

fn s_grad<F: Float>(x: &[F]) -> Vec<F> {
    let cs = (x[1] * x[2]).cos();
    vec![
        c::<F>(2.0) * x[0] * x[1] + (x[0] / c(3.0)).exp() / c(3.0),
        x[0] * x[0] + x[2] * cs,
        x[1] * cs + x[2].powi(3) / c(3.0),
    ]
}

fn s_hess<F: Float>(x: &[F]) -> Vec<Vec<F>> {
    let (sn, cs) = ((x[1] * x[2]).sin(), (x[1] * x[2]).cos());
    let two: F = c(2.0);
    let h01 = two * x[0];
    let h12 = cs - x[1] * x[2] * sn;
    vec![
        vec![two * x[1] + (x[0] / c(3.0)).exp() / c(9.0), h01, F::zero()],
        vec![h01, -x[2] * x[2] * sn, h12],
        vec![F::zero(), h12, -x[1] * x[1] * sn + x[2] * x[2]],
    ]
}

fn matvec<F: Float>(a: &[Vec<F>], v: &[F]) -> Vec<F> {
    a.iter()
        .map(|r| r.iter().zip(v).fold(F::zero(), |acc, (&p, &q)| acc + p * q))
        .collect()
}

fn hessian_cases<F: Float>(fd_rtol: f64) {
    let mut rng = Lcg(7);
    for trial in 0..100 {
        let x: Vec<F> = rng.point(3, 2.5);
        let h = s_hess(&x);
        check_hessian(s::<F>, &h, &x).unwrap_or_else(|e| panic!("false alarm at {trial}: {e}"));
        // fd_hessian is close and symmetric
        let fdh = fd_hessian(s::<F>, &x);
        for i in 0..3 {
            for j in 0..3 {
                assert_eq!(to64(fdh[i][j]), to64(fdh[j][i]));
                let (a, b) = (to64(fdh[i][j]), to64(h[i][j]));
                assert!((a - b).abs() <= fd_rtol * (1.0 + b.abs()), "fd {a} vs {b}");
            }
        }
        // 1% off in one entry (only on one side): fails there
        let (r, col) = (0..9)
            .map(|k| (k / 3, k % 3))
            .max_by(|a, b| to64(h[a.0][a.1]).abs().total_cmp(&to64(h[b.0][b.1]).abs()))
            .unwrap();
        if to64(h[r][col]).abs() >= 0.5 {
            let mut bad = h.clone();
            bad[r][col] = bad[r][col] * c(1.01);
            match check_hessian(s::<F>, &bad, &x) {
                Err(CheckError::Mismatch { entry, failed, .. }) => {
                    assert_eq!(entry, Entry::Hessian { row: r, col });
                    assert_eq!(failed, 1);
                }
                other => panic!(
                    "1% error at [{r}][{col}] of {:?} at {:?} not caught: {other:?}\n{:?}",
                    h.iter()
                        .map(|r| r.iter().map(|&v| to64(v)).collect::<Vec<_>>())
                        .collect::<Vec<_>>(),
                    x.iter().map(|&v| to64(v)).collect::<Vec<_>>(),
                    check_hessian(
                        s::<F>,
                        &bad.iter()
                            .map(|r| r.iter().map(|&v| v * c(10.0)).collect())
                            .collect::<Vec<Vec<F>>>(),
                        &x
                    )
                ),
            }
        }
        // HVP along random directions
        let v: Vec<F> = rng.point(3, 1.0);
        let hv = matvec(&h, &v);
        check_hvp(s_grad::<F>, &hv, &x, &v)
            .unwrap_or_else(|e| panic!("HVP false alarm at {trial}: {e}"));
        let i = (0..3)
            .max_by(|&a, &b| to64(hv[a]).abs().total_cmp(&to64(hv[b]).abs()))
            .unwrap();
        if to64(hv[i]).abs() >= 0.5 {
            let mut bad = hv.clone();
            bad[i] = bad[i] * c(1.01);
            match check_hvp(s_grad::<F>, &bad, &x, &v) {
                Err(CheckError::Mismatch { entry, .. }) => assert_eq!(entry, Entry::Hvp(i)),
                other => panic!("1% HVP error in [{i}] not caught: {other:?}"),
            }
        }
    }
}

#[test]
fn hessian_f64() {
    hessian_cases::<f64>(1e-7);
}

#[test]
fn hessian_f32() {
    hessian_cases::<f32>(2e-2);
}

#[test]
fn hessian_scaled_coordinates() {
    // large coordinates: steps scale with |x_i|
    let f = |x: &[f64]| 1e3 * x[0] * x[0] * x[1] + x[1].ln();
    let x = [250.0, 40.0];
    let h = vec![
        vec![2e3 * 40.0, 2e3 * 250.0],
        vec![2e3 * 250.0, -1.0 / 1600.0],
    ];
    check_hessian(f, &h, &x).unwrap();
    let mut bad = h.clone();
    bad[0][1] *= 1.01;
    bad[1][0] *= 1.01;
    assert!(check_hessian(f, &bad, &x).is_err());
}

#[test]
fn hessian_asymmetric_or_transposed_fails() {
    let x = [0.7, -1.1, 0.4];
    let mut h = s_hess(&x);
    h[0][1] += 0.5;
    let e = check_hessian(s::<f64>, &h, &x).unwrap_err();
    assert!(e.to_string().contains("Hessian entry [0][1]"), "{e}");
    assert!(e.to_string().contains("1 of 9"), "{e}");
}

#[test]
fn hessian_shapes_and_nonfinite() {
    let x = [0.7, -1.1, 0.4];
    let mut h = s_hess(&x);
    h.pop();
    assert_eq!(
        check_hessian(s::<f64>, &h, &x),
        Err(CheckError::Shape {
            what: "Hessian (number of rows)",
            expected: 3,
            found: 2
        })
    );
    let mut h = s_hess(&x);
    h[2].push(0.0);
    assert!(matches!(
        check_hessian(s::<f64>, &h, &x),
        Err(CheckError::Shape {
            what: "Hessian row",
            ..
        })
    ));
    let e = check_hessian(|x: &[f64]| x[0].ln(), &[vec![-1.0]], &[-1.0]).unwrap_err();
    assert!(matches!(e, CheckError::NonFinite { output: 0, .. }));
    // HVP shapes
    let hv = matvec(&s_hess(&x), &[1.0, 0.0, 0.0]);
    assert!(matches!(
        check_hvp(s_grad::<f64>, &hv[..2], &x, &[1.0, 0.0, 0.0]),
        Err(CheckError::Shape {
            what: "Hessian-vector product",
            ..
        })
    ));
    assert!(matches!(
        check_hvp(s_grad::<f64>, &hv, &x, &[1.0, 0.0]),
        Err(CheckError::Shape {
            what: "direction v",
            ..
        })
    ));
    assert!(matches!(
        check_hvp(|x: &[f64]| vec![x[0]], &hv, &x, &[1.0, 0.0, 0.0]),
        Err(CheckError::Shape {
            what: "gradient",
            ..
        })
    ));
    // zero direction: needs a zero product
    check_hvp(s_grad::<f64>, &[0.0; 3], &x, &[0.0; 3]).unwrap();
    assert!(check_hvp(s_grad::<f64>, &[0.0, 1.0, 0.0], &x, &[0.0; 3]).is_err());
    // an empty problem passes
    check_hessian(|_: &[f64]| 1.0, &[], &[]).unwrap();
}

#[test]
fn hvp_sparse_direction_and_large_entries() {
    // v with one nonzero entry picks one Hessian column
    let x = [1.3, 0.2, -0.8];
    let h = s_hess(&x);
    for j in 0..3 {
        let mut v = [0.0; 3];
        v[j] = 3.0;
        let hv = matvec(&h, &v);
        check_hvp(s_grad::<f64>, &hv, &x, &v).unwrap();
    }
    // a wrong column (the HVP of another point) fails
    let other = s_hess(&[1.0, 0.2, -0.8]);
    let v = [0.0, 0.0, 1.0];
    assert!(check_hvp(s_grad::<f64>, &matvec(&other, &[1.0, 0.0, 0.0]), &x, &v).is_err());
}

// ---------------------------------------------------------------------------
// Custom rules
// ---------------------------------------------------------------------------

// r(x) = [x0 x1 + exp(x2 / 2), ln(1 + x0²) - x1 sin(x2)] : R³ → R²
fn r<F: Float>(x: &[F]) -> Vec<F> {
    let one = F::one();
    vec![
        x[0] * x[1] + (x[2] / c(2.0)).exp(),
        (one + x[0] * x[0]).ln() - x[1] * x[2].sin(),
    ]
}

fn r_jac<F: Float>(x: &[F]) -> Vec<Vec<F>> {
    let one = F::one();
    vec![
        vec![x[1], x[0], (x[2] / c(2.0)).exp() / c(2.0)],
        vec![
            c::<F>(2.0) * x[0] / (one + x[0] * x[0]),
            -x[2].sin(),
            -x[1] * x[2].cos(),
        ],
    ]
}

fn r_jvp<F: Float>(x: &[F], v: &[F]) -> (Vec<F>, Vec<F>) {
    (r(x), matvec(&r_jac(x), v))
}

fn r_vjp<F: Float>(x: &[F], w: &[F]) -> (Vec<F>, Vec<F>) {
    let j = r_jac(x);
    let g = (0..3)
        .map(|i| {
            j.iter()
                .zip(w)
                .fold(F::zero(), |a, (row, &wk)| a + row[i] * wk)
        })
        .collect();
    (r(x), g)
}

fn rule_points<F: Float>(count: usize, seed: u64) -> Vec<Vec<F>> {
    let mut rng = Lcg(seed);
    (0..count).map(|_| rng.point(3, 3.0)).collect()
}

fn right_rules_pass<F: Float>() {
    let points = rule_points::<F>(150, 11);
    check_jvp_rule(r::<F>, r_jvp::<F>, &points).unwrap_or_else(|e| panic!("{e}"));
    check_vjp_rule(r::<F>, r_vjp::<F>, &points).unwrap_or_else(|e| panic!("{e}"));
    check_rule(r::<F>, r_jvp::<F>, r_vjp::<F>, &points).unwrap_or_else(|e| panic!("{e}"));
    // coordinates of very different sizes
    let wide: Vec<Vec<F>> = [[300.0, -0.01, 1.5], [1e-3, 40.0, -7.0], [0.0, 0.0, 0.0]]
        .iter()
        .map(|p| p.iter().map(|&v| c(v)).collect())
        .collect();
    check_rule(r::<F>, r_jvp::<F>, r_vjp::<F>, &wide).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn right_rules_pass_f64() {
    right_rules_pass::<f64>();
}

#[test]
fn right_rules_pass_f32() {
    right_rules_pass::<f32>();
}

fn wrong_rules_fail<F: Float>() {
    let points = rule_points::<F>(4, 3);
    // 1% off in one Jacobian entry, used by both rules
    let bad_jac = |x: &[F]| {
        let mut j = r_jac(x);
        j[1][0] = j[1][0] * c(1.01) + c(0.01);
        j
    };
    let jvp = |x: &[F], v: &[F]| (r(x), matvec(&bad_jac(x), v));
    match check_jvp_rule(r::<F>, jvp, &points) {
        Err(CheckError::Mismatch {
            entry:
                Entry::Tangent {
                    point: 0,
                    output: 1,
                    ..
                },
            ..
        }) => {}
        other => panic!("wrong tangent not caught: {other:?}"),
    }
    let vjp = |x: &[F], w: &[F]| {
        let j = bad_jac(x);
        let g = (0..3)
            .map(|i| {
                j.iter()
                    .zip(w)
                    .fold(F::zero(), |a, (row, &wk)| a + row[i] * wk)
            })
            .collect();
        (r(x), g)
    };
    match check_vjp_rule(r::<F>, vjp, &points) {
        // x̄_0 = w_0 J[0][0] + w_1 J[1][0]: seen where w_1 is not small
        Err(CheckError::Mismatch {
            entry: Entry::Cotangent { input: 0, .. },
            ..
        }) => {}
        other => panic!("wrong cotangent not caught: {other:?}"),
    }
    // a VJP that forgot the transpose... r is 2 -> 3 in reverse, so: swapped inputs
    let swapped = |x: &[F], w: &[F]| {
        let (y, mut g) = r_vjp(x, w);
        g.swap(0, 1);
        (y, g)
    };
    assert!(check_vjp_rule(r::<F>, swapped, &points).is_err());
    // a wrong value
    let off_value = |x: &[F], v: &[F]| {
        let (mut y, dy) = r_jvp(x, v);
        y[1] = y[1] + c(1e-2);
        (y, dy)
    };
    match check_jvp_rule(r::<F>, off_value, &points) {
        Err(CheckError::Mismatch {
            entry: Entry::Value {
                point: 0,
                output: 1,
            },
            ..
        }) => {}
        other => panic!("wrong value not caught: {other:?}"),
    }
    // right rules, but the check of a pair where the VJP is 1% off fails too
    assert!(check_rule(r::<F>, r_jvp::<F>, vjp, &points).is_err());
}

#[test]
fn wrong_rules_fail_f64() {
    wrong_rules_fail::<f64>();
}

#[test]
fn wrong_rules_fail_f32() {
    wrong_rules_fail::<f32>();
}

#[test]
fn only_later_point_wrong_is_named() {
    // the rule is right except for x0 > 2
    let points = vec![
        vec![0.5, 1.0, 0.2],
        vec![-1.0, 0.3, 0.1],
        vec![2.5, -0.4, 1.0],
    ];
    let jvp = |x: &[f64], v: &[f64]| {
        let (y, mut dy) = r_jvp(x, v);
        if x[0] > 2.0 {
            dy[0] *= 1.05;
        }
        (y, dy)
    };
    let e = check_jvp_rule(r::<f64>, jvp, &points).unwrap_err();
    assert!(matches!(
        e,
        CheckError::Mismatch {
            entry: Entry::Tangent {
                point: 2,
                output: 0,
                ..
            },
            ..
        }
    ));
    let msg = e.to_string();
    assert!(msg.contains("tangent output [0] at point #2"), "{msg}");
    assert!(msg.contains("AD = ") && msg.contains("FD = "), "{msg}");
    // deterministic: the same failure every time
    assert_eq!(check_jvp_rule(r::<f64>, jvp, &points).unwrap_err(), e);
}

#[test]
fn nonlinear_tangent_is_caught_by_linearity() {
    // tangent J v + δ v0², δ far below what finite differences resolve
    let points = vec![vec![0.5, 1.0, 0.2]];
    let jvp = |x: &[f64], v: &[f64]| {
        let (y, mut dy) = r_jvp(x, v);
        dy[1] += 1e-10 * v[0] * v[0];
        (y, dy)
    };
    let e = check_jvp_rule(r::<f64>, jvp, &points).unwrap_err();
    assert!(
        matches!(
            e,
            CheckError::Mismatch {
                entry: Entry::TangentLinearity {
                    point: 0,
                    output: 1
                },
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("not linear in its tangent"), "{e}");
    // an affine tangent (a constant added): caught, by FD or by linearity
    let affine = |x: &[f64], v: &[f64]| {
        let (y, mut dy) = r_jvp(x, v);
        dy[0] += 1e-3;
        (y, dy)
    };
    assert!(check_jvp_rule(r::<f64>, affine, &points).is_err());
}

#[test]
fn nonlinear_cotangent_is_caught_by_linearity() {
    let points = vec![vec![0.5, 1.0, 0.2]];
    let vjp = |x: &[f64], w: &[f64]| {
        let (y, mut g) = r_vjp(x, w);
        g[2] += 1e-9 * w[0] * w[1];
        (y, g)
    };
    let e = check_vjp_rule(r::<f64>, vjp, &points).unwrap_err();
    assert!(
        matches!(
            e,
            CheckError::Mismatch {
                entry: Entry::CotangentLinearity { point: 0, input: 2 },
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .contains("VJP rule is not linear in its cotangent"),
        "{e}"
    );
}

#[test]
fn accumulating_vjp_is_caught() {
    // a VJP that adds into a buffer kept between calls
    let kept = RefCell::new(vec![0.0; 3]);
    let vjp = |x: &[f64], w: &[f64]| {
        let (y, g) = r_vjp(x, w);
        let mut k = kept.borrow_mut();
        for (a, b) in k.iter_mut().zip(&g) {
            *a += b;
        }
        (y, k.clone())
    };
    let e = check_vjp_rule(r::<f64>, vjp, &[vec![0.5, 1.0, 0.2]]).unwrap_err();
    // the first call is right; later ones carry the earlier cotangents
    assert!(
        matches!(
            e,
            CheckError::Mismatch {
                entry: Entry::Cotangent {
                    point: 0,
                    trial: 1 | 2,
                    ..
                },
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn transposition_error_below_fd_noise_caught_by_dot_product() {
    let points = vec![vec![0.5, 1.0, 0.2], vec![1.5, -2.0, 0.7]];
    let vjp = |x: &[f64], w: &[f64]| {
        let (y, mut g) = r_vjp(x, w);
        g[0] *= 1.0 + 1e-9;
        (y, g)
    };
    check_vjp_rule(r::<f64>, vjp, &points).unwrap(); // FD can't see it
    let e = check_rule(r::<f64>, r_jvp::<f64>, vjp, &points).unwrap_err();
    assert!(
        matches!(
            e,
            CheckError::Mismatch {
                entry: Entry::RuleDotProduct { .. },
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("not transposes"), "{e}");
}

#[test]
fn rule_shapes_and_nonfinite() {
    let pts = vec![vec![0.5, 1.0, 0.2]];
    let short_tangent = |x: &[f64], v: &[f64]| (r(x), r_jvp(x, v).1[..1].to_vec());
    assert_eq!(
        check_jvp_rule(r::<f64>, short_tangent, &pts),
        Err(CheckError::Shape {
            what: "tangent returned by jvp",
            expected: 2,
            found: 1
        })
    );
    let short_value = |x: &[f64], v: &[f64]| (r(x)[..1].to_vec(), r_jvp(x, v).1);
    assert_eq!(
        check_jvp_rule(r::<f64>, short_value, &pts),
        Err(CheckError::Shape {
            what: "value returned by jvp",
            expected: 2,
            found: 1
        })
    );
    let long_xbar = |x: &[f64], w: &[f64]| {
        let (y, mut g) = r_vjp(x, w);
        g.push(0.0);
        (y, g)
    };
    assert_eq!(
        check_vjp_rule(r::<f64>, long_xbar, &pts),
        Err(CheckError::Shape {
            what: "cotangent x̄ returned by vjp",
            expected: 3,
            found: 4
        })
    );
    assert!(matches!(
        check_rule(r::<f64>, r_jvp::<f64>, r_vjp::<f64>, &[]),
        Err(CheckError::Shape { found: 0, .. })
    ));
    let ln = |x: &[f64]| vec![x[0].ln()];
    let ln_jvp = |x: &[f64], v: &[f64]| (ln(x), vec![v[0] / x[0]]);
    assert!(matches!(
        check_jvp_rule(ln, ln_jvp, &[vec![2.0], vec![-1.0]]),
        Err(CheckError::NonFinite { output: 0, .. })
    ));
}

#[test]
fn points_of_different_lengths() {
    // f(x) = [Σ x_i², Π-free: max-free], for any length
    let f = |x: &[f64]| vec![x.iter().map(|v| v * v).sum::<f64>()];
    let jvp = |x: &[f64], v: &[f64]| (f(x), vec![x.iter().zip(v).map(|(a, b)| 2.0 * a * b).sum()]);
    let vjp = |x: &[f64], w: &[f64]| (f(x), x.iter().map(|a| 2.0 * a * w[0]).collect());
    let pts = vec![vec![1.0], vec![0.5, -2.0], vec![0.1, 0.2, 0.3, 0.4, 0.5]];
    check_rule(f, jvp, vjp, &pts).unwrap();
}

#[test]
fn scalar_rules_f32() {
    // softplus with its logistic derivative, checked over a range in f32
    let sp = |x: &[f32]| vec![x[0].max(0.0) + (-x[0].abs()).exp().ln_1p()];
    let sig = |x: f32| 1.0 / (1.0 + (-x).exp());
    let jvp = |x: &[f32], v: &[f32]| (sp(x), vec![sig(x[0]) * v[0]]);
    let vjp = |x: &[f32], w: &[f32]| (sp(x), vec![sig(x[0]) * w[0]]);
    let pts: Vec<Vec<f32>> = (-40..=40).map(|k| vec![k as f32 * 0.37]).collect();
    check_rule(sp, jvp, vjp, &pts).unwrap();
    // d/dx softplus is not tanh
    let wrong = |x: &[f32], v: &[f32]| (sp(x), vec![x[0].tanh() * v[0]]);
    assert!(check_jvp_rule(sp, wrong, &pts).is_err());
}

#[test]
fn error_messages_read_well() {
    let pts = vec![vec![0.5, 1.0, 0.2]];
    let off_value = |x: &[f64], v: &[f64]| {
        let (mut y, dy) = r_jvp(x, v);
        y[0] += 1.0;
        (y, dy)
    };
    let msg = check_jvp_rule(r::<f64>, off_value, &pts)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("value output [0] at point #0")
            && msg.contains("rule = ")
            && msg.contains("f = "),
        "{msg}"
    );
    let bad_vjp = |x: &[f64], w: &[f64]| {
        let (y, mut g) = r_vjp(x, w);
        g[1] += 0.5;
        (y, g)
    };
    let msg = check_vjp_rule(r::<f64>, bad_vjp, &pts)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("cotangent x̄[1] at point #0"), "{msg}");
}
