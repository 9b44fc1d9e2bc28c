//! nalgebra's types in differentiable code (feature `nalgebra`): each
//! function is checked against the same function written over slices
//! (values and gradients), against central finite differences (gradients
//! and Hessians), and forward against reverse mode (the dot-product test).

#![cfg(feature = "nalgebra")]

use leibniz::check;
use leibniz::prelude::*;
use nalgebra::{DMatrix, DVector, Matrix2, Matrix3, Point2, Point3, Rotation2, Rotation3, Unit, UnitQuaternion, Vector2, Vector3};

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-10 * (1.0 + a.abs().max(b.abs())), "{what}: {a} vs {b}");
}

fn close_all(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        close(*x, *y, &format!("{what}[{k}]"));
    }
}

fn v3(p: &[f64]) -> Vector3<f64> {
    Vector3::new(p[0], p[1], p[2])
}

// ----- a planar arm: Rotation2, Vector2, +=, -, norm_squared ------------------

#[differentiable]
fn arm_miss(angles: &[f64], #[no_grad] lengths: &[f64], #[no_grad] target: &Vector2<f64>) -> f64 {
    let mut tip = Vector2::zeros();
    let mut theta = 0.0;
    for i in 0..angles.len() {
        theta += angles[i];
        let r = Rotation2::new(theta);
        tip += r * Vector2::new(lengths[i], 0.0);
    }
    (tip - target).norm_squared()
}

/// The same over slices.
#[differentiable]
fn arm_miss_flat(angles: &[f64], #[no_grad] lengths: &[f64], #[no_grad] target: &[f64]) -> f64 {
    let mut x = 0.0;
    let mut y = 0.0;
    let mut theta = 0.0;
    for i in 0..angles.len() {
        theta += angles[i];
        x += lengths[i] * theta.cos();
        y += lengths[i] * theta.sin();
    }
    (x - target[0]) * (x - target[0]) + (y - target[1]) * (y - target[1])
}

#[test]
fn arm_forward_kinematics_with_vector2_and_rotation2() {
    let lengths = [1.0, 0.8, 0.5];
    let target = Vector2::new(1.1, 1.3);
    for angles in [[0.3, 0.5, -0.2], [1.2, -0.7, 0.4], [-0.5, 2.0, 1.0]] {
        let (v, g) = arm_miss_grad(&angles, &lengths, &target);
        let (vf, gf) = arm_miss_flat_grad(&angles, &lengths, target.as_slice());
        close(v, arm_miss(&angles, &lengths, &target), "value");
        close(v, vf, "value vs slices");
        close_all(&g, &gf, "gradient vs slices");
        check::check_gradient(|a: &[f64]| arm_miss(a, &lengths, &target), &g, &angles).unwrap();
        // Second order through Rotation2::new and the operator rules.
        let (_, _, h) = arm_miss_hessian(&angles, &lengths, &target);
        let (_, _, hf) = arm_miss_flat_hessian(&angles, &lengths, target.as_slice());
        for (r, rf) in h.iter().zip(&hf) {
            close_all(r, rf, "Hessian vs slices");
        }
        check::check_hessian(|a: &[f64]| arm_miss(a, &lengths, &target), &h, &angles).unwrap();
        // Forward mode and tapes agree with the gradient.
        let d = [0.3, -1.0, 0.7];
        let (_, dv) = arm_miss_jvp(&angles, &d, &lengths, &target);
        close(dv, g.iter().zip(&d).map(|(a, b)| a * b).sum(), "jvp vs gradient");
        let (_, tape) = arm_miss_record(&angles, &lengths, &target);
        let mut ga = [0.0; 3];
        arm_miss_pullback(&tape, &mut ga, 2.0);
        close_all(&ga, &g.iter().map(|x| 2.0 * x).collect::<Vec<_>>(), "pullback");
    }
}

// ----- vectors as active parameters: fields, indexing, methods ------------------

#[differentiable]
fn vec_ops(a: &Vector3<f64>, b: &Vector3<f64>, s: f64) -> f64 {
    let c = a.cross(b);
    let n = a.normalize();
    let m = (a * s + b / s - c) * 0.5;
    c.dot(a) + c.norm() + n.x * b[1] + m.norm_squared() + a.magnitude() * b.z + (-m).sum() + a.component_mul(b).dot(b) + a.metric_distance(b)
}

