"""Reading aligned pairs back: a concordance search, and every pair for the TMX export.

The search goes through the full-text index (``glossary.store.fulltext``) where the
database has one, so it costs the matches, not the size of the corpus; filters and the
total are computed in the database, and only the requested page is turned into views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, column, func, literal_column, or_, select, table
from sqlalchemy.orm import Session

from glossary.errors import InvalidField
from glossary.store import fulltext
from glossary.store.engine import Store
from glossary.store.models import AlignedPair, Document
from glossary.store.validation import check_page, is_chinese, query_text
from glossary.store.views import ConcordancePage, DocumentRecord, PairRecord, PairView
from glossary.types import Span

Sort = Literal["score", "date", "document"]
SORTS: tuple[Sort, ...] = ("score", "date", "document")
_FTS = table(fulltext.FTS_TABLE, column("rowid"), column("zh_text"), column("en_text"))


@dataclass(frozen=True)
class PairFilter:
    """Which pairs a concordance keeps besides the query; empty fields keep everything.

    ``doc`` is a document id (either side); ``source`` a case-insensitive part of an
    article's source; dates compare as text on a prefix, so ``date_to="2022-01"`` keeps
    "2022-01-25". A pair passes a document condition if either of its articles does.
    """

    doc: str | None = None
    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    min_score: float = 0.0


def concordance(
    store: Store,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    sort: Sort = "score",
    where: PairFilter = PairFilter(),
) -> ConcordancePage:
    """Aligned pairs whose Chinese (or, for a non-Chinese query, either) side contains it.

    Sorted by pair score (best first), by the article's date (newest first) or by
    document and position; ``total`` counts every match that passes the filter.
    """
    q = query_text(query, "a Chinese or English word or phrase")
    check_page(limit, offset)
    if sort not in SORTS:
        raise InvalidField(f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    with store.reading() as session:
        kind = fulltext.index_kind(session.connection())
        conditions = [_matching(q, kind), *_filtered(where)]
        total = (
            session.scalar(select(func.count()).select_from(AlignedPair).where(*conditions)) or 0
        )
        rows = list(
            session.scalars(
                select(AlignedPair)
                .where(*conditions)
                .order_by(*_order(sort))
                .offset(offset)
                .limit(limit)
            )
        )
        items = tuple(pair_views(session, rows, q))
    used = kind if kind == "pg_trgm" or len(q) >= fulltext.MIN_CHARS else "scan"
    return ConcordancePage(query=q, total=total, items=items, index=used)


def _matching(q: str, kind: fulltext.IndexKind) -> ColumnElement[bool]:
    """The query as a condition: an FTS5 phrase where the index serves it, else ``LIKE``."""
    chinese = is_chinese(q)
    if kind == "fts5-trigram" and len(q) >= fulltext.MIN_CHARS:
        phrase = '"' + q.replace('"', '""') + '"'
        target: Any = _FTS.c.zh_text if chinese else literal_column(fulltext.FTS_TABLE)
        return AlignedPair.id.in_(select(_FTS.c.rowid).where(target.op("MATCH")(phrase)))
    zh = AlignedPair.zh_text.contains(q, autoescape=True)
    if chinese:
        return zh
    return or_(func.lower(AlignedPair.en_text).contains(q.lower(), autoescape=True), zh)


def _filtered(where: PairFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.min_score > 0:
        conditions.append(AlignedPair.score >= where.min_score)
    if where.doc:
        conditions.append(or_(AlignedPair.doc_zh == where.doc, AlignedPair.doc_en == where.doc))
    documents: list[ColumnElement[bool]] = []
    if where.source:
        documents.append(
            func.lower(Document.source).contains(where.source.lower(), autoescape=True)
        )
    if where.date_from:
        documents.append(Document.date >= where.date_from)
    if where.date_to:
        documents += [
            Document.date != "",
            func.substr(Document.date, 1, len(where.date_to)) <= where.date_to,
        ]
    if documents:
        ids = select(Document.id).where(*documents)
        conditions.append(or_(AlignedPair.doc_zh.in_(ids), AlignedPair.doc_en.in_(ids)))
    return conditions


def _order(sort: Sort) -> tuple[Any, ...]:
    if sort == "date":
        date = select(Document.date).where(Document.id == AlignedPair.doc_zh).scalar_subquery()
        return (date.desc(), AlignedPair.score.desc(), AlignedPair.id)
    if sort == "document":
        return (AlignedPair.doc_zh, AlignedPair.doc_en, AlignedPair.id)
    return (AlignedPair.score.desc(), AlignedPair.id)


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
    docs = (
        {
            d.id: DocumentRecord(id=d.id, lang=d.lang, title=d.title, source=d.source, date=d.date)
            for d in session.scalars(select(Document).where(Document.id.in_(doc_ids)))
        }
        if doc_ids
        else {}
    )
    return [
        PairView(
            pair=PairRecord(
                doc_zh=row.doc_zh,
                doc_en=row.doc_en,
                zh_ids=_parse_ids(row.zh_ids),
                en_ids=_parse_ids(row.en_ids),
                zh_text=row.zh_text,
                en_text=row.en_text,
                score=row.score,
            ),
            zh_doc=docs.get(row.doc_zh),
            en_doc=docs.get(row.doc_en),
            zh_hits=_hits(row.zh_text.lower(), q.lower()) if q else (),
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
