"""torch counterparts of op-table entries that are more than one torch call.

Each function takes the operands positionally and the options as keywords (already
renamed), exactly as the op table lists them, and returns what torch computes. Keep
these thin: the math must be torch's own, so that the fixtures are an independent
reference for the Swift implementation.
"""
import torch
import torch.nn.functional as F


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


def reduce_sum(x, dim=None, keepdim=False, dtype=None):
    """torch.sum, with `keepdim` allowed without `dim` (all axes), as the op table's
    `sum(x, keepdims=true)` means: torch.sum(x, keepdim=True) alone is a TypeError."""
    return torch.sum(x, dim=dim, keepdim=keepdim, dtype=dtype)


def reduce_mean(x, dim=None, keepdim=False, dtype=None):
    """torch.mean, with `keepdim` allowed without `dim` (all axes)."""
    return torch.mean(x, dim=dim, keepdim=keepdim, dtype=dtype)


def max_pool2d_with_indices(x, **options):
    """F.max_pool2d with return_indices=True: the values and the int64 positions."""
    return F.max_pool2d(x, return_indices=True, **options)


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


# Comparisons as a 0/1 tensor of the operands' promoted dtype (torch's are bool):
# int64 for two int64 operands, the float dtype when one is floating-point.
def greater(a, b):
    return torch.gt(a, b).to(torch.result_type(a, b))


def less(a, b):
    return torch.lt(a, b).to(torch.result_type(a, b))


def greater_equal(a, b):
    return torch.ge(a, b).to(torch.result_type(a, b))


def less_equal(a, b):
    return torch.le(a, b).to(torch.result_type(a, b))


def equal(a, b):
    return torch.eq(a, b).to(torch.result_type(a, b))


def not_equal(a, b):
    return torch.ne(a, b).to(torch.result_type(a, b))


def softmax(x, dim=-1, dtype=None):
    return torch.softmax(x, dim, dtype=dtype)


def log_softmax(x, dim=-1, dtype=None):
    return torch.log_softmax(x, dim, dtype=dtype)


def cumsum(x, dim, dtype=None):
    return torch.cumsum(x, dim, dtype=dtype)


def softmax_cross_entropy(logits, labels):
    """F.cross_entropy: int64 labels as they are, float labels (the harness's
    whole-numbered literals) as integers, and float targets of the logits' shape as class
    probabilities, as the library reads them."""
    return F.cross_entropy(logits, _class_targets(logits, labels))


def _pair(v):
    """An int or a list of one or two ints as the 2-tuple unfold/fold require (conv2d
    and the pooling ops accept a one-element list themselves; these two do not)."""
    if isinstance(v, int):
        return (v, v)
    v = tuple(v)
    return v * 2 if len(v) == 1 else v


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    return F.unfold(x, _pair(kernel_size), dilation=_pair(dilation), padding=_pair(padding), stride=_pair(stride))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    return F.fold(x, _pair(output_size), _pair(kernel_size), dilation=_pair(dilation), padding=_pair(padding),
                  stride=_pair(stride))


    """F.cross_entropy with class indices: the float labels as integers."""
    return F.cross_entropy(logits, labels.long())


def batch_norm(x, running_mean, running_var, weight, bias, training=False, momentum=0.1, eps=1e-5):
    """F.batch_norm on copies of the running statistics (leaves of the case, which
    training would update in place): the op table's batch_norm drops the updated ones."""
    return F.batch_norm(x, running_mean.detach().clone(), running_var.detach().clone(), weight, bias,
                        training=training, momentum=momentum, eps=eps)


def layer_norm(x, weight, bias, normalized_shape, eps=1e-5):
    """F.layer_norm, whose normalized_shape comes second in torch's signature."""
    return F.layer_norm(x, tuple(normalized_shape), weight, bias, eps=eps)


def embedding(indices, weight, padding_idx=None):
    """F.embedding with the expression language's float indices as int64 (refusing
    fractions, as the Swift side does)."""
    if not torch.equal(indices, indices.round()):
        raise TypeError("embedding indices must be whole numbers")
    return F.embedding(indices.detach().long(), weight, padding_idx=padding_idx)


def _class_targets(input, target):
    """Class-index targets as torch wants them (int64): the harness writes literal labels
    as whole-numbered floats. Probability targets (the input's shape) are left as they are."""
    if target.dtype == torch.long or target.shape == input.shape:
        return target
    return target.long()


def cross_entropy(input, target, **options):
    """F.cross_entropy, with whole-numbered float class labels read as int64."""
    return F.cross_entropy(input, _class_targets(input, target), **options)


def nll_loss(input, target, **options):
    """F.nll_loss, with whole-numbered float class labels read as int64."""
    return F.nll_loss(input, target if target.dtype == torch.long else target.long(), **options)


def add(a, b, alpha=None):
    """a + b as Python's operator (a number on either side), or torch.add with alpha."""
    return a + b if alpha is None else torch.add(a, b, alpha=alpha)


def sub(a, b, alpha=None):
    """a - b as Python's operator (a number on either side), or torch.sub with alpha."""
    return a - b if alpha is None else torch.sub(a, b, alpha=alpha)
def softmin(x, dim=-1, dtype=None):
    return F.softmin(x, dim, dtype=dtype)


def prod(x, dim=None, keepdim=None, dtype=None):
    # torch.prod takes keepdim only with dim: passed on as given, so torch refuses the rest.
    kwargs = {} if keepdim is None else {"keepdim": keepdim}
    if dtype is not None:
        kwargs["dtype"] = dtype
    return torch.prod(x, **kwargs) if dim is None else torch.prod(x, dim, **kwargs)


def norm(x, p=2, dim=None, keepdim=False):
    return torch.linalg.vector_norm(x, ord=p, dim=dim, keepdim=keepdim)


def gather(x, index, dim):
    # torch's order is (input, dim, index); the expression's operands come first.
    return torch.gather(x, dim, index)


def flip(x, dims):
    # One axis is written as an integer; torch.flip takes only a list.
    return torch.flip(x, [dims] if isinstance(dims, int) else dims)
