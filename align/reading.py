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

Reading is bounded: only regular files are opened as files (a FIFO would block, ``/dev/zero``
never ends), and the size limit is checked while reading, since a file can grow after its
size was looked up and ``/proc`` files report none. A stream (stdin) is read the same way.
"""

from __future__ import annotations

import codecs
import os
import stat
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

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
# Big5-HKSCS after plain Big5: Hong Kong text holds characters Big5 lacks (濶, 㗎), and a plain
# Big5 file decodes the same either way, so the first to decode it wins the tie
_LEGACY = ("gb18030", "big5", "big5hkscs")
#: Share of non-ASCII characters that must be plausible for a legacy decoding to count.
MIN_PLAUSIBLE = 0.9
#: Share of control characters above which the bytes are taken for a binary file.
MAX_CONTROL = 0.05
#: The default bound on one input file.
MAX_BYTES = 20_000_000
_CHUNK = 1 << 20
# O_NONBLOCK makes opening a FIFO return at once, so fstat can refuse it instead of hanging.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_file(path: str | Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; any problem is an InputError."""
    name = str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, not a text file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied; check that the file is readable") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read it ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{name}: is a directory, not a text file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{name}: is {_kind(info.st_mode)}, not a regular file; save the text to a "
                "file (or give '-' to read standard input)"
            )
        if info.st_size > max_bytes:  # refused before reading; the stream check covers growth
            raise InputError(_too_large(name, max_bytes, info.st_size))
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        return read_stream(handle, name=name, max_bytes=max_bytes)


def read_stream(stream: BinaryIO, *, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Read ``stream`` to its end, refusing it as soon as it passes ``max_bytes``."""
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := stream.read(min(_CHUNK, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise InputError(_too_large(name, max_bytes))
    except OSError as error:
        raise InputError(f"{name}: cannot read it ({error.strerror or error})") from None
    return b"".join(chunks)


def _too_large(name: str, max_bytes: int, size: int | None = None) -> str:
    has = "it has more" if size is None else f"the file has {size:,} bytes, more"
    return f"{name}: {has} than the limit of {max_bytes:,} bytes; split it or raise the limit"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def decode_bytes(data: bytes, *, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Decode a text file's bytes and normalise the text (NFKC, ``\\n`` line ends)."""
    if len(data) > max_bytes:
        raise InputError(_too_large(name, max_bytes, len(data)))
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
        "GB18030/GBK or Big5 (with HKSCS); re-save it as UTF-8"
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
