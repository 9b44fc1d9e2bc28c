//! Correctness corpus, Rust v2 (DESIGN §3): differentiable structs as
//! by-value parameters, `&S`, `&mut S`, `&[S]`, `&mut [S]`, `Vec<S>`,
//! locals, struct literals, field reads and writes, struct and tuple
//! results, methods taking `self` / `&self` / `&mut self` with
//! `#[differentiable]` on the impl block, integer and `#[no_grad]` fields
//! staying constant, a struct of constants built inside the body.
//!
//! Structs are flattened to their float fields (in declaration order) so
//! the harness can check them against central finite differences, `_jvp`
//! against `_grad` / `_vjp`, and the dot-product test.

#[macro_use]
mod common;

use common::*;
use leibniz::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Differentiable)]
pub struct Vec3 {
    pub x: f64,
    pub y: f64,
    pub z: f64,
}

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Particle {
    pub pos: Vec3,
    pub vel: Vec3,
    pub mass: f64,
    pub id: usize,
    #[no_grad]
    pub charge: f64,
}

#[derive(Clone, Debug, Differentiable)]
pub struct Spring {
    pub a: usize,
    pub b: usize,
    pub rest: f64,
    pub k: f64,
}

fn v3(s: &[f64]) -> Vec3 {
    Vec3 { x: s[0], y: s[1], z: s[2] }
}
fn fv3(v: Vec3) -> Vec<f64> {
    vec![v.x, v.y, v.z]
}
/// A particle from 7 floats (pos, vel, mass); `id` and `charge` fixed.
fn part(s: &[f64], id: usize) -> Particle {
    Particle { pos: v3(&s[0..3]), vel: v3(&s[3..6]), mass: s[6], id, charge: 0.75 }
}
fn fpart(p: &Particle) -> Vec<f64> {
    cat(&[&fv3(p.pos), &fv3(p.vel), &[p.mass]])
}
fn parts(s: &[f64]) -> Vec<Particle> {
    s.chunks(7).enumerate().map(|(i, c)| part(c, i)).collect()
}
fn fparts(ps: &[Particle]) -> Vec<f64> {
    ps.iter().flat_map(|p| fpart(p)).collect()
}
fn zero_parts(n: usize) -> Vec<Particle> {
    parts(&vec![0.0; 7 * n])
}

// ----- free functions ----------------------------------------------------------

#[differentiable]
fn dot3(a: Vec3, b: Vec3) -> f64 {
    a.x * b.x + a.y * b.y + a.z * b.z
}

#[differentiable]
fn cross(a: Vec3, b: Vec3) -> Vec3 {
    Vec3 {
        x: a.y * b.z - a.z * b.y,
        y: a.z * b.x - a.x * b.z,
        z: a.x * b.y - a.y * b.x,
    }
}

#[differentiable]
fn norm_ref(a: &Vec3) -> f64 {
    (a.x * a.x + a.y * a.y + a.z * a.z).sqrt()
}

/// No float type in the signature: `.sqrt()` on a sum of fields (repros #5).
#[differentiable]
fn normalize_mut(a: &mut Vec3) {
    let n = (a.x * a.x + a.y * a.y + a.z * a.z).sqrt();
    a.x /= n;
    a.y = a.y / n;
    a.z *= 1.0 / n;
}

/// An integer field cast to a float (repros #6) next to a `#[no_grad]` one.
#[differentiable]
fn kinetic(p: &Particle) -> f64 {
    let v2 = dot3(p.vel, p.vel);
    0.5 * p.mass * v2 + p.charge * p.pos.z + p.id as f64 * p.pos.x
}

#[differentiable]
fn total_kinetic(ps: &[Particle]) -> f64 {
    let mut e = 0.0;
    for i in 0..ps.len() {
        e += 0.5 * ps[i].mass * dot3(ps[i].vel, ps[i].vel);
    }
    e
}

#[differentiable]
fn total_kinetic_iter(ps: &[Particle]) -> f64 {
    ps.iter().map(|p| 0.5 * p.mass * dot3(p.vel, p.vel)).sum()
}

