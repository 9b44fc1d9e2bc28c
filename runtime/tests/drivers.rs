//! The dense Jacobian / Hessian drivers against known derivatives, at f32
//! and f64, serial and parallel; the thread-count knobs in child processes
//! (the count is fixed once per process).

use std::collections::HashSet;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use leibniz_runtime::Float;
use leibniz_runtime::check;
use leibniz_runtime::drivers::*;

fn c<F: Float>(v: f64) -> F {
    F::from(v).unwrap()
}

// f(x)_i = x_i² x_{i+1} + sin(x_{i-1}) + (1/n) Σ_j x_j, outputs m = n + 1
// with a last output Σ_j exp(x_j / n).
fn f<F: Float>(x: &[F]) -> Vec<F> {
    let n = x.len();
    let nf: F = c(n as f64);
    let s = x.iter().fold(F::zero(), |a, &b| a + b) / nf;
    let mut y: Vec<F> = (0..n)
        .map(|i| x[i] * x[i] * x[(i + 1) % n] + x[(i + n - 1) % n].sin() + s)
        .collect();
    y.push(x.iter().fold(F::zero(), |a, &b| a + (b / nf).exp()));
    y
}

fn jac<F: Float>(x: &[F]) -> Vec<Vec<F>> {
    let n = x.len();
    let nf: F = c(n as f64);
    let two: F = c(2.0);
    let mut j = vec![vec![F::one() / nf; n]; n + 1];
    for i in 0..n {
        let next = (i + 1) % n;
        let prev = (i + n - 1) % n;
        j[i][i] = j[i][i] + two * x[i] * x[next];
        j[i][next] = j[i][next] + x[i] * x[i];
        j[i][prev] = j[i][prev] + x[prev].cos();
    }
    for k in 0..n {
        j[n][k] = (x[k] / nf).exp() / nf;
    }
    j
}

fn jvp<F: Float>(x: &[F], v: &[F]) -> Vec<F> {
    jac(x)
        .iter()
        .map(|r| r.iter().zip(v).fold(F::zero(), |s, (&a, &b)| s + a * b))
        .collect()
}

fn vjp<F: Float>(x: &[F], w: &[F]) -> Vec<F> {
    let j = jac(x);
    (0..x.len())
        .map(|k| j.iter().zip(w).fold(F::zero(), |s, (r, &b)| s + r[k] * b))
        .collect()
}

// g(x) = Σ_i x_i² x_{i+1} + x_i⁴ / 12, with its Hessian in closed form.
fn hess<F: Float>(x: &[F]) -> Vec<Vec<F>> {
    let n = x.len();
    let two: F = c(2.0);
    let mut h = vec![vec![F::zero(); n]; n];
    for i in 0..n {
        let next = (i + 1) % n;
        h[i][i] = h[i][i] + two * x[next] + x[i] * x[i];
        h[i][next] = h[i][next] + two * x[i];
        h[next][i] = h[next][i] + two * x[i];
    }
    h
}

fn g<F: Float>(x: &[F]) -> F {
    let n = x.len();
    let twelve: F = c(12.0);
    (0..n).fold(F::zero(), |s, i| {
        s + x[i] * x[i] * x[(i + 1) % n] + x[i].powi(4) / twelve
    })
}

fn hvp<F: Float>(x: &[F], v: &[F]) -> Vec<F> {
    hess(x)
        .iter()
        .map(|r| r.iter().zip(v).fold(F::zero(), |s, (&a, &b)| s + a * b))
        .collect()
}

fn point<F: Float>(n: usize) -> Vec<F> {
    (0..n)
        .map(|i| c(((i * 37 % 17) as f64) / 8.0 - 1.0))
        .collect()
}

fn close<F: Float>(a: &[Vec<F>], b: &[Vec<F>], rtol: f64) {
    assert_eq!(a.len(), b.len());
    for (r, s) in a.iter().zip(b) {
        assert_eq!(r.len(), s.len());
        for (&p, &q) in r.iter().zip(s) {
            let (p, q) = (p.to_f64().unwrap(), q.to_f64().unwrap());
            assert!((p - q).abs() <= rtol * (1.0 + q.abs()), "{p} vs {q}");
        }
    }
}

