//! The CUDA device: context, compiled modules, buffers, launches.
//!
//! The public types exist with and without the `cuda` feature; without it
//! they hold an uninhabited value, so they cannot be constructed and their
//! methods are never reached, but code using them still compiles.

use crate::{CompileOptions, CompileReport, GpuError};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

mod sealed {
    #[cfg(feature = "cuda")]
    pub trait Sealed: cudarc::driver::DeviceRepr + cudarc::driver::ValidAsZeroBits {}
    #[cfg(not(feature = "cuda"))]
    pub trait Sealed {}
}

/// Element types of [`DeviceBuffer`]s: `f32`, `f64`, `i32`, `u32`, `i64`,
/// `u64`.
pub trait DeviceElem:
    sealed::Sealed + Copy + Default + PartialEq + fmt::Debug + Send + Sync + 'static
{
    /// The CUDA C spelling of the type (`"float"`, `"double"`, ...).
    const CUDA_NAME: &'static str;
}

macro_rules! device_elem {
    ($($t:ty => $c:literal),* $(,)?) => {$(
        impl sealed::Sealed for $t {}
        impl DeviceElem for $t {
            const CUDA_NAME: &'static str = $c;
        }
    )*};
}
device_elem!(
    f32 => "float",
    f64 => "double",
    i32 => "int",
    u32 => "unsigned int",
    i64 => "long long",
    u64 => "unsigned long long",
);

/// A 1-D launch configuration: `grid_dim` blocks of `block_dim` threads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LaunchConfig {
    /// Number of blocks (`gridDim.x`). 0 makes the launch a no-op.
    pub grid_dim: u32,
    /// Threads per block (`blockDim.x`), 1 to 1024.
    pub block_dim: u32,
    /// Dynamic shared memory per block, in bytes.
    pub shared_mem_bytes: u32,
}

impl LaunchConfig {
    /// The default block size, 256 threads.
    pub const DEFAULT_BLOCK: u32 = 256;

    /// One thread per element for `n` elements: blocks of 256 threads,
    /// `ceil(n / 256)` blocks. The kernel must check `i < n` itself.
    ///
    /// ```
    /// use leibniz_gpu::LaunchConfig;
    /// let c = LaunchConfig::for_n(1000);
    /// assert_eq!((c.grid_dim, c.block_dim), (4, 256));
    /// assert_eq!(LaunchConfig::for_n(0).grid_dim, 0);
    /// ```
    pub fn for_n(n: usize) -> LaunchConfig {
        LaunchConfig::for_n_with_block(n, Self::DEFAULT_BLOCK)
    }

    /// One thread per element for `n` elements with blocks of `block_dim`
    /// threads. A grid too large for CUDA saturates at `u32::MAX` blocks, and
    /// the launch then fails with [`GpuError::InvalidArgument`] (it does not
    /// wrap around); so does `block_dim` 0 or above 1024.
    pub fn for_n_with_block(n: usize, block_dim: u32) -> LaunchConfig {
        let grid = if block_dim == 0 {
            0
        } else {
            n.div_ceil(block_dim as usize)
        };
        LaunchConfig {
            grid_dim: u32::try_from(grid).unwrap_or(u32::MAX),
            block_dim,
            shared_mem_bytes: 0,
        }
    }

    /// Checks the limits CUDA imposes on 1-D launches.
    #[cfg_attr(not(feature = "cuda"), allow(dead_code))]
    pub(crate) fn validate(&self) -> Result<(), GpuError> {
        if !(1..=1024).contains(&self.block_dim) {
            return Err(GpuError::InvalidArgument(format!(
                "block_dim {} is not in 1..=1024",
                self.block_dim
            )));
        }
        if self.grid_dim > i32::MAX as u32 {
            return Err(GpuError::InvalidArgument(format!(
                "grid_dim {} exceeds CUDA's limit of 2^31 - 1 blocks",
                self.grid_dim
            )));
        }
        Ok(())
    }
}

