"""The one public flow every alignment method shares.

``Aligner.align`` checks its inputs and records the settings that produced the result;
subclasses only fill in ``_beads``. The parallel, comparable and length-only aligners are
implementations of this class, not flags threaded through one function.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from .errors import InputError, LanguageError
from .types import Alignment, Bead, Document, Mode, Signature


class Aligner(ABC):
    """Aligns a source document with a target document in the other language."""

    mode: Mode
    model: str = "none"

    def align(self, src: Document, tgt: Document) -> Alignment:
        check_documents(src, tgt)
        beads = self._beads(src, tgt)
        return Alignment(
            src=src,
            tgt=tgt,
            beads=tuple(beads),
            signature=Signature(mode=self.mode, model=self.model, settings=self.settings()),
        )

    @abstractmethod
    def _beads(self, src: Document, tgt: Document) -> list[Bead]:
        """The alignment itself, on inputs already checked."""

    def settings(self) -> tuple[tuple[str, str], ...]:
        """Every parameter that changes the result, for the signature."""
        return ()


def check_documents(src: Document, tgt: Document) -> None:
    """Refuse input that cannot be aligned, with a message that says what to fix."""
    for doc in (src, tgt):
        if not any(s.text.strip() for s in doc.sentences):
            raise InputError(f"{doc.name or 'input'}: contains no sentences to align")
    if src.lang == tgt.lang:
        language = {"zh": "Chinese", "en": "English"}[src.lang]
        raise LanguageError(
            f"both texts are {language} ({src.name or 'source'}, {tgt.name or 'target'}): "
            "give one Chinese and one English text"
        )
