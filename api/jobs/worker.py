"""The batch-job worker: a separate process that runs jobs, niced and on few threads.

Why a process and not a thread of the server: alignment is CPU-bound Python and torch. In a
thread it holds the GIL for long stretches and its encoder spreads over every core, so on a
small machine lookups waited hundreds of milliseconds behind it. In its own process, at a
lower scheduling priority (``nice``) and with its compute libraries held to ``threads``
threads, it takes what the lookups leave.

The process shares nothing with the server but the database, which already holds every
job's input and state, so progress is visible to ``GET /api/jobs/{id}`` as each pair
finishes and a job survives the server (or this process) dying under it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event

from align.encoders import Encoder
from align.errors import DuiqiError

_log = logging.getLogger(__name__)
EXIT_ORPHANED = 3
_THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


@dataclass(frozen=True)
class WorkerConfig:
    """What the worker process needs, all of it picklable.

    ``encoder`` is the pickled encoder factory: it is unpickled only after the thread
    limits are set, since unpickling may import numpy or torch, which read them once.
    ``database_url`` carries the password, if any, so it is never logged.
    """

    database_url: str
    encoder: bytes
    threads: int = 1
    nice: int = 10


@dataclass(frozen=True)
class JobEncoder:
    """The configured model, loaded in the worker on its first job with few threads.

    A picklable factory (a lambda is not), so the model is never loaded in the server
    just to run jobs.
    """

    model: str
    threads: int = 1

    def __call__(self) -> Encoder:
        from align.encoders import load_encoder

        return load_encoder(self.model, threads=self.threads)


@dataclass(frozen=True)
class FixedEncoder:
    """An encoder built by the caller (a test's fake), handed to the worker as it is."""

    encoder: Encoder

    def __call__(self) -> Encoder:
        return self.encoder


def worker_main(
    config: WorkerConfig, inbox: Queue[str | None], outbox: Queue[str], stopping: Event
) -> None:
    """Run the job ids from ``inbox`` one at a time, putting each id on ``outbox`` when done.

    ``None`` on the inbox, or ``stopping`` set, ends the loop after the current job; jobs
    still queued stay queued in the database for the next start.
    """
    _limit_threads(config.threads)
    with suppress(OSError):
        os.nice(config.nice)
    _exit_with_parent()
    from api.jobs.queue import run_job
    from glossary.store.engine import open_store

    factory: Callable[[], Encoder] = pickle.loads(config.encoder)
    encoder = _Once(factory)
    try:
        store = open_store(config.database_url)  # never create: a deleted store stays gone
    except DuiqiError as error:
        _log.error("the job worker cannot open the glossary: %s", error)
        return
    try:
        while not stopping.is_set() and (job_id := inbox.get()) is not None:
            try:
                run_job(store, job_id, encoder=encoder)
            except DuiqiError:  # the store failed even to record the failure
                _log.exception("job %s: state not recorded; it resumes at the next start", job_id)
            outbox.put(job_id)
    finally:
        store.close()


def _exit_with_parent() -> None:
    """End this process when the server's ends, even if it was killed without a word.

    Otherwise an orphan would finish its job while the restarted server runs the same job
    again. Cut off, the job stays "running" in the database and the next start resumes it,
    as it did when jobs ran in a thread of the server.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - always started by JobRunner
        return

    def watch() -> None:
        parent.join()
        os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="duiqi-jobs-parent", daemon=True).start()


class _Once:
    """The encoder factory called at most once: the model takes seconds to load."""

    def __init__(self, factory: Callable[[], Encoder]) -> None:
        self._factory = factory
        self._encoder: Encoder | None = None

    def __call__(self) -> Encoder:
        if self._encoder is None:
            self._encoder = self._factory()
        return self._encoder


def _limit_threads(threads: int) -> None:
    """Hold the BLAS and OpenMP pools to ``threads`` threads.

    Set in the environment before anything numeric is imported here; the encoder itself
    is loaded with ``threads`` (``load_encoder``), which bounds torch and USE-m3.
    """
    for name in _THREAD_VARIABLES:
        os.environ[name] = str(threads)
