"""Start-up habits of the command line: the default model needs neither torch nor
sentence-transformers, and progress bars stay out of logs.

Timings are measured by ``bench/startup_bench.py``; these tests check the behaviour that
makes them possible.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, sys
from api.cli import main
status = main(sys.argv[1:])
heavy = [m for m in ("torch", "sentence_transformers") if m in sys.modules]
print(json.dumps({"status": status, "heavy": heavy}), file=sys.stderr)
"""


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), DUIQI_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_default_model_align_imports_neither_torch_nor_sentence_transformers(
    tmp_path: Path,
) -> None:
    (tmp_path / "zh.txt").write_text("今年新增就业75.1万人。稳岗政策惠及企业。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("The city added 751,000 jobs. Job policies reached firms.\n")
    done = _run(["align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt")], tmp_path)
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    assert probe == {"status": 0, "heavy": []}, done.stderr
    assert json.loads(done.stdout.splitlines()[0])["src"] == [0]


def test_progress_bars_stay_out_of_a_log(tmp_path: Path) -> None:
    """stderr is a pipe here, as in a log: the notes come through, no bar is drawn."""
    zh = "".join(f"第{i}条新增就业{i}万人。" for i in range(150))
    en = " ".join(f"Item {i} added {i}0,000 jobs." for i in range(150))
    (tmp_path / "zh.txt").write_text(zh + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text(en + "\n")
    done = _run(["align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt")], tmp_path)
    assert "pairs;" in done.stderr, done.stderr
    assert "Batches" not in done.stderr
    assert "\r" not in done.stderr and "sent/s" not in done.stderr and "it/s" not in done.stderr


def test_a_lookup_does_not_import_the_aligners(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from api.cli import main; main(sys.argv[1:]);"
            "print(sorted(m for m in ('numpy', 'jieba', 'align.pipeline') if m in sys.modules))",
            "glossary",
            "lookup",
            "稳岗",
            "--db",
            str(tmp_path / "g.sqlite3"),
        ],
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
