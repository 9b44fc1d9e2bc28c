//! The benchmark baselines are trustworthy: on small instances of every
//! workload in `benches/workloads`, the hand-written gradients agree with
//! central finite differences (`leibniz::check::fd_gradient`) and with
//! num-dual's forward mode, the values agree with the primal, and leibniz's
//! gradients equal the hand-written ones to rounding.

#[path = "../workloads/mod.rs"]
mod workloads;

use leibniz::check;
use workloads::*;

/// `|a_i - b_i| <= rtol (1 + |b_i|)` for every entry.
#[track_caller]
fn assert_close(what: &str, a: &[f64], b: &[f64], rtol: f64) {
    assert_eq!(a.len(), b.len(), "{what}: lengths differ");
    for i in 0..a.len() {
        let tol = rtol * (1.0 + b[i].abs());
        assert!(
            (a[i] - b[i]).abs() <= tol,
            "{what}: entry {i} differs: {:e} vs {:e} (|diff| {:.3e} > tol {:.3e})",
            a[i],
            b[i],
            (a[i] - b[i]).abs(),
            tol
        );
    }
}

/// Tolerance against central finite differences.
const FD: f64 = 1e-6;
/// Tolerance between two exact derivative computations (different rounding).
const EXACT: f64 = 1e-11;

fn concat(parts: &[&[f64]]) -> Vec<f64> {
    parts.iter().flat_map(|p| p.iter().copied()).collect()
}

// --------------------------------------------------------------------------
// Hand-written and num-dual gradients against finite differences
// --------------------------------------------------------------------------

#[test]
fn taylor_hand_matches_fd_and_num_dual() {
    for &(x, n) in &[(0.5, 30usize), (-0.9, 7), (1.1, 12)] {
        let (v, g) = taylor_grad_hand(x, n);
        assert_close("taylor value", &[v], &[taylor(x, n)], EXACT);
        let fd = check::fd_gradient(|p: &[f64]| taylor(p[0], n), &[x]);
        assert_close("taylor hand vs fd", &[g], &fd, FD);
        let (vn, gn) = taylor_grad_num_dual(x, n);
        assert_close("taylor num-dual value", &[vn], &[v], EXACT);
        assert_close("taylor num-dual vs hand", &[gn], &[g], EXACT);
    }
}

#[test]
fn rosenbrock_hand_matches_fd_and_num_dual() {
    let x = Rng::new(11).vec(12, -1.5, 1.5);
    let (v, g) = rosenbrock_grad_hand(&x);
    assert_close("rosenbrock value", &[v], &[rosenbrock(&x)], EXACT);
    assert_close(
        "rosenbrock generic value",
        &[rosenbrock_nd::<f64>(&x)],
        &[v],
        EXACT,
    );
    let fd = check::fd_gradient(|p: &[f64]| rosenbrock(p), &x);
    assert_close("rosenbrock hand vs fd", &g, &fd, FD);
    let (vn, gn) = num_dual_grad(rosenbrock_nd, &x);
    assert_close("rosenbrock num-dual value", &[vn], &[v], EXACT);
    assert_close("rosenbrock num-dual vs hand", &gn, &g, EXACT);
}

#[test]
fn normalized_loss_hand_matches_fd_and_num_dual() {
    for n in [1, 2, 9] {
        let (w, x) = normalized_input(n);
        let (v, g) = normalized_loss_grad_hand(&w, &x);
        assert_close("normalized value", &[v], &[normalized_loss(&w, &x)], EXACT);
        assert_close("mag", &[mag(&x)], &[mag_nd::<f64>(&x)], EXACT);
        let fd = check::fd_gradient(|p: &[f64]| normalized_loss(&w, p), &x);
        assert_close("normalized hand vs fd", &g, &fd, FD);
        let (vn, gn) = num_dual_grad(|p| normalized_loss_nd(&w, p), &x);
        assert_close("normalized num-dual value", &[vn], &[v], EXACT);
        assert_close("normalized num-dual vs hand", &gn, &g, EXACT);
    }
}

#[test]
fn particles_hand_matches_fd_and_num_dual() {
    let mut s = Particles::new(4, 30);
    s.dt = 0.05;
    s.c = 0.5;
    let (v, g) = particles_grad_hand(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c);
    assert_close(
        "particles value",
        &[v],
        &[particles(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c)],
        EXACT,
    );
    let fd = check::fd_gradient(
        |p: &[f64]| particles(&s.p0, p, s.steps, s.dt, s.k, s.c),
        &s.v0,
    );
    assert_close("particles hand vs fd", &g, &fd, FD);
    let (vn, gn) = num_dual_grad(|p| particles_nd(&s.p0, p, s.steps, s.dt, s.k, s.c), &s.v0);
    assert_close("particles num-dual value", &[vn], &[v], EXACT);
    assert_close("particles num-dual vs hand", &gn, &g, EXACT);
}

fn gmm_instances() -> Vec<Gmm> {
    vec![
        Gmm::new(2, 3, 10),
        Gmm::new(3, 4, 7),
        Gmm::new(1, 2, 5),
        Gmm::new(4, 2, 6),
    ]
}

