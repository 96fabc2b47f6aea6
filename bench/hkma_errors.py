"""Where the parallel path goes wrong on the HKMA dev years: misses sorted into classes.

For each dev year held out of the fit (weights fitted on the other years), every tested term
the glossary misses is put in one class: no candidate, no rendering kept, the right rendering
not among the candidates, or a wrong first choice of a known kind (singular/plural, an
abbreviation for the full form, a rendering cut short of the right one, one running past
it, a possessive). The terms are printed to the terminal for reading and never written to a
file: the dev dictionaries stay out of git. Word links are cached under ``bench/.cache``
(gitignored) so that a change to the features is measured in seconds, not in eflomal runs.

Run from the repository root, after ``bench/glossary_bench.py`` has aligned the years:
``python bench/hkma_errors.py [--years 2017 2019] [--show 40] [--samples 3] [--runs 3]``
(``--runs``: eflomal runs averaged per figure, as ``parallel.RUNS`` does; ``--floor``: the bias
keeps every training year's coverage at that floor instead of balancing; ``--iterations 0.25
0.15`` compares eflomal settings, each on its own draws; ``--out FILE`` writes the means as JSON).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import pickle
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from glossary_bench import CACHE, DEV_YEARS, balanced, dev_folder, labelled, year_documents
from hkma_dev import Score, Year, by_simplified, normalise, prepare_year, unseen

from align.encoders import DEFAULT_MODEL
from align.scripts import to_simplified
from glossary.extraction import parallel, word_alignment
from glossary.extraction.bitext import sentence_pairs
from glossary.extraction.scoring import Weights, fit_logistic, logistic
from glossary.extraction.word_alignment import align_words


@dataclass(frozen=True)
class Fold:
    """One year's candidates with the feature vectors of the current code."""

    year: Year
    terms: tuple[parallel.AlignedTerm, ...]


def _without(term: parallel.AlignedTerm, keep: list[float]) -> parallel.AlignedTerm:
    """The term with the dropped features zeroed: as if the scorer did not have them."""
    renderings = tuple(
        dataclasses.replace(r, values=tuple(v * k for v, k in zip(r.values, keep, strict=True)))
        for r in term.renderings
    )
    return dataclasses.replace(term, renderings=renderings)


def with_embedding(
    term: parallel.AlignedTerm, similarity: Mapping[tuple[str, str], float]
) -> parallel.AlignedTerm:
    """The term with the cosine of term and rendering appended as a last feature."""
    renderings = tuple(
        dataclasses.replace(r, values=(*r.values, similarity[(term.zh, r.en)]))
        for r in term.renderings
    )
    return dataclasses.replace(term, renderings=renderings)


def embed_folds(folds: Mapping[str, list[Fold]]) -> dict[str, list[Fold]]:
    """Every fold with the embedding similarity of term and rendering (use-m3) as a feature:
    measured here, not used by the product (``--embedding``; see the README's figures)."""
    import time

    import numpy as np

    from align.encoders import load_encoder

    encoder = load_encoder("use-m3", threads=1)
    out = {}
    for name, found in folds.items():
        texts = sorted(
            {t.zh for f in found for t in f.terms}
            | {r.en for f in found for t in f.terms for r in t.renderings}
        )
        started = time.perf_counter()
        vectors = encoder.encode(texts)
        print(f"{name}: {len(texts)} texts encoded in {time.perf_counter() - started:.1f} s")
        index = {t: i for i, t in enumerate(texts)}
        sims = {}
        for f in found:
            for t in f.terms:
                for r in t.renderings:
                    sims[(t.zh, r.en)] = float(np.dot(vectors[index[t.zh]], vectors[index[r.en]]))
        out[name] = [Fold(f.year, tuple(with_embedding(t, sims) for t in f.terms)) for f in found]
    return out


