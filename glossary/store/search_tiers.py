"""The searches of a lookup, tier by tier (exact, prefix, substring), as index ranges."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, func, select

from glossary.store.models import Equivalent, SearchKey, Term
from glossary.store.views import Match


def search_params(q: str, *, chinese: bool, wanted: int) -> dict[str, Any]:
    """The bound values of ``tiers``: the query, its folded form and their prefix ranges.

    ``hi`` and ``lhi`` are left out when a range has no upper bound (see ``_prefix``).
    """
    params: dict[str, Any] = {"q": q, "n": wanted}
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
    """
    q: Any = bindparam("q", type_=String)
    lq: Any = bindparam("lq", type_=String)
    n: Any = bindparam("n", type_=Integer)
    hi: Any = bindparam("hi", type_=String) if bounded else None
    lhi: Any = bindparam("lhi", type_=String) if bounded else None
    zh_order = (func.length(Term.zh), Term.zh)
    zh = (
        select(Term.id).where(Term.zh == q).limit(n),
        select(Term.id).where(_prefix(Term.zh, q, hi), Term.zh != q)
        .order_by(*zh_order).limit(n),
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
        select(Equivalent.term_id).where(_prefix(en, lq, lhi), en != lq)
        .order_by(*en_order).limit(n),
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
