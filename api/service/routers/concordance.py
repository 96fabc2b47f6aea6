"""``/api/concordance``: stored aligned pairs containing a string, with where it occurs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.service.deps import StoreDep
from api.service.schemas import TEXT_PATTERN, ConcordancePage, PairPublic, SpanOut
from api.service.schemas import DocumentPublic as Doc
from glossary.store.concordance import concordance

router = APIRouter(prefix="/api/concordance", tags=["concordance"])


@router.get("", response_model=ConcordancePage)
def search_pairs(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=TEXT_PATTERN,
                                  description="Chinese or English")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> ConcordancePage:
    items = [
        PairPublic(
            doc_zh=v.pair.doc_zh, doc_en=v.pair.doc_en, zh_text=v.pair.zh_text,
            en_text=v.pair.en_text, score=v.pair.score,
            zh_doc=Doc.model_validate(v.zh_doc) if v.zh_doc else None,
            en_doc=Doc.model_validate(v.en_doc) if v.en_doc else None,
            zh_hits=[SpanOut.model_validate(s) for s in v.zh_hits],
            en_hits=[SpanOut.model_validate(s) for s in v.en_hits],
        )
        for v in concordance(store, q, limit=limit, offset=offset)
    ]
    return ConcordancePage(query=q, limit=limit, offset=offset, items=items)
