//! The registry of derivative rules.
//!
//! A call `g(x)` in a differentiable body uses `g`'s derivatives: first the
//! entry points `#[differentiable]` (or a rule for `g`) emits next to `g`
//! (`g__lz_jvp`, .. at the path the call uses), else an implementation of
//! these traits for `Key<hash("g")>`. A proc macro cannot see other items,
//! so the lookup is left to rustc: the call site declares a fallback entry
//! that asks for an implementation of these traits, in an outer block, and
//! glob-imports the callee's module in an inner block, so that rustc's
//! scoping picks the sibling entry when it exists. Trait implementations
//! are global: a rule, or a `#[differentiable]` function, declared anywhere
//! in a crate (or in a dependency) is found from every module, and nothing
//! is looked up at run time.
//!
//! Each trait takes the entry point's arguments as one tuple `A`, in the
//! entry's own order (primal values, tangent or shadow slots, `dout`, the
//! tape), `M` is the marker type of the one implementation (inferred), `N` a
//! type named after the function, for messages.

/// The key of the derivatives of functions named by this hash.
pub struct Key<const H: u64>;

/// The key of the derivatives of methods named by this hash.
pub struct MethodKey<const H: u64>;

/// Forward mode: `f__lz_jvp`.
#[diagnostic::on_unimplemented(
    message = "`{N}` is called with arguments that carry derivatives, but leibniz knows no derivatives for it",
    label = "`{N}` is neither #[differentiable] nor has a rule (for these argument types)",
    note = "put #[differentiable] on the function, or declare a derivative rule for it: `#[leibniz::jvp_rule(path::to::function)] fn function_jvp(x: f64, dx: f64) -> (f64, f64) {{ .. }}`"
)]
pub trait RuleJvp<M, A, N> {
    type Out;
    fn call(a: A) -> Self::Out;
}

/// The forward sweep of reverse mode: `f__lz_fwd`.
#[diagnostic::on_unimplemented(
    message = "`{N}` has no derivatives for reverse mode (the same call's forward mode is reported too)",
    label = "`{N}` is neither #[differentiable] nor has a rule (for these argument types)",
    note = "put #[differentiable] on the function, or declare a derivative rule for it: `#[leibniz::jvp_rule(path::to::function)] fn function_jvp(x: f64, dx: f64) -> (f64, f64) {{ .. }}`"
)]
pub trait RuleFwd<M, A, N> {
    type Out;
    fn call(a: A) -> Self::Out;
}

/// The backward sweep of reverse mode: `f__lz_bwd`.
#[diagnostic::on_unimplemented(
    message = "`{N}` has no derivatives for reverse mode (the same call's forward mode is reported too)",
    label = "`{N}` is neither #[differentiable] nor has a rule (for these argument types)",
    note = "put #[differentiable] on the function, or declare a derivative rule for it: `#[leibniz::jvp_rule(path::to::function)] fn function_jvp(x: f64, dx: f64) -> (f64, f64) {{ .. }}`"
)]
pub trait RuleBwd<M, A, N> {
    type Out;
    fn call(a: A) -> Self::Out;
}

/// The forward sweep with tangents (second order): `f__lz_fwd_jvp`.
#[diagnostic::on_unimplemented(
    message = "`{N}` has no second derivatives (or no derivatives at all: see the errors for the same call)",
    label = "second derivatives (`_hvp`, `_hessian`) through `{N}` need derivatives of its derivatives",
    note = "for a custom rule, declare it with `#[leibniz::jvp_rule(path::to::function, order = 2)]`: its body is then differentiated again, so it may only call functions that have derivatives themselves"
)]
pub trait RuleFwdJvp<M, A, N> {
    type Out;
    fn call(a: A) -> Self::Out;
}

/// The backward sweep with tangents (second order): `f__lz_bwd_jvp`.
#[diagnostic::on_unimplemented(
    message = "`{N}` has no second derivatives (or no derivatives at all: see the errors for the same call)",
    label = "second derivatives (`_hvp`, `_hessian`) through `{N}` need derivatives of its derivatives",
    note = "for a custom rule, declare it with `#[leibniz::jvp_rule(path::to::function, order = 2)]`: its body is then differentiated again, so it may only call functions that have derivatives themselves"
)]
pub trait RuleBwdJvp<M, A, N> {
    type Out;
    fn call(a: A) -> Self::Out;
}

/// FNV-1a of a name: the key of its rules.
pub const fn key(name: &str) -> u64 {
    let b = name.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < b.len() {
        h ^= b[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

/// Adds a VJP rule's adjoint of a by-value argument to its shadow.
#[inline(always)]
pub fn add_adjoint<T: crate::diff::Differentiable>(shadow: &mut T, a: &T) {
    shadow.add_assign_tangent(a);
}
