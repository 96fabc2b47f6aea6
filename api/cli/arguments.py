"""Argument types shared by the sub-commands: numbers with bounds the code can honour.

argparse's ``type=int`` takes 10**20 as readily as 10; the database then overflows with a
traceback. Each bounded argument says its range instead.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type for a whole number in ``[low, high]``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high:,}, got {text!r}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high:,}, got {text}"
            )
        return value

    return parse
