//! Launches on a real CUDA device, compared with the CPU twin.
//!
//! Needs the `cuda` feature, an NVIDIA driver, a device and NVRTC; without
//! them each test prints `skipped: <reason>` and passes (set
//! `LEIBNIZ_REQUIRE_GPU=1` to make that a failure on GPU machines).

use leibniz_gpu::{
    Backend, CompileOptions, Gpu, GpuError, KernelArg, LaunchConfig, UnsafeSlice, par_accumulate,
    par_for,
};
use std::io::Write;

fn skip(why: &str) {
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

/// Also tries the NVRTC wheel installed under target/ (gpu/ci/install-nvrtc.sh)
/// before the backend is probed.
fn gpu() -> Result<&'static Gpu, String> {
    if std::env::var_os("LEIBNIZ_NVRTC_LIB_DIR").is_none() && leibniz_gpu::nvrtc_info().is_err() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/nvrtc-13.0.88/nvidia/cu13/lib");
        if dir.is_dir() {
            let _ = leibniz_gpu::nvrtc_load_from_dir(&dir);
        }
    }
    match Backend::detect() {
        Backend::Cuda(g) => Ok(g),
        Backend::Cpu { reason } => Err(reason.clone()),
    }
}

macro_rules! require_gpu {
    () => {
        match gpu() {
            Ok(g) => g,
            Err(why) => {
                if std::env::var("LEIBNIZ_REQUIRE_GPU").is_ok_and(|v| v == "1") {
                    panic!("LEIBNIZ_REQUIRE_GPU=1 but the backend is the CPU: {why}");
                }
                skip(&why);
                return;
            }
        }
    };
}

const SRC: &str = r#"
extern "C" __global__ void axpy(float a, const float* x, float* y, unsigned long long n) {
    unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
    if (i < n) { y[i] = a * x[i] + y[i]; }
}
// adjoint of y[i] = w[i % m] * x[i]: xbar[i] += w[i % m] * ybar[i]; wbar[i % m] += x[i] * ybar[i]
extern "C" __global__ void scale_adjoint(const double* x, const double* w, const double* ybar,
                                         double* xbar, double* wbar, int m, unsigned long long n) {
    unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
    if (i < n) {
        int k = (int)(i % (unsigned long long)m);
        xbar[i] += w[k] * ybar[i];
        atomicAdd(&wbar[k], x[i] * ybar[i]);
    }
}
extern "C" __global__ void fill_index(unsigned int* out, unsigned int n) {
    unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) { out[i] = i * 3u + 1u; }
}
"#;

#[test]
fn axpy_matches_cpu_twin() {
    let gpu = require_gpu!();
    println!("{gpu:?}, arch {}", gpu.default_arch());
    let n = 100_003;
    let a = 1.5f32;
    let x: Vec<f32> = (0..n).map(|i| (i % 97) as f32 * 0.25).collect();
    let y0: Vec<f32> = (0..n).map(|i| (i % 13) as f32 - 6.0).collect();

    let m = gpu
        .compile(SRC, &CompileOptions::default())
        .expect("compiles");
    let dx = gpu.upload(&x).unwrap();
    let mut dy = gpu.upload(&y0).unwrap();
    // SAFETY: matches axpy(float, const float*, float*, unsigned long long).
    unsafe {
        m.launch(
            "axpy",
            LaunchConfig::for_n(n),
            &[
                KernelArg::from(a),
                dx.arg(),
                dy.arg_mut(),
                KernelArg::from(n),
            ],
        )
        .unwrap();
    }
    let y_gpu = dy.download().unwrap();

    let mut y_cpu = y0.clone();
    let ys = UnsafeSlice::new(&mut y_cpu);
    par_for(n, |i| unsafe { ys.set(i, a * x[i] + ys.get(i)) });
    for i in 0..n {
        assert!(
            (y_gpu[i] - y_cpu[i]).abs() <= 1e-5 * y_cpu[i].abs().max(1.0),
            "i={i}"
        );
    }
}

#[test]
fn atomic_adjoint_matches_par_accumulate() {
    let gpu = require_gpu!();
    let n = 200_000usize;
    let m = 7usize;
    let x: Vec<f64> = (0..n).map(|i| ((i * 31) % 1000) as f64 * 1e-3).collect();
    let w: Vec<f64> = (0..m).map(|k| k as f64 + 0.5).collect();
    let ybar: Vec<f64> = (0..n).map(|i| 1.0 + (i % 3) as f64).collect();

    let module = gpu.compile(SRC, &CompileOptions::default()).unwrap();
    let f = module.function("scale_adjoint").unwrap();
    let (dx, dw, dyb) = (
        gpu.upload(&x).unwrap(),
        gpu.upload(&w).unwrap(),
        gpu.upload(&ybar).unwrap(),
    );
    let mut dxbar = gpu.zeros::<f64>(n).unwrap();
    let mut dwbar = gpu.upload(&vec![1.0f64; m]).unwrap();
    // SAFETY: matches scale_adjoint's parameter list.
    unsafe {
        f.launch(
            LaunchConfig::for_n_with_block(n, 128),
            &[
                dx.arg(),
                dw.arg(),
                dyb.arg(),
                dxbar.arg_mut(),
                dwbar.arg_mut(),
                KernelArg::from(m as i32),
                KernelArg::from(n),
            ],
        )
        .unwrap();
    }
    let xbar_gpu = dxbar.download().unwrap();
    let wbar_gpu = dwbar.download().unwrap();

    let mut xbar = vec![0.0f64; n];
    let mut wbar = vec![1.0f64; m];
    let xs = UnsafeSlice::new(&mut xbar);
    par_accumulate(n, &mut wbar, |i, acc| {
        unsafe { xs.add(i, w[i % m] * ybar[i]) };
        acc[i % m] += x[i] * ybar[i];
    });
    assert_eq!(xbar_gpu, xbar, "per-element adjoint is exact");
    for k in 0..m {
        assert!(
            (wbar_gpu[k] - wbar[k]).abs() <= 1e-9 * wbar[k].abs(),
            "k={k}: {} vs {}",
            wbar_gpu[k],
            wbar[k]
        );
    }
}

