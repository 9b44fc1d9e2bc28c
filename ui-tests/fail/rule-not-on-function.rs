// A rule goes on a function written like the `_jvp` leibniz emits.
#[leibniz::jvp_rule(other)]
struct Rule;

fn other(x: f64) -> f64 {
    x
}

fn main() {}
