"""Building the glossary from a corpus: align, extract, merge into the store.

Every stage writes through the store's own transactions, so a crash loses only the stage in
progress, and a rebuild of the same corpus changes nothing a person decided.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from align.document import load_document
from align.encoders import Encoder
from align.pipeline import align_documents
from align.tokenize import add_user_terms
from align.types import Alignment

from .corpus import Article, read_manifest
from .extract import extract_terms
from .importing import SEED_TERMS_PATH, load_seed_terms
from .store import Store, merge_entries, record_documents, record_pairs
from .views import DocumentRecord, MergeReport, PairRecord

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
            pairs += record_pairs(store, _pairs(alignment, z.id, e.id), corpus_id=corpus)
    progress("extracting terms")
    entries = extract_terms(
        [docs[a.id] for a in zh],
        [docs[a.id] for a in en],
        encoder=encoder,
        alignments=alignments,
        user_terms=user_terms,
        doc_ids={docs[a.id].name: a.id for a in articles},
    )
    progress(f"merging {len(entries)} terms")
    report = merge_entries(store, entries, corpus_id=corpus)
    return BuildReport(articles=len(articles), pairs=pairs, terms=len(entries), merge=report)


def _record(article: Article) -> DocumentRecord:
    return DocumentRecord(
        id=article.id,
        lang=article.lang,
        title=article.title,
        source=article.source,
        date=article.date,
    )


def _pairs(alignment: Alignment, zh_id: str, en_id: str) -> list[PairRecord]:
    zh_first = alignment.src.lang == "zh"
    out = []
    for bead in alignment.pairs():
        src_text, tgt_text = alignment.bead_text(bead)
        zh_ids, en_ids = (bead.src, bead.tgt) if zh_first else (bead.tgt, bead.src)
        zh_text, en_text = (src_text, tgt_text) if zh_first else (tgt_text, src_text)
        out.append(PairRecord(zh_id, en_id, zh_ids, en_ids, zh_text, en_text, bead.score))
    return out


def _seed_zh(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig") as handle:
        return sorted({row["zh"].strip() for row in csv.DictReader(handle) if row.get("zh")})
