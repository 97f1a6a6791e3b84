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
