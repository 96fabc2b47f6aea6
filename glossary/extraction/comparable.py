"""Terms from a comparable corpus: equivalents found among the most similar sentences.

The seed corpus is comparable, not parallel: 渝创渝新 sits in a sentence about guaranteed
loans, its English rendering in a sentence about brands of another article. So the net is
wider than the aligned pairs: for every occurrence of a term we look at the k English
sentences of the whole corpus most like its sentence, at its aligned partners, and at
every English sentence that a quote or the dictionary points to; then the evidence of all
occurrences and documents is pooled per English span (see ``glossary.extraction.equivalents``).
Last, terms compete for a shared first rendering: the one the dictionary explains better
keeps it (competitive linking), and a term that lost it to a part of itself keeps only the
spans that hold the part's rendering.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from align.encoders import Encoder, Vectors
from align.types import Alignment, Document
from glossary.extraction.candidates import (
    Candidate,
    SentenceKey,
    find_candidates,
    segment,
)
from glossary.extraction.choosing import Top, choose, outlinked, without_lost
from glossary.extraction.counting import co_occurrences
from glossary.extraction.dictionary import gloss_phrases, glosses, settled
from glossary.extraction.english_index import (
    EnglishSide,
    Instance,
    SentenceSimilarity,
    index_english,
    nearby_spans,
    nearest_sentences,
)
from glossary.extraction.equivalents import (
    WEIGHTS,
    EnglishSpan,
    Evidence,
    confidence,
    matched_dictionary,
    number_agreement,
    span_key,
    term_numbers,
)
from glossary.extraction.inputs import check_inputs, placed
from glossary.extraction.scoring import Weights
from glossary.types import Equivalent, Example, Span, TermEntry

_ANCHOR_DICTIONARY = 0.75  # a span this well glossed is worth a look wherever it is
_MIN_COSINE = 0.3  # below this a span unsupported by dictionary or quotes is not scored
_MAX_EXAMPLES = 10  # examples kept per equivalent, best sentence pairs first


@dataclass(frozen=True)
class _Prepared:
    """Everything the per-term scoring reads, computed once per corpus."""

    zh_texts: Mapping[SentenceKey, str]
    candidates: tuple[Candidate, ...]
    term_vectors: Vectors
    english: EnglishSide
    similarity: SentenceSimilarity
    nearby: Mapping[SentenceKey, Mapping[str, list[tuple[SentenceKey, EnglishSpan, float]]]]
    translated: Mapping[SentenceKey, frozenset[SentenceKey]]


def comparable_terms(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    *,
    encoder: Encoder,
    alignments: Sequence[Alignment] = (),
    doc_ids: Mapping[str, str] | None = None,
    k: int = 5,
    min_confidence: float = 0.5,
    max_equivalents: int = 3,
    weights: Weights = WEIGHTS,
) -> tuple[TermEntry, ...]:
    """Glossary entries for the terms of ``zh_docs``, with English equivalents from ``en_docs``.

    ``doc_ids`` maps a document name to the id its examples carry (default: the name).
    ``k`` is how many most similar English sentences each occurrence looks at. Terms with
    no equivalent of at least ``min_confidence`` are left out; each entry keeps at most
    ``max_equivalents``, best first. ``weights`` (see
    ``glossary.extraction.equivalents.fit_weights``) turn the evidence into a confidence.
    """
    check_inputs(
        zh_docs, en_docs, k=k, min_confidence=min_confidence, max_equivalents=max_equivalents
    )
    prepared = _prepare(zh_docs, en_docs, encoder, alignments, k)
    if prepared is None:
        return ()
    ids = doc_ids or {}
    zh_names = [ids.get(d.name, d.name) for d in zh_docs]
    en_names = [ids.get(d.name, d.name) for d in en_docs]
    english = prepared.english
    scored_by_term = []
    for candidate, vector in zip(prepared.candidates, prepared.term_vectors, strict=True):
        scored = [
            (key, evidence, confidence(evidence, weights), found)
            for key, evidence, found in _score(candidate, vector, prepared)
        ]
        scored.sort(key=lambda item: (-item[2], item[0]))
        scored_by_term.append((candidate, scored, frozenset().union(*_units(_phrases(candidate)))))
    lost = outlinked(
        [
            Top(c.zh, s[0][0], s[0][1].dictionary, s[0][2])
            if s and s[0][2] >= min_confidence
            else None
            for c, s, _ in scored_by_term
        ],
        english.forms,
    )
    entries = []
    for (candidate, scored, vocabulary), taken in zip(scored_by_term, lost, strict=True):
        if taken is not None:
            scored = without_lost(scored, taken, english.forms)
        chosen = choose(scored, english, vocabulary, min_confidence, max_equivalents)
        equivalents = tuple(
            _equivalent(key, evidence, score, attested, prepared, zh_names, en_names)
            for key, evidence, score, found in chosen
            if (attested := _attested(found, prepared.translated))
        )
        if equivalents:
            entries.append(TermEntry(candidate.zh, candidate.termhood, equivalents))
    return tuple(entries)


def span_evidence(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    *,
    encoder: Encoder,
    terms: Iterable[str],
    alignments: Sequence[Alignment] = (),
    k: int = 5,
) -> dict[str, tuple[tuple[str, Evidence], ...]]:
    """Every English span scored for each of ``terms`` that is a candidate, keyed by term.

    The raw material for fitting ``weights`` on a reference list: the spans ``extract_terms``
    weighs, before any confidence threshold or choice among them.
    """
    check_inputs(zh_docs, en_docs, k=k, min_confidence=0.0, max_equivalents=1)
    wanted = set(terms)
    prepared = _prepare(zh_docs, en_docs, encoder, alignments, k)
    if prepared is None:
        return {}
    return {
        candidate.zh: tuple((key, evidence) for key, evidence, _ in _score(candidate, v, prepared))
        for candidate, v in zip(prepared.candidates, prepared.term_vectors, strict=True)
        if candidate.zh in wanted
    }


def _prepare(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    encoder: Encoder,
    alignments: Sequence[Alignment],
    k: int,
) -> _Prepared | None:
    zh_texts = {
        (d, i): s.text for d, doc in enumerate(zh_docs) for i, s in enumerate(doc.sentences)
    }
    en_texts = {
        (d, j): s.text for d, doc in enumerate(en_docs) for j, s in enumerate(doc.sentences)
    }
    candidates = find_candidates(zh_texts)
    if not candidates or not en_texts:
        return None
    english = index_english(en_texts, encoder)
    similarity = SentenceSimilarity(zh_texts, en_texts, encoder)
    neighbours = nearest_sentences(similarity, k)
    for key, partners in _aligned_partners(zh_docs, en_docs, alignments).items():
        for sentence, score in partners.items():
            neighbours[key][sentence] = max(neighbours[key].get(sentence, 0.0), score)
    return _Prepared(
        zh_texts=zh_texts,
        candidates=candidates,
        term_vectors=encoder.encode([c.zh for c in candidates]),
        english=english,
        similarity=similarity,
        nearby=nearby_spans(neighbours, english),
        translated=_translations(zh_docs, en_docs, alignments),
    )


def _aligned_partners(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    alignments: Sequence[Alignment],
) -> dict[SentenceKey, dict[SentenceKey, float]]:
    """Sentence pairs an aligner accepted, in either direction, by document identity."""
    partners: dict[SentenceKey, dict[SentenceKey, float]] = defaultdict(dict)
    for alignment in alignments:
        d, e, swapped = placed(alignment, zh_docs, en_docs)
        for bead in alignment.pairs():
            zh_ids, en_ids = (bead.tgt, bead.src) if swapped else (bead.src, bead.tgt)
            for i in zh_ids:
                for j in en_ids:
                    partners[(d, i)][(e, j)] = max(partners[(d, i)].get((e, j), 0.0), bead.score)
    return partners


def _translations(
    zh_docs: Sequence[Document],
    en_docs: Sequence[Document],
    alignments: Sequence[Alignment],
) -> dict[SentenceKey, frozenset[SentenceKey]]:
    """For each sentence of a Chinese document aligned in parallel mode, its aligned
    English partners (none for a sentence left unaligned): the only English sentences
    where a translated document renders it."""
    partners: dict[SentenceKey, set[SentenceKey]] = {}
    for alignment in alignments:
        if alignment.mode != "parallel":
            continue
        d, e, swapped = placed(alignment, zh_docs, en_docs)
        zh_doc = alignment.tgt if swapped else alignment.src
        for i in range(len(zh_doc.sentences)):
            partners.setdefault((d, i), set())
        for bead in alignment.pairs():
            zh_ids, en_ids = (bead.tgt, bead.src) if swapped else (bead.src, bead.tgt)
            for i in zh_ids:
                partners[(d, i)].update((e, j) for j in en_ids)
    return {key: frozenset(found) for key, found in partners.items()}


def _phrases(candidate: Candidate) -> tuple[tuple[frozenset[str], ...], ...]:
    """The term's units, each as the settled stems of its defining phrases: the whole term
    if the dictionary has it, else each word it has, else each character, as
    ``dictionary.term_glosses`` cuts them, but with a word the dictionary lacks first cut
    into words it knows (``_dictionary_words``)."""
    zh = candidate.zh
    if glosses(zh):
        units: tuple[str, ...] = (zh,)
    else:
        words = (p for a, b in segment(zh) for p in _dictionary_words(zh[a:b]))
        units = tuple(u for w in words for u in ((w,) if glosses(w) or len(w) == 1 else w))
    return tuple(tuple(frozenset(map(settled, p)) for p in gloss_phrases(u)) for u in units)


def _units(phrases: Sequence[Sequence[frozenset[str]]]) -> tuple[frozenset[str], ...]:
    """Each unit's gloss stems, the union of its phrases (what ``term_glosses`` gives)."""
    return tuple(frozenset().union(*unit) for unit in phrases)


