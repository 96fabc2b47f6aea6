"""Evidence beyond the embedding, measured one at a time on every dev set and their macro.

- length model: strict F1 with the length penalty at its default and switched off (both
  passes), everything else at the defaults;
- number agreement: how many of the aligner's wrong pair beads carry a quantity (the
  normaliser in ``align/numbers.py``), and for how many a gold bead over the same source
  sentences agrees better on numbers; that count bounds what number evidence could add;
- paragraph boundaries: how many the dev sets mark (one sentence a line, no blank lines).

Writes ``bench/results/evidence.json``.

    .venv/bin/python bench/evidence.py
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from dev_sets import DevSet, as_pairs, load_dev_sets

from align.encoders import load_encoder
from align.evaluation import score_alignment
from align.gold import BeadPair
from align.numbers import Quantity, extract_quantities, number_agreement
from align.parallel import ParallelAligner

RESULTS = Path(__file__).resolve().parent / "results" / "evidence.json"


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


def main() -> None:
    devs = load_dev_sets()
    encoder = load_encoder("use-m3")
    default = ParallelAligner(encoder)
    flat = ParallelAligner(
        encoder,
        first=replace(default.first, length_weight=0.0),
        second=replace(default.second, length_weight=0.0),
    )
    report: dict[str, Any] = {"length_model": {}, "numbers": {}, "paragraphs": {}}
    for dev in devs:
        pred = as_pairs(default.align(dev.src, dev.tgt).beads)
        without = as_pairs(flat.align(dev.src, dev.tgt).beads)
        report["length_model"][dev.name] = {
            "with": score_alignment(dev.gold, pred).f1_strict,
            "without": score_alignment(dev.gold, without).f1_strict,
        }
        report["numbers"][dev.name] = number_errors(dev, pred)
        report["paragraphs"][dev.name] = len({s.paragraph for s in dev.src.sentences}) - 1
        print(dev.name, report["length_model"][dev.name], report["numbers"][dev.name], flush=True)
    per_set = dict(report["length_model"])
    for key in ("with", "without"):
        macro = np.mean([r[key] for r in per_set.values()])
        report["length_model"][f"macro_{key}"] = float(macro)
    print(
        "length model macro:",
        report["length_model"]["macro_with"],
        "without:",
        report["length_model"]["macro_without"],
    )
    print("paragraph boundaries marked:", report["paragraphs"])
    report["signature"] = str(default.align(devs[1].src, devs[1].tgt).signature)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
