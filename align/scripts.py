"""Simplified and traditional Chinese: conversion, detection and language tags.

Terms are matched and looked up across scripts (穩崗 finds 稳岗; 外匯基金 gets the gloss a
simplified-keyed dictionary has for 外汇基金), while examples keep the text as written. OpenCC
is the maintained converter with phrase-level tables (它們 → 它们, 櫃員機 → 柜员机).
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import opencc

Script = Literal["Hans", "Hant"]


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified (mainland usage); simplified text comes back unchanged."""
    result: str = _converter("t2s").convert(text)
    return result


def to_traditional(text: str) -> str:
    """Simplified → traditional (OpenCC's standard forms)."""
    result: str = _converter("s2t").convert(text)
    return result


def script_of(text: str) -> Script:
    """The script a text is written in, by which conversion changes more of it.

    Characters common to both scripts (most of them) say nothing, so the vote is between the
    characters that only one script uses; a text with none of those counts as simplified.
    """
    simplified = to_simplified(text)
    traditional = to_traditional(text)
    only_traditional = sum(a != b for a, b in zip(text, simplified, strict=False))
    only_simplified = sum(a != b for a, b in zip(text, traditional, strict=False))
    return "Hant" if only_traditional > only_simplified else "Hans"


def language_tag(text: str) -> str:
    """BCP 47 tag for Chinese text: ``zh-Hans`` or ``zh-Hant``."""
    return f"zh-{script_of(text)}"
