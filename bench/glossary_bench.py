"""Term-extraction quality on the seed corpus: top-1 precision and coverage.

The reference list (``corpora/glossary/reference_seeds.csv``) pairs policy terms of the
Chinese seed 004 with the renderings the English seeds 000-003 really use; a term may have
several accepted renderings (one row each). A term is *covered* when the extractor returns
an entry for it with at least one equivalent; its top-1 is *correct* when the best
equivalent equals an accepted rendering (case, spacing and curly quotes aside).

The confidence weights are fitted on the spans of the seed reference list, so the figures
on that list flatter them. Two honest checks sit beside them: ``kfold`` refits the weights
k times on all reference terms but one fold and scores each term only with weights that
never saw it; ``heldout`` and ``heldout2`` score ``reference_heldout.csv`` and
``reference_heldout2.csv``, lists that nothing is ever fitted on (the second was written
before the extractor was tuned against the first). ``--fit`` prints the weights fitted on
the whole seed list (what ``glossary.extraction.equivalents.WEIGHTS`` holds).

Prints a table and writes ``bench/results/glossary.json``. Run from the repository root:
``python bench/glossary_bench.py``.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from align.document import load_document
from align.encoders import load_encoder
from align.types import Document
from glossary.extraction.comparable import span_evidence
from glossary.extraction.equivalents import FEATURES as FEATURE_NAMES
from glossary.extraction.equivalents import WEIGHTS, fit_weights, span_key
from glossary.extraction.extract import extract_terms
from glossary.extraction.scoring import Weights
from glossary.types import TermEntry

ROOT = Path(__file__).resolve().parent.parent
HEADLINE = ("稳岗", "一生一困", "渝创渝新")
FOLDS = 5


def load_user_terms(path: Path) -> list[str]:
    """The Chinese column of the curated seed glossary, if there is one: terms that count."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["zh"].strip() for row in csv.DictReader(handle) if row.get("zh")]


def load_reference(path: Path) -> dict[str, set[str]]:
    accepted: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            accepted[row["zh"].strip()].add(span_key(row["en"]))
    return dict(accepted)


@dataclass(frozen=True)
class Row:
    """What the extractor proposed first for one reference term."""

    zh: str
    accepted: tuple[str, ...]
    top1: str | None
    confidence: float | None
    correct: bool
    in_top3: bool


@dataclass(frozen=True)
class Point:
    """Top-1 precision and coverage at one confidence threshold, with the row per term."""

    min_confidence: float
    terms: int
    covered: int
    coverage: float
    top1_precision: float
    top3_recall: float
    rows: tuple[Row, ...]


def score(
    entries: tuple[TermEntry, ...], reference: dict[str, set[str]], min_confidence: float
) -> Point:
    by_zh = {e.zh: e for e in entries}
    rows: list[Row] = []
    for zh, accepted in sorted(reference.items()):
        entry = by_zh.get(zh)
        kept = [q for q in entry.equivalents if q.confidence >= min_confidence] if entry else []
        top = kept[0] if kept else None
        rows.append(
            Row(
                zh=zh,
                accepted=tuple(sorted(accepted)),
                top1=top.en if top else None,
                confidence=top.confidence if top else None,
                correct=bool(top and span_key(top.en) in accepted),
                in_top3=any(span_key(q.en) in accepted for q in kept[:3]),
            )
        )
    return _point(rows, min_confidence)


def fitted(
    zh_docs: list[Document],
    en_docs: list[Document],
    reference: dict[str, set[str]],
    **options: object,
) -> Weights:
    """Weights fitted on the spans of ``reference``'s terms (right: an accepted rendering)."""
    spans = span_evidence(zh_docs, en_docs, terms=reference, **options)  # type: ignore[arg-type]
    rows = [
        (evidence, key in reference[zh]) for zh, found in spans.items() for key, evidence in found
    ]
    return fit_weights(rows)


def kfold(
    zh_docs: list[Document],
    en_docs: list[Document],
    reference: dict[str, set[str]],
    **options: object,
) -> Point:
    """Every term scored with weights fitted on the other folds' terms only."""
    terms = sorted(reference)
    rows: list[Row] = []
    for fold in range(FOLDS):
        test = {t: reference[t] for i, t in enumerate(terms) if i % FOLDS == fold}
        train = {t: a for t, a in reference.items() if t not in test}
        weights = fitted(zh_docs, en_docs, train, **options)
        entries = extract_terms(zh_docs, en_docs, weights=weights, **options)  # type: ignore[arg-type]
        rows += score(entries, test, 0.5).rows
    return _point(sorted(rows, key=lambda r: r.zh), 0.5)


