"""Terms from a parallel corpus: word alignment, consistent phrase pairs, association.

When the aligned pairs are translations, the English of a Chinese term is read off the word
alignment rather than guessed span by span (see ``sightings``). Each English phrase a
candidate aligns to is scored by how consistently the term aligns to it (tight and widened,
in both directions), by Dice over the sentence pairs, by the dictionary, by frequency, and by
whether the phrase is a fragment of a longer one. A Chinese run that keeps aligning to one
English phrase becomes an entry even when jieba's general-language IDF finds its words
ordinary: the evidence from the translation side decides.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from align.scripts import to_simplified
from align.types import Alignment, Document
from glossary.extraction.bitext import SentencePair, sentence_pairs
from glossary.extraction.dictionary import content_stems, term_glosses
from glossary.extraction.equivalents import dice, dictionary_match
from glossary.extraction.phrase_stats import PhraseStats, english_statistics
from glossary.extraction.phrases import LinkIndex
from glossary.extraction.recurrence import Recurrence
from glossary.extraction.scoring import Weights, logistic
from glossary.extraction.sightings import (
    MAX_EN_WORDS,
    Sighting,
    Texts,
    phrase_key,
    sightings,
    surface,
    term_runs,
)
from glossary.extraction.span_shape import (
    breaks_case,
    cuts_name,
    is_acronym,
    is_shouted,
    spells_out,
    whole_name,
)
from glossary.extraction.word_alignment import Link, align_runs
from glossary.types import Equivalent, Example, Span, TermEntry

_MIN_OCCURRENCES = 2
# independent eflomal runs whose sightings are averaged: eflomal samples (from /dev/urandom),
# and one run's links are one draw. Held-out precision at coverage 0.8 (macro of the HKMA dev
# years, mean of 3 draws each; ``bench/hkma_errors.py --runs K --iterations I``): 1 run 0.822;
# 2 runs 0.836, 3 runs 0.841 at full length; at the time of one run, 2 runs of half its
# iterations 0.833, 3 of a third 0.844, 4 of a quarter 0.851, 6 of a sixth 0.851. So four
# short runs (``word_alignment.ITERATIONS``), in parallel, each eflomal process on one core.
RUNS = 4
_MAX_EXAMPLES = 10

_OWN = (
    "bias", "consistency", "support", "reverse", "dice", "dictionary", "frequency",
    "single_word", "length", "capitalised", "fragment", "acronym", "shouted", "breaks_case",
    "cuts_name",
)  # fmt: skip
# signals also compared with the term's best rendering (``against_rivals``). Held-out precision
# at coverage 0.8, macro of the HKMA dev years, the same 5 draws of links each
# (``bench/hkma_errors.py --samples 5``): consistency and Dice only 0.849; with support,
# reverse consistency and the dictionary too 0.854
_RELATIVE = ("consistency", "dice", "support", "reverse", "dictionary")
_RELATIVE_AT = tuple(_OWN.index(name) for name in _RELATIVE)
FEATURES = (*_OWN, *(f"{name}_share" for name in _RELATIVE), "spelled_out", "spells_out")

# Fitted by ``fit_logistic`` on the HKMA dev years, the bias then balanced so that the years'
# precision and coverage meet at confidence 0.5 (``bench/glossary_bench.py --fit``); the
# bench reports leave-one-year-out folds, each year scored with weights fitted on the others.
WEIGHTS: Weights = (
    -4.205, 1.765, 0.083, 0.677, 0.697, -0.058, 0.24, -1.227, -1.487, 0.243, -1.28, 1.733,
    -0.332, -0.871, -0.763, 0.113, 1.471, 1.168, 0.952, 0.841, 2.249, 2.065,
)  # fmt: skip


@dataclass(frozen=True)
class Rendering:
    """One English phrase a candidate aligned to, with the signals about the pair."""

    en: str  # the phrase as most often written
    key: str  # lower-cased words: what renderings are counted under
    values: tuple[float, ...]  # the features, in the order of ``FEATURES``
    sightings: tuple[Sighting, ...]  # from every word-alignment run
    together: int  # aligned sentence pairs holding both the term and the phrase
    aligned: float  # sightings per word-alignment run


@dataclass(frozen=True)
class AlignedTerm:
    """A Chinese run seen at least twice, keyed by its simplified form."""

    key: str  # simplified
    zh: str  # the form most often written
    occurrences: int
    renderings: tuple[Rendering, ...]


@dataclass(frozen=True)
class ParallelCorpus:
    """The translation pairs of a corpus, word-aligned, with every term's renderings."""

    pairs: tuple[SentencePair, ...]
    texts: Texts
    terms: tuple[AlignedTerm, ...]


