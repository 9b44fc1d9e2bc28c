// A ray-sphere function over glam's `DVec3` without the `glam` feature:
// each vector parameter is an error (not constants with only d/dradius).
use leibniz::prelude::*;

#[differentiable]
fn hit(origin: glam::DVec3, dir: glam::DVec3, center: glam::DVec3, radius: f64) -> f64 {
    let oc = origin - center;
    let b = oc.dot(dir);
    -b - (b * b - oc.length_squared() + radius * radius).sqrt()
}

fn main() {}
