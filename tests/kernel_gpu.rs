//! GPU against CPU twin for every kernel of the corpus: value, JVP and VJP
//! launched on device buffers, compared with the CPU twins (sums and
//! `atomicAdd`s run in another order: compared to rounding).
//!
//! Needs the feature `cuda`, an NVIDIA driver, a device and NVRTC:
//! `cargo test --features cuda --test kernel_gpu`. Without them every test
//! prints `skipped: <reason>` and passes, unless `LEIBNIZ_REQUIRE_GPU=1`.

mod kernel_defs;

use kernel_defs::*;
use leibniz::gpu::{Backend, DeviceBuffer, Gpu, GpuError};

fn gpu() -> Option<&'static Gpu> {
    match Backend::detect() {
        Backend::Cuda(g) => Some(g),
        Backend::Cpu { reason } => {
            if std::env::var("LEIBNIZ_REQUIRE_GPU").is_ok_and(|v| v == "1") {
                panic!("LEIBNIZ_REQUIRE_GPU=1 but there is no usable GPU: {reason}");
            }
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped: {reason}");
            None
        }
        #[allow(unreachable_patterns)]
        _ => None,
    }
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
        assert!((x - y).abs() <= tol * (1.0 + x.abs().max(y.abs())), "{what}[{k}]: GPU {x} vs CPU {y}");
    }
}

fn up<T: leibniz::gpu::DeviceElem>(g: &Gpu, x: &[T]) -> DeviceBuffer<T> {
    g.upload(x).expect("upload")
}

