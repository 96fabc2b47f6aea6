"""Revisions of glossary entries, so that a file round trip changes only what a person changed.

An exported row carries a revision token of its entry: a digest of the entry's decision as
stored (status, note, who reviewed it and when), a digest of what the row itself says, and
a digest of its term's definition as exported. When the file comes back, the second digest
tells whether a person edited the row and the first whether the store changed since the
export, so an untouched row is a no-op (however stale), and an edited row whose entry was
changed meanwhile in the store (in the page, by another import) is a conflict, left alone,
instead of a silent revert. The third does both jobs for the definition (``definition_verdict``):
it is what the row said and what the store held, so a changed cell is an edit and a stored
definition that no longer matches it changed since. Digests of state, not a counter column,
so the tables need no migration.

Tokens written before the definition was covered have two parts (``r…-…``); they still
import, with the definition read as it was then (``definition_verdict`` gives None).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import regex

from glossary.formats.text import export_text

TOKEN = regex.compile(r"r[0-9a-f]{10}-[0-9a-f]{8}(?:-[0-9a-f]{8})?")
"""A revision token; the leading letter keeps a spreadsheet from reading it as a number or date.

The third part (the definition) is absent from tokens written before it was covered."""
Verdict = Literal["apply", "same", "stale", "conflict"]
TERM_TOKEN = regex.compile(r"t[0-9a-f]{16}")
"""A term's revision (``term_revision``), as ``PATCH /api/terms/{id}`` takes it back."""


@dataclass(frozen=True)
class Decision:
    """What the store holds for one equivalent: the fields a revision covers."""

    zh: str
    en: str
    status: str
    note: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    definition: str
    """The term's definition (the same on each of its equivalents' rows)."""


def revision(decision: Decision) -> str:
    """The token written beside an entry in an export."""
    content = _content(decision.zh, decision.en, decision.status, decision.note)
    return f"r{_state(decision)}-{content}-{_definition(decision.definition)}"


def term_revision(definition: str, note: str, equivalents: Iterable[tuple[str, str, str]]) -> str:
    """A term's revision for an edit: a digest of what a reviewer edits (its definition and
    note, each equivalent's wording, status and note).

    An edit that names the revision it was made on is refused once the term moved on, so
    a reviewer saving over an older read does not silently undo a colleague's change.
    Figures and examples are left out: a rebuild that recounts them edits nothing.
    """
    decisions = sorted("\x1e".join(equivalent) for equivalent in equivalents)
    return "t" + _digest(definition, note, *decisions, size=8)


def verdict(
    token: str, *, zh: str, en: str, status: str, note: str | None, stored: Decision | None
) -> Verdict:
    """What to do with the status and note of a row of an exported file that carries ``token``.

    ``same``: the row says what the store holds; ``stale``: the row is as exported but the
    store moved on (both no-ops); ``apply``: a person edited the row and the store is as
    exported, or the store lacks the entry (another store's export, or an entry a rebuild
    dropped: the file's copy is all there is); ``conflict``: both changed. The definition
    has a verdict of its own (``definition_verdict``): a term's definition is not its
    equivalents' decision, and a change to one is no conflict with an edit of the other.
    """
    if stored is None:
        return "apply"
    if status == stored.status and (note is None or _note(note) == _note(stored.note)):
        return "same"
    state, content, _ = _parts(token)
    exported_note = stored.note if note is None else note
    if content == _content(zh, en, status, exported_note):
        return "stale"
    as_stored = _content(stored.zh, stored.en, stored.status, stored.note)
    return "apply" if (state, content) == (_state(stored), as_stored) else "conflict"


def exported_from(token: str, stored: Decision) -> bool:
    """Whether ``token`` was written beside ``stored`` and the store has not changed it since
    (whatever the row now says: a person may have corrected its wording)."""
    return _parts(token)[0] == _state(stored)


def definition_verdict(token: str, *, definition: str, stored: str | None) -> Verdict | None:
    """What to do with the definition cell of a row that carries ``token``.

    ``stored`` is the term's definition, None if the store lacks the term (``apply``, as
    for an entry: the file's copy is all there is; a blank cell is then ``same``). Else as
    ``verdict``: ``same`` if the cell says what the store holds, ``stale`` if it says what
    was exported and the store moved on, ``apply`` if a person changed the cell and the store
    is as exported, ``conflict`` if both changed. None: the token is from an export before
    revisions covered the definition, so whether the cell was edited cannot be told.
    """
    if stored is None:
        return "apply" if _note(definition) else "same"
    if _written(definition) == _written(stored):
        return "same"
    exported = _parts(token)[2]
    if exported is None:
        return None
    if exported == _definition(definition):
        return "stale"
    return "apply" if exported == _definition(stored) else "conflict"


def _parts(token: str) -> tuple[str, str, str | None]:
    state, content, *definition = token[1:].split("-")
    return state, content, definition[0] if definition else None


def _state(decision: Decision) -> str:
    return _digest(
        decision.zh,
        decision.en,
        decision.status,
        _note(decision.note),
        decision.reviewed_by or "",
        _stamp(decision.reviewed_at),
        size=5,
    )


def _content(zh: str, en: str, status: str, note: str) -> str:
    return _digest(zh, en, status, _note(note), size=4)


def _definition(definition: str) -> str:
    return _digest(_written(definition), size=4)


def _written(text: str) -> str:
    # As the exports write it (a store from before control characters were refused may
    # hold some), so the definition of such a store comes back as untouched.
    return _note(export_text(text))


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
