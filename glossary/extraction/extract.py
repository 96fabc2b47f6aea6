"""Term extraction: Chinese and English documents in, glossary entries with examples out.

Two paths, chosen per document pair by how the sentence aligner judged it. Pairs aligned as
translations (parallel mode) go through word alignment and phrase pairs
(``glossary.extraction.parallel``); the rest (comparable corpora such as the seed articles,
or documents given without alignments) through the nearest-sentence search of
``glossary.extraction.comparable``. A term found by both keeps the equivalents of both, best
first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from align.encoders import Encoder
from align.types import Alignment, Document
from glossary.extraction import comparable, parallel
from glossary.extraction.equivalents import WEIGHTS, span_key
from glossary.extraction.inputs import check_inputs, placed
from glossary.extraction.scoring import Weights
from glossary.types import Equivalent, TermEntry


def extract_terms(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    *,
    encoder: Encoder | Callable[[], Encoder],
    alignments: Sequence[Alignment] = (),
    doc_ids: Mapping[str, str] | None = None,
    k: int = 5,
    min_confidence: float = 0.5,
    max_equivalents: int = 3,
    weights: Weights = WEIGHTS,
    parallel_weights: Weights = parallel.WEIGHTS,
) -> tuple[TermEntry, ...]:
    """Glossary entries for the terms of ``zh_docs``, with English equivalents from ``en_docs``.

    ``doc_ids`` maps a document name to the id its examples carry (default: the name).
    Terms with no equivalent of at least ``min_confidence`` are left out; each entry keeps
    at most ``max_equivalents``, best first. ``k`` (how many most similar English sentences
    an occurrence looks at) and ``weights`` serve the comparable path, ``parallel_weights``
    the parallel one. ``encoder`` may be a function that loads one: only the comparable
    path encodes, so a corpus of translations never waits for a model to load.
    """
    check_inputs(
        zh_docs, en_docs, k=k, min_confidence=min_confidence, max_equivalents=max_equivalents
    )
    ids = doc_ids or {}
    translations = [a for a in alignments if a.mode == "parallel"]
    found: list[tuple[TermEntry, ...]] = []
    if translations:
        corpus = parallel.prepare_parallel(
            [(a, *placed(a, zh_docs, en_docs)[:2]) for a in translations], zh_docs, en_docs
        )
        found.append(
            parallel.parallel_entries(
                corpus.terms,
                corpus.pairs,
                corpus.texts,
                zh_names=[ids.get(d.name, d.name) for d in zh_docs],
                en_names=[ids.get(d.name, d.name) for d in en_docs],
                weights=parallel_weights,
                min_confidence=min_confidence,
                max_equivalents=max_equivalents,
            )
        )
    others = [a for a in alignments if a.mode != "parallel"]
    rest_zh, rest_en = _comparable_documents(zh_docs, en_docs, translations, others)
    if rest_zh and rest_en:
        found.append(
            comparable.comparable_terms(
                rest_zh,
                rest_en,
                encoder=encoder if isinstance(encoder, Encoder) else encoder(),
                alignments=others,
                doc_ids=doc_ids,
                k=k,
                min_confidence=min_confidence,
                max_equivalents=max_equivalents,
                weights=weights,
            )
        )
    return merge_found(found, max_equivalents)


def _comparable_documents(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    translations: Sequence[Alignment],
    others: Sequence[Alignment],
) -> tuple[list[Document], list[Document]]:
    """The documents the comparable path reads: all of them when no pair was aligned as a
    translation, else those of the pairs that were not."""
    if not translations:
        return list(zh_docs), list(en_docs)
    names = {d.name for a in others for d in (a.src, a.tgt)}
    return [d for d in zh_docs if d.name in names], [d for d in en_docs if d.name in names]


def merge_found(
    found: Sequence[Sequence[TermEntry]], max_equivalents: int
) -> tuple[TermEntry, ...]:
    """One entry per term: the equivalents of every path, one per rendering, best first."""
    by_zh: dict[str, list[TermEntry]] = {}
    for entries in found:
        for entry in entries:
            by_zh.setdefault(entry.zh, []).append(entry)
    out = []
    for zh, entries in by_zh.items():
        if len(entries) == 1:
            out.append(entries[0])
            continue
        best: dict[str, Equivalent] = {}
        for equivalent in sorted(
            (q for e in entries for q in e.equivalents), key=lambda q: -q.confidence
        ):
            best.setdefault(span_key(equivalent.en), equivalent)
        equivalents = tuple(best.values())[:max_equivalents]
        out.append(TermEntry(zh, max(e.termhood for e in entries), equivalents))
    return tuple(out)
