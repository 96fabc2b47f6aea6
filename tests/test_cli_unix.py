"""The command line's Unix habits and its answers to careless input: one line, never a traceback."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import main
from tests.cli_helpers import err_line
from tests.conftest import DATA

pytestmark = pytest.mark.usefixtures("cli_cache")

GOLD = DATA / "bible_gold.align"
ZH_TEXT = "全市城镇新增就业75.1万人。稳岗返还资金54亿元。\n"
EN_TEXT = "The city added 751,000 urban jobs. Job stabilization refunds reached 5.4 billion yuan.\n"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A short article pair, so each alignment takes no time beyond the model's loading."""
    folder = tmp_path_factory.mktemp("pair")
    (folder / "zh.txt").write_text(ZH_TEXT, encoding="utf-8")
    (folder / "en.txt").write_text(EN_TEXT, encoding="utf-8")
    return folder / "zh.txt", folder / "en.txt"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


ENTRY = "import sys; from api.cli import main; sys.exit(main())"


def _run(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The real console entry point, in a process of its own (signals, pipes, argv bytes)."""
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *argv],
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


# --------------------------------------------------------------------------- - and stdio


def test_dash_reads_the_source_from_stdin(
    pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    zh, en = pair
    _stdin(monkeypatch, zh.read_bytes())
    assert main(["align", "-", str(en), "--quiet"]) == 0
    assert capsys.readouterr().out.count('"score"') >= 1


def test_dash_output_is_stdout_not_a_file(
    pair: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    zh, en = pair
    monkeypatch.chdir(tmp_path)
    assert main(["align", str(zh), str(en), "--quiet", "-o", "-"]) == 0
    assert '"score"' in capsys.readouterr().out
    assert not (tmp_path / "-").exists()


def test_stdin_twice_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"x")
    assert main(["align", "-", "-", "--quiet"]) == 2
    assert "only one input can be '-'" in err_line(capsys)


def test_an_output_file_gets_the_umask(pair: tuple[Path, Path], tmp_path: Path) -> None:
    zh, en = pair
    previous = os.umask(0o022)
    try:
        assert main(["align", str(zh), str(en), "--quiet", "-o", str(tmp_path / "o.jsonl")]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "o.jsonl").stat().st_mode) == 0o644


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("duiqi ")


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`duiqi glossary export | head -c 0`: the reader is gone; no BrokenPipeError."""
    db = tmp_path / "g.sqlite3"
    rows = "zh,en,status\n" + "".join(f"词{i},term {i},admitted\n" for i in range(30))
    (tmp_path / "g.csv").write_text(rows, encoding="utf-8")
    assert _run("glossary", "import", str(tmp_path / "g.csv"), "--db", str(db)).returncode == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "glossary", "export", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert writer.stdout is not None and writer.stderr is not None
    writer.stdout.close()  # before the writer starts: its first write meets a closed pipe
    err = writer.stderr.read().decode()
    assert writer.wait(timeout=60) == 141
    assert "Traceback" not in err and "Error" not in err, err


def test_undecodable_argv_bytes_are_one_line() -> None:
    done = _run("glossary", "lookup", os.fsdecode(b"\xff\xfe"))
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        "duiqi: error: argument 3 (b'\\xff\\xfe') is not valid UTF-8; "
        "give text and file names in UTF-8"
    )


# --------------------------------------------------------------------------- unbounded reads


