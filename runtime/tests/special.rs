//! Special functions (feature `special`): values against mpmath references
//! and known constants at f64 and f32, identities, poles, and every first
//! and second derivative against central finite differences, including
//! next to the poles.
#![cfg(feature = "special")]

use leibniz_runtime::Float;
use leibniz_runtime::special::*;

use std::f64::consts::PI;

const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;
const ZETA3: f64 = 1.202_056_903_159_594_3;

// Generated with mpmath at 50 digits: (x, f(x)) with x exactly the float given.
const PSI0: &[(f64, f64)] = &[
    (1e-300, -9.999999999999999e+299),
    (1e-10, -10000000000.577215),
    (0.001, -1000.5755719318103),
    (0.1, -10.423754940411076),
    (0.5, -1.9635100260214235),
    (1.0, -0.5772156649015329),
    (1.25, -0.22745353337626542),
    (1.46, -0.0015805619870834522),
    (1.4616321, -4.3514636958769774e-08),
    (1.4616321449683622, -9.241265521729427e-17),
    (1.47, 0.008066489011364869),
    (1.5, 0.03648997397857652),
    (2.0, 0.42278433509846713),
    (2.5, 0.7031566406452432),
    (3.7, 1.1671535393615113),
    (6.0, 1.7061176684318005),
    (9.99, 2.250700372831201),
    (10.0, 2.251752589066721),
    (10.01, 2.2528037003181356),
    (25.0, 3.198742512851974),
    (100.0, 4.600161852738087),
    (1000.0, 6.907255195648812),
    (1000000.0, 13.815510057964191),
    (1000000000000000.0, 34.538776394910684),
    (1e+100, 230.25850929940458),
    (-0.5, 0.03648997397857652),
    (-1.5, 0.7031566406452432),
    (-2.999, -998.7408763243631),
    (-0.001, 999.4211381978913),
    (-1e-10, 9999999999.422785),
    (-0.999, -999.5745709308084),
    (-1.001, 1000.4201391970025),
    (-7.3, 4.33730730551005),
    (-20.5, 3.044616882512525),
    (-100.25, 7.754238959208646),
    (-999999.5, 13.815510557964316),
    (-0.25, 2.9141391202135276),
    (-3.75, -1.6923885983113303),
];
const PSI0_F32: &[(f32, f64)] = &[
    (1e-10, -9999999867.062899),
    (0.001, -1000.5755244342832),
    (0.1, -10.423754789263684),
    (0.5, -1.9635100260214235),
    (1.0, -0.5772156649015329),
    (1.25, -0.22745353337626542),
    (1.46, -0.0015805250181043615),
    (1.4616321, -1.203605254910667e-08),
    (1.4616321, -1.203605254910667e-08),
    (1.47, 0.008066516486231664),
    (1.5, 0.03648997397857652),
    (2.0, 0.42278433509846713),
    (2.5, 0.7031566406452432),
    (3.7, 1.1671535541452684),
    (6.0, 1.7061176684318005),
    (9.99, 2.250700348735219),
    (1e+01, 2.251752589066721),
    (10.01, 2.252803724363535),
    (25.0, 3.198742512851974),
    (1e+02, 4.600161852738087),
    (1e+03, 6.907255195648812),
    (1e+06, 13.815510057964191),
    (1e+15, 34.53877638190179),
    (-0.5, 0.03648997397857652),
    (-1.5, 0.7031566406452432),
    (-2.999, -998.8133610437925),
    (-0.001, 999.4210907003641),
    (-1e-10, 9999999865.908466),
    (-0.999, -999.5874457338857),
    (-1.001, 1000.3734112153661),
    (-7.3, 4.337304453761273),
    (-20.5, 3.044616882512525),
    (-100.25, 7.754238959208646),
    (-999999.5, 13.815510557964316),
    (-0.25, 2.9141391202135276),
    (-3.75, -1.6923885983113303),
];
const PSI1: &[(f64, f64)] = &[
    (1e-300, f64::INFINITY),
    (1e-10, 1e+20),
    (0.001, 1000001.6425331958),
    (0.1, 101.43329915079275),
    (0.5, 4.934802200544679),
    (1.0, 1.6449340668482264),
    (1.25, 1.1973291545071107),
    (1.46, 0.9691196215098878),
    (1.4616321, 0.9676722852682919),
    (1.4616321449683622, 0.9676722454476212),
    (1.47, 0.9603162090511507),
    (1.5, 0.9348022005446793),
    (2.0, 0.6449340668482264),
    (2.5, 0.49035775610023485),
    (3.7, 0.3100378576700383),
    (6.0, 0.18132295573711532),
    (9.99, 0.10527695014824179),
    (10.0, 0.10516633568168575),
    (10.01, 0.10505595320551508),
    (25.0, 0.04081066325722558),
    (100.0, 0.010050166663333571),
    (1000.0, 0.0010005001666666333),
    (1000000.0, 1.0000005000001667e-06),
    (1000000000000000.0, 1.0000000000000005e-15),
    (1e+100, 1e-100),
    (-0.5, 8.934802200544679),
    (-1.5, 9.379246644989124),
    (-2.999, 1000003.00597183),
    (-0.001, 1000001.6473414317),
    (-1e-10, 1e+20),
    (-0.999, 1000002.6445361981),
    (-1.001, 1000002.645344648),
    (-7.3, 14.951383181433922),
    (-20.5, 9.82199434464988),
    (-100.25, 19.729283325349364),
    (-999999.5, 9.869603401089359),
    (-0.25, 18.541879647671607),
    (-3.75, 19.504980060599575),
];
const PSI1_F32: &[(f32, f64)] = &[
    (1e-10, 9.999999732971366e+19),
    (0.001, 1000001.5475382999),
    (0.1, 101.43329616778679),
    (0.5, 4.934802200544679),
    (1.0, 1.6449340668482264),
    (1.25, 1.1973291545071107),
    (1.46, 0.9691195876329723),
    (1.4616321, 0.9676722564619307),
    (1.4616321, 0.9676722564619307),
    (1.47, 0.960316184083453),
    (1.5, 0.9348022005446793),
    (2.0, 0.6449340668482264),
    (2.5, 0.49035775610023485),
    (3.7, 0.3100378531212356),
    (6.0, 0.18132295573711532),
    (9.99, 0.10527695268266656),
    (1e+01, 0.10516633568168575),
    (10.01, 0.10505595068171013),
    (25.0, 0.04081066325722558),
    (1e+02, 0.010050166663333571),
    (1e+03, 0.0010005001666666333),
    (1e+06, 1.0000005000001667e-06),
    (1e+15, 1.0000000130088966e-15),
    (-0.5, 8.934802200544679),
    (-1.5, 9.379246644989124),
    (-2.999, 1000147.9802289557),
    (-0.001, 1000001.5523465361),
    (-1e-10, 9.999999732971366e+19),
    (-0.999, 1000028.3942400226),
    (-1.001, 999909.1918121217),
    (-7.3, 14.95137005485067),
    (-20.5, 9.82199434464988),
    (-100.25, 19.729283325349364),
    (-999999.5, 9.869603401089359),
    (-0.25, 18.541879647671607),
    (-3.75, 19.504980060599575),
];
const PSI2: &[(f64, f64)] = &[
    (1e-300, f64::NEG_INFINITY),
    (1e-10, -1.9999999999999998e+30),
    (0.001, -2000000002.3976321),
    (0.1, -2001.8614573783436),
    (0.5, -16.82879664423432),
    (1.0, -2.4041138063191885),
    (1.25, -1.3277399375369203),
    (1.46, -0.8880630425818332),
    (1.4616321, -0.8855264077130536),
    (1.4616321449683622, -0.8855263379671844),
    (1.47, -0.872684306995607),
    (1.5, -0.82879664423432),
    (2.0, -0.4041138063191886),
    (2.5, -0.2362040516417274),
    (3.7, -0.09539530872855403),
    (6.0, -0.0327897322451145),
    (9.99, -0.011073070531461051),
    (10.0, -0.011049834970802067),
    (10.01, -0.011026672403393367),
    (25.0, -0.001665279318422468),
    (100.0, -0.00010100499983335),
    (1000.0, -1.0010004999998333e-06),
    (1000000.0, -1.0000010000005e-12),
    (1000000000000000.0, -1.000000000000001e-30),
    (1e+100, -1e-200),
    (-0.5, -0.82879664423432),
    (-1.5, -0.2362040516417274),
    (-2.999, -2000000000.0677576),
    (-0.001, 1999999997.5893795),
    (-1e-10, 1.9999999999999998e+30),
    (-0.999, -2000000000.391615),
    (-1.001, 1999999999.5840526),
    (-7.3, 68.82117406359033),
    (-20.5, -0.002266289919637797),
    (-100.25, 124.0250082069177),
    (-999999.5, -9.9999999999975e-13),
    (-0.25, 122.69736678366236),
    (-3.75, -124.07972713378925),
];
const PSI2_F32: &[(f32, f64)] = &[
    (1e-10, -1.9999999198914105e+30),
    (0.001, -1999999717.4129515),
    (0.1, -2001.8613679646548),
    (0.5, -16.82879664423432),
    (1.0, -2.4041138063191885),
    (1.25, -1.3277399375369203),
    (1.46, -0.8880629831703021),
    (1.4616321, -0.8855263572587372),
    (1.4616321, -0.8855263572587372),
    (1.47, -0.8726842635503409),
    (1.5, -0.82879664423432),
    (2.0, -0.4041138063191886),
    (2.5, -0.2362040516417274),
    (3.7, -0.09539530594958444),
    (6.0, -0.0327897322451145),
    (9.99, -0.011073071064118528),
    (1e+01, -0.011049834970802067),
    (10.01, -0.0110266718740773),
    (25.0, -0.001665279318422468),
    (1e+02, -0.00010100499983335),
    (1e+03, -1.0010004999998333e-06),
    (1e+06, -1.0000010000005e-12),
    (1e+15, -1.0000000260177936e-30),
    (-0.5, -0.82879664423432),
    (-1.5, -0.2362040516417274),
    (-2.999, -2000434938.6018915),
    (-0.001, 1999999712.6046991),
    (-1e-10, 1.9999999198914105e+30),
    (-0.999, -2000077250.000357),
    (-1.001, 1999719645.5366883),
    (-7.3, 68.82102738546573),
    (-20.5, -0.002266289919637797),
    (-100.25, 124.0250082069177),
    (-999999.5, -9.9999999999975e-13),
    (-0.25, 122.69736678366236),
    (-3.75, -124.07972713378925),
];
const TGAMMA: &[(f64, f64)] = &[
    (0.001, 999.4237724845955),
    (0.5, 1.772453850905516),
    (1.0, 1.0),
    (2.5, 1.329340388179137),
    (5.0, 24.0),
    (10.0, 362880.0),
    (20.5, 5.406242982335075e+17),
    (30.5, 4.822696933490909e+31),
    (50.0, 6.082818640342675e+62),
    (100.5, 9.320963104082716e+156),
    (170.0, 4.269068009004705e+304),
    (171.5, 9.4833675668248e+307),
    (-0.5, -3.544907701811032),
    (-1.5, 2.363271801207355),
    (-2.999, -166.8764019691384),
    (-0.001, -1000.5782056293586),
    (-7.3, 0.000418387873013548),
    (-20.5, -2.834656574391335e-19),
    (-150.5, -4.478447658150641e-264),
];
const TGAMMA_F32: &[(f32, f64)] = &[
    (0.001, 999.4237249871933),
    (0.5, 1.772453850905516),
    (1.0, 1.0),
    (2.5, 1.329340388179137),
    (5.0, 24.0),
    (1e+01, 362880.0),
    (20.5, 5.406242982335075e+17),
    (30.5, 4.822696933490909e+31),
    (-0.5, -3.544907701811032),
    (-1.5, 2.363271801207355),
    (-2.999, -166.88848269165854),
    (-0.001, -1000.5781581319567),
    (-7.3, 0.00041838752689167747),
    (-20.5, -2.834656574391335e-19),
];
const LGAMMA: &[(f64, f64)] = &[
    (1e-300, 690.7755278982137),
    (0.001, 6.907178885383853),
    (0.5, 0.5723649429247001),
    (1.0, 0.0),
    (1.5, -0.12078223763524522),
    (2.0, 0.0),
    (2.5, 0.2846828704729192),
    (3.0, std::f64::consts::LN_2),
    (10.0, 12.801827480081469),
    (100.5, 361.4355404677776),
    (1000000.0, 12815504.569147611),
    (1000000000000000.0, 3.3538776394910668e+16),
    (1e+30, 6.807755278982137e+31),
    (1e+300, 6.897755278982137e+302),
    (-0.5, 1.2655121234846454),
    (-1.5, 0.860047015376481),
    (-2.5, -0.056243716497674054),
    (-2.999, 5.117253430432412),
    (-0.001, 6.908333317515028),
    (-7.3, -7.779101629826852),
    (-100.25, -363.4009232278215),
];
const LGAMMA_F32: &[(f32, f64)] = &[
    (0.001, 6.907178837859066),
    (0.5, 0.5723649429247001),
    (1.5, -0.12078223763524522),
    (2.5, 0.2846828704729192),
    (3.0, std::f64::consts::LN_2),
    (1e+01, 12.801827480081469),
    (100.5, 361.4355404677776),
    (1e+06, 12815504.569147611),
    (1e+15, 3.353877594559932e+16),
    (1e+30, 6.807755382926351e+31),
    (-0.5, 1.2655121234846454),
    (-1.5, 0.860047015376481),
    (-2.5, -0.056243716497674054),
    (-2.999, 5.117325821046768),
    (-0.001, 6.908333270045072),
    (-7.3, -7.779102457102296),
    (-100.25, -363.4009232278215),
];
const ERF: &[(f64, f64)] = &[
    (1e-10, 1.1283791670955126e-10),
    (0.001, 0.0011283787909692365),
    (0.1, 0.1124629160182849),
    (0.5, 0.5204998778130465),
    (1.0, 0.8427007929497149),
    (1.5, 0.9661051464753108),
    (2.0, 0.9953222650189527),
    (3.0, 0.9999779095030014),
    (4.0, 0.9999999845827421),
    (5.9, 0.9999999999999999),
    (-0.5, -0.5204998778130465),
    (-2.0, -0.9953222650189527),
    (-3.3, -0.9999969422902035),
];
const ERF_F32: &[(f32, f64)] = &[
    (1e-10, 1.1283791821609903e-10),
    (0.001, 0.0011283788445643173),
    (0.1, 0.11246291768297051),
    (0.5, 0.5204998778130465),
    (1.0, 0.8427007929497149),
    (1.5, 0.9661051464753108),
    (2.0, 0.9953222650189527),
    (3.0, 0.9999779095030014),
    (4.0, 0.9999999845827421),
    (5.9, 0.9999999999999999),
    (-0.5, -0.5204998778130465),
    (-2.0, -0.9953222650189527),
    (-3.3, -0.9999969422892004),
];
const ERFC: &[(f64, f64)] = &[
    (0.001, 0.9988716212090307),
    (0.5, 0.4795001221869535),
    (1.0, 0.15729920705028513),
    (2.0, 0.004677734981047266),
    (3.0, 2.209049699858544e-05),
    (5.0, 1.537459794428035e-12),
    (9.0, 4.13703174651381e-37),
    (10.0, 2.088487583762545e-45),
    (20.0, 5.395865611607901e-176),
    (26.0, 5.663192408856143e-296),
    (-1.0, 1.8427007929497148),
    (-3.0, 1.9999779095030015),
];
const ERFC_F32: &[(f32, f64)] = &[
    (0.001, 0.9988716211554357),
    (0.5, 0.4795001221869535),
    (1.0, 0.15729920705028513),
    (2.0, 0.004677734981047266),
    (3.0, 2.209049699858544e-05),
    (5.0, 1.537459794428035e-12),
    (9.0, 4.13703174651381e-37),
    (-1.0, 1.8427007929497148),
    (-3.0, 1.9999779095030015),
];

