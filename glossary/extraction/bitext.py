"""Aligned sentence pairs as token sequences: what a word aligner reads.

Each bead of a translation alignment becomes one training pair: the Chinese words of all its
sentences and the English words of all its sentences, every token remembering its sentence and
character span so that a phrase found on tokens maps back to the text as written. Chinese is
segmented in simplified script (jieba's dictionary is simplified: 外匯基金 is cut as the
simplified 外汇基金 would be), but tokens keep the traditional surface.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from align.scripts import to_simplified
from align.types import Alignment
from glossary.extraction.candidates import segment

# a possessive is a token of its own ("Hong Kong's" → hong, kong, 's), as treebanks cut it:
# 香港 renders "Hong Kong" and 的 the "'s", so the name is counted under one key
_EN_TOKEN = regex.compile(
    r"\p{N}+(?:[.,]\p{N}+)*%?|[\p{L}\p{M}\p{N}]+(?:['’](?![sS]\b)\p{L}+)*|['’][sS]\b"
)
_WORD = regex.compile(r"[\p{L}\p{N}]")


@dataclass(frozen=True)
class Token:
    """One word: its aligner form (lower-case; simplified for Chinese) and where it stands."""

    form: str
    sentence: int  # index of the sentence in its document
    start: int  # character offsets inside that sentence's text
    end: int


@dataclass(frozen=True)
class SentencePair:
    """One aligned bead as tokens, with the documents it came from (indices into the corpus)."""

    zh_doc: int
    en_doc: int
    zh: tuple[Token, ...]
    en: tuple[Token, ...]
    score: float  # the bead's score: how sure the sentence aligner was


def zh_tokens(text: str, sentence: int) -> list[Token]:
    """jieba words of a Chinese sentence, cut on its simplified form where lengths agree."""
    simplified = to_simplified(text)
    cut = simplified if len(simplified) == len(text) else text
    return [Token(cut[a:b], sentence, a, b) for a, b in segment(cut) if _WORD.search(cut[a:b])]


def en_tokens(text: str, sentence: int) -> list[Token]:
    """Lower-cased English words; hyphens split ("Shenzhen-Hong" → shenzhen, hong), and a
    possessive stands apart ("Fund's" → fund, 's)."""
    return [
        Token(m.group(0).lower().replace("’", "'"), sentence, m.start(), m.end())
        for m in _EN_TOKEN.finditer(text)
    ]


def sentence_pairs(
    alignments: Sequence[tuple[Alignment, int, int]],
) -> tuple[SentencePair, ...]:
    """Every bead with words on both sides, from ``(alignment, zh_doc, en_doc)`` triples.

    The alignment may have either language as its source; the pair is always Chinese first.
    """
    out: list[SentencePair] = []
    for alignment, zh_doc, en_doc in alignments:
        zh_first = alignment.src.lang == "zh"
        zh_side, en_side = (
            (alignment.src, alignment.tgt) if zh_first else (alignment.tgt, alignment.src)
        )
        for bead in alignment.pairs():
            zh_ids, en_ids = (bead.src, bead.tgt) if zh_first else (bead.tgt, bead.src)
            zh = [t for i in zh_ids for t in zh_tokens(zh_side.sentences[i].text, i)]
            en = [t for j in en_ids for t in en_tokens(en_side.sentences[j].text, j)]
            if zh and en:
                out.append(SentencePair(zh_doc, en_doc, tuple(zh), tuple(en), bead.score))
    return tuple(out)
