"""``/api/jobs``: batches of article pairs aligned in the background, feeding the glossary.

A job's answer lists every pair it was given; an aligned one links to its results, the
document routes' paths from the API root (``/api/documents/{doc}/pairs``, the TMX export).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from api.jobs.queue import JobView, PairInput, create_job, get_job
from api.service.deps import JobsDep, ReviewerDep, SettingsDep, StoreDep
from api.service.schemas import JobCreate, JobPublic, PairLinks
from api.service.uploads import PayloadTooLarge

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.post("", response_model=JobPublic, status_code=202)
def submit_job(
    request: Request,
    store: StoreDep,
    jobs: JobsDep,
    settings: SettingsDep,
    reviewer: ReviewerDep,
    body: JobCreate,
) -> JobPublic:
    """Queue the pairs and return at once; poll ``GET /api/jobs/{id}`` for progress."""
    if len(body.pairs) > settings.max_job_pairs:
        raise PayloadTooLarge(
            f"the job has {len(body.pairs)} pairs, more than the limit of "
            f"{settings.max_job_pairs}; split it into several jobs"
        )
    for index, pair in enumerate(body.pairs):
        for field in (pair.src_text, pair.tgt_text):
            if len(field.encode("utf-8", "surrogatepass")) > settings.max_upload_bytes:
                raise PayloadTooLarge(
                    f"pair {index} has a text over the limit of {settings.max_upload_bytes:,} bytes"
                )
    pairs = [
        PairInput(
            name=p.name or f"pair {i}",
            src_text=p.src_text,
            tgt_text=p.tgt_text,
            title=p.title,
            source=p.source,
            date=p.date,
        )
        for i, p in enumerate(body.pairs)
    ]
    job = create_job(store, pairs=pairs, mode=body.mode, submitted_by=reviewer)
    jobs.submit(job.id)
    return _public(request, job)


@router.get("/{job_id}", response_model=JobPublic)
def read_job(
    request: Request, store: StoreDep, job_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> JobPublic:
    """Progress, and per pair its status, stored document ids and links to its results."""
    return _public(request, get_job(store, job_id))


def _public(request: Request, job: JobView) -> JobPublic:
    public = JobPublic.model_validate(job)
    for pair in public.pairs:
        if pair.doc_zh is not None:  # either id reaches the pair: both routes take zh or en
            pair.links = PairLinks(
                pairs=str(request.app.url_path_for("document_pairs", doc=pair.doc_zh)),
                tmx=str(request.app.url_path_for("alignments_tmx", doc=pair.doc_zh)),
            )
    return public
