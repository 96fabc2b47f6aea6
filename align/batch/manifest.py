"""The list of article pairs a batch aligns: a CSV or JSONL manifest.

CSV has a header with at least ``id,src,tgt``; JSONL has one object per line with the same
keys. Any other column or key is kept as metadata (title, source, date, ...) and carried to the
summary. Relative paths are resolved against the manifest's folder, so a manifest and its
articles can be moved together. The id names the output files, so it must be a safe file name
and unique: a duplicate would make one pair's output overwrite another's.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import regex

from align.errors import InputError
from align.reading import read_file

REQUIRED = ("id", "src", "tgt")
_SAFE_ID = regex.compile(r"[\w][\w.\-]{0,127}")


class ManifestError(InputError):
    """The manifest cannot be read or one of its rows is malformed."""


@dataclass(frozen=True)
class PairSpec:
    """One article pair to align, with the manifest's other columns as metadata."""

    id: str
    src: Path
    tgt: Path
    metadata: tuple[tuple[str, str], ...] = ()


def read_manifest(path: Path) -> list[PairSpec]:
    """Read and check a whole manifest before any work starts, so a typo fails in a second."""
    if not path.exists():
        raise ManifestError(f"{path}: no such manifest file")
    try:
        text = read_file(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: the manifest is not UTF-8 text") from None
    except InputError as error:
        raise ManifestError(f"manifest {error}") from None
    rows = _jsonl_rows(text, path) if _is_jsonl(path, text) else _csv_rows(text, path)
    specs = [_spec(row, where, path.parent) for where, row in rows]
    if not specs:
        raise ManifestError(f"{path}: the manifest lists no pairs")
    _check_unique(specs, path)
    return specs


def metadata_keys(specs: Iterable[PairSpec]) -> list[str]:
    """Every metadata key, in first-seen order: the extra summary columns."""
    return list(dict.fromkeys(key for spec in specs for key, _ in spec.metadata))


def _is_jsonl(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    if path.suffix.lower() == ".csv":
        return False
    return text.lstrip().startswith("{")


def _csv_rows(text: str, path: Path) -> Iterator[tuple[str, Mapping[str, object]]]:
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [key for key in REQUIRED if key not in header]
    if missing:
        raise ManifestError(
            f"{path}: the CSV header must name columns {','.join(REQUIRED)} "
            f"(missing {','.join(missing)}; found {','.join(header) or 'nothing'})"
        )
    for row in reader:
        where = f"{path}, line {reader.line_num}"
        if None in row:
            raise ManifestError(f"{where}: more fields than the header has columns")
        yield where, row


def _jsonl_rows(text: str, path: Path) -> Iterator[tuple[str, Mapping[str, object]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ManifestError(f"{where}: not valid JSON ({error.msg})") from None
        if not isinstance(row, dict):
            raise ManifestError(f"{where}: expected a JSON object with keys id, src, tgt")
        yield where, row


def _spec(row: Mapping[str, object], where: str, base: Path) -> PairSpec:
    values = {key: row.get(key) for key in REQUIRED}
    for key, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise ManifestError(f"{where}: {key!r} must be a non-empty string, got {value!r}")
    pair_id = str(values["id"]).strip()
    if not _SAFE_ID.fullmatch(pair_id):
        raise ManifestError(
            f"{where}: id {pair_id!r} cannot name output files; use letters, digits, "
            "'.', '_' or '-' (at most 128, not starting with '.' or '-')"
        )
    metadata = tuple(
        (str(key), value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in row.items()
        if key not in REQUIRED and value is not None
    )
    return PairSpec(
        id=pair_id,
        src=_resolve(str(values["src"]), base),
        tgt=_resolve(str(values["tgt"]), base),
        metadata=metadata,
    )


def _resolve(name: str, base: Path) -> Path:
    path = Path(name.strip()).expanduser()
    return path if path.is_absolute() else base / path


def _check_unique(specs: list[PairSpec], path: Path) -> None:
    seen: set[str] = set()
    for number, spec in enumerate(specs, start=1):
        if spec.id in seen:
            raise ManifestError(
                f"{path}: pair {number} repeats id {spec.id!r}; ids name the output files, "
                "so each must be unique"
            )
        seen.add(spec.id)
