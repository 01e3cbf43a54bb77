"""numpy peer: the backpropagation equations written with numpy (OpenBLAS does the products).

Usage: python3 peer_numpy.py W1|W2|W3 EPOCHS   (threads: OPENBLAS_NUM_THREADS)
"""
import sys

import numpy as np

import workloads as wl


def main():
    name, epochs = sys.argv[1], int(sys.argv[2])
    w = wl.WORKLOADS[name]
    x, y, _ = wl.fashion_mnist()
    params = [[W.copy(), b.copy()] for W, b in wl.initial_weights(w["layers"])]
    adam = [[np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)] for W, b in params]
    step = 0
    n, batch, lr = len(x), w["batch"], np.float32(w["lr"])
    seconds, loss = [], 0.0
    for epoch in range(epochs):
        order = np.random.default_rng(4321 + epoch).permutation(n)
        start = wl.clock()
        for lo in range(0, n, batch):
            idx = order[lo:lo + batch]
            xb, yb = x[idx], y[idx]
            m = len(idx)
            acts = [xb]
            zs = []
            for i, (W, b) in enumerate(params):
                z = acts[-1] @ W + b
                zs.append(z)
                last = i == len(params) - 1
                if w["hidden"] == "sigmoid" or (last and w["head"] == "sigmoid-sse"):
                    a = 1.0 / (1.0 + np.exp(-z))
                elif last:
                    e = np.exp(z - z.max(axis=1, keepdims=True))
                    a = e / e.sum(axis=1, keepdims=True)
                else:
                    a = np.maximum(z, 0)
                acts.append(a)
            a = acts[-1]
            if w["head"] == "sigmoid-sse":
                loss = 0.5 * ((a - yb) ** 2).sum() / m
                delta = (a - yb) * a * (1 - a) / m
            else:
                loss = -np.log(np.maximum((a * yb).sum(axis=1), 1e-30)).mean()
                delta = (a - yb) / m
            step += 1
            for i in range(len(params) - 1, -1, -1):
                W, b = params[i]
                dW = acts[i].T @ delta
                db = delta.sum(axis=0)
                if i > 0:
                    back = delta @ W.T
                    delta = back * acts[i] * (1 - acts[i]) if w["hidden"] == "sigmoid" else back * (zs[i - 1] > 0)
                if w["opt"] == "sgd":
                    W -= lr * dW
                    b -= lr * db
                else:
                    st = adam[i]
                    c1, c2 = 1 - 0.9 ** step, 1 - 0.999 ** step
                    for j, (p, g) in enumerate(((W, dW), (b, db))):
                        mm, vv = st[2 * j], st[2 * j + 1]
                        mm *= 0.9
                        mm += 0.1 * g
                        vv *= 0.999
                        vv += 0.001 * g * g
                        p -= (lr / c1) * mm / (np.sqrt(vv) / np.sqrt(c2) + 1e-8)
        seconds.append(wl.clock() - start)
    wl.report("numpy", name, seconds, n, loss)


if __name__ == "__main__":
    main()
