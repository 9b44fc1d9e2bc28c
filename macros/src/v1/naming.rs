//! Every name the macro generates comes from here. Public names are
//! documented (`f_jvp`, ..); internal temporaries use `Span::mixed_site()`
//! so they can never collide with the user's names.

use proc_macro2::{Ident, Span};
use quote::format_ident;

use crate::v1::ir::{A, V};

pub fn public(f: &Ident, suffix: &str) -> Ident {
    format_ident!("{}_{}", f, suffix, span = f.span())
}

/// Hidden entry points used when one differentiable function calls
/// another: `g__lz_jvp` (forward) and `g__lz_rec` (record for reverse).
pub fn hidden(f: &Ident, suffix: &str) -> Ident {
    format_ident!("{}__lz_{}", f, suffix, span = f.span())
}

fn tmp(s: String) -> Ident {
    Ident::new(&s, Span::mixed_site())
}

/// Primal value.
pub fn val(v: V) -> Ident {
    tmp(format!("__v{v}"))
}

/// Tangent of a value.
pub fn tan(v: V) -> Ident {
    tmp(format!("__d{v}"))
}

/// Adjoint of a value.
pub fn adj(v: V) -> Ident {
    tmp(format!("__b{v}"))
}

/// A local array of the user's (arrays are renamed like scalars, so a user
/// name can never shadow one).
pub fn local_arr(a: A) -> Ident {
    tmp(format!("__a{a}"))
}

/// Tangent array.
pub fn tan_arr(a: A) -> Ident {
    tmp(format!("__da{a}"))
}

/// Adjoint array.
pub fn adj_arr(a: A) -> Ident {
    tmp(format!("__ba{a}"))
}

/// Tape stack of a loop.
pub fn stack(k: usize) -> Ident {
    tmp(format!("__s{k}"))
}

/// Reverse cursor over a tape stack.
pub fn cursor(k: usize) -> Ident {
    tmp(format!("__it{k}"))
}

pub fn named(s: &str) -> Ident {
    tmp(s.to_string())
}

pub fn indexed(s: &str, k: usize) -> Ident {
    tmp(format!("{s}{k}"))
}