fn rel(a: f64, b: f64) -> f64 {
    if a == b { 0.0 } else { ((a - b) / b).abs() }
}

fn table64(name: &str, t: &[(f64, f64)], f: fn(f64) -> f64, tol: f64) {
    for &(x, v) in t {
        let got = f(x);
        if v.is_infinite() {
            assert_eq!(got, v, "{name}({x:e})");
        } else {
            assert!(
                rel(got, v) <= tol,
                "{name}({x:e}) = {got:e}, expected {v:e}: rel. error {:.2e}",
                rel(got, v)
            );
        }
    }
}

fn table32(name: &str, t: &[(f32, f64)], f: fn(f32) -> f32, tol: f64) {
    for &(x, v) in t {
        let got = f64::from(f(x));
        assert!(
            rel(got, v) <= tol,
            "{name}({x:e}_f32) = {got:e}, expected {v:e}: rel. error {:.2e}",
            rel(got, v)
        );
    }
}

#[test]
fn polygamma_values_f64() {
    table64("digamma", PSI0, digamma, 2e-15);
    table64("trigamma", PSI1, trigamma, 2e-15);
    table64("tetragamma", PSI2, tetragamma, 2e-15);
}

#[test]
fn polygamma_values_f32() {
    table32("digamma", PSI0_F32, digamma, 1e-6);
    table32("trigamma", PSI1_F32, trigamma, 1e-6);
    table32("tetragamma", PSI2_F32, tetragamma, 1e-6);
}

