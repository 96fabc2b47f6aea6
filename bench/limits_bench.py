"""The service's bounds, measured: what an unauthenticated 300 MB body costs the server, and
how long ``/api/align``'s work takes at the sentence counts around its limit.

1. ``duiqi serve`` runs as a child process; a chunked 300 MB ``POST /api/terms`` without a
   key is sent to it. Printed: the answer, how much of the body the server took before
   answering, and the server's resident memory before and at its peak (``VmHWM``), so the
   growth is compared with the same process's own baseline in the same run.
2. ``align_texts`` (the function behind ``/api/align``) on the first N lines of the Bible
   dev set, zh against en, auto mode, the default encoder (loaded first, no embedding
   cache), at N = 250, 500, 1,000 (the default ``DUIQI_MAX_ALIGN_SENTENCES``) and 2,000:
   seconds each, for choosing the limit and the 30 s ``DUIQI_ALIGN_TIMEOUT_S``.

Writes ``bench/results/limits.json``. Run: ``python bench/limits_bench.py`` (about two
minutes on two cores).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIBLE = Path(os.environ.get("DUIQI_BIBLE_DIR") or ROOT.parent / "shared" / "data" / "bible")
RESULTS = ROOT / "bench" / "results" / "limits.json"
KEY = "bench-key-0123456789abcdef"
MB = 1_000_000
CHUNKS = 300
SIZES = (250, 500, 1_000, 2_000)


def _memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unauthenticated_body() -> dict[str, object]:
    from glossary.formats.importing import load_seed_terms
    from glossary.store.engine import open_store

    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "g.sqlite3"
        store = open_store(path=db, create=True)
        load_seed_terms(store)
        store.close()
        port = _free_port()
        env = {**os.environ, "DUIQI_API_KEYS": f"bench:{KEY}", "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from api.cli import main; main()",
                "serve",
                "--db",
                str(db),
                "--port",
                str(port),
            ],
            env=env,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            before = _memory_mb(server.pid)
            sent = 0

            def body() -> Iterator[bytes]:
                nonlocal sent
                for _ in range(CHUNKS):
                    sent += 1
                    yield b" " * MB

            began = time.perf_counter()
            try:
                status: object = httpx.post(
                    f"{url}/api/terms",
                    content=body(),
                    timeout=120,
                    headers={"Content-Type": "application/json"},
                ).status_code
            except httpx.TransportError as error:  # the server answered and closed early
                status = f"connection closed by the server ({error.__class__.__name__})"
            seconds = time.perf_counter() - began
            after = _memory_mb(server.pid)
        finally:
            server.terminate()
            server.wait(10)
    return {
        "status": status,
        "chunks_sent_by_client_mb": sent,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before["VmRSS"], 1),
        "peak_rss_mb": round(after["VmHWM"], 1),
        "growth_mb": round(after["VmHWM"] - before["VmRSS"], 1),
    }


def align_times() -> list[dict[str, object]]:
    from align.encoders import load_encoder
    from api.aligning import align_texts

    encoder = load_encoder("use-m3", cache=False)  # every size encoded, as a new article is
    began = time.perf_counter()
    encoder.encode(["预热。", "Warm-up."])  # the model loads once, before the clock starts
    print(f"model loaded in {time.perf_counter() - began:.1f} s", flush=True)
    zh = (BIBLE / "zh.txt").read_text(encoding="utf-8").splitlines()
    en = (BIBLE / "en.txt").read_text(encoding="utf-8").splitlines()
    rows = []
    for size in SIZES:
        began = time.perf_counter()
        alignment = align_texts(
            "\n".join(zh[:size]), "\n".join(en[:size]), mode="auto", encoder=encoder
        )
        rows.append(
            {
                "lines": size,
                "zh_sentences": len(alignment.src),
                "en_sentences": len(alignment.tgt),
                "mode": alignment.mode,
                "seconds": round(time.perf_counter() - began, 2),
            }
        )
        print(f"align {size:>5} lines: {rows[-1]}", flush=True)
    return rows


def main() -> None:
    body = unauthenticated_body()
    print(f"unauthenticated 300 MB POST /api/terms: {body}", flush=True)
    result = {"unauthenticated_body": body, "align": align_times(), "cpus": os.cpu_count()}
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
