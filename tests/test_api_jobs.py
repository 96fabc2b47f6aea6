"""Batch jobs: queued at once, run in the background, recorded, and recovered after a crash."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update

from api.jobs.models import Job
from api.jobs.queue import MAX_ATTEMPTS, PairInput, create_job, ensure_tables, get_job
from api.jobs.runner import JobRunner
from glossary.store.engine import open_store
from tests.api_helpers import (
    AUTH,
    GatedEncoder,
    HashEncoder,
    client_for,
    seed_store,
    settings_for,
)

ZH = "我们在2021年创造了100万个岗位。失业率为5.1%。创业担保贷款发放了54亿元。"
EN = (
    "We created 1 million jobs in 2021. Unemployment was 5.1%. "
    "Entrepreneurship guaranteed loans of 5.4 billion yuan were issued."
)
PAIRS = [
    {
        "name": "good",
        "src_text": ZH,
        "tgt_text": EN,
        "title": "Jobs 2021",
        "date": "2022-01-25",
        "source": "cq.gov.cn",
    },
    {"name": "same language", "src_text": EN, "tgt_text": EN},
]


def _wait(client: TestClient) -> None:
    runner: JobRunner = client.app.state.jobs  # type: ignore[attr-defined]
    runner.wait_idle()


def test_job_runs_records_progress_and_feeds_the_concordance(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite3"
    seed_store(db)
    with client_for(settings_for(db)) as client:
        submitted = client.post(
            "/api/jobs", json={"pairs": PAIRS, "mode": "parallel"}, headers=AUTH
        )
        assert submitted.status_code == 202
        job_id = submitted.json()["id"]
        assert submitted.json()["total"] == 2 and submitted.json()["submitted_by"] == "alice"
        _wait(client)
        job = client.get(f"/api/jobs/{job_id}").json()
        assert job["state"] == "done", job
        assert (job["done"], job["total"]) == (2, 2)
        assert job["sentences"] == 6 and job["sentences_per_second"] > 0
        assert [(e["index"], e["name"]) for e in job["errors"]] == [(1, "same language")]
        assert "both texts are English" in job["errors"][0]["error"]
        assert job["result"]["pairs_aligned"] == 1
        pairs = client.get("/api/concordance", params={"q": "54亿元"}).json()["items"]
        assert pairs and pairs[0]["zh_doc"]["title"] == "Jobs 2021"
        tmx = client.get(f"/api/export/alignments/{pairs[0]['doc_zh']}.tmx")
        assert tmx.status_code == 200 and "54亿元" in tmx.text


def test_job_with_no_good_pair_fails_with_a_reason(tmp_path: Path) -> None:
    with client_for(settings_for(tmp_path / "g.sqlite3")) as client:
        job_id = client.post("/api/jobs", json={"pairs": PAIRS[1:]}, headers=AUTH).json()["id"]
        _wait(client)
        job = client.get(f"/api/jobs/{job_id}").json()
        assert job["state"] == "failed" and "no pair could be aligned" in job["error"]


def test_job_input_errors(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "g.sqlite3", max_job_pairs=1, max_upload_bytes=500)
    with client_for(settings) as client:
        assert client.post("/api/jobs", json={"pairs": PAIRS}).status_code == 401
        empty = client.post("/api/jobs", json={"pairs": []}, headers=AUTH)
        assert empty.status_code == 422 and "pairs" in empty.json()["detail"]
        many = client.post("/api/jobs", json={"pairs": PAIRS}, headers=AUTH)
        assert many.status_code == 413 and "split it" in many.json()["detail"]
        big = client.post(
            "/api/jobs", headers=AUTH, json={"pairs": [{"src_text": "稳" * 200, "tgt_text": EN}]}
        )
        assert big.status_code == 413 and "pair 0" in big.json()["detail"]
        missing = client.get("/api/jobs/nope")
        assert missing.status_code == 404 and "no job with id 'nope'" in missing.json()["detail"]


def test_interrupted_job_is_resumed_at_start(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite3"
    store = open_store(path=db, create=True)
    ensure_tables(store)
    pair = PairInput(name="p", src_text=ZH, tgt_text=EN)
    job = create_job(store, pairs=[pair], mode="parallel", submitted_by="alice")
    with store.writing() as session:
        session.execute(update(Job).where(Job.id == job.id).values(state="running", attempts=1))
    store.close()
    with client_for(settings_for(db)) as client:
        _wait(client)
        body = client.get(f"/api/jobs/{job.id}").json()
    assert body["state"] == "done" and body["attempts"] == 2 and body["done"] == 1


def test_job_interrupted_too_often_is_marked_failed(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite3"
    store = open_store(path=db, create=True)
    ensure_tables(store)
    job = create_job(
        store,
        pairs=[PairInput(name="p", src_text=ZH, tgt_text=EN)],
        mode="auto",
        submitted_by="alice",
    )
    with store.writing() as session:
        session.execute(
            update(Job).where(Job.id == job.id).values(state="running", attempts=MAX_ATTEMPTS)
        )
    runner = JobRunner(store, HashEncoder)
    runner.start()
    runner.stop()
    failed = get_job(store, job.id)
    store.close()
    assert failed.state == "failed" and "submit it again" in failed.error


GATED_PAIRS = [
    {"name": "first", "src_text": ZH, "tgt_text": EN},
    {
        "name": "held",
        "src_text": "我们在2022年创造了120万个岗位。gate 5.2%。",
        "tgt_text": "We created 1.2 million jobs in 2022. The gate rate was 5.2%.",
    },
]


def _until(check: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def _job(client: TestClient, job_id: str) -> dict[str, object]:
    body: dict[str, object] = client.get(f"/api/jobs/{job_id}").json()
    return body


def test_job_runs_in_a_worker_process_and_reports_progress_while_running(
    tmp_path: Path,
) -> None:
    gate, pids = tmp_path / "gate", tmp_path / "pids"
    with client_for(settings_for(tmp_path / "g.sqlite3"), GatedEncoder(gate, pids)) as client:
        job_id = client.post(
            "/api/jobs", json={"pairs": GATED_PAIRS, "mode": "parallel"}, headers=AUTH
        ).json()["id"]
        _until(lambda: _job(client, job_id)["done"] == 1, "the first pair's progress")
        held = _job(client, job_id)
        assert held["state"] == "running" and held["total"] == 2
        gate.touch()
        _wait(client)
        assert _job(client, job_id)["state"] == "done"
    workers = {int(line) for line in pids.read_text().split()}
    assert workers and os.getpid() not in workers


def test_job_cut_off_by_a_stopping_server_finishes_after_the_restart(tmp_path: Path) -> None:
    db, gate, pids = tmp_path / "g.sqlite3", tmp_path / "gate", tmp_path / "pids"
    encoder = GatedEncoder(gate, pids)
    with client_for(settings_for(db), encoder) as client:
        job_id = client.post(
            "/api/jobs", json={"pairs": GATED_PAIRS, "mode": "parallel"}, headers=AUTH
        ).json()["id"]
        _until(lambda: _job(client, job_id)["done"] == 1, "the first pair's progress")
    store = open_store(path=db)
    interrupted = get_job(store, job_id)
    store.close()
    assert interrupted.state == "running" and interrupted.attempts == 1
    gate.touch()
    with client_for(settings_for(db), encoder) as client:
        _wait(client)
        body = _job(client, job_id)
    assert body["state"] == "done" and body["attempts"] == 2 and body["done"] == 2, body


def test_killed_worker_is_replaced_and_its_job_run_again(tmp_path: Path) -> None:
    gate, pids = tmp_path / "gate", tmp_path / "pids"
    with client_for(settings_for(tmp_path / "g.sqlite3"), GatedEncoder(gate, pids)) as client:
        runner: JobRunner = client.app.state.jobs  # type: ignore[attr-defined]
        job_id = client.post(
            "/api/jobs", json={"pairs": GATED_PAIRS, "mode": "parallel"}, headers=AUTH
        ).json()["id"]
        _until(lambda: _job(client, job_id)["done"] == 1, "the first pair's progress")
        first = runner.worker_pid
        assert first is not None
        os.kill(first, signal.SIGKILL)
        _until(lambda: runner.worker_pid not in (None, first), "a new worker")
        gate.touch()
        _wait(client)
        body = _job(client, job_id)
    assert body["state"] == "done" and body["attempts"] == 2 and body["done"] == 2
