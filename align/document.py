"""Text or file in, :class:`~align.types.Document` out: the front end in one call.

``split_lines=True`` is for files that are already one sentence a line (the Bible set, gold
data): sentence *i* is line *i*, counted from 0, so gold ids such as ``[3,4]:[5]`` refer to the
right sentences. An empty line still takes its id, as a sentence with text ``""`` (its start
equals its end); blank lines also start a new paragraph. A final newline does not make an
extra line.
"""

from __future__ import annotations

from pathlib import Path

from align.errors import InputError
from align.language import detect_language
from align.reading import MAX_BYTES, decode_bytes, normalize_text, read_file
from align.scripts import to_simplified
from align.splitting import split_sentences
from align.types import Document, Lang, Sentence


def make_document(
    text: str,
    *,
    name: str = "",
    lang: Lang | None = None,
    split_lines: bool = False,
    simplified: bool = False,
) -> Document:
    """Normalise ``text``, find its language unless given, and split it into sentences.

    ``simplified`` converts Chinese text from traditional to simplified characters first; the
    document's text and offsets are then those of the converted text.
    """
    text = normalize_text(text)
    if lang is None:
        lang = detect_language(text, name=name)
    if simplified and lang == "zh":
        text = to_simplified(text)
    sentences = _line_sentences(text) if split_lines else split_sentences(text, lang)
    if not any(s.text for s in sentences):
        raise InputError(f"{name or 'the text'} contains no sentences")
    return Document(text=text, lang=lang, sentences=tuple(sentences), name=name)


def load_document(
    path: str | Path,
    *,
    lang: Lang | None = None,
    split_lines: bool = False,
    simplified: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Read, decode and split a file; every problem is an :class:`InputError` naming it."""
    data = read_file(path, max_bytes=max_bytes)
    return document_from_bytes(
        data, name=str(path), lang=lang, split_lines=split_lines, simplified=simplified
    )


def document_from_bytes(
    data: bytes,
    *,
    name: str,
    lang: Lang | None = None,
    split_lines: bool = False,
    simplified: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Decode and split bytes read elsewhere (standard input, an upload)."""
    text = decode_bytes(data, name=name, max_bytes=max_bytes)
    return make_document(text, name=name, lang=lang, split_lines=split_lines, simplified=simplified)


def _line_sentences(text: str) -> list[Sentence]:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    sentences = []
    paragraph = 0
    pos = 0
    previous_blank = False
    for line in lines:
        stripped = line.strip()
        if stripped and previous_blank:
            paragraph += 1
        start = pos + (line.index(stripped) if stripped else 0)
        sentences.append(Sentence(stripped, start, start + len(stripped), paragraph))
        previous_blank = not stripped
        pos += len(line) + 1
    return sentences
