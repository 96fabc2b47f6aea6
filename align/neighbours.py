"""Nearest neighbours between two sets of unit vectors, in blocks.

Only the k best similarities of each row and column are kept, so memory stays
O((n + m) · k) however long the documents are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

BLOCK = 2048


@dataclass(frozen=True)
class Neighbours:
    """For each row: the indices and similarities of its k nearest columns, best first."""

    index: NDArray[np.int64]
    similarity: NDArray[np.float32]


def nearest(queries: NDArray[np.float32], keys: NDArray[np.float32], k: int) -> Neighbours:
    k = min(k, len(keys))
    index = np.zeros((len(queries), k), dtype=np.int64)
    sims = np.zeros((len(queries), k), dtype=np.float32)
    for start in range(0, len(queries), BLOCK):
        block = queries[start : start + BLOCK] @ keys.T
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        top_sims = np.take_along_axis(block, top, axis=1)
        order = np.argsort(-top_sims, axis=1)
        index[start : start + BLOCK] = np.take_along_axis(top, order, axis=1)
        sims[start : start + BLOCK] = np.take_along_axis(top_sims, order, axis=1)
    return Neighbours(index, sims)
