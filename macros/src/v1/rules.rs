//! The derivative rules of the built-in float operations: one table that
//! the forward (JVP) and reverse (VJP) emitters both read.
//!
//! A rule gives the partial derivative of the result with respect to each
//! float argument. The JVP is `dy = Σ ∂y/∂aₖ · daₖ`; its transpose, the
//! VJP, is `āₖ += ∂y/∂aₖ · ȳ`: a rule author writes the linearisation once
//! and both modes follow from it.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

use crate::v1::ir::Bin;

/// The partial derivative of a result with respect to one argument.
pub enum Partial {
    /// Derivative 0: no tangent flows (floor, signum, ..).
    Zero,
    One,
    NegOne,
    /// Multiply by this expression.
    Mul(TokenStream),
    /// Divide by this expression.
    DivBy(TokenStream),
}

/// What a rule may refer to: the primal arguments, the result, the integer
/// exponent of `powi`. It remembers what was used, so the reverse sweep
/// keeps exactly those values.
pub struct Ctx<'a> {
    pub args: &'a [TokenStream],
    pub result: &'a TokenStream,
    pub int_arg: Option<&'a TokenStream>,
    pub float: &'a TokenStream,
    /// The forward sweep has the result at hand, so rules may read it for
    /// free (the reverse sweep would have to store it).
    pub result_free: bool,
    used_args: RefCell<Vec<bool>>,
    used_result: RefCell<bool>,
}

