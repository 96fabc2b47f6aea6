"""``/docs`` and ``/redoc`` work offline: every asset they load is served by the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import regex
from fastapi.testclient import TestClient

from tests.api_helpers import seeded_client

_URLS = regex.compile(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""")


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with seeded_client(tmp_path) as test_client:
        yield test_client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_only_assets_the_app_serves(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    urls = set(_URLS.findall(response.text))
    assert urls, "the page names its assets"
    assert not [u for u in urls if "//" in u], f"{page} points outside the server: {urls}"
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url