#[test]
fn compile_is_cached_and_errors_are_values() {
    let gpu = require_gpu!();
    let a = gpu.compile(SRC, &CompileOptions::default()).unwrap();
    let b = gpu.compile(SRC, &CompileOptions::default()).unwrap();
    assert!(
        std::ptr::eq(a.report(), b.report()),
        "second compile must hit the cache"
    );
    let c = gpu
        .compile(SRC, &CompileOptions::default().option("--fmad=false"))
        .unwrap();
    assert!(
        !std::ptr::eq(a.report(), c.report()),
        "options are part of the key"
    );

    match gpu.compile(
        "extern \"C\" __global__ void k() { nope; }",
        &CompileOptions::default(),
    ) {
        Err(GpuError::Compile { log }) => assert!(log.contains("nope"), "{log}"),
        other => panic!("expected a compile error, got {other:?}"),
    }
    assert!(matches!(
        a.function("no_such_kernel"),
        Err(GpuError::Driver(_))
    ));
}

#[test]
fn ptx_path_and_edge_cases() {
    let gpu = require_gpu!();
    // PTX for compute_XY, JIT-compiled by the driver.
    let (maj, min) = gpu.compute_capability();
    let arch = format!("compute_{}{}", maj, min);
    let m = gpu.compile(SRC, &CompileOptions::for_arch(arch)).unwrap();
    assert!(m.report().ptx.is_some());
    let n = 1000u32;
    let mut out = gpu.zeros::<u32>(n as usize).unwrap();
    // SAFETY: matches fill_index(unsigned int*, unsigned int).
    unsafe {
        m.launch(
            "fill_index",
            LaunchConfig::for_n(n as usize),
            &[out.arg_mut(), KernelArg::from(n)],
        )
        .unwrap();
    }
    let v = out.download().unwrap();
    assert!(v.iter().enumerate().all(|(i, &x)| x == i as u32 * 3 + 1));

    // n = 0: no launch, empty buffers work.
    let mut empty = gpu.zeros::<u32>(0).unwrap();
    unsafe {
        m.launch(
            "fill_index",
            LaunchConfig::for_n(0),
            &[empty.arg_mut(), KernelArg::from(0u32)],
        )
        .unwrap();
    }
    assert_eq!(empty.download().unwrap(), Vec::<u32>::new());
    assert!(gpu.upload::<f64>(&[]).unwrap().is_empty());

    // Length mismatches and bad configs are errors.
    let mut buf = gpu.upload(&[1.0f32, 2.0]).unwrap();
    assert!(matches!(
        buf.copy_from(&[1.0]),
        Err(GpuError::InvalidArgument(_))
    ));
    let mut three = [0.0f32; 3];
    assert!(matches!(
        buf.download_into(&mut three),
        Err(GpuError::InvalidArgument(_))
    ));
    buf.set_zero().unwrap();
    assert_eq!(buf.download().unwrap(), [0.0, 0.0]);
    let bad = LaunchConfig {
        grid_dim: 1,
        block_dim: 4096,
        shared_mem_bytes: 0,
    };
    assert!(matches!(
        unsafe { m.launch("fill_index", bad, &[out.arg_mut(), KernelArg::from(n)]) },
        Err(GpuError::InvalidArgument(_))
    ));
    gpu.synchronize().unwrap();
}

/// On machines without CUDA: the backend is the CPU, with a reason, and
/// opening a device is an error, not a panic.
#[test]
fn no_device_is_an_error_not_a_panic() {
    match gpu() {
        Ok(g) => println!("device present: {g:?}"),
        Err(why) => {
            assert!(!why.is_empty());
            let r = Backend::detect();
            assert!(!r.is_cuda() && r.gpu().is_none() && r.cpu_reason() == Some(why.as_str()));
            let e = Gpu::new(0).expect_err("no device here");
            println!("Gpu::new(0): {e}");
            if !leibniz_gpu::CUDA_FEATURE {
                assert!(matches!(e, GpuError::Unavailable(_)));
            }
        }
    }
}
