import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.errors import InputError
from align.reading import decode_bytes, normalize_text, plausibility
from align.scripts import to_simplified, to_traditional

ZH = "全市城镇新增就业75.1万人，完成全年目标任务60万人的125.2%；困难人员（“一生一困”）！"
ZH_TRADITIONAL = to_traditional(ZH)


@pytest.mark.parametrize(
    "data",
    [
        ZH.encode("utf-8"),
        codecs.BOM_UTF8 + ZH.encode("utf-8"),
        codecs.BOM_UTF16_LE + ZH.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"),
        ZH.encode("gb18030"),
        ZH.encode("gbk"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gb18030", "gbk"],
)
def test_decodes_the_common_chinese_encodings(data: bytes) -> None:
    assert decode_bytes(data, name="a.txt") == ZH


def test_big5_is_not_mistaken_for_gb18030() -> None:
    data = ZH_TRADITIONAL.encode("big5")
    data.decode("gb18030")  # GB18030 "succeeds" on these bytes, with garbage
    assert decode_bytes(data, name="a.txt") == ZH_TRADITIONAL


def test_hong_kong_big5_with_hkscs_characters_is_read() -> None:
    text = "香港金融管理局擴濶了監管範圍。" + ZH_TRADITIONAL
    data = text.encode("big5hkscs")
    with pytest.raises(UnicodeDecodeError):
        data.decode("big5")
    assert decode_bytes(data, name="hk.txt") == text


def test_gb18030_wins_over_big5_for_simplified_text() -> None:
    seed = "就业连着民心，民心凝聚民力。我市强化组织领导。市委、市政府高度重视就业工作。"
    assert decode_bytes(seed.encode("gb18030"), name="a.txt") == seed


def test_plausibility_prefers_the_right_decoding() -> None:
    data = ZH_TRADITIONAL.encode("big5")
    assert plausibility(data.decode("big5")) == 1.0
    assert plausibility(data.decode("gb18030")) < 0.5
    assert plausibility("plain ASCII") == 1.0


def test_nfkc_folds_full_width_letters_and_digits_but_keeps_chinese_punctuation() -> None:
    text = decode_bytes("增长１４．５％，ＡＢＣ（“一生一困”）！？；：…".encode(), name="a")
    assert text == "增长14.5%，ABC（“一生一困”）！？；：…"


def test_line_endings_become_newlines() -> None:
    assert decode_bytes(b"a\r\nb\rc\n", name="a") == "a\nb\nc\n"


def test_to_simplified() -> None:
    assert to_simplified("穩就業 壓艙石") == "稳就业 压舱石"


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", r"a\.txt: the file is empty"),
        (b" \n\t\r\n ", r"a\.txt: the file contains only whitespace"),
        (b"PK\x03\x04\x00\x00binary", r"a\.txt: this looks like a binary file \(it contains NUL"),
        (bytes(range(1, 32)) * 10, r"a\.txt: this looks like a binary file \(control"),
        (b"caf\xe9 au lait", r"a\.txt: cannot decode the text: it is not UTF-8"),
        (b"\x81\x40\x81\x41\x81\x42\x81\x43", r"a\.txt: cannot decode the text"),
        (
            codecs.BOM_UTF8 + b"\xff\xfe\xfd",
            r"a\.txt: starts with a UTF-8 byte-order mark but is not valid UTF-8",
        ),
    ],
    ids=["empty", "whitespace", "nul", "control", "latin-1", "implausible", "bad-bom"],
)
def test_bad_input_is_an_error_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_bytes(data, name="a.txt")


def test_too_large_is_an_error() -> None:
    with pytest.raises(
        InputError, match=r"a\.txt: the file has 11 bytes, more than the limit of 10"
    ):
        decode_bytes(b"hello world", name="a.txt", max_bytes=10)
