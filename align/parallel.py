"""Parallel mode: the two texts translate each other, so the alignment is monotone."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .aligner import Aligner
from .calibration import SKIP_PERCENTILE, pair_probability
from .encoders import Encoder
from .search import Scoring, make_side, random_pair_qualities, search
from .types import Bead, Document

#: Random sentence pairs drawn to set the skip gain: enough for a stable 10th percentile,
#: and small next to the embeddings in memory.
SKIP_SAMPLE = 5_000


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
        length_weight: float = 0.2,
        merge: float = 0.2,
        merge_both: float = 0.2,
    ) -> None:
        self.encoder = encoder
        self.model = encoder.name
        self.skip = skip
        self.skip_percentile = skip_percentile
        self.length_weight = length_weight
        self.merge = merge
        self.merge_both = merge_both

    def settings(self) -> tuple[tuple[str, str], ...]:
        skip = f"p{self.skip_percentile:g}" if self.skip is None else f"{self.skip:g}"
        return (
            ("skip", skip),
            ("length_weight", f"{self.length_weight:g}"),
            ("merge", f"{self.merge:g}"),
            ("merge_both", f"{self.merge_both:g}"),
        )

    def _beads(self, src: Document, tgt: Document) -> list[Bead]:
        src_vecs = self.encoder.encode(src.texts)
        tgt_vecs = self.encoder.encode(tgt.texts)
        src_len = np.array([len(t) for t in src.texts], dtype=np.float64)
        tgt_len = np.array([len(t) for t in tgt.texts], dtype=np.float64)
        scoring = Scoring(
            length_weight=self.length_weight,
            merge=self.merge,
            merge_both=self.merge_both,
            length_ratio=float(tgt_len.sum() / max(src_len.sum(), 1.0)),
        )
        src_side = make_side(src_vecs, src_len, tgt_vecs.mean(axis=0))
        tgt_side = make_side(tgt_vecs, tgt_len, src_vecs.mean(axis=0))
        if self.skip is None:
            chance = random_pair_qualities(src_side, tgt_side, scoring, SKIP_SAMPLE)
            skip = float(np.percentile(chance, self.skip_percentile))
        else:
            skip = self.skip
        steps = search(src_side, tgt_side, replace(scoring, skip=skip))
        return [
            Bead(
                tuple(range(s.i0, s.i1)),
                tuple(range(s.j0, s.j1)),
                pair_probability(s.quality) if s.i1 > s.i0 and s.j1 > s.j0 else 0.0,
            )
            for s in steps
        ]
