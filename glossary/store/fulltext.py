"""The concordance's full-text index: SQLite FTS5 with the trigram tokenizer, or pg_trgm.

Chinese has no spaces, so a word index cannot find 稳岗 inside 减负稳岗政策; an index of
character trigrams finds any substring of three or more characters, Chinese or English,
without a scan. SQLite gets an external-content FTS5 table kept in step with
``aligned_pair`` by triggers; PostgreSQL gets GIN trigram indexes that its planner uses
for ``LIKE '%…%'``. Where neither can be made (SQLite before 3.34 has no trigram
tokenizer; pg_trgm may not be installable) the concordance scans, and ``index_kind`` says so.
"""

from __future__ import annotations

import logging
from typing import Literal

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

IndexKind = Literal["fts5-trigram", "pg_trgm", "scan"]
FTS_TABLE = "aligned_pair_fts"
MIN_CHARS = 3
"""A trigram index answers substrings of at least this many characters; shorter ones scan."""

_SQLITE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "zh_text, en_text, content='aligned_pair', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON aligned_pair BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, zh_text, en_text) "
    "VALUES (new.id, new.zh_text, new.en_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON aligned_pair BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, zh_text, en_text) "
    "VALUES ('delete', old.id, old.zh_text, old.en_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE ON aligned_pair BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, zh_text, en_text) "
    "VALUES ('delete', old.id, old.zh_text, old.en_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, zh_text, en_text) "
    "VALUES (new.id, new.zh_text, new.en_text); END",
)
_PG_INDEXES = {
    "ix_aligned_pair_zh_trgm": "zh_text",
    "ix_aligned_pair_en_trgm": "lower(en_text)",
}
_log = logging.getLogger(__name__)


def index_kind(connection: Connection) -> IndexKind:
    """Which full-text index the database has for the concordance (cheap: one catalogue read)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        found = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": FTS_TABLE},
        ).first()
        return "fts5-trigram" if found else "scan"
    if dialect == "postgresql":
        names = set(
            connection.execute(
                text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            ).scalars()
        )
        return "pg_trgm" if set(_PG_INDEXES) <= names else "scan"
    return "scan"


def install(connection: Connection) -> IndexKind:
    """Create the index if it is missing and can be made; fill it from the stored pairs.

    Called when the tables are created and when the service starts (for stores made
    before the index existed). Nothing is written when the index is already there.
    """
    present = index_kind(connection)
    if present != "scan":
        return present
    dialect = connection.dialect.name
    if dialect == "sqlite":
        return _install_sqlite(connection)
    if dialect == "postgresql":
        return _install_postgres(connection)
    return "scan"


def _install_sqlite(connection: Connection) -> IndexKind:
    try:
        with connection.begin_nested():
            for statement in _SQLITE:
                connection.exec_driver_sql(statement)
            connection.exec_driver_sql(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    except DBAPIError as error:
        _log.warning(
            "no FTS5 trigram index for the concordance (needs SQLite >= 3.34 with FTS5): %s; "
            "the concordance will scan every stored pair",
            error.orig,
        )
        return "scan"
    return "fts5-trigram"


def _install_postgres(connection: Connection) -> IndexKind:
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema = connection.execute(
                text(
                    "SELECT n.nspname FROM pg_extension e "
                    "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
                )
            ).scalar_one()
            opclass = f'"{schema}".gin_trgm_ops'
            for name, expression in _PG_INDEXES.items():
                connection.exec_driver_sql(
                    f"CREATE INDEX IF NOT EXISTS {name} ON aligned_pair "
                    f"USING gin ({expression} {opclass})"
                )
    except DBAPIError as error:
        _log.warning(
            "no pg_trgm index for the concordance (CREATE EXTENSION pg_trgm failed: %s); "
            "the concordance will scan every stored pair",
            error.orig,
        )
        return "scan"
    return "pg_trgm"
