#!/usr/bin/env python3
"""Exports scikit-learn's bundled digits (sklearn.datasets.load_digits: 1,797 images of
8×8 pixels with values 0…16, classes 0…9; no download) to an .npz archive that
AutogradNN's NPZ.read reads:

    x  float64 [1797, 64]   the pixels, row-major per image, unscaled (0…16)
    y  int64   [1797]       the digit of each image

Usage: "$(tools/venv-path.sh)/bin/python" tools/export-digits.py digits.npz
(scikit-learn is in the venv that tools/setup.sh makes.)
"""
import sys

import numpy as np
from sklearn.datasets import load_digits

if len(sys.argv) != 2:
    sys.exit("usage: export-digits.py OUTPUT.npz")
digits = load_digits()
x = np.ascontiguousarray(digits.data, dtype=np.float64)
y = np.ascontiguousarray(digits.target, dtype=np.int64)
assert x.shape == (1797, 64) and y.shape == (1797,)
np.savez(sys.argv[1], x=x, y=y)
print(f"wrote {sys.argv[1]}: x float64 {list(x.shape)}, y int64 {list(y.shape)}")
