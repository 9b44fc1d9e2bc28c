// A JVP rule whose tangent is multiplied by something that is not a
// scalar: its transpose would need the adjoint of the factor.
use std::ops::Mul;

#[derive(Clone, Copy, Debug, leibniz::Differentiable)]
pub struct V2 {
    pub x: f64,
    pub y: f64,
}

#[derive(Clone, Copy)]
pub struct M2 {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
}

impl Mul<V2> for M2 {
    type Output = V2;
    fn mul(self, v: V2) -> V2 {
        V2 { x: self.a * v.x + self.b * v.y, y: self.c * v.x + self.d * v.y }
    }
}

fn apply(v: V2) -> V2 {
    M2 { a: 1.0, b: 2.0, c: 3.0, d: 4.0 } * v
}

#[leibniz::jvp_rule(apply)]
fn apply_jvp(v: V2, dv: V2) -> (V2, V2) {
    let m = M2 { a: 1.0, b: 2.0, c: 3.0, d: 4.0 };
    (m * v, m * dv)
}

fn main() {}
