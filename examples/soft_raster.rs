//! A differentiable soft rasteriser: fit a shape to a target image.
//!
//! The kernel `raster` renders a star-shaped region (centre, radius and
//! three Fourier harmonics of its outline) with soft edges, one thread per
//! pixel; `image_loss` sums the squared difference to a target image. The
//! shape starts as a small circle off to the side and is fitted to a
//! three-lobed target by Adam, each gradient one launch of `raster_vjp`
//! (every pixel adds its part to the shape parameters' adjoints) and one of
//! `image_loss_vjp`. Writes `target/soft_raster/{target,before,after}.png`.
//!
//! Runs on the GPU with `--features cuda` where there is one, else on the
//! CPU twins (it says which). Exits nonzero if the gradient disagrees with
//! finite differences or the fit fails.
//!
//! ```sh
//! cargo run --release --example soft_raster
//! ```

#[path = "soft_raster/kernels.rs"]
mod kernels;

use kernels::*;

const W: usize = 64;
const H: usize = 64;
const SOFTNESS: f64 = 1.0;

fn render(shape: &[f64]) -> Vec<f64> {
    let mut img = vec![0.0; W * H];
    raster(shape, W, SOFTNESS, &mut img);
    img
}

fn loss(shape: &[f64], target: &[f64]) -> f64 {
    let mut l = 0.0;
    image_loss(&render(shape), target, &mut l);
    l
}

fn loss_and_grad(shape: &[f64], target: &[f64]) -> (f64, Vec<f64>) {
    let img = render(shape);
    let mut l = 0.0;
    let mut img_bar = vec![0.0; W * H];
    image_loss_vjp(&img, &mut img_bar, target, &mut l, &mut 1.0);
    let mut shape_bar = vec![0.0; NPARAM];
    let mut scratch = vec![0.0; W * H];
    raster_vjp(shape, &mut shape_bar, W, SOFTNESS, &mut scratch, &mut img_bar);
    (l, shape_bar)
}

fn write_png(path: &std::path::Path, img: &[f64]) -> std::io::Result<()> {
    // 4× nearest-neighbour upscale, 8-bit grey, white shape on black
    let s = 4;
    let mut data = vec![0u8; W * H * s * s];
    for y in 0..H * s {
        for x in 0..W * s {
            data[y * W * s + x] = (img[(y / s) * W + x / s].clamp(0.0, 1.0) * 255.0).round() as u8;
        }
    }
    let file = std::fs::File::create(path)?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), (W * s) as u32, (H * s) as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(std::io::Error::other)?;
    w.write_image_data(&data).map_err(std::io::Error::other)?;
    Ok(())
}

fn iou(a: &[f64], b: &[f64]) -> f64 {
    let (mut i, mut u) = (0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (*x > 0.5, *y > 0.5);
        if x && y {
            i += 1.0;
        }
        if x || y {
            u += 1.0;
        }
    }
    i / u
}

fn main() {
    match leibniz::gpu::Backend::detect() {
        leibniz::gpu::Backend::Cuda(g) => println!("soft_raster: running the kernels on {}", g.name()),
        leibniz::gpu::Backend::Cpu { reason } => println!("soft_raster: running the CPU twins ({reason})"),
    }
    // target: a three-lobed shape; start: a small circle elsewhere
    let truth = [34.0, 30.0, 17.0, 0.0, 1.5, 0.0, 0.0, 5.0, 0.0];
    let target = render(&truth);
    let mut shape = vec![26.0, 36.0, 9.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
    let before = render(&shape);

    // the gradient against central finite differences
    let (_, g) = loss_and_grad(&shape, &target);
    let mut worst: f64 = 0.0;
    for k in 0..NPARAM {
        let h = 1e-5;
        let (mut p, mut m) = (shape.clone(), shape.clone());
        p[k] += h;
        m[k] -= h;
        let fd = (loss(&p, &target) - loss(&m, &target)) / (2.0 * h);
        let rel = (fd - g[k]).abs() / (1e-9 + fd.abs().max(g[k].abs()));
        worst = worst.max(rel);
    }
    println!("  gradient of {NPARAM} shape parameters vs finite differences: worst relative difference {worst:.1e}");
    if worst > 1e-5 {
        eprintln!("soft_raster: FAIL: the adjoint disagrees with finite differences");
        std::process::exit(1);
    }

    // Adam
    let (lr, b1, b2, eps) = (0.25, 0.9, 0.999, 1e-8);
    let mut m = [0.0; NPARAM];
    let mut v = [0.0; NPARAM];
    let l0 = loss(&shape, &target);
    let mut l = l0;
    for it in 1..=400 {
        let (lk, gk) = loss_and_grad(&shape, &target);
        l = lk;
        for k in 0..NPARAM {
            m[k] = b1 * m[k] + (1.0 - b1) * gk[k];
            v[k] = b2 * v[k] + (1.0 - b2) * gk[k] * gk[k];
            let mh = m[k] / (1.0 - f64::powi(b1, it));
            let vh = v[k] / (1.0 - f64::powi(b2, it));
            shape[k] -= lr * mh / (vh.sqrt() + eps);
        }
        if it % 100 == 0 || it == 1 {
            println!("  iteration {it:3}: loss {lk:9.3}  IoU {:.3}", iou(&render(&shape), &target));
        }
    }
    let after = render(&shape);
    let score = iou(&after, &target);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/soft_raster");
    let written = std::fs::create_dir_all(&dir)
        .and_then(|_| write_png(&dir.join("target.png"), &target))
        .and_then(|_| write_png(&dir.join("before.png"), &before))
        .and_then(|_| write_png(&dir.join("after.png"), &after));
    match written {
        Ok(()) => println!("soft_raster: wrote {}/{{target,before,after}}.png", dir.display()),
        Err(e) => eprintln!("soft_raster: could not write the images: {e}"),
    }
    println!("soft_raster: loss {l0:.2} -> {l:.3}; IoU with the target {:.3} -> {score:.3}", iou(&before, &target));
    println!("soft_raster: fitted shape {:?}", shape.iter().map(|x| (x * 100.0).round() / 100.0).collect::<Vec<_>>());
    if score < 0.97 || l > 0.02 * l0 {
        eprintln!("soft_raster: FAIL: the shape did not fit the target");
        std::process::exit(1);
    }
    println!("soft_raster: PASS");
}