#[test]
fn libm_values() {
    table64("tgamma", TGAMMA, tgamma, 4e-15);
    table64("lgamma", LGAMMA, lgamma, 4e-15);
    table64("erf", ERF, erf, 4e-15);
    table64("erfc", ERFC, erfc, 4e-15);
    table32("tgamma", TGAMMA_F32, tgamma, 1e-6);
    table32("lgamma", LGAMMA_F32, lgamma, 1e-6);
    table32("erf", ERF_F32, erf, 1e-6);
    table32("erfc", ERFC_F32, erfc, 1e-6);
}

#[test]
fn known_constants() {
    assert!((digamma(1.0_f64) + EULER_GAMMA).abs() < 1e-16);
    assert!((digamma(1.0_f32) + EULER_GAMMA as f32).abs() < 1e-7);
    assert!((trigamma(1.0_f64) - PI * PI / 6.0).abs() < 1e-15);
    assert!((trigamma(1.0_f32) - (PI * PI / 6.0) as f32).abs() < 2e-7);
    assert!((tetragamma(1.0_f64) + 2.0 * ZETA3).abs() < 1e-15);
    // ψ(1/2) = −γ − 2 ln 2, ψ₁(1/2) = π²/2, ψ₂(1/2) = −14 ζ(3)
    assert!((digamma(0.5_f64) + EULER_GAMMA + 2.0 * 2f64.ln()).abs() < 1e-15);
    assert!((trigamma(0.5_f64) - PI * PI / 2.0).abs() < 1e-14);
    assert!((tetragamma(0.5_f64) + 14.0 * ZETA3).abs() < 1e-14);
    // ψ(n) = H_{n-1} − γ
    let h9: f64 = (1..10).map(|k| 1.0 / k as f64).sum();
    assert!((digamma(10.0_f64) - (h9 - EULER_GAMMA)).abs() < 1e-15);
    assert_eq!(tgamma(5.0_f64), 24.0);
    assert_eq!(tgamma(5.0_f32), 24.0);
    assert!((tgamma(0.5_f64) - PI.sqrt()).abs() < 1e-15);
    assert!((erf(1.0_f64) - 0.842_700_792_949_714_9).abs() < 1e-16);
    assert!((erf(1.0_f32) - 0.842_700_8).abs() < 1e-7);
    assert!((erfc(1.0_f64) - (1.0 - 0.842_700_792_949_714_9)).abs() < 1e-16);
    assert!((lgamma(3.0_f64) - 2f64.ln()).abs() < 1e-16);
    // derivatives at known points: Γ′(1) = −γ, Γ″(1) = γ² + π²/6, (ln Γ)′(1) = −γ
    assert!((tgamma_d1(1.0_f64) + EULER_GAMMA).abs() < 1e-15);
    assert!((tgamma_d2(1.0_f64) - (EULER_GAMMA * EULER_GAMMA + PI * PI / 6.0)).abs() < 1e-15);
    assert!((lgamma_d1(1.0_f64) + EULER_GAMMA).abs() < 1e-16);
    assert!((lgamma_d2(1.0_f64) - PI * PI / 6.0).abs() < 1e-15);
    assert!((erf_d1(0.0_f64) - 2.0 / PI.sqrt()).abs() < 1e-16);
    assert_eq!(erf_d2(0.0_f64), 0.0);
    // the trait methods are the same functions
    assert_eq!(2.5_f64.digamma(), digamma(2.5));
    assert_eq!(2.5_f32.trigamma(), trigamma(2.5_f32));
    assert_eq!((-0.3_f64).tetragamma(), tetragamma(-0.3));
    assert_eq!(2.5_f64.lgamma(), lgamma(2.5));
}

