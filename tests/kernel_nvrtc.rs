//! Every CUDA module `#[kernel]` emits for the tests and the examples,
//! compiled with NVRTC to an `sm_90` cubin (NVRTC runs ptxas): no GPU and
//! no driver needed, only NVRTC (feature `cuda`).
//!
//! NVRTC is found through `LEIBNIZ_NVRTC_LIB_DIR`, `LD_LIBRARY_PATH` / the
//! system loader, or the wheel `gpu/ci/install-nvrtc.sh` installs under
//! `target/nvrtc-13.0.88`. Without it (or without the feature `cuda`) each
//! test prints `skipped: <reason>` and passes, unless
//! `LEIBNIZ_REQUIRE_NVRTC=1`, which makes it fail (CI sets it after
//! installing NVRTC).

mod kernel_defs;

#[path = "../examples/heat_fit/kernels.rs"]
#[allow(dead_code)]
mod heat_fit_kernels;
#[path = "../examples/soft_raster/kernels.rs"]
#[allow(dead_code)]
mod soft_raster_kernels;
#[path = "../examples/stencil_bandwidth/kernels.rs"]
#[allow(dead_code)]
mod bandwidth_kernels;

use leibniz::gpu::{GpuError, nvrtc_compile_check, nvrtc_info, nvrtc_load_from_dir};

fn skip_or_fail(why: &str) {
    if std::env::var("LEIBNIZ_REQUIRE_NVRTC").is_ok_and(|v| v == "1") {
        panic!("LEIBNIZ_REQUIRE_NVRTC=1 but NVRTC is not usable: {why}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {why}");
}

/// Loads NVRTC, also from the wheel's default place; `Err(why)` when it
/// cannot be used.
fn load() -> Result<(), String> {
    match nvrtc_info() {
        Ok(_) => Ok(()),
        Err(e) => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/nvrtc-13.0.88/nvidia/cu13/lib");
            if std::env::var_os("LEIBNIZ_NVRTC_LIB_DIR").is_none() && dir.is_dir() {
                nvrtc_load_from_dir(&dir).map(|_| ()).map_err(|e2| format!("{e}; and from {}: {e2}", dir.display()))
            } else {
                Err(e.to_string())
            }
        }
    }
}

fn compile_all(what: &str, sources: Vec<(&'static str, &'static str)>) {
    if let Err(why) = load() {
        skip_or_fail(&why);
        return;
    }
    let mut failed = Vec::new();
    for (name, src) in sources {
        match nvrtc_compile_check(src, "sm_90") {
            Ok(r) => {
                let cubin = r.cubin.expect("sm_90 gives a cubin");
                assert!(cubin.starts_with(b"\x7fELF"), "{name}: not an ELF image");
                for k in ["primal", "tangent", "adjoint"] {
                    let sym = format!("{name}_{k}");
                    assert!(cubin.windows(sym.len()).any(|w| w == sym.as_bytes()), "{name}: `{sym}` missing from the cubin");
                }
                if !r.log.trim().is_empty() {
                    println!("{what}/{name}: NVRTC warnings:\n{}", r.log);
                }
                println!("{what}/{name}: {} bytes of sm_90 cubin", cubin.len());
            }
            Err(GpuError::Compile { log }) => {
                let numbered: String = src.lines().enumerate().map(|(k, l)| format!("{:5} {l}\n", k + 1)).collect();
                failed.push(format!("{what}/{name}:\n{log}\n{numbered}"));
            }
            Err(e) => failed.push(format!("{what}/{name}: {e}")),
        }
    }
    assert!(failed.is_empty(), "NVRTC rejected:\n{}", failed.join("\n"));
}

#[test]
fn test_kernels_compile_to_sm90() {
    compile_all("tests", kernel_defs::all_sources());
}

#[test]
fn example_kernels_compile_to_sm90() {
    let mut all = heat_fit_kernels::all_sources();
    all.extend(soft_raster_kernels::all_sources());
    all.extend(bandwidth_kernels::all_sources());
    compile_all("examples", all);
}

#[test]
fn the_prelude_is_emitted_once_per_module() {
    for (name, src) in kernel_defs::all_sources() {
        assert_eq!(src.matches("#define LZ_PRELUDE").count(), 1, "{name}");
        assert!(!src.contains('@'), "{name}: unreplaced placeholder");
    }
}
