"""Serialising an alignment for the people and tools downstream.

Each writer is a pure function ``Alignment -> str``; the caller decides where the text goes
(a file, an HTTP response) and writes it as UTF-8.

- ``jsonl``: one object per bead, for scripts.
- ``tsv``: one row per bead with a header, for spreadsheets.
- ``align``: the Vecalign/Bertalign bead format, for scoring against gold.
- ``tmx``: TMX 1.4b, for CAT tools (Trados, memoQ, OmegaT, Phrase). Only beads with
  both sides become translation units: a TM entry without a translation is noise there.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from align.errors import InputError
from align.gold import format_bead
from align.langtags import EN_TAG, XML_LANG, zh_tag
from align.types import Alignment, Bead, Document

_SCORE_DIGITS = 4  # more digits suggest a precision the calibration does not have
# Characters XML 1.0 cannot carry at all, not even as references (a stray control
# character from a PDF copy would otherwise make the whole TMX unreadable).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TSV_BREAK = re.compile(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")
_TSV_HEADER = ("src_ids", "tgt_ids", "score", "src_text", "tgt_text")


def to_jsonl(alignment: Alignment) -> str:
    """One JSON object per bead, omissions included, Chinese left readable."""
    lines = []
    for bead in alignment.beads:
        src_text, tgt_text = alignment.bead_text(bead)
        record = {
            "src": list(bead.src),
            "tgt": list(bead.tgt),
            "src_text": src_text,
            "tgt_text": tgt_text,
            "score": _score(bead),
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(lines)


def to_tsv(alignment: Alignment) -> str:
    """A header row, then one row per bead; ids comma-separated, an omitted side empty.

    Tabs and line breaks inside a sentence become one space, since a spreadsheet
    would read them as new cells or rows.
    """
    rows = ["\t".join(_TSV_HEADER)]
    for bead in alignment.beads:
        src_text, tgt_text = alignment.bead_text(bead)
        rows.append(
            "\t".join(
                (
                    ",".join(map(str, bead.src)),
                    ",".join(map(str, bead.tgt)),
                    f"{_score(bead):.{_SCORE_DIGITS}f}",
                    _TSV_BREAK.sub(" ", src_text),
                    _TSV_BREAK.sub(" ", tgt_text),
                )
            )
        )
    return "\n".join(rows) + "\n"


def to_align(alignment: Alignment) -> str:
    """The gold bead format, one bead a line, readable by ``align.gold.parse_beads``."""
    return "".join(format_bead(bead.src, bead.tgt) + "\n" for bead in alignment.beads)


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit: its id, both sides, its score and where it came from.

    ``props`` are ``(type, value)`` pairs written as ``<prop>`` on the unit; ``src_props`` and
    ``tgt_props`` go on each side's ``<tuv>`` (the source document of that side, say).
    ``creationdate`` is in TMX's ``YYYYMMDDThhmmssZ`` form. ``src_code`` is this unit's
    source language where it may differ from the document's (a store holding simplified and
    traditional articles); the unit then names it as its ``srclang``.
    """

    tuid: str
    src_text: str
    tgt_text: str
    score: float
    creationdate: str | None = None
    props: tuple[tuple[str, str], ...] = ()
    src_props: tuple[tuple[str, str], ...] = ()
    tgt_props: tuple[tuple[str, str], ...] = ()
    src_code: str | None = None


def lang_code(document: Document, zh_lang: str | None = None) -> str:
    """A document's TMX/TBX language: ``en``, or Chinese tagged by its script (or ``zh_lang``)."""
    if document.lang == "en":
        return EN_TAG
    return zh_tag(document.text or "".join(document.texts), zh_lang)


def to_tmx(alignment: Alignment, *, srclang: str | None = None, zh_lang: str | None = None) -> str:
    """A TMX 1.4b document with one ``<tu>`` per bead that has both sides.

    ``srclang`` defaults to the source document's language; it may be either document's
    code or ``*all*`` (the TMX value for "any side may serve as source"). Chinese is tagged
    ``zh-Hans``/``zh-Hant`` by its script unless ``zh_lang`` names a tag. Each unit's
    ``tuid`` is its sentence ids (``s0,1-t0``), unique within the file.
    """
    units = []
    for bead in alignment.pairs():
        src_text, tgt_text = alignment.bead_text(bead)
        tuid = f"s{','.join(map(str, bead.src))}-t{','.join(map(str, bead.tgt))}"
        units.append(TmxUnit(tuid, src_text, tgt_text, bead.score))
    return tmx_document(
        units,
        src_code=lang_code(alignment.src, zh_lang),
        tgt_code=lang_code(alignment.tgt, zh_lang),
        srclang=srclang,
    )


def tmx_document(
    units: Iterable[TmxUnit], *, src_code: str, tgt_code: str, srclang: str | None = None
) -> str:
    """The one TMX writer: every header attribute the 1.4b specification requires.

    The score goes in a ``<prop type="x-score">`` so a CAT tool or a later filter can drop
    weak pairs. A unit whose own ``src_code`` differs from the header's source language
    carries it as its ``srclang``, so its source ``<tuv>`` is still found by its tag.
    """
    allowed = (src_code, tgt_code, "*all*")
    header_lang = src_code if srclang is None else srclang
    if header_lang not in allowed:
        raise InputError(
            f"TMX srclang {header_lang!r} is not one of this alignment's languages; "
            f"use one of {', '.join(repr(code) for code in dict.fromkeys(allowed))}"
        )
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "duiqi",
            "creationtoolversion": _tool_version(),
            "datatype": "plaintext",
            "segtype": "sentence",
            "adminlang": "en",
            "srclang": header_lang,
            "o-tmf": "duiqi",
        },
    )
    body = ET.SubElement(root, "body")
    for unit in units:
        unit_src = unit.src_code or src_code
        attributes = {"tuid": unit.tuid}
        if unit_src != src_code and header_lang == src_code:
            attributes["srclang"] = unit_src
        if unit.creationdate:
            attributes["creationdate"] = unit.creationdate
        tu = ET.SubElement(body, "tu", attributes)
        # Inside <tu> and <tuv> the DTD puts every <prop> before the <tuv>s / the <seg>.
        ET.SubElement(tu, "prop", type="x-score").text = f"{unit.score:.{_SCORE_DIGITS}f}"
        for kind, value in unit.props:
            ET.SubElement(tu, "prop", type=kind).text = xml_text(value)
        sides = (
            (unit_src, unit.src_text, unit.src_props),
            (tgt_code, unit.tgt_text, unit.tgt_props),
        )
        for code, text, props in sides:
            variant = ET.SubElement(tu, "tuv", {XML_LANG: code})
            for kind, value in props:
                ET.SubElement(variant, "prop", type=kind).text = xml_text(value)
            ET.SubElement(variant, "seg").text = xml_text(text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


WRITERS: dict[str, Callable[[Alignment], str]] = {
    "jsonl": to_jsonl,
    "tsv": to_tsv,
    "tmx": to_tmx,
    "align": to_align,
}


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (TMX, TBX and XLSX are XML)."""
    return _NOT_XML.sub("", text)


def _score(bead: Bead) -> float:
    return round(bead.score, _SCORE_DIGITS)


def _tool_version() -> str:
    # Run from a source checkout the distribution is not installed; the TMX header
    # still needs a value, and "unknown" is honest.
    from importlib import metadata  # 80 ms of import: only a TMX needs it

    try:
        return metadata.version("duiqi")
    except metadata.PackageNotFoundError:
        return "unknown"
