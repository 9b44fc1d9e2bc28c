//! CUDA sources of `#[kernel]` functions and of the device functions they
//! call, assembled at run time.
//!
//! A proc macro sees one item at a time, so the CUDA text of a kernel cannot
//! contain the bodies of the `#[differentiable]` functions it calls. Each of
//! those emits a [`DeviceFn`] constant (its three device functions as CUDA
//! text); a kernel emits one too (its three `__global__` kernels), whose
//! `deps` are the constants of its callees. [`assemble`] walks that graph
//! and writes one CUDA module: the prelude, every device function once, in
//! dependency order, then the kernels.
//!
//! Placeholders in a `source`: `@SELF@` is the function's own device name,
//! `@k@` the device name of `deps[k]`, `@ck@` the `k`th string of
//! `consts()` (Rust constants the body uses, formatted by [`cuda_lit`] when
//! the module is assembled). Device names are the mangled module path and
//! name (`lz_mycrate__physics__smooth`: each character of the path that is not a letter or digit becomes `_`), so functions of the same name in
//! different modules do not clash.

use std::fmt::Write;

/// A function's CUDA text, as `#[differentiable]` and `#[kernel]` emit it.
/// Not written by hand.
#[derive(Clone, Copy, Debug)]
pub struct DeviceFn {
    /// The Rust name.
    pub name: &'static str,
    /// `module_path!()` where it is defined.
    pub module: &'static str,
    /// CUDA text with placeholders (see the module documentation).
    pub source: &'static str,
    /// The device functions it calls.
    pub deps: &'static [&'static DeviceFn],
    /// Formats the constants it uses (placeholders `@c0@`, `@c1@`, ..).
    pub consts: fn() -> Vec<String>,
    /// Why it has no device version, if it has none.
    pub unsupported: Option<&'static str>,
}

fn no_consts() -> Vec<String> {
    Vec::new()
}

impl DeviceFn {
    /// A `consts` function without constants.
    pub const NO_CONSTS: fn() -> Vec<String> = no_consts;

    /// The stand-in of a function without a device version at all.
    pub const MISSING: DeviceFn = DeviceFn::missing("?");

    /// The stand-in for `name` when nothing `#[differentiable]` of that name
    /// is found where a kernel calls it.
    pub const fn missing(name: &'static str) -> DeviceFn {
        DeviceFn {
            name,
            module: "",
            source: "",
            deps: &[],
            consts: no_consts,
            unsupported: Some(
                "a function called from a #[kernel] has no CUDA device version: put #[differentiable] on it, and call it by the path where it is defined (`g(x)` in its module, `m::g(x)` from elsewhere; a `use m::g;` import does not bring its device version)",
            ),
        }
    }

    /// A function that has no device version, and why.
    pub const fn unsupported(name: &'static str, why: &'static str) -> DeviceFn {
        DeviceFn {
            name,
            module: "",
            source: "",
            deps: &[],
            consts: no_consts,
            unsupported: Some(why),
        }
    }

    /// Fails const evaluation (a compile error, with the reason) when this
    /// function or one it calls has no device version. Kernels assert it for
    /// every function they call.
    pub const fn require(&self) {
        if let Some(why) = self.unsupported {
            panic!("{}", why);
        }
        let mut k = 0;
        while k < self.deps.len() {
            self.deps[k].require();
            k += 1;
        }
    }

    /// The name the function has in assembled CUDA.
    pub fn device_name(&self) -> String {
        let mut s = String::from("lz_");
        for c in self.module.chars() {
            s.push(if c.is_ascii_alphanumeric() { c } else { '_' });
        }
        s.push_str("__");
        s.push_str(self.name);
        s
    }

    fn key(&self) -> (&'static str, &'static str) {
        (self.module, self.name)
    }
}

