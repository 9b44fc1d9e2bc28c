//! Backend selection: CUDA when it works, else the CPU twin.

use crate::{Gpu, GpuError, PREFIX};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// Where `#[kernel]` functions run.
#[derive(Clone, Debug)]
pub enum Backend {
    /// A CUDA device with NVRTC: kernels are compiled and launched on it.
    Cuda(Gpu),
    /// The rayon CPU twin, and why the CUDA backend was not chosen.
    Cpu {
        /// Why: the `cuda` feature is off, no driver, no device, no NVRTC, or
        /// `LEIBNIZ_GPU=cpu`.
        reason: String,
    },
}

static BACKEND: OnceLock<Backend> = OnceLock::new();

impl Backend {
    /// The process-wide backend, probed on the first call.
    ///
    /// CUDA when the `cuda` feature is on, `LEIBNIZ_GPU` is not `cpu`, the
    /// NVIDIA driver loads, device 0 opens and NVRTC loads; otherwise the
    /// CPU, with one line on stderr (once per process) saying why, e.g.
    /// `leibniz-gpu: no NVIDIA driver found (libcuda.so not loadable); using
    /// the CPU twin`. Never panics.
    ///
    /// ```
    /// use leibniz_gpu::Backend;
    /// match Backend::detect() {
    ///     Backend::Cuda(gpu) => println!("on {}", gpu.name()),
    ///     Backend::Cpu { reason } => println!("on the CPU: {reason}"),
    /// }
    /// ```
    pub fn detect() -> &'static Backend {
        BACKEND.get_or_init(|| {
            let backend = probe();
            if let Backend::Cpu { reason } = &backend {
                eprintln!("{PREFIX}: {reason}; using the CPU twin");
            }
            backend
        })
    }

    /// The device, for the CUDA backend.
    pub fn gpu(&self) -> Option<&Gpu> {
        match self {
            Backend::Cuda(g) => Some(g),
            Backend::Cpu { .. } => None,
        }
    }

    /// Whether this is the CUDA backend.
    pub fn is_cuda(&self) -> bool {
        matches!(self, Backend::Cuda(_))
    }

    /// Why the CPU backend was chosen; `None` for CUDA.
    pub fn cpu_reason(&self) -> Option<&str> {
        match self {
            Backend::Cuda(_) => None,
            Backend::Cpu { reason } => Some(reason),
        }
    }
}

fn forced_cpu() -> Option<String> {
    let v = std::env::var("LEIBNIZ_GPU").ok()?;
    let l = v.trim().to_ascii_lowercase();
    matches!(l.as_str(), "cpu" | "off" | "0" | "none" | "false")
        .then(|| format!("LEIBNIZ_GPU={v} is set"))
}

#[cfg(not(feature = "cuda"))]
fn probe() -> Backend {
    let reason = forced_cpu()
        .unwrap_or_else(|| "built without the `cuda` feature of leibniz-gpu".to_string());
    Backend::Cpu { reason }
}

#[cfg(feature = "cuda")]
fn probe() -> Backend {
    match probe_cuda() {
        Ok(gpu) => Backend::Cuda(gpu),
        Err(reason) => Backend::Cpu { reason },
    }
}

#[cfg(feature = "cuda")]
fn probe_cuda() -> Result<Gpu, String> {
    if let Some(r) = forced_cpu() {
        return Err(r);
    }
    let gpu = Gpu::new(0).map_err(|e| match e {
        GpuError::Unavailable(s) => s,
        e => format!("NVIDIA driver found but CUDA device 0 is not usable ({e})"),
    })?;
    crate::nvrtc_info()
        .map_err(|e| format!("CUDA device 0 ({}) found but NVRTC is not: {e}", gpu.name()))?;
    Ok(gpu)
}

static WARNED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// Reports, once per process per kernel, that kernel `kernel` failed on the
/// GPU and runs on the CPU twin instead; emitted host wrappers call it when a
/// GPU step returns an error. Prints one line to stderr:
/// `leibniz-gpu: kernel `name` failed on the GPU (<error>); using the CPU twin`.
pub fn fallback_warning(kernel: &str, error: &GpuError) {
    let mut set = crate::lock(&WARNED);
    if set
        .get_or_insert_with(HashSet::new)
        .insert(kernel.to_string())
    {
        let text = error.to_string();
        // A compile log can be long: show it in full (it is the useful part),
        // but keep a one-line message for everything else.
        if text.contains('\n') {
            eprintln!("{PREFIX}: kernel `{kernel}` failed on the GPU; using the CPU twin: {text}");
        } else {
            eprintln!("{PREFIX}: kernel `{kernel}` failed on the GPU ({text}); using the CPU twin");
        }
    }
}
