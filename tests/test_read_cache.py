"""The read cache: repeats answered from memory, never an answer older than a write here."""

from __future__ import annotations

from pathlib import Path

from api.service.cache import ReadCache
from tests.api_helpers import AUTH, seeded_client


def test_answers_expire_and_a_write_empties_the_cache() -> None:
    cache = ReadCache(ttl_s=60)
    cache.put("a", b"1", cache.generation)
    assert cache.get("a") == b"1"
    before_write = cache.generation
    cache.clear()
    assert cache.get("a") is None
    cache.put("a", b"stale", before_write)  # computed before the write: not kept
    assert cache.get("a") is None
    off = ReadCache(ttl_s=0)
    off.put("a", b"1", off.generation)
    assert off.get("a") is None
    brief = ReadCache(ttl_s=1e-9)
    brief.put("a", b"1", brief.generation)
    assert brief.get("a") is None  # already expired


def test_a_review_shows_on_the_next_lookup(tmp_path: Path) -> None:
    with seeded_client(tmp_path) as client:
        cache = client.app.state.cache  # type: ignore[attr-defined]
        first = client.get("/api/terms", params={"q": "稳就业"}).json()
        again = client.get("/api/terms", params={"q": "稳就业"}).json()
        assert again == first and cache.hits == 1
        term_id = first["items"][0]["id"]
        body = {"equivalents": [{"en": "stable employment", "status": "preferred"}]}
        assert client.patch(f"/api/terms/{term_id}", json=body, headers=AUTH).status_code == 200
        after = client.get("/api/terms", params={"q": "稳就业"}).json()
        status = {e["en"]: e["status"] for e in after["items"][0]["equivalents"]}
        assert status["stable employment"] == "preferred"


def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    with seeded_client(tmp_path, read_cache_ms=0) as client:
        client.get("/api/terms", params={"q": "稳岗"})
        client.get("/api/terms", params={"q": "稳岗"})
        assert client.app.state.cache.hits == 0  # type: ignore[attr-defined]
