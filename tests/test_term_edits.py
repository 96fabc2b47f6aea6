"""Editing terms through the API and the store: one entry per term in either script."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from glossary.errors import DuplicateTerm
from glossary.store.editing import add_term
from glossary.store.engine import Store, open_store
from glossary.store.lookups import list_terms
from glossary.store.merging import merge_entries
from tests.api_helpers import AUTH, seeded_client
from tests.store_helpers import entry


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with seeded_client(tmp_path) as test_client:
        yield test_client


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    merge_entries(opened, [entry()], corpus_id="seeds")
    yield opened
    opened.close()


def _term(client: TestClient, q: str) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/api/terms", params={"q": q}).json()["items"][0]
    detail: dict[str, Any] = client.get(f"/api/terms/{found['id']}").json()
    return detail


# ------------------------------------------------------------ one entry in either script


def test_adding_the_traditional_spelling_of_a_stored_term_is_a_409(client: TestClient) -> None:
    stored = _term(client, "稳岗")
    body = {"zh": "穩崗", "equivalents": [{"en": "keep jobs", "status": "preferred"}]}
    answer = client.post("/api/terms", json=body, headers=AUTH)
    assert answer.status_code == 409
    assert "'穩崗' is already in the glossary as '稳岗'" in answer.json()["detail"]
    assert _term(client, "稳岗") == stored
    assert client.get("/api/terms", params={"q": "穩崗"}).json()["items"][0]["zh"] == "稳岗"


def test_adding_the_simplified_spelling_of_a_traditional_term_is_refused(store: Store) -> None:
    add_term(store, zh="外匯基金", reviewer="ana")
    with pytest.raises(DuplicateTerm, match="'外汇基金' is already in the glossary as '外匯基金'"):
        add_term(store, zh="外汇基金", reviewer="ana")
    with pytest.raises(DuplicateTerm, match="'穩崗' is already in the glossary as '稳岗'"):
        add_term(store, zh="穩崗", reviewer="ana")
    assert sorted(t.zh for t in list_terms(store)) == ["外匯基金", "稳岗"]
