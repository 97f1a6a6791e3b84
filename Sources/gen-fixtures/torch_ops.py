"""torch counterparts of op-table entries that are more than one torch call.

Each function takes the operands positionally and the options as keywords (already
renamed), exactly as the op table lists them, and returns what torch computes. Keep
these thin: the math must be torch's own, so that the fixtures are an independent
reference for the Swift implementation.
"""
import torch
import torch.nn.functional as F


def where(condition, a, b):
    """torch.where with a float condition: a nonzero element (NaN included) selects `a`."""
    return torch.where(condition != 0, a, b)


def gelu_tanh(x):
    return F.gelu(x, approximate="tanh")


def dropout(x, mask, p=0.5):
    """Dropout with a given keep-mask: torch's own dropout kernel, x * mask * 1/(1 - p)."""
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return torch.ops.aten.native_dropout_backward(x, mask != 0, scale)


def dropout_eval(x, p=0.5):
    return F.dropout(x, p=p, training=False)


# Comparisons as a 0/1 tensor of the operands' dtype (torch's are bool).
def greater(a, b):
    return torch.gt(a, b).to(a.dtype)


def less(a, b):
    return torch.lt(a, b).to(a.dtype)


def greater_equal(a, b):
    return torch.ge(a, b).to(a.dtype)


def less_equal(a, b):
    return torch.le(a, b).to(a.dtype)


def equal(a, b):
    return torch.eq(a, b).to(a.dtype)


def not_equal(a, b):
    return torch.ne(a, b).to(a.dtype)


def softmax(x, dim=-1):
    return torch.softmax(x, dim)


def log_softmax(x, dim=-1):
    return torch.log_softmax(x, dim)


def softmax_cross_entropy(logits, labels):
    """F.cross_entropy with class indices: the float labels as integers."""
    return F.cross_entropy(logits, labels.long())
