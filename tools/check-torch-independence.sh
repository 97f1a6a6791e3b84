#!/usr/bin/env bash
# Checks that the torch embedded in gen-fixtures computes matrix products bit for bit as
# torch in a plain Python does (gen-fixtures --check-torch-independence), and that the
# check can fail: with OpenBLAS preloaded into gen-fixtures (what linking it used to do),
# torch's BLAS calls land in OpenBLAS and the check must report differences.
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --product gen-fixtures >&2 || exit 1
bin="$(swift build --show-bin-path)/gen-fixtures"

if ! "$bin" --check-torch-independence "$@"; then
    echo "FAIL: check-torch-independence: torch inside gen-fixtures differs from torch alone" >&2
    exit 1
fi

openblas=""
for candidate in /lib/x86_64-linux-gnu/libopenblas.so.0 /usr/lib/x86_64-linux-gnu/libopenblas.so.0 /usr/lib/aarch64-linux-gnu/libopenblas.so.0; do
    if [ -e "$candidate" ]; then openblas="$candidate"; break; fi
done
if [ -n "$openblas" ]; then
    if LD_PRELOAD="$openblas" "$bin" --check-torch-independence "$@" >/dev/null 2>&1; then
        echo "FAIL: check-torch-independence: with $openblas preloaded the check still passed, so it cannot tell" >&2
        exit 1
    fi
    echo "check-torch-independence: the negative control (OpenBLAS preloaded) is detected"
fi
echo "PASS: check-torch-independence"
