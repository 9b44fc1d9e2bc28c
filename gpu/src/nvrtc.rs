//! NVRTC: run-time compilation of CUDA C.
//!
//! NVRTC is bound by hand over `libloading` (a dozen functions) rather than
//! through cudarc's `nvrtc` module so that this crate decides exactly which
//! library file is opened (`LEIBNIZ_NVRTC_LIB_DIR`, with the builtins loaded
//! first by absolute path, as the PyPI wheel needs), reports which one it was,
//! keeps NVRTC's result codes as plain integers (no enum transmutes), and never
//! panics. Only NVRTC is needed: no driver, no GPU.

use crate::GpuError;

/// The architecture [`nvrtc_compile`] targets when [`CompileOptions::arch`]
/// is `None`: Hopper (H200), as a cubin. [`Gpu::compile`](crate::Gpu::compile)
/// uses the device's own compute capability instead.
pub const DEFAULT_ARCH: &str = "sm_90";

/// Options of an NVRTC compilation.
///
/// The options are part of the compile cache key of
/// [`Gpu::compile`](crate::Gpu::compile).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CompileOptions {
    /// Target architecture: `sm_XY` compiles to a cubin (NVRTC runs ptxas),
    /// `compute_XY` to PTX (the driver JIT-compiles it at load time). `None`:
    /// the device's `sm_XY` for [`Gpu::compile`](crate::Gpu::compile),
    /// [`DEFAULT_ARCH`] for [`nvrtc_compile`].
    pub arch: Option<String>,
    /// Further NVRTC options, passed as given, e.g. `"--use_fast_math"`,
    /// `"--fmad=false"`, `"-lineinfo"`, `"-DN=4"`.
    pub options: Vec<String>,
    /// Program name shown in NVRTC diagnostics; default `leibniz_kernel.cu`.
    pub name: Option<String>,
}

impl CompileOptions {
    /// Options targeting `arch` (`sm_XY` or `compute_XY`), nothing else.
    pub fn for_arch(arch: impl Into<String>) -> Self {
        CompileOptions {
            arch: Some(arch.into()),
            ..CompileOptions::default()
        }
    }

    /// Adds one NVRTC option.
    pub fn option(mut self, option: impl Into<String>) -> Self {
        self.options.push(option.into());
        self
    }
}

/// The result of a successful NVRTC compilation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileReport {
    /// The architecture compiled for (`sm_XY` or `compute_XY`).
    pub arch: String,
    /// All options passed to `nvrtcCompileProgram`.
    pub options: Vec<String>,
    /// NVRTC's program log: warnings, usually empty on success.
    pub log: String,
    /// PTX text, when NVRTC produced some (always for `compute_XY`).
    pub ptx: Option<String>,
    /// The cubin (an ELF image), for `sm_XY` targets.
    pub cubin: Option<Vec<u8>>,
    /// Version of the NVRTC library that compiled it, e.g. `(13, 0)`.
    pub nvrtc_version: (i32, i32),
}

/// Which NVRTC library was loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NvrtcInfo {
    /// `nvrtcVersion()`, e.g. `(13, 0)`.
    pub version: (i32, i32),
    /// The library file, or the name the dynamic loader resolved.
    pub library: String,
    /// The builtins library loaded beforehand by absolute path, if any.
    pub builtins: Option<String>,
    /// `nvrtcGetSupportedArchs()`: compute capabilities as `10 * major + minor`.
    pub supported_archs: Vec<i32>,
}

/// Loads NVRTC (once per process) and tells which library it is.
///
/// Search order: the directory in `LEIBNIZ_NVRTC_LIB_DIR` (only that, when
/// set); `libnvrtc.so.13`, `libnvrtc.so`, `libnvrtc.so.12` through the dynamic
/// loader (`LD_LIBRARY_PATH`, ldconfig); `$CUDA_HOME/lib64`,
/// `$CUDA_PATH/lib64`, `/usr/local/cuda/lib64`, `/usr/local/cuda-13.0/lib64`.
/// A failed attempt is not remembered, a successful one is.
///
/// Without the `cuda` feature: always [`GpuError::Unavailable`].
pub fn nvrtc_info() -> Result<NvrtcInfo, GpuError> {
    imp::api(None).map(|a| a.info())
}

