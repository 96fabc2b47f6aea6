"""The command line: output formats, and one clear line on stderr for each bad input."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import pytest

import api.cli.evaluate as evaluate
from align.errors import DuiqiError
from api.cli import main
from tests.cli_helpers import err_line
from tests.conftest import DATA, SEEDS

pytestmark = pytest.mark.usefixtures("cli_cache")


def test_align_writes_jsonl_with_line_ids(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    status = main(
        [
            "align",
            str(DATA / "bible_en.txt"),
            str(DATA / "bible_zh.txt"),
            "--split-lines",
            "--mode",
            "parallel",
            "-o",
            str(out),
            "--quiet",
        ]
    )
    assert status == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["src"] == [0] and rows[0]["tgt"] == [0]
    assert rows[0]["tgt_text"] == "起初神创造天地。"
    assert {"src", "tgt", "src_text", "tgt_text", "score"} <= set(rows[0])


def test_align_then_eval_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pred = tmp_path / "pred.align"
    main(
        [
            "align",
            str(DATA / "bible_en.txt"),
            str(DATA / "bible_zh.txt"),
            "--split-lines",
            "--mode",
            "parallel",
            "--format",
            "align",
            "-o",
            str(pred),
            "--quiet",
        ]
    )
    capsys.readouterr()
    assert (
        main(
            [
                "eval",
                str(DATA / "bible_gold.align"),
                str(pred),
                "--src",
                str(DATA / "bible_en.txt"),
                "--tgt",
                str(DATA / "bible_zh.txt"),
            ]
        )
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert 0.5 <= result["f1_strict"] <= result["f1_lax"] <= 1.0
    assert result["chrf"] > 50


def _bad(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n\t ", "empty|whitespace"),
        (b"\x00\x01\x02\x03binary\x00\x00", "binary"),
        (b"plain \x80\x80\xfe\xfe\xff\xff \x9f\x9e text", "decode|encoding|UTF-8"),
    ],
)
def test_bad_input_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    bad = _bad(tmp_path, "bad.txt", data)
    assert main(["align", bad, str(SEEDS / "000_d37896d3ca684c51.txt"), "--quiet"]) == 2
    line = err_line(capsys)
    assert "bad.txt" in line
    assert re.search(message, line, flags=re.IGNORECASE)


def test_same_language_twice(capsys: pytest.CaptureFixture[str]) -> None:
    en = str(SEEDS / "000_d37896d3ca684c51.txt")
    assert main(["align", en, str(SEEDS / "002_8f9b990f98ce782b.txt"), "--quiet"]) == 2
    assert "both texts are English" in err_line(capsys)


def test_a_100000_character_sentence_aligns(tmp_path: Path) -> None:
    long_zh = _bad(tmp_path, "long.txt", ("就业" * 50_000 + "。\n").encode())
    out = tmp_path / "o.jsonl"
    assert (
        main(["align", long_zh, str(SEEDS / "000_d37896d3ca684c51.txt"), "--quiet", "-o", str(out)])
        == 0
    )


def test_malformed_gold_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = _bad(tmp_path, "gold.align", b"[0]:[0]\n0:1\n")
    assert main(["eval", gold, str(DATA / "bible_gold.align")]) == 2
    assert "gold.align line 2" in err_line(capsys)


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["align", "/no/such/file.txt", str(SEEDS / "004_acb3dc8994b1fd4b.txt")]) == 2
    assert "/no/such/file.txt" in err_line(capsys)


def test_a_command_collects_less_often_and_gives_the_thresholds_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[int, int, int]] = []

    def run(_args: object) -> int:
        seen.append(gc.get_threshold())
        raise DuiqiError("stop here")

    monkeypatch.setattr(evaluate, "run", run)
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        assert main(["eval", "gold", "pred"]) == 2
        assert seen == [(10_000, 10, 10)]
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
