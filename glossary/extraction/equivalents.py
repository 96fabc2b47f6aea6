"""English-side spans and the evidence that one of them renders a Chinese term.

A comparable corpus gives no word alignment to read equivalents off, so each English
n-gram near an occurrence of the term is scored by several weak signals that fail in
different ways: the multilingual embedding of term and span, a dictionary gloss overlap,
quotes on both sides, capitalisation, agreement of numbers, and how often the span turns
up near the term's occurrences and in how many documents. The similarity of the sentence
pairs and the Dice of term and span over sentence neighbourhoods were weighed too and
dropped: refitted without them the seed bench ranks every term as before
(``bench/seed_bench.py``; Dice's weight was 0.15, the similarity's -1.7, a sign that it only
echoed the embedding).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from align.numbers import extract_quantities
from glossary.extraction.scoring import Weights, fit_logistic, logistic

_TOKEN = regex.compile(
    r"\d+(?:[.,]\d+)*(?:%|[A-Za-z]+)?|[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*"
)
_OPEN_QUOTES = "\"“‘'"
_CLOSE_QUOTES = "\"”’'"
_EDGE_STOP = frozenset(
    "a an the of to in on at for by with and or as is are was were be been will "  # noqa: SIM905
    "would shall should can could may must has have had this that these those it its "
    "their our we they he she which who whom whose from into than then also more "
    "most such so not no all each every other both up down out over per about after "
    "before while during through within under between among against towards via "
    "including such".split()
)
_MAX_WORDS = 6
_POSSESSIVE = ("'s", "’s")
_MAX_QUOTED_WORDS = 8
_HAN_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九十")} | {"两": 2}


@dataclass(frozen=True)
class EnglishSpan:
    """A run of English words inside one sentence, ``text == sentence[start:end]``."""

    text: str
    start: int
    end: int
    quoted: bool
    capitalised: bool
    key: str  # span_key(text): what equivalents are counted under


def span_key(text: str) -> str:
    """Case-folded, single-spaced, curly quotes straightened: how equivalents are compared."""
    return " ".join(text.replace("’", "'").lower().split())


def _is_capitalised(words: Sequence[str]) -> bool:
    content = [w for w in words if w.lower() not in _EDGE_STOP]
    return len(content) >= 2 and all(w[0].isupper() or w[0].isdigit() for w in content)


def english_spans(sentence: str) -> tuple[EnglishSpan, ...]:
    """Candidate renderings in an English sentence.

    Every run of 1-6 words that does not cross punctuation and neither starts nor ends
    with a function word, plus every quoted phrase whole (up to 8 words, articles
    included: a quoted "a lifetime of poverty" is a name, not a phrase to trim).
    """
    tokens = list(_TOKEN.finditer(sentence))
    spans: dict[tuple[int, int], EnglishSpan] = {}
    chunk_start = 0
    for i in range(len(tokens) + 1):
        boundary = i == len(tokens) or (
            i > 0 and sentence[tokens[i - 1].end() : tokens[i].start()].strip() != ""
        )
        if not boundary:
            continue
        chunk = tokens[chunk_start:i]
        _add_chunk_spans(sentence, chunk, spans)
        chunk_start = i
    return tuple(spans[k] for k in sorted(spans))


def _add_chunk_spans(
    sentence: str,
    chunk: Sequence[regex.Match[str]],
    spans: dict[tuple[int, int], EnglishSpan],
) -> None:
    if not chunk:
        return
    first, last = chunk[0].start(), chunk[-1].end()
    quoted = (
        first > 0
        and sentence[first - 1] in _OPEN_QUOTES
        and last < len(sentence)
        and sentence[last] in _CLOSE_QUOTES
    )
    words = [m.group(0) for m in chunk]
    if quoted and len(chunk) <= _MAX_QUOTED_WORDS:
        text = sentence[first:last]
        spans[(first, last)] = EnglishSpan(
            text, first, last, True, _is_capitalised(words), span_key(text)
        )
    for i in range(len(chunk)):
        if words[i].lower() in _EDGE_STOP:
            continue
        for n in range(1, _MAX_WORDS + 1):
            j = i + n
            if j > len(chunk):
                break
            if words[j - 1].lower() in _EDGE_STOP:
                continue
            start, end = chunk[i].start(), chunk[j - 1].end()
            if words[j - 1].lower().endswith(_POSSESSIVE):
                end -= 2  # "the city's": the span is the owner, "city", not a determiner
            if (start, end) not in spans:
                text = sentence[start:end]
                spans[(start, end)] = EnglishSpan(
                    text, start, end, False, _is_capitalised(words[i:j]), span_key(text)
                )


def dictionary_match(units: Sequence[frozenset[str]], stems: Sequence[str]) -> float:
    """How well dictionary glosses of the term's units and the span's words cover each other.

    The F1 of two coverages: the share of the term's units glossed by some span word, and
    the share of span words (``stems``, see ``content_stems``) that gloss some unit.
    0 when the dictionary knows nothing.
    """
    if not units or not stems or not any(units):
        return 0.0
    vocabulary = frozenset().union(*units)
    unit_cover = sum(1 for unit in units if not unit.isdisjoint(stems)) / len(units)
    word_cover = sum(1 for s in stems if s in vocabulary) / len(stems)
    if unit_cover == 0 or word_cover == 0:
        return 0.0
    return 2 * unit_cover * word_cover / (unit_cover + word_cover)


def matched_dictionary(
    units: Sequence[frozenset[str]],
    stems: Sequence[str],
    phrases: Sequence[Sequence[frozenset[str]]] | None = None,
) -> float:
    """``dictionary_match`` where a word said twice explains only as much as its units do.

    A span word counts as glossed as many times as there are units it glosses: both
    "Chongqing"s of "Chongqing Create Chongqing New" gloss one 渝 each, but the second
    "insurance" of "insurance and unemployment insurance" glosses nothing of 失业保险 that the
    first did not. A unit may still take several words ("hidden dangers" for 隐患).

    Given each unit's defining ``phrases`` (``dictionary.gloss_phrases``, settled as
    ``stems``), a unit counts as covered by the share of its best phrase the span says, not
    wholly by any one of its words: "person in charge" covers 残疾人 ("disabled person") by
    half, as "disabled" does, where the bare unit counted it covered by "person" alone.
    """
    if not units or not stems or not any(units):
        return 0.0
    vocabulary = frozenset().union(*units)
    if phrases is None:
        covered = sum(1.0 for unit in units if not unit.isdisjoint(stems))
    else:
        said = frozenset(stems)
        covered = sum(max((len(p & said) / len(p) for p in unit), default=0.0) for unit in phrases)
    unit_cover = covered / len(units)
    glossed = sum(
        min(count, sum(1 for unit in units if word in unit))
        for word, count in Counter(stems).items()
        if word in vocabulary
    )
    word_cover = glossed / len(stems)
    if unit_cover == 0 or word_cover == 0:
        return 0.0
    return 2 * unit_cover * word_cover / (unit_cover + word_cover)


def term_numbers(term: str) -> frozenset[float]:
    """Numbers a Chinese term names: 8个扩大 → {8}, 十四五 → {14, 5}, 六稳 → {6}; 一生一困 → {}."""
    values = {q.value for q in extract_quantities(term, "zh")}
    leading = _HAN_NUMERALS.get(term[:1])
    # a lone leading numeral (六稳) is a count; 一 in 一X一Y means "each", not one
    if not values and leading is not None and leading >= 2:
        values.add(float(leading))
    return frozenset(values)


def number_agreement(numbers: frozenset[float], span: str) -> float:
    """+1 when the span names one of the term's numbers, -1 when it names others only."""
    if not numbers:
        return 0.0
    found = {q.value for q in extract_quantities(span, "en")}
    if not found:
        return 0.0
    return 1.0 if found & numbers else -1.0


