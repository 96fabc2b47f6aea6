"""The glossary store: open a database, merge extracted terms, look up, review.

Every function takes the ``Store`` first and keyword arguments after, runs in one
transaction, and returns frozen views (``glossary.views``), never ORM rows.

Rules that protect people's work:
- ``merge_entries`` is a rebuild: merging the same corpus again replaces that corpus's
  figures (``Contribution``) instead of adding to them; examples are recorded once each.
- An equivalent a person reviewed (status other than proposed, or ``reviewed_by`` set)
  keeps its status, note and English through every merge and is never deleted by one.
- A failure anywhere inside a call rolls the whole call back.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import regex
from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Row,
    String,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, selectinload, sessionmaker

from align.reading import normalize_text
from glossary.errors import (
    DuplicateTerm,
    InvalidField,
    InvalidStatus,
    StoreUnavailable,
    TermNotFound,
)
from glossary.models import (
    IMPORTED_CORPUS,
    MAX_EN_CHARS,
    MAX_ZH_CHARS,
    AlignedPair,
    Base,
    Contribution,
    Document,
    Equivalent,
    Example,
    ReviewEvent,
    SearchKey,
    Term,
)
from glossary.types import STATUSES, Span, Status, TermEntry
from glossary.types import Example as ExtractedExample
from glossary.views import (
    DocumentRecord,
    EquivalentView,
    ExampleView,
    ImportReport,
    Match,
    MergeReport,
    PairRecord,
    PairView,
    TermView,
)

ENV_DATABASE_URL = "DUIQI_DATABASE_URL"
SEED_REVIEWER = "seed glossary"
"""``reviewed_by`` of curated seed entries: a later decision by a person outranks it."""

STATUS_RANK: Mapping[str, int] = {
    "preferred": 0,
    "admitted": 1,
    "proposed": 2,
    "deprecated": 3,
    "rejected": 4,
}
_CHUNK = 200  # entries per flush and ids per IN (...) list: well under every driver's limit
_HAN = regex.compile(r"\p{Han}")
_SPACES = regex.compile(r"\s+")


@dataclass(frozen=True)
class ReviewedRow:
    """One decided equivalent from a reviewed glossary file (or the curated seed).

    ``None`` means "the file does not say", which leaves the stored value as it is.
    """

    zh: str
    en: str
    status: Status
    note: str | None = None
    definition: str | None = None
    frequency: int | None = None
    confidence: float | None = None


# --------------------------------------------------------------------------- opening


class Store:
    """A database holding one glossary; cheap to keep open for a process's lifetime."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        # SQLite: take the write lock at BEGIN, so a concurrent writer waits for the busy
        # timeout instead of failing on the first write of an already-started transaction.
        writer = engine.execution_options(duiqi_begin="BEGIN IMMEDIATE")
        self._write = sessionmaker(bind=writer, expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._guard(), self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._guard(), self._write() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, InterfaceError) as exc:
            raise StoreUnavailable(_explain(self.url, exc)) from exc


