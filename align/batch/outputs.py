"""The batch's files: ``<id>.tmx``, ``<id>.jsonl``, ``<id>.done.json`` and ``summary.csv``.

A pair is complete only when its marker ``<id>.done.json`` exists, was written with the same
settings, and holds the SHA-256 of both outputs as they are now on disk. The outputs are
written atomically and the marker last, so a run killed at any instant leaves each pair either
complete or redone on the next run: never a half-written file taken as finished.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from align import atomic
from align.atomic import write_bytes, write_text
from align.document import load_document
from align.errors import InputError
from align.reading import read_file
from align.types import Alignment, Bead, Mode, Signature

from .manifest import PairSpec
from .runner import BatchSettings, PairOutcome, PairResult, input_digest

SUMMARY = "summary.csv"
SUMMARY_COLUMNS = tuple(f.name for f in dataclasses.fields(PairResult))
_MARKER_VERSION = 2  # 2: the inputs' digests are kept


@dataclasses.dataclass(frozen=True)
class PairPaths:
    tmx: Path
    jsonl: Path
    done: Path


def pair_paths(out_dir: Path, pair_id: str) -> PairPaths:
    return PairPaths(
        tmx=out_dir / f"{pair_id}.tmx",
        jsonl=out_dir / f"{pair_id}.jsonl",
        done=out_dir / f"{pair_id}.done.json",
    )


def remove_leftovers(out_dir: Path, pair_id: str) -> None:
    """Delete the temporaries of a pair's files that a killed run left behind."""
    for path in dataclasses.astuple(pair_paths(out_dir, pair_id)):
        atomic.remove_leftovers(path)


def save_outcome(out_dir: Path, outcome: PairOutcome, settings: BatchSettings) -> None:
    """Write a successful pair's outputs, then the marker that says they are whole."""
    paths = pair_paths(out_dir, outcome.result.id)
    tmx, jsonl = outcome.tmx.encode("utf-8"), outcome.jsonl.encode("utf-8")
    write_bytes(tmx, paths.tmx)
    write_bytes(jsonl, paths.jsonl)
    marker = {
        "version": _MARKER_VERSION,
        "settings": settings.key(),
        "sha256": {"tmx": _digest(tmx), "jsonl": _digest(jsonl)},
        "inputs": list(outcome.inputs),
        "result": dataclasses.asdict(outcome.result),
    }
    write_text(json.dumps(marker, ensure_ascii=False, indent=1) + "\n", paths.done)


def load_completed(out_dir: Path, spec: PairSpec, settings: BatchSettings) -> PairResult | None:
    """The stored result of a pair finished earlier with these settings on these very input
    files, or ``None``: an input edited or moved since is aligned again (and fails as its
    own pair if it is gone), never answered from outputs of other text."""
    paths = pair_paths(out_dir, spec.id)
    try:
        marker = json.loads(paths.done.read_text(encoding="utf-8"))
        if not isinstance(marker, dict) or marker.get("version") != _MARKER_VERSION:
            return None
        if marker.get("settings") != settings.key():
            return None
        digests = marker["sha256"]
        for path, key in ((paths.tmx, "tmx"), (paths.jsonl, "jsonl")):
            if _digest(path.read_bytes()) != digests[key]:
                return None
        inputs = [input_digest(read_file(path)) for path in (spec.src, spec.tgt)]
        if marker["inputs"] != inputs:
            return None
        result = PairResult(**marker["result"])
    except (OSError, InputError, ValueError, KeyError, TypeError):
        return None  # absent, unreadable or damaged: the pair is simply done again
    if result.id != spec.id or result.status != "aligned":
        return None
    return dataclasses.replace(result, status="skipped")


def load_alignment(
    out_dir: Path, spec: PairSpec, result: PairResult, settings: BatchSettings
) -> Alignment:
    """A finished pair's alignment again, from its inputs and ``<id>.jsonl``.

    For consumers that run after the batch (the glossary): the batch itself never keeps
    alignments, and re-reading one pair at a time keeps that so.
    """
    docs = [
        load_document(path, split_lines=settings.split_lines, simplified=settings.simplified)
        for path in (spec.src, spec.tgt)
    ]
    path = pair_paths(out_dir, spec.id).jsonl
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        beads = tuple(
            Bead(src=tuple(r["src"]), tgt=tuple(r["tgt"]), score=float(r["score"]))
            for r in map(json.loads, lines)
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}: cannot read the aligned pairs back ({error})") from error
    mode: Mode = "parallel" if result.mode == "parallel" else "comparable"
    return Alignment(docs[0], docs[1], beads, Signature(mode=mode, model=settings.model))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SummaryWriter:
    """Rows of ``summary.csv``, one per pair as it finishes.

    Rows go to ``summary.csv.part`` and are flushed one by one (an interrupted run leaves a
    readable partial record there); the file is renamed to ``summary.csv`` only when the
    batch ends, so ``summary.csv`` always describes one whole run.
    """

    def __init__(self, out_dir: Path, metadata_keys: list[str]) -> None:
        self.path = out_dir / SUMMARY
        self.partial = out_dir / f"{SUMMARY}.part"
        self.metadata_keys = [k for k in metadata_keys if k not in SUMMARY_COLUMNS]
        self._handle: TextIO | None = None
        self._writer: Any = None

    def __enter__(self) -> SummaryWriter:
        folder = self.partial.parent
        if folder.exists() and not folder.is_dir():  # mkdir would say only "File exists"
            raise InputError(f"{folder}: is a file, not a folder; name a folder for the outputs")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._handle = self.partial.open("w", encoding="utf-8", newline="")
        except OSError as error:
            raise InputError(f"cannot write {self.partial}: {error.strerror}") from error
        self._writer = csv.writer(self._handle)
        self._writer.writerow([*SUMMARY_COLUMNS, *self.metadata_keys])
        return self

    def add(self, spec: PairSpec, result: PairResult) -> None:
        if self._handle is None:
            raise RuntimeError("SummaryWriter.add outside its with-block")
        metadata = dict(spec.metadata)
        row = dataclasses.asdict(result)
        row["seconds"] = f"{result.seconds:.3f}"
        row["mean_score"] = "" if result.mean_score is None else f"{result.mean_score:.4f}"
        self._writer.writerow(
            [row[c] for c in SUMMARY_COLUMNS] + [metadata.get(k, "") for k in self.metadata_keys]
        )
        self._handle.flush()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if kind is None:
            try:
                os.replace(self.partial, self.path)
            except OSError as error:
                raise InputError(f"cannot write {self.path}: {error.strerror}") from error
