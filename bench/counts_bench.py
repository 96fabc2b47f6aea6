"""Honest counts and kept evidence across batches: ``bench/results/counts.json``.

Two batches whose manifests share a file name (both ``pairs.csv``, as the issue found them),
each a few chapters of one HKMA dev year, go through ``duiqi batch MANIFEST --glossary`` into
one store, with this checkout and with a baseline checkout (``--baseline``, e.g. the commit
before this work, unpacked with ``git archive``) in the same run. Measured:

- kept: of the extracted equivalents the first batch stored, how many the store still holds
  after the second batch;
- counts: for every extracted equivalent, its ``frequency`` against the stored aligned pairs
  whose Chinese holds the term and whose English holds the equivalent (case folded). An
  honest count is never above that; the share above it and the largest ratio are reported,
  and 香港 → "Hong Kong" (the issue's 19,881) in full;
- terms: since the frequency ranks equivalents, precision@1 and coverage of the first batch
  against its year's dictionary, scored as ``shared/data/hkma-dev/README.md`` says (a check
  that the counts do not cost quality, not a tuning target: nothing here is fitted).

    .venv/bin/python bench/counts_bench.py --data ../shared/data/hkma-dev \
        [--years 2017 2019] [--chapters 3] [--baseline /tmp/duiqi-before]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "counts.json"


def write_batch(folder: Path, year_file: Path, chapters: int) -> Path:
    """One pair per chapter (zh, en), manifest ``folder/pairs.csv``."""
    folder.mkdir(parents=True)
    rows = ["id,src,tgt"]
    lines = year_file.read_text(encoding="utf-8").splitlines()[:chapters]
    for number, line in enumerate(lines):
        chapter = json.loads(line)
        for lang in ("zh", "en"):
            (folder / f"ch{number:02d}.{lang}.md").write_text(chapter[lang], encoding="utf-8")
        rows.append(f"ch{number:02d},ch{number:02d}.zh.md,ch{number:02d}.en.md")
    manifest = folder / "pairs.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def run_batch(checkout: Path, manifest: Path, db: Path, env: dict[str, str]) -> float:
    command = [
        sys.executable,
        "-c",
        "import sys; from api.cli import main; sys.exit(main())",
        "batch",
        str(manifest),
        "-o",
        str(manifest.parent / "out"),
        "--glossary",
        "--db",
        str(db),
        "--quiet",
    ]
    began = time.perf_counter()
    subprocess.run(command, check=True, cwd=checkout, env={**env, "PYTHONPATH": str(checkout)})
    return time.perf_counter() - began


def extracted(db: Path) -> dict[tuple[str, str], int]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT t.zh, e.en, e.frequency FROM equivalent e JOIN term t ON t.id = e.term_id "
            "WHERE e.origin = 'extracted'"
        )
        return {(zh, en): frequency for zh, en, frequency in rows}


def count_check(db: Path, equivalents: dict[tuple[str, str], int]) -> dict[str, Any]:
    with sqlite3.connect(db) as connection:
        pairs = connection.execute("SELECT zh_text, lower(en_text) FROM aligned_pair").fetchall()
    over, ratios = 0, []
    for (zh, en), frequency in equivalents.items():
        both = sum(1 for z, e in pairs if zh in z and en.lower() in e)
        if frequency > both:
            over += 1
            ratios.append(frequency / max(both, 1))
    hk_both = sum(1 for z, e in pairs if "香港" in z and "hong kong" in e)
    return {
        "equivalents": len(equivalents),
        "aligned_pairs": len(pairs),
        "above_co_occurring_pairs": over,
        "share_above": round(over / max(len(equivalents), 1), 4),
        "largest_ratio": round(max(ratios, default=1.0), 2),
        "hong_kong": {
            "frequency": equivalents.get(("香港", "Hong Kong")),
            "aligned_pairs_with_both": hk_both,
            "aligned_pairs_with_香港": sum(1 for z, _ in pairs if "香港" in z),
        },
    }


def term_scores(db: Path, year_file: Path, chapters: int) -> dict[str, Any]:
    """Precision@1 and coverage of the glossary's top equivalent against the dictionary."""
    lines = [json.loads(line) for line in year_file.read_text(encoding="utf-8").splitlines()]
    text = "".join(chapter["zh"] for chapter in lines[:chapters])
    wanted: dict[str, set[str]] = {}
    for en, renderings in lines[0]["terms_en_zh"].items():
        for zh in renderings:
            if len(zh) > 1 and not zh.isdigit() and text.count(zh) >= 2:
                wanted.setdefault(zh, set()).add(_plain(en))
    found = right = 0
    with sqlite3.connect(db) as connection:
        for zh, english in wanted.items():
            top = connection.execute(
                "SELECT e.en FROM equivalent e JOIN term t ON t.id = e.term_id WHERE t.zh = ? "
                "ORDER BY e.confidence * e.frequency DESC, e.frequency DESC, e.en LIMIT 1",
                (zh,),
            ).fetchone()
            if top is not None:
                found += 1
                right += _plain(top[0]) in english
    return {
        "terms_tested": len(wanted),
        "precision_at_1": round(right / max(found, 1), 3),
        "coverage": round(found / max(len(wanted), 1), 3),
    }


def _plain(text: str) -> str:
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return " ".join(words[1:] if words and words[0] in ("the", "a", "an") else words)


def measure(
    checkout: Path,
    batches: list[Path],
    work: Path,
    env: dict[str, str],
    first_year: Path,
    chapters: int,
) -> dict[str, Any]:
    db = work / "glossary.sqlite3"
    seconds = [run_batch(checkout, batches[0], db, env)]
    first = extracted(db)
    terms = term_scores(db, first_year, chapters)
    for manifest in batches[1:]:
        seconds.append(run_batch(checkout, manifest, db, env))
    final = extracted(db)
    kept = sum(1 for key in first if key in final)
    return {
        "checkout": str(checkout),
        "seconds_per_batch": [round(s, 1) for s in seconds],
        "first_batch_equivalents": len(first),
        "kept_after_second_batch": kept,
        "first_batch_terms": terms,
        "counts": count_check(db, final),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "hkma-dev")
    parser.add_argument("--years", nargs="+", default=["2017", "2019"])
    parser.add_argument("--chapters", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout to measure in the same run")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "setting": {"years": args.years, "chapters_per_batch": args.chapters},
    }
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "DUIQI_CACHE_DIR": str(Path(scratch) / "cache")}
        for name, checkout in (("baseline", args.baseline), ("this", ROOT)):
            if checkout is None:
                continue
            work = Path(scratch) / name
            batches = [
                write_batch(work / year, args.data / f"{year}.jsonl", args.chapters)
                for year in args.years
            ]
            results[name] = measure(
                checkout.resolve(),
                batches,
                work,
                env,
                args.data / f"{args.years[0]}.jsonl",
                args.chapters,
            )
            print(json.dumps({name: results[name]}, ensure_ascii=False, indent=1))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
