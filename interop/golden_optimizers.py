"""Golden values for Backprop's optimisers, computed by PyTorch's torch.optim.

For each optimiser configuration below, the script starts from the same float64 parameters (a 3x4 weight
and a 1x4 bias), applies five steps with the fixed gradients listed here, and records the parameters
after every step. The Java test (OptimizerGoldenTest) reads everything from the written file: the inputs,
each configuration and the expected values.

usage: python3 interop/golden_optimizers.py [OUT.json]
  OUT defaults to backprop-core/src/test/resources/golden/optimizers.json (relative to the repository).
  Needs PyTorch (written with torch 1.13, Debian's python3-torch); the file records the version used.
  Rerunning it with the same torch version rewrites the same file.

Every optimiser runs with foreach=False (PyTorch's per-tensor loop, the form Backprop follows) in float64.
"""

import json
import os
import re
import sys

import torch

WEIGHT = [
    [0.5, -1.25, 0.75, 2.0],
    [-0.3, 0.1, -2.2, 0.05],
    [1.6, -0.7, 0.0, -0.45],
]
BIAS = [[0.2, -0.6, 1.1, -0.05]]

# one gradient per step: 12 weight values (row-major) then 4 bias values; zeros, tiny and large values
# included on purpose (Adam and RMSProp divide by the running root of the squares)
GRADIENTS = [
    [0.133, 1.364, -0.795, -0.348, 1.093, 0.877, -0.396, -0.537, 1.458, 0.048, -1.5, 0.225,
     0.433, -0.596, -1.288, 0.278],
    [0.419, 0.359, -1.491, 0.008, 1.484, -0.408, 0.0, 0.763, 1.182, -0.32, -0.907, 3.0,
     0.172, -1.449, -0.199, 0.45],
    [0.388, -0.918, -1.058, 0.357, 0.752, -1.384, -0.118, 1.486, 0.012, -0.447, 0.372, 1.393,
     -0.219, -1.205, 1.041, 0.281],
    [0.064, -1.5, 0.175, 0.436, -0.55, -1.313, 0.266, 1.084, -1.168, -0.002, 1.369, 0.431,
     -0.444, -0.049, 1.493, -0.101],
    [-0.309, -0.947, 1.276, 0.185, -1.435, -0.248, 0.45, -0.138, -1.463, 0.154, 1.331, -0.858,
     -0.333, 1.144, 0.815, -0.406],
]

# name, Backprop's optimizer id, learning rate, momentum, weight decay
CONFIGS = [
    ("sgd", "sgd", 0.1, 0.0, 0.0),
    ("sgd_weight_decay", "sgd", 0.1, 0.0, 0.05),
    ("momentum", "momentum", 0.1, 0.9, 0.0),
    ("momentum_weight_decay", "momentum", 0.1, 0.9, 0.05),
    ("nesterov", "nesterov", 0.1, 0.9, 0.0),
    ("nesterov_weight_decay", "nesterov", 0.1, 0.9, 0.05),
    ("adam", "adam", 0.05, 0.0, 0.0),
    ("adam_weight_decay", "adam", 0.05, 0.0, 0.05),
    ("adamw", "adamw", 0.05, 0.0, 0.01),
    ("adamw_strong_decay", "adamw", 0.05, 0.0, 0.5),
    ("rmsprop", "rmsprop", 0.01, 0.0, 0.0),
    ("rmsprop_weight_decay", "rmsprop", 0.01, 0.0, 0.05),
    ("rmsprop_momentum", "rmsprop", 0.01, 0.5, 0.0),
]


def make_optimizer(kind, params, lr, momentum, weight_decay):
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay, foreach=False)
    if kind in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=kind == "nesterov",
                               weight_decay=weight_decay, foreach=False)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay, foreach=False)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay, foreach=False)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, momentum=momentum, weight_decay=weight_decay, foreach=False)
    raise ValueError(kind)


def run(kind, lr, momentum, weight_decay):
    weight = torch.tensor(WEIGHT, dtype=torch.float64, requires_grad=True)
    bias = torch.tensor(BIAS, dtype=torch.float64, requires_grad=True)
    optimizer = make_optimizer(kind, [weight, bias], lr, momentum, weight_decay)
    steps = []
    for g in GRADIENTS:
        weight.grad = torch.tensor(g[:12], dtype=torch.float64).reshape(3, 4)
        bias.grad = torch.tensor(g[12:], dtype=torch.float64).reshape(1, 4)
        optimizer.step()
        steps.append({
            "weight": weight.detach().reshape(-1).tolist(),
            "bias": bias.detach().reshape(-1).tolist(),
        })
    return steps


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "backprop-core", "src", "test", "resources", "golden", "optimizers.json")
    document = {
        "generator": "interop/golden_optimizers.py",
        "torch_version": torch.__version__,
        "dtype": "float64",
        "weight": {"rows": 3, "cols": 4, "values": [x for row in WEIGHT for x in row]},
        "bias": {"rows": 1, "cols": 4, "values": BIAS[0]},
        "gradients": [{"weight": g[:12], "bias": g[12:]} for g in GRADIENTS],
        "configs": [
            {"name": name, "optimizer": kind, "learning_rate": lr, "momentum": momentum,
             "weight_decay": weight_decay, "steps": run(kind, lr, momentum, weight_decay)}
            for name, kind, lr, momentum, weight_decay in CONFIGS
        ],
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    text = json.dumps(document, indent=1)
    # one line per array of numbers
    text = re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    with open(out, "w") as f:
        f.write(text + "\n")
    print("wrote %d configurations to %s" % (len(CONFIGS), out))


if __name__ == "__main__":
    main()
