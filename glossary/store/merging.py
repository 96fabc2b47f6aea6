"""Merging extracted terms into the store as the current evidence of one corpus.

Rules that protect people's work:
- ``merge_entries`` is a rebuild: merging the same corpus again replaces that corpus's
  figures (``Contribution``) instead of adding to them; examples are recorded once each.
- An equivalent a person or a curated list decided (status other than proposed, or
  ``reviewed_by`` set) keeps its status, note and English through every merge and is never
  deleted by one; a curated or imported row keeps its note even while undecided.
- A merge changes only its own corpus's evidence: another corpus's contributions and
  examples are never touched, so each batch or corpus needs an id of its own.
- A failure anywhere inside a call rolls the whole call back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from glossary.errors import InvalidField
from glossary.store.engine import CHUNK, Store
from glossary.store.evidence import add_examples, example_keys, refresh_figures, set_contribution
from glossary.store.inserting import NewTerm, insert_terms
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
from glossary.types import Equivalent as Extracted
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
    """Merge one chunk: terms the store lacks go in bulk (``inserting``), the rest, and
    any term written twice in the chunk or with one English twice, through the ORM."""
    zhs = [required(entry.zh, "term", MAX_ZH_CHARS) for entry in chunk]
    checked = [_checked(zh, entry) for zh, entry in zip(zhs, chunk, strict=True)]
    terms = terms_by_zh(session, zhs, with_equivalents=True)
    written = Counter(zhs)
    fresh, rest = [], []
    for zh, entry, equivalents in zip(zhs, chunk, checked, strict=True):
        if zh in terms or written[zh] > 1 or len({en for en, _ in equivalents}) < len(equivalents):
            rest.append((zh, entry, equivalents))
        else:
            fresh.append(NewTerm(zh, entry.termhood, equivalents))
    inserted = insert_terms(session, fresh, corpus)
    counts["terms_added"] += len(fresh)
    counts["equivalents_added"] += len(inserted.equivalent_ids)
    counts["examples_added"] += inserted.examples
    return set(inserted.equivalent_ids) | _merge_rows(session, rest, terms, corpus, counts)


def _checked(zh: str, entry: TermEntry) -> tuple[tuple[str, Extracted], ...]:
    """The entry's equivalents with their English cleaned, each checked."""
    out = []
    for extracted in entry.equivalents:
        en = required(extracted.en, f"equivalent of {zh}", MAX_EN_CHARS)
        check_figures(extracted.frequency, extracted.confidence, f"{zh} → {en}")
        out.append((en, extracted))
    return tuple(out)


def _merge_rows(
    session: Session,
    entries: list[tuple[str, TermEntry, tuple[tuple[str, Extracted], ...]]],
    terms: dict[str, Term],
    corpus: str,
    counts: dict[str, int],
) -> set[int]:
    """Merge entries as ORM rows: the path for terms already stored (a rebuild, another
    corpus, reviewed rows), where every rule of this module's docstring is decided."""
    if not entries:
        return set()
    known_examples = example_keys(
        session, [eq for term in terms.values() for eq in term.equivalents]
    )
    touched: list[Equivalent] = []
    for zh, entry, equivalents in entries:
        term = terms.get(zh)
        if term is None:
            term = Term.create(zh, termhood=entry.termhood)
            session.add(term)
            terms[zh] = term
            counts["terms_added"] += 1
        elif entry.termhood > term.termhood:
            term.termhood = entry.termhood
        by_en = {eq.en: eq for eq in term.equivalents}
        for en, extracted in equivalents:
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
            elif row.origin == "extracted" and row.note != extracted.note:
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
