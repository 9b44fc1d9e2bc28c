//! The registry of primitives: one table that the JVP pass, the tape
//! planner and both backends read.
//!
//! Each primitive has a name, its float arity (the receiver included) and
//! trailing integer arguments, a "cheap to recompute" flag, its partial
//! derivatives as IR builders, and how the Rust and CUDA C backends print
//! it. The JVP of `y = p(a₁..aₙ)` is `dy = Σ ∂p/∂aₖ · daₖ`; the partials are
//! primal values (residuals of reverse mode), built from other primitives
//! of the table, so the tangent program is itself differentiable (second
//! derivatives). A primitive whose `partials` is `None` has no derivative
//! rule: differentiating through it is a compile error of the macro, never a
//! silent zero.
//!
//! Derivative helpers (`sign0`, `dpowi`, ..) are primitives of the table
//! like the others; their own partials give second derivatives.

use crate::ir::{BinOp, V};

/// A partial derivative `∂y/∂aₖ`, applied to a tangent `d` as `Partial · d`.
#[derive(Clone, Copy, Debug)]
pub enum Partial {
    /// Exactly zero (`floor`, `signum`): no tangent flows.
    Zero,
    One,
    NegOne,
    /// `c · d`.
    Mul(V),
    /// `d / c`.
    Div(V),
}

/// What the partial builders may create: primal operations in the function
/// being differentiated.
pub trait Build {
    /// A float constant.
    fn lit(&mut self, x: f64) -> V;
    /// A float operation.
    fn bin(&mut self, op: BinOp, a: V, b: V) -> V;
    fn neg(&mut self, a: V) -> V;
    /// A float primitive of the table.
    fn prim(&mut self, name: &'static str, args: &[V]) -> V;
    /// `n - 1` of an integer.
    fn int_dec(&mut self, n: V) -> V;
    /// An integer as a float.
    fn int_to_f(&mut self, n: V) -> V;
}

/// What a primitive returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Res {
    F,
    Int,
}

