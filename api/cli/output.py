"""Writing command output without ever leaving a half-written file behind."""

from __future__ import annotations

import sys
from pathlib import Path

from align import atomic
from align.atomic import write_bytes

__all__ = ["write_bytes", "write_text"]


def write_text(text: str, path: Path | None) -> None:
    """Write to ``path`` atomically (temporary file, then rename), or to stdout."""
    if path is None:
        sys.stdout.write(text)
        return
    atomic.write_text(text, path)
