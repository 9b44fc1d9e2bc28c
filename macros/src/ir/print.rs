//! A readable text form of the IR, for dumps (`#[differentiable(dump)]`)
//! and the passes' unit tests.

use std::fmt::Write;

use quote::ToTokens;

use super::*;

pub fn func(f: &Func) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "params: {}", f.params.iter().enumerate().map(|(k, p)| match p {
        ParamSlot::Val(v) => format!("#{k}=v{v}"),
        ParamSlot::Var(x) => format!("#{k}=x{x}"),
        ParamSlot::None => format!("#{k}=_"),
    }).collect::<Vec<_>>().join(" "));
    for (k, x) in f.vars.iter().enumerate() {
        let _ = writeln!(out, "var x{k} `{}`: {:?} {:?}{}", x.name, x.shape, x.kind, if x.written { " written" } else { "" });
    }
    block(f, &f.body, 0, &mut out);
    if let Some(r) = f.ret {
        let _ = writeln!(out, "return v{r}");
    }
    out
}

fn ind(n: usize) -> String {
    "  ".repeat(n)
}

fn place(p: &Place) -> String {
    let mut s = format!("x{}", p.var);
    for pr in &p.path {
        match pr {
            Proj::Index(i) | Proj::At(i) => {
                let _ = write!(s, "[v{i}]");
            }
            Proj::Field(m) => {
                let _ = write!(s, ".{}", m.to_token_stream());
            }
            Proj::Slice(a, b) => {
                let a = a.map(|v| format!("v{v}")).unwrap_or_default();
                let b = b.map(|v| format!("v{v}")).unwrap_or_default();
                let _ = write!(s, "[{a}..{b}]");
            }
        }
    }
    s
}

fn arg(a: &Arg) -> String {
    match a {
        Arg::Val(v) => format!("v{v}"),
        Arg::Ref(p) => format!("&{}", place(p)),
        Arg::Mut(p) => format!("&mut {}", place(p)),
        Arg::Reborrow(p) => format!("reborrow {}", place(p)),
        Arg::Recv(p) => format!("recv {}", place(p)),
        Arg::Zero => "ZERO".into(),
        Arg::Tokens(t, _) => format!("`{t}`"),
    }
}

fn vs(xs: &[V]) -> String {
    xs.iter().map(|v| format!("v{v}")).collect::<Vec<_>>().join(", ")
}

pub fn op(o: &Op) -> String {
    match o {
        Op::Lit(l) => match l {
            Lit::Float(x) => format!("{x:?}"),
            Lit::Zero => "0.0".into(),
            Lit::One => "1.0".into(),
            Lit::Int(t) | Lit::Tokens(t) => t.to_string(),
            Lit::Bool(b) => b.to_string(),
            Lit::Unit => "()".into(),
        },
        Op::Param(k) => format!("param #{k}"),
        Op::Un(u, a) => format!("{u:?} v{a}"),
        Op::Bin(b, x, y) => format!("v{x} {b:?} v{y}"),
        Op::Prim(n, xs) => format!("{n}({})", vs(xs)),
        Op::Cast(a, t) => format!("v{a} as {}", t.to_token_stream()),
        Op::Read(p) => format!("read {}", place(p)),
        Op::Len(p) => format!("len {}", place(p)),
        Op::Opaque { tokens, deps, .. } => format!("opaque `{tokens}` [{}]", deps.len()),
        Op::Extract { val, pat } => format!("extract v{val} `{pat}`"),
        Op::Call(c) => {
            let callee = match &c.callee {
                Callee::Path(p) => p.to_token_stream().to_string(),
                Callee::Method(m) => format!(".{m}"),
                Callee::Op(n) => format!("op::{n}"),
                Callee::Param(p) => format!("param {}", p.to_token_stream()),
            };
            format!("call {callee}:{:?}({}){}", c.entry, c.args.iter().map(arg).collect::<Vec<_>>().join(", "), if c.tape { " +tape" } else { "" })
        }
        Op::Tuple(xs) => format!("({})", vs(xs)),
        Op::Get(a, k) => format!("v{a}.{k}"),
        Op::Field(a, m) => format!("v{a}.{}", m.to_token_stream()),
        Op::Index(a, i) => format!("v{a}[v{i}]"),
        Op::Struct { path, fields } => format!("{} {{ {} }}", path.to_token_stream(), fields.iter().map(|(m, v)| format!("{}: v{v}", m.to_token_stream())).collect::<Vec<_>>().join(", ")),
        Op::Array(xs) => format!("[{}]", vs(xs)),
        Op::VecLit(xs) => format!("vec![{}]", vs(xs)),
        Op::Repeat { val, len, vec } => format!("{}[v{val}; {}]", if *vec { "vec!" } else { "" }, match len {
            RepLen::Dyn(n) => format!("v{n}"),
            RepLen::Const(t) => t.to_string(),
        }),
        Op::ZeroLike(a) => format!("zero_like v{a}"),
        Op::Copy(a) => format!("copy v{a}"),
    }
}

