"""Curated term lists: the seed list is the bundled corpus's demo data, ``--terms`` is anyone's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

import align.encoders
from api.cli import main
from glossary.corpus import BUNDLED
from glossary.store.engine import open_store
from glossary.store.models import AlignedPair, Equivalent, Term
from tests.api_helpers import HashEncoder
from tests.conftest import two_article_corpus


@pytest.fixture(autouse=True)
def hash_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    encoder = HashEncoder()
    monkeypatch.setattr(align.encoders, "load_encoder", lambda *_a, **_k: encoder)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The bundled articles in a folder of the user's: no longer the bundled corpus."""
    folder = tmp_path / "cq"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


def _rows(db: Path, origin: str) -> set[tuple[str, str, str, int, float]]:
    store = open_store(path=db, create=True)
    try:
        with store.reading() as session:
            rows = session.execute(
                select(
                    Term.zh,
                    Equivalent.en,
                    Equivalent.status,
                    Equivalent.frequency,
                    Equivalent.confidence,
                )
                .join(Equivalent, Equivalent.term_id == Term.id)
                .where(Equivalent.origin == origin)
            )
            return {tuple(row) for row in rows}  # type: ignore[misc]
    finally:
        store.close()


def _build(corpus: Path, db: Path, *extra: str) -> None:
    assert main(["glossary", "build", str(corpus), "--db", str(db), "--quiet", *extra]) == 0


def test_another_corpus_gets_no_seed_rows_and_terms_file_gives_curated_ones(
    corpus: Path, tmp_path: Path
) -> None:
    plain, curated = tmp_path / "plain.sqlite3", tmp_path / "curated.sqlite3"
    _build(corpus, plain)
    assert _rows(plain, "curated") == set()
    terms = tmp_path / "mine.csv"
    terms.write_text("zh,en,status\n农民工,migrant workers,preferred\n", encoding="utf-8")
    _build(corpus, curated, "--terms", str(terms))
    assert {row[:3] for row in _rows(curated, "curated")} == {
        ("农民工", "migrant workers", "preferred")
    }


def test_extraction_never_reads_the_curated_list(corpus: Path, tmp_path: Path) -> None:
    without, with_seed = tmp_path / "without.sqlite3", tmp_path / "with.sqlite3"
    _build(corpus, without)
    seed = BUNDLED.parent / "glossary" / "seed_terms.csv"
    _build(corpus, with_seed, "--terms", str(seed))
    extracted = _rows(without, "extracted")
    assert extracted
    curated_pairs = {row[:2] for row in _rows(with_seed, "curated")}
    assert {row for row in extracted if row[:2] not in curated_pairs} == {
        row for row in _rows(with_seed, "extracted") if row[:2] not in curated_pairs
    }


def test_the_bundled_corpus_loads_the_seed_list_unless_told_not_to(tmp_path: Path) -> None:
    seeded, bare = tmp_path / "seeded.sqlite3", tmp_path / "bare.sqlite3"
    _build(BUNDLED, seeded)
    assert ("一生一困", "a lifetime of poverty", "deprecated") in {
        row[:3] for row in _rows(seeded, "curated")
    }
    _build(BUNDLED, bare, "--no-terms")
    assert _rows(bare, "curated") == set()


def test_a_missing_terms_file_fails_before_any_work(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "g.sqlite3"
    argv = ["glossary", "build", str(corpus), "--db", str(db), "--terms", str(tmp_path / "no")]
    assert main(argv) == 2
    assert "--terms" in capsys.readouterr().err
    assert not db.exists()


def test_glossary_build_simplified(tmp_path: Path) -> None:
    folder = two_article_corpus(
        tmp_path / "hk",
        "外匯基金的資產增加。香港經濟穩定增長。",
        "The assets of the Exchange Fund increased. The Hong Kong economy grew steadily.",
    )
    db = tmp_path / "g.sqlite3"
    _build(folder, db, "--simplified", "--corpus", "hk")
    store = open_store(path=db, create=True)
    try:
        with store.reading() as session:
            texts = " ".join(session.scalars(select(AlignedPair.zh_text)))
            ids = set(session.scalars(select(AlignedPair.doc_zh)))
    finally:
        store.close()
    assert "外汇基金" in texts and "外匯" not in texts
    assert ids == {"z@hk"}
