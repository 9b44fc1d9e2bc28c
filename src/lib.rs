#![doc = include_str!("crate_docs.md")]
#![warn(missing_docs)]

// The code the macros emit names `::leibniz::..`, also inside this crate.
extern crate self as leibniz;

// The README is the development document, not the crate docs; its examples
// still run as doctests, so that they keep compiling.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(feature = "special")]
pub mod special;

#[cfg(any(feature = "nalgebra", feature = "glam", feature = "ndarray", feature = "argmin"))]
pub mod interop;

#[doc = include_str!("differentiable.md")]
///
/// # Defined in `leibniz-ad-macros`
///
#[doc(inline)]
pub use leibniz_macros::differentiable;

/// Makes a struct or an enum a value that carries derivatives: implements
/// [`Differentiable`](trait@Differentiable) (and [`TapeValue`]) for it.
///
/// Its tangents and adjoints have the type's own type: a gradient with
/// respect to a `Particle` is a `Particle`. Float fields, arrays and `Vec`s
/// of floats and nested differentiable types carry derivatives; integer and
/// `bool` fields, and fields marked `#[no_grad]`, do not (in a tangent or an
/// adjoint they are copied from the value and never added). Every field's
/// type must implement `Differentiable` (floats, integers, `bool`, arrays,
/// `Vec`s, `Option`s, tuples and derived types do), and the type must be
/// `Clone`.
///
/// ```
/// use leibniz::prelude::*;
///
/// #[derive(Clone, Copy, Debug, PartialEq, leibniz::Differentiable)]
/// pub struct Body {
///     pub pos: [f64; 2],
///     pub mass: f64,
///     pub id: usize,    // an integer: constant
///     #[no_grad]
///     pub charge: f64,  // a float marked constant
/// }
///
/// #[differentiable]
/// fn potential(a: &Body, b: &Body) -> f64 {
///     let (dx, dy) = (a.pos[0] - b.pos[0], a.pos[1] - b.pos[1]);
///     -a.mass * b.mass / (dx * dx + dy * dy).sqrt() + a.charge * b.charge
/// }
///
/// let a = Body { pos: [0.0, 0.0], mass: 2.0, id: 0, charge: 1.0 };
/// let b = Body { pos: [3.0, 4.0], mass: 5.0, id: 1, charge: 1.0 };
/// let (_, (ga, gb)) = potential_grad(&a, &b);
/// assert!((ga.mass + 1.0).abs() < 1e-15);     // -m_b / r
/// assert!((gb.pos[0] - 0.24).abs() < 1e-15);  // m_a m_b dx / r³
/// assert_eq!((ga.id, ga.charge), (0, 0.0));   // constants: copied, never added
/// ```
///
/// Enums derive it too (their variants' fields carry derivatives like a
/// struct's); `#[no_grad]` on an enum variant's field is not honoured.
///
/// # Defined in `leibniz-ad-macros`
///
#[doc(inline)]
pub use leibniz_macros::Differentiable;

#[doc = include_str!("jvp_rule.md")]
///
/// # Defined in `leibniz-ad-macros`
///
#[doc(inline)]
pub use leibniz_macros::jvp_rule;

#[doc = include_str!("vjp_rule.md")]
///
/// # Defined in `leibniz-ad-macros`
///
#[doc(inline)]
pub use leibniz_macros::vjp_rule;

/// Passes a `#[differentiable]` function (or one with a derivative rule) to
/// the emitted functions of a function that takes a function parameter.
///
/// Inside a `#[differentiable]` body a function is passed by its plain name
/// (`euler(decay, ..)`) and the derivatives go through it. From ordinary
/// code, the emitted `_jvp`, `_vjp`, `_grad`, .. of the function that takes
/// it need the function with its derivatives: `leibniz::diff_fn!(decay)`
/// (a path works too: `diff_fn!(physics::decay)`).
///
/// ```
/// use leibniz::prelude::*;
///
/// #[differentiable]
/// fn decay(y: f64, k: f64) -> f64 { -k * y }
///
/// /// Explicit Euler steps of `y' = f(y, k)`.
/// #[differentiable]
/// fn euler<G: Fn(f64, f64) -> f64>(f: G, y0: f64, k: f64, steps: usize) -> f64 {
///     let mut y = y0;
///     for _ in 0..steps { y = y + 0.1 * f(y, k); }
///     y
/// }
///
/// // The primal takes the plain function; the derivatives take `diff_fn!`.
/// let y = euler(decay, 1.0, 0.5, 10);
/// let (y2, (dy0, dk)) = euler_grad(leibniz::diff_fn!(decay), 1.0, 0.5, 10);
/// assert_eq!(y, y2);
/// assert!((dy0 - 0.95_f64.powi(10)).abs() < 1e-12);
/// assert!(dk < 0.0);
/// ```
///
/// # Defined in `leibniz-ad-macros`
///
#[doc(inline)]
pub use leibniz_macros::diff_fn;

