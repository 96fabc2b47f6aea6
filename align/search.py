"""Monotone many-to-many alignment search: banded dynamic programming, coarse to fine.

Window embeddings are sums of sentence embeddings, taken from prefix sums, so no window is
ever re-encoded and the cost of a bead is a dot product. The search first aligns
block-averaged documents (blocks of 2, 4, 8 ... sentences) with a full dynamic program on a
grid small enough to afford, then refines the path one level at a time inside a band around
the coarser path. Time and memory are O((n + m) · band) per level, never O(n · m).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

PAIR_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 2),
    (2, 1),
    (1, 3),
    (3, 1),
    (2, 2),
    (1, 4),
    (4, 1),
    (2, 3),
    (3, 2),
)
COARSE_PAIR_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (2, 2))
FULL_GRID_CELLS = 250_000
BAND_WIDTH = 10
SOURCE_SKIP = -1
TARGET_SKIP = -2


@dataclass(frozen=True)
class Side:
    """One document as the search sees it: prefix sums over sentence boundaries."""

    vectors: FloatArray  # (k + 1, d) prefix sums of unit sentence embeddings
    lengths: FloatArray  # (k + 1,) prefix sums of sentence lengths in characters
    centred: FloatArray  # (k + 1,) prefix sums of each sentence's dot with the other side's mean

    @property
    def size(self) -> int:
        return len(self.lengths) - 1

    @cached_property
    def units(self) -> FloatArray:
        """Each sentence's unit vector (the differences of the prefix sums), computed once
        for every reader of this side."""
        vectors: FloatArray = np.diff(self.vectors, axis=0)
        units: FloatArray = vectors / np.maximum(np.linalg.norm(vectors, axis=1), 1e-9)[:, None]
        return units

    def coarsen(self) -> Side:
        """Blocks of two: prefix sums at every other boundary (and the last one)."""
        keep = np.unique(np.append(np.arange(0, self.size + 1, 2), self.size))
        return Side(self.vectors[keep], self.lengths[keep], self.centred[keep])

    def reversed(self) -> Side:
        """The same document read from its end: window k..l becomes window size-l..size-k."""
        return Side(
            self.vectors[-1] - self.vectors[::-1],
            self.lengths[-1] - self.lengths[::-1],
            self.centred[-1] - self.centred[::-1],
        )


@dataclass(frozen=True)
class Scoring:
    """What makes a bead good: similarity above chance, plausible length ratio."""

    skip: float = 0.0  # gain for leaving one sentence unaligned
    length_weight: float = 0.05
    length_ratio: float = 1.0  # expected target/source length ratio, from the documents
    merge: float = 0.2  # cost of each sentence beyond the first on a bead's longer side
    merge_both: float = 0.2  # ... and on its shorter side (2-2, 2-3 beads)
    size_weight: float = 1.0  # a bead's quality counts 2 + size_weight * (sentences - 2) times
    # share of the chance similarity taken from the sentences beside the bead on the other
    # side instead of the other document's mean (read by the second pass only; see windows)
    neighbours: float = 0.0
    # the length, as a share of the documents' mean sentence length, at which the log length
    # ratio's variance doubles: a bead of length L has its length penalty scaled by
    # L / (L + length_noise * sentence_length); 0 leaves every bead's penalty as it is
    length_noise: float = 0.0
    sentence_length: float = 1.0  # mean sentence length in target characters, from the documents


@dataclass(frozen=True)
class Step:
    """A bead in search coordinates: source rows [i0, i1), target columns [j0, j1)."""

    i0: int
    i1: int
    j0: int
    j1: int
    quality: float


def make_side(
    embeddings: NDArray[np.floating],
    lengths: NDArray[np.floating],
    other_mean: NDArray[np.floating],
) -> Side:
    vectors = np.zeros((len(embeddings) + 1, embeddings.shape[1]), dtype=np.float64)
    np.cumsum(embeddings, axis=0, out=vectors[1:])
    lens = np.concatenate([[0.0], np.cumsum(np.asarray(lengths, dtype=np.float64))])
    centred = np.concatenate([[0.0], np.cumsum(embeddings @ other_mean)])
    return Side(vectors, lens, centred)


def bead_quality(
    cos: FloatArray,
    src_centred: FloatArray | float,
    tgt_centred: FloatArray,
    src_len: FloatArray | float,
    tgt_len: FloatArray,
    scoring: Scoring,
) -> FloatArray:
    """Similarity above what either side scores against the other document on average
    (so hub sentences that resemble everything do not win), less a log length-ratio penalty:
    the log ratio of translation lengths is roughly normal around the documents' ratio, with
    a variance that grows as the bead gets shorter (a + b / L on the 1-1 beads of every dev
    set), so with ``length_noise`` a short bead's ratio counts for less than a long one's."""
    expected = scoring.length_ratio * src_len
    ratio = np.log((tgt_len + 1.0) / (expected + 1.0))
    penalty = scoring.length_weight * ratio * ratio
    if scoring.length_noise:
        length = 0.5 * (tgt_len + expected)
        penalty = penalty * length / (length + scoring.length_noise * scoring.sentence_length)
    return cos - 0.5 * (src_centred + tgt_centred) - penalty


def random_pair_qualities(src: Side, tgt: Side, scoring: Scoring, count: int) -> FloatArray:
    """Qualities of 1-1 beads between sentences drawn at random: what chance scores on
    these two documents, with this encoder. Documents with at most ``count`` sentence pairs
    are scored on every pair off their diagonal (exact, and cheaper than a larger sample: a
    batch aligns thousands of short articles). The diagonal is left out because in a short
    translation its pairs are mostly the translations themselves, not chance: in a
    one-sentence pair the only pair is the translation, and a skip gain set from it ties
    the bead with two omissions. So the sample may be empty. In a long document a random
    draw lands on the diagonal too rarely to matter. The generator is seeded, so a document
    pair always gets the same sample (and the same alignment)."""
    if src.size * tgt.size <= count:
        i, j = np.divmod(np.arange(src.size * tgt.size), tgt.size)
        offset = np.abs((i + 0.5) / src.size - (j + 0.5) / tgt.size)
        off_diagonal = offset >= 0.5 / max(src.size, tgt.size)
        i, j = i[off_diagonal], j[off_diagonal]
    else:
        rng = np.random.default_rng(0)
        i = rng.integers(0, src.size, count)
        j = rng.integers(0, tgt.size, count)
    src_vecs = src.vectors[i + 1] - src.vectors[i]
    tgt_vecs = tgt.vectors[j + 1] - tgt.vectors[j]
    src_norm = np.maximum(np.linalg.norm(src_vecs, axis=1), 1e-9)
    tgt_norm = np.maximum(np.linalg.norm(tgt_vecs, axis=1), 1e-9)
    cos = np.einsum("ij,ij->i", src_vecs, tgt_vecs) / (src_norm * tgt_norm)
    return bead_quality(
        cos,
        (src.centred[i + 1] - src.centred[i]) / src_norm,
        (tgt.centred[j + 1] - tgt.centred[j]) / tgt_norm,
        src.lengths[i + 1] - src.lengths[i],
        tgt.lengths[j + 1] - tgt.lengths[j],
        scoring,
    )


def _window_norms(side: Side, max_span: int) -> FloatArray:
    """norms[k, i] = |sum of embeddings of sentences [i - k, i)|, 0 where the window is invalid."""
    out = np.zeros((max_span + 1, side.size + 1))
    for k in range(1, max_span + 1):
        diff = side.vectors[k:] - side.vectors[:-k]
        out[k, k:] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return out


class _Grid:
    """Bead qualities for one pair of sides, computed row by row."""

    def __init__(
        self, src: Side, tgt: Side, types: tuple[tuple[int, int], ...], scoring: Scoring
    ) -> None:
        self.src, self.tgt, self.types, self.scoring = src, tgt, types, scoring
        self.max_a = max(a for a, _ in types)
        self.max_b = max(b for _, b in types)
        self.src_norms = _window_norms(src, self.max_a)
        self.tgt_norms = _window_norms(tgt, self.max_b)
        pad = np.zeros((self.max_b, src.vectors.shape[1]))
        self.tgt_padded = np.vstack([pad, tgt.vectors])
        self.tgt_len_padded = np.concatenate([np.zeros(self.max_b), tgt.lengths])
        self.tgt_cen_padded = np.concatenate([np.zeros(self.max_b), tgt.centred])
        self.tgt_norm_padded = np.hstack([np.zeros((self.max_b + 1, self.max_b)), self.tgt_norms])

    def bead(self, i: int, j: int, a: int, b: int) -> float:
        """Quality of the one bead (i - a, i) x (j - b, j): ``row`` for a single cell, without
        computing every other bead type ending there (the trace needs only the chosen one)."""
        src, tgt = self.src, self.tgt
        src_norm = max(float(self.src_norms[a, i]), 1e-9)
        tgt_norm = max(float(self.tgt_norms[b, j]), 1e-9)
        window = src.vectors[i] - src.vectors[i - a]
        cos = float((tgt.vectors[j] - tgt.vectors[j - b]) @ window) / (src_norm * tgt_norm)
        quality = bead_quality(
            np.array([cos]),
            (src.centred[i] - src.centred[i - a]) / src_norm,
            np.array([(tgt.centred[j] - tgt.centred[j - b]) / tgt_norm]),
            src.lengths[i] - src.lengths[i - a],
            np.array([tgt.lengths[j] - tgt.lengths[j - b]]),
            self.scoring,
        )
        return float(quality[0])

    def row(self, i: int, lo: int, hi: int) -> dict[tuple[int, int], FloatArray]:
        """Quality of every bead type ending at (i, j) for j in [lo, hi]."""
        src, sc = self.src, self.scoring
        spans = [a for a in range(1, self.max_a + 1) if a <= i]
        if not spans:
            return {}
        windows = np.stack([src.vectors[i] - src.vectors[i - a] for a in spans])
        block = self.tgt_padded[lo : hi + self.max_b + 1]  # columns lo - max_b .. hi
        dots = block @ windows.T  # (hi - lo + 1 + max_b, len(spans))
        width = hi - lo + 1
        cols = np.arange(lo, hi + 1)
        out: dict[tuple[int, int], FloatArray] = {}
        for a, b in self.types:
            if a > i:
                continue
            k = a - 1
            end = dots[self.max_b : self.max_b + width, k]
            start = dots[self.max_b - b : self.max_b - b + width, k]
            src_norm = self.src_norms[a, i]
            tgt_norm = self.tgt_norm_padded[b, cols + self.max_b]
            valid = tgt_norm > 0
            denom = np.where(valid, src_norm * tgt_norm, 1.0)
            cos = (end - start) / denom
            src_cen = (src.centred[i] - src.centred[i - a]) / max(src_norm, 1e-9)
            tgt_cen = (
                self.tgt_cen_padded[cols + self.max_b] - self.tgt_cen_padded[cols + self.max_b - b]
            ) / np.where(valid, tgt_norm, 1.0)
            src_len = src.lengths[i] - src.lengths[i - a]
            tgt_len = (
                self.tgt_len_padded[cols + self.max_b] - self.tgt_len_padded[cols + self.max_b - b]
            )
            quality = bead_quality(cos, src_cen, tgt_cen, src_len, tgt_len, sc)
            out[(a, b)] = np.where(valid & (cols - b >= 0), quality, -np.inf)
        return out


class Grid(Protocol):
    """Where the dynamic program gets bead qualities: every bead type ending on a row, and
    one chosen bead for the trace."""

    def row(self, i: int, lo: int, hi: int) -> dict[tuple[int, int], FloatArray]: ...

    def bead(self, i: int, j: int, a: int, b: int) -> float: ...


@dataclass(frozen=True)
class Lattice:
    """The forward pass of the dynamic program over a band: ``score[i][j - lo[i]]`` is the
    best gain of a path from (0, 0) to (i, j); ``came`` and ``skip_from`` trace it back."""

    score: list[FloatArray]
    came: list[IntArray]  # per row: index into `types`, SOURCE_SKIP or TARGET_SKIP
    skip_from: list[IntArray]  # per row: column where a run of target skips began
    lo: IntArray

    @property
    def total(self) -> float:
        return float(self.score[-1][-1])


def forward(
    grid: Grid,
    n: int,
    lo: IntArray,
    hi: IntArray,
    types: tuple[tuple[int, int], ...],
    scoring: Scoring,
) -> Lattice:
    """Best monotone paths from (0, 0) to every cell lo[i] <= j <= hi[i]."""
    score: list[FloatArray] = []
    came: list[IntArray] = []
    skip_from: list[IntArray] = []
    for i in range(n + 1):
        first, last = int(lo[i]), int(hi[i])
        cols = np.arange(first, last + 1)
        base = np.full(last - first + 1, -np.inf)
        how = np.full(last - first + 1, SOURCE_SKIP, dtype=np.int64)
        if i == 0:
            if first == 0:
                base[0] = 0.0
        else:
            _relax(base, how, cols, score[i - 1], int(lo[i - 1]), 0, scoring.skip, SOURCE_SKIP)
            qualities = grid.row(i, first, last)
            for t, (a, b) in enumerate(types):
                if a <= i:
                    gain = bead_gain(a, b, qualities[(a, b)], scoring)
                    _relax(base, how, cols, score[i - a], int(lo[i - a]), b, gain, t)
        # runs of target skips within the row: D[j] = max_k (base[k] + (j - k) * skip)
        shifted = base - cols * scoring.skip
        running = np.maximum.accumulate(shifted)
        origin = np.maximum.accumulate(np.where(shifted >= running, cols, first))
        score.append(running + cols * scoring.skip)
        came.append(np.where(origin < cols, TARGET_SKIP, how))
        skip_from.append(origin)
    return Lattice(score, came, skip_from, lo)


def bead_gain(a: int, b: int, quality: FloatArray, scoring: Scoring) -> FloatArray:
    """What a bead of a source and b target sentences adds to a path. With ``size_weight`` 1
    its quality counts once per sentence (summed windows: a merge is scored as the parts it
    sums); with 0, once per bead, as Bertalign counts encoded windows, so that a merge must
    beat its parts' qualities added up. Merge costs come on top."""
    weight = 2.0 + scoring.size_weight * (a + b - 2)
    merges = scoring.merge * (max(a, b) - 1) + scoring.merge_both * (min(a, b) - 1)
    return weight * quality - merges


