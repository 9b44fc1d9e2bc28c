//! The options of `#[differentiable(..)]`.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

/// Arguments of the attribute.
#[derive(Default, Clone)]
pub struct Attr {
    /// `wrt(a, b)`: exactly these parameters are active (`self` allowed).
    pub wrt: Option<Vec<Ident>>,
    /// `float = T`: the name of the float type.
    pub float: Option<syn::Type>,
    /// `associated`: an associated function without `self` inside an `impl`.
    pub associated: bool,
    /// `dump`: write the IR of every stage and the emitted Rust to a file.
    pub dump: bool,
    /// `fast_math`: derivative programs may use rewrites that are not
    /// IEEE-exact (`opt::fastmath`).
    pub fast_math: bool,
    /// `checked`: the fused sweep keeps every bounds check (no `unsafe`
    /// in the emitted code; `opt::bounds` is skipped).
    pub checked: bool,
    /// Set by the macro for operator impls: only the entry points are
    /// emitted (operators are reached through the runtime's rule traits).
    pub entries_only: bool,
    /// Set by the macro when it sees a method without its `impl` block
    /// (the attribute on one method): undeclared one-letter type names may
    /// be the impl's float generic.
    pub lone_method: bool,
    /// Set when the attribute sits on a method inside an `impl` block that
    /// carries `#[differentiable]` itself.
    pub in_impl: Option<ImplCtx>,
}

/// What the enclosing `impl` tells the methods.
#[derive(Clone)]
pub struct ImplCtx {
    pub generics: syn::Generics,
}

const KNOWN: &str = "`wrt(a, b)` to choose the active parameters, `float = T` to name the float type, `associated` on a function without `self` inside an `impl`, `fast_math`, `checked`, or `dump`";

impl Parse for Attr {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut attr = Attr::default();
        while !input.is_empty() {
            let key: Ident = if input.peek(Token![self]) {
                let s: Token![self] = input.parse()?;
                Ident::new("self", s.span)
            } else {
                input.parse()?
            };
            match key.to_string().as_str() {
                "wrt" => {
                    if !input.peek(syn::token::Paren) {
                        return Err(syn::Error::new(key.span(), "write `wrt(a, b)` with the names of the parameters to differentiate"));
                    }
                    let content;
                    syn::parenthesized!(content in input);
                    let mut names = Vec::new();
                    let list = Punctuated::<WrtName, Token![,]>::parse_terminated(&content)?;
                    for n in list {
                        names.push(n.0);
                    }
                    if attr.wrt.is_some() {
                        return Err(syn::Error::new(key.span(), "`wrt(..)` is given twice; list every active parameter in one `wrt(..)`"));
                    }
                    attr.wrt = Some(names);
                }
                "float" => {
                    if !input.peek(Token![=]) {
                        return Err(syn::Error::new(key.span(), "write `float = T` to name the float type"));
                    }
                    input.parse::<Token![=]>()?;
                    attr.float = Some(input.parse()?);
                }
                "associated" => attr.associated = true,
                "dump" => attr.dump = true,
                "fast_math" => attr.fast_math = true,
                "checked" => attr.checked = true,
                // Checkpointing is per loop: an option here would be
                // accepted and ignored, so it is refused instead.
                "checkpoint" => {
                    return Err(syn::Error::new(key.span(), format!("`{key}` is not an option of #[differentiable]: put `#[checkpoint]` (or `#[checkpoint(snapshots = N)]`) on the `for` loop to checkpoint; here write {KNOWN}")));
                }
                _ => {
                    return Err(syn::Error::new(key.span(), format!("unknown option `{key}` of #[differentiable]; write {KNOWN}")));
                }
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(attr)
    }
}

struct WrtName(Ident);

impl Parse for WrtName {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(Token![self]) {
            let s: Token![self] = input.parse()?;
            return Ok(WrtName(Ident::new("self", s.span)));
        }
        Ok(WrtName(input.parse()?))
    }
}
