import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.errors import InputError
from align.gold import parse_beads
from align.types import Alignment, Bead, Document, Lang, Sentence, Signature
from align.writers import WRITERS, to_align, to_jsonl, to_tmx, to_tsv

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_REQUIRED = (
    "creationtool",
    "creationtoolversion",
    "segtype",
    "o-tmf",
    "adminlang",
    "srclang",
    "datatype",
)


def document(texts: list[str], lang: Lang) -> Document:
    sentences = []
    offset = 0
    for text in texts:
        sentences.append(Sentence(text=text, start=offset, end=offset + len(text)))
        offset += len(text) + 1
    return Document(text="\n".join(texts), lang=lang, sentences=tuple(sentences), name=lang)


def alignment(src: list[str], tgt: list[str], beads: list[Bead]) -> Alignment:
    return Alignment(
        src=document(src, "zh"),
        tgt=document(tgt, "en"),
        beads=tuple(beads),
        signature=Signature(mode="parallel", model="test"),
    )


ZH = ["新增就业75.1万人。", "实施“一生一困”帮扶。", "页脚\x01文字。", "稳岗<返还>&补贴。"]
EN = [
    "751,000 new jobs were created.",
    "Support for graduates\tand people in difficulty.",
    "It was\nimplemented.",
    'Job "stabilization" <refunds> & subsidies.',
]
BEADS = [
    Bead((0,), (0,), 0.987654),
    Bead((1,), (1, 2), 0.5),
    Bead((2,), (), 0.1),
    Bead((3,), (3,), 0.75),
]
SAMPLE = alignment(ZH, EN, BEADS)


def test_writers_registry_names_every_format() -> None:
    assert dict(WRITERS) == {"jsonl": to_jsonl, "tsv": to_tsv, "tmx": to_tmx, "align": to_align}


def test_jsonl_one_object_per_bead() -> None:
    lines = to_jsonl(SAMPLE).splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(BEADS)
    assert records[0] == {
        "src": [0],
        "tgt": [0],
        "src_text": "新增就业75.1万人。",
        "tgt_text": "751,000 new jobs were created.",
        "score": 0.9877,
    }
    assert records[1]["tgt_text"] == EN[1] + " " + EN[2]
    assert records[2]["tgt"] == [] and records[2]["tgt_text"] == ""
    assert "新增就业" in lines[0]  # readable, not \\u escapes


def test_tsv_header_and_one_clean_row_per_bead() -> None:
    rows = to_tsv(SAMPLE).splitlines()
    assert rows[0] == "src_ids\ttgt_ids\tscore\tsrc_text\ttgt_text"
    cells = [row.split("\t") for row in rows[1:]]
    assert len(cells) == len(BEADS)
    assert all(len(row) == 5 for row in cells)
    assert cells[0][:3] == ["0", "0", "0.9877"]
    assert cells[1][:2] == ["1", "1,2"]
    assert cells[1][4] == "Support for graduates and people in difficulty. It was implemented."
    assert cells[2][1] == "" and cells[2][4] == ""


def test_align_round_trips_through_parse_beads() -> None:
    assert to_align(SAMPLE) == "[0]:[0]\n[1]:[1, 2]\n[2]:[]\n[3]:[3]\n"
    assert parse_beads(to_align(SAMPLE)) == [(b.src, b.tgt) for b in BEADS]


def test_empty_alignment_writes_valid_empty_outputs() -> None:
    empty = alignment(ZH, EN, [])
    assert to_align(empty) == ""
    assert parse_beads(to_align(empty)) == []
    assert to_jsonl(empty) == ""
    assert to_tsv(empty).splitlines() == ["src_ids\ttgt_ids\tscore\tsrc_text\ttgt_text"]
    assert ET.fromstring(to_tmx(empty).encode()).find("body") is not None


def test_tmx_structure() -> None:
    text = to_tmx(SAMPLE)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [child.tag for child in root] == ["header", "body"]
    header = root.find("header")
    assert header is not None
    assert all(header.get(name) for name in TMX_REQUIRED)
    assert header.get("srclang") == "zh-Hans"
    assert header.get("creationtool") == "duiqi"
    assert header.get("datatype") == "plaintext"
    assert header.get("segtype") == "sentence"
    units = root.findall("body/tu")
    assert len(units) == 3  # the omission is not a translation unit
    for unit in units:
        assert [child.tag for child in unit] == ["prop", "tuv", "tuv"]
        assert unit.find("prop[@type='x-score']") is not None
        variants = unit.findall("tuv")
        assert [tuv.get(XML_LANG) for tuv in variants] == ["zh-Hans", "en"]
        assert all(len(tuv.findall("seg")) == 1 for tuv in variants)
    assert len({unit.get("tuid") for unit in units}) == 3
    first, second, last = units
    assert first.get("tuid") == "s0-t0" and second.get("tuid") == "s1-t1,2"
    assert first.findtext("prop") == "0.9877"
    assert first.findtext("tuv/seg") == ZH[0]
    assert second.findall("tuv/seg")[1].text == EN[1] + " " + EN[2]
    assert last.findall("tuv/seg")[0].text == "稳岗<返还>&补贴。"
    assert last.findall("tuv/seg")[1].text == EN[3]


def test_tmx_strips_characters_xml_cannot_carry() -> None:
    bad = alignment(["页脚\x01文字\x0b。\ufffe"], ["Foot\x00note\ud800."], [Bead((0,), (0,), 1.0)])
    root = ET.fromstring(to_tmx(bad).encode("utf-8"))
    assert [seg.text for seg in root.iter("seg")] == ["页脚文字。", "Footnote."]


@pytest.mark.parametrize("srclang", ["en", "*all*"])
def test_tmx_srclang_may_be_either_language_or_all(srclang: str) -> None:
    header = ET.fromstring(to_tmx(SAMPLE, srclang=srclang).encode()).find("header")
    assert header is not None and header.get("srclang") == srclang


def test_tmx_srclang_must_belong_to_the_alignment() -> None:
    with pytest.raises(InputError, match=r"srclang 'fr' .* use one of 'zh-Hans', 'en', '\*all\*'"):
        to_tmx(SAMPLE, srclang="fr")


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_tmx_always_parses(texts: list[str]) -> None:
    beads = [Bead((i,), (i,), 0.5) for i in range(len(texts))]
    text = to_tmx(alignment(texts, texts, beads))
    segs = [seg.text or "" for seg in ET.fromstring(text.encode("utf-8")).iter("seg")]
    assert len(segs) == 2 * len(texts)


def test_tmx_tags_chinese_by_its_script_or_as_told() -> None:
    bead = Bead((0,), (0,), 1.0)
    traditional = alignment(["穩崗返還補貼發放。"], ["Subsidies were paid."], [bead])
    langs = [t.get(XML_LANG) for t in ET.fromstring(to_tmx(traditional)).iter("tuv")]
    assert langs == ["zh-Hant", "en"]
    told = ET.fromstring(to_tmx(traditional, zh_lang="zh-TW"))
    assert [t.get(XML_LANG) for t in told.iter("tuv")] == ["zh-TW", "en"]
    with pytest.raises(InputError, match="not a BCP 47 tag for Chinese"):
        to_tmx(traditional, zh_lang="en-US")
