"""Batch alignment: manifests, bad pairs, resuming, crash safety, local processes and Ray."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from align.batch import (
    BatchSettings,
    LocalEngine,
    ManifestError,
    PairOutcome,
    PairSpec,
    align_pair,
    pair_paths,
    read_manifest,
    run_batch,
)
from align.encoders import Encoder
from align.errors import InputError
from api.cli import main
from tests.cli_helpers import err_line

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parent.parent / "corpora" / "seeds"


def _slice(src: Path, dest: Path, lines: slice) -> Path:
    text = src.read_text(encoding="utf-8").splitlines()[lines]
    dest.write_text("\n".join(text) + "\n", encoding="utf-8")
    return dest


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """Three good pairs (two Bible slices, one seed pair) and one with a missing file."""
    _slice(DATA / "bible_en.txt", tmp_path / "a_en.txt", slice(0, 20))
    _slice(DATA / "bible_zh.txt", tmp_path / "a_zh.txt", slice(0, 29))
    _slice(DATA / "bible_en.txt", tmp_path / "b_en.txt", slice(20, 44))
    _slice(DATA / "bible_zh.txt", tmp_path / "b_zh.txt", slice(29, 64))
    rows = [
        ["id", "src", "tgt", "title"],
        ["gen-a", "a_en.txt", "a_zh.txt", "Genesis 1"],
        ["gen-b", "b_zh.txt", "b_en.txt", "Genesis 2"],
        [
            "seed",
            str(SEEDS / "004_acb3dc8994b1fd4b.txt"),
            str(SEEDS / "000_d37896d3ca684c51.txt"),
            "seeds",
        ],
        ["gone", "missing.txt", "a_zh.txt", "no file"],
    ]
    path = tmp_path / "pairs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@dataclass
class InProcess:
    """An engine without processes, so the shared flow is tested with the session encoder."""

    encoder: Encoder
    settings: BatchSettings
    aligned: int = 0

    def run(self, specs: Iterable[PairSpec]) -> Iterator[PairOutcome]:
        for spec in specs:
            self.aligned += 1
            yield align_pair(spec, self.encoder, self.settings)


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


# --------------------------------------------------------------------------- manifests


def test_csv_manifest_resolves_paths_and_keeps_metadata(manifest: Path) -> None:
    specs = read_manifest(manifest)
    assert [s.id for s in specs] == ["gen-a", "gen-b", "seed", "gone"]
    assert specs[0].src == manifest.parent / "a_en.txt"
    assert specs[0].metadata == (("title", "Genesis 1"),)


def test_jsonl_manifest_reads_the_same_keys(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text('{"id": "p1", "src": "x.txt", "tgt": "/abs/y.txt", "year": 2022}\n\n')
    (spec,) = read_manifest(path)
    assert (spec.src, spec.tgt, spec.metadata) == (
        tmp_path / "x.txt",
        Path("/abs/y.txt"),
        (("year", "2022"),),
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("m.csv", "id,source,tgt\np,a,b\n", "must name columns id,src,tgt"),
        ("m.csv", "id,src,tgt\np,a,b\nq,,b\n", r"line 3: 'src' must be a non-empty string"),
        ("m.csv", "id,src,tgt\np,a,b,c\n", "line 2: more fields"),
        ("m.csv", "id,src,tgt\np,a,b\np,c,d\n", "pair 2 repeats id 'p'"),
        ("m.csv", "id,src,tgt\n../p,a,b\n", "cannot name output files"),
        ("m.csv", "id,src,tgt\n", "lists no pairs"),
        ("m.jsonl", '{"id": "p", "src": "a", "tgt": "b"}\n{"id": \n', "line 2: not valid JSON"),
        ("m.jsonl", "[1, 2]\n", "line 1: expected a JSON object"),
        ("none.csv", None, "no such manifest"),
    ],
)
def test_malformed_manifests_name_the_row(
    tmp_path: Path, name: str, text: str | None, message: str
) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        read_manifest(path)


def test_a_pipe_or_folder_as_manifest_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pairs.csv"
    os.mkfifo(pipe)
    with pytest.raises(ManifestError, match="not a regular file"):
        read_manifest(pipe)
    with pytest.raises(ManifestError, match="is a directory"):
        read_manifest(tmp_path)


def test_an_output_path_that_is_a_file_is_refused_as_not_a_folder(
    manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "notes.txt"
    taken.write_text("mine\n", encoding="utf-8")
    assert main(["batch", str(manifest), "-o", str(taken), "--quiet"]) == 2
    assert err_line(capsys) == (
        f"duiqi batch: error: {taken}: is a file, not a folder; name a folder for the outputs"
    )
    assert taken.read_text(encoding="utf-8") == "mine\n"


def test_settings_refuse_an_unknown_mode() -> None:
    with pytest.raises(InputError, match="unknown mode 'fast'"):
        BatchSettings(mode="fast")


def test_engines_refuse_zero_workers() -> None:
    with pytest.raises(InputError, match="at least 1"):
        LocalEngine(BatchSettings(), workers=0)


# --------------------------------------------------------------------------- the shared flow


def test_a_bad_pair_is_reported_and_the_batch_goes_on(
    manifest: Path, tmp_path: Path, use_encoder: Encoder
) -> None:
    _slice(DATA / "bible_en.txt", tmp_path / "c_en.txt", slice(0, 5))
    (tmp_path / "empty.txt").write_text("  \n\n", encoding="utf-8")
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write("twice,a_en.txt,c_en.txt,same language\nblank,empty.txt,a_zh.txt,empty\n")
    out = tmp_path / "out"
    engine = InProcess(use_encoder, BatchSettings(model=use_encoder.name))
    results = {r.id: r for r in run_batch(read_manifest(manifest), out, engine=engine)}
    assert {i for i, r in results.items() if r.status == "aligned"} == {"gen-a", "gen-b", "seed"}
    summary = _summary(out)
    assert summary["gone"]["error"].endswith("missing.txt: no such file")
    assert "both texts are English" in summary["twice"]["error"]
    assert "only whitespace" in summary["blank"]["error"]
    assert summary["gen-a"]["mode"] == "parallel"
    assert int(summary["gen-a"]["pairs"]) > 15
    assert summary["gen-b"]["title"] == "Genesis 2"
    assert "<tu " in (out / "gen-b.tmx").read_text(encoding="utf-8")
    assert not (out / "gone.tmx").exists()


def test_a_rerun_removes_what_a_killed_run_left_half_written(
    manifest: Path, tmp_path: Path, use_encoder: Encoder
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".gen-a.tmx.0123abcd.part").write_text("<tmx", encoding="utf-8")
    engine = InProcess(use_encoder, BatchSettings(model=use_encoder.name))
    list(run_batch(read_manifest(manifest)[:1], out, engine=engine))
    assert not [name for name in os.listdir(out) if name.endswith(".part")]


def test_an_endless_or_blocking_input_fails_its_row_only(
    manifest: Path, tmp_path: Path, use_encoder: Encoder
) -> None:
    os.mkfifo(tmp_path / "fifo.txt")
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write("zero,/dev/zero,a_zh.txt,device\nfifo,fifo.txt,a_zh.txt,pipe\n")
    out = tmp_path / "out"
    engine = InProcess(use_encoder, BatchSettings(model=use_encoder.name))
    results = {r.id: r.status for r in run_batch(read_manifest(manifest), out, engine=engine)}
    assert results == {
        "gen-a": "aligned",
        "gen-b": "aligned",
        "seed": "aligned",
        "gone": "failed",
        "zero": "failed",
        "fifo": "failed",
    }
    summary = _summary(out)
    assert "/dev/zero: is a device, not a regular file" in summary["zero"]["error"]
    assert "fifo.txt: is a pipe (FIFO), not a regular file" in summary["fifo"]["error"]


def test_a_rerun_skips_complete_pairs_and_redoes_damaged_ones(
    manifest: Path, tmp_path: Path, use_encoder: Encoder
) -> None:
    out = tmp_path / "out"
    specs = read_manifest(manifest)
    settings = BatchSettings(model=use_encoder.name)
    list(run_batch(specs, out, engine=InProcess(use_encoder, settings)))
    before = (out / "gen-a.tmx").stat().st_mtime_ns

    # A crash mid-write: a half file where the TMX was, after its marker was written.
    paths = pair_paths(out, "gen-b")
    paths.tmx.write_bytes(paths.tmx.read_bytes()[:100])
    # A crash before the marker: outputs there, no marker.
    pair_paths(out, "seed").done.unlink()

    again = InProcess(use_encoder, settings)
    results = {r.id: r.status for r in run_batch(specs, out, engine=again)}
    assert results == {"gen-a": "skipped", "gen-b": "aligned", "seed": "aligned", "gone": "failed"}
    assert again.aligned == 3  # gen-b, seed and the failed pair, retried
    assert (out / "gen-a.tmx").stat().st_mtime_ns == before
    assert paths.tmx.read_bytes().endswith(b"</tmx>\n")
    assert _summary(out)["gen-a"]["status"] == "skipped"


def test_other_settings_redo_finished_pairs(
    manifest: Path, tmp_path: Path, use_encoder: Encoder
) -> None:
    out = tmp_path / "out"
    specs = read_manifest(manifest)[:1]
    list(run_batch(specs, out, engine=InProcess(use_encoder, BatchSettings(model="use-m3"))))
    other = InProcess(use_encoder, BatchSettings(model="use-m3", mode="parallel"))
    assert [r.status for r in run_batch(specs, out, engine=other)] == ["aligned"]


def test_an_input_edited_or_moved_since_is_not_skipped(
    manifest: Path, tmp_path: Path, use_encoder: Encoder
) -> None:
    out = tmp_path / "out"
    specs = read_manifest(manifest)[:2]
    settings = BatchSettings(model=use_encoder.name)
    list(run_batch(specs, out, engine=InProcess(use_encoder, settings)))
    _slice(DATA / "bible_zh.txt", tmp_path / "a_zh.txt", slice(0, 25))  # gen-a's text edited
    (tmp_path / "b_en.txt").rename(tmp_path / "moved.txt")  # gen-b's file moved away
    results = {r.id: r for r in run_batch(specs, out, engine=InProcess(use_encoder, settings))}
    assert results["gen-a"].status == "aligned"
    assert results["gen-a"].tgt_sentences == 25
    assert results["gen-b"].status == "failed"
    assert "b_en.txt" in (results["gen-b"].error or "")


def test_an_interrupted_run_keeps_finished_pairs_and_no_summary(
    manifest: Path, tmp_path: Path, use_encoder: Encoder
) -> None:
    out = tmp_path / "out"
    specs = read_manifest(manifest)
    stream = run_batch(specs, out, engine=InProcess(use_encoder, BatchSettings()))
    next(stream)
    stream.close()  # what Ctrl-C does to the consumer
    assert json.loads(pair_paths(out, "gen-a").done.read_text())["result"]["status"] == "aligned"
    assert not (out / "summary.csv").exists()
    assert (out / "summary.csv.part").read_text().count("\n") == 2
    assert not [p for p in os.listdir(out) if p.endswith(".part") and p != "summary.csv.part"]


# --------------------------------------------------------------------------- real engines


def _tiny_model(path: Path) -> Path:
    """A sentence-transformers model built here: static embeddings over the test words."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    words = sorted(set((DATA / "bible_en.txt").read_text(encoding="utf-8").split()))
    vocab = {"[UNK]": 0, "[PAD]": 1} | {w: i + 2 for i, w in enumerate(words)}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    SentenceTransformer(modules=[StaticEmbedding(tokenizer, embedding_dim=16)]).save(str(path))
    return path


def test_local_engine_with_two_processes_through_the_cli(
    manifest: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = _tiny_model(tmp_path / "tiny")
    out = tmp_path / "out"
    argv = ["batch", str(manifest), "-o", str(out), "--workers", "2", "--model", str(model)]
    assert main(argv) == 1  # one pair failed
    assert "3 aligned, 0 already done, 1 failed" in capsys.readouterr().err
    assert {r["status"] for r in _summary(out).values()} == {"aligned", "failed"}


def test_ray_engine_on_a_local_instance(manifest: Path, tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    from align.batch.ray_engine import RayEngine

    settings = BatchSettings(model=str(_tiny_model(tmp_path / "tiny")), cache=False)
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False)
    try:
        results = list(
            run_batch(
                read_manifest(manifest), tmp_path / "out", engine=RayEngine(settings, workers=2)
            )
        )
    finally:
        ray.shutdown()
    assert sorted(r.status for r in results) == ["aligned", "aligned", "aligned", "failed"]
    assert (tmp_path / "out" / "seed.jsonl").read_text(encoding="utf-8")