/// One kernel argument: a scalar, or the device pointer of a
/// [`DeviceBuffer`] (borrowed for `'a`, so the buffer outlives the launch
/// call).
///
/// Scalars convert with `From`: `f32` → `float`, `f64` → `double`, `i32` →
/// `int`, `u32` → `unsigned int`, `i64` → `long long`, `u64` and `usize` →
/// `unsigned long long` (`size_t`). Buffers: [`DeviceBuffer::arg`] (`const
/// T*`), [`DeviceBuffer::arg_mut`] (`T*`), or `From<&DeviceBuffer<T>>` /
/// `From<&mut DeviceBuffer<T>>`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KernelArg<'a> {
    #[cfg_attr(not(feature = "cuda"), allow(dead_code))]
    pub(crate) repr: ArgRepr,
    _borrow: PhantomData<&'a ()>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum ArgRepr {
    F32(f32),
    F64(f64),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    /// A device pointer (`CUdeviceptr`).
    Ptr(u64),
}

impl KernelArg<'_> {
    fn new(repr: ArgRepr) -> Self {
        KernelArg {
            repr,
            _borrow: PhantomData,
        }
    }
}

macro_rules! scalar_arg {
    ($($t:ty => $v:ident),*) => {$(
        impl From<$t> for KernelArg<'_> {
            fn from(v: $t) -> Self {
                KernelArg::new(ArgRepr::$v(v))
            }
        }
    )*};
}
scalar_arg!(f32 => F32, f64 => F64, i32 => I32, u32 => U32, i64 => I64, u64 => U64);

impl From<usize> for KernelArg<'_> {
    fn from(v: usize) -> Self {
        KernelArg::new(ArgRepr::U64(v as u64))
    }
}

impl<'a, T: DeviceElem> From<&'a DeviceBuffer<T>> for KernelArg<'a> {
    fn from(b: &'a DeviceBuffer<T>) -> Self {
        b.arg()
    }
}

impl<'a, T: DeviceElem> From<&'a mut DeviceBuffer<T>> for KernelArg<'a> {
    fn from(b: &'a mut DeviceBuffer<T>) -> Self {
        b.arg_mut()
    }
}

/// A CUDA device (context and stream) that compiles and launches kernels.
///
/// Cheap to clone (an `Arc`), `Send + Sync`. Everything is issued on one
/// stream, so launches, copies and frees are ordered; downloads wait for the
/// work before them.
#[derive(Clone)]
pub struct Gpu {
    pub(crate) inner: Arc<imp::GpuInner>,
}

impl fmt::Debug for Gpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gpu")
            .field("ordinal", &self.ordinal())
            .field("name", &self.name())
            .field("compute_capability", &self.compute_capability())
            .field("driver_version", &self.driver_version())
            .finish()
    }
}

impl Gpu {
    /// Opens device `ordinal` (its primary context). Prefer
    /// [`Backend::detect`](crate::Backend::detect), which also checks NVRTC
    /// and falls back to the CPU.
    ///
    /// [`GpuError::Unavailable`] without the `cuda` feature or without a
    /// loadable driver; [`GpuError::Driver`] when the driver fails (no device,
    /// for instance).
    pub fn new(ordinal: usize) -> Result<Gpu, GpuError> {
        imp::GpuInner::new(ordinal).map(|inner| Gpu {
            inner: Arc::new(inner),
        })
    }

    /// The device ordinal.
    pub fn ordinal(&self) -> usize {
        self.inner.ordinal()
    }

    /// The device name, e.g. `"NVIDIA H200"`.
    pub fn name(&self) -> &str {
        self.inner.name()
    }

    /// The compute capability, e.g. `(9, 0)`.
    pub fn compute_capability(&self) -> (u32, u32) {
        self.inner.compute_capability()
    }

    /// The driver's CUDA version as `1000 * major + 10 * minor` (13000 for
    /// CUDA 13.0).
    pub fn driver_version(&self) -> i32 {
        self.inner.driver_version()
    }

