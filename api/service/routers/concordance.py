"""``/api/concordance``: stored aligned pairs containing a string, with where it occurs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.service.deps import CacheDep, ReadsDep, StoreDep
from api.service.schemas import ConcordancePage, PairPublic, SearchText, SpanOut
from api.service.schemas import DocumentPublic as Doc
from glossary.store.concordance import PairFilter, Sort, concordance
from glossary.store.views import PairView

router = APIRouter(prefix="/api/concordance", tags=["concordance"])
DATE_PATTERN = r"^(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"
"""The articles' dates as they are stored and compared (as text, on a prefix); empty: any."""
DATE_MESSAGE = "is not a date: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2023, 2023-03 or 2023-03-01"
Date = Annotated[
    str | None,
    Query(max_length=32, pattern=DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD"),
]


@router.get("", response_model=ConcordancePage)
async def search_pairs(
    request: Request,
    store: StoreDep,
    reads: ReadsDep,
    cache: CacheDep,
    q: SearchText,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    sort: Annotated[
        Sort,
        Query(
            description="score (best first), date (newest first), "
            "document (by article and position)"
        ),
    ] = "score",
    doc: Annotated[str | None, Query(max_length=64, description="a document id")] = None,
    source: Annotated[str | None, Query(max_length=200, description="part of a source")] = None,
    date_from: Date = None,
    date_to: Date = None,
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
) -> Response:
    """Pairs through the full-text index, filtered, sorted, one page of them and the total."""

    async def build() -> bytes:
        where = PairFilter(
            doc=doc or None,
            source=source or None,
            date_from=date_from or None,
            date_to=date_to or None,
            min_score=min_score,
        )
        page = await reads.run(
            concordance, store, q, limit=limit, offset=offset, sort=sort, where=where
        )
        return (
            ConcordancePage(
                query=q,
                total=page.total,
                limit=limit,
                offset=offset,
                index=page.index,
                items=[public_pair(v) for v in page.items],
            )
            .model_dump_json()
            .encode()
        )

    body = await cache.fetch(f"{request.url.path}?{request.url.query}", build)
    return Response(body, media_type="application/json")


def public_pair(v: PairView) -> PairPublic:
    return PairPublic(
        doc_zh=v.pair.doc_zh,
        doc_en=v.pair.doc_en,
        zh_ids=list(v.pair.zh_ids),
        en_ids=list(v.pair.en_ids),
        zh_text=v.pair.zh_text,
        en_text=v.pair.en_text,
        score=v.pair.score,
        zh_doc=Doc.model_validate(v.zh_doc) if v.zh_doc else None,
        en_doc=Doc.model_validate(v.en_doc) if v.en_doc else None,
        zh_hits=[SpanOut.model_validate(s) for s in v.zh_hits],
        en_hits=[SpanOut.model_validate(s) for s in v.en_hits],
    )
