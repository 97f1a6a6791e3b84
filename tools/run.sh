#!/usr/bin/env bash
# The main job, from a fresh machine: install what is missing (tools/setup.sh),
# regenerate every fixture from the specs with torch, print the parity report, run
# PyTorch's own OpInfo samples (written to .build/opinfo, not committed), and run the
# benchmark against torch (tools/bench.sh: a release build with AVX2/FMA when the CPU has
# them). Arguments go to gen-fixtures. SKIP_BENCH=1 leaves the benchmark out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
swift run gen-fixtures "$@"
swift run parity
swift run gen-fixtures --opinfo
if [ "${SKIP_BENCH:-0}" != 1 ]; then
  bash tools/bench.sh
fi
