"""Writing decided equivalents: a person's glossary file, or a curated list.

Every decision is audited (``ReviewEvent``) with what it changed. Who decided is a field,
not a name: ``Equivalent.reviewed_by`` and ``Term.edited_by`` hold a person and stay None
for a curated list, so a curated list reloaded by a rebuild changes only what no person
has decided, whatever name that person typed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from glossary.store.engine import CHUNK, Store
from glossary.store.evidence import refresh_figures, set_contribution
from glossary.store.merging import terms_by_zh
from glossary.store.models import IMPORTED_CORPUS, Equivalent, ReviewEvent, Term
from glossary.store.revisions import (
    Decision,
    Verdict,
    definition_verdict,
    exported_from,
    verdict,
)
from glossary.store.validation import required
from glossary.store.views import ImportReport
from glossary.types import Status

CURATED_ACTION = "curated"
"""The audit action of a curated list's decisions (a person's are "review", "imported", …)."""


@dataclass(frozen=True)
class ReviewedRow:
    """One decided equivalent from a reviewed glossary file (or a curated list).

    ``None`` means "the file does not say", which leaves the stored value as it is.
    """

    zh: str
    en: str
    status: Status
    note: str | None = None
    definition: str | None = None
    frequency: int | None = None
    confidence: float | None = None
    revision: str | None = None
    """The entry's revision when the file was exported (``glossary.store.revisions``)."""


@dataclass(frozen=True)
class Decider:
    """Who writes a batch of decisions: a person (``reviewer``), or a curated list.

    A person's file wins over everything stored. A curated list (``reviewer`` None;
    ``source`` names it in the audit trail) only writes what no person has decided.
    """

    reviewer: str | None
    source: str
    origin: str

    @property
    def action(self) -> str:
        return self.origin if self.reviewer is not None else CURATED_ACTION


def apply_reviewed_rows(
    store: Store, rows: Sequence[ReviewedRow], *, decider: Decider
) -> ImportReport:
    """Write decided equivalents (an imported glossary, a curated list) in one transaction.

    New equivalents get ``decider.origin``. A person's rows set status, note, definition
    and their name on every row they touch; a curated list's rows skip equivalents a
    person reviewed and definitions a person edited, and mark the rows they decide
    "curated" without naming a reviewer. A row that carries a revision (an exported file
    coming back) changes its entry only if a person edited the row and the entry is as
    exported; if both changed, it is reported in ``conflicts`` and left alone.

    A term's definition is decided once for all its rows (``_define``), after them: the
    rows that say something new about it (``_definition_claim``) must agree, and on an
    exported file the stored definition must be as exported, else it is a conflict, one
    line for the term. A row that wrote a definition counts as changed.
    """
    person = None if decider.reviewer is None else required(decider.reviewer, "reviewer", 120)
    audit_name = person or required(decider.source, "curated list name", 120)
    terms_added = equivalents_added = unchanged = 0
    changed: set[int] = set()  # rows that wrote something, by position
    conflicts: list[str] = []
    claims: dict[str, _Claims] = {}
    named = {(row.zh, row.en) for row in rows}
    with store.writing() as session:
        now = datetime.now(UTC)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            terms = terms_by_zh(session, [r.zh for r in chunk], with_equivalents=True)
            for index, row in enumerate(chunk, start=start):
                term = terms.get(row.zh)
                stored = _stored(row, term)
                renamed = None
                if stored is None and person is not None and row.revision is not None:
                    renamed = _exported_as(row.revision, term)
                    if renamed is not None and (row.zh, renamed.en) in named:
                        renamed = None  # a copy of a row, edited: a new equivalent beside it
                    stored = renamed
                outcome = None if row.revision is None else _revised(row.revision, row, stored)
                claim = _definition_claim(row, term, outcome)
                if renamed is not None and term is not None:
                    # The row is the export of ``renamed``, unchanged in the store since,
                    # with its wording corrected: the page's rename, figures and examples kept.
                    rename(session, renamed, term.zh, row.en, audit_name, now)
                    changed.add(index)
                if outcome in ("same", "stale", "conflict"):
                    if outcome == "conflict":
                        conflicts.append(_conflict(row, term))
                    elif claim is None and renamed is None:
                        unchanged += 1
                    if claim is not None and term is not None:
                        claims.setdefault(term.zh, _Claims(term)).add(index, row, claim)
                    continue
                if term is None:
                    term = Term.create(row.zh, definition="", note="")
                    session.add(term)
                    terms[row.zh] = term
                    terms_added += 1
                if claim is not None:
                    claims.setdefault(term.zh, _Claims(term)).add(index, row, claim)
                if person is None and _person_prefers_another(term, row):
                    continue  # a curated list never demotes a person's preferred rendering
                equivalent = next((e for e in term.equivalents if e.en == row.en), None)
                if equivalent is None:
                    equivalent = Equivalent.create(
                        row.en, origin=decider.origin, status="proposed", note=""
                    )
                    term.equivalents.append(equivalent)
                    equivalents_added += 1
                elif _leaves_a_proposal(equivalent, row) or (
                    person is None and equivalent.reviewed_by is not None
                ):
                    continue
                elif person is None:
                    equivalent.origin = decider.origin
                if decide(
                    session,
                    equivalent,
                    term.zh,
                    person,
                    decider.action,
                    row,
                    now,
                    audit_name=audit_name,
                ):
                    changed.add(index)
            session.flush()
        for claimed in claims.values():
            conflict = _define(session, claimed, person, audit_name, now)
            if conflict is True:
                changed.update(claimed.rows)
            elif conflict:
                conflicts.append(conflict)
        session.flush()
    return ImportReport(
        rows=len(rows),
        terms_added=terms_added,
        equivalents_added=equivalents_added,
        equivalents_changed=len(changed),
        unchanged=unchanged,
        conflicts=tuple(conflicts),
    )


