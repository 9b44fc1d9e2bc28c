//! argmin problems from differentiable functions (feature `argmin`).
//!
//! [`Scalar`] makes a function to minimise an argmin problem: its cost is
//! the function, its gradient the emitted `f_grad`, its Hessian (if given)
//! the emitted `f_hessian` — for L-BFGS, BFGS, Newton, nonlinear CG,
//! steepest descent, trust-region methods, Nelder-Mead. [`LeastSquares`]
//! makes a vector-valued residual function one: `apply` is the function,
//! the Jacobian the emitted `f_jacobian` — for Gauss-Newton (with
//! nalgebra's types) — and its cost `½‖r‖²` and gradient `Jᵀ r` serve the
//! scalar solvers too.
//!
//! argmin asks for the cost and the gradient at the same point separately
//! (line searches do, at every trial point). `f_grad` computes both in one
//! sweep, so a problem keeps the last point's value and gradient: a
//! `gradient` call after `cost` at the same point costs one reverse sweep,
//! and a `cost` call after `gradient` costs nothing. With
//! [`Scalar::gradient_with_cost`], `cost` computes the gradient too (one
//! reverse sweep instead of a primal evaluation), so that the `gradient`
//! call that follows at the same point is free: the better choice for
//! gradient-based solvers whose line searches ask for both at each trial
//! point (More-Thuente, Hager-Zhang). Likewise a [`LeastSquares`] keeps
//! the residuals `f_jacobian` returns with the Jacobian.
//!
//! Parameters are `Vec<F>` (argmin-math's `vec` feature), or, with the
//! `nalgebra` feature, `DVector<F>` (argmin-math's `nalgebra_v0_34`, which
//! that feature enables), with Jacobians and Hessians `Vec<Vec<F>>` or
//! `DMatrix<F>`.
//!
//! ```
//! use argmin::core::{CostFunction, Executor, Gradient, State};
//! use argmin::solver::linesearch::MoreThuenteLineSearch;
//! use argmin::solver::quasinewton::LBFGS;
//! use leibniz::interop::argmin::Scalar;
//! use leibniz::prelude::*;
//!
//! #[differentiable]
//! fn rosenbrock(x: &[f64]) -> f64 {
//!     let mut s = 0.0;
//!     for i in 0..x.len() - 1 {
//!         s += (1.0 - x[i]).powi(2) + 100.0 * (x[i + 1] - x[i] * x[i]).powi(2);
//!     }
//!     s
//! }
//!
//! let problem = Scalar::new(rosenbrock, rosenbrock_grad).gradient_with_cost();
//! let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7);
//! let res = Executor::new(problem, solver)
//!     .configure(|s| s.param(vec![-1.2, 1.0, -0.5]).max_iters(200))
//!     .run()
//!     .unwrap();
//! let best = res.state().get_best_param().unwrap();
//! assert!(best.iter().all(|x| (x - 1.0).abs() < 1e-5), "{best:?}");
//! ```

use std::sync::Mutex;

use argmin::core::{CostFunction, Error, Gradient, Hessian, Jacobian, Operator};

/// A parameter vector argmin passes: seen as a slice, built from a `Vec`.
pub trait ParamVector<F>: Clone {
    /// The entries.
    fn entries(&self) -> &[F];
    /// A vector with these entries.
    fn from_entries(v: Vec<F>) -> Self;
}

impl<F: Clone> ParamVector<F> for Vec<F> {
    fn entries(&self) -> &[F] {
        self
    }
    fn from_entries(v: Vec<F>) -> Self {
        v
    }
}

/// A dense matrix argmin takes (a Jacobian, a Hessian), built from rows.
pub trait DenseMatrix<F> {
    /// The matrix with these rows.
    fn from_rows(rows: Vec<Vec<F>>) -> Self;
}

impl<F> DenseMatrix<F> for Vec<Vec<F>> {
    fn from_rows(rows: Vec<Vec<F>>) -> Self {
        rows
    }
}

