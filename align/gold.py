"""Reading and writing alignments in the Vecalign/Bertalign bead format.

One bead a line, ``[src ids]:[tgt ids]`` with 0-based sentence numbers, e.g.
``[0, 1]:[2]``, ``[3]:[]`` (a source sentence left out), ``[]:[4]``. This is the format
every published gold set in the field uses, so our predictions are written in it too and
can be scored by other people's tools as well as ours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from align.errors import GoldFormatError
from align.reading import read_file

BeadPair = tuple[tuple[int, ...], tuple[int, ...]]

_EXPECTED = "expected '[i, j]:[k]'"
_BEAD = re.compile(r"\[(?P<src>[^\[\]]*)\]\s*:\s*\[(?P<tgt>[^\[\]]*)\]")
_ID = re.compile(r"[0-9]+")
_NEGATIVE = re.compile(r"-\s*[0-9]+")
_SHOWN = 80  # a binary or minified file would otherwise flood the one-line message


def format_bead(src: Sequence[int], tgt: Sequence[int]) -> str:
    """One bead in the comma-and-space form that Vecalign and Bertalign both write."""
    return f"[{', '.join(map(str, src))}]:[{', '.join(map(str, tgt))}]"


def parse_beads(text: str, *, name: str = "") -> list[BeadPair]:
    """Parse bead lines, refusing anything ambiguous.

    A sentence id may appear at most once on each side of the whole file: the format
    describes a partition of both texts, and a repeated id almost always means two files
    were concatenated or a line was hand-edited wrongly, which would silently skew the
    scores. ``[]:[]`` is refused for the same reason. Blank lines are ignored, a leading
    byte-order mark is tolerated.
    """
    beads: list[BeadPair] = []
    seen: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        where = f"{name} line {number}" if name else f"line {number}"
        match = _BEAD.fullmatch(line)
        if match is None:
            raise GoldFormatError(f"{where}: {_EXPECTED}, got {_show(line)}")
        src = _parse_side(match["src"], where, line)
        tgt = _parse_side(match["tgt"], where, line)
        if not src and not tgt:
            raise GoldFormatError(
                f"{where}: a bead needs a sentence on at least one side, got '[]:[]'"
            )
        for side, ids, previous in (("source", src, seen[0]), ("target", tgt, seen[1])):
            for sentence in ids:
                if sentence in previous:
                    raise GoldFormatError(
                        f"{where}: {side} sentence {sentence} already appears on line "
                        f"{previous[sentence]}; each sentence belongs to one bead"
                    )
                previous[sentence] = number
        beads.append((src, tgt))
    return beads


def load_beads(path: str | Path) -> list[BeadPair]:
    """Read a bead file; errors name the file so a batch run says which one is bad."""
    return decode_beads(read_file(path), name=str(path))


def decode_beads(data: bytes, *, name: str) -> list[BeadPair]:
    """Parse a bead file's bytes; a file without a single bead cannot be scored."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GoldFormatError(
            f"{name}: not UTF-8 text (byte {error.start}); an alignment file holds only "
            f"lines like '[0, 1]:[2]'"
        ) from error
    beads = parse_beads(text, name=name)
    if not beads:
        raise GoldFormatError(
            f"{name}: the file holds no beads; an alignment file has lines like '[0, 1]:[2]'"
        )
    return beads


def _parse_side(side: str, where: str, line: str) -> tuple[int, ...]:
    if not side.strip():
        return ()
    ids: list[int] = []
    for item in side.split(","):
        token = item.strip()
        if _NEGATIVE.fullmatch(token):
            raise GoldFormatError(
                f"{where}: sentence ids are 0-based line numbers and cannot be negative, "
                f"got {token!r} in {_show(line)}"
            )
        if not _ID.fullmatch(token):
            raise GoldFormatError(
                f"{where}: sentence ids must be integers, got {token!r} in {_show(line)}"
            )
        ids.append(int(token))
    if len(set(ids)) != len(ids):
        raise GoldFormatError(f"{where}: a sentence id is repeated within {_show(line)}")
    return tuple(ids)


def _show(line: str) -> str:
    return repr(line if len(line) <= _SHOWN else line[:_SHOWN] + "...")
