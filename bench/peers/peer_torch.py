"""PyTorch peer (CPU): the same workloads with nn.Linear, autograd and torch.optim.

Usage: OMP_WAIT_POLICY=PASSIVE python3 peer_torch.py W1|W2|W3 EPOCHS THREADS
"""
import sys

import numpy as np
import torch

import workloads as wl


def main():
    name, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    w = wl.WORKLOADS[name]
    x, y, labels = wl.fashion_mnist()
    x, y, labels = torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(labels)
    layers = []
    for i, (W, b) in enumerate(wl.initial_weights(w["layers"])):
        lin = torch.nn.Linear(W.shape[0], W.shape[1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T.copy()))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if i < len(w["layers"]) - 2:
            layers.append(torch.nn.Sigmoid() if w["hidden"] == "sigmoid" else torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(net.parameters(), lr=w["lr"]) if w["opt"] == "sgd" else \
        torch.optim.Adam(net.parameters(), lr=w["lr"])
    n, batch = len(x), w["batch"]
    seconds, loss = [], torch.tensor(0.0)
    for epoch in range(epochs):
        order = torch.from_numpy(np.random.default_rng(4321 + epoch).permutation(n))
        start = wl.clock()
        for lo in range(0, n, batch):
            idx = order[lo:lo + batch]
            out = net(x[idx])
            if w["head"] == "sigmoid-sse":
                loss = 0.5 * ((torch.sigmoid(out) - y[idx]) ** 2).sum() / len(idx)
            else:
                loss = torch.nn.functional.cross_entropy(out, labels[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        seconds.append(wl.clock() - start)
    wl.report("pytorch", name, seconds, n, loss.item(), dict(torch=torch.__version__, threads=threads))


if __name__ == "__main__":
    main()
