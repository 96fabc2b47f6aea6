"""Kills and interrupts of the real commands: nothing half-written, reruns equal clean runs.

The trials are those of ``bench/fault_bench.py``, which runs many more of them; here a few,
seeded, so a failure reproduces.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from align.batch import BatchSettings, read_manifest
from align.batch.outputs import load_completed
from bench.fault_bench import ENTRY, batch_scenario, build_scenario, environment, measure


def test_batch_killed_at_random_points(tmp_path: Path) -> None:
    tally = measure(
        batch_scenario(tmp_path), kills=2, rng=random.Random(11), env=environment(tmp_path)
    )
    assert tally.messages == [] and tally.violations == 0
    assert tally.kills == 2


@pytest.mark.slow
def test_build_killed_at_random_points(tmp_path: Path) -> None:
    tally = measure(
        build_scenario(tmp_path), kills=2, rng=random.Random(11), env=environment(tmp_path)
    )
    assert tally.messages == [] and tally.violations == 0 and tally.kills == 2


def test_two_interrupts_end_a_batch_at_once_keeping_finished_pairs(tmp_path: Path) -> None:
    scenario = batch_scenario(tmp_path, pairs=40)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, *scenario.argv],
        env=environment(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while not (out.is_dir() and any(out.glob("*.done.json"))):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, err = process.communicate(timeout=60)
    assert time.monotonic() - start < 10
    # 130 from our handler; or, when the second interrupt lands after the interpreter has
    # put back the default disposition on its way out, death by SIGINT (a shell's 130 too).
    assert process.returncode in (130, -signal.SIGINT)
    assert "Traceback" not in err and "interrupted" in err, err
    settings = BatchSettings(split_lines=True)
    specs = read_manifest(tmp_path / "inputs" / "pairs.csv")
    finished = [s.id for s in specs if load_completed(out, s, settings) is not None]
    assert finished and len(finished) < len(specs)
    for spec in specs:  # a marker is there only for a pair whose outputs are whole
        assert (out / f"{spec.id}.done.json").exists() == (spec.id in finished)
    assert not (out / "summary.csv").exists()


def test_one_interrupt_ends_a_batch_with_one_line(tmp_path: Path) -> None:
    """A worker stopped mid-pair exits at once; nothing it held may be reported at exit."""
    scenario = batch_scenario(tmp_path, pairs=40)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", ENTRY, *scenario.argv],
        env=environment(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while not (out.is_dir() and any(out.glob("*.done.json"))):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.splitlines() == ["duiqi batch: interrupted"], err
