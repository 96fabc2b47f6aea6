"""Every glossary export by format name, with an optional status filter.

Pure functions from views to bytes live in one module per format: ``spreadsheet`` (CSV,
XLSX), ``omegat`` (TSV), ``tbx`` (TBX-Basic 2008 and TBX v3) and ``tmx`` (the stored aligned
pairs). This module picks one and applies what every glossary format shares: the status
filter and the Chinese language tag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from align.errors import InputError
from align.langtags import check_zh_tag
from glossary.errors import InvalidField
from glossary.formats import omegat, spreadsheet, tbx, tmx
from glossary.store.concordance import list_pairs
from glossary.store.engine import Store
from glossary.store.lookups import list_terms
from glossary.store.views import TermView
from glossary.types import STATUSES, Status

GLOSSARY_FORMATS = ("csv", "xlsx", "tsv", "tbx", "tbx3")
FORMATS = (*GLOSSARY_FORMATS, "tmx")
_Writer = Callable[[list[TermView], str | None], bytes]
_WRITERS: dict[str, _Writer] = {
    "csv": lambda terms, _: spreadsheet.to_csv(terms),
    "xlsx": lambda terms, _: spreadsheet.to_xlsx(terms),
    "tsv": lambda terms, _: omegat.to_omegat_tsv(terms).encode("utf-8"),
    "tbx": lambda terms, zh: tbx.to_tbx(terms, zh_lang=zh).encode("utf-8"),
    "tbx3": lambda terms, zh: tbx.to_tbx3(terms, zh_lang=zh).encode("utf-8"),
}


def parse_statuses(text: str) -> frozenset[Status]:
    """``"preferred,admitted"`` as a set of statuses, or ``InvalidField`` naming the valid ones."""
    names = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STATUSES]
    if unknown or not names:
        raise InvalidField(
            f"unknown status {', '.join(map(repr, unknown)) or 'list (empty)'}; "
            f"use a comma-separated list of: {', '.join(STATUSES)}"
        )
    return frozenset(status for status in STATUSES if status in names)


def checked_zh_lang(tag: str | None) -> str | None:
    """``tag`` if it is a Chinese language tag (or None), else ``InvalidField``."""
    if tag is None:
        return None
    try:
        return check_zh_tag(tag)
    except InputError as error:
        raise InvalidField(str(error)) from error


def with_statuses(terms: Iterable[TermView], statuses: frozenset[Status]) -> list[TermView]:
    """Only the equivalents with one of ``statuses``; terms left with none are left out."""
    kept = []
    for term in terms:
        equivalents = tuple(eq for eq in term.equivalents if eq.status in statuses)
        if equivalents:
            kept.append(replace(term, equivalents=equivalents))
    return kept


def export(
    store: Store,
    fmt: str,
    *,
    statuses: frozenset[Status] | None = None,
    zh_lang: str | None = None,
) -> bytes:
    """The whole glossary (or, for ``tmx``, its aligned pairs) in one format, as bytes."""
    if fmt not in FORMATS:
        raise InvalidField(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    zh_lang = checked_zh_lang(zh_lang)
    if fmt == "tmx":
        if statuses is not None:
            raise InvalidField(
                "a status filter applies to glossary formats, not to tmx "
                "(the aligned pairs have no status)"
            )
        return tmx.to_tmx(list_pairs(store), zh_lang=zh_lang).encode("utf-8")
    terms = list_terms(store, examples=1)
    if statuses is not None:
        terms = with_statuses(terms, statuses)
    return _WRITERS[fmt](terms, zh_lang)
