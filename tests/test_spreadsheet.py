"""CSV and XLSX that survive a spreadsheet: formula guard, XLSX, and revision round trips."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from glossary.errors import ImportFormatError
from glossary.formats.importing import REQUIRED_COLUMNS, import_glossary, load_seed_terms
from glossary.formats.spreadsheet import (
    CSV_HEADER,
    guard,
    read_xlsx,
    to_csv,
    to_xlsx,
    unguard,
)
from glossary.store.editing import review, review_history, update_term
from glossary.store.engine import Store, open_store
from glossary.store.lookups import list_terms, lookup
from glossary.store.merging import merge_entries
from glossary.store.models import Equivalent, Term
from glossary.types import Status
from tests.store_helpers import entry, snapshot

HOSTILE = ("=1+1", '=HYPERLINK("http://x","y")', "+1", "-based", "@SUM(A1)", "'=quoted")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    load_seed_terms(opened)
    merge_entries(opened, [entry()], corpus_id="seeds")
    yield opened
    opened.close()


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _status(store: Store, zh: str, en: str) -> tuple[Status, str | None]:
    [view] = lookup(store, zh)
    eq = next(e for e in view.equivalents if e.en == en)
    return eq.status, eq.reviewed_by


@given(st.text(max_size=12))
def test_guard_round_trips_and_never_starts_a_formula(text: str) -> None:
    guarded = guard(text)
    assert unguard(guarded) == text
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_formula_cells_are_neutralised_in_csv_and_read_back_intact(
    store: Store, tmp_path: Path
) -> None:
    for text in HOSTILE:
        review(store, zh="稳岗", en="stabilize jobs", status="preferred", reviewer="ana", note=text)
        data = to_csv(list_terms(store))
        [row] = [r for r in _rows(data) if r["en"] == "stabilize jobs"]
        assert row["note"] == "'" + text
        fresh = open_store(path=tmp_path / f"fresh{HOSTILE.index(text)}.db", create=True)
        try:
            import_glossary(fresh, data, fmt="csv", reviewer="bo")
            [view] = lookup(fresh, "稳岗")
            assert view.equivalents[0].note == text
        finally:
            fresh.close()


def test_every_field_is_quoted_so_no_other_separator_can_start_a_cell(store: Store) -> None:
    """Excel in a locale with a decimal comma splits a CSV at ';', and LibreOffice's dialog
    may split at tabs: a note "x;=cmd|...;" was written unquoted, so its middle opened as a
    formula cell that no guard saw. OWASP: quote every field, so that every ';' and tab is
    inside quotes (an odd number of quote characters before it)."""
    for text in ("x;=cmd|' /C calc'!A0;", "x\t@SUM(A1)\t", "x;-2+3"):
        review(store, zh="稳岗", en="stabilize jobs", status="preferred", reviewer="ana", note=text)
        data = to_csv(list_terms(store)).decode("utf-8-sig")
        outside = [i for i, c in enumerate(data) if c in ";\t" and data.count('"', 0, i) % 2 == 0]
        assert outside == []
        [row] = [r for r in _rows(data.encode()) if r["en"] == "stabilize jobs"]
        assert row["note"] == text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_note_comes_back_exactly_from_a_csv_and_an_xlsx(
    store: Store, tmp_path: Path, fmt: str
) -> None:
    """An XLSX cell is typed as text, not given an apostrophe, so import must not strip
    one: a note beginning "'=" or "''" lost its first apostrophe on the way back."""
    for number, text in enumerate((*HOSTILE, "''tis", "'-' means none")):
        review(store, zh="稳岗", en="stabilize jobs", status="preferred", reviewer="ana", note=text)
        terms = list_terms(store)
        data = to_csv(terms) if fmt == "csv" else to_xlsx(terms)
        fresh = open_store(path=tmp_path / f"fresh{number}.db", create=True)
        try:
            import_glossary(fresh, data, fmt=fmt, reviewer="bo")
            [view] = lookup(fresh, "稳岗")
            assert view.equivalents[0].note == text
        finally:
            fresh.close()


def test_xlsx_keeps_chinese_and_formula_text_as_text(store: Store) -> None:
    from openpyxl import load_workbook

    review(store, zh="稳岗", en="stabilize jobs", status="preferred", reviewer="ana", note="=1+1")
    book = load_workbook(io.BytesIO(to_xlsx(list_terms(store))))
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert tuple(header) == CSV_HEADER
    cells = {(r[0].value, r[1].value): r for r in sheet.iter_rows(min_row=2)}
    note = cells[("稳岗", "stabilize jobs")][5]
    assert (note.value, note.data_type) == ("=1+1", "s")
    assert cells[("稳岗", "stabilize jobs")][3].value == 2  # numbers stay numbers
    assert ("渝创渝新", "Chongqing Create Chongqing New") in cells


def test_an_exported_file_saved_unchanged_changes_nothing(store: Store) -> None:
    """The issue's case: re-importing an untouched export marked every proposal reviewed."""
    data = to_csv(list_terms(store))
    before = snapshot(store)
    history = len(review_history(store, zh="稳岗"))
    report = import_glossary(store, data, fmt="csv", reviewer="csv import")
    assert report.equivalents_changed == 0 and report.conflicts == ()
    assert report.unchanged == report.rows
    assert snapshot(store) == before
    assert _status(store, "稳岗", "post-retention") == ("proposed", None)
    assert len(review_history(store, zh="稳岗")) == history


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_rows_end_with_the_definition_and_the_origin(store: Store, fmt: str) -> None:
    """Neither was exported: a curated or imported definition did not reach the file, and
    curated rows could not be told from extracted ones."""
    hand_made = "zh,en,status,definition\r\n六稳,six stabilities,admitted,稳就业、稳金融等六项\r\n"
    import_glossary(store, hand_made.encode(), fmt="csv", reviewer="ana")
    exported = to_csv(list_terms(store)) if fmt == "csv" else to_xlsx(list_terms(store))
    if fmt == "csv":
        records = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"), newline="")))
    else:
        records = read_xlsx(exported, source="g.xlsx")
    assert tuple(records[0][-2:]) == ("definition", "origin") == CSV_HEADER[-2:]
    assert set(REQUIRED_COLUMNS) <= set(records[0])
    rows = {(r[0], r[1]): dict(zip(records[0], r, strict=True)) for r in records[1:]}
    stab = rows[("稳岗", "stabilize jobs")]
    assert stab["definition"].startswith("稳岗 = keeping people in their jobs")  # curated
    assert rows[("稳岗", "post-retention")]["definition"] == stab["definition"]  # each row
    assert (stab["origin"], rows[("稳岗", "post-retention")]["origin"]) == ("curated", "extracted")
    six = rows[("六稳", "six stabilities")]
    assert (six["definition"], six["origin"]) == ("稳就业、稳金融等六项", "imported")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_untouched_export_of_stored_control_characters_changes_nothing(
    store: Store, fmt: str
) -> None:
    """An earlier store could hold them, and the exports now remove them. The XLSX already
    did, and its cleaned wording came back as a second equivalent; the CSV, which kept them,
    must still come back as a no-op."""
    with store.writing() as session:
        row = session.scalars(select(Equivalent).where(Equivalent.en == "stabilize jobs")).one()
        row.en, row.note = "stabilize\x00 jobs", "kept\x07 as is"
        term = session.scalars(select(Term).where(Term.zh == "稳岗")).one()
        term.definition = "keeping\x1b jobs"
    data = to_csv(list_terms(store)) if fmt == "csv" else to_xlsx(list_terms(store))
    before = snapshot(store)
    report = import_glossary(store, data, fmt=fmt, reviewer="csv import")
    assert (report.equivalents_added, report.equivalents_changed, report.conflicts) == (0, 0, ())
    assert report.unchanged == report.rows
    assert snapshot(store) == before


def test_an_edited_row_of_a_stored_control_character_decides_the_stored_equivalent(
    store: Store,
) -> None:
    with store.writing() as session:
        row = session.scalars(select(Equivalent).where(Equivalent.en == "post-retention")).one()
        row.en = "post-\x07retention"
    rows = _rows(to_csv(list_terms(store)))
    [edited] = [r for r in rows if r["en"] == "post-retention"]
    edited["status"] = "admitted"
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert (report.equivalents_added, report.equivalents_changed) == (0, 1)
    assert _status(store, "稳岗", "post-\x07retention") == ("admitted", "bo")


def test_a_stale_untouched_row_does_not_revert_a_newer_review(store: Store) -> None:
    data = to_csv(list_terms(store))
    review(store, zh="稳岗", en="post-retention", status="rejected", reviewer="page")
    report = import_glossary(store, data, fmt="csv", reviewer="csv import")
    assert report.conflicts == () and report.equivalents_changed == 0
    assert _status(store, "稳岗", "post-retention") == ("rejected", "page")


def test_an_edited_row_applies_and_a_row_changed_on_both_sides_is_a_conflict(
    store: Store,
) -> None:
    rows = _rows(to_csv(list_terms(store)))
    for row in rows:
        if row["en"] == "post-retention":
            row["status"] = "deprecated"
        if row["zh"] == "渝创渝新":
            row["status"], row["note"] = "admitted", "from the file"
    review(store, zh="稳岗", en="post-retention", status="rejected", reviewer="page")
    for xlsx in (False, True):
        data = _csv(rows) if not xlsx else _xlsx(rows)
        report = import_glossary(store, data, fmt="xlsx" if xlsx else "csv", reviewer="bo")
        assert len(report.conflicts) == 1
        assert (
            "稳岗 → post-retention: changed in the glossary since the export"
            in (report.conflicts[0])
        )
        assert "now rejected by page" in report.conflicts[0]
        assert _status(store, "稳岗", "post-retention") == ("rejected", "page")
    [view] = lookup(store, "渝创渝新")
    edited = next(e for e in view.equivalents if e.note == "from the file")
    assert (edited.status, edited.reviewed_by) == ("admitted", "bo")


