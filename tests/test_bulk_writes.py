"""Rows written in bulk (new terms, new aligned pairs) equal what the ORM path writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import glossary.store.merging as merging_module
from glossary.store.concordance import concordance
from glossary.store.editing import add_term, review
from glossary.store.engine import Store, open_store
from glossary.store.merging import merge_entries
from glossary.store.models import AlignedPair, Contribution, Equivalent, Example, SearchKey, Term
from glossary.store.recording import record_pairs
from glossary.store.views import PairRecord
from glossary.types import TermEntry
from tests.store_helpers import entry, example


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    first = open_store(path=tmp_path / "a.sqlite3", create=True)
    second = open_store(path=tmp_path / "b.sqlite3", create=True)
    yield first, second
    first.close()
    second.close()


def _entries() -> list[TermEntry]:
    return [
        entry(),
        entry("一生一困", renderings=(
            ("college graduates and people in difficulty", 3, 0.7,
             (example("002", 30), example("002", 30), example("003", 1))),
            ("people in difficulty", 0, 0.6, ()),
        )),
        entry("渝创渝新", renderings=(), termhood=0.2),
        entry("减负稳岗", termhood=0.5),
        entry("稳岗", termhood=0.9),  # the same term again, in the same chunk
        entry("川渝通办", renderings=(("joint services", 1, 0.5, (example("004", 2),)),
                                      ("joint services", 2, 0.6, (example("004", 3),)))),
    ]  # fmt: skip


def _content(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a merge writes, by natural keys (ids only as an order within a parent)."""
    with store.reading() as session:
        terms = {t.id: t.zh for t in session.scalars(select(Term))}
        equivalents = {e.id: (terms[e.term_id], e.en) for e in session.scalars(select(Equivalent))}
        return {
            "terms": sorted(
                (t.zh, t.termhood, t.note, t.definition) for t in session.scalars(select(Term))
            ),
            "equivalents": _in_order(
                (
                    (terms[e.term_id],),
                    e.id,
                    (e.en, e.status, e.frequency, e.confidence, e.note, e.origin, e.reviewed_by),
                )
                for e in session.scalars(select(Equivalent))
            ),
            "contributions": sorted(
                (*equivalents[c.equivalent_id], c.corpus_id, c.frequency, c.confidence)
                for c in session.scalars(select(Contribution))
            ),
            "examples": _in_order(
                (
                    equivalents[x.equivalent_id],
                    x.id,
                    (
                        x.doc_zh,
                        x.doc_en,
                        x.sent_zh,
                        x.sent_en,
                        x.zh_text,
                        x.en_text,
                        x.zh_start,
                        x.zh_end,
                        x.en_start,
                        x.en_end,
                        x.pair_score,
                    ),
                )
                for x in session.scalars(select(Example))
            ),
            "search_keys": sorted(
                (
                    terms.get(k.term_id or 0, ""),
                    equivalents.get(k.equivalent_id or 0, ("", "")),
                    k.key,
                )
                for k in session.scalars(select(SearchKey))
            ),
        }


_Row = tuple[tuple[str, ...], int, tuple[Any, ...]]


def _in_order(rows: Iterable[_Row]) -> list[tuple[Any, ...]]:
    """(parent key, id, values) rows by parent, in id order under each: ids differ between
    two stores, the order of the rows under one parent must not."""
    return [(*parent, *values) for parent, _, values in sorted(rows)]


def test_new_terms_are_stored_as_the_orm_stores_known_ones(stores: tuple[Store, Store]) -> None:
    bulk, orm = stores
    for zh in {e.zh for e in _entries()}:  # every term known, no equivalent: all go the ORM way
        add_term(orm, zh=zh, reviewer="ana")
    first = merge_entries(bulk, _entries(), corpus_id="seeds")
    second = merge_entries(orm, _entries(), corpus_id="seeds")
    assert _content(bulk) == _content(orm)
    assert (first.terms_added, second.terms_added) == (5, 0)
    assert (
        (first.equivalents_added, first.examples_added)
        == (second.equivalents_added, second.examples_added)
        == (7, 10)
    )
    # and again: the rebuild goes the ORM way in both, and changes nothing
    before = _content(bulk)
    merge_entries(bulk, _entries(), corpus_id="seeds")
    assert _content(bulk) == before


def test_bulk_and_orm_rows_mix_in_one_merge(
    stores: tuple[Store, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """New, known and reviewed terms in one chunk, or one chunk each, give the same store."""
    for store in stores:
        merge_entries(store, [entry(), entry("一生一困")], corpus_id="old")
        review(store, zh="稳岗", en="post-retention", status="rejected", reviewer="ana")
    merge_entries(stores[0], _entries(), corpus_id="seeds")
    monkeypatch.setattr(merging_module, "CHUNK", 1)
    merge_entries(stores[1], _entries(), corpus_id="seeds")
    assert _content(stores[0]) == _content(stores[1])
    by_en = {row[1]: row for row in _content(stores[0])["equivalents"] if row[0] == "稳岗"}
    assert by_en["post-retention"][2] == "rejected"
    assert by_en["stabilize jobs"][3] == 4  # two corpora, 2 each
    joint = [row for row in _content(stores[0])["contributions"] if row[0] == "川渝通办"]
    assert joint == [("川渝通办", "joint services", "seeds", 2, 0.6)]  # given last, kept


def test_record_pairs_inserts_new_and_updates_stored_pairs(stores: tuple[Store, Store]) -> None:
    store, _ = stores
    old = PairRecord("004", "000", (3,), (4, 5), "落实减负稳岗政策。", "They stabilized jobs.", 0.8)
    assert record_pairs(store, [old], corpus_id="seeds") == 1
    changed = PairRecord("004", "000", (3,), (4, 5), "落实减负稳岗政策。", "Jobs were kept.", 0.9)
    new = PairRecord("004", "000", (4,), (6,), "新增就业。", "New jobs.", 0.7)
    other = PairRecord("005", "000", (3,), (4, 5), "一生一困。", "Graduates.", 0.6)
    assert record_pairs(store, [changed, new, other, new], corpus_id="seeds") == 2
    with store.reading() as session:
        rows = session.scalars(select(AlignedPair).order_by(AlignedPair.id)).all()
        assert [(r.doc_zh, r.zh_ids, r.en_text, r.score) for r in rows] == [
            ("004", "3", "Jobs were kept.", 0.9),
            ("004", "4", "New jobs.", 0.7),
            ("005", "3", "Graduates.", 0.6),
        ]
    assert concordance(store, "stabilized jobs").items == ()  # the index followed the update
    [hit] = concordance(store, "were kept").items
    assert hit.pair == changed
    [hit] = concordance(store, "New jobs").items
    assert hit.pair == new
