"""Training runs in torch, for the training-parity fixtures (gen-fixtures' training hook).

The Swift side sends a case as JSON (TrainingCaseSpec.torchRequest): dtype, model, the
dataset recipe (with the values, for data Swift makes), the rows of every batch, the
windows of a recurrent case, the loss, the optimizer with every setting, optional
gradient clipping and evaluation; and the path of a safetensors file holding the initial
state (parameters and buffers), which Swift wrote. This module makes the data with
numpy's legacy seeded generator exactly as DeZero's book code does (or reads it with
np.load), builds the model from torch.nn, loads the file with
safetensors.torch.load_file (or, without the safetensors package, the small reader
below), runs the steps with torch.optim and torch.nn.utils.clip_grad_norm_, writes the
final state with safetensors.torch.save_file, and answers in JSON.

Keep it thin: the math must be torch's own, so that the fixtures are an independent
reference for the Swift implementation.
"""
import json
import math
import struct

import numpy as np
import torch

try:
    import safetensors
    import safetensors.torch as _safetensors_torch

    SAFETENSORS = f"safetensors {safetensors.__version__}"
except ImportError:  # the small reader and writer below stand in
    _safetensors_torch = None
    SAFETENSORS = "torch_training.py's own reader"

_DTYPES = {"F64": torch.float64, "F32": torch.float32, "I64": torch.int64}
_DTYPE_NAMES = {torch.float64: "F64", torch.float32: "F32", torch.int64: "I64"}


# --- safetensors -------------------------------------------------------------------

def load_file(path):
    """A state dict from a safetensors file."""
    if _safetensors_torch is not None:
        return _safetensors_torch.load_file(path)
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    header.pop("__metadata__", None)
    data = blob[8 + n:]
    state = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        if end == begin:
            tensor = torch.empty(0, dtype=dtype)
        else:  # little-endian on the machines torch runs on here
            tensor = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
        state[name] = tensor.reshape(info["shape"]).clone()
    return state


def save_file(state, path):
    """Writes a state dict as a safetensors file."""
    if _safetensors_torch is not None:
        _safetensors_torch.save_file(state, path)
        return
    header, chunks, offset = {}, [], 0
    for name, tensor in state.items():
        raw = tensor.detach().contiguous().numpy().astype(tensor.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": _DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


# --- data (DeZero's recipes) --------------------------------------------------------

def sine(n, seed):
    """DeZero step 43: x = rand(n, 1), y = sin(2πx) + rand(n, 1)."""
    np.random.seed(seed)
    x = np.random.rand(n, 1)
    y = np.sin(2 * np.pi * x) + np.random.rand(n, 1)
    return x, y


def spiral(points_per_class, classes, seed):
    """DeZero's dezero.datasets.get_spiral (train=True is seed 1984), any size."""
    np.random.seed(seed=seed)
    num_data, num_class, input_dim = points_per_class, classes, 2
    data_size = num_class * num_data
    x = np.zeros((data_size, input_dim), dtype=np.float32)
    t = np.zeros(data_size, dtype=np.int64)
    for j in range(num_class):
        for i in range(num_data):
            rate = i / num_data
            radius = 1.0 * rate
            theta = j * 4.0 + 4.0 * rate + np.random.randn() * 0.2
            ix = num_data * j + i
            x[ix] = np.array([radius * np.sin(theta), radius * np.cos(theta)]).flatten()
            t[ix] = j
    indices = np.random.permutation(num_data * num_class)
    return x[indices], t[indices]


def digits(path, rows):
    """The first `rows` images of an .npz with x (float64 [R, 64], pixels 0...16) and y
    (int64 labels): x / 16 shaped [rows, 1, 8, 8], y as int64."""
    with np.load(path) as archive:
        x, y = archive["x"], archive["y"]
    if rows > len(x):
        raise ValueError(f"{path} has {len(x)} rows, not {rows}")
    x = np.asarray(x[:rows], dtype=np.float64).reshape(rows, 1, 8, 8) / 16.0
    return x, np.asarray(y[:rows], dtype=np.int64)


def _host(t):
    """A tensor as Swift sent it: {"shape", "data"}."""
    return np.asarray(t["data"], dtype=np.float64).reshape(t["shape"])


def make_data(case):
    desc = case["data"]
    if desc["kind"] == "sine":
        return sine(desc["n"], desc["seed"])
    if desc["kind"] == "spiral":
        return spiral(desc["points_per_class"], desc["classes"], desc["seed"])
    if desc["kind"] == "digits":
        return digits(desc["path"], desc["rows"])
    if desc["kind"] == "sin_curve":  # made by Swift's Datasets.sinCurve, sent with the case
        return _host(case["inputs"]), _host(case["targets"])
    raise ValueError(f"unknown dataset kind {desc['kind']!r}")


# --- models, losses, optimizers -----------------------------------------------------

_ACTIVATION_FUNCTIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "identity": lambda x: x}
_ACTIVATION_MODULES = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU,
                       "identity": torch.nn.Identity}


