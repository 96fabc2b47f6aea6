"""Every request body bounded, and a write's API key checked before its body is read.

FastAPI reads and parses a route's whole body before it resolves the route's dependencies,
so a key checked by a dependency comes too late: a 300 MB body sent without a key was held
in memory before the 401. This ASGI middleware answers first: a write route that needs a
key gets a 401 before a byte of its body is read, a declared ``Content-Length`` over the
route's limit gets a 413 at once, and a chunked body is counted as it arrives and cut off
with a 413 when it passes the limit. The route's own dependency still checks the key (and
names the reviewer); this is the gate in front of it.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.service.deps import AuthError, resolve_settings, reviewer_for
from api.service.settings import Settings

_READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})


def body_limit(path: str, settings: Settings) -> int:
    """The most bytes a request body to ``path`` may have.

    ``/api/align`` takes two articles, ``/api/jobs`` a batch of them; every other body is a
    small JSON edit, so a large one is refused before it is parsed.
    """
    if path.startswith("/api/align"):
        return 2 * settings.max_upload_bytes + 64_000
    if path.startswith("/api/jobs"):
        return settings.max_job_bytes
    return settings.max_json_bytes


class RequestLimits:
    """The middleware; ``create_app`` adds it inside the security headers.

    Which writes need a key is read from the app's own OpenAPI schema (an operation with
    a ``security`` requirement is one whose route depends on ``require_reviewer``), so a
    new write route is covered without being listed here.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._keyed: list[tuple[str, re.Pattern[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _READ_ONLY:
            await self.app(scope, receive, send)
            return
        service: FastAPI = scope["app"]
        settings = resolve_settings(service)
        if self._needs_key(service, scope["method"], scope["path"]):
            try:
                reviewer_for(settings, _header(scope, b"authorization"))
            except AuthError as error:
                refusal = _error(401, str(error), {"WWW-Authenticate": "Bearer"})
                await refusal(scope, receive, send)
                return
        limit = body_limit(scope["path"], settings)
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            await _error(413, _too_large(limit, int(declared)))(scope, receive, send)
            return
        await self.app(scope, _bounded(receive, limit), send)

    def _needs_key(self, service: FastAPI, method: str, path: str) -> bool:
        if self._keyed is None:
            self._keyed = [
                (verb.upper(), compile_path(template)[0])
                for template, operations in service.openapi().get("paths", {}).items()
                for verb, operation in operations.items()
                if isinstance(operation, dict) and operation.get("security")
            ]
        return any(verb == method and regex.match(path) for verb, regex in self._keyed)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def _bounded(receive: Receive, limit: int) -> Receive:
    """``receive`` that fails with a 413 once the body passes ``limit`` bytes."""
    seen = 0

    async def bounded() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, _too_large(limit))
        return message

    return bounded


def _too_large(limit: int, declared: int | None = None) -> str:
    size = f"has {declared:,} bytes, " if declared is not None else "is "
    return (
        f"the request body {size}more than the limit of {limit:,} bytes for this endpoint; "
        "send less (an article over the limit can be split, or the limits raised in the "
        "server's settings)"
    )


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)
