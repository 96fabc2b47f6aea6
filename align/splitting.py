"""Repair broken lines and split a text into sentences (pipeline step 2).

Two passes. First the lines are grouped into paragraphs: a line that does not end a sentence
and is not a heading continues on the next line, across blank lines, because real files break
lines inside sentences and even inside words ("新增就\\n\\n业75.1万人"). Then each paragraph is
split at sentence ends. Everything runs in time linear in the text, and no sentence is longer
than :data:`MAX_SENTENCE`, so a 100,000-character line without punctuation is cut into pieces
instead of reaching the encoder whole.

Telling a heading from a broken line, the rules that get the seed articles right:

* a line ending in sentence-final punctuation (optionally followed by closing quotes or
  brackets) is complete;
* a line ending in a comma, a colon, a dash or an opening bracket, or followed by a line that
  starts with punctuation, continues whatever it looks like;
* a heading is short and has no clause punctuation (，、；：, ", ; :") inside; a short line *with*
  clause punctuation ("最近，渝北区空港工业园区正") is prose broken early, unless two or more
  blank lines set it apart, as image captions are ("农业果树专家为村民传授技术，帮助村民就业");
* a Chinese line continues onto the next unless one of the two is a heading; an English line
  only when the next one starts in lower case or the line ends in a function word ("brand
  of"), because English paragraphs that end without a period ("(Finish)", a title) are more
  common than English lines broken mid-sentence.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

import regex

from align.types import Lang, Sentence

#: Sentences longer than this (in characters) are cut at a comma or space.
MAX_SENTENCE = 1000
#: A line up to this long may be a heading (characters).
HEADING_MAX: dict[Lang, int] = {"zh": 40, "en": 150}
#: This many blank lines around a short line mark it as a caption or heading.
ISOLATING_BLANKS = 2

_CLOSERS = "”’」』）)]》〉】〕\"'"
_OPENERS = "“‘「『（([《〈【〔\"'"
_FINAL = {"zh": "。！？；…!?;.", "en": ".!?…。！？"}
_CONTINUING = ",，、：:;—–-" + _OPENERS.replace('"', "").replace("'", "")
#: An English line ending in one of these is unfinished ("the employment brand of").
_EN_FUNCTION_WORDS = frozenset(
    {"a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "with", "by",
     "from", "as", "that", "which", "who", "whose", "is", "are", "was", "were", "be", "been",
     "has", "have", "had", "will", "would", "shall", "should", "can", "could", "may", "its",
     "their", "his", "her", "our", "this", "these", "those", "than", "into", "not"}
)  # fmt: skip
_CLAUSE = regex.compile(r"[，、；：,;:]")
_STARTS_WITH_PUNCT = regex.compile(r"[，。、；：！？…,.;:!?”’」』）)\]》]")

_ZH_END = regex.compile(
    r"[。！？!?；;]+[" + regex.escape(_CLOSERS) + r"]*"
    r"|…+[" + regex.escape(_CLOSERS) + r"]*"
)
_EN_END = regex.compile(r"[.!?…。！？]+[" + regex.escape(_CLOSERS) + r"]*")
_EN_OPENING = regex.compile(r"[\p{Lu}\p{N}“‘\"'(\[]")
_LONGEST_ABBREVIATION = 12  # characters looked at before a period; keeps the scan linear
_WORD_BEFORE = regex.compile(r"[\p{L}.]+$")
_INITIALS = regex.compile(r"(?:\p{L}\.)*\p{L}")
#: Words that end in a period without ending the sentence.
ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "mt", "jr", "sr", "gen", "gov", "rep", "sen", "rev",
     "hon", "capt", "col", "lt", "sgt", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
     "sept", "oct", "nov", "dec", "e.g", "i.e", "etc", "vs", "cf", "al", "approx", "dept", "est",
     "inc", "ltd", "co", "corp", "bros", "fig", "figs", "vol", "vols", "pp", "u.s", "u.k", "u.n",
     "a.m", "p.m"}
)  # fmt: skip
#: Abbreviations only when a number follows ("No. 5"), a sentence end otherwise ("said no.").
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "art", "p", "para", "ch", "sec"})


@dataclass(frozen=True)
class _Line:
    start: int  # offsets of the stripped line in the text
    end: int
    blanks_before: int
    blanks_after: int


@dataclass(frozen=True)
class _Paragraph:
    """Lines joined into one string, with where each piece sits in the original text."""

    text: str
    offsets: tuple[int, ...]  # position in ``text`` where each piece starts
    sources: tuple[int, ...]  # position in the original text of the same piece

    def to_source(self, pos: int) -> int:
        k = bisect.bisect_right(self.offsets, pos) - 1
        return self.sources[k] + (pos - self.offsets[k])


def split_sentences(text: str, lang: Lang) -> list[Sentence]:
    """Sentences of ``text`` with offsets into it; paragraphs numbered from 0."""
    sentences: list[Sentence] = []
    for number, paragraph in enumerate(_paragraphs(text, lang)):
        for start, end in _sentence_spans(paragraph.text, lang):
            sentences.append(
                Sentence(
                    text=paragraph.text[start:end],
                    start=paragraph.to_source(start),
                    end=paragraph.to_source(end - 1) + 1,
                    paragraph=number,
                )
            )
    return sentences


# --- paragraphs ---------------------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    spans: list[tuple[int, int]] = []
    blank_runs: list[int] = []
    blanks = ISOLATING_BLANKS  # the start of the text sets the first line apart
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped[0])
            spans.append((start, start + len(stripped)))
            blank_runs.append(blanks)
            blanks = 0
        else:
            blanks += 1
        pos += len(raw) + 1
    blank_runs.append(max(blanks, ISOLATING_BLANKS))  # so does the end
    return [
        _Line(start, end, blank_runs[i], blank_runs[i + 1]) for i, (start, end) in enumerate(spans)
    ]


def _paragraphs(text: str, lang: Lang) -> Iterator[_Paragraph]:
    lines = _lines(text)
    group: list[_Line] = []
    for i, line in enumerate(lines):
        group.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is None or not _continues(text, line, nxt, lang):
            yield _join(text, group, lang)
            group = []


def _continues(text: str, line: _Line, nxt: _Line, lang: Lang) -> bool:
    """Whether the sentence running at the end of ``line`` goes on in ``nxt``."""
    body = text[line.start : line.end]
    following = text[nxt.start : nxt.end]
    if _ends_sentence(body, lang):
        return False
    if body[-1] in _CONTINUING or _STARTS_WITH_PUNCT.match(following):
        return True
    if lang == "en":
        last_word = body.rsplit(None, 1)[-1].lower()
        return following[0].islower() or last_word in _EN_FUNCTION_WORDS
    return not (_is_heading(text, line, lang) or _is_heading(text, nxt, lang))


def _ends_sentence(line: str, lang: Lang) -> bool:
    core = line.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _FINAL[lang]


def _is_heading(text: str, line: _Line, lang: Lang) -> bool:
    body = text[line.start : line.end]
    if len(body) > HEADING_MAX[lang] or _ends_sentence(body, lang):
        return False
    isolated = max(line.blanks_before, line.blanks_after) >= ISOLATING_BLANKS
    return isolated or not _CLAUSE.search(body)


def _join(text: str, lines: list[_Line], lang: Lang) -> _Paragraph:
    parts: list[str] = []
    offsets: list[int] = []
    sources: list[int] = []
    length = 0
    for line in lines:
        body = text[line.start : line.end]
        if parts:
            sep = _separator(parts[-1], body, lang)
            parts.append(sep)
            length += len(sep)
        parts.append(body)
        offsets.append(length)
        sources.append(line.start)
        length += len(body)
    return _Paragraph("".join(parts), tuple(offsets), tuple(sources))


def _separator(before: str, after: str, lang: Lang) -> str:
    """Chinese joins without a space, English with one, except after a hyphen."""
    if lang == "en":
        return "" if before.endswith("-") else " "
    return " " if before[-1].isascii() and before[-1].isalnum() and after[0].isascii() else ""


# --- sentences within a paragraph -----------------------------------------------------------


def _sentence_spans(text: str, lang: Lang) -> Iterator[tuple[int, int]]:
    ends = _zh_ends(text) if lang == "zh" else _en_ends(text)
    start = 0
    for end in (*ends, len(text)):
        yield from _bounded(text, start, end, lang)
        start = end


def _zh_ends(text: str) -> Iterator[int]:
    for m in _ZH_END.finditer(text):
        yield m.end()


def _en_ends(text: str) -> Iterator[int]:
    for m in _EN_END.finditer(text):
        after = m.end()
        nxt = after
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if nxt == len(text):
            continue
        if nxt > after:
            if not _EN_OPENING.match(text, nxt) or _is_abbreviation(text, m.start(), text[nxt]):
                continue
        elif not _is_run_on(text, m.start(), nxt):
            continue
        yield after


def _is_abbreviation(text: str, dot: int, following: str) -> bool:
    if text[dot] != "." or text[dot + 1 : dot + 2] == ".":
        return False
    word = _WORD_BEFORE.search(text, max(0, dot - _LONGEST_ABBREVIATION), dot)
    if word is None:
        return False
    token = word.group().lstrip(".")
    if token.lower() in ABBREVIATIONS:
        return True
    if token.lower() in NUMBER_ABBREVIATIONS:
        return following.isdigit()
    # "J. Smith", "U.S.": an initial is one capital, or letters with periods between them.
    return bool(_INITIALS.fullmatch(token)) and (token.isupper() or "." in token)


def _is_run_on(text: str, dot: int, nxt: int) -> bool:
    """``held.The``, ``insurance.A total``, ``Festival.2021``: sentences glued together.

    Badly extracted text drops the space after a period. A capital followed by a lower-case
    letter (or the words "A" and "I") starts a sentence; so does a number after a word, which
    no decimal ("3.5") or abbreviation ("U.S.") produces.
    """
    before = text[dot - 1] if dot else ""
    first, second = text[nxt], text[nxt + 1 : nxt + 2]
    if text[dot] not in ".!?" or not (before.islower() or before.isdigit() or before in '%”’")'):
        return False
    if first.isupper():
        return second.islower() or (first in "AI" and second == " ")
    return first.isdigit() and before.islower() and not _is_abbreviation(text, dot, first)


def _bounded(text: str, start: int, end: int, lang: Lang) -> Iterator[tuple[int, int]]:
    """Strip a span and cut it into pieces of at most MAX_SENTENCE characters."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = _cut_point(text, start, start + MAX_SENTENCE, lang)
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        yield start, piece_end
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _cut_point(text: str, start: int, limit: int, lang: Lang) -> int:
    """The last clause boundary before ``limit``, else the last space, else ``limit``."""
    floor = start + MAX_SENTENCE // 2
    for marks in (("，", "、", "；", "：", ",", ";", ":"), (" ", "\t")):
        best = max(text.rfind(mark, floor, limit) for mark in marks)
        if best >= floor:
            return best + 1
    return limit
