//! Snapshots that never leave their block.
//!
//! Reverse mode hands a callee's backward sweep a copy of each array the
//! caller passed by `&` and may change later: the forward sweep pushes it
//! (`TapePushPlace`), the backward sweep pops it into a new `Vec`
//! (`TapePopPlace`). Where both sweeps sit in one block — an iteration of a
//! fused loop, or of a loop the split sweeps re-run — and nothing writes
//! the array between the push and the last use of the copy, the copy is
//! the array itself: this pass removes the push and the pop and reads the
//! array in place (no allocation per iteration). The pair removed is
//! properly nested (what is pushed between them is popped between them),
//! so the rest of the tape is unchanged.

use super::checkpoint::map_blocks;
use super::fuse::writes_var;
use crate::ir::*;

pub fn elide(f: &mut Func) {
    let mut body = std::mem::take(&mut f.body);
    block(&mut body);
    f.body = body;
}

fn block(b: &mut Block) {
    let mut i = 0;
    while i < b.stmts.len() {
        if let Stmt::TapePushPlace { place } = &b.stmts[i] {
            let place = place.clone();
            if let Some(j) = matching_pop(&b.stmts, i) {
                let Stmt::TapePopPlace { var: snap, .. } = b.stmts[j] else {
                    i += 1;
                    continue;
                };
                let rest = &b.stmts[i + 1..];
                if !writes_var(rest, place.var) && only_places(&b.stmts[j + 1..], snap) {
                    b.stmts.remove(j);
                    b.stmts.remove(i);
                    for s in &mut b.stmts[j - 1..] {
                        subst_stmt(s, snap, &place);
                    }
                    continue;
                }
            }
        }
        i += 1;
    }
    for s in &mut b.stmts {
        map_blocks(s, &mut block);
    }
}

/// The pop of the snapshot pushed at `i`, in the same list.
fn matching_pop(stmts: &[Stmt], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, s) in stmts.iter().enumerate().skip(i + 1) {
        match s {
            Stmt::TapePushPlace { .. } => depth += 1,
            Stmt::TapePopPlace { .. } => {
                if depth == 0 {
                    return Some(j);
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    None
}

/// Whether `x` is used only through places (reads, arguments), never as
/// a variable itself (resized, declared, zeroed like, written).
fn only_places(stmts: &[Stmt], x: Var) -> bool {
    if writes_var(stmts, x) {
        return false;
    }
    let mut ok = true;
    Block { stmts: stmts.to_vec() }.walk(&mut |s| match s {
        Stmt::Decl { var, init } => {
            ok &= *var != x && !matches!(init, Init::ZeroLike(y) if *y == x);
        }
        Stmt::Push { var, .. } | Stmt::PopVec { var, .. } | Stmt::AccPat { var, .. } | Stmt::TapePopPlace { var, .. } => ok &= *var != x,
        Stmt::Ckpt(c) => ok &= !c.state.contains(&x),
        _ => {}
    });
    ok
}

fn sp(p: &mut Place, x: Var, to: &Place) {
    if p.var == x {
        let mut path = to.path.clone();
        path.append(&mut p.path);
        *p = Place { var: to.var, path };
    }
}

fn sdeps(d: &mut [Dep], x: Var, to: &Place) {
    for e in d {
        if let Dep::Place(p) = e {
            sp(p, x, to);
        }
    }
}

fn subst_block(b: &mut Block, x: Var, to: &Place) {
    for s in &mut b.stmts {
        subst_stmt(s, x, to);
    }
}

fn subst_stmt(s: &mut Stmt, x: Var, to: &Place) {
    match s {
        Stmt::Let { op, .. } => match op {
            Op::Read(p) | Op::Len(p) => sp(p, x, to),
            Op::Opaque { deps, .. } => sdeps(deps, x, to),
            Op::Call(c) => {
                for a in &mut c.args {
                    match a {
                        Arg::Ref(p) | Arg::Mut(p) | Arg::Reborrow(p) | Arg::Recv(p) => sp(p, x, to),
                        Arg::Tokens(_, d) => sdeps(d, x, to),
                        _ => {}
                    }
                }
            }
            _ => {}
        },
        Stmt::Store { place, .. } => sp(place, x, to),
        Stmt::Decl { init: Init::CopyOf(p) | Init::ZeroOfPlace(p), .. } => sp(p, x, to),
        Stmt::Effect { deps, .. } => sdeps(deps, x, to),
        Stmt::TapePushPlace { place } => sp(place, x, to),
        Stmt::TapePopPlace { like, wit, .. } => {
            sp(like, x, to);
            if let Some(w) = wit {
                subst_block(&mut w.block, x, to);
            }
        }
        Stmt::TapePop { wit, .. } => {
            for w in wit.iter_mut().flatten() {
                subst_block(&mut w.block, x, to);
            }
        }
        _ => {}
    }
    map_blocks(s, &mut |b| subst_block(b, x, to));
}
