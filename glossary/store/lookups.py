"""Looking terms up: by a Chinese or English query, by id, or all of them in order."""

from __future__ import annotations

from sqlalchemy import select

from glossary.errors import TermNotFound
from glossary.store.engine import CHUNK, Store
from glossary.store.models import Term
from glossary.store.search_tiers import search_params, tiers
from glossary.store.term_views import term_views
from glossary.store.validation import check_page, is_chinese, query_text
from glossary.store.views import Match, TermView


def lookup(
    store: Store, query: str, *, limit: int = 20, offset: int = 0, examples: int = 5
) -> list[TermView]:
    """Terms matching a Chinese or English query: exact, then prefix, then substring.

    Chinese queries search the terms; others search the English equivalents (case
    folded) and the terms. An English "substring" starts at a word ("stabiliz" finds
    "job stabilization", "ization" does not). Within a tier, shorter and more frequent
    matches come first.
    """
    q = query_text(query, "a Chinese term or an English phrase")
    check_page(limit, offset)
    wanted = offset + limit
    chinese = is_chinese(q)
    params = search_params(q, chinese=chinese, wanted=wanted)
    found: dict[int, Match] = {}
    with store.reading() as session:
        connection = session.connection()
        for tier, searches in tiers(chinese=chinese, bounded="hi" in params):
            for search in searches:
                if len(found) >= wanted:
                    break
                for term_id in connection.execute(search, params).scalars():
                    found.setdefault(term_id, tier)
        page = list(found)[offset:wanted]
        views = {v.id: v for v in term_views(session, page, examples=examples)}
    return [_with_match(views[i], found[i]) for i in page if i in views]


def _with_match(view: TermView, match: Match) -> TermView:
    return TermView(
        id=view.id, zh=view.zh, note=view.note, definition=view.definition,
        termhood=view.termhood, equivalents=view.equivalents, match=match,
    )


def get_term(store: Store, term_id: int, *, examples: int = 5) -> TermView:
    with store.reading() as session:
        views = term_views(session, [term_id], examples=examples)
    if not views:
        raise TermNotFound(f"no term with id {term_id}; look the term up to find its id")
    return views[0]


def list_terms(
    store: Store, *, limit: int | None = None, offset: int = 0, examples: int = 0
) -> list[TermView]:
    """Every term in Chinese code-point order (for exports and paging)."""
    check_page(1 if limit is None else limit, offset)
    with store.reading() as session:
        query = select(Term.id).order_by(Term.zh).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        ids = list(session.scalars(query))
        views: list[TermView] = []
        for start in range(0, len(ids), CHUNK):
            views += term_views(session, ids[start : start + CHUNK], examples=examples)
    return views
