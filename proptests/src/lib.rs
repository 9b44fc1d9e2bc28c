//! Property tests of `#[differentiable]`: random programs from the accepted
//! Rust subset (DESIGN §3, v1), each checked against finite differences and
//! against itself (JVP against the gradient, the JVP/VJP dot-product test).
//!
//! This crate has no library code; everything happens in two files:
//!
//! * `build.rs` generates the programs into `$OUT_DIR/random_programs.rs`:
//!   `pN(x: &[f64], a: f64) -> f64`, `qN(x: &[f64], [a: f64,] out: &mut
//!   [f64])` and `rN(x: &[f64], a: f64) -> Vec<f64>`, with `let`/`let mut`,
//!   compound assignment, `if`/`else` statements and expressions on float
//!   comparisons, `for` over `a..b`, `a..=b`, `.rev()`, `.step_by(k)`,
//!   counted `while` loops, nested loops, reads of `x`, writes to local
//!   `vec![0.0; n]` / `[0.0; N]` and `out`, `as f64` casts of indices,
//!   `const` items, `std::f64::consts::PI`, tuple `let (s, c) = e.sin_cos()`
//!   and the float methods of std in both `e.sin()` and `f64::sin(e)` forms.
//!   It interprets each program to pick three inputs where the program is
//!   smooth and well-conditioned (away from branch points and kinks).
//! * `tests/random_programs.rs` includes them, with one test per program,
//!   and checks at each of the three inputs: `_grad` against
//!   [`leibniz::check::check_gradient`], `_jvp` against `<grad, v>`, `_vjp`
//!   against the gradient (and that it adds into the shadow), and for
//!   vector-valued programs the Jacobian from `_vjp` against
//!   [`leibniz::check::check_jacobian`] and the dot-product test
//!   [`leibniz::check::dot_product_test`]. Second order: `_hvp` along the
//!   test tangent against central differences of `_grad`
//!   ([`leibniz::check::check_hvp`]), `_hessian` symmetric and equal to
//!   `_hvp` column by column, and `_jacobian` of vector-valued programs
//!   against the `_vjp` rows. A failing test prints the program's source.
//!
//! # Seeds
//!
//! By default 40 programs from seed 1, so CI is deterministic. To run more:
//!
//! ```text
//! LEIBNIZ_PROPTEST_SEED=7 LEIBNIZ_PROPTEST_COUNT=500 cargo test -p leibniz-proptests
//! ```
//!
//! `LEIBNIZ_PROPTEST_ONLY=p3,q7` keeps only the programs named, and
//! `LEIBNIZ_PROPTEST_SKIP=p3` leaves them out (a program the macro rejects
//! stops the whole file from compiling; skip it to test the others). A
//! program's name and content depend only on the seed and its number, not
//! on the count. The generated file is
//! `target/debug/build/leibniz-proptests-*/out/random_programs.rs`, and
//! `programs_only.rs` next to it has the programs alone.
