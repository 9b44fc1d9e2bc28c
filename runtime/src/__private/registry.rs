//! The registry of derivative rules.
//!
//! A call `g(x)` in a differentiable body uses `g`'s derivatives: first the
//! entry points `#[differentiable]` emits next to `g` (`g__lz_jvp`, .. at
//! the same path), else a rule registered for a function named `g`. A
//! proc macro cannot see other items, so the lookup is left to rustc: the
//! call site declares a fallback entry that asks for an implementation of
//! these traits for `Key<hash("g")>`, and lexical scoping picks the
//! sibling when it exists. Trait implementations are global, so a rule
//! declared anywhere in a crate (or in a dependency) is found from every
//! module, and nothing is looked up at run time.
//!
//! `M` is the rule's marker type (inferred: the one implementation that
//! matches), `A` the tuple of argument types, `D`/`S` the tuples of tangent
//! and shadow slots, `N` a type named after the function, for messages.

use crate::tape::{TapeBuf, TapeRead};

/// The key of the rules for functions named by this hash.
pub struct Key<const H: u64>;

/// Forward mode of a registered rule.
#[diagnostic::on_unimplemented(
    message = "`{N}` is called with arguments that carry derivatives, but it has no derivatives",
    label = "`{N}` is neither #[differentiable] nor has a registered rule (or the rule takes other argument types)",
    note = "put #[differentiable] on `{N}`, or declare a rule for it: `#[leibniz::jvp_rule({N})] fn ..(x: f64, dx: f64) -> (f64, f64)` (a rule for a `vjp_rule` only has no forward mode)"
)]
pub trait RuleJvp<M, A, D, N> {
    type Out;
    fn jvp(a: A, d: D) -> (Self::Out, Self::Out);
}

/// The forward sweep of reverse mode of a registered rule.
#[diagnostic::on_unimplemented(
    message = "`{N}` is called with arguments that carry derivatives, but it has no derivatives",
    label = "`{N}` is neither #[differentiable] nor has a registered rule (or the rule takes other argument types)",
    note = "put #[differentiable] on `{N}`, or declare a rule for it: `#[leibniz::jvp_rule({N})] fn ..(x: f64, dx: f64) -> (f64, f64)`"
)]
pub trait RuleFwd<M, A, N> {
    type Out;
    fn fwd(a: A, t: &mut TapeBuf) -> Self::Out;
}

/// The backward sweep of a registered rule.
#[diagnostic::on_unimplemented(
    message = "`{N}` is called with arguments that carry derivatives, but it has no derivatives",
    label = "`{N}` is neither #[differentiable] nor has a registered rule (or the rule takes other argument types)",
    note = "put #[differentiable] on `{N}`, or declare a rule for it: `#[leibniz::jvp_rule({N})] fn ..(x: f64, dx: f64) -> (f64, f64)`"
)]
pub trait RuleBwd<M, A, S, N> {
    type Out;
    fn bwd(a: A, s: S, dout: Self::Out, t: &mut TapeRead<'_>);
}

/// Forward mode of the forward sweep (second order).
#[diagnostic::on_unimplemented(
    message = "the rule of `{N}` has no second derivative",
    label = "second derivatives (Hessians, HVPs) through `{N}` need a rule that is itself differentiable",
    note = "declare the rule with `#[leibniz::jvp_rule({N}, order = 2)]`; its body must then be differentiable (std float methods, #[differentiable] functions, functions with rules of order 2)"
)]
pub trait RuleFwdJvp<M, A, D, N> {
    type Out;
    fn fwd_jvp(a: A, d: D, t: &mut TapeBuf) -> (Self::Out, Self::Out);
}

/// Forward mode of the backward sweep (second order).
#[diagnostic::on_unimplemented(
    message = "the rule of `{N}` has no second derivative",
    label = "second derivatives (Hessians, HVPs) through `{N}` need a rule that is itself differentiable",
    note = "declare the rule with `#[leibniz::jvp_rule({N}, order = 2)]`; its body must then be differentiable"
)]
pub trait RuleBwdJvp<M, A, D, S, SD, N> {
    type Out;
    fn bwd_jvp(a: A, d: D, s: S, sd: SD, dout: Self::Out, ddout: Self::Out, t: &mut TapeRead<'_>);
}
