"""Batch throughput and scaling: ``bench/results/batch.json``.

A synthetic batch of 200 real parallel pairs is cut from the Bible dev set along its gold beads
(so every pair is a translation pair), then aligned with 1 and 2 local worker processes and with
2 Ray actors, each configuration with a fresh (cold) embedding cache, then once more warm.
Peak memory per worker is the largest VmHWM (peak resident set) seen among the worker
processes, read from /proc (Linux). Last, one pair of ~20,000-sentence documents (Bible beads
repeated four times, blocks shuffled the same way on both sides) is aligned in this process.

    .venv/bin/python bench/batch_bench.py [--pairs 200] [--skip-ray] [--skip-big]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from align.batch import BatchSettings, Engine, LocalEngine, read_manifest, run_batch
from align.document import load_document
from align.encoders import load_encoder
from align.gold import load_beads
from align.pipeline import align_documents

ROOT = Path(__file__).resolve().parent.parent
BIBLE = ROOT.parent / "shared" / "data" / "bible"
RESULTS = ROOT / "bench" / "results" / "batch.json"
Beads = list[tuple[list[int], list[int]]]


def gold_beads() -> Beads:
    return [(list(s), list(t)) for s, t in load_beads(BIBLE / "gold.align")]


def make_batch(folder: Path, pairs: int) -> Path:
    en = (BIBLE / "en.txt").read_text(encoding="utf-8").splitlines()
    zh = (BIBLE / "zh.txt").read_text(encoding="utf-8").splitlines()
    beads = gold_beads()
    size = len(beads) // pairs
    rows = ["id,src,tgt"]
    for p in range(pairs):
        chunk = beads[p * size : (p + 1) * size]
        en_ids = [i for s, _ in chunk for i in s]
        zh_ids = [j for _, t in chunk for j in t]
        (folder / f"{p:03d}.en.txt").write_text("\n".join(en[i] for i in en_ids) + "\n")
        (folder / f"{p:03d}.zh.txt").write_text("\n".join(zh[j] for j in zh_ids) + "\n")
        rows.append(f"p{p:03d},{p:03d}.en.txt,{p:03d}.zh.txt")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n")
    return manifest


class PeakMemory:
    """Samples the peak RSS (VmHWM) of the processes ``find`` returns, twice a second."""

    def __init__(self, find: Callable[[], list[int]]) -> None:
        self.find = find
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            for pid in self.find():
                kb = _vm_hwm_kb(pid)
                if kb:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), kb)


def _vm_hwm_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) if match else 0


def _children() -> list[int]:
    me = str(os.getpid())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == me:
                found.append(int(entry.name))
    return found


def _ray_actors() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"_PairAligner" in cmdline:
                found.append(int(entry.name))
    return found


def run_config(
    name: str,
    manifest: Path,
    make_engine: Callable[[BatchSettings], Engine],
    find: Callable[[], list[int]],
    cache: Path,
    out: Path,
) -> dict[str, Any]:
    settings = BatchSettings(cache=cache, split_lines=True)
    specs = read_manifest(manifest)
    figures: dict[str, Any] = {"config": name}
    for phase in ("cold", "warm"):
        folder = out / f"{name}-{phase}"
        with PeakMemory(find) as memory:
            start = time.perf_counter()
            results = list(run_batch(specs, folder, engine=make_engine(settings)))
            seconds = time.perf_counter() - start
        failed = [r for r in results if r.status != "aligned"]
        if failed:
            raise RuntimeError(f"{name}: {len(failed)} pairs failed, e.g. {failed[0].error}")
        sentences = sum(r.sentences for r in results)
        figures[phase] = {
            "seconds": round(seconds, 2),
            "sentences": sentences,
            "sentences_per_s": round(sentences / seconds, 1),
            "align_seconds_sum": round(sum(r.seconds for r in results), 2),
            "peak_rss_mb_per_worker": round(max(memory.peaks.values(), default=0) / 1024, 1),
            "workers_seen": len(memory.peaks),
        }
        print(f"{name} {phase}: {figures[phase]}", file=sys.stderr)
    return figures


def big_pair(folder: Path, copies: int = 4, block: int = 50) -> dict[str, Any]:
    en = (BIBLE / "en.txt").read_text(encoding="utf-8").splitlines()
    zh = (BIBLE / "zh.txt").read_text(encoding="utf-8").splitlines()
    beads = gold_beads()
    chunks = [beads[i : i + block] for i in range(0, len(beads), block)]
    blocks = [(copy, chunk) for copy in range(copies) for chunk in chunks]
    random.Random(0).shuffle(blocks)
    # A copy's lines carry its number, so the cold cache really encodes every sentence.
    mark = [""] + [f" ({copy + 1})" for copy in range(1, copies)]
    en_lines = [en[i] + mark[copy] for copy, chunk in blocks for s, _ in chunk for i in s]
    zh_lines = [zh[j] + mark[copy] for copy, chunk in blocks for _, t in chunk for j in t]
    (folder / "big.en.txt").write_text("\n".join(en_lines) + "\n")
    (folder / "big.zh.txt").write_text("\n".join(zh_lines) + "\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    encoder = load_encoder(cache=folder / "big-cache.sqlite")
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    src = load_document(folder / "big.en.txt", split_lines=True)
    tgt = load_document(folder / "big.zh.txt", split_lines=True)
    alignment = align_documents(src, tgt, mode="parallel", encoder=encoder)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "en_sentences": len(src),
        "zh_sentences": len(tgt),
        "seconds_cold_cache": round(seconds, 1),
        "beads": len(alignment.beads),
        "peak_rss_mb": round(peak / 1024, 1),
        "rss_mb_before_encoder": round(before / 1024, 1),
        "rss_mb_after_encoder_load": round(loaded / 1024, 1),
    }
    print(f"20k pair: {figures}", file=sys.stderr)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "signature": "model:use-m3|mode:auto|split_lines:True|cache:fresh per config",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "pairs": args.pairs,
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = make_batch(folder, args.pairs)
        configs: list[tuple[str, Callable[[BatchSettings], Engine], Callable[[], list[int]]]] = [
            ("local-1", lambda s: LocalEngine(s, workers=1), _children),
            ("local-2", lambda s: LocalEngine(s, workers=2), _children),
        ]
        if not args.skip_ray:
            from align.batch.ray_engine import RayEngine

            configs.append(("ray-2", lambda s: RayEngine(s, workers=2), _ray_actors))
        runs = [
            run_config(name, manifest, make, find, folder / f"{name}-cache.sqlite", folder)
            for name, make, find in configs
        ]
        report["runs"] = runs
        one = runs[0]["cold"]["sentences_per_s"]
        report["scaling_efficiency_cold"] = {
            r["config"]: round(r["cold"]["sentences_per_s"] / (one * int(r["config"][-1])), 3)
            for r in runs
        }
        if not args.skip_big:
            report["big_pair"] = big_pair(folder)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
