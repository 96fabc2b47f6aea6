"""The page in headless Chromium: search as you type, and a review that survives a reload.

Needs Debian's ``chromium`` (``apt-get install chromium fonts-noto-cjk``); skipped without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api_helpers import KEY, HashEncoder, Server, seed_store, settings_for

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
Page = Any  # playwright's Page; the module may be missing, so its type is not imported


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("browser") / "g.sqlite3"
    seed_store(db)
    with Server(settings_for(db), HashEncoder()) as running:
        yield running


@pytest.fixture()
def page(server: Server) -> Iterator[Page]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_search_as_you_type_shows_the_english(server: Server, page: Page) -> None:
    page.goto(server.url + "/")
    page.fill("#q", "渝创渝新")
    row = page.locator(".term tr[data-en]").first
    sync_api.expect(row.locator(".en")).to_have_text("Chongqing Create Chongqing New")
    sync_api.expect(row.locator(".badge")).to_have_text("preferred")
    sync_api.expect(page.locator("#conc-rows mark.zh").first).to_have_text("渝创渝新")
    sync_api.expect(page.locator(".pairs .prov").first).to_contain_text("cq.gov.cn")


def test_approve_with_a_key_persists_after_reload(server: Server, page: Page) -> None:
    page.goto(server.url + "/?q=稳就业")
    row = page.locator('tr[data-en="stable employment"]')
    sync_api.expect(row.locator(".badge")).to_have_text("admitted")
    sync_api.expect(row.get_by_role("button", name="Approve")).to_be_disabled()
    page.fill("#api-key", KEY)
    page.click("#key-save")
    row.get_by_role("button", name="Approve").click()
    sync_api.expect(page.locator("#status")).to_contain_text("Saved")
    page.reload()
    row = page.locator('tr[data-en="stable employment"]')
    sync_api.expect(row.locator(".badge")).to_have_text("preferred")
    sync_api.expect(row.locator(".who")).to_contain_text("alice")


def test_alignment_view_shows_pairs_with_scores(server: Server, page: Page) -> None:
    page.goto(server.url + "/")
    page.click("#tab-align")
    page.fill("#src-text", "我们在2021年创造了100万个岗位。失业率为5.1%。")
    page.fill("#tgt-text", "We created 1 million jobs in 2021. Unemployment was 5.1%.")
    page.click("#align-go")
    sync_api.expect(page.locator("#align-result tbody tr")).to_have_count(2)
    score = page.locator("#align-result .score").first
    sync_api.expect(score).to_have_text(re.compile(r"^[01]\.\d\d$"))
