//! Criterion benchmarks of the workloads in `benches/workloads`: for each,
//! the primal, leibniz's `_jvp` and `_grad`, the hand-written gradient and
//! num-dual's forward mode.
//!
//! ```text
//! cargo bench -p leibniz-bench --bench leibniz               # all
//! cargo bench -p leibniz-bench --bench leibniz -- gmm        # one group
//! ```
//!
//! num-dual needs one `Dual64` pass per input; where the full gradient takes
//! seconds, the `num_dual_P_of_N_passes` benchmark times the first P passes
//! (multiply by N / P for the full gradient). `benches/examples/bench_report.rs`
//! prints all of it as one table with the ratios.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "workloads/mod.rs"]
mod workloads;
use workloads::*;

/// Benchmark id of `passes` num-dual passes for a gradient of `n` entries.
fn nd_id(passes: usize, n: usize) -> String {
    if passes == n {
        "num_dual_grad".to_string()
    } else {
        format!("num_dual_{passes}_of_{n}_passes")
    }
}

fn taylor_bench(c: &mut Criterion) {
    let (x, n) = (TAYLOR_X, TAYLOR_N);
    let mut g = c.benchmark_group("taylor_1e6");
    g.bench_function("primal", |b| b.iter(|| taylor(black_box(x), black_box(n))));
    g.bench_function("jvp", |b| {
        b.iter(|| taylor_jvp(black_box(x), 1.0, black_box(n)))
    });
    g.bench_function("grad", |b| {
        b.iter(|| taylor_grad(black_box(x), black_box(n)))
    });
    g.bench_function("hand", |b| {
        b.iter(|| taylor_grad_hand(black_box(x), black_box(n)))
    });
    g.bench_function("num_dual_grad", |b| {
        b.iter(|| taylor_grad_num_dual(black_box(x), black_box(n)))
    });
    g.finish();
}

fn rosenbrock_bench(c: &mut Criterion) {
    let x = rosenbrock_input(ROSENBROCK_N);
    let dx = Rng::new(20).vec(x.len(), -1.0, 1.0);
    let n = x.len();
    let mut gnd = vec![0.0; n];
    let mut g = c.benchmark_group("rosenbrock_1e4");
    g.bench_function("primal", |b| b.iter(|| rosenbrock(black_box(&x))));
    g.bench_function("jvp", |b| b.iter(|| rosenbrock_jvp(black_box(&x), &dx)));
    g.bench_function("grad", |b| b.iter(|| rosenbrock_grad(black_box(&x))));
    g.bench_function("hand", |b| b.iter(|| rosenbrock_grad_hand(black_box(&x))));
    let p = 100;
    g.bench_function(nd_id(p, n), |b| {
        b.iter(|| num_dual_partial_grad(rosenbrock_nd, black_box(&x), 0..p, &mut gnd))
    });
    g.finish();
}

fn normalized_bench(c: &mut Criterion) {
    for n in NORMALIZED_NS {
        let (w, x) = normalized_input(n);
        let dx = Rng::new(30).vec(n, -1.0, 1.0);
        let mut gnd = vec![0.0; n];
        let mut g = c.benchmark_group(format!("normalized_loss_{n}"));
        g.bench_function("primal", |b| b.iter(|| normalized_loss(&w, black_box(&x))));
        g.bench_function("jvp", |b| {
            b.iter(|| normalized_loss_jvp(&w, black_box(&x), &dx))
        });
        g.bench_function("grad", |b| {
            b.iter(|| normalized_loss_grad(&w, black_box(&x)))
        });
        g.bench_function("hand", |b| {
            b.iter(|| normalized_loss_grad_hand(&w, black_box(&x)))
        });
        let p = 1;
        g.bench_function(nd_id(p, n), |b| {
            b.iter(|| {
                num_dual_partial_grad(|q| normalized_loss_nd(&w, q), black_box(&x), 0..p, &mut gnd)
            })
        });
        g.finish();
    }
}

fn particles_bench(c: &mut Criterion) {
    let s = Particles::bench();
    let dv = Rng::new(40).vec(s.v0.len(), -1.0, 1.0);
    let n = s.v0.len();
    let mut gnd = vec![0.0; n];
    let mut g = c.benchmark_group("particles_1000x100");
    g.bench_function("primal", |b| {
        b.iter(|| particles(&s.p0, black_box(&s.v0), s.steps, s.dt, s.k, s.c))
    });
    g.bench_function("jvp", |b| {
        b.iter(|| particles_jvp(&s.p0, black_box(&s.v0), &dv, s.steps, s.dt, s.k, s.c))
    });
    g.bench_function("grad", |b| {
        b.iter(|| particles_grad(&s.p0, black_box(&s.v0), s.steps, s.dt, s.k, s.c))
    });
    g.bench_function("hand", |b| {
        b.iter(|| particles_grad_hand(&s.p0, black_box(&s.v0), s.steps, s.dt, s.k, s.c))
    });
    let p = 4;
    g.bench_function(nd_id(p, n), |b| {
        b.iter(|| {
            num_dual_partial_grad(
                |q| particles_nd(&s.p0, q, s.steps, s.dt, s.k, s.c),
                black_box(&s.v0),
                0..p,
                &mut gnd,
            )
        })
    });
    g.finish();
}

