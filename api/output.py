"""Writing command output without ever leaving a half-written file behind."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from align.errors import InputError


def write_text(text: str, path: Path | None) -> None:
    """Write to ``path`` atomically (temporary file, then rename), or to stdout."""
    if path is None:
        sys.stdout.write(text)
        return
    data = text.encode("utf-8")
    write_bytes(data, path)


def write_bytes(data: bytes, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from error
