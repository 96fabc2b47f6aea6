"""``/api/export``: the glossary as CSV, OmegaT TSV or TBX; one article's pairs as TMX."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api.service.deps import StoreDep
from glossary.formats.exports import export, to_tmx
from glossary.store.queries import document_pairs

router = APIRouter(prefix="/api/export", tags=["exports"])

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "tbx": "application/x-tbx+xml; charset=utf-8",
    "tmx": "application/x-tmx+xml; charset=utf-8",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")  # a header value must be plain ASCII
_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {m.split(";")[0]: {} for m in MEDIA_TYPES.values()}}
}


def _download(data: bytes, fmt: str, filename: str) -> Response:
    return Response(
        data, media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/glossary.csv", response_class=Response, responses=_FILE)
def glossary_csv(store: StoreDep) -> Response:
    return _download(export(store, "csv"), "csv", "glossary.csv")


@router.get("/glossary.tsv", response_class=Response, responses=_FILE)
def glossary_tsv(store: StoreDep) -> Response:
    """OmegaT's glossary format: term, translation, comment."""
    return _download(export(store, "tsv"), "tsv", "glossary.tsv")


@router.get("/glossary.tbx", response_class=Response, responses=_FILE)
def glossary_tbx(store: StoreDep) -> Response:
    return _download(export(store, "tbx"), "tbx", "glossary.tbx")


@router.get("/alignments/{doc}.tmx", response_class=Response, responses=_FILE)
def alignments_tmx(
    store: StoreDep, doc: Annotated[str, Path(min_length=1, max_length=64)]
) -> Response:
    """Every stored pair of one article (its Chinese or English document id)."""
    data = to_tmx(document_pairs(store, doc)).encode("utf-8")
    return _download(data, "tmx", _UNSAFE.sub("_", doc) + ".tmx")