#[test]
fn recurrences_and_reflections() {
    // a grid over both signs, avoiding the poles
    for i in -400..400 {
        let x = i as f64 * 0.0625 + 0.03125;
        // ψ(x + 1) = ψ(x) + 1/x, ψ₁(x + 1) = ψ₁(x) − 1/x², ψ₂(x + 1) = ψ₂(x) + 2/x³
        let (p, q) = (digamma(x + 1.0), digamma(x) + 1.0 / x);
        assert!(
            (p - q).abs() <= 1e-14 * (p.abs() + 1.0 / x.abs()),
            "ψ at {x}: {p} {q}"
        );
        let (p, q) = (trigamma(x + 1.0), trigamma(x) - 1.0 / (x * x));
        assert!(
            (p - q).abs() <= 1e-14 * (p.abs() + 1.0 / (x * x)),
            "ψ₁ at {x}: {p} {q}"
        );
        let (p, q) = (tetragamma(x + 1.0), tetragamma(x) + 2.0 / (x * x * x));
        assert!(
            (p - q).abs() <= 1e-14 * (p.abs() + 2.0 / (x * x * x).abs()),
            "ψ₂ at {x}: {p} {q}"
        );
        // reflection: ψ(1 − x) − ψ(x) = π cot(πx), ψ₁(1 − x) + ψ₁(x) = π² / sin²(πx)
        // (sin, cos of π(x − round(x)): the same cot and sin², without the
        // rounding of πx)
        let r = x - x.round();
        let (s, c) = ((PI * r).sin(), (PI * r).cos());
        let (p, q) = (digamma(1.0 - x) - digamma(x), PI * c / s);
        assert!(
            (p - q).abs() <= 1e-13 * (1.0 + q.abs() + digamma(x).abs()),
            "reflection ψ at {x}: {p} {q}"
        );
        let (p, q) = (trigamma(1.0 - x) + trigamma(x), PI * PI / (s * s));
        assert!((p - q).abs() <= 1e-13 * q, "reflection ψ₁ at {x}: {p} {q}");
        // f32 recurrences to f32 rounding
        let xf = x as f32;
        let (p, q) = (digamma(xf + 1.0), digamma(xf) + 1.0 / xf);
        assert!(
            (p - q).abs() <= 1e-5 * (p.abs() + 1.0 / xf.abs()),
            "ψ f32 at {xf}: {p} {q}"
        );
    }
}

