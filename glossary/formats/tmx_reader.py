"""Reading a translation memory (TMX, any version) into the store's aligned pairs.

A terminologist arrives with an existing memory: its Chinese–English units become
concordance examples beside the aligned articles. The file becomes one document per
language (``<name>-zh``, ``<name>-en``, the name with a digest of the file's location) and
each unit one pair, numbered in file order, so importing the same file again updates it
instead of doubling it, and a file of the same name elsewhere is another memory. Inline
markup that holds the source format's codes (``bpt``, ``ept``, ``ph``, ``it``, ``ut``) is
dropped; the text of ``hi`` and ``sub`` is kept. Our own ``x-score`` is kept; a unit
without one is a person's translation and scores 1.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import regex

from align.langtags import XML_LANG
from glossary.corpus import default_corpus_id
from glossary.errors import ImportFormatError
from glossary.store.engine import Store
from glossary.store.recording import record_documents, record_pairs
from glossary.store.views import DocumentRecord, PairRecord

_CODES = {"bpt", "ept", "ph", "it", "ut"}
_UNSAFE_ID = regex.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class MemoryReport:
    """What one TMX import stored."""

    units: int
    pairs_added: int
    skipped: int
    corpus_id: str


def parse_tmx(data: bytes, *, source: str) -> tuple[list[tuple[str, str, float]], int]:
    """The (Chinese, English, score) units of a TMX file, and how many had no zh–en pair."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ImportFormatError(source, [f"not well-formed XML ({error})"]) from error
    if root.tag != "tmx" or root.find("body") is None:
        raise ImportFormatError(
            source, [f"root element is <{root.tag}>; a TMX file is <tmx> with a <body>"]
        )
    units: list[tuple[str, str, float]] = []
    skipped = 0
    problems: list[str] = []
    for number, tu in enumerate(root.iter("tu"), start=1):
        sides: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower()[:2]
            seg = tuv.find("seg")
            if lang in ("zh", "en") and seg is not None and lang not in sides:
                sides[lang] = _text(seg).strip()
        if not sides.get("zh") or not sides.get("en"):
            skipped += 1
            continue
        score = 1.0
        for prop in tu.findall("prop"):
            if prop.get("type") == "x-score":
                try:
                    score = float(prop.text or "")
                except ValueError:
                    problems.append(f"unit {number}: x-score {prop.text!r} is not a number")
                if not 0.0 <= score <= 1.0:
                    problems.append(f"unit {number}: x-score {score} is outside [0, 1]")
        units.append((sides["zh"], sides["en"], score))
    if problems:
        raise ImportFormatError(source, problems)
    return units, skipped


def import_tmx(
    store: Store, data: bytes, *, source: str, location: Path | None = None
) -> MemoryReport:
    """Store the zh–en units of a TMX file as aligned pairs of one document pair.

    ``location`` is the file's path where it has one (not standard input): the documents
    and the corpus are named from it as a corpus folder's are, so a second ``memory.tmx``
    from another folder is a memory of its own instead of overwriting the first one's pairs.
    """
    units, skipped = parse_tmx(data, source=source)
    if location is not None:
        name = default_corpus_id(location)
    else:
        name = _UNSAFE_ID.sub("_", Path(source).stem)[:60] or "memory"
    doc_zh, doc_en = f"{name}-zh", f"{name}-en"
    corpus = f"tmx:{name}"
    record_documents(
        store,
        [
            DocumentRecord(doc_zh, "zh", title=Path(source).name, source="TMX import"),
            DocumentRecord(doc_en, "en", title=Path(source).name, source="TMX import"),
        ],
    )
    added = record_pairs(
        store,
        [
            PairRecord(doc_zh, doc_en, (i,), (i,), zh, en, score)
            for i, (zh, en, score) in enumerate(units)
        ],
        corpus_id=corpus,
    )
    return MemoryReport(units=len(units), pairs_added=added, skipped=skipped, corpus_id=corpus)


def _text(element: ET.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag not in _CODES:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
