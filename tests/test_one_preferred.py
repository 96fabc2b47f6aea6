"""One preferred equivalent per term, whoever makes one preferred and however many at once.

The PostgreSQL half of the concurrency and constraint checks is in ``test_store_postgres``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from api.cli import main
from glossary.errors import StoreConflict
from glossary.formats.importing import import_csv, load_seed_terms
from glossary.store.editing import review
from glossary.store.engine import Store, open_store
from glossary.store.lookups import lookup
from glossary.store.merging import merge_entries
from glossary.store.models import ONE_PREFERRED
from glossary.store.queries import REPAIR_REVIEWER, ensure_indexes
from tests.store_helpers import (
    check_concurrent_promotions_leave_one_preferred,
    check_database_refuses_a_second_preferred,
    entry,
    preferred_per_term,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    yield opened
    opened.close()


def test_concurrent_promotions_leave_one_preferred(store: Store) -> None:
    check_concurrent_promotions_leave_one_preferred(store)


def test_database_refuses_a_second_preferred(store: Store) -> None:
    check_database_refuses_a_second_preferred(store)


def test_review_demotes_the_previous_preferred_in_the_same_change(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    review(store, zh="稳岗", en="stabilize jobs", status="preferred", reviewer="ana")
    view = review(store, zh="稳岗", en="post-retention", status="preferred", reviewer="bob")
    statuses = {eq.en: (eq.status, eq.reviewed_by) for eq in view.equivalents}
    assert statuses == {
        "post-retention": ("preferred", "bob"),
        "stabilize jobs": ("admitted", "bob"),
    }


def test_cli_review_twice_keeps_one_preferred(tmp_path: Path) -> None:
    db = tmp_path / "g.sqlite3"
    store = open_store(path=db, create=True)
    merge_entries(store, [entry()], corpus_id="seeds")
    store.close()
    for en in ("stabilize jobs", "post-retention"):
        assert (
            main(
                ["glossary", "review", "稳岗", "--en", en, "--status", "preferred", "--db", str(db)]
            )
            == 0
        )
    store = open_store(path=db)
    try:
        assert preferred_per_term(store) == {"稳岗": 1}
    finally:
        store.close()


def test_import_with_two_preferred_rows_keeps_the_last(store: Store) -> None:
    rows = "zh,en,status\n稳岗,stabilize jobs,preferred\n稳岗,job retention,preferred\n"
    import_csv(store, rows.encode(), source="g.csv", reviewer="ana")
    [view] = lookup(store, "稳岗")
    assert {eq.en: eq.status for eq in view.equivalents} == {
        "job retention": "preferred",
        "stabilize jobs": "admitted",
    }


def test_seed_never_demotes_a_persons_preferred(store: Store) -> None:
    load_seed_terms(store)
    merge_entries(store, [entry()], corpus_id="seeds")
    review(store, zh="稳岗", en="post-retention", status="preferred", reviewer="ana")
    load_seed_terms(store)
    [view] = lookup(store, "稳岗")
    preferred = [eq.en for eq in view.equivalents if eq.status == "preferred"]
    assert preferred == ["post-retention"]


def test_opening_an_old_glossary_with_two_preferred_keeps_the_latest(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    with store.writing() as session:  # as a glossary from before the constraint
        session.execute(text(f"DROP INDEX {ONE_PREFERRED}"))
        session.execute(
            text(
                "UPDATE equivalent SET status = 'preferred', reviewed_at = CASE en "
                "WHEN 'post-retention' THEN '2024-01-02' ELSE '2024-01-01' END"
            )
        )
    assert ensure_indexes(store) == [ONE_PREFERRED]
    [view] = lookup(store, "稳岗")
    assert {eq.en: eq.status for eq in view.equivalents} == {
        "post-retention": "preferred",
        "stabilize jobs": "admitted",
    }
    with pytest.raises(StoreConflict), store.writing() as session:
        session.execute(text("UPDATE equivalent SET status = 'preferred'"))
    with store.reading() as session:
        reviewers = set(session.execute(text("SELECT reviewer FROM review_event")).scalars())
    assert REPAIR_REVIEWER in reviewers
