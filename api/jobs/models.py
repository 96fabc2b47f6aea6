"""The batch-job table, on the glossary's metadata so one database holds both.

A job keeps its input (the article texts, as JSON) beside its state, so that a server
restarted mid-job can run it again instead of losing it, and each pair's outcome (its
status and the document ids its aligned pairs are stored under), so that a client can
reach them. ``pairs`` came after the first release: ``api.jobs.queue.ensure_tables`` adds
it to an older store's table.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from glossary.store.models import Base

JOB_STATES = ("queued", "running", "done", "failed")


def _now() -> datetime:
    return datetime.now(UTC)


class Job(Base):
    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    submitted_by: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(16), default="auto")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    sentences: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    pair_errors: Mapped[str] = mapped_column(Text, default="[]")
    result: Mapped[str] = mapped_column(Text, default="{}")
    pairs: Mapped[str] = mapped_column(Text, default="[]")
    payload: Mapped[str] = mapped_column(Text, default="[]")
