from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from glossary.errors import InvalidField
from glossary.formats.exports import export, parse_statuses
from glossary.formats.omegat import to_omegat_tsv
from glossary.formats.spreadsheet import CSV_HEADER, read_xlsx, to_csv
from glossary.formats.tmx import to_tmx
from glossary.store.concordance import list_pairs
from glossary.store.engine import Store
from glossary.store.lookups import list_terms
from glossary.store.models import Equivalent
from glossary.store.recording import record_documents, record_pairs
from glossary.store.validation import CONTROL
from glossary.store.views import DocumentRecord, PairRecord, TermView
from tests.store_helpers import exported_store

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = exported_store(
        tmp_path / "glossary.sqlite3", rejection_note='said "post-retention",\nnot a term'
    )
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
    assert segs == {"zh-Hans": "落实减负稳岗政策。", "en": "Stabilized jobs."}
    assert unit.findtext("prop[@type='x-score']") == "0.8123"
    assert unit.get("tuid") == "004:3/000:4"


def test_glossary_tmx_tells_two_translations_of_one_sentence_apart(store: Store) -> None:
    record_documents(
        store,
        [
            DocumentRecord("004", "zh", title="就业报告", date="2023-01-15"),
            DocumentRecord("000", "en", title="Jobs report", date="2023-01-17"),
            DocumentRecord("002", "en", title="Jobs review", date="2023-02-01"),
        ],
    )
    record_pairs(
        store,
        [
            PairRecord("004", "000", (3,), (4,), "落实减负稳岗政策。", "Stabilized jobs.", 0.8),
            PairRecord("004", "002", (3,), (1,), "落实减负稳岗政策。", "Jobs were kept.", 0.7),
        ],
        corpus_id="seeds",
    )
    units = ET.fromstring(export(store, "tmx")).findall("body/tu")
    assert [u.get("tuid") for u in units] == ["004:3/000:4", "004:3/002:1"]
    assert [u.get("creationdate") for u in units] == ["20230117T000000Z", "20230201T000000Z"]
    docs = [[p.text for p in u.iter("prop") if p.get("type") == "x-document"] for u in units]
    assert docs == [["004", "000"], ["004", "002"]]
    zh_tuv = units[0].find("tuv")
    assert zh_tuv is not None and zh_tuv.findtext("prop[@type='x-title']") == "就业报告"
    told = ET.fromstring(export(store, "tmx", zh_lang="zh-CN")).find("body/tu/tuv")
    assert told is not None and told.get(XML_LANG) == "zh-CN"


def test_tmx_tags_each_chinese_segment_by_its_own_script(store: Store) -> None:
    """A store with a traditional corpus and a simplified one: the simplified segments were
    all tagged zh-Hant, the script of the first 200 pairs."""
    record_pairs(
        store,
        [
            PairRecord("001", "003", (0,), (0,), "穩崗返還補貼發放。", "Subsidies were paid.", 0.9),
            PairRecord("001", "003", (1,), (1,), "離岸人民幣市場擴大。", "The market grew.", 0.9),
        ],
        corpus_id="hkma",
    )
    record_pairs(
        store,
        [PairRecord("004", "000", (3,), (4,), "落实减负稳岗政策。", "Stabilized jobs.", 0.8)],
        corpus_id="seeds",
    )
    root = ET.fromstring(export(store, "tmx"))
    units = root.findall("body/tu")
    tagged = [(u.get("tuid"), [t.get(XML_LANG) for t in u.iter("tuv")]) for u in units]
    assert tagged == [
        ("001:0/003:0", ["zh-Hant", "en"]),
        ("001:1/003:1", ["zh-Hant", "en"]),
        ("004:3/000:4", ["zh-Hans", "en"]),
    ]
    header = root.find("header")
    assert header is not None and header.get("srclang") == "zh-Hant"  # most units' tag
    assert [u.get("srclang") for u in units] == [None, None, "zh-Hans"]  # the odd one says
    told = ET.fromstring(export(store, "tmx", zh_lang="zh-TW"))
    assert [t.get(XML_LANG) for t in told.iter("tuv")] == ["zh-TW", "en"] * 3
    assert [u.get("srclang") for u in told.iter("tu")] == [None] * 3


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "tsv", "tbx", "tbx3", "tmx"])
def test_every_export_removes_stored_control_characters(store: Store, fmt: str) -> None:
    """As a store from before they were refused may hold them: the TSV kept a NUL, BEL and
    ESC (and made NEL a space), the CSV kept all four, the XML formats dropped all but NEL."""
    with store.writing() as session:
        row = session.scalars(select(Equivalent).where(Equivalent.en == "stabilize jobs")).one()
        row.en, row.note = "stabilize\x07 jobs\x00", "kept\x1b\x85 jobs"
    record_pairs(
        store,
        [PairRecord("004", "000", (3,), (4,), "落实\x00稳岗。", "Stabilized\x9f jobs.", 0.8)],
        corpus_id="seeds",
    )
    data = export(store, fmt)
    if fmt == "xlsx":
        text = "\n".join("\t".join(row) for row in read_xlsx(data, source="g.xlsx"))
    else:
        text = data.decode("utf-8-sig")
    assert not CONTROL.search(text)
    if fmt == "tmx":
        assert "落实稳岗。" in text and "Stabilized jobs." in text
    else:
        assert "stabilize jobs" in text and "kept jobs" in text


def test_export_dispatch(store: Store) -> None:
    assert export(store, "csv").startswith(b"\xef\xbb\xbf")
    assert export(store, "tbx").startswith(b"<?xml")
    assert export(store, "tmx").startswith(b"<?xml")
    assert export(store, "xlsx").startswith(b"PK")
    with pytest.raises(InvalidField, match="use one of: csv, xlsx, tsv, tbx, tbx3, tmx"):
        export(store, "docx")
    with pytest.raises(InvalidField, match="not to tmx"):
        export(store, "tmx", statuses=frozenset({"preferred"}))
    with pytest.raises(InvalidField, match="not a BCP 47 tag for Chinese"):
        export(store, "tbx", zh_lang="fr")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "tsv", "tbx", "tbx3"])
def test_status_filter_on_every_glossary_format(store: Store, fmt: str) -> None:
    everything = export(store, fmt)
    decided = export(store, fmt, statuses=parse_statuses("preferred, admitted"))
    assert decided != everything
    if fmt != "xlsx":
        text = decided.decode("utf-8-sig")
        assert "stabilize jobs" in text  # preferred (seed)
        assert "a lifetime of poverty" not in text  # deprecated
        assert "post-retention" not in text  # rejected


def test_status_list_must_name_known_statuses() -> None:
    assert parse_statuses("Preferred,admitted") == {"preferred", "admitted"}
    with pytest.raises(InvalidField, match=r"'approved'.*use a comma-separated list of: proposed"):
        parse_statuses("preferred,approved")
    with pytest.raises(InvalidField, match="empty"):
        parse_statuses(" , ")