fn jacobian_cases<F: Float + Send + Sync + std::fmt::Debug>(rtol: f64) {
    for n in [1, 2, 5, 9, 40] {
        let x: Vec<F> = point(n);
        let j = jac(&x);
        let fw = jacobian_forward(n, |v: &[F]| jvp(&x, v));
        let rv = jacobian_reverse(n + 1, n, |w: &[F]| vjp(&x, w));
        let au = jacobian_auto(n, n + 1, |v: &[F]| jvp(&x, v), |w: &[F]| vjp(&x, w));
        close(&fw, &j, rtol);
        close(&rv, &j, rtol);
        assert_eq!(au, fw, "n_in < n_out: forward");
        if n <= 9 {
            check::check_jacobian(f::<F>, &fw, &x).unwrap();
        }
        for k in [0, 1, 2, 3, 4, 8, 64] {
            let jk = |vs: &[Vec<F>]| vs.iter().map(|v| jvp(&x, v)).collect();
            let rk = |ws: &[Vec<F>]| ws.iter().map(|w| vjp(&x, w)).collect();
            assert_eq!(jacobian_forward_batched(n, n + 1, k, jk), fw, "k = {k}");
            assert_eq!(jacobian_reverse_batched(n + 1, n, k, rk), rv, "k = {k}");
            assert_eq!(jacobian_auto_batched(n, n + 1, k, jk, rk), fw);
        }
        let h = hessian_from_hvp(n, |v: &[F]| hvp(&x, v));
        close(&h, &hess(&x), rtol);
        for k in [1, 3, 16] {
            let hk = |vs: &[Vec<F>]| vs.iter().map(|v| hvp(&x, v)).collect();
            assert_eq!(hessian_from_hvp_batched(n, k, hk), h);
        }
    }
}

#[test]
fn jacobians_f64() {
    jacobian_cases::<f64>(1e-13);
}

#[test]
fn jacobians_f32() {
    jacobian_cases::<f32>(1e-5);
}

#[test]
fn auto_picks_fewer_sweeps() {
    let x: Vec<f64> = point(6);
    let (nj, nv) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let count_jvp = |v: &[f64]| {
        nj.fetch_add(1, Ordering::Relaxed);
        jvp(&x, v)
    };
    let count_vjp = |w: &[f64]| {
        nv.fetch_add(1, Ordering::Relaxed);
        vjp(&x, w)
    };
    // 6 inputs, 7 outputs: forward, 6 sweeps
    let j = jacobian_auto(6, 7, count_jvp, count_vjp);
    assert_eq!(
        (nj.load(Ordering::Relaxed), nv.load(Ordering::Relaxed)),
        (6, 0)
    );
    close(&j, &jac(&x), 1e-13);
    // the transposed problem, 7 inputs and 6 outputs: reverse, 6 sweeps
    let jt = jac(&x);
    let t: Vec<Vec<f64>> = (0..6).map(|i| (0..7).map(|o| jt[o][i]).collect()).collect();
    let (nj, nv) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let tj = jacobian_auto(
        7,
        6,
        |v: &[f64]| {
            nj.fetch_add(1, Ordering::Relaxed);
            t.iter()
                .map(|r| r.iter().zip(v).map(|(a, b)| a * b).sum())
                .collect()
        },
        |w: &[f64]| {
            nv.fetch_add(1, Ordering::Relaxed);
            (0..7)
                .map(|k| t.iter().zip(w).map(|(r, b)| r[k] * b).sum())
                .collect()
        },
    );
    assert_eq!(
        (nj.load(Ordering::Relaxed), nv.load(Ordering::Relaxed)),
        (0, 6)
    );
    assert_eq!(tj, t);
    // batched: ceil(6 / 4) = 2 calls
    let calls = AtomicUsize::new(0);
    let sizes = Mutex::new(Vec::new());
    jacobian_forward_batched(6, 7, 4, |vs: &[Vec<f64>]| {
        calls.fetch_add(1, Ordering::Relaxed);
        sizes.lock().unwrap().push(vs.len());
        vs.iter().map(|v| jvp(&x, v)).collect()
    });
    assert_eq!(calls.into_inner(), 2);
    let mut s = sizes.into_inner().unwrap();
    s.sort();
    assert_eq!(s, vec![2, 4]);
}

#[test]
fn empty_shapes() {
    // no inputs: one JVP call tells the number of outputs
    let j = jacobian_forward(0, |_: &[f64]| vec![0.0; 3]);
    assert_eq!(j, vec![Vec::<f64>::new(); 3]);
    let j = jacobian_auto(0, 3, |_: &[f64]| vec![0.0; 3], |_: &[f64]| Vec::new());
    assert_eq!(j.len(), 3);
    assert!(jacobian_reverse(0, 4, |_: &[f64]| vec![0.0; 4]).is_empty());
    assert!(hessian_from_hvp(0, |_: &[f64]| Vec::new()).is_empty());
    assert_eq!(
        jacobian_forward_batched(0, 2, 3, |_: &[Vec<f64>]| Vec::new()),
        vec![Vec::<f64>::new(); 2]
    );
    assert!(jacobian_reverse_batched(0, 2, 3, |_: &[Vec<f64>]| Vec::new()).is_empty());
    assert!(hessian_from_hvp_batched(0, 3, |_: &[Vec<f64>]| Vec::new()).is_empty());
}

