"""The glossary as TBX, in the two dialects CAT tools read.

- ``to_tbx``: TBX-Basic 2008 (ISO 30042:2008, root ``martif``), what OmegaT, translate-toolkit,
  MultiTerm and memoQ import.
- ``to_tbx3``: TBX-Basic in TBX v3 (ISO 30042:2019, DCA style, root ``tbx``), for tools
  that have moved on.

Both carry the same content in the same places: one concept entry per term; a term's note
on the concept; its definition in the language section of the language it is written in;
each equivalent with its status, one example sentence, its notes, and who reviewed it
when as a ``transacGrp``. The dialect's administrativeStatus picklist has preferred,
admitted, deprecated and superseded; "proposed" (not yet reviewed) has no TBX value, so it
gets no status and a note saying so; "rejected" renderings are mistakes rather than terms
of the concept, so they are not exported (superseded means "formerly valid", which they
never were). Chinese is tagged ``zh-Hans``/``zh-Hant`` by each term's script unless the run
names a tag. Text is written as ``glossary.formats.text.export_text`` gives it (control
characters removed, as in every export).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from align.langtags import EN_TAG, XML_LANG, check_zh_tag, zh_tag
from glossary.formats.text import export_text
from glossary.store.views import EquivalentView, TermView
from glossary.types import Status

TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
TBX_STATUS: dict[Status, str] = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
UNREVIEWED = "proposed: not yet reviewed"
TITLE = "duiqi policy-term glossary"
_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"\p{Latin}")


@dataclass(frozen=True)
class _Names:
    """The element names of one dialect (the content model is the same)."""

    header: str
    entry: str
    lang: str
    term: str


_TBX2008 = _Names(header="martifHeader", entry="termEntry", lang="langSet", term="tig")
_TBX3 = _Names(header="tbxHeader", entry="conceptEntry", lang="langSec", term="termSec")


def to_tbx(terms: Iterable[TermView], *, zh_lang: str | None = None, title: str = TITLE) -> str:
    """TBX-Basic 2008: ``martif``, its header naming the TBX-Basic XCS."""
    root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: EN_TAG})
    header = ET.SubElement(root, _TBX2008.header)
    _file_desc(header, title)
    encoding = ET.SubElement(header, "encodingDesc")
    ET.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    return _document(root, terms, _TBX2008, zh_lang)


def to_tbx3(terms: Iterable[TermView], *, zh_lang: str | None = None, title: str = TITLE) -> str:
    """TBX-Basic in TBX v3 (ISO 30042:2019), DCA style."""
    root = ET.Element(
        "tbx",
        {"type": "TBX-Basic", "style": "dca", XML_LANG: EN_TAG, "xmlns": TBX3_NAMESPACE},
    )
    _file_desc(ET.SubElement(root, _TBX3.header), title)
    return _document(root, terms, _TBX3, zh_lang)


def _file_desc(header: ET.Element, title: str) -> None:
    source = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(source, "p").text = _xml(title)


def _document(
    root: ET.Element, terms: Iterable[TermView], names: _Names, zh_lang: str | None
) -> str:
    if zh_lang is not None:
        check_zh_tag(zh_lang)
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for term in terms:
        _entry(body, term, names, zh_lang)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _entry(body: ET.Element, term: TermView, names: _Names, zh_lang: str | None) -> None:
    # Content model (both dialects): entry = auxInfo*, lang+; lang = auxInfo*, term+;
    # term = term, termNote*, auxInfo*.
    entry = ET.SubElement(body, names.entry, id=f"c{term.id}")
    kept = [eq for eq in term.equivalents if eq.status != "rejected"]
    definition_lang = _language_of(term.definition)
    if term.definition and definition_lang == "en" and not kept:
        # No English section to hold it: the concept carries it, tagged with its language.
        ET.SubElement(entry, "descrip", {"type": "definition", XML_LANG: EN_TAG}).text = _xml(
            term.definition
        )
    if term.note:
        ET.SubElement(entry, "note").text = _xml(term.note)
    zh = ET.SubElement(entry, names.lang, {XML_LANG: zh_tag(term.zh, zh_lang)})
    if term.definition and definition_lang == "zh":
        ET.SubElement(zh, "descrip", type="definition").text = _xml(term.definition)
    ET.SubElement(ET.SubElement(zh, names.term), "term").text = _xml(term.zh)
    if kept:
        en = ET.SubElement(entry, names.lang, {XML_LANG: EN_TAG})
        if term.definition and definition_lang == "en":
            ET.SubElement(en, "descrip", type="definition").text = _xml(term.definition)
        for eq in kept:
            _equivalent(ET.SubElement(en, names.term), eq)


def _language_of(text: str) -> str:
    """``zh`` or ``en`` by which script has more letters: an English definition may quote
    the Chinese it explains (一生 = 高校毕业生 (college graduates); …) and is still English."""
    return "zh" if len(_HAN.findall(text)) > len(_LATIN.findall(text)) else "en"


def _equivalent(sec: ET.Element, eq: EquivalentView) -> None:
    ET.SubElement(sec, "term").text = _xml(eq.en)
    if eq.status in TBX_STATUS:
        ET.SubElement(sec, "termNote", type="administrativeStatus").text = TBX_STATUS[eq.status]
    if eq.examples:
        ET.SubElement(sec, "descrip", type="context").text = _xml(eq.examples[0].en_text)
    if eq.reviewed_by or eq.reviewed_at:
        group = ET.SubElement(sec, "transacGrp")
        ET.SubElement(group, "transac", type="transactionType").text = "modification"
        if eq.reviewed_by:
            ET.SubElement(group, "transacNote", type="responsibility").text = _xml(eq.reviewed_by)
        if eq.reviewed_at:
            ET.SubElement(group, "date").text = eq.reviewed_at.date().isoformat()
    notes = [] if eq.status in TBX_STATUS else [UNREVIEWED]
    if eq.note:
        notes.append(eq.note)
    for note in notes:
        ET.SubElement(sec, "note").text = _xml(note)


def _xml(text: str) -> str:
    return export_text(text)  # one stray control character would spoil the whole file