def _xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(CSV_HEADER))
    for row in rows:
        sheet.append([row[name] for name in CSV_HEADER])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_tampered_revision_is_a_row_error_and_nothing_is_imported(store: Store) -> None:
    rows = _rows(to_csv(list_terms(store)))
    rows[0]["status"], rows[1]["revision"] = "rejected", "edited-by-hand"
    before = snapshot(store)
    with pytest.raises(ImportFormatError, match="row 3: revision 'edited-by-hand' is not one"):
        import_glossary(store, _csv(rows), fmt="csv", reviewer="bo", source="g.csv")
    assert snapshot(store) == before


def test_a_file_that_is_not_xlsx_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ImportFormatError, match="not an XLSX workbook"):
        import_glossary(store, b"zh,en,status\n", fmt="xlsx", reviewer="bo", source="g.xlsx")


def _definition(store: Store, zh: str) -> str:
    [view] = lookup(store, zh)
    return view.definition


def _events(store: Store, zh: str, action: str) -> list[dict[str, object]]:
    return [e for e in review_history(store, zh=zh) if e["action"] == action]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_definition_edited_on_one_row_is_applied_and_counts_as_a_change(
    store: Store, fmt: str
) -> None:
    """The revision covered only status and note, so an edit to the definition alone came
    back as an untouched row and was dropped."""
    rows = _rows(to_csv(list_terms(store)))
    term_rows = [r for r in rows if r["zh"] == "稳岗"]
    assert len(term_rows) == 3  # the definition is on each of the term's rows
    term_rows[1]["definition"] = "稳岗 = job retention, edited in the file"
    data = _csv(rows) if fmt == "csv" else _xlsx(rows)
    report = import_glossary(store, data, fmt=fmt, reviewer="bo")
    assert (report.equivalents_changed, report.unchanged, report.conflicts) == (
        1,
        report.rows - 1,
        (),
    )
    assert _definition(store, "稳岗") == "稳岗 = job retention, edited in the file"
    [event] = _events(store, "稳岗", "definition")
    assert event["reviewer"] == "bo"
    assert event["after"] == {"definition": "稳岗 = job retention, edited in the file"}
    before = snapshot(store)
    again = import_glossary(store, data, fmt=fmt, reviewer="bo")  # the other rows are stale
    assert (again.equivalents_changed, again.unchanged, again.conflicts) == (0, again.rows, ())
    assert snapshot(store) == before