#[cfg(feature = "nalgebra")]
impl<F: nalgebra::Scalar> ParamVector<F> for nalgebra::DVector<F> {
    fn entries(&self) -> &[F] {
        self.as_slice()
    }
    fn from_entries(v: Vec<F>) -> Self {
        nalgebra::DVector::from_vec(v)
    }
}

#[cfg(feature = "nalgebra")]
impl<F: nalgebra::Scalar> DenseMatrix<F> for nalgebra::DMatrix<F> {
    fn from_rows(rows: Vec<Vec<F>>) -> Self {
        let n = rows.len();
        let m = rows.first().map_or(0, |r| r.len());
        nalgebra::DMatrix::from_fn(n, m, |i, j| rows[i][j].clone())
    }
}

/// The last point a problem was evaluated at, with what was computed there.
struct Memo<F> {
    at: Vec<F>,
    value: Option<F>,
    grad: Option<Vec<F>>,
}

fn same<F: PartialEq>(a: &[F], b: &[F]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// A scalar function to minimise, as an argmin problem: implements
/// [`CostFunction`], [`Gradient`] and, after [`with_hessian`](Self::with_hessian),
/// [`Hessian`].
///
/// `cost` is `Fn(&[F]) -> F` (the function itself), `grad` is
/// `Fn(&[F]) -> (F, Vec<F>)` (its emitted `f_grad`, or a closure around
/// it that fixes the data: `|p| model_grad(p, &xs, &ys)` with the data
/// parameters `#[no_grad]`).
pub struct Scalar<F, C, G, H = NoHessian, P = Vec<F>> {
    cost: C,
    grad: G,
    hess: H,
    eager: bool,
    memo: Mutex<Option<Memo<F>>>,
    _p: core::marker::PhantomData<fn() -> P>,
}

/// No Hessian was given ([`Scalar::with_hessian`] gives one).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHessian;

impl<F, C, G> Scalar<F, C, G, NoHessian, Vec<F>>
where
    F: leibniz_runtime::Float,
    C: Fn(&[F]) -> F,
    G: Fn(&[F]) -> (F, Vec<F>),
{
    /// The problem of minimising `cost`, with gradient `grad`, over
    /// `Vec<F>` parameters.
    pub fn new(cost: C, grad: G) -> Self {
        Scalar { cost, grad, hess: NoHessian, eager: false, memo: Mutex::new(None), _p: core::marker::PhantomData }
    }
}

impl<F, C, G, H, P> Scalar<F, C, G, H, P>
where
    F: leibniz_runtime::Float,
    C: Fn(&[F]) -> F,
    G: Fn(&[F]) -> (F, Vec<F>),
{
    /// The same problem over parameters of type `Q` (`DVector<F>` with the
    /// `nalgebra` feature).
    pub fn with_param<Q: ParamVector<F>>(self) -> Scalar<F, C, G, H, Q> {
        Scalar { cost: self.cost, grad: self.grad, hess: self.hess, eager: self.eager, memo: self.memo, _p: core::marker::PhantomData }
    }

    /// Gives the Hessian: `hess` is `Fn(&[F]) -> (F, Vec<F>, Vec<Vec<F>>)`,
    /// the emitted `f_hessian`.
    pub fn with_hessian<H2>(self, hess: H2) -> Scalar<F, C, G, H2, P>
    where
        H2: Fn(&[F]) -> (F, Vec<F>, Vec<Vec<F>>),
    {
        Scalar { cost: self.cost, grad: self.grad, hess, eager: self.eager, memo: self.memo, _p: core::marker::PhantomData }
    }

    /// `cost` computes the gradient too (one `f_grad` instead of one call
    /// of the function), so that a `gradient` at the same point is free.
    pub fn gradient_with_cost(mut self) -> Self {
        self.eager = true;
        self
    }

    fn memo_get(&self, x: &[F]) -> (Option<F>, Option<Vec<F>>) {
        let m = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        match &*m {
            Some(m) if same(&m.at, x) => (m.value, m.grad.clone()),
            _ => (None, None),
        }
    }

    fn memo_put(&self, x: &[F], value: F, grad: Option<Vec<F>>) {
        let mut m = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        *m = Some(Memo { at: x.to_vec(), value: Some(value), grad });
    }

    fn value_at(&self, x: &[F]) -> F {
        if let (Some(v), _) = self.memo_get(x) {
            return v;
        }
        if self.eager {
            let (v, g) = (self.grad)(x);
            self.memo_put(x, v, Some(g));
            v
        } else {
            let v = (self.cost)(x);
            self.memo_put(x, v, None);
            v
        }
    }

    fn grad_at(&self, x: &[F]) -> Vec<F> {
        if let (_, Some(g)) = self.memo_get(x) {
            return g;
        }
        let (v, g) = (self.grad)(x);
        self.memo_put(x, v, Some(g.clone()));
        g
    }
}

impl<F, C, G, H, P> CostFunction for Scalar<F, C, G, H, P>
where
    F: leibniz_runtime::Float,
    C: Fn(&[F]) -> F,
    G: Fn(&[F]) -> (F, Vec<F>),
    P: ParamVector<F>,
{
    type Param = P;
    type Output = F;
    fn cost(&self, p: &P) -> Result<F, Error> {
        Ok(self.value_at(p.entries()))
    }
}

impl<F, C, G, H, P> Gradient for Scalar<F, C, G, H, P>
where
    F: leibniz_runtime::Float,
    C: Fn(&[F]) -> F,
    G: Fn(&[F]) -> (F, Vec<F>),
    P: ParamVector<F>,
{
    type Param = P;
    type Gradient = P;
    fn gradient(&self, p: &P) -> Result<P, Error> {
        Ok(P::from_entries(self.grad_at(p.entries())))
    }
}

impl<F, C, G, H, P> Hessian for Scalar<F, C, G, H, P>
where
    F: leibniz_runtime::Float,
    C: Fn(&[F]) -> F,
    G: Fn(&[F]) -> (F, Vec<F>),
    H: Fn(&[F]) -> (F, Vec<F>, Vec<Vec<F>>),
    P: ParamVector<F> + MatrixFor<F>,
{
    type Param = P;
    type Hessian = <P as MatrixFor<F>>::Matrix;
    fn hessian(&self, p: &P) -> Result<Self::Hessian, Error> {
        let (v, g, h) = (self.hess)(p.entries());
        self.memo_put(p.entries(), v, Some(g));
        Ok(<<P as MatrixFor<F>>::Matrix as DenseMatrix<F>>::from_rows(h))
    }
}

/// The dense matrix type that goes with a parameter type.
pub trait MatrixFor<F> {
    /// `Vec<Vec<F>>` for `Vec<F>`, `DMatrix<F>` for `DVector<F>`.
    type Matrix: DenseMatrix<F>;
}

impl<F> MatrixFor<F> for Vec<F> {
    type Matrix = Vec<Vec<F>>;
}

#[cfg(feature = "nalgebra")]
impl<F: nalgebra::Scalar> MatrixFor<F> for nalgebra::DVector<F> {
    type Matrix = nalgebra::DMatrix<F>;
}

/// A residual function, as an argmin problem for least squares:
/// implements [`Operator`] (the residuals) and [`Jacobian`], and
/// [`CostFunction`] (`½‖r‖²`) and [`Gradient`] (`Jᵀ r`) for the scalar
/// solvers.
///
/// `residuals` is `Fn(&[F]) -> Vec<F>` (the function), `jacobian` is
/// `Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>)` (its emitted `f_jacobian`:
/// residuals and `J[i][j] = ∂r_i/∂p_j`).
pub struct LeastSquares<F, R, J, P = Vec<F>> {
    residuals: R,
    jacobian: J,
    memo: Mutex<Option<(Vec<F>, Vec<F>, Option<Vec<Vec<F>>>)>>,
    _p: core::marker::PhantomData<fn() -> P>,
}

impl<F, R, J> LeastSquares<F, R, J, Vec<F>>
where
    F: leibniz_runtime::Float,
    R: Fn(&[F]) -> Vec<F>,
    J: Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>),
{
    /// The least-squares problem of `residuals` with Jacobian `jacobian`,
    /// over `Vec<F>` parameters.
    pub fn new(residuals: R, jacobian: J) -> Self {
        LeastSquares { residuals, jacobian, memo: Mutex::new(None), _p: core::marker::PhantomData }
    }
}

