"""A parsed table comes back from the disk cache as parsed, and a bad cache costs only a parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.extraction.parsed_cache import cached_table


class Parser:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, raw: bytes) -> dict[str, str]:
        self.calls += 1
        return {"word": raw.decode()}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DUIQI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_second_process_reads_the_table_instead_of_parsing(folder: Path) -> None:
    parse = Parser()
    assert cached_table("dict", b"one", parse) == {"word": "one"}
    assert cached_table("dict", b"one", parse) == {"word": "one"}
    assert parse.calls == 1
    assert cached_table("dict", b"two", parse) == {"word": "two"}  # new data, new table
    assert parse.calls == 2
    assert not list(folder.glob("*.partial"))


def test_a_damaged_cache_is_parsed_again_and_replaced(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    parse = Parser()
    cached_table("dict", b"one", parse)
    [path] = folder.iterdir()
    path.write_bytes(b"\x00 not marshal")
    assert cached_table("dict", b"one", parse) == {"word": "one"}
    assert "damaged" in caplog.text
    assert cached_table("dict", b"one", parse) == {"word": "one"}
    assert parse.calls == 2


def test_an_unwritable_cache_folder_only_costs_the_parse(folder: Path) -> None:
    folder.write_text("a file where the folder should be")
    parse = Parser()
    assert cached_table("dict", b"one", parse) == {"word": "one"}
    assert cached_table("dict", b"one", parse) == {"word": "one"}
    assert parse.calls == 2
