"""Corpus ids: no batch or corpus merged into a store loses another one's evidence."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

import align.encoders
import api.cli.batch as batch_cli
from align.batch import BatchSettings, PairOutcome, PairSpec, align_pair
from align.encoders import Encoder
from align.errors import InputError
from api.cli import main
from glossary.corpus import BUNDLED, check_corpus_id, default_corpus_id, document_id
from glossary.store.concordance import list_pairs
from glossary.store.engine import open_store
from glossary.store.models import Contribution, Document, Equivalent, Term
from tests.api_helpers import HashEncoder
from tests.conftest import DATA, SEEDS


def test_manifests_of_the_same_name_get_different_ids(tmp_path: Path) -> None:
    a, b = tmp_path / "2021" / "pairs.csv", tmp_path / "2022" / "pairs.csv"
    assert default_corpus_id(a) != default_corpus_id(b)
    assert default_corpus_id(a) == default_corpus_id(tmp_path / "2021" / ".." / "2021" / a.name)
    assert default_corpus_id(a).startswith("pairs-")
    assert default_corpus_id(BUNDLED) == "seeds"
    long = tmp_path / ("年度报告" * 20 + ".csv")
    assert check_corpus_id(default_corpus_id(long)) == default_corpus_id(long)


@pytest.mark.parametrize("bad", ["", "a b", "-x", "x" * 41, "imported", "a/b"])
def test_bad_corpus_names_are_refused(bad: str) -> None:
    with pytest.raises(InputError, match="corpus id"):
        check_corpus_id(bad)


def test_document_ids_are_scoped_and_fit() -> None:
    assert document_id("004", "pairs-1a2b3c4d") == "004@pairs-1a2b3c4d"
    long = document_id("x" * 60, "c" * 40)
    assert len(long) <= 64 and long.endswith("@" + "c" * 40)
    assert long != document_id("x" * 59 + "y", "c" * 40)


@dataclass
class _InProcess:
    """The batch engine without worker processes, aligning with a test encoder."""

    settings: BatchSettings
    encoder: Encoder

    def run(self, specs: Iterable[PairSpec]) -> Iterator[PairOutcome]:
        for spec in specs:
            yield align_pair(spec, self.encoder, self.settings)


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    encoder = HashEncoder()
    monkeypatch.setattr(batch_cli, "_engine", lambda _args, settings: _InProcess(settings, encoder))
    monkeypatch.setattr(align.encoders, "load_encoder", lambda *_a, **_k: encoder)


def _manifest(folder: Path, zh: Path, en: Path, zh_lines: slice, en_lines: slice) -> Path:
    folder.mkdir()
    for source, name, lines in ((zh, "zh.txt", zh_lines), (en, "en.txt", en_lines)):
        text = source.read_text(encoding="utf-8").splitlines()[lines]
        (folder / name).write_text("\n".join(text) + "\n", encoding="utf-8")
    path = folder / "pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "src", "tgt"], ["one", "zh.txt", "en.txt"]])
    return path


def _evidence(db: Path) -> set[tuple[str, str, str, int]]:
    store = open_store(path=db, create=True)
    try:
        with store.reading() as session:
            rows = session.execute(
                select(Term.zh, Equivalent.en, Contribution.corpus_id, Contribution.frequency)
                .join(Equivalent, Equivalent.term_id == Term.id)
                .join(Contribution, Contribution.equivalent_id == Equivalent.id)
            )
            return {tuple(row) for row in rows}  # type: ignore[misc]
    finally:
        store.close()


def test_two_batches_named_pairs_csv_keep_each_others_evidence(
    tmp_path: Path, in_process: None
) -> None:
    db = tmp_path / "g.sqlite3"
    first = _manifest(
        tmp_path / "seeds",
        SEEDS / "004_acb3dc8994b1fd4b.txt",
        SEEDS / "000_d37896d3ca684c51.txt",
        slice(0, 115),
        slice(0, 32),
    )
    second = _manifest(
        tmp_path / "bible", DATA / "bible_zh.txt", DATA / "bible_en.txt", slice(0, 40), slice(0, 30)
    )
    common = ["--glossary", "--db", str(db), "--quiet"]
    assert main(["batch", str(first), "-o", str(tmp_path / "out1"), *common]) == 0
    after_first = _evidence(db)
    assert after_first
    assert main(["batch", str(second), "-o", str(tmp_path / "out2"), *common]) == 0
    after_second = _evidence(db)
    assert after_first <= after_second
    assert {corpus for *_, corpus, _ in after_second} == {
        default_corpus_id(first),
        default_corpus_id(second),
    }
    store = open_store(path=db, create=True)
    try:
        with store.reading() as session:
            docs = set(session.scalars(select(Document.id).where(Document.lang == "zh")))
    finally:
        store.close()
    assert docs == {f"zh@{default_corpus_id(first)}", f"zh@{default_corpus_id(second)}"}


def test_a_named_corpus_is_rebuilt_in_place(tmp_path: Path, in_process: None) -> None:
    db = tmp_path / "g.sqlite3"
    first = _manifest(
        tmp_path / "a",
        SEEDS / "004_acb3dc8994b1fd4b.txt",
        SEEDS / "000_d37896d3ca684c51.txt",
        slice(0, 115),
        slice(0, 32),
    )
    common = ["--glossary", "--db", str(db), "--quiet", "--corpus", "cq-2022"]
    assert main(["batch", str(first), "-o", str(tmp_path / "out"), *common]) == 0
    once = _evidence(db)
    assert main(["batch", str(first), "-o", str(tmp_path / "out"), *common]) == 0
    assert _evidence(db) == once
    assert {corpus for *_, corpus, _ in once} == {"cq-2022"}


@pytest.mark.parametrize("name", ["no spaces", ""])
def test_a_bad_corpus_name_fails_before_any_work(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "pairs.csv"
    manifest.write_text("id,src,tgt\n", encoding="utf-8")
    argv = [
        "batch",
        str(manifest),
        "--glossary",
        "--corpus",
        name,
        "--db",
        str(tmp_path / "g.db"),
    ]
    assert main(argv) == 2
    assert f"corpus id {name!r}" in capsys.readouterr().err
    assert not (tmp_path / "g.db").exists()


def test_batch_simplified_stores_simplified_chinese(tmp_path: Path, in_process: None) -> None:
    folder = tmp_path / "hk"
    folder.mkdir()
    (folder / "zh.txt").write_text("外匯基金的資產增加。\n香港經濟穩定增長。\n", encoding="utf-8")
    (folder / "en.txt").write_text(
        "The assets of the Exchange Fund increased.\nThe Hong Kong economy grew steadily.\n",
        encoding="utf-8",
    )
    manifest = folder / "pairs.csv"
    manifest.write_text("id,src,tgt\none,zh.txt,en.txt\n", encoding="utf-8")
    db = tmp_path / "g.sqlite3"
    argv = [
        "batch",
        str(manifest),
        "-o",
        str(tmp_path / "out"),
        "--glossary",
        "--db",
        str(db),
        "--quiet",
        "--split-lines",
        "--simplified",
    ]
    assert main(argv) == 0
    store = open_store(path=db, create=True)
    try:
        texts = {p.pair.zh_text for p in list_pairs(store)}
    finally:
        store.close()
    assert "外汇基金的资产增加。" in texts


def _two_pairs(tmp_path: Path) -> Path:
    """A manifest of two article pairs: seed articles and Bible verses."""
    folder = tmp_path / "two"
    folder.mkdir()
    sources = (
        ("zh1.txt", SEEDS / "004_acb3dc8994b1fd4b.txt", slice(0, 115)),
        ("en1.txt", SEEDS / "000_d37896d3ca684c51.txt", slice(0, 32)),
        ("zh2.txt", DATA / "bible_zh.txt", slice(0, 40)),
        ("en2.txt", DATA / "bible_en.txt", slice(0, 30)),
    )
    for name, source, lines in sources:
        text = source.read_text(encoding="utf-8").splitlines()[lines]
        (folder / name).write_text("\n".join(text) + "\n", encoding="utf-8")
    manifest = folder / "pairs.csv"
    manifest.write_text("id,src,tgt\none,zh1.txt,en1.txt\ntwo,zh2.txt,en2.txt\n", encoding="utf-8")
    return manifest


def test_a_pair_failing_on_a_rerun_keeps_the_corpus_evidence(
    tmp_path: Path, in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _two_pairs(tmp_path)
    db = tmp_path / "g.sqlite3"
    common = ["--glossary", "--db", str(db)]
    assert main(["batch", str(manifest), "-o", str(tmp_path / "out1"), *common]) == 0
    before = _evidence(db)
    assert before
    (manifest.parent / "zh2.txt").rename(manifest.parent / "moved.txt")
    capsys.readouterr()
    assert main(["batch", str(manifest), "-o", str(tmp_path / "out2"), *common]) == 1
    assert "glossary not updated: 1 pair(s) failed" in capsys.readouterr().err
    assert _evidence(db) == before


def test_a_new_corpus_merges_the_pairs_that_aligned(tmp_path: Path, in_process: None) -> None:
    manifest = _two_pairs(tmp_path)
    (manifest.parent / "zh2.txt").unlink()
    db = tmp_path / "g.sqlite3"
    argv = ["batch", str(manifest), "-o", str(tmp_path / "out"), "--glossary", "--db", str(db)]
    assert main([*argv, "--quiet"]) == 1
    assert _evidence(db)


def test_a_pair_listed_twice_counts_once(tmp_path: Path, in_process: None) -> None:
    manifest = _two_pairs(tmp_path)
    twice = manifest.parent / "twice.csv"
    twice.write_text(
        manifest.read_text(encoding="utf-8") + "again,en1.txt,zh1.txt\n", encoding="utf-8"
    )
    db = tmp_path / "g.sqlite3"
    argv = ["batch", str(twice), "-o", str(tmp_path / "out"), "--db", str(db), "--glossary"]
    assert main([*argv, "--quiet", "--mode", "parallel"]) == 0
    store = open_store(path=db, create=True)
    try:
        texts = [(p.pair.zh_text, p.pair.en_text.lower()) for p in list_pairs(store)]
    finally:
        store.close()
    evidence = _evidence(db)
    assert evidence
    for zh, en, _, frequency in evidence:
        holding = sum(zh in z and en.lower() in e for z, e in texts)
        assert frequency <= holding, (zh, en)


def test_a_bad_terms_file_fails_before_any_alignment(
    tmp_path: Path, in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _two_pairs(tmp_path)
    terms = tmp_path / "terms.csv"
    terms.write_text("term,english,state\n稳岗,stabilize jobs,preferred\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["batch", str(manifest), "-o", str(out), "--glossary", "--db", str(tmp_path / "g.db")]
    assert main([*argv, "--terms", str(terms), "--quiet"]) == 2
    assert "terms.csv" in capsys.readouterr().err
    assert not out.exists()


def test_a_curated_list_at_odds_with_itself_is_reported(
    tmp_path: Path, in_process: None, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _two_pairs(tmp_path)
    terms = tmp_path / "terms.csv"
    terms.write_text(
        "zh,en,status,definition\n"
        "稳岗,stabilize jobs,preferred,keeping people in their jobs\n"
        "稳岗,job retention,admitted,subsidies for employers\n",
        encoding="utf-8",
    )
    out, db = tmp_path / "out", tmp_path / "g.db"
    argv = ["batch", str(manifest), "-o", str(out), "--glossary", "--db", str(db), "--quiet"]
    assert main([*argv, "--terms", str(terms)]) == 0
    err = capsys.readouterr().err
    assert "terms.csv: conflict:" in err and "稳岗" in err
