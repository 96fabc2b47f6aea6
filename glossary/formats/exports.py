"""Glossary files for spreadsheets and CAT tools: pure functions from views to text.

- CSV: UTF-8 with a BOM (Excel reads BOM-less UTF-8 as the ANSI code page and garbles
  the Chinese), RFC 4180 quoting and CRLF line ends, one row per equivalent. It reads back
  with ``glossary.formats.importing``.
- OmegaT TSV: ``source<TAB>target<TAB>comment``, no header. Rejected equivalents are left
  out (OmegaT would offer them for insertion); deprecated ones stay, their comment says
  not to use them.
- TBX-Basic (ISO 30042:2019, TBX v3, DCA style). The dialect's administrativeStatus
  picklist has four values: preferred, admitted, deprecated and superseded. Our statuses
  map onto the first three; "proposed" (not yet reviewed) has no TBX value, so it gets no
  administrativeStatus and a ``<note>`` saying it is unreviewed; "rejected" renderings are
  mistakes rather than terms of the concept, so they are not exported (superseded means
  "formerly valid", which they never were).
- TMX 1.4b of the stored aligned pairs, written by ``align.writers.to_tmx`` so that the
  project has one TMX writer.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence

import regex

from align import writers
from align.types import Alignment, Bead, Document, Sentence, Signature
from glossary.errors import InvalidField
from glossary.store.concordance import list_pairs
from glossary.store.engine import Store
from glossary.store.lookups import list_terms
from glossary.store.views import EquivalentView, PairView, TermView
from glossary.types import Status

CSV_HEADER = ("zh", "en", "status", "frequency", "confidence", "note", "sources")
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
TBX_STATUS: dict[Status, str] = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# XML 1.0 cannot carry these at all; one stray control character would spoil the file.
_NOT_XML = regex.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TSV_BREAK = regex.compile(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_DIGITS = 4


def to_csv(terms: Iterable[TermView]) -> bytes:
    """One row per equivalent; ``sources`` is the attesting document ids joined by ';'."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for term in terms:
        for eq in term.equivalents:
            writer.writerow(
                (
                    term.zh,
                    eq.en,
                    eq.status,
                    eq.frequency,
                    f"{eq.confidence:.{_DIGITS}f}",
                    eq.note,
                    ";".join(eq.sources),
                )
            )
    return buffer.getvalue().encode("utf-8-sig")


def to_omegat_tsv(terms: Iterable[TermView]) -> str:
    """An OmegaT glossary: source, target, comment; no header."""
    lines = []
    for term in terms:
        for eq in term.equivalents:
            if eq.status == "rejected":
                continue
            cells = (term.zh, eq.en, _comment(eq))
            lines.append("\t".join(_TSV_BREAK.sub(" ", cell).strip() for cell in cells))
    return "".join(line + "\n" for line in lines)


def _comment(eq: EquivalentView) -> str:
    status = "deprecated, do not use" if eq.status == "deprecated" else eq.status
    parts = [status, f"frequency {eq.frequency}"]
    if eq.note:
        parts.append(eq.note)
    return "; ".join(parts)


def to_tbx(terms: Iterable[TermView], *, title: str = "duiqi policy-term glossary") -> str:
    """A TBX-Basic document with one ``conceptEntry`` per term."""
    root = ET.Element(
        "tbx",
        {"type": "TBX-Basic", "style": "dca", _XML_LANG: "en", "xmlns": TBX_NAMESPACE},
    )
    source_desc = ET.SubElement(
        ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc"), "sourceDesc"
    )
    ET.SubElement(source_desc, "p").text = _xml(title)
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for term in terms:
        entry = ET.SubElement(body, "conceptEntry", id=f"c{term.id}")
        zh = ET.SubElement(entry, "langSec", {_XML_LANG: "zh"})
        if term.definition:
            ET.SubElement(zh, "descrip", type="definition").text = _xml(term.definition)
        if term.note:
            ET.SubElement(zh, "note").text = _xml(term.note)
        ET.SubElement(ET.SubElement(zh, "termSec"), "term").text = _xml(term.zh)
        kept = [eq for eq in term.equivalents if eq.status != "rejected"]
        if kept:
            en = ET.SubElement(entry, "langSec", {_XML_LANG: "en"})
            for eq in kept:
                _term_sec(en, eq)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _term_sec(parent: ET.Element, eq: EquivalentView) -> None:
    # Order inside termSec follows the TBX core: term, termNote, then descrip and note.
    sec = ET.SubElement(parent, "termSec")
    ET.SubElement(sec, "term").text = _xml(eq.en)
    if eq.status in TBX_STATUS:
        ET.SubElement(sec, "termNote", type="administrativeStatus").text = TBX_STATUS[eq.status]
    if eq.examples:
        ET.SubElement(sec, "descrip", type="context").text = _xml(eq.examples[0].en_text)
    notes = [] if eq.status in TBX_STATUS else ["proposed: not yet reviewed"]
    if eq.note:
        notes.append(eq.note)
    for note in notes:
        ET.SubElement(sec, "note").text = _xml(note)


def to_tmx(pairs: Sequence[PairView]) -> str:
    """TMX 1.4b, Chinese as source, one translation unit per stored pair with its score."""
    zh = Document(
        text="",
        lang="zh",
        name="glossary",
        sentences=tuple(Sentence(p.pair.zh_text, 0, 0) for p in pairs),
    )
    en = Document(
        text="",
        lang="en",
        name="glossary",
        sentences=tuple(Sentence(p.pair.en_text, 0, 0) for p in pairs),
    )
    beads = tuple(Bead((i,), (i,), p.pair.score) for i, p in enumerate(pairs))
    alignment = Alignment(zh, en, beads, Signature(mode="parallel", model="stored pairs"))
    return writers.to_tmx(alignment)


def _xml(text: str) -> str:
    return str(_NOT_XML.sub("", text))


FORMATS = ("csv", "tsv", "tbx", "tmx")
_GLOSSARY_WRITERS: dict[str, Callable[[list[TermView]], bytes]] = {
    "csv": to_csv,
    "tsv": lambda terms: to_omegat_tsv(terms).encode("utf-8"),
    "tbx": lambda terms: to_tbx(terms).encode("utf-8"),
}


def export(store: Store, fmt: str) -> bytes:
    """The whole glossary (or, for ``tmx``, its aligned pairs) in one format, as bytes."""
    if fmt == "tmx":
        return to_tmx(list_pairs(store)).encode("utf-8")
    if fmt not in _GLOSSARY_WRITERS:
        raise InvalidField(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return _GLOSSARY_WRITERS[fmt](list_terms(store, examples=1))
