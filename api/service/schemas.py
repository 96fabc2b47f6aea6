"""Request and response bodies: one family per entity, with the limits the store enforces.

Responses are built from the store's frozen views with ``model_validate(..., from_attributes=True)``
so the views stay the single source of truth and these classes only say what is public.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import BaseModel, ConfigDict, Field

from glossary.store.models import MAX_EN_CHARS, MAX_ZH_CHARS
from glossary.store.revisions import TERM_TOKEN
from glossary.types import STATUSES, Status

ModeChoice = Literal["parallel", "comparable", "auto"]
NOTE_CHARS = 2000
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
TEXT_PATTERN = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"
"""A query or term the store accepts: something besides white space, no control characters.

In the schema, so that what it calls valid is what the server takes (a whitespace-only
``q`` passed the schema and was refused).
"""
NOTE_PATTERN = rf"^[^{_CONTROL}]*$"
"""A definition or note: may be empty, no control characters (tab and line ends are kept)."""
SearchText = Annotated[
    str, Query(min_length=1, max_length=200, pattern=TEXT_PATTERN, description="Chinese or English")
]
"""The ``q`` of the search endpoints (terms, concordance)."""
_STATUS = f"({'|'.join(STATUSES)})"
STATUS_LIST_PATTERN = f"^{_STATUS}(,{_STATUS})*$"
ZH_TAG_PATTERN = r"^zh(-[A-Za-z0-9]{1,8})*$"
REVISION_PATTERN = f"^{TERM_TOKEN.pattern}$"
PATTERN_MESSAGES = {
    TEXT_PATTERN: "is empty (only white space) or holds a control character",
    NOTE_PATTERN: "holds a control character (such as NUL); remove it",
    STATUS_LIST_PATTERN: f"use a comma-separated list of: {', '.join(STATUSES)}",
    ZH_TAG_PATTERN: "is not a BCP 47 tag for Chinese; use e.g. zh-Hans, zh-Hant, zh-CN or zh-TW",
    REVISION_PATTERN: "is not a revision the server gave; send the term's revision as read",
}
"""Each schema pattern said in words, for the 422 that a mismatch gets."""


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ErrorOut(BaseModel):
    """Every error response: one message that says what was wrong and what to do."""

    detail: str


class SpanOut(Public):
    start: int
    end: int


class DocumentPublic(Public):
    id: str
    lang: str
    title: str
    source: str
    date: str


class ExamplePublic(Public):
    doc_zh: str
    doc_en: str
    sent_zh: int
    sent_en: int
    zh_text: str
    en_text: str
    zh_span: SpanOut
    en_span: SpanOut
    pair_score: float
    confident: bool
    zh_doc: DocumentPublic | None
    en_doc: DocumentPublic | None


class EquivalentPublic(Public):
    en: str
    status: Status
    frequency: int
    confidence: float
    note: str
    origin: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    examples: list[ExamplePublic]
    sources: list[str]


class RequestBody(BaseModel):
    """A body a client sends: a field the request does not take is refused, so a typo
    ("stauts") is a 422 naming it rather than a change silently left out."""

    model_config = ConfigDict(extra="forbid")


class TermBase(RequestBody):
    zh: str = Field(
        min_length=1, max_length=MAX_ZH_CHARS, pattern=TEXT_PATTERN, examples=["渝创渝新"]
    )
    definition: str = Field(default="", max_length=NOTE_CHARS, pattern=NOTE_PATTERN)
    note: str = Field(default="", max_length=NOTE_CHARS, pattern=NOTE_PATTERN)


class TermCreate(TermBase):
    """A new term, optionally with its first equivalents."""

    equivalents: list[EquivalentReview] = Field(default_factory=list, max_length=20)


class EquivalentReview(RequestBody):
    """A decision on one equivalent; an English text the term lacks is added (curated)."""

    en: str = Field(min_length=1, max_length=MAX_EN_CHARS, pattern=TEXT_PATTERN)
    status: Status
    note: str | None = Field(default=None, max_length=NOTE_CHARS, pattern=NOTE_PATTERN)


class EquivalentRename(RequestBody):
    """A corrected English wording for an equivalent; status, figures and examples stay.

    ``en`` names the stored wording as it is, so one stored before control characters were
    refused can still be corrected; ``to`` is checked as every new text is.
    """

    en: str = Field(min_length=1, max_length=MAX_EN_CHARS)
    to: str = Field(min_length=1, max_length=MAX_EN_CHARS, pattern=TEXT_PATTERN)


class TermUpdate(RequestBody):
    """What a reviewer may change; fields left out stay as they are. Renames come first."""

    definition: str | None = Field(default=None, max_length=NOTE_CHARS, pattern=NOTE_PATTERN)
    note: str | None = Field(default=None, max_length=NOTE_CHARS, pattern=NOTE_PATTERN)
    renames: list[EquivalentRename] = Field(default_factory=list, max_length=20)
    equivalents: list[EquivalentReview] = Field(
        default_factory=list,
        max_length=20,
        description="decisions applied in order; a term has one preferred equivalent, so "
        "making one preferred makes the one before it admitted (of two named preferred "
        "here, the last stays preferred)",
    )
    revision: str | None = Field(
        default=None,
        pattern=REVISION_PATTERN,
        description="the term's revision as read; if the term changed since (a colleague "
        "saved first), nothing is saved and the answer is a 409 saying by whom",
        examples=["t0123456789abcdef"],
    )


class TermPublic(Public):
    id: int
    zh: str
    note: str
    definition: str
    revision: str = Field(
        description="send it back with an edit (TermUpdate) to refuse one made on an older read"
    )
    termhood: float
    match: Literal["exact", "prefix", "substring", "script", "spelling", "plural", "typo"]
    matched: str
    equivalents: list[EquivalentPublic]


class ReviewEventPublic(Public):
    at: datetime
    reviewer: str
    action: str
    zh: str
    en: str
    before: dict[str, Any]
    after: dict[str, Any]


class TermDetail(TermPublic):
    """A term with its audit trail: who changed what, when."""

    history: list[ReviewEventPublic]


class TermPage(BaseModel):
    """One page of terms; ``total`` counts every match (a lower bound if not ``total_exact``)."""

    query: str
    total: int
    total_exact: bool
    limit: int
    offset: int
    items: list[TermPublic]


class PairPublic(BaseModel):
    doc_zh: str
    doc_en: str
    zh_ids: list[int]
    en_ids: list[int]
    zh_text: str
    en_text: str
    score: float
    zh_doc: DocumentPublic | None
    en_doc: DocumentPublic | None
    zh_hits: list[SpanOut]
    en_hits: list[SpanOut]


class ConcordancePage(BaseModel):
    """One page of matches; ``total`` counts them all, ``index`` says how they were found."""

    query: str
    total: int
    limit: int
    offset: int
    index: Literal["fts5-trigram", "pg_trgm", "scan"]
    items: list[PairPublic]


class DocumentPage(BaseModel):
    """A window of one article's pairs; ``focus`` indexes the pair asked for with ``around``."""

    document: DocumentPublic | None
    total: int
    limit: int
    offset: int
    focus: int | None
    items: list[PairPublic]


