"""Term-extraction quality on the seed corpus (comparable articles), extracted only.

The reference list (``corpora/glossary/reference_seeds.csv``) is scored k-fold over its
terms: each fold's terms with weights fitted on the other folds' terms only. The two held-out
lists (``reference_heldout.csv``, ``reference_heldout2.csv``) are never fitted on: they are
scored with the shipped weights (``glossary.extraction.equivalents.WEIGHTS``, fitted on the
whole reference list), and they are the honest figures. No curated seed file is loaded.
Each list's ceiling says how many of its terms have an accepted rendering among the spans
weighed at all: a miss there is for candidates and spans to mend, not for the weights.

Writes ``bench/results/seeds.json``. Run from the repository root:
``python bench/seed_bench.py`` (``--fit`` prints the weights fitted on the whole list;
``--misses`` prints, for every wrong or missing term, the spans it weighed; ``--refit``
scores with weights fitted on the whole list in the same run, as ``--fit`` would ship them).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from align.document import load_document
from align.encoders import DEFAULT_MODEL, Encoder, load_encoder
from align.types import Document
from glossary.extraction.comparable import span_evidence
from glossary.extraction.equivalents import FEATURES as FEATURE_NAMES
from glossary.extraction.equivalents import WEIGHTS, confidence, fit_weights, span_key
from glossary.extraction.extract import extract_terms
from glossary.extraction.scoring import Weights
from glossary.types import TermEntry

ROOT = Path(__file__).resolve().parent.parent
LISTS = ROOT / "corpora" / "glossary"
HEADLINE = ("稳岗", "一生一困", "渝创渝新")
FOLDS = 5
GOAL = 0.85  # the goal: top-1 precision at least this at coverage at least this


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


@dataclass(frozen=True)
class Corpus:
    """The seed articles, split by language, with the ids their examples carry."""

    zh_docs: list[Document]
    en_docs: list[Document]
    doc_ids: dict[str, str]


def seed_corpus(folder: Path) -> Corpus:
    docs = [load_document(path) for path in sorted(folder.glob("*.txt"))]
    return Corpus(
        zh_docs=[d for d in docs if d.lang == "zh"],
        en_docs=[d for d in docs if d.lang == "en"],
        doc_ids={d.name: Path(d.name).name.split("_")[0] for d in docs},
    )


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


def fitted(corpus: Corpus, reference: dict[str, set[str]], encoder: Encoder, k: int) -> Weights:
    """Weights fitted on the spans of ``reference``'s terms (right: an accepted rendering)."""
    spans = span_evidence(corpus.zh_docs, corpus.en_docs, terms=reference, encoder=encoder, k=k)
    rows = [
        (evidence, key in reference[zh]) for zh, found in spans.items() for key, evidence in found
    ]
    return fit_weights(rows)


def ceiling(
    corpus: Corpus, reference: dict[str, set[str]], encoder: Encoder, k: int
) -> dict[str, float]:
    """How far ranking alone could take the list: the terms whose accepted rendering is among
    the spans the extractor weighs at all (no weights or threshold answers the others right),
    and the best precision that leaves when 0.85 of the terms are answered."""
    spans = span_evidence(corpus.zh_docs, corpus.en_docs, terms=reference, encoder=encoder, k=k)
    reachable = sum(any(key in reference[zh] for key, _ in found) for zh, found in spans.items())
    answered = math.ceil(GOAL * len(reference))
    return {
        "terms": len(reference),
        "reachable": reachable,
        f"best_precision_at_coverage_{GOAL}": round(min(1.0, reachable / answered), 4),
    }


def kfold(corpus: Corpus, reference: dict[str, set[str]], encoder: Encoder, k: int) -> Point:
    """Every term scored with weights fitted on the other folds' terms only."""
    terms = sorted(reference)
    rows: list[Row] = []
    for fold in range(FOLDS):
        test = {t: reference[t] for i, t in enumerate(terms) if i % FOLDS == fold}
        train = {t: a for t, a in reference.items() if t not in test}
        weights = fitted(corpus, train, encoder, k)
        entries = extract_terms(
            corpus.zh_docs, corpus.en_docs, encoder=encoder, k=k, weights=weights
        )
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


