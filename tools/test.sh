#!/usr/bin/env bash
# The test command: installs the system libraries the build links (libpython3-dev,
# libopenblas-dev; no torch needed: the tests read the committed fixtures), then runs
# `swift test`. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --system
swift test "$@"
