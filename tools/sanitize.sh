#!/usr/bin/env bash
# The whole test suite under ThreadSanitizer, then under AddressSanitizer (with
# LeakSanitizer). Each sanitizer builds in its own scratch directory (.build-tsan,
# .build-asan), so the default build in .build is left alone. Arguments go to both
# `swift test` runs (`--filter ConcurrentBackward`, say).
#
# Leaks: the tests that embed CPython (PythonBridgeTests) leave the interpreter's
# allocations alive at exit, as every embedding does (an interpreter is never finalised:
# numpy cannot be loaded twice). tools/lsan.supp suppresses leaks whose stack passes
# through libpython; any other leak fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --system

echo "== swift test --sanitize=thread"
TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}" \
    swift test --sanitize=thread --scratch-path .build-tsan "$@"

echo "== swift test --sanitize=address"
ASAN_OPTIONS="detect_leaks=1 ${ASAN_OPTIONS:-}" LSAN_OPTIONS="suppressions=$PWD/tools/lsan.supp ${LSAN_OPTIONS:-}" \
    swift test --sanitize=address --scratch-path .build-asan "$@"
