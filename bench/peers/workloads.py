"""The three training workloads of Backprop's benchmark, for the Python peers (numpy and PyTorch).

Same definitions as dev.backprop.internal.perf.Workload: W1 784-128-10 sigmoid with mean-over-batch 1/2 sum (a-y)^2
and SGD lr 0.5, batch 64; W2 784-256-256-10 relu, softmax cross-entropy, Adam lr 1e-3, batch 128; W3
784-1024-1024-10 relu, softmax cross-entropy, SGD lr 0.1, batch 512. Initial weights U(-1/sqrt(fan_in),
1/sqrt(fan_in)); a new shuffle every epoch. Only the training loop is timed.
"""
import gzip
import json
import os
import struct
import sys
import time

import numpy as np

DATA = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")

WORKLOADS = {
    "W1": dict(layers=[784, 128, 10], hidden="sigmoid", head="sigmoid-sse", opt="sgd", lr=0.5, batch=64),
    "W2": dict(layers=[784, 256, 256, 10], hidden="relu", head="softmax-ce", opt="adam", lr=1e-3, batch=128),
    "W3": dict(layers=[784, 1024, 1024, 10], hidden="relu", head="softmax-ce", opt="sgd", lr=0.1, batch=512),
}


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion_mnist():
    x = idx(os.path.join(DATA, "train-images-idx3-ubyte.gz")).reshape(60000, 784).astype(np.float32) / 255.0
    labels = idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    onehot = np.zeros((60000, 10), dtype=np.float32)
    onehot[np.arange(60000), labels] = 1.0
    return x, onehot, labels


def initial_weights(layers, seed=1234):
    rng = np.random.default_rng(seed)
    out = []
    for fan_in, fan_out in zip(layers[:-1], layers[1:]):
        bound = 1.0 / np.sqrt(fan_in)
        out.append((rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32),
                    rng.uniform(-bound, bound, fan_out).astype(np.float32)))
    return out


def report(peer, workload, epoch_seconds, rows, final_loss, extra=None):
    rates = sorted(rows / s for s in epoch_seconds)
    line = dict(peer=peer, workload=workload, epochs=len(epoch_seconds),
                samples_per_second=rows * len(epoch_seconds) / sum(epoch_seconds),
                steady_samples_per_second=rates[len(rates) // 2], final_loss=float(final_loss))
    if extra:
        line.update(extra)
    print(json.dumps(line))
    sys.stdout.flush()


def clock():
    return time.perf_counter()