impl<'a> Ctx<'a> {
    pub fn new(args: &'a [TokenStream], result: &'a TokenStream, int_arg: Option<&'a TokenStream>, float: &'a TokenStream) -> Self {
        Ctx { args, result, int_arg, float, result_free: false, used_args: RefCell::new(vec![false; args.len()]), used_result: RefCell::new(false) }
    }
    fn a(&self, k: usize) -> TokenStream {
        self.used_args.borrow_mut()[k] = true;
        self.args[k].clone()
    }
    fn y(&self) -> TokenStream {
        *self.used_result.borrow_mut() = true;
        self.result.clone()
    }
    fn n(&self) -> TokenStream {
        self.int_arg.cloned().unwrap_or_else(|| quote!(0))
    }
    fn c(&self, x: f64) -> TokenStream {
        let f = self.float;
        quote!(::leibniz::__private::lit::<#f>(#x))
    }
    /// Which arguments and whether the result the partials read.
    pub fn used(&self) -> (Vec<bool>, bool) {
        (self.used_args.borrow().clone(), *self.used_result.borrow())
    }
}

fn fl(name: &str, args: &[TokenStream]) -> TokenStream {
    let m = syn::Ident::new(name, proc_macro2::Span::call_site());
    quote!(::leibniz::__private::Float::#m(#(#args),*))
}

fn p(ts: TokenStream) -> Partial {
    Partial::Mul(ts)
}

pub struct Rule {
    pub name: &'static str,
    /// Number of float arguments, the receiver included.
    pub arity: usize,
    /// Cheap enough to recompute in the backward sweep instead of taping.
    pub cheap: bool,
}

const fn r(name: &'static str, arity: usize, cheap: bool) -> Rule {
    Rule { name, arity, cheap }
}

/// The float methods with a rule (`x.sin()` and `f64::sin(x)` forms).
pub const RULES: &[Rule] = &[
    r("sin", 1, false), r("cos", 1, false), r("tan", 1, false),
    r("asin", 1, false), r("acos", 1, false), r("atan", 1, false), r("atan2", 2, false),
    r("sinh", 1, false), r("cosh", 1, false), r("tanh", 1, false),
    r("asinh", 1, false), r("acosh", 1, false), r("atanh", 1, false),
    r("exp", 1, false), r("exp2", 1, false), r("exp_m1", 1, false),
    r("ln", 1, false), r("ln_1p", 1, false), r("log", 2, false), r("log2", 1, false), r("log10", 1, false),
    r("sqrt", 1, false), r("cbrt", 1, false), r("powi", 1, false), r("powf", 2, false), r("hypot", 2, false),
    r("recip", 1, true), r("abs", 1, true), r("signum", 1, true),
    r("min", 2, true), r("max", 2, true), r("clamp", 3, true), r("mul_add", 3, true),
    r("floor", 1, true), r("ceil", 1, true), r("round", 1, true), r("trunc", 1, true), r("fract", 1, true),
    r("to_degrees", 1, true), r("to_radians", 1, true),
];

pub fn rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// The partial of a float method with respect to its argument `k` (the
/// receiver is argument 0).
pub fn math_partial(name: &str, k: usize, c: &Ctx) -> Partial {
    let one = c.c(1.0);
    let f = c.float;
    match (name, k) {
        ("sin", 0) => p(fl("cos", &[c.a(0)])),
        ("cos", 0) => p({ let s = fl("sin", &[c.a(0)]); quote!((-#s)) }),
        ("tan", 0) => p({ let y = c.y(); quote!((#one + #y * #y)) }),
        ("asin", 0) => Partial::DivBy({ let a = c.a(0); fl("sqrt", &[quote!(#one - #a * #a)]) }),
        ("acos", 0) => p({ let a = c.a(0); let s = fl("sqrt", &[quote!(#one - #a * #a)]); quote!((-#one / #s)) }),
        ("atan", 0) => Partial::DivBy({ let a = c.a(0); quote!((#one + #a * #a)) }),
        ("atan2", 0) => { let (a, b) = (c.a(0), c.a(1)); p(quote!((#b / (#a * #a + #b * #b)))) }
        ("atan2", 1) => { let (a, b) = (c.a(0), c.a(1)); p(quote!((-#a / (#a * #a + #b * #b)))) }
        ("sinh", 0) => p(fl("cosh", &[c.a(0)])),
        ("cosh", 0) => p(fl("sinh", &[c.a(0)])),
        ("tanh", 0) => p({ let y = c.y(); quote!((#one - #y * #y)) }),
        ("asinh", 0) => Partial::DivBy({ let a = c.a(0); fl("sqrt", &[quote!(#a * #a + #one)]) }),
        ("acosh", 0) => Partial::DivBy({ let a = c.a(0); fl("sqrt", &[quote!(#a * #a - #one)]) }),
        ("atanh", 0) => Partial::DivBy({ let a = c.a(0); quote!((#one - #a * #a)) }),
        ("exp", 0) => p(c.y()),
        ("exp2", 0) => p({ let y = c.y(); let l = c.c(std::f64::consts::LN_2); quote!((#y * #l)) }),
        ("exp_m1", 0) => p({ let y = c.y(); quote!((#y + #one)) }),
        ("ln", 0) => Partial::DivBy(c.a(0)),
        ("ln_1p", 0) => Partial::DivBy({ let a = c.a(0); quote!((#one + #a)) }),
        ("log", 0) => { let (a, b) = (c.a(0), c.a(1)); let lb = fl("ln", &[b]); Partial::DivBy(quote!((#a * #lb))) }
        ("log", 1) => { let b = c.a(1); let lb = fl("ln", &[b.clone()]); let y = c.y(); p(quote!((-#y / (#b * #lb)))) }
        ("log2", 0) => Partial::DivBy({ let a = c.a(0); let l = c.c(std::f64::consts::LN_2); quote!((#a * #l)) }),
        ("log10", 0) => Partial::DivBy({ let a = c.a(0); let l = c.c(std::f64::consts::LN_10); quote!((#a * #l)) }),
        ("sqrt", 0) => Partial::DivBy({ let y = c.y(); let two = c.c(2.0); quote!((#two * #y)) }),
        ("cbrt", 0) => Partial::DivBy({ let y = c.y(); let three = c.c(3.0); quote!((#three * #y * #y)) }),
        ("powi", 0) if c.result_free => {
            let (a, y, n) = (c.a(0), c.y(), c.n());
            p(quote!(::leibniz::__private::dpowi_from_result(#a, #y, #n)))
        }
        ("powi", 0) => p({ let a = c.a(0); let n = c.n(); quote!(::leibniz::__private::dpowi(#a, #n)) }),
        ("powf", 0) => { let (a, b) = (c.a(0), c.a(1)); p(quote!(::leibniz::__private::dpowf_base(#a, #b))) }
        ("powf", 1) => { let a = c.a(0); let y = c.y(); p(quote!(::leibniz::__private::dpowf_exponent(#a, #y))) }
        ("hypot", k) => { let a = c.a(k); let y = c.y(); p(quote!(::leibniz::__private::div0(#a, #y))) }
        ("recip", 0) => p({ let y = c.y(); quote!((-#y * #y)) }),
        ("abs", 0) => p({ let a = c.a(0); quote!(::leibniz::__private::sign0(#a)) }),
        ("signum" | "floor" | "ceil" | "round" | "trunc", _) => Partial::Zero,
        ("fract", 0) => Partial::One,
        ("min" | "max", k) => {
            let (a, b) = (c.a(0), c.a(1));
            let pick = if name == "min" { quote!(picks_first_min) } else { quote!(picks_first_max) };
            let not = if k == 0 { quote!() } else { quote!(!) };
            p(quote!(::leibniz::__private::ind::<#f>(#not ::leibniz::__private::#pick(#a, #b))))
        }
        ("clamp", k) => {
            let (a, lo, hi) = (c.a(0), c.a(1), c.a(2));
            p(match k {
                0 => quote!(::leibniz::__private::ind::<#f>(!(#a < #lo) && !(#a > #hi))),
                1 => quote!(::leibniz::__private::ind::<#f>(#a < #lo)),
                _ => quote!(::leibniz::__private::ind::<#f>(!(#a < #lo) && #a > #hi)),
            })
        }
        ("mul_add", 0) => p(c.a(1)),
        ("mul_add", 1) => p(c.a(0)),
        ("mul_add", _) => Partial::One,
        ("to_degrees", 0) => p(c.c(180.0 / std::f64::consts::PI)),
        ("to_radians", 0) => p(c.c(std::f64::consts::PI / 180.0)),
        _ => Partial::Zero,
    }
}

/// The partial of an arithmetic operator with respect to operand `k`.
pub fn bin_partial(op: Bin, k: usize, c: &Ctx) -> Partial {
    match (op, k) {
        (Bin::Add, _) => Partial::One,
        (Bin::Sub, 0) => Partial::One,
        (Bin::Sub, _) => Partial::NegOne,
        (Bin::Mul, 0) => p(c.a(1)),
        (Bin::Mul, _) => p(c.a(0)),
        (Bin::Div, 0) => Partial::DivBy(c.a(1)),
        (Bin::Div, _) => {
            let b = c.a(1);
            let y = c.y();
            p(quote!((-#y / #b)))
        }
    }
}

/// The primal expression of a float method.
pub fn math_primal(name: &str, args: &[TokenStream], int_arg: Option<&TokenStream>) -> TokenStream {
    match (name, int_arg) {
        ("powi", Some(n)) => {
            let a = &args[0];
            quote!(::leibniz::__private::Float::powi(#a, #n))
        }
        _ => fl(name, args),
    }
}

impl Partial {
    /// `self · d`, or `None` for a zero partial.
    pub fn apply(&self, d: &TokenStream) -> Option<TokenStream> {
        match self {
            Partial::Zero => None,
            Partial::One => Some(d.clone()),
            Partial::NegOne => Some(quote!((-#d))),
            Partial::Mul(e) => Some(quote!((#e * #d))),
            Partial::DivBy(e) => Some(quote!((#d / #e))),
        }
    }
}
