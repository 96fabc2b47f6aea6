"""The HKMA dev years as the glossary bench uses them: files, gold, scoring, the Dice baseline.

Scoring follows ``shared/data/hkma-dev/README.md``: every dictionary term that occurs at
least twice in the year's Chinese text (single characters and bare numbers skipped) is
tested; the glossary's top equivalent for it is right when it equals one of the dictionary's
English renderings, case-insensitive, leading article and punctuation ignored. Precision@1 is
over the terms found, coverage is terms found / terms tested. The texts and dictionaries are
read from the shared folder and written only under ``bench/.cache`` (gitignored).
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from align.scripts import to_simplified
from align.types import Alignment

_BRACKETS = "《》「」〈〉"
_NUMBERISH = regex.compile(r"^[\d.,%\s]+$")
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")
_ARTICLE = regex.compile(r"^(?:the|a|an) ")
_EN_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’]\p{L}+)*")
_FUNCTION = frozenset(
    "a an the of to in on at for by with and or as is are was were be been its their "  # noqa: SIM905
    "this that these those which who from into than also such per has have had it".split()
)
_MAX_NGRAM = 5


def normalise(text: str) -> str:
    """Case folded, punctuation as spaces, a leading article dropped."""
    folded = _NOT_WORD.sub(" ", text.lower().replace("’", "'")).strip()
    return _ARTICLE.sub("", folded)


@dataclass(frozen=True)
class Year:
    """One dev year: its chapters on disk as a batch manifest, and its tested terms."""

    name: str
    folder: Path
    manifest: Path
    gold: Mapping[str, frozenset[str]]  # Chinese term → accepted English, normalised


def prepare_year(source: Path, cache: Path) -> Year:
    """Write ``source`` (YEAR.jsonl) as chapter files and ``pairs.csv`` under ``cache``."""
    name = source.stem
    folder = cache / name
    folder.mkdir(parents=True, exist_ok=True)
    chapters = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    rows = []
    for number, chapter in enumerate(chapters):
        pair_id = f"{name}-{number:02d}"
        for lang in ("zh", "en"):
            path = folder / f"{pair_id}.{lang}.txt"
            if not path.exists() or path.read_text(encoding="utf-8") != chapter[lang]:
                path.write_text(chapter[lang], encoding="utf-8")
        rows.append((pair_id, f"{pair_id}.zh.txt", f"{pair_id}.en.txt"))
    manifest = folder / "pairs.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("id", "src", "tgt"))
        writer.writerows(rows)
    text = "\n".join(chapter["zh"] for chapter in chapters)
    return Year(name, folder, manifest, tested_terms(chapters[0]["terms_en_zh"], text))


def tested_terms(dictionary: Mapping[str, Sequence[str]], text: str) -> dict[str, frozenset[str]]:
    """The dictionary's Chinese terms seen twice in ``text``, brackets stripped as the
    glossary stores them, each with its accepted English."""
    accepted: dict[str, set[str]] = defaultdict(set)
    for english, renderings in dictionary.items():
        for zh in renderings:
            term = zh.strip().strip(_BRACKETS)
            if len(term) < 2 or _NUMBERISH.match(term) or text.count(term) < 2:
                continue
            accepted[term].add(normalise(english))
    return {term: frozenset(found) for term, found in accepted.items()}


@dataclass(frozen=True)
class Score:
    """Precision@1 and coverage over a set of tested terms."""

    terms: int
    found: int
    correct: int
    coverage: float
    precision: float

    @classmethod
    def of(cls, gold: Mapping[str, frozenset[str]], top: Mapping[str, str]) -> Score:
        found = [t for t in gold if t in top]
        correct = sum(normalise(top[t]) in gold[t] for t in found)
        return cls(
            terms=len(gold),
            found=len(found),
            correct=correct,
            coverage=round(len(found) / len(gold), 4) if gold else 0.0,
            precision=round(correct / len(found), 4) if found else 0.0,
        )


def by_simplified(gold: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """The gold keyed by the simplified form, as candidate terms are keyed."""
    return {to_simplified(term): found for term, found in gold.items()}


def unseen(gold: Mapping[str, frozenset[str]], others: Iterable[Year]) -> dict[str, frozenset[str]]:
    """The terms of ``gold`` that no other year's dictionary holds."""
    known = {term for year in others for term in year.gold}
    return {term: found for term, found in gold.items() if term not in known}


def wrong(gold: Mapping[str, frozenset[str]], top: Mapping[str, str]) -> dict[str, str]:
    return {t: top[t] for t in sorted(gold) if t in top and normalise(top[t]) not in gold[t]}


def dice_baseline(
    alignments: Sequence[Alignment], terms: Iterable[str]
) -> dict[str, tuple[str, float]]:
    """For each term, the English word n-gram (1-5 words, no function word at an edge) with
    the highest Dice coefficient against it over the aligned pairs, and that coefficient."""
    pairs: list[tuple[str, set[str]]] = []
    for alignment in alignments:
        zh_first = alignment.src.lang == "zh"
        for bead in alignment.pairs():
            src, tgt = alignment.bead_text(bead)
            zh, en = (src, tgt) if zh_first else (tgt, src)
            pairs.append((zh, _ngrams(en)))
    en_count: Counter[str] = Counter(g for _, grams in pairs for g in grams)
    best: dict[str, tuple[str, float]] = {}
    for term in terms:
        with_term = [grams for zh, grams in pairs if term in zh]
        if not with_term:
            continue
        joint: Counter[str] = Counter(g for grams in with_term for g in grams)
        scored = ((2 * n / (len(with_term) + en_count[g]), g) for g, n in joint.items())
        score, gram = max(scored, key=lambda item: (item[0], -len(item[1]), item[1]))
        best[term] = (gram, score)
    return best


def _ngrams(text: str) -> set[str]:
    words = [w.lower() for w in _EN_WORD.findall(text)]
    out = set()
    for i in range(len(words)):
        for n in range(1, _MAX_NGRAM + 1):
            gram = words[i : i + n]
            if len(gram) == n and gram[0] not in _FUNCTION and gram[-1] not in _FUNCTION:
                out.add(" ".join(gram))
    return out


def cut_to(best: Mapping[str, tuple[str, float]], coverage: float, tested: int) -> dict[str, str]:
    """The baseline's most confident answers, as many as ``coverage`` of ``tested`` terms."""
    keep = math.floor(coverage * tested + 0.5)
    ranked = sorted(best.items(), key=lambda item: (-item[1][1], item[0]))[:keep]
    return {term: gram for term, (gram, _) in ranked}
