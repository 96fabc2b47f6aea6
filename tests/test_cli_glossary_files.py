"""``duiqi glossary export|import`` options: formats, status filter, tags, conflicts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from api.cli import main
from glossary.corpus import default_corpus_id
from glossary.formats.importing import load_seed_terms
from glossary.store.editing import review
from glossary.store.engine import open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "g.sqlite3"
    store = open_store(path=path, create=True)
    load_seed_terms(store)
    store.close()
    return path


def test_export_with_status_filter_and_tag(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "preferred.tbx"
    args = [
        "glossary",
        "export",
        "--db",
        str(db),
        "--format",
        "tbx",
        "--status",
        "preferred",
        "--zh-lang",
        "zh-CN",
        "-o",
        str(out),
    ]
    assert main(args) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count("<termEntry") > 0 and "admittedTerm-admn-sts" not in text
    assert 'xml:lang="zh-CN"' in text


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--status", "approved", "unknown status 'approved'"),
        ("--zh-lang", "english", "not a BCP 47 tag for Chinese"),
    ],
)
def test_bad_export_options_are_one_line_and_exit_2(
    db: Path, option: str, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["glossary", "export", "--db", str(db), option, value]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_import_round_trip_reports_conflicts_and_exits_1(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exported = tmp_path / "glossary.csv"
    assert main(["glossary", "export", "--db", str(db), "-o", str(exported)]) == 0
    assert main(["glossary", "import", "--db", str(db), str(exported)]) == 0
    assert " 0 changed, " in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    rows[0]["status"] = "rejected"
    store = open_store(path=db, create=True)
    review(store, zh=rows[0]["zh"], en=rows[0]["en"], status="deprecated", reviewer="page")
    store.close()
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert main(["glossary", "import", "--db", str(db), str(edited)]) == 1
    captured = capsys.readouterr()
    assert "1 conflicts" in captured.out
    assert "conflict:" in captured.err and "now deprecated by page" in captured.err


def test_import_of_an_unknown_suffix_names_the_formats(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "glossary.dat"
    odd.write_text("zh,en,status\n")
    assert main(["glossary", "import", "--db", str(db), str(odd)]) == 2
    assert "name it .csv, .xlsx or .tbx" in capsys.readouterr().err


def test_a_translation_memory_imports_as_concordance_pairs(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from glossary.store.concordance import list_pairs

    memory = tmp_path / "old memory.tmx"
    memory.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="zh-CN"/><body>'
        '<tu><tuv xml:lang="zh-CN"><seg>稳岗<bpt i="1">&lt;b&gt;</bpt>返还<ept i="1">'
        '&lt;/b&gt;</ept>。</seg></tuv><tuv xml:lang="en-US"><seg>Job <hi>retention</hi> '
        "refunds.</seg></tuv></tu>"
        '<tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv><tuv xml:lang="en"><seg>Hello</seg>'
        "</tuv></tu></body></tmx>",
        encoding="utf-8",
    )
    for _ in range(2):  # importing again updates, it does not double
        assert main(["glossary", "import", "--db", str(db), str(memory)]) == 0
        corpus = f"tmx:{default_corpus_id(memory)}"
        assert f"1 translation units as corpus '{corpus}'" in capsys.readouterr().out
    store = open_store(path=db, create=True)
    try:
        [pair] = list_pairs(store)
    finally:
        store.close()
    assert (pair.pair.zh_text, pair.pair.en_text, pair.pair.score) == (
        "稳岗返还。",
        "Job retention refunds.",
        1.0,
    )
    assert pair.zh_doc is not None and pair.zh_doc.title == "old memory.tmx"


def test_two_memories_of_one_name_are_two_corpora(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from glossary.store.concordance import list_pairs

    texts = {"a": ("稳岗返还。", "Job retention refunds."), "b": ("就业优先。", "Jobs first.")}
    for folder, (zh, en) in texts.items():
        memory = tmp_path / folder / "memory.tmx"
        memory.parent.mkdir()
        memory.write_text(
            '<tmx version="1.4"><header srclang="zh"/><body><tu>'
            f'<tuv xml:lang="zh"><seg>{zh}</seg></tuv><tuv xml:lang="en"><seg>{en}</seg></tuv>'
            "</tu></body></tmx>",
            encoding="utf-8",
        )
        assert main(["glossary", "import", "--db", str(db), str(memory)]) == 0
    corpora = capsys.readouterr().out.splitlines()
    assert len(set(corpora)) == 2, corpora
    store = open_store(path=db, create=True)
    try:
        stored = {(p.pair.zh_text, p.pair.en_text) for p in list_pairs(store)}
    finally:
        store.close()
    assert stored == set(texts.values())


def test_our_tmx_reads_back(db: Path, tmp_path: Path) -> None:
    from glossary.formats.tmx_reader import parse_tmx
    from glossary.store.recording import record_pairs
    from glossary.store.views import PairRecord

    store = open_store(path=db, create=True)
    try:
        record_pairs(
            store,
            [PairRecord("a", "b", (0,), (1,), "落实稳岗。", "Jobs kept.", 0.81)],
            corpus_id="seeds",
        )
    finally:
        store.close()
    out = tmp_path / "pairs.tmx"
    assert main(["glossary", "export", "--db", str(db), "--format", "tmx", "-o", str(out)]) == 0
    assert parse_tmx(out.read_bytes(), source=str(out)) == ([("落实稳岗。", "Jobs kept.", 0.81)], 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<tmx><body>", "not well-formed XML"),
        ("<martif/>", "root element is <martif>"),
        (
            '<tmx><body><tu><prop type="x-score">high</prop>'
            '<tuv xml:lang="zh"><seg>稳岗</seg></tuv>'
            '<tuv xml:lang="en"><seg>jobs</seg></tuv></tu></body></tmx>',
            "x-score 'high'",
        ),
    ],
)
def test_a_bad_memory_is_one_line_and_stores_nothing(
    db: Path, tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from glossary.store.concordance import list_pairs

    bad = tmp_path / "bad.tmx"
    bad.write_text(content, encoding="utf-8")
    assert main(["glossary", "import", "--db", str(db), str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    store = open_store(path=db, create=True)
    try:
        assert list_pairs(store) == []
    finally:
        store.close()


def test_an_xlsx_export_reimports_by_its_suffix(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "glossary.xlsx"
    assert main(["glossary", "export", "--db", str(db), "--format", "xlsx", "-o", str(book)]) == 0
    assert main(["glossary", "import", "--db", str(db), str(book)]) == 0
    out = capsys.readouterr().out
    assert " 0 changed, " in out and " 0 conflicts" in out


def test_a_definition_edited_in_an_exported_csv_is_imported(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's steps: only the definition cell of one row edited, and the import said
    the row was unchanged and the lookup showed the old definition."""
    exported = tmp_path / "glossary.csv"
    assert (
        main(["glossary", "export", "--format", "csv", "--db", str(db), "-o", str(exported)]) == 0
    )
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    next(r for r in rows if r["zh"] == "稳岗")["definition"] = "稳岗 = job retention (edited)"
    with exported.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    capsys.readouterr()
    assert main(["glossary", "import", "--db", str(db), str(exported)]) == 0
    out = capsys.readouterr().out
    assert f" 1 changed, {len(rows) - 1} unchanged, 0 conflicts" in out
    assert main(["glossary", "lookup", "--db", str(db), "稳岗"]) == 0
    assert capsys.readouterr().out.startswith("稳岗  — 稳岗 = job retention (edited)\n")
