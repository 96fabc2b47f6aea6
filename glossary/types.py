"""Data that flows from term extraction into the store and out to exports.

Extraction produces these frozen values; the store persists them; nothing downstream
mutates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["proposed", "preferred", "admitted", "deprecated", "rejected"]
STATUSES: tuple[Status, ...] = ("proposed", "preferred", "admitted", "deprecated", "rejected")


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into a sentence's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Example:
    """One sentence pair that attests an equivalent, with where it came from."""

    doc_zh: str
    doc_en: str
    sent_zh: int
    sent_en: int
    zh_text: str
    en_text: str
    zh_span: Span
    en_span: Span
    pair_score: float


@dataclass(frozen=True)
class Equivalent:
    """A proposed English rendering of a Chinese term."""

    en: str
    frequency: int
    confidence: float
    examples: tuple[Example, ...]
    note: str = ""


@dataclass(frozen=True)
class TermEntry:
    """A Chinese term and its proposed English equivalents, best first."""

    zh: str
    termhood: float
    equivalents: tuple[Equivalent, ...]