def _point(rows: list[Row], min_confidence: float) -> Point:
    covered = [r for r in rows if r.top1 is not None]
    correct = [r for r in covered if r.correct]
    return Point(
        min_confidence=min_confidence,
        terms=len(rows),
        covered=len(covered),
        coverage=round(len(covered) / len(rows), 4) if rows else 0.0,
        top1_precision=round(len(correct) / len(covered), 4) if covered else 0.0,
        top3_recall=round(sum(r.in_top3 for r in rows) / len(rows), 4) if rows else 0.0,
        rows=tuple(rows),
    )


def _summary(point: Point) -> dict[str, object]:
    return {k: v for k, v in asdict(point).items() if k != "rows"} | {
        "wrong": {r.zh: r.top1 for r in point.rows if not r.correct}
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "seeds")
    parser.add_argument(
        "--reference", type=Path, default=ROOT / "corpora" / "glossary" / "reference_seeds.csv"
    )
    parser.add_argument(
        "--heldout", type=Path, default=ROOT / "corpora" / "glossary" / "reference_heldout.csv"
    )
    parser.add_argument(
        "--heldout2", type=Path, default=ROOT / "corpora" / "glossary" / "reference_heldout2.csv"
    )
    parser.add_argument(
        "--user-terms", type=Path, default=ROOT / "corpora" / "glossary" / "seed_terms.csv"
    )
    parser.add_argument("--model", default="use-m3")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--fit", action="store_true", help="print weights fitted on --reference")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "glossary.json")
    args = parser.parse_args()

    docs = [load_document(path) for path in sorted(args.corpus.glob("*.txt"))]
    zh_docs = [d for d in docs if d.lang == "zh"]
    en_docs = [d for d in docs if d.lang == "en"]
    doc_ids = {d.name: Path(d.name).name.split("_")[0] for d in docs}
    encoder = load_encoder(args.model)
    user_terms = load_user_terms(args.user_terms)
    reference = load_reference(args.reference)
    options: dict[str, object] = {"encoder": encoder, "user_terms": user_terms, "k": args.k}
    if args.fit:
        print(f"WEIGHTS = {fitted(zh_docs, en_docs, reference, **options)}")
        return
    started = time.perf_counter()
    entries = extract_terms(
        zh_docs, en_docs, encoder=encoder, user_terms=user_terms, doc_ids=doc_ids, k=args.k
    )
    seconds = time.perf_counter() - started

    curve = [score(entries, reference, threshold) for threshold in (0.5, 0.6, 0.7, 0.8, 0.9)]
    heldout = score(entries, load_reference(args.heldout), 0.5)
    heldout2 = score(entries, load_reference(args.heldout2), 0.5)
    folds = kfold(zh_docs, en_docs, reference, **options)
    headline = {
        zh: [
            {"en": q.en, "confidence": q.confidence, "frequency": q.frequency, "note": q.note}
            for q in next((e.equivalents for e in entries if e.zh == zh), ())
        ]
        for zh in HEADLINE
    }
    result = {
        "signature": (
            f"model:{args.model}|k:{args.k}|reference:{args.reference.name}"
            f"|heldout:{args.heldout.name}|heldout2:{args.heldout2.name}|folds:{FOLDS}|user_terms:{len(set(user_terms))}"
        ),
        "weights": dict(zip(FEATURE_NAMES, WEIGHTS, strict=True)),
        "entries": len(entries),
        "seconds": round(seconds, 2),
        "default": asdict(curve[0]),
        "curve": [{k: v for k, v in asdict(p).items() if k != "rows"} for p in curve],
        "kfold": _summary(folds),
        "heldout": asdict(heldout),
        "heldout2": asdict(heldout2),
        "headline": headline,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"{result['signature']}  entries={len(entries)}  extraction {seconds:.1f} s")
    for name, rows in (
        ("reference", curve[0].rows),
        ("held out", heldout.rows),
        ("held out 2", heldout2.rows),
    ):
        print(f"{name}:")
        for row in rows:
            mark = "ok " if row.correct else ("-- " if row.top1 is None else "XX ")
            print(f"  {mark}{row.zh}\t→ {row.top1}\t(accepted: {' | '.join(row.accepted)})")
    for p in curve:
        print(
            f"min confidence {p.min_confidence:.1f}: top-1 precision {p.top1_precision:.3f} "
            f"at coverage {p.coverage:.3f} ({p.covered}/{p.terms}); "
            f"top-3 recall {p.top3_recall:.3f}"
        )
    for name, p in (
        (f"{FOLDS}-fold over reference terms", folds),
        ("held-out list", heldout),
        ("held-out list 2", heldout2),
    ):
        print(
            f"{name}: top-1 precision {p.top1_precision:.3f} at coverage {p.coverage:.3f} "
            f"({p.covered}/{p.terms}); top-3 recall {p.top3_recall:.3f}"
        )
    for zh in HEADLINE:
        equivalents = next((e.equivalents for e in entries if e.zh == zh), ())
        shown = "; ".join(f"{q.en} ({q.confidence:.2f})" for q in equivalents) or "none"
        print(f"{zh}: {shown}")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
