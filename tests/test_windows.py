"""The two-pass parallel aligner: encoded windows, candidates, scores (no model needed).

The encoder here is a bag of hashed tokens, so a window's encoding really is the encoding of
its joined text (not the sum the first pass uses), and identical texts encode identically.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from align.calibration import bead_probability
from align.encoders import Encoder, Vectors, normalise_rows
from align.parallel import WINDOW_BAND, ParallelAligner
from align.search import PAIR_TYPES, Scoring, make_side, search
from align.types import Document, Sentence
from align.windows import Candidates, WindowGrid, beside, candidate_beads, rescore

TOKEN = regex.compile(r"w[0-9]+")


class BagEncoder(Encoder):
    """Each token ``w<k>`` has a fixed random vector; a text is the sum of its tokens'."""

    name = "bag"

    def __init__(self, dim: int = 24) -> None:
        self.dim = dim
        self.calls: list[list[str]] = []

    def _token(self, token: str) -> np.ndarray:
        return np.random.default_rng(int(token[1:])).normal(size=self.dim)

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        rows = [sum((self._token(t) for t in TOKEN.findall(x)), np.zeros(self.dim)) for x in texts]
        return normalise_rows(np.array(rows))


def _doc(texts: list[str], lang: str) -> Document:
    sentences, offset = [], 0
    for t in texts:
        sentences.append(Sentence(t, offset, offset + len(t)))
        offset += len(t) + 1
    return Document(" ".join(texts), lang, tuple(sentences))  # type: ignore[arg-type]


def _translation(seed: int, n: int) -> tuple[list[str], list[str]]:
    """A source of n sentences and a target that splits some and merges some neighbours."""
    rng = np.random.default_rng(seed)
    src = [" ".join(f"w{100 * k + t}" for t in range(rng.integers(2, 6))) for k in range(n)]
    tgt: list[str] = []
    k = 0
    while k < n:
        roll = rng.random()
        if roll < 0.15 and k + 1 < n:  # two source sentences, one target sentence
            tgt.append(src[k] + " " + src[k + 1])
            k += 2
        elif roll < 0.3 and len(src[k].split()) > 1:  # one source sentence, two targets
            words = src[k].split()
            tgt += [" ".join(words[:1]), " ".join(words[1:])]
            k += 1
        else:
            tgt.append(src[k])
            k += 1
    return src, tgt


def _check_cover(beads: Sequence[tuple[tuple[int, ...], tuple[int, ...]]], n: int, m: int) -> None:
    i = j = 0
    for src, tgt in beads:
        assert src == tuple(range(i, i + len(src))) and tgt == tuple(range(j, j + len(tgt)))
        assert src or tgt
        i, j = i + len(src), j + len(tgt)
    assert (i, j) == (n, m), "every sentence covered exactly once, in order"


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40))
def test_two_passes_cover_every_sentence_once_in_order_with_scores_in_range(
    seed: int, n: int
) -> None:
    src, tgt = _translation(seed, n)
    alignment = ParallelAligner(BagEncoder(), window_margin=2.0).align(
        _doc(src, "en"), _doc(tgt, "zh")
    )
    _check_cover([(b.src, b.tgt) for b in alignment.beads], len(src), len(tgt))
    assert all(0.0 <= b.score <= 1.0 for b in alignment.beads)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 30))
def test_identical_documents_align_one_to_one_after_rescoring(seed: int, n: int) -> None:
    src, _ = _translation(seed, n)
    alignment = ParallelAligner(BagEncoder(), window_margin=2.0).align(
        _doc(src, "en"), _doc(src, "zh")
    )
    assert [(b.src, b.tgt) for b in alignment.beads] == [((k,), (k,)) for k in range(n)]


def test_a_one_sentence_translation_is_one_bead_not_two_omissions() -> None:
    """Its only sentence pair is the pair itself: no pair of these documents can tell what
    chance scores, so nothing may be left out as worse than chance."""
    alignment = ParallelAligner(BagEncoder()).align(_doc(["w1 w2 w3"], "en"), _doc(["w1 w2"], "zh"))
    assert [(b.src, b.tgt) for b in alignment.beads] == [((0,), (0,))]
    assert alignment.beads[0].score > 0.5


