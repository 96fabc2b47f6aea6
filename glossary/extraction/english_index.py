"""The English side of a comparable corpus, indexed once: spans, vectors, neighbours.

Every English sentence is cut into candidate spans (``equivalents.english_spans``) and every
span encoded once; each Chinese sentence knows the k English sentences of the whole corpus
most similar to it, and the spans those sentences hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from align.encoders import Encoder, Vectors
from glossary.extraction.candidates import Occurrence, SentenceKey
from glossary.extraction.dictionary import content_stems, settled
from glossary.extraction.equivalents import EnglishSpan, english_spans
from glossary.extraction.inflection import inflection_key


@dataclass(frozen=True)
class Instance:
    """One sighting of an English span near one occurrence of a term."""

    occurrence: Occurrence
    sentence: SentenceKey
    span: EnglishSpan
    similarity: float


@dataclass(frozen=True)
class EnglishSide:
    """The English corpus indexed once: sentences, their spans, span vectors, counts."""

    texts: Mapping[SentenceKey, str]
    spans: Mapping[SentenceKey, tuple[EnglishSpan, ...]]
    span_vectors: Mapping[str, int]
    stems: Mapping[str, tuple[str, ...]]
    forms: Mapping[str, tuple[str, ...]]  # inflection_key: one rendering's spans share it
    vectors: Vectors
    sentence_count: Mapping[str, int]
    by_stem: Mapping[str, frozenset[str]]
    placed: Mapping[str, tuple[tuple[SentenceKey, EnglishSpan], ...]]
    quoted_keys: frozenset[str]


def index_english(texts: Mapping[SentenceKey, str], encoder: Encoder) -> EnglishSide:
    spans = {key: english_spans(text) for key, text in texts.items()}
    surface: dict[str, str] = {}
    placed: dict[str, list[tuple[SentenceKey, EnglishSpan]]] = defaultdict(list)
    for sentence, found in spans.items():
        for span in found:
            surface.setdefault(span.key, span.text)
            placed[span.key].append((sentence, span))
    order = sorted(surface)
    stems = {key: tuple(map(settled, content_stems(key))) for key in order}
    by_stem: dict[str, set[str]] = defaultdict(set)
    for key in order:
        for stem in stems[key]:
            by_stem[stem].add(key)
    return EnglishSide(
        texts=texts,
        spans=spans,
        span_vectors={key: i for i, key in enumerate(order)},
        stems=stems,
        forms={key: inflection_key(key) for key in order},
        vectors=encoder.encode([surface[key] for key in order]),
        sentence_count={key: len({s for s, _ in found}) for key, found in placed.items()},
        by_stem={stem: frozenset(keys) for stem, keys in by_stem.items()},
        placed={key: tuple(found) for key, found in placed.items()},
        quoted_keys=frozenset(k for k, found in placed.items() if any(s.quoted for _, s in found)),
    )


class SentenceSimilarity:
    """Cosine of any Chinese and any English sentence, encoded once."""

    def __init__(
        self,
        zh_texts: Mapping[SentenceKey, str],
        en_texts: Mapping[SentenceKey, str],
        encoder: Encoder,
    ) -> None:
        self.zh_rows = {key: i for i, key in enumerate(zh_texts)}
        self.en_rows = {key: i for i, key in enumerate(en_texts)}
        self.matrix = (
            encoder.encode(list(zh_texts.values())) @ encoder.encode(list(en_texts.values())).T
        )

    def __call__(self, zh: SentenceKey, en: SentenceKey) -> float:
        return float(np.clip(self.matrix[self.zh_rows[zh], self.en_rows[en]], 0.0, 1.0))


def nearest_sentences(
    similarity: SentenceSimilarity, k: int
) -> dict[SentenceKey, dict[SentenceKey, float]]:
    """The k English sentences of the whole corpus most similar to each Chinese sentence."""
    en_keys = list(similarity.en_rows)
    top = min(k, len(en_keys))
    best = np.argsort(-similarity.matrix, axis=1, kind="stable")[:, :top]
    return {
        zh_key: {en_keys[j]: similarity(zh_key, en_keys[j]) for j in best[i]}
        for zh_key, i in similarity.zh_rows.items()
    }


def nearby_spans(
    neighbours: Mapping[SentenceKey, Mapping[SentenceKey, float]], english: EnglishSide
) -> dict[SentenceKey, dict[str, list[tuple[SentenceKey, EnglishSpan, float]]]]:
    """For each Chinese sentence, the spans of its neighbour sentences, grouped by key."""
    nearby: dict[SentenceKey, dict[str, list[tuple[SentenceKey, EnglishSpan, float]]]] = {}
    for zh_sentence, near in neighbours.items():
        grouped: dict[str, list[tuple[SentenceKey, EnglishSpan, float]]] = defaultdict(list)
        for sentence, score in near.items():
            for span in english.spans[sentence]:
                grouped[span.key].append((sentence, span, score))
        nearby[zh_sentence] = grouped
    return nearby