#[test]
fn poles_and_special_values() {
    for f in [digamma::<f64>, tetragamma::<f64>] {
        assert_eq!(f(0.0), f64::NEG_INFINITY);
        assert_eq!(f(-0.0), f64::INFINITY);
        for n in [-1.0, -2.0, -3.0, -50.0, -1e20] {
            assert!(f(n).is_nan());
        }
        assert!(f(f64::NEG_INFINITY).is_nan());
        assert!(f(f64::NAN).is_nan());
    }
    assert_eq!(digamma(f64::INFINITY), f64::INFINITY);
    let t = tetragamma(f64::INFINITY);
    assert!(t == 0.0 && t.is_sign_negative());
    assert_eq!(trigamma(0.0_f64), f64::INFINITY);
    assert_eq!(trigamma(-0.0_f64), f64::INFINITY);
    assert_eq!(trigamma(-4.0_f64), f64::INFINITY);
    assert_eq!(trigamma(f64::INFINITY), 0.0);
    assert!(trigamma(f64::NEG_INFINITY).is_nan());
    assert!(trigamma(f64::NAN).is_nan());
    // f32 the same
    assert_eq!(digamma(0.0_f32), f32::NEG_INFINITY);
    assert!(digamma(-3.0_f32).is_nan());
    assert_eq!(trigamma(-3.0_f32), f32::INFINITY);
    // libm at the poles
    assert_eq!(lgamma(0.0_f64), f64::INFINITY);
    assert_eq!(lgamma(-2.0_f64), f64::INFINITY);
    assert!(tgamma(-2.0_f64).is_nan());
    assert_eq!(tgamma(0.0_f64), f64::INFINITY);
    assert_eq!(tgamma(-0.0_f64), f64::NEG_INFINITY);
    assert_eq!(tgamma(172.0_f64), f64::INFINITY);
    assert_eq!(erf(f64::INFINITY), 1.0);
    assert_eq!(erfc(f64::INFINITY), 0.0);
    assert_eq!(erfc(f64::NEG_INFINITY), 2.0);
    // derivatives stay finite where the function is, next to the poles
    for x in [-2.999_f64, -1e-3, 1e-3, -0.999, -1.001] {
        for d in [
            digamma::<f64>,
            trigamma,
            tetragamma,
            lgamma_d1,
            lgamma_d2,
            tgamma_d1,
            tgamma_d2,
        ] {
            assert!(d(x).is_finite(), "at {x}");
        }
    }
    // large arguments
    assert!(digamma(1e300_f64).is_finite() && trigamma(1e300_f64) > 0.0);
    assert!((digamma(1e15_f64) - 1e15_f64.ln()).abs() < 1e-14);
    assert!((tgamma_d1(170.0_f64) / (tgamma(170.0_f64) * digamma(170.0_f64)) - 1.0).abs() < 1e-15);
}

