//! Common subexpression elimination, before differentiating.
//!
//! Input: a function. Output: the same function where a pure operation
//! that repeats one already computed (same operation on the same operands,
//! in a block where the first one is visible) reuses its value: `x[i] *
//! x[i]` reads `x[i]` once, `c * speed` computed twice is computed once,
//! and the index arithmetic `2 * i` of several reads is shared. Fewer
//! values means fewer tangents, fewer adjoints and fewer residuals: the tape
//! stores each value once.
//!
//! What is merged: literals, arithmetic, casts, primitives of the rule
//! table, tuple/field/element projections of values, and reads of storage
//! (element reads and `.len()`). A read is reused only while nothing can
//! have written its storage in between: any store, push or pop, a call
//! that receives the storage (by any kind of reference: interior
//! mutability), an opaque expression or effect that mentions it, and for
//! a loop, a write anywhere in the loop body (later iterations see it).
//! Values keep the type of the first occurrence; integer literals are
//! merged only when their Rust types are known and equal. The rewrite is
//! exact: the same IEEE operations on the same operands give the same
//! results.

use std::collections::{HashMap, HashSet};

use quote::ToTokens;

use crate::ir::*;

pub fn cse(f: &mut Func) {
    let mut body = std::mem::take(&mut f.body);
    let mut m: HashMap<V, V> = HashMap::new();
    let mut table = Table::default();
    block(f, &mut body, &mut table, &mut m);
    f.body = body;
    if let Some(r) = f.ret.as_mut() {
        if let Some(n) = m.get(r) {
            *r = *n;
        }
    }
}

/// Available expressions: key → value, and which keys read which storage.
#[derive(Clone, Default)]
struct Table {
    map: HashMap<String, V>,
    reads: HashMap<Var, Vec<String>>,
}

impl Table {
    fn kill(&mut self, x: Var) {
        if let Some(keys) = self.reads.remove(&x) {
            for k in keys {
                self.map.remove(&k);
            }
        }
    }

    fn kill_all(&mut self, xs: &HashSet<Var>) {
        for x in xs {
            self.kill(*x);
        }
    }
}

fn block(f: &Func, b: &mut Block, t: &mut Table, m: &mut HashMap<V, V>) {
    let mut out = Vec::with_capacity(b.stmts.len());
    for mut s in std::mem::take(&mut b.stmts) {
        crate::ir::subst::stmt(&mut s, m);
        match &mut s {
            Stmt::Let { v, op } => {
                if let Some((key, var)) = key(f, *v, op) {
                    if let Some(prev) = t.map.get(&key).copied() {
                        if f.values[prev].ty == f.values[*v].ty {
                            m.insert(*v, prev);
                            continue;
                        }
                    }
                    t.map.insert(key.clone(), *v);
                    if let Some(x) = var {
                        t.reads.entry(x).or_default().push(key);
                    }
                } else {
                    // Calls and opaque expressions may write what they see.
                    for x in op_touches(op) {
                        t.kill(x);
                    }
                }
            }
            Stmt::If { then, els, .. } => {
                let mut tt = t.clone();
                block(f, then, &mut tt, m);
                let mut te = t.clone();
                block(f, els, &mut te, m);
                let mut w = HashSet::new();
                written(then, &mut w);
                written(els, &mut w);
                t.kill_all(&w);
            }
            Stmt::For { body, .. } => {
                let mut w = HashSet::new();
                written(body, &mut w);
                t.kill_all(&w);
                let mut tb = t.clone();
                block(f, body, &mut tb, m);
            }
            Stmt::While { head, body, .. } => {
                let mut w = HashSet::new();
                written(head, &mut w);
                written(body, &mut w);
                t.kill_all(&w);
                // The head runs once more than the body, and the transforms
                // emit the body without the head (the backward sweep replays
                // bodies alone): nothing the head defines is reused in the body.
                let mut th = t.clone();
                block(f, head, &mut th, m);
                let mut tb = t.clone();
                block(f, body, &mut tb, m);
            }
            other => {
                let mut w = HashSet::new();
                stmt_writes(other, &mut w);
                t.kill_all(&w);
            }
        }
        // Phis, carried values and conditions may name values merged inside
        // the nested blocks.
        if !s.blocks().is_empty() {
            crate::ir::subst::stmt(&mut s, m);
        }
        out.push(s);
    }
    b.stmts = out;
}

