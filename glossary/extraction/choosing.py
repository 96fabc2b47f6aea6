"""Choosing among the scored English spans of a comparable corpus.

Per term: one span per rendering, nested spans resolved by what the dictionary says of the
words at their boundary. Across terms: competitive linking, where a rendering goes to the term
that explains it best.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from glossary.extraction.english_index import EnglishSide, Instance
from glossary.extraction.equivalents import Evidence

_NEARLY = 0.05  # a longer span this close in confidence to a nested one may replace it


def choose(
    scored: Sequence[tuple[str, Evidence, float, list[Instance]]],
    english: EnglishSide,
    vocabulary: frozenset[str],
    min_confidence: float,
    max_equivalents: int,
) -> list[tuple[str, Evidence, float, list[Instance]]]:
    """The best spans, one per rendering, best first.

    Inflections of a chosen span ("college graduate" / "graduates") add their examples to
    it, under the surface form seen in more sentences. A span nested in a chosen one is
    dropped unless it is nearly as confident and the dictionary says its boundary is the
    better one: a longer span replaces the chosen one when every word it adds glosses the
    term and its dictionary match is no lower ("stabilize jobs and retain" → "stabilize
    jobs and retain jobs", but not "unemployment insurance" → "insurance and unemployment
    insurance", whose second "insurance" explains nothing new), a shorter one
    when no word it drops does ("eradication of wage arrears" → "wage arrears" for 工资拖欠).
    The embedding barely tells a phrase from the phrase cut short or padded; the
    dictionary does.
    """
    chosen: list[tuple[str, Evidence, float, list[Instance]]] = []
    for key, evidence, score, found in scored:
        if score < min_confidence:
            break
        same = next(
            (i for i, c in enumerate(chosen) if english.stems[c[0]] == english.stems[key]), None
        )
        nested = next((i for i, c in enumerate(chosen) if _nests(key, c[0])), None)
        if same is not None:
            best_key, best_evidence, best_score, best_found = chosen[same]
            if english.sentence_count[key] > english.sentence_count[best_key]:
                best_key = key
            chosen[same] = (best_key, best_evidence, best_score, best_found + found)
        elif nested is not None:
            kept, kept_evidence, kept_score, _ = chosen[nested]
            longer, shorter = (key, kept) if len(key) > len(kept) else (kept, key)
            added = _added_stems(english.stems[longer], english.stems[shorter])
            glossed = [stem in vocabulary for stem in added]
            if key == longer:  # and the words it adds explain the term no worse as a whole
                better = all(glossed) and evidence.dictionary >= kept_evidence.dictionary
            else:
                better = not any(glossed)
            if kept_score - score <= _NEARLY and added and better:
                chosen[nested] = (key, evidence, kept_score, found)
        elif len(chosen) < max_equivalents:
            chosen.append((key, evidence, score, found))
    return chosen


@dataclass(frozen=True)
class Top:
    """The rendering a term would take first, with what competitive linking compares."""

    key: str
    dictionary: float
    confidence: float


def outlinked(tops: Sequence[Top | None], stems: Mapping[str, tuple[str, ...]]) -> list[str | None]:
    """For each term, the top rendering it must give up to a term that explains it better.

    Competitive linking across the glossary: when several terms would take the same English
    span first, a term loses it to one that is both more confident and better covered by
    its dictionary glosses (专项行动 explains "special action" better than 专项活动, whose
    活动 is "activity"). Terms the dictionary explains equally well both keep it: 欠薪 and
    工资拖欠 are both "wage arrears".
    """
    rivals: dict[tuple[str, ...], list[Top]] = defaultdict(list)
    for top in tops:
        if top is not None:
            rivals[stems[top.key]].append(top)
    return [
        top.key
        if top is not None
        and any(
            other.dictionary > top.dictionary and other.confidence > top.confidence
            for other in rivals[stems[top.key]]
        )
        else None
        for top in tops
    ]


def _added_stems(longer: Sequence[str], shorter: Sequence[str]) -> list[str]:
    """The stems of ``longer`` left over once those of ``shorter`` are matched one by one."""
    left = list(shorter)
    out = []
    for stem in longer:
        if stem in left:
            left.remove(stem)
        else:
            out.append(stem)
    return out


def _nests(a: str, b: str) -> bool:
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "
