//! ndarray's arrays in differentiable code (feature `ndarray`).