fn block(f: &Func, b: &Block, d: usize, out: &mut String) {
    for s in &b.stmts {
        stmt(f, s, d, out);
    }
}

fn stmt(f: &Func, s: &Stmt, d: usize, out: &mut String) {
    let i = ind(d);
    match s {
        Stmt::Let { v, op: o } => {
            let _ = writeln!(out, "{i}v{v}: {:?} = {}", f.values[*v].ty, op(o));
        }
        Stmt::Store { place: p, val, acc } => {
            let _ = writeln!(out, "{i}{} {} v{val}", place(p), if *acc { "+=" } else { "=" });
        }
        Stmt::Decl { var, init } => {
            let init = match init {
                Init::Val(v) => format!("v{v}"),
                Init::VecFill(a, n) => format!("vec![v{a}; v{n}]"),
                Init::ArrFill(a, n) => format!("[v{a}; {n}]"),
                Init::VecEmpty(n) => format!("Vec::with_capacity({})", n.map(|v| format!("v{v}")).unwrap_or_default()),
                Init::CopyOf(p) => format!("copy {}", place(p)),
                Init::ZeroLike(x) => format!("zero_like x{x}"),
                Init::Zero => "0.0".into(),
                Init::ZeroOfPlace(p) => format!("zero_of {}", place(p)),
            };
            let _ = writeln!(out, "{i}decl x{var} = {init}");
        }
        Stmt::Push { var, val } => {
            let _ = writeln!(out, "{i}x{var}.push(v{val})");
        }
        Stmt::PopVec { var, out: o } => {
            let _ = writeln!(out, "{i}{}x{var}.pop()", o.map(|v| format!("v{v} = ")).unwrap_or_default());
        }
        Stmt::Effect { tokens, .. } => {
            let _ = writeln!(out, "{i}effect `{tokens}`");
        }
        Stmt::If { cond, then, els, phis } => {
            let _ = writeln!(out, "{i}if v{cond} {{");
            block(f, then, d + 1, out);
            let _ = writeln!(out, "{i}}} else {{");
            block(f, els, d + 1, out);
            let _ = writeln!(out, "{i}}} phis [{}]", phis.iter().map(|p| format!("v{} = v{} | v{}", p.out, p.then, p.els)).collect::<Vec<_>>().join(", "));
        }
        Stmt::For { idx, range, carried, body } => {
            let _ = writeln!(out, "{i}for v{idx} in v{}..{}v{}{} carry [{}] {{", range.lo, if range.inclusive { "=" } else { "" }, range.hi, if range.rev { " rev" } else { "" }, carries(carried));
            block(f, body, d + 1, out);
            let _ = writeln!(out, "{i}}}");
        }
        Stmt::While { head, cond, carried, body, trips } => {
            let _ = writeln!(out, "{i}while carry [{}]{} {{", carries(carried), trips.map(|t| format!(" trips v{t}")).unwrap_or_default());
            block(f, head, d + 1, out);
            let _ = writeln!(out, "{i}}} cond v{cond} do {{");
            block(f, body, d + 1, out);
            let _ = writeln!(out, "{i}}}");
        }
        Stmt::TapePush { vals } => {
            let _ = writeln!(out, "{i}push [{}]", vs(vals));
        }
        Stmt::TapePop { vals, .. } => {
            let _ = writeln!(out, "{i}pop [{}]", vs(vals));
        }
        Stmt::TapePushPlace { place: p } => {
            let _ = writeln!(out, "{i}push place {}", place(p));
        }
        Stmt::TapePopPlace { var, like, .. } => {
            let _ = writeln!(out, "{i}pop x{var} like {}", place(like));
        }
        Stmt::AccPat { var, pat, val } => {
            let _ = writeln!(out, "{i}acc x{var} `{pat}` += v{val}");
        }
        Stmt::Ckpt(c) => {
            let st = c.state.iter().map(|x| format!("x{x}")).collect::<Vec<_>>().join(", ");
            let _ = writeln!(out, "{i}checkpoint #{} {:?} steps {} slots {} state [{st}] k v{} {{", c.id, c.part, c.steps.map(|v| format!("v{v}")).unwrap_or_default(), c.slots.as_ref().map(|t| t.to_string()).unwrap_or_else(|| "default".into()), c.k);
            let _ = writeln!(out, "{i}advance:");
            block(f, &c.advance, d + 1, out);
            let _ = writeln!(out, "{i}record:");
            block(f, &c.record, d + 1, out);
            let _ = writeln!(out, "{i}reverse:");
            block(f, &c.reverse, d + 1, out);
            let _ = writeln!(out, "{i}}}");
        }
    }
}

fn carries(c: &[Carry]) -> String {
    c.iter().map(|c| format!("v{}: v{} -> v{} => v{}", c.phi, c.init, c.next, c.out)).collect::<Vec<_>>().join(", ")
}
