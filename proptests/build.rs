//! Generates random `#[differentiable]` programs from the accepted Rust
//! subset (DESIGN §3, v1) and a test per program, into
//! `$OUT_DIR/random_programs.rs` (included by `tests/random_programs.rs`).
//!
//! The generator builds a small AST, prints it as Rust, and runs it through
//! an interpreter that mirrors the Rust semantics exactly (same f64
//! operations in the same order). The interpreter picks the test inputs: a
//! program, or an input, is rejected when a value is huge or non-finite,
//! when a float comparison or a kink (`abs`, `max`, `floor`, ...) is too close
//! to the input, or when finite differences of the interpreted program are not
//! smooth at the scale of the checker's steps. What is left is a program
//! whose derivatives finite differences can judge.
//!
//! Environment (each declared with `cargo:rerun-if-env-changed`):
//! * `LEIBNIZ_PROPTEST_SEED`  (default 1): the generator seed.
//! * `LEIBNIZ_PROPTEST_COUNT` (default 40): how many programs.
//! * `LEIBNIZ_PROPTEST_ONLY` / `LEIBNIZ_PROPTEST_SKIP`: comma-separated
//!   program names (`p3,q7`) to keep / to leave out, to isolate one that does
//!   not compile.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A value in [-r, r], rounded to 1/1024 so it prints short and exact.
    fn sym(&mut self, r: f64) -> f64 {
        ((2.0 * self.unit() - 1.0) * r * 1024.0).round() / 1024.0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------------------
// AST
// ---------------------------------------------------------------------------

/// Integer (usize) expressions: indices, loop bounds.
#[derive(Clone, Debug)]
enum IE {
    Lit(i64),
    Var(String),
    Len(String),
    Add(Box<IE>, Box<IE>),
    Sub(Box<IE>, Box<IE>),
    Mod(Box<IE>, Box<IE>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmp {
    Lt,
    Gt,
    Le,
    Ge,
    Eq,
}

impl Cmp {
    fn s(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Gt => ">",
            Cmp::Le => "<=",
            Cmp::Ge => ">=",
            Cmp::Eq => "==",
        }
    }
}

#[derive(Clone, Debug)]
enum Cond {
    F(Cmp, E, E),
    I(Cmp, IE, IE),
}

/// Float expressions.
#[derive(Clone, Debug)]
enum E {
    Lit(f64),
    Var(String),
    /// A named constant: a `const` item or `std::f64::consts::PI`.
    Const(String, f64),
    Idx(String, IE),
    Cast(IE),
    Neg(Box<E>),
    Bin(char, Box<E>, Box<E>),
    /// Unary float method; `true` = path form `f64::m(e)`.
    M1(&'static str, Box<E>, bool),
    Powi(Box<E>, i32, bool),
    M2(&'static str, Box<E>, Box<E>, bool),
    MulAdd(Box<E>, Box<E>, Box<E>, bool),
    Clamp(Box<E>, f64, f64),
    If(Box<Cond>, Box<E>, Box<E>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Set,
    Add,
    Sub,
    Mul,
    Div,
}

impl Op {
    fn s(self) -> &'static str {
        match self {
            Op::Set => "=",
            Op::Add => "+=",
            Op::Sub => "-=",
            Op::Mul => "*=",
            Op::Div => "/=",
        }
    }
    fn apply(self, old: f64, v: f64) -> f64 {
        match self {
            Op::Set => v,
            Op::Add => old + v,
            Op::Sub => old - v,
            Op::Mul => old * v,
            Op::Div => old / v,
        }
    }
}

#[derive(Clone, Debug)]
struct Range {
    start: IE,
    end: IE,
    inclusive: bool,
    rev: bool,
    step: Option<i64>,
}

#[derive(Clone, Debug)]
enum S {
    /// `let [mut] name[: f64] = e;`
    LetF {
        name: String,
        mutable: bool,
        annotate: bool,
        e: E,
    },
    /// `let (s, c) = e.sin_cos();`
    LetSinCos {
        s: String,
        c: String,
        e: E,
    },
    AssignF {
        name: String,
        op: Op,
        e: E,
    },
    /// `let [mut] name = e;` (integer)
    LetI {
        name: String,
        mutable: bool,
        e: IE,
    },
    /// `name += e;` (integer)
    IncI {
        name: String,
        by: i64,
    },
    /// `let mut name: Vec<f64> = vec![0.0; len];` or `[f64; N] = [0.0; N]`
    LetArr {
        name: String,
        len: IE,
        vec: bool,
    },
    AssignArr {
        name: String,
        idx: IE,
        op: Op,
        e: E,
    },
    If {
        c: Cond,
        t: Vec<S>,
        e: Option<Vec<S>>,
    },
    For {
        var: String,
        r: Range,
        body: Vec<S>,
    },
    /// `while k < limit { body }` (the body increments k)
    While {
        k: String,
        limit: i64,
        body: Vec<S>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// `fn pN(x: &[f64], a: f64) -> f64`
    P,
    /// `fn qN(x: &[f64], [a: f64,] out: &mut [f64])`
    Q { with_a: bool },
    /// `fn rN(x: &[f64], a: f64) -> Vec<f64>`
    R,
}

struct Program {
    name: String,
    kind: Kind,
    consts: Vec<(String, f64)>,
    body: Vec<S>,
    /// P: the returned expression. R: the returned vector's name is `ret_vec`.
    tail: Option<E>,
    ret_vec: Option<String>,
    /// Length of `x` in the tests, and of `out` / the returned vector.
    n: usize,
    m: usize,
}

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

fn lit(v: f64) -> String {
    let s = format!("{v:?}");
    assert!(s.contains('.') || s.contains('e'), "{s}");
    s
}

fn pi(e: &IE) -> String {
    match e {
        IE::Lit(v) => format!("{v}"),
        IE::Var(n) => n.clone(),
        IE::Len(a) => format!("{a}.len()"),
        IE::Add(a, b) => format!("({} + {})", pi(a), pi(b)),
        IE::Sub(a, b) => format!("({} - {})", pi(a), pi(b)),
        IE::Mod(a, b) => format!("({} % {})", pi(a), pi(b)),
    }
}

/// Index expressions print without the outer parentheses.
fn pidx(e: &IE) -> String {
    let s = pi(e);
    if s.starts_with('(') && s.ends_with(')') {
        s[1..s.len() - 1].to_string()
    } else {
        s
    }
}

/// True when some leaf varies: a variable, an array read or a cast.
fn has_var(e: &E) -> bool {
    match e {
        E::Lit(_) | E::Const(..) => false,
        E::Var(_) | E::Idx(..) | E::Cast(_) => true,
        E::Neg(a) | E::M1(_, a, _) | E::Powi(a, _, _) | E::Clamp(a, ..) => has_var(a),
        E::Bin(_, a, b) | E::M2(_, a, b, _) => has_var(a) || has_var(b),
        E::MulAdd(a, b, c, _) => has_var(a) || has_var(b) || has_var(c),
        E::If(_, a, b) => has_var(a) || has_var(b),
    }
}

/// True when every leaf is a bare literal: the type would be `{float}`,
/// ambiguous as a method receiver.
fn ambiguous(e: &E) -> bool {
    match e {
        E::Lit(_) => true,
        E::Var(_) | E::Const(..) | E::Idx(..) | E::Cast(_) => false,
        E::Neg(a) => ambiguous(a),
        E::Bin(_, a, b) => ambiguous(a) && ambiguous(b),
        E::M1(_, a, path) => !path && ambiguous(a),
        E::Powi(a, _, path) => !path && ambiguous(a),
        E::M2(_, a, _, path) => !path && ambiguous(a),
        E::MulAdd(a, _, _, path) => !path && ambiguous(a),
        E::Clamp(a, ..) => ambiguous(a),
        E::If(_, a, b) => ambiguous(a) && ambiguous(b),
    }
}

fn pe(e: &E) -> String {
    match e {
        E::Lit(v) => lit(*v),
        E::Var(n) => n.clone(),
        E::Const(n, _) => n.clone(),
        E::Idx(a, i) => format!("{a}[{}]", pidx(i)),
        E::Cast(i) => format!("({} as f64)", pi(i)),
        E::Neg(a) => format!("(-{})", pe(a)),
        E::Bin(op, a, b) => format!("({} {op} {})", pe(a), pe(b)),
        E::M1(m, a, path) => {
            if *path || ambiguous(a) {
                format!("f64::{m}({})", pe(a))
            } else {
                format!("{}.{m}()", pe(a))
            }
        }
        E::Powi(a, k, path) => {
            if *path || ambiguous(a) {
                format!("f64::powi({}, {k})", pe(a))
            } else {
                format!("{}.powi({k})", pe(a))
            }
        }
        E::M2(m, a, b, path) => {
            if *path || ambiguous(a) {
                format!("f64::{m}({}, {})", pe(a), pe(b))
            } else {
                format!("{}.{m}({})", pe(a), pe(b))
            }
        }
        E::MulAdd(a, b, c, path) => {
            if *path || ambiguous(a) {
                format!("f64::mul_add({}, {}, {})", pe(a), pe(b), pe(c))
            } else {
                format!("{}.mul_add({}, {})", pe(a), pe(b), pe(c))
            }
        }
        E::Clamp(a, lo, hi) => {
            if ambiguous(a) {
                format!("f64::clamp({}, {}, {})", pe(a), lit(*lo), lit(*hi))
            } else {
                format!("{}.clamp({}, {})", pe(a), lit(*lo), lit(*hi))
            }
        }
        E::If(c, a, b) => format!("(if {} {{ {} }} else {{ {} }})", pc(c), pe(a), pe(b)),
    }
}

fn pc(c: &Cond) -> String {
    match c {
        Cond::F(op, a, b) => format!("{} {} {}", pe(a), op.s(), pe(b)),
        Cond::I(op, a, b) => format!("{} {} {}", pi(a), op.s(), pi(b)),
    }
}

fn prange(r: &Range) -> String {
    let base = format!(
        "{}..{}{}",
        pi(&r.start),
        if r.inclusive { "=" } else { "" },
        pi(&r.end)
    );
    if !r.rev && r.step.is_none() {
        return base;
    }
    let mut s = format!("({base})");
    if r.rev {
        s.push_str(".rev()");
    }
    if let Some(k) = r.step {
        write!(s, ".step_by({k})").unwrap();
    }
    s
}

fn pstmts(out: &mut String, ss: &[S], ind: usize) {
    for s in ss {
        pstmt(out, s, ind);
    }
}

fn pstmt(out: &mut String, s: &S, ind: usize) {
    let pad = "    ".repeat(ind);
    match s {
        S::LetF {
            name,
            mutable,
            annotate,
            e,
        } => {
            let m = if *mutable { "mut " } else { "" };
            let t = if *annotate { ": f64" } else { "" };
            writeln!(out, "{pad}let {m}{name}{t} = {};", pe(e)).unwrap();
        }
        S::LetSinCos { s, c, e } => {
            writeln!(out, "{pad}let ({s}, {c}) = {}.sin_cos();", pe(e)).unwrap();
        }
        S::AssignF { name, op, e } => writeln!(out, "{pad}{name} {} {};", op.s(), pe(e)).unwrap(),
        S::LetI { name, mutable, e } => {
            let m = if *mutable { "mut " } else { "" };
            writeln!(out, "{pad}let {m}{name} = {};", pidx(e)).unwrap();
        }
        S::IncI { name, by } => writeln!(out, "{pad}{name} += {by};").unwrap(),
        S::LetArr { name, len, vec } => {
            if *vec {
                writeln!(
                    out,
                    "{pad}let mut {name}: Vec<f64> = vec![0.0; {}];",
                    pidx(len)
                )
                .unwrap();
            } else {
                let l = pidx(len);
                writeln!(out, "{pad}let mut {name}: [f64; {l}] = [0.0; {l}];").unwrap();
            }
        }
        S::AssignArr { name, idx, op, e } => {
            writeln!(out, "{pad}{name}[{}] {} {};", pidx(idx), op.s(), pe(e)).unwrap();
        }
        S::If { c, t, e } => {
            writeln!(out, "{pad}if {} {{", pc(c)).unwrap();
            pstmts(out, t, ind + 1);
            if let Some(e) = e {
                writeln!(out, "{pad}}} else {{").unwrap();
                pstmts(out, e, ind + 1);
            }
            writeln!(out, "{pad}}}").unwrap();
        }
        S::For { var, r, body } => {
            writeln!(out, "{pad}for {var} in {} {{", prange(r)).unwrap();
            pstmts(out, body, ind + 1);
            writeln!(out, "{pad}}}").unwrap();
        }
        S::While { k, limit, body } => {
            writeln!(out, "{pad}while {k} < {limit} {{").unwrap();
            pstmts(out, body, ind + 1);
            writeln!(out, "{pad}}}").unwrap();
        }
    }
}

impl Program {
    fn signature(&self) -> String {
        let n = &self.name;
        match self.kind {
            Kind::P => format!("pub fn {n}(x: &[f64], a: f64) -> f64"),
            Kind::Q { with_a: true } => format!("pub fn {n}(x: &[f64], a: f64, out: &mut [f64])"),
            Kind::Q { with_a: false } => format!("pub fn {n}(x: &[f64], out: &mut [f64])"),
            Kind::R => format!("pub fn {n}(x: &[f64], a: f64) -> Vec<f64>"),
        }
    }

    /// The source, `#[differentiable]` and all.
    /// The twin `{name}_ck` of a scalar program with its top-level `for`
    /// loops under `#[checkpoint]` (settings varied by loop), when it has
    /// one.
    fn source_ck(&self) -> Option<String> {
        // (Constants have a type the macro does not see: a result computed
        // from one is not a float to it, and `_grad` is not fused.)
        if !matches!(self.kind, Kind::P) || !self.consts.is_empty() || !self.body.iter().any(|s| matches!(s, S::For { .. })) {
            return None;
        }
        let mut s = String::new();
        writeln!(s, "#[differentiable]").unwrap();
        let sig = self.signature().replacen(&format!("fn {}(", self.name), &format!("fn {}_ck(", self.name), 1);
        writeln!(s, "{sig} {{").unwrap();
        for (k, st) in self.body.iter().enumerate() {
            if let S::For { .. } = st {
                let opts = ["snapshots = 1", "snapshots = 2, chunk = 1", "snapshots = 3, chunk = 2", ""][k % 4];
                if opts.is_empty() {
                    writeln!(s, "    #[checkpoint]").unwrap();
                } else {
                    writeln!(s, "    #[checkpoint({opts})]").unwrap();
                }
            }
            pstmts(&mut s, std::slice::from_ref(st), 1);
        }
        if let Some(t) = &self.tail {
            writeln!(s, "    {}", pe(t)).unwrap();
        }
        writeln!(s, "}}").unwrap();
        Some(s)
    }

    fn source(&self) -> String {
        let mut s = String::new();
        for (c, v) in &self.consts {
            writeln!(s, "const {c}: f64 = {};", lit(*v)).unwrap();
        }
        writeln!(s, "#[differentiable]").unwrap();
        writeln!(s, "{} {{", self.signature()).unwrap();
        pstmts(&mut s, &self.body, 1);
        if let Some(t) = &self.tail {
            writeln!(s, "    {}", pe(t)).unwrap();
        }
        if let Some(v) = &self.ret_vec {
            writeln!(s, "    {v}").unwrap();
        }
        writeln!(s, "}}").unwrap();
        s
    }
}

// ---------------------------------------------------------------------------
// Interpreter (mirrors the Rust semantics of the printed program)
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum Fail {
    Bounds,
    Underflow,
    Big,
    Loop,
}

struct Interp {
    f: HashMap<String, f64>,
    i: HashMap<String, i64>,
    arr: HashMap<String, Vec<f64>>,
    /// Smallest relative distance from a branch point or kink seen.
    margin: f64,
    /// Largest |value| seen.
    big: f64,
}

fn note_margin(it: &mut Interp, d: f64, scale: f64) {
    let m = d.abs() / (1.0 + scale.abs());
    if m < it.margin || m.is_nan() {
        it.margin = if m.is_nan() { 0.0 } else { m };
    }
}

impl Interp {
    fn ie(&mut self, e: &IE) -> Result<i64, Fail> {
        Ok(match e {
            IE::Lit(v) => *v,
            IE::Var(n) => self.i[n],
            IE::Len(a) => self.arr[a].len() as i64,
            IE::Add(a, b) => self.ie(a)? + self.ie(b)?,
            IE::Sub(a, b) => {
                let v = self.ie(a)? - self.ie(b)?;
                if v < 0 {
                    return Err(Fail::Underflow);
                }
                v
            }
            IE::Mod(a, b) => self.ie(a)? % self.ie(b)?,
        })
    }

    fn index(&mut self, a: &str, i: &IE) -> Result<usize, Fail> {
        let k = self.ie(i)?;
        if k < 0 || k as usize >= self.arr[a].len() {
            return Err(Fail::Bounds);
        }
        Ok(k as usize)
    }

    fn cond(&mut self, c: &Cond) -> Result<bool, Fail> {
        Ok(match c {
            Cond::F(op, a, b) => {
                let (x, y) = (self.e(a)?, self.e(b)?);
                note_margin(self, x - y, x.abs().max(y.abs()));
                match op {
                    Cmp::Lt => x < y,
                    Cmp::Gt => x > y,
                    Cmp::Le => x <= y,
                    Cmp::Ge => x >= y,
                    Cmp::Eq => x == y,
                }
            }
            Cond::I(op, a, b) => {
                let (x, y) = (self.ie(a)?, self.ie(b)?);
                match op {
                    Cmp::Lt => x < y,
                    Cmp::Gt => x > y,
                    Cmp::Le => x <= y,
                    Cmp::Ge => x >= y,
                    Cmp::Eq => x == y,
                }
            }
        })
    }

    fn e(&mut self, e: &E) -> Result<f64, Fail> {
        let v = match e {
            E::Lit(v) | E::Const(_, v) => *v,
            E::Var(n) => self.f[n],
            E::Idx(a, i) => {
                let k = self.index(a, i)?;
                self.arr[a][k]
            }
            E::Cast(i) => self.ie(i)? as f64,
            E::Neg(a) => -self.e(a)?,
            E::Bin(op, a, b) => {
                let (x, y) = (self.e(a)?, self.e(b)?);
                match op {
                    '+' => x + y,
                    '-' => x - y,
                    '*' => x * y,
                    '/' => x / y,
                    _ => unreachable!(),
                }
            }
            E::M1(m, a, _) => {
                let x = self.e(a)?;
                match *m {
                    "sin" => x.sin(),
                    "cos" => x.cos(),
                    "tan" => x.tan(),
                    "asin" => x.asin(),
                    "acos" => x.acos(),
                    "atan" => x.atan(),
                    "sinh" => x.sinh(),
                    "cosh" => x.cosh(),
                    "tanh" => x.tanh(),
                    "asinh" => x.asinh(),
                    "exp" => x.exp(),
                    "exp2" => x.exp2(),
                    "exp_m1" => x.exp_m1(),
                    "ln" => x.ln(),
                    "ln_1p" => x.ln_1p(),
                    "log2" => x.log2(),
                    "log10" => x.log10(),
                    "sqrt" => x.sqrt(),
                    "cbrt" => x.cbrt(),
                    "recip" => x.recip(),
                    "abs" => {
                        note_margin(self, x, 0.0);
                        x.abs()
                    }
                    "signum" => {
                        note_margin(self, x, 0.0);
                        x.signum()
                    }
                    "floor" | "ceil" | "trunc" | "fract" => {
                        note_margin(self, x - x.round(), 0.0);
                        match *m {
                            "floor" => x.floor(),
                            "ceil" => x.ceil(),
                            "trunc" => x.trunc(),
                            _ => x.fract(),
                        }
                    }
                    "round" => {
                        note_margin(self, x - x.floor() - 0.5, 0.0);
                        x.round()
                    }
                    _ => unreachable!("{m}"),
                }
            }
            E::Powi(a, k, _) => self.e(a)?.powi(*k),
            E::M2(m, a, b, _) => {
                let (x, y) = (self.e(a)?, self.e(b)?);
                match *m {
                    "hypot" => x.hypot(y),
                    "atan2" => x.atan2(y),
                    "powf" => x.powf(y),
                    "max" | "min" => {
                        note_margin(self, x - y, x.abs().max(y.abs()));
                        if *m == "max" { x.max(y) } else { x.min(y) }
                    }
                    _ => unreachable!("{m}"),
                }
            }
            E::MulAdd(a, b, c, _) => {
                let (x, y, z) = (self.e(a)?, self.e(b)?, self.e(c)?);
                x.mul_add(y, z)
            }
            E::Clamp(a, lo, hi) => {
                let x = self.e(a)?;
                note_margin(self, x - lo, x);
                note_margin(self, x - hi, x);
                x.clamp(*lo, *hi)
            }
            E::If(c, a, b) => {
                if self.cond(c)? {
                    self.e(a)?
                } else {
                    self.e(b)?
                }
            }
        };
        if !v.is_finite() || v.abs() > 1e4 {
            return Err(Fail::Big);
        }
        self.big = self.big.max(v.abs());
        Ok(v)
    }

    fn block(&mut self, ss: &[S]) -> Result<(), Fail> {
        for s in ss {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &S) -> Result<(), Fail> {
        match s {
            S::LetF { name, e, .. } => {
                let v = self.e(e)?;
                self.f.insert(name.clone(), v);
            }
            S::LetSinCos { s, c, e } => {
                let (sv, cv) = self.e(e)?.sin_cos();
                self.f.insert(s.clone(), sv);
                self.f.insert(c.clone(), cv);
            }
            S::AssignF { name, op, e } => {
                let v = self.e(e)?;
                let old = self.f[name];
                let nv = op.apply(old, v);
                if !nv.is_finite() || nv.abs() > 1e4 {
                    return Err(Fail::Big);
                }
                self.f.insert(name.clone(), nv);
            }
            S::LetI { name, e, .. } => {
                let v = self.ie(e)?;
                self.i.insert(name.clone(), v);
            }
            S::IncI { name, by } => {
                *self.i.get_mut(name).unwrap() += by;
            }
            S::LetArr { name, len, .. } => {
                let l = self.ie(len)?;
                self.arr.insert(name.clone(), vec![0.0; l as usize]);
            }
            S::AssignArr { name, idx, op, e } => {
                let k = self.index(name, idx)?;
                let v = self.e(e)?;
                let a = self.arr.get_mut(name).unwrap();
                let nv = op.apply(a[k], v);
                if !nv.is_finite() || nv.abs() > 1e4 {
                    return Err(Fail::Big);
                }
                a[k] = nv;
            }
            S::If { c, t, e } => {
                if self.cond(c)? {
                    self.block(t)?;
                } else if let Some(e) = e {
                    self.block(e)?;
                }
            }
            S::For { var, r, body } => {
                let (s, e) = (self.ie(&r.start)?, self.ie(&r.end)?);
                let mut is: Vec<i64> = if r.inclusive {
                    (s..=e).collect()
                } else {
                    (s..e).collect()
                };
                if r.rev {
                    is.reverse();
                }
                if let Some(k) = r.step {
                    is = is.into_iter().step_by(k as usize).collect();
                }
                for i in is {
                    self.i.insert(var.clone(), i);
                    self.block(body)?;
                }
            }
            S::While { k, limit, body } => {
                let mut guard = 0;
                while self.i[k] < *limit {
                    self.block(body)?;
                    guard += 1;
                    if guard > 1000 {
                        return Err(Fail::Loop);
                    }
                }
            }
        }
        Ok(())
    }
}

impl Program {
    /// Number of inputs of the packed vector `z` = [x, (a), (out_in)].
    fn n_in(&self) -> usize {
        match self.kind {
            Kind::P | Kind::R | Kind::Q { with_a: true } => {
                self.n
                    + 1
                    + if matches!(self.kind, Kind::Q { .. }) {
                        self.m
                    } else {
                        0
                    }
            }
            Kind::Q { with_a: false } => self.n + self.m,
        }
    }

    fn has_a(&self) -> bool {
        !matches!(self.kind, Kind::Q { with_a: false })
    }

    /// Runs the program on packed inputs; returns (outputs, margin).
    fn run(&self, z: &[f64]) -> Result<(Vec<f64>, f64), Fail> {
        let mut it = Interp {
            f: HashMap::new(),
            i: HashMap::new(),
            arr: HashMap::new(),
            margin: f64::INFINITY,
            big: 0.0,
        };
        let n = self.n;
        it.arr.insert("x".into(), z[..n].to_vec());
        let mut rest = &z[n..];
        if self.has_a() {
            it.f.insert("a".into(), rest[0]);
            rest = &rest[1..];
        }
        if let Kind::Q { .. } = self.kind {
            it.arr.insert("out".into(), rest.to_vec());
        }
        it.block(&self.body)?;
        let outs = match self.kind {
            Kind::P => vec![it.e(self.tail.as_ref().unwrap())?],
            Kind::Q { .. } => it.arr["out"].clone(),
            Kind::R => it.arr[self.ret_vec.as_ref().unwrap()].clone(),
        };
        if outs.iter().any(|v| !v.is_finite() || v.abs() > 1e3) {
            return Err(Fail::Big);
        }
        Ok((outs, it.margin))
    }

    /// Is `z` a good test input: values moderate, away from branch points
    /// and kinks, finite differences smooth along every coordinate, and the
    /// output not constant? Returns the outputs.
    fn good_input(&self, z: &[f64]) -> Option<Vec<f64>> {
        let (out, margin) = self.run(z).ok()?;
        if margin < 2e-3 {
            return None;
        }
        let mut w = z.to_vec();
        let mut any_slope = false;
        for j in 0..z.len() {
            let h0 = 1e-4 * z[j].abs().max(1.0);
            let mut d = [vec![], vec![], vec![]];
            for (s, dk) in d.iter_mut().enumerate() {
                let h = h0 * (1 << s) as f64;
                w[j] = z[j] + h;
                let (fp, mp) = self.run(&w).ok()?;
                w[j] = z[j] - h;
                let (fm, mm) = self.run(&w).ok()?;
                w[j] = z[j];
                if mp < 1e-4 || mm < 1e-4 {
                    return None;
                }
                *dk = fp
                    .iter()
                    .zip(&fm)
                    .map(|(p, m)| (p - m) / (2.0 * h))
                    .collect::<Vec<f64>>();
            }
            for ((d1, d2), d4) in d[0].iter().zip(&d[1]).zip(&d[2]) {
                let r1 = d1 + (d1 - d2) / 3.0;
                let r2 = d2 + (d2 - d4) / 3.0;
                if (r1 - r2).abs() > 1e-5 * (1.0 + r1.abs()) || r1.abs() > 1e3 {
                    return None;
                }
                if r1.abs() > 1e-3 {
                    any_slope = true;
                }
            }
        }
        any_slope.then_some(out)
    }
}

// ---------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------

#[derive(Clone)]
struct IntVar {
    name: String,
    lo: i64,
    hi: i64,
}

#[derive(Clone)]
struct Arr {
    name: String,
    len: usize,
    /// How its length is written: `x.len()`, `w0.len()` or a literal.
    len_expr: IE,
    /// How its length is written in loop bounds: `w0.len()` for a local
    /// `Vec` (in an index of a write to the same `Vec`, `w0.len()` would
    /// not borrow-check: `w0[w0.len() - 1] += ..`, so indices use `len_expr`).
    range_len: IE,
    writable: bool,
}

#[derive(Clone, Default)]
struct Frame {
    floats: Vec<(String, bool)>,
    ints: Vec<IntVar>,
    arrs: Vec<Arr>,
}

struct Gen<'r> {
    rng: &'r mut Rng,
    frames: Vec<Frame>,
    fresh: usize,
    consts: Vec<(String, f64)>,
    prog: String,
    /// Product of the trip counts of the enclosing loops.
    trips: usize,
    loop_depth: usize,
    has_a: bool,
    /// Declarations a generated statement needs right before it (the
    /// counter of a `while`, a local array before its fill loop).
    pending: Vec<S>,
    /// Length of `x` in the tests.
    n: usize,
}

const LITS: &[f64] = &[
    0.5, 1.5, 0.25, 2.0, 0.75, 1.25, 3.0, 0.1, 0.3, 1.0, 0.2, 0.6,
];

impl Gen<'_> {
    fn name(&mut self, p: &str) -> String {
        self.fresh += 1;
        format!("{p}{}", self.fresh)
    }

    /// The float variables in scope, innermost binding of each name.
    fn floats(&self) -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = Vec::new();
        for f in self.frames.iter().flat_map(|f| f.floats.iter()) {
            v.retain(|g| g.0 != f.0);
            v.push(f.clone());
        }
        v
    }
    fn ints(&self) -> Vec<IntVar> {
        self.frames
            .iter()
            .flat_map(|f| f.ints.iter().cloned())
            .collect()
    }
    fn arrs(&self) -> Vec<Arr> {
        self.frames
            .iter()
            .flat_map(|f| f.arrs.iter().cloned())
            .collect()
    }
    fn top(&mut self) -> &mut Frame {
        self.frames.last_mut().unwrap()
    }

    fn lit(&mut self) -> f64 {
        *self.rng.pick(LITS)
    }

    /// A valid index into `arr` from the integer variables in scope.
    fn index(&mut self, arr: &Arr) -> IE {
        let l = arr.len as i64;
        let ints: Vec<IntVar> = self.ints().into_iter().filter(|v| v.lo >= 0).collect();
        let mut opts: Vec<IE> = vec![IE::Lit(self.rng.range(0, l - 1))];
        for v in &ints {
            let var = IE::Var(v.name.clone());
            if v.hi < l {
                opts.push(var.clone());
                opts.push(var.clone());
                opts.push(IE::Sub(
                    Box::new(IE::Sub(
                        Box::new(arr.len_expr.clone()),
                        Box::new(IE::Lit(1)),
                    )),
                    Box::new(var.clone()),
                ));
            }
            if v.hi < l - 1 {
                opts.push(IE::Add(Box::new(var.clone()), Box::new(IE::Lit(1))));
            }
            if v.lo >= 1 && v.hi <= l {
                opts.push(IE::Sub(Box::new(var.clone()), Box::new(IE::Lit(1))));
            }
            let k = self.rng.range(0, 2);
            let sum = if k == 0 {
                var.clone()
            } else {
                IE::Add(Box::new(var.clone()), Box::new(IE::Lit(k)))
            };
            opts.push(IE::Mod(Box::new(sum), Box::new(arr.len_expr.clone())));
        }
        // prefer variable indices
        if opts.len() > 1 && self.rng.chance(0.8) {
            let k = 1 + self.rng.below(opts.len() - 1);
            return opts[k].clone();
        }
        opts[0].clone()
    }

    fn leaf(&mut self) -> E {
        let floats = self.floats();
        let arrs: Vec<Arr> = self.arrs();
        let ints = self.ints();
        loop {
            match self.rng.below(12) {
                0..=3 if !floats.is_empty() => {
                    return E::Var(self.rng.pick(&floats).0.clone());
                }
                4..=6 => {
                    let a = self.rng.pick(&arrs).clone();
                    let i = self.index(&a);
                    return E::Idx(a.name, i);
                }
                7 if self.has_a => return E::Var("a".into()),
                8 => {
                    let v = self.lit();
                    return E::Lit(v);
                }
                9 if !ints.is_empty() => {
                    let v = self.rng.pick(&ints).name.clone();
                    // keep the cast small: i as f64 * 0.25
                    return E::Bin('*', Box::new(E::Cast(IE::Var(v))), Box::new(E::Lit(0.25)));
                }
                10 => {
                    if self.rng.chance(0.5) {
                        return E::Const("std::f64::consts::PI".into(), std::f64::consts::PI);
                    }
                    if self.consts.len() < 2 {
                        let c = format!("C_{}_{}", self.prog.to_uppercase(), self.consts.len());
                        let v = self.rng.sym(1.0);
                        self.consts.push((c, v));
                    }
                    let (c, v) = self.rng.pick(&self.consts).clone();
                    return E::Const(c, v);
                }
                11 if self.has_a => return E::Var("a".into()),
                _ => {}
            }
        }
    }

    /// A leaf that is not a bare literal.
    fn var_leaf(&mut self) -> E {
        loop {
            let e = self.leaf();
            if !ambiguous(&e) {
                return e;
            }
        }
    }

    fn cond(&mut self, d: usize) -> Cond {
        let ints = self.ints();
        if !ints.is_empty() && self.rng.chance(0.2) {
            let v = self.rng.pick(&ints).clone();
            if self.rng.chance(0.5) {
                return Cond::I(
                    Cmp::Eq,
                    IE::Mod(Box::new(IE::Var(v.name)), Box::new(IE::Lit(2))),
                    IE::Lit(0),
                );
            }
            let t = self.rng.range(v.lo, v.hi.max(v.lo));
            return Cond::I(
                *self.rng.pick(&[Cmp::Lt, Cmp::Ge]),
                IE::Var(v.name),
                IE::Lit(t),
            );
        }
        let mut a = self.expr(d.min(2));
        while !has_var(&a) {
            a = self.expr(d.min(2));
        }
        let b = if self.rng.chance(0.6) {
            E::Lit(self.rng.sym(1.0))
        } else {
            self.expr(1)
        };
        let op = *self.rng.pick(&[Cmp::Lt, Cmp::Gt, Cmp::Le, Cmp::Ge]);
        Cond::F(op, a, b)
    }

    fn expr(&mut self, d: usize) -> E {
        if d == 0 || self.rng.chance(0.25) {
            return self.leaf();
        }
        let bx = Box::new;
        let path = self.rng.chance(0.15);
        match self.rng.below(25) {
            0..=3 => {
                let op = *self.rng.pick(&['+', '-', '+']);
                E::Bin(op, bx(self.expr(d - 1)), bx(self.expr(d - 1)))
            }
            4..=5 => E::Bin('*', bx(self.expr(d - 1)), bx(self.expr(d - 1))),
            6 => {
                // e / (g² + c)
                let g = self.expr(d - 1);
                let c = *self.rng.pick(&[0.5, 1.0, 2.0]);
                let den = E::Bin('+', bx(E::Bin('*', bx(g.clone()), bx(g))), bx(E::Lit(c)));
                E::Bin('/', bx(self.expr(d - 1)), bx(den))
            }
            7 => E::Neg(bx(self.expr(d - 1))),
            8..=11 => {
                let m = *self.rng.pick(&["sin", "cos", "atan", "tanh", "asinh"]);
                E::M1(m, bx(self.expr(d - 1)), path)
            }
            12..=13 => {
                // exp-like of a bounded argument
                let m = *self
                    .rng
                    .pick(&["exp", "exp", "exp2", "exp_m1", "sinh", "cosh"]);
                let w = *self.rng.pick(&["tanh", "sin", "cos"]);
                E::M1(m, bx(E::M1(w, bx(self.expr(d - 1)), false)), path)
            }
            14..=15 => {
                // of a positive argument
                let m = *self
                    .rng
                    .pick(&["sqrt", "ln", "log2", "log10", "cbrt", "recip", "sqrt", "ln"]);
                let g = self.expr(d - 1);
                let c = *self.rng.pick(&[0.5, 1.0, 2.0]);
                let pos = E::Bin('+', bx(E::Bin('*', bx(g.clone()), bx(g))), bx(E::Lit(c)));
                E::M1(m, bx(pos), path)
            }
            16 => {
                let g = self.expr(d - 1);
                match self.rng.below(4) {
                    0 => E::M1("ln_1p", bx(E::Bin('*', bx(g.clone()), bx(g))), path),
                    1 => E::M1(
                        "tan",
                        bx(E::Bin(
                            '*',
                            bx(E::Lit(0.7)),
                            bx(E::M1("tanh", bx(g), false)),
                        )),
                        path,
                    ),
                    2 => E::M1(
                        "asin",
                        bx(E::Bin(
                            '*',
                            bx(E::Lit(0.8)),
                            bx(E::M1("tanh", bx(g), false)),
                        )),
                        path,
                    ),
                    _ => E::M1(
                        "acos",
                        bx(E::Bin(
                            '*',
                            bx(E::Lit(0.8)),
                            bx(E::M1("tanh", bx(g), false)),
                        )),
                        path,
                    ),
                }
            }
            17 => {
                if self.rng.chance(0.7) {
                    let k = *self.rng.pick(&[2, 3, 2]);
                    E::Powi(bx(self.expr(d - 1)), k, path)
                } else {
                    let g = self.expr(d - 1);
                    let pos = E::Bin('+', bx(E::Bin('*', bx(g.clone()), bx(g))), bx(E::Lit(1.0)));
                    E::Powi(bx(pos), *self.rng.pick(&[-1, -2]), path)
                }
            }
            18 => {
                let g = self.expr(d - 1);
                let h = self.expr(d - 1);
                let c = *self.rng.pick(&[0.5, 1.0]);
                let pos = E::Bin('+', bx(E::Bin('*', bx(h.clone()), bx(h))), bx(E::Lit(c)));
                match self.rng.below(3) {
                    0 => E::M2("hypot", bx(g), bx(pos), path),
                    1 => E::M2("atan2", bx(g), bx(pos), path),
                    _ => {
                        let ex = if self.rng.chance(0.5) {
                            E::Lit(*self.rng.pick(&[0.5, 1.5, 2.5]))
                        } else {
                            E::M1("tanh", bx(g), false)
                        };
                        E::M2("powf", bx(pos), bx(ex), path)
                    }
                }
            }
            19 => E::MulAdd(
                bx(self.expr(d - 1)),
                bx(self.expr(d - 1)),
                bx(self.expr(d - 1)),
                path,
            ),
            20..=21 => {
                let c = self.cond(d - 1);
                E::If(Box::new(c), bx(self.expr(d - 1)), bx(self.expr(d - 1)))
            }
            22 => {
                // non-smooth, kept away from kinks by the input filter
                match self.rng.below(4) {
                    0 => E::M1("abs", bx(self.expr(d - 1)), path),
                    1 => E::M2("max", bx(self.expr(d - 1)), bx(self.expr(d - 1)), path),
                    2 => E::M2("min", bx(self.expr(d - 1)), bx(self.expr(d - 1)), path),
                    _ => E::Clamp(bx(self.expr(d - 1)), -1.0, 1.0),
                }
            }
            23 if self.rng.chance(0.5) => {
                // piecewise constant or linear: floor etc. (derivative 0 or 1)
                let m = *self
                    .rng
                    .pick(&["floor", "ceil", "round", "trunc", "fract", "signum"]);
                E::M1(m, bx(self.expr(d - 1)), path)
            }
            _ => E::Bin('*', bx(E::Lit(self.lit())), bx(self.expr(d - 1))),
        }
    }

    /// A bounded value for `op`: factors near 1 for `*=`, positive
    /// denominators for `/=`.
    fn update_value(&mut self, op: Op, d: usize) -> E {
        let bx = Box::new;
        let e = self.expr(d);
        match op {
            Op::Mul => E::Bin(
                '+',
                bx(E::Lit(1.0)),
                bx(E::Bin(
                    '*',
                    bx(E::Lit(0.3)),
                    bx(E::M1(
                        ["tanh", "sin", "cos"][self.rng.below(3)],
                        bx(e),
                        false,
                    )),
                )),
            ),
            Op::Div => E::Bin('+', bx(E::Bin('*', bx(e.clone()), bx(e))), bx(E::Lit(1.0))),
            _ => e,
        }
    }

    fn pick_op(&mut self) -> Op {
        *self.rng.pick(&[
            Op::Set,
            Op::Add,
            Op::Add,
            Op::Add,
            Op::Sub,
            Op::Mul,
            Op::Div,
        ])
    }

    fn let_float(&mut self) -> S {
        let name = self.name("s");
        let e = {
            let k = self.rng.range(1, 3) as usize;
            self.expr(k)
        };
        let mutable = self.rng.chance(0.7);
        let annotate = ambiguous(&e) || self.rng.chance(0.1);
        self.top().floats.push((name.clone(), mutable));
        S::LetF {
            name,
            mutable,
            annotate,
            e,
        }
    }

    /// A `for` range over [lo, hi] with `trip` iterations, and the range
    /// its variable takes.
    fn range(&mut self) -> (Range, i64, i64, usize) {
        let arrs = self.arrs();
        let bounded: Vec<Arr> = arrs.into_iter().filter(|a| a.len <= 6).collect();
        let small: Vec<IntVar> = self
            .ints()
            .into_iter()
            .filter(|v| v.lo >= 0 && v.hi <= 6)
            .collect();
        let (start, end, lo, hi) = if !small.is_empty() && self.rng.chance(0.3) {
            // triangular: bounds from an enclosing loop variable (may be empty)
            let v = self.rng.pick(&small).clone();
            let long: Vec<Arr> = bounded
                .iter()
                .filter(|a| a.len as i64 >= v.hi)
                .cloned()
                .collect();
            if !long.is_empty() && self.rng.chance(0.5) {
                let a = self.rng.pick(&long).clone();
                (IE::Var(v.name), a.range_len.clone(), v.lo, a.len as i64 - 1)
            } else {
                (IE::Lit(0), IE::Var(v.name), 0, v.hi - 1)
            }
        } else if self.rng.chance(0.6) {
            let a = self.rng.pick(&bounded).clone();
            let s = self.rng.range(0, 1);
            (IE::Lit(s), a.range_len.clone(), s, a.len as i64 - 1)
        } else {
            let s = self.rng.range(0, 2);
            let e = s + self.rng.range(1, 4);
            (IE::Lit(s), IE::Lit(e), s, e - 1)
        };
        let inclusive = matches!(end, IE::Lit(_) | IE::Var(_)) && self.rng.chance(0.5);
        let hi = if inclusive { hi + 1 } else { hi };
        let rev = self.rng.chance(0.25);
        let step = if self.rng.chance(0.2) {
            Some(self.rng.range(2, 3))
        } else {
            None
        };
        let count = (hi - lo + 1).max(0) as usize;
        let trip = match step {
            Some(k) => count.div_ceil(k as usize),
            None => count,
        };
        (
            Range {
                start,
                end,
                inclusive,
                rev,
                step,
            },
            lo,
            hi,
            trip.max(1),
        )
    }

    fn block(&mut self, len: usize) -> Vec<S> {
        self.frames.push(Frame::default());
        let v = self.stmts(len);
        self.frames.pop();
        v
    }

    /// `len` statements in the current frame.
    fn stmts(&mut self, len: usize) -> Vec<S> {
        let mut v = Vec::new();
        for _ in 0..len {
            let s = self.stmt();
            v.append(&mut self.pending);
            v.push(s);
        }
        v
    }

    fn assign_target(&mut self) -> Option<String> {
        let muts: Vec<String> = self
            .floats()
            .into_iter()
            .filter(|(_, m)| *m)
            .map(|(n, _)| n)
            .collect();
        if muts.is_empty() {
            None
        } else {
            Some(self.rng.pick(&muts).clone())
        }
    }

    fn stmt(&mut self) -> S {
        let depth_ok = self.loop_depth < 2 && self.frames.len() < 5;
        loop {
            match self.rng.below(20) {
                0..=3 => {
                    // sometimes shadow a variable of this block: `let s1 = s1 * ..;`
                    let here: Vec<String> = self.top().floats.iter().map(|f| f.0.clone()).collect();
                    if !here.is_empty() && self.rng.chance(0.25) {
                        let name = self.rng.pick(&here).clone();
                        let mut e = self.expr(2);
                        if self.rng.chance(0.7) {
                            e = E::Bin('+', Box::new(E::Var(name.clone())), Box::new(e));
                        }
                        let mutable = self.rng.chance(0.6);
                        let annotate = ambiguous(&e);
                        self.top().floats.push((name.clone(), mutable));
                        return S::LetF {
                            name,
                            mutable,
                            annotate,
                            e,
                        };
                    }
                    return self.let_float();
                }
                4..=8 => {
                    if let Some(t) = self.assign_target() {
                        let op = self.pick_op();
                        let e = {
                            let k = self.rng.range(1, 2) as usize;
                            self.update_value(op, k)
                        };
                        return S::AssignF { name: t, op, e };
                    }
                }
                9 => {
                    let e = self.expr(2);
                    let e = if ambiguous(&e) { self.var_leaf() } else { e };
                    let (s, c) = (self.name("sn"), self.name("cs"));
                    self.top().floats.push((s.clone(), false));
                    self.top().floats.push((c.clone(), false));
                    return S::LetSinCos { s, c, e };
                }
                10..=11 => {
                    let w: Vec<Arr> = self.arrs().into_iter().filter(|a| a.writable).collect();
                    if !w.is_empty() {
                        let a = self.rng.pick(&w).clone();
                        let idx = self.index(&a);
                        let op = self.pick_op();
                        let op = if op == Op::Set && self.rng.chance(0.5) {
                            Op::Add
                        } else {
                            op
                        };
                        let e = self.update_value(op, 2);
                        return S::AssignArr {
                            name: a.name,
                            idx,
                            op,
                            e,
                        };
                    }
                }
                12..=13 => {
                    let c = self.cond(2);
                    let t = {
                        let k = self.rng.range(1, 3) as usize;
                        self.block(k)
                    };
                    let e = if self.rng.chance(0.6) {
                        Some({
                            let k = self.rng.range(1, 2) as usize;
                            self.block(k)
                        })
                    } else {
                        None
                    };
                    return S::If { c, t, e };
                }
                14..=16 if depth_ok => {
                    let (r, lo, hi, trip) = self.range();
                    if self.trips * trip > 40 {
                        continue;
                    }
                    let var = self.name("i");
                    self.frames.push(Frame::default());
                    self.top().ints.push(IntVar {
                        name: var.clone(),
                        lo,
                        hi,
                    });
                    let (t0, l0) = (self.trips, self.loop_depth);
                    self.trips *= trip;
                    self.loop_depth += 1;
                    let body = {
                        let k = self.rng.range(1, 3) as usize;
                        self.block(k)
                    };
                    self.trips = t0;
                    self.loop_depth = l0;
                    self.frames.pop();
                    return S::For { var, r, body };
                }
                17 if depth_ok => {
                    // emitted as two statements: let mut k = 0; while ..
                    return self.while_loop();
                }
                18 if self.frames.len() <= 2 => {
                    // a local array, filled by a loop (emitted by the caller)
                    return self.local_array();
                }
                19 => {
                    // an integer let: `let n3 = x.len();`
                    let name = self.name("n");
                    let n = self.n as i64;
                    self.top().ints.push(IntVar {
                        name: name.clone(),
                        lo: n,
                        hi: n,
                    });
                    return S::LetI {
                        name,
                        mutable: false,
                        e: IE::Len("x".into()),
                    };
                }
                _ => {}
            }
        }
    }

    /// `let mut k = 0; while k < L { body; k += 1; }` (the `let` goes to
    /// `pending`); sometimes the increment is 2 on a data-dependent branch.
    fn while_loop(&mut self) -> S {
        let limit = self.rng.range(2, 4);
        if self.trips * limit as usize > 40 {
            return self.let_float();
        }
        let k = self.name("k");
        self.frames.push(Frame::default());
        self.top().ints.push(IntVar {
            name: k.clone(),
            lo: 0,
            hi: limit - 1,
        });
        let (t0, l0) = (self.trips, self.loop_depth);
        self.trips *= limit as usize;
        self.loop_depth += 1;
        let mut body = {
            let k = self.rng.range(1, 3) as usize;
            self.block(k)
        };
        self.trips = t0;
        self.loop_depth = l0;
        if self.rng.chance(0.4) {
            let c = self.cond(1);
            body.push(S::If {
                c,
                t: vec![S::IncI {
                    name: k.clone(),
                    by: 2,
                }],
                e: Some(vec![S::IncI {
                    name: k.clone(),
                    by: 1,
                }]),
            });
        } else {
            body.push(S::IncI {
                name: k.clone(),
                by: 1,
            });
        }
        self.frames.pop();
        // after the loop k is limit or limit + 1
        self.top().ints.push(IntVar {
            name: k.clone(),
            lo: limit,
            hi: limit + 1,
        });
        self.pending.push(S::LetI {
            name: k.clone(),
            mutable: true,
            e: IE::Lit(0),
        });
        S::While { k, limit, body }
    }

    fn local_array(&mut self) -> S {
        let name = self.name("w");
        let vec = self.rng.chance(0.7);
        let (len, len_expr) = if vec && self.rng.chance(0.5) {
            (self.n, IE::Len("x".into()))
        } else {
            let l = self.rng.range(2, 4) as usize;
            (l, IE::Lit(l as i64))
        };
        let range_len = if vec {
            IE::Len(name.clone())
        } else {
            IE::Lit(len as i64)
        };
        let arr = Arr {
            name: name.clone(),
            len,
            len_expr: len_expr.clone(),
            range_len,
            writable: true,
        };
        // fill loop
        let var = self.name("i");
        self.frames.push(Frame::default());
        self.top().ints.push(IntVar {
            name: var.clone(),
            lo: 0,
            hi: len as i64 - 1,
        });
        let t0 = self.trips;
        self.trips *= len;
        self.loop_depth += 1;
        let e = self.expr(2);
        self.loop_depth -= 1;
        self.trips = t0;
        self.frames.pop();
        let body = vec![S::AssignArr {
            name: name.clone(),
            idx: IE::Var(var.clone()),
            op: Op::Set,
            e,
        }];
        self.top().arrs.push(arr.clone());
        self.pending.push(S::LetArr {
            name: name.clone(),
            len: len_expr,
            vec,
        });
        S::For {
            var,
            r: Range {
                start: IE::Lit(0),
                end: arr.range_len,
                inclusive: false,
                rev: false,
                step: None,
            },
            body,
        }
    }
}

// ---------------------------------------------------------------------------
// Programs
// ---------------------------------------------------------------------------

fn gen_program(rng: &mut Rng, name: &str, kind: Kind) -> Program {
    let n = rng.range(3, 5) as usize;
    let mut m = rng.range(2, 4) as usize;
    let has_a = !matches!(kind, Kind::Q { with_a: false });
    let x = Arr {
        name: "x".into(),
        len: n,
        len_expr: IE::Len("x".into()),
        range_len: IE::Len("x".into()),
        writable: false,
    };
    let mut frame = Frame {
        arrs: vec![x],
        ..Frame::default()
    };
    let mut body = Vec::new();
    let mut ret_vec = None;
    match kind {
        Kind::Q { .. } => frame.arrs.push(Arr {
            name: "out".into(),
            len: m,
            len_expr: IE::Len("out".into()),
            range_len: IE::Len("out".into()),
            writable: true,
        }),
        Kind::R => {
            let v = "v".to_string();
            let len = if rng.chance(0.3) {
                m = n;
                IE::Len("x".into())
            } else {
                IE::Lit(m as i64)
            };
            body.push(S::LetArr {
                name: v.clone(),
                len: len.clone(),
                vec: true,
            });
            frame.arrs.push(Arr {
                name: v.clone(),
                len: m,
                len_expr: len,
                range_len: IE::Len(v.clone()),
                writable: true,
            });
            ret_vec = Some(v);
        }
        Kind::P => {}
    }
    let mut g = Gen {
        rng,
        frames: vec![frame],
        fresh: 0,
        consts: Vec::new(),
        prog: name.to_string(),
        trips: 1,
        loop_depth: 0,
        has_a,
        pending: Vec::new(),
        n,
    };
    // a first accumulator, then random statements
    let first = g.let_float();
    if let S::LetF { name, .. } = &first {
        g.frames[0].floats.iter_mut().for_each(|f| {
            if &f.0 == name {
                f.1 = true;
            }
        });
    }
    let first = match first {
        S::LetF {
            name, annotate, e, ..
        } => S::LetF {
            name,
            mutable: true,
            annotate,
            e,
        },
        s => s,
    };
    body.push(first);
    let len = g.rng.range(2, 6) as usize;
    body.extend(g.stmts(len));
    let bx = Box::new;
    let mut tail = None;
    match kind {
        Kind::P => {
            // the result combines the top-level floats and one more expression
            let floats: Vec<String> = g.frames[0].floats.iter().map(|f| f.0.clone()).collect();
            let mut t = g.expr(2);
            for f in floats.iter().rev().take(3) {
                let c = g.lit();
                t = E::Bin(
                    '+',
                    bx(t),
                    bx(E::Bin('*', bx(E::Lit(c)), bx(E::Var(f.clone())))),
                );
            }
            tail = Some(t);
        }
        Kind::Q { .. } | Kind::R => {
            // every output entry gets a final contribution
            let (arr, len_expr) = match kind {
                Kind::R => ("v".to_string(), IE::Len("v".into())),
                _ => ("out".to_string(), IE::Len("out".into())),
            };
            let var = g.name("i");
            g.frames.push(Frame::default());
            g.top().ints.push(IntVar {
                name: var.clone(),
                lo: 0,
                hi: m as i64 - 1,
            });
            g.loop_depth += 1;
            g.trips *= m;
            let floats: Vec<String> = g.frames[0].floats.iter().map(|f| f.0.clone()).collect();
            let mut e = g.expr(2);
            if let Some(f) = floats.last() {
                e = E::Bin('+', bx(e), bx(E::Var(f.clone())));
            }
            let op = if g.rng.chance(0.5) { Op::Set } else { Op::Add };
            let mut fill = vec![S::AssignArr {
                name: arr.clone(),
                idx: IE::Var(var.clone()),
                op,
                e,
            }];
            if g.rng.chance(0.3) {
                fill.extend(g.stmts(1));
            }
            g.frames.pop();
            body.push(S::For {
                var,
                r: Range {
                    start: IE::Lit(0),
                    end: len_expr,
                    inclusive: false,
                    rev: g.rng.chance(0.2),
                    step: None,
                },
                body: fill,
            });
        }
    }
    Program {
        name: name.to_string(),
        kind,
        consts: g.consts,
        body,
        tail,
        ret_vec,
        n,
        m,
    }
}

struct Case {
    z: Vec<f64>,
    dz: Vec<f64>,
    model: Vec<f64>,
}

/// A program and three test inputs where it is well-conditioned.
fn program_with_cases(rng: &mut Rng, name: &str, kind: Kind) -> (Program, Vec<Case>) {
    for _ in 0..500 {
        let p = gen_program(rng, name, kind);
        let mut cases = Vec::new();
        for _ in 0..30 {
            let z: Vec<f64> = (0..p.n_in()).map(|_| rng.sym(1.5)).collect();
            if let Some(model) = p.good_input(&z) {
                let dz = (0..p.n_in()).map(|_| rng.sym(1.0)).collect();
                cases.push(Case { z, dz, model });
                if cases.len() == 3 {
                    return (p, cases);
                }
            }
        }
    }
    panic!("could not generate a well-conditioned program {name}");
}

fn list(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|&x| lit(x)).collect();
    format!("&[{}]", items.join(", "))
}

fn emit(out: &mut String, p: &Program, cases: &[Case]) {
    let src = p.source();
    let name = &p.name;
    let upper = name.to_uppercase();
    writeln!(out, "// ---- {name} ----").unwrap();
    out.push_str(&src);
    writeln!(out, "const {upper}_SRC: &str = r#\"{src}\"#;").unwrap();
    let ck = p.source_ck();
    if let Some(ck) = &ck {
        out.push_str(ck);
        writeln!(out, "const {upper}_CK_SRC: &str = r#\"{ck}\"#;").unwrap();
    }
    writeln!(out, "#[test]\nfn {name}_derivatives() {{").unwrap();
    writeln!(out, "    let cases: &[Case] = &[").unwrap();
    for c in cases {
        writeln!(
            out,
            "        Case {{ z: {}, dz: {}, model: {} }},",
            list(&c.z),
            list(&c.dz),
            list(&c.model)
        )
        .unwrap();
    }
    writeln!(out, "    ];").unwrap();
    let (n, m) = (p.n, p.m);
    if matches!(p.kind, Kind::P) {
        writeln!(
            out,
            "    let grad = |x: &[f64], a: f64| {name}_grad(x, a);\n    let pull = |x: &[f64], a: f64, w: f64| {{ let (v, tape) = {name}_record(x, a); let mut g = vec![0.0; x.len()]; let ga = {name}_pullback(&tape, &mut g, w); (v, g, ga) }};\n    check_split({upper}_SRC, cases, {n}, grad, pull);"
        )
        .unwrap();
    }
    if ck.is_some() {
        writeln!(
            out,
            "    check_ck({upper}_CK_SRC, cases, {n}, {name}_grad, {name}_ck_grad, {name}_ck_vjp);"
        )
        .unwrap();
    }
    match p.kind {
        Kind::P => writeln!(
            out,
            "    check_p({upper}_SRC, cases, {n}, {name}, {name}_grad, {name}_jvp, {name}_vjp, {name}_hvp, {name}_hessian, {name}_jvp_batch);"
        )
        .unwrap(),
        Kind::R => writeln!(
            out,
            "    check_r({upper}_SRC, cases, {n}, {m}, {name}, {name}_jvp, {name}_vjp, {name}_jacobian, {name}_jvp_batch);"
        )
        .unwrap(),
        Kind::Q { with_a: true } => writeln!(
            out,
            "    check_qa({upper}_SRC, cases, {n}, {m}, {name}, {name}_jvp, {name}_vjp, {name}_jacobian);"
        )
        .unwrap(),
        Kind::Q { with_a: false } => writeln!(
            out,
            "    check_q({upper}_SRC, cases, {n}, {m}, {name}, {name}_jvp, {name}_vjp, {name}_jacobian);"
        )
        .unwrap(),
    }
    writeln!(out, "}}\n").unwrap();
}

fn env_list(key: &str) -> Option<Vec<String>> {
    std::env::var(key).ok().map(|v| {
        v.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

fn main() {
    for key in [
        "LEIBNIZ_PROPTEST_SEED",
        "LEIBNIZ_PROPTEST_COUNT",
        "LEIBNIZ_PROPTEST_ONLY",
        "LEIBNIZ_PROPTEST_SKIP",
    ] {
        println!("cargo:rerun-if-env-changed={key}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    let seed: u64 = match std::env::var("LEIBNIZ_PROPTEST_SEED") {
        Ok(s) => s
            .trim()
            .parse()
            .expect("LEIBNIZ_PROPTEST_SEED must be an unsigned integer"),
        Err(_) => 1,
    };
    let count: usize = match std::env::var("LEIBNIZ_PROPTEST_COUNT") {
        Ok(s) => s
            .trim()
            .parse()
            .expect("LEIBNIZ_PROPTEST_COUNT must be an unsigned integer"),
        Err(_) => 40,
    };
    let only = env_list("LEIBNIZ_PROPTEST_ONLY");
    let skip = env_list("LEIBNIZ_PROPTEST_SKIP").unwrap_or_default();

    let mut out = String::new();
    writeln!(
        out,
        "// Generated by proptests/build.rs: seed {seed}, {count} programs. Do not edit.\n"
    )
    .unwrap();
    let mut sources = String::new();
    for k in 0..count {
        // one generator stream per program, so ONLY/SKIP and COUNT do not
        // change the other programs
        let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D)
            ^ (k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next_u64();
        let kind = match rng.below(10) {
            0..=5 => Kind::P,
            6 => Kind::Q { with_a: false },
            7 => Kind::Q { with_a: true },
            _ => Kind::R,
        };
        let letter = match kind {
            Kind::P => "p",
            Kind::Q { .. } => "q",
            Kind::R => "r",
        };
        let name = format!("{letter}{k}");
        let (p, cases) = program_with_cases(&mut rng, &name, kind);
        if only.as_ref().is_some_and(|o| !o.contains(&name)) || skip.contains(&name) {
            continue;
        }
        sources.push_str(&p.source());
        sources.push('\n');
        emit(&mut out, &p, &cases);
    }
    let dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(dir.join("random_programs.rs"), out).expect("write random_programs.rs");
    // the programs alone, for reading
    std::fs::write(dir.join("programs_only.rs"), sources).expect("write programs_only.rs");
}
