"""Batch jobs: article pairs aligned in the background, their terms merged into the glossary.

This module is a job's record and its work; ``api.jobs.runner`` hands jobs to a worker
process (``api.jobs.worker``) that calls ``run_job``. The database is the queue's memory:
a job is written (with its input) before its id is returned, every finished pair updates
its progress, and on start-up a job found "running" (the server died under it) is run
again from the start, or marked failed after ``MAX_ATTEMPTS`` tries. Running again is
safe because recording pairs is an upsert and merging a corpus again replaces its
figures. Nothing is silently lost.

Each pair's outcome is part of the record: "queued", "aligned" with the ids of the two
documents its aligned pairs are stored under, or "failed" with a message that names the
pair as it was submitted, never by an internal id.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, inspect, select, text, update

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
PairStatus = Literal["queued", "aligned", "failed"]


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
class PairOutcome:
    """One submitted pair's state: the ids of its stored documents once it is aligned."""

    index: int
    name: str
    status: PairStatus = "queued"
    doc_zh: str | None = None
    doc_en: str | None = None
    error: str = ""


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
    pairs: tuple[PairOutcome, ...]

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds > 0 else 0.0


def ensure_tables(store: Store) -> None:
    """Create the job table in a store opened before this module was imported, and add
    the ``pairs`` column to one an older duiqi made, filled in from what its jobs recorded.
    """
    Base.metadata.create_all(store.engine, tables=[Job.__table__])  # type: ignore[list-item]
    with store.reading() as session:
        if _has_pairs_column(session.connection()):
            return
    with store.writing() as session:  # checked again under the write lock: upgraded once
        connection = session.connection()
        if _has_pairs_column(connection):
            return
        connection.execute(text("ALTER TABLE job ADD COLUMN pairs TEXT NOT NULL DEFAULT '[]'"))
        rows = session.execute(select(Job.id, Job.payload, Job.pair_errors, Job.done)).all()
        for job_id, payload, pair_errors, done in rows:
            outcomes = _recorded_outcomes(job_id, json.loads(payload), pair_errors, done)
            session.execute(update(Job).where(Job.id == job_id).values(pairs=_dump(outcomes)))


def _has_pairs_column(connection: Connection) -> bool:
    return "pairs" in {c["name"] for c in inspect(connection).get_columns(Job.__tablename__)}


def _recorded_outcomes(
    job_id: str, payload: list[dict[str, Any]], pair_errors: str, done: int
) -> list[PairOutcome]:
    """The pairs' outcomes of a job recorded before they were: the pairs it reported as
    failed failed, the others it got through were stored, the rest wait."""
    failed = {e["index"]: e["error"] for e in json.loads(pair_errors)}
    outcomes = []
    for index, pair in enumerate(payload):
        if index in failed:
            outcomes.append(_failed(index, pair["name"], failed[index]))
        elif index < done:
            outcomes.append(_aligned(job_id, index, pair["name"]))
        else:
            outcomes.append(PairOutcome(index=index, name=pair["name"]))
    return outcomes


def document_ids(job_id: str, index: int) -> tuple[str, str]:
    """The ids a job's pair is stored under: its Chinese and its English document."""
    base = f"{job_id[:12]}-{index}"
    return f"{base}-zh", f"{base}-en"


def _aligned(job_id: str, index: int, name: str) -> PairOutcome:
    doc_zh, doc_en = document_ids(job_id, index)
    return PairOutcome(index=index, name=name, status="aligned", doc_zh=doc_zh, doc_en=doc_en)


def _failed(index: int, name: str, error: str) -> PairOutcome:
    return PairOutcome(index=index, name=name, status="failed", error=error)


def _queued(pairs: Sequence[PairInput]) -> str:
    return _dump([PairOutcome(index=i, name=p.name) for i, p in enumerate(pairs)])


def _dump(items: Sequence[PairOutcome] | Sequence[PairError]) -> str:
    return json.dumps([asdict(item) for item in items], ensure_ascii=False)


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
        pairs=_queued(pairs),
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
        pairs=tuple(PairOutcome(**p) for p in json.loads(job.pairs)),
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
        pairs = [PairInput(**p) for p in json.loads(job.payload)]
        job.pairs = _queued(pairs)
        return pairs, job.mode


def _process(
    store: Store, job_id: str, pairs: list[PairInput], mode: str, encoder: Encoder
) -> None:
    corpus = f"job-{job_id}"
    errors: list[PairError] = []
    outcomes = [PairOutcome(index=i, name=p.name) for i, p in enumerate(pairs)]
    alignments: list[Alignment] = []
    doc_ids: dict[str, str] = {}
    sentences, seconds = 0, 0.0
    labels = _labels(pairs)
    for index, pair in enumerate(pairs):
        began = time.perf_counter()
        try:
            alignment = align_texts(
                pair.src_text,
                pair.tgt_text,
                mode=mode,
                encoder=encoder,
                src_name=f"src_text of {labels[index]}",
                tgt_name=f"tgt_text of {labels[index]}",
            )
            zh_doc, en_doc = document_ids(job_id, index)
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
            outcomes[index] = _aligned(job_id, index, pair.name)
        except DuiqiError as error:
            errors.append(PairError(index=index, name=pair.name, error=str(error)))
            outcomes[index] = _failed(index, pair.name, str(error))
        seconds += time.perf_counter() - began
        _progress(
            store,
            job_id,
            done=index + 1,
            sentences=sentences,
            seconds=seconds,
            errors=errors,
            outcomes=outcomes,
        )
    if not alignments:
        _finish(store, job_id, state="failed", error="no pair could be aligned; see errors")
        return
    _, report = merge_terms(store, alignments, encoder=encoder, doc_ids=doc_ids, corpus_id=corpus)
    result = {"pairs_aligned": len(alignments), "corpus_id": corpus, **asdict(report)}
    _finish(store, job_id, state="done", result=result)


def _labels(pairs: Sequence[PairInput]) -> list[str]:
    """Each pair as its messages name it: its submitted name, quoted, and its index when
    another pair of the job has the same name.

    The labels name the pair's documents too, which the term extraction tells apart by
    name, so they must differ.
    """
    counts = Counter(p.name for p in pairs)
    return [
        f'"{p.name}"' + (f" (pair {index})" if counts[p.name] > 1 else "")
        for index, p in enumerate(pairs)
    ]


def _progress(
    store: Store,
    job_id: str,
    *,
    done: int,
    sentences: int,
    seconds: float,
    errors: list[PairError],
    outcomes: list[PairOutcome],
) -> None:
    with store.writing() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.done, job.sentences, job.seconds = done, sentences, seconds
            job.pair_errors, job.pairs = _dump(errors), _dump(outcomes)


def _finish(
    store: Store, job_id: str, *, state: str, error: str = "", result: dict[str, Any] | None = None
) -> None:
    with store.writing() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.state, job.error, job.finished_at = state, error, datetime.now(UTC)
            if result is not None:
                job.result = json.dumps(result, ensure_ascii=False)
