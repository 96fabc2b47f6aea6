"""TBX in both dialects: structure, where each datum sits, a real reader, and import."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glossary.errors import ImportFormatError
from glossary.formats.importing import import_glossary
from glossary.formats.tbx import to_tbx, to_tbx3
from glossary.formats.tbx_reader import parse_tbx
from glossary.store.editing import review
from glossary.store.engine import Store, open_store
from glossary.store.lookups import list_terms, lookup
from glossary.store.merging import merge_entries
from glossary.store.views import TermView
from tests.store_helpers import entry, example, exported_store

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
V3 = "{urn:iso:std:iso:30042:ed-2}"
# (writer, root tag, element names: entry, language section, term section) per dialect
DIALECTS = {
    "2008": (to_tbx, "martif", ("termEntry", "langSet", "tig"), ""),
    "v3": (to_tbx3, f"{V3}tbx", ("conceptEntry", "langSec", "termSec"), V3),
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = exported_store(tmp_path / "glossary.sqlite3", rejection_note="not a term")
    review(
        opened,
        zh="稳岗",
        en="stabilize jobs",
        status="preferred",
        reviewer="ana",
        note="agreed with the desk",
    )
    yield opened
    opened.close()


@pytest.fixture
def terms(store: Store) -> list[TermView]:
    return list_terms(store, examples=1)


def _parse(
    dialect: str, terms: list[TermView], **options: str
) -> tuple[ET.Element, Callable[[str], str]]:
    writer, root_tag, _, ns = DIALECTS[dialect]
    root = ET.fromstring(writer(terms, **options))
    assert root.tag == root_tag
    return root, lambda name: ns + name


@pytest.mark.parametrize("dialect", DIALECTS)
def test_one_entry_per_term_with_statuses_and_no_rejected(
    dialect: str, terms: list[TermView]
) -> None:
    root, q = _parse(dialect, terms)
    entry_name, _, term_name = DIALECTS[dialect][2]
    entries = root.findall(f"{q('text')}/{q('body')}/{q(entry_name)}")
    assert len(entries) == len(terms) and len({e.get("id") for e in entries}) == len(terms)
    statuses = {n.text for n in root.iter(q("termNote")) if n.get("type") == "administrativeStatus"}
    assert statuses == {
        "preferredTerm-admn-sts",
        "admittedTerm-admn-sts",
        "deprecatedTerm-admn-sts",
    }
    secs = {s.findtext(q("term")): s for s in root.iter(q(term_name))}
    assert "post-retention" not in secs
    stabilize = secs["stabilize jobs"]
    assert [c.tag for c in stabilize][:2] == [q("term"), q("termNote")]
    assert stabilize.findtext(f"{q('descrip')}[@type='context']") == "They stabilize jobs."


@pytest.mark.parametrize("dialect", DIALECTS)
def test_definitions_sit_in_the_section_of_their_language(
    dialect: str, terms: list[TermView]
) -> None:
    root, q = _parse(dialect, terms)
    entry_name, lang_name, _ = DIALECTS[dialect][2]
    defined = [t for t in terms if t.definition]
    assert defined
    for entry_element in root.iter(q(entry_name)):
        for section in entry_element.findall(q(lang_name)):
            for definition in section.findall(f"{q('descrip')}[@type='definition']"):
                assert section.get(XML_LANG) == "en", definition.text
    placed = [d for d in root.iter(q("descrip")) if d.get("type") == "definition"]
    assert len(placed) == len(defined)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_reviewer_and_date_are_a_transaction(dialect: str, terms: list[TermView]) -> None:
    root, q = _parse(dialect, terms)
    term_name = DIALECTS[dialect][2][2]
    stabilize = next(
        s for s in root.iter(q(term_name)) if s.findtext(q("term")) == "stabilize jobs"
    )
    group = stabilize.find(q("transacGrp"))
    assert group is not None
    assert group.findtext(q("transac")) == "modification"
    assert group.findtext(f"{q('transacNote')}[@type='responsibility']") == "ana"
    reviewed = next(e for t in terms for e in t.equivalents if e.en == "stabilize jobs")
    assert reviewed.reviewed_at is not None
    assert group.findtext(q("date")) == reviewed.reviewed_at.date().isoformat()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_chinese_is_tagged_by_script_or_as_told(dialect: str) -> None:
    views = [
        TermView(id=1, zh="穩崗", note="", definition="", termhood=0.0, equivalents=()),
        TermView(id=2, zh="稳岗", note="", definition="", termhood=0.0, equivalents=()),
    ]
    root, q = _parse(dialect, views)
    lang_name = DIALECTS[dialect][2][1]
    assert [s.get(XML_LANG) for s in root.iter(q(lang_name))] == ["zh-Hant", "zh-Hans"]
    root, q = _parse(dialect, views, zh_lang="zh-CN")
    assert {s.get(XML_LANG) for s in root.iter(q(lang_name))} == {"zh-CN"}


def test_xml_cannot_carry_characters_are_stripped() -> None:
    view = TermView(id=1, zh="稳\x00岗", note="", definition="a\x0bb", termhood=0.0, equivalents=())
    assert ET.fromstring(to_tbx([view])).findtext(".//term") == "稳岗"


def test_translate_toolkit_reads_our_tbx_2008(terms: list[TermView]) -> None:
    from translate.storage import tbx

    units = tbx.tbxfile.parsestring(to_tbx(terms).encode("utf-8")).units
    pairs = {(u.source, u.target) for u in units}
    assert ("稳岗", "stabilize jobs") in pairs
    assert ("渝创渝新", "Chongqing Create Chongqing New") in pairs
    assert len(units) == len(terms)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_our_tbx_reads_back_to_the_same_decisions(
    dialect: str, terms: list[TermView], tmp_path: Path
) -> None:
    writer = DIALECTS[dialect][0]
    rows = parse_tbx(writer(terms).encode("utf-8"), source="glossary.tbx")
    exported = {(t.zh, e.en): e for t in terms for e in t.equivalents if e.status != "rejected"}
    assert {(r.zh, r.en) for r in rows} == set(exported)
    for row in rows:
        assert row.status == exported[(row.zh, row.en)].status
        assert row.note == exported[(row.zh, row.en)].note
    other = open_store(path=tmp_path / "other.db", create=True)
    try:
        report = import_glossary(other, writer(terms).encode(), fmt="tbx", reviewer="ana")
        assert report.equivalents_added == len(rows)
        [view] = lookup(other, "一生一困")
        assert "college graduates" in view.definition
    finally:
        other.close()


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
def test_our_tbx_imported_again_leaves_proposals_unreviewed(dialect: str, store: Store) -> None:
    """A TBX term without a status is one nobody has reviewed (ours says so in a note), yet
    importing an untouched export stamped every proposal as reviewed by the importer: a
    rebuild then treated the extractor's guesses as a person's decisions."""
    guesses = (("stable employment", 2, 0.6, (example("000", 5),)), ("jobs", 1, 0.3, ()))
    merge_entries(store, [entry("稳就业", guesses)], corpus_id="other")
    terms = list_terms(store, examples=1)
    proposed = {(t.zh, e.en) for t in terms for e in t.equivalents if e.status == "proposed"}
    assert proposed
    import_glossary(store, DIALECTS[dialect][0](terms).encode(), fmt="tbx", reviewer="bo")
    after = {(t.zh, e.en): e for t in list_terms(store) for e in t.equivalents}
    assert {key: (after[key].status, after[key].reviewed_by) for key in proposed} == {
        key: ("proposed", None) for key in proposed
    }


def test_a_foreign_tbx_imports_with_superseded_as_deprecated(tmp_path: Path) -> None:
    data = """<?xml version="1.0"?>
