"""The ``create_app`` factory: routers, the page, and the one place errors become statuses.

Every error a user can cause is a domain error raised in ``align``/``glossary``/``api``;
``STATUS`` maps each class (most specific first) to an HTTP status, and every response
body is ``{"detail": "message"}`` so the page can show any error the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from align.encoders import Encoder
from align.errors import DuiqiError, GoldFormatError, InputError, LanguageError, ModelError
from api.aligning import TooManySentences
from api.jobs.queue import JobNotFound
from api.jobs.runner import JobRunner
from api.jobs.worker import FixedEncoder, JobEncoder
from api.service.cache import ClearOnWrite, ReadCache
from api.service.deps import AuthError, get_encoder, resolve_settings
from api.service.docs import mount_docs
from api.service.headers import SecurityHeaders
from api.service.limits import RequestLimits
from api.service.reads import StoreReads
from api.service.routers import align, concordance, documents, exports, health, jobs, terms
from api.service.routers.align import AlignTimeout
from api.service.routers.concordance import DATE_MESSAGE, DATE_PATTERN
from api.service.schemas import PATTERN_MESSAGES, ErrorOut
from api.service.settings import ConfigError, Settings
from api.service.uploads import InvalidBody, PayloadTooLarge
from glossary.errors import (
    DuplicateTerm,
    ImportFormatError,
    InvalidField,
    InvalidStatus,
    StoreConflict,
    StoreUnavailable,
    TermNotFound,
)
from glossary.store.engine import open_store
from glossary.store.queries import DocumentNotFound, ensure_indexes

STATIC = Path(__file__).parent / "static"
STATUS: tuple[tuple[type[DuiqiError], int], ...] = (
    (AuthError, 401),
    (TermNotFound, 404),
    (DocumentNotFound, 404),
    (JobNotFound, 404),
    (DuplicateTerm, 409),
    (StoreConflict, 409),
    (PayloadTooLarge, 413),
    (TooManySentences, 413),
    (AlignTimeout, 503),
    (InvalidBody, 422),
    (LanguageError, 422),
    (InvalidStatus, 422),
    (InvalidField, 422),
    (ImportFormatError, 400),
    (GoldFormatError, 400),
    (InputError, 400),
    (StoreUnavailable, 503),
    (ModelError, 503),
    (ConfigError, 500),
)
_ERRORS = {status: {"model": ErrorOut} for status in (400, 401, 404, 409, 413, 422, 503)}
_log = logging.getLogger(__name__)


def status_of(error: DuiqiError) -> int:
    return next((code for cls, code in STATUS if isinstance(error, cls)), 400)


def _job_encoder(app: FastAPI, settings: Settings) -> Callable[[], Encoder]:
    """The jobs' encoder, as a picklable factory the worker process calls.

    Without an override the worker loads the configured model itself; an override (a
    test's fake encoder) is built here and sent to the worker as it is.
    """
    override: Callable[[], Encoder] | None = app.dependency_overrides.get(get_encoder)
    if override is None:
        return JobEncoder(settings.model, threads=settings.job_threads)
    return FixedEncoder(override())


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = resolve_settings(app)
    store = open_store(
        settings.database_url, path=settings.db_path, busy_timeout_s=settings.busy_timeout_s
    )
    try:
        ensure_indexes(store)
    except StoreUnavailable as error:  # read-only, or a build holds the lock: still serve
        _log.warning("missing indexes not created, lookups will be slower: %s", error)
    runner = JobRunner(
        store, _job_encoder(app, settings), threads=settings.job_threads, nice=settings.job_nice
    )
    runner.start()
    app.state.store, app.state.jobs, app.state.reads = store, runner, StoreReads()
    app.state.cache = ReadCache(ttl_s=settings.read_cache_ms / 1000)
    app.state.align_slot = threading.Semaphore(1)  # one synchronous alignment at a time
    try:
        yield
    finally:
        runner.stop()
        store.close()


async def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DuiqiError)  # registered for DuiqiError only
    code = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
    return JSONResponse({"detail": str(error)}, status_code=code, headers=headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    operation = _operation(request)
    problems = [_problem(request, operation, p, error.body) for p in error.errors()[:5]]
    return JSONResponse({"detail": "; ".join(problems) or "invalid request"}, status_code=422)


def _problem(request: Request, operation: dict[str, Any], problem: Any, body: Any) -> str:
    """One validation problem as ``where: what``, in words that say what to send instead."""
    loc = tuple(problem.get("loc", ()))
    kind = problem.get("type")
    if kind == "json_invalid":  # FastAPI's own parse: the position is a character offset
        where = _line_and_column(body, loc[-1]) if isinstance(body, str) else ""
        reason = str((problem.get("ctx") or {}).get("error", "")).removesuffix(" at")
        return f"the body is not valid JSON: {reason}{where}; {_send(request, operation)}"
    if loc == ("body",) and kind == "missing":
        return f"the request has no body; {_send(request, operation)}"
    if loc == ("body",) and kind in _NOT_AN_OBJECT:
        sent = problem.get("input")
        if isinstance(sent, bytes):  # not parsed: the content type does not say JSON
            kind_sent = request.headers.get("content-type") or "no Content-Type"
            return f"the body was sent with {kind_sent}, not as JSON; {_send(request, operation)}"
        sent_as = _JSON_KINDS.get(type(sent), "a JSON number")
        return f"the body is {sent_as}, not a JSON object; {_send(request, operation)}"
    where = ".".join(str(p) for p in loc if p != "body") or "body"
    message = problem.get("msg", "invalid")
    if kind == "string_pattern_mismatch":
        pattern = str((problem.get("ctx") or {}).get("pattern", ""))
        message = _PATTERN_MESSAGES.get(pattern, message)
    elif kind in _NOT_A_NUMBER and len(loc) == 2:
        message = _number_wanted(operation, loc, problem.get("input")) or message
    return f"{where}: {message}"


_PATTERN_MESSAGES = {**PATTERN_MESSAGES, DATE_PATTERN: DATE_MESSAGE}
_NOT_AN_OBJECT = frozenset({"model_attributes_type", "model_type", "dict_type"})
_JSON_KINDS = {
    list: "a JSON array",
    str: "a JSON string",
    bool: "JSON true or false",
    type(None): "JSON null",
}
_NOT_A_NUMBER = frozenset(
    {
        *("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"),
        *("finite_number", "greater_than", "greater_than_equal", "less_than", "less_than_equal"),
    }
)


def _line_and_column(text: str, position: object) -> str:
    if not isinstance(position, int) or not 0 <= position <= len(text):
        return ""
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return f" at line {line} column {column}"


def _send(request: Request, operation: dict[str, Any]) -> str:
    """What the body should be: the operation's JSON schema, named, with its fields."""
    content = operation.get("requestBody", {}).get("content", {})
    ref = str(content.get("application/json", {}).get("schema", {}).get("$ref", ""))
    name = ref.rpartition("/")[2]
    schema = request.app.openapi().get("components", {}).get("schemas", {}).get(name, {})
    required = set(schema.get("required", ()))
    fields = [f"{f} (required)" if f in required else f for f in schema.get("properties", {})]
    described = f" with {', '.join(fields)}, as {name} in /docs describes" if fields else ""
    return f"send a JSON object{described}, with the header Content-Type: application/json"


def _number_wanted(operation: dict[str, Any], loc: tuple[Any, ...], sent: object) -> str | None:
    """``must be a number from 0 to 1 (got 'nan')`` for a query or path parameter with
    both bounds in the schema (pydantic's own message names only the bound it checked,
    and ``nan`` fails the upper one); ``None`` for any other."""
    found = (p for p in operation.get("parameters", ()) if (p["in"], p["name"]) == loc)
    schema: dict[str, Any] = next((p.get("schema", {}) for p in found), {})
    shape = next((s for s in (schema, *schema.get("anyOf", ())) if "maximum" in s), schema)
    if "minimum" not in shape or "maximum" not in shape:
        return None
    number = "a whole number" if shape.get("type") == "integer" else "a number"
    low, high = (_plain(shape[bound]) for bound in ("minimum", "maximum"))
    return f"must be {number} from {low} to {high} (got {sent!r})"


def _plain(bound: Any) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _query_is_utf8(request: Request) -> None:
    """Refuse a query string or path whose percent-encoding is not UTF-8.

    Starlette decodes ``%FF`` to U+FFFD, so ``q=%FF`` was searched for as "\ufffd"; the
    raw bytes are checked here, before any parameter is read.
    """
    problems = []
    for part in bytes(request.scope.get("query_string", b"")).split(b"&"):
        name, _, value = part.partition(b"=")
        if not (_utf8(name) and _utf8(value)):
            label = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
            problems.append({"type": "utf8", "loc": ("query", label), "msg": _NOT_UTF8})
    raw_path = request.scope.get("raw_path")
    if isinstance(raw_path, bytes) and not _utf8(raw_path.partition(b"?")[0]):
        problems.append({"type": "utf8", "loc": ("path",), "msg": _NOT_UTF8})
    if problems:
        raise RequestValidationError(problems)


_NOT_UTF8 = (
    "is not valid UTF-8 once percent-decoded; percent-encode the text as UTF-8 "
    "(稳岗 is %E7%A8%B3%E5%B2%97)"
)


def _utf8(encoded: bytes) -> bool:
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})
    detail = str(error.detail)
    if error.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    if isinstance(error.__cause__, UnicodeDecodeError):  # FastAPI's JSON parse of the body
        bad = error.__cause__
        detail = (
            f"the body is not UTF-8 (byte {bad.start} is {bad.object[bad.start : bad.end]!r}); "
            f"{_send(request, _operation(request))}, encoded as UTF-8"
        )
    return JSONResponse({"detail": detail}, status_code=error.status_code, headers=headers or None)


