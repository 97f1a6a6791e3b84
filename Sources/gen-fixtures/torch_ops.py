"""torch counterparts of op-table entries that are more than one torch call.

Each function takes the operands positionally and the options as keywords (already
renamed), exactly as the op table lists them, and returns what torch computes. Keep
these thin: the math must be torch's own, so that the fixtures are an independent
reference for the Swift implementation.
"""
import torch


def transpose(x, dims=None):
    """torch.permute; without dims, all axes reversed (numpy's x.T, for any rank)."""
    if dims is None:
        dims = tuple(reversed(range(x.dim())))
    return torch.permute(x, dims)


def linear(x, w, b):
    """DeZero's linear, x @ w + b with w of shape [in, out]: torch's F.linear takes
    the weight as [out, in], so it gets w transposed."""
    return torch.nn.functional.linear(x, w.T, b)


def linear_nobias(x, w):
    """DeZero's linear without a bias: F.linear(x, w.T)."""
    return torch.nn.functional.linear(x, w.T)


def split(x, split_size_or_sections, dim=0):
    """torch.split. The expression language hands a list of sizes over as a constant
    1-d tensor and a chunk size as a float; torch.split wants a list of ints or an int."""
    def integer(v):
        if v != int(v):
            raise TypeError(f"split sizes must be integers, not {v}")
        return int(v)
    if isinstance(split_size_or_sections, torch.Tensor):
        if split_size_or_sections.dim() != 1:
            raise TypeError("split sizes must be an integer or a list of integers")
        sizes = [integer(v) for v in split_size_or_sections.tolist()]
    else:
        sizes = integer(split_size_or_sections)
    return torch.split(x, sizes, dim=dim)


def reduce_sum(x, dim=None, keepdim=False):
    """torch.sum, with `keepdim` allowed without `dim` (all axes), as the op table's
    `sum(x, keepdims=true)` means: torch.sum(x, keepdim=True) alone is a TypeError."""
    return torch.sum(x, dim=dim, keepdim=keepdim)


def reduce_mean(x, dim=None, keepdim=False):
    """torch.mean, with `keepdim` allowed without `dim` (all axes)."""
    return torch.mean(x, dim=dim, keepdim=keepdim)