def test_a_definition_changed_in_the_store_since_the_export_is_a_conflict(
    store: Store,
) -> None:
    rows = _rows(to_csv(list_terms(store)))
    [stabilize] = [r for r in rows if r["en"] == "stabilize jobs"]
    stabilize["definition"] = "from the file"
    [other] = [r for r in rows if r["zh"] == "渝创渝新"]
    other["status"] = "rejected"
    [term] = lookup(store, "稳岗")
    update_term(store, term.id, definition="from the page", reviewer="page")
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert report.conflicts == (
        "稳岗: definition changed in the glossary since the export by page; "
        "the file's definition was not applied",
    )
    assert _definition(store, "稳岗") == "from the page"
    assert report.equivalents_changed == 1  # the rest of the file is written
    assert _status(store, "渝创渝新", other["en"]) == ("rejected", "bo")


def test_an_untouched_definition_does_not_revert_one_changed_in_the_store(store: Store) -> None:
    rows = _rows(to_csv(list_terms(store)))
    [post] = [r for r in rows if r["en"] == "post-retention"]
    post["status"] = "rejected"  # an edited row, its definition cell as exported
    [term] = lookup(store, "稳岗")
    update_term(store, term.id, definition="from the page", reviewer="page")
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert (report.equivalents_changed, report.conflicts) == (1, ())
    assert _definition(store, "稳岗") == "from the page"
    assert _status(store, "稳岗", "post-retention") == ("rejected", "bo")


def test_rows_of_a_term_edited_differently_are_a_conflict_and_the_same_edit_applies_once(
    store: Store,
) -> None:
    rows = _rows(to_csv(list_terms(store)))
    stored = _definition(store, "稳岗")
    term_rows = [r for r in rows if r["zh"] == "稳岗"]
    term_rows[0]["definition"], term_rows[2]["definition"] = "one", "another"
    before = snapshot(store)
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert report.conflicts == (
        "稳岗: the file's rows give 2 different definitions; none was applied "
        "(change the definition on one row, or the same way on each)",
    )
    assert (report.equivalents_changed, report.unchanged) == (0, report.rows - 2)
    assert snapshot(store) == before and _definition(store, "稳岗") == stored
    term_rows[2]["definition"] = "one"
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert (report.equivalents_changed, report.conflicts) == (2, ())
    assert _definition(store, "稳岗") == "one"
    assert len(_events(store, "稳岗", "definition")) == 1


def test_a_definition_cell_emptied_on_an_exported_row_clears_the_definition(
    store: Store,
) -> None:
    rows = _rows(to_csv(list_terms(store)))
    [stabilize] = [r for r in rows if r["en"] == "stabilize jobs"]
    stabilize["definition"] = ""
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert (report.equivalents_changed, report.conflicts) == (1, ())
    assert _definition(store, "稳岗") == ""


