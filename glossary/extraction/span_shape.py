"""What the written form of an English rendering says about where it should start and end.

The word aligner decides which English words a term covers, and it errs at the edges: it
stops inside a name ("Royal Society" of "Royal Society of Chemistry"), takes in a
verb beside one ("Hang Seng Index plunged"), or reads a heading in capitals. Capitalisation
shows those edges in English text, so each sighting's surface is described by a few yes/no
signals; the scorer learns how much each matters.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from glossary.extraction.bitext import Token
from glossary.extraction.sightings import EN_FUNCTION

_CONNECTORS = frozenset(("of", "for", "and", "on", "in"))  # inside names: "Bank of China"
_LETTERS = regex.compile(r"\p{L}")
_UPPER = regex.compile(r"\p{Lu}")
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def is_acronym(surface: str) -> bool:
    """One word, at least two capitals, capitals at least half its letters (NGOs, WHO)."""
    if len(surface.split()) != 1:
        return False
    letters = len(_LETTERS.findall(surface))
    upper = len(_UPPER.findall(surface))
    return upper >= 2 and 2 * upper >= letters


def spells_out(phrase: str, acronym: str) -> bool:
    """Whether ``phrase`` is a spelled-out form of ``acronym``: two words or more, and the
    acronym's letters (a plural "s" dropped) are, in order, initials of its words, the first
    letter the first word's (after Schwartz and Hearst 2003; a word may go unused, as "and"
    does when "UNESCO" is spelled out, and a hyphen parts words: "NGOs" spells
    "non-governmental organisations")."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if letters[-1:] == ["s"] and acronym[-1:] == "s":
        letters.pop()
    initials = [w[0].lower() for w in _WORD.findall(phrase)]
    if len(initials) < 2 or len(letters) < 2 or initials[0] != letters[0]:
        return False
    remaining = iter(initials)
    return all(letter in remaining for letter in letters)


def is_shouted(surface: str) -> bool:
    """Two or more words, every letter a capital: a heading, not how a term is written."""
    words = [w for w in surface.split() if _LETTERS.search(w)]
    return len(words) >= 2 and not any(c.islower() for c in surface)


def _capitalised(text: str, token: Token) -> bool:
    return text[token.start : token.start + 1].isupper()


def breaks_case(surface: str) -> bool:
    """A capitalised word inside, a lower-case content word at an edge ("Hang Seng Index
    plunged", "conduct a PoC"): the phrase runs out of a name into the sentence."""
    words = surface.split()
    if len(words) < 2 or not any(_UPPER.search(w) for w in words):
        return False
    return any(w[:1].islower() and w.lower() not in EN_FUNCTION for w in (words[0], words[-1]))


def _joined(tokens: Sequence[Token], i: int, j: int) -> bool:
    """Tokens i < j stand in one sentence with only a space or a hyphen between."""
    return tokens[i].sentence == tokens[j].sentence and tokens[j].start - tokens[i].end <= 1


def _name_word(tokens: Sequence[Token], i: int, text: str) -> bool:
    return tokens[i].form not in EN_FUNCTION and _capitalised(text, tokens[i])


def _name_goes_on(tokens: Sequence[Token], edge: int, step: int, text: str) -> bool:
    """Whether a name word continues a name past ``edge`` in direction ``step``, directly or
    across one connector ("Society" | "of" | "Chemistry")."""
    return _name_step(tokens, edge, step, text) > 0


def _name_step(tokens: Sequence[Token], edge: int, step: int, text: str) -> int:
    """How many tokens past ``edge`` (in direction ``step``) the name goes on by its next
    name word: 1 directly, 2 across a connector, 0 when it stops at ``edge``."""
    near = edge + step
    if not (0 <= near < len(tokens)) or not _joined(tokens, min(edge, near), max(edge, near)):
        return 0
    if _name_word(tokens, near, text):
        return 1
    far = near + step
    across = (
        tokens[near].form in _CONNECTORS
        and 0 <= far < len(tokens)
        and _joined(tokens, min(near, far), max(near, far))
        and _name_word(tokens, far, text)
    )
    return 2 if across else 0


def whole_name(tokens: Sequence[Token], a: int, b: int, text: str) -> tuple[int, int]:
    """Tokens [a, b) grown at each capitalised edge to the end of the name it stops inside
    ("Royal Society" → "Royal Society of Chemistry"): the word aligner often links only part
    of a long name, and capitals show the rest. The same range when no edge cuts a name.
    ``text`` is the sentence the range stands in."""
    if _capitalised(text, tokens[a]):
        while (step := _name_step(tokens, a, -1, text)) > 0:
            a -= step
    if _capitalised(text, tokens[b - 1]):
        while (step := _name_step(tokens, b - 1, 1, text)) > 0:
            b += step
    return a, b


def cuts_name(tokens: Sequence[Token], a: int, b: int, text: str) -> bool:
    """Whether tokens [a, b) stop inside a capitalised name: a capitalised edge word has a
    capitalised neighbour, directly or across a connector ("Royal Society" | "of
    Chemistry"). ``text`` is the sentence the range stands in."""
    return (_capitalised(text, tokens[a]) and _name_goes_on(tokens, a, -1, text)) or (
        _capitalised(text, tokens[b - 1]) and _name_goes_on(tokens, b - 1, 1, text)
    )
