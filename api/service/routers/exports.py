"""``/api/export``: the glossary as CSV, XLSX, OmegaT glossary, TBX 2008 or TBX v3; one
article's pairs as TMX.

Every glossary download takes ``status`` (e.g. ``preferred,admitted``) to export only
decided terms, and ``zh_lang`` to tag the Chinese as a CAT project expects (default:
``zh-Hans``/``zh-Hant`` by script).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.service.deps import StoreDep
from api.service.schemas import STATUS_LIST_PATTERN, ZH_TAG_PATTERN
from glossary.formats.exports import checked_zh_lang, export, parse_statuses
from glossary.formats.tmx import to_tmx
from glossary.store.queries import document_pairs

router = APIRouter(prefix="/api/export", tags=["exports"])

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "tbx": "application/x-tbx+xml; charset=utf-8",
    "tbx3": "application/x-tbx+xml; charset=utf-8",
    "tmx": "application/x-tmx+xml; charset=utf-8",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")  # a header value must be plain ASCII
_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {m.split(";")[0]: {} for m in MEDIA_TYPES.values()}}
}
StatusQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=STATUS_LIST_PATTERN,
        description="comma-separated statuses to export, e.g. preferred,admitted (default: all)",
    ),
]
LangQuery = Annotated[
    str | None,
    Query(
        max_length=35,
        pattern=ZH_TAG_PATTERN,
        description="language tag for the Chinese, e.g. zh-CN (default: zh-Hans or "
        "zh-Hant by script)",
    ),
]


def _download(data: bytes, fmt: str, filename: str) -> Response:
    return Response(
        data,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _glossary(store: StoreDep, fmt: str, status: str | None, zh_lang: str | None) -> bytes:
    statuses = parse_statuses(status) if status is not None else None
    return export(store, fmt, statuses=statuses, zh_lang=zh_lang)


@router.get("/glossary.csv", response_class=Response, responses=_FILE)
def glossary_csv(store: StoreDep, status: StatusQuery = None) -> Response:
    """UTF-8 with a BOM; formula-like cells neutralised; a revision per row for re-import."""
    return _download(_glossary(store, "csv", status, None), "csv", "glossary.csv")


@router.get("/glossary.xlsx", response_class=Response, responses=_FILE)
def glossary_xlsx(store: StoreDep, status: StatusQuery = None) -> Response:
    """The CSV's columns as an Excel workbook: no import dialog, no garbled Chinese."""
    return _download(_glossary(store, "xlsx", status, None), "xlsx", "glossary.xlsx")


@router.get("/glossary.tsv", response_class=Response, responses=_FILE)
def glossary_tsv(store: StoreDep, status: StatusQuery = None) -> Response:
    """OmegaT's glossary format: term, translation, comment; saved as ``glossary.txt``,
    a name OmegaT reads (it ignores ``*.tsv``)."""
    return _download(_glossary(store, "tsv", status, None), "tsv", "glossary.txt")


@router.get("/glossary.tbx", response_class=Response, responses=_FILE)
def glossary_tbx(
    store: StoreDep, status: StatusQuery = None, zh_lang: LangQuery = None
) -> Response:
    """TBX-Basic 2008 (``martif``), what OmegaT, MultiTerm, memoQ and translate-toolkit read."""
    return _download(_glossary(store, "tbx", status, zh_lang), "tbx", "glossary.tbx")


@router.get("/glossary-v3.tbx", response_class=Response, responses=_FILE)
def glossary_tbx3(
    store: StoreDep, status: StatusQuery = None, zh_lang: LangQuery = None
) -> Response:
    """TBX-Basic in TBX v3 (ISO 30042:2019)."""
    return _download(_glossary(store, "tbx3", status, zh_lang), "tbx3", "glossary-v3.tbx")


@router.get("/alignments/{doc}.tmx", response_class=Response, responses=_FILE)
def alignments_tmx(
    store: StoreDep,
    doc: Annotated[str, Path(min_length=1, max_length=64)],
    zh_lang: LangQuery = None,
) -> Response:
    """Every stored pair of one article (its Chinese or English document id)."""
    data = to_tmx(document_pairs(store, doc), zh_lang=checked_zh_lang(zh_lang)).encode("utf-8")
    return _download(data, "tmx", _UNSAFE.sub("_", doc) + ".tmx")
