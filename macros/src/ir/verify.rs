//! Checks that every use of a value is dominated by its definition, so a
//! pass that breaks the IR fails loudly in the macro's own tests instead of
//! emitting code rustc rejects.

use super::*;

/// Returns the first value used where it is not defined.
pub fn check(f: &Func) -> Result<(), String> {
    let mut scope: Vec<V> = Vec::new();
    for p in &f.params {
        if let ParamSlot::Val(_) = p {}
    }
    block(&f.body, &mut scope)?;
    if let Some(r) = f.ret {
        if !scope.contains(&r) {
            return Err(format!("result v{r} is not defined at the end"));
        }
    }
    Ok(())
}

fn need(scope: &[V], v: V, what: &str) -> Result<(), String> {
    if scope.contains(&v) { Ok(()) } else { Err(format!("v{v} used by {what} before its definition")) }
}

fn block(b: &Block, scope: &mut Vec<V>) -> Result<(), String> {
    let mark = scope.len();
    for s in &b.stmts {
        stmt(s, scope)?;
    }
    // Values defined in the block stay visible only through phis and
    // carries; keep them (the printer scopes them) but callers truncate.
    let _ = mark;
    Ok(())
}

fn stmt(s: &Stmt, scope: &mut Vec<V>) -> Result<(), String> {
    match s {
        Stmt::If { cond, then, els, phis } => {
            need(scope, *cond, "if")?;
            let mark = scope.len();
            block(then, scope)?;
            for p in phis {
                need(scope, p.then, "phi")?;
            }
            scope.truncate(mark);
            block(els, scope)?;
            for p in phis {
                need(scope, p.els, "phi")?;
            }
            scope.truncate(mark);
            scope.extend(phis.iter().map(|p| p.out));
        }
        Stmt::For { idx, range, carried, body } => {
            need(scope, range.lo, "for")?;
            need(scope, range.hi, "for")?;
            for c in carried {
                need(scope, c.init, "carry")?;
            }
            let mark = scope.len();
            scope.push(*idx);
            scope.extend(carried.iter().map(|c| c.phi));
            block(body, scope)?;
            for c in carried {
                need(scope, c.next, "carry next")?;
            }
            scope.truncate(mark);
            scope.extend(carried.iter().map(|c| c.out));
        }
        Stmt::While { head, cond, carried, body, trips } => {
            for c in carried {
                need(scope, c.init, "carry")?;
            }
            let mark = scope.len();
            scope.extend(carried.iter().map(|c| c.phi));
            block(head, scope)?;
            need(scope, *cond, "while")?;
            block(body, scope)?;
            for c in carried {
                need(scope, c.next, "carry next")?;
            }
            scope.truncate(mark);
            scope.extend(carried.iter().map(|c| c.out));
            scope.extend(trips.iter().copied());
        }
        Stmt::Ckpt(c) => {
            for u in s.uses() {
                need(scope, u, "checkpoint")?;
            }
            for b in [&c.advance, &c.record, &c.reverse] {
                let mark = scope.len();
                scope.push(c.k);
                if c.part == CkptPart::Bwd {
                    scope.extend(c.vals.iter().copied());
                }
                block(b, scope)?;
                scope.truncate(mark);
            }
        }
        other => {
            for u in other.uses() {
                need(scope, u, "statement")?;
            }
            scope.extend(other.defs());
        }
    }
    Ok(())
}