def default_database_path() -> Path:
    """``$XDG_DATA_HOME/duiqi/glossary.sqlite3`` (``~/.local/share`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "duiqi" / "glossary.sqlite3"


def open_store(
    url: str | None = None,
    *,
    path: str | Path | None = None,
    busy_timeout_s: float = 5.0,
) -> Store:
    """Open (and create the tables of) the glossary database.

    Precedence: ``url``, then ``path`` (a SQLite file), then ``$DUIQI_DATABASE_URL``, then
    the default SQLite file, whose directory is created. An explicit path whose directory
    does not exist is an error rather than a silently created tree.
    """
    if url is None and path is None:
        url = os.environ.get(ENV_DATABASE_URL) or None
        if url is None:
            path = default_database_path()
            path.parent.mkdir(parents=True, exist_ok=True)
    if url is None:
        file = Path(cast(str | Path, path)).expanduser()
        if not file.parent.is_dir():
            raise StoreUnavailable(
                f"cannot open the glossary database {file}: directory {file.parent} does not "
                "exist; create it or choose another --db path"
            )
        url = f"sqlite:///{file}"
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError) as exc:
        raise StoreUnavailable(
            f"cannot use database URL {make_url_safe(url)!r}: {exc}; give a SQLAlchemy URL such "
            "as sqlite:///glossary.db or postgresql+psycopg://user@host/db"
        ) from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout_s)
    store = Store(engine)
    with store._guard():
        Base.metadata.create_all(engine)
    return store


def make_url_safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _configure_sqlite(engine: Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Autocommit at the driver; we emit BEGIN ourselves (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL lets lookups read while a build writes. A read-only file cannot switch,
        # and can still serve lookups, so a refusal here is not an error.
        with suppress(sqlite3.OperationalError):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get("duiqi_begin", "BEGIN"))


def _explain(url: str, exc: OperationalError | InterfaceError) -> str:
    reason = str(exc.orig) if exc.orig is not None else str(exc)
    lowered = reason.lower()
    if "locked" in lowered or "busy" in lowered:
        return (
            f"the glossary database {url} is locked by another process (a build or import "
            "still running?); try again when it has finished"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return f"the glossary database {url} is read-only; check the file's permissions"
    if "unable to open" in lowered:
        return (
            f"cannot open the glossary database {url}: check that the file's directory "
            "exists and is writable"
        )
    return f"the glossary database {url} is unavailable: {reason.strip()}"


# --------------------------------------------------------------------------- validation


def clean_text(text: str) -> str:
    """Normalised as the aligner normalises documents, so stored and extracted terms match."""
    return str(_SPACES.sub(" ", normalize_text(text))).strip()


def _required(value: str, field: str, limit: int) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        raise InvalidField(f"{field} is empty; give a non-empty {field}")
    if len(cleaned) > limit:
        raise InvalidField(
            f"{field} {cleaned[:40]!r}… has {len(cleaned)} characters; the limit is {limit}"
        )
    return cleaned


def check_status(status: str) -> Status:
    """The status itself if it is one of the TBX statuses, else ``InvalidStatus``."""
    if status not in STATUSES:
        raise InvalidStatus(f"unknown status {status!r}; use one of: {', '.join(STATUSES)}")
    return status


def _check_figures(frequency: int, confidence: float, where: str) -> None:
    if frequency < 0:
        raise InvalidField(f"{where}: frequency {frequency} is negative")
    if not 0.0 <= confidence <= 1.0:
        raise InvalidField(f"{where}: confidence {confidence} is outside [0, 1]")


# --------------------------------------------------------------------------- merging


def merge_entries(
    store: Store, entries: Iterable[TermEntry], *, corpus_id: str
) -> MergeReport:
    """Merge extracted entries into the store as the current evidence of ``corpus_id``.

    ``corpus_id`` names the body of text the entries come from. Merging the same corpus
    again replaces its frequencies and confidences (so a rebuild changes nothing); a
    different corpus (new articles) adds to them. Unreviewed extracted equivalents that no
    corpus supports any more are removed; reviewed ones are kept untouched.
    """
    corpus = _required(corpus_id, "corpus_id", 200)
    if corpus == IMPORTED_CORPUS:
        raise InvalidField(f"corpus_id {IMPORTED_CORPUS!r} is reserved for imported figures")
    counts: dict[str, int] = dict.fromkeys(MergeReport.__dataclass_fields__, 0)
    with store.writing() as session:
        supported: set[int] = set()
        for chunk in _chunks(entries, _CHUNK):
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
    zhs = [_required(entry.zh, "term", MAX_ZH_CHARS) for entry in chunk]
    terms = _terms_by_zh(session, zhs, with_equivalents=True)
    known_examples = _example_keys(
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
            en = _required(extracted.en, f"equivalent of {zh}", MAX_EN_CHARS)
            _check_figures(extracted.frequency, extracted.confidence, f"{zh} → {en}")
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
            _set_contribution(row, corpus, extracted.frequency, extracted.confidence)
            if _refresh_figures(row) and row.id is not None:
                counts["equivalents_updated"] += 1
            counts["examples_added"] += _add_examples(row, extracted.examples, known_examples)
            touched.append(row)
    session.flush()
    return {row.id for row in touched}


def _terms_by_zh(
    session: Session, zhs: Sequence[str], *, with_equivalents: bool
) -> dict[str, Term]:
    query = select(Term).where(Term.zh.in_(set(zhs)))
    if with_equivalents:
        query = query.options(selectinload(Term.equivalents).selectinload(Equivalent.contributions))
    return {term.zh: term for term in session.scalars(query)}


_ExampleKey = tuple[str, str, int, int]


def _example_keys(
    session: Session, equivalents: Sequence[Equivalent]
) -> dict[Equivalent, set[_ExampleKey]]:
    """The examples already stored for each equivalent, keyed by its unique columns."""
    by_id = {eq.id: eq for eq in equivalents}
    keys: dict[Equivalent, set[_ExampleKey]] = {eq: set() for eq in equivalents}
    ids = list(by_id)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(
                Example.equivalent_id, Example.doc_zh, Example.doc_en, Example.sent_zh,
                Example.sent_en,
            ).where(Example.equivalent_id.in_(ids[start : start + _CHUNK]))
        )
        for eq_id, doc_zh, doc_en, sent_zh, sent_en in rows:
            keys[by_id[eq_id]].add((doc_zh, doc_en, sent_zh, sent_en))
    return keys


def _add_examples(
    row: Equivalent,
    examples: Iterable[ExtractedExample],
    known: dict[Equivalent, set[_ExampleKey]],
) -> int:
    stored = known.setdefault(row, set())
    added = 0
    for ex in examples:
        key = (ex.doc_zh, ex.doc_en, ex.sent_zh, ex.sent_en)
        if key in stored:
            continue
        stored.add(key)
        row.examples.append(
            Example(
                doc_zh=ex.doc_zh, doc_en=ex.doc_en, sent_zh=ex.sent_zh, sent_en=ex.sent_en,
                zh_text=ex.zh_text, en_text=ex.en_text,
                zh_start=ex.zh_span.start, zh_end=ex.zh_span.end,
                en_start=ex.en_span.start, en_end=ex.en_span.end,
                pair_score=ex.pair_score,
            )
        )
        added += 1
    return added


def _set_contribution(row: Equivalent, corpus: str, frequency: int, confidence: float) -> None:
    for contribution in row.contributions:
        if contribution.corpus_id == corpus:
            if contribution.frequency != frequency:
                contribution.frequency = frequency
            if contribution.confidence != confidence:
                contribution.confidence = confidence
            return
    row.contributions.append(
        Contribution(corpus_id=corpus, frequency=frequency, confidence=confidence)
    )


def _refresh_figures(row: Equivalent) -> bool:
    """Recompute the cached totals from the contributions; True if they changed.

    Imported figures only stand in while this store has no evidence of its own, so a
    glossary imported and then rebuilt from the same corpus does not count twice.
    """
    contributions = sorted(row.contributions, key=lambda c: c.corpus_id)
    own = [c for c in contributions if c.corpus_id != IMPORTED_CORPUS] or contributions
    frequency = sum(c.frequency for c in own)
    if frequency:
        confidence = sum(c.frequency * c.confidence for c in own) / frequency
    else:
        confidence = max((c.confidence for c in own), default=0.0)
    changed = row.frequency != frequency or abs((row.confidence or 0.0) - confidence) > 1e-12
    if changed:
        row.frequency = frequency
        row.confidence = confidence
    return changed


def _retire(session: Session, corpus: str, supported: set[int], counts: dict[str, int]) -> None:
    """Drop this corpus's evidence for equivalents it no longer proposes."""
    previous = set(
        session.scalars(select(Contribution.equivalent_id).where(Contribution.corpus_id == corpus))
    )
    stale = sorted(previous - supported)
    for start in range(0, len(stale), _CHUNK):
        ids = stale[start : start + _CHUNK]
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
            elif _refresh_figures(row):
                counts["equivalents_updated"] += 1