/// Replaces the placeholders of `d.source`.
fn substitute(d: &DeviceFn, out: &mut String) -> Result<(), String> {
    let consts = (d.consts)();
    let src = d.source;
    let mut rest = src;
    while let Some(a) = rest.find('@') {
        out.push_str(&rest[..a]);
        let after = &rest[a + 1..];
        let Some(b) = after.find('@') else {
            return Err(format!("unterminated placeholder in the CUDA source of `{}`", d.name));
        };
        let tag = &after[..b];
        if tag == "SELF" {
            out.push_str(&d.device_name());
        } else if let Some(k) = tag.strip_prefix('c') {
            let k: usize = k.parse().map_err(|_| format!("bad placeholder `@{tag}@` in `{}`", d.name))?;
            let c = consts.get(k).ok_or_else(|| format!("missing constant {k} of `{}`", d.name))?;
            out.push_str(c);
        } else {
            let k: usize = tag.parse().map_err(|_| format!("bad placeholder `@{tag}@` in `{}`", d.name))?;
            let dep = d.deps.get(k).ok_or_else(|| format!("missing callee {k} of `{}`", d.name))?;
            out.push_str(&dep.device_name());
        }
        rest = &after[b + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// The CUDA module of a kernel: `prelude`, then every device function
/// reachable from `root` once (callees before callers), then `root`'s own
/// source. Errors: a function without a device version (normally caught at
/// compile time), a malformed placeholder.
pub fn assemble(prelude: &str, root: &DeviceFn) -> Result<String, String> {
    fn visit(d: &'static DeviceFn, seen: &mut Vec<(&'static str, &'static str)>, order: &mut Vec<&'static DeviceFn>, depth: usize) -> Result<(), String> {
        if let Some(why) = d.unsupported {
            return Err(why.to_string());
        }
        if depth > 64 {
            return Err(format!("device functions call each other more than 64 deep (recursion through `{}`?)", d.name));
        }
        if seen.contains(&d.key()) {
            return Ok(());
        }
        for dep in d.deps {
            visit(dep, seen, order, depth + 1)?;
        }
        if !seen.contains(&d.key()) {
            seen.push(d.key());
            order.push(d);
        }
        Ok(())
    }
    let mut seen = Vec::new();
    let mut order: Vec<&'static DeviceFn> = Vec::new();
    for dep in root.deps {
        visit(dep, &mut seen, &mut order, 1)?;
    }
    let mut out = String::with_capacity(prelude.len() + root.source.len() + 1024);
    out.push_str(prelude);
    for d in &order {
        let _ = writeln!(out, "// ---- device functions of `{}::{}` ----", d.module, d.name);
        substitute(d, &mut out)?;
    }
    let _ = writeln!(out, "// ---- kernels of `{}::{}` ----", root.module, root.name);
    substitute(root, &mut out)?;
    Ok(out)
}

/// A Rust value as a CUDA literal (what [`cuda_lit`] prints).
pub trait CudaLiteral {
    /// The CUDA C++ literal of the value, e.g. `0.5`, `0.5f`, `64ULL`.
    fn cuda_literal(&self) -> String;
}

fn f64_text(x: f64) -> String {
    if x.is_nan() {
        return "__longlong_as_double(0x7ff8000000000000LL)".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "__longlong_as_double(0x7ff0000000000000LL)".into()
        } else {
            "__longlong_as_double((long long)0xfff0000000000000ULL)".into()
        };
    }
    let s = format!("{x:?}");
    let s = if s.contains('.') || s.contains('e') { s } else { format!("{s}.0") };
    if x.is_sign_negative() { format!("({s})") } else { s }
}

impl CudaLiteral for f64 {
    fn cuda_literal(&self) -> String {
        f64_text(*self)
    }
}

impl CudaLiteral for f32 {
    fn cuda_literal(&self) -> String {
        let x = *self;
        if x.is_nan() {
            return "__int_as_float(0x7fc00000)".into();
        }
        if x.is_infinite() {
            return if x > 0.0 {
                "__int_as_float(0x7f800000)".into()
            } else {
                "__int_as_float((int)0xff800000u)".into()
            };
        }
        let s = format!("{x:?}");
        let s = if s.contains('.') || s.contains('e') { s } else { format!("{s}.0") };
        if x.is_sign_negative() { format!("({s}f)") } else { format!("{s}f") }
    }
}

macro_rules! int_lit {
    ($($t:ty => $suffix:literal),*) => {$(
        impl CudaLiteral for $t {
            fn cuda_literal(&self) -> String {
                if (*self as i128) < 0 { format!("({}{})", self, $suffix) } else { format!("{}{}", self, $suffix) }
            }
        }
    )*};
}
int_lit!(u8 => "U", u16 => "U", u32 => "U", u64 => "ULL", usize => "ULL", i8 => "", i16 => "", i32 => "", i64 => "LL", isize => "LL");

impl CudaLiteral for bool {
    fn cuda_literal(&self) -> String {
        if *self { "true".into() } else { "false".into() }
    }
}

impl<T: CudaLiteral + ?Sized> CudaLiteral for &T {
    fn cuda_literal(&self) -> String {
        (**self).cuda_literal()
    }
}

/// The CUDA literal of a constant (called by emitted code).
///
/// ```
/// assert_eq!(leibniz_gpu::cuda_lit(&0.5f64), "0.5");
/// assert_eq!(leibniz_gpu::cuda_lit(&2.0f32), "2.0f");
/// assert_eq!(leibniz_gpu::cuda_lit(&64usize), "64ULL");
/// assert_eq!(leibniz_gpu::cuda_lit(&-3i32), "(-3)");
/// ```
pub fn cuda_lit<T: CudaLiteral + ?Sized>(x: &T) -> String {
    x.cuda_literal()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAF: DeviceFn = DeviceFn {
        name: "leaf",
        module: "m::a",
        source: "template <typename LZF> __device__ LZF @SELF@(LZF x) { return x * @c0@; }\n",
        deps: &[],
        consts: || vec![cuda_lit(&2.5f64)],
        unsupported: None,
    };
    const MID: DeviceFn = DeviceFn {
        name: "mid",
        module: "m",
        source: "template <typename LZF> __device__ LZF @SELF@(LZF x) { return @0@<LZF>(x) + @1@<LZF>(x); }\n",
        deps: &[&LEAF, &LEAF],
        consts: DeviceFn::NO_CONSTS,
        unsupported: None,
    };
    const ROOT: DeviceFn = DeviceFn {
        name: "k",
        module: "m",
        source: "extern \"C\" __global__ void k_primal(double* y) { y[0] = @0@<double>(1.0) + @1@<double>(2.0); }\n",
        deps: &[&MID, &LEAF],
        consts: DeviceFn::NO_CONSTS,
        unsupported: None,
    };
    const _: () = ROOT.require();

    #[test]
    fn assembles_each_function_once_callees_first() {
        let s = assemble("// prelude\n", &ROOT).unwrap();
        assert_eq!(s.matches("__device__ LZF lz_m__a__leaf(").count(), 1, "{s}");
        let leaf = s.find("lz_m__a__leaf(LZF x)").unwrap();
        let mid = s.find("lz_m__mid(LZF x)").unwrap();
        let k = s.find("k_primal").unwrap();
        assert!(leaf < mid && mid < k, "{s}");
        assert!(s.contains("return x * 2.5;"));
        assert!(s.contains("lz_m__mid<double>(1.0) + lz_m__a__leaf<double>(2.0)"));
        assert!(s.starts_with("// prelude\n"));
    }

    #[test]
    fn missing_functions_are_errors() {
        const BAD: DeviceFn = DeviceFn { deps: &[&DeviceFn::MISSING], ..ROOT };
        let e = assemble("", &BAD).unwrap_err();
        assert!(e.contains("#[differentiable]"), "{e}");
    }

    #[test]
    fn literals() {
        assert_eq!(cuda_lit(&1.0f64), "1.0");
        assert_eq!(cuda_lit(&1e-12f64), "1e-12");
        assert_eq!(cuda_lit(&-0.25f64), "(-0.25)");
        assert_eq!(cuda_lit(&0.1f32), "0.1f");
        assert_eq!(cuda_lit(&7u32), "7U");
        assert_eq!(cuda_lit(&true), "true");
        assert!(cuda_lit(&f64::INFINITY).contains("0x7ff0"));
    }
}
