//! Vector-mode forward (`f_jvp_batch`): `m` directions, four per primal
//! sweep. Every batched tangent must equal the tangent of a separate
//! `f_jvp` along the same direction bit for bit (each lane runs exactly
//! the statements of the single JVP), and the tangents must match central
//! finite differences. The corpus spans loops, branches, early returns,
//! `while`, calls to other differentiable functions, methods, structs,
//! iterator chains, `Vec` and tuple results, generics at f32 and f64, and a
//! body whose lanes cannot share the primal (a call that writes through
//! `&mut`), which takes the one-JVP-per-direction path.

use leibniz::check;
use leibniz::prelude::*;

#[differentiable]
fn rosen(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = x[i + 1] - x[i] * x[i];
        let b = 1.0 - x[i];
        s += 100.0 * a * a + b * b;
    }
    s
}

#[differentiable]
fn branchy(x: &[f64], t: f64) -> f64 {
    let mut acc = 0.0;
    for (i, v) in x.iter().enumerate() {
        if *v > t {
            acc += v.sin() * t;
        } else if i % 2 == 0 {
            acc -= (v * v + 1.0).ln();
        } else {
            continue;
        }
        if acc > 50.0 {
            return acc.sqrt();
        }
    }
    acc * t.exp()
}

#[differentiable]
fn newton_sqrt(a: f64) -> f64 {
    let mut x = a.max(1.0);
    let mut k = 0;
    while k < 30 {
        x = 0.5 * (x + a / x);
        k += 1;
    }
    x
}

#[differentiable]
fn softplus(v: f64) -> f64 {
    (1.0 + v.exp()).ln()
}

#[differentiable]
fn calls(x: &[f64], w: f64) -> f64 {
    let r = rosen(x);
    let mut s = 0.0;
    for v in x {
        s += softplus(*v * w);
    }
    s + r * newton_sqrt(w * w + 1.0)
}

#[differentiable]
fn chains(x: &[f64], y: &[f64]) -> f64 {
    let dot: f64 = x.iter().zip(y).map(|(a, b)| a * b).sum();
    let m = x.iter().fold(f64::MIN, |m, v| m.max(*v));
    dot / (1.0 + m * m)
}

#[differentiable]
fn squares(x: &[f64], s: f64) -> Vec<f64> {
    x.iter().map(|v| v * v * s).collect()
}

#[differentiable]
fn pair(x: f64, y: f64) -> (f64, f64) {
    (x * y.cos(), x.atan2(y))
}

#[derive(Clone, Copy, Debug, PartialEq, Differentiable)]
pub struct P2 {
    pub x: f64,
    pub y: f64,
}

#[differentiable]
impl P2 {
    fn norm2(&self) -> f64 {
        self.x * self.x + self.y * self.y
    }

    fn rotate(self, a: f64) -> P2 {
        P2 { x: self.x * a.cos() - self.y * a.sin(), y: self.x * a.sin() + self.y * a.cos() }
    }
}

#[differentiable]
fn orbit(p: P2, a: f64) -> f64 {
    let q = p.rotate(a);
    q.norm2() + q.x * p.y
}

#[differentiable]
fn generic_poly<T: Float>(x: &[T], c: T) -> T {
    let mut s = T::zero();
    for v in x {
        s = s * c + v.powi(3) - v.tanh();
    }
    s
}

/// Writes through `&mut` to a local: the lanes cannot each replay the
/// call, so `_jvp_batch` runs one JVP per direction.
#[differentiable]
fn accumulate(x: f64, out: &mut f64) {
    *out += x.sin() * x;
}

#[differentiable]
fn through_mut(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for v in x {
        accumulate(*v, &mut s);
    }
    s * s
}

