//! `#[differentiable(fast_math)]`: rewrites that are not IEEE-exact, on the
//! derivative programs only (the function itself is left as written).
//!
//! * **Reciprocals of loop-invariant divisors.** A float division `a / b`
//!   (or the zero-safe `ldiv0(a, b)` of a derivative) inside a loop, by a
//!   value `b` defined outside that loop, becomes `a * r` (`lmul0(r, a)`)
//!   with `r = 1 / b` computed once, right after `b`. A division costs
//!   several multiplications; the product differs from the quotient by at
//!   most one rounding.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use crate::ir::*;

/// Applies the rewrites to `f` in place.
pub fn apply(f: &mut Func) {
    let mut an = Analysis::default();
    an.block(f, &f.body, &mut Vec::new());
    if an.divisors.is_empty() {
        return;
    }
    let mut rw = Rewrite { divisors: an.divisors, recip: HashMap::new(), sites: an.sites };
    let mut body = std::mem::take(&mut f.body);
    rw.block(f, &mut body);
    f.body = body;
}

#[derive(Default)]
struct Analysis {
    /// The loops around each value's definition (innermost last).
    def_at: HashMap<V, Vec<usize>>,
    next_loop: usize,
    /// Divisors to take the reciprocal of.
    divisors: HashSet<V>,
    /// The divisions to rewrite (by the value they define).
    sites: HashSet<V>,
}

impl Analysis {
    fn invariant(&self, b: V, loops: &[usize]) -> bool {
        match self.def_at.get(&b) {
            Some(d) => d.len() < loops.len() && loops.starts_with(d),
            None => false,
        }
    }

    fn block(&mut self, f: &Func, b: &Block, loops: &mut Vec<usize>) {
        for s in &b.stmts {
            match s {
                Stmt::Let { v, op } => {
                    let div = match op {
                        Op::Bin(BinOp::Div, _, d) => Some(*d),
                        Op::Prim("ldiv0", xs) if xs.len() == 2 => Some(xs[1]),
                        _ => None,
                    };
                    if let Some(d) = div {
                        if f.values[*v].ty == Ty::F && f.values[d].ty == Ty::F && self.invariant(d, loops) {
                            self.divisors.insert(d);
                            self.sites.insert(*v);
                        }
                    }
                    self.def_at.insert(*v, loops.clone());
                }
                Stmt::For { idx, carried, body, .. } => {
                    let id = self.next_loop;
                    self.next_loop += 1;
                    loops.push(id);
                    self.def_at.insert(*idx, loops.clone());
                    for c in carried {
                        self.def_at.insert(c.phi, loops.clone());
                    }
                    self.block(f, body, loops);
                    loops.pop();
                    for c in carried {
                        self.def_at.insert(c.out, loops.clone());
                    }
                }
                Stmt::While { head, carried, body, trips, .. } => {
                    let id = self.next_loop;
                    self.next_loop += 1;
                    loops.push(id);
                    for c in carried {
                        self.def_at.insert(c.phi, loops.clone());
                    }
                    self.block(f, head, loops);
                    self.block(f, body, loops);
                    loops.pop();
                    for c in carried {
                        self.def_at.insert(c.out, loops.clone());
                    }
                    if let Some(t) = trips {
                        self.def_at.insert(*t, loops.clone());
                    }
                }
                Stmt::If { then, els, phis, .. } => {
                    self.block(f, then, loops);
                    self.block(f, els, loops);
                    for p in phis {
                        self.def_at.insert(p.out, loops.clone());
                    }
                }
                s => {
                    for v in s.defs() {
                        self.def_at.insert(v, loops.clone());
                    }
                }
            }
        }
    }
}

struct Rewrite {
    divisors: HashSet<V>,
    recip: HashMap<V, V>,
    sites: HashSet<V>,
}

impl Rewrite {
    /// `one = 1; r = one / b` for each divisor among `defs`.
    fn reciprocals(&mut self, f: &mut Func, defs: &[V], out: &mut Vec<Stmt>) {
        for &b in defs {
            // Every definition gets its own reciprocal: the sweeps of
            // reverse mode define some values again (recomputation), in
            // other blocks.
            if !self.divisors.contains(&b) {
                continue;
            }
            let one = f.new_value(Ty::F, Span::call_site());
            out.push(Stmt::Let { v: one, op: Op::Lit(Lit::One) });
            let r = f.new_value(Ty::F, Span::call_site());
            out.push(Stmt::Let { v: r, op: Op::Bin(BinOp::Div, one, b) });
            self.recip.insert(b, r);
        }
    }

    fn block(&mut self, f: &mut Func, b: &mut Block) {
        // Reciprocals defined in this block are not in scope after it.
        let saved = self.recip.clone();
        self.block_in(f, b);
        self.recip = saved;
    }

