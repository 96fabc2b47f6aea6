"""Query strings and paths whose percent-encoding is not UTF-8 are refused, not guessed at.

Starlette decodes ``%FF`` to U+FFFD, so ``q=%FF`` was searched for as "\ufffd"; the raw
bytes are checked here, as an app-wide dependency, before any parameter is read.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.exceptions import RequestValidationError


def query_is_utf8(request: Request) -> None:
    """Refuse a query string or path whose percent-encoding is not UTF-8, naming each part."""
    problems = []
    for part in bytes(request.scope.get("query_string", b"")).split(b"&"):
        name, _, value = part.partition(b"=")
        if not (_utf8(name) and _utf8(value)):
            label = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
            problems.append({"type": "utf8", "loc": ("query", label), "msg": _NOT_UTF8})
    raw_path = request.scope.get("raw_path")
    if isinstance(raw_path, bytes) and not _utf8(raw_path.partition(b"?")[0]):
        problems.append({"type": "utf8", "loc": ("path",), "msg": _NOT_UTF8})
    if problems:
        raise RequestValidationError(problems)


_NOT_UTF8 = (
    "is not valid UTF-8 once percent-decoded; percent-encode the text as UTF-8 "
    "(稳岗 is %E7%A8%B3%E5%B2%97)"
)


def _utf8(encoded: bytes) -> bool:
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
