"""Word tokens for both languages (pipeline step 3).

Chinese goes through jieba in precise mode. One private ``jieba.Tokenizer`` serves the whole
process, so the user dictionary (policy terms such as 渝创渝新 and 一生一困, which jieba would
cut into pieces) is shared by every caller. It is built on first use: importing this module
costs nothing, and jieba's start-up chatter is turned down on jieba's own logger only, never
on the root logger.

Both tokenizers return words only: no whitespace, no punctuation. Numbers are words.
"""

from __future__ import annotations

import logging
from functools import lru_cache

import jieba
import regex

from align.types import Lang

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]")
_EN_TOKEN = regex.compile(r"\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}\p{N}]+(?:['’][\p{L}]+)*")


def zh_words(text: str) -> list[str]:
    """jieba words of ``text`` (precise mode, HMM on for unknown words)."""
    words: list[str] = _tokenizer().lcut(text)
    return [w for w in words if _WORD.search(w)]


def en_words(text: str) -> list[str]:
    """Lower-case words; hyphens split ("year-on-year"), numbers stay whole ("751,000")."""
    return [m.lower() for m in _EN_TOKEN.findall(text)]


def tokens(text: str, lang: Lang) -> list[str]:
    """Words of ``text`` in ``lang``."""
    return zh_words(text) if lang == "zh" else en_words(text)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer
