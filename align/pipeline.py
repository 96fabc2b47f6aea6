"""The front door of the package: choose an aligner by mode and run it."""

from __future__ import annotations

from typing import Literal

from .aligner import Aligner
from .auto import AutoAligner
from .comparable import ComparableAligner
from .encoders import Encoder
from .errors import InputError
from .parallel import ParallelAligner
from .types import Alignment, Document

ModeChoice = Literal["parallel", "comparable", "auto"]
MODES: tuple[ModeChoice, ...] = ("parallel", "comparable", "auto")


def make_aligner(mode: str, encoder: Encoder) -> Aligner:
    if mode == "parallel":
        return ParallelAligner(encoder)
    if mode == "comparable":
        return ComparableAligner(encoder)
    if mode == "auto":
        return AutoAligner(encoder)
    raise InputError(f"unknown mode {mode!r}: choose one of {', '.join(MODES)}")


def align_documents(
    src: Document, tgt: Document, *, mode: str = "auto", encoder: Encoder
) -> Alignment:
    return make_aligner(mode, encoder).align(src, tgt)
