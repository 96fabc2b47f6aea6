"""The parallel-corpus path: word alignment, consistent phrases, terms across scripts."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest

from align.encoders import Encoder
from align.scripts import to_simplified
from align.types import Alignment, Bead, Document, Lang, Sentence, Signature, join_sentences
from glossary.extraction.bitext import SentencePair, Token
from glossary.extraction.equivalents import span_key
from glossary.extraction.extract import extract_terms, merge_found
from glossary.extraction.phrases import LinkIndex, tight_phrase
from glossary.extraction.sightings import term_shaped, trim, whole_words
from glossary.extraction.word_alignment import align_words, dictionary_priors, grow_diag_final_and
from glossary.types import Equivalent, TermEntry

SUBJECTS = (
    ("外匯基金", "Exchange Fund"),
    ("金融管理局", "Monetary Authority"),
    ("銀行體系", "banking system"),
    ("債券市場", "bond market"),
)
PREDICATES = (
    ("保持穩定", "remained stable"),
    ("表現良好", "performed well"),
    ("面對風險", "faced risks"),
    ("持續增長", "continued to grow"),
)
TIMES = (("今年", "This year"), ("去年", "Last year"), ("上半年", "In the first half"))


def document(name: str, lang: Lang, texts: Sequence[str]) -> Document:
    sentences, position = [], 0
    for text in texts:
        sentences.append(Sentence(text, position, position + len(text)))
        position += len(text) + 1
    return Document(join_sentences(list(texts), lang), lang, tuple(sentences), name)


def corpus() -> tuple[list[Document], list[Document], list[Alignment]]:
    """One document pair per time phrase; the last Chinese one in simplified script."""
    zh_docs, en_docs, alignments = [], [], []
    for number, (zh_time, en_time) in enumerate(TIMES):
        zh, en = [], []
        for (zh_s, en_s), (zh_p, en_p) in itertools.product(SUBJECTS, PREDICATES):
            zh.append(f"{zh_time}{zh_s}{zh_p}。")
            en.append(f"{en_time}, the {en_s} {en_p}.")
        if number == len(TIMES) - 1:
            zh = [to_simplified(text) for text in zh]
        zh_doc = document(f"zh{number}.txt", "zh", zh)
        en_doc = document(f"en{number}.txt", "en", en)
        beads = tuple(Bead((i,), (i,), 0.9) for i in range(len(zh)))
        zh_docs.append(zh_doc)
        en_docs.append(en_doc)
        alignments.append(Alignment(zh_doc, en_doc, beads, Signature("parallel", "test")))
    return zh_docs, en_docs, alignments


@pytest.fixture(scope="module")
def entries() -> tuple[TermEntry, ...]:
    zh_docs, en_docs, alignments = corpus()
    return extract_terms(zh_docs, en_docs, encoder=_no_model, alignments=alignments)


def _no_model() -> Encoder:
    """Translations never need the sentence encoder: loading one would be wasted time."""
    raise AssertionError("the parallel path asked for a sentence encoder")


def _entry(entries: tuple[TermEntry, ...], zh: str) -> TermEntry:
    return next(e for e in entries if e.zh == zh)


def test_translation_pairs_give_the_aligned_phrase(entries: tuple[TermEntry, ...]) -> None:
    assert span_key(_entry(entries, "外匯基金").equivalents[0].en) == "exchange fund"
    assert span_key(_entry(entries, "債券市場").equivalents[0].en) == "bond market"


def test_both_scripts_count_as_one_term_written_as_most_often(
    entries: tuple[TermEntry, ...],
) -> None:
    assert not any(e.zh == "外汇基金" for e in entries)
    best = _entry(entries, "外匯基金").equivalents[0]
    assert {ex.doc_zh for ex in best.examples} <= {"zh0.txt", "zh1.txt", "zh2.txt"}
    assert best.frequency == 12  # four sentences in each of three documents, both scripts


def test_examples_slice_to_the_term_and_the_equivalent(entries: tuple[TermEntry, ...]) -> None:
    for entry in entries:
        for equivalent in entry.equivalents:
            for example in equivalent.examples:
                zh = example.zh_text[example.zh_span.start : example.zh_span.end]
                en = example.en_text[example.en_span.start : example.en_span.end]
                assert to_simplified(zh) == to_simplified(entry.zh)
                assert span_key(en) == span_key(equivalent.en)
                assert 0.0 <= equivalent.confidence <= 1.0


def test_grow_diag_final_and_adds_neighbours_of_agreed_links() -> None:
    forward = {(0, 0), (1, 1), (2, 3)}
    reverse = {(0, 0), (1, 1), (1, 2)}
    links = grow_diag_final_and(forward, reverse, 3, 4)
    # (1, 2) neighbours the agreed (1, 1) and covers an unaligned English word; (2, 3) is
    # added at the end because both its words are still unaligned
    assert links == {(0, 0), (1, 1), (1, 2), (2, 3)}


def test_grow_diag_final_and_drops_links_outside_the_sentences() -> None:
    assert grow_diag_final_and({(0, 0), (5, 0)}, {(0, 0), (0, 9)}, 1, 1) == {(0, 0)}


def test_tight_phrase_refuses_a_range_whose_english_leaves_it() -> None:
    # zh 0 → en 0, zh 1 → en 2, zh 2 → en 1: zh [0, 2) spans en [0, 3) but en 1 belongs to zh 2
    index = LinkIndex.of(frozenset({(0, 0), (1, 2), (2, 1)}), 3, 3)
    assert tight_phrase(index, 0, 2) is None
    assert tight_phrase(index, 0, 3) == (0, 3)
    assert tight_phrase(index, 2, 3) == (1, 2)


def test_tight_phrase_of_unaligned_words_is_none() -> None:
    index = LinkIndex.of(frozenset({(0, 0)}), 2, 2)
    assert tight_phrase(index, 1, 2) is None
    assert tight_phrase(index, 0, 2) == (0, 1)  # an unaligned word inside is taken along


def test_term_shape_rejects_function_word_edges_and_bare_numbers() -> None:
    assert term_shaped(["快速", "支付", "系统"])  # starts with an adverb, still a name
    assert term_shaped(["CMU", "系统"])
    assert term_shaped(["可", "降解塑料"]) and term_shaped(["有", "担保", "债券"])  # jieba's cuts
    assert not term_shaped(["的", "基金"])
    assert not term_shaped(["2017"])
    assert not term_shaped(["基", "，"])


def test_trim_drops_function_words_at_the_edges() -> None:
    tokens = [Token(w, 0, i, i + 1) for i, w in enumerate(["the", "exchange", "fund", "of"])]
    assert trim(tokens, 0, 4) == (1, 3)
    assert trim(tokens, 0, 1) == (1, 1)


def test_dictionary_priors_link_words_cc_cedict_glosses() -> None:
    pair = SentencePair(
        0, 0, (Token("银行", 0, 0, 2),), (Token("banks", 0, 0, 5), Token("fund", 0, 6, 10)), 1.0
    )
    lines = dictionary_priors([pair])
    assert "LEX\t银行\tbanks\t1.0" in lines
    assert not any(line.endswith("\tfund\t1.0") for line in lines)


def test_align_words_links_a_repeated_corpus() -> None:
    pairs = [
        SentencePair(
            0,
            0,
            (Token("基金", 0, 0, 2), Token("稳定", 0, 2, 4)),
            (Token("fund", 0, 0, 4), Token("stable", 0, 5, 11)),
            1.0,
        ),
        SentencePair(
            0,
            0,
            (Token("基金", 1, 0, 2), Token("增长", 1, 2, 4)),
            (Token("fund", 1, 0, 4), Token("grew", 1, 5, 9)),
            1.0,
        ),
    ] * 10
    links = align_words(pairs)
    assert len(links) == len(pairs)
    assert all((0, 0) in found for found in links)
    assert align_words([]) == ()


def test_align_words_without_a_single_dictionary_link_still_aligns() -> None:
    """No word pair of the corpus in CC-CEDICT: eflomal gets no priors file, not an empty one
    (which it cannot read)."""
    pair = SentencePair(
        0, 0, (Token("阿巴", 0, 0, 2),), (Token("xyzzy", 0, 0, 5), Token("qwerty", 0, 6, 12)), 1.0
    )
    assert dictionary_priors([pair]) == []
    links = align_words([pair] * 3)
    assert len(links) == 3
    assert all(i == 0 and j in (0, 1) for found in links for i, j in found)


def test_merge_found_keeps_one_equivalent_per_rendering_best_first() -> None:
    def equivalent(en: str, confidence: float) -> Equivalent:
        return Equivalent(en, 1, confidence, ())

    merged = merge_found(
        [
            [TermEntry("外匯基金", 0.6, (equivalent("Exchange Fund", 0.7),))],
            [
                TermEntry(
                    "外匯基金", 0.9, (equivalent("exchange fund", 0.9), equivalent("fund", 0.5))
                )
            ],
        ],
        3,
    )
    assert len(merged) == 1
    assert [q.en for q in merged[0].equivalents] == ["exchange fund", "fund"]
    assert merged[0].termhood == 0.9


def test_renderings_never_stop_inside_a_hyphenated_compound() -> None:
    text = "the Guangdong-Hong Kong-Macao Greater Bay Area"
    words = ["the", "guangdong", "hong", "kong", "macao", "greater", "bay", "area"]
    tokens, position = [], 0
    for word in words:
        start = text.lower().index(word, position)
        tokens.append(Token(word, 0, start, start + len(word)))
        position = start + len(word)
    assert whole_words(tokens, 4, 8, text) == (3, 8)  # "Kong-Macao …": Kong joins in
    assert whole_words(tokens, 2, 4, text) == (1, 5)  # "Hong Kong" → "Guangdong-Hong Kong-Macao"
    assert whole_words(tokens, 5, 8, text) == (5, 8)
