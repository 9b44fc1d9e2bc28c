// A JVP rule returns `(value, tangent)`, a VJP rule takes `dout` last.
fn g(x: f64) -> f64 {
    x.sin()
}

#[leibniz::jvp_rule(g)]
fn g_jvp(x: f64, dx: f64) -> f64 {
    x.cos() * dx
}

#[leibniz::vjp_rule(g)]
fn g_vjp(x: f64, dout: f32) -> (f64, f64) {
    (g(x), x.cos() * dout as f64)
}

fn main() {}
