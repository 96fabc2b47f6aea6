"""Lookup throughput and latency of the HTTP service while a batch job runs.

Builds a glossary from the curated seeds plus a synthetic 100,000-entry glossary, starts
``uvicorn`` on a free localhost port in a subprocess, submits a batch job (the Chinese seed
article against the English ones, real encoder) and then measures ``GET /api/terms`` at 1,
16 and 64 concurrent clients (httpx, async) for a fixed time each. Prints a table and
writes ``bench/results/api.json``. Localhost only; bounded by ``--seconds`` per level.

Run from the repository root: ``python bench/api_bench.py [--seconds 8] [--entries 100000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from glossary.importing import load_seed_terms
from glossary.store import merge_entries, open_store
from glossary.types import Equivalent, TermEntry

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
LEVELS = (1, 16, 64)
_HAN = "就业创业保障社会民生稳岗农民工高校毕业生困难人员失业保险培训技能岗位补贴贷款政策服务城乡"
_WORDS = ("employment", "entrepreneurship", "security", "social", "welfare", "job", "stability",
          "migrant", "worker", "graduate", "training", "skill", "subsidy", "loan", "policy",
          "service", "urban", "rural", "insurance")


def synthetic_entries(count: int, seed: int = 7) -> list[TermEntry]:
    """``count`` distinct made-up terms, each with one or two English equivalents."""
    rng = random.Random(seed)
    seen: set[str] = set()
    entries: list[TermEntry] = []
    while len(entries) < count:
        zh = "".join(rng.choice(_HAN) for _ in range(rng.randint(3, 7)))
        if zh in seen:
            continue
        seen.add(zh)
        renderings = tuple(
            Equivalent(en=" ".join(rng.sample(_WORDS, rng.randint(2, 4))) + f" {len(entries)}",
                       frequency=rng.randint(1, 50), confidence=round(rng.random(), 3),
                       examples=())
            for _ in range(rng.randint(1, 2))
        )
        entries.append(TermEntry(zh=zh, termhood=rng.random(), equivalents=renderings))
    return entries


def build_store(path: Path, entries: int) -> tuple[list[str], float]:
    """The glossary file and the queries to ask of it; returns (queries, seconds to build)."""
    began = time.perf_counter()
    store = open_store(path=path)
    try:
        load_seed_terms(store)
        synthetic = synthetic_entries(entries)
        merge_entries(store, synthetic, corpus_id="synthetic")
    finally:
        store.close()
    rng = random.Random(11)
    sample = rng.sample(synthetic, 300)
    queries = [t.zh for t in sample[:100]]  # exact Chinese
    queries += [t.zh[:2] for t in sample[100:200]]  # Chinese prefix: many matches
    queries += [t.equivalents[0].en.split()[0][:5] for t in sample[200:]]  # English prefix
    queries += ["稳岗", "渝创渝新", "一生一困", "stabiliz"]
    return queries, time.perf_counter() - began


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(db: Path, key: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DUIQI_DB=str(db), DUIQI_API_KEYS=f"bench:{key}")
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not answer /healthz within 60 s")


def submit_job(base: str, key: str) -> str:
    manifest = [line.split(",")[:3] for line in
                (SEEDS / "manifest.csv").read_text(encoding="utf-8").splitlines()[1:]]
    zh = [SEEDS / f for _, f, lang in manifest if lang == "zh"]
    en = [SEEDS / f for _, f, lang in manifest if lang == "en"]
    pairs = [{"name": f"{z.stem}+{e.stem}", "src_text": z.read_text(encoding="utf-8"),
              "tgt_text": e.read_text(encoding="utf-8")} for z in zh for e in en]
    response = httpx.post(f"{base}/api/jobs", json={"pairs": pairs, "mode": "auto"},
                          headers={"Authorization": f"Bearer {key}"}, timeout=30)
    response.raise_for_status()
    job_id: str = response.json()["id"]
    return job_id


async def measure(base: str, queries: list[str], clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(worker: int, http: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(worker)
        while time.perf_counter() < stop:
            q = rng.choice(queries)
            began = time.perf_counter()
            try:
                response = await http.get("/api/terms", params={"q": q, "limit": 10})
                if response.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - began)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        began = time.perf_counter()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        elapsed = time.perf_counter() - began
    ms = np.array(latencies) * 1000
    return {
        "clients": clients, "requests": len(latencies), "errors": errors,
        "lookups_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per level")
    parser.add_argument("--entries", type=int, default=100_000, help="synthetic glossary size")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "api.json")
    args = parser.parse_args()
    key = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        queries, build_s = build_store(db, args.entries)
        print(f"built {args.entries:,} synthetic entries + seeds in {build_s:.1f} s", flush=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, key, port)
        try:
            job_id = submit_job(base, key)
            results = []
            for clients in LEVELS:
                job = httpx.get(f"{base}/api/jobs/{job_id}", timeout=30).json()
                row = asyncio.run(measure(base, queries, clients, args.seconds))
                row["job_state_at_start"] = f"{job['state']} {job['done']}/{job['total']}"
                results.append(row)
                print(f"{clients:>3} clients: {row['lookups_per_s']:>7.1f} lookups/s  "
                      f"p50 {row['p50_ms']:>6.1f} ms  p99 {row['p99_ms']:>6.1f} ms  "
                      f"errors {row['errors']}  (job {row['job_state_at_start']})", flush=True)
            job = httpx.get(f"{base}/api/jobs/{job_id}", timeout=30).json()
        finally:
            server.terminate()
            server.wait(30)
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "glossary": {"synthetic_entries": args.entries, "build_seconds": round(build_s, 1)},
        "seconds_per_level": args.seconds,
        "job_at_end": {k: job[k] for k in ("state", "done", "total", "sentences_per_second")},
        "levels": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
