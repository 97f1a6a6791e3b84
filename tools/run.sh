#!/usr/bin/env bash
# The main job, from a fresh machine: install what is missing (tools/setup.sh),
# regenerate every fixture from the specs with torch, and print the parity report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
swift run gen-fixtures "$@"
swift run parity
