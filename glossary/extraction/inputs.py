"""Checks on what extraction is handed, shared by both extraction paths."""

from __future__ import annotations

from collections.abc import Sequence

from align.errors import InputError, LanguageError
from align.types import Alignment, Document


def check_inputs(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    *,
    k: int,
    min_confidence: float,
    max_equivalents: int,
) -> None:
    """A clear error for documents in the wrong language or settings out of range."""
    for doc in zh_docs:
        if doc.lang != "zh":
            raise LanguageError(
                f"{doc.name or 'a document'} is {doc.lang}, not zh: pass it in en_docs"
            )
    for doc in en_docs:
        if doc.lang != "en":
            raise LanguageError(
                f"{doc.name or 'a document'} is {doc.lang}, not en: pass it in zh_docs"
            )
    if k < 1:
        raise InputError(
            f"k must be at least 1 (got {k}): it is how many English sentences to search"
        )
    if not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"min_confidence must be in [0, 1] (got {min_confidence})")
    if max_equivalents < 1:
        raise InputError(f"max_equivalents must be at least 1 (got {max_equivalents})")


def placed(
    alignment: Alignment, zh_docs: Sequence[Document], en_docs: Sequence[Document]
) -> tuple[int, int, bool]:
    """Indices of an alignment's Chinese and English documents, and whether Chinese is its
    target; an alignment of documents not among those passed is an error."""
    zh_doc, en_doc, swapped = alignment.src, alignment.tgt, False
    if zh_doc.lang == "en":
        zh_doc, en_doc, swapped = en_doc, zh_doc, True
    d = _position(zh_doc, zh_docs)
    e = _position(en_doc, en_docs)
    if d is None or e is None:
        raise InputError(
            "an alignment refers to a document that is not among zh_docs/en_docs: "
            "pass the same Document objects to both"
        )
    return d, e, swapped


def _position(doc: Document, docs: Sequence[Document]) -> int | None:
    for i, candidate in enumerate(docs):
        if candidate is doc:
            return i
    for i, candidate in enumerate(docs):
        if candidate == doc:
            return i
    return None