@dataclass
class _Claims:
    """The rows of one term that say something new about its definition."""

    term: Term
    rows: list[int] = field(default_factory=list)
    values: dict[str, None] = field(default_factory=dict)  # in the file's order
    edited_since: bool = False
    """Whether a row's definition was edited in the file and in the store since the export."""

    def add(self, index: int, row: ReviewedRow, claim: Literal["apply", "conflict"]) -> None:
        self.rows.append(index)
        self.values[row.definition or ""] = None
        self.edited_since |= claim == "conflict"


def _definition_claim(
    row: ReviewedRow, term: Term | None, outcome: Verdict | None
) -> Literal["apply", "conflict"] | None:
    """Whether ``row`` says something new about its term's definition: ``apply`` (a value
    to write), ``conflict`` (edited in the file and in the store since the export), or None.

    A row whose revision covers the definition says something only if a person changed the
    cell (a blank one then clears the definition); a row without a revision, only if its
    cell is not blank. A revision from before the definition was covered tells no edit of
    the cell apart, so there, as then, the cell counts only on a row whose status or note
    a person changed.
    """
    if row.definition is None:
        return None
    stored = None if term is None else term.definition
    if row.revision is not None:
        said = definition_verdict(row.revision, definition=row.definition, stored=stored)
        if said is not None:
            return said if said in ("apply", "conflict") else None
        if outcome != "apply":
            return None
    return "apply" if row.definition and row.definition != stored else None


def _define(
    session: Session, claimed: _Claims, person: str | None, audit_name: str, now: datetime
) -> str | bool:
    """Write the definition the rows ``claimed`` agree on: True if written, False if there
    was nothing to write (or a curated list leaves a person's definition alone), else the
    conflict, one line for the term."""
    term = claimed.term
    if person is None and term.edited_by is not None:
        return False
    if len(claimed.values) > 1:
        return (
            f"{term.zh}: the file's rows give {len(claimed.values)} different definitions; "
            "none was applied (change the definition on one row, or the same way on each)"
        )
    if claimed.edited_since:
        by = f" by {term.edited_by}" if term.edited_by else ""
        return (
            f"{term.zh}: definition changed in the glossary since the export{by}; "
            "the file's definition was not applied"
        )
    [value] = claimed.values
    if term.definition == value:
        return False
    action = "definition" if person is not None else CURATED_ACTION
    before, after = {"definition": term.definition}, {"definition": value}
    audit(session, audit_name, action, term.zh, "", before, after)
    term.definition = value
    if person is not None:
        term.edited_by, term.edited_at = person, now
    return True


def _stored(row: ReviewedRow, term: Term | None) -> Equivalent | None:
    return None if term is None else next((e for e in term.equivalents if e.en == row.en), None)


def _exported_as(token: str, term: Term | None) -> Equivalent | None:
    """The equivalent of ``term`` that a row carrying ``token`` was exported as, if the
    store still holds it as exported (a row whose wording a person then corrected)."""
    if term is None:
        return None
    return next(
        (e for e in term.equivalents if exported_from(token, _decision(term.zh, term, e))), None
    )


def _decision(zh: str, term: Term, stored: Equivalent) -> Decision:
    return Decision(
        zh=zh,
        en=stored.en,
        status=stored.status,
        note=stored.note,
        reviewed_by=stored.reviewed_by,
        reviewed_at=stored.reviewed_at,
        definition=term.definition,
    )


