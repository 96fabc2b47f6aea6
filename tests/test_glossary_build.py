"""Building the glossary from the bundled corpus, end to end, with the real encoder."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from align.encoders import Encoder
from align.errors import InputError
from api.cli import main
from glossary.build import build_glossary, default_terms
from glossary.corpus import BUNDLED, read_manifest
from glossary.store.editing import review
from glossary.store.engine import Store, open_store
from glossary.store.lookups import lookup
from glossary.store.views import TermView
from tests.conftest import SEEDS, two_article_corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, use_encoder: Encoder) -> tuple[Store, Path]:
    db = tmp_path_factory.mktemp("glossary") / "g.sqlite3"
    store = open_store(path=db, create=True)
    build_glossary(store, BUNDLED, encoder=use_encoder, terms=default_terms(BUNDLED))
    return store, db


def _english(terms: list[TermView]) -> dict[str, str]:
    return {eq.en: eq.status for t in terms for eq in t.equivalents}


def test_headline_terms(built: tuple[Store, Path]) -> None:
    store, _ = built
    yu = lookup(store, "渝创渝新")[0]
    top = yu.equivalents[0]
    assert top.en == "Chongqing Create Chongqing New" and top.examples
    example = top.examples[0]
    assert example.en_text[example.en_span.start : example.en_span.end] == top.en
    assert example.en_doc is not None and example.en_doc.title
    one = _english(lookup(store, "一生一困"))
    assert one["a lifetime of poverty"] == "deprecated"
    assert one["college graduates and people in difficulty"] == "preferred"
    assert any("stabiliz" in en.lower() for en in _english(lookup(store, "稳岗")))


def test_rebuild_is_idempotent_and_keeps_reviews(
    built: tuple[Store, Path], use_encoder: Encoder
) -> None:
    store, _ = built
    review(
        store,
        zh="渝创渝新",
        en="Chongqing Create Chongqing New",
        status="admitted",
        note="checked by a terminologist",
        reviewer="test",
    )
    before = lookup(store, "渝创渝新")
    build_glossary(store, BUNDLED, encoder=use_encoder, terms=default_terms(BUNDLED))
    after = lookup(store, "渝创渝新")
    assert after == before


def test_lookup_json_from_the_command_line(
    built: tuple[Store, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, db = built
    assert main(["glossary", "lookup", "渝创渝新", "--json", "--db", str(db)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["query"] == "渝创渝新"
    first = result["entries"][0]
    assert {"zh", "en", "status", "frequency", "confidence", "examples"} <= set(first)
    assert {"zh_text", "en_text", "doc_zh", "doc_en"} <= set(first["examples"][0])


def test_lookup_text_tells_curated_from_attested(
    built: tuple[Store, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, db = built
    assert main(["glossary", "lookup", "一生一困", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    curated = next(x for x in lines if "college graduates and people in difficulty " in x)
    attested = next(x for x in lines if "a lifetime of poverty" in x and "[" in x)
    assert "[preferred]" in curated and "curated, not seen in the corpus" in curated
    assert "[deprecated]" in attested and "frequency" in attested


def test_export_csv_opens_in_excel_with_chinese(built: tuple[Store, Path], tmp_path: Path) -> None:
    _, db = built
    out = tmp_path / "g.csv"
    assert main(["glossary", "export", "--format", "csv", "-o", str(out), "--db", str(db)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "渝创渝新".encode() in data


def test_a_corpus_without_manifest_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["glossary", "build", str(tmp_path), "--db", str(tmp_path / "g.db"), "--quiet"]) == 2
    )
    assert "manifest.csv" in capsys.readouterr().err
    assert not (tmp_path / "g.db").exists()


def test_bundled_manifest_lists_the_seeds() -> None:
    articles = read_manifest(SEEDS)
    assert {a.lang for a in articles} == {"zh", "en"}
    assert all(a.path.exists() for a in articles)


def test_a_manifest_with_the_languages_swapped_is_refused_before_anything_is_stored(
    tmp_path: Path, use_encoder: Encoder
) -> None:
    corpus = two_article_corpus(
        tmp_path / "swapped",
        "外汇基金的投资收入上升。银行体系保持稳健。",
        "The Exchange Fund's investment income rose. The banking system stayed sound.",
        langs="en,zh",
    )
    db = tmp_path / "g.sqlite3"
    store = open_store(path=db, create=True)
    with pytest.raises(InputError, match=r"zh\.txt.*says lang 'en'.*Chinese.*lang column"):
        build_glossary(store, corpus, encoder=use_encoder)
    store.close()
    with sqlite3.connect(db) as connection:
        stored = [
            connection.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("document", "aligned_pair", "term")
        ]
    assert stored == [0, 0, 0]
