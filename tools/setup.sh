#!/usr/bin/env bash
# Installs what the build and the fixture generator need, and only what is missing:
#   - Debian's libpython3-dev (the libpython3.11 that gen-fixtures links against)
#   - Debian's libopenblas-dev (the CBLAS that the Autograd library's matrix products call)
#   - Debian's zlib1g-dev (inflate and crc32, for .npz archives and gzip files)
#   - a Python venv made from Debian's /usr/bin/python3 with pinned torch, numpy,
#     safetensors, scikit-learn, and expecttest and hypothesis (which torch's OpInfo
#     database, read by gen-fixtures --opinfo, imports) (the training-parity generator loads Swift-written
#     model files with safetensors.torch.load_file; without it, it falls back to its own
#     small reader; tools/export-digits.py exports scikit-learn's bundled digits).
#
# The venv lives outside the repository so that every clone shares it:
#   ${AUTOGRAD_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/swift-autograd/torch-venv}
# Running this script again is cheap: each step checks before it acts.
# With --system, only the apt packages (what `swift build` and `swift test` need).
set -euo pipefail

TORCH_VERSION="2.15.0"
NUMPY_VERSION="2.4.6"
SAFETENSORS_VERSION="0.8.0"
SKLEARN_VERSION="1.9.1"  # tools/export-digits.py: scikit-learn's bundled digits
# torch's OpInfo database (gen-fixtures --opinfo) imports torch's test utilities, which need these.
EXPECTTEST_VERSION="0.3.0"
HYPOTHESIS_VERSION="6.170.27"

venv="$("$(dirname "$0")/venv-path.sh")"
say() { printf 'setup: %s\n' "$*"; }

# 1. apt packages, each checked through pkg-config:
#    - libpython3-dev (python3-embed). Debian's, not pyenv's: the embedded
#      interpreter and the venv's python must be the same build.
#    - libopenblas-dev (openblas): cblas_dgemm / cblas_sgemm for matmul.
#    - zlib1g-dev (zlib): inflate and crc32 for .npz archives and gzip-compressed files.
apt_packages=()
if ! pkg-config --exists python3-embed 2>/dev/null || [ ! -f /usr/include/python3.11/Python.h ]; then
  apt_packages+=(libpython3-dev python3-venv pkg-config)
else
  say "libpython3-dev present"
fi
if ! pkg-config --exists openblas 2>/dev/null; then
  apt_packages+=(libopenblas-dev pkg-config)
else
  say "libopenblas-dev present"
fi
if ! pkg-config --exists zlib 2>/dev/null; then
  apt_packages+=(zlib1g-dev pkg-config)
else
  say "zlib1g-dev present"
fi
if [ "${1:-}" != "--system" ] && ! /usr/bin/python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt_packages+=(python3-venv)  # Debian's python3 makes the torch venv
fi
if [ "${#apt_packages[@]}" -gt 0 ]; then
  say "installing ${apt_packages[*]} (apt)"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if [ "${1:-}" = "--system" ]; then
  exit 0
fi

# 2. The venv, from /usr/bin/python3 (the pyenv python3 on PATH has its own libpython).
if [ ! -x "$venv/bin/python" ]; then
  say "creating venv at $venv"
  mkdir -p "$(dirname "$venv")"
  /usr/bin/python3 -m venv "$venv"
fi

# 3. torch, numpy and safetensors, pinned. Checked by importing, not by pip's records.
have() { "$venv/bin/python" - "$1" "$2" <<'PY' 2>/dev/null
import importlib, sys
m = importlib.import_module(sys.argv[1])
sys.exit(0 if m.__version__.split("+")[0] == sys.argv[2] else 1)
PY
}
if have numpy "$NUMPY_VERSION" && have torch "$TORCH_VERSION" && have safetensors "$SAFETENSORS_VERSION" \
    && have sklearn "$SKLEARN_VERSION"; then
  say "torch $TORCH_VERSION, numpy $NUMPY_VERSION, safetensors $SAFETENSORS_VERSION and scikit-learn $SKLEARN_VERSION present"
else
  say "installing torch==$TORCH_VERSION numpy==$NUMPY_VERSION safetensors==$SAFETENSORS_VERSION scikit-learn==$SKLEARN_VERSION into the venv (a few GB, about a minute)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "torch==$TORCH_VERSION" "numpy==$NUMPY_VERSION" "safetensors==$SAFETENSORS_VERSION" "scikit-learn==$SKLEARN_VERSION"
fi

# 4. expecttest and hypothesis, for torch.testing._internal's op_db (gen-fixtures --opinfo).
# (expecttest has no __version__: the installed distributions' metadata says.)
if "$venv/bin/python" - "$EXPECTTEST_VERSION" "$HYPOTHESIS_VERSION" <<'PY' 2>/dev/null
import importlib.metadata as metadata, sys
sys.exit(0 if [metadata.version("expecttest"), metadata.version("hypothesis")] == sys.argv[1:] else 1)
PY
then
  say "expecttest $EXPECTTEST_VERSION and hypothesis $HYPOTHESIS_VERSION present"
else
  say "installing expecttest==$EXPECTTEST_VERSION hypothesis==$HYPOTHESIS_VERSION into the venv (torch's OpInfo samples)"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "expecttest==$EXPECTTEST_VERSION" "hypothesis==$HYPOTHESIS_VERSION"
fi

say "ready: $venv/bin/python ($("$venv/bin/python" -c 'import torch, sys; print("torch", torch.__version__, "python", sys.version.split()[0])'))"
