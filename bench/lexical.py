"""CC-CEDICT lexical overlap as evidence for the second pass, for ``evidence.py`` to measure.

Champollion and Hunalign score a bead by how many of its words a dictionary translates into
words on the other side. Here: the share of a bead's Chinese words (jieba) whose CC-CEDICT
glosses meet the English side's content stems, and of its English stems that some gloss
meets, less that share on random sentence pairs of the same documents (what chance
overlaps), times a weight, added to each bead's quality in the second pass. It lives in
``bench`` because it was measured and not kept (see ``bench/results/evidence.json``); the
dictionary belongs to ``glossary``, which ``align`` may not import.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from dev_sets import DevSet

from align.parallel import ParallelAligner
from align.search import FloatArray, Step
from align.tokenize import zh_words
from align.windows import WindowGrid, rescore
from glossary.extraction.dictionary import content_stems, glosses

CHANCE_PAIRS = 2_000


@dataclass(frozen=True)
class Lexicon:
    """Per sentence: the English content stems, and the gloss bags of the Chinese words the
    dictionary knows."""

    en: tuple[frozenset[str], ...]
    zh: tuple[tuple[frozenset[str], ...], ...]

    @classmethod
    def of(cls, dev: DevSet) -> Lexicon:
        return cls(
            tuple(frozenset(content_stems(t)) for t in dev.src.texts),
            tuple(tuple(g for g in map(glosses, zh_words(t)) if g) for t in dev.tgt.texts),
        )

    def overlap(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Share of the bead's words (dictionary-known Chinese, English content) matched."""
        english = frozenset().union(*self.en[i0:i1])
        chinese = [bag for j in range(j0, j1) for bag in self.zh[j]]
        if not english and not chinese:
            return 0.0
        every_gloss = frozenset().union(*chinese)
        matched = sum(1 for bag in chinese if bag & english) + len(english & every_gloss)
        return matched / (len(chinese) + len(english))

    def chance(self) -> float:
        rng = np.random.default_rng(0)
        i = rng.integers(0, len(self.en), CHANCE_PAIRS)
        j = rng.integers(0, len(self.zh), CHANCE_PAIRS)
        return float(np.mean([self.overlap(a, a + 1, b, b + 1) for a, b in zip(i, j, strict=True)]))


class LexicalGrid(WindowGrid):
    """The second pass's grid with ``weight`` x (overlap - chance) on every bead's quality."""

    def __init__(
        self,
        grid: WindowGrid,
        lexicon: Lexicon,
        weight: float,
    ) -> None:
        super().__init__(grid.src, grid.tgt, grid.scoring, grid.qualities, grid.means)
        self.lexicon, self.weight, self.base = lexicon, weight, lexicon.chance()

    def _bonus(self, i: int, j: int, a: int, b: int) -> float:
        return self.weight * (self.lexicon.overlap(i - a, i, j - b, j) - self.base)

    def row(self, i: int, lo: int, hi: int) -> dict[tuple[int, int], FloatArray]:
        out = super().row(i, lo, hi)
        for (a, b), values in out.items():
            for k in np.flatnonzero(np.isfinite(values)):
                values[k] += self._bonus(i, lo + int(k), a, b)
        return out

    def bead(self, i: int, j: int, a: int, b: int) -> float:
        return super().bead(i, j, a, b) + self._bonus(i, j, a, b)


def lexical_pass(
    aligner: ParallelAligner, dev: DevSet, lexicon: Lexicon, weights: tuple[float, ...]
) -> dict[float, list[Step]]:
    """The aligner's two passes, the second with the lexical term at each weight."""
    first = aligner.first_pass(dev.src, dev.tgt)
    found = aligner.candidates(first)
    plain = aligner.second_grid(dev.src, dev.tgt, first, found, aligner.second)
    return {weight: rescore(LexicalGrid(plain, lexicon, weight), found) for weight in weights}
