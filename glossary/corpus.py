"""A corpus on disk (a folder of articles and a ``manifest.csv``) and the ids it is stored under.

Every corpus merged into a store needs an id of its own, because merging a corpus again
replaces that id's evidence. The default comes from where the corpus lives, so two
manifests that share a name (both ``pairs.csv``) never share an id, and a rerun of the same
one does. Document ids are scoped by the corpus id for the same reason.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import regex

from align.errors import InputError
from align.types import Lang

# Package data of the ``corpora`` package, so an installed wheel finds it as a checkout does.
# Wheels install as directories, so the resource is a real folder the readers can open.
_DATA = Path(str(files("corpora")))
BUNDLED = _DATA / "seeds"
SEED_TERMS = _DATA / "glossary" / "seed_terms.csv"
"""The demo glossary of curated terms that ships with the bundled corpus."""
BUNDLED_CORPUS = "seeds"
"""The bundled corpus's default id."""
COLUMNS = ("id", "file", "lang", "title", "source", "date")
MAX_CORPUS_CHARS = 40
MAX_DOCUMENT_CHARS = 64
RESERVED_CORPORA = ("imported",)
_NAME = regex.compile(r"\w[\w.-]*")
_NOT_NAME = regex.compile(r"[^\w.-]+")


def check_corpus_id(name: str) -> str:
    """``name`` if it can be a corpus id (for ``--corpus``), else an ``InputError``."""
    if not _NAME.fullmatch(name) or len(name) > MAX_CORPUS_CHARS:
        raise InputError(
            f"corpus id {name!r}: use 1 to {MAX_CORPUS_CHARS} letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if name in RESERVED_CORPORA:
        raise InputError(f"corpus id {name!r} is reserved for imported figures; choose another")
    return name


def default_corpus_id(path: Path) -> str:
    """The id of the corpus at ``path`` (a folder or a manifest): its name and location.

    ``pairs-3f2a9c1e`` for ``/data/2021/pairs.csv``: readable, the same on every rerun, and
    different for every other location. The bundled corpus is ``seeds``.
    """
    resolved = path.resolve()
    if resolved == BUNDLED.resolve():
        return BUNDLED_CORPUS
    stem = _NOT_NAME.sub("-", resolved.stem).strip("-.") or "corpus"
    return f"{stem[: MAX_CORPUS_CHARS - 9]}-{_digest(str(resolved))}"


def document_id(local: str, corpus: str) -> str:
    """A document's store id: its id within the corpus, scoped by the corpus id.

    ``004@pairs-3f2a9c1e``; cut to fit the column with a digest of what was cut. (The
    bundled corpus keeps its manifest ids, which cannot meet a scoped one: no "@".)
    """
    scoped = f"{local}@{corpus}"
    if len(scoped) <= MAX_DOCUMENT_CHARS:
        return scoped
    keep = MAX_DOCUMENT_CHARS - len(corpus) - 10
    return f"{local[:keep]}-{_digest(local)}@{corpus}"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


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
