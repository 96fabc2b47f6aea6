"""Term extraction end to end, on tiny documents and a fake encoder (no model loaded)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
import pytest

from align.document import load_document
from align.encoders import Encoder, Vectors, normalise_rows
from align.errors import InputError, LanguageError
from align.pipeline import align_documents
from align.types import Alignment, Bead, Document, Lang, Sentence, Signature, join_sentences
from glossary.extraction.choosing import Lost, Top, choose, outlinked, without_lost
from glossary.extraction.comparable import span_evidence
from glossary.extraction.dictionary import content_stems, term_glosses
from glossary.extraction.english_index import EnglishSide, Instance
from glossary.extraction.equivalents import Evidence, matched_dictionary, span_key
from glossary.extraction.extract import extract_terms
from glossary.extraction.inflection import inflection_key
from glossary.types import TermEntry
from tests.conftest import SEEDS

# Each concept is a set of surface forms, Chinese and English, that mean the same thing.
CONCEPTS = (
    ("渝创渝新", "chongqing create chongqing new"),
    ("贷款", "loans"),
    ("品牌", "brand"),
    ("农民工", "migrant workers"),
    ("创业", "entrepreneurship"),
)
HASH_DIMS = 32


class ConceptEncoder(Encoder):
    """Texts sharing a concept are similar; a little hashing keeps other texts apart."""

    name = "concepts"

    def encode(self, texts: Sequence[str]) -> Vectors:
        rows = np.zeros((len(texts), len(CONCEPTS) + HASH_DIMS), dtype=np.float32)
        for i, text in enumerate(texts):
            lowered = text.lower()
            for j, forms in enumerate(CONCEPTS):
                if any(form in lowered for form in forms):
                    rows[i, j] = 1.0
            rows[i, len(CONCEPTS) + zlib.crc32(lowered.encode()) % HASH_DIMS] = 0.3
        return normalise_rows(rows)


def document(name: str, lang: Lang, texts: Sequence[str]) -> Document:
    sentences, position = [], 0
    for text in texts:
        sentences.append(Sentence(text, position, position + len(text)))
        position += len(text) + 1
    return Document(join_sentences(list(texts), lang), lang, tuple(sentences), name)


ZH = document(
    "zh.txt",
    "zh",
    [
        "实施“渝创渝新”创业促进计划，发放创业担保贷款54亿元。",
        "重庆打造“渝创渝新”创业品牌，农民工就业稳定。",
    ],
)
EN_A = document(
    "a.txt",
    "en",
    [
        "Chongqing issued 5.4 billion yuan of loans under “Chongqing Create Chongqing New”.",
        "Migrant workers were stable.",
    ],
)
EN_B = document(
    "b.txt",
    "en",
    [
        "The city will build the entrepreneurship brand of “Chongqing Create Chongqing New”.",
        "The weather was fine.",
    ],
)


def _entry(entries: tuple[TermEntry, ...], zh: str) -> TermEntry:
    return next(e for e in entries if e.zh == zh)


@pytest.fixture(scope="module")
def entries() -> tuple[TermEntry, ...]:
    return extract_terms(
        [ZH], [EN_A, EN_B], encoder=ConceptEncoder(), doc_ids={"zh.txt": "004"}, k=2
    )


def test_quoted_name_found_through_agreement_of_two_documents(
    entries: tuple[TermEntry, ...],
) -> None:
    best = _entry(entries, "渝创渝新").equivalents[0]
    assert span_key(best.en) == "chongqing create chongqing new"
    assert {e.doc_en for e in best.examples} == {"a.txt", "b.txt"}
    assert best.frequency == 2  # two Chinese sentences, each paired once


def test_examples_carry_correct_spans_and_ids(entries: tuple[TermEntry, ...]) -> None:
    for entry in entries:
        for equivalent in entry.equivalents:
            assert equivalent.examples
            for example in equivalent.examples:
                zh = example.zh_text[example.zh_span.start : example.zh_span.end]
                en = example.en_text[example.en_span.start : example.en_span.end]
                assert zh == entry.zh
                assert span_key(en) == span_key(equivalent.en)
                assert example.doc_zh == "004"
                assert 0.0 <= example.pair_score <= 1.0


def test_confidences_are_probabilities_best_first(entries: tuple[TermEntry, ...]) -> None:
    for entry in entries:
        scores = [q.confidence for q in entry.equivalents]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)


def test_aligned_pairs_are_searched_with_their_bead_score() -> None:
    alignment = Alignment(
        src=ZH, tgt=EN_A, beads=(Bead((1,), (1,), 0.9),), signature=Signature("comparable", "x")
    )
    found = extract_terms([ZH], [EN_A, EN_B], encoder=ConceptEncoder(), alignments=[alignment], k=1)
    examples = [x for q in _entry(found, "农民工").equivalents for x in q.examples]
    assert any(
        x.doc_en == "a.txt" and x.sent_zh == 1 and x.sent_en == 1 and x.pair_score == 0.9
        for x in examples
    )


def test_documents_in_the_wrong_language_are_refused() -> None:
    with pytest.raises(LanguageError, match="not zh: pass it in en_docs"):
        extract_terms([EN_A], [EN_B], encoder=ConceptEncoder())
    with pytest.raises(LanguageError, match="not en: pass it in zh_docs"):
        extract_terms([ZH], [ZH], encoder=ConceptEncoder())


def test_bad_settings_are_refused() -> None:
    with pytest.raises(InputError, match="k must be at least 1"):
        extract_terms([ZH], [EN_A], encoder=ConceptEncoder(), k=0)
    with pytest.raises(InputError, match=r"min_confidence must be in \[0, 1\]"):
        extract_terms([ZH], [EN_A], encoder=ConceptEncoder(), min_confidence=2.0)
    with pytest.raises(InputError, match="max_equivalents must be at least 1"):
        extract_terms([ZH], [EN_A], encoder=ConceptEncoder(), max_equivalents=0)


def test_alignment_of_unknown_documents_is_refused() -> None:
    stranger = document("c.txt", "en", ["Something else entirely."])
    alignment = Alignment(src=ZH, tgt=stranger, beads=(), signature=Signature("comparable", "x"))
    with pytest.raises(InputError, match="not among zh_docs/en_docs"):
        extract_terms([ZH], [EN_A], encoder=ConceptEncoder(), alignments=[alignment])


def test_no_english_gives_no_entries() -> None:
    assert extract_terms([ZH], [], encoder=ConceptEncoder()) == ()


@pytest.mark.slow
def test_headline_terms_on_the_seed_corpus(use_encoder: Encoder) -> None:
    docs = [load_document(path) for path in sorted(SEEDS.glob("*.txt"))]
    found = extract_terms(
        [d for d in docs if d.lang == "zh"],
        [d for d in docs if d.lang == "en"],
        encoder=use_encoder,
    )
    top = {e.zh: span_key(e.equivalents[0].en) for e in found}
    assert top["渝创渝新"] == "chongqing create chongqing new"
    assert top["一生一困"] == "a lifetime of poverty"
    assert top["稳岗"] in {"stabilize jobs", "stabilized jobs"}


@pytest.mark.slow
def test_every_seed_pair_takes_the_comparable_path(use_encoder: Encoder) -> None:
    """The seeds are comparable articles: auto mode must keep them off the word-alignment
    path, whose phrase pairs assume translations."""
    docs = [load_document(path) for path in sorted(SEEDS.glob("*.txt"))]
    zh = next(d for d in docs if d.lang == "zh")
    modes = {
        align_documents(zh, en, mode="auto", encoder=use_encoder).mode
        for en in docs
        if en.lang == "en"
    }
    assert modes == {"comparable"}


def test_frequency_counts_distinct_sentence_pairs() -> None:
    repeated = document(
        "zh.txt", "zh", ["重庆打造“渝创渝新”品牌。", "重庆打造“渝创渝新”品牌。", "天气很好。"]
    )
    found = extract_terms([repeated], [EN_B], encoder=ConceptEncoder(), k=1)
    best = _entry(found, "渝创渝新").equivalents[0]
    assert best.frequency == 1 and len(best.examples) == 1


def test_span_evidence_lists_every_weighed_span() -> None:
    spans = span_evidence(
        [ZH], [EN_A, EN_B], encoder=ConceptEncoder(), terms=["渝创渝新", "无此词"]
    )
    assert set(spans) == {"渝创渝新"}
    keys = [key for key, _ in spans["渝创渝新"]]
    assert "chongqing create chongqing new" in keys and len(keys) > 1


def test_an_inflected_word_is_glossed_by_its_base_form() -> None:
    # 调查 is glossed "survey", whose plain stem ("surve") "surveyed" ("survey") never met
    zh = document("zh.txt", "zh", ["全市调查失业率为5.5%。", "今年调查失业率保持稳定。"])
    en = document(
        "en.txt",
        "en",
        ["The surveyed unemployment rate was 5.5%.", "The surveyed unemployment rate held."],
    )
    found = span_evidence([zh], [en], encoder=ConceptEncoder(), terms=["调查失业率"])
    spans = dict(found["调查失业率"])
    assert spans["surveyed unemployment rate"].dictionary == 1.0
    assert spans["unemployment rate"].dictionary < 1.0


def _choose_between(
    *spans: tuple[str, float], vocabulary: frozenset[str], dictionary: Sequence[float] = ()
) -> list[str]:
    """Keys ``choose`` keeps from spans given best first with their confidences (and, if
    given, their dictionary matches; 0.5 each otherwise)."""
    english = EnglishSide(
        texts={}, spans={}, span_vectors={}, stems={k: content_stems(k) for k, _ in spans},
        forms={k: inflection_key(k) for k, _ in spans},
        vectors=np.zeros((0, 1)), sentence_count={k: 1 for k, _ in spans}, by_stem={},
        placed={}, quoted_keys=frozenset(),
    )  # fmt: skip
    matches = dictionary or [0.5] * len(spans)
    scored = [
        (key, Evidence(0.5, match, False, False, 0.0, 1.0, 1, 2), score, [])
        for (key, score), match in zip(spans, matches, strict=True)
    ]
    return [key for key, *_ in choose(scored, english, vocabulary, 0.5, 3)]


def test_inflections_are_one_rendering_and_derivations_two() -> None:
    jobs = frozenset(content_stems("stable job employment"))  # glosses of 稳岗
    spans = ("stabilize jobs", 0.95), ("stabilized jobs", 0.94), ("stable employment", 0.90)
    spans += (("stabilizing employment", 0.85),)
    assert _choose_between(*spans, vocabulary=jobs) == [
        "stabilize jobs",
        "stable employment",
        "stabilizing employment",
    ]


def test_a_word_the_dictionary_lacks_is_glossed_by_the_words_it_holds() -> None:
    # 公益性 is no headword: glossed by character, 益 ("beneficial") would claim a word
    zh = document("zh.txt", "zh", ["开发公益性岗位一万个。", "公益性岗位安置困难人员。"])
    en = document(
        "en.txt",
        "en",
        ["Beneficial public welfare posts were created.", "Beneficial public welfare posts."],
    )
    found = span_evidence([zh], [en], encoder=ConceptEncoder(), terms=["公益性岗位"])
    spans = dict(found["公益性岗位"])
    longer = spans["beneficial public welfare posts"].dictionary
    assert spans["public welfare posts"].dictionary > longer


def test_a_nested_span_wins_only_where_the_dictionary_backs_its_boundary() -> None:
    wages = frozenset(content_stems("wages in arrears"))  # glosses of 工资拖欠
    padded = ("eradication of wage arrears", 0.97), ("wage arrears", 0.96)
    assert _choose_between(*padded, vocabulary=wages) == ["wage arrears"]
    far = ("eradication of wage arrears", 0.97), ("wage arrears", 0.80)
    assert _choose_between(*far, vocabulary=wages) == ["eradication of wage arrears"]
    jobs = frozenset(content_stems("stabilize job retain"))  # glosses of 稳岗留工
    cut = ("stabilize jobs and retain", 0.90), ("stabilize jobs and retain jobs", 0.88)
    assert _choose_between(*cut, vocabulary=jobs) == ["stabilize jobs and retain jobs"]
    glossed = ("stabilize jobs and retain", 0.90), ("stabilize jobs", 0.89)
    assert _choose_between(*glossed, vocabulary=jobs) == ["stabilize jobs and retain"]


def test_a_longer_span_that_repeats_a_word_does_not_replace_the_one_it_holds() -> None:
    insurance = frozenset(content_stems("unemployment insurance"))  # glosses of 失业保险
    spans = ("unemployment insurance", 0.99), ("insurance and unemployment insurance", 0.98)
    units = term_glosses("失业保险", ("失业", "保险"))
    matches = [matched_dictionary(units, content_stems(key)) for key, _ in spans]
    assert _choose_between(*spans, vocabulary=insurance, dictionary=matches) == [
        "unemployment insurance"
    ]


def test_a_shared_top_rendering_goes_to_the_term_the_dictionary_explains_better() -> None:
    keys = ("special action", "wage arrears", "people in difficulty", "unemployment rate")
    stems = {key: content_stems(key) for key in keys}
    tops = [
        Top("专项行动", "special action", dictionary=1.0, confidence=0.95),
        Top("专项活动", "special action", dictionary=0.5, confidence=0.90),  # 活动: "activity"
        Top("欠薪", "wage arrears", dictionary=1.0, confidence=0.90),
        Top("工资拖欠", "wage arrears", dictionary=1.0, confidence=0.80),  # glossed as well
        Top("困难人员", "people in difficulty", dictionary=0.5, confidence=0.90),
        Top("困难群体", "people in difficulty", dictionary=1.0, confidence=0.60),  # less sure
        Top("失业率", "unemployment rate", dictionary=1.0, confidence=0.99),
        Top("调查失业率", "unemployment rate", dictionary=0.7, confidence=0.98),
        None,
    ]
    assert outlinked(tops, stems) == [
        None,
        Lost("special action", to_part=False),
        None,
        None,
        None,
        None,
        None,
        Lost("unemployment rate", to_part=True),  # 失业率 is written inside 调查失业率
        None,
    ]


def test_a_term_that_lost_to_a_part_keeps_only_spans_that_hold_the_parts_rendering() -> None:
    keys = (
        "unemployment rate",
        "unemployment rates",  # the lost rendering inflected: gone either way
        "urban investigation",
        "surveyed urban unemployment rate",
    )
    stems = {key: content_stems(key) for key in keys}
    evidence = Evidence(0.5, 0.5, False, False, 0.0, 1.0, 1, 2)
    scored: list[tuple[str, Evidence, float, list[Instance]]] = [
        (key, evidence, 0.9, []) for key in keys
    ]
    lost = Lost("unemployment rate", to_part=True)  # to 失业率, inside 调查失业率
    assert [key for key, *_ in without_lost(scored, lost, stems)] == [
        "surveyed urban unemployment rate"
    ]
    lost = Lost("unemployment rate", to_part=False)
    assert [key for key, *_ in without_lost(scored, lost, stems)] == [
        "urban investigation",
        "surveyed urban unemployment rate",
    ]
