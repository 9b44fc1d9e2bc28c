// The tangent part of a JVP rule must be linear in the tangents.
fn g(x: f64) -> f64 {
    x.exp()
}

#[leibniz::jvp_rule(g)]
fn g_jvp(x: f64, dx: f64) -> (f64, f64) {
    let y = g(x);
    (y, y * dx * dx)
}

fn h(x: f64) -> f64 {
    x * x
}

#[leibniz::jvp_rule(h)]
fn h_jvp(x: f64, dx: f64) -> (f64, f64) {
    if dx > 0.0 { (h(x), 2.0 * x * dx) } else { (h(x), 0.0) }
}

fn main() {}