def seed_section(args: argparse.Namespace) -> dict[str, object]:
    """The seed corpus, extracted only: no curated seed file is loaded or counted."""
    corpus = seed_corpus(args.corpus)
    encoder = load_encoder(args.model)
    reference = load_reference(args.reference)
    if args.fit:
        print(f"comparable WEIGHTS = {fitted(corpus, reference, encoder, args.k)}")
        return {}
    weights = fitted(corpus, reference, encoder, args.k) if args.refit else WEIGHTS
    started = time.perf_counter()
    entries = extract_terms(
        corpus.zh_docs,
        corpus.en_docs,
        encoder=encoder,
        doc_ids=corpus.doc_ids,
        k=args.k,
        weights=weights,
    )
    seconds = time.perf_counter() - started
    curve = [score(entries, reference, threshold) for threshold in (0.5, 0.6, 0.7, 0.8, 0.9)]
    heldout = score(entries, load_reference(args.heldout), 0.5)
    heldout2 = score(entries, load_reference(args.heldout2), 0.5)
    folds = kfold(corpus, reference, encoder, args.k)
    lists = {"reference": reference, "heldout": load_reference(args.heldout)}
    lists["heldout2"] = load_reference(args.heldout2)
    ceilings = {name: ceiling(corpus, terms, encoder, args.k) for name, terms in lists.items()}
    if args.misses:
        for name, point in (("kfold", folds), ("heldout", heldout), ("heldout2", heldout2)):
            print_misses(name, point, corpus, encoder, args.k, weights)
    headline = {
        zh: [
            {"en": q.en, "confidence": q.confidence, "frequency": q.frequency, "note": q.note}
            for q in next((e.equivalents for e in entries if e.zh == zh), ())
        ]
        for zh in HEADLINE
    }
    return {
        "signature": (
            f"model:{args.model}|k:{args.k}|reference:{args.reference.name}"
            f"|heldout:{args.heldout.name}|heldout2:{args.heldout2.name}|folds:{FOLDS}"
            "|seed_file:none"
        ),
        "weights": dict(zip(FEATURE_NAMES, weights, strict=True)),
        "entries": len(entries),
        "seconds": round(seconds, 2),
        "default": asdict(curve[0]),
        "curve": [{k: v for k, v in asdict(p).items() if k != "rows"} for p in curve],
        "kfold": _summary(folds),
        "heldout": asdict(heldout),
        "heldout2": asdict(heldout2),
        "ceiling": ceilings,
        "headline": headline,
    }


def print_misses(
    name: str, point: Point, corpus: Corpus, encoder: Encoder, k: int, weights: Weights
) -> None:
    """For each wrong or missing term: the accepted rendering's rank among the spans weighed
    and the evidence of the top spans. Reading aid, not a figure."""
    wrong = {r.zh: r for r in point.rows if not r.correct}
    spans = span_evidence(corpus.zh_docs, corpus.en_docs, terms=wrong, encoder=encoder, k=k)
    for zh, row in wrong.items():
        found = sorted(
            ((key, e, confidence(e, weights)) for key, e in spans.get(zh, ())), key=lambda s: -s[2]
        )
        ranks = [i for i, (key, _, _) in enumerate(found) if key in row.accepted]
        where = f"rank {ranks[0] + 1}/{len(found)}" if ranks else f"not among {len(found)}"
        print(f"{name} {zh} -> {row.top1!r}; accepted {list(row.accepted)}: {where}")
        shown = found[:4] + ([found[ranks[0]]] if ranks and ranks[0] >= 4 else [])
        for key, e, c in shown:
            mark = "*" if key in row.accepted else " "
            print(
                f"   {mark} {c:.3f} {key!r}: emb {e.embedding:.2f} dict {e.dictionary:.2f} "
                f"sup {e.support:.2f} docs {e.documents} "
                f"cap {int(e.capitalised)} words {e.words}"
            )


def print_seeds(section: dict[str, object]) -> None:
    print(f"seeds {section['signature']}: {section['entries']} entries in {section['seconds']} s")
    for name in ("default", "kfold", "heldout", "heldout2"):
        p = section[name]
        assert isinstance(p, dict)
        print(
            f"seeds {name}: top-1 precision {p['top1_precision']:.3f} at coverage "
            f"{p['coverage']:.3f} ({p['covered']}/{p['terms']})"
        )
    ceilings = section["ceiling"]
    assert isinstance(ceilings, dict)
    for name, c in ceilings.items():
        print(
            f"seeds {name} ceiling: {c['reachable']} of {c['terms']} terms have an accepted "
            f"rendering among the spans weighed; at coverage {GOAL} precision is at most "
            f"{c[f'best_precision_at_coverage_{GOAL}']:.3f}"
        )
    headline = section["headline"]
    assert isinstance(headline, dict)
    for zh, found in headline.items():
        shown = "; ".join(f"{q['en']} ({q['confidence']:.2f})" for q in found) or "none"
        print(f"seeds {zh}: {shown}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The seed bench's options (``bench/glossary_bench.py`` takes them too)."""
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "seeds")
    parser.add_argument("--reference", type=Path, default=LISTS / "reference_seeds.csv")
    parser.add_argument("--heldout", type=Path, default=LISTS / "reference_heldout.csv")
    parser.add_argument("--heldout2", type=Path, default=LISTS / "reference_heldout2.csv")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--misses", action="store_true", help="print the wrong terms' spans")
    parser.add_argument(
        "--refit", action="store_true", help="score with weights fitted now, not the shipped ones"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--fit", action="store_true", help="print the weights fitted on all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "seeds.json")
    args = parser.parse_args()
    section = seed_section(args)
    if args.fit:
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(section, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_seeds(section)
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
