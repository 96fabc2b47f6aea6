"""Terms from a parallel corpus: word alignment, consistent phrase pairs, association.

When the aligned pairs are translations, the English of a Chinese term is read off the word
alignment rather than guessed span by span. For every occurrence of a candidate (any run of
jieba words shaped like a term, found in both scripts under its simplified form) the tight
consistent English phrase is its rendering there; a candidate is an entry when renderings
agree across occurrences. Each rendering is scored by how consistently the term aligns to it
(both directions), by Dice over the sentence pairs, by the dictionary, and by frequency: a
Chinese n-gram that keeps aligning to one English phrase is a term candidate even when
jieba's general-language IDF finds its words ordinary (translation-side evidence).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import regex

from align.types import Alignment, Document
from glossary.extraction.bitext import SentencePair, Token, sentence_pairs
from glossary.extraction.dictionary import content_stems, term_glosses
from glossary.extraction.equivalents import dice, dictionary_match
from glossary.extraction.phrases import LinkIndex, tight_phrase
from glossary.extraction.scoring import Weights, logistic
from glossary.extraction.word_alignment import Link, align_words
from glossary.types import Equivalent, Example, Span, TermEntry

_MAX_ZH_WORDS = 6
_MAX_ZH_CHARS = 16
_MAX_EN_WORDS = 8
_MIN_OCCURRENCES = 2
_MAX_EXAMPLES = 10
# Function words no Chinese term starts or ends with; which content words make a term is for
# the alignment evidence to say, not for a part-of-speech table.
_ZH_EDGE_STOP = frozenset(
    "的 了 和 与 及 或 在 是 将 对 为 把 被 从 由 以 向 等 也 都 又 更 还 而 并 这 那 其 之 "  # noqa: SIM905
    "各 每 该 我 我们 他们 有 个 就 才 已 已经 于 则 但 如 若 所 着 过 中 上 下 后 前 "
    "时 年 月 日 亦 会 能 可 可以 要".split()
)
_WORDLIKE = regex.compile(r"^(?:\p{Han}+|[A-Za-z][A-Za-z0-9]*|\d+)$")
_BREAK = regex.compile(r"[()（）\[\],;:，；：]")
_EN_EDGE_STOP = frozenset(
    "a an the of to in on at for by with and or as is are was were be been its their "  # noqa: SIM905
    "this that these those which who from into than also such per".split()
)

FEATURES = (
    "bias", "consistency", "reverse", "dice", "dictionary", "frequency", "single_word",
    "length", "capitalised",
)  # fmt: skip

# Fitted by ``fit_logistic`` on the HKMA dev years (``bench/glossary_bench.py --fit``); the
# bench reports leave-one-year-out folds, each year scored with weights fitted on the others.
WEIGHTS: Weights = (-6.0, 4.0, 2.0, 3.0, 1.5, 0.3, -0.5, 0.0, 0.5)


@dataclass(frozen=True)
class Rendering:
    """One English phrase a candidate aligned to, with the signals about the pair."""

    en: str  # the phrase as most often written
    key: str  # lower-cased words: what renderings are counted under
    values: tuple[float, ...]  # the features, in the order of ``FEATURES``
    sightings: tuple[tuple[int, int, int, int, int], ...]  # (pair, zh a, zh b, en a, en b)


@dataclass(frozen=True)
class AlignedTerm:
    """A Chinese token run seen at least twice, keyed by its simplified form."""

    key: str  # simplified
    zh: str  # the form most often written
    occurrences: int
    renderings: tuple[Rendering, ...]


@dataclass(frozen=True)
class ParallelCorpus:
    """The translation pairs of a corpus, word-aligned, with every term's renderings."""

    pairs: tuple[SentencePair, ...]
    texts: Mapping[tuple[str, int, int], str]
    terms: tuple[AlignedTerm, ...]


def prepare_parallel(
    alignments: Sequence[tuple[Alignment, int, int]],
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
) -> ParallelCorpus:
    """Word-align the beads of ``(alignment, zh index, en index)`` and gather renderings."""
    pairs = sentence_pairs(alignments)
    texts = {
        (side, d, i): s.text
        for side, docs in (("zh", zh_docs), ("en", en_docs))
        for d, doc in enumerate(docs)
        for i, s in enumerate(doc.sentences)
    }
    terms = parallel_candidates(pairs, align_words(pairs), texts)
    return ParallelCorpus(pairs, texts, terms)


