"""One aligner on one dev set, timed from reading the files to writing the beads.

Run by ``peers.py`` (duiqi in duiqi's environment, Bertalign in ``bench/.peers-venv``); prints
one JSON line. Both get the same use-m3 network, loaded before the clock starts.

    python bench/peer_worker.py duiqi|bertalign SET OUT_FILE
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dev_sets import DATA, FILES

from align.encoders import load_encoder
from align.evaluation import score_alignment
from align.gold import BeadPair, format_bead, load_beads


def duiqi(src: Path, tgt: Path, out: Path) -> tuple[list[BeadPair], dict[str, Any]]:
    from align.document import make_document
    from align.parallel import ParallelAligner

    extra: dict[str, Any] = {}
    plain = load_encoder("use-m3", cache=False)
    start = time.perf_counter()
    plain.encode(make_document(src.read_text("utf-8"), lang="en", split_lines=True).texts)
    plain.encode(make_document(tgt.read_text("utf-8"), lang="zh", split_lines=True).texts)
    extra["encode_once_seconds"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        encoder = load_encoder("use-m3", cache=Path(cache) / "cold.sqlite")
        start = time.perf_counter()
        en = make_document(src.read_text("utf-8"), lang="en", split_lines=True)
        zh = make_document(tgt.read_text("utf-8"), lang="zh", split_lines=True)
        alignment = ParallelAligner(encoder).align(en, zh)
        beads = [(b.src, b.tgt) for b in alignment.beads]
        _write(beads, out)
        extra["seconds"] = time.perf_counter() - start
    extra["signature"] = str(alignment.signature)
    return beads, extra


def bertalign(src: Path, tgt: Path, out: Path) -> tuple[list[BeadPair], dict[str, Any]]:
    from bertalign import Bertalign, Encoder

    class SameEncoder(Encoder):  # type: ignore[misc]
        """Bertalign's window encoder, holding duiqi's use-m3 encoder: Bertalign calls only
        ``model.encode(texts)``, and duiqi's use-m3 runs the network in numpy itself."""

        def __init__(self) -> None:
            self.model = load_encoder("use-m3", cache=False)
            self.model_name = "use-m3"

    encoder = SameEncoder()
    start = time.perf_counter()
    aligner = Bertalign(
        src.read_text("utf-8"), tgt.read_text("utf-8"), is_split=True, model=encoder
    )
    result = aligner.align_sents()
    beads = [(tuple(s), tuple(t)) for s, t in result]
    _write(beads, out)
    seconds = time.perf_counter() - start
    return beads, {"seconds": seconds, "signature": "bertalign 2.0.1 defaults|model:use-m3"}


def _write(beads: list[BeadPair], out: Path) -> None:
    out.write_text("".join(format_bead(s, t) + "\n" for s, t in beads), encoding="utf-8")


def main() -> None:
    method, name, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    src, tgt, gold = (DATA / part for part in FILES[name])
    beads, extra = (duiqi if method == "duiqi" else bertalign)(src, tgt, out)
    scores = score_alignment(load_beads(gold), beads).as_dict()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({**scores, **extra, "peak_rss_mb": peak}))


if __name__ == "__main__":
    main()
