"""Second pass: rescore the multi-sentence beads near the first path with encoded windows.

The first pass scores a window of sentences by the sum of their vectors, which costs one
encoding per sentence but flatters merges: a sum averages away what each sentence says on its
own, so a 2-2 or 2-3 bead often beats the two beads a translator wrote. Bertalign and Vecalign
encode the concatenated text of every window of every length instead, several times the
encoding work. Here only the windows of the beads that could change the answer are encoded:
beads inside a narrow band around the first path whose best path (forward score to their
start, their gain, backward score from their end) comes within ``margin`` of the best path.
The second pass then searches that band again with those beads scored on their encoded
vectors, and every other multi-sentence bead left out.

What a bead's similarity is measured against differs too. The first pass subtracts each
side's similarity to the other document's mean (hub sentences that resemble everything do
not win). The second pass can also subtract, as Bertalign's margin does, each side's
similarity to the sentences just outside the bead on the other side (``Scoring.neighbours``
is that share): a window that fits its neighbours as well as its own partner is a wrong
boundary, which a document mean cannot see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from .search import (
    PAIR_TYPES,
    FloatArray,
    IntArray,
    Lattice,
    Scoring,
    Side,
    Step,
    _Grid,
    bead_gain,
    bead_quality,
    forward,
    project_band,
    trace,
)

Span = tuple[int, int]
BeadKey = tuple[int, int, int, int]  # i0, i1, j0, j1


@dataclass(frozen=True)
class Candidates:
    """The band of the second pass and the multi-sentence beads worth encoding in it."""

    lo: IntArray
    hi: IntArray
    beads: tuple[BeadKey, ...]

    def src_windows(self) -> list[Span]:
        """Source windows of more than one sentence, each once, in document order."""
        return sorted({(i0, i1) for i0, i1, _, _ in self.beads if i1 - i0 > 1})

    def tgt_windows(self) -> list[Span]:
        return sorted({(j0, j1) for _, _, j0, j1 in self.beads if j1 - j0 > 1})


def candidate_beads(
    src: Side, tgt: Side, steps: list[Step], scoring: Scoring, *, width: int, margin: float
) -> Candidates:
    """Multi-sentence beads within ``width`` of the first path whose max-marginal gain is
    within ``margin`` of the best path's, under the first pass's (summed-vector) scores."""
    n, m = src.size, tgt.size
    lo, hi = project_band(steps, np.arange(n + 1), np.arange(m + 1), n, m, width)
    rows = _Rows(_Grid(src, tgt, PAIR_TYPES, scoring), lo, hi)
    ahead = forward(rows, n, lo, hi, PAIR_TYPES, scoring)
    back_grid = _Grid(src.reversed(), tgt.reversed(), PAIR_TYPES, scoring)
    behind = forward(back_grid, n, m - hi[::-1], m - lo[::-1], PAIR_TYPES, scoring)
    floor = ahead.total - margin
    found: list[BeadKey] = []
    for i in range(1, n + 1):
        cols = np.arange(int(lo[i]), int(hi[i]) + 1)
        rest = behind.score[n - i][::-1]  # best gain from (i, j) to (n, m), j in cols
        qualities = rows.row(i, int(lo[i]), int(hi[i]))
        for a, b in PAIR_TYPES[1:]:
            if a > i:
                continue
            gain = bead_gain(a, b, qualities[(a, b)], scoring)
            best = _previous(ahead, i - a, cols - b) + gain + rest
            found += [(i - a, i, int(j) - b, int(j)) for j in cols[best >= floor]]
    return Candidates(lo, hi, tuple(found))


class _Rows:
    """A grid's rows over one band, computed once: the forward pass and the max-marginals
    read the same qualities."""

    def __init__(self, grid: _Grid, lo: IntArray, hi: IntArray) -> None:
        self.grid = grid
        self.rows = [grid.row(i, int(lo[i]), int(hi[i])) if i else {} for i in range(len(lo))]

    def row(self, i: int, lo: int, hi: int) -> dict[tuple[int, int], FloatArray]:
        return self.rows[i]

    def bead(self, i: int, j: int, a: int, b: int) -> float:
        return self.grid.bead(i, j, a, b)


def _previous(lattice: Lattice, row: int, cols: IntArray) -> FloatArray:
    """Forward scores at (row, cols), minus infinity outside that row's band."""
    scores = lattice.score[row]
    idx = cols - int(lattice.lo[row])
    ok = (idx >= 0) & (idx < len(scores))
    out = np.full(len(cols), -np.inf)
    out[ok] = scores[idx[ok]]
    return out


@dataclass(frozen=True)
class Windows:
    """Unit vectors of the encoded multi-sentence windows of one side, by span."""

    vectors: dict[Span, FloatArray]


