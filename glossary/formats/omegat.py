"""OmegaT's glossary format: ``source<TAB>target<TAB>comment``, no header.

OmegaT reads a tab-separated glossary only by its name: ``*.txt`` and ``*.utf8`` as UTF-8,
``*.tab`` in the system encoding (GBK on a Chinese Windows), ``*.tsv`` not at all. The
download is named ``glossary.txt`` for that reason. Rejected equivalents are left out
(OmegaT would offer them for insertion); deprecated ones stay, their comment says not to
use them.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from glossary.store.views import EquivalentView, TermView

_TSV_BREAK = regex.compile(r"[\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def to_omegat_tsv(terms: Iterable[TermView]) -> str:
    """One line per equivalent that is not rejected."""
    lines = []
    for term in terms:
        for eq in term.equivalents:
            if eq.status == "rejected":
                continue
            cells = (term.zh, eq.en, _comment(eq))
            lines.append("\t".join(_TSV_BREAK.sub(" ", cell).strip() for cell in cells))
    return "".join(line + "\n" for line in lines)


def _comment(eq: EquivalentView) -> str:
    status = "deprecated, do not use" if eq.status == "deprecated" else eq.status
    parts = [status, f"frequency {eq.frequency}"]
    if eq.note:
        parts.append(eq.note)
    return "; ".join(parts)
