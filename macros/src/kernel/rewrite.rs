//! The per-element function of a kernel: its body with outputs turned into
//! results, so that `#[differentiable]`'s passes apply to it unchanged.
//!
//! ```text
//! #[kernel]
//! fn k(i: usize, x: &[f64], a: f64, y: &mut [f64], s: &mut f64) {
//!     y[i] = a * x[i];
//!     *s += x[i];
//! }
//! ```
//!
//! becomes
//!
//! ```text
//! fn k_elem(i: usize, x: &[f64], a: f64) -> (f64, f64) {
//!     let mut y: f64 = 0.0;
//!     let mut s: f64 = 0.0;
//!     y = a * x[i];
//!     s += x[i];
//!     (y, s)
//! }
//! ```
//!
//! An output slice the body reads (`y[i] += ..`, `.. y[i] ..`) keeps its
//! old value: it becomes a parameter `mut y: f64` (the element's value
//! before the launch) instead of a zero-initialised local.

use proc_macro2::Span;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

use super::sig::{KSig, Kind};
use crate::diag::Diag;

/// What the rewrite found about each output.
pub struct Outputs {
    /// Per kernel parameter: whether the body reads the output (slices).
    pub read: Vec<bool>,
}

struct Rw<'a> {
    float: proc_macro2::TokenStream,
    idx: String,
    outs: Vec<String>,
    sums: Vec<String>,
    read: Vec<bool>,
    diag: &'a mut Diag,
}

impl Rw<'_> {
    fn out_of(&self, e: &syn::Expr) -> Option<usize> {
        match e {
            syn::Expr::Path(p) if p.qself.is_none() => {
                let id = p.path.get_ident()?.to_string();
                self.outs.iter().position(|o| *o == id)
            }
            syn::Expr::Paren(p) => self.out_of(&p.expr),
            _ => None,
        }
    }

    fn sum_of(&self, e: &syn::Expr) -> Option<usize> {
        match e {
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => match &*u.expr {
                syn::Expr::Path(p) if p.qself.is_none() => {
                    let id = p.path.get_ident()?.to_string();
                    self.sums.iter().position(|o| *o == id)
                }
                _ => None,
            },
            syn::Expr::Paren(p) => self.sum_of(&p.expr),
            _ => None,
        }
    }

    fn is_idx(&self, e: &syn::Expr) -> bool {
        match e {
            syn::Expr::Path(p) => p.path.get_ident().is_some_and(|i| *i == self.idx),
            syn::Expr::Paren(p) => self.is_idx(&p.expr),
            _ => false,
        }
    }

    /// `y[i]` → `y`; errors for other indices.
    fn out_elem(&mut self, e: &mut syn::Expr) -> Option<usize> {
        let syn::Expr::Index(ix) = e else { return None };
        let k = self.out_of(&ix.expr)?;
        if !self.is_idx(&ix.index) {
            let name = &self.outs[k];
            let idx = &self.idx;
            self.diag.spanned(&ix.index, format!("an output of a #[kernel] is read and written at the element's own index only: write `{name}[{idx}]` (other elements belong to other threads)"));
        }
        let id = format_ident!("{}", self.outs[k], span = ix.expr.span());
        *e = syn::parse_quote_spanned!(ix.span()=> #id);
        Some(k)
    }
}

