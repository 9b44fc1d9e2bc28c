//! `#[cfg(..)]` inside a body changes what code exists, and a proc macro
//! cannot evaluate it. Every emitted function therefore comes in one
//! variant per combination of the body's distinct `cfg` predicates, each
//! under `#[cfg(all(..))]` of its combination; during lowering of a variant
//! every predicate is decided.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// At most this many distinct predicates (2⁴ variants).
pub const MAX: usize = 4;

thread_local! {
    static DECIDED: RefCell<Vec<(String, bool)>> = const { RefCell::new(Vec::new()) };
}

/// The distinct predicates of `#[cfg(..)]` attributes inside a body.
pub fn predicates(block: &syn::Block) -> Vec<TokenStream> {
    struct S(Vec<TokenStream>);
    impl<'ast> syn::visit::Visit<'ast> for S {
        fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
            if a.path().is_ident("cfg") {
                if let syn::Meta::List(l) = &a.meta {
                    let key = l.tokens.to_string();
                    if !self.0.iter().any(|t| t.to_string() == key) {
                        self.0.push(l.tokens.clone());
                    }
                }
            }
        }
    }
    let mut s = S(Vec::new());
    syn::visit::Visit::visit_block(&mut s, block);
    s.0
}

/// Every assignment of truth values to `preds`, with the attribute that
/// selects it.
pub fn variants(preds: &[TokenStream]) -> Vec<(Vec<(String, bool)>, TokenStream)> {
    let n = preds.len();
    if n == 0 {
        return vec![(Vec::new(), TokenStream::new())];
    }
    let mut out = Vec::new();
    for mask in 0..(1u32 << n) {
        let mut assign = Vec::new();
        let mut parts = Vec::new();
        for (k, p) in preds.iter().enumerate() {
            let on = mask & (1 << k) != 0;
            assign.push((p.to_string(), on));
            parts.push(if on { quote!(#p) } else { quote!(not(#p)) });
        }
        out.push((assign, quote!(#[cfg(all(#(#parts),*))])));
    }
    out
}

/// Runs `f` with the predicates decided as in `assign`.
pub fn with<R>(assign: &[(String, bool)], f: impl FnOnce() -> R) -> R {
    DECIDED.with(|d| *d.borrow_mut() = assign.to_vec());
    let r = f();
    DECIDED.with(|d| d.borrow_mut().clear());
    r
}

/// Whether the predicate of a `#[cfg(..)]` attribute holds in the variant
/// being lowered.
pub fn decided(a: &syn::Attribute) -> Option<bool> {
    let syn::Meta::List(l) = &a.meta else { return None };
    let key = l.tokens.to_string();
    DECIDED.with(|d| d.borrow().iter().find(|(k, _)| *k == key).map(|(_, on)| *on))
}

#[allow(dead_code)]
fn _t(_: &dyn ToTokens) {}
