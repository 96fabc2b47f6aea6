"""Lookup throughput and latency of the HTTP service while a batch job runs, and the job's speed.

Builds a glossary from the curated seeds plus a synthetic 100,000-entry glossary (built
once and cached, see ``cached_store``), times ``lookup`` itself on it, then starts
``uvicorn`` on a free localhost port in a subprocess and runs a batch job alone (the
Chinese seed article against the English ones, real encoder) to get its solo speed. Then,
with the same job running again, it measures ``GET /api/terms`` at 1, 16 and 64 concurrent
clients for a fixed time each, once with the read cache on (the default) and once with
it off, and reads how fast the job went meanwhile. The peer, measured in the same run with
the same client: a FastAPI endpoint returning a constant under the same uvicorn, the
framework's own limit on this machine. Prints a table and writes ``bench/results/api.json``.
Localhost only; bounded by ``--seconds`` per level.

Each job's articles carry a marker unique to the job and the run in every sentence, so no
job is answered from the embedding cache an earlier job filled.

The clients are plain asyncio keep-alive HTTP/1.1 connections, not httpx: httpx's
connection pool costs grow with the number of connections, and at 64 clients it, not the
server, set the figure (an endpoint returning a constant measured 96 requests/s through
httpx and about 1,800/s through this client on the same 2-core machine).

Run from the repository root: ``python bench/api_bench.py [--seconds 8] [--entries 100000]``.
The machine's load average is recorded: on a shared machine every figure is a lower bound.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import inspect
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import numpy as np

from align.encoders import default_cache_path
from glossary.formats.importing import SEED_TERMS_PATH, load_seed_terms
from glossary.store.engine import open_store
from glossary.store.lookups import lookup
from glossary.store.merging import merge_entries
from glossary.types import Equivalent, TermEntry

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpora" / "seeds"
LEVELS = (1, 16, 64)
BUILD_INPUTS = ("glossary/store/models.py", "glossary/formats/importing.py")
"""Files whose change makes a cached glossary unfit (the schema, the seed loader); the
merge code is left out, since how the rows were merged does not matter to lookups."""
_HAN = "就业创业保障社会民生稳岗农民工高校毕业生困难人员失业保险培训技能岗位补贴贷款政策服务城乡"
_WORDS = (
    "employment",
    "entrepreneurship",
    "security",
    "social",
    "welfare",
    "job",
    "stability",
    "migrant",
    "worker",
    "graduate",
    "training",
    "skill",
    "subsidy",
    "loan",
    "policy",
    "service",
    "urban",
    "rural",
    "insurance",
)


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
            Equivalent(
                en=" ".join(rng.sample(_WORDS, rng.randint(2, 4))) + f" {len(entries)}",
                frequency=rng.randint(1, 50),
                confidence=round(rng.random(), 3),
                examples=(),
            )
            for _ in range(rng.randint(1, 2))
        )
        entries.append(TermEntry(zh=zh, termhood=rng.random(), equivalents=renderings))
    return entries


def build_store(path: Path, entries: int) -> tuple[list[str], float]:
    """The glossary file and the queries to ask of it; returns (queries, seconds to build)."""
    began = time.perf_counter()
    store = open_store(path=path, create=True)
    try:
        load_seed_terms(store)
        merge_entries(store, synthetic_entries(entries), corpus_id="synthetic")
    finally:
        store.close()
    return bench_queries(entries), time.perf_counter() - began


def bench_queries(entries: int) -> list[str]:
    """Exact Chinese terms, two-character Chinese prefixes, English word prefixes, named terms."""
    synthetic = synthetic_entries(entries)
    rng = random.Random(11)
    sample = rng.sample(synthetic, 300)
    queries = [t.zh for t in sample[:100]]  # exact Chinese
    queries += [t.zh[:2] for t in sample[100:200]]  # Chinese prefix: many matches
    queries += [t.equivalents[0].en.split()[0][:5] for t in sample[200:]]  # English prefix
    queries += ["稳岗", "渝创渝新", "一生一困", "stabiliz"]
    return queries


def build_fingerprint(entries: int) -> str:
    """Hash of everything the built glossary depends on: the code that builds it, the seeds."""
    digest = hashlib.sha256(f"{entries}|{inspect.getsource(synthetic_entries)}".encode())
    for name in BUILD_INPUTS:
        digest.update((ROOT / name).read_bytes())
    digest.update(Path(SEED_TERMS_PATH).read_bytes())
    return digest.hexdigest()[:16]


def cached_store(path: Path, entries: int, cache_dir: Path) -> tuple[list[str], float, bool]:
    """Copy the cached glossary to ``path``, building and caching it first if needed.

    The build (about 300 s for 100,000 entries, most of it ``merge_entries``) is the same
    every run unless the code or seeds change, so it is kept under ``cache_dir`` keyed by
    ``build_fingerprint``; a run works on a copy, since the batch job writes to it.
    Returns (queries, seconds the build took when it was made, whether it was cached).
    """
    fingerprint = build_fingerprint(entries)
    cached = cache_dir / f"api-bench-{entries}-{fingerprint}.sqlite3"
    meta = cached.with_suffix(".json")
    hit = cached.exists() and meta.exists()
    if not hit:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob(f"api-bench-{entries}-*"):
            old.unlink()
        partial = cache_dir / f"{cached.name}.partial"
        for leftover in cache_dir.glob(f"{partial.name}*"):
            leftover.unlink()
        _, build_s = build_store(partial, entries)
        _checkpoint(partial)
        partial.replace(cached)
        meta.write_text(json.dumps({"build_seconds": round(build_s, 1)}), encoding="utf-8")
    shutil.copyfile(cached, path)
    build_s = float(json.loads(meta.read_text(encoding="utf-8"))["build_seconds"])
    return bench_queries(entries), build_s, hit


def _checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so the file alone is the whole glossary."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode = DELETE")
    connection.close()


@dataclass(frozen=True)
class LookupTimes:
    """``lookup`` itself, in-process, no HTTP, no job: milliseconds by kind of query."""

    kind: str
    queries: int
    p50_ms: float
    p99_ms: float


def time_lookups(path: Path, queries: list[str], rounds: int = 3) -> list[LookupTimes]:
    """Median and p99 of ``lookup`` per kind of query (issue 3 asks < 10 ms at the median)."""
    kinds = {
        "zh exact": queries[:100],
        "zh prefix": queries[100:200],
        "en prefix": queries[200:300],
        "named": queries[300:],
    }
    store = open_store(path=path, create=True)
    try:
        for q in queries:  # warm the page cache and the statement cache
            lookup(store, q, limit=10, examples=3)
        out = []
        for kind, group in kinds.items():
            seconds = []
            for _ in range(rounds):
                for q in group:
                    began = time.perf_counter()
                    lookup(store, q, limit=10, examples=3)
                    seconds.append(time.perf_counter() - began)
            ms = np.array(seconds) * 1000
            out.append(
                LookupTimes(
                    kind=kind,
                    queries=len(group),
                    p50_ms=round(float(np.percentile(ms, 50)), 2),
                    p99_ms=round(float(np.percentile(ms, 99)), 2),
                )
            )
        return out
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def constant_app() -> Any:
    """The peer: FastAPI answering a constant, under the same uvicorn as the service."""
    from fastapi import FastAPI

    app = FastAPI()
    answer = {
        "query": "稳岗",
        "total": 0,
        "total_exact": True,
        "limit": 10,
        "offset": 0,
        "items": [],
    }

    @app.get("/api/terms")
    def constant(q: str = "") -> dict[str, Any]:
        return answer

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def start_server(
    db: Path,
    key: str,
    port: int,
    *,
    cache_ms: int = 10_000,
    factory: str = "api.service.app:create_app",
) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        DUIQI_DB=str(db),
        DUIQI_API_KEYS=f"bench:{key}",
        DUIQI_READ_CACHE_MS=str(cache_ms),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "bench")]),
    )
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
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


def marked(text: str, marker: str) -> str:
    """``text`` with ``marker`` opening every sentence, so no sentence is in the cache."""
    return re.sub(
        r"(?<=[。！？.!?])(\s*)(?=\S)", lambda m: f"{m.group(1)}{marker} ", f"{marker} {text}"
    )


def submit_job(base: str, key: str, marker: str, repeats: int = 1) -> str:
    manifest = [
        line.split(",")[:3]
        for line in (SEEDS / "manifest.csv").read_text(encoding="utf-8").splitlines()[1:]
    ]
    zh = [SEEDS / f for _, f, lang in manifest if lang == "zh"]
    en = [SEEDS / f for _, f, lang in manifest if lang == "en"]
    pairs = [
        {
            "name": f"{z.stem}+{e.stem}",
            "src_text": marked(z.read_text(encoding="utf-8"), f"{marker}r{r}"),
            "tgt_text": marked(e.read_text(encoding="utf-8"), f"{marker}r{r}"),
        }
        for r in range(repeats)
        for z in zh
        for e in en
    ]
    response = httpx.post(
        f"{base}/api/jobs",
        json={"pairs": pairs, "mode": "auto"},
        headers={"Authorization": f"Bearer {key}"},
        timeout=30,
    )
    response.raise_for_status()
    job_id: str = response.json()["id"]
    return job_id


def wait_until_done(base: str, job_id: str, limit_s: float) -> dict[str, Any]:
    """The job's record once it has finished (or when ``limit_s`` has passed)."""
    began = time.perf_counter()
    while True:
        job: dict[str, Any] = httpx.get(f"{base}/api/jobs/{job_id}", timeout=30).json()
        if job["state"] in ("done", "failed") or time.perf_counter() - began > limit_s:
            return job
        time.sleep(0.5)