#[test]
fn gmm_hand_matches_fd_and_num_dual() {
    for g in gmm_instances() {
        let (v, (ga, gm, gi)) = gmm_grad_hand(
            &g.alphas, &g.means, &g.icf, &g.x, g.d, g.gamma, g.m, g.constant,
        );
        let primal = gmm_objective(
            &g.alphas, &g.means, &g.icf, &g.x, g.d, g.gamma, g.m, g.constant,
        );
        assert_close("gmm value", &[v], &[primal], EXACT);
        let hand = concat(&[&ga, &gm, &gi]);
        let p = g.flat_params();
        let f = |q: &[f64]| {
            let (a, mu, ic) = g.split(q);
            gmm_objective(a, mu, ic, &g.x, g.d, g.gamma, g.m, g.constant)
        };
        let fd = check::fd_gradient(f, &p);
        assert_close(
            &format!("gmm d={} k={} hand vs fd", g.d, g.k),
            &hand,
            &fd,
            FD,
        );
        let (vn, gn) = num_dual_grad(|q| g.objective_nd(q), &p);
        assert_close("gmm num-dual value", &[vn], &[v], EXACT);
        assert_close("gmm num-dual vs hand", &gn, &hand, EXACT);
    }
}

#[test]
fn gmm_constant_matches_adbench_formula() {
    // d = 2, m = 0, γ = 1: log Γ_2(3/2) = (1/2) log π + lgamma(3/2) + lgamma(1)
    let lg = 0.5 * std::f64::consts::PI.ln() + (0.5 * std::f64::consts::PI.sqrt()).ln();
    let cc = 3.0 * 2.0 * (-0.5 * 2f64.ln()) - lg;
    let want = -10.0 * 2.0 * 0.5 * (2.0 * std::f64::consts::PI).ln() - 5.0 * cc;
    assert_close(
        "gmm constant",
        &[gmm_constant(2, 5, 10, 1.0, 0.0)],
        &[want],
        1e-14,
    );
    assert_close("lgamma(5)", &[ln_gamma(5.0)], &[24f64.ln()], 1e-14);
}

#[test]
fn mlp_hand_matches_fd_and_num_dual() {
    let m = Mlp::new(3, 5, 2, 4);
    let (v, (g1, gb1, g2, gb2)) = mlp_grad_hand(&m.w1, &m.b1, &m.w2, &m.b2, &m.xs, &m.ys);
    assert_close(
        "mlp value",
        &[v],
        &[mlp_loss(&m.w1, &m.b1, &m.w2, &m.b2, &m.xs, &m.ys)],
        EXACT,
    );
    let hand = concat(&[&g1, &gb1, &g2, &gb2]);
    let p = m.flat_params();
    let f = |q: &[f64]| {
        let (w1, b1, w2, b2) = m.split(q);
        mlp_loss(w1, b1, w2, b2, &m.xs, &m.ys)
    };
    let fd = check::fd_gradient(f, &p);
    assert_close("mlp hand vs fd", &hand, &fd, FD);
    let (vn, gn) = num_dual_grad(|q| m.loss_nd(q), &p);
    assert_close("mlp num-dual value", &[vn], &[v], EXACT);
    assert_close("mlp num-dual vs hand", &gn, &hand, EXACT);
}

// --------------------------------------------------------------------------
// leibniz against the hand-written gradients (to rounding)
// --------------------------------------------------------------------------

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn taylor_leibniz_matches_hand() {
    for &(x, n) in &[(0.5, 30usize), (-0.9, 7), (1.1, 12)] {
        let (v, g) = taylor_grad_hand(x, n);
        let (lv, lg) = taylor_grad(x, n);
        assert_close("taylor leibniz value", &[lv], &[v], EXACT);
        assert_close("taylor leibniz grad", &[lg], &[g], EXACT);
        let (jv, jt) = taylor_jvp(x, 0.7, n);
        assert_close("taylor jvp", &[jv, jt], &[v, 0.7 * g], EXACT);
        let (vv, a) = taylor_vjp(x, n, -2.0);
        assert_close("taylor vjp", &[vv, a], &[v, -2.0 * g], EXACT);
    }
}

#[test]
fn rosenbrock_leibniz_matches_hand() {
    let x = Rng::new(11).vec(12, -1.5, 1.5);
    let dx = Rng::new(12).vec(12, -1.0, 1.0);
    let (v, g) = rosenbrock_grad_hand(&x);
    let (lv, lg) = rosenbrock_grad(&x);
    assert_close("rosenbrock leibniz value", &[lv], &[v], EXACT);
    assert_close("rosenbrock leibniz grad", &lg, &g, EXACT);
    let (jv, jt) = rosenbrock_jvp(&x, &dx);
    assert_close("rosenbrock jvp", &[jv, jt], &[v, dot(&g, &dx)], EXACT);
}

#[test]
fn normalized_loss_leibniz_matches_hand() {
    for n in [1, 2, 9, 50] {
        let (w, x) = normalized_input(n);
        let dx = Rng::new(13).vec(n, -1.0, 1.0);
        let (v, g) = normalized_loss_grad_hand(&w, &x);
        let (lv, lg) = normalized_loss_grad(&w, &x);
        assert_close("normalized leibniz value", &[lv], &[v], EXACT);
        assert_close("normalized leibniz grad", &lg, &g, EXACT);
        let (jv, jt) = normalized_loss_jvp(&w, &x, &dx);
        assert_close("normalized jvp", &[jv, jt], &[v, dot(&g, &dx)], EXACT);
    }
}

#[test]
fn particles_leibniz_matches_hand() {
    let mut s = Particles::new(4, 30);
    s.dt = 0.05;
    s.c = 0.5;
    let dv = Rng::new(14).vec(s.v0.len(), -1.0, 1.0);
    let (v, g) = particles_grad_hand(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c);
    let (lv, lg) = particles_grad(&s.p0, &s.v0, s.steps, s.dt, s.k, s.c);
    assert_close("particles leibniz value", &[lv], &[v], EXACT);
    assert_close("particles leibniz grad", &lg, &g, EXACT);
    let (jv, jt) = particles_jvp(&s.p0, &s.v0, &dv, s.steps, s.dt, s.k, s.c);
    assert_close("particles jvp", &[jv, jt], &[v, dot(&g, &dv)], EXACT);
}

#[test]
fn gmm_leibniz_matches_hand() {
    for g in gmm_instances() {
        let (v, (ga, gm, gi)) = gmm_grad_hand(
            &g.alphas, &g.means, &g.icf, &g.x, g.d, g.gamma, g.m, g.constant,
        );
        let (lv, (la, lm, li)) = gmm_objective_grad(
            &g.alphas, &g.means, &g.icf, &g.x, g.d, g.gamma, g.m, g.constant,
        );
        assert_close("gmm leibniz value", &[lv], &[v], EXACT);
        assert_close("gmm leibniz grad alphas", &la, &ga, EXACT);
        assert_close("gmm leibniz grad means", &lm, &gm, EXACT);
        assert_close("gmm leibniz grad icf", &li, &gi, EXACT);
        let mut r = Rng::new(15);
        let (da, dm, di) = (
            r.vec(ga.len(), -1.0, 1.0),
            r.vec(gm.len(), -1.0, 1.0),
            r.vec(gi.len(), -1.0, 1.0),
        );
        let (jv, jt) = gmm_objective_jvp(
            &g.alphas, &da, &g.means, &dm, &g.icf, &di, &g.x, g.d, g.gamma, g.m, g.constant,
        );
        let want = dot(&ga, &da) + dot(&gm, &dm) + dot(&gi, &di);
        assert_close("gmm jvp", &[jv, jt], &[v, want], EXACT);
    }
}

#[test]
fn mlp_leibniz_matches_hand() {
    let m = Mlp::new(3, 5, 2, 4);
    let (v, (g1, gb1, g2, gb2)) = mlp_grad_hand(&m.w1, &m.b1, &m.w2, &m.b2, &m.xs, &m.ys);
    let (lv, (l1, lb1, l2, lb2)) = mlp_loss_grad(&m.w1, &m.b1, &m.w2, &m.b2, &m.xs, &m.ys);
    assert_close("mlp leibniz value", &[lv], &[v], EXACT);
    assert_close(
        "mlp leibniz grad",
        &concat(&[&l1, &lb1, &l2, &lb2]),
        &concat(&[&g1, &gb1, &g2, &gb2]),
        EXACT,
    );
    let mut r = Rng::new(16);
    let (d1, db1, d2, db2) = (
        r.vec(g1.len(), -1.0, 1.0),
        r.vec(gb1.len(), -1.0, 1.0),
        r.vec(g2.len(), -1.0, 1.0),
        r.vec(gb2.len(), -1.0, 1.0),
    );
    let (jv, jt) = mlp_loss_jvp(
        &m.w1, &d1, &m.b1, &db1, &m.w2, &d2, &m.b2, &db2, &m.xs, &m.ys,
    );
    let want = dot(&g1, &d1) + dot(&gb1, &db1) + dot(&g2, &d2) + dot(&gb2, &db2);
    assert_close("mlp jvp", &[jv, jt], &[v, want], EXACT);
}

#[test]
fn iterator_chains_match_their_loops_and_fd() {
    let x = rosenbrock_input(40);
    let y: Vec<f64> = x.iter().map(|v| 0.5 * v - 0.1).collect();
    assert_eq!(chain_loss(&x, &y), loop_loss(&x, &y));
    let (_, (gx, gy)) = chain_loss_grad(&x, &y);
    let (_, (lx, ly)) = loop_loss_grad(&x, &y);
    assert_close("chains vs loops, x", &gx, &lx, EXACT);
    assert_close("chains vs loops, y", &gy, &ly, EXACT);
    let xy = concat(&[&x, &y]);
    let fd = check::fd_gradient(|p: &[f64]| chain_loss(&p[..40], &p[40..]), &xy);
    assert_close("chains vs fd", &concat(&[&gx, &gy]), &fd, FD);
}