def test_windows_are_encoded_as_joined_text_and_cached_like_sentences() -> None:
    src, tgt = _translation(3, 30)
    encoder = BagEncoder()
    ParallelAligner(encoder, window_margin=2.0).align(_doc(src, "en"), _doc(tgt, "zh"))
    sentences = set(src) | set(tgt)
    windows = [t for call in encoder.calls for t in call if t not in sentences]
    assert windows, "the second pass encodes some multi-sentence windows"
    joined_en = {" ".join(src[a:b]) for a in range(len(src)) for b in range(a + 2, a + 5)}
    joined_zh = {"".join(tgt[a:b]) for a in range(len(tgt)) for b in range(a + 2, a + 5)}
    assert set(windows) <= joined_en | joined_zh
    # far fewer windows than Bertalign's every window of every length
    assert len(windows) < 3 * (len(src) + len(tgt))


def test_a_translation_with_splits_and_merges_aligns_as_it_was_built() -> None:
    """Summed vectors make a merge of two right beads look as good as the two; encoded
    windows scored once a bead do not, so every bead pairs exactly the same tokens."""
    src, tgt = _translation(11, 40)
    doc_src, doc_tgt = _doc(src, "en"), _doc(tgt, "zh")
    gold_like = ParallelAligner(BagEncoder(), window_margin=2.0).align(doc_src, doc_tgt)
    beads = [(b.src, b.tgt) for b in gold_like.beads]
    joined = [(" ".join(src[i] for i in s), "".join(tgt[j] for j in t)) for s, t in beads]
    # every bead pairs the same tokens on both sides: the alignment the texts were built with
    assert all(sorted(TOKEN.findall(a)) == sorted(TOKEN.findall(b)) for a, b in joined)


def _sides(seed: int, n: int, m: int) -> tuple:
    return _sides_and_means(seed, n, m)[:2]


def _sides_and_means(seed: int, n: int, m: int) -> tuple:
    rng = np.random.default_rng(seed)
    src = normalise_rows(rng.normal(size=(n, 8))).astype(float)
    tgt = normalise_rows(rng.normal(size=(m, 8))).astype(float)
    lens = rng.integers(5, 40, size=n).astype(float), rng.integers(5, 40, size=m).astype(float)
    means = (src.mean(axis=0), tgt.mean(axis=0))
    return make_side(src, lens[0], means[1]), make_side(tgt, lens[1], means[0]), means


def _brute_force(n: int, m: int, qualities: dict, scoring: Scoring, single: dict) -> float:
    """Best gain over every monotone path, by exhaustive recursion (tiny inputs only)."""
    from functools import cache

    from align.search import bead_gain

    @cache
    def best(i: int, j: int) -> float:
        if (i, j) == (n, m):
            return 0.0
        options = []
        if i < n:
            options.append(scoring.skip + best(i + 1, j))
        if j < m:
            options.append(scoring.skip + best(i, j + 1))
        for a, b in PAIR_TYPES:
            if i + a <= n and j + b <= m:
                key = (i, i + a, j, j + b)
                q = single.get(key) if (a, b) == (1, 1) else qualities.get(key)
                if q is not None:
                    options.append(
                        float(bead_gain(a, b, np.array(q), scoring)) + best(i + a, j + b)
                    )
        return max(options)

    return best(0, 0)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 6), st.integers(1, 6), st.sampled_from([0, 0.5]))