class WindowGrid:
    """Bead qualities for the second pass: 1-1 beads on their sentence vectors,
    multi-sentence beads only where a candidate was encoded, on the encoded windows; both
    scored by ``window_qualities``."""

    def __init__(
        self,
        src: Side,
        tgt: Side,
        scoring: Scoring,
        qualities: dict[BeadKey, float],
        means: tuple[FloatArray, FloatArray],
    ) -> None:
        self.src, self.tgt, self.scoring, self.means = src, tgt, scoring, means
        self.qualities = qualities
        self.by_row: defaultdict[tuple[int, int, int], list[tuple[int, float]]] = defaultdict(list)
        for (i0, i1, j0, j1), quality in qualities.items():
            self.by_row[(i1, i1 - i0, j1 - j0)].append((j1, quality))

    def _singles(self, i: int, cols: IntArray) -> FloatArray:
        """Qualities of the 1-1 beads (i - 1, i) x (j - 1, j), j in ``cols`` (all >= 1)."""
        rows = np.full(len(cols), i - 1)
        return _qualities(
            self.src,
            self.tgt,
            (rows, rows + 1, cols - 1, cols),
            (self.src.units[rows], self.tgt.units[cols - 1]),
            self.means,
            self.scoring,
        )

    def row(self, i: int, lo: int, hi: int) -> dict[tuple[int, int], FloatArray]:
        cols = np.arange(lo, hi + 1)
        single = np.full(len(cols), -np.inf)
        single[cols >= 1] = self._singles(i, cols[cols >= 1])
        out = {(1, 1): single}
        for a, b in PAIR_TYPES[1:]:
            values = np.full(hi - lo + 1, -np.inf)
            for j, quality in self.by_row.get((i, a, b), ()):
                if lo <= j <= hi:
                    values[j - lo] = quality
            out[(a, b)] = values
        return out

    def bead(self, i: int, j: int, a: int, b: int) -> float:
        if (a, b) == (1, 1):
            return float(self._singles(i, np.array([j]))[0])
        return self.qualities[(i - a, i, j - b, j)]


def beside(vectors: FloatArray, units: FloatArray, start: IntArray, end: IntArray) -> FloatArray:
    """Each vector's mean similarity to the sentences just outside [start, end) on the other
    side (the one before it and the one after it, those that exist; 0 if neither does)."""
    size = len(units)
    left, right = start - 1, end
    has_left, has_right = left >= 0, right < size
    to_left = np.einsum("ij,ij->i", vectors, units[np.clip(left, 0, size - 1)]) * has_left
    to_right = np.einsum("ij,ij->i", vectors, units[np.clip(right, 0, size - 1)]) * has_right
    count = has_left.astype(np.float64) + has_right
    mean: FloatArray = (to_left + to_right) / np.maximum(count, 1.0)
    return mean


def window_qualities(
    src: Side,
    tgt: Side,
    beads: tuple[BeadKey, ...],
    src_windows: Windows,
    tgt_windows: Windows,
    means: tuple[FloatArray, FloatArray],
    scoring: Scoring,
) -> dict[BeadKey, float]:
    """The quality of each candidate bead on its encoded windows (a single sentence is its own
    window); see ``_qualities``."""
    if not beads:
        return {}
    src_vecs = np.stack([_window(src, src_windows, i0, i1) for i0, i1, _, _ in beads])
    tgt_vecs = np.stack([_window(tgt, tgt_windows, j0, j1) for _, _, j0, j1 in beads])
    keys = np.array(beads)
    quality = _qualities(
        src,
        tgt,
        (keys[:, 0], keys[:, 1], keys[:, 2], keys[:, 3]),
        (src_vecs, tgt_vecs),
        means,
        scoring,
    )
    return {bead: float(q) for bead, q in zip(beads, quality, strict=True)}


def _qualities(
    src: Side,
    tgt: Side,
    spans: tuple[IntArray, IntArray, IntArray, IntArray],
    vectors: tuple[FloatArray, FloatArray],
    means: tuple[FloatArray, FloatArray],
    scoring: Scoring,
) -> FloatArray:
    """Cosine of each bead's two unit vectors above what chance gives each side (its
    similarity to the other document's mean and, for the ``neighbours`` share, to the
    sentences beside the bead on the other side), less the length penalty."""
    i0, i1, j0, j1 = spans
    src_vecs, tgt_vecs = vectors
    share = scoring.neighbours
    src_chance = (1.0 - share) * (src_vecs @ means[1])
    tgt_chance = (1.0 - share) * (tgt_vecs @ means[0])
    if share:
        src_chance = src_chance + share * beside(src_vecs, tgt.units, j0, j1)
        tgt_chance = tgt_chance + share * beside(tgt_vecs, src.units, i0, i1)
    return bead_quality(
        np.einsum("ij,ij->i", src_vecs, tgt_vecs),
        src_chance,
        tgt_chance,
        src.lengths[i1] - src.lengths[i0],
        tgt.lengths[j1] - tgt.lengths[j0],
        scoring,
    )


def _window(side: Side, windows: Windows, start: int, end: int) -> FloatArray:
    if end - start > 1:
        return windows.vectors[(start, end)]
    unit: FloatArray = side.units[start]
    return unit


def rescore(grid: WindowGrid, candidates: Candidates) -> list[Step]:
    """The best path through the second pass's band on the grid's rescored beads."""
    size = grid.src.size
    lattice = forward(grid, size, candidates.lo, candidates.hi, PAIR_TYPES, grid.scoring)
    return trace(lattice, PAIR_TYPES, grid, size, grid.tgt.size)