    /// The architecture [`Gpu::compile`] targets when the options leave it
    /// open: the device's `sm_XY` (a cubin) when NVRTC supports it, else PTX
    /// for the newest `compute_XY` NVRTC supports below it.
    pub fn default_arch(&self) -> &str {
        self.inner.default_arch()
    }

    /// Compiles CUDA C `source` with NVRTC and loads it on the device.
    ///
    /// Compiles once per process per (`source`, `options`) and device: later
    /// calls return the cached [`Module`] (or the cached error). A compile
    /// error is [`GpuError::Compile`] with NVRTC's full log.
    pub fn compile(&self, source: &str, options: &CompileOptions) -> Result<Module, GpuError> {
        self.inner.compile(source, options)
    }

    /// Copies `host` to a new device buffer.
    pub fn upload<T: DeviceElem>(&self, host: &[T]) -> Result<DeviceBuffer<T>, GpuError> {
        self.inner.upload(host).map(|inner| DeviceBuffer { inner })
    }

    /// A new device buffer of `len` zeros.
    pub fn zeros<T: DeviceElem>(&self, len: usize) -> Result<DeviceBuffer<T>, GpuError> {
        self.inner.zeros(len).map(|inner| DeviceBuffer { inner })
    }

    /// Waits for all work issued so far; reports errors of earlier
    /// asynchronous work (a kernel that faulted, for instance).
    pub fn synchronize(&self) -> Result<(), GpuError> {
        self.inner.synchronize()
    }
}

/// A compiled and loaded CUDA module. Cheap to clone.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<imp::ModuleInner>,
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module")
            .field("arch", &self.report().arch)
            .finish_non_exhaustive()
    }
}

impl Module {
    /// The kernel `name` (an `extern "C" __global__` function), looked up
    /// once and cached. [`GpuError::Driver`] (`CUDA_ERROR_NOT_FOUND`) when the
    /// module has no such function.
    pub fn function(&self, name: &str) -> Result<Function, GpuError> {
        self.inner.function(name)
    }

    /// How the module was compiled (arch, options, NVRTC's log of warnings,
    /// the PTX or cubin).
    pub fn report(&self) -> &CompileReport {
        self.inner.report()
    }

    /// Launches kernel `name` with `args` on the device's stream; does not
    /// wait for it. A `config` with `grid_dim` 0 launches nothing.
    ///
    /// # Safety
    ///
    /// The kernel's parameters must match `args` in number, order and type
    /// (a buffer for each pointer parameter, with the element type the kernel
    /// expects), and the kernel must only access buffer elements that exist
    /// (e.g. check `i < n`) and not write through a buffer passed with
    /// [`DeviceBuffer::arg`] while it is also read elsewhere in the same
    /// launch unless the kernel intends that. NVRTC and the driver cannot
    /// check any of this.
    pub unsafe fn launch(
        &self,
        name: &str,
        config: LaunchConfig,
        args: &[KernelArg<'_>],
    ) -> Result<(), GpuError> {
        let f = self.function(name)?;
        // SAFETY: forwarded to the caller.
        unsafe { f.launch(config, args) }
    }
}

/// A kernel of a [`Module`]. Cheap to clone; keeps its module loaded.
#[derive(Clone)]
pub struct Function {
    pub(crate) inner: Arc<imp::FunctionInner>,
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Function")
            .field("name", &self.name())
            .finish()
    }
}

impl Function {
    /// The kernel's name.
    pub fn name(&self) -> &str {
        self.inner.name()
    }

    /// Launches the kernel; see [`Module::launch`].
    ///
    /// # Safety
    ///
    /// As for [`Module::launch`].
    pub unsafe fn launch(
        &self,
        config: LaunchConfig,
        args: &[KernelArg<'_>],
    ) -> Result<(), GpuError> {
        // SAFETY: forwarded to the caller.
        unsafe { self.inner.launch(config, args) }
    }
}

/// A buffer of `T`s in device memory, freed on drop (in stream order).
pub struct DeviceBuffer<T: DeviceElem> {
    pub(crate) inner: imp::BufferInner<T>,
}

impl<T: DeviceElem> fmt::Debug for DeviceBuffer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceBuffer")
            .field("type", &T::CUDA_NAME)
            .field("len", &self.len())
            .finish()
    }
}

