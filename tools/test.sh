#!/usr/bin/env bash
# The test command: builds everything and runs `swift test` (which needs no Python:
# the tests read the committed fixtures). Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test "$@"
