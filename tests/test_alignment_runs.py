"""Independent word-alignment runs are averaged: a run's links are one draw of a sampler."""

from __future__ import annotations

from align.types import Alignment, Bead, Signature
from glossary.extraction.bitext import sentence_pairs
from glossary.extraction.parallel import FEATURES, AlignedTerm, parallel_candidates
from glossary.extraction.sightings import Texts
from tests.test_frequency import EN, NAME, ZH, _name_links

_PAIRS = sentence_pairs(
    [
        (
            Alignment(
                ZH, EN, tuple(Bead((i,), (i,), 0.9) for i in range(5)), Signature("parallel", "t")
            ),
            0,
            0,
        )
    ]
)
_TEXTS: Texts = {
    (side, 0, i): s.text
    for side, doc in (("zh", ZH), ("en", EN))
    for i, s in enumerate(doc.sentences)
}
_FULL = _name_links(_PAIRS)
_SHORT = tuple(
    frozenset((i, j) for i, j in links if j == min(j for _, j in links)) for links in _FULL
)


def _term(runs: tuple[tuple[frozenset[tuple[int, int]], ...], ...]) -> AlignedTerm:
    return next(t for t in parallel_candidates(_PAIRS, runs, _TEXTS) if t.key == "渝创渝新")


def _values(term: AlignedTerm, key: str) -> dict[str, float]:
    rendering = next(r for r in term.renderings if r.key == key)
    return dict(zip(FEATURES, rendering.values, strict=True))


def test_a_run_repeated_weighs_as_one_run() -> None:
    once, twice = _term((_FULL,)), _term((_FULL, _FULL))
    assert [r.values for r in once.renderings] == [r.values for r in twice.renderings]
    assert [r.aligned for r in once.renderings] == [r.aligned for r in twice.renderings]


def test_runs_that_disagree_share_the_consistency() -> None:
    name = NAME.lower()
    alone = _values(_term((_FULL,)), name)
    shared = _term((_FULL, _SHORT))
    assert _values(shared, name)["consistency"] == alone["consistency"] / 2
    assert _values(shared, "chongqing")["consistency"] == alone["consistency"] / 2
    assert (
        next(r for r in shared.renderings if r.key == name).together == 4
    )  # pairs, not sightings of two runs


def test_a_rendering_cut_inside_a_name_is_grown_to_the_whole_name() -> None:
    cut = _term((_SHORT,))  # each run linked the term to the name's first word only
    whole = _values(cut, NAME.lower())
    assert whole["consistency"] == 0.0  # a guess from capitals, never the tight range
    assert whole["support"] == _values(cut, "chongqing")["support"]
