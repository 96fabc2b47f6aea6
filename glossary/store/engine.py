"""The glossary store: open a database and hold it for the functions that work on it.

Every store function (``glossary.store.merging``, ``reviewing``, ``editing``, ``recording``,
``lookups``, ``concordance``) takes the ``Store`` first and keyword arguments after, runs
in one transaction, and returns frozen views (``glossary.store.views``), never ORM rows. A
failure anywhere inside a call rolls the whole call back.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from glossary.errors import StoreUnavailable
from glossary.store.models import Base
from glossary.store.upgrade import upgrade

ENV_DATABASE_URL = "DUIQI_DATABASE_URL"
CHUNK = 200  # entries per flush and ids per IN (...) list: well under every driver's limit


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
    """Open (and create the tables of, or upgrade in place) the glossary database.

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
        upgrade(engine)
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
