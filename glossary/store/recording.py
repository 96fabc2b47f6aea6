"""Recording provenance: the articles aligned and the aligned pairs they yielded."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from glossary.store.engine import Store
from glossary.store.models import AlignedPair, Document
from glossary.store.validation import required
from glossary.store.views import DocumentRecord, PairRecord


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
    """Insert or update aligned pairs (keyed by documents and sentence ids); returns new ones."""
    corpus = required(corpus_id, "corpus_id", 200)
    added = 0
    with store.writing() as session:
        for pair in pairs:
            zh_ids, en_ids = _ids(pair.zh_ids), _ids(pair.en_ids)
            row = session.scalar(
                select(AlignedPair).where(
                    AlignedPair.doc_zh == pair.doc_zh,
                    AlignedPair.doc_en == pair.doc_en,
                    AlignedPair.zh_ids == zh_ids,
                    AlignedPair.en_ids == en_ids,
                )
            )
            if row is None:
                row = AlignedPair(
                    doc_zh=pair.doc_zh, doc_en=pair.doc_en, zh_ids=zh_ids, en_ids=en_ids
                )
                session.add(row)
                added += 1
            values = {
                "corpus_id": corpus,
                "zh_text": pair.zh_text,
                "en_text": pair.en_text,
                "score": pair.score,
            }
            for field, value in values.items():
                if getattr(row, field) != value:
                    setattr(row, field, value)
            session.flush()
    return added


def _ids(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))
