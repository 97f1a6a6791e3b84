"""Matrix products whose exact bits tell which BLAS torch runs on.

`gen-fixtures --check-torch-independence` runs `report()` twice: in the interpreter
embedded in gen-fixtures, and in a plain child Python (`python torch_independence.py`).
If nothing of gen-fixtures captures torch's BLAS symbols, both print the same digests.
Every result is hashed from its raw bytes, so one differing bit in one element shows.
"""
import hashlib
import json
import sys

import torch
import torch.nn.functional as F

# (m, k, n): from a dot product to the benchmark's MLP layer; odd sizes take the
# kernels' edge paths, large ones their blocked and threaded paths.
SHAPES = [(1, 1, 1), (2, 3, 4), (7, 13, 5), (16, 16, 16), (33, 65, 17), (64, 64, 64),
          (128, 300, 1), (256, 64, 128), (5, 1000, 3), (300, 300, 300)]


def _digest(t):
    return hashlib.sha256(t.detach().contiguous().numpy().tobytes()).hexdigest()


def results():
    torch.manual_seed(0)
    out = []
    for dtype in (torch.float64, torch.float32):
        name = str(dtype).replace("torch.", "")
        for (m, k, n) in SHAPES:
            a = torch.randn(m, k, dtype=dtype, requires_grad=True)
            b = torch.randn(k, n, dtype=dtype, requires_grad=True)
            bias = torch.randn(n, dtype=dtype)
            g = torch.randn(m, n, dtype=dtype)
            y = a @ b
            ga, gb = torch.autograd.grad(y, (a, b), g)
            tag = f"{name} {m}x{k}x{n}"
            out.append((f"{tag} a@b", _digest(y)))
            out.append((f"{tag} grad a", _digest(ga)))
            out.append((f"{tag} grad b", _digest(gb)))
            out.append((f"{tag} linear", _digest(F.linear(a, b.T, bias))))
            out.append((f"{tag} addmm", _digest(torch.addmm(bias, a, b))))
            out.append((f"{tag} mv", _digest(a @ b[:, 0])))
            out.append((f"{tag} bmm", _digest(torch.bmm(a.unsqueeze(0).expand(3, m, k), b.unsqueeze(0).expand(3, k, n)))))
    return out


def report():
    """The results as JSON: {"torch": version, "threads": n, "results": [[name, sha256], ...]}."""
    return json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results()})


if __name__ == "__main__":
    sys.stdout.write(report())
