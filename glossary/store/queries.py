"""Store queries the HTTP service needs beyond the store's modules: counts, one document's pairs.

Kept apart from ``store.py`` and its siblings (``lookups``, ``editing``, …) so the service's
needs do not grow the store's core; each function follows the store's conventions (store
first, keyword arguments, frozen views).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, inspect, or_, select, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex

from glossary.errors import GlossaryError, InvalidField, StoreConflict
from glossary.store import fulltext
from glossary.store.concordance import pair_views
from glossary.store.editing import (
    add_term_in,
    rename_in,
    review_in,
    term_by_id,
    update_term_in,
    view_in,
)
from glossary.store.engine import Store
from glossary.store.models import (
    ONE_PREFERRED,
    AlignedPair,
    Base,
    Document,
    Equivalent,
    ReviewEvent,
    Term,
)
from glossary.store.reviewing import audit
from glossary.store.term_views import aware
from glossary.store.validation import check_page
from glossary.store.views import DocumentRecord, PairView, TermView
from glossary.types import Status

REPAIR_REVIEWER = "duiqi (one preferred per term)"
"""The reviewer recorded when opening an old glossary demotes a second preferred equivalent."""


class DocumentNotFound(GlossaryError):
    """No aligned pairs are stored for this document id."""


def ensure_indexes(store: Store) -> list[str]:
    """Create the indexes the models declare but the database lacks; returns their names.

    ``create_all`` only creates missing tables, so a glossary made before an index was
    added (the lookup's covering index, say) would keep answering from the table. Run
    when the service starts; on a large glossary the first run takes a moment. The
    concordance's full-text index (``glossary.store.fulltext``) is added the same way.
    Nothing is written when nothing is missing, so a read-only glossary still opens.
    """
    with store.reading() as session:
        connection = session.connection()
        tables = set(inspect(connection).get_table_names())
        present = _index_names(connection)
        unindexed = "aligned_pair" in tables and fulltext.index_kind(connection) == "scan"
    missing = [
        index
        for table in Base.metadata.sorted_tables
        if table.name in tables
        for index in table.indexes
        if present is None or index.name not in present
    ]
    added = [str(index.name) for index in missing]
    if missing or unindexed:
        with store.writing() as session:
            if any(index.name == ONE_PREFERRED for index in missing):
                _keep_one_preferred(session)
            for index in missing:
                session.connection().execute(CreateIndex(index, if_not_exists=True))
            if unindexed and fulltext.install(session.connection()) != "scan":
                added.append(fulltext.FTS_TABLE)
    return added


def _keep_one_preferred(session: Session) -> None:
    """Before the one-preferred index exists: keep each term's latest preferred decision.

    A glossary written before the constraint may hold several preferred equivalents of one
    term (concurrent reviews raced); the others become admitted, each change audited.
    """
    rows = session.scalars(
        select(Equivalent)
        .join(Term)
        .where(Equivalent.status == "preferred")
        .order_by(Equivalent.term_id, Equivalent.reviewed_at.desc(), Equivalent.id.desc())
    )
    seen: set[int] = set()
    for row in rows:
        if row.term_id in seen:
            audit(
                session,
                REPAIR_REVIEWER,
                "review",
                row.term.zh,
                row.en,
                {"status": "preferred"},
                {"status": "admitted"},
            )
            row.status = "admitted"
        seen.add(row.term_id)
    session.flush()


def _index_names(connection: Connection) -> set[str] | None:
    """Names of the indexes in the database, or None where we cannot tell cheaply.

    Read from the catalogue: SQLAlchemy's reflection skips expression indexes on SQLite.
    """
    catalogue = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
        "postgresql": "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
    }.get(connection.dialect.name)
    if catalogue is None:
        return None
    return {str(name) for name in connection.execute(text(catalogue)).scalars()}


def count_terms(store: Store) -> dict[str, int]:
    """How many terms, equivalents and aligned pairs the store holds (for the health check)."""
    with store.reading() as session:
        return {
            "terms": session.scalar(select(func.count()).select_from(Term)) or 0,
            "equivalents": session.scalar(select(func.count()).select_from(Equivalent)) or 0,
            "pairs": session.scalar(select(func.count()).select_from(AlignedPair)) or 0,
        }


def document_pairs(store: Store, doc_id: str) -> list[PairView]:
    """Every stored pair of one article (Chinese or English id), in sentence order."""
    with store.reading() as session:
        rows = list(
            session.scalars(
                select(AlignedPair)
                .where(or_(AlignedPair.doc_zh == doc_id, AlignedPair.doc_en == doc_id))
                .order_by(AlignedPair.doc_zh, AlignedPair.doc_en, AlignedPair.id)
            )
        )
        if not rows:
            known = session.scalar(select(func.count()).select_from(Document)) or 0
            raise DocumentNotFound(
                f"no aligned pairs for document {doc_id!r} ({known} documents are stored); "
                "use a document id from a concordance result or a job"
            )
        return pair_views(session, rows, None)


@dataclass(frozen=True)
class DocumentPairs:
    """A window of one article's pairs in sentence order, and how many it has in all.

    ``focus`` is the index in ``items`` of the pair holding the asked-for sentence.
    """

    document: DocumentRecord | None
    total: int
    offset: int
    items: tuple[PairView, ...]
    focus: int | None


def document_window(
    store: Store, doc_id: str, *, limit: int, offset: int = 0, around: int | None = None
) -> DocumentPairs:
    """``limit`` pairs of one article from ``offset``, or centred on the pair holding
    sentence ``around`` (of this document's side): an example read in its context."""
    check_page(limit, offset)
    pairs = document_pairs(store, doc_id)
    with store.reading() as session:
        row = session.get(Document, doc_id)
        document = (
            None
            if row is None
            else DocumentRecord(
                id=row.id, lang=row.lang, title=row.title, source=row.source, date=row.date
            )
        )
    focus_at = None
    if around is not None:
        focus_at = next(
            (
                i
                for i, p in enumerate(pairs)
                if around in (p.pair.zh_ids if p.pair.doc_zh == doc_id else p.pair.en_ids)
            ),
            None,
        )
        if focus_at is None:
            raise InvalidField(f"document {doc_id!r} has no aligned pair with sentence {around}")
        offset = max(0, focus_at - limit // 2)
    items = tuple(pairs[offset : offset + limit])
    focus = None if focus_at is None else focus_at - offset
    return DocumentPairs(
        document=document, total=len(pairs), offset=offset, items=items, focus=focus
    )


Decision = tuple[str, Status, str | None]
"""An equivalent's English, its new status, and its new note (``None``: unchanged)."""


def create_term(
    store: Store,
    *,
    zh: str,
    definition: str,
    note: str,
    decisions: Sequence[Decision],
    reviewer: str,
) -> TermView:
    """Add a term and its first reviewed equivalents, all in one transaction: a decision
    that fails leaves no term behind."""
    with store.writing() as session:
        term = add_term_in(session, zh=zh, definition=definition, note=note, reviewer=reviewer)
        session.flush()
        _review_all(session, zh=term.zh, decisions=decisions, reviewer=reviewer)
        return view_in(session, term, examples=5)


def edit_term(
    store: Store,
    term_id: int,
    *,
    definition: str | None,
    note: str | None,
    decisions: Sequence[Decision],
    reviewer: str,
    renames: Sequence[tuple[str, str]] = (),
    revision: str | None = None,
) -> TermView:
    """Change a term's definition or note, correct equivalents' wording (``renames``, old
    and new English), and decide on its equivalents; each change is audited.

    One transaction: if any change fails (a rename onto a wording the term has, an unknown
    status), none is stored, and the audit trail records none. ``revision``, the term's
    ``TermView.revision`` when the editor read it: if the term changed since, nothing is
    stored and ``StoreConflict`` says by whom.
    """
    with store.writing() as session:
        # Locked before it is read, so two edits made on one read run one after the other
        # on PostgreSQL and the second sees the first (SQLite's writers are one at a time).
        session.execute(select(Term.id).where(Term.id == term_id).with_for_update())
        term = term_by_id(session, term_id)
        if revision is not None:
            _refuse_stale(session, term, revision)
        for old, new in renames:
            rename_in(session, zh=term.zh, en=old, to=new, reviewer=reviewer)
        if definition is not None or note is not None:
            update_term_in(session, term_id, definition=definition, note=note, reviewer=reviewer)
        _review_all(session, zh=term.zh, decisions=decisions, reviewer=reviewer)
        return view_in(session, term, examples=5)


def _refuse_stale(session: Session, term: Term, revision: str) -> None:
    """``StoreConflict`` if ``term`` is no longer at ``revision``, naming its last editor."""
    if view_in(session, term, examples=0).revision == revision:
        return
    last = session.scalars(
        select(ReviewEvent).where(ReviewEvent.zh == term.zh).order_by(ReviewEvent.id.desc())
    ).first()
    by = f" (last by {last.reviewer} at {aware(last.at):%Y-%m-%d %H:%M} UTC)" if last else ""
    raise StoreConflict(
        f"term {term.zh!r} was changed since you read it{by}; nothing was saved: "
        "look it up again and make your change on what it holds now"
    )


def set_statuses(store: Store, *, zh: str, decisions: Sequence[Decision], reviewer: str) -> None:
    """Apply several reviews of one term's equivalents, in order, in one transaction.

    Making one equivalent preferred demotes the term's other preferred ones to admitted in
    the same transaction (``reviewing.decide``), so a term has one preferred rendering as
    a translator expects.
    """
    with store.writing() as session:
        _review_all(session, zh=zh, decisions=decisions, reviewer=reviewer)


def _review_all(session: Session, *, zh: str, decisions: Sequence[Decision], reviewer: str) -> None:
    for en, status, note in decisions:
        review_in(session, zh=zh, en=en, status=status, note=note, reviewer=reviewer)
        session.flush()
