"""Writing decided equivalents: an imported glossary file or the curated seed.

Every decision is audited (``ReviewEvent``) with what it changed, and a decision by a
person outranks the seed's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from glossary.store.engine import CHUNK, Store
from glossary.store.evidence import refresh_figures, set_contribution
from glossary.store.merging import terms_by_zh
from glossary.store.models import IMPORTED_CORPUS, Equivalent, ReviewEvent, Term
from glossary.store.validation import required
from glossary.store.views import ImportReport
from glossary.types import Status

SEED_REVIEWER = "seed glossary"
"""``reviewed_by`` of curated seed entries: a later decision by a person outranks it."""


@dataclass(frozen=True)
class ReviewedRow:
    """One decided equivalent from a reviewed glossary file (or the curated seed).

    ``None`` means "the file does not say", which leaves the stored value as it is.
    """

    zh: str
    en: str
    status: Status
    note: str | None = None
    definition: str | None = None
    frequency: int | None = None
    confidence: float | None = None


# --------------------------------------------------------------------------- opening


def apply_reviewed_rows(
    store: Store,
    rows: Sequence[ReviewedRow],
    *,
    origin: str,
    reviewer: str,
    overwrite_reviewed: bool,
) -> ImportReport:
    """Write decided equivalents (an imported glossary, the curated seed) in one transaction.

    With ``overwrite_reviewed`` (an import: a person's file) every row wins. Without it
    (the seed) a row only replaces equivalents no person has decided on yet, and only
    fills a term's empty definition, so reloading the seed never undoes later reviews.
    """
    reviewer = required(reviewer, "reviewer", 120)
    terms_added = equivalents_added = changed = 0
    with store.writing() as session:
        now = datetime.now(UTC)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            terms = terms_by_zh(session, [r.zh for r in chunk], with_equivalents=True)
            for row in chunk:
                term = terms.get(row.zh)
                if term is None:
                    term = Term.create(row.zh, definition="", note="")
                    session.add(term)
                    terms[row.zh] = term
                    terms_added += 1
                fill = overwrite_reviewed or not term.definition
                if row.definition and fill and term.definition != row.definition:
                    audit(session, reviewer, "definition", term.zh, "",
                           {"definition": term.definition}, {"definition": row.definition})
                    term.definition = row.definition
                if not overwrite_reviewed and _person_prefers_another(term, row):
                    continue  # the seed never demotes a person's preferred rendering
                equivalent = next((e for e in term.equivalents if e.en == row.en), None)
                if equivalent is None:
                    equivalent = Equivalent.create(
                        row.en, origin=origin, status="proposed", note=""
                    )
                    term.equivalents.append(equivalent)
                    equivalents_added += 1
                elif not overwrite_reviewed and equivalent.reviewed_by not in (
                    None, SEED_REVIEWER,
                ):
                    continue
                if decide(session, equivalent, term.zh, reviewer, origin, row, now):
                    changed += 1
            session.flush()
    return ImportReport(
        rows=len(rows), terms_added=terms_added, equivalents_added=equivalents_added,
        equivalents_changed=changed,
    )


def _person_prefers_another(term: Term, row: ReviewedRow) -> bool:
    return row.status == "preferred" and any(
        e.status == "preferred" and e.en != row.en and e.reviewed_by not in (None, SEED_REVIEWER)
        for e in term.equivalents
    )


def decide(
    session: Session,
    row: Equivalent,
    zh: str,
    reviewer: str,
    action: str,
    decided: ReviewedRow,
    now: datetime,
) -> bool:
    if decided.status == "preferred":
        demote_other_preferred(session, row, zh, reviewer, now)
    before = {"status": row.status, "note": row.note}
    after = {
        "status": decided.status,
        "note": row.note if decided.note is None else decided.note,
    }
    if decided.frequency is not None or decided.confidence is not None:
        set_contribution(
            row, IMPORTED_CORPUS, decided.frequency or 0, decided.confidence or 0.0
        )
        refresh_figures(row)
    if before == after and row.reviewed_by is not None:
        return False
    row.status, row.note = after["status"], after["note"]
    row.reviewed_by, row.reviewed_at = reviewer, now
    audit(session, reviewer, action, zh, row.en, before, after)
    return True


def demote_other_preferred(
    session: Session, row: Equivalent, zh: str, reviewer: str, now: datetime
) -> None:
    """Make the term's other preferred equivalents admitted, in the caller's transaction.

    The term's row is locked first (``FOR UPDATE``; SQLite's writers are already one at a
    time), and the other preferred rows are read again after the lock, so two concurrent
    promotions on PostgreSQL run one after the other instead of each demoting what it saw
    before the other committed. Flushed before the promotion, because the database allows
    one preferred row per term at every statement.
    """
    session.flush()
    session.execute(select(Term.id).where(Term.id == row.term_id).with_for_update())
    others = session.scalars(
        select(Equivalent)
        .where(Equivalent.term_id == row.term_id, Equivalent.status == "preferred",
               Equivalent.id != row.id)
        .execution_options(populate_existing=True)
    )
    for other in others:
        audit(session, reviewer, "review", zh, other.en, {"status": other.status,
              "note": other.note}, {"status": "admitted", "note": other.note})
        other.status, other.reviewed_by, other.reviewed_at = "admitted", reviewer, now
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
            reviewer=reviewer, action=action, zh=zh, en=en,
            before=json.dumps(before, ensure_ascii=False),
            after=json.dumps(after, ensure_ascii=False),
        )
    )
