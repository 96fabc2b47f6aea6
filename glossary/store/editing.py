"""A person's edits: review or rename an equivalent, add or update a term; their history.

Each public function runs in its own transaction; its ``*_in`` form runs in the caller's,
so that a request making several edits (``queries.edit_term``) stores all or none.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from glossary.errors import DuplicateTerm, TermNotFound
from glossary.store.engine import Store
from glossary.store.merging import terms_by_zh
from glossary.store.models import (
    MAX_EN_CHARS,
    MAX_ZH_CHARS,
    Equivalent,
    ReviewEvent,
    Term,
)
from glossary.store.reviewing import ReviewedRow, audit, decide, rename
from glossary.store.term_views import aware, term_views
from glossary.store.validation import check_status, clean_text, plain, required
from glossary.store.variants import script_forms
from glossary.store.views import TermView


def review(
    store: Store,
    *,
    zh: str,
    en: str,
    status: str,
    note: str | None = None,
    reviewer: str,
) -> TermView:
    """Record a person's decision on one equivalent; creates it (origin curated) if new."""
    with store.writing() as session:
        term = review_in(session, zh=zh, en=en, status=status, note=note, reviewer=reviewer)
        return view_in(session, term, examples=5)


def add_term(
    store: Store, *, zh: str, definition: str = "", note: str = "", reviewer: str
) -> TermView:
    with store.writing() as session:
        term = add_term_in(session, zh=zh, definition=definition, note=note, reviewer=reviewer)
        return view_in(session, term, examples=0)


def update_term(
    store: Store,
    term_id: int,
    *,
    definition: str | None = None,
    note: str | None = None,
    reviewer: str,
) -> TermView:
    with store.writing() as session:
        term = update_term_in(session, term_id, definition=definition, note=note, reviewer=reviewer)
        return view_in(session, term, examples=5)


def rename_equivalent(store: Store, *, zh: str, en: str, to: str, reviewer: str) -> TermView:
    """Correct the English wording of an equivalent, keeping its status, figures and examples.

    The equivalent becomes a person's decision (``reviewed_by``), so a rebuild leaves the
    corrected wording alone; a rebuild may propose the old wording again as a new equivalent,
    which a reviewer can then reject.
    """
    with store.writing() as session:
        term = rename_in(session, zh=zh, en=en, to=to, reviewer=reviewer)
        return view_in(session, term, examples=5)


# The same edits in the caller's transaction (``store.writing()``), so that several of them
# (``queries.edit_term``: renames, the note, reviews) are stored together or not at all: an
# edit that raises rolls back what the earlier ones wrote.


def review_in(
    session: Session, *, zh: str, en: str, status: str, note: str | None, reviewer: str
) -> Term:
    """``review``, in the caller's transaction; returns the reviewed term."""
    decided = ReviewedRow(
        zh=_text(zh, "term", MAX_ZH_CHARS),
        en=_text(en, "English equivalent", MAX_EN_CHARS),
        status=check_status(status),
        note=None if note is None else plain(note, "note"),
    )
    who = _text(reviewer, "reviewer", 120)
    term = _term_or_raise(session, decided.zh)
    row = next((e for e in term.equivalents if e.en == decided.en), None)
    if row is None:
        row = Equivalent.create(decided.en, origin="curated", status="proposed", note="")
        term.equivalents.append(row)
    decide(session, row, term.zh, who, "review", decided, datetime.now(UTC))
    return term


def add_term_in(session: Session, *, zh: str, definition: str, note: str, reviewer: str) -> Term:
    """``add_term``, in the caller's transaction; returns the new term."""
    zh = _text(zh, "term", MAX_ZH_CHARS)
    who = _text(reviewer, "reviewer", 120)
    _refuse_duplicate(session, zh)
    term = Term.create(
        zh,
        definition=plain(definition.strip(), "definition"),
        note=plain(note.strip(), "note"),
        edited_by=who,
        edited_at=datetime.now(UTC),
    )
    session.add(term)
    audit(session, who, "add_term", zh, "", {}, {"definition": term.definition, "note": term.note})
    return term


