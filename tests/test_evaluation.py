from pathlib import Path

import pytest

from align.errors import InputError
from align.evaluation import AlignmentScores, score_alignment, text_metrics
from align.gold import BeadPair, load_beads
from align.types import Bead

DATA = Path(__file__).parent / "data"
GOLD = load_beads(DATA / "bible_gold.align")
EN = (DATA / "bible_en.txt").read_text(encoding="utf-8").splitlines()
ZH = (DATA / "bible_zh.txt").read_text(encoding="utf-8").splitlines()

# Hand-worked example. Precision is over the 5 predicted beads:
#   [0]:[0] strict; [1]:[1] lax (1-1 lies inside gold [1,2]:[1]); [2]:[] miss;
#   [3]:[] strict (gold has the same omission); [4]:[3] miss (gold links 4 to 2 only).
# Recall is over the 3 gold beads with both sides, against predicted beads with both sides:
#   [0]:[0] strict; [1,2]:[1] lax (via predicted [1]:[1]); [4]:[2] miss.
HAND_GOLD: list[BeadPair] = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]
HAND_PRED: list[BeadPair] = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (3,))]


def test_hand_worked_example() -> None:
    scores = score_alignment(HAND_GOLD, HAND_PRED)
    assert scores.precision_strict == pytest.approx(2 / 5)
    assert scores.precision_lax == pytest.approx(3 / 5)
    assert scores.recall_strict == pytest.approx(1 / 3)
    assert scores.recall_lax == pytest.approx(2 / 3)
    assert scores.f1_strict == pytest.approx(4 / 11)
    assert scores.f1_lax == pytest.approx(12 / 19)


def test_beads_and_pairs_score_alike_and_repeats_count_once() -> None:
    as_beads = [Bead(src, tgt, 0.5) for src, tgt in HAND_PRED]
    assert score_alignment(HAND_GOLD, as_beads) == score_alignment(HAND_GOLD, HAND_PRED)
    assert score_alignment(HAND_GOLD, HAND_PRED + HAND_PRED[:2]) == score_alignment(
        HAND_GOLD, HAND_PRED
    )


def test_gold_against_itself_is_perfect() -> None:
    scores = score_alignment(GOLD, GOLD)
    assert scores.as_dict() == {
        "precision_strict": 1.0,
        "recall_strict": 1.0,
        "f1_strict": 1.0,
        "precision_lax": 1.0,
        "recall_lax": 1.0,
        "f1_lax": 1.0,
    }


def test_merging_two_gold_beads_is_a_lax_but_not_a_strict_hit() -> None:
    (s0, t0), (s1, t1) = GOLD[0], GOLD[1]
    pred = [(s0 + s1, t0 + t1), *GOLD[2:]]
    scores = score_alignment(GOLD, pred)
    assert scores.precision_strict == pytest.approx(38 / 39)
    assert scores.recall_strict == pytest.approx(38 / 40)
    assert scores.precision_lax == 1.0
    assert scores.recall_lax == 1.0


def test_predicted_omissions_count_against_precision_only() -> None:
    # Splitting gold [1,2]:[1,2,3] into omissions adds 5 wrong beads to precision,
    # and loses one gold bead from recall.
    src, tgt = GOLD[1]
    pred = [GOLD[0], *[((i,), ()) for i in src], *[((), (j,)) for j in tgt], *GOLD[2:]]
    scores = score_alignment(GOLD, pred)
    assert scores.precision_strict == pytest.approx(39 / 44)
    assert scores.precision_lax == pytest.approx(39 / 44)
    assert scores.recall_strict == pytest.approx(39 / 40)
    assert scores.recall_lax == pytest.approx(39 / 40)


def test_empty_sides_score_zero_not_an_error() -> None:
    zero = AlignmentScores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert score_alignment(GOLD, []) == zero
    assert score_alignment([], GOLD) == zero
    assert score_alignment([], []) == zero
    assert score_alignment([((), ())], [((), ())]) == zero


def test_scores_are_frozen() -> None:
    scores = score_alignment(GOLD, GOLD)
    with pytest.raises(AttributeError):
        scores.f1_strict = 0.5  # type: ignore[misc]


def test_text_metrics_perfect_alignment() -> None:
    metrics = text_metrics(GOLD, GOLD, EN, ZH, "zh")
    assert metrics == {"chrf": pytest.approx(100.0), "bleu": pytest.approx(100.0)}


def test_text_metrics_drop_when_targets_shift() -> None:
    shifted = [(src, tuple(j + 1 for j in tgt if j + 1 < len(ZH))) for src, tgt in GOLD]
    metrics = text_metrics(GOLD, shifted, EN, ZH, "zh")
    assert 0.0 < metrics["chrf"] < 60.0
    assert 0.0 < metrics["bleu"] < 60.0


def test_text_metrics_tokenises_chinese_for_bleu() -> None:
    # Half the reference retrieved: with whitespace tokenisation a Chinese sentence would
    # be one unmatched word and BLEU 0; by character it earns partial credit.
    gold = [((0,), (0, 1))]
    pred = [((0,), (0,)), ((), (1,))]
    zh = ["起初神创造天地，神看着是好的。", "地是空虚混沌，渊面黑暗。"]
    metrics = text_metrics(gold, pred, ["In the beginning."], zh, "zh")
    assert 0.0 < metrics["bleu"] < 100.0


def test_text_metrics_english_target_and_union_of_predictions() -> None:
    # Gold [0,1]:[0]; the prediction split it: both pieces together recover the reference.
    gold = [((0, 1), (0, 1))]
    pred = [((0,), (0,)), ((1,), (1,))]
    metrics = text_metrics(gold, pred, ZH[:2], EN[:2], "en")
    assert metrics == {"chrf": pytest.approx(100.0), "bleu": pytest.approx(100.0)}


def test_text_metrics_unaligned_source_gets_empty_hypothesis() -> None:
    gold = [((0,), (0,))]
    metrics = text_metrics(gold, [((0,), ())], EN[:1], ZH[:1], "zh")
    assert metrics == {"chrf": 0.0, "bleu": 0.0}


def test_text_metrics_without_gold_pairs_is_zero() -> None:
    assert text_metrics([((0,), ())], [((0,), ())], EN[:1], ZH[:1], "zh") == {
        "chrf": 0.0,
        "bleu": 0.0,
    }


@pytest.mark.parametrize(
    ("gold", "pred", "which"),
    [
        ([((0,), (70,))], [((0,), (0,))], r"gold bead \[0\]:\[70\]"),
        ([((0,), (0,))], [((50,), (0,))], r"predicted bead \[50\]:\[0\]"),
    ],
)
def test_text_metrics_ids_beyond_texts(
    gold: list[BeadPair], pred: list[BeadPair], which: str
) -> None:
    with pytest.raises(
        InputError, match=which + r" refers to a sentence beyond the texts \(44 source"
    ):
        text_metrics(gold, pred, EN, ZH, "zh")
