"""The co-occurrence count: a maximum one-to-one matching of sentence links."""

from __future__ import annotations

from itertools import permutations

from hypothesis import given
from hypothesis import strategies as st

from glossary.extraction.counting import co_occurrences


def _brute_force(links: set[tuple[int, int]]) -> int:
    lefts = sorted({a for a, _ in links})
    rights = sorted({b for _, b in links})
    best = 0
    for order in permutations(rights, min(len(rights), len(lefts))):
        best = max(best, sum((a, b) in links for a, b in zip(lefts, order, strict=False)))
    if len(rights) > len(lefts):
        return best
    for order in permutations(lefts, len(rights)):
        best = max(best, sum((a, b) in links for a, b in zip(order, rights, strict=True)))
    return best


def test_every_sentence_against_every_sentence_counts_each_once() -> None:
    links = [(zh, en) for zh in range(141) for en in range(141)]
    assert co_occurrences(links) == 141


def test_a_sentence_linked_twice_counts_once() -> None:
    assert co_occurrences([("z1", "e1"), ("z1", "e2"), ("z2", "e2")]) == 2
    assert co_occurrences([("z1", "e1"), ("z2", "e1"), ("z1", "e1")]) == 1
    assert co_occurrences([]) == 0


@given(st.sets(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=14))
def test_equals_the_largest_matching(links: set[tuple[int, int]]) -> None:
    assert co_occurrences(sorted(links)) == _brute_force(links)
