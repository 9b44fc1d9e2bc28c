//! Unit tests of the passes, and expansion snapshots: the Rust emitted for a
//! set of representative functions, checked in under
//! `macros/tests/snapshots/*.rs` and compared on every run, so that a change
//! of the emitted code shows up in review as a diff. Refresh them after a
//! deliberate change with `LEIBNIZ_BLESS=1 cargo test -p leibniz-ad-macros`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::analyse::activity;
use crate::diag::Diag;
use crate::front::attr::Attr;
use crate::front::sig;
use crate::ir::*;

/// Lowers a function to IR (with its signature) for pass tests.
fn lower(item: TokenStream) -> (sig::Sig, Func) {
    let f: syn::ItemFn = syn::parse2(item).expect("test function parses");
    let mut d = Diag::default();
    let s = sig::read(&f.sig, &Attr::default(), &mut d).expect("signature");
    let l = crate::lower::Lower::new(&s, &mut d).lower_fn(&f.block).expect("lowers");
    assert!(d.is_empty(), "lowering reported errors");
    (s, l.func)
}

fn count(f: &Func, pred: &dyn Fn(&Stmt) -> bool) -> usize {
    let mut n = 0;
    f.body.walk(&mut |s| {
        if pred(s) {
            n += 1;
        }
    });
    n
}

#[test]
fn lowering_is_ssa_and_verifies() {
    let (_, f) = lower(quote! {
        fn f(x: &[f64], a: f64) -> f64 {
            let mut s = 0.0;
            for i in 0..x.len() {
                if x[i] > 0.0 { s += a * x[i]; } else { s -= x[i]; }
            }
            s
        }
    });
    verify::check(&f).expect("the lowered IR verifies");
    // Every value is defined once.
    let mut defs = std::collections::HashSet::new();
    f.body.walk(&mut |s| {
        for v in s.defs() {
            assert!(defs.insert(v), "v{v} defined twice");
        }
    });
}

#[test]
fn activity_is_varied_and_useful() {
    // `c` depends on the active `x` but not the result; `k` reaches the
    // result but is a constant: neither is active.
    let (s, f) = lower(quote! {
        fn f(x: f64, #[no_grad] k: f64) -> f64 {
            let c = x.sin();
            let _ = c;
            x * x + k
        }
    });
    let seeds: Vec<bool> = s.params.iter().map(|p| p.active).collect();
    assert_eq!(seeds, vec![true, false]);
    let act = activity::analyse(&f, &seeds, &[]);
    let mut sin_active = None;
    f.body.walk(&mut |st| {
        if let Stmt::Let { v, op: Op::Prim("sin", _) } = st {
            sin_active = Some(act.active(*v));
        }
    });
    assert_eq!(sin_active, Some(false), "a value that never reaches the result is not active");
}

#[test]
fn jvp_program_is_linear_in_tangents_and_vjp_pops_what_it_pushes() {
    let (s, f) = lower(quote! {
        fn f(x: &[f64]) -> f64 {
            let mut p = 1.0;
            for i in 0..x.len() { p = p * x[i].sin(); }
            p
        }
    });
    let seeds: Vec<bool> = s.params.iter().map(|p| p.active).collect();
    let act = activity::analyse(&f, &seeds, &[]);
    let mut d = Diag::default();
    let t = crate::ad::jvp::jvp(&f, &act, &seeds, &mut d);
    assert!(d.is_empty());
    verify::check(&t.func).expect("the tangent program verifies");
    // Tangent values are never the operands of nonlinear primitives.
    t.func.body.walk(&mut |st| {
        if let Stmt::Let { op: Op::Prim(name, args), .. } = st {
            if !["lmul0", "ldiv0", "tan_cast"].contains(name) {
                assert!(args.iter().all(|a| !t.lin.get(*a).copied().unwrap_or(false)), "`{name}` of a tangent");
            }
        }
    });
    let v = crate::ad::vjp::vjp(&f, &act, &seeds, &mut d);
    assert!(d.is_empty());
    verify::check(&v.fwd).expect("the forward sweep verifies");
    let pushes = count(&v.fwd, &|s| matches!(s, Stmt::TapePush { .. }));
    let pops = count(&v.bwd, &|s| matches!(s, Stmt::TapePop { .. }));
    assert_eq!(pushes, pops, "one pop per push site");
}

