"""The work done for one pair, and the local engine that spreads it over processes.

Loading an encoder takes seconds and hundreds of megabytes, so each worker process loads it
once, in the pool's initializer, and then aligns pair after pair. A worker sends back only the
finished output text and a few figures, never the alignment, so the parent's memory does not
grow with the batch; results stream back in the order they finish.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import statistics
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Literal, Protocol

from align.document import document_from_bytes
from align.encoders import DEFAULT_MODEL, Encoder, load_encoder
from align.errors import DuiqiError, InputError
from align.pipeline import MODES, align_documents
from align.reading import read_file
from align.types import Document
from align.writers import to_jsonl, to_tmx

from .manifest import PairSpec

Status = Literal["aligned", "failed", "skipped"]


@dataclass(frozen=True)
class BatchSettings:
    """Everything that decides a pair's output; a rerun with other settings redoes the pair.

    ``cache`` is as for :func:`align.encoders.load_encoder`: ``True`` for the shared default
    file, a path, or ``False`` for none.
    """

    model: str = DEFAULT_MODEL
    mode: str = "auto"
    cache: Path | bool = True
    split_lines: bool = False
    simplified: bool = False

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InputError(f"unknown mode {self.mode!r}: choose one of {', '.join(MODES)}")

    def key(self) -> dict[str, str]:
        """The settings a finished pair is checked against (the cache changes no result)."""
        return {
            "model": self.model,
            "mode": self.mode,
            "split_lines": str(self.split_lines),
            "simplified": str(self.simplified),
        }

    def load_encoder(self, *, threads: int | None = None) -> Encoder:
        return load_encoder(self.model, cache=self.cache, threads=threads)


@dataclass(frozen=True)
class PairResult:
    """One row of ``summary.csv``."""

    id: str
    status: Status
    src_lang: str = ""
    tgt_lang: str = ""
    src_sentences: int = 0
    tgt_sentences: int = 0
    pairs: int = 0
    mean_score: float | None = None
    mode: str = ""
    seconds: float = 0.0
    error: str = ""

    @property
    def sentences(self) -> int:
        return self.src_sentences + self.tgt_sentences


@dataclass(frozen=True)
class PairOutcome:
    """What a worker sends back: the figures, and the output text unless the pair failed."""

    result: PairResult
    tmx: str = ""
    jsonl: str = ""
    inputs: tuple[str, ...] = ()  # input_digest of the source and target bytes aligned


class Engine(Protocol):
    """Aligns pairs somewhere (processes here, a Ray cluster there) and streams outcomes."""

    settings: BatchSettings

    def run(self, specs: Iterable[PairSpec]) -> Iterator[PairOutcome]: ...


def align_pair(spec: PairSpec, encoder: Encoder, settings: BatchSettings) -> PairOutcome:
    """Align one pair; a problem with the pair's input is a failed result, not an exception.

    Only :class:`DuiqiError` (bad input the user can fix) and ``OSError`` (a file that
    vanished or cannot be read) are caught: anything else is a bug and must surface.
    """
    start = time.perf_counter()
    docs: list[Document] = []
    digests: list[str] = []
    try:
        for path in (spec.src, spec.tgt):
            data = read_file(path)
            digests.append(input_digest(data))
            docs.append(
                document_from_bytes(
                    data,
                    name=str(path),
                    split_lines=settings.split_lines,
                    simplified=settings.simplified,
                )
            )
        src, tgt = docs
        alignment = align_documents(src, tgt, mode=settings.mode, encoder=encoder)
        tmx, jsonl = to_tmx(alignment), to_jsonl(alignment)
    except (DuiqiError, OSError) as error:
        return PairOutcome(
            PairResult(
                id=spec.id,
                status="failed",
                src_lang=docs[0].lang if docs else "",
                tgt_lang=docs[1].lang if len(docs) > 1 else "",
                src_sentences=len(docs[0]) if docs else 0,
                tgt_sentences=len(docs[1]) if len(docs) > 1 else 0,
                seconds=time.perf_counter() - start,
                error=str(error) or error.__class__.__name__,
            )
        )
    scores = [bead.score for bead in alignment.pairs()]
    result = PairResult(
        id=spec.id,
        status="aligned",
        src_lang=src.lang,
        tgt_lang=tgt.lang,
        src_sentences=len(src),
        tgt_sentences=len(tgt),
        pairs=len(scores),
        mean_score=statistics.fmean(scores) if scores else None,
        mode=alignment.mode,
        seconds=time.perf_counter() - start,
    )
    return PairOutcome(result, tmx=tmx, jsonl=jsonl, inputs=tuple(digests))


def input_digest(data: bytes) -> str:
    """What a finished pair remembers of an input file, to tell a later edit or a move."""
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- local engine

_worker_encoder: Encoder | None = None
_worker_settings: BatchSettings | None = None


def _init_worker(settings: BatchSettings, threads: int, parent: int, stop: EventType) -> None:
    """Load the encoder once per process; leave Ctrl-C to the parent; stop with the parent.

    Ctrl-C reaches the whole process group; a worker interrupted between tasks would crash the
    pool with a traceback, so only the parent handles it, and sets ``stop`` when the batch
    ends early: the pair a worker is on would be thrown away anyway, so it exits at once
    instead of finishing it. A parent killed with ``kill -9`` cannot set anything, so each
    worker also watches for that and exits rather than linger.

    That exit runs no finalizers, so a worker holds no named semaphore: tqdm's default lock
    (taken by every bar, drawn or not) is one, and the resource tracker would report it
    leaked on stderr after the one line an interrupt gets. A worker draws no bars, so a
    thread lock serves.
    """
    from tqdm import tqdm

    global _worker_encoder, _worker_settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tqdm.set_lock(threading.RLock())
    threading.Thread(target=_exit_with_parent, args=(parent, stop), daemon=True).start()
    _worker_settings = settings
    _worker_encoder = settings.load_encoder(threads=threads)


def _exit_with_parent(parent: int, stop: EventType) -> None:
    while os.getppid() == parent and not stop.wait(0.5):
        pass
    os._exit(1)


def _work(spec: PairSpec) -> PairOutcome:
    if _worker_encoder is None or _worker_settings is None:
        raise RuntimeError("the worker was started without its initializer")
    return align_pair(spec, _worker_encoder, _worker_settings)


class LocalEngine:
    """A pool of ``workers`` processes on this machine sharing one embedding cache file.

    Processes are started with ``spawn`` so that a parent that has already started threads
    (torch, BLAS) is never forked mid-lock. At most ``2 * workers`` pairs are in flight, so a
    manifest of a million rows never becomes a million pending futures.
    """

    def __init__(self, settings: BatchSettings, *, workers: int = 1) -> None:
        if workers < 1:
            raise InputError(f"--workers must be at least 1, got {workers}")
        self.settings = settings
        self.workers = workers

    def run(self, specs: Iterable[PairSpec]) -> Iterator[PairOutcome]:
        todo = iter(specs)
        threads = max(1, (os.cpu_count() or 1) // self.workers)
        context = multiprocessing.get_context("spawn")
        stop = context.Event()
        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.settings, threads, os.getpid(), stop),
        )
        pending: set[Future[PairOutcome]] = set()
        finished = False
        try:
            while True:
                for spec in todo:
                    pending.add(pool.submit(_work, spec))
                    if len(pending) >= 2 * self.workers:
                        break
                if not pending:
                    finished = True
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            # Ended early (Ctrl-C, a consumer that stopped): queued pairs are dropped and the
            # workers exit mid-pair; only pairs already saved count as finished.
            if not finished:
                stop.set()
            pool.shutdown(wait=finished, cancel_futures=True)
