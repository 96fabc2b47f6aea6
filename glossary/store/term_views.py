"""Frozen views of terms, built from plain rows in a few queries (the read side's core).

Used by every function that returns a ``TermView``: lookups and a person's edits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Connection, Integer, Row, bindparam, func, select
from sqlalchemy.orm import Session

from glossary.store.models import Document, Equivalent, Example, Term
from glossary.store.views import DocumentRecord, EquivalentView, ExampleView, TermView
from glossary.types import Span, Status

CONFIDENT_PAIR = 0.5
"""Pair scores are calibrated probabilities that a pair is right (see align): at or above
this a pair is more likely right than wrong; the page keeps weaker ones behind "more"."""
OVERFETCH = 3
"""Rows read per example wanted, so that dropping repeats still leaves enough."""
STATUS_RANK: Mapping[str, int] = {
    "preferred": 0,
    "admitted": 1,
    "proposed": 2,
    "deprecated": 3,
    "rejected": 4,
}


def term_views(session: Session, term_ids: Sequence[int], *, examples: int) -> list[TermView]:
    """Views of the given terms, in the given order, in at most four queries.

    Plain rows, not ORM objects, from statements built once (``_view_statements``): a
    lookup is read-only and this is most of its time. Examples and their documents are
    only asked for when the sources query found some.
    """
    if not term_ids:
        return []
    statements = _view_statements()
    connection = session.connection()
    terms: dict[int, Row[Any]] = {}
    by_term: dict[int, list[Row[Any]]] = {}
    for row in connection.execute(statements.terms, {"ids": list(term_ids)}):
        terms[row.id] = row
        if row.eq_id is not None:
            by_term.setdefault(row.id, []).append(row)
    eq_ids = [eq.eq_id for rows in by_term.values() for eq in rows]
    sources = _sources(connection, eq_ids)
    attested = [eq_id for eq_id in eq_ids if eq_id in sources]
    samples = _sample_examples(connection, attested, examples)
    docs = _documents(
        connection, {d for rows in samples.values() for ex in rows for d in (ex.doc_zh, ex.doc_en)}
    )
    return [
        TermView(
            id=term.id,
            zh=term.zh,
            note=term.note,
            definition=term.definition,
            termhood=term.termhood,
            equivalents=tuple(
                sorted(
                    (
                        _equivalent_view(eq, samples.get(eq.eq_id, ()), sources, docs)
                        for eq in by_term.get(term.id, ())
                    ),
                    key=equivalent_rank,
                )
            ),
        )
        for term in (terms.get(i) for i in term_ids)
        if term is not None
    ]


@dataclass(frozen=True)
class _ViewStatements:
    """The read statements of ``term_views``, with expanding ``IN`` lists and bound limits."""

    terms: Any
    sources: Any
    samples: Any
    documents: Any


@lru_cache(maxsize=1)
def _view_statements() -> _ViewStatements:
    ids: Any = bindparam("ids", expanding=True)
    terms = (
        select(
            Term.id,
            Term.zh,
            Term.note,
            Term.definition,
            Term.termhood,
            Equivalent.id.label("eq_id"),
            Equivalent.en,
            Equivalent.status,
            Equivalent.frequency,
            Equivalent.confidence,
            Equivalent.note.label("eq_note"),
            Equivalent.origin,
            Equivalent.reviewed_by,
            Equivalent.reviewed_at,
        )
        .outerjoin(Equivalent, Equivalent.term_id == Term.id)
        .where(Term.id.in_(ids))
    )
    sources = (
        select(Example.equivalent_id, Example.doc_zh, Example.doc_en)
        .where(Example.equivalent_id.in_(ids))
        .distinct()
    )
    columns = [c for c in Example.__table__.c]
    rank = (
        func.row_number()
        .over(partition_by=Example.equivalent_id, order_by=(Example.pair_score.desc(), Example.id))
        .label("rank")
    )
    inner = select(*columns, rank).where(Example.equivalent_id.in_(ids)).subquery()
    samples = (
        select(*(inner.c[c.name] for c in columns))
        .where(inner.c.rank <= bindparam("per", type_=Integer))
        .order_by(inner.c.pair_score.desc(), inner.c.id)
    )
    documents = select(
        Document.id, Document.lang, Document.title, Document.source, Document.date
    ).where(Document.id.in_(ids))
    return _ViewStatements(terms=terms, sources=sources, samples=samples, documents=documents)


def _equivalent_view(
    eq: Row[Any],
    samples: Sequence[Row[Any]],
    sources: Mapping[int, tuple[str, ...]],
    docs: Mapping[str, DocumentRecord],
) -> EquivalentView:
    return EquivalentView(
        en=eq.en,
        status=cast(Status, eq.status),
        frequency=eq.frequency,
        confidence=eq.confidence,
        note=eq.eq_note,
        origin=eq.origin,
        reviewed_by=eq.reviewed_by,
        reviewed_at=aware(eq.reviewed_at),
        examples=tuple(_example_view(ex, docs) for ex in samples),
        sources=sources.get(eq.eq_id, ()),
    )


def equivalent_rank(eq: EquivalentView) -> tuple[int, float, int, str]:
    """Preferred first, rejected last; then by confidence, the extractor's probability that
    the rendering is right, which already weighs how often it was seen (multiplying by the
    frequency again put a common loose rendering above the extractor's first choice)."""
    return (STATUS_RANK[eq.status], -eq.confidence, -eq.frequency, eq.en)


def _sample_examples(
    connection: Connection, eq_ids: Sequence[int], per_equivalent: int
) -> dict[int, list[Row[Any]]]:
    """The best ``per_equivalent`` distinct examples of each equivalent, best first."""
    if per_equivalent <= 0 or not eq_ids:
        return {}
    rows: dict[int, list[Row[Any]]] = {}
    for ex in connection.execute(
        _view_statements().samples, {"ids": list(eq_ids), "per": per_equivalent * OVERFETCH}
    ):
        rows.setdefault(ex.equivalent_id, []).append(ex)
    return {eq_id: distinct_examples(found)[:per_equivalent] for eq_id, found in rows.items()}


def distinct_examples(rows: Sequence[Row[Any]]) -> list[Row[Any]]:
    """Examples (best first) without repeats: a pair of sentences shows once, a Chinese
    sentence once per English article, and an English sentence once per Chinese article.

    A corpus often holds the same article twice, and comparable alignment pairs one
    sentence with several sentences of the same article on the other side, most of them
    unrelated: only the best of those is worth a translator's eye, and the room goes to
    sightings elsewhere.
    """
    texts: set[tuple[str, str]] = set()
    sentences: set[tuple[str, str, int, str]] = set()
    kept = []
    for ex in rows:
        text = (ex.zh_text, ex.en_text)
        zh, en = ("zh", ex.doc_zh, ex.sent_zh, ex.doc_en), ("en", ex.doc_en, ex.sent_en, ex.doc_zh)
        if text in texts or zh in sentences or en in sentences:
            continue
        texts.add(text)
        sentences.update((zh, en))
        kept.append(ex)
    return kept


def _sources(connection: Connection, eq_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Every document attesting each equivalent; equivalents without examples are absent."""
    if not eq_ids:
        return {}
    found: dict[int, set[str]] = {}
    for eq_id, doc_zh, doc_en in connection.execute(
        _view_statements().sources, {"ids": list(eq_ids)}
    ):
        found.setdefault(eq_id, set()).update((doc_zh, doc_en))
    return {eq_id: tuple(sorted(docs)) for eq_id, docs in found.items()}


def _documents(connection: Connection, doc_ids: set[str]) -> dict[str, DocumentRecord]:
    if not doc_ids:
        return {}
    rows = connection.execute(_view_statements().documents, {"ids": sorted(doc_ids)})
    return {
        d.id: DocumentRecord(id=d.id, lang=d.lang, title=d.title, source=d.source, date=d.date)
        for d in rows
    }


def _example_view(ex: Row[Any], docs: Mapping[str, DocumentRecord]) -> ExampleView:
    return ExampleView(
        doc_zh=ex.doc_zh,
        doc_en=ex.doc_en,
        sent_zh=ex.sent_zh,
        sent_en=ex.sent_en,
        zh_text=ex.zh_text,
        en_text=ex.en_text,
        zh_span=Span(ex.zh_start, ex.zh_end),
        en_span=Span(ex.en_start, ex.en_end),
        pair_score=ex.pair_score,
        confident=ex.pair_score >= CONFIDENT_PAIR,
        zh_doc=docs.get(ex.doc_zh),
        en_doc=docs.get(ex.doc_en),
    )


def aware(moment: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; everything we store is UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
