"""Where a Chinese term occurs in the word-aligned pairs, and the English that renders it there.

Candidates are runs of jieba words shaped like a term: Han, Latin or number words, no
punctuation inside, no function word at either edge, keyed by their simplified form so that
both scripts count together. Which runs are terms is left to the alignment evidence, not to a
part-of-speech table (快速支付系統 starts with an adverb and is a name). A sighting is the
tight consistent English range of one occurrence, and its widenings over unaligned words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

from glossary.extraction.bitext import SentencePair, Token
from glossary.extraction.phrases import LinkIndex, tight_phrase

Texts = Mapping[tuple[str, int, int], str]
"""Sentence texts as written, by ("zh" or "en", document index, sentence index)."""

MAX_ZH_WORDS = 6
MAX_ZH_CHARS = 16
MAX_EN_WORDS = 8
MAX_WIDEN = 2  # unaligned English words a rendering may take in on either side
# not 可 or 有, which jieba often cuts off the front of a compound (可 降解塑料 "biodegradable
# plastics", 有 担保 债券 "secured bonds"): held-out precision at coverage 0.8, macro of the
# HKMA dev years, 0.854 with them, 0.856 without (``bench/hkma_errors.py``, 5 draws each)
_ZH_EDGE_STOP = frozenset(
    "的 了 和 与 及 或 在 是 将 对 为 把 被 从 由 以 向 等 也 都 又 更 还 而 并 这 那 其 之 "  # noqa: SIM905
    "各 每 该 我 我们 他们 个 就 才 已 已经 于 则 但 如 若 所 着 过 中 上 下 后 前 "
    "时 年 月 日 亦 会 能 可以 要".split()
)
EN_FUNCTION = frozenset(
    "a an the of to in on at for by with and or as is are was were be been being its their "  # noqa: SIM905
    "this that these those which who whom whose from into than also such per it they we "
    "has have had will would shall should can could may might must do does did not no "
    "under over after before since while during through within about between among "
    "against towards via upon so then there here either neither my your his her our any "
    "some each every both all 's".split()
)
_WORDLIKE = regex.compile(r"^(?:\p{Han}+|[A-Za-z][A-Za-z0-9]*|\d+)$")
_BREAK = regex.compile(r"[()（）\[\],;:，；：]")


@dataclass(frozen=True)
class Sighting:
    """An English token range that renders one occurrence of a term.

    ``tight`` when it is exactly the consistent range (edge function words trimmed); else it
    takes in up to ``MAX_WIDEN`` unaligned words beside it, which the aligner left out but
    which may belong to the name ("Gross" of "Gross Domestic Product").
    """

    pair: int
    zh_start: int
    zh_end: int
    en_start: int
    en_end: int
    tight: bool


def term_runs(pairs: Sequence[SentencePair]) -> dict[str, list[tuple[int, int, int]]]:
    """(pair, first token, end token) of every term-shaped run, by its simplified form.

    Runs from one start grow a word at a time, so each step checks only the word it adds;
    a word that is not Han, Latin or a number ends the growth (no longer run is a term)."""
    seen: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for number, pair in enumerate(pairs):
        tokens = pair.zh
        wordlike = [_WORDLIKE.match(t.form) is not None for t in tokens]
        for start, first in enumerate(tokens):
            for end in range(start + 1, min(start + MAX_ZH_WORDS, len(tokens)) + 1):
                last = tokens[end - 1]
                if (
                    last.sentence != first.sentence
                    or last.end - first.start > MAX_ZH_CHARS
                    or (end - start > 1 and tokens[end - 2].end != last.start)
                    or not wordlike[end - 1]
                ):
                    break
                words = [t.form for t in tokens[start:end]]
                if _shaped_edges(words):
                    seen["".join(words)].append((number, start, end))
    return seen


def term_shaped(words: Sequence[str]) -> bool:
    """Han, Latin or number words, not a bare number or one character, no function word at
    either edge."""
    return all(_WORDLIKE.match(w) for w in words) and _shaped_edges(words)


def _shaped_edges(words: Sequence[str]) -> bool:
    """``term_shaped`` for words already known to be Han, Latin or numbers."""
    return (
        not (len(words) == 1 and (words[0].isdigit() or len(words[0]) < 2))
        and words[0] not in _ZH_EDGE_STOP
        and words[-1] not in _ZH_EDGE_STOP
        and not words[-1].isdigit()
    )


def sightings(
    pair: SentencePair, index: LinkIndex, number: int, start: int, end: int, texts: Texts
) -> list[Sighting]:
    """The renderings of Chinese tokens [start, end) of pair ``number``: its tight range and
    the widenings of it over unaligned words, none crossing a bracket, comma or sentence."""
    phrase = tight_phrase(index, start, end)
    if phrase is None:
        return []
    tokens = pair.en
    low, high = phrase
    found: dict[tuple[int, int], bool] = {}
    for left in range(MAX_WIDEN + 1):  # each step checks only the word it takes in
        if low - left < 0 or (left and index.by_en[low - left]):
            break
        for right in range(MAX_WIDEN + 1):
            if high + right > len(tokens) or (right and index.by_en[high + right - 1]):
                break
            a, b = trim(tokens, low - left, high + right)
            if a < b:
                a, b = whole_words(tokens, a, b, texts[("en", pair.en_doc, tokens[a].sentence)])
            run = tokens[a:b]
            if (
                a < b
                and b - a <= MAX_EN_WORDS
                and run[0].sentence == run[-1].sentence
                and not _BREAK.search(surface(texts, "en", pair.en_doc, run))
            ):
                found[(a, b)] = found.get((a, b), False) or (left == 0 and right == 0)
    return [Sighting(number, start, end, a, b, tight) for (a, b), tight in sorted(found.items())]


def trim(tokens: Sequence[Token], a: int, b: int) -> tuple[int, int]:
    """The range without function words at its edges ("the Exchange Fund" → Exchange Fund)."""
    while a < b and tokens[a].form in EN_FUNCTION:
        a += 1
    while b > a and tokens[b - 1].form in EN_FUNCTION:
        b -= 1
    return a, b


def whole_words(tokens: Sequence[Token], a: int, b: int, text: str) -> tuple[int, int]:
    """The range grown over hyphens to whole words: a rendering never starts or ends inside a
    hyphenated compound ("Macao Greater Bay Area" → "Guangdong-Hong Kong-Macao Greater Bay Area"
    stops at the space; "Kong-Macao" takes in "Hong"). ``text`` is the sentence of token ``a``."""
    sentence = tokens[a].sentence
    while a > 0 and tokens[a - 1].sentence == sentence and _hyphen(text, tokens[a - 1], tokens[a]):
        a -= 1
    while (
        b < len(tokens)
        and tokens[b].sentence == sentence
        and _hyphen(text, tokens[b - 1], tokens[b])
    ):
        b += 1
    return a, b


def _hyphen(text: str, left: Token, right: Token) -> bool:
    return text[left.end : right.start] in ("-", "‐", "–")


def phrase_key(run: Sequence[Token]) -> str:
    """Lower-case words joined by spaces: what renderings are counted under."""
    return " ".join(t.form for t in run)


def surface(texts: Texts, side: str, doc: int, run: Sequence[Token]) -> str:
    """The run as written in its sentence."""
    text = texts[(side, doc, run[0].sentence)]
    return text[run[0].start : run[-1].end]
