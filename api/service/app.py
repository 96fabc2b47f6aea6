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

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from align.encoders import Encoder
from align.errors import DuiqiError, GoldFormatError, InputError, LanguageError, ModelError
from api.aligning import TooManySentences
from api.jobs.queue import JobNotFound
from api.jobs.runner import JobRunner
from api.jobs.worker import FixedEncoder, JobEncoder
from api.service.cache import ClearOnWrite, ReadCache
from api.service.deps import AuthError, get_encoder, resolve_settings
from api.service.docs import mount_docs
from api.service.head import HeadAsGet
from api.service.headers import SecurityHeaders
from api.service.limits import RequestLimits
from api.service.percent_encoding import query_is_utf8
from api.service.problems import allowed_methods, describe, operation_of, what_to_send
from api.service.reads import StoreReads
from api.service.routers import align, concordance, documents, exports, health, jobs, terms
from api.service.routers.align import AlignTimeout
from api.service.schemas import ErrorOut
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
    operation = operation_of(request)
    problems = [describe(request, operation, p, error.body) for p in error.errors()[:5]]
    return JSONResponse({"detail": "; ".join(problems) or "invalid request"}, status_code=422)


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})
    detail = str(error.detail)
    if error.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    if isinstance(error.__cause__, UnicodeDecodeError):  # FastAPI's JSON parse of the body
        bad = error.__cause__
        detail = (
            f"the body is not UTF-8 (byte {bad.start} is {bad.object[bad.start : bad.end]!r}); "
            f"{what_to_send(request, operation_of(request))}, encoded as UTF-8"
        )
    return JSONResponse({"detail": detail}, status_code=error.status_code, headers=headers or None)


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
        dependencies=[Depends(query_is_utf8)],
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
