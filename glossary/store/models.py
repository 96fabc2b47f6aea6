"""The glossary's tables (SQLAlchemy 2 ORM).

Frequencies are stored per corpus (``Contribution``) and summed, so that merging the same
corpus twice replaces its figures instead of doubling them. Term and equivalent text use
the bytewise "C" collation on PostgreSQL so that ordering and prefix ranges agree with
SQLite's, and a B-tree index answers prefix searches on both.

A term is one entry whichever script it is written in: ``Term.simplified`` (its
``align.scripts.to_simplified`` form) is what merges and lookups match on, and ``Term.zh``
shows the spelling most often written, counted from each corpus's ``Contribution.zh``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeEngine

from align.scripts import to_simplified
from glossary.store import fulltext
from glossary.types import STATUSES

MAX_ZH_CHARS = 200
MAX_EN_CHARS = 300
ORIGINS = ("extracted", "curated", "imported")
IMPORTED_CORPUS = "imported"
"""The corpus id under which imported frequencies are kept (a fallback, see store)."""


def _key(length: int) -> TypeEngine[str]:
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def _now() -> datetime:
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"ck_{column}_valid")


class Base(DeclarativeBase):
    pass


class Document(Base):
    """Where an example came from: shown beside every example pair."""

    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[str] = mapped_column(String(32), default="")


class Term(Base):
    __tablename__ = "term"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    zh: Mapped[str] = mapped_column(_key(MAX_ZH_CHARS), unique=True, index=True)
    """The term as shown: the spelling with the most evidence (``merging.show_most_written``)."""
    simplified: Mapped[str] = mapped_column(_key(MAX_ZH_CHARS), index=True)
    """``to_simplified(zh)``: the same for both scripts of a term, so a merge, a curated list
    or a lookup in either script finds the one entry. Not unique: a store written before
    terms were matched across scripts may hold both spellings as two entries."""
    note: Mapped[str] = mapped_column(Text, default="")
    definition: Mapped[str] = mapped_column(Text, default="")
    termhood: Mapped[float] = mapped_column(Float, default=0.0)
    edited_by: Mapped[str | None] = mapped_column(String(120), default=None)
    """The person who last set the definition or note (None: none has; curated lists may)."""
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=_now, onupdate=_now
    )

    equivalents: Mapped[list[Equivalent]] = relationship(
        back_populates="term", cascade="all, delete-orphan", passive_deletes=True
    )
    search_keys: Mapped[list[SearchKey]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @classmethod
    def create(cls, zh: str, **values: object) -> Term:
        """A new term with its search keys."""
        return cls(zh=zh, simplified=to_simplified(zh), search_keys=cls.keys_for(zh), **values)

    @staticmethod
    def keys_for(zh: str) -> list[SearchKey]:
        """The search keys of a Chinese term, as rows."""
        return [SearchKey(key=key) for key in chinese_keys(zh)]


class Equivalent(Base):
    __tablename__ = "equivalent"
    __table_args__ = (
        UniqueConstraint("term_id", "en", name="uq_equivalent_term_en"),
        _in("status", STATUSES),
        _in("origin", ORIGINS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("term.id", ondelete="CASCADE"))
    en: Mapped[str] = mapped_column(_key(MAX_EN_CHARS))
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    frequency: Mapped[int] = mapped_column(Integer, default=0)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(16), default="extracted")
    """Where the row came from: extracted from a corpus, a curated list, or an import."""
    reviewed_by: Mapped[str | None] = mapped_column(String(120), default=None)
    """The person who last decided on it; None while only extraction or a curated list has."""
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    term: Mapped[Term] = relationship(back_populates="equivalents")
    examples: Mapped[list[Example]] = relationship(
        back_populates="equivalent", cascade="all, delete-orphan", passive_deletes=True
    )
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="equivalent", cascade="all, delete-orphan", passive_deletes=True
    )
    search_keys: Mapped[list[SearchKey]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @classmethod
    def create(cls, en: str, **values: object) -> Equivalent:
        """A new equivalent with its search keys."""
        return cls(en=en, search_keys=cls.keys_for(en), **values)

    @staticmethod
    def keys_for(en: str) -> list[SearchKey]:
        """The search keys of an English text, as rows."""
        return [SearchKey(key=key) for key in english_keys(en)]

    @property
    def is_reviewed(self) -> bool:
        """A person or a curated list decided on it: rebuilds must leave it alone."""
        return self.status != "proposed" or self.reviewed_by is not None


# Lookups match on lower(en) and rank by frequency and length: with those columns in the
# index, a prefix matching thousands of equivalents is answered from the index alone
# (about 6x faster than fetching each row on 100,000 terms).
Index(
    "ix_equivalent_en_lower_ranked",
    func.lower(Equivalent.en),
    Equivalent.frequency,
    Equivalent.en,
    Equivalent.term_id,
)


# At most one preferred equivalent per term, enforced by the database (a partial unique
# index, on SQLite and PostgreSQL alike): a race between two "make this one preferred"
# requests then fails one of them instead of leaving two preferred renderings.
ONE_PREFERRED = "uq_equivalent_one_preferred"
Index(
    ONE_PREFERRED,
    Equivalent.term_id,
    unique=True,
    sqlite_where=Equivalent.status == "preferred",
    postgresql_where=Equivalent.status == "preferred",
)


def chinese_keys(zh: str) -> list[str]:
    """The search keys of a Chinese term: every proper suffix."""
    return [zh[i:] for i in range(1, len(zh))]


def english_keys(en: str) -> list[str]:
    """The search keys of an English text: the lower-cased text from each later word."""
    lower = en.lower()
    starts = [i for i in range(1, len(lower)) if lower[i].isalnum() and not lower[i - 1].isalnum()]
    return [lower[i:] for i in starts]


class SearchKey(Base):
    """A suffix of a term or an equivalent, so that a substring search is an index range.

    Chinese terms get every proper suffix (a term is a few characters); English equivalents
    get the suffixes that start a word, so "stabiliz" finds "job stabilization". A
    key belongs to a term or to an equivalent and goes when its owner goes.
    """

    __tablename__ = "search_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(_key(MAX_EN_CHARS), index=True)
    term_id: Mapped[int | None] = mapped_column(
        ForeignKey("term.id", ondelete="CASCADE"), index=True, default=None
    )
    equivalent_id: Mapped[int | None] = mapped_column(
        ForeignKey("equivalent.id", ondelete="CASCADE"), index=True, default=None
    )


class Contribution(Base):
    """One corpus's evidence for an equivalent; merging that corpus again replaces it."""

    __tablename__ = "contribution"

    equivalent_id: Mapped[int] = mapped_column(
        ForeignKey("equivalent.id", ondelete="CASCADE"), primary_key=True
    )
    corpus_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    frequency: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    zh: Mapped[str | None] = mapped_column(_key(MAX_ZH_CHARS), default=None)
    """How this corpus wrote the term (traditional or simplified); the term shows the
    spelling whose contributions have the most frequency. None: imported figures, which
    do not vote."""

    equivalent: Mapped[Equivalent] = relationship(back_populates="contributions")


