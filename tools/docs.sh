#!/usr/bin/env bash
# Generates the DocC documentation of Autograd, AutogradNN, Parity and ParityAutograd (the catalogs under
# Sources/*/*.docc and the doc comments) and fails on any warning: an unresolvable or
# ambiguous link, an undocumented parameter, a malformed article. CI runs it.
# Extra arguments go to `swift package generate-documentation` (e.g. --output-path DIR
# with --disable-sandbox). Archives land in .build/plugins/Swift-DocC/outputs/.
set -uo pipefail
cd "$(dirname "$0")/.."

targets=(Autograd AutogradNN Parity ParityAutograd)
failed=()
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

for target in "${targets[@]}"; do
    echo "== docs: $target"
    swift package generate-documentation --target "$target" --warnings-as-errors "$@" >"$log" 2>&1
    status=$?
    # DocC's own diagnostics start with "warning:" or "error:"; with --warnings-as-errors a
    # warning already fails the run, the grep is a second net.
    problems="$(grep -a -E '^(warning|error):' "$log" | sort -u)"
    if [[ $status -ne 0 || -n "$problems" ]]; then
        cat "$log"
        echo "docs: $target FAILED (exit $status)${problems:+; diagnostics:}" >&2
        [[ -n "$problems" ]] && echo "$problems" >&2
        failed+=("$target")
    else
        grep -a -E '^Generated|doccarchive' "$log" | tail -1
        echo "docs: $target OK (no warnings)"
    fi
done

if (( ${#failed[@]} )); then
    echo "docs.sh: documentation has warnings or errors in: ${failed[*]}" >&2
    exit 1
fi
echo "docs.sh: ${targets[*]}: documentation generated without warnings"
