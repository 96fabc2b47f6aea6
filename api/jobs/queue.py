"""Batch jobs: article pairs aligned in the background, their terms merged into the glossary.

This module is a job's record and its work; ``api.jobs.runner`` hands jobs to a worker
process (``api.jobs.worker``) that calls ``run_job``. The database is the queue's memory:
a job is written (with its input) before its id is returned, every finished pair updates
its progress, and on start-up a job found "running" (the server died under it) is run
again from the start, or marked failed after ``MAX_ATTEMPTS`` tries. Running again is
safe because recording pairs is an upsert and merging a corpus again replaces its
figures. Nothing is silently lost.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from align.encoders import Encoder
from align.errors import DuiqiError
from align.types import Alignment
from api.aligning import align_texts, document_records
from api.jobs.models import Job
from glossary.build import merge_terms, record_alignment
from glossary.store.engine import Store
from glossary.store.models import Base
from glossary.store.recording import record_documents

MAX_ATTEMPTS = 2


class JobNotFound(DuiqiError):
    """No batch job has this id."""


@dataclass(frozen=True)
class PairInput:
    """One article pair of a batch, in either language order, with its provenance."""

    name: str
    src_text: str
    tgt_text: str
    title: str = ""
    source: str = ""
    date: str = ""


@dataclass(frozen=True)
class PairError:
    index: int
    name: str
    error: str


@dataclass(frozen=True)
class JobView:
    id: str
    state: str
    submitted_by: str
    mode: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    total: int
    done: int
    sentences: int
    seconds: float
    attempts: int
    error: str
    errors: tuple[PairError, ...]
    result: dict[str, Any]

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds > 0 else 0.0


def ensure_tables(store: Store) -> None:
    """Create the job table in a store opened before this module was imported."""
    Base.metadata.create_all(store.engine, tables=[Job.__table__])  # type: ignore[list-item]


def create_job(
    store: Store, *, pairs: Sequence[PairInput], mode: str, submitted_by: str
) -> JobView:
    job = Job(
        id=uuid.uuid4().hex,
        state="queued",
        submitted_by=submitted_by,
        mode=mode,
        total=len(pairs),
        payload=json.dumps([asdict(p) for p in pairs], ensure_ascii=False),
    )
    with store.writing() as session:
        session.add(job)
        session.flush()
        return _view(job)


def get_job(store: Store, job_id: str) -> JobView:
    with store.reading() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise JobNotFound(f"no job with id {job_id!r}; POST /api/jobs returns the id to use")
        return _view(job)


def recover_jobs(store: Store) -> list[str]:
    """Jobs to run after a restart, oldest first; interrupted ones past their tries fail."""
    pending = []
    with store.writing() as session:
        jobs = session.scalars(
            select(Job).where(Job.state.in_(("queued", "running"))).order_by(Job.created_at)
        )
        for job in jobs:
            if job.state == "running" and job.attempts >= MAX_ATTEMPTS:
                job.state = "failed"
                job.finished_at = datetime.now(UTC)
                job.error = (
                    f"the server stopped while this job ran, {job.attempts} times; "
                    "submit it again, perhaps in smaller batches"
                )
                continue
            job.state = "queued"
            pending.append(job.id)
    return pending


def _view(job: Job) -> JobView:
    return JobView(
        id=job.id,
        state=job.state,
        submitted_by=job.submitted_by,
        mode=job.mode,
        created_at=_aware(job.created_at),
        started_at=_aware_or_none(job.started_at),
        finished_at=_aware_or_none(job.finished_at),
        total=job.total,
        done=job.done,
        sentences=job.sentences,
        seconds=job.seconds,
        attempts=job.attempts,
        error=job.error,
        errors=tuple(PairError(**e) for e in json.loads(job.pair_errors)),
        result=json.loads(job.result),
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _aware_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else _aware(moment)


def run_job(store: Store, job_id: str, *, encoder: Callable[[], Encoder]) -> None:
    """Run one job to the end, recording progress after every pair and any failure.

    A job that is not queued (already done, or delivered twice) is left alone.
    """
    try:
        claimed = _start(store, job_id)
        if claimed is None:
            return
        pairs, mode = claimed
        _process(store, job_id, pairs, mode, encoder())
    except Exception as error:  # the worker's boundary: a failure must reach the job row
        _finish(store, job_id, state="failed", error=f"{error.__class__.__name__}: {error}")


def _start(store: Store, job_id: str) -> tuple[list[PairInput], str] | None:
    with store.writing() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise JobNotFound(f"job {job_id} vanished from the database before it ran")
        if job.state != "queued":
            return None
        job.state, job.started_at = "running", datetime.now(UTC)
        job.attempts += 1
        job.done = job.sentences = 0
        job.seconds, job.pair_errors, job.error = 0.0, "[]", ""
        return [PairInput(**p) for p in json.loads(job.payload)], job.mode


def _process(
    store: Store, job_id: str, pairs: list[PairInput], mode: str, encoder: Encoder
) -> None:
    corpus = f"job-{job_id}"
    errors: list[PairError] = []
    alignments: list[Alignment] = []
    doc_ids: dict[str, str] = {}
    sentences, seconds = 0, 0.0
    for index, pair in enumerate(pairs):
        began = time.perf_counter()
        base = f"{job_id[:12]}-{index}"
        try:
            alignment = align_texts(
                pair.src_text,
                pair.tgt_text,
                mode=mode,
                encoder=encoder,
                src_name=f"{base}-src",
                tgt_name=f"{base}-tgt",
            )
            zh_doc, en_doc = f"{base}-zh", f"{base}-en"
            record_documents(
                store,
                document_records(
                    doc_zh=zh_doc,
                    doc_en=en_doc,
                    title=pair.title or pair.name,
                    source=pair.source,
                    date=pair.date,
                ),
            )
            record_alignment(store, alignment, doc_zh=zh_doc, doc_en=en_doc, corpus_id=corpus)
            zh, en = (
                (alignment.tgt, alignment.src)
                if alignment.src.lang == "en"
                else (alignment.src, alignment.tgt)
            )
            doc_ids[zh.name], doc_ids[en.name] = zh_doc, en_doc
            alignments.append(alignment)
            sentences += len(alignment.src) + len(alignment.tgt)
        except DuiqiError as error:
            errors.append(PairError(index=index, name=pair.name, error=str(error)))
        seconds += time.perf_counter() - began
        _progress(
            store, job_id, done=index + 1, sentences=sentences, seconds=seconds, errors=errors
        )
    if not alignments:
        _finish(store, job_id, state="failed", error="no pair could be aligned; see errors")
        return
    _, report = merge_terms(store, alignments, encoder=encoder, doc_ids=doc_ids, corpus_id=corpus)
    result = {"pairs_aligned": len(alignments), "corpus_id": corpus, **asdict(report)}
    _finish(store, job_id, state="done", result=result)


def _progress(
    store: Store,
    job_id: str,
    *,
    done: int,
    sentences: int,
    seconds: float,
    errors: list[PairError],
) -> None:
    with store.writing() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.done, job.sentences, job.seconds = done, sentences, seconds
            job.pair_errors = json.dumps([asdict(e) for e in errors], ensure_ascii=False)


def _finish(
    store: Store, job_id: str, *, state: str, error: str = "", result: dict[str, Any] | None = None
) -> None:
    with store.writing() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.state, job.error, job.finished_at = state, error, datetime.now(UTC)
            if result is not None:
                job.result = json.dumps(result, ensure_ascii=False)
