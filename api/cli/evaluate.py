"""``duiqi eval GOLD PRED``: score a predicted alignment against gold beads."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "eval", help="strict/lax precision, recall and F1 of PRED against GOLD"
    )
    parser.add_argument("gold", type=Path, help="gold beads, one '[i, j]:[k]' per line")
    parser.add_argument("pred", type=Path, help="predicted beads in the same format")
    parser.add_argument("--src", type=Path, help="source text, one sentence per line")
    parser.add_argument(
        "--tgt", type=Path, help="target text, one sentence per line (adds chrF, BLEU)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from align.document import load_document
    from align.evaluation import score_alignment, text_metrics  # sacrebleu: 0.1 s
    from align.gold import load_beads

    gold = load_beads(args.gold)
    pred = load_beads(args.pred)
    result: dict[str, float] = score_alignment(gold, pred).as_dict()
    if args.src and args.tgt:
        src = load_document(args.src, split_lines=True)
        tgt = load_document(args.tgt, split_lines=True)
        result |= text_metrics(gold, pred, src.texts, tgt.texts, tgt.lang)
    print(json.dumps(result, ensure_ascii=False))
    return 0
