"""Checks and normalisation of what callers hand the store, shared by its writers and readers.

Each failure is an ``InvalidField`` or ``InvalidStatus`` saying what to fix.
"""

from __future__ import annotations

import regex

from align.reading import normalize_text
from glossary.errors import InvalidField, InvalidStatus
from glossary.types import STATUSES, Status

_HAN = regex.compile(r"\p{Han}")
_SPACES = regex.compile(r"\s+")
CONTROL = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line ends (the schemas' patterns exclude the same)."""


def clean_text(text: str) -> str:
    """Normalised as the aligner normalises documents, so stored and extracted terms match."""
    return str(_SPACES.sub(" ", normalize_text(text))).strip()


def query_text(query: str, what: str) -> str:
    """A search query cleaned, or ``InvalidField`` if it is empty or holds control characters.

    A NUL in a LIKE pattern ends it early on SQLite (``%\\0%`` matched every pair), and no
    stored text holds a control character, so such a query is a mistake, said as one.
    """
    q = clean_text(query)
    if not q:
        raise InvalidField(f"the query is empty; type {what}")
    return plain(q, "the query")


def control_problem(text: str | None, field: str) -> str | None:
    """What is wrong with ``text`` if it holds a control character (tab and line ends are
    not ones), else ``None``: stored, one would reach every export (a NUL in a CSV cell)."""
    if text and CONTROL.search(text):
        return f"{field} contains a control character (such as NUL); remove it"
    return None


def plain(text: str, field: str) -> str:
    """``text`` itself, or ``InvalidField`` if it holds a control character."""
    problem = control_problem(text, field)
    if problem:
        raise InvalidField(problem)
    return text


def required(value: str, field: str, limit: int) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        raise InvalidField(f"{field} is empty; give a non-empty {field}")
    if len(cleaned) > limit:
        raise InvalidField(
            f"{field} {cleaned[:40]!r}… has {len(cleaned)} characters; the limit is {limit}"
        )
    return cleaned


def check_status(status: str) -> Status:
    """The status itself if it is one of the TBX statuses, else ``InvalidStatus``."""
    if status not in STATUSES:
        raise InvalidStatus(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    return status


def check_figures(frequency: int, confidence: float, where: str) -> None:
    if frequency < 0:
        raise InvalidField(f"{where}: frequency {frequency} is negative")
    if not 0.0 <= confidence <= 1.0:
        raise InvalidField(f"{where}: confidence {confidence} is outside [0, 1]")


def check_page(limit: int, offset: int) -> None:
    if limit < 1 or offset < 0:
        raise InvalidField(f"limit must be ≥ 1 and offset ≥ 0 (got limit={limit}, offset={offset})")


def is_chinese(text: str) -> bool:
    return _HAN.search(text) is not None
