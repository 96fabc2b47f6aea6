"""``duiqi demo``: the main job on the bundled corpus, for the README's first command.

Aligns the seed articles, builds the glossary from them into a store of the user's choice
(a temporary one by default), and shows the pairs found and the headline terms.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from glossary.corpus import BUNDLED

HEADLINE_TERMS = ("稳岗", "一生一困", "渝创渝新")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "demo", help="align the bundled seed articles, build the glossary, show the result"
    )
    parser.add_argument("--corpus", type=Path, default=BUNDLED)
    parser.add_argument("--db", type=Path, help="keep the glossary in this SQLite file")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from align.encoders import load_encoder
    from api.cli.glossary import print_terms
    from api.cli.stores import check_sqlite_file
    from glossary.build import build_glossary, default_terms
    from glossary.store.concordance import list_pairs
    from glossary.store.engine import open_store
    from glossary.store.lookups import lookup

    if args.db is not None:
        check_sqlite_file(args.db)
    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(path=args.db or Path(scratch) / "demo.sqlite3", create=True)
        report = build_glossary(
            store,
            args.corpus,
            encoder=load_encoder(progress=True),
            terms=default_terms(args.corpus),
            progress=lambda message: print(f"... {message}"),
        )
        print(f"\n{report.articles} articles, {report.terms} terms extracted")
        print("\n== Aligned sentence pairs (comparable articles: only shared facts)")
        for pair in sorted(list_pairs(store), key=lambda p: -p.pair.score):
            print(
                f"  {pair.pair.score:.2f}  [{pair.pair.doc_zh}] {pair.pair.zh_text}\n"
                f"        [{pair.pair.doc_en}] {pair.pair.en_text}"
            )
        print("\n== Glossary entries")
        for term in HEADLINE_TERMS:
            print_terms(lookup(store, term, limit=1), examples=1)
        store.close()
    return 0