def load_folds(
    year: Year, model: str, samples: int, dropped: frozenset[str], runs: int = 1
) -> list[Fold]:
    """The year's aligned pairs, word-aligned ``samples * runs`` times (eflomal samples at
    random; each sample's links cached by a digest of the tokens), and the candidates of each
    group of ``runs`` samples, their sightings averaged, now."""
    triples, zh_docs, en_docs = year_documents(year, model)
    pairs = sentence_pairs(triples)
    tokens = "\n".join(" ".join(t.form for t in (*p.zh, *p.en)) for p in pairs)
    digest = hashlib.sha256(tokens.encode("utf-8")).hexdigest()[:12]
    texts = parallel.sentence_texts(zh_docs, en_docs)
    keep = [float(name not in dropped) for name in parallel.FEATURES]
    found = []
    for sample in range(samples * runs):
        samplers = word_alignment.SAMPLERS
        named = f"{digest}-{sample}" if samplers == 1 else f"{digest}-n{samplers}-{sample}"
        if word_alignment.PRIOR != 1.0:
            named = f"{named}-p{word_alignment.PRIOR}"
        if word_alignment.ITERATIONS != 1.0:
            named = f"{named}-i{word_alignment.ITERATIONS}"
        cached = year.folder / f"links-{named}.pickle"  # new tokens, new links
        if cached.exists():
            links = pickle.loads(cached.read_bytes())
        else:
            links = align_words(pairs)
            cached.write_bytes(pickle.dumps(links))
        found.append(links)
    out = []
    for group in range(samples):
        terms = parallel.parallel_candidates(pairs, found[group * runs : (group + 1) * runs], texts)
        out.append(Fold(year, tuple(_without(t, keep) for t in terms)))
    return out


def top_choices(fold: Fold, weights: Weights, floor: float = 0.5) -> dict[str, str]:
    """Each term's best rendering at or above ``floor``, as the glossary would store it."""
    out = {}
    for term in fold.terms:
        scored = [(logistic(weights, r.values), r.key, r.en) for r in term.renderings]
        best = min(scored, key=lambda s: (-s[0], s[1]), default=None)
        if best is not None and best[0] >= floor:
            out[term.zh] = best[2]
    return out


def precision_at(fold: Fold, weights: Weights, coverage: float) -> float:
    """Precision@1 over the most confident answers for ``coverage`` of the tested terms:
    a comparison of rankings that no confidence threshold moves."""
    gold = by_simplified(fold.year.gold)
    answers = []
    for term in fold.terms:
        if term.key in gold and term.renderings:
            score, en = max((logistic(weights, r.values), r.en) for r in term.renderings)
            answers.append((score, normalise(en) in gold[term.key]))
    kept = sorted(answers, reverse=True)[: round(coverage * len(gold))]
    return sum(right for _, right in kept) / max(len(kept), 1)


def _singular(words: str) -> str:
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words.split())


def _initials(words: str) -> str:
    return "".join(w[0] for w in words.split() if w not in ("of", "and", "the", "for", "in"))


def error_class(top: str, accepted: frozenset[str]) -> str:
    """The kind of a wrong first choice."""
    mine = normalise(top)
    for right in accepted:
        if _singular(mine) == _singular(right):
            return "singular/plural"
        if mine.endswith(" s") and mine[:-2] == right:
            return "possessive"
        short, full = sorted((mine.replace(" ", ""), right), key=len)
        if short == _initials(full) or short.rstrip("s") == _initials(full):
            return "abbreviation"
    for right in accepted:
        if f" {mine} " in f" {right} ":
            return "cut short"
        if f" {right} " in f" {mine} ":
            return "runs past"
    return "other"


