from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import glossary.store.lookups as lookups_module
import glossary.store.merging as merging_module
from glossary.errors import (
    DuplicateTerm,
    InvalidField,
    InvalidStatus,
    StoreUnavailable,
    TermNotFound,
)
from glossary.formats.importing import load_seed_terms
from glossary.store.concordance import concordance
from glossary.store.editing import add_term, review, review_history, update_term
from glossary.store.engine import Store, open_store
from glossary.store.lookups import get_term, list_terms, lookup, lookup_page
from glossary.store.merging import merge_entries
from glossary.store.models import ReviewEvent
from glossary.store.recording import record_documents, record_pairs
from glossary.store.views import DocumentRecord, PairRecord
from glossary.types import TermEntry
from tests.store_helpers import (
    check_merge_is_idempotent,
    check_pages_are_slices_of_one_order,
    check_rebuild_keeps_review,
    entry,
    example,
    snapshot,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    yield opened
    opened.close()


# --------------------------------------------------------------------------- opening


def test_database_url_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUIQI_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    opened = open_store(create=True)
    try:
        assert opened.url.endswith("env.db")
        assert (tmp_path / "env.db").exists()
    finally:
        opened.close()


def test_default_database_is_a_file_under_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DUIQI_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    opened = open_store(create=True)
    opened.close()
    assert (tmp_path / "duiqi" / "glossary.sqlite3").exists()


def test_missing_directory_is_store_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="does not exist"):
        open_store(path=tmp_path / "nowhere" / "glossary.db")


def test_bad_url_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="cannot use database URL"):
        open_store("nosuchdialect://x")


def test_locked_database_is_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    open_store(path=path, create=True).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    locked = open_store(path=path, busy_timeout_s=0.05)
    try:
        with pytest.raises(StoreUnavailable, match="locked by another process"):
            merge_entries(locked, [entry()], corpus_id="seeds")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        locked.close()
    # Nothing was half-written, and the store works once the lock is gone.
    reopened = open_store(path=path)
    try:
        assert list_terms(reopened) == []
        merge_entries(reopened, [entry()], corpus_id="seeds")
        assert [t.zh for t in list_terms(reopened)] == ["稳岗"]
    finally:
        reopened.close()


