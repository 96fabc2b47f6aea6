"""The key store tests against a real PostgreSQL server.

Set ``DUIQI_TEST_POSTGRES_URL`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1/duiqi_test``)
to run them; each test works in a schema of its own and drops it afterwards, so other
data in that database is left alone. Without the variable they are skipped, visibly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import glossary.store.merging as merging_module
from glossary.errors import ImportFormatError
from glossary.formats.importing import import_csv, load_seed_terms
from glossary.formats.spreadsheet import to_csv
from glossary.store.concordance import PairFilter, concordance
from glossary.store.engine import Store, open_store
from glossary.store.lookups import list_terms, lookup
from glossary.store.merging import merge_entries
from glossary.store.recording import record_documents, record_pairs
from glossary.store.views import DocumentRecord, PairRecord
from glossary.types import TermEntry
from tests.store_helpers import (
    check_concurrent_promotions_leave_one_preferred,
    check_concurrent_spellings_make_one_entry,
    check_database_refuses_a_second_preferred,
    check_merge_is_idempotent,
    check_older_store_with_both_spellings,
    check_pages_are_slices_of_one_order,
    check_rebuild_keeps_review,
    check_scripts_share_one_entry,
    entry,
    snapshot,
)

POSTGRES_URL = os.environ.get("DUIQI_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="DUIQI_TEST_POSTGRES_URL is not set; set it to a PostgreSQL URL to run these tests",
)


@pytest.fixture
def store() -> Iterator[Store]:
    schema = f"duiqi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    opened = open_store(url.render_as_string(hide_password=False), create=True)
    try:
        yield opened
    finally:
        opened.close()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_merge_is_idempotent(store: Store) -> None:
    check_merge_is_idempotent(store)


def test_concurrent_promotions_leave_one_preferred(store: Store) -> None:
    check_concurrent_promotions_leave_one_preferred(store)


def test_concurrent_spellings_make_one_entry(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    check_concurrent_spellings_make_one_entry(store, monkeypatch)


def test_database_refuses_a_second_preferred(store: Store) -> None:
    check_database_refuses_a_second_preferred(store)


def test_rebuild_keeps_reviewed_decisions(store: Store) -> None:
    check_rebuild_keeps_review(store)


def test_scripts_share_one_entry(store: Store) -> None:
    check_scripts_share_one_entry(store)


def test_an_older_store_with_both_spellings_is_upgraded(store: Store) -> None:
    check_older_store_with_both_spellings(store)


def test_crash_mid_merge_leaves_the_store_as_before(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    before = snapshot(store)
    monkeypatch.setattr(merging_module, "CHUNK", 1)

    def crashing() -> Iterator[TermEntry]:
        yield entry("一生一困")
        raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError, match="extractor crashed"):
        merge_entries(store, crashing(), corpus_id="seeds")
    assert snapshot(store) == before


def test_lookup_tiers_and_english(store: Store) -> None:
    load_seed_terms(store)
    merge_entries(store, [entry("稳岗留工"), entry("减负稳岗")], corpus_id="seeds")
    assert [(v.zh, v.match) for v in lookup(store, "稳岗")] == [
        ("稳岗", "exact"),
        ("稳岗留工", "prefix"),
        ("减负稳岗", "substring"),
    ]
    assert [v.zh for v in lookup(store, "Migrant Workers")] == ["农民工"]
    for q, tier in (("穩崗", "script"), ("stabilise jobs", "spelling"), ("stabilze jobs", "typo")):
        found = {v.zh: v.match for v in lookup(store, q)}
        assert found["稳岗"] == tier


def test_lookup_pages_are_slices_of_one_order(store: Store) -> None:
    check_pages_are_slices_of_one_order(store)


def test_import_is_all_or_nothing_and_round_trips(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    before = snapshot(store)
    bad = "zh,en,status\n稳岗,job retention,preferred\n稳岗,x,approved\n".encode()
    with pytest.raises(ImportFormatError, match="row 3: unknown status 'approved'"):
        import_csv(store, bad, reviewer="ana")
    assert snapshot(store) == before
    report = import_csv(store, to_csv(list_terms(store)), reviewer="ana")
    # An export imported back unchanged is a no-op: every row carries its entry's revision.
    assert (report.unchanged, report.equivalents_changed, report.conflicts) == (2, 0, ())
    assert snapshot(store) == before


def test_concordance_uses_pg_trgm_with_filters_and_total(store: Store) -> None:
    record_documents(store, [DocumentRecord("z1", "zh", "稳就业", "Xinhua", "2022-01-25")])
    record_pairs(
        store,
        [
            PairRecord("z1", "e1", (0,), (0,), "落实减负稳岗政策。", "Stabilize jobs.", 0.9),
            PairRecord(
                "z1", "e1", (1,), (1,), "继续实施稳岗政策。", "Job stabilization goes on.", 0.4
            ),
        ],
        corpus_id="c",
    )
    page = concordance(store, "稳岗政策")
    assert (page.index, page.total) == ("pg_trgm", 2)
    assert concordance(store, "STABILIZ", where=PairFilter(min_score=0.5)).total == 1
    assert concordance(store, "稳岗", where=PairFilter(source="xinhua", date_to="2022")).total == 2
    with store.reading() as session:
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            session.execute(
                text("EXPLAIN SELECT id FROM aligned_pair WHERE zh_text LIKE '%稳岗政策%'")
            ).scalars()
        )
    assert "ix_aligned_pair_zh_trgm" in plan
