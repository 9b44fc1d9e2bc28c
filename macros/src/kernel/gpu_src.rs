//! The CUDA text of a kernel's three `__global__` functions: primal,
//! tangent and adjoint, printed from the IR of its per-element function.
//!
//! Parameters of the CUDA kernels, in the order of the Rust parameters
//! (the index `i` is the thread's global index and not a parameter):
//!
//! | Rust | primal | tangent adds | adjoint adds |
//! |---|---|---|---|
//! | `x: &[F]` | `const F* a_x, unsigned long long a_x_len` | `const F* d_x` (active) | `F* b_x` (active; `atomicAdd`) |
//! | `v: &[u32]` .. | `const unsigned int* a_v, unsigned long long a_v_len` | | |
//! | `a: F` | `F a_a` | `F d_a` (active) | `F* b_a` (active; a warp reduction, one `atomicAdd` per warp) |
//! | `n: usize`, `flag: bool`, .. | `unsigned long long a_n`, `int a_flag`, .. | | |
//! | `y: &mut [F]` | `F* a_y` | `F* d_y` | `F* b_y` (cotangent in, adjoint of the old value out) |
//! | `s: &mut F` | `F* a_s` (one element) | `F* d_s` | `const F* b_s` (one element) |
//!
//! and last `unsigned long long lz_n`, the number of elements. Each thread
//! runs the body for its index when it is below `lz_n`; every thread of a
//! launch takes part in the warp reductions of sums and scalar adjoints.
//! An input whose adjoint each thread only accumulates at its own index
//! (`x[i]` alone) is updated with `+=` instead of `atomicAdd`.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};

use super::pipeline::Pipeline;
use super::sig::{KSig, Kind};
use crate::backend::cuda::{Printer, Shared, VarRepr, ident, tape_bound};
use crate::ir::*;

/// What a per-element parameter is (in the order of the per-element
/// function: the index, the kernel's non-output parameters, then the old
/// values of the output slices the body reads).
#[derive(Clone, Debug)]
pub enum EParam {
    Index,
    /// Kernel parameter `k`.
    Param(usize),
    /// The old value of output slice `k`.
    OutIn(usize),
}

pub fn elem_params(ks: &KSig, read: &[bool]) -> Vec<EParam> {
    let mut v = Vec::new();
    for (k, p) in ks.params.iter().enumerate() {
        match p.kind {
            Kind::Index => v.push(EParam::Index),
            Kind::Out | Kind::Sum => {}
            _ => v.push(EParam::Param(k)),
        }
    }
    for (k, p) in ks.params.iter().enumerate() {
        if matches!(p.kind, Kind::Out) && read[k] {
            v.push(EParam::OutIn(k));
        }
    }
    v
}

/// The outputs (kernel parameter indices) in result order.
pub fn outputs(ks: &KSig) -> Vec<usize> {
    ks.params.iter().enumerate().filter(|(_, p)| matches!(p.kind, Kind::Out | Kind::Sum)).map(|(k, _)| k).collect()
}

pub struct KernelSrc {
    pub source: String,
    pub deps: Vec<syn::Path>,
    pub consts: Vec<TokenStream>,
    pub errors: Vec<(Span, String)>,
}

fn name(ks: &KSig, k: usize, prefix: &str) -> String {
    ident(prefix, &ks.params[k].ident.to_string())
}

