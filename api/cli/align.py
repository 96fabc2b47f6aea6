"""``duiqi align SRC TGT``: align one article pair and write the beads."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from align.encoders import DEFAULT_MODEL
from align.pipeline import MODES
from align.writers import WRITERS


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "align", help="align two articles (Chinese and English, in either order)"
    )
    parser.add_argument("src", type=Path, help="source article (zh or en; '-': stdin)")
    parser.add_argument("tgt", type=Path, help="target article (the other language)")
    parser.add_argument("--mode", choices=MODES, default="auto")
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        help="'use-m3' (default, offline) or a sentence-transformers name or path",
    )
    parser.add_argument(
        "--split-lines",
        action="store_true",
        help="inputs are one sentence per line; ids are 0-based line numbers",
    )
    parser.add_argument(
        "--simplified", action="store_true", help="convert traditional Chinese to simplified first"
    )
    parser.add_argument("--format", choices=sorted(WRITERS), default="jsonl")
    parser.add_argument(
        "--zh-lang",
        metavar="TAG",
        help="language tag for Chinese in TMX (default: zh-Hans or zh-Hant by the text's "
        "script; e.g. zh-CN to match a CAT project set up so)",
    )
    parser.add_argument("-o", "--output", type=Path, help="output file (default or '-': stdout)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or notes")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from align.encoders import load_encoder
    from align.langtags import check_zh_tag
    from align.pipeline import align_documents
    from align.writers import to_tmx
    from api.cli.inputs import load_inputs
    from api.cli.output import write_text

    if args.zh_lang is not None:
        check_zh_tag(args.zh_lang)  # before the work, not after it
    src, tgt = load_inputs(
        args.src, args.tgt, split_lines=args.split_lines, simplified=args.simplified
    )
    encoder = load_encoder(args.model, progress=not args.quiet)
    alignment = align_documents(src, tgt, mode=args.mode, encoder=encoder)
    if args.format == "tmx":
        text = to_tmx(alignment, zh_lang=args.zh_lang)
    else:
        text = WRITERS[args.format](alignment)
    write_text(text, args.output)
    if not args.quiet:
        for note in alignment.notes:
            print(note, file=sys.stderr)
        print(f"{len(alignment.pairs())} pairs; {alignment.signature}", file=sys.stderr)
    return 0
