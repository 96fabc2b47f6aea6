"""Reading a reviewed glossary back in (CSV, XLSX or TBX), all or nothing.

A spreadsheet file is the CSV/XLSX export (BOM optional) or any table with at least
``zh,en,status`` (``definition`` is also read), each named once; a CSV may be separated by
commas, semicolons or tabs, as the header shows. Other columns are ignored: the export's
informational ones (``sources``, ``reviewed_by``, ``reviewed_at``, ``origin``) and any a
person added. Every row is checked before anything is
written, and every problem is reported at once with its row number (the header is row 1,
as a spreadsheet numbers it); a control character in a row's text is one, as the store's
edits refuse it. Rows of an export carry their entry's ``revision``, so an
unchanged row is a no-op and a row whose entry changed in the store since the export is a
conflict, reported and left alone (``glossary.store.revisions``); the rest is written in
one transaction. A term's definition, on each of its rows, is decided for the term
(``glossary.store.reviewing``). A TBX file (2008 or v3, from any tool) is read by
``glossary.formats.tbx_reader``, and its pairs are checked for control characters here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select

from align.reading import decode_bytes, read_file
from glossary.corpus import SEED_TERMS
from glossary.errors import ImportFormatError, InvalidField, InvalidStatus
from glossary.formats.spreadsheet import read_xlsx, unguard
from glossary.formats.text import export_text
from glossary.store.engine import CHUNK, Store
from glossary.store.models import MAX_EN_CHARS, MAX_ZH_CHARS, Equivalent, Term
from glossary.store.reviewing import Decider, ReviewedRow, apply_reviewed_rows
from glossary.store.revisions import TOKEN
from glossary.store.validation import CONTROL, check_status, clean_text, control_problem
from glossary.store.views import ImportReport
from glossary.types import Status

REQUIRED_COLUMNS = ("zh", "en", "status")
OPTIONAL_COLUMNS = (
    "frequency",
    "confidence",
    "note",
    "definition",
    "sources",
    "reviewed_by",
    "reviewed_at",
    "revision",
    "origin",
)
IMPORT_FORMATS = ("csv", "xlsx", "tbx")
#: The largest count an INTEGER column holds on every supported database (PostgreSQL's 32 bits).
MAX_FREQUENCY = 2**31 - 1
_N = TypeVar("_N", int, float)
SEED_TERMS_PATH = SEED_TERMS
_DELIMITERS = (",", ";", "\t")


def parse_glossary_csv(text: str, *, source: str) -> list[ReviewedRow]:
    """The rows of a glossary CSV, or ``ImportFormatError`` listing every malformed row."""
    return parse_records(_records(text, source), source=source, guarded=True)


def parse_records(
    records: list[list[str]], *, source: str, guarded: bool = False
) -> list[ReviewedRow]:
    """The rows of a glossary table (CSV or XLSX cells), every malformed row reported.

    ``guarded``: the text cells carry the CSV export's apostrophe before a formula start
    (``spreadsheet.guard``), to be removed. An XLSX cell is typed as text instead, so its
    leading apostrophe is the text's own.
    """
    if not records:
        raise ImportFormatError(source, ["the file has no header row; expected zh,en,status,…"])
    header = [name.strip().lower() for name in records[0]]
    twice = [c for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if header.count(c) > 1]
    if twice:
        raise ImportFormatError(
            source,
            [f"row 1: column {name} is named twice; keep one of each" for name in twice],
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFormatError(
            source,
            [
                f"row 1: missing column(s) {', '.join(missing)}; the header must name "
                f"{','.join(REQUIRED_COLUMNS)} (optional: {','.join(OPTIONAL_COLUMNS)})"
            ],
        )
    problems: list[str] = []
    rows: list[ReviewedRow] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) != len(header):
            problems.append(f"row {number}: expected {len(header)} fields, found {len(record)}")
            continue
        fields = dict(zip(header, record, strict=True))
        row, row_problems = _row(fields, number, unguard if guarded else str)
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
    """Import a reviewed glossary CSV (see ``import_glossary``)."""
    return import_glossary(store, data, fmt="csv", reviewer=reviewer, source=source)


def import_glossary(
    store: Store, data: bytes, *, fmt: str, reviewer: str, source: str = "upload"
) -> ImportReport:
    """Import a reviewed glossary: its rows count as reviewed and outrank rebuilds.

    New equivalents get origin "imported". A row without a revision (a hand-made file,
    another tool's TBX) overrides the stored status and note; a row with one changes only
    what a person changed since the export, and reports conflicts instead of reverting.
    """
    if fmt == "csv":
        rows = parse_glossary_csv(decode_bytes(data, name=source), source=source)
    elif fmt == "xlsx":
        rows = parse_records(read_xlsx(data, source=source), source=source)
    elif fmt == "tbx":
        from glossary.formats.tbx_reader import parse_tbx

        rows = _refuse_control_characters(parse_tbx(data, source=source), source=source)
    else:
        raise InvalidField(
            f"unknown import format {fmt!r}; use one of: {', '.join(IMPORT_FORMATS)}"
        )
    return apply_reviewed_rows(
        store,
        _as_stored(store, rows),
        decider=Decider(reviewer=reviewer, source=source, origin="imported"),
    )


def _as_stored(store: Store, rows: list[ReviewedRow]) -> list[ReviewedRow]:
    """``rows``, a wording as the exports write a stored one (control characters removed)
    put back as stored.

    A store from before control characters were refused may hold a wording with one; the
    exports remove them (``glossary.formats.text``), so without this an untouched exported
    row would come back as a second, cleaned equivalent instead of a no-op.
    """
    exact: set[tuple[str, str]] = set()
    written: dict[tuple[str, str], str] = {}
    with store.reading() as session:
        for start in range(0, len(rows), CHUNK):
            zhs = {row.zh for row in rows[start : start + CHUNK]}
            query = select(Term.zh, Equivalent.en).join(Equivalent.term).where(Term.zh.in_(zhs))
            for zh, en in session.execute(query):
                exact.add((zh, en))
                if CONTROL.search(en):
                    written.setdefault((zh, clean_text(export_text(en))), en)
    return [
        replace(row, en=written[(row.zh, row.en)])
        if (row.zh, row.en) not in exact and (row.zh, row.en) in written
        else row
        for row in rows
    ]


def import_glossary_file(
    store: Store, path: str | Path, *, reviewer: str, fmt: str | None = None
) -> ImportReport:
    """Import a file, its format named or read from its suffix (.csv, .xlsx, .tbx)."""
    file = Path(path)
    kind = fmt or file.suffix.lower().lstrip(".")
    if kind not in IMPORT_FORMATS:
        raise InvalidField(
            f"{file}: cannot tell the format from the name; name it .csv, .xlsx or .tbx "
            f"or give --format ({', '.join(IMPORT_FORMATS)})"
        )
    return import_glossary(store, read_file(file), fmt=kind, reviewer=reviewer, source=str(file))


def load_curated_terms(store: Store, path: str | Path) -> ImportReport:
    """Load a curated term list (the import CSV format) as the corpus's curated rows.

    Its rows get origin "curated" and name no reviewer: they rank like decisions, but a
    reload (every rebuild does one) only changes what no person has decided or edited
    since, so it never undoes a review. Extraction never reads the list.
    """
    rows = read_curated_terms(path)
    return apply_reviewed_rows(
        store, rows, decider=Decider(reviewer=None, source=Path(path).name, origin="curated")
    )


def read_curated_terms(path: str | Path) -> list[ReviewedRow]:
    """The rows of a curated term list, every one checked; the store is not touched, so a
    command can refuse a bad list before it does any work."""
    file = Path(path)
    return parse_glossary_csv(decode_bytes(file.read_bytes(), name=str(file)), source=str(file))


def load_seed_terms(store: Store) -> ImportReport:
    """The bundled corpus's curated list: demo data, loaded for that corpus only."""
    return load_curated_terms(store, SEED_TERMS_PATH)


def _records(text: str, source: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return list(reader)
    except csv.Error as exc:
        raise ImportFormatError(source, [f"row {reader.line_num}: {exc}"]) from exc


def _delimiter(text: str) -> str:
    """The separator whose header names the required columns: ``,`` unless only ``;`` or a
    tab does. Excel saves "CSV" with the locale's list separator (``;`` where the decimal
    point is a comma) and "Unicode Text" with tabs."""
    header = text.partition("\n")[0]
    for delimiter in _DELIMITERS:
        names = {name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter))}
        if names >= set(REQUIRED_COLUMNS):
            return delimiter
    return _DELIMITERS[0]


