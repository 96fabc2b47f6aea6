"""Alignment quality and speed on every dev set, their macro average, and a 20,000-sentence pair.

Prints and writes ``bench/results/align.json``: per dev set (see ``dev_sets.py``) strict/lax
F1, a per-bead-type breakdown (gold and predicted counts, precision, recall), seconds end to
end (reading the files to writing the beads, cold embedding cache), the encode-once floor
(every sentence encoded once, no cache; wall and CPU time) and peak memory, for duiqi's
parallel aligner and the length-only (Gale-Church style) baseline, measured in the same run;
then the macro average over the dev sets. Each configuration runs in its own process so that
peak memory is its own. ``synthetic_20k`` is the Bible four times over, each copy's lines
numbered so that every sentence is new to the cache: time and memory on a long pair.

    .venv/bin/python bench/align_bench.py [--sets bible aca mag] [--skip-large]
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

from dev_sets import DATA, FILES, as_pairs, breakdown

RESULTS = Path(__file__).resolve().parent / "results" / "align.json"
LARGE = "synthetic_20k"


def _texts(name: str) -> tuple[str, str, list[Any]]:
    from align.gold import load_beads

    if name != LARGE:
        src, tgt, gold = (DATA / part for part in FILES[name])
        return src.read_text("utf-8"), tgt.read_text("utf-8"), load_beads(gold)
    src, tgt, gold_path = (DATA / part for part in FILES["bible"])
    en, zh, gold = src.read_text("utf-8").splitlines(), tgt.read_text("utf-8").splitlines(), []
    for k in range(4):
        di, dj = k * len(en), k * len(zh)
        gold += [
            (tuple(i + di for i in s), tuple(j + dj for j in t)) for s, t in load_beads(gold_path)
        ]
    return _copies(en, 4), _copies(zh, 4), gold


def _copies(lines: list[str], repeat: int) -> str:
    return "\n".join(
        line if k == 0 else f"{line} ({k + 1})" for k in range(repeat) for line in lines
    )


def _run(job: dict[str, Any]) -> dict[str, Any]:
    from align.baseline import LengthAligner
    from align.document import make_document
    from align.encoders import load_encoder
    from align.evaluation import score_alignment
    from align.gold import format_bead
    from align.parallel import ParallelAligner

    src_text, tgt_text, gold = _texts(job["set"])
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if job["method"] == "baseline":
            aligner: Any = LengthAligner()
        else:
            plain = load_encoder("use-m3", cache=False)
            start, cpu = time.perf_counter(), time.process_time()
            plain.encode(make_document(src_text, lang="en", split_lines=True).texts)
            plain.encode(make_document(tgt_text, lang="zh", split_lines=True).texts)
            out["encode_once_seconds"] = time.perf_counter() - start
            out["encode_once_cpu_seconds"] = time.process_time() - cpu
            aligner = ParallelAligner(load_encoder("use-m3", cache=Path(tmp) / "cold.sqlite"))
        start, cpu = time.perf_counter(), time.process_time()
        en = make_document(src_text, lang="en", split_lines=True)
        zh = make_document(tgt_text, lang="zh", split_lines=True)
        alignment = aligner.align(en, zh)
        written = "".join(format_bead(b.src, b.tgt) + "\n" for b in alignment.beads)
        (Path(tmp) / "out.align").write_text(written, encoding="utf-8")
        out["seconds"] = time.perf_counter() - start
        out["cpu_seconds"] = time.process_time() - cpu
    if "encode_once_seconds" in out:
        # wall time is what users wait for; CPU time (all threads of this process) is the
        # ratio to trust on a shared machine, where another job's load moves the wall clock
        out["seconds_over_encoding"] = out["seconds"] / out["encode_once_seconds"]
        out["cpu_over_encoding"] = out["cpu_seconds"] / out["encode_once_cpu_seconds"]
    out["src"], out["tgt"] = len(en), len(zh)
    out["signature"] = str(alignment.signature)
    out["sentences_per_second"] = (len(en) + len(zh)) / out["seconds"]
    out |= score_alignment(gold, alignment.beads).as_dict()
    if job["set"] != LARGE:
        out["breakdown"] = breakdown(gold, as_pairs(alignment.beads))
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=list(FILES), choices=list(FILES))
    parser.add_argument("--skip-large", action="store_true", help="only the dev sets")
    args = parser.parse_args()
    sets = list(args.sets) + ([] if args.skip_large else [LARGE])
    # a partial run updates its own sets and keeps the others' figures
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    ctx = multiprocessing.get_context("spawn")
    for name in sets:
        for method in ("duiqi", "baseline"):
            with ctx.Pool(1) as pool:
                row = pool.apply(_run, ({"set": name, "method": method},))
            results.setdefault(name, {})[method] = row | {"measured": time.strftime("%Y-%m-%d")}
            print(
                f"{name:14s} {method:8s} F1 strict {row['f1_strict']:.4f} lax {row['f1_lax']:.4f}"
                f"  {row['seconds']:7.1f} s  {row['sentences_per_second']:7.0f} sent/s"
                f"  peak {row['peak_rss_mb']:6.0f} MB"
                + (
                    f"  ({row['seconds_over_encoding']:.2f}x encoding, CPU"
                    f" {row['cpu_over_encoding']:.2f}x)"
                    if method == "duiqi"
                    else ""
                ),
                flush=True,
            )
            if method == "duiqi" and "breakdown" in row:
                for kind, c in row["breakdown"].items():
                    print(
                        f"    {kind:4s} gold {c['gold']:5d} pred {c['pred']:5d} "
                        f"P {c['precision']:.3f} R {c['recall']:.3f}"
                    )
    for method in ("duiqi", "baseline"):
        figures = [results[n][method]["f1_strict"] for n in FILES if n in results]
        results.setdefault("macro", {})[method] = {
            "sets": [n for n in FILES if n in results],
            "f1_strict": sum(figures) / len(figures),
        }
        print(f"macro {method:8s} F1 strict {results['macro'][method]['f1_strict']:.4f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
