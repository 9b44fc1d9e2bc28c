//! What the generated `f_hessian` and `f_jacobian` call: flattening of
//! parameters and results, and the sweep drivers with a parallel path for
//! closures that are `Sync` and a serial one for the rest.
//!
//! The choice between the two is made at compile time by method resolution
//! on the function's parameter types (`(&SyncProbe::<(P0, P1)>::new())
//! .hessian(n, hvp)` finds [`ParSweeps`] when they are `Sync`, else
//! [`SerSweeps`] through one more auto-reference), so a function whose
//! parameters are not `Sync` (an `Rc`) still gets its Hessian, serially.

use crate::diff::Differentiable;
use crate::drivers;
use num_traits::NumCast;

/// What can be flattened: differentiable values and slices of them.
pub trait Flat {
    fn flat(&self, out: &mut Vec<f64>);
}

impl<T: Differentiable> Flat for T {
    #[inline]
    fn flat(&self, out: &mut Vec<f64>) {
        self.flatten_into(out);
    }
}

impl<T: Differentiable> Flat for [T] {
    #[inline]
    fn flat(&self, out: &mut Vec<f64>) {
        for x in self {
            x.flatten_into(out);
        }
    }
}

/// Appends the flattened tangent of `x`.
#[inline]
pub fn flat_push<T: Flat + ?Sized>(out: &mut Vec<f64>, x: &T) {
    x.flat(out);
}

/// Overwrites `x` from `src[*at..]`, advancing `at`.
#[inline]
pub fn flat_read<T: Differentiable>(x: &mut T, src: &[f64], at: &mut usize) {
    *at += x.unflatten_from(&src[(*at).min(src.len())..]);
}

/// A direction of the drivers (`f64`) as a slice of the float type:
/// borrowed when that is `f64`, converted otherwise.
#[inline]
pub fn dir_as<F: NumCast + Copy + 'static>(v: &[f64]) -> std::borrow::Cow<'_, [F]> {
    if std::any::TypeId::of::<F>() == std::any::TypeId::of::<f64>() {
        // SAFETY: `F` is `f64`: the same type, so the same layout.
        std::borrow::Cow::Borrowed(unsafe { &*(v as *const [f64] as *const [F]) })
    } else {
        std::borrow::Cow::Owned(v.iter().map(|&x| <F as NumCast>::from(x).unwrap_or_else(|| panic!("leibniz: {x} does not fit the float type"))).collect())
    }
}

/// A result in the float type as the drivers' `f64`: moved when that is
/// `f64`, converted otherwise.
#[inline]
pub fn into_f64<F: NumCast + Copy + 'static>(v: Vec<F>) -> Vec<f64> {
    if std::any::TypeId::of::<F>() == std::any::TypeId::of::<f64>() {
        let mut v = std::mem::ManuallyDrop::new(v);
        // SAFETY: `F` is `f64`; the allocation is handed over whole.
        unsafe { Vec::from_raw_parts(v.as_mut_ptr() as *mut f64, v.len(), v.capacity()) }
    } else {
        v.into_iter().map(|x| <f64 as NumCast>::from(x).unwrap_or(f64::NAN)).collect()
    }
}

/// The matrix in the function's float type.
pub fn mat_to<F: NumCast + 'static>(m: Vec<Vec<f64>>) -> Vec<Vec<F>> {
    m.into_iter().map(vec_to::<F>).collect()
}

/// The vector in the function's float type.
pub fn vec_to<F: NumCast + 'static>(v: Vec<f64>) -> Vec<F> {
    if std::any::TypeId::of::<F>() == std::any::TypeId::of::<f64>() {
        let mut v = std::mem::ManuallyDrop::new(v);
        // SAFETY: `F` is `f64`; the allocation is handed over whole.
        return unsafe { Vec::from_raw_parts(v.as_mut_ptr() as *mut F, v.len(), v.capacity()) };
    }
    v.into_iter().map(|x| <F as NumCast>::from(x).unwrap_or_else(|| panic!("leibniz: {x} does not fit the float type"))).collect()
}

/// Chooses parallel or serial sweeps from the types of a function's
/// parameters `T` (a tuple): parallel when they are all `Sync` (the sweep
/// closures only borrow them), serial otherwise. The choice is made by
/// method resolution on concrete types, before closure types are known.
pub struct SyncProbe<T: ?Sized>(core::marker::PhantomData<fn() -> *const T>);

impl<T: ?Sized> SyncProbe<T> {
    #[inline(always)]
    pub fn new() -> Self {
        SyncProbe(core::marker::PhantomData)
    }
}

