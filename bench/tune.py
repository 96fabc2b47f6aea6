"""Choose every default of the parallel aligner on all dev sets, leaving one set out.

Each setting is chosen by the macro average of strict F1 over the dev sets (Bible, academic
chapters, magazine articles; see ``dev_sets.py``), never by one set. For each set the script
also reports its *held-out* figure: the F1 it gets with the setting chosen on the other sets
alone. Stages, in order, each with the earlier stages at their chosen values:

1. first pass (summed windows): ``size_weight``, ``merge``, ``merge_both``;
2. second pass (encoded windows): the same three and ``neighbours``, the share of chance
   similarity measured on the sentences beside a bead (two values of each of the three,
   around the earlier run's choices on every fold, to keep a run near a quarter hour);
3. the second pass's length model: ``length_noise``, the length (a share of the documents'
   mean sentence length) at which the log length ratio's variance doubles, with the
   ``length_weight`` it goes with (a scaled penalty wants a larger weight);
4. ``window_margin``, how close to the best path a bead must come to be encoded;
5. ``skip_percentile``;
6. the bead probability (``PROBABILITY``): a logistic fit with every set weighted alike,
   fitted on two sets and applied to the third for the reliability table.

Results go to ``bench/results/tune.json``; the chosen values are the constants in
``align/calibration.py``. With a warm embedding cache (``DUIQI_CACHE_DIR``) a run takes
minutes; the window texts it encodes are cached like sentences.

    .venv/bin/python bench/tune.py
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from dev_sets import DevSet, load_dev_sets

from align.calibration import FIRST_PASS, SECOND_PASS, SKIP_PERCENTILE, WINDOW_MARGIN
from align.encoders import load_encoder
from align.evaluation import score_alignment
from align.parallel import ParallelAligner
from align.search import Scoring, Step

RESULTS = Path(__file__).resolve().parent / "results" / "tune.json"
FIRST_GRID = {"size_weight": (0.0, 0.5, 1.0), "merge": (0.0, 0.1, 0.2), "merge_both": (0.1, 0.3)}
SECOND_GRID = {
    "size_weight": (0.0, 0.25),
    "merge": (0.0, 0.1),
    "merge_both": (0.0, 0.2),
    "neighbours": (0.0, 0.25, 0.4, 0.5, 0.6),
}
LENGTH_GRID = {
    "length_noise": (0.0, 0.5, 1.0, 1.5, 2.0),
    "length_weight": (0.2, 0.3, 0.4, 0.5, 0.6),
}
MARGINS = (0.1, 0.2, 0.5)
SKIP_PERCENTILES = (5.0, 10.0, 20.0)
BINS = np.linspace(0.0, 1.0, 11)

Table = dict[Any, dict[str, float]]  # setting -> dev set -> strict F1


def choose(table: Table) -> dict[str, Any]:
    """The setting with the best macro average, and each set's held-out figure: its F1 under
    the setting with the best average over the *other* sets."""
    names = list(next(iter(table.values())))

    def best(over: list[str]) -> Any:
        return max(table, key=lambda k: np.mean([table[k][n] for n in over]))

    chosen = best(names)
    held_out = {}
    for name in names:
        fold = best([n for n in names if n != name])
        held_out[name] = {"setting": fold, "f1_strict": table[fold][name]}
    return {
        "chosen": chosen,
        "per_set": table[chosen],
        "macro": float(np.mean(list(table[chosen].values()))),
        "held_out": held_out,
        "held_out_macro": float(np.mean([h["f1_strict"] for h in held_out.values()])),
    }


def f1(steps: list[Step], dev: DevSet) -> float:
    pred = [(tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) for s in steps]
    return score_alignment(dev.gold, pred).f1_strict


def grid(axes: dict[str, tuple[float, ...]]) -> list[tuple[float, ...]]:
    return list(itertools.product(*axes.values()))


def sweep(
    devs: list[DevSet], settings: list[Any], run: Callable[[Any, DevSet], float], title: str
) -> dict[str, Any]:
    table: Table = {}
    for setting in settings:
        table[setting] = {dev.name: run(setting, dev) for dev in devs}
        row = "  ".join(f"{n} {v:.4f}" for n, v in table[setting].items())
        print(f"  {title} {setting}: {row}  macro {np.mean(list(table[setting].values())):.4f}")
    result = choose(table)
    print(
        f"{title}: chosen {result['chosen']} macro {result['macro']:.4f}; held-out "
        + ", ".join(
            f"{n} {h['f1_strict']:.4f} ({h['setting']})" for n, h in result["held_out"].items()
        ),
        flush=True,
    )
    return result


def main() -> None:
    devs = load_dev_sets()
    encoder = load_encoder("use-m3")
    report: dict[str, Any] = {}

    def first_scoring(setting: tuple[float, ...]) -> Scoring:
        return replace(FIRST_PASS, **dict(zip(FIRST_GRID, setting, strict=True)))

    def second_scoring(setting: tuple[float, ...]) -> Scoring:
        return replace(SECOND_PASS, **dict(zip(SECOND_GRID, setting, strict=True)))

    def run_first(setting: tuple[float, ...], dev: DevSet) -> float:
        aligner = ParallelAligner(encoder, first=first_scoring(setting))
        return f1(aligner.first_pass(dev.src, dev.tgt).steps, dev)

    report["first_pass"] = sweep(devs, grid(FIRST_GRID), run_first, "first pass")
    first = first_scoring(report["first_pass"]["chosen"])
    aligner = ParallelAligner(encoder, first=first)
    passes = {dev.name: aligner.first_pass(dev.src, dev.tgt) for dev in devs}

    def candidates(dev: DevSet, margin: float) -> Any:
        return aligner.candidates(passes[dev.name], margin)

    at_margin = {dev.name: candidates(dev, WINDOW_MARGIN) for dev in devs}

    def run_second(setting: tuple[float, ...], dev: DevSet) -> float:
        p, found = passes[dev.name], at_margin[dev.name]
        return f1(aligner.second_pass(dev.src, dev.tgt, p, found, second_scoring(setting)), dev)

    report["second_pass"] = sweep(devs, grid(SECOND_GRID), run_second, "second pass")
    second = second_scoring(report["second_pass"]["chosen"])

    def length_scoring(setting: tuple[float, ...]) -> Scoring:
        return replace(second, **dict(zip(LENGTH_GRID, setting, strict=True)))

    def run_length(setting: tuple[float, ...], dev: DevSet) -> float:
        p, found = passes[dev.name], at_margin[dev.name]
        return f1(aligner.second_pass(dev.src, dev.tgt, p, found, length_scoring(setting)), dev)

    report["length_model"] = sweep(devs, grid(LENGTH_GRID), run_length, "length model")
    second = length_scoring(report["length_model"]["chosen"])

    def run_margin(margin: float, dev: DevSet) -> float:
        p = passes[dev.name]
        return f1(aligner.second_pass(dev.src, dev.tgt, p, candidates(dev, margin), second), dev)

    report["window_margin"] = sweep(devs, list(MARGINS), run_margin, "window margin")
    margin = report["window_margin"]["chosen"]

    def full(percentile: float) -> ParallelAligner:
        return ParallelAligner(
            encoder, skip_percentile=percentile, first=first, second=second, window_margin=margin
        )

    def run_skip(percentile: float, dev: DevSet) -> float:
        beads = full(percentile).align(dev.src, dev.tgt).beads
        return score_alignment(dev.gold, beads).f1_strict

    report["skip_percentile"] = sweep(devs, list(SKIP_PERCENTILES), run_skip, "skip percentile")
    final = full(report["skip_percentile"]["chosen"])
    report["probability"] = fit_probability(devs, final)
    report["signature"] = str(final.align(devs[1].src, devs[1].tgt).signature)
    report["defaults_in_code"] = {
        "first": str(FIRST_PASS),
        "second": str(SECOND_PASS),
        "window_margin": WINDOW_MARGIN,
        "skip_percentile": SKIP_PERCENTILE,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


def features(aligner: ParallelAligner, dev: DevSet) -> tuple[np.ndarray, np.ndarray]:
    """Per predicted pair bead: (quality above the skip gain, merges sentences), and whether
    the gold holds it; the two passes run as ``ParallelAligner`` runs them."""
    first = aligner.first_pass(dev.src, dev.tgt)
    found = aligner.candidates(first)
    steps = aligner.second_pass(dev.src, dev.tgt, first, found, aligner.second)
    gold = set(dev.gold)
    rows, right = [], []
    for s in steps:
        if s.i1 > s.i0 and s.j1 > s.j0:
            rows.append((s.quality - first.scoring.skip, float(s.i1 - s.i0 + s.j1 - s.j0 > 2)))
            right.append((tuple(range(s.i0, s.i1)), tuple(range(s.j0, s.j1))) in gold)
    return np.array(rows), np.array(right, dtype=float)


def logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, ridge: float = 1e-3) -> np.ndarray:
    """Weighted logistic regression by Newton's method: (intercept, slope, multi shift)."""
    design = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ beta))
        grad = design.T @ (w * (y - p)) - ridge * beta
        hess = (design * (w * p * (1 - p))[:, None]).T @ design + ridge * np.eye(len(beta))
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-9:
            break
    return beta


