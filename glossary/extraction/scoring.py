"""Turning evidence into a confidence: a logistic model and its fit on labelled examples.

Both extraction paths describe a (term, English phrase) pair by a short feature vector; a
confidence is the logistic of a weighted sum. The weights are fitted on reference lists
(``bench/glossary_bench.py --fit``), never hand-set, and the bench reports folds in which no
term is scored by weights that saw it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

Weights = tuple[float, ...]
"""One weight per feature, the bias first."""


def margin(weights: Weights, values: Sequence[float]) -> float:
    """The log-odds that ``weights`` give a feature vector (0 is confidence 0.5)."""
    return sum(w * x for w, x in zip(weights, values, strict=True))


def logistic(weights: Weights, values: Sequence[float]) -> float:
    """The confidence in [0, 1] that ``weights`` give a feature vector."""
    z = margin(weights, values)
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def fit_logistic(
    rows: Sequence[tuple[Sequence[float], bool]], *, l2: float = 1.0, steps: int = 50
) -> Weights:
    """Class-balanced, L2-regularised logistic regression (Newton steps) on labelled rows.

    Balanced because a term has one right rendering among dozens of candidates; regularised
    because reference lists have hundreds of terms, not millions. The bias (the first
    feature, always 1) is not penalised.
    """
    x = np.array([values for values, _ in rows], dtype=np.float64)
    y = np.array([float(label) for _, label in rows])
    positives = max(float(y.sum()), 1.0)
    negatives = max(float(len(y) - y.sum()), 1.0)
    sample = np.where(y > 0, len(y) / (2 * positives), len(y) / (2 * negatives))
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -50.0, 50.0)))
        gradient = x.T @ (sample * (p - y)) + penalty * w
        hessian = (x * (sample * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        w -= np.linalg.solve(hessian, gradient)
    return tuple(round(float(v), 3) for v in w)
