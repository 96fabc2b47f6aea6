"""Progress bars for people at a terminal, never for logs.

A bar redrawn with carriage returns is noise in a log file or a CI transcript, so one is
shown only when asked for and stderr is a terminal.
"""

from __future__ import annotations

import sys
from typing import Any


def on_terminal(wanted: bool) -> bool:
    """Whether a bar asked for (``wanted``) should be drawn: only on an interactive stderr."""
    return wanted and sys.stderr.isatty()


def bar(wanted: bool, *, total: int) -> Any:
    """A tqdm bar on stderr, disabled (a no-op with the same interface) off a terminal."""
    from tqdm import tqdm  # 50 ms of import, paid only by callers that count progress

    return tqdm(total=total, unit="sent", file=sys.stderr, disable=not on_terminal(wanted))