def test_rescored_search_equals_exhaustive_search_on_small_inputs(
    seed: int, n: int, m: int, neighbours: float
) -> None:
    """Differential test of the second pass: with every cell in its band, its path gains as
    much as the best of all monotone paths over the same bead qualities."""
    src, tgt, means = _sides_and_means(seed, n, m)
    scoring = Scoring(skip=-0.2, size_weight=0.0, merge=0.05, merge_both=0.1, neighbours=neighbours)
    rng = np.random.default_rng(seed + 1)
    beads = tuple(
        (i, i + a, j, j + b)
        for a, b in PAIR_TYPES[1:]
        for i, j in itertools.product(range(n + 1), range(m + 1))
        if i + a <= n and j + b <= m and rng.random() < 0.6
    )
    qualities = {bead: float(rng.normal(0.2, 0.3)) for bead in beads}
    band = Candidates(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64), beads)
    steps = rescore(WindowGrid(src, tgt, scoring, qualities, means), band)
    _check_cover([(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) for s in steps], n, m)
    from align.search import bead_gain

    single_grid = WindowGrid(src, tgt, scoring, {}, means)
    single = {
        (i - 1, i, j - 1, j): single_grid.bead(i, j, 1, 1)
        for i in range(1, n + 1)
        for j in range(1, m + 1)
    }
    gained = sum(
        scoring.skip * ((s.i1 - s.i0) + (s.j1 - s.j0))
        if s.i0 == s.i1 or s.j0 == s.j1
        else float(bead_gain(s.i1 - s.i0, s.j1 - s.j0, np.array(s.quality), scoring))
        for s in steps
    )
    assert np.isclose(gained, _brute_force(n, m, qualities, scoring, single))


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 25), st.integers(3, 25))
def test_the_first_paths_own_merges_are_always_candidates(seed: int, n: int, m: int) -> None:
    """Margin 0 keeps exactly the beads on a best path: the first path's merges among them."""
    src, tgt = _sides(seed, n, m)
    scoring = Scoring(skip=-0.3, size_weight=0.5, merge=0.0, merge_both=0.0)
    steps = search(src, tgt, scoring)
    found = candidate_beads(src, tgt, steps, scoring, width=WINDOW_BAND, margin=1e-9)
    merges = {(s.i0, s.i1, s.j0, s.j1) for s in steps if s.i1 - s.i0 + s.j1 - s.j0 > 2}
    assert merges <= set(found.beads)


@given(st.floats(-1, 1), st.floats(-1, 1), st.floats(-1, 0.5), st.integers(2, 5))
def test_bead_probability_lies_in_the_unit_interval_and_rises_with_quality(
    q1: float, q2: float, skip: float, sentences: int
) -> None:
    low, high = sorted((q1, q2))
    p_low = bead_probability(low, skip, sentences)
    p_high = bead_probability(high, skip, sentences)
    assert 0.0 <= p_low <= p_high <= 1.0


def test_beside_averages_the_sentences_just_outside_a_bead_that_exist() -> None:
    units = np.eye(3)
    vector = np.array([[1.0, 2.0, 4.0]])
    # bead [1, 2): one before (0) and one after (2)
    assert beside(vector, units, np.array([1]), np.array([2]))[0] == 2.5
    # bead [0, 1): only the one after; bead [0, 3): none
    assert beside(vector, units, np.array([0]), np.array([1]))[0] == 2.0
    assert beside(vector, units, np.array([0]), np.array([3]))[0] == 0.0


def test_a_pair_that_fits_the_sentence_beside_it_as_well_scores_lower_with_neighbours() -> None:
    """Same cosine for both pairs; one target sentence has a near copy next to it, which
    the neighbours' share counts against it and the document mean cannot see."""
    rng = np.random.default_rng(5)
    base = normalise_rows(rng.normal(size=(4, 16)))
    src_vecs = base[:2]
    copy = normalise_rows(base[:1] + 0.05 * rng.normal(size=(1, 16)))
    tgt_vecs = np.vstack([base[0], copy, base[1], base[2]])
    means = (src_vecs.mean(axis=0), tgt_vecs.mean(axis=0))
    lens = np.full(2, 20.0), np.full(4, 20.0)
    src, tgt = make_side(src_vecs, lens[0], means[1]), make_side(tgt_vecs, lens[1], means[0])
    assert tgt.units.shape == (4, 16)
    plain, local = (
        WindowGrid(src, tgt, Scoring(neighbours=share), {}, means) for share in (0.0, 0.5)
    )
    # source 1 pairs with target 2 (a lone match) and source 0 with target 0 (copy beside)
    lone = local.bead(2, 3, 1, 1) - plain.bead(2, 3, 1, 1)
    crowded = local.bead(1, 1, 1, 1) - plain.bead(1, 1, 1, 1)
    assert crowded < lone