/// The CUDA parameter declarations of one of the three kernels.
pub fn decls(ks: &KSig, which: Which) -> Vec<String> {
    let f = ks.float.cuda();
    let mut out = Vec::new();
    for (k, p) in ks.params.iter().enumerate() {
        let a = name(ks, k, "a");
        let d = name(ks, k, "d");
        let b = name(ks, k, "b");
        match &p.kind {
            Kind::Index => {}
            Kind::In { active } => {
                out.push(format!("const {f}* __restrict__ {a}"));
                out.push(format!("const unsigned long long {a}_len"));
                match (which, active) {
                    (Which::Tangent, true) => out.push(format!("const {f}* __restrict__ {d}")),
                    (Which::Adjoint, true) => out.push(format!("{f}* __restrict__ {b}")),
                    _ => {}
                }
            }
            Kind::IntIn { elem } => {
                out.push(format!("const {}* __restrict__ {a}", elem.cuda));
                out.push(format!("const unsigned long long {a}_len"));
            }
            Kind::Scalar { active } => {
                out.push(format!("const {f} {a}"));
                match (which, active) {
                    (Which::Tangent, true) => out.push(format!("const {f} {d}")),
                    (Which::Adjoint, true) => out.push(format!("{f}* __restrict__ {b}")),
                    _ => {}
                }
            }
            Kind::Int { ty } => out.push(format!("const {} {a}", ty.cuda)),
            Kind::Out => {
                out.push(format!("{f}* __restrict__ {a}"));
                match which {
                    Which::Tangent => out.push(format!("{f}* __restrict__ {d}")),
                    Which::Adjoint => out.push(format!("{f}* __restrict__ {b}")),
                    Which::Primal => {}
                }
            }
            Kind::Sum => {
                out.push(format!("{f}* __restrict__ {a}"));
                match which {
                    Which::Tangent => out.push(format!("{f}* __restrict__ {d}")),
                    Which::Adjoint => out.push(format!("const {f}* __restrict__ {b}")),
                    Which::Primal => {}
                }
            }
        }
    }
    out.push("const unsigned long long lz_n".to_string());
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Which {
    Primal,
    Tangent,
    Adjoint,
}

/// The CUDA kernel names.
pub fn kernel_name(ks: &KSig, which: Which) -> String {
    let s = match which {
        Which::Primal => "primal",
        Which::Tangent => "tangent",
        Which::Adjoint => "adjoint",
    };
    format!("{}_{s}", ks.name)
}

/// Binds the primal parameter slots of `f` (the per-element function's
/// parameters) in a printer.
fn bind_primal(pr: &mut Printer<'_>, f: &Func, ks: &KSig, eps: &[EParam]) {
    for (e, ep) in eps.iter().enumerate() {
        match ep {
            EParam::Index => pr.params[e] = Some("lz_i".into()),
            EParam::Param(k) => {
                let a = name(ks, *k, "a");
                match &ks.params[*k].kind {
                    Kind::In { .. } | Kind::IntIn { .. } => {
                        if let Some(ParamSlot::Var(x)) = f.params.get(e) {
                            pr.vars.insert(*x, VarRepr::Ptr { name: a.clone(), len: format!("{a}_len"), atomic: false });
                        }
                    }
                    Kind::Int { ty } if ty.is_bool => pr.params[e] = Some(format!("({a} != 0)")),
                    _ => pr.params[e] = Some(a),
                }
            }
            EParam::OutIn(k) => pr.params[e] = Some(format!("lz_old_{}", name(ks, *k, "a"))),
        }
    }
}

/// Reads the old values of the outputs the body reads (`lz_old_a_y`, and
/// `lz_old_d_y` for the tangent kernel) before anything is written.
fn read_old(src: &mut String, ks: &KSig, eps: &[EParam], tangent: bool) {
    let f = ks.float.cuda();
    for ep in eps {
        if let EParam::OutIn(k) = ep {
            let a = name(ks, *k, "a");
            line(src, 2, &format!("const {f} lz_old_{a} = {a}[lz_i];"));
            if tangent {
                let d = name(ks, *k, "d");
                line(src, 2, &format!("const {f} lz_old_{d} = {d}[lz_i];"));
            }
        }
    }
}

fn line(out: &mut String, ind: usize, s: &str) {
    for _ in 0..ind {
        out.push_str("  ");
    }
    out.push_str(s);
    out.push('\n');
}

/// The values defined as the index parameter (slot 0) in a function.
fn index_values(f: &Func) -> HashSet<V> {
    let mut s = HashSet::new();
    f.body.walk(&mut |st| {
        if let Stmt::Let { v, op: Op::Param(0) } = st {
            s.insert(*v);
        }
    });
    s
}

/// Whether every access of storage `x` in `f` is an accumulation at the
/// element's own index.
fn own_index_only(f: &Func, x: Var) -> bool {
    let idx = index_values(f);
    let mut ok = true;
    f.body.walk(&mut |st| match st {
        Stmt::Store { place, acc, .. } if place.var == x => {
            let own = *acc && place.path.len() == 1 && matches!(place.path[0], Proj::Index(v) if idx.contains(&v));
            if !own {
                ok = false;
            }
        }
        Stmt::Let { op, .. } if op.reads().contains(&x) => ok = false,
        _ => {}
    });
    ok
}

pub fn kernel_source(ks: &KSig, eps: &[EParam], p: &Pipeline, span: Span) -> KernelSrc {
    let shared = Shared::default();
    let fty = ks.float.fty();
    let f = ks.float.cuda();
    let outs = outputs(ks);
    let nout = outs.len();
    let mut src = String::new();
    let head = |src: &mut String, which: Which| {
        src.push_str(&format!("extern \"C\" __global__ void {}(\n    {}) {{\n", kernel_name(ks, which), decls(ks, which).join(",\n    ")));
        line(src, 1, "const unsigned long long lz_i = (unsigned long long)blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x;");
    };
    let zero = match ks.float {
        super::sig::Float::F32 => "0.0f",
        super::sig::Float::F64 => "0.0",
    };

    // ---- primal
    {
        head(&mut src, Which::Primal);
        let mut pr = Printer::new(&p.func, fty.clone(), &shared, span);
        bind_primal(&mut pr, &p.func, ks, eps);
        for (r, k) in outs.iter().enumerate() {
            if matches!(ks.params[*k].kind, Kind::Sum) {
                line(&mut src, 1, &format!("{f} lz_r{r} = {zero};"));
            }
        }
        line(&mut src, 1, "if (lz_i < lz_n) {");
        read_old(&mut src, ks, eps, false);
        pr.body(&mut src, 2);
        let ret = p.func.ret.unwrap_or(0);
        for (r, k) in outs.iter().enumerate() {
            let c = pr.component(ret, r, nout);
            match ks.params[*k].kind {
                Kind::Sum => line(&mut src, 2, &format!("lz_r{r} = {c};")),
                _ => line(&mut src, 2, &format!("{}[lz_i] = {c};", name(ks, *k, "a"))),
            }
        }
        line(&mut src, 1, "}");
        for (r, k) in outs.iter().enumerate() {
            if matches!(ks.params[*k].kind, Kind::Sum) {
                line(&mut src, 1, &format!("lz_reduce_add({}, lz_r{r});", name(ks, *k, "a")));
            }
        }
        src.push_str("}\n\n");
    }

    // ---- tangent
    {
        head(&mut src, Which::Tangent);
        let jf = &p.jvp.func;
        let mut pr = Printer::new(jf, fty.clone(), &shared, span);
        bind_primal(&mut pr, jf, ks, eps);
        for (e, ep) in eps.iter().enumerate() {
            let Some(slot) = p.jvp.tan_param.get(e).copied().flatten() else { continue };
            match ep {
                EParam::Index => {}
                EParam::Param(k) => {
                    let d = name(ks, *k, "d");
                    match &ks.params[*k].kind {
                        Kind::In { .. } => {
                            if let Some(ParamSlot::Var(x)) = jf.params.get(slot) {
                                pr.vars.insert(*x, VarRepr::Ptr { name: d, len: format!("{}_len", name(ks, *k, "a")), atomic: false });
                            }
                        }
                        _ => pr.params[slot] = Some(d),
                    }
                }
                EParam::OutIn(k) => pr.params[slot] = Some(format!("lz_old_{}", name(ks, *k, "d"))),
            }
        }
        for (r, k) in outs.iter().enumerate() {
            if matches!(ks.params[*k].kind, Kind::Sum) {
                line(&mut src, 1, &format!("{f} lz_r{r} = {zero}, lz_dr{r} = {zero};"));
            }
        }
        line(&mut src, 1, "if (lz_i < lz_n) {");
        read_old(&mut src, ks, eps, true);
        pr.body(&mut src, 2);
        let ret = jf.ret.unwrap_or(0);
        for (r, k) in outs.iter().enumerate() {
            let c = pr.component(ret, r, nout);
            let dc = match p.jvp.ret_tan {
                Some(t) => pr.component(t, r, nout),
                None => zero.to_string(),
            };
            match ks.params[*k].kind {
                Kind::Sum => {
                    line(&mut src, 2, &format!("lz_r{r} = {c};"));
                    line(&mut src, 2, &format!("lz_dr{r} = {dc};"));
                }
                _ => {
                    line(&mut src, 2, &format!("{}[lz_i] = {c};", name(ks, *k, "a")));
                    line(&mut src, 2, &format!("{}[lz_i] = {dc};", name(ks, *k, "d")));
                }
            }
        }
        line(&mut src, 1, "}");
        for (r, k) in outs.iter().enumerate() {
            if matches!(ks.params[*k].kind, Kind::Sum) {
                line(&mut src, 1, &format!("lz_reduce_add({}, lz_r{r});", name(ks, *k, "a")));
                line(&mut src, 1, &format!("lz_reduce_add({}, lz_dr{r});", name(ks, *k, "d")));
            }
        }
        src.push_str("}\n\n");
    }

    // ---- adjoint
    {
        head(&mut src, Which::Adjoint);
        let fw = &p.vjp.fwd;
        let bw = &p.vjp.bwd;
        let mut fp = Printer::new(fw, fty.clone(), &shared, span);
        bind_primal(&mut fp, fw, ks, eps);
        let mut bp = Printer::new(bw, fty.clone(), &shared, span);
        bind_primal(&mut bp, bw, ks, eps);
        // Shadows.
        let mut scalar_accs: Vec<(String, String)> = Vec::new();
        let mut outin_accs: Vec<(usize, String)> = Vec::new();
        for (e, ep) in eps.iter().enumerate() {
            let Some(slot) = p.vjp.shadow_param.get(e).copied().flatten() else { continue };
            let Some(ParamSlot::Var(x)) = bw.params.get(slot) else { continue };
            match ep {
                EParam::Index => {}
                EParam::Param(k) => {
                    let b = name(ks, *k, "b");
                    match &ks.params[*k].kind {
                        Kind::In { .. } => {
                            let atomic = !own_index_only(bw, *x);
                            bp.vars.insert(*x, VarRepr::Ptr { name: b, len: format!("{}_len", name(ks, *k, "a")), atomic });
                        }
                        _ => {
                            let local = format!("lz_{b}");
                            bp.vars.insert(*x, VarRepr::Local(local.clone()));
                            scalar_accs.push((b, local));
                        }
                    }
                }
                EParam::OutIn(k) => {
                    let local = format!("lz_{}", name(ks, *k, "b"));
                    bp.vars.insert(*x, VarRepr::Local(local.clone()));
                    outin_accs.push((*k, local));
                }
            }
        }
        bp.params[p.vjp.dout_param] = Some("lz_dout".into());
        for (r, k) in outs.iter().enumerate() {
            if matches!(ks.params[*k].kind, Kind::Sum) {
                line(&mut src, 1, &format!("{f} lz_r{r} = {zero};"));
            }
        }
        for (_, local) in &scalar_accs {
            line(&mut src, 1, &format!("{f} {local} = {zero};"));
        }
        line(&mut src, 1, "if (lz_i < lz_n) {");
        read_old(&mut src, ks, eps, false);
        match tape_bound(fw, span) {
            Ok((nf, ni)) => {
                if !nf.is_zero() {
                    line(&mut src, 2, &format!("{f} lz_tf[{}]; int lz_nf = 0;", nf.cuda(&shared)));
                }
                if !ni.is_zero() {
                    line(&mut src, 2, &format!("long long lz_ti[{}]; int lz_ni = 0;", ni.cuda(&shared)));
                }
            }
            Err((sp, m)) => shared.error(sp, m),
        }
        line(&mut src, 2, "{");
        fp.body(&mut src, 3);
        let ret = fw.ret.unwrap_or(0);
        for (r, k) in outs.iter().enumerate() {
            let c = fp.component(ret, r, nout);
            match ks.params[*k].kind {
                Kind::Sum => line(&mut src, 3, &format!("lz_r{r} = {c};")),
                _ => line(&mut src, 3, &format!("{}[lz_i] = {c};", name(ks, *k, "a"))),
            }
        }
        line(&mut src, 2, "}");
        for (_, local) in &outin_accs {
            line(&mut src, 2, &format!("{f} {local} = {zero};"));
        }
        line(&mut src, 2, "{");
        let douts: Vec<String> = outs
            .iter()
            .map(|k| match ks.params[*k].kind {
                Kind::Sum => format!("{}[0]", name(ks, *k, "b")),
                _ => format!("{}[lz_i]", name(ks, *k, "b")),
            })
            .collect();
        if nout == 1 {
            line(&mut src, 3, &format!("const {f} lz_dout = {};", douts[0]));
        } else {
            line(&mut src, 3, &format!("const auto lz_dout = lz_mk({});", douts.join(", ")));
        }
        bp.body(&mut src, 3);
        line(&mut src, 2, "}");
        for k in &outs {
            if matches!(ks.params[*k].kind, Kind::Out) {
                let b = name(ks, *k, "b");
                match outin_accs.iter().find(|(o, _)| o == k) {
                    Some((_, local)) => line(&mut src, 2, &format!("{b}[lz_i] = {local};")),
                    None => line(&mut src, 2, &format!("{b}[lz_i] = {zero};")),
                }
            }
        }
        line(&mut src, 1, "}");
        for (r, k) in outs.iter().enumerate() {
            if matches!(ks.params[*k].kind, Kind::Sum) {
                line(&mut src, 1, &format!("lz_reduce_add({}, lz_r{r});", name(ks, *k, "a")));
            }
        }
        for (b, local) in &scalar_accs {
            line(&mut src, 1, &format!("lz_reduce_add({b}, {local});"));
        }
        src.push_str("}\n");
    }
    let errors = shared.errors.borrow().clone();
    KernelSrc { source: src, deps: shared.deps.into_inner(), consts: shared.consts.into_inner(), errors }
}
