"""OmegaT's glossary format: ``source<TAB>target<TAB>comment``, no header.

OmegaT reads a tab-separated glossary only by its name: ``*.txt`` and ``*.utf8`` as UTF-8,
``*.tab`` in the system encoding (GBK on a Chinese Windows), ``*.tsv`` not at all. The
download is named ``glossary.txt`` for that reason. Rejected equivalents are left out
(OmegaT would offer them for insertion); deprecated ones stay, their comment says not to
use them. Text is written as ``glossary.formats.text.export_text`` gives it (control
characters removed, as in every export), then tabs and line breaks become spaces.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from glossary.formats.text import export_text
from glossary.store.views import EquivalentView, TermView

# What is left of a line break or cell break once export_text removed the control characters.
_TSV_BREAK = regex.compile(r"[\t\r\n\u2028\u2029]+")


def to_omegat_tsv(terms: Iterable[TermView]) -> str:
    """One line per equivalent that is not rejected."""
    lines = []
    for term in terms:
        for eq in term.equivalents:
            if eq.status == "rejected":
                continue
            cells = (term.zh, eq.en, _comment(eq))
            lines.append(
                "\t".join(_TSV_BREAK.sub(" ", export_text(cell)).strip() for cell in cells)
            )
    return "".join(line + "\n" for line in lines)


def _comment(eq: EquivalentView) -> str:
    status = "deprecated, do not use" if eq.status == "deprecated" else eq.status
    parts = [status, f"frequency {eq.frequency}"]
    if eq.note:
        parts.append(eq.note)
    return "; ".join(parts)