#[differentiable]
fn total_kinetic_vec(ps: &Vec<Particle>) -> f64 {
    let mut e = 0.0;
    for p in ps {
        e += 0.5 * p.mass * (p.vel.x * p.vel.x + p.vel.y * p.vel.y + p.vel.z * p.vel.z);
    }
    e
}

/// Symplectic Euler step on a slice of particles, in place.
#[differentiable]
fn drift_kick(ps: &mut [Particle], dt: f64) {
    for i in 0..ps.len() {
        let f = -ps[i].pos.z * ps[i].mass;
        ps[i].vel.z += dt * f / ps[i].mass;
        ps[i].pos.x = ps[i].pos.x + dt * ps[i].vel.x;
        ps[i].pos.y += dt * ps[i].vel.y;
        ps[i].pos.z += dt * ps[i].vel.z;
    }
}

/// Spring energy: `Vec<Spring>` constants given (by integer fields) and
/// positions active.
#[differentiable]
fn spring_energy(pos: &[Vec3], springs: &[Spring]) -> f64 {
    let mut e = 0.0;
    for s in springs {
        let dx = pos[s.a].x - pos[s.b].x;
        let dy = pos[s.a].y - pos[s.b].y;
        let dz = pos[s.a].z - pos[s.b].z;
        let l = (dx * dx + dy * dy + dz * dz).sqrt();
        e += 0.5 * s.k * (l - s.rest) * (l - s.rest);
    }
    e
}

/// Local struct, literal with a field update, struct result.
// BUG: see repros #7
#[cfg(any())]
#[differentiable]
fn reflect(v: Vec3, n: Vec3) -> Vec3 {
    let d = dot3(v, n);
    let mut r = Vec3 { x: v.x - 2.0 * d * n.x, ..v };
    r.y = v.y - 2.0 * d * n.y;
    r.z -= 2.0 * d * n.z;
    r
}

/// Tuple result of a struct and a scalar.
#[differentiable]
fn split_norm(v: Vec3) -> (Vec3, f64) {
    let n = norm_ref(&v);
    (Vec3 { x: v.x / n, y: v.y / n, z: v.z / n }, n)
}

/// A struct of constants built inside the body.
#[differentiable]
fn with_constant_struct(v: Vec3) -> f64 {
    let g = Vec3 { x: 0.0, y: 0.0, z: -9.81 };
    let e = Vec3 { x: 1.0, y: 2.0, z: 3.0 };
    dot3(v, g) + dot3(e, e) * v.x * v.y
}

/// Struct by value with integer and `#[no_grad]` fields: those stay
/// constant, the adjoint is returned in the struct's own type.
#[differentiable]
fn particle_value(p: Particle, t: f64) -> f64 {
    let x = p.pos.x + t * p.vel.x;
    let y = p.pos.y + t * p.vel.y;
    p.mass * (x * x + y * y) + p.charge * t + (p.id as f64) * p.mass
}

/// Particle result built from scalars.
#[differentiable]
fn make_particle(x: f64, v: f64, m: f64) -> Particle {
    Particle {
        pos: Vec3 { x, y: x * x, z: 0.0 },
        vel: Vec3 { x: v, y: v * m, z: m.sqrt() },
        mass: m,
        id: 7,
        charge: 2.0,
    }
}

// ----- methods -------------------------------------------------------------------

#[differentiable]
impl Vec3 {
    fn dot(&self, o: &Vec3) -> f64 {
        self.x * o.x + self.y * o.y + self.z * o.z
    }

    fn scaled(self, s: f64) -> Vec3 {
        Vec3 { x: self.x * s, y: self.y * s, z: self.z * s }
    }

    fn norm2(&self) -> f64 {
        self.dot(self)
    }

    fn add_scaled(&mut self, o: &Vec3, s: f64) {
        self.x += o.x * s;
        self.y += o.y * s;
        self.z += o.z * s;
    }
}

#[differentiable]
impl Particle {
    fn energy(&self, g: f64) -> f64 {
        0.5 * self.mass * self.vel.norm2() + self.mass * g * self.pos.z
    }

    fn step(&mut self, dt: f64) {
        let v = self.vel;
        self.pos.add_scaled(&v, dt);
        self.vel.z -= 9.81 * dt;
    }