class Example(Base):
    __tablename__ = "example"
    __table_args__ = (
        UniqueConstraint(
            "equivalent_id", "doc_zh", "doc_en", "sent_zh", "sent_en", name="uq_example_pair"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    equivalent_id: Mapped[int] = mapped_column(ForeignKey("equivalent.id", ondelete="CASCADE"))
    doc_zh: Mapped[str] = mapped_column(String(64))
    doc_en: Mapped[str] = mapped_column(String(64))
    sent_zh: Mapped[int] = mapped_column(Integer)
    sent_en: Mapped[int] = mapped_column(Integer)
    zh_text: Mapped[str] = mapped_column(Text)
    en_text: Mapped[str] = mapped_column(Text)
    zh_start: Mapped[int] = mapped_column(Integer)
    zh_end: Mapped[int] = mapped_column(Integer)
    en_start: Mapped[int] = mapped_column(Integer)
    en_end: Mapped[int] = mapped_column(Integer)
    pair_score: Mapped[float] = mapped_column(Float)

    equivalent: Mapped[Equivalent] = relationship(back_populates="examples")


class AlignedPair(Base):
    """An aligned bead, kept for the concordance and the TMX export.

    Sentence ids are comma-joined because a bead may join several sentences per side.
    """

    __tablename__ = "aligned_pair"
    __table_args__ = (
        UniqueConstraint("doc_zh", "doc_en", "zh_ids", "en_ids", name="uq_aligned_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    corpus_id: Mapped[str] = mapped_column(String(200))
    doc_zh: Mapped[str] = mapped_column(String(64))
    doc_en: Mapped[str] = mapped_column(String(64))
    zh_ids: Mapped[str] = mapped_column(String(200))
    en_ids: Mapped[str] = mapped_column(String(200))
    zh_text: Mapped[str] = mapped_column(Text)
    en_text: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)


@event.listens_for(AlignedPair.__table__, "after_create")
def _index_pairs(_table: object, connection: Connection, **_kw: object) -> None:
    """A new store gets the concordance's full-text index with its tables."""
    fulltext.install(connection)


class ReviewEvent(Base):
    """The audit trail: who changed which term or equivalent, when, from what to what.

    ``zh``/``en`` are copied rather than referenced so the trail outlives deletions;
    ``before``/``after`` hold the changed fields as JSON.
    """

    __tablename__ = "review_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    reviewer: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(32))
    zh: Mapped[str] = mapped_column(_key(MAX_ZH_CHARS), index=True)
    en: Mapped[str] = mapped_column(_key(MAX_EN_CHARS), default="")
    before: Mapped[str] = mapped_column(Text, default="{}")
    after: Mapped[str] = mapped_column(Text, default="{}")