def analyse(fold: Fold, weights: Weights, show: int, gold: Mapping[str, frozenset[str]]) -> None:
    by_zh = {t.zh: t for t in fold.terms} | {t.key: t for t in fold.terms}
    top = top_choices(fold, weights)
    classes: Counter[str] = Counter()
    shown: list[str] = []
    for zh, accepted in sorted(gold.items()):
        term = by_zh.get(zh) or by_zh.get(to_simplified(zh))
        if term is None:
            kind, detail = "no candidate", ""
        elif not any(normalise(r.en) in accepted for r in term.renderings):
            answered = "answered" if term.zh in top else "unanswered"
            kind, detail = f"right rendering not among candidates, {answered}", top.get(term.zh, "")
        elif term.zh not in top:
            kind, detail = "no rendering kept", ""
        elif normalise(top[term.zh]) in accepted:
            continue
        else:
            kind, detail = error_class(top[term.zh], accepted), top[term.zh]
        classes[kind] += 1
        ranked = sorted(
            ((logistic(weights, r.values), r.en) for r in term.renderings) if term else (),
            reverse=True,
        )[:4]
        rivals = ", ".join(f"{en} {p:.2f}" for p, en in ranked)
        shown.append(f"  [{kind}] {zh}: {detail!r} want {sorted(accepted)[:3]} | {rivals}")
    print(f"{fold.year.name}: {sum(classes.values())} misses of {len(gold)}: {dict(classes)}")
    for line in shown[:show]:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=dev_folder())
    parser.add_argument("--years", nargs="+", default=list(DEV_YEARS))
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--show", type=int, default=0, help="misses to print per year")
    parser.add_argument("--samples", type=int, default=1, help="figures per year")
    parser.add_argument(
        "--runs", type=int, default=parallel.RUNS, help="eflomal runs averaged per figure"
    )
    parser.add_argument("--l2", type=float, default=1.0, help="the fit's regularisation")
    parser.add_argument("--prior", type=float, default=word_alignment.PRIOR)
    parser.add_argument("--samplers", type=int, default=word_alignment.SAMPLERS)
    parser.add_argument(
        "--iterations",
        type=float,
        nargs="+",
        default=[word_alignment.ITERATIONS],
        help="eflomal iteration scales to compare, each scored on its own draws",
    )
    parser.add_argument("--embedding", action="store_true")
    parser.add_argument("--floor", type=float, help="training coverage the bias keeps")
    parser.add_argument("--no-balance", dest="balance", action="store_false")
    parser.add_argument("--drop", nargs="*", default=[], help="features to leave out")
    parser.add_argument("--out", type=Path, help="write the means here as JSON")
    args = parser.parse_args()
    word_alignment.SAMPLERS = args.samplers
    word_alignment.PRIOR = args.prior
    years = [prepare_year(args.dev / f"{name}.jsonl", CACHE) for name in DEV_YEARS]
    results = {}
    for iterations in args.iterations:
        word_alignment.ITERATIONS = iterations
        print(f"eflomal at {iterations} of its default iterations")
        folds = {
            y.name: load_folds(y, args.model, args.samples, frozenset(args.drop), args.runs)
            for y in years
            if y.name in args.years
        }
        if args.embedding:
            folds = embed_folds(folds)
        results[str(iterations)] = held_out_means(folds, years, args)
    if args.out is not None:
        settings = {"samples": args.samples, "runs": args.runs, "samplers": args.samplers,
                    "prior": args.prior, "l2": args.l2, "dropped": sorted(args.drop)}  # fmt: skip
        document = {"settings": settings, "by_iterations": results}
        args.out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"written to {args.out}")
    everything = [r for f in folds.values() for r in labelled(f[0].terms, f[0].year.gold)]
    print(f"fitted on all (eflomal at {iterations}):", fit_logistic(everything))


def held_out_means(
    folds: Mapping[str, list[Fold]], years: list[Year], args: argparse.Namespace
) -> dict[str, object]:
    """Every sample of every year scored held out of the fit, printed; returns each year's
    means over the samples (figures only: no dev dictionary term leaves this function)."""
    means: list[tuple[float, ...]] = []
    for sample in range(args.samples):
        rows = {
            name: labelled(found[sample].terms, found[sample].year.gold)
            for name, found in folds.items()
        }
        for name, found in folds.items():
            fold = found[sample]
            train = [r for other, got in rows.items() if other != name for r in got]
            weights = fit_logistic(train, l2=args.l2)
            if args.balance:
                trained = [
                    (f[sample].terms, f[sample].year.gold) for o, f in folds.items() if o != name
                ]
                weights = balanced(weights, trained, floor=args.floor)
            top = top_choices(fold, weights)
            others = [y for y in years if y is not fold.year]
            every = Score.of(fold.year.gold, top)
            new = Score.of(unseen(fold.year.gold, others), top)
            at = precision_at(fold, weights, 0.8)
            means.append((every.precision, every.coverage, new.precision, new.coverage, at))
            print(
                f"{name} sample {sample} held out: all {every.precision:.3f} @ "
                f"{every.coverage:.3f}; unseen {new.precision:.3f} @ {new.coverage:.3f}; "
                f"precision at coverage 0.8 {at:.3f}"
            )
            if args.show:
                analyse(fold, weights, args.show, fold.year.gold)
    out: dict[str, dict[str, float]] = {}
    for i, name in enumerate(folds):
        mine = means[i :: len(folds)]
        a, b, c, d, e = (sum(m[k] for m in mine) / len(mine) for k in range(5))
        print(
            f"{name} mean of {len(mine)}: all {a:.3f} @ {b:.3f}; unseen {c:.3f} @ {d:.3f}; "
            f"precision at coverage 0.8 {e:.3f}"
        )
        out[name] = {"precision": round(a, 4), "coverage": round(b, 4),
                     "unseen_precision": round(c, 4), "unseen_coverage": round(d, 4),
                     "precision_at_coverage_0.8": round(e, 4)}  # fmt: skip
    macro = sum(m["precision_at_coverage_0.8"] for m in out.values()) / max(len(out), 1)
    print(f"macro precision at coverage 0.8 {macro:.4f}")
    return {"years": out, "macro_precision_at_coverage_0.8": round(macro, 4)}


if __name__ == "__main__":
    main()