def _dictionary_words(word: str) -> tuple[str, ...]:
    """A word of three or more characters the dictionary does not know, cut into the longest
    words it knows, left to right (公益性 → 公益, 性), characters where it knows none.
    Glossed one character at a time, 公益性 would read "public, beneficial, nature" and
    match "beneficial public welfare posts" better than "public welfare posts"."""
    if len(word) < 3 or glosses(word):
        return (word,)
    pieces: list[str] = []
    start = 0
    while start < len(word):
        end = next(
            (
                e
                for e in range(len(word), start + 1, -1)
                if e - start < len(word) and glosses(word[start:e])
            ),
            start + 1,
        )
        pieces.append(word[start:end])
        start = end
    return tuple(pieces)


def _score(
    candidate: Candidate, vector: Vectors, prepared: _Prepared
) -> list[tuple[str, Evidence, list[Instance]]]:
    """The evidence for every English span worth weighing as a rendering of ``candidate``."""
    english, nearby = prepared.english, prepared.nearby
    phrases = _phrases(candidate)
    units = _units(phrases)
    vocabulary = frozenset().union(*units)
    glossed = _glossed(vocabulary, english)
    anchors = {
        k
        for k in glossed
        if matched_dictionary(units, english.stems[k], phrases) >= _ANCHOR_DICTIONARY
    }
    quoted = english.quoted_keys if candidate.quoted else frozenset()
    near_keys = {key for o in candidate.occurrences for key in nearby.get(o.sentence, {})}
    keys = sorted(near_keys | anchors | quoted)
    if not keys:
        return []
    cosines = english.vectors[[english.span_vectors[key] for key in keys]] @ vector
    numbers = term_numbers(candidate.zh)
    scored = []
    for key, cosine in zip(keys, cosines, strict=True):
        if cosine < _MIN_COSINE and key not in glossed and key not in quoted:
            continue  # neither meaning nor dictionary nor quotes speak for it
        anywhere = key in anchors or key in quoted
        found = _sightings(candidate, key, anywhere, english, nearby, prepared.similarity)
        if not found:
            continue
        stems = english.stems[key]
        occurrences = {i.occurrence for i in found}
        evidence = Evidence(
            embedding=float(cosine),
            dictionary=matched_dictionary(units, stems, phrases) if key in glossed else 0.0,
            quote=candidate.quoted and any(i.span.quoted for i in found),
            capitalised=any(i.span.capitalised for i in found),
            numbers=number_agreement(numbers, key),
            support=len(occurrences) / len(candidate.occurrences),
            documents=len({i.sentence[0] for i in found}),
            words=len(stems),
        )
        scored.append((key, evidence, found))
    return scored


