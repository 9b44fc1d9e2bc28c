//! GPU support of leibniz: the host-side runtime that `#[kernel]` functions
//! call.
//!
//! From one per-element kernel body the `#[kernel]` macro emits CUDA C source
//! for three kernels (primal, tangent, adjoint) and Rust CPU twins of them.
//! This crate provides what those need at run time:
//!
//! * **Backend selection** ([`Backend::detect`]): the CUDA backend when the
//!   `cuda` feature is on, an NVIDIA driver is loadable, a device can be opened
//!   and NVRTC is loadable; otherwise the CPU backend, announced by one line on
//!   stderr per process. Nothing panics when the libraries are missing.
//! * **NVRTC compilation** ([`Gpu::compile`]): CUDA C source to a loaded
//!   [`Module`], once per process per (source, options), for the device's
//!   compute capability. Compile errors come back as [`GpuError::Compile`]
//!   with NVRTC's full log.
//! * **Device buffers and launches** ([`DeviceBuffer`], [`Module::launch`],
//!   [`KernelArg`], [`LaunchConfig`]): upload/zero/download of typed buffers
//!   and 1-D launches over `n` elements.
//! * **A CPU-only compile check** ([`nvrtc_compile_check`]): NVRTC alone (no
//!   driver, no GPU) compiles CUDA C to PTX (`compute_XY`) or to a cubin
//!   (`sm_XY`, which also runs ptxas); usable in CI with the PyPI wheel
//!   `nvidia-cuda-nvrtc==13.0.88` (see `gpu/ci/install-nvrtc.sh` and
//!   `gpu/README.md`).
//! * **CPU twin helpers** ([`par_for`], [`par_map_into`], [`par_accumulate`],
//!   [`par_accumulate_many`], [`UnsafeSlice`]): rayon over indices, and the CPU
//!   counterpart of `atomicAdd` into shared adjoints: per-chunk accumulators
//!   summed at the end, deterministic for a fixed thread count.
//!
//! # Features
//!
//! * `cuda` (off by default): pulls in [`cudarc`](https://docs.rs/cudarc) 0.19
//!   (driver API + NVRTC, dynamic loading, CUDA 13.0 bindings) and
//!   `libloading`. The driver (`libcuda.so`) and NVRTC (`libnvrtc.so.13`) are
//!   opened at run time, so nothing CUDA is needed to build, and a binary built
//!   with the feature still runs (on the CPU twin) where there is no driver.
//!
//! Without the feature the whole API still exists and compiles, so code that
//! the macro emits does not need `#[cfg]`s: [`Backend::detect`] always returns
//! [`Backend::Cpu`], the device types ([`Gpu`], [`Module`], [`Function`],
//! [`DeviceBuffer`]) cannot be constructed, and the NVRTC functions return
//! [`GpuError::Unavailable`].
//!
//! # Environment variables
//!
//! * `LEIBNIZ_GPU=cpu` (or `off`, `0`, `none`): [`Backend::detect`] picks the
//!   CPU twin without probing CUDA.
//! * `LEIBNIZ_NVRTC_LIB_DIR=<dir>`: load NVRTC from `<dir>` (the builtins
//!   `libnvrtc-builtins.so.*` first, by absolute path, then `libnvrtc.so.13`).
//!   Otherwise NVRTC is looked up by the dynamic loader (`LD_LIBRARY_PATH`,
//!   ldconfig), then in `$CUDA_HOME/lib64`, `$CUDA_PATH/lib64` and
//!   `/usr/local/cuda/lib64`.
//!
//! # How emitted code uses it
//!
//! The host wrapper of a kernel tries the GPU and falls back to the CPU twin:
//!
//! ```
//! use leibniz_gpu::{Backend, CompileOptions, GpuError, KernelArg, LaunchConfig};
//!
//! const AXPY_CUDA: &str = r#"
//! extern "C" __global__ void axpy_primal(float a, const float* x, float* y, unsigned long long n) {
//!     unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;
//!     if (i < n) { y[i] = a * x[i] + y[i]; }
//! }
//! "#;
//!
//! /// CPU twin: one call of the per-element body per index, in parallel.
//! fn axpy_cpu(a: f32, x: &[f32], y: &mut [f32]) {
//!     let y = leibniz_gpu::UnsafeSlice::new(y);
//!     leibniz_gpu::par_for(x.len(), |i| unsafe { y.set(i, a * x[i] + y.get(i)) });
//! }
//!
//! fn axpy_gpu(gpu: &leibniz_gpu::Gpu, a: f32, x: &[f32], y: &mut [f32]) -> Result<(), GpuError> {
//!     let module = gpu.compile(AXPY_CUDA, &CompileOptions::default())?; // cached
//!     let dx = gpu.upload(x)?;
//!     let mut dy = gpu.upload(y)?;
//!     let n = x.len();
//!     // SAFETY: the arguments match `axpy_primal`'s parameters in type and order,
//!     // and the kernel touches indices < n only.
//!     unsafe {
//!         module.launch(
//!             "axpy_primal",
//!             LaunchConfig::for_n(n),
//!             &[KernelArg::from(a), dx.arg(), dy.arg_mut(), KernelArg::from(n)],
//!         )?;
//!     }
//!     // Download first, then overwrite: if anything fails, `y` is untouched
//!     // and the CPU twin can still run on it.
//!     let out = dy.download()?;
//!     y.copy_from_slice(&out);
//!     Ok(())
//! }
//!
//! pub fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
//!     assert_eq!(x.len(), y.len());
//!     if let Some(gpu) = Backend::detect().gpu() {
//!         match axpy_gpu(gpu, a, x, y) {
//!             Ok(()) => return,
//!             Err(e) => leibniz_gpu::fallback_warning("axpy", &e),
//!         }
//!     }
//!     axpy_cpu(a, x, y);
//! }
//!
//! let x = vec![1.0f32, 2.0, 3.0];
//! let mut y = vec![10.0f32, 20.0, 30.0];
//! axpy(2.0, &x, &mut y);
//! assert_eq!(y, [12.0, 24.0, 36.0]);
//! ```
//!
//! Adjoint kernels accumulate into shared inputs with `atomicAdd` on the GPU;
//! the CPU twin uses [`par_accumulate`]:
//!
//! ```
//! // adjoint of  y[i] = w[i % 2] * x[i]  with respect to the shared `w`
//! let x = [1.0f64, 2.0, 3.0, 4.0];
//! let ybar = [1.0f64; 4];
//! let mut wbar = [0.0f64; 2];
//! leibniz_gpu::par_accumulate(x.len(), &mut wbar, |i, acc| acc[i % 2] += ybar[i] * x[i]);
//! assert_eq!(wbar, [4.0, 6.0]);
//! ```

