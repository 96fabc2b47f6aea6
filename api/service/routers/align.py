"""``/api/align``: one article pair in (JSON texts or two uploaded files), pairs out."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from align.errors import DuiqiError, InputError
from align.reading import decode_bytes
from align.types import Alignment
from api.aligning import align_texts
from api.service.deps import EncoderDep, SettingsDep
from api.service.schemas import AlignedPairOut, AlignRequest, AlignResponse
from api.service.uploads import InvalidBody, PayloadTooLarge, first_problem, read_body

router = APIRouter(prefix="/api/align", tags=["align"])

_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": AlignRequest.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["src", "tgt"],
                    "properties": {
                        "src": {"type": "string", "format": "binary"},
                        "tgt": {"type": "string", "format": "binary"},
                        "mode": {"type": "string", "enum": ["parallel", "comparable", "auto"]},
                    },
                }
            },
        },
    }
}


@router.post("", response_model=AlignResponse, openapi_extra=_BODY)
async def align_pair(request: Request, settings: SettingsDep, encoder: EncoderDep) -> AlignResponse:
    """Align two articles synchronously; bounded in bytes, sentences and time.

    Each text may have at most ``DUIQI_MAX_UPLOAD_BYTES`` bytes and
    ``DUIQI_MAX_ALIGN_SENTENCES`` sentences (413 otherwise); one pair is aligned at a time,
    and a request not answered within ``DUIQI_ALIGN_TIMEOUT_S`` seconds gets a 503. Longer
    articles go to ``POST /api/jobs``.
    """
    limit = settings.max_upload_bytes
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        src_text, tgt_text, mode = await _from_form(request, limit)
    elif kind in ("application/json", ""):
        body = await read_body(request, 2 * limit + 64_000)
        try:
            parsed = AlignRequest.model_validate_json(body or b"null")
        except ValidationError as error:
            raise InvalidBody(
                f"the JSON body is not {{src_text, tgt_text, mode}}: {first_problem(error)}"
            ) from None
        src_text, tgt_text, mode = parsed.src_text, parsed.tgt_text, parsed.mode
        for name, text in (("src_text", src_text), ("tgt_text", tgt_text)):
            if len(text.encode("utf-8", "surrogatepass")) > limit:
                raise PayloadTooLarge(f"{name} is longer than the limit of {limit:,} bytes")
    else:
        raise InputError(
            f"unsupported content type {kind!r}: send application/json or multipart/form-data"
        )
    job = functools.partial(
        align_texts,
        src_text,
        tgt_text,
        mode=mode,
        encoder=encoder,
        src_name="src",
        tgt_name="tgt",
        max_sentences=settings.max_align_sentences,
    )
    return _response(await _within(request.app.state.align_slot, job, settings.align_timeout_s))


class AlignTimeout(DuiqiError):
    """A synchronous alignment did not finish (or start) within the time limit (HTTP 503)."""


async def _within(
    slot: threading.Semaphore, job: Callable[[], Alignment], seconds: int
) -> Alignment:
    """``job`` on a worker thread, one at a time, answered within ``seconds``.

    A thread cannot be stopped, so a request that runs out of time is answered with a 503
    and its thread finishes on its own, still holding the one slot: the CPU that anonymous
    alignments take stays bounded at one alignment, however many requests arrive.
    """
    deadline = time.monotonic() + seconds

    def run() -> Alignment:
        if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise AlignTimeout(_busy(seconds))
        try:
            return job()
        finally:
            slot.release()

    try:
        with anyio.fail_after(seconds):
            return await anyio.to_thread.run_sync(run, abandon_on_cancel=True)
    except TimeoutError:
        raise AlignTimeout(_busy(seconds)) from None


def _busy(seconds: int) -> str:
    return (
        f"the alignment did not finish within {seconds} s (the server aligns one pair at a "
        "time); send shorter texts, try again later, or submit a batch job (POST /api/jobs)"
    )


async def _from_form(request: Request, limit: int) -> tuple[str, str, str]:
    form = await request.form(max_files=2, max_fields=4, max_part_size=limit + 1)
    texts = []
    for field in ("src", "tgt"):
        upload = form.get(field)
        if isinstance(upload, UploadFile):
            data = await upload.read(limit + 1)
            name = upload.filename or field
        elif isinstance(upload, str) and upload:
            data, name = upload.encode("utf-8"), field
        else:
            raise InputError(f"the form has no file {field!r}; send two files, src and tgt")
        if len(data) > limit:
            raise PayloadTooLarge(f"{name} is larger than the limit of {limit:,} bytes")
        texts.append(decode_bytes(data, name=name, max_bytes=limit))
    mode = form.get("mode", "auto")
    if not isinstance(mode, str):
        raise InputError("mode must be a form field: parallel, comparable or auto")
    return texts[0], texts[1], mode


def _response(alignment: Alignment) -> AlignResponse:
    pairs = []
    for bead in alignment.beads:
        src_text, tgt_text = alignment.bead_text(bead)
        pairs.append(
            AlignedPairOut(
                src=list(bead.src),
                tgt=list(bead.tgt),
                src_text=src_text,
                tgt_text=tgt_text,
                score=round(bead.score, 4),
            )
        )
    return AlignResponse(
        mode=alignment.mode,
        src_lang=alignment.src.lang,
        tgt_lang=alignment.tgt.lang,
        src_sentences=len(alignment.src),
        tgt_sentences=len(alignment.tgt),
        signature=str(alignment.signature),
        notes=list(alignment.notes),
        pairs=pairs,
    )