class MLP(torch.nn.Module):
    """DeZero's MLP in torch: Linear layers in a ModuleList called `layers` (parameters
    `layers.0.weight`, ...), the activation between consecutive layers only."""

    def __init__(self, sizes, activation, bias):
        super().__init__()
        self.layers = torch.nn.ModuleList(
            torch.nn.Linear(a, b, bias=bias) for a, b in zip(sizes[:-1], sizes[1:]))
        self.activation = _ACTIVATION_FUNCTIONS[activation]

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = self.activation(x)
        return x


class LSTMRegressor(torch.nn.Module):
    """nn.LSTM(input, hidden) + nn.Linear(hidden, output), called one time step at a time
    ([N, input] -> [N, output]) with (h, c) kept between calls, as DeZero's LSTM layer and
    Swift's step API run: `reset_state()` forgets it, `detach_state()` cuts the graph."""

    def __init__(self, input_size, hidden, output):
        super().__init__()
        self.rnn = torch.nn.LSTM(input_size, hidden)
        self.fc = torch.nn.Linear(hidden, output)
        self.state = None

    def reset_state(self):
        self.state = None

    def detach_state(self):
        if self.state is not None:
            self.state = tuple(s.detach() for s in self.state)

    def forward(self, x):
        out, self.state = self.rnn(x.unsqueeze(0), self.state)
        return self.fc(out[0])


def _layer(layer):
    if layer == "flatten":
        return torch.nn.Flatten()
    if isinstance(layer, str):
        return _ACTIVATION_MODULES[layer]()
    if "conv2d" in layer:
        return torch.nn.Conv2d(*layer["conv2d"], stride=layer["stride"], padding=layer["padding"], bias=layer["bias"])
    if "batch_norm2d" in layer:
        return torch.nn.BatchNorm2d(layer["batch_norm2d"])
    if "max_pool2d" in layer:
        return torch.nn.MaxPool2d(layer["max_pool2d"])
    return torch.nn.Linear(*layer["linear"], bias=layer["bias"])


def build_model(desc, dtype):
    if desc["kind"] == "mlp":
        model = MLP(desc["sizes"], desc["activation"], desc["bias"])
    elif desc["kind"] == "sequential":
        model = torch.nn.Sequential(*(_layer(layer) for layer in desc["layers"]))
    elif desc["kind"] == "lstm":
        model = LSTMRegressor(desc["input"], desc["hidden"], desc["output"])
    else:
        raise ValueError(f"unknown model kind {desc['kind']!r}")
    return model.to(dtype)


def make_optimizer(desc, parameters):
    # foreach=False names the single-tensor implementation, the one torch uses on the CPU anyway.
    if desc["kind"] == "sgd":
        return torch.optim.SGD(parameters, lr=desc["lr"], momentum=desc["momentum"], dampening=desc["dampening"],
                               weight_decay=desc["weight_decay"], nesterov=desc["nesterov"], foreach=False)
    if desc["kind"] == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=desc["lr"], alpha=desc["alpha"], eps=desc["eps"],
                                   weight_decay=desc["weight_decay"], momentum=desc["momentum"],
                                   centered=desc["centered"], foreach=False)
    if desc["kind"] == "adagrad":
        return torch.optim.Adagrad(parameters, lr=desc["lr"], lr_decay=desc["lr_decay"],
                                   weight_decay=desc["weight_decay"],
                                   initial_accumulator_value=desc["initial_accumulator_value"], eps=desc["eps"],
                                   foreach=False)
    if desc["kind"] == "adadelta":
        return torch.optim.Adadelta(parameters, lr=desc["lr"], rho=desc["rho"], eps=desc["eps"],
                                    weight_decay=desc["weight_decay"], foreach=False)
    optimizer = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[desc["kind"]]
    return optimizer(parameters, lr=desc["lr"], betas=tuple(desc["betas"]), eps=desc["eps"],
                     weight_decay=desc["weight_decay"], amsgrad=desc["amsgrad"], foreach=False)