impl VisitMut for Rw<'_> {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        match e {
            syn::Expr::Assign(a) => {
                let mut skip = false;
                if self.out_elem(&mut a.left).is_none() && self.sum_of(&a.left).is_some() {
                    self.diag.spanned(&a.left, "a sum output of a #[kernel] is only accumulated into: `*s += ..` (or `-=`); each element adds its part");
                    skip = true;
                }
                if !skip && !matches!(&*a.left, syn::Expr::Path(_)) {
                    self.visit_expr_mut(&mut a.left);
                }
                self.visit_expr_mut(&mut a.right);
                return;
            }
            syn::Expr::Binary(b) if is_compound(&b.op) => {
                if let Some(k) = self.out_elem(&mut b.left) {
                    self.read[k] = true;
                } else if self.sum_of(&b.left).is_some() {
                    if !matches!(b.op, syn::BinOp::AddAssign(_) | syn::BinOp::SubAssign(_)) {
                        self.diag.spanned(&b.left, "a sum output of a #[kernel] is only accumulated into: `*s += ..` (or `-=`)");
                    }
                    if let syn::Expr::Unary(u) = &*b.left {
                        *b.left = (*u.expr).clone();
                    }
                } else {
                    self.visit_expr_mut(&mut b.left);
                }
                self.visit_expr_mut(&mut b.right);
                return;
            }
            syn::Expr::Index(_) => {
                if let Some(k) = self.out_elem(e) {
                    self.read[k] = true;
                    return;
                }
            }
            syn::Expr::Call(c) if is_fn_call(c) => {
                // A callee's result is a float (device functions return
                // one): annotated, so that the IR types it `F` (the macro
                // cannot see the callee's signature).
                syn::visit_mut::visit_expr_call_mut(self, c);
                let f = &self.float;
                let call = c.clone();
                let sp = call.span();
                let tmp = syn::Ident::new("__lz_call", sp);
                *e = syn::parse_quote_spanned!(sp=> { let #tmp: #f = #call; #tmp });
                return;
            }
            syn::Expr::Return(r) => {
                self.diag.spanned(r, "`return` is not supported in a #[kernel] body: use `if`/`else` (every element runs the whole body)");
            }
            syn::Expr::Path(p) if p.qself.is_none() => {
                if let Some(id) = p.path.get_ident() {
                    let s = id.to_string();
                    if self.outs.contains(&s) {
                        self.diag.spanned(p, format!("the output `{s}` of a #[kernel] is only used as `{s}[{}]` (its element at the thread's index)", self.idx));
                    } else if self.sums.contains(&s) {
                        self.diag.spanned(p, format!("the sum output `{s}` of a #[kernel] is only used as `*{s} += ..`"));
                    }
                }
                return;
            }
            _ => {}
        }
        syn::visit_mut::visit_expr_mut(self, e);
    }
}

