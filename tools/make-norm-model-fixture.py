#!/usr/bin/env python3
"""Writes the state dict of a small torch model with Embedding, BatchNorm1d and
LayerNorm layers, and torch's outputs for it, into Tests/AutogradNNTests/Fixtures/
(or the directory given as the argument):

- norm_model.safetensors: safetensors.torch.save_file(model.state_dict()) (float64),
  after two training-mode forward passes, so that the running statistics and
  num_batches_tracked are not their initial values;
- norm_model_expected.safetensors: the indices fed to the model (int64), its output in
  evaluation mode, its output in training mode, the buffers after that training-mode
  pass, and the gradients of sum(output · upstream) in training mode.

The Swift test (Tests/AutogradNNTests/Layers/NormalizationLayerTests.swift) builds the
same architecture, loads the state and compares. Run with the torch venv:
"$(tools/venv-path.sh)/bin/python" tools/make-norm-model-fixture.py
"""
import os
import sys

import torch
from safetensors.torch import save_file

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "AutogradNNTests", "Fixtures")
os.makedirs(out, exist_ok=True)


class NormNet(torch.nn.Module):
    """indices [N] -> embedding [N, 4] -> BatchNorm1d(4) -> tanh -> LayerNorm(4) -> Linear(4, 3)."""

    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(6, 4, padding_idx=0)
        self.norm = torch.nn.BatchNorm1d(4)
        self.layer_norm = torch.nn.LayerNorm(4)
        self.output = torch.nn.Linear(4, 3)

    def forward(self, indices):
        h = self.norm(self.embedding(indices))
        return self.output(self.layer_norm(torch.tanh(h)))


torch.manual_seed(0)
model = NormNet().double()
with torch.no_grad():  # affine parameters away from their initial ones and zeros
    for p in (model.norm.weight, model.layer_norm.weight):
        p.uniform_(0.5, 1.5)
    for p in (model.norm.bias, model.layer_norm.bias):
        p.normal_()
    model.train()
    model(torch.tensor([1, 2, 3, 0, 5, 2]))
    model(torch.tensor([4, 4, 1, 0]))
save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(out, "norm_model.safetensors"))

indices = torch.tensor([3, 0, 5, 1, 3, 2, 4])
model.eval()
with torch.no_grad():
    eval_output = model(indices)
model.train()
train_output = model(indices)
upstream = torch.linspace(-1, 1, train_output.numel(), dtype=torch.float64).reshape(train_output.shape)
(train_output * upstream).sum().backward()
expected = {
    "indices": indices,
    "upstream": upstream,
    "eval_output": eval_output,
    "train_output": train_output.detach(),
    "running_mean": model.norm.running_mean,
    "running_var": model.norm.running_var,
    "num_batches_tracked": model.norm.num_batches_tracked,
}
for name, p in model.named_parameters():
    expected["grad." + name] = p.grad
save_file({k: v.contiguous() for k, v in expected.items()}, os.path.join(out, "norm_model_expected.safetensors"))
