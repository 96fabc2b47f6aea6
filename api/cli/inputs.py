"""Command input: a file, or standard input for the name ``-``, always read with a bound."""

from __future__ import annotations

import sys
from pathlib import Path

from align.document import document_from_bytes
from align.errors import InputError
from align.reading import read_file, read_stream
from align.types import Document
from api.cli.output import STDIO


def read_input(path: Path) -> bytes:
    """The bytes of ``path``, or of standard input for ``-``."""
    if str(path) == STDIO:
        if sys.stdin is None:  # started with stdin closed (`<&-`)
            raise InputError("'-' names standard input, but it is closed")
        return read_stream(sys.stdin.buffer, name="standard input")
    return read_file(path)


def input_name(path: Path) -> str:
    return "standard input" if str(path) == STDIO else str(path)


def check_one_stdin(*paths: Path | None) -> None:
    """Standard input can be read once: refuse ``-`` named twice before reading anything."""
    if sum(str(path) == STDIO for path in paths if path is not None) > 1:
        raise InputError("only one input can be '-' (standard input)")


def load_inputs(
    *paths: Path, split_lines: bool = False, simplified: bool = False
) -> list[Document]:
    """One document per path; at most one of them may be ``-``."""
    check_one_stdin(*paths)
    return [
        document_from_bytes(
            read_input(path),
            name=input_name(path),
            split_lines=split_lines,
            simplified=simplified,
        )
        for path in paths
    ]