/// Loads NVRTC from `dir` (builtins first, by absolute path, then
/// `libnvrtc.so.13`), unless NVRTC is already loaded, in which case it returns
/// the loaded one's [`NvrtcInfo`] (compare [`NvrtcInfo::library`]). Call it
/// before anything else compiles.
///
/// `dir` is, for the PyPI wheel, its `nvidia/cu13/lib` directory (what
/// `gpu/ci/install-nvrtc.sh` prints).
pub fn nvrtc_load_from_dir(dir: impl AsRef<std::path::Path>) -> Result<NvrtcInfo, GpuError> {
    imp::api(Some(dir.as_ref())).map(|a| a.info())
}

/// Compiles CUDA C `source` with NVRTC alone (no driver, no GPU needed).
///
/// `options.arch` defaults to [`DEFAULT_ARCH`]. Errors: [`GpuError::Compile`]
/// with the full log when the source does not compile;
/// [`GpuError::Unavailable`] when NVRTC cannot be loaded (or without the
/// `cuda` feature); [`GpuError::Nvrtc`] for other NVRTC failures (an invalid
/// option, for instance, with the log).
pub fn nvrtc_compile(source: &str, options: &CompileOptions) -> Result<CompileReport, GpuError> {
    imp::compile(source, options, DEFAULT_ARCH)
}

/// The CPU-only compile check: compiles `source` for `arch` (`"sm_90"`: a
/// cubin, which also runs ptxas; `"compute_90"`: PTX) and reports.
///
/// ```
/// use leibniz_gpu::{nvrtc_compile_check, GpuError};
/// let src = r#"extern "C" __global__ void k(double* s, const double* x, unsigned n) {
///     unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
///     if (i < n) atomicAdd(s, x[i]);
/// }"#;
/// match nvrtc_compile_check(src, "sm_90") {
///     Ok(report) => assert!(report.cubin.is_some_and(|c| c.starts_with(b"\x7fELF"))),
///     Err(GpuError::Unavailable(why)) => eprintln!("skipped: {why}"),
///     Err(e) => panic!("{e}"),
/// }
/// ```
pub fn nvrtc_compile_check(source: &str, arch: &str) -> Result<CompileReport, GpuError> {
    imp::compile(source, &CompileOptions::for_arch(arch), DEFAULT_ARCH)
}

#[cfg(not(feature = "cuda"))]
mod imp {
    use super::{CompileOptions, CompileReport, NvrtcInfo};
    use crate::GpuError;

    pub(crate) enum Api {}

    impl Api {
        pub(crate) fn info(&self) -> NvrtcInfo {
            match *self {}
        }
    }

    fn unavailable() -> GpuError {
        GpuError::Unavailable("leibniz-gpu was built without the `cuda` feature".into())
    }

    pub(crate) fn api(_dir: Option<&std::path::Path>) -> Result<&'static Api, GpuError> {
        Err(unavailable())
    }

    pub(crate) fn compile(
        _source: &str,
        _options: &CompileOptions,
        _default_arch: &str,
    ) -> Result<CompileReport, GpuError> {
        Err(unavailable())
    }
}

#[cfg(feature = "cuda")]
pub(crate) use imp::{api, compile};

#[cfg(feature = "cuda")]
mod imp {
    use super::{CompileOptions, CompileReport, NvrtcInfo};
    use crate::GpuError;
    use libloading::Library;
    use std::ffi::{CStr, CString, OsString, c_char, c_int, c_void};
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    type Program = *mut c_void;
    const NVRTC_SUCCESS: c_int = 0;
    const NVRTC_ERROR_COMPILATION: c_int = 6;

    #[cfg(unix)]
    const LIB_NAMES: &[&str] = &["libnvrtc.so.13", "libnvrtc.so", "libnvrtc.so.12"];
    #[cfg(windows)]
    const LIB_NAMES: &[&str] = &["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc.dll"];
    #[cfg(not(any(unix, windows)))]
    const LIB_NAMES: &[&str] = &[];

    #[cfg(unix)]
    const BUILTINS_PREFIX: &str = "libnvrtc-builtins.so";
    #[cfg(not(unix))]
    const BUILTINS_PREFIX: &str = "nvrtc-builtins64_";

    /// The loaded NVRTC: libraries kept alive for the whole process, and the
    /// entry points copied out of them.
    pub(crate) struct Api {
        _builtins: Option<Library>,
        _lib: Library,
        info: NvrtcInfo,
        get_error_string: unsafe extern "C" fn(c_int) -> *const c_char,
        create_program: unsafe extern "C" fn(
            *mut Program,
            *const c_char,
            *const c_char,
            c_int,
            *const *const c_char,
            *const *const c_char,
        ) -> c_int,
        compile_program: unsafe extern "C" fn(Program, c_int, *const *const c_char) -> c_int,
        destroy_program: unsafe extern "C" fn(*mut Program) -> c_int,
        get_program_log_size: unsafe extern "C" fn(Program, *mut usize) -> c_int,
        get_program_log: unsafe extern "C" fn(Program, *mut c_char) -> c_int,
        get_ptx_size: unsafe extern "C" fn(Program, *mut usize) -> c_int,
        get_ptx: unsafe extern "C" fn(Program, *mut c_char) -> c_int,
        get_cubin_size: unsafe extern "C" fn(Program, *mut usize) -> c_int,
        get_cubin: unsafe extern "C" fn(Program, *mut c_char) -> c_int,
    }