fn vec_ops_flat(p: &[f64]) -> f64 {
    let (a, b, s) = (v3(&p[0..3]), v3(&p[3..6]), p[6]);
    let c = a.cross(&b);
    let n = a.normalize();
    let m = (a * s + b / s - c) * 0.5;
    c.dot(&a) + c.norm() + n.x * b[1] + m.norm_squared() + a.magnitude() * b.z + (-m).sum() + a.component_mul(&b).dot(&b) + a.metric_distance(&b)
}

#[test]
fn vector3_methods_and_operators() {
    for p in [[0.3, -1.2, 0.8, 1.1, 0.4, -0.6, 1.3], [2.0, 0.5, -0.7, -0.3, 1.5, 0.9, -0.8]] {
        let (a, b, s) = (v3(&p[0..3]), v3(&p[3..6]), p[6]);
        let (v, (ga, gb, gs)) = vec_ops_grad(&a, &b, s);
        close(v, vec_ops_flat(&p), "value");
        let g: Vec<f64> = ga.iter().chain(gb.iter()).copied().chain([gs]).collect();
        check::check_gradient(vec_ops_flat, &g, &p).unwrap();
        // JVP vs VJP.
        let (da, db, ds) = (Vector3::new(0.2, -0.4, 1.0), Vector3::new(-1.0, 0.3, 0.5), 0.7);
        let (_, t) = vec_ops_jvp(&a, &da, &b, &db, s, ds);
        close(t, ga.dot(&da) + gb.dot(&db) + gs * ds, "jvp vs grad");
        let (mut ba, mut bb) = (Vector3::zeros(), Vector3::zeros());
        let (_, bs) = vec_ops_vjp(&a, &mut ba, &b, &mut bb, s, 1.0);
        close_all(ba.as_slice(), ga.as_slice(), "vjp a");
        close_all(bb.as_slice(), gb.as_slice(), "vjp b");
        close(bs, gs, "vjp s");
        // Hessian against finite differences of the gradient.
        let (_, _, h) = vec_ops_hessian(&a, &b, s);
        check::check_hessian(vec_ops_flat, &h, &p).unwrap();
    }
}

// ----- by value: a vector result, its JVP and VJP --------------------------------

#[differentiable]
fn blend(a: Vector3<f64>, b: Vector3<f64>, t: f64) -> Vector3<f64> {
    let mut out = a * (1.0 - t) + b * t;
    out.y += t * t;
    out
}

#[test]
fn vector_results_by_value() {
    let (a, b, t) = (Vector3::new(1.0, 2.0, 3.0), Vector3::new(-1.0, 0.5, 2.0), 0.3);
    let (y, dy) = blend_jvp(a, Vector3::new(1.0, 0.0, 0.0), b, Vector3::zeros(), t, 1.0);
    close_all(y.as_slice(), blend(a, b, t).as_slice(), "value");
    let want = Vector3::new(1.0 - t, 0.0, 0.0) + (b - a) + Vector3::new(0.0, 2.0 * t, 0.0);
    close_all(dy.as_slice(), want.as_slice(), "jvp");
    let w = Vector3::new(0.5, -1.0, 2.0);
    let (_, (ga, gb, gt)) = blend_vjp(a, b, t, w);
    close_all(ga.as_slice(), (w * (1.0 - t)).as_slice(), "adjoint a");
    close_all(gb.as_slice(), (w * t).as_slice(), "adjoint b");
    close(gt, w.dot(&(b - a)) + w.y * 2.0 * t, "adjoint t");
}

// ----- matrices: products, transposes, Matrix3::new, DMatrix/DVector -------------

#[differentiable]
fn quad_form(m: &Matrix3<f64>, x: &Vector3<f64>) -> f64 {
    let y = m * x;
    let mt = m.transpose();
    let z = mt * (m * y);
    y.dot(&z) + (m * mt)[(0, 1)]
}

fn quad_form_flat(p: &[f64]) -> f64 {
    let m = Matrix3::from_column_slice(&p[0..9]);
    let x = v3(&p[9..12]);
    let y = m * x;
    let mt = m.transpose();
    let z = mt * (m * y);
    y.dot(&z) + (m * mt)[(0, 1)]
}