    fn momentum(self) -> Vec3 {
        self.vel.scaled(self.mass)
    }
}

/// Calls the methods from a free function (`&self` methods on a local and
/// on a temporary: repros #4).
#[differentiable]
fn simulate(p: &Particle, dt: f64) -> f64 {
    let mut q = *p;
    for _ in 0..3 {
        q.step(dt);
    }
    q.energy(9.81) + q.momentum().norm2()
}

// ----- workarounds of the bugs above (so the constructs around them run) -----

/// `normalize_mut` with the float type named (repros #5).
#[differentiable(float = f64)]
fn normalize_mut_f(a: &mut Vec3) {
    let n = (a.x * a.x + a.y * a.y + a.z * a.z).sqrt();
    a.x /= n;
    a.y = a.y / n;
    a.z *= 1.0 / n;
}

/// `kinetic` without the integer-field cast (repros #6): the integer field
/// read in a comparison instead.
#[differentiable]
fn kinetic_cmp(p: &Particle) -> f64 {
    let v2 = dot3(p.vel, p.vel);
    let w = if p.id > 1 { 2.0 } else { 1.0 };
    0.5 * p.mass * v2 + p.charge * p.pos.z + w * p.pos.x
}

#[differentiable]
fn particle_value_cmp(p: Particle, t: f64) -> f64 {
    let x = p.pos.x + t * p.vel.x;
    let y = p.pos.y + t * p.vel.y;
    let w = if p.id == 0 { 0.5 } else { 1.5 };
    p.mass * (x * x + y * y) + p.charge * t + w * p.mass
}

/// `reflect` with every field written (repros #7).
#[differentiable]
fn reflect_full(v: Vec3, n: Vec3) -> Vec3 {
    let d = dot3(v, n);
    let mut r = Vec3 { x: v.x - 2.0 * d * n.x, y: v.y, z: v.z };
    r.y = v.y - 2.0 * d * n.y;
    r.z -= 2.0 * d * n.z;
    r
}

/// `simulate` with the `&self` calls on locals written `Type::method(&q)`
/// (repros #4).
#[differentiable]
fn simulate_ufcs(p: &Particle, dt: f64) -> f64 {
    let mut q = *p;
    for _ in 0..3 {
        q.step(dt);
    }
    let m = q.momentum();
    Particle::energy(&q, 9.81) + Vec3::norm2(&m)
}

// ----- tests -------------------------------------------------------------------------

