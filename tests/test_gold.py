from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.errors import GoldFormatError, InputError
from align.gold import BeadPair, format_bead, load_beads, parse_beads

DATA = Path(__file__).parent / "data"


def test_parses_all_bead_shapes_with_or_without_spaces() -> None:
    text = "[0, 1]:[2]\n\n[3]:[]\n  []:[4]  \n[5,6] : [ 7 , 8 ]\n"
    assert parse_beads(text) == [((0, 1), (2,)), ((3,), ()), ((), (4,)), ((5, 6), (7, 8))]


def test_empty_text_has_no_beads() -> None:
    assert parse_beads("") == []
    assert parse_beads("\n  \n") == []


def test_byte_order_mark_is_tolerated() -> None:
    assert parse_beads("\ufeff[0]:[0]\n") == [((0,), (0,))]


def test_format_bead_uses_comma_and_space() -> None:
    assert format_bead((0, 1), (2,)) == "[0, 1]:[2]"
    assert format_bead((3,), ()) == "[3]:[]"
    assert format_bead([], [4]) == "[]:[4]"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("0:1", r"gold\.align line 2: expected '\[i, j\]:\[k\]', got '0:1'"),
        ("[0]-[1]", r"line 2: expected '\[i, j\]:\[k\]', got '\[0\]-\[1\]'"),
        ("[0]:[1]:[2]", r"line 2: expected"),
        ("[[0]]:[1]", r"line 2: expected"),
        ("[-1]:[2]", r"line 2: .*cannot be negative, got '-1' in '\[-1\]:\[2\]'"),
        ("[1.5]:[2]", r"line 2: sentence ids must be integers, got '1\.5'"),
        ("[a]:[2]", r"line 2: sentence ids must be integers, got 'a'"),
        ("[1,]:[2]", r"line 2: sentence ids must be integers, got ''"),
        ("[١]:[2]", r"line 2: sentence ids must be integers"),
        ("[1, 1]:[2]", r"line 2: a sentence id is repeated within '\[1, 1\]:\[2\]'"),
        ("[]:[]", r"line 2: a bead needs a sentence on at least one side"),
    ],
)
def test_malformed_line_names_file_line_and_content(line: str, message: str) -> None:
    with pytest.raises(GoldFormatError, match=message):
        parse_beads(f"[0]:[0]\n{line}\n", name="gold.align")


def test_sentence_in_two_beads_names_both_lines() -> None:
    with pytest.raises(
        GoldFormatError, match=r"line 3: target sentence 1 already appears on line 1;"
    ):
        parse_beads("[0]:[1]\n\n[1]:[1]\n")
    with pytest.raises(
        GoldFormatError, match=r"line 2: source sentence 0 already appears on line 1"
    ):
        parse_beads("[0]:[1]\n[0]:[]\n")


def test_long_bad_line_is_shortened_in_the_message() -> None:
    with pytest.raises(GoldFormatError, match=r"got 'x{80}\.\.\.'$"):
        parse_beads("x" * 10_000)


def test_load_beads_reads_the_bible_fixture() -> None:
    beads = load_beads(DATA / "bible_gold.align")
    assert len(beads) == 40
    assert beads[1] == ((1, 2), (1, 2, 3))
    assert beads[-1] == ((43,), (62, 63))


def test_load_beads_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.align: no such file"):
        load_beads(tmp_path / "nope.align")


def test_load_beads_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"is a directory, not a text file"):
        load_beads(tmp_path)


def test_load_beads_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod does not stop root, so the refusal is simulated where the file is opened.
    def refuse(file: object, *_: object) -> int:
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr("align.reading.os.open", refuse)
    with pytest.raises(InputError, match=r"locked\.align: permission denied"):
        load_beads(tmp_path / "locked.align")


def test_load_beads_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.align"
    path.write_bytes("[0]:[0] 对齐\n".encode("gbk"))
    with pytest.raises(GoldFormatError, match=r"gbk\.align: not UTF-8 text \(byte 8\)"):
        load_beads(path)


def test_load_beads_error_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.align"
    path.write_text("[0]:[0]\n0:1\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"bad\.align line 2: expected"):
        load_beads(path)


@st.composite
def partitions(draw: st.DrawFn) -> list[BeadPair]:
    """Monotone beads covering 0..n-1 and 0..m-1, omissions included."""
    sizes = draw(
        st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda s: s != (0, 0)),
            max_size=30,
        )
    )
    beads = []
    i = j = 0
    for a, b in sizes:
        beads.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return beads


@given(partitions())
def test_format_then_parse_round_trips(
    beads: list[BeadPair],
) -> None:
    text = "".join(format_bead(src, tgt) + "\n" for src, tgt in beads)
    assert parse_beads(text) == beads
