"""Merging extracted terms into the store as the current evidence of one corpus.

Rules that protect people's work:
- ``merge_entries`` is a rebuild: merging the same corpus again replaces that corpus's
  figures (``Contribution``) instead of adding to them; examples are recorded once each.
- An equivalent a person or a curated list decided (status other than proposed, or
  ``reviewed_by`` set) keeps its status, note and English through every merge and is never
  deleted by one; a curated or imported row keeps its note even while undecided.
- A merge changes only its own corpus's evidence: another corpus's contributions and
  examples are never touched, so each batch or corpus needs an id of its own.
- A term is one entry in both scripts: an entry joins the stored term with the same
  simplified form (``Term.simplified``), its equivalents matched on their English as
  always. Each contribution records how its corpus wrote the term (``Contribution.zh``) and
  the term shows the spelling whose contributions sum to the most frequency (a tie keeps
  the one shown), so a rebuild that replaces a corpus's figures also replaces its vote.
- A term whose last equivalents a merge retires is removed with them unless something
  is left: a note, a definition, a person's edit, or the corpus still proposing the term.
- A failure anywhere inside a call rolls the whole call back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from align.scripts import to_simplified
from glossary.errors import InvalidField
from glossary.store.engine import CHUNK, Store
from glossary.store.evidence import (
    add_examples,
    example_keys,
    refresh_figures,
    set_contribution,
    totals,
)
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
    different corpus (new articles) adds to them, whichever script either writes the term
    in. Unreviewed extracted equivalents that no corpus supports any more are removed, and
    a term left with nothing goes with them; reviewed ones are kept untouched.
    """
    corpus = required(corpus_id, "corpus_id", 200)
    if corpus == IMPORTED_CORPUS:
        raise InvalidField(f"corpus_id {IMPORTED_CORPUS!r} is reserved for imported figures")
    counts: dict[str, int] = dict.fromkeys(MergeReport.__dataclass_fields__, 0)
    with store.writing() as session:
        supported: set[int] = set()
        respell: set[int] = set()
        proposed: set[int] = set()
        for chunk in _chunks(entries, CHUNK):
            supported |= _merge_chunk(session, chunk, corpus, counts, supported, respell, proposed)
            session.flush()
        # A term this corpus still proposes stays, as a new one with no equivalent would;
        # its spelling changes only if it has evidence in two (then it is in respell).
        dropped = _retire(session, corpus, supported, counts) - proposed
        counts["terms_removed"] = _settle(session, respell | dropped, removable=dropped)
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
    session: Session,
    chunk: list[TermEntry],
    corpus: str,
    counts: dict[str, int],
    merged: set[int],
    respell: set[int],
    proposed: set[int],
) -> set[int]:
    """Merge one chunk: terms the store lacks go in bulk (``inserting``), the rest, and
    any term written twice in the chunk (in either script) or with one English twice,
    through the ORM. ``merged``: the equivalents earlier chunks gave figures to."""
    zhs = [required(entry.zh, "term", MAX_ZH_CHARS) for entry in chunk]
    checked = [_checked(zh, entry) for zh, entry in zip(zhs, chunk, strict=True)]
    terms = terms_by_zh(session, zhs, with_equivalents=True)
    written = Counter(to_simplified(zh) for zh in zhs)
    fresh, rest = [], []
    for zh, entry, equivalents in zip(zhs, chunk, checked, strict=True):
        twice = written[to_simplified(zh)] > 1
        if zh in terms or twice or len({en for en, _ in equivalents}) < len(equivalents):
            rest.append((zh, entry, equivalents))
        else:
            fresh.append(NewTerm(zh, entry.termhood, equivalents))
    inserted = insert_terms(session, fresh, corpus)
    counts["terms_added"] += len(fresh)
    counts["equivalents_added"] += len(inserted.equivalent_ids)
    counts["examples_added"] += inserted.examples
    given = _merge_rows(session, rest, terms, corpus, counts, merged, respell, proposed)
    return set(inserted.equivalent_ids) | given


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
    terms: TermsByZh,
    corpus: str,
    counts: dict[str, int],
    merged: set[int],
    respell: set[int],
    proposed: set[int],
) -> set[int]:
    """Merge entries as ORM rows: the path for terms already stored (a rebuild, another
    corpus, reviewed rows), where every rule of this module's docstring is decided.
    Every term merged goes into ``proposed``, one with evidence in another spelling than
    the one shown into ``respell``."""
    if not entries:
        return set()
    known_examples = example_keys(
        session, [eq for term in terms.values() for eq in term.equivalents]
    )
    touched: list[Equivalent] = []
    given: set[Equivalent] = set()
    spelled: dict[int, Term] = {}  # by id(): new terms have no id before the flush
    for zh, entry, equivalents in entries:
        term = terms.oldest(zh)
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
            again = row in given or (row.id is not None and row.id in merged)
            _contribute(row, corpus, zh, extracted, again=again)
            given.add(row)
            if refresh_figures(row) and row.id is not None:
                counts["equivalents_updated"] += 1
            counts["examples_added"] += add_examples(row, extracted.examples, known_examples)
            touched.append(row)
        spelled[id(term)] = term
    session.flush()
    for term in spelled.values():
        proposed.add(term.id)
        if set(_spellings(term)) - {term.zh}:  # shown at the end, once every chunk voted
            respell.add(term.id)
    return {row.id for row in touched}


