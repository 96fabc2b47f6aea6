"""The glossary stage of one HKMA dev year on fixed word links: its time and its store's digest.

eflomal samples (from /dev/urandom), so two builds of one year differ in their links and so in
their figures. A change meant to leave the glossary as it was is checked on one run's links:
the first call runs eflomal and saves its links beside the year's cache; every later call
reads them back instead of aligning words, runs ``duiqi batch MANIFEST --glossary`` in this
process on the cached aligned pairs, and prints its seconds (wall-clock, and CPU, which other
work on a shared machine disturbs less) and a digest of every stored row
(timestamps and the search keys' own ids aside: they say when and in which order rows were
written, not what the glossary holds). Equal digests: the same glossary. ``--profile FILE``
writes a cProfile of the run. The year must have been aligned by ``bench/glossary_bench.py``.

Run from the repository root: ``python bench/fixed_links.py 2019 [--profile out.prof]``.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pickle
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from glossary.extraction import parallel
from glossary.extraction.bitext import SentencePair
from glossary.extraction.word_alignment import Link

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "hkma"
_UNSTABLE = {"created_at", "updated_at", "at"}
Runs = tuple[tuple[frozenset[Link], ...], ...]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("year", help="a dev year cached under bench/.cache/hkma")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the run here")
    args = parser.parse_args()
    folder = CACHE / args.year
    if not (folder / "aligned").is_dir():
        parser.error(f"{folder} holds no aligned pairs: run bench/glossary_bench.py first")
    links = folder / "links.pickle"
    real = parallel.align_runs

    def fixed(pairs: Sequence[SentencePair], runs: int) -> Runs:
        if links.exists():
            saved: Runs = pickle.loads(links.read_bytes())
            if len(saved) != runs or any(len(run) != len(pairs) for run in saved):
                raise SystemExit(f"{links} is for other pairs: delete it to align words again")
            return saved
        found = real(pairs, runs)
        links.write_bytes(pickle.dumps(found))
        return found

    parallel.align_runs = fixed  # type: ignore[assignment]
    from api.cli import main as duiqi

    with tempfile.TemporaryDirectory(prefix="duiqi-fixed-links-") as scratch:
        database = Path(scratch, "glossary.sqlite")
        command = ["batch", str(folder / "pairs.csv"), "-o", str(folder / "aligned"),
                   "--glossary", "--db", str(database), "--quiet"]  # fmt: skip
        profiler = cProfile.Profile() if args.profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        status = duiqi(command)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(args.profile)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        rows, digest = store_digest(database)
    print(json.dumps({"year": args.year, "seconds": round(seconds, 2),
                      "cpu_seconds": round(cpu, 2), "digest": digest, "rows": rows}))  # fmt: skip
    return status


def store_digest(database: Path) -> tuple[dict[str, int], str]:
    """Rows per table and a SHA-256 over every table's rows in a fixed order."""
    digest = hashlib.sha256()
    counts = {}
    with sqlite3.connect(database) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'aligned_pair_fts%' ORDER BY name"
        )]  # fmt: skip
        for table in tables:
            columns = [
                name
                for _, name, *_ in connection.execute(f"PRAGMA table_info({table})")
                if name not in _UNSTABLE and (table, name) != ("search_key", "id")
            ]
            query = f"SELECT {', '.join(columns)} FROM {table}"
            rows = sorted(map(repr, connection.execute(query)))
            counts[table] = len(rows)
            digest.update(f"{table} {columns}\n".encode())
            digest.update("\n".join(rows).encode())
    return counts, digest.hexdigest()


if __name__ == "__main__":
    sys.exit(main())