#[test]
fn by_value_and_results() {
    let pts = points::<f64>(6, 4, -1.5, 1.5, 900);
    check_all("dot3", &pts, |p| dot3(v3(&p[..3]), v3(&p[3..])), |p| {
        let (v, (a, b)) = dot3_grad(v3(&p[..3]), v3(&p[3..]));
        (v, cat(&[&fv3(a), &fv3(b)]))
    }, |p, d| dot3_jvp(v3(&p[..3]), v3(&d[..3]), v3(&p[3..]), v3(&d[3..])), |p, w| {
        let (v, (a, b)) = dot3_vjp(v3(&p[..3]), v3(&p[3..]), w);
        (v, cat(&[&fv3(a), &fv3(b)]))
    });
    check_vector("cross", &pts, 3, |p| fv3(cross(v3(&p[..3]), v3(&p[3..]))), |p, d| {
        let (y, dy) = cross_jvp(v3(&p[..3]), v3(&d[..3]), v3(&p[3..]), v3(&d[3..]));
        (fv3(y), fv3(dy))
    }, |p, w| {
        let (y, (a, b)) = cross_vjp(v3(&p[..3]), v3(&p[3..]), v3(w));
        (fv3(y), cat(&[&fv3(a), &fv3(b)]))
    });
    check_vector("reflect_full", &pts, 3, |p| fv3(reflect_full(v3(&p[..3]), v3(&p[3..]))), |p, d| {
        let (y, dy) = reflect_full_jvp(v3(&p[..3]), v3(&d[..3]), v3(&p[3..]), v3(&d[3..]));
        (fv3(y), fv3(dy))
    }, |p, w| {
        let (y, (a, b)) = reflect_full_vjp(v3(&p[..3]), v3(&p[3..]), v3(w));
        (fv3(y), cat(&[&fv3(a), &fv3(b)]))
    });
    let pts3 = points::<f64>(3, 4, 0.3, 1.5, 901);
    check_vector("split_norm", &pts3, 4, |p| {
        let (u, n) = split_norm(v3(p));
        cat(&[&fv3(u), &[n]])
    }, |p, d| {
        let ((u, n), (du, dn)) = split_norm_jvp(v3(p), v3(d));
        (cat(&[&fv3(u), &[n]]), cat(&[&fv3(du), &[dn]]))
    }, |p, w| {
        let ((u, n), g) = split_norm_vjp(v3(p), (v3(&w[..3]), w[3]));
        (cat(&[&fv3(u), &[n]]), fv3(g))
    });
    check_all("with_constant_struct", &pts3, |p| with_constant_struct(v3(p)), |p| {
        let (v, g) = with_constant_struct_grad(v3(p));
        (v, fv3(g))
    }, |p, d| with_constant_struct_jvp(v3(p), v3(d)), |p, w| {
        let (v, g) = with_constant_struct_vjp(v3(p), w);
        (v, fv3(g))
    });
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (0.3, 2.0)], 4, 902);
    check_vector("make_particle", &pts, 7, |p| fpart(&make_particle(p[0], p[1], p[2])), |p, d| {
        let (y, dy) = make_particle_jvp(p[0], d[0], p[1], d[1], p[2], d[2]);
        assert_eq!((y.id, y.charge), (7, 2.0));
        (fpart(&y), fpart(&dy))
    }, |p, w| {
        let (y, (a, b, c)) = make_particle_vjp(p[0], p[1], p[2], part(w, 7));
        (fpart(&y), vec![a, b, c])
    });
    // by-value Particle: id and charge stay constant
    for id in [0, 3] {
        let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.3, 2.0), (-1.0, 1.0)], 4, 903);
        check_all("particle_value", &pts, |p| particle_value(part(&p[..7], id), p[7]), |p| {
            let (v, (gp, gt)) = particle_value_grad(part(&p[..7], id), p[7]);
            (v, cat(&[&fpart(&gp), &[gt]]))
        }, |p, d| particle_value_jvp(part(&p[..7], id), part(&d[..7], id), p[7], d[7]), |p, w| {
            let (v, (gp, gt)) = particle_value_vjp(part(&p[..7], id), p[7], w);
            (v, cat(&[&fpart(&gp), &[gt]]))
        });
        check_all("particle_value_cmp", &pts, |p| particle_value_cmp(part(&p[..7], id), p[7]), |p| {
            let (v, (gp, gt)) = particle_value_cmp_grad(part(&p[..7], id), p[7]);
            (v, cat(&[&fpart(&gp), &[gt]]))
        }, |p, d| particle_value_cmp_jvp(part(&p[..7], id), part(&d[..7], id), p[7], d[7]), |p, w| {
            let (v, (gp, gt)) = particle_value_cmp_vjp(part(&p[..7], id), p[7], w);
            (v, cat(&[&fpart(&gp), &[gt]]))
        });
    }
}

