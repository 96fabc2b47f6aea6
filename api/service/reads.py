"""Run the store's blocking lookups on a few threads of their own.

A sync FastAPI route runs on the shared threadpool (40 threads). At 64 clients that is 40
threads taking turns at one GIL and at a connection pool of 5 (plus 10 overflow
connections, each opened, set up and closed again per request). Bounding the lookups to
fewer threads than the pool holds keeps every lookup on a warm connection and leaves the
default pool to the other routes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread

P = ParamSpec("P")
T = TypeVar("T")
DEFAULT_READ_THREADS = 4
"""Below the store's connection pool size (SQLAlchemy's default, 5)."""


class StoreReads:
    """A bounded set of threads for read-only store calls; one per service."""

    def __init__(self, threads: int = DEFAULT_READ_THREADS) -> None:
        self.limiter = anyio.CapacityLimiter(threads)

    async def run(self, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``call(*args, **kwargs)`` on one of the read threads, awaited."""
        return await anyio.to_thread.run_sync(
            functools.partial(call, *args, **kwargs), limiter=self.limiter
        )
