//! The rules leibniz ships for special functions (feature `special`, on in
//! the test suite): each name, called the ways users call it, checked
//! against central finite differences of the function itself at many
//! points, near its singularities included, and its second derivative
//! against finite differences of the first.

use leibniz::prelude::*;

fn fd(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    // Step scaled to x and to the distance to the nearest pole of the gamma
    // family (0, -1, -2, ..), Richardson-extrapolated central differences.
    let pole = if x <= 0.0 { (x - x.round()).abs() } else { x };
    let h = 1e-4 * x.abs().clamp(1e-2, 1.0).min(pole);
    let d1 = (f(x + h) - f(x - h)) / (2.0 * h);
    let d2 = (f(x + h / 2.0) - f(x - h / 2.0)) / h;
    (4.0 * d2 - d1) / 3.0
}

#[track_caller]
fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!((got - want).abs() <= tol * (1.0 + want.abs()), "{what}: got {got}, want {want}");
}

#[differentiable]
fn lg(x: f64) -> f64 {
    leibniz::special::lgamma(x)
}
#[differentiable]
fn tg(x: f64) -> f64 {
    leibniz::special::tgamma(x)
}
#[differentiable]
fn dg(x: f64) -> f64 {
    leibniz::special::digamma(x)
}
#[differentiable]
fn trg(x: f64) -> f64 {
    leibniz::special::trigamma(x)
}
#[differentiable]
fn ef(x: f64) -> f64 {
    leibniz::special::erf(x)
}
#[differentiable]
fn efc(x: f64) -> f64 {
    leibniz::special::erfc(x)
}
/// libm's own functions, by their usual path.
#[differentiable]
fn libm_mix(x: f64) -> f64 {
    libm::lgamma(x) + libm::erf(x) * libm::tgamma(x)
}
#[differentiable]
fn libm_f32(x: f32) -> f32 {
    libm::lgammaf(x) + libm::erff(x) + libm::tgammaf(x) - libm::erfcf(x)
}
#[differentiable]
fn generic_lgamma<T: leibniz::Float + leibniz::special::SpecialFloat>(x: T) -> T {
    leibniz::special::lgamma(x) * x
}

/// Points away from the poles, near them, and far out.
fn points() -> Vec<f64> {
    let mut v = vec![1e-3, 0.01, 0.1, 0.5, 1.0, 1.4616, 2.0, 3.7, 10.0, 55.5, -0.5, -1.5, -2.5, -0.999, -1.001, -3.3];
    for k in 0..20 {
        v.push(0.05 + 0.37 * k as f64);
    }
    v
}

#[test]
fn first_derivatives_against_finite_differences() {
    for x in points() {
        close(lg_derivative(x), fd(lg, x), 1e-6, &format!("lgamma'({x})"));
        close(tg_derivative(x), fd(tg, x), 1e-6, &format!("tgamma'({x})"));
        close(dg_derivative(x), fd(dg, x), 1e-6, &format!("digamma'({x})"));
        close(trg_derivative(x), fd(trg, x), 1e-5, &format!("trigamma'({x})"));
        if x.abs() < 6.0 {
            close(ef_derivative(x), fd(ef, x), 1e-7, &format!("erf'({x})"));
            close(efc_derivative(x), fd(efc, x), 1e-7, &format!("erfc'({x})"));
        }
        if x > 0.0 && x < 30.0 {
            close(libm_mix_derivative(x), fd(libm_mix, x), 1e-6, &format!("libm mix'({x})"));
        }
    }
    // Far out erf's derivative underflows to exactly zero, not NaN.
    assert_eq!(ef_derivative(40.0), 0.0);
    assert_eq!(efc_derivative(-40.0), -0.0);
}

#[test]
fn reverse_mode_agrees() {
    for x in points() {
        let (v, g) = lg_grad(x);
        assert_eq!(v, lg(x));
        close(g, lg_derivative(x), 1e-14, "lgamma grad vs derivative");
        let (_, g) = tg_grad(x);
        close(g, tg_derivative(x), 1e-14, "tgamma grad vs derivative");
    }
}

#[test]
fn second_derivatives_against_finite_differences_of_the_first() {
    for x in points() {
        close(lg_second_derivative(x), fd(lg_derivative, x), 1e-5, &format!("lgamma''({x})"));
        close(tg_second_derivative(x), fd(tg_derivative, x), 1e-5, &format!("tgamma''({x})"));
        close(dg_second_derivative(x), fd(dg_derivative, x), 1e-5, &format!("digamma''({x})"));
        if x.abs() < 6.0 {
            close(ef_second_derivative(x), fd(ef_derivative, x), 1e-6, &format!("erf''({x})"));
            close(efc_second_derivative(x), fd(efc_derivative, x), 1e-6, &format!("erfc''({x})"));
        }
    }
    // Closed forms: lgamma'' = trigamma, erf'' = -2x erf'.
    for x in [0.3, 2.5, 7.0] {
        close(lg_second_derivative(x), leibniz::special::trigamma(x), 1e-13, "lgamma'' = trigamma");
        close(ef_second_derivative(x), -2.0 * x * ef_derivative(x), 1e-13, "erf'' = -2x erf'");
    }
}

#[test]
fn f32_names_and_generics() {
    for x in [0.3_f32, 1.7, 2.5, 4.0] {
        let h = 1e-2_f32;
        let want = (libm_f32(x + h) - libm_f32(x - h)) / (2.0 * h);
        let got = libm_f32_derivative(x);
        assert!((got - want).abs() < 2e-2 * (1.0 + want.abs()), "f32 at {x}: {got} vs {want}");
        let g64 = generic_lgamma_derivative(x as f64);
        let g32 = generic_lgamma_derivative(x);
        assert!((g64 as f32 - g32).abs() < 1e-4 * (1.0 + g32.abs()));
    }
}

/// A Gamma likelihood fit: the gradient in the shape goes through lgamma,
/// its Hessian through digamma's rule.
#[test]
fn gamma_likelihood_hessian() {
    #[differentiable]
    fn nll(p: &[f64], xs: &[f64]) -> f64 {
        let (k, theta) = (p[0], p[1]);
        let mut s = 0.0;
        for i in 0..xs.len() {
            s += leibniz::special::lgamma(k) + k * theta.ln() - (k - 1.0) * xs[i].ln() + xs[i] / theta;
        }
        s
    }
    let xs = [1.2, 0.7, 3.1, 2.2];
    let p = [2.0, 1.5];
    let (_, _, h) = nll_hessian(&p, &xs);
    let fd_h = leibniz::check::fd_hessian(|q| nll(q, &xs), &p);
    for i in 0..2 {
        for j in 0..2 {
            close(h[i][j], fd_h[i][j], 1e-5, &format!("H[{i}][{j}]"));
        }
    }
    // H[0][0] = n trigamma(k)
    close(h[0][0], 4.0 * leibniz::special::trigamma(2.0), 1e-12, "H[0][0]");
}
