"""Writes fixtures/nn/conv_state_dict.safetensors: the state_dict of a small torch CNN
(Conv2d with groups, stride and padding, ReLU, MaxPool2d, ConvTranspose2d, AvgPool2d,
Flatten) as torch names it, plus an input batch (`input`) and torch's output for it
(`output`), in float64. Tests/AutogradNNTests/Layers/ConvolutionLayerTests.swift loads the
state into the same Swift model and compares outputs.

    ~/.cache/swift-autograd/torch-venv/bin/python tools/make-conv-state-fixture.py
"""
import pathlib

import torch
from safetensors.torch import save_file

torch.manual_seed(2024)
model = torch.nn.Sequential(
    torch.nn.Conv2d(2, 4, 3, stride=1, padding=1, groups=2),
    torch.nn.ReLU(),
    torch.nn.MaxPool2d(2, ceil_mode=True),
    torch.nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1, dilation=1),
    torch.nn.AvgPool2d(2, stride=1, padding=1, count_include_pad=False),
    torch.nn.Conv2d(3, 2, (2, 3), stride=(2, 1), dilation=(1, 2), bias=False),
    torch.nn.Flatten(),
).double()
x = torch.randn(2, 2, 7, 6, dtype=torch.float64)
with torch.no_grad():
    y = model(x)
tensors = {name: t.contiguous() for name, t in model.state_dict().items()}
tensors["input"] = x
tensors["output"] = y
out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "nn" / "conv_state_dict.safetensors"
out.parent.mkdir(parents=True, exist_ok=True)
save_file(tensors, str(out), metadata={"torch": torch.__version__})
print(out, {k: list(v.shape) for k, v in tensors.items()})
