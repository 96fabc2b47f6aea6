"""Term-extraction quality on the seed corpus: top-1 precision and coverage.

The reference list (``corpora/glossary/reference_seeds.csv``) pairs policy terms of the
Chinese seed 004 with the renderings the English seeds 000-003 really use; a term may have
several accepted renderings (one row each). A term is *covered* when the extractor returns
an entry for it with at least one equivalent; its top-1 is *correct* when the best
equivalent equals an accepted rendering (case, spacing and curly quotes aside).

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
from glossary.equivalents import span_key
from glossary.extract import extract_terms
from glossary.types import TermEntry

ROOT = Path(__file__).resolve().parent.parent
HEADLINE = ("稳岗", "一生一困", "渝创渝新")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "seeds")
    parser.add_argument(
        "--reference", type=Path, default=ROOT / "corpora" / "glossary" / "reference_seeds.csv"
    )
    parser.add_argument(
        "--user-terms", type=Path, default=ROOT / "corpora" / "glossary" / "seed_terms.csv"
    )
    parser.add_argument("--model", default="use-m3")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "glossary.json")
    args = parser.parse_args()

    docs = [load_document(path) for path in sorted(args.corpus.glob("*.txt"))]
    zh_docs = [d for d in docs if d.lang == "zh"]
    en_docs = [d for d in docs if d.lang == "en"]
    doc_ids = {d.name: Path(d.name).name.split("_")[0] for d in docs}
    encoder = load_encoder(args.model)
    started = time.perf_counter()
    user_terms = load_user_terms(args.user_terms)
    entries = extract_terms(
        zh_docs, en_docs, encoder=encoder, user_terms=user_terms, doc_ids=doc_ids, k=args.k
    )
    seconds = time.perf_counter() - started

    reference = load_reference(args.reference)
    curve = [score(entries, reference, threshold) for threshold in (0.5, 0.6, 0.7, 0.8, 0.9)]
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
            f"|user_terms:{len(set(user_terms))}"
        ),
        "entries": len(entries),
        "seconds": round(seconds, 2),
        "default": asdict(curve[0]),
        "curve": [{k: v for k, v in asdict(p).items() if k != "rows"} for p in curve],
        "headline": headline,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"{result['signature']}  entries={len(entries)}  extraction {seconds:.1f} s")
    for row in curve[0].rows:
        mark = "ok " if row.correct else ("-- " if row.top1 is None else "XX ")
        print(f"  {mark}{row.zh}\t→ {row.top1}\t(accepted: {' | '.join(row.accepted)})")
    for p in curve:
        print(
            f"min confidence {p.min_confidence:.1f}: top-1 precision {p.top1_precision:.3f} "
            f"at coverage {p.coverage:.3f} ({p.covered}/{p.terms}); "
            f"top-3 recall {p.top3_recall:.3f}"
        )
    for zh in HEADLINE:
        equivalents = next((e.equivalents for e in entries if e.zh == zh), ())
        shown = "; ".join(f"{q.en} ({q.confidence:.2f})" for q in equivalents) or "none"
        print(f"{zh}: {shown}")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
