//! The emitted CUDA kernels *executed* without a GPU: each module
//! (`k_cuda_source()`, exactly what NVRTC compiles) is compiled as C++ by
//! the host compiler against a small shim (`__global__`, `threadIdx`,
//! `atomicAdd`, the CUDA math functions), every thread of a launch runs one
//! after the other, and the results of the primal, tangent and adjoint
//! kernels are compared with the CPU twins. This checks what the NVRTC test
//! cannot: that the printed CUDA computes the right numbers, with the
//! documented parameter order. (Warp reductions are replaced by plain
//! atomics under `LZ_HOST_EMULATION`; everything else is the same text.)
//!
//! Needs a C++17 compiler (`c++`, or `$CXX`); skips with a printed reason
//! without one.

mod kernel_defs;

use kernel_defs::*;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

const SHIM: &str = r#"
#include <math.h>
#include <stdio.h>
#include <string.h>
#define __global__
#define __device__
#define __restrict__
#define LZ_HOST_EMULATION 1
struct lz_dim3 { unsigned int x, y, z; };
static lz_dim3 blockIdx, blockDim, threadIdx, gridDim;
template <typename T> static T atomicAdd(T* a, T v) { T o = *a; *a = o + v; return o; }
static inline float __int_as_float(int i) { float f; memcpy(&f, &i, 4); return f; }
static inline double __longlong_as_double(long long i) { double f; memcpy(&f, &i, 8); return f; }
template <typename F> static void lz_launch(unsigned long long n, F f) {
  blockDim.x = 256; gridDim.x = (unsigned)((n + 255) / 256);
  for (unsigned b = 0; b < gridDim.x; ++b) for (unsigned t = 0; t < 256; ++t) { blockIdx.x = b; threadIdx.x = t; f(); }
}
template <typename T> static void lz_print(const char* what, const T* x, unsigned long long n) {
  printf("%s", what);
  for (unsigned long long i = 0; i < n; ++i) printf(" %.17g", (double)x[i]);
  printf("\n");
}
"#;

fn cxx() -> Option<String> {
    let c = std::env::var("CXX").unwrap_or_else(|_| "c++".into());
    Command::new(&c).arg("--version").output().ok().filter(|o| o.status.success()).map(|_| c)
}

fn arr<T: std::fmt::LowerExp>(name: &str, ty: &str, xs: &[T]) -> String {
    let body: Vec<String> = xs.iter().map(|x| format!("{x:e}")).collect();
    format!("static {ty} {name}[] = {{{}}};\n", body.join(", "))
}

/// Compiles `module` + `main_body` and returns the printed arrays by name.
fn run(tag: &str, module: &str, globals: &str, main_body: &str) -> Option<std::collections::HashMap<String, Vec<f64>>> {
    let Some(cxx) = cxx() else {
        eprintln!("skipped: no C++ compiler (`c++` or $CXX) to emulate the kernels with");
        return None;
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("kernel_emulate");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join(format!("{tag}.cpp"));
    let exe = dir.join(tag);
    let text = format!("{SHIM}\n{module}\n{globals}\nint main() {{\n{main_body}\n  return 0;\n}}\n");
    std::fs::write(&src, &text).unwrap();
    let out = Command::new(&cxx).args(["-std=c++17", "-O1", "-Wno-unknown-pragmas", "-o"]).arg(&exe).arg(&src).output().expect("run the C++ compiler");
    assert!(out.status.success(), "{tag}: the C++ compiler rejected the kernels:\n{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(&exe).output().expect("run the emulation");
    assert!(out.status.success(), "{tag}: the emulation failed");
    let mut m = std::collections::HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut it = line.split_whitespace();
        let name = it.next().unwrap().to_string();
        m.insert(name, it.map(|x| x.parse::<f64>().unwrap()).collect());
    }
    Some(m)
}

fn vals(n: usize, seed: u64, lo: f64, hi: f64) -> Vec<f64> {
    let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            lo + (hi - lo) * ((s >> 11) as f64 / (1u64 << 53) as f64)
        })
        .collect()
}

fn close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() <= tol * (1.0 + x.abs().max(y.abs())), "{what}[{k}]: emulated CUDA {x} vs CPU twin {y}");
    }
}

