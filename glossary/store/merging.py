"""Merging extracted terms into the store as the current evidence of one corpus.

Rules that protect people's work:
- ``merge_entries`` is a rebuild: merging the same corpus again replaces that corpus's
  figures (``Contribution``) instead of adding to them; examples are recorded once each.
- An equivalent a person reviewed (status other than proposed, or ``reviewed_by`` set)
  keeps its status, note and English through every merge and is never deleted by one.
- A failure anywhere inside a call rolls the whole call back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from glossary.errors import InvalidField
from glossary.store.engine import CHUNK, Store
from glossary.store.evidence import add_examples, example_keys, refresh_figures, set_contribution
from glossary.store.models import (
    IMPORTED_CORPUS,
    MAX_EN_CHARS,
    MAX_ZH_CHARS,
    Contribution,
    Equivalent,
    Term,
)
from glossary.store.validation import check_figures, required
from glossary.store.views import MergeReport
from glossary.types import TermEntry


def merge_entries(store: Store, entries: Iterable[TermEntry], *, corpus_id: str) -> MergeReport:
    """Merge extracted entries into the store as the current evidence of ``corpus_id``.

    ``corpus_id`` names the body of text the entries come from. Merging the same corpus
    again replaces its frequencies and confidences (so a rebuild changes nothing); a
    different corpus (new articles) adds to them. Unreviewed extracted equivalents that no
    corpus supports any more are removed; reviewed ones are kept untouched.
    """
    corpus = required(corpus_id, "corpus_id", 200)
    if corpus == IMPORTED_CORPUS:
        raise InvalidField(f"corpus_id {IMPORTED_CORPUS!r} is reserved for imported figures")
    counts: dict[str, int] = dict.fromkeys(MergeReport.__dataclass_fields__, 0)
    with store.writing() as session:
        supported: set[int] = set()
        for chunk in _chunks(entries, CHUNK):
            supported |= _merge_chunk(session, chunk, corpus, counts)
            session.flush()
        _retire(session, corpus, supported, counts)
    return MergeReport(**counts)


def _chunks(items: Iterable[TermEntry], size: int) -> Iterator[list[TermEntry]]:
    chunk: list[TermEntry] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _merge_chunk(
    session: Session, chunk: list[TermEntry], corpus: str, counts: dict[str, int]
) -> set[int]:
    zhs = [required(entry.zh, "term", MAX_ZH_CHARS) for entry in chunk]
    terms = terms_by_zh(session, zhs, with_equivalents=True)
    known_examples = example_keys(
        session, [eq for term in terms.values() for eq in term.equivalents]
    )
    touched: list[Equivalent] = []
    for zh, entry in zip(zhs, chunk, strict=True):
        term = terms.get(zh)
        if term is None:
            term = Term.create(zh, termhood=entry.termhood)
            session.add(term)
            terms[zh] = term
            counts["terms_added"] += 1
        elif entry.termhood > term.termhood:
            term.termhood = entry.termhood
        by_en = {eq.en: eq for eq in term.equivalents}
        for extracted in entry.equivalents:
            en = required(extracted.en, f"equivalent of {zh}", MAX_EN_CHARS)
            check_figures(extracted.frequency, extracted.confidence, f"{zh} → {en}")
            row = by_en.get(en)
            if row is None:
                row = Equivalent.create(
                    en, status="proposed", origin="extracted", note=extracted.note
                )
                term.equivalents.append(row)
                by_en[en] = row
                counts["equivalents_added"] += 1
            elif row.is_reviewed:
                counts["reviewed_kept"] += 1
            elif row.note != extracted.note:
                row.note = extracted.note
                counts["equivalents_updated"] += 1
            set_contribution(row, corpus, extracted.frequency, extracted.confidence)
            if refresh_figures(row) and row.id is not None:
                counts["equivalents_updated"] += 1
            counts["examples_added"] += add_examples(row, extracted.examples, known_examples)
            touched.append(row)
    session.flush()
    return {row.id for row in touched}


def terms_by_zh(session: Session, zhs: Sequence[str], *, with_equivalents: bool) -> dict[str, Term]:
    query = select(Term).where(Term.zh.in_(set(zhs)))
    if with_equivalents:
        query = query.options(selectinload(Term.equivalents).selectinload(Equivalent.contributions))
    return {term.zh: term for term in session.scalars(query)}


def _retire(session: Session, corpus: str, supported: set[int], counts: dict[str, int]) -> None:
    """Drop this corpus's evidence for equivalents it no longer proposes."""
    previous = set(
        session.scalars(select(Contribution.equivalent_id).where(Contribution.corpus_id == corpus))
    )
    stale = sorted(previous - supported)
    for start in range(0, len(stale), CHUNK):
        ids = stale[start : start + CHUNK]
        session.execute(
            delete(Contribution).where(
                Contribution.corpus_id == corpus, Contribution.equivalent_id.in_(ids)
            )
        )
        # populate_existing: the bulk delete above left loaded collections stale.
        rows = session.scalars(
            select(Equivalent)
            .where(Equivalent.id.in_(ids))
            .options(selectinload(Equivalent.contributions))
            .execution_options(populate_existing=True)
        )
        for row in rows:
            if not row.contributions and not row.is_reviewed and row.origin == "extracted":
                session.delete(row)
                counts["equivalents_removed"] += 1
            elif refresh_figures(row):
                counts["equivalents_updated"] += 1
