"""Provenance: curated lists never undo people, and every row says where it came from."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import main
from glossary.formats.importing import import_csv, load_curated_terms, load_seed_terms
from glossary.store.editing import add_term, review, update_term
from glossary.store.engine import Store, open_store
from glossary.store.lookups import lookup
from glossary.store.merging import merge_entries
from tests.store_helpers import entry


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    yield opened
    opened.close()


def _by_en(store: Store, zh: str) -> dict[str, object]:
    [view] = lookup(store, zh)
    return {eq.en: eq for eq in view.equivalents}


def test_curated_rows_name_no_reviewer(store: Store) -> None:
    load_seed_terms(store)
    row = _by_en(store, "稳岗")["stabilize jobs"]
    assert (row.origin, row.status, row.reviewed_by, row.reviewed_at) == (  # type: ignore[attr-defined]
        "curated",
        "preferred",
        None,
        None,
    )


def test_a_review_under_the_seed_name_survives_a_seed_reload(store: Store) -> None:
    load_seed_terms(store)
    review(
        store,
        zh="一生一困",
        en="college graduates and people in difficulty",
        status="admitted",
        note="too long for headlines",
        reviewer="seed glossary",
    )
    load_seed_terms(store)
    row = _by_en(store, "一生一困")["college graduates and people in difficulty"]
    assert (row.status, row.note, row.reviewed_by) == (  # type: ignore[attr-defined]
        "admitted",
        "too long for headlines",
        "seed glossary",
    )


def test_a_definition_cleared_by_a_person_stays_cleared(store: Store) -> None:
    load_seed_terms(store)
    [view] = lookup(store, "稳岗")
    assert view.definition
    update_term(store, view.id, definition="", reviewer="ana")
    load_seed_terms(store)
    [after] = lookup(store, "稳岗")
    assert after.definition == ""


def test_a_term_a_person_added_keeps_its_empty_definition(store: Store) -> None:
    add_term(store, zh="农民工", reviewer="ana")
    load_seed_terms(store)
    [view] = lookup(store, "农民工")
    assert view.definition == ""


def test_a_curated_list_updates_what_no_person_decided(store: Store, tmp_path: Path) -> None:
    first = tmp_path / "terms.csv"
    first.write_text(
        "zh,en,status,definition\n稳岗,stabilize jobs,preferred,old\n", encoding="utf-8"
    )
    load_curated_terms(store, first)
    second = tmp_path / "terms2.csv"
    second.write_text(
        "zh,en,status,definition\n稳岗,stabilize jobs,admitted,new\n", encoding="utf-8"
    )
    load_curated_terms(store, second)
    [view] = lookup(store, "稳岗")
    assert view.definition == "new"
    assert view.equivalents[0].status == "admitted"


def test_an_import_is_a_person_and_outranks_the_seed(store: Store) -> None:
    load_seed_terms(store)
    data = "zh,en,status,definition\n稳岗,stabilize jobs,deprecated,mine\n".encode()
    import_csv(store, data, reviewer="bo")
    load_seed_terms(store)
    [view] = lookup(store, "稳岗")
    row = next(eq for eq in view.equivalents if eq.en == "stabilize jobs")
    assert (row.status, row.reviewed_by, view.definition) == ("deprecated", "bo", "mine")


def test_a_merge_keeps_the_note_of_an_undecided_curated_row(store: Store, tmp_path: Path) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "zh,en,status,note\n稳岗,stabilize jobs,proposed,from the style guide\n", encoding="utf-8"
    )
    load_curated_terms(store, terms)
    merge_entries(store, [entry()], corpus_id="seeds")
    row = _by_en(store, "稳岗")["stabilize jobs"]
    assert (row.origin, row.note) == ("curated", "from the style guide")  # type: ignore[attr-defined]


def test_lookup_json_says_where_each_row_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "g.sqlite3"
    store = open_store(path=db, create=True)
    load_seed_terms(store)
    merge_entries(store, [entry()], corpus_id="seeds")
    review(store, zh="稳岗", en="post-retention", status="rejected", reviewer="ana")
    store.close()
    assert main(["glossary", "lookup", "稳岗", "--json", "--db", str(db)]) == 0
    rows = {e["en"]: e for e in json.loads(capsys.readouterr().out)["entries"]}
    assert rows["job stabilization"]["origin"] == "curated"
    assert rows["job stabilization"]["reviewed_by"] is None
    assert rows["post-retention"]["origin"] == "extracted"
    assert rows["post-retention"]["reviewed_by"] == "ana"
    assert rows["post-retention"]["reviewed_at"].endswith("+00:00")


def _legacy(path: Path) -> None:
    """Turn a current store into one written before provenance was a field."""
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE equivalent SET reviewed_by = 'seed glossary', "
            "reviewed_at = '2025-01-01 00:00:00' WHERE origin = 'curated'"
        )
        db.execute("UPDATE review_event SET reviewer = 'seed glossary' WHERE action = 'curated'")
        db.execute("ALTER TABLE term DROP COLUMN edited_by")
        db.execute("ALTER TABLE term DROP COLUMN edited_at")


def test_an_older_store_is_upgraded_in_place(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    store = open_store(path=db, create=True)
    load_seed_terms(store)
    [view] = lookup(store, "稳岗")
    update_term(store, view.id, definition="", reviewer="ana")
    review(store, zh="稳岗", en="job stabilization", status="deprecated", reviewer="seed glossary")
    store.close()
    _legacy(db)
    upgraded = open_store(path=db, create=True)
    try:
        load_seed_terms(upgraded)
        [after] = lookup(upgraded, "稳岗")
        by_en = {eq.en: eq for eq in after.equivalents}
        assert after.definition == ""  # ana's edit is still a person's
        assert by_en["job stabilization"].status == "deprecated"  # a person's review
        assert by_en["stabilize jobs"].reviewed_by is None  # the seed's mark is gone
    finally:
        upgraded.close()
