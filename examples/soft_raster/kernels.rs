//! The kernels of the `soft_raster` example (also compiled with NVRTC by
//! `tests/kernel_nvrtc.rs`).

use leibniz::prelude::*;

/// Harmonics of the shape's outline.
pub const HARMONICS: usize = 3;
/// Shape parameters: centre `(cx, cy)`, mean radius `r0`, then `a_k, b_k`
/// for `k = 1..=HARMONICS`.
pub const NPARAM: usize = 3 + 2 * HARMONICS;

/// Soft coverage of pixel `i` of a `w`-wide image by the star-shaped region
/// `|p − c| < r(θ)`, `r(θ) = r0 + Σ a_k cos kθ + b_k sin kθ`: a sigmoid of
/// the radial distance to the outline, `softness` pixels wide.
#[kernel]
pub fn raster(i: usize, shape: &[f64], w: usize, #[no_grad] softness: f64, img: &mut [f64]) {
    let px = (i % w) as f64 + 0.5;
    let py = (i / w) as f64 + 0.5;
    let dx = px - shape[0];
    let dy = py - shape[1];
    let d = (dx * dx + dy * dy + 1e-6).sqrt();
    let th = dy.atan2(dx);
    let mut r = shape[2];
    for k in 0..HARMONICS {
        let kf = (k + 1) as f64;
        r += shape[3 + 2 * k] * (kf * th).cos() + shape[4 + 2 * k] * (kf * th).sin();
    }
    let z = (r - d) / softness;
    img[i] = 1.0 / (1.0 + (-z).exp());
}

/// Half the squared difference to a target image, summed over the pixels.
#[kernel]
pub fn image_loss(i: usize, img: &[f64], #[no_grad] target: &[f64], loss: &mut f64) {
    let e = img[i] - target[i];
    *loss += 0.5 * e * e;
}

/// The CUDA modules of these kernels.
#[allow(dead_code)]
pub fn all_sources() -> Vec<(&'static str, &'static str)> {
    vec![("raster", raster_cuda_source()), ("image_loss", image_loss_cuda_source())]
}
