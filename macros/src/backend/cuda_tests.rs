//! Snapshot tests of the CUDA printer: device functions (primal, tangent,
//! adjoint) of a few `#[differentiable]` bodies and the three kernels of a
//! few `#[kernel]` bodies, compared with the files under
//! `macros/tests/snapshots/`. `LEIBNIZ_BLESS=1 cargo test -p
//! leibniz-ad-macros` rewrites them; review the diff. `gpu/tests/snapshots.rs`
//! compiles every snapshot with NVRTC.
//!
//! In the files, placeholders are filled in the way `leibniz::gpu::assemble`
//! does at run time, with `lz_snap__<name>` for device names, so each file is
//! compilable CUDA once the prelude (`prelude.cu`) is in front of it.

use std::path::PathBuf;

use super::*;
use crate::diag::Diag;
use crate::front::attr::Attr;
use crate::kernel::{device, gpu_src, pipeline, rewrite, sig};

fn snap_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn check_snapshot(name: &str, text: &str) {
    let path = snap_dir().join(name);
    if std::env::var_os("LEIBNIZ_BLESS").is_some() {
        std::fs::create_dir_all(snap_dir()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let old = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing snapshot {}; run with LEIBNIZ_BLESS=1 to create it", path.display()));
    if old != text {
        let first = old.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(old.lines().count().min(text.lines().count()));
        panic!(
            "snapshot {} differs from the printer's output (first at line {}); if the change is intended, run with LEIBNIZ_BLESS=1 and review the diff\n--- new:\n{text}",
            path.display(),
            first + 1
        );
    }
}

/// Fills placeholders: `@SELF@` → `lz_snap__<self_name>`, `@k@` →
/// `lz_snap__<last segment of dep k>`, `@ck@` → the constant's tokens in a
/// comment (the snapshots use no run-time constants, so this never shows).
fn fill(src: &str, self_name: &str, deps: &[syn::Path], consts: &[TokenStream]) -> String {
    let mut out = String::new();
    let mut rest = src;
    while let Some(a) = rest.find('@') {
        out.push_str(&rest[..a]);
        let after = &rest[a + 1..];
        let b = after.find('@').expect("closed placeholder");
        let tag = &after[..b];
        if tag == "SELF" {
            out.push_str(&format!("lz_snap__{self_name}"));
        } else if let Some(k) = tag.strip_prefix('c') {
            let k: usize = k.parse().unwrap();
            out.push_str(&format!("/* {} */ 0", consts[k]));
        } else {
            let k: usize = tag.parse().unwrap();
            let last = deps[k].segments.last().unwrap().ident.to_string();
            out.push_str(&format!("lz_snap__{last}"));
        }
        rest = &after[b + 1..];
    }
    out.push_str(rest);
    out
}

fn device(src: &str) -> String {
    let f = pipeline::parse_fn(src);
    let mut diag = Diag::default();
    let p = pipeline::run(&f.sig, &f.block, &Attr::default(), &mut diag).unwrap_or_else(|| panic!("pipeline: {:?}", diag.into_result().err().map(|e| e.to_string())));
    let mut func = p.func.clone();
    let (j, v) = if pipeline::retype_calls(&mut func) {
        let mut d = Diag::default();
        pipeline::ad(&func, &p.sig, &mut d).expect("ad")
    } else {
        (p.jvp, p.vjp)
    };
    let d = device::device_source(&f.sig.ident, &p.sig, &device::Parts { func: &func, jvp: &j, vjp: &v }, false, &f.sig.generics).unwrap_or_else(|e| panic!("no device version: {e}"));
    let name = f.sig.ident.to_string();
    format!("// device functions of `{name}` (macros/src/backend/cuda_tests.rs)\n{}", fill(&d.source, &name, &d.deps, &d.consts))
}

fn kernel(src: &str) -> Result<String, Vec<String>> {
    let f = pipeline::parse_fn(src);
    let mut diag = Diag::default();
    let ks = sig::read(&f.sig, &mut diag).expect("kernel signature");
    let (esig, eblock, outs) = rewrite::elem_fn(&ks, &f.block, &mut diag);
    if !diag.is_empty() {
        return Err(diag.into_result().err().into_iter().flat_map(|e| e.into_iter().map(|e| e.to_string())).collect());
    }
    let p = pipeline::run(&esig, &eblock, &Attr::default(), &mut diag).ok_or_else(|| diag.into_result().err().into_iter().flat_map(|e| e.into_iter().map(|e| e.to_string())).collect::<Vec<_>>())?;
    let eps = gpu_src::elem_params(&ks, &outs.read);
    let k = gpu_src::kernel_source(&ks, &eps, &p, proc_macro2::Span::call_site());
    if !k.errors.is_empty() {
        return Err(k.errors.iter().map(|e| e.1.clone()).collect());
    }
    let name = f.sig.ident.to_string();
    Ok(format!("// kernels of `{name}` (macros/src/backend/cuda_tests.rs)\n{}", fill(&k.source, &name, &k.deps, &k.consts)))
}

const SMOOTH: &str = "fn smooth(x: f64, k: f64) -> f64 { (x * k).tanh() * x + k.powi(2) / (1.0 + x * x) }";
const SOFTPLUS: &str = "fn softplus<T: Float>(x: T, beta: T) -> T { let z = beta * x; let s = if z > T::zero() { z + (-z).exp().ln_1p() } else { z.exp().ln_1p() }; s / beta }";
const LOOPED: &str = "fn looped(x: f32, n: usize) -> f32 { let mut s = 0.0; for k in 0..4 { s += (x * k as f32).sin() * x; } if n > 2 { s.max(0.5 * x) } else { -s } }";
const CALLER: &str = "fn caller(x: f64, y: f64) -> f64 { let a = smooth(x, y); let b = smooth(y, 2.0); a * b + a.sqrt() }";

const K_DIFFUSE: &str = "fn diffuse(i: usize, u: &[f64], alpha: f64, out: &mut [f64]) { let n = u.len(); let l = if i > 0 { u[i - 1] } else { 0.0 }; let r = if i + 1 < n { u[i + 1] } else { 0.0 }; out[i] = u[i] + alpha * (l - 2.0 * u[i] + r); }";
const K_LOSS: &str = "fn loss(i: usize, u: &[f32], obs: &[f32], r: &mut [f32], total: &mut f32) { let e = u[i] - obs[i]; r[i] = e; *total += e * e; }";
const K_CALLS: &str = "fn calls(i: usize, x: &[f64], w: &[f64], k: f64, y: &mut [f64]) { let mut s = y[i]; for j in 0..3 { s += w[j] * smooth(x[i] + j as f64, k); } y[i] = s; }";

#[test]
fn snapshot_prelude() {
    check_snapshot("prelude.cu", &prelude());
}

#[test]
fn snapshot_device_functions() {
    check_snapshot("device_smooth.cu", &device(SMOOTH));
    check_snapshot("device_softplus.cu", &device(SOFTPLUS));
    check_snapshot("device_looped.cu", &device(LOOPED));
    check_snapshot("device_caller.cu", &device(CALLER));
}

#[test]
fn snapshot_kernels() {
    check_snapshot("kernel_diffuse.cu", &kernel(K_DIFFUSE).unwrap());
    check_snapshot("kernel_loss.cu", &kernel(K_LOSS).unwrap());
    check_snapshot("kernel_calls.cu", &kernel(K_CALLS).unwrap());
}

#[test]
fn device_functions_have_the_documented_shape() {
    let s = device(SMOOTH);
    assert!(s.contains("template <typename LZF> __device__ inline double lz_snap__smooth(double a_x, double a_k)"), "{s}");
    assert!(s.contains("lz_tup<double, double> lz_snap__smooth__lz_jvp(double a_x, double d_x, double a_k, double d_k)"), "{s}");
    assert!(s.contains("void lz_snap__smooth__lz_bwd(double a_x, double* b_x, double a_k, double* b_k, double lz_dout)"), "{s}");
    assert!(s.contains("tanh(") && s.contains("lz_powi("), "{s}");
    // generic: overloaded helpers, LZF everywhere
    let g = device(SOFTPLUS);
    assert!(g.contains("LZF lz_snap__softplus(LZF a_x, LZF a_beta)"), "{g}");
    assert!(g.contains("lz_exp(") && g.contains("lz_ln_1p("), "{g}");
    // f32: `namef`, literals with `f`
    let l = device(LOOPED);
    assert!(l.contains("sinf(") && l.contains("0.5f"), "{l}");
    assert!(l.contains("lz_tf["), "the loop stores a value per iteration: {l}");
    // the inactive integer parameter gets a free template slot
    assert!(l.contains("typename LZS1"), "{l}");
}

#[test]
fn printer_errors_name_what_cannot_be_cuda() {
    let e = kernel("fn k(i: usize, x: &[f64], y: &mut [f64]) { let v = vec![0.0; 3]; y[i] = x[i] + v[0]; }").unwrap_err();
    assert!(e.iter().any(|m| m.contains("allocation")), "{e:?}");
    let e = kernel("fn k(i: usize, x: &[f64], y: &mut [f64]) { println!(\"{}\", x[i]); y[i] = x[i]; }").unwrap_err();
    assert!(e.iter().any(|m| m.contains("I/O and macros")), "{e:?}");
    let e = kernel("fn k(i: usize, x: &[f64], y: &mut [f64]) { let mut s = 0.0; for j in 0..x.len() { s += x[j].sin(); } y[i] = s; }").unwrap_err();
    assert!(e.iter().any(|m| m.contains("fixed-size per-thread tape")), "{e:?}");
    let e = kernel("fn k(i: usize, x: &[f64], y: &mut [f64]) { y[i + 1] = x[i]; }").unwrap_err();
    assert!(e.iter().any(|m| m.contains("own index")), "{e:?}");
    let e = kernel("fn k(i: usize, x: &[f64], y: &mut [f64]) { if x[i] > 0.0 { y[i] = x[i]; } }").unwrap_err();
    assert!(e.iter().any(|m| m.contains("not written on every path")), "{e:?}");
    // a loop whose trip count is not constant is fine when it stores nothing
    assert!(kernel("fn k(i: usize, x: &[f64], y: &mut [f64]) { let mut s = 0.0; for j in 0..x.len() { s += x[j] * 2.0; } y[i] = s * x[i]; }").is_ok());
}

#[test]
fn literals_read_back() {
    assert_eq!(f64_lit(0.1), "0.1");
    assert_eq!(f64_lit(2.0), "2.0");
    assert_eq!(f64_lit(-1e-300), "(-1e-300)");
    assert_eq!(f32_lit(0.1), "0.1f");
    assert_eq!(f32_lit(3.0), "3.0f");
    assert!(f64_lit(f64::INFINITY).contains("0x7ff0"));
    assert!(f32_lit(f32::NAN).contains("0x7fc0"));
}

#[test]
fn constant_expressions() {
    for ok in ["N", "m::K", "N as f64", "-PI", "(N + 1) as usize", "2.5", "f64::EPSILON"] {
        assert!(const_expr_ok(&ok.parse().unwrap()), "{ok}");
    }
    for bad in ["x.len()", "Self::N", "foo(1)", "T::zero()", "Vec::<f64>::new()"] {
        assert!(!const_expr_ok(&bad.parse().unwrap()), "{bad}");
    }
}