def fit_probability(devs: list[DevSet], aligner: ParallelAligner) -> dict[str, Any]:
    data = {dev.name: features(aligner, dev) for dev in devs}

    def fit(names: list[str]) -> np.ndarray:
        x = np.vstack([data[n][0] for n in names])
        y = np.concatenate([data[n][1] for n in names])
        w = np.concatenate([np.full(len(data[n][1]), 1 / len(data[n][1])) for n in names])
        return logistic(x, y, w * len(y) / len(names))

    def predict(beta: np.ndarray, x: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(beta[0] + x @ beta[1:])))

    held_scores, held_right, folds = [], [], {}
    for dev in devs:
        beta = fit([d.name for d in devs if d.name != dev.name])
        p = predict(beta, data[dev.name][0])
        held_scores.append(p)
        held_right.append(data[dev.name][1])
        folds[dev.name] = {
            "coefficients": beta.tolist(),
            "mean_score": float(p.mean()),
            "share_right": float(data[dev.name][1].mean()),
            "brier": float(np.mean((p - data[dev.name][1]) ** 2)),
        }
    scores, right = np.concatenate(held_scores), np.concatenate(held_right)
    table = []
    print("reliability (each set scored by the curve fitted on the others):")
    for lo, hi in itertools.pairwise(BINS):
        band = (scores >= lo) & ((scores < hi) | (hi == 1.0))
        if band.any():
            row = {
                "band": [float(lo), float(hi)],
                "beads": int(band.sum()),
                "mean_score": float(scores[band].mean()),
                "share_right": float(right[band].mean()),
            }
            table.append(row)
            print(
                f"  [{lo:.1f}, {hi:.1f}): {row['beads']:5d} beads, mean score "
                f"{row['mean_score']:.3f}, right {row['share_right']:.3f}"
            )
    beta = fit([d.name for d in devs])
    print(f"PROBABILITY = ({beta[0]:.3f}, {beta[1]:.3f}, {beta[2]:.3f})", flush=True)
    return {"coefficients": beta.tolist(), "held_out": folds, "reliability": table}


if __name__ == "__main__":
    main()
