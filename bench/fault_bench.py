"""Random kills of ``duiqi batch`` and ``duiqi glossary build``: ``bench/results/faults.json``.

Each trial starts the real command in its own process group and sends SIGKILL to the whole
group at a random moment (seeded): a batch's, a random fraction of a pair's time (measured in a
clean run first, in the same session) after a random number of its pairs are finished, so the
kill lands while results are being written; a build's, anywhere in a clean run's time, since
it writes the store from its start. Then it checks what a crash may never leave behind:

* batch: every ``<id>.done.json`` marker is valid and matches its outputs; every ``.tmx`` and
  ``.jsonl`` present is byte-identical to the clean run's (whole, never half-written); no
  ``summary.csv`` from a run that did not finish.
* build: the SQLite file passes ``PRAGMA integrity_check``.

Then the command is run again to the end, and its outputs must equal the clean run's: the
batch's files and summary rows (less timings and skipped/aligned), the glossary's CSV export
and aligned pairs. Temporary ``.part`` files a kill leaves are counted, not violations (their
names mark them as unfinished and nothing reads them), but the rerun must remove them.

The tests (``tests/test_kills.py``) run a few trials; this runs many more.

    .venv/bin/python bench/fault_bench.py [--batch-kills 20] [--build-kills 10] [--seed 11]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from align.batch import BatchSettings, read_manifest
from align.batch.outputs import SUMMARY, load_completed

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SEEDS = ROOT / "corpora" / "seeds"
RESULTS = ROOT / "bench" / "results" / "faults.json"
ENTRY = "import sys; from api.cli import main; sys.exit(main())"
#: Summary columns that differ between runs for reasons other than the result.
_VOLATILE = ("seconds", "status")


@dataclass(frozen=True)
class Scenario:
    """One command to kill: how to run it and how to read what it left behind."""

    name: str
    work: Path
    argv: tuple[str, ...]
    check_killed: Callable[[Scenario, Any], list[str]]
    snapshot: Callable[[Scenario], Any]
    reset: Callable[[], None]
    #: Units of work whose completion shows on disk (a batch's pairs), and how many are done:
    #: a kill is aimed at a random unit, so it lands while results are being written however
    #: fast the shared machine runs that day. A build's store is written throughout: 0 units.
    units: int = 0
    done_units: Callable[[Scenario], int] = lambda _: 0


@dataclass
class Tally:
    runs: int = 0
    kills: int = 0
    finished_before_kill: int = 0
    violations: int = 0
    stale_temporaries: int = 0
    messages: list[str] = field(default_factory=list)
    clean_seconds: float = 0.0
    seconds_per_unit: float = 0.0


def run(scenario: Scenario, env: dict[str, str], timeout: float = 900) -> tuple[float, float]:
    """Run the command to its end: its wall time, and the seconds per unit once one is done.

    A failure is raised: the rerun of a killed command must succeed like a clean one.
    """
    start = time.perf_counter()
    first = None
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, *scenario.argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    while process.poll() is None:
        if first is None and scenario.units and scenario.done_units(scenario):
            first = time.perf_counter() - start
        if time.perf_counter() - start > timeout:
            process.kill()
        time.sleep(0.02)
    assert process.stderr is not None
    err = process.stderr.read()
    if process.returncode != 0:
        raise RuntimeError(f"{scenario.name} exited {process.returncode}: {err[-2000:]!r}")
    seconds = time.perf_counter() - start
    per_unit = (seconds - (first or 0.0)) / max(scenario.units - 1, 1)
    return seconds, per_unit


def kill_at(scenario: Scenario, env: dict[str, str], *, after_units: int, delay: float) -> bool:
    """Start the command; once ``after_units`` units are done, SIGKILL its process group
    ``delay`` seconds later. False if it ended before."""
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, *scenario.argv],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while scenario.done_units(scenario) < after_units:
        if process.poll() is not None:
            return False
        time.sleep(0.02)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


def trial(
    scenario: Scenario,
    clean: Any,
    rng: random.Random,
    env: dict[str, str],
    tally: Tally,
    *,
    verbose: bool = False,
) -> None:
    """One kill, its checks, the rerun to the end and its comparison with the clean run."""
    scenario.reset()
    if scenario.units:
        after = rng.randrange(1, scenario.units)
        delay = rng.uniform(0.0, 1.5 * tally.seconds_per_unit)
    else:
        after, delay = 0, rng.uniform(0.0, tally.clean_seconds)
    killed = kill_at(scenario, env, after_units=after, delay=delay)
    tally.runs += 1
    if killed:
        tally.kills += 1
    else:
        tally.finished_before_kill += 1
    where = f"{after} units + {delay:.2f} s" if scenario.units else f"{delay:.2f} s"
    problems = scenario.check_killed(scenario, clean) if killed else []
    tally.stale_temporaries += sum(1 for _ in scenario.work.rglob(".*.part"))
    tally.runs += 1
    try:
        run(scenario, env)
    except RuntimeError as error:
        problems.append(f"the rerun failed: {error}")
    else:
        if scenario.snapshot(scenario) != clean:
            problems.append("the rerun's outputs differ from the clean run's")
        if any(scenario.work.rglob(".*.part")):
            problems.append("the rerun left temporary files behind")
    for problem in problems:
        tally.violations += 1
        tally.messages.append(f"{scenario.name} killed at {where}: {problem}")
    if verbose:
        outcome = "killed" if killed else "ended before the kill"
        print(f"  {scenario.name} at {where}: {outcome}; violations: {problems}", flush=True)


# --------------------------------------------------------------------------- batch


def batch_scenario(work: Path, *, pairs: int = 12) -> Scenario:
    """Pairs cut from the Bible sample in tests/data (one sentence a line)."""
    en = (DATA / "bible_en.txt").read_text(encoding="utf-8").splitlines()
    zh = (DATA / "bible_zh.txt").read_text(encoding="utf-8").splitlines()
    inputs = work / "inputs"
    inputs.mkdir(parents=True)
    rows = ["id,src,tgt"]
    for number in range(pairs):
        cut = slice(number * len(en) // pairs, (number + 1) * len(en) // pairs + 3)
        (inputs / f"en{number}.txt").write_text("\n".join(en[cut]) + "\n", encoding="utf-8")
        zcut = slice(number * len(zh) // pairs, (number + 1) * len(zh) // pairs + 4)
        (inputs / f"zh{number}.txt").write_text("\n".join(zh[zcut]) + "\n", encoding="utf-8")
        rows.append(f"p{number},en{number}.txt,zh{number}.txt")
    (inputs / "pairs.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = work / "out"

    def reset() -> None:
        shutil.rmtree(out, ignore_errors=True)

    return Scenario(
        name="batch",
        work=work,
        argv=("batch", str(inputs / "pairs.csv"), "-o", str(out), "--quiet", "--split-lines"),
        check_killed=_check_batch,
        snapshot=_batch_snapshot,
        reset=reset,
        units=pairs,
        done_units=lambda _: sum(1 for _ in out.glob("*.done.json")) if out.is_dir() else 0,
    )


def _out(scenario: Scenario) -> Path:
    return scenario.work / "out"


def _batch_snapshot(scenario: Scenario) -> dict[str, Any]:
    out = _out(scenario)
    files = {
        p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".tmx", ".jsonl")
    }
    with (out / SUMMARY).open(encoding="utf-8", newline="") as handle:
        rows = [{k: v for k, v in r.items() if k not in _VOLATILE} for r in csv.DictReader(handle)]
    return {"files": files, "summary": sorted(rows, key=lambda r: r["id"])}


def _check_batch(scenario: Scenario, clean: dict[str, Any]) -> list[str]:
    out = _out(scenario)
    if not out.exists():
        return []
    problems = []
    settings = BatchSettings(split_lines=True)
    complete = 0
    for spec in read_manifest(scenario.work / "inputs" / "pairs.csv"):
        if load_completed(out, spec, settings) is not None:
            complete += 1
        elif (out / f"{spec.id}.done.json").exists():
            problems.append(f"{spec.id}.done.json does not match the outputs")
    for path in out.iterdir():
        whole = clean["files"].get(path.name)
        if path.suffix in (".tmx", ".jsonl") and path.read_bytes() != whole:
            problems.append(f"{path.name} is not the whole file")
    # summary.csv describes one whole run: it may exist (a kill after the batch ended, while
    # the process was exiting) only if every pair is complete and it is the clean one.
    if (out / SUMMARY).exists() and (
        complete < len(clean["summary"]) or _batch_snapshot(scenario) != clean
    ):
        problems.append("summary.csv of a run that did not finish")
    return problems


# --------------------------------------------------------------------------- build


def build_scenario(work: Path) -> Scenario:
    """Two seed articles (one Chinese, one English) as a corpus of their own."""
    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    with (SEEDS / "manifest.csv").open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [r for r in reader if r["id"] in ("000", "004")]
        header = reader.fieldnames or []
    for row in rows:
        shutil.copy(SEEDS / row["file"], corpus / row["file"])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    (corpus / "manifest.csv").write_text(buffer.getvalue(), encoding="utf-8")
    db = work / "glossary.sqlite3"

    def reset() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    return Scenario(
        name="build",
        work=work,
        argv=("glossary", "build", str(corpus), "--db", str(db), "--quiet"),
        check_killed=_check_build,
        snapshot=_build_snapshot,
        reset=reset,
    )


def _db(scenario: Scenario) -> Path:
    return scenario.work / "glossary.sqlite3"


def _check_build(scenario: Scenario, _clean: Any) -> list[str]:
    db = _db(scenario)
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return [f"the store cannot be opened after the kill: {error}"]
    return [] if result == "ok" else [f"integrity_check: {result}"]


def _build_snapshot(scenario: Scenario) -> dict[str, Any]:
    db = _db(scenario)
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "glossary", "export", "--db", str(db)],
        env=os.environ,
        capture_output=True,
        timeout=300,
        check=True,
    )
    with sqlite3.connect(db) as connection:
        pairs = sorted(connection.execute("SELECT zh_text, en_text, score FROM aligned_pair"))
    return {"export": done.stdout, "pairs": pairs}


# --------------------------------------------------------------------------- driver


def measure(
    scenario: Scenario,
    kills: int,
    rng: random.Random,
    env: dict[str, str],
    *,
    verbose: bool = False,
) -> Tally:
    """Two clean runs, then trials until ``kills`` of them were killed.

    The first run fills the embedding cache; the second, as fast as the trials' runs will be,
    is the reference and sets the time range of the kills.
    """
    tally = Tally()
    for _ in range(2):
        scenario.reset()
        tally.clean_seconds, tally.seconds_per_unit = run(scenario, env)
        tally.runs += 1
    clean = scenario.snapshot(scenario)
    # A run can be quicker than the reference (the machine is shared); one that ends before
    # its kill counts as such, and trials go on until ``kills`` kills have landed.
    while tally.kills < kills and tally.finished_before_kill < 2 * kills:
        trial(scenario, clean, rng, env, tally, verbose=verbose)
    return tally


def environment(work: Path) -> dict[str, str]:
    """An embedding cache of the scenario's own (see :func:`measure`)."""
    return {**os.environ, "DUIQI_CACHE_DIR": str(work / "cache")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-kills", type=int, default=20)
    parser.add_argument("--build-kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="duiqi-faults-") as scratch:
        for name, kills, make in (
            ("batch", args.batch_kills, batch_scenario),
            ("build", args.build_kills, build_scenario),
        ):
            if kills <= 0:
                continue
            work = Path(scratch) / name
            scenario = make(work)
            tally = measure(scenario, kills, rng, environment(work), verbose=True)
            results[name] = asdict(tally)
            print(
                f"{name}: {tally.runs} runs, {tally.kills} kills "
                f"({tally.finished_before_kill} ended before the kill), "
                f"{tally.violations} violations, {tally.stale_temporaries} stale .part files; "
                f"clean run {tally.clean_seconds:.1f} s"
            )
            for message in tally.messages:
                print("  " + message)
    total = {
        key: sum(r[key] for r in results.values())
        for key in ("runs", "kills", "violations", "stale_temporaries")
    }
    report = {
        "what": "random SIGKILLs of duiqi batch and glossary build; invariants checked after "
        "each kill and after a rerun to the end",
        "seed": args.seed,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        **total,
        "by_command": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"total: {total}; {args.output}")


if __name__ == "__main__":
    main()