def parallel_candidates(
    pairs: Sequence[SentencePair],
    links: Sequence[frozenset[Link]],
    texts: Mapping[tuple[str, int, int], str],
) -> tuple[AlignedTerm, ...]:
    """Every term-shaped Chinese run seen ``_MIN_OCCURRENCES`` times, with its renderings.

    ``texts`` maps ("zh" or "en", document, sentence) to the sentence text as written.
    """
    indices = [
        LinkIndex.of(found, len(p.zh), len(p.en)) for p, found in zip(pairs, links, strict=True)
    ]
    seen: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for number, pair in enumerate(pairs):
        for start in range(len(pair.zh)):
            for end in range(start + 1, min(start + _MAX_ZH_WORDS, len(pair.zh)) + 1):
                run = pair.zh[start:end]
                if (
                    run[-1].sentence != run[0].sentence
                    or run[-1].end - run[0].start > _MAX_ZH_CHARS
                ):
                    break
                if _contiguous(run) and _term_shaped([t.form for t in run]):
                    seen["".join(t.form for t in run)].append((number, start, end))
    corpus = "\n".join("".join(t.form for t in p.zh) for p in pairs)
    keep = {key: found for key, found in seen.items() if _count(corpus, key) >= _MIN_OCCURRENCES}
    en_pairs = _english_pairs(pairs)
    zh_pairs = {key: {n for n, _, _ in found} for key, found in keep.items()}
    aligned_total: Counter[str] = Counter()
    per_candidate: dict[str, dict[str, list[tuple[int, int, int, int, int]]]] = {}
    for key, found in keep.items():
        renderings: dict[str, list[tuple[int, int, int, int, int]]] = defaultdict(list)
        for number, start, end in found:
            phrase = tight_phrase(indices[number], start, end)
            if phrase is None:
                continue
            a, b = _trim(pairs[number].en, *phrase)
            run = pairs[number].en[a:b]
            if (
                a < b
                and b - a <= _MAX_EN_WORDS
                and _one_sentence(run)
                and not _BREAK.search(_surface(texts, "en", pairs[number].en_doc, run))
            ):
                renderings[_key(pairs[number].en[a:b])].append((number, start, end, a, b))
        if renderings:
            per_candidate[key] = renderings
            for en_key, sightings in renderings.items():
                aligned_total[en_key] += len(sightings)
    counts = _phrase_pairs_count({en for r in per_candidate.values() for en in r}, en_pairs)
    out = []
    for key, renderings in per_candidate.items():
        found = keep[key]
        zh_surface = Counter(
            _surface(texts, "zh", pairs[n].zh_doc, pairs[n].zh[a:b]) for n, a, b in found
        )
        out.append(
            AlignedTerm(
                key=key,
                zh=zh_surface.most_common(1)[0][0],
                occurrences=len(found),
                renderings=tuple(
                    _rendering(
                        key,
                        en_key,
                        sightings,
                        len(found),
                        zh_pairs[key],
                        counts[en_key],
                        aligned_total[en_key],
                        pairs,
                        texts,
                    )
                    for en_key, sightings in sorted(renderings.items())
                ),
            )
        )
    return tuple(sorted(out, key=lambda c: c.key))


def _term_shaped(words: Sequence[str]) -> bool:
    """Han, Latin or number words, not a bare number, no function word at either edge."""
    return (
        all(_WORDLIKE.match(w) for w in words)
        and not (len(words) == 1 and (words[0].isdigit() or len(words[0]) < 2))
        and words[0] not in _ZH_EDGE_STOP
        and words[-1] not in _ZH_EDGE_STOP
        and not words[-1].isdigit()
    )


def _count(corpus: str, key: str) -> int:
    """Occurrences of ``key`` in the text, wherever jieba cut it (资本充足 inside 资本充足率)."""
    return corpus.count(key)


def _contiguous(run: Sequence[Token]) -> bool:
    """No punctuation between the words: each starts where the previous ended."""
    return all(a.end == b.start for a, b in itertools.pairwise(run))


def _one_sentence(run: Sequence[Token]) -> bool:
    return run[0].sentence == run[-1].sentence


def _trim(tokens: Sequence[Token], a: int, b: int) -> tuple[int, int]:
    """The range without function words at its edges ("the Exchange Fund" → Exchange Fund)."""
    while a < b and tokens[a].form in _EN_EDGE_STOP:
        a += 1
    while b > a and tokens[b - 1].form in _EN_EDGE_STOP:
        b -= 1
    return a, b


def _key(run: Sequence[Token]) -> str:
    return " ".join(t.form for t in run)


def _surface(
    texts: Mapping[tuple[str, int, int], str], side: str, doc: int, run: Sequence[Token]
) -> str:
    text = texts[(side, doc, run[0].sentence)]
    return text[run[0].start : run[-1].end]


def _english_pairs(pairs: Sequence[SentencePair]) -> list[tuple[str, ...]]:
    return [tuple(t.form for t in p.en) for p in pairs]