impl<T: DeviceElem> DeviceBuffer<T> {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    /// Whether the buffer has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Copies the buffer to a new `Vec`, after the work issued before.
    pub fn download(&self) -> Result<Vec<T>, GpuError> {
        let mut v = vec![T::default(); self.len()];
        self.download_into(&mut v)?;
        Ok(v)
    }

    /// Copies the buffer into `dst` (of the same length), after the work
    /// issued before.
    pub fn download_into(&self, dst: &mut [T]) -> Result<(), GpuError> {
        if dst.len() != self.len() {
            return Err(GpuError::InvalidArgument(format!(
                "download_into: destination has {} elements, buffer {}",
                dst.len(),
                self.len()
            )));
        }
        self.inner.download_into(dst)
    }

    /// Overwrites the buffer with `src` (of the same length).
    pub fn copy_from(&mut self, src: &[T]) -> Result<(), GpuError> {
        if src.len() != self.len() {
            return Err(GpuError::InvalidArgument(format!(
                "copy_from: source has {} elements, buffer {}",
                src.len(),
                self.len()
            )));
        }
        self.inner.copy_from(src)
    }

    /// Sets every element to zero (e.g. an adjoint accumulator).
    pub fn set_zero(&mut self) -> Result<(), GpuError> {
        self.inner.set_zero()
    }

    /// The buffer as a read-only kernel argument (`const T*`).
    pub fn arg(&self) -> KernelArg<'_> {
        KernelArg::new(ArgRepr::Ptr(self.inner.device_ptr()))
    }

    /// The buffer as a writable kernel argument (`T*`).
    pub fn arg_mut(&mut self) -> KernelArg<'_> {
        KernelArg::new(ArgRepr::Ptr(self.inner.device_ptr()))
    }
}

#[cfg(not(feature = "cuda"))]
mod imp {
    //! Without the `cuda` feature: uninhabited stand-ins.
    use super::{DeviceElem, Function, KernelArg, LaunchConfig, Module};
    use crate::{CompileOptions, CompileReport, GpuError};
    use std::marker::PhantomData;

    #[derive(Clone, Copy, Debug)]
    pub(crate) enum Never {}

    pub(crate) struct GpuInner(Never);
    pub(crate) struct ModuleInner(Never);
    pub(crate) struct FunctionInner(Never);
    pub(crate) struct BufferInner<T>(Never, PhantomData<T>);

    impl GpuInner {
        pub(crate) fn new(_ordinal: usize) -> Result<Self, GpuError> {
            Err(GpuError::Unavailable(
                "leibniz-gpu was built without the `cuda` feature".into(),
            ))
        }
        pub(crate) fn ordinal(&self) -> usize {
            match self.0 {}
        }
        pub(crate) fn name(&self) -> &str {
            match self.0 {}
        }
        pub(crate) fn compute_capability(&self) -> (u32, u32) {
            match self.0 {}
        }
        pub(crate) fn driver_version(&self) -> i32 {
            match self.0 {}
        }
        pub(crate) fn default_arch(&self) -> &str {
            match self.0 {}
        }
        pub(crate) fn compile(&self, _: &str, _: &CompileOptions) -> Result<Module, GpuError> {
            match self.0 {}
        }
        pub(crate) fn upload<T: DeviceElem>(&self, _: &[T]) -> Result<BufferInner<T>, GpuError> {
            match self.0 {}
        }
        pub(crate) fn zeros<T: DeviceElem>(&self, _: usize) -> Result<BufferInner<T>, GpuError> {
            match self.0 {}
        }
        pub(crate) fn synchronize(&self) -> Result<(), GpuError> {
            match self.0 {}
        }
    }

    impl ModuleInner {
        pub(crate) fn function(&self, _: &str) -> Result<Function, GpuError> {
            match self.0 {}
        }
        pub(crate) fn report(&self) -> &CompileReport {
            match self.0 {}
        }
    }

