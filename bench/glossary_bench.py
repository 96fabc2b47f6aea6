"""Term-extraction quality: the HKMA dev years through ``duiqi batch --glossary``, and the seeds.

HKMA (a parallel corpus, ``shared/data/hkma-dev``; see ``bench/hkma_dev.py`` for the scoring
rules): each dev year is aligned with ``duiqi batch MANIFEST`` and then built into a fresh
store with ``duiqi batch MANIFEST --glossary`` (which skips the aligned pairs, so the second
run times the glossary stage alone); the store's top equivalent per dictionary term is scored.
The plain Dice baseline (best English word n-gram against the term) runs on the same aligned
pairs in the same run, at full coverage and cut to duiqi's coverage. Aligning is timed with
an empty embedding cache, so both stages are timed from nothing. The parallel-path
weights (``glossary.extraction.parallel.WEIGHTS``) are fitted on the dev years, so the store
figures flatter them; the ``folds`` figures score each year with weights fitted on the other
years only (leave one year out; the bias then moved so that the other years balance
precision and coverage at confidence 0.5), on all its terms and on the terms no other dev
dictionary holds. ``--fit`` prints the weights fitted (and balanced) on all dev years.

Seeds (a comparable corpus): ``bench/seed_bench.py``, which also runs alone (it writes
``bench/results/seeds.json``); here its figures go into the seed half of this file's results.

Writes ``bench/results/glossary.json``. Run from the repository root:
``python bench/glossary_bench.py`` (``--no-seeds``/``--no-hkma`` for one half).
Aligned pairs are cached under ``bench/.cache`` (``--fresh`` re-aligns).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from hkma_dev import (
    Score,
    Year,
    by_simplified,
    cut_to,
    dice_baseline,
    prepare_year,
    unseen,
    wrong,
)
from hkma_dev import normalise as hkma_normalise
from seed_bench import add_arguments, print_seeds, seed_section

from align.batch import BatchSettings, read_manifest
from align.batch.outputs import load_alignment, load_completed
from align.encoders import DEFAULT_MODEL
from align.types import Alignment, Document
from glossary.extraction import parallel, word_alignment
from glossary.extraction.scoring import Weights, fit_logistic, margin
from glossary.store.engine import open_store
from glossary.store.lookups import list_terms

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "hkma"
DEV_YEARS = ("2017", "2019", "2021", "2023")


def dev_folder() -> Path:
    """``shared/data/hkma-dev`` beside the checkout (or beside the worktrees' parent)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "data" / "hkma-dev"
        if folder.is_dir():
            return folder
    return ROOT.parent / "shared" / "data" / "hkma-dev"


def duiqi(*arguments: str, cache: Path | None = None) -> float:
    """Run the command line as a user would; returns its wall-clock seconds. ``cache`` is
    the embedding cache folder it gets (default: the user's)."""
    started = time.perf_counter()
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    if cache is not None:
        environment["DUIQI_CACHE_DIR"] = str(cache)
    command = [sys.executable, "-c", "import sys; from api.cli import main; sys.exit(main())"]
    subprocess.run([*command, *arguments], check=True, cwd=ROOT, env=environment)
    return time.perf_counter() - started


def align_year(year: Year, model: str, fresh: bool) -> float:
    """Seconds ``duiqi batch`` took to align the year, measured now or when it was cached."""
    aligned = year.folder / "aligned"
    timing = year.folder / "align_seconds.json"
    specs = read_manifest(year.manifest)
    settings = BatchSettings(model=model, mode="auto", split_lines=False)
    done = all(load_completed(aligned, spec, settings) for spec in specs)
    if done and not fresh and timing.exists():
        return float(json.loads(timing.read_text(encoding="utf-8"))["seconds"])
    if aligned.exists():  # aligned again from nothing, so that the time is the whole stage
        for path in aligned.iterdir():
            path.unlink()
    with tempfile.TemporaryDirectory(prefix="duiqi-bench-cache-") as cold:  # no cached embeddings
        seconds = duiqi(
            "batch", str(year.manifest), "-o", str(aligned), "--model", model, "--quiet",
            cache=Path(cold),
        )  # fmt: skip
    timing.write_text(json.dumps({"seconds": round(seconds, 2)}) + "\n", encoding="utf-8")
    return seconds


def load_alignments(year: Year, model: str) -> list[Alignment]:
    aligned = year.folder / "aligned"
    settings = BatchSettings(model=model, mode="auto", split_lines=False)
    out = []
    for spec in read_manifest(year.manifest):
        result = load_completed(aligned, spec, settings)
        if result is not None:
            out.append(load_alignment(aligned, spec, result, settings))
    return out


def store_top(database: Path) -> dict[str, str]:
    """The top equivalent of every term in the store, as a lookup ranks them."""
    store = open_store(path=database, create=True)
    try:
        return {v.zh: v.equivalents[0].en for v in list_terms(store) if v.equivalents}
    finally:
        store.close()


def build_year(year: Year, model: str, fresh: bool) -> dict[str, object]:
    """Align, build a fresh store through ``batch --glossary``, score it and the baseline."""
    align_seconds = align_year(year, model, fresh)
    database = year.folder / "glossary.sqlite"
    database.unlink(missing_ok=True)
    glossary_seconds = duiqi(
        "batch", str(year.manifest), "-o", str(year.folder / "aligned"), "--model", model,
        "--glossary", "--db", str(database), "--quiet",
    )  # fmt: skip
    top = store_top(database)
    duiqi_score = Score.of(year.gold, top)
    best = dice_baseline(load_alignments(year, model), year.gold)
    dice_full = Score.of(year.gold, {t: g for t, (g, _) in best.items()})
    dice_cut = Score.of(year.gold, cut_to(best, duiqi_score.coverage, len(year.gold)))
    return {
        "align_seconds": round(align_seconds, 2),
        "glossary_seconds": round(glossary_seconds, 2),
        "duiqi": asdict(duiqi_score),
        "dice_full_coverage": asdict(dice_full),
        "dice_at_duiqi_coverage": asdict(dice_cut),
        "wrong": len(wrong(year.gold, top)),  # counts only: no dev dictionary term is copied
        "missing": sum(t not in top for t in year.gold),
    }


@dataclass(frozen=True)
class Prepared:
    """One year's parallel corpus, word-aligned once, for fitting and folds."""

    year: Year
    corpus: parallel.ParallelCorpus


def year_documents(
    year: Year, model: str
) -> tuple[list[tuple[Alignment, int, int]], list[Document], list[Document]]:
    """The year's aligned pairs as ``prepare_parallel`` takes them: (alignment, Chinese
    document index, English document index), and the two lists of documents."""
    zh_docs: list[Document] = []
    en_docs: list[Document] = []
    triples = []
    for alignment in load_alignments(year, model):
        zh, en = sorted((alignment.src, alignment.tgt), key=lambda d: d.lang != "zh")
        triples.append((alignment, len(zh_docs), len(en_docs)))
        zh_docs.append(zh)
        en_docs.append(en)
    return triples, zh_docs, en_docs


def prepare_fold(year: Year, model: str) -> Prepared:
    return Prepared(year, parallel.prepare_parallel(*year_documents(year, model)))


def labelled(
    terms: Sequence[parallel.AlignedTerm], gold: Mapping[str, frozenset[str]]
) -> list[tuple[tuple[float, ...], bool]]:
    """Every rendering of every tested term, right when the dictionary accepts it."""
    simplified = by_simplified(gold)
    return [
        (r.values, hkma_normalise(r.en) in simplified[term.key])
        for term in terms
        if term.key in simplified
        for r in term.renderings
    ]


def balanced(
    weights: Weights,
    years: Sequence[tuple[Sequence[parallel.AlignedTerm], Mapping[str, frozenset[str]]]],
    *,
    floor: float | None = None,
) -> Weights:
    """``weights`` with the bias moved so that, on the ``years`` (their terms and gold) they
    were fitted on, the answers kept at confidence 0.5 balance precision against coverage
    (the mean over the years of the lower of the two is highest; the smallest move wins a
    tie). A class-balanced fit puts 0.5 where a right and a wrong rendering are equally
    likely, not where a glossary is best cut; the move is fitted, like the weights. With
    ``floor``, the move is the one whose mean precision is highest among those that keep
    every year's coverage at ``floor`` or more (the one with most coverage when none does)."""
    tops = []
    for terms, gold in years:
        simplified = by_simplified(gold)
        found = []
        for term in terms:
            if term.key in simplified and term.renderings:
                z, en = max((margin(weights, r.values), r.en) for r in term.renderings)
                found.append((z, hkma_normalise(en) in simplified[term.key]))
        tops.append(found)
    tested = [len(gold) for _, gold in years]

    def points(shift: float) -> list[tuple[float, float]]:
        out = []
        for found, total in zip(tops, tested, strict=True):
            kept = [right for z, right in found if z + shift >= 0]
            out.append((sum(kept) / len(kept) if kept else 0.0, len(kept) / total))
        return out

    def balance(shift: float) -> tuple[float, ...]:
        got = points(shift)
        if floor is None:
            return (round(sum(min(p, c) for p, c in got) / len(got), 6),)
        covered = min(c for _, c in got)
        mean = round(sum(p for p, _ in got) / len(got), 6)
        return (1.0, mean) if covered >= floor else (0.0, covered)

    shifts = [step / 20 for step in range(-40, 41)]
    shift = max(shifts, key=lambda d: (*balance(d), -abs(d)))
    return (round(weights[0] + shift, 3), *weights[1:])


def fold_top(prepared: Prepared, weights: Weights) -> dict[str, str]:
    corpus = prepared.corpus
    names = [str(i) for i in range(len(corpus.texts))]
    entries = parallel.parallel_entries(
        corpus.terms, corpus.pairs, corpus.texts, zh_names=names, en_names=names, weights=weights
    )
    return {e.zh: e.equivalents[0].en for e in entries}


def hkma_section(args: argparse.Namespace) -> dict[str, object]:
    years = [prepare_year(args.dev / f"{name}.jsonl", CACHE) for name in args.years]
    built = {}
    for year in years:  # first: the folds and the fit read the pairs aligned here
        print(f"HKMA {year.name}: {len(year.gold)} tested terms", flush=True)
        if args.fit:
            align_year(year, args.model, args.fresh)
        else:
            built[year.name] = build_year(year, args.model, args.fresh)
    prepared = [prepare_fold(y, args.model) for y in years] if args.fit or args.folds else []
    rows = {p.year.name: labelled(p.corpus.terms, p.year.gold) for p in prepared}
    if args.fit:
        weights = fit_logistic([r for found in rows.values() for r in found])
        weights = balanced(weights, [(p.corpus.terms, p.year.gold) for p in prepared])
        print(f"parallel WEIGHTS = {weights}")
        return {}
    folds = {}
    for p in prepared:
        train = [r for name, found in rows.items() if name != p.year.name for r in found]
        others = [q for q in prepared if q is not p]
        weights = balanced(fit_logistic(train), [(q.corpus.terms, q.year.gold) for q in others])
        top = fold_top(p, weights)
        folds[p.year.name] = {
            "all_terms": asdict(Score.of(p.year.gold, top)),
            "unseen_terms": asdict(Score.of(unseen(p.year.gold, [q.year for q in others]), top)),
        }
    return {
        "signature": f"model:{args.model}|mode:auto|years:{','.join(args.years)}|"
        f"eflomal_runs:{parallel.RUNS}|iterations:{word_alignment.ITERATIONS}|"
        f"weights:{dict(zip(parallel.FEATURES, parallel.WEIGHTS, strict=True))}",
        "years": built,
        "folds": folds,
    }


def print_hkma(section: dict[str, object]) -> None:
    years = section.get("years", {})
    assert isinstance(years, dict)
    for name, found in years.items():
        d, full, cut = found["duiqi"], found["dice_full_coverage"], found["dice_at_duiqi_coverage"]
        print(
            f"HKMA {name}: duiqi P@1 {d['precision']:.3f} @ coverage {d['coverage']:.3f} "
            f"({d['found']}/{d['terms']}); Dice {full['precision']:.3f} @ {full['coverage']:.3f}, "
            f"{cut['precision']:.3f} @ {cut['coverage']:.3f}; "
            f"align {found['align_seconds']:.0f} s, glossary {found['glossary_seconds']:.0f} s"
        )
    folds = section.get("folds", {})
    assert isinstance(folds, dict)
    for name, found in folds.items():
        a, u = found["all_terms"], found["unseen_terms"]
        print(
            f"HKMA {name} held out (weights fitted on the other years): "
            f"all terms {a['precision']:.3f} @ {a['coverage']:.3f} ({a['found']}/{a['terms']}); "
            f"unseen terms {u['precision']:.3f} @ {u['coverage']:.3f} ({u['found']}/{u['terms']})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=dev_folder(), help="the hkma-dev folder")
    parser.add_argument("--years", nargs="+", default=list(DEV_YEARS))
    parser.add_argument("--fresh", action="store_true", help="re-align the cached years")
    parser.add_argument("--no-folds", dest="folds", action="store_false")
    parser.add_argument("--no-hkma", dest="hkma", action="store_false")
    parser.add_argument("--no-seeds", dest="seeds", action="store_false")
    add_arguments(parser)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--fit", action="store_true", help="print the weights fitted on all")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "glossary.json")
    args = parser.parse_args()

    result: dict[str, object] = {}
    if args.hkma:
        result["hkma"] = hkma_section(args)
    if args.seeds:
        result["seeds"] = seed_section(args)
    if args.fit:
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.exists():  # one half run again keeps the other half's figures
        result = json.loads(args.out.read_text(encoding="utf-8")) | result
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.hkma:
        print_hkma(result["hkma"])  # type: ignore[arg-type]
    if args.seeds:
        print_seeds(result["seeds"])  # type: ignore[arg-type]
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
