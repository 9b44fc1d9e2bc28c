#!/usr/bin/env bash
# Install NVIDIA's NVRTC 13.0 (PyPI wheel `nvidia-cuda-nvrtc==13.0.88`) into a
# private directory, for CPU-only NVRTC compile checks of the CUDA C that
# `#[kernel]` emits. No GPU, driver or CUDA toolkit is needed.
#
# Usage:  gpu/ci/install-nvrtc.sh [DEST]
#   DEST defaults to $LEIBNIZ_NVRTC_PREFIX, else <repo>/target/nvrtc-13.0.88.
#
# The last line printed on stdout is the directory holding libnvrtc.so.13 and
# libnvrtc-builtins.so.13.0. Use it as
#   export LEIBNIZ_NVRTC_LIB_DIR=<that dir>             # leibniz-gpu preloads from it
#   export LD_LIBRARY_PATH=<that dir>:$LD_LIBRARY_PATH  # or this, before the process starts
# e.g.
#   NVRTC_LIB=$(gpu/ci/install-nvrtc.sh | tail -n1)
#
# Keep the version at 13.0.x: newer NVRTC emits PTX that a CUDA 13.0 driver
# rejects (DESIGN.md section 7).
set -euo pipefail

VERSION="13.0.88"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dest="${1:-${LEIBNIZ_NVRTC_PREFIX:-$repo/target/nvrtc-$VERSION}}"

find_lib_dir() {
    local f
    f="$(find "$1" -name 'libnvrtc.so.13' \( -type f -o -type l \) 2>/dev/null | head -n1 || true)"
    if [ -n "$f" ]; then dirname "$f"; fi
}

libdir="$(find_lib_dir "$dest")"
if [ -z "$libdir" ] || [ ! -e "$libdir/libnvrtc-builtins.so.13.0" ]; then
    python="${PYTHON:-$(command -v python3 || command -v python)}"
    echo "installing nvidia-cuda-nvrtc==$VERSION into $dest" >&2
    mkdir -p "$dest"
    "$python" -m pip install --disable-pip-version-check --no-deps --quiet \
        --upgrade --target "$dest" "nvidia-cuda-nvrtc==$VERSION" >&2
    libdir="$(find_lib_dir "$dest")"
fi

if [ -z "$libdir" ] || [ ! -e "$libdir/libnvrtc-builtins.so.13.0" ]; then
    echo "error: libnvrtc.so.13 / libnvrtc-builtins.so.13.0 not found under $dest" >&2
    exit 1
fi
echo "NVRTC $VERSION libraries in $libdir; use:" >&2
echo "  export LEIBNIZ_NVRTC_LIB_DIR=$libdir" >&2
echo "  (or) export LD_LIBRARY_PATH=$libdir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" >&2
echo "$libdir"
