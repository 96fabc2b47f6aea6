"""The searches of a lookup as index ranges: exact, prefix, substring, and typo candidates."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, func, select

from glossary.store.models import Equivalent, SearchKey, Term
from glossary.store.views import Match


def search_params(q: str, *, chinese: bool) -> dict[str, Any]:
    """The bound values of ``tiers``: the query, its folded form and their prefix ranges.

    ``hi`` and ``lhi`` are left out when a range has no upper bound (see ``_prefix``);
    ``n``, the rows to read, is the reader's to add.
    """
    params: dict[str, Any] = {"q": q}
    hi = _prefix_end(q)
    if chinese:
        if hi is not None:
            params["hi"] = hi
        return params
    lq = q.lower()
    lhi = _prefix_end(lq)
    params["lq"] = lq
    if hi is not None and lhi is not None:
        params["hi"], params["lhi"] = hi, lhi
    return params


@lru_cache(maxsize=4)
def tiers(*, chinese: bool, bounded: bool) -> tuple[tuple[Match, tuple[Any, ...]], ...]:
    """The searches of each tier, best first; all of them are index ranges, none a scan.

    Built once with bound parameters (``search_params``), so a lookup neither builds
    statements nor computes their cache keys: that was a third of a lookup's time.

    Each search lists term ids, at most ``n`` rows of them. An English search has a row per
    matching equivalent (or search key), so a term can fill several of the ``n`` and ``n``
    rows can hold fewer than ``n`` terms: ``lookups`` reads a search again with more rows
    when that happens. Each order is total but for rows of one term (the exact Chinese
    search has one row at most), so ``n`` rows always begin with the terms that fewer rows
    gave, in the same order: a longer read only adds terms after them.
    """
    q: Any = bindparam("q", type_=String)
    lq: Any = bindparam("lq", type_=String)
    n: Any = bindparam("n", type_=Integer)
    hi: Any = bindparam("hi", type_=String) if bounded else None
    lhi: Any = bindparam("lhi", type_=String) if bounded else None
    zh_order = (func.length(Term.zh), Term.zh)
    zh = (
        select(Term.id).where(Term.zh == q).limit(n),
        select(Term.id).where(_prefix(Term.zh, q, hi), Term.zh != q).order_by(*zh_order).limit(n),
        select(Term.id, *zh_order)
        .join(SearchKey, SearchKey.term_id == Term.id)
        .where(_prefix(SearchKey.key, q, hi))
        .distinct()
        .order_by(*zh_order)
        .limit(n),
    )
    if chinese:
        return (("exact", (zh[0],)), ("prefix", (zh[1],)), ("substring", (zh[2],)))
    en = func.lower(Equivalent.en)
    en_order = (Equivalent.frequency.desc(), func.length(Equivalent.en), Equivalent.term_id)
    ens = (
        select(Equivalent.term_id).where(en == lq).order_by(*en_order).limit(n),
        select(Equivalent.term_id)
        .where(_prefix(en, lq, lhi), en != lq)
        .order_by(*en_order)
        .limit(n),
        select(Equivalent.term_id, *en_order)
        .join(SearchKey, SearchKey.equivalent_id == Equivalent.id)
        .where(_prefix(SearchKey.key, lq, lhi))
        .distinct()
        .order_by(*en_order)
        .limit(n),
    )
    return (
        ("exact", (zh[0], ens[0])),
        ("prefix", (zh[1], ens[1])),
        ("substring", (zh[2], ens[2])),
    )


def _prefix(column: Any, prefix: Any, end: Any | None) -> Any:
    """``column`` starts with ``prefix``, as a range an ordinary B-tree index answers.

    Both SQLite (BINARY) and our PostgreSQL columns (collation "C") compare by code point,
    so every string starting with ``prefix`` lies in [prefix, ``_prefix_end(prefix)``).
    """
    if end is None:
        return column >= prefix
    return and_(column >= prefix, column < end)


def _prefix_end(prefix: str) -> str | None:
    """``prefix`` with its last character incremented; None past the last code point.

    The surrogates U+D800..U+DFFF are skipped (after U+D7FF comes U+E000): no stored text
    holds one, and a driver cannot encode one as UTF-8.
    """
    last = ord(prefix[-1])
    if last >= 0x10FFFF:
        return None
    after = last + 1 if last + 1 not in range(0xD800, 0xE000) else 0xE000
    return prefix[:-1] + chr(after)


TYPO_CANDIDATES = 200
"""Rows read per probe of the typo tier; each is checked in Python (``near_prefix``)."""


def typo_probes(q: str, *, chinese: bool) -> list[str]:
    """Parts of the query that survive any one typo, as index prefixes to read candidates by.

    A typo in the second half leaves the first half; one in the first half leaves the
    rest: for Chinese that is the second half (every suffix of a term is a search key),
    for English each later word (every word of an equivalent starts a search key). So a
    one-word English query with a typo in its first half is the one case not found.
    """
    n = len(q)
    if chinese:
        return [p for p in dict.fromkeys((q[: n // 2], q[n // 2 + 1 :])) if p] if n >= 3 else []
    if n < 4:
        return []
    head = q[: max(2, n // 2)]
    later = [word for word in q.split(" ")[1:] if len(word) >= 3]
    return list(dict.fromkeys([head, *later]))


@lru_cache(maxsize=2)
def typo_candidates(*, chinese: bool) -> tuple[Any, ...]:
    """Statements listing ``(term_id, text)`` whose text, or a search key of it, lies in
    [``k``, ``khi``): the candidates of the typo tier, most frequent first, bounded."""
    k: Any = bindparam("k", type_=String)
    khi: Any = bindparam("khi", type_=String)
    cap: Any = bindparam("cap", type_=Integer)
    if chinese:
        zh_order = (func.length(Term.zh), Term.zh)
        return (
            select(Term.id, Term.zh).where(_prefix(Term.zh, k, khi)).order_by(*zh_order).limit(cap),
            select(Term.id, Term.zh)
            .join(SearchKey, SearchKey.term_id == Term.id)
            .where(_prefix(SearchKey.key, k, khi))
            .order_by(*zh_order)
            .limit(cap),
        )
    en = func.lower(Equivalent.en)
    order = (Equivalent.frequency.desc(), func.length(Equivalent.en), Equivalent.term_id)
    return (
        select(Equivalent.term_id, Equivalent.en)
        .where(_prefix(en, k, khi))
        .order_by(*order)
        .limit(cap),
        select(Equivalent.term_id, Equivalent.en)
        .join(SearchKey, SearchKey.equivalent_id == Equivalent.id)
        .where(_prefix(SearchKey.key, k, khi))
        .order_by(*order)
        .limit(cap),
    )


def probe_params(probe: str) -> dict[str, Any] | None:
    """The bound values of ``typo_candidates`` for one probe (None: no upper bound)."""
    end = _prefix_end(probe)
    return None if end is None else {"k": probe, "khi": end, "cap": TYPO_CANDIDATES}
