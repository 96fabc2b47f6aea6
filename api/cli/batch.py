"""``duiqi batch MANIFEST``: align many article pairs, resumably, locally or on Ray.

The batch engine lives in :mod:`align.batch`; this module parses arguments, shows progress,
and (with ``--glossary``) hands the results to the glossary store, the one place where batch
alignment and the glossary meet.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.encoders import DEFAULT_MODEL
from align.pipeline import MODES
from api.cli.arguments import bounded_int
from api.cli.glossary import add_corpus_options, check_terms_file, tell_conflicts
from glossary.corpus import check_corpus_id, default_corpus_id, document_id

if TYPE_CHECKING:  # imported in the functions: the store and the batch engines are slow
    from align.batch import BatchSettings, Engine, PairSpec
    from align.batch.runner import PairResult


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "batch",
        help="align the article pairs of a manifest (CSV or JSONL with id,src,tgt)",
        description="Align every pair of MANIFEST into OUT_DIR/<id>.tmx and <id>.jsonl, with "
        "OUT_DIR/summary.csv. A rerun skips the pairs already complete. Exit status 1 when "
        "some pair failed (see the error column of summary.csv).",
    )
    parser.add_argument("manifest", type=Path, help="CSV (header id,src,tgt,...) or JSONL")
    parser.add_argument(
        "-o", "--output", type=Path, help="output folder (default: ./<manifest name>-aligned)"
    )
    parser.add_argument(
        "--workers", type=bounded_int(1, 1024), default=1, help="processes or Ray actors"
    )
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument(
        "--address", help="Ray cluster address (ray://HEAD:10001 or auto); --engine ray only"
    )
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--mode", choices=MODES, default="auto")
    parser.add_argument(
        "--split-lines", action="store_true", help="inputs are one sentence per line"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar or totals")
    parser.add_argument(
        "--glossary",
        action="store_true",
        help="record the aligned pairs in the glossary store and extract terms from them",
    )
    parser.add_argument("--db", type=Path, help="glossary SQLite file (with --glossary)")
    add_corpus_options(parser)
    parser.add_argument(
        "--terms",
        type=Path,
        metavar="FILE",
        help="with --glossary: a curated term list to load beside the extracted terms "
        "(the import CSV format: zh,en,status[,definition,note])",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from align.batch import BatchSettings, read_manifest, run_batch
    from align.batch.outputs import SUMMARY

    if args.address and args.engine != "ray":
        print("duiqi batch: --address is for --engine ray; ignored", file=sys.stderr)
    for option in ("corpus_id", "terms"):
        if getattr(args, option) is not None and not args.glossary:
            flag = "--corpus" if option == "corpus_id" else "--terms"
            print(f"duiqi batch: {flag} is for --glossary; ignored", file=sys.stderr)
    if args.glossary and args.corpus_id is not None:  # --corpus "" too
        check_corpus_id(args.corpus_id)
    if args.glossary:
        check_terms_file(args.terms)
    specs = read_manifest(args.manifest)
    out_dir: Path = args.output or Path(f"{args.manifest.stem}-aligned")
    settings = BatchSettings(
        model=args.model,
        mode=args.mode,
        split_lines=args.split_lines,
        simplified=args.simplified,
    )
    engine = _engine(args, settings)
    if args.glossary:  # a bad --db fails now, not after the whole batch is aligned
        from api.cli.stores import open_cli_store

        open_cli_store(args.db, create=True).close()
    counts: Counter[str] = Counter()
    finished: list[tuple[PairSpec, PairResult]] = []
    by_id = {spec.id: spec for spec in specs}
    with tqdm(
        total=len(specs),
        unit="pair",
        file=sys.stderr,
        dynamic_ncols=True,
        disable=args.quiet or not sys.stderr.isatty(),  # a redrawn bar is noise in a log
    ) as bar:
        start, sentences = time.perf_counter(), 0
        for result in run_batch(specs, out_dir, engine=engine):
            counts[result.status] += 1
            if result.status == "aligned":
                sentences += result.sentences
            if args.glossary and result.status != "failed":
                finished.append((by_id[result.id], result))
            rate = sentences / max(time.perf_counter() - start, 1e-9)
            bar.set_postfix_str(f"{rate:,.0f} sent/s, {counts['failed']} failed", refresh=False)
            bar.update(1)
    if args.glossary:
        finished = _once_each(finished, quiet=args.quiet)
        _feed_glossary(args, out_dir, settings, finished, failed=counts["failed"])
    if not args.quiet:
        print(
            f"{counts['aligned']} aligned, {counts['skipped']} already done, "
            f"{counts['failed']} failed; {out_dir / SUMMARY}",
            file=sys.stderr,
        )
    return 1 if counts["failed"] else 0


def _engine(args: argparse.Namespace, settings: BatchSettings) -> Engine:
    from align.batch import LocalEngine

    if args.engine == "ray":
        from align.batch.ray_engine import RayEngine

        return RayEngine(settings, workers=args.workers, address=args.address)
    return LocalEngine(settings, workers=args.workers)


def _once_each(
    finished: list[tuple[PairSpec, PairResult]], *, quiet: bool
) -> list[tuple[PairSpec, PairResult]]:
    """The finished pairs with each pair of files once: a manifest row that repeats another's
    two files (either way round) would count every sentence pair, and so every term, twice."""
    seen: dict[frozenset[Path], str] = {}
    kept = []
    for spec, result in finished:
        files = frozenset(path.resolve() for path in (spec.src, spec.tgt))
        if files in seen:
            if not quiet:
                print(
                    f"duiqi batch: pair {spec.id!r} has the files of pair {seen[files]!r}; "
                    "the glossary counts them once",
                    file=sys.stderr,
                )
            continue
        seen[files] = spec.id
        kept.append((spec, result))
    return kept


def _feed_glossary(
    args: argparse.Namespace,
    out_dir: Path,
    settings: BatchSettings,
    finished: list[tuple[PairSpec, PairResult]],
    *,
    failed: int,
) -> None:
    """Record every aligned pair, then extract and merge terms from the whole batch.

    The documents and the pairs of the whole batch are recorded in one transaction each (one
    per document pair cost about 0.2 s on an HKMA year of 11); term extraction compares
    every Chinese sentence with the whole English side, so it needs all documents at once.
    Nothing is merged when ``failed`` pairs did not align and the corpus is already in the
    store: a merge replaces the corpus's evidence with this run's, and the failed pairs'
    share would be lost. A corpus new to the store merges what aligned.
    """
    from align.batch.outputs import load_alignment
    from align.encoders import load_encoder
    from align.types import Alignment
    from api.aligning import document_records
    from api.cli.stores import open_cli_store
    from glossary.build import merge_terms, pair_records
    from glossary.formats.importing import load_curated_terms
    from glossary.store.evidence import holds_evidence
    from glossary.store.recording import record_documents, record_pairs
    from glossary.store.views import DocumentRecord, PairRecord

    store = open_cli_store(args.db, create=True)
    corpus = args.corpus_id or default_corpus_id(args.manifest)
    if failed and holds_evidence(store, corpus):
        store.close()
        print(
            f"duiqi batch: glossary not updated: {failed} pair(s) failed, and merging the rest "
            f"would drop their evidence from corpus {corpus!r}; fix them (see the summary) "
            "and run again",
            file=sys.stderr,
        )
        return
    doc_ids = _doc_ids([spec for spec, _ in finished], corpus)
    alignments: list[Alignment] = []
    documents: list[DocumentRecord] = []
    pairs: list[PairRecord] = []
    try:
        if args.terms:
            tell_conflicts(f"duiqi batch: {args.terms}", load_curated_terms(store, args.terms))
        for spec, result in finished:
            alignment = load_alignment(out_dir, spec, result, settings)
            zh, en = sorted((alignment.src, alignment.tgt), key=lambda d: d.lang != "zh")
            meta = dict(spec.metadata)
            documents += document_records(
                doc_zh=doc_ids[zh.name],
                doc_en=doc_ids[en.name],
                title=meta.get("title", ""),
                source=meta.get("source", ""),
                date=meta.get("date", ""),
            )
            pairs += pair_records(alignment, doc_zh=doc_ids[zh.name], doc_en=doc_ids[en.name])
            alignments.append(alignment)
        record_documents(store, documents)
        record_pairs(store, pairs, corpus_id=corpus)
        terms, report = merge_terms(
            store,
            alignments,
            encoder=lambda: load_encoder(settings.model, cache=settings.cache),
            doc_ids=doc_ids,
            corpus_id=corpus,
        )
    finally:
        store.close()
    if not args.quiet:
        figures = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in asdict(report).items())
        print(f"glossary: {terms} terms from corpus {corpus!r}: {figures}", file=sys.stderr)


def _doc_ids(specs: list[PairSpec], corpus: str) -> dict[str, str]:
    """A store id per input file: its stem (with a hash where two stems clash) scoped by
    the corpus id, so another batch's file of the same name is another document."""
    paths = sorted({str(p) for spec in specs for p in (spec.src, spec.tgt)})
    stems = Counter(Path(p).stem for p in paths)
    ids = {}
    for path in paths:
        stem = Path(path).stem[:48]
        if stems[Path(path).stem] > 1:
            stem += "-" + hashlib.blake2b(path.encode(), digest_size=4).hexdigest()
        ids[path] = document_id(stem, corpus)
    return ids
