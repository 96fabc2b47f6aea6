"""The service's configuration, read from the environment once per process.

API keys never live in the code: they come from ``DUIQI_API_KEYS`` (comma-separated
``name:key`` pairs) or from the file named by ``DUIQI_API_KEYS_FILE`` (one ``name:key`` a
line, ``#`` comments). A key that is short or a well-known placeholder is refused at start,
so a copied example configuration cannot open the glossary to writes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from align.encoders import DEFAULT_MODEL
from align.errors import DuiqiError
from glossary.store.engine import ENV_DATABASE_URL

ENV_KEYS = "DUIQI_API_KEYS"
ENV_KEYS_FILE = "DUIQI_API_KEYS_FILE"
ENV_DB = "DUIQI_DB"
ENV_MODEL = "DUIQI_MODEL"
ENV_MAX_UPLOAD = "DUIQI_MAX_UPLOAD_BYTES"
ENV_JOB_NICE = "DUIQI_JOB_NICE"
ENV_JOB_THREADS = "DUIQI_JOB_THREADS"
ENV_READ_CACHE_MS = "DUIQI_READ_CACHE_MS"
ENV_MAX_ALIGN_SENTENCES = "DUIQI_MAX_ALIGN_SENTENCES"
ENV_ALIGN_TIMEOUT = "DUIQI_ALIGN_TIMEOUT_S"
MIN_KEY_LENGTH = 16
PLACEHOLDER_KEYS = frozenset(
    {"changethis", "changeme", "secret", "password", "apikey", "api-key", "test", "admin"}
)


class ConfigError(DuiqiError):
    """The service's configuration cannot be used (a bad key, a bad number)."""


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment.

    ``api_keys`` maps each key to the name recorded as the reviewer of its writes.
    ``database_url`` wins over ``db_path``; with neither, the store's default is used.
    ``job_nice`` and ``job_threads`` are the batch-job worker process's scheduling
    niceness and compute threads: jobs take what lookups leave of the cores.
    ``read_cache_ms`` is how long a lookup or concordance answer is reused (0: never; see
    ``api.service.cache``).
    """

    api_keys: Mapping[str, str] = field(default_factory=dict)
    db_path: Path | None = None
    database_url: str | None = None
    model: str = DEFAULT_MODEL
    max_upload_bytes: int = 2_000_000
    max_json_bytes: int = 256_000
    max_align_sentences: int = 1_000
    align_timeout_s: int = 30
    busy_timeout_s: float = 5.0
    max_query_chars: int = 200
    max_job_pairs: int = 200
    max_job_bytes: int = 20_000_000
    examples_per_equivalent: int = 3
    job_nice: int = 10
    job_threads: int = 1
    read_cache_ms: int = 10_000

    # ``max_json_bytes`` bounds every body but /api/align's and /api/jobs'. /api/align
    # refuses an article of more than ``max_align_sentences`` sentences and gives up
    # waiting after ``align_timeout_s`` seconds; one alignment runs at a time. A write
    # waits ``busy_timeout_s`` for a lock another process holds, then gets a 503.

    def __post_init__(self) -> None:
        for key, name in self.api_keys.items():
            check_key(name, key)
        if self.max_upload_bytes < 1:
            raise ConfigError(f"max_upload_bytes must be ≥ 1 (got {self.max_upload_bytes})")
        if not 0 <= self.job_nice <= 19:
            raise ConfigError(f"job_nice must be in 0..19 (got {self.job_nice})")
        for name in ("max_json_bytes", "max_align_sentences", "align_timeout_s"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be ≥ 1 (got {getattr(self, name)})")
        if self.job_threads < 1:
            raise ConfigError(f"job_threads must be ≥ 1 (got {self.job_threads})")
        if self.read_cache_ms < 0:
            raise ConfigError(f"read_cache_ms must be ≥ 0 (got {self.read_cache_ms})")


def check_key(name: str, key: str) -> None:
    """Refuse keys a guesser would try first; the message names the key's owner, not the key."""
    if not name.strip():
        raise ConfigError("an API key has an empty name; write keys as name:key")
    if key.lower() in PLACEHOLDER_KEYS or len(key) < MIN_KEY_LENGTH:
        raise ConfigError(
            f"the API key of {name!r} is a placeholder or shorter than {MIN_KEY_LENGTH} "
            "characters; generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(24))'"
        )


def parse_keys(text: str, *, source: str) -> dict[str, str]:
    """``name:key`` pairs separated by commas or newlines → {key: name}."""
    keys: dict[str, str] = {}
    for raw in text.replace(",", "\n").splitlines():
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        name, sep, key = item.partition(":")
        if not sep or not key.strip():
            raise ConfigError(f"{source}: {name.strip()!r} is not a name:key pair")
        keys[key.strip()] = name.strip()
    return keys


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None


def settings_from_env(env: Mapping[str, str]) -> Settings:
    keys = parse_keys(env.get(ENV_KEYS, ""), source=ENV_KEYS)
    keys_file = env.get(ENV_KEYS_FILE)
    if keys_file:
        try:
            text = Path(keys_file).read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"{ENV_KEYS_FILE}={keys_file}: cannot read it ({error})") from None
        keys |= parse_keys(text, source=keys_file)
    db = env.get(ENV_DB)
    return Settings(
        api_keys=keys,
        db_path=Path(db) if db else None,
        database_url=env.get(ENV_DATABASE_URL) or None,
        model=env.get(ENV_MODEL) or DEFAULT_MODEL,
        max_upload_bytes=_int(env, ENV_MAX_UPLOAD, 2_000_000),
        job_nice=_int(env, ENV_JOB_NICE, 10),
        job_threads=_int(env, ENV_JOB_THREADS, 1),
        read_cache_ms=_int(env, ENV_READ_CACHE_MS, 10_000),
        max_align_sentences=_int(env, ENV_MAX_ALIGN_SENTENCES, 1_000),
        align_timeout_s=_int(env, ENV_ALIGN_TIMEOUT, 30),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings; a dependency, so tests override it instead of the environment."""
    return settings_from_env(os.environ)