@pytest.mark.parametrize("command", ["align", "eval", "import"])
def test_dev_zero_is_refused_not_read(
    pair: tuple[Path, Path], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _zh, en = pair
    argv = {
        "align": ["align", "/dev/zero", str(en)],
        "eval": ["eval", str(GOLD), "/dev/zero"],
        "import": ["glossary", "import", "/dev/zero", "--db", "/nonexistent/g.db"],
    }[command]
    assert main(argv) == 2
    assert "/dev/zero: is a device, not a regular file" in err_line(capsys)


def test_a_fifo_does_not_hang(pair: tuple[Path, Path], tmp_path: Path) -> None:
    _zh, en = pair
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    done = _run("align", str(fifo), str(en), "--quiet")  # times out (and fails) if it blocks
    assert done.returncode == 2 and b"a pipe (FIFO), not a regular file" in done.stderr


# --------------------------------------------------------------------------- writes


def test_output_to_a_full_device_fails(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zh, en = pair
    full = Path("/dev/full")
    if os.geteuid() == 0:  # a private copy, so a regression cannot replace the machine's
        full = tmp_path / "full"
        os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    assert main(["align", str(zh), str(en), "--quiet", "-o", str(full)]) == 2
    assert "No space left on device" in err_line(capsys)
    assert stat.S_ISCHR(full.stat().st_mode)


def test_output_through_a_symlink_keeps_the_link(pair: tuple[Path, Path], tmp_path: Path) -> None:
    zh, en = pair
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "real.jsonl")
    assert main(["align", str(zh), str(en), "--quiet", "-o", str(tmp_path / "link.jsonl")]) == 0
    assert (tmp_path / "link.jsonl").is_symlink()
    assert '"score"' in (tmp_path / "real.jsonl").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- eval


def test_eval_of_empty_files_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.align").write_bytes(b"\n")
    assert main(["eval", str(GOLD), str(tmp_path / "empty.align")]) == 2
    assert "empty.align: the file holds no beads" in err_line(capsys)


def test_eval_src_without_tgt_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(GOLD), str(GOLD), "--src", str(DATA / "bible_en.txt")]) == 2
    assert "--src and --tgt go together" in err_line(capsys)


def test_eval_reads_the_prediction_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, GOLD.read_bytes())
    assert main(["eval", str(GOLD), "-"]) == 0
    assert '"f1_strict": 1.0' in capsys.readouterr().out


# --------------------------------------------------------------------------- glossary


@pytest.mark.parametrize(
    ("target", "message"), [("missing.csv", "no such file"), (".", "is a directory")]
)
def test_import_of_a_missing_file_or_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    db = tmp_path / "g.sqlite3"
    assert main(["glossary", "import", str(tmp_path / target), "--db", str(db)]) == 2
    assert message in err_line(capsys)
    assert not db.exists()  # nothing was created for a file that was never read


def test_a_huge_frequency_in_an_import_is_a_row_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "g.csv"
    csv.write_text("zh,en,status,frequency\n稳岗,job stabilization,preferred,1" + "0" * 23 + "\n")
    assert main(["glossary", "import", str(csv), "--db", str(tmp_path / "g.sqlite3")]) == 2
    assert "row 2: frequency 1" + "0" * 23 + " is above 2,147,483,647" in err_line(capsys)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["glossary", "lookup", "稳岗", "--limit", "1e20"], "from 1 to 1,000, got '1e20'"),
        (["glossary", "lookup", "稳岗", "--limit", "1" + "0" * 20], "from 1 to 1,000, got 1"),
        (["glossary", "lookup", "稳岗", "--limit", "0"], "from 1 to 1,000, got 0"),
        (["batch", "m.csv", "--workers", "1" + "0" * 20], "from 1 to 1,024"),
        (["serve", "--port", "70000"], "from 1 to 65,535, got 70000"),
    ],
)
def test_a_number_out_of_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert f"expected a whole number {expected}" in capsys.readouterr().err


def test_a_db_that_is_not_sqlite_fails_before_any_alignment(
    pair: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zh, en = pair
    db = tmp_path / "notes.txt"
    db.write_bytes(b"my notes, not a database\n" * 10)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"id,src,tgt\np,{zh},{en}\n", encoding="utf-8")

    def no_work(*_: object, **__: object) -> None:
        raise AssertionError("aligned before checking the store")

    monkeypatch.setattr("align.batch.run_batch", no_work)  # imported when the command runs
    monkeypatch.setattr("glossary.build.build_glossary", no_work)
    out = tmp_path / "out"
    assert main(["batch", str(manifest), "-o", str(out), "--glossary", "--db", str(db)]) == 2
    assert "notes.txt: not a SQLite database" in err_line(capsys)
    assert main(["glossary", "build", "--db", str(db), "--quiet"]) == 2
    assert "notes.txt: not a SQLite database" in err_line(capsys)
    assert db.read_bytes() == b"my notes, not a database\n" * 10


# --------------------------------------------------------------------------- the cache


def test_a_cache_dir_that_is_a_file(
    pair: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    zh, en = pair
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("DUIQI_CACHE_DIR", str(tmp_path / "file"))
    assert main(["align", str(zh), str(en), "--quiet"]) == 2
    assert "is a file, not a folder; point DUIQI_CACHE_DIR at a folder" in err_line(capsys)