def test_read_only_database_is_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    open_store(path=path, create=True).close()
    readonly = open_store(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        assert list_terms(readonly) == []  # lookups still work
        with pytest.raises(StoreUnavailable, match="read-only"):
            merge_entries(readonly, [entry()], corpus_id="seeds")
    finally:
        readonly.close()


# --------------------------------------------------------------------------- merging


def test_merge_is_idempotent(store: Store) -> None:
    check_merge_is_idempotent(store)


def test_a_confidence_pooled_over_corpora_is_shown_to_four_places(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")  # 2 at 0.9
    more = entry(renderings=(("stabilize jobs", 1, 0.7, (example("005", 2),)),))
    merge_entries(store, [more], corpus_id="new-articles")
    [view] = lookup(store, "稳岗")
    assert view.equivalents[0].confidence == 0.8333  # (2 * 0.9 + 0.7) / 3, not 0.83333...


def test_rebuild_keeps_reviewed_decisions(store: Store) -> None:
    check_rebuild_keeps_review(store)


def test_new_corpus_adds_frequency_and_examples(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    more = entry(renderings=(("stabilize jobs", 3, 0.5, (example("005", 2),)),))
    report = merge_entries(store, [more], corpus_id="new-articles")
    assert report.examples_added == 1
    [view] = lookup(store, "稳岗")
    top = view.equivalents[0]
    assert top.frequency == 5
    assert top.confidence == pytest.approx((2 * 0.9 + 3 * 0.5) / 5)
    assert top.sources == ("000", "002", "004", "005")
    # Merging the new articles again changes nothing.
    before = snapshot(store)
    merge_entries(store, [more], corpus_id="new-articles")
    assert snapshot(store) == before


def test_rebuild_drops_unreviewed_proposals_the_corpus_no_longer_supports(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    narrower = entry(renderings=(("stabilize jobs", 2, 0.9, (example("000", 5),)),))
    report = merge_entries(store, [narrower], corpus_id="seeds")
    assert report.equivalents_removed == 1
    [view] = lookup(store, "稳岗")
    assert [eq.en for eq in view.equivalents] == ["stabilize jobs"]


def test_merge_never_touches_curated_seed(store: Store) -> None:
    load_seed_terms(store)
    extracted = entry(
        "一生一困",
        renderings=(("a lifetime of poverty", 1, 0.8, (example("002", 30),)),),
    )
    merge_entries(store, [extracted], corpus_id="seeds")
    [view] = lookup(store, "一生一困")
    by_en = {eq.en: eq for eq in view.equivalents}
    assert by_en["a lifetime of poverty"].status == "deprecated"
    assert "mistranslation" in by_en["a lifetime of poverty"].note
    assert by_en["a lifetime of poverty"].frequency == 1
    assert view.equivalents[0].en == "college graduates and people in difficulty"
    assert view.equivalents[-1].en == "a lifetime of poverty"


def test_crash_mid_merge_leaves_the_store_as_before(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    before = snapshot(store)
    monkeypatch.setattr(merging_module, "CHUNK", 1)  # flush after every entry

    def crashing() -> Iterator[TermEntry]:
        yield entry("一生一困")
        yield entry("渝创渝新")
        raise RuntimeError("extractor crashed")

    with pytest.raises(RuntimeError, match="extractor crashed"):
        merge_entries(store, crashing(), corpus_id="seeds")
    assert snapshot(store) == before


def test_invalid_entry_mid_merge_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merging_module, "CHUNK", 1)
    bad = entry("渝创渝新", renderings=(("  ", 1, 0.5, ()),))
    with pytest.raises(InvalidField, match="equivalent of 渝创渝新 is empty"):
        merge_entries(store, [entry(), entry("一生一困"), bad], corpus_id="seeds")
    assert list_terms(store) == []


@pytest.mark.parametrize(
    ("renderings", "message"),
    [
        ((("x", -1, 0.5, ()),), "frequency -1 is negative"),
        ((("x", 1, 1.5, ()),), r"confidence 1.5 is outside \[0, 1\]"),
    ],
)
def test_merge_rejects_bad_figures(
    store: Store, renderings: tuple[tuple[str, int, float, tuple[()]], ...], message: str
) -> None:
    with pytest.raises(InvalidField, match=message):
        merge_entries(store, [entry(renderings=renderings)], corpus_id="seeds")


def test_merge_rejects_reserved_corpus_id(store: Store) -> None:
    with pytest.raises(InvalidField, match="reserved"):
        merge_entries(store, [entry()], corpus_id="imported")


# --------------------------------------------------------------------------- lookup


def test_lookup_exact_prefix_substring_ranked(store: Store) -> None:
    merge_entries(
        store,
        [entry("稳岗"), entry("稳岗留工"), entry("减负稳岗"), entry("农民工")],
        corpus_id="seeds",
    )
    views = lookup(store, "稳岗")
    assert [(v.zh, v.match) for v in views] == [
        ("稳岗", "exact"),
        ("稳岗留工", "prefix"),
        ("减负稳岗", "substring"),
    ]
    assert [v.zh for v in lookup(store, "稳岗", limit=1, offset=1)] == ["稳岗留工"]
    page = lookup_page(store, "稳岗", limit=1, offset=2)
    assert (page.total, page.total_exact, [v.zh for v in page.items]) == (3, True, ["减负稳岗"])


def test_lookup_ranks_equivalents_by_confidence_not_by_how_often_seen(store: Store) -> None:
    sure = ("ensure stable employment", 3, 0.9, (example("000", 5),))
    loose = ("jobs", 40, 0.3, (example("000", 6),))
    merge_entries(store, [entry(renderings=(loose, sure))], corpus_id="seeds")
    [view] = lookup(store, "稳岗")
    assert [e.en for e in view.equivalents] == ["ensure stable employment", "jobs"]


def test_lookup_total_stops_counting_at_the_limit(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    merge_entries(store, [entry("稳岗"), entry("稳岗留工"), entry("减负稳岗")], corpus_id="seeds")
    monkeypatch.setattr(lookups_module, "COUNT_LIMIT", 1)
    page = lookup_page(store, "稳岗", limit=1)
    assert (page.total, page.total_exact) == (1, False)  # more than one


def test_lookup_pages_are_slices_of_one_order(store: Store) -> None:
    check_pages_are_slices_of_one_order(store)


def test_lookup_english_is_case_insensitive(store: Store) -> None:
    load_seed_terms(store)
    assert [v.zh for v in lookup(store, "Migrant Workers")] == ["农民工"]
    views = lookup(store, "college graduates")
    assert views[0].zh == "高校毕业生" and views[0].match == "exact"
    assert "一生一困" in [v.zh for v in views[1:]]
    assert all(v.match == "prefix" for v in views[1:])


def test_lookup_examples_carry_provenance(store: Store) -> None:
    record_documents(
        store,
        [
            DocumentRecord("000", "en", "Work conference", "China News Service", "2022-01-25"),
            DocumentRecord("004", "zh", "聚力稳就业", "Chongqing HRSS", "2022-01"),
        ],
    )
    merge_entries(store, [entry()], corpus_id="seeds")
    [view] = lookup(store, "稳岗")
    ex = next(x for x in view.equivalents[0].examples if x.doc_en == "000")
    assert ex.en_doc is not None and ex.en_doc.title == "Work conference"
    assert ex.zh_doc is not None and ex.zh_doc.date == "2022-01"
    assert ex.zh_text[ex.zh_span.start : ex.zh_span.end] == "稳岗"


def test_lookup_escapes_like_wildcards(store: Store) -> None:
    merge_entries(store, [entry("稳岗"), entry("100%就业")], corpus_id="seeds")
    assert [v.zh for v in lookup(store, "%")] == ["100%就业"]
    assert lookup(store, "_") == []


def test_lookup_rejects_empty_query(store: Store) -> None:
    with pytest.raises(InvalidField, match="query is empty"):
        lookup(store, "   ")


def test_seed_glossary_is_curated_and_reloadable(store: Store) -> None:
    first = load_seed_terms(store)
    assert first.terms_added >= 13
    review(store, zh="稳岗", en="job stabilization", status="preferred", reviewer="ana")
    again = load_seed_terms(store)
    assert again.terms_added == 0 and again.equivalents_changed == 0
    [view] = lookup(store, "稳岗")
    by_en = {eq.en: eq for eq in view.equivalents}
    assert by_en["job stabilization"].status == "preferred"  # ana's decision survives
    assert by_en["stabilize jobs"].origin == "curated"
    assert "keeping people in their jobs" in view.definition
    [yu] = lookup(store, "渝创渝新")
    assert yu.equivalents[0].en == "Chongqing Create Chongqing New"


# --------------------------------------------------------------------------- review and edit


def test_review_creates_equivalent_and_records_event(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    view = review(
        store, zh="稳岗", en="job retention", status="admitted", note="UK usage", reviewer="ana"
    )
    created = next(eq for eq in view.equivalents if eq.en == "job retention")
    assert (created.origin, created.status, created.note) == ("curated", "admitted", "UK usage")
    assert created.reviewed_by == "ana" and created.reviewed_at is not None
    [event] = review_history(store, zh="稳岗")
    assert event["reviewer"] == "ana"
    assert event["after"] == {"status": "admitted", "note": "UK usage"}
    with store.reading() as session:
        assert session.scalar(select(ReviewEvent.action)) == "review"


def test_review_unknown_term(store: Store) -> None:
    with pytest.raises(TermNotFound, match="no term '稳岗' in the glossary"):
        review(store, zh="稳岗", en="x", status="preferred", reviewer="ana")


def test_review_bad_status_lists_valid_ones(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    with pytest.raises(InvalidStatus, match="use one of: proposed, preferred, admitted"):
        review(store, zh="稳岗", en="stabilize jobs", status="approved", reviewer="ana")


def test_review_needs_a_reviewer(store: Store) -> None:
    with pytest.raises(InvalidField, match="reviewer is empty"):
        review(store, zh="稳岗", en="x", status="preferred", reviewer=" ")


def test_add_get_update_term(store: Store) -> None:
    added = add_term(store, zh="六稳", definition="six stabilities", reviewer="ana")
    assert get_term(store, added.id).definition == "six stabilities"
    updated = update_term(store, added.id, note="稳就业 is one of them", reviewer="ana")
    assert (updated.definition, updated.note) == ("six stabilities", "稳就业 is one of them")
    assert [e["action"] for e in review_history(store, zh="六稳")] == ["add_term", "update_term"]
    with pytest.raises(DuplicateTerm, match="already in the glossary"):
        add_term(store, zh="六稳", reviewer="ana")
    with pytest.raises(TermNotFound, match="no term with id 999"):
        get_term(store, 999)
    with pytest.raises(TermNotFound, match="no term with id 999"):
        update_term(store, 999, note="x", reviewer="ana")


# --------------------------------------------------------------------------- pairs


def test_pairs_are_recorded_once_and_searchable(store: Store) -> None:
    pair = PairRecord(
        "004",
        "000",
        (3,),
        (4, 5),
        "落实减负稳岗政策。",
        "Chongqing stabilized jobs. It also cut fees.",
        0.8,
    )
    assert record_pairs(store, [pair], corpus_id="seeds") == 1
    assert record_pairs(store, [pair], corpus_id="seeds") == 0
    [hit] = concordance(store, "STABILIZED jobs").items
    assert hit.pair == pair
    assert [(s.start, s.end) for s in hit.en_hits] == [(10, 25)]
    [zh_hit] = concordance(store, "稳岗").items
    assert [(s.start, s.end) for s in zh_hit.zh_hits] == [(4, 6)]
    assert concordance(store, "nothing like this").items == ()
