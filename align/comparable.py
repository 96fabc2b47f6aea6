"""Comparable mode: the texts report the same events but do not translate each other.

A pair is kept only when each sentence is the other's best match by *margin* (cosine
similarity relative to the average similarity of each side's nearest neighbours, after
Artetxe & Schwenk 2019), so a sentence that resembles everything does not pair with
anything; agreeing numbers (75.1万 = 751,000) raise the score, conflicting ones lower it.
A specific figure stated once on each side also pairs its two sentences when they are not
mutual best matches (see :func:`number_anchors`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from .aligner import Aligner
from .encoders import Encoder, Vectors
from .neighbours import nearest
from .numbers import Quantity, extract_quantities, number_agreement
from .types import Bead, Document

# Logistic score of a candidate pair, set by hand on the seed articles (see the bench):
# USE cosines of true zh-en pairs there lie around 0.45-0.65, chance pairs around 0.12.
COSINE_SLOPE = 15.0
COSINE_CENTRE = 0.45
NUMBER_WEIGHT = 3.0


class ComparableAligner(Aligner):
    """Mutual best matches by margin, scored and thresholded."""

    mode = "comparable"

    def __init__(self, encoder: Encoder, *, k: int = 4, threshold: float = 0.5) -> None:
        self.encoder = encoder
        self.model = encoder.name
        self.k = k
        self.threshold = threshold

    def settings(self) -> tuple[tuple[str, str], ...]:
        return (("k", str(self.k)), ("threshold", f"{self.threshold:g}"))

    def _beads(self, src: Document, tgt: Document) -> list[Bead]:
        src_vecs = self.encoder.encode(src.texts)
        tgt_vecs = self.encoder.encode(tgt.texts)
        fwd = nearest(src_vecs, tgt_vecs, self.k)
        bwd = nearest(tgt_vecs, src_vecs, self.k)
        src_density = fwd.similarity.mean(axis=1)
        tgt_density = bwd.similarity.mean(axis=1)

        def margin(i: int, j: int) -> float:
            cos = float(src_vecs[i] @ tgt_vecs[j])
            return cos / max(0.5 * float(src_density[i] + tgt_density[j]), 1e-6)

        best_tgt = [
            int(max(fwd.index[i], key=lambda j: margin(i, int(j)))) for i in range(len(src))
        ]
        best_src = [
            int(max(bwd.index[j], key=lambda i: margin(int(i), j))) for j in range(len(tgt))
        ]
        src_numbers = [extract_quantities(t, src.lang) for t in src.texts]
        tgt_numbers = [extract_quantities(t, tgt.lang) for t in tgt.texts]
        mutual = [(i, j) for i, j in enumerate(best_tgt) if best_src[j] == i]
        candidates = sorted(set(mutual) | set(number_anchors(src_numbers, tgt_numbers)))
        beads = []
        for i, j in candidates:
            if not src.texts[i].strip():
                continue
            evidence = number_evidence(src_numbers[i], tgt_numbers[j])
            score = pair_score(float(src_vecs[i] @ tgt_vecs[j]), evidence)
            if score >= self.threshold:
                beads.append(Bead((i,), (j,), score))
        return beads


def number_anchors(
    src_numbers: Sequence[tuple[Quantity, ...]], tgt_numbers: Sequence[tuple[Quantity, ...]]
) -> list[tuple[int, int]]:
    """Sentence pairs sharing a specific figure that neither text states anywhere else.

    A long English sentence that packs several facts ("…96.5%…; 8.162 million migrant
    workers…") is rarely any Chinese sentence's best match by meaning, yet a figure of three
    or more significant digits found once on each side (816.2万 = 8.162 million) is strong
    evidence that the two sentences report the same fact.
    """
    src_at, tgt_at = _specific_figures(src_numbers), _specific_figures(tgt_numbers)
    return sorted(
        (next(iter(src_at[key])), next(iter(tgt_at[key])))
        for key in src_at.keys() & tgt_at.keys()
        if len(src_at[key]) == 1 and len(tgt_at[key]) == 1
    )


def _specific_figures(numbers: Sequence[tuple[Quantity, ...]]) -> dict[str, set[int]]:
    """Sentences stating each distinctive figure of three or more significant digits."""
    where: dict[str, set[int]] = defaultdict(set)
    for index, quantities in enumerate(numbers):
        for quantity in _distinctive(quantities):
            key = f"{quantity.value:.6g}"
            if len(key.split("e")[0].replace(".", "").strip("0")) >= 3:
                where[key].add(index)
    return where


def number_evidence(a: tuple[Quantity, ...], b: tuple[Quantity, ...]) -> float:
    """In [-1, 1]: the share of the smaller side's distinctive numbers found on the other side,
    or -1 when both sides state distinctive numbers and none agree.

    Years and small counts ("3 projects") agree by chance too often to count as evidence.
    """
    a, b = _distinctive(a), _distinctive(b)
    if not a or not b:
        return 0.0
    matched = sum(1 for qa in a if any(number_agreement((qa,), (qb,)) > 0 for qb in b))
    return matched / min(len(a), len(b)) if matched else -1.0


def _distinctive(quantities: tuple[Quantity, ...]) -> tuple[Quantity, ...]:
    return tuple(q for q in quantities if q.unit or not (q.value <= 10 or 1900 <= q.value <= 2100))


def pair_score(cosine: float, numbers: float) -> float:
    logit = COSINE_SLOPE * (cosine - COSINE_CENTRE) + NUMBER_WEIGHT * numbers
    return 1.0 / (1.0 + math.exp(-logit))


def mutual_pairs(src_vecs: Vectors, tgt_vecs: Vectors) -> list[tuple[int, int]]:
    """Mutual nearest neighbours by raw cosine: cheap evidence for choosing a mode."""
    fwd = nearest(src_vecs, tgt_vecs, 1)
    bwd = nearest(tgt_vecs, src_vecs, 1)
    return [(i, int(j)) for i, j in enumerate(fwd.index[:, 0]) if int(bwd.index[j, 0]) == i]
