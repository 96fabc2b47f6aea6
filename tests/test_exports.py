from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.errors import InvalidField
from glossary.formats.exports import CSV_HEADER, export, to_csv, to_omegat_tsv, to_tbx, to_tmx
from glossary.formats.importing import load_seed_terms
from glossary.store.concordance import list_pairs
from glossary.store.editing import review
from glossary.store.engine import Store, open_store
from glossary.store.lookups import list_terms
from glossary.store.merging import merge_entries
from glossary.store.recording import record_pairs
from glossary.store.views import PairRecord, TermView
from tests.store_helpers import entry

TBX = "{urn:iso:std:iso:30042:ed-2}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    load_seed_terms(opened)
    merge_entries(opened, [entry()], corpus_id="seeds")
    review(opened, zh="稳岗", en="post-retention", status="rejected", reviewer="ana",
           note='said "post-retention",\nnot a term')
    yield opened
    opened.close()


@pytest.fixture
def terms(store: Store) -> list[TermView]:
    return list_terms(store, examples=1)


def test_csv_has_bom_header_and_intact_chinese(terms: list[TermView]) -> None:
    data = to_csv(terms)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == CSV_HEADER
    assert len(rows) - 1 == sum(len(t.equivalents) for t in terms)
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    stab = by_key[("稳岗", "stabilize jobs")]
    assert stab[2:5] == ["preferred", "2", "0.9000"]
    assert stab[6] == "000;002;004"
    assert by_key[("稳岗", "post-retention")][5] == 'said "post-retention",\nnot a term'
    assert "一生一困" in {r[0] for r in rows[1:]}
    assert b"\r\n" in data


def test_tsv_has_no_header_no_rejected_and_clean_fields(terms: list[TermView]) -> None:
    text = to_omegat_tsv(terms)
    lines = text.splitlines()
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert lines[0].split("\t")[0] != "source"
    assert not any("post-retention" in line.split("\t")[1] for line in lines)
    lifetime = next(line for line in lines if "a lifetime of poverty" in line)
    assert lifetime.split("\t")[2].startswith("deprecated, do not use")


def test_tbx_parses_with_one_concept_per_term(terms: list[TermView]) -> None:
    root = ET.fromstring(to_tbx(terms).encode("utf-8"))
    assert root.tag == f"{TBX}tbx"
    assert (root.get("type"), root.get("style"), root.get(XML_LANG)) == ("TBX-Basic", "dca", "en")
    assert root.find(f"{TBX}tbxHeader/{TBX}fileDesc/{TBX}sourceDesc/{TBX}p") is not None
    concepts = root.findall(f"{TBX}text/{TBX}body/{TBX}conceptEntry")
    assert len(concepts) == len(terms)
    assert len({c.get("id") for c in concepts}) == len(terms)
    statuses = {
        note.text
        for note in root.iter(f"{TBX}termNote")
        if note.get("type") == "administrativeStatus"
    }
    assert statuses == {
        "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts",
    }
    concept = next(
        c for c in concepts
        if c.findtext(f"{TBX}langSec/{TBX}termSec/{TBX}term") == "一生一困"
    )
    langs = [sec.get(XML_LANG) for sec in concept.findall(f"{TBX}langSec")]
    assert langs == ["zh", "en"]
    assert "college graduates" in (concept.findtext(f"{TBX}langSec/{TBX}descrip") or "")
    en_terms = [t.text for t in concept.iter(f"{TBX}term")][1:]
    assert en_terms[0] == "college graduates and people in difficulty"


def test_tbx_leaves_out_rejected_and_gives_context(terms: list[TermView]) -> None:
    root = ET.fromstring(to_tbx(terms))
    sections = {sec.findtext(f"{TBX}term"): sec for sec in root.iter(f"{TBX}termSec")}
    assert "post-retention" not in sections
    # The seed's preferred "stabilize jobs" also gained the extracted examples.
    stabilize = sections["stabilize jobs"]
    assert stabilize.findtext(f"{TBX}termNote") == "preferredTerm-admn-sts"
    assert stabilize.findtext(f"{TBX}descrip[@type='context']") == "They stabilize jobs."


def test_tbx_strips_characters_xml_cannot_carry() -> None:
    view = TermView(id=1, zh="稳\x00岗", note="", definition="a\x0bb", termhood=0.0,
                    equivalents=())
    root = ET.fromstring(to_tbx([view]))
    assert root.findtext(f".//{TBX}term") == "稳岗"


def test_proposed_term_has_no_status_and_a_note(tmp_path: Path) -> None:
    opened = open_store(path=tmp_path / "p.db", create=True)
    try:
        merge_entries(opened, [entry("渝创渝新")], corpus_id="seeds")
        root = ET.fromstring(to_tbx(list_terms(opened, examples=1)))
    finally:
        opened.close()
    [sec] = [s for s in root.iter(f"{TBX}termSec") if s.findtext(f"{TBX}term") == "stabilize jobs"]
    assert sec.find(f"{TBX}termNote") is None
    assert sec.findtext(f"{TBX}note") == "proposed: not yet reviewed"


def test_tmx_of_stored_pairs(store: Store) -> None:
    record_pairs(
        store,
        [PairRecord("004", "000", (3,), (4,), "落实减负稳岗政策。", "Stabilized jobs.", 0.8123456)],
        corpus_id="seeds",
    )
    root = ET.fromstring(to_tmx(list_pairs(store)))
    assert root.get("version") == "1.4"
    [unit] = root.findall("body/tu")
    segs = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in unit.findall("tuv")}
    assert segs == {"zh-CN": "落实减负稳岗政策。", "en": "Stabilized jobs."}
    assert unit.findtext("prop[@type='x-score']") == "0.8123"


def test_export_dispatch(store: Store) -> None:
    assert export(store, "csv").startswith(b"\xef\xbb\xbf")
    assert export(store, "tbx").startswith(b"<?xml")
    assert export(store, "tmx").startswith(b"<?xml")
    with pytest.raises(InvalidField, match="use one of: csv, tsv, tbx, tmx"):
        export(store, "xlsx")