    impl FunctionInner {
        pub(crate) fn name(&self) -> &str {
            match self.0 {}
        }
        pub(crate) unsafe fn launch(
            &self,
            _: LaunchConfig,
            _: &[KernelArg<'_>],
        ) -> Result<(), GpuError> {
            match self.0 {}
        }
    }

    impl<T: DeviceElem> BufferInner<T> {
        pub(crate) fn len(&self) -> usize {
            match self.0 {}
        }
        pub(crate) fn download_into(&self, _: &mut [T]) -> Result<(), GpuError> {
            match self.0 {}
        }
        pub(crate) fn copy_from(&mut self, _: &[T]) -> Result<(), GpuError> {
            match self.0 {}
        }
        pub(crate) fn set_zero(&mut self) -> Result<(), GpuError> {
            match self.0 {}
        }
        pub(crate) fn device_ptr(&self) -> u64 {
            match self.0 {}
        }
    }
}

#[cfg(feature = "cuda")]
mod imp {
    //! The CUDA implementation over cudarc's safe driver API.
    use super::{ArgRepr, DeviceElem, Function, KernelArg, LaunchConfig, Module};
    use crate::error::guard;
    use crate::{CompileOptions, CompileReport, GpuError, lock, nvrtc};
    use cudarc::driver::{
        CudaContext, CudaFunction, CudaModule, CudaSlice, CudaStream, DevicePtr, PushKernelArg, sys,
    };
    use cudarc::nvrtc::Ptx;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};

    type ModuleCell = Arc<OnceLock<Result<Module, GpuError>>>;

    pub(crate) struct GpuInner {
        ctx: Arc<CudaContext>,
        stream: Arc<CudaStream>,
        ordinal: usize,
        name: String,
        cc: (u32, u32),
        driver_version: i32,
        arch: OnceLock<String>,
        /// source text -> [(options, module)]: looked up without allocating.
        modules: Mutex<HashMap<String, Vec<(CompileOptions, ModuleCell)>>>,
    }

    /// Whether the driver library can be loaded, without panicking.
    pub(crate) fn driver_present() -> bool {
        // SAFETY: only tries to dlopen libcuda.so and closes it again.
        std::panic::catch_unwind(|| unsafe { sys::is_culib_present() }).unwrap_or(false)
    }

    impl GpuInner {
        pub(crate) fn new(ordinal: usize) -> Result<Self, GpuError> {
            if !driver_present() {
                return Err(GpuError::Unavailable(
                    "no NVIDIA driver found (libcuda.so not loadable)".into(),
                ));
            }
            guard("opening the CUDA device", || {
                let ctx = CudaContext::new(ordinal)?;
                // SAFETY: this context object only ever uses its default
                // stream, so ordering is the stream's and the per-buffer
                // events cudarc would create are not needed (no buffer exists
                // yet).
                unsafe { ctx.disable_event_tracking() };
                let stream = ctx.default_stream();
                let (major, minor) = ctx.compute_capability()?;
                let name = ctx.name().unwrap_or_else(|_| "unknown CUDA device".into());
                let mut driver_version = 0;
                // SAFETY: valid out-pointer; the driver is loaded (cuInit ran).
                unsafe { sys::cuDriverGetVersion(&mut driver_version) }.result()?;
                Ok(GpuInner {
                    ctx,
                    stream,
                    ordinal,
                    name,
                    cc: (major.max(0) as u32, minor.max(0) as u32),
                    driver_version,
                    arch: OnceLock::new(),
                    modules: Mutex::new(HashMap::new()),
                })
            })
        }

        pub(crate) fn ordinal(&self) -> usize {
            self.ordinal
        }
        pub(crate) fn name(&self) -> &str {
            &self.name
        }
        pub(crate) fn compute_capability(&self) -> (u32, u32) {
            self.cc
        }
        pub(crate) fn driver_version(&self) -> i32 {
            self.driver_version
        }

