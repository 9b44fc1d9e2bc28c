//! Statements: `let`, expression statements, items and macros.

use proc_macro2::Span;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{Expr, Stmt as SynStmt};

use super::{Binding, Lower, Operand};
use crate::ir::*;

impl Lower<'_> {
    /// Lowers a function or block body in the current scope; returns the
    /// tail value.
    pub fn block_body(&mut self, b: &syn::Block) -> Operand {
        self.stmts(&b.stmts)
    }

    /// `{ .. }` as an expression: a new scope.
    pub fn block_expr(&mut self, b: &syn::Block) -> Operand {
        self.scopes.push(Default::default());
        let o = self.stmts(&b.stmts);
        // Bindings made in the block are dropped, but a place result may
        // name one of its storage variables: that stays valid (storage is
        // function-wide in the IR).
        self.scopes.pop();
        o
    }

    /// Lowers a statement list. After a statement that may exit (`return`,
    /// `break`, `continue`), the rest runs under a guard.
    pub fn stmts(&mut self, stmts: &[SynStmt]) -> Operand {
        let mut tail = Operand::Unit;
        for (k, s) in stmts.iter().enumerate() {
            let last = k + 1 == stmts.len();
            let exits = super::control::may_exit_stmt(s);
            tail = self.stmt(s, last);
            self.end_stmt();
            if matches!(tail, Operand::Never | Operand::Exit) {
                // The rest is unreachable.
                return tail;
            }
            if exits && !last {
                return self.guarded_rest(&stmts[k + 1..]);
            }
        }
        tail
    }

    fn stmt(&mut self, s: &SynStmt, last: bool) -> Operand {
        match s {
            SynStmt::Local(l) => {
                self.local(l);
                Operand::Unit
            }
            SynStmt::Expr(e, semi) => {
                if let Some(skip) = self.cfg_skip(expr_attrs(e)) {
                    if skip {
                        return Operand::Unit;
                    }
                }
                if !matches!(e, Expr::ForLoop(_)) {
                    if let Some(a) = expr_attrs(e).iter().find(|a| super::iter::is_checkpoint_attr(a)) {
                        self.diag.spanned(a, "`#[checkpoint]` applies to `for` loops (`for step in 0..n { .. }`); write the loop as a `for` over a range or an iterator, or remove the attribute");
                    }
                }
                let o = self.expr(e);
                if semi.is_none() && last {
                    o
                } else if matches!(o, Operand::Never | Operand::Exit) {
                    o
                } else {
                    Operand::Unit
                }
            }
            SynStmt::Item(item) => {
                self.item(item);
                Operand::Unit
            }
            SynStmt::Macro(m) => {
                if let Some(true) = self.cfg_skip(&m.attrs) {
                    return Operand::Unit;
                }
                self.macro_call(&m.mac, m.mac.span(), false)
            }
        }
    }

    /// `#[cfg(..)]` on a statement: the expansion is split per configuration
    /// before lowering (see `front::cfg`), so here each attribute is already
    /// decided: `Some(true)` means the statement is compiled out.
    pub fn cfg_skip(&mut self, attrs: &[syn::Attribute]) -> Option<bool> {
        let mut skip = None;
        for a in attrs {
            if a.path().is_ident("cfg") {
                match crate::front::cfg::decided(a) {
                    Some(on) => skip = Some(skip.unwrap_or(false) || !on),
                    None => {
                        self.diag.spanned(a, "internal: undecided `#[cfg]`");
                    }
                }
            }
        }
        skip
    }

    fn item(&mut self, item: &syn::Item) {
        match item {
            syn::Item::Const(_) | syn::Item::Use(_) | syn::Item::Static(_) => self.items.push(item.clone()),
            syn::Item::Fn(f) => {
                self.diag.spanned(&f.sig.ident, "nested functions are not supported in a #[differentiable] body; move it out of the function (and mark it #[differentiable] if it is called with active arguments), or write a closure");
            }
            other => {
                self.diag.spanned(other, "items other than `const`, `static` and `use` are not supported inside a #[differentiable] body; move it out");
            }
        }
    }

    fn local(&mut self, l: &syn::Local) {
        if let Some(true) = self.cfg_skip(&l.attrs) {
            return;
        }
        let (pat, ty) = match &l.pat {
            syn::Pat::Type(pt) => (&*pt.pat, Some(&*pt.ty)),
            p => (p, None),
        };
        let Some(init) = &l.init else {
            // `let x;` / `let mut x;`: assigned later.
            match pat {
                syn::Pat::Ident(pi) if pi.subpat.is_none() => {
                    self.bind(pi.ident.to_string(), Binding::Uninit { mutable: pi.mutability.is_some() });
                }
                other => {
                    self.diag.spanned(other, "a `let` without a value must bind one name (`let x;`)");
                }
            }
            return;
        };
        if let Some((_, d)) = &init.diverge {
            self.diag.spanned(d, "`let .. else` is not supported in a #[differentiable] body; write a `match` or `if let`");
            return;
        }
        let span = init.expr.span();
        let errors_before = self.diag.len();
        let o = self.expr_typed(&init.expr, ty);
        // `let v = x` of a slice parameter: the same reference (a slice is
        // not a value to copy; `x.to_vec()` is).
        let o = match (o, super::expr::simple_name(super::place::strip(&init.expr))) {
            (Operand::Place(p), Some(_)) if p.path.is_empty() && matches!(self.place_shape(&p), Shape::Array(_, ArrKind::Slice)) => match self.f.vars[p.var].kind {
                VarKind::Param { by: by @ (By::Ref | By::Mut), .. } => Operand::Ref(p, by),
                _ => Operand::Place(p),
            },
            (o, _) => o,
        };
        if matches!(o, Operand::Never) {
            if self.diag.len() > errors_before {
                // Its names are poisoned: their uses report nothing more.
                for (n, _) in super::pat::binding_names(pat) {
                    self.bind(n, Binding::Poison);
                }
            }
            return;
        }
        self.bind_pat(pat, o, ty, span);
    }

    /// Lowers an initializer, using the annotation `ty` as a type hint
    /// (`let v: Vec<f64> = Vec::new()`, `let s: f64 = g(x)`).
    pub fn expr_typed(&mut self, e: &Expr, ty: Option<&syn::Type>) -> Operand {
        let o = self.expr(e);
        if let (Some(t), Operand::Val(v)) = (ty, &o) {
            let v = *v;
            if self.f.values[v].rty.is_none() {
                self.f.values[v].rty = Some(t.clone());
            }
            if self.f.values[v].ty == Ty::Val {
                if let Some(cls) = self.class_of_type(t) {
                    self.f.values[v].ty = cls;
                }
            }
        }
        if let (Some(t), Operand::Place(p)) = (ty, &o) {
            if p.path.is_empty() && self.f.vars[p.var].rty.is_none() {
                self.f.vars[p.var].rty = Some(t.clone());
            }
        }
        o
    }

    /// The class a type annotation gives.
    pub fn class_of_type(&self, t: &syn::Type) -> Option<Ty> {
        let syn::Type::Path(p) = t else { return None };
        let id = p.path.get_ident()?;
        let s = id.to_string();
        if self.sig.is_float(id) {
            return Some(Ty::F);
        }
        if ["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"].contains(&s.as_str()) {
            return Some(Ty::Int);
        }
        if s == "bool" {
            return Some(Ty::Bool);
        }
        None
    }

    /// Guards the rest of a statement list by the exit flags set so far.
    fn guarded_rest(&mut self, rest: &[SynStmt]) -> Operand {
        let span = rest.first().map(|s| s.span()).unwrap_or_else(Span::call_site);
        let Some(go) = self.continue_cond(span) else {
            return self.stmts(rest);
        };
        self.if_arms(
            go,
            |l| {
                let t = l.stmts(rest);
                l.arm_of(t, span)
            },
            |_| super::control::ArmEnd::Exit,
            span,
        )
    }

    /// Effects: `assert!` and friends, printing. They run in every sweep
    /// that computes the primal values they read.
    pub fn macro_call(&mut self, mac: &syn::Macro, span: Span, as_expr: bool) -> Operand {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        match name.as_str() {
            "assert" | "assert_eq" | "assert_ne" | "debug_assert" | "debug_assert_eq" | "debug_assert_ne" | "println" | "print" | "eprintln" | "eprint" => {
                let (tokens, deps) = self.capture_tokens(mac.tokens.clone(), span);
                let path = &mac.path;
                let bang = mac.bang_token;
                let tokens = match &mac.delimiter {
                    syn::MacroDelimiter::Paren(_) => quote!(#path #bang ( #tokens )),
                    syn::MacroDelimiter::Brace(_) => quote!(#path #bang { #tokens }),
                    syn::MacroDelimiter::Bracket(_) => quote!(#path #bang [ #tokens ]),
                };
                self.push(Stmt::Effect { tokens: quote!(#tokens;), deps });
                Operand::Unit
            }
            "panic" | "unreachable" | "todo" | "unimplemented" => {
                let (tokens, deps) = self.capture_tokens(mac.tokens.clone(), span);
                let path = &mac.path;
                self.push(Stmt::Effect { tokens: quote!(#path!(#tokens);), deps });
                Operand::Never
            }
            "vec" if as_expr => self.vec_macro(mac, span),
            "matches" if as_expr => {
                let (tokens, deps) = self.capture_tokens(mac.tokens.clone(), span);
                let v = self.def(Op::Opaque { tokens: quote!(::core::matches!(#tokens)), deps, pure: true, span }, Ty::Bool, span);
                Operand::Val(v)
            }
            "vec" => {
                self.diag.at(span, "`vec![..]` as a statement does nothing; bind it with `let`");
                Operand::Never
            }
            _ => {
                self.diag.spanned(&mac.path, format!("the macro `{name}!` is not supported in a #[differentiable] body (leibniz cannot see what it expands to); supported: `assert!`, `assert_eq!`, `assert_ne!`, `debug_assert!`, `println!`, `eprintln!`, `panic!`, `vec!`, `matches!`"));
                Operand::Never
            }
        }
    }

    /// `vec![x; n]` and `vec![a, b, c]`.
    fn vec_macro(&mut self, mac: &syn::Macro, span: Span) -> Operand {
        let parsed = mac.parse_body_with(|input: syn::parse::ParseStream| -> syn::Result<(Vec<Expr>, Option<Expr>)> {
            if input.is_empty() {
                return Ok((Vec::new(), None));
            }
            let first: Expr = input.parse()?;
            if input.peek(syn::Token![;]) {
                input.parse::<syn::Token![;]>()?;
                let n: Expr = input.parse()?;
                return Ok((vec![first], Some(n)));
            }
            let mut items = vec![first];
            while input.peek(syn::Token![,]) {
                input.parse::<syn::Token![,]>()?;
                if input.is_empty() {
                    break;
                }
                items.push(input.parse()?);
            }
            Ok((items, None))
        });
        let (items, n) = match parsed {
            Ok(p) => p,
            Err(e) => {
                self.diag.at(e.span(), format!("cannot read this `vec![..]`: {e}"));
                return Operand::Never;
            }
        };
        match n {
            Some(n) => {
                let Some(x) = self.value(&items[0]) else { return Operand::Never };
                let Some(len) = self.value(&n) else { return Operand::Never };
                let ty = self.f.ty(x);
                let v = self.def(Op::Repeat { val: x, len: RepLen::Dyn(len), vec: true }, Ty::Val, span);
                self.f.values[v].rty = None;
                let _ = ty;
                Operand::Val(v)
            }
            None => {
                let mut vs = Vec::new();
                for e in &items {
                    let Some(v) = self.value(e) else { return Operand::Never };
                    vs.push(v);
                }
                Operand::Val(self.def(Op::VecLit(vs), Ty::Val, span))
            }
        }
    }

    /// Replaces the identifiers of the body's variables in `tokens` by
    /// dependency placeholders; returns the rewritten tokens and the deps.
    pub fn capture_tokens(&mut self, tokens: proc_macro2::TokenStream, span: Span) -> (proc_macro2::TokenStream, Vec<Dep>) {
        let mut deps: Vec<Dep> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let out = self.capture_rec(tokens, &mut deps, &mut names, span);
        (out, deps)
    }

    fn capture_rec(&mut self, tokens: proc_macro2::TokenStream, deps: &mut Vec<Dep>, names: &mut Vec<String>, span: Span) -> proc_macro2::TokenStream {
        use proc_macro2::TokenTree;
        let mut out = proc_macro2::TokenStream::new();
        let mut prev_dot = false;
        let mut prev_colons = false;
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        for (k, tt) in trees.iter().enumerate() {
            match tt {
                TokenTree::Group(g) => {
                    let inner = self.capture_rec(g.stream(), deps, names, span);
                    let mut ng = proc_macro2::Group::new(g.delimiter(), inner);
                    ng.set_span(g.span());
                    out.extend([TokenTree::Group(ng)]);
                    prev_dot = false;
                    prev_colons = false;
                }
                TokenTree::Ident(id) => {
                    let s = id.to_string();
                    let next_is_colons = matches!(trees.get(k + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == proc_macro2::Spacing::Joint);
                    let next_is_bang = matches!(trees.get(k + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    let next_is_paren = matches!(trees.get(k + 1), Some(TokenTree::Group(g)) if g.delimiter() == proc_macro2::Delimiter::Parenthesis);
                    let replaced = if prev_dot || prev_colons || next_is_colons || next_is_bang {
                        None
                    } else {
                        match self.lookup(&s).cloned() {
                            Some(Binding::Val { v, .. }) => Some(Dep::Val(v)),
                            Some(Binding::Var { var }) => Some(Dep::Place(Place::root(var))),
                            Some(Binding::Ref { place, .. }) => Some(Dep::Place(place)),
                            Some(Binding::Closure(_)) if next_is_paren => {
                                self.diag.at(id.span(), format!("the closure `{s}` cannot be called inside a macro in a #[differentiable] body; call it outside and pass the result"));
                                None
                            }
                            _ => None,
                        }
                    };
                    match replaced {
                        Some(d) => {
                            let k = match names.iter().position(|n| *n == s) {
                                Some(k) => k,
                                None => {
                                    names.push(s.clone());
                                    deps.push(d);
                                    deps.len() - 1
                                }
                            };
                            let mut ph = crate::naming::dep(k);
                            ph.set_span(ph.span().located_at(id.span()));
                            out.extend([TokenTree::Ident(ph)]);
                        }
                        None => out.extend([tt.clone()]),
                    }
                    prev_dot = false;
                    prev_colons = false;
                }
                TokenTree::Punct(p) => {
                    prev_dot = p.as_char() == '.';
                    prev_colons = p.as_char() == ':' && k > 0 && matches!(trees.get(k - 1), Some(TokenTree::Punct(q)) if q.as_char() == ':');
                    out.extend([tt.clone()]);
                }
                TokenTree::Literal(_) => {
                    prev_dot = false;
                    prev_colons = false;
                    out.extend([tt.clone()]);
                }
            }
        }
        out
    }
}

pub fn expr_attrs(e: &Expr) -> &[syn::Attribute] {
    match e {
        Expr::Array(x) => &x.attrs,
        Expr::Assign(x) => &x.attrs,
        Expr::Binary(x) => &x.attrs,
        Expr::Block(x) => &x.attrs,
        Expr::Call(x) => &x.attrs,
        Expr::Field(x) => &x.attrs,
        Expr::ForLoop(x) => &x.attrs,
        Expr::If(x) => &x.attrs,
        Expr::Index(x) => &x.attrs,
        Expr::Loop(x) => &x.attrs,
        Expr::Macro(x) => &x.attrs,
        Expr::Match(x) => &x.attrs,
        Expr::MethodCall(x) => &x.attrs,
        Expr::Paren(x) => &x.attrs,
        Expr::Path(x) => &x.attrs,
        Expr::Unary(x) => &x.attrs,
        Expr::While(x) => &x.attrs,
        _ => &[],
    }
}

#[allow(dead_code)]
fn _unused(_: &dyn ToTokens) {}