    fn block_in(&mut self, f: &mut Func, b: &mut Block) {
        let stmts = std::mem::take(&mut b.stmts);
        let mut out = Vec::with_capacity(stmts.len());
        for mut s in stmts {
            match &mut s {
                Stmt::Let { v, op } if self.sites.contains(v) => {
                    let rewritten = match op {
                        Op::Bin(BinOp::Div, a, d) => self.recip.get(d).map(|r| Op::Bin(BinOp::Mul, *a, *r)),
                        Op::Prim("ldiv0", xs) => self.recip.get(&xs[1]).map(|r| Op::Prim("lmul0", vec![*r, xs[0]])),
                        _ => None,
                    };
                    if let Some(o) = rewritten {
                        *op = o;
                    }
                }
                Stmt::For { idx, carried, body, .. } => {
                    let saved = self.recip.clone();
                    let mut pre = Vec::new();
                    let mut inner: Vec<V> = vec![*idx];
                    inner.extend(carried.iter().map(|c| c.phi));
                    self.reciprocals(f, &inner, &mut pre);
                    self.block_in(f, body);
                    self.recip = saved;
                    pre.append(&mut body.stmts);
                    body.stmts = pre;
                }
                Stmt::While { head, carried, body, .. } => {
                    let saved = self.recip.clone();
                    let mut pre = Vec::new();
                    let inner: Vec<V> = carried.iter().map(|c| c.phi).collect();
                    self.reciprocals(f, &inner, &mut pre);
                    self.block_in(f, head);
                    self.block(f, body);
                    self.recip = saved;
                    pre.append(&mut head.stmts);
                    head.stmts = pre;
                }
                Stmt::If { then, els, .. } => {
                    self.block(f, then);
                    self.block(f, els);
                }
                _ => {}
            }
            // Values defined after the loop (`out`s) or by this statement.
            let defs: Vec<V> = match &s {
                Stmt::For { carried, .. } | Stmt::While { carried, .. } => carried.iter().map(|c| c.out).collect(),
                s => s.defs(),
            };
            out.push(s);
            self.reciprocals(f, &defs, &mut out);
        }
        b.stmts = out;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(b: &Block, pred: &dyn Fn(&Op) -> bool) -> usize {
        let mut n = 0;
        b.walk(&mut |s| {
            if let Stmt::Let { op, .. } = s {
                if pred(op) {
                    n += 1;
                }
            }
        });
        n
    }

    /// `for i in 0..n { s += x / m }` with `m` from before the loop: one
    /// reciprocal before, a product inside; a division by the loop's own
    /// value stays.
    #[test]
    fn invariant_divisors_become_reciprocals() {
        let mut f = Func { values: Vec::new(), vars: Vec::new(), params: Vec::new(), body: Block::default(), ret: None, ckpt: Vec::new() };
        let sp = Span::call_site();
        let m = f.new_value(Ty::F, sp);
        let lo = f.new_value(Ty::Int, sp);
        let hi = f.new_value(Ty::Int, sp);
        let i = f.new_value(Ty::Int, sp);
        let x = f.new_value(Ty::F, sp);
        let q = f.new_value(Ty::F, sp);
        let q2 = f.new_value(Ty::F, sp);
        let body = Block {
            stmts: vec![
                Stmt::Let { v: x, op: Op::Lit(Lit::Float(2.0)) },
                Stmt::Let { v: q, op: Op::Bin(BinOp::Div, x, m) },
                Stmt::Let { v: q2, op: Op::Bin(BinOp::Div, m, x) },
            ],
        };
        f.body = Block {
            stmts: vec![
                Stmt::Let { v: m, op: Op::Lit(Lit::Float(3.0)) },
                Stmt::Let { v: lo, op: Op::Lit(Lit::Int(quote::quote!(0))) },
                Stmt::Let { v: hi, op: Op::Lit(Lit::Int(quote::quote!(4))) },
                Stmt::For { idx: i, range: Range { lo, hi, inclusive: false, rev: false }, carried: Vec::new(), body },
            ],
        };
        apply(&mut f);
        assert_eq!(count(&f.body, &|o| matches!(o, Op::Bin(BinOp::Mul, a, _) if *a == x)), 1);
        // `1 / m` before the loop, `m / x` (not invariant) inside.
        assert_eq!(count(&f.body, &|o| matches!(o, Op::Bin(BinOp::Div, ..))), 2);
        let Stmt::For { body, .. } = f.body.stmts.last().unwrap() else { panic!("loop moved") };
        assert_eq!(count(body, &|o| matches!(o, Op::Bin(BinOp::Div, ..))), 1);
        crate::ir::verify::check(&f).unwrap();
    }
}
