"""Scoring an alignment against gold, the way the field reports it.

Two views: bead precision/recall/F1 (intrinsic, comparable with published Bertalign and
Vecalign figures) and chrF/BLEU of the target text a translation-memory user would get
(extrinsic: a wrong split that still carries the right words costs little there).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import sacrebleu

from align.errors import InputError
from align.gold import BeadPair, format_bead
from align.types import Bead, Lang, join_sentences

AnyBead = Bead | BeadPair


@dataclass(frozen=True)
class AlignmentScores:
    """Strict and lax precision, recall and F1, each in [0, 1]."""

    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def score_alignment(gold: Iterable[AnyBead], pred: Iterable[AnyBead]) -> AlignmentScores:
    """Bead precision, recall and F1, exactly as Vecalign's ``score.py`` and Bertalign's
    ``eval.py`` compute them, so that our figures sit beside the published ones.

    - Precision is over *all* predicted beads, omissions (``[3]:[]``) included: a predicted
      omission is a strict hit only when gold has the identical omission, and is never a
      lax hit unless it is a strict one (it has no target to overlap).
    - Recall is over gold beads with both sides only, matched against predicted beads
      with both sides only. Omissions are thus excluded from recall but not from
      precision, which is the asymmetry in the reference code and the one the Bible
      README states; we keep it rather than "fix" it, or the numbers would not compare.
    - Strict hit: the identical index lists on both sides. Lax hit: the bead links at
      least one of its source sentences to one of its target sentences the way some bead
      of the other side does (Vecalign's per-source-sentence overlap test).
    - F1 is the harmonic mean of the two rates; any 0/0 is 0.0, as in the reference code.
    - Beads are compared as sets, so a repeated bead counts once; ``[]:[]`` is ignored.
    """
    gold_beads = _as_set(gold)
    pred_beads = _as_set(pred)
    precision = _hit_rates(pred_beads, gold_beads)
    recall = _hit_rates(_pairs(gold_beads), _pairs(pred_beads))
    return AlignmentScores(
        precision_strict=precision[0],
        recall_strict=recall[0],
        f1_strict=_f1(precision[0], recall[0]),
        precision_lax=precision[1],
        recall_lax=recall[1],
        f1_lax=_f1(precision[1], recall[1]),
    )


def text_metrics(
    gold_beads: Iterable[AnyBead],
    pred_beads: Iterable[AnyBead],
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    tgt_lang: Lang,
) -> dict[str, float]:
    """Corpus chrF and BLEU (sacrebleu, 0-100) of the target text the prediction gives
    for each gold source group, against the gold target text.

    For every gold bead with both sides, the hypothesis is the union of the target
    sentences of all predicted beads that share a source sentence with it, in document
    order, joined as ``tgt_lang`` joins sentences; a source the prediction left out gets an
    empty hypothesis. This is what a translation-memory user would retrieve for that
    source text. BLEU uses sacrebleu's ``zh`` tokenizer for Chinese targets (its default
    ``13a`` would treat a whole Chinese sentence as one word) and ``13a`` otherwise.
    With no gold bead that has both sides there is nothing to compare and both are 0.0.
    """
    gold = _pairs(_as_set(gold_beads))
    pred = _as_set(pred_beads)
    _check_ids(gold, len(src_texts), len(tgt_texts), "gold")
    _check_ids(pred, len(src_texts), len(tgt_texts), "predicted")
    if not gold:
        return {"chrf": 0.0, "bleu": 0.0}
    tgt_of_src = _targets_by_source(pred)
    hypotheses: list[str] = []
    references: list[str] = []
    for src, tgt in sorted(gold):
        found = sorted({j for i in src for j in tgt_of_src.get(i, ())})
        hypotheses.append(join_sentences([tgt_texts[j] for j in found], tgt_lang))
        references.append(join_sentences([tgt_texts[j] for j in tgt], tgt_lang))
    tokenize = "zh" if tgt_lang == "zh" else "13a"
    chrf = sacrebleu.corpus_chrf(hypotheses, [references])
    bleu = sacrebleu.corpus_bleu(hypotheses, [references], tokenize=tokenize)
    return {"chrf": float(chrf.score), "bleu": float(bleu.score)}


def _as_set(beads: Iterable[AnyBead]) -> set[BeadPair]:
    pairs = {
        (tuple(b.src), tuple(b.tgt)) if isinstance(b, Bead) else (tuple(b[0]), tuple(b[1]))
        for b in beads
    }
    pairs.discard(((), ()))
    return pairs


def _pairs(beads: set[BeadPair]) -> set[BeadPair]:
    return {(src, tgt) for src, tgt in beads if src and tgt}


def _hit_rates(tested: set[BeadPair], reference: set[BeadPair]) -> tuple[float, float]:
    """Share of ``tested`` beads that are strict and lax hits against ``reference``."""
    if not tested:
        return 0.0, 0.0
    linked = _targets_by_source(reference)
    strict = lax = 0
    for src, tgt in tested:
        if (src, tgt) in reference:
            strict += 1
            lax += 1
        elif any(not linked.get(i, set()).isdisjoint(tgt) for i in src):
            lax += 1
    return strict / len(tested), lax / len(tested)


def _targets_by_source(beads: set[BeadPair]) -> dict[int, set[int]]:
    linked: defaultdict[int, set[int]] = defaultdict(set)
    for src, tgt in beads:
        for i in src:
            linked[i].update(tgt)
    return dict(linked)


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 0.0 if total == 0 else 2 * precision * recall / total


def _check_ids(beads: set[BeadPair], n_src: int, n_tgt: int, which: str) -> None:
    for src, tgt in sorted(beads):
        if any(i >= n_src or i < 0 for i in src) or any(j >= n_tgt or j < 0 for j in tgt):
            raise InputError(
                f"{which} bead {format_bead(src, tgt)} refers to a sentence beyond the texts "
                f"({n_src} source, {n_tgt} target sentences); are the gold file and the "
                f"texts from the same pair, in the same direction?"
            )
