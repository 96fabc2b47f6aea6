"""An on-disk embedding cache keyed by (model, text).

Re-running an alignment, or aligning one article against several others, encodes each
sentence once. SQLite in WAL mode lets several worker processes share one cache file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .base import Encoder, Vectors


def _key(model: str, text: str) -> bytes:
    return hashlib.blake2b(f"{model}\x00{text}".encode(), digest_size=16).digest()


class CachedEncoder(Encoder):
    """Looks every sentence up in the cache and encodes only the misses."""

    def __init__(self, inner: Encoder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("CREATE TABLE IF NOT EXISTS emb (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def encode(self, texts: Sequence[str]) -> Vectors:
        keys = [_key(self.name, t) for t in texts]
        found: dict[bytes, bytes] = {}
        with self._connect() as db:
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk)
                found.update(rows.fetchall())
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in found))
        if missing:
            vectors = self.inner.encode(missing)
            fresh = {_key(self.name, t): v.tobytes() for t, v in zip(missing, vectors, strict=True)}
            with self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?)", fresh.items())
            found.update(fresh)
        return (
            np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])
            if keys
            else (np.zeros((0, 0), dtype=np.float32))
        )
