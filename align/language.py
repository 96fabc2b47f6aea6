"""Which language a text is in, told from its script alone.

Only Chinese and English are supported, so counting letters is enough and needs no model.
A Han character carries about as much as a short English word, so Han characters are
weighted: Chinese text with English names and acronyms stays Chinese, English text quoting a
few Chinese terms stays English, and a file that is half and half is an error rather than a
guess.
"""

from __future__ import annotations

import regex

from align.errors import LanguageError
from align.types import Lang

_HAN = regex.compile(r"\p{Han}+")
_LATIN = regex.compile(r"\p{Latin}+")
_LETTERS = regex.compile(r"\p{L}+")

#: One Han character counts as this many Latin letters.
HAN_WEIGHT = 3
#: The winning script must outweigh the other by this factor.
DOMINANCE = 2
#: Fewer weighted letters than this and there is nothing to tell the language from.
MIN_EVIDENCE = 3

#: Characters read from each of the start, middle and end of a long text.
SAMPLE = 100_000

LANGUAGE_NAMES: dict[Lang, str] = {"zh": "Chinese", "en": "English"}


def detect_language(text: str, *, name: str = "") -> Lang:
    """Return ``"zh"`` or ``"en"``; raise :class:`LanguageError` if the text is neither."""
    text = _sample(text)
    han = _count(_HAN, text)
    latin = _count(_LATIN, text)
    other = _count(_LETTERS, text) - han - latin
    zh_weight, en_weight = HAN_WEIGHT * han, latin
    where = f"{name}: " if name else ""
    found = f"found {han:,} Han characters, {latin:,} Latin letters and {other:,} other letters"
    if other > max(han, latin):
        raise LanguageError(
            f"{where}the text is mostly in another script ({found}); "
            "give one Chinese and one English text"
        )
    if max(zh_weight, en_weight) < MIN_EVIDENCE:
        raise LanguageError(f"{where}no Chinese or English text to go on ({found})")
    if zh_weight >= DOMINANCE * en_weight:
        return "zh"
    if en_weight >= DOMINANCE * zh_weight:
        return "en"
    raise LanguageError(
        f"{where}the text mixes Chinese and English in similar amounts ({found}); "
        "give each language in its own file"
    )


def check_pair(src_lang: Lang, tgt_lang: Lang, *, src_name: str, tgt_name: str) -> None:
    """Refuse a pair that is not one Chinese and one English text."""
    if src_lang == tgt_lang:
        raise LanguageError(
            f"both files are {LANGUAGE_NAMES[src_lang]} ({src_name}, {tgt_name}): "
            "give one Chinese and one English text"
        )


def _sample(text: str) -> str:
    """Start, middle and end of a long text: enough to tell its language, in bounded time."""
    if len(text) <= 3 * SAMPLE:
        return text
    middle = len(text) // 2
    return "\n".join((text[:SAMPLE], text[middle : middle + SAMPLE], text[-SAMPLE:]))


def _count(pattern: regex.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))