class AlignRequest(RequestBody):
    src_text: str = Field(min_length=1, description="one article, Chinese or English")
    tgt_text: str = Field(min_length=1, description="the same article in the other language")
    mode: ModeChoice = "auto"


class AlignedPairOut(BaseModel):
    src: list[int]
    tgt: list[int]
    src_text: str
    tgt_text: str
    score: float


class AlignResponse(BaseModel):
    mode: str
    src_lang: str
    tgt_lang: str
    src_sentences: int
    tgt_sentences: int
    signature: str
    notes: list[str]
    pairs: list[AlignedPairOut]


class JobPair(RequestBody):
    name: str = Field(default="", max_length=200)
    src_text: str = Field(min_length=1)
    tgt_text: str = Field(min_length=1)
    title: str = Field(default="", max_length=500)
    source: str = Field(default="", max_length=500)
    date: str = Field(default="", max_length=32)


class JobCreate(RequestBody):
    pairs: list[JobPair] = Field(min_length=1)
    mode: ModeChoice = "auto"


class PairErrorOut(Public):
    index: int
    name: str
    error: str


class PairLinks(BaseModel):
    """Where an aligned pair's results are, as paths from the API root."""

    pairs: str = Field(
        description="its aligned sentence pairs (GET /api/documents/{doc}/pairs)",
        examples=["/api/documents/4a2ab7de5aa6-0-zh/pairs"],
    )
    tmx: str = Field(
        description="its pairs as TMX (GET /api/export/alignments/{doc}.tmx)",
        examples=["/api/export/alignments/4a2ab7de5aa6-0-zh.tmx"],
    )


class JobPairPublic(Public):
    """One submitted pair: its status, and once aligned its stored documents and results."""

    index: int
    name: str = Field(description="the pair's name as submitted (or pair INDEX)")
    status: Literal["queued", "aligned", "failed"]
    doc_zh: str | None = Field(description="the stored Chinese document's id, once aligned")
    doc_en: str | None = Field(description="the stored English document's id, once aligned")
    links: PairLinks | None = Field(default=None, description="present once aligned")
    error: str = Field(description="why the pair failed; empty otherwise")


class JobPublic(Public):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    submitted_by: str
    mode: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    total: int
    done: int
    sentences: int
    seconds: float
    sentences_per_second: float
    attempts: int
    error: str
    errors: list[PairErrorOut]
    result: dict[str, Any]
    pairs: list[JobPairPublic] = Field(description="every submitted pair, in order")


class Health(BaseModel):
    status: Literal["ok"]
    terms: int
    equivalents: int
    pairs: int
    model: str
    model_loaded: bool


TermCreate.model_rebuild()
