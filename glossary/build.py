"""Building the glossary from a corpus: align, extract, merge into the store.

Every stage writes through the store's own transactions, so a crash loses only the stage in
progress, and a rebuild of the same corpus changes nothing a person decided.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from align.document import load_document
from align.encoders import Encoder
from align.pipeline import align_documents
from align.tokenize import add_user_terms
from align.types import Alignment
from glossary.corpus import Article, read_manifest
from glossary.extraction.extract import extract_terms
from glossary.formats.importing import SEED_TERMS_PATH, load_seed_terms
from glossary.store.engine import Store
from glossary.store.merging import merge_entries
from glossary.store.recording import record_documents, record_pairs
from glossary.store.views import DocumentRecord, MergeReport, PairRecord

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    articles: int
    pairs: int
    terms: int
    merge: MergeReport


def build_glossary(
    store: Store,
    folder: Path,
    *,
    encoder: Encoder,
    corpus_id: str | None = None,
    seed_terms: Path | None = SEED_TERMS_PATH,
    progress: Progress = lambda _: None,
) -> BuildReport:
    articles = read_manifest(folder)
    corpus = corpus_id or folder.resolve().name
    user_terms = _seed_zh(seed_terms) if seed_terms else []
    add_user_terms(user_terms)
    if seed_terms:
        load_seed_terms(store, seed_terms)
    record_documents(store, [_record(a) for a in articles])
    docs = {a.id: load_document(a.path, lang=a.lang) for a in articles}
    zh = [a for a in articles if a.lang == "zh"]
    en = [a for a in articles if a.lang == "en"]
    alignments: list[Alignment] = []
    pairs = 0
    for z in zh:
        for e in en:
            progress(f"aligning {z.id} with {e.id}")
            alignment = align_documents(docs[z.id], docs[e.id], mode="auto", encoder=encoder)
            alignments.append(alignment)
            pairs += record_alignment(store, alignment, doc_zh=z.id, doc_en=e.id, corpus_id=corpus)
    progress("extracting terms")
    terms, report = merge_terms(
        store,
        alignments,
        encoder=encoder,
        doc_ids={docs[a.id].name: a.id for a in articles},
        corpus_id=corpus,
        user_terms=user_terms,
    )
    return BuildReport(articles=len(articles), pairs=pairs, terms=terms, merge=report)


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
    user_terms: Iterable[str] = (),
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
        user_terms=user_terms,
        doc_ids=doc_ids,
    )
    return len(entries), merge_entries(store, entries, corpus_id=corpus_id)


def _record(article: Article) -> DocumentRecord:
    return DocumentRecord(
        id=article.id,
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


def _seed_zh(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig") as handle:
        return sorted({row["zh"].strip() for row in csv.DictReader(handle) if row.get("zh")})
