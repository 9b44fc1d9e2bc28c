#!/usr/bin/env bash
# The GPU checks of #[kernel] on a GPU machine (the H200 lent to some tasks),
# with binaries built beforehand on a machine without a GPU:
#
#   gpu/ci/bench-h200.sh build [DIR]   # here: builds with `--features cuda`
#                                      # and copies the binaries into DIR
#                                      # (default target/gpu-bench, < 64 MiB)
#   gpu/ci/bench-h200.sh run [DIR]     # there: runs them from DIR
#
# `run` executes, each under a time limit:
#   1. tests/kernel_gpu.rs            GPU against CPU twin for value, JVP and
#                                     VJP of every corpus kernel
#   2. gpu/tests/device.rs            the host runtime on a device
#   3. examples/stencil_bandwidth.rs  achieved bandwidth of the primal,
#                                     tangent and adjoint kernels of a
#                                     five-point stencil, f32 and f64, next to
#                                     a copy kernel (targets: adjoint ≥ 70 %,
#                                     tangent ≥ 80 % of the primal's)
#   4. the examples heat_fit and soft_raster on the GPU
# with LEIBNIZ_REQUIRE_GPU=1 (a missing device is a failure, not a skip).
# Output goes to $OUT/gpu-results.txt when $OUT is set (the device tool's
# folder that comes back), else to DIR/gpu-results.txt. NVRTC and the driver
# are found at run time (libcuda.so, libnvrtc.so.13 from the CUDA install;
# LEIBNIZ_NVRTC_LIB_DIR to point elsewhere).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cmd="${1:-run}"
dir="${2:-$repo/target/gpu-bench}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

case "$cmd" in
build)
    cd "$repo"
    mkdir -p "$dir"
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
    cargo build --release --features cuda --example stencil_bandwidth --example heat_fit --example soft_raster
    for e in stencil_bandwidth heat_fit soft_raster; do
        cp "$CARGO_TARGET_DIR/release/examples/$e" "$dir/"
    done
    # test binaries: cargo prints "Executable tests/x.rs (/path/to/x-hash)"
    exe() { sed -n "s|.*Executable $1 (\(.*\))|\1|p" | tail -n1; }
    t="$(cargo test --release --features cuda --test kernel_gpu --no-run 2>&1 | exe tests/kernel_gpu.rs)"
    cp "$t" "$dir/kernel_gpu"
    t="$(cargo test --release -p leibniz-ad-gpu --features cuda --test device --no-run 2>&1 | exe tests/device.rs)"
    cp "$t" "$dir/gpu_device"
    strip "$dir"/* 2>/dev/null || true
    du -sh "$dir"
    echo "built into $dir; on the GPU machine: gpu/ci/bench-h200.sh run $dir"
    ;;
run)
    results="${OUT:-$dir}/gpu-results.txt"
    mkdir -p "$(dirname "$results")"
    export LEIBNIZ_REQUIRE_GPU=1
    status=0
    step() {
        local limit="$1"; shift
        echo "==================== $*" | tee -a "$results"
        if ! timeout "$limit" "$@" 2>&1 | tee -a "$results"; then
            echo "FAILED: $*" | tee -a "$results"
            status=1
        fi
    }
    : > "$results"
    if command -v nvidia-smi >/dev/null; then
        nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv 2>&1 | tee -a "$results" || true
    fi
    step 120 "$dir/kernel_gpu" --test-threads=1
    step 120 "$dir/gpu_device" --test-threads=1
    step 180 "$dir/stencil_bandwidth" --n 8192 --iters 50 --f32
    step 180 "$dir/stencil_bandwidth" --n 8192 --iters 50 --f64
    cd "$dir"
    step 120 ./heat_fit
    step 120 ./soft_raster
    echo "results in $results"
    exit "$status"
    ;;
*)
    echo "usage: $0 build|run [DIR]" >&2
    exit 2
    ;;
esac
