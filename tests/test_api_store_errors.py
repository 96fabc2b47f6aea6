"""A glossary database that another process has locked: a 503 that says so, nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.api_helpers import AUTH, seeded_client


def test_write_to_a_locked_database_is_a_503_and_changes_nothing(tmp_path: Path) -> None:
    with seeded_client(tmp_path) as client:
        term = client.get("/api/terms", params={"q": "稳岗"}).json()["items"][0]
        blocker = sqlite3.connect(tmp_path / "glossary.sqlite3", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # a build or import holding the write lock
        try:
            locked = client.patch(
                f"/api/terms/{term['id']}", headers=AUTH, json={"note": "written while locked"}
            )
            assert locked.status_code == 503
            assert "locked by another process" in locked.json()["detail"]
            # Lookups go on reading while the writer holds its lock.
            assert client.get(f"/api/terms/{term['id']}").status_code == 200
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        after = client.get(f"/api/terms/{term['id']}").json()
        assert after["note"] == term["note"]
        retried = client.patch(
            f"/api/terms/{term['id']}", headers=AUTH, json={"note": "written after the lock"}
        )
        assert retried.status_code == 200 and retried.json()["note"] == "written after the lock"
