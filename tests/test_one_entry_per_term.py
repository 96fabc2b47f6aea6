"""One entry per term across scripts, and no entry left empty by a rebuild."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import glossary.store.merging as merging_module
from api.cli import main
from glossary.formats.importing import import_csv, load_curated_terms
from glossary.store.editing import add_term, review, review_history, update_term
from glossary.store.engine import Store, open_store
from glossary.store.lookups import list_terms, lookup
from glossary.store.merging import merge_entries
from glossary.store.models import Contribution, Term
from glossary.types import TermEntry
from tests.store_helpers import (
    check_concurrent_spellings_make_one_entry,
    check_older_store_with_both_spellings,
    check_scripts_share_one_entry,
    entry,
    example,
    snapshot,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    yield opened
    opened.close()


def _liquidity(zh: str, frequency: int = 3) -> TermEntry:
    return entry(zh, renderings=(("liquidity", frequency, 0.9, (example("000", 1),)),))


def _shown(store: Store) -> list[str]:
    return [view.zh for view in list_terms(store)]


# ------------------------------------------------------------------- across scripts


def test_scripts_share_one_entry(store: Store) -> None:
    check_scripts_share_one_entry(store)


def test_concurrent_spellings_make_one_entry(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    check_concurrent_spellings_make_one_entry(store, monkeypatch)


def test_an_older_store_with_both_spellings(store: Store) -> None:
    check_older_store_with_both_spellings(store)


def test_the_term_itself_comes_first_in_either_script(store: Store) -> None:
    """Found as typed, 流动性风险 no longer keeps the entry shown 流動性 out of the page."""
    merge_entries(
        store,
        [
            _liquidity("流動性"),
            entry("流动性风险", renderings=(("liquidity risk", 2, 0.9, ()),)),
        ],
        corpus_id="c",
    )
    assert [(v.zh, v.match, v.matched) for v in lookup(store, "流动性")] == [
        ("流動性", "script", "流動性"),
        ("流动性风险", "prefix", "流动性"),
    ]
    assert [(v.zh, v.match) for v in lookup(store, "流動性")] == [("流動性", "exact")]


def test_a_curated_row_in_the_other_script_joins_the_extracted_entry(
    store: Store, tmp_path: Path
) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("zh,en,status\n流动性,liquidity,preferred\n", encoding="utf-8")
    merge_entries(store, [_liquidity("流動性")], corpus_id="hk")
    load_curated_terms(store, terms)
    [view] = lookup(store, "流动性")
    [row] = view.equivalents
    assert (view.zh, row.en, row.status, row.origin, row.frequency) == (
        "流動性",
        "liquidity",
        "preferred",
        "curated",
        3,
    )
    assert _shown(store) == ["流動性"]


def test_an_extracted_entry_joins_a_curated_term_and_shows_as_written(
    store: Store, tmp_path: Path
) -> None:
    terms = tmp_path / "terms.csv"
    terms.write_text("zh,en,status\n流动性,liquidity,preferred\n", encoding="utf-8")
    load_curated_terms(store, terms)  # the list writes it once, the corpus 3 times
    merge_entries(store, [_liquidity("流動性")], corpus_id="hk")
    [view] = lookup(store, "流動性")
    assert (view.zh, [(e.en, e.status, e.frequency) for e in view.equivalents]) == (
        "流動性",
        [("liquidity", "preferred", 3)],
    )
    load_curated_terms(store, terms)  # a rebuild reloads the list: still one entry
    assert _shown(store) == ["流動性"]


def test_reviews_and_files_in_the_other_script_find_the_entry(store: Store) -> None:
    merge_entries(store, [_liquidity("流動性")], corpus_id="hk")
    review(store, zh="流动性", en="liquidity", status="preferred", reviewer="ana")
    import_csv(
        store,
        "zh,en,status\n流动性,liquidity ratio,admitted\n流動性,liquid assets,admitted\n".encode(),
        reviewer="bo",
    )
    [view] = lookup(store, "流动性")
    assert {(e.en, e.status) for e in view.equivalents} == {
        ("liquidity", "preferred"),
        ("liquidity ratio", "admitted"),
        ("liquid assets", "admitted"),
    }
    assert _shown(store) == ["流動性"]


def test_the_history_of_an_entry_holds_its_reviews_under_either_spelling(store: Store) -> None:
    merge_entries(store, [_liquidity("流動性")], corpus_id="hk")
    review(store, zh="流動性", en="liquidity", status="admitted", reviewer="ana")
    merge_entries(store, [_liquidity("流动性", frequency=9)], corpus_id="cn")  # now shown 流动性
    review(store, zh="流动性", en="liquidity", status="preferred", reviewer="bo")
    assert _shown(store) == ["流动性"]
    for spelling in ("流动性", "流動性"):
        trail = review_history(store, zh=spelling)
        assert [(e["reviewer"], e["after"].get("status")) for e in trail] == [
            ("ana", "admitted"),
            ("bo", "preferred"),
        ]


def test_a_new_term_written_both_ways_in_one_file_is_one_entry(store: Store) -> None:
    import_csv(
        store,
        "zh,en,status\n流动性,liquidity,preferred\n流動性,liquid assets,admitted\n".encode(),
        reviewer="bo",
    )
    assert _shown(store) == ["流动性"]
    [view] = lookup(store, "流動性")
    assert {e.en for e in view.equivalents} == {"liquidity", "liquid assets"}


@pytest.mark.parametrize("chunk", [1000, 1])
def test_a_corpus_writing_both_scripts_adds_them_up(
    store: Store, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Two spellings in one merge (one chunk or two) are more of the corpus's text."""
    monkeypatch.setattr(merging_module, "CHUNK", chunk)
    both = [_liquidity("流動性", 2), _liquidity("流动性", 5), entry("稳岗")]
    merge_entries(store, both, corpus_id="mixed")
    [view] = lookup(store, "流動性")
    [row] = view.equivalents
    assert (view.zh, row.frequency) == ("流动性", 7)
    with store.reading() as session:
        spellings = session.execute(select(Contribution.zh, Contribution.frequency))
        assert ("流动性", 7) in set(spellings)
    before = snapshot(store)
    merge_entries(store, both, corpus_id="mixed")  # a rebuild changes nothing
    assert snapshot(store) == before