def band_dp(
    src: Side,
    tgt: Side,
    lo: IntArray,
    hi: IntArray,
    types: tuple[tuple[int, int], ...],
    scoring: Scoring,
) -> list[Step]:
    """Best monotone path from (0, 0) to (n, m) through the cells lo[i] <= j <= hi[i]."""
    grid = _Grid(src, tgt, types, scoring)
    lattice = forward(grid, src.size, lo, hi, types, scoring)
    return trace(lattice, types, grid, src.size, tgt.size)


def _relax(
    base: FloatArray,
    how: IntArray,
    cols: IntArray,
    prev: FloatArray,
    prev_lo: int,
    b: int,
    gain: FloatArray | float,
    label: int,
) -> None:
    """base[j] = max(base[j], prev[j - b] + gain[j]) where j - b lies in the previous band."""
    idx = cols - b - prev_lo
    ok = (idx >= 0) & (idx < len(prev))
    if not ok.any():
        return
    cand = np.full_like(base, -np.inf)
    cand[ok] = prev[idx[ok]]
    cand = cand + gain
    better = cand > base
    base[better] = cand[better]
    how[better] = label


def trace(
    lattice: Lattice, types: tuple[tuple[int, int], ...], grid: Grid, n: int, m: int
) -> list[Step]:
    """The beads of the best path to (n, m), each scored on its own."""
    score, came, skip_from, lo = lattice.score, lattice.came, lattice.skip_from, lattice.lo
    if not np.isfinite(score[n][m - int(lo[n])]):
        raise RuntimeError("alignment band does not reach the end of both documents")
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        how = int(came[i][k])
        if how == TARGET_SKIP:
            start = int(skip_from[i][k])
            for col in range(j, start, -1):
                steps.append(Step(i, i, col - 1, col, 0.0))
            j = start
            continue
        if how == SOURCE_SKIP:
            steps.append(Step(i - 1, i, j, j, 0.0))
            i -= 1
            continue
        a, b = types[how]
        quality = grid.bead(i, j, a, b)
        steps.append(Step(i - a, i, j - b, j, quality))
        i, j = i - a, j - b
    steps.reverse()
    return steps


