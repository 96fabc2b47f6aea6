"""Request bodies read with a size limit, so a huge upload is refused before it is held.

The declared length and the whole body are bounded for every route by
``api.service.limits``; these are the per-field checks the routes add.
"""

from __future__ import annotations

from fastapi import Request
from pydantic import ValidationError

from align.errors import InputError


class PayloadTooLarge(InputError):
    """The request body is over the configured size limit (HTTP 413)."""


class InvalidBody(InputError):
    """The body is not the JSON or form the endpoint documents (HTTP 422)."""


async def read_body(request: Request, limit: int) -> bytes:
    """The body, read in chunks and refused as soon as it passes ``limit`` bytes."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the request is larger than the limit of {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def first_problem(error: ValidationError) -> str:
    """The first validation problem as ``where: what``, for a one-line message."""
    problem = error.errors()[0]
    where = ".".join(str(p) for p in problem["loc"]) or "body"
    return f"{where}: {problem['msg']}"
