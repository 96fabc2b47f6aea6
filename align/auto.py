"""Auto mode: decide from the evidence whether two texts are translations of each other.

Translations have many sentences whose best match is mutual, and those matches run in
order; comparable articles have few, scattered ones. The decision and its evidence are
reported in the alignment's notes.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from .aligner import Aligner, check_documents
from .comparable import ComparableAligner, mutual_pairs
from .encoders import Encoder
from .encoders.recent import RecentEncoder
from .parallel import ParallelAligner
from .types import Alignment, Bead, Document

MIN_MUTUAL_SHARE = 0.3
MIN_IN_ORDER_SHARE = 0.8


class AutoAligner(Aligner):
    mode = "parallel"

    def __init__(self, encoder: Encoder) -> None:
        # The chosen aligner gets the vectors encoded for the decision, not a second pass.
        self.encoder = RecentEncoder(encoder)
        self.model = encoder.name
        self.parallel = ParallelAligner(self.encoder)
        self.comparable = ComparableAligner(self.encoder)

    def align(self, src: Document, tgt: Document) -> Alignment:
        check_documents(src, tgt)
        try:
            return self._decide_and_align(src, tgt)
        finally:
            self.encoder.forget()

    def _decide_and_align(self, src: Document, tgt: Document) -> Alignment:
        pairs = mutual_pairs(self.encoder.encode(src.texts), self.encoder.encode(tgt.texts))
        mutual = len(pairs) / min(len(src), len(tgt))
        in_order = longest_increasing([j for _, j in pairs])
        ordered = in_order / len(pairs) if pairs else 0.0
        parallel = mutual >= MIN_MUTUAL_SHARE and ordered >= MIN_IN_ORDER_SHARE
        chosen = self.parallel if parallel else self.comparable
        note = (
            f"auto mode chose {chosen.mode}: {mutual:.0%} of sentences have a mutual best match, "
            f"{ordered:.0%} of those in document order"
        )
        result = chosen.align(src, tgt)
        return replace(result, notes=(*result.notes, note))

    def _beads(self, src: Document, tgt: Document) -> list[Bead]:  # pragma: no cover
        raise NotImplementedError("AutoAligner delegates in align()")


def longest_increasing(values: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    for v in values:
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
        else:
            tails[k] = v
    return len(tails)
