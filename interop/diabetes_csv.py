"""Writes the bundled diabetes CSV from the raw files scikit-learn ships, and checks it against sklearn.

The data: Efron, Hastie, Johnstone and Tibshirani (2004), "Least Angle Regression", Annals of Statistics
32(2), 407-499: 442 diabetes patients, ten baseline variables and a quantitative measure of disease
progression one year later. scikit-learn (BSD-3-Clause) ships it unscaled as diabetes_data_raw.csv.gz
(space-separated, no header) and diabetes_target.csv.gz; Debian's python3-sklearn installs them.

Usage: python3 interop/diabetes_csv.py [OUT.csv]   (a python3 with scikit-learn, e.g. Debian's python3-sklearn)
       (default backprop-core/src/main/resources/dev/backprop/data/diabetes.csv)
"""
import gzip
import os
import sys

import numpy as np
from sklearn.datasets import load_diabetes

HEADER = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6", "progression"]
SOURCE = "/usr/lib/python3/dist-packages/sklearn/datasets/data"


def read_lines(name):
    with gzip.open(os.path.join(SOURCE, name), "rt", encoding="ascii") as f:
        return [line.split() for line in f if line.strip()]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "backprop-core/src/main/resources/dev/backprop/data/diabetes.csv")
    features = read_lines("diabetes_data_raw.csv.gz")
    targets = [float(t[0]) for t in read_lines("diabetes_target.csv.gz")]
    assert len(features) == len(targets) == 442, (len(features), len(targets))
    assert all(len(row) == 10 for row in features)
    assert all(t == int(t) for t in targets), "the progression measure is an integer"

    rows = [row + [str(int(t))] for row, t in zip(features, targets)]
    with open(out, "w", encoding="ascii", newline="\n") as f:
        f.write(",".join(HEADER) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")

    # The written file must hold exactly what sklearn loads.
    expected = load_diabetes(scaled=False)
    written = np.loadtxt(out, delimiter=",", skiprows=1)
    assert written.shape == (442, 11), written.shape
    assert list(expected.feature_names) == HEADER[:-1], expected.feature_names
    assert np.array_equal(written[:, :10], expected.data), "features differ from load_diabetes(scaled=False)"
    assert np.array_equal(written[:, 10], expected.target), "targets differ from load_diabetes(scaled=False)"
    print(f"wrote {out}: {written.shape[0]} rows, {written.shape[1] - 1} features, "
          f"progression {int(written[:, 10].min())}..{int(written[:, 10].max())}, matches load_diabetes(scaled=False)")


if __name__ == "__main__":
    main()
