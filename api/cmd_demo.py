"""``duiqi demo``: the main job on the bundled corpus, for the README's first command."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

from align.document import load_document
from align.encoders import load_encoder
from align.pipeline import align_documents

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "demo", help="align the bundled seed articles and show what was found"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with (args.corpus / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    zh = [r for r in rows if r["lang"] == "zh"]
    en = [r for r in rows if r["lang"] == "en"]
    encoder = load_encoder()
    for z in zh:
        zh_doc = load_document(args.corpus / z["file"])
        for e in en:
            en_doc = load_document(args.corpus / e["file"])
            alignment = align_documents(zh_doc, en_doc, mode="auto", encoder=encoder)
            print(f"\n== {z['id']} ({z['lang']}) x {e['id']} ({e['lang']}): {e['title']}")
            for note in alignment.notes:
                print(f"   {note}")
            for bead in sorted(alignment.pairs(), key=lambda b: -b.score):
                zh_text, en_text = alignment.bead_text(bead)
                print(f"  {bead.score:.2f}  {zh_text}\n        {en_text}")
    return 0