#![warn(missing_docs)]

mod backend;
mod cpu;
mod device;
mod error;
mod nvrtc;
mod source;

pub use backend::{Backend, fallback_warning};
pub use cpu::{
    UnsafeSlice, cpu_threads, par_accumulate, par_accumulate_many, par_for, par_map_into,
};
pub use device::{DeviceBuffer, DeviceElem, Function, Gpu, KernelArg, LaunchConfig, Module};
pub use error::GpuError;
pub use source::{CudaLiteral, DeviceFn, assemble, cuda_lit};
pub use nvrtc::{
    CompileOptions, CompileReport, DEFAULT_ARCH, NvrtcInfo, nvrtc_compile, nvrtc_compile_check,
    nvrtc_info, nvrtc_load_from_dir,
};

/// Whether this build of `leibniz-gpu` has the `cuda` feature.
pub const CUDA_FEATURE: bool = cfg!(feature = "cuda");

/// The message prefix of every line this crate writes to stderr.
pub(crate) const PREFIX: &str = "leibniz-gpu";

/// Locks a mutex, ignoring poisoning (this crate never panics while holding
/// one, and a poisoned cache is still a valid cache).
#[cfg_attr(not(feature = "cuda"), allow(dead_code))]
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_send_and_sync() {
        send_sync::<Backend>();
        send_sync::<Gpu>();
        send_sync::<Module>();
        send_sync::<Function>();
        send_sync::<DeviceBuffer<f32>>();
        send_sync::<KernelArg<'static>>();
        send_sync::<GpuError>();
        send_sync::<UnsafeSlice<'static, f64>>();
    }

    #[test]
    fn kernel_args_convert() {
        assert_eq!(KernelArg::from(3usize), KernelArg::from(3u64));
        assert_ne!(KernelArg::from(1.0f32), KernelArg::from(1.0f64));
    }

    #[test]
    fn launch_config() {
        let c = LaunchConfig::for_n(257);
        assert_eq!((c.grid_dim, c.block_dim, c.shared_mem_bytes), (2, 256, 0));
        assert_eq!(LaunchConfig::for_n_with_block(1024, 1024).grid_dim, 1);
        assert!(LaunchConfig::for_n_with_block(10, 0).validate().is_err());
        assert!(LaunchConfig::for_n_with_block(10, 2048).validate().is_err());
        assert_eq!(
            LaunchConfig::for_n_with_block(usize::MAX, 1).grid_dim,
            u32::MAX
        );
        assert!(
            LaunchConfig::for_n_with_block(usize::MAX, 1)
                .validate()
                .is_err()
        );
        assert!(LaunchConfig::for_n(0).validate().is_ok());
    }

    #[test]
    fn detect_never_panics_and_is_stable() {
        let a = Backend::detect();
        let b = Backend::detect();
        assert!(std::ptr::eq(a, b));
        if !CUDA_FEATURE {
            assert!(a.cpu_reason().is_some());
            assert!(matches!(nvrtc_info(), Err(GpuError::Unavailable(_))));
        }
    }
}
