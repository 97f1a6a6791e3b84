"""The benchmark's workloads in PyTorch, timed inside Python (time.perf_counter), so
that the embedding bridge's call overhead is not counted against torch.

Each function runs its workload `warmup` times untimed, then `repeats` times, and
returns the list of elapsed seconds. They mirror the Swift workloads in Workloads.swift.
"""
import time

import torch


def _times(run, repeats, warmup):
    for _ in range(warmup):
        run()
    elapsed = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        elapsed.append(time.perf_counter() - start)
    return elapsed


def threads():
    return torch.get_num_threads()


def scalar_chain(steps, repeats, warmup):
    """steps x (tanh -> sigmoid) on a 0-d float64, forward and backward."""
    def run():
        x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        y = x
        for _ in range(steps):
            y = torch.sigmoid(torch.tanh(y))
        y.backward()
    return _times(run, repeats, warmup)


def deep_chain(ops, repeats, warmup):
    """A chain of `ops` sin ops on a 0-d float64: forward, backward, release."""
    def run():
        x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        y = x
        for _ in range(ops):
            y = torch.sin(y)
        y.backward()
        del y
    return _times(run, repeats, warmup)


def elementwise(n, repeats, warmup):
    """sum(sigmoid(tanh(x))) on n float64 values, forward and backward."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, dtype=torch.float64, generator=g, requires_grad=True)
    def run():
        x.grad = None
        torch.sigmoid(torch.tanh(x)).sum().backward()
    return _times(run, repeats, warmup)


def matmul(n, repeats, warmup):
    """(a @ b) for n x n float64 matrices, forward and backward with a random upstream
    gradient: three GEMMs."""
    g = torch.Generator().manual_seed(0)
    a = torch.randn(n, n, dtype=torch.float64, generator=g, requires_grad=True)
    b = torch.randn(n, n, dtype=torch.float64, generator=g, requires_grad=True)
    up = torch.randn(n, n, dtype=torch.float64, generator=g)
    def run():
        a.grad = None
        b.grad = None
        (a @ b).backward(up)
    return _times(run, repeats, warmup)


def mlp_step(batch, dtype_name, repeats, warmup):
    """One SGD training step of a 64 -> 128 -> 1 sigmoid MLP with mean squared error."""
    dtype = getattr(torch, dtype_name)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(batch, 64, dtype=dtype, generator=g)
    t = torch.randn(batch, 1, dtype=dtype, generator=g)
    w1 = (torch.randn(64, 128, dtype=dtype, generator=g) * 0.1).requires_grad_()
    b1 = torch.zeros(128, dtype=dtype, requires_grad=True)
    w2 = (torch.randn(128, 1, dtype=dtype, generator=g) * 0.1).requires_grad_()
    b2 = torch.zeros(1, dtype=dtype, requires_grad=True)
    params = [w1, b1, w2, b2]
    def run():
        for p in params:
            p.grad = None
        y = torch.sigmoid(x @ w1 + b1) @ w2 + b2
        loss = ((y - t) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
    return _times(run, repeats, warmup)