    impl Api {
        pub(crate) fn info(&self) -> NvrtcInfo {
            self.info.clone()
        }

        fn error_string(&self, code: c_int) -> String {
            // SAFETY: nvrtcGetErrorString accepts any value and returns a
            // static string (or "NVRTC_ERROR unknown").
            let p = unsafe { (self.get_error_string)(code) };
            if p.is_null() {
                format!("NVRTC error {code}")
            } else {
                // SAFETY: NUL-terminated static string from NVRTC.
                unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
            }
        }

        fn check(&self, what: &str, code: c_int) -> Result<(), GpuError> {
            if code == NVRTC_SUCCESS {
                Ok(())
            } else {
                Err(GpuError::Nvrtc(format!(
                    "{what}: {}",
                    self.error_string(code)
                )))
            }
        }
    }

    static API: Mutex<Option<&'static Api>> = Mutex::new(None);

    /// The loaded NVRTC, loading it on first success. `dir`: load from that
    /// directory only (when nothing is loaded yet).
    pub(crate) fn api(dir: Option<&Path>) -> Result<&'static Api, GpuError> {
        let mut slot = crate::lock(&API);
        if let Some(api) = *slot {
            return Ok(api);
        }
        let loaded = match dir {
            Some(d) => load_from_dir(d),
            None => load_default(),
        };
        match loaded {
            Ok(api) => {
                let api: &'static Api = Box::leak(Box::new(api));
                *slot = Some(api);
                Ok(api)
            }
            Err(why) => Err(GpuError::Unavailable(why)),
        }
    }

    fn load_default() -> Result<Api, String> {
        if let Some(dir) = std::env::var_os("LEIBNIZ_NVRTC_LIB_DIR").filter(|d| !d.is_empty()) {
            return load_from_dir(Path::new(&dir))
                .map_err(|e| format!("LEIBNIZ_NVRTC_LIB_DIR={}: {e}", Path::new(&dir).display()));
        }
        let mut tried = Vec::new();
        for name in LIB_NAMES {
            match open(OsString::from(name)) {
                Ok(lib) => match resolve(lib, None, format!("{name} (via the dynamic loader)")) {
                    Ok(api) => return Ok(api),
                    Err(e) => tried.push(e),
                },
                Err(e) => tried.push(e),
            }
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        for var in ["CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"] {
            if let Some(root) = std::env::var_os(var).filter(|d| !d.is_empty()) {
                let root = PathBuf::from(root);
                dirs.push(root.join("lib64"));
                dirs.push(root.join("lib"));
            }
        }
        for root in ["/usr/local/cuda", "/usr/local/cuda-13.0", "/opt/cuda"] {
            dirs.push(Path::new(root).join("lib64"));
            dirs.push(Path::new(root).join("targets/x86_64-linux/lib"));
        }
        for d in dirs.iter().filter(|d| d.is_dir()) {
            match load_from_dir(d) {
                Ok(api) => return Ok(api),
                Err(e) => tried.push(e),
            }
        }
        Err(format!(
            "NVRTC not loadable (tried {LIB_NAMES:?} through the dynamic loader and the CUDA \
             toolkit directories; set LEIBNIZ_NVRTC_LIB_DIR or LD_LIBRARY_PATH to the directory \
             of libnvrtc.so.13, e.g. the one gpu/ci/install-nvrtc.sh prints): {}",
            tried.join("; ")
        ))
    }

    fn open(name: OsString) -> Result<Library, String> {
        // SAFETY: loading NVRTC runs its initialisers, which have no
        // preconditions; we never unload it.
        unsafe { Library::new(&name) }
            .map_err(|e| format!("{}: {}", name.to_string_lossy(), error_chain(&e)))
    }

    /// An error and its sources (libloading puts dlerror()'s text in the
    /// source).
    fn error_chain(e: &dyn std::error::Error) -> String {
        let mut s = e.to_string();
        let mut cur = e.source();
        while let Some(c) = cur {
            s.push_str(": ");
            s.push_str(&c.to_string());
            cur = c.source();
        }
        s
    }

    /// The builtins library in `dir`: `libnvrtc-builtins.so.X.Y` preferred
    /// (the soname NVRTC asks for), not the `.alt` variant.
    fn find_builtins(dir: &Path) -> Option<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(BUILTINS_PREFIX) && !n.contains(".alt"))
            })
            .collect();
        // Shortest versioned name first: `.so.13.0` before `.so.13.0.88`;
        // the bare `.so` (a dev symlink) last.
        found.sort_by_key(|p| {
            let n = p.file_name().map(|n| n.len()).unwrap_or(0);
            let bare = p.extension().is_some_and(|e| e == "so");
            (bare, n)
        });
        found.into_iter().next()
    }

    fn load_from_dir(dir: &Path) -> Result<Api, String> {
        let lib_path = LIB_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.exists())
            .ok_or_else(|| format!("no {} in {}", LIB_NAMES[0], dir.display()))?;
        let builtins_path = find_builtins(dir);
        // The builtins first, by absolute path: NVRTC later dlopens them by
        // soname, which then matches the already loaded library even when
        // `dir` is not on the loader's search path.
        let builtins = match &builtins_path {
            Some(p) => Some(open(p.clone().into_os_string())?),
            None => None,
        };
        let lib = open(lib_path.clone().into_os_string())?;
        let mut api = resolve(lib, builtins, lib_path.display().to_string())?;
        api.info.builtins = builtins_path.map(|p| p.display().to_string());
        Ok(api)
    }

    /// One entry point of `lib`, typed as `T`.
    fn sym<T: Copy>(lib: &Library, label: &str, name: &str) -> Result<T, String> {
        // SAFETY: every `T` used below is the signature of the NVRTC C API
        // function of that name (nvrtc.h); the pointer stays valid because the
        // library is never unloaded (`Api` is leaked once loaded).
        unsafe { lib.get::<T>(name) }
            .map(|s| *s)
            .map_err(|e| format!("{label}: missing symbol {name}: {}", error_chain(&e)))
    }

    type VersionFn = unsafe extern "C" fn(*mut c_int, *mut c_int) -> c_int;
    type CountFn = unsafe extern "C" fn(*mut c_int) -> c_int;

    fn resolve(lib: Library, builtins: Option<Library>, label: String) -> Result<Api, String> {
        let version: VersionFn = sym(&lib, &label, "nvrtcVersion")?;
        let num_supported_archs: CountFn = sym(&lib, &label, "nvrtcGetNumSupportedArchs")?;
        let supported_archs: CountFn = sym(&lib, &label, "nvrtcGetSupportedArchs")?;
        let get_error_string = sym(&lib, &label, "nvrtcGetErrorString")?;
        let create_program = sym(&lib, &label, "nvrtcCreateProgram")?;
        let compile_program = sym(&lib, &label, "nvrtcCompileProgram")?;
        let destroy_program = sym(&lib, &label, "nvrtcDestroyProgram")?;
        let get_program_log_size = sym(&lib, &label, "nvrtcGetProgramLogSize")?;
        let get_program_log = sym(&lib, &label, "nvrtcGetProgramLog")?;
        let get_ptx_size = sym(&lib, &label, "nvrtcGetPTXSize")?;
        let get_ptx = sym(&lib, &label, "nvrtcGetPTX")?;
        let get_cubin_size = sym(&lib, &label, "nvrtcGetCUBINSize")?;
        let get_cubin = sym(&lib, &label, "nvrtcGetCUBIN")?;

        let (mut major, mut minor) = (0, 0);
        // SAFETY: two valid out-pointers.
        let r = unsafe { version(&mut major, &mut minor) };
        if r != NVRTC_SUCCESS {
            return Err(format!("{label}: nvrtcVersion failed ({r})"));
        }
        let mut n: c_int = 0;
        // SAFETY: valid out-pointer; then a buffer of the size NVRTC reported.
        let mut archs = Vec::new();
        if unsafe { num_supported_archs(&mut n) } == NVRTC_SUCCESS && n > 0 {
            archs = vec![0; n as usize];
            if unsafe { supported_archs(archs.as_mut_ptr()) } != NVRTC_SUCCESS {
                archs.clear();
            }
        }
        Ok(Api {
            _builtins: builtins,
            _lib: lib,
            info: NvrtcInfo {
                version: (major, minor),
                library: label,
                builtins: None,
                supported_archs: archs,
            },
            get_error_string,
            create_program,
            compile_program,
            destroy_program,
            get_program_log_size,
            get_program_log,
            get_ptx_size,
            get_ptx,
            get_cubin_size,
            get_cubin,
        })
    }

    /// Destroys the program on every exit path.
    struct ProgramGuard<'a> {
        api: &'a Api,
        prog: Program,
    }

    impl Drop for ProgramGuard<'_> {
        fn drop(&mut self) {
            // SAFETY: `prog` came from nvrtcCreateProgram and is destroyed once.
            unsafe { (self.api.destroy_program)(&mut self.prog) };
        }
    }

    impl ProgramGuard<'_> {
        /// Reads one of NVRTC's outputs (log, PTX, cubin) as bytes, or `None`
        /// when NVRTC has none (size 0 or an error).
        fn read(
            &self,
            size_fn: unsafe extern "C" fn(Program, *mut usize) -> c_int,
            get_fn: unsafe extern "C" fn(Program, *mut c_char) -> c_int,
        ) -> Option<Vec<u8>> {
            let mut size = 0usize;
            // SAFETY: valid program and out-pointer.
            if unsafe { size_fn(self.prog, &mut size) } != NVRTC_SUCCESS || size == 0 {
                return None;
            }
            let mut buf = vec![0u8; size];
            // SAFETY: the buffer has the size NVRTC asked for.
            if unsafe { get_fn(self.prog, buf.as_mut_ptr().cast()) } != NVRTC_SUCCESS {
                return None;
            }
            Some(buf)
        }

        fn text(
            &self,
            size_fn: unsafe extern "C" fn(Program, *mut usize) -> c_int,
            get_fn: unsafe extern "C" fn(Program, *mut c_char) -> c_int,
        ) -> Option<String> {
            self.read(size_fn, get_fn).map(|mut b| {
                while b.last() == Some(&0) {
                    b.pop();
                }
                String::from_utf8_lossy(&b).into_owned()
            })
        }
    }

    fn cstring(what: &str, s: &str) -> Result<CString, GpuError> {
        CString::new(s)
            .map_err(|_| GpuError::InvalidArgument(format!("{what} contains a NUL byte")))
    }

    pub(crate) fn compile(
        source: &str,
        options: &CompileOptions,
        default_arch: &str,
    ) -> Result<CompileReport, GpuError> {
        let api = api(None)?;
        let arch = options
            .arch
            .clone()
            .unwrap_or_else(|| default_arch.to_string());
        let mut opts = vec![format!("--gpu-architecture={arch}")];
        opts.extend(options.options.iter().cloned());

        let src = cstring("CUDA source", source)?;
        let name = cstring(
            "program name",
            options.name.as_deref().unwrap_or("leibniz_kernel.cu"),
        )?;
        let c_opts = opts
            .iter()
            .map(|o| cstring("NVRTC option", o))
            .collect::<Result<Vec<_>, _>>()?;
        let opt_ptrs: Vec<*const c_char> = c_opts.iter().map(|o| o.as_ptr()).collect();

        let mut prog: Program = std::ptr::null_mut();
        // SAFETY: valid out-pointer and NUL-terminated strings; no headers.
        let r = unsafe {
            (api.create_program)(
                &mut prog,
                src.as_ptr(),
                name.as_ptr(),
                0,
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        api.check("nvrtcCreateProgram", r)?;
        let guard = ProgramGuard { api, prog };

        // SAFETY: `opt_ptrs` holds `opt_ptrs.len()` NUL-terminated strings
        // that outlive the call.
        let r = unsafe { (api.compile_program)(prog, opt_ptrs.len() as c_int, opt_ptrs.as_ptr()) };
        let log = guard
            .text(api.get_program_log_size, api.get_program_log)
            .unwrap_or_default();
        if r == NVRTC_ERROR_COMPILATION {
            return Err(GpuError::Compile { log });
        }
        if r != NVRTC_SUCCESS {
            return Err(GpuError::Nvrtc(format!(
                "nvrtcCompileProgram: {} (options {opts:?})\n{log}",
                api.error_string(r)
            )));
        }
        let ptx = guard.text(api.get_ptx_size, api.get_ptx);
        let cubin = guard.read(api.get_cubin_size, api.get_cubin);
        if ptx.is_none() && cubin.is_none() {
            return Err(GpuError::Nvrtc(format!(
                "NVRTC produced neither PTX nor a cubin for {arch}"
            )));
        }
        if arch.starts_with("sm_") && cubin.is_none() {
            return Err(GpuError::Nvrtc(format!(
                "NVRTC produced no cubin for {arch}"
            )));
        }
        Ok(CompileReport {
            arch,
            options: opts,
            log,
            ptx,
            cubin,
            nvrtc_version: api.info.version,
        })
    }
}
