"""Align one article pair given as text: shared by ``POST /api/align`` and batch jobs."""

from __future__ import annotations

from align.document import make_document
from align.encoders import Encoder
from align.errors import InputError
from align.pipeline import align_documents
from align.types import Alignment
from glossary.store.views import DocumentRecord


class TooManySentences(InputError):
    """A text has more sentences than the caller allows (HTTP 413)."""


def align_texts(
    src_text: str,
    tgt_text: str,
    *,
    mode: str,
    encoder: Encoder,
    src_name: str = "source",
    tgt_name: str = "target",
    max_sentences: int | None = None,
) -> Alignment:
    """Split both texts and align them; an unusable text is an ``InputError`` naming it.

    ``max_sentences`` bounds each side before any encoding: alignment time grows with the
    sentence count, so the synchronous endpoint refuses what would take too long.
    """
    src = make_document(src_text, name=src_name)
    tgt = make_document(tgt_text, name=tgt_name)
    for document in (src, tgt):
        if max_sentences is not None and len(document) > max_sentences:
            raise TooManySentences(
                f"{document.name} has {len(document):,} sentences, more than the limit of "
                f"{max_sentences:,} for a synchronous alignment; submit it as a batch job "
                "(POST /api/jobs) instead"
            )
    return align_documents(src, tgt, mode=mode, encoder=encoder)


def zh_en(alignment: Alignment) -> tuple[bool, str, str]:
    """Whether the source is English (the sides are swapped), then the zh and en doc names."""
    swapped = alignment.src.lang == "en"
    zh, en = (alignment.tgt, alignment.src) if swapped else (alignment.src, alignment.tgt)
    return swapped, zh.name, en.name


def document_records(
    *, doc_zh: str, doc_en: str, title: str, source: str, date: str
) -> list[DocumentRecord]:
    return [
        DocumentRecord(id=doc_zh, lang="zh", title=title, source=source, date=date),
        DocumentRecord(id=doc_en, lang="en", title=title, source=source, date=date),
    ]