fn gmm_bench(c: &mut Criterion) {
    for (d, k, n, p) in [(2, 5, 1000, 30), (10, 25, 10_000, 1)] {
        let m = Gmm::new(d, k, n);
        let mut r = Rng::new(50);
        let (da, dm, di) = (
            r.vec(m.alphas.len(), -1.0, 1.0),
            r.vec(m.means.len(), -1.0, 1.0),
            r.vec(m.icf.len(), -1.0, 1.0),
        );
        let flat = m.flat_params();
        let mut gnd = vec![0.0; flat.len()];
        let mut g = c.benchmark_group(format!("gmm_d{d}_k{k}_n{n}"));
        g.bench_function("primal", |b| {
            b.iter(|| {
                gmm_objective(
                    black_box(&m.alphas),
                    &m.means,
                    &m.icf,
                    &m.x,
                    m.d,
                    m.gamma,
                    m.m,
                    m.constant,
                )
            })
        });
        g.bench_function("jvp", |b| {
            b.iter(|| {
                gmm_objective_jvp(
                    black_box(&m.alphas),
                    &da,
                    &m.means,
                    &dm,
                    &m.icf,
                    &di,
                    &m.x,
                    m.d,
                    m.gamma,
                    m.m,
                    m.constant,
                )
            })
        });
        g.bench_function("grad", |b| {
            b.iter(|| {
                gmm_objective_grad(
                    black_box(&m.alphas),
                    &m.means,
                    &m.icf,
                    &m.x,
                    m.d,
                    m.gamma,
                    m.m,
                    m.constant,
                )
            })
        });
        g.bench_function("hand", |b| {
            b.iter(|| {
                gmm_grad_hand(
                    black_box(&m.alphas),
                    &m.means,
                    &m.icf,
                    &m.x,
                    m.d,
                    m.gamma,
                    m.m,
                    m.constant,
                )
            })
        });
        g.bench_function(nd_id(p, flat.len()), |b| {
            b.iter(|| {
                num_dual_partial_grad(|q| m.objective_nd(q), black_box(&flat), 0..p, &mut gnd)
            })
        });
        g.finish();
    }
}

fn mlp_bench(c: &mut Criterion) {
    let m = Mlp::bench();
    let mut r = Rng::new(60);
    let (d1, db1, d2, db2) = (
        r.vec(m.w1.len(), -1.0, 1.0),
        r.vec(m.b1.len(), -1.0, 1.0),
        r.vec(m.w2.len(), -1.0, 1.0),
        r.vec(m.b2.len(), -1.0, 1.0),
    );
    let flat = m.flat_params();
    let mut gnd = vec![0.0; flat.len()];
    let mut g = c.benchmark_group("mlp_32_64_10_b64");
    g.bench_function("primal", |b| {
        b.iter(|| mlp_loss(black_box(&m.w1), &m.b1, &m.w2, &m.b2, &m.xs, &m.ys))
    });
    g.bench_function("jvp", |b| {
        b.iter(|| {
            mlp_loss_jvp(
                black_box(&m.w1),
                &d1,
                &m.b1,
                &db1,
                &m.w2,
                &d2,
                &m.b2,
                &db2,
                &m.xs,
                &m.ys,
            )
        })
    });
    g.bench_function("grad", |b| {
        b.iter(|| mlp_loss_grad(black_box(&m.w1), &m.b1, &m.w2, &m.b2, &m.xs, &m.ys))
    });
    g.bench_function("hand", |b| {
        b.iter(|| mlp_grad_hand(black_box(&m.w1), &m.b1, &m.w2, &m.b2, &m.xs, &m.ys))
    });
    let p = 64;
    g.bench_function(nd_id(p, flat.len()), |b| {
        b.iter(|| num_dual_partial_grad(|q| m.loss_nd(q), black_box(&flat), 0..p, &mut gnd))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = taylor_bench, rosenbrock_bench, normalized_bench, particles_bench, gmm_bench, mlp_bench
}
criterion_main!(benches);