impl<F, R, J, P> LeastSquares<F, R, J, P>
where
    F: leibniz_runtime::Float,
    R: Fn(&[F]) -> Vec<F>,
    J: Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>),
{
    /// The same problem over parameters of type `Q` (`DVector<F>` with the
    /// `nalgebra` feature, as Gauss-Newton needs).
    pub fn with_param<Q: ParamVector<F>>(self) -> LeastSquares<F, R, J, Q> {
        LeastSquares { residuals: self.residuals, jacobian: self.jacobian, memo: self.memo, _p: core::marker::PhantomData }
    }

    fn res_at(&self, x: &[F]) -> Vec<F> {
        {
            let m = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((at, r, _)) = &*m {
                if same(at, x) {
                    return r.clone();
                }
            }
        }
        let r = (self.residuals)(x);
        *self.memo.lock().unwrap_or_else(|e| e.into_inner()) = Some((x.to_vec(), r.clone(), None));
        r
    }

    fn jac_at(&self, x: &[F]) -> (Vec<F>, Vec<Vec<F>>) {
        {
            let m = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((at, r, Some(j))) = &*m {
                if same(at, x) {
                    return (r.clone(), j.clone());
                }
            }
        }
        let (r, j) = (self.jacobian)(x);
        *self.memo.lock().unwrap_or_else(|e| e.into_inner()) = Some((x.to_vec(), r.clone(), Some(j.clone())));
        (r, j)
    }
}

