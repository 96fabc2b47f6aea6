"""Alignment quality and speed: Bible dev set and a synthetic 20,000-sentence pair.

Prints and writes ``bench/results/align.json``: strict/lax F1, seconds, sentences per second
and peak memory for duiqi's parallel aligner and for the length-only (Gale-Church style)
baseline, measured in the same run. Each configuration runs in its own process so that peak
memory is its own. The encoding time of every sentence, once, is measured cold (no cache):
it is the floor the end-to-end time is compared with.

    .venv/bin/python bench/align_bench.py [--bible DIR] [--skip-large]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

BIBLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "bible"
RESULTS = Path(__file__).resolve().parent / "results" / "align.json"


def _documents(bible: Path, repeat: int) -> tuple[Any, Any, list[Any]]:
    from align.document import make_document
    from align.gold import load_beads

    en_lines = (bible / "en.txt").read_text(encoding="utf-8").splitlines()
    zh_lines = (bible / "zh.txt").read_text(encoding="utf-8").splitlines()
    gold = load_beads(bible / "gold.align")
    beads = []
    for k in range(repeat):
        di, dj = k * len(en_lines), k * len(zh_lines)
        beads += [(tuple(i + di for i in s), tuple(j + dj for j in t)) for s, t in gold]
    # Each copy's lines carry its number, so every sentence is new to the embedding cache and
    # the encoding floor counts all of them, as it would for a real 20,000-sentence pair.
    en = make_document(_copies(en_lines, repeat), name="en", lang="en", split_lines=True)
    zh = make_document(_copies(zh_lines, repeat), name="zh", lang="zh", split_lines=True)
    return en, zh, beads


def _copies(lines: list[str], repeat: int) -> str:
    copies = (line if k == 0 else f"{line} ({k + 1})" for k in range(repeat) for line in lines)
    return "\n".join(copies)


def _run(job: dict[str, Any]) -> dict[str, Any]:
    from align.baseline import LengthAligner
    from align.encoders import load_encoder
    from align.evaluation import score_alignment
    from align.parallel import ParallelAligner

    en, zh, gold = _documents(Path(job["bible"]), job["repeat"])
    sentences = len(en) + len(zh)
    out: dict[str, Any] = {"sentences": sentences, "src": len(en), "tgt": len(zh)}
    if job["method"] == "baseline":
        start = time.perf_counter()
        alignment = LengthAligner().align(en, zh)
        out["seconds"] = time.perf_counter() - start
    else:
        with tempfile.TemporaryDirectory() as cache_dir:
            encoder = load_encoder("use-m3", cache=Path(cache_dir) / "e.sqlite")
            start = time.perf_counter()
            encoder.encode(en.texts)
            encoder.encode(zh.texts)
            out["encode_seconds"] = time.perf_counter() - start
            start = time.perf_counter()
            alignment = ParallelAligner(encoder).align(en, zh)  # embeddings now cached
            out["search_seconds"] = time.perf_counter() - start
        out["seconds"] = out["encode_seconds"] + out["search_seconds"]
        out["seconds_over_encoding"] = out["seconds"] / out["encode_seconds"]
    out["signature"] = str(alignment.signature)
    out["sentences_per_second"] = sentences / out["seconds"]
    out |= score_alignment(gold, alignment.beads).as_dict()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bible", type=Path, default=BIBLE)
    parser.add_argument("--skip-large", action="store_true", help="only the Bible set")
    args = parser.parse_args()
    sets = [("bible", 1)] + ([] if args.skip_large else [("synthetic_20k", 4)])
    # a partial run (--skip-large) updates its own sets and keeps the others' figures
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    ctx = multiprocessing.get_context("spawn")
    for name, repeat in sets:
        for method in ("duiqi", "baseline"):
            with ctx.Pool(1) as pool:
                job = {"bible": str(args.bible), "repeat": repeat, "method": method}
                row = pool.apply(_run, (job,))
            results.setdefault(name, {})[method] = row | {"measured": time.strftime("%Y-%m-%d")}
            print(
                f"{name:14s} {method:8s} F1 strict {row['f1_strict']:.3f} lax {row['f1_lax']:.3f}"
                f"  {row['seconds']:7.1f} s  {row['sentences_per_second']:7.0f} sent/s"
                f"  peak {row['peak_rss_mb']:6.0f} MB"
                + (f"  ({row['seconds_over_encoding']:.2f}x encoding)" if method == "duiqi" else "")
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
