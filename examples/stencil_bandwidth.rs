//! Achieved memory bandwidth of the primal, tangent and adjoint kernels
//! `#[kernel]` emits for a bandwidth-bound stencil (a 2-D five-point
//! Laplacian step), next to a copy kernel (one read and one write per
//! element: what the memory system delivers).
//!
//! Bytes counted per element are the ideal traffic of each kernel, with the
//! neighbours' reads served by caches: primal `u` in, `out` out (2 words);
//! tangent `u, du` in, `out, dout` out (4); adjoint `u, out_bar` in,
//! `out, out_bar` out, `u_bar` read and written (6: its five `atomicAdd`s
//! per element hit each word five times, from neighbouring threads).
//! Targets (issue 10): adjoint ≥ 70 % and tangent ≥ 80 % of the primal's
//! achieved bandwidth.
//!
//! ```sh
//! cargo run --release --features cuda --example stencil_bandwidth -- --n 8192 --iters 50 --f32
//! ```
//!
//! On a machine without a GPU it times the CPU twins at a small size
//! instead (and says so). `gpu/ci/bench-h200.sh` builds this binary and
//! runs it on a GPU machine. Options: `--n <grid side>`, `--iters <k>`,
//! `--f32` / `--f64` (default both).

#[path = "stencil_bandwidth/kernels.rs"]
mod kernels;

use kernels::*;
use std::time::Instant;

struct Row {
    name: &'static str,
    seconds: f64,
    words: f64,
}

fn report(title: &str, n: usize, word: usize, rows: &[Row]) {
    println!("\n{title}: {n} elements ({} MiB per array)", n * word / (1 << 20));
    println!("| kernel | time per launch | bytes per element | achieved GB/s | ÷ primal |");
    println!("|---|---:|---:|---:|---:|");
    let primal = rows.iter().find(|r| r.name == "primal").map(|r| r.words * (n * word) as f64 / r.seconds);
    for r in rows {
        let gbps = r.words * (n * word) as f64 / r.seconds / 1e9;
        let ratio = primal.map(|p| format!("{:.2}", gbps * 1e9 / p)).unwrap_or_default();
        println!("| {} | {:.1} µs | {} | {:.1} | {} |", r.name, r.seconds * 1e6, r.words as usize * word, gbps, ratio);
        println!("RESULT {title} kernel={} seconds={:.6e} gbps={:.2}", r.name, r.seconds, gbps);
    }
    if let Some(p) = primal {
        for (name, target) in [("tangent", 0.8), ("adjoint", 0.7)] {
            if let Some(r) = rows.iter().find(|r| r.name == name) {
                let ratio = r.words * (n * word) as f64 / r.seconds / p;
                println!("target {name} ≥ {:.0} % of the primal's bandwidth: {:.0} % ({})", target * 100.0, ratio * 100.0, if ratio >= target { "met" } else { "missed" });
            }
        }
    }
}

fn time(iters: usize, mut f: impl FnMut()) -> f64 {
    f();
    f();
    let t = Instant::now();
    for _ in 0..iters {
        f();
    }
    t.elapsed().as_secs_f64() / iters as f64
}

macro_rules! bench_gpu {
    ($g:expr, $F:ty, $nx:expr, $iters:expr, $lap:ident, $lap_jvp:ident, $lap_vjp:ident, $copy:ident, $title:expr) => {{
        let g = $g;
        let nx: usize = $nx;
        let n = nx * nx;
        let host: Vec<$F> = (0..n).map(|i| ((i % 97) as $F) * 0.01).collect();
        let u = g.upload(&host).expect("upload");
        let du = g.upload(&host).expect("upload");
        let mut out = g.zeros::<$F>(n).expect("alloc");
        let mut dout = g.zeros::<$F>(n).expect("alloc");
        let mut ubar = g.zeros::<$F>(n).expect("alloc");
        let mut obar = g.upload(&host).expect("upload");
        let c: $F = 0.2;
        let sync = || g.synchronize().expect("synchronize");
        let mut rows = Vec::new();
        // Launches are asynchronous: time a batch, synchronising once.
        let batch = |f: &mut dyn FnMut()| {
            f();
            sync();
            let t = Instant::now();
            for _ in 0..$iters {
                f();
            }
            sync();
            t.elapsed().as_secs_f64() / $iters as f64
        };
        rows.push(Row { name: "copy", seconds: batch(&mut || { $copy(g, &u, &mut out).expect("copy"); }), words: 2.0 });
        rows.push(Row { name: "primal", seconds: batch(&mut || { $lap(g, &u, nx, c, &mut out).expect("primal"); }), words: 2.0 });
        rows.push(Row { name: "tangent", seconds: batch(&mut || { $lap_jvp(g, &u, &du, nx, c, &mut out, &mut dout).expect("tangent"); }), words: 4.0 });
        rows.push(Row { name: "adjoint", seconds: batch(&mut || { $lap_vjp(g, &u, &mut ubar, nx, c, &mut out, &mut obar).expect("adjoint"); }), words: 6.0 });
        report($title, n, std::mem::size_of::<$F>(), &rows);
    }};
}

