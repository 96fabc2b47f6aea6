"""HEAD answered on every GET route, as the ``Allow`` header says it is."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: a HEAD is answered as the GET of the same URL, without the body.

    FastAPI's routes take only the methods they declare, so ``HEAD /healthz`` was a 405
    whose ``Allow`` header offered HEAD. The headers (``Content-Length`` included) are
    the GET's, as HTTP asks of a HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
