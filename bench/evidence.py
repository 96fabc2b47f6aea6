"""Evidence beyond the embedding, measured one at a time on every dev set and their macro.

- length model: strict F1 with the length penalty at its default and switched off (both
  passes), everything else at the defaults;
- number agreement: how many of the aligner's wrong pair beads carry a quantity (the
  normaliser in ``align/numbers.py``), and for how many a gold bead over the same source
  sentences agrees better on numbers; that count bounds what number evidence could add;
- paragraph boundaries: how many the dev sets mark (one sentence a line, no blank lines);
- neighbours: strict F1 with the second pass's chance similarity partly measured on the
  sentences beside each bead (the default share) and on the document mean alone;
- CC-CEDICT lexical overlap (``lexical.py``) at several weights in the second pass, with the
  weight each set gets when chosen on the other two (leave one set out, as ``tune.py``);
- crossings: where the aligner cuts a gold 2-2 bead into two 1-1 beads, do the sentences
  also resemble their partner's neighbour (a translation that moves a clause across the
  boundary)? Off-diagonal minus diagonal cosine of such pairs against that of two
  consecutive gold 1-1 beads, and how many of the cut 2-2s pass the 90th percentile of the
  1-1 pairs: evidence a crossing feature could use;
- bead shapes: per gold and predicted type, counts, hits, precision and recall; how many
  gold beads the aligner cuts into finer beads inside them (right at a finer grain); how
  many gold beads the second pass even considered (its encoded candidates).

Writes ``bench/results/evidence.json``.

    .venv/bin/python bench/evidence.py
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from dev_sets import DevSet, as_pairs, breakdown, finer_splits, load_dev_sets
from lexical import Lexicon, lexical_pass
from tune import choose, f1

from align.encoders import load_encoder
from align.evaluation import score_alignment
from align.gold import BeadPair
from align.numbers import Quantity, extract_quantities, number_agreement
from align.parallel import FirstPass, ParallelAligner

RESULTS = Path(__file__).resolve().parent / "results" / "evidence.json"
LEXICAL_WEIGHTS = (0.0, 0.1, 0.2, 0.4, 0.8)


def number_errors(dev: DevSet, pred: list[BeadPair]) -> dict[str, int]:
    src_q = [extract_quantities(t, "en") for t in dev.src.texts]
    tgt_q = [extract_quantities(t, "zh") for t in dev.tgt.texts]

    def quantities(bead: BeadPair) -> tuple[list[Quantity], list[Quantity]]:
        return [q for i in bead[0] for q in src_q[i]], [q for j in bead[1] for q in tgt_q[j]]

    gold = set(dev.gold)
    gold_of = {i: bead for bead in gold for i in bead[0]}
    wrong = [b for b in set(pred) - gold if b[0] and b[1]]
    numbered = [b for b in wrong if any(quantities(b))]
    better = sum(
        any(
            number_agreement(*quantities(g)) > number_agreement(*quantities(b))
            for g in {gold_of[i] for i in b[0] if i in gold_of}
        )
        for b in numbered
    )
    return {
        "wrong_pair_beads": len(wrong),
        "touching_a_number": len(numbered),
        "gold_agrees_better_on_numbers": better,
        "source_sentences_with_a_number": sum(bool(q) for q in src_q),
        "source_sentences": len(src_q),
    }


def crossings(first: FirstPass, dev: DevSet, pred: list[BeadPair]) -> dict[str, Any]:
    src, tgt = first.src.units, first.tgt.units
    gold = set(dev.gold)
    cut, whole = [], []
    for (si, ti), (sj, tj) in itertools.pairwise(pred):
        if not (len(si) == len(ti) == len(sj) == len(tj) == 1):
            continue
        (i,), (j,) = si, ti
        off = float(src[i] @ tgt[j + 1] + src[i + 1] @ tgt[j])
        diag = float(src[i] @ tgt[j] + src[i + 1] @ tgt[j + 1])
        if ((i, i + 1), (j, j + 1)) in gold:
            cut.append((off - diag) / 2)
        elif ((i,), (j,)) in gold and ((i + 1,), (j + 1,)) in gold:
            whole.append((off - diag) / 2)
    if not cut or not whole:
        return {"cut_2_2": len(cut), "gold_1_1_pairs": len(whole)}
    high = float(np.percentile(whole, 90))
    return {
        "cut_2_2": len(cut),
        "gold_1_1_pairs": len(whole),
        "mean_crossing_cut_2_2": float(np.mean(cut)),
        "mean_crossing_1_1_pairs": float(np.mean(whole)),
        "cut_2_2_above_p90_of_1_1_pairs": int(np.sum(np.array(cut) > high)),
    }


def shapes(
    aligner: ParallelAligner, first: FirstPass, dev: DevSet, pred: list[BeadPair]
) -> dict[str, Any]:
    found = aligner.candidates(first)
    considered = {(tuple(range(a, b)), tuple(range(c, d))) for a, b, c, d in found.beads}
    by_type = breakdown(dev.gold, pred)
    finer = finer_splits(dev.gold, pred)
    for kind, row in by_type.items():
        row["finer_splits_inside"] = finer.get(kind, 0)
        row["gold_among_encoded_candidates"] = sum(
            1 for g in dev.gold if f"{len(g[0])}-{len(g[1])}" == kind and g in considered
        )
    return by_type


def with_and_without(
    devs: list[DevSet], with_: Mapping[str, list[BeadPair]], without: ParallelAligner
) -> dict[str, Any]:
    """Strict F1 of the default alignments (``with_``, by set) and of ``without``'s."""
    out: dict[str, Any] = {
        dev.name: {
            "with": score_alignment(dev.gold, with_[dev.name]).f1_strict,
            "without": score_alignment(dev.gold, without.align(dev.src, dev.tgt).beads).f1_strict,
        }
        for dev in devs
    }
    for key in ("with", "without"):
        out[f"macro_{key}"] = float(np.mean([out[d.name][key] for d in devs]))
    return out


