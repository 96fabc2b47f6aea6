"""Data that flows between the alignment stages.

Every stage takes and returns these frozen values, so a stage can never change what an
earlier stage produced, and each piece of output can be traced back to character offsets
in the text the user gave us.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["zh", "en"]
Mode = Literal["parallel", "comparable"]


@dataclass(frozen=True)
class Sentence:
    """One sentence, repaired (broken lines joined), with where it came from.

    ``start``/``end`` are offsets into ``Document.text``; ``text`` may differ from that
    slice because line breaks inside the sentence have been removed.
    """

    text: str
    start: int
    end: int
    paragraph: int = 0


@dataclass(frozen=True)
class Document:
    """A decoded, normalised text in one language, split into sentences."""

    text: str
    lang: Lang
    sentences: tuple[Sentence, ...]
    name: str = ""

    def __len__(self) -> int:
        return len(self.sentences)

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]


@dataclass(frozen=True)
class Bead:
    """A group of source sentences aligned to a group of target sentences.

    Either side may be empty (an omission). ``score`` is in [0, 1] and estimates the
    probability that the bead is correct.
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float

    @property
    def is_omission(self) -> bool:
        return not self.src or not self.tgt


@dataclass(frozen=True)
class Signature:
    """Every setting that affects an alignment, printed beside every figure."""

    mode: Mode
    model: str
    settings: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        parts = [f"mode:{self.mode}", f"model:{self.model}"]
        parts += [f"{k}:{v}" for k, v in self.settings]
        return "|".join(parts)


@dataclass(frozen=True)
class Alignment:
    """The result of aligning two documents.

    In parallel mode the beads are monotone and cover every sentence exactly once; in
    comparable mode they are only the pairs found to say the same thing.
    """

    src: Document
    tgt: Document
    beads: tuple[Bead, ...]
    signature: Signature
    notes: tuple[str, ...] = field(default=())

    @property
    def mode(self) -> Mode:
        return self.signature.mode

    def pairs(self) -> list[Bead]:
        """Beads with sentences on both sides."""
        return [b for b in self.beads if not b.is_omission]

    def bead_text(self, bead: Bead) -> tuple[str, str]:
        """The source and target text of a bead, sentences joined as each language joins them."""
        return (
            join_sentences([self.src.sentences[i].text for i in bead.src], self.src.lang),
            join_sentences([self.tgt.sentences[j].text for j in bead.tgt], self.tgt.lang),
        )


def join_sentences(texts: list[str], lang: Lang) -> str:
    """Chinese sentences join without a space, English ones with one."""
    return ("" if lang == "zh" else " ").join(texts)
