"""The one rule every export applies to the text it writes.

The store refuses control characters in new text, but a store written before it did may
hold some (a NUL pasted into an equivalent). Every export *removes* them (it does not
replace them): the characters ``glossary.store.validation.CONTROL`` names (C0 and C1 controls
other than tab and line ends) and those XML 1.0 cannot carry (``align.writers.xml_text``).
One rule for all formats, so a CSV, an XLSX, the OmegaT TSV, a TBX and a TMX show the same
wording; the XML formats had to drop them anyway (one would spoil the whole file), and a CSV
with a NUL in it would not import again (``align.reading`` refuses it as a binary file).
Tabs and line ends are kept here; the TSV turns them into spaces, as its cells need.
"""

from __future__ import annotations

from align.writers import xml_text
from glossary.store.validation import CONTROL


def export_text(text: str) -> str:
    """``text`` with its control characters removed, as every export writes it."""
    return str(CONTROL.sub("", xml_text(text)))