/// The storage a statement may write (nested blocks included).
fn written(b: &Block, w: &mut HashSet<Var>) {
    b.walk(&mut |s| stmt_writes(s, w));
}

fn stmt_writes(s: &Stmt, w: &mut HashSet<Var>) {
    match s {
        Stmt::Store { place, .. } => {
            w.insert(place.var);
        }
        Stmt::Decl { var, .. } | Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::TapePopPlace { var, .. } | Stmt::AccPat { var, .. } => {
            w.insert(*var);
        }
        Stmt::Let { op, .. } => w.extend(op_touches(op)),
        Stmt::Effect { deps, .. } => w.extend(dep_vars(deps)),
        _ => {}
    }
}

/// Storage an operation that is not merged may write.
fn op_touches(op: &Op) -> Vec<Var> {
    match op {
        Op::Call(c) => c.args.iter().flat_map(|a| match a {
            Arg::Tokens(_, d) => dep_vars(d),
            a => a.place().map(|p| vec![p.var]).unwrap_or_default(),
        }).collect(),
        Op::Opaque { deps, .. } => dep_vars(deps),
        _ => Vec::new(),
    }
}

fn place_key(p: &Place) -> Option<String> {
    let mut k = format!("x{}", p.var);
    for pr in &p.path {
        match pr {
            Proj::Index(i) | Proj::At(i) => k.push_str(&format!("[v{i}]")),
            Proj::Field(m) => k.push_str(&format!(".{}", m.to_token_stream())),
            Proj::Slice(..) => return None,
        }
    }
    Some(k)
}

/// The key of a mergeable operation, and the storage it reads.
fn key(f: &Func, v: V, op: &Op) -> Option<(String, Option<Var>)> {
    let k = match op {
        Op::Lit(l) => match l {
            Lit::Float(x) => format!("f{}", x.to_bits()),
            Lit::Zero => "zero".into(),
            Lit::One => "one".into(),
            Lit::Bool(b) => format!("b{b}"),
            Lit::Unit => return None,
            Lit::Int(t) => {
                let ty = f.values[v].rty.as_ref()?.to_token_stream().to_string();
                format!("i{}:{ty}", t)
            }
            Lit::Tokens(_) => return None,
        },
        Op::Un(u, a) => format!("u{u:?}({a})"),
        Op::Bin(b, x, y) => {
            let (x, y) = if matches!(b, BinOp::Add | BinOp::Mul | BinOp::Eq | BinOp::Ne | BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) && x > y { (y, x) } else { (x, y) };
            format!("b{b:?}({x},{y})")
        }
        Op::Prim(name, args) => {
            crate::rules::rule(name)?;
            format!("p{name}({args:?})")
        }
        Op::Cast(a, t) => format!("c({a}):{}", t.to_token_stream()),
        Op::Get(a, i) => format!("g({a}).{i}"),
        Op::Field(a, m) => format!("fd({a}).{}", m.to_token_stream()),
        Op::Index(a, i) => format!("ix({a})[{i}]"),
        Op::Read(p) => return Some((format!("r:{}", place_key(p)?), Some(p.var))),
        Op::Len(p) => return Some((format!("len:{}", place_key(p)?), Some(p.var))),
        _ => return None,
    };
    // Values whose Rust type was written on them keep their own binding.
    if let (Some(t), Op::Lit(_)) = (&f.values[v].rty, op) {
        if !matches!(f.values[v].ty, Ty::Int) {
            let _ = t;
            return None;
        }
    }
    Some((k, None))
}
