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
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    NotSupportedError,
    ProgrammingError,
)
from sqlalchemy.orm import Session, sessionmaker

from glossary.errors import StoreConflict, StoreUnavailable
from glossary.store.models import Base
from glossary.store.upgrade import upgrade

ENV_DATABASE_URL = "DUIQI_DATABASE_URL"
CHUNK = 200  # entries per flush and ids per IN (...) list: well under every driver's limit
SQLITE_MAGIC = b"SQLite format 3\x00"
GLOSSARY_TABLE = "term"
"""The table whose presence tells a glossary from any other database."""
_NOT_UNAVAILABLE = (IntegrityError, DataError, ProgrammingError, NotSupportedError)
_WRITE_LOCK = 0x64756971  # "duiq": the PostgreSQL advisory lock every writing() takes


class Store:
    """A database holding one glossary; cheap to keep open for a process's lifetime.

    A SQLite store remembers which file it opened (device and inode, through a descriptor
    it keeps) and checks before and after every transaction that the path still names that
    file and that it still starts like a SQLite database. Otherwise a deleted file would go
    on taking writes through the pooled connections (to an unlinked inode, lost at the next
    restart), and a new connection would create an empty database in its place.
    """

    def __init__(
        self, engine: Engine, *, file: Path | None = None, busy_timeout_s: float = 5.0
    ) -> None:
        self.engine = engine
        self.busy_timeout_s = busy_timeout_s
        self.url = engine.url.render_as_string(hide_password=True)
        self.file = file
        self._fd = os.open(file, os.O_RDONLY) if file is not None else None
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        # SQLite: take the write lock at BEGIN, so a concurrent writer waits for the busy
        # timeout instead of failing on the first write of an already-started transaction.
        writer = engine.execution_options(duiqi_begin="BEGIN IMMEDIATE")
        self._write = sessionmaker(bind=writer, expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        self.check_present()
        with self._guard(), self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises.

        The file is checked again after the commit, so a change is never reported as
        stored when the file it went to was deleted or replaced meanwhile.
        """
        self.check_present()
        with self._guard(), self._write() as session, session.begin():
            if self.engine.dialect.name == "postgresql":
                self._one_writer(session)
            yield session
        self.check_present(after_write=True)

    def _one_writer(self, session: Session) -> None:
        """Writers one at a time on PostgreSQL, as SQLite's BEGIN IMMEDIATE makes them.

        A merge, an import or an added term reads what the store holds before it writes
        (is 稳岗 there in either script? which equivalent is preferred?); under PostgreSQL's
        read committed two such transactions both read "absent" and both insert, 穩崗 and
        稳岗 as two entries. Waiting is bounded by the busy timeout, as on SQLite.
        """
        timeout_ms = int(self.busy_timeout_s * 1000)
        session.execute(text(f"SET LOCAL lock_timeout = {timeout_ms}"))
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITE_LOCK})

    def close(self) -> None:
        self.engine.dispose()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def check_present(self, *, after_write: bool = False) -> None:
        """Raise ``StoreUnavailable`` if the SQLite file is gone, replaced or not SQLite."""
        if self.file is None or self._fd is None:
            return
        lost = " (the change just made may not have been kept)" if after_write else ""
        try:
            now, opened = os.stat(self.file), os.fstat(self._fd)
        except FileNotFoundError:
            raise StoreUnavailable(
                f"the glossary database {self.file} is gone (deleted or moved){lost}; "
                "restore the file, then restart the service or command"
            ) from None
        except OSError as error:
            raise StoreUnavailable(
                f"cannot check the glossary database {self.file}: {error.strerror}"
            ) from None
        if (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
            raise StoreUnavailable(
                f"the glossary database {self.file} was replaced by another file since it "
                f"was opened{lost}; restart the service or command to use the new file"
            )
        header = os.pread(self._fd, len(SQLITE_MAGIC), 0)
        if header and header != SQLITE_MAGIC:
            raise StoreUnavailable(_damaged(self.url) + lost)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError as exc:
            raise StoreConflict(
                "the change conflicts with another one made at the same time "
                f"({_reason(exc)}); nothing was written, try again"
            ) from exc
        except (DatabaseError, InterfaceError) as exc:
            if isinstance(exc, _NOT_UNAVAILABLE):
                raise
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
    create: bool = False,
) -> Store:
    """Open a glossary database; with ``create``, make it (and its tables) if missing.

    Only the commands that make a glossary (``glossary build``, ``import``, ``batch``)
    pass ``create``: a lookup, an export or the service opening a mistyped or deleted path
    must say so, not answer from a new empty database (and leave it behind). Tables a
    newer version added are created in an existing glossary either way, and an older
    store's columns are upgraded in place.

    Precedence: ``url``, then ``path`` (a SQLite file), then ``$DUIQI_DATABASE_URL``, then
    the default SQLite file, whose directory is created when ``create``. An explicit path
    whose directory does not exist is an error rather than a silently created tree.
    """
    if url is None and path is None:
        url = os.environ.get(ENV_DATABASE_URL) or None
        if url is None:
            path = default_database_path()
            if create:
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
    sqlite_file = _sqlite_file(engine)
    if sqlite_file is not None:
        if not sqlite_file.exists():
            if not create:
                raise StoreUnavailable(
                    f"there is no glossary database at {sqlite_file}; check the path, or make "
                    "one with `duiqi glossary build` or `duiqi glossary import`"
                )
            sqlite3.connect(sqlite_file).close()
        elif not sqlite_file.is_file():
            raise StoreUnavailable(f"the glossary database {sqlite_file} is not a regular file")
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout_s, never_create=sqlite_file is not None)
    try:
        store = Store(engine, file=sqlite_file, busy_timeout_s=busy_timeout_s)
    except OSError as error:
        raise StoreUnavailable(
            f"cannot open the glossary database {sqlite_file}: {error.strerror}"
        ) from None
    try:
        store.check_present()
        with store._guard():
            if not create and GLOSSARY_TABLE not in inspect(engine).get_table_names():
                raise StoreUnavailable(
                    f"{store.url} holds no glossary (no {GLOSSARY_TABLE!r} table); make one "
                    "with `duiqi glossary build` or `duiqi glossary import`"
                )
            Base.metadata.create_all(engine)
            upgrade(engine)
    except StoreUnavailable:
        store.close()
        raise
    return store


def _sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite URL (``file:`` URIs included); None for memory or a server."""
    database = engine.url.database or ""
    if engine.dialect.name != "sqlite" or database in ("", ":memory:"):
        return None
    if engine.url.query.get("uri"):
        database = database.removeprefix("file:")
        if not database or database.startswith(":memory:") or "mode=memory" in str(engine.url):
            return None
    return Path(database).expanduser().absolute()


def make_url_safe(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _configure_sqlite(engine: Engine, busy_timeout_s: float, *, never_create: bool) -> None:
    if never_create and not engine.url.query.get("uri"):

        @event.listens_for(engine, "do_connect")
        def _read_write(
            _dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]
        ) -> None:
            # Every later connection opens the file read-write but never creates it: a
            # file deleted under a running service stays gone instead of coming back empty.
            cargs[:] = [f"file:{quote(str(cargs[0]))}?mode=rw"]
            cparams["uri"] = True

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


def _reason(exc: DatabaseError | InterfaceError) -> str:
    return (str(exc.orig) if exc.orig is not None else str(exc)).strip()


def _damaged(url: str) -> str:
    return (
        f"the glossary database {url} is not a SQLite database or is damaged; restore it "
        "from a backup"
    )


def _explain(url: str, exc: DatabaseError | InterfaceError) -> str:
    reason = _reason(exc)
    lowered = reason.lower()
    if "not a database" in lowered or "malformed" in lowered:
        return _damaged(url)
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
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
    return f"the glossary database {url} is unavailable: {reason}"
