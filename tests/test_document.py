from pathlib import Path

import pytest

from align.document import load_document, make_document
from align.errors import InputError, LanguageError

SEEDS = Path(__file__).parent.parent / "corpora" / "seeds"

BIBLE_ZH = (
    "起初神创造天地。\n地是空虚混沌。\n渊面黑暗。\n神的灵运行在水面上。\n神说，要有光，就有了光。\n"
)


def test_detects_language_and_splits() -> None:
    doc = make_document("就业连着民心，民心凝聚民力。稳就业。", name="a.txt")
    assert doc.lang == "zh"
    assert doc.name == "a.txt"
    assert doc.texts == ["就业连着民心，民心凝聚民力。", "稳就业。"]


def test_given_language_is_trusted() -> None:
    assert make_document("Stable employment.", lang="en").lang == "en"


def test_text_is_normalised_like_a_file() -> None:
    doc = make_document("增长１４．５％。\r\n", lang="zh")
    assert doc.text == "增长14.5%。\n"
    assert doc.texts == ["增长14.5%。"]


def test_simplified_converts_chinese() -> None:
    doc = make_document("穩就業，保居民就業。", simplified=True)
    assert doc.texts == ["稳就业，保居民就业。"]
    assert doc.text == "稳就业，保居民就业。"


def test_simplified_leaves_english_alone() -> None:
    assert make_document("Stable employment.", simplified=True).texts == ["Stable employment."]


def test_split_lines_keeps_line_numbers() -> None:
    doc = make_document(BIBLE_ZH, split_lines=True)
    assert len(doc) == 5  # the final newline adds no line
    assert doc.texts[4] == "神说，要有光，就有了光。"
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text


def test_split_lines_keeps_empty_lines_as_empty_sentences() -> None:
    doc = make_document(
        "In the beginning.\n\n  And the earth.  \nLet there be light:", split_lines=True
    )
    assert doc.texts == ["In the beginning.", "", "And the earth.", "Let there be light:"]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1, 1]
    empty = doc.sentences[1]
    assert empty.start == empty.end


def test_no_sentences_is_an_error() -> None:
    with pytest.raises(InputError, match=r"a\.txt contains no sentences"):
        make_document("  \n\n ", name="a.txt", lang="en")
    with pytest.raises(InputError, match=r"a\.txt contains no sentences"):
        make_document("\n\n", name="a.txt", lang="zh", split_lines=True)


def test_unknown_language_is_an_error() -> None:
    with pytest.raises(LanguageError, match=r"a\.txt: no Chinese or English text"):
        make_document("12345", name="a.txt")


def test_load_seed_documents() -> None:
    zh = load_document(SEEDS / "004_acb3dc8994b1fd4b.txt")
    en = load_document(SEEDS / "000_d37896d3ca684c51.txt")
    assert (zh.lang, en.lang) == ("zh", "en")
    assert zh.name.endswith("004_acb3dc8994b1fd4b.txt")
    assert "全市城镇新增就业75.1万人，完成全年目标任务60万人的125.2%，同比增长14.5%；" in zh.texts
    assert en.texts[-1] == "(Finish)"


def test_load_gb18030_file(tmp_path: Path) -> None:
    path = tmp_path / "gb.txt"
    path.write_bytes(BIBLE_ZH.encode("gb18030"))
    doc = load_document(path, split_lines=True)
    assert doc.texts[0] == "起初神创造天地。"


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        load_document(tmp_path / "nope.txt")


def test_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory, not a text file"):
        load_document(tmp_path)


def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Stable employment.")

    def refuse(file: object, *_: object) -> int:  # chmod 0 does not stop root: refuse the open
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr("align.reading.os.open", refuse)
    with pytest.raises(InputError, match=r"locked\.txt: permission denied"):
        load_document(path)


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Stable employment. " * 10)
    with pytest.raises(InputError, match=r"big\.txt: the file has 190 bytes, more than the limit"):
        load_document(path, max_bytes=100)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: the file is empty"):
        load_document(path)