#[test]
fn unit_directions_are_exact() {
    // the drivers pass exact unit vectors e_j and nothing else
    let seen = Mutex::new(Vec::new());
    jacobian_forward(5, |v: &[f64]| {
        seen.lock().unwrap().push(v.to_vec());
        vec![0.0]
    });
    let mut seen = seen.into_inner().unwrap();
    seen.sort_by(|a, b| b.partial_cmp(a).unwrap());
    for (j, v) in seen.iter().enumerate() {
        let e: Vec<f64> = (0..5).map(|i| if i == j { 1.0 } else { 0.0 }).collect();
        assert_eq!(v, &e);
    }
}

#[test]
fn hessian_is_symmetric_mean() {
    // an HVP of f = x0² x1 with a bug in one column entry: the mean is returned
    let skewed = |v: &[f64]| vec![4.0 * v[0] + 2.0 * v[1], 2.2 * v[0]];
    let h = hessian_from_hvp(2, skewed);
    assert_eq!(h[0][1], h[1][0]);
    assert!((h[0][1] - 2.1).abs() < 1e-15);
    // the raw columns stay available through jacobian_forward
    assert_eq!(
        jacobian_forward(2, skewed),
        vec![vec![4.0, 2.0], vec![2.2, 0.0]]
    );
    // agreement with an FD Hessian of g
    let x: Vec<f64> = point(4);
    let fdh = check::fd_hessian(g::<f64>, &x);
    close(&fdh, &hessian_from_hvp(4, |v: &[f64]| hvp(&x, v)), 1e-6);
}

#[test]
fn large_slow_problem_same_result_as_small_pieces() {
    // Slow sweeps go parallel (when more than one thread is available); the
    // result must be bit-identical to the batched k = 1 run and to a direct
    // serial computation.
    let n = 48;
    let x: Vec<f64> = point(n);
    let serial: Vec<Vec<f64>> = {
        let cols: Vec<Vec<f64>> = (0..n)
            .map(|j| {
                let mut e = vec![0.0; n];
                e[j] = 1.0;
                jvp(&x, &e)
            })
            .collect();
        (0..=n)
            .map(|i| cols.iter().map(|c| c[i]).collect())
            .collect()
    };
    let ids = Mutex::new(HashSet::new());
    let par = jacobian_forward(n, |v: &[f64]| {
        std::thread::sleep(Duration::from_micros(100));
        ids.lock().unwrap().insert(std::thread::current().id());
        jvp(&x, v)
    });
    assert_eq!(par, serial);
    if threads() > 1 {
        assert!(
            ids.into_inner().unwrap().len() > 1,
            "slow sweeps should run in parallel"
        );
    }
}

#[test]
#[should_panic(expected = "has length 2, expected 3")]
fn ragged_columns_panic() {
    let calls = AtomicUsize::new(0);
    jacobian_forward(3, |_: &[f64]| {
        let k = calls.fetch_add(1, Ordering::Relaxed);
        vec![0.0; if k == 0 { 3 } else { 2 }]
    });
}

#[test]
#[should_panic(expected = "expected 4")]
fn wrong_row_length_panics() {
    jacobian_reverse(2, 4, |_: &[f64]| vec![0.0; 3]);
}

#[test]
#[should_panic(expected = "returned 1 results")]
fn batch_wrong_count_panics() {
    jacobian_forward_batched(4, 1, 2, |_: &[Vec<f64>]| vec![vec![0.0]]);
}

#[test]
#[should_panic(expected = "JVP has 2 outputs, expected 3")]
fn auto_wrong_n_out_panics() {
    jacobian_auto(2, 3, |_: &[f64]| vec![0.0; 2], |_: &[f64]| vec![0.0; 2]);
}

#[test]
#[should_panic(expected = "boom")]
fn closure_panic_propagates_from_pool() {
    jacobian_forward(32, |v: &[f64]| {
        std::thread::sleep(Duration::from_micros(100));
        if v[20] == 1.0 {
            panic!("boom");
        }
        vec![0.0]
    });
}

