"""The examples a term view shows: best first, no repeats, weak pairs marked."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from glossary.store.engine import open_store
from glossary.store.lookups import lookup
from glossary.store.merging import merge_entries
from tests.store_helpers import entry, example


def test_examples_are_best_first_without_repeats_and_weak_ones_marked(tmp_path: Path) -> None:
    best = replace(example("000", 5), pair_score=0.9)
    same_texts_other_copy = replace(example("001", 5), pair_score=0.85)
    same_zh_worse_en = replace(example("000", 9, "Fees were cut."), pair_score=0.3)
    weak = replace(example("002", 2, "Jobs, jobs."), sent_zh=7, pair_score=0.2)
    good = replace(example("003", 1, "Posts were kept."), sent_zh=8, pair_score=0.6)
    store = open_store(path=tmp_path / "g.sqlite3", create=True)
    try:
        merge_entries(
            store,
            [
                entry(
                    renderings=(
                        (
                            "stabilize jobs",
                            5,
                            0.9,
                            (weak, same_zh_worse_en, good, same_texts_other_copy, best),
                        ),
                    )
                )
            ],
            corpus_id="c",
        )
        [view] = lookup(store, "稳岗", examples=5)
        shown = view.equivalents[0].examples
        assert [(ex.doc_en, ex.pair_score, ex.confident) for ex in shown] == [
            ("000", 0.9, True),
            ("003", 0.6, True),
            ("002", 0.2, False),
        ]
        [one] = lookup(store, "稳岗", examples=1)
        assert [ex.doc_en for ex in one.equivalents[0].examples] == ["000"]
    finally:
        store.close()


def test_an_english_sentence_shows_once_per_chinese_article(tmp_path: Path) -> None:
    """Comparable alignment pairs one English sentence with several Chinese sentences of an
    article; only the best of them is shown, so other sightings get the room."""
    best = replace(example("002", 9), pair_score=0.9)
    same_en_other_zh = replace(example("002", 9), sent_zh=4, zh_text="稳岗位。", pair_score=0.8)
    other_article = replace(example("000", 3, "Firms stabilize jobs."), pair_score=0.5)
    store = open_store(path=tmp_path / "g.sqlite3", create=True)
    try:
        merge_entries(
            store,
            [
                entry(
                    renderings=(
                        ("stabilize jobs", 3, 0.9, (best, same_en_other_zh, other_article)),
                    )
                )
            ],
            corpus_id="c",
        )
        [view] = lookup(store, "稳岗", examples=2)
        shown = view.equivalents[0].examples
        assert [(ex.doc_en, ex.sent_zh) for ex in shown] == [("002", 3), ("000", 3)]
    finally:
        store.close()
