"""Inflection keys: one per rendering, derivations apart."""

from __future__ import annotations

from glossary.extraction.inflection import inflection_base, inflection_key


def test_inflections_of_one_lemma_share_a_base() -> None:
    forms = ("stabilize", "stabilizes", "stabilized", "stabilizing")
    assert {inflection_base(w) for w in forms} == {"stabiliz"}
    assert inflection_base("cities") == inflection_base("city's") == inflection_base("city")
    assert inflection_base("planned") == inflection_base("planning") == inflection_base("plan")
    assert inflection_base("passed") == inflection_base("pass")
    assert inflection_base("needed") == inflection_base("needs") == inflection_base("need")


def test_derivations_keep_their_own_base() -> None:
    bases = {inflection_base(w) for w in ("stable", "stabilize", "stability", "stabilization")}
    assert len(bases) == 4
    assert inflection_base("employment") != inflection_base("employed")


def test_a_key_folds_function_words_and_hyphens_but_keeps_numbers() -> None:
    assert inflection_key("Sichuan-Chongqing") == inflection_key("Sichuan and Chongqing")
    assert inflection_key("college graduates") == inflection_key("college graduate")
    assert inflection_key("stable employment") != inflection_key("stabilizing employment")
    assert inflection_key("14th Five-Year Plan") != inflection_key("15th Five-Year Plan")
