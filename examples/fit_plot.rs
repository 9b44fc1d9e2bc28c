//! A decay curve fitted by Gauss-Newton, drawn to an SVG picture.
//!
//! `cargo run --release --example fit_plot` (writes `target/fit_plot.svg`;
//! pass another path as the first argument)
//!
//! The model `y = a e^(-k t) + c` is fitted to noisy samples by
//! Gauss-Newton steps on its residuals, the Jacobian from the emitted
//! `residuals_jacobian`, the misfit's gradient checked against
//! `sse_grad` at the end. The picture (plotters, SVG backend: no
//! system fonts needed) shows the samples, the starting guess and the fit.
//! Exits nonzero if the fit misses the curve the samples were drawn from.

use std::process::ExitCode;

use leibniz::prelude::*;
use plotters::prelude::*;

fn model(p: &[f64], t: f64) -> f64 {
    p[0] * (-p[1] * t).exp() + p[2]
}

/// The residuals of `y = a e^(-k t) + c`.
#[differentiable]
fn residuals(p: &[f64], #[no_grad] t: &[f64], #[no_grad] y: &[f64]) -> Vec<f64> {
    let mut r = vec![0.0; t.len()];
    for i in 0..t.len() {
        r[i] = p[0] * (-p[1] * t[i]).exp() + p[2] - y[i];
    }
    r
}

/// Sum of squared residuals of `y = a e^(-k t) + c`.
#[differentiable]
fn sse(p: &[f64], #[no_grad] t: &[f64], #[no_grad] y: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..t.len() {
        let r = p[0] * (-p[1] * t[i]).exp() + p[2] - y[i];
        s += r * r;
    }
    s
}

/// Solves the 3×3 system `h x = b` by Cramer's rule.
fn solve3(h: &[Vec<f64>], b: &[f64]) -> Option<[f64; 3]> {
    let det = |m: [[f64; 3]; 3]| m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    let m = [[h[0][0], h[0][1], h[0][2]], [h[1][0], h[1][1], h[1][2]], [h[2][0], h[2][1], h[2][2]]];
    let d = det(m);
    if d.abs() < 1e-300 {
        return None;
    }
    let mut x = [0.0; 3];
    for (k, xk) in x.iter_mut().enumerate() {
        let mut mk = m;
        for i in 0..3 {
            mk[i][k] = b[i];
        }
        *xk = det(mk) / d;
    }
    Some(x)
}

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| "target/fit_plot.svg".to_string());
    let truth = [3.0, 0.8, 0.5];
    let t: Vec<f64> = (0..40).map(|i| i as f64 * 0.15).collect();
    let mut state = 11u64;
    let y: Vec<f64> = t
        .iter()
        .map(|&ti| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let e = ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.12;
            model(&truth, ti) + e
        })
        .collect();

    let start = vec![2.0, 1.5, 0.0];
    let mut p = start.clone();
    for it in 0..50 {
        let (r, j) = residuals_jacobian(&p, &t, &y);
        let f: f64 = r.iter().map(|x| x * x).sum();
        println!("iter {it:>2}: sse = {f:.6}");
        // Normal equations JᵀJ s = -Jᵀr.
        let jtj: Vec<Vec<f64>> = (0..3).map(|a| (0..3).map(|b| (0..r.len()).map(|i| j[i][a] * j[i][b]).sum()).collect()).collect();
        let jtr: Vec<f64> = (0..3).map(|a| (0..r.len()).map(|i| j[i][a] * r[i]).sum()).collect();
        if jtr.iter().map(|x| x.abs()).fold(0.0, f64::max) < 1e-9 * (1.0 + f) {
            break;
        }
        let Some(s) = solve3(&jtj, &[-jtr[0], -jtr[1], -jtr[2]]) else {
            eprintln!("singular normal equations");
            return ExitCode::FAILURE;
        };
        // Halve the step until the misfit decreases.
        let mut lambda = 1.0;
        let mut moved = false;
        while lambda > 1e-8 && !moved {
            let q: Vec<f64> = p.iter().zip(&s).map(|(a, b)| a + lambda * b).collect();
            if sse(&q, &t, &y) < f {
                p = q;
                moved = true;
            }
            lambda *= 0.5;
        }
        if !moved {
            break; // no step lowers the misfit: converged to rounding
        }
    }
    let (_, g) = sse_grad(&p, &t, &y);
    leibniz::check::assert_gradient(|q: &[f64]| sse(q, &t, &y), &g, &p);
    println!("fit: a = {:.4}, k = {:.4}, c = {:.4}  (truth {:?})", p[0], p[1], p[2], truth);

    if let Some(dir) = std::path::Path::new(&path).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::new(&path, (800, 500)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root).caption("y = a·exp(-k t) + c, fitted by Gauss-Newton with leibniz", ("sans-serif", 22)).margin(15).x_label_area_size(35).y_label_area_size(45).build_cartesian_2d(0.0..6.0, -0.2..4.0)?;
        chart.configure_mesh().x_desc("t").y_desc("y").draw()?;
        chart.draw_series(t.iter().zip(&y).map(|(&a, &b)| Circle::new((a, b), 3, BLUE.filled())))?.label("samples").legend(|(x, y)| Circle::new((x, y), 3, BLUE.filled()));
        let curve = |q: &[f64]| (0..=300).map(|i| i as f64 * 0.02).map(|s| (s, model(q, s))).collect::<Vec<_>>();
        chart.draw_series(LineSeries::new(curve(&start), RED.stroke_width(1)))?.label("start").legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
        chart.draw_series(LineSeries::new(curve(&p), BLACK.stroke_width(2)))?.label("fit").legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
        chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
        root.present()?;
        Ok(())
    })();
    match drawn {
        Ok(()) => println!("wrote {path}"),
        Err(e) => {
            eprintln!("could not draw {path}: {e}");
            return ExitCode::FAILURE;
        }
    }
    let ok = (p[0] - truth[0]).abs() < 0.1 && (p[1] - truth[1]).abs() < 0.05 && (p[2] - truth[2]).abs() < 0.05;
    println!("{}", if ok { "PASS" } else { "FAIL" });
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
