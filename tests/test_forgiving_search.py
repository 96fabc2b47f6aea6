"""Search that forgives: the other script, the other spelling, the other number, one typo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.formats.importing import load_seed_terms
from glossary.store.engine import Store, open_store
from glossary.store.lookups import lookup
from glossary.store.merging import merge_entries
from glossary.store.variants import near_prefix, plural_forms, script_forms, spelling_forms
from tests.store_helpers import entry


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    load_seed_terms(opened)
    yield opened
    opened.close()


def _found(store: Store, q: str) -> list[tuple[str, str, str]]:
    return [(v.zh, v.match, v.matched) for v in lookup(store, q)]


def test_traditional_finds_simplified_and_says_so(store: Store) -> None:
    assert _found(store, "穩崗")[0] == ("稳岗", "script", "稳岗")


def test_british_spelling_finds_american(store: Store) -> None:
    assert _found(store, "stabilise jobs")[0] == ("稳岗", "spelling", "stabilize jobs")
    assert _found(store, "Job Stabilisation")[0] == ("稳岗", "spelling", "job stabilization")


def test_one_typo_anywhere_in_a_phrase(store: Store) -> None:
    assert _found(store, "stabilze jobs")[0] == ("稳岗", "typo", "stabilize jobs")
    assert _found(store, "stabilize jbos")[0] == ("稳岗", "typo", "stabilize jobs")
    assert _found(store, "Chongqing Create Chongqing Nwe")[0][:2] == ("渝创渝新", "typo")


def test_other_number_of_the_head_noun(store: Store) -> None:
    merge_entries(
        store, [entry("稳岗位", renderings=(("stabilize posts", 2, 0.8, ()),))], corpus_id="c"
    )
    assert _found(store, "stabilize post")[0][:2] == ("稳岗位", "prefix")
    assert _found(store, "stabilize postss")[0][:2] == ("稳岗位", "typo")
    merge_entries(store, [entry("政策", renderings=(("policy", 2, 0.8, ()),))], corpus_id="c")
    assert _found(store, "policies")[0] == ("政策", "plural", "policy")


def test_forgiving_tiers_wait_until_the_query_itself_finds_nothing(store: Store) -> None:
    assert {match for _, match, _ in _found(store, "stabilize")} <= {"exact", "prefix", "substring"}
    assert _found(store, "zzzz qqqq") == []


def test_forms_of_a_query() -> None:
    assert script_forms("稳岗") == ["穩崗"] and script_forms("穩崗") == ["稳岗"]
    assert spelling_forms("labour centre") == ["labor centre", "labour center", "labor center"]
    assert "organization of labour" in spelling_forms("organisation of labour")
    assert spelling_forms("travelled") == ["traveled"]
    assert plural_forms("migrant worker") == ["migrant workers", "migrants worker"]
    assert plural_forms("subsidies") == ["subsidy"] and plural_forms("stabilized") == []


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("stabilze", "stabilize jobs", True),  # deletion
        ("stabiliize", "stabilize jobs", True),  # insertion
        ("stabilixe", "stabilize jobs", True),  # substitution
        ("stabiilze", "stabilize jobs", True),  # swap of neighbours
        ("stablize", "stabilize jobs", True),  # insertion
        ("stbliize", "stabilize jobs", False),  # two edits
        ("stabilzation", "job stabilization", True),  # at a later word
        ("tabilization", "job stabilization", True),  # a lost first letter: one edit
        ("abilize", "job stabilization", False),  # mid-word is not a word start
    ],
)
def test_one_edit_from_a_prefix(query: str, text: str, expected: bool) -> None:
    assert near_prefix(query, text, chinese=False) is expected


def test_chinese_typo_needs_three_characters(store: Store) -> None:
    assert _found(store, "渝创渝心")[0][:2] == ("渝创渝新", "typo")
    assert _found(store, "稳刚") == []
