//! NVRTC compile checks that need no GPU and no driver, only NVRTC.
//!
//! They run for real when NVRTC can be loaded: from `LEIBNIZ_NVRTC_LIB_DIR`,
//! through `LD_LIBRARY_PATH` / the system loader, or from the wheel that
//! `gpu/ci/install-nvrtc.sh` installs under `<repo>/target/nvrtc-13.0.88`.
//! Otherwise each test prints `skipped: <reason>` and passes, unless
//! `LEIBNIZ_REQUIRE_NVRTC=1`, which turns the skip into a failure (for CI
//! jobs that did install NVRTC).

use leibniz_gpu::{
    CompileOptions, GpuError, NvrtcInfo, nvrtc_compile, nvrtc_compile_check, nvrtc_info,
    nvrtc_load_from_dir,
};
use std::path::Path;

/// The wheel's lib dir as installed by `gpu/ci/install-nvrtc.sh` (default DEST).
fn wheel_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/nvrtc-13.0.88/nvidia/cu13/lib")
}

fn load() -> Result<NvrtcInfo, String> {
    match nvrtc_info() {
        Ok(info) => Ok(info),
        Err(e) => {
            let dir = wheel_dir();
            if std::env::var_os("LEIBNIZ_NVRTC_LIB_DIR").is_none() && dir.is_dir() {
                nvrtc_load_from_dir(&dir)
                    .map_err(|e2| format!("{e}; and from {}: {e2}", dir.display()))
            } else {
                Err(e.to_string())
            }
        }
    }
}

/// Prints the skip reason straight to stderr (not captured by the test
/// harness, so it shows in a plain `cargo test`).
fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

macro_rules! require_nvrtc {
    () => {
        match load() {
            Ok(info) => info,
            Err(why) => {
                if std::env::var("LEIBNIZ_REQUIRE_NVRTC").is_ok_and(|v| v == "1") {
                    panic!("LEIBNIZ_REQUIRE_NVRTC=1 but NVRTC is not loadable: {why}");
                }
                skip(&why);
                return;
            }
        }
    };
}

/// What `#[kernel]` emits, in miniature: primal, tangent and adjoint of
/// `y[i] = w * x[i] * x[i]`, the adjoint accumulating the shared `w` with
/// `atomicAdd` on double (native on sm_60+).
const KERNELS_F64: &str = r#"
extern "C" __global__ void sq_primal(const double* x, double w, double* y, unsigned long long n) {
    unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
    if (i < n) { y[i] = w * x[i] * x[i]; }
}
extern "C" __global__ void sq_tangent(const double* x, const double* dx, double w, double dw,
                                      double* dy, unsigned long long n) {
    unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
    if (i < n) { dy[i] = dw * x[i] * x[i] + 2.0 * w * x[i] * dx[i]; }
}
extern "C" __global__ void sq_adjoint(const double* x, double w, const double* ybar,
                                      double* xbar, double* wbar, unsigned long long n) {
    unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
    if (i < n) {
        xbar[i] += 2.0 * w * x[i] * ybar[i];
        atomicAdd(wbar, x[i] * x[i] * ybar[i]);
    }
}
"#;

const KERNEL_F32: &str = r#"
extern "C" __global__ void hist(const float* x, float* bins, int nbins, unsigned int n) {
    unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) { atomicAdd(&bins[i % nbins], sinf(x[i])); }
}
"#;

const BROKEN: &str = r#"
extern "C" __global__ void broken(float* y) {
    y[threadIdx.x] = undefined_thing + 1.0f;
}
"#;

#[test]
fn nvrtc_loads_and_reports() {
    let info = require_nvrtc!();
    println!(
        "NVRTC {:?} from {} (builtins {:?})",
        info.version, info.library, info.builtins
    );
    assert!(info.version.0 >= 12, "{info:?}");
    assert!(
        info.supported_archs.contains(&90),
        "sm_90 unsupported: {info:?}"
    );
}