/// A call of a function by its path (`g(..)`, `m::g(..)`), not of a
/// constructor, an associated function of a type or a float method.
fn is_fn_call(c: &syn::ExprCall) -> bool {
    let syn::Expr::Path(p) = &*c.func else { return false };
    if p.qself.is_some() {
        return false;
    }
    let segs = &p.path.segments;
    let Some(last) = segs.last() else { return false };
    if !last.ident.to_string().starts_with(|c: char| c.is_lowercase() || c == '_') {
        return false;
    }
    segs.iter().take(segs.len() - 1).all(|s| {
        let id = s.ident.to_string();
        !id.starts_with(|c: char| c.is_uppercase()) && !["f32", "f64", "usize", "isize", "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "bool"].contains(&id.as_str())
    })
}

fn is_compound(op: &syn::BinOp) -> bool {
    use syn::BinOp::*;
    matches!(op, AddAssign(_) | SubAssign(_) | MulAssign(_) | DivAssign(_) | RemAssign(_) | BitXorAssign(_) | BitAndAssign(_) | BitOrAssign(_) | ShlAssign(_) | ShrAssign(_))
}

/// Whether the statements assign `name[idx] = ..` on every path.
fn writes(stmts: &[syn::Stmt], name: &str, idx: &str) -> bool {
    stmts.iter().any(|s| match s {
        syn::Stmt::Expr(e, _) => expr_writes(e, name, idx),
        _ => false,
    })
}

fn expr_writes(e: &syn::Expr, name: &str, idx: &str) -> bool {
    match e {
        syn::Expr::Assign(a) => match &*a.left {
            syn::Expr::Index(ix) => matches!(&*ix.expr, syn::Expr::Path(p) if p.path.is_ident(name)) && matches!(&*ix.index, syn::Expr::Path(p) if p.path.is_ident(idx)),
            _ => false,
        },
        syn::Expr::If(i) => match &i.else_branch {
            Some((_, els)) => writes(&i.then_branch.stmts, name, idx) && expr_writes(els, name, idx),
            None => false,
        },
        syn::Expr::Block(b) => writes(&b.block.stmts, name, idx),
        syn::Expr::Paren(p) => expr_writes(&p.expr, name, idx),
        _ => false,
    }
}

/// The per-element function's name: `k_elem`.
pub fn elem_name(k: &syn::Ident) -> syn::Ident {
    format_ident!("{}_elem", k, span = k.span())
}

/// Builds the per-element function (signature and body).
pub fn elem_fn(ks: &KSig, block: &syn::Block, diag: &mut Diag) -> (syn::Signature, syn::Block, Outputs) {
    let idx = ks.index().ident.to_string();
    let outs: Vec<String> = ks.params.iter().map(|p| if matches!(p.kind, Kind::Out) { p.ident.to_string() } else { String::new() }).collect();
    let sums: Vec<String> = ks.params.iter().map(|p| if matches!(p.kind, Kind::Sum) { p.ident.to_string() } else { String::new() }).collect();
    let mut body = block.clone();
    let mut rw = Rw { float: ks.float.tokens(), idx: idx.clone(), outs: outs.clone(), sums, read: vec![false; ks.params.len()], diag };
    // Empty names never match an identifier.
    rw.visit_block_mut(&mut body);
    let read = rw.read;

    let f = ks.float.tokens();
    let mut inputs: Vec<syn::FnArg> = Vec::new();
    let mut tail_inputs: Vec<syn::FnArg> = Vec::new();
    let mut pre: Vec<syn::Stmt> = Vec::new();
    let mut results: Vec<syn::Ident> = Vec::new();
    for (k, p) in ks.params.iter().enumerate() {
        let id = &p.ident;
        let ty = &p.ty;
        let attrs = &p.attrs;
        match &p.kind {
            Kind::Out => {
                results.push(id.clone());
                if read[k] {
                    tail_inputs.push(syn::parse_quote_spanned!(p.span=> mut #id: #f));
                } else {
                    if !writes(&block.stmts, &id.to_string(), &idx) {
                        rw_error(rw.diag, p.span, &id.to_string(), &idx);
                    }
                    pre.push(syn::parse_quote_spanned!(p.span=> let mut #id: #f = 0.0;));
                }
            }
            Kind::Sum => {
                results.push(id.clone());
                pre.push(syn::parse_quote_spanned!(p.span=> let mut #id: #f = 0.0;));
            }
            _ => inputs.push(syn::parse_quote_spanned!(p.span=> #(#attrs)* #id: #ty)),
        }
    }
    inputs.extend(tail_inputs);
    let ret: syn::Type = if results.len() == 1 { syn::parse_quote!(#f) } else {
        let fs = results.iter().map(|_| f.clone());
        syn::parse_quote!((#(#fs),*))
    };
    let name = elem_name(&ks.name);
    let sig: syn::Signature = syn::parse_quote_spanned!(ks.name.span()=> fn #name(#(#inputs),*) -> #ret);
    let mut stmts = pre;
    for s in body.stmts {
        stmts.push(match s {
            syn::Stmt::Expr(e, None) => syn::Stmt::Expr(e, Some(Default::default())),
            s => s,
        });
    }
    let tail: syn::Expr = if results.len() == 1 {
        let r = &results[0];
        syn::parse_quote!(#r)
    } else {
        syn::parse_quote!((#(#results),*))
    };
    stmts.push(syn::Stmt::Expr(tail, None));
    let _ = quote!();
    (sig, syn::Block { brace_token: block.brace_token, stmts }, Outputs { read })
}

fn rw_error(diag: &mut Diag, span: Span, name: &str, idx: &str) {
    diag.at(span, format!("the output `{name}` is not written on every path of the body: assign `{name}[{idx}] = ..` on every path (both sides of each `if`), or read it (`{name}[{idx}] += ..`) so that elements the body does not write keep their value"));
}
