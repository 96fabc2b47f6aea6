"""Parallel mode: the two texts translate each other, so the alignment is monotone.

Two passes. The first encodes each sentence once and scores a window of sentences by the sum
of their vectors: a banded, coarse-to-fine search over the whole pair. The second encodes the
joined text of the multi-sentence windows of the beads that could change the answer near that
path (see ``windows``) and searches a narrow band again with those beads scored on their own
vectors. Window texts go through the same encoder, so the embedding cache keys them like
sentences and a rerun encodes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .aligner import Aligner
from .calibration import (
    FIRST_PASS,
    SECOND_PASS,
    SKIP_PERCENTILE,
    WINDOW_MARGIN,
    bead_probability,
)
from .encoders import Encoder
from .search import FloatArray, Scoring, Side, Step, make_side, random_pair_qualities, search
from .types import Bead, Document, join_sentences
from .windows import (
    Candidates,
    WindowGrid,
    Windows,
    candidate_beads,
    rescore,
    window_qualities,
)

#: Random sentence pairs drawn to set the skip gain: enough for a stable 10th percentile,
#: and small next to the embeddings in memory.
SKIP_SAMPLE = 5_000
#: The skip gain when the documents hold no pair off their diagonal (one sentence a side):
#: with nothing to say what chance scores, an omission is worth what a cosine is at its
#: lowest, so a pair is left out only when its lengths are implausible as well.
NO_CHANCE = -1.0
#: Half-width of the second pass's band around the first path, in sentences.
WINDOW_BAND = 3


@dataclass(frozen=True)
class FirstPass:
    """What the first pass leaves for the second: both sides, the documents' mean vectors,
    its scoring (with the skip gain set from the data) and its path."""

    src: Side
    tgt: Side
    means: tuple[FloatArray, FloatArray]
    scoring: Scoring
    steps: list[Step]

    def measured(self, scoring: Scoring) -> Scoring:
        """``scoring`` with what this pass measured on the documents (skip gain, length ratio,
        mean sentence length), for a later pass over the same pair."""
        return replace(
            scoring,
            skip=self.scoring.skip,
            length_ratio=self.scoring.length_ratio,
            sentence_length=self.scoring.sentence_length,
        )


class ParallelAligner(Aligner):
    """Many-to-many monotone beads (up to 4 sentences a side, 5 in all) and omissions.

    The gain for leaving a sentence out is set from the data, as Vecalign does: the quality
    that only ``skip_percentile`` per cent of random sentence pairs of these two documents
    fall below. A fixed constant would mean something different for every encoder (their
    cosines live on different scales) and for every text; ``skip`` overrides it.
    ``first`` and ``second`` are the two passes' bead scorings (their ``skip`` is ignored);
    ``window_margin`` 0 turns the second pass off.
    """

    mode = "parallel"

    def __init__(
        self,
        encoder: Encoder,
        *,
        skip: float | None = None,
        skip_percentile: float = SKIP_PERCENTILE,
        first: Scoring = FIRST_PASS,
        second: Scoring = SECOND_PASS,
        window_margin: float = WINDOW_MARGIN,
    ) -> None:
        self.encoder = encoder
        self.model = encoder.name
        self.skip = skip
        self.skip_percentile = skip_percentile
        self.first = first
        self.second = second
        self.window_margin = window_margin

    def settings(self) -> tuple[tuple[str, str], ...]:
        skip = f"p{self.skip_percentile:g}" if self.skip is None else f"{self.skip:g}"
        return (
            ("skip", skip),
            ("first", _describe(self.first)),
            ("second", _describe(self.second)),
            ("window_margin", f"{self.window_margin:g}"),
        )

    def _beads(self, src: Document, tgt: Document) -> list[Bead]:
        first = self.first_pass(src, tgt)
        steps = first.steps
        if self.window_margin > 0:
            steps = self.second_pass(src, tgt, first, self.candidates(first), self.second)
        skip = first.scoring.skip
        return [
            Bead(
                tuple(range(s.i0, s.i1)),
                tuple(range(s.j0, s.j1)),
                bead_probability(s.quality, skip, s.i1 - s.i0 + s.j1 - s.j0)
                if s.i1 > s.i0 and s.j1 > s.j0
                else 0.0,
            )
            for s in steps
        ]

    def first_pass(self, src: Document, tgt: Document) -> FirstPass:
        """Encode every sentence once and search the whole pair on summed windows (public,
        with ``second_pass``, so that ``bench/tune.py`` can vary one pass's settings without
        rerunning the other)."""
        src_vecs = self.encoder.encode(src.texts)
        tgt_vecs = self.encoder.encode(tgt.texts)
        src_len = np.array([len(t) for t in src.texts], dtype=np.float64)
        tgt_len = np.array([len(t) for t in tgt.texts], dtype=np.float64)
        means = (
            src_vecs.mean(axis=0).astype(np.float64),
            tgt_vecs.mean(axis=0).astype(np.float64),
        )
        scoring = replace(
            self.first,
            length_ratio=float(tgt_len.sum() / max(src_len.sum(), 1.0)),
            sentence_length=mean_sentence_length(float(tgt_len.sum()), len(src_len), len(tgt_len)),
        )
        src_side = make_side(src_vecs, src_len, means[1])
        tgt_side = make_side(tgt_vecs, tgt_len, means[0])
        if self.skip is None:
            chance = random_pair_qualities(src_side, tgt_side, scoring, SKIP_SAMPLE)
            skip = float(np.percentile(chance, self.skip_percentile)) if chance.size else NO_CHANCE
        else:
            skip = self.skip
        scoring = replace(scoring, skip=skip)
        return FirstPass(src_side, tgt_side, means, scoring, search(src_side, tgt_side, scoring))

    def candidates(self, first: FirstPass, margin: float | None = None) -> Candidates:
        """The beads near the first path worth encoding, at ``margin`` (the aligner's own
        ``window_margin`` unless given)."""
        return candidate_beads(
            first.src,
            first.tgt,
            first.steps,
            first.scoring,
            width=WINDOW_BAND,
            margin=self.window_margin if margin is None else margin,
        )

    def second_pass(
        self,
        src: Document,
        tgt: Document,
        first: FirstPass,
        candidates: Candidates,
        second: Scoring,
    ) -> list[Step]:
        """Encode the candidates' windows and search their band again on them."""
        return rescore(self.second_grid(src, tgt, first, candidates, second), candidates)

    def second_grid(
        self,
        src: Document,
        tgt: Document,
        first: FirstPass,
        candidates: Candidates,
        second: Scoring,
    ) -> WindowGrid:
        """The second pass's bead qualities: the candidates scored on their encoded windows,
        with ``second`` and what the first pass measured on the documents."""
        src_windows = self.encode_windows(src, candidates.src_windows())
        tgt_windows = self.encode_windows(tgt, candidates.tgt_windows())
        scoring = first.measured(second)
        qualities = window_qualities(
            first.src, first.tgt, candidates.beads, src_windows, tgt_windows, first.means, scoring
        )
        return WindowGrid(first.src, first.tgt, scoring, qualities, first.means)

    def encode_windows(self, doc: Document, spans: list[tuple[int, int]]) -> Windows:
        """Encode the joined text of each window, through the encoder (and so its cache)."""
        texts = [join_sentences(doc.texts[i0:i1], doc.lang) for i0, i1 in spans]
        if not texts:
            return Windows({})
        vectors = self.encoder.encode(texts).astype(np.float64)
        return Windows(dict(zip(spans, vectors, strict=True)))


def mean_sentence_length(tgt_chars: float, src_sentences: int, tgt_sentences: int) -> float:
    """The mean sentence length of both documents in target characters (a source sentence
    is worth the documents' length ratio, so its mean is ``tgt_chars / src_sentences``): the
    same figure whichever document is the source."""
    return 0.5 * tgt_chars * (1.0 / max(src_sentences, 1) + 1.0 / max(tgt_sentences, 1))


def _describe(scoring: Scoring) -> str:
    return (
        f"length_weight={scoring.length_weight:g},merge={scoring.merge:g},"
        f"merge_both={scoring.merge_both:g},size_weight={scoring.size_weight:g}"
        + (f",neighbours={scoring.neighbours:g}" if scoring.neighbours else "")
        + (f",length_noise={scoring.length_noise:g}" if scoring.length_noise else "")
    )