pub use leibniz_runtime::{Differentiable, Float, TapeBuf, TapeRead, TapeValue, check, checkpoint, drivers};

/// A recorded reverse-mode tape: `f_record` returns one, `f_pullback` runs
/// backward sweeps from it.
///
/// ```
/// use leibniz::prelude::*;
///
/// #[differentiable]
/// fn spring_energy(x: &[f64], k: f64) -> f64 {
///     let mut e = 0.0;
///     for i in 1..x.len() {
///         let d = x[i] - x[i - 1] - 1.0;
///         e += 0.5 * k * d * d;
///     }
///     e
/// }
///
/// /// A tape can be kept in a struct: its type names the borrowed inputs.
/// struct Kept<'a> {
///     tape: Tape<(&'a [f64], f64)>,
/// }
///
/// let x = vec![0.0, 1.5, 2.5];
/// let (e, tape) = spring_energy_record(&x, 2.0);
/// let kept = Kept { tape };
///
/// // Two cotangents, one forward sweep.
/// for dout in [1.0, 3.0] {
///     let mut gx = vec![0.0; 3];
///     let gk = spring_energy_pullback(&kept.tape, &mut gx, dout);
///     let (_, (gx1, gk1)) = spring_energy_grad(&x, 2.0);
///     assert_eq!(gx, gx1.iter().map(|g| dout * g).collect::<Vec<_>>());
///     assert_eq!(gk, dout * gk1);
/// }
/// assert_eq!(e, spring_energy(&x, 2.0));
/// assert!(kept.tape.bytes() < 1024);
/// ```
///
/// # What it holds
///
#[doc(inline)]
pub use leibniz_runtime::Tape;

#[doc(hidden)]
pub use leibniz_runtime::__private;

/// Data-parallel kernels written per element, differentiated, and run on a
/// GPU or their CPU twin.
///
/// ```
/// use leibniz::kernel;
///
/// /// y[i] = a·x[i]² + y[i]
/// #[kernel]
/// fn axpy2(i: usize, x: &[f64], a: f64, y: &mut [f64]) {
///     y[i] += a * x[i] * x[i];
/// }
///
/// let x = [1.0, 2.0, 3.0];
/// let mut y = [1.0, 1.0, 1.0];
/// axpy2(&x, 2.0, &mut y);                      // GPU if usable, else the CPU twin
/// assert_eq!(y, [3.0, 9.0, 19.0]);
///
/// // reverse mode: ybar in, x_bar += ∂/∂x, a's adjoint returned
/// let (mut x_bar, mut y_bar) = ([0.0; 3], [1.0; 3]);
/// let a_bar = axpy2_vjp(&x, &mut x_bar, 2.0, &mut y, &mut y_bar);
/// assert_eq!(x_bar, [4.0, 8.0, 12.0]);         // 2·a·x[i]
/// assert_eq!(a_bar, 14.0);                     // Σ x[i]²
/// assert!(AXPY2_CUDA.contains("axpy2_adjoint"));   // the CUDA text
/// ```
///
/// `#[kernel]` goes on a function written for **one element** of a
/// data-parallel computation: its first parameter is the element's index,
/// it reads input slices at any index and writes its outputs at its own
/// index. From that one body the macro emits a CPU version (rayon over all
/// indices), its JVP and VJP, and CUDA C++ for three kernels (primal,
/// tangent, adjoint) that NVRTC compiles at run time, one GPU thread per
/// element. The kernels' derivatives are the ones `#[differentiable]` gives
/// the same body.
///
/// # Parameters
///
/// After the index `i: usize`, with `F` = `f32` or `f64` (one of them per
/// kernel):
///
/// | parameter | what it is | tangent (`_jvp`) | adjoint (`_vjp`) |
/// |---|---|---|---|
/// | `x: &[F]` | an input, read at any index | `&[F]` after it | `&mut [F]` after it, added into (`+=`; atomically on the GPU unless the body reads only `x[i]`) |
/// | `a: F` | an input scalar | `F` after it | returned: a sum over the elements |
/// | `#[no_grad] x: &[F]`, `#[no_grad] a: F` | constants | — | — |
/// | `idx: &[u32]` (`i32`, `u64`, `i64`), integers, `bool` | constants (neighbour lists, sizes, flags) | — | — |
/// | `y: &mut [F]` | an output, written and read at `y[i]` only | `&mut [F]` after it: tangent of the old value in, of the new out | `&mut [F]` after it: cotangent in, adjoint of the old value out (0 when the body only writes `y[i]`) |
/// | `s: &mut F` | a sum over the elements, only `*s += ..` (or `-=`) | `&mut F` after it | `&mut F` after it: its cotangent, unchanged |
///
/// The kernel runs once per element of its first output slice (every output
/// slice has that length), or, with sums only, of its first input slice. An
/// output the body only writes must be written on every path; one it reads
/// (`y[i] += ..`) keeps its value where the body does not write it.
///
/// # What it emits
///
/// For `#[kernel] fn k(i: usize, ..)`, with the kernel's visibility:
///
/// | emitted | what it does |
/// |---|---|
/// | `k(..)`, `k_jvp(..)`, `k_vjp(..) -> A` | on host slices: on the GPU when one is usable (upload, launch, download), else on the CPU twin; `A` the adjoints of the active scalars (bare, a tuple, or `()`) |
/// | `k_cpu`, `k_jvp_cpu`, `k_vjp_cpu` | the CPU twins: rayon over the elements; sums and adjoints of shared inputs are accumulated per chunk and added in a fixed order, so results are reproducible for a fixed thread count |
/// | `k_gpu(&gpu, ..)`, `k_jvp_gpu`, `k_vjp_gpu` | launchers on device buffers ([`gpu::DeviceBuffer`]): compile the module with NVRTC on first use (cached per process), launch, and return `Result<(), GpuError>`, never panic |
/// | `K_CUDA: &str` | the CUDA text of the three kernels `k_primal`, `k_tangent`, `k_adjoint` |
/// | `k_cuda_source() -> &'static str` | the whole module NVRTC compiles: prelude, device functions the kernel calls, the kernels |
/// | `k_elem(i, ..)` and its derivatives `k_elem_jvp`, `k_elem_vjp`, .. | the body for one element, outputs returned |
///
/// # The body
///
/// The body may use what a `#[differentiable]` body uses that has a GPU
/// form: arithmetic, comparisons, the float methods, casts, `if`/`else`,
/// `for` over ranges and `while`, local scalars and fixed-size arrays,
/// constants, reads of its slices, and calls of `#[differentiable]` free
/// functions whose parameters are floats, integers and booleans by value and
/// whose result is one float (each such function also gets a device
/// version). What cannot run on a GPU is a compile error at the offending
/// tokens: allocation, I/O and other macros, method calls, structs,
/// sub-slices, `return`, outputs at another index than `i`, recursion,
/// calls of functions without a device version. A loop that stores values
/// for the backward sweep needs bounds known when Rust compiles (`0..4`,
/// `0..N` with a `const N`).
///
/// # Running on a GPU
///
/// The CUDA path needs the feature `cuda` of `leibniz-ad` (off by default):
/// the driver and NVRTC are opened at run time, so nothing CUDA is needed to
/// build, and a binary built with `cuda` runs on the CPU twins where there
/// is no NVIDIA driver (it says so once on stderr). Without the feature the
/// same API exists and always takes the CPU path. `LEIBNIZ_GPU=cpu` forces
/// the CPU twins. Keep data on the device between launches with the `_gpu`
/// launchers: the host-slice functions copy their slices on every call.
/// Indices are not bounds-checked on the GPU (the CPU twins panic where Rust
/// would), and float-to-integer casts follow CUDA, not Rust's saturation.
///
/// # Defined in `leibniz-ad-macros`
///
#[doc(inline)]
pub use leibniz_macros::kernel;