def _sightings(
    candidate: Candidate,
    key: str,
    anywhere: bool,
    english: EnglishSide,
    nearby: Mapping[SentenceKey, Mapping[str, list[tuple[SentenceKey, EnglishSpan, float]]]],
    similarity: SentenceSimilarity,
) -> list[Instance]:
    """Where the span ``key`` turns up near each occurrence: in its neighbour sentences,
    and anywhere in the corpus when a quote or the dictionary points to it."""
    found: list[Instance] = []
    for occurrence in candidate.occurrences:
        near = nearby.get(occurrence.sentence, {}).get(key, [])
        found += [Instance(occurrence, sentence, span, score) for sentence, span, score in near]
        if anywhere:
            seen = {sentence for sentence, _, _ in near}
            found += [
                Instance(occurrence, sentence, span, similarity(occurrence.sentence, sentence))
                for sentence, span in english.placed[key]
                if sentence not in seen
            ]
    return found


def _glossed(vocabulary: frozenset[str], english: EnglishSide) -> frozenset[str]:
    """English spans that share at least one word stem with the term's glosses."""
    seen: set[str] = set()
    for stem in vocabulary:
        seen |= english.by_stem.get(stem, frozenset())
    return frozenset(seen)


def _equivalent(
    key: str,
    evidence: Evidence,
    score: float,
    instances: Sequence[Instance],
    prepared: _Prepared,
    zh_names: Sequence[str],
    en_names: Sequence[str],
) -> Equivalent:
    """The equivalent with its evidence: one example per distinct pair of sentence texts
    (a sentence repeated in two articles, or near two occurrences, counts once), only the
    best-scored ``_MAX_EXAMPLES`` kept, and as frequency the sentence pairs where term and
    equivalent occur together, no sentence counted twice (``co_occurrences``)."""
    examples: dict[tuple[str, str], Example] = {}
    for instance in instances:
        occurrence, sentence = instance.occurrence, instance.sentence
        zh_text = prepared.zh_texts[occurrence.sentence]
        en_text = prepared.english.texts[sentence]
        example = Example(
            doc_zh=zh_names[occurrence.sentence[0]],
            doc_en=en_names[sentence[0]],
            sent_zh=occurrence.sentence[1],
            sent_en=sentence[1],
            zh_text=zh_text,
            en_text=en_text,
            zh_span=Span(occurrence.start, occurrence.end),
            en_span=Span(instance.span.start, instance.span.end),
            pair_score=round(instance.similarity, 4),
        )
        known = examples.get((zh_text, en_text))
        if known is None or _rank(example) < _rank(known):
            examples[(zh_text, en_text)] = example
    ranked = sorted(examples.values(), key=_rank)
    surface = ranked[0].en_text[ranked[0].en_span.start : ranked[0].en_span.end]
    return Equivalent(
        en=surface if span_key(surface) == key else key,
        frequency=co_occurrences((i.occurrence.sentence, i.sentence) for i in instances),
        confidence=round(score, 4),
        examples=tuple(ranked[:_MAX_EXAMPLES]),
        note=_note(evidence),
    )