def compute_loss(name, output, target):
    if name == "mse":
        return torch.nn.functional.mse_loss(output, target)
    if name == "cross_entropy":
        return torch.nn.functional.cross_entropy(output, target.long())
    raise ValueError(f"unknown loss {name!r}")


def _state_dict(model):
    return {name: t.detach().clone() for name, t in model.state_dict().items()}


def run(case, x, y, initial, dtype):
    """The training loop: per batch zero_grad, forward, loss, backward, clip, step. With
    windows (a recurrent model, truncated BPTT): per window, the state reset if it is an
    epoch's first, one forward step per iteration with the losses summed, backward, the
    state detached, clip, step. Then, with "evaluate", eval mode on every row."""
    model = build_model(case["model"], dtype)
    model.load_state_dict(initial, strict=True)
    loaded = _state_dict(model)
    optimizer = make_optimizer(case["optimizer"], model.parameters())
    clip = case.get("clip_grad_norm")
    batches = [torch.tensor(batch, dtype=torch.long) for batch in case["batches"]]
    windows = case.get("windows")
    if windows is None:
        groups, resets = [[rows] for rows in batches], set()
    else:
        groups, start = [], 0
        for length in windows["lengths"]:
            groups.append(batches[start:start + length])
            start += length
        resets = set(windows["resets"])
    losses = []
    for step, group in enumerate(groups):
        if step in resets:
            model.reset_state()
        optimizer.zero_grad()
        loss = sum(compute_loss(case["loss"], model(x[rows]), y[rows]) for rows in group)
        loss.backward()
        if windows is not None:
            model.detach_state()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        losses.append(loss.item())
    final = _state_dict(model)
    evaluation = None
    if case.get("evaluate"):
        model.eval()
        with torch.no_grad():
            output = model(x)
            evaluation = {"output": _tensor(output), "loss": _number(compute_loss(case["loss"], output, y).item())}
    return loaded, losses, final, evaluation


# --- JSON ------------------------------------------------------------------------------

def _number(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _tensor(t):
    answer = {"shape": list(t.shape), "data": [_number(v) for v in t.detach().reshape(-1).tolist()]}
    if t.dtype == torch.int64:
        answer["dtype"] = "int64"
    return answer


def _state(state):
    return {name: _tensor(t) for name, t in state.items()}


_INT64_LABELS = {"digits"}


def _widen(t):
    return t.double() if t.is_floating_point() else t


def train(request_json, initial_path, final_path):
    """Runs one case; writes the final state to final_path; answers in JSON."""
    case = json.loads(request_json)
    dtype = getattr(torch, case["dtype"])
    x_np, y_np = make_data(case)
    # Made in float64 (the spiral's points are float32, as in DeZero), then rounded to the
    # case's dtype. The digits' labels stay int64; the spiral's class indices are recorded
    # in the case's dtype, as its fixtures always have been (cross_entropy takes .long()).
    x = torch.tensor(np.asarray(x_np, dtype=np.float64)).to(dtype)
    if case["data"]["kind"] in _INT64_LABELS:
        y = torch.tensor(np.asarray(y_np, dtype=np.int64))
    else:
        y = torch.tensor(np.asarray(y_np, dtype=np.float64)).to(dtype)
    initial = load_file(initial_path)
    loaded, losses, final, evaluation = run(case, x, y, initial, dtype)
    save_file(final, final_path)
    answer = {"inputs": _tensor(x), "targets": _tensor(y), "loaded": _state(loaded),
              "losses": [_number(v) for v in losses], "final": _state(final)}
    if evaluation is not None:
        answer["eval"] = evaluation
    if dtype == torch.float32:
        # The same run in float64 from the same (float32) values: torch's own float32 error.
        _, losses64, final64, evaluation64 = run(case, x.double(), _widen(y),
                                                 {k: _widen(v) for k, v in initial.items()}, torch.float64)
        answer["float64"] = {"losses": [_number(v) for v in losses64], "final": _state(final64)}
        if evaluation64 is not None:
            answer["float64"]["eval"] = evaluation64
    return json.dumps(answer)
