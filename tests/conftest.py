"""Shared fixtures: the real default encoder is loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.encoders import Encoder, load_encoder

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def two_article_corpus(folder: Path, zh: str, en: str, *, langs: str = "zh,en") -> Path:
    """A corpus folder of one Chinese and one English article (``zh.txt``, ``en.txt``) and a
    manifest giving them ``langs`` in that order (``"en,zh"`` mislabels both)."""
    folder.mkdir()
    (folder / "zh.txt").write_text(zh + "\n", encoding="utf-8")
    (folder / "en.txt").write_text(en + "\n", encoding="utf-8")
    zh_lang, en_lang = langs.split(",")
    (folder / "manifest.csv").write_text(
        f"id,file,lang\nz,zh.txt,{zh_lang}\ne,en.txt,{en_lang}\n", encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="session")
def use_encoder(tmp_path_factory: pytest.TempPathFactory) -> Encoder:
    cache = tmp_path_factory.mktemp("cache") / "embeddings.sqlite"
    return load_encoder("use-m3", cache=cache)


@pytest.fixture
def cli_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """One embedding cache for a module's CLI runs, away from the user's."""
    monkeypatch.setenv("DUIQI_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cli-cache"))
