"""Quantities in Chinese and English text, normalised to comparable values (pipeline step 4).

Matching numbers are among the strongest cross-lingual anchors in policy news: 75.1万人 and
"751,000 new jobs" are the same fact. Every quantity becomes one float plus a coarse unit.

Units: ``"percent"`` (14.5%, "14.5 percent", 百分之十四点五, 3个百分点), ``"yuan"`` (元,
"yuan", RMB), ``"person"`` (Chinese 人/名/人次 only: English says "jobs", "workers",
"graduates", too many nouns to list), ``"year"`` (Chinese 2021年 and 二〇二一年) and ``""``
for everything else. ``""`` is compatible with every unit when comparing, so a unit only
ever rules a match out, never in.

Deliberately left out, because they are words more often than numbers: Chinese 一 on its
own (一是, 一生一困, 一盘棋), bare multipliers (上千人, 千万, a person called 万元), 十分
("very"); English "one" on its own (a pronoun as often as a number). Single Chinese digits
二-九 count only before a measure word (五张, 八个).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import regex

from align.types import Lang


@dataclass(frozen=True)
class Quantity:
    """A number found in a text, with its span (offsets into that text)."""

    value: float
    unit: str
    start: int
    end: int


#: Relative difference below which two values are the same number.
REL_TOLERANCE = 1e-6

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_CN_MULTIPLIERS = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "千万": 10**7,
                   "百万": 10**6, "十万": 10**5, "亿": 10**8, "万": 10**4, "千": 10**3,
                   "百": 10**2}  # fmt: skip
_MEASURE_WORDS = "个张项家名位条次种所件批类支座户"

# Lengths are bounded so that a run of 100,000 digits costs linear time and yields nothing
# (no overflow to infinity): no real quantity has more than 15 digits or 20 numerals/words.
_ARABIC = (
    r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,15})?|\d{1,15}(?:\.\d{1,15})?)"
    r"(?!\d)(?![.,]\d)"
)
_ZH_NUMBER = regex.compile(
    _ARABIC
    + r"(?P<approx>余|多)?(?P<mult>"
    + "|".join(_CN_MULTIPLIERS)
    + r")?(?P<unit>%|个百分点|百分点|亿元|万元|元|人次|人|名)?"
    + r"|(?P<pct>百分之)?(?P<cn>[零〇一二两三四五六七八九十百千万亿点]{1,20})"
)
_ZH_UNITS = {"%": "percent", "个百分点": "percent", "百分点": "percent", "元": "yuan",
             "人次": "person", "人": "person", "名": "person"}  # fmt: skip

_EN_SMALL = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
             "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
             "eighteen": 18, "nineteen": 19}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9,
              "trillion": 10**12}  # fmt: skip
_EN_WORD = "|".join(sorted([*_EN_SMALL, *_EN_TENS, *_EN_SCALES], key=len, reverse=True))
_EN_SCALE = "|".join(_EN_SCALES)
_EN_UNIT = (
    r"(?:\s*(?P<unit>%|percent\b|per\s+cent\b|percentage\s+points?\b|yuan\b|RMB\b|renminbi\b|元))?"
)
_EN_NUMBER = regex.compile(
    r"(?P<cur>(?:RMB|CNY|¥)\s*)?"
    + _ARABIC
    + rf"(?:\s*(?P<scale>{_EN_SCALE})\b)?"
    + _EN_UNIT
    + rf"|\b(?P<words>(?:a\s+(?={_EN_SCALE}))?(?:{_EN_WORD})"
    + rf"(?:(?:\s+and\s+|\s+|-)(?:{_EN_WORD})){{0,20}})\b"
    + _EN_UNIT.replace("unit", "wunit"),
    regex.IGNORECASE,
)


def extract_quantities(text: str, lang: Lang) -> tuple[Quantity, ...]:
    """Every quantity in ``text``, in order of appearance."""
    return tuple(_zh_quantities(text) if lang == "zh" else _en_quantities(text))


def number_agreement(a: Sequence[Quantity], b: Sequence[Quantity]) -> float:
    """Dice coefficient of the two multisets of quantities, in [0, 1].

    Each quantity matches at most one on the other side (same value within
    :data:`REL_TOLERANCE`, compatible units). 0.0 when either side has no quantity: absence
    of numbers is no evidence for a pair, so callers that need to tell "no numbers" from
    "numbers disagree" check for empty sides themselves.
    """
    if not a or not b:
        return 0.0
    unused = list(b)
    matched = 0
    for qa in a:
        for k, qb in enumerate(unused):
            if _same(qa, qb):
                matched += 1
                del unused[k]
                break
    return 2 * matched / (len(a) + len(b))


def _same(a: Quantity, b: Quantity) -> bool:
    units_fit = a.unit == b.unit or not a.unit or not b.unit
    return units_fit and math.isclose(a.value, b.value, rel_tol=REL_TOLERANCE, abs_tol=1e-12)


# --- Chinese ------------------------------------------------------------------------------


def _zh_quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    pos = 0
    while (m := _ZH_NUMBER.search(text, pos)) is not None:
        if m.group("num") is not None:
            found.append(_zh_arabic(text, m))
            pos = m.end()
            continue
        quantity, pos = _zh_numeral(text, m)
        if quantity is not None:
            found.append(quantity)
    return found


def _zh_arabic(text: str, m: regex.Match[str]) -> Quantity:
    value = Decimal(m.group("num").replace(",", ""))
    mult = m.group("mult")
    if mult:
        value *= _CN_MULTIPLIERS[mult]
    raw_unit = m.group("unit") or ""
    if raw_unit in ("亿元", "万元"):
        value *= _CN_BIG_UNITS[raw_unit[0]]
    unit = "yuan" if raw_unit.endswith("元") else _ZH_UNITS.get(raw_unit, "")
    end = m.end()
    year_like = m.group("num").isdigit() and len(m.group("num")) == 4
    if not unit and not mult and year_like and text[end : end + 1] == "年":
        unit, end = "year", end + 1
    return Quantity(float(value), unit, m.start(), end)


def _zh_numeral(text: str, m: regex.Match[str]) -> tuple[Quantity | None, int]:
    """Parse a run of Chinese numerals; return the quantity (if any) and where to go on."""
    run, start = m.group("cn"), m.start("cn")
    percent = m.group("pct") is not None
    if len(run) >= 2 and all(c in _CN_DIGITS for c in run):  # 二〇二一年, 七八家
        if len(run) == 4 and text[m.end() : m.end() + 1] == "年":
            year = int("".join(str(_CN_DIGITS[c]) for c in run))
            return Quantity(float(year), "year", start, m.end() + 1), m.end() + 1
        return None, m.end()
    parsed = _parse_numeral(run)
    if parsed is None:
        return None, start + 1
    value, used = parsed
    end = start + used
    head = run[0]
    after = text[end : end + 1]
    has_unit = any(c in _CN_SMALL_UNITS or c in _CN_BIG_UNITS for c in run[:used])
    counted = (
        percent
        or (has_unit and (head in _CN_DIGITS or head == "十") and text[start : start + 2] != "十分")
        or (head in _CN_DIGITS and head != "一" and used == 1 and after in _MEASURE_WORDS)
    )
    if not counted:
        return None, end
    begin = m.start() if percent else start
    unit = "percent" if percent else ""
    if not percent and after in ("元", "人", "名"):
        unit, end = _ZH_UNITS[after], end + 1
    return Quantity(float(value), unit, begin, end), end


def _parse_numeral(run: str) -> tuple[Decimal, int] | None:
    """Value of the longest valid prefix of ``run`` and its length, e.g. 十四五 → (14, 2)."""
    total = Decimal(0)  # everything before the last 亿/万
    section = Decimal(0)  # the part below 万 being read
    digit: int | None = None
    last_unit = 10**9
    used = 0
    for i, char in enumerate(run):
        if char in _CN_DIGITS:
            if digit is not None:
                break
            digit = _CN_DIGITS[char]
            if digit == 0:
                digit, last_unit = None, 10**9  # 一千零五: the zero only marks a gap
        elif char in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[char]
            if unit >= last_unit or (digit is None and not (char == "十" and i == 0)):
                break
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif char in _CN_BIG_UNITS:
            if i == 0:
                break
            section += digit or 0
            if char == "亿":
                total, section = (total + section) * _CN_BIG_UNITS[char], Decimal(0)
            else:
                total, section = total + section * _CN_BIG_UNITS[char], Decimal(0)
            digit, last_unit = None, 10**9
        else:  # 点: decimal fraction, then an optional 万/亿
            fraction = _decimal_digits(run[i + 1 :])
            if digit is None or not fraction:
                break
            value = total + section + Decimal(f"{digit}.{fraction}")
            used = i + 1 + len(fraction)
            big = run[used : used + 1]
            if big in _CN_BIG_UNITS:
                value, used = value * _CN_BIG_UNITS[big], used + 1
            return value, used
        used = i + 1
    if used == 0:
        return None
    tail = 0
    if digit is not None:  # 一百五 = 150, 十四 = 14
        tail = digit * (last_unit // 10) if 100 <= last_unit < 10**9 else digit
    return total + section + tail, used


def _decimal_digits(run: str) -> str:
    digits = []
    for char in run:
        if char not in _CN_DIGITS:
            break
        digits.append(str(_CN_DIGITS[char]))
    return "".join(digits)


# --- English ------------------------------------------------------------------------------


def _en_quantities(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    for m in _EN_NUMBER.finditer(text):
        if m.group("num") is not None:
            value = Decimal(m.group("num").replace(",", ""))
            if m.group("scale"):
                value *= _EN_SCALES[m.group("scale").lower()]
            unit = _en_unit(m.group("unit")) or ("yuan" if m.group("cur") else "")
        else:
            words = _parse_words(m.group("words"))
            if words is None:
                continue
            value, unit = Decimal(words), _en_unit(m.group("wunit"))
        found.append(Quantity(float(value), unit, m.start(), m.end()))
    return found


def _en_unit(raw: str | None) -> str:
    if not raw:
        return ""
    word = raw.lower()
    return "percent" if word == "%" or word.startswith("per") else "yuan"


def _parse_words(phrase: str) -> int | None:
    """``twenty-five`` → 25, ``two hundred thousand`` → 200000; None for a lone "one"."""
    tokens = [t for t in regex.split(r"[\s-]+", phrase.lower()) if t != "and"]
    total = current = 0
    for token in tokens:
        if token == "a":
            current = 1
        elif token in _EN_SMALL:
            current += _EN_SMALL[token]
        elif token in _EN_TENS:
            current += _EN_TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        else:
            total += max(current, 1) * _EN_SCALES[token]
            current = 0
    value = total + current
    if value < 2 and not any(t in _EN_SCALES for t in tokens):
        return None
    return value
