"""POST /api/align: JSON and multipart input, and every way an upload can be wrong."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from align.encoders import Encoder
from tests.api_helpers import client_for, seeded_client, settings_for
from tests.conftest import DATA

ZH = "我们在2021年创造了100万个岗位。失业率为5.1%。"
EN = "We created 1 million jobs in 2021. Unemployment was 5.1%."


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with seeded_client(tmp_path, max_upload_bytes=2_000) as test_client:
        yield test_client


def test_json_pair_aligns(client: TestClient) -> None:
    response = client.post("/api/align", json={"src_text": ZH, "tgt_text": EN, "mode": "parallel"})
    assert response.status_code == 200
    body = response.json()
    assert (body["src_lang"], body["tgt_lang"], body["mode"]) == ("zh", "en", "parallel")
    assert [(p["src"], p["tgt"]) for p in body["pairs"]] == [([0], [0]), ([1], [1])]
    assert all(0.0 <= p["score"] <= 1.0 for p in body["pairs"])


def test_multipart_files_align_in_either_order(client: TestClient) -> None:
    files = {
        "src": ("en.txt", EN.encode(), "text/plain"),
        "tgt": ("zh.txt", ZH.encode("gb18030"), "text/plain"),
    }
    response = client.post("/api/align", files=files, data={"mode": "auto"})
    assert response.status_code == 200
    body = response.json()
    assert (body["src_lang"], body["tgt_lang"]) == ("en", "zh")
    assert body["pairs"][0]["tgt_text"] == "我们在2021年创造了100万个岗位。"


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"json": {"src_text": EN, "tgt_text": EN}}, 422, "both texts are English"),
        ({"json": {"src_text": "", "tgt_text": EN}}, 422, "src_text"),
        ({"json": {"src_text": "   \n ", "tgt_text": EN}}, 422, "no Chinese or English text"),
        ({"json": {"src_text": ZH, "tgt_text": EN, "mode": "fuzzy"}}, 422, "mode"),
        ({"json": {"src_text": ZH}}, 422, "tgt_text: Field required"),
        (
            {"content": b"not json", "headers": {"content-type": "application/json"}},
            422,
            "JSON body",
        ),
        (
            {"content": b"x", "headers": {"content-type": "text/plain"}},
            400,
            "unsupported content type",
        ),
        ({"json": {"src_text": "稳" * 1000, "tgt_text": EN}}, 413, "limit of 2,000 bytes"),
        (
            {
                "files": {
                    "src": ("a.txt", b"\xff\xfe\x00\xd8\x00\x00" * 40, "text/plain"),
                    "tgt": ("b.txt", EN.encode(), "text/plain"),
                }
            },
            400,
            "a.txt",
        ),
        (
            {
                "files": {
                    "src": ("a.txt", b"", "text/plain"),
                    "tgt": ("b.txt", EN.encode(), "text/plain"),
                }
            },
            400,
            "a.txt: the file is empty",
        ),
        ({"files": {"src": ("a.txt", ZH.encode(), "text/plain")}}, 400, "no file 'tgt'"),
        (
            {
                "files": {
                    "src": ("a.txt", b"a" * 2_500, "text/plain"),
                    "tgt": ("b.txt", EN.encode(), "text/plain"),
                }
            },
            413,
            "larger than the limit",
        ),
        (
            {
                "files": {
                    "src": ("a.txt", ZH.encode(), "text/plain"),
                    "tgt": ("b.txt", EN.encode(), "text/plain"),
                },
                "data": {"mode": "x"},
            },
            400,
            "unknown mode",
        ),
    ],
)
def test_bad_input_is_a_clear_4xx(
    client: TestClient, kwargs: dict[str, object], status: int, message: str
) -> None:
    response = client.post("/api/align", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]


def test_declared_length_over_the_limit_is_413_before_reading(client: TestClient) -> None:
    response = client.post(
        "/api/align", content=b" " * 100_000, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "more than the limit" in response.json()["detail"]


def test_real_encoder_aligns_a_bible_excerpt(tmp_path: Path, use_encoder: Encoder) -> None:
    zh = "\n".join((DATA / "bible_zh.txt").read_text(encoding="utf-8").splitlines()[:6])
    en = "\n".join((DATA / "bible_en.txt").read_text(encoding="utf-8").splitlines()[:6])
    with client_for(settings_for(tmp_path / "g.sqlite3"), encoder=use_encoder) as client:
        response = client.post(
            "/api/align", json={"src_text": zh, "tgt_text": en, "mode": "parallel"}
        )
    assert response.status_code == 200, response.text
    pairs = [p for p in response.json()["pairs"] if p["src"] and p["tgt"]]
    assert len(pairs) >= 3
    assert sum(p["score"] for p in pairs) / len(pairs) > 0.5
