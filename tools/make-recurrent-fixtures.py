#!/usr/bin/env python3
"""Writes the torch-made files that the recurrent layers' tests read
(Tests/AutogradNNTests/Layers/RecurrentTests.swift), into Tests/AutogradNNTests/Fixtures/
(or the directory given as the argument):

- KIND_state.safetensors: the state_dict of torch.nn.RNN / LSTM / GRU (input 3, hidden 4,
  one layer, float64) as safetensors.torch.save_file writes it;
- KIND_io.safetensors: a sequence, an initial state, torch's outputs, and the gradients of
  one backward pass (first order), and of one second-order pass.

For each KIND in rnn, lstm, gru, with x [T=5, N=2, 3] and h0 (c0) [1, 2, 4]:

    output, h_n (, c_n) = layer(x, h0 (, c0))
    loss = sum(output * w_output) + sum(h_n * w_h) (+ sum(c_n * w_c))
    grad.NAME = d loss / d NAME  for every parameter, "input", "h0" (, "c0")
    g = d loss / d x  (create_graph=True);  grad2.NAME = d sum(g²) / d NAME for every parameter
    output_zero, h_n_zero = layer(x) with the default (zero) initial state

Run with the torch venv: "$(tools/venv-path.sh)/bin/python" tools/make-recurrent-fixtures.py
"""
import os
import sys

import torch
from safetensors.torch import save_file

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AutogradNNTests", "Fixtures")
os.makedirs(out, exist_ok=True)

T, N, INPUT, HIDDEN = 5, 2, 3, 4
LAYERS = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}

for seed, (kind, layer_class) in enumerate(LAYERS.items()):
    torch.manual_seed(seed)
    layer = layer_class(INPUT, HIDDEN, num_layers=1).double()
    save_file({k: v.contiguous() for k, v in layer.state_dict().items()},
              os.path.join(out, f"{kind}_state.safetensors"))

    x = torch.randn(T, N, INPUT, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, N, HIDDEN, dtype=torch.float64, requires_grad=True)
    c0 = torch.randn(1, N, HIDDEN, dtype=torch.float64, requires_grad=True)
    w_output = torch.randn(T, N, HIDDEN, dtype=torch.float64)
    w_h = torch.randn(1, N, HIDDEN, dtype=torch.float64)
    w_c = torch.randn(1, N, HIDDEN, dtype=torch.float64)

    def run():
        if kind == "lstm":
            output, (h_n, c_n) = layer(x, (h0, c0))
            loss = (output * w_output).sum() + (h_n * w_h).sum() + (c_n * w_c).sum()
            return output, h_n, c_n, loss
        output, h_n = layer(x, h0)
        return output, h_n, None, (output * w_output).sum() + (h_n * w_h).sum()

    output, h_n, c_n, loss = run()
    inputs = {"input": x, "h0": h0}
    if kind == "lstm":
        inputs["c0"] = c0
    named = dict(layer.named_parameters())
    grads = torch.autograd.grad(loss, list(named.values()) + list(inputs.values()))
    record = {"input": x, "h0": h0, "w_output": w_output, "w_h": w_h, "output": output, "h_n": h_n}
    if kind == "lstm":
        record.update({"c0": c0, "w_c": w_c, "c_n": c_n})
    for name, g in zip(list(named) + list(inputs), grads):
        record[f"grad.{name}"] = g

    # Second order: d/dθ of sum((d loss / d x)²).
    _, _, _, loss = run()
    (gx,) = torch.autograd.grad(loss, x, create_graph=True)
    second = torch.autograd.grad((gx * gx).sum(), list(named.values()))
    for name, g in zip(named, second):
        record[f"grad2.{name}"] = g

    with torch.no_grad():
        output_zero, state_zero = layer(x)
    record["output_zero"] = output_zero
    record["h_n_zero"] = state_zero[0] if kind == "lstm" else state_zero

    save_file({k: v.detach().contiguous() for k, v in record.items()}, os.path.join(out, f"{kind}_io.safetensors"),
              metadata={"torch": torch.__version__, "script": "tools/make-recurrent-fixtures.py"})
    print(f"{kind}: loss {loss.item():.6f}, {len(record)} tensors")