# --------------------------------------------------------------------------- reviewed rows


def apply_reviewed_rows(
    store: Store,
    rows: Sequence[ReviewedRow],
    *,
    origin: str,
    reviewer: str,
    overwrite_reviewed: bool,
) -> ImportReport:
    """Write decided equivalents (an imported glossary, the curated seed) in one transaction.

    With ``overwrite_reviewed`` (an import: a person's file) every row wins. Without it
    (the seed) a row only replaces equivalents no person has decided on yet, and only
    fills a term's empty definition, so reloading the seed never undoes later reviews.
    """
    reviewer = _required(reviewer, "reviewer", 120)
    terms_added = equivalents_added = changed = 0
    with store.writing() as session:
        now = datetime.now(UTC)
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            terms = _terms_by_zh(session, [r.zh for r in chunk], with_equivalents=True)
            for row in chunk:
                term = terms.get(row.zh)
                if term is None:
                    term = Term.create(row.zh, definition="", note="")
                    session.add(term)
                    terms[row.zh] = term
                    terms_added += 1
                fill = overwrite_reviewed or not term.definition
                if row.definition and fill and term.definition != row.definition:
                    _audit(session, reviewer, "definition", term.zh, "",
                           {"definition": term.definition}, {"definition": row.definition})
                    term.definition = row.definition
                equivalent = next((e for e in term.equivalents if e.en == row.en), None)
                if equivalent is None:
                    equivalent = Equivalent.create(
                        row.en, origin=origin, status="proposed", note=""
                    )
                    term.equivalents.append(equivalent)
                    equivalents_added += 1
                elif not overwrite_reviewed and equivalent.reviewed_by not in (
                    None, SEED_REVIEWER,
                ):
                    continue
                if _decide(session, equivalent, term.zh, reviewer, origin, row, now):
                    changed += 1
            session.flush()
    return ImportReport(
        rows=len(rows), terms_added=terms_added, equivalents_added=equivalents_added,
        equivalents_changed=changed,
    )


