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

    Inflections of a chosen span ("college graduate" / "graduates", same
    ``EnglishSide.forms``) add their examples to it, under the surface form seen in more
    sentences; a derivation ("stable employment" / "stabilizing employment") is a rendering
    of its own, though the dictionary stems fold the two. A span nested in a chosen one is
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
            (i for i, c in enumerate(chosen) if english.forms[c[0]] == english.forms[key]), None
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

    zh: str
    key: str
    dictionary: float
    confidence: float


@dataclass(frozen=True)
class Lost:
    """A top rendering a term gives up, and whether a part of the term took it."""

    key: str
    to_part: bool  # the term that took it is written inside this one (失业率 in 调查失业率)


def outlinked(
    tops: Sequence[Top | None], forms: Mapping[str, tuple[str, ...]]
) -> list[Lost | None]:
    """For each term, the top rendering it must give up to a term that explains it better.

    Competitive linking across the glossary: when several terms would take the same English
    span first (the same ``forms``: inflections of one rendering), a term loses it to one
    that is both more confident and better covered by its dictionary glosses (专项行动
    explains "special action" better than 专项活动, whose 活动 is "activity"). Terms the
    dictionary explains equally well both keep it: 欠薪 and 工资拖欠 are both "wage arrears".

    A term that loses to a part of itself (调查失业率 to 失业率, "unemployment rate") is
    told so (``Lost.to_part``): the part's rendering is then the head of its own, which
    must hold it ("surveyed urban unemployment rate"), not any other span.
    """
    rivals: dict[tuple[str, ...], list[Top]] = defaultdict(list)
    for top in tops:
        if top is not None:
            rivals[forms[top.key]].append(top)
    out: list[Lost | None] = []
    for top in tops:
        if top is None:
            out.append(None)
            continue
        winners = [
            other.zh
            for other in rivals[forms[top.key]]
            if other.dictionary > top.dictionary and other.confidence > top.confidence
        ]
        out.append(Lost(top.key, to_part=any(zh in top.zh for zh in winners)) if winners else None)
    return out


def without_lost(
    scored: Sequence[tuple[str, Evidence, float, list[Instance]]],
    lost: Lost,
    forms: Mapping[str, tuple[str, ...]],
) -> list[tuple[str, Evidence, float, list[Instance]]]:
    """The spans a term may still take once it gave up ``lost``: none of its ``forms``, and
    after losing to a part of itself only those that hold the part's rendering whole."""
    return [
        item
        for item in scored
        if forms[item[0]] != forms[lost.key] and (not lost.to_part or _nests(lost.key, item[0]))
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