impl<T: ?Sized> Default for SyncProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Parallel sweeps (the parameters are `Sync`).
pub trait ParSweeps {
    fn hessian<A: Fn(&[f64]) -> Vec<f64> + Sync>(&self, n: usize, hvp: A) -> Vec<Vec<f64>>;
    fn jacobian<A: Fn(&[f64]) -> Vec<f64> + Sync, B: Fn(&[f64]) -> Vec<f64> + Sync>(&self, n_in: usize, n_out: usize, jvp: A, vjp: B) -> Vec<Vec<f64>>;
    /// As `jacobian`, forward sweeps taking `k` directions at once.
    fn jacobian_k<A: Fn(&[Vec<f64>]) -> Vec<Vec<f64>> + Sync, B: Fn(&[f64]) -> Vec<f64> + Sync>(&self, n_in: usize, n_out: usize, k: usize, jvp_k: A, vjp: B) -> Vec<Vec<f64>>;
}

/// Serial sweeps, for parameters that are not `Sync`.
pub trait SerSweeps {
    fn hessian<A: Fn(&[f64]) -> Vec<f64>>(&self, n: usize, hvp: A) -> Vec<Vec<f64>>;
    fn jacobian<A: Fn(&[f64]) -> Vec<f64>, B: Fn(&[f64]) -> Vec<f64>>(&self, n_in: usize, n_out: usize, jvp: A, vjp: B) -> Vec<Vec<f64>>;
    fn jacobian_k<A: Fn(&[Vec<f64>]) -> Vec<Vec<f64>>, B: Fn(&[f64]) -> Vec<f64>>(&self, n_in: usize, n_out: usize, k: usize, jvp_k: A, vjp: B) -> Vec<Vec<f64>>;
}

impl<T: ?Sized + Sync> ParSweeps for SyncProbe<T> {
    fn hessian<A: Fn(&[f64]) -> Vec<f64> + Sync>(&self, n: usize, hvp: A) -> Vec<Vec<f64>> {
        drivers::hessian_from_hvp(n, hvp)
    }
    fn jacobian<A: Fn(&[f64]) -> Vec<f64> + Sync, B: Fn(&[f64]) -> Vec<f64> + Sync>(&self, n_in: usize, n_out: usize, jvp: A, vjp: B) -> Vec<Vec<f64>> {
        drivers::jacobian_auto(n_in, n_out, jvp, vjp)
    }
    fn jacobian_k<A: Fn(&[Vec<f64>]) -> Vec<Vec<f64>> + Sync, B: Fn(&[f64]) -> Vec<f64> + Sync>(&self, n_in: usize, n_out: usize, k: usize, jvp_k: A, vjp: B) -> Vec<Vec<f64>> {
        if n_in <= n_out {
            if n_in == 0 {
                return vec![Vec::new(); n_out];
            }
            drivers::jacobian_forward_batched(n_in, n_out, k, jvp_k)
        } else {
            drivers::jacobian_reverse(n_out, n_in, vjp)
        }
    }
}

impl<T: ?Sized> SerSweeps for &SyncProbe<T> {
    fn hessian<A: Fn(&[f64]) -> Vec<f64>>(&self, n: usize, hvp: A) -> Vec<Vec<f64>> {
        let mut e = vec![0.0; n];
        let mut cols = Vec::with_capacity(n);
        for j in 0..n {
            e[j] = 1.0;
            let c = hvp(&e);
            e[j] = 0.0;
            assert!(c.len() == n, "leibniz: Hessian column {j} has length {}, expected {n}", c.len());
            cols.push(c);
        }
        (0..n).map(|i| (0..n).map(|j| if i == j { cols[j][i] } else { 0.5 * (cols[j][i] + cols[i][j]) }).collect()).collect()
    }
    fn jacobian<A: Fn(&[f64]) -> Vec<f64>, B: Fn(&[f64]) -> Vec<f64>>(&self, n_in: usize, n_out: usize, jvp: A, vjp: B) -> Vec<Vec<f64>> {
        if n_in <= n_out {
            let mut e = vec![0.0; n_in];
            let mut cols = Vec::with_capacity(n_in);
            for j in 0..n_in {
                e[j] = 1.0;
                cols.push(jvp(&e));
                e[j] = 0.0;
            }
            (0..n_out).map(|i| cols.iter().map(|c| c[i]).collect()).collect()
        } else {
            let mut e = vec![0.0; n_out];
            let mut rows = Vec::with_capacity(n_out);
            for i in 0..n_out {
                e[i] = 1.0;
                rows.push(vjp(&e));
                e[i] = 0.0;
            }
            rows
        }
    }
    fn jacobian_k<A: Fn(&[Vec<f64>]) -> Vec<Vec<f64>>, B: Fn(&[f64]) -> Vec<f64>>(&self, n_in: usize, n_out: usize, k: usize, jvp_k: A, vjp: B) -> Vec<Vec<f64>> {
        if n_in <= n_out {
            let k = k.max(1);
            let mut cols: Vec<Vec<f64>> = Vec::with_capacity(n_in);
            let mut j0 = 0;
            while j0 < n_in {
                let vs: Vec<Vec<f64>> = (j0..(j0 + k).min(n_in)).map(|j| (0..n_in).map(|i| if i == j { 1.0 } else { 0.0 }).collect()).collect();
                let cs = jvp_k(&vs);
                assert!(cs.len() == vs.len(), "leibniz: {} Jacobian columns for {} directions", cs.len(), vs.len());
                cols.extend(cs);
                j0 += k;
            }
            (0..n_out).map(|i| cols.iter().map(|c| c[i]).collect()).collect()
        } else {
            self.jacobian(n_in, n_out, |_: &[f64]| Vec::new(), vjp)
        }
    }
}

