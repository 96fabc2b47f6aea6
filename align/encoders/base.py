"""The one interface every encoder implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]


class Encoder(ABC):
    """Maps sentences to L2-normalised vectors, so a dot product is a cosine."""

    name: str

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> Vectors:
        """Return an array of shape (len(texts), dim), float32, rows of unit length."""


def normalise_rows(vectors: NDArray[np.floating]) -> Vectors:
    """Unit-length rows; an all-zero row (an empty sentence) stays zero instead of NaN."""
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: Vectors = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return result