def _decide(
    session: Session,
    row: Equivalent,
    zh: str,
    reviewer: str,
    action: str,
    decided: ReviewedRow,
    now: datetime,
) -> bool:
    before = {"status": row.status, "note": row.note}
    after = {
        "status": decided.status,
        "note": row.note if decided.note is None else decided.note,
    }
    if decided.frequency is not None or decided.confidence is not None:
        _set_contribution(
            row, IMPORTED_CORPUS, decided.frequency or 0, decided.confidence or 0.0
        )
        _refresh_figures(row)
    if before == after and row.reviewed_by is not None:
        return False
    row.status, row.note = after["status"], after["note"]
    row.reviewed_by, row.reviewed_at = reviewer, now
    _audit(session, reviewer, action, zh, row.en, before, after)
    return True


def _audit(
    session: Session,
    reviewer: str,
    action: str,
    zh: str,
    en: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
) -> None:
    session.add(
        ReviewEvent(
            reviewer=reviewer, action=action, zh=zh, en=en,
            before=json.dumps(before, ensure_ascii=False),
            after=json.dumps(after, ensure_ascii=False),
        )
    )


# --------------------------------------------------------------------------- editing


def review(
    store: Store,
    *,
    zh: str,
    en: str,
    status: str,
    note: str | None = None,
    reviewer: str,
) -> TermView:
    """Record a person's decision on one equivalent; creates it (origin curated) if new."""
    decided = ReviewedRow(
        zh=_required(zh, "term", MAX_ZH_CHARS),
        en=_required(en, "English equivalent", MAX_EN_CHARS),
        status=check_status(status),
        note=note,
    )
    who = _required(reviewer, "reviewer", 120)
    with store.writing() as session:
        term = _term_or_raise(session, decided.zh)
        row = next((e for e in term.equivalents if e.en == decided.en), None)
        if row is None:
            row = Equivalent.create(decided.en, origin="curated", status="proposed", note="")
            term.equivalents.append(row)
        _decide(session, row, term.zh, who, "review", decided, datetime.now(UTC))
        session.flush()
        return _views(session, [term.id], examples=5)[0]


def add_term(
    store: Store, *, zh: str, definition: str = "", note: str = "", reviewer: str
) -> TermView:
    zh = _required(zh, "term", MAX_ZH_CHARS)
    who = _required(reviewer, "reviewer", 120)
    with store.writing() as session:
        if session.scalar(select(Term.id).where(Term.zh == zh)) is not None:
            raise DuplicateTerm(f"term {zh!r} is already in the glossary; update it instead")
        term = Term.create(zh, definition=definition.strip(), note=note.strip())
        session.add(term)
        _audit(session, who, "add_term", zh, "", {}, {"definition": term.definition,
                                                       "note": term.note})
        session.flush()
        return _views(session, [term.id], examples=0)[0]


def get_term(store: Store, term_id: int, *, examples: int = 5) -> TermView:
    with store.reading() as session:
        views = _views(session, [term_id], examples=examples)
    if not views:
        raise TermNotFound(f"no term with id {term_id}; look the term up to find its id")
    return views[0]


