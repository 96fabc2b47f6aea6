"""English spans and the signals that score them against a Chinese term."""

from __future__ import annotations

import pytest

from glossary.extraction.dictionary import (
    DictionaryError,
    content_stems,
    gloss_phrases,
    glosses,
    settled,
    stem,
    term_glosses,
)
from glossary.extraction.equivalents import (
    FEATURES,
    Evidence,
    confidence,
    dice,
    dictionary_match,
    english_spans,
    fit_weights,
    matched_dictionary,
    number_agreement,
    span_key,
    term_numbers,
)

SENTENCE = (
    "The city will improve the entrepreneurship brand of “Chongqing Create Chongqing New”, "
    'and focus on "a lifetime of poverty" (college graduates).'
)


def test_spans_match_their_offsets_and_never_cross_punctuation() -> None:
    spans = english_spans(SENTENCE)
    assert spans
    for span in spans:
        assert SENTENCE[span.start : span.end] == span.text
        assert span.key == span_key(span.text)
        assert not any(mark in span.text for mark in ',()“”"')


def test_quoted_phrases_are_kept_whole_with_their_article() -> None:
    quoted = {s.text for s in english_spans(SENTENCE) if s.quoted}
    assert quoted == {"Chongqing Create Chongqing New", "a lifetime of poverty"}


def test_capitalised_phrase_is_marked() -> None:
    by_text = {s.text: s for s in english_spans(SENTENCE)}
    assert by_text["Chongqing Create Chongqing New"].capitalised
    assert not by_text["entrepreneurship brand"].capitalised


def test_unquoted_spans_do_not_start_or_end_with_function_words() -> None:
    for span in english_spans(SENTENCE):
        if not span.quoted:
            words = span.text.lower().split()
            assert words[0] not in {"the", "of", "and", "will"}
            assert words[-1] not in {"the", "of", "and", "will"}


def test_dictionary_covers_a_word_by_word_rendering() -> None:
    units = term_glosses("渝创渝新")
    assert dictionary_match(units, content_stems("Chongqing Create Chongqing New")) == 1.0
    assert dictionary_match(units, content_stems("entrepreneurship brand")) == 0.0
    assert dictionary_match((), content_stems("anything")) == 0.0


def test_a_repeated_word_glosses_only_as_many_units_as_it_explains() -> None:
    units = term_glosses("失业保险", ("失业", "保险"))
    assert matched_dictionary(units, content_stems("unemployment insurance")) == 1.0
    padded = content_stems("insurance and unemployment insurance")
    assert dictionary_match(units, padded) == 1.0  # the plain coverage cannot tell them apart
    assert matched_dictionary(units, padded) < 1.0
    name = content_stems("Chongqing Create Chongqing New")
    assert matched_dictionary(term_glosses("渝创渝新"), name) == 1.0  # two 渝, two Chongqings
    assert matched_dictionary((), name) == 0.0


def test_stems_match_inflections() -> None:
    assert stem("stabilized") == stem("stable") == stem("stabilize")
    assert stem("workers") == stem("worker")
    assert "migrant" in glosses("农民工")
    assert glosses("不是一个词的字符串") == frozenset()


def test_missing_dictionary_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import glossary.extraction.dictionary as dictionary

    dictionary._table.cache_clear()
    dictionary.glosses.cache_clear()
    monkeypatch.setattr(dictionary, "_PACKAGE", "no_such_cedict_package")
    with pytest.raises(DictionaryError, match="pip install no_such_cedict_package"):
        dictionary.glosses("稳")
    monkeypatch.undo()
    dictionary._table.cache_clear()
    dictionary.glosses.cache_clear()


def test_numbers_of_terms_and_their_agreement() -> None:
    assert term_numbers("8个扩大") == {8.0}
    assert term_numbers("六稳") == {6.0}
    assert term_numbers("十四五") == {14.0, 5.0}
    assert term_numbers("一生一困") == frozenset()
    assert number_agreement(term_numbers("8个扩大"), "8 expansion") == 1.0
    assert number_agreement(term_numbers("8个扩大"), "6 expansion") == -1.0
    assert number_agreement(term_numbers("8个扩大"), "expansion") == 0.0
    assert number_agreement(frozenset(), "8 expansion") == 0.0


def test_dice_is_bounded() -> None:
    assert dice(0, 0, 0) == 0.0
    assert dice(2, 2, 2) == 1.0
    assert 0.0 < dice(1, 4, 2) < 1.0


def _evidence(embedding: float) -> Evidence:
    return Evidence(
        embedding=embedding,
        dictionary=0.5,
        quote=False,
        capitalised=False,
        numbers=0.0,
        support=1.0,
        documents=1,
        words=2,
    )


def test_confidence_is_a_probability_that_grows_with_similarity() -> None:
    scores = [confidence(_evidence(x)) for x in (-1.0, 0.0, 0.5, 1.0)]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores)


def test_hyphenated_words_count_as_their_parts() -> None:
    assert content_stems("Five-Year Plan") == ("fiv", "year", "plan")


def test_classifier_notes_do_not_swallow_neighbouring_senses() -> None:
    assert "action" in glosses("行动")  # CEDICT: operation/action/CL:個|个[ge4]/to move


def test_fitted_weights_rank_the_right_span_first() -> None:
    right = Evidence(0.8, 0.9, True, True, 0.0, 1.0, 2, 3)
    wrong = Evidence(0.4, 0.1, False, False, 0.0, 0.5, 1, 1)
    weights = fit_weights([(right, True), (wrong, False)] * 5 + [(wrong, True), (right, False)])
    assert len(weights) == len(FEATURES)
    assert confidence(right, weights) > 0.5 > confidence(wrong, weights)


def test_an_ordinal_is_one_word_and_no_span_starts_inside_it() -> None:
    texts = {s.text for s in english_spans("the 14th Five-Year Plan period")}
    assert "14th Five-Year Plan" in texts
    assert not any(t.startswith("th ") for t in texts)


def test_a_possessive_span_is_its_owner() -> None:
    spans = english_spans("the city’s people's livelihood")
    keys = {s.key for s in spans}
    assert "city" in keys and "people's livelihood" in keys
    assert not any(k.endswith("'s") for k in keys)
    for span in spans:
        assert span.text == "the city’s people's livelihood"[span.start : span.end]


def test_a_unit_is_covered_by_the_share_of_its_best_defining_phrase() -> None:
    phrases = [tuple(frozenset(map(settled, p)) for p in gloss_phrases("残疾人"))]
    units = [frozenset().union(*phrases[0])]
    assert units == [frozenset(map(settled, glosses("残疾人")))]
    person = tuple(map(settled, content_stems("person in charge")))
    whole = tuple(map(settled, content_stems("disabled person")))
    assert matched_dictionary(units, person, phrases) < matched_dictionary(units, person)
    assert matched_dictionary(units, whole, phrases) == matched_dictionary(units, whole) == 1.0
