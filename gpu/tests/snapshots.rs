//! The CUDA snapshots of the macro crate (`macros/tests/snapshots/*.cu`:
//! the kernel prelude, device functions and kernels printed from IR),
//! compiled together with NVRTC to an `sm_90` cubin. Needs NVRTC only (no
//! GPU); skips with a printed reason without it (feature `cuda` off, or no
//! library), fails then when `LEIBNIZ_REQUIRE_NVRTC=1`.

use leibniz_gpu::{GpuError, nvrtc_compile_check, nvrtc_info, nvrtc_load_from_dir};
use std::path::Path;

fn load() -> Result<(), String> {
    match nvrtc_info() {
        Ok(_) => Ok(()),
        Err(e) => {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/nvrtc-13.0.88/nvidia/cu13/lib");
            if std::env::var_os("LEIBNIZ_NVRTC_LIB_DIR").is_none() && dir.is_dir() {
                nvrtc_load_from_dir(&dir).map(|_| ()).map_err(|e2| format!("{e}; and from {}: {e2}", dir.display()))
            } else {
                Err(e.to_string())
            }
        }
    }
}

#[test]
fn snapshots_compile_with_nvrtc() {
    if let Err(why) = load() {
        if std::env::var("LEIBNIZ_REQUIRE_NVRTC").is_ok_and(|v| v == "1") {
            panic!("LEIBNIZ_REQUIRE_NVRTC=1 but NVRTC is not usable: {why}");
        }
        eprintln!("skipped: {why}");
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../macros/tests/snapshots");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("snapshot dir").filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "cu")).collect();
    files.sort();
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let prelude = read(&dir.join("prelude.cu"));
    // device functions first (kernels call them), then the kernels
    let mut module = prelude;
    for p in files.iter().filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("device_")) {
        module.push_str(&read(p));
    }
    let mut kernels = 0;
    for p in files.iter().filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("kernel_")) {
        module.push_str(&read(p));
        kernels += 1;
    }
    assert!(kernels >= 3 && !module.contains('@'), "placeholders left or snapshots missing");
    match nvrtc_compile_check(&module, "sm_90") {
        Ok(r) => {
            let cubin = r.cubin.expect("cubin");
            for k in ["diffuse_adjoint", "loss_tangent", "calls_primal"] {
                assert!(cubin.windows(k.len()).any(|w| w == k.as_bytes()), "{k} missing");
            }
            println!("{} snapshot files: {} bytes of sm_90 cubin; log: {}", files.len(), cubin.len(), r.log.trim());
        }
        Err(GpuError::Compile { log }) => {
            let numbered: String = module.lines().enumerate().map(|(k, l)| format!("{:5} {l}\n", k + 1)).collect();
            panic!("NVRTC rejected the snapshots:\n{log}\n{numbered}");
        }
        Err(e) => panic!("{e}"),
    }
}