def update_term(
    store: Store,
    term_id: int,
    *,
    definition: str | None = None,
    note: str | None = None,
    reviewer: str,
) -> TermView:
    who = _required(reviewer, "reviewer", 120)
    with store.writing() as session:
        term = session.get(Term, term_id)
        if term is None:
            raise TermNotFound(f"no term with id {term_id}; look the term up to find its id")
        before = {"definition": term.definition, "note": term.note}
        if definition is not None:
            term.definition = definition.strip()
        if note is not None:
            term.note = note.strip()
        after = {"definition": term.definition, "note": term.note}
        if after != before:
            _audit(session, who, "update_term", term.zh, "", before, after)
        session.flush()
        return _views(session, [term.id], examples=5)[0]


def _term_or_raise(session: Session, zh: str) -> Term:
    term = _terms_by_zh(session, [zh], with_equivalents=True).get(zh)
    if term is None:
        raise TermNotFound(
            f"no term {zh!r} in the glossary; check the spelling or add the term first"
        )
    return term


def review_history(store: Store, *, zh: str) -> list[dict[str, Any]]:
    """The audit trail of one term, oldest first."""
    with store.reading() as session:
        events = session.scalars(
            select(ReviewEvent).where(ReviewEvent.zh == clean_text(zh)).order_by(ReviewEvent.id)
        )
        return [
            {
                "at": _aware(e.at), "reviewer": e.reviewer, "action": e.action, "zh": e.zh,
                "en": e.en, "before": json.loads(e.before), "after": json.loads(e.after),
            }
            for e in events
        ]


# --------------------------------------------------------------------------- provenance


def record_documents(store: Store, documents: Iterable[DocumentRecord]) -> int:
    """Insert or update the provenance of articles; returns how many were new."""
    added = 0
    with store.writing() as session:
        for doc in documents:
            doc_id = _required(doc.id, "document id", 64)
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
    corpus = _required(corpus_id, "corpus_id", 200)
    added = 0
    with store.writing() as session:
        for pair in pairs:
            zh_ids, en_ids = _ids(pair.zh_ids), _ids(pair.en_ids)
            row = session.scalar(
                select(AlignedPair).where(
                    AlignedPair.doc_zh == pair.doc_zh, AlignedPair.doc_en == pair.doc_en,
                    AlignedPair.zh_ids == zh_ids, AlignedPair.en_ids == en_ids,
                )
            )
            if row is None:
                row = AlignedPair(doc_zh=pair.doc_zh, doc_en=pair.doc_en, zh_ids=zh_ids,
                                  en_ids=en_ids)
                session.add(row)
                added += 1
            values = {"corpus_id": corpus, "zh_text": pair.zh_text, "en_text": pair.en_text,
                      "score": pair.score}
            for field, value in values.items():
                if getattr(row, field) != value:
                    setattr(row, field, value)
            session.flush()
    return added


def _ids(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))


def _parse_ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


# --------------------------------------------------------------------------- reading


def is_chinese(text: str) -> bool:
    return _HAN.search(text) is not None


def lookup(
    store: Store, query: str, *, limit: int = 20, offset: int = 0, examples: int = 5
) -> list[TermView]:
    """Terms matching a Chinese or English query: exact, then prefix, then substring.

    Chinese queries search the terms; others search the English equivalents (case
    folded) and the terms. An English "substring" starts at a word ("stabiliz" finds
    "job stabilization", "ization" does not). Within a tier, shorter and more frequent
    matches come first.
    """
    q = clean_text(query)
    if not q:
        raise InvalidField("the query is empty; type a Chinese term or an English phrase")
    _check_page(limit, offset)
    wanted = offset + limit
    chinese = is_chinese(q)
    params = _search_params(q, chinese=chinese, wanted=wanted)
    found: dict[int, Match] = {}
    with store.reading() as session:
        connection = session.connection()
        for tier, searches in _tiers(chinese=chinese, bounded="hi" in params):
            for search in searches:
                if len(found) >= wanted:
                    break
                for term_id in connection.execute(search, params).scalars():
                    found.setdefault(term_id, tier)
        page = list(found)[offset:wanted]
        views = {v.id: v for v in _views(session, page, examples=examples)}
    return [_with_match(views[i], found[i]) for i in page if i in views]


def _with_match(view: TermView, match: Match) -> TermView:
    return TermView(
        id=view.id, zh=view.zh, note=view.note, definition=view.definition,
        termhood=view.termhood, equivalents=view.equivalents, match=match,
    )


