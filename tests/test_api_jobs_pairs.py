"""A job's answer per pair: status, stored document ids, links to the pair's results, and
errors that name the pair as it was submitted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text, update

from api.jobs.models import Job
from api.jobs.queue import PairInput, create_job, ensure_tables, get_job
from api.jobs.runner import JobRunner
from glossary.store.engine import open_store
from tests.api_helpers import AUTH, client_for, settings_for

ZH_A = "我们在2021年创造了100万个岗位。失业率为5.1%。创业担保贷款发放了54亿元。"
EN_A = (
    "We created 1 million jobs in 2021. Unemployment was 5.1%. "
    "Entrepreneurship guaranteed loans of 5.4 billion yuan were issued."
)
ZH_B = "我们在2022年创造了120万个岗位。失业率为5.2%。"
EN_B = "We created 1.2 million jobs in 2022. Unemployment was 5.2%."
PAIRS = [
    {"name": "jobs 2021", "src_text": ZH_A, "tgt_text": EN_A, "title": "Jobs 2021"},
    {"name": "both English", "src_text": EN_A, "tgt_text": EN_B},
    {"name": "jobs 2022", "src_text": EN_B, "tgt_text": ZH_B, "title": "Jobs 2022"},
]


def _finished(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    submitted = client.post("/api/jobs", json=body, headers=AUTH)
    assert submitted.status_code == 202, submitted.text
    runner: JobRunner = client.app.state.jobs  # type: ignore[attr-defined]
    runner.wait_idle()
    job: dict[str, Any] = client.get(f"/api/jobs/{submitted.json()['id']}").json()
    return job


def test_a_finished_job_links_each_pair_to_its_aligned_pairs_and_tmx(tmp_path: Path) -> None:
    with client_for(settings_for(tmp_path / "g.sqlite3")) as client:
        submitted = client.post(
            "/api/jobs", json={"pairs": PAIRS, "mode": "parallel"}, headers=AUTH
        )
        queued = submitted.json()["pairs"]
        assert [(p["index"], p["name"], p["status"]) for p in queued] == [
            (0, "jobs 2021", "queued"),
            (1, "both English", "queued"),
            (2, "jobs 2022", "queued"),
        ]
        assert all(p["doc_zh"] is None and p["links"] is None for p in queued)
        runner: JobRunner = client.app.state.jobs  # type: ignore[attr-defined]
        runner.wait_idle()
        job = client.get(f"/api/jobs/{submitted.json()['id']}").json()
        assert job["state"] == "done", job
        first, failed, last = job["pairs"]
        assert [p["status"] for p in job["pairs"]] == ["aligned", "failed", "aligned"]
        assert failed["doc_zh"] is None and failed["doc_en"] is None and failed["links"] is None
        assert "both texts are English" in failed["error"]
        for pair, own, other in ((first, "54亿元", "120万"), (last, "120万", "54亿元")):
            assert pair["error"] == ""
            assert pair["links"] == {
                "pairs": f"/api/documents/{pair['doc_zh']}/pairs",
                "tmx": f"/api/export/alignments/{pair['doc_zh']}.tmx",
            }
            page = client.get(pair["links"]["pairs"])
            assert page.status_code == 200, page.text
            items = page.json()["items"]
            assert {(i["doc_zh"], i["doc_en"]) for i in items} == {(pair["doc_zh"], pair["doc_en"])}
            zh_text = "".join(i["zh_text"] for i in items)
            assert own in zh_text and other not in zh_text
            assert page.json()["document"]["title"] == PAIRS[pair["index"]]["title"]
            by_en = client.get(f"/api/documents/{pair['doc_en']}/pairs").json()["items"]
            assert by_en == items
            tmx = client.get(pair["links"]["tmx"])
            assert tmx.status_code == 200
            assert tmx.headers["content-type"].startswith("application/x-tmx+xml")
            assert "<tu" in tmx.text and own in tmx.text and other not in tmx.text


def test_a_failed_pair_is_named_as_submitted(tmp_path: Path) -> None:
    pairs = [
        {"name": "good", "src_text": ZH_A, "tgt_text": EN_A},
        {"name": "Bulletin 7 (EN twice)", "src_text": EN_A, "tgt_text": EN_B},
        {"src_text": ZH_A, "tgt_text": ZH_B},
    ]
    with client_for(settings_for(tmp_path / "g.sqlite3")) as client:
        job = _finished(client, {"pairs": pairs, "mode": "parallel"})
    english, chinese = job["errors"]
    assert (english["index"], english["name"]) == (1, "Bulletin 7 (EN twice)")
    assert english["error"].startswith(
        'both texts are English (src_text of "Bulletin 7 (EN twice)", '
        'tgt_text of "Bulletin 7 (EN twice)"): '
    ), english
    assert (chinese["index"], chinese["name"]) == (2, "pair 2")
    assert 'src_text of "pair 2"' in chinese["error"]
    for error in (english, chinese):
        assert job["id"][:12] not in error["error"], error
        assert job["pairs"][error["index"]]["error"] == error["error"]


def test_pairs_of_one_name_are_told_apart(tmp_path: Path) -> None:
    """Two pairs named alike are still two documents each, with their own links."""
    pairs = [
        {"name": "bulletin", "src_text": ZH_A, "tgt_text": EN_A},
        {"name": "bulletin", "src_text": ZH_B, "tgt_text": EN_B},
        {"name": "bulletin", "src_text": EN_B, "tgt_text": EN_A},
    ]
    with client_for(settings_for(tmp_path / "g.sqlite3")) as client:
        job = _finished(client, {"pairs": pairs, "mode": "parallel"})
        assert job["state"] == "done" and job["result"]["pairs_aligned"] == 2, job
        first, second, third = job["pairs"]
        assert len({first["doc_zh"], first["doc_en"], second["doc_zh"], second["doc_en"]}) == 4
        assert '"bulletin" (pair 2)' in third["error"]
        pages = [
            "".join(i["zh_text"] for i in client.get(p["links"]["pairs"]).json()["items"])
            for p in (first, second)
        ]
    assert "54亿元" in pages[0] and "120万" not in pages[0]
    assert "120万" in pages[1] and "54亿元" not in pages[1]


def test_the_schema_describes_each_pair(tmp_path: Path) -> None:
    with client_for(settings_for(tmp_path / "g.sqlite3")) as client:
        schemas = client.get("/openapi.json").json()["components"]["schemas"]
    job = schemas["JobPublic"]["properties"]
    assert job["pairs"]["items"] == {"$ref": "#/components/schemas/JobPairPublic"}
    assert {"index", "name", "status", "doc_zh", "doc_en", "links", "error"} <= set(
        schemas["JobPairPublic"]["properties"]
    )
    assert set(schemas["PairLinks"]["properties"]) == {"pairs", "tmx"}
    assert {"errors", "result", "done", "total"} <= set(job)  # what older clients read


def test_a_job_table_from_before_pair_outcomes_is_upgraded(tmp_path: Path) -> None:
    store = open_store(path=tmp_path / "g.sqlite3", create=True)
    ensure_tables(store)
    pairs = [PairInput(name=n, src_text=ZH_A, tgt_text=EN_A) for n in ("a", "b", "c")]
    job = create_job(store, pairs=pairs, mode="parallel", submitted_by="alice")
    errors = [{"index": 1, "name": "b", "error": "b failed"}]
    with store.writing() as session:
        session.execute(
            update(Job).where(Job.id == job.id).values(done=2, pair_errors=json.dumps(errors))
        )
        session.execute(text("ALTER TABLE job DROP COLUMN pairs"))
    ensure_tables(store)
    ensure_tables(store)  # a current table is left as it is
    upgraded = get_job(store, job.id)
    store.close()
    assert [(p.name, p.status, p.error) for p in upgraded.pairs] == [
        ("a", "aligned", ""),
        ("b", "failed", "b failed"),
        ("c", "queued", ""),
    ]
    assert upgraded.pairs[0].doc_zh == f"{job.id[:12]}-0-zh"
    assert upgraded.pairs[0].doc_en == f"{job.id[:12]}-0-en"
