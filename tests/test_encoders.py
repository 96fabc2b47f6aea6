"""The encoder loading paths: named, sentence-transformers directory, cache, errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from align.encoders import CachedEncoder, Encoder, Vectors, load_encoder
from align.errors import CacheError, ModelError


def _tiny_model(path: Path) -> Path:
    """A sentence-transformers model built and saved locally: a static word embedding."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    vocab = {"[UNK]": 0, "[PAD]": 1, "jobs": 2, "stable": 3, "稳岗": 4, "loans": 5}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    SentenceTransformer(modules=[StaticEmbedding(tokenizer, embedding_dim=8)]).save(str(path))
    return path


def test_a_local_sentence_transformers_model_loads_by_path(tmp_path: Path) -> None:
    model_dir = _tiny_model(tmp_path / "tiny")
    encoder = load_encoder(str(model_dir), cache=False)
    vectors = encoder.encode(["stable jobs", "loans", ""])
    assert vectors.shape == (3, 8)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any(), "an empty sentence embeds to zeros, not to noise"
    assert encoder.name == str(model_dir)


def test_an_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="use-m3"):
        load_encoder(str(tmp_path / "no-such-model"), cache=False)


def test_default_encoder_puts_translations_closest(use_encoder: Encoder) -> None:
    zh = use_encoder.encode(["我们今天去北京。", "猫在睡觉。"])
    en = use_encoder.encode(["The cat is sleeping.", "We are going to Beijing today."])
    assert (zh @ en.T).argmax(axis=1).tolist() == [1, 0]


class _Counting(Encoder):
    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.seen += list(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_cache_encodes_each_text_once_across_instances(tmp_path: Path) -> None:
    inner = _Counting()
    first = CachedEncoder(inner, tmp_path / "c.sqlite").encode(["a", "bb", "a"])
    second = CachedEncoder(inner, tmp_path / "c.sqlite").encode(["bb", "ccc"])
    assert inner.seen == ["a", "bb", "ccc"]
    assert first[0].tolist() == first[2].tolist() == [1.0, 1.0]
    assert second[0].tolist() == [2.0, 1.0]


def test_auto_mode_encodes_each_document_once_and_keeps_nothing_after() -> None:
    from align.auto import AutoAligner
    from align.document import make_document

    inner = _Counting()
    auto = AutoAligner(inner)
    zh = make_document("就业稳定。岗位增加。", name="zh")
    en = make_document("Jobs are stable. Posts grew.", name="en")
    auto.align(zh, en)
    sentences = [*zh.texts, *en.texts]
    first = list(inner.seen)
    assert sorted(t for t in first if t in sentences) == sorted(sentences)  # each one once
    runs = {
        sep.join(doc.texts[i:j])
        for doc, sep in ((zh, ""), (en, " "))
        for i in range(len(doc))
        for j in range(i + 2, len(doc) + 1)
    }
    # Beyond the sentences, only the windows the search rescores: runs of adjacent sentences.
    assert all(t in runs for t in first if t not in sentences)
    auto.align(zh, en)  # a new call encodes again: no vectors outlive the call
    assert len(inner.seen) == 2 * len(first)


def test_a_damaged_cache_file_is_rebuilt_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"\x13not a database" * 300)
    inner = _Counting()
    vectors = CachedEncoder(inner, path).encode(["a", "bb"])
    assert vectors.tolist() == [[1.0, 1.0], [2.0, 1.0]]
    assert "is damaged (file is not a database): rebuilding it" in caplog.text
    assert CachedEncoder(inner, path).encode(["a"]).tolist() == [[1.0, 1.0]]
    assert inner.seen == ["a", "bb"]  # the rebuilt cache serves the second instance


def test_a_cache_damaged_while_in_use_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    encoder = CachedEncoder(_Counting(), path)
    encoder.encode(["a"])
    path.write_bytes(b"\x13not a database" * 300)
    assert encoder.encode(["a", "ccc"]).tolist() == [[1.0, 1.0], [3.0, 1.0]]


def test_a_cache_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(CacheError, match=r"file is a file, not a folder; point DUIQI_CACHE_DIR"):
        load_encoder("no-such-model-is-loaded", cache=tmp_path / "file" / "c.sqlite")
