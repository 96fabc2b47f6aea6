"""Phrase pairs consistent with a word alignment (Och and Ney 2004; Koehn et al. 2003).

A Chinese token range and an English token range form a consistent pair when some link joins
them and no link leaves either range for a word outside the other. For a given Chinese range
the *tight* English range (from its first to its last linked English word) is the one such
pair without unaligned English words at its edges: one rendering per occurrence, so counting
renderings over a corpus counts occurrences, never the padded variants of one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from glossary.extraction.word_alignment import Link


@dataclass(frozen=True)
class LinkIndex:
    """The links of one sentence pair indexed from both sides."""

    by_zh: tuple[tuple[int, ...], ...]
    by_en: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, links: frozenset[Link], zh_len: int, en_len: int) -> LinkIndex:
        by_zh: dict[int, list[int]] = defaultdict(list)
        by_en: dict[int, list[int]] = defaultdict(list)
        for i, j in links:
            by_zh[i].append(j)
            by_en[j].append(i)
        return cls(
            tuple(tuple(sorted(by_zh[i])) for i in range(zh_len)),
            tuple(tuple(sorted(by_en[j])) for j in range(en_len)),
        )


def tight_phrase(index: LinkIndex, start: int, end: int) -> tuple[int, int] | None:
    """The English token range [a, b) consistent with Chinese tokens [start, end), or None.

    None when no Chinese token of the range is linked, or when an English word inside the
    linked span is linked to a Chinese word outside the range (the phrase is not separable).
    """
    rows = [row for row in index.by_zh[start:end] if row]
    if not rows:
        return None
    low, high = min(row[0] for row in rows), max(row[-1] for row in rows)
    for row in index.by_en[low : high + 1]:  # each row sorted: its ends say if it leaves
        if row and (row[0] < start or row[-1] >= end):
            return None
    return low, high + 1
