#!/usr/bin/env bash
# CLI-level checks that gen-fixtures and parity refuse hostile specs and fixtures with an
# `error:` line and a non-zero exit, without writing outside --out. Needs no torch: every
# refusal checked here happens before torch starts (the Python given does not exist).
# Usage: tools/check-hostile-inputs.sh   (builds the tools first; run from anywhere)
set -uo pipefail
cd "$(dirname "$0")/.."
swift build --product gen-fixtures >/dev/null && swift build --product parity >/dev/null || exit 1
bin="$(swift build --show-bin-path)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# expect_refusal NAME EXPECTED-TEXT COMMAND...: the command exits non-zero with an error: line containing the text.
expect_refusal() {
    local name="$1" expected="$2"
    shift 2
    local output status
    output="$("$@" 2>&1)"
    status=$?
    if [[ $status -ne 0 ]] && grep -q "^error: .*$expected" <<<"$output"; then
        echo "ok    $name"
    else
        echo "FAIL  $name (exit $status): $output" | head -5
        failures=$((failures + 1))
    fi
}

gen=("$bin/gen-fixtures" --python /nonexistent/python)
case_json='{"name": "a", "expr": "x", "inputs": {"x": 1.0}}'

mkdir -p "$work/out" "$work/victim"
echo original >"$work/victim/important.json"
echo "{\"suite\": \"../victim/important\", \"cases\": [$case_json]}" >"$work/escape.json"
expect_refusal "suite name with ../ is refused" "field 'suite'" "${gen[@]}" --spec "$work/escape.json" --out "$work/out"
[[ "$(cat "$work/victim/important.json")" == original ]] || { echo "FAIL  the file outside --out changed"; failures=$((failures + 1)); }

echo '{"kind": "training", "suite": "t", "cases": [{"name": "../../x", "model": {"kind": "mlp", "sizes": [1, 1]}, "data": {"kind": "sine", "n": 4, "seed": 0}, "loss": "mse", "optimizer": {"kind": "sgd", "lr": 0.1}, "steps": 1}]}' >"$work/training.json"
expect_refusal "training case name with ../ is refused" "field 'name'" "${gen[@]}" --spec "$work/training.json" --out "$work/out"

echo "{\"suite\": \"ok\", \"cases\": [$case_json]}" >"$work/ok.json"
touch "$work/not-a-directory"
expect_refusal "--out that is a file is refused before torch" "not a directory" "${gen[@]}" --spec "$work/ok.json" --out "$work/not-a-directory"
expect_refusal "--out under a file is refused before torch" "cannot create the output directory" "${gen[@]}" --spec "$work/ok.json" --out "$work/not-a-directory/sub"

echo '{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [4294967296, 4294967296, 0], "randn": 1}}}]}' >"$work/overflow.json"
expect_refusal "overflowing shape is refused" "inputs.x" "${gen[@]}" --spec "$work/overflow.json" --out "$work/out"
echo '{"suite": "s", "cases": [{"name": "a", "expr": "x", "inputs": {"x": {"shape": [4000, 4000], "randn": 1}}}]}' >"$work/big.json"
expect_refusal "a [4000, 4000] randn is refused" "max-tensor-elements" "${gen[@]}" --spec "$work/big.json" --out "$work/out"
# Raised, the same spec passes the limits and fails only on the missing Python.
expect_refusal "--max-tensor-elements raises the limit" "no Python" "${gen[@]}" --spec "$work/big.json" --out "$work/out" \
    --max-tensor-elements 16000000 --max-case-elements 16000000
sed 's/"name": "\.\.\/\.\.\/x"/"name": "big"/; s/"sizes": \[1, 1\]/"sizes": [1, 100000, 100000, 1]/' "$work/training.json" >"$work/model.json"
expect_refusal "an 80 GB model is refused" "max-model-parameters" "${gen[@]}" --spec "$work/model.json" --out "$work/out"
truncate -s 100M "$work/huge.json"
expect_refusal "a 100 MB spec is refused" "max-file-bytes" "${gen[@]}" --spec "$work/huge.json" --out "$work/out"

echo '{"suite": "s", "torch": "t", "python": "p", "cases": [{"name": "a", "expr": "x", "dtype": "float64", "order": 1, "inputs": {"x": {"shape": [4294967296, 4294967296, 0], "data": []}}, "upstream": {"shape": [], "data": [1.0]}, "output": {"shape": [], "data": [1.0]}, "grads": [{"x": {"shape": [0], "data": []}}]}]}' >"$work/fixture.json"
expect_refusal "parity refuses an overflowing fixture shape" "inputs.x.shape" "$bin/parity" "$work/fixture.json"
expect_refusal "parity refuses a 100 MB fixture" "max-file-bytes" "$bin/parity" "$work/huge.json"

if [[ -n "$(ls -A "$work/out")" ]]; then
    echo "FAIL  refused runs wrote into --out: $(ls -A "$work/out")"
    failures=$((failures + 1))
fi
[[ $failures -eq 0 ]] && echo "all hostile-input checks passed" || { echo "$failures check(s) failed"; exit 1; }
