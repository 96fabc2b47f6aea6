"""The parallel aligner's bead scoring: the length model and the skip gain set from data."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from align.calibration import SKIP_PERCENTILE
from align.document import make_document
from align.parallel import ParallelAligner, mean_sentence_length
from align.search import Scoring, bead_quality, make_side, random_pair_qualities
from align.types import Document


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_length_model_prefers_a_two_to_one_bead_when_one_long_sentence_translates_two() -> None:
    """One 80-character sentence against a 40-character target (1-1) or against that target
    and the next one (1-2, 80 characters in all): with equal similarity, the lengths decide."""
    scoring = Scoring(length_weight=0.2, length_ratio=1.0)
    cos, centred = np.array([0.6]), np.array([0.0])
    one_to_one = bead_quality(cos, 0.0, centred, 80.0, np.array([40.0]), scoring)
    one_to_two = bead_quality(cos, 0.0, centred, 80.0, np.array([80.0]), scoring)
    assert one_to_two[0] > one_to_one[0]
    no_lengths = replace(scoring, length_weight=0.0)
    assert bead_quality(cos, 0.0, centred, 80.0, np.array([40.0]), no_lengths)[0] == 0.6


def test_length_noise_discounts_a_short_beads_ratio_more_than_a_long_ones() -> None:
    """The same 2:1 length ratio costs a 10-character bead less than a 200-character one when
    the penalty is scaled for the noise of short lengths; unscaled, both cost about the same
    (the squared log ratio of the lengths)."""
    plain = Scoring(length_weight=0.4, length_ratio=1.0)
    noisy = replace(plain, length_noise=1.0, sentence_length=30.0)
    cos, centred = np.array([0.6]), np.array([0.0])

    def cost(scoring: Scoring, src_len: float) -> float:
        tgt_len = np.array([2 * src_len])
        return 0.6 - float(bead_quality(cos, 0.0, centred, src_len, tgt_len, scoring)[0])

    assert cost(plain, 10.0) == pytest.approx(0.4 * np.log(21 / 11) ** 2)
    assert cost(plain, 200.0) == pytest.approx(0.4 * np.log(401 / 201) ** 2)
    assert 0.0 < cost(noisy, 10.0) < cost(noisy, 200.0) < cost(plain, 200.0)
    assert cost(noisy, 10.0) < 0.5 * cost(plain, 10.0)


def test_mean_sentence_length_is_the_same_whichever_document_is_the_source() -> None:
    """3,000 target characters in 100 target sentences against 50 source sentences of 6,000
    source characters: read the other way round the figure is in the other script's units."""
    forward = mean_sentence_length(3000.0, 50, 100)
    backward = mean_sentence_length(6000.0, 100, 50)
    assert forward == 0.5 * (3000 / 50 + 3000 / 100)
    assert backward == forward * 6000 / 3000


def test_random_pairs_score_below_true_pairs_and_the_sample_is_reproducible() -> None:
    rng = np.random.default_rng(0)
    vecs = _unit(rng.normal(size=(200, 32)))
    lens = rng.integers(10, 80, size=200).astype(float)
    side = make_side(vecs, lens, vecs.mean(axis=0))
    scoring = Scoring()
    chance = random_pair_qualities(side, side, scoring, 2_000)
    assert np.array_equal(chance, random_pair_qualities(side, side, scoring, 2_000))
    # identical sentences (quality about 1) beat every random pair but the few that
    # happen to draw the same sentence twice
    assert np.percentile(chance, 99) < 0.5


def test_short_documents_are_scored_on_every_pair_exactly() -> None:
    rng = np.random.default_rng(1)
    src_vecs, tgt_vecs = _unit(rng.normal(size=(6, 16))), _unit(rng.normal(size=(7, 16)))
    src = make_side(src_vecs, np.full(6, 30.0), tgt_vecs.mean(axis=0))
    tgt = make_side(tgt_vecs, np.full(7, 30.0), src_vecs.mean(axis=0))
    every = random_pair_qualities(src, tgt, Scoring(), 1_000)
    # 6 x 7 pairs, each once, however large the sample allowed, but for the 6 on the
    # diagonal (where a translation's own pairs lie)
    assert every.shape == (36,)
    assert np.array_equal(every, random_pair_qualities(src, tgt, Scoring(), 42))


def test_a_one_sentence_pair_has_no_chance_pairs() -> None:
    side = make_side(_unit(np.ones((1, 4))), np.array([10.0]), np.ones(4) / 2)
    assert random_pair_qualities(side, side, Scoring(), 1_000).shape == (0,)


class _TableEncoder:
    """Looks embeddings up by text: the aligner sees exactly the vectors the test chose."""

    name = "table"

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.table[t] for t in texts])


def _translations(en: list[str], zh: list[str]) -> tuple[Document, Document, _TableEncoder]:
    """Two documents whose k-th sentences share one random vector (and nothing else does)."""
    base = _unit(np.random.default_rng(7).normal(size=(len(en), 32)))
    table = {t: base[k] for k, t in enumerate(en)} | {t: base[k] for k, t in enumerate(zh)}
    src = make_document("\n".join(en), lang="en", split_lines=True)
    tgt = make_document("\n".join(zh), lang="zh", split_lines=True)
    return src, tgt, _TableEncoder(table)


def test_skip_gain_comes_from_the_data_and_the_signature_says_so() -> None:
    src, tgt, encoder = _translations(
        [f"Sentence number {k} of the source." for k in range(12)],
        [f"来源的第{k}句。" for k in range(12)],
    )
    alignment = ParallelAligner(encoder).align(src, tgt)  # type: ignore[arg-type]
    assert [(b.src, b.tgt) for b in alignment.beads] == [((k,), (k,)) for k in range(12)]
    assert f"skip:p{SKIP_PERCENTILE:g}" in str(alignment.signature)
    fixed = ParallelAligner(encoder, skip=-0.3).align(src, tgt)  # type: ignore[arg-type]
    assert "skip:-0.3" in str(fixed.signature)


def test_a_later_pass_scores_with_what_the_first_pass_measured() -> None:
    """The second pass (and any bench that replays it) must see the skip gain, length ratio
    and mean sentence length of these documents, not the defaults of a bare ``Scoring``."""
    en = [f"English sentence {k} is rather longer than its partner." for k in range(8)]
    zh = [f"中文第{k}句。" for k in range(8)]
    src, tgt, encoder = _translations(en, zh)
    first = ParallelAligner(encoder).first_pass(src, tgt)  # type: ignore[arg-type]
    later = first.measured(Scoring(length_noise=1.5))
    assert later.length_noise == 1.5
    assert later.sentence_length == mean_sentence_length(
        float(sum(len(t) for t in zh)), len(en), len(zh)
    )
    assert (later.skip, later.length_ratio) == (first.scoring.skip, first.scoring.length_ratio)
    assert later.length_ratio < 0.5
