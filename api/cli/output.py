"""Command output: to a file (never left half-written) or, for no path or ``-``, to stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from align import atomic

#: The file name that means standard input or output, as in most Unix tools.
STDIO = "-"


def write_bytes(data: bytes, path: Path | None) -> None:
    """Write to ``path`` through :mod:`align.atomic`, or to stdout."""
    if path is None or str(path) == STDIO:
        sys.stdout.flush()  # text printed before keeps its place
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    atomic.write_bytes(data, path)


def write_text(text: str, path: Path | None) -> None:
    write_bytes(text.encode("utf-8"), path)
