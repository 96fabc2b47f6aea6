import math

import pytest

from align.numbers import Quantity, extract_quantities, number_agreement
from align.types import Lang


def values(text: str, lang: Lang) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in extract_quantities(text, lang)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新增就业75.1万人", (751_000, "person")),
        ("发放创业担保贷款54亿元", (5.4e9, "yuan")),
        ("816.2万名农民工实现就业", (8_162_000, "person")),
        ("同比增长14.5%", (14.5, "percent")),
        ("百分之十四点五", (14.5, "percent")),
        ("高出3个百分点", (3, "percent")),
        ("一千", (1000, "")),
        ("二〇二一年", (2021, "year")),
        ("2021年", (2021, "year")),
        ("三亿五千万元", (3.5e8, "yuan")),
        ("七十五点一万", (751_000, "")),
        ("一千零五", (1005, "")),
        ("工资40余万元", (400_000, "yuan")),
        ("求人倍率2.4", (2.4, "")),
        ("1,234.5元", (1234.5, "yuan")),
        ("五张答卷", (5, "")),
    ],
)
def test_chinese_quantities(text: str, expected: tuple[float, str]) -> None:
    (got,) = values(text, "zh")
    assert math.isclose(got[0], expected[0]) and got[1] == expected[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("751,000 new jobs", (751_000, "")),
        ("5.4 billion yuan of loans", (5.4e9, "yuan")),
        ("8.162 million migrant workers", (8_162_000, "")),
        ("an increase of 14.5%", (14.5, "percent")),
        ("within 14.5 percent", (14.5, "percent")),
        ("up 2.4 percentage points", (2.4, "percent")),
        ("more than 600,000 jobs", (600_000, "")),
        ("increase 3 million urban employees", (3_000_000, "")),
        ("two hundred thousand people", (200_000, "")),
        ("twenty-five cases", (25, "")),
        ("the eight main tasks", (8, "")),
        ("a million people", (1_000_000, "")),
        ("RMB 300 per person", (300, "yuan")),
        ("300 yuan per person", (300, "yuan")),
        ("1,000,000,000,000", (1e12, "")),
    ],
)
def test_english_quantities(text: str, expected: tuple[float, str]) -> None:
    (got,) = values(text, "en")
    assert math.isclose(got[0], expected[0]) and got[1] == expected[1]


def test_spans_cover_the_quantity() -> None:
    text = "全市816.2万名农民工，增长14.5%"
    assert [text[q.start : q.end] for q in extract_quantities(text, "zh")] == [
        "816.2万名",
        "14.5%",
    ]
    text = "issued 5.4 billion yuan, up 14.5 percent"
    assert [text[q.start : q.end] for q in extract_quantities(text, "en")] == [
        "5.4 billion yuan",
        "14.5 percent",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "一是落实政策",
        "一生一困",
        "一盘棋",
        "上千人",
        "市民万元早早来到",
        "十分重要",
        "七八家企业",
        "重点",
    ],
)
def test_chinese_words_that_contain_numerals_are_not_numbers(text: str) -> None:
    assert extract_quantities(text, "zh") == ()


def test_shisiwu_reads_as_fourteen_not_one_hundred_forty_five() -> None:
    assert values("“十四五”规划", "zh") == [(14, "")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one of the 50 plans", [(50, "")]),
        ("No one came", []),
        ("dated 2021.5.3", []),
        ("the 14th Five-Year Plan", [(14, ""), (5, "")]),
    ],
)
def test_lone_one_and_dotted_dates_are_not_numbers(
    text: str, expected: list[tuple[float, str]]
) -> None:
    assert values(text, "en") == expected


def test_long_digit_runs_yield_nothing_and_never_infinity() -> None:
    assert extract_quantities("1" * 100_000, "en") == ()
    assert extract_quantities("1" * 100_000, "zh") == ()
    assert all(math.isfinite(q.value) for q in extract_quantities("一亿" * 1000, "zh"))
    assert all(math.isfinite(q.value) for q in extract_quantities("million " * 1000, "en"))


def test_number_agreement_of_the_seed_facts() -> None:
    zh = extract_quantities(
        "全市城镇新增就业75.1万人，同比增长14.5%；发放创业担保贷款54亿元。", "zh"
    )
    en = extract_quantities(
        "751,000 new jobs in urban areas, a year-on-year increase of 14.5%, "
        "and newly issued 5.4 billion yuan of loans.",
        "en",
    )
    assert number_agreement(zh, en) == 1.0
    assert number_agreement(en, zh) == 1.0


def test_number_agreement_is_dice() -> None:
    a = [Quantity(751_000, "person", 0, 1), Quantity(14.5, "percent", 2, 3)]
    b = [Quantity(751_000, "", 0, 1), Quantity(99, "", 2, 3), Quantity(5, "", 4, 5)]
    assert number_agreement(a, b) == pytest.approx(2 * 1 / 5)


def test_units_must_be_compatible() -> None:
    person = [Quantity(14.5, "person", 0, 1)]
    assert number_agreement(person, [Quantity(14.5, "percent", 0, 1)]) == 0.0
    assert number_agreement(person, [Quantity(14.5, "", 0, 1)]) == 1.0


def test_each_quantity_matches_once() -> None:
    a = [Quantity(5, "", 0, 1), Quantity(5, "", 1, 2)]
    assert number_agreement(a, [Quantity(5, "", 0, 1)]) == pytest.approx(2 / 3)


def test_no_quantities_means_no_agreement() -> None:
    assert number_agreement([], []) == 0.0
    assert number_agreement([Quantity(1, "", 0, 1)], []) == 0.0
