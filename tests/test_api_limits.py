"""Bounded requests: a write's key is checked before its body is read, every body has a
limit checked while it arrives, and ``/api/align`` is bounded in sentences and time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from align.encoders import Vectors
from api.service.app import create_app
from api.service.deps import get_encoder
from api.service.settings import get_settings
from tests.api_helpers import AUTH, HashEncoder, seeded_client, settings_for

MB = 1_000_000
CHUNKS = 300  # the probe: a 300 MB chunked body


def _send_chunked(app: FastAPI, method: str, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """Stream up to 300 MB to the app as ASGI messages; (status, chunks the app read)."""
    read = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": b" " * MB, "more_body": read < CHUNKS}

    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "server": ("test", 80),
        "client": ("test", 1),
        "headers": [
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
            *((k.lower().encode(), v.encode()) for k, v in headers.items()),
        ],
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], read


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    application = create_app()
    settings = settings_for(tmp_path / "g.sqlite3")
    application.dependency_overrides[get_settings] = lambda: settings
    application.dependency_overrides[get_encoder] = HashEncoder
    return application


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/api/terms"), ("PATCH", "/api/terms/1"), ("POST", "/api/jobs")]
)
def test_write_without_a_key_is_refused_before_its_body_is_read(
    app: FastAPI, method: str, path: str
) -> None:
    status, read = _send_chunked(app, method, path, {})
    assert (status, read) == (401, 0)
    status, read = _send_chunked(app, method, path, {"Authorization": "Bearer wrong-key-000000"})
    assert (status, read) == (401, 0)


@pytest.mark.parametrize(
    ("method", "path", "limit_mb"),
    [("POST", "/api/terms", 0.256), ("PATCH", "/api/terms/1", 0.256), ("POST", "/api/jobs", 20)],
)
def test_a_chunked_body_is_cut_off_at_its_limit(
    app: FastAPI, method: str, path: str, limit_mb: float
) -> None:
    status, read = _send_chunked(app, method, path, AUTH)
    assert status == 413
    assert read <= limit_mb + 1  # megabyte chunks: stopped at the first one past the limit


def test_align_is_bounded_too_though_it_needs_no_key(app: FastAPI) -> None:
    status, read = _send_chunked(app, "POST", "/api/align", {})
    assert status == 413 and read <= 5  # 2 × 2 MB texts and a little JSON


def test_declared_length_over_the_limit_is_refused_at_once(tmp_path: Path) -> None:
    with seeded_client(tmp_path) as client:
        answer = client.post(
            "/api/terms", headers={**AUTH, "Content-Length": "999999999"}, content=b"{}"
        )
        assert answer.status_code == 413
        assert "more than the limit of 256,000 bytes" in answer.json()["detail"]


def test_align_refuses_an_article_with_too_many_sentences(tmp_path: Path) -> None:
    text_zh = "".join(f"第{n}句话。" for n in range(6))
    with seeded_client(tmp_path, max_align_sentences=5) as client:
        answer = client.post("/api/align", json={"src_text": text_zh, "tgt_text": "One. Two."})
        assert answer.status_code == 413
        assert "6 sentences, more than the limit of 5" in answer.json()["detail"]
        assert "POST /api/jobs" in answer.json()["detail"]


class SlowEncoder(HashEncoder):
    def encode(self, texts: Sequence[str]) -> Vectors:
        time.sleep(1.5)
        return super().encode(texts)


def test_align_answers_within_its_time_limit_one_pair_at_a_time(tmp_path: Path) -> None:
    pair = {"src_text": "稳岗。就业。", "tgt_text": "Jobs. Work.", "mode": "parallel"}
    with seeded_client(tmp_path, align_timeout_s=1) as client:
        client.app.dependency_overrides[get_encoder] = SlowEncoder  # type: ignore[attr-defined]
        late = client.post("/api/align", json=pair)
        assert late.status_code == 503 and "did not finish within 1 s" in late.json()["detail"]
        busy = client.post("/api/align", json=pair)  # the abandoned alignment holds the slot
        assert busy.status_code == 503
        time.sleep(3.5)  # the abandoned threads finish and free the slot
        client.app.dependency_overrides[get_encoder] = HashEncoder  # type: ignore[attr-defined]
        assert client.post("/api/align", json=pair).status_code == 200
