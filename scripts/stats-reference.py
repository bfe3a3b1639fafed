#!/usr/bin/env python3
"""Reference values for src/report/stats.ts, computed with scipy, scikit-learn and numpy.

Writes test/fixtures/stats/reference.json: each case's inputs and the figures the libraries give,
which test/report/stats.test.ts compares with ours at 1e-9.

    python3 -m venv /tmp/stats && /tmp/stats/bin/pip install scipy scikit-learn
    /tmp/stats/bin/python scripts/stats-reference.py

The bootstrap intervals use the same seeded generator as stats.ts (mulberry32, written again here
from its definition) so the resampled rows are the same; the statistic of each resample and the
percentiles of the results come from the libraries.
"""

import json
import math
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.metrics import cohen_kappa_score, confusion_matrix

OUT = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "stats", "reference.json")


def mulberry32(seed):
    state = seed & 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def draw():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        t &= 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return draw


def resample_indices(n, resamples, seed):
    draw = mulberry32(seed)
    for _ in range(resamples):
        yield np.array([math.floor(draw() * n) for _ in range(n)], dtype=np.int64)


def bootstrap(n, statistic, resamples, seed, level=0.95):
    values = []
    for idx in resample_indices(n, resamples, seed):
        v = statistic(idx)
        if not math.isnan(v):
            values.append(v)
    values = np.array(values)
    return {
        "low": float(np.percentile(values, 100 * (1 - level) / 2)),
        "high": float(np.percentile(values, 100 * (1 + level) / 2)),
        "resamples": len(values),
    }


def num(x):
    x = float(x)
    return None if math.isnan(x) else x


rng = np.random.default_rng(20261203)
cases = {"kappa": [], "correlation": [], "mcnemar": [], "quantiles": [], "histogram": [], "bootstrap": [], "mae": []}

# κ: label lists, unweighted and weighted over a given category order.
label_sets = [
    (["pass", "fail"], 40),
    (["bad", "ok", "good", "great"], 120),
    (["1", "2", "3", "4", "5"], 300),
]
for order, n in label_sets:
    a = rng.choice(order, size=n).tolist()
    # b agrees with a two times out of three, else a random label
    b = [x if rng.random() < 0.66 else str(rng.choice(order)) for x in a]
    case = {"order": order, "a": a, "b": b}
    for w in (None, "linear", "quadratic"):
        case[w or "none"] = num(cohen_kappa_score(a, b, labels=order, weights=w))
    case["confusion"] = confusion_matrix(a, b, labels=order).tolist()
    cases["kappa"].append(case)

# Correlations: continuous, tied (rounded), and ordinal scores.
for kind, n in [("continuous", 50), ("ties", 200), ("ordinal", 500), ("small", 3)]:
    x = rng.normal(size=n)
    y = 0.6 * x + rng.normal(size=n)
    if kind == "ties":
        x, y = np.round(x, 1), np.round(y, 1)
    if kind == "ordinal":
        x, y = np.clip(np.round(x + 3), 1, 5), np.clip(np.round(y + 3), 1, 5)
    cases["correlation"].append(
        {
            "kind": kind,
            "x": x.tolist(),
            "y": y.tolist(),
            "pearson": num(stats.pearsonr(x, y).statistic),
            "spearman": num(stats.spearmanr(x, y).statistic),
            "kendall": num(stats.kendalltau(x, y, variant="b").statistic),
        }
    )
    cases["mae"].append({"x": x.tolist(), "y": y.tolist(), "mae": float(np.mean(np.abs(x - y)))})

# McNemar: the exact binomial test and the continuity-corrected χ².
for b, c in [(0, 0), (1, 0), (3, 9), (12, 30), (40, 41), (250, 310), (4000, 4200)]:
    n = b + c
    exact = 1.0 if n == 0 else stats.binomtest(min(b, c), n, 0.5).pvalue
    chi2 = 0.0 if n == 0 else max(0, abs(b - c) - 1) ** 2 / n
    cases["mcnemar"].append({"b": b, "c": c, "pExact": float(exact), "chi2": chi2, "pChi2": float(stats.chi2.sf(chi2, 1))})

