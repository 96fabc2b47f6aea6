"""Reading a reviewed glossary CSV back in, all or nothing.

The file is the CSV export (``zh,en,status,frequency,confidence,note,sources``; BOM
optional) or any CSV with at least ``zh,en,status`` (``definition`` is also read). Every
row is checked before anything is written, and every problem is reported at once with
its row number (the header is row 1, as a spreadsheet numbers it).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TypeVar

from align.reading import decode_bytes, read_file
from glossary.errors import ImportFormatError, InvalidStatus
from glossary.store.engine import Store
from glossary.store.models import MAX_EN_CHARS, MAX_ZH_CHARS
from glossary.store.reviewing import SEED_REVIEWER, ReviewedRow, apply_reviewed_rows
from glossary.store.validation import check_status, clean_text
from glossary.store.views import ImportReport
from glossary.types import Status

REQUIRED_COLUMNS = ("zh", "en", "status")
OPTIONAL_COLUMNS = ("frequency", "confidence", "note", "definition", "sources")
#: The largest count an INTEGER column holds on every supported database (PostgreSQL's 32 bits).
MAX_FREQUENCY = 2**31 - 1
_N = TypeVar("_N", int, float)
SEED_TERMS_PATH = Path(__file__).resolve().parents[2] / "corpora" / "glossary" / "seed_terms.csv"


def parse_glossary_csv(text: str, *, source: str) -> list[ReviewedRow]:
    """The rows of a glossary CSV, or ``ImportFormatError`` listing every malformed row."""
    records = _records(text, source)
    if not records:
        raise ImportFormatError(source, ["the file has no header row; expected zh,en,status,…"])
    header = [name.strip().lower() for name in records[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFormatError(
            source,
            [f"row 1: missing column(s) {', '.join(missing)}; the header must name "
             f"{','.join(REQUIRED_COLUMNS)} (optional: {','.join(OPTIONAL_COLUMNS)})"],
        )
    problems: list[str] = []
    rows: list[ReviewedRow] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) != len(header):
            problems.append(
                f"row {number}: expected {len(header)} fields, found {len(record)}"
            )
            continue
        fields = dict(zip(header, record, strict=True))
        row, row_problems = _row(fields, number)
        if row is not None:
            key = (row.zh, row.en)
            if key in first_seen:
                row_problems.append(
                    f"row {number}: repeats {row.zh} → {row.en} of row {first_seen[key]}"
                )
            first_seen.setdefault(key, number)
            rows.append(row)
        problems += row_problems
    if problems:
        raise ImportFormatError(source, problems)
    return rows


def import_csv(store: Store, data: bytes, *, reviewer: str, source: str = "upload") -> ImportReport:
    """Import a reviewed glossary: its rows count as reviewed and outrank rebuilds.

    New equivalents get origin "imported"; every row overrides the stored status and note.
    """
    rows = parse_glossary_csv(decode_bytes(data, name=source), source=source)
    return apply_reviewed_rows(
        store, rows, origin="imported", reviewer=reviewer, overwrite_reviewed=True
    )


def import_csv_file(store: Store, path: str | Path, *, reviewer: str) -> ImportReport:
    file = Path(path)
    return import_csv(store, read_file(file), reviewer=reviewer, source=str(file))


def load_seed_terms(store: Store, path: str | Path = SEED_TERMS_PATH) -> ImportReport:
    """Load the curated seed glossary (origin "curated", counted as reviewed).

    Reloading is safe: seed rows only replace what no person has decided since.
    """
    file = Path(path)
    rows = parse_glossary_csv(decode_bytes(file.read_bytes(), name=str(file)), source=str(file))
    return apply_reviewed_rows(
        store, rows, origin="curated", reviewer=SEED_REVIEWER, overwrite_reviewed=False
    )


def _records(text: str, source: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as exc:
        raise ImportFormatError(source, [f"row {reader.line_num}: {exc}"]) from exc


def _row(fields: dict[str, str], number: int) -> tuple[ReviewedRow | None, list[str]]:
    problems: list[str] = []
    zh, en = clean_text(fields["zh"]), clean_text(fields["en"])
    for name, value, limit in (("zh", zh, MAX_ZH_CHARS), ("en", en, MAX_EN_CHARS)):
        if not value:
            problems.append(f"row {number}: {name} is empty")
        elif len(value) > limit:
            problems.append(f"row {number}: {name} has {len(value)} characters (limit {limit})")
    status: Status | None = None
    try:
        status = check_status(fields["status"].strip().lower())
    except InvalidStatus as exc:
        problems.append(f"row {number}: {exc}")
    frequency = _number(fields.get("frequency", ""), int, "frequency", number, problems)
    confidence = _number(fields.get("confidence", ""), float, "confidence", number, problems)
    if frequency is not None and frequency < 0:
        problems.append(f"row {number}: frequency {frequency} is negative")
    elif frequency is not None and frequency > MAX_FREQUENCY:
        problems.append(f"row {number}: frequency {frequency} is above {MAX_FREQUENCY:,}")
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        problems.append(f"row {number}: confidence {confidence} is outside [0, 1]")
    if problems or status is None:
        return None, problems
    definition = fields.get("definition", "").strip()
    row = ReviewedRow(
        zh=zh,
        en=en,
        status=status,
        note=fields["note"].strip() if "note" in fields else None,
        definition=definition or None,  # blank: the term's definition is on another row
        frequency=frequency,
        confidence=confidence,
    )
    return row, problems


def _number(
    text: str, kind: type[_N], name: str, number: int, problems: list[str]
) -> _N | None:
    value = text.strip()
    if not value:
        return None
    try:
        return kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        problems.append(f"row {number}: {name} {value!r} is not {what}")
        return None
