"""English words folded by inflection only: one key per lemma, derivations kept apart.

Two spans are one rendering when they differ only in number, tense or aspect ("college
graduate" / "college graduates", "stabilize jobs" / "stabilized jobs"), never when they differ
by derivation: "stable employment" and "stabilizing employment" are two renderings a
translator chooses between. The dictionary stems (``dictionary.settled``) fold both, which is
what glosses need ("stabilized" must meet the gloss "stable"), not what grouping needs.
"""

from __future__ import annotations

from functools import cache

import regex

from glossary.extraction.dictionary import content_words

_NUMBER = regex.compile(r"\d+(?:[.,]\d+)*")

_VOWELS = "aeiouy"
_UNDOUBLED = _VOWELS + "lsz"  # finals a lemma often ends doubled in (fill, pass, buzz)
_SIBILANT_PLURAL = ("sses", "shes", "ches", "xes", "zes")
_NOT_PLURAL = ("ss", "us", "is")


def inflection_key(text: str) -> tuple[str, ...]:
    """The content words of ``text`` (``dictionary.content_words``: no articles or
    prepositions, hyphenated words in parts), each folded to its inflection base, then the
    numbers it names, which the words leave out: "14th" and "15th" plans are two."""
    words = map(inflection_base, content_words(text.replace("’", "'")))
    return (*words, *_NUMBER.findall(text))


@cache
def inflection_base(word: str) -> str:
    """``word`` without a possessive, plural, -ed or -ing ending, and without a final e,
    so that every inflected form of a regular lemma meets the same base: "stabilize",
    "stabilizes", "stabilized", "stabilizing" → "stabiliz"; "stable" → "stabl"; "city's",
    "cities" → "city". A guess, not a lemmatiser: it only has to be the same guess for the
    forms of one lemma and differ for derived words."""
    word = word.removesuffix("'s").removesuffix("'")
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(_SIBILANT_PLURAL):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL):
        word = word[:-1]
    if len(word) > 4 and word.endswith("ied"):
        word = word[:-3] + "y"
        return word
    for ending in ("ing", "ed"):
        base = word.removesuffix(ending)
        if base != word and len(base) >= 3 and _has_vowel(base):
            return base[:-1] if _doubled(base) else base
    return word.removesuffix("e") if len(word) > 3 else word


def _has_vowel(stem: str) -> bool:
    return any(c in _VOWELS for c in stem)


def _doubled(stem: str) -> bool:
    """A final consonant doubled before the ending ("stopped", "planning"), not a double
    that belongs to the lemma ("passed", "filled" keep theirs)."""
    return len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in _UNDOUBLED
