"""The other forms of a query a forgiving search tries: script, spelling, number, one typo.

Pure functions, no database. A translator types 穩崗 (traditional), "stabilise jobs"
(British), "stabilized job" (singular) or "stabilze jobs" (a typo) and expects 稳岗; the
lookup tries these forms only when the query as typed finds nothing, so a variant that
is not a word ("promize") costs an index probe and never outranks a real match.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import regex

from align.scripts import to_simplified, to_traditional

MAX_VARIANTS = 8
"""Forms tried per tier; each costs a few index ranges."""

_WORD = regex.compile(r"[a-z]+")
# (pattern, replacement) pairs, each rule in both directions; \1 keeps the ending.
_SPELLING_RULES: tuple[tuple[str, str], ...] = (
    (r"(?<=[a-z]{2})is(e|ed|es|ing|er|ers|ation|ations)$", r"iz\1"),
    (r"(?<=[a-z]{2})iz(e|ed|es|ing|er|ers|ation|ations)$", r"is\1"),
    (r"ys(e|ed|es|ing)$", r"yz\1"),
    (r"yz(e|ed|es|ing)$", r"ys\1"),
    (r"(?<=[a-z]{2})our(s|ed|ing|er|ers|able|ite|ites)?$", r"or\1"),
    (r"(?<=[a-z]{2}[^aeiou])or(s|ed|ing|able)?$", r"our\1"),
    (r"(?<=[a-z]{2})tre(s|d)?$", r"ter\1"),
    (r"(?<=[a-z]{2})ter(s)?$", r"tre\1"),
    (r"(?<=[a-z]{2})ogue(s)?$", r"og\1"),
    (r"(?<=[a-z]{2})og(s)?$", r"ogue\1"),
    (r"(?<=[cf])ence$", r"ense"),
    (r"(?<=[cf])ense$", r"ence"),
    (r"(?<=[aeiou])ll(ed|ing|er|ers)$", r"l\1"),
    (r"(?<=[aeiou][^aeioul])l(ed|ing|er|ers)$", r"ll\1"),
    (r"(?<=[a-z])mme(s)?$", r"m\1"),
    (r"(?<=gra)m(s)?$", r"mme\1"),
    (r"(?<=[aeiou]l)ment$", r"lment"),
    (r"(?<=[aeiou]l)lment$", r"ment"),
)
_COMPILED = tuple((regex.compile(p), r) for p, r in _SPELLING_RULES)


def script_forms(query: str) -> list[str]:
    """The query in the other Chinese script(s), if converting changes it."""
    forms = [to_simplified(query), to_traditional(query)]
    return _unique(f for f in forms if f != query)


def spelling_forms(query: str) -> list[str]:
    """British ↔ American spellings (stabilise ↔ stabilize, labour ↔ labor, centre ↔ center).

    Each word gets its alternatives from the rules; forms changing fewer words come first.
    """
    lowered = query.lower()
    words = list(_WORD.finditer(lowered))
    changes = [[(w.start(), w.end(), alt) for alt in _spellings(w.group())] for w in words]
    singles = [_replace(lowered, [c]) for options in changes for c in options]
    every = _replace(lowered, [options[0] for options in changes if options])
    return _unique(f for f in [*singles, every] if f != lowered)[:MAX_VARIANTS]


def plural_forms(query: str) -> list[str]:
    """The query with one word in the other number (worker ↔ workers, policy ↔ policies)."""
    lowered = query.lower()
    forms = [
        _replace(lowered, [(w.start(), w.end(), other)])
        for w in reversed(list(_WORD.finditer(lowered)))  # the head noun is usually last
        for other in _numbers(w.group())
    ]
    return _unique(f for f in forms if f != lowered)[:MAX_VARIANTS]


def near_prefix(query: str, text: str, *, chinese: bool) -> bool:
    """Whether one edit turns ``query`` into a prefix of ``text`` at some start.

    Starts are word starts for English (as the substring tier searches) and every
    character for Chinese. An edit is an insertion, deletion, substitution or swap of
    two neighbours (Damerau), so "stabilze" and "stablize" both reach "stabilize".
    """
    starts = range(len(text)) if chinese else _word_starts(text)
    n = len(query)
    for start in starts:
        rest = text[start:]
        if any(_one_edit(query, rest[:k]) for k in (n - 1, n, n + 1) if 0 < k <= len(rest)):
            return True
    return False


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by exactly one Damerau edit (O(len), no distance matrix)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def _spellings(word: str) -> list[str]:
    return _unique(
        pattern.sub(replacement, word) for pattern, replacement in _COMPILED if pattern.search(word)
    )


def _numbers(word: str) -> list[str]:
    """The other number of an English word, by the regular rules."""
    if len(word) < 3 or word.endswith(("ed", "ing", "ly")):
        return []
    if word.endswith("ies") and len(word) > 4:
        return [word[:-3] + "y"]
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return [word[:-2]]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return [word[:-1]]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return [word + "es"]
    return [word + "s"]


def _replace(text: str, changes: Iterable[tuple[int, int, str]]) -> str:
    out, at = [], 0
    for start, end, new in sorted(changes):
        out += [text[at:start], new]
        at = end
    return "".join([*out, text[at:]])


def _word_starts(text: str) -> Iterator[int]:
    for i, char in enumerate(text):
        if char.isalnum() and (i == 0 or not text[i - 1].isalnum()):
            yield i


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
