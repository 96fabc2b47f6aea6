"""Editing terms through the API and the store: one entry per term in either script, a
request applied whole or not at all, and no control characters in what a person types."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.service.schemas import TEXT_PATTERN
from glossary.errors import DuplicateTerm, InvalidField, InvalidStatus
from glossary.store.editing import (
    add_term,
    rename_equivalent,
    review,
    review_history,
    update_term,
)
from glossary.store.engine import Store, open_store
from glossary.store.lookups import get_term, list_terms
from glossary.store.merging import merge_entries
from glossary.store.models import Equivalent
from glossary.store.queries import create_term, edit_term
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


# ------------------------------------------------------------ all of a request or none


def test_a_patch_that_fails_stores_none_of_its_changes(client: TestClient) -> None:
    before = _term(client, "稳岗")
    body = {
        "renames": [
            {"en": "stabilize jobs", "to": "stabilise jobs"},
            {"en": "job stabilization", "to": "stabilise jobs"},  # now taken by the first
        ],
        "note": "x",
        "equivalents": [{"en": "keep jobs", "status": "admitted"}],
    }
    answer = client.patch(f"/api/terms/{before['id']}", json=body, headers=AUTH)
    assert answer.status_code == 409 and "already has the equivalent" in answer.json()["detail"]
    assert _term(client, "稳岗") == before


def test_a_patch_applies_renames_note_and_reviews_together(client: TestClient) -> None:
    before = _term(client, "稳岗")
    body = {
        "renames": [{"en": "stabilize jobs", "to": "stabilise jobs"}],
        "note": "checked",
        "equivalents": [{"en": "stabilise jobs", "status": "admitted"}],
    }
    answer = client.patch(f"/api/terms/{before['id']}", json=body, headers=AUTH)
    assert answer.status_code == 200
    after = answer.json()
    assert {e["en"]: e["status"] for e in after["equivalents"]} == {
        "stabilise jobs": "admitted",
        "job stabilization": "admitted",
    }
    assert after["note"] == "checked"
    added = [(h["action"], h["en"]) for h in after["history"][len(before["history"]) :]]
    assert added == [
        ("rename", "stabilise jobs"),
        ("update_term", ""),
        ("review", "stabilise jobs"),
    ]


def test_edit_term_failing_at_its_last_review_leaves_the_store_as_before(store: Store) -> None:
    term_id = list_terms(store)[0].id
    before, history = get_term(store, term_id), review_history(store, zh="稳岗")
    with pytest.raises(InvalidStatus):
        edit_term(
            store,
            term_id,
            definition="keeping jobs",
            note=None,
            renames=[("stabilize jobs", "stabilise jobs")],
            decisions=[("post-retention", "rejected", None), ("stabilise jobs", "great", None)],  # type: ignore[list-item]
            reviewer="ana",
        )
    assert get_term(store, term_id) == before
    assert review_history(store, zh="稳岗") == history


def test_create_term_failing_at_a_review_adds_no_term(store: Store) -> None:
    with pytest.raises(InvalidField, match="English equivalent is empty"):
        create_term(
            store,
            zh="六稳",
            definition="six stabilities",
            note="",
            decisions=[("six stabilities", "preferred", None), ("  ", "admitted", None)],
            reviewer="ana",
        )
    assert [t.zh for t in list_terms(store)] == ["稳岗"]
    assert review_history(store, zh="六稳") == []
    created = create_term(
        store,
        zh="六稳",
        definition="six stabilities",
        note="",
        decisions=[("six stabilities", "preferred", None)],
        reviewer="ana",
    )
    assert [(e.en, e.status) for e in created.equivalents] == [("six stabilities", "preferred")]


# ------------------------------------------------------------ no control characters


@pytest.mark.parametrize(
    "body",
    [
        {"renames": [{"en": "stabilize jobs", "to": "a\u0000b"}]},
        {"renames": [{"en": "stabilize jobs", "to": "job\u0085 stabilisation"}]},
        {"note": "a\u0000b"},
        {"definition": "a\u001bb"},
        {"equivalents": [{"en": "stabilize jobs", "status": "admitted", "note": "\u0000"}]},
    ],
)
def test_a_patch_with_a_control_character_is_a_422(
    client: TestClient, body: dict[str, Any]
) -> None:
    before = _term(client, "稳岗")
    answer = client.patch(f"/api/terms/{before['id']}", json=body, headers=AUTH)
    assert answer.status_code == 422
    assert "holds a control character" in answer.json()["detail"]
    assert _term(client, "稳岗") == before


@pytest.mark.parametrize("field", ["definition", "note"])
def test_a_new_term_with_a_control_character_is_a_422(client: TestClient, field: str) -> None:
    answer = client.post("/api/terms", json={"zh": "六稳", field: "six\u0000"}, headers=AUTH)
    assert answer.status_code == 422
    assert "holds a control character" in answer.json()["detail"]
    assert client.get("/api/terms", params={"q": "六稳"}).json()["items"] == []


def test_notes_keep_their_line_breaks_and_tabs(client: TestClient) -> None:
    term_id = _term(client, "稳岗")["id"]
    body = {"note": "first line\nsecond\tline", "definition": ""}
    answer = client.patch(f"/api/terms/{term_id}", json=body, headers=AUTH)
    assert answer.status_code == 200 and answer.json()["note"] == "first line\nsecond\tline"


def test_a_wording_stored_with_a_control_character_can_be_renamed(
    client: TestClient, tmp_path: Path
) -> None:
    term_id = _term(client, "稳岗")["id"]
    store = open_store(path=tmp_path / "glossary.sqlite3")
    try:
        with store.writing() as session:  # as an earlier version let it be stored
            row = session.scalars(select(Equivalent).where(Equivalent.en == "stabilize jobs"))
            row.one().en = "stabilize\x00jobs"
    finally:
        store.close()
    body = {"renames": [{"en": "stabilize\u0000jobs", "to": "stabilize jobs"}]}
    answer = client.patch(f"/api/terms/{term_id}", json=body, headers=AUTH)
    assert answer.status_code == 200
    assert "stabilize jobs" in {e["en"] for e in answer.json()["equivalents"]}


def test_rename_schema_checks_the_new_wording_as_every_new_text(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["EquivalentRename"]["properties"]["to"]["pattern"] == TEXT_PATTERN


@pytest.mark.parametrize(
    "write",
    [
        lambda s: rename_equivalent(s, zh="稳岗", en="stabilize jobs", to="a\x00b", reviewer="ana"),
        lambda s: rename_equivalent(s, zh="稳岗", en="stabilize jobs", to="ab", reviewer="ana\x00"),
        lambda s: review(s, zh="稳岗", en="keep\x00jobs", status="admitted", reviewer="ana"),
        lambda s: review(
            s, zh="稳岗", en="stabilize jobs", status="admitted", note="\x7f", reviewer="ana"
        ),
        lambda s: add_term(s, zh="六稳", definition="six\x00", reviewer="ana"),
        lambda s: add_term(s, zh="六稳", note="six\x01", reviewer="ana"),
        lambda s: update_term(s, list_terms(s)[0].id, note="a\x00b", reviewer="ana"),
        lambda s: update_term(s, list_terms(s)[0].id, definition="\x9fb", reviewer="ana"),
    ],
)
def test_the_store_refuses_control_characters(store: Store, write: Any) -> None:
    before, history = list_terms(store, examples=5), review_history(store, zh="稳岗")
    with pytest.raises(InvalidField, match="contains a control character"):
        write(store)
    assert list_terms(store, examples=5) == before
    assert review_history(store, zh="稳岗") == history


# ------------------------------------------------------------ requests that say what they mean


def test_of_two_named_preferred_in_one_request_the_last_stays_preferred(
    client: TestClient,
) -> None:
    stored = _term(client, "稳岗")
    decisions = [
        {"en": "stabilize jobs", "status": "preferred"},
        {"en": "post-retention", "status": "preferred"},
    ]
    answer = client.patch(
        f"/api/terms/{stored['id']}", json={"equivalents": decisions}, headers=AUTH
    )
    assert answer.status_code == 200
    statuses = {e["en"]: e["status"] for e in _term(client, "稳岗")["equivalents"]}
    assert (statuses["stabilize jobs"], statuses["post-retention"]) == ("admitted", "preferred")


def test_a_field_the_request_does_not_take_is_named(client: TestClient) -> None:
    stored = _term(client, "稳岗")
    body = {"equivalents": [{"en": "stabilize jobs", "stauts": "preferred", "status": "admitted"}]}
    answer = client.patch(f"/api/terms/{stored['id']}", json=body, headers=AUTH)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "equivalents.0.stauts: is not a field this request takes" in detail
    assert _term(client, "稳岗") == stored
