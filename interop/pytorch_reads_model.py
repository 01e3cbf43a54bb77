"""Reads a Backprop model file the way any safetensors reader does (8-byte little-endian header length,
JSON header, little-endian float32 data), loads the tensors into a PyTorch module whose parameter names
are layers.N.weight / layers.N.bias (nn.Linear's [out, in] layout; load_state_dict(strict=True) checks names
and shapes), and compares its outputs with the probabilities Backprop predicted.

usage: python3 pytorch_reads_model.py MODEL.safetensors FEATURES.csv PREDICTIONS.csv
  FEATURES.csv     the rows Backprop predicted, with a header (the model's feature columns, any order)
  PREDICTIONS.csv  `backprop predict --probabilities` output for those rows
exit 0 when the outputs agree within 1e-5, 1 otherwise.
"""
import csv
import json
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, spec in header.items():
        assert spec["dtype"] == "F32", spec
        begin, end = spec["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").copy()).reshape(spec["shape"])
    return meta, tensors


class Mlp(torch.nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layers = torch.nn.ModuleList(torch.nn.Linear(l["in"], l["out"]) for l in layers)
        self.activations = [l["activation"] for l in layers]

    def forward(self, x):
        for linear, act in zip(self.layers, self.activations):
            x = linear(x)
            if act == "relu":
                x = torch.relu(x)
            elif act == "sigmoid":
                x = torch.sigmoid(x)
            elif act == "tanh":
                x = torch.tanh(x)
            elif act == "softmax":
                x = torch.softmax(x, dim=1)
            elif act != "identity":
                raise ValueError("activation " + act)
        return x


def main():
    model_path, features_path, predictions_path = sys.argv[1:4]
    meta, tensors = read_safetensors(model_path)
    info = json.loads(meta["backprop"])
    net = Mlp(info["layers"])
    net.load_state_dict(tensors, strict=True)
    with open(features_path) as f:
        rows = list(csv.DictReader(f))
    norm = info["normalization"]
    x = np.array([[float(r[name]) for name in info["features"]] for r in rows], dtype=np.float64)
    x = (x - np.array(norm["offset"])) / np.array(norm["scale"])
    with torch.no_grad():
        out = net(torch.from_numpy(x.astype(np.float32))).numpy()
    with open(predictions_path) as f:
        reader = csv.reader(f)
        header = next(reader)
        predicted = np.array([[float(v) for v in row[1:]] for row in reader])
    assert header[1:] == info["classes"], (header, info["classes"])
    worst = float(np.abs(out - predicted).max())
    print(json.dumps(dict(rows=len(rows), max_abs_difference=worst)))
    sys.exit(0 if worst <= 1e-5 else 1)


if __name__ == "__main__":
    main()
