#!/usr/bin/env bash
# Prints where the shared torch venv lives (one place, read by setup.sh and by CI).
printf '%s\n' "${AUTOGRAD_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/swift-autograd/torch-venv}"