def _row(
    fields: dict[str, str], number: int, text: Callable[[str], str]
) -> tuple[ReviewedRow | None, list[str]]:
    problems: list[str] = []
    zh, en = clean_text(text(fields["zh"])), clean_text(text(fields["en"]))
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
    revision = fields.get("revision", "").strip() or None
    if revision is not None and not TOKEN.fullmatch(revision):
        problems.append(
            f"row {number}: revision {revision!r} is not one an export wrote; "
            "leave the revision column as exported (or empty for a new row)"
        )
    note = text(fields["note"]).strip() if "note" in fields else None
    # Blank is kept: on an exported row it may clear the definition, and a row without a
    # revision leaves a blank one alone (the term's definition may be on another row).
    definition = text(fields["definition"]).strip() if "definition" in fields else None
    texts = {"zh": zh, "en": en, "note": note, "definition": definition}
    problems += [f"row {number}: {problem}" for problem in _control_characters(texts)]
    if problems or status is None:
        return None, problems
    row = ReviewedRow(
        zh=zh,
        en=en,
        status=status,
        note=note,
        definition=definition,
        frequency=frequency,
        confidence=confidence,
        revision=revision,
    )
    return row, problems


def _control_characters(texts: dict[str, str | None]) -> list[str]:
    """A problem for each text that holds a control character, as the store's edits refuse
    one (``glossary.store.validation.control_problem``)."""
    return [problem for name, text in texts.items() if (problem := control_problem(text, name))]


def _refuse_control_characters(rows: list[ReviewedRow], *, source: str) -> list[ReviewedRow]:
    """``rows`` of a TBX, or ``ImportFormatError`` naming each pair with a control character.

    XML cannot hold most C0 controls, but DEL and the C1 ones (U+007F–U+009F) are legal in
    it. A TBX entry is named by its pair (shown without the characters): its rows have no
    number to give.
    """
    problems = [
        f"{export_text(row.zh)} → {export_text(row.en)}: {problem}"
        for row in rows
        for problem in _control_characters(
            {"zh": row.zh, "en": row.en, "note": row.note, "definition": row.definition}
        )
    ]
    if problems:
        raise ImportFormatError(source, problems)
    return rows


def _number(text: str, kind: type[_N], name: str, number: int, problems: list[str]) -> _N | None:
    value = text.strip()
    if not value:
        return None
    if kind is float and "," in value and "." not in value:
        value = value.replace(",", ".", 1)  # a decimal comma, as Excel writes it in most of Europe
    try:
        return kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        problems.append(f"row {number}: {name} {value!r} is not {what}")
        return None
