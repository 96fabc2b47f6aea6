"""Looking terms up: by a Chinese or English query, by id, or all of them in order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Executable, String, bindparam, select

from align.scripts import to_simplified
from glossary.errors import TermNotFound
from glossary.store.engine import CHUNK, Store
from glossary.store.models import Term
from glossary.store.search_tiers import (
    probe_params,
    search_params,
    tiers,
    typo_candidates,
    typo_probes,
)
from glossary.store.term_views import term_views
from glossary.store.validation import check_page, is_chinese, query_text
from glossary.store.variants import near_prefix, plural_forms, script_forms, spelling_forms
from glossary.store.views import LookupPage, Match, TermView

COUNT_LIMIT = 50
"""Matches collected for a lookup's total; past it the total is a lower bound. Counting
every match of a short English prefix in a large glossary (thousands) cost 100-300 ms
a lookup on 100,000 entries; 50 ids more through the same ranked searches cost little."""

_SAME_TERM = (
    select(Term.id, Term.zh)
    .where(Term.simplified == bindparam("simplified", type_=String))
    .order_by(Term.id)
)
"""The term a Chinese query names, in either script (built once, as ``tiers`` are)."""


def lookup(
    store: Store, query: str, *, limit: int = 20, offset: int = 0, examples: int = 5
) -> list[TermView]:
    """One page of ``lookup_page``, without the total."""
    return list(lookup_page(store, query, limit=limit, offset=offset, examples=examples).items)


def lookup_page(
    store: Store, query: str, *, limit: int = 20, offset: int = 0, examples: int = 5
) -> LookupPage:
    """Terms matching a Chinese or English query, best tier first, and how many match.

    Chinese queries search the terms; others search the English equivalents (case
    folded) and the terms. A Chinese query first finds the term it names in either
    script (one entry for both, ``Term.simplified``): ``exact`` as typed, ``script``
    when stored in the other. The query as typed is then tried exact, then prefix, then
    substring; an English "substring" starts at a word ("stabiliz" finds "job
    stabilization", "ization" does not). Within a tier, shorter and more frequent
    matches come first. Only when the query as typed finds nothing does the search
    forgive: the other Chinese script (its prefixes and substrings too), the other
    English spelling, the other number, then one typo; each result says which tier found
    it (``match``) and with what form of the query (``matched``). The same searches
    collect up to ``COUNT_LIMIT`` ids (or the page's end) for the total; past that
    ``total_exact`` is False.
    """
    q = query_text(query, "a Chinese term or an English phrase")
    check_page(limit, offset)
    reach = max(offset + limit, COUNT_LIMIT) + 1
    chinese = is_chinese(q)
    found: dict[int, tuple[Match, str]] = {}
    with store.reading() as session:
        connection = session.connection()
        if chinese:
            _same_term(connection, q, found)
        if not _search(connection, q, chinese=chinese, wanted=reach, found=found, tier=None):
            _forgive(connection, q, chinese=chinese, wanted=reach, found=found)
        page = list(found)[offset : offset + limit]
        views = {v.id: v for v in term_views(session, page, examples=examples)}
    items = tuple(_with_match(views[i], *found[i]) for i in page if i in views)
    exact = len(found) < reach
    return LookupPage(
        query=q, total=len(found) if exact else len(found) - 1, total_exact=exact, items=items
    )


def _search(
    connection: Connection,
    q: str,
    *,
    chinese: bool,
    wanted: int,
    found: dict[int, tuple[Match, str]],
    tier: Match | None,
) -> bool:
    """Add the exact, prefix and substring matches of ``q`` to ``found`` (labelled ``tier``);
    whether any term matched (one already found included)."""
    params = search_params(q, chinese=chinese)
    matched = False
    for strict, searches in tiers(chinese=chinese, bounded="hi" in params):
        for search in searches:
            matched |= _read_terms(
                connection, search, params, wanted=wanted, found=found, match=(tier or strict, q)
            )
    return matched


def _read_terms(
    connection: Connection,
    search: Executable,
    params: dict[str, Any],
    *,
    wanted: int,
    found: dict[int, tuple[Match, str]],
    match: tuple[Match, str],
) -> bool:
    """Add the terms of one search to ``found``, in its order, until ``found`` holds
    ``wanted`` terms or the search has no more; whether the search matched any term.

    The search's ``n`` counts rows, and one term may take several rows (one per matching
    equivalent): so while ``n`` rows came back and ``found`` still wants terms, the search
    is read again with twice the rows. A search's first rows are the same whatever its
    ``n`` (see ``tiers``), so ``found`` is always the start of one order of the matches,
    and a term's place and tier do not depend on how many terms a page asks for; a search
    that stops short of ``wanted`` has given all its terms, which keeps the total exact.
    """
    rows, matched = wanted, False
    while len(found) < wanted:
        ids = connection.execute(search, {**params, "n": rows}).scalars().all()
        matched = matched or bool(ids)
        for term_id in ids:
            found.setdefault(term_id, match)
        if len(ids) < rows:
            break
        rows *= 2
    return matched


def _same_term(connection: Connection, q: str, found: dict[int, tuple[Match, str]]) -> None:
    """Add the term ``q`` names, whichever script it is stored in, to ``found``; a store
    written before terms were matched across scripts may hold both spellings, as typed
    first."""
    rows = connection.execute(_SAME_TERM, {"simplified": to_simplified(q)}).all()
    for term_id, zh in sorted(rows, key=lambda row: row[1] != q):
        found.setdefault(term_id, ("exact", q) if zh == q else ("script", zh))


def _forgive(
    connection: Connection,
    q: str,
    *,
    chinese: bool,
    wanted: int,
    found: dict[int, tuple[Match, str]],
) -> None:
    forms: list[tuple[Match, list[str]]] = (
        [("script", script_forms(q))]
        if chinese
        else [("spelling", spelling_forms(q)), ("plural", plural_forms(q))]
    )
    for tier, variants in forms:
        for form in variants:
            _search(connection, form, chinese=chinese, wanted=wanted, found=found, tier=tier)
        if found:
            return
    folded = q if chinese else q.lower()
    for probe in typo_probes(folded, chinese=chinese):
        params = probe_params(probe)
        if params is None:
            continue
        for search in typo_candidates(chinese=chinese):
            for term_id, text in connection.execute(search, params):
                if len(found) >= wanted:
                    return
                candidate = text if chinese else text.lower()
                if term_id not in found and near_prefix(folded, candidate, chinese=chinese):
                    found[term_id] = ("typo", text)


def _with_match(view: TermView, match: Match, matched: str) -> TermView:
    return TermView(
        id=view.id,
        zh=view.zh,
        note=view.note,
        definition=view.definition,
        termhood=view.termhood,
        equivalents=view.equivalents,
        match=match,
        matched=matched,
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
