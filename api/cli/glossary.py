"""``duiqi glossary build|lookup|export|import|review``: the glossary from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: a lookup should not pay for every command's imports
    from glossary.store.engine import Store
    from glossary.store.views import TermView

FORMATS = ("csv", "xlsx", "tsv", "tbx", "tbx3", "tmx")
IMPORT_FORMATS = ("csv", "xlsx", "tbx", "tmx")
STATUSES = ("proposed", "preferred", "admitted", "deprecated", "rejected")


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("glossary", help="build, query and export")
    commands = parser.add_subparsers(dest="glossary_command", required=True, metavar="ACTION")

    build = commands.add_parser("build", help="align a corpus and extract its terms")
    build.add_argument(
        "corpus",
        nargs="?",
        type=Path,
        help="folder with manifest.csv (default: the bundled seed corpus)",
    )
    build.add_argument("--model", default="use-m3")
    build.add_argument("--quiet", action="store_true")
    build.set_defaults(func=run_build)

    lookup = commands.add_parser("lookup", help="equivalents of a Chinese or English term")
    lookup.add_argument("term")
    lookup.add_argument("--json", action="store_true", help="one JSON object on stdout")
    lookup.add_argument("--limit", type=int, default=10)
    lookup.set_defaults(func=run_lookup)

    export = commands.add_parser(
        "export", help="write the glossary as CSV, XLSX, OmegaT TSV, TBX 2008, TBX v3, or "
        "the aligned pairs as TMX",
    )
    export.add_argument(
        "--format", choices=FORMATS, default="csv",
        help="tbx: TBX-Basic 2008 (martif: OmegaT, MultiTerm, memoQ); tbx3: TBX v3 "
        "(ISO 30042:2019); tsv: OmegaT glossary (name the file .txt: OmegaT reads *.tsv not "
        "at all and *.tab in the system encoding)",
    )
    export.add_argument(
        "--status", metavar="LIST",
        help="only equivalents with these statuses, e.g. preferred,admitted",
    )
    export.add_argument(
        "--zh-lang", metavar="TAG",
        help="language tag for Chinese in TBX/TMX (default: zh-Hans or zh-Hant by script)",
    )
    export.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    export.set_defaults(func=run_export)

    importer = commands.add_parser(
        "import", help="import a reviewed glossary (CSV or XLSX export, or any TBX) "
        "or a translation memory (TMX) as concordance examples",
    )
    importer.add_argument("file", type=Path)
    importer.add_argument(
        "--format", choices=IMPORT_FORMATS, help="default: from the file name's suffix"
    )
    importer.add_argument("--reviewer", default="file import")
    importer.set_defaults(func=run_import)

    review = commands.add_parser("review", help="set the status of an equivalent")
    review.add_argument("term")
    review.add_argument("--en", required=True)
    review.add_argument("--status", required=True, choices=STATUSES)
    review.add_argument("--note")
    review.add_argument("--reviewer", default="cli")
    review.set_defaults(func=run_review)

    for command in (build, lookup, export, importer, review):
        command.add_argument(
            "--db",
            type=Path,
            help="SQLite file (default: DUIQI_DATABASE_URL "
            "or ~/.local/share/duiqi/glossary.sqlite3)",
        )


def _store(args: argparse.Namespace) -> Store:
    from glossary.store.engine import open_store

    return open_store(path=args.db) if args.db else open_store()


def run_build(args: argparse.Namespace) -> int:
    from align.encoders import load_encoder
    from glossary.build import build_glossary
    from glossary.corpus import BUNDLED  # resolved here: other commands need not find it

    store = _store(args)
    encoder = load_encoder(args.model, progress=not args.quiet)

    def say(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr)

    report = build_glossary(store, args.corpus or BUNDLED, encoder=encoder, progress=say)
    say(
        f"{report.articles} articles, {report.pairs} new aligned pairs, {report.terms} terms; "
        f"{report.merge.terms_added} terms and {report.merge.equivalents_added} equivalents "
        f"added, {report.merge.reviewed_kept} reviewed decisions kept"
    )
    return 0


def entry_json(term: TermView) -> list[dict[str, Any]]:
    return [
        {
            "zh": term.zh,
            "en": eq.en,
            "status": eq.status,
            "frequency": eq.frequency,
            "confidence": round(eq.confidence, 4),
            "note": eq.note,
            "definition": term.definition,
            "sources": list(eq.sources),
            "examples": [
                {
                    "zh_text": ex.zh_text,
                    "en_text": ex.en_text,
                    "doc_zh": ex.doc_zh,
                    "doc_en": ex.doc_en,
                    "zh_span": [ex.zh_span.start, ex.zh_span.end],
                    "en_span": [ex.en_span.start, ex.en_span.end],
                }
                for ex in eq.examples
            ],
        }
        for eq in term.equivalents
    ]


def run_lookup(args: argparse.Namespace) -> int:
    from glossary.store.lookups import lookup

    terms = lookup(_store(args), args.term, limit=args.limit)
    if args.json:
        entries = [e for t in terms for e in entry_json(t)]
        print(json.dumps({"query": args.term, "entries": entries}, ensure_ascii=False, indent=1))
        return 0 if terms else 1
    if not terms:
        print(f"no entry for {args.term!r}", file=sys.stderr)
        return 1
    print_terms(terms, examples=2)
    return 0


def print_terms(terms: list[TermView], *, examples: int) -> None:
    for term in terms:
        print(f"{term.zh}" + (f"  — {term.definition}" if term.definition else ""))
        for eq in term.equivalents:
            figures = f"frequency {eq.frequency}, confidence {eq.confidence:.2f}"
            if eq.frequency == 0:  # a person's entry the corpus has not attested (yet)
                figures = f"{eq.origin}, not seen in the corpus"
            note = f"  note: {eq.note}" if eq.note else ""
            print(f"  [{eq.status}] {eq.en}  ({figures}){note}")
            for ex in eq.examples[:examples]:
                print(f"      {ex.doc_zh}: {ex.zh_text}\n      {ex.doc_en}: {ex.en_text}")


def run_export(args: argparse.Namespace) -> int:
    from api.cli.output import write_bytes
    from glossary.formats.exports import checked_zh_lang, export, parse_statuses

    statuses = parse_statuses(args.status) if args.status is not None else None
    zh_lang = checked_zh_lang(args.zh_lang)  # both checked before the store is opened
    data = export(_store(args), args.format, statuses=statuses, zh_lang=zh_lang)
    if args.output:
        write_bytes(data, args.output)
    else:
        sys.stdout.buffer.write(data)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from glossary.formats.importing import import_glossary_file

    if (args.format or args.file.suffix.lower().lstrip(".")) == "tmx":
        return _import_memory(args)
    report = import_glossary_file(
        _store(args), args.file, reviewer=args.reviewer, fmt=args.format
    )
    print(
        f"imported {report.rows} rows: {report.terms_added} new terms, "
        f"{report.equivalents_added} new equivalents, {report.equivalents_changed} changed, "
        f"{report.unchanged} unchanged, {len(report.conflicts)} conflicts"
    )
    for conflict in report.conflicts:
        print(f"duiqi glossary import: conflict: {conflict}", file=sys.stderr)
    return 1 if report.conflicts else 0


def _import_memory(args: argparse.Namespace) -> int:
    from glossary.formats.tmx_reader import import_tmx

    report = import_tmx(_store(args), args.file.read_bytes(), source=str(args.file))
    print(
        f"imported {report.units} translation units as corpus {report.corpus_id!r}: "
        f"{report.pairs_added} new pairs, {report.skipped} units without Chinese and English"
    )
    return 0


def run_review(args: argparse.Namespace) -> int:
    from glossary.store.editing import review

    term = review(
        _store(args),
        zh=args.term,
        en=args.en,
        status=args.status,
        note=args.note,
        reviewer=args.reviewer,
    )
    print(f"{term.zh}: {args.en} is now {args.status}")
    return 0
