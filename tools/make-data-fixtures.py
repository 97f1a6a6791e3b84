#!/usr/bin/env python3
"""Writes the numpy-, safetensors- and gzip-written files that AutogradNN's format tests
read, into Tests/AutogradNNTests/Fixtures/ (or the directory given as the argument).

Every value is exact in its dtype (small dyadic fractions, integers, powers of two), so
that the Swift tests compare with ==. The tests spell the same values out; change both
together. Run with the torch venv: "$(tools/venv-path.sh)/bin/python" tools/make-data-fixtures.py
"""
import gzip
import os
import struct
import sys

import numpy as np
import torch
from safetensors.torch import save_file

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AutogradNNTests", "Fixtures")
os.makedirs(out, exist_ok=True)


def path(name):
    return os.path.join(out, name)


# --- .npz: the same arrays, stored (np.savez) and deflated (np.savez_compressed) ---------
# floats.npz holds the arrays that become float tensors, integers.npz those that become
# int64 tensors (so that the float tests run before int64 tensors exist).
floats = {
    "f8": ((np.arange(15, dtype=np.float64) - 7) / 4).reshape(5, 3),   # -1.75 ... 1.75
    "f4": np.array([[0.5, -2.0], [3.25, 1024.0]], dtype=np.float32),
    "f2": np.array([1.5, -0.25, 65504.0, 2.0**-14, 2.0**-24], dtype=np.float16),
    "be_f8": np.array([1.5, -2.0, 2.0**1000], dtype=">f8"),
    "be_f4": np.array([0.5, -8.0], dtype=">f4"),
    "fortran2": np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)),
    "fortran3": np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4)),
    "scalar": np.array(7.5),
    "empty": np.zeros((0, 3)),
}
integers = {
    "i8": np.array([-(2**40), 0, 7], dtype="<i8"),
    "i4": np.array([[-5, 6], [7, -8]], dtype="<i4"),
    "be_i4": np.array([1, -2, 300], dtype=">i4"),
    "i2": np.array([-300, 300], dtype="<i2"),
    "i1": np.array([-128, 127], dtype="|i1"),
    "u1": np.array([0, 255], dtype="|u1"),
    "b1": np.array([True, False, True]),
}
arrays = {**floats, **integers}
assert arrays["fortran2"].flags.f_contiguous and not arrays["fortran2"].flags.c_contiguous
for name, group in [("floats", floats), ("integers", integers)]:
    np.savez(path(f"{name}.npz"), **group)
    np.savez_compressed(path(f"{name}_compressed.npz"), **group)

# --- .npy: what np.save writes (the Swift writer must give the same bytes) --------------
np.save(path("saved_f8.npy"), arrays["f8"])
np.save(path("saved_f4.npy"), arrays["f4"])
np.save(path("saved_i8.npy"), arrays["i8"])
np.save(path("saved_scalar.npy"), arrays["scalar"])
# format versions 2.0 and 3.0, which np.save only picks for huge or non-latin-1 headers
for version in [(2, 0), (3, 0)]:
    with open(path(f"version{version[0]}.npy"), "wb") as f:
        np.lib.format.write_array(f, np.array([[1.0, 2.0], [3.0, 4.0]]), version=version)

# --- safetensors: every dtype the Swift reader widens -----------------------------------
save_file({
    "f64": torch.tensor([0.5, -1.25], dtype=torch.float64),
    "f32": torch.tensor([[1.5, -2.0]], dtype=torch.float32),
    "f16": torch.tensor([1.5, -0.25, 65504.0, 2.0**-14, 2.0**-24], dtype=torch.float16),
    "bf16": torch.tensor([1.5, -0.25, 256.0, 2.0**-100, 2.0**100], dtype=torch.bfloat16),
}, path("floats.safetensors"))
save_file({
    "i64": torch.tensor([-(2**40), 0, 7], dtype=torch.int64),
    "i32": torch.tensor([-5, 6], dtype=torch.int32),
    "i16": torch.tensor([-300, 300], dtype=torch.int16),
    "i8": torch.tensor([-128, 127], dtype=torch.int8),
    "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
}, path("integers.safetensors"))

# --- gzip-compressed IDX files: 3 images of 2×3 pixels, 3 labels ------------------------
images = bytes(range(0, 18 * 15, 15))  # 0, 15, ..., 255
labels = bytes([7, 0, 9])
idx_dir = path("idx-gz")
os.makedirs(idx_dir, exist_ok=True)
for split in ["train", "t10k"]:
    for name, data in [(f"{split}-images-idx3-ubyte.gz", struct.pack(">IIII", 0x0803, 3, 2, 3) + images),
                       (f"{split}-labels-idx1-ubyte.gz", struct.pack(">II", 0x0801, 3) + labels)]:
        with open(os.path.join(idx_dir, name), "wb") as f:
            f.write(gzip.compress(data, mtime=0))
# --- real training data with int64 labels, as numpy and torch users write it -----------
# The digits (scikit-learn's bundled 8×8 images; no download), pixels 0…16 as float64,
# labels int64, with np.savez_compressed.
from sklearn.datasets import load_digits

digits = load_digits()
np.savez_compressed(path("digits.npz"), x=np.ascontiguousarray(digits.data, dtype=np.float64),
                    y=np.ascontiguousarray(digits.target, dtype=np.int64))


# DeZero's spiral (dezero/datasets.py, get_spiral: 100 points per class, 3 classes, angle
# noise 0.2, numpy's seed 1984 for the training set, then shuffled), written by torch's
# safetensors: x float32 [300, 2], t int64 [300].
def dezero_spiral(seed=1984, num_data=100, num_class=3):
    np.random.seed(seed)
    x = np.zeros((num_data * num_class, 2), dtype=np.float32)
    t = np.zeros(num_data * num_class, dtype=np.int64)
    for j in range(num_class):
        for i in range(num_data):
            rate = i / num_data
            theta = j * 4.0 + 4.0 * rate + np.random.randn() * 0.2
            x[num_data * j + i] = [rate * np.sin(theta), rate * np.cos(theta)]
            t[num_data * j + i] = j
    order = np.random.permutation(num_data * num_class)
    return x[order], t[order]


spiral_x, spiral_t = dezero_spiral()
save_file({"x": torch.from_numpy(spiral_x), "t": torch.from_numpy(spiral_t)}, path("spiral.safetensors"))
print(f"wrote fixtures to {out}")
