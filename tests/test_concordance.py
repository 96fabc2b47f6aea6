"""The concordance at corpus scale: the trigram index, its upkeep, filters, sorting, totals."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from glossary.errors import InvalidField
from glossary.store import fulltext
from glossary.store.concordance import PairFilter, concordance
from glossary.store.engine import Store, open_store
from glossary.store.queries import ensure_indexes
from glossary.store.recording import record_documents, record_pairs
from glossary.store.views import DocumentRecord, PairRecord

DOCS = [
    DocumentRecord("z1", "zh", "稳就业", "Chongqing HRSS", "2021-09-03"),
    DocumentRecord("e1", "en", "Jobs", "China News Service", "2021-09-03"),
    DocumentRecord("z2", "zh", "减负", "Xinhua", "2022-01-25"),
    DocumentRecord("e2", "en", "Relief", "Xinhua", "2022-01-25"),
]
PAIRS = [
    PairRecord(
        "z1", "e1", (0,), (0,), "落实减负稳岗政策。", "Fees were cut to stabilize jobs.", 0.9
    ),
    PairRecord(
        "z1", "e1", (1,), (1,), "稳岗返还惠及企业。", "Job-retention refunds reached firms.", 0.3
    ),
    PairRecord(
        "z2", "e2", (0,), (0,), "继续实施稳岗政策。", "Job stabilization policies go on.", 0.7
    ),
    PairRecord("z2", "e2", (1,), (1,), "新增就业75.1万人。", "751,000 new urban jobs.", 0.8),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    record_documents(opened, DOCS)
    record_pairs(opened, PAIRS, corpus_id="c")
    yield opened
    opened.close()


def _texts(page_items: tuple[object, ...]) -> list[str]:
    return [item.pair.zh_text for item in page_items]  # type: ignore[attr-defined]


def test_a_new_store_searches_through_the_trigram_index(store: Store) -> None:
    page = concordance(store, "稳岗政策")
    assert page.index == "fts5-trigram"
    assert (page.total, _texts(page.items)) == (2, ["落实减负稳岗政策。", "继续实施稳岗政策。"])
    with store.reading() as session:
        plan = (
            session.connection()
            .exec_driver_sql(
                f"EXPLAIN QUERY PLAN SELECT rowid FROM {fulltext.FTS_TABLE} "
                f"WHERE zh_text MATCH '\"稳岗政策\"'"
            )
            .all()
        )
    assert any("VIRTUAL TABLE INDEX" in str(row) for row in plan)


def test_english_is_found_case_insensitively_inside_words(store: Store) -> None:
    page = concordance(store, "STABILIZ")
    assert page.total == 2
    assert {item.pair.en_text for item in page.items} == {
        "Fees were cut to stabilize jobs.",
        "Job stabilization policies go on.",
    }
    first = page.items[0]
    assert first.pair.en_text[first.en_hits[0].start : first.en_hits[0].end] == "stabiliz"


def test_total_counts_every_match_while_a_page_holds_limit(store: Store) -> None:
    first = concordance(store, "稳岗", limit=2)
    rest = concordance(store, "稳岗", limit=2, offset=2)
    assert (first.total, len(first.items), len(rest.items)) == (3, 2, 1)
    assert first.index == "scan"  # two characters: shorter than a trigram
    assert [p.pair.score for p in first.items + rest.items] == [0.9, 0.7, 0.3]


def test_index_follows_updates_and_deletes(store: Store) -> None:
    changed = PairRecord("z1", "e1", (0,), (0,), "落实援企稳岗措施。", "Firms were helped.", 0.9)
    record_pairs(store, [changed], corpus_id="c")
    assert concordance(store, "减负稳岗").total == 0
    assert concordance(store, "援企稳岗").total == 1
    with store.writing() as session:
        session.connection().exec_driver_sql("DELETE FROM aligned_pair WHERE doc_zh = 'z2'")
    assert concordance(store, "稳岗政策").total == 0


def test_filters_by_document_source_date_and_score(store: Store) -> None:
    assert concordance(store, "稳岗", where=PairFilter(doc="e2")).total == 1
    assert concordance(store, "稳岗", where=PairFilter(source="xinhua")).total == 1
    assert concordance(store, "稳岗", where=PairFilter(date_to="2021-09")).total == 2
    assert concordance(store, "稳岗", where=PairFilter(date_from="2022")).total == 1
    assert concordance(store, "稳岗", where=PairFilter(min_score=0.5)).total == 2


def test_sort_by_date_puts_the_newest_article_first(store: Store) -> None:
    page = concordance(store, "稳岗", sort="date")
    assert [p.pair.doc_zh for p in page.items] == ["z2", "z1", "z1"]
    with pytest.raises(InvalidField, match="use one of: score, date, document"):
        concordance(store, "稳岗", sort="alphabet")  # type: ignore[arg-type]


def test_quotes_in_a_query_are_text_not_syntax(store: Store) -> None:
    record_pairs(
        store,
        [
            PairRecord(
                "z2",
                "e2",
                (2,),
                (2,),
                "“一生一困”群体。",
                'The "one life, one hardship" group.',
                0.5,
            )
        ],
        corpus_id="c",
    )
    assert concordance(store, '"one life').total == 1
    assert concordance(store, "“一生一困”").total == 1


def test_a_store_made_before_the_index_scans_until_the_service_adds_it(store: Store) -> None:
    with store.writing() as session:
        for name in ("", "_ai", "_ad", "_au"):
            kind = "TABLE" if not name else "TRIGGER"
            session.connection().exec_driver_sql(f"DROP {kind} {fulltext.FTS_TABLE}{name}")
    before = concordance(store, "稳岗政策")
    assert (before.index, before.total) == ("scan", 2)
    ensure_indexes(store)
    after = concordance(store, "稳岗政策")
    assert (after.index, after.total) == ("fts5-trigram", 2)


def test_without_the_trigram_tokenizer_the_concordance_scans_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    unsupported = (fulltext._SQLITE[0].replace("'trigram'", "'no_such_tokenizer'"),)
    monkeypatch.setattr(fulltext, "_SQLITE", unsupported)
    with caplog.at_level(logging.WARNING, logger="glossary.store.fulltext"):
        opened = open_store(path=tmp_path / "old.sqlite3", create=True)
    try:
        assert "needs SQLite >= 3.34 with FTS5" in caplog.text
        record_pairs(opened, PAIRS, corpus_id="c")
        page = concordance(opened, "稳岗政策")
        assert (page.index, page.total) == ("scan", 2)
        with opened.reading() as session:
            tables = (
                session.connection()
                .execute(
                    text("SELECT count(*) FROM sqlite_master WHERE name LIKE 'aligned_pair_fts%'")
                )
                .scalar()
            )
        assert tables == 0
    finally:
        opened.close()
