//! [`Differentiable`]: the types derivatives flow through.

/// A type whose values carry derivatives: its tangents and adjoints have its
/// own type (the layout of Enzyme's shadows; Swift's `TangentVector ==
/// Self`). Floats carry derivatives; integers, `bool` and other fields are
/// carried along unchanged and never read as derivatives.
///
/// Implemented for `f32`, `f64`, integers, `bool`, arrays, `Vec`s,
/// `Option`s and tuples of differentiable types. Derive it for your own
/// structs and enums with `#[derive(leibniz::Differentiable)]`: float fields,
/// arrays of floats and nested differentiable structs carry derivatives;
/// integer fields and fields marked `#[no_grad]` do not.
///
/// ```
/// # use leibniz_runtime as leibniz;
/// use leibniz::Differentiable;
///
/// let x = [1.5_f64, -2.0, 3.0];
/// let mut t = x.zero_like();
/// assert_eq!(t, [0.0, 0.0, 0.0]);
/// t.add_assign_tangent(&x);
/// assert_eq!(t.dot_tangent(&x), 1.5 * 1.5 + 4.0 + 9.0);
/// ```
///
/// With the `leibniz` crate, `#[derive(Differentiable)]` implements it for a
/// struct: `#[no_grad]` fields are copied into zeros and never added.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not carry derivatives (it does not implement `leibniz::Differentiable`)",
    label = "leibniz differentiates values of this type",
    note = "derive it: `#[derive(Clone, leibniz::Differentiable)]` on the type; or mark the parameter `#[no_grad]` (or leave it out of `wrt(..)`) if it is a constant; for nalgebra, glam or ndarray types enable the leibniz feature of that crate"
)]
pub trait Differentiable: Clone {
    /// A value of the same shape with every derivative-carrying part zero
    /// (other parts are copied).
    fn zero_like(&self) -> Self;
    /// `self += other` on the derivative-carrying parts.
    fn add_assign_tangent(&mut self, other: &Self);
    /// `self *= s` on the derivative-carrying parts.
    fn scale_tangent(&mut self, s: f64);
    /// The sum of the products of corresponding derivative-carrying parts
    /// (the dot-product test, Jacobians over structs).
    fn dot_tangent(&self, other: &Self) -> f64;
    /// The derivative-carrying parts, as `f64`, in a fixed order.
    fn flatten_into(&self, out: &mut Vec<f64>);
    /// Sets the derivative-carrying parts from `src` (the order of
    /// [`flatten_into`](Self::flatten_into)); returns how many it read.
    fn unflatten_from(&mut self, src: &[f64]) -> usize;
    #[doc(hidden)]
    /// A placeholder value, for slots the generated code assigns before it
    /// reads them.
    fn __dummy() -> Self
    where
        Self: Sized;
    #[doc(hidden)]
    /// Whether the field named `field` (as written after the `.`) carries no
    /// derivatives (`#[no_grad]`): the generated code reads and writes
    /// tangents and adjoints of such fields as zeros.
    #[inline(always)]
    fn __lz_no_grad(field: &str) -> bool
    where
        Self: Sized,
    {
        let _ = field;
        false
    }
}

macro_rules! float_diff {
    ($($t:ty),*) => {$(
        impl Differentiable for $t {
            #[inline(always)]
            fn zero_like(&self) -> Self { 0.0 }
            #[inline(always)]
            fn add_assign_tangent(&mut self, other: &Self) { *self += *other; }
            #[inline(always)]
            fn scale_tangent(&mut self, s: f64) { *self = (*self as f64 * s) as $t; }
            #[inline(always)]
            fn dot_tangent(&self, other: &Self) -> f64 { (*self as f64) * (*other as f64) }
            fn flatten_into(&self, out: &mut Vec<f64>) { out.push(*self as f64); }
            fn unflatten_from(&mut self, src: &[f64]) -> usize { *self = src[0] as $t; 1 }
            #[inline(always)]
            fn __dummy() -> Self { 0.0 }
        }
    )*};
}
float_diff!(f32, f64);

macro_rules! const_diff {
    ($($t:ty = $z:expr),*) => {$(
        impl Differentiable for $t {
            #[inline(always)]
            fn zero_like(&self) -> Self { *self }
            #[inline(always)]
            fn add_assign_tangent(&mut self, _: &Self) {}
            #[inline(always)]
            fn scale_tangent(&mut self, _: f64) {}
            #[inline(always)]
            fn dot_tangent(&self, _: &Self) -> f64 { 0.0 }
            fn flatten_into(&self, _: &mut Vec<f64>) {}
            fn unflatten_from(&mut self, _: &[f64]) -> usize { 0 }
            #[inline(always)]
            fn __dummy() -> Self { $z }
        }
    )*};
}
const_diff!(usize = 0, isize = 0, u8 = 0, u16 = 0, u32 = 0, u64 = 0, u128 = 0, i8 = 0, i16 = 0, i32 = 0, i64 = 0, i128 = 0, bool = false, char = '\0', () = ());

