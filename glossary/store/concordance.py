"""Reading aligned pairs back: a concordance search, and every pair for the TMX export."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from glossary.store.engine import Store
from glossary.store.models import AlignedPair, Document
from glossary.store.validation import check_page, is_chinese, query_text
from glossary.store.views import DocumentRecord, PairRecord, PairView
from glossary.types import Span


def concordance(
    store: Store, query: str, *, limit: int = 20, offset: int = 0
) -> list[PairView]:
    """Aligned pairs whose Chinese (or, for a non-Chinese query, English) side contains it."""
    q = query_text(query, "a Chinese or English word or phrase")
    check_page(limit, offset)
    condition = (
        AlignedPair.zh_text.contains(q, autoescape=True)
        if is_chinese(q)
        else or_(
            func.lower(AlignedPair.en_text).contains(q.lower(), autoescape=True),
            AlignedPair.zh_text.contains(q, autoescape=True),
        )
    )
    with store.reading() as session:
        rows = list(
            session.scalars(
                select(AlignedPair).where(condition)
                .order_by(AlignedPair.score.desc(), AlignedPair.id)
                .offset(offset).limit(limit)
            )
        )
        return pair_views(session, rows, q)


def list_pairs(store: Store, *, limit: int | None = None, offset: int = 0) -> list[PairView]:
    """Every stored aligned pair, by document and position (for the TMX export)."""
    check_page(1 if limit is None else limit, offset)
    with store.reading() as session:
        query = (
            select(AlignedPair)
            .order_by(AlignedPair.doc_zh, AlignedPair.doc_en, AlignedPair.id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        return pair_views(session, list(session.scalars(query)), None)


def pair_views(session: Session, rows: Sequence[AlignedPair], q: str | None) -> list[PairView]:
    doc_ids = {d for row in rows for d in (row.doc_zh, row.doc_en)}
    docs = {
        d.id: DocumentRecord(id=d.id, lang=d.lang, title=d.title, source=d.source, date=d.date)
        for d in session.scalars(select(Document).where(Document.id.in_(doc_ids)))
    } if doc_ids else {}
    return [
        PairView(
            pair=PairRecord(
                doc_zh=row.doc_zh, doc_en=row.doc_en, zh_ids=_parse_ids(row.zh_ids),
                en_ids=_parse_ids(row.en_ids), zh_text=row.zh_text, en_text=row.en_text,
                score=row.score,
            ),
            zh_doc=docs.get(row.doc_zh),
            en_doc=docs.get(row.doc_en),
            zh_hits=_hits(row.zh_text, q) if q else (),
            en_hits=_hits(row.en_text.lower(), q.lower()) if q else (),
        )
        for row in rows
    ]


def _hits(text: str, needle: str) -> tuple[Span, ...]:
    spans = []
    start = text.find(needle)
    while start >= 0:
        spans.append(Span(start, start + len(needle)))
        start = text.find(needle, start + len(needle))
    return tuple(spans)


def _parse_ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)