#[test]
fn near_the_positive_zero_of_digamma() {
    // relative accuracy holds around x₀ ≈ 1.4616: against the Taylor
    // polynomial ψ₁(x₀) d + ψ₂(x₀) d²/2 + ψ₃(x₀) d³/6 (mpmath values)
    let x0_lo = 9.549_995_429_965_697e-17;
    let (p1, p2, p3) = (
        0.967_672_245_447_621_2,
        -0.885_526_337_967_184_2,
        1.550_998_565_733_906,
    );
    for d in [
        1e-3, 1e-5, 1e-7, 1e-9, 1e-12, 1e-14, -1e-4, -1e-8, -1e-11, -1e-15,
    ] {
        let x = 1.461_632_144_968_362_2_f64 + d;
        let dx = (x - 1.461_632_144_968_362_2) - x0_lo; // x − x₀ to ~1e-32
        let taylor = dx * (p1 + dx * (p2 / 2.0 + dx * p3 / 6.0));
        let got = digamma(x);
        assert!(
            rel(got, taylor) < 2.0 * d.abs().powi(3) + 4e-15,
            "{x}: {got:e} vs {taylor:e}"
        );
    }
}

// ---------------------------------------------------------------------------
// Derivatives against central finite differences
// ---------------------------------------------------------------------------

