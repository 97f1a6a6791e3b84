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
