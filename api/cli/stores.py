"""Opening the glossary store for a command, checked before the command does any work.

A batch or a build can align for an hour before it first writes to the store; a ``--db``
that names a file of some other kind must fail in the first second, not then. SQLite files
begin with a fixed 16-byte header, so an existing, non-empty file without it is no store.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from glossary.errors import StoreUnavailable

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported when a command opens it
    from glossary.store.engine import Store


def open_cli_store(db: Path | None, *, create: bool = False) -> Store:
    """The store ``--db`` names, or the configured default; only commands that make a
    glossary (build, import, batch) pass ``create``."""
    from glossary.store.engine import open_store

    if db is None:
        return open_store(create=create)
    check_sqlite_file(db)
    return open_store(path=db, create=create)


def check_sqlite_file(path: Path) -> None:
    """Refuse a path that exists but is not a SQLite database; a new path is fine."""
    from glossary.store.engine import SQLITE_MAGIC

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise StoreUnavailable(f"--db {path}: not a regular file; give a SQLite file")
        if info.st_size == 0:
            return  # SQLite's own view of an empty file: a new database
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreUnavailable(f"--db {path}: cannot read it ({error.strerror})") from None
    if header != SQLITE_MAGIC:
        raise StoreUnavailable(
            f"--db {path}: not a SQLite database (the file holds something else); "
            "give the glossary's .sqlite3 file or a new path"
        )