// ---------------------------------------------------------------------------
// Thread-count knobs, each in a child process of this test binary
// ---------------------------------------------------------------------------

/// Set in the child processes: the `child_*` tests do nothing without it
/// (so `--include-ignored` runs them harmlessly in the parent).
const CHILD: &str = "LEIBNIZ_DRIVERS_TEST_CHILD";

fn in_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// Runs the ignored test `name` of this binary in a child process with
/// `LEIBNIZ_THREADS` set to `env` (or unset).
fn run_child(name: &str, env: Option<&str>) {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args([
        "--exact",
        name,
        "--ignored",
        "--test-threads=1",
        "--nocapture",
    ]);
    cmd.env(CHILD, "1");
    match env {
        Some(v) => cmd.env("LEIBNIZ_THREADS", v),
        None => cmd.env_remove("LEIBNIZ_THREADS"),
    };
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child {name} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Names of the threads that ran the sweeps of a slow 40-column Jacobian.
fn sweep_threads() -> HashSet<String> {
    let names = Mutex::new(HashSet::new());
    let x: Vec<f64> = point(40);
    let j = jacobian_forward(40, |v: &[f64]| {
        std::thread::sleep(Duration::from_micros(200));
        let t = std::thread::current();
        names
            .lock()
            .unwrap()
            .insert(t.name().unwrap_or("?").to_string());
        jvp(&x, v)
    });
    close(&j, &jac(&x), 1e-13);
    names.into_inner().unwrap()
}

fn main_thread_name() -> String {
    std::thread::current().name().unwrap_or("?").to_string()
}

#[test]
fn env_one_is_serial() {
    run_child("child_env_one", Some("1"));
}

#[test]
#[ignore = "run by env_one_is_serial in a child process"]
fn child_env_one() {
    if !in_child() {
        return;
    }
    assert_eq!(threads(), 1);
    assert_eq!(sweep_threads(), HashSet::from([main_thread_name()]));
    assert!(!set_threads(4), "already fixed by first use");
    assert_eq!(threads(), 1);
}

#[test]
fn env_three_uses_own_pool() {
    run_child("child_env_three", Some("3"));
}

#[test]
#[ignore = "run by env_three_uses_own_pool in a child process"]
fn child_env_three() {
    if !in_child() {
        return;
    }
    assert_eq!(threads(), 3);
    let names = sweep_threads();
    assert!(
        names.contains(&main_thread_name()),
        "sweep 0 runs on the caller: {names:?}"
    );
    let workers: Vec<_> = names.iter().filter(|n| n.starts_with("leibniz-")).collect();
    assert!(!workers.is_empty(), "{names:?}");
    assert!(names.len() <= 4, "{names:?}");
    // called from inside the user's own rayon pool: runs on that worker only
    let user = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .thread_name(|i| format!("user-{i}"))
        .build()
        .unwrap();
    let inside = user.install(sweep_threads);
    assert_eq!(inside.len(), 1, "{inside:?}");
    assert!(inside.iter().all(|n| n.starts_with("user-")));
    // and never rayon's global pool
    let names = sweep_threads();
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("leibniz-") || *n == main_thread_name()),
        "{names:?}"
    );
}

#[test]
fn set_threads_wins_over_env() {
    run_child("child_set_threads", Some("3"));
}

#[test]
#[ignore = "run by set_threads_wins_over_env in a child process"]
fn child_set_threads() {
    if !in_child() {
        return;
    }
    assert!(set_threads(2));
    assert!(!set_threads(5));
    assert_eq!(threads(), 2);
    let names = sweep_threads();
    let allowed = HashSet::from([
        main_thread_name(),
        "leibniz-0".to_string(),
        "leibniz-1".to_string(),
    ]);
    assert!(names.is_subset(&allowed), "{names:?}");
}

#[test]
fn bad_env_is_ignored() {
    run_child("child_bad_env", Some("many"));
    run_child("child_bad_env", Some("0"));
    run_child("child_bad_env", None);
}

#[test]
#[ignore = "run by bad_env_is_ignored in a child process"]
fn child_bad_env() {
    if !in_child() {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(threads(), cores);
    close(
        &jacobian_forward(3, |v: &[f64]| jvp(&point(3), v)),
        &jac(&point::<f64>(3)),
        1e-13,
    );
}

#[test]
fn set_threads_zero_means_cores() {
    run_child("child_set_zero", Some("1"));
}

#[test]
#[ignore = "run by set_threads_zero_means_cores in a child process"]
fn child_set_zero() {
    if !in_child() {
        return;
    }
    assert!(set_threads(0));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(threads(), cores);
}
