"""Bringing a store written by an older duiqi up to the current tables, in place.

There is no migrations framework: users keep their SQLite files, so each column added since
the first release is added here with ``ALTER TABLE … ADD COLUMN`` (SQLite and PostgreSQL
both do this without copying the table), and the data the new column describes is filled
in once, in the same transaction, from what the old store recorded. Each step checks for
its own column, so a store skips the steps it has had.

Terms match across scripts since ``term.simplified`` and ``contribution.zh``; a store
written before may hold both spellings of a term as two entries. The upgrade does not fold
them together (the two may carry different people's decisions): merges add to the older
entry from then on, so the other's extracted rows retire with the next merge of their
corpus, and the entry goes with them unless a person's decision, a note or a definition
is left on it.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from align.scripts import to_simplified
from glossary.store.models import IMPORTED_CORPUS, MAX_ZH_CHARS

_BATCH = 1000
"""Terms per UPDATE while filling in ``term.simplified`` (computed in Python, by OpenCC)."""

_LEGACY_SEED_REVIEWER = "seed glossary"
"""The name older stores gave the curated seed's decisions, before provenance was a field."""


def upgrade(engine: Engine) -> None:
    """Add the columns an older store lacks; a current store is left as it is.

    Checked again inside the writing transaction (SQLite: ``BEGIN IMMEDIATE``), so two
    processes opening the same old store upgrade it once.
    """
    if not _missing(engine):
        return
    with engine.execution_options(duiqi_begin="BEGIN IMMEDIATE").begin() as connection:
        missing = _missing(connection)
        if "term.edited_by" in missing:
            _add_person_columns(connection)
            _mark_people(connection)
        if "term.simplified" in missing:
            _add_simplified(connection)
        if "contribution.zh" in missing:
            _add_spellings(connection)


def _missing(bind: Engine | Connection) -> set[str]:
    """The columns of later versions that the store lacks, as ``table.column``."""
    inspector = inspect(bind)
    wanted = {"term": ("edited_by", "simplified"), "contribution": ("zh",)}
    return {
        f"{table}.{column}"
        for table, columns in wanted.items()
        for column in columns
        if column not in {c["name"] for c in inspector.get_columns(table)}
    }


def _add_person_columns(connection: Connection) -> None:
    timestamp = (
        "TIMESTAMP WITH TIME ZONE" if connection.dialect.name == "postgresql" else ("DATETIME")
    )
    connection.execute(text("ALTER TABLE term ADD COLUMN edited_by VARCHAR(120)"))
    connection.execute(text(f"ALTER TABLE term ADD COLUMN edited_at {timestamp}"))


def _mark_people(connection: Connection) -> None:
    """Tell the seed's decisions from people's, using the audit trail's actions.

    Older stores marked the seed's equivalents ``reviewed_by = 'seed glossary'``, a name a
    person could also type. The audit action tells them apart: the seed's events are
    "curated", a person's are "review" or an import. What only the seed decided becomes a
    curated row with no reviewer, as the seed writes it now. A term's definition or note counts
    as a person's edit when a person's event changed it.
    """
    connection.execute(
        text(
            "UPDATE equivalent SET reviewed_by = NULL, reviewed_at = NULL, origin = 'curated' "
            "WHERE reviewed_by = :seed AND NOT EXISTS ("
            " SELECT 1 FROM review_event e JOIN term t ON t.zh = e.zh"
            " WHERE t.id = equivalent.term_id AND e.en = equivalent.en"
            " AND e.action <> 'curated')"
        ),
        {"seed": _LEGACY_SEED_REVIEWER},
    )
    edits = connection.execute(
        text(
            "SELECT zh, reviewer, at FROM review_event "
            "WHERE action IN ('add_term', 'update_term') "
            "OR (action = 'definition' AND reviewer <> :seed) ORDER BY id"
        ),
        {"seed": _LEGACY_SEED_REVIEWER},
    ).fetchall()
    for zh, reviewer, at in edits:
        connection.execute(
            text("UPDATE term SET edited_by = :who, edited_at = :at WHERE zh = :zh"),
            {"who": reviewer, "at": at, "zh": zh},
        )


def _zh_type(connection: Connection) -> str:
    """The type of a Chinese text column, as ``models._key`` declares it."""
    collation = ' COLLATE "C"' if connection.dialect.name == "postgresql" else ""
    return f"VARCHAR({MAX_ZH_CHARS}){collation}"


def _add_simplified(connection: Connection) -> None:
    """Give every term its simplified form, and the index that merges and lookups use."""
    connection.execute(text(f"ALTER TABLE term ADD COLUMN simplified {_zh_type(connection)}"))
    terms = connection.execute(text("SELECT id, zh FROM term")).fetchall()
    for start in range(0, len(terms), _BATCH):
        connection.execute(
            text("UPDATE term SET simplified = :simplified WHERE id = :id"),
            [{"id": i, "simplified": to_simplified(zh)} for i, zh in terms[start : start + _BATCH]],
        )
    connection.execute(text("CREATE INDEX ix_term_simplified ON term (simplified)"))


def _add_spellings(connection: Connection) -> None:
    """Every corpus so far wrote its terms as they are shown; imported figures do not vote."""
    connection.execute(text(f"ALTER TABLE contribution ADD COLUMN zh {_zh_type(connection)}"))
    connection.execute(
        text(
            "UPDATE contribution SET zh = (SELECT t.zh FROM equivalent e"
            " JOIN term t ON t.id = e.term_id WHERE e.id = contribution.equivalent_id)"
            " WHERE corpus_id <> :imported"
        ),
        {"imported": IMPORTED_CORPUS},
    )
