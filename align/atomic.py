"""Writing files so that a reader (or a resumed run) never sees half of one.

The data goes to a temporary file in the same folder, is flushed to disk, and is then renamed
over the target: on POSIX and Windows the rename is atomic, so after a crash, ``kill -9`` or a
full disk the target is either absent, the old version, or the whole new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from align.errors import InputError


def write_bytes(data: bytes, path: Path) -> None:
    """Write ``data`` to ``path`` atomically; an I/O failure is an :class:`InputError`."""
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise InputError(f"cannot write {path}: {error.strerror or error}") from error


def write_text(text: str, path: Path) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    write_bytes(text.encode("utf-8"), path)