/// Central difference of `f` at `x` with Richardson extrapolation, the
/// step scaled to `x` and limited by `room` (the distance to the nearest
/// singularity): `(reference, error estimate)`.
fn fd<F: Float>(f: &dyn Fn(F) -> F, x: F, room: f64) -> (f64, f64) {
    let eps = F::epsilon().to_f64().unwrap();
    let xs = x.to_f64().unwrap();
    let scale = xs.abs().max(1.0).min(room / 8.0);
    let h0 = eps.cbrt() * scale;
    let mut fmax = f(x).to_f64().unwrap().abs();
    let mut d = [0.0; 3];
    for (k, dk) in d.iter_mut().enumerate() {
        let h = F::from(h0 * f64::from(1u32 << k)).unwrap();
        let (xp, xm) = (x + h, x - h);
        let (fp, fm) = (f(xp).to_f64().unwrap(), f(xm).to_f64().unwrap());
        fmax = fmax.max(fp.abs()).max(fm.abs());
        *dk = (fp - fm) / (xp - xm).to_f64().unwrap();
    }
    let r1 = d[0] + (d[0] - d[1]) / 3.0;
    let r2 = d[1] + (d[1] - d[2]) / 3.0;
    (r1, (r1 - r2).abs() + 4.0 * eps * fmax / h0)
}

/// The distance from `x` to the nearest pole of Γ (0, −1, −2, ...).
fn gamma_room(x: f64) -> f64 {
    if x > 0.0 { x } else { (x - x.round()).abs() }
}

/// `d` against central finite differences of `f` at `x`: relative error
/// up to `64 eps^(2/3)` plus the estimated error of the difference.
fn derivative_error<F: Float>(
    f: &dyn Fn(F) -> F,
    d: &dyn Fn(F) -> F,
    x: F,
    room: f64,
) -> Result<(), String> {
    let eps = F::epsilon().to_f64().unwrap();
    let rtol = 64.0 * eps.powf(2.0 / 3.0);
    let (reference, est) = fd(f, x, room);
    let got = d(x).to_f64().unwrap();
    let err = (got - reference).abs();
    if err <= rtol * got.abs() + est {
        Ok(())
    } else {
        Err(format!(
            "at {:e} ({}): {got:e} vs FD {reference:e}, error {err:.2e} > {:.2e}",
            x.to_f64().unwrap(),
            std::any::type_name::<F>(),
            rtol * got.abs() + est
        ))
    }
}

fn check_derivative<F: Float>(name: &str, f: &dyn Fn(F) -> F, d: &dyn Fn(F) -> F, x: F, room: f64) {
    if let Err(e) = derivative_error(f, d, x, room) {
        panic!("{name} {e}");
    }
}

#[test]
fn the_finite_difference_check_is_sharp() {
    // a derivative off by 1e-7 (f64) or 1% (f32) fails, even next to a pole
    for &x in &[1e-3, -0.5, -2.999, 3.3, 170.0] {
        let room = gamma_room(x);
        let off = |x: f64| lgamma_d1(x) * (1.0 + 1e-7) + 1e-7;
        assert!(
            derivative_error(&lgamma::<f64>, &off, x, room).is_err(),
            "{x}"
        );
        let off2 = |x: f64| tgamma_d2(x) * (1.0 + 1e-7);
        if x < 171.0 {
            assert!(
                derivative_error(&tgamma_d1::<f64>, &off2, x, room).is_err(),
                "{x}"
            );
        }
        let off32 = |x: f32| digamma_d1(x) * 1.01;
        assert!(
            derivative_error(&digamma::<f32>, &off32, x as f32, room).is_err(),
            "{x}"
        );
    }
}

const GAMMA_POINTS: [f64; 21] = [
    1e-3, 0.01, 0.1, 0.5, 1.0, 1.4616, 2.0, 3.3, 7.5, 9.99, 10.01, 25.0, -0.5, -1.5, -2.999,
    -0.001, -0.999, -1.001, -7.3, -20.5, -2.5,
];

