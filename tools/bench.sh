#!/usr/bin/env bash
# The benchmark built for this machine: with AVX2 and FMA (`-target-cpu haswell`) when
# the CPU has both (/proc/cpuinfo), else with the default target. It builds in its own
# scratch directory (.build-native), so that the default build in .build, which tests,
# gen-fixtures and parity use, is not rebuilt with other flags. Arguments go to `bench`
# (`--quick`, `--rounds N`, `--only TEXT`, `--json FILE`, `--python PATH`,
# `--torch-threads N`, `--blas-crossover`; `--help` lists them). torch runs in its own
# Python process (the torch venv's, see tools/venv-path.sh); docs/Performance.md
# describes the measurement and the latest numbers.
#
# The library itself builds and runs without these flags; the vectorised kernels then use
# SSE2 (2 doubles per instruction instead of 4, and no fused multiply-add).
set -euo pipefail
cd "$(dirname "$0")/.."

flags=()
if [ -r /proc/cpuinfo ] && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  flags=(-Xswiftc -target-cpu -Xswiftc haswell)
else
  printf 'bench.sh: no AVX2/FMA on this CPU; building for the default target\n' >&2
fi
exec swift run -c release --scratch-path .build-native "${flags[@]}" bench "$@"