def _path_operations(request: Request) -> list[dict[str, Any]]:
    """The OpenAPI operations of every path template this request's path matches."""
    paths = request.app.openapi().get("paths", {})
    return [
        operations
        for template, operations in paths.items()
        if compile_path(template)[0].match(request.url.path)
    ]


def _operation(request: Request) -> dict[str, Any]:
    """This request's operation in the app's OpenAPI schema; ``{}`` for one not in it."""
    method = request.method.lower()
    found = (ops.get(method) for ops in _path_operations(request))
    return next((op for op in found if isinstance(op, dict)), {})


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path: the router's 405 names only the first
    route's (``GET`` for ``/api/terms``, which also takes ``POST``). ``HeadAsGet`` answers
    a HEAD wherever a GET is taken."""
    methods = {verb.upper() for operations in _path_operations(request) for verb in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


class HeadAsGet:
    """ASGI middleware: a HEAD is answered as the GET of the same URL, without the body.

    FastAPI's routes take only the methods they declare, so ``HEAD /healthz`` was a 405
    whose ``Allow`` header offered HEAD. The headers (``Content-Length`` included) are
    the GET's, as HTTP asks of a HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    _log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse(
        {"detail": "internal error; the server log has the details"}, status_code=500
    )


def create_app() -> FastAPI:
    """The service; settings, the store and the encoder come from dependencies."""
    app = FastAPI(
        title="duiqi",
        summary="Chinese-English policy-term glossary and sentence alignment",
        version="0.1.0",
        lifespan=_lifespan,
        responses=_ERRORS,  # type: ignore[arg-type]
        docs_url=None,  # served by mount_docs from packaged assets, not a CDN
        redoc_url=None,
        dependencies=[Depends(_query_is_utf8)],
    )
    app.add_middleware(ClearOnWrite, cache=lambda: getattr(app.state, "cache", None))
    app.add_exception_handler(DuiqiError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(RequestLimits)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)  # added last: the outermost, on every response
    for module in (terms, concordance, documents, align, jobs, exports, health):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_docs(app)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
