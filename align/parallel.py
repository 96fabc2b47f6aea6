"""Parallel mode: the two texts translate each other, so the alignment is monotone."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .aligner import Aligner
from .calibration import (
    DEFAULTS,
    FIRST_PASS,
    SKIP_PERCENTILE,
    WINDOW_MARGIN,
    pair_probability,
)
from .encoders import Encoder
from .search import Scoring, make_side, random_pair_qualities, search
from .types import Bead, Document, join_sentences
from .windows import Windows, candidate_beads, rescore, window_qualities

#: Random sentence pairs drawn to set the skip gain: enough for a stable 10th percentile,
#: and small next to the embeddings in memory.
SKIP_SAMPLE = 5_000
#: Half-width of the second pass's band around the first path, in sentences.
WINDOW_BAND = 3


class ParallelAligner(Aligner):
    """Many-to-many monotone beads (up to 4 sentences a side, 5 in all) and omissions.

    The gain for leaving a sentence out is set from the data, as Vecalign does: the quality
    that only ``skip_percentile`` per cent of random sentence pairs of these two documents
    fall below. A fixed constant would mean something different for every encoder (their
    cosines live on different scales) and for every text; ``skip`` overrides it.
    """

    mode = "parallel"

    def __init__(
        self,
        encoder: Encoder,
        *,
        skip: float | None = None,
        skip_percentile: float = SKIP_PERCENTILE,
        length_weight: float = DEFAULTS.length_weight,
        merge: float = DEFAULTS.merge,
        merge_both: float = DEFAULTS.merge_both,
        size_weight: float = DEFAULTS.size_weight,
        window_margin: float = WINDOW_MARGIN,
    ) -> None:
        self.encoder = encoder
        self.model = encoder.name
        self.skip = skip
        self.skip_percentile = skip_percentile
        self.length_weight = length_weight
        self.merge = merge
        self.merge_both = merge_both
        self.size_weight = size_weight
        self.window_margin = window_margin

    def settings(self) -> tuple[tuple[str, str], ...]:
        skip = f"p{self.skip_percentile:g}" if self.skip is None else f"{self.skip:g}"
        return (
            ("skip", skip),
            ("length_weight", f"{self.length_weight:g}"),
            ("merge", f"{self.merge:g}"),
            ("merge_both", f"{self.merge_both:g}"),
            ("size_weight", f"{self.size_weight:g}"),
            ("window_margin", f"{self.window_margin:g}"),
        )

    def _beads(self, src: Document, tgt: Document) -> list[Bead]:
        src_vecs = self.encoder.encode(src.texts)
        tgt_vecs = self.encoder.encode(tgt.texts)
        src_len = np.array([len(t) for t in src.texts], dtype=np.float64)
        tgt_len = np.array([len(t) for t in tgt.texts], dtype=np.float64)
        means = (src_vecs.mean(axis=0).astype(np.float64), tgt_vecs.mean(axis=0).astype(np.float64))
        scoring = Scoring(
            length_weight=self.length_weight,
            merge=FIRST_PASS.merge,
            merge_both=FIRST_PASS.merge_both,
            size_weight=FIRST_PASS.size_weight,
            length_ratio=float(tgt_len.sum() / max(src_len.sum(), 1.0)),
        )
        src_side = make_side(src_vecs, src_len, means[1])
        tgt_side = make_side(tgt_vecs, tgt_len, means[0])
        if self.skip is None:
            chance = random_pair_qualities(src_side, tgt_side, scoring, SKIP_SAMPLE)
            skip = float(np.percentile(chance, self.skip_percentile))
        else:
            skip = self.skip
        scoring = replace(scoring, skip=skip)
        steps = search(src_side, tgt_side, scoring)
        if self.window_margin > 0:
            candidates = candidate_beads(
                src_side, tgt_side, steps, scoring, width=WINDOW_BAND, margin=self.window_margin
            )
            src_windows = self._encode_windows(src, candidates.src_windows())
            tgt_windows = self._encode_windows(tgt, candidates.tgt_windows())
            second = replace(
                scoring, merge=self.merge, merge_both=self.merge_both, size_weight=self.size_weight
            )
            qualities = window_qualities(
                src_side, tgt_side, candidates.beads, src_windows, tgt_windows, means, second
            )
            steps = rescore(src_side, tgt_side, candidates, qualities, second)
        return [
            Bead(
                tuple(range(s.i0, s.i1)),
                tuple(range(s.j0, s.j1)),
                pair_probability(s.quality) if s.i1 > s.i0 and s.j1 > s.j0 else 0.0,
            )
            for s in steps
        ]

    def _encode_windows(self, doc: Document, spans: list[tuple[int, int]]) -> Windows:
        """Encode the joined text of each window, through the encoder (and so its cache)."""
        texts = [join_sentences(doc.texts[i0:i1], doc.lang) for i0, i1 in spans]
        if not texts:
            return Windows({})
        vectors = self.encoder.encode(texts).astype(np.float64)
        return Windows(dict(zip(spans, vectors, strict=True)))
