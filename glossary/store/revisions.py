"""Revisions of glossary entries, so that a file round trip changes only what a person changed.

An exported row carries a revision token of its entry: a digest of the entry's decision as
stored (status, note, who reviewed it and when) and a digest of what the row itself says.
When the file comes back, the second digest tells whether a person edited the row and the
first whether the store changed since the export, so an untouched row is a no-op (however
stale), and an edited row whose entry was changed meanwhile in the store (in the page, by
another import) is a conflict, left alone, instead of a silent revert. Digests of state,
not a counter column, so the tables need no migration.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import regex

TOKEN = regex.compile(r"r[0-9a-f]{10}-[0-9a-f]{8}")
"""A revision token; the leading letter keeps a spreadsheet from reading it as a number or date."""
Verdict = Literal["apply", "same", "stale", "conflict"]


@dataclass(frozen=True)
class Decision:
    """What the store holds for one equivalent: the fields a revision covers."""

    zh: str
    en: str
    status: str
    note: str
    reviewed_by: str | None
    reviewed_at: datetime | None


def revision(decision: Decision) -> str:
    """The token written beside an entry in an export."""
    state = _digest(
        decision.zh,
        decision.en,
        decision.status,
        _note(decision.note),
        decision.reviewed_by or "",
        _stamp(decision.reviewed_at),
        size=5,
    )
    return f"r{state}-{_content(decision.zh, decision.en, decision.status, decision.note)}"


def verdict(
    token: str, *, zh: str, en: str, status: str, note: str | None, stored: Decision | None
) -> Verdict:
    """What to do with a row of an exported file that carries ``token``.

    ``same``: the row says what the store holds; ``stale``: the row is as exported but the
    store moved on (both no-ops); ``apply``: a person edited the row and the store is as
    exported, or the store lacks the entry (another store's export, or an entry a rebuild
    dropped: the file's copy is all there is); ``conflict``: both changed.
    """
    if stored is None:
        return "apply"
    if status == stored.status and (note is None or _note(note) == _note(stored.note)):
        return "same"
    exported_note = stored.note if note is None else note
    if token.rpartition("-")[2] == _content(zh, en, status, exported_note):
        return "stale"
    return "apply" if token == revision(stored) else "conflict"


def _content(zh: str, en: str, status: str, note: str) -> str:
    return _digest(zh, en, status, _note(note), size=4)


def _note(note: str) -> str:
    # Spreadsheets rewrite line ends inside a cell and trim the cell; neither is an edit.
    return note.replace("\r\n", "\n").strip()


def _stamp(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is not None:  # PostgreSQL gives aware times, SQLite naive UTC ones
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def _digest(*parts: str, size: int) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=size).hexdigest()
