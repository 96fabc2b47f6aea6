"""Recording provenance: the articles aligned and the aligned pairs they yielded."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from glossary.store.engine import Store
from glossary.store.models import AlignedPair, Document
from glossary.store.validation import required
from glossary.store.views import DocumentRecord, PairRecord

_PairKey = tuple[str, str, str, str]
"""An aligned pair's unique columns: its documents and each side's sentence ids."""


def record_documents(store: Store, documents: Iterable[DocumentRecord]) -> int:
    """Insert or update the provenance of articles; returns how many were new."""
    added = 0
    with store.writing() as session:
        for doc in documents:
            doc_id = required(doc.id, "document id", 64)
            row = session.get(Document, doc_id)
            if row is None:
                row = Document(id=doc_id)
                session.add(row)
                added += 1
            for field in ("lang", "title", "source", "date"):
                if getattr(row, field) != getattr(doc, field):
                    setattr(row, field, getattr(doc, field))
    return added


def record_pairs(store: Store, pairs: Iterable[PairRecord], *, corpus_id: str) -> int:
    """Insert or update aligned pairs (keyed by documents and sentence ids); returns new ones.

    The pairs already stored are read per document pair, one query each, and the new ones
    inserted in one executemany (the full-text triggers fire per row either way): a SELECT
    and a flush per pair cost 1.1 s (under cProfile) on one HKMA year. A pair given twice is stored
    once, with the values it was given last.
    """
    corpus = required(corpus_id, "corpus_id", 200)
    with store.writing() as session:
        stored: dict[_PairKey, AlignedPair] = {}
        read: set[tuple[str, str]] = set()
        new: dict[_PairKey, dict[str, object]] = {}
        for pair in pairs:
            key = (pair.doc_zh, pair.doc_en, _ids(pair.zh_ids), _ids(pair.en_ids))
            if (pair.doc_zh, pair.doc_en) not in read:
                read.add((pair.doc_zh, pair.doc_en))
                stored.update(_stored(session, pair.doc_zh, pair.doc_en))
            values = {
                "corpus_id": corpus,
                "zh_text": pair.zh_text,
                "en_text": pair.en_text,
                "score": pair.score,
            }
            row = stored.get(key)
            if row is None:
                new[key] = {
                    "doc_zh": pair.doc_zh,
                    "doc_en": pair.doc_en,
                    "zh_ids": key[2],
                    "en_ids": key[3],
                    **values,
                }
                continue
            for field, value in values.items():
                if getattr(row, field) != value:
                    setattr(row, field, value)
        if new:
            session.execute(insert(AlignedPair), list(new.values()))
    return len(new)


def _stored(session: Session, doc_zh: str, doc_en: str) -> dict[_PairKey, AlignedPair]:
    rows = session.scalars(
        select(AlignedPair).where(AlignedPair.doc_zh == doc_zh, AlignedPair.doc_en == doc_en)
    )
    return {(row.doc_zh, row.doc_en, row.zh_ids, row.en_ids): row for row in rows}


def _ids(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))
