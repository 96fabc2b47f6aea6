from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from align.errors import InputError
from glossary.errors import ImportFormatError
from glossary.formats.importing import import_csv, import_glossary_file, parse_glossary_csv
from glossary.formats.spreadsheet import to_csv
from glossary.store.editing import review_history
from glossary.store.engine import Store, open_store
from glossary.store.lookups import list_terms, lookup
from glossary.store.merging import merge_entries
from tests.store_helpers import entry, snapshot

HEADER = "zh,en,status,frequency,confidence,note,sources\r\n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(path=tmp_path / "glossary.sqlite3", create=True)
    yield opened
    opened.close()


def test_export_reads_back_as_reviewed(store: Store, tmp_path: Path) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    exported = to_csv(list_terms(store))
    other = open_store(path=tmp_path / "other.db", create=True)
    try:
        report = import_csv(other, exported, reviewer="ana", source="glossary.csv")
        assert (report.rows, report.terms_added, report.equivalents_added) == (2, 1, 2)
        [view] = lookup(other, "稳岗")
        top = view.equivalents[0]
        assert (top.en, top.origin, top.reviewed_by) == ("stabilize jobs", "imported", "ana")
        assert top.frequency == 2
        assert top.confidence == pytest.approx(0.9)
        # An imported glossary is protected from rebuilds, and its figures stand in only
        # until the store has evidence of its own (no double counting).
        merge_entries(other, [entry()], corpus_id="seeds")
        [view] = lookup(other, "稳岗")
        assert [(e.en, e.frequency, e.reviewed_by) for e in view.equivalents] == [
            ("stabilize jobs", 2, "ana"),
            ("post-retention", 1, "ana"),
        ]
    finally:
        other.close()