def update_term_in(
    session: Session,
    term_id: int,
    *,
    definition: str | None,
    note: str | None,
    reviewer: str,
) -> Term:
    """``update_term``, in the caller's transaction; returns the term."""
    who = _text(reviewer, "reviewer", 120)
    term = term_by_id(session, term_id)
    before = {"definition": term.definition, "note": term.note}
    if definition is not None:
        term.definition = plain(definition.strip(), "definition")
    if note is not None:
        term.note = plain(note.strip(), "note")
    after = {"definition": term.definition, "note": term.note}
    if after != before:
        term.edited_by, term.edited_at = who, datetime.now(UTC)
        audit(session, who, "update_term", term.zh, "", before, after)
    return term


def rename_in(session: Session, *, zh: str, en: str, to: str, reviewer: str) -> Term:
    """``rename_equivalent``, in the caller's transaction; returns the term.

    Only the old wording may hold a control character: it names what is stored, so a
    wording stored before such characters were refused can still be corrected.
    """
    term_zh = _text(zh, "term", MAX_ZH_CHARS)
    old = required(en, "English equivalent", MAX_EN_CHARS)
    new = _text(to, "new English wording", MAX_EN_CHARS)
    who = _text(reviewer, "reviewer", 120)
    term = _term_or_raise(session, term_zh)
    by_en = {e.en: e for e in term.equivalents}
    row = by_en.get(old)
    if row is None:
        raise TermNotFound(
            f"term {term_zh!r} has no equivalent {old!r}; look the term up to see its equivalents"
        )
    if new != old:
        if new in by_en:
            raise DuplicateTerm(
                f"term {term_zh!r} already has the equivalent {new!r}; "
                "review that one and reject this one instead"
            )
        rename(session, row, term.zh, new, who, datetime.now(UTC))
    return term


def term_by_id(session: Session, term_id: int) -> Term:
    """The term with this id, or ``TermNotFound``."""
    term = session.get(Term, term_id)
    if term is None:
        raise TermNotFound(f"no term with id {term_id}; look the term up to find its id")
    return term


def view_in(session: Session, term: Term, *, examples: int) -> TermView:
    """The term as it stands in this transaction (what was written flushed first)."""
    session.flush()
    return term_views(session, [term.id], examples=examples)[0]


def _text(value: str, field: str, limit: int) -> str:
    """``required``, and ``InvalidField`` if the cleaned text holds a control character."""
    return plain(required(value, field, limit), field)


def _refuse_duplicate(session: Session, zh: str) -> None:
    """``DuplicateTerm`` if the glossary holds ``zh`` in either script (穩崗 is 稳岗): both
    spellings are one entry, found as merges find it (``merging.terms_by_zh``)."""
    stored = terms_by_zh(session, [zh], with_equivalents=False).get(zh)
    if stored is None:
        return
    if stored.zh == zh:
        raise DuplicateTerm(f"term {zh!r} is already in the glossary; update it instead")
    raise DuplicateTerm(
        f"term {zh!r} is already in the glossary as {stored.zh!r} (the same term in the "
        "other script); update that entry instead"
    )


def _term_or_raise(session: Session, zh: str) -> Term:
    term = terms_by_zh(session, [zh], with_equivalents=True).get(zh)
    if term is None:
        raise TermNotFound(
            f"no term {zh!r} in the glossary; check the spelling or add the term first"
        )
    return term


def review_history(store: Store, *, zh: str) -> list[dict[str, Any]]:
    """The audit trail of one term, oldest first, in either script: an event keeps the
    spelling the entry was shown in when it was recorded, and a later corpus may change it."""
    text = clean_text(zh)
    spellings = [text, *script_forms(text)]
    with store.reading() as session:
        events = session.scalars(
            select(ReviewEvent).where(ReviewEvent.zh.in_(spellings)).order_by(ReviewEvent.id)
        )
        return [
            {
                "at": aware(e.at),
                "reviewer": e.reviewer,
                "action": e.action,
                "zh": e.zh,
                "en": e.en,
                "before": json.loads(e.before),
                "after": json.loads(e.after),
            }
            for e in events
        ]
