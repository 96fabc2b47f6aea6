"""Corpus statistics of English phrases: how often they occur, and whether they stand alone.

Dice needs the number of sentence pairs an English phrase occurs in. A phrase the aligner cut
short ("Kong Stock Connect", "Domestic Product") shows itself by its neighbours: nearly every
time it occurs, the same content word stands beside it. ``fragment`` is that share, the
phrase-level counterpart of C-value's discount for strings nested in a longer one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from glossary.extraction.bitext import SentencePair, Token
from glossary.extraction.sightings import EN_FUNCTION


def adjacent(tokens: Sequence[Token], i: int) -> bool:
    """Whether token ``i`` and the next stand in one sentence with only a space or a hyphen
    between them (no comma, bracket or full stop)."""
    a, b = tokens[i], tokens[i + 1]
    return a.sentence == b.sentence and b.start - a.end <= 1


@dataclass(frozen=True)
class PhraseStats:
    """For each phrase asked about: sentence pairs it occurs in (how many, and which), and
    its fragment share."""

    pairs: Mapping[str, int]
    fragment: Mapping[str, float]
    where: Mapping[str, frozenset[int]]


def english_statistics(wanted: Iterable[str], pairs: Sequence[SentencePair]) -> PhraseStats:
    """Counts for the ``wanted`` phrases (lower-case words joined by spaces) over ``pairs``."""
    wanted = set(wanted)
    lengths = sorted({len(k.split()) for k in wanted})
    in_pairs: Counter[str] = Counter()
    where: dict[str, set[int]] = defaultdict(set)
    occurrences: Counter[str] = Counter()
    beside: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for number, pair in enumerate(pairs):
        tokens = pair.en
        words = [t.form for t in tokens]
        present = set()
        for n in lengths:
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i : i + n])
                if phrase not in wanted:
                    continue
                present.add(phrase)
                occurrences[phrase] += 1
                if i > 0 and words[i - 1] not in EN_FUNCTION and adjacent(tokens, i - 1):
                    beside[phrase][("left", words[i - 1])] += 1
                if (
                    i + n < len(words)
                    and words[i + n] not in EN_FUNCTION
                    and adjacent(tokens, i + n - 1)
                ):
                    beside[phrase][("right", words[i + n])] += 1
        in_pairs.update(present)
        for phrase in present:
            where[phrase].add(number)
    fragment = {
        phrase: max(beside[phrase].values(), default=0) / count
        for phrase, count in occurrences.items()
    }
    return PhraseStats(
        pairs=dict(in_pairs),
        fragment=fragment,
        where={phrase: frozenset(found) for phrase, found in where.items()},
    )