#[test]
fn diffuse_kernels_compute_what_the_cpu_twin_does() {
    let n = 300; // more than one block, not a multiple of 256
    let (u, du, w) = (vals(n, 1, -1.0, 1.0), vals(n, 2, -1.0, 1.0), vals(n, 3, -1.0, 1.0));
    let mut g = String::new();
    g += &arr("u", "double", &u);
    g += &arr("du", "double", &du);
    g += &arr("w", "double", &w);
    let body = format!(
        r#"
  const unsigned long long n = {n};
  static double y[{n}], dy[{n}], ub[{n}], ab[1];
  lz_launch(n, [&] {{ diffuse_primal(u, n, 0.3, y, n); }});
  lz_print("y", y, n);
  lz_launch(n, [&] {{ diffuse_tangent(u, n, du, 0.3, 0.7, y, dy, n); }});
  lz_print("dy", dy, n);
  lz_launch(n, [&] {{ diffuse_adjoint(u, n, ub, 0.3, ab, y, w, n); }});
  lz_print("ub", ub, n); lz_print("ab", ab, 1); lz_print("yb", w, n);
"#
    );
    let Some(r) = run("diffuse", diffuse_cuda_source(), &g, &body) else { return };
    let mut y = vec![0.0; n];
    diffuse_cpu(&u, 0.3, &mut y);
    close(&r["y"], &y, 1e-15, "primal");
    let mut dy = vec![0.0; n];
    diffuse_jvp_cpu(&u, &du, 0.3, 0.7, &mut y, &mut dy);
    close(&r["dy"], &dy, 1e-15, "tangent");
    let mut ub = vec![0.0; n];
    let mut wb = w.clone();
    let ab = diffuse_vjp_cpu(&u, &mut ub, 0.3, &mut y, &mut wb);
    close(&r["ub"], &ub, 1e-14, "u adjoint");
    close(&r["ab"], &[ab], 1e-12, "alpha adjoint");
    close(&r["yb"], &wb, 0.0, "out adjoint after");
}

#[test]
fn relax_kernels_read_the_old_output_value() {
    let n = 40;
    let (x, y0, dx, dy0, w) = (vals(n, 4, -1.0, 1.0), vals(n, 5, -1.0, 1.0), vals(n, 6, -1.0, 1.0), vals(n, 7, -1.0, 1.0), vals(n, 8, -1.0, 1.0));
    let mut g = String::new();
    for (k, v) in [("x", &x), ("yinit", &y0), ("dx", &dx), ("dyinit", &dy0), ("w", &w)] {
        g += &arr(k, "double", v);
    }
    let body = format!(
        r#"
  const unsigned long long n = {n};
  static double y[{n}], dy[{n}], yb[{n}], xb[{n}], rb[1];
  memcpy(y, yinit, sizeof y);
  lz_launch(n, [&] {{ relax_primal(x, n, 0.2, y, n); }});
  lz_print("y", y, n);
  memcpy(y, yinit, sizeof y); memcpy(dy, dyinit, sizeof dy);
  lz_launch(n, [&] {{ relax_tangent(x, n, dx, 0.2, 0.1, y, dy, n); }});
  lz_print("dy", dy, n);
  memcpy(y, yinit, sizeof y); memcpy(yb, w, sizeof yb);
  lz_launch(n, [&] {{ relax_adjoint(x, n, xb, 0.2, rb, y, yb, n); }});
  lz_print("xb", xb, n); lz_print("yb", yb, n); lz_print("rb", rb, 1); lz_print("y2", y, n);
"#
    );
    let Some(r) = run("relax", relax_cuda_source(), &g, &body) else { return };
    let mut y = y0.clone();
    relax_cpu(&x, 0.2, &mut y);
    close(&r["y"], &y, 1e-15, "primal");
    close(&r["y2"], &y, 1e-15, "adjoint kernel's primal");
    let (mut y, mut dy) = (y0.clone(), dy0.clone());
    relax_jvp_cpu(&x, &dx, 0.2, 0.1, &mut y, &mut dy);
    close(&r["dy"], &dy, 1e-14, "tangent");
    let (mut y, mut xb, mut yb) = (y0.clone(), vec![0.0; n], w.clone());
    let rb = relax_vjp_cpu(&x, &mut xb, 0.2, &mut y, &mut yb);
    close(&r["xb"], &xb, 1e-14, "x adjoint");
    close(&r["yb"], &yb, 1e-14, "adjoint of the old y");
    close(&r["rb"], &[rb], 1e-12, "rate adjoint");
}

