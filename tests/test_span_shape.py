"""Where an English rendering starts and ends: possessives, names, acronyms, headings."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from align.types import Alignment, Bead, Signature
from glossary.extraction.bitext import SentencePair, Token, en_tokens
from glossary.extraction.extract import extract_terms
from glossary.extraction.parallel import FEATURES, Rendering, against_rivals
from glossary.extraction.span_shape import (
    breaks_case,
    cuts_name,
    is_acronym,
    is_shouted,
    spells_out,
    whole_name,
)
from tests.test_extract import document
from tests.test_parallel_terms import _no_model

ZH = document("zh.txt", "zh", [
    "香港的经济保持稳定。",
    "香港的银行体系稳健。",
    "香港的债券市场增长。",
])  # fmt: skip
EN = document("en.txt", "en", [
    "Hong Kong's economy remained stable.",
    "Hong Kong's banking system is sound.",
    "Hong Kong’s bond market grew.",
])  # fmt: skip


def _hong_kong_links(pairs: Sequence[SentencePair]) -> tuple[frozenset[tuple[int, int]], ...]:
    """香港 to the English words that spell the name, 的 to a possessive: the links a word
    aligner gives, fixed so that the test is about the tokens, not eflomal's sampling."""
    out = []
    for pair in pairs:
        zh = {t.form: i for i, t in enumerate(pair.zh)}
        links = set()
        for j, token in enumerate(pair.en):
            if token.form.startswith(("hong", "kong")):
                links.add((zh["香港"], j))
            if token.form in ("'s", "’s"):
                links.add((zh["的"], j))
        out.append(frozenset(links))
    return tuple(out)


def test_a_possessive_is_a_token_of_its_own() -> None:
    assert [t.form for t in en_tokens("Hong Kong’s Fund's don't", 0)] == [
        "hong", "kong", "'s", "fund", "'s", "don't",
    ]  # fmt: skip


def test_a_name_in_the_possessive_renders_as_the_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "glossary.extraction.parallel.align_runs",
        lambda pairs, runs: (_hong_kong_links(pairs),) * runs,
    )
    beads = tuple(Bead((i,), (i,), 0.9) for i in range(3))
    alignment = Alignment(ZH, EN, beads, Signature("parallel", "test"))
    entries = extract_terms([ZH], [EN], encoder=_no_model, alignments=[alignment])
    entry = next(e for e in entries if e.zh == "香港")
    assert [q.en for q in entry.equivalents] == ["Hong Kong"]
    assert entry.equivalents[0].frequency == 3


def test_acronyms_and_headings_are_told_apart_from_names() -> None:
    assert is_acronym("NGOs") and is_acronym("WHO") and is_acronym("CPUs")
    assert not is_acronym("eTradeConnect") and not is_acronym("Exchange Fund")
    assert is_shouted("PERFORMANCE OF THE EXCHANGE FUND")
    assert not is_shouted("WHO") and not is_shouted("Exchange Fund")


def test_a_phrase_running_out_of_a_name_breaks_case() -> None:
    assert breaks_case("Hang Seng Index plunged")
    assert breaks_case("conduct a PoC")
    assert not breaks_case("Hang Seng Index")
    assert not breaks_case("the Exchange Fund")  # a function word at the edge is trimmed later
    assert not breaks_case("banking system")


def _tokens(text: str) -> list[Token]:
    return en_tokens(text, 0)


@pytest.mark.parametrize(
    ("text", "start", "end", "cut"),
    [
        ("the Royal Society of Chemistry said", 1, 3, True),  # "of Chemistry" continues it
        ("the Royal Society of Chemistry said", 1, 5, False),
        ("the Shenzhen-Hong Kong Stock Connect", 4, 6, True),  # "Kong" before "Stock"
        ("The Exchange Fund grew", 1, 3, False),  # a capitalised article starts no name
        ("Exchange Fund, Bank of China", 0, 2, False),  # a comma ends the name
    ],
)
def test_a_range_that_stops_inside_a_capitalised_name_cuts_it(
    text: str, start: int, end: int, cut: bool
) -> None:
    assert cuts_name(_tokens(text), start, end, text) is cut


@pytest.mark.parametrize(
    ("text", "start", "end", "whole"),
    [
        ("the Royal Society of Chemistry said", 2, 3, (1, 5)),  # both ways, across "of"
        ("the Royal Society of Chemistry said", 1, 5, (1, 5)),
        ("the Royal Society of Chemistry said", 5, 6, (5, 6)),  # not capitalised
        ("Royal Mail, Bank of England", 0, 1, (0, 2)),  # a comma ends the name
    ],
)
def test_a_range_inside_a_name_grows_to_the_whole_name(
    text: str, start: int, end: int, whole: tuple[int, int]
) -> None:
    assert whole_name(_tokens(text), start, end, text) == whole


@pytest.mark.parametrize(
    ("phrase", "acronym", "spelled"),
    [
        ("non-governmental organisations", "NGOs", True),  # hyphens part words; plural "s"
        ("United Nations Educational, Scientific and Cultural Organization", "UNESCO", True),
        ("World Health Organization", "WHO", True),
        ("health organisation", "WHO", False),  # the first letter must start the phrase
        ("World Bank", "WTO", False),  # every letter needs a word
        ("WHO", "WHO", False),  # one word spells nothing out
    ],
)
def test_a_phrase_spells_out_an_acronym_by_its_initials(
    phrase: str, acronym: str, spelled: bool
) -> None:
    assert spells_out(phrase, acronym) is spelled


def _rendering(en: str, consistency: float) -> Rendering:
    """A rendering before it is weighed against its rivals (the features that adds)."""
    values = [1.0] + [0.0] * (FEATURES.index("consistency_share") - 1)
    values[FEATURES.index("consistency")] = consistency
    values[FEATURES.index("dictionary")] = consistency / 2
    return Rendering(en, en.lower(), tuple(values), (), 1, 1.0)


def test_an_acronym_and_the_rival_that_spells_it_out_are_marked() -> None:
    weighed = against_rivals([
        _rendering("NGOs", 1.0),
        _rendering("non-governmental organisations", 0.25),
        _rendering("NGO funding", 0.5),
    ])  # fmt: skip
    named = [dict(zip(FEATURES, r.values, strict=True)) for r in weighed]
    assert [(n["spelled_out"], n["spells_out"]) for n in named] == [(1, 0), (0, 1), (0, 0)]
    assert [n["consistency_share"] for n in named] == [1.0, 0.25, 0.5]
    assert [n["dictionary_share"] for n in named] == [1.0, 0.25, 0.5]
    assert [n["support_share"] for n in named] == [0.0, 0.0, 0.0]  # no rival has any


def test_an_acronym_no_rival_spells_out_is_not_marked() -> None:
    weighed = against_rivals([_rendering("WHO", 1.0), _rendering("health agency", 0.5)])
    assert all(r.values[-2:] == (0.0, 0.0) for r in weighed)