def _search_params(q: str, *, chinese: bool, wanted: int) -> dict[str, Any]:
    """The bound values of ``_tiers``: the query, its folded form and their prefix ranges.

    ``hi`` and ``lhi`` are left out when a range has no upper bound (see ``_prefix``).
    """
    params: dict[str, Any] = {"q": q, "n": wanted}
    hi = _prefix_end(q)
    if chinese:
        if hi is not None:
            params["hi"] = hi
        return params
    lq = q.lower()
    lhi = _prefix_end(lq)
    params["lq"] = lq
    if hi is not None and lhi is not None:
        params["hi"], params["lhi"] = hi, lhi
    return params


@lru_cache(maxsize=4)
def _tiers(*, chinese: bool, bounded: bool) -> tuple[tuple[Match, tuple[Any, ...]], ...]:
    """The searches of each tier, best first; all of them are index ranges, none a scan.

    Built once with bound parameters (``_search_params``), so a lookup neither builds
    statements nor computes their cache keys: that was a third of a lookup's time.
    """
    q: Any = bindparam("q", type_=String)
    lq: Any = bindparam("lq", type_=String)
    n: Any = bindparam("n", type_=Integer)
    hi: Any = bindparam("hi", type_=String) if bounded else None
    lhi: Any = bindparam("lhi", type_=String) if bounded else None
    zh_order = (func.length(Term.zh), Term.zh)
    zh = (
        select(Term.id).where(Term.zh == q).limit(n),
        select(Term.id).where(_prefix(Term.zh, q, hi), Term.zh != q)
        .order_by(*zh_order).limit(n),
        select(Term.id, *zh_order)
        .join(SearchKey, SearchKey.term_id == Term.id)
        .where(_prefix(SearchKey.key, q, hi))
        .distinct()
        .order_by(*zh_order)
        .limit(n),
    )
    if chinese:
        return (("exact", (zh[0],)), ("prefix", (zh[1],)), ("substring", (zh[2],)))
    en = func.lower(Equivalent.en)
    en_order = (Equivalent.frequency.desc(), func.length(Equivalent.en), Equivalent.term_id)
    ens = (
        select(Equivalent.term_id).where(en == lq).order_by(*en_order).limit(n),
        select(Equivalent.term_id).where(_prefix(en, lq, lhi), en != lq)
        .order_by(*en_order).limit(n),
        select(Equivalent.term_id, *en_order)
        .join(SearchKey, SearchKey.equivalent_id == Equivalent.id)
        .where(_prefix(SearchKey.key, lq, lhi))
        .distinct()
        .order_by(*en_order)
        .limit(n),
    )
    return (
        ("exact", (zh[0], ens[0])),
        ("prefix", (zh[1], ens[1])),
        ("substring", (zh[2], ens[2])),
    )


def _prefix(column: Any, prefix: Any, end: Any | None) -> Any:
    """``column`` starts with ``prefix``, as a range an ordinary B-tree index answers.

    Both SQLite (BINARY) and our PostgreSQL columns (collation "C") compare by code point,
    so every string starting with ``prefix`` lies in [prefix, ``_prefix_end(prefix)``).
    """
    if end is None:
        return column >= prefix
    return and_(column >= prefix, column < end)


def _prefix_end(prefix: str) -> str | None:
    """``prefix`` with its last character incremented; None past the last code point."""
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return None
    return prefix[:-1] + chr(last + 1)


def _check_page(limit: int, offset: int) -> None:
    if limit < 1 or offset < 0:
        raise InvalidField(f"limit must be ≥ 1 and offset ≥ 0 (got limit={limit}, offset={offset})")


def list_terms(
    store: Store, *, limit: int | None = None, offset: int = 0, examples: int = 0
) -> list[TermView]:
    """Every term in Chinese code-point order (for exports and paging)."""
    _check_page(1 if limit is None else limit, offset)
    with store.reading() as session:
        query = select(Term.id).order_by(Term.zh).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        ids = list(session.scalars(query))
        views: list[TermView] = []
        for start in range(0, len(ids), _CHUNK):
            views += _views(session, ids[start : start + _CHUNK], examples=examples)
    return views


