"""Align many article pairs: a manifest in, per-pair TMX/JSONL and a summary out.

:func:`run_batch` is the one flow every engine shares: skip the pairs finished by an earlier
run, hand the rest to an engine (local processes or Ray), and save each outcome as it arrives.
Results are yielded one by one so a caller can show progress or feed a glossary without the
batch ever holding more than the pairs in flight.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

from align.errors import InputError

from .manifest import ManifestError, PairSpec, metadata_keys, read_manifest
from .outputs import SummaryWriter, load_completed, pair_paths, remove_leftovers, save_outcome
from .runner import BatchSettings, Engine, LocalEngine, PairOutcome, PairResult, align_pair

__all__ = [
    "BatchSettings",
    "Engine",
    "LocalEngine",
    "ManifestError",
    "PairOutcome",
    "PairResult",
    "PairSpec",
    "align_pair",
    "pair_paths",
    "read_manifest",
    "run_batch",
]


def run_batch(specs: Sequence[PairSpec], out_dir: Path, *, engine: Engine) -> Iterator[PairResult]:
    """Align every pair not already complete in ``out_dir``; yield each result as it lands.

    ``summary.csv`` is written when the iterator is exhausted; stopping early keeps the
    finished pairs (a rerun skips them) and leaves ``summary.csv.part``. Temporary files a
    killed run left for these pairs are removed (one batch writes a folder at a time).
    """
    by_id = {spec.id: spec for spec in specs}
    with SummaryWriter(out_dir, metadata_keys(specs)) as summary:
        todo = []
        for spec in specs:
            remove_leftovers(out_dir, spec.id)
            done = load_completed(out_dir, spec, engine.settings)
            if done is None:
                todo.append(spec)
            else:
                summary.add(spec, done)
                yield done
        for outcome in engine.run(todo):
            result = _save(out_dir, outcome, engine.settings)
            summary.add(by_id[result.id], result)
            yield result


def _save(out_dir: Path, outcome: PairOutcome, settings: BatchSettings) -> PairResult:
    if outcome.result.status != "aligned":
        return outcome.result
    try:
        save_outcome(out_dir, outcome, settings)
    except InputError as error:  # a full disk or a read-only folder fails this pair only
        return dataclasses.replace(outcome.result, status="failed", error=str(error))
    return outcome.result
