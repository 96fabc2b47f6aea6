"""Bytes in, one clean ``str`` out (pipeline step 1).

Chinese files arrive as UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, GB18030/GBK or Big5.
GB18030 accepts almost any byte sequence, so "it decoded" proves nothing: Big5 read as
GB18030 gives kana, box-drawing and private-use characters instead of an error. Each legacy
candidate is therefore scored by how many of its non-ASCII characters are plausible in a
Chinese text (common Han characters and CJK punctuation) and the best one must clear a bar;
otherwise the user gets an error naming the file, never mojibake.

NFKC normalisation folds full-width digits and letters (７５．１ → 75.1) so numbers and
words compare equal across files, but it would also turn 。，！？；：（）… into ASCII
punctuation. Those are kept as they are: Chinese typography uses them, the splitter keys on
them, and an ASCII "..." in Chinese text would read as three periods. The splitter accepts the
ASCII forms too, so text normalised elsewhere still splits.
"""

from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache

import regex

from align.errors import InputError

#: Characters NFKC would change that Chinese text keeps in full width.
KEPT_PUNCTUATION = "，！？；：（）…"
_KEPT = regex.compile("([" + regex.escape(KEPT_PUNCTUATION) + "])")
_LINE_BREAKS = regex.compile(r"\r\n|[\r\u2028\u2029\x85]")
_CONTROL = regex.compile(r"[^\P{Cc}\t\n\r\f]")

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LEGACY = ("gb18030", "big5")
#: Share of non-ASCII characters that must be plausible for a legacy decoding to count.
MIN_PLAUSIBLE = 0.9
#: Share of control characters above which the bytes are taken for a binary file.
MAX_CONTROL = 0.05


def decode_bytes(data: bytes, *, name: str, max_bytes: int = 20_000_000) -> str:
    """Decode a text file's bytes and normalise the text (NFKC, ``\\n`` line ends)."""
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: the file has {len(data):,} bytes, more than the limit of {max_bytes:,}; "
            "split it or raise the limit"
        )
    if not data:
        raise InputError(f"{name}: the file is empty")
    text = _decode(data, name)
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > MAX_CONTROL * len(text):
        raise InputError(f"{name}: this looks like a binary file (control characters), not text")
    text = normalize_text(text)
    if not text.strip():
        raise InputError(f"{name}: the file contains only whitespace")
    return text


def normalize_text(text: str) -> str:
    """NFKC except for the kept full-width punctuation; ``\\n`` line ends; no BOM.

    Idempotent, so text that already went through :func:`decode_bytes` is unchanged.
    """
    text = _LINE_BREAKS.sub("\n", text.lstrip("\ufeff"))
    return "".join(
        part if _KEPT.fullmatch(part) else unicodedata.normalize("NFKC", part)
        for part in _KEPT.split(text)
    )



def _decode(data: bytes, name: str) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                label = codec.removesuffix("-sig").upper()
                raise InputError(
                    f"{name}: starts with a {label} byte-order mark but is not valid {label} "
                    f"(byte {err.start}); re-save it as UTF-8"
                ) from None
    if b"\x00" in data:
        raise InputError(
            f"{name}: this looks like a binary file (it contains NUL bytes); if it is UTF-16 "
            "text, save it with a byte-order mark or as UTF-8"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best_text, best_score = "", -1.0
    for codec in _LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if score > best_score:
            best_text, best_score = text, score
    if best_score >= MIN_PLAUSIBLE:
        return best_text
    raise InputError(
        f"{name}: cannot decode the text: it is not UTF-8, UTF-16 with a byte-order mark, "
        "GB18030/GBK or Big5; re-save it as UTF-8"
    )


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that a Chinese text plausibly contains.

    1.0 for pure ASCII: nothing there speaks against the decoding.
    """
    foreign = [c for c in text if ord(c) >= 0x80]
    if not foreign:
        return 1.0
    common = _common_han()
    good = sum(1 for c in foreign if c in common or _is_cjk_punctuation(c))
    return good / len(foreign)


def _is_cjk_punctuation(char: str) -> bool:
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F  # CJK symbols and punctuation: 。、「」《》
        or 0xFF01 <= code <= 0xFF65  # full-width forms: ，！？（）
        or 0x2010 <= code <= 0x2027  # general punctuation: “”‘’—…
        or char in "·×÷°"
        or unicodedata.category(char) == "Zs"
    )


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """The 6,763 GB2312 characters and the 5,401 frequent Big5 ones (level 1).

    Together they cover everyday simplified and traditional text; the wrong legacy codec
    lands mostly outside them.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):  # GB2312 levels 1 and 2
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", errors="ignore"))
    for lead in range(0xA4, 0xC7):  # Big5 level 1: A440-C67E
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            chars.update(bytes((lead, trail)).decode("big5", errors="ignore"))
    return frozenset(c for c in chars if regex.match(r"\p{Han}", c))
