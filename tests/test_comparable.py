"""Number anchors: which shared figures pair two sentences in comparable mode."""

from __future__ import annotations

from align.comparable import number_anchors
from align.numbers import Quantity, extract_quantities
from align.types import Lang


def _numbers(texts: list[str], lang: Lang) -> list[tuple[Quantity, ...]]:
    return [extract_quantities(t, lang) for t in texts]


def test_a_specific_figure_stated_once_on_each_side_anchors_its_sentences() -> None:
    zh = _numbers(["全市816.2万名农民工实现就业。", "今年工作平稳。"], "zh")
    en = _numbers(
        [
            "The rate reached 96.5%; 8.162 million migrant workers found jobs.",
            "Work went smoothly.",
        ],
        "en",
    )
    assert number_anchors(zh, en) == [(0, 0)]


def test_a_figure_repeated_on_one_side_anchors_nothing() -> None:
    zh = _numbers(["新增就业75.1万人。", "其中城镇75.1万人。"], "zh")
    en = _numbers(["751,000 new urban jobs."], "en")
    assert number_anchors(zh, en) == []


def test_round_figures_and_years_are_not_specific_enough() -> None:
    zh = _numbers(["2021年发放54亿元，帮扶3个项目。"], "zh")
    en = _numbers(["In 2021, 5.4 billion yuan went to 3 projects."], "en")
    assert number_anchors(zh, en) == []
