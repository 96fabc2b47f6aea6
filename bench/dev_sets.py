"""The dev sets every alignment default is chosen on, and a per-bead-type error breakdown.

Three sets, one document pair each, English on the left of every gold bead:

- ``bible``: Genesis onward, KJV and the Chinese Union Version, verse-level gold.
- ``aca``: 13 academic book chapters; ``mag``: 27 Time magazine articles (manual gold, from
  the Bertalign authors' aligner-eval repository).

The two non-literary sets are one file each with no document boundaries, which is how
aligner-eval itself keeps them (``data/aca/src/001``, one text id for all 13 chapters) and
scores Bertalign on them: each set is aligned as one document pair, as the field does.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from align.document import make_document
from align.gold import BeadPair, load_beads
from align.types import Bead, Document


def _find_data() -> Path:
    """``shared/data`` beside the checkout (or a worktree's checkout), or ``DUIQI_DEV_DATA``."""
    if "DUIQI_DEV_DATA" in os.environ:
        return Path(os.environ["DUIQI_DEV_DATA"])
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "shared" / "data").is_dir():
            return parent / "shared" / "data"
    return here.parents[2] / "shared" / "data"


DATA = _find_data()
FILES = {
    "bible": ("bible/en.txt", "bible/zh.txt", "bible/gold.align"),
    "aca": ("nonlit/aca/src.txt", "nonlit/aca/tgt.txt", "nonlit/aca/gold.align"),
    "mag": ("nonlit/mag/src.txt", "nonlit/mag/tgt.txt", "nonlit/mag/gold.align"),
}


@dataclass(frozen=True)
class DevSet:
    name: str
    src: Document
    tgt: Document
    gold: list[BeadPair]


def load_dev_sets(data: Path = DATA, names: Iterable[str] = FILES) -> list[DevSet]:
    """Every dev set, English source and Chinese target, one sentence a line."""
    out = []
    for name in names:
        src, tgt, gold = (data / part for part in FILES[name])
        out.append(
            DevSet(
                name,
                make_document(src.read_text(encoding="utf-8"), lang="en", split_lines=True),
                make_document(tgt.read_text(encoding="utf-8"), lang="zh", split_lines=True),
                load_beads(gold),
            )
        )
    return out


def bead_type(bead: BeadPair) -> str:
    return f"{len(bead[0])}-{len(bead[1])}"


def breakdown(gold: Iterable[BeadPair], pred: Iterable[BeadPair]) -> dict[str, dict[str, float]]:
    """Per bead type (1-1, 1-2, ...): gold and predicted counts, strict hits, precision and
    recall; where an aligner loses shows here before any figure is tuned."""
    gold_set, pred_set = set(gold), set(pred)
    gold_n = Counter(map(bead_type, gold_set))
    pred_n = Counter(map(bead_type, pred_set))
    hits = Counter(map(bead_type, gold_set & pred_set))
    return {
        kind: {
            "gold": gold_n[kind],
            "pred": pred_n[kind],
            "hits": hits[kind],
            "precision": hits[kind] / pred_n[kind] if pred_n[kind] else 0.0,
            "recall": hits[kind] / gold_n[kind] if gold_n[kind] else 0.0,
        }
        for kind in sorted(set(gold_n) | set(pred_n), key=lambda k: (-gold_n[k], k))
    }


def as_pairs(beads: Iterable[Bead]) -> list[BeadPair]:
    """Beads of an alignment as (src ids, tgt ids) pairs."""
    return [(b.src, b.tgt) for b in beads]


def finer_splits(gold: Iterable[BeadPair], pred: Iterable[BeadPair]) -> dict[str, int]:
    """Per gold bead type: how many gold beads the prediction cuts into two or more beads
    that all lie inside it (a right alignment at a finer grain than the gold's, which strict
    F1 counts as wrong and lax F1 as right)."""
    pred_list = [b for b in pred if b[0] and b[1]]
    of_src = {i: b for b in pred_list for i in b[0]}
    out: Counter[str] = Counter()
    for bead in gold:
        inside = {of_src[i] for i in bead[0] if i in of_src}
        if (
            len(inside) > 1
            and all(set(b[0]) <= set(bead[0]) and set(b[1]) <= set(bead[1]) for b in inside)
            and sum(len(b[1]) for b in inside) == len(bead[1])
        ):
            out[bead_type(bead)] += 1
    return dict(out)
