// One JVP rule per function (and per argument types).
fn g(x: f64) -> f64 {
    x.sin()
}

#[leibniz::jvp_rule(g)]
fn g_jvp(x: f64, dx: f64) -> (f64, f64) {
    (g(x), x.cos() * dx)
}

#[leibniz::jvp_rule(g)]
fn g_jvp_again(x: f64, dx: f64) -> (f64, f64) {
    (x.sin(), x.cos() * dx)
}

fn main() {}