def test_the_same_spelling_given_twice_keeps_the_last(store: Store) -> None:
    merge_entries(store, [_liquidity("流動性", 2), _liquidity("流動性", 5)], corpus_id="c")
    [view] = lookup(store, "流動性")
    assert view.equivalents[0].frequency == 5


def test_a_new_store_gives_each_term_its_simplified_form(store: Store) -> None:
    merge_entries(store, [entry("外匯基金")], corpus_id="bulk")  # the bulk path
    add_term(store, zh="金融管理局", reviewer="ana")  # the ORM path
    with store.reading() as session:
        assert sorted(session.execute(select(Term.zh, Term.simplified))) == [
            ("外匯基金", "外汇基金"),
            ("金融管理局", "金融管理局"),
        ]


# ------------------------------------------------------------------- emptied terms


def test_a_rebuild_removes_a_term_it_left_with_nothing(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merge_entries(store, [entry(), _liquidity("作為")], corpus_id="c")
    report = merge_entries(store, [entry()], corpus_id="c")
    assert (report.equivalents_removed, report.terms_removed) == (1, 1)
    assert _shown(store) == ["稳岗"]
    assert lookup(store, "作為") == []
    assert main(["glossary", "lookup", "作為", "--db", str(tmp_path / "glossary.sqlite3")]) == 1
    capsys.readouterr()


def test_a_rebuild_keeps_an_emptied_term_with_something_left(store: Store) -> None:
    merge_entries(
        store,
        [entry(), _liquidity("作為"), _liquidity("流動性"), _liquidity("一生一困")],
        corpus_id="c",
    )
    [noted] = lookup(store, "流動性")
    update_term(store, noted.id, note="see the style guide", reviewer="ana")
    review(store, zh="一生一困", en="liquidity", status="rejected", reviewer="ana")
    # 作為 is still proposed, now with no rendering: kept, as a new one would be
    report = merge_entries(store, [entry(), entry("作為", renderings=())], corpus_id="c")
    assert report.terms_removed == 0
    assert _shown(store) == ["一生一困", "作為", "流動性", "稳岗"]
    assert [len(v.equivalents) for v in list_terms(store)] == [1, 0, 0, 2]


def test_a_term_another_corpus_supports_stays(store: Store) -> None:
    merge_entries(store, [entry(), _liquidity("作為")], corpus_id="a")
    merge_entries(store, [_liquidity("作為")], corpus_id="b")
    merge_entries(store, [entry()], corpus_id="a")
    [view] = lookup(store, "作為")
    assert [(e.en, e.frequency) for e in view.equivalents] == [("liquidity", 3)]
