//! Renaming of value uses.

use std::collections::HashMap;

use super::*;

fn v(x: &mut V, m: &HashMap<V, V>) {
    if let Some(n) = m.get(x) {
        *x = *n;
    }
}

pub fn place(p: &mut Place, m: &HashMap<V, V>) {
    for pr in &mut p.path {
        match pr {
            Proj::Index(i) | Proj::At(i) => v(i, m),
            Proj::Slice(a, b) => {
                if let Some(a) = a {
                    v(a, m);
                }
                if let Some(b) = b {
                    v(b, m);
                }
            }
            Proj::Field(_) => {}
        }
    }
}

fn deps(d: &mut [Dep], m: &HashMap<V, V>) {
    for x in d {
        match x {
            Dep::Val(a) => v(a, m),
            Dep::Place(p) => place(p, m),
        }
    }
}

pub fn arg(a: &mut Arg, m: &HashMap<V, V>) {
    match a {
        Arg::Val(x) => v(x, m),
        Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => place(p, m),
        Arg::Zero => {}
        Arg::Tokens(_, d) => deps(d, m),
    }
}

pub fn op(o: &mut Op, m: &HashMap<V, V>) {
    match o {
        Op::Lit(_) | Op::Param(_) => {}
        Op::Un(_, a) | Op::Cast(a, _) | Op::Get(a, _) | Op::Field(a, _) | Op::ZeroLike(a) | Op::Copy(a) | Op::Extract { val: a, .. } => v(a, m),
        Op::Bin(_, a, b) | Op::Index(a, b) => {
            v(a, m);
            v(b, m);
        }
        Op::Prim(_, xs) | Op::Tuple(xs) | Op::Array(xs) | Op::VecLit(xs) => xs.iter_mut().for_each(|x| v(x, m)),
        Op::Read(p) | Op::Len(p) => place(p, m),
        Op::Opaque { deps: d, .. } => deps(d, m),
        Op::Call(c) => c.args.iter_mut().for_each(|a| arg(a, m)),
        Op::Struct { fields, .. } => fields.iter_mut().for_each(|f| v(&mut f.1, m)),
        Op::Repeat { val, len, .. } => {
            v(val, m);
            if let RepLen::Dyn(n) = len {
                v(n, m);
            }
        }
    }
}

pub fn stmt(s: &mut Stmt, m: &HashMap<V, V>) {
    match s {
        Stmt::Let { op: o, .. } => op(o, m),
        Stmt::Store { place: p, val, .. } => {
            place(p, m);
            v(val, m);
        }
        Stmt::Decl { init, .. } => match init {
            Init::Val(x) | Init::ArrFill(x, _) => v(x, m),
            Init::VecFill(a, b) => {
                v(a, m);
                v(b, m);
            }
            Init::VecEmpty(n) => {
                if let Some(n) = n {
                    v(n, m);
                }
            }
            Init::CopyOf(p) | Init::ZeroOfPlace(p) => place(p, m),
            Init::ZeroLike(_) | Init::Zero => {}
        },
        Stmt::Push { val, .. } => v(val, m),
        Stmt::PopVec { .. } => {}
        Stmt::Effect { deps: d, .. } => deps(d, m),
        Stmt::If { cond, then, els, phis } => {
            v(cond, m);
            block(then, m);
            block(els, m);
            for p in phis {
                v(&mut p.then, m);
                v(&mut p.els, m);
            }
        }
        Stmt::For { range, carried, body, .. } => {
            v(&mut range.lo, m);
            v(&mut range.hi, m);
            for c in carried.iter_mut() {
                v(&mut c.init, m);
                v(&mut c.next, m);
            }
            block(body, m);
        }
        Stmt::While { head, cond, carried, body, .. } => {
            block(head, m);
            v(cond, m);
            for c in carried.iter_mut() {
                v(&mut c.init, m);
                v(&mut c.next, m);
            }
            block(body, m);
        }
        Stmt::TapePush { vals } => vals.iter_mut().for_each(|x| v(x, m)),
        Stmt::TapePop { .. } => {}
        Stmt::TapePushPlace { place: p } | Stmt::TapePopPlace { like: p, .. } => place(p, m),
        Stmt::AccPat { val, .. } => v(val, m),
        Stmt::Ckpt(c) => {
            if let Some(s) = &mut c.steps {
                v(s, m);
            }
            if c.part == CkptPart::Fwd {
                c.vals.iter_mut().for_each(|x| v(x, m));
            }
            block(&mut c.advance, m);
            block(&mut c.record, m);
            block(&mut c.reverse, m);
        }
    }
}

pub fn block(b: &mut Block, m: &HashMap<V, V>) {
    for s in &mut b.stmts {
        stmt(s, m);
    }
}
