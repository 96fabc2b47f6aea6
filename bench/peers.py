"""duiqi beside Bertalign 2.0.1 on every dev set, in the same run, with the same encoder.

Writes ``bench/results/peers.json``: strict/lax F1 and seconds of both, per set and their
macro average (sets not named in ``--sets`` keep their figures from the last run), and
duiqi's encode-once floor. Each aligner runs in its own process, from reading the files to
writing the bead file, with a cold embedding cache for duiqi (Bertalign has none); the
encoder is loaded before the clock starts, for both.

Bertalign is never a dependency of duiqi. It lives in ``bench/.peers-venv`` (gitignored),
built here on first use: it declares Python >= 3.12 but runs on 3.11 once its one
``type X = ...`` alias is rewritten to a plain assignment, so the wheel is installed with
``--ignore-requires-python`` and that line patched. Its own imports (numba, lingua,
sentence-splitter) are installed there; torch, sentence-transformers and duiqi's use-m3
module come from duiqi's environment through a ``.pth`` file, so that the *same* use-m3
network encodes Bertalign's windows (its ``Encoder`` is subclassed to hold duiqi's
``SentenceTransformer``; nothing else in Bertalign is touched).

    .venv/bin/python bench/peers.py [--sets bible aca mag]
"""

from __future__ import annotations

import argparse
import json
import site
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dev_sets import DATA, FILES

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = BENCH / ".peers-venv"
RESULTS = BENCH / "results" / "peers.json"
BERTALIGN = "bertalign==2.0.1"
BERTALIGN_DEPS = ("numba", "lingua-language-detector", "sentence-splitter")


def peer_python() -> Path:
    """The peers' interpreter, building its environment the first time."""
    python = VENV / "bin" / "python"
    if python.exists():
        return python
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "--quiet"]
    with tempfile.TemporaryDirectory() as wheels:
        subprocess.run(
            [*pip, "download", BERTALIGN, "--no-deps", "--ignore-requires-python", "-d", wheels],
            check=True,
        )
        (wheel,) = Path(wheels).glob("bertalign-*.whl")
        subprocess.run(
            [*pip, "install", "--no-deps", "--ignore-requires-python", str(wheel)], check=True
        )
    subprocess.run([*pip, "install", *BERTALIGN_DEPS], check=True)
    packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (packages / "duiqi-env.pth").write_text(
        "\n".join([str(ROOT), *site.getsitepackages()]) + "\n", encoding="utf-8"
    )
    aligner = packages / "bertalign" / "aligner.py"
    source = aligner.read_text(encoding="utf-8")
    aligner.write_text(source.replace("\ntype SplitterFn = ", "\nSplitterFn = "), encoding="utf-8")
    return python


def run_worker(python: Path, method: str, name: str, out: Path) -> dict[str, Any]:
    """One aligner on one set in a fresh process; it prints one JSON line."""
    command = [str(python), str(BENCH / "peer_worker.py"), method, name, str(out)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(FILES), choices=list(FILES))
    args = parser.parse_args()
    peer = peer_python()
    results = _previous()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            row = {}
            for method, python in (("duiqi", Path(sys.executable)), ("bertalign", peer)):
                row[method] = run_worker(python, method, name, Path(tmp) / f"{name}.{method}")
                r = row[method]
                print(
                    f"{name:6s} {method:9s} F1 strict {r['f1_strict']:.4f} lax {r['f1_lax']:.4f}"
                    f"  {r['seconds']:7.1f} s"
                    + (
                        f"  ({r['seconds'] / r['encode_once_seconds']:.2f}x encoding once)"
                        if method == "duiqi"
                        else ""
                    ),
                    flush=True,
                )
            row["time_ratio"] = row["duiqi"]["seconds"] / row["bertalign"]["seconds"]
            row["measured"] = time.strftime("%Y-%m-%d %H:%M")
            results["sets"][name] = row
            _write(results)  # after every set: Bertalign takes long on two shared cores
    for method in ("duiqi", "bertalign"):
        figures = [row[method]["f1_strict"] for row in results["sets"].values()]
        results[f"{method}_macro_f1_strict"] = sum(figures) / len(figures)
        print(f"macro {method}: {results[f'{method}_macro_f1_strict']:.4f}")
    _write(results)
    print(f"wrote {RESULTS}")


def _previous() -> dict[str, Any]:
    """The sets measured before on the same data, kept so that ``--sets`` adds to them: a
    Bertalign run on every set takes well over an hour on two shared cores."""
    if RESULTS.exists():
        results: dict[str, Any] = json.loads(RESULTS.read_text(encoding="utf-8"))
        if results.get("data") == str(DATA):
            return results
    return {"data": str(DATA), "sets": {}}


def _write(results: dict[str, Any]) -> None:
    results["measured"] = time.strftime("%Y-%m-%d")
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
