"""An on-disk embedding cache keyed by (model, text).

Re-running an alignment, or aligning one article against several others, encodes each
sentence once. SQLite in WAL mode lets several worker processes share one cache file.

The cache only holds what can be computed again, so a damaged file (not SQLite, or a
malformed page after a crash of the disk) is deleted and rebuilt, with a warning, rather than
stopping the work. A locked or unwritable one is another matter: the user must fix that, so
it is a :class:`CacheError` naming the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

from align.errors import CacheError

from .base import Encoder, Vectors

_log = logging.getLogger(__name__)
_T = TypeVar("_T")


def _key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\x00{text}".encode(), digest_size=16).digest()


def prepare_folder(path: Path) -> None:
    """Create the cache file's folder, or say why it cannot be (before a model loads)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise CacheError(
            f"the embedding cache folder {path.parent} is a file, not a folder; "
            "point DUIQI_CACHE_DIR at a folder"
        ) from None
    except OSError as error:
        raise CacheError(
            f"cannot create the embedding cache folder {path.parent}: {error.strerror}"
        ) from None


class CachedEncoder(Encoder):
    """Looks every sentence up in the cache and encodes only the misses."""

    def __init__(self, inner: Encoder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        prepare_folder(path)
        self._guarded(self._create)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def _create(self) -> None:
        with contextlib.closing(self._connect()) as db, db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS emb (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")

    def _guarded(self, step: Callable[[], _T]) -> _T:
        """Run one cache step; a damaged file is rebuilt once and the step run again."""
        try:
            return step()
        except sqlite3.OperationalError as error:  # locked, read-only, unopenable
            raise CacheError(f"cannot use the embedding cache {self.path}: {error}") from None
        except sqlite3.DatabaseError as error:  # not a database, malformed
            _log.warning("embedding cache %s is damaged (%s): rebuilding it", self.path, error)
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{self.path}{suffix}").unlink()
            self._create()
            return step()

    def _lookup(self, keys: list[bytes]) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        with contextlib.closing(self._connect()) as db:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk)
                found.update(rows.fetchall())
        return found

    def _store(self, fresh: dict[bytes, bytes]) -> None:
        with contextlib.closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?)", fresh.items())

    def encode(self, texts: Sequence[str]) -> Vectors:
        keys = [_key(self.name, t) for t in texts]
        unique = list(dict.fromkeys(keys))
        found = self._guarded(lambda: self._lookup(unique))
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if missing:
            vectors = self.inner.encode(missing)
            fresh = {_key(self.name, t): v.tobytes() for t, v in zip(missing, vectors, strict=True)}
            self._guarded(lambda: self._store(fresh))
            found.update(fresh)
        return (
            np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])
            if keys
            else (np.zeros((0, 0), dtype=np.float32))
        )
