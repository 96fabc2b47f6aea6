"""``/api/align``: one article pair in (JSON texts or two uploaded files), pairs out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from align.errors import InputError
from align.reading import decode_bytes
from align.types import Alignment
from api.aligning import align_texts
from api.service.deps import EncoderDep, SettingsDep
from api.service.schemas import AlignedPairOut, AlignRequest, AlignResponse
from api.service.uploads import InvalidBody, PayloadTooLarge, check_length, first_problem, read_body

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
    """Align two articles synchronously; each text may be at most the configured size."""
    limit = settings.max_upload_bytes
    check_length(request, 2 * limit + 64_000)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        src_text, tgt_text, mode = await _from_form(request, limit)
    elif kind in ("application/json", ""):
        body = await read_body(request, 2 * limit + 64_000)
        try:
            parsed = AlignRequest.model_validate_json(body or b"null")
        except ValidationError as error:
            raise InvalidBody(f"the JSON body is not {{src_text, tgt_text, mode}}: "
                             f"{first_problem(error)}") from None
        src_text, tgt_text, mode = parsed.src_text, parsed.tgt_text, parsed.mode
        for name, text in (("src_text", src_text), ("tgt_text", tgt_text)):
            if len(text.encode("utf-8", "surrogatepass")) > limit:
                raise PayloadTooLarge(f"{name} is longer than the limit of {limit:,} bytes")
    else:
        raise InputError(
            f"unsupported content type {kind!r}: send application/json or multipart/form-data"
        )
    alignment = await run_in_threadpool(align_texts, src_text, tgt_text, mode=mode,
                                        encoder=encoder, src_name="src", tgt_name="tgt")
    return _response(alignment)


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
        pairs.append(AlignedPairOut(src=list(bead.src), tgt=list(bead.tgt), src_text=src_text,
                                    tgt_text=tgt_text, score=round(bead.score, 4)))
    return AlignResponse(
        mode=alignment.mode, src_lang=alignment.src.lang, tgt_lang=alignment.tgt.lang,
        src_sentences=len(alignment.src), tgt_sentences=len(alignment.tgt),
        signature=str(alignment.signature), notes=list(alignment.notes), pairs=pairs,
    )
