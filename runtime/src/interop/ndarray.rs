//! ndarray (feature `ndarray`): owned arrays as values that carry
//! derivatives.
//!
//! [`Differentiable`] and [`TapeValue`] for `Array<F, D>` of any dimension
//! (`Array1<F>`, `Array2<F>`, `ArrayD<F>`) with elements that carry
//! derivatives: a parameter `&Array1<f64>` is an active input (its shadow
//! is a `&mut Array1<f64>` of the same shape, adjoints added), `&mut
//! Array1<f64>` an active in/out array, `Array1<f64>` by value an active
//! value whose adjoint is returned. Elements are read and written with
//! `x[i]` (`x[[i, j]]`), and `x.len()` is the number of elements.

use ndarray::{Array, Dimension};

use crate::diff::Differentiable;
use crate::tape::{TapeBuf, TapeRead, TapeValue};

impl<T: Differentiable, D: Dimension> Differentiable for Array<T, D> {
    #[inline]
    fn zero_like(&self) -> Self {
        self.map(|x| x.zero_like())
    }
    #[inline]
    fn add_assign_tangent(&mut self, other: &Self) {
        assert_eq!(self.shape(), other.shape(), "leibniz: adding tangents of arrays of different shapes");
        ndarray::Zip::from(&mut *self).and(other).for_each(|a, b| a.add_assign_tangent(b));
    }
    fn scale_tangent(&mut self, s: f64) {
        for a in self.iter_mut() {
            a.scale_tangent(s);
        }
    }
    fn dot_tangent(&self, other: &Self) -> f64 {
        self.iter().zip(other.iter()).map(|(a, b)| a.dot_tangent(b)).sum()
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        for a in self.iter() {
            a.flatten_into(out);
        }
    }
    fn unflatten_from(&mut self, src: &[f64]) -> usize {
        let mut k = 0;
        for a in self.iter_mut() {
            k += a.unflatten_from(&src[k..]);
        }
        k
    }
    fn __dummy() -> Self {
        Array::from_shape_vec(D::zeros(D::NDIM.unwrap_or(1)), Vec::new()).unwrap_or_else(|_| panic!("leibniz: an empty array of this dimension"))
    }
}

impl<T: TapeValue + Clone, D: Dimension> TapeValue for Array<T, D> {
    fn push_to(&self, t: &mut TapeBuf) {
        for a in self.iter() {
            a.push_to(t);
        }
        for &n in self.shape() {
            t.push_word(n as u64);
        }
        t.push_word(self.ndim() as u64);
    }
    fn pop_from(r: &mut TapeRead<'_>) -> Self {
        let nd = r.pop_word() as usize;
        let mut shape = vec![0usize; nd];
        for k in (0..nd).rev() {
            shape[k] = r.pop_word() as usize;
        }
        let n: usize = shape.iter().product();
        let mut v: Vec<T> = (0..n).map(|_| T::pop_from(r)).collect();
        v.reverse();
        let dyn_arr = match Array::from_shape_vec(ndarray::IxDyn(&shape), v) {
            Ok(a) => a,
            Err(e) => panic!("leibniz: a tape holds an array of another shape ({e})"),
        };
        match dyn_arr.into_dimensionality::<D>() {
            Ok(a) => a,
            Err(e) => panic!("leibniz: a tape holds an array of another dimension ({e})"),
        }
    }
}