#[test]
fn misfit_kernels_sum_and_two_outputs() {
    let n = 513;
    let (u, obs, du, dobs, rb) = (vals(n, 9, -1.0, 1.0), vals(n, 10, -1.0, 1.0), vals(n, 11, -1.0, 1.0), vals(n, 12, -1.0, 1.0), vals(n, 13, -1.0, 1.0));
    let mut g = String::new();
    for (k, v) in [("u", &u), ("obs", &obs), ("du", &du), ("dobs", &dobs), ("rb", &rb)] {
        g += &arr(k, "double", v);
    }
    let body = format!(
        r#"
  const unsigned long long n = {n};
  static double r[{n}], dr[{n}], ub[{n}], ob[{n}];
  double t[1] = {{0.25}}, dt[1] = {{0.0}}, tb[1] = {{2.0}};
  lz_launch(n, [&] {{ misfit_primal(u, n, obs, n, 1.5, r, t, n); }});
  lz_print("r", r, n); lz_print("t", t, 1);
  t[0] = 0.0;
  lz_launch(n, [&] {{ misfit_tangent(u, n, du, obs, n, dobs, 1.5, r, dr, t, dt, n); }});
  lz_print("dr", dr, n); lz_print("dt", dt, 1);
  t[0] = 0.0;
  lz_launch(n, [&] {{ misfit_adjoint(u, n, ub, obs, n, ob, 1.5, r, rb, t, tb, n); }});
  lz_print("ub", ub, n); lz_print("ob", ob, n); lz_print("rb", rb, n); lz_print("t2", t, 1);
"#
    );
    let Some(res) = run("misfit", misfit_cuda_source(), &g, &body) else { return };
    let (mut r, mut t) = (vec![0.0; n], 0.25);
    misfit_cpu(&u, &obs, 1.5, &mut r, &mut t);
    close(&res["r"], &r, 1e-15, "residual");
    close(&res["t"], &[t], 1e-12, "total");
    let (mut dr, mut t, mut dt) = (vec![0.0; n], 0.0, 0.0);
    misfit_jvp_cpu(&u, &du, &obs, &dobs, 1.5, &mut r, &mut dr, &mut t, &mut dt);
    close(&res["dr"], &dr, 1e-15, "residual tangent");
    close(&res["dt"], &[dt], 1e-12, "total tangent");
    let (mut ub, mut ob, mut rbb, mut t) = (vec![0.0; n], vec![0.0; n], rb.clone(), 0.0);
    misfit_vjp_cpu(&u, &mut ub, &obs, &mut ob, 1.5, &mut r, &mut rbb, &mut t, &mut 2.0);
    close(&res["ub"], &ub, 1e-14, "u adjoint");
    close(&res["ob"], &ob, 1e-14, "obs adjoint");
    close(&res["rb"], &rbb, 0.0, "residual adjoint after");
    close(&res["t2"], &[t], 1e-12, "the adjoint kernel's sum");
}