def _views(session: Session, term_ids: Sequence[int], *, examples: int) -> list[TermView]:
    """Views of the given terms, in the given order, in at most four queries.

    Plain rows, not ORM objects, from statements built once (``_view_statements``): a
    lookup is read-only and this is most of its time. Examples and their documents are
    only asked for when the sources query found some.
    """
    if not term_ids:
        return []
    statements = _view_statements()
    connection = session.connection()
    terms: dict[int, Row[Any]] = {}
    by_term: dict[int, list[Row[Any]]] = {}
    for row in connection.execute(statements.terms, {"ids": list(term_ids)}):
        terms[row.id] = row
        if row.eq_id is not None:
            by_term.setdefault(row.id, []).append(row)
    eq_ids = [eq.eq_id for rows in by_term.values() for eq in rows]
    sources = _sources(connection, eq_ids)
    attested = [eq_id for eq_id in eq_ids if eq_id in sources]
    samples = _sample_examples(connection, attested, examples)
    docs = _documents(connection, {d for rows in samples.values() for ex in rows
                                   for d in (ex.doc_zh, ex.doc_en)})
    return [
        TermView(
            id=term.id, zh=term.zh, note=term.note, definition=term.definition,
            termhood=term.termhood,
            equivalents=tuple(sorted(
                (_equivalent_view(eq, samples.get(eq.eq_id, ()), sources, docs)
                 for eq in by_term.get(term.id, ())),
                key=equivalent_rank,
            )),
        )
        for term in (terms.get(i) for i in term_ids)
        if term is not None
    ]


@dataclass(frozen=True)
class _ViewStatements:
    """The read statements of ``_views``, with expanding ``IN`` lists and bound limits."""

    terms: Any
    sources: Any
    samples: Any
    documents: Any


@lru_cache(maxsize=1)
def _view_statements() -> _ViewStatements:
    ids: Any = bindparam("ids", expanding=True)
    terms = (
        select(
            Term.id, Term.zh, Term.note, Term.definition, Term.termhood,
            Equivalent.id.label("eq_id"), Equivalent.en, Equivalent.status,
            Equivalent.frequency, Equivalent.confidence, Equivalent.note.label("eq_note"),
            Equivalent.origin, Equivalent.reviewed_by, Equivalent.reviewed_at,
        )
        .outerjoin(Equivalent, Equivalent.term_id == Term.id)
        .where(Term.id.in_(ids))
    )
    sources = (
        select(Example.equivalent_id, Example.doc_zh, Example.doc_en)
        .where(Example.equivalent_id.in_(ids))
        .distinct()
    )
    columns = [c for c in Example.__table__.c]
    rank = (
        func.row_number()
        .over(partition_by=Example.equivalent_id,
              order_by=(Example.pair_score.desc(), Example.id))
        .label("rank")
    )
    inner = select(*columns, rank).where(Example.equivalent_id.in_(ids)).subquery()
    samples = (
        select(*(inner.c[c.name] for c in columns))
        .where(inner.c.rank <= bindparam("per", type_=Integer))
        .order_by(inner.c.pair_score.desc(), inner.c.id)
    )
    documents = select(
        Document.id, Document.lang, Document.title, Document.source, Document.date
    ).where(Document.id.in_(ids))
    return _ViewStatements(terms=terms, sources=sources, samples=samples, documents=documents)


def _equivalent_view(
    eq: Row[Any],
    samples: Sequence[Row[Any]],
    sources: Mapping[int, tuple[str, ...]],
    docs: Mapping[str, DocumentRecord],
) -> EquivalentView:
    return EquivalentView(
        en=eq.en, status=cast(Status, eq.status), frequency=eq.frequency,
        confidence=eq.confidence, note=eq.eq_note, origin=eq.origin,
        reviewed_by=eq.reviewed_by, reviewed_at=_aware(eq.reviewed_at),
        examples=tuple(_example_view(ex, docs) for ex in samples),
        sources=sources.get(eq.eq_id, ()),
    )


def equivalent_rank(eq: EquivalentView) -> tuple[int, float, int, str]:
    """Preferred first, rejected last; then by evidence (confidence × frequency)."""
    return (STATUS_RANK[eq.status], -eq.confidence * eq.frequency, -eq.frequency, eq.en)


def _sample_examples(
    connection: Connection, eq_ids: Sequence[int], per_equivalent: int
) -> dict[int, list[Row[Any]]]:
    """The best ``per_equivalent`` examples of each equivalent (by pair score), best first."""
    if per_equivalent <= 0 or not eq_ids:
        return {}
    out: dict[int, list[Row[Any]]] = {}
    rows = connection.execute(
        _view_statements().samples, {"ids": list(eq_ids), "per": per_equivalent}
    )
    for ex in rows:
        out.setdefault(ex.equivalent_id, []).append(ex)
    return out