#[test]
fn references() {
    let pts3 = points::<f64>(3, 4, 0.3, 1.5, 910);
    check_all("norm_ref", &pts3, |p| norm_ref(&v3(p)), |p| {
        let (v, g) = norm_ref_grad(&v3(p));
        (v, fv3(g))
    }, |p, d| norm_ref_jvp(&v3(p), &v3(d)), |p, w| {
        let mut g = v3(&[0.0; 3]);
        let (v, ()) = norm_ref_vjp(&v3(p), &mut g, w);
        (v, fv3(g))
    });
    check_vector("normalize_mut", &pts3, 3, |p| {
        let mut a = v3(p);
        normalize_mut(&mut a);
        fv3(a)
    }, |p, d| {
        let mut a = v3(p);
        let mut da = v3(d);
        normalize_mut_jvp(&mut a, &mut da);
        (fv3(a), fv3(da))
    }, |p, w| {
        let mut a = v3(p);
        let mut ga = v3(w);
        normalize_mut_vjp(&mut a, &mut ga);
        (fv3(a), fv3(ga))
    });
    check_vector("normalize_mut_f", &pts3, 3, |p| {
        let mut a = v3(p);
        normalize_mut_f(&mut a);
        fv3(a)
    }, |p, d| {
        let mut a = v3(p);
        let mut da = v3(d);
        normalize_mut_f_jvp(&mut a, &mut da);
        (fv3(a), fv3(da))
    }, |p, w| {
        let mut a = v3(p);
        let mut ga = v3(w);
        normalize_mut_f_vjp(&mut a, &mut ga);
        (fv3(a), fv3(ga))
    });
    for id in [0, 2] {
        let pts = points_in::<f64>(&[(-1.0, 1.0); 7], 4, 911);
        check_all("kinetic", &pts, |p| kinetic(&part(p, id)), |p| {
            let (v, g) = kinetic_grad(&part(p, id));
            (v, fpart(&g))
        }, |p, d| kinetic_jvp(&part(p, id), &part(d, id)), |p, w| {
            let mut g = part(&[0.0; 7], id);
            let (v, ()) = kinetic_vjp(&part(p, id), &mut g, w);
            (v, fpart(&g))
        });
        check_all("kinetic_cmp", &pts, |p| kinetic_cmp(&part(p, id)), |p| {
            let (v, g) = kinetic_cmp_grad(&part(p, id));
            (v, fpart(&g))
        }, |p, d| kinetic_cmp_jvp(&part(p, id), &part(d, id)), |p, w| {
            let mut g = part(&[0.0; 7], id);
            let (v, ()) = kinetic_cmp_vjp(&part(p, id), &mut g, w);
            (v, fpart(&g))
        });
    }
}

#[test]
fn slices_of_structs() {
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.3, 2.0)].repeat(3), 4, 920);
    check_all("total_kinetic", &pts, |p| total_kinetic(&parts(p)), |p| {
        let (v, g) = total_kinetic_grad(&parts(p));
        (v, fparts(&g))
    }, |p, d| total_kinetic_jvp(&parts(p), &parts(d)), |p, w| {
        let mut g = zero_parts(3);
        let (v, ()) = total_kinetic_vjp(&parts(p), &mut g, w);
        (v, fparts(&g))
    });
    check_all("total_kinetic_iter", &pts, |p| total_kinetic_iter(&parts(p)), |p| {
        let (v, g) = total_kinetic_iter_grad(&parts(p));
        (v, fparts(&g))
    }, |p, d| total_kinetic_iter_jvp(&parts(p), &parts(d)), |p, w| {
        let mut g = zero_parts(3);
        let (v, ()) = total_kinetic_iter_vjp(&parts(p), &mut g, w);
        (v, fparts(&g))
    });
    check_all("total_kinetic_vec", &pts, |p| total_kinetic_vec(&parts(p)), |p| {
        let (v, g) = total_kinetic_vec_grad(&parts(p));
        (v, fparts(&g))
    }, |p, d| total_kinetic_vec_jvp(&parts(p), &parts(d)), |p, w| {
        let mut g = zero_parts(3);
        let (v, ()) = total_kinetic_vec_vjp(&parts(p), &mut g, w);
        (v, fparts(&g))
    });
    // drift_kick: 2 particles and dt
    let mut ranges = [(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.3, 2.0)].repeat(2);
    ranges.push((0.01, 0.3));
    let pts = points_in::<f64>(&ranges, 4, 921);
    check_vector("drift_kick", &pts, 14, |p| {
        let mut ps = parts(&p[..14]);
        drift_kick(&mut ps, p[14]);
        fparts(&ps)
    }, |p, d| {
        let mut ps = parts(&p[..14]);
        let mut dps = parts(&d[..14]);
        drift_kick_jvp(&mut ps, &mut dps, p[14], d[14]);
        (fparts(&ps), fparts(&dps))
    }, |p, w| {
        let mut ps = parts(&p[..14]);
        let mut g = parts(w);
        let gdt = drift_kick_vjp(&mut ps, &mut g, p[14]);
        (fparts(&ps), cat(&[&fparts(&g), &[gdt]]))
    });
    // spring_energy: 3 positions (9) + 2 springs (rest, k) active
    let springs = |s: &[f64]| vec![Spring { a: 0, b: 1, rest: s[0], k: s[1] }, Spring { a: 2, b: 0, rest: s[2], k: s[3] }];
    let fsprings = |s: &[Spring]| -> Vec<f64> { s.iter().flat_map(|s| [s.rest, s.k]).collect() };
    let pos = |s: &[f64]| -> Vec<Vec3> { s.chunks(3).map(v3).collect() };
    let fpos = |s: &[Vec3]| -> Vec<f64> { s.iter().flat_map(|&v| fv3(v)).collect() };
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.2, 1.0), (0.5, 2.0), (0.2, 1.0), (0.5, 2.0)], 4, 922);
    check_all("spring_energy", &pts, |p| spring_energy(&pos(&p[..9]), &springs(&p[9..])), |p| {
        let (v, (gp, gs)) = spring_energy_grad(&pos(&p[..9]), &springs(&p[9..]));
        (v, cat(&[&fpos(&gp), &fsprings(&gs)]))
    }, |p, d| spring_energy_jvp(&pos(&p[..9]), &pos(&d[..9]), &springs(&p[9..]), &springs(&d[9..])), |p, w| {
        let mut gp = pos(&[0.0; 9]);
        let mut gs = springs(&[0.0; 4]);
        let (v, ()) = spring_energy_vjp(&pos(&p[..9]), &mut gp, &springs(&p[9..]), &mut gs, w);
        (v, cat(&[&fpos(&gp), &fsprings(&gs)]))
    });
}

