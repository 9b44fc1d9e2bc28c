//! The error type of the crate.

use std::fmt;

/// What can go wrong on the GPU path. Every fallible function of this crate
/// returns it; none panics.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GpuError {
    /// The CUDA path is not available: the crate was built without the `cuda`
    /// feature, or the driver / NVRTC library cannot be loaded, or there is no
    /// device. The text says which.
    Unavailable(String),
    /// NVRTC rejected the source. `log` is NVRTC's full program log.
    Compile {
        /// NVRTC's program log (all diagnostics, with line numbers).
        log: String,
    },
    /// An NVRTC call other than the compilation itself failed.
    Nvrtc(String),
    /// A CUDA driver call failed (context, memory, module load, launch...).
    Driver(String),
    /// An argument was out of range (length mismatch, grid too large, a name
    /// with a NUL byte...).
    InvalidArgument(String),
}

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GpuError::Unavailable(s) => write!(f, "unavailable: {s}"),
            GpuError::Compile { log } => write!(f, "NVRTC compilation failed:\n{log}"),
            GpuError::Nvrtc(s) => write!(f, "NVRTC error: {s}"),
            GpuError::Driver(s) => write!(f, "CUDA driver error: {s}"),
            GpuError::InvalidArgument(s) => write!(f, "invalid argument: {s}"),
        }
    }
}

impl std::error::Error for GpuError {}

#[cfg(feature = "cuda")]
impl From<cudarc::driver::DriverError> for GpuError {
    fn from(e: cudarc::driver::DriverError) -> Self {
        // `DriverError`'s Debug calls cuGetErrorString, which is safe here:
        // a DriverError only exists once the driver library has been loaded.
        GpuError::Driver(format!("{e:?}"))
    }
}

/// Text of a caught panic payload.
#[cfg(feature = "cuda")]
pub(crate) fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Runs `f`, turning a panic (cudarc panics when a library or symbol is
/// missing) into `GpuError::Driver`.
#[cfg(feature = "cuda")]
pub(crate) fn guard<T>(what: &str, f: impl FnOnce() -> Result<T, GpuError>) -> Result<T, GpuError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(p) => Err(GpuError::Driver(format!(
            "{what}: cudarc panicked: {}",
            panic_text(&*p)
        ))),
    }
}
