"""Reading a TBX glossary from another tool: TBX-Basic 2008 (``martif``) or TBX v3.

A terminologist arrives with an existing termbase. Each concept entry gives its Chinese
term(s) and English term(s); every Chinese × English pair becomes a decided row, with the
English term's administrativeStatus as its status (superseded → deprecated; none →
proposed), its notes as the note, and the concept's definition. Our own exports read back
to the same rows (the "not yet reviewed" note is ours and is dropped). Problems are
collected and reported at once, as for a CSV; nothing is imported from a faulty file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from align.langtags import XML_LANG
from glossary.errors import ImportFormatError
from glossary.formats.tbx import TBX_STATUS, UNREVIEWED
from glossary.store.models import MAX_EN_CHARS, MAX_ZH_CHARS
from glossary.store.reviewing import ReviewedRow
from glossary.store.validation import clean_text
from glossary.types import Status

_STATUS: dict[str, Status] = {value: status for status, value in TBX_STATUS.items()}
_STATUS["supersededTerm-admn-sts"] = "deprecated"
_ENTRIES = ("termEntry", "conceptEntry")
_LANGS = ("langSet", "langSec")
_TERMS = ("tig", "ntig", "termSec")


def parse_tbx(data: bytes, *, source: str) -> list[ReviewedRow]:
    """The Chinese–English rows of a TBX file, or ``ImportFormatError`` listing problems."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ImportFormatError(source, [f"not well-formed XML ({error})"]) from error
    if _local(root.tag) not in ("martif", "tbx"):
        raise ImportFormatError(
            source,
            [
                f"root element is <{_local(root.tag)}>; a TBX file starts with "
                "<martif> (TBX 2008) or <tbx> (TBX v3)"
            ],
        )
    rows: list[ReviewedRow] = []
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for number, entry in enumerate(_children(root, _ENTRIES, deep=True), start=1):
        where = f"entry {number}" + (f" ({entry.get('id')})" if entry.get("id") else "")
        zh_terms, en_terms, definition = _entry(entry)
        if not zh_terms or not en_terms:
            continue  # a monolingual entry: nothing to pair
        for zh in zh_terms:
            for en, status, note in en_terms:
                problem = _check(zh, en)
                if problem:
                    problems.append(f"{where}: {problem}")
                elif (zh, en) not in seen:
                    seen.add((zh, en))
                    rows.append(
                        ReviewedRow(zh=zh, en=en, status=status, note=note, definition=definition)
                    )
    if problems:
        raise ImportFormatError(source, problems)
    return rows


def _entry(entry: ET.Element) -> tuple[list[str], list[tuple[str, Status, str]], str | None]:
    zh_terms: list[str] = []
    en_terms: list[tuple[str, Status, str]] = []
    definitions = [_text(d) for d in _definitions(entry)]
    for section in _children(entry, _LANGS):
        lang = (section.get(XML_LANG) or section.get("lang") or "").lower()
        definitions += [_text(d) for d in _definitions(section)]
        for term_sec in _children(section, _TERMS):
            term = next((t for t in term_sec.iter() if _local(t.tag) == "term"), None)
            text = clean_text(_text(term)) if term is not None else ""
            if not text:
                continue
            if lang.startswith("zh"):
                zh_terms.append(text)
            elif lang.startswith("en"):
                en_terms.append((text, _status(term_sec), _notes(term_sec)))
    definition = next((d for d in definitions if d), None)
    return zh_terms, en_terms, definition


def _status(term_sec: ET.Element) -> Status:
    for note in term_sec.iter():
        if _local(note.tag) == "termNote" and note.get("type") == "administrativeStatus":
            return _STATUS.get(_text(note), "proposed")
    return "proposed"


def _notes(term_sec: ET.Element) -> str:
    notes = [_text(n) for n in term_sec.iter() if _local(n.tag) == "note"]
    return "; ".join(n for n in notes if n and n != UNREVIEWED)


def _definitions(parent: ET.Element) -> list[ET.Element]:
    found = []
    for child in parent:
        if _local(child.tag) == "descrip" and child.get("type") == "definition":
            found.append(child)
        elif _local(child.tag) == "descripGrp":
            found += [
                d for d in child if _local(d.tag) == "descrip" and d.get("type") == "definition"
            ]
    return found


def _check(zh: str, en: str) -> str | None:
    if len(zh) > MAX_ZH_CHARS:
        return f"Chinese term has {len(zh)} characters (limit {MAX_ZH_CHARS})"
    if len(en) > MAX_EN_CHARS:
        return f"English term {en[:40]!r}… has {len(en)} characters (limit {MAX_EN_CHARS})"
    return None


def _children(
    parent: ET.Element, names: tuple[str, ...], *, deep: bool = False
) -> list[ET.Element]:
    nodes = parent.iter() if deep else iter(parent)
    return [node for node in nodes if _local(node.tag) in names]


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]