impl Differentiable for String {
    fn zero_like(&self) -> Self {
        self.clone()
    }
    fn add_assign_tangent(&mut self, _: &Self) {}
    fn scale_tangent(&mut self, _: f64) {}
    fn dot_tangent(&self, _: &Self) -> f64 {
        0.0
    }
    fn flatten_into(&self, _: &mut Vec<f64>) {}
    fn unflatten_from(&mut self, _: &[f64]) -> usize {
        0
    }
    fn __dummy() -> Self {
        String::new()
    }
}

impl<T: Differentiable, const N: usize> Differentiable for [T; N] {
    #[inline]
    fn zero_like(&self) -> Self {
        core::array::from_fn(|i| self[i].zero_like())
    }
    #[inline]
    fn add_assign_tangent(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            a.add_assign_tangent(b);
        }
    }
    fn scale_tangent(&mut self, s: f64) {
        for a in self.iter_mut() {
            a.scale_tangent(s);
        }
    }
    fn dot_tangent(&self, other: &Self) -> f64 {
        self.iter().zip(other).map(|(a, b)| a.dot_tangent(b)).sum()
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        for a in self {
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
        core::array::from_fn(|_| T::__dummy())
    }
}

impl<T: Differentiable> Differentiable for Vec<T> {
    #[inline]
    fn zero_like(&self) -> Self {
        self.iter().map(|x| x.zero_like()).collect()
    }
    #[inline]
    fn add_assign_tangent(&mut self, other: &Self) {
        assert_eq!(self.len(), other.len(), "leibniz: adding tangents of different lengths");
        for (a, b) in self.iter_mut().zip(other) {
            a.add_assign_tangent(b);
        }
    }
    fn scale_tangent(&mut self, s: f64) {
        for a in self.iter_mut() {
            a.scale_tangent(s);
        }
    }
    fn dot_tangent(&self, other: &Self) -> f64 {
        self.iter().zip(other).map(|(a, b)| a.dot_tangent(b)).sum()
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        for a in self {
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
        Vec::new()
    }
}

impl<T: Differentiable> Differentiable for Option<T> {
    fn zero_like(&self) -> Self {
        self.as_ref().map(|x| x.zero_like())
    }
    fn add_assign_tangent(&mut self, other: &Self) {
        if let (Some(a), Some(b)) = (self.as_mut(), other.as_ref()) {
            a.add_assign_tangent(b);
        }
    }
    fn scale_tangent(&mut self, s: f64) {
        if let Some(a) = self {
            a.scale_tangent(s);
        }
    }
    fn dot_tangent(&self, other: &Self) -> f64 {
        match (self, other) {
            (Some(a), Some(b)) => a.dot_tangent(b),
            _ => 0.0,
        }
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        if let Some(a) = self {
            a.flatten_into(out);
        }
    }
    fn unflatten_from(&mut self, src: &[f64]) -> usize {
        match self {
            Some(a) => a.unflatten_from(src),
            None => 0,
        }
    }
    fn __dummy() -> Self {
        None
    }
}

impl<T: Differentiable> Differentiable for Box<T> {
    fn zero_like(&self) -> Self {
        Box::new((**self).zero_like())
    }
    fn add_assign_tangent(&mut self, other: &Self) {
        (**self).add_assign_tangent(other);
    }
    fn scale_tangent(&mut self, s: f64) {
        (**self).scale_tangent(s);
    }
    fn dot_tangent(&self, other: &Self) -> f64 {
        (**self).dot_tangent(other)
    }
    fn flatten_into(&self, out: &mut Vec<f64>) {
        (**self).flatten_into(out);
    }
    fn unflatten_from(&mut self, src: &[f64]) -> usize {
        (**self).unflatten_from(src)
    }
    fn __dummy() -> Self {
        Box::new(T::__dummy())
    }
    fn __lz_no_grad(field: &str) -> bool {
        T::__lz_no_grad(field)
    }
}

macro_rules! tuple_diff {
    ($($n:tt $t:ident),+) => {
        impl<$($t: Differentiable),+> Differentiable for ($($t,)+) {
            fn zero_like(&self) -> Self { ($(self.$n.zero_like(),)+) }
            fn add_assign_tangent(&mut self, other: &Self) { $(self.$n.add_assign_tangent(&other.$n);)+ }
            fn scale_tangent(&mut self, s: f64) { $(self.$n.scale_tangent(s);)+ }
            fn dot_tangent(&self, other: &Self) -> f64 { 0.0 $(+ self.$n.dot_tangent(&other.$n))+ }
            fn flatten_into(&self, out: &mut Vec<f64>) { $(self.$n.flatten_into(out);)+ }
            fn unflatten_from(&mut self, src: &[f64]) -> usize { let mut k = 0; $(k += self.$n.unflatten_from(&src[k..]);)+ k }
            fn __dummy() -> Self { ($($t::__dummy(),)+) }
        }
    };
}
tuple_diff!(0 A);
tuple_diff!(0 A, 1 B);
tuple_diff!(0 A, 1 B, 2 C);
tuple_diff!(0 A, 1 B, 2 C, 3 D);
tuple_diff!(0 A, 1 B, 2 C, 3 D, 4 E);
tuple_diff!(0 A, 1 B, 2 C, 3 D, 4 E, 5 G);
tuple_diff!(0 A, 1 B, 2 C, 3 D, 4 E, 5 G, 6 H);
tuple_diff!(0 A, 1 B, 2 C, 3 D, 4 E, 5 G, 6 H, 7 I);
