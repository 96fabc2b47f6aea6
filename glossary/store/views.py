"""Frozen values that go into and come out of the store.

The exports and the HTTP API work on these, never on ORM rows, so nothing outside the
store's modules (``glossary.store.engine`` and the modules that take a ``Store``) holds a database
session or can change a row by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from glossary.store.revisions import term_revision
from glossary.types import Span, Status

Match = Literal["exact", "prefix", "substring", "script", "spelling", "plural", "typo"]
"""How a lookup found a term: the query as typed (exact, prefix, substring), or a form
of it (the other Chinese script, the other English spelling, the other number, one typo)."""


@dataclass(frozen=True)
class DocumentRecord:
    """Provenance of one article: shown beside every example drawn from it."""

    id: str
    lang: str
    title: str = ""
    source: str = ""
    date: str = ""


@dataclass(frozen=True)
class PairRecord:
    """One aligned bead as stored for the concordance and the TMX export."""

    doc_zh: str
    doc_en: str
    zh_ids: tuple[int, ...]
    en_ids: tuple[int, ...]
    zh_text: str
    en_text: str
    score: float


@dataclass(frozen=True)
class PairView:
    """A stored pair, with where ``query`` occurs on each side (for highlighting)."""

    pair: PairRecord
    zh_doc: DocumentRecord | None
    en_doc: DocumentRecord | None
    zh_hits: tuple[Span, ...] = ()
    en_hits: tuple[Span, ...] = ()


@dataclass(frozen=True)
class ConcordancePage:
    """One page of a concordance search, the number of all matches, and the index used.

    ``index`` is "fts5-trigram" or "pg_trgm" when the full-text index answered, "scan"
    when every stored pair was read (no index, or a query shorter than a trigram).
    """

    query: str
    total: int
    items: tuple[PairView, ...]
    index: Literal["fts5-trigram", "pg_trgm", "scan"]


@dataclass(frozen=True)
class ExampleView:
    doc_zh: str
    doc_en: str
    sent_zh: int
    sent_en: int
    zh_text: str
    en_text: str
    zh_span: Span
    en_span: Span
    pair_score: float
    confident: bool
    """The pair is more likely right than wrong (``term_views.CONFIDENT_PAIR``)."""
    zh_doc: DocumentRecord | None
    en_doc: DocumentRecord | None


@dataclass(frozen=True)
class EquivalentView:
    """An equivalent as a translator sees it.

    ``examples`` may be a sample; ``sources`` lists every document that attests it.
    """

    en: str
    status: Status
    frequency: int
    confidence: float
    note: str
    origin: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    examples: tuple[ExampleView, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TermView:
    """A term with its equivalents ranked: preferred first, rejected last."""

    id: int
    zh: str
    note: str
    definition: str
    termhood: float
    equivalents: tuple[EquivalentView, ...]
    match: Match = "exact"
    matched: str = ""

    @property
    def revision(self) -> str:
        """What an edit of this term was made on (``glossary.store.revisions.term_revision``)."""
        return term_revision(
            self.definition, self.note, ((e.en, e.status, e.note) for e in self.equivalents)
        )

    """The form of the query that found the term (the query itself for the first tiers)."""


@dataclass(frozen=True)
class LookupPage:
    """One page of a lookup and the number of matching terms.

    ``total_exact`` is False when counting stopped at ``lookups.COUNT_LIMIT``: there are
    more than ``total`` matches.
    """

    query: str
    total: int
    total_exact: bool
    items: tuple[TermView, ...]


@dataclass(frozen=True)
class MergeReport:
    """What one merge of extracted entries changed."""

    terms_added: int = 0
    equivalents_added: int = 0
    equivalents_updated: int = 0
    equivalents_removed: int = 0
    examples_added: int = 0
    reviewed_kept: int = 0
    terms_removed: int = 0  # left with nothing by the merge (see ``merging._settle``)


@dataclass(frozen=True)
class ImportReport:
    """What one glossary import changed, and what it left alone.

    ``unchanged``: rows of an exported file that no person edited (no-ops); ``conflicts``:
    edited rows whose entry also changed in the store since the export, one line each, and
    one line per term whose rows ask for different definitions.
    """

    rows: int
    terms_added: int
    equivalents_added: int
    equivalents_changed: int
    unchanged: int = 0
    conflicts: tuple[str, ...] = ()