#[test]
fn methods() {
    let pts = points::<f64>(6, 4, -1.5, 1.5, 930);
    check_all("Vec3::dot", &pts, |p| v3(&p[..3]).dot(&v3(&p[3..])), |p| {
        let (v, (a, b)) = v3(&p[..3]).dot_grad(&v3(&p[3..]));
        (v, cat(&[&fv3(a), &fv3(b)]))
    }, |p, d| v3(&p[..3]).dot_jvp(&v3(&d[..3]), &v3(&p[3..]), &v3(&d[3..])), |p, w| {
        let mut a = v3(&[0.0; 3]);
        let mut b = v3(&[0.0; 3]);
        let (v, ()) = v3(&p[..3]).dot_vjp(&mut a, &v3(&p[3..]), &mut b, w);
        (v, cat(&[&fv3(a), &fv3(b)]))
    });
    let pts = points::<f64>(4, 4, -1.5, 1.5, 931);
    check_vector("Vec3::scaled", &pts, 3, |p| fv3(v3(p).scaled(p[3])), |p, d| {
        let (y, dy) = v3(p).scaled_jvp(v3(d), p[3], d[3]);
        (fv3(y), fv3(dy))
    }, |p, w| {
        let (y, (a, s)) = v3(p).scaled_vjp(p[3], v3(w));
        (fv3(y), cat(&[&fv3(a), &[s]]))
    });
    check_vector("Vec3::add_scaled", &points::<f64>(7, 4, -1.5, 1.5, 932), 3, |p| {
        let mut a = v3(p);
        a.add_scaled(&v3(&p[3..6]), p[6]);
        fv3(a)
    }, |p, d| {
        let mut a = v3(p);
        let mut da = v3(d);
        a.add_scaled_jvp(&mut da, &v3(&p[3..6]), &v3(&d[3..6]), p[6], d[6]);
        (fv3(a), fv3(da))
    }, |p, w| {
        let mut a = v3(p);
        let mut ga = v3(w);
        let mut go = v3(&[0.0; 3]);
        let gs = a.add_scaled_vjp(&mut ga, &v3(&p[3..6]), &mut go, p[6]);
        (fv3(a), cat(&[&fv3(ga), &fv3(go), &[gs]]))
    });
    let pts = points_in::<f64>(&[(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.3, 2.0), (0.01, 0.2)], 4, 933);
    check_all("Particle::energy", &pts, |p| part(&p[..7], 1).energy(p[7]), |p| {
        let (v, (gp, gg)) = part(&p[..7], 1).energy_grad(p[7]);
        (v, cat(&[&fpart(&gp), &[gg]]))
    }, |p, d| part(&p[..7], 1).energy_jvp(&part(&d[..7], 1), p[7], d[7]), |p, w| {
        let mut gp = part(&[0.0; 7], 1);
        let (v, gg) = part(&p[..7], 1).energy_vjp(&mut gp, p[7], w);
        (v, cat(&[&fpart(&gp), &[gg]]))
    });
    check_all("simulate", &pts, |p| simulate(&part(&p[..7], 1), p[7]), |p| {
        let (v, (gp, gt)) = simulate_grad(&part(&p[..7], 1), p[7]);
        (v, cat(&[&fpart(&gp), &[gt]]))
    }, |p, d| simulate_jvp(&part(&p[..7], 1), &part(&d[..7], 1), p[7], d[7]), |p, w| {
        let mut gp = part(&[0.0; 7], 1);
        let (v, gt) = simulate_vjp(&part(&p[..7], 1), &mut gp, p[7], w);
        (v, cat(&[&fpart(&gp), &[gt]]))
    });
    check_all("simulate_ufcs", &pts, |p| simulate_ufcs(&part(&p[..7], 1), p[7]), |p| {
        let (v, (gp, gt)) = simulate_ufcs_grad(&part(&p[..7], 1), p[7]);
        (v, cat(&[&fpart(&gp), &[gt]]))
    }, |p, d| simulate_ufcs_jvp(&part(&p[..7], 1), &part(&d[..7], 1), p[7], d[7]), |p, w| {
        let mut gp = part(&[0.0; 7], 1);
        let (v, gt) = simulate_ufcs_vjp(&part(&p[..7], 1), &mut gp, p[7], w);
        (v, cat(&[&fpart(&gp), &[gt]]))
    });
}

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct Charged {
    pub m: f64,
    #[no_grad]
    pub c: f64,
}

