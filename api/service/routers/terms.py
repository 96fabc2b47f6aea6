"""``/api/terms``: look terms up (open to all), add and review them (with an API key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from api.service.deps import CacheDep, ReadsDep, ReviewerDep, SettingsDep, StoreDep
from api.service.schemas import (
    EquivalentReview,
    ReviewEventPublic,
    SearchText,
    TermCreate,
    TermDetail,
    TermPage,
    TermPublic,
    TermUpdate,
)
from glossary.store.editing import review_history
from glossary.store.lookups import get_term, lookup_page
from glossary.store.queries import Decision, create_term, edit_term
from glossary.store.views import TermView

router = APIRouter(prefix="/api/terms", tags=["terms"])
TermId = Annotated[int, Path(ge=1, le=2**62, description="the id a lookup returned")]


@router.get("", response_model=TermPage)
async def search_terms(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    reads: ReadsDep,
    cache: CacheDep,
    q: SearchText,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> Response:
    """Exact, prefix, substring matches, then forgiving ones; equivalents best first."""

    async def build() -> bytes:
        page = await reads.run(
            lookup_page,
            store,
            q,
            limit=limit,
            offset=offset,
            examples=settings.examples_per_equivalent,
        )
        items = [TermPublic.model_validate(v) for v in page.items]
        return (
            TermPage(
                query=q,
                total=page.total,
                total_exact=page.total_exact,
                limit=limit,
                offset=offset,
                items=items,
            )
            .model_dump_json()
            .encode()
        )

    body = await cache.fetch(f"{request.url.path}?{request.url.query}", build)
    # Built and checked against TermPage above; returned as bytes so it is not checked twice.
    return Response(body, media_type="application/json")


@router.get("/{term_id}", response_model=TermDetail)
def read_term(store: StoreDep, term_id: TermId) -> TermDetail:
    return _detail(store, get_term(store, term_id))


@router.post("", response_model=TermDetail, status_code=201)
def add_term(store: StoreDep, reviewer: ReviewerDep, body: TermCreate) -> TermDetail:
    view = create_term(
        store,
        zh=body.zh,
        definition=body.definition,
        note=body.note,
        decisions=_decisions(body.equivalents),
        reviewer=reviewer,
    )
    return _detail(store, view)


@router.patch("/{term_id}", response_model=TermDetail)
def update_term(
    store: StoreDep, reviewer: ReviewerDep, term_id: TermId, body: TermUpdate
) -> TermDetail:
    """Set the definition or note, correct equivalents' wording, decide on equivalents."""
    view = edit_term(
        store,
        term_id,
        definition=body.definition,
        note=body.note,
        decisions=_decisions(body.equivalents),
        reviewer=reviewer,
        renames=[(r.en, r.to) for r in body.renames],
        revision=body.revision,
    )
    return _detail(store, view)


def _decisions(reviews: list[EquivalentReview]) -> list[Decision]:
    return [(r.en, r.status, r.note) for r in reviews]


def _detail(store: StoreDep, view: TermView) -> TermDetail:
    history = [ReviewEventPublic.model_validate(e) for e in review_history(store, zh=view.zh)]
    return TermDetail(**TermPublic.model_validate(view).model_dump(), history=history)
