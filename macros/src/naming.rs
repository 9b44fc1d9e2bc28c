//! Every name the macro generates comes from here.
//!
//! Public names are documented (`f_jvp`, `f_grad`, ..) and carry the span of
//! the user's function name. Hidden entry points used by composition
//! (`f__lz_jvp`, ..) are reserved: the macro rejects user functions whose
//! names contain `__lz_`. Every internal temporary uses `Span::mixed_site()`
//! so it can never collide with a name of the user's (a hygiene test proves
//! it).

use proc_macro2::{Ident, Span};
use quote::format_ident;

use crate::ir::{Entry, V, Var};

/// The marker of reserved names.
pub const RESERVED: &str = "__lz_";

/// `f_jvp`, `f_grad`, ...
pub fn public(f: &Ident, suffix: &str) -> Ident {
    format_ident!("{}_{}", f, suffix, span = f.span())
}

/// The hidden entry point `f__lz_<entry>` of a differentiable function.
pub fn entry(f: &Ident, e: Entry) -> Ident {
    entry_at(f, e, f.span())
}

pub fn entry_at(f: &Ident, e: Entry, span: Span) -> Ident {
    match e {
        Entry::Primal => Ident::new(&f.to_string(), span),
        _ => format_ident!("{}{}{}", f, RESERVED, e.suffix(), span = span),
    }
}

fn tmp(s: String) -> Ident {
    Ident::new(&s, Span::mixed_site())
}

/// An SSA value.
pub fn val(v: V) -> Ident {
    tmp(format!("__v{v}"))
}

/// A storage variable of the emitted code (locals, tangents, adjoints);
/// parameters keep their own names.
pub fn var(v: Var, hint: &str) -> Ident {
    let clean: String = hint.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(16).collect();
    tmp(format!("__x{v}_{clean}"))
}

/// The `k`th dependency of an opaque expression, substituted by the printer.
pub fn dep(k: usize) -> Ident {
    tmp(format!("__lzdep{k}"))
}

/// Whether an identifier is a dependency placeholder; returns its index.
pub fn dep_index(id: &Ident) -> Option<usize> {
    id.to_string().strip_prefix("__lzdep").and_then(|s| s.parse().ok())
}

/// The tape argument of `fwd` / `bwd` entry points.
pub fn tape() -> Ident {
    tmp("__tape".to_string())
}

pub fn named(s: &str) -> Ident {
    tmp(s.to_string())
}

pub fn indexed(s: &str, k: usize) -> Ident {
    tmp(format!("{s}{k}"))
}

/// The registry key of a function or method name (FNV-1a, as
/// `leibniz::__private::registry::key`).
pub fn key(name: &str) -> proc_macro2::Literal {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    proc_macro2::Literal::u64_suffixed(h)
}
