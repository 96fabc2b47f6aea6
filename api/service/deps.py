"""FastAPI dependencies: settings, the store, the encoder, the job runner, the reviewer.

Routes declare what they need with the ``*Dep`` aliases; tests replace a dependency
through ``app.dependency_overrides`` (``get_settings``, ``get_encoder``), never by patching
a module global.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from align.encoders import Encoder, Vectors, load_encoder
from align.errors import DuiqiError
from api.jobs.runner import JobRunner
from api.service.cache import ReadCache
from api.service.reads import StoreReads
from api.service.settings import Settings, get_settings
from glossary.store.engine import Store


class AuthError(DuiqiError):
    """A write came without an API key, or with one the server does not know."""


class LockedEncoder(Encoder):
    """One encode at a time: the model already uses every core, and two synchronous
    alignments encoding at once would only thrash (batch jobs encode in their own process)."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            return self.inner.encode(texts)


@lru_cache(maxsize=2)
def _load_encoder(model: str) -> Encoder:
    return LockedEncoder(load_encoder(model))


def encoder_loaded() -> bool:
    """Whether a request or job has loaded the model yet (the health check reports it)."""
    return _load_encoder.cache_info().currsize > 0


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_encoder(settings: SettingsDep) -> Encoder:
    """The process's encoder, loaded on first use (the model takes seconds to load)."""
    return _load_encoder(settings.model)


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_reads(request: Request) -> StoreReads:
    reads: StoreReads = request.app.state.reads
    return reads


def get_cache(request: Request) -> ReadCache:
    cache: ReadCache = request.app.state.cache
    return cache


def get_jobs(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


_bearer = HTTPBearer(auto_error=False, description="an API key from DUIQI_API_KEYS")


def require_reviewer(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The name recorded with a write: the owner of the key in ``Authorization: Bearer``.

    ``api.service.limits`` checks the same key before the body is read; this names the
    reviewer once the route runs.
    """
    if credentials is None:
        return reviewer_for(settings, "")
    return reviewer_for(settings, f"{credentials.scheme} {credentials.credentials}")


def reviewer_for(settings: Settings, authorization: str) -> str:
    """The owner of the key in an ``Authorization`` header value, or ``AuthError``."""
    scheme, _, given = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise AuthError("this change needs an API key: send the header Authorization: Bearer KEY")
    token = given.strip().encode("utf-8", "surrogateescape")
    for key, name in settings.api_keys.items():
        if hmac.compare_digest(token, key.encode()):
            return name
    raise AuthError("the API key is not valid; check it or ask for one")


def resolve_settings(app: FastAPI) -> Settings:
    """The app's settings outside a route (start-up, middleware), overrides included."""
    provider: Callable[[], Settings] = app.dependency_overrides.get(get_settings, get_settings)
    return provider()


StoreDep = Annotated[Store, Depends(get_store)]
EncoderDep = Annotated[Encoder, Depends(get_encoder)]
JobsDep = Annotated[JobRunner, Depends(get_jobs)]
ReadsDep = Annotated[StoreReads, Depends(get_reads)]
CacheDep = Annotated[ReadCache, Depends(get_cache)]
ReviewerDep = Annotated[str, Depends(require_reviewer)]
