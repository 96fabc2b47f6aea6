"""The page in headless Chromium: search, review, the concordance, keyboard, accessibility.

Needs Debian's ``chromium`` (``apt-get install chromium fonts-noto-cjk``); skipped without it.
The accessibility checks inject axe-core from its npm package (``npm ci`` at the repository
root, as scripts/test.sh does) and fail, not skip, when it is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from glossary.store.engine import open_store
from glossary.store.recording import record_pairs
from glossary.store.views import PairRecord
from tests.api_helpers import KEY, HashEncoder, Server, seed_store, settings_for

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
EXTRA_PAIRS = 25
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
Page = Any  # playwright's Page; the module may be missing, so its type is not imported


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("browser") / "g.sqlite3"
    seed_store(db)
    store = open_store(path=db, create=True)
    record_pairs(
        store,
        [
            PairRecord(
                "seed-002-zh",
                "seed-002-en",
                (10 + i,),
                (10 + i,),
                f"第{i}项援企稳岗措施已经落实到位，惠及{i}万家企业。",
                f"Job-stabilization measure {i} reached {i}0,000 firms.",
                0.3 + i / 50,
            )
            for i in range(EXTRA_PAIRS)
        ],
        corpus_id="browser",
    )
    store.close()
    with Server(settings_for(db), HashEncoder()) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _strict(route: Any) -> None:
    """Serve every response with the strict CSP the service is meant to send."""
    response = route.fetch()
    route.fulfill(
        response=response, headers={**response.headers, "content-security-policy": STRICT_CSP}
    )


@pytest.fixture()
def page(server: Server, browser: Any) -> Iterator[Page]:
    context = browser.new_context(
        permissions=["clipboard-read", "clipboard-write"], accept_downloads=True
    )
    opened = context.new_page()
    opened.route("**/*", _strict)
    violations: list[str] = []
    opened.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    try:
        yield opened
        assert violations == [], violations  # the page works under the strict CSP
    finally:
        context.close()


def _axe(page: Page) -> list[str]:
    """Critical and serious axe-core findings on the page as it is now."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` at the repository root"
    page.evaluate(AXE.read_text(encoding="utf-8"))  # not add_script_tag: the CSP forbids it
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (node) => {
    for (let p = node.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  const out = [];
  for (const node of document.querySelectorAll("body *")) {
    const box = node.getBoundingClientRect();
    if (!box.width || clipped(node)) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      out.push(`${node.tagName.toLowerCase()}.${node.className} ${box.left}..${box.right}`);
    }
  }
  const page = document.documentElement.scrollWidth;
  if (page > width) out.push(`page ${page}`);
  return out;
}"""


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


@pytest.mark.parametrize("width", [1280, 390])
def test_axe_finds_nothing_critical_or_serious(server: Server, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(server.url + "/?q=稳岗")
    sync_api.expect(page.locator(".term").first).to_be_visible()
    sync_api.expect(page.locator(".conc-row").first).to_be_visible()
    page.click("#add-term summary")
    assert _axe(page) == []
    page.locator(".conc-row button.open").first.click()
    sync_api.expect(page.locator("#article")).to_be_visible()
    assert _axe(page) == []
    page.keyboard.press("Escape")
    page.click("#tab-align")
    assert _axe(page) == []


def test_nothing_overflows_a_390_pixel_screen(server: Server, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server.url + "/?q=稳岗")
    sync_api.expect(page.locator(".conc-row").first).to_be_visible()
    page.click("#add-term summary")
    for more in page.locator(".term .more summary").all():
        more.click()
    assert page.evaluate(OVERFLOWING) == []
    page.fill("#api-key", KEY)
    page.click("#key-save")
    page.locator('.term tr[data-en] button:text("Edit")').first.click()
    assert page.evaluate(OVERFLOWING) == []
    page.click("#tab-align")
    assert page.evaluate(OVERFLOWING) == []


def test_forgiving_search_says_which_tier_matched(server: Server, page: Page) -> None:
    page.goto(server.url + "/")
    page.fill("#q", "stabilise jobs")
    sync_api.expect(page.locator(".term .match").first).to_have_text(
        "other spelling: stabilize jobs"
    )
    page.fill("#q", "穩崗")
    sync_api.expect(page.locator(".term .term-zh").first).to_have_text("稳岗")
    sync_api.expect(page.locator("#status")).to_contain_text("other script")


def test_concordance_is_keyword_in_context_and_pages(server: Server, page: Page) -> None:
    page.goto(server.url + "/?q=援企稳岗")
    sync_api.expect(page.locator("#conc-count")).to_have_text(f"{EXTRA_PAIRS} aligned pairs")
    sync_api.expect(page.locator(".conc-row")).to_have_count(20)
    sync_api.expect(page.locator(".conc-row .kwic-key").first).to_have_text("援企稳岗")
    pager = page.locator("#conc-pager")
    sync_api.expect(pager).to_contain_text(f"1–20 of {EXTRA_PAIRS}")
    pager.get_by_role("button", name="Next →").click()
    sync_api.expect(pager).to_contain_text(f"21–{EXTRA_PAIRS} of {EXTRA_PAIRS}")
    sync_api.expect(page.locator(".conc-row")).to_have_count(EXTRA_PAIRS - 20)
    page.fill("#conc-min", "0.7")
    page.press("#conc-min", "Enter")
    sync_api.expect(page.locator("#conc-count")).to_have_text("5 aligned pairs")


def test_keyboard_slash_arrows_enter_escape(server: Server, page: Page) -> None:
    page.goto(server.url + "/?q=稳岗")
    sync_api.expect(page.locator(".term").first).to_be_visible()
    page.locator("body").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('term')")
    hits = page.locator(".hit").count()
    for _ in range(hits):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('conc-row')")
    page.keyboard.press("Enter")
    dialog = page.locator("#article")
    sync_api.expect(dialog).to_be_visible()
    sync_api.expect(page.locator("#article-title")).to_have_text("重庆稳就业")
    sync_api.expect(dialog.locator(".focus").first).to_be_visible()
    sync_api.expect(page.locator("#article-tmx")).to_have_attribute(
        "href", "/api/export/alignments/seed-002-zh.tmx"
    )
    page.keyboard.press("Escape")
    sync_api.expect(dialog).to_be_hidden()


def test_copy_buttons_copy_the_equivalent_and_the_pair(server: Server, page: Page) -> None:
    page.goto(server.url + "/?q=渝创渝新")
    row = page.locator('tr[data-en="Chongqing Create Chongqing New"]')
    row.get_by_role("button", name="Copy “Chongqing Create Chongqing New”").click()
    sync_api.expect(page.locator("#status")).to_have_text(
        "Copied “Chongqing Create Chongqing New”."
    )
    assert page.evaluate("navigator.clipboard.readText()") == "Chongqing Create Chongqing New"
    page.locator(".term .pairs button.copy").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.split("\t")[0].startswith("实施“渝创渝新”")


def test_add_a_term_and_correct_an_equivalents_wording(server: Server, page: Page) -> None:
    page.goto(server.url + "/")
    page.fill("#api-key", KEY)
    page.click("#key-save")
    page.click("#add-term summary")
    page.fill("#add-zh", "数字就业")
    page.fill("#add-en", "digital employmnet")
    page.click("#add-go")
    row = page.locator('tr[data-en="digital employmnet"]')
    sync_api.expect(row.locator(".badge")).to_have_text("preferred")
    row.get_by_role("button", name="Edit").click()
    page.fill('input[aria-label="English wording"]', "digital employment")
    page.get_by_role("button", name="Save").click()
    sync_api.expect(page.locator("#status")).to_contain_text("Saved: 数字就业 → digital employment")
    page.reload()
    sync_api.expect(page.locator('tr[data-en="digital employment"] .badge')).to_have_text(
        "preferred"
    )


def test_an_alignment_made_in_the_page_downloads_as_tmx_and_tsv(server: Server, page: Page) -> None:
    page.goto(server.url + "/")
    page.click("#tab-align")
    page.fill("#src-text", "我们在2021年创造了100万个岗位。失业率为5.1%。")
    page.fill("#tgt-text", "We created 1 million jobs in 2021. Unemployment was 5.1% <low>.")
    page.click("#align-go")
    sync_api.expect(page.locator("#align-downloads")).to_be_visible()
    with page.expect_download() as tmx_download:
        page.click("#dl-tmx")
    tmx = Path(tmx_download.value.path()).read_text(encoding="utf-8")
    assert tmx.count("<tu>") == 2 and '<tuv xml:lang="zh">' in tmx and "&lt;low&gt;" in tmx
    with page.expect_download() as tsv_download:
        page.click("#dl-tsv")
    lines = Path(tsv_download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[0].startswith("我们在2021年创造了100万个岗位。\t")