fn derivative_cases<F: Float + SpecialFloat>(gamma_max: f64) {
    let c = |v: f64| F::from(v).unwrap();
    let big: &[f64] = &[170.0, 1e3, 1e6];
    for &x in GAMMA_POINTS.iter().chain(big) {
        let room = gamma_room(x);
        let xf = c(x);
        check_derivative("lgamma'", &lgamma::<F>, &lgamma_d1::<F>, xf, room);
        check_derivative("lgamma''", &lgamma_d1::<F>, &lgamma_d2::<F>, xf, room);
        check_derivative("digamma'", &digamma::<F>, &digamma_d1::<F>, xf, room);
        check_derivative("digamma''", &digamma_d1::<F>, &digamma_d2::<F>, xf, room);
        check_derivative("trigamma'", &trigamma::<F>, &trigamma_d1::<F>, xf, room);
        if x <= gamma_max {
            check_derivative("tgamma'", &tgamma::<F>, &tgamma_d1::<F>, xf, room);
            check_derivative("tgamma''", &tgamma_d1::<F>, &tgamma_d2::<F>, xf, room);
        }
    }
    for x in [-3.3, -2.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.0, 3.0, 5.9] {
        let xf = c(x);
        check_derivative("erf'", &erf::<F>, &erf_d1::<F>, xf, f64::INFINITY);
        check_derivative("erf''", &erf_d1::<F>, &erf_d2::<F>, xf, f64::INFINITY);
        check_derivative("erfc'", &erfc::<F>, &erfc_d1::<F>, xf, f64::INFINITY);
        check_derivative("erfc''", &erfc_d1::<F>, &erfc_d2::<F>, xf, f64::INFINITY);
    }
}

#[test]
fn derivatives_f64() {
    derivative_cases::<f64>(171.0);
}

#[test]
fn derivatives_f32() {
    derivative_cases::<f32>(30.0);
}

#[test]
fn derivatives_on_a_dense_grid_f64() {
    for i in -300..300 {
        let x = i as f64 * 0.05 + 0.013;
        let room = gamma_room(x);
        check_derivative("lgamma'", &lgamma::<f64>, &lgamma_d1::<f64>, x, room);
        check_derivative("digamma'", &digamma::<f64>, &digamma_d1::<f64>, x, room);
        check_derivative("digamma''", &digamma_d1::<f64>, &digamma_d2::<f64>, x, room);
        check_derivative("tgamma''", &tgamma_d1::<f64>, &tgamma_d2::<f64>, x, room);
        check_derivative(
            "erf''",
            &erf_d1::<f64>,
            &erf_d2::<f64>,
            x / 3.0,
            f64::INFINITY,
        );
    }
}

#[test]
fn f32_derivatives_track_f64() {
    for &x in &GAMMA_POINTS {
        let x32 = x as f32;
        let xe = f64::from(x32);
        for (name, a, b) in [
            ("digamma", f64::from(digamma(x32)), digamma(xe)),
            ("trigamma", f64::from(trigamma(x32)), trigamma(xe)),
            ("tetragamma", f64::from(tetragamma(x32)), tetragamma(xe)),
            ("tgamma'", f64::from(tgamma_d1(x32)), tgamma_d1(xe)),
            ("tgamma''", f64::from(tgamma_d2(x32)), tgamma_d2(xe)),
        ] {
            assert!(rel(a, b) < 2e-5, "{name}({x32}): f32 {a:e} vs f64 {b:e}");
        }
    }
    for x in [-2.5_f32, -0.3, 0.0, 0.7, 1.9] {
        let xe = f64::from(x);
        assert!((f64::from(erf_d1(x)) - erf_d1(xe)).abs() < 1e-6);
        assert!((f64::from(erfc_d2(x)) - erfc_d2(xe)).abs() < 1e-6);
    }
}

#[test]
fn generic_over_both_precisions() {
    // a log-density of the gamma distribution and its derivative in the shape a
    fn log_pdf<F: SpecialFloat>(a: F, x: F) -> F {
        (a - F::one()) * x.ln() - x - lgamma(a)
    }
    fn d_log_pdf_da<F: SpecialFloat>(a: F, x: F) -> F {
        x.ln() - lgamma_d1(a)
    }
    for (a, x) in [(0.5, 1.2), (2.5, 0.3), (40.0, 35.0)] {
        check_derivative("f64", &|a| log_pdf(a, x), &|a| d_log_pdf_da(a, x), a, a);
        let (a32, x32) = (a as f32, x as f32);
        check_derivative(
            "f32",
            &|a| log_pdf(a, x32),
            &|a| d_log_pdf_da(a, x32),
            a32,
            a,
        );
    }
}
