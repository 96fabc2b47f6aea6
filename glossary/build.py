"""Building the glossary from a corpus: align, extract, merge into the store.

Every stage writes through the store's own transactions, so a crash loses only the stage in
progress, and a rebuild of the same corpus changes nothing a person decided. A curated term
list (``terms``) is loaded as curated rows beside what extraction finds; extraction never
reads it, so the figures of an extracted row are the corpus's alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from align.document import load_document
from align.encoders import Encoder
from align.errors import InputError, LanguageError
from align.language import LANGUAGE_NAMES, detect_language
from align.pipeline import align_documents
from align.types import Alignment, Document
from glossary.corpus import (
    BUNDLED,
    Article,
    check_corpus_id,
    default_corpus_id,
    document_id,
    read_manifest,
)
from glossary.extraction.extract import extract_terms
from glossary.formats.importing import SEED_TERMS_PATH, load_curated_terms
from glossary.store.engine import Store
from glossary.store.merging import merge_entries
from glossary.store.recording import record_documents, record_pairs
from glossary.store.views import DocumentRecord, ImportReport, MergeReport, PairRecord

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pairs: int
    terms: int
    merge: MergeReport
    corpus_id: str = ""
    curated: ImportReport | None = None


def default_terms(folder: Path) -> Path | None:
    """The curated list a corpus gets without ``--terms``: the seed file, for the bundled
    corpus only (it is demo data written for those articles)."""
    return SEED_TERMS_PATH if folder.resolve() == BUNDLED else None


def build_glossary(
    store: Store,
    folder: Path,
    *,
    encoder: Encoder,
    corpus_id: str | None = None,
    terms: Path | None = None,
    simplified: bool = False,
    progress: Progress = lambda _: None,
) -> BuildReport:
    """Align the corpus in ``folder`` and merge its terms into the store as ``corpus_id``.

    ``corpus_id`` defaults to one made from the folder's name and location
    (``glossary.corpus.default_corpus_id``). ``terms`` is a curated list in the import CSV
    format, loaded before extraction as curated rows. ``simplified`` converts traditional
    Chinese to simplified before aligning, so examples show the converted text.
    """
    corpus = check_corpus_id(corpus_id) if corpus_id else default_corpus_id(folder)
    articles = read_manifest(folder)
    docs = {a.id: _load(a, simplified) for a in articles}  # every file read before any write
    curated = load_curated_terms(store, terms) if terms else None
    bundled = folder.resolve() == BUNDLED
    ids = {a.id: a.id if bundled else document_id(a.id, corpus) for a in articles}
    record_documents(store, [_record(a, ids[a.id]) for a in articles])
    zh = [a for a in articles if a.lang == "zh"]
    en = [a for a in articles if a.lang == "en"]
    alignments: list[Alignment] = []
    pairs = 0
    for z in zh:
        for e in en:
            progress(f"aligning {z.id} with {e.id}")
            alignment = align_documents(docs[z.id], docs[e.id], mode="auto", encoder=encoder)
            alignments.append(alignment)
            pairs += record_alignment(
                store, alignment, doc_zh=ids[z.id], doc_en=ids[e.id], corpus_id=corpus
            )
    progress("extracting terms")
    count, report = merge_terms(
        store,
        alignments,
        encoder=encoder,
        doc_ids={docs[a.id].name: ids[a.id] for a in articles},
        corpus_id=corpus,
    )
    return BuildReport(
        articles=len(articles),
        pairs=pairs,
        terms=count,
        merge=report,
        corpus_id=corpus,
        curated=curated,
    )


def _load(article: Article, simplified: bool) -> Document:
    """The article read as its manifest says, refused when its text is plainly in the other
    language: a swapped lang column would align English with English and store the pairs."""
    document = load_document(article.path, lang=article.lang, simplified=simplified)
    try:
        found = detect_language(document.text)
    except LanguageError:
        return document  # mixed or scant text: the manifest's word stands
    if found != article.lang:
        raise InputError(
            f"{article.path}: manifest.csv says lang '{article.lang}' for article "
            f"{article.id!r}, but its text is {LANGUAGE_NAMES[found]}; correct the lang column"
        )
    return document


def record_alignment(
    store: Store, alignment: Alignment, *, doc_zh: str, doc_en: str, corpus_id: str
) -> int:
    """Store an alignment's pairs under the store's document ids; returns how many were new."""
    records = pair_records(alignment, doc_zh=doc_zh, doc_en=doc_en)
    return record_pairs(store, records, corpus_id=corpus_id)


def merge_terms(
    store: Store,
    alignments: Sequence[Alignment],
    *,
    encoder: Encoder | Callable[[], Encoder],
    doc_ids: Mapping[str, str],
    corpus_id: str,
) -> tuple[int, MergeReport]:
    """Extract terms from all the aligned articles at once and merge them into the store.

    All at once, not pair by pair: an equivalent's support and association are counted across
    every article, and each Chinese sentence is compared with the whole English side.
    Returns the number of entries extracted and what the merge changed. ``encoder`` may be
    a function that loads one, called only if some pair needs the comparable path.
    """
    docs = {d.name: d for a in alignments for d in (a.src, a.tgt)}
    entries = extract_terms(
        [d for d in docs.values() if d.lang == "zh"],
        [d for d in docs.values() if d.lang == "en"],
        encoder=encoder,
        alignments=alignments,
        doc_ids=doc_ids,
    )
    return len(entries), merge_entries(store, entries, corpus_id=corpus_id)


def _record(article: Article, doc_id: str) -> DocumentRecord:
    return DocumentRecord(
        id=doc_id,
        lang=article.lang,
        title=article.title,
        source=article.source,
        date=article.date,
    )


def pair_records(alignment: Alignment, *, doc_zh: str, doc_en: str) -> list[PairRecord]:
    """The alignment's pairs, Chinese side first whichever side was the source, as stored."""
    zh_first = alignment.src.lang == "zh"
    out = []
    for bead in alignment.pairs():
        src_text, tgt_text = alignment.bead_text(bead)
        zh_ids, en_ids = (bead.src, bead.tgt) if zh_first else (bead.tgt, bead.src)
        zh_text, en_text = (src_text, tgt_text) if zh_first else (tgt_text, src_text)
        out.append(PairRecord(doc_zh, doc_en, zh_ids, en_ids, zh_text, en_text, bead.score))
    return out
