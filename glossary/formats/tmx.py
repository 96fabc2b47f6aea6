"""The stored aligned pairs as TMX 1.4b, written by ``align.writers.tmx_document``.

Chinese is the source. Each unit's ``tuid`` names both documents and sentence ids, so two
English sentences stored for one Chinese sentence (two articles reporting one fact) stay
two told-apart units; each side names its document (``x-document``) and, where the
manifest gave them, its title and date; ``creationdate`` is the later article's date.
Each Chinese segment is tagged ``zh-Hans``/``zh-Hant`` by its own script, as the TBX export
tags each term (a store may hold a simplified corpus and a traditional one), unless the run
names a tag; the header's ``srclang`` is the tag most segments have, and a unit tagged
otherwise names its own. Text is written as ``glossary.formats.text.export_text`` gives it
(control characters removed, as in every export).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from align.langtags import EN_TAG, zh_tag
from align.writers import TmxUnit, tmx_document
from glossary.formats.text import export_text
from glossary.store.views import DocumentRecord, PairView


def to_tmx(pairs: Sequence[PairView], *, zh_lang: str | None = None) -> str:
    """One translation unit per stored pair, with its score and provenance."""
    codes = [zh_tag(p.pair.zh_text, zh_lang) for p in pairs]
    units = [
        TmxUnit(
            tuid=f"{p.pair.doc_zh}:{_ids(p.pair.zh_ids)}/{p.pair.doc_en}:{_ids(p.pair.en_ids)}",
            src_text=export_text(p.pair.zh_text),
            tgt_text=export_text(p.pair.en_text),
            score=p.pair.score,
            creationdate=_creation(p.zh_doc, p.en_doc),
            src_props=_props(p.pair.doc_zh, p.zh_doc),
            tgt_props=_props(p.pair.doc_en, p.en_doc),
            src_code=code,
        )
        for p, code in zip(pairs, codes, strict=True)
    ]
    header = Counter(codes).most_common(1)[0][0] if codes else zh_tag("", zh_lang)
    return tmx_document(units, src_code=header, tgt_code=EN_TAG)


def _ids(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))


def _props(doc_id: str, doc: DocumentRecord | None) -> tuple[tuple[str, str], ...]:
    props = [("x-document", doc_id)]
    if doc is not None and doc.title:
        props.append(("x-title", doc.title))
    if doc is not None and doc.date:
        props.append(("x-date", doc.date))
    return tuple((kind, export_text(value)) for kind, value in props)


def _creation(*docs: DocumentRecord | None) -> str | None:
    """The later article date in TMX form (``YYYYMMDDThhmmssZ``); none if none parses."""
    dates = []
    for doc in docs:
        if doc is None or not doc.date:
            continue
        try:
            dates.append(date.fromisoformat(doc.date.strip()[:10]))
        except ValueError:
            continue
    return max(dates).strftime("%Y%m%dT000000Z") if dates else None