/// `<a, b>` of two values of the same shape, flattened.
pub fn dot_flat<A: Flat + ?Sized, B: Flat + ?Sized>(a: &A, b: &B) -> f64 {
    let mut x = Vec::new();
    let mut y = Vec::new();
    a.flat(&mut x);
    b.flat(&mut y);
    assert!(x.len() == y.len(), "leibniz: a VJP rule's adjoint and the tangent have different sizes ({} and {})", x.len(), y.len());
    x.iter().zip(&y).map(|(p, q)| p * q).sum()
}

/// The value an inactive `&mut` parameter had on entry, so that every sweep
/// of `f_jacobian` starts from it as the primal call did. Made by
/// [`SnapProbe`]: a copy when the type is `Clone`, nothing otherwise (the
/// sweeps then panic with a message saying so, since they cannot be run
/// from the entry state).
pub struct Snap<T> {
    val: Option<T>,
    cloner: Option<fn(&T) -> T>,
}

impl<T> Snap<T> {
    /// A fresh copy of the entry value.
    ///
    /// # Panics
    ///
    /// When the parameter's type is not `Clone`.
    #[inline]
    pub fn again(&self, param: &str, func: &str) -> T {
        match (&self.val, self.cloner) {
            (Some(v), Some(c)) => c(v),
            _ => panic!(
                "leibniz: `{func}` runs several sweeps of the function, each from the value `{param}` had on entry, \
                 but the type of `{param}` is not `Clone`: derive or implement `Clone` for it, or call `_jvp`/`_vjp` yourself"
            ),
        }
    }
}

/// `(&&SnapProbe(&*x)).__lz_snap()`: a [`Snap`] of what `x` points to, by
/// [`SnapClone`] when its type is `Clone` (a slice is copied into a `Vec`),
/// else by [`SnapNone`].
pub struct SnapProbe<'a, T: ?Sized>(pub &'a T);

pub trait SnapClone {
    type Out;
    fn __lz_snap(&self) -> Snap<Self::Out>;
}

impl<T: Clone> SnapClone for &SnapProbe<'_, T> {
    type Out = T;
    #[inline]
    fn __lz_snap(&self) -> Snap<T> {
        Snap { val: Some(self.0.clone()), cloner: Some(T::clone) }
    }
}

impl<T: Clone> SnapClone for &SnapProbe<'_, [T]> {
    type Out = Vec<T>;
    #[inline]
    fn __lz_snap(&self) -> Snap<Vec<T>> {
        Snap { val: Some(self.0.to_vec()), cloner: Some(Vec::clone) }
    }
}

pub trait SnapNone {
    type Out;
    fn __lz_snap(&self) -> Snap<Self::Out>;
}

impl<T: ?Sized> SnapNone for SnapProbe<'_, T> {
    type Out = Box<T>;
    #[inline]
    fn __lz_snap(&self) -> Snap<Box<T>> {
        Snap { val: None, cloner: None }
    }
}

#[cfg(test)]
mod snap_tests {
    use super::*;

    struct NoClone(#[allow(dead_code)] u8);

    #[test]
    fn clones_when_clone_and_panics_when_not() {
        let v = vec![1usize, 2];
        let s = (&&SnapProbe(&*v)).__lz_snap();
        assert_eq!(s.again("v", "f_jacobian"), vec![1, 2]);
        let n = 3u32;
        assert_eq!((&&SnapProbe(&n)).__lz_snap().again("n", "f_jacobian"), 3);
        let nc = NoClone(1);
        let s = (&&SnapProbe(&nc)).__lz_snap();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.again("c", "f_jacobian")));
        let msg = r.err().and_then(|e| e.downcast_ref::<String>().cloned()).unwrap_or_default();
        assert!(msg.contains("not `Clone`") && msg.contains("`c`"), "{msg}");
    }
}
