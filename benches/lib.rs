//! The benchmarks of leibniz (package `leibniz-bench`, not published).
//!
//! This library is empty: a Cargo package needs a library or a binary, and
//! the benchmarks live in the package's other targets, which all include
//! the workloads with `#[path]` (so that each is compiled, and optimised,
//! in the same crate as the code that times it):
//!
//! * `workloads/mod.rs`: the workloads, each as a `#[differentiable]`
//!   primal, a hand-written gradient and a num-dual version;
//! * `examples/bench_report.rs`: one table, measured in one run
//!   (`cargo run --release -p leibniz-bench --example bench_report`);
//! * `leibniz.rs`: the same workloads under criterion
//!   (`cargo bench -p leibniz-bench --bench leibniz`);
//! * `tests/bench_workloads.rs`: the baselines checked against finite
//!   differences and num-dual (`cargo test -p leibniz-bench`).
//!
//! `RESULTS.md` holds the last full report.
