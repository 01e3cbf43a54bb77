"""Both sides of bench/tabular.sh for one table and seed: makes the split, scores scikit-learn's default pipeline.

Usage: tabular_sklearn.py TABLE.csv LABEL SEED OUTDIR. Writes OUTDIR/train.csv and OUTDIR/test.csv (a stratified
20% split for classification, random for regression; rows without a label dropped) and prints the test score of
SimpleImputer + OneHotEncoder + StandardScaler + MLPClassifier/MLPRegressor, all with their defaults (numeric
gaps: the median; categorical gaps: the most frequent level; unseen categories ignored). Accuracy or R^2.
"""
import sys
import warnings

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

table, label, seed, outdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
df = pd.read_csv(table)
df = df[df[label].notna()]
y = df[label]
classification = y.dtype == object
train, test = train_test_split(df, test_size=0.2, random_state=seed, stratify=y if classification else None)
train.to_csv(f"{outdir}/train.csv", index=False)
test.to_csv(f"{outdir}/test.csv", index=False)

x_cols = [c for c in df.columns if c != label]
numeric = [c for c in x_cols if pd.api.types.is_numeric_dtype(df[c])]
categorical = [c for c in x_cols if c not in numeric]
prep = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
    ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                      ("onehot", OneHotEncoder(handle_unknown="ignore"))]), categorical),
])
model = MLPClassifier(random_state=seed) if classification else MLPRegressor(random_state=seed)
pipe = Pipeline([("prep", prep), ("mlp", model)])
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    pipe.fit(train[x_cols], train[label])
print(f"{pipe.score(test[x_cols], test[label]):.4f}")