def _phrase_pairs_count(wanted: set[str], en_pairs: Sequence[tuple[str, ...]]) -> Counter[str]:
    """In how many sentence pairs each wanted phrase occurs on the English side."""
    lengths = sorted({len(k.split()) for k in wanted})
    counts: Counter[str] = Counter()
    for words in en_pairs:
        present = set()
        for n in lengths:
            for i in range(len(words) - n + 1):
                phrase = " ".join(words[i : i + n])
                if phrase in wanted:
                    present.add(phrase)
        counts.update(present)
    return counts


def _rendering(
    zh_key: str,
    en_key: str,
    sightings: list[tuple[int, int, int, int, int]],
    occurrences: int,
    zh_pairs: set[int],
    en_pair_count: int,
    aligned_total: int,
    pairs: Sequence[SentencePair],
    texts: Mapping[tuple[str, int, int], str],
) -> Rendering:
    surfaces = Counter(
        _surface(texts, "en", pairs[n].en_doc, pairs[n].en[a:b]) for n, _, _, a, b in sightings
    )
    joint = len({n for n, *_ in sightings})
    en = surfaces.most_common(1)[0][0]
    words = len(en_key.split())
    zh_words = tuple(t.form for n, a, b, *_ in sightings[:1] for t in pairs[n].zh[a:b])
    stems = content_stems(en_key)
    values = (
        1.0,
        len(sightings) / occurrences,
        len(sightings) / max(aligned_total, 1),
        dice(joint, len(zh_pairs), max(en_pair_count, joint)),
        dictionary_match(term_glosses(zh_key, zh_words), stems) if stems else 0.0,
        math.log2(1 + len(sightings)),
        float(words <= 1),
        min(words, 8) / 8,
        float(sum(c[0].isupper() for c in surfaces.elements() if c) > len(sightings) / 2),
    )
    return Rendering(en=en, key=en_key, values=values, sightings=tuple(sightings))


def parallel_entries(
    candidates: Sequence[AlignedTerm],
    pairs: Sequence[SentencePair],
    texts: Mapping[tuple[str, int, int], str],
    *,
    zh_names: Sequence[str],
    en_names: Sequence[str],
    weights: Weights = WEIGHTS,
    min_confidence: float = 0.5,
    max_equivalents: int = 3,
) -> tuple[TermEntry, ...]:
    """Glossary entries: each candidate's renderings of at least ``min_confidence``, best first."""
    entries = []
    for candidate in candidates:
        scored = sorted(
            ((logistic(weights, r.values), r) for r in candidate.renderings),
            key=lambda item: (-item[0], item[1].key),
        )
        kept = [(s, r) for s, r in scored if s >= min_confidence][:max_equivalents]
        if kept:
            entries.append(
                TermEntry(
                    candidate.zh,
                    round(kept[0][0], 4),
                    tuple(_equivalent(r, s, pairs, texts, zh_names, en_names) for s, r in kept),
                )
            )
    return tuple(entries)


def _equivalent(
    rendering: Rendering,
    score: float,
    pairs: Sequence[SentencePair],
    texts: Mapping[tuple[str, int, int], str],
    zh_names: Sequence[str],
    en_names: Sequence[str],
) -> Equivalent:
    """The rendering with its examples; the frequency counts the distinct sentence pairs
    in which the term aligned to it."""
    examples: dict[tuple[str, str, int, int], Example] = {}
    for number, a, b, c, d in rendering.sightings:
        pair = pairs[number]
        zh, en = pair.zh[a:b], pair.en[c:d]
        example = Example(
            doc_zh=zh_names[pair.zh_doc],
            doc_en=en_names[pair.en_doc],
            sent_zh=zh[0].sentence,
            sent_en=en[0].sentence,
            zh_text=texts[("zh", pair.zh_doc, zh[0].sentence)],
            en_text=texts[("en", pair.en_doc, en[0].sentence)],
            zh_span=Span(zh[0].start, zh[-1].end),
            en_span=Span(en[0].start, en[-1].end),
            pair_score=round(pair.score, 4),
        )
        key = (example.doc_zh, example.doc_en, example.sent_zh, example.sent_en)
        examples.setdefault(key, example)
    ranked = sorted(examples.values(), key=lambda e: (-e.pair_score, e.doc_zh, e.sent_zh))
    return Equivalent(
        en=rendering.en,
        frequency=len(ranked),
        confidence=round(score, 4),
        examples=tuple(ranked[:_MAX_EXAMPLES]),
        note=_note(rendering),
    )


def _note(rendering: Rendering) -> str:
    named = dict(zip(FEATURES, rendering.values, strict=True))
    return (
        f"extracted from word alignment: aligned in {len(rendering.sightings)} occurrence(s), "
        f"consistency {named['consistency']:.2f}, Dice {named['dice']:.2f}, "
        f"dictionary {named['dictionary']:.2f}"
    )