impl<F, R, J, P> Operator for LeastSquares<F, R, J, P>
where
    F: leibniz_runtime::Float,
    R: Fn(&[F]) -> Vec<F>,
    J: Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>),
    P: ParamVector<F>,
{
    type Param = P;
    type Output = P;
    fn apply(&self, p: &P) -> Result<P, Error> {
        Ok(P::from_entries(self.res_at(p.entries())))
    }
}

impl<F, R, J, P> Jacobian for LeastSquares<F, R, J, P>
where
    F: leibniz_runtime::Float,
    R: Fn(&[F]) -> Vec<F>,
    J: Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>),
    P: ParamVector<F> + MatrixFor<F>,
{
    type Param = P;
    type Jacobian = <P as MatrixFor<F>>::Matrix;
    fn jacobian(&self, p: &P) -> Result<Self::Jacobian, Error> {
        let (_, j) = self.jac_at(p.entries());
        Ok(<<P as MatrixFor<F>>::Matrix as DenseMatrix<F>>::from_rows(j))
    }
}

impl<F, R, J, P> CostFunction for LeastSquares<F, R, J, P>
where
    F: leibniz_runtime::Float,
    R: Fn(&[F]) -> Vec<F>,
    J: Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>),
    P: ParamVector<F>,
{
    type Param = P;
    type Output = F;
    fn cost(&self, p: &P) -> Result<F, Error> {
        let r = self.res_at(p.entries());
        let half = F::from_f64_lossy(0.5);
        Ok(r.iter().fold(F::zero(), |s, x| s + *x * *x) * half)
    }
}

impl<F, R, J, P> Gradient for LeastSquares<F, R, J, P>
where
    F: leibniz_runtime::Float,
    R: Fn(&[F]) -> Vec<F>,
    J: Fn(&[F]) -> (Vec<F>, Vec<Vec<F>>),
    P: ParamVector<F>,
{
    type Param = P;
    type Gradient = P;
    fn gradient(&self, p: &P) -> Result<P, Error> {
        let (r, j) = self.jac_at(p.entries());
        let n = p.entries().len();
        let mut g = vec![F::zero(); n];
        for (ri, row) in r.iter().zip(&j) {
            for (gk, jk) in g.iter_mut().zip(row) {
                *gk = *gk + *jk * *ri;
            }
        }
        Ok(P::from_entries(g))
    }
}
