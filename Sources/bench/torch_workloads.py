"""The benchmark's workloads in PyTorch, run as `bench`'s child process: a plain Python
running torch as its users run it (its own BLAS and threads, nothing of bench's in the
process).

Protocol: one JSON object per line on stdin, one reply per line on stdout, in order.
Every reply has "ok" (true/false); a false one has "error" (a message).

  {"op": "hello", "threads": N}           torch.set_num_threads(N); replies "torch" (version),
                                           "threads" (torch.get_num_threads()), "interop_threads",
                                           "python", "parallel" (torch's parallel backend and BLAS)
  {"op": "prepare", "id": S, "function": F, "args": [...], "threads": N}
                                           torch.set_num_threads(N) if "threads" is given (it
                                           stays for later workloads), then builds workload F
                                           (a function below) once; its inputs are kept under
                                           id S; replies "threads" (torch.get_num_threads())
  {"op": "time", "id": S, "iterations": K, "warmup": W}
                                           W untimed runs, then K runs timed together
                                           (time.perf_counter); replies "seconds" (their total)
  {"op": "release", "id": S}               forgets workload S

End of input ends the process. Each workload function takes its arguments and returns a
`run()` closure over inputs it has built; they mirror Sources/bench/Workloads.swift.
"""
import json
import platform
import sys
import time
import traceback

try:
    import torch
    _import_error = None
except Exception as e:  # ImportError, or a torch that fails while loading
    torch = None
    _import_error = f"{type(e).__name__}: {e}"


def scalar_chain(steps):
    """steps x (tanh -> sigmoid) on a 0-d float64, forward and backward."""
    def run():
        x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        y = x
        for _ in range(steps):
            y = torch.sigmoid(torch.tanh(y))
        y.backward()
    return run


def deep_chain(ops):
    """A chain of `ops` sin ops on a 0-d float64: forward, backward, release."""
    def run():
        x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
        y = x
        for _ in range(ops):
            y = torch.sin(y)
        y.backward()
        del y
    return run


def elementwise(n):
    """sum(sigmoid(tanh(x))) on n float64 values, forward and backward."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, dtype=torch.float64, generator=g, requires_grad=True)

    def run():
        x.grad = None
        torch.sigmoid(torch.tanh(x)).sum().backward()
    return run


def matmul(n):
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
    return run


def mlp_step(batch, dtype_name):
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
    return run


def conv2d(batch, in_channels, out_channels, size, dtype_name):
    """F.conv2d(x, w, b, padding=1) with a 3x3 kernel, forward and backward with a fixed
    random upstream gradient: the gradients of the input, the weight and the bias."""
    dtype = getattr(torch, dtype_name)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(batch, in_channels, size, size, dtype=dtype, generator=g, requires_grad=True)
    w = (torch.randn(out_channels, in_channels, 3, 3, dtype=dtype, generator=g) * 0.1).requires_grad_()
    b = (torch.randn(out_channels, dtype=dtype, generator=g) * 0.1).requires_grad_()
    up = torch.randn(batch, out_channels, size, size, dtype=dtype, generator=g)

    def run():
        x.grad = None
        w.grad = None
        b.grad = None
        torch.nn.functional.conv2d(x, w, b, padding=1).backward(up)
    return run


def lstm_sequence(steps, batch, input_size, hidden_size):
    """nn.LSTM(input_size, hidden_size) over a [steps, batch, input_size] float32 input
    (no requires_grad) from zero state, then the backward of the sum of every step's
    output: the parameters' gradients."""
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(input_size, hidden_size)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(steps, batch, input_size, generator=g)

    def run():
        lstm.zero_grad(set_to_none=True)
        output, _ = lstm(x)
        output.sum().backward()
    return run


def digits_epoch(path, rows, batch):
    """One training epoch of nn.Sequential(Linear(64, 64), ReLU, Linear(64, 10)) with Adam
    (lr 1e-3) and F.cross_entropy, float32, over the first `rows` digits of the .npz at
    `path` (x float64 [N, 64] pixels 0..16, divided by 16; y int64), in batches of `batch`
    in order (slices of the in-memory tensors: no shuffling, no DataLoader workers). The
    model and optimizer persist across runs: each run is one more epoch."""
    import numpy
    archive = numpy.load(path)
    x = torch.from_numpy(archive["x"][:rows] / 16).to(torch.float32)
    y = torch.from_numpy(archive["y"][:rows]).to(torch.int64)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def run():
        for start in range(0, rows, batch):
            loss = torch.nn.functional.cross_entropy(model(x[start:start + batch]), y[start:start + batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return run


WORKLOADS = {f.__name__: f for f in (scalar_chain, deep_chain, elementwise, matmul, mlp_step, conv2d,
                                     lstm_sequence, digits_epoch)}


def _parallel_backend():
    """torch's intra-op backend and its BLAS, from torch.__config__."""
    info = torch.__config__.parallel_info().splitlines()
    backend = next((line.split(":", 1)[1].strip() for line in info if line.startswith("ATen parallel backend")), "?")
    blas = "MKL" if torch.backends.mkl.is_available() else "its bundled BLAS"
    return f"{backend}, {blas}"


def _handle(request, prepared):
    op = request.get("op")
    if op == "hello":
        if torch is None:
            raise RuntimeError(f"cannot import torch ({_import_error}) in {sys.executable}")
        torch.set_num_threads(int(request["threads"]))
        return {"torch": torch.__version__, "threads": torch.get_num_threads(),
                "interop_threads": torch.get_num_interop_threads(),
                "python": platform.python_version(), "parallel": _parallel_backend()}
    if op == "prepare":
        function = WORKLOADS.get(request["function"])
        if function is None:
            raise KeyError(f"no workload {request['function']!r}")
        if "threads" in request:
            torch.set_num_threads(int(request["threads"]))
        prepared[request["id"]] = function(*request["args"])
        return {"threads": torch.get_num_threads()}
    if op == "time":
        run = prepared[request["id"]]
        for _ in range(int(request.get("warmup", 0))):
            run()
        iterations = int(request["iterations"])
        start = time.perf_counter()
        for _ in range(iterations):
            run()
        return {"seconds": time.perf_counter() - start}
    if op == "release":
        prepared.pop(request["id"], None)
        return {}
    raise ValueError(f"unknown op {op!r}")


def serve(requests, replies):
    prepared = {}
    for line in requests:
        if not line.strip():
            continue
        try:
            reply = {"ok": True, **_handle(json.loads(line), prepared)}
        except Exception as e:
            reply = {"ok": False, "error": f"{type(e).__name__}: {e}",
                     "traceback": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
