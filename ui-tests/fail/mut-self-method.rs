use leibniz::prelude::*;

struct Model {
    k: f64,
}

impl Model {
    #[differentiable]
    fn f(&mut self, x: f64) -> f64 {
        self.k * x
    }
}

fn main() {}