# Quantiles, linear (numpy's default) and nearest rank ("inverted_cdf").
for n in (1, 2, 7, 100, 1001):
    v = np.sort(rng.random(n))
    qs = [0, 0.01, 0.1, 0.25, 0.5, 0.9, 0.975, 0.99, 1]
    cases["quantiles"].append(
        {
            "values": v.tolist(),
            "q": qs,
            "linear": [float(np.quantile(v, q)) for q in qs],
            "nearest": [float(np.quantile(v, q, method="inverted_cdf")) for q in qs],
        }
    )

# Histograms: numpy's bins.
for values, rng_ in [
    (rng.random(500), (0.0, 1.0)),
    (rng.normal(size=300), None),
    (np.array([0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.0]), (0.0, 1.0)),
    (np.array([2.0, 2.0, 2.0]), None),
]:
    counts, edges = np.histogram(values, bins=10, range=rng_)
    cases["histogram"].append(
        {"values": values.tolist(), "range": list(rng_) if rng_ else None, "counts": counts.tolist(), "edges": edges.tolist()}
    )

# Bootstrap intervals: the same resampled rows, the statistic from the libraries.
RESAMPLES, SEED = 400, 7
x = rng.random(60)
y = np.clip(x + rng.normal(scale=0.2, size=60), 0, 1)
cases["bootstrap"].append(
    {"statistic": "mean_difference", "x": x.tolist(), "y": y.tolist(), "resamples": RESAMPLES, "seed": SEED,
     **bootstrap(60, lambda i: float(np.mean(y[i] - x[i])), RESAMPLES, SEED)}
)
cases["bootstrap"].append(
    {"statistic": "pearson", "x": x.tolist(), "y": y.tolist(), "resamples": RESAMPLES, "seed": SEED + 1,
     **bootstrap(60, lambda i: stats.pearsonr(x[i], y[i]).statistic, RESAMPLES, SEED + 1)}
)
cases["bootstrap"].append(
    {"statistic": "spearman", "x": x.tolist(), "y": y.tolist(), "resamples": RESAMPLES, "seed": SEED + 2,
     **bootstrap(60, lambda i: stats.spearmanr(x[i], y[i]).statistic, RESAMPLES, SEED + 2)}
)
cases["bootstrap"].append(
    {"statistic": "mae", "x": x.tolist(), "y": y.tolist(), "resamples": RESAMPLES, "seed": SEED + 3,
     **bootstrap(60, lambda i: float(np.mean(np.abs(x[i] - y[i]))), RESAMPLES, SEED + 3)}
)
la = np.array(cases["kappa"][1]["a"])
lb = np.array(cases["kappa"][1]["b"])
order = cases["kappa"][1]["order"]


def kappa_or_nan(i, weights=None):
    if len(set(la[i].tolist()) | set(lb[i].tolist())) < 2:
        return math.nan
    return cohen_kappa_score(la[i], lb[i], labels=order, weights=weights)


cases["bootstrap"].append(
    {"statistic": "kappa", "a": la.tolist(), "b": lb.tolist(), "order": order, "resamples": RESAMPLES, "seed": SEED + 4,
     **bootstrap(len(la), kappa_or_nan, RESAMPLES, SEED + 4)}
)
cases["bootstrap"].append(
    {"statistic": "kappa_quadratic", "a": la.tolist(), "b": lb.tolist(), "order": order, "resamples": RESAMPLES, "seed": SEED + 5,
     **bootstrap(len(la), lambda i: kappa_or_nan(i, "quadratic"), RESAMPLES, SEED + 5)}
)
draw = mulberry32(12345)
cases["prng"] = {"seed": 12345, "first": [draw() for _ in range(10)]}

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(
        {"generated_by": "scripts/stats-reference.py",
         "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__},
         **cases},
        f,
    )
    f.write("\n")
print(f"wrote {os.path.relpath(OUT)}")