def _attested(
    instances: Sequence[Instance], translated: Mapping[SentenceKey, frozenset[SentenceKey]]
) -> list[Instance]:
    """The sightings that attest a rendering: in a translated document only those in the
    sentence's aligned partners, elsewhere (comparable articles) every one."""
    return [
        i
        for i in instances
        if (partners := translated.get(i.occurrence.sentence)) is None or i.sentence in partners
    ]


def _rank(example: Example) -> tuple[float, str, int, str, int, int]:
    return (
        -example.pair_score,
        example.doc_en,
        example.sent_en,
        example.doc_zh,
        example.sent_zh,
        example.en_span.start,
    )


def _note(evidence: Evidence) -> str:
    """Why the extractor believes it, so a reviewer can judge; literal glosses flagged."""
    reasons = [f"embedding {evidence.embedding:.2f}"]
    if evidence.dictionary:
        reasons.append(f"dictionary {evidence.dictionary:.2f}")
    if evidence.quote:
        reasons.append("quoted on both sides")
    if evidence.numbers > 0:
        reasons.append("numbers agree")
    reasons.append(f"{evidence.documents} English document(s)")
    note = "extracted: " + ", ".join(reasons)
    if evidence.dictionary >= _ANCHOR_DICTIONARY and evidence.words >= 3:
        note += "; a word-by-word dictionary rendering: check it against the intended meaning"
    return note