def dice(joint: int, term_count: int, span_count: int) -> float:
    """Dice coefficient of term presence and span presence; 0 when either never occurs."""
    total = term_count + span_count
    return 2.0 * joint / total if total else 0.0


@dataclass(frozen=True)
class Evidence:
    """Every signal about one (term, English span) pair, pooled over its examples."""

    embedding: float  # cosine of term and span vectors
    dictionary: float  # dictionary_match, in [0, 1]
    quote: bool  # term quoted in Chinese and span quoted in English
    capitalised: bool
    numbers: float  # number_agreement, in [-1, 1]
    support: float  # share of the term's occurrences near which the span turns up
    documents: int  # distinct English documents among the examples
    words: int  # content words in the span


FEATURES = (
    "bias", "embedding", "dictionary", "quote", "capitalised", "numbers",
    "support", "documents", "single_word", "length",
)  # fmt: skip


def features(evidence: Evidence) -> tuple[float, ...]:
    """The evidence as the numbers ``confidence`` weighs, in the order of ``FEATURES``."""
    return (
        1.0,
        evidence.embedding,
        evidence.dictionary,
        float(evidence.quote),
        float(evidence.capitalised),
        evidence.numbers,
        evidence.support,
        math.log2(1 + evidence.documents),
        float(evidence.words <= 1),
        min(evidence.words, 6) / 6,
    )


# Fitted by ``fit_weights`` on the spans of the seed reference list
# (``bench/seed_bench.py --fit``); the bench reports k-fold figures over terms, where no
# term is scored with weights fitted on it, and figures on a held-out list never fitted on.
WEIGHTS: Weights = (
    -12.283,
    11.902,
    3.853,
    2.537,
    0.328,
    1.729,
    2.925,
    1.187,
    -3.363,
    0.181,
)


def confidence(evidence: Evidence, weights: Weights = WEIGHTS) -> float:
    """A logistic combination of the signals, in [0, 1].

    A score to rank and cut by, not a probability: the fit balances the classes, and the seed
    list's spans hold 36 right ones among 4,063, so balancing lifts every log-odds by about
    ln(4027 / 36) = 4.72 and a term's best few spans all read above 0.9. Which of them comes
    first is decided by the weighted sum, where saturation does not reach.
    """
    return logistic(weights, features(evidence))


def fit_weights(rows: Sequence[tuple[Evidence, bool]]) -> Weights:
    """Weights fitted on spans labelled right or wrong (see ``scoring.fit_logistic``)."""
    return fit_logistic([(features(e), label) for e, label in rows])
