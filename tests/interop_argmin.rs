//! The argmin adapter (feature `argmin`): L-BFGS and Newton on a
//! differentiable function, Gauss-Newton on a residual function (with the
//! `nalgebra` feature), and the value/gradient sharing between argmin's
//! separate cost and gradient calls.

#![cfg(feature = "argmin")]

use std::sync::atomic::{AtomicUsize, Ordering};

use argmin::core::{CostFunction, Executor, Gradient, Hessian, Jacobian, Operator, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use leibniz::interop::argmin::{LeastSquares, Scalar};
use leibniz::prelude::*;

#[differentiable]
fn rosenbrock(x: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in 0..x.len() - 1 {
        let a = 1.0 - x[i];
        let b = x[i + 1] - x[i] * x[i];
        s += a * a + 100.0 * b * b;
    }
    s
}

#[test]
fn lbfgs_minimises_rosenbrock() {
    let problem = Scalar::new(rosenbrock, rosenbrock_grad).gradient_with_cost();
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7);
    let res = Executor::new(problem, solver).configure(|s| s.param(vec![-1.2, 1.0, -0.5, 0.8]).max_iters(300)).run().unwrap();
    let best = res.state().get_best_param().unwrap();
    assert!(best.iter().all(|x| (x - 1.0).abs() < 1e-5), "{best:?}");
    assert!(res.state().get_best_cost() < 1e-10);
}

#[cfg(feature = "nalgebra")]
#[test]
fn newton_with_the_emitted_hessian() {
    use argmin::solver::newton::Newton;
    use nalgebra::DVector;
    let problem = Scalar::new(rosenbrock, rosenbrock_grad).with_hessian(rosenbrock_hessian).with_param::<DVector<f64>>();
    let res = Executor::new(problem, Newton::<f64>::new()).configure(|s| s.param(DVector::from_vec(vec![0.8, 0.7])).max_iters(50)).run().unwrap();
    let best = res.state().get_best_param().unwrap();
    assert!(best.iter().all(|x| (x - 1.0).abs() < 1e-8), "{best:?}");
}

#[test]
fn cost_and_gradient_at_one_point_share_one_sweep() {
    static COST: AtomicUsize = AtomicUsize::new(0);
    static GRAD: AtomicUsize = AtomicUsize::new(0);
    let cost = |x: &[f64]| {
        COST.fetch_add(1, Ordering::SeqCst);
        rosenbrock(x)
    };
    let grad = |x: &[f64]| {
        GRAD.fetch_add(1, Ordering::SeqCst);
        rosenbrock_grad(x)
    };
    let p = Scalar::new(cost, grad);
    let x = vec![0.5, 0.3];
    // gradient then cost: the cost is the value the gradient sweep computed.
    let g = p.gradient(&x).unwrap();
    let c = p.cost(&x).unwrap();
    assert_eq!((COST.load(Ordering::SeqCst), GRAD.load(Ordering::SeqCst)), (0, 1));
    assert_eq!((c, g), rosenbrock_grad(&x));
    // cost then gradient (lazy): one primal, one gradient sweep.
    let y = vec![0.1, 0.2];
    p.cost(&y).unwrap();
    p.gradient(&y).unwrap();
    assert_eq!((COST.load(Ordering::SeqCst), GRAD.load(Ordering::SeqCst)), (1, 2));
    // eager: the cost computes the gradient; the gradient is then free.
    let p = p.gradient_with_cost();
    let z = vec![-0.4, 0.9];
    p.cost(&z).unwrap();
    p.gradient(&z).unwrap();
    p.cost(&z).unwrap();
    assert_eq!((COST.load(Ordering::SeqCst), GRAD.load(Ordering::SeqCst)), (1, 3));
    let h = Scalar::new(rosenbrock, rosenbrock_grad).with_hessian(rosenbrock_hessian).hessian(&z).unwrap();
    assert_eq!(h, rosenbrock_hessian(&z).2);
}

/// Residuals of `y = a e^(-k t)` at the sample times.
#[differentiable]
fn decay_residuals(p: &[f64], #[no_grad] t: &[f64], #[no_grad] y: &[f64]) -> Vec<f64> {
    let mut r = vec![0.0; t.len()];
    for i in 0..t.len() {
        r[i] = p[0] * (-p[1] * t[i]).exp() - y[i];
    }
    r
}

fn data() -> (Vec<f64>, Vec<f64>) {
    let t: Vec<f64> = (0..12).map(|i| i as f64 * 0.4).collect();
    let y = t.iter().map(|t| 2.5 * (-0.7 * t).exp()).collect();
    (t, y)
}

#[test]
fn least_squares_problem_pieces_agree() {
    let (t, y) = data();
    let res = |p: &[f64]| decay_residuals(p, &t, &y);
    let jac = |p: &[f64]| decay_residuals_jacobian(p, &t, &y);
    let prob = LeastSquares::new(res, jac);
    let p = vec![2.0, 0.5];
    let r = prob.apply(&p).unwrap();
    let j = prob.jacobian(&p).unwrap();
    assert_eq!(r, decay_residuals(&p, &t, &y));
    assert_eq!(j.len(), 12);
    let g = prob.gradient(&p).unwrap();
    let c = prob.cost(&p).unwrap();
    assert!((c - 0.5 * r.iter().map(|x| x * x).sum::<f64>()).abs() < 1e-12);
    leibniz::check::assert_gradient(|q: &[f64]| 0.5 * decay_residuals(q, &t, &y).iter().map(|x| x * x).sum::<f64>(), &g, &p);
}

#[cfg(feature = "nalgebra")]
#[test]
fn gauss_newton_fits_with_dvector_parameters() {
    use argmin::solver::gaussnewton::GaussNewton;
    use nalgebra::DVector;
    let (t, y) = data();
    let prob = LeastSquares::new(|p: &[f64]| decay_residuals(p, &t, &y), |p: &[f64]| decay_residuals_jacobian(p, &t, &y)).with_param::<DVector<f64>>();
    let res = Executor::new(prob, GaussNewton::<f64>::new()).configure(|s| s.param(DVector::from_vec(vec![1.0, 0.3])).max_iters(30)).run().unwrap();
    let best = res.state().get_best_param().unwrap();
    assert!((best[0] - 2.5).abs() < 1e-8 && (best[1] - 0.7).abs() < 1e-8, "{best}");
}
