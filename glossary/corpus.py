"""A corpus on disk: a folder of articles and a ``manifest.csv`` describing them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from align.errors import InputError
from align.types import Lang

# Package data of the ``corpora`` package, so an installed wheel finds it as a checkout does.
# Wheels install as directories, so the resource is a real folder the readers can open.
_DATA = Path(str(files("corpora")))
BUNDLED = _DATA / "seeds"
SEED_TERMS = _DATA / "glossary" / "seed_terms.csv"
"""The demo glossary of curated terms that ships with the bundled corpus."""
COLUMNS = ("id", "file", "lang", "title", "source", "date")


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    lang: Lang
    title: str = ""
    source: str = ""
    date: str = ""


def read_manifest(folder: Path) -> list[Article]:
    """The articles of ``folder/manifest.csv`` (columns id, file, lang, title, source, date)."""
    manifest = folder / "manifest.csv"
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(
            f"{manifest}: cannot read the corpus manifest ({error.strerror}); a corpus folder "
            f"needs a manifest.csv with columns {', '.join(COLUMNS)}"
        ) from error
    rows = list(csv.DictReader(text.splitlines()))
    missing = [c for c in ("id", "file", "lang") if rows and c not in rows[0]]
    if not rows or missing:
        raise InputError(f"{manifest}: needs a header row with columns {', '.join(COLUMNS)}")
    articles = []
    for number, row in enumerate(rows, start=2):
        lang = (row.get("lang") or "").strip()
        if lang not in ("zh", "en") or not (row.get("id") or "").strip():
            raise InputError(f"{manifest} row {number}: needs an id and lang 'zh' or 'en'")
        articles.append(
            Article(
                id=row["id"].strip(),
                path=folder / row["file"].strip(),
                lang="zh" if lang == "zh" else "en",
                title=row.get("title") or "",
                source=row.get("source") or "",
                date=row.get("date") or "",
            )
        )
    return articles