fn dirs(n: usize, m: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut s = seed;
    (0..m)
        .map(|_| {
            (0..n)
                .map(|_| {
                    s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((s >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
                })
                .collect()
        })
        .collect()
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Finite-difference directional derivative of `f` at `p` along `d`.
fn fd_dir(f: impl Fn(&[f64]) -> Vec<f64>, p: &[f64], d: &[f64]) -> Vec<f64> {
    let j = check::fd_jacobian(&f, p);
    j.iter().map(|r| r.iter().zip(d).map(|(a, b)| a * b).sum()).collect()
}

fn close(a: &[f64], b: &[f64], ctx: &str) {
    assert_eq!(a.len(), b.len(), "{ctx}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-5 * (1.0 + y.abs()), "{ctx}: {a:?} vs {b:?}");
    }
}

#[test]
fn slices_every_count_of_directions() {
    let x = [0.4, -1.2, 0.9, 1.7, -0.3];
    // 0, fewer than a sweep, exactly one, several with a remainder.
    for m in [0usize, 1, 3, 4, 7, 9] {
        let ds = dirs(5, m, 1 + m as u64);
        let (v, t) = rosen_jvp_batch(&x, &ds);
        assert_eq!(v.to_bits(), rosen(&x).to_bits());
        assert_eq!(t.len(), m);
        for (j, d) in ds.iter().enumerate() {
            let (v1, t1) = rosen_jvp(&x, d);
            assert_eq!(v1.to_bits(), v.to_bits());
            assert_eq!(t[j].to_bits(), t1.to_bits(), "rosen m = {m}, direction {j}");
            close(&[t[j]], &fd_dir(|p| vec![rosen(p)], &x, d), "rosen vs fd");
        }
    }
}

#[test]
fn control_flow_and_calls() {
    for (k, x) in [[0.4, -1.2, 0.9, 1.7, -0.3], [2.0, 0.1, -0.8, 0.5, 1.3]].iter().enumerate() {
        let t = 0.35 + 0.2 * k as f64;
        let dx = dirs(5, 6, 10 + k as u64);
        let dt: Vec<f64> = dirs(1, 6, 20 + k as u64).into_iter().map(|d| d[0]).collect();
        let (v, ts) = branchy_jvp_batch(x, &dx, t, &dt);
        assert_eq!(v.to_bits(), branchy(x, t).to_bits());
        let (_, tc) = calls_jvp_batch(x, &dx, t, &dt);
        for j in 0..6 {
            assert_eq!(ts[j].to_bits(), branchy_jvp(x, &dx[j], t, dt[j]).1.to_bits(), "branchy {j}");
            assert_eq!(tc[j].to_bits(), calls_jvp(x, &dx[j], t, dt[j]).1.to_bits(), "calls {j}");
            let mut d = dx[j].clone();
            d.push(dt[j]);
            let mut p = x.to_vec();
            p.push(t);
            close(&[ts[j]], &fd_dir(|q| vec![branchy(&q[..5], q[5])], &p, &d), "branchy vs fd");
            close(&[tc[j]], &fd_dir(|q| vec![calls(&q[..5], q[5])], &p, &d), "calls vs fd");
        }
        let (_, tn) = newton_sqrt_jvp_batch(2.0 + t, &dt);
        for j in 0..6 {
            assert_eq!(tn[j].to_bits(), newton_sqrt_jvp(2.0 + t, dt[j]).1.to_bits());
        }
    }
}

#[test]
fn iterators_vectors_tuples() {
    let x = [0.4, -1.2, 0.9, 1.7, -0.3];
    let y = [1.0, 0.5, -0.7, 0.2, 0.9];
    let dx = dirs(5, 5, 3);
    let dy = dirs(5, 5, 4);
    let (_, tc) = chains_jvp_batch(&x, &dx, &y, &dy);
    let (vs, ts) = squares_jvp_batch(&x, &dx, 1.5, &[1.0, 0.0, -2.0, 0.5, 0.25]);
    assert_eq!(bits(&vs), bits(&squares(&x, 1.5)));
    let (_, tp) = pair_jvp_batch(0.7, &[1.0, 0.0, 0.3, -1.0, 2.0], 1.3, &[0.0, 1.0, 0.3, 0.5, -1.0]);
    for j in 0..5 {
        assert_eq!(tc[j].to_bits(), chains_jvp(&x, &dx[j], &y, &dy[j]).1.to_bits());
        let s = [1.0, 0.0, -2.0, 0.5, 0.25][j];
        assert_eq!(bits(&ts[j]), bits(&squares_jvp(&x, &dx[j], 1.5, s).1));
        let (a, b) = ([1.0, 0.0, 0.3, -1.0, 2.0][j], [0.0, 1.0, 0.3, 0.5, -1.0][j]);
        let t1 = pair_jvp(0.7, a, 1.3, b).1;
        assert_eq!((tp[j].0.to_bits(), tp[j].1.to_bits()), (t1.0.to_bits(), t1.1.to_bits()));
        close(&[tp[j].0, tp[j].1], &fd_dir(|q| { let r = pair(q[0], q[1]); vec![r.0, r.1] }, &[0.7, 1.3], &[a, b]), "pair vs fd");
    }
    // Directions as slices, arrays or owned vectors.
    let as_slices: Vec<&[f64]> = dx.iter().map(|d| &d[..]).collect();
    assert_eq!(bits(&chains_jvp_batch(&x, &as_slices, &y, &dy).1), bits(&tc));
}

#[test]
fn structs_and_methods() {
    let p = P2 { x: 0.8, y: -0.6 };
    let dp = [P2 { x: 1.0, y: 0.0 }, P2 { x: 0.0, y: 1.0 }, P2 { x: 0.5, y: -0.25 }, P2 { x: -1.0, y: 2.0 }, P2 { x: 0.1, y: 0.1 }];
    let da = [0.0, 0.0, 1.0, -0.5, 2.0];
    let (v, t) = orbit_jvp_batch(p, &dp, 0.9, &da);
    assert_eq!(v.to_bits(), orbit(p, 0.9).to_bits());
    for j in 0..5 {
        assert_eq!(t[j].to_bits(), orbit_jvp(p, dp[j], 0.9, da[j]).1.to_bits());
        close(&[t[j]], &fd_dir(|q| vec![orbit(P2 { x: q[0], y: q[1] }, q[2])], &[0.8, -0.6, 0.9], &[dp[j].x, dp[j].y, da[j]]), "orbit vs fd");
    }
    let (_, tn) = p.norm2_jvp_batch(&dp);
    for j in 0..5 {
        assert_eq!(tn[j].to_bits(), p.norm2_jvp(&dp[j]).1.to_bits());
    }
}

#[test]
fn generic_f32_and_f64() {
    let x64 = [0.4, -1.2, 0.9];
    let d64 = dirs(3, 5, 7);
    let (_, t64) = generic_poly_jvp_batch(&x64, &d64, 0.7, &[0.0, 1.0, 0.0, -1.0, 0.5]);
    let x32: Vec<f32> = x64.iter().map(|v| *v as f32).collect();
    let d32: Vec<Vec<f32>> = d64.iter().map(|d| d.iter().map(|v| *v as f32).collect()).collect();
    let (_, t32) = generic_poly_jvp_batch(&x32, &d32, 0.7f32, &[0.0, 1.0, 0.0, -1.0, 0.5]);
    for j in 0..5 {
        let c = [0.0, 1.0, 0.0, -1.0, 0.5][j];
        assert_eq!(t64[j].to_bits(), generic_poly_jvp(&x64, &d64[j], 0.7, c).1.to_bits());
        assert_eq!(t32[j].to_bits(), generic_poly_jvp(&x32, &d32[j], 0.7f32, c as f32).1.to_bits());
        assert!((t32[j] as f64 - t64[j]).abs() < 1e-3 * (1.0 + t64[j].abs()));
    }
}

#[test]
fn calls_writing_through_mut_take_one_jvp_per_direction() {
    let x = [0.4, -1.2, 0.9, 1.7, -0.3];
    let ds = dirs(5, 6, 9);
    let (v, t) = through_mut_jvp_batch(&x, &ds);
    assert_eq!(v.to_bits(), through_mut(&x).to_bits());
    for j in 0..6 {
        assert_eq!(t[j].to_bits(), through_mut_jvp(&x, &ds[j]).1.to_bits());
        close(&[t[j]], &fd_dir(|p| vec![through_mut(p)], &x, &ds[j]), "through_mut vs fd");
    }
}

#[test]
#[should_panic(expected = "directions for `y`")]
fn mismatched_direction_counts_panic() {
    let x = [0.4, -1.2];
    let _ = chains_jvp_batch(&x, &dirs(2, 3, 1), &x, &dirs(2, 2, 2));
}

#[test]
fn jacobian_columns_come_from_lanes() {
    // 6 inputs <= 6 outputs: forward mode, two sweeps of four lanes.
    let x = [0.4, -1.2, 0.9, 1.7, -0.3];
    let (y, j) = squares_jacobian(&x, 1.5);
    assert_eq!(bits(&y), bits(&squares(&x, 1.5)));
    let fd = check::fd_jacobian(|p: &[f64]| squares(&p[..5], p[5]), &[0.4, -1.2, 0.9, 1.7, -0.3, 1.5]);
    for (r, rf) in j.iter().zip(&fd) {
        close(r, rf, "squares_jacobian vs fd");
    }
    let mut e = vec![0.0; 5];
    for b in 0..5 {
        e[b] = 1.0;
        let col = squares_jvp(&x, &e, 1.5, 0.0).1;
        e[b] = 0.0;
        for a in 0..5 {
            assert_eq!(j[a][b].to_bits(), col[a].to_bits());
        }
    }
}