macro_rules! bench_cpu {
    ($F:ty, $nx:expr, $iters:expr, $lap:ident, $lap_jvp:ident, $lap_vjp:ident, $copy:ident, $title:expr) => {{
        let nx: usize = $nx;
        let n = nx * nx;
        let u: Vec<$F> = (0..n).map(|i| ((i % 97) as $F) * 0.01).collect();
        let du = u.clone();
        let (mut out, mut dout, mut ubar, mut obar) = (vec![0.0 as $F; n], vec![0.0 as $F; n], vec![0.0 as $F; n], u.clone());
        let c: $F = 0.2;
        let rows = vec![
            Row { name: "copy", seconds: time($iters, || $copy(&u, &mut out)), words: 2.0 },
            Row { name: "primal", seconds: time($iters, || $lap(&u, nx, c, &mut out)), words: 2.0 },
            Row { name: "tangent", seconds: time($iters, || $lap_jvp(&u, &du, nx, c, &mut out, &mut dout)), words: 4.0 },
            Row { name: "adjoint", seconds: time($iters, || $lap_vjp(&u, &mut ubar, nx, c, &mut out, &mut obar)), words: 6.0 },
        ];
        report($title, n, std::mem::size_of::<$F>(), &rows);
    }};
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |k: &str| args.iter().position(|a| a == k).and_then(|p| args.get(p + 1)).and_then(|v| v.parse::<usize>().ok());
    let f32_only = args.iter().any(|a| a == "--f32");
    let f64_only = args.iter().any(|a| a == "--f64");
    let (do32, do64) = if f32_only || f64_only { (f32_only, f64_only) } else { (true, true) };
    match leibniz::gpu::Backend::detect() {
        leibniz::gpu::Backend::Cuda(g) => {
            let nx = get("--n").unwrap_or(8192);
            let iters = get("--iters").unwrap_or(50);
            println!("stencil_bandwidth: {} (compute capability {:?}, driver {}), {nx}×{nx} grid, {iters} launches per kernel", g.name(), g.compute_capability(), g.driver_version());
            if do32 {
                bench_gpu!(g, f32, nx, iters, lap32_gpu, lap32_jvp_gpu, lap32_vjp_gpu, copy32_gpu, "GPU f32");
            }
            if do64 {
                bench_gpu!(g, f64, nx, iters, lap64_gpu, lap64_jvp_gpu, lap64_vjp_gpu, copy64_gpu, "GPU f64");
            }
        }
        leibniz::gpu::Backend::Cpu { reason } => {
            let nx = get("--n").unwrap_or(512);
            let iters = get("--iters").unwrap_or(5);
            println!("stencil_bandwidth: no GPU ({reason}); timing the CPU twins on a {nx}×{nx} grid ({} threads)", leibniz::gpu::cpu_threads());
            if do32 {
                bench_cpu!(f32, nx, iters, lap32_cpu, lap32_jvp_cpu, lap32_vjp_cpu, copy32_cpu, "CPU twin f32");
            }
            if do64 {
                bench_cpu!(f64, nx, iters, lap64_cpu, lap64_jvp_cpu, lap64_vjp_cpu, copy64_cpu, "CPU twin f64");
            }
        }
    }
}