<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p>
</sourceDesc></fileDesc></martifHeader><text><body>
<termEntry id="t1"><descrip type="definition">Keeping people in work.</descrip>
 <langSet xml:lang="zh-CN"><tig><term>稳就业</term></tig></langSet>
 <langSet xml:lang="en-US">
  <tig><term>stabilize employment</term>
   <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
  <ntig><termGrp><term>job stability</term>
   <termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></termGrp>
   <note>older usage</note></ntig>
 </langSet></termEntry>
<termEntry id="t2"><langSet xml:lang="en"><tig><term>only English</term></tig></langSet>
</termEntry>
</body></text></martif>""".encode()
    rows = parse_tbx(data, source="mt.tbx")
    assert [(r.zh, r.en, r.status, r.note, r.definition) for r in rows] == [
        ("稳就业", "stabilize employment", "preferred", "", "Keeping people in work."),
        ("稳就业", "job stability", "deprecated", "older usage", "Keeping people in work."),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<martif><text>", "not well-formed XML"),
        (b"<tmx version='1.4'/>", "root element is <tmx>"),
    ],
)
def test_a_bad_tbx_is_a_clear_error_and_imports_nothing(
    store: Store, data: bytes, message: str
) -> None:
    before = list_terms(store)
    with pytest.raises(ImportFormatError, match=message):
        import_glossary(store, data, fmt="tbx", reviewer="ana", source="bad.tbx")
    assert list_terms(store) == before


def test_control_characters_xml_allows_are_refused_and_nothing_is_imported(
    store: Store,
) -> None:
    """XML 1.0 cannot hold most C0 controls, but DEL and the C1 ones parse; they reached
    the store, which refuses them from every edit."""
    data = """<?xml version="1.0"?>
<martif type="TBX-Basic" xml:lang="en"><text><body>
<termEntry id="t1"><descrip type="definition">Keeping\x7f people in work.</descrip>
 <langSet xml:lang="zh-CN"><tig><term>稳就业</term></tig></langSet>
 <langSet xml:lang="en-US"><tig><term>stabilize employment</term><note>\x9b31m red</note>
 </tig></langSet></termEntry>
<termEntry id="t2"><langSet xml:lang="zh"><tig><term>稳岗</term></tig></langSet>
 <langSet xml:lang="en"><tig><term>job\x90 retention</term></tig></langSet></termEntry>
</body></text></martif>""".encode()
    before = list_terms(store)
    with pytest.raises(ImportFormatError) as caught:
        import_glossary(store, data, fmt="tbx", reviewer="ana", source="mt.tbx")
    assert caught.value.problems == (
        "稳就业 → stabilize employment: note contains a control character (such as NUL); remove it",
        "稳就业 → stabilize employment: definition contains a control character (such as "
        "NUL); remove it",
        "稳岗 → job retention: en contains a control character (such as NUL); remove it",
    )
    assert list_terms(store) == before