        pub(crate) fn default_arch(&self) -> &str {
            self.arch.get_or_init(|| {
                let dev = (self.cc.0 * 10 + self.cc.1) as i32;
                let supported = nvrtc::api(None)
                    .map(|a| a.info().supported_archs)
                    .unwrap_or_default();
                if supported.is_empty() || supported.contains(&dev) {
                    format!("sm_{dev}")
                } else if let Some(&best) = supported.iter().filter(|&&a| a <= dev).max() {
                    // NVRTC does not know this (newer) device: PTX for the
                    // newest architecture it knows, which the driver JITs.
                    format!("compute_{best}")
                } else {
                    // Older than anything NVRTC supports: let NVRTC say so.
                    format!("sm_{dev}")
                }
            })
        }

        pub(crate) fn compile(
            &self,
            source: &str,
            options: &CompileOptions,
        ) -> Result<Module, GpuError> {
            let cell = {
                let mut map = lock(&self.modules);
                let entries = match map.get_mut(source) {
                    Some(e) => e,
                    None => map.entry(source.to_string()).or_default(),
                };
                match entries.iter().find(|(o, _)| o == options) {
                    Some((_, cell)) => cell.clone(),
                    None => {
                        let cell = ModuleCell::default();
                        entries.push((options.clone(), cell.clone()));
                        cell
                    }
                }
            };
            // Compiles outside the map lock; concurrent callers of the same
            // key wait here for the one compilation.
            cell.get_or_init(|| self.build(source, options)).clone()
        }

        fn build(&self, source: &str, options: &CompileOptions) -> Result<Module, GpuError> {
            let report = nvrtc::compile(source, options, self.default_arch())?;
            let image = match (&report.cubin, &report.ptx) {
                (Some(cubin), _) => Ptx::from_binary(cubin.clone()),
                (None, Some(ptx)) => Ptx::from_src(ptx.clone()),
                (None, None) => return Err(GpuError::Nvrtc("no PTX and no cubin".into())),
            };
            let module = guard("loading the module (cuModuleLoadData)", || {
                Ok(self.ctx.load_module(image)?)
            })?;
            Ok(Module {
                inner: Arc::new(ModuleInner {
                    module,
                    stream: self.stream.clone(),
                    functions: Mutex::new(HashMap::new()),
                    report,
                }),
            })
        }

        pub(crate) fn upload<T: DeviceElem>(&self, host: &[T]) -> Result<BufferInner<T>, GpuError> {
            if host.is_empty() {
                return Ok(BufferInner { slice: None });
            }
            guard("upload (cuMemcpyHtoD)", || {
                Ok(BufferInner {
                    slice: Some(self.stream.clone_htod(host)?),
                })
            })
        }

        pub(crate) fn zeros<T: DeviceElem>(&self, len: usize) -> Result<BufferInner<T>, GpuError> {
            if len == 0 {
                return Ok(BufferInner { slice: None });
            }
            guard("allocation (cuMemAlloc)", || {
                Ok(BufferInner {
                    slice: Some(self.stream.alloc_zeros::<T>(len)?),
                })
            })
        }

        pub(crate) fn synchronize(&self) -> Result<(), GpuError> {
            guard("synchronize", || {
                self.stream.synchronize()?;
                self.ctx.check_err()?;
                Ok(())
            })
        }
    }

    pub(crate) struct ModuleInner {
        module: Arc<CudaModule>,
        stream: Arc<CudaStream>,
        functions: Mutex<HashMap<String, Function>>,
        report: CompileReport,
    }

    impl ModuleInner {
        pub(crate) fn function(&self, name: &str) -> Result<Function, GpuError> {
            let mut map = lock(&self.functions);
            if let Some(f) = map.get(name) {
                return Ok(f.clone());
            }
            if name.contains('\0') {
                return Err(GpuError::InvalidArgument(format!(
                    "kernel name {name:?} contains a NUL byte"
                )));
            }
            let func = guard("cuModuleGetFunction", || {
                self.module
                    .load_function(name)
                    .map_err(|e| GpuError::Driver(format!("kernel `{name}`: {e:?}")))
            })?;
            let f = Function {
                inner: Arc::new(FunctionInner {
                    func,
                    stream: self.stream.clone(),
                    name: name.to_string(),
                }),
            };
            map.insert(name.to_string(), f.clone());
            Ok(f)
        }

