"""A fast fake encoder, test settings and a seeded client shared by the API tests."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from fastapi.testclient import TestClient

from align.encoders import Encoder, Vectors, normalise_rows
from api.service.app import create_app
from api.service.deps import get_encoder
from api.service.settings import Settings, get_settings
from glossary.formats.importing import load_seed_terms
from glossary.store.engine import open_store
from glossary.store.merging import merge_entries
from glossary.store.recording import record_documents, record_pairs
from glossary.store.views import DocumentRecord, PairRecord
from glossary.types import Equivalent, Example, Span, TermEntry

KEY = "test-key-0123456789abcdef"
OTHER_KEY = "second-key-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {KEY}"}
DIM = 64


class HashEncoder(Encoder):
    """Bag of characters hashed into a few dimensions: similar texts get similar vectors.

    Digits and Latin letters are shared by both languages, so numbers make a Chinese
    sentence and its English translation look alike, enough for the aligner's plumbing.
    """

    name = "hash-test"

    def encode(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text.lower():
                if char.isalnum():
                    digest = hashlib.blake2b(char.encode(), digest_size=2).digest()
                    out[row, int.from_bytes(digest, "big") % DIM] += 1.0
        return normalise_rows(out)


class GatedEncoder(HashEncoder):
    """A ``HashEncoder`` that notes the process it runs in and waits at a gate.

    Texts containing "gate" are not encoded until the file ``gate`` exists, so a test can
    hold a job in the middle of its work. Picklable, as the job worker process needs.
    """

    def __init__(self, gate: Path, pids: Path) -> None:
        self.gate, self.pids = gate, pids

    def encode(self, texts: Sequence[str]) -> Vectors:
        with self.pids.open("a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\n")
        if any("gate" in text.lower() for text in texts):
            while not self.gate.exists():
                time.sleep(0.02)
        return super().encode(texts)


ZH_1 = "实施“渝创渝新”创业促进计划。"
EN_1 = "We implemented the Chongqing Create Chongqing New plan."
ZH_2 = "落实减负稳岗政策。"
EN_2 = "Policies to reduce burdens and stabilize jobs were carried out."


def _example(zh: str, en: str, term: str, equivalent: str, sent: int) -> Example:
    start, end = zh.index(term), en.index(equivalent)
    return Example(
        doc_zh="seed-002-zh",
        doc_en="seed-002-en",
        sent_zh=sent,
        sent_en=sent,
        zh_text=zh,
        en_text=en,
        zh_span=Span(start, start + len(term)),
        en_span=Span(end, end + len(equivalent)),
        pair_score=0.9,
    )


EXTRACTED = (
    TermEntry(
        "渝创渝新",
        0.8,
        (
            Equivalent(
                "Chongqing Create Chongqing New",
                3,
                0.92,
                (_example(ZH_1, EN_1, "渝创渝新", "Chongqing Create Chongqing New", 0),),
            ),
        ),
    ),
    TermEntry(
        "稳岗",
        0.7,
        (
            Equivalent(
                "stabilize jobs", 5, 0.88, (_example(ZH_2, EN_2, "稳岗", "stabilize jobs", 1),)
            ),
        ),
    ),
)


def seed_store(path: Path) -> None:
    """The curated seed glossary plus two aligned pairs with provenance."""
    store = open_store(path=path, create=True)
    try:
        load_seed_terms(store)
        record_documents(
            store,
            [
                DocumentRecord(
                    id="seed-002-zh",
                    lang="zh",
                    title="重庆稳就业",
                    source="cq.gov.cn",
                    date="2023-03-01",
                ),
                DocumentRecord(
                    id="seed-002-en",
                    lang="en",
                    title="Chongqing keeps jobs stable",
                    source="english.cq.gov.cn",
                    date="2023-03-02",
                ),
            ],
        )
        record_pairs(
            store,
            [
                PairRecord(
                    doc_zh="seed-002-zh",
                    doc_en="seed-002-en",
                    zh_ids=(0,),
                    en_ids=(0,),
                    zh_text=ZH_1,
                    en_text=EN_1,
                    score=0.91,
                ),
                PairRecord(
                    doc_zh="seed-002-zh",
                    doc_en="seed-002-en",
                    zh_ids=(1,),
                    en_ids=(1,),
                    zh_text=ZH_2,
                    en_text=EN_2,
                    score=0.87,
                ),
            ],
            corpus_id="seed",
        )
        merge_entries(store, EXTRACTED, corpus_id="seed")
    finally:
        store.close()


def settings_for(db: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "api_keys": {KEY: "alice", OTHER_KEY: "bob"},
        "db_path": db,
        "model": "hash-test",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def ensure_glossary(settings: Settings) -> None:
    """An empty glossary at the settings' path if none is there: the service never creates
    one (``glossary build`` or ``import`` does), so a test standing in for them makes it."""
    if settings.db_path is not None and not settings.db_path.exists():
        open_store(path=settings.db_path, create=True).close()


@contextmanager
def client_for(settings: Settings, encoder: Encoder | None = None) -> Iterator[TestClient]:
    ensure_glossary(settings)
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    fake = encoder or HashEncoder()
    app.dependency_overrides[get_encoder] = lambda: fake
    with TestClient(app) as client:
        yield client


@contextmanager
def seeded_client(folder: Path, **overrides: object) -> Iterator[TestClient]:
    """A client on a fresh seeded glossary in ``folder``, with settings ``overrides``."""
    db = folder / "glossary.sqlite3"
    seed_store(db)
    with client_for(settings_for(db, **overrides)) as client:
        yield client


class Server:
    """The app under uvicorn on a free localhost port, in a thread (for browser and bench)."""

    def __init__(self, settings: Settings, encoder: Encoder | None = None) -> None:
        import socket

        import uvicorn

        ensure_glossary(settings)
        self.app = create_app()
        self.app.dependency_overrides[get_settings] = lambda: settings
        if encoder is not None:
            self.app.dependency_overrides[get_encoder] = lambda: encoder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)

    def __enter__(self) -> Server:
        import threading
        import time

        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