def prepare_parallel(
    alignments: Sequence[tuple[Alignment, int, int]],
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
) -> ParallelCorpus:
    """Word-align the beads of ``(alignment, zh index, en index)`` and gather renderings."""
    pairs = sentence_pairs(alignments)
    texts = sentence_texts(zh_docs, en_docs)
    terms = parallel_candidates(pairs, align_runs(pairs, RUNS), texts)
    return ParallelCorpus(pairs, texts, terms)


def sentence_texts(zh_docs: Sequence[Document], en_docs: Sequence[Document]) -> Texts:
    """Every sentence's text, keyed by (side, document index, sentence index)."""
    return {
        (side, d, i): s.text
        for side, docs in (("zh", zh_docs), ("en", en_docs))
        for d, doc in enumerate(docs)
        for i, s in enumerate(doc.sentences)
    }


def parallel_candidates(
    pairs: Sequence[SentencePair], runs: Sequence[Sequence[frozenset[Link]]], texts: Texts
) -> tuple[AlignedTerm, ...]:
    """Every term-shaped Chinese run seen ``_MIN_OCCURRENCES`` times, with its renderings.

    A run counts as seen wherever its characters occur, however jieba cut them there
    (资本充足 inside 资本充足率); renderings come from the occurrences cut as a run.
    ``runs`` are the links of independent word-alignment runs, each one link set per pair:
    every count of sightings is averaged over them.
    """
    indices = [
        [LinkIndex.of(found, len(p.zh), len(p.en)) for p, found in zip(pairs, links, strict=True)]
        for links in runs
    ]
    chinese = Recurrence.of(
        "\n".join(to_simplified(t) for (side, _, _), t in texts.items() if side == "zh")
    )
    occurrences = {
        key: found
        for key, found in term_runs(pairs).items()
        if len(found) >= _MIN_OCCURRENCES or chinese.at_least(key, _MIN_OCCURRENCES)
    }
    by_term: dict[str, dict[str, list[Sighting]]] = {}
    for key, found in occurrences.items():
        renderings: dict[str, list[Sighting]] = defaultdict(list)
        for number, start, end in found:
            for index in indices:
                found_here = sightings(pairs[number], index[number], number, start, end, texts)
                for seen in (*found_here, *_named(found_here, pairs, texts)):
                    run = pairs[number].en[seen.en_start : seen.en_end]
                    renderings[phrase_key(run)].append(seen)
        if renderings:
            by_term[key] = renderings
    english = english_statistics({en for r in by_term.values() for en in r}, pairs)
    aligned_total: Counter[str] = Counter()
    for renderings in by_term.values():
        for en_key, seen_all in renderings.items():
            aligned_total[en_key] += sum(s.tight for s in seen_all)
    out = []
    for key, renderings in by_term.items():
        found = occurrences[key]
        first = found[0]
        context = _Context(
            occurrences=len(found),
            zh_pairs=frozenset(n for n, _, _ in found),
            zh_words=tuple(t.form for t in pairs[first[0]].zh[first[1] : first[2]]),
            aligned_total=aligned_total,
            english=english,
            runs=max(len(runs), 1),
        )
        written = Counter(
            surface(texts, "zh", pairs[n].zh_doc, pairs[n].zh[a:b]) for n, a, b in found
        )
        out.append(
            AlignedTerm(
                key=key,
                zh=written.most_common(1)[0][0],
                occurrences=len(found),
                renderings=against_rivals(
                    [
                        _rendering(key, en_key, seen_all, context, pairs, texts)
                        for en_key, seen_all in sorted(renderings.items())
                    ]
                ),
            )
        )
    return tuple(sorted(out, key=lambda c: c.key))


def against_rivals(renderings: Sequence[Rendering]) -> tuple[Rendering, ...]:
    """Each rendering weighed against the term's other renderings (the choice is between
    rivals): its consistency, Dice, support, reverse consistency and dictionary match as a
    share of the best, since an absolute figure hides how close they are; whether it is an
    acronym that a rival spells out, and whether it spells out a rival acronym ("NGOs",
    "non-governmental organisations": where a reference list accepts only one of the two,
    it is mostly the spelled-out form)."""
    best = [max((r.values[i] for r in renderings), default=0.0) for i in _RELATIVE_AT]
    acronyms = [r.en for r in renderings if is_acronym(r.en)]
    return tuple(
        dataclasses.replace(
            r,
            values=(
                *r.values,
                *(
                    r.values[i] / top if top else 0.0
                    for i, top in zip(_RELATIVE_AT, best, strict=True)
                ),
                float(r.en in acronyms and any(spells_out(o.en, r.en) for o in renderings)),
                float(any(spells_out(r.en, a) for a in acronyms)),
            ),
        )
        for r in renderings
    )


