"""Recent answers of the read endpoints, kept for a moment: translators ask the same terms.

Search as you type and several translators on one glossary repeat the same few queries;
answering a repeat from memory costs a dictionary read instead of a lookup, its views and
their JSON. An answer is kept at most ``ttl_s`` seconds and every write through this
process empties the cache at once, so a reviewer sees their own change on the next read;
writes made elsewhere (the job worker, another server on the same store) show within
``ttl_s``. ``ttl_s = 0`` turns the cache off.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ReadCache:
    """A bounded, time-limited map from a request (path and query) to its JSON body."""

    def __init__(self, *, ttl_s: float, size: int = 4096) -> None:
        self.ttl_s, self.size = ttl_s, size
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0
        """Bumped by ``clear``: an answer computed across a write is not kept (see ``put``)."""
        self.hits = self.misses = 0

    def get(self, key: str) -> bytes | None:
        if self.ttl_s <= 0:
            return None
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] < time.monotonic():
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[1]

    def put(self, key: str, body: bytes, generation: int) -> None:
        """Keep ``body`` unless a write came since ``generation`` was read (it may be stale)."""
        if self.ttl_s <= 0:
            return
        with self._lock:
            if generation != self.generation:
                return
            self._items[key] = (time.monotonic() + self.ttl_s, body)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    async def fetch(self, key: str, build: Callable[[], Awaitable[bytes]]) -> bytes:
        """The kept body for ``key``, or ``build``'s, kept unless a write came meanwhile."""
        body = self.get(key)
        if body is None:
            generation = self.generation
            body = await build()
            self.put(key, body, generation)
        return body

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.generation += 1


class ClearOnWrite:
    """ASGI middleware: after any request that may write, empty the read cache.

    Reads pass straight through (no per-request cost); the cache is emptied after a write
    has answered, so no read can cache the state from before it.
    """

    def __init__(self, app: ASGIApp, cache: Callable[[], ReadCache | None]) -> None:
        self.app, self.cache = app, cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            cache = self.cache()
            if cache is not None:
                cache.clear()
