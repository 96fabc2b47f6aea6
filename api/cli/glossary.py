"""``duiqi glossary build|lookup|export|import|review``: the glossary from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.errors import InputError
from api.cli.arguments import bounded_int
from api.cli.inputs import input_name, read_input
from api.cli.output import STDIO, write_bytes
from api.cli.stores import open_cli_store

if TYPE_CHECKING:  # imported where used: a lookup should not pay for every command's imports
    from glossary.store.engine import Store
    from glossary.store.views import ImportReport, TermView

FORMATS = ("csv", "xlsx", "tsv", "tbx", "tbx3", "tmx")
IMPORT_FORMATS = ("csv", "xlsx", "tbx", "tmx")
STATUSES = ("proposed", "preferred", "admitted", "deprecated", "rejected")
MAX_LIMIT = 1000  # terms one lookup prints


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
    add_corpus_options(build)
    curated = build.add_mutually_exclusive_group()
    curated.add_argument(
        "--terms",
        type=Path,
        metavar="FILE",
        help="a curated term list to load beside the extracted terms (the import CSV format: "
        "zh,en,status[,definition,note]); default: the seed list, for the bundled corpus only",
    )
    curated.add_argument(
        "--no-terms", action="store_true", help="load no curated list, not even the seed list"
    )
    build.add_argument("--quiet", action="store_true")
    build.set_defaults(func=run_build)

    lookup = commands.add_parser("lookup", help="equivalents of a Chinese or English term")
    lookup.add_argument("term")
    lookup.add_argument("--json", action="store_true", help="one JSON object on stdout")
    lookup.add_argument("--limit", type=bounded_int(1, MAX_LIMIT), default=10)
    lookup.set_defaults(func=run_lookup)

    export = commands.add_parser(
        "export",
        help="write the glossary as CSV, XLSX, OmegaT TSV, TBX 2008, TBX v3, or "
        "the aligned pairs as TMX",
    )
    export.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="tbx: TBX-Basic 2008 (martif: OmegaT, MultiTerm, memoQ); tbx3: TBX v3 "
        "(ISO 30042:2019); tsv: OmegaT glossary (name the file .txt: OmegaT reads *.tsv not "
        "at all and *.tab in the system encoding)",
    )
    export.add_argument(
        "--status",
        metavar="LIST",
        help="only equivalents with these statuses, e.g. preferred,admitted",
    )
    export.add_argument(
        "--zh-lang",
        metavar="TAG",
        help="language tag for Chinese in TBX/TMX (default: zh-Hans or zh-Hant by script)",
    )
    export.add_argument("-o", "--output", type=Path, help="output file (default or '-': stdout)")
    export.set_defaults(func=run_export)

    importer = commands.add_parser(
        "import",
        help="import a reviewed glossary (CSV or XLSX export, or any TBX) "
        "or a translation memory (TMX) as concordance examples",
    )
    importer.add_argument("file", type=Path, help="the file to import ('-': stdin, with --format)")
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


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """The options ``glossary build`` and ``batch --glossary`` share."""
    parser.add_argument(
        "--corpus",
        dest="corpus_id",
        metavar="NAME",
        help="the id the corpus's evidence is kept under; building the same id again "
        "replaces its figures, other ids are never touched (default: the name of the "
        "folder or manifest with a digest of its location, e.g. pairs-3f2a9c1e)",
    )
    parser.add_argument(
        "--simplified",
        action="store_true",
        help="convert traditional Chinese to simplified before aligning and extracting",
    )


def check_terms_file(path: Path | None) -> None:
    """Before any work: a ``--terms`` file that is not there, or has a bad row, is an error
    now, not after a whole batch is aligned."""
    from glossary.formats.importing import read_curated_terms

    if path is None:
        return
    if not path.is_file():
        raise InputError(f"--terms {path}: no such file; give a CSV with columns zh,en,status")
    read_curated_terms(path)


def _store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The glossary named by --db (or the default); only build and import may create it."""
    return open_cli_store(args.db, create=create)


def run_build(args: argparse.Namespace) -> int:
    from align.encoders import load_encoder
    from glossary.build import build_glossary, default_terms
    from glossary.corpus import BUNDLED, check_corpus_id, read_manifest  # others need not

    if args.corpus_id is not None:  # --corpus "" is refused, not taken for the default
        check_corpus_id(args.corpus_id)
    corpus = args.corpus or BUNDLED
    terms = None if args.no_terms else args.terms or default_terms(corpus)
    check_terms_file(terms)
    read_manifest(corpus)  # a mistyped corpus fails here, leaving no new store behind
    store = _store(args, create=True)
    encoder = load_encoder(args.model, progress=not args.quiet)

    def say(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr)

    report = build_glossary(
        store,
        corpus,
        encoder=encoder,
        corpus_id=args.corpus_id,
        terms=terms,
        simplified=args.simplified,
        progress=say,
    )
    if report.curated:
        tell_conflicts(f"duiqi glossary build: {terms}", report.curated)
    curated = f", {report.curated.rows} curated rows from {terms}" if report.curated else ""
    say(
        f"corpus {report.corpus_id!r}: {report.articles} articles, {report.pairs} new aligned "
        f"pairs, {report.terms} terms; {report.merge.terms_added} terms and "
        f"{report.merge.equivalents_added} equivalents added, {report.merge.reviewed_kept} "
        f"reviewed decisions kept{curated}"
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
            "origin": eq.origin,
            "reviewed_by": eq.reviewed_by,
            "reviewed_at": eq.reviewed_at.isoformat() if eq.reviewed_at else None,
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
    from glossary.formats.exports import checked_zh_lang, export, parse_statuses

    statuses = parse_statuses(args.status) if args.status is not None else None
    zh_lang = checked_zh_lang(args.zh_lang)  # both checked before the store is opened
    data = export(_store(args), args.format, statuses=statuses, zh_lang=zh_lang)
    write_bytes(data, args.output)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from glossary.formats.importing import IMPORT_FORMATS as GLOSSARY_FORMATS
    from glossary.formats.importing import import_glossary

    data = read_input(args.file)  # a missing file must not create the store first
    name = input_name(args.file)
    kind = args.format or args.file.suffix.lower().lstrip(".")
    if kind == "tmx":
        return _import_memory(args, data, name)
    if kind not in GLOSSARY_FORMATS:
        raise InputError(
            f"{name}: cannot tell the format from the name; name it .csv, .xlsx or .tbx (.tmx "
            f"for a translation memory), or give --format ({', '.join(IMPORT_FORMATS)})"
        )
    report = import_glossary(
        _store(args, create=True), data, fmt=kind, reviewer=args.reviewer, source=name
    )
    print(
        f"imported {report.rows} rows: {report.terms_added} new terms, "
        f"{report.equivalents_added} new equivalents, {report.equivalents_changed} changed, "
        f"{report.unchanged} unchanged, {len(report.conflicts)} conflicts"
    )
    tell_conflicts("duiqi glossary import", report)
    return 1 if report.conflicts else 0


def tell_conflicts(command: str, report: ImportReport) -> None:
    """Every conflict of an import or a curated list, one line each, never silently kept."""
    for conflict in report.conflicts:
        print(f"{command}: conflict: {conflict}", file=sys.stderr)


def _import_memory(args: argparse.Namespace, data: bytes, name: str) -> int:
    from glossary.formats.tmx_reader import import_tmx

    location = None if str(args.file) == STDIO else args.file
    report = import_tmx(_store(args, create=True), data, source=name, location=location)
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