        pub(crate) fn report(&self) -> &CompileReport {
            &self.report
        }
    }

    pub(crate) struct FunctionInner {
        func: CudaFunction,
        stream: Arc<CudaStream>,
        name: String,
    }

    impl FunctionInner {
        pub(crate) fn name(&self) -> &str {
            &self.name
        }

        pub(crate) unsafe fn launch(
            &self,
            config: LaunchConfig,
            args: &[KernelArg<'_>],
        ) -> Result<(), GpuError> {
            config.validate()?;
            if config.grid_dim == 0 {
                return Ok(());
            }
            guard("cuLaunchKernel", || {
                let mut b = self.stream.launch_builder(&self.func);
                for a in args {
                    match &a.repr {
                        ArgRepr::F32(v) => b.arg(v),
                        ArgRepr::F64(v) => b.arg(v),
                        ArgRepr::I32(v) => b.arg(v),
                        ArgRepr::U32(v) => b.arg(v),
                        ArgRepr::I64(v) => b.arg(v),
                        ArgRepr::U64(v) => b.arg(v),
                        ArgRepr::Ptr(v) => b.arg(v),
                    };
                }
                let cfg = cudarc::driver::LaunchConfig {
                    grid_dim: (config.grid_dim, 1, 1),
                    block_dim: (config.block_dim, 1, 1),
                    shared_mem_bytes: config.shared_mem_bytes,
                };
                // SAFETY: the caller guarantees the arguments match the
                // kernel; every argument lives in `args` until after the call
                // (cuLaunchKernel copies the parameter values).
                unsafe { b.launch(cfg) }
                    .map_err(|e| GpuError::Driver(format!("launching `{}`: {e:?}", self.name)))?;
                Ok(())
            })
        }
    }

    pub(crate) struct BufferInner<T> {
        /// `None` for an empty buffer (CUDA cannot allocate 0 bytes).
        slice: Option<CudaSlice<T>>,
    }

    impl<T> Drop for BufferInner<T> {
        fn drop(&mut self) {
            // cudarc frees on the buffer's stream without making its context
            // current; a buffer dropped on another thread needs it bound.
            if let Some(s) = &self.slice {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    s.context().bind_to_thread()
                }));
            }
        }
    }

    impl<T: DeviceElem> BufferInner<T> {
        pub(crate) fn len(&self) -> usize {
            self.slice.as_ref().map_or(0, |s| s.len())
        }

        pub(crate) fn download_into(&self, dst: &mut [T]) -> Result<(), GpuError> {
            let Some(s) = &self.slice else { return Ok(()) };
            guard("download (cuMemcpyDtoH)", || {
                let stream = s.stream();
                stream.memcpy_dtoh(s, dst)?;
                stream.synchronize()?;
                stream.context().check_err()?;
                Ok(())
            })
        }

        pub(crate) fn copy_from(&mut self, src: &[T]) -> Result<(), GpuError> {
            let Some(s) = &mut self.slice else {
                return Ok(());
            };
            guard("upload (cuMemcpyHtoD)", || {
                let stream = s.stream().clone();
                stream.memcpy_htod(src, s)?;
                Ok(())
            })
        }

        pub(crate) fn set_zero(&mut self) -> Result<(), GpuError> {
            let Some(s) = &mut self.slice else {
                return Ok(());
            };
            guard("cuMemsetD8", || {
                let stream = s.stream().clone();
                stream.memset_zeros(s)?;
                Ok(())
            })
        }

        pub(crate) fn device_ptr(&self) -> u64 {
            match &self.slice {
                // Event tracking is off (see GpuInner::new), so the returned
                // guard records nothing.
                Some(s) => s.device_ptr(s.stream()).0,
                None => 0,
            }
        }
    }
}
