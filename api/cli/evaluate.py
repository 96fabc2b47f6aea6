"""``duiqi eval GOLD PRED``: score a predicted alignment against gold beads."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from align.errors import InputError


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "eval", help="strict/lax precision, recall and F1 of PRED against GOLD"
    )
    parser.add_argument("gold", type=Path, help="gold beads, one '[i, j]:[k]' per line")
    parser.add_argument("pred", type=Path, help="predicted beads in the same format ('-': stdin)")
    parser.add_argument("--src", type=Path, help="source text, one sentence per line")
    parser.add_argument(
        "--tgt", type=Path, help="target text, one sentence per line (adds chrF, BLEU)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from align.evaluation import score_alignment, text_metrics  # sacrebleu: 0.1 s
    from align.gold import decode_beads
    from api.cli.inputs import check_one_stdin, input_name, load_inputs, read_input

    if (args.src is None) != (args.tgt is None):
        raise InputError("--src and --tgt go together (the texts for chrF and BLEU): give both")
    check_one_stdin(args.gold, args.pred, args.src, args.tgt)
    gold = decode_beads(read_input(args.gold), name=input_name(args.gold))
    pred = decode_beads(read_input(args.pred), name=input_name(args.pred))
    result: dict[str, float] = score_alignment(gold, pred).as_dict()
    if args.src and args.tgt:
        src, tgt = load_inputs(args.src, args.tgt, split_lines=True)
        result |= text_metrics(gold, pred, src.texts, tgt.texts, tgt.lang)
    print(json.dumps(result, ensure_ascii=False))
    return 0