#[test]
fn diffuse_gpu_vs_cpu() {
    let Some(g) = gpu() else { return };
    let n = 100_003; // not a multiple of the block size
    let u = vals(n, 1, -1.0, 1.0);
    let du = vals(n, 2, -1.0, 1.0);
    let w = vals(n, 3, -1.0, 1.0);
    let alpha = 0.3;
    let (du_, dd) = (up(g, &u), up(g, &du));
    let mut y = g.zeros::<f64>(n).unwrap();
    diffuse_gpu(g, &du_, alpha, &mut y).unwrap();
    let mut yc = vec![0.0; n];
    diffuse_cpu(&u, alpha, &mut yc);
    close(&y.download().unwrap(), &yc, 1e-14, "value");

    let mut dy = g.zeros::<f64>(n).unwrap();
    diffuse_jvp_gpu(g, &du_, &dd, alpha, 0.5, &mut y, &mut dy).unwrap();
    let mut dyc = vec![0.0; n];
    diffuse_jvp_cpu(&u, &du, alpha, 0.5, &mut yc, &mut dyc);
    close(&dy.download().unwrap(), &dyc, 1e-13, "tangent");

    let mut ub = g.zeros::<f64>(n).unwrap();
    let mut ab = g.zeros::<f64>(1).unwrap();
    let mut yb = up(g, &w);
    diffuse_vjp_gpu(g, &du_, &mut ub, alpha, &mut ab, &mut y, &mut yb).unwrap();
    let mut ubc = vec![0.0; n];
    let abc = diffuse_vjp_cpu(&u, &mut ubc, alpha, &mut yc, &mut w.clone());
    close(&ub.download().unwrap(), &ubc, 1e-13, "u adjoint (atomicAdd)");
    close(&ab.download().unwrap(), &[abc], 1e-10, "alpha adjoint (warp reduction)");
    close(&yb.download().unwrap(), &vec![0.0; n], 0.0, "output adjoint");

    // the dispatching entry takes the GPU path
    let mut y2 = vec![0.0; n];
    diffuse(&u, alpha, &mut y2);
    close(&y2, &yc, 1e-14, "dispatch");

    // errors are values, not panics
    let short = g.zeros::<f64>(n - 1).unwrap();
    let mut y3 = g.zeros::<f64>(n).unwrap();
    match diffuse_jvp_gpu(g, &du_, &short, alpha, 0.5, &mut y3, &mut g.zeros::<f64>(n).unwrap()) {
        Err(GpuError::InvalidArgument(m)) => println!("length mismatch reported: {m}"),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

#[test]
fn heat2d_gpu_vs_cpu() {
    let Some(g) = gpu() else { return };
    let (nx, ny) = (513, 257);
    let n = nx * ny;
    let u = vals(n, 4, 0.0, 1.0);
    let s = vals(n, 5, -0.5, 0.5);
    let w = vals(n, 6, -1.0, 1.0);
    let (gu, gs) = (up(g, &u), up(g, &s));
    let mut y = g.zeros::<f64>(n).unwrap();
    heat2d_gpu(g, &gu, &gs, nx, 0.1, &mut y).unwrap();
    let mut yc = vec![0.0; n];
    heat2d_cpu(&u, &s, nx, 0.1, &mut yc);
    close(&y.download().unwrap(), &yc, 1e-14, "value");
    let (mut ub, mut sb, mut dtb) = (g.zeros::<f64>(n).unwrap(), g.zeros::<f64>(n).unwrap(), g.zeros::<f64>(1).unwrap());
    heat2d_vjp_gpu(g, &gu, &mut ub, &gs, &mut sb, nx, 0.1, &mut dtb, &mut y, &mut up(g, &w)).unwrap();
    let (mut ubc, mut sbc) = (vec![0.0; n], vec![0.0; n]);
    let dtbc = heat2d_vjp_cpu(&u, &mut ubc, &s, &mut sbc, nx, 0.1, &mut yc, &mut w.clone());
    close(&ub.download().unwrap(), &ubc, 1e-13, "u adjoint");
    close(&sb.download().unwrap(), &sbc, 1e-13, "src adjoint");
    close(&dtb.download().unwrap(), &[dtbc], 1e-9, "dt adjoint");
}

#[test]
fn taps32_gpu_vs_cpu() {
    let Some(g) = gpu() else { return };
    let n = 4097;
    let x: Vec<f32> = vals(n, 7, -1.5, 1.5).iter().map(|v| *v as f32).collect();
    let wv: Vec<f32> = vals(TAPS, 8, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let yb: Vec<f32> = vals(n, 9, -1.0, 1.0).iter().map(|v| *v as f32).collect();
    let (gx, gw) = (up(g, &x), up(g, &wv));
    let mut y = g.zeros::<f32>(n).unwrap();
    taps32_gpu(g, &gx, &gw, 0.8, &mut y).unwrap();
    let mut yc = vec![0.0f32; n];
    taps32_cpu(&x, &wv, 0.8, &mut yc);
    let f = |v: &[f32]| v.iter().map(|x| *x as f64).collect::<Vec<f64>>();
    close(&f(&y.download().unwrap()), &f(&yc), 1e-5, "value");
    let (mut xb, mut wb, mut kb) = (g.zeros::<f32>(n).unwrap(), g.zeros::<f32>(TAPS).unwrap(), g.zeros::<f32>(1).unwrap());
    taps32_vjp_gpu(g, &gx, &mut xb, &gw, &mut wb, 0.8, &mut kb, &mut y, &mut up(g, &yb)).unwrap();
    let (mut xbc, mut wbc) = (vec![0.0f32; n], vec![0.0f32; TAPS]);
    let kbc = taps32_vjp_cpu(&x, &mut xbc, &wv, &mut wbc, 0.8, &mut yc, &mut yb.clone());
    close(&f(&xb.download().unwrap()), &f(&xbc), 1e-4, "x adjoint");
    close(&f(&wb.download().unwrap()), &f(&wbc), 1e-3, "w adjoint (4097 atomics per tap)");
    close(&f(&kb.download().unwrap()), &[kbc as f64], 1e-3, "k adjoint");
}

#[test]
fn misfit_gather_springs_relax_gpu_vs_cpu() {
    let Some(g) = gpu() else { return };
    let n = 10_000;
    // misfit: two outputs and a sum
    let (u, obs, rb) = (vals(n, 10, -1.0, 1.0), vals(n, 11, -1.0, 1.0), vals(n, 12, -1.0, 1.0));
    let (gu, go) = (up(g, &u), up(g, &obs));
    let (mut r, mut t) = (g.zeros::<f64>(n).unwrap(), up(g, &[0.5]));
    misfit_gpu(g, &gu, &go, 1.5, &mut r, &mut t).unwrap();
    let (mut rc, mut tc) = (vec![0.0; n], 0.5);
    misfit_cpu(&u, &obs, 1.5, &mut rc, &mut tc);
    close(&r.download().unwrap(), &rc, 1e-15, "misfit residual");
    close(&t.download().unwrap(), &[tc], 1e-10, "misfit total");
    let (mut ub, mut ob) = (g.zeros::<f64>(n).unwrap(), g.zeros::<f64>(n).unwrap());
    let mut t2 = up(g, &[0.0]);
    misfit_vjp_gpu(g, &gu, &mut ub, &go, &mut ob, 1.5, &mut r, &mut up(g, &rb), &mut t2, &up(g, &[2.0])).unwrap();
    let (mut ubc, mut obc, mut t2c) = (vec![0.0; n], vec![0.0; n], 0.0);
    misfit_vjp_cpu(&u, &mut ubc, &obs, &mut obc, 1.5, &mut rc, &mut rb.clone(), &mut t2c, &mut 2.0);
    close(&ub.download().unwrap(), &ubc, 1e-14, "misfit u adjoint");
    close(&ob.download().unwrap(), &obc, 1e-14, "misfit obs adjoint");

    // gather: integer buffer, scattered adjoints
    let x = vals(n, 13, -2.0, 2.0);
    let idx: Vec<u32> = (0..n as u32).map(|i| (i * 7919 + 3) % n as u32).collect();
    let (gx, gi) = (up(g, &x), up(g, &idx));
    let mut y = g.zeros::<f64>(n).unwrap();
    let mut xb = g.zeros::<f64>(n).unwrap();
    let mut wb = g.zeros::<f64>(1).unwrap();
    let w = vals(n, 14, -1.0, 1.0);
    gather_vjp_gpu(g, &gx, &mut xb, &gi, 1.3, &mut wb, true, &mut y, &mut up(g, &w)).unwrap();
    let mut xbc = vec![0.0; n];
    let mut yc = vec![0.0; n];
    let wbc = gather_vjp_cpu(&x, &mut xbc, &idx, 1.3, true, &mut yc, &mut w.clone());
    close(&y.download().unwrap(), &yc, 1e-15, "gather value");
    close(&xb.download().unwrap(), &xbc, 1e-13, "gather x adjoint");
    close(&wb.download().unwrap(), &[wbc], 1e-10, "gather w adjoint");

    // springs: generic device callees
    let pos: Vec<f64> = (0..n).map(|i| i as f64 + 0.3 * (i as f64).sin()).collect();
    let k = vals(n, 15, 0.5, 2.0);
    let (gp, gk) = (up(g, &pos), up(g, &k));
    let (mut e, mut de) = (g.zeros::<f64>(n).unwrap(), g.zeros::<f64>(n).unwrap());
    let (dp, dk) = (vals(n, 16, -1.0, 1.0), vals(n, 17, -1.0, 1.0));
    springs_jvp_gpu(g, &gp, &up(g, &dp), &gk, &up(g, &dk), 1.0, 0.5, &mut e, &mut de).unwrap();
    let (mut ec, mut dec) = (vec![0.0; n], vec![0.0; n]);
    springs_jvp_cpu(&pos, &dp, &k, &dk, 1.0, 0.5, &mut ec, &mut dec);
    close(&e.download().unwrap(), &ec, 1e-14, "springs value");
    close(&de.download().unwrap(), &dec, 1e-13, "springs tangent");

    // relax: an output read and updated
    let (x, y0, w) = (vals(n, 18, -1.0, 1.0), vals(n, 19, -1.0, 1.0), vals(n, 20, -1.0, 1.0));
    let gx = up(g, &x);
    let mut gy = up(g, &y0);
    let mut xb = g.zeros::<f64>(n).unwrap();
    let mut rb = g.zeros::<f64>(1).unwrap();
    let mut yb = up(g, &w);
    relax_vjp_gpu(g, &gx, &mut xb, 0.2, &mut rb, &mut gy, &mut yb).unwrap();
    let (mut yc, mut xbc, mut ybc) = (y0.clone(), vec![0.0; n], w.clone());
    let rbc = relax_vjp_cpu(&x, &mut xbc, 0.2, &mut yc, &mut ybc);
    close(&gy.download().unwrap(), &yc, 1e-14, "relax value");
    close(&xb.download().unwrap(), &xbc, 1e-13, "relax x adjoint");
    close(&yb.download().unwrap(), &ybc, 1e-13, "relax adjoint of the old y");
    close(&rb.download().unwrap(), &[rbc], 1e-9, "relax rate adjoint");
}