def search(
    src: Side,
    tgt: Side,
    scoring: Scoring,
    types: tuple[tuple[int, int], ...] = PAIR_TYPES,
    *,
    full_grid_cells: int = FULL_GRID_CELLS,
) -> list[Step]:
    """Coarse to fine: a full grid when it is small, else a band around the coarser path."""
    n, m = src.size, tgt.size
    if (n + 1) * (m + 1) <= full_grid_cells:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
        return band_dp(src, tgt, lo, hi, types, scoring)
    src_keep, tgt_keep = _boundaries(n), _boundaries(m)
    coarse = search(
        src.coarsen(), tgt.coarsen(), scoring, COARSE_PAIR_TYPES, full_grid_cells=full_grid_cells
    )
    lo, hi = project_band(coarse, src_keep, tgt_keep, n, m, BAND_WIDTH)
    return band_dp(src, tgt, lo, hi, types, scoring)


def _boundaries(size: int) -> IntArray:
    return np.unique(np.append(np.arange(0, size + 1, 2), size)).astype(np.int64)


def project_band(
    steps: list[Step], src_keep: IntArray, tgt_keep: IntArray, n: int, m: int, width: int
) -> tuple[IntArray, IntArray]:
    """The fine-level band: cells under the coarse path, widened by ``width`` each way."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for step in steps:
        r0, r1 = int(src_keep[step.i0]), int(src_keep[step.i1])
        c0, c1 = int(tgt_keep[step.j0]), int(tgt_keep[step.j1])
        np.minimum(lo[r0 : r1 + 1], c0, out=lo[r0 : r1 + 1])
        np.maximum(hi[r0 : r1 + 1], c1, out=hi[r0 : r1 + 1])
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    rows = np.arange(n + 1)
    lo = np.clip(lo[np.maximum(rows - width, 0)] - width, 0, m)
    hi = np.clip(hi[np.minimum(rows + width, n)] + width, 0, m)
    return lo, hi
