"""Faults injected under a running server: the store deleted, locked, corrupted, chmodded.

A seeded sequence of writes (notes, new terms, preferred equivalents, a burst of
concurrent promotions) runs against uvicorn over real HTTP while faults come and go. Then
the server stops and the file is read afresh, checking the invariants: no acknowledged
write lost, every answer a success or a clear 503/409 (never a 500), reviews intact, at
most one preferred equivalent per term.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from glossary.store.engine import open_store
from tests.api_helpers import AUTH, HashEncoder, Server, seed_store, settings_for
from tests.store_helpers import preferred_per_term

STEPS = 30
RENDERINGS = ("stabilize jobs", "job stabilization", "keeping jobs stable", "job retention")
OK = {200, 201}


@dataclass
class Ledger:
    """What the server acknowledged, and every status it answered."""

    notes: dict[int, str] = field(default_factory=dict)
    terms: set[str] = field(default_factory=set)
    preferred: dict[str, set[str]] = field(default_factory=dict)
    history: dict[int, int] = field(default_factory=dict)
    statuses: list[int] = field(default_factory=list)

    def acknowledged(self, term_id: int, answer: httpx.Response) -> None:
        """A write's answer carries the term's audit trail: it may only grow from here."""
        seen = len(answer.json()["history"])
        self.history[term_id] = max(self.history.get(term_id, 0), seen)


def _files(db: Path) -> list[Path]:
    return [p for p in db.parent.glob(db.name + "*") if p.is_file()]


@contextmanager
def deleted(db: Path) -> Iterator[None]:
    """The file (and its -wal, -shm) gone from its path, then put back as it was."""
    aside = db.parent / "aside"
    aside.mkdir(exist_ok=True)
    moved = [shutil.move(p, aside / p.name) for p in _files(db)]
    try:
        yield
    finally:
        for path in moved:
            shutil.move(path, db.parent / Path(path).name)


@contextmanager
def locked(db: Path) -> Iterator[None]:
    """Another process's write transaction (a build or import) holding the lock."""
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


@contextmanager
def corrupted(db: Path) -> Iterator[None]:
    """The file's header overwritten with garbage, then restored byte for byte."""
    with db.open("r+b") as file:
        header = file.read(100)
        file.seek(0)
        file.write(os.urandom(100))
    try:
        yield
    finally:
        with db.open("r+b") as file:
            file.write(header)


@contextmanager
def chmodded(db: Path) -> Iterator[None]:
    """The file made unreadable and unwritable (a no-op for root, which these tests may be)."""
    mode = db.stat().st_mode
    db.chmod(0)
    try:
        yield
    finally:
        db.chmod(mode)


FAULTS: dict[str, Callable[[Path], AbstractContextManager[None]]] = {
    "delete": deleted,
    "lock": locked,
    "corrupt": corrupted,
    "chmod": chmodded,
}
STRICT = {"delete", "lock", "corrupt"}
"""Faults under which no write may be acknowledged at all."""
HEALTH = {"delete": {503}, "corrupt": {503}, "lock": {200}, "chmod": {200, 503}}
"""/healthz under each fault: reads go on under another process's write lock (WAL), and
connections already open outlive a chmod."""


def _write(
    client: httpx.Client, ledger: Ledger, rng: random.Random, ids: list[int], step: int
) -> int:
    kind = rng.choice(("note", "term", "preferred"))
    if kind == "note":
        term_id, note = rng.choice(ids), f"note {step}"
        answer = client.patch(f"/api/terms/{term_id}", headers=AUTH, json={"note": note})
        if answer.status_code in OK:
            ledger.notes[term_id] = note
            ledger.acknowledged(term_id, answer)
    elif kind == "term":
        zh = f"故障术语{step}"
        answer = client.post("/api/terms", headers=AUTH, json={"zh": zh, "note": "new"})
        if answer.status_code in OK:
            ledger.terms.add(zh)
    else:
        en = rng.choice(RENDERINGS)
        answer = client.patch(
            f"/api/terms/{ids[0]}",
            headers=AUTH,
            json={"equivalents": [{"en": en, "status": "preferred"}]},
        )
        if answer.status_code in OK:
            ledger.preferred["稳岗"] = {en}
            ledger.acknowledged(ids[0], answer)
    ledger.statuses.append(answer.status_code)
    return answer.status_code


def _burst(url: str, ids: list[int], ledger: Ledger) -> None:
    """Concurrent "make N preferred" on one term: one preferred at the end, an acknowledged one."""
    won: set[str] = set()
    lock = threading.Lock()

    def promote(en: str) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            answer = client.patch(
                f"/api/terms/{ids[0]}",
                headers=AUTH,
                json={"equivalents": [{"en": en, "status": "preferred"}]},
            )
        with lock:
            ledger.statuses.append(answer.status_code)
            if answer.status_code in OK:
                won.add(en)
                ledger.acknowledged(ids[0], answer)

    threads = [threading.Thread(target=promote, args=(en,)) for en in RENDERINGS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ledger.preferred["稳岗"] = won


@pytest.mark.parametrize("seed", [11, 23])
def test_faults_under_a_running_server_lose_no_acknowledged_write(
    tmp_path: Path, seed: int
) -> None:
    db = tmp_path / "glossary.sqlite3"
    seed_store(db)
    rng, ledger = random.Random(seed), Ledger()
    settings = settings_for(db, busy_timeout_s=0.5)
    with (
        Server(settings, HashEncoder()) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        ids = [
            client.get("/api/terms", params={"q": q}).json()["items"][0]["id"]
            for q in ("稳岗", "渝创渝新")
        ]
        # Each fault once at a seeded step (in a seeded order), bursts and writes between.
        schedule = list(
            zip(
                sorted(rng.sample(range(STEPS), len(FAULTS))),
                rng.sample(sorted(FAULTS), len(FAULTS)),
                strict=True,
            )
        )
        step = 0
        while step < STEPS or schedule:
            if schedule and step >= schedule[0][0]:
                _, name = schedule.pop(0)
                with FAULTS[name](db):
                    for _ in range(rng.randint(1, 3)):
                        status = _write(client, ledger, rng, ids, step)
                        step += 1
                        if name in STRICT:
                            assert status == 503, (name, status)
                    health = client.get("/healthz").status_code
                    assert health in HEALTH[name], (name, health)
            elif rng.random() < 0.1:
                _burst(server.url, ids, ledger)
            else:
                _write(client, ledger, rng, ids, step)
                step += 1
        assert client.get("/healthz").status_code == 200  # every fault undone: serving again
    assert set(ledger.statuses) <= OK | {409, 503}, sorted(set(ledger.statuses))
    assert ledger.statuses.count(503) > 0 and any(s in OK for s in ledger.statuses)

    store = open_store(path=db)  # afresh, as after a restart
    try:
        from glossary.store.editing import review_history
        from glossary.store.lookups import get_term, lookup

        for term_id, note in ledger.notes.items():
            assert get_term(store, term_id, examples=0).note == note
        for zh in ledger.terms:
            assert [t.zh for t in lookup(store, zh, limit=1)] == [zh]
        counts = preferred_per_term(store)
        assert all(count == 1 for count in counts.values()), counts
        if ledger.preferred.get("稳岗"):
            [term] = [t for t in lookup(store, "稳岗", limit=1)]
            [chosen] = [eq.en for eq in term.equivalents if eq.status == "preferred"]
            assert chosen in ledger.preferred["稳岗"]
        for term_id, seen in ledger.history.items():
            zh = get_term(store, term_id, examples=0).zh
            assert len(review_history(store, zh=zh)) >= seen  # no review lost
    finally:
        store.close()
