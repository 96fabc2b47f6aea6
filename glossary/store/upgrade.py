"""Bringing a store written by an older duiqi up to the current tables, in place.

There is no migrations framework: users keep their SQLite files, so each column added since
the first release is added here with ``ALTER TABLE … ADD COLUMN`` (SQLite and PostgreSQL
both do this without copying the table), and the data the new column describes is filled
in once, in the same transaction, from what the old store recorded.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

_LEGACY_SEED_REVIEWER = "seed glossary"
"""The name older stores gave the curated seed's decisions, before provenance was a field."""


def upgrade(engine: Engine) -> None:
    """Add the columns an older store lacks; a current store is left as it is.

    Checked again inside the writing transaction (SQLite: ``BEGIN IMMEDIATE``), so two
    processes opening the same old store upgrade it once.
    """
    if _current(engine):
        return
    with engine.execution_options(duiqi_begin="BEGIN IMMEDIATE").begin() as connection:
        if _current(connection):
            return
        _add_person_columns(connection)
        _mark_people(connection)


def _current(bind: Engine | Connection) -> bool:
    return "edited_by" in {c["name"] for c in inspect(bind).get_columns("term")}


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