/// The GPU runtime of `#[kernel]` (package `leibniz-ad-gpu`): backend
/// selection with a CPU fallback, device buffers, NVRTC compilation and
/// launches. The CUDA path needs the feature `cuda` of `leibniz-ad`;
/// without it [`gpu::Backend::detect`] always picks the CPU twin and
/// nothing CUDA is built.
pub use leibniz_gpu as gpu;

/// `use leibniz::prelude::*;` brings the attributes, the derive, the traits
/// generic code needs, and the derivative checkers into scope.
///
/// It holds [`differentiable`](macro@crate::differentiable),
/// [`Differentiable`](derive@crate::Differentiable) (the derive and the
/// trait), [`jvp_rule`](macro@crate::jvp_rule),
/// [`vjp_rule`](macro@crate::vjp_rule), [`kernel`](macro@crate::kernel),
/// [`Float`], [`Tape`] and [`check`]; also, anonymously, the float methods for float
/// literals and variables whose type is not yet known, and with the
/// `nalgebra` and `glam` features the rules of those crates' constructors.
pub mod prelude {
    #[doc(no_inline)]
    pub use leibniz_macros::{Differentiable, differentiable, jvp_rule, vjp_rule};
    #[doc(no_inline)]
    pub use leibniz_macros::kernel;
    #[doc(no_inline)]
    pub use leibniz_runtime::{Differentiable, Float, Tape, check};
    /// The float methods (`x.sin()`, ..) on float literals and variables of
    /// not yet known type.
    #[doc(hidden)]
    pub use leibniz_runtime::__private::Float as _;
    #[cfg(feature = "nalgebra")]
    #[doc(hidden)]
    pub use crate::interop::nalgebra::traits::*;
    #[cfg(feature = "glam")]
    #[doc(hidden)]
    pub use crate::interop::glam::traits::*;
}