/// A local struct whose `#[no_grad]` field is computed from an active value.
#[differentiable]
fn no_grad_local(x: f64) -> f64 {
    let q = Charged { m: x, c: x * 2.0 };
    q.m * q.c
}

/// Repros #8: `q.c` is `#[no_grad]`, so no derivative flows through it: the
/// derivative is that of `x * c` with `c` held at its value at the point
/// (finite differences of that frozen function), in both modes.
#[test]
fn no_grad_field_modes_agree() {
    for x0 in [1.5, -0.5, 0.7] {
        let c0 = x0 * 2.0;
        check_all(
            "no_grad_local",
            &vec![vec![x0]; 3],
            |p| {
                // The primal at the point, and `x * c0` around it.
                assert_eq!(no_grad_local(x0), x0 * c0);
                p[0] * c0
            },
            |p| {
                let (v, g) = no_grad_local_grad(p[0]);
                (v, vec![g])
            },
            |p, d| no_grad_local_jvp(p[0], d[0]),
            |p, w| {
                let (v, g) = no_grad_local_vjp(p[0], w);
                (v, vec![g])
            },
        );
    }
}

// ----- iter_mut over structs, Vec<S> locals, operators ---------------------

#[differentiable]
fn iter_mut_structs(ps: &mut [Particle], dt: f64) {
    for p in ps.iter_mut() {
        p.pos.x += dt * p.vel.x;
        p.pos.y = p.pos.y + dt * p.vel.y * p.mass;
        p.vel.z *= 1.0 - dt;
    }
}

/// A local `Vec<Vec3>` from `vec![..; n]` with field writes.
#[differentiable]
fn vec_of_structs_macro(x: &[f64]) -> f64 {
    let mut v = vec![Vec3 { x: 0.0, y: 0.0, z: 0.0 }; x.len() / 3];
    for i in 0..v.len() {
        v[i].x = x[3 * i];
        v[i].y = x[3 * i + 1] * x[3 * i];
        v[i].z = x[3 * i + 2].sin();
    }
    let mut s = 0.0;
    for q in v.iter() {
        s += q.x * q.z + q.y;
    }
    s
}