def _named(
    found: Sequence[Sighting], pairs: Sequence[SentencePair], texts: Texts
) -> list[Sighting]:
    """The sightings that stop inside a capitalised name, grown to the whole name (not tight,
    at most ``MAX_EN_WORDS``), where that range is not a sighting already: the aligner links
    part of a long name, and widening over unaligned words stops at a word it linked
    elsewhere. Held-out folds, mean of the same 10 draws of links per HKMA dev year
    (``bench/hkma_errors.py``): macro of min(precision, coverage) 0.833 -> 0.835 on all
    terms, 0.791 -> 0.795 on unseen ones; 2019 0.806 @ 0.852 -> 0.809 @ 0.855."""
    have = {(s.en_start, s.en_end) for s in found}
    out = []
    for seen in found:
        text = _sentence(seen, pairs, texts)
        a, b = whole_name(pairs[seen.pair].en, seen.en_start, seen.en_end, text)
        if (a, b) not in have and b - a <= MAX_EN_WORDS:
            have.add((a, b))
            out.append(dataclasses.replace(seen, en_start=a, en_end=b, tight=False))
    return out


def _cuts_name(seen: Sighting, pairs: Sequence[SentencePair], texts: Texts) -> bool:
    text = _sentence(seen, pairs, texts)
    return cuts_name(pairs[seen.pair].en, seen.en_start, seen.en_end, text)


def _sentence(seen: Sighting, pairs: Sequence[SentencePair], texts: Texts) -> str:
    """The English sentence a sighting starts in, as written (capitals read from it)."""
    pair = pairs[seen.pair]
    return texts[("en", pair.en_doc, pair.en[seen.en_start].sentence)]


@dataclass(frozen=True)
class _Context:
    """What every rendering of one term is weighed against."""

    occurrences: int
    zh_pairs: frozenset[int]  # the aligned sentence pairs whose Chinese holds the term
    zh_words: tuple[str, ...]
    aligned_total: Mapping[str, int]  # tight sightings of each phrase, over all terms
    english: PhraseStats
    runs: int  # word-alignment runs the sightings come from


def _rendering(
    zh_key: str,
    en_key: str,
    seen: list[Sighting],
    context: _Context,
    pairs: Sequence[SentencePair],
    texts: Texts,
) -> Rendering:
    surfaces = Counter(
        surface(texts, "en", pairs[s.pair].en_doc, pairs[s.pair].en[s.en_start : s.en_end])
        for s in seen
    )
    runs = context.runs
    tight = sum(s.tight for s in seen)
    joint = len({s.pair for s in seen})
    words = len(en_key.split())
    stems = content_stems(en_key)
    english = context.english
    values = (
        1.0,
        tight / (runs * context.occurrences),
        len(seen) / (runs * context.occurrences),
        tight / max(context.aligned_total.get(en_key, 0), 1),
        dice(joint, len(context.zh_pairs), max(english.pairs.get(en_key, 0), joint)),
        dictionary_match(term_glosses(zh_key, context.zh_words), stems) if stems else 0.0,
        math.log2(1 + len(seen) / runs),
        float(words <= 1),
        min(words, 8) / 8,
        float(_share(surfaces, lambda c: c[:1].isupper()) > 0.5),
        english.fragment.get(en_key, 0.0),
        _share(surfaces, is_acronym),
        _share(surfaces, is_shouted),
        _share(surfaces, breaks_case),
        sum(_cuts_name(s, pairs, texts) for s in seen) / len(seen),
    )
    together = len(context.zh_pairs & english.where.get(en_key, frozenset()))
    return Rendering(
        en=surfaces.most_common(1)[0][0],
        key=en_key,
        values=values,
        sightings=tuple(seen),
        together=max(together, joint),
        aligned=len(seen) / runs,
    )


def _share(surfaces: Counter[str], test: Callable[[str], bool]) -> float:
    """The share of sightings whose written form passes ``test``, each distinct form tested
    once (with four word-alignment runs, most forms are seen several times over)."""
    return sum(n for form, n in surfaces.items() if test(form)) / surfaces.total()


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
    """The rendering with its examples, the pairs where the term aligned to it; the frequency
    counts the aligned sentence pairs in which term and rendering occur together."""
    examples: dict[tuple[str, str, int, int], Example] = {}
    for sighting in rendering.sightings:
        pair = pairs[sighting.pair]
        zh = pair.zh[sighting.zh_start : sighting.zh_end]
        en = pair.en[sighting.en_start : sighting.en_end]
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
        frequency=rendering.together,
        confidence=round(score, 4),
        examples=tuple(ranked[:_MAX_EXAMPLES]),
        note=_note(rendering),
    )


def _note(rendering: Rendering) -> str:
    named = dict(zip(FEATURES, rendering.values, strict=True))
    return (
        f"extracted from word alignment: {rendering.aligned:g} aligned occurrence(s), "
        f"consistency {named['consistency']:.2f}, Dice {named['dice']:.2f}, "
        f"dictionary {named['dictionary']:.2f}"
    )
