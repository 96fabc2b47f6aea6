"""Term lookup, review and the error contract of /api/terms and /api/concordance."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.service.settings import ConfigError, Settings, parse_keys, settings_from_env
from glossary.store.engine import open_store
from tests.api_helpers import AUTH, OTHER_KEY, client_for, seed_store, seeded_client, settings_for


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with seeded_client(tmp_path) as test_client:
        yield test_client


def _term_id(client: TestClient, q: str) -> int:
    item: int = client.get("/api/terms", params={"q": q}).json()["items"][0]["id"]
    return item


def test_lookup_chinese_gives_equivalents_examples_and_provenance(client: TestClient) -> None:
    body = client.get("/api/terms", params={"q": "渝创渝新"}).json()
    assert (body["total"], body["total_exact"]) == (1, True)
    term = body["items"][0]
    assert term["zh"] == "渝创渝新" and term["match"] == "exact"
    best = term["equivalents"][0]
    assert best["en"] == "Chongqing Create Chongqing New" and best["status"] == "preferred"
    example = best["examples"][0]
    zh_span, en_span = example["zh_span"], example["en_span"]
    assert example["zh_text"][zh_span["start"] : zh_span["end"]] == "渝创渝新"
    assert example["en_text"][en_span["start"] : en_span["end"]] == best["en"]
    assert example["zh_doc"]["title"] == "重庆稳就业"
    assert example["en_doc"]["date"] == "2023-03-02"


def test_lookup_english_prefix_and_paging(client: TestClient) -> None:
    first = client.get("/api/terms", params={"q": "stabiliz", "limit": 1}).json()["items"]
    second = client.get("/api/terms", params={"q": "stabiliz", "limit": 1, "offset": 1}).json()
    assert len(first) == 1 and len(second["items"]) == 1
    assert first[0]["id"] != second["items"][0]["id"]


def test_lookup_without_match_is_an_empty_page(client: TestClient) -> None:
    response = client.get("/api/terms", params={"q": "zzzz-nothing"})
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "q: String should have at least 1 character"),
        ({"q": "稳" * 201}, "at most 200 characters"),
        ({}, "q: Field required"),
        ({"q": "稳岗", "limit": 0}, "limit: must be a whole number from 1 to 100 (got '0')"),
        ({"q": "稳岗", "offset": -1}, "offset: must be a whole number from 0 to 10000"),
    ],
)
def test_bad_queries_are_422_with_a_message(
    client: TestClient, params: dict[str, object], message: str
) -> None:
    response = client.get("/api/terms", params=params)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_whitespace_query_is_422_from_the_store(client: TestClient) -> None:
    response = client.get("/api/terms", params={"q": "   "})
    assert response.status_code == 422
    assert "empty" in response.json()["detail"]


def test_get_term_by_id_and_unknown_id(client: TestClient) -> None:
    term_id = _term_id(client, "稳岗")
    assert client.get(f"/api/terms/{term_id}").json()["zh"] == "稳岗"
    missing = client.get("/api/terms/999999")
    assert missing.status_code == 404 and "no term with id 999999" in missing.json()["detail"]
    assert client.get("/api/terms/abc").status_code == 422
    assert client.get(f"/api/terms/{2**70}").status_code == 422


def test_writes_need_a_valid_key(client: TestClient) -> None:
    term_id = _term_id(client, "稳岗")
    none = client.patch(f"/api/terms/{term_id}", json={"note": "x"})
    assert none.status_code == 401 and "needs an API key" in none.json()["detail"]
    assert none.headers["www-authenticate"] == "Bearer"
    bad = client.patch(
        f"/api/terms/{term_id}",
        json={"note": "x"},
        headers={"Authorization": "Bearer wrong-key-0123456789"},
    )
    assert bad.status_code == 401 and "not valid" in bad.json()["detail"]
    basic = client.post("/api/terms", json={"zh": "新词"}, headers={"Authorization": "Basic eA=="})
    assert basic.status_code == 401


def test_review_is_recorded_with_who_and_when(client: TestClient) -> None:
    term_id = _term_id(client, "稳岗")
    response = client.patch(
        f"/api/terms/{term_id}",
        json={
            "note": "checked",
            "equivalents": [{"en": "job stabilization", "status": "preferred"}],
        },
        headers={"Authorization": f"Bearer {OTHER_KEY}"},
    )
    assert response.status_code == 200
    body = response.json()
    statuses = {e["en"]: e["status"] for e in body["equivalents"]}
    assert statuses == {"job stabilization": "preferred", "stabilize jobs": "admitted"}
    assert body["note"] == "checked"
    reviewed = next(e for e in body["equivalents"] if e["en"] == "job stabilization")
    assert reviewed["reviewed_by"] == "bob" and reviewed["reviewed_at"]
    assert {(h["reviewer"], h["action"]) for h in body["history"]} >= {
        ("bob", "review"),
        ("bob", "update_term"),
    }
    again = client.get(f"/api/terms/{term_id}").json()
    assert again["equivalents"][0]["en"] == "job stabilization"


def test_patch_errors(client: TestClient) -> None:
    term_id = _term_id(client, "稳岗")
    bad_status = client.patch(
        f"/api/terms/{term_id}",
        headers=AUTH,
        json={"equivalents": [{"en": "x", "status": "great"}]},
    )
    assert bad_status.status_code == 422 and "status" in bad_status.json()["detail"]
    missing = client.patch("/api/terms/999999", headers=AUTH, json={"note": "x"})
    assert missing.status_code == 404
    not_json = client.patch(f"/api/terms/{term_id}", headers=AUTH, content=b"{oops")
    assert not_json.status_code == 422


def test_add_term_then_duplicate(client: TestClient) -> None:
    body = {
        "zh": "数字经济",
        "definition": "digital economy",
        "equivalents": [{"en": "digital economy", "status": "preferred"}],
    }
    created = client.post("/api/terms", json=body, headers=AUTH)
    assert created.status_code == 201
    assert created.json()["equivalents"][0]["reviewed_by"] == "alice"
    found = client.get("/api/terms", params={"q": "digital econ"}).json()["items"]
    assert found[0]["zh"] == "数字经济"
    duplicate = client.post("/api/terms", json=body, headers=AUTH)
    assert duplicate.status_code == 409 and "already in the glossary" in duplicate.json()["detail"]
    empty = client.post("/api/terms", json={"zh": "  "}, headers=AUTH)
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]


def test_concordance_highlights_the_query(client: TestClient) -> None:
    items = client.get("/api/concordance", params={"q": "稳岗"}).json()["items"]
    pair = items[0]
    hit = pair["zh_hits"][0]
    assert pair["zh_text"][hit["start"] : hit["end"]] == "稳岗"
    assert pair["zh_doc"]["source"] == "cq.gov.cn"
    english = client.get("/api/concordance", params={"q": "Stabilize Jobs"}).json()["items"]
    hit = english[0]["en_hits"][0]
    assert english[0]["en_text"][hit["start"] : hit["end"]] == "stabilize jobs"
    assert client.get("/api/concordance", params={"q": ""}).status_code == 422


def test_concordance_pages_filters_and_sorts_with_a_total(client: TestClient) -> None:
    body = client.get("/api/concordance", params={"q": "Chongqing", "limit": 1}).json()
    assert (body["total"], len(body["items"]), body["index"]) == (1, 1, "fts5-trigram")
    both = client.get("/api/concordance", params={"q": "。", "sort": "document"}).json()
    assert both["total"] == 2 and [p["zh_ids"] for p in both["items"]] == [[0], [1]]
    second = client.get("/api/concordance", params={"q": "。", "offset": 1}).json()
    assert second["total"] == 2 and second["items"][0]["score"] == 0.87
    assert (
        client.get("/api/concordance", params={"q": "。", "source": "CQ.GOV"}).json()["total"] == 2
    )
    assert client.get("/api/concordance", params={"q": "。", "min_score": 0.9}).json()["total"] == 1
    assert (
        client.get("/api/concordance", params={"q": "。", "date_to": "2022"}).json()["total"] == 0
    )
    bad = client.get("/api/concordance", params={"q": "。", "sort": "alphabet"})
    assert bad.status_code == 422 and "sort" in bad.json()["detail"]


def test_health(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["terms"] >= 20 and body["pairs"] == 2


def test_page_is_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "duiqi" in page.text
    assert client.get("/static/app.js").status_code == 200
    missing = client.get("/nowhere")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}


def test_keys_come_from_env_or_file(tmp_path: Path) -> None:
    keyfile = tmp_path / "keys"
    keyfile.write_text("# reviewers\ncarol:carol-key-0123456789abc\n", encoding="utf-8")
    settings = settings_from_env(
        {"DUIQI_API_KEYS": "alice:alice-key-0123456789ab", "DUIQI_API_KEYS_FILE": str(keyfile)}
    )
    assert settings.api_keys == {
        "alice-key-0123456789ab": "alice",
        "carol-key-0123456789abc": "carol",
    }


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("alice:changethis", "placeholder or shorter"),
        ("alice:short", "placeholder or shorter"),
        ("alice", "not a name:key pair"),
        (":abcdefghijklmnopqrstu", "empty name"),
    ],
)
def test_settings_refuse_default_or_malformed_keys(keys: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_env({"DUIQI_API_KEYS": keys})


def test_settings_refuse_bad_numbers_and_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a whole number"):
        settings_from_env({"DUIQI_MAX_UPLOAD_BYTES": "lots"})
    with pytest.raises(ConfigError, match="cannot read it"):
        settings_from_env({"DUIQI_API_KEYS_FILE": str(tmp_path / "missing")})
    with pytest.raises(ConfigError, match="max_upload_bytes must be"):
        Settings(max_upload_bytes=0)
    assert parse_keys("", source="x") == {}


def test_job_worker_priority_and_threads_come_from_env() -> None:
    settings = settings_from_env({"DUIQI_JOB_NICE": "19", "DUIQI_JOB_THREADS": "2"})
    assert (settings.job_nice, settings.job_threads) == (19, 2)
    assert (Settings().job_nice, Settings().job_threads) == (10, 1)
    with pytest.raises(ConfigError, match=r"job_nice must be in 0\.\.19"):
        settings_from_env({"DUIQI_JOB_NICE": "20"})
    with pytest.raises(ConfigError, match="job_threads must be ≥ 1"):
        settings_from_env({"DUIQI_JOB_THREADS": "0"})


def test_service_adds_indexes_an_older_glossary_lacks(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    seed_store(db)
    store = open_store(path=db)
    with store.writing() as session:
        session.execute(text("DROP INDEX ix_equivalent_en_lower_ranked"))
    store.close()
    with client_for(settings_for(db)) as client:
        assert client.get("/api/terms", params={"q": "stabiliz"}).json()["items"]
    with sqlite3.connect(db) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert "ix_equivalent_en_lower_ranked" in names


def test_rename_an_equivalent_keeps_its_status_and_examples(client: TestClient) -> None:
    term_id = _term_id(client, "稳岗")
    before = {e["en"]: e for e in client.get(f"/api/terms/{term_id}").json()["equivalents"]}
    body = {"renames": [{"en": "stabilize jobs", "to": "stabilise jobs"}]}
    renamed = client.patch(f"/api/terms/{term_id}", json=body, headers=AUTH)
    assert renamed.status_code == 200
    after = {e["en"]: e for e in renamed.json()["equivalents"]}
    assert "stabilize jobs" not in after
    assert after["stabilise jobs"]["status"] == before["stabilize jobs"]["status"]
    assert after["stabilise jobs"]["examples"] == before["stabilize jobs"]["examples"]
    assert after["stabilise jobs"]["reviewed_by"] == "alice"
    assert renamed.json()["history"][-1]["after"] == {"en": "stabilise jobs"}
    found = client.get("/api/terms", params={"q": "stabilise"}).json()["items"]
    assert found[0]["zh"] == "稳岗" and found[0]["match"] == "prefix"
    clash = {"renames": [{"en": "stabilise jobs", "to": "job stabilization"}]}
    assert client.patch(f"/api/terms/{term_id}", json=clash, headers=AUTH).status_code == 409
    gone = {"renames": [{"en": "no such wording", "to": "x"}]}
    missing = client.patch(f"/api/terms/{term_id}", json=gone, headers=AUTH)
    assert missing.status_code == 404 and "has no equivalent" in missing.json()["detail"]


def test_an_example_opens_in_its_article(client: TestClient) -> None:
    window = client.get("/api/documents/seed-002-zh/pairs", params={"around": 1, "limit": 1})
    body = window.json()
    assert body["document"]["title"] == "重庆稳就业" and body["total"] == 2
    assert (body["offset"], body["focus"]) == (1, 0)
    assert body["items"][0]["zh_text"] == "落实减负稳岗政策。"
    whole = client.get("/api/documents/seed-002-en/pairs").json()
    assert [p["en_ids"] for p in whole["items"]] == [[0], [1]] and whole["focus"] is None
    assert client.get("/api/documents/seed-002-zh/pairs", params={"around": 9}).status_code == 422
    assert client.get("/api/documents/nowhere/pairs").status_code == 404


def test_an_edit_from_a_stale_read_is_a_409_and_the_other_edit_stays(client: TestClient) -> None:
    """Two reviewers open the same term; the second to save silently overwrote the first
    (the page sends the note it read). An edit that names the revision it read is refused
    once the term changed since, saying by whom; one without a revision still applies."""
    bob = {"Authorization": f"Bearer {OTHER_KEY}"}
    term = client.get(f"/api/terms/{_term_id(client, '稳岗')}").json()
    read = term["revision"]
    first = client.patch(
        f"/api/terms/{term['id']}", json={"note": "alice's note", "revision": read}, headers=AUTH
    )
    assert first.status_code == 200 and first.json()["revision"] != read
    stale = client.patch(
        f"/api/terms/{term['id']}", json={"note": "bob's note", "revision": read}, headers=bob
    )
    assert stale.status_code == 409
    assert "changed since you read it" in stale.json()["detail"]
    assert "alice" in stale.json()["detail"]
    assert client.get(f"/api/terms/{term['id']}").json()["note"] == "alice's note"
    fresh = client.patch(
        f"/api/terms/{term['id']}",
        json={"note": "bob's note", "revision": first.json()["revision"]},
        headers=bob,
    )
    assert fresh.status_code == 200 and fresh.json()["note"] == "bob's note"
    unguarded = client.patch(f"/api/terms/{term['id']}", json={"note": "any"}, headers=AUTH)
    assert unguarded.status_code == 200


def test_a_revision_is_the_term_as_a_reviewer_sees_it(client: TestClient) -> None:
    """Unchanged reads give the same revision; a malformed one is a 422 that says so."""
    term_id = _term_id(client, "稳岗")
    once, again = (client.get(f"/api/terms/{term_id}").json() for _ in range(2))
    assert once["revision"] == again["revision"]
    listed = client.get("/api/terms", params={"q": "稳岗"}).json()["items"][0]
    assert listed["revision"] == once["revision"]
    bad = client.patch(f"/api/terms/{term_id}", json={"revision": "x" * 100}, headers=AUTH)
    assert bad.status_code == 422 and "revision" in bad.json()["detail"]
