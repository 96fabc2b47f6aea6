"""The evidence behind an equivalent: each corpus's figures and the examples that attest it.

Shared by merging (extracted evidence) and reviewing (imported figures): the cached totals
on an equivalent are always recomputed from its contributions here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from glossary.store.engine import CHUNK, Store
from glossary.store.models import IMPORTED_CORPUS, Contribution, Equivalent, Example
from glossary.types import Example as ExtractedExample

_ExampleKey = tuple[str, str, int, int]


def example_keys(
    session: Session, equivalents: Sequence[Equivalent]
) -> dict[Equivalent, set[_ExampleKey]]:
    """The examples already stored for each equivalent, keyed by its unique columns."""
    by_id = {eq.id: eq for eq in equivalents}
    keys: dict[Equivalent, set[_ExampleKey]] = {eq: set() for eq in equivalents}
    ids = list(by_id)
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            select(
                Example.equivalent_id,
                Example.doc_zh,
                Example.doc_en,
                Example.sent_zh,
                Example.sent_en,
            ).where(Example.equivalent_id.in_(ids[start : start + CHUNK]))
        )
        for eq_id, doc_zh, doc_en, sent_zh, sent_en in rows:
            keys[by_id[eq_id]].add((doc_zh, doc_en, sent_zh, sent_en))
    return keys


def add_examples(
    row: Equivalent,
    examples: Iterable[ExtractedExample],
    known: dict[Equivalent, set[_ExampleKey]],
) -> int:
    fresh = unseen_examples(examples, known.setdefault(row, set()))
    row.examples.extend(Example(**example_values(ex)) for ex in fresh)
    return len(fresh)


def unseen_examples(
    examples: Iterable[ExtractedExample], stored: set[_ExampleKey]
) -> list[ExtractedExample]:
    """The examples whose sentence pair is not in ``stored`` yet, each once; ``stored``
    learns their keys (the unique columns of ``Example`` beside its equivalent)."""
    fresh = []
    for ex in examples:
        key = (ex.doc_zh, ex.doc_en, ex.sent_zh, ex.sent_en)
        if key not in stored:
            stored.add(key)
            fresh.append(ex)
    return fresh


def example_values(ex: ExtractedExample) -> dict[str, object]:
    """The columns of the stored example of an extracted one (its equivalent aside)."""
    return {
        "doc_zh": ex.doc_zh,
        "doc_en": ex.doc_en,
        "sent_zh": ex.sent_zh,
        "sent_en": ex.sent_en,
        "zh_text": ex.zh_text,
        "en_text": ex.en_text,
        "zh_start": ex.zh_span.start,
        "zh_end": ex.zh_span.end,
        "en_start": ex.en_span.start,
        "en_end": ex.en_span.end,
        "pair_score": ex.pair_score,
    }


def set_contribution(row: Equivalent, corpus: str, frequency: int, confidence: float) -> None:
    for contribution in row.contributions:
        if contribution.corpus_id == corpus:
            if contribution.frequency != frequency:
                contribution.frequency = frequency
            if contribution.confidence != confidence:
                contribution.confidence = confidence
            return
    row.contributions.append(
        Contribution(corpus_id=corpus, frequency=frequency, confidence=confidence)
    )


def refresh_figures(row: Equivalent) -> bool:
    """Recompute the cached totals from the contributions; True if they changed."""
    frequency, confidence = totals(
        [(c.corpus_id, c.frequency, c.confidence) for c in row.contributions]
    )
    changed = row.frequency != frequency or abs((row.confidence or 0.0) - confidence) > 1e-12
    if changed:
        row.frequency = frequency
        row.confidence = confidence
    return changed


def totals(contributions: Iterable[tuple[str, int, float]]) -> tuple[int, float]:
    """An equivalent's frequency and confidence from its (corpus, frequency, confidence)s.

    Imported figures only stand in while this store has no evidence of its own, so a
    glossary imported and then rebuilt from the same corpus does not count twice. The mean
    is rounded as the extractor rounds (4 places), not shown as 0.8972000000000001.
    """
    ordered = sorted(contributions, key=lambda c: c[0])
    own = [c for c in ordered if c[0] != IMPORTED_CORPUS] or ordered
    frequency = sum(f for _, f, _ in own)
    if frequency:
        return frequency, round(sum(f * c for _, f, c in own) / frequency, 4)
    return frequency, max((c for _, _, c in own), default=0.0)


def holds_evidence(store: Store, corpus: str) -> bool:
    """Whether an earlier merge of ``corpus`` left evidence in the store: what a merge of
    part of that corpus would retire."""
    with store.reading() as session:
        found = session.scalar(
            select(Contribution.corpus_id).where(Contribution.corpus_id == corpus).limit(1)
        )
    return found is not None
