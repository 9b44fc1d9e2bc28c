//! The macro recurses over expressions; deep user expressions (hundreds of
//! nested operators) would overflow the compiler thread's stack. Recursive
//! steps run through `guard`, which grows the stack on demand.

/// Runs `f` with at least 256 KiB of stack left, growing it by 8 MiB
/// segments when needed.
pub fn guard<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(256 * 1024, 8 * 1024 * 1024, f)
}
