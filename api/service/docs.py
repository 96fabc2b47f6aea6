"""``/docs`` and ``/redoc`` that work without internet.

FastAPI's default pages load Swagger UI and ReDoc from a CDN, so on an offline machine (the
setting this tool is made for) ``/docs`` is a blank page. The same assets are served here
from the ``fastapi-offline`` wheel (Swagger UI: Apache-2.0; ReDoc and the package: MIT),
through FastAPI's own page builders; nothing on the pages points outside the server.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
_FOLDER = Path(str(files("fastapi_offline") / "static"))  # an installed wheel is a folder


def mount_docs(app: FastAPI) -> None:
    """Add the documentation pages and their assets; ``app`` has ``docs_url=None``."""
    app.mount(ASSETS, StaticFiles(directory=_FOLDER), name="docs-assets")
    openapi = app.openapi_url or "/openapi.json"
    redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=root + openapi,
            title=f"{app.title} - API",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            oauth2_redirect_url=root + redirect,
        )

    @app.get(redirect, include_in_schema=False)
    def swagger_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=root + openapi,
            title=f"{app.title} - API reference",
            redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS}/favicon.png",
            with_google_fonts=False,
        )