#[test]
fn taps32_kernels_with_a_device_callee_and_a_tape() {
    let n = 300;
    let x: Vec<f32> = vals(n, 14, -1.5, 1.5).iter().map(|v| *v as f32).collect();
    let w: Vec<f32> = vals(TAPS, 15, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let dx: Vec<f32> = vals(n, 16, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let dw: Vec<f32> = vals(TAPS, 17, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let yb: Vec<f32> = vals(n, 18, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let mut g = String::new();
    for (k, v) in [("x", &x), ("w", &w), ("dx", &dx), ("dw", &dw), ("yb", &yb)] {
        let body: Vec<String> = v.iter().map(|x| format!("{x:e}f")).collect();
        let _ = writeln!(g, "static float {k}[] = {{{}}};", body.join(", "));
    }
    let body = format!(
        r#"
  const unsigned long long n = {n}, m = {TAPS};
  static float y[{n}], dy[{n}], xb[{n}], wb[{TAPS}], kb[1];
  lz_launch(n, [&] {{ taps32_primal(x, n, w, m, 0.8f, y, n); }});
  lz_print("y", y, n);
  lz_launch(n, [&] {{ taps32_tangent(x, n, dx, w, m, dw, 0.8f, 0.3f, y, dy, n); }});
  lz_print("dy", dy, n);
  lz_launch(n, [&] {{ taps32_adjoint(x, n, xb, w, m, wb, 0.8f, kb, y, yb, n); }});
  lz_print("xb", xb, n); lz_print("wb", wb, m); lz_print("kb", kb, 1);
"#
    );
    let Some(r) = run("taps32", taps32_cuda_source(), &g, &body) else { return };
    let f = |v: &[f32]| v.iter().map(|x| *x as f64).collect::<Vec<f64>>();
    let mut y = vec![0.0f32; n];
    taps32_cpu(&x, &w, 0.8, &mut y);
    close(&r["y"], &f(&y), 1e-6, "primal");
    let mut dy = vec![0.0f32; n];
    taps32_jvp_cpu(&x, &dx, &w, &dw, 0.8, 0.3, &mut y, &mut dy);
    close(&r["dy"], &f(&dy), 1e-5, "tangent");
    let (mut xb, mut wb) = (vec![0.0f32; n], vec![0.0f32; TAPS]);
    let kb = taps32_vjp_cpu(&x, &mut xb, &w, &mut wb, 0.8, &mut y, &mut yb.clone());
    close(&r["xb"], &f(&xb), 1e-5, "x adjoint");
    close(&r["wb"], &f(&wb), 1e-4, "w adjoint");
    close(&r["kb"], &[kb as f64], 1e-4, "k adjoint");
}

#[test]
fn springs_and_gather_kernels() {
    let n = 70;
    let pos: Vec<f64> = (0..n).map(|i| i as f64 + 0.3 * (i as f64).sin()).collect();
    let (k, w) = (vals(n, 19, 0.5, 2.0), vals(n, 20, -1.0, 1.0));
    let x = vals(n, 21, -2.0, 2.0);
    let idx: Vec<u32> = (0..n as u32).map(|i| (i * 7 + 3) % n as u32).collect();
    let mut g = String::new();
    for (name, v) in [("pos", &pos), ("k", &k), ("w", &w), ("x", &x)] {
        g += &arr(name, "double", v);
    }
    let _ = writeln!(g, "static unsigned int idx[] = {{{}}};", idx.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", "));
    let body = format!(
        r#"
  const unsigned long long n = {n};
  static double e[{n}], pb[{n}], kb[{n}], rb[1], eb[{n}], y[{n}], xb[{n}], wb[1], yb[{n}];
  memcpy(eb, w, sizeof eb);
  lz_launch(n, [&] {{ springs_adjoint(pos, n, pb, k, n, kb, 1.0, rb, e, eb, n); }});
  lz_print("e", e, n); lz_print("pb", pb, n); lz_print("kb", kb, n); lz_print("rb", rb, 1);
  memcpy(yb, w, sizeof yb);
  lz_launch(n, [&] {{ gather_adjoint(x, n, xb, idx, n, 1.3, wb, 1, y, yb, n); }});
  lz_print("y", y, n); lz_print("xb", xb, n); lz_print("wb", wb, 1);
"#
    );
    let src = format!("{}\n// second module\n{}", springs_cuda_source(), gather_cuda_source().split("// ---- kernels of").nth(1).map(|s| format!("// ---- kernels of{s}")).unwrap());
    let Some(r) = run("springs_gather", &src, &g, &body) else { return };
    let (mut e, mut pb, mut kb) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let rb = springs_vjp_cpu(&pos, &mut pb, &k, &mut kb, 1.0, &mut e, &mut w.clone());
    close(&r["e"], &e, 1e-15, "springs value");
    close(&r["pb"], &pb, 1e-14, "springs pos adjoint");
    close(&r["kb"], &kb, 1e-14, "springs k adjoint");
    close(&r["rb"], &[rb], 1e-12, "springs rest adjoint");
    let (mut y, mut xb) = (vec![0.0; n], vec![0.0; n]);
    let wb = gather_vjp_cpu(&x, &mut xb, &idx, 1.3, true, &mut y, &mut w.clone());
    close(&r["y"], &y, 1e-15, "gather value");
    close(&r["xb"], &xb, 1e-14, "gather x adjoint");
    close(&r["wb"], &[wb], 1e-12, "gather w adjoint");
}

#[path = "../examples/soft_raster/kernels.rs"]
#[allow(dead_code)]
mod soft_raster_kernels;

#[test]
fn soft_raster_example_kernel() {
    use soft_raster_kernels::*;
    let (w, h) = (24usize, 20usize);
    let n = w * h;
    let shape = [11.0, 9.0, 6.0, 0.3, 1.0, -0.5, 0.2, 1.5, 0.1];
    let ib = vals(n, 22, -1.0, 1.0);
    let mut g = String::new();
    g += &arr("shape", "double", &shape);
    g += &arr("ib", "double", &ib);
    let body = format!(
        r#"
  const unsigned long long n = {n};
  static double img[{n}], sb[{NPARAM}];
  lz_launch(n, [&] {{ raster_adjoint(shape, {NPARAM}, sb, {w}, 1.0, img, ib, n); }});
  lz_print("img", img, n); lz_print("sb", sb, {NPARAM});
"#
    );
    let Some(r) = run("raster", raster_cuda_source(), &g, &body) else { return };
    let (mut img, mut sb) = (vec![0.0; n], vec![0.0; NPARAM]);
    raster_vjp_cpu(&shape, &mut sb, w, 1.0, &mut img, &mut ib.clone());
    close(&r["img"], &img, 1e-14, "image");
    close(&r["sb"], &sb, 1e-12, "shape adjoint (every pixel adds to the same words)");
}