#[test]
fn registry_keys_match_the_runtime() {
    // FNV-1a, as `leibniz::__private::registry::key`.
    let k = crate::naming::key("lgamma").to_string();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in "lgamma".bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    assert_eq!(k, format!("{h}u64"));
}

#[test]
fn rule_linearity_is_checked() {
    let f: syn::ItemFn = syn::parse2(quote! {
        fn g_jvp(x: f64, dx: f64) -> (f64, f64) { (x.exp(), dx * dx) }
    })
    .expect("parses");
    let out = crate::rule::rule(crate::rule::Kind::Jvp, quote!(g), quote!(#f)).to_string();
    assert!(out.contains("must be linear in the tangents"), "{out}");
}

// ----- expansion snapshots -----------------------------------------------------

fn snapshot(name: &str, attr: TokenStream, item: TokenStream) {
    let out = crate::driver::differentiable(attr, item);
    let text = match syn::parse2::<syn::File>(out.clone()) {
        Ok(f) => prettyplease::unparse(&f),
        Err(e) => panic!("{name}: the expansion does not parse as items: {e}\n{out}"),
    };
    assert!(!text.contains("compile_error"), "{name}: the expansion has errors:\n{text}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(format!("{name}.rs"));
    if std::env::var_os("LEIBNIZ_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("snapshot dir");
        std::fs::write(&path, &text).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{name}: no snapshot at {}; run with LEIBNIZ_BLESS=1", path.display()));
    if want != text {
        let line = want.lines().zip(text.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{name}: the expansion differs from {} from line {} on (run with LEIBNIZ_BLESS=1 after reviewing):\n  snapshot: {}\n  now:      {}",
            path.display(),
            line + 1,
            want.lines().nth(line).unwrap_or(""),
            text.lines().nth(line).unwrap_or("")
        );
    }
}

#[test]
fn snapshot_scalar() {
    snapshot("scalar", quote!(), quote! {
        fn f(x: f64, y: f64) -> f64 { (x * y).sin() + x.exp() / y }
    });
}

#[test]
fn snapshot_loop_over_slice() {
    snapshot("loop_over_slice", quote!(), quote! {
        fn rosenbrock(x: &[f64]) -> f64 {
            let mut s = 0.0;
            for i in 0..x.len() - 1 {
                let a = 1.0 - x[i];
                let b = x[i + 1] - x[i] * x[i];
                s += a * a + 100.0 * b * b;
            }
            s
        }
    });
}

#[test]
fn snapshot_branch_and_early_return() {
    snapshot("branch_and_early_return", quote!(), quote! {
        fn clip(x: f64, lo: f64) -> f64 {
            if x < lo { return lo * 0.5; }
            let y = if x > 1.0 { x.ln() } else { x - 1.0 };
            y * y
        }
    });
}

#[test]
fn snapshot_call_and_output() {
    snapshot("call_and_output", quote!(), quote! {
        fn step(y: &[f64], k: f64, out: &mut [f64]) {
            for i in 0..y.len() { out[i] = -k * y[i] + spring(y[i], k); }
        }
    });
}

#[test]
fn snapshot_generic_and_iterators() {
    snapshot("generic_and_iterators", quote!(), quote! {
        fn norm<T: Float>(x: &[T]) -> T { x.iter().map(|v| *v * *v).sum::<T>().sqrt() }
    });
}

/// The JVP of `%` on floats reads the `rem` rule's partials (a missing rule
/// would leave the remainder without a tangent).
#[test]
fn rem_rule_has_partials() {
    assert!(crate::rules::rule("rem").and_then(|r| r.partials).is_some());
}
