#!/usr/bin/env bash
# Checks that an operator's trap keeps its message in a release build.
#
# Operators (`a * b`, `x[i]`) cannot throw, so on bad input they stop the program with
# the error's description. `precondition`/`preconditionFailure` drop that message in -O
# builds, leaving a bare "illegal instruction"; the library uses `fatalError`, which
# keeps it. This script builds `trap-message-check` (Sources/trap-message-check, which
# multiplies a [2, 3] tensor by a [4] one) with `-c release` and checks that it exits
# non-zero with the message on stderr. Prints one PASS or FAIL line; exits 1 on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

product=trap-message-check
expected='multiply: shapes [2, 3] and [4] do not broadcast'
scratch=.build-release

if ! swift build -c release --scratch-path "$scratch" --product "$product" >&2; then
    echo "FAIL: check-release-traps: could not build $product in release" >&2
    exit 1
fi
binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/$product"

stderr_file="$(mktemp)"
trap 'rm -f "$stderr_file"' EXIT
# The braces' own stderr goes to /dev/null so that bash's "Illegal instruction" job
# report does not clutter the output; the program's stderr goes to the file.
{ "$binary" 2>"$stderr_file" >/dev/null; status=$?; } 2>/dev/null

if [ "$status" -eq 0 ]; then
    echo "FAIL: check-release-traps: $product exited 0; a * b of shapes [2, 3] and [4] should trap" >&2
    exit 1
fi
if ! grep -qF -- "$expected" "$stderr_file"; then
    echo "FAIL: check-release-traps: $product exited with status $status but its stderr lacks \"$expected\"; stderr was:" >&2
    sed 's/^/    /' "$stderr_file" >&2
    exit 1
fi
echo "PASS: check-release-traps: the release build stops with \"$expected\" (exit status $status)"
