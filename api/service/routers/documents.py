"""``/api/documents/{doc}/pairs``: one article's aligned pairs, a page or a sentence's context."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.service.deps import ReadsDep, StoreDep
from api.service.routers.concordance import public_pair
from api.service.schemas import DocumentPage, DocumentPublic
from glossary.store.queries import document_window

router = APIRouter(prefix="/api/documents", tags=["documents"])


@router.get("/{doc}/pairs", response_model=DocumentPage)
async def document_pairs(
    store: StoreDep,
    reads: ReadsDep,
    doc: Annotated[str, Path(min_length=1, max_length=64)],
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    around: Annotated[
        int | None,
        Query(
            ge=0,
            le=1_000_000,
            description=("a sentence id of this document: the page is centred on its pair"),
        ),
    ] = None,
) -> DocumentPage:
    """The article's title, source and date with its pairs in order, and their total."""
    window = await reads.run(document_window, store, doc, limit=limit, offset=offset, around=around)
    return DocumentPage(
        document=DocumentPublic.model_validate(window.document) if window.document else None,
        total=window.total,
        limit=limit,
        offset=window.offset,
        focus=window.focus,
        items=[public_pair(p) for p in window.items],
    )
