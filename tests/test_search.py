"""Properties of the monotone search, on random embeddings (no model needed)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from align.search import PAIR_TYPES, Scoring, Side, Step, _Grid, make_side, search


def _sides(seed: int, n: int, m: int, *, same: bool = False) -> tuple[Side, Side]:
    rng = np.random.default_rng(seed)
    src = rng.normal(size=(n, 16))
    tgt = src.copy() if same else rng.normal(size=(m, 16))
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    src_len = rng.integers(5, 60, size=n).astype(float)
    tgt_len = src_len.copy() if same else rng.integers(5, 60, size=m).astype(float)
    return (make_side(src, src_len, tgt.mean(axis=0)), make_side(tgt, tgt_len, src.mean(axis=0)))


def _check_cover(steps: list[Step], n: int, m: int) -> None:
    i = j = 0
    for step in steps:
        assert (step.i0, step.j0) == (i, j), "beads must be contiguous and monotone"
        assert step.i1 >= step.i0 and step.j1 >= step.j0 and (step.i1, step.j1) != (i, j)
        i, j = step.i1, step.j1
    assert (i, j) == (n, m), "every sentence must be covered exactly once"


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 30), st.integers(1, 30))
def test_every_sentence_is_covered_once_in_order(seed: int, n: int, m: int) -> None:
    src, tgt = _sides(seed, n, m)
    _check_cover(search(src, tgt, Scoring()), n, m)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40))
def test_identical_documents_align_one_to_one(seed: int, n: int) -> None:
    src, tgt = _sides(seed, n, n, same=True)
    steps = search(src, tgt, Scoring(merge=0.2, skip=-0.1))
    assert [(s.i0, s.i1, s.j0, s.j1) for s in steps] == [(k, k + 1, k, k + 1) for k in range(n)]


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(20, 60), st.integers(20, 60))
def test_banded_search_equals_full_search_on_small_inputs(seed: int, n: int, m: int) -> None:
    """Differential test: coarse-to-fine must find the full search's path when the
    documents are translations with some noise (here: a permutation-free perturbation)."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 16))
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    # the target is the source with neighbouring sentences sometimes merged: a parallel text
    groups = np.cumsum(rng.random(n) < 0.8)
    tgt = np.stack([base[groups == g].sum(axis=0) for g in np.unique(groups)])
    tgt += rng.normal(scale=0.3, size=tgt.shape)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    src_len = np.full(n, 20.0)
    tgt_len = np.array([20.0 * (groups == g).sum() for g in np.unique(groups)])
    src = make_side(base, src_len, tgt.mean(axis=0))
    tgt_side = make_side(tgt, tgt_len, base.mean(axis=0))
    scoring = Scoring(merge=0.2, skip=-0.1)
    full = search(src, tgt_side, scoring, full_grid_cells=10**9)
    banded = search(src, tgt_side, scoring, full_grid_cells=50)
    assert banded == full


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 20), st.integers(5, 20))
def test_one_bead_scores_as_its_row_does(seed: int, n: int, m: int) -> None:
    """The trace scores each chosen bead alone; it must agree with the row the DP used."""
    src, tgt = _sides(seed, n, m)
    grid = _Grid(src, tgt, PAIR_TYPES, Scoring())
    for i in range(1, n + 1):
        row = grid.row(i, 0, m)
        for a, b in PAIR_TYPES:
            for j in range(b, m + 1):
                if a <= i and np.isfinite(row[(a, b)][j]):
                    assert np.isclose(grid.bead(i, j, a, b), row[(a, b)][j])
