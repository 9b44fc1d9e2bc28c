//! Places: variables, elements, fields, dereferences and sub-slices.
//!
//! A place names a location inside storage: `x[i]`, `ps[i].pos.x`,
//! `*err`, `data[lo..hi][k]`. References (`&x[a..b]`, `split_at_mut`,
//! element references of `iter_mut`) are places too, so views never copy.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::Expr;

use super::{Binding, Lower, Operand};
use crate::ir::*;

impl Lower<'_> {
    /// The place an expression denotes, if it is one.
    pub fn place_of(&mut self, e: &Expr) -> Option<Place> {
        match e {
            Expr::Paren(p) => self.place_of(&p.expr),
            Expr::Group(g) => self.place_of(&g.expr),
            Expr::Path(p) if p.qself.is_none() => {
                let id = p.path.get_ident()?;
                match self.lookup(&id.to_string()).cloned() {
                    Some(Binding::Var { var }) => Some(Place::root(var)),
                    Some(Binding::Ref { place, .. }) => Some(place),
                    Some(Binding::Val { v, mutable: true }) => {
                        // A mutable value that is now used as a place (a
                        // field or element write): move it to storage.
                        Some(self.to_storage(&id.to_string(), v, e.span()))
                    }
                    _ => None,
                }
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.place_of(&u.expr),
            Expr::Index(ix) => {
                let base = self.place_of(&ix.expr)?;
                Some(self.index_place(base, &ix.index))
            }
            Expr::Field(f) => {
                let base = self.place_of(&f.base)?;
                Some(base.with(Proj::Field(f.member.clone())))
            }
            Expr::MethodCall(m) if m.args.is_empty() && ["as_slice", "as_mut_slice", "as_ref", "as_mut", "borrow", "borrow_mut"].contains(&m.method.to_string().as_str()) => self.place_of(&m.receiver),
            _ => None,
        }
    }

    /// Moves a mutable SSA binding to storage so that it can be written in
    /// part (`p.x = ..` on a `let mut p = Vec3 { .. }`).
    pub fn to_storage(&mut self, name: &str, v: V, span: Span) -> Place {
        let ty = self.f.ty(v);
        let shape = if ty == Ty::Val { Shape::Val } else { Shape::Scalar(ty) };
        let var = self.f.new_var(shape, VarKind::Local, name.to_string());
        self.f.vars[var].rty = self.f.values[v].rty.clone();
        self.push(Stmt::Decl { var, init: Init::Val(v) });
        let _ = span;
        self.rebind(name, Binding::Var { var });
        Place::root(var)
    }

    /// `base[index]` where `index` may be a range.
    fn index_place(&mut self, base: Place, index: &Expr) -> Place {
        if let Expr::Range(r) = strip(index) {
            let lo = r.start.as_ref().and_then(|s| self.value(s));
            let hi = r.end.as_ref().and_then(|s| self.value(s));
            let hi = match (&r.limits, hi) {
                (syn::RangeLimits::Closed(_), Some(h)) => {
                    let one = self.lit_int(quote::quote!(1), index.span());
                    Some(self.def(Op::Bin(BinOp::Add, h, one), Ty::Int, index.span()))
                }
                (_, h) => h,
            };
            return self.subview(&base, lo, hi);
        }
        match self.value(index) {
            Some(i) => base.with(Proj::Index(i)),
            None => base,
        }
    }

    pub fn index_expr(&mut self, ix: &syn::ExprIndex) -> Operand {
        let span = ix.span();
        // A place: keep it a place (the consumer reads or borrows it).
        if let Some(base) = self.place_of(&ix.expr) {
            return Operand::Place(self.index_place(base, &ix.index));
        }
        let o = self.expr(&ix.expr);
        match o {
            Operand::Ref(p, _) | Operand::Place(p) => Operand::Place(self.index_place(p, &ix.index)),
            Operand::Val(v) => {
                if let Expr::Range(_) = strip(&ix.index) {
                    // Slicing a value: move it to storage first.
                    let var = self.f.new_var(Shape::Val, VarKind::Local, "tmp".into());
                    self.push(Stmt::Decl { var, init: Init::Val(v) });
                    return Operand::Place(self.index_place(Place::root(var), &ix.index));
                }
                let Some(i) = self.value(&ix.index) else { return Operand::Never };
                Operand::Val(self.def(Op::Index(v, i), Ty::Val, span))
            }
            o => o,
        }
    }

    pub fn field_expr(&mut self, f: &syn::ExprField) -> Operand {
        let span = f.span();
        if let Some(base) = self.place_of(&f.base) {
            return Operand::Place(base.with(Proj::Field(f.member.clone())));
        }
        let o = self.expr(&f.base);
        match o {
            Operand::Ref(p, _) | Operand::Place(p) => Operand::Place(p.with(Proj::Field(f.member.clone()))),
            Operand::Val(v) => Operand::Val(self.def(Op::Field(v, f.member.clone()), Ty::Val, span)),
            Operand::Tuple(parts) => {
                if let syn::Member::Unnamed(i) = &f.member {
                    if let Some(p) = parts.get(i.index as usize) {
                        return p.clone();
                    }
                }
                self.err(f, "no such tuple field")
            }
            o => o,
        }
    }

    /// The length of what a place holds (`x.len()`).
    pub fn len_of(&mut self, p: Place, span: Span) -> V {
        let v = self.def(Op::Len(p), Ty::Int, span);
        self.f.values[v].rty = Some(syn::parse_quote!(usize));
        v
    }

    /// Normalises an operand that should be a place (`&x`, `x`, a view).
    pub fn operand_place(&mut self, o: &Operand) -> Option<Place> {
        match o {
            Operand::Place(p) | Operand::Ref(p, _) => Some(p.clone()),
            _ => None,
        }
    }

    /// The shape of what a place holds.
    pub fn place_shape(&self, p: &Place) -> Shape {
        let mut s = self.f.vars[p.var].shape.clone();
        for pr in &p.path {
            match (pr, s.clone()) {
                (Proj::Index(_), Shape::Array(e, _)) => s = *e,
                (Proj::Slice(..), Shape::Array(e, _)) => s = Shape::Array(e, ArrKind::Slice),
                _ => return Shape::Val,
            }
        }
        s
    }

    /// A sub-view `p[lo..hi]` of a place (either bound optional). A view
    /// of a view (`&rest[1..]` with `rest = &x[a..b]`) is one range of the
    /// underlying storage, `x[a + 1..b]`, so that a view reassigned in a
    /// loop keeps one shape. Rust's check of the inner range against the
    /// outer view's length is kept (`assert!(a + hi <= b)`); the other
    /// bounds are checked by slicing the storage itself.
    pub fn subview(&mut self, p: &Place, lo: Option<V>, hi: Option<V>) -> Place {
        let Some(Proj::Slice(lo0, hi0)) = p.path.last().cloned() else {
            return p.with(Proj::Slice(lo, hi));
        };
        let span = Span::call_site();
        let mut base = p.clone();
        base.path.pop();
        let offset = |l: &mut Self, v: V| match lo0 {
            Some(a) => {
                let s = l.def(Op::Bin(BinOp::Add, a, v), Ty::Int, span);
                l.f.values[s].rty = Some(syn::parse_quote!(usize));
                s
            }
            None => v,
        };
        let new_lo = match lo {
            Some(b) => Some(offset(self, b)),
            None => lo0,
        };
        let new_hi = match hi {
            Some(h) => {
                let e = offset(self, h);
                if let Some(b) = hi0 {
                    let (d0, d1) = (crate::naming::dep(0), crate::naming::dep(1));
                    let tokens = quote::quote!(::core::assert!(#d0 <= #d1, "a sub-slice ends past the end of the slice it is taken from"););
                    self.push(Stmt::Effect { tokens, deps: vec![Dep::Val(e), Dep::Val(b)] });
                }
                Some(e)
            }
            None => hi0,
        };
        base.with(Proj::Slice(new_lo, new_hi))
    }

    /// A view kept in a `let mut` reference, with both bounds of its last
    /// range explicit (`&x[..]` is `&x[0..x.len()]`), so that the values a
    /// loop or a branch carries for it have one shape.
    pub fn normalize_view(&mut self, p: Place) -> Place {
        let (lo, hi) = match p.path.last() {
            Some(Proj::Slice(lo, hi)) => (*lo, *hi),
            // A whole slice (`let mut v = x` with `x: &[f64]`).
            _ if matches!(self.place_shape(&p), Shape::Array(_, ArrKind::Slice)) => {
                let span = Span::call_site();
                let z = self.lit_int(quote::quote!(0), span);
                self.f.values[z].rty = Some(syn::parse_quote!(usize));
                let n = self.len_of(p.clone(), span);
                return p.with(Proj::Slice(Some(z), Some(n)));
            }
            _ => return p,
        };
        if lo.is_some() && hi.is_some() {
            return p;
        }
        let span = Span::call_site();
        let mut base = p.clone();
        base.path.pop();
        let lo = match lo {
            Some(l) => l,
            None => {
                let z = self.lit_int(quote::quote!(0), span);
                self.f.values[z].rty = Some(syn::parse_quote!(usize));
                z
            }
        };
        let hi = match hi {
            Some(h) => h,
            None => self.len_of(base.clone(), span),
        };
        base.with(Proj::Slice(Some(lo), Some(hi)))
    }
}

pub fn strip(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        e => e,
    }
}
