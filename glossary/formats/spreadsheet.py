"""The glossary for spreadsheets: CSV and XLSX, one row per equivalent.

- CSV: UTF-8 with a BOM (Excel reads BOM-less UTF-8 as the ANSI code page and garbles
  the Chinese), every field quoted (RFC 4180) and CRLF line ends. Quoting every field is
  OWASP's advice against formula injection: Excel in a locale with a decimal comma splits
  a CSV at ``;``, and LibreOffice may split at tabs, so an unquoted ``x;=cmd|...`` would
  open as two cells, the second a formula no guard saw.
- XLSX (openpyxl): no import dialog to choose an encoding in, so nothing to garble.
- A cell that begins with ``= + - @`` (or a tab or carriage return) would run as a formula
  in Excel or LibreOffice (``=HYPERLINK(...)`` in a term is an attack, ``-based`` a
  ``#NAME?``). CSV cells get a leading apostrophe, the spreadsheet convention for "text";
  XLSX cells are typed as strings. Import strips the apostrophe again (``unguard``), so the
  text round-trips exactly.
- Each row carries its entry's ``revision`` (``glossary.store.revisions``), which makes a
  re-import change only what a person changed: status, note, the term's definition, or the
  wording (a corrected ``en`` renames the equivalent it was exported as, as the page does).
- The last two columns are the term's ``definition`` (on each of its rows, as ``zh`` is) and
  the equivalent's ``origin`` (``extracted``, ``curated``, ``imported``, …). Import reads the
  definition (a change to it on any one of the term's rows is an edit); the origin, like
  ``sources`` and the reviewer, is there to read and ignored.
- Text is written as ``glossary.formats.text.export_text`` gives it: control characters
  removed, as in every export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from glossary.formats.text import export_text
from glossary.store.revisions import Decision, revision
from glossary.store.views import EquivalentView, TermView

CSV_HEADER = (
    "zh",
    "en",
    "status",
    "frequency",
    "confidence",
    "note",
    "sources",
    "reviewed_by",
    "reviewed_at",
    "revision",
    "definition",
    "origin",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_DIGITS = 4


def guard(cell: str) -> str:
    """``cell`` as text a spreadsheet will not evaluate; ``unguard`` inverts it exactly."""
    return "'" + cell if cell.startswith((*_FORMULA, "'")) else cell


def unguard(cell: str) -> str:
    """The text ``guard`` was given (a leading apostrophe before a formula start is ours)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith((*_FORMULA, "'")) else cell


def rows(terms: Iterable[TermView]) -> Iterator[tuple[str | int | float, ...]]:
    """The header, then one row per equivalent; text cells unguarded, figures as numbers."""
    yield CSV_HEADER
    for term in terms:
        zh, definition = export_text(term.zh), export_text(term.definition)
        for eq in term.equivalents:
            en, note = export_text(eq.en), export_text(eq.note)
            yield (
                zh,
                en,
                eq.status,
                eq.frequency,
                round(eq.confidence, _DIGITS),
                note,
                ";".join(map(export_text, eq.sources)),
                export_text(eq.reviewed_by or ""),
                eq.reviewed_at.strftime("%Y-%m-%dT%H:%M:%SZ") if eq.reviewed_at else "",
                # Of the stored wording (import maps the written one back to it) and of the
                # note and definition as written, so an untouched row comes back as unedited
                # even where the stored wording, note or definition held a control character.
                revision(_decision(term, eq, note, definition)),
                definition,
                eq.origin,
            )


def to_csv(terms: Iterable[TermView]) -> bytes:
    """CSV bytes with a BOM; ``sources`` is the attesting document ids joined by ';'."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows(terms):
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(terms: Iterable[TermView]) -> bytes:
    """An XLSX workbook, one sheet, the same columns as the CSV, the header row frozen."""
    from openpyxl import Workbook  # imported here: only this format needs it

    book = Workbook()
    sheet = book.active
    sheet.title = "glossary"
    for number, row in enumerate(rows(terms), start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                cell.value = value  # rows() removed the control characters XML cannot hold
                cell.data_type = "s"  # openpyxl would make "=..." a formula
            else:
                cell.value = value
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes, *, source: str) -> list[list[str]]:
    """The cells of the first sheet as text rows, for the same checks as a CSV import."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    from glossary.errors import ImportFormatError

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFormatError(source, [f"not an XLSX workbook ({error})"]) from error
    sheet = book.worksheets[0]
    records = [
        ["" if value is None else _text(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    book.close()
    width = max((len(r) for r in records), default=0)
    return [r + [""] * (width - len(r)) for r in records]


def _csv_cell(value: str | int | float) -> str | int:
    if isinstance(value, float):
        return f"{value:.{_DIGITS}f}"
    return guard(value) if isinstance(value, str) else value


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decision(term: TermView, eq: EquivalentView, note: str, definition: str) -> Decision:
    return Decision(
        zh=term.zh,
        en=eq.en,
        status=eq.status,
        note=note,
        reviewed_by=eq.reviewed_by,
        reviewed_at=eq.reviewed_at,
        definition=definition,
    )