def _sources(connection: Connection, eq_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Every document attesting each equivalent; equivalents without examples are absent."""
    if not eq_ids:
        return {}
    found: dict[int, set[str]] = {}
    for eq_id, doc_zh, doc_en in connection.execute(
        _view_statements().sources, {"ids": list(eq_ids)}
    ):
        found.setdefault(eq_id, set()).update((doc_zh, doc_en))
    return {eq_id: tuple(sorted(docs)) for eq_id, docs in found.items()}


def _documents(connection: Connection, doc_ids: set[str]) -> dict[str, DocumentRecord]:
    if not doc_ids:
        return {}
    rows = connection.execute(_view_statements().documents, {"ids": sorted(doc_ids)})
    return {
        d.id: DocumentRecord(id=d.id, lang=d.lang, title=d.title, source=d.source, date=d.date)
        for d in rows
    }


def _example_view(ex: Row[Any], docs: Mapping[str, DocumentRecord]) -> ExampleView:
    return ExampleView(
        doc_zh=ex.doc_zh, doc_en=ex.doc_en, sent_zh=ex.sent_zh, sent_en=ex.sent_en,
        zh_text=ex.zh_text, en_text=ex.en_text,
        zh_span=Span(ex.zh_start, ex.zh_end), en_span=Span(ex.en_start, ex.en_end),
        pair_score=ex.pair_score, zh_doc=docs.get(ex.doc_zh), en_doc=docs.get(ex.doc_en),
    )


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes; everything we store is UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def concordance(
    store: Store, query: str, *, limit: int = 20, offset: int = 0
) -> list[PairView]:
    """Aligned pairs whose Chinese (or, for a non-Chinese query, English) side contains it."""
    q = clean_text(query)
    if not q:
        raise InvalidField("the query is empty; type a Chinese or English word or phrase")
    _check_page(limit, offset)
    condition = (
        AlignedPair.zh_text.contains(q, autoescape=True)
        if is_chinese(q)
        else or_(
            func.lower(AlignedPair.en_text).contains(q.lower(), autoescape=True),
            AlignedPair.zh_text.contains(q, autoescape=True),
        )
    )
    with store.reading() as session:
        rows = list(
            session.scalars(
                select(AlignedPair).where(condition)
                .order_by(AlignedPair.score.desc(), AlignedPair.id)
                .offset(offset).limit(limit)
            )
        )
        return pair_views(session, rows, q)


def list_pairs(store: Store, *, limit: int | None = None, offset: int = 0) -> list[PairView]:
    """Every stored aligned pair, by document and position (for the TMX export)."""
    _check_page(1 if limit is None else limit, offset)
    with store.reading() as session:
        query = (
            select(AlignedPair)
            .order_by(AlignedPair.doc_zh, AlignedPair.doc_en, AlignedPair.id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        return pair_views(session, list(session.scalars(query)), None)


def pair_views(session: Session, rows: Sequence[AlignedPair], q: str | None) -> list[PairView]:
    doc_ids = {d for row in rows for d in (row.doc_zh, row.doc_en)}
    docs = {
        d.id: DocumentRecord(id=d.id, lang=d.lang, title=d.title, source=d.source, date=d.date)
        for d in session.scalars(select(Document).where(Document.id.in_(doc_ids)))
    } if doc_ids else {}
    return [
        PairView(
            pair=PairRecord(
                doc_zh=row.doc_zh, doc_en=row.doc_en, zh_ids=_parse_ids(row.zh_ids),
                en_ids=_parse_ids(row.en_ids), zh_text=row.zh_text, en_text=row.en_text,
                score=row.score,
            ),
            zh_doc=docs.get(row.doc_zh),
            en_doc=docs.get(row.doc_en),
            zh_hits=_hits(row.zh_text, q) if q else (),
            en_hits=_hits(row.en_text.lower(), q.lower()) if q else (),
        )
        for row in rows
    ]


def _hits(text: str, needle: str) -> tuple[Span, ...]:
    spans = []
    start = text.find(needle)
    while start >= 0:
        spans.append(Span(start, start + len(needle)))
        start = text.find(needle, start + len(needle))
    return tuple(spans)