def _revised(token: str, row: ReviewedRow, stored: Equivalent | None) -> Verdict:
    decision = None if stored is None else _decision(row.zh, stored.term, stored)
    return verdict(token, zh=row.zh, en=row.en, status=row.status, note=row.note, stored=decision)


def _conflict(row: ReviewedRow, term: Term | None) -> str:
    stored = _stored(row, term)
    now = stored.status if stored else "?"
    by = f" by {stored.reviewed_by}" if stored and stored.reviewed_by else ""
    return (
        f"{row.zh} → {row.en}: changed in the glossary since the export (now "
        f"{now}{by}); the file's {row.status} was not applied"
    )


def _leaves_a_proposal(stored: Equivalent, row: ReviewedRow) -> bool:
    """Whether ``row`` leaves a stored proposal as it is: no decision, so it stays unreviewed
    (a TBX term without a status; our own export read back, "not yet reviewed")."""
    return row.status == stored.status == "proposed" and row.note in (None, stored.note)


def rename(
    session: Session, row: Equivalent, zh: str, new: str, reviewer: str, now: datetime
) -> None:
    """Give ``row`` the wording ``new`` (checked by the caller), as ``reviewer``'s decision."""
    audit(session, reviewer, "rename", zh, new, {"en": row.en}, {"en": new})
    row.en = new
    row.search_keys = Equivalent.keys_for(new)
    row.reviewed_by, row.reviewed_at = reviewer, now


def _person_prefers_another(term: Term, row: ReviewedRow) -> bool:
    return row.status == "preferred" and any(
        e.status == "preferred" and e.en != row.en and e.reviewed_by is not None
        for e in term.equivalents
    )


def decide(
    session: Session,
    row: Equivalent,
    zh: str,
    reviewer: str | None,
    action: str,
    decided: ReviewedRow,
    now: datetime,
    *,
    audit_name: str | None = None,
) -> bool:
    """Set one equivalent's status and note; True if anything changed (and was audited).

    ``reviewer`` is the deciding person, None for a curated list (``audit_name`` then
    names the list in the audit trail).
    """
    if decided.status == "preferred":
        demote_other_preferred(
            session, row, zh, reviewer, now, audit_name=reviewer or audit_name or CURATED_ACTION
        )
    before = {"status": row.status, "note": row.note}
    after = {
        "status": decided.status,
        "note": row.note if decided.note is None else decided.note,
    }
    if decided.frequency is not None or decided.confidence is not None:
        set_contribution(row, IMPORTED_CORPUS, decided.frequency or 0, decided.confidence or 0.0)
        refresh_figures(row)
    if before == after and (reviewer is None or row.reviewed_by is not None):
        return False
    row.status, row.note = after["status"], after["note"]
    if reviewer is not None:
        row.reviewed_by, row.reviewed_at = reviewer, now
    audit(session, reviewer or audit_name or CURATED_ACTION, action, zh, row.en, before, after)
    return True


def demote_other_preferred(
    session: Session,
    row: Equivalent,
    zh: str,
    reviewer: str | None,
    now: datetime,
    *,
    audit_name: str | None = None,
) -> None:
    """Make the term's other preferred equivalents admitted, in the caller's transaction.

    The term's row is locked first (``FOR UPDATE``; SQLite's writers are already one at a
    time), and the other preferred rows are read again after the lock, so two concurrent
    promotions on PostgreSQL run one after the other instead of each demoting what it saw
    before the other committed. Flushed before the promotion, because the database allows
    one preferred row per term at every statement. ``reviewer`` None (a curated list) names
    no person on the demoted rows; ``audit_name`` then names the list in the audit trail.
    """
    session.flush()
    session.execute(select(Term.id).where(Term.id == row.term_id).with_for_update())
    others = session.scalars(
        select(Equivalent)
        .where(
            Equivalent.term_id == row.term_id,
            Equivalent.status == "preferred",
            Equivalent.id != row.id,
        )
        .execution_options(populate_existing=True)
    )
    for other in others:
        audit(
            session,
            audit_name or reviewer or CURATED_ACTION,
            "review",
            zh,
            other.en,
            {"status": other.status, "note": other.note},
            {"status": "admitted", "note": other.note},
        )
        other.status = "admitted"
        if reviewer is not None:
            other.reviewed_by, other.reviewed_at = reviewer, now
    session.flush()


def audit(
    session: Session,
    reviewer: str,
    action: str,
    zh: str,
    en: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
) -> None:
    session.add(
        ReviewEvent(
            reviewer=reviewer,
            action=action,
            zh=zh,
            en=en,
            before=json.dumps(before, ensure_ascii=False),
            after=json.dumps(after, ensure_ascii=False),
        )
    )
