"""CC-CEDICT glosses across scripts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from glossary.extraction.dictionary import glosses, settled, stem, term_glosses


def test_traditional_word_gets_the_simplified_headwords_glosses() -> None:
    assert stem("exchange") in glosses("外汇")
    assert glosses("外匯") == glosses("外汇")


def test_traditional_term_is_glossed_by_its_words_not_its_characters() -> None:
    # 外匯基金 is no headword: its units are 外汇 (foreign exchange) and 基金 (fund), not
    # 外 (external) and 匯 apart, whichever script it is written in
    units = term_glosses("外匯基金", ("外匯", "基金"))
    assert units == term_glosses("外汇基金", ("外汇", "基金"))
    assert stem("exchange") in units[0]
    assert stem("fund") in units[1]


def test_unknown_word_has_no_glosses() -> None:
    assert glosses("渝创渝新") == frozenset()


def test_settled_stems_meet_the_inflections_plain_stems_split() -> None:
    for base, inflected in (("survey", "surveyed"), ("implement", "implemented"),
                            ("focus", "focuses"), ("address", "addressing")):  # fmt: skip
        assert stem(base) != stem(inflected)
        assert settled(base) == settled(inflected)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14))
def test_settling_is_idempotent(word: str) -> None:
    assert settled(settled(word)) == settled(word)