#[test]
fn atomic_add_f64_compiles_to_sm90_cubin() {
    let info = require_nvrtc!();
    let r = nvrtc_compile_check(KERNELS_F64, "sm_90").expect("compiles");
    assert_eq!(r.arch, "sm_90");
    assert_eq!(r.nvrtc_version, info.version);
    let cubin = r.cubin.expect("a cubin for sm_90");
    assert!(cubin.starts_with(b"\x7fELF"), "not an ELF image");
    for name in ["sq_primal", "sq_tangent", "sq_adjoint"] {
        assert!(
            cubin.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} missing from the cubin"
        );
    }
}

#[test]
fn atomic_add_f64_compiles_to_compute90_ptx() {
    require_nvrtc!();
    let r = nvrtc_compile_check(KERNELS_F64, "compute_90").expect("compiles");
    let ptx = r.ptx.expect("PTX for compute_90");
    assert!(ptx.contains(".target sm_90"), "{ptx}");
    assert!(ptx.contains(".entry sq_adjoint"), "{ptx}");
    // atomicAdd on double: `red`/`atom` `.add.f64` in PTX.
    assert!(ptx.contains(".add.f64"), "no f64 atomic add in:\n{ptx}");
    assert!(r.cubin.is_none());
}

#[test]
fn atomic_add_f32_compiles() {
    require_nvrtc!();
    let r = nvrtc_compile_check(KERNEL_F32, "sm_90").expect("compiles");
    assert!(r.cubin.is_some_and(|c| c.starts_with(b"\x7fELF")));
    let r = nvrtc_compile_check(KERNEL_F32, "compute_90").expect("compiles");
    let ptx = r.ptx.unwrap();
    assert!(ptx.contains(".add.f32"), "no f32 atomic add in:\n{ptx}");
}

#[test]
fn default_arch_and_extra_options() {
    require_nvrtc!();
    let opts = CompileOptions::default()
        .option("--fmad=false")
        .option("-DSCALE=3.0f");
    let src = r#"extern "C" __global__ void k(float* y) { y[threadIdx.x] *= SCALE; }"#;
    let r = nvrtc_compile(src, &opts).expect("compiles");
    assert_eq!(r.arch, leibniz_gpu::DEFAULT_ARCH);
    assert!(
        r.options.iter().any(|o| o == "--fmad=false"),
        "{:?}",
        r.options
    );
    assert!(r.cubin.is_some());
}

#[test]
fn broken_kernel_is_a_compile_error_with_the_log() {
    require_nvrtc!();
    match nvrtc_compile_check(BROKEN, "sm_90") {
        Err(GpuError::Compile { log }) => {
            println!("NVRTC log:\n{log}");
            assert!(
                log.contains("undefined_thing"),
                "log lacks the identifier:\n{log}"
            );
            assert!(log.contains("error"), "log lacks `error`:\n{log}");
            assert!(
                log.contains("leibniz_kernel.cu"),
                "log lacks the program name:\n{log}"
            );
        }
        other => panic!("expected GpuError::Compile, got {other:?}"),
    }
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    require_nvrtc!();
    match nvrtc_compile_check(KERNEL_F32, "sm_1") {
        Err(GpuError::Nvrtc(msg)) | Err(GpuError::Compile { log: msg }) => {
            println!("invalid arch: {msg}")
        }
        other => panic!("expected an NVRTC error for arch sm_1, got {other:?}"),
    }
    assert!(matches!(
        nvrtc_compile_check("extern \"C\" __global__ void k() {}\0", "sm_90"),
        Err(GpuError::InvalidArgument(_))
    ));
}

#[test]
fn concurrent_compiles() {
    require_nvrtc!();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            std::thread::spawn(move || {
                let src = format!(
                    "extern \"C\" __global__ void k{t}(double* y, double* s) {{ atomicAdd(s, y[threadIdx.x] * {t}.0); }}"
                );
                nvrtc_compile_check(&src, "sm_90").map(|r| r.cubin.is_some())
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().expect("no panic"), Ok(true));
    }
}
