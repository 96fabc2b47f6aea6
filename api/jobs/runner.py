"""The server's side of batch jobs: hand job ids to the worker process and watch it.

The worker (``api.jobs.worker``) is started on the first job, not with the server, so a
server that never gets a job never pays for a second Python process or the model. One
worker, one job at a time: alignment is CPU-bound and lookups must stay fast on a small
machine. If the worker dies mid-job (killed, out of memory), the jobs it held are
recovered from the database exactly as at a restart and a new worker runs them.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event

from align.encoders import Encoder
from api.jobs.queue import ensure_tables, recover_jobs
from api.jobs.worker import WorkerConfig, worker_main
from glossary.errors import StoreUnavailable
from glossary.store.engine import Store

_log = logging.getLogger(__name__)
_POLL_S = 0.2


class JobRunner:
    """Queues jobs for one worker process and knows which are still outstanding.

    ``encoder`` must be picklable (``JobEncoder``, ``FixedEncoder``, a class): it is
    called in the worker, when its first job runs. ``threads`` and ``nice`` are the
    worker's compute threads and scheduling niceness: at 10 a busy server's lookups get
    about nine times the worker's share of a core, and an idle server's job runs at full
    speed.
    """

    def __init__(
        self, store: Store, encoder: Callable[[], Encoder], *, threads: int = 1, nice: int = 10
    ) -> None:
        self.store = store
        self._encoder = encoder
        self._threads, self._nice = threads, nice
        self._context = multiprocessing.get_context("spawn")  # never fork a threaded server
        self._lock = threading.Condition()
        self._outstanding: set[str] = set()
        self._process: SpawnProcess | None = None
        self._inbox: Queue[str | None] | None = None
        self._outbox: Queue[str] | None = None
        self._stopping: Event | None = None
        self._watcher: threading.Thread | None = None
        self._closed = False

    def start(self) -> None:
        """Create the job table and queue the jobs a previous server left unfinished."""
        ensure_tables(self.store)
        for job_id in recover_jobs(self.store):
            self.submit(job_id)

    def submit(self, job_id: str) -> None:
        with self._lock:
            if self._closed or job_id in self._outstanding:
                return
            inbox = self._worker()
            self._outstanding.add(job_id)
            inbox.put(job_id)

    def wait_idle(self) -> None:
        """Block until every submitted job has finished (for tests and benchmarks)."""
        with self._lock:
            self._lock.wait_for(lambda: not self._outstanding or self._closed)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the current job; jobs still queued stay queued for the next start.

        A job still running after ``timeout`` seconds is cut off; it stays "running" in
        the database and is run again at the next start, like any interrupted job.
        """
        with self._lock:
            self._closed = True
            process, inbox, stopping = self._process, self._inbox, self._stopping
            self._lock.notify_all()
        if process is not None and inbox is not None and stopping is not None:
            stopping.set()
            inbox.put(None)
            process.join(timeout)
            if process.is_alive():
                _log.warning("the job worker did not stop within %.0f s; ending it", timeout)
                process.terminate()
                process.join(5)
        if self._watcher is not None:
            self._watcher.join(timeout)
        with self._lock:
            self._forget_worker()

    @property
    def worker_pid(self) -> int | None:
        """The worker process's id while one runs (for tests and operators)."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def _worker(self) -> Queue[str | None]:
        """The inbox of a live worker process, starting one if needed (lock held)."""
        if self._process is not None and self._inbox is not None:
            return self._inbox
        config = WorkerConfig(
            database_url=self.store.engine.url.render_as_string(hide_password=False),
            encoder=pickle.dumps(self._encoder),
            threads=self._threads,
            nice=self._nice,
        )
        inbox: Queue[str | None] = self._context.Queue()
        outbox: Queue[str] = self._context.Queue()
        stopping = self._context.Event()
        process = self._context.Process(
            target=worker_main,
            args=(config, inbox, outbox, stopping),
            name="duiqi-jobs",
            daemon=True,
        )
        process.start()
        self._process, self._inbox, self._outbox, self._stopping = (
            process,
            inbox,
            outbox,
            stopping,
        )
        if self._watcher is None:
            self._watcher = threading.Thread(
                target=self._watch, name="duiqi-jobs-watch", daemon=True
            )
            self._watcher.start()
        return inbox

    def _forget_worker(self) -> None:
        """Close the channels and drop every reference, so their semaphores are released."""
        for channel in (self._inbox, self._outbox):
            if channel is not None:
                channel.close()
                channel.cancel_join_thread()
        self._process = self._inbox = self._outbox = self._stopping = None

    def _watch(self) -> None:
        """Mark jobs finished as the worker reports them; recover them if it dies."""
        while True:
            with self._lock:
                if self._closed:
                    return
                process, outbox = self._process, self._outbox
            if process is None or outbox is None:  # pragma: no cover - set before the thread
                return
            try:
                job_id = outbox.get(timeout=_POLL_S)
            except queue.Empty:
                if not process.is_alive():
                    self._replace_dead_worker(process)
                continue
            with self._lock:
                self._outstanding.discard(job_id)
                self._lock.notify_all()

    def _replace_dead_worker(self, dead: SpawnProcess) -> None:
        with self._lock:
            if self._closed or self._process is not dead:
                return
            _log.error("the job worker exited with status %s; recovering its jobs", dead.exitcode)
            self._forget_worker()
            self._outstanding.clear()
            try:
                pending = recover_jobs(self.store)
            except StoreUnavailable as error:  # gone or locked: the next start recovers them
                _log.error("jobs not recovered: %s", error)
                pending = []
            if pending:
                inbox = self._worker()
                self._outstanding.update(pending)
                for job_id in pending:
                    inbox.put(job_id)
            self._lock.notify_all()
