"""The aligners on real text with the real default encoder."""

from __future__ import annotations

import pytest

from align.auto import AutoAligner, longest_increasing
from align.baseline import LengthAligner
from align.comparable import ComparableAligner, number_evidence
from align.document import load_document
from align.encoders import Encoder
from align.errors import InputError, LanguageError
from align.evaluation import score_alignment
from align.gold import load_beads
from align.numbers import extract_quantities
from align.parallel import ParallelAligner
from align.pipeline import make_aligner
from tests.conftest import DATA, SEEDS

ZH_SEED = SEEDS / "004_acb3dc8994b1fd4b.txt"
EN_SEED = SEEDS / "000_d37896d3ca684c51.txt"


@pytest.fixture(scope="module")
def bible() -> tuple:
    en = load_document(DATA / "bible_en.txt", split_lines=True)
    zh = load_document(DATA / "bible_zh.txt", split_lines=True)
    return en, zh, load_beads(DATA / "bible_gold.align")


def test_parallel_beats_the_length_baseline_on_gold(bible: tuple, use_encoder: Encoder) -> None:
    en, zh, gold = bible
    ours = score_alignment(gold, ParallelAligner(use_encoder).align(en, zh).beads)
    baseline = score_alignment(gold, LengthAligner().align(en, zh).beads)
    assert ours.f1_strict > baseline.f1_strict
    assert ours.f1_lax >= 0.9


def test_parallel_covers_every_sentence_once_with_scores_in_range(
    bible: tuple, use_encoder: Encoder
) -> None:
    en, zh, _ = bible
    alignment = ParallelAligner(use_encoder).align(en, zh)
    src = [i for b in alignment.beads for i in b.src]
    tgt = [j for b in alignment.beads for j in b.tgt]
    assert src == list(range(len(en))) and tgt == list(range(len(zh)))
    assert all(0.0 <= b.score <= 1.0 for b in alignment.beads)


def test_direction_does_not_matter(bible: tuple, use_encoder: Encoder) -> None:
    en, zh, _ = bible
    forward = ParallelAligner(use_encoder).align(en, zh).beads
    backward = ParallelAligner(use_encoder).align(zh, en).beads
    flipped = {(b.tgt, b.src) for b in backward}
    agree = sum((b.src, b.tgt) in flipped for b in forward)
    assert agree >= 0.9 * len(forward)


def test_comparable_finds_the_shared_facts_and_little_else(use_encoder: Encoder) -> None:
    zh, en = load_document(ZH_SEED), load_document(EN_SEED)
    alignment = ComparableAligner(use_encoder).align(zh, en)
    pairs = [alignment.bead_text(b) for b in alignment.pairs()]
    assert any("75.1万" in z and "751,000" in e for z, e in pairs)
    assert any("54亿元" in z and "5.4 billion" in e for z, e in pairs)
    assert any("816.2万" in z and "8.162 million" in e for z, e in pairs)
    assert len(pairs) <= len(en) // 2
    assert all(0.0 <= b.score <= 1.0 for b in alignment.beads)


def test_auto_mode_picks_and_says_which(bible: tuple, use_encoder: Encoder) -> None:
    en, zh, _ = bible
    auto = AutoAligner(use_encoder)
    parallel = auto.align(en, zh)
    comparable = auto.align(load_document(ZH_SEED), load_document(EN_SEED))
    assert parallel.mode == "parallel" and "chose parallel" in parallel.notes[-1]
    assert comparable.mode == "comparable" and "chose comparable" in comparable.notes[-1]


def test_same_language_twice_is_refused(use_encoder: Encoder) -> None:
    en = load_document(EN_SEED)
    with pytest.raises(LanguageError, match="both texts are English"):
        ParallelAligner(use_encoder).align(en, en)


def test_unknown_mode_lists_the_choices(use_encoder: Encoder) -> None:
    with pytest.raises(InputError, match="parallel, comparable, auto"):
        make_aligner("diagonal", use_encoder)


def test_number_evidence_scales_chinese_units() -> None:
    zh = extract_quantities("全市城镇新增就业75.1万人，同比增长14.5%", "zh")
    en = extract_quantities("751,000 new jobs, up 14.5%", "en")
    other = extract_quantities("766,000 people were employed", "en")
    assert number_evidence(zh, en) == 1.0
    assert number_evidence(zh, other) == -1.0
    assert number_evidence(zh, ()) == 0.0


def test_longest_increasing() -> None:
    assert longest_increasing([3, 1, 2, 5, 4, 6]) == 4
    assert longest_increasing([]) == 0