def test_an_export_from_before_revisions_covered_the_definition_still_imports(
    store: Store,
) -> None:
    """Its tokens have two parts; untouched rows stay no-ops, whatever the store's
    definition is now, and its definition is read as it was: on a row whose status or
    note a person changed."""
    rows = _rows(to_csv(list_terms(store)))
    for row in rows:
        row["revision"] = "-".join(row["revision"].split("-")[:2])
    [term] = lookup(store, "稳岗")
    update_term(store, term.id, definition="from the page", reviewer="page")
    before = snapshot(store)
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert (report.equivalents_changed, report.unchanged, report.conflicts) == (0, report.rows, ())
    assert snapshot(store) == before
    [post] = [r for r in rows if r["en"] == "post-retention"]
    post["status"], post["definition"] = "rejected", "with the status"
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert (report.equivalents_changed, report.conflicts) == (1, ())
    assert _definition(store, "稳岗") == "with the status"


def test_a_control_character_in_an_xlsx_is_a_row_error_and_nothing_is_imported(
    store: Store,
) -> None:
    """XML, so no C0 control; DEL and the C1 ones are legal in it, and openpyxl reads them."""
    rows = _rows(to_csv(list_terms(store)))
    rows[1]["definition"], rows[3]["note"] = "a\x7fb", "\x9b31m"
    before = snapshot(store)
    with pytest.raises(ImportFormatError) as caught:
        import_glossary(store, _xlsx(rows), fmt="xlsx", reviewer="bo", source="g.xlsx")
    assert caught.value.problems == (
        "row 3: definition contains a control character (such as NUL); remove it",
        "row 5: note contains a control character (such as NUL); remove it",
    )
    assert snapshot(store) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_wording_corrected_in_the_file_renames_the_equivalent(store: Store, fmt: str) -> None:
    """Correcting "stabilize jobs" to "stabilise jobs" in the spreadsheet added a second,
    empty equivalent and demoted the corrected one (with its figures and examples) to
    admitted; it is the page's rename, keeping status, figures and examples."""
    [before] = lookup(store, "稳岗")
    old = next(e for e in before.equivalents if e.en == "stabilize jobs")
    rows = _rows(to_csv(list_terms(store)))
    for row in rows:
        if (row["zh"], row["en"]) == ("稳岗", "stabilize jobs"):
            row["en"] = "stabilise jobs"
        if (row["zh"], row["en"]) == ("稳岗", "post-retention"):
            row["en"], row["status"] = "job retention", "admitted"
    report = import_glossary(
        store, _csv(rows) if fmt == "csv" else _xlsx(rows), fmt=fmt, reviewer="bo"
    )
    assert (report.equivalents_added, report.equivalents_changed, report.conflicts) == (0, 2, ())
    [after] = lookup(store, "稳岗")
    by_en = {e.en: e for e in after.equivalents}
    assert "stabilize jobs" not in by_en and "post-retention" not in by_en
    renamed = by_en["stabilise jobs"]
    assert (renamed.status, renamed.frequency, renamed.reviewed_by) == ("preferred", 2, "bo")
    assert [x.en_text for x in renamed.examples] == [x.en_text for x in old.examples]
    assert (by_en["job retention"].status, by_en["job retention"].frequency) == ("admitted", 1)
    assert [e["action"] for e in review_history(store, zh="稳岗")].count("rename") == 2


def test_a_copied_row_with_a_new_wording_adds_a_variant_beside_the_original(
    store: Store,
) -> None:
    rows = _rows(to_csv(list_terms(store)))
    [original] = [r for r in rows if (r["zh"], r["en"]) == ("稳岗", "stabilize jobs")]
    rows.append({**original, "en": "stabilise jobs", "status": "admitted"})
    report = import_glossary(store, _csv(rows), fmt="csv", reviewer="bo")
    assert (report.equivalents_added, report.equivalents_changed) == (1, 1)
    [after] = lookup(store, "稳岗")
    by_en = {e.en: e for e in after.equivalents}
    assert (by_en["stabilize jobs"].status, by_en["stabilise jobs"].status) == (
        "preferred",
        "admitted",
    )