def job_speed(job: dict[str, Any]) -> dict[str, Any]:
    keys = ("state", "done", "total", "sentences", "seconds", "sentences_per_second")
    return {k: (round(job[k], 2) if isinstance(job[k], float) else job[k]) for k in keys}


def wait_until_running(base: str, job_id: str, limit_s: float = 120.0) -> float:
    """Seconds until the job leaves "queued": measuring before would time an idle worker."""
    began = time.perf_counter()
    while time.perf_counter() - began < limit_s:
        if httpx.get(f"{base}/api/jobs/{job_id}", timeout=30).json()["state"] != "queued":
            break
        time.sleep(0.2)
    return time.perf_counter() - began


def measure_levels(port: int, queries: list[str], seconds: float, label: str) -> list[Any]:
    rows = []
    for clients in LEVELS:
        row = asyncio.run(measure(port, queries, clients, seconds))
        rows.append(row)
        print(
            f"{label:<24} {clients:>3} clients: {row['lookups_per_s']:>7.1f} lookups/s  "
            f"p50 {row['p50_ms']:>6.1f} ms  p99 {row['p99_ms']:>6.1f} ms  "
            f"errors {row['errors']}",
            flush=True,
        )
    return rows


async def measure(port: int, queries: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` keep-alive connections, each asking one lookup after another."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def client(worker: int) -> None:
        nonlocal errors
        rng = random.Random(worker)
        connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while time.perf_counter() < stop:
            q = rng.choice(queries)
            began = time.perf_counter()
            try:
                if connection is None:
                    connection = await asyncio.open_connection("127.0.0.1", port)
                status = await _get(*connection, f"/api/terms?q={quote(q)}&limit=10")
                if status != 200:
                    errors += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += 1
                if connection is not None:
                    connection[1].close()
                connection = None
            latencies.append(time.perf_counter() - began)
        if connection is not None:
            connection[1].close()

    began = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - began
    ms = np.array(latencies) * 1000
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": errors,
        "lookups_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
    }


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, target: str) -> int:
    """One HTTP/1.1 GET on an open connection; the status, with the body read and dropped."""
    writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode("ascii"))
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    length = 0
    for line in head[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(head[0].split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="measuring time per level")
    parser.add_argument("--entries", type=int, default=100_000, help="synthetic glossary size")
    parser.add_argument(
        "--job-repeats",
        type=int,
        default=3,
        help="copies of the seed pairs in the job that runs under load",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "api.json")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=default_cache_path().parent / "bench",
        help="where the built glossary is kept between runs",
    )
    args = parser.parse_args()
    key = secrets.token_urlsafe(24)
    run = "x" + secrets.token_hex(3)  # in every job's markers: no two runs share a sentence
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        began = time.perf_counter()
        queries, build_s, cached = cached_store(db, args.entries, args.cache_dir)
        print(
            f"{args.entries:,} synthetic entries + seeds: built in {build_s:.1f} s"
            f"{'' if not cached else ' (cached)'}; ready in "
            f"{time.perf_counter() - began:.1f} s",
            flush=True,
        )
        in_process = time_lookups(db, queries)
        for timing in in_process:
            print(
                f"lookup() {timing.kind:<10} p50 {timing.p50_ms:>6.2f} ms  "
                f"p99 {timing.p99_ms:>6.2f} ms",
                flush=True,
            )
        solo, runs = None, []
        for label, cache_ms in (("duiqi, read cache on", 10_000), ("duiqi, read cache off", 0)):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = start_server(db, key, port, cache_ms=cache_ms)
            try:
                warm = wait_until_done(base, submit_job(base, key, f"{run}W{len(runs)}"), 600)
                print(f"warm-up job (loads the model): {job_speed(warm)}", flush=True)
                if solo is None:
                    solo = job_speed(wait_until_done(base, submit_job(base, key, f"{run}S"), 600))
                    print(
                        f"job alone: {solo['sentences_per_second']:.1f} sentences/s "
                        f"({solo['sentences']} sentences in {solo['seconds']} s)",
                        flush=True,
                    )
                job_id = submit_job(base, key, f"{run}L{len(runs)}", repeats=args.job_repeats)
                job_wait_s = wait_until_running(base, job_id)
                levels = measure_levels(port, queries, args.seconds, label)
                loaded = job_speed(httpx.get(f"{base}/api/jobs/{job_id}", timeout=30).json())
                print(f"job under load: {loaded}", flush=True)
            finally:
                server.terminate()
                server.wait(30)
            runs.append(
                {
                    "server": label,
                    "read_cache_ms": cache_ms,
                    "job_started_after_s": round(job_wait_s, 1),
                    "levels": levels,
                    "job_under_load": loaded,
                }
            )
        port = free_port()
        server = start_server(db, key, port, factory="api_bench:constant_app")
        try:
            peer = measure_levels(port, queries, args.seconds, "peer: FastAPI constant")
        finally:
            server.terminate()
            server.wait(30)
    report = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "glossary": {
            "synthetic_entries": args.entries,
            "build_seconds": round(build_s, 1),
            "build_cached": cached,
        },
        "lookup_in_process": [asdict(timing) for timing in in_process],
        "client": "asyncio keep-alive HTTP/1.1",
        "seconds_per_level": args.seconds,
        "job_alone": solo,
        "runs": runs,
        "peer_constant_endpoint": peer,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