def lexical(devs: list[DevSet], aligner: ParallelAligner) -> dict[str, Any]:
    table: dict[Any, dict[str, float]] = {w: {} for w in LEXICAL_WEIGHTS}
    for dev in devs:
        runs = lexical_pass(aligner, dev, Lexicon.of(dev), LEXICAL_WEIGHTS)
        for weight, steps in runs.items():
            table[weight][dev.name] = f1(steps, dev)
    for weight, row in table.items():
        print(f"  lexical weight {weight}: {row} macro {np.mean(list(row.values())):.4f}")
    return {"table": {str(w): row for w, row in table.items()}, **choose(table)}


def main() -> None:
    devs = load_dev_sets()
    encoder = load_encoder("use-m3")
    default = ParallelAligner(encoder)
    flat = ParallelAligner(
        encoder,
        first=replace(default.first, length_weight=0.0),
        second=replace(default.second, length_weight=0.0),
    )
    mean_only = ParallelAligner(encoder, second=replace(default.second, neighbours=0.0))
    report: dict[str, Any] = {"numbers": {}, "paragraphs": {}, "shapes": {}, "crossings": {}}
    predicted = {}
    for dev in devs:
        alignment = default.align(dev.src, dev.tgt)
        pred = predicted[dev.name] = as_pairs(alignment.beads)
        first = default.first_pass(dev.src, dev.tgt)
        report["numbers"][dev.name] = number_errors(dev, pred)
        report["paragraphs"][dev.name] = len({s.paragraph for s in dev.src.sentences}) - 1
        report["shapes"][dev.name] = shapes(default, first, dev, pred)
        report["crossings"][dev.name] = crossings(first, dev, pred)
        print("  crossings:", report["crossings"][dev.name])
        print(dev.name, report["numbers"][dev.name], flush=True)
        for kind, row in report["shapes"][dev.name].items():
            print(f"  {kind}: {row}")
    report["length_model"] = with_and_without(devs, predicted, flat)
    print("length model:", report["length_model"])
    report["neighbours"] = with_and_without(devs, predicted, mean_only)
    print("neighbours:", report["neighbours"])
    report["lexical"] = lexical(devs, default)
    print("paragraph boundaries marked:", report["paragraphs"])
    report["signature"] = str(alignment.signature)  # the same settings on every set
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