#[test]
fn matrix_products_and_transposes() {
    let p: Vec<f64> = (0..12).map(|k| ((k as f64) * 0.7).sin()).collect();
    let m = Matrix3::from_column_slice(&p[0..9]);
    let x = v3(&p[9..12]);
    let (v, (gm, gx)) = quad_form_grad(&m, &x);
    close(v, quad_form_flat(&p), "value");
    let g: Vec<f64> = gm.iter().chain(gx.iter()).copied().collect();
    check::check_gradient(quad_form_flat, &g, &p).unwrap();
    let (_, _, h) = quad_form_hessian(&m, &x);
    check::check_hessian(quad_form_flat, &h, &p).unwrap();
}

#[differentiable]
fn built(a: f64, b: f64, c: f64) -> f64 {
    let m = Matrix2::new(a, b, c, a * b);
    let n = Matrix3::new(a, 0.0, b, 0.0, c, 0.0, b, 0.0, a);
    let p = Point3::new(a, b, c) + Vector3::new(c, a, b);
    let q = Point2::new(a, c) - Point2::new(b, 1.0);
    (m * Vector2::new(c, 1.0)).norm() + (n * p.coords).x + q.norm_squared() + p.x * q.y
}

fn built_flat(x: &[f64]) -> f64 {
    let (a, b, c) = (x[0], x[1], x[2]);
    let m = Matrix2::new(a, b, c, a * b);
    let n = Matrix3::new(a, 0.0, b, 0.0, c, 0.0, b, 0.0, a);
    let p = Point3::new(a, b, c) + Vector3::new(c, a, b);
    let q = Point2::new(a, c) - Point2::new(b, 1.0);
    (m * Vector2::new(c, 1.0)).norm() + (n * p.coords).x + q.norm_squared() + p.x * q.y
}

#[test]
fn constructors_and_points() {
    for x in [[0.4, -1.1, 0.9], [1.5, 0.3, -0.6]] {
        let (v, (ga, gb, gc)) = built_grad(x[0], x[1], x[2]);
        close(v, built_flat(&x), "value");
        check::check_gradient(built_flat, &[ga, gb, gc], &x).unwrap();
        let (_, _, h) = built_hessian(x[0], x[1], x[2]);
        check::check_hessian(built_flat, &h, &x).unwrap();
    }
}

#[differentiable]
fn least_sq(a: &DMatrix<f64>, x: &DVector<f64>, #[no_grad] y: &DVector<f64>) -> f64 {
    let r = a * x - y;
    let s = (a.transpose() * a) * x;
    r.norm_squared() + 0.1 * s.dot(x) + x.normalize()[0]
}

/// The same over slices (row-major `a`).
#[differentiable]
fn least_sq_flat(a: &[f64], x: &[f64], #[no_grad] y: &[f64]) -> f64 {
    let n = x.len();
    let m = y.len();
    let mut total = 0.0;
    for i in 0..m {
        let mut ri = -y[i];
        for j in 0..n {
            ri += a[i * n + j] * x[j];
        }
        total += ri * ri;
    }
    // s·x = |A x|²
    let mut sx = 0.0;
    for i in 0..m {
        let mut ax = 0.0;
        for j in 0..n {
            ax += a[i * n + j] * x[j];
        }
        sx += ax * ax;
    }
    let mut nx = 0.0;
    for j in 0..n {
        nx += x[j] * x[j];
    }
    total + 0.1 * sx + x[0] / nx.sqrt()
}

#[test]
fn dmatrix_and_dvector() {
    let (m, n) = (4, 3);
    let rows: Vec<f64> = (0..m * n).map(|k| ((k as f64) * 1.3 + 0.2).cos()).collect();
    let a = DMatrix::from_row_slice(m, n, &rows);
    let x = DVector::from_vec(vec![0.5, -0.3, 1.2]);
    let y = DVector::from_vec(vec![1.0, 0.0, -1.0, 0.5]);
    let (v, (ga, gx)) = least_sq_grad(&a, &x, &y);
    let (vf, (gaf, gxf)) = least_sq_flat_grad(&rows, x.as_slice(), y.as_slice());
    close(v, vf, "value vs slices");
    close_all(gx.as_slice(), &gxf, "gradient in x vs slices");
    // `ga` is column-major, `gaf` row-major.
    let ga_rows: Vec<f64> = (0..m).flat_map(|i| (0..n).map(move |j| (i, j))).map(|(i, j)| ga[(i, j)]).collect();
    close_all(&ga_rows, &gaf, "gradient in A vs slices");
    let (_, _, h) = least_sq_hessian(&a, &x, &y);
    let (_, _, hf) = least_sq_flat_hessian(&rows, x.as_slice(), y.as_slice());
    // Compare the x-block (the last n entries of each).
    let off = m * n;
    for i in 0..n {
        close_all(&h[off + i][off..], &hf[off + i][off..], "Hessian xx block");
    }
}

