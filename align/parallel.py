"""Parallel mode: the two texts translate each other, so the alignment is monotone."""

from __future__ import annotations

import numpy as np

from .aligner import Aligner
from .calibration import pair_probability
from .encoders import Encoder
from .search import Scoring, make_side, search
from .types import Bead, Document


class ParallelAligner(Aligner):
    """Many-to-many monotone beads (up to 4 sentences a side, 5 in all) and omissions."""

    mode = "parallel"

    def __init__(
        self,
        encoder: Encoder,
        *,
        skip: float = -0.1,
        length_weight: float = 0.2,
        merge: float = 0.2,
        merge_both: float = 0.2,
    ) -> None:
        self.encoder = encoder
        self.model = encoder.name
        self.skip = skip
        self.length_weight = length_weight
        self.merge = merge
        self.merge_both = merge_both

    def settings(self) -> tuple[tuple[str, str], ...]:
        return (
            ("skip", f"{self.skip:g}"),
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
            skip=self.skip,
            length_weight=self.length_weight,
            merge=self.merge,
            merge_both=self.merge_both,
            length_ratio=float(tgt_len.sum() / max(src_len.sum(), 1.0)),
        )
        steps = search(
            make_side(src_vecs, src_len, tgt_vecs.mean(axis=0)),
            make_side(tgt_vecs, tgt_len, src_vecs.mean(axis=0)),
            scoring,
        )
        return [
            Bead(
                tuple(range(s.i0, s.i1)),
                tuple(range(s.j0, s.j1)),
                pair_probability(s.quality) if s.i1 > s.i0 and s.j1 > s.j0 else 0.0,
            )
            for s in steps
        ]