def test_import_overrides_proposed_values_and_is_idempotent(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    data = (HEADER + "稳岗,post-retention,rejected,,,wrong sense,\r\n").encode()
    assert import_csv(store, data, reviewer="ana").equivalents_changed == 1
    [view] = lookup(store, "稳岗")
    rejected = view.equivalents[-1]
    assert (rejected.en, rejected.status, rejected.note) == (
        "post-retention",
        "rejected",
        "wrong sense",
    )
    before = snapshot(store)
    assert import_csv(store, data, reviewer="ana").equivalents_changed == 0
    assert snapshot(store) == before
    assert [e["action"] for e in review_history(store, zh="稳岗")] == ["imported"]


def test_import_without_bom_and_minimal_columns(store: Store) -> None:
    data = "zh,en,status\n渝创渝新,Chongqing Create Chongqing New,Preferred\n".encode()
    import_csv(store, data, reviewer="ana")
    [view] = lookup(store, "渝创渝新")
    assert view.equivalents[0].status == "preferred"


def test_import_gbk_file_from_excel(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("zh,en,status\n农民工,migrant workers,preferred\n".encode("gbk"))
    import_glossary_file(store, path, reviewer="ana", fmt="csv")
    assert [v.zh for v in lookup(store, "migrant workers")] == ["农民工"]


def test_malformed_file_lists_every_bad_row_and_imports_nothing(store: Store) -> None:
    merge_entries(store, [entry()], corpus_id="seeds")
    before = snapshot(store)
    data = (
        HEADER
        + "稳岗,stabilize jobs,preferred,2,0.9,,\r\n"  # row 2: fine
        + "稳岗,job retention,approved,1,0.5,,\r\n"  # row 3: unknown status
        + "稳岗,x,preferred,many,0.5,,\r\n"  # row 4: bad number
        + ",x,preferred,1,0.5,,\r\n"  # row 5: empty zh
        + "稳岗,,preferred,1,0.5,,\r\n"  # row 6: empty en
        + "稳岗,y,preferred\r\n"  # row 7: missing columns
        + "稳岗,z,preferred,1,1.7,,\r\n"  # row 8: confidence out of range
        + "稳岗,stabilize jobs,admitted,,,,\r\n"  # row 9: repeats row 2
    ).encode("utf-8-sig")
    with pytest.raises(ImportFormatError) as caught:
        import_csv(store, data, reviewer="ana", source="bad.csv")
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "row 3",
        "row 4",
        "row 5",
        "row 6",
        "row 7",
        "row 8",
        "row 9",
    ]
    message = str(caught.value)
    assert message.startswith("bad.csv: 7 malformed row(s), nothing imported")
    assert "unknown status 'approved'; use one of: proposed, preferred" in message
    assert "frequency 'many' is not a whole number" in message
    assert "row 5: zh is empty" in message and "row 6: en is empty" in message
    assert "row 7: expected 7 fields, found 3" in message
    assert "row 9: repeats 稳岗 → stabilize jobs of row 2" in message
    assert snapshot(store) == before


def test_missing_header_column() -> None:
    with pytest.raises(ImportFormatError, match=r"row 1: missing column\(s\) status"):
        parse_glossary_csv("zh,en\n稳岗,stabilize jobs\n", source="f.csv")


def test_unterminated_quote_is_a_format_error() -> None:
    with pytest.raises(ImportFormatError, match="row 2"):
        parse_glossary_csv('zh,en,status\n稳岗,"stabilize\x00,preferred\n', source="f.csv")


def test_empty_file_is_an_input_error(store: Store) -> None:
    with pytest.raises(InputError, match="empty"):
        import_csv(store, b"", reviewer="ana", source="empty.csv")


def test_control_characters_are_row_errors_and_nothing_is_imported(store: Store) -> None:
    """The store's edits refuse them, but an import wrote them (a BEL in a note, an ESC
    in a definition reached every export and a terminal). A tab and line ends are text."""
    merge_entries(store, [entry()], corpus_id="seeds")
    before = snapshot(store)
    header = "zh,en,status,note,definition\r\n"
    data = (
        header
        + '稳岗,stabilize jobs,preferred,"a tab\tand\r\ntwo lines",fine\r\n'  # row 2: fine
        + "稳岗,post-retention,rejected,ring\x07,\r\n"  # row 3: BEL in the note
        + "稳岗,job retention,admitted,,keeping\x1b[31m jobs\r\n"  # row 4: ESC, definition
        + "稳\x7f岗,x,preferred,,\r\n"  # row 5: DEL in zh
        + "稳岗,y\x9b,preferred,\x01,\r\n"  # row 6: C1 CSI in en, SOH in the note
    ).encode("utf-8-sig")
    with pytest.raises(ImportFormatError) as caught:
        import_csv(store, data, reviewer="ana", source="bad.csv")
    assert caught.value.problems == (
        "row 3: note contains a control character (such as NUL); remove it",
        "row 4: definition contains a control character (such as NUL); remove it",
        "row 5: zh contains a control character (such as NUL); remove it",
        "row 6: en contains a control character (such as NUL); remove it",
        "row 6: note contains a control character (such as NUL); remove it",
    )
    assert str(caught.value).startswith("bad.csv: 5 malformed row(s), nothing imported")
    assert snapshot(store) == before
    fine = (header + '稳岗,stabilize jobs,preferred,"a tab\tand\r\ntwo lines",fine\r\n').encode()
    assert import_csv(store, fine, reviewer="ana").equivalents_changed == 1
    [view] = lookup(store, "稳岗")
    assert view.equivalents[0].note == "a tab\tand\ntwo lines"


def test_rows_without_a_revision_that_give_a_term_two_definitions_are_a_conflict(
    store: Store,
) -> None:
    """The later row used to overwrite the earlier one's definition without a word."""
    merge_entries(store, [entry()], corpus_id="seeds")
    data = (
        "zh,en,status,definition\r\n"
        "稳岗,stabilize jobs,preferred,keeping people in work\r\n"
        "稳岗,post-retention,rejected,\r\n"  # blank: says nothing
        "稳岗,job retention,admitted,subsidies for employers\r\n"
    ).encode()
    report = import_csv(store, data, reviewer="ana")
    assert report.conflicts == (
        "稳岗: the file's rows give 2 different definitions; none was applied "
        "(change the definition on one row, or the same way on each)",
    )
    assert report.equivalents_changed == 3  # the rows' decisions are written
    [view] = lookup(store, "稳岗")
    assert view.definition == ""
    agreed = data.replace(b"subsidies for employers", b"keeping people in work")
    assert import_csv(store, agreed, reviewer="ana").conflicts == ()
    [view] = lookup(store, "稳岗")
    assert view.definition == "keeping people in work"


def test_a_column_named_twice_is_a_header_error_and_nothing_is_imported(store: Store) -> None:
    """A person who adds a second "note" column had the last one silently win."""
    data = "zh,en,status,note,note\r\n稳岗,stabilize jobs,preferred,mine,theirs\r\n".encode()
    before = snapshot(store)
    with pytest.raises(ImportFormatError, match=r"row 1: column note is named twice"):
        import_csv(store, data, reviewer="ana")
    assert snapshot(store) == before


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_file_saved_with_semicolons_or_tabs_imports(store: Store, separator: str) -> None:
    """Excel saves CSV with the locale's list separator (';' where the decimal point is a
    comma, with decimal commas) and "Unicode Text" with tabs; both were refused as missing
    every column, although the header named them."""
    merge_entries(store, [entry()], corpus_id="seeds")
    records = [
        ["zh", "en", "status", "confidence", "note"],
        ["稳岗", "post-retention", "rejected", "0,5", "wrong sense; do not use"],
    ]
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(records)
    data = out.getvalue().encode("utf-8-sig")
    report = import_csv(store, data, reviewer="ana")
    assert (report.rows, report.equivalents_changed) == (1, 1)
    [view] = lookup(store, "稳岗")
    rejected = next(e for e in view.equivalents if e.en == "post-retention")
    assert (rejected.status, rejected.note) == ("rejected", "wrong sense; do not use")