// ----- 3-D rotations and quaternions ------------------------------------------

#[differentiable]
fn pose(angles: &[f64], #[no_grad] p: &Vector3<f64>) -> f64 {
    let r = Rotation3::from_euler_angles(angles[0], angles[1], angles[2]);
    let q = UnitQuaternion::from_euler_angles(angles[2], angles[0], angles[1]);
    let z = Rotation3::from_axis_angle(&Vector3::z_axis(), angles[0] * angles[1]);
    let u = r * p;
    let w = q * u;
    let t = z.transform_vector(&w);
    let k = (z * r).inverse() * Point3::from(t);
    t.x + 2.0 * w.y - u.z * t.z + k.coords.dot(p) + Rotation2::new(angles[2]).angle() * 0.0
}

fn pose_flat(a: &[f64], p: &Vector3<f64>) -> f64 {
    let r = Rotation3::from_euler_angles(a[0], a[1], a[2]);
    let q = UnitQuaternion::from_euler_angles(a[2], a[0], a[1]);
    let z = Rotation3::from_axis_angle(&Vector3::z_axis(), a[0] * a[1]);
    let u = r * p;
    let w = q * u;
    let t = z.transform_vector(&w);
    let k = (z * r).inverse() * Point3::from(t);
    t.x + 2.0 * w.y - u.z * t.z + k.coords.dot(p)
}

#[test]
fn rotations_quaternions_axis_angle() {
    let p = Vector3::new(0.3, -1.0, 0.7);
    for a in [[0.2, -0.4, 1.1], [1.3, 0.6, -0.8]] {
        let (v, g) = pose_grad(&a, &p);
        close(v, pose_flat(&a, &p), "value");
        check::check_gradient(|x: &[f64]| pose_flat(x, &p), &g, &a).unwrap();
        let (_, _, h) = pose_hessian(&a, &p);
        check::check_hessian(|x: &[f64]| pose_flat(x, &p), &h, &a).unwrap();
    }
}

#[differentiable]
fn axis_active(axis: &Unit<Vector3<f64>>, angle: f64, #[no_grad] p: &Vector3<f64>) -> f64 {
    let r = Rotation3::from_axis_angle(axis, angle);
    (r * p).dot(&Vector3::new(1.0, 2.0, 3.0))
}

#[test]
fn axis_angle_with_an_active_axis() {
    // Along tangents of the sphere the polynomial formula is exact.
    let p = Vector3::new(0.4, 0.1, -0.9);
    let axis = Unit::new_normalize(Vector3::new(0.3, -0.5, 0.8));
    let angle = 0.9;
    let (_, (ga, gth)) = axis_active_grad(&axis, angle, &p);
    let f = |x: &[f64]| {
        let ax = Unit::new_unchecked(Vector3::new(x[0], x[1], x[2]));
        axis_active(&ax, x[3], &p)
    };
    let x = [axis.x, axis.y, axis.z, angle];
    let g = [ga.x, ga.y, ga.z, gth];
    check::check_gradient(f, &g, &x).unwrap();
    let (_, _, h) = axis_active_hessian(&axis, angle, &p);
    check::check_hessian(f, &h, &x).unwrap();
}

// ----- generic code bounded by RealField -----------------------------------------

#[differentiable]
fn generic_norm<T: nalgebra::RealField + Copy>(q: &Vector2<T>, s: T) -> T {
    (q * s).norm() + q.x * q.y
}

#[test]
fn generic_realfield_code() {
    let q = Vector2::new(0.6, -1.4);
    let (v, (gq, gs)) = generic_norm_grad(&q, 1.7);
    let f = |x: &[f64]| generic_norm(&Vector2::new(x[0], x[1]), x[2]);
    close(v, f(&[0.6, -1.4, 1.7]), "value");
    check::check_gradient(f, &[gq.x, gq.y, gs], &[0.6, -1.4, 1.7]).unwrap();
    let (v32, _) = generic_norm_grad(&Vector2::new(0.6f32, -1.4), 1.7f32);
    assert!((v32 as f64 - v).abs() < 1e-5);
}