/// How a backend prints a primitive.
#[derive(Clone, Copy, Debug)]
pub enum Print {
    /// A float method of std: Rust `Float::name(a, ..)`, CUDA `name(a, ..)`
    /// (`namef` at `f32`).
    Method(&'static str),
    /// A helper of the runtime: Rust `::leibniz::__private::name(a, ..)`,
    /// CUDA `lz_name(a, ..)` from the kernel prelude.
    Helper(&'static str),
}

pub type Partials = fn(&mut dyn Build, &[V], V) -> Vec<Partial>;

pub struct Rule {
    pub name: &'static str,
    /// Float arguments, the receiver first.
    pub arity: usize,
    /// Integer arguments after the float ones (`powi`'s exponent).
    pub ints: usize,
    /// Cheap enough to recompute in the backward sweep instead of storing.
    pub cheap: bool,
    pub res: Res,
    /// `None`: no derivative rule (integer helpers; third-order helpers).
    pub partials: Option<Partials>,
    pub print: Print,
}

fn c(b: &mut dyn Build, x: f64) -> V {
    b.lit(x)
}

fn mul(b: &mut dyn Build, x: V, y: V) -> V {
    b.bin(BinOp::Mul, x, y)
}

fn add(b: &mut dyn Build, x: V, y: V) -> V {
    b.bin(BinOp::Add, x, y)
}

fn sub(b: &mut dyn Build, x: V, y: V) -> V {
    b.bin(BinOp::Sub, x, y)
}

fn div(b: &mut dyn Build, x: V, y: V) -> V {
    b.bin(BinOp::Div, x, y)
}

use Partial::*;

macro_rules! rules {
    ($( $name:literal : $arity:literal + $ints:literal, $cheap:literal, $res:ident, $print:expr, $partials:expr; )*) => {
        /// The table.
        pub static RULES: &[Rule] = &[
            $( Rule { name: $name, arity: $arity, ints: $ints, cheap: $cheap, res: Res::$res, partials: $partials, print: $print }, )*
        ];
    };
}

use Print::{Helper as H, Method as M};

rules! {
    // ---- trigonometric ---------------------------------------------------
    "sin": 1 + 0, false, F, M("sin"), Some(|b, a, _| vec![Mul(b.prim("cos", &[a[0]]))]);
    "cos": 1 + 0, false, F, M("cos"), Some(|b, a, _| { let s = b.prim("sin", &[a[0]]); vec![Mul(b.neg(s))] });
    "tan": 1 + 0, false, F, M("tan"), Some(|b, _, y| { let y2 = mul(b, y, y); let one = c(b, 1.0); vec![Mul(add(b, one, y2))] });
    // 1/sqrt((1-a)(1+a)): no cancellation near |a| = 1.
    "asin": 1 + 0, false, F, M("asin"), Some(|b, a, _| vec![Div(b.prim("sqrt_one_minus_sq", &[a[0]]))]);
    "acos": 1 + 0, false, F, M("acos"), Some(|b, a, _| { let s = b.prim("sqrt_one_minus_sq", &[a[0]]); vec![Div(b.neg(s))] });
    "atan": 1 + 0, false, F, M("atan"), Some(|b, a, _| vec![Mul(b.prim("datan", &[a[0]]))]);
    // atan2(y, x): ∂/∂y = x/h², ∂/∂x = -y/h² with h = hypot(x, y), as (x/h)/h.
    "atan2": 2 + 0, false, F, M("atan2"), Some(|b, a, _| {
        let h = b.prim("hypot", &[a[1], a[0]]);
        let xh = div(b, a[1], h);
        let yh = div(b, a[0], h);
        let dy = div(b, xh, h);
        let dx = div(b, yh, h);
        vec![Mul(dy), Mul(b.neg(dx))]
    });
    "sinh": 1 + 0, false, F, M("sinh"), Some(|b, a, _| vec![Mul(b.prim("cosh", &[a[0]]))]);
    "cosh": 1 + 0, false, F, M("cosh"), Some(|b, a, _| vec![Mul(b.prim("sinh", &[a[0]]))]);
    // sech²(a) as 4e/(1+e)² with e = exp(-2|a|): 1 - tanh² cancels to 0
    // already at |a| = 20.
    "tanh": 1 + 0, false, F, M("tanh"), Some(|b, a, _| vec![Mul(b.prim("dtanh", &[a[0]]))]);
    // 1/sqrt(a² + 1) as 1/hypot(a, 1): no overflow at |a| = 1e160.
    "asinh": 1 + 0, false, F, M("asinh"), Some(|b, a, _| { let one = c(b, 1.0); vec![Div(b.prim("hypot", &[a[0], one]))] });
    // 1/(sqrt(a-1) sqrt(a+1)).
    "acosh": 1 + 0, false, F, M("acosh"), Some(|b, a, _| vec![Div(b.prim("sqrt_sq_minus_one", &[a[0]]))]);
    // 1/((1-a)(1+a)).
    "atanh": 1 + 0, false, F, M("atanh"), Some(|b, a, _| vec![Div(b.prim("one_minus_sq", &[a[0]]))]);
    // ---- exponential and logarithms --------------------------------------
    "exp": 1 + 0, false, F, M("exp"), Some(|_, _, y| vec![Mul(y)]);
    "exp2": 1 + 0, false, F, M("exp2"), Some(|b, _, y| { let l = c(b, std::f64::consts::LN_2); vec![Mul(mul(b, y, l))] });
    "exp_m1": 1 + 0, false, F, M("exp_m1"), Some(|b, _, y| { let one = c(b, 1.0); vec![Mul(add(b, y, one))] });
    "ln": 1 + 0, false, F, M("ln"), Some(|_, a, _| vec![Div(a[0])]);
    "ln_1p": 1 + 0, false, F, M("ln_1p"), Some(|b, a, _| { let one = c(b, 1.0); vec![Div(add(b, one, a[0]))] });
    "log2": 1 + 0, false, F, M("log2"), Some(|b, a, _| { let l = c(b, std::f64::consts::LN_2); vec![Div(mul(b, a[0], l))] });
    "log10": 1 + 0, false, F, M("log10"), Some(|b, a, _| { let l = c(b, std::f64::consts::LN_10); vec![Div(mul(b, a[0], l))] });
    // log(a, base) = ln a / ln base.
    "log": 2 + 0, false, F, M("log"), Some(|b, a, y| {
        let lb = b.prim("ln", &[a[1]]);
        let da = mul(b, a[0], lb);
        let blb = mul(b, a[1], lb);
        let q = div(b, y, blb);
        vec![Div(da), Mul(b.neg(q))]
    });
    "sqrt": 1 + 0, false, F, M("sqrt"), Some(|b, _, y| { let two = c(b, 2.0); vec![Div(mul(b, two, y))] });
    "cbrt": 1 + 0, false, F, M("cbrt"), Some(|b, _, y| { let three = c(b, 3.0); let t = mul(b, three, y); vec![Div(mul(b, t, y))] });
    // ---- powers ------------------------------------------------------------
    // ∂(aⁿ)/∂a from the result when it is representable (no second powi).
    "powi": 1 + 1, false, F, M("powi"), Some(|b, a, y| vec![Mul(b.prim("dpowi_y", &[a[0], y, a[1]]))]);
    "powf": 2 + 0, false, F, M("powf"), Some(|b, a, y| vec![Mul(b.prim("dpowf_base", &[a[0], a[1]])), Mul(b.prim("dpowf_exp", &[a[0], y]))]);
    "hypot": 2 + 0, false, F, M("hypot"), Some(|b, a, y| vec![Mul(b.prim("div0", &[a[0], y])), Mul(b.prim("div0", &[a[1], y]))]);
    "recip": 1 + 0, true, F, M("recip"), Some(|b, _, y| { let y2 = mul(b, y, y); vec![Mul(b.neg(y2))] });
    // ---- piecewise ---------------------------------------------------------
    "abs": 1 + 0, true, F, M("abs"), Some(|b, a, _| vec![Mul(b.prim("sign0", &[a[0]]))]);
    "signum": 1 + 0, true, F, M("signum"), Some(|_, _, _| vec![Zero]);
    "floor": 1 + 0, true, F, M("floor"), Some(|_, _, _| vec![Zero]);
    "ceil": 1 + 0, true, F, M("ceil"), Some(|_, _, _| vec![Zero]);
    "round": 1 + 0, true, F, M("round"), Some(|_, _, _| vec![Zero]);
    "trunc": 1 + 0, true, F, M("trunc"), Some(|_, _, _| vec![Zero]);
    "fract": 1 + 0, true, F, M("fract"), Some(|_, _, _| vec![One]);
    // max/min: on ties (and when the other is NaN) the first is picked.
    "max": 2 + 0, true, F, M("max"), Some(|b, a, _| { let p = b.prim("pick_max", &[a[0], a[1]]); let one = c(b, 1.0); let q = sub(b, one, p); vec![Mul(p), Mul(q)] });
    "min": 2 + 0, true, F, M("min"), Some(|b, a, _| { let p = b.prim("pick_min", &[a[0], a[1]]); let one = c(b, 1.0); let q = sub(b, one, p); vec![Mul(p), Mul(q)] });
    "clamp": 3 + 0, true, F, M("clamp"), Some(|b, a, _| vec![Mul(b.prim("clamp_dx", a)), Mul(b.prim("clamp_dlo", a)), Mul(b.prim("clamp_dhi", a))]);
    "mul_add": 3 + 0, true, F, M("mul_add"), Some(|_, a, _| vec![Mul(a[1]), Mul(a[0]), One]);
    "to_degrees": 1 + 0, true, F, M("to_degrees"), Some(|b, _, _| vec![Mul(c(b, 180.0 / std::f64::consts::PI))]);
    "to_radians": 1 + 0, true, F, M("to_radians"), Some(|b, _, _| vec![Mul(c(b, std::f64::consts::PI / 180.0))]);
    // Float remainder `a % b` = a - trunc(a/b)·b.
    "rem": 2 + 0, true, F, H("rem"), Some(|b, a, _| { let q = div(b, a[0], a[1]); let t = b.prim("trunc", &[q]); vec![One, Mul(b.neg(t))] });
    "copysign": 2 + 0, true, F, M("copysign"), Some(|b, a, _| vec![Mul(b.prim("dcopysign", &[a[0], a[1]])), Zero]);
    // rem_euclid(a, b) = a - b·div_euclid(a, b)
    "rem_euclid": 2 + 0, true, F, H("rem_euclid"), Some(|b, a, _| { let q = b.prim("div_euclid", &[a[0], a[1]]); vec![One, Mul(b.neg(q))] });
    "div_euclid": 2 + 0, true, F, H("div_euclid"), Some(|_, _, _| vec![Zero, Zero]);
    "round_ties_even": 1 + 0, true, F, H("round_ties_even"), Some(|_, _, _| vec![Zero]);
    "midpoint": 2 + 0, true, F, H("midpoint"), Some(|b, _, _| { let h = c(b, 0.5); vec![Mul(h), Mul(h)] });
    // NaN-propagating max / min: the derivative goes to the argument picked.
    "maximum": 2 + 0, true, F, H("maximum"), Some(|b, a, _| { let p = b.prim("pick_max", &[a[0], a[1]]); let one = c(b, 1.0); let q = sub(b, one, p); vec![Mul(p), Mul(q)] });
    "minimum": 2 + 0, true, F, H("minimum"), Some(|b, a, _| { let p = b.prim("pick_min", &[a[0], a[1]]); let one = c(b, 1.0); let q = sub(b, one, p); vec![Mul(p), Mul(q)] });
    // ---- derivative helpers (with their own rules) -------------------------
    "sqrt_one_minus_sq": 1 + 0, false, F, H("sqrt_one_minus_sq"), Some(|b, a, y| {
        // d/da sqrt(1-a²) = -a / sqrt(1-a²)
        let q = div(b, a[0], y);
        vec![Mul(b.neg(q))]
    });
    "sqrt_sq_minus_one": 1 + 0, false, F, H("sqrt_sq_minus_one"), Some(|b, a, y| {
        // d/da sqrt(a²-1) = a / sqrt(a²-1)
        vec![Mul(div(b, a[0], y))]
    });
    "dtanh": 1 + 0, false, F, H("dtanh"), Some(|b, a, y| {
        // d/da sech²(a) = -2 tanh(a) sech²(a)
        let t = b.prim("tanh", &[a[0]]);
        let m2 = c(b, -2.0);
        let k = mul(b, m2, t);
        vec![Mul(mul(b, k, y))]
    });
    "one_minus_sq": 1 + 0, true, F, H("one_minus_sq"), Some(|b, a, _| { let m2 = c(b, -2.0); vec![Mul(mul(b, m2, a[0]))] });
    "datan": 1 + 0, false, F, H("datan"), Some(|b, a, y| {
        // d/da 1/(1+a²) = -2a/(1+a²)² = -2a·y²
        let m2 = c(b, -2.0);
        let t = mul(b, m2, a[0]);
        let y2 = mul(b, y, y);
        vec![Mul(mul(b, t, y2))]
    });
    "dpowi": 1 + 1, false, F, H("dpowi"), Some(|b, a, _| {
        // d/da n·a^(n-1) = n·dpowi(a, n-1)
        let n1 = b.int_dec(a[1]);
        let d = b.prim("dpowi", &[a[0], n1]);
        let nf = b.int_to_f(a[1]);
        vec![Mul(mul(b, nf, d))]
    });
    // n·y/a from the result y = aⁿ, or n·a^(n-1) where that is not exact.
    "dpowi_y": 2 + 1, true, F, H("dpowi_y"), Some(|b, a, _| {
        // As a function of a alone (y = aⁿ): its derivative is n(n-1)a^(n-2);
        // the partial with respect to y is zero because the a-partial
        // already accounts for the whole dependence.
        let n1 = b.int_dec(a[2]);
        let d = b.prim("dpowi", &[a[0], n1]);
        let nf = b.int_to_f(a[2]);
        vec![Mul(mul(b, nf, d)), Zero]
    });
    "dpowf_base": 2 + 0, false, F, H("dpowf_base"), Some(|b, a, _| {
        // g = b·a^(b-1): ∂g/∂a = b(b-1)a^(b-2), ∂g/∂b = a^(b-1)(1 + b ln a)
        let one = c(b, 1.0);
        let bm1 = sub(b, a[1], one);
        let g2 = b.prim("dpowf_base", &[a[0], bm1]);
        let da = mul(b, a[1], g2);
        let p = b.prim("powf", &[a[0], bm1]);
        let la = b.prim("ln", &[a[0]]);
        let bla = mul(b, a[1], la);
        let s = add(b, one, bla);
        let db = b.prim("mul0", &[p, s]);
        vec![Mul(da), Mul(db)]
    });
    "dpowf_exp": 2 + 0, false, F, H("dpowf_exp"), Some(|b, a, _| {
        // g = y ln a with y = a^b held fixed as an argument: ∂g/∂a = y/a,
        // ∂g/∂y = ln a.
        vec![Mul(b.prim("div0", &[a[1], a[0]])), Mul(b.prim("ln0", &[a[0], a[1]]))]
    });
    "div0": 2 + 0, true, F, H("div0"), Some(|b, a, _| {
        // x/y (0 where y = 0): ∂/∂x = 1/y, ∂/∂y = -x/y²
        let one = c(b, 1.0);
        let inv = b.prim("div0", &[one, a[1]]);
        let q = b.prim("div0", &[a[0], a[1]]);
        let q2 = mul(b, q, inv);
        vec![Mul(inv), Mul(b.neg(q2))]
    });
    "mul0": 2 + 0, true, F, H("mul0"), None;
    "ln0": 2 + 0, true, F, H("ln0"), None;
    "sign0": 1 + 0, true, F, H("sign0"), Some(|_, _, _| vec![Zero]);
    "dcopysign": 2 + 0, true, F, H("dcopysign"), Some(|_, _, _| vec![Zero, Zero]);
    "pick_max": 2 + 0, true, F, H("pick_max"), Some(|_, _, _| vec![Zero, Zero]);
    "pick_min": 2 + 0, true, F, H("pick_min"), Some(|_, _, _| vec![Zero, Zero]);
    "clamp_dx": 3 + 0, true, F, H("clamp_dx"), Some(|_, _, _| vec![Zero, Zero, Zero]);
    "clamp_dlo": 3 + 0, true, F, H("clamp_dlo"), Some(|_, _, _| vec![Zero, Zero, Zero]);
    "clamp_dhi": 3 + 0, true, F, H("clamp_dhi"), Some(|_, _, _| vec![Zero, Zero, Zero]);
    // ---- linear primitives of transformed programs --------------------------
    // `c·t` and `t/c`, zero when the tangent `t` is zero (their JVP is the
    // product rule, written in `ad::jvp`).
    "lmul0": 2 + 0, true, F, H("lmul0"), Some(|_, a, _| vec![Mul(a[1]), Mul(a[0])]);
    "ldiv0": 2 + 0, true, F, H("ldiv0"), Some(|_, a, _| vec![Div(a[1]), Zero]);
    "tan_cast": 1 + 0, true, F, H("tan_cast"), Some(|_, _, _| vec![One]);
    "int_to_f": 0 + 1, true, F, H("int_to_f"), None;
    // ---- integer helpers (never differentiated) ----------------------------
    "trip_count": 0 + 2, true, Int, H("trip_count"), None;
    "trip_count_incl": 0 + 2, true, Int, H("trip_count_incl"), None;
    "div_ceil": 0 + 2, true, Int, H("div_ceil"), None;
    "min_usize": 0 + 2, true, Int, H("min_usize"), None;
    "div_floor": 0 + 2, true, Int, H("div_floor"), None;
    "windows_count": 0 + 2, true, Int, H("windows_count"), None;
    "sat_sub": 0 + 2, true, Int, H("sat_sub"), None;
    "idx_add": 0 + 2, true, Int, H("idx_add"), None;
    "idx_sub": 0 + 2, true, Int, H("idx_sub"), None;
}

pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// The float methods of std that have a rule, with their float arity (the
/// receiver included) and integer arguments: what `x.name(..)` and
/// `f64::name(x, ..)` may call.
pub fn float_method(name: &str) -> Option<&'static Rule> {
    let r = rule(name)?;
    (matches!(r.print, Print::Method(_)) || FLOAT_HELPER_METHODS.contains(&name)).then_some(r)
}

/// Float methods of std that are helpers of the runtime (num-traits has
/// no such method).
const FLOAT_HELPER_METHODS: &[&str] = &["rem_euclid", "div_euclid", "round_ties_even", "midpoint", "maximum", "minimum", "rem"];

/// Float methods of std that produce a float and that leibniz has no
/// derivative rule for: an error, never a silent call.
pub const FLOAT_WITHOUT_RULE: &[&str] = &["abs_sub", "lerp", "gamma", "ln_gamma", "erf", "erfc", "next_up", "next_down", "algebraic_add", "algebraic_mul", "algebraic_div", "algebraic_sub", "algebraic_rem"];
