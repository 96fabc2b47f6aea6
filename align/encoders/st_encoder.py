"""Encoders backed by sentence-transformers: every model named by hub name or path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .base import Encoder, Vectors, normalise_rows
from .progress import on_terminal


class SentenceTransformerEncoder(Encoder):
    """Wraps a loaded ``SentenceTransformer``; empty strings embed to zero vectors."""

    def __init__(
        self, model: Any, *, name: str, batch_size: int = 64, progress: bool = False
    ) -> None:
        self.model = model
        self.name = name
        self.batch_size = batch_size
        self.progress = progress

    def encode(self, texts: Sequence[str]) -> Vectors:
        dim = int(self.model.get_embedding_dimension())
        out = np.zeros((len(texts), dim), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if todo:
            vectors = self.model.encode(
                [texts[i] for i in todo],
                batch_size=self.batch_size,
                convert_to_numpy=True,
                show_progress_bar=on_terminal(self.progress) and len(todo) > self.batch_size,
            )
            out[todo] = vectors
        return normalise_rows(out)