#[differentiable]
fn vec_of_structs_push(x: &[f64]) -> f64 {
    let mut v: Vec<Vec3> = Vec::new();
    for i in 0..x.len() / 3 {
        v.push(Vec3 { x: x[3 * i], y: x[3 * i + 1], z: x[3 * i + 2] });
    }
    let mut s = 0.0;
    for q in &v {
        s += q.x * q.y - q.z;
    }
    s
}

#[derive(Clone, Copy, Debug, Differentiable)]
pub struct V2 {
    pub x: f64,
    pub y: f64,
}

/// Operators on differentiable structs (repros #12, fixed).
mod operators {
    use super::*;
    use std::ops::{Add, Mul, Neg, Sub};

    #[differentiable]
    impl Add for V2 {
        type Output = V2;
        fn add(self, o: V2) -> V2 {
            V2 { x: self.x + o.x, y: self.y + o.y }
        }
    }
    #[differentiable]
    impl Sub for V2 {
        type Output = V2;
        fn sub(self, o: V2) -> V2 {
            V2 { x: self.x - o.x, y: self.y - o.y }
        }
    }
    #[differentiable]
    impl Mul<f64> for V2 {
        type Output = V2;
        fn mul(self, s: f64) -> V2 {
            V2 { x: self.x * s, y: self.y * s }
        }
    }
    #[differentiable]
    impl Neg for V2 {
        type Output = V2;
        fn neg(self) -> V2 {
            V2 { x: -self.x, y: -self.y }
        }
    }
    #[differentiable]
    pub fn ops(a: V2, b: V2, s: f64) -> f64 {
        let c = (a - b) * s + (-a);
        c.x * c.y
    }
}

#[test]
fn operators_on_structs() {
    let pts = points::<f64>(5, 4, -1.5, 1.5, 950);
    check_all(
        "ops",
        &pts,
        |p| operators::ops(V2 { x: p[0], y: p[1] }, V2 { x: p[2], y: p[3] }, p[4]),
        |p| {
            let (v, (ga, gb, gs)) = operators::ops_grad(V2 { x: p[0], y: p[1] }, V2 { x: p[2], y: p[3] }, p[4]);
            (v, vec![ga.x, ga.y, gb.x, gb.y, gs])
        },
        |p, d| operators::ops_jvp(V2 { x: p[0], y: p[1] }, V2 { x: d[0], y: d[1] }, V2 { x: p[2], y: p[3] }, V2 { x: d[2], y: d[3] }, p[4], d[4]),
        |p, w| {
            let (v, (ga, gb, gs)) = operators::ops_vjp(V2 { x: p[0], y: p[1] }, V2 { x: p[2], y: p[3] }, p[4], w);
            (v, vec![ga.x, ga.y, gb.x, gb.y, gs])
        },
    );
}

#[test]
fn iter_mut_and_vec_locals() {
    let mut ranges = [(-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (-1.0, 1.0), (0.3, 2.0)].repeat(2);
    ranges.push((0.01, 0.3));
    let pts = points_in::<f64>(&ranges, 4, 940);
    check_vector("iter_mut_structs", &pts, 14, |p| {
        let mut ps = parts(&p[..14]);
        iter_mut_structs(&mut ps, p[14]);
        fparts(&ps)
    }, |p, d| {
        let mut ps = parts(&p[..14]);
        let mut dps: Vec<Particle> = d[..14].chunks(7).map(|c| part(c, 0)).collect();
        iter_mut_structs_jvp(&mut ps, &mut dps, p[14], d[14]);
        (fparts(&ps), fparts(&dps))
    }, |p, w| {
        let mut ps = parts(&p[..14]);
        let mut g: Vec<Particle> = w.chunks(7).map(|c| part(c, 0)).collect();
        let gdt = iter_mut_structs_vjp(&mut ps, &mut g, p[14]);
        (fparts(&ps), cat(&[&fparts(&g), &[gdt]]))
    });
    let pts = points::<f64>(6, 4, -1.2, 1.2, 941);
    check_slice_fn!(pts, vec_of_structs_macro, vec_of_structs_macro_grad, vec_of_structs_macro_jvp, vec_of_structs_macro_vjp);
    check_slice_fn!(pts, vec_of_structs_push, vec_of_structs_push_grad, vec_of_structs_push_jvp, vec_of_structs_push_vjp);
}