def _contribute(
    row: Equivalent, corpus: str, zh: str, extracted: Extracted, *, again: bool
) -> None:
    """Set ``corpus``'s figures on ``row``, the term written ``zh``.

    ``again``: this merge already gave the row figures. The same spelling again is the
    same entry given twice, and the last one given is kept; the other script is more of
    the corpus's text, so the figures add up, counted as the spelling with more of them.
    """
    frequency, confidence = extracted.frequency, extracted.confidence
    mine = next((c for c in row.contributions if c.corpus_id == corpus), None)
    if mine is None:
        row.contributions.append(
            Contribution(corpus_id=corpus, frequency=frequency, confidence=confidence, zh=zh)
        )
        return
    if again and mine.zh != zh:
        if frequency <= mine.frequency and mine.zh is not None:
            zh = mine.zh
        frequency, confidence = totals(
            [(corpus, mine.frequency, mine.confidence), (corpus, frequency, confidence)]
        )
    set_contribution(row, corpus, frequency, confidence)
    if mine.zh != zh:
        mine.zh = zh


def show_most_written(session: Session, term: Term) -> None:
    """Show ``term`` in the spelling whose contributions sum to the most frequency.

    Needs the term's equivalents and their contributions loaded. A tie keeps the spelling
    shown; contributions with no spelling (imported figures) do not vote. A spelling that
    another entry holds is not taken (a store from before terms were matched across
    scripts may have both).
    """
    weights = _spellings(term)
    weights[term.zh] += 0
    best = max(weights, key=lambda zh: (weights[zh], zh == term.zh, zh))
    if best == term.zh:
        return
    if session.scalar(select(Term.id).where(Term.zh == best, Term.id != term.id)) is not None:
        return
    term.zh = best
    term.search_keys = Term.keys_for(best)


def _spellings(term: Term) -> Counter[str]:
    """The frequency contributed under each spelling of the term."""
    weights: Counter[str] = Counter()
    for equivalent in term.equivalents:
        for contribution in equivalent.contributions:
            if contribution.zh is not None:
                weights[contribution.zh] += contribution.frequency
    return weights


class TermsByZh:
    """Stored terms found by either script: keyed by their simplified form.

    A store written before terms were matched across scripts may hold both spellings of a
    term as two entries: ``get`` then gives the one written as asked (a person's review,
    a file's row), ``oldest`` the first made, where merges add their evidence, so that the
    other's extracted rows retire with the next merge of their corpus and the emptied
    entry goes.
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        self._by_key: dict[str, list[Term]] = {}
        for term in sorted(terms, key=lambda t: t.id):
            self._by_key.setdefault(term.simplified, []).append(term)

    def get(self, zh: str, default: Term | None = None) -> Term | None:
        found = self._by_key.get(to_simplified(zh))
        if not found:
            return default
        return next((term for term in found if term.zh == zh), found[0])

    def oldest(self, zh: str) -> Term | None:
        found = self._by_key.get(to_simplified(zh))
        return found[0] if found else None

    def __getitem__(self, zh: str) -> Term:
        term = self.get(zh)
        if term is None:
            raise KeyError(zh)
        return term

    def __setitem__(self, zh: str, term: Term) -> None:
        """Add a new term (one the store did not hold under this simplified form)."""
        self._by_key.setdefault(to_simplified(zh), []).append(term)

    def __contains__(self, zh: object) -> bool:
        return isinstance(zh, str) and bool(self._by_key.get(to_simplified(zh)))

    def values(self) -> list[Term]:
        """Every term found, each once."""
        return [term for found in self._by_key.values() for term in found]


def terms_by_zh(session: Session, zhs: Sequence[str], *, with_equivalents: bool) -> TermsByZh:
    """The stored terms of ``zhs``, in either script (``Term.simplified``)."""
    query = select(Term).where(Term.simplified.in_({to_simplified(zh) for zh in zhs}))
    if with_equivalents:
        query = query.options(selectinload(Term.equivalents).selectinload(Equivalent.contributions))
    return TermsByZh(session.scalars(query))


def _retire(session: Session, corpus: str, supported: set[int], counts: dict[str, int]) -> set[int]:
    """Drop this corpus's evidence for equivalents it no longer proposes; returns the
    terms whose evidence changed."""
    previous = set(
        session.scalars(select(Contribution.equivalent_id).where(Contribution.corpus_id == corpus))
    )
    stale = sorted(previous - supported)
    changed: set[int] = set()
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
            changed.add(row.term_id)
            if not row.contributions and not row.is_reviewed and row.origin == "extracted":
                session.delete(row)
                counts["equivalents_removed"] += 1
            elif refresh_figures(row):
                counts["equivalents_updated"] += 1
    session.flush()
    return changed


def _settle(session: Session, term_ids: set[int], *, removable: set[int]) -> int:
    """Remove the terms of ``removable`` left with nothing (no equivalent, note or
    definition, and no person's edit), then show the rest of ``term_ids`` as they are now
    most often written (``show_most_written``), a spelling the removed ones held included.
    Returns how many terms went."""
    ids = sorted(term_ids | removable)
    kept: list[Term] = []
    removed = 0
    for start in range(0, len(ids), CHUNK):
        # populate_existing: the retire's bulk delete left loaded collections stale.
        terms = session.scalars(
            select(Term)
            .where(Term.id.in_(ids[start : start + CHUNK]))
            .options(selectinload(Term.equivalents).selectinload(Equivalent.contributions))
            .execution_options(populate_existing=True)
        )
        for term in terms:
            if term.id in removable and _nothing_left(term):
                session.delete(term)
                removed += 1
            else:
                kept.append(term)
    session.flush()
    for term in kept:
        show_most_written(session, term)
    session.flush()
    return removed


def _nothing_left(term: Term) -> bool:
    return not (term.equivalents or term.note or term.definition or term.edited_by is not None)
