"""A glossary file deleted, replaced or damaged under a running service or a command.

Every read and write then fails with a clear 503 (CLI: one line, exit 2); nothing is
acknowledged that was not kept, and no empty database is created in the file's place: only
``glossary build`` and ``import`` create a store.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from api.cli import main
from api.jobs.worker import WorkerConfig, worker_main
from glossary.errors import StoreUnavailable
from glossary.store.engine import open_store
from tests.api_helpers import AUTH, client_for, seed_store, seeded_client, settings_for

PAIR = {"src_text": "落实减负稳岗政策。", "tgt_text": "Policies to stabilize jobs."}


def _remove(db: Path) -> None:
    for file in db.parent.glob(db.name + "*"):  # rm X*: the file, its -wal and -shm
        file.unlink()


def test_deleted_store_refuses_every_read_and_write_and_is_not_recreated(tmp_path: Path) -> None:
    db = tmp_path / "glossary.sqlite3"
    with seeded_client(tmp_path) as client:
        term = client.get("/api/terms", params={"q": "稳岗"}).json()["items"][0]
        _remove(db)
        answers = [
            client.patch(f"/api/terms/{term['id']}", headers=AUTH, json={"note": "lost?"}),
            client.post("/api/terms", headers=AUTH, json={"zh": "新词"}),
            client.post("/api/jobs", headers=AUTH, json={"pairs": [PAIR]}),
            client.get(f"/api/terms/{term['id']}"),
            client.get("/api/terms", params={"q": "稳岗"}),
            client.get("/api/concordance", params={"q": "稳岗"}),
            client.get("/api/export/glossary.csv"),
            client.get("/healthz"),
        ]
        for answer in answers:
            assert answer.status_code == 503, (answer.request.url, answer.text)
            assert "is gone (deleted or moved)" in answer.json()["detail"]
    assert list(tmp_path.glob("glossary.sqlite3*")) == []


def test_store_moved_away_and_back_serves_again_with_nothing_lost(tmp_path: Path) -> None:
    db = tmp_path / "glossary.sqlite3"
    aside = tmp_path / "aside"
    with seeded_client(tmp_path) as client:
        term = client.get("/api/terms", params={"q": "稳岗"}).json()["items"][0]
        aside.mkdir()
        shutil.move(db, aside / db.name)
        refused = client.patch(f"/api/terms/{term['id']}", headers=AUTH, json={"note": "gone"})
        assert refused.status_code == 503
        shutil.move(aside / db.name, db)
        kept = client.patch(f"/api/terms/{term['id']}", headers=AUTH, json={"note": "back"})
        assert kept.status_code == 200
    with client_for(settings_for(db)) as client:  # a restart: the change is there
        assert client.get(f"/api/terms/{term['id']}").json()["note"] == "back"


def test_replaced_store_is_refused_until_restart(tmp_path: Path) -> None:
    db = tmp_path / "glossary.sqlite3"
    other = tmp_path / "other.sqlite3"
    seed_store(other)
    with seeded_client(tmp_path) as client:
        shutil.copy(other, tmp_path / "copy.sqlite3")
        (tmp_path / "copy.sqlite3").replace(db)  # a new inode under the same name
        answer = client.get("/api/terms", params={"q": "稳岗"})
        assert answer.status_code == 503
        assert "was replaced by another file" in answer.json()["detail"]


def test_damaged_store_is_a_503_not_a_500(tmp_path: Path) -> None:
    db = tmp_path / "glossary.sqlite3"
    with seeded_client(tmp_path) as client:
        with db.open("r+b") as file:
            file.write(b"\0garbage, not SQLite\0")
        for answer in (
            client.get("/api/terms", params={"q": "稳岗"}),
            client.post("/api/terms", headers=AUTH, json={"zh": "新词"}),
        ):
            assert answer.status_code == 503
            assert "not a SQLite database or is damaged" in answer.json()["detail"]


def test_store_that_is_not_sqlite_is_refused_at_open(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("just some notes, long enough to have a header of sixteen bytes\n" * 50)
    with pytest.raises(StoreUnavailable, match="not a SQLite database or is damaged"):
        open_store(path=text)


def test_missing_store_is_not_created_by_opening_it(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="there is no glossary database at"):
        open_store(path=tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_empty_sqlite_file_is_not_a_glossary(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "empty.db").close()
    with pytest.raises(StoreUnavailable, match="holds no glossary"):
        open_store(path=tmp_path / "empty.db")


@pytest.mark.parametrize(
    "command",
    [
        ["glossary", "export"],
        ["glossary", "lookup", "稳岗"],
        ["glossary", "review", "稳岗", "--en", "x", "--status", "admitted"],
        ["serve"],
    ],
)
def test_commands_that_read_never_create_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "typo.db"
    assert main([*command, "--db", str(typo)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "there is no glossary database at" in err[0], err
    assert not typo.exists()


def test_serve_refuses_a_file_that_is_not_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    assert main(["serve", "--db", str(text)]) == 2
    assert "not a SQLite database or is damaged" in capsys.readouterr().err


def test_import_creates_a_store(tmp_path: Path) -> None:
    rows = tmp_path / "g.csv"
    rows.write_text("zh,en,status\n稳岗,stabilize jobs,preferred\n", encoding="utf-8")
    assert main(["glossary", "import", str(rows), "--db", str(tmp_path / "new.db")]) == 0
    assert (tmp_path / "new.db").exists()


def test_job_worker_never_creates_the_store(tmp_path: Path) -> None:
    """The worker opens the store itself; a deleted file must stay deleted."""
    import multiprocessing
    import pickle

    from tests.api_helpers import HashEncoder

    db = tmp_path / "glossary.sqlite3"
    context = multiprocessing.get_context("spawn")
    inbox, outbox, stopping = context.Queue(), context.Queue(), context.Event()
    inbox.put(None)
    config = WorkerConfig(database_url=f"sqlite:///{db}", encoder=pickle.dumps(HashEncoder()))
    worker = context.Process(target=worker_main, args=(config, inbox, outbox, stopping))
    worker.start()  # its own process, as the runner starts it (it renices itself)
    worker.join(60)
    assert worker.exitcode == 0  # it logged that the store is missing and ended
    assert not db.exists()
